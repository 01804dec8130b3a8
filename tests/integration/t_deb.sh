#!/bin/bash
# The Debian package, for real on this machine: dpkg-buildpackage -us -uc -b
# in a copy of the tree (no build product outside $T), lintian without an
# error, `apt-get install ./arasd_*.deb` (no systemd here: the maintainer
# scripts must cope), files/owners/modes/user/conffiles, `arasd -n` and
# `arasd -t` on the shipped example, `arasd -f` as the user arasd (no new
# privileges, no capabilities) against libvirt's test driver and a real
# snmpd master for a few polls (a VM row over SNMP, a SET persisted in
# /var/lib/arasd, history in /var/log/arasd), then `apt-get purge` and
# nothing named arasd left anywhere (files, user, group, overrides).  An
# arasd package installed before the test is purged first.  Also: the
# /usr/share/snmp/mibs/ietf link postinst makes to erlang-snmp's versioned
# MIB directory, followed through a stand-in erlang-snmp "upgrade" (the
# file trigger), arasd(8)'s snmpwalk example run as printed (localhost:161,
# inside a network namespace of its own), what the README tells the owner
# to copy present under /usr/share/arasd, the history file rotated by
# `logrotate -f` with no signal (arasd is not under systemd here), and
# purge's note on removing the SNMPv3 user arasadmin.
T_NAME=deb
. "$(dirname "$0")/../lib.sh"

APT="apt-get -o DPkg::Lock::Timeout=600 -y -q"
export DEBIAN_FRONTEND=noninteractive
[ "$(id -u)" = 0 ] || { not_ok "this test needs root (it installs the package)"; exit 1; }
# one package test at a time on this machine (two trees' make check)
exec 9>/var/lock/aras-t_deb.lock
flock -w 900 9 || { not_ok "another t_deb.sh held the lock for 15 minutes"; exit 1; }
installed() { dpkg-query -W -f='${Status}' arasd 2>/dev/null | grep -q "ok installed"; }
FAKE_ERL=aras-test-erlang-snmp-upgrade
# never leave the package behind, whatever happens below
purge_pkg() {
	if dpkg-query -W "$FAKE_ERL" >/dev/null 2>&1; then dpkg --purge "$FAKE_ERL" >>"$T/fake.log" 2>&1; fi
	if dpkg-query -W arasd >/dev/null 2>&1; then $APT purge arasd >"$T/purge.log" 2>&1; fi
}
# a /var/lib/arasd from an arasd run as root (make demo's default stateFile)
# is not the package's: keep it aside and put it back afterwards; the same
# for an ietf link that was there before (`make install` makes one)
IETF_LINK=/usr/share/snmp/mibs/ietf
IETF_BEFORE=$(readlink "$IETF_LINK" 2>/dev/null)
restore() {
	if [ -d "$T/saved-var-lib-arasd" ] && [ ! -e /var/lib/arasd ]; then
		mv "$T/saved-var-lib-arasd" /var/lib/arasd
	fi
	if [ -n "$IETF_BEFORE" ] && [ ! -e "$IETF_LINK" ] && [ ! -L "$IETF_LINK" ]; then
		ln -s "$IETF_BEFORE" "$IETF_LINK"
	fi
}
NS=''
trap 'purge_pkg; restore; cleanup; [ -z "$NS" ] || ip netns del "$NS" 2>/dev/null' EXIT
purge_pkg
[ -d /var/lib/arasd ] && mv /var/lib/arasd "$T/saved-var-lib-arasd"
# the package makes this link itself: start without one
[ -L "$IETF_LINK" ] && rm -f "$IETF_LINK"
# only arasd's own names: paths containing "arasd" outside temp and work trees
arasd_paths() {
	find / -xdev \( -path /proc -o -path /sys -o -path /tmp -o -path /work -o -path /var/tmp \
		-o -path /root -o -path /home \) -prune -o -iname '*arasd*' -print 2>/dev/null | sort
}
arasd_paths >"$T/before"

# --- build in a copy
mkdir -p "$T/src/arasd"
(cd "$TOP" && git ls-files -co --exclude-standard | grep -v '^tests/lab/\|^bench/' |
	tar -cf - -T -) | tar -xf - -C "$T/src/arasd"
