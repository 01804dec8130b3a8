#!/bin/bash
# Two test-driver hosts with different VMs: every VM appears once under the
# right host, walks are in strict OID order, and values agree with libvirt.
T_NAME=inventory
. "$(dirname "$0")/../lib.sh"

URI_A=$(fixture hostA.xml)
URI_B=$(fixture hostB.xml)
HOSTS_CONF=("host alpha $URI_A 1" "host beta $URI_B 7")
write_arasd_conf "historyFile $T/history"
start_snmpd || { not_ok "snmpd starts"; exit 1; }
start_arasd || { not_ok "arasd attaches to the master"; exit 1; }
wait_get 10 $STATUS_OID.2.0 5

# sysORTable lists arasd
check "sysORTable has the ARAS-MIB entry" sh -c "snmpwalk -v2c -c public -Oqv $AGENT .1.3.6.1.2.1.1.9.1.3 | grep -q ARAS-MIB"

# every VM once, under the right host index
declare -A want_host=()
for d in $(virsh -q -c "$URI_A" list --all --uuid); do want_host[$d]=1; done
for d in $(virsh -q -c "$URI_B" list --all --uuid); do want_host[$d]=7; done
is "fixture has 5 VMs" "${#want_host[@]}" 5
rows=$(swalk "$VM_ENTRY.3")
is "arasVmTable has one row per VM" "$(echo "$rows" | grep -c .)" "${#want_host[@]}"
for u in "${!want_host[@]}"; do
	got=$(sget "$VM_ENTRY.3.$(uuid_oid "$u")")
	is "VM $u on host ${want_host[$u]}" "$got" "${want_host[$u]}"
done

# values agree with what libvirt reports for the same fixture
for uri in "$URI_A" "$URI_B"; do
	for u in $(virsh -q -c "$uri" list --all --uuid); do
		idx=$(uuid_oid "$u")
		info=$(virsh -c "$uri" dominfo "$u")
		name=$(echo "$info" | awk -F': *' '/^Name:/{print $2}')
		vcpus=$(echo "$info" | awk -F': *' '/^CPU\(s\):/{print $2}')
		maxmem=$(echo "$info" | awk '/^Max memory:/{print $3}')
		curmem=$(echo "$info" | awk '/^Used memory:/{print $3}')
		vmax=$(virsh -c "$uri" vcpucount "$u" --maximum --live)
		is "$name: arasVmName" "$(sget "$VM_ENTRY.2.$idx")" "\"$name\""
		is "$name: arasVmVcpus" "$(sget "$VM_ENTRY.5.$idx")" "$vcpus"
		is "$name: arasVmVcpusMax" "$(sget "$VM_ENTRY.6.$idx")" "$vmax"
		is "$name: arasVmMemCurrent (KiB)" "$(sget "$VM_ENTRY.8.$idx")" "$curmem"
		is "$name: arasVmMemMax (KiB)" "$(sget "$VM_ENTRY.9.$idx")" "$maxmem"
		is "$name: arasVmMemUsage is the host view cur/max" "$(sget "$VM_ENTRY.10.$idx")" \
			"$(( (curmem * 100 + maxmem / 2) / maxmem ))"
		is "$name: arasVmMemSource host(2) on the test driver" "$(sget "$VM_ENTRY.11.$idx")" 2
		is "$name: arasVmState running" "$(sget "$VM_ENTRY.4.$idx")" 1
		# what an NMS displays and matches on: the UUID as virsh prints it
		is "$name: arasVmUuidString = virsh domuuid" "$(sget "$VM_ENTRY.33.$idx")" \
			"\"$(virsh -c "$uri" domuuid "$name")\""
		for res in 36 37 38; do
			is "$name: per-resource alert state .$res ok(1)" "$(sget "$VM_ENTRY.$res.$idx")" 1
		done
	done
done
# arasVmHostName names the host arasVmHostIndex points at
for u in "${!want_host[@]}"; do
	want=alpha; [ "${want_host[$u]}" = 7 ] && want=beta
	is "VM $u: arasVmHostName" "$(sget "$VM_ENTRY.34.$(uuid_oid "$u")")" "\"$want\""
done
# arasVmCpuTimeUs is arasVmCpuTime in microseconds (one GET, same snapshot)
read -r ns us < <(snmpget -v2c -c public -Oqv "$AGENT" "$VM_ENTRY.32.$(uuid_oid 6a2e7c0e-1f3b-4b4e-9a51-0000000000a1)" \
	"$VM_ENTRY.35.$(uuid_oid 6a2e7c0e-1f3b-4b4e-9a51-0000000000a1)" | tr '\n' ' ')
