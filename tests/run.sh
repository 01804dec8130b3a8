#!/bin/bash
# tests/run.sh - run every unit and integration test, print TAP lines and a
# final "N passed, N failed"; exit 1 on any failure.  Assumes a built tree
# and installed packages (tests/check.sh does both).
cd "$(dirname "$0")/.." || exit 1
# the path a test runs on is chosen below, not inherited (tests/lib.sh)
unset ARAS_AGENT
pass=0
fail=0
skip=0
out=$(mktemp)
# every failed check, repeated at the end: a log cut to its head and tail
# (CI's summary) still shows them all
failures=$(mktemp)
trap 'rm -f "$out" "$failures"' EXIT

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
		echo "# $name: ran no test" >>"$failures"
		f=1
	fi
	grep '^not ok' "$out" | cut -c1-300 | sed "s|^|# $name: |" >>"$failures"
	if [ "$rc" -ne 0 ] && [ "$(grep -c '^not ok' "$out")" -eq 0 ]; then
		echo "# $name: exited with status $rc" >>"$failures"
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
# t_zabbix.sh (about 4 min, most of it waiting on Zabbix's own poll, LLD
# and trigger timers) and the HA check (make ha-check, tests/ha/check.sh:
# about 2 min, most of it a three-node Pacemaker cluster waiting on its
# token and fencing timeouts) run beside the reliability steps below,
# whose windows already allow for a slowed machine, instead of alone;
# their lines are printed and counted once those are done.
BESIDE=
if [ -z "${TESTS:-}" ] && [ "${ARAS_RELIABILITY_CHECK:-1}" != 0 ]; then
	BESIDE="tests/nms/t_zabbix.sh tests/ha/check.sh"
fi
# Integration and NMS tests two at a time (ARAS_LANES): most of their time
# is spent waiting on polls, holds and the NMS's timers, and each has its
# own ports, directory, state file and private daemons (tests/lib.sh; t_deb
# builds in a copy and installs the package, which no other test runs;
# t_env holds 127.0.0.1:161, which no other test binds outside a network
# namespace).  SERIAL ones run alone, first: windows of fixed length that
# do not hold on a loaded machine (t_faults' sleeps, t_burst's 1000
# notifications, t_hostdown's first poll result).  Each test's lines are
# printed whole, in that order, as soon as it and those before it are done.
SERIAL="tests/integration/t_faults.sh tests/integration/t_burst.sh tests/integration/t_hostdown.sh"
LANES=${ARAS_LANES:-2}
# run_tests KIND ENV TEST...: run them (ENV: "" or VAR=value) and tally
# (KIND integration: by the test's name, else "KIND test")
run_tests() {
	local kind=$1 envs=$2 label= dir i n t done_i=0 lanes
	shift 2
	[ "$kind" = integration ] || label="$kind "
	dir=$(mktemp -d)
	n=$#
	local -a list=()
	# the serial ones first, then the rest two at a time
	for t in "$@"; do case " $SERIAL " in *" $t "*) list+=("$t") ;; esac; done
	for t in "$@"; do case " $SERIAL " in *" $t "*) ;; *) list+=("$t") ;; esac; done
	flush() {
		while [ "$done_i" -lt "$n" ] && [ -f "$dir/$done_i.rc" ]; do
			local rc secs
			read -r rc secs <"$dir/$done_i.rc"
			echo "# $kind: ${list[$done_i]}"
			tee "$out" <"$dir/$done_i.out"
			t0=$((SECONDS - secs))
			tally "$label${list[$done_i]}" "$rc"
			done_i=$((done_i + 1))
		done
	}
	for ((i = 0; i < n; i++)); do
		t=${list[$i]}
		lanes=$LANES
		case " $SERIAL " in *" $t "*) lanes=1 ;; esac
		# a serial test starts when nothing else runs, and nothing starts beside it
		while [ "$(jobs -rp | wc -l)" -ge "$lanes" ] || { [ "$lanes" = 1 ] && [ -n "$(jobs -rp)" ]; }; do
			wait -n
			flush
		done
		(
			s=$SECONDS
			env $envs timeout 600 bash "$t" >"$dir/$i.out" 2>&1
			echo "$? $((SECONDS - s))" >"$dir/$i.rc.tmp"
			mv "$dir/$i.rc.tmp" "$dir/$i.rc"
		) &
		if [ "$lanes" = 1 ]; then
			wait
			flush
		fi
	done
	wait
	flush
	rm -rf "$dir"
}
TESTLIST=
for t in ${TESTS:-tests/integration/t_*.sh tests/nms/t_*.sh}; do
	[ -f "$t" ] || continue
	case " $BESIDE " in *" $t "*) continue ;; esac
	TESTLIST="$TESTLIST $t"
