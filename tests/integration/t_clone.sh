#!/bin/bash
# Issue 24, item 3: a new VM from a template over SNMP (arasCloneTable) on
# libvirt's test driver, whose storage pools copy volumes
# (virStorageVolCreateXMLFrom) and whose domains take a definition.
#   - createAndGo with the template's name, then with its UUID: the row
#     (template, name, host, start, action, active), an arasActionTable
#     row of kind clone(18), origin operator, succeeded, arasActionDone at
#     snmptrapd; the new VM in arasVmTable with a new UUID, its disk the
#     copy in the pool (arasDiskSource), shut off, or running when arasCloneStart is true(1); the order in
#     the journal;
#   - every refusal with its error and nothing changed (no clone row, no
#     action row): a running template, a name taken, a bad name,
#     createAndWait, a missing column, no such template, no such host, a
#     row that exists, a column without createAndGo, the read-only column,
#     a clone to be started on a host without its memory;
#   - two clones in one PDU; the same name twice in one PDU refused;
#   - a template whose disk is in no pool: failed with the reason,
#     arasActionFailed, no VM;
#   - destroy(6): the row goes, the action row stays;
#   - a clone order the last run journalled with no outcome runs at the
#     restart (its row comes back); one whose VM is already there is
#     recorded succeeded.
# The new MAC address (and interface name) is test_domxml's clone_rewrite
# and the lab's: the test driver's NICs have no device name, which is what
# arasVmNicTable is indexed by.
# What the test driver cannot run: a clone onto another host (each
# connection to a test:///file URI is a host of its own, so a definition
# made through a second connection is not the one arasd polls); the lab
# (tests/lab/clone.sh) does that with real libvirtd + QEMU.
T_NAME=clone
. "$(dirname "$0")/../lib.sh"

# host A's fixture plus three shut-off templates: tpl1 (a disk in pool
# images, a NIC), tplbig (more memory than the host has free), tplfree (a
# disk in no pool); and tpl1's volume in the pool
HA=$(fixture hostA.xml)
sed -i "s|<node>|<node xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>|" "${HA#test://}"
sed -i "s|  <pool type='dir'>|  <domain type='test'><name>tpl1</name><uuid>7e570000-0000-4000-8000-0000000000d1</uuid><memory>1048576</memory><currentMemory>1048576</currentMemory><vcpu>1</vcpu><os><type>hvm</type></os><devices><disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='/var/lib/libvirt/images/tpl1.img'/><target dev='vda' bus='virtio'/></disk><interface type='user'><mac address='52:54:00:12:34:56'/></interface></devices><test:runstate>5</test:runstate></domain>\n  <domain type='test'><name>tplbig</name><uuid>7e570000-0000-4000-8000-0000000000d2</uuid><memory>67108864</memory><currentMemory>67108864</currentMemory><vcpu>1</vcpu><os><type>hvm</type></os><test:runstate>5</test:runstate></domain>\n  <domain type='test'><name>tplfree</name><uuid>7e570000-0000-4000-8000-0000000000d3</uuid><memory>1048576</memory><currentMemory>1048576</currentMemory><vcpu>1</vcpu><os><type>hvm</type></os><devices><disk type='file' device='disk'><source file='/srv/elsewhere/tplfree.img'/><target dev='vda' bus='virtio'/></disk></devices><test:runstate>5</test:runstate></domain>\n  <pool type='dir'>|" "${HA#test://}"
sed -i "s|<target><path>/var/lib/libvirt/images</path></target>|<target><path>/var/lib/libvirt/images</path></target>\n    <volume><name>tpl1.img</name><capacity unit='bytes'>1073741824</capacity><allocation unit='bytes'>1073741824</allocation></volume>|" "${HA#test://}"
HOSTS_CONF=("host alpha $HA 1")
POLL=30 # each result kicks a poll: the new VM shows at once
write_arasd_conf "stateFile $T/state" "actions trap"
start_snmpd || { not_ok "snmpd starts"; exit 1; }
start_trapd
start_arasd || { not_ok "arasd attaches to the master"; exit 1; }
wait_get 10 $STATUS_OID.2.0 6

ACT=$BASE_OID.1.6.1
CL=$BASE_OID.1.11.1
DISK=$BASE_OID.1.8.1
N_DONE=$BASE_OID.0.4 N_FAILED=$BASE_OID.0.5
TPL1_UUID=7e570000-0000-4000-8000-0000000000d1

