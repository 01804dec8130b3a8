#!/bin/bash
# Man pages: arasd(8), arasd.conf(5), arasd-replay(1) render without a
# warning (mandoc -T lint, groff -ww); every config token the parser
# registers and every setting of the table is described in arasd.conf(5),
# whose settings part is exactly what man/settings.sh generates from
# `arasd -S`; every option of `arasd -h` and `arasd-replay --help` is in its
# page (and arasd's in the README's Options section).
T_NAME=man
. "$(dirname "$0")/../lib.sh"
M=$TOP/man

for p in arasd.8 arasd.conf.5 arasd-replay.1 check_arasd.1; do
	out=$(mandoc -T lint -W warning "$M/$p" 2>&1)
	is "$p: mandoc -T lint -W warning is silent" "$out" ""
	out=$(groff -ww -z -mandoc "$M/$p" 2>&1)
	is "$p: groff -ww -z is silent" "$out" ""
	check "$p renders with a NAME and a DESCRIPTION section" \
		sh -c "mandoc -T ascii '$M/$p' | sed 's/.\x08//g' | grep -q '^NAME\$' && mandoc -T ascii '$M/$p' | sed 's/.\x08//g' | grep -q '^DESCRIPTION\$'"
done

# the settings part is generated from the table, and current
sed -n '/^\.\\" BEGIN SETTINGS/,/^\.\\" END SETTINGS/p' "$M/arasd.conf.5" | sed '1d;$d' >"$T/have"
sh "$M/settings.sh" "$ARASD" >"$T/want"
check "arasd.conf.5's settings block is man/settings.sh's output (regenerate it)" diff -u "$T/want" "$T/have"
[ -s "$T/want" ] || not_ok "man/settings.sh printed nothing"

# every token: the settings table and what src/snmp/config.c registers
settings=$("$ARASD" -S | tail -n +3 | sed 's/^| `\([^`]*\)`.*/\1/')
parsed=$(sed -n '/^static void register_tokens/,/^}/p' "$TOP/src/snmp/config.c" |
	grep -o '"[a-z][A-Za-z]*"' | tr -d '"' | grep -vx arasd)
n=0
missing=
for tok in $settings $parsed; do
	n=$((n + 1))
	grep -q "^\.It Cm $tok\( \|$\)" "$M/arasd.conf.5" || missing="$missing $tok"
done
is "all $n config tokens are described in arasd.conf(5)" "${missing# }" ""
[ "$n" -gt 30 ] || not_ok "found only $n tokens (the extraction broke)"

# every option of arasd: its man page and the README
opts=$("$ARASD" -h | grep -o '^  -[A-Za-z]' | tr -d ' -')
missing=
missing_readme=
for o in $opts; do
	grep -q "^\.It Fl $o\( \|$\)" "$M/arasd.8" || missing="$missing -$o"
	sed -n '/^### Options/,/^###/p' "$TOP/README.md" | grep -q -- "\`-$o" || missing_readme="$missing_readme -$o"
done
is "every option of arasd -h ($(echo $opts | tr -d ' ')) is in arasd(8)" "${missing# }" ""
is "every option of arasd -h is in the README's Options section" "${missing_readme# }" ""
check "arasd -h's synopsis names every option" sh -c "for o in $(echo $opts); do '$ARASD' -h | head -1 | grep -q -- \"-\$o\" || exit 1; done"

# options_in_page PAGE HELP-TEXT: sets MISSING to the options HELP lists
# ("  -x, --long", "  --long", "  -x") that PAGE has no .It for, K to how
# many it lists
options_in_page() {
	local o pat
	MISSING=
	K=0
	for o in $(grep -oE '^ +(-[A-Za-z], )?--[a-z-]+|^ +-[A-Za-z]\b' <<<"$2" | tr ',' ' '); do
		K=$((K + 1))
		case $o in
		--*) pat="Fl -${o#--}" ;;
		-*) pat="Fl ${o#-}" ;;
		esac
		grep -q "^\.It .*$pat\( \|$\)" "$1" || MISSING="${MISSING:+$MISSING }$o"
	done
}

# every option of arasd-replay
REPLAY=${ARASD%/*}/arasd-replay
options_in_page "$M/arasd-replay.1" "$("$REPLAY" --help)"
is "all $K options of arasd-replay --help are in arasd-replay(1)" "$MISSING" ""
[ "$K" -gt 25 ] || not_ok "found only $K replay options (the extraction broke)"

# the NMS plugin, once the tree has it
if [ -e "$TOP/plugins/check_arasd" ]; then
	help=$(python3 "$TOP/plugins/check_arasd" --help 2>&1)
	options_in_page "$M/check_arasd.1" "$help"
	is "all $K options of check_arasd --help are in check_arasd(1)" "$MISSING" ""
	[ "$K" -gt 15 ] || not_ok "found only $K check_arasd options (the extraction broke)"
fi
exit 0
