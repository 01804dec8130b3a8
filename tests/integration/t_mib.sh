#!/bin/bash
# ARAS-MIB passes smilint -l 4 with no output and every name resolves.
T_NAME=mib
. "$(dirname "$0")/../lib.sh"
out=$(sh "$TOP/mib/lint.sh" 2>&1)
rc=$?
is "mib/lint.sh exits 0" "$rc" 0
check "mib/lint.sh: $(tail -1 <<<"$out")" grep -q "mib lint: OK" <<<"$out"
exit 0
