# tests/lib.sh - shared by integration tests, the demo and benchmarks.
# Starts real processes on loopback (snmpd master on a private UDP port and
# AgentX socket, snmptrapd, arasd), records their PIDs, and kills only those.
# Source it; set T_NAME first.  Needs: snmpd snmptrapd snmp tools.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)
ARASD=${ARASD:-$TOP/arasd}
BASE_OID=.1.3.6.1.4.1.8072.9999.9999.1
VM_ENTRY=$BASE_OID.1.4.1
HOST_ENTRY=$BASE_OID.1.3.1
CONFIG_OID=$BASE_OID.1.1
STATUS_OID=$BASE_OID.1.2
NOTIFY_OID=$BASE_OID.0
# net-snmp's environment: none of the caller's may change what a test
# sees (SNMP_PERSISTENT_DIR elsewhere hides the v3 users a test's snmpd
# reads from its /var/lib/snmp, SNMPCONFPATH other client settings, MIBS /
# MIBDIRS other modules).  No MIBs by default (numeric output); a test that
# needs one of these sets it for the command.
unset SNMPCONFPATH SNMPSHAREPATH SNMPLIBPATH SNMP_PERSISTENT_DIR SNMP_PERSISTENT_FILE MIBFILES
export MIBS= MIBDIRS=

T_NAME=${T_NAME:-test}
T=$(mktemp -d "/tmp/aras-$T_NAME.XXXXXX")
: >"$T/pids"
T_FAILS=0

# A free-looking UDP port pair, different per test run.
pick_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 30000))
		if ! ss -Hlun "sport = :$p" 2>/dev/null | grep -q .; then
			echo "$p"
			return
		fi
	done
}
SNMP_PORT=$(pick_port)
TRAP_PORT=$(pick_port)
AGENTX="$T/agentx.sock"
AGENT="127.0.0.1:$SNMP_PORT"

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; T_FAILS=$((T_FAILS + 1)); }
# check DESC CMD...: ok when CMD succeeds
check() {
	local d=$1
	shift
	if "$@" >/dev/null 2>&1; then ok "$d"; else not_ok "$d"; fi
}
# is DESC GOT WANT
is() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1 (got '$2', want '$3')"; fi
}

record_pid() { echo "$1" >>"$T/pids"; }
# rss_kib PID: the process's resident set (VmRSS, KiB)
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null; }

