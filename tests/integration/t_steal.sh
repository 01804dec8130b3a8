#!/bin/bash
# Steal time on the test driver, which does not report vcpu.N.delay: the
# steal columns (arasVmCpuSteal, arasHostCpuStealMean/Max) are sparse and
# absent rather than a made-up 0, walks go past them in order, and
# arasStealThreshold is a writable setting (0..100, default 10) that
# survives kill -9.  With no steal figures the CPU rule is the old one: a
# hot VM on a host with room still gets a vCPU.  The figures themselves
# (present, in range, host max >= mean) are checked on real QEMU by
# tests/lab/steal.sh and the arithmetic by tests/unit/test_model.c.
T_NAME=steal
. "$(dirname "$0")/../lib.sh"

HOSTS_CONF=("host alpha $(fixture hostA.xml) 1")
write_arasd_conf "stateFile $T/state"
start_snmpd || { not_ok "snmpd starts"; exit 1; }
start_arasd || { not_ok "arasd attaches to the master"; exit 1; }
check "the three VMs of host alpha are listed" wait_get 30 $STATUS_OID.2.0 3
check "more polls (rates from a real interval)" wait_polls 3 15

STEAL_THR=$CONFIG_OID.23.0
web1=$(uuid_oid 6a2e7c0e-1f3b-4b4e-9a51-0000000000a1)

# the figures: absent, not 0
is "arasVmCpuSteal of web1: no instance (test driver has no vcpu.N.delay)" \
	"$(sget "$VM_ENTRY.44.$web1" 2>&1)" "No Such Instance currently exists at this OID"
is "arasHostCpuStealMean.1: no instance" "$(sget "$HOST_ENTRY.14.1" 2>&1)" \
	"No Such Instance currently exists at this OID"
is "arasHostCpuStealMax.1: no instance" "$(sget "$HOST_ENTRY.15.1" 2>&1)" \
	"No Such Instance currently exists at this OID"
is "a walk of arasVmCpuSteal returns no row" "$(swalk "$VM_ENTRY.44" 2>/dev/null | grep -c "^$VM_ENTRY.44\.")" 0
# GETNEXT from the sparse column goes on to the next object, not an error
next=$(snmpgetnext -v2c -c public -t 2 -r 1 -On "$AGENT" "$VM_ENTRY.44" 2>&1)
is "GETNEXT after arasVmCpuSteal skips to the next column (arasVmPlacementGroup), no error ($next)" \
	"$(grep -c -e "^$VM_ENTRY\.45\." <<<"$next"),$(grep -c 'No Such' <<<"$next")" 1,0
next=$(snmpgetnext -v2c -c public -t 2 -r 1 -On "$AGENT" "$HOST_ENTRY.13.1" 2>&1)
check "GETNEXT after the last arasHostMaintenance skips the absent steal columns ($next)" \
	grep -q "^$VM_ENTRY\.2\." <<<"$next"
walk=$(swalk "$HOST_ENTRY" 2>&1)
is "arasHostTable walks 12 columns for 1 host, no error" "$(grep -c "^$HOST_ENTRY\." <<<"$walk")" 12
is "no 'No Such' in the host table walk" "$(grep -c 'No Such' <<<"$walk")" 0
bulk=$(sbulk "$BASE_OID.1" 2>&1)
is "GETBULK over the host table and beyond: no steal instance, no error" \
	"$(grep -c -e "^$HOST_ENTRY\.1[45]\." -e 'No Such' <<<"$bulk")" 0
check "GETBULK went on into arasVmTable" grep -q "^$VM_ENTRY\.2\." <<<"$bulk"

# the setting
is "arasStealThreshold default 10" "$(sget $STEAL_THR)" 10
out=$(sset $STEAL_THR u 101 2>&1)
check "arasStealThreshold 101 -> wrongValue" grep -q "Reason: wrongValue" <<<"$out"
out=$(sset $STEAL_THR i 20 2>&1)
check "arasStealThreshold as INTEGER -> wrongType" grep -q "Reason: wrongType" <<<"$out"
is "rejected SETs changed nothing" "$(sget $STEAL_THR)" 10
check "arasStealThreshold 0 (off) accepted" sset $STEAL_THR u 0
check "arasStealThreshold 25 accepted" sset $STEAL_THR u 25
kill -9 "$ARASD_PID"
wait "$ARASD_PID" 2>/dev/null
start_arasd || not_ok "arasd attaches again"
check "arasStealThreshold 25 survives kill -9" wait_get 30 $STEAL_THR 25

# no steal figures: the CPU rule adds a vCPU as before (web1 2 -> 3 of 4)
check "policy automatic, allocate, cpuThreshold 45, hold 0, stealThreshold 10" \
	sset $CONFIG_OID.1.0 i 3 $CONFIG_OID.7.0 x 10 $CONFIG_OID.5.0 u 0 $CONFIG_OID.2.0 u 45 $STEAL_THR u 10
check "web1 gets a vCPU (no steal figure, host has room)" wait_get 40 "$VM_ENTRY.5.$web1" 3
reason=$(swalk "$BASE_OID.1.6.1.8" 2>/dev/null | grep -m1 'vCPUs 2 -> 3')
check "the action says vCPUs 2 -> 3 ($reason)" test -n "$reason"
is "... and nothing about steal" "$(grep -c steal <<<"$reason")" 0
exit 0
