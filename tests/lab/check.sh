#!/bin/bash
# tests/lab/check.sh - arasd end to end on the real two-host lab (make lab-check).
#
# Brings the lab up (setup.sh), starts the private snmpd master, snmptrapd
# and ONE arasd from tests/lib.sh configured with both lab hosts by their
# full socket URIs (A = index 1, B = index 2, migrations over unix sockets),
# then runs the scenarios below with real TCG guests and asserts each
# through SNMP, libvirt (virsh -c URI) and the guest's own heartbeat:
#   S1 cpu     automatic: a busy 1-of-4-vCPU guest gets a vCPU, iter_per_s rises
#   S2 memory  the balloon grows by memStep, the guest's MemTotal rises
#   S4 no room host A above hostCpuHigh: the CPU-bound guest moves to B
#              instead of growing, and is not moved back for ~2 minutes
#   S5 maintenance on A evacuates its guests to B; off: they return
#   S7 manual  arasVmMigrateTo moves a guest, its heartbeat goes on
#   S6 semiAutomatic: a proposal, nothing changes until it is approved
#   S8 failure B's libvirtd killed during a migration A -> B: the guest stays
#              on A, arasActionFailed, B down then up, no retry storm,
#              SNMP answers throughout
#   S3 disk    two I/O-bound guests on A: one moves to B (contention), the
#              other's throughput recovers, the event log says why
#   S9 after every migration: usage and rates stay sane, no false breach
#   S10 life cycle: each arasVmCommand (start, ACPI shutdown, destroy,
#              suspend/resume, managedSave/restore, reboot) through snmpset,
#              and virsh changes outside arasd as rows and notifications
#              (tests/lab/lifecycle.sh; ARAS_LAB_ONLY=lifecycle runs only it)
#   S11 steal  a CPU hog pinned on a host core next to a busy guest's vCPU:
#              arasVmCpuSteal rises, the host's mean/max show it, and on
#              its CPU alert arasd adds no vCPU but moves it
#              (tests/lab/steal.sh; ARAS_LAB_ONLY=steal runs only it)
#   S12 rules  anti-affinity keeps two guests apart through a maintenance
#              evacuation whose only target would break it: the guest stays
#              and the evacuation says so (tests/lab/rules.sh; ARAS_LAB_ONLY=rules)
#   S13 envelope: a capped migration (arasMigrationBandwidth) and an
#              uncapped one, progress columns while it runs, a guest that
#              dirties memory fast fails without auto-converge and moves
#              with it (tests/lab/envelope.sh; ARAS_LAB_ONLY=envelope)
#   S14 devices two disks and two NICs of a real guest, one of each busy:
#              every device row against domblklist / domiflist / domstats
#              (tests/lab/devices.sh; ARAS_LAB_ONLY=devices)
#   S15 VM-MIB RFC 7666's tables of each lab host in its own SNMP context,
#              against virsh; a moved guest keeps its vmIndex
#              (tests/lab/vmmib.sh; ARAS_LAB_ONLY=vmmib)
#   S16 managing VMs: a disk grown live (the guest sees it), the next
#              boot's maximum memory of a NUMA guest, a clone of a shut-off
#              guest started on the other host that boots and prints its own
#              heartbeat (tests/lab/manage.sh; ARAS_LAB_ONLY=manage)
#   S17 HA     make ha-check's H3: a three-node Pacemaker cluster in network
#              namespaces whose arasd manages hosts A and B; its active node
#              killed 10 times at random points of live migrations: each
#              ends once, no VM moves twice, no order runs twice (this
#              check's arasd stops first: one arasd per lab; tests/lab/ha.sh
#              runs tests/ha/lab.sh; ARAS_LAB_ONLY=ha)
# (run in this order to reuse guests; arasd is restarted with a fresh state
# file between groups).  Prints TAP ("ok - ..."/"not ok - ...") and "# "
# lines with the measured figures; exits 1 on any failure.  Always cleans
# up (guests, arasd, snmpd, teardown.sh) unless ARAS_LAB_KEEP=1 and a check
# failed.  Root, TCG only, loopback only, at most 2 busy guests at a time.
#
# Two lab artefacts are compensated here, both by the test, not by arasd:
#  - both lab hosts are this one machine, so libvirt's node CPU counters
#    (/proc/stat) are the same for A and B and B could never look idle next
#    to a busy A.  Each host's libvirtd gets a frozen copy of /proc/stat
#    bind-mounted in its own mount namespace; arasd then falls back to the
#    sum of that host's VMs for arasHostCpuUsage (src/core/model.c),
#    which is what two separate machines would show.
#  - for the disk scenario host A's guests are pinned to CPU 0 and B's to
#    CPU 1 (taskset on the lab's own QEMU PIDs), so that a move to B really
#    relieves A (otherwise both "hosts" share both cores and nothing can
#    recover).
# Usage: tests/lab/check.sh         (ARAS_LAB=/dir, ARAS_LAB_KEEP=1)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
T_NAME=labcheck
. "$HERE/../lib.sh" # TOP, T, snmpd/snmptrapd/arasd helpers, sget/sset/swalk
. "$HERE/lib.sh"    # LAB, URIs, pid_of, vsh, hb_lines/hb_field, wait_for
T_ALL=$(now)
NTESTS=0
ok() {
	NTESTS=$((NTESTS + 1))
	echo "ok - $*"
}
not_ok() {
	NTESTS=$((NTESTS + 1))
	T_FAILS=$((T_FAILS + 1))
	echo "not ok - $*"
}
FIGS=()
fig() { # "# name: value", kept for the summary
	FIGS+=("$1: $2")
	echo "# $1: $2"
}
fdiv() { awk -v a="$1" -v b="$2" -v f="${3:-%.2f}" 'BEGIN { if (b == 0) print "inf"; else printf f, a / b }'; }
fge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }
dt() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# ------------------------------------------------------------------ OIDs
CFG=$CONFIG_OID
C_POLICY=$CFG.1.0 C_CPU=$CFG.2.0 C_MEM=$CFG.3.0 C_DISK=$CFG.4.0 C_HOSTCPU=$CFG.8.0
C_DISKLOW=$CFG.10.0 C_IOCAP=$CFG.11.0
H_STATE=$HOST_ENTRY.4 H_CPU=$HOST_ENTRY.6 H_MAINT=$HOST_ENTRY.13
V_NAME=2 V_HOST=3 V_STATE=4 V_VCPUS=5 V_CPU=7 V_MEMCUR=8 V_MEMUSE=10 V_MEMSRC=11
V_WRBYTES=13 V_RDRATE=14 V_WRRATE=15 V_OPS=16 V_IO=17 V_RXRATE=22 V_TXRATE=23
V_ALERT=25 V_PRIO=26 V_OPTOUT=30 V_MIGTO=31 V_CPUTIME=32 V_HOSTNAME=34
V_OPER=39 V_PREV=40 V_REASON=41 V_CHANGES=42 V_CMD=43
ACT=$BASE_OID.1.6.1
EVT=$BASE_OID.1.5.1
N_BREACH=1 N_HOSTSTATE=3 N_DONE=4 N_FAILED=5 N_PROPOSED=6

