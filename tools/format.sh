#!/bin/sh
# tools/format.sh [fix] - the C style of .clang-format (kernel-like: tabs,
# 110 columns, Linux braces, short case labels on one line), which matches
# the tree as it is for most lines (about 95 % of src/ and tests/unit/).
# The files listed in tools/format-checked.txt are clean under it and must
# stay so: `make lint` runs this script and fails on any difference;
# `make format` (fix) rewrites those files only.  Add a file to the list
# once it is clean (clang-format -i FILE, review the diff); new files
# start clean.
set -u
cd "$(dirname "$0")/.." || exit 1
command -v clang-format >/dev/null || { echo "format: clang-format not installed" >&2; exit 1; }
fail=0
n=0
while read -r f; do
	case $f in '' | '#'*) continue ;; esac
	n=$((n + 1))
	if [ "${1:-}" = fix ]; then
		clang-format -i "$f"
	elif ! clang-format "$f" | cmp -s "$f" -; then
		echo "format: $f differs from .clang-format (make format):" >&2
		clang-format "$f" | diff -u "$f" - | head -20 >&2
		fail=1
	fi
done <tools/format-checked.txt
[ $fail -eq 0 ] || exit 1
echo "format: OK ($n files clean under .clang-format)"
