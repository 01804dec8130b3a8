#!/bin/bash
# arasd-replay on hand-made traces whose right answer is known
# (tests/fixtures/replay/): one hot VM on a full host beside an empty one
# moves once and never back; a hot VM on a host with room gets one vCPU and
# does not move; a VM that flaps faster than the hold time gets nothing (and
# one that stays over for the hold time does); a full host with no target
# under hostCpuHigh is relieved by a move that lands above it (and not by
# one that would only take the overload over); the baselines (thr, lr, mad,
# drs) run; a light trace still gets a cluster that can migrate; an arasd history file
# replays; the same input gives the same CSV; bad input fails with the
# line that is wrong; the engine's event rows (--events) carry simulated
# times and two runs give the same bytes.  Answers are read from the CSV,
# the action log and the event rows.
# The real traces: the excerpts in tests/fixtures/traces on every clone,
# and the full ones of ../shared/traces (or $TRACES) as well where they are.
T_NAME=replay
. "$(dirname "$0")/../lib.sh"

REPLAY=${REPLAY:-$TOP/arasd-replay}
FX=$TOP/tests/fixtures/replay
TRACES=${TRACES:-$TOP/../shared/traces}
# trace sets: name and directory (planetlab/20110303.tsv, bitbrains-rnd/)
SETS=(excerpt "$TOP/tests/fixtures/traces")
if [ -f "$TRACES/planetlab/20110303.tsv" ] && [ -d "$TRACES/bitbrains-rnd" ]; then
	SETS+=(shared "$TRACES")
else
	echo "# no full traces at $TRACES: the excerpts only"
fi
[ -x "$REPLAY" ] || make -C "$TOP" -s arasd-replay >/dev/null 2>&1

# csv_get FILE POLICY COLUMN: one figure of one policy's line
csv_get() {
	awk -F, -v p="$2" -v c="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next }
		$6 == p && k { print $k }' "$1"
}
# replay NAME ARGS...: CSV in $T/NAME.csv, action log in $T/NAME.log
replay() {
	local name=$1
	shift
	"$REPLAY" --no-table --csv "$T/$name.csv" --log "$T/$name.log" "$@" 2>"$T/$name.err"
}
# fixture NAME [ARGS...]: replay NAME.tsv on NAME.cluster
fixture_run() {
	local name=$1
	shift
	replay "$name" -C "$FX/$name.cluster" "$@" "$FX/$name.tsv"
}
less_than() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 < b + 0) }'; }

check "arasd-replay is built" test -x "$REPLAY"
"$REPLAY" --help >"$T/help" 2>&1
check "--help exits 0 and names the three formats and the policies" \
	sh -c "grep -q planetlab '$T/help' && grep -q bitbrains '$T/help' && grep -q history '$T/help' && grep -q 'none,aras,thr,lr,mad,drs' '$T/help'"

# 1. one hot VM on a full host, an empty host beside it
if fixture_run hot-full; then ok "hot-full replays"; else not_ok "hot-full replays: $(cat "$T/hot-full.err")"; fi
is "hot-full: none leaves h1 at 100 % (SLATAH)" "$(csv_get "$T/hot-full.csv" none slatah_pct)" 100.0000
is "hot-full: aras migrates once" "$(csv_get "$T/hot-full.csv" aras migrations)" 1
is "hot-full: aras has no ping-pong" "$(csv_get "$T/hot-full.csv" aras pingpong)" 0
is "hot-full: the move is 'hot' from h1 to h2" \
	"$(awk '$2 == "aras" && $3 == "migrate" { print $4, $5, $6 }' "$T/hot-full.log")" "hot h1 h2"
check "hot-full: aras cuts SLATAH below none's" \
	less_than "$(csv_get "$T/hot-full.csv" aras slatah_pct)" "$(csv_get "$T/hot-full.csv" none slatah_pct)"
is "hot-full: thr migrates once too" "$(csv_get "$T/hot-full.csv" thr migrations)" 1
is "hot-full: at most one migration at a time" "$(csv_get "$T/hot-full.csv" aras peak_migrations)" 1

