#!/bin/bash
# Writable configuration over SNMP: every SET error code, a rejected SET
# changes nothing, multi-varbind SETs are all-or-nothing, an acknowledged
# SET is on disk before the response (survives kill -9), persisted SETs win
# over the config file.  arasPollInterval too: a SET changes the pollers'
# period at once (counted in arasPolls: 5 polls in a window where the
# config's 30 s gives at most 3, and at most 1 after a SET of 3600).
T_NAME=set
. "$(dirname "$0")/../lib.sh"

HOSTS_CONF=("host alpha $(fixture hostA.xml) 1")
POLL=30 write_arasd_conf "stateFile $T/state" "cpuThreshold 85"
start_snmpd || { not_ok "snmpd starts"; exit 1; }
start_arasd || { not_ok "arasd attaches to the master"; exit 1; }
# the per-VM SETs below need web1's row: wait for the first poll (slowed
# several-fold under the sanitizers, make san-check)
check "the three VMs of host alpha are listed" wait_get 30 $STATUS_OID.2.0 3

CPU=$CONFIG_OID.2.0 MEM=$CONFIG_OID.3.0 MARGIN=$CONFIG_OID.6.0 POLICY=$CONFIG_OID.1.0
ACTIONS=$CONFIG_OID.7.0 POLL_I=$CONFIG_OID.19.0 PERHOST=$CONFIG_OID.14.0
web1=$(uuid_oid 6a2e7c0e-1f3b-4b4e-9a51-0000000000a1)

is "config file value is the default (cpuThreshold 85)" "$(sget $CPU)" 85
is "pollInterval is the config file's 30" "$(sget $POLL_I)" 30

# set_err DESC WANT-ERROR OID TYPE VALUE [OID TYPE VALUE...]
set_err() {
	local d=$1 want=$2 out
	shift 2
	out=$(sset "$@" 2>&1)
	check "$d -> $want" grep -q "Reason: $want" <<<"$out"
}
set_err "cpuThreshold as INTEGER" wrongType $CPU i 50
set_err "cpuThreshold as OCTET STRING" wrongType $CPU s 50
set_err "cpuThreshold 101" wrongValue $CPU u 101
set_err "policy 4" wrongValue $POLICY i 4
set_err "policy as Unsigned32" wrongType $POLICY u 3
set_err "actions with an undefined bit" wrongValue $ACTIONS x 08
set_err "actions too long" wrongLength $ACTIONS x 8000000000
set_err "clearMargin 95 above cpuThreshold 85" inconsistentValue $MARGIN u 95
set_err "maxMigrationsPerHost above maxMigrations" inconsistentValue $PERHOST u 5
set_err "pollInterval 0" wrongValue $POLL_I u 0
set_err "pollInterval 3601" wrongValue $POLL_I u 3601
set_err "pollInterval as INTEGER" wrongType $POLL_I i 5
set_err "pollInterval as OCTET STRING" wrongType $POLL_I s 5
set_err "pollInterval 5 with a bad cpuThreshold in the PDU" wrongValue $POLL_I u 5 $CPU u 300
set_err "arasVmName (read-only)" notWritable "$VM_ENTRY.2.$web1" s x
set_err "arasVmCpuUsage (read-only)" notWritable "$VM_ENTRY.7.$web1" u 1
set_err "arasVmPriority of an unknown VM" noCreation "$VM_ENTRY.26.1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16" u 5
set_err "arasVmPriority 101" wrongValue "$VM_ENTRY.26.$web1" u 101
set_err "arasVmAllocOptOut 3" wrongValue "$VM_ENTRY.30.$web1" i 3
set_err "one bad varbind fails the whole SET" wrongValue $MEM u 50 $CPU u 300
is "cpuThreshold unchanged after the rejected SETs" "$(sget $CPU)" 85
is "memThreshold unchanged (all-or-nothing)" "$(sget $MEM)" 90
is "clearMargin unchanged" "$(sget $MARGIN)" 10
is "policy unchanged" "$(sget $POLICY)" 1
is "pollInterval unchanged (30)" "$(sget $POLL_I)" 30
# (arasd writes the state file for VM-MIB's vmIndex lines as it sees VMs: no other line)
check "nothing in the state file from rejected SETs" sh -c "! grep -qv '^#\\|^vmIndex ' '$T/state' 2>/dev/null"

