#!/bin/sh
# Lint ARAS-MIB and check it against the OID contract in mib/LAYOUT.md.
#
#   sh mib/lint.sh          (called by `make lint`)
#
# 1. smilint -l 4 must print nothing (smilint exits 0 even on errors, so
#    any output is a failure).
# 2. snmptranslate -Tp must parse the module with nothing on stderr.
# 3. every name in mib/LAYOUT.md must resolve to the OID LAYOUT.md gives
#    it, and the module must define no name under arasMIB that LAYOUT.md
#    does not list.
#
# The IETF base modules (SNMPv2-SMI, -TC, -CONF) are not in Debian's
# net-snmp/libsmi packages; Debian's erlang-snmp ships them under
# /usr/lib/erlang/lib/snmp-*/mibs.  Set ARAS_IETF_MIBS to use another
# directory.  NET-SNMP-MIB comes from /usr/share/snmp/mibs (libsnmp-base).

set -u

dir=$(cd "$(dirname "$0")" && pwd) || exit 1
mib="$dir/ARAS-MIB.txt"
layout="$dir/LAYOUT.md"
netsnmp_mibs=/usr/share/snmp/mibs

fail() {
    echo "mib lint: FAILED: $*" >&2
    exit 1
}

ietf=${ARAS_IETF_MIBS:-}
if [ -z "$ietf" ]; then
    for d in /usr/lib/erlang/lib/snmp-*/mibs; do
        [ -f "$d/SNMPv2-SMI.mib" ] && ietf=$d
    done
fi
if [ -z "$ietf" ] || [ ! -d "$ietf" ]; then
    fail "no SNMPv2-SMI found (install erlang-snmp or set ARAS_IETF_MIBS)"
fi
[ -f "$mib" ] || fail "$mib not found"
[ -f "$layout" ] || fail "$layout not found"
command -v smilint >/dev/null 2>&1 || fail "smilint not found (install smitools)"
command -v snmptranslate >/dev/null 2>&1 || fail "snmptranslate not found (install snmp)"

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP

# --- 1. smilint -------------------------------------------------------------
out=$(SMIPATH="$ietf:$netsnmp_mibs" smilint -l 4 -s -m "$mib" 2>&1)
if [ -n "$out" ]; then
    echo "$out"
    fail "smilint -l 4 reported problems"
fi

# --- 2. snmptranslate -Tp ---------------------------------------------------
# Hermetic net-snmp environment: no user/system snmp.conf, no default MIB
# list (-m ARAS-MIB only loads the module and what it imports), and a
# private persistent directory (net-snmp announces creating it on stderr).
mkdir -p "$tmp/persist/cert_indexes" "$tmp/conf"
SNMPCONFPATH="$tmp/conf"
SNMP_PERSISTENT_DIR="$tmp/persist"
export SNMPCONFPATH SNMP_PERSISTENT_DIR
unset MIBS MIBDIRS MIBFILES 2>/dev/null || true
mibpath="$dir:$ietf:$netsnmp_mibs"

translate() {
    snmptranslate -M "$mibpath" -m ARAS-MIB "$@"
}

translate -Tp >"$tmp/tp.out" 2>"$tmp/tp.err" || {
    cat "$tmp/tp.err"
    fail "snmptranslate -Tp exited with an error"
}
if [ -s "$tmp/tp.err" ]; then
    cat "$tmp/tp.err"
    fail "snmptranslate -Tp printed errors"
fi
grep -q 'arasMIB(1)' "$tmp/tp.out" || fail "snmptranslate -Tp shows no arasMIB"

