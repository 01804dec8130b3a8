#!/bin/bash
# Issue 25: the OCF resource agent conf/ocf/arasd (Pacemaker's
# ocf:arasd:arasd) against a real arasd on libvirt's test driver and a real
# snmpd master:
#   - resource-agents' ocf-tester runs every action it knows (meta-data
#     against the OCF DTD, validate-all, monitor of a stopped resource,
#     start, monitor, a second start, stop, a second stop, monitor again)
#     and must find no fault;
#   - the OCF exit codes of each failure an operator meets: a stopped
#     resource monitors not running (7); arasd killed with SIGKILL: 7;
#     arasd frozen (SIGSTOP: no answer through snmpd): 1, with the reason,
#     and 0 again once it runs (SIGCONT); polls that stop (arasPollInterval
#     set to an hour through snmpset, poll_timeout 1 s): 1; a bad
#     configuration line: validate-all and start 6, with `arasd -n`'s
#     FILE: line N: reason; no arasd binary: 5; an unknown action: 3.
T_NAME=ocf
. "$(dirname "$0")/../lib.sh"

RA=$TOP/conf/ocf/arasd
HOSTS_CONF=("host alpha $(fixture hostA.xml) 1")
write_arasd_conf
start_snmpd || { not_ok "snmpd starts"; exit 1; }
TARGET=$AGENT # snmpd's address (or the standalone agent's)
export OCF_ROOT=/usr/lib/ocf HA_RSCTMP=$T/rsctmp OCF_RESOURCE_INSTANCE=aras1
export OCF_RESKEY_binary=$ARASD OCF_RESKEY_config=$T/arasd.conf OCF_RESKEY_pidfile=$T/rsctmp/arasd.pid
export OCF_RESKEY_logfile=$T/arasd.log OCF_RESKEY_snmp_target=$TARGET OCF_RESKEY_snmp_options="-v2c -c public"
mkdir -p "$HA_RSCTMP"
ra() { "$RA" "$@" 2>>"$T/ra.err"; }
rc_of() { ra "$@" >/dev/null; echo $?; }

# 1. ocf-tester: every action, the meta-data against the DTD
out=$(ocf-tester -n aras1 -o binary="$ARASD" -o config="$T/arasd.conf" -o pidfile="$T/rsctmp/arasd.pid" \
	-o logfile="$T/arasd.log" -o snmp_target="$TARGET" -o snmp_options="-v2c -c public" "$RA" 2>&1)
rc=$?
echo "$out" | sed 's/^/# ocf-tester: /' | tail -n 12
is "ocf-tester finds no fault (exit 0)" "$rc" 0
check "ocf-tester: its summary says the agent passed" grep -q "passed all tests" <<<"$out"
is "after ocf-tester, nothing of arasd runs (stop stopped it)" "$(rc_of monitor)" 7

# 2. the exit codes of each failure
is "monitor of a stopped resource: not running (7)" "$(rc_of monitor)" 7
is "start: success (0)" "$(rc_of start)" 0
pid=$(cat "$T/rsctmp/arasd.pid")
record_pid "$pid"
check "start: arasd (PID $pid) answers arasPolls through snmpd" sget "$STATUS_OID.3.0"
is "monitor: running (0)" "$(rc_of monitor)" 0
kill -STOP "$pid"
: >"$T/ra.err"
is "arasd frozen (SIGSTOP): monitor fails (1)" "$(rc_of monitor)" 1
check "  saying why" grep -q "does not answer through snmpd" "$T/ra.err"
kill -CONT "$pid"
check "arasd running again (SIGCONT): monitor succeeds (0)" wait_for 10 eval '[ "$(rc_of monitor)" = 0 ]'
# polls that stop: poll_timeout 0 and pollInterval 1 s at the first
# monitor, then pollInterval 3600 (set through snmpset): the next polls
# are an hour away
check "snmpset arasPollInterval 3600" sset "$CONFIG_OID.19.0" u 3600
wait_polls 1
sleep 1
OCF_RESKEY_poll_timeout=1 ra monitor >/dev/null
sleep 2.2
: >"$T/ra.err"
is "no poll within poll_timeout: monitor fails (1)" "$(OCF_RESKEY_poll_timeout=1 rc_of monitor)" 1
check "  saying why" grep -q "completed no poll in" "$T/ra.err"
sset "$CONFIG_OID.19.0" u 1 >/dev/null
check "polls go on again: monitor succeeds (0)" wait_for 10 eval '[ "$(OCF_RESKEY_poll_timeout=1 rc_of monitor)" = 0 ]'
kill -9 "$pid"
wait_for 10 eval '! kill -0 "$pid" 2>/dev/null'
is "arasd killed (SIGKILL): monitor says not running (7)" "$(rc_of monitor)" 7
is "start after the kill: success (0)" "$(rc_of start)" 0
record_pid "$(cat "$T/rsctmp/arasd.pid")"
is "stop: success (0)" "$(rc_of stop)" 0
is "stop again: success (0)" "$(rc_of stop)" 0
is "monitor after stop: not running (7)" "$(rc_of monitor)" 7

# 3. configuration and installation faults
cp "$T/arasd.conf" "$T/bad.conf"
echo "cpuThreshold 250" >>"$T/bad.conf"
: >"$T/ra.err"
is "a bad configuration line: validate-all says not configured (6)" "$(OCF_RESKEY_config=$T/bad.conf rc_of validate-all)" 6
check "  with the file, line and reason" grep -q "bad.conf: line [0-9]*:.*cpuThreshold" "$T/ra.err"
is "  start refuses it too (6)" "$(OCF_RESKEY_config=$T/bad.conf rc_of start)" 6
is "  and nothing runs" "$(rc_of monitor)" 7
is "no arasd binary: not installed (5)" "$(OCF_RESKEY_binary=$T/nope rc_of validate-all)" 5
is "an unknown action: unimplemented (3)" "$(rc_of promote)" 3
check "meta-data is valid XML naming every action" \
	eval "ra meta-data | xmllint --noout - && [ \$(ra meta-data | grep -c '<action name=') = 5 ]"
exit 0
