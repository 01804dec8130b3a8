#!/bin/bash
# The install path on stock Debian, as README "Running it against real
# hosts" describes it: snmpd runs on Debian's own snmpd.conf (verified
# against the package's conffile md5) plus what `make install` installs,
# as Debian-snmp like Debian's unit, in a private mount namespace (own
# /etc/snmp, /var/lib/snmp; own port and AgentX socket).  The v3 user is
# created with a createUser line in the persistent file while snmpd is
# stopped.  Asserts: v2c public reads every ARAS group from 127.0.0.2 (not
# localhost); writes only for the authPriv user and only to ARAS's
# writables (arasVmCommand's column reaches arasd); the same after SIGHUP; nothing logged as a warning; with the
# stock snmp.conf plus `mibs +ARAS-MIB` names resolve (not without it).
# Reached by an NMS elsewhere as the README says: the drop-in adds one
# address of this machine (127.0.0.3 here) to the stock agentaddress
# 127.0.0.1,[::1], and every client (from 127.0.0.2) talks to 127.0.0.3:161;
# the README's former advice, `agentaddress udp:0.0.0.0:161` in the
# drop-in, must stop snmpd ("Error opening specified endpoint").
# The whole test runs in a network namespace of its own with only a
# loopback: the stock addresses are port 161, whatever else on the machine
# listens there.  Last, purge's note on removing the SNMPv3 user, applied to
# snmpd's persistent file, leaves no such user.
if [ -z "${ARAS_STOCK_NETNS:-}" ]; then
	NS=aras-stock-$$
	ip netns add "$NS" || { echo "not ok - ip netns add $NS"; exit 1; }
	trap 'ip netns del "$NS" 2>/dev/null' EXIT
	ip -n "$NS" link set lo up
	ARAS_STOCK_NETNS=$NS ip netns exec "$NS" bash "$0" "$@"
	exit $?
fi
T_NAME=stock
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"
SNMP_PORT=161
AGENT=127.0.0.3:161

nms_install
is "make install DESTDIR + stock snmpd.conf/snmp.conf (package md5) in place" "$?" 0
is "drop-in installed 640 root:Debian-snmp" \
	"$(stat -c '%a %U:%G' "$NMS_DEST/etc/snmp/snmpd.conf.d/arasd.conf")" "640 root:Debian-snmp"

# the v3 user, created while snmpd is stopped (README step)
V3_USER=arasadmin V3_AUTH=arasAuthPass1 V3_PRIV=arasPrivPass1
echo "createUser $V3_USER SHA \"$V3_AUTH\" AES \"$V3_PRIV\"" >>"$T/var-lib-snmp/snmpd.conf"
chown Debian-snmp:Debian-snmp "$T/var-lib-snmp/snmpd.conf"
chmod 600 "$T/var-lib-snmp/snmpd.conf"

# -LF w: what Debian's unit logs (-LOw: warnings and worse), into a file;
# the addresses are the stock file's and the drop-in's
install -o Debian-snmp -g Debian-snmp -m 644 /dev/null "$T/snmpd.log"
SNMPD_ARGS=(-u Debian-snmp -g Debian-snmp -I -smux,mteTrigger,mteTriggerConf -p "$T/snmpd.pid" -x "$T/agentx/master")
DROPIN=$NMS_DEST/etc/snmp/snmpd.conf.d/arasd.conf
cp -p "$DROPIN" "$T/dropin.orig"
echo 'agentaddress udp:0.0.0.0:161' >>"$DROPIN"
in_installed timeout 10 snmpd -f -Le "${SNMPD_ARGS[@]}" >"$T/snmpd0.out" 2>&1
rc=$?
check "the former advice, agentaddress udp:0.0.0.0:161 in the drop-in: snmpd exits (status $rc), 'Error opening specified endpoint'" \
	sh -c "[ $rc != 124 ] && [ $rc != 0 ] && grep -q 'Error opening specified endpoint' '$T/snmpd0.out'"