make -s -C "$T/src/arasd" clean
t0=$(date +%s%N)
(cd "$T/src/arasd" && DEB_BUILD_OPTIONS="parallel=$(nproc)" dpkg-buildpackage -us -uc -b) >"$T/build.log" 2>&1
is "dpkg-buildpackage -us -uc -b succeeds" "$?" 0
echo "# build took $((($(date +%s%N) - t0) / 1000000)) ms"
deb=$(ls "$T"/src/arasd_*_amd64.deb 2>/dev/null | head -1)
check "it made arasd_VERSION_amd64.deb" test -f "$deb"
[ -f "$deb" ] || { tail -30 "$T/build.log"; exit 1; }
lintian --allow-root -I --pedantic "$T"/src/arasd_*.changes >"$T/lintian.log" 2>&1
is "lintian: no error" "$(grep -c '^E:' "$T/lintian.log")" 0
is "lintian: no warning" "$(grep -c '^W:' "$T/lintian.log")" 0
sed 's/^/# lintian: /' "$T/lintian.log"
check "Depends from shlibs (libsnmp, libvirt, libcurl)" sh -c "dpkg-deb -f '$deb' Depends | grep -q 'libsnmp.*libvirt0\|libvirt0.*libsnmp' && dpkg-deb -f '$deb' Depends | grep -q libcurl"
check "Depends from shlibs: libmicrohttpd (the /metrics endpoint) and libcrypt" sh -c "dpkg-deb -f '$deb' Depends | grep -q libmicrohttpd12 && dpkg-deb -f '$deb' Depends | grep -q libcrypt1"

# --- install on this machine (no systemd as PID 1, policy-rc.d may deny)
snmpd_ran=0
[ -f /run/snmpd.pid ] && snmpd_ran=1
(cd "$T/src" && $APT install "./${deb##*/}") >"$T/install.log" 2>&1
is "apt-get install ./${deb##*/} succeeds" "$?" 0
installed || { not_ok "arasd is installed"; tail -20 "$T/install.log"; exit 1; }
[ "$snmpd_ran" = 1 ] || check "the install started no snmpd (it was not running)" test ! -f /run/snmpd.pid

mode() { stat -c '%a %U:%G' "$1" 2>&1; }
is "/usr/sbin/arasd 755 root:root" "$(mode /usr/sbin/arasd)" "755 root:root"
is "/usr/bin/arasd-replay 755 root:root" "$(mode /usr/bin/arasd-replay)" "755 root:root"
check "arasd is stripped (no .symtab)" sh -c "! readelf -S /usr/sbin/arasd | grep -q symtab"
is "/etc/arasd/arasd.conf 640 root:arasd" "$(mode /etc/arasd/arasd.conf)" "640 root:arasd"
is "snmpd drop-in 640 root:Debian-snmp" "$(mode /etc/snmp/snmpd.conf.d/arasd.conf)" "640 root:Debian-snmp"
check "snmpd's user can read the drop-in" setpriv --reuid=Debian-snmp --regid=Debian-snmp --init-groups cat /etc/snmp/snmpd.conf.d/arasd.conf
is "the unit 644" "$(mode /lib/systemd/system/arasd.service)" "644 root:root"
is "the logrotate snippet 644" "$(mode /etc/logrotate.d/arasd)" "644 root:root"
is "/var/lib/arasd 750 arasd:arasd" "$(mode /var/lib/arasd)" "750 arasd:arasd"
is "/var/log/arasd 750 arasd:arasd" "$(mode /var/log/arasd)" "750 arasd:arasd"
for m in man8/arasd.8 man5/arasd.conf.5 man1/arasd-replay.1; do
	check "man page $m installed" test -f "/usr/share/man/$m.gz"
done
# the README and every docs/ file it links to (dh_compress may gzip them)
for f in README.md $(cd "$TOP" && ls docs/*.md); do
	check "/usr/share/doc/arasd/$f installed" sh -c "test -f /usr/share/doc/arasd/$f || test -f /usr/share/doc/arasd/$f.gz"
done
check "the MIB installed" test -f /usr/share/snmp/mibs/ARAS-MIB.txt
check "the package ships no link into erlang-snmp's directory" sh -c "! dpkg -L arasd | grep -q '/mibs/ietf'"
check "Recommends erlang-snmp (the IETF base MIBs ARAS-MIB imports)" sh -c "dpkg-deb -f '$deb' Recommends | grep -qw erlang-snmp"
ERL_MIBS=$(ls -d /usr/lib/erlang/lib/snmp-*/mibs 2>/dev/null | sort -V | tail -1)
if [ -n "$ERL_MIBS" ]; then
	is "postinst links $IETF_LINK to erlang-snmp's MIBs" "$(readlink "$IETF_LINK")" "$ERL_MIBS"
