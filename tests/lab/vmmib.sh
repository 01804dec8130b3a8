# tests/lab/vmmib.sh - S15, sourced by tests/lab/check.sh after S14 (whose
# arasd and guest dev1 it goes on with), or alone with ARAS_LAB_ONLY=vmmib
# (then it starts both as S14 does); uses its helpers (arasd_run, boot,
# destroy, wait_migration, vsh, VOID).  RFC 7666's VM-MIB of the two lab
# hosts, each in its own SNMP context (v2c communities ctxA / ctxB mapped
# by com2sec -Cn in the lab's snmpd.conf, as conf/snmpd-arasd.conf shows),
# host A also in the default context (vmMibLocalHost A):
#   - vmName / vmNumber per context = `virsh list` of that host; vmHvSoftware
#     and vmHvVersion = `virsh version`'s hypervisor line
#   - dev1 (two disks, writing to vda): vmOperState running(4),
#     vmCurCpuNumber = vcpucount, vmCurMem (KiB) = dominfo's used memory,
#     vmCpuTime between libvirt's cpu.time read before and after a poll,
#     vmStorageTable rows = domblklist with vmStorageResourceID = each
#     disk's source, vda's vmStorageWriteOctets between domblkstat's a poll
#     apart
#   - moved by arasd from A to B it keeps its vmIndex and changes context
echo "# --- S15 VM-MIB (RFC 7666): each lab host in its own SNMP context"
[ -n "${VOID[dev1]:-}" ] || { boot_dev1 && wait_polls 2; }
VMM=.1.3.6.1.2.1.236.1

# vwalk X [OID]: VM-MIB in host X's context (v2c community ctxX)
vwalk() { snmpbulkwalk -v2c -c "ctx$1" -On -t 3 -r 1 -Cr50 "$AGENT" "${2:-$VMM}" 2>/dev/null; }
# vm_index WALK NAME: the vmIndex of the vmName row NAME
vm_index() { grep "^$VMM\.4\.1\.2\.[0-9]* = STRING: \"$2\"$" <<<"$1" | sed "s/^$VMM\.4\.1\.2\.\([0-9]*\) .*/\1/"; }
vcol() { grep "^$VMM\.4\.1\.$2\.$3 = " <<<"$1" | sed 's/^[^=]*= [A-Za-z0-9]*: //; s/^"//; s/"$//'; }
cpu_ns() { vsh "$1" domstats --cpu-total "$2" | sed -n 's/^ *cpu\.time=//p'; }
blk() { vsh "$1" domblkstat "$2" "$3" | awk -v k="$4" '$2 == k { print $3 }'; }

hv=$(vsh A version | sed -n 's/^Running hypervisor: //p')
for X in A B; do
	w=$(vwalk $X)
	names=$(vsh $X list --name | sed '/^$/d' | sort)
	is "S15 context $X: vmName rows = virsh list on $X ($(echo $names))" \
		"$(grep "^$VMM\.4\.1\.2\." <<<"$w" | sed 's/.*STRING: "//; s/"$//' | sort)" "$names"
	is "S15 context $X: vmNumber" "$(grep "^$VMM\.2\.0 = " <<<"$w" | sed 's/.*: //')" "$(grep -c . <<<"$names")"
	is "S15 context $X: vmHvSoftware vmHvVersion = virsh version ($hv)" \
		"$(grep "^$VMM\.1\.[12]\.0 = " <<<"$w" | sed 's/.*STRING: "//; s/"$//' | paste -sd ' ')" "$hv"
done
is "S15 default context = host A's (vmMibLocalHost A)" \
	"$(snmpbulkwalk -v2c -c public -On -t 3 -r 1 "$AGENT" "$VMM.4.1.2" 2>/dev/null | sed 's/.*STRING: "//; s/"$//' | sort)" \
	"$(vsh A list --name | sed '/^$/d' | sort)"

