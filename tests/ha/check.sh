#!/bin/bash
# tests/ha/check.sh - make ha-check (issue 25): arasd failed over by a real
# three-node corosync + Pacemaker cluster on this one machine, each
# management node a network namespace (with a mount and UTS namespace of
# its own, tests/ha/node.sh) on a bridge in a "switch" namespace, addresses
# of TEST-NET-1 (192.0.2.0/24) that exist only inside those namespaces.
# Each node runs corosync and Pacemaker; the cluster runs one group: snmpd
# (ocf:heartbeat:anything), arasd (ocf:arasd:arasd, this tree's agent and
# binary, on libvirt's test driver) and the NMS address 192.0.2.10
# (ocf:heartbeat:IPaddr2); fencing kills every process of a node's
# namespace (tests/ha/fence_ns).  arasd's stateFile (and its order journal)
# is in a directory every node sees, as shared storage would be.  An NMS in
# a fifth namespace asks 192.0.2.10.
#   H1 kill -9 of every process of the active node: the group runs on
#      another node, 192.0.2.10 answers again (time from the kill to the
#      first answered GET), the node was fenced;
#   H4 a SET acknowledged just before that kill is in force after it;
#   H2 the active node cut off from the others (its switch port down): it
#      stops (or is fenced) before another node starts arasd: sampled every
#      50 ms, never two arasd processes at once.
# Figures: failover times, the NMS-visible gap, RSS and CPU of the HA stack
# per node.  Root; needs corosync, pacemaker, crmsh, resource-agents.
set -u
cd "$(dirname "$0")/../.." || exit 1
TOP=$PWD
ARASD=${ARASD:-$TOP/arasd}
HA=$(mktemp -d /tmp/aras-ha.XXXXXX)
P=ah$$ # network namespace prefix
VIP=192.0.2.10
OID_POLLS=.1.3.6.1.4.1.8072.9999.9999.1.1.2.3.0
OID_CPU_THR=.1.3.6.1.4.1.8072.9999.9999.1.1.1.2.0
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
cleanup() {
	local n
	for n in n1 n2 n3 cl sw; do kill_node "$n"; done
	for n in n1 n2 n3 cl sw; do ip netns del "$P$n" 2>/dev/null; done
	[ -n "${ARAS_HA_KEEP:-}" ] || rm -rf "$HA"
}
trap cleanup EXIT

for c in corosync pacemakerd crm crm_mon nsenter unshare snmpget; do
	command -v "$c" >/dev/null || { not_ok "$c is installed (tests/deps.sh)"; echo "0 passed, 1 failed"; exit 1; }
done
[ -x "$ARASD" ] || { not_ok "arasd is built ($ARASD)"; exit 1; }

# ---------------------------------------------------------------- network
ip netns add "${P}sw" && ip -n "${P}sw" link add br0 type bridge && ip -n "${P}sw" link set br0 up ||
	{ not_ok "the switch namespace and its bridge"; exit 1; }
addr() { case $1 in cl) echo 192.0.2.100 ;; *) echo "192.0.2.${1#n}" ;; esac; }
for n in n1 n2 n3 cl; do
	ip netns add "$P$n" &&
		ip link add "$P${n}a" type veth peer name "$P${n}b" &&
		ip link set "$P${n}a" netns "$P$n" && ip link set "$P${n}b" netns "${P}sw" &&
		ip -n "$P$n" link set "$P${n}a" name eth0 &&
		ip -n "$P$n" addr add "$(addr $n)/24" dev eth0 &&
		ip -n "$P$n" link set eth0 up && ip -n "$P$n" link set lo up &&
		ip -n "${P}sw" link set "$P${n}b" master br0 up ||
		{ not_ok "namespace $n on the switch"; exit 1; }
done
: >"$HA/netns"
for n in n1 n2 n3; do echo "$n $(ino $n)" >>"$HA/netns"; done

# ---------------------------------------------------------- configuration
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
cp conf/fixture/hostA.xml "$HA/hostA.xml"
cat >"$HA/snmpd.conf" <<EOF
agentaddress udp:0.0.0.0:161
master agentx
agentXSocket /run/aras/agentx
agentXPerms 0660 0770
rocommunity public default
rwcommunity private default
EOF
cat >"$HA/arasd.conf" <<EOF
agentxSocket /run/aras/agentx
agentxPingInterval 1
pollInterval 1
stateFile $HA/shared/state
host alpha test://$HA/hostA.xml 1
EOF
chmod -R a+rX "$HA"

