#!/bin/bash
# The standalone agent (agentAddress / agentConfig, issue 22): arasd serves
# ARAS-MIB on its own UDP port with net-snmp's master role, no snmpd and no
# AgentX.  Checks what is particular to that path: its configuration errors
# (file, line, reason), no master anywhere, the system group and sysORTable
# beside ARAS-MIB, agentConfig's access control for v2c and an SNMPv3
# authPriv user, coldStart to its trap sink, `arasd -t`, a port already
# taken.  The rest of the suite runs on this path too (tests/run.sh,
# ARAS_AGENT=standalone).
T_NAME=standalone
. "$(dirname "$0")/../lib.sh"
ARAS_AGENT=standalone

# ---- configuration errors: named with file and line, arasd -n fails
bad() { # bad DESC WANT-REGEX LINES...: arasd -n on LINES fails, saying WANT
	local d=$1 want=$2 out
	shift 2
	printf '%s\n' "$@" "host a test:///default" >"$T/bad.conf"
	if out=$("$ARASD" -n -c "$T/bad.conf" 2>&1); then
		not_ok "$d: arasd -n accepted it"
	elif grep -qE "$want" <<<"$out"; then
		ok "$d: $(grep -m1 -E "$want" <<<"$out")"
	else
		not_ok "$d: '$out'"
	fi
}
bad "agentAddress without agentConfig" "bad.conf: agentAddress without agentConfig" "agentAddress udp:127.0.0.1:1161"
bad "agentConfig that does not exist" "bad.conf: agentConfig $T/none.conf: No such file" \
	"agentAddress udp:127.0.0.1:1161" "agentConfig $T/none.conf"
bad "agentAddress with a space" "bad.conf: line 1: .*agentAddress needs one net-snmp address list" "agentAddress udp:127.0.0.1 1161"
bad "agentConfig not absolute" "bad.conf: line 2: .*agentConfig needs an absolute path" \
	"agentAddress udp:127.0.0.1:1161" "agentConfig agent.conf"

# ---- the agent: v2c communities, an SNMPv3 authPriv user, a trap sink
V3_USER=nmsuser V3_AUTH=auth-pass-1234 V3_PRIV=priv-pass-5678
write_snmpd_conf
cat >>"$T/snmpd.conf" <<CONF
createUser $V3_USER SHA "$V3_AUTH" AES "$V3_PRIV"
rwuser $V3_USER priv
engineID arasd-t
CONF
HOSTS_CONF=("host alpha $(fixture hostA.xml)")
write_arasd_conf "stateFile $T/state"
start_trapd || not_ok "snmptrapd starts"
start_snmpd # writes agent.conf only
is "no snmpd: start_snmpd started nothing" "$(grep -c . "$T/pids")" 1
check "agent.conf has no master or agentx line" sh -c "! grep -qiE '^(master|agentx)' '$T/agent.conf'"
start_arasd || { not_ok "arasd answers on its agentAddress"; exit 1; }
wait_get 30 "$STATUS_OID.2.0" 3 || not_ok "the first poll lists host alpha's three VMs"
check "the port is arasd's own socket" sh -c "ss -Hlunp 'sport = :$SNMP_PORT' | grep -q 'pid=$ARASD_PID,'"
check "no AgentX socket anywhere in the test" sh -c "[ ! -e '$AGENTX' ]"
# (the trap sink's client socket shows in ss -lu as 0.0.0.0:EPHEMERAL, unconnected)
is "arasd listens on no TCP port (no SMUX port 199)" "$(ss -Hltnp | grep -c "pid=$ARASD_PID,")" 0
check "the log says standalone" grep -q "standalone SNMP agent on udp:127.0.0.1:$SNMP_PORT" "$T/arasd.log"
is "arasVmTable rows" "$(swalk "$VM_ENTRY.2" | grep -c STRING)" 3
up=$(sget .1.3.6.1.2.1.1.3.0)
check "sysUpTime.0 answers ($up)" grep -qE '^[0-9]+:[0-9]+:' <<<"$up"
sysdescr=$(sget .1.3.6.1.2.1.1.1.0)
check "sysDescr.0 is the system's ($sysdescr)" grep -q "$(uname -s)" <<<"$sysdescr"
check "sysORTable lists ARAS-MIB" grep -q "= OID: $BASE_OID\$" <<<"$(swalk .1.3.6.1.2.1.1.9.1.2)"
eid=$(sget .1.3.6.1.6.3.10.2.1.1.0 | tr -d "\n\"" | tr -s " ")
check "snmpEngineID.0 is agentConfig's engineID arasd-t ($eid)" grep -q '61 72 61 73 64 2D 74' <<<"$eid"
last=$(sbulk "$BASE_OID" | tail -n 1)
is "no 'Connection from' line per request in arasd's log" "$(grep -c 'Connection from' "$T/arasd.log")" 0
check "a GETBULK walk of ARAS-MIB returns values ($(sbulk "$BASE_OID" | grep -c .))" grep -q "^$BASE_OID" <<<"$last"

