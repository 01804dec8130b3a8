#!/bin/sh
# tools/core-closed.sh - src/core is a closed module (called by `make lint`):
#  1. time is an input: no file of src/core reads a clock (time(),
#     clock_gettime(), gettimeofday()); the caller passes now_ms and wall
#     (core/engine.h);
#  2. it includes only its own headers ("x.h" found in src/core) and
#     libc/POSIX ones (<x.h>, <sys/x.h>): no adapter, no library;
#  3. nothing outside src/core and tests/unit includes its private header
#     core/engine_impl.h (struct aras_engine: adapters use the accessors of
#     core/engine.h).
# Comments are not code: a line whose first non-blank is '*' or '/*' is skipped.
set -u
cd "$(dirname "$0")/.." || exit 1
fail=0

code() { # FILE: its lines with the comment lines (and // tails) removed, numbered
	awk '{ l = $0; sub(/^[ \t]+/, "", l) } l !~ /^(\*|\/\*|\/\/)/ { sub(/\/\/.*/, ""); print FILENAME ":" FNR ": " $0 }' "$1"
}

for f in src/core/*.c src/core/*.h; do
	bad=$(code "$f" | grep -E '(^|[^A-Za-z0-9_.>])(time|clock_gettime|gettimeofday|clock)[[:space:]]*\(')
	if [ -n "$bad" ]; then
		echo "$bad" | sed 's/^/core-closed: reads a clock (time is an input): /' >&2
		fail=1
	fi
	code "$f" | sed -n 's/^\([^:]*:[0-9]*\): *#[[:space:]]*include[[:space:]]*\(.*\)$/\1 \2/p' | while read -r where inc; do
		case $inc in
		\"*\")
			h=${inc#\"}
			h=${h%\"}
			case $h in
			*/*) echo "core-closed: $where: $inc is outside src/core" >&2; echo x ;;
			*) [ -f "src/core/$h" ] || { echo "core-closed: $where: $inc is not a src/core header" >&2; echo x; } ;;
			esac ;;
		\<sys/*.h\> | \<[!/]*.h\>) ;;
		*) echo "core-closed: $where: $inc is not a libc/POSIX header" >&2; echo x ;;
		esac
	done | grep -q x && fail=1
done

bad=$(grep -rlE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"(core/)?engine_impl\.h"' src tests 2>/dev/null |
	grep -vE '^(src/core|tests/unit)/')
if [ -n "$bad" ]; then
	echo "$bad" | sed 's/^/core-closed: includes the engine'"'"'s private header (use core\/engine.h): /' >&2
	fail=1
fi

if [ $fail -ne 0 ]; then
	echo "core-closed: FAILED" >&2
	exit 1
fi
echo "core-closed: OK (src/core reads no clock, includes src/core and libc only; engine_impl.h private)"
