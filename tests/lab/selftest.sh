#!/bin/bash
# tests/lab/selftest.sh - prove the lab works end to end, with timings:
#   1. setup.sh (both hosts);
#   2. memory: a mem-load guest on A, `virsh setmem --live` 256 -> 768 MiB,
#      the guest's MemTotal must rise;
#   3. CPU: a cpu-load guest with 1 of 4 vCPUs (and a 16 MiB disk) on A,
#      iter_per_s measured, `virsh setvcpus --live` to 2, measured again;
#      prints the ratio next to the ratio of host CPU time its vCPUs got;
#   4. live migration of that guest A -> B and back (`--live --p2p
#      --persistent --undefinesource`, destination = the other host's full
#      socket URI, data over a unix:// socket): the heartbeat must go on with
#      the guest's uptime, on a new QEMU process with a new domain ID;
#   5. life cycle by virsh on an idle guest (on_reboot=restart): suspend
#      (the heartbeat stops), resume and managedsave + start (the counter
#      goes on), reboot and shutdown (ACPI power button: the guest prints
#      "ARAS acpi: power button" and powers off; a reboot boots afresh);
#   6. teardown.sh (pass --purge to remove $LAB as well).
# Prints "ok - ..."/"not ok - ..." lines and "# ..." figures; exits 1 on any
# failure (after tearing down, unless ARAS_LAB_KEEP=1).
# Usage: tests/lab/selftest.sh [--purge]
set -u
. "$(dirname "$0")/lib.sh"
PURGE=
[ "${1:-}" = --purge ] && PURGE=--purge
T_ALL=$(now)
FAILS=0
TIMINGS=()
ok() { echo "ok - $*"; }
not_ok() {
	echo "not ok - $*"
	FAILS=$((FAILS + 1))
}
timing() {
	TIMINGS+=("$(printf '%-44s %6s s' "$1" "$2")")
	echo "# $1: $2 s"
}
fdiv() { awk -v a="$1" -v b="$2" -v f="${3:-%.2f}" 'BEGIN { if (b == 0) print "inf"; else printf f, a / b }'; }
fge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }
finish() {
	local rc=$1 t
	if [ "$rc" != 0 ] && [ "${ARAS_LAB_KEEP:-0}" = 1 ]; then
		echo "# ARAS_LAB_KEEP=1: lab left running in $LAB"
	else
		t=$(now)
		if bash "$LAB_DIR/teardown.sh" $PURGE; then
			ok "teardown"
		else
			not_ok "teardown"
			rc=1
		fi
		timing "teardown" "$(since "$t")"
	fi
	echo "# timings"
	printf '#   %s\n' "${TIMINGS[@]}"
	echo "# total $(since "$T_ALL") s, $FAILS failed"
	[ "$FAILS" = 0 ] && [ "$rc" = 0 ] && exit 0
	exit 1
}
# abort: the rest of the test cannot run
abort() {
	not_ok "$*"
	for f in "$LAB"/log/libvirtd-[AB].log; do
		[ -f "$f" ] && echo "# --- tail $f" && tail -n 5 "$f" | sed 's/^/#   /'
	done
	finish 1
}

# hb_wait NAME TIMEOUT AWK-CONDITION: wait for a heartbeat whose fields
# (awk variables hb, iters, up, ...; cpus as a string) satisfy the
# condition; prints that line.
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
		[ $(($(date +%s%N) / 1000000)) -lt $end ] || return 1
		sleep 0.1
	done
}

# "TIME DEMAND" of a guest's vCPUs, in ns: vcpu.N.time summed (host CPU its
# vCPU threads got) and vcpu.N.time + vcpu.N.delay summed (time they were
# running or runnable, waiting for a host CPU): a busy vCPU demands a whole
# CPU even on a host too busy to give it one.
vcpu_ns() {
	vsh "$1" domstats "$2" --vcpu |
		awk -F= '/vcpu\.[0-9]+\.time=/ { t += $2 } /vcpu\.[0-9]+\.delay=/ { d += $2 }
			END { printf "%.0f %.0f", t, t + d }'
}

