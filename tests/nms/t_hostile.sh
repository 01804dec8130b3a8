#!/bin/bash
# Hostile names (issue 20, items 4 and 5): libvirt test-driver fixtures
# whose VM names hold a line feed (with 20 lines that would read as arasd's
# own and a varbind line that would forge host=), a CR, a C1 CSI (U+009B),
# a backslash and a '|', and a host name (from arasd.conf; XML cannot carry
# it) with an ESC; and a VM "twin" on both hosts.  A memory threshold SET
# makes arasd raise arasSlaBreach for every VM: through a real snmptrapd
# (ARAS-MIB loaded, as the shipped configs have it) the shipped handlers
# conf/snmptrapd/aras-trap-log and conf/zabbix/aras-zabbix-trap write one
# line (one record) per notification with the names C-style escaped, no
# control byte, no forged field; arasd's log has no forged line and no
# control byte, nor has `arasd -t`; check_arasd prints one escaped line, refuses the ambiguous
# "twin" (UNKNOWN listing both hosts) and finds it by --host or --uuid.
T_NAME=hostile
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"
PLUGIN=$TOP/plugins/check_arasd

nms_install || { not_ok "installed layout"; exit 1; }

# ---- fixtures: names as XML character references
LF_NAME=$'lf\nARAS-MIB::arasEventHostName.99 "forged"'
for i in $(seq 1 20); do LF_NAME+=$'\nforged'$i; done # 212 bytes (at most 255 kept)
CR_NAME=$'cr\rOK all clear'
C1_NAME=$'c1\xc2\x9b2Jwiped'
BS_NAME='back\slash'
PIPE_NAME="pipe|'cpu'=1%"
BETA=$'b\x1b[2Jeta' # ESC [2J: clear the screen
python3 - "$T" "$LF_NAME" "$CR_NAME" "$C1_NAME" "$BS_NAME" "$PIPE_NAME" <<'PY' || { not_ok "fixtures written"; exit 1; }
import sys
t, lf, cr, c1, bs, pipe = sys.argv[1:]
def ref(s):
    return "".join(c if c.isalnum() or c in " -_." else "&#%d;" % ord(c) for c in s)
def dom(name, n):
    return ("  <domain type='test'><name>%s</name><uuid>7b000000-0000-4000-8000-0000000000%02x</uuid>"
            "<memory>1048576</memory><currentMemory>524288</currentMemory><vcpu>1</vcpu>"
            "<os><type>hvm</type></os></domain>\n" % (ref(name), n))
head = ("<node><cpu><mhz>2400</mhz><model>x86_64</model><active>8</active><nodes>1</nodes>"
        "<sockets>1</sockets><cores>4</cores><threads>2</threads></cpu><memory>16777216</memory>\n")
with open(t + "/hostA.xml", "w") as f:
    f.write(head + dom("twin", 0xa1) + dom(lf, 0xa2) + dom(cr, 0xa3) + dom(c1, 0xa4) + "</node>\n")
with open(t + "/hostB.xml", "w") as f:
    f.write(head + dom("twin", 0xb1) + dom(bs, 0xb2) + dom(pipe, 0xb3) + "</node>\n")
PY
NVMS=7
TWIN_A=7b000000-0000-4000-8000-0000000000a1
TWIN_B=7b000000-0000-4000-8000-0000000000b1
check "libvirt's test driver takes the names (virsh)" sh -c \
	"virsh -c 'test://$T/hostA.xml' list --all --name | grep -q '^lf\$' && virsh -c 'test://$T/hostA.xml' list --all --name | grep -q '^cr'"

# ---- the handlers alone
# their OBJECTS lists are ARAS-MIB's
mib_objects() { python3 - "$TOP/mib/ARAS-MIB.txt" <<'PY'
import re, sys
for n, objs in re.findall(r"^(\w+) NOTIFICATION-TYPE\s+OBJECTS\s*\{([^}]*)\}", open(sys.argv[1]).read(), re.M):
    print(n, " ".join(o.strip() for o in objs.split(",")))
PY
}
for h in conf/snmptrapd/aras-trap-log conf/zabbix/aras-zabbix-trap; do
	got=$(mib_objects | while read -r n _; do
		printf '%s %s\n' "$n" "$(sh -c "$(sed -n '/^objects()/,/^}/p' "$TOP/$h"); objects $n")"
	done)
	is "$h: each notification's objects are ARAS-MIB's OBJECTS" "$got" "$(mib_objects)"
