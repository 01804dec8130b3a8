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
san_tag=tsan san_what=ThreadSanitizer san_show='^WARNING: ThreadSanitizer|^SUMMARY' san_dir=build/tsan
. tests/sanlib.sh # $logs, $out, pass, fail, san_*
# halt_on_error=0: a test goes on after a report, so one run shows them all;
# exitcode=0: the report files, not the exit status, say a report was made
# (a daemon killed by a test has no exit status to give)
export TSAN_OPTIONS="log_path=$logs/tsan:halt_on_error=0:exitcode=0:second_deadlock_stack=1:suppressions=$top/tests/tsan.supp:print_suppressions=0"
export ARASD=$top/build/tsan/arasd
san_units
san_after() {
	pass=$((pass + p))
	fail=$((fail + f))
	echo "# tsan $1: $p passed, $f failed"
	san_reports "tsan $1"
}
# one at a time (SAN_LANES 1): ThreadSanitizer slows them 5-15x
# shellcheck disable=SC2086
san_lanes "# " ${TSAN_TESTS:-tests/integration/t_*.sh}
san_done