done
# shellcheck disable=SC2086
run_tests integration "" $TESTLIST
# The large-cluster path (issue 22): the same tests with arasd as a
# standalone agent (ARAS_AGENT=standalone, tests/lib.sh: no snmpd, its own
# port, agentConfig from the test's snmpd.conf): SETs and their errors,
# every notification type equal to its GET at a trap sink, the tables of
# several hosts, long orders, a host held down, the hardened unit, VM-MIB in
# its contexts.  t_standalone.sh checks
# what only that path has; tests/nms run the NMS on it.  About 1 min.
STANDALONE_TESTS="tests/integration/t_set.sh tests/integration/t_notify_get.sh tests/integration/t_inventory.sh tests/integration/t_orders.sh tests/integration/t_hostdown.sh tests/integration/t_sandbox.sh tests/integration/t_vmmib.sh"
if [ -z "${TESTS:-}" ]; then
	# shellcheck disable=SC2086
	run_tests standalone ARAS_AGENT=standalone $STANDALONE_TESTS
fi
# Reliability (issue #11): every fuzz target over its corpus plus
# FUZZ_CHECK_TIME (10) s of fuzzing, the unit and integration tests on the
# ASan+UBSan build (t_faults.sh left out: its windows are sleeps;
# t_burst.sh (500 VMs listed and 1000 notifications within fixed windows)
# and t_hostdown.sh (a host held up across polls) time out when slowed;
# t_deb.sh builds and installs the package, t_sandbox.sh traces the release
# build with strace, where LeakSanitizer cannot run; t_lint.sh and
# t_docs.sh run no arasd, so there is nothing for a sanitizer to see; t_ocf.sh
# tests the resource agent's shell, whose arasd starts are t_set's), the unit tests
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
declare -A beside_pid beside_out
beside_t0=$SECONDS
for b in $BESIDE; do
	echo "# beside the reliability steps: $b"
	beside_out[$b]=$(mktemp)
	(
		timeout 600 bash "$b" >"${beside_out[$b]}" 2>&1
		echo "$? $SECONDS" >"${beside_out[$b]}.rc"
	) &
	beside_pid[$b]=$!
done
if [ -z "${TESTS:-}" ] && [ "${ARAS_RELIABILITY_CHECK:-1}" != 0 ]; then
	for step in "make -s -j$(nproc) CI=1 fuzz-check" \
		"make -s -j$(nproc) CI=1 san-check SAN_TESTS='$(ls tests/integration/t_*.sh | grep -v -e t_faults.sh -e t_burst.sh -e t_hostdown.sh -e t_deb.sh -e t_sandbox.sh -e t_lint.sh -e t_docs.sh -e t_ocf.sh | tr '\n' ' ')'" \
		"make -s -j$(nproc) CI=1 tsan-check TSAN_TESTS='$TSAN_TESTS'" \
		"env MATRIX='gcc:-O0 clang:-O1' sh tests/build-matrix.sh"; do
		name=${step%% SAN_TESTS=*}
		name=${name%% TSAN_TESTS=*}
		echo "# reliability: $name"
		t0=$SECONDS
		timeout 1200 sh -c "$step" 2>&1 | tee "$out"
		tally "$name" "${PIPESTATUS[0]}"
	done
fi
for b in $BESIDE; do
	wait "${beside_pid[$b]}"
	echo "# integration (beside the reliability steps): $b"
	tee "$out" <"${beside_out[$b]}"
	read -r beside_rc beside_end <"${beside_out[$b]}.rc" || beside_rc=1
	# its own time, not the time until the steps beside it were done
	t0=$((SECONDS - ${beside_end:-$SECONDS} + beside_t0))
	tally "$b" "$beside_rc"
	rm -f "${beside_out[$b]}" "${beside_out[$b]}.rc"
done
# The real-hypervisor lab (two libvirtd + QEMU guests): last, about 24 min
# (at most 34; S17, make ha-check's H3, is 8 of them).  ARAS_LAB_CHECK=0 skips it (a quick run while developing).
if [ -z "${TESTS:-}" ] && [ "${ARAS_LAB_CHECK:-1}" != 0 ] && [ -f tests/lab/check.sh ]; then
	echo "# lab: tests/lab/check.sh"
	t0=$SECONDS
	timeout 2040 bash tests/lab/check.sh 2>&1 | tee "$out"
	tally tests/lab/check.sh "${PIPESTATUS[0]}"
fi
echo "# tests/run.sh: $SECONDS s"
if [ -s "$failures" ]; then
	echo "# what failed ($(wc -l <"$failures")):"
	cat "$failures"
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
