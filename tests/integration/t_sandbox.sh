#!/bin/bash
# The hardened unit (conf/arasd.service) against what arasd really does.
# No systemd runs as PID 1 here (systemd-run and systemd-nspawn cannot
# start a unit), so: arasd runs unprivileged (setpriv: user nobody, no new
# privileges, empty capability bounding set, like NoNewPrivileges= and
# CapabilityBoundingSet=) under strace -f, polls the test driver, sends an
# alert mail to a real SMTP server on loopback, runs a /bin/sh script and
# answers a scrape of /metrics (metricsAddress, HTTPS with basic auth),
# and the trace is checked against the unit: every system call is allowed
# by its SystemCallFilter= lines (expanded with systemd-analyze
# syscall-filter), every socket family is in RestrictAddressFamilies=, no
# writable+executable mapping (MemoryDenyWriteExecute=), no new namespace
# (RestrictNamespaces=), no write outside the directories given to it.
# Also: systemd-analyze security --offline exposure <= 3.0.
T_NAME=sandbox
. "$(dirname "$0")/../lib.sh"
UNIT=$TOP/conf/arasd.service
[ "$(id -u)" = 0 ] || { not_ok "this test needs root (setpriv to user nobody)"; exit 1; }

# --- the unit's own figures
exposure=$(cd "$TOP/conf" && systemd-analyze security --offline=true ./arasd.service 2>/dev/null |
	sed -n 's/.*Overall exposure level for arasd.service: \([0-9.]*\).*/\1/p')
echo "# systemd-analyze security --offline=true conf/arasd.service: exposure $exposure"
check "exposure $exposure <= 3.0" awk -v e="$exposure" 'BEGIN { exit !(e != "" && e <= 3.0) }'
check "User=arasd" grep -qx 'User=arasd' "$UNIT"
check "ExecReload sends SIGHUP" grep -qx 'ExecReload=/bin/kill -HUP $MAINPID' "$UNIT"
check "Wants= and After=network-online.target" sh -c "grep -q '^Wants=.*network-online.target' '$UNIT' && grep -q '^After=.*network-online.target' '$UNIT'"
check "ProtectSystem=strict, state and log directories writable" sh -c "grep -qx ProtectSystem=strict '$UNIT' && grep -qx StateDirectory=arasd '$UNIT' && grep -qx LogsDirectory=arasd '$UNIT'"
check "CapabilityBoundingSet empty, NoNewPrivileges" sh -c "grep -qx CapabilityBoundingSet= '$UNIT' && grep -qx NoNewPrivileges=yes '$UNIT'"

expand() { # names and @groups -> syscall names, recursively
	local x
	for x in "$@"; do
		case $x in
		@*) expand $(systemd-analyze syscall-filter "$x" | sed -n 's/^    \([@a-z0-9_-]*\)$/\1/p') ;;
		*) echo "$x" ;;
		esac
	done
}
# SystemCallFilter=: the first line is an allow list; later lines add
# (plain) or remove (~) in order, as systemd applies them
: >"$T/permitted"
grep '^SystemCallFilter=' "$UNIT" | sed 's/^SystemCallFilter=//' | while read -r line; do
	case $line in
	\~*) expand ${line#\~} | sort -u >"$T/deny"
	     comm -23 "$T/permitted" "$T/deny" >"$T/p2" && mv "$T/p2" "$T/permitted" ;;
	*) { cat "$T/permitted"; expand $line; } | sort -u >"$T/p2" && mv "$T/p2" "$T/permitted" ;;
	esac
done
echo "# the unit's SystemCallFilter permits $(wc -l <"$T/permitted") system call names"
check "the filter denies @privileged (e.g. setuid, mount)" sh -c "! grep -qx 'setuid\|mount' '$T/permitted'"
families=$(sed -n 's/^RestrictAddressFamilies=//p' "$UNIT")

# --- arasd doing mail, script and polls, traced
pick_tcp_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 30000))
		ss -Hltn "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return; }
	done
}
SMTP_PORT=$(pick_tcp_port)
chmod 711 "$T"
W=$T/w
mkdir -m 1777 "$W"
/usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$T/maildir" \
	>"$T/smtpd.log" 2>&1 &