for g in dev1:A; do
	n=${g%:*} X=${g#*:}
	c0=$(cpu_ns $X $n)
	wait_polls 1
	w=$(vwalk $X)
	c1=$(cpu_ns $X $n)
	x=$(vm_index "$w" $n)
	[[ $x =~ ^[0-9]+$ ]] || { not_ok "S15 $n: no vmName row in context $X"; continue; }
	is "S15 $n: vmOperState running(4)" "$(vcol "$w" 6 $x)" 4
	is "S15 $n: vmCurCpuNumber = virsh vcpucount" "$(vcol "$w" 9 $x)" \
		"$(vsh $X vcpucount $n --current --live)"
	is "S15 $n: vmCurMem (KiB, vmMemUnit $(vcol "$w" 12 $x)) = virsh dominfo's used memory" "$(vcol "$w" 13 $x)" \
		"$(vsh $X dominfo $n | sed -n 's/^Used memory: *\([0-9]*\) KiB/\1/p')"
	t=$(vcol "$w" 17 $x)
	if [[ $t =~ ^[0-9]+$ ]] && [ $((t * 1000)) -ge "${c0:-0}" ] && [ $((t * 1000)) -le "${c1:-0}" ]; then
		ok "S15 $n: vmCpuTime $t us between virsh's cpu.time before and after a poll ($c0, $c1 ns)"
	else
		not_ok "S15 $n: vmCpuTime '$t' us, virsh's cpu.time $c0 .. $c1 ns"
	fi
	disks=$(vsh $X domblklist $n | awk '$1 != "" { print $1 "=" $2 }')
	is "S15 $n: vmStorageTable rows = domblklist's disks" "$(grep -c "^$VMM\.7\.1\.6\.$x\." <<<"$w")" \
		"$(grep -c . <<<"$disks")"
	k=0
	for d in $disks; do
		k=$((k + 1))
		is "S15 $n disk $k: vmStorageResourceID = ${d#*=}" \
			"$(grep "^$VMM\.7\.1\.6\.$x\.$k = " <<<"$w" | sed 's/.*STRING: "//; s/"$//')" "${d#*=}"
	done
done

# dev1 writes to vda (disk 1): its counters as libvirt's, a poll apart
w0=$(blk A dev1 vda wr_bytes)
wait_polls 1
wr=$(vwalk A "$VMM.7.1.16" | grep "^$VMM\.7\.1\.16\.$(vm_index "$(vwalk A "$VMM.4.1.2")" dev1)\.1 = " | sed 's/.*: //')
w1=$(blk A dev1 vda wr_bytes)
if [[ $wr =~ ^[0-9]+$ ]] && [ "$wr" -ge "${w0:-0}" ] && [ "$wr" -le "${w1:-0}" ] && [ "$w1" -gt "$w0" ]; then
	ok "S15 dev1: vmStorageWriteOctets $wr between domblkstat's wr_bytes before and after a poll ($w0, $w1)"
else
	not_ok "S15 dev1: vmStorageWriteOctets '$wr', domblkstat wr_bytes $w0 .. $w1"
fi

# a move: the same vmIndex, now in B's context only
x=$(vm_index "$(vwalk A "$VMM.4.1.2")" dev1)
sset "$VM_ENTRY.$V_MIGTO.${VOID[dev1]}" u 2 >/dev/null || not_ok "S15 arasVmMigrateTo.dev1 = B"
if wait_migration dev1 120; then
	wait_polls 2
	is "S15 dev1 moved to B: its vmIndex $x in B's context" "$(vm_index "$(vwalk B "$VMM.4.1.2")" dev1)" "$x"
	is "S15 dev1 moved to B: no row in A's context" "$(vm_index "$(vwalk A "$VMM.4.1.2")" dev1)" ""
	for X in A B; do
		is "S15 vmNumber in $X's context after the move" "$(vwalk $X "$VMM.2.0" | sed 's/.*: //')" \
			"$(vsh $X list --name | sed '/^$/d' | grep -c .)"
	done
else
	not_ok "S15 dev1's migration to B (action ${MIG_IDX:-none})"
	vm_diag dev1
fi
destroy dev1