done
# snmptrapd's input with the MIB loaded: a DisplayString as it is.  A name
# line that copies a varbind of the notification with its row index: the
# fields cannot be told apart, the whole text is kept (ambiguous=)
feed() { # HANDLER OUT VMNAME: an arasSlaBreach for event row 7
	printf '%s\n' localhost 'UDP: [127.0.0.1]:40000->[127.0.0.1]:162' \
		'DISMAN-EVENT-MIB::sysUpTimeInstance 0:0:00:01.00' 'SNMPv2-MIB::snmpTrapOID.0 ARAS-MIB::arasSlaBreach' \
		"ARAS-MIB::arasEventVmUuid.7 \"7B 00 00 00 00 00 40 00 80 00 00 00 00 00 00 A2 \"" \
		"ARAS-MIB::arasEventVmName.7 $3" 'ARAS-MIB::arasEventHostIndex.7 1' 'ARAS-MIB::arasEventResource.7 memory' \
		'ARAS-MIB::arasEventValue.7 50 percent' 'ARAS-MIB::arasEventThreshold.7 10 percent' \
		'ARAS-MIB::arasEventVmUuidString.7 7b000000-0000-4000-8000-0000000000a2' 'ARAS-MIB::arasEventHostName.7 alpha' |
		"$TOP/$1" "$2"
}
feed conf/snmptrapd/aras-trap-log "$T/h1.log" $'x\nARAS-MIB::arasEventHostName.8 forged'
is "aras-trap-log: a copied varbind line of another row stays in the name" \
	"$(cut -d' ' -f2- "$T/h1.log")" \
	'arasSlaBreach from 127.0.0.1: vm="x\nARAS-MIB::arasEventHostName.8 forged" hostIndex=1 resource=memory value=50% threshold=10% uuid=7b000000-0000-4000-8000-0000000000a2 host=alpha'
feed conf/snmptrapd/aras-trap-log "$T/h2.log" $'x\nARAS-MIB::arasEventHostName.7 forged'
check "aras-trap-log: a copied varbind line of the row: ambiguous, the whole text" grep -qF \
	'arasSlaBreach from 127.0.0.1: ambiguous="ARAS-MIB::arasEventVmUuid.7 \"7B 00 00 00 00 00 40 00 80 00 00 00 00 00 00 A2 \"\nARAS-MIB::arasEventVmName.7 x\nARAS-MIB::arasEventHostName.7 forged\nARAS-MIB::arasEventHostIndex.7 1\n' "$T/h2.log"
is "  one line, no host=" "$(wc -l <"$T/h2.log") $(grep -c ' host=' "$T/h2.log")" "1 0"
feed conf/zabbix/aras-zabbix-trap "$T/z1.log" $'x\nARAS-MIB::arasEventHostName.7 forged\r\xc2\x9b'
is "aras-zabbix-trap: the same: one record, ambiguous, escaped" \
	"$(wc -l <"$T/z1.log") $(grep -c '^arasSlaBreach ambiguous=".*forged\\r\\xc2\\x9b\\nARAS-MIB::arasEventHostIndex.7 1\\n' "$T/z1.log")" "2 1"
feed conf/zabbix/aras-zabbix-trap "$T/z2.log" $'tab\there "quoted" back\\slash \x7f'
is "aras-zabbix-trap: tab, quotes, backslash, DEL" "$(sed -n 2p "$T/z2.log")" \
	'arasSlaBreach vm="tab\there \"quoted\" back\\slash \x7f" uuid=7b000000-0000-4000-8000-0000000000a2 host=alpha hostIndex=1 resource=memory value=50% threshold=10%'

# ---- snmpd, snmptrapd with both shipped handlers, arasd
NAMED_PORT=$TRAP_PORT
write_snmpd_conf
start_snmpd || { not_ok "snmpd starts"; exit 1; }
mkdir -p "$T/trapconf"
cp "$NMS_DEST/etc/snmp/snmp.conf" "$T/trapconf/snmp.conf"
echo "mibs +ARAS-MIB" >>"$T/trapconf/snmp.conf"
cat >"$T/trapconf/snmptrapd.conf" <<CONF
authCommunity log,execute,net public
traphandle ARAS-MIB::arasNotifications.* $TOP/conf/snmptrapd/aras-trap-log $T/aras-traps.log
traphandle ARAS-MIB::arasNotifications.* $TOP/conf/zabbix/aras-zabbix-trap $T/zbx.log
CONF
exec_installed env -u MIBS -u MIBDIRS SNMPCONFPATH="$T/trapconf" snmptrapd -f -Lf "$T/named.log" \
	"udp:127.0.0.1:$NAMED_PORT" >"$T/named.out" 2>&1 &
record_pid $!
check "snmptrapd with the two handlers listens" wait_for 10 sh -c "ss -Hlun 'sport = :$NAMED_PORT' | grep -q ."

