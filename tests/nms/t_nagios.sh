#!/bin/bash
# Nagios: a private Nagios 4 core (Debian's nagios4-core; /usr/sbin/nagios4
# run directly, in the foreground, as root, with its own main config,
# object cache, status file, command file, query socket, check result path,
# lock file (used with -d only) and log under $T; the system's nagios4
# service is not started or touched) loads the SHIPPED conf/nagios/arasd.cfg
# unchanged (cfg_file=), a resource.cfg ($USER1$ = plugins/, $USER3$
# community, $USER4..6$ SNMPv3 secrets) and hosts using the shipped template
# arasd-host, one with _ARASD_PORT = the test snmpd's port.  `nagios4 -v`
# accepts that config and the example of arasd.cfg's header on Debian's
# stock objects, and refuses a broken copy; the states come from the
# daemon's own results in status.dat (servicestatus: current_state,
# plugin_output, performance_data), with checks forced through its external
# command file: OK, WARNING (SLA alert pending after a SET of
# arasMemThreshold), CRITICAL (firing), OK again (threshold raised), SNMPv3
# OK, UNKNOWN (a VM name not in the fixture; a host without _ARASD_PORT;
# arasd stopped).  The large-cluster path: a second arasd on the same
# hosts as its own SNMP agent (agentAddress, no snmpd; its agentConfig the
# test snmpd's community and SNMPv3 user) is a host whose _ARASD_PORT is
# its agentAddress port: the same commands are OK over v2c and SNMPv3, and
# UNKNOWN once it is stopped (no agent answers).
T_NAME=nagios
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/nms/lib.sh"
NAGIOS=${NAGIOS:-/usr/sbin/nagios4}
[ -x "$NAGIOS" ] || { not_ok "nagios4 is installed (nagios4-core, tests/deps.sh)"; exit 1; }
NAGIOS_VERSION=$(dpkg-query -W -f='${Version}' nagios4-core 2>/dev/null)
echo "# nagios4-core $NAGIOS_VERSION"

# snmpd (+ the SNMPv3 user nagios) and arasd on alpha and beta
start_plugin_agent
# and arasd as a standalone agent on the same hosts (the same user in its agentConfig)
start_standalone_arasd "holdTime 6" "clearMargin 5" || { not_ok "the standalone arasd answers on its agentAddress"; exit 1; }

