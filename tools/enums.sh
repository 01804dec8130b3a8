#!/bin/sh
# tools/enums.sh [fix] - one table per enumeration (called by `make lint`).
# The core's tables (action kinds, states, origins, event types and
# resources, VM commands and operational states, group rules, the ENUM
# and BITS settings) are the source: tools/enums.c prints them.  Checked:
#  1. every such enumeration in mib/ARAS-MIB.txt lists exactly the core's
#     labels and values, in order;
#  2. every value map of the Zabbix template named ARAS-MIB::<object>
#     maps exactly the MIB's values of <object> to its labels.
# `make enums` (fix) rewrites the MIB's lists from the core's tables;
# regenerate conf/prometheus/snmp.yml (make prometheus) after it.
set -u
cd "$(dirname "$0")/.." || exit 1
mib=mib/ARAS-MIB.txt
zbx=conf/zabbix/arasd_template.yaml
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
${CC:-cc} -std=c11 -D_GNU_SOURCE -Isrc -o "$tmp/enums" tools/enums.c src/core/*.c || exit 1
"$tmp/enums" >"$tmp/core" || exit 1

# "label value" lines of the INTEGER { } or BITS { } list of $1 in the MIB
mib_list() {
	awk -v obj="$1" '
		$1 == obj && ($2 == "OBJECT-TYPE" || ($2 == "::=" && $3 == "TEXTUAL-CONVENTION")) { in_obj = 1; next }
		in_obj && /^[A-Za-z].*(OBJECT-TYPE|::=)/ && !/^ / { exit }
		in_obj && /SYNTAX[ \t]+(INTEGER|BITS)[ \t]*\{/ { in_list = 1; next }
		in_list && /\}/ { exit }
		in_list {
			gsub(/[ \t,]/, "")
			if (match($0, /^[A-Za-z][A-Za-z0-9-]*\([0-9]+\)$/)) {
				split($0, p, /[()]/)
				print p[1], p[2]
			}
		}' "$mib"
}

fail=0
for obj in $(cut -d' ' -f1 "$tmp/core" | uniq); do
	awk -v o="$obj" '$1 == o { print $3, $2 }' "$tmp/core" >"$tmp/want"
	mib_list "$obj" >"$tmp/have"
	if [ ! -s "$tmp/have" ]; then
		echo "enums: $mib: $obj has no INTEGER or BITS list" >&2
		fail=1
		continue
	fi
	cmp -s "$tmp/want" "$tmp/have" && continue
	if [ "${1:-}" = fix ]; then
		# replace the list's entries, keeping the first entry's indentation
		awk -v obj="$obj" -v want="$tmp/want" '
			BEGIN { n = 0; while ((getline l < want) > 0) { split(l, p, " "); lab[++n] = p[1]; val[n] = p[2] } }
			$1 == obj && ($2 == "OBJECT-TYPE" || ($2 == "::=" && $3 == "TEXTUAL-CONVENTION")) { in_obj = 1 }
			in_obj && !done && /SYNTAX[ \t]+(INTEGER|BITS)[ \t]*\{/ { print; in_list = 1; next }
			in_list && /\}/ {
				for (i = 1; i <= n; i++) printf "%s%s(%s)%s\n", ind, lab[i], val[i], i < n ? "," : ""
				in_list = 0; in_obj = 0; done = 1; print; next
			}
			in_list { if (ind == "") { match($0, /^[ \t]*/); ind = substr($0, 1, RLENGTH) } next }
			{ print }' "$mib" >"$tmp/mib" && cat "$tmp/mib" >"$mib"
		echo "enums: $mib: $obj rewritten from the core's table"
	else
		echo "enums: $mib: $obj differs from the core's table (make enums):" >&2
		diff "$tmp/want" "$tmp/have" | sed 's/^/  /' >&2
		fail=1
	fi
done

# Zabbix value maps against the MIB
for obj in $(sed -n 's/^ *name: ARAS-MIB::\([A-Za-z0-9]*\)$/\1/p' "$zbx" | sort -u); do
	awk -v o="ARAS-MIB::$obj" '
		/^    valuemaps:/ { vm = 1 }
		vm && $1 == "name:" { on = ($2 == o) }
		on && $1 == "-" && $2 == "value:" { v = $3; gsub(/\047/, "", v) }
		on && $1 == "newvalue:" { print $2, v }' "$zbx" >"$tmp/zmap"
	mib_list "$obj" >"$tmp/have"
	if ! cmp -s "$tmp/zmap" "$tmp/have"; then
		echo "enums: $zbx: value map ARAS-MIB::$obj differs from the MIB:" >&2
		diff "$tmp/have" "$tmp/zmap" | sed 's/^/  /' >&2
		fail=1
	fi
done

[ $fail -eq 0 ] || { echo "enums: FAILED" >&2; exit 1; }
echo "enums: OK ($(cut -d' ' -f1 "$tmp/core" | uniq | wc -l) enumerations from the core's tables in the MIB," \
	"$(sed -n 's/^ *name: ARAS-MIB::\([A-Za-z0-9]*\)$/\1/p' "$zbx" | sort -u | wc -l) Zabbix value maps)"
