#!/bin/bash
# Issue 24, item 1: the operator's edits of a VM's allocation over SNMP on
# libvirt's test driver.  arasVmVcpusTarget, arasVmMemTarget and
# arasVmMemMaxTarget through snmpset: the value read back, an
# arasActionTable row of the existing kind (addVcpu, removeVcpu,
# growMemory, shrinkMemory; origin operator), arasActionDone at snmptrapd,
# the order in the journal.  Every refusal with its error and nothing
# changed (no action row, the values as before); two edits in one PDU;
# one bad varbind refuses the whole PDU; arasVmEditForce lets an edit go
# beyond the host's room, never beyond the VM's maximum; a shut-off VM's
# edit goes to its definition; arasDiskCapacityTarget's refusals (section
# 6 says what the test driver cannot show).  An edit refused because the VM has an
# action in progress is a unit test (test_engine: edit_refusals): the test
# driver ends every action at once.
T_NAME=edit
. "$(dirname "$0")/../lib.sh"

# host A's fixture plus big1 (max 32 vCPUs and 64 GiB, more than the host's
# 16 CPUs and 32 GiB) and idle2 (defined, shut off)
HA=$(fixture hostA.xml)
sed -i "s|<node>|<node xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>|; s|  <pool type='dir'>|  <domain type='test'><name>big1</name><uuid>b1900000-0000-4000-8000-0000000000e1</uuid><memory>67108864</memory><currentMemory>1048576</currentMemory><vcpu current='2'>32</vcpu><os><type>hvm</type></os><devices><disk type='file' device='disk'><source file='/var/lib/libvirt/images/big1.img'/><target dev='vda' bus='virtio'/></disk><disk type='file' device='cdrom'><source file='/iso/boot.iso'/><target dev='sda'/><readonly/></disk></devices></domain>\n  <domain type='test'><name>idle2</name><uuid>1d1e0000-0000-4000-8000-0000000000c2</uuid><memory>2097152</memory><currentMemory>1048576</currentMemory><vcpu current='1'>2</vcpu><os><type>hvm</type></os><test:runstate>5</test:runstate></domain>\n  <pool type='dir'>|" "${HA#test://}"
HOSTS_CONF=("host alpha $HA 1")
POLL=30 # kicks after each result must carry the new values, not the poll
write_arasd_conf "actions trap"
start_snmpd || { not_ok "snmpd starts"; exit 1; }
start_trapd
start_arasd || { not_ok "arasd attaches to the master"; exit 1; }
wait_get 10 $STATUS_OID.2.0 6

ACT=$BASE_OID.1.6.1
VCPUS=5 MEMCUR=8 MEMMAX=9 T_VCPUS=46 T_MEM=47 T_MAX=48 FORCE=49
N_DONE=$BASE_OID.0.4
web1=$(uuid_oid 6a2e7c0e-1f3b-4b4e-9a51-0000000000a1)
db1=$(uuid_oid 0f4c1d2e-8b7a-4c3d-8e2f-0000000000a2)
big1=$(uuid_oid b1900000-0000-4000-8000-0000000000e1)
idle2=$(uuid_oid 1d1e0000-0000-4000-8000-0000000000c2)

col() { sget "$VM_ENTRY.$1.$2"; }
actions_n() { swalk "$ACT.3" | grep -c .; }
# the newest action of VM NAME: "kind state origin"
last_action() {
	local idx
	idx=$(swalk "$ACT.3" | grep -F "\"$1\"" | sed "s/^$ACT.3.\([0-9]*\) .*/\1/" | sort -n | tail -n 1)
	[ -n "$idx" ] && echo "$(sget "$ACT.4.$idx") $(sget "$ACT.7.$idx") $(sget "$ACT.12.$idx")"
}
action_is() { [ "$(last_action "$1")" = "$2" ]; }
last_reason() {
	local idx
	idx=$(swalk "$ACT.3" | grep -F "\"$1\"" | sed "s/^$ACT.3.\([0-9]*\) .*/\1/" | sort -n | tail -n 1)
	sget "$ACT.8.$idx"
}
# refused LABEL REASON VARBINDS...: the SET fails with REASON, nothing changes
refused() {
	local label=$1 reason=$2 out n0 v0
	shift 2
	n0=$(actions_n)
	v0=$(snmpget -v2c -c public -Oqv "$AGENT" "$VM_ENTRY.$VCPUS.$web1" "$VM_ENTRY.$MEMCUR.$web1" \
		"$VM_ENTRY.$T_MAX.$web1" "$VM_ENTRY.$VCPUS.$big1" "$VM_ENTRY.$MEMCUR.$big1" "$VM_ENTRY.$T_MAX.$big1" | tr '\n' ' ')
	out=$(snmpset -v2c -c private -t 2 -r 0 "$AGENT" "$@" 2>&1)
	check "$label -> $reason" grep -qE "Reason: ($reason)" <<<"$out"
	is "  $label: no action row" "$(actions_n)" "$n0"
	is "  $label: the VMs' values unchanged" "$(snmpget -v2c -c public -Oqv "$AGENT" "$VM_ENTRY.$VCPUS.$web1" \
		"$VM_ENTRY.$MEMCUR.$web1" "$VM_ENTRY.$T_MAX.$web1" "$VM_ENTRY.$VCPUS.$big1" "$VM_ENTRY.$MEMCUR.$big1" \
		"$VM_ENTRY.$T_MAX.$big1" | tr '\n' ' ')" "$v0"
}