# 2. a hot VM on a host with headroom
if fixture_run headroom; then ok "headroom replays"; else not_ok "headroom replays: $(cat "$T/headroom.err")"; fi
is "headroom: aras adds one vCPU" "$(csv_get "$T/headroom.csv" aras vcpu_adds)" 1
is "headroom: and nothing else" "$(csv_get "$T/headroom.csv" aras vertical)" 1
is "headroom: aras does not migrate" "$(csv_get "$T/headroom.csv" aras migrations)" 0
is "headroom: the vCPU goes to 'hot' (1 -> 2)" \
	"$(awk '$2 == "aras" && $3 == "vcpus" { print $4, $7 }' "$T/headroom.log")" "hot 2"
check "headroom: the vCPU serves demand none leaves unserved" \
	less_than "$(csv_get "$T/headroom.csv" aras unserved_pct)" "$(csv_get "$T/headroom.csv" none unserved_pct)"
is "headroom: thr (no vertical action) leaves a third unserved" \
	"$(csv_get "$T/headroom.csv" thr unserved_pct)" 33.3333

# 3. a flapping VM: no action within the hold time
if fixture_run flapping; then ok "flapping replays"; else not_ok "flapping replays: $(cat "$T/flapping.err")"; fi
is "flapping: no alert with the default hold time" "$(csv_get "$T/flapping.csv" aras alerts)" 0
is "flapping: no vertical action" "$(csv_get "$T/flapping.csv" aras vertical)" 0
is "flapping: no migration" "$(csv_get "$T/flapping.csv" aras migrations)" 0
fixture_run flapping --set holdTime=0 -p aras
check "flapping with holdTime 0 (control): the same VM does get a vCPU" \
	test "$(csv_get "$T/flapping.csv" aras vcpu_adds)" -ge 1
fixture_run flapping2 --set holdTime=600
is "flapping2 (holdTime 600): the VM over for 600 s at a time gets nothing" \
	"$(grep -c ' aras [a-z]* flap ' "$T/flapping2.log")" 0
is "flapping2: the VM over for 900 s gets its vCPU" \
	"$(awk '$2 == "aras" && $3 == "vcpus" { print $4 }' "$T/flapping2.log")" steady

# 3b. relief: a full host, no target stays under hostCpuHigh (tests/fixtures/replay/relief.tsv)
if fixture_run relief; then ok "relief replays"; else not_ok "relief replays: $(cat "$T/relief.err")"; fi
is "relief: aras migrates once" "$(csv_get "$T/relief.csv" aras migrations)" 1
is "relief: a (least memory) goes from h1 to h2, which ends above 80 %" \
	"$(awk '$2 == "aras" && $3 == "migrate" { print $4, $5, $6 }' "$T/relief.log")" "a h1 h2"
check "relief: the reason says it is a relief move 10 points under the source" \
	grep -q "aras migrate a h1 h2 .*relief to h2: cpu 70%+20% = 90%, 10 points below the source's 100%" "$T/relief.log"
is "relief: no ping-pong" "$(csv_get "$T/relief.csv" aras pingpong)" 0
check "relief: aras serves demand none leaves unserved (contention)" \
	less_than "$(csv_get "$T/relief.csv" aras unserved_contention_pct)" "$(csv_get "$T/relief.csv" none unserved_contention_pct)"
is "relief: thr finds no host under its 80 % and stays" "$(csv_get "$T/relief.csv" thr migrations)" 0
# h2 at 75 % instead of 70 %: the move would end at 95 %, only 5 under h1: only shifts the overload
sed '/^h	/s/80/100/g' "$FX/relief.tsv" >"$T/shift.tsv"
replay shift -p none,aras -C "$FX/relief.cluster" "$T/shift.tsv"
is "shift (h2 at 75 %): aras does not move" "$(csv_get "$T/shift.csv" aras migrations)" 0
check "shift: and says no host fits" grep -q "aras noTarget .*no host fits: h2 cpu 75%+20% >= 80%" "$T/shift.log"
# h3 at 85 % too: 2 of 3 hosts over, more than half: no relief move
sed '/^l	/s/15/40/g' "$FX/relief.tsv" >"$T/most.tsv"
replay most -p none,aras -C "$FX/relief.cluster" "$T/most.tsv"
is "most hosts over (h1 and h3 of 3): aras makes no relief move" "$(csv_get "$T/most.csv" aras migrations)" 0

