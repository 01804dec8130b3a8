#!/bin/sh
# tools/format.sh [fix] - the C style of .clang-format (kernel-like: tabs,
# 110 columns, Linux braces, short case labels on one line) over every C
# file git tracks (src/, tests/, tools/, bench/).  `make lint` runs this
# script and fails on any difference; `make format` (fix) rewrites the
# files.  A construct clang-format 14 mangles is fenced with
# /* clang-format off */ ... /* clang-format on */ (tests/unit/test_ctl.c).
set -u
cd "$(dirname "$0")/.." || exit 1
command -v clang-format >/dev/null || { echo "format: clang-format not installed" >&2; exit 1; }
fail=0
n=0
files=$(git ls-files '*.c' '*.h' 2>/dev/null) || files=$(find src tests tools bench -name '*.[ch]' | sort)
[ -n "$files" ] || files=$(find src tests tools bench -name '*.[ch]' | sort)
for f in $files; do
	n=$((n + 1))
	if [ "${1:-}" = fix ]; then
		clang-format -i "$f"
	elif ! clang-format "$f" | cmp -s "$f" -; then
		echo "format: $f differs from .clang-format (make format):" >&2
		clang-format "$f" | diff -u "$f" - | head -20 >&2
		fail=1
	fi
done
[ $fail -eq 0 ] || exit 1
echo "format: OK ($n files clean under .clang-format)"
