#!/bin/bash
# The migration envelope over SNMP (test driver): arasMigrationBandwidth,
# arasMigrationAutoConverge, arasMigrationPostCopy and arasMinStay read,
# refused when out of range or of the wrong type (nothing changed), SET
# together, persisted across kill -9; arasMovesHeldMinStay and
# arasMigrationsQueued present with their types; a migration's action row
# has the progress columns arasActionData{Processed,Remaining,Total},
# arasActionDowntime and arasActionDuration (the test driver cannot live
# migrate between two test:// connections: the order fails, its row
# shows 0 transferred and no duration).
T_NAME=envelope
. "$(dirname "$0")/../lib.sh"

HOSTS_CONF=("host alpha $(fixture hostA.xml) 1" "host beta $(fixture hostB.xml) 2")
write_arasd_conf "stateFile $T/state" "migrationBandwidth 16"
start_snmpd || { not_ok "snmpd starts"; exit 1; }
start_arasd || { not_ok "arasd attaches to the master"; exit 1; }
check "the five VMs are listed" wait_get 30 $STATUS_OID.2.0 5

BW=$CONFIG_OID.24.0 AC=$CONFIG_OID.25.0 PC=$CONFIG_OID.26.0 STAY=$CONFIG_OID.27.0
HELD=$STATUS_OID.27.0 QUEUED=$STATUS_OID.28.0
ACT=$BASE_OID.1.6.1
web1=$(uuid_oid 6a2e7c0e-1f3b-4b4e-9a51-0000000000a1)

is "migrationBandwidth from the config file" "$(sget $BW)" 16
is "migrationAutoConverge defaults to true(1)" "$(sget $AC)" 1
is "migrationPostCopy defaults to false(2)" "$(sget $PC)" 2
is "minStay defaults to 0 (off)" "$(sget $STAY)" 0
is "arasMovesHeldMinStay is a Counter32 at 0" "$(snmpget -v2c -c public -Ov "$AGENT" $HELD)" "Counter32: 0"
is "arasMigrationsQueued is a Gauge32 at 0" "$(snmpget -v2c -c public -Ov "$AGENT" $QUEUED)" "Gauge32: 0"

# set_err DESC WANT-ERROR OID TYPE VALUE [OID TYPE VALUE...]
set_err() {
	local d=$1 want=$2 out
	shift 2
	out=$(sset "$@" 2>&1)
	check "$d -> $want" grep -q "Reason: $want" <<<"$out"
}
set_err "migrationBandwidth 1000001" wrongValue $BW u 1000001
set_err "migrationBandwidth as INTEGER" wrongType $BW i 8
set_err "migrationAutoConverge 0" wrongValue $AC i 0
set_err "migrationAutoConverge 3" wrongValue $AC i 3
set_err "migrationAutoConverge as Unsigned32" wrongType $AC u 2
set_err "migrationPostCopy 3" wrongValue $PC i 3
set_err "minStay 604801" wrongValue $STAY u 604801
set_err "one bad varbind fails the whole SET" wrongValue $BW u 8 $STAY u 900 $PC i 7
set_err "arasMovesHeldMinStay (read-only)" notWritable $HELD u 1
is "migrationBandwidth unchanged" "$(sget $BW)" 16
is "migrationAutoConverge unchanged" "$(sget $AC)" 1
is "migrationPostCopy unchanged" "$(sget $PC)" 2
is "minStay unchanged" "$(sget $STAY)" 0
# (arasd writes the state file for VM-MIB's vmIndex lines as it sees VMs: no other line)
check "nothing in the state file from rejected SETs" sh -c "! grep -qv '^#\\|^vmIndex ' '$T/state' 2>/dev/null"

check "bandwidth 8, auto-converge off, post-copy on, minStay 900 in one PDU" \
	sset $BW u 8 $AC i 2 $PC i 1 $STAY u 900
is "migrationBandwidth now 8" "$(sget $BW)" 8
is "migrationAutoConverge now false(2)" "$(sget $AC)" 2
is "migrationPostCopy now true(1)" "$(sget $PC)" 1
is "minStay now 900" "$(sget $STAY)" 900
check "bandwidth 0 (unlimited) and minStay 0 (off) are in range" sset $BW u 0 $STAY u 0
sset $BW u 8 $STAY u 900 >/dev/null

# kill -9 right after the response: on disk already
sset $STAY u 1200 >/dev/null && kill -9 "$ARASD_PID"
wait "$ARASD_PID" 2>/dev/null
check "state file holds minStay" grep -q "setting minStay 1200" "$T/state"
check "state file holds migrationAutoConverge by name" grep -q "setting migrationAutoConverge false" "$T/state"
start_arasd || not_ok "arasd restarts"
is "minStay 1200 survived kill -9" "$(sget $STAY)" 1200
is "migrationBandwidth 8 survived (and beats the config's 16)" "$(sget $BW)" 8
is "migrationAutoConverge false survived" "$(sget $AC)" 2
is "migrationPostCopy true survived" "$(sget $PC)" 1

# a migration's row: the progress columns exist (the test driver's migration fails at once)
check "the VMs are back" wait_get 30 $STATUS_OID.2.0 5
check "migrate web1 to beta" sset "$VM_ENTRY.31.$web1" u 2
check "web1's action appears" wait_for 10 sh -c "snmpwalk -v2c -c public -Oqv $AGENT $ACT.3 | grep -qF '\"web1\"'"
idx=$(swalk "$ACT.3" | grep -F '"web1"' | sed "s/^$ACT.3.\([0-9]*\) .*/\1/" | tail -1)
check "it is a migration (kind 5)" get_is "$ACT.4.$idx" 5
check "it ends failed(6) (the test driver cannot migrate)" wait_get 10 "$ACT.7.$idx" 6
for col in 14:arasActionDataProcessed 15:arasActionDataRemaining 16:arasActionDataTotal \
	17:arasActionDowntime 18:arasActionDuration; do
	is "${col#*:} is a Gauge32 at 0" "$(snmpget -v2c -c public -Ov "$AGENT" "$ACT.${col%%:*}.$idx")" "Gauge32: 0"
done
is "the walk of the action row shows 17 columns (12 + the 5 new)" \
	"$(swalk "$ACT" | grep -c "^$ACT\.[0-9]*\.$idx ")" 17
exit 0