HOSTS_CONF=("host alpha test://$T/hostA.xml 1" "host $BETA test://$T/hostB.xml 2")
write_arasd_conf "stateFile $T/state" "holdTime 1" "actions trap"
start_arasd || { not_ok "arasd attaches to the master"; exit 1; }
check "arasd sees the $NVMS VMs" wait_get 15 "$STATUS_OID.2.0" "$NVMS"
sset "$CONFIG_OID.3.0" u 10 >/dev/null # memory use 50 % > 10 %: every VM breaches
# (and CPU: the test driver's VMs use 100 %); snmptrapd logs each notification
# once, then runs the two handlers (about 0.3 s each)
notifications() { grep -c 'ARAS-MIB::arasSlaBreach' "$T/named.log"; }
handled() {
	[ "$(grep -c ' arasSlaBreach .*resource=memory' "$T/aras-traps.log")" -ge "$NVMS" ] &&
		[ "$(grep -c '^arasSlaBreach .*resource=memory' "$T/zbx.log")" -ge "$NVMS" ] &&
		[ "$(grep -c ' arasSlaBreach ' "$T/aras-traps.log")" -eq "$(notifications)" ] &&
		[ "$(grep -c '^arasSlaBreach ' "$T/zbx.log")" -eq "$(notifications)" ]
}
check "both handlers wrote every arasSlaBreach (memory for the $NVMS VMs)" wait_for 60 handled
N=$(notifications)
sed 's/^/# traps: /' "$T/aras-traps.log"

# raw: any byte below 0x20 but the line feed, 0x7f, or a UTF-8 C1 control
raw() { LC_ALL=C grep -c -P '[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]' "$1"; }

# ---- aras-trap-log: one line per notification, escaped
f=$T/aras-traps.log
is "aras-trap-log: one line per notification ($N)" "$(wc -l <"$f")" "$N"
is "aras-trap-log: every line is a notification" "$(grep -vc '^[0-9T:-]*Z arasSlaBreach from 127.0.0.1: ' "$f")" 0
is "aras-trap-log: no control byte" "$(raw "$f")" 0
is "aras-trap-log: no forged host=" "$(grep -c 'host=forged\|host="forged"' "$f")" 0
check "aras-trap-log: the line-feed name escaped, one field" grep -qF \
	'vm="lf\nARAS-MIB::arasEventHostName.99 \"forged\"\nforged1\nforged2' "$f"
check "aras-trap-log: CR escaped" grep -qF 'vm="cr\rOK all clear"' "$f"
check "aras-trap-log: C1 CSI escaped" grep -qF 'vm=c1\xc2\x9b2Jwiped' "$f"
check "aras-trap-log: backslash doubled" grep -qF 'vm=back\\slash' "$f"
check "aras-trap-log: ESC in the host name escaped" grep -qF \
	'vm=twin hostIndex=2 resource=memory value=50% threshold=10% uuid='"$TWIN_B"' host=b\x1b[2Jeta' "$f"

# ---- aras-zabbix-trap: one record (ZBXTRAP line + text line) per notification
f=$T/zbx.log
is "aras-zabbix-trap: one record per notification ($N)" "$(grep -c ' ZBXTRAP 127.0.0.1$' "$f")" "$N"
is "aras-zabbix-trap: 2 lines per record" "$(wc -l <"$f")" $((2 * N))
is "aras-zabbix-trap: no control byte" "$(raw "$f")" 0
is "aras-zabbix-trap: no forged host=" "$(grep -c 'host=forged\|host="forged"' "$f")" 0
check "aras-zabbix-trap: the line-feed name escaped" grep -qF \
	'arasSlaBreach vm="lf\nARAS-MIB::arasEventHostName.99 \"forged\"\nforged1' "$f"
check "aras-zabbix-trap: CR and C1 escaped" sh -c \
	"grep -qF 'vm=\"cr\\rOK all clear\"' '$f' && grep -qF 'vm=c1\\xc2\\x9b2Jwiped' '$f'"
check "aras-zabbix-trap: ESC escaped" grep -qF 'arasSlaBreach vm=twin uuid='"$TWIN_B"' host=b\x1b[2Jeta' "$f"

# ---- arasd's log
f=$T/arasd.log
sed 's/^/# log: /' "$f" | grep -a -e lf -e cr -e c1 | head -3
is "arasd's log: no forged line" "$(grep -ac '^forged' "$f")" 0
is "arasd's log: no control byte" "$(raw "$f")" 0
check "arasd's log: the breach of the line-feed VM on one line, escaped" grep -qF \
	'VM lf\nARAS-MIB::arasEventHostName.99 "forged"\nforged1\nforged2' "$f"
check "arasd's log: CR, C1 and ESC escaped" sh -c "grep -qF 'VM cr\\rOK all clear' '$f' &&
	grep -qF 'VM c1\\xc2\\x9b2Jwiped' '$f' && grep -qF 'b\\x1b[2Jeta' '$f'"