check "arasVmCpuTimeUs ($us) = arasVmCpuTime ($ns) / 1000, nonzero" test "$us" -gt 0 -a "$us" = "$((ns / 1000))"
# aggregates: nothing alerting, no host down, nothing running or waiting
for st in 13 14 15 16 17 18 19 20 21; do
	is "arasStatus.$st aggregate is 0 on a quiet cluster" "$(sget "$STATUS_OID.$st.0")" 0
done
for h in "1 $URI_A alpha" "7 $URI_B beta"; do
	set -- $h
	ni=$(virsh -c "$2" nodeinfo)
	is "host $3: arasHostName" "$(sget "$HOST_ENTRY.2.$1")" "\"$3\""
	is "host $3: arasHostCpus" "$(sget "$HOST_ENTRY.5.$1")" "$(echo "$ni" | awk -F': *' '/^CPU\(s\)/{print $2}')"
	is "host $3: arasHostMemTotal" "$(sget "$HOST_ENTRY.7.$1")" "$(echo "$ni" | awk '/^Memory size/{print $3}')"
	is "host $3: arasHostState up" "$(sget "$HOST_ENTRY.4.$1")" 1
	is "host $3: arasHostVmCount" "$(sget "$HOST_ENTRY.11.$1")" "$(virsh -q -c "$2" list --all --name | grep -c .)"
done
# host free memory is estimated (test driver has no node memory stats):
# total minus the running VMs' current memory
sum=0
for u in $(virsh -q -c "$URI_A" list --uuid); do
	sum=$((sum + $(virsh -c "$URI_A" dominfo "$u" | awk '/^Used memory:/{print $3}')))
done
total=$(sget "$HOST_ENTRY.7.1")
is "host alpha: arasHostMemFree = total - running VMs" "$(sget "$HOST_ENTRY.8.1")" $((total - sum))

# CPU usage from CPU-time deltas: the test driver's CPU time runs with the
# wall clock, i.e. one host CPU per VM, so a 2-vCPU VM shows 50 %.
web1=$(uuid_oid 6a2e7c0e-1f3b-4b4e-9a51-0000000000a1)
wait_for 5 sh -c "[ \"\$(snmpget -v2c -c public -Oqv $AGENT $VM_ENTRY.7.$web1)\" -gt 0 ]"
cpu=$(sget "$VM_ENTRY.7.$web1")
check "web1 arasVmCpuUsage ~50 % (got $cpu)" test "$cpu" -ge 45 -a "$cpu" -le 55

# walk order strictly increasing, with GETNEXT and GETBULK
order_ok() {
	awk '{print $1}' | sed 's/^\.//' | python3 -c '
import sys
prev = None
for line in sys.stdin:
    cur = [int(x) for x in line.strip().split(".")]
    if prev is not None and not cur > prev:
        print("out of order:", prev, cur); sys.exit(1)
    prev = cur
'
}
full=$(swalk "$BASE_OID")
check "snmpwalk of ARAS-MIB is strictly increasing" order_ok <<<"$full"
bulk=$(sbulk "$BASE_OID")
check "snmpbulkwalk of ARAS-MIB is strictly increasing" order_ok <<<"$bulk"
is "GETBULK and GETNEXT walks return the same OIDs" "$(awk '{print $1}' <<<"$bulk" | md5sum)" "$(awk '{print $1}' <<<"$full" | md5sum)"
is "arasVmTable has 47 columns x 5 rows (2..49; arasVmCpuSteal is absent on the test driver)" "$(grep -c "^$VM_ENTRY\." <<<"$full")" 235

# historyFile: one line per VM per poll, the format arasd-replay reads
check "history has lines for all 5 VMs" sh -c "[ \$(grep -v '^#' $T/history | awk '{print \$3}' | sort -u | wc -l) = 5 ]"
check "history lines have 8 fields: T HOST UUID CPU VCPUS MEMKIB MEM% IO%" \
	sh -c "grep -v '^#' $T/history | awk 'NF != 8 {bad=1} END {exit bad}'"
check "history: web1 on host 1 with 2 vCPUs and 2097152 KiB" \
	grep -qE "^[0-9]+ 1 6a2e7c0e-1f3b-4b4e-9a51-0000000000a1 [0-9]+ 2 2097152 50 0$" "$T/history"

# the MIB file resolves what arasd serves
erl=$(ls -d /usr/lib/erlang/lib/snmp-*/mibs | head -1)
name=$(snmptranslate -M "$TOP/mib:$erl:/usr/share/snmp/mibs" -m ARAS-MIB "$VM_ENTRY.24" 2>/dev/null)
is "snmptranslate names arasVmClass" "$name" "ARAS-MIB::arasVmClass"
exit 0