else
	not_ok "erlang-snmp is installed (tests/deps.sh; the package recommends it)"
fi
# what the README and docs/ tell the owner to copy, installed under /usr/share/arasd
for f in prometheus/snmp.yml prometheus/arasd-rules.yml prometheus/arasd-rules.test.yml prometheus/prometheus.yml \
	prometheus/generator.yml snmptrapd/snmptrapd.conf zabbix/snmptrapd-zabbix.conf zabbix/arasd_template.yaml \
	icinga/arasd.conf nagios/arasd.cfg demo.conf agent.conf fixture/hostA.xml fixture/hostB.xml; do
	is "/usr/share/arasd/$f 644" "$(stat -c %a "/usr/share/arasd/$f" 2>&1)" 644
done
for f in snmptrapd/aras-trap-log zabbix/aras-zabbix-trap; do
	is "/usr/share/arasd/$f 755" "$(stat -c %a "/usr/share/arasd/$f" 2>&1)" 755
done
is "the OCF resource agent /usr/lib/ocf/resource.d/arasd/arasd 755" \
	"$(stat -c %a /usr/lib/ocf/resource.d/arasd/arasd 2>&1)" 755
check "  its meta-data (ocf:arasd:arasd) lists the monitor action" \
	sh -c "/usr/lib/ocf/resource.d/arasd/arasd meta-data | grep -q '<action name=\"monitor\"'"
for c in /usr/share/arasd/snmptrapd/snmptrapd.conf /usr/share/arasd/zabbix/snmptrapd-zabbix.conf; do
	for h in $(awk '$1 == "traphandle" { print $3 }' "$c" | sort -u); do
		check "${c##*/}: its traphandle $h is installed" test -x "$h"
	done
done
readme_paths=$(cat "$TOP/README.md" "$TOP"/docs/*.md | grep -o '/usr/share/arasd/[A-Za-z0-9_./-]*' | sed 's/[.]$//' | sort -u)
missing=$(for p in $readme_paths; do [ -e "$p" ] || printf '%s ' "$p"; done)
is "every /usr/share/arasd path the README and docs/ name is installed ($(wc -w <<<"$readme_paths"))" "$missing" ""
conff=$(dpkg-query -W -f='${Conffiles}\n' arasd | awk 'NF {print $1}' | sort | tr '\n' ' ')
is "conffiles" "$conff" "/etc/arasd/arasd.conf /etc/logrotate.d/arasd /etc/snmp/snmpd.conf.d/arasd.conf "
pw=$(getent passwd arasd)
check "a system user arasd (uid < 1000)" test "$(cut -d: -f3 <<<"$pw")" -lt 1000
is "its home is /var/lib/arasd, no login shell" "$(cut -d: -f6,7 <<<"$pw")" "/var/lib/arasd:/usr/sbin/nologin"
check "arasd is in group Debian-snmp (the AgentX socket)" sh -c "id -nG arasd | grep -qw Debian-snmp"
if getent group libvirt >/dev/null; then
	check "arasd is in group libvirt" sh -c "id -nG arasd | grep -qw libvirt"
fi
out=$(systemd-analyze verify /lib/systemd/system/arasd.service 2>&1)
is "systemd-analyze verify arasd.service has nothing to say" "$out" ""
# verify ran man(1) for Documentation=, which caches formatted pages: ours to remove
for c in /var/cache/man/cat5/arasd.conf.5.gz /var/cache/man/cat8/arasd.8.gz; do
	grep -qx "$c" "$T/before" || rm -f "$c"
done
if command -v logrotate >/dev/null; then
	check "logrotate accepts the snippet" logrotate -d -s "$T/logrotate.state" /etc/logrotate.d/arasd
fi

# --- the shipped configuration: valid syntax, hosts reported unreachable
as_arasd() { setpriv --reuid=arasd --regid=arasd --init-groups --no-new-privs --bounding-set=-all --inh-caps=-all "$@"; }
out=$(as_arasd /usr/sbin/arasd -n -c /etc/arasd/arasd.conf 2>&1)
is "arasd -n on the shipped arasd.conf (as arasd) exits 0" "$?" 0
out=$(as_arasd /usr/sbin/arasd -t -c /etc/arasd/arasd.conf 2>&1)
is "arasd -t on the shipped arasd.conf exits 1" "$?" 1
check "-t reports the example hosts unreachable" sh -c "[ \$(grep -c '^host kvm[12] .*UNREACHABLE: ' <<'EOT'
$out
EOT
) = 2 ]"
printf '%s\n' "$out" | sed 's/^/# -t: /'
out=$(as_arasd /usr/sbin/arasd -t -c /usr/share/arasd/demo.conf 2>&1)
check "the installed demo.conf: both fixture hosts reachable (arasd -t)" sh -c "[ \$(grep -c '^host \(alpha\|beta\) .*/usr/share/arasd/fixture/host[AB].xml.*: [^U]' <<'EOT'
$out
EOT
) = 2 ]"

