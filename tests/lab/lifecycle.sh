# tests/lab/lifecycle.sh - S10: VM life cycle over SNMP on the real lab
# (issue 13).  Sourced by tests/lab/check.sh (the last group, or alone with
# ARAS_LAB_ONLY=lifecycle) and uses its helpers: arasd_run, vget/vis,
# actions, mark_traps/has_trap, hb_wait, ok/not_ok/is/check, fig.
#
# Two idle guests: lc1 on host A (ARAS_GUEST_ON_REBOOT=restart, so that a
# reboot really reboots) and lc2 on host B (aras.acpi=0: ignores the power
# button), and arasd with pollInterval 30, so that whatever shows up within
# a few seconds came from libvirt's domain events:
#   - arasVmCommand reads none(1); resume(8) of a running VM is refused
#     with inconsistentValue and changes nothing; several commands in one
#     PDU (lc1 on A, lc2 on B) run all or none;
#   - each command through snmpset: suspend (the heartbeat stops), resume
#     (it goes on, no reset), managedSave + restore (the counter goes on),
#     reboot (the ACPI power button, then a fresh boot: hb=1 again),
#     shutdown (ACPI, the guest powers off), start (fresh boot), destroy;
#     each asserted via virsh domstate --reason, arasVmOperState, its
#     arasActionTable row (kind = command + 6, operator, succeeded),
#     arasActionDone, arasVmStateChange (reason as virsh shows it) and the
#     serial heartbeat;
#   - host B's libvirtd killed and restarted: B down, then up; lc2
#     suspended meanwhile shows (re-read on reconnect); a virsh resume on
#     the new connection shows within 10 s (events subscribed again);
#   - shutdown(3) of lc2 fails after arasShutdownTimeout (5 s), lc2 keeps
#     running; shutdownForce(4) then powers it off;
#   - state changes made outside arasd (virsh start, then virsh suspend /
#     resume alternating, >= 10): arasVmOperState and an arasVmStateChange
#     at snmptrapd, each within 10 s although the next poll is up to 30 s
#     away; the first virsh suspend's notification is checked varbind by
#     varbind; then virsh managedsave and start (restore), reasons as virsh's;
#   - a storm (arasStateNotifyLimit 3, 10 changes at once): at most 3
#     arasVmStateChange, one arasVmStateChangesCoalesced, the counter;
#   - a crash (the lab's QEMU of lc1 killed): crashed(12), its notification,
#     an event row crashed(11) and the script receiver run.
# Figures: command latency per kind (snmpset -> state reached, as virsh
# shows it), and virsh -> row / virsh -> notification latency (median,
# max) next to pollInterval.
# shellcheck shell=bash

N_STATE=8
declare -A CMD_NO=([start]=2 [shutdown]=3 [shutdownForce]=4 [destroy]=5 [reboot]=6
	[suspend]=7 [resume]=8 [managedSave]=9 [restore]=10)
declare -A CMD_S=() # command -> seconds from snmpset to the state in virsh
LC_POLL=30

