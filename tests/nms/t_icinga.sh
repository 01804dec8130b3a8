#!/bin/bash
# Nagios / Icinga: plugins/check_arasd run directly (exit codes, output and
# perfdata format, v2c and SNMPv3 authPriv, bad options, the VM's state
# after arasVmCommand suspend / resume and --state-*), the command lines
# of conf/nagios/arasd.cfg with their macros expanded, then a private
# Icinga 2 daemon (own config, state, spool and run dirs under $T; the
# system's instance is not touched) runs the shipped conf/icinga/arasd.conf
# (CheckCommand "arasd" + its example apply rules) against the test snmpd
# every second.  The states come from the daemon's own check results, as its
# PerfdataWriter writes them: OK, WARNING (SLA alert pending after a SET of
# arasMemThreshold), CRITICAL (firing), OK again (threshold raised), UNKNOWN
# (a VM name not in the fixture; arasd stopped).
T_NAME=icinga
. "$(dirname "$0")/../lib.sh"
PLUGIN=$TOP/plugins/check_arasd
command -v icinga2 >/dev/null || { not_ok "icinga2 is installed (tests/deps.sh)"; exit 1; }
check "check_arasd's OIDs agree with mib/ARAS-MIB.txt" python3 "$TOP/tests/nms/mibnames.py" --check "$PLUGIN"

. "$TOP/tests/nms/lib.sh"
# snmpd (+ the SNMPv3 user nagios) and arasd on alpha and beta
start_plugin_agent
sleep 2

# ---- the plugin directly
run() { out=$("$PLUGIN" "$@" 2>&1); rc=$?; }
P=(-H 127.0.0.1 -p "$SNMP_PORT")
run "${P[@]}" --vm web1
is "--vm web1: exit 0" "$rc" 0
echo "# $out"
check "--vm web1: status line, host, usage and perfdata with units" grep -qx \
	"ARASD OK - VM web1 on alpha running: cpu 50%, mem 50%, disk 0%, steal n/a | 'cpu'=50%;;;0;100 'mem'=50%;;;0;100 'disk'=0%;;;0;100" <<<"$out"
