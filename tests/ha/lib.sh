#!/bin/bash
# tests/ha/lib.sh - the cluster of make ha-check, sourced by tests/ha/check.sh
# (H1, H2, H4 on libvirt's test driver) and tests/ha/lab.sh (H3 on the
# lab's libvirtd + QEMU hosts).  A real three-node corosync + Pacemaker
# cluster on this one machine: each management node a network namespace
# (with a mount and UTS namespace of its own, tests/ha/node.sh) on a bridge
# in a "switch" namespace, addresses of TEST-NET-1 (192.0.2.0/24) that exist
# only inside those namespaces; an NMS in a fifth namespace asks the group's
# address 192.0.2.10.  The group: snmpd (ocf:heartbeat:anything), arasd
# (ocf:arasd:arasd, this tree's agent, the binary $ARASD) and the NMS
# address (ocf:heartbeat:IPaddr2); fencing kills every process of a node's
# namespace (tests/ha/fence_ns).  arasd's stateFile (and its order journal)
# is in $HA/shared, a directory every node sees, as shared storage would be;
# each node's arasd log is $HA/NODE/var/log/pacemaker/arasd.log.
#
# Use:  . tests/ha/lib.sh; trap ha_cleanup EXIT; ha_require;
#       ha_network; ha_config "host ..." [ARASD.CONF LINES...];
#       ha_start_cluster; ha_configure [CRM LINES...]; ha_wait_vip
# then kill_node, start_node, online, active, vget, in_node, nms.
# Sets TOP (the tree, also the working directory), ARASD, HA, P, VIP, A
# (the active node once ha_wait_vip returned), passes, fails.
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 1
TOP=$PWD
ARASD=${ARASD:-$TOP/arasd}
HA=$(mktemp -d /tmp/aras-ha.XXXXXX)
P=ah$$ # network namespace prefix
VIP=192.0.2.10
OID_POLLS=.1.3.6.1.4.1.8072.9999.9999.1.1.2.3.0
OID_SYSNAME=.1.3.6.1.2.1.1.5.0
fails=0 passes=0
ok() { echo "ok - $*"; passes=$((passes + 1)); }
not_ok() { echo "not ok - $*"; fails=$((fails + 1)); }
is() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1 (got '$2', want '$3')"; fi; }
fig() { echo "# $1: $2"; }
ms() { echo $(($(date +%s%N) / 1000000)); }
wait_for() { # SECONDS CMD...
	local end=$(($(date +%s) + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -lt "$end" ] || return 1
		sleep 0.1
	done
}
# the summary line and the exit status of the script
ha_done() {
	echo "$passes passed, $fails failed"
	[ "$fails" = 0 ]
}
ino() { stat -L -c %i "/run/netns/$P$1" 2>/dev/null; }
# PIDs in node N's network namespace
pids_of() {
	local i p
	i=$(ino "$1") || return
	for p in /proc/[0-9]*; do
		[ "$(stat -L -c %i "$p/ns/net" 2>/dev/null)" = "$i" ] && echo "${p#/proc/}"
	done
}
node_pid() { # N COMM: the PID of COMM in node N
	local p
	for p in $(pids_of "$1"); do
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = "$2" ] && { echo "$p"; return 0; }
	done
	return 1
}
in_node() { # N CMD...: run CMD in node N's namespaces
	local n=$1 p
	shift
	p=$(node_pid "$n" pacemakerd) || return 1
	nsenter -t "$p" -n -m -u "$@"
}
nms() { ip netns exec "${P}cl" "$@"; }
vget() { nms snmpget -v2c -c public -t 1 -r 0 -Oqv "$VIP" "$@" 2>/dev/null; }
active() { vget "$OID_SYSNAME" | tr -d '"'; }
kill_node() { # N: SIGKILL every process of node N (its power cut)
	local pids
	for _ in 1 2 3 4 5; do
		pids=$(pids_of "$1")
		[ -n "$pids" ] || return 0
		# shellcheck disable=SC2086 # a list of PIDs
		kill -9 $pids 2>/dev/null
		sleep 0.1
	done
}
# every process of the nodes, the NMS and the switch, then their namespaces
ha_cleanup() {
	local n
	for n in n1 n2 n3 cl sw; do kill_node "$n"; done
	for n in n1 n2 n3 cl sw; do ip netns del "$P$n" 2>/dev/null; done
	[ -n "${ARAS_HA_KEEP:-}" ] || rm -rf "$HA"
}

ha_require() {
	local c
	for c in corosync pacemakerd crm crm_mon nsenter unshare snmpget; do
		command -v "$c" >/dev/null || { not_ok "$c is installed (tests/deps.sh)"; echo "0 passed, 1 failed"; exit 1; }
	done
	[ -x "$ARASD" ] || { not_ok "arasd is built ($ARASD)"; exit 1; }
}

# ---------------------------------------------------------------- network
addr() { case $1 in cl) echo 192.0.2.100 ;; *) echo "192.0.2.${1#n}" ;; esac; }
ha_network() {
	local n
	if ! { ip netns add "${P}sw" && ip -n "${P}sw" link add br0 type bridge && ip -n "${P}sw" link set br0 up; }; then
		not_ok "the switch namespace and its bridge"
		exit 1
	fi
	for n in n1 n2 n3 cl; do
		if ! { ip netns add "$P$n" &&
			ip link add "$P${n}a" type veth peer name "$P${n}b" &&
			ip link set "$P${n}a" netns "$P$n" && ip link set "$P${n}b" netns "${P}sw" &&
			ip -n "$P$n" link set "$P${n}a" name eth0 &&
			ip -n "$P$n" addr add "$(addr $n)/24" dev eth0 &&
			ip -n "$P$n" link set eth0 up && ip -n "$P$n" link set lo up &&
			ip -n "${P}sw" link set "$P${n}b" master br0 up; }; then
			not_ok "namespace $n on the switch"
			exit 1
		fi
	done
	: >"$HA/netns"
	for n in n1 n2 n3; do echo "$n $(ino $n)" >>"$HA/netns"; done
}