# 3b, rules: placement rules on the relief fixture: without them a (least memory)
# goes h1 -> h2; an anti-affinity group {a, f} (f runs on h2) forbids that,
# so the same controller moves another VM; 0 violations with the rules, the
# run without them (arasNR) breaks the rule; random pairs are deterministic
printf 'group keep antiAffinity -\nvm a group keep\nvm f group keep\n' >"$T/keep.rules"
"$REPLAY" -q -p aras -C "$FX/relief.cluster" --rules "$T/keep.rules" --csv "$T/rules.csv" --log "$T/rules.log" \
	"$FX/relief.tsv" >"$T/rules.out" 2>"$T/rules.err"
is "rules: aras and arasNR rows in the CSV" "$(cut -d, -f6 "$T/rules.csv" | tail -n +2 | tr '\n' ' ')" "aras arasNR "
is "rules: arasNR moves a to h2, as without rules" \
	"$(awk '$2 == "arasNR" && $3 == "migrate" { print $4, $5, $6 }' "$T/rules.log")" "a h1 h2"
is "rules: aras never moves a to h2" "$(awk '$2 == "aras" && $3 == "migrate" && $4 == "a" && $6 == "h2"' "$T/rules.log" | wc -l)" 0
is "rules: aras still relieves h1 (one move)" "$(csv_get "$T/rules.csv" aras migrations)" 1
check "rules: 0 violations with the rules, some without" \
	grep -qE '^rule violations \(VM-polls, most at once\): with rules 0, 0; without [1-9][0-9]*, 1$' "$T/rules.out"
check "rules: the cost line" grep -q '^rules cost: SLATAH .* migrations +0 (1 -> 1)$' "$T/rules.out"
printf 'group g antiAffinity -\nvm nosuch group g\n' >"$T/bad.rules"
"$REPLAY" -q -p aras -C "$FX/relief.cluster" --rules "$T/bad.rules" "$FX/relief.tsv" >/dev/null 2>"$T/bad.err"
is "rules: an unknown VM name fails (exit 1)" "$?" 1
check "rules: and names the file and line" grep -qF "$T/bad.rules:2: no VM named 'nosuch'" "$T/bad.err"
for k in 1 2; do
	"$REPLAY" -q -p aras -C "$FX/relief.cluster" --anti-affinity 3 --seed 7 --log "$T/aa$k.log" "$FX/relief.tsv" \
		>"$T/aa$k.out" 2>/dev/null
done
check "--anti-affinity 3 --seed 7: 3 groups" grep -q '^rules     3 groups (3 random anti-affinity pairs), 6 member VMs$' "$T/aa1.out"
# the table's last column is the wall time: compared without it
strip_last() { awk '{ $NF = ""; print }' "$1"; }
same_runs() { [ "$(strip_last "$T/aa1.out")" = "$(strip_last "$T/aa2.out")" ] && cmp -s "$T/aa1.log" "$T/aa2.log"; }
check "--anti-affinity: two runs give the same figures and log" same_runs
check "--anti-affinity: 0 violations with the rules" grep -q 'with rules 0, 0;' "$T/aa1.out"

# 3c. the baselines, and a light trace's default cluster
is "relief: every policy has a line" "$(awk -F, 'NR > 1 { printf "%s ", $6 }' "$T/relief.csv")" \
	"none aras thr lr mad drs "
check "relief: host_hours is the hosts' active time (3 hosts x 4 h)" \
	test "$(csv_get "$T/relief.csv" none host_hours)" = 12.00
