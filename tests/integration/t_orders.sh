#!/bin/bash
# D1 (issue #11): every operator order of one SET PDU takes effect, or the
# whole PDU fails.  Two arasVmMigrateTo in one PDU give two actions; an
# approval and a migrate order in one PDU both act; two orders for one VM
# in one PDU are refused (inconsistentValue) and nothing happens.
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
exit 0