record_pid $!
wait_for 15 sh -c "ss -Hltn 'sport = :$SMTP_PORT' | grep -q ." || not_ok "SMTP sink listens"
cat >"$W/alert.sh" <<SH
#!/bin/sh
echo "\$1 \$2" >>"$W/script.out"
SH
chmod 755 "$W/alert.sh"
cp "$TOP/conf/fixture/hostA.xml" "$W/" && chmod 644 "$W/hostA.xml"
cat >"$T/snmpd.conf" <<CONF
agentaddress udp:127.0.0.1:$SNMP_PORT
master agentx
agentXSocket $W/agentx.sock
agentXPerms 0666 0755
rocommunity public 127.0.0.1
rwcommunity private 127.0.0.1
CONF
AGENTX=$W/agentx.sock
start_snmpd || { not_ok "snmpd starts"; exit 1; }
# on the standalone path (ARAS_AGENT=standalone) arasd binds the port itself
if standalone; then
	cp "$T/agent.conf" "$W/agent.conf" && chmod 644 "$W/agent.conf"
	AGENT_LINES="agentAddress udp:127.0.0.1:$SNMP_PORT
agentConfig $W/agent.conf"
else
	AGENT_LINES="agentxSocket $AGENTX"
fi
# /metrics over HTTPS with basic auth: gnutls and crypt_r (bcrypt) in the trace too
MPORT=$(pick_tcp_port)
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$W/key.pem" -out "$W/cert.pem" -days 1 \
	-subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" >"$T/openssl.log" 2>&1 || not_ok "openssl makes a certificate"
chmod 644 "$W/key.pem" "$W/cert.pem"
MHASH=$(python3 -W ignore -c 'import crypt; print(crypt.crypt("s3cret", crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=2**5)))')
cat >"$W/arasd.conf" <<CONF
host alpha test://$W/hostA.xml 1
$AGENT_LINES
pollInterval 1
stateFile $W/state/state
historyFile $W/history
memThreshold 40
holdTime 1
actions trap,email,script
mailServer smtp://127.0.0.1:$SMTP_PORT
mailFrom arasd@example.net
mailTo ops@example.net
script $W/alert.sh
metricsAddress $MPORT
metricsTlsCert $W/cert.pem
metricsTlsKey $W/key.pem
metricsUser prom $MHASH
CONF
chmod 644 "$W/arasd.conf"
mkdir -m 1777 "$W/state"
# the kernel's memory-deny-write-execute stands in for MemoryDenyWriteExecute=
cc -O2 -Wall -o "$T/mdwe_exec" "$TOP/tests/mdwe_exec.c" || not_ok "tests/mdwe_exec.c builds"
MDWE="$T/mdwe_exec"
"$MDWE" true 2>/dev/null || { echo "# this kernel has no PR_SET_MDWE: MemoryDenyWriteExecute not emulated"; MDWE=; }
# as the unit's Environment= does, net-snmp keeps its file in our state dir
SNMP_PERSISTENT_DIR=$W/state/snmp strace -f -qq -s 200 -o "$T/trace" $MDWE \
	setpriv --reuid=nobody --regid=nogroup --clear-groups --no-new-privs --bounding-set=-all --inh-caps=-all \
	"$ARASD" -f -c "$W/arasd.conf" >"$T/arasd.log" 2>&1 &
TRACE_PID=$!
record_pid $TRACE_PID
check "arasd (unprivileged, traced) attaches to the master" wait_for 30 arasd_attached
check "the alert mail reached the SMTP sink" wait_for 20 sh -c "ls $T/maildir/new 2>/dev/null | grep -q ."
check "the alert script ran (/bin/sh)" wait_for 20 test -s "$W/script.out"
check "a scrape of /metrics (HTTPS, basic auth) answers the series" sh -c \
	"curl -sf --cacert '$W/cert.pem' -u prom:s3cret 'https://127.0.0.1:$MPORT/metrics' | grep -q '^arasVmVcpus{'"
