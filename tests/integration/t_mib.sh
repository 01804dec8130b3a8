#!/bin/bash
# ARAS-MIB passes smilint -l 4 with no output and every name resolves;
# ArasVmOperState has RFC 7666's VirtualMachineOperState values exactly.
T_NAME=mib
. "$(dirname "$0")/../lib.sh"
out=$(sh "$TOP/mib/lint.sh" 2>&1)
rc=$?
is "mib/lint.sh exits 0" "$rc" 0
check "mib/lint.sh: $(tail -1 <<<"$out")" grep -q "mib lint: OK" <<<"$out"
# RFC 7666 (VM-MIB), VirtualMachineOperState as published, written out here
rfc="unknown(1) other(2) preparing(3) running(4) suspending(5) suspended(6) resuming(7) paused(8) migrating(9) shuttingdown(10) shutdown(11) crashed(12)"
mib=$(sed -n '/^ArasVmOperState ::=/,/^ *}/p' "$TOP/mib/ARAS-MIB.txt" | sed -n '/SYNTAX/,/}/p' |
	grep -oE '[a-z]+\([0-9]+\)' | tr '\n' ' ' | sed 's/ $//')
is "ArasVmOperState is RFC 7666's VirtualMachineOperState" "$mib" "$rfc"
exit 0
