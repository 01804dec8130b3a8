# tests/lab/rules.sh - S12 placement rules on the real lab.  Sourced by
# tests/lab/check.sh after S10, or alone with ARAS_LAB_ONLY=rules; uses its
# helpers (arasd_run, boot, settled, only_on, actions, migrations,
# traps_since, ok/not_ok/is/check).
#
# Two idle guests, ra on host A and rb on host B, in one anti-affinity group
# (arasGroupTable row "apart", created over SNMP).  Host A goes into
# maintenance: its only possible target, B, holds rb, so ra stays on A and
# the evacuation says so (an arasNoTarget and an event row naming the rule,
# once), no rule is ever broken (policy automatic from the moment the rule
# exists: no shedding or repair moves a member next to the other); an arasVmMigrateTo of ra to B is refused
# with inconsistentValue; maintenance off.
echo "# --- S12 placement rules: anti-affinity through a maintenance evacuation of the 2-host cluster"
# manual until the rule exists: a guest's boot (TCG, a core busy for seconds)
# can look like a host over hostCpuHigh, and a shed before the group exists
# would be a move the rule never saw
arasd_run "policy manual"
boot ra A idle 1 2 256 1024 &
p1=$!
boot rb B idle 1 2 256 1024 &
wait "$p1" $!
[ -n "${VOID[ra]:-}" ] || VOID[ra]=$(uuid_oid "$(vsh A domuuid ra)")
[ -n "${VOID[rb]:-}" ] || VOID[rb]=$(uuid_oid "$(vsh B domuuid rb)")
on_host ra A && on_host rb B || abort "boot ra on A, rb on B"
settled ra
settled rb
wait_for 20 vis ra $V_STATE 1 && wait_for 20 vis rb $V_STATE 1 || not_ok "arasd lists ra and rb running"
GRP=$BASE_OID.1.7.1
APART=5.97.112.97.114.116 # "apart", length-prefixed
V_GROUP=45
check "createAndGo arasGroupTable row apart (antiAffinity)" sset "$GRP.6.$APART" i 4 "$GRP.2.$APART" i 1
check "ra and rb join apart" sset "$VM_ENTRY.$V_GROUP.${VOID[ra]}" s apart "$VM_ENTRY.$V_GROUP.${VOID[rb]}" s apart
is "arasGroupMembers.apart = 2" "$(sget "$GRP.4.$APART")" 2
check "arasPolicy automatic(3) once the rule exists" sset "$CFG.1.0" i 3
is "arasRuleViolations = 0 (ra on A, rb on B)" "$(sget "$STATUS_OID.25.0")" 0
mark=$(mark_traps)
t=$(now)
sset "$H_MAINT.1" i 1 >/dev/null || not_ok "snmpset arasHostMaintenance.1 = true"
is "arasHostState.1 = maintenance(3)" "$(hget "$H_STATE" 1)" 3
N_NOTARGET=7
if wait_for 60 has_trap "$mark" $N_NOTARGET ra; then
	ok "the evacuation says ra cannot leave A: arasNoTarget ($(since "$t") s)"
else
	not_ok "no arasNoTarget for ra"
fi
wait_polls 5
check "ra stays on A (virsh)" only_on ra A
check "rb stays on B (virsh)" only_on rb B
is "no migration of ra or rb" "$(migrations ra) $(migrations rb)" "0 0"
is "one arasNoTarget for ra in 5 more polls (once per episode)" "$(traps_since "$mark" $N_NOTARGET ra)" 1
txt=$(snmpwalk -v2c -c public -Oqv "$AGENT" "$EVT.10" 2>/dev/null | grep -F "no move" | grep -F "maintenance" | tail -n 1)
echo "# S12 event log: $txt"
check "the event row names the rule" grep -q "antiAffinity group apart" <<<"$txt"
out=$(snmpset -v2c -c private -t 2 -r 0 "$AGENT" "$VM_ENTRY.$V_MIGTO.${VOID[ra]}" u 2 2>&1)
check "arasVmMigrateTo ra -> B refused: inconsistentValue" grep -q "Reason: inconsistentValue" <<<"$out"
is "still no migration of ra" "$(migrations ra)" 0
is "no rule violation seen (arasRuleViolationsSeen)" "$(sget "$STATUS_OID.26.0")" 0
sset "$H_MAINT.1" i 2 >/dev/null || not_ok "snmpset arasHostMaintenance.1 = false"
is "arasHostState.1 = up(1)" "$(hget "$H_STATE" 1)" 1
wait_polls 2
apart_home() { only_on ra A && only_on rb B; }
check "after maintenance: ra on A, rb on B" apart_home
destroy ra rb
