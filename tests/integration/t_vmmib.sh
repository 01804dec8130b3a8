#!/bin/bash
# RFC 7666 VM-MIB (issue 23 item 2), numeric OIDs (no VM-MIB file needed):
# each host's VM-MIB in its own context (SNMPv3 -n NAME and a v2c community
# mapped to the context by com2sec -Cn, as conf/snmpd-arasd.conf shows), the
# default context for vmMibLocalHost; every vmTable column's type and value
# against virsh on the same test-driver XML (libvirt's test driver is per
# process: the fixture file is the shared truth); the device tables against
# the domain XML's <disk>, <interface> elements; vmIndex the same after a
# restart; per-VM and bulk notifications at snmptrapd; the two switches
# writable, persisted, bad values refused with nothing changed.
T_NAME=vmmib
. "$(dirname "$0")/../lib.sh"

VM=.1.3.6.1.2.1.236
OBJ=$VM.1
VMT=$OBJ.4.1
{
	echo "<node><cpu><mhz>2400</mhz><model>x86_64</model><active>4</active><nodes>1</nodes><sockets>1</sockets><cores>4</cores><threads>1</threads></cpu><memory>33554432</memory>"
	# s1: two disks (file / block, virtio / scsi) and two interfaces; s2: a
	# read-only cdrom and one interface with no model; s3: no device
	dev1="<disk type='file' device='disk'><source file='/var/lib/libvirt/images/s1.qcow2'/><target dev='vda' bus='virtio'/></disk>"
	dev1="$dev1<disk type='block' device='disk'><source dev='/dev/mapper/vg-s1data'/><target dev='sdb' bus='scsi'/></disk>"
	dev1="$dev1<interface type='network'><mac address='52:54:00:5e:01:01'/><source network='prod'/><model type='virtio'/></interface>"
	dev1="$dev1<interface type='bridge'><mac address='52:54:00:5e:01:02'/><source bridge='br-back'/><model type='e1000'/></interface>"
	dev2="<disk type='file' device='cdrom'><source file='/srv/iso/install.iso'/><target dev='sda' bus='sata'/><readonly/></disk>"
	dev2="$dev2<interface type='network'><mac address='52:54:00:5e:02:01'/><source network='prod'/></interface>"
	for i in 1 2 3; do
		case $i in 1) devs=$dev1 ;; 2) devs=$dev2 ;; *) devs= ;; esac
		printf "<domain type='test'><name>s%d</name><uuid>5e000000-0000-4000-8000-00000000000%d</uuid><memory>1048576</memory><currentMemory>524288</currentMemory><vcpu current='2'>2</vcpu><os><type>hvm</type></os><devices>%s</devices></domain>\n" "$i" "$i" "$devs"
	done
	echo "</node>"
} >"$T/hostD.xml"
HOSTS_CONF=("host alpha $(fixture hostA.xml) 1" "host beta $(fixture hostB.xml) 2" "host delta test://$T/hostD.xml 3")
write_snmpd_conf
cat >>"$T/snmpd.conf" <<CONF
com2sec -Cn alpha secAlpha 127.0.0.1 alphacom
com2sec -Cn beta secBeta 127.0.0.1 betacom
com2sec -Cn delta secDelta 127.0.0.1 deltacom
group grpAlpha v2c secAlpha
group grpBeta v2c secBeta
group grpDelta v2c secDelta
view vmall included .1
access grpAlpha alpha any noauth exact vmall vmall none
access grpBeta beta any noauth exact vmall vmall none
access grpDelta delta any noauth exact vmall vmall none
createUser vmuser SHA "vmpassword1" AES "vmpassword1"
group grpV3 usm vmuser
access grpV3 "" usm priv prefix vmall none none
CONF
! standalone || write_agent_conf # agentConfig exists before -n reads it
write_arasd_conf "stateFile $T/state" "vmMibLocalHost nohost"
out=$("$ARASD" -n -c "$T/arasd.conf" 2>&1)
is "-n refuses a vmMibLocalHost that is no host line" "$?" 1
check "and says so (${out//$'\n'/ })" grep -q "vmMibLocalHost nohost is not a host line" <<<"$out"
write_arasd_conf "stateFile $T/state" "vmMibLocalHost alpha" "actions trap"
out=$("$ARASD" -n -c "$T/arasd.conf" 2>&1)
is "-n accepts vmMibLocalHost alpha" "$?" 0
start_snmpd || { not_ok "snmpd starts"; exit 1; }
start_trapd
start_arasd || { not_ok "arasd attaches to the master"; exit 1; }
wait_polls 6