# --- names as arasd(8) prints them: its snmpwalk example, verbatim, against
# localhost:161 in a network namespace with only a loopback (a real master
# there with the installed arasd), the stock /etc/snmp/snmp.conf
chmod 711 "$T"
mkdir -m 755 "$T/ns"
cp "$TOP/conf/fixture/hostA.xml" "$T/ns/" && chmod 644 "$T/ns/hostA.xml"
NS=aras-deb-$$
ip netns add "$NS" && ip -n "$NS" link set lo up
check "a network namespace of its own ($NS)" ip netns exec "$NS" true
cat >"$T/ns/snmpd.conf" <<CONF
agentaddress udp:127.0.0.1:161
master agentx
agentXSocket $T/ns/agentx
rocommunity public 127.0.0.1
CONF
mkdir -p "$T/ns/snmp-state"
ip netns exec "$NS" env SNMP_PERSISTENT_DIR="$T/ns/snmp-state" snmpd -f -Lf "$T/ns/snmpd.log" -C -c "$T/ns/snmpd.conf" \
	-p "$T/ns/snmpd.pid" &
NS_SNMPD=$!
record_pid $NS_SNMPD
printf 'host alpha test://%s 1\nagentxSocket %s\nstateFile %s\npollInterval 1\n' \
	"$T/ns/hostA.xml" "$T/ns/agentx" "$T/ns/state" >"$T/ns/arasd.conf"
wait_for 10 test -S "$T/ns/agentx"
ip netns exec "$NS" /usr/sbin/arasd -f -c "$T/ns/arasd.conf" >>"$T/ns/arasd.log" 2>&1 &
NS_ARASD=$!
record_pid $NS_ARASD
ns_attached() { ip netns exec "$NS" snmpget -v2c -c public -t 0.5 -r 0 -Oqv 127.0.0.1:161 "$STATUS_OID.12.0" | grep -q '"'; }
check "snmpd on localhost:161 in $NS with the installed arasd attached" wait_for 20 ns_attached
example=$(zcat /usr/share/man/man8/arasd.8.gz | sed -n 's/^\$ \(snmpwalk .*ARAS-MIB::arasVmTable\)$/\1/p')
check "arasd(8) has a snmpwalk example ($example)" test -n "$example"
mkdir -p "$T/ns/home"
# as printed: the stock client configuration, no MIB variables, no ~/.snmp
man_example() { ip netns exec "$NS" env -u MIBS -u MIBDIRS -u SNMPCONFPATH HOME="$T/ns/home" sh -c "$example" 2>&1; }
out=$(man_example)
check "arasd(8)'s example shows web1 by name" grep -q '^ARAS-MIB::arasVmName\..* = STRING: web1$' <<<"$out"
is "  and nothing else: no module missing, no warning" "$(grep -v '^ARAS-MIB::' <<<"$out" | head -3)" ""
grep -m1 arasVmName <<<"$out" | sed 's/^/# /'
# an erlang-snmp upgrade moves its MIBs to a new versioned directory: a
# stand-in package with snmp-999.0/mibs fires the same file trigger
mkdir -p "$T/fake/DEBIAN" "$T/fake/usr/lib/erlang/lib/snmp-999.0"
cp -r "$ERL_MIBS" "$T/fake/usr/lib/erlang/lib/snmp-999.0/mibs"
cat >"$T/fake/DEBIAN/control" <<CTRL
Package: $FAKE_ERL
Version: 1.0
Architecture: all
Maintainer: arasd developers <arasd@lists.arasd.org>
Description: stand-in for an erlang-snmp upgrade (tests/integration/t_deb.sh)
CTRL
dpkg-deb -b "$T/fake" "$T/fake.deb" >"$T/fake.log" 2>&1
dpkg -i "$T/fake.deb" >>"$T/fake.log" 2>&1
is "a new erlang-snmp MIB directory: the trigger re-points the link" "$(readlink "$IETF_LINK")" /usr/lib/erlang/lib/snmp-999.0/mibs
check "  the example still shows names" grep -q '^ARAS-MIB::arasVmName\..* = STRING: web1$' <<<"$(man_example)"
dpkg --purge "$FAKE_ERL" >>"$T/fake.log" 2>&1
is "  and when that directory goes, back to the remaining one" "$(readlink "$IETF_LINK")" "$ERL_MIBS"
check "  the example still shows names" grep -q '^ARAS-MIB::arasVmName\..* = STRING: web1$' <<<"$(man_example)"
kill "$NS_ARASD" "$NS_SNMPD"
wait_for 10 sh -c "! kill -0 $NS_ARASD 2>/dev/null && ! kill -0 $NS_SNMPD 2>/dev/null"
ip netns del "$NS" && NS=''

