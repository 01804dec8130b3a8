#!/bin/bash
# The NMS tests do not depend on the caller's environment nor on what else
# runs on the machine: t_stock.sh (the stock snmpd, whose stock addresses are
# 127.0.0.1:161 and [::1]:161) and t_traps.sh (snmptrapd with the shipped
# configuration and names) run with net-snmp's variables set to bogus values
# (SNMP_PERSISTENT_DIR, MIBS, MIBDIRS, SNMPCONFPATH) while something listens
# on 127.0.0.1:161 (a UDP socket this test binds when the port is free), and
# must pass as they do alone.  tests/lib.sh clears those variables, and
# t_stock.sh runs in a network namespace of its own.
T_NAME=env
. "$(dirname "$0")/../lib.sh"

port161() { ss -Hlun 'sport = :161' 2>/dev/null | grep -q .; }
if port161; then
	echo "# port 161 is already taken: $(ss -Hlun 'sport = :161' | head -1 | tr -s ' ')"
else
	/usr/bin/python3 -c 'import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 161))
time.sleep(3600)' &
	record_pid $!
	wait_for 5 udp_bound 161
fi
check "something listens on 127.0.0.1:161 (ss: $(ss -Hlun 'sport = :161' | head -1 | tr -s ' '))" port161

BOGUS=/nonexistent/aras-bogus
for t in t_stock.sh t_traps.sh; do
	env SNMP_PERSISTENT_DIR=$BOGUS MIBS=+BOGUS-MIB MIBDIRS=$BOGUS SNMPCONFPATH=$BOGUS \
		timeout 300 bash "$TOP/tests/nms/$t" >"$T/$t.out" 2>&1
	rc=$?
	p=$(grep -c '^ok' "$T/$t.out")
	f=$(grep -c '^not ok' "$T/$t.out")
	is "$t with SNMP_PERSISTENT_DIR, MIBS, MIBDIRS, SNMPCONFPATH bogus and 127.0.0.1:161 taken: $p passed, exit 0" \
		"$rc $f $([ "$p" -ge 10 ] && echo some)" "0 0 some"
	grep '^not ok' "$T/$t.out" | sed "s/^/# $t: /"
done
check "the listener on 127.0.0.1:161 is still there (nothing took its place)" port161
exit 0