sset "$CONFIG_OID.5.0" u 7 >/dev/null
check "a SET was persisted (state file written)" wait_for 5 grep -q . "$W/state/state"
sleep 1
# stop arasd (strace's child), then strace ends with it
apid=$(pgrep -P "$TRACE_PID" | head -1)
[ -n "$apid" ] && kill "$apid"
wait_for 10 sh -c "! kill -0 $TRACE_PID 2>/dev/null"

check "the unit points net-snmp's persistent dir into its state dir" \
	grep -qx 'Environment=SNMP_PERSISTENT_DIR=/var/lib/arasd/snmp' "$UNIT"
is "arasd logged no error or warning, start to stop" \
	"$(grep -i 'error\|warn\|cannot\|fail' "$T/arasd.log" | head -3)" ""

# --- the trace against the unit
# setpriv's own calls come before arasd's execve: skip them
awk 'f || /execve\("[^"]*\/arasd"/ { f = 1; print }' "$T/trace" >"$T/trace.arasd"
sed -n 's/^[0-9]* *\([a-z_0-9]*\)(.*/\1/p; s/^[0-9]* *<\.\.\. \([a-z_0-9]*\) resumed>.*/\1/p' "$T/trace.arasd" |
	sort -u >"$T/used"
echo "# arasd, its mail worker, libvirt threads and the script made $(wc -l <"$T/used") distinct system calls"
outside=$(comm -23 "$T/used" "$T/permitted" | tr '\n' ' ')
is "every system call is permitted by the unit's SystemCallFilter" "$outside" ""
check "the trace holds the script's execve of /bin/sh" grep -q 'execve("/bin/sh"\|execve(".*alert.sh"' "$T/trace.arasd"
check "and the SMTP connection" grep -q "connect(.*sin_port=htons($SMTP_PORT)" "$T/trace.arasd"
used_fam=$(grep -o 'socket(AF_[A-Z0-9]*' "$T/trace.arasd" | sed 's/socket(//' | sort -u | tr '\n' ' ')
echo "# socket families used: $used_fam(unit: $families)"
bad=
for f in $used_fam; do
	grep -qw "$f" <<<"$families" || bad="$bad $f"
done
is "every socket family is in RestrictAddressFamilies" "${bad# }" ""
# libvirt's log filter regex asks PCRE2 for JIT code (an RWX mapping):
# refused here as under MemoryDenyWriteExecute=, GLib then interprets it
rwx=$(grep -E '(mmap|mprotect)\(.*PROT_WRITE\|PROT_EXEC' "$T/trace.arasd")
echo "# writable+executable mappings asked for: $(grep -c . <<<"$rwx"), granted: $(grep -vc ' = -1 ' <<<"$rwx")"
if [ -n "$MDWE" ]; then
	check "no writable and executable mapping granted (MemoryDenyWriteExecute)" \
		sh -c "! grep -v ' = -1 ' <<'EOT' | grep -q .
$rwx
EOT"
else
	echo "ok - no writable and executable mapping granted # SKIP this kernel has no PR_SET_MDWE"
fi
check "no new namespace (RestrictNamespaces)" sh -c "! grep -E 'unshare\(|setns\(|CLONE_NEW' '$T/trace.arasd'"
writes=$(grep -E 'open(at)?\(.*O_(WRONLY|RDWR|CREAT)' "$T/trace.arasd" | grep -v ' = -1 ' |
	grep -o '"[^"]*"' | tr -d '"' | grep -v "^$W/\|^/dev/null$" | sort -u | tr '\n' ' ')
is "no file opened for writing outside its own directories" "$writes" ""
# ProcSubset=pid hides the rest of /proc: only library constructors with a
# fallback look there (libselinux: /proc/filesystems, libcap-ng:
# /proc/sys/kernel/cap_last_cap)
procs=$(grep -oE '"/proc/[^"]*"' "$T/trace.arasd" | tr -d '"' | grep -vE '^/proc/(self|thread-self|[0-9]+)(/|$)' |
	sort -u | tr '\n' ' ')
echo "# /proc outside the process's own: ${procs:-none}"
is "no other /proc path than those two" "$(tr ' ' '\n' <<<"$procs" | grep -vx '/proc/filesystems\|/proc/sys/kernel/cap_last_cap\|' | tr '\n' ' ')" ""
exit 0