# measure HOST NAME SECONDS: sets RATE (iterations/s over a window of at
# least SECONDS guest seconds, between two heartbeats), CPU (host CPUs'
# worth of time its vCPUs got over the same window) and DEMAND (vCPUs that
# were busy, whether the host ran them or not).
measure() {
	local X=$1 n=$2 s=$3 l0 l1 hb0 c0 c1 t0 t1
	hb0=$(hb_field "$n" hb)
	l0=$(hb_wait "$n" 10 "hb > $hb0") || return 1
	c0=$(vcpu_ns "$X" "$n") t0=$(now)
	l1=$(hb_wait "$n" $((s + 10)) "up >= $(hb_field "$n" up "$l0") + $s") || return 1
	c1=$(vcpu_ns "$X" "$n") t1=$(now)
	RATE=$(fdiv "$(($(hb_field "$n" iters "$l1") - $(hb_field "$n" iters "$l0")))" \
		"$(awk -v a="$(hb_field "$n" up "$l1")" -v b="$(hb_field "$n" up "$l0")" 'BEGIN { print a - b }')" %.0f)
	read -r CPU DEMAND < <(awk -v c0="$c0" -v c1="$c1" -v a="$t0" -v b="$t1" 'BEGIN {
		split(c0, x, " "); split(c1, y, " ")
		printf "%.2f %.2f\n", (y[1] - x[1]) / 1e9 / (b - a), (y[2] - x[2]) / 1e9 / (b - a) }')
}

qemu_pid() { cat "$LAB/host$1/run/qemu/$2.pid" 2>/dev/null; }

# migrate NAME FROM TO: live p2p migration, checked from the guest's side
migrate() {
	local n=$1 S=$2 D=$3 id0 id1 p0 p1 hb1 up0 line t dt sock
	id0=$(vsh "$S" domid "$n") p0=$(qemu_pid "$S" "$n")
	up0=$(hb_field "$n" up)
	sock=$LAB/run/mig-$n.sock
	rm -f "$sock"
	t=$(now)
	# --unsafe: a raw disk image on a local file system is shared storage here
	# (both "hosts" are this machine); without it libvirt refuses (lab.md).
	if ! vsh "$S" migrate --live --p2p --persistent --undefinesource $UNSAFE \
		"$n" "$(host_uri "$D")" "unix://$sock"; then
		not_ok "migrate $n $S -> $D"
		return 1
	fi
	dt=$(since "$t")
	timing "live migration $S -> $D" "$dt"
	id1=$(vsh "$D" domid "$n") p1=$(qemu_pid "$D" "$n")
	[ -n "$p1" ] && pid_record "qemu-$n" "$p1"
	if [ "$(vsh "$D" domstate "$n")" = running ] && ! vsh "$S" domstate "$n" >/dev/null 2>&1; then
		ok "migrate $n $S -> $D in $dt s: running on $D, gone from $S"
	else
		not_ok "migrate $n $S -> $D: not running on $D only"
	fi
	if [ -n "$id1" ] && [ "$id1" != "$id0" ] && [ -n "$p1" ] && [ "$p1" != "$p0" ]; then
		ok "domain ID $id0 -> $id1, QEMU PID $p0 -> $p1"
	else
		not_ok "domain ID '$id0' -> '$id1', QEMU PID '$p0' -> '$p1': expected both to change"
	fi
	# downtime etc. as the destination saw the incoming migration
	echo "# $(vsh "$D" domjobinfo --completed "$n" 2>/dev/null |
		awk -F: '/^(Time elapsed|Total downtime|Memory processed):/ { gsub(/ +/, " "); printf "%s:%s; ", $1, $2 }')"
	# the next heartbeat comes from the destination's QEMU; the guest's
	# uptime and counters go on
	hb1=$(hb_field "$n" hb)
	t=$(now)
	if line=$(hb_wait "$n" 15 "hb > $hb1 && up > $up0"); then
		ok "heartbeat goes on from $D (next one after $(since "$t") s): $line"
	else
		not_ok "no heartbeat after migration to $D: $(hb_lines "$n" | tail -n 1)"
	fi
}

echo "# lab selftest in $LAB"
# ---------------------------------------------------------------- setup
t=$(now)
bash "$LAB_DIR/setup.sh" >/dev/null || abort "setup.sh"
timing "setup.sh" "$(since "$t")"
ok "setup: host A and host B answer"
. "$LAB/env"
# left over by an earlier run kept with ARAS_LAB_KEEP=1
for g in gmem gcpu gpow; do
	bash "$LAB_DIR/guest.sh" --destroy "$g" 2>/dev/null
