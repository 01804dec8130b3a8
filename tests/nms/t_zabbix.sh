#!/bin/bash
# Zabbix 6.0: the shipped template conf/zabbix/arasd_template.yaml against a
# real, private Zabbix: PostgreSQL initialised in $T (own port, trust,
# fsync=off) with the schema/images/data of zabbix-server-pgsql, zabbix_server
# on loopback with its own config (user zabbix, foreground, few processes,
# 1 s config cache refresh) and the frontend's JSON-RPC API (a copy of
# /usr/share/zabbix served by `php -S`, its config file pointed at $T).
# Through the API: import the template, create a host on the test snmpd with
# the interval macros lowered, then assert that every fixture VM and host is
# discovered by name, that item values equal what snmpget returns, and that a
# SET of arasMemThreshold below a VM's use fires its per-VM memory trigger and
# raising it back resolves it.  Traps: zabbix_server's SNMP trapper reads a
# private SNMPTrapperFile that a real snmptrapd (private port, the shipped
# conf/zabbix/snmptrapd-zabbix.conf with paths pointed into $T) fills through
# the shipped handler conf/zabbix/aras-zabbix-trap; the test snmpd's
# trap2sink goes there.  The SET's arasSlaBreach must land in the template's
# snmptrap["arasSlaBreach"] item with VM name, host name and canonical UUID
# and fire the trap trigger; arasHostStateChange (gamma up) and
# arasActionFailed (maintenance) land in theirs.  VM life cycle: the per-VM
# operational state (RFC 7666 value map) equals snmpget; arasVmCommand
# suspend/resume of web1 lands in snmptrap["arasVmStateChange\s"] and the
# polled state, and fires / resolves the paused trigger ({$ARAS.VM.PAUSED.MAX}
# 5s); a hand-sent crash fires the crash trap trigger, a hand-sent
# arasVmStateChangesCoalesced lands in its own item, a hand-sent
# arasRuleViolated in its item and trigger (tagged with the group).  Last,
# two minutes with the trap triggers in PROBLEM: each trap trigger has
# exactly one PROBLEM event per value of its item (no event from Zabbix's
# 30-second timer).  The large-cluster path: a second arasd on the same
# hosts as its own SNMP agent (agentAddress, no snmpd) is a second Zabbix
# host with the same template, its SNMP interface's port the template's
# macro {$ARAS.SNMP.PORT} set on the host; created with the first (its
# discovery runs during the first host's waits), its VMs and hosts are
# discovered by name and its VM items' values equal snmpget's from that
# agent; then it is disabled.  Prints (not asserted) the
# time to discover the VMs and the times from the SET to the trigger in
# PROBLEM and to the trap's value in Zabbix.
T_NAME=zabbix
. "$(dirname "$0")/../lib.sh"
TEMPLATE=$TOP/conf/zabbix/arasd_template.yaml
TNAME='ARAS arasd by SNMP'
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
SQL=/usr/share/zabbix-server-pgsql
for f in "$PGBIN/initdb" /usr/sbin/zabbix_server /usr/share/zabbix/api_jsonrpc.php "$SQL/schema.sql.gz"; do
	[ -e "$f" ] || { not_ok "$f is installed (tests/deps.sh)"; exit 1; }
done
check "the template's OIDs agree with mib/ARAS-MIB.txt" python3 "$TOP/tests/nms/mibnames.py" --check "$TEMPLATE"
# the handler alone: one record, the sender's address, no second ZBXTRAP
# from a value (it would split the record in Zabbix's parser)
printf '%s\n' localhost 'UDP: [127.0.0.1]:40000->[127.0.0.1]:162' 'DISMAN-EVENT-MIB::sysUpTimeInstance 0:0:00:01.00' \
	'SNMPv2-MIB::snmpTrapOID.0 ARAS-MIB::arasHostStateChange' 'ARAS-MIB::arasHostName.1 "alpha"' \
	'ARAS-MIB::arasHostState.1 down' 'ARAS-MIB::arasHostLastError.1 "x ZBXTRAP 10.0.0.9 y"' |
	"$TOP/conf/zabbix/aras-zabbix-trap" "$T/handler.log"
is "aras-zabbix-trap: a ZBXTRAP line with the sender's address, then the text" \
	"$(sed 's/^[0-9][0-9]:[0-9][0-9]:[0-9][0-9] [0-9]\{4\}\/[0-9][0-9]\/[0-9][0-9] ZBXTRAP /TS ZBXTRAP /' "$T/handler.log")" \
	"TS ZBXTRAP 127.0.0.1
arasHostStateChange host=alpha state=down error=\"x ZBX_TRAP 10.0.0.9 y\""
chmod 711 "$T" # postgres and zabbix (unprivileged) reach their own dirs below

# a free TCP port below 32768 (zabbix_server's ListenPort range; pick_port
# looks at UDP only)
tcp_port() {
	local p
	while :; do
		p=$(pick_port)
		[ "$p" -lt 32768 ] || continue
		ss -Hltn "sport = :$p" | grep -q . || { echo "$p"; return; }
	done
}
PG_PORT=$(tcp_port)
Z_PORT=$(tcp_port)
WEB_PORT=$(tcp_port)
Z=$T/zabbix
mkdir -p "$T/pg" "$Z" "$Z/snmptrap"
chown postgres: "$T/pg"
chown zabbix: "$Z"
# as the snippet's setup says: written by snmptrapd, read by group zabbix
chgrp zabbix "$Z/snmptrap" && chmod 2750 "$Z/snmptrap"
TRAPFILE=$Z/snmptrap/snmptrap.log

# stop zabbix_server (it must reap its children: up to 20 s) and PostgreSQL
# (fast shutdown) before lib.sh's cleanup
ZBX_PID='' PG_PID=''
stop_all() {
	local p
	for p in $ZBX_PID $PG_PID; do
		[ "$p" = "$PG_PID" ] && kill -INT "$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null
		for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
	done
	cleanup
}
trap stop_all EXIT

