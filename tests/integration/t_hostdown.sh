#!/bin/bash
# A host whose URI fails is shown down and announced with
# arasHostStateChange; it is retried with backoff and comes back by itself.
T_NAME=hostdown
. "$(dirname "$0")/../lib.sh"

URI_A=$(fixture hostA.xml)
GHOST="$T/hostC.xml"
HOSTS_CONF=("host alpha $URI_A 1" "host gamma test://$GHOST 3")
write_arasd_conf
start_snmpd || { not_ok "snmpd starts"; exit 1; }
start_trapd
start_arasd || { not_ok "arasd attaches to the master"; exit 1; }

check "host gamma is down" wait_get 10 $HOST_ENTRY.4.3 2
is "host alpha stays up" "$(sget "$HOST_ENTRY.4.1")" 1
err=$(sget "$HOST_ENTRY.12.3")
check "arasHostLastError says why ($err)" grep -q "cannot connect" <<<"$err"
is "alpha's VMs are still served" "$(swalk "$VM_ENTRY.3" | grep -c .)" 3
check "snmptrapd got arasHostStateChange for gamma" wait_for 10 sh -c \
	"grep -F '$NOTIFY_OID.3' $T/traps.log | grep -F '$HOST_ENTRY.2.3' | grep -q gamma"
is "exactly one down notification while it stays down" \
	"$(sleep 3; grep -F "$NOTIFY_OID.3" "$T/traps.log" | grep -c "$HOST_ENTRY.4.3 = INTEGER: 2")" 1
# trap carries sysUpTime.0 and snmpTrapOID.0 first
first=$(grep -F "$NOTIFY_OID.3" "$T/traps.log" | head -1)
check "trap starts with sysUpTime.0, snmpTrapOID.0" grep -q '^TRAP .1.3.6.1.2.1.1.3.0 = Timeticks: .*.1.3.6.1.6.3.1.1.4.1.0 = OID: '"$NOTIFY_OID.3" <<<"$first"

# the host appears: it comes back up by itself (backoff 1,2,4.. s)
cp "$TOP/conf/fixture/hostB.xml" "$GHOST"
check "host gamma comes back up by itself" wait_get 30 $HOST_ENTRY.4.3 1
check "up notification sent" wait_for 5 sh -c "grep -F '$NOTIFY_OID.3' $T/traps.log | grep -q '$HOST_ENTRY.4.3 = INTEGER: 1'"
is "gamma's VMs are listed" "$(swalk "$VM_ENTRY.3" | grep -c 'Gauge32: 3$')" 2
exit 0