# Kill (TERM, then KILL) the PIDs this test recorded, newest first.
cleanup() {
	local p
	for p in $(tac "$T/pids" 2>/dev/null); do
		kill "$p" 2>/dev/null
	done
	for p in $(tac "$T/pids" 2>/dev/null); do
		for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
		kill -9 "$p" 2>/dev/null
	done
	: >"$T/pids"
	[ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT

# wait_for SECONDS CMD...: poll CMD every 0.2 s until it succeeds.
wait_for() {
	local end=$(($(date +%s%N) / 1000000 + ${1%.*} * 1000))
	shift
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		[ $(($(date +%s%N) / 1000000)) -ge $end ] && return 1
		sleep 0.2
	done
}

write_snmpd_conf() {
	cat >"$T/snmpd.conf" <<CONF
agentaddress udp:127.0.0.1:$SNMP_PORT
master agentx
agentXSocket $AGENTX
agentXPerms 0660 0770
rocommunity public 127.0.0.1
rwcommunity private 127.0.0.1
${TRAPSINK:-trap2sink} 127.0.0.1:$TRAP_PORT public
CONF
}

# ARAS_AGENT=standalone runs a test on the large-cluster path: no snmpd,
# arasd itself the SNMP agent on $AGENT (agentAddress), its access control
# and trap sinks the lines of the test's snmpd.conf that are not about
# being a master (agentConfig $T/agent.conf).  start_snmpd then only
# writes that file; a test that restarts or reads snmpd does not run so.
standalone() { [ "${ARAS_AGENT:-}" = standalone ]; }
write_agent_conf() {
	[ -f "$T/snmpd.conf" ] || write_snmpd_conf
	grep -viE '^[[:space:]]*(master|agentxsocket|agentxperms|agentaddress)([[:space:]]|$)' \
		"$T/snmpd.conf" >"$T/agent.conf"
}

start_snmpd() {
	if standalone; then
		write_agent_conf
		return 0
	fi
	[ -f "$T/snmpd.conf" ] || write_snmpd_conf
	mkdir -p "$T/snmpd-state"
	SNMP_PERSISTENT_DIR="$T/snmpd-state" snmpd -f -Lf "$T/snmpd.log" -C -c "$T/snmpd.conf" \
		-p "$T/snmpd.pid" &
	SNMPD_PID=$!
	record_pid $SNMPD_PID
	wait_for 10 snmpget -v2c -c public -t 0.5 -r 0 "$AGENT" .1.3.6.1.2.1.1.3.0
}

start_trapd() {
	cat >"$T/snmptrapd.conf" <<CONF
disableAuthorization yes
CONF
	: >"$T/traps.log"
	SNMP_PERSISTENT_DIR="$T/snmpd-state" snmptrapd -f -C -c "$T/snmptrapd.conf" -On \
		-Lf "$T/traps.log" -F 'TRAP %v\n' "udp:127.0.0.1:$TRAP_PORT" &
	TRAPD_PID=$!
	record_pid $TRAPD_PID
	# ready when its UDP socket is bound (not a fixed sleep)
	wait_for 10 udp_bound "$TRAP_PORT"
}

# udp_bound PORT: something listens on 127.0.0.1:PORT/udp
udp_bound() { ss -Hlun "src 127.0.0.1:$1" 2>/dev/null | grep -q .; }

# write_arasd_conf [extra lines...] (hosts from $HOSTS_CONF lines)
write_arasd_conf() {
	{
		if standalone; then
			echo "agentAddress udp:127.0.0.1:$SNMP_PORT"
			echo "agentConfig $T/agent.conf"
		else
			echo "agentxSocket $AGENTX"
			echo "agentxPingInterval ${PING:-2}"
		fi
		echo "pollInterval ${POLL:-1}"
		# never the machine's /var/lib/arasd/state (an installed arasd's,
		# or another test's): a test's own stateFile line below wins
		echo "stateFile $T/state"
		printf '%s\n' "${HOSTS_CONF[@]}"
		printf '%s\n' "$@"
	} >"$T/arasd.conf"
}

# start_arasd: start on $T/arasd.conf and wait until its subtree answers.
start_arasd() {
	! standalone || write_agent_conf
	"$ARASD" -f -c "$T/arasd.conf" "$@" >>"$T/arasd.log" 2>&1 &
	ARASD_PID=$!
	record_pid $ARASD_PID
	wait_for 15 arasd_attached
}

# wait_get SECONDS OID VALUE: until snmpget OID prints VALUE (-Oqv form).
get_is() { [ "$(sget "$1" 2>/dev/null)" = "$2" ]; }
wait_get() { local secs=$1; shift; wait_for "$secs" get_is "$@"; }

# polls: arasPolls.0 now (host polls folded into the model).
polls() { sget "$STATUS_OID.3.0" 2>/dev/null | tr -dc 0-9; }
polls_ge() { local n; n=$(polls); [ -n "$n" ] && [ "$n" -ge "$1" ]; }
# wait_polls N [SECONDS]: until arasPolls has grown by N (each host poll is
# followed by a controller round), instead of sleeping a poll interval or two.
wait_polls() {
	local from
	from=$(polls)
	wait_for "${2:-20}" polls_ge $((${from:-0} + $1))
}

# arasd answers through the master (arasVersion.0)
arasd_attached() {
	snmpget -v2c -c public -t 0.5 -r 0 -Oqv "$AGENT" "$STATUS_OID.12.0" 2>/dev/null | grep -q '"'
}

sget() { snmpget -v2c -c public -t 2 -r 1 -Oqv "$AGENT" "$@"; }
swalk() { snmpwalk -v2c -c public -t 2 -r 1 -On "$AGENT" "$@"; }
sbulk() { snmpbulkwalk -v2c -c public -t 5 -r 1 -Cr50 -On "$AGENT" "$@"; }
sset() { snmpset -v2c -c private -t 2 -r 1 "$AGENT" "$@"; }

# uuid_oid UUID -> dotted decimal index of the 16 bytes
uuid_oid() {
	local h=${1//-/} i out=
	for ((i = 0; i < 32; i += 2)); do out+="${out:+.}$((16#${h:i:2}))"; done
	echo "$out"
}

# A fresh fixture copy under $T (tests must not edit conf/fixture).
fixture() { cp "$TOP/conf/fixture/$1" "$T/$1" && echo "test://$T/$1"; }