cp -p "$T/dropin.orig" "$DROPIN"
echo 'agentaddress udp:127.0.0.3:161' >>"$DROPIN" # README: this machine's address the NMS reaches
start_stock_snmpd() {
	exec_installed snmpd -f -LF w "$T/snmpd.log" "${SNMPD_ARGS[@]}" >"$T/snmpd.out" 2>&1 &
	SNMPD_PID=$!
	record_pid $SNMPD_PID
	wait_for 10 snmpget -v2c -c public -t 0.5 -r 0 "$AGENT" .1.3.6.1.2.1.1.3.0
}
start_stock_snmpd
AGENTX=$T/agentx/master
is "snmpd (stock config + drop-in's agentaddress udp:127.0.0.3:161) answers on 127.0.0.3:161" "$?" 0
check "  and still on the stock 127.0.0.1:161" snmpget -v2c -c public -t 1 -r 0 127.0.0.1:161 .1.3.6.1.2.1.1.3.0
is "snmpd runs as Debian-snmp" "$(ps -o user= -p "$SNMPD_PID")" Debian-snmp

HOSTS_CONF=("host alpha $(fixture hostA.xml) 1" "host beta $(fixture hostB.xml) 2")
write_arasd_conf "stateFile $T/state" "holdTime 2" "policy semiAutomatic" "actions trap,allocate"
start_arasd || { not_ok "arasd attaches to the stock snmpd"; exit 1; }