# --- 3. names and OIDs from LAYOUT.md ---------------------------------------
# LAYOUT.md lines understood here:
#   arasMIB ::= { ... }   -- 1.3.6.1...          base OID (from the comment)
#   arasObjects        arasMIB.1                  top-level node
#     arasHostTable    .3   arasHostEntry .1 ...  node under the top-level
#                                                 node (+ optional entry)
#        7 arasHostMemTotal ...                   numbered child of the
#                                                 current node
#     1 arasCompliances  .1 arasCompliance        child with its own child
#     2 arasGroups  .2 arasConfigGroup(1) ...     child with named children
awk '
function emit(name, oid) { print name, oid }
/^arasMIB[ \t]*::=/ {
    if (match($0, /--[ \t]*[0-9][0-9.]*/)) {
        s = substr($0, RSTART, RLENGTH); sub(/^--[ \t]*/, "", s)
        base = s; emit("arasMIB", base)
    }
    next
}
base == "" { next }
/^[a-zA-Z][A-Za-z0-9]*[ \t]+arasMIB\.[0-9]+/ {
    n = $2; sub(/^arasMIB\./, "", n)
    top = base "." n; sub_ = ""; emit($1, top); next
}
top != "" && /^[ \t]+[a-zA-Z][A-Za-z0-9]*[ \t]+\.[0-9]+/ {
    n = $2; sub(/^\./, "", n)
    sub_ = top "." n; emit($1, sub_)
    if (NF >= 4 && $3 ~ /^[a-zA-Z][A-Za-z0-9]*$/ && $4 ~ /^\.[0-9]+$/) {
        m = $4; sub(/^\./, "", m)
        sub_ = sub_ "." m; emit($3, sub_)
    }
    next
}
top != "" && /^[ \t]+[0-9]+[ \t]+[a-zA-Z][A-Za-z0-9]*/ {
    parent = (sub_ != "") ? sub_ : top
    oid = parent "." $1; emit($2, oid)
    if ($0 ~ /[{}]/) next
    for (i = 3; i <= NF; i++) {
        if ($i ~ /^\.[0-9]+$/ && i < NF && $(i+1) ~ /^[a-zA-Z][A-Za-z0-9]*$/) {
            m = $i; sub(/^\./, "", m); emit($(i+1), oid "." m); i++
        } else if ($i ~ /^[a-zA-Z][A-Za-z0-9]*\([0-9]+\)$/) {
            nm = $i; sub(/\(.*/, "", nm)
            m = $i; sub(/^[^(]*\(/, "", m); sub(/\)$/, "", m)
            emit(nm, oid "." m)
        }
    }
    next
}
' "$layout" >"$tmp/expected"

[ -s "$tmp/expected" ] || fail "could not parse any name from $layout"
grep -q '^arasMIB ' "$tmp/expected" || fail "no arasMIB base OID in $layout"

# duplicate names or OIDs in LAYOUT.md
dups=$(cut -d' ' -f1 "$tmp/expected" | sort | uniq -d)
[ -z "$dups" ] || fail "names listed twice in LAYOUT.md: $dups"
dups=$(cut -d' ' -f2 "$tmp/expected" | sort | uniq -d)
[ -z "$dups" ] || fail "OIDs listed twice in LAYOUT.md: $dups"

n=0
bad=0
while read -r name oid; do
    got=$(translate -On "ARAS-MIB::$name" 2>&1)
    if [ "$got" != ".$oid" ]; then
        echo "  $name: LAYOUT.md .$oid, MIB gives: $got"
        bad=$((bad + 1))
    fi
    n=$((n + 1))
done <"$tmp/expected"
[ "$bad" -eq 0 ] || fail "$bad of $n names do not resolve to their LAYOUT.md OID"

# the reverse: nothing under arasMIB that LAYOUT.md does not list
translate -Ts 2>"$tmp/ts.err" |
    awk -F. '/\.arasMIB(\.|$)/ { print $NF }' | sort -u >"$tmp/defined"
[ -s "$tmp/ts.err" ] && { cat "$tmp/ts.err"; fail "snmptranslate -Ts printed errors"; }
cut -d' ' -f1 "$tmp/expected" | sort -u >"$tmp/listed"
extra=$(comm -23 "$tmp/defined" "$tmp/listed" | tr '\n' ' ')
[ -z "$extra" ] || fail "defined in ARAS-MIB but not in LAYOUT.md: $extra"

echo "mib lint: OK ($n names)"
