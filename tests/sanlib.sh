# tests/sanlib.sh - what tests/san-check.sh and tests/tsan-check.sh share,
# sourced by both: run a test, count its TAP lines, and count as a failure
# any report the sanitizer wrote to the private directory $logs.  The
# caller sets, before sourcing: san_tag (the prefix of its lines: san,
# tsan), san_what (the sanitizer's name in the lines), san_show (an ERE of
# the report lines worth printing), san_dir (the build: build/san, ...).
logs=$(mktemp -d "/tmp/aras-$san_tag.XXXXXX")
out=$(mktemp)
trap 'rm -rf "$logs" "$out"' EXIT
pass=0
fail=0

# NAME: fail when the sanitizer wrote a report; a failing run keeps them in $san_dir/reports
san_reports() {
	local f n
	n=$(ls "$logs" | wc -l)
	if [ "$n" -eq 0 ]; then
		echo "ok - $1: no $san_what report"
		pass=$((pass + 1))
	else
		echo "not ok - $1: $n $san_what report(s)"
		for f in "$logs"/*; do grep -E "$san_show" "$f" | head -4 | sed 's/^/#   /'; done
		mkdir -p "$san_dir/reports" && cp "$logs"/* "$san_dir/reports/" && rm -f "$logs"/*
		fail=$((fail + 1))
	fi
}

# RC: sets p and f from $out's TAP lines (a non-zero exit with no failed line is one failure)
san_tally() {
	p=$(grep -c '^ok' "$out")
	f=$(grep -c '^not ok' "$out")
	[ "$1" -ne 0 ] && [ "$f" -eq 0 ] && f=1
}

# Every unit test of the build, each followed by its report check.
san_units() {
	local t
	for t in "$san_dir"/tests/unit/test_*; do
		CMOCKA_MESSAGE_OUTPUT=TAP "$t" >"$out" 2>&1
		san_tally $?
		pass=$((pass + p))
		fail=$((fail + f))
		echo "# $san_tag unit ${t##*/}: $p passed, $f failed"
		san_reports "$san_tag unit ${t##*/}"
	done
}

# san_lanes PREFIX TEST...: run each integration TEST, SAN_LANES (1) at
# a time, each with a report directory of its own (the *_OPTIONS'
# log_path moved into it); when a test and those before it are done, in
# the list's order: its failed lines printed with PREFIX, p and f set, and
# the caller's san_after TEST run with $out its output and $logs its reports.
san_lanes() {
	local prefix=$1 i n k=0 base=$logs lanes=${SAN_LANES:-1} main_out=$out
	shift
	local -a list=("$@")
	n=$#
	san_flush() {
		local rc
		while [ "$k" -lt "$n" ] && [ -f "$base/t$k.rc" ]; do
			read -r rc <"$base/t$k.rc"
			out=$base/t$k.out logs=$base/t$k.d
			san_tally "$rc"
			grep '^not ok' "$out" | sed "s/^/$prefix/"
			san_after "${list[$k]}"
			rm -rf "$out" "$logs" "$base/t$k.rc"
			out=$main_out logs=$base
			k=$((k + 1))
		done
	}
	for ((i = 0; i < n; i++)); do
		while [ "$(jobs -rp | wc -l)" -ge "$lanes" ]; do
			wait -n
			san_flush
		done
		mkdir -p "$base/t$i.d"
		(
			d=$base/t$i.d
			export ASAN_OPTIONS="${ASAN_OPTIONS//$base\//$d/}" UBSAN_OPTIONS="${UBSAN_OPTIONS//$base\//$d/}"
			export TSAN_OPTIONS="${TSAN_OPTIONS//$base\//$d/}"
			timeout 600 bash "${list[$i]}" >"$base/t$i.out" 2>&1
			echo $? >"$base/t$i.rc.tmp"
			mv "$base/t$i.rc.tmp" "$base/t$i.rc"
		) &
	done
	wait
	san_flush
}

# "TAG: N passed, N failed", and the exit status
san_done() {
	echo "$san_tag: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}
