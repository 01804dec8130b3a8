#!/bin/bash
# The allocation controller on libvirt's test driver (which supports vCPU
# and memory changes, not migration): automatic adds one vCPU / grows the
# balloon, semiAutomatic proposes and waits for snmpset approval, rejected
# and expired proposals never run, manual does nothing by itself, operator
# orders (arasVmMigrateTo, arasHostMaintenance) and their error codes.
T_NAME=alloc
. "$(dirname "$0")/../lib.sh"

HOSTS_CONF=("host alpha $(fixture hostA.xml) 1" "host beta $(fixture hostB.xml) 2")
write_arasd_conf "stateFile $T/state" "holdTime 2" "clearMargin 5" "cooldown 600" \
	"actions trap,allocate" "policy automatic" "proposalTimeout 10"
start_snmpd || { not_ok "snmpd starts"; exit 1; }
start_trapd
start_arasd || { not_ok "arasd attaches to the master"; exit 1; }
wait_polls 4 # both hosts polled twice: rates are known

ACT=$BASE_OID.1.6.1
web1=$(uuid_oid 6a2e7c0e-1f3b-4b4e-9a51-0000000000a1)
db1=$(uuid_oid 0f4c1d2e-8b7a-4c3d-8e2f-0000000000a2)
cache1=$(uuid_oid c3b2a190-5d4e-4f60-a7b8-0000000000a3)
app1=$(uuid_oid 9e8d7c6b-5a49-4382-9170-0000000000b1)
batch1=$(uuid_oid 2b3c4d5e-6f70-4182-93a4-0000000000b2)
# actions of a VM: "index kind state" lines
actions_of() {
	local name=$1 idx
	for idx in $(swalk "$ACT.3" | grep -F "\"$name\"" | sed "s/^$ACT.3.\([0-9]*\) .*/\1/"); do
		echo "$idx $(sget "$ACT.4.$idx") $(sget "$ACT.7.$idx")"
	done
}
traps_of() { grep -F "OID: $NOTIFY_OID.$1" "$T/traps.log" | grep -cF "\"$2\""; }

# 1. automatic: web1 (2 of 4 vCPUs, 50 %) over its own 45 % -> one vCPU
is "web1 starts with 2 vCPUs" "$(sget "$VM_ENTRY.5.$web1")" 2
sset "$VM_ENTRY.27.$web1" u 45 >/dev/null
check "web1 gets a third vCPU (arasVmVcpus, read back from libvirt)" wait_get 15 $VM_ENTRY.5.$web1 3
check "arasActionDone for web1" wait_for 5 sh -c "grep -F 'OID: $NOTIFY_OID.4' $T/traps.log | grep -qF '\"web1\"'"
read -r idx kind state <<<"$(actions_of web1 | head -1)"
is "action kind addVcpu(1)" "$kind" 1
is "action state succeeded(5)" "$state" 5
check "reason gives numbers" sh -c "snmpget -v2c -c public -Oqv $AGENT $ACT.8.$idx | grep -q 'cpu 50% >= 45%; host alpha cpu [0-9]*% < 80%: vCPUs 2 -> 3 of 4'"
is "origin controller(1)" "$(sget "$ACT.12.$idx")" 1
check "web1 cpu falls to ~33 % and the alert clears" wait_for 10 \
	sh -c "grep -F 'OID: $NOTIFY_OID.2' $T/traps.log | grep -qF '\"web1\"'"
wait_polls 4 # two more polls (and rounds) of each host
is "exactly one action for web1" "$(actions_of web1 | wc -l)" 1
is "still 3 vCPUs" "$(sget "$VM_ENTRY.5.$web1")" 3
check "event log records the action" sh -c "snmpwalk -v2c -c public -Oqv $AGENT $BASE_OID.1.5.1.10 | grep -q 'addVcpu succeeded'"

# memory: cache1 (50 % of max, host view: the test driver has no balloon
# statistics) over its own 45 % -> an alert, but no balloon growth: host-view
# usage is current/max, which a bigger balloon would only raise
sset "$VM_ENTRY.28.$cache1" u 45 >/dev/null
check "cache1: arasNoTarget explains the host view" wait_for 15 \
	sh -c "grep -F 'OID: $NOTIFY_OID.7' $T/traps.log | grep -F '\"cache1\"' | grep -q 'host view'"
is "cache1: no action, balloon unchanged" "$(actions_of cache1 | wc -l) $(sget "$VM_ENTRY.8.$cache1")" "0 1048576"
sset "$VM_ENTRY.28.$cache1" u 0 >/dev/null