# --- the installed daemon as its user, against a real master
mkdir -m 755 "$T/run"
cp "$TOP/conf/fixture/hostA.xml" "$T/run/" && chmod 644 "$T/run/hostA.xml"
AGENTX=$T/run/agentx.sock
# the socket's permissions as the installed drop-in sets them
perms=$(grep '^agentXPerms ' /etc/snmp/snmpd.conf.d/arasd.conf)
check "the installed drop-in sets agentXPerms ($perms)" test -n "$perms"
cat >"$T/snmpd.conf" <<CONF
agentaddress udp:127.0.0.1:$SNMP_PORT
master agentx
agentXSocket $AGENTX
$perms
rocommunity public 127.0.0.1
rwcommunity private 127.0.0.1
CONF
start_snmpd || { not_ok "snmpd starts"; exit 1; }
cat >"$T/run/arasd.conf" <<CONF
host alpha test://$T/run/hostA.xml 1
agentxSocket $AGENTX
pollInterval 1
historyFile /var/log/arasd/history
CONF
chmod 644 "$T/run/arasd.conf"
# setpriv execs arasd: $! is arasd itself; the environment is the unit's
env $(sed -n 's/^Environment=//p' /lib/systemd/system/arasd.service) HOME=/var/lib/arasd \
	setpriv --reuid=arasd --regid=arasd --init-groups --no-new-privs --bounding-set=-all --inh-caps=-all \
	/usr/sbin/arasd -f -c "$T/run/arasd.conf" >>"$T/arasd.log" 2>&1 &
ARASD_PID=$!
record_pid $ARASD_PID
check "arasd -f as user arasd attaches to the master (socket as the drop-in makes it)" wait_for 15 arasd_attached
is "arasd runs as arasd" "$(ps -o user= -p $ARASD_PID)" "arasd"
web1=$(uuid_oid 6a2e7c0e-1f3b-4b4e-9a51-0000000000a1)
check "a VM row over SNMP after a few polls" wait_for 10 sh -c "snmpget -v2c -c public -Oqv $AGENT $VM_ENTRY.2.$web1 | grep -q web1"
sset "$CONFIG_OID.2.0" u 77 >/dev/null
check "a SET is persisted in /var/lib/arasd/state" wait_for 5 grep -q 77 /var/lib/arasd/state
is "the state file belongs to arasd" "$(stat -c %U /var/lib/arasd/state 2>&1)" arasd
check "history written to /var/log/arasd/history" wait_for 5 sh -c "grep -q '6a2e7c0e-1f3b-4b4e-9a51-0000000000a1' /var/log/arasd/history"
if [ -x /usr/lib/nagios/plugins/check_arasd ]; then
	out=$(/usr/lib/nagios/plugins/check_arasd -H 127.0.0.1 -p "$SNMP_PORT" -C public --vm web1 2>&1)
	rc=$?
	echo "# check_arasd: $out"
	check "the packaged check_arasd reads web1 (exit $rc: OK, WARNING or CRITICAL)" \
		sh -c "[ $rc -le 2 ] && grep -q web1 <<'EOT'