# Cross-object rule sees every varbind of the PDU: a margin of 50 is fine
# together with a threshold of 60, not alone with 40.
check "cpuThreshold 60 + clearMargin 50 in one PDU accepted" sset $CPU u 60 $MARGIN u 50 $MEM u 60 $CONFIG_OID.4.0 u 60
is "cpuThreshold now 60" "$(sget $CPU)" 60
is "clearMargin now 50" "$(sget $MARGIN)" 50
set_err "cpuThreshold 40 below clearMargin 50" inconsistentValue $CPU u 40
check "policy automatic, actions trap+email accepted" sset $POLICY i 3 $ACTIONS x C0
is "policy now automatic(3)" "$(sget $POLICY)" 3
is "actions now trap,email" "$(sget $ACTIONS)" '"C0 "'
check "arasVmPriority.web1 = 70 accepted" sset "$VM_ENTRY.26.$web1" u 70
check "arasVmCpuThreshold.web1 = 55 accepted" sset "$VM_ENTRY.27.$web1" u 55
check "arasVmAllocOptOut.web1 = true accepted" sset "$VM_ENTRY.30.$web1" i 1
is "arasVmPriority.web1 reads 70" "$(sget "$VM_ENTRY.26.$web1")" 70

# pollInterval 30 -> 1: the next poll comes at the new period (the pollers'
# wait under way included).  At 30 s, 5 polls of the one host take 120 s
# at least (at most 3 fit in 60 s): seeing them within 60 s of the SET
# shows the change.
p0=$(polls)
check "pollInterval 1 accepted" sset $POLL_I u 1
is "pollInterval now 1" "$(sget $POLL_I)" 1
check "5 polls within 60 s of pollInterval 1 (at 30 s: at most 3; arasPolls from $p0)" \
	wait_for 60 polls_ge $((p0 + 5))

# kill -9 right after the response: the value is on disk already
sset $CPU u 77 $POLL_I u 2 >/dev/null && kill -9 "$ARASD_PID"
wait "$ARASD_PID" 2>/dev/null
check "state file holds the SET" grep -q "setting cpuThreshold 77" "$T/state"
check "state file holds pollInterval 2" grep -qx "setting pollInterval 2" "$T/state"
start_arasd || not_ok "arasd restarts"
is "cpuThreshold 77 survived kill -9 (and beats the config's 85)" "$(sget $CPU)" 77
is "pollInterval 2 survived kill -9 (and beats the config's 30)" "$(sget $POLL_I)" 2
check "the restarted arasd polls at 2 s: 5 polls within 60 s (at 30 s: at most 3)" wait_for 60 polls_ge 5
is "policy survived" "$(sget $POLICY)" 3
is "actions survived" "$(sget $ACTIONS)" '"C0 "'
check "web1 row back" wait_for 5 sh -c "snmpget -v2c -c public -Oqv $AGENT $VM_ENTRY.26.$web1 | grep -qx 70"
is "arasVmCpuThreshold.web1 survived" "$(sget "$VM_ENTRY.27.$web1")" 55
is "arasVmAllocOptOut.web1 survived" "$(sget "$VM_ENTRY.30.$web1")" 1

# orderly restart too
kill "$ARASD_PID"; wait "$ARASD_PID" 2>/dev/null
start_arasd || not_ok "arasd restarts after SIGTERM"
is "cpuThreshold 77 after a clean restart" "$(sget $CPU)" 77
is "pollInterval 2 after a clean restart" "$(sget $POLL_I)" 2

# 2 -> 3600: the wait under way grows too.  At 2 s, 3 polls or more would
# come in the next 6 s; at 3600 s none (one may have been under way).
check "the first poll after the restart is in" wait_for 30 polls_ge 1
check "pollInterval 3600 accepted" sset $POLL_I u 3600
p0=$(polls)
sleep 6
p1=$(polls)
check "at most 1 poll in the 6 s after pollInterval 3600 (arasPolls $p0 -> $p1)" test $((p1 - p0)) -le 1

# a corrupt state file is refused with file:line
echo "setting cpuThreshold banana" >>"$T/state"
out=$("$ARASD" -n -c "$T/arasd.conf" 2>&1)
is "-n fails on a corrupt state file" "$?" 1
check "names the state file and line ($out)" grep -qF "$T/state:" <<<"$out"
exit 0
