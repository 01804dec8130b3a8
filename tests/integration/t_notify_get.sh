#!/bin/bash
# Issue 21: a notification's varbinds equal the GET of the same instances.
# Every NOTIFICATION-TYPE of ARAS-MIB is triggered through the real path
# (arasd on libvirt's test driver, a real snmpd master over AgentX,
# snmptrapd receiving); then, for each received notification, every varbind
# but sysUpTime.0 and snmpTrapOID.0 (all the others are row columns or
# arasStatus scalars) is fetched with snmpget from the agent and must print
# the same (type and value, as net-snmp prints them on both sides).
#
# The rows compared are stable by construction: event rows never change;
# the proposals wait (arasProposalTimeout 300 s) and no order touches their
# VMs; finished actions do not change; the down host stays down; each VM
# changes state once (s1, s2, s3) or not at all; the coalesced counters are
# read after the last state change.  Where one instance has several
# notifications of a type (a host up then down), the last one is compared.
T_NAME=notify_get
. "$(dirname "$0")/../lib.sh"

# delta: three VMs for the life-cycle notifications (2 vCPUs, half their
# memory in use: 50 % CPU and memory on the test driver, under every
# threshold, so no alert or proposal is made for them that a command would
# supersede)
{
	echo "<node><cpu><mhz>2400</mhz><model>x86_64</model><active>16</active><nodes>1</nodes><sockets>2</sockets><cores>4</cores><threads>2</threads></cpu><memory>33554432</memory>"
	for i in 1 2 3; do
		printf "<domain type='test'><name>s%d</name><uuid>5e000000-0000-4000-8000-00000000000%d</uuid><memory>1048576</memory><currentMemory>524288</currentMemory><vcpu current='2'>2</vcpu><os><type>hvm</type></os></domain>\n" "$i" "$i"
	done
	echo "</node>"
} >"$T/hostD.xml"
# gamma's URI names no file: down from the start (arasHostStateChange)
HOSTS_CONF=("host alpha $(fixture hostA.xml) 1" "host beta $(fixture hostB.xml) 2"
	"host gamma test://$T/nohost.xml 3" "host delta test://$T/hostD.xml 4")
write_arasd_conf "stateFile $T/state" "holdTime 2" "clearMargin 5" "cooldown 600" \
	"actions trap,allocate" "policy semiAutomatic" "proposalTimeout 300"
t0=$SECONDS
start_snmpd || { not_ok "snmpd starts"; exit 1; }
start_trapd
start_arasd || { not_ok "arasd attaches to the master"; exit 1; }
wait_polls 6 # every host polled twice: rates are known

GRP=$BASE_OID.1.7.1
web1=$(uuid_oid 6a2e7c0e-1f3b-4b4e-9a51-0000000000a1)
db1=$(uuid_oid 0f4c1d2e-8b7a-4c3d-8e2f-0000000000a2)
cache1=$(uuid_oid c3b2a190-5d4e-4f60-a7b8-0000000000a3)
app1=$(uuid_oid 9e8d7c6b-5a49-4382-9170-0000000000b1)
batch1=$(uuid_oid 2b3c4d5e-6f70-4182-93a4-0000000000b2)
s1=$(uuid_oid 5e000000-0000-4000-8000-000000000001)
s2=$(uuid_oid 5e000000-0000-4000-8000-000000000002)
s3=$(uuid_oid 5e000000-0000-4000-8000-000000000003)

# the received notifications of type N (arasNotifications.N)
traps_of() { grep -P "^TRAP .*\t\\.1\\.3\\.6\\.1\\.6\\.3\\.1\\.1\\.4\\.1\\.0 = OID: \\Q$NOTIFY_OID.$1\\E\t" "$T/traps.log"; }
has_trap() { traps_of "$1" | grep -qF -- "${2:-}"; }
n_traps() { traps_of "$1" | grep -c .; }

# 1. arasHostStateChange (3): gamma is down from the first poll
check "arasHostStateChange for gamma" wait_for 10 has_trap 3 '"gamma"'