# 2. semiAutomatic: a proposal appears, nothing changes until approved
sset "$CONFIG_OID.1.0" i 2 >/dev/null
sset "$VM_ENTRY.27.$app1" u 45 >/dev/null
check "a proposal for app1 appears" wait_for 15 sh -c "snmpwalk -v2c -c public -On $AGENT $ACT.3 | grep -qF '\"app1\"'"
read -r pidx kind state <<<"$(actions_of app1 | head -1)"
is "proposal is addVcpu, proposed(1)" "$kind $state" "1 1"
check "arasActionProposed sent" wait_for 5 sh -c "[ \$(grep -F 'OID: $NOTIFY_OID.6' $T/traps.log | grep -cF '\"app1\"') -ge 1 ]"
is "arasProposalsWaiting counts it" "$(sget "$STATUS_OID.21.0")" 1
is "arasActionVmUuidString of the proposal" "$(sget "$ACT.13.$pidx")" "\"$(sget "$VM_ENTRY.33.$app1" | tr -d '"')\""
check "arasActionProposed carries the UUID string" sh -c "grep -F 'OID: $NOTIFY_OID.6' $T/traps.log | grep -F '\"app1\"' | grep -qE '$ACT.13.[0-9]+ = STRING: \"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\"'"
wait_polls 4 # two more polls (and rounds) of each host
is "nothing changed before approval" "$(sget "$VM_ENTRY.5.$app1")" 2
is "still one proposal for app1" "$(actions_of app1 | wc -l)" 1
out=$(sset "$ACT.7.$pidx" i 4 2>&1)
check "setting state running(4) -> wrongValue" grep -q "Reason: wrongValue" <<<"$out"
out=$(sset "$ACT.7.99999" i 2 2>&1)
check "approving an unknown action -> noCreation" grep -q "Reason: noCreation" <<<"$out"
out=$(sset "$ACT.7.$pidx" u 2 2>&1)
check "approval with the wrong type -> wrongType" grep -q "Reason: wrongType" <<<"$out"
check "approve by snmpset" sset "$ACT.7.$pidx" i 2
check "app1 gets its vCPU after approval" wait_get 10 $VM_ENTRY.5.$app1 3
check "approved action succeeded(5)" wait_get 5 $ACT.7.$pidx 5
out=$(sset "$ACT.7.$pidx" i 3 2>&1)
check "rejecting a finished action -> inconsistentValue" grep -q "Reason: inconsistentValue" <<<"$out"

# rejected: batch1 (3 of 4 vCPUs, 33 %) over 30 %
sset "$VM_ENTRY.27.$batch1" u 30 >/dev/null
check "a proposal for batch1 appears" wait_for 15 sh -c "snmpwalk -v2c -c public -On $AGENT $ACT.3 | grep -qF '\"batch1\"'"
read -r ridx kind state <<<"$(actions_of batch1 | head -1)"
check "reject by snmpset" sset "$ACT.7.$ridx" i 3
wait_polls 4 # two more polls (and rounds) of each host
is "rejected(3)" "$(sget "$ACT.7.$ridx")" 3
is "batch1 unchanged after the rejection" "$(sget "$VM_ENTRY.5.$batch1")" 3

# expired, and manual: db1 (4 of 8 vCPUs, 25 %) over 20 % -> a proposal; then
# manual mode: nobody approves, it expires, and nothing new is proposed
sset "$VM_ENTRY.27.$db1" u 20 >/dev/null
check "a proposal for db1 appears" wait_for 15 sh -c "snmpwalk -v2c -c public -On $AGENT $ACT.3 | grep -qF '\"db1\"'"
read -r eidx kind state <<<"$(actions_of db1 | head -1)"
is "db1 proposal is addVcpu, proposed(1)" "$kind $state" "1 1"
sset "$CONFIG_OID.1.0" i 1 >/dev/null
check "the proposal expires after proposalTimeout (10 s)" wait_get 20 $ACT.7.$eidx 7
out=$(sset "$ACT.7.$eidx" i 2 2>&1)
check "approving an expired proposal -> inconsistentValue" grep -q "Reason: inconsistentValue" <<<"$out"
wait_polls 4 # two more polls (and rounds) of each host
is "manual: db1 still breaching, no new action for it" "$(actions_of db1 | wc -l)" 1
is "manual: db1 vCPUs unchanged" "$(sget "$VM_ENTRY.5.$db1")" 4
check "db1's alert is firing all along" sh -c "[ \"\$(snmpget -v2c -c public -Oqv $AGENT $VM_ENTRY.25.$db1)\" = 3 ]"

