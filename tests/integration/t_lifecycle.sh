#!/bin/bash
# Issue #13: VM life cycle over SNMP on libvirt's test driver.  Every
# arasVmCommand through snmpset: the state read back (arasVmOperState,
# arasVmStateReason, and libvirt's own view through the same daemon is not
# reachable from a second process, so arasd's rows are the witness), an
# arasActionTable row (kind = command + 6, origin operator), arasActionDone
# and arasVmStateChange at snmptrapd.  Refused commands get the right error
# and change nothing; two commands in one PDU act together or not at all;
# a storm of changes is limited by arasStateNotifyLimit and summed up by
# arasVmStateChangesCoalesced.  Inactive (defined, shut off) VMs are rows.
# Changes made behind arasd's back (virsh on a real libvirtd) are covered
# by the lab (tests/lab/lifecycle.sh).
T_NAME=lifecycle
. "$(dirname "$0")/../lib.sh"

# host A's fixture plus a defined, shut-off VM (the test driver's runstate 5)
HA=$(fixture hostA.xml)
sed -i "s|<node>|<node xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>|; s|  <pool type='dir'>|  <domain type='test'><name>idle1</name><uuid>1d1e0000-0000-4000-8000-0000000000c1</uuid><memory>1048576</memory><currentMemory>1048576</currentMemory><vcpu>1</vcpu><os><type>hvm</type></os><test:runstate>5</test:runstate></domain>\n  <pool type='dir'>|" "${HA#test://}"
# host bulk: 200 running VMs for the storm (part 6)
HB=$T/bulk.xml
{
	echo "<node><cpu><mhz>2400</mhz><model>x86_64</model><active>64</active><nodes>1</nodes><sockets>4</sockets><cores>8</cores><threads>2</threads></cpu><memory>268435456</memory>"
	for i in $(seq 1 200); do
		printf "<domain type='test'><name>b%03d</name><uuid>b0000000-0000-4000-8000-000000000%03x</uuid><memory>262144</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>\n" "$i" "$i"
	done
	echo "</node>"
} >"$HB"
HOSTS_CONF=("host alpha $HA 1" "host bulk test://$HB 2")
POLL=30 # events, command results and kicks must carry every change, not the poll
write_arasd_conf "stateFile $T/state" "actions trap"
start_snmpd || { not_ok "snmpd starts"; exit 1; }
start_trapd
start_arasd || { not_ok "arasd attaches to the master"; exit 1; }
wait_get 10 $STATUS_OID.2.0 204

ACT=$BASE_OID.1.6.1
OPER=39 PREV=40 REASON=41 CHANGES=42 CMD=43
web1=$(uuid_oid 6a2e7c0e-1f3b-4b4e-9a51-0000000000a1)
db1=$(uuid_oid 0f4c1d2e-8b7a-4c3d-8e2f-0000000000a2)
cache1=$(uuid_oid c3b2a190-5d4e-4f60-a7b8-0000000000a3)
idle1=$(uuid_oid 1d1e0000-0000-4000-8000-0000000000c1)
N_STATE=$BASE_OID.0.8 N_COALESCED=$BASE_OID.0.9 N_DONE=$BASE_OID.0.4

oper() { sget "$VM_ENTRY.$OPER.$1"; }
# the newest operator action of VM NAME: "index kind state"
last_action() {
	local idx best=0
	for idx in $(swalk "$ACT.3" | grep -F "\"$1\"" | sed "s/^$ACT.3.\([0-9]*\) .*/\1/"); do
		[ "$(sget "$ACT.12.$idx")" = 2 ] && [ "$idx" -gt "$best" ] && best=$idx
	done
	[ "$best" -gt 0 ] && echo "$best $(sget "$ACT.4.$best") $(sget "$ACT.7.$best")"
}
action_is() { [ "$(last_action "$1" | cut -d' ' -f2-)" = "$2" ]; }
actions_n() { swalk "$ACT.3" | grep -c .; }
# the received notifications of one kind (snmpTrapOID.0 = OID)
ntraps() { grep -F "OID: $1	" "$T/traps.log"; }
state_trap_is() { # NAME PREV NEW: an arasVmStateChange for NAME from PREV to NEW was received
	ntraps "$N_STATE" | grep -F "\"$1\"" |
		grep -q "$VM_ENTRY.$PREV.[0-9.]* = INTEGER: $2[^0-9].*$VM_ENTRY.$OPER.[0-9.]* = INTEGER: $3\b"
}

