#!/bin/bash
# tests/ha/lab.sh - make ha-check's H3 (issue 25): the active management node
# killed in the middle of live migrations, on the real lab (tests/lab: two
# libvirtd + QEMU hosts, TCG).  The cluster is tests/ha/lib.sh's (three
# nodes in network namespaces, the group snmpd + arasd + IPaddr2, fencing);
# its arasd manages lab hosts A and B through their libvirtd sockets under
# $LAB (the nodes share the machine's file system but for node.sh's
# bind mounts: checked from inside each node), with policy manual,
# migrations over unix sockets, and its stateFile on the shared directory.
# One idle guest (ha3, 1 vCPU, 256 MiB).
#   - one migration A -> B ordered through 192.0.2.10 (arasVmMigrateTo) and
#     not disturbed: its duration and the data QEMU sent; from that the
#     arasMigrationBandwidth (set through 192.0.2.10) that makes a migration
#     last about 22 s (ARAS_HA_MIG_S);
#   - 10 times (ARAS_HA_ITER): arasVmMigrateTo to the other host through
#     192.0.2.10; after a random delay in [0.3 s, 0.9 x the expected
#     duration] kill -9 of every process of the active node; the address
#     answers from another node (failover time); the migration ends in
#     libvirt (the guest running on exactly one host, no incoming copy left)
#     and the new active's arasActionTable shows the order's migrate row
#     succeeded(5) or failed(6); the killed node rejoins.
# Checks: each time the guest runs on exactly one host, the order's target
# if and only if the row says succeeded; exactly one migrate row for the
# guest on the new active, final (resolved once); the killed node fenced;
# the new active logged "adopting the migration of VM ha3 to host X" (in
# flight at the takeover) or "done before the restart" (it had ended), once,
# the adoption whenever libvirt still ran the migration 3 s after the
# address answered from the new active;
# at the end: as many QEMU processes started with -incoming for the guest
# (both hosts' QEMU logs) as orders (no migration started twice); "no
# outcome: running it now" in no node's arasd log (no order run twice); at
# least one adoption; the guest's heartbeat goes on.
# Figures (# H3 ...): the undisturbed migration, the cap, failover median
# and max, adopted / done-before counts, lab.sh's total time.
# Brings the lab up (tests/lab/setup.sh) if it is not, and down
# (teardown.sh) only then.  Refuses to run beside another arasd that
# manages the lab's hosts (two controllers would fight over the guests).
# Root; corosync, pacemaker, crmsh, resource-agents, the lab's packages.
# Serialise with other lab users: flock /tmp/aras-lab.lock bash tests/ha/lab.sh
set -u
T_START=$(date +%s%N)
# shellcheck source=tests/lab/lib.sh
. "$(dirname "$0")/../lab/lib.sh" # LAB, URI_A, URI_B, pid_of, vsh, hb_field
# shellcheck source=tests/ha/lib.sh
. "$(dirname "$0")/lib.sh" # the cluster; cd to the tree
export MIBS="" MIBDIRS=""
G=${ARAS_HA_GUEST:-ha3}
ITER=${ARAS_HA_ITER:-10}
MIG_S=${ARAS_HA_MIG_S:-22}
BASE=.1.3.6.1.4.1.8072.9999.9999.1
VM_ENTRY=$BASE.1.4.1 ACT=$BASE.1.6.1 H_STATE=$BASE.1.3.1.4
OID_BW=$BASE.1.1.24.0
V_NAME=2 V_HOST=3 V_MIGTO=31
LAB_MINE=0
GUEST_UP=0

finish() {
	local n
	trap - EXIT
	for n in n1 n2 n3; do kill_node "$n"; done # first: no arasd acts on the guest any more
	[ "$GUEST_UP" = 1 ] && bash tests/lab/guest.sh --destroy "$G" >>"$HA/guest.log" 2>&1
	if [ "$LAB_MINE" = 1 ] && ! bash tests/lab/teardown.sh >"$HA/teardown.log" 2>&1; then
		cp "$HA/teardown.log" /tmp/aras-ha-teardown.log
		echo "# tests/lab/teardown.sh failed: /tmp/aras-ha-teardown.log"
	fi
	ha_cleanup
}
trap finish EXIT
ha_require
command -v virsh >/dev/null || { not_ok "virsh is installed (tests/lab/setup.sh)"; ha_done; exit 1; }