# at its maximum (cache1, 2 of 2 vCPUs) on a host with room: a move would give
# it no more CPU: one notice (arasNoTarget), no action, also in automatic mode
# (the others' overrides go back to the global 90 %; cooldown 0 to show
# that it is the rule, not a cooldown, that holds cache1 back)
sset "$VM_ENTRY.27.$db1" u 0 "$VM_ENTRY.27.$batch1" u 0 >/dev/null
sset "$CONFIG_OID.12.0" u 0 "$CONFIG_OID.1.0" i 3 >/dev/null
sset "$VM_ENTRY.27.$cache1" u 45 >/dev/null
check "arasNoTarget for cache1 says why" wait_for 15 \
	sh -c "grep -F 'OID: $NOTIFY_OID.7' $T/traps.log | grep -F '\"cache1\"' | grep -q 'at its maximum of 2 vCPUs and host alpha has room'"
wait_polls 4 # two more polls (and rounds) of each host
is "only one such notice for cache1 in this episode" \
	"$(grep -F "OID: $NOTIFY_OID.7" "$T/traps.log" | grep -F '"cache1"' | grep -c 'at its maximum')" 1
is "cache1: no action, no migration" "$(actions_of cache1 | wc -l)" 0
sset "$CONFIG_OID.1.0" i 1 "$CONFIG_OID.12.0" u 600 >/dev/null

# 4. operator orders: arasVmMigrateTo
out=$(sset "$VM_ENTRY.31.$db1" u 1 2>&1)
check "migrate to its own host -> inconsistentValue" grep -q "Reason: inconsistentValue" <<<"$out"
out=$(sset "$VM_ENTRY.31.$db1" u 9 2>&1)
check "migrate to an unknown host -> wrongValue" grep -q "Reason: wrongValue" <<<"$out"
out=$(sset "$VM_ENTRY.31.$db1" i 2 2>&1)
check "migrate with the wrong type -> wrongType" grep -q "Reason: wrongType" <<<"$out"
failed0=$(sget "$STATUS_OID.20.0")
check "manual order: migrate db1 to beta accepted" sset "$VM_ENTRY.31.$db1" u 2
check "the test driver cannot migrate: arasActionFailed with libvirt's error" wait_for 10 \
	sh -c "grep -F 'OID: $NOTIFY_OID.5' $T/traps.log | grep -F '\"db1\"' | grep -q 'not supported'"
m=$(actions_of db1 | awk '$2 == 5 {print $1}' | tail -1)
check "an operator order is not bound by the VM's cooldown or the policy (db1 in manual)" test -n "$m"
is "order is migrate, failed(6), origin operator(2)" "$(sget "$ACT.7.$m") $(sget "$ACT.12.$m")" "6 2"
is "db1 still runs on alpha" "$(sget "$VM_ENTRY.3.$db1") $(sget "$VM_ENTRY.4.$db1")" "1 1"
check "arasActionsFailed went up ($failed0 -> $(sget "$STATUS_OID.20.0"))" test "$(sget "$STATUS_OID.20.0")" -gt "$failed0"

# maintenance: flag, state, notification, persistence
check "arasHostMaintenance.beta = true" sset "$HOST_ENTRY.13.2" i 1
is "beta shows maintenance(3)" "$(sget "$HOST_ENTRY.4.2")" 3
check "arasHostStateChange for beta in maintenance" wait_for 5 \
	sh -c "grep -F 'OID: $NOTIFY_OID.3' $T/traps.log | grep -q '$HOST_ENTRY.4.2 = INTEGER: 3'"
check "evacuation of beta's VMs is attempted (origin maintenance)" wait_for 10 \
	sh -c "snmpwalk -v2c -c public -Oqv $AGENT $ACT.12 | grep -qx 3"
out=$(sset "$VM_ENTRY.31.$web1" u 2 2>&1)
check "migrating into a host in maintenance -> inconsistentValue" grep -q "Reason: inconsistentValue" <<<"$out"
out=$(sset "$HOST_ENTRY.13.2" i 5 2>&1)
check "maintenance 5 -> wrongValue" grep -q "Reason: wrongValue" <<<"$out"
out=$(sset "$HOST_ENTRY.2.2" s x 2>&1)
check "arasHostName -> notWritable" grep -q "Reason: notWritable" <<<"$out"
kill -9 "$ARASD_PID"; wait "$ARASD_PID" 2>/dev/null
start_arasd || not_ok "arasd restarts"
check "maintenance survives kill -9" wait_get 10 $HOST_ENTRY.4.2 3
check "maintenance off" sset "$HOST_ENTRY.13.2" i 2
is "beta up again" "$(sget "$HOST_ENTRY.4.2")" 1
exit 0