# 1. rows, inactive VMs included
is "web1 running(4)" "$(oper "$web1")" 4
is "idle1 (defined, shut off) is a row: shutdown(11)" "$(oper "$idle1")" 11
check "idle1's reason says shut off" sh -c "snmpget -v2c -c public -Oqv $AGENT $VM_ENTRY.$REASON.$idle1 | grep -q '^\"shutoff: '"
is "arasVmCommand reads none(1)" "$(sget "$VM_ENTRY.$CMD.$web1")" 1
is "arasVmPrevOperState before any change: unknown(1)" "$(sget "$VM_ENTRY.$PREV.$web1")" 1
is "arasShutdownTimeout default 120" "$(sget "$CONFIG_OID.21.0")" 120
is "arasStateNotifyLimit default 20" "$(sget "$CONFIG_OID.22.0")" 20

# 2. refused commands change nothing
n0=$(actions_n)
# refused OID TYPE VALUE REASON LABEL: the SET fails with REASON
refused() {
	local out
	out=$(snmpset -v2c -c private -t 2 -r 0 "$AGENT" "$1" "$2" "$3" 2>&1)
	check "$5 -> $4" grep -qE "Reason: ($4)" <<<"$out"
}
refused "$VM_ENTRY.$CMD.$web1" i 8 inconsistentValue "resume(8) of a running VM"
refused "$VM_ENTRY.$CMD.$web1" i 2 inconsistentValue "start(2) of a running VM"
refused "$VM_ENTRY.$CMD.$idle1" i 7 inconsistentValue "suspend(7) of a shut-off VM"
refused "$VM_ENTRY.$CMD.$idle1" i 10 inconsistentValue "restore(10) without a saved image"
refused "$VM_ENTRY.$CMD.$web1" i 12 wrongValue "command 12"
refused "$VM_ENTRY.$CMD.$web1" i 0 wrongValue "command 0"
refused "$VM_ENTRY.$CMD.$web1" u 7 wrongType "an Unsigned32"
refused "$VM_ENTRY.$CMD.1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16" i 7 "noCreation|notWritable|noAccess" \
	"a VM that does not exist"
check "arasVmCommand none(1) is accepted and does nothing" sset "$VM_ENTRY.$CMD.$web1" i 1
sleep 1
is "no action row was created by any of these" "$(actions_n)" "$n0"
is "web1 still running(4)" "$(oper "$web1")" 4

# 3. each command: state, action row, notifications
run_cmd() { # VM-OID NAME CMD WANT-OPER LABEL
	local kind=$(($3 + 6))
	check "$5: snmpset arasVmCommand $3 on $2" sset "$VM_ENTRY.$CMD.$1" i "$3"
	check "$5: $2 reaches arasVmOperState $4" wait_get 10 "$VM_ENTRY.$OPER.$1" "$4"
	check "$5: $2's newest operator action is kind $kind, succeeded(5)" \
		wait_for 10 action_is "$2" "$kind 5"
}
run_cmd "$web1" web1 7 8 suspend
is "suspend: arasVmStateReason 'paused: user'" "$(sget "$VM_ENTRY.$REASON.$web1")" '"paused: user"'
is "suspend: arasVmPrevOperState running(4)" "$(sget "$VM_ENTRY.$PREV.$web1")" 4
check "suspend: arasVmStateChange running(4) -> paused(8) for web1 at snmptrapd" wait_for 5 state_trap_is web1 4 8
check "suspend: the notification carries the canonical UUID and host name" \
	eval 'ntraps "$N_STATE" | grep -F "\"web1\"" | grep -F "\"6a2e7c0e-1f3b-4b4e-9a51-0000000000a1\"" | grep -qF "\"alpha\""'
