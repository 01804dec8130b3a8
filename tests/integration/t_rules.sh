#!/bin/bash
# Placement rules (issue #19): arasGroupTable rows created (createAndGo),
# read back and persisted across kill -9; bad SETs get the right codes and
# change nothing; an arasVmMigrateTo that breaks a rule is refused with
# inconsistentValue, and so are two orders of one SET that together break
# it; a rule created over two VMs on one host gives one
# ruleViolation event and one arasRuleViolated notification and, with
# policy automatic, one move attempt for exactly one of them (the test
# driver cannot migrate between hosts: the attempt fails, the row stays);
# destroying the group clears its members and repairs the violation.
T_NAME=rules
. "$(dirname "$0")/../lib.sh"

# gamma: an empty third host, so that two orders can aim at one host neither member is on
cat >"$T/hostC.xml" <<'XML'
<node><cpu><mhz>2400</mhz><model>x86_64</model><active>8</active><nodes>1</nodes><sockets>1</sockets><cores>4</cores><threads>2</threads></cpu><memory>16777216</memory></node>
XML
HOSTS_CONF=("host alpha $(fixture hostA.xml) 1" "host beta $(fixture hostB.xml) 2" "host gamma test://$T/hostC.xml 3")
write_arasd_conf "stateFile $T/state" "holdTime 2" "cooldown 600" "actions trap" "policy manual"
start_snmpd || { not_ok "snmpd starts"; exit 1; }
start_trapd
start_arasd || { not_ok "arasd attaches to the master"; exit 1; }
wait_get 10 $STATUS_OID.2.0 5