is "drs moves one VM off h1 too" "$(csv_get "$T/relief.csv" drs migrations)" 1
for ((i = 0; i < ${#SETS[@]}; i += 2)); do
	replay "light-${SETS[i]}" "${SETS[i + 1]}/bitbrains-rnd" --vms 10 -p none
	is "${SETS[i]}: 10 Bitbrains VMs (one 32-core host would do): the minimum of 4 hosts" \
		"$(awk -F, 'NR == 2 { print $3, $4 }' "$T/light-${SETS[i]}.csv")" "10 4"
done

# 4. a history file as arasd writes it
if replay history "$FX/history.txt"; then ok "history replays"; else not_ok "history replays: $(cat "$T/history.err")"; fi
is "history: 3 VMs on 2 hosts, 12 steps" \
	"$(awk -F, 'NR == 2 { print $2, $3, $4, $5 }' "$T/history.csv")" "history 3 2 12"
is "history: the pegged VM gets one vCPU" "$(csv_get "$T/history.csv" aras vcpu_adds)" 1
is "history: no migration" "$(csv_get "$T/history.csv" aras migrations)" 0

# 5. determinism: same input, same CSV and same action log
fixture_run hot-full
cp "$T/hot-full.csv" "$T/a.csv"
fixture_run hot-full
check "hot-full twice: identical CSV" cmp -s "$T/a.csv" "$T/hot-full.csv"
# moves: how many migrations the action log of a run has
moves() { awk '$3 == "migrate"' "$1" | wc -l; }
for ((i = 0; i < ${#SETS[@]}; i += 2)); do
	set=${SETS[i]}
	PL=${SETS[i + 1]}/planetlab/20110303.tsv
	BB=${SETS[i + 1]}/bitbrains-rnd
	replay "day1-$set" "$PL"
	replay "day2-$set" "$PL"
	check "$set: a PlanetLab day twice: identical CSV" cmp -s "$T/day1-$set.csv" "$T/day2-$set.csv"
	check "$set: a PlanetLab day twice: identical action log" cmp -s "$T/day1-$set.log" "$T/day2-$set.log"
	is "$set: the day's CSV has the six policies" "$(awk -F, 'NR > 1 { printf "%s ", $6 }' "$T/day1-$set.csv")" \
		"none aras thr lr mad drs "
	# what the file holds: its VM lines, and the samples of the first
	is "$set: PlanetLab: the CSV's VMs and steps are the file's" \
		"$(awk -F, 'NR == 2 { print $3, $5 }' "$T/day1-$set.csv")" \
		"$(grep -cv '^#' "$PL") $(awk -F'\t' 'NR == 1 { print split($2, a, " ") }' "$PL")"
	check "$set: PlanetLab: the policies do migrate (the log is not empty: $(moves "$T/day1-$set.log") moves)" \
		test "$(moves "$T/day1-$set.log")" -gt 0
	replay "bb1-$set" "$BB" -p aras,thr
	replay "bb2-$set" "$BB" -p aras,thr
	check "$set: Bitbrains twice: identical CSV" cmp -s "$T/bb1-$set.csv" "$T/bb2-$set.csv"
	check "$set: Bitbrains twice: identical action log" cmp -s "$T/bb1-$set.log" "$T/bb2-$set.log"
	# the engine's event rows (--events) carry the simulated clock: two runs say the same, byte for byte
	replay "ev1-$set" "$BB" -p aras --events "$T/ev1-$set.ev"
	replay "ev2-$set" "$BB" -p aras --events "$T/ev2-$set.ev"
	check "$set: Bitbrains twice with --events: identical event output" cmp -s "$T/ev1-$set.ev" "$T/ev2-$set.ev"
	check "$set: Bitbrains twice with --events: identical CSV" cmp -s "$T/ev1-$set.csv" "$T/ev2-$set.csv"
	is "$set: --events changes no figure (aras's CSV line as without it)" \
		"$(awk -F, '$6 == "aras"' "$T/ev1-$set.csv")" "$(awk -F, '$6 == "aras"' "$T/bb1-$set.csv")"
	check "$set: --events: aras's actions start and end there ($(wc -l <"$T/ev1-$set.ev") rows)" \
		sh -c "grep -q ' actionStarted ' '$T/ev1-$set.ev' && grep -q ' actionDone ' '$T/ev1-$set.ev'"
	is "$set: --events: every time is simulated (0 .. the trace's end), none wall-clock" \
		"$(awk -v end="$(($(awk -F, 'NR == 2 { print $5 }' "$T/bb1-$set.csv") * 300))" \
			'$1 !~ /^[0-9]+$/ || $1 > end { bad++ } END { print bad + 0 }' "$T/ev1-$set.ev")" 0
	is "$set: --events: each action row at its action log line's time" \
		"$(awk '$3 == "actionStarted" { print $1, $4 }' "$T/ev1-$set.ev" | head -3)" \
		"$(awk '$2 == "aras" { print $1, $4 }' "$T/ev1-$set.log" | head -3)"
	check "$set: Bitbrains: aras acts ($(awk '$2 == "aras"' "$T/bb1-$set.log" | wc -l) log lines)" \
		test "$(awk '$2 == "aras"' "$T/bb1-$set.log" | wc -l)" -gt 0
	is "$set: Bitbrains: one VM per file, a step per sample of the longest" \
		"$(awk -F, 'NR == 2 { print $3, $5 }' "$T/bb1-$set.csv")" \
		"$(ls "$BB"/vm*.csv | wc -l) $(for f in "$BB"/vm*.csv; do echo $(($(wc -l <"$f") - 1)); done | sort -n | tail -1)"
done

# 6. settings, options and errors
"$REPLAY" --no-table --csv "$T/t.csv" --timing -C "$FX/hot-full.cluster" "$FX/hot-full.tsv"
check "--timing adds replay_ms" sh -c "head -1 '$T/t.csv' | grep -q ',replay_ms$'"
printf 'cpuThreshold 95\npolicy manual\nhost kvm1 qemu:///system 1\n' >"$T/arasd.conf"
replay manual -c "$T/arasd.conf" -C "$FX/hot-full.cluster" "$FX/hot-full.tsv"
is "-c with policy manual: aras does not act" "$(csv_get "$T/manual.csv" aras migrations)" 0
check "and says why on stderr" grep -q "policy manual" "$T/manual.err"
printf 'hot\t100 100 x 100\n' >"$T/bad.tsv"
"$REPLAY" --no-table "$T/bad.tsv" >/dev/null 2>"$T/bad.err"
is "a bad sample: exit status 1" "$?" 1
check "and the message names file and line" grep -q "bad.tsv:1: sample 3" "$T/bad.err"
"$REPLAY" --set noSuchSetting=1 "$FX/hot-full.tsv" >/dev/null 2>"$T/set.err"
is "an unknown setting: exit status 1" "$?" 1
"$REPLAY" --poll nope "$FX/hot-full.tsv" >/dev/null 2>&1
is "a bad option value: exit status 2" "$?" 2
printf 'host h1 2 1000 8192\nvm nosuchvm h1\n' >"$T/bad.cluster"
"$REPLAY" -C "$T/bad.cluster" "$FX/hot-full.tsv" >/dev/null 2>"$T/cl.err"
check "a cluster file naming an unknown VM fails with its line" grep -q "bad.cluster:2: no VM 'nosuchvm'" "$T/cl.err"

# 7. --plot (gnuplot from Debian, when installed)
if command -v gnuplot >/dev/null 2>&1; then
	"$REPLAY" -q --no-table --plot "$T/u.png" -C "$FX/hot-full.cluster" "$FX/hot-full.tsv" 2>"$T/plot.err"
	check "--plot writes a PNG" sh -c "head -c 8 '$T/u.png' | od -An -c | grep -q 'P   N   G'"
else
	ok "# SKIP gnuplot not installed: no --plot test"
fi
exit 0