done_web1() { ntraps "$N_DONE" | grep -qF '"web1"'; }
check "suspend: arasActionDone for web1 at snmptrapd" wait_for 5 done_web1
run_cmd "$web1" web1 8 4 resume
check "resume: arasVmStateChange paused(8) -> running(4)" wait_for 5 state_trap_is web1 8 4
run_cmd "$db1" db1 9 6 managedSave
check "managedSave: arasVmStateChange running(4) -> suspending(5) -> suspended(6)" eval 'state_trap_is db1 4 5 && state_trap_is db1 5 6'
check "managedSave: reason 'shutoff: saved'" get_is "$VM_ENTRY.$REASON.$db1" '"shutoff: saved"'
refused "$VM_ENTRY.$CMD.$db1" i 2 inconsistentValue "start(2) of a VM with a saved image (restore it)"
run_cmd "$db1" db1 10 4 restore
check "restore: arasVmStateChange suspended(6) -> resuming(7)" wait_for 5 state_trap_is db1 6 7
check "restore: arasVmStateChange resuming(7) -> running(4)" wait_for 5 state_trap_is db1 7 4
run_cmd "$cache1" cache1 6 4 reboot
run_cmd "$web1" web1 3 11 shutdown
check "shutdown: arasVmStateChange running(4) -> shuttingdown(10)" wait_for 5 state_trap_is web1 4 10
check "shutdown: arasVmStateChange shuttingdown(10) -> shutdown(11)" wait_for 5 state_trap_is web1 10 11
run_cmd "$web1" web1 2 4 start
check "start: arasVmStateChange shutdown(11) -> preparing(3)" wait_for 5 state_trap_is web1 11 3
check "start: arasVmStateChange preparing(3) -> running(4)" wait_for 5 state_trap_is web1 3 4
run_cmd "$web1" web1 5 11 destroy
is "destroy: reason 'shutoff: destroyed'" "$(sget "$VM_ENTRY.$REASON.$web1")" '"shutoff: destroyed"'
run_cmd "$idle1" idle1 2 4 "start (defined VM)"
run_cmd "$idle1" idle1 4 11 shutdownForce
changes=$(sget "$VM_ENTRY.$CHANGES.$web1")
check "web1's arasVmStateChanges counts its changes (>= 6: $changes)" test "${changes:-0}" -ge 6

# 4. two commands in one PDU: together, or not at all
n0=$(actions_n)
check "one PDU: start web1, suspend db1" sset "$VM_ENTRY.$CMD.$web1" i 2 "$VM_ENTRY.$CMD.$db1" i 7
check "web1 running(4)" wait_get 10 "$VM_ENTRY.$OPER.$web1" 4
check "db1 paused(8)" wait_get 10 "$VM_ENTRY.$OPER.$db1" 8
is "two action rows" "$(actions_n)" $((n0 + 2))
n0=$(actions_n)
out=$(snmpset -v2c -c private -t 2 -r 0 "$AGENT" "$VM_ENTRY.$CMD.$web1" i 7 "$VM_ENTRY.$CMD.$db1" i 7 2>&1)
check "one PDU with a valid (suspend web1) and an invalid command (suspend paused db1) -> inconsistentValue" \
	grep -q "Reason: inconsistentValue" <<<"$out"
sleep 1
is "web1 still running(4): nothing of the PDU ran" "$(oper "$web1")" 4
is "no action row" "$(actions_n)" "$n0"
out=$(snmpset -v2c -c private -t 2 -r 0 "$AGENT" "$VM_ENTRY.$CMD.$db1" i 8 "$VM_ENTRY.$CMD.$db1" i 5 2>&1)
check "two commands for one VM in one PDU -> inconsistentValue" grep -q "Reason: inconsistentValue" <<<"$out"
is "db1 still paused(8)" "$(oper "$db1")" 8
check "resume db1" sset "$VM_ENTRY.$CMD.$db1" i 8
check "db1 running(4)" wait_get 10 "$VM_ENTRY.$OPER.$db1" 4

