#!/bin/bash
# make install / make uninstall into a DESTDIR: the expected files with
# their modes (binaries stripped, arasd-replay and the man pages included,
# the snmpd drop-in 640 and group Debian-snmp when that group exists), an
# existing configuration never overwritten, PREFIX and sysconfdir honoured,
# and uninstall removes exactly what install put.
T_NAME=install
. "$(dirname "$0")/../lib.sh"

files() { (cd "$1" && find . \( -type f -o -type l \) | sort); }
D=$T/root
make -s -C "$TOP" install DESTDIR="$D" >"$T/install.log" 2>&1
is "make install DESTDIR=... succeeds" "$?" 0
files "$D" >"$T/installed"
cat >"$T/want" <<'LIST'
./etc/arasd/arasd.conf
./etc/logrotate.d/arasd
./etc/snmp/snmpd.conf.d/arasd.conf
./lib/systemd/system/arasd.service
./usr/bin/arasd-replay
./usr/sbin/arasd
./usr/share/doc/arasd/README.md
./usr/share/man/man1/arasd-replay.1
./usr/share/man/man5/arasd.conf.5
./usr/share/man/man8/arasd.8
./usr/share/snmp/mibs/ARAS-MIB.txt
./usr/lib/ocf/resource.d/arasd/arasd
LIST
# the link to erlang-snmp's IETF base MIBs, when it is installed
ls -d /usr/lib/erlang/lib/snmp-*/mibs >/dev/null 2>&1 && echo ./usr/share/snmp/mibs/ietf >>"$T/want"
# what ships for an NMS, when the tree has it
[ -e "$TOP/plugins/check_arasd" ] &&
	printf '%s\n' ./usr/lib/nagios/plugins/check_arasd ./usr/share/man/man1/check_arasd.1 >>"$T/want"
for d in zabbix icinga nagios prometheus snmptrapd fixture; do
	[ -d "$TOP/conf/$d" ] && (cd "$TOP/conf" && find "$d" -type f | sed 's|^|./usr/share/arasd/|') >>"$T/want"
done
printf '%s\n' ./usr/share/arasd/demo.conf ./usr/share/arasd/agent.conf >>"$T/want"
# docs/ next to the README
(cd "$TOP" && ls docs/*.md | sed 's|^|./usr/share/doc/arasd/|') >>"$T/want"
sort -o "$T/want" "$T/want"
check "install puts the $(wc -l <"$T/want") expected files" diff -u "$T/want" "$T/installed"
mode() { stat -c '%a' "$D/$1" 2>&1; }
is "arasd 755" "$(mode usr/sbin/arasd)" 755
is "arasd-replay 755" "$(mode usr/bin/arasd-replay)" 755
check "arasd is stripped" sh -c "! readelf -S '$D/usr/sbin/arasd' | grep -q symtab"
check "arasd-replay is stripped" sh -c "! readelf -S '$D/usr/bin/arasd-replay' | grep -q symtab"
check "the source tree's arasd is not (install -s strips the copy)" sh -c "readelf -S '$TOP/arasd' | grep -q symtab"
is "arasd.conf 640 (it may hold mailPassword)" "$(mode etc/arasd/arasd.conf)" 640
is "snmpd drop-in 640" "$(mode etc/snmp/snmpd.conf.d/arasd.conf)" 640
if getent group Debian-snmp >/dev/null && [ "$(id -u)" = 0 ]; then
	is "snmpd drop-in group Debian-snmp" "$(stat -c %G "$D/etc/snmp/snmpd.conf.d/arasd.conf")" Debian-snmp
fi
is "man page 644" "$(mode usr/share/man/man5/arasd.conf.5)" 644
is "unit 644" "$(mode lib/systemd/system/arasd.service)" 644

# an edited configuration survives a second install, and uninstall keeps it
echo "# local edit" >>"$D/etc/arasd/arasd.conf"
make -s -C "$TOP" install DESTDIR="$D" >>"$T/install.log" 2>&1
check "a second install keeps the edited arasd.conf" grep -q "local edit" "$D/etc/arasd/arasd.conf"
out=$(make -s -C "$TOP" uninstall DESTDIR="$D" 2>&1)
is "make uninstall succeeds" "$?" 0
check "uninstall keeps the edited arasd.conf and says so" sh -c "test -f '$D/etc/arasd/arasd.conf' && grep -q 'kept .*arasd.conf' <<'EOT'
$out
EOT"
is "only the edited file is left" "$(files "$D" | tr '\n' ' ')" "./etc/arasd/arasd.conf "

# a fresh install, then uninstall: nothing left, no directory of ours either
rm -rf "$D"
make -s -C "$TOP" install DESTDIR="$D" >/dev/null 2>&1
make -s -C "$TOP" uninstall DESTDIR="$D" >/dev/null 2>&1
is "install then uninstall leaves no file" "$(files "$D" | tr '\n' ' ')" ""
check "nor /etc/arasd or /usr/share/doc/arasd" sh -c "test ! -e '$D/etc/arasd' && test ! -e '$D/usr/share/doc/arasd'"

# PREFIX and sysconfdir
D2=$T/root2
make -s -C "$TOP" install DESTDIR="$D2" PREFIX=/usr/local sysconfdir=/usr/local/etc >/dev/null 2>&1
check "PREFIX=/usr/local puts arasd in /usr/local/sbin" test -x "$D2/usr/local/sbin/arasd"
check "sysconfdir=/usr/local/etc puts arasd.conf there" test -f "$D2/usr/local/etc/arasd/arasd.conf"
check "and nothing under /usr/sbin or /etc" sh -c "test ! -e '$D2/usr/sbin' && test ! -e '$D2/etc'"
make -s -C "$TOP" uninstall DESTDIR="$D2" PREFIX=/usr/local sysconfdir=/usr/local/etc >/dev/null 2>&1
is "uninstall with the same PREFIX/sysconfdir leaves no file" "$(files "$D2" | tr '\n' ' ')" ""
exit 0