# ------------------------------------------------------------------ nodes
start_node() {
	setsid ip netns exec "$P$1" unshare --mount --uts -- bash "$TOP/tests/ha/node.sh" "$1" "$HA" \
		>>"$HA/$1.out" 2>&1 </dev/null &
	disown # its end (a kill -9 of the node) is the test's, not a job to report
}
quorate() { in_node "$1" crm_mon -1 2>/dev/null | grep -q "partition with quorum"; }
online() { in_node "$1" crm_mon -1 2>/dev/null | grep -q "Online: \[ n1 n2 n3 \]"; }
t=$(ms)
for n in n1 n2 n3; do start_node $n; done
if wait_for 90 online n1; then
	ok "three nodes online, quorate"
	fig "cold start until the three nodes are online" "$(($(ms) - t)) ms"
else
	not_ok "three nodes online ($(in_node n1 crm_mon -1 2>&1 | head -n 5 | tr '\n' ' '))"
	exit 1
fi
in_node n1 crm configure >"$HA/crm.out" 2>&1 <<EOF
property stonith-enabled=true no-quorum-policy=stop stonith-timeout=20s
primitive fence-ns stonith:fence_legacy params pcmk_host_list="n1 n2 n3" pcmk_host_check=static-list pcmk_reboot_action=off op monitor interval=60s
primitive snmpd ocf:heartbeat:anything params binfile=/usr/sbin/snmpd cmdline_options="-f -Lf /var/log/pacemaker/snmpd.log -C -c $HA/snmpd.conf" pidfile=/run/aras/snmpd.pid op monitor interval=5s
primitive arasd ocf:arasd:arasd params binary=$ARASD config=$HA/arasd.conf logfile=/var/log/pacemaker/arasd.log snmp_target=udp:127.0.0.1:161 poll_timeout=30 op start timeout=60s op stop timeout=60s op monitor interval=5s timeout=20s
primitive nms-ip IPaddr2 params ip=$VIP cidr_netmask=24 nic=eth0 op monitor interval=5s
group aras snmpd arasd nms-ip
EOF
is "crm configure (fencing, the group)" "$?" 0
sed 's/^/# crm: /' "$HA/crm.out" | head -n 5
t=$(ms)
if wait_for 90 eval '[ -n "$(vget "$OID_POLLS")" ]'; then
	A=$(active)
	ok "the NMS address answers: arasd on $A ($(($(ms) - t)) ms after the configuration)"
else
	not_ok "the NMS address $VIP answers ($(in_node n1 crm_mon -1 2>&1 | tail -n 8 | tr '\n' ' '))"
	exit 1
fi