# ---- arasd on the two-host fixture
# gamma's libvirt URI fails until its file exists: the host is down
HOSTS_CONF=("host alpha $(fixture hostA.xml) 1" "host beta $(fixture hostB.xml) 2" "host gamma test://$T/hostC.xml 3")
# delta: VMs with several disks and interfaces (the device discoveries, issue 23)
cp "$TOP/tests/fixtures/devices/node.xml" "$T/devices.xml"
HOSTS_CONF+=("host delta test://$T/devices.xml 4")
# ZABBIX_BULK_VMS=N adds a third host with N more VMs (for the README's
# discovery figure; make check runs the five-VM fixture only)
if [ "${ZABBIX_BULK_VMS:-0}" -gt 0 ]; then
	{
		echo "<node><cpu><mhz>2400</mhz><model>x86_64</model><active>64</active><nodes>1</nodes><sockets>4</sockets><cores>8</cores><threads>2</threads></cpu><memory>536870912</memory>"
		for ((i = 1; i <= ZABBIX_BULK_VMS; i++)); do
			printf "<domain type='test'><name>bulk%04d</name><uuid>b0b0b0b0-0000-4000-8000-%012d</uuid><memory>1048576</memory><currentMemory>524288</currentMemory><vcpu current='1'>2</vcpu><os><type>hvm</type></os></domain>\n" "$i" "$i"
		done
		echo "</node>"
	} >"$T/bulk.xml"
	HOSTS_CONF+=("host bulk test://$T/bulk.xml 3")
fi
write_arasd_conf "stateFile $T/state" "holdTime 2" "clearMargin 5"
start_snmpd || { not_ok "snmpd starts"; exit 1; }

# ---- snmptrapd for Zabbix: the shipped snippet and handler, paths into $T;
# snmpd's trap2sink (tests/lib.sh) is $TRAP_PORT
IETF=$(ls -d /usr/lib/erlang/lib/snmp-*/mibs 2>/dev/null | tail -1)
sed -e "s|/usr/share/arasd/zabbix/aras-zabbix-trap|$TOP/conf/zabbix/aras-zabbix-trap|" \
	-e "s|/var/log/snmptrap/snmptrap.log|$TRAPFILE|" "$TOP/conf/zabbix/snmptrapd-zabbix.conf" >"$T/snmptrapd-zabbix.conf"
is "the test's snippet differs from the shipped one only in the two traphandle lines" \
	"$(diff "$TOP/conf/zabbix/snmptrapd-zabbix.conf" "$T/snmptrapd-zabbix.conf" | grep -c '^> [^#]')" 2
mkdir -p "$T/trapd-state"
MIBDIRS="$TOP/mib:$IETF:/usr/share/snmp/mibs" MIBS=SNMPv2-MIB:ARAS-MIB SNMP_PERSISTENT_DIR="$T/trapd-state" \
	snmptrapd -f -C -c "$T/snmptrapd-zabbix.conf" -Lf "$T/snmptrapd-zabbix.log" "udp:127.0.0.1:$TRAP_PORT" &
record_pid $!
check "snmptrapd with the shipped Zabbix snippet listens" wait_for 10 sh -c "ss -Hlun 'sport = :$TRAP_PORT' | grep -q ."
start_arasd || { not_ok "arasd attaches to the master"; exit 1; }
# the standalone arasd on the same hosts (no trap sink: the snmptrapd above
# is for the master's traps)
. "$TOP/tests/nms/lib.sh"
SA_NO_TRAPS=1 start_standalone_arasd "holdTime 2" "clearMargin 5" ||
	{ not_ok "the standalone arasd answers on its agentAddress"; exit 1; }

# ---- PostgreSQL
t0=$(date +%s%N)
pg() { setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; }
pg "$PGBIN/initdb" -D "$T/pg/data" -A trust -U postgres -E UTF8 --locale=C --no-sync >"$T/pg/initdb.log" 2>&1 ||
	{ not_ok "initdb"; cat "$T/pg/initdb.log"; exit 1; }
# setpriv execs: $! is postgres itself (a shell function would add a subshell)
setpriv --reuid=postgres --regid=postgres --init-groups -- "$PGBIN/postgres" -D "$T/pg/data" -p "$PG_PORT" -k "$T/pg" -c listen_addresses=127.0.0.1 \
	-c fsync=off -c synchronous_commit=off -c full_page_writes=off >"$T/pg/postgres.log" 2>&1 &
PG_PID=$!
record_pid $PG_PID
psql() { command psql -X -q -h 127.0.0.1 -p "$PG_PORT" "$@"; }
wait_for 30 psql -U postgres -c 'select 1' postgres || { not_ok "PostgreSQL starts"; exit 1; }
psql -U postgres -c "create user zabbix" -c "create database zabbix owner zabbix encoding 'UTF8' template template0" postgres >/dev/null
for f in schema images data; do
	zcat "$SQL/$f.sql.gz" | psql -U zabbix -v ON_ERROR_STOP=1 zabbix >/dev/null 2>"$T/pg/$f.err" ||
		{ not_ok "load $f.sql"; cat "$T/pg/$f.err"; exit 1; }
done
echo "# PostgreSQL with the Zabbix schema ready in $(( ($(date +%s%N) - t0) / 1000000 )) ms"

# ---- zabbix_server
cat >"$Z/zabbix_server.conf" <<CONF
ListenIP=127.0.0.1
ListenPort=$Z_PORT
LogType=file
LogFile=$Z/zabbix_server.log
PidFile=$Z/zabbix_server.pid
SocketDir=$Z
DBHost=127.0.0.1
DBPort=$PG_PORT
DBName=zabbix
DBUser=zabbix
User=zabbix
StartPollers=2
StartPollersUnreachable=1
StartTrappers=1
StartPingers=0
StartDiscoverers=0
StartHTTPPollers=0
StartTimers=1
StartEscalators=1
StartAlerters=1
StartLLDProcessors=1
StartPreprocessors=1
StartDBSyncers=1
StartHistoryPollers=1
StartProxyPollers=0
StartReportWriters=0
StartODBCPollers=0
StartVMwareCollectors=0
StartJavaPollers=0
CacheUpdateFrequency=1
HousekeepingFrequency=0
Timeout=3
StartSNMPTrapper=1
SNMPTrapperFile=$TRAPFILE
CONF
/usr/sbin/zabbix_server -f -c "$Z/zabbix_server.conf" >"$Z/stdout.log" 2>&1 &
ZBX_PID=$!
record_pid $ZBX_PID
wait_for 30 grep -q "server #0 started" "$Z/zabbix_server.log" ||
	{ not_ok "zabbix_server runs"; cat "$Z/stdout.log"; tail -20 "$Z/zabbix_server.log"; exit 1; }