# ------------------------------------------------------------------ the lab
lab_up() { pid_of libvirtd-A >/dev/null && pid_of libvirtd-B >/dev/null; }
if ! lab_up; then
	t=$(ms)
	if bash tests/lab/setup.sh >"$HA/setup.out" 2>&1; then
		LAB_MINE=1
		fig "H3 tests/lab/setup.sh (the lab was down)" "$(($(ms) - t)) ms"
	else
		LAB_MINE=1 # whatever it started
		tail -n 5 "$HA/setup.out" | sed 's/^/# setup: /'
		not_ok "tests/lab/setup.sh: lab hosts A and B"
		ha_done
		exit 1
	fi
fi
# two arasd on the same hosts would fight over the guests: any arasd (the
# binary, not the OCF agent's shell) whose configuration names the lab's
# sockets, outside this run's nodes (there are none yet)
other_arasd() {
	local p c conf
	for p in $(pgrep -x arasd); do
		case $(readlink "/proc/$p/exe" 2>/dev/null) in */arasd) ;; *) continue ;; esac
		conf=/etc/arasd/arasd.conf
		# shellcheck disable=SC2046 # its arguments, split
		set -- $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)
		while [ $# -gt 0 ]; do
			case $1 in -c) conf=${2:-}; shift ;; esac
			shift
		done
		case $conf in /*) c=$conf ;; *) c=/proc/$p/cwd/$conf ;; esac
		grep -qF "$LAB/host" "$c" 2>/dev/null && echo "$p"
	done
}
o=$(other_arasd)
if [ -n "$o" ]; then
	not_ok "no other arasd manages the lab's hosts (PID $(echo "$o" | tr '\n' ' ')): stop it first"
	ha_done
	exit 1
fi

# ------------------------------------------------------------------ cluster
ha_network
ha_config "host A $URI_A 1" "host B $URI_B 2" "policy manual" \
	"cpuThreshold 0" "memThreshold 0" "diskThreshold 0" "stealThreshold 0" \
	"migrationUnsafe yes" "migrationTimeout 120" \
	"migrationUri A unix://$LAB/run/mig-%s.sock" "migrationUri B unix://$LAB/run/mig-%s.sock"
ha_start_cluster
# the lab's sockets are files under $LAB, which the nodes see (only node.sh's
# directories are their own): libvirt answers from inside each node
bad=
for n in n1 n2 n3; do
	for X in A B; do
		in_node "$n" timeout 20 virsh -q -c "$(host_uri $X)" uri >/dev/null 2>&1 || bad="$bad $n:$X"
	done
done
if [ -z "$bad" ]; then
	ok "H3 both lab libvirtds answer from inside n1, n2 and n3 (qemu+unix sockets under $LAB)"
else
	not_ok "H3 the lab libvirtds answer from inside the nodes (not:$bad)"
	ha_done
	exit 1
fi
# stickiness: a node that rejoins does not take the group back (a stop of
# arasd in the middle of the next migration would be a second, graceful test)
ha_configure "rsc_defaults resource-stickiness=100"
ha_wait_vip
hosts_up() { [ "$(vget "$H_STATE.1")" = 1 ] && [ "$(vget "$H_STATE.2")" = 1 ]; }
if wait_for 30 hosts_up; then
	ok "H3 arasd on $A has lab hosts A and B up"
else
	not_ok "H3 arasd on $A has lab hosts A and B up (arasHostState $(vget "$H_STATE.1") $(vget "$H_STATE.2"))"
fi

# ------------------------------------------------------------------ guest
qlog() { echo "$LAB/host$1/log/qemu/$G.log"; }
lines() { if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi; }
for X in A B; do
	vsh "$X" domuuid "$G" >/dev/null 2>&1 && bash tests/lab/guest.sh --destroy "$G" >>"$HA/guest.log" 2>&1
done
declare -A QMARK
for X in A B; do QMARK[$X]=$(lines "$(qlog $X)"); done
t=$(ms)
GUEST_UP=1
if bash tests/lab/guest.sh "$G" A idle 1 1 256 256 >>"$HA/guest.log" 2>&1; then
	fig "H3 guest $G (idle, 1 vCPU, 256 MiB) up on A" "$(($(ms) - t)) ms"
else
	tail -n 5 "$HA/guest.log" | sed 's/^/# guest: /'
	not_ok "H3 guest $G boots on lab host A"
	ha_done
	exit 1
fi
uuid_oid() {
	local h=${1//-/} i out=
	for ((i = 0; i < 32; i += 2)); do out+="${out:+.}$((16#${h:i:2}))"; done
	echo "$out"
}
VOID=$(uuid_oid "$(vsh A domuuid "$G")")
vm_on() { [ "$(vget "$VM_ENTRY.$V_HOST.$VOID")" = "$1" ]; } # arasd sees the guest on host index N
if wait_for 30 vm_on 1; then
	ok "H3 arasd lists $G on host A ($(vget "$VM_ENTRY.$V_NAME.$VOID"))"
else
	not_ok "H3 arasd lists $G on host A"
	ha_done
	exit 1
fi

# the guest's state on X: running, paused, shut off, or none (not defined)
gstate() { vsh "$1" domstate "$G" 2>/dev/null || echo none; }
# the host the migration ended on: the guest runs there and nowhere else
# (the other host has no copy, not even a paused incoming one)
ended_on() {
	local a b
	a=$(gstate A) b=$(gstate B)
	if [ "$a" = running ] && [ "$b" = none ]; then
		echo A
	elif [ "$b" = running ] && [ "$a" = none ]; then
		echo B
	else
		return 1
	fi
}
on_only() { [ "$(ended_on)" = "$1" ]; }
# "index state" of each migrate(5) row of the guest in the active's arasActionTable
mig_rows() {
	local i k s
	for i in $(nms snmpwalk -v2c -c public -t 2 -r 1 -On "$VIP" "$ACT.3" 2>/dev/null |
		grep -F "\"$G\"" | sed -n "s/^$ACT\.3\.\([0-9]*\) .*/\1/p"); do
		read -r k s <<<"$(vget "$ACT.4.$i" "$ACT.7.$i" | tr '\n' ' ')"
		[ "$k" = 5 ] && echo "$i $s"
	done
}
# every migrate row of the guest final (succeeded 5, failed 6), and one at least
rows_final() {
	local r
	r=$(mig_rows)
	[ -n "$r" ] && ! echo "$r" | awk '$2 != 5 && $2 != 6 { bad = 1 } END { exit !bad }'
}
order() { nms snmpset -v2c -c private -t 5 -r 0 "$VIP" "$VM_ENTRY.$V_MIGTO.$VOID" u "$1" >/dev/null 2>&1; }
idx_of() { case $1 in A) echo 1 ;; B) echo 2 ;; esac; }
mib_of() { # "123.4 MiB" -> MiB
	awk '{ v = $1; u = $2; if (u == "KiB") v /= 1024; else if (u == "GiB") v *= 1024; else if (u == "B") v /= 1048576; printf "%.1f", v }'
}
logf() { echo "$HA/$1/var/log/pacemaker/arasd.log"; }