actions_n() { swalk "$ACT.3" | grep -c .; }
clones_n() { swalk "$CL.7" | grep -c .; }
# the arasVmTable index of the VM named $1 (16 dotted bytes), or nothing
vm_oid() { swalk "$VM_ENTRY.2" | grep -F "\"$1\"" | head -n 1 | sed "s/^$VM_ENTRY.2.\([0-9.]*\) .*/\1/"; }
has_vm() { [ -n "$(vm_oid "$1")" ]; }
# refused LABEL REASON VARBINDS...: the SET fails with REASON, nothing changes
refused() {
	local label=$1 reason=$2 out n0 c0 v0
	shift 2
	n0=$(actions_n)
	c0=$(clones_n)
	v0=$(swalk "$VM_ENTRY.2" | grep -c .)
	out=$(snmpset -v2c -c private -t 2 -r 0 "$AGENT" "$@" 2>&1)
	check "$label -> $reason" grep -qE "Reason: ($reason)" <<<"$out"
	is "  $label: no action row" "$(actions_n)" "$n0"
	is "  $label: no clone row" "$(clones_n)" "$c0"
	is "  $label: no new VM" "$(swalk "$VM_ENTRY.2" | grep -c .)" "$v0"
}
# clone_done INDEX: row INDEX's action succeeded
clone_done() { [ "$(sget "$ACT.7.$(sget "$CL.6.$1")")" = 5 ]; }

# 1. a clone by the template's name, not started
n_done0=$(grep -c "OID: $N_DONE	" "$T/traps.log")
check "createAndGo row 1: tpl1 as web9" sset "$CL.7.1" i 4 "$CL.2.1" s tpl1 "$CL.3.1" s web9
check "  its action succeeded" wait_for 10 clone_done 1
a=$(sget "$CL.6.1")
is "  arasCloneTemplate.1" "$(sget "$CL.2.1")" '"tpl1"'
is "  arasCloneName.1" "$(sget "$CL.3.1")" '"web9"'
is "  arasCloneHost.1 (the template's)" "$(sget "$CL.4.1")" 1
is "  arasCloneStart.1 false(2)" "$(sget "$CL.5.1")" 2
is "  arasCloneRowStatus.1 active(1)" "$(sget "$CL.7.1")" 1
is "  action $a: kind clone(18), origin operator(2)" "$(sget "$ACT.4.$a") $(sget "$ACT.12.$a")" "18 2"
check "  its reason names the row and the name" grep -q 'arasCloneTable row 1: a clone named web9' <<<"$(sget "$ACT.8.$a")"
check "  arasActionDone at snmptrapd" \
	wait_for 10 eval '[ $(grep -c "OID: $N_DONE	" "$T/traps.log") -gt $n_done0 ]'
check "  web9 is in arasVmTable" wait_for 10 has_vm web9
w9=$(vm_oid web9)
t1=$(vm_oid tpl1)
check "  web9 has a UUID of its own" test "$w9" != "$t1"
is "  web9 is shut off: arasVmState shutoff(5)" "$(sget "$VM_ENTRY.4.$w9")" 5
is "  web9's vda is the copy in the pool" "$(sget "$DISK.3.$w9.3.118.100.97")" '"/var/lib/libvirt/images/web9-vda.img"'
is "  tpl1's vda is still its own" "$(sget "$DISK.3.$t1.3.118.100.97")" '"/var/lib/libvirt/images/tpl1.img"'
check "the journal holds the clone" grep -qE "^order [0-9]+ clone $TPL1_UUID 0 1 nostart web9$" "$T/state.orders"

# 2. by UUID, started, on host 1 by index
check "createAndGo row 2: $TPL1_UUID as web10, host 1, start true(1)" \
	sset "$CL.7.2" i 4 "$CL.2.2" s "$TPL1_UUID" "$CL.3.2" s web10 "$CL.4.2" u 1 "$CL.5.2" i 1
check "  its action succeeded" wait_for 10 clone_done 2
check "  web10 is in arasVmTable" wait_for 10 has_vm web10
check "  web10 runs: arasVmState running(1)" wait_get 10 "$VM_ENTRY.4.$(vm_oid web10)" 1

# 3. refusals, nothing changed
refused "a running template (web1)" inconsistentValue "$CL.7.3" i 4 "$CL.2.3" s web1 "$CL.3.3" s web11
refused "a name taken (web1)" inconsistentValue "$CL.7.3" i 4 "$CL.2.3" s tpl1 "$CL.3.3" s web1
refused "a name taken by the earlier clone (web9)" inconsistentValue "$CL.7.3" i 4 "$CL.2.3" s tpl1 "$CL.3.3" s web9
refused "a name with a space" wrongValue "$CL.7.3" i 4 "$CL.2.3" s tpl1 "$CL.3.3" s "web 11"
refused "a name with a slash" wrongValue "$CL.7.3" i 4 "$CL.2.3" s tpl1 "$CL.3.3" s "../x"
refused "createAndWait(5)" wrongValue "$CL.7.3" i 5 "$CL.2.3" s tpl1 "$CL.3.3" s web11
refused "no arasCloneName" inconsistentValue "$CL.7.3" i 4 "$CL.2.3" s tpl1
refused "no such template" inconsistentValue "$CL.7.3" i 4 "$CL.2.3" s nosuch "$CL.3.3" s web11
refused "no such host (9)" wrongValue "$CL.7.3" i 4 "$CL.2.3" s tpl1 "$CL.3.3" s web11 "$CL.4.3" u 9
refused "row 1 exists" inconsistentValue "$CL.7.1" i 4 "$CL.2.1" s tpl1 "$CL.3.1" s web11
refused "a column without createAndGo" inconsistentName "$CL.3.3" s web11
refused "a column of an existing row" inconsistentValue "$CL.3.1" s web11
refused "arasCloneAction is read-only" notWritable "$CL.7.3" i 4 "$CL.2.3" s tpl1 "$CL.3.3" s web11 "$CL.6.3" u 5
refused "arasCloneStart 3" wrongValue "$CL.7.3" i 4 "$CL.2.3" s tpl1 "$CL.3.3" s web11 "$CL.5.3" i 3
refused "tplbig started (64 GiB, more than host alpha has free)" inconsistentValue \
	"$CL.7.3" i 4 "$CL.2.3" s tplbig "$CL.3.3" s big2 "$CL.5.3" i 1
