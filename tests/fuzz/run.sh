#!/bin/sh
# tests/fuzz/run.sh SECONDS [grow] - run every libFuzzer target of
# build/fuzz: first over its whole corpus (tests/fuzz/corpus/NAME/: every
# file must pass), then SECONDS of fuzzing from it.  With "grow", new
# inputs that reach new code are added to the corpus directory (make fuzz);
# without, they go to a scratch directory (make check does not edit the
# tree).  Prints TAP lines and one figure line per target; a crash is
# saved as build/fuzz/crash-* (add it to the corpus once fixed).
cd "$(dirname "$0")/../.." || exit 1
secs=${1:-10}
grow=${2:-}
fail=0
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for bin in build/fuzz/fuzz_*; do
	[ -x "$bin" ] || continue
	name=${bin##*/fuzz_}
	corpus=tests/fuzz/corpus/$name
	mkdir -p "$corpus"
	n=$(ls "$corpus" | wc -l)
	if "$bin" -runs=0 "$corpus" >"build/fuzz/$name.replay.log" 2>&1; then
		echo "ok - fuzz $name: the $n corpus files run clean"
	else
		echo "not ok - fuzz $name: a corpus file fails (build/fuzz/$name.replay.log)"
		fail=1
		continue
	fi
	if [ -n "$grow" ]; then out=$corpus; else out=$(mktemp -d); cp "$corpus"/* "$out"/ 2>/dev/null; fi
	if "$bin" -max_total_time="$secs" -max_len=4096 -timeout=10 -rss_limit_mb=1024 \
		-artifact_prefix=build/fuzz/ "$out" >"build/fuzz/$name.log" 2>&1; then
		echo "ok - fuzz $name: $secs s without a crash"
	else
		echo "not ok - fuzz $name: crash or leak, see build/fuzz/$name.log and build/fuzz/crash-*"
		fail=1
	fi
	# figures from libFuzzer's last status line: runs, exec/s, corpus
	grep -E '^#[0-9]+' "build/fuzz/$name.log" | tail -1 |
		sed -E "s/^#([0-9]+).*cov: ([0-9]+).*corp: ([0-9]+).*exec\\/s: ([0-9]+).*/# fuzz $name: \\1 runs in $secs s, \\4 exec\\/s, coverage \\2, corpus \\3 (seed $n)/"
	[ -n "$grow" ] || rm -rf "$out"
done
exit $fail