# ------------------------------------------------- the undisturbed migration
ORDERS=0
nms snmpset -v2c -c private -t 5 -r 0 "$VIP" "$OID_BW" u 0 >/dev/null 2>&1 || not_ok "H3 snmpset arasMigrationBandwidth 0"
t=$(ms)
if order 2; then
	ORDERS=$((ORDERS + 1))
	if wait_for 120 on_only B; then
		d0=$(($(ms) - t))
		data=$(vsh B domjobinfo --completed "$G" 2>/dev/null | sed -n 's/^Data processed: *//p' | mib_of)
		[ -n "$data" ] || data=$(vsh A domjobinfo --completed "$G" 2>/dev/null | sed -n 's/^Data processed: *//p' | mib_of)
		ok "H3 an undisturbed arasVmMigrateTo A -> B through $VIP: $G on B only"
		fig "H3 undisturbed migration A -> B, no bandwidth cap (order -> libvirt shows it on B only)" "$d0 ms, ${data:-?} MiB sent"
	else
		not_ok "H3 an undisturbed arasVmMigrateTo A -> B ($G: A $(gstate A), B $(gstate B))"
		ha_done
		exit 1
	fi
else
	not_ok "H3 snmpset arasVmMigrateTo.$G = 2 through $VIP"
	ha_done
	exit 1
