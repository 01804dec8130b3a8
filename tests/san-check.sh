#!/bin/bash
# tests/san-check.sh - the unit and integration tests on the ASan+UBSan
# build (build/san, make san): leak check on, every report of arasd,
# arasd-replay or a unit test is a failure (suppressions: only named
# libvirt/net-snmp allocations, tests/lsan.supp).  Reports are written to
# a private directory, so a sanitizer error inside a daemon a test started
# is not lost with the test's temp dir.  TAP lines, "N passed, N failed".
# Every assertion counts (SAN_STRICT=0: integration assertions are only
# printed, for a look at tests whose clocks the sanitizers slow too much).
# SAN_TESTS picks integration tests (default: tests/integration/t_*.sh).
cd "$(dirname "$0")/.." || exit 1
top=$PWD
san_tag=san san_what=sanitizer san_show='ERROR|SUMMARY|runtime error' san_dir=build/san
. tests/sanlib.sh # $logs, $out, pass, fail, san_*
# slow unwinding: net-snmp frames have no frame pointers, and the suppression
# names a function deep in the stack
export ASAN_OPTIONS="detect_leaks=1:log_path=$logs/asan:abort_on_error=0:fast_unwind_on_malloc=0:malloc_context_size=30"
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$logs/ubsan"
export ARASD=$top/build/san/arasd REPLAY=$top/build/san/arasd-replay
# t_durable's 100 kill -9 rounds are the crash test of the release build;
# here they look for memory errors in the journal's recovery: 25 do
export DURABLE_ROUNDS=${DURABLE_ROUNDS:-25}
san_units
# Integration tests wait on clocks (a poll, a burst, a reconnect) that the
# sanitizers slow 2-10x: make check leaves out those whose windows are too
# tight for that (tests/run.sh's SAN_TESTS); the others' assertions count,
# and so does any sanitizer report from any process they started.
# Two at a time (SAN_LANES): they wait on polls and holds far more than they
# compute, and each has its own ports, directory and report directory.
slowed=0
san_after() {
	echo "# san $1: $p passed, $f failed"
	if [ "${SAN_STRICT:-1}" = 1 ]; then
		pass=$((pass + p))
		fail=$((fail + f))
	else
		slowed=$((slowed + f))
		if [ "$p" -gt 0 ]; then echo "ok - san $1 ran ($p assertions passed)"; pass=$((pass + 1));
		else echo "not ok - san $1 ran no assertion"; fail=$((fail + 1)); fi
	fi
	san_reports "san $1"
}
# shellcheck disable=SC2086
SAN_LANES=${SAN_LANES:-2} san_lanes "# slowed: " ${SAN_TESTS:-tests/integration/t_*.sh}
[ "$slowed" -gt 0 ] && echo "# san: $slowed integration assertions failed under the sanitizers' slowdown (SAN_STRICT=0: not counted)"
san_done