# ------------------------------------------------------------- cleanup
BGPIDS=()
ARASD_PID=
finish() {
	local rc=$? t p
	trap - EXIT INT TERM
	for p in "${BGPIDS[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	if [ "$T_FAILS" != 0 ] || [ "$rc" != 0 ]; then
		KEEP=1 # keep $T (logs) for inspection
		echo "# logs kept in $T (arasd.log, traps.log, setup.out)"
		[ -f "$T/arasd.log" ] && tail -n 15 "$T/arasd.log" | sed 's/^/#   arasd: /'
	fi
	cleanup # tests/lib.sh: snmpd, snmptrapd, arasd by PID
	if [ "$T_FAILS$rc" != 00 ] && [ "${ARAS_LAB_KEEP:-0}" = 1 ]; then
		echo "# ARAS_LAB_KEEP=1: lab left running in $LAB"
	else
		t=$(now)
		if bash "$HERE/teardown.sh" >"/tmp/aras-labcheck-teardown.log" 2>&1; then
			ok "teardown: guests destroyed, both libvirtds stopped ($(since "$t") s)"
		else
			not_ok "teardown (see /tmp/aras-labcheck-teardown.log)"
		fi
	fi
	[ "$rc" != 0 ] && echo "# aborted with exit status $rc"
	echo "# ---- figures"
	printf '#   %s\n' "${FIGS[@]}"
	echo "1..$NTESTS"
	echo "# total $(since "$T_ALL") s, $T_FAILS of $NTESTS failed"
	[ "$T_FAILS" = 0 ] && [ "$rc" = 0 ] && exit 0
	exit 1
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# hard limit: the whole run must stay under 34 minutes (the migration
# envelope, S11, takes about 7 of them: two runs wait out a 110 s
# arasMigrationTimeout or an auto-converged copy; S17's ten takeovers
# about 8).  The sleep gets
# no copy of our stdout (a caller's pipe, e.g. tests/run.sh | tee, would
# stay open until it ends) and is killed with the watchdog.
(
	sleep 1980 </dev/null >/dev/null 2>&1 &
	sp=$!
	trap 'kill "$sp" 2>/dev/null; exit 0' TERM
	wait "$sp" || exit 0
	echo "# watchdog: 33 minutes, giving up" >&2
	kill -TERM $$
) &
BGPIDS+=($!)

abort() {
	not_ok "$*"
	exit 1
}

# ------------------------------------------------------------- helpers
# hb_wait NAME TIMEOUT AWK-CONDITION: wait for a heartbeat whose fields
# (hb, iters, up, mb, memtotal_kb; cpus as a string) satisfy the condition.
hb_wait() {
	local n=$1 t=$2 cond=$3 end line
	end=$(($(date +%s%N) / 1000000 + t * 1000))
	while :; do
		line=$(hb_lines "$n" | tail -n 1)
		if [ -n "$line" ] && echo "$line" | awk "{ for (i = 2; i <= NF; i++) { split(\$i, kv, \"=\"); v[kv[1]] = kv[2] } }
			END { hb = v[\"hb\"]; iters = v[\"iters\"]; up = v[\"up\"]; cpus = v[\"cpus\"];
			      memtotal_kb = v[\"memtotal_kb\"]; mb = v[\"mb\"]; exit !($cond) }"; then
			echo "$line"
			return 0
		fi
		[ $(($(date +%s%N) / 1000000)) -lt "$end" ] || return 1
		sleep 0.2
	done
}

# rate NAME FIELD SECONDS: RATE = FIELD (iters or mb, running totals) per
# guest second between two heartbeats at least SECONDS apart.
rate() {
	local n=$1 f=$2 s=$3 l0 l1
	RATE=0
	l0=$(hb_wait "$n" 15 "hb > $(hb_field "$n" hb)") || return 1
	l1=$(hb_wait "$n" $((s + 20)) "up >= $(hb_field "$n" up "$l0") + $s") || return 1
	RATE=$(awk -v a="$(hb_field "$n" "$f" "$l0")" -v b="$(hb_field "$n" "$f" "$l1")" \
		-v ua="$(hb_field "$n" up "$l0")" -v ub="$(hb_field "$n" up "$l1")" \
		'BEGIN { printf "%.1f", (b - a) / (ub - ua) }')
}

# where NAME: the lab host (A|B) on which NAME is running
where() {
	local X
	for X in A B; do
		pid_of "libvirtd-$X" >/dev/null || continue
		[ "$(vsh "$X" domstate "$1" 2>/dev/null)" = running ] && echo "$X" && return 0
	done
	return 1
}
on_host() { [ "$(where "$1")" = "$2" ]; }
# vm_diag NAME: "# " lines on what became of NAME (after a failed check):
# its state and reason on each host (virsh and arasd) and its QEMU log's tail
vm_diag() {
	local X
	for X in A B; do
		pid_of "libvirtd-$X" >/dev/null || continue
		echo "# $1 on $X: $(vsh "$X" domstate --reason "$1" 2>&1 | head -n 1)"
		tail -n 5 "$LAB/host$X/log/qemu/$1.log" 2>/dev/null | sed "s/^/#   $X qemu log: /"
	done
	echo "# $1 in arasd: arasVmOperState $(vget "$1" $V_OPER 2>&1), reason \"$(vget "$1" $V_REASON 2>&1)\", host $(vget "$1" $V_HOSTNAME 2>&1)"
	actions "$1" | sed "s/^/#   $1 action (index kind state origin): /"
	tr -d '\r' <"$LAB/run/$1.console" 2>/dev/null | grep -av '^ARAS hb=' | tail -n 8 | sed "s/^/#   $1 console: /"
	hb_lines "$1" | tail -n 1 | sed "s/^/#   $1 last heartbeat: /"
}
only_on() { # NAME X: running on X, not defined on the other host
	local o=B
	[ "$2" = B ] && o=A
	on_host "$1" "$2" && ! vsh "$o" domuuid "$1" >/dev/null 2>&1
}

declare -A VOID # guest name -> arasVmTable index (16 dotted bytes)
boot() { # NAME HOST LOAD VCPUS VMAX MEM MEMMAX [DISK [FILL]]
	local t
	t=$(now)
	bash "$HERE/guest.sh" "$@" >>"$T/guests.log" 2>&1 || return 1
	VOID[$1]=$(uuid_oid "$(vsh "$2" domuuid "$1")")
	echo "# guest $1 ($3) up on $2 in $(since "$t") s"
}
# boot_dev1: arasd (policy manual, VM-MIB's default context = host A) and
# S14/S15's guest on A: vda 64 MiB (written to), vdb 32 MiB, two virtio
# NICs of type ethernet (the first one sends), 1 vCPU
boot_dev1() {
	arasd_run "policy manual" "vmMibLocalHost A"
	ARAS_GUEST_DISK2_MIB=32 ARAS_GUEST_NICS=2 ARAS_GUEST_CMDLINE="aras.disks=vda aras.net=eth0" \
		boot dev1 A io 1 2 256 512 64 || abort "boot dev1 on A"
}
destroy() {
	local g
	for g in "$@"; do
		bash "$HERE/guest.sh" --destroy "$g" >>"$T/guests.log" 2>&1
	done
}
# the balloon deflates to its target a moment after boot: wait for that
settled() { hb_wait "$1" 40 "memtotal_kb < 300000 && hb >= 3" >/dev/null; }

vget() { sget "$VM_ENTRY.$2.${VOID[$1]}" 2>/dev/null; }
vis() { [ "$(vget "$1" "$2")" = "$3" ]; } # NAME COL VALUE
vge() { local v; v=$(vget "$1" "$2") && [ -n "$v" ] && [ "$v" -ge "$3" ] 2>/dev/null; }
hget() { sget "$1.$2" 2>/dev/null; }

# actions NAME: "index kind state origin" per arasActionTable row of NAME
actions() {
	local i
	for i in $(swalk "$ACT.3" 2>/dev/null | grep -F "\"$1\"" | sed -n "s/^$ACT\.3\.\([0-9]*\) .*/\1/p"); do
		echo "$i $(sget "$ACT.4.$i" "$ACT.7.$i" "$ACT.12.$i" | tr '\n' ' ')"
	done
}
# action_where NAME KIND STATE: index of the first such action (kind/state may be '*')
action_where() {
	actions "$1" | awk -v k="$2" -v s="$3" '(k == "*" || $2 == k) && (s == "*" || $3 == s) { print $1; exit }' | grep .
}
migrations() { actions "$1" | awk '$2 == 5' | wc -l; }
act_is() { [ "$(sget "$ACT.7.$1" 2>/dev/null)" = "$2" ]; } # INDEX STATE
host_is() { [ "$(sget "$H_STATE.$1" 2>/dev/null)" = "$2" ]; } # INDEX STATE
all_on() { # X NAME...: every NAME runs on X only
	local x=$1 g
	shift
	for g in "$@"; do
		only_on "$g" "$x" || return 1
	done
}
none_running() { [ "$(swalk "$ACT.7" 2>/dev/null | grep -c 'INTEGER: [24]$')" = 0 ]; }
vcpus_are() { [ "$(vsh "$1" vcpucount "$2" --live --active 2>/dev/null)" = "$3" ]; } # X NAME N
migrating_out() { vsh "$1" domjobinfo "$2" 2>/dev/null | grep -q 'Outgoing migration'; }
# host_states MARK INDEX: the arasHostState values in arasHostStateChange traps since MARK
host_states() {
	tail -n +"$(($1 + 1))" "$T/traps.log" | grep -E "OID: ${NOTIFY_OID//./\\.}\.$N_HOSTSTATE([[:space:]]|\$)" |
		grep -o "$H_STATE\.$2 = INTEGER: [0-9]" | sed 's/.*: //' | tr '\n' ' '
}

# traps: counted from TRAP_MARK (a line number of traps.log) on
mark_traps() { wc -l <"$T/traps.log"; }
# arasd's log since a mark, as comments: what the controller decided
# (or refused, and why) when a check that waits on it fails
log_mark() { wc -l <"$T/arasd.log"; }
log_since() { # MARK [LINES]
	tail -n +"$(($1 + 1))" "$T/arasd.log" | tail -n "${2:-40}" | sed 's/^/#   arasd: /'
}
traps_since() { # MARK NOTIFICATION NAME
	tail -n +"$(($1 + 1))" "$T/traps.log" | grep -E "OID: ${NOTIFY_OID//./\\.}\.$2([[:space:]]|$)" | grep -cF "\"$3\""
}
has_trap() { [ "$(traps_since "$@")" -ge 1 ]; }

# polls: wait until arasd has completed N more polls (bounded)
polls() { sget "$STATUS_OID.3.0" 2>/dev/null; }
wait_polls() {
	local p0
	p0=$(polls) || return 1
	polls_ge() { local p; p=$(polls) && [ "$p" -ge "$1" ]; }
	wait_for $(($1 * 3 + 10)) polls_ge $((p0 + $1 * 2))
}

# Freeze a lab host's view of /proc/stat (see the header).
freeze_host() {
	local p
	p=$(pid_of "libvirtd-$1") || return 1
	cat /proc/stat >"$LAB/run/procstat-$1" &&
		nsenter -t "$p" -m mount --bind "$LAB/run/procstat-$1" /proc/stat
}
# pin_guest NAME HOST CPU: all threads of the guest's QEMU onto one core
pin_guest() {
	local p
	p=$(cat "$LAB/host$2/run/qemu/$1.pid" 2>/dev/null) && taskset -a -p -c "$3" "$p" >/dev/null
}

# GET latency sampler: one snmpget (through the master) every 0.2 s
lat_start() { # LABEL OID...
	local label=$1
	shift
	(
		while :; do
			t0=$(date +%s%N)
			if out=$(snmpget -v2c -c public -t 3 -r 0 -Oqv "$AGENT" "$@" 2>&1); then
				case $out in *"No Such"*) r=nosuch ;; *) r=ok ;; esac
			else
				r=timeout
			fi
			echo "$((($(date +%s%N) - t0) / 1000)) $r"
			sleep 0.2
		done
	) >"$T/lat.$label" 2>/dev/null &
	LAT_PID=$!
	BGPIDS+=("$LAT_PID")
}
# lat_stop LABEL: LAT = "n=.. median=..ms max=..ms failed=.. nosuch=.."; LAT_BAD = failures
lat_stop() {
	kill "$LAT_PID" 2>/dev/null
	wait "$LAT_PID" 2>/dev/null
	LAT=$(sort -n "$T/lat.$1" | awk '{ v[NR] = $1; if ($2 == "timeout") f++; if ($2 == "nosuch") s++ }
		END { if (!NR) { print "n=0"; exit }
		      p = int(NR * 0.95); if (p < 1) p = 1
		      printf "n=%d median=%.1fms p95=%.1fms max=%.1fms timeouts=%d nosuch=%d",
		      NR, v[int((NR + 1) / 2)] / 1000, v[p] / 1000, v[NR] / 1000, f, s }')
	LAT_BAD=$(awk '$2 != "ok"' "$T/lat.$1" | wc -l)
	LAT_MAX=$(sort -n "$T/lat.$1" | tail -n 1 | awk '{ print $1 / 1000 }')
}

# Counter64 sampler: the values of OIDs every 0.5 s, to see whether a
# counter ever goes backwards (mono_stop: MONO_BACK = "OID a -> b" or "")
mono_start() { # LABEL OID...
	local label=$1
	shift
	(
		while :; do
			echo $(snmpget -v2c -c public -t 2 -r 0 -Oqv "$AGENT" "$@" 2>/dev/null | tr '\n' ' ')
			sleep 0.5
		done
	) >"$T/mono.$label" 2>/dev/null &
	MONO_PID=$!
	BGPIDS+=("$MONO_PID")
}
mono_stop() { # LABEL NAME...: names of the sampled columns
	local label=$1
	shift
	kill "$MONO_PID" 2>/dev/null
	wait "$MONO_PID" 2>/dev/null
	MONO_BACK=$(awk -v names="$*" 'BEGIN { n = split(names, nm, " ") }
		NF == n { for (i = 1; i <= n; i++) { if ($i !~ /^[0-9]+$/) continue
			if (i in last && $i + 0 < last[i] + 0 && !(i in done)) { printf "%s%s %s -> %s", sep, nm[i], last[i], $i; sep = "; "; done[i] = 1 }
			last[i] = $i } }' "$T/mono.$label")
	MONO_N=$(wc -l <"$T/mono.$label")
}

# ------------------------------------------------------------- arasd runs
HOSTS_CONF=("host A $URI_A 1" "host B $URI_B 2")
POLL=2
PING=2
ARUN=0
# arasd_run LINES...: (re)start arasd with a fresh state file
arasd_run() {
	local i
	if [ -n "$ARASD_PID" ]; then
		kill "$ARASD_PID" 2>/dev/null
		for i in $(seq 50); do
			kill -0 "$ARASD_PID" 2>/dev/null || break
			sleep 0.2
		done
		kill -9 "$ARASD_PID" 2>/dev/null
		wait "$ARASD_PID" 2>/dev/null
	fi
	ARUN=$((ARUN + 1))
	# stealThreshold 0: both lab hosts are this one shared 2-core machine,
	# whose other jobs give a busy guest 20-30 % steal on their own (S11
	# measures it); the vCPU scenarios (S1, S6) are about the old rule.
	# S11 turns the steal rule on again (a later line wins).
	write_arasd_conf "stateFile $T/state.$ARUN" "holdTime 6" "clearMargin 10" "cooldown 600" \
		"actions trap,allocate" "cpuThreshold 0" "memThreshold 0" "diskThreshold 0" "stealThreshold 0" \
		"migrationTimeout 120" "migrationUnsafe yes" \
		"migrationUri A unix://$LAB/run/mig-%s.sock" "migrationUri B unix://$LAB/run/mig-%s.sock" "$@"
	echo "=== arasd run $ARUN: $*" >>"$T/arasd.log"
	start_arasd || abort "arasd run $ARUN attaches to the master"
	wait_for 20 host_is 1 1 && wait_for 20 host_is 2 1 ||
		abort "arasd run $ARUN: both lab hosts up"
	ok "arasd run $ARUN ($*): both lab hosts up"
}

# ----------------------------------------------- S9: after a migration
# post_migration NAME MARK RES FIRING: usage and rates sane for the polls
# right after the move (holdTime + 3 polls, so a restarted alert would
# show), and no false breach for NAME since MARK (taken when the migration
# started): a breach of a resource the guest does not load (RES: 2 cpu,
# 3 memory, 4 disk, 0 none), or a second breach of an alert that was
# already firing before the move (FIRING=1: its state was lost).
post_migration() {
	local n=$1 mark=$2 res=${3:-0} firing=${4:-0} i v cpu_max=0 rate_max=0 bad= col end
	end=$(($(date +%s) + 12))
	while [ "$(date +%s)" -lt $end ]; do
		for col in $V_CPU $V_MEMUSE $V_IO; do
			v=$(vget "$n" $col)
			[[ $v =~ ^[0-9]+$ ]] || { bad="$bad col$col='$v'"; continue; }
			[ "$v" -le 100 ] || bad="$bad col$col=$v%"
			[ $col = $V_CPU ] && [ "$v" -gt $cpu_max ] && cpu_max=$v
		done
		for col in $V_RDRATE $V_WRRATE $V_OPS $V_RXRATE $V_TXRATE; do
			v=$(vget "$n" $col)
			[[ $v =~ ^[0-9]+$ ]] || { bad="$bad col$col='$v'"; continue; }
			[ "$v" -lt 4000000000 ] || bad="$bad col$col=$v"
			[ "$v" -gt $rate_max ] && rate_max=$v
		done
		sleep 1
	done
	# resources of the breaches since the move
	i=$(tail -n +"$((mark + 1))" "$T/traps.log" | grep -E "OID: ${NOTIFY_OID//./\\.}\.$N_BREACH([[:space:]]|$)" |
		grep -F "\"$n\"" | grep -o "$EVT\.7\.[0-9]* = INTEGER: [0-9]" | sed 's/.*: //' |
		awk -v r="$res" -v f="$firing" '$1 != r || f == 1 { printf "%s%s", s, $1; s = "," }')
	if [ -z "$bad" ] && [ -z "$i" ]; then
		ok "S9 $n after migration: cpu <= 100 % (max $cpu_max), rates < 4 GB/s (max $rate_max B/s), no false breach"
	else
		not_ok "S9 $n after migration:${bad:- values sane}; false breaches since the move (resource): ${i:-none}"
		# what the next such failure needs: its notifications since the
		# move and arasd's lines about it
		echo "# S9 $n: notifications about it since the move:"
		tail -n +"$((mark + 1))" "$T/traps.log" | grep -F "\"$n\"" | cut -c1-600 | sed 's/^/#   /'
		echo "# S9 $n: arasd's last lines about it:"
		grep -F "$n" "$T/arasd.log" | tail -n 25 | sed 's/^/#   /'
	fi
}

# counters_forward LABEL NAME...: stop the Counter64 sampler (it ran from
# before the migration to after post_migration, several polls on the
# target) and check that no sampled column ever went backwards: the
# hypervisor restarts its counters in the new QEMU process, arasd's totals
# must not (SMIv2 Counter64; an NMS computing deltas would see a wrap)
counters_forward() {
	local label=$1
	shift
	mono_stop "$label" "$@"
	if [ -z "$MONO_BACK" ] && [ "$MONO_N" -gt 10 ]; then
		ok "S9 $* never went backwards across the migration ($MONO_N samples)"
	else
		not_ok "S9 Counter64 across the migration ($MONO_N samples): ${MONO_BACK:-too few samples}"
	fi
}

# wait for a migration action of NAME to finish; sets MIG_S (running ->
# done as seen over SNMP), MIG_IDX; returns 1 unless it succeeded
wait_migration() { # NAME TIMEOUT
	local n=$1 t0 t1 st end
	MIG_IDX= MIG_S=
	wait_for "$2" action_where "$n" 5 '*' || return 1
	MIG_IDX=$(action_where "$n" 5 '*')
	MIG_MARK=$(mark_traps)
	MIG_FIRING=0
	[ "$(vget "$n" $V_ALERT)" = 3 ] && MIG_FIRING=1
	t0=$(now)
	end=$(($(date +%s) + $2))
	while :; do
		st=$(sget "$ACT.7.$MIG_IDX" 2>/dev/null)
		case $st in 5 | 6) break ;; esac
		[ "$(date +%s)" -lt $end ] || return 1
		sleep 0.2
	done
	t1=$(now)
	MIG_S=$(dt "$t0" "$t1")
	[ "$st" = 5 ]
}
# vcpu_ns HOST NAME: host CPU time its vCPU threads got so far (ns)
vcpu_ns() {
	vsh "$1" domstats "$2" --vcpu 2>/dev/null | awk -F= '/vcpu\.[0-9]+\.time=/ { t += $2 } END { printf "%.0f", t }'
}
jobtime() { # HOST NAME: QEMU's own figures of the completed incoming migration
	vsh "$1" domjobinfo --completed "$2" 2>/dev/null |
		awk -F: '/^(Time elapsed|Total downtime):/ { gsub(/ +/, " "); printf "%s:%s; ", $1, $2 }'
}

# =================================================================== setup
echo "# arasd lab check in $LAB (work dir $T)"
t=$(now)
bash "$HERE/setup.sh" >"$T/setup.out" 2>&1 || { tail -n 5 "$T/setup.out"; abort "setup.sh: lab hosts A and B"; }
fig "setup.sh" "$(since "$t") s"
ok "setup.sh: hosts A and B answer"
. "$LAB/env"
for g in cpu1 mem1 cpu2 idle1 idle2 io1 io2 lc1 lc2 ra rb fill1 dirty1 dev1; do # left over by a kept run
	destroy "$g"
done
for X in A B; do
	freeze_host "$X" || abort "freeze /proc/stat of host $X"
done
ok "each lab host has its own (frozen) node CPU counters: arasd sums its VMs"
# S15: each host's VM-MIB in a context of its name, read with community ctxA / ctxB
write_snmpd_conf
cat >>"$T/snmpd.conf" <<CONF
com2sec -Cn A secA 127.0.0.1 ctxA
com2sec -Cn B secB 127.0.0.1 ctxB
group grpA v2c secA
group grpB v2c secB
view vmall included .1
access grpA A any noauth exact vmall none none
access grpB B any noauth exact vmall none none
CONF
start_snmpd || abort "snmpd master starts"
start_trapd

# ARAS_LAB_ONLY=NAME[ NAME...]: only those scenario files, in that order
if [ -n "${ARAS_LAB_ONLY:-}" ]; then
	for only in $ARAS_LAB_ONLY; do
		case $only in
		lifecycle | disk | steal | rules | envelope | devices | vmmib | manage | ha) . "$HERE/$only.sh" ;;
		*) abort "ARAS_LAB_ONLY: no scenario file $only.sh" ;;
		esac
	done
	exit 0
fi

# ======================================================= R1: automatic
arasd_run "policy automatic" "hostCpuHigh 100"
is "arasPollInterval 2" "$(sget "$CFG.19.0")" 2
is "host B idle: arasHostCpuUsage.2 = 0" "$(hget "$H_CPU" 2)" 0

# ---------------------------------------------------------------- S1 cpu
echo "# --- S1 cpu: hot-add a vCPU"
boot cpu1 A cpu 1 4 256 1024 || abort "boot cpu1 on A"
settled cpu1 || not_ok "cpu1 balloon settles"
wait_for 20 vge cpu1 $V_CPU 60 || not_ok "arasd sees cpu1 busy (arasVmCpuUsage $(vget cpu1 $V_CPU))"
rate cpu1 iters 6 || abort "heartbeats of cpu1"
r1=$RATE
fig "S1 cpu1 1 vCPU: iter_per_s" "$r1 (arasVmCpuUsage $(vget cpu1 $V_CPU) %)"
mark=$(mark_traps)
t_set=$(now)
sset "$C_CPU" u 80 >/dev/null || not_ok "snmpset arasCpuThreshold 80"
if wait_for 40 has_trap "$mark" $N_BREACH cpu1; then
	t_breach=$(now)
	ok "arasSlaBreach for cpu1 (cpu >= 80 % for the hold time)"
else
	t_breach=$(now)
	not_ok "no arasSlaBreach for cpu1"
fi
if wait_for 40 vis cpu1 $V_VCPUS 2; then
	t_done=$(now)
	ok "arasd hot-added a vCPU: arasVmVcpus.cpu1 = 2"
	fig "S1 hold-to-action" "SET->breach $(dt "$t_set" "$t_breach") s, breach->vCPU added $(dt "$t_breach" "$t_done") s, SET->vCPU added $(dt "$t_set" "$t_done") s (holdTime 6 s, poll 2 s)"
else
	not_ok "arasVmVcpus.cpu1 = $(vget cpu1 $V_VCPUS), want 2"
fi
check "arasActionDone for cpu1" wait_for 10 has_trap "$mark" $N_DONE cpu1
read -r idx kind st origin <<<"$(actions cpu1 | head -n 1)"
is "cpu1 action: addVcpu(1) succeeded(5) origin controller(1)" "${kind:-} ${st:-} ${origin:-}" "1 5 1"
is "virsh vcpucount cpu1 (live) = 2" "$(vsh A vcpucount cpu1 --live --active 2>/dev/null)" 2
if hb_wait cpu1 15 'cpus == "0-1"' >/dev/null; then
	ok "cpu1's guest onlined CPU 1 (cpus=0-1)"
else
	not_ok "cpu1's guest shows cpus=$(hb_field cpu1 cpus)"
fi
# other jobs on this 2-core machine can take the second core for a while:
# up to three windows, the best one counts; the vCPUs' host CPU time tells
# whether the guest got the core at all
tries=
got_max=0
for i in 1 2 3; do
	c0=$(vcpu_ns A cpu1) t0=$(now)
	rate cpu1 iters 6 || { not_ok "heartbeats of cpu1 after the hot-add"; break; }
	c1=$(vcpu_ns A cpu1) t1=$(now)
	r2=$RATE
	ratio=$(fdiv "$r2" "$r1")
	got=$(awk -v a="$c0" -v b="$c1" -v s="$t0" -v e="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 / (e - s) }')
	fge "$got" "$got_max" && got_max=$got
	tries="$tries x$ratio (vCPUs got $got CPUs)"
	fge "$ratio" 1.3 && break
done
fig "S1 cpu1 2 vCPUs: iter_per_s" "$r2 (x$ratio; windows:$tries)"
if fge "$ratio" 1.3; then
	ok "cpu1 throughput rose x$ratio with the second vCPU"
elif ! fge "$got_max" 1.6; then
	# the guest's two vCPUs never got two host CPUs: other jobs on the box
	ok "cpu1 throughput x$ratio # SKIP not measurable: its vCPUs got at most $got_max host CPUs (other load on the 2 cores)"
else
	not_ok "cpu1 throughput only x$ratio with the second vCPU although its vCPUs got $got_max host CPUs (want >= 1.3)"
fi
sset "$C_CPU" u 0 >/dev/null
destroy cpu1

# ------------------------------------------------------------ S2 memory
echo "# --- S2 memory: grow the balloon"
# FILL 64 MiB: the guest boots with all 1 GiB and the balloon takes it
# down to 256 MiB a moment later; a larger fill written meanwhile can
# leave the guest deadlocked on memory (OOM panic)
boot mem1 A mem 1 2 256 1024 0 64 || abort "boot mem1 on A"
settled mem1 || not_ok "mem1 balloon settles"
wait_for 20 vis mem1 $V_MEMSRC 1 || not_ok "arasVmMemSource.mem1 = guest(1) (balloon statistics)"
wait_for 20 vge mem1 $V_MEMUSE 50 || not_ok "mem1 fills its memory (arasVmMemUsage $(vget mem1 $V_MEMUSE))"
rate mem1 mb 6 || abort "heartbeats of mem1"
mb1=$RATE
m0=$(hb_field mem1 memtotal_kb)
u=100
for i in 1 2 3; do
	wait_polls 1
	v=$(vget mem1 $V_MEMUSE) && [ "$v" -lt "$u" ] && u=$v
done
thr=$((u - 8))
[ $thr -ge 20 ] || thr=20
fig "S2 mem1 before" "memtotal_kb $m0, mb_per_s $mb1, arasVmMemUsage min $u % -> arasMemThreshold $thr"
mark=$(mark_traps)
t_set=$(now)
sset "$C_MEM" u $thr >/dev/null || not_ok "snmpset arasMemThreshold $thr"
wait_for 40 has_trap "$mark" $N_BREACH mem1 && t_breach=$(now) || t_breach=$(now)
if wait_for 40 vis mem1 $V_MEMCUR 524288; then
	t_done=$(now)
	ok "arasd grew mem1's balloon by memStep: arasVmMemCurrent 262144 -> 524288 KiB"
	fig "S2 hold-to-action" "SET->breach $(dt "$t_set" "$t_breach") s, breach->balloon grown $(dt "$t_breach" "$t_done") s, SET->grown $(dt "$t_set" "$t_done") s"
else
	not_ok "arasVmMemCurrent.mem1 = $(vget mem1 $V_MEMCUR), want 524288"
fi
check "arasActionDone for mem1" wait_for 10 has_trap "$mark" $N_DONE mem1
read -r idx kind st origin <<<"$(actions mem1 | head -n 1)"
is "mem1 action: growMemory(2) succeeded(5)" "${kind:-} ${st:-}" "2 5"
is "libvirt balloon.current of mem1" "$(vsh A domstats mem1 --balloon | sed -n 's/^ *balloon.current=//p')" 524288
if l=$(hb_wait mem1 20 "memtotal_kb >= $m0 + 200000"); then
	ok "mem1's guest MemTotal $m0 -> $(hb_field mem1 memtotal_kb "$l") kB"
else
	not_ok "mem1's guest MemTotal stayed at $(hb_field mem1 memtotal_kb) kB"
fi
rate mem1 mb 6
fig "S2 mem1 after" "memtotal_kb $(hb_field mem1 memtotal_kb), mb_per_s $RATE (before $mb1)"
sset "$C_MEM" u 0 >/dev/null

# ----------------------------------------------------------- S4 no room
echo "# --- S4 no room: host A above hostCpuHigh, the CPU-bound guest moves"
# cpu2 boots while mem1 (busy, in its cooldown) keeps host A's CPU up; it
# is opted out until its baseline is measured
bash "$HERE/guest.sh" cpu2 A cpu 1 4 256 1024 >>"$T/guests.log" 2>&1 &
gpid=$!
wait_for 30 vsh A domuuid cpu2 || abort "cpu2 defined on A"
VOID[cpu2]=$(uuid_oid "$(vsh A domuuid cpu2)")
wait_for 20 vis cpu2 $V_NAME '"cpu2"' || not_ok "arasd lists cpu2"
sset "$VM_ENTRY.$V_OPTOUT.${VOID[cpu2]}" i 1 >/dev/null || not_ok "snmpset arasVmAllocOptOut.cpu2 = true"
wait "$gpid" || abort "boot cpu2 on A"
settled cpu2 || not_ok "cpu2 balloon settles"
wait_for 20 vge cpu2 $V_CPU 50 || not_ok "arasd sees cpu2 busy"
rate cpu2 iters 6 || abort "heartbeats of cpu2"
c1=$RATE
hcpu=$(hget "$H_CPU" 1)
fig "S4 cpu2 on A (shared with mem1): iter_per_s" "$c1; arasHostCpuUsage A $hcpu %, B $(hget "$H_CPU" 2) %"
mark=$(mark_traps)
hb0=$(hb_field cpu2 hb)
lat_start s4 "$VM_ENTRY.$V_CPU.${VOID[cpu2]}" "$H_STATE.2" "$STATUS_OID.3.0"
mono_start s4 "$VM_ENTRY.$V_CPUTIME.${VOID[cpu2]}"
t_set=$(now)
lmark=$(log_mark)
# hostCpuHigh 60: a held host sheds from 5 points over it (ARAS_CTL_SHED_ABOVE),
# and host A's two TCG guests give it anything from 72 to 100 %; at 70 a
# slower machine kept it under 75 for the whole minute (CI, stop 26)
sset "$C_HOSTCPU" u 60 "$C_CPU" u 80 "$VM_ENTRY.$V_OPTOUT.${VOID[cpu2]}" i 2 >/dev/null ||
	not_ok "snmpset arasHostCpuHigh 60, arasCpuThreshold 80, optOut false"
if wait_migration cpu2 60; then
	t_done=$(now)
	ok "arasd migrated cpu2 to B instead of adding a vCPU"
	fig "S4 hold-to-action" "SET->migration done $(dt "$t_set" "$t_done") s; migration $MIG_S s over SNMP; $(jobtime B cpu2)"
else
	not_ok "cpu2 migration (action ${MIG_IDX:-none}, state $(sget "$ACT.7.${MIG_IDX:-0}" 2>/dev/null))"
	echo "# S4 arasHostCpuUsage A $(hget "$H_CPU" 1) %, B $(hget "$H_CPU" 2) %; arasVmCpuUsage cpu2 $(vget cpu2 $V_CPU) %, mem1 $(vget mem1 $V_CPU) %"
	log_since "$lmark"
fi
lat_stop s4
fig "S4 SNMP GET latency during the migration" "$LAT"
[ "$LAT_BAD" = 0 ] && ok "SNMP GETs answered throughout cpu2's migration (max ${LAT_MAX} ms)" ||
	not_ok "SNMP GETs during cpu2's migration: $LAT"
check "cpu2 runs on B only (virsh)" only_on cpu2 B
is "arasVmHostIndex.cpu2 = 2" "$(vget cpu2 $V_HOST)" 2
is "cpu2 kept 1 vCPU (virsh)" "$(vsh B vcpucount cpu2 --live --active 2>/dev/null)" 1
reason=$(sget "$ACT.8.${MIG_IDX:-0}" 2>/dev/null)
echo "# S4 reason: $reason"
check "reason: host A cpu at or above 60 %" grep -qE "cpu [0-9]+% >= 60%|at or above 60%" <<<"$reason"
is "no addVcpu action for cpu2" "$(actions cpu2 | awk '$2 == 1' | wc -l)" 0
check "arasActionDone for cpu2's migration" wait_for 10 has_trap "$mark" $N_DONE cpu2
if l=$(hb_wait cpu2 20 "hb > $hb0 + 3"); then
	ok "cpu2's heartbeat goes on from B (up=$(hb_field cpu2 up "$l"))"
else
	not_ok "cpu2's heartbeat stopped"
fi
post_migration cpu2 "${MIG_MARK:-$mark}" 2 "${MIG_FIRING:-0}"
counters_forward s4 arasVmCpuTime.cpu2
rate cpu2 iters 6
fig "S4 cpu2 on B: iter_per_s" "$RATE (on A $c1, x$(fdiv "$RATE" "$c1"))"
t_moved=$(now)
# back to 70 for what follows (B keeps cpu2's 50 % and takes A's idle guests in S5)
sset "$C_HOSTCPU" u 70 >/dev/null || not_ok "snmpset arasHostCpuHigh 70"
# free host A: mem1 goes; two idle guests for S5 and S7 meanwhile
destroy mem1

# ---------------------------------------------------------- S5 maintenance
echo "# --- S5 maintenance on A (while cpu2 sits on B)"
boot idle1 A idle 1 2 256 1024 &
p1=$!
boot idle2 A idle 1 2 256 1024 &
wait "$p1" $!
[ -n "${VOID[idle1]:-}" ] || VOID[idle1]=$(uuid_oid "$(vsh A domuuid idle1)")
[ -n "${VOID[idle2]:-}" ] || VOID[idle2]=$(uuid_oid "$(vsh A domuuid idle2)")
on_host idle1 A && on_host idle2 A || abort "boot idle1, idle2 on A"
settled idle1
settled idle2
wait_for 20 vis idle1 $V_STATE 1 && wait_for 20 vis idle2 $V_STATE 1 ||
	not_ok "arasd lists idle1 and idle2 running"
mark=$(mark_traps)
lmark=$(log_mark)
t=$(now)
sset "$H_MAINT.1" i 1 >/dev/null || not_ok "snmpset arasHostMaintenance.1 = true"
is "arasHostState.1 = maintenance(3)" "$(hget "$H_STATE" 1)" 3
if wait_for 90 all_on B idle1 idle2; then
	ok "maintenance: idle1 and idle2 evacuated to B in $(since "$t") s"
else
	not_ok "maintenance: idle1 on $(where idle1), idle2 on $(where idle2)"
	log_since "$lmark"
fi
is "both evacuations have origin maintenance(3)" "$(actions idle1 | awk '$2 == 5 { print $4; exit }')$(actions idle2 | awk '$2 == 5 { print $4; exit }')" 33
wait_for 10 none_running
post_migration idle1 "$mark"
t=$(now)
sset "$H_MAINT.1" i 2 >/dev/null || not_ok "snmpset arasHostMaintenance.1 = false"
is "arasHostState.1 = up(1)" "$(hget "$H_STATE" 1)" 1
if wait_for 90 all_on A idle1 idle2; then
	ok "maintenance off: idle1 and idle2 back on A in $(since "$t") s"
else
	not_ok "maintenance off: idle1 on $(where idle1), idle2 on $(where idle2)"
fi
wait_for 10 none_running
is "each idle guest migrated twice (out and back)" "$(migrations idle1) $(migrations idle2)" "2 2"
is "no arasActionFailed during the maintenance" "$(traps_since "$mark" $N_FAILED idle1) $(traps_since "$mark" $N_FAILED idle2)" "0 0"
check "cpu2 stayed on B through the maintenance" only_on cpu2 B
hb_wait idle2 15 "hb > $(hb_field idle2 hb)" >/dev/null && ok "idle2's heartbeat goes on after two moves" ||
	not_ok "idle2's heartbeat stopped"

# ------------------------------------------------------------- S7 manual
echo "# --- S7 manual order: arasVmMigrateTo"
mark=$(mark_traps)
hb0=$(hb_field idle1 hb)
up0=$(hb_field idle1 up)
t=$(now)
sset "$VM_ENTRY.$V_MIGTO.${VOID[idle1]}" u 2 >/dev/null || not_ok "snmpset arasVmMigrateTo.idle1 = 2"
if wait_for 60 only_on idle1 B; then
	ok "arasVmMigrateTo: virsh shows idle1 on B only ($(since "$t") s; $(jobtime B idle1))"
else
	not_ok "arasVmMigrateTo: idle1 on $(where idle1)"
fi
idx=$(actions idle1 | awk '$2 == 5 { i = $1 } END { print i }')
wait_for 10 act_is "${idx:-0}" 5
is "order: migrate succeeded(5), origin operator(2)" "$(sget "$ACT.7.$idx") $(sget "$ACT.12.$idx")" "5 2"
if l=$(hb_wait idle1 20 "hb > $hb0 + 1 && up > $up0"); then
	ok "idle1's heartbeat goes on from B (hb $hb0 -> $(hb_field idle1 hb "$l"))"
else
	not_ok "idle1's heartbeat stopped after the order"
fi
post_migration idle1 "$mark"

# ------------------------------------------------ S4 (end): no ping-pong
left=$((120 - $(date +%s) + ${t_moved%.*}))
if [ $left -gt 0 ]; then
	echo "# S4: watching cpu2 for $left more s (2 minutes after its move)"
	end=$(($(date +%s) + left))
	while [ "$(date +%s)" -lt $end ] && on_host cpu2 B; do
		sleep 5
	done
fi
is "S4 no ping-pong: cpu2 migrated exactly once in $(since "$t_moved") s" "$(migrations cpu2)" 1
check "S4 cpu2 still on B" only_on cpu2 B

# =================================================== R2: semiAutomatic
echo "# --- S6 semiAutomatic: a proposal waits for approval"
destroy idle1 idle2
# the proposal may come while the baseline is measured: mark before arasd starts
mark=$(mark_traps)
t=$(now)
arasd_run "policy semiAutomatic" "cpuThreshold 80" "hostCpuHigh 80"
rate cpu2 iters 6
c1=$RATE
if wait_for 40 action_where cpu2 1 1; then
	pidx=$(action_where cpu2 1 1)
	ok "proposal for cpu2: addVcpu(1) in state proposed(1) by $(since "$t") s after arasd's start (holdTime 6 s)"
	echo "# S6 reason: $(sget "$ACT.8.$pidx")"
else
	pidx=0
	not_ok "no addVcpu proposal for cpu2 ($(actions cpu2 | tr '\n' ';'))"
fi
check "arasActionProposed for cpu2" wait_for 10 has_trap "$mark" $N_PROPOSED cpu2
wait_polls 3
is "nothing changes before approval: cpu2 still 1 vCPU (virsh)" "$(vsh B vcpucount cpu2 --live --active 2>/dev/null)" 1
is "still proposed(1), one action" "$(sget "$ACT.7.$pidx") $(actions cpu2 | wc -l)" "1 1"
t=$(now)
check "approve by snmpset arasActionState = approved(2)" sset "$ACT.7.$pidx" i 2
if wait_for 30 vcpus_are B cpu2 2; then
	ok "approved: cpu2 got its vCPU after $(since "$t") s"
else
	not_ok "approved, but cpu2 still has $(vsh B vcpucount cpu2 --live --active) vCPU"
fi
check "approved action succeeded(5)" wait_for 10 act_is "$pidx" 5
check "arasActionDone for cpu2's vCPU" wait_for 10 has_trap "$mark" $N_DONE cpu2
hb_wait cpu2 15 'cpus == "0-1"' >/dev/null
rate cpu2 iters 6
fig "S6 cpu2 iter_per_s" "1 vCPU $c1 -> 2 vCPUs $RATE (x$(fdiv "$RATE" "$c1"))"
destroy cpu2

# ================================================ R3, R4: failure (S8), disk contention (S3)
. "$HERE/disk.sh"

# ================================================ R5: life cycle (S10)
. "$HERE/lifecycle.sh"

# ================================================ R6: steal (S11)
. "$HERE/steal.sh"

# ================================================ R7: placement rules (S12)
. "$HERE/rules.sh"

# ================================================ R8: migration envelope (S13)
. "$HERE/envelope.sh"

# ================================================ R9: per-device tables (S14)
. "$HERE/devices.sh"

# ================================================ R10: VM-MIB in each host's context (S15)
. "$HERE/vmmib.sh"

# ================================================ R11: managing VMs (S16)
. "$HERE/manage.sh"

# ================================================ R12: HA, takeovers during migrations (S17)
. "$HERE/ha.sh"
exit 0