GRP=$BASE_OID.1.7.1
EV=$BASE_OID.1.5.1
ACT=$BASE_OID.1.6.1
VMGRP=45
web1=$(uuid_oid 6a2e7c0e-1f3b-4b4e-9a51-0000000000a1)
db1=$(uuid_oid 0f4c1d2e-8b7a-4c3d-8e2f-0000000000a2)
cache1=$(uuid_oid c3b2a190-5d4e-4f60-a7b8-0000000000a3)
app1=$(uuid_oid 9e8d7c6b-5a49-4382-9170-0000000000b1)
batch1=$(uuid_oid 2b3c4d5e-6f70-4182-93a4-0000000000b2)
# name -> length-prefixed string index
sidx() { local s=$1 i out=${#1}; for ((i = 0; i < ${#s}; i++)); do out+=".$(printf '%d' "'${s:i:1}")"; done; echo "$out"; }
DB=$(sidx db)
APART=$(sidx apart)
ONLYB=$(sidx onlyb)
# set_err NAME REASON OID TYPE VALUE ...: the SET fails with REASON
set_err() {
	local name=$1 want=$2 out
	shift 2
	out=$(snmpset -v2c -c private -t 2 -r 0 "$AGENT" "$@" 2>&1)
	check "$name -> $want" grep -q "Reason: $want" <<<"$out"
}
# events of a type: their indexes
events_of() { swalk "$EV.3" | grep " = INTEGER: $1\$" | sed "s/^$EV.3.\([0-9]*\) .*/\1/"; }
migrations() { swalk "$ACT.4" | grep -c " = INTEGER: 5\$"; }
traps_of() { grep -c "$NOTIFY_OID.$1\b" "$T/traps.log"; }

# 1. rows: createAndGo (rule and hosts in the same PDU, status first or last)
check "createAndGo db (antiAffinity)" sset "$GRP.2.$DB" i 1 "$GRP.6.$DB" i 4
check "createAndGo apart (antiAffinity)" sset "$GRP.6.$APART" i 4
check "createAndGo onlyb (hosts beta)" sset "$GRP.6.$ONLYB" i 4 "$GRP.3.$ONLYB" s beta
is "db rule antiAffinity(1)" "$(sget "$GRP.2.$DB")" 1
is "db hosts empty" "$(sget "$GRP.3.$DB")" '""'
is "db active(1)" "$(sget "$GRP.6.$DB")" 1
is "db has no members" "$(sget "$GRP.4.$DB")" 0
is "onlyb hosts beta" "$(sget "$GRP.3.$ONLYB")" '"beta"'
is "three rows in the walk" "$(swalk "$GRP.6" | grep -c .)" 3

# 2. bad SETs: the right code, nothing changed
# (vmIndex lines: VM-MIB's indexes, written as arasd first sees a VM, may
# still come from a host's first poll; every other line must stay)
grep -v '^vmIndex ' "$T/state" >"$T/state.before"
set_err "createAndGo on an existing row" inconsistentValue "$GRP.6.$DB" i 4
set_err "rule 3" wrongValue "$GRP.2.$DB" i 3
set_err "rule as a string" wrongType "$GRP.2.$DB" s x
set_err "rowStatus notReady(3)" wrongValue "$GRP.6.$DB" i 3
set_err "hosts naming no configured host" inconsistentValue "$GRP.3.$DB" s alpha,delta
set_err "hosts with an empty item" wrongValue "$GRP.3.$DB" s "alpha,,beta"
set_err "hosts of 256 characters" wrongLength "$GRP.3.$DB" s "$(printf 'a%.0s' $(seq 256))"
set_err "a name with a space" inconsistentName "$GRP.6.$(sidx 'd b')" i 4
set_err "a rule for a row that does not exist" inconsistentName "$GRP.2.$(sidx nosuch)" i 1
set_err "active(1) for a row that does not exist" inconsistentValue "$GRP.6.$(sidx nosuch)" i 1
set_err "members is read-only" notWritable "$GRP.4.$DB" u 1
set_err "arasVmPlacementGroup naming no group" inconsistentValue "$VM_ENTRY.$VMGRP.$web1" s nosuch
set_err "arasVmPlacementGroup with a bad character" wrongValue "$VM_ENTRY.$VMGRP.$web1" s 'a b'
set_err "arasVmPlacementGroup of 33 characters" wrongLength "$VM_ENTRY.$VMGRP.$web1" s "$(printf 'g%.0s' $(seq 33))"
set_err "a good row and a bad one in one PDU" inconsistentValue "$GRP.6.$(sidx fresh)" i 4 "$GRP.6.$DB" i 4
check "state file unchanged by the refused SETs (vmIndex lines aside)" sh -c "grep -v '^vmIndex ' '$T/state' | cmp -s - '$T/state.before'"
is "still three rows" "$(swalk "$GRP.6" | grep -c .)" 3
is "web1 in no group" "$(sget "$VM_ENTRY.$VMGRP.$web1")" '""'

# 3. members; migrate-to that would break a rule is refused
check "cache1 (alpha) and app1 (beta) join apart; batch1 (beta) joins onlyb" \
	sset "$VM_ENTRY.$VMGRP.$cache1" s apart "$VM_ENTRY.$VMGRP.$app1" s apart "$VM_ENTRY.$VMGRP.$batch1" s onlyb
is "apart has two members" "$(sget "$GRP.4.$APART")" 2
is "cache1 reads apart" "$(sget "$VM_ENTRY.$VMGRP.$cache1")" '"apart"'
n0=$(swalk "$ACT.3" | grep -c .)
set_err "cache1 to beta (app1 is there: antiAffinity)" inconsistentValue "$VM_ENTRY.31.$cache1" u 2
set_err "batch1 to alpha (not in onlyb's hosts)" inconsistentValue "$VM_ENTRY.31.$batch1" u 1
set_err "cache1 and app1 both to gamma in one PDU (each alone would do)" inconsistentValue \
	"$VM_ENTRY.31.$cache1" u 3 "$VM_ENTRY.31.$app1" u 3
sleep 1
is "no action was created" "$(swalk "$ACT.3" | grep -c .)" "$n0"
is "no rule violation so far" "$(sget "$STATUS_OID.25.0")" 0

# 4. a rule over two running VMs on one host: one violation, one notification
check "web1 and db1 (both on alpha) join db" sset "$VM_ENTRY.$VMGRP.$web1" s db "$VM_ENTRY.$VMGRP.$db1" s db
check "arasRuleViolations 1" wait_get 5 "$STATUS_OID.25.0" 1
check "one arasRuleViolated at snmptrapd" wait_for 10 sh -c "[ \$(grep -c '$NOTIFY_OID.10\b' '$T/traps.log') -ge 1 ]"
wait_polls 6
is "arasRuleViolationsSeen 1" "$(sget "$STATUS_OID.26.0")" 1
is "arasGroupViolations.db 1" "$(sget "$GRP.5.$DB")" 1
is "arasGroupMembers.db 2" "$(sget "$GRP.4.$DB")" 2
ev=$(events_of 12)
is "exactly one ruleViolation(12) event" "$(echo "$ev" | grep -c .)" 1
is "its arasEventPlacementGroup is db" "$(sget "$EV.13.$ev")" '"db"'
is "exactly one arasRuleViolated notification" "$(traps_of 10)" 1
check "the trap names the group" grep -q '"db"' "$T/traps.log"
is "manual: no migration" "$(migrations)" 0

# 5. automatic: one move attempt, for exactly one of the two
check "policy automatic" sset "$CONFIG_OID.1.0" i 3
check "a migration action appears" wait_for 15 sh -c "[ \$(snmpwalk -v2c -c public -On $AGENT $ACT.4 | grep -c ' = INTEGER: 5\$') -ge 1 ]"
wait_polls 6
is "exactly one migration" "$(migrations)" 1
aidx=$(swalk "$ACT.4" | grep " = INTEGER: 5\$" | sed "s/^$ACT.4.\([0-9]*\) .*/\1/")
who=$(sget "$ACT.3.$aidx")
check "it moves web1 or db1 ($who)" grep -qE '^"(web1|db1)"$' <<<"$who"
check "it goes to beta or gamma (not alpha, where the other one is)" grep -qE '^[23]$' <<<"$(sget "$ACT.6.$aidx")"
is "origin controller(1)" "$(sget "$ACT.12.$aidx")" 1
is "still one violation event" "$(events_of 12 | grep -c .)" 1
is "still one notification" "$(traps_of 10)" 1

# 6. persisted: kill -9 right after a SET, rows and members back
sset "$GRP.3.$APART" s alpha,beta >/dev/null && kill -9 "$ARASD_PID"
wait "$ARASD_PID" 2>/dev/null
check "state file holds the groups" grep -q "^group db antiAffinity -" "$T/state"
check "state file holds apart's hosts" grep -q "^group apart antiAffinity alpha,beta" "$T/state"
start_arasd || not_ok "arasd restarts"
is "db row back, active" "$(sget "$GRP.6.$DB")" 1
is "apart's hosts survived kill -9" "$(sget "$GRP.3.$APART")" '"alpha,beta"'
is "onlyb's hosts survived" "$(sget "$GRP.3.$ONLYB")" '"beta"'
check "web1's group survived" wait_for 10 sh -c "snmpget -v2c -c public -Oqv $AGENT $VM_ENTRY.$VMGRP.$web1 | grep -qx '\"db\"'"
is "db has two members" "$(sget "$GRP.4.$DB")" 2

# 7. destroy: members cleared in the same SET, violation repaired
check "destroy db" sset "$GRP.6.$DB" i 6
is "db row gone" "$(sget "$GRP.6.$DB" 2>&1 | grep -c 'No Such Instance')" 1
is "web1 in no group" "$(sget "$VM_ENTRY.$VMGRP.$web1")" '""'
is "db1 in no group" "$(sget "$VM_ENTRY.$VMGRP.$db1")" '""'
is "no violation now" "$(sget "$STATUS_OID.25.0")" 0
check "state file has no db" sh -c "! grep -q ' db' '$T/state'"
exit 0