v3() { "$1" -v3 -l authPriv -u vmuser -a SHA -A vmpassword1 -x AES -X vmpassword1 -n "$2" -t 2 -r 1 -On "$AGENT" "$3"; }
# vwalk HOW CTX OID: numeric walk (HOW v2c: the context's community; v3: -n)
vwalk() {
	if [ "$1" = v3 ]; then v3 snmpbulkwalk "$2" "$3"; else snmpbulkwalk -v2c -c "$2com" -On -t 2 -r 1 "$AGENT" "$3"; fi
}
vget() { snmpget -v2c -c "$1com" -On -t 2 -r 1 "$AGENT" "$2"; }
uuid_hex() { echo "${1//-/}" | tr a-f A-F | sed 's/../& /g; s/ $//'; }

for host in alpha beta delta; do
	case $host in alpha) xml=$T/hostA.xml ;; beta) xml=$T/hostB.xml ;; delta) xml=$T/hostD.xml ;; esac
	uri=test://$xml
	for how in v2c v3; do
		walk=$(vwalk $how $host $OBJ)
		names=$(virsh -q -c "$uri" list --all --name | sed '/^$/d' | sort)
		is "$host ($how): vmNumber = virsh's VMs" "$(grep "^$OBJ.2.0 = " <<<"$walk")" \
			"$OBJ.2.0 = INTEGER: $(grep -c . <<<"$names")"
		is "$host ($how): vmName column = virsh list" \
			"$(grep "^$VMT.2\." <<<"$walk" | sed 's/.*STRING: "//; s/"$//' | sort)" "$names"
		hv=$(virsh -c "$uri" version | sed -n 's/^Running hypervisor: //p')
		is "$host ($how): vmHvSoftware, vmHvVersion = virsh version's hypervisor ($hv)" \
			"$(grep "^$OBJ.1.[12].0 = " <<<"$walk" | sed 's/.*STRING: "//; s/"$//' | paste -sd ' ')" "$hv"
		check "$host ($how): vmHvObjectID is an OID" grep -q "^$OBJ.1.3.0 = OID: " <<<"$walk"
		check "$host ($how): vmHvUpTime is TimeTicks" grep -q "^$OBJ.1.4.0 = Timeticks: " <<<"$walk"
		check "$host ($how): vmTableLastChange is TimeTicks" grep -q "^$OBJ.3.0 = Timeticks: " <<<"$walk"
		hvup=$(grep "^$OBJ.1.4.0 = " <<<"$walk" | sed 's/.*(\([0-9]*\)).*/\1/')
		lastch=$(grep "^$OBJ.3.0 = " <<<"$walk" | sed 's/.*(\([0-9]*\)).*/\1/')
		check "$host ($how): vmTableLastChange ($lastch) on vmHvUpTime's clock ($hvup)" test "$lastch" -le "$hvup"
		check "$host ($how): vmPerVMNotificationsEnabled true(1)" grep -q "^$OBJ.9.0 = INTEGER: 1$" <<<"$walk"
		check "$host ($how): vmBulkNotificationsEnabled true(1)" grep -q "^$OBJ.10.0 = INTEGER: 1$" <<<"$walk"
		check "$host ($how): nothing outside vmObjects' objects" \
			bash -c '! grep -v "^'"$OBJ"'\.\(1\.[1-4]\|2\|3\|9\|10\)\.0 = \|^'"$OBJ"'\.[4-8]\.1\." <<<"$1"' _ "$walk"
		[ $how = v3 ] && continue
		for name in $names; do
			uuid=$(virsh -c "$uri" domuuid "$name" | sed '/^$/d')
			info=$(virsh -c "$uri" dominfo "$name")
			x=$(grep "^$VMT.2\..* = STRING: \"$name\"$" <<<"$walk" | sed "s/^$VMT.2.\([0-9]*\) .*/\1/")
			col() { grep "^$VMT.$1.$x = " <<<"$walk" | sed "s/^[^=]*= //"; }
			is "$name: vmUUID" "$(col 3 | sed 's/ *$//')" "Hex-STRING: $(uuid_hex "$uuid")"
			# what the domain XML says (python3: one line per fact)
			dom=$(virsh -c "$uri" dumpxml "$name")
			facts=$(python3 -c '
import sys, xml.etree.ElementTree as E
d = E.fromstring(sys.stdin.read())
v = d.find("vcpu")
print("os", d.findtext("os/type", ""))
print("vcpu", v.get("current", v.text.strip()), v.text.strip(), v.get("cpuset", ""))
for k, x in enumerate(d.findall("devices/disk"), 1):
    s = x.find("source")
    src = "" if s is None else (s.get("file") or s.get("dev") or s.get("dir") or s.get("name") or s.get("volume") or "")
    print("disk", k, x.get("type", ""), x.get("device", "disk"), "ro" if x.find("readonly") is not None else "rw", src)
for k, x in enumerate(d.findall("devices/interface"), 1):
    m, mo = x.find("mac"), x.find("model")
    print("nic", k, "" if m is None else m.get("address", ""), "" if mo is None else mo.get("type", ""))
' <<<"$dom")
			# vmOSType, vmAutoStart, vmPersistent, the vCPU rows: "" / unknown(1) / none until
			# arasd read the domain XML (core/device.h's cfg.known), then the XML's and virsh's
			os=$(col 4 | sed 's/^STRING: //; s/"//g')
			read -r _ ncur nmax cpuset <<<"$(grep '^vcpu ' <<<"$facts")"
			ncpu_rows=$(grep -c "^$OBJ.5.1.2.$x\." <<<"$walk")
			naff_rows=$(grep -c "^$OBJ.6.1.3.$x\." <<<"$walk")
			hcpus=$(virsh -c "$uri" nodeinfo | awk -F': *' '/^CPU\(s\)/ {print $2}')
			if [ -z "$os" ]; then
				is "$name: XML not read: vmAutoStart unknown(1)" "$(col 7)" "INTEGER: 1"
				is "$name: XML not read: vmPersistent unknown(1)" "$(col 8)" "INTEGER: 1"
				is "$name: XML not read: no vmCpuTable rows" "$ncpu_rows" 0
				is "$name: XML not read: no vmCpuAffinityTable rows" "$naff_rows" 0
			else
				is "$name: vmOSType = <os><type>" "$os" "$(grep '^os ' <<<"$facts" | cut -c4-)"
				check "$name: vmCpuTable rows = its vCPUs ($ncpu_rows: current $ncur or maximum $nmax)" \
					test "$ncpu_rows" = "$ncur" -o "$ncpu_rows" = "$nmax"
				is "$name: vmCpuIndex 1..$ncpu_rows" \
					"$(grep "^$OBJ.5.1.2.$x\." <<<"$walk" | sed "s/^$OBJ.5.1.2.$x.\([0-9]*\) .*/\1/" | paste -sd ' ')" \
					"$(seq -s ' ' 1 "$ncpu_rows")"
				check "$name: vmCpuCoreTime Counter64" bash -c "! grep '^$OBJ.5.1.2.$x\.' <<<\"\$1\" | grep -v ' = Counter64: '" _ "$walk"
				is "$name: vmCpuAffinityTable rows = vCPUs x host CPUs ($hcpus)" "$naff_rows" $((ncpu_rows * hcpus))
				[ -n "$cpuset" ] || is "$name: no cpuset: every vmCpuAffinity enable(1)" \
					"$(grep "^$OBJ.6.1.3.$x\." <<<"$walk" | grep -vc ' = INTEGER: 1$')" 0
			fi
			st=$(awk -F': *' '/^State/ {print $2}' <<<"$info")
			case $st in running) want=4 adm=1 ;; paused) want=8 adm=3 ;; "shut off") want=11 adm=4 ;; *) want=? ;; esac
			is "$name: vmAdminState for $st" "$(col 5)" "INTEGER: $adm"
			is "$name: vmOperState for $st" "$(col 6)" "INTEGER: $want"
			per=$(awk -F': *' '/^Persistent/ {print $2}' <<<"$info")
			auto=$(awk -F': *' '/^Autostart/ {print $2}' <<<"$info")
			if [ -n "$os" ]; then
				is "$name: vmAutoStart = virsh's ($auto)" "$(col 7)" "INTEGER: $([ "$auto" = enable ] && echo 2 || echo 3)"
				is "$name: vmPersistent = virsh's ($per)" "$(col 8)" "INTEGER: $([ "$per" = yes ] && echo 2 || echo 3)"
			fi
			is "$name: vmCurCpuNumber" "$(col 9)" "INTEGER: $(awk -F': *' '/^CPU\(s\)/ {print $2}' <<<"$info")"
			is "$name: vmMinCpuNumber unknown" "$(col 10)" "INTEGER: -1"
			is "$name: vmMaxCpuNumber" "$(col 11)" "INTEGER: $(virsh -c "$uri" vcpucount "$name" --maximum --config)"
			is "$name: vmMemUnit KiB" "$(col 12)" "INTEGER: 1024"
			is "$name: vmCurMem" "$(col 13)" "INTEGER: $(awk '/^Used memory/ {print $3}' <<<"$info")"
			check "$name: vmMinMem unknown (-1) or <memtune><min_guarantee>" grep -qE "^INTEGER: (-1|[0-9]+)$" <<<"$(col 14)"
			is "$name: vmMaxMem" "$(col 15)" "INTEGER: $(awk '/^Max memory/ {print $3}' <<<"$info")"
			check "$name: vmUpTime TimeTicks" grep -q "^Timeticks: " <<<"$(col 16)"
			cpu_s=$(awk '/^CPU time/ {print $3}' <<<"$info" | tr -d s)
			us=$(col 17 | sed 's/Counter64: //')
			# the test driver's CPU time is the clock: within 60 s of virsh's, in microseconds
			check "$name: vmCpuTime Counter64 in us ($us vs virsh ${cpu_s} s)" \
				awk -v a="$us" -v b="$cpu_s" 'BEGIN { d = a / 1e6 - b; exit !(d > -60 && d < 60) }'
			# device tables against the domain's XML
			ndisk=$(grep -c '^disk ' <<<"$facts")
			nnic=$(grep -c '^nic ' <<<"$facts")
			is "$name: vmStorageTable rows = <disk> elements" \
				"$(grep -c "^$OBJ.7.1.6.$x\." <<<"$walk")" "$ndisk"
			is "$name: vmNetworkTable rows = <interface> elements" \
				"$(grep -c "^$OBJ.8.1.4.$x\." <<<"$walk")" "$nnic"
			scol() { grep "^$OBJ.7.1.$1.$x.$2 = " <<<"$walk" | sed 's/^[^=]*= //'; }
			while read -r _ k type dev ro src; do
				is "$name disk $k: vmStorageResourceID = its source" "$(scol 6 "$k")" "$([ -n "$src" ] && echo "STRING: \"$src\"" || echo '""')"
				case $type in file) st=2 ;; block) st=3 ;; network) st=6 ;; *) st=2 ;; esac
				is "$name disk $k: vmStorageSourceType ($type)" "$(scol 4 "$k")" "INTEGER: $st"
				is "$name disk $k: vmStorageSourceTypeString" "$(scol 5 "$k")" "STRING: \"$type\""
				case $dev in disk | lun) mt=3 ;; cdrom) mt=4 ;; floppy) mt=5 ;; *) mt=2 ;; esac
				is "$name disk $k: vmStorageMediaType ($dev)" "$(scol 8 "$k")" "INTEGER: $mt"
				is "$name disk $k: vmStorageMediaTypeString" "$(scol 9 "$k")" "STRING: \"$dev\""
				is "$name disk $k: vmStorageAccess ($ro)" "$(scol 7 "$k")" "INTEGER: $([ "$ro" = ro ] && echo 3 || echo 2)"
				is "$name disk $k: vmStorageParent 0" "$(scol 3 "$k")" "INTEGER: 0"
				is "$name disk $k: vmStorageSizeUnit MiB" "$(scol 10 "$k")" "INTEGER: 1048576"
				for c in 13 14 15 16 17 18; do
					check "$name disk $k: column $c Counter64" grep -q "^Counter64: " <<<"$(scol $c "$k")"
				done
			done < <(grep '^disk ' <<<"$facts")
			ncol() { grep "^$OBJ.8.1.$1.$x.$2 = " <<<"$walk" | sed 's/^[^=]*= //'; }
			while read -r _ k mac model; do
				is "$name nic $k: vmNetworkPhysAddress = its MAC" "$(ncol 5 "$k" | sed 's/^Hex-STRING: //; s/ *$//')" "$(tr a-f: A-F' ' <<<"$mac")"
				is "$name nic $k: vmNetworkIfIndex 0 (not in this IF-MIB)" "$(ncol 2 "$k")" "INTEGER: 0"
				is "$name nic $k: vmNetworkParent 0" "$(ncol 3 "$k")" "INTEGER: 0"
				is "$name nic $k: vmNetworkModel = <model type>" "$(ncol 4 "$k")" "$([ -n "$model" ] && echo "STRING: \"$model\"" || echo '""')"
			done < <(grep '^nic ' <<<"$facts")
		done
	done