# 1. what the columns read
is "arasVmVcpusTarget.web1 reads arasVmVcpus (2)" "$(col $T_VCPUS "$web1")" 2
is "arasVmMemTarget.web1 reads arasVmMemCurrent (2097152)" "$(col $T_MEM "$web1")" 2097152
is "arasVmMemMaxTarget.web1 reads arasVmMemMax (4194304)" "$(col $T_MAX "$web1")" 4194304
is "arasVmEditForce.web1 reads false(2)" "$(col $FORCE "$web1")" 2
hfree=$(sget "$HOST_ENTRY.8.1")
check "host alpha's free memory is known ($hfree KiB)" test "${hfree:-0}" -gt 0

# 2. refusals: wrongValue beyond the VM's own range, inconsistentValue beyond the host's room
refused "vCPUs 5 for web1 (its maximum 4)" wrongValue "$VM_ENTRY.$T_VCPUS.$web1" u 5
refused "vCPUs 0 for web1" wrongValue "$VM_ENTRY.$T_VCPUS.$web1" u 0
refused "memory 4194305 KiB for web1 (its maximum 4194304)" wrongValue "$VM_ENTRY.$T_MEM.$web1" u 4194305
refused "memory 1000 KiB for web1 (below 64 MiB)" wrongValue "$VM_ENTRY.$T_MEM.$web1" u 1000
refused "maximum memory 1000 KiB for web1" wrongValue "$VM_ENTRY.$T_MAX.$web1" u 1000
refused "vCPUs as an INTEGER" wrongType "$VM_ENTRY.$T_VCPUS.$web1" i 3
refused "arasVmEditForce 3" wrongValue "$VM_ENTRY.$FORCE.$web1" i 3
refused "vCPUs 20 for big1 (host alpha has 16 CPUs)" inconsistentValue "$VM_ENTRY.$T_VCPUS.$big1" u 20
refused "memory for big1 beyond host alpha's free memory" inconsistentValue \
	"$VM_ENTRY.$T_MEM.$big1" u $((1048576 + hfree + 1048576))
refused "maximum memory 48 GiB for big1 (host alpha has 32 GiB)" inconsistentValue "$VM_ENTRY.$T_MAX.$big1" u 50331648
refused "arasVmEditForce true(1) does not go beyond the VM's maximum" wrongValue \
	"$VM_ENTRY.$T_VCPUS.$web1" u 5 "$VM_ENTRY.$FORCE.$web1" i 1
refused "an edit and a life-cycle command of web1 in one PDU" inconsistentValue \
	"$VM_ENTRY.$T_VCPUS.$web1" u 3 "$VM_ENTRY.43.$web1" i 7
refused "a good edit (web1) and a bad one (db1 vCPUs 9, max 8) in one PDU: neither" wrongValue \
	"$VM_ENTRY.$T_VCPUS.$web1" u 3 "$VM_ENTRY.$T_VCPUS.$db1" u 9
refused "two vCPU edits of web1 in one PDU" inconsistentValue \
	"$VM_ENTRY.$T_VCPUS.$web1" u 3 "$VM_ENTRY.$T_VCPUS.$web1" u 4
check "arasd's log says why the room refusal was made" grep -q "more than host alpha's 16 CPUs" "$T/arasd.log"
check "arasVmEditForce false(2) alone is accepted and does nothing" sset "$VM_ENTRY.$FORCE.$web1" i 2

# 3. each edit: the value read back, the action row, arasActionDone, the journal
n_done0=$(grep -c "OID: $N_DONE	" "$T/traps.log")
# edit LABEL VM NAME COL VALUE READ-COL WANT KIND
edit() {
	check "$1: snmpset" sset "$VM_ENTRY.$4.$2" u "$5"
	check "$1: $3's action is kind $8, succeeded(5), origin operator(2)" wait_for 10 action_is "$3" "$8 5 2"
	check "$1: reads back $7" wait_get 10 "$VM_ENTRY.$6.$2" "$7"
}
edit "web1 vCPUs 2 -> 3" "$web1" web1 $T_VCPUS 3 $VCPUS 3 1
edit "web1 vCPUs 3 -> 2" "$web1" web1 $T_VCPUS 2 $VCPUS 2 6
edit "web1 memory -> 3 GiB" "$web1" web1 $T_MEM 3145728 $MEMCUR 3145728 2
edit "web1 memory -> 2 GiB" "$web1" web1 $T_MEM 2097152 $MEMCUR 2097152 7
edit "web1 maximum memory -> 6 GiB (next boot)" "$web1" web1 $T_MAX 6291456 $T_MAX 6291456 2
is "  arasVmMemMax.web1 (the running VM's) still 4194304" "$(col $MEMMAX "$web1")" 4194304
r=$(last_reason web1)
check "  its reason says 'from the next boot' ($r)" grep -q 'arasVmMemMaxTarget 6291456 (from the next boot)' <<<"$r"
check "arasActionDone for each of the 5 edits at snmptrapd" \
	wait_for 10 eval '[ $(grep -c "OID: $N_DONE	" "$T/traps.log") -ge $((n_done0 + 5)) ]'