# steal: the test driver reports none, so a steal threshold never alerts and no steal perfdata
run "${P[@]}" --vm web1 --steal-warning 0 --steal-critical 0
is "--vm web1 --steal-critical 0 without steal figures: OK" "$rc" 0
is "... 'steal n/a', no steal perfdata" "$(grep -c 'steal n/a' <<<"$out") $(grep -c "'steal'=" <<<"$out")" "1 0"
run "${P[@]}" --vm web1 --steal-warning nonsense
is "--steal-warning nonsense: UNKNOWN" "$rc" 3
run "${P[@]}" --vm web1 -w 45 -c 60
is "--vm web1 -w 45 -c 60: WARNING (50 %)" "$rc" 1
check "warning thresholds in the perfdata" grep -q "'mem'=50%;45;60;0;100" <<<"$out"
run "${P[@]}" --vm web1 -w 30 -c 45
is "--vm web1 -w 30 -c 45: CRITICAL" "$rc" 2
check "CRITICAL line names the resources" grep -q '^ARASD CRITICAL - .*(cpu 50% CRITICAL; mem 50% CRITICAL)' <<<"$out"
run "${P[@]}" --vm web1 -c @60:100
is "inside range @60:100 does not alert at 50 and 0" "$rc" 0
run "${P[@]}" --vm web1 -c @40:100
is "inside range @40:100 alerts at 50" "$rc" 2
run "${P[@]}" --vm ghost
is "--vm ghost (not in the fixture): UNKNOWN" "$rc" 3
check "UNKNOWN says the VM is not found" grep -qx "ARASD UNKNOWN - VM 'ghost' not found (5 VMs known)" <<<"$out"
run "${P[@]}" --host beta -w 90 -c 95
is "--host beta: OK" "$rc" 0
echo "# $out"
check "--host beta: status line and perfdata" grep -q "^ARASD OK - host beta up: cpu [0-9]*%, mem 25%, disk 0%, 2 VMs, steal n/a | 'cpu'=[0-9]*%;90;95;0;100 'mem'=25%;90;95;0;100" <<<"$out"
run "${P[@]}" --alerts
is "--alerts: OK with no alert" "$rc" 0
echo "# $out"
check "--alerts: counts and perfdata" grep -q "^ARASD OK - 0 of 5 VMs alerting (cpu 0, mem 0, disk 0), 2 of 2 hosts up, .*| 'vms_alerting'=0;;0;0;5 " <<<"$out"
run -H 127.0.0.1 -p "$SNMP_PORT" -l authPriv -u nagios -A nagiosauth1 -X nagiospriv1 --vm db1
is "SNMPv3 authPriv: OK" "$rc" 0
check "SNMPv3 reads db1 (mem 75 %)" grep -q "VM db1 on alpha running: .*mem 75%" <<<"$out"
run -H 127.0.0.1 -p "$SNMP_PORT" -l authPriv -u nagios -A wrongpass1 -X nagiospriv1 -t 1 --vm db1
is "SNMPv3 wrong pass phrase: UNKNOWN" "$rc" 3
# the operational state (arasVmOperState): crashed CRITICAL, other
# non-running states WARNING by default, both lists settable
run "${P[@]}" --vm web1 --state-critical running,crashed
is "--vm web1 --state-critical running,crashed: CRITICAL" "$rc" 2
check "  the line says why" grep -q '^ARASD CRITICAL - VM web1 on alpha running: .*(state running\(, libvirt .running: [a-z]*.\)\{0,1\} CRITICAL)' <<<"$out"
run "${P[@]}" --vm web1 --state-warning bogus
is "--state-warning bogus: UNKNOWN" "$rc" 3
check "  bad state named" grep -q "bad state 'bogus' in --state-warning" <<<"$out"
run "${P[@]}" --host beta --state-warning paused
is "--state-warning with --host: UNKNOWN (usage)" "$rc" 3
WEB1=$(uuid_oid 6a2e7c0e-1f3b-4b4e-9a51-0000000000a1)
sset "$VM_ENTRY.43.$WEB1" i 7 >/dev/null # arasVmCommand suspend(7)
wait_get 10 "$VM_ENTRY.39.$WEB1" 9
run "${P[@]}" --vm web1
is "web1 suspended (arasVmCommand): WARNING by default" "$rc" 1
echo "# $out"
check "  state paused and libvirt's reason in the line" grep -q "^ARASD WARNING - VM web1 on alpha paused: .*(state paused, libvirt 'paused: [a-z ]*' WARNING)" <<<"$out"
run "${P[@]}" --vm web1 --state-warning none
is "  --state-warning none: OK" "$rc" 0
run "${P[@]}" --vm web1 --state-critical paused
is "  --state-critical paused: CRITICAL" "$rc" 2
sset "$VM_ENTRY.43.$WEB1" i 8 >/dev/null # resume(8)
wait_get 10 "$VM_ENTRY.39.$WEB1" 4
run "${P[@]}" --vm web1
is "web1 resumed: OK" "$rc" 0
# a placement rule broken (web1 runs on alpha, its group allows beta only): --alerts WARNING
GRP_ONLYB=$BASE_OID.1.7.1.6.5.111.110.108.121.98 # arasGroupRowStatus."onlyb"
sset "$GRP_ONLYB" i 4 "$BASE_OID.1.7.1.3.5.111.110.108.121.98" s beta "$VM_ENTRY.45.$WEB1" s onlyb >/dev/null
wait_get 10 "$STATUS_OID.25.0" 1
run "${P[@]}" --alerts
is "--alerts with web1 breaking its placement rule: WARNING" "$rc" 1
check "  the line and perfdata say so" grep -q "^ARASD WARNING - .*, 1 VM breaking placement rules | .*'rule_violations'=1;;;0;5" <<<"$out"
sset "$GRP_ONLYB" i 6 >/dev/null # destroy: web1 leaves the group
wait_get 10 "$STATUS_OID.25.0" 0
run "${P[@]}" --alerts
is "--alerts after the group is destroyed: OK" "$rc" 0
run "${P[@]}" --vm web1 --alerts
is "two modes: UNKNOWN (usage error)" "$rc" 3
run "${P[@]}" --vm web1 -w 9x
is "bad range: UNKNOWN" "$rc" 3
check "bad range named" grep -q "bad threshold range '9x'" <<<"$out"
run --help
is "--help exits 0" "$rc" 0
check "--help documents -H, -C, -l, -w, --vm, --uuid, --host, --alerts" sh -c \
	"for o in -H -C -l -u -a -A -x -X -w -c --vm --uuid --host --alerts; do printf '%s\n' \"\$1\" | grep -q -- \" \$o\" || exit 1; done" _ "$out"
