#!/bin/bash
# Config checking: a bad line names file, line and reason; -n exits 1; a
# good file passes; arasd refuses to start on a bad one.
T_NAME=config
. "$(dirname "$0")/../lib.sh"

# case: expected message fragment | config line
cases=(
	"host needs a name and a libvirt URI|host onlyname"
	"host index must be a number from 1 to 65535|host a test:///default 0"
	"host index already used|host b test:///default 1"
	"host name already used|host a test:///default 5"
	"pollInterval: 0 out of range 1..3600|pollInterval 0"
	"cpuThreshold: 101 out of range 0..100|cpuThreshold 101"
	"holdTime: 'abc' is not a number|holdTime abc"
	"policy: unknown value 'sometimes'|policy sometimes"
	"actions: unknown action 'fax'|actions trap,fax"
	"Unknown token: frobnicate|frobnicate 12"
	"agentxPingInterval must be a number|agentxPingInterval -3"
)
for c in "${cases[@]}"; do
	want=${c%%|*}
	line=${c#*|}
	printf '# arasd test config\nhost a test:///default 1\n%s\n' "$line" >"$T/bad.conf"
	out=$("$ARASD" -n -c "$T/bad.conf" 2>&1)
	rc=$?
	is "-n exits 1 on '$line'" "$rc" 1
	check "'$line' -> file:line:reason ($want)" grep -qF "$T/bad.conf: line 3: " <<<"$out"
	check "'$line' reason: $want" grep -qF "$want" <<<"$out"
done

printf 'host a test:///default\nclearMargin 50\ncpuThreshold 40\n' >"$T/inc.conf"
out=$("$ARASD" -n -c "$T/inc.conf" 2>&1)
is "-n exits 1 on contradictory settings" "$?" 1
check "contradiction explained ($out)" grep -q "clearMargin 50 is larger than cpuThreshold 40" <<<"$out"

printf 'pollInterval 5\n' >"$T/nohost.conf"
out=$("$ARASD" -n -c "$T/nohost.conf" 2>&1)
is "-n exits 1 without any host" "$?" 1
check "no host explained" grep -q "no host line" <<<"$out"

out=$("$ARASD" -n -c "$T/missing.conf" 2>&1)
is "-n exits 1 on a missing file" "$?" 1
check "missing file named" grep -qF "$T/missing.conf: cannot open" <<<"$out"

out=$("$ARASD" -n -c "$TOP/conf/arasd.conf" 2>&1)
is "shipped conf/arasd.conf passes -n ($out)" "$?" 0
out=$("$ARASD" -n -c "$TOP/conf/demo.conf" 2>&1)
is "shipped conf/demo.conf passes -n ($out)" "$?" 0

# docs/configuration.md's settings table is what the settings table says (arasd -S)
"$ARASD" -S >"$T/settings.md"
check "docs/configuration.md settings section matches 'arasd -S'" sh -c "grep -F -x -f '$T/settings.md' '$TOP/docs/configuration.md' | wc -l | grep -qx $(wc -l <"$T/settings.md")"

printf 'agentxSocket %s\nhost a test:///default\ncpuThreshold 500\n' "$AGENTX" >"$T/run.conf"
timeout 10 "$ARASD" -f -c "$T/run.conf" >"$T/run.out" 2>&1
is "arasd refuses to start on a bad config" "$?" 1
check "and says why" grep -q "cpuThreshold: 500 out of range" "$T/run.out"
exit 0