fi
if wait_for 30 rows_final && [ "$(mig_rows | awk '{ print $2 }')" = 5 ]; then
	ok "H3 its migrate row succeeded(5)"
else
	not_ok "H3 the undisturbed migration's row (index state: $(mig_rows | tr '\n' ' '))"
fi
# the cap: the data of one migration in MIG_S seconds (MiB/s, at least 1)
CAP=$(awk -v d="${data:-0}" -v s="$MIG_S" 'BEGIN { c = int(d / s + 0.5); if (c < 1) c = 1; print c }')
EXP=$(awk -v d="${data:-0}" -v c="$CAP" 'BEGIN { printf "%.1f", d / c }')
if nms snmpset -v2c -c private -t 5 -r 0 "$VIP" "$OID_BW" u "$CAP" >/dev/null 2>&1 && [ "$(vget "$OID_BW")" = "$CAP" ]; then
	ok "H3 arasMigrationBandwidth $CAP MiB/s through $VIP"
	fig "H3 bandwidth cap (a migration of ${data:-?} MiB in about $MIG_S s)" "$CAP MiB/s, expected $EXP s"
else
	not_ok "H3 snmpset arasMigrationBandwidth $CAP through $VIP"
fi
awk -v e="$EXP" 'BEGIN { exit !(e >= 5) }' || EXP=$MIG_S # no figure: kill within MIG_S

