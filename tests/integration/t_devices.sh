#!/bin/bash
# Per-device tables (issue 23) on the test driver: every identity column of
# arasVmDiskTable, arasVmNicTable and arasVmVcpuTable read back against the
# domain XML (virsh dumpxml, parsed by tests/integration/devices-expect.py),
# walk order, GET of present and absent instances, and the same indexes
# after arasd restarts.  The test driver's bulk call returns no block,
# interface or vCPU groups: the figures are checked in the lab.
T_NAME=devices
. "$(dirname "$0")/../lib.sh"

DISK=$BASE_OID.1.8.1
NIC=$BASE_OID.1.9.1
VCPU=$BASE_OID.1.10.1
cp "$TOP/tests/fixtures/devices/node.xml" "$T/node.xml"
URI="test://$T/node.xml"
HOSTS_CONF=("host lab $URI 1")
# a state file of its own (the default /var/lib/arasd/state is shared with whatever else runs)
write_arasd_conf "stateFile $T/state"
start_snmpd || { not_ok "snmpd starts"; exit 1; }
start_arasd || { not_ok "arasd attaches to the master"; exit 1; }
U1=5d1c0a7e-23aa-4c11-8e00-0000000000d1
U2=5d1c0a7e-23aa-4c11-8e00-0000000000d2
check "store1's disk vda is listed" wait_get 15 "$DISK.2.$(uuid_oid $U1).3.118.100.97" '"vda"'

# what the XML says, read by another parser
args=()
for u in $(virsh -q -c "$URI" list --all --uuid); do
	virsh -c "$URI" dumpxml "$u" >"$T/$u.xml"
	args+=("$u" "$T/$u.xml")
done
is "the fixture has 2 VMs" "$((${#args[@]} / 2))" 2
python3 "$TOP/tests/integration/devices-expect.py" "$BASE_OID" "${args[@]}" >"$T/want"
is "the XML lists 5 disks, 4 interfaces, 5 vCPUs" \
	"$(grep -c "^$DISK\.2\." "$T/want") $(grep -c "^$NIC\.2\." "$T/want") $(grep -c "^$VCPU\.7\." "$T/want")" "5 4 5"

# walk the identity columns the expectation names; one line per instance, nothing more
got() {
	for t in "$DISK" "$NIC" "$VCPU"; do
		for c in $(grep "^$t\." "$T/want" | sed "s|^$t\.\([0-9]*\)\..*|\1|" | sort -un); do
			swalk "$t.$c"
		done
	done | sed 's/ *$//' | sort
}
got >"$T/got"
for what in "$DISK.2 disk target" "$DISK.3 disk source" "$DISK.4 disk bus" "$DISK.5 disk source type" \
	"$DISK.6 disk media" "$DISK.7 disk read-only" "$DISK.25 disk stats valid false" "$DISK.26 disk VM name" \
	"$NIC.2 interface target" "$NIC.3 interface MAC" "$NIC.4 interface type" \
	"$NIC.5 interface network or bridge" "$NIC.6 interface model" "$NIC.19 interface stats valid false" \
	"$NIC.20 interface VM name" \
	"$VCPU.7 vCPU cpuset (vcpupin)" "$VCPU.8 vCPU stats valid false"; do
	set -- $what
	col=$1
	shift
	is "$* of every row = the domain XML" "$(grep "^$col\." "$T/got" | md5sum)" "$(grep "^$col\." "$T/want" | md5sum)"
done
# a few by hand, so the expectation script is checked too
i1=$(uuid_oid $U1)
is "store1 sdb: source /dev/vg0/store1-data" "$(sget "$DISK.3.$i1.3.115.100.98")" '"/dev/vg0/store1-data"'
is "store1 hdc: cdrom(2), read-only true(1)" "$(sget "$DISK.6.$i1.3.104.100.99" "$DISK.7.$i1.3.104.100.99" | tr '\n' ' ')" "2 1 "
is "store1 vCPU 1 pinned to 2, vCPU 2 on the VM's cpuset 0-3" "$(sget "$VCPU.7.$i1.1" "$VCPU.7.$i1.2" | tr '\n' ' ')" '"2" "0-3" '
check "store1 has no vCPU 3 (current 3 of 4)" sh -c "snmpget -v2c -c public -Oqv $AGENT $VCPU.7.$i1.3 | grep -q 'No Such Instance'"
is "edge2 tap-d2: ethernet, no network, rtl8139" \
	"$(sget "$NIC.4.$(uuid_oid $U2).6.116.97.112.45.100.50" "$NIC.5.$(uuid_oid $U2).6.116.97.112.45.100.50" "$NIC.6.$(uuid_oid $U2).6.116.97.112.45.100.50" | tr '\n' ' ')" \
	'"ethernet" "" "rtl8139" '
# figures are present and 0 without the hypervisor's stats
is "store1 vda: read bytes, usage, capacity 0 on the test driver" \
	"$(sget "$DISK.8.$i1.3.118.100.97" "$DISK.24.$i1.3.118.100.97" "$DISK.21.$i1.3.118.100.97" | tr '\n' ' ')" "0 0 0 "