# RSS and CPU of the HA stack on each node, idle, over 10 s
stack() { # N: "rss_kib cpu_ticks" of corosync and the pacemaker daemons
	local r=0 c=0 p comm
	for p in $(pids_of "$1"); do
		comm=$(cat "/proc/$p/comm" 2>/dev/null)
		case $comm in corosync | pacemaker* | pacemakerd) ;; *) continue ;; esac
		r=$((r + $(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status" 2>/dev/null || echo 0)))
		c=$((c + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
	done
	echo "$r $c"
}
declare -A c0
for n in n1 n2 n3; do read -r _ c0[$n] <<<"$(stack $n)"; done
sleep 10
hz=$(getconf CLK_TCK)
for n in n1 n2 n3; do
	read -r r c <<<"$(stack $n)"
	fig "HA stack on $n (corosync + pacemaker daemons)" "RSS $((r / 1024)) MiB, CPU $(((c - c0[$n]) * 1000 / hz / 10)) ms/s idle"
done

# ------------------------------------------------- H1 + H4: kill -9 of the active node
thr=$((50 + RANDOM % 40))
if nms snmpset -v2c -c private -t 2 -r 0 "$VIP" "$OID_CPU_THR" u "$thr" >/dev/null 2>&1; then
	ok "H4 snmpset arasCpuThreshold = $thr through $VIP acknowledged (on $A)"
else
	not_ok "H4 snmpset arasCpuThreshold = $thr through $VIP"
fi
t0=$(ms)
kill_node "$A"
other() { local a; a=$(active) && [ -n "$a" ] && [ "$a" != "$A" ]; }
if wait_for 60 other; then
	t1=$(ms)
	B=$(active)
	ok "H1 after kill -9 of every process on $A, the NMS address answers from $B"
	fig "H1 failover (kill -9 of the active node -> first answered GET at $VIP)" "$((t1 - t0)) ms"
	is "H4 the SET acknowledged before the kill is in force on $B" "$(vget "$OID_CPU_THR")" "$thr"
	if grep -q "off $A.*done" "$HA/fence.log" 2>/dev/null; then
		ok "H1 $A was fenced ($(grep "off $A" "$HA/fence.log" | tail -n 1 | cut -d' ' -f2))"
	else
		not_ok "H1 $A fenced (fence.log: $(tail -n 3 "$HA/fence.log" 2>/dev/null | tr '\n' ' '))"
	fi
else
	not_ok "H1 the NMS address answers again after the kill of $A ($(in_node n1 crm_mon -1 2>&1 | tail -n 8 | tr '\n' ' '))"
fi

# ------------------------------------- H2: the active node cut off from the others
start_node "$A"
wait_for 90 online "$B" || not_ok "H2 $A rejoins ($(in_node "$B" crm_mon -1 2>&1 | head -n 8 | tr '\n' ' '))"
C=$(active)
# sample every 50 ms: the nodes an arasd process runs on (arasd processes
# outside the nodes, other tests', are not the cluster's)
declare -A NODE_OF
ARASD_EXE=$(readlink -f "$ARASD")
while read -r n i; do NODE_OF[$i]=$n; done <"$HA/netns"
arasds() {
	local p i out=
	# the daemon (its executable), not the resource agent's shell (also named arasd)
	for p in $(pgrep -x arasd); do
		[ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$ARASD_EXE" ] || continue
		i=$(stat -L -c %i "/proc/$p/ns/net" 2>/dev/null) && [ -n "${NODE_OF[$i]:-}" ] && out="$out ${NODE_OF[$i]}:$p"
	done
	echo "$out"
}
(
	end=$(($(date +%s) + 70))
	while [ "$(date +%s)" -lt "$end" ]; do
		echo "$(ms)$(arasds)"
		sleep 0.05
	done
) >"$HA/arasd-samples" &
sampler=$!
t0=$(ms)
ip -n "${P}sw" link set "$P${C}b" down
cut_other() { local a; a=$(active) && [ -n "$a" ] && [ "$a" != "$C" ]; }
if wait_for 60 cut_other; then
	t1=$(ms)
	D=$(active)
	ok "H2 $C cut off: the NMS address answers from $D"
	fig "H2 failover (the active node cut off -> first answered GET at $VIP)" "$((t1 - t0)) ms"
else
	not_ok "H2 the NMS address answers from another node after $C was cut off"
fi
sleep 3
kill "$sampler" 2>/dev/null
wait "$sampler" 2>/dev/null
two=$(awk 'NF > 2' "$HA/arasd-samples" | head -n 3)
n_samples=$(wc -l <"$HA/arasd-samples")
# the samples prove no overlap only if they are closer than the gap between
# the old arasd's end and the new one's start
gone=$(awk -v c=" $C:" 'index($0, c) == 0 { print $1; exit }' "$HA/arasd-samples")
up=$(awk -v d=" ${D:-none}:" 'index($0, d) > 0 { print $1; exit }' "$HA/arasd-samples")
step=$(awk 'NR > 1 && $1 - p > m { m = $1 - p } { p = $1 } END { print m + 0 }' "$HA/arasd-samples")
if [ -n "$gone" ] && [ -n "$up" ]; then
	fig "H2 arasd on $C gone / on ${D:-?} started" \
		"$((gone - t0)) ms / $((up - t0)) ms after the cut (the gap the NMS sees: $((${t1:-$t0} - t0)) ms)"
fi
if [ -z "$two" ] && [ -n "$gone" ] && [ -n "$up" ] && [ "$step" -lt $((up - gone)) ]; then
	ok "H2 never two arasd at once: $C's ended $((up - gone)) ms before ${D}'s began ($n_samples samples, at most $step ms apart)"
else
	not_ok "H2 two arasd at once, or samples too far apart ($n_samples, at most $step ms apart; gone ${gone:-?}, up ${up:-?}): $two"
fi
if grep -q "off $C.*done" "$HA/fence.log" 2>/dev/null; then
	ok "H2 the cut-off $C was fenced ($(grep "off $C" "$HA/fence.log" | tail -n 1 | cut -d' ' -f2))"
else
	not_ok "H2 $C fenced (fence.log: $(tail -n 3 "$HA/fence.log" 2>/dev/null | tr '\n' ' '))"
fi
ip -n "${P}sw" link set "$P${C}b" up
echo "# ha-check: $passes passed, $fails failed"
echo "$passes passed, $fails failed"
[ "$fails" = 0 ]
