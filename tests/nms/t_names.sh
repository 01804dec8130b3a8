#!/bin/bash
# Names agree with the MIB: every ARAS-MIB name (aras[A-Z]...) and every
# enterprise OID (1.3.6.1.4.1....) in what ships for an NMS must resolve in
# mib/ARAS-MIB.txt (snmptranslate against the repo's MIB): a name must be
# defined, an OID must land on an ARAS-MIB object (a column with any index,
# a scalar with .0, or a node / notification exactly).  So moving the OID
# root (playpen -> private enterprise number) or renaming an object cannot
# leave a template, rule, plugin or handler stale.  Self-check first: a copy
# with one wrong OID and one misspelt name must fail.
T_NAME=names
. "$(dirname "$0")/../lib.sh"
IETF=$(ls -d /usr/lib/erlang/lib/snmp-*/mibs 2>/dev/null | tail -1)
tr_() { MIBS='' snmptranslate -M "$TOP/mib:$IETF" -m ARAS-MIB "$@" 2>&1; }
# Words that look like MIB names but are not objects: VACM view and group
# names of the snmpd drop-in.
NOT_MIB="arasWrite arasAdmin"

declare -A SEEN
# check_oid OID: "" when it lands on an ARAS-MIB object, else the reason
check_oid() {
	local o=.${1#.} t base suffix def
	t=$(tr_ -OS "$o")
	base=${t#*::}
	suffix=${base#*.}
	base=${base%%.*}
	def=$(tr_ -Td "ARAS-MIB::$base")
	if ! grep -q -- '-- FROM.*ARAS-MIB' <<<"$def"; then
		echo "$1 is not an ARAS-MIB object ($t)"
		return
	fi
	[ "$suffix" = "$base" ] && return # exactly a node, object or notification
	if ! grep -q '^  SYNTAX' <<<"$def" || grep -q 'MAX-ACCESS.*not-accessible' <<<"$def"; then
		echo "$1 is ARAS-MIB::$base.$suffix: no object there"
	elif ! grep -q '::= { aras[A-Za-z]*Entry ' <<<"$def" && [ "$suffix" != 0 ]; then
		echo "$1 is ARAS-MIB::$base.$suffix: a scalar's instance is .0"
	fi
}
# check_files FILE...: one line per bad name/OID; exit status = found any
check_files() {
	local f n o bad=0 r
	for f in "$@"; do
		for n in $(grep -ohE '\baras[A-Z][A-Za-z0-9]*' "$f" | sort -u); do
			case " $NOT_MIB " in *" $n "*) continue ;; esac
			r=${SEEN["n:$n"]-x}
			if [ "$r" = x ]; then
				r=$(tr_ -On "ARAS-MIB::$n" | grep -q '^\.1\.' || echo "name $n is not in ARAS-MIB")
				SEEN["n:$n"]=$r
			fi
			[ -n "$r" ] && { echo "$f: $r"; bad=1; }
		done
		for o in $(grep -ohE '(^|[^0-9.])\.?1\.3\.6\.1\.4\.1(\.[0-9]+)+' "$f" | grep -oE '1\.3\.6\.1\.4\.1(\.[0-9]+)+' | sort -u); do
			r=${SEEN["o:$o"]-x}
			if [ "$r" = x ]; then
				r=$(check_oid "$o")
				SEEN["o:$o"]=$r
			fi
			[ -n "$r" ] && { echo "$f: $r"; bad=1; }
		done
		# a name paired with arcs under the root, e.g. the plugin's
		# "arasVmName": ARAS_MIB + ".1.4.1.2": the arcs must name that object
		while read -r n arcs; do
			t=$(tr_ -OS "$root$arcs")
			[ "$t" = "ARAS-MIB::$n" ] || { echo "$f: $n is $root$arcs in the file, but that is $t"; bad=1; }
		done < <(grep -oE '"aras[A-Z][A-Za-z0-9]*" *: *[A-Z_]+ *\+ *"(\.[0-9]+)+"' "$f" |
			sed -E 's/^"([^"]*)".*"([.0-9]+)"$/\1 \2/')
	done
	return $bad
}

# self-check: the checker catches a wrong OID and a wrong name
root=$(tr_ -On ARAS-MIB::arasMIB)
is "the repo MIB resolves (arasMIB = $root)" "$(grep -c '^\.1\.3\.6\.1\.4\.1\.' <<<"$root")" 1
printf 'walk: %s.1.4.1.2\nok: %s.1.2.13.0\nbad: %s.1.4.1.99\nbad: %s.1.2.13.7\nname: arasVmNmae\nname: arasVmName\n    "arasVmName": ARAS_MIB + ".1.4.1.2",\n    "arasVmState": ARAS_MIB + ".1.4.1.5",\n' \
	"$root" "$root" "$root" "$root" >"$T/wrong.yml"
out=$(check_files "$T/wrong.yml")
is "self-check: 2 wrong OIDs, 1 wrong name, 1 name paired with another's arcs: 4 findings" "$(grep -c . <<<"$out")" 4
echo "$out" | sed 's/^/# /'

# what ships for an NMS (the other helper's files too, once merged)
files=()
while IFS= read -r f; do files+=("$f"); done < <(cd "$TOP" && find conf/prometheus conf/snmptrapd conf/zabbix \
	conf/icinga conf/nagios plugins conf/snmpd-arasd.conf -type f 2>/dev/null | sort | sed "s|^|$TOP/|")
for f in "${files[@]}"; do
	nn=$(grep -ohE '\baras[A-Z][A-Za-z0-9]*' "$f" | sort -u | wc -l)
	no=$(grep -ohE '1\.3\.6\.1\.4\.1(\.[0-9]+)+' "$f" | sort -u | wc -l)
	out=$(check_files "$f")
	if [ -z "$out" ]; then ok "${f#"$TOP"/}: $nn names, $no OIDs agree with ARAS-MIB"; else
		not_ok "${f#"$TOP"/}: names/OIDs that ARAS-MIB does not have"; echo "$out" | head -20 | sed 's/^/# /'; fi
done
check "found the shipped NMS files (prometheus, snmptrapd, snmpd drop-in)" test "${#files[@]}" -ge 5
exit 0