refused "the same name twice in one PDU" inconsistentValue \
	"$CL.7.3" i 4 "$CL.2.3" s tpl1 "$CL.3.3" s twin "$CL.7.4" i 4 "$CL.2.4" s tpl1 "$CL.3.4" s twin
check "tplbig only defined (not started): accepted" sset "$CL.7.3" i 4 "$CL.2.3" s tplbig "$CL.3.3" s big2
check "  big2 is in arasVmTable" wait_for 10 has_vm big2

# 4. two clones of one template in one PDU
check "one PDU: rows 4 and 5, tpl1 as a1 and a2" \
	sset "$CL.7.4" i 4 "$CL.2.4" s tpl1 "$CL.3.4" s a1 "$CL.7.5" i 4 "$CL.2.5" s tpl1 "$CL.3.5" s a2
check "  both succeeded" wait_for 10 eval 'clone_done 4 && clone_done 5'
check "  a1 and a2 are in arasVmTable" wait_for 10 eval 'has_vm a1 && has_vm a2'

# 5. a disk in no storage pool: failed with the reason, no VM
n_failed0=$(grep -c "OID: $N_FAILED	" "$T/traps.log")
check "createAndGo row 6: tplfree as f1" sset "$CL.7.6" i 4 "$CL.2.6" s tplfree "$CL.3.6" s f1
a=$(sget "$CL.6.6")
check "  its action failed(6)" wait_get 10 "$ACT.7.$a" 6
check "  arasActionError says the disk is in no pool" \
	grep -q 'disk vda (/srv/elsewhere/tplfree.img) is in no storage pool' <<<"$(sget "$ACT.11.$a")"
check "  arasActionFailed at snmptrapd" \
	wait_for 10 eval '[ $(grep -c "OID: $N_FAILED	" "$T/traps.log") -gt $n_failed0 ]'
wait_polls 1
check "  no VM f1" eval '! has_vm f1'

# 6. destroy(6): the row goes, its action row stays
a=$(sget "$CL.6.1")
check "destroy(6) row 1" sset "$CL.7.1" i 6
check "  row 1 is gone" eval "! sget '$CL.7.1' | grep -q '^1\$'"
is "  its action row stays (kind clone)" "$(sget "$ACT.4.$a")" 18
check "destroy(6) of a row that is not there: noError" sset "$CL.7.99" i 6
check "row 1 can be made again: tpl1 as web12" sset "$CL.7.1" i 4 "$CL.2.1" s tpl1 "$CL.3.1" s web12
check "  web12 is in arasVmTable" wait_for 10 has_vm web12

# 7. the journal: a clone acknowledged before a crash runs after it; one
#    whose VM is there already is recorded done (the fixture is read again
#    at start: only tpl1 and the fixture's VMs are there)
kill -9 "$ARASD_PID"
wait_for 10 eval '! kill -0 "$ARASD_PID" 2>/dev/null'
next=$(awk '$1 == "next" { n = $2 } $1 == "order" && $2 >= n { n = $2 + 1 } END { print n + 0 }' "$T/state.orders")
{
	echo "order $next clone $TPL1_UUID 1 40 start after1"
	echo "order $((next + 1)) clone $TPL1_UUID 1 41 nostart web1"
} >>"$T/state.orders"
start_arasd || not_ok "arasd starts again"
check "  after the restart: row 40 is back" wait_for 15 eval '[ -n "$(sget "$CL.6.40" | tr -dc 0-9)" ]'
check "  its clone ran: after1 is in arasVmTable" wait_for 10 has_vm after1
a=$(sget "$CL.6.40")
check "  its action names the order ($(sget "$ACT.8.$a"))" grep -q "operator order $next: arasCloneTable row 40: a clone named after1, started" <<<"$(sget "$ACT.8.$a")"
a=$(sget "$CL.6.41")
is "  row 41 (web1 is there already): succeeded(5)" "$(sget "$ACT.7.$a")" 5
check "  its reason says done before the restart" grep -q 'done before the restart: VM web1 is on host alpha' <<<"$(sget "$ACT.8.$a")"
check "  the journal holds both outcomes" eval "grep -q '^done $next succeeded' '$T/state.orders' && grep -q '^done $((next + 1)) succeeded' '$T/state.orders'"
exit 0
