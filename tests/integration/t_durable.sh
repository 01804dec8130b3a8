#!/bin/bash
# Issue 20, item 1: an acknowledged life-cycle command survives a crash.
# 100 rounds: arasd starts, one SET PDU carries a per-VM threshold and an
# arasVmCommand (every fourth round an arasVmMigrateTo, which the test
# driver fails: the failed path), and arasd is killed with SIGKILL at a
# random point 0-50 ms after the SET was acknowledged (noError), or, every
# other round, 0-40 ms after the SET left.  Then:
#   - the order journal (stateFile.orders) holds the command: it was
#     written before the acknowledgement;
#   - after the restart, arasd's own records show the command's outcome:
#     an event row "before the restart: operator order N ... succeeded |
#     failed" (its outcome was journalled before the kill), or an action row
#     whose reason names "operator order N", succeeded or failed (it had no
#     outcome: arasd ran it, or recorded it failed with the reason, after
#     its first polls);
#   - the threshold of the same PDU is kept.
# No command may be lost.  libvirt's test driver is in-process: every start
# reads the fixture again, so "took effect" is what arasd records (its
# action rows, event rows and journal), not the VM's state across runs.
# Figures: acknowledged, took effect before the kill, run at restart,
# recorded failed, lost (must be 0).
T_NAME=durable
. "$(dirname "$0")/../lib.sh"

ROUNDS=${DURABLE_ROUNDS:-100}
HOSTS_CONF=("host alpha $(fixture hostA.xml) 1" "host beta $(fixture hostB.xml) 2")
POLL=1
write_arasd_conf "stateFile $T/state" "actions trap"
start_snmpd || { not_ok "snmpd starts"; exit 1; }

ACT=$BASE_OID.1.6.1
EV_TEXT=$BASE_OID.1.5.1.10
CMD=43 THR=27
uuids=(6a2e7c0e-1f3b-4b4e-9a51-0000000000a1 0f4c1d2e-8b7a-4c3d-8e2f-0000000000a2
	c3b2a190-5d4e-4f60-a7b8-0000000000a3)
# commands valid on a running VM: suspend, destroy, reboot, managedSave, shutdownForce
cmds=(7 5 6 9 4)
declare -A cmd_name=([7]=suspend [5]=destroy [6]=reboot [9]=managedSave [4]=shutdownForce)

# wait_fast SECONDS CMD...: wait_for at 20 ms steps (100 restarts add up)
wait_fast() {
	local end=$(($(date +%s%N) / 1000000 + $1 * 1000))
	shift
	until "$@" >/dev/null 2>&1; do
		[ $(($(date +%s%N) / 1000000)) -ge $end ] && return 1
		sleep 0.02
	done
}
# start (or restart) arasd and wait for its first poll (3 VMs)
# (through a subshell that waits for it: bash would print "Killed" for a
# child of its own that SIGKILL ends; the subshell says it to /dev/null)
up() {
	rm -f "$T/arasd.pid"
	(
		"$ARASD" -f -c "$T/arasd.conf" >>"$T/arasd.log" 2>&1 &
		echo $! >"$T/arasd.pid"
		wait
	) 2>/dev/null &
	wait_fast 5 test -s "$T/arasd.pid" || return 1
	ARASD_PID=$(cat "$T/arasd.pid")
	record_pid "$ARASD_PID"
	wait_fast 15 get_is "$STATUS_OID.2.0" 5
}
# kill_arasd: SIGKILL, and wait until it is gone (it is not this shell's child)
kill_arasd() {
	kill -9 "$ARASD_PID" 2>/dev/null
	wait_fast 10 eval '! kill -0 "$ARASD_PID" 2>/dev/null'
	# gone: its PID must not be killed again by the cleanup (it may be reused)
	sed -i "/^$ARASD_PID\$/d" "$T/pids"
}

# outcome_of ID: "before succeeded|failed" (an event row of the last run's
# outcome) or "action succeeded|failed" (an action row of this run), or
# nothing yet
outcome_of() {
	local id=$1 line idx st
	line=$(snmpwalk -v2c -c public -t 2 -r 1 -Oqv "$AGENT" "$EV_TEXT" 2>/dev/null |
		grep -F "before the restart: operator order $id: " | tail -1)
	case $line in
	*" failed"*) echo "before failed"; return ;;
	*" succeeded"*) echo "before succeeded"; return ;;
	esac
	idx=$(swalk "$ACT.8" 2>/dev/null | grep -F "\"operator order $id: " | tail -1 |
		sed "s/^$ACT.8.\([0-9]*\) .*/\1/")
	[ -n "$idx" ] || return
	st=$(sget "$ACT.7.$idx" 2>/dev/null)
	case $st in
	5) echo "action succeeded" ;;
	6) echo "action failed" ;;
	esac
}
resolved() { [ -n "$(outcome_of "$1")" ]; }