check "arasActionDone of web1's vCPU edit carries kind addVcpu(1)" \
	sh -c "grep -F 'OID: $N_DONE	' '$T/traps.log' | grep -F '\"web1\"' | grep -q '$ACT.4.[0-9]* = INTEGER: 1[[:space:]]'"
check "the order journal holds the edits" grep -q "edit 6a2e7c0e-1f3b-4b4e-9a51-0000000000a1 maxMemory 6291456" "$T/state.orders"

# 4. two edits of one VM in one PDU, and of two VMs
check "one PDU: db1 vCPUs 6 and memory 7 GiB" sset "$VM_ENTRY.$T_VCPUS.$db1" u 6 "$VM_ENTRY.$T_MEM.$db1" u 7340032
check "  db1 has 6 vCPUs" wait_get 10 "$VM_ENTRY.$VCPUS.$db1" 6
check "  db1 has 7340032 KiB" wait_get 10 "$VM_ENTRY.$MEMCUR.$db1" 7340032
check "one PDU: web1 vCPUs 4, db1 vCPUs 4" sset "$VM_ENTRY.$T_VCPUS.$web1" u 4 "$VM_ENTRY.$T_VCPUS.$db1" u 4
check "  web1 has 4 vCPUs" wait_get 10 "$VM_ENTRY.$VCPUS.$web1" 4
check "  db1 has 4 vCPUs" wait_get 10 "$VM_ENTRY.$VCPUS.$db1" 4

# 5. arasVmEditForce: beyond the host's room, in the same PDU (before or after the edit)
check "big1 vCPUs 20 with arasVmEditForce true(1) after it" sset "$VM_ENTRY.$T_VCPUS.$big1" u 20 "$VM_ENTRY.$FORCE.$big1" i 1
check "  big1 has 20 vCPUs" wait_get 10 "$VM_ENTRY.$VCPUS.$big1" 20
r=$(last_reason big1)
check "  its reason says forced ($r)" grep -q 'arasVmVcpusTarget 20, forced' <<<"$r"
check "big1 maximum 48 GiB with arasVmEditForce true(1) before it" sset "$VM_ENTRY.$FORCE.$big1" i 1 "$VM_ENTRY.$T_MAX.$big1" u 50331648
check "  arasVmMemMaxTarget.big1 reads 50331648" wait_get 10 "$VM_ENTRY.$T_MAX.$big1" 50331648
refused "the force acts for its SET only: big1 vCPUs 24 alone" inconsistentValue "$VM_ENTRY.$T_VCPUS.$big1" u 24

# 6. a disk's size (arasDiskCapacityTarget, arasVmDiskTable column 27).
# The test driver reports no disk size (block.N.capacity) and implements
# neither virDomainBlockResize nor virStorageVolResize: the grow itself,
# and the refusal of a shrink (wrongValue), are test_engine's disk_edit and
# the lab's (S10: the guest sees the new size); here, the column and the
# refusals that need no size.
DISK=$BASE_OID.1.8.1
vda=3.118.100.97 sda=3.115.100.97
is "arasDiskCapacityTarget.big1.vda reads arasDiskCapacity (0 here)" "$(sget "$DISK.27.$big1.$vda")" 0
refused "big1's vda grown while its size is not known" inconsistentValue "$DISK.27.$big1.$vda" u 4096
refused "big1's CD-ROM grown" inconsistentValue "$DISK.27.$big1.$sda" u 4096
refused "a disk size as an INTEGER" wrongType "$DISK.27.$big1.$vda" i 4096
refused "a disk big1 does not have (vdz)" noCreation "$DISK.27.$big1.3.118.100.122" u 4096
refused "arasDiskSource is read-only" notWritable "$DISK.3.$big1.$vda" s /tmp/x
refused "a disk edit beside a vCPU edit that fails: the whole PDU" inconsistentValue \
	"$VM_ENTRY.$T_VCPUS.$big1" u 3 "$DISK.27.$big1.$vda" u 4096

# 7. a shut-off VM: its definition
is "idle2 is shutdown(11)" "$(col 39 "$idle2")" 11
edit "idle2 (shut off) memory -> 2 GiB" "$idle2" idle2 $T_MEM 2097152 $MEMCUR 2097152 2
edit "idle2 (shut off) vCPUs -> 2" "$idle2" idle2 $T_VCPUS 2 $VCPUS 2 1
exit 0
