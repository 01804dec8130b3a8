#!/bin/sh
# tests/build-matrix.sh - every supported build is warning-free with
# -Werror: gcc and clang, -O0 -O1 -O2 -O3, and ASan+UBSan.  Each build goes
# to build/matrix/NAME (the normal objects are not touched), arasd,
# arasd-replay and the unit tests.  TAP lines; exit 1 on any failure.
cd "$(dirname "$0")/.." || exit 1
mkdir -p build/matrix
fail=0
# MATRIX="gcc:-O0 clang:-O2 ..." picks a part (make check: the builds the
# normal and sanitizer builds do not already cover).
san="-O1 -fsanitize=address,undefined -fno-omit-frame-pointer"
all="gcc:-O0 gcc:-O1 gcc:-O2 gcc:-O3 gcc:$san clang:-O0 clang:-O1 clang:-O2 clang:-O3 clang:$san"
IFS_SAVE=$IFS
IFS='
'
for v in $(echo "${MATRIX:-$all}" | sed 's/ \([a-z]*:\)/\n\1/g'); do
	IFS=$IFS_SAVE
	cc=${v%%:*}
	opt=${v#*:}
	command -v $cc >/dev/null 2>&1 || { echo "not ok - $cc not installed"; fail=1; continue; }
	{
		name=$cc$(echo "$opt" | tr -d ' =,' | cut -c1-24)
		dir=build/matrix/$name
		if make -s -j"$(nproc)" CI=1 CC=$cc SAN_DIR="$dir" SAN_FLAGS="-g $opt" \
			"$dir/arasd" "$dir/arasd-replay" \
			$(ls tests/unit/test_*.c | sed "s|^|$dir/|; s|\.c\$||") >"$dir.log" 2>&1; then
			echo "ok - build $cc $opt -Werror"
		else
			echo "not ok - build $cc $opt -Werror (see $dir.log)"
			grep -E 'error|warning' "$dir.log" | head -5 | sed 's/^/#   /'
			fail=1
		fi
	}
done
exit $fail