ok "zabbix_server runs"

# ---- the frontend API: a copy of the frontend whose config file is ours
cp -a /usr/share/zabbix "$T/web"
sed -i "s|const CONFIG_FILE_PATH = .*|const CONFIG_FILE_PATH = '$T/web/conf/zabbix.conf.php';|" \
	"$T/web/include/classes/core/CConfigFile.php"
sed -e "s|^\$DB\['TYPE'\].*|\$DB['TYPE'] = 'POSTGRESQL';|" -e "s|^\$DB\['SERVER'\].*|\$DB['SERVER'] = '127.0.0.1';|" \
	-e "s|^\$DB\['PORT'\].*|\$DB['PORT'] = '$PG_PORT';|" -e "s|^// \$ZBX_SERVER\t.*|\$ZBX_SERVER = '127.0.0.1';|" \
	-e "s|^// \$ZBX_SERVER_PORT.*|\$ZBX_SERVER_PORT = '$Z_PORT';|" \
	/usr/share/zabbix/conf/zabbix.conf.php.example >"$T/web/conf/zabbix.conf.php"
php -S "127.0.0.1:$WEB_PORT" -t "$T/web" >"$T/php.log" 2>&1 &
record_pid $!
URL=http://127.0.0.1:$WEB_PORT/api_jsonrpc.php
export ZAPI_TOKEN_FILE=$T/zapi.token
api() { python3 "$TOP/tests/nms/zapi.py" "$URL" "$@"; }
wait_for 15 api apiinfo.version '{}' || { not_ok "the frontend API answers"; exit 1; }
echo "# Zabbix API $(api apiinfo.version '{}')"

# ---- import the shipped template
src=$(python3 -c 'import json,sys; print(json.dumps(open(sys.argv[1]).read()))' "$TEMPLATE")
rules='{"groups":{"createMissing":true},"templates":{"createMissing":true,"updateExisting":true},
"items":{"createMissing":true,"updateExisting":true},"discoveryRules":{"createMissing":true,"updateExisting":true},
"triggers":{"createMissing":true,"updateExisting":true},"graphs":{"createMissing":true,"updateExisting":true},
"valueMaps":{"createMissing":true,"updateExisting":true}}'
check "configuration.import accepts the template" api configuration.import "{\"format\":\"yaml\",\"rules\":$rules,\"source\":$src}"
tid=$(api template.get "{\"filter\":{\"host\":\"$TNAME\"}}" 'r[0]["templateid"]')
check "template '$TNAME' exists" test -n "$tid"
is "template has 4 discovery rules (hosts, VMs, disks, interfaces)" "$(api discoveryrule.get "{\"templateids\":\"$tid\",\"countOutput\":true}" r)" 4
is "template has 13 SNMP trap items (11 notifications, crashed state changes, fallback)" "$(api item.get "{\"templateids\":\"$tid\",\"filter\":{\"type\":17},\"countOutput\":true}" r)" 13
is "template has 10 trigger prototypes (5 per VM, 3 per host, 1 per disk, 1 per interface)" "$(api triggerprototype.get "{\"templateids\":\"$tid\",\"countOutput\":true}" r)" 10
is "template has 2 graph prototypes" "$(api graphprototype.get "{\"templateids\":\"$tid\",\"countOutput\":true}" r)" 2
is "template has 6 value maps" "$(api valuemap.get "{\"hostids\":\"$tid\",\"countOutput\":true}" r)" 6

