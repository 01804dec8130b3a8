#!/bin/bash
# Issue 25: which management node's arasd controls, and takeovers.  Two
# "management nodes" n1 and n2 are arasd started in UTS namespaces of
# their own (unshare --uts; hostname n1 / n2) on one stateFile, as two
# nodes of a Pacemaker cluster share it (docs/ha.md):
#   - the first start owns the cluster: arasControllerNode n1, no takeover,
#     stateFile.owner says node=n1 stopped=0 and is touched every second;
#   - kill -9 on n1, a pause, then arasd on n2: a takeover from n1,
#     counted (arasTakeovers 1, arasTakeoverFrom n1), its gap at least the
#     pause and within the pause plus the start-up, one
#     arasControllerTakeover at snmptrapd carrying the same values;
#   - a restart on n2 (the same node) is no takeover: nothing counted, no
#     notification; the history is kept;
#   - a clean stop marks the file stopped=1; n1 starting then takes over
#     from n2 (arasTakeovers 2, the gaps summed in arasTakeoverGapTotal);
#   - a damaged owner file: arasd starts, says which file and why, and
#     owns the cluster afresh.
# Root (unshare --uts).
T_NAME=takeover
. "$(dirname "$0")/../lib.sh"

HOSTS_CONF=("host alpha $(fixture hostA.xml) 1")
POLL=1
write_arasd_conf "stateFile $T/state" "actions trap"
start_snmpd || { not_ok "snmpd starts"; exit 1; }
start_trapd || { not_ok "snmptrapd starts"; exit 1; }
command -v unshare >/dev/null || { not_ok "unshare (util-linux) is installed"; exit 1; }

ST=$STATUS_OID
OWNER=$T/state.owner
ms() { echo $(($(date +%s%N) / 1000000)); }
# on NODE: arasd in a UTS namespace whose host name is NODE
on() {
	unshare --uts -- sh -c 'hostname "$1" && shift && exec "$@"' sh "$1" \
		"$ARASD" -f -c "$T/arasd.conf" >>"$T/arasd.log" 2>&1 &
	ARASD_PID=$!
	record_pid $ARASD_PID
	wait_for 15 arasd_attached
}
stop_kill() { kill -9 "$ARASD_PID" 2>/dev/null; wait "$ARASD_PID" 2>/dev/null; }
stop_term() { kill "$ARASD_PID" 2>/dev/null; wait "$ARASD_PID" 2>/dev/null; }
takeover_traps() { grep -c "$NOTIFY_OID.11\b" "$T/traps.log"; }
# every host polled and resolved: the takeover (if any) is complete
settled() { wait_polls 2 >/dev/null 2>&1; sleep 0.5; }

# ---- the first owner
on n1 || { not_ok "arasd starts on n1"; exit 1; }
settled
is "arasControllerNode on the first start" "$(sget "$ST.29.0")" '"n1"'
is "arasTakeovers 0, arasTakeoverFrom empty, arasTakeoverGap 0" \
	"$(sget "$ST.30.0") $(sget "$ST.31.0") $(sget "$ST.32.0")" '0 "" 0'
check "stateFile.owner names n1, running" grep -q '^arasd-owner 1 node=n1 takeovers=0 .*stopped=0$' "$OWNER"
m0=$(stat -c %Y "$OWNER")
sleep 2.2
m1=$(stat -c %Y "$OWNER")
check "the owner file is touched every second (mtime $m0 -> $m1)" test "$m1" -gt "$m0"
is "no arasControllerTakeover on a first start" "$(takeover_traps)" 0

# ---- kill -9 on n1, arasd on n2 after a pause
stop_kill
t_kill=$(ms)
sleep 3
on n2 || { not_ok "arasd starts on n2"; exit 1; }
settled
gap_set() { [ "$(sget "$ST.32.0" 2>/dev/null)" -gt 0 ] 2>/dev/null; }
check "the takeover completes (arasTakeoverGap set)" wait_for 15 gap_set
t_up=$(ms)
is "arasControllerNode after the takeover" "$(sget "$ST.29.0")" '"n2"'
is "arasTakeovers 1 from n1" "$(sget "$ST.30.0") $(sget "$ST.31.0")" '1 "n1"'
gap=$(sget "$ST.32.0")
# the last sign of life was up to 1 s before the kill; the gap ends when n2 controls
if [ -n "$gap" ] && [ "$gap" -ge 3000 ] && [ "$gap" -le $((t_up - t_kill + 1100)) ]; then
	ok "arasTakeoverGap $gap ms: the 3 s pause and n2's start-up (kill -> settled $((t_up - t_kill)) ms)"
else
	not_ok "arasTakeoverGap '$gap' ms, want 3000 .. $((t_up - t_kill + 1100))"
fi
is "arasTakeoverGapTotal = the one gap" "$(sget "$ST.33.0")" "$gap"
is "arasTakeoverAdopted 0 (no migration in flight on the test driver)" "$(sget "$ST.34.0")" 0
check "one arasControllerTakeover at snmptrapd" wait_for 10 sh -c "[ \$(grep -c '$NOTIFY_OID.11\b' '$T/traps.log') -eq 1 ]"
trap_line=$(grep "$NOTIFY_OID.11\b" "$T/traps.log" | head -n 1)
check "it carries node n2, from n1, the gap, the count" \
	sh -c "printf '%s' '$trap_line' | grep -q '\"n2\".*\"n1\".*$gap.*1'"
check "arasd's log says it took over" grep -q "took over from node n1: $gap ms without a controller" "$T/arasd.log"

# ---- a restart on the same node: no takeover
stop_kill
on n2 || { not_ok "arasd starts on n2 again"; exit 1; }
settled
is "a restart on n2: arasTakeovers still 1, from n1, node n2" \
	"$(sget "$ST.30.0") $(sget "$ST.31.0") $(sget "$ST.29.0")" '1 "n1" "n2"'
sleep 1
is "no second arasControllerTakeover" "$(takeover_traps)" 1

# ---- a clean stop, then n1 takes over
stop_term
check "a clean stop marks the owner file stopped=1" grep -q 'node=n2 takeovers=1 from=n1 .*stopped=1$' "$OWNER"
on n1 || { not_ok "arasd starts on n1 again"; exit 1; }
settled
check "the second takeover completes" wait_for 15 sh -c "[ \"\$(snmpget -v2c -c public -t 2 -r 1 -Oqv $AGENT $ST.31.0)\" = '\"n2\"' ] && grep -q 'node=n1 takeovers=2 from=n2 lastgap=[1-9]' '$OWNER'"
is "n1 takes over from n2: arasTakeovers 2" "$(sget "$ST.30.0") $(sget "$ST.31.0")" '2 "n2"'
gap2=$(sget "$ST.32.0")
is "arasTakeoverGapTotal sums both gaps" "$(sget "$ST.33.0")" "$((gap + gap2))"
check "a second arasControllerTakeover" wait_for 10 sh -c "[ \$(grep -c '$NOTIFY_OID.11\b' '$T/traps.log') -eq 2 ]"

# ---- a damaged owner file
stop_kill
printf 'arasd-owner 1 node=n1 node=n2\n' >"$OWNER"
on n2 || { not_ok "arasd starts with a damaged owner file"; exit 1; }
settled
check "the log names the file and the reason" grep -q "$OWNER: node= twice (taken as no owner before this one)" "$T/arasd.log"
is "it owns the cluster afresh: node n2, no takeover counted" "$(sget "$ST.29.0") $(sget "$ST.30.0")" '"n2" 0'
check "and wrote a good owner file" grep -q '^arasd-owner 1 node=n2 ' "$OWNER"
stop_term
exit 0
