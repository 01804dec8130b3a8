#!/bin/bash
# D1 (issue #11): every operator order of one SET PDU takes effect, or the
# whole PDU fails.  Two arasVmMigrateTo in one PDU give two actions; an
# approval and a migrate order in one PDU both act; two orders for one VM
# in one PDU are refused (inconsistentValue) and nothing happens.
# Issue 20: the operator wins over a proposal: rejecting it and a command
# for its VM in one PDU are accepted, and a command alone (destroy)
# supersedes it.
T_NAME=orders
. "$(dirname "$0")/../lib.sh"

HOSTS_CONF=("host alpha $(fixture hostA.xml) 1" "host beta $(fixture hostB.xml) 2")
write_arasd_conf "stateFile $T/state" "holdTime 2" "cooldown 600" "actions trap,allocate" \
	"policy semiAutomatic" "proposalTimeout 300"
start_snmpd || { not_ok "snmpd starts"; exit 1; }
start_trapd
start_arasd || { not_ok "arasd attaches to the master"; exit 1; }
wait_get 10 $STATUS_OID.2.0 5

ACT=$BASE_OID.1.6.1
web1=$(uuid_oid 6a2e7c0e-1f3b-4b4e-9a51-0000000000a1)
db1=$(uuid_oid 0f4c1d2e-8b7a-4c3d-8e2f-0000000000a2)
cache1=$(uuid_oid c3b2a190-5d4e-4f60-a7b8-0000000000a3)
app1=$(uuid_oid 9e8d7c6b-5a49-4382-9170-0000000000b1)
# actions of a VM with a given origin: their indexes
actions_of() { # NAME ORIGIN
	local idx
	for idx in $(swalk "$ACT.3" | grep -F "\"$1\"" | sed "s/^$ACT.3.\([0-9]*\) .*/\1/"); do
		[ "$(sget "$ACT.12.$idx")" = "$2" ] && echo "$idx"
	done
}

# 1. two migrate orders for two VMs in one PDU: two actions (the test
#    driver cannot migrate: both fail, but both exist)
check "one PDU: migrate web1 and db1 to beta" sset "$VM_ENTRY.31.$web1" u 2 "$VM_ENTRY.31.$db1" u 2
check "an operator action for web1" wait_for 5 sh -c "snmpwalk -v2c -c public -Oqv $AGENT $ACT.3 | grep -qF '\"web1\"'"
is "web1: one operator action" "$(actions_of web1 2 | wc -l)" 1
is "db1: one operator action" "$(actions_of db1 2 | wc -l)" 1

# 2. approval of app1's proposal and a migrate order for cache1 in one PDU
sset "$VM_ENTRY.27.$app1" u 45 >/dev/null
check "a proposal for app1 appears" wait_for 15 sh -c "snmpwalk -v2c -c public -Oqv $AGENT $ACT.3 | grep -qF '\"app1\"'"
pidx=$(actions_of app1 1 | head -1)
is "it is proposed(1)" "$(sget "$ACT.7.$pidx")" 1
check "one PDU: approve app1's proposal, migrate cache1 to beta" sset "$ACT.7.$pidx" i 2 "$VM_ENTRY.31.$cache1" u 2
check "the proposal left proposed" wait_for 5 sh -c "[ \"\$(snmpget -v2c -c public -Oqv $AGENT $ACT.7.$pidx)\" != 1 ]"
check "app1 gets its vCPU" wait_get 10 $VM_ENTRY.5.$app1 3
is "cache1: one operator action" "$(actions_of cache1 2 | wc -l)" 1

# 3. two orders for one VM in one PDU: refused, nothing created
n0=$(swalk "$ACT.3" | grep -c .)
out=$(snmpset -v2c -c private -t 2 -r 0 "$AGENT" "$VM_ENTRY.31.$web1" u 2 "$VM_ENTRY.31.$web1" u 2 2>&1)
check "two migrate orders for web1 in one PDU -> inconsistentValue" grep -q "Reason: inconsistentValue" <<<"$out"
is "web1 still has one operator action" "$(actions_of web1 2 | wc -l)" 1
out=$(snmpset -v2c -c private -t 2 -r 0 "$AGENT" "$VM_ENTRY.27.$db1" u 50 "$ACT.7.$pidx" i 2 2>&1)
check "an order that fails fails the PDU: approving a finished action with a threshold" \
	grep -q "Reason: inconsistentValue" <<<"$out"
is "and the threshold in the same PDU is not applied" "$(sget "$VM_ENTRY.27.$db1")" 0
sleep 1
is "no action was created" "$(swalk "$ACT.3" | grep -c .)" "$n0"

# 4. (issue 20) the operator wins over the controller: a waiting proposal
#    blocks no command on its VM.  Rejecting it and a command for its VM in
#    one PDU are accepted; a command alone supersedes (rejects) it.
batch1=$(uuid_oid 2b3c4d5e-6f70-4182-93a4-0000000000b2)
proposal_of() { # NAME: the index of its newest proposed(1) controller action
	local idx
	for idx in $(actions_of "$1" 1 | sort -n -r); do
		[ "$(sget "$ACT.7.$idx")" = 1 ] && { echo "$idx"; return 0; }
	done
	return 1
}
check "arasCooldown 0 (a rejection must not hold the next proposal back)" sset "$CONFIG_OID.12.0" u 0
sset "$VM_ENTRY.27.$batch1" u 20 >/dev/null
check "a proposal for batch1 appears" wait_for 15 proposal_of batch1
pidx=$(proposal_of batch1)
out=$(snmpset -v2c -c private -t 2 -r 0 "$AGENT" "$ACT.7.$pidx" i 3 "$VM_ENTRY.43.$batch1" i 7 2>&1)
check "one PDU: reject batch1's proposal and suspend batch1 -> accepted ($(head -1 <<<"$out"))" \
	eval '! grep -q "Reason:" <<<"$out"'
check "the proposal is rejected(3)" wait_get 5 "$ACT.7.$pidx" 3
check "batch1 is paused(8)" wait_get 10 "$VM_ENTRY.39.$batch1" 8
check "resume batch1" sset "$VM_ENTRY.43.$batch1" i 8
check "batch1 running(4) again" wait_get 10 "$VM_ENTRY.39.$batch1" 4
new_proposal() { local i; i=$(proposal_of batch1) && [ "$i" != "$pidx" ]; }
check "a new proposal for batch1 appears" wait_for 20 new_proposal
pidx=$(proposal_of batch1)
check "destroy(5) of batch1 while its proposal waits: accepted" sset "$VM_ENTRY.43.$batch1" i 5
check "the proposal is rejected(3): superseded" wait_get 5 "$ACT.7.$pidx" 3
check "its arasActionError says by what" \
	sh -c "snmpget -v2c -c public -Oqv $AGENT $ACT.11.$pidx | grep -qF \"superseded by the operator's arasVmCommand destroy(5)\""
check "batch1 is shutdown(11)" wait_get 10 "$VM_ENTRY.39.$batch1" 11
didx=$(actions_of batch1 2 | sort -n | tail -1)
is "the destroy is batch1's newest operator action, kind destroy(11)" "$(sget "$ACT.4.$didx")" 11
check "and it succeeded(5)" wait_get 5 "$ACT.7.$didx" 5
exit 0
