# tests/lab/lib.sh - shared by the lab scripts (setup, guest, heartbeat,
# teardown, selftest).  Source it; it sets LAB and the paths below and
# provides the PID bookkeeping.
#
# All lab state lives under one folder, LAB=${ARAS_LAB:-/tmp/aras-lab}:
#   pids            "KEY PID STARTTIME" per process the lab started (libvirtd-A,
#                   libvirtd-B, qemu-NAME); STARTTIME (field 22 of /proc/PID/stat)
#                   guards against a recycled PID
#   env             URI_A=, URI_B=, MIGRATE_URI_PREFIX= (shell assignments)
#   dl/ kernel/     the Debian cloud kernel .deb and its unpacked tree
#   guest/          vmlinuz + initrd.gz of the test guest
#   hostA/ hostB/   per host: sock/ (the libvirtd sockets), run/ lib/ log/ etc/
#                   (bind-mounted over /run/libvirt, /var/lib/libvirt,
#                   /var/log/libvirt, /etc/libvirt in the host's mount namespace)
#   cache/          shared libvirt cache (QEMU capabilities), over /var/cache/libvirt
#   run/            guest consoles (NAME.console) and migration sockets
#   img/            raw disk images, the same files for both hosts ("shared storage")
#   log/            setup, daemon and script logs
# Both libvirtds run in a private mount namespace; host B also in its own UTS
# namespace (hostname aras-hostb).  Each host's cgroups live under
# /sys/fs/cgroup/<ctrl>/aras-labA|aras-labB, bind-mounted over the controller
# root inside its namespace, so the two daemons never share machine/ groups.
# shellcheck disable=SC2034 # the variables are for the scripts sourcing this

LAB=${ARAS_LAB:-/tmp/aras-lab}
case $LAB in
/?*) ;;
*) echo "lab: ARAS_LAB must be an absolute path, not '$LAB'" >&2; exit 2 ;;
esac
LAB=${LAB%/}
LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PIDS=$LAB/pids
HOST_UUID_A=a0000000-0000-4000-8000-00000000000a
HOST_UUID_B=b0000000-0000-4000-8000-00000000000b
HOSTNAME_B=aras-hostb
URI_A="qemu+unix:///system?socket=$LAB/hostA/sock/libvirt-sock"
URI_B="qemu+unix:///system?socket=$LAB/hostB/sock/libvirt-sock"
# Controllers libvirt may use; memory is left out so QEMU stays in the
# caller's memory cgroup (on this box that is /process_api/..., not "/").
CGROUP_CONTROLLERS='"cpu", "devices", "blkio", "cpuset", "cpuacct"'
export LC_ALL=C

log() { echo "lab: $*" >&2; }
die() {
	echo "lab: error: $*" >&2
	exit 1
}
now() { date +%s.%N; }
# since T0: seconds elapsed, 1 decimal
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

host_uri() {
	case $1 in
	A) echo "$URI_A" ;;
	B) echo "$URI_B" ;;
	*) return 1 ;;
	esac
}

# virsh against a host (A|B), never hanging for ever.
vsh() {
	local h=$1
	shift
	timeout 120 virsh -q -c "$(host_uri "$h")" "$@"
}

# Process start time (clock ticks since boot); fails for a process that is
# gone or a zombie (a killed daemon stays one until PID 1 reaps it).
starttime() {
	local s
	s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	s=${s##*) } # fields after "(comm) "
	# shellcheck disable=SC2086
	set -- $s
	case $1 in Z | X | x) return 1 ;; esac
	echo "${20}" # field 22 overall = field 20 after pid and comm
}

# pid_record KEY PID: remember a process we started (replaces KEY).
# Guests boot in parallel (two guest.sh at once): every change of the pids
# file holds $PIDS.lock, else two rewrites through one temporary file could
# drop lines (a lost libvirtd-A made a booted guest look nowhere).
pid_record() {
	local st
	st=$(starttime "$2") || st=0
	(
		flock 9
		pids_drop "$1"
		echo "$1 $2 $st" >>"$PIDS"
	) 9>>"$PIDS.lock"
}

