#!/bin/bash
# Trap receivers: snmptrapd running the shipped conf/snmptrapd/snmptrapd.conf
# (handler and log paths pointed into the test dir, the forward line
# enabled towards a second snmptrapd) with the installed ARAS-MIB and the
# one client setting.  A memory threshold SET makes real arasd (test
# driver) raise arasSlaBreach: it is shown by name, the shipped handler
# logs one line per notification with VM name, host and the canonical UUID
# (zero padding kept: db1 is 0f4c1d2e-...), and the forward arrives.
# arasVmStateChange / arasVmStateChangesCoalesced: one readable line each,
# by hand-sent traps (a VM index with a space and a quote in it) and by a
# real suspend command.
T_NAME=traps
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"

nms_install || { not_ok "installed layout"; exit 1; }
NAMED_PORT=$TRAP_PORT # snmpd's trap2sink (write_snmpd_conf) -> the shipped config
write_snmpd_conf
start_snmpd || { not_ok "snmpd starts"; exit 1; }
TRAP_PORT=$(pick_port) # the forward target: lib.sh's numeric snmptrapd
start_trapd

mkdir -p "$T/trapconf"
cp "$NMS_DEST/etc/snmp/snmp.conf" "$T/trapconf/snmp.conf"
echo "mibs +ARAS-MIB" >>"$T/trapconf/snmp.conf"
sed -e "s|/usr/share/arasd/snmptrapd/aras-trap-log|$TOP/conf/snmptrapd/aras-trap-log|" \
	-e "s|/var/log/arasd-traps.log|$T/aras-traps.log|" \
	-e "s|^#forward \(.*\) udp:nms.example.net:162|forward \1 udp:127.0.0.1:$TRAP_PORT|" \
	"$TOP/conf/snmptrapd/snmptrapd.conf" >"$T/trapconf/snmptrapd.conf"
is "the test's copy differs from the shipped file only in paths and the forward line" \
	"$(diff "$TOP/conf/snmptrapd/snmptrapd.conf" "$T/trapconf/snmptrapd.conf" | grep '^>' | grep -vc '^> #')" 2
exec_installed env -u MIBS -u MIBDIRS SNMPCONFPATH="$T/trapconf" snmptrapd -f -Lf "$T/named.log" \
	"udp:127.0.0.1:$NAMED_PORT" >"$T/named.out" 2>&1 &
record_pid $!
check "snmptrapd with the shipped config listens" wait_for 10 sh -c "ss -Hlun 'sport = :$NAMED_PORT' | grep -q ."

# the handler on the two state notifications, sent by hand (snmptrap) so
# that the VM index holds the bytes that are hard to parse: snmptrapd shows
# a 16-octet index as 16 characters in quotes, a space and a quote included
ODD=32.39.34.92.139.122.76.61.142.47.0.0.0.32.0.162
snmptrap -v2c -c public "127.0.0.1:$NAMED_PORT" '' "$NOTIFY_OID.8" "$VM_ENTRY.2.$ODD" s "odd vm" \
	"$VM_ENTRY.33.$ODD" s 202722 "$VM_ENTRY.34.$ODD" s alpha "$VM_ENTRY.40.$ODD" i 4 "$VM_ENTRY.39.$ODD" i 12 \
	"$VM_ENTRY.41.$ODD" s "shutoff: crashed"
snmptrap -v2c -c public "127.0.0.1:$NAMED_PORT" '' "$NOTIFY_OID.9" "$STATUS_OID.24.0" c 12 "$STATUS_OID.23.0" c 340
check "hand-sent arasVmStateChange: one line, the transition and the reason" wait_for 10 grep -q \
	'^[0-9T:-]*Z arasVmStateChange from 127.0.0.1: vm="odd vm" uuid=202722 host=alpha running -> crashed (shutoff: crashed)$' "$T/aras-traps.log"
check "hand-sent arasVmStateChangesCoalesced: both counters" wait_for 10 grep -q \
	'^[0-9T:-]*Z arasVmStateChangesCoalesced from 127.0.0.1: coalesced=12 changesSeen=340$' "$T/aras-traps.log"
EVE=$BASE_OID.1.5.1
snmptrap -v2c -c public "127.0.0.1:$NAMED_PORT" '' "$NOTIFY_OID.10" "$EVE.13.7" s db "$EVE.5.7" s db2 \
	"$EVE.11.7" s 0f4c1d2e-8b7a-4c3d-8e2f-0000000000a2 "$EVE.6.7" u 1 "$EVE.12.7" s alpha \
	"$EVE.10.7" s "group db (antiAffinity): VM db2 shares host alpha with another member"