# ---------------------------------------------------------- configuration
# ha_config LINE...: corosync.conf, the OCF agents (this tree's arasd
# agent), the fence agent, snmpd.conf, and arasd.conf: the agentx and poll
# lines, stateFile on the shared directory, then LINE... (the hosts, and
# whatever else the script needs)
ha_config() {
	local n
	{
		printf 'totem {\n\tversion: 2\n\tcluster_name: arasha\n\ttransport: knet\n\ttoken: 3000\n'
		printf '\tcrypto_cipher: none\n\tcrypto_hash: none\n}\nnodelist {\n'
		for n in n1 n2 n3; do
			printf '\tnode {\n\t\tring0_addr: %s\n\t\tname: %s\n\t\tnodeid: %s\n\t}\n' "$(addr $n)" "$n" "${n#n}"
		done
		printf '}\nquorum {\n\tprovider: corosync_votequorum\n}\n'
		printf 'logging {\n\tto_logfile: yes\n\tlogfile: /var/log/corosync/corosync.log\n\tto_syslog: no\n\ttimestamp: on\n}\n'
	} >"$HA/corosync.conf"
	mkdir -p "$HA/ocf/arasd" "$HA/shared"
	cp -a /usr/lib/ocf/resource.d/. "$HA/ocf/"
	cp conf/ocf/arasd "$HA/ocf/arasd/arasd"
	cp tests/ha/fence_ns "$HA/fence_ns"
	cat >"$HA/snmpd.conf" <<-EOF
		agentaddress udp:0.0.0.0:161
		master agentx
		agentXSocket /run/aras/agentx
		agentXPerms 0660 0770
		rocommunity public default
		rwcommunity private default
		trap2sink 192.0.2.100 public
	EOF
	{
		echo "agentxSocket /run/aras/agentx"
		echo "agentxPingInterval 1"
		echo "pollInterval 1"
		echo "stateFile $HA/shared/state"
		printf '%s\n' "$@"
	} >"$HA/arasd.conf"
	chmod -R a+rX "$HA"
}

# ------------------------------------------------------------------ nodes
start_node() {
	setsid ip netns exec "$P$1" unshare --mount --uts -- bash "$TOP/tests/ha/node.sh" "$1" "$HA" \
		>>"$HA/$1.out" 2>&1 </dev/null &
	disown # its end (a kill -9 of the node) is the test's, not a job to report
}
quorate() { in_node "$1" crm_mon -1 2>/dev/null | grep -q "partition with quorum"; }
online() { in_node "$1" crm_mon -1 2>/dev/null | grep -q "Online: \[ n1 n2 n3 \]"; }
# the three nodes, until they are online (exits when they are not)
ha_start_cluster() {
	local t n
	t=$(ms)
	for n in n1 n2 n3; do start_node $n; done
	if wait_for 90 online n1; then
		ok "three nodes online, quorate"
		fig "cold start until the three nodes are online" "$(($(ms) - t)) ms"
	else
		not_ok "three nodes online ($(in_node n1 crm_mon -1 2>&1 | head -n 5 | tr '\n' ' '))"
		exit 1
	fi
}
# ha_configure [LINE...]: fencing and the group snmpd + arasd + nms-ip, then
# LINE... (crmsh configure lines)
ha_configure() {
	{
		cat <<-EOF
			property stonith-enabled=true no-quorum-policy=stop stonith-timeout=20s
			primitive fence-ns stonith:fence_legacy params pcmk_host_list="n1 n2 n3" pcmk_host_check=static-list pcmk_reboot_action=off op monitor interval=60s
			primitive snmpd ocf:heartbeat:anything params binfile=/usr/sbin/snmpd cmdline_options="-f -Lf /var/log/pacemaker/snmpd.log -C -c $HA/snmpd.conf" pidfile=/run/aras/snmpd.pid op monitor interval=5s
			primitive arasd ocf:arasd:arasd params binary=$ARASD config=$HA/arasd.conf logfile=/var/log/pacemaker/arasd.log snmp_target=udp:127.0.0.1:161 poll_timeout=30 op start timeout=60s op stop timeout=60s op monitor interval=5s timeout=20s
			primitive nms-ip IPaddr2 params ip=$VIP cidr_netmask=24 nic=eth0 op monitor interval=5s
			group aras snmpd arasd nms-ip
		EOF
		printf '%s\n' "$@"
	} | in_node n1 crm configure >"$HA/crm.out" 2>&1
	is "crm configure (fencing, the group)" "$?" 0
	sed 's/^/# crm: /' "$HA/crm.out" | head -n 5
}
vip_answers() { [ -n "$(vget "$OID_POLLS")" ]; }
# until the NMS address answers (exits when it does not); sets A
ha_wait_vip() {
	local t
	t=$(ms)
	if wait_for 90 vip_answers; then
		A=$(active)
		ok "the NMS address answers: arasd on $A ($(($(ms) - t)) ms after the configuration)"
	else
		not_ok "the NMS address $VIP answers ($(in_node n1 crm_mon -1 2>&1 | tail -n 8 | tr '\n' ' '))"
		exit 1
	fi
}