done

# --------------------------------------------------------------- memory
t=$(now)
bash "$LAB_DIR/guest.sh" gmem A mem 1 2 256 1024 0 160 >/dev/null || abort "start mem guest on A"
timing "boot mem guest on A (to first heartbeat)" "$(since "$t")"
# the balloon deflates to 256 MiB a moment after boot: wait for that
hb_wait gmem 20 "memtotal_kb < 300000" >/dev/null || abort "balloon of gmem never reached 256 MiB"
l0=$(hb_wait gmem 5 "hb > $(hb_field gmem hb)") || abort "no heartbeat from gmem"
m0=$(hb_field gmem memtotal_kb "$l0")
t=$(now)
vsh A setmem gmem 768M --live || abort "virsh setmem gmem 768M --live"
timing "virsh setmem --live 256 -> 768 MiB" "$(since "$t")"
if l1=$(hb_wait gmem 20 "memtotal_kb >= $m0 + 400000"); then
	timing "  guest MemTotal up" "$(since "$t")"
	ok "setmem: guest MemTotal $m0 -> $(hb_field gmem memtotal_kb "$l1") kB (mem load wrote $(hb_field gmem mb "$l1") MiB, $(hb_field gmem mb_per_s "$l1") MiB/s)"
	b=$(vsh A domstats gmem --balloon | sed -n 's/^ *balloon.current=//p')
	[ "$b" = 786432 ] && ok "libvirt balloon.current=$b KiB" || not_ok "libvirt balloon.current=$b, expected 786432"
else
	not_ok "setmem: guest MemTotal stayed at $(hb_field gmem memtotal_kb) kB"
fi
bash "$LAB_DIR/guest.sh" --destroy gmem 2>/dev/null || not_ok "destroy gmem"

# ------------------------------------------------------------------ CPU
t=$(now)
bash "$LAB_DIR/guest.sh" gcpu A cpu 1 4 256 1024 16 >/dev/null || abort "start cpu guest on A"
timing "boot cpu guest on A (to first heartbeat)" "$(since "$t")"
hb_wait gcpu 15 "hb >= 2 && iters > 0" >/dev/null || abort "cpu load of gcpu does not run"
measure A gcpu 6 || abort "no heartbeats from gcpu"
r1=$RATE c1=$CPU
echo "# 1 vCPU: iter_per_s $r1, host CPU used by vCPUs $c1, busy vCPUs $DEMAND"
t=$(now)
vsh A setvcpus gcpu 2 --live || abort "virsh setvcpus gcpu 2 --live"
timing "virsh setvcpus --live 1 -> 2" "$(since "$t")"
if hb_wait gcpu 10 'cpus == "0-1"' >/dev/null; then
	timing "  guest sees cpus=0-1" "$(since "$t")"
	ok "setvcpus: guest onlined CPU 1"
else
	not_ok "setvcpus: guest shows cpus=$(hb_field gcpu cpus)"
fi
measure A gcpu 6 || abort "no heartbeats from gcpu"
r2=$RATE c2=$CPU
ratio=$(fdiv "$r2" "$r1")
cratio=$(fdiv "$c2" "$c1")
echo "# 2 vCPUs: iter_per_s $r2, host CPU used by vCPUs $c2, busy vCPUs $DEMAND"
if fge "$DEMAND" 1.7; then
	ok "both vCPUs busy (the guest runs a loop on its new CPU)"
else
	not_ok "only $DEMAND vCPUs busy after the hot-add"
fi
echo "# iter_per_s ratio 2/1 vCPUs: $ratio (host CPU time ratio $cratio)"
# The guest's throughput can only double if the host has a second idle
# core; on a busy host (other jobs, or this 2-core box's own QEMU threads)
# the vCPUs' host CPU time tells what the guest could get.
eff=$(fdiv "$ratio" "$cratio")
if fge "$ratio" 1.5; then
	ok "iter_per_s x$ratio with 2 vCPUs"
elif fge "$cratio" 1.5 && ! fge "$ratio" 1.3; then
	not_ok "iter_per_s only x$ratio although the vCPUs got x$cratio host CPU"