# access control from agentConfig
if snmpset -v2c -c public -t 2 -r 0 "$AGENT" "$CONFIG_OID.2.0" u 77 >"$T/out" 2>&1; then
	not_ok "rocommunity public: SET refused"
else
	ok "rocommunity public: SET refused ($(grep -m1 -e Reason -e Timeout "$T/out"))"
fi
check "rwcommunity private: SET arasCpuThreshold 77" sset "$CONFIG_OID.2.0" u 77
is "  and it reads back" "$(sget "$CONFIG_OID.2.0")" 77
check "unknown community: no answer" sh -c "! snmpget -v2c -c nosuch -t 1 -r 0 $AGENT $STATUS_OID.12.0"
v3() { snmpget -v3 -l authPriv -u "$V3_USER" -a SHA -A "${1:-$V3_AUTH}" -x AES -X "$V3_PRIV" -t 2 -r 0 -Oqv "$AGENT" "$STATUS_OID.12.0"; }
check "SNMPv3 authPriv user reads arasVersion ($(v3))" v3
if snmpget -v3 -l authPriv -u "$V3_USER" -a SHA -A wrong-pass-0000 -x AES -X "$V3_PRIV" -t 2 -r 0 "$AGENT" "$STATUS_OID.12.0" >"$T/out" 2>&1; then
	not_ok "SNMPv3 with a wrong auth password refused"
else
	ok "SNMPv3 with a wrong auth password refused ($(head -1 "$T/out"))"
fi
check "SNMPv3 authPriv SET arasMemThreshold 66" snmpset -v3 -l authPriv -u "$V3_USER" -a SHA -A "$V3_AUTH" \
	-x AES -X "$V3_PRIV" -t 2 -r 0 "$AGENT" "$CONFIG_OID.3.0" u 66
is "  and it reads back" "$(sget "$CONFIG_OID.3.0")" 66

# notifications go to agentConfig's trap sink, beginning with coldStart
check "coldStart at the trap sink (sent once arasd listens)" wait_for 10 grep -q '\.1\.3\.6\.1\.6\.3\.1\.1\.5\.1' "$T/traps.log"

# ---- arasd -t: no AgentX master to reach on this path
out=$("$ARASD" -t -c "$T/arasd.conf" 2>&1)
is "arasd -t on a standalone configuration succeeds" "$?" 0
check "  and says standalone ($(grep -m1 '^agent ' <<<"$out"))" grep -q "^agent udp:127.0.0.1:$SNMP_PORT: standalone" <<<"$out"

# ---- a second arasd on the same port: it says so and exits non-zero
sed "s|^stateFile .*|stateFile $T/state2|" "$T/arasd.conf" >"$T/second.conf"
timeout 20 "$ARASD" -f -c "$T/second.conf" >"$T/second.log" 2>&1
rc=$?
is "a second arasd on the taken port exits non-zero by itself (status $rc)" "$([ $rc -ne 0 ] && [ $rc -ne 124 ] && echo yes)" yes
check "  saying it cannot listen on agentAddress" grep -q "cannot listen on agentAddress udp:127.0.0.1:$SNMP_PORT" "$T/second.log"
check "the first one still answers" get_is "$CONFIG_OID.2.0" 77

# ---- a bad line in agentConfig: arasd stops with file, line and reason
kill "$ARASD_PID"
wait "$ARASD_PID" 2>/dev/null
echo "rocomunity typo" >>"$T/snmpd.conf"
write_agent_conf
timeout 20 "$ARASD" -f -c "$T/arasd.conf" >"$T/badagent.log" 2>&1
rc=$?
is "a bad agentConfig line stops arasd (status $rc)" "$([ $rc -ne 0 ] && [ $rc -ne 124 ] && echo yes)" yes
check "  naming the file and the line ($(grep -m1 'Unknown token' "$T/badagent.log"))" \
	grep -qE "$T/agent.conf: line [0-9]+: Warning: Unknown token: rocomunity" "$T/badagent.log"

# ---- the shipped example (conf/agent.conf, /usr/share/arasd/agent.conf) as it is
sed -i "s|^agentConfig .*|agentConfig $TOP/conf/agent.conf|" "$T/arasd.conf"
"$ARASD" -f -c "$T/arasd.conf" >>"$T/arasd.log" 2>&1 &
ARASD_PID=$!
record_pid $ARASD_PID
check "the shipped agent.conf: public reads" wait_for 15 arasd_attached
ex() { snmp"$1" -v3 -l authPriv -u "$2" -a SHA -A CHANGE-ME-auth-passphrase -x AES -X CHANGE-ME-priv-passphrase \
	-t 2 -r 0 "$AGENT" "${@:3}"; }
check "  nmsuser (authPriv) reads" ex get nmsuser "$STATUS_OID.12.0"
if ex set nmsuser "$CONFIG_OID.2.0" u 70 >"$T/out" 2>&1; then not_ok "  nmsuser cannot write"; else ok "  nmsuser cannot write ($(grep -m1 Reason "$T/out"))"; fi
check "  arasadmin (authPriv) writes" ex set arasadmin "$CONFIG_OID.2.0" u 70
exit 0