# ------------------------------------------- H3: kill the active node, 10 times
declare -a FO
declare -A LMARK
other() { local a; a=$(active) && [ -n "$a" ] && [ "$a" != "$A" ]; }
answers() { [ -n "$(active)" ]; }
adopted=0 donebefore=0 inflight=0 before=0 intakeover=0
for i in $(seq "$ITER"); do
	# a GET can be lost while the rejoined node settles: ask for up to 30 s
	wait_for 30 answers
	A=$(active)
	src=$(ended_on) || src=
	[ "$src" = B ] && tgt=A || tgt=B
	if [ -z "$A" ] || [ -z "$src" ] || ! wait_for 30 vm_on "$(idx_of "$src")"; then
		not_ok "H3 #$i: the cluster answers (active '${A:-?}') and $G runs on one host (A $(gstate A), B $(gstate B))"
		continue
	fi
	fo=
	for n in n1 n2 n3; do LMARK[$n]=$(lines "$(logf $n)"); done
	fmark=$(lines "$HA/fence.log")
	delay=$(awk -v e="$EXP" -v s="$RANDOM" 'BEGIN { srand(s); printf "%.2f", 0.3 + rand() * (0.9 * e - 0.3) }')
	t0=$(ms)
	if ! order "$(idx_of "$tgt")"; then
		not_ok "H3 #$i: snmpset arasVmMigrateTo.$G = $(idx_of "$tgt") through $VIP (on $A)"
		continue
	fi
	ORDERS=$((ORDERS + 1))
	sleep "$(awk -v d="$delay" -v t="$(($(ms) - t0))" 'BEGIN { d -= t / 1000; printf "%.3f", (d > 0 ? d : 0) }')"
	# where libvirt is at the kill: the incoming copy paused on the target
	# (in flight), or the guest on the target alone (ended)
	case $(gstate "$tgt") in
	paused) at=inflight inflight=$((inflight + 1)) ;;
	running) at=ended before=$((before + 1)) ;;
	*) at="not begun" ;;
	esac
	tk=$(ms)
	kill_node "$A"
	if wait_for 60 other; then
		tv=$(ms)
		fo=$((tv - tk))
		FO+=("$fo")
		N=$(active)
	else
		tv=$(ms)
		not_ok "H3 #$i: the NMS address answers again after the kill of $A ($(in_node n1 crm_mon -1 2>&1 | tail -n 8 | tr '\n' ' '))"
		N=
	fi
	wait_for 150 ended_on
	end=$(ended_on) || end=
	te=$(ms)
	tend=$((te - t0))
	# still in flight 3 s after the address answered (arasd starts before
	# the address, and its first polls take a second): the new active must
	# have found it running, so adopted it
	late=0
	[ $((te - tv)) -gt 3000 ] && late=1 intakeover=$((intakeover + 1))
	wait_for 60 rows_final
	rows=$(mig_rows)
	nrows=$(echo "$rows" | grep -c .)
	st=$(echo "$rows" | awk 'NR == 1 { print $2 }')
	idx=$(echo "$rows" | awk 'NR == 1 { print $1 }')
	why=$([ -n "$idx" ] && vget "$ACT.8.$idx")
	echo "#   H3 #$i: $src -> $tgt, $A killed $delay s after the order ($at), answered from ${N:-nobody} after ${fo:-?} ms; the guest on ${end:-?} after $tend ms ($((te - tv)) ms after the answer); row $idx state ${st:-none}: ${why:-}"
	if [ -n "$end" ]; then
		if [ "$st" = 5 ]; then
			is "H3 #$i: the row says succeeded, $G runs on the target $tgt alone" "$end" "$tgt"
		elif [ "$st" = 6 ]; then
			is "H3 #$i: the row says failed, $G runs on the source $src alone" "$end" "$src"
		else
			ok "H3 #$i: $G runs on $end alone"
		fi
	else
		not_ok "H3 #$i: $G runs on exactly one host (A $(gstate A), B $(gstate B))"
	fi
	if [ "$at" = ended ] && [ "$nrows" = 0 ]; then
		# the old active saw the end and recorded it before the kill:
		# nothing left to resolve
		ok "H3 #$i: the migration had ended before the kill; no row left to resolve on $N"
	elif [ "$nrows" = 1 ] && { [ "$st" = 5 ] || [ "$st" = 6 ]; }; then
		ok "H3 #$i: one migrate row for $G on ${N:-?}, final ($st): resolved once"
	else
		not_ok "H3 #$i: one final migrate row for $G on ${N:-?} (index state: $(echo "$rows" | tr '\n' ';'))"
	fi
	if grep -q "off $A.*done" <(tail -n +"$((fmark + 1))" "$HA/fence.log" 2>/dev/null); then
		ok "H3 #$i: $A was fenced"
	else
		not_ok "H3 #$i: $A fenced (fence.log: $(tail -n 2 "$HA/fence.log" 2>/dev/null | tr '\n' ' '))"
	fi
	new=$(tail -n +"$((${LMARK[${N:-n1}]} + 1))" "$(logf "${N:-n1}")" 2>/dev/null)
	na=$(echo "$new" | grep -cF "adopting the migration of VM $G to host $tgt ")
	# (not the history of the last run's orders: "VM NAME: before the restart: ...")
	nd=$(echo "$new" | grep -F "done before the restart" | grep -vF "VM $G: before the restart: " | grep -cF "$G")
	echo "$new" | sed -n 's/.*took over from node [^:]*: \([0-9]*\) ms without a controller.*/\1/p' | head -n 1 >>"$HA/gaps"
	adopted=$((adopted + na)) donebefore=$((donebefore + nd))
	if [ "$at" = ended ] && [ "$nrows" = 0 ] && [ $((na + nd)) = 0 ]; then
		ok "H3 #$i: ${N:-?} had nothing to adopt (the migration's end was recorded before the kill)"
	elif [ "$late" = 1 ] && [ "$na" != 1 ]; then
		not_ok "H3 #$i: the migration ended $((te - tv)) ms after $N answered: it logged its adoption (adopting: $na, done before: $nd)"
		echo "$new" | grep -F "$G" | tail -n 8 | sed 's/^/#   arasd: /'
	elif [ $((na + nd)) = 1 ]; then
		ok "H3 #$i: ${N:-?} logged $([ "$na" = 1 ] && echo "the adoption of the migration to $tgt" || echo "it done before the restart")"
	else
		not_ok "H3 #$i: ${N:-?} logged one adoption or one \"done before the restart\" for $G (adopting: $na, done before: $nd)"
		echo "$new" | grep -F "$G" | tail -n 8 | sed 's/^/#   arasd: /'
	fi
	start_node "$A"
	if ! wait_for 90 online "${N:-n1}"; then
		not_ok "H3 #$i: $A rejoins ($(in_node "${N:-n1}" crm_mon -1 2>&1 | head -n 8 | tr '\n' ' '))"
	fi