done

# the default context is alpha's (vmMibLocalHost); public reads it
is "default context = alpha's vmName column" \
	"$(snmpbulkwalk -v2c -c public -On -t 2 -r 1 "$AGENT" $VMT.2 | sort)" \
	"$(vwalk v2c alpha $VMT.2 | sort)"
is "a context that is no host has no VM-MIB" "$(v3 snmpwalk nohost $OBJ 2>/dev/null | grep -c "^$OBJ")" 0
is "alpha's context answers the same user" "$(v3 snmpwalk alpha $OBJ.2 2>/dev/null)" "$OBJ.2.0 = INTEGER: 3"

# the master restarts: arasd registers VM-MIB again in every context (AgentX only)
if ! standalone; then
	kill -9 "$SNMPD_PID"
	wait "$SNMPD_PID" 2>/dev/null
	start_snmpd || not_ok "snmpd restarts"
	check "beta's context is back after the master's restart" wait_for 20 \
		bash -c "snmpget -v2c -c betacom -Oqv -t 1 -r 0 '$AGENT' $OBJ.2.0 2>/dev/null | grep -qx 2"
	is "alpha's in the default context too" "$(sget $OBJ.2.0)" 3
fi

# vmIndex: the same after a restart (kept in the state file)
before=$(for h in alpha beta delta; do vwalk v2c $h $VMT.3; done | sort)
check "the state file keeps every vmIndex" test "$(grep -c '^vmIndex ' "$T/state")" -eq 8
kill "$ARASD_PID"
wait "$ARASD_PID" 2>/dev/null
start_arasd || { not_ok "arasd restarts"; exit 1; }
wait_polls 3
after=$(for h in alpha beta delta; do vwalk v2c $h $VMT.3; done | sort)
is "vmIndex of every VM the same after a restart" "$after" "$before"

