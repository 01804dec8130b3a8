# tests/lab/manage.sh - S16: managing VMs over SNMP on the real lab (issue
# 24), sourced by tests/lab/check.sh after S15, or alone with
# ARAS_LAB_ONLY=manage; uses its helpers (arasd_run, boot, destroy, vsh,
# hb_wait, hb_field, VOID, ok/not_ok/is/check, fig).
#
# A guest tpl on host A (1 of 2 vCPUs, 256 of 1024 MiB, a 32 MiB raw disk
# vda in a dir storage pool over the lab's images, on both hosts), arasd
# with policy manual:
#   - arasDiskCapacityTarget.tpl.vda 32 -> 48 MiB: a growDisk action of
#     origin operator, succeeded; the guest's kernel sees 48 MiB (its
#     heartbeat's disk_mib); arasDiskCapacity reads 48;
#   - arasVmMemMaxTarget.tpl 1024 -> 1536 MiB (a guest with a NUMA cell,
#     whose definition libvirt changes only through its XML): succeeded,
#     the running VM keeps 1024 MiB, after arasVmCommand destroy and start
#     virsh dominfo and arasVmMemMax show 1536 MiB;
#   - tpl shut off, an arasCloneTable row: tpl as tplc on host B, started:
#     a clone(18) action, succeeded; tplc runs on B with a UUID of its own
#     and the copy tplc-vda.img in the pool; its guest boots and prints its
#     own heartbeats (fresh: hb=1, its disk 48 MiB as copied), on the
#     serial log the template's definition names; arasVmTable has its row
#     on host B.
echo "# --- S16 managing VMs: a disk grown, the next boot's maximum memory, a clone on the other host"
T_MG=$(now)
arasd_run "policy manual"
for g in dev1 lc1 lc2 tpl tplc; do
	if vsh A domuuid "$g" >/dev/null 2>&1 || vsh B domuuid "$g" >/dev/null 2>&1; then
		destroy "$g"
	fi
done
rm -f "$LAB/img/tplc-vda.img"
# the same directory, a pool on each host (transient: gone with the host)
for X in A B; do
	vsh $X pool-info aras-img >/dev/null 2>&1 || vsh $X pool-create-as aras-img dir --target "$LAB/img" >/dev/null ||
		not_ok "S16 a dir pool aras-img over $LAB/img on host $X"
done
boot tpl A idle 1 2 256 1024 32 || abort "boot tpl on A"
vsh A pool-refresh aras-img >/dev/null
DSK=$BASE_OID.1.8.1
VDA=3.118.100.97
V_MEMMAX=9 V_MEMMAX_T=48
CL=$BASE_OID.1.11.1
check "S16 arasd sees tpl's vda of 32 MiB" wait_for 20 eval '[ "$(sget "$DSK.21.${VOID[tpl]}.$VDA")" = 32 ]'
is "S16 tpl's guest sees vda of 32 MiB" "$(hb_field tpl disk_mib)" vda:32

# the operator's newest action of NAME: "index kind state"
op_action() {
	actions "$1" | awk '$4 == 2 { last = $1 " " $2 " " $3 } END { print last }'
}
op_done() { [ "$(op_action "$1" | cut -d' ' -f2-)" = "$2 5" ]; } # NAME KIND

# a disk grown live: the guest's kernel sees it
t=$(now)
if sset "$DSK.27.${VOID[tpl]}.$VDA" u 48 >/dev/null; then
	ok "S16 snmpset arasDiskCapacityTarget.tpl.vda = 48 accepted"
else
	not_ok "S16 snmpset arasDiskCapacityTarget.tpl.vda = 48 refused"
fi
if wait_for 20 op_done tpl 4; then
	ok "S16 growDisk(4) of tpl, origin operator, succeeded ($(since "$t") s)"
else
	not_ok "S16 tpl's disk action: $(op_action tpl); $(sget "$ACT.11.$(op_action tpl | cut -d' ' -f1)" 2>&1)"
fi
if hb_wait tpl 20 'hb >= 1' >/dev/null && wait_for 20 eval '[ "$(hb_field tpl disk_mib)" = vda:48 ]'; then
	ok "S16 tpl's guest sees vda of 48 MiB (disk_mib=$(hb_field tpl disk_mib))"
else
	not_ok "S16 tpl's guest shows disk_mib=$(hb_field tpl disk_mib), want vda:48"
fi
check "S16 arasDiskCapacity.tpl.vda reads 48" wait_for 20 eval '[ "$(sget "$DSK.21.${VOID[tpl]}.$VDA")" = 48 ]'
is "S16 the image file is 48 MiB" "$(stat -c %s "$LAB/img/tpl.img")" $((48 * 1048576))
out=$(snmpset -v2c -c private -t 2 -r 0 "$AGENT" "$DSK.27.${VOID[tpl]}.$VDA" u 40 2>&1)
check "S16 a smaller size (40 MiB) is refused with wrongValue" grep -q "Reason: wrongValue" <<<"$out"

# the next boot's maximum memory of a guest with a NUMA cell
if sset "$VM_ENTRY.$V_MEMMAX_T.${VOID[tpl]}" u 1572864 >/dev/null; then
	ok "S16 snmpset arasVmMemMaxTarget.tpl = 1572864 accepted"
else
	not_ok "S16 snmpset arasVmMemMaxTarget.tpl = 1572864 refused"
fi
if wait_for 20 op_done tpl 2; then
	ok "S16 growMemory(2) of tpl's maximum, origin operator, succeeded"
