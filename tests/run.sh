#!/bin/bash
# tests/run.sh - run every unit and integration test, print TAP lines and a
# final "N passed, N failed"; exit 1 on any failure.  Assumes a built tree
# and installed packages (tests/check.sh does both).
cd "$(dirname "$0")/.." || exit 1
pass=0
fail=0
skip=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

tally() {
	local name=$1 rc=$2 p f s
	# TAP: "ok - ... # SKIP why" is a skip, not a pass
	s=$(grep -c '^ok.*# SKIP' "$out")
	p=$(($(grep -c '^ok' "$out") - s))
	f=$(grep -c '^not ok' "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name exited with status $rc"
		f=1
	fi
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && [ "$s" -eq 0 ]; then
		echo "not ok - $name ran no test"
		f=1
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	skip=$((skip + s))
	echo "# $name: $p passed, $f failed, $s skipped ($((SECONDS - t0)) s)"
}

for t in tests/unit/test_*; do
	case $t in *.c) continue ;; esac
	[ -x "$t" ] || continue
	echo "# unit: $t"
	t0=$SECONDS
	CMOCKA_MESSAGE_OUTPUT=TAP "$t" 2>&1 | tee "$out" | grep -E '^(not )?ok|^#' 
	tally "$t" "${PIPESTATUS[0]}"
done
for t in ${TESTS:-tests/integration/t_*.sh tests/nms/t_*.sh}; do
	[ -f "$t" ] || continue
	echo "# integration: $t"
	t0=$SECONDS
	timeout 600 bash "$t" 2>&1 | tee "$out"
	tally "$t" "${PIPESTATUS[0]}"
done
# Reliability (issue #11): every fuzz target over its corpus plus
# FUZZ_CHECK_TIME (10) s of fuzzing, the unit and integration tests on the
# ASan+UBSan build (t_faults.sh left out: its windows are sleeps;
# t_burst.sh (500 VMs listed and 1000 notifications within fixed windows)
# and t_hostdown.sh (a host held up across polls) time out when slowed;
# t_deb.sh builds and installs the package, t_sandbox.sh traces the release
# build with strace, where LeakSanitizer cannot run; t_lint.sh and
# t_docs.sh run no arasd, so there is nothing for a sanitizer to see), the unit tests
# and the integration tests that drive arasd's threads on the
# ThreadSanitizer build (TSAN_TESTS below), and the build matrix's
# gcc -O0 / clang -O1 builds.  ARAS_RELIABILITY_CHECK=0 skips.
#
# ThreadSanitizer (issue 20): every unit test (test_log: threads logging at
# once), and of the integration tests those whose arasd runs the threads
# that share state with the loop: the collector's per-host workers
# (t_inventory: two hosts polled at once), the jobs they run and libvirt's
# event thread (t_lifecycle: every arasVmCommand and its domain events;
# t_alloc: vCPU and memory changes) and the long jobs' threads (t_orders:
# migrations, several in one PDU).  Each costs several times its time under
# TSan, so not every test: the others start the same threads with nothing
# new to share (t_set, t_sla, t_rules, t_steal, t_envelope, t_master_restart),
# or run no arasd (t_config, t_mib, t_man, t_install, t_replay, t_defects, t_docs;
# t_notify drives the mail worker through tests/notify_drive, a release
# build); t_hostdown and t_faults wait on windows that do not hold
# slowed (t_hostdown's first poll result, t_faults' sleeps), t_burst's 1000
# notifications neither; t_deb and t_sandbox run the release build.  About
# 2 1/2 min in all (docs/reliability.md).
TSAN_TESTS="tests/integration/t_inventory.sh tests/integration/t_lifecycle.sh tests/integration/t_alloc.sh tests/integration/t_orders.sh"
if [ -z "${TESTS:-}" ] && [ "${ARAS_RELIABILITY_CHECK:-1}" != 0 ]; then
	for step in "make -s CI=1 fuzz-check" \
		"make -s CI=1 san-check SAN_TESTS='$(ls tests/integration/t_*.sh | grep -v -e t_faults.sh -e t_burst.sh -e t_hostdown.sh -e t_deb.sh -e t_sandbox.sh -e t_lint.sh -e t_docs.sh | tr '\n' ' ')'" \
		"make -s CI=1 tsan-check TSAN_TESTS='$TSAN_TESTS'" \
		"env MATRIX='gcc:-O0 clang:-O1' sh tests/build-matrix.sh"; do
		name=${step%% SAN_TESTS=*}
		name=${name%% TSAN_TESTS=*}
		echo "# reliability: $name"
		t0=$SECONDS
		timeout 1200 sh -c "$step" 2>&1 | tee "$out"
		tally "$name" "${PIPESTATUS[0]}"
	done
fi
# The real-hypervisor lab (two libvirtd + QEMU guests): last, about 6 min
# (at most 15).  ARAS_LAB_CHECK=0 skips it (a quick run while developing).
if [ -z "${TESTS:-}" ] && [ "${ARAS_LAB_CHECK:-1}" != 0 ] && [ -f tests/lab/check.sh ]; then
	echo "# lab: tests/lab/check.sh"
	t0=$SECONDS
	timeout 1440 bash tests/lab/check.sh 2>&1 | tee "$out"
	tally tests/lab/check.sh "${PIPESTATUS[0]}"
fi
echo "# tests/run.sh: $SECONDS s"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