# the switches: writable, persisted, bad values refused with nothing changed
PER=$OBJ.9.0 BULK=$OBJ.10.0
set_err() {
	local d=$1 want=$2 out
	shift 2
	out=$(snmpset -v2c -c deltacom -t 2 -r 1 "$AGENT" "$@" 2>&1)
	check "$d -> $want" grep -q "Reason: $want" <<<"$out"
}
set_err "vmPerVMNotificationsEnabled 3" wrongValue $PER i 3
set_err "vmPerVMNotificationsEnabled 0" wrongValue $PER i 0
set_err "vmBulkNotificationsEnabled as OCTET STRING" wrongType $BULK s 1
set_err "vmNumber (read-only)" notWritable $OBJ.2.0 i 5
xs1=$(vwalk v2c delta $VMT.2 | grep '"s1"' | sed "s/^$VMT.2.\([0-9]*\) .*/\1/")
set_err "vmName (read-only)" notWritable $VMT.2.$xs1 s x
set_err "vmName of a VM of another context" noCreation $VMT.2.$(vwalk v2c alpha $VMT.2 | head -1 | sed "s/^$VMT.2.\([0-9]*\) .*/\1/") s x
is "vmPerVMNotificationsEnabled unchanged" "$(vget delta $PER)" "$PER = INTEGER: 1"
check "state file has no switch yet" bash -c "! grep -q NotificationsEnabled '$T/state'"
check "SET vmBulkNotificationsEnabled false(2)" snmpset -v2c -c deltacom -t 2 -r 1 "$AGENT" $BULK i 2
is "vmBulkNotificationsEnabled reads 2 in another context" "$(vget alpha $BULK)" "$BULK = INTEGER: 2"
check "persisted in the state file" grep -q "^setting vmBulkNotificationsEnabled false$" "$T/state"
kill "$ARASD_PID"
wait "$ARASD_PID" 2>/dev/null
start_arasd || { not_ok "arasd restarts"; exit 1; }
is "vmBulkNotificationsEnabled still 2 after a restart" "$(vget beta $BULK)" "$BULK = INTEGER: 2"
check "SET vmBulkNotificationsEnabled true(1)" snmpset -v2c -c deltacom -t 2 -r 1 "$AGENT" $BULK i 1
wait_polls 3

