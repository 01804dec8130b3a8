# tests/lab/ha.sh - S17, sourced by tests/lab/check.sh as its last group, or
# alone with ARAS_LAB_ONLY=ha; uses its helpers (ok/not_ok, fig, abort).
# make ha-check's H3 on this lab: tests/ha/lab.sh, a three-node corosync +
# Pacemaker cluster in network namespaces whose arasd manages lab hosts A
# and B, its active node killed (kill -9 of every process) ten times at
# random points of live migrations of an idle guest: each migration ends
# once, no VM moves twice, no order runs twice (tests/ha/lab.sh, docs/ha.md).
# One arasd per lab: the lab check's own arasd stops first (lab.sh refuses
# to run beside another arasd of these hosts).  lab.sh's "ok"/"not ok"
# lines are this check's, its "# H3 ...:" figures go to the summary.
echo "# --- S17 HA: the active management node killed during live migrations (tests/ha/lab.sh)"
T_HA=$(now)
if [ -n "$ARASD_PID" ]; then
	kill "$ARASD_PID" 2>/dev/null
	for _ in $(seq 50); do
		kill -0 "$ARASD_PID" 2>/dev/null || break
		sleep 0.2
	done
	kill -9 "$ARASD_PID" 2>/dev/null
	wait "$ARASD_PID" 2>/dev/null
	ARASD_PID=
fi
destroy ha3 # left over by a kept run
ARASD=$ARASD bash "$TOP/tests/ha/lab.sh" >"$T/ha-lab.out" 2>&1
rc=$?
while IFS= read -r l; do
	case $l in
	"ok - "*) ok "S17 ${l#ok - }" ;;
	"not ok - "*) not_ok "S17 ${l#not ok - }" ;;
	"# H3 "*:*)
		l=${l#\# }
		fig "S17 ${l%%: *}" "${l#*: }"
		;;
	"# "*) echo "$l" ;;
	esac
done <"$T/ha-lab.out"
[ "$rc" = 0 ] || grep -q '^not ok - ' "$T/ha-lab.out" ||
	not_ok "S17 tests/ha/lab.sh exited with status $rc ($(tail -n 3 "$T/ha-lab.out" | tr '\n' ' '))"
fig "S17 time" "$(since "$T_HA") s"