acked=0 acked_flight=0 before_ok=0 ran_ok=0 failed=0 lost=0 journal_missing=0 thr_lost=0 refused=0
unacked_journalled=0 unacked_resolved=0
declare -A why_failed
# tally ID ACKED: the outcome of order ID of the last run, now on record
tally() {
	local out
	wait_fast 10 resolved "$1"
	out=$(outcome_of "$1")
	if [ "$2" = 0 ]; then
		# journalled, but the SET's response never came: resolved all the same
		[ -n "$out" ] && unacked_resolved=$((unacked_resolved + 1))
		return
	fi
	case $out in
	"before succeeded") before_ok=$((before_ok + 1)) ;;
	"action succeeded") ran_ok=$((ran_ok + 1)) ;;
	"before failed" | "action failed")
		failed=$((failed + 1))
		why_failed[$out]=$((${why_failed[$out]:-0} + 1))
		;;
	*)
		lost=$((lost + 1))
		echo "# order $1 is on no record after the restart"
		;;
	esac
}
prev_id= prev_thr= prev_vm= prev_acked= last_id=0
for round in $(seq 1 "$ROUNDS"); do
	if ! up; then
		not_ok "round $round: arasd starts again"
		break
	fi
	# the last round's command: on record now
	if [ -n "$prev_id" ]; then
		tally "$prev_id" "$prev_acked"
		got=$(sget "$VM_ENTRY.$THR.$(uuid_oid "$prev_vm")")
		if [ "$prev_acked" = 1 ] && [ "$got" != "$prev_thr" ]; then
			thr_lost=$((thr_lost + 1))
			echo "# round $((round - 1)): threshold $prev_thr of the same PDU not kept (got '$got')"
		fi
	fi
	prev_id=
	vm=${uuids[$((round % 3))]}
	c=${cmds[$((round % ${#cmds[@]}))]}
	what="command $vm ${cmd_name[$c]}" col=$CMD type=i val=$c
	if [ $((round % 4)) = 0 ]; then
		# every fourth: a move to beta (the test driver cannot migrate: it fails, on record)
		what="migrate $vm 2" col=31 type=u val=2
	fi
	thr=$((round % 90 + 5))
	set_args=(-v2c -c private -t 5 -r 0 "$AGENT" "$VM_ENTRY.$THR.$(uuid_oid "$vm")" u "$thr"
		"$VM_ENTRY.$col.$(uuid_oid "$vm")" "$type" "$val")
	# one PDU: a threshold and a command; no retry (a retry would be a second order)
	ack=0
	if [ $((round % 2)) = 1 ]; then
		# the probe's case: SIGKILL 0-50 ms after the noError
		if out=$(snmpset "${set_args[@]}" 2>&1) && ! grep -q "Reason:\|Timeout" <<<"$out"; then
			ack=1
			sleep "0.0$(printf '%02d' $((RANDOM % 51)))"
		fi
		kill_arasd
	else
		# SIGKILL 0-40 ms after the SET left: while arasd handles it, or
		# just after; only a SET that got its noError counts as acknowledged
		snmpset "${set_args[@]}" >"$T/set.out" 2>&1 &
		spid=$!
		sleep "0.0$(printf '%02d' $((RANDOM % 41)))"
		kill_arasd
		wait "$spid" && ! grep -q "Reason:\|Timeout" "$T/set.out" && ack=1
		out=$(cat "$T/set.out")
		[ $ack = 1 ] && acked_flight=$((acked_flight + 1))
	fi
	# this round's order in the journal: the newest order line
	line=$(awk -v last="$last_id" '$1 == "order" && $2 > last' "$T/state.orders" | tail -1)
	if [ $ack = 1 ]; then
		acked=$((acked + 1))
	else
		refused=$((refused + 1))
	fi
	if [ -z "$line" ]; then
		if [ $ack = 1 ]; then
			# it must have been written (and fsynced) before the acknowledgement
			journal_missing=$((journal_missing + 1))
			lost=$((lost + 1))
			echo "# round $round: the acknowledged order ($what) is not in the journal"
		fi
		continue
	fi
	if ! grep -q "^order [0-9]* $what\$" <<<"$line"; then
		not_ok "round $round: the journal's newest order is this round's ($what): '$line'"
	fi
	[ $ack = 1 ] || unacked_journalled=$((unacked_journalled + 1))
	prev_id=$(cut -d' ' -f2 <<<"$line") prev_thr=$thr prev_vm=$vm prev_acked=$ack last_id=$prev_id
done
# the last round's command after one more start
if [ -n "$prev_id" ] && up; then
	tally "$prev_id" "$prev_acked"
fi
echo "# $ROUNDS rounds: $acked acknowledged ($acked_flight of them killed while in flight), $before_ok took" \
	"effect before the kill, $ran_ok run at restart, $failed recorded failed, $lost lost; $refused not" \
	"acknowledged ($unacked_journalled of those journalled, $unacked_resolved of them resolved at restart)"
for k in "${!why_failed[@]}"; do echo "#   recorded failed ($k): ${why_failed[$k]}"; done
is "every acknowledged command was in the journal when arasd was killed" "$journal_missing" 0
is "no acknowledged command was lost: every one took effect or is recorded failed" "$lost" 0
is "each one is accounted for once" $((before_ok + ran_ok + failed + lost)) "$acked"
is "the threshold in the same PDU was kept every time" "$thr_lost" 0
check "the after-ack half was acknowledged and some in-flight SETs too ($acked of $ROUNDS)" \
	test "$acked" -ge $((ROUNDS / 2))
is "a journalled SET that got no response is resolved at restart too" "$unacked_resolved" "$unacked_journalled"
# a recovered order's row says it was run again at start (at least one round, usually several)
check "arasd logged running an order of the last run at start, or none was pending (ran $ran_ok)" \
	sh -c "[ $ran_ok -eq 0 ] || grep -q 'order [0-9]* of the last run has no outcome: running it now' '$T/arasd.log'"

# a bad journal line stops arasd at start with the file, line and reason (as the state file does)
kill_arasd
printf 'order 4000000000 command %s explode\n' "${uuids[0]}" >>"$T/state.orders"
n=$(grep -c . "$T/state.orders")
out=$("$ARASD" -n -c "$T/arasd.conf" 2>&1)
check "arasd -n names the journal's bad line and why" grep -q "$T/state.orders:$n: order 4000000000: no command 'explode'" <<<"$out"
exit 0