# per-VM notification: suspend s1 -> vmPaused (236.0.4) with vmName, vmUUID, vmOperState of its row
s1=$(uuid_oid 5e000000-0000-4000-8000-000000000001)
s2=$(uuid_oid 5e000000-0000-4000-8000-000000000002)
s3=$(uuid_oid 5e000000-0000-4000-8000-000000000003)
x1=$(vwalk v2c delta $VMT.2 | grep '"s1"' | sed "s/^$VMT.2.\([0-9]*\) .*/\1/")
check "suspend s1" sset "$VM_ENTRY.43.$s1" i 7
vm_trap() { grep -P "^TRAP .*\t\\.1\\.3\\.6\\.1\\.6\\.3\\.1\\.1\\.4\\.1\\.0 = OID: \\Q$VM.0.$1\\E\t" "$T/traps.log"; }
has_vm_trap() { vm_trap "$1" | grep -qF -- "${2:-}"; }
check "vmPaused for s1" wait_for 15 has_vm_trap 4 "$VMT.2.$x1 = STRING: \"s1\""
t=$(vm_trap 4 | tail -1)
check "vmPaused carries vmUUID.$x1" grep -qF "$VMT.3.$x1 = Hex-STRING: 5E 00 00 00 00 00 40 00 80 00 00 00 00 00 00 01" <<<"$t"
check "vmPaused carries vmOperState.$x1 = paused(8)" grep -qF "$VMT.6.$x1 = INTEGER: 8" <<<"$t"
is "vmOperState.$x1 reads paused(8)" "$(vget delta $VMT.6.$x1)" "$VMT.6.$x1 = INTEGER: 8"