# 5. a storm: limit 2 per 10 s; 6 changes -> 2 sent, 4 summed up
check "arasStateNotifyLimit 2" sset "$CONFIG_OID.22.0" u 2
sleep 10.5 # the window of the changes above ends
seen0=$(sget "$STATUS_OID.23.0") co0=$(sget "$STATUS_OID.24.0")
n_state0=$(ntraps "$N_STATE" | grep -c .)
check "one PDU: suspend web1, db1, cache1" sset "$VM_ENTRY.$CMD.$web1" i 7 "$VM_ENTRY.$CMD.$db1" i 7 "$VM_ENTRY.$CMD.$cache1" i 7
check "all three paused" wait_for 10 sh -c "[ \"\$(snmpget -v2c -c public -Oqv $AGENT $VM_ENTRY.$OPER.$web1 $VM_ENTRY.$OPER.$db1 $VM_ENTRY.$OPER.$cache1 | tr '\n' ' ')\" = '8 8 8 ' ]"
check "one PDU: resume web1, db1, cache1" sset "$VM_ENTRY.$CMD.$web1" i 8 "$VM_ENTRY.$CMD.$db1" i 8 "$VM_ENTRY.$CMD.$cache1" i 8
check "all three running" wait_for 10 sh -c "[ \"\$(snmpget -v2c -c public -Oqv $AGENT $VM_ENTRY.$OPER.$web1 $VM_ENTRY.$OPER.$db1 $VM_ENTRY.$OPER.$cache1 | tr '\n' ' ')\" = '4 4 4 ' ]"
seen=$(($(sget "$STATUS_OID.23.0") - seen0)) co=$(($(sget "$STATUS_OID.24.0") - co0))
is "arasVmStateChangesSeen rose by 6" "$seen" 6
is "arasStateNotificationsCoalesced rose by 4" "$co" 4
summary_total() { ntraps "$N_COALESCED" | grep -q "$STATUS_OID.24.0 = Counter32: $1"; }
check "arasVmStateChangesCoalesced with the coalesced total arrives when the window ends" \
	wait_for 15 summary_total $((co0 + 4))
is "only 2 arasVmStateChange notifications were sent for the 6 changes" \
	$(($(ntraps "$N_STATE" | grep -c .) - n_state0)) 2
check "the event log has stateChange(10) rows" sh -c "snmpwalk -v2c -c public -Oqv $AGENT $BASE_OID.1.5.1.3 | grep -qx 10"

# 6. a storm: 200 VMs of one host powered off within seconds (4 PDUs of
#    50 destroy commands): every change is counted and in the table, at
#    most arasStateNotifyLimit (20) arasVmStateChange per 10 s reach the
#    receiver, one arasVmStateChangesCoalesced sums up the rest, and GETs
#    are answered throughout.
check "arasStateNotifyLimit back to 20" sset "$CONFIG_OID.22.0" u 20
sleep 10.5 # the last window ends
seen0=$(sget "$STATUS_OID.23.0") co0=$(sget "$STATUS_OID.24.0")
n_state0=$(ntraps "$N_STATE" | grep -c .) n_co0=$(ntraps "$N_COALESCED" | grep -c .)
t0=$(date +%s.%N)
pdu_fail=0
for b in 0 1 2 3; do
	args=()
	for i in $(seq $((b * 50 + 1)) $((b * 50 + 50))); do
		args+=("$VM_ENTRY.$CMD.$(uuid_oid "$(printf 'b0000000-0000-4000-8000-000000000%03x' "$i")")" i 5)
	done
	sset "${args[@]}" >/dev/null || pdu_fail=$((pdu_fail + 1))