ms_now() { echo $(($(date +%s%N) / 1000000)); }
declare -A LCH=([lc1]=A [lc2]=B) # the lab host of each guest
vstate() { vsh "${LCH[$1]}" domstate "$1" --reason 2>/dev/null; } # "paused (user)"
# wait_vstate NAME SECONDS STATE: until virsh shows STATE (every 50 ms);
# VSTATE_MS = when it did (ms_now)
wait_vstate() {
	local end=$(($(ms_now) + $2 * 1000))
	VSTATE_MS=
	while :; do
		if [ "$(vstate "$1")" = "$3" ]; then
			VSTATE_MS=$(ms_now)
			return 0
		fi
		[ "$(ms_now)" -lt $end ] || return 1
		sleep 0.05
	done
}
# virsh's state and reason in arasVmStateReason's form ("shutoff: saved")
vreason() { vstate "$1" | sed 's/^shut off/shutoff/; s/ (\(.*\))$/: \1/'; }
reason_is() { [ "$(vget "$1" $V_REASON)" = "\"$2\"" ]; }
# the arasVmStateReason varbind of a notification line
# (the column's full OID: a UUID octet of 41 in the index must not match)
trap_reason() {
	grep -oE "${VM_ENTRY//./\\.}\.$V_REASON\.[0-9.]+ = STRING: \"[^\"]*\"" <<<"$1" | sed 's/.*STRING: "//; s/"$//'
}
hb_mark() { hb_lines "$1" | wc -l; }
hb_new() { [ "$(hb_mark "$1")" -gt "$(($2 + ${3:-1} - 1))" ]; } # NAME MARK [N]: N heartbeats after MARK
hb_since() { hb_lines "$1" | tail -n +"$(($2 + 1))"; } # NAME MARK: heartbeats after MARK
acpi_presses() { tr -d '\r' <"$LAB/run/$1.console" 2>/dev/null | grep -c '^ARAS acpi: power button'; }
# state_trap MARK NAME OPER: an arasVmStateChange for NAME with
# arasVmOperState = OPER since MARK (its line of traps.log)
state_trap() {
	tail -n +"$(($1 + 1))" "$T/traps.log" |
		grep -E "OID: ${NOTIFY_OID//./\\.}\.$N_STATE([[:space:]]|\$)" | grep -F "\"$2\"" |
		grep -E "${VM_ENTRY//./\\.}\.$V_OPER\.${VOID[$2]//./\\.} = INTEGER: $3([[:space:]]|\$)" | head -n 1 | grep .
}
# newest arasActionTable row of NAME with KIND
last_action() { actions "$1" | awk -v k="$2" '$2 == k { i = $1 } END { print i }'; }
kind_count() { actions "$1" | awk -v k="$2" '$2 == k' | wc -l; }
kind_count_gt() { [ "$(kind_count "$1" "$2")" -gt "$3" ]; }
# med_max VALUES...: "median X ms, max Y ms (n=N)"
med_max() {
	[ $# -gt 0 ] || { echo "n=0"; return; }
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { if (!NR) { print "n=0"; exit }
		printf "median %d ms, max %d ms (n=%d)", v[int((NR + 1) / 2)], v[NR], NR }'
}

# lc_cmd NAME COMMAND VIRSH_STATE OPER: snmpset arasVmCommand.NAME =
# COMMAND, then virsh must show VIRSH_STATE, arasVmOperState = OPER, the
# action row (kind COMMAND + 6, operator(2)) must end succeeded(5) with an
# arasActionDone, and an arasVmStateChange to OPER must reach snmptrapd.
# CMD_S[COMMAND]: seconds from the snmpset to the state in virsh.
lc_cmd() {
	local n=$1 c=$2 want=$3 oper=$4 no=${CMD_NO[$2]} kind mark n0 t0 out idx
	kind=$((no + 6))
	mark=$(mark_traps)
	n0=$(kind_count "$n" $kind)
	t0=$(ms_now)
	if ! out=$(sset "$VM_ENTRY.$V_CMD.${VOID[$n]}" i "$no" 2>&1); then
		not_ok "S10 snmpset arasVmCommand.$n = $c($no): $(echo "$out" | tr '\n' ' ')"
		return 1
	fi
	if wait_vstate "$n" 60 "$want"; then
		CMD_S[$c]=$(awk -v a="$t0" -v b="$VSTATE_MS" 'BEGIN { printf "%.2f", (b - a) / 1000 }')
		ok "S10 $c($no) through snmpset: virsh shows '$want' after ${CMD_S[$c]} s"
	else
		not_ok "S10 $c($no): virsh shows '$(vstate "$n")', want '$want'"
	fi
	if wait_for 10 vis "$n" $V_OPER "$oper"; then
		ok "S10 $c: arasVmOperState.$n = $oper ($(vget "$n" $V_REASON))"
	else
		not_ok "S10 $c: arasVmOperState.$n = $(vget "$n" $V_OPER), want $oper ($(vget "$n" $V_REASON))"
	fi
	idx=
	wait_for 10 kind_count_gt "$n" $kind "$n0" && idx=$(last_action "$n" $kind)
	if [ -n "$idx" ] && wait_for 60 act_is "$idx" 5; then
		is "S10 $c: action row $idx kind $kind, succeeded(5), origin operator(2)" \
			"$(sget "$ACT.4.$idx" "$ACT.7.$idx" "$ACT.12.$idx" | tr '\n' ' ')" "$kind 5 2 "
	else
		not_ok "S10 $c: action row ${idx:-none} of kind $kind: state $(sget "$ACT.7.${idx:-0}" 2>/dev/null), error '$(sget "$ACT.11.${idx:-0}" 2>/dev/null)'"
	fi
	check "S10 $c: arasActionDone for $n" wait_for 10 has_trap "$mark" "$N_DONE" "$n"
	lc_reasons "$n" "$c" "$mark" "$oper"
}

# lc_reasons NAME WHAT MARK OPER: arasVmStateReason and the reason in the
# arasVmStateChange to OPER (since MARK) are libvirt's (virsh domstate --reason)
lc_reasons() {
	local n=$1 w=$2 r l
	r=$(vreason "$n")
	if wait_for 10 reason_is "$n" "$r"; then
		ok "S10 $w: arasVmStateReason.$n = \"$r\" as virsh shows"
	else
		not_ok "S10 $w: arasVmStateReason.$n = $(vget "$n" $V_REASON), virsh: \"$r\""
	fi
	if wait_for 10 state_trap "$3" "$n" "$4"; then
		l=$(state_trap "$3" "$n" "$4")
		is "S10 $w: arasVmStateChange for $n to $4 at snmptrapd, reason as virsh shows" "$(trap_reason "$l")" "$r"
	else
		not_ok "S10 $w: no arasVmStateChange for $n to $4 at snmptrapd"
	fi
}

echo "# --- S10 life cycle over SNMP (arasVmCommand), pollInterval $LC_POLL"
T_LC=$(now)
for g in cpu1 mem1 cpu2 idle1 idle2 io1 io2; do # the earlier groups' guests (at most 2 busy)
	if vsh A domuuid "$g" >/dev/null 2>&1 || vsh B domuuid "$g" >/dev/null 2>&1; then
		destroy "$g"
	fi
done
ARAS_GUEST_ON_REBOOT=restart boot lc1 A idle 1 2 256 1024 &
p1=$!
# lc2 ignores the ACPI power button (no acpid): a shutdown times out
ARAS_GUEST_CMDLINE=aras.acpi=0 boot lc2 B idle 1 2 256 1024 &
wait "$p1" $!
for g in lc1 lc2; do
	vsh "${LCH[$g]}" domuuid "$g" >/dev/null 2>&1 || abort "boot $g on ${LCH[$g]}"
	[ -n "${VOID[$g]:-}" ] || VOID[$g]=$(uuid_oid "$(vsh "${LCH[$g]}" domuuid "$g")")
done
settled lc1
# the script receiver of arasActions: a crash is sent to it like an alert
printf '#!/bin/sh\necho "$*" >>"${0%%.sh}.log"\n' >"$T/lc-script.sh"
chmod 755 "$T/lc-script.sh"
# lc_arasd TIMEOUT: (re)start arasd for S10: pollInterval $LC_POLL, the script receiver
lc_arasd() {
	local poll0=$POLL
	POLL=$LC_POLL
	arasd_run "policy automatic" "hostCpuHigh 100" "stateNotifyLimit 1000" "shutdownTimeout $1" \
		"actions trap,allocate,script" "script $T/lc-script.sh"
	POLL=$poll0
}
lc_arasd 60
is "S10 arasPollInterval $LC_POLL" "$(sget "$CFG.19.0")" $LC_POLL
wait_for 20 vis lc1 $V_OPER 4 || not_ok "S10 arasd lists lc1 running(4)"
is "S10 arasVmCommand.lc1 reads none(1)" "$(vget lc1 $V_CMD)" 1
# refused: resume a running VM
n_act=$(actions lc1 | wc -l)
out=$(sset "$VM_ENTRY.$V_CMD.${VOID[lc1]}" i 8 2>&1)
check "S10 resume(8) of running lc1 refused with inconsistentValue ($(echo "$out" | head -n 1))" \
	grep -q inconsistentValue <<<"$out"
is "S10 refused: nothing changed (virsh, arasVmOperState, action rows)" \
	"$(vstate lc1) $(vget lc1 $V_OPER) $(actions lc1 | wc -l)" "running (booted) 4 $n_act"
# several commands in one PDU (lc1 on A, lc2 on B): all or nothing
wait_for 20 vis lc2 $V_OPER 4 || not_ok "S10 arasd lists lc2 running(4)"
O1=$VM_ENTRY.$V_CMD.${VOID[lc1]} O2=$VM_ENTRY.$V_CMD.${VOID[lc2]}
n2=$(actions lc2 | wc -l)
out=$(sset "$O1" i 7 "$O2" i 8 2>&1)
check "S10 one PDU: suspend lc1 + resume lc2 (running) refused with inconsistentValue" grep -q inconsistentValue <<<"$out"
is "S10 one PDU refused: neither changed (virsh lc1, lc2; action rows)" \
	"$(vstate lc1); $(vstate lc2); $(actions lc1 | wc -l) $(actions lc2 | wc -l)" "running (booted); running (booted); $n_act $n2"
if sset "$O1" i 7 "$O2" i 7 >/dev/null && wait_vstate lc1 30 "paused (user)" && wait_vstate lc2 30 "paused (user)"; then
	ok "S10 one PDU: suspend lc1 (host A) + suspend lc2 (host B): both paused (virsh)"
else
	not_ok "S10 one PDU: suspend both: lc1 '$(vstate lc1)', lc2 '$(vstate lc2)'"
fi
if wait_for 10 vis lc2 $V_OPER 8 && sset "$O1" i 8 "$O2" i 8 >/dev/null &&
	wait_vstate lc1 30 "running (unpaused)" && wait_vstate lc2 30 "running (unpaused)"; then
	ok "S10 one PDU: resume lc1 + resume lc2: both running (virsh)"
else
	not_ok "S10 one PDU: resume both: lc1 '$(vstate lc1)', lc2 '$(vstate lc2)'"
fi
wait_for 10 vis lc1 $V_OPER 4 || not_ok "S10 arasVmOperState.lc1 = $(vget lc1 $V_OPER) after the PDU, want running(4)"

# suspend: the heartbeat stops
lc_cmd lc1 suspend "paused (user)" 8
h0=$(hb_field lc1 hb)
sleep 5 # two and a half heartbeat intervals
is "S10 suspended lc1 prints no heartbeat (hb stays $h0 for 5 s)" "$(hb_field lc1 hb)" "$h0"
is "S10 arasVmStateReason / arasVmPrevOperState" "$(vget lc1 $V_REASON) $(vget lc1 $V_PREV)" '"paused: user" 4'
# resume: it goes on, no reset
m=$(hb_mark lc1)
lc_cmd lc1 resume "running (unpaused)" 4
if hb_wait lc1 15 "hb > $h0" >/dev/null; then
	is "S10 resumed lc1's heartbeat goes on (next hb = $h0 + 1, no reset)" "$(hb_field lc1 hb "$(hb_since lc1 "$m" | head -n 1)")" $((h0 + 1))
else
	not_ok "S10 resumed lc1 prints no heartbeat"
fi

# managed save + restore: the counter goes on
lc_cmd lc1 managedSave "shut off (saved)" 6
check "S10 virsh: lc1 has a managed save image" grep -q '^Managed save: *yes' <<<"$(vsh A dominfo lc1)"
h0=$(hb_field lc1 hb) # the last one before the save (the guest is off now)
m=$(hb_mark lc1)
lc_cmd lc1 restore "running (restored)" 4
if l=$(hb_wait lc1 15 "hb > $h0"); then
	is "S10 restored lc1's heartbeat goes on (next hb = $h0 + 1, no reset)" "$(hb_field lc1 hb "$(hb_since lc1 "$m" | head -n 1)")" $((h0 + 1))
else
	not_ok "S10 restored lc1 prints no heartbeat (last hb $(hb_field lc1 hb))"
fi

# reboot: power button, then a fresh boot with the same QEMU process
id0=$(vsh A domid lc1)
p0=$(acpi_presses lc1)
m=$(hb_mark lc1)
t0=$(ms_now)
mark=$(mark_traps)
if out=$(sset "$VM_ENTRY.$V_CMD.${VOID[lc1]}" i 6 2>&1); then
	if wait_for 60 eval 'hb_since lc1 "$m" | grep -q "^ARAS hb=1 "'; then
		CMD_S[reboot]=$(awk -v a="$t0" -v b="$(ms_now)" 'BEGIN { printf "%.2f", (b - a) / 1000 }')
		ok "S10 reboot(6): lc1 booted again (hb=1) ${CMD_S[reboot]} s after the snmpset"
	else
		not_ok "S10 reboot(6): no fresh boot of lc1 (heartbeats since: $(hb_since lc1 "$m" | cut -d' ' -f2 | tr '\n' ' '))"
	fi
	is "S10 reboot: the guest saw the ACPI power button" "$(acpi_presses lc1)" $((p0 + 1))
	is "S10 reboot: virsh shows lc1 running, same domain id" "$(vstate lc1 | cut -d' ' -f1) $(vsh A domid lc1)" "running $id0"
	idx=$(last_action lc1 12)
	if [ -n "$idx" ] && wait_for 30 act_is "$idx" 5; then
		ok "S10 reboot: action row $idx reboot(12) succeeded(5)"
	else
		not_ok "S10 reboot: action row ${idx:-none}: state $(sget "$ACT.7.${idx:-0}" 2>/dev/null) '$(sget "$ACT.11.${idx:-0}" 2>/dev/null)'"
	fi
	wait_for 10 vis lc1 $V_OPER 4 || not_ok "S10 reboot: arasVmOperState.lc1 = $(vget lc1 $V_OPER), want running(4)"
	check "S10 reboot: arasActionDone for lc1" wait_for 10 has_trap "$mark" "$N_DONE" lc1
else
	not_ok "S10 snmpset arasVmCommand.lc1 = reboot(6): $(echo "$out" | tr '\n' ' ')"
fi
hb_wait lc1 15 "hb >= 2" >/dev/null # booted far enough to have acpid running

# edits (issue 24): 1 -> 2 vCPUs and the balloon to 400 MiB in one SET,
# seen inside the guest.  (The maximum memory, a disk's size and a clone
# are S16's, tests/lab/manage.sh.)
V_VCPUS_T=46 V_MEM_T=47
m0=$(hb_field lc1 memtotal_kb)
if sset "$VM_ENTRY.$V_VCPUS_T.${VOID[lc1]}" u 2 "$VM_ENTRY.$V_MEM_T.${VOID[lc1]}" u 409600 >/dev/null; then
	ok "S10 edit: one SET: arasVmVcpusTarget.lc1 = 2, arasVmMemTarget.lc1 = 409600"
else
	not_ok "S10 edit: the SET of lc1's vCPUs and memory was refused"
fi
if hb_wait lc1 30 'cpus == "0-1"' >/dev/null; then
	ok "S10 edit: lc1's guest onlined its second vCPU (cpus=0-1)"
else
	not_ok "S10 edit: lc1's guest shows cpus=$(hb_field lc1 cpus)"
fi
# the guest's MemTotal follows the balloon: the target less what the kernel keeps
if l=$(hb_wait lc1 30 "memtotal_kb <= 409600 && memtotal_kb >= 409600 - 150000"); then
	ok "S10 edit: lc1's guest MemTotal $m0 -> $(hb_field lc1 memtotal_kb "$l") kB (balloon 409600 KiB)"
else
	not_ok "S10 edit: lc1's guest MemTotal $(hb_field lc1 memtotal_kb) kB (was $m0), balloon 409600 KiB"
fi
check "S10 edit: arasVmVcpus.lc1 = 2, arasVmMemCurrent.lc1 = 409600" \
	wait_for 15 eval 'vis lc1 5 2 && vis lc1 8 409600'
is "S10 edit: virsh vcpucount lc1 --config = 2 (persistent too)" "$(vsh A vcpucount lc1 --config --current 2>/dev/null)" 2

# shutdown (ACPI): the guest powers off by itself
p0=$(acpi_presses lc1)
lc_cmd lc1 shutdown "shut off (shutdown)" 11
is "S10 shutdown: the guest saw the ACPI power button" "$(acpi_presses lc1)" $((p0 + 1))

# start: a fresh boot
m=$(hb_mark lc1)
lc_cmd lc1 start "running (booted)" 4
if wait_for 60 hb_new lc1 "$m"; then
	is "S10 started lc1 boots afresh (first heartbeat hb=1)" "$(hb_field lc1 hb "$(hb_since lc1 "$m" | head -n 1)")" 1
else
	not_ok "S10 started lc1 prints no heartbeat"
fi
hb_wait lc1 15 "hb >= 2" >/dev/null
check "S10 edit: after the shutdown and start, lc1 boots with its 2 vCPUs (persistent)" wait_for 15 vis lc1 5 2

# destroy
lc_cmd lc1 destroy "shut off (destroyed)" 11
# host B's libvirtd killed and restarted (lc2 keeps running): arasd sees
# B down, re-reads it on reconnect (a change made meanwhile shows) and
# follows B's events on the new connection
echo "# --- S10 host B's libvirtd restarted: full re-read, then events again"
pb=$(pid_of libvirtd-B)
t=$(now)
if [ -n "$pb" ] && kill -9 "$pb"; then
	if wait_for 30 host_is 2 2; then
		ok "S10 B's libvirtd killed: arasHostState.2 = down(2) after $(since "$t") s"
	else
		not_ok "S10 B's libvirtd killed: arasHostState.2 = $(hget "$H_STATE" 2), want down(2)"
	fi
	t=$(now)
	bash "$HERE/setup.sh" >>"$T/setup.out" 2>&1 || not_ok "S10 setup.sh restarts host B"
	is "S10 lc2 survived B's libvirtd restart (virsh)" "$(vstate lc2 | cut -d' ' -f1)" running
	vsh B suspend lc2 >/dev/null || not_ok "S10 virsh suspend lc2 (B restarted)"
	tu=
	if wait_for 60 host_is 2 1; then
		tu=$(since "$t")
		ok "S10 arasHostState.2 = up(1) again $tu s after B's restart"
	else
		not_ok "S10 arasHostState.2 = $(hget "$H_STATE" 2) after B's restart, want up(1)"
	fi
	check "S10 re-read on reconnect: lc2 paused(8) (suspended while arasd was not connected)" \
		wait_for 10 vis lc2 $V_OPER 8
	p0=$(polls)
	t0=$(ms_now)
	vsh B resume lc2 >/dev/null || not_ok "S10 virsh resume lc2 (B restarted)"
	if wait_for 10 vis lc2 $V_OPER 4; then
		t1=$(ms_now)
		np=no
		[ "$(polls)" = "$p0" ] || np="$(($(polls) - p0))"
		ok "S10 events on B's new connection: virsh resume lc2 in arasVmOperState after $((t1 - t0)) ms (polls in between: $np)"
		fig "S10 host B restarted" "up ${tu:-?} s after its restart (pollInterval $LC_POLL s); then virsh resume -> row $((t1 - t0)) ms"
	else
		not_ok "S10 events on B's new connection: arasVmOperState.lc2 = $(vget lc2 $V_OPER) 10 s after virsh resume"
	fi
else
	not_ok "S10 no PID of host B's libvirtd"
fi

# shutdown of a guest that ignores the power button: fails after
# arasShutdownTimeout, the VM keeps running; shutdownForce powers it off
check "S10 snmpset arasShutdownTimeout = 5" sset "$CFG.21.0" u 5
p0=$(acpi_presses lc2)
mark=$(mark_traps)
n0=$(kind_count lc2 9)
t0=$(ms_now)
if sset "$VM_ENTRY.$V_CMD.${VOID[lc2]}" i 3 >/dev/null; then
	idx=
	wait_for 10 kind_count_gt lc2 9 "$n0" && idx=$(last_action lc2 9)
	if [ -n "$idx" ] && wait_for 30 act_is "$idx" 6; then
		ok "S10 shutdown(3) of lc2 (ignores the button): failed(6) after $(awk -v a="$t0" -v b="$(ms_now)" 'BEGIN { printf "%.1f", (b - a) / 1000 }') s (arasShutdownTimeout 5 s): $(sget "$ACT.11.$idx")"
	else
		not_ok "S10 shutdown(3) of lc2: action ${idx:-none} in state $(sget "$ACT.7.${idx:-0}" 2>/dev/null), want failed(6)"
	fi
	check "S10 shutdown timed out: arasActionFailed for lc2" wait_for 10 has_trap "$mark" "$N_FAILED" lc2
	is "S10 shutdown timed out: lc2 still running (virsh, arasVmOperState), no power button line" \
		"$(vstate lc2 | cut -d' ' -f1) $(vget lc2 $V_OPER) $(acpi_presses lc2)" "running 4 $p0"
else
	not_ok "S10 snmpset arasVmCommand.lc2 = shutdown(3)"
fi
# arasd stopped (SIGTERM) while a shutdown waits for a guest that ignores
# the button: the wait ends at once (not after arasShutdownTimeout 60 s nor
# the 10 s stop grace), the log says how the action ended, lc2 runs on
check "S10 snmpset arasShutdownTimeout = 60" sset "$CFG.21.0" u 60
n0=$(kind_count lc2 9)
if sset "$VM_ENTRY.$V_CMD.${VOID[lc2]}" i 3 >/dev/null && wait_for 10 kind_count_gt lc2 9 "$n0"; then
	idx=$(last_action lc2 9)
	sleep 1 # the job is in its wait for the power-off
	t0=$(ms_now)
	kill "$ARASD_PID"
	if wait_for 20 eval '! kill -0 "$ARASD_PID" 2>/dev/null'; then
		wait "$ARASD_PID"
		rc=$?
		dt=$(($(ms_now) - t0))
		fig "S10 stop during a shutdown wait" "arasd exited $dt ms after SIGTERM"
		is "S10 arasd stopped during lc2's shutdown wait: exit status 0" "$rc" 0
		check "S10 ... it did not wait out arasShutdownTimeout 60 s nor the 10 s grace ($dt ms < 5000)" test "$dt" -lt 5000
		check "S10 ... the log says how action $idx ended" \
			grep -q "arasd stopping: action $idx ended: arasd stopped before the guest powered off" "$T/arasd.log"
	else
		not_ok "S10 arasd still running 20 s after SIGTERM during lc2's shutdown wait"
		kill -9 "$ARASD_PID"
		wait "$ARASD_PID" 2>/dev/null
	fi
	ARASD_PID=
	is "S10 lc2 still running after arasd's stop (virsh)" "$(vstate lc2 | cut -d' ' -f1)" running
else
	not_ok "S10 snmpset shutdown(3) of lc2 (arasShutdownTimeout 60)"
fi
lc_arasd 5
wait_for 20 vis lc2 $V_OPER 4 || not_ok "S10 arasd (restarted) lists lc2 running(4)"
lc_cmd lc2 shutdownForce "shut off (destroyed)" 11
destroy lc2

f=
for c in start shutdown shutdownForce destroy reboot suspend resume managedSave restore; do
	f="$f${f:+, }$c ${CMD_S[$c]:-?} s"
done
fig "S10 command latency (snmpset -> state in virsh)" "$f"

# ---- outside arasd: virsh start, then suspend/resume alternating
echo "# --- S10 state changes made with virsh (outside arasd)"
mark=$(mark_traps)
m=$(hb_mark lc1)
vsh A start lc1 >/dev/null || not_ok "S10 virsh start lc1"
if wait_for 10 vis lc1 $V_OPER 4; then
	ok "S10 virsh start (outside arasd): arasVmOperState.lc1 = running(4)"
else
	not_ok "S10 virsh start: arasVmOperState.lc1 = $(vget lc1 $V_OPER)"
fi
lc_reasons lc1 "virsh start" "$mark" 4
wait_for 60 hb_new lc1 "$m" 2 || not_ok "S10 lc1 boots after virsh start (2 heartbeats)"
LAT_ROW=() LAT_TRAP=() LAT_VIRSH=()
late=0 nopoll=0 n_chg=12
for i in $(seq $n_chg); do
	if [ $((i % 2)) = 1 ]; then
		verb=suspend want=8
	else
		verb=resume want=4
	fi
	mark=$(mark_traps)
	p0=$(polls)
	t0=$(ms_now)
	vsh A "$verb" lc1 >/dev/null || not_ok "S10 virsh $verb lc1"
	t1=$(ms_now)
	row='' trap=''
	end=$((t0 + 10000))
	while [ -z "$row" ] || [ -z "$trap" ]; do
		[ -z "$row" ] && vis lc1 $V_OPER $want && row=$(ms_now)
		[ -z "$trap" ] && state_trap "$mark" lc1 $want >/dev/null && trap=$(ms_now)
		[ "$(ms_now)" -lt $end ] || break
		sleep 0.02
	done
	[ "$(polls)" = "$p0" ] && nopoll=$((nopoll + 1))
	LAT_VIRSH+=($((t1 - t0)))
	if [ -n "$row" ] && [ -n "$trap" ]; then
		LAT_ROW+=($((row - t0)))
		LAT_TRAP+=($((trap - t0)))
	else
		late=$((late + 1))
		echo "# S10 virsh $verb #$i: row ${row:+$((row - t0)) ms}${row:-not within 10 s}, notification ${trap:+$((trap - t0)) ms}${trap:-not within 10 s}"
	fi
	if [ "$i" = 1 ]; then
		# the first outside suspend, varbind by varbind
		l=$(state_trap "$mark" lc1 8)
		uu=$(vsh A domuuid lc1)
		hn=$(vget lc1 $V_HOSTNAME)
		if grep -qF "\"lc1\"" <<<"$l" && grep -qF "\"$uu\"" <<<"$l" && grep -qF "= STRING: $hn" <<<"$l"; then
			ok "S10 virsh suspend: the notification names lc1, its UUID $uu and host $hn"
		else
			not_ok "S10 virsh suspend: notification without lc1 / $uu / $hn: ${l:-none}"
		fi
		if grep -qE "${VM_ENTRY//./\\.}\.$V_PREV\.[0-9.]+ = INTEGER: 4([[:space:]]|\$)" <<<"$l" &&
			grep -qF '"paused: user"' <<<"$l"; then
			ok "S10 virsh suspend: the notification has previous state running(4), reason \"paused: user\""
		else
			not_ok "S10 virsh suspend: notification without previous running(4) / \"paused: user\": ${l:-none}"
		fi
		is "S10 virsh suspend: arasVmStateReason, arasVmPrevOperState" "$(vget lc1 $V_REASON) $(vget lc1 $V_PREV)" '"paused: user" 4'
	fi
done
is "S10 $n_chg virsh suspend/resume: each in arasVmOperState and at snmptrapd within 10 s (pollInterval $LC_POLL s)" "$late" 0
fig "S10 virsh -> arasVmOperState updated" "$(med_max "${LAT_ROW[@]}") with pollInterval $LC_POLL s; $nopoll of $n_chg with no poll in between"
fig "S10 virsh -> arasVmStateChange at snmptrapd" "$(med_max "${LAT_TRAP[@]}"); virsh itself $(med_max "${LAT_VIRSH[@]}")"
check "S10 arasVmStateChanges.lc1 counts them ($(vget lc1 $V_CHANGES) >= $n_chg)" vge lc1 $V_CHANGES $n_chg
vstate lc1 | grep -q '^running' || vsh A resume lc1 >/dev/null

# managed save and restore with virsh
mark=$(mark_traps)
vsh A managedsave lc1 >/dev/null || not_ok "S10 virsh managedsave lc1"
check "S10 virsh managedsave: arasVmOperState.lc1 = suspended(6)" wait_for 10 vis lc1 $V_OPER 6
lc_reasons lc1 "virsh managedsave" "$mark" 6
mark=$(mark_traps)
vsh A start lc1 >/dev/null || not_ok "S10 virsh start lc1 (restore)"
check "S10 virsh start (restore): arasVmOperState.lc1 = running(4)" wait_for 10 vis lc1 $V_OPER 4
lc_reasons lc1 "virsh start (restore)" "$mark" 4

# a storm: arasStateNotifyLimit 3, then 10 changes at once
check "S10 snmpset arasStateNotifyLimit = 3" sset "$CFG.22.0" u 3
mark=$(mark_traps)
c0=$(sget "$STATUS_OID.24.0")
n0=$(vget lc1 $V_CHANGES)
for i in 1 2 3 4 5; do
	vsh A suspend lc1 >/dev/null || not_ok "S10 storm: virsh suspend lc1"
	vsh A resume lc1 >/dev/null || not_ok "S10 storm: virsh resume lc1"
done
coalesced_since() { tail -n +"$(($1 + 1))" "$T/traps.log" | grep -qE "OID: ${NOTIFY_OID//./\\.}\.9([[:space:]]|\$)"; }
if wait_for 25 coalesced_since "$mark"; then
	ok "S10 storm: arasVmStateChangesCoalesced at snmptrapd"
else
	not_ok "S10 storm: no arasVmStateChangesCoalesced within 25 s"
fi
sent=$(traps_since "$mark" $N_STATE lc1)
c1=$(sget "$STATUS_OID.24.0")
check "S10 storm: $sent arasVmStateChange sent (limit 3), arasStateNotificationsCoalesced $c0 -> $c1 (>= +7)" \
	test "$sent" -le 3 -a "$((c1 - c0))" -ge $((10 - sent))
check "S10 storm: arasVmStateChanges.lc1 $n0 -> $(vget lc1 $V_CHANGES) (all 10 counted), lc1 running(4)" \
	eval '[ "$(vget lc1 $V_CHANGES)" -ge $((n0 + 10)) ] && vis lc1 $V_OPER 4'
sset "$CFG.22.0" u 1000 >/dev/null

# a crash: QEMU killed (the lab started it; its PID from libvirt's pid file)
mark=$(mark_traps)
qp=$(cat "$LAB/hostA/run/qemu/lc1.pid" 2>/dev/null)
if [ -n "$qp" ] && tr '\0' ' ' <"/proc/$qp/cmdline" 2>/dev/null | grep -q "guest=lc1"; then
	kill -9 "$qp"
	if wait_vstate lc1 30 "shut off (crashed)"; then
		ok "S10 QEMU of lc1 killed: virsh shows 'shut off (crashed)'"
	else
		not_ok "S10 QEMU of lc1 killed: virsh shows '$(vstate lc1)'"
	fi
	if wait_for 10 vis lc1 $V_OPER 12; then
		ok "S10 crash: arasVmOperState.lc1 = crashed(12)"
	else
		not_ok "S10 crash: arasVmOperState.lc1 = $(vget lc1 $V_OPER), want crashed(12)"
	fi
	lc_reasons lc1 crash "$mark" 12
	if wait_for 10 eval 'snmpwalk -v2c -c public -Oqv "$AGENT" "$EVT.3" 2>/dev/null | grep -qx 11'; then
		ok "S10 crash: an arasEventTable row of type crashed(11)"
	else
		not_ok "S10 crash: no arasEventTable row of type crashed(11)"
	fi
	if wait_for 10 grep -q "lc1" "$T/lc-script.log"; then
		ok "S10 crash: the script receiver ran: $(grep lc1 "$T/lc-script.log" | tail -n 1)"
	else
		not_ok "S10 crash: the script receiver did not run for lc1 ($(cat "$T/lc-script.log" 2>/dev/null))"
	fi
else
	not_ok "S10 crash: no QEMU PID of lc1 ($qp)"
fi

# undefine(11) (issue 24): the stopped lc1's definition goes, its disk stays
if [ "$(vstate lc1)" = "shut off (crashed)" ] || [ "$(vstate lc1)" = "shut off (destroyed)" ] ||
	{ vsh A destroy lc1 >/dev/null 2>&1; wait_vstate lc1 30 "shut off (destroyed)"; }; then
	# a disk in its definition, to see that it stays
	truncate -s 16M "$LAB/img/lc1-u.img"
	vsh A attach-disk lc1 "$LAB/img/lc1-u.img" vdb --config >/dev/null 2>&1 ||
		not_ok "S10 undefine: attach-disk --config of lc1-u.img to lc1"
	mark=$(mark_traps)
	n_vms=$(sget "$STATUS_OID.2.0")
	if out=$(sset "$VM_ENTRY.$V_CMD.${VOID[lc1]}" i 11 2>&1); then
		ok "S10 snmpset arasVmCommand.lc1 = undefine(11) accepted"
	else
		not_ok "S10 snmpset arasVmCommand.lc1 = undefine(11): $(echo "$out" | tr '\n' ' ')"
	fi
	if wait_for 30 sh -c "! timeout 20 virsh -q -c '$(host_uri A)' dominfo lc1 >/dev/null 2>&1"; then
		ok "S10 undefine: virsh dominfo lc1 finds no domain on host A"
	else
		not_ok "S10 undefine: lc1 still defined on host A ($(vstate lc1))"
	fi
	if wait_for 15 eval '[ "$(sget "$STATUS_OID.2.0")" = $((n_vms - 1)) ]'; then
		ok "S10 undefine: lc1's row is gone (arasVmCount $n_vms -> $((n_vms - 1)))"
	else
		not_ok "S10 undefine: arasVmCount $(sget "$STATUS_OID.2.0"), want $((n_vms - 1))"
	fi
	if wait_for 10 eval 'tail -n +"$((mark + 1))" "$T/traps.log" | grep -q "OID: .1.3.6.1.2.1.236.0.10[[:space:]]"'; then
		ok "S10 undefine: VM-MIB vmDeleted at snmptrapd"
	else
		not_ok "S10 undefine: no vmDeleted at snmptrapd"
	fi
	if [ "$(stat -c %s "$LAB/img/lc1-u.img" 2>/dev/null)" = 16777216 ]; then
		ok "S10 undefine: lc1's disk (vdb, lc1-u.img, 16 MiB) stays"
	else
		not_ok "S10 undefine: lc1's disk $LAB/img/lc1-u.img is gone"
	fi
	rm -f "$LAB/img/lc1-u.img"
else
	not_ok "S10 undefine: lc1 is '$(vstate lc1)', not shut off"
fi
destroy lc1
fig "S10 wall time" "$(since "$T_LC") s"