# clients: v2c from 127.0.0.2 (not localhost) to 127.0.0.3, v3 as the created user
far() { "$1" --clientaddr=127.0.0.2 -t 2 -r 1 "${@:2}"; }
v2() { far "$1" -v2c -c public "${@:2}" "$AGENT" "${ARGS[@]}"; }
v3() { # v3 LEVEL CMD ARGS...
	local lvl=$1 cmd=$2
	shift 2
	far "$cmd" -v3 -u "$V3_USER" -l "$lvl" -a SHA -A "$V3_AUTH" -x AES -X "$V3_PRIV" "$AGENT" "$@"
}
groups_readable() { # every table and scalar group answers public from 127.0.0.2
	local n name sub
	for g in "arasConfig 1" "arasStatus 2" "arasHostTable 3" "arasVmTable 4" "arasEventTable 5" "arasActionTable 6" "arasGroupTable 7"; do
		name=${g% *} sub=$BASE_OID.1.${g#* }
		n=$(far snmpbulkwalk -v2c -c public -On "$AGENT" "$sub" 2>&1 | grep -c "^$sub\.")
		if [ "$n" -gt 0 ]; then ok "$1: public reads $name from 127.0.0.2 ($n values)"; else not_ok "$1: public reads $name from 127.0.0.2"; fi
	done
}
refusals() { # $1 = label
	local cpu before
	cpu=$(sget "$CONFIG_OID.2.0")
	if far snmpset -v2c -c public "$AGENT" "$CONFIG_OID.2.0" u 77 >"$T/out" 2>&1; then not_ok "$1: v2c SET refused"; else ok "$1: v2c SET refused ($(grep -m1 -e Reason -e Timeout "$T/out"))"; fi
	if v3 authNoPriv snmpset "$CONFIG_OID.2.0" u 77 >"$T/out" 2>&1; then not_ok "$1: authNoPriv SET refused"; else ok "$1: authNoPriv SET refused ($(grep -m1 -e Reason -e Timeout "$T/out"))"; fi
	is "$1: arasCpuThreshold unchanged by the refused SETs" "$(sget "$CONFIG_OID.2.0")" "$cpu"
	before=$(sget .1.3.6.1.2.1.1.4.0)
	if v3 authPriv snmpset .1.3.6.1.2.1.1.4.0 s evil >"$T/out" 2>&1; then not_ok "$1: authPriv SET of sysContact refused"; else ok "$1: authPriv SET of sysContact refused ($(grep -m1 -e Reason -e Timeout "$T/out"))"; fi
	is "$1: sysContact unchanged" "$(sget .1.3.6.1.2.1.1.4.0)" "$before"
	if v3 authPriv snmpset "$VM_ENTRY.2.$WEB1" s evil >"$T/out" 2>&1; then not_ok "$1: authPriv SET of arasVmName refused"; else ok "$1: authPriv SET of arasVmName refused ($(grep -m1 -e Reason -e Timeout "$T/out"))"; fi
	if v3 authPriv snmpset "$CONFIG_OID.2.0" u "$2" >"$T/out" 2>&1; then ok "$1: authPriv SET of arasCpuThreshold works"; else not_ok "$1: authPriv SET of arasCpuThreshold works ($(grep -m1 -e Reason -e Timeout "$T/out"))"; fi
	is "$1: arasCpuThreshold reads back $2 (public, 127.0.0.2)" "$(far snmpget -v2c -c public -Oqv "$AGENT" "$CONFIG_OID.2.0")" "$2"
	check "$1: the authPriv user reads arasVmTable" v3 authPriv snmpget "$VM_ENTRY.2.$WEB1"
	# arasVmCommand: the admin's SET reaches arasd (an unknown command is
	# arasd's wrongValue, not snmpd's authorizationError); v2c is refused
	before=$(sget "$VM_ENTRY.39.$WEB1")
	v3 authPriv snmpset "$VM_ENTRY.43.$WEB1" i 99 >"$T/out" 2>&1
	is "$1: authPriv SET of arasVmCommand 99 reaches arasd: wrongValue" "$(grep -m1 -o 'Reason: [A-Za-z]*' "$T/out")" "Reason: wrongValue"
	if far snmpset -v2c -c public "$AGENT" "$VM_ENTRY.43.$WEB1" i 7 >"$T/out" 2>&1; then not_ok "$1: v2c SET of arasVmCommand refused"; else
		is "$1: v2c SET of arasVmCommand suspend refused by snmpd ($(grep -m1 -e Reason -e Timeout "$T/out"))" \
			"$(grep -c -e 'Reason: noAccess' -e 'Reason: authorizationError' -e Timeout "$T/out")" 1
	fi
	is "$1: arasVmOperState of web1 unchanged ($before)" "$(sget "$VM_ENTRY.39.$WEB1")" "$before"
}
WEB1=$(uuid_oid 6a2e7c0e-1f3b-4b4e-9a51-0000000000a1)

refusals "start" 95
# events and proposals so that every table has rows: web1 uses 50 % CPU;
# a CPU threshold of 40 (authPriv SET) with semiAutomatic + allocate makes
# a breach event and an addVcpu proposal
v3 authPriv snmpset "$CONFIG_OID.2.0" u 40 >/dev/null 2>&1
check "a CPU threshold SET (authPriv) makes an event and a proposal" \
	wait_for 15 sh -c "snmpwalk -v2c -c public -On $AGENT $BASE_OID.1.6.1.7 | grep -q '^$BASE_OID.1.6.1.7\.'"
# placement rules: the admin creates a group and names it for web1 (authPriv
# only); then arasGroupTable has a row to read
GRP_DB=$BASE_OID.1.7.1.6.2.100.98
if far snmpset -v2c -c public "$AGENT" "$GRP_DB" i 4 >"$T/out" 2>&1; then not_ok "v2c createAndGo of a group refused"; else
	ok "v2c createAndGo of a group refused ($(grep -m1 -e Reason -e Timeout "$T/out"))"
fi
check "authPriv createAndGo of group db works" v3 authPriv snmpset "$GRP_DB" i 4 "$BASE_OID.1.7.1.3.2.100.98" s ""
check "authPriv SET of arasVmPlacementGroup works" v3 authPriv snmpset "$VM_ENTRY.45.$WEB1" s db
is "web1 reads group db" "$(sget "$VM_ENTRY.45.$WEB1")" '"db"'
groups_readable "start"

kill -HUP "$SNMPD_PID"
sleep 1
check "snmpd answers after SIGHUP" wait_for 10 sget .1.3.6.1.2.1.1.3.0
check "arasd still attached after SIGHUP" wait_for 20 arasd_attached
groups_readable "after SIGHUP"
refusals "after SIGHUP" 85

# Stock snmpd itself logs "duplicate registration: ... ipAddressTable" on
# every SIGHUP (measured without any drop-in): not ours, filtered.
is "snmpd logged no warning or error (start and SIGHUP; e.g. no \"Can't identify user\")" \
	"$(grep -v -e '^$' -e '^duplicate registration: MIB modules ipAddressTable and ipAddressTable' "$T/snmpd.log")" ""

# names: the stock snmp.conf (`mibs :`) plus the one client setting; the
# base MIBs come from the ietf link `make install` made
mkdir -p "$T/client"
cp "$NMS_DEST/etc/snmp/snmp.conf" "$T/client/snmp.conf"
names() { in_installed env -u MIBS -u MIBDIRS SNMPCONFPATH="$T/client" snmpwalk -v2c -c public -t 2 -r 1 "$AGENT" "$@" 2>&1; }
out=$(names $BASE_OID.1.4.1.2)
check "without the setting: a walk shows numeric OIDs (stock snmp.conf has mibs :)" grep -q '^iso\.3\.6\.1\.4\.1\.8072\.9999\.9999\.1\.1\.4\.1\.2\.' <<<"$out"
echo "mibs +ARAS-MIB" >>"$T/client/snmp.conf"
out=$(names ARAS-MIB::arasVmTable)
check "with 'mibs +ARAS-MIB': snmpwalk ARAS-MIB::arasVmTable shows names" grep -q '^ARAS-MIB::arasVmName\..* = STRING: web1$' <<<"$out"
check "  and enums by name" grep -q '^ARAS-MIB::arasVmState\..* = INTEGER: running(1)' <<<"$out"
is "  and no module missing" "$(grep -ci 'cannot find' <<<"$out")" 0
grep -m2 -e 'arasVmName' <<<"$out" | sed 's/^/# /'
out=$(names $BASE_OID.1.4.1.2)
check "  a numeric walk is shown by name too (as snmptrapd and check_snmp will)" grep -q '^ARAS-MIB::arasVmName\.' <<<"$out"
rm "$T/share-snmp/mibs/ietf"
out=$(names ARAS-MIB::arasVmTable)
check "  and without the ietf link: Cannot find module (SNMPv2-SMI)" grep -q 'Cannot find module (SNMPv2-SMI)' <<<"$out"

# purge's note (debian/arasd.postrm): snmpd stopped, its lines for the user
# deleted from the persistent file, snmpd started: the user is gone
check "the v3 user reads before" v3 authPriv snmpget "$VM_ENTRY.2.$WEB1"
kill "$SNMPD_PID"
wait_for 10 sh -c "! kill -0 $SNMPD_PID 2>/dev/null"
check "snmpd saved the user in its persistent file" grep -q '^usmUser .* "arasadmin" ' "$T/var-lib-snmp/snmpd.conf"
note=$(sed -n "s|^  \(sed -i .*\) /var/lib/snmp/snmpd.conf$|\1|p" "$TOP/debian/arasd.postrm")
check "purge's note has a sed command ($note)" test -n "$note"
eval "$note \"\$T/var-lib-snmp/snmpd.conf\""
is "  which keeps the file Debian-snmp's" "$(stat -c '%U %a' "$T/var-lib-snmp/snmpd.conf")" "Debian-snmp 600"
start_stock_snmpd
check "snmpd started again" wait_for 10 sget .1.3.6.1.2.1.1.3.0
v3 authPriv snmpget "$VM_ENTRY.2.$WEB1" >"$T/out" 2>&1
check "the removed user is unknown to snmpd ($(head -1 "$T/out"))" grep -qi 'unknown user' "$T/out"
exit 0