pid_forget() {
	[ -f "$PIDS" ] || return 0
	(
		flock 9
		pids_drop "$1"
	) 9>>"$PIDS.lock"
}

# pids_drop KEY: the pids file without KEY (the caller holds $PIDS.lock)
pids_drop() {
	[ -f "$PIDS" ] || return 0
	awk -v k="$1" '$1 != k' "$PIDS" >"$PIDS.new" && mv -f "$PIDS.new" "$PIDS"
}

# pid_of KEY: the recorded PID if that very process is still alive.
pid_of() {
	local k p st
	[ -f "$PIDS" ] || return 1
	while read -r k p st; do
		[ "$k" = "$1" ] || continue
		[ "$(starttime "$p")" = "$st" ] && echo "$p" && return 0
		return 1
	done <"$PIDS"
	return 1
}

# The lab's qemu processes as "PID" lines: from libvirt's own pid files in
# the hosts' run dirs and from the pids file, alive and with $LAB in argv.
lab_qemu_pids() {
	local f p
	{
		for f in "$LAB"/host[AB]/run/qemu/*.pid; do
			[ -f "$f" ] && cat "$f" && echo
		done
		awk '$1 ~ /^qemu-/ { print $2 }' "$PIDS" 2>/dev/null
	} | sort -un | while read -r p; do
		[ -n "$p" ] || continue
		tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline" | grep -q -- "$LAB/" && echo "$p"
	done
}

# Every live process whose argv or mount namespace ties it to this lab
# (used to verify teardown, never to pick processes to kill).
lab_leftovers() {
	local p c
	for p in /proc/[0-9]*; do
		p=${p#/proc/}
		c=$(tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline") || continue
		case $c in
		*libvirtd*"$LAB/"* | *qemu-system*"$LAB/"*) echo "$p $c" ;;
		esac
	done
}

# Mount points of the cgroup hierarchies: "DIR" per line.
cgroup_mounts() {
	awk '$3 == "cgroup" || $3 == "cgroup2" { print $2 }' /proc/self/mounts |
		grep '^/sys/fs/cgroup'
}

# Wait until CMD succeeds, polling every 0.2 s, for at most $1 seconds.
wait_for() {
	local t=$1 end
	shift
	end=$(($(date +%s%N) / 1000000 + t * 1000))
	until "$@" >/dev/null 2>&1; do
		[ $(($(date +%s%N) / 1000000)) -lt $end ] || return 1
		sleep 0.2
	done
}

# Heartbeats of a guest, one line each, \r stripped ("ARAS " prefix kept).
hb_lines() {
	tr -d '\r' 2>/dev/null <"$LAB/run/$1.console" | grep -a '^ARAS hb='
}

# hb_field NAME FIELD [LINE]: FIELD of the latest (or the given) heartbeat.
hb_field() {
	local line=${3:-}
	[ -n "$line" ] || line=$(hb_lines "$1" | tail -n 1)
	echo "$line" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# guest_fault NAME: the first line of the guest's console that says its
# kernel gave up or stalled (panic, soft lockup, RCU stall); fails if none
guest_fault() {
	tr -d '\r' <"$LAB/run/$1.console" 2>/dev/null | grep -av '^ARAS hb=' |
		grep -aEm1 'Kernel panic|soft lockup|rcu_sched self-detected stall|rcu: INFO: rcu_sched|Oops:|BUG: |general protection fault|invalid opcode:' |
		cut -c1-160 | grep .
}
# vcpu_runs X NAME: libvirt says it runs on X and its vCPUs used CPU time
# in the last 2 s (the guest executes, whatever its kernel then does)
vcpu_ms() { vsh "$1" domstats --cpu-total "$2" 2>/dev/null | awk -F= '/cpu.time=/ { print int($2 / 1000000) }'; }
vcpu_runs() {
	local c0 c1
	[ "$(vsh "$1" domstate "$2" 2>/dev/null | head -n 1)" = running ] || return 1
	c0=$(vcpu_ms "$1" "$2") && sleep 2 && c1=$(vcpu_ms "$1" "$2") || return 1
	[ -n "$c0" ] && [ -n "$c1" ] && [ "$c1" -gt "$c0" ] && echo $((c1 - c0))
}