done
is "4 PDUs of 50 destroy commands accepted" "$pdu_fail" 0
bulk_off() { [ "$(sbulk "$VM_ENTRY.$OPER" | grep -c "^[.]*$VM_ENTRY.$OPER.176.0.0.0.* = INTEGER: 11$")" = 200 ]; }
check "all 200 VMs shutdown(11) in arasVmOperState" wait_for 60 bulk_off
t1=$(date +%s.%N)
is "arasVmCount answers during the storm" "$(sget "$STATUS_OID.2.0")" 204
seen=$(($(sget "$STATUS_OID.23.0") - seen0)) co=$(($(sget "$STATUS_OID.24.0") - co0))
is "arasVmStateChangesSeen rose by 200" "$seen" 200
check "a summary arrives when the window ends" wait_for 15 eval '[ $(ntraps "$N_COALESCED" | grep -c .) -gt $n_co0 ]'
sleep 1
sent=$(($(ntraps "$N_STATE" | grep -c .) - n_state0))
is "every change was sent or coalesced (sent $sent + coalesced $co)" $((sent + co)) 200
windows=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", (b - a) / 10 + 2 }')
check "at most 20 per 10 s window were sent ($sent in $windows windows at most)" test "$sent" -le $((20 * windows))
echo "# storm: 200 destroy commands in 4 PDUs, all shut off after $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s; $sent arasVmStateChange sent, $co coalesced, $(($(ntraps "$N_COALESCED" | grep -c .) - n_co0)) summary"

# 7. undefine(11) (issue 24): a shut-off VM's definition goes, its row
# leaves at the kicked poll, arasActionDone and VM-MIB's vmDeleted are sent
VM_DELETED=.1.3.6.1.2.1.236.0.10
n0=$(actions_n)
refused "$VM_ENTRY.$CMD.$web1" i 11 inconsistentValue "undefine(11) of a running VM"
is "no action row for them" "$(actions_n)" "$n0"
is "web1 still running(4) and a row" "$(oper "$web1")" 4
idle_name=$(swalk "$VM_ENTRY.2" | grep -c '"idle1"')
is "idle1 is a row before" "$idle_name" 1
deleted0=$(ntraps "$VM_DELETED" | grep -c .)
check "undefine(11) of idle1 (shut off, no saved image) accepted" sset "$VM_ENTRY.$CMD.$idle1" i 11
check "its action row: kind undefine(17), succeeded(5), origin operator" wait_for 10 action_is idle1 "17 5"
check "idle1's row is gone (arasVmCount 203)" wait_get 10 "$STATUS_OID.2.0" 203
check "  and arasVmName.idle1 no longer answers" sh -c "! snmpget -v2c -c public -Oqv $AGENT $VM_ENTRY.2.$idle1 | grep -q idle1"
check "arasActionDone for idle1's undefine at snmptrapd" wait_for 5 sh -c "grep -F 'OID: $N_DONE	' '$T/traps.log' | grep -F '\"idle1\"' | grep -q '$ACT.4.[0-9]* = INTEGER: 17'"
check "VM-MIB vmDeleted for idle1 at snmptrapd" wait_for 10 sh -c "[ \$(grep -F 'OID: $VM_DELETED	' '$T/traps.log' | grep -c .) -gt $deleted0 ]"
# a suspended VM: its managed save image goes with it (virsh undefine --managed-save)
run_cmd "$db1" db1 9 6 "managedSave before undefine"
check "undefine(11) of suspended db1 accepted" sset "$VM_ENTRY.$CMD.$db1" i 11
check "db1's undefine succeeded(5)" wait_for 10 action_is db1 "17 5"
check "db1's row is gone (arasVmCount 202)" wait_get 10 "$STATUS_OID.2.0" 202
check "an undefined VM's command is refused: noSuchName/noCreation" sh -c "snmpset -v2c -c private -t 2 -r 0 $AGENT $VM_ENTRY.$CMD.$idle1 i 2 2>&1 | grep -qE 'Reason: (noCreation|noAccess|notWritable|inconsistentName)'"
exit 0
