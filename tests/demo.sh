#!/bin/bash
# tests/demo.sh - what `make demo` runs: arasd for real on its embedded
# default.  A private snmpd master on 127.0.0.1 (random port, private
# AgentX socket), arasd watching two hosts of libvirt's test driver (the
# shipped fixture conf/fixture/host{A,B}.xml), then the ARAS-MIB tables as
# an operator sees them with snmpwalk.  Everything started is stopped at
# the end (DEMO_KEEP=1 keeps it running until Ctrl-C).
T_NAME=demo
. "$(dirname "$0")/lib.sh"
erl=$(ls -d /usr/lib/erlang/lib/snmp-*/mibs | head -1)
MIBOPTS=(-M "$TOP/mib:$erl:/usr/share/snmp/mibs" -m ARAS-MIB)

HOSTS_CONF=("host alpha test://$TOP/conf/fixture/hostA.xml 1" "host beta test://$TOP/conf/fixture/hostB.xml 2")
POLL=2 write_arasd_conf
echo "== arasd -n (config check)"
"$ARASD" -n -c "$T/arasd.conf" || exit 1
start_snmpd || { echo "snmpd did not start"; cat "$T/snmpd.log"; exit 1; }
echo "== snmpd master on udp:$AGENT, AgentX socket $AGENTX"
start_arasd || { echo "arasd did not attach"; cat "$T/arasd.log"; exit 1; }
sleep 3
echo "== arasd log"
cat "$T/arasd.log"
for t in arasConfig arasStatus arasHostTable; do
	echo "== snmpwalk -v2c -c public $AGENT ARAS-MIB::$t"
	snmpwalk -v2c -c public "${MIBOPTS[@]}" "$AGENT" "ARAS-MIB::$t"
done
echo "== snmptable -v2c -c public $AGENT ARAS-MIB::arasVmTable (first columns)"
snmptable -v2c -c public "${MIBOPTS[@]}" -Cb -Cw 200 "$AGENT" ARAS-MIB::arasVmTable | cut -c1-160
if [ -n "${DEMO_KEEP:-}" ]; then
	echo "== running; try: snmpwalk -v2c -c public -M $TOP/mib:$erl:/usr/share/snmp/mibs -m ARAS-MIB $AGENT ARAS-MIB::arasMIB"
	echo "== Ctrl-C stops snmpd and arasd"
	wait "$ARASD_PID"
fi