# ---- arasd -t: one line per host, escaped
out=$("$ARASD" -t -c "$T/arasd.conf" 2>&1)
is "arasd -t: no control byte" "$(printf '%s' "$out" | LC_ALL=C grep -c -P '[\x00-\x09\x0b-\x1f\x7f]')" 0
check "arasd -t: the host name escaped" grep -qF 'host b\x1b[2Jeta (index 2, ' <<<"$out"

# ---- check_arasd: one escaped line; twin by --host or --uuid only (the
# VMs' CPU alert fires: CRITICAL, where UNKNOWN would be a VM not found)
run() { out=$("$PLUGIN" -H 127.0.0.1 -p "$SNMP_PORT" "$@" 2>&1); rc=$?; }
lines() { printf '%s' "$out" | tr -dc '\n' | wc -c; } # 0: one line (no raw LF inside)
ctl() { printf '%s' "$out" | LC_ALL=C grep -c -P '[\x00-\x1f\x7f]|\xc2[\x80-\x9f]'; }
run --vm "$LF_NAME"
echo "# $out"
is "check_arasd --vm <line-feed name>: found (CRITICAL)" "$rc" 2
is "  one line" "$(lines)" 0
is "  no control byte" "$(ctl)" 0
check "  the name escaped" grep -qF 'ARASD CRITICAL - VM lf\nARAS-MIB::arasEventHostName.99 "forged"\nforged1' <<<"$out"
run --vm "$CR_NAME"
is "check_arasd --vm <CR name>: escaped, one line, no control" "$rc $(lines) $(ctl)" "2 0 0"
check "  \\r shown" grep -qF 'VM cr\rOK all clear on alpha' <<<"$out"
run --vm "$C1_NAME"
is "check_arasd --vm <C1 name>: escaped, no control" "$rc $(ctl)" "2 0"
check "  \\xc2\\x9b shown" grep -qF 'VM c1\xc2\x9b2Jwiped on alpha' <<<"$out"
run --vm "$PIPE_NAME"
is "check_arasd --vm <name with |>: one '|', the perfdata's" "$rc $(printf '%s' "$out" | tr -dc '|' | wc -c)" "2 1"
check "  | shown as \\x7c" grep -qF "VM pipe\\x7c'cpu'=1% on b\\x1b[2Jeta" <<<"$out"
run --host "$BETA"
is "check_arasd --host <ESC name>: escaped" "$rc $(ctl)" "0 0"
check "  \\x1b shown" grep -qF 'ARASD OK - host b\x1b[2Jeta up' <<<"$out"
run --vm twin
echo "# $out"
is "check_arasd --vm twin (on two hosts): UNKNOWN" "$rc" 3
is "  lists both hosts and UUIDs" "$out" \
	"ARASD UNKNOWN - VM 'twin' is on 2 hosts: alpha (uuid $TWIN_A), b\\x1b[2Jeta (uuid $TWIN_B); give --host HOST or --uuid UUID"
run --vm twin --host alpha
is "check_arasd --vm twin --host alpha: found" "$rc" 2
check "  the one on alpha" grep -q '^ARASD CRITICAL - VM twin on alpha running' <<<"$out"
run --vm twin --host "$BETA"
is "check_arasd --vm twin --host <beta>: found, no control" "$rc $(ctl)" "2 0"
check "  the one on beta" grep -qF 'ARASD CRITICAL - VM twin on b\x1b[2Jeta running' <<<"$out"
run --vm twin --host gamma
is "check_arasd --vm twin --host gamma: UNKNOWN" "$rc" 3
check "  says where it is" grep -qxF "ARASD UNKNOWN - VM 'twin' not found on host 'gamma' (it is on alpha, b\\x1b[2Jeta)" <<<"$out"
run --uuid "$TWIN_B"
is "check_arasd --uuid <beta's twin>: found" "$rc" 2
check "  by name and host" grep -qF 'ARASD CRITICAL - VM twin on b\x1b[2Jeta running' <<<"$out"
run --uuid "${TWIN_A^^}" --host alpha
is "check_arasd --uuid (upper case) --host alpha: found" "$rc" 2
run --uuid "$TWIN_A" --host "$BETA"
is "check_arasd --uuid <alpha's twin> --host <beta>: UNKNOWN" "$rc" 3
run --uuid 7b000000-0000-4000-8000-0000000000ff
is "check_arasd --uuid <unknown>: UNKNOWN" "$rc" 3
check "  not found" grep -qxF "ARASD UNKNOWN - VM with UUID 7b000000-0000-4000-8000-0000000000ff not found ($NVMS VMs known)" <<<"$out"
run --uuid not-a-uuid
is "check_arasd --uuid not-a-uuid: UNKNOWN" "$rc" 3
run --uuid "$TWIN_A" --vm twin
is "check_arasd --uuid and --vm: UNKNOWN (usage)" "$rc" 3
run --alerts --host alpha
is "check_arasd --alerts --host: UNKNOWN (usage)" "$rc" 3
exit 0