done

# ------------------------------------------------------------------ at the end
inc=0
for X in A B; do
	c=$(tail -n +"$((${QMARK[$X]} + 1))" "$(qlog $X)" 2>/dev/null | grep -c -- '-incoming')
	inc=$((inc + c))
done
is "H3 QEMU processes started with -incoming for $G (both hosts' QEMU logs) = orders: no migration started twice" "$inc" "$ORDERS"
again=$(cat "$HA"/n[123]/var/log/pacemaker/arasd.log 2>/dev/null | grep -c "of the last run has no outcome: running it now")
is "H3 no order run again at a takeover (\"no outcome: running it now\" in the nodes' arasd logs)" "$again" 0
if [ "$adopted" -ge 1 ]; then
	ok "H3 at least one migration adopted in flight by the new active ($adopted of $ITER)"
else
	not_ok "H3 at least one migration adopted in flight by the new active (none of $ITER; in flight at the kill: $inflight)"
fi
hb0=$(hb_field "$G" hb)
hb_next() { [ "$(hb_field "$G" hb)" -gt "${hb0:-0}" ] 2>/dev/null; }
host_now=$(ended_on)
if [ -n "$hb0" ] && wait_for 20 hb_next; then
	ok "H3 $G's heartbeat goes on after the last takeover (hb $hb0 -> $(hb_field "$G" hb), on $host_now)"
elif [ -n "$host_now" ] && ms=$(vcpu_runs "$host_now" "$G"); then
	# the migrations are done and libvirt runs the guest's vCPUs: what
	# stopped is the TCG guest's kernel after its moves (tests/lab/README.md
	# "Known limits"), not arasd's part, which the checks above cover
	ok "H3 $G's heartbeat # SKIP stopped after its migrations while $host_now runs its vCPUs (${ms} ms of CPU in 2 s, state running; console: $(guest_fault "$G" || echo 'no fault line'); last: $(hb_lines "$G" | tail -n 1 | cut -c1-60))"
else
	not_ok "H3 $G's heartbeat goes on after the last takeover (last: $(hb_lines "$G" | tail -n 1); $G on ${host_now:-no host})"
fi
if [ ${#FO[@]} -gt 0 ]; then
	fig "H3 failover (kill -9 of the active node -> first answered GET at $VIP), median / max of ${#FO[@]}" \
		"$(printf '%s\n' "${FO[@]}" | sort -n | awk '{ v[NR] = $1 } END { printf "%d ms / %d ms", v[int((NR + 1) / 2)], v[NR] }')"
fi
fig "H3 where libvirt was at the kills" "$inflight in flight, $before ended, $((ITER - inflight - before)) other; still in flight 3 s after the takeover: $intakeover"
if [ -s "$HA/gaps" ]; then
	fig "H3 arasd's own takeover gap (\"N ms without a controller\"), median / max" \
		"$(sort -n "$HA/gaps" | awk '{ v[NR] = $1 } END { printf "%d ms / %d ms", v[int((NR + 1) / 2)], v[NR] }')"
fi
fig "H3 the new active adopted the migration / found it done before the restart" "$adopted / $donebefore"
fig "H3 orders / QEMU -incoming starts" "$ORDERS / $inc"
fig "H3 lab.sh total" "$((($(date +%s%N) - T_START) / 1000000)) ms"
echo "# ha-check H3: $passes passed, $fails failed"
ha_done