check "hand-sent arasRuleViolated: one line with group, VM, host and the text" wait_for 10 grep -q \
	'^[0-9T:-]*Z arasRuleViolated from 127.0.0.1: group=db vm=db2 uuid=0f4c1d2e-8b7a-4c3d-8e2f-0000000000a2 hostIndex=1 host=alpha text="group db (antiAffinity): VM db2 shares host alpha with another member"$' "$T/aras-traps.log"
grep -e ' arasVmStateChange ' -e ' arasVmStateChangesCoalesced ' -e ' arasRuleViolated ' "$T/aras-traps.log" | sed 's/^/# /'
: >"$T/aras-traps.log"

HOSTS_CONF=("host alpha $(fixture hostA.xml) 1" "host beta $(fixture hostB.xml) 2")
write_arasd_conf "stateFile $T/state" "holdTime 2" "actions trap"
start_arasd || { not_ok "arasd attaches to the master"; exit 1; }
sleep 1
# memory use: web1 50 %, db1 75 %: both over 40
sset "$CONFIG_OID.3.0" u 40 >/dev/null
check "the handler logged arasSlaBreach for db1" wait_for 20 grep -q '^[0-9T:-]*Z arasSlaBreach .*vm=db1' "$T/aras-traps.log"
sleep 1
line=$(grep 'arasSlaBreach .*vm=db1 ' "$T/aras-traps.log" | head -1)
echo "# $line"
check "  with the canonical UUID (zero padding kept)" grep -q ' uuid=0f4c1d2e-8b7a-4c3d-8e2f-0000000000a2\( \|$\)' <<<"$line"
check "  with the host index, resource by name and the numbers" \
	grep -q 'hostIndex=1 resource=memory value=75% threshold=40%' <<<"$line"
check "  with the host by name (arasEventHostName)" grep -q ' host=alpha' <<<"$line"
check "  and the sender's address" grep -q 'arasSlaBreach from 127.0.0.1:' <<<"$line"
check "web1's line has its UUID" grep -q 'arasSlaBreach .*vm=web1 .*uuid=6a2e7c0e-1f3b-4b4e-9a51-0000000000a1' "$T/aras-traps.log"
is "one line per breach (5 VMs over 40 %)" "$(grep -c ' arasSlaBreach ' "$T/aras-traps.log")" 5
check "snmptrapd's own log shows the trap by name" grep -q 'ARAS-MIB::arasSlaBreach' "$T/named.log"
check "  and arasEventVmUuidString by name with the canonical string" \
	grep -q 'ARAS-MIB::arasEventVmUuidString\.[0-9]* = STRING: "\{0,1\}0f4c1d2e-8b7a-4c3d-8e2f-0000000000a2' "$T/named.log"
check "the forward reached the second receiver (5 breaches)" wait_for 5 \
	sh -c "[ \$(grep -c 'OID: $NOTIFY_OID.1[^0-9]' $T/traps.log) -ge 5 ]"
check "  with the UUID string, then the host name as the last objects" grep -q "$BASE_OID.1.5.1.11.[0-9]* = STRING: \"0f4c1d2e-8b7a-4c3d-8e2f-0000000000a2\".*$BASE_OID.1.5.1.12.[0-9]* = STRING: \"alpha\"\$" "$T/traps.log"
sset "$CONFIG_OID.3.0" u 90 >/dev/null
check "arasSlaClear logged too" wait_for 15 sh -c "[ \$(grep -c ' arasSlaClear ' $T/aras-traps.log) -ge 5 ]"
grep -m1 ' arasSlaClear .*vm=web1' "$T/aras-traps.log" | sed 's/^/# /'
# a life-cycle command (arasVmCommand suspend(7)) -> arasVmStateChange
sset "$VM_ENTRY.43.$(uuid_oid 6a2e7c0e-1f3b-4b4e-9a51-0000000000a1)" i 7 >/dev/null
check "arasVmCommand suspend on web1: the handler logged its arasVmStateChange" wait_for 15 \
	grep -q '^[0-9T:-]*Z arasVmStateChange from 127.0.0.1: vm=web1 uuid=6a2e7c0e-1f3b-4b4e-9a51-0000000000a1 host=alpha running -> paused (paused: [a-z ]*)$' "$T/aras-traps.log"
grep -m1 ' arasVmStateChange .*vm=web1' "$T/aras-traps.log" | sed 's/^/# /'
is "no handler error in snmptrapd's log" "$(grep -ci -e 'error' -e 'cannot' -e 'unknown' "$T/named.log")" 0
exit 0
