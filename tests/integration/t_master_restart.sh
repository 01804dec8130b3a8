#!/bin/bash
# snmpd killed and restarted: arasd reconnects and its rows are back within
# the configured agentxPingInterval.  Also: arasd killed -9 and restarted.
T_NAME=master
. "$(dirname "$0")/../lib.sh"

PING=3
HOSTS_CONF=("host alpha $(fixture hostA.xml)")
write_arasd_conf
start_snmpd || { not_ok "snmpd starts"; exit 1; }
start_arasd || { not_ok "arasd attaches to the master"; exit 1; }
wait_get 30 $STATUS_OID.2.0 3 || not_ok "the first poll lists host alpha's three VMs"
is "rows served" "$(swalk "$VM_ENTRY.2" | grep -c .)" 3

kill -9 "$SNMPD_PID"
wait "$SNMPD_PID" 2>/dev/null
sleep 1
start_snmpd || not_ok "snmpd restarts"
t0=$(date +%s%N)
check "rows back within agentxPingInterval ($PING s) of the restart" wait_for $((PING + 1)) \
	sh -c "[ \"\$(snmpwalk -v2c -c public -On $AGENT $VM_ENTRY.2 | grep -c STRING)\" = 3 ]"
echo "# reattached after $((($(date +%s%N) - t0) / 1000000)) ms"
check "arasd is still the same process" kill -0 "$ARASD_PID"

# second restart: reconnect is not a one-off
kill "$SNMPD_PID"
wait "$SNMPD_PID" 2>/dev/null
start_snmpd || not_ok "snmpd restarts again"
check "rows back after a second restart" wait_for $((PING + 1)) \
	sh -c "[ \"\$(snmpwalk -v2c -c public -On $AGENT $VM_ENTRY.2 | grep -c STRING)\" = 3 ]"

# subagent killed -9 and restarted at once: master survives, rows return
kill -9 "$ARASD_PID"
wait "$ARASD_PID" 2>/dev/null
start_arasd || not_ok "arasd restarts after kill -9"
check "master still answers after subagent kill -9" snmpget -v2c -c public "$AGENT" .1.3.6.1.2.1.1.3.0
check "rows served by the new arasd" wait_for 5 \
	sh -c "[ \"\$(snmpwalk -v2c -c public -On $AGENT $VM_ENTRY.2 | grep -c STRING)\" = 3 ]"
check "log says master lost and connected" grep -q "AgentX master lost" "$T/arasd.log"
exit 0
