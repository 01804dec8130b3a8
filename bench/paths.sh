# bench/paths.sh - the two ways an NMS reaches arasd, side by side, for the
# benches that compare them (bench/prom-scrape, bench/zabbix-poll).  Source
# it after tests/lib.sh, with HOSTS_CONF, POLL and N set:
#   agentx      NMS -> a private snmpd master -> AgentX -> arasd (subagent)
#   standalone  NMS -> arasd itself (agentAddress + agentConfig: no snmpd,
#               no AgentX hop; lib.sh's ARAS_AGENT=standalone)
# start_path P starts P's arasd (and, for agentx, snmpd) through lib.sh's
# helpers, each arasd with its own conf file ($T/arasd-P.conf) and stateFile,
# on its own UDP port, and waits until it serves N VMs.  Afterwards
# TARGET[P] is its HOST:PORT, APID[P] arasd's PID, SNMPD_PID snmpd's.
# Run agentx first: the standalone agent then takes a port of its own.
# shellcheck shell=bash

declare -A TARGET APID PATH_CONF
SNMPD_PID=

# check_paths WORD...: each one agentx or standalone
check_paths() {
	local p
	for p in "$@"; do
		case $p in agentx | standalone) ;; *) echo "BENCH_PATHS: unknown path '$p' (agentx, standalone)"; return 1 ;; esac
	done
}

vm_count_is() { [ "$(sget "$STATUS_OID.2.0" 2>/dev/null)" = "$1" ]; }

start_path() {
	local p=$1
	if [ "$p" = agentx ]; then
		unset ARAS_AGENT
		start_snmpd || { echo "snmpd did not start (see $T/snmpd.log)"; return 1; }
	else
		export ARAS_AGENT=standalone
		if [ -n "$SNMPD_PID" ]; then # the master holds $SNMP_PORT
			while :; do
				SNMP_PORT=$(pick_port)
				[ "$SNMP_PORT" != "$TRAP_PORT" ] && break
			done
			AGENT=127.0.0.1:$SNMP_PORT
		fi
	fi
	# PATH_CONF[P]: one more line for P's arasd.conf (e.g. metricsAddress)
	write_arasd_conf "stateFile $T/state-$p" "${PATH_CONF[$p]:-}"
	cp "$T/arasd.conf" "$T/arasd-$p.conf"
	# arasd takes the last -c: its own copy (start_arasd's -c $T/arasd.conf comes first)
	start_arasd -c "$T/arasd-$p.conf" || { echo "arasd ($p) did not answer (see $T/arasd.log)"; return 1; }
	APID[$p]=$ARASD_PID
	TARGET[$p]=$AGENT
	wait_for 300 vm_count_is "$N" || { echo "$p: arasVmCount.0 never reached $N"; return 1; }
}

# describe_path P: one line, what serves P
describe_path() {
	if [ "$1" = agentx ]; then
		# shellcheck disable=SC2153 # AGENTX: tests/lib.sh's socket path
		echo "agentx:     NMS -> snmpd ${TARGET[$1]} (pid $SNMPD_PID) -> AgentX $AGENTX -> arasd (pid ${APID[$1]})"
	else
		echo "standalone: NMS -> arasd ${TARGET[$1]} (agentAddress, agentConfig $T/agent.conf; pid ${APID[$1]})"
	fi
}

# bench_header: date, machine and load, printed first
bench_header() {
	echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "machine: nproc=$(nproc) kernel=$(uname -r) cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
	echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) at start (other work on the machine skews every figure)"
}

# build_arasd: ./arasd unless ARASD named a binary (BENCH_ARASD_GIVEN)
build_arasd() {
	if [ -z "${BENCH_ARASD_GIVEN:-}" ]; then
		make -s -C "$TOP" arasd >&2 || { echo "build of arasd failed"; return 1; }
		echo "arasd:   $ARASD (tree $(git -C "$TOP" describe --always --dirty 2>/dev/null))"
	else
		echo "arasd:   $ARASD (given by ARASD=)"
	fi
}