run --version
is "--version exits 0" "$rc" 0
check "--version prints the version" grep -q '^check_arasd [0-9]' <<<"$out"
run -H 127.0.0.1 -p "$(pick_port)" -t 1 --alerts
is "no agent on the port: UNKNOWN" "$rc" 3
check "UNKNOWN says the agent does not answer" grep -q '^ARASD UNKNOWN - SNMP agent .*Timeout' <<<"$out"

# ---- the Nagios command definitions, macros expanded as Nagios does
# nagios_cmd NAME ARG...: run conf/nagios/arasd.cfg's command NAME through sh
nagios_cmd() {
	local line
	line=$(python3 - "$TOP/conf/nagios/arasd.cfg" "$@" <<'PY'
import re, sys
f, name, args = sys.argv[1], sys.argv[2], sys.argv[3:]
cmds = dict(re.findall(r"command_name\s+(\S+)\s+command_line\s+(.+)", open(f).read()))
macros = {"USER1": "@PLUGINS@", "USER3": "public", "USER4": "nagios",
          "USER5": "nagiosauth1", "USER6": "nagiospriv1", "HOSTADDRESS": "127.0.0.1",
          "_HOSTARASD_PORT": "@PORT@"}
for i, a in enumerate(args):
    macros["ARG%d" % (i + 1)] = a
print(re.sub(r"\$([A-Z0-9_]+)\$", lambda m: macros.get(m.group(1), ""), cmds[name]))
PY
)
	line=${line//@PLUGINS@/$TOP/plugins}
	out=$(sh -c "${line//@PORT@/$SNMP_PORT}" 2>&1)
	rc=$?
}
nagios_cmd check_arasd_vm web1 45 60
is "nagios check_arasd_vm!web1!45!60: WARNING" "$rc" 1
check "nagios check_arasd_vm passes the thresholds" grep -q "'mem'=50%;45;60;0;100" <<<"$out"
nagios_cmd check_arasd_vm web1 "" ""
is "nagios check_arasd_vm!web1 (no thresholds): OK" "$rc" 0
nagios_cmd check_arasd_host alpha 80 90
is "nagios check_arasd_host!alpha!80!90: OK" "$rc" 0
nagios_cmd check_arasd_alerts
is "nagios check_arasd_alerts: OK" "$rc" 0
nagios_cmd check_arasd_vm_v3 db1 "" ""
is "nagios check_arasd_vm_v3!db1 (SNMPv3 authPriv): OK" "$rc" 0
check "v3 command reads db1" grep -q "VM db1 on alpha" <<<"$out"
nagios_cmd check_arasd_host_v3 beta "" ""
is "nagios check_arasd_host_v3!beta: OK" "$rc" 0
nagios_cmd check_arasd_alerts_v3
is "nagios check_arasd_alerts_v3: OK" "$rc" 0
nagios_cmd check_arasd_vm ghost "" ""
is "nagios check_arasd_vm!ghost: UNKNOWN" "$rc" 3

# ---- a private Icinga 2 running the shipped CheckCommand and apply rules
I=$T/icinga
mkdir -p "$I/data" "$I/cache" "$I/log" "$I/run/icinga2" "$I/spool"
cat >"$I/icinga2.conf" <<CONF
include <itl>
include "$TOP/conf/icinga/arasd.conf"
object CheckerComponent "checker" { }
object PerfdataWriter "results" {
	service_temp_path = "$I/spool/service.tmp"
	service_perfdata_path = "$I/spool/service"
	host_temp_path = "$I/spool/host.tmp"
	host_perfdata_path = "$I/spool/host"
	service_format_template = "RESULT\t\$service.name\$\t\$service.state\$\t\$service.output\$\t\$service.perfdata\$"
	rotation_interval = 1s
}
object Host "cluster" {
	address = "127.0.0.1"
	check_command = "dummy"
	check_interval = 1h
	vars.arasd = true
	vars.arasd_port = $SNMP_PORT
	vars.arasd_timeout = 2
	vars.arasd_vms = [ "web1", "ghost" ]
	vars.arasd_hosts = [ "alpha" ]
	vars.arasd_host_warning = 80
	vars.arasd_host_critical = 90
}
object Host "cluster-v3" {
	address = "127.0.0.1"
	check_command = "dummy"
	check_interval = 1h
	vars.arasd_port = $SNMP_PORT
	vars.arasd_snmpv3_user = "nagios"
	vars.arasd_snmpv3_seclevel = "authPriv"
	vars.arasd_snmpv3_auth_key = "nagiosauth1"
	vars.arasd_snmpv3_priv_key = "nagiospriv1"
	vars.arasd_vms = [ "db1" ]
}
object Host "cluster-v3-badkey" {
	address = "127.0.0.1"
	check_command = "dummy"
	check_interval = 1h
	vars.arasd_port = $SNMP_PORT
	vars.arasd_timeout = 1
	vars.arasd_snmpv3_user = "nagios"
	vars.arasd_snmpv3_auth_key = "wrongpass1"
	vars.arasd_snmpv3_priv_key = "nagiospriv1"
	vars.arasd_vms = [ "app1" ]
}
object Host "cluster-state" {
	address = "127.0.0.1"
	check_command = "dummy"
	check_interval = 1h
	vars.arasd_port = $SNMP_PORT
	vars.arasd_vms = [ "cache1" ]
	vars.arasd_vm_state_critical = "running,crashed"
}
template Service "arasd-fast" default {
	check_interval = 1s
	retry_interval = 1s
	max_check_attempts = 1
}
CONF
ICINGA_D=(-DPluginDir="$TOP/plugins" -DDataDir="$I/data" -DCacheDir="$I/cache" -DLogDir="$I/log"
	-DInitRunDir="$I/run" -DSpoolDir="$I/spool" -DRunAsUser=root -DRunAsGroup=root)
check "icinga2 validates the shipped CheckCommand and apply rules" \
	icinga2 daemon -C -c "$I/icinga2.conf" "${ICINGA_D[@]}"
t0=$(date +%s%N)
icinga2 daemon -c "$I/icinga2.conf" "${ICINGA_D[@]}" >"$I/daemon.log" 2>&1 &
record_pid $!

results() { cat "$I"/spool/service* 2>/dev/null; }
# seen FROM SERVICE STATE: the daemon reported STATE for SERVICE in a result
# line after line FROM
seen() { results | tail -n +"$(($1 + 1))" | grep -q "^RESULT	$2	$3	"; }
mark() { results | wc -l; }
check "icinga: vm web1 OK" wait_for 30 seen 0 "arasd vm web1" OK
echo "# icinga's first check result $(( ($(date +%s%N) - t0) / 1000000 )) ms after the daemon started"
check "icinga: vm ghost UNKNOWN (not in the fixture)" wait_for 10 seen 0 "arasd vm ghost" UNKNOWN
check "icinga: host alpha OK" wait_for 10 seen 0 "arasd host alpha" OK
check "icinga: alerts OK" wait_for 10 seen 0 "arasd alerts" OK
check "icinga: vm db1 OK over SNMPv3 authPriv (arasd_snmpv3_* vars)" wait_for 10 seen 0 "arasd vm db1" OK
check "icinga: vm app1 UNKNOWN with a wrong SNMPv3 pass phrase" wait_for 15 seen 0 "arasd vm app1" UNKNOWN
check "icinga: vm cache1 CRITICAL (vars.arasd_vm_state_critical running,crashed reaches the plugin)" wait_for 10 seen 0 "arasd vm cache1" CRITICAL
r=$(results | grep "^RESULT	arasd vm web1	OK	" | tail -1)
echo "# $r"
check "icinga keeps the plugin's perfdata" grep -q "mem=50%;;;0;100" <<<"$r"
r=$(results | grep "^RESULT	arasd host alpha	OK	" | tail -1)
check "host thresholds from the apply rule reach the plugin" grep -q "cpu=[0-9]*%;80;90;0;100" <<<"$r"

m=$(mark)
sset "$CONFIG_OID.3.0" u 40 >/dev/null # arasMemThreshold: web1 uses 50 %
check "icinga: vm web1 WARNING (memory alert pending)" wait_for 10 seen "$m" "arasd vm web1" WARNING
check "icinga: vm web1 CRITICAL (memory alert firing)" wait_for 20 seen "$m" "arasd vm web1" CRITICAL
check "icinga: alerts CRITICAL" wait_for 10 seen "$m" "arasd alerts" CRITICAL
# the first CRITICAL can come while some of the 5 are still pending (their
# hold time): the count settles at 5 within the next checks
all5() { results | tail -n +"$((m + 1))" | grep "^RESULT	arasd alerts	CRITICAL	" | grep -q "5 of 5 VMs alerting (cpu 0, mem 5, disk 0)"; }
check "alerts output counts the 5 VMs over 40 % memory" wait_for 30 all5
results | tail -n +"$((m + 1))" | grep "^RESULT	arasd alerts	CRITICAL	" | tail -1 | sed 's/^/# /'
r=$(results | grep "^RESULT	arasd vm web1	CRITICAL	" | tail -1)
check "web1 CRITICAL says the memory alert fires" grep -q "mem SLA alert firing" <<<"$r"
run "${P[@]}" --vm web1
is "plugin directly: web1 CRITICAL while firing" "$rc" 2

m=$(mark)
sset "$CONFIG_OID.3.0" u 90 >/dev/null
check "icinga: vm web1 OK again after the threshold is raised" wait_for 30 seen "$m" "arasd vm web1" OK
check "icinga: alerts OK again" wait_for 30 seen "$m" "arasd alerts" OK

m=$(mark)
kill "$ARASD_PID"
check "icinga: vm web1 UNKNOWN with arasd stopped" wait_for 20 seen "$m" "arasd vm web1" UNKNOWN
check "icinga: alerts UNKNOWN with arasd stopped" wait_for 10 seen "$m" "arasd alerts" UNKNOWN
# the first UNKNOWN can come from a request that met arasd going away (the
# master's "Error in packet"); once it is gone the plugin says why
no_answer() { results | tail -n +"$((m + 1))" | grep "^RESULT	arasd vm web1	UNKNOWN	" | grep -q "arasd does not answer"; }
check "UNKNOWN output says arasd does not answer" wait_for 30 no_answer
results | tail -n +"$((m + 1))" | grep "^RESULT	arasd vm web1	UNKNOWN	" | tail -1 | sed 's/^/# /'
exit 0
