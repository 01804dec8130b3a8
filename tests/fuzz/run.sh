#!/bin/bash
# tests/fuzz/run.sh SECONDS [grow] - run every libFuzzer target of
# build/fuzz: first over its whole corpus (tests/fuzz/corpus/NAME/: every
# file must pass), then SECONDS of fuzzing from it.  With "grow", new
# inputs that reach new code are added to the corpus directory (make fuzz);
# without, they go to a scratch directory (make check does not edit the
# tree).  Targets run side by side, one per CPU (FUZZ_JOBS, nproc): each
# still gets its SECONDS on a core of its own.  Prints TAP lines and one
# figure line per target, in the targets' order; a crash is saved as
# build/fuzz/crash-* (add it to the corpus once fixed).
cd "$(dirname "$0")/../.." || exit 1
secs=${1:-10}
grow=${2:-}
jobs=${FUZZ_JOBS:-$(nproc)}
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# target BIN: one target's TAP lines on stdout; exit 1 on a failure
target() {
	local bin=$1 name corpus n out
	name=${bin##*/fuzz_}
	corpus=tests/fuzz/corpus/$name
	mkdir -p "$corpus"
	n=$(ls "$corpus" | wc -l)
	if "$bin" -runs=0 "$corpus" >"build/fuzz/$name.replay.log" 2>&1; then
		echo "ok - fuzz $name: the $n corpus files run clean"
	else
		echo "not ok - fuzz $name: a corpus file fails (build/fuzz/$name.replay.log)"
		return 1
	fi
	if [ -n "$grow" ]; then out=$corpus; else out=$(mktemp -d); cp "$corpus"/* "$out"/ 2>/dev/null; fi
	local rc=0
	if "$bin" -max_total_time="$secs" -max_len=4096 -timeout=10 -rss_limit_mb=1024 \
		-artifact_prefix=build/fuzz/ "$out" >"build/fuzz/$name.log" 2>&1; then
		echo "ok - fuzz $name: $secs s without a crash"
	else
		echo "not ok - fuzz $name: crash or leak, see build/fuzz/$name.log and build/fuzz/crash-*"
		rc=1
	fi
	# figures from libFuzzer's last status line: runs, exec/s, corpus
	grep -E '^#[0-9]+' "build/fuzz/$name.log" | tail -1 |
		sed -E "s/^#([0-9]+).*cov: ([0-9]+).*corp: ([0-9]+).*exec\\/s: ([0-9]+).*/# fuzz $name: \\1 runs in $secs s, \\4 exec\\/s, coverage \\2, corpus \\3 (seed $n)/"
	[ -n "$grow" ] || rm -rf "$out"
	return $rc
}
bins=()
for bin in build/fuzz/fuzz_*; do
	[ -x "$bin" ] && [ -f "$bin" ] && bins+=("$bin")
done
# $jobs at a time; each target's lines go to build/fuzz/NAME.tap and its
# status to NAME.rc, printed in order once all are done
running=0
for bin in "${bins[@]}"; do
	name=${bin##*/fuzz_}
	{ target "$bin" >"build/fuzz/$name.tap" 2>&1; echo $? >"build/fuzz/$name.rc"; } &
	running=$((running + 1))
	if [ $running -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
done
wait
fail=0
for bin in "${bins[@]}"; do
	name=${bin##*/fuzz_}
	cat "build/fuzz/$name.tap"
	[ "$(cat "build/fuzz/$name.rc" 2>/dev/null)" = 0 ] || fail=1
	rm -f "build/fuzz/$name.tap" "build/fuzz/$name.rc"
done
exit $fail