# ---- a private Nagios 4: every path it writes is under $N
N=$T/nagios
mkdir -p "$N/checkresults" "$N/archives" "$N/tmp"
cat >"$N/resource.cfg" <<CONF
\$USER1\$=$TOP/plugins
\$USER3\$=public
\$USER4\$=nagios
\$USER5\$=nagiosauth1
\$USER6\$=nagiospriv1
CONF
cat >"$N/objects.cfg" <<CONF
define timeperiod {
	timeperiod_name	always
	alias		always
	sunday		00:00-24:00
	monday		00:00-24:00
	tuesday		00:00-24:00
	wednesday	00:00-24:00
	thursday	00:00-24:00
	friday		00:00-24:00
	saturday	00:00-24:00
}
define contact {
	contact_name			nobody
	host_notifications_enabled	0
	service_notifications_enabled	0
	host_notification_period	always
	service_notification_period	always
	host_notification_options	n
	service_notification_options	n
	host_notification_commands	notify-none
	service_notification_commands	notify-none
}
define command {
	command_name	notify-none
	command_line	/bin/true
}
define host {
	name			test-host
	register		0
	address			127.0.0.1
	max_check_attempts	1
	check_period		always
	notification_period	always
	contacts		nobody
	notifications_enabled	0
}
# the test snmpd's port overrides the shipped template's 161
define host {
	use			arasd-host,test-host
	host_name		cluster
	_ARASD_PORT		$SNMP_PORT
}
# the shipped template's port (no active check: nothing listens on 161)
define host {
	use			arasd-host,test-host
	host_name		plain
}
# arasd as a standalone agent: _ARASD_PORT is its agentAddress port
define host {
	use			arasd-host,test-host
	host_name		standalone
	_ARASD_PORT		$SA_PORT
}
# neither the template nor _ARASD_PORT
define host {
	use			test-host
	host_name		noport
}
define service {
	name			arasd-fast
	register		0
	host_name		cluster
	max_check_attempts	1
	check_interval		10
	retry_interval		1
	check_period		always
	notification_period	always
	contacts		nobody
	notifications_enabled	0
}
define service {
	use			arasd-fast
	host_name		plain
	service_description	arasd alerts plain
	check_command		check_arasd_alerts
	active_checks_enabled	0
}
define service {
	use			arasd-fast
	host_name		noport
	service_description	arasd alerts noport
	check_command		check_arasd_alerts
}
define service {
	use			arasd-fast
	service_description	arasd vm web1
	check_command		check_arasd_vm!web1!80!95
}
define service {
	use			arasd-fast
	service_description	arasd vm ghost
	check_command		check_arasd_vm!ghost
}
define service {
	use			arasd-fast
	service_description	arasd host alpha
	check_command		check_arasd_host!alpha!80!90
}
define service {
	use			arasd-fast
	service_description	arasd alerts
	check_command		check_arasd_alerts
}
define service {
	use			arasd-fast
	service_description	arasd vm db1 v3
	check_command		check_arasd_vm_v3!db1!!
}
define service {
	use			arasd-fast
	host_name		standalone
	service_description	arasd vm web1 standalone
	check_command		check_arasd_vm!web1!80!95
}
define service {
	use			arasd-fast
	host_name		standalone
	service_description	arasd vm db1 v3 standalone
	check_command		check_arasd_vm_v3!db1!!
}
CONF
# nagios_cfg [ARASD_CFG]: the main config, loading ARASD_CFG (default the
# shipped conf/nagios/arasd.cfg)
nagios_cfg() {
	cat <<CONF
log_file=$N/nagios.log
cfg_file=${1:-$TOP/conf/nagios/arasd.cfg}
cfg_file=$N/objects.cfg
resource_file=$N/resource.cfg
object_cache_file=$N/objects.cache
precached_object_file=$N/objects.precache
status_file=$N/status.dat
status_update_interval=1
temp_file=$N/nagios.tmp
temp_path=$N/tmp
lock_file=$N/nagios.pid
command_file=$N/nagios.cmd
query_socket=$N/nagios.qh
check_result_path=$N/checkresults
check_result_reaper_frequency=1
debug_file=$N/nagios.debug
debug_level=0
log_archive_path=$N/archives
log_rotation_method=n
state_retention_file=$N/retention.dat
retain_state_information=0
nagios_user=root
nagios_group=root
check_workers=1
check_external_commands=1
log_external_commands=1
log_initial_states=1
use_syslog=0
check_for_updates=0
enable_notifications=0
interval_length=1
service_inter_check_delay_method=n
host_inter_check_delay_method=n
max_service_check_spread=1
max_host_check_spread=1
service_check_timeout=30
illegal_object_name_chars=\`~!\$%^&*|'"<>?,()=
illegal_macro_output_chars=\`~\$&|'"<>
CONF
}
nagios_cfg >"$N/nagios.cfg"
out=$("$NAGIOS" -v "$N/nagios.cfg" 2>&1)
rc=$?
is "nagios4 -v accepts the shipped arasd.cfg with the test's objects" "$rc" 0
check "  Total Errors: 0" grep -q '^Total Errors: *0$' <<<"$out"
check "  Total Warnings: 0" grep -q '^Total Warnings: *0$' <<<"$out"
[ "$rc" = 0 ] || sed 's/^/# /' <<<"$out"
check "  it read the 8 shipped commands (and the test's notify-none)" grep -q 'Checked 9 commands' <<<"$out"
# a broken copy: check_arasd_vm misspelt, so the services that use it name
# a command defined nowhere
sed 's/command_name    check_arasd_vm$/command_name    check_arasd_vmx/' "$TOP/conf/nagios/arasd.cfg" >"$N/broken.cfg"
nagios_cfg "$N/broken.cfg" >"$N/broken-nagios.cfg"
out=$("$NAGIOS" -v "$N/broken-nagios.cfg" 2>&1)
rc=$?
check "nagios4 -v refuses a copy without check_arasd_vm (exit $rc)" test "$rc" -ne 0
check "  and names the undefined command" grep -q "^Error: Service check command 'check_arasd_vm!web1!80!95' specified in service 'arasd vm web1' .* not defined" <<<"$out"

# the example in arasd.cfg's header as a user writes it: its host and
# service next to the objects of Debian's stock nagios.cfg (its cfg_dir=
# lines as they are, its cfg_file= lines as nagios4-common's pristine
# copies: templates linux-server, generic-service...)
mkdir -p "$N/stock"
stock_conffile nagios4-common /etc/nagios4/nagios.cfg "$N/stock/nagios.cfg" >/dev/null ||
	not_ok "pristine /etc/nagios4/nagios.cfg"
while IFS= read -r l; do
	case $l in
	cfg_dir=*) echo "$l" ;;
	cfg_file=*)
		f=${l#cfg_file=}
		stock_conffile nagios4-common "$f" "$N/stock/${f##*/}" >/dev/null ||
			not_ok "pristine $f"
		echo "cfg_file=$N/stock/${f##*/}"
		;;
	esac
done <"$N/stock/nagios.cfg" >"$N/stock.cfg"
sed -n 's/^#   //p' "$TOP/conf/nagios/arasd.cfg" >"$N/example.cfg"
{ nagios_cfg | grep -v '^cfg_file='; echo "cfg_file=$TOP/conf/nagios/arasd.cfg"
	echo "cfg_file=$N/example.cfg"; cat "$N/stock.cfg"; } >"$N/example-nagios.cfg"
out=$("$NAGIOS" -v "$N/example-nagios.cfg" 2>&1)
rc=$?
is "nagios4 -v accepts arasd.cfg's example on Debian's stock objects" "$rc" 0
check "  Total Errors: 0 (its host uses arasd-host,linux-server)" grep -q '^Total Errors: *0$' <<<"$out"
[ "$rc" = 0 ] || sed 's/^/# /' <<<"$out"

"$NAGIOS" "$N/nagios.cfg" >"$N/daemon.out" 2>&1 &
record_pid $!

# svc_field SERVICE FIELD: FIELD of SERVICE's servicestatus block in status.dat
svc_field() {
	awk -v s="$1" -v f="$2" '
		/^servicestatus \{/ { blk = 1; d = ""; v = ""; next }
		blk && /^\t\}/ { if (d == s) { print v; exit } blk = 0; next }
		blk {
			i = index($0, "="); k = substr($0, 2, i - 2)
			if (k == "service_description") d = substr($0, i + 1)
			if (k == f) v = substr($0, i + 1)
		}' "$N/status.dat" 2>/dev/null
}
# obj_var HOST VAR VALUE: objects.cache has HOST with VAR VALUE
obj_var() {
	awk -v h="$1" -v k="$2" -v v="$3" '
		/^define host \{/ { blk = 1; n = ""; ok = 0; next }
		blk && /^\t\}/ { if (n == h && ok) found = 1; blk = 0; next }
		blk && $1 == "host_name" { n = $2 }
		blk && $1 == k && $2 == v { ok = 1 }
		END { exit !found }' "$N/objects.cache"
}
# svc_is SERVICE STATE [ERE]: checked, current_state STATE, output matching ERE
svc_is() {
	[ "$(svc_field "$1" has_been_checked)" = 1 ] &&
		[ "$(svc_field "$1" current_state)" = "$2" ] &&
		svc_field "$1" plugin_output | grep -Eq -- "${3:-.}"
}
# ext_cmd LINE: one line to the daemon's external command file (a FIFO;
# bounded in case the daemon is not reading it)
ext_cmd() { [ -p "$N/nagios.cmd" ] && timeout 5 sh -c 'printf "[%s] %s\n" "$(date +%s)" "$2" >"$1"' sh "$N/nagios.cmd" "$1"; }
# forced_is SERVICE STATE [ERE]: svc_is, else force a check of SERVICE (at
# most one a second)
FORCED_AT=0
forced_is() {
	svc_is "$@" && return 0
	local now
	now=$(date +%s)
	if [ "$now" != "$FORCED_AT" ]; then
		ext_cmd "SCHEDULE_FORCED_SVC_CHECK;$(svc_field "$1" host_name);$1;$now"
		FORCED_AT=$now
	fi
	return 1
}
# state_is SECONDS SERVICE STATE [ERE]: until status.dat shows it
state_is() { local secs=$1; shift; wait_for "$secs" forced_is "$@"; }
# expect DESC SECONDS SERVICE OK|WARNING|CRITICAL|UNKNOWN [ERE]
expect() {
	local d=$1 secs=$2 svc=$3 st
	case $4 in OK) st=0 ;; WARNING) st=1 ;; CRITICAL) st=2 ;; *) st=3 ;; esac
	if state_is "$secs" "$svc" "$st" "${5:-}"; then
		ok "$d"
	else
		not_ok "$d (current_state $(svc_field "$svc" current_state): $(svc_field "$svc" plugin_output))"
	fi
}

t0=$(date +%s%N)
if wait_for 20 test -s "$N/status.dat"; then
	ok "nagios4 runs and writes its status file"
else
	not_ok "nagios4 runs and writes its status file"
	sed 's/^/# /' "$N/daemon.out"
	exit 1
fi
check "  its object cache: host plain inherits _ARASD_PORT 161 from the shipped arasd-host" \
	wait_for 10 obj_var plain _ARASD_PORT 161
check "  host cluster overrides it with the test snmpd's port" obj_var cluster _ARASD_PORT "$SNMP_PORT"
check "  its command file is a FIFO under \$T" wait_for 10 test -p "$N/nagios.cmd"
expect "nagios: vm web1 OK" 30 "arasd vm web1" OK '^ARASD OK - VM web1 on alpha running'
echo "# nagios's first check result $(( ($(date +%s%N) - t0) / 1000000 )) ms after the daemon started"
echo "# web1: $(svc_field "arasd vm web1" plugin_output) | $(svc_field "arasd vm web1" performance_data)"
check "nagios keeps the plugin's perfdata with the -w/-c of check_arasd_vm!web1!80!95" \
	grep -q "'mem'=50%;80;95;0;100" <<<"$(svc_field "arasd vm web1" performance_data)"
expect "nagios: vm ghost UNKNOWN (not in the fixture; empty \$ARG2\$ \$ARG3\$)" 20 "arasd vm ghost" UNKNOWN "VM 'ghost' not found"
expect "nagios: host alpha OK" 20 "arasd host alpha" OK '^ARASD OK - host alpha up'
check "  host thresholds reach the plugin" grep -q "'cpu'=[0-9]*%;80;90;0;100" <<<"$(svc_field "arasd host alpha" performance_data)"
expect "nagios: a host without arasd-host or _ARASD_PORT: UNKNOWN, the macro left unexpanded" 20 \
	"arasd alerts noport" UNKNOWN "bad port '\\\$_HOSTARASD_PORT\\\$'"
expect "nagios: alerts OK" 20 "arasd alerts" OK '^ARASD OK - 0 of 5 VMs alerting'
expect "nagios: vm db1 OK over SNMPv3 authPriv (check_arasd_vm_v3, \$USER4..6\$)" 20 "arasd vm db1 v3" OK 'VM db1 on alpha running: .*mem 75%'
check "standalone: host standalone's _ARASD_PORT is the agentAddress port" obj_var standalone _ARASD_PORT "$SA_PORT"
expect "standalone: vm web1 OK (check_arasd_vm against arasd's own agent)" 20 "arasd vm web1 standalone" OK '^ARASD OK - VM web1 on alpha running'
check "  with the -w/-c of check_arasd_vm!web1!80!95 in its perfdata" \
	grep -q "'mem'=50%;80;95;0;100" <<<"$(svc_field "arasd vm web1 standalone" performance_data)"
expect "standalone: vm db1 OK over SNMPv3 authPriv (the user in its agentConfig)" 20 "arasd vm db1 v3 standalone" OK 'VM db1 on alpha running: .*mem 75%'
# stopped now: its next check, forced now, times out (2 x 5 s) while the
# sequence below runs
kill "$SA_PID"
ext_cmd "SCHEDULE_FORCED_SVC_CHECK;standalone;arasd vm web1 standalone;$(date +%s)"

sset "$CONFIG_OID.3.0" u 40 >/dev/null # arasMemThreshold: web1 uses 50 %
expect "nagios: vm web1 WARNING (memory alert pending)" 20 "arasd vm web1" WARNING 'mem SLA alert pending'
expect "nagios: vm web1 CRITICAL (memory alert firing)" 30 "arasd vm web1" CRITICAL 'mem SLA alert firing'
expect "nagios: alerts CRITICAL" 20 "arasd alerts" CRITICAL '5 of 5 VMs alerting \(cpu 0, mem 5, disk 0\)'
echo "# alerts: $(svc_field "arasd alerts" plugin_output)"
sset "$CONFIG_OID.3.0" u 90 >/dev/null
expect "nagios: vm web1 OK again after the threshold is raised" 30 "arasd vm web1" OK '^ARASD OK'
expect "nagios: alerts OK again" 30 "arasd alerts" OK '^ARASD OK'

kill "$ARASD_PID"
expect "nagios: vm web1 UNKNOWN with arasd stopped" 30 "arasd vm web1" UNKNOWN 'arasd does not answer'
expect "nagios: alerts UNKNOWN with arasd stopped" 20 "arasd alerts" UNKNOWN 'arasd does not answer'
expect "standalone: vm web1 UNKNOWN with the standalone arasd stopped (no agent answers)" 30 "arasd vm web1 standalone" UNKNOWN \
	"^ARASD UNKNOWN - SNMP agent 127.0.0.1:$SA_PORT: Timeout"
check "nagios logged the forced checks from its command file" \
	grep -q 'EXTERNAL COMMAND: SCHEDULE_FORCED_SVC_CHECK;cluster;arasd vm web1' "$N/nagios.log"
exit 0
