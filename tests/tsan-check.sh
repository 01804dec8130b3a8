#!/bin/bash
# tests/tsan-check.sh - the unit tests and the integration tests that drive
# arasd's threads (the collector's per-host workers, the migrations' and
# long jobs' threads, libvirt's event thread, the mail worker) on the
# ThreadSanitizer build (build/tsan, make tsan).  Every report of arasd or
# a unit test is a failure: a data race, a lock-order inversion, a use of
# a destroyed mutex (suppressions: tests/tsan.supp, for what lies inside
# the uninstrumented libvirt/net-snmp only).  Reports are written to a
# private directory, so one from a daemon a test started is not lost with
# the test's temp dir; a failing run keeps them in build/tsan/reports.
# TAP lines, "N passed, N failed".  TSAN_TESTS picks integration tests
# (default: tests/integration/t_*.sh; make check runs the list in
# tests/run.sh).
cd "$(dirname "$0")/.." || exit 1
top=$PWD
logs=$(mktemp -d /tmp/aras-tsan.XXXXXX)
trap 'rm -rf "$logs"' EXIT
# halt_on_error=0: a test goes on after a report, so one run shows them all;
# exitcode=0: the report files, not the exit status, say a report was made
# (a daemon killed by a test has no exit status to give)
export TSAN_OPTIONS="log_path=$logs/tsan:halt_on_error=0:exitcode=0:second_deadlock_stack=1:suppressions=$top/tests/tsan.supp:print_suppressions=0"
export ARASD=$top/build/tsan/arasd
out=$(mktemp)
pass=0
fail=0
reports() { # NAME: fail when ThreadSanitizer wrote a report
	local f n
	n=$(ls "$logs" | wc -l)
	if [ "$n" -eq 0 ]; then
		echo "ok - $1: no ThreadSanitizer report"
		pass=$((pass + 1))
	else
		echo "not ok - $1: $n ThreadSanitizer report file(s)"
		for f in "$logs"/*; do
			grep -E '^WARNING: ThreadSanitizer|^SUMMARY' "$f" | head -4 | sed 's/^/#   /'
		done
		mkdir -p build/tsan/reports && cp "$logs"/* build/tsan/reports/ && rm -f "$logs"/*
		fail=$((fail + 1))
	fi
}
for t in build/tsan/tests/unit/test_*; do
	CMOCKA_MESSAGE_OUTPUT=TAP "$t" >"$out" 2>&1
	rc=$?
	p=$(grep -c '^ok' "$out")
	f=$(grep -c '^not ok' "$out")
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	pass=$((pass + p))
	fail=$((fail + f))
	echo "# tsan unit ${t##*/}: $p passed, $f failed"
	reports "tsan unit ${t##*/}"
done
for t in ${TSAN_TESTS:-tests/integration/t_*.sh}; do
	timeout 600 bash "$t" >"$out" 2>&1
	rc=$?
	p=$(grep -c '^ok' "$out")
	f=$(grep -c '^not ok' "$out")
	grep '^not ok' "$out" | sed 's/^/# /'
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	pass=$((pass + p))
	fail=$((fail + f))
	echo "# tsan $t: $p passed, $f failed"
	reports "tsan $t"
done
rm -f "$out"
echo "tsan: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