$out
EOT"
fi
# rotation as shipped, and no signal: arasd runs under setpriv here, not
# systemd (nothing could run `systemctl reload`)
if command -v logrotate >/dev/null; then
	logrotate -f -s "$T/logrotate.state" /etc/logrotate.d/arasd >"$T/logrotate.log" 2>&1
	is "logrotate -f rotates the history" "$?" 0
	check "history.1 holds the old lines" grep -q 6a2e7c0e-1f3b-4b4e-9a51-0000000000a1 /var/log/arasd/history.1
	is "the new history file 640 arasd:arasd" "$(mode /var/log/arasd/history)" "640 arasd:arasd"
	check "with no signal, the next poll's lines go to the new file" \
		wait_for 10 grep -q 6a2e7c0e-1f3b-4b4e-9a51-0000000000a1 /var/log/arasd/history
	n1=$(wc -l </var/log/arasd/history.1)
	wait_polls 3
	is "  and history.1 no longer grows ($n1 lines)" "$(wc -l </var/log/arasd/history.1)" "$n1"
	check "  arasd logged the reopen" grep -q 'historyFile /var/log/arasd/history was rotated: reopened by name' "$T/arasd.log"
	kill -HUP "$ARASD_PID"
	n=$(wc -l </var/log/arasd/history)
	more_lines() { [ "$(wc -l </var/log/arasd/history)" -gt "$n" ]; }
	check "SIGHUP (the unit's ExecReload) reopens it too: new lines in the same file" wait_for 10 more_lines
	check "  arasd still runs after SIGHUP" kill -0 "$ARASD_PID"
fi
kill "$ARASD_PID"
check "arasd stops on SIGTERM" wait_for 10 sh -c "! kill -0 $ARASD_PID 2>/dev/null"
is "arasd logged no error or warning, start to stop" \
	"$(grep -i 'error\|warn\|cannot\|fail' "$T/arasd.log" | head -3)" ""

# --- reinstall (postinst again: user, overrides, state kept), then remove
echo "# local edit" >>/etc/arasd/arasd.conf
dpkg -i "$deb" >"$T/reinstall.log" 2>&1
is "reinstalling the same .deb succeeds" "$?" 0
is "the edited arasd.conf is kept, still 640 root:arasd" "$(grep -c 'local edit' /etc/arasd/arasd.conf) $(mode /etc/arasd/arasd.conf)" "1 640 root:arasd"
check "the state file survives a reinstall" grep -q 77 /var/lib/arasd/state
$APT remove arasd >"$T/remove.log" 2>&1
is "apt-get remove arasd succeeds" "$?" 0
check "remove (not purge) keeps the configuration, the state and the user" \
	sh -c "test -f /etc/arasd/arasd.conf && test -f /var/lib/arasd/state && getent passwd arasd >/dev/null"
check "but not the program" test ! -e /usr/sbin/arasd
check "remove takes the ietf link away" sh -c "test ! -L '$IETF_LINK'"

# --- purge: nothing left
$APT purge arasd >"$T/purge.log" 2>&1
is "apt-get purge arasd succeeds" "$?" 0
check "purge says how to remove the SNMPv3 user arasadmin" grep -q "^  sed -i -e '/^createUser arasadmin /d'" "$T/purge.log"
grep -A6 '^arasd: the SNMPv3 user' "$T/purge.log" | sed 's/^/# purge: /'
check "the package is gone" sh -c "! dpkg-query -W -f='\${Status}' arasd 2>/dev/null | grep -q installed"
check "no user arasd" sh -c "! getent passwd arasd"
check "no group arasd" sh -c "! getent group arasd"
check "Debian-snmp does not list arasd" sh -c "! getent group Debian-snmp | grep -qw arasd"
check "no stat override left" sh -c "! dpkg-statoverride --list | grep -q arasd"
arasd_paths >"$T/after"
left=$(comm -13 "$T/before" "$T/after" | tr '\n' ' ')
is "no path named arasd left on the system" "$left" ""
for p in /etc/arasd /var/lib/arasd /var/log/arasd /etc/snmp/snmpd.conf.d/arasd.conf /etc/logrotate.d/arasd; do
	check "$p is gone" test ! -e "$p"
done
exit 0
