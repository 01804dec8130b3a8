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
# After each failover the NMS (snmptrapd in its namespace, the nodes'
# snmpd trap2sink) receives one arasControllerTakeover from the new active
# node's address naming it and the node it took over from, and through
# 192.0.2.10 arasTakeovers counts it and arasTakeoverGap says how long no
# arasd controlled.
# Figures: failover times, the NMS-visible gap, RSS and CPU of the HA stack
# per node.  The cluster itself is tests/ha/lib.sh's, shared with
# tests/ha/lab.sh (H3, on the lab's libvirtd + QEMU hosts).  Root; needs
# corosync, pacemaker, crmsh, resource-agents.
set -u
# shellcheck source=tests/ha/lib.sh
. "$(dirname "$0")/lib.sh"
OID_CPU_THR=.1.3.6.1.4.1.8072.9999.9999.1.1.1.2.0
trap ha_cleanup EXIT
ha_require
ha_network
cp conf/fixture/hostA.xml "$HA/hostA.xml"
ha_config "host alpha test://$HA/hostA.xml 1"
ha_start_cluster
# shellcheck disable=SC2119 # no crm lines of its own
ha_configure
ha_wait_vip
# the NMS's trap receiver: one line per notification, its sender and varbinds
printf 'disableAuthorization yes\n' >"$HA/snmptrapd.conf"
: >"$HA/traps.log"
nms snmptrapd -f -C -c "$HA/snmptrapd.conf" -On -Lf "$HA/traps.log" -F 'TRAP %b %V| %v\n' \
	udp:192.0.2.100:162 &
OID_TAKEOVER=.1.3.6.1.4.1.8072.9999.9999.1.0.11
ST=.1.3.6.1.4.1.8072.9999.9999.1.1.2
takeover_traps() { grep -c "$OID_TAKEOVER\b" "$HA/traps.log"; }
# takeover_seen N NEW OLD: the Nth arasControllerTakeover names NEW, from OLD, sent by NEW's address
takeover_seen() {
	[ "$(takeover_traps)" -ge "$1" ] &&
		grep "$OID_TAKEOVER\b" "$HA/traps.log" | sed -n "${1}p" |
		grep -q "\[$(addr "$2")\].*\"$2\".*\"$3\""
}
takeover_checks() { # WHICH N NEW OLD
	local gap
	if wait_for 30 takeover_seen "$2" "$3" "$4"; then
		ok "$1 one arasControllerTakeover at the NMS from $3 ($(addr "$3")): node $3, from $4"
	else
		not_ok "$1 arasControllerTakeover $2 from $3 naming $4 (traps: $(grep -c . "$HA/traps.log"); $(tail -n 2 "$HA/traps.log" | tr '\n' ' '))"
	fi
	is "$1 through $VIP: arasControllerNode, arasTakeovers, arasTakeoverFrom" \
		"$(vget "$ST.29.0") $(vget "$ST.30.0") $(vget "$ST.31.0")" "\"$3\" $2 \"$4\""
	gap=$(vget "$ST.32.0")
	fig "$1 arasTakeoverGap (the old arasd's last sign of life -> every host polled by the new one)" "${gap:-?} ms"
}

# RSS and CPU of the HA stack on each node, idle, over 10 s
stack() { # N: "rss_kib cpu_ticks" of corosync and the pacemaker daemons
	local r=0 c=0 p comm
	for p in $(pids_of "$1"); do
		comm=$(cat "/proc/$p/comm" 2>/dev/null)
		case $comm in corosync | pacemaker*) ;; *) continue ;; esac
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
	takeover_checks H1 1 "$B" "$A"
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
# the active node, as the address answers it (a GET can be lost while the node rejoins)
got_active() { C=$(active) && [ -n "$C" ]; }
wait_for 30 got_active || not_ok "H2 the NMS address answers before the cut"
# the group may have moved back to the rejoined node (a switchover is a takeover too):
# arasTakeovers as the address answers it (a GET can be lost while the node rejoins)
counted() { n_h2=$(vget "$ST.30.0") && [ -n "$n_h2" ]; }
wait_for 30 counted || not_ok "H2 arasTakeovers answers through $VIP before the cut"
n_h2=$((${n_h2:-0} + 1))
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
	takeover_checks H2 "$n_h2" "$D" "$C"
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
is "one arasControllerTakeover per takeover that arasTakeovers counts, none else" "$(takeover_traps)" "$(vget "$ST.30.0")"
echo "# ha-check: $passes passed, $fails failed"
ha_done
