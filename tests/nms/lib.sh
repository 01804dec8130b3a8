# shellcheck shell=bash
# tests/nms/lib.sh - helpers of the NMS tests (tests/nms/t_*.sh), on top of
# tests/lib.sh (source that first).  Owns: pristine copies of Debian's
# conffiles, the "installed" layout (make install DESTDIR=...) and running
# a command in a private mount namespace where /etc/snmp, /usr/share/snmp
# and /var/lib/snmp are that layout, so snmpd and the clients see exactly
# what an installed stock Debian machine has, without touching the real
# system directories.

NMS_DEST=$T/root

# stock_conffile PKG PATH OUT: copy PATH as package PKG ships it to OUT
# (mode and owner of the installed file).  The installed file is used when
# its md5 equals the package's conffile md5 (dpkg-query), else the file is
# taken from the package's .deb (apt's cache, else `apt-get download`).
# Prints the md5 that was verified; returns 1 when none matches.
stock_conffile() {
	local pkg=$1 path=$2 out=$3 want got deb ver
	want=$(dpkg-query -W -f='${Conffiles}\n' "$pkg" | awk -v p="$path" '$1 == p { print $2 }')
	[ -n "$want" ] || return 1
	got=$(md5sum <"$path" 2>/dev/null | cut -d' ' -f1)
	if [ "$got" = "$want" ]; then
		cp -p "$path" "$out"
	else
		ver=$(dpkg-query -W -f='${Version}' "$pkg" | sed 's/:/%3a/')
		deb=$(ls /var/cache/apt/archives/"${pkg}_${ver}"_*.deb 2>/dev/null | head -1)
		if [ -z "$deb" ]; then
			(cd "$T" && apt-get download -q "$pkg" >/dev/null 2>&1)
			deb=$(ls "$T/${pkg}"_*.deb 2>/dev/null | head -1)
		fi
		[ -n "$deb" ] || return 1
		mkdir -p "$T/deb-$pkg"
		dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$T/deb-$pkg" ".$path" || return 1
		cp "$T/deb-$pkg$path" "$out"
		chown --reference="$path" "$out" 2>/dev/null
		chmod --reference="$path" "$out" 2>/dev/null
	fi
	got=$(md5sum <"$out" | cut -d' ' -f1)
	echo "$got"
	[ "$got" = "$want" ]
}

# nms_install: `make install DESTDIR=$NMS_DEST`, then the stock snmpd.conf
# and snmp.conf next to what it installed, and a /usr/share/snmp that is
# the system's plus the installed files (ARAS-MIB, the ietf link).
nms_install() {
	chmod 755 "$T" # Debian-snmp reads its config under $T on SIGHUP
	make -s -C "$TOP" install DESTDIR="$NMS_DEST" >"$T/install.log" 2>&1 || return 1
	stock_conffile snmpd /etc/snmp/snmpd.conf "$NMS_DEST/etc/snmp/snmpd.conf" >/dev/null || return 2
	stock_conffile libsnmp-base /etc/snmp/snmp.conf "$NMS_DEST/etc/snmp/snmp.conf" >/dev/null || return 3
	mkdir -p "$T/share-snmp" "$T/var-lib-snmp"
	cp -a /usr/share/snmp/. "$T/share-snmp/"
	cp -a "$NMS_DEST/usr/share/snmp/." "$T/share-snmp/"
	chown Debian-snmp:Debian-snmp "$T/var-lib-snmp"
	chmod 700 "$T/var-lib-snmp"
}

# in_installed CMD...: run CMD in a private mount namespace with the
# installed /etc/snmp, /usr/share/snmp, /var/lib/snmp.  exec_installed
# CMD... & runs a daemon that way with $! its own PID (for record_pid).
exec_installed() { exec unshare -m sh -c 'mount --bind "$1" /etc/snmp && mount --bind "$2" /usr/share/snmp &&
		mount --bind "$3" /var/lib/snmp && shift 3 && exec "$@"' sh \
		"$NMS_DEST/etc/snmp" "$T/share-snmp" "$T/var-lib-snmp" "$@"; }
in_installed() {
	unshare -m sh -c 'mount --bind "$1" /etc/snmp && mount --bind "$2" /usr/share/snmp &&
		mount --bind "$3" /var/lib/snmp && shift 3 && exec "$@"' sh \
		"$NMS_DEST/etc/snmp" "$T/share-snmp" "$T/var-lib-snmp" "$@"
}

# start_plugin_agent: the snmpd master (lib.sh's config plus the SNMPv3
# authPriv read-only user nagios / nagiosauth1 / nagiospriv1 the plugin
# tests use) and arasd on the two fixture hosts alpha and beta (holdTime 6,
# clearMargin 5).  Exits the test when either does not start.
start_plugin_agent() {
	write_snmpd_conf
	cat >>"$T/snmpd.conf" <<CONF
createUser nagios SHA nagiosauth1 AES nagiospriv1
rouser nagios authpriv
CONF
	HOSTS_CONF=("host alpha $(fixture hostA.xml) 1" "host beta $(fixture hostB.xml) 2")
	write_arasd_conf "stateFile $T/state" "holdTime 6" "clearMargin 5"
	start_snmpd || { not_ok "snmpd starts"; exit 1; }
	start_arasd || { not_ok "arasd attaches to the master"; exit 1; }
}

# start_standalone_arasd [arasd.conf lines...]: a second arasd on the same
# hosts (HOSTS_CONF) as its own SNMP agent, the large-cluster path
# (docs/nms.md): agentAddress udp:$SA_AGENT, agentConfig $T/sa-agent.conf
# (the test snmpd.conf's access lines and trap sinks, as tests/lib.sh's
# ARAS_AGENT=standalone writes them; SA_NO_TRAPS=1 leaves the trap sinks
# out), stateFile $T/sa-state, log $T/sa.log.  Sets SA_PORT, SA_AGENT and
# SA_PID (recorded); returns 1 when arasVersion does not answer there.
start_standalone_arasd() {
	SA_PORT=$(pick_port)
	while [ "$SA_PORT" = "$SNMP_PORT" ] || [ "$SA_PORT" = "$TRAP_PORT" ]; do SA_PORT=$(pick_port); done
	SA_AGENT=127.0.0.1:$SA_PORT
	[ -f "$T/snmpd.conf" ] || write_snmpd_conf
	grep -viE '^[[:space:]]*(master|agentxsocket|agentxperms|agentaddress)([[:space:]]|$)' "$T/snmpd.conf" |
		if [ "${SA_NO_TRAPS:-0}" = 1 ]; then
			grep -viE '^[[:space:]]*(trap2sink|informsink|trapsink|trapsess)([[:space:]]|$)'
		else
			cat
		fi >"$T/sa-agent.conf"
	{
		echo "agentAddress udp:$SA_AGENT"
		echo "agentConfig $T/sa-agent.conf"
		echo "pollInterval ${POLL:-1}"
		echo "stateFile $T/sa-state"
		printf '%s\n' "${HOSTS_CONF[@]}"
		printf '%s\n' "$@"
	} >"$T/sa.conf"
	"$ARASD" -f -c "$T/sa.conf" >>"$T/sa.log" 2>&1 &
	SA_PID=$!
	record_pid $SA_PID
	wait_for 15 sh -c "snmpget -v2c -c public -t 0.5 -r 0 -Oqv '$SA_AGENT' '$STATUS_OID.12.0' 2>/dev/null | grep -q '\"'"
}
# saget OID...: snmpget from the standalone arasd
saget() { snmpget -v2c -c public -t 2 -r 1 -Oqv "$SA_AGENT" "$@"; }
