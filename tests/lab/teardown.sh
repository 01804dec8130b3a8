#!/bin/bash
# tests/lab/teardown.sh - stop the lab started by setup.sh; safe to re-run.
#   1. destroys and undefines every guest of both lab hosts;
#   2. stops both libvirtds by their recorded PIDs (TERM, wait, KILL), and
#      any QEMU left behind, by the PIDs libvirt recorded under $LAB;
#   3. removes the /run/libvirt symlinks and the aras-labA/B cgroups it made;
#   4. verifies that no lab libvirtd/QEMU process, mount namespace, cgroup or
#      symlink is left (exit 1 otherwise).
# Keeps $LAB (kernel, initramfs, images, logs, console files) unless --purge.
# Usage: tests/lab/teardown.sh [--purge]
set -u
. "$(dirname "$0")/lib.sh"
PURGE=0
case ${1:-} in
--purge) PURGE=1 ;;
"") ;;
*)
	echo "usage: $0 [--purge]" >&2
	exit 2
	;;
esac
T0=$(now)
if [ ! -f "$LAB/.aras-lab" ]; then
	log "no lab in $LAB, nothing to do"
	exit 0
fi
FAIL=0
bad() {
	log "error: $*"
	FAIL=1
}

# ---------------------------------------------------------------- guests
# (in parallel: `virsh destroy` of a TCG guest takes ~2 s)
remove_guest() { # X NAME
	if [ "$(vsh "$1" domstate "$2" 2>/dev/null)" != "shut off" ]; then
		vsh "$1" destroy "$2" >/dev/null 2>&1 || log "error: destroy $2 on host $1 failed"
	fi
	vsh "$1" undefine "$2" >/dev/null 2>&1 || log "error: undefine $2 on host $1 failed"
	log "guest $2 removed from host $1"
}
for X in A B; do
	pid_of "libvirtd-$X" >/dev/null || continue
	for d in $(vsh "$X" list --all --name 2>/dev/null); do
		remove_guest "$X" "$d" &
		pid_forget "qemu-$d"
	done
done
wait
for X in A B; do
	pid_of "libvirtd-$X" >/dev/null || continue
	[ -z "$(vsh "$X" list --all --name 2>/dev/null)" ] || bad "host $X still has guests"
done

# stop_pid PID WHAT: TERM, up to 15 s for it to go, then KILL
stop_pid() {
	local p=$1 _
	kill -TERM "$p" 2>/dev/null || return 0
	for _ in $(seq 75); do
		kill -0 "$p" 2>/dev/null || return 0
		sleep 0.2
	done
	log "$2 (PID $p) ignored TERM for 15 s, sending KILL"
	kill -KILL "$p" 2>/dev/null
	sleep 0.5
}

# --------------------------------------------------------------- daemons
for X in A B; do
	if p=$(pid_of "libvirtd-$X"); then
		(stop_pid "$p" "libvirtd $X" && log "host $X: libvirtd PID $p stopped") &
	fi
done
wait
for X in A B; do
	pid_of "libvirtd-$X" >/dev/null && bad "libvirtd $X is still running"
	pid_forget "libvirtd-$X"
done
# QEMUs the daemons did not take down (e.g. a daemon that had died)
for p in $(lab_qemu_pids); do
	stop_pid "$p" "qemu"
	log "left-over QEMU PID $p stopped"
done
awk '$1 ~ /^qemu-/ { print $1 }' "$PIDS" 2>/dev/null | while read -r k; do pid_forget "$k"; done
rm -f "$LAB"/host[AB]/run/qemu/*.pid

# --------------------------------------------------- symlinks and cgroups
for s in libvirt-sock libvirt-sock-ro libvirt-admin-sock virtqemud-sock; do
	f=/run/libvirt/$s
	[ -L "$f" ] && [ "$(readlink "$f")" = "$LAB/hostA/sock/$s" ] && rm -f "$f"
done
rm -f "$LAB"/host[AB]/sock/*
if [ -f "$LAB/made-run-libvirt" ]; then
	rmdir /run/libvirt 2>/dev/null && rm -f "$LAB/made-run-libvirt"
fi
# the cgroups setup.sh made for each host (listed in hostX/cgroups); a
# cgroup directory goes with rmdir once it holds no task, deepest first
for X in A B; do
	[ -f "$LAB/host$X/cgroups" ] || continue
	while read -r m; do
		[ -d "$m/aras-lab$X" ] || continue
		find "$m/aras-lab$X" -depth -type d -exec rmdir {} \; 2>/dev/null
		[ -d "$m/aras-lab$X" ] && bad "cgroup $m/aras-lab$X is still in use"
	done <"$LAB/host$X/cgroups"
done

# ----------------------------------------------------------------- verify
left=$(lab_leftovers)
[ -z "$left" ] || bad "lab processes still running:
$left"
for X in A B; do
	[ -s "$LAB/host$X/mntns" ] || continue
	ns=$(cat "$LAB/host$X/mntns")
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/ns/mnt" 2>/dev/null)" = "$ns" ] && bad "host $X's mount namespace $ns is still used by PID ${p#/proc/}"
	done
	rm -f "$LAB/host$X/mntns"
done
for s in /run/libvirt/*; do
	case $(readlink "$s" 2>/dev/null) in "$LAB"/*) bad "symlink $s still points into $LAB" ;; esac
done
grep -q " ${LAB}[/ ]" /proc/self/mountinfo && bad "something is mounted under $LAB"

if [ $FAIL = 1 ]; then
	log "teardown incomplete ($(since "$T0") s)"
	exit 1
fi
if [ $PURGE = 1 ]; then
	rm -rf --one-file-system "$LAB" || bad "cannot remove $LAB"
	log "removed $LAB"
fi
log "teardown done in $(since "$T0") s"
exit $FAIL