# ---- a host on the test snmpd, intervals lowered through the template's macros
gid=$(api hostgroup.create '{"name":"arasd test"}' 'r["groupids"][0]')
t_create=$(date +%s%N)
hid=$(api host.create "{\"host\":\"arasd-test\",\"groups\":[{\"groupid\":\"$gid\"}],
\"templates\":[{\"templateid\":\"$tid\"}],
\"interfaces\":[{\"type\":2,\"main\":1,\"useip\":1,\"ip\":\"127.0.0.1\",\"dns\":\"\",\"port\":\"$SNMP_PORT\",
\"details\":{\"version\":2,\"bulk\":1,\"community\":\"public\"}}],
\"macros\":[{\"macro\":\"{\$ARAS.INTERVAL}\",\"value\":\"2s\"},{\"macro\":\"{\$ARAS.LLD.INTERVAL}\",\"value\":\"5s\"},
{\"macro\":\"{\$ARAS.VM.PAUSED.MAX}\",\"value\":\"5s\"}]}" 'r["hostids"][0]')
check "host.create" test -n "$hid"
# the standalone arasd: the interface's port is the template's macro, the
# host's own value of it arasd's agentAddress port
sa_hid=$(api host.create "{\"host\":\"arasd-standalone\",\"groups\":[{\"groupid\":\"$gid\"}],
\"templates\":[{\"templateid\":\"$tid\"}],
\"interfaces\":[{\"type\":2,\"main\":1,\"useip\":1,\"ip\":\"127.0.0.1\",\"dns\":\"\",\"port\":\"{\$ARAS.SNMP.PORT}\",
\"details\":{\"version\":2,\"bulk\":1,\"community\":\"public\"}}],
\"macros\":[{\"macro\":\"{\$ARAS.SNMP.PORT}\",\"value\":\"$SA_PORT\"},
{\"macro\":\"{\$ARAS.INTERVAL}\",\"value\":\"2s\"},{\"macro\":\"{\$ARAS.LLD.INTERVAL}\",\"value\":\"5s\"}]}" 'r["hostids"][0]')
check "host.create: a second host on the standalone arasd (interface port {\$ARAS.SNMP.PORT} = $SA_PORT)" test -n "$sa_hid"

# VM names as discovered = the [NAME] of the arasVmMemUsage[NAME] item keys
discovered() {
	api item.get "{\"hostids\":\"$hid\",\"search\":{\"key_\":\"$1[\"},\"output\":[\"key_\"]}" \
		'sorted(i["key_"][len("'"$1"'["):-1] for i in r)' | tr '\n' ' '
}
want_vms=$(swalk "$VM_ENTRY.2" | sed 's/.*STRING: "\(.*\)"/\1/' | LC_ALL=C sort | tr '\n' ' ')
all_vms() { [ "$(discovered arasVmMemUsage)" = "$want_vms" ]; }
check "every fixture VM discovered by name ($(echo $want_vms | cut -c1-60))" wait_for $((120 + ${ZABBIX_BULK_VMS:-0})) all_vms
echo "# $(echo $want_vms | wc -w) VMs discovered $(( ($(date +%s%N) - t_create) / 1000000 )) ms after host.create (LLD interval 5 s, CacheUpdateFrequency 1 s)"
want_hosts=$(swalk "$HOST_ENTRY.2" | sed 's/.*STRING: "\(.*\)"/\1/' | LC_ALL=C sort | tr '\n' ' ')
all_hosts() { [ "$(discovered arasHostState)" = "$want_hosts" ]; }
check "every host discovered by name ($want_hosts)" wait_for 60 all_hosts

# disks and interfaces: discovered as VM,target (arasDiskVmName / arasNicVmName, arasDiskTarget / arasNicTarget)
devs() { paste -d, <(swalk "$1.$2" | sed 's/.*STRING: "\(.*\)"/\1/') <(swalk "$1.$3" | sed 's/.*STRING: "\(.*\)"/\1/') | LC_ALL=C sort | tr '\n' ' '; }
want_disks=$(devs "$BASE_OID.1.8.1" 26 2)
want_nics=$(devs "$BASE_OID.1.9.1" 20 2)
is "the fixture has 5 disks and 4 interfaces" "$(echo $want_disks | wc -w) $(echo $want_nics | wc -w)" "5 4"
all_disks() { [ "$(discovered arasDiskUsage)" = "$want_disks" ]; }
check "every disk discovered as VM,target ($want_disks)" wait_for 60 all_disks
all_nics() { [ "$(discovered arasNicRxErrs)" = "$want_nics" ]; }
check "every interface discovered as VM,target ($want_nics)" wait_for 60 all_nics

# host down: gamma has been down since arasd started; its node appears -> up
trig_value() {
	api trigger.get "{\"hostids\":\"$hid\",\"filter\":{\"description\":\"$1\"},\"output\":[\"value\"]}" 'r[0]["value"] if r else "none"'
}
problem() { [ "$(trig_value "$1")" = 1 ]; }
trig_id() { api trigger.get "{\"hostids\":\"$hid\",\"filter\":{\"description\":\"$1\"},\"output\":[\"triggerid\"]}" 'r[0]["triggerid"]'; }
# fired TRIGGER SINCE: a PROBLEM event of TRIGGER at or after SINCE (epoch s);
# for a change()>0 trigger, in PROBLEM only until the item's next value
fired() {
	[ "$(api event.get "{\"source\":0,\"object\":0,\"value\":1,\"objectids\":\"$(trig_id "$1")\",\"time_from\":$2,\"countOutput\":true}" r)" -gt 0 ]
}
resolved() { [ "$(trig_value "$1")" = 0 ]; }
check "'arasd host gamma is down' in PROBLEM" wait_for 60 problem 'arasd host gamma is down'
is "'arasd host alpha is down' stays OK" "$(trig_value 'arasd host alpha is down')" 0
cat >"$T/hostC.xml" <<'XML'
<node><cpu><mhz>2400</mhz><model>x86_64</model><active>8</active><nodes>1</nodes><sockets>1</sockets><cores>4</cores><threads>2</threads></cpu><memory>16777216</memory></node>
XML

# ---- values equal snmpget
# lastvalue KEY: the item's last value ('' until it has one)
lastvalue() {
	api item.get "{\"hostids\":\"$hid\",\"filter\":{\"key_\":\"$1\"},\"output\":[\"lastvalue\",\"lastclock\"]}" \
		'r[0]["lastvalue"] if r and r[0]["lastclock"] != "0" else ""'
}
has_values() {
	local n
	n=$(api item.get "{\"hostids\":\"$hid\",\"search\":{\"key_\":\"arasVm\"},\"filter\":{\"type\":20},\"output\":[\"key_\",\"lastclock\"]}" \
		'sum(1 for i in r if i["lastclock"] == "0" and not i["key_"].startswith("arasVmCpuSteal[")) if r else -1')
	[ "$n" = 0 ]
}
check "every VM item (SNMP agent) has a value" wait_for $((60 + ${ZABBIX_BULK_VMS:-0} / 5)) has_values
has_values || api item.get "{\"hostids\":\"$hid\",\"search\":{\"key_\":\"arasVm\"},\"filter\":{\"type\":20},\"output\":[\"key_\",\"lastclock\",\"error\",\"state\"]}" \
	'["# no value: %s %s" % (i["key_"], i["error"]) for i in r if i["lastclock"] == "0"][:10]'
echo "# all VM items had values $(( ($(date +%s%N) - t_create) / 1000000 )) ms after host.create (item interval 2 s)"

# ---- the standalone host, polled since its host.create beside the first
# (its items read in one item.get: the API calls are what takes time here)
is "standalone: the template's {\$ARAS.SNMP.PORT} is 161 (snmpd), the host's its agentAddress port" \
	"$(api usermacro.get "{\"hostids\":[\"$tid\",\"$sa_hid\"],\"filter\":{\"macro\":\"{\$ARAS.SNMP.PORT}\"},\"output\":[\"hostid\",\"value\"]}" \
		'" ".join(("template" if m["hostid"] == "'"$tid"'" else "host") + "=" + m["value"] for m in sorted(r, key=lambda m: m["hostid"] != "'"$tid"'"))')" \
	"template=161 host=$SA_PORT"
is "standalone: its host's SNMP interface port is the macro" \
	"$(api hostinterface.get "{\"hostids\":\"$sa_hid\",\"output\":[\"port\"]}" 'r[0]["port"]')" '{$ARAS.SNMP.PORT}'
sa_names() { snmpwalk -v2c -c public -t 2 -r 1 -On "$SA_AGENT" "$1" | sed 's/.*STRING: "\(.*\)"/\1/' | LC_ALL=C sort | tr '\n' ' '; }
sa_vms=$(sa_names "$VM_ENTRY.2")
sa_hosts=$(sa_names "$HOST_ENTRY.2")
is "standalone: the agent has the same VMs as snmpd + AgentX" "$sa_vms" "$want_vms"
# sa_items: the standalone host's items as KEY, TYPE, LASTCLOCK, LASTVALUE
# (tab-separated) in $T/sa-items
sa_items() {
	api item.get "{\"hostids\":\"$sa_hid\",\"output\":[\"key_\",\"type\",\"lastclock\",\"lastvalue\"]}" \
		'["\t".join((i["key_"], i["type"], i["lastclock"], i["lastvalue"].replace("\n", " "))) for i in r]' >"$T/sa-items"
}
# sa_discovered PREFIX: the [NAME]s of its PREFIX[NAME] items, sorted
sa_discovered() {
	awk -F'\t' -v p="$1[" 'index($1, p) == 1 { print substr($1, length(p) + 1, length($1) - length(p) - 1) }' "$T/sa-items" |
		LC_ALL=C sort | tr '\n' ' '
}
# sa_novalue: its VM SNMP items without a value (steal: none on the test driver), as has_values
sa_novalue() { awk -F'\t' '$1 ~ /arasVm/ && $2 == 20 && $3 == "0" && $1 !~ /^arasVmCpuSteal\[/' "$T/sa-items" | wc -l; }
# sa_last KEY: its last value ('' until it has one)
sa_last() { awk -F'\t' -v k="$1" '$1 == k && $3 != "0" { print $4 }' "$T/sa-items"; }
sa_ready() {
	sa_items && [ "$(sa_discovered arasVmMemUsage)" = "$sa_vms" ] && [ "$(sa_discovered arasHostState)" = "$sa_hosts" ] &&
		[ "$(sa_novalue)" = 0 ]
}
wait_for 60 sa_ready
echo "# standalone: VMs discovered, VM items with values $(( ($(date +%s%N) - t_create) / 1000000 )) ms after host.create or earlier (checked after the first host)"
is "standalone: every fixture VM discovered by name" "$(sa_discovered arasVmMemUsage)" "$sa_vms"
is "standalone: every host discovered by name ($sa_hosts)" "$(sa_discovered arasHostState)" "$sa_hosts"
is "standalone: every VM item (SNMP agent) has a value" "$(sa_novalue)" 0
# values against one snmpget of the same objects from the agent
keys=()
oids=()
sa_walk=$(snmpwalk -v2c -c public -t 2 -r 1 -On "$SA_AGENT" "$VM_ENTRY.2")
for vm in app1 batch1 cache1 db1 web1; do
	idx=$(grep "STRING: \"$vm\"$" <<<"$sa_walk" | sed "s/^$VM_ENTRY.2.\([0-9.]*\) .*/\1/")
	for col in arasVmMemUsage:10 arasVmVcpus:5 arasVmOperState:39 arasVmHostName:34; do
		keys+=("${col%:*}[$vm]")
		oids+=("$VM_ENTRY.${col#*:}.$idx")
	done
done
keys+=(arasVmCount arasHostCount)
oids+=("$STATUS_OID.2.0" "$STATUS_OID.1.0")
got=""
for k in "${keys[@]}"; do got+=" $k=$(sa_last "$k")"; done
want=""
i=0
while IFS= read -r v; do
	want+=" ${keys[i]}=${v//\"/}"
	i=$((i + 1))
done < <(saget "${oids[@]}")
is "standalone: each VM's memory %, vCPUs, operational state, host name, the VM and host counts (${#keys[@]} items) equal snmpget from the agent" \
	"$got" "$want"
# off for the rest: its interface shares 127.0.0.1 with the first host's, so
# the trapper would hand it the master's traps too
api host.update "{\"hostid\":\"$sa_hid\",\"status\":1}" >/dev/null || not_ok "host.update: disable the standalone host"
web1=$(uuid_oid 6a2e7c0e-1f3b-4b4e-9a51-0000000000a1)
for vm in app1 batch1 cache1 db1 web1; do
	idx=$(swalk "$VM_ENTRY.2" | grep "STRING: \"$vm\"$" | sed "s/^$VM_ENTRY.2.\([0-9.]*\) .*/\1/")
	for col in arasVmCpuUsage:7 arasVmMemUsage:10 arasVmVcpus:5 arasVmState:4 arasVmMemAlert:37 arasVmOperState:39; do
		is "$vm ${col%:*} equals snmpget" "$(lastvalue "${col%:*}[$vm]")" "$(sget "$VM_ENTRY.${col#*:}.$idx")"
	done
done
is "web1 memory in bytes (KiB x 1024)" "$(lastvalue 'arasVmMemCurrent[web1]')" "$(($(sget "$VM_ENTRY.8.$web1") * 1024))"
is "web1 host name" "$(lastvalue 'arasVmHostName[web1]')" "$(sget "$VM_ENTRY.34.$web1" | tr -d '"')"
is "arasVmCount equals snmpget" "$(lastvalue arasVmCount)" "$(sget "$STATUS_OID.2.0")"
is "arasHostCpuUsage[beta] equals snmpget" "$(lastvalue 'arasHostCpuUsage[beta]')" "$(sget "$HOST_ENTRY.6.2")"
is "arasStealThreshold equals snmpget" "$(lastvalue arasStealThreshold)" "$(sget "$CONFIG_OID.23.0")"
# steal: the test driver reports none; the items say so (not supported), no value is made up
item_state() {
	api item.get "{\"hostids\":\"$hid\",\"filter\":{\"key_\":\"$1\"},\"output\":[\"state\",\"lastclock\",\"error\"]}" \
		'"%s %s" % (r[0]["state"], r[0]["lastclock"]) if r else "none"'
}
steal_unsupported() { [ "$(item_state "$1")" = "1 0" ]; }
check "arasVmCpuSteal[web1] not supported, no value (no steal on the test driver)" wait_for 30 steal_unsupported 'arasVmCpuSteal[web1]'
check "arasHostCpuStealMean[alpha] not supported, no value" wait_for 30 steal_unsupported 'arasHostCpuStealMean[alpha]'
check "arasHostCpuStealMax[beta] not supported, no value" wait_for 30 steal_unsupported 'arasHostCpuStealMax[beta]'

is "web1's items carry its UUID string as a tag" \
	"$(api item.get "{\"hostids\":\"$hid\",\"filter\":{\"key_\":\"arasVmMemUsage[web1]\"},\"selectTags\":\"extend\"}" \
		'[t["value"] for t in r[0]["tags"] if t["tag"] == "vm_uuid"][0]')" \
	"$(sget "$VM_ENTRY.33.$web1" | tr -d '"')"
is "value map on the VM state" "$(api item.get "{\"hostids\":\"$hid\",\"filter\":{\"key_\":\"arasVmState[web1]\"},\"selectValueMap\":[\"name\"]}" 'r[0]["valuemap"]["name"]')" "ARAS-MIB::arasVmState"
is "RFC 7666 value map on the operational state (running)" \
	"$(api item.get "{\"hostids\":\"$hid\",\"filter\":{\"key_\":\"arasVmOperState[web1]\"},\"selectValueMap\":[\"name\",\"mappings\"]}" \
		'r[0]["valuemap"]["name"] + " " + [m["newvalue"] for m in r[0]["valuemap"]["mappings"] if m["value"] == r[0]["lastvalue"]][0]')" \
	"ARAS-MIB::ArasVmOperState running"
is "web1's state reason equals snmpget" "$(lastvalue 'arasVmStateReason[web1]')" "$(sget "$VM_ENTRY.41.$web1" | tr -d '"')"
is "trigger 'VM web1: crashed' discovered, OK" "$(trig_value 'VM web1: crashed')" 0
is "trigger 'VM store1: disk vda is ... full' discovered, OK (no figures on the test driver)" \
	"$(trig_value 'VM store1: disk vda is {ITEM.LASTVALUE1} full')" 0
is "trigger 'VM edge2: interface tap-d2 has errors' discovered, OK" "$(trig_value 'VM edge2: interface tap-d2 has errors')" 0

# ---- a threshold SET fires the per-VM trigger, raising it resolves it
is "web1 memory trigger OK before the SET" "$(trig_value 'VM web1: memory SLA alert firing')" 0
sset "$CONFIG_OID.3.0" u 40 >/dev/null # arasMemThreshold 40: web1 uses 50 %
t_set=$(date +%s%N)
check "SET arasMemThreshold 40: trigger 'VM web1: memory SLA alert firing' in PROBLEM" \
	wait_for 60 problem 'VM web1: memory SLA alert firing'
echo "# trigger in PROBLEM $(( ($(date +%s%N) - t_set) / 1000000 )) ms after the SET (arasd hold 2 s, poll 1 s; item interval 2 s)"
check "a problem event is open for it" test "$(api problem.get "{\"hostids\":\"$hid\",\"search\":{\"name\":\"VM web1: memory\"}}" 'len(r)')" -ge 1

# ---- the same SET's arasSlaBreach traps, through snmptrapd and the handler
# trap_values NAME: "CLOCK_MS VALUE" per value of snmptrap["NAME"] (NAME
# snmptrap.fallback: that item), oldest first
trap_values() {
	local id key="snmptrap[\\\"$1\\\"]"
	[ "$1" = snmptrap.fallback ] && key=$1
	id=$(api item.get "{\"hostids\":\"$hid\",\"filter\":{\"key_\":\"$key\"},\"output\":[\"itemid\"]}" 'r[0]["itemid"]') || return 1
	api history.get "{\"history\":2,\"itemids\":\"$id\",\"output\":\"extend\",\"sortfield\":\"clock\",\"sortorder\":\"ASC\",\"limit\":200}" \
		'["%d %s" % (int(v["clock"]) * 1000 + int(v["ns"]) // 1000000, v["value"].replace("\n", " ")) for v in r]'
}
has_trap() {
	local v
	v=$(trap_values "$1") && grep -q -- "$2" <<<"$v"
}
check "the arasSlaBreach trap for web1 is in snmptrap[\"arasSlaBreach\"]" wait_for 30 has_trap arasSlaBreach 'arasSlaBreach vm=web1 '
line=$(trap_values arasSlaBreach | awk '/arasSlaBreach vm=web1 / && !n++')
echo "# value: ${line#* }"
echo "# trap value in Zabbix $(( ${line%% *} - t_set / 1000000 )) ms after the SET (arasd hold 2 s, poll 1 s; snmptrapd -> file -> SNMP trapper)"
check "  with web1's canonical UUID (arasVmUuidString)" grep -q " uuid=$(sget "$VM_ENTRY.33.$web1" | tr -d '"')\( \|$\)" <<<"$line"
check "  with its host by name (arasVmHostName)" grep -q " host=$(sget "$VM_ENTRY.34.$web1" | tr -d '"')\( \|$\)" <<<"$line"
check "  and the resource, value and threshold" grep -q " resource=memory value=50% threshold=40%" <<<"$line"
check "  db1's UUID keeps its zero padding" has_trap arasSlaBreach 'vm=db1 uuid=0f4c1d2e-8b7a-4c3d-8e2f-0000000000a2 '
nbreach() { [ "$(trap_values arasSlaBreach | grep -c ' arasSlaBreach ')" = "$(sget "$STATUS_OID.15.0")" ]; }
check "one value per VM whose memory alert fires (arasVmsMemAlerting)" wait_for 10 nbreach
is "trigger 'arasd: SLA breach trap received' in PROBLEM" "$(trig_value 'arasd: SLA breach trap received')" 1
T_TRAP1=$(date +%s) # the first trap trigger in PROBLEM (the window below)
is "  with one event per trap: web1's named after it and tagged vm=web1, its host and UUID" \
	"$(api problem.get "{\"hostids\":\"$hid\",\"selectTags\":\"extend\"}" \
		'[" ".join(sorted(t["tag"] + "=" + t["value"] for t in p["tags"] if t["tag"] in ("vm", "host", "vm_uuid"))) for p in r if p["name"].startswith("arasSlaBreach vm=web1 ")]')" \
	"host=alpha vm=web1 vm_uuid=6a2e7c0e-1f3b-4b4e-9a51-0000000000a1"
no_aras_fallback() {
	local v
	v=$(trap_values snmptrap.fallback) || return 1
	! grep -q aras <<<"$v"
}
check "no ARAS trap went unmatched to snmptrap.fallback" no_aras_fallback
is "web1's CPU trigger stays OK" "$(trig_value 'VM web1: CPU SLA alert firing')" 0
sset "$CONFIG_OID.3.0" u 90 >/dev/null
check "SET arasMemThreshold 90: the trigger resolves" wait_for 60 resolved 'VM web1: memory SLA alert firing'

check "host gamma up: 'arasd host gamma is down' resolves" wait_for 90 resolved 'arasd host gamma is down'
check "  its arasHostStateChange trap in snmptrap[\"arasHostStateChange\"] (host=gamma state=up)" \
	wait_for 30 has_trap arasHostStateChange 'arasHostStateChange host=gamma state=up'

# ---- VM life cycle: arasVmCommand suspend(7) / resume(8) on web1 -> its
# arasVmStateChange trap and the polled state; a crash (not possible on the
# test driver) as a hand-sent trap through the same snmptrapd and handler
sset "$VM_ENTRY.43.$web1" i 7 >/dev/null
check "suspend web1: arasVmStateChange in snmptrap[\"arasVmStateChange\\s\"] (running -> paused)" \
	wait_for 30 has_trap 'arasVmStateChange\\s' 'arasVmStateChange vm=web1 uuid=6a2e7c0e-1f3b-4b4e-9a51-0000000000a1 host=alpha running -> paused (paused: '
oper_is() { [ "$(lastvalue "arasVmOperState[$1]")" = "$2" ]; }
check "  and arasVmOperState[web1] reads paused (8)" wait_for 30 oper_is web1 8
check "  'VM web1: paused for {\$ARAS.VM.PAUSED.MAX}' (5s here) in PROBLEM" wait_for 30 problem 'VM web1: paused for {$ARAS.VM.PAUSED.MAX}'
is "  'VM db1: paused for ...' stays OK" "$(trig_value 'VM db1: paused for {$ARAS.VM.PAUSED.MAX}')" 0
sset "$VM_ENTRY.43.$web1" i 8 >/dev/null
check "resume web1: paused -> running in the trap item" wait_for 30 has_trap 'arasVmStateChange\\s' 'arasVmStateChange vm=web1 .* paused -> running '
check "  and the paused trigger resolves" wait_for 30 resolved 'VM web1: paused for {$ARAS.VM.PAUSED.MAX}'
snmptrap -v2c -c public "127.0.0.1:$TRAP_PORT" '' "$NOTIFY_OID.8" "$VM_ENTRY.2.$web1" s web1 "$VM_ENTRY.33.$web1" s 6a2e7c0e-1f3b-4b4e-9a51-0000000000a1 \
	"$VM_ENTRY.34.$web1" s alpha "$VM_ENTRY.40.$web1" i 4 "$VM_ENTRY.39.$web1" i 12 "$VM_ENTRY.41.$web1" s "shutoff: crashed"
snmptrap -v2c -c public "127.0.0.1:$TRAP_PORT" '' "$NOTIFY_OID.9" "$STATUS_OID.24.0" c 12 "$STATUS_OID.23.0" c 340
check "hand-sent crash: 'arasd: VM crashed trap received' in PROBLEM" wait_for 30 problem 'arasd: VM crashed trap received'
is "  its event named after the trap and tagged vm=web1, host and UUID" \
	"$(api problem.get "{\"hostids\":\"$hid\",\"selectTags\":\"extend\"}" \
		'[p["name"] + " | " + " ".join(sorted(t["tag"] + "=" + t["value"] for t in p["tags"] if t["tag"] in ("vm", "host", "vm_uuid"))) for p in r if p["name"].startswith("arasVmStateChange ")]')" \
	"arasVmStateChange vm=web1 uuid=6a2e7c0e-1f3b-4b4e-9a51-0000000000a1 host=alpha running -> crashed (shutoff: crashed) | host=alpha vm=web1 vm_uuid=6a2e7c0e-1f3b-4b4e-9a51-0000000000a1"
check "  the same trap is in snmptrap[\"arasVmStateChange\\s\"] too" has_trap 'arasVmStateChange\\s' 'running -> crashed (shutoff: crashed)'
check "arasVmStateChangesCoalesced in its item" wait_for 30 has_trap arasVmStateChangesCoalesced 'arasVmStateChangesCoalesced coalesced=12 changesSeen=340'
# placement rules: a hand-sent arasRuleViolated lands in its item and fires its trigger, tagged
EVE=$BASE_OID.1.5.1
snmptrap -v2c -c public "127.0.0.1:$TRAP_PORT" '' "$NOTIFY_OID.10" "$EVE.13.7" s db "$EVE.5.7" s db1 \
	"$EVE.11.7" s 0f4c1d2e-8b7a-4c3d-8e2f-0000000000a2 "$EVE.6.7" u 1 "$EVE.12.7" s alpha \
	"$EVE.10.7" s "group db (antiAffinity): VM db1 shares host alpha with another member"
check "hand-sent arasRuleViolated in snmptrap[\"arasRuleViolated\"] (group, VM, host, UUID)" wait_for 30 has_trap \
	arasRuleViolated 'arasRuleViolated vm=db1 uuid=0f4c1d2e-8b7a-4c3d-8e2f-0000000000a2 host=alpha group=db hostIndex=1 text='
check "  'arasd: placement rule violation trap received' in PROBLEM" wait_for 30 problem 'arasd: placement rule violation trap received'
is "  its group tag is db" \
	"$(api problem.get "{\"hostids\":\"$hid\",\"selectTags\":\"extend\"}" \
		'[t["value"] for p in r if p["name"].startswith("arasRuleViolated ") for t in p["tags"] if t["tag"] == "group"]')" db
# failover: a hand-sent arasControllerTakeover lands in its own item, fields named
ST=$BASE_OID.1.2
snmptrap -v2c -c public "127.0.0.1:$TRAP_PORT" '' "$NOTIFY_OID.11" "$ST.29.0" s m2 "$ST.31.0" s m1 \
	"$ST.32.0" u 12750 "$ST.30.0" c 3 "$ST.34.0" u 1
check "hand-sent arasControllerTakeover in snmptrap[\"arasControllerTakeover\"] (node, from, gap, count, adopted)" \
	wait_for 30 has_trap arasControllerTakeover 'arasControllerTakeover node=m2 from=m1 gapMs=12750 takeovers=3 adopted=1'
no_coalesced() {
	local v
	v=$(trap_values 'arasVmStateChange\\s') || return 1
	! grep -q Coalesced <<<"$v"
}
check "  and not in snmptrap[\"arasVmStateChange\\s\"]" no_coalesced

# ---- host maintenance: its trigger, and the evacuation's migrations fail on
# the test driver (no peer-to-peer migration) -> arasActionsFailed increases
is "host beta maintenance trigger OK before" "$(trig_value 'arasd host beta is in maintenance')" 0
t_maint=$(date +%s)
sset "$HOST_ENTRY.13.2" i 1 >/dev/null # arasHostMaintenance.2 = true
check "SET arasHostMaintenance.2 true: 'arasd host beta is in maintenance' in PROBLEM" \
	wait_for 60 problem 'arasd host beta is in maintenance'
check "failed migrations: 'arasd: an allocation action failed' in PROBLEM" \
	wait_for 60 fired 'arasd: an allocation action failed' "$t_maint"
check "  its arasActionFailed trap (VM name, UUID) fires 'arasd: allocation action failed trap received'" \
	wait_for 30 problem 'arasd: allocation action failed trap received'
T_TRAPN=$(date +%s) # the last one
trap_values arasActionFailed | awk '/arasActionFailed/ && !n++ { sub(/^[0-9]* /, "# value: "); print }'
check "  with a VM name and canonical UUID" has_trap arasActionFailed 'arasActionFailed vm=[a-z0-9]* uuid=[0-9a-f]\{8\}-[0-9a-f-]\{27\} '
sset "$HOST_ENTRY.13.2" i 2 >/dev/null
check "SET arasHostMaintenance.2 false: the maintenance trigger resolves" \
	wait_for 60 resolved 'arasd host beta is in maintenance'

# ---- notifications dropped: the master goes away just before breaches fire
check "notifications-dropped trigger OK before" wait_for 30 resolved 'arasd: notifications dropped (the master agent was away)'
dropped0=$(sget "$STATUS_OID.6.0") t_drop=$(date +%s)
sset "$CONFIG_OID.3.0" u 40 >/dev/null # breaches fire after holdTime 2 s...
kill "$SNMPD_PID"                      # ...with no master to take them
wait_for 10 sh -c "! kill -0 $SNMPD_PID 2>/dev/null"
sleep 4
start_snmpd || not_ok "snmpd restarts"
wait_for 15 arasd_attached
check "arasNotificationsDropped increased" test "$(sget "$STATUS_OID.6.0")" -gt "$dropped0"
check "'arasd: notifications dropped' went to PROBLEM (its event)" \
	wait_for 90 fired 'arasd: notifications dropped (the master agent was away)' "$t_drop"
check "the restarted snmpd's coldStart trap lands in snmptrap.fallback" wait_for 30 has_trap snmptrap.fallback 'coldStart'
# ---- one event per trap: each trap trigger's PROBLEM events equal the
# values of its item once the first trap trigger has been in PROBLEM for two
# minutes and the last one for one (a trigger with a time-based function
# such as nodata() is re-evaluated by Zabbix's timer every 30 s, and a
# "multiple" one made a new event each time); the window began with the
# tests above, which go on meanwhile
sset "$CONFIG_OID.3.0" u 90 >/dev/null
TRAP_TRIGGERS=('arasd: SLA breach trap received|arasSlaBreach'
	'arasd: allocation action failed trap received|arasActionFailed'
	'arasd: VM crashed trap received|arasVmStateChange\\s.* -> crashed'
	'arasd: placement rule violation trap received|arasRuleViolated'
	'arasd: no migration target trap received|arasNoTarget')
nevents() { api event.get "{\"source\":0,\"object\":0,\"value\":1,\"objectids\":\"$(trig_id "$1")\",\"countOutput\":true}" r; }
ntraps() { trap_values "$1" | grep -c .; }
declare -A E0 V0
for tt in "${TRAP_TRIGGERS[@]}"; do
	E0[$tt]=$(nevents "${tt%%|*}") V0[$tt]=$(ntraps "${tt#*|}")
done
left=$((T_TRAP1 + 120 - $(date +%s)))
[ $((T_TRAPN + 60 - $(date +%s))) -gt $left ] && left=$((T_TRAPN + 60 - $(date +%s)))
t_w=$(date +%s)
[ $left -gt 0 ] && sleep $left
for tt in "${TRAP_TRIGGERS[@]}"; do
	e=$(nevents "${tt%%|*}") v=$(ntraps "${tt#*|}")
	echo "# '${tt%%|*}': $((v - ${V0[$tt]})) traps, $((e - ${E0[$tt]})) events in the last $(($(date +%s) - t_w)) s; $v traps, $e events in $(($(date +%s) - T_TRAP1)) s since the first trap trigger fired (trigger value $(trig_value "${tt%%|*}"))"
	is "'${tt%%|*}': one PROBLEM event per trap ($v traps), first trap trigger in PROBLEM for $(($(date +%s) - T_TRAP1)) s, the last for $(($(date +%s) - T_TRAPN)) s" "$e" "$v"
done
exit 0
