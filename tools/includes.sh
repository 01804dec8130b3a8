#!/bin/sh
# tools/includes.sh - the include graph of src/ (called by `make lint`):
#  1. no include cycle between modules (foo.c + foo.h are one module, and
#     foo_impl.h, its private definitions, with them: a module "uses" every
#     module whose header one of its files includes);
#  2. no include cycle between directories (src/ top level, src/core,
#     src/snmp, src/virt, src/notify, src/replay);
#  3. src/core includes only libc/POSIX headers (<...> without a '/', or
#     <sys/...>) and other core headers: no net-snmp, libvirt, curl;
#  4. only src/snmp includes net-snmp, only src/virt libvirt, only
#     src/notify curl;
#  5. no adapter header (src/snmp, src/virt, src/notify, src/daemon *.h)
#     includes arasd.h: an interface names `struct arasd`, never shows it.
# Cycles are found with tsort(1) (coreutils), which names the loop.
set -u
cd "$(dirname "$0")/.." || exit 1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

# "module-of-file module-of-included-header" per local include
for f in $(find src -name '*.[ch]' | sort); do
	dir=$(dirname "$f")
	mod=${f%.*}
	mod=${mod%_impl}
	sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" | while read -r inc; do
		if [ -f "$dir/$inc" ]; then
			h="$dir/$inc"
		elif [ -f "src/$inc" ]; then
			h="src/$inc"
		else
			echo "includes: $f: \"$inc\" not found" >&2
			echo x >>"$tmp/missing"
			continue
		fi
		h=$(realpath --relative-to=. "$h")
		hm=${h%.*}
		hm=${hm%_impl}
		[ "$hm" = "$mod" ] || echo "$mod $hm"
		d1=$(dirname "$mod") d2=$(dirname "$hm")
		[ "$d1" = "$d2" ] || echo "$d1 $d2" >>"$tmp/dirs"
	done
done >"$tmp/mods"
[ -e "$tmp/missing" ] && fail=1
touch "$tmp/dirs"

for g in mods dirs; do
	if ! sort -u "$tmp/$g" | tsort >/dev/null 2>"$tmp/err"; then
		echo "includes: cycle between $( [ $g = mods ] && echo modules || echo directories):" >&2
		grep -v '^tsort: -: input contains a loop:$' "$tmp/err" | sed 's/^tsort: /  /' >&2
		fail=1
	fi
done

# library headers: who may include what
for f in $(find src -name '*.[ch]' | sort); do
	sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*<\([^>]*\)>.*/\1/p' "$f" | while read -r inc; do
		case "$f:$inc" in
		src/snmp/*:net-snmp/*) ;;
		src/virt/*:libvirt/*) ;;
		src/notify/*:curl/*) ;;
		*:net-snmp/* | *:libvirt/* | *:curl/*) echo "includes: $f: <$inc> outside its adapter" >&2; echo x ;;
		src/core/*:*/*)
			case $inc in
			sys/*) ;;
			*) echo "includes: $f: <$inc> is not a libc header (src/core is libc only)" >&2; echo x ;;
			esac ;;
		esac
	done
done >"$tmp/libs"
[ -s "$tmp/libs" ] && fail=1
bad=$(grep -l '^[[:space:]]*#[[:space:]]*include[[:space:]]*"arasd.h"' src/snmp/*.h src/virt/*.h src/notify/*.h \
	src/daemon/*.h 2>/dev/null)
if [ -n "$bad" ]; then
	echo "$bad" | sed 's/^/includes: adapter header includes arasd.h: /' >&2
	fail=1
fi

if [ $fail -ne 0 ]; then
	echo "includes: FAILED" >&2
	exit 1
fi
echo "includes: OK ($(sort -u "$tmp/mods" | wc -l) module edges, $(sort -u "$tmp/dirs" | wc -l) directory edges, no cycle; src/core libc only)"