else
	ok "iter_per_s x$ratio with 2 vCPUs; host busy: the vCPUs got x$cratio host CPU time (iterations per CPU-second x$eff)"
fi

# ------------------------------------------------------------ migration
UNSAFE=--unsafe
migrate gcpu A B
[ "$(hb_field gcpu cpus)" = 0-1 ] && ok "2 vCPUs kept on B" || not_ok "vCPUs on B: $(hb_field gcpu cpus)"
migrate gcpu B A
bash "$LAB_DIR/guest.sh" --destroy gcpu 2>/dev/null || not_ok "destroy gcpu"

# ----------------------------------------------------- life cycle (virsh)
ARAS_GUEST_ON_REBOOT=restart bash "$LAB_DIR/guest.sh" gpow A idle 1 2 256 1024 >/dev/null || abort "start idle guest on A"
hb_wait gpow 20 "hb >= 2" >/dev/null || abort "no heartbeats from gpow"
presses() { tr -d '\r' <"$LAB/run/gpow.console" | grep -c '^ARAS acpi: power button'; }
vsh A suspend gpow >/dev/null || not_ok "virsh suspend gpow"
h0=$(hb_field gpow hb)
sleep 5
h1=$(hb_field gpow hb)
vsh A resume gpow >/dev/null || not_ok "virsh resume gpow"
if [ "$h1" = "$h0" ] && l=$(hb_wait gpow 10 "hb > $h0") && [ "$(hb_field gpow hb "$l")" = $((h0 + 1)) ]; then
	ok "suspend: heartbeat stopped at hb=$h0 for 5 s; resume: it goes on (hb=$((h0 + 1)))"
else
	not_ok "suspend/resume: hb $h0, after 5 s paused $h1, after resume $(hb_field gpow hb)"
fi
h0=$(hb_field gpow hb)
t=$(now)
vsh A managedsave gpow >/dev/null || not_ok "virsh managedsave gpow"
timing "virsh managedsave (idle guest, 256 MiB)" "$(since "$t")"
t=$(now)
vsh A start gpow >/dev/null || not_ok "virsh start gpow (restore)"
timing "virsh start (restore)" "$(since "$t")"
if l=$(hb_wait gpow 10 "hb > $h0") && [ "$(hb_field gpow hb "$l")" = $((h0 + 1)) ]; then
	ok "managedsave + start: $(vsh A domstate gpow --reason), heartbeat goes on (hb $h0 -> $((h0 + 1)))"
else
	not_ok "managedsave + start: $(vsh A domstate gpow --reason), hb $h0 -> $(hb_field gpow hb)"
fi
p0=$(presses)
n0=$(hb_lines gpow | wc -l)
t=$(now)
vsh A reboot gpow >/dev/null || not_ok "virsh reboot gpow"
if wait_for 60 eval 'hb_lines gpow | tail -n +$((n0 + 1)) | grep -q "^ARAS hb=1 "'; then
	timing "virsh reboot -> first heartbeat" "$(since "$t")"
	[ "$(presses)" = $((p0 + 1)) ] && ok "reboot: ACPI power button, fresh boot (hb=1)" ||
		not_ok "reboot: booted afresh, but the guest saw $(($(presses) - p0)) power button presses"
else
	not_ok "reboot: no fresh boot of gpow ($(vsh A domstate gpow --reason))"
fi
hb_wait gpow 20 "hb >= 2" >/dev/null
p0=$(presses)
t=$(now)
vsh A shutdown gpow >/dev/null || not_ok "virsh shutdown gpow"
if wait_for 60 eval '[ "$(vsh A domstate gpow --reason)" = "shut off (shutdown)" ]'; then
	timing "virsh shutdown (ACPI) -> shut off" "$(since "$t")"
	[ "$(presses)" = $((p0 + 1)) ] && ok "shutdown: ACPI power button, shut off (shutdown)" ||
		not_ok "shutdown: shut off without the guest's power button line"
else
	not_ok "shutdown: gpow is $(vsh A domstate gpow --reason) after 60 s"
fi
bash "$LAB_DIR/guest.sh" --destroy gpow 2>/dev/null || not_ok "destroy gpow"

finish 0
