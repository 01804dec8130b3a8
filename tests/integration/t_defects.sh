#!/bin/bash
# Hostile input (issue #11, D3-D8): each case failed before its fix.
#  D3/D4 history traces that would size the replay beyond reason (timestamps
#        far apart, huge or negative HOST_INDEX): an error naming file:line
#  D5    nan/inf/1e300 in Bitbrains fields: refused, no undefined behaviour
#  D6    a host line with a 300-character name or a 1030-character URI:
#        refused by arasd -n, not cut short
#  D7    stateFile /dev/zero: refused at once
#  D8    65535 host lines: checked (duplicates too) within a CPU-time budget
#        (ulimit -t 5) that the quadratic check (11 CPU-s) exceeded
T_NAME=defects
. "$(dirname "$0")/../lib.sh"

REPLAY=${REPLAY:-$TOP/arasd-replay}
U=6a2e7c0e-1f3b-4b4e-9a51-0000000000a1
# replay_refuses DESC FILE PATTERN [ARGS]: exits 1 (not a signal), message matches
replay_refuses() {
	local d=$1 f=$2 pat=$3 rc
	shift 3
	timeout 60 "$REPLAY" --no-table "$@" "$f" >"$T/out" 2>"$T/err"
	rc=$?
	if [ $rc = 1 ] && grep -q -- "$pat" "$T/err"; then ok "$d"; else
		not_ok "$d (exit $rc: $(head -c 300 "$T/err"))"; fi
}

# D3: timestamps far apart (nvms * nsteps overflowed, heap overflow)
printf '0 1 %s 50 2 1048576 50 1\n1099511627775 1 %s 50 2 1048576 50 1\n' $U $U >"$T/far.hist"
replay_refuses "D3: timestamps 2^40 s apart -> file:line error" "$T/far.hist" "far.hist:2: T_UNIX"
printf '1000 1 %s 50 2 1048576 50 1\n1000000001000 1 %s 50 2 1048576 50 1\n' $U $U >"$T/far2.hist"
replay_refuses "D4: timestamps 1e12 s apart (3.3e9 steps) -> file:line error" "$T/far2.hist" "far2.hist:2: T_UNIX"
# D4: host indexes that size the cluster
for h in 4294967295 -1 1000000; do
	printf '1000 %s %s 50 2 1048576 50 1\n' "$h" $U >"$T/host.hist"
	replay_refuses "D4: HOST_INDEX $h -> file:line error" "$T/host.hist" "host.hist:1: .*bad HOST_INDEX" -f history
done
printf '1000 65535 %s 50 2 1048576 50 1\n' $U >"$T/host.hist"
replay_refuses "D4: HOST_INDEX 65535 would make 65535 hosts -> refused, says --hosts" "$T/host.hist" "give --hosts"
check "D4: with --hosts 2 the same trace replays" timeout 60 "$REPLAY" --no-table --hosts 2 "$T/host.hist"
printf '1000 1 %s 50 2 18446744073709551615 50 1\n' $U >"$T/mem.hist"
replay_refuses "D4: MEM_CUR_KIB 2^64-1 -> file:line error" "$T/mem.hist" "mem.hist:1: .*bad MEM_CUR_KIB" -f history
for v in inf nan 1e300; do
	printf '1000 1 %s %s 2 1048576 50 1\n' $U $v >"$T/pct.hist"
	replay_refuses "D5: history CPU_PCT $v -> file:line error" "$T/pct.hist" "pct.hist:1: .*bad CPU_PCT" -f history
done
# D5: Bitbrains fields
hdr='Timestamp [ms];	CPU cores;	CPU capacity provisioned [MHZ];	CPU usage [MHZ];	CPU usage [%];	Memory capacity provisioned [KB];	Memory usage [KB];	Disk read throughput [KB/s];	Disk write throughput [KB/s];	Network received throughput [KB/s];	Network transmitted throughput [KB/s]'
for bad in "1376314846;	1e300;	2926;	10;	1;	1048576;	100;	0;	0;	0;	0" \
	"1376314846;	4;	inf;	10;	1;	1048576;	100;	0;	0;	0;	0" \
	"1376314846;	4;	2926;	nan;	1;	1048576;	100;	0;	0;	0;	0" \
	"1376314846;	4;	2926;	10;	1;	1e300;	100;	0;	0;	0;	0" \
	"1376314846;	4294967296;	2926;	10;	1;	1048576;	100;	0;	0;	0;	0"; do
	mkdir -p "$T/bb"
	printf '%s\n1376314546;	4;	2926;	10;	1;	1048576;	100;	0;	0;	0;	0\n%s\n' "$hdr" "$bad" >"$T/bb/1.csv"
	replay_refuses "D5: Bitbrains '$(cut -c1-40 <<<"$bad" | tr '\t' ' ')...' -> file:line error" "$T/bb" "1.csv:3:" -f bitbrains
done

# D6-D8: arasd -n
conf() { { echo "agentxSocket $T/none.sock"; cat; } >"$T/c.conf"; }
N300=$(printf 'n%.0s' $(seq 300))
U1030="test:///$(printf 'u%.0s' $(seq 1022))"
printf 'host %s test:///default 1\n' "$N300" | conf
check "D6: a 300-character host name is refused" sh -c "! '$ARASD' -n -c '$T/c.conf' 2>'$T/err'"
check "D6: ... naming the line and the reason" grep -q "line 2: .*host name longer than 255" "$T/err"
printf 'host a %s 1\n' "$U1030" | conf
check "D6: a 1030-character URI is refused" sh -c "! '$ARASD' -n -c '$T/c.conf' 2>'$T/err'"
check "D6: ... naming the line and the reason" grep -q "line 2: .*URI longer than 1023" "$T/err"
printf 'host a test:///default 1\nmigrationUri a unix:///%s\n' "$(printf 'm%.0s' $(seq 1030))" | conf
check "D6: a 1030-character migrationUri is refused" sh -c "! '$ARASD' -n -c '$T/c.conf' 2>'$T/err'"
printf 'host a test:///default 1\nstateFile /dev/zero\n' | conf
timeout 20 "$ARASD" -n -c "$T/c.conf" 2>"$T/err"
is "D7: stateFile /dev/zero is refused (exit 1, no endless read)" "$?" 1
check "D7: ... saying why" grep -q "/dev/zero: not a regular file" "$T/err"
awk 'BEGIN { for (i = 1; i <= 65535; i++) printf "host h%d test:///default %d\n", i, i }' | conf
# a CPU-time budget, not a clock: the quadratic check needed 11 CPU-s, linear needs < 0.1
t0=$(date +%s%N)
(ulimit -t 5; exec "$ARASD" -n -c "$T/c.conf") >"$T/out" 2>&1
rc=$?
t1=$(date +%s%N)
is "D8: 65535 host lines pass -n within a 5 CPU-second budget" "$rc $(cat "$T/out")" "0 $T/c.conf: OK (65535 hosts)"
echo "# D8: arasd -n on 65535 host lines took $(((t1 - t0) / 1000000)) ms"
{ awk 'BEGIN { for (i = 1; i <= 65534; i++) printf "host h%d test:///default %d\n", i, i }'
	echo "host h77 test:///default"; echo "host z test:///default 17"; } | conf
"$ARASD" -n -c "$T/c.conf" >"$T/out" 2>"$T/err"
check "D8: duplicates among 65535 hosts are still found (name, index)" \
	sh -c "grep -q 'line 65536: .*host name already used' '$T/err' && grep -q 'line 65537: .*host index already used' '$T/err'"
exit 0