# a storm: stateNotifyLimit 1, three resumes in one PDU -> one per-VM, the rest as vmBulkRunning
check "stateNotifyLimit 1" sset "$CONFIG_OID.22.0" u 1
check "suspend s2 and s3" sset "$VM_ENTRY.43.$s2" i 7 "$VM_ENTRY.43.$s3" i 7
wait_get 15 "$VM_ENTRY.43.$s3" 7 >/dev/null 2>&1 || true
wait_for 15 bash -c "[ \"\$(snmpget -v2c -c deltacom -Oqv '$AGENT' $VMT.6.$x1 2>/dev/null)\" = 8 ]"
sleep_until_window() { wait_for 15 has_vm_trap 14; }
check "vmBulkPaused (236.0.14) with vmAffectedVMs under the limit" sleep_until_window
check "vmBulkPaused's vmAffectedVMs.0 is a bitmap" bash -c "grep -P '\Q$VM.0.14\E\t' '$T/traps.log' | grep -qF '$OBJ.11.0 = '"

# vmPerVMNotificationsEnabled false: a change goes as the bulk form only
check "SET vmPerVMNotificationsEnabled false(2)" snmpset -v2c -c deltacom -t 2 -r 1 "$AGENT" $PER i 2
check "stateNotifyLimit 100" sset "$CONFIG_OID.22.0" u 100
n4=$(vm_trap 1 | grep -c .)
check "resume s1" sset "$VM_ENTRY.43.$s1" i 8
check "vmBulkRunning (236.0.11) for s1" wait_for 15 has_vm_trap 11
is "no vmRunning while per-VM notifications are off" "$(vm_trap 1 | grep -c .)" "$n4"
# affected N: the octets of the last vmBulk notification N's vmAffectedVMs.0, in hex
affected() {
	local l
	l=$(grep -P "\Q$VM.0.$1\E\t" "$T/traps.log" | tail -1 | grep -oP "\Q$OBJ.11.0\E = \K.*")
	case $l in
	Hex-STRING:*) echo "${l#Hex-STRING: }" | tr -d ' ' ;;
	STRING:*) l=${l#STRING: \"}; printf '%s' "${l%\"}" | od -An -tx1 | tr -d ' \n' | tr a-f A-F ;;
	esac
}
# bitmap INDEX...: VirtualMachineList with those bits (index 1 = first octet's top bit)
bitmap() {
	local max=0 i o out=
	for i; do ((i > max)) && max=$i; done
	for ((o = 0; o <= (max - 1) / 8; o++)); do
		local v=0
		for i; do (((i - 1) / 8 == o)) && v=$((v | (0x80 >> ((i - 1) % 8)))); done
		out+=$(printf %02X $v)
	done
	echo "$out"
}
xs2=$(vwalk v2c delta $VMT.2 | grep '"s2"' | sed "s/^$VMT.2.\([0-9]*\) .*/\1/")
xs3=$(vwalk v2c delta $VMT.2 | grep '"s3"' | sed "s/^$VMT.2.\([0-9]*\) .*/\1/")
is "vmBulkRunning's vmAffectedVMs = s1 (index $x1)" "$(affected 11)" "$(bitmap $x1)"
is "vmBulkPaused's vmAffectedVMs = the held one of s2, s3" \
	"$(affected 14 | grep -xE "$(bitmap $xs2)|$(bitmap $xs3)|$(bitmap $xs2 $xs3)" >/dev/null && echo yes)" yes

exit 0
