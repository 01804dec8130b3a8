#!/bin/bash
# scriptUser: arasd running as root runs the alert script as the named
# unprivileged user (uid, gid and groups), never as root; an unknown user
# is a configuration error naming file and line; `arasd -t` reports each
# host and the AgentX socket.
T_NAME=scriptuser
. "$(dirname "$0")/../lib.sh"

[ "$(id -u)" = 0 ] || { not_ok "this test needs root (to switch users)"; exit 1; }
chmod 711 "$T"
mkdir -m 1777 "$T/runs"
cat >"$T/alert.sh" <<SH
#!/bin/sh
echo "\$(id -u) \$(id -g) \$(id -G)" >"$T/runs/\$\$"
echo "HOME=\$HOME USER=\$USER LOGNAME=\$LOGNAME" >"$T/runs/env.\$\$"
SH
chmod 755 "$T/alert.sh"

HOSTS_CONF=("host alpha $(fixture hostA.xml) 1")
write_arasd_conf "stateFile $T/state" "memThreshold 40" "holdTime 1" "actions script" \
	"script $T/alert.sh" "scriptUser nobody"

# an unknown user is refused with file and line
cp "$T/arasd.conf" "$T/bad.conf"
echo "scriptUser no-such-user-here" >>"$T/bad.conf"
out=$("$ARASD" -n -c "$T/bad.conf" 2>&1)
is "unknown scriptUser: arasd -n exits 1" "$?" 1
n=$(wc -l <"$T/bad.conf")
check "the error names file and line ($n)" grep -q "$T/bad.conf: line $n: .*scriptUser names no user" <<<"$out"

# -t: the test-driver host answers, the AgentX socket does not exist yet
out=$("$ARASD" -t -c "$T/arasd.conf" 2>&1)
is "arasd -t without a master exits 1" "$?" 1
check "-t: host alpha reachable" grep -q "^host alpha (index 1, test://.*): OK: libvirt .*domains" <<<"$out"
check "-t: AgentX socket reported unreachable" grep -q "^agentx $AGENTX: UNREACHABLE: cannot connect: No such file" <<<"$out"
printf '%s\n' "$out" | sed 's/^/# /'

start_snmpd || { not_ok "snmpd starts"; exit 1; }
out=$("$ARASD" -t -c "$T/arasd.conf" 2>&1)
is "arasd -t with the master up exits 0" "$?" 0
check "-t: AgentX socket reachable" grep -q "^agentx $AGENTX: OK" <<<"$out"
check "-t: summary line" grep -q "^1 of 1 host reachable, AgentX master reachable" <<<"$out"

(cd "$T" && start_arasd) || { not_ok "arasd attaches to the master"; exit 1; }
check "the script ran (memory breach)" wait_for 15 sh -c "ls $T/runs | grep -q ."
nobody_uid=$(id -u nobody)
nobody_gid=$(id -g nobody)
r=$(cat "$T"/runs/[0-9]* 2>/dev/null | head -1)
is "the script ran as nobody's uid and gid" "$(cut -d' ' -f1,2 <<<"$r")" "$nobody_uid $nobody_gid"
is "with nobody's groups only" "$(cut -d' ' -f3- <<<"$r")" "$(id -G nobody)"
check "no run as root" sh -c "! grep -q '^0 ' $T/runs/[0-9]*"
nobody_home=$(getent passwd nobody | cut -d: -f6)
is "HOME, USER, LOGNAME are nobody's" "$(cat "$T"/runs/env.* 2>/dev/null | head -1)" "HOME=$nobody_home USER=nobody LOGNAME=nobody"
check "arasd logged whom scripts run as" grep -q "scripts run as nobody" "$T/arasd.log"
exit 0
