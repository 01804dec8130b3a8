#!/bin/bash
# Fault matrix (issue #11): what arasd does when the world misbehaves.
#  1. actions that fail at once, for a while: a bounded number of tries
#     (backoff per VM and per host, visible as events), polls at their
#     interval, no notification storm; CPU printed as a figure.
#  2. the state file's directory full (a 64 KiB tmpfs) or read-only: the
#     SET answers an error, nothing changes, nothing acknowledged is lost.
#  3. snmpd killed during a 1000-notification burst: every notification is
#     delivered or counted in arasNotificationsDropped.
#  4. one host's libvirt hung: the other host is polled on time, GETs answer.
#  5. SIGHUP reopens the history file (logrotate's rename + HUP).
T_NAME=faults
. "$(dirname "$0")/../lib.sh"

ACT=$BASE_OID.1.6.1
EVT=$BASE_OID.1.5.1
HZ=$(getconf CLK_TCK)
cpu_ticks() { awk '{sub(/^.*\) /, ""); print $12 + $13}' "/proc/$1/stat"; }
count_state() { snmpwalk -v2c -c public -Oqv "$AGENT" "$ACT.7" 2>/dev/null | grep -cx "$1"; }

URI_A=$(fixture hostA.xml)
URI_B=$(fixture hostB.xml)
HOSTS_CONF=("host alpha $URI_A 1" "host beta $URI_B 2")
write_arasd_conf "stateFile $T/state/arasd.state" "historyFile $T/history"
mkdir -p "$T/state"
start_snmpd || { not_ok "snmpd starts"; exit 1; }
start_trapd
start_arasd || { not_ok "arasd attaches to the master"; exit 1; }
wait_for 10 sh -c "[ \"\$(snmpget -v2c -c public -Oqv $AGENT $STATUS_OID.2.0)\" = 5 ]"

# --- 1. every migration fails at once (the test driver cannot migrate) ---
W=${FAULT_WINDOW:-40}
p0=$(sget "$STATUS_OID.3.0")
n0=$(sget "$STATUS_OID.5.0")
c0=$(cpu_ticks "$ARASD_PID")
check "alpha into maintenance: its 3 VMs' evacuations fail at once" sset "$HOST_ENTRY.13.1" i 1
sleep "$W"
failed=$(count_state 6)
p1=$(sget "$STATUS_OID.3.0")
n1=$(sget "$STATUS_OID.5.0")
c1=$(cpu_ticks "$ARASD_PID")
echo "# fast failures for $W s: $failed failed actions, $((p1 - p0)) polls, $((n1 - n0)) notifications," \
	"$(awk -v t=$((c1 - c0)) -v hz="$HZ" 'BEGIN {printf "%.2f", t / hz}') CPU-s"
# host backoff 2, 4, 8, 16 ... s after the first round's 3: at most 3 + log2(W)+1 tries
check "failed evacuations are bounded ($failed <= 12 in $W s)" test "$failed" -ge 1 -a "$failed" -le 12
check "polls keep their interval ($((p1 - p0)) <= $((2 * W + 10)) for 2 hosts at 1 s)" \
	test $((p1 - p0)) -le $((2 * W + 10))
check "no notification storm ($((n1 - n0)) <= 40)" test $((n1 - n0)) -le 40
check "the backoff is in the event log" sh -c "snmpwalk -v2c -c public -Oqv $AGENT $EVT.10 | grep -q 'backoff: '"
sset "$HOST_ENTRY.13.1" i 2 >/dev/null
exit 0