# GET: the index column is not-accessible, an unknown target has no instance
check "GET of arasDiskKey: noSuchObject" sh -c "snmpget -v2c -c public -Oqv $AGENT $DISK.1.$i1.3.118.100.97 | grep -q 'No Such Object'"
check "GET of target vdz: noSuchInstance" sh -c "snmpget -v2c -c public -Oqv $AGENT $DISK.2.$i1.3.118.100.122 | grep -q 'No Such Instance'"
check "GET of a VM that does not exist: noSuchInstance" \
	sh -c "snmpget -v2c -c public -Oqv $AGENT $NIC.2.$(uuid_oid 00000000-0000-4000-8000-000000000000).8.116.101.115.116.110.101.116.48 | grep -q 'No Such Instance'"
out=$(sset "$DISK.3.$i1.3.118.100.97" s /tmp/x 2>&1)
check "SET of arasDiskSource: notWritable" grep -q notWritable <<<"$out"

# check_arasd --disk / --nic (plugins/check_arasd) on the same rows
plug() { "$TOP/plugins/check_arasd" -H 127.0.0.1 -p "$SNMP_PORT" "$@"; }
out=$(plug --vm store1 --disk sdb -w 80 -c 90)
is "check_arasd --vm store1 --disk sdb: OK, no figures on the test driver (exit $?)" "$out" \
	"ARASD OK - VM store1 disk sdb (/dev/vg0/store1-data): usage n/a (the hypervisor reports no figures) | "
out=$(plug --uuid $U2 --nic tap-d2)
is "check_arasd --uuid (edge2) --nic tap-d2: OK, no figures (exit $?)" "$out" \
	"ARASD OK - VM edge2 interface tap-d2: errors n/a (the hypervisor reports no figures) | "
out=$(plug --vm store1 --nic testnet1)
check "check_arasd --vm store1 --nic testnet1: OK on network br-store (exit $?)" grep -q "^ARASD OK - VM store1 interface testnet1 on br-store:" <<<"$out"
out=$(plug --vm store1 --disk vdz)
is "check_arasd --disk vdz: UNKNOWN, no such disk (exit $?)" "$out" "ARASD UNKNOWN - VM store1 has no disk 'vdz'"
out=$(plug --vm edge2 --nic testnet9)
is "check_arasd --nic testnet9: UNKNOWN, no such interface (exit $?)" "$out" "ARASD UNKNOWN - VM edge2 has no interface 'testnet9'"
plug --alerts --disk vda >/dev/null
is "check_arasd --alerts --disk: UNKNOWN (bad options)" "$?" 3
plug --vm store1 --disk vda --nic testnet0 >/dev/null
is "check_arasd --disk with --nic: UNKNOWN (bad options)" "$?" 3

# walk order, GETNEXT and GETBULK the same, across the three tables
order_ok() {
	awk '{print $1}' | sed 's/^\.//' | python3 -c '
import sys
prev = None
for line in sys.stdin:
    cur = [int(x) for x in line.strip().split(".")]
    if prev is not None and not cur > prev:
        sys.exit(1)
    prev = cur
'
}
full=$(swalk "$BASE_OID.1.8"; swalk "$BASE_OID.1.9"; swalk "$BASE_OID.1.10")
check "the three tables walk in strictly increasing order" order_ok <<<"$full"
is "disk table: 26 columns x 5 disks" "$(grep -c "^$DISK\." <<<"$full")" 130
is "interface table: 19 columns x 4 interfaces" "$(grep -c "^$NIC\." <<<"$full")" 76
is "vCPU table: 7 columns x 5 vCPUs" "$(grep -c "^$VCPU\." <<<"$full")" 35
bulk=$(sbulk "$BASE_OID.1")
is "GETBULK over arasObjects returns the same device rows as the walks" \
	"$(grep -E "^$BASE_OID\.1\.(8|9|10)\." <<<"$bulk" | awk '{print $1}' | md5sum)" "$(awk '{print $1}' <<<"$full" | md5sum)"
check "GETNEXT past the last disk row is the first interface row" \
	sh -c "snmpgetnext -v2c -c public -On $AGENT $DISK.27.255 | grep -q '^$NIC.2.$i1.'"
check "GETNEXT past the last vCPU row leaves ARAS-MIB's objects" \
	sh -c "! snmpgetnext -v2c -c public -On $AGENT $VCPU.8.255 | grep -q '^$BASE_OID.1\.'"

# the same indexes after arasd restarts
swalk "$BASE_OID.1.8.1.2" | awk '{print $1}' >"$T/idx1"
swalk "$BASE_OID.1.9.1.2" | awk '{print $1}' >>"$T/idx1"
swalk "$BASE_OID.1.10.1.2" | awk '{print $1}' >>"$T/idx1"
kill "$ARASD_PID"
wait "$ARASD_PID" 2>/dev/null
check "arasd restarts" start_arasd
check "store1's disk vda is listed again" wait_get 15 "$DISK.2.$i1.3.118.100.97" '"vda"'
swalk "$BASE_OID.1.8.1.2" | awk '{print $1}' >"$T/idx2"
swalk "$BASE_OID.1.9.1.2" | awk '{print $1}' >>"$T/idx2"
swalk "$BASE_OID.1.10.1.2" | awk '{print $1}' >>"$T/idx2"
is "14 device rows before the restart" "$(wc -l <"$T/idx1")" 14
is "the same 14 indexes after it" "$(md5sum <"$T/idx2")" "$(md5sum <"$T/idx1")"
got >"$T/got2"
is "every identity column the same after it" "$(md5sum <"$T/got2")" "$(md5sum <"$T/want")"
exit $((T_FAILS > 0))
