#!/bin/bash
# make lint's checks pass on the tree, and each one fails on a copy of the
# tree with a defect of its kind: an enumeration that drifted from the
# core's table (tools/enums.sh), a library header in src/core
# (tools/includes.sh), a file out of .clang-format's style (tools/format.sh),
# a clock read in src/core, an adapter's header there, the engine's private
# header outside it (tools/core-closed.sh).
T_NAME=lint
. "$(dirname "$0")/../lib.sh"

out=$(make -s -C "$TOP" lint 2>&1)
rc=$?
is "make lint exits 0" "$rc" 0
for w in "mib lint: OK" "includes: OK" "core-closed: OK" "format: OK" "enums: OK"; do
	check "make lint: $(grep -m1 "^$w" <<<"$out")" grep -q "^$w" <<<"$out"
done

# A copy of the committed tree (sources only) to break.
mkdir -p "$T/tree"
(cd "$TOP" && git ls-files -z | xargs -0 cp --parents -t "$T/tree") 2>/dev/null ||
	(cd "$TOP" && tar cf - src tools mib conf .clang-format Makefile) | tar xf - -C "$T/tree"

# broken: $1 name, $2 script, $3 what its error must say; the tree is restored after
broken() {
	local name=$1 script=$2 want=$3 o r
	o=$(sh "$T/tree/$script" 2>&1)
	r=$?
	check "$name: $script fails" test "$r" -ne 0
	check "$name: it says $want" grep -q -- "$want" <<<"$o"
}

cp "$T/tree/mib/ARAS-MIB.txt" "$T/mib.orig"
sed -i 's/shrinkMemory(7),/shrinkMem(7),/' "$T/tree/mib/ARAS-MIB.txt"
broken "a MIB enumeration that drifted" tools/enums.sh "arasActionKind differs from the core's table"
sh "$T/tree/tools/enums.sh" fix >/dev/null 2>&1
check "make enums rewrites the MIB's list as it was" cmp -s "$T/tree/mib/ARAS-MIB.txt" "$T/mib.orig"

cp "$T/tree/conf/zabbix/arasd_template.yaml" "$T/zbx.orig"
sed -i '0,/newvalue: paused/s//newvalue: pausd/' "$T/tree/conf/zabbix/arasd_template.yaml"
broken "a Zabbix value map that drifted" tools/enums.sh "value map ARAS-MIB::arasVmState differs from the MIB"
cp "$T/zbx.orig" "$T/tree/conf/zabbix/arasd_template.yaml"

cp "$T/tree/src/core/plan.c" "$T/plan.orig"
sed -i '0,/^#include <stdlib.h>/s//#include <net-snmp\/net-snmp-config.h>\n#include <stdlib.h>/' "$T/tree/src/core/plan.c"
broken "a net-snmp header in src/core" tools/includes.sh "outside its adapter"
cp "$T/plan.orig" "$T/tree/src/core/plan.c"

cp "$T/tree/src/core/rate.c" "$T/rate.orig"
printf 'long aras_rate_now(void);\nlong aras_rate_now(void) { return (long)time(NULL); }\n' >>"$T/tree/src/core/rate.c"
broken "a time() call in src/core" tools/core-closed.sh "reads a clock (time is an input): src/core/rate.c"
cp "$T/rate.orig" "$T/tree/src/core/rate.c"
printf 'void aras_rate_tick(struct timespec *ts);\nvoid aras_rate_tick(struct timespec *ts) { clock_gettime(CLOCK_MONOTONIC, ts); }\n' \
	>>"$T/tree/src/core/rate.c"
broken "a clock_gettime() call in src/core" tools/core-closed.sh "reads a clock (time is an input): src/core/rate.c"
cp "$T/rate.orig" "$T/tree/src/core/rate.c"
sed -i '0,/^#include "rate.h"/s//#include "rate.h"\n#include "util\/log.h"/' "$T/tree/src/core/rate.c"
broken "an adapter's header in src/core" tools/core-closed.sh '"util/log.h" is outside src/core'
cp "$T/rate.orig" "$T/tree/src/core/rate.c"
cp "$T/tree/src/snmp/txn.c" "$T/txn.orig"
sed -i '0,/^#include "core\/journal.h"/s//#include "core\/journal.h"\n#include "core\/engine_impl.h"/' "$T/tree/src/snmp/txn.c"
broken "the engine's private header outside src/core" tools/core-closed.sh "private header (use core/engine.h): src/snmp/txn.c"
cp "$T/txn.orig" "$T/tree/src/snmp/txn.c"

cp "$T/tree/src/core/engine.c" "$T/engine.orig"
sed -i '0,/^\treturn /s//\treturn  /' "$T/tree/src/core/engine.c"
broken "a file out of style" tools/format.sh "src/core/engine.c differs from .clang-format"
cp "$T/engine.orig" "$T/tree/src/core/engine.c"
exit 0