# 2. arasSlaBreach (1) and arasNoTarget (7): cache1 (memory 50 % of its
#    maximum, host view) over its own 45 %: a balloon would not help, no
#    host would either; arasActionProposed (6): app1 (2 of 4 vCPUs, 50 %)
#    over its own 45 % -> an addVcpu proposal that waits;
#    arasRuleViolated (10): web1 and db1 (both on alpha) in one
#    antiAffinity group; arasActionFailed (5): batch1 ordered to alpha
#    (the test driver cannot migrate)
check "cache1 arasVmThrMem 45, app1 arasVmThrCpu 45" sset "$VM_ENTRY.28.$cache1" u 45 "$VM_ENTRY.27.$app1" u 45
check "group db (antiAffinity) created" sset "$GRP.2.2.100.98" i 1 "$GRP.6.2.100.98" i 4
check "web1 and db1 join db" sset "$VM_ENTRY.45.$web1" s db "$VM_ENTRY.45.$db1" s db
check "batch1 ordered to alpha" sset "$VM_ENTRY.31.$batch1" u 1
check "arasSlaBreach for cache1" wait_for 15 has_trap 1 '"cache1"'
check "arasNoTarget for cache1" wait_for 15 has_trap 7 '"cache1"'
check "arasActionProposed for app1" wait_for 15 has_trap 6 '"app1"'
check "arasRuleViolated for db" wait_for 15 has_trap 10 '"db"'
check "arasActionFailed for batch1" wait_for 15 has_trap 5 '"batch1"'

# 3. arasSlaClear (2): cache1 back to the global threshold
check "cache1 arasVmThrMem 0 (the global 90 %)" sset "$VM_ENTRY.28.$cache1" u 0
check "arasSlaClear for cache1" wait_for 15 has_trap 2 '"cache1"'

# 4. arasActionDone (4) and arasVmStateChange (8): suspend s1
check "suspend s1" sset "$VM_ENTRY.43.$s1" i 7
check "arasActionDone for s1" wait_for 10 has_trap 4 '"s1"'
check "arasVmStateChange for s1" wait_for 10 has_trap 8 '"s1"'

# 5. arasVmStateChangesCoalesced (9): at most 1 state notification per
#    10 s window, two changes in one PDU: the summary when the window ends
check "arasStateNotifyLimit 1" sset "$CONFIG_OID.22.0" u 1
check "suspend s2 and s3 in one PDU" sset "$VM_ENTRY.43.$s2" i 7 "$VM_ENTRY.43.$s3" i 7
check "s2 and s3 paused" wait_for 10 sh -c "[ \"\$(snmpget -v2c -c public -Oqv $AGENT $VM_ENTRY.39.$s2 $VM_ENTRY.39.$s3 | tr '\n' ' ')\" = '8 8 ' ]"
check "arasVmStateChangesCoalesced when the window ends" wait_for 15 has_trap 9
sleep 1 # the last notifications of the step reach snmptrapd

# compare LINE: each varbind of the received notification LINE (a tab
# between varbinds, -On) but the first two equals the GET of its OID now;
# prints the differences
compare() {
	local -a vbs oids gets
	local i
	IFS=$'\t' read -r -a vbs <<<"${1#TRAP }"
	vbs=("${vbs[@]:2}")
	for i in "${!vbs[@]}"; do
		vbs[i]=$(sed 's/[[:space:]]*$//' <<<"${vbs[i]}")
		oids[i]=${vbs[i]%% = *}
	done
	mapfile -t gets < <(snmpget -v2c -c public -t 2 -r 1 -On "$AGENT" "${oids[@]}" 2>&1 | sed 's/[[:space:]]*$//')
	[ "${#gets[@]}" = "${#vbs[@]}" ] || { echo "GET answered ${#gets[@]} lines for ${#vbs[@]} varbinds: ${gets[*]}"; return; }
	for i in "${!vbs[@]}"; do
		[ "${vbs[i]}" = "${gets[i]}" ] || echo "trap '${vbs[i]}' GET '${gets[i]}'"
	done
}

# 6. each type: the last notification of each instance (its first
#    varbind's OID) against the GET
names=(- arasSlaBreach arasSlaClear arasHostStateChange arasActionDone arasActionFailed
	arasActionProposed arasNoTarget arasVmStateChange arasVmStateChangesCoalesced arasRuleViolated)
total=0
for n in $(seq 1 10); do
	lines=$(traps_of "$n" | tac | awk -F'\t' '!seen[substr($3, 1, index($3, " = "))]++')
	k=$(grep -c . <<<"$lines")
	diffs=
	while IFS= read -r l; do
		[ -n "$l" ] && diffs+=$(compare "$l")
	done <<<"$lines"
	nvb=$(awk -F'\t' '{ n += NF - 2 } END { print n + 0 }' <<<"$lines")
	total=$((total + nvb))
	if [ "$k" -gt 0 ] && [ -z "$diffs" ]; then
		ok "${names[n]} ($n): $k received (of $(n_traps "$n")), $nvb varbinds equal their GET"
	else
		not_ok "${names[n]} ($n): $k received, varbinds equal their GET: ${diffs:-none received}"
	fi
done
echo "# $total varbinds compared; $((SECONDS - t0)) s"
exit 0