else
	a=$(op_action tpl | cut -d' ' -f1)
	not_ok "S16 tpl's maximum memory action: $(op_action tpl); $(sget "$ACT.11.$a" 2>&1)"
fi
is "S16 arasVmMemMaxTarget.tpl reads the next boot's 1572864" "$(vget tpl $V_MEMMAX_T)" 1572864
is "S16 the running tpl keeps its maximum (arasVmMemMax 1048576)" "$(vget tpl $V_MEMMAX)" 1048576
check "S16 virsh dumpxml --inactive tpl: <memory> 1572864 KiB" \
	eval "vsh A dumpxml --inactive tpl | grep -q \"<memory unit='KiB'>1572864</memory>\""
sset "$VM_ENTRY.$V_CMD.${VOID[tpl]}" i 5 >/dev/null || not_ok "S16 arasVmCommand.tpl = destroy(5)"
wait_for 20 vis tpl $V_OPER 11 || not_ok "S16 tpl destroyed: arasVmOperState $(vget tpl $V_OPER)"
m=$(hb_lines tpl | wc -l)
sset "$VM_ENTRY.$V_CMD.${VOID[tpl]}" i 2 >/dev/null || not_ok "S16 arasVmCommand.tpl = start(2)"
if wait_for 60 eval '[ "$(hb_lines tpl | wc -l)" -gt '"$m"' ]'; then
	ok "S16 tpl booted again"
else
	not_ok "S16 tpl prints no heartbeat after its start"
fi
is "S16 after the reboot: virsh dominfo tpl Max memory" \
	"$(vsh A dominfo tpl | awk '/^Max memory:/ { print $3 }')" 1572864
check "S16 after the reboot: arasVmMemMax.tpl = 1572864" wait_for 20 vis tpl $V_MEMMAX 1572864

# a clone of the shut-off tpl on host B, started
sset "$VM_ENTRY.$V_CMD.${VOID[tpl]}" i 5 >/dev/null || not_ok "S16 arasVmCommand.tpl = destroy(5)"
wait_for 20 vis tpl $V_OPER 11 || not_ok "S16 tpl shut off: arasVmOperState $(vget tpl $V_OPER)"
m=$(hb_lines tpl | wc -l)
mark=$(mark_traps)
t=$(now)
if sset "$CL.7.1" i 4 "$CL.2.1" s tpl "$CL.3.1" s tplc "$CL.4.1" u 2 "$CL.5.1" i 1 >/dev/null; then
	ok "S16 arasCloneTable row 1: tpl as tplc on host B, started: accepted"
else
	not_ok "S16 arasCloneTable row 1 refused"
fi
a=$(sget "$CL.6.1")
if wait_for 60 act_is "$a" 5; then
	ok "S16 clone(18) action $a succeeded after $(since "$t") s"
else
	not_ok "S16 clone action $a: state $(sget "$ACT.7.$a"), $(sget "$ACT.11.$a")"
fi
is "S16 the action is a clone of origin operator" "$(sget "$ACT.4.$a") $(sget "$ACT.12.$a")" "18 2"
check "S16 arasActionDone for it at snmptrapd" wait_for 10 has_trap "$mark" $N_DONE tpl
is "S16 tplc runs on host B (virsh)" "$(vsh B domstate tplc 2>&1)" running
is "S16 tplc is not on host A" "$(vsh A domuuid tplc >/dev/null 2>&1 && echo yes || echo no)" no
u_t=$(vsh A domuuid tpl) u_c=$(vsh B domuuid tplc)
check "S16 tplc has a UUID of its own ($u_c, tpl $u_t)" test -n "$u_c" -a "$u_c" != "$u_t"
is "S16 tplc's vda is the copy in the pool" "$(vsh B domblklist tplc | awk '$1 == "vda" { print $2 }')" \
	"$LAB/img/tplc-vda.img"
is "S16 the copy is 48 MiB, as the grown template" "$(stat -c %s "$LAB/img/tplc-vda.img" 2>&1)" $((48 * 1048576))
is "S16 tpl's own image is still there" "$(stat -c %s "$LAB/img/tpl.img" 2>&1)" $((48 * 1048576))
# the clone writes to the serial log its definition names: the template's
if wait_for 90 eval '[ "$(hb_lines tpl | wc -l)" -gt '"$m"' ]'; then
	l=$(hb_lines tpl | tail -n +"$((m + 1))" | head -n 1)
	ok "S16 tplc's guest booted on B and prints its heartbeat: ${l#ARAS }"
	is "S16 tplc's first heartbeat is a fresh boot's (hb=1)" "$(hb_field tpl hb "$l")" 1
	is "S16 tplc's guest sees its disk of 48 MiB" "$(hb_field tpl disk_mib "$l")" vda:48
	check "S16 tplc's heartbeat goes on" hb_wait tpl 20 "hb >= 3"
else
	not_ok "S16 tplc prints no heartbeat within 90 s ($(vsh B domstate tplc --reason 2>&1))"
fi
check "S16 arasVmTable has tplc, on host B" wait_for 20 eval \
	'o=$(swalk "$VM_ENTRY.2" | grep -F "\"tplc\"" | sed "s/^$VM_ENTRY.2.\([0-9.]*\) .*/\1/"); [ -n "$o" ] && [ "$(sget "$VM_ENTRY.3.$o")" = 2 ]'
fig "S16 wall time" "$(since "$T_MG") s"
destroy tplc tpl
rm -f "$LAB/img/tplc-vda.img"
for X in A B; do vsh $X pool-destroy aras-img >/dev/null 2>&1; done
