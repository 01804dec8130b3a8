# tests/lab/devices.sh - S14, sourced by tests/lab/check.sh after S13, or
# alone with ARAS_LAB_ONLY=devices; uses its helpers (arasd_run, boot,
# destroy, vsh, VOID).  ARAS-MIB's device tables on a real QEMU guest with
# two disks (vda, vdb) and two virtio NICs (type ethernet: taps attached to
# nothing) that writes to vda only and sends from its first NIC only
# (aras.disks=vda aras.net=eth0):
#   - identity: the disk rows are domblklist's (target, source, bus virtio),
#     the NIC rows domiflist's (target vnetN, MAC, type ethernet, model)
#   - figures: every counter of arasVmDiskTable / arasVmNicTable /
#     arasVmVcpuTable lies between `virsh domstats` read just before and
#     just after a poll (the same moment within one poll's change), sizes
#     (MiB) libvirt's
#   - one device's load shows on its row only: vda's written bytes grow
#     over two polls, vdb's do not; the first NIC's transmitted packets
#     grow, the second's do not
echo "# --- S14 devices: a guest with two disks and two NICs, one of each busy"
boot_dev1
DISKT=$BASE_OID.1.8.1 NICT=$BASE_OID.1.9.1 VCPUT=$BASE_OID.1.10.1
# str_oid S: S as a length-prefixed OID index (vda -> 3.118.100.97)
str_oid() {
	local s=$1 o=${#1} i
	for ((i = 0; i < ${#s}; i++)); do o="$o.$(printf %d "'${s:i:1}")"; done
	echo "$o"
}
# dstat KEY: one value of the last domstats read (DS)
dstat() { sed -n "s/^ *$1=//p" <<<"$DS" | head -n 1; }
# cell TABLE COLUMN INDEX: a value of the last walk (W), quotes removed
cell() { grep "^$1\.$2\.$3 = " <<<"$W" | sed 's/^[^=]*= [A-Za-z0-9-]*: //; s/^"//; s/"$//'; }
devwalk() { W=$(for t in $DISKT $NICT $VCPUT; do snmpbulkwalk -v2c -c public -On -t 5 -r 1 -Cr50 "$AGENT" "$t" 2>/dev/null; done); }
x=${VOID[dev1]}
# wait until arasd has read the XML and two polls of figures
dev_rows() { devwalk; [ "$(grep -c "^$DISKT\.2\.$x\." <<<"$W")" = 2 ] && [ "$(grep -c "^$NICT\.2\.$x\." <<<"$W")" = 2 ]; }
wait_for 30 dev_rows || not_ok "S14 dev1: two disk rows and two NIC rows within 30 s"
wait_polls 2

# ---- identity against virsh
disks=$(vsh A domblklist dev1 | awk '$1 != "" { print $1, $2 }')
is "S14 dev1: arasVmDiskTable rows = domblklist's targets" \
	"$(grep "^$DISKT\.2\.$x\." <<<"$W" | sed 's/.*STRING: "//; s/"$//' | sort | paste -sd ' ')" \
	"$(awk '{ print $1 }' <<<"$disks" | sort | paste -sd ' ')"
while read -r tgt src; do
	k=$x.$(str_oid "$tgt")
	is "S14 dev1 $tgt: arasDiskSource = $src" "$(cell $DISKT 3 "$k")" "$src"
	is "S14 dev1 $tgt: arasDiskBus virtio" "$(cell $DISKT 4 "$k")" virtio
done <<<"$disks"
nics=$(vsh A domiflist dev1 | awk '$1 != "" { print $1, $2, $4, $5 }') # target type model mac
is "S14 dev1: arasVmNicTable rows = domiflist's interfaces" \
	"$(grep "^$NICT\.2\.$x\." <<<"$W" | sed 's/.*STRING: "//; s/"$//' | sort | paste -sd ' ')" \
	"$(awk '{ print $1 }' <<<"$nics" | sort | paste -sd ' ')"
while read -r tgt type model mac; do
	k=$x.$(str_oid "$tgt")
	is "S14 dev1 $tgt: arasNicMac = $mac" "$(cell $NICT 3 "$k" | tr -d ' ' | tr A-F a-f)" "$(tr -d : <<<"$mac")"
	is "S14 dev1 $tgt: arasNicType = $type" "$(cell $NICT 4 "$k")" "$type"
	is "S14 dev1 $tgt: arasNicModel = $model" "$(cell $NICT 6 "$k")" "$model"
done <<<"$nics"

# ---- figures: between domstats just before and just after a poll
DS=$(vsh A domstats --block --interface --vcpu dev1)
DS0=$DS
wait_polls 1
devwalk
W1=$W
DS=$(vsh A domstats --block --interface --vcpu dev1)
DS1=$DS
between() { # LABEL VALUE KEY: DS0's KEY <= VALUE <= DS1's KEY
	local lo hi
	lo=$(DS=$DS0 dstat "$3") hi=$(DS=$DS1 dstat "$3")
	if [[ $2 =~ ^[0-9]+$ ]] && [[ $lo =~ ^[0-9]+$ ]] && [ "$2" -ge "$lo" ] && [ "$2" -le "$hi" ]; then
		return 0
	fi
	bad="$bad $1=$2($3 $lo..$hi)"
	return 1
}
n=$(DS=$DS0 dstat block.count)
for ((i = 0; i < ${n:-0}; i++)); do
	tgt=$(DS=$DS0 dstat "block.$i.name")
	k=$x.$(str_oid "$tgt") bad= c=0
	for pair in 8:rd.bytes 9:wr.bytes 10:rd.reqs 11:wr.reqs 12:fl.reqs 13:rd.times 14:wr.times 15:fl.times; do
		between "${pair#*:}" "$(cell $DISKT "${pair%%:*}" "$k")" "block.$i.${pair#*:}" && c=$((c + 1))
	done
	# sizes in MiB (Gauge32): libvirt's bytes, rounded down
	for pair in 21:capacity 22:allocation 23:physical; do
		v=$(cell $DISKT "${pair%%:*}" "$k") lo=$(DS=$DS0 dstat "block.$i.${pair#*:}") hi=$(DS=$DS1 dstat "block.$i.${pair#*:}")
		if [[ $v =~ ^[0-9]+$ ]] && [[ $lo =~ ^[0-9]+$ ]] && [ "$v" -ge $((lo >> 20)) ] && [ "$v" -le $((hi >> 20)) ]; then
			c=$((c + 1))
		else
			bad="$bad ${pair#*:}=$v MiB(block.$i.${pair#*:} $lo..$hi B)"
		fi
	done
	if [ -z "$bad" ]; then
		ok "S14 dev1 $tgt: 11 counters and sizes between domstats a poll apart (wr.bytes $(cell $DISKT 9 "$k"), capacity $(cell $DISKT 21 "$k") MiB)"
	else
		not_ok "S14 dev1 $tgt: $c of 11 within domstats:$bad"
	fi
done
n=$(DS=$DS0 dstat net.count)
for ((i = 0; i < ${n:-0}; i++)); do
	tgt=$(DS=$DS0 dstat "net.$i.name")
	k=$x.$(str_oid "$tgt") bad= c=0
	for pair in 7:rx.bytes 8:tx.bytes 9:rx.pkts 10:tx.pkts 11:rx.errs 12:tx.errs 13:rx.drop 14:tx.drop; do
		between "${pair#*:}" "$(cell $NICT "${pair%%:*}" "$k")" "net.$i.${pair#*:}" && c=$((c + 1))
	done
	if [ -z "$bad" ]; then
		ok "S14 dev1 $tgt: 8 counters between domstats a poll apart (tx.pkts $(cell $NICT 10 "$k"))"
	else
		not_ok "S14 dev1 $tgt: $c of 8 within domstats:$bad"
	fi
done
bad=
between vcpu.0.time "$(cell $VCPUT 3 "$x.0")" vcpu.0.time &&
	ok "S14 dev1 vCPU 0: arasVcpuTime between domstats a poll apart ($(cell $VCPUT 3 "$x.0") ns)" ||
	not_ok "S14 dev1 vCPU 0:$bad"
is "S14 dev1 vCPU 0: arasVcpuState running(1)" "$(cell $VCPUT 2 "$x.0")" 1

# ---- the load shows on its own device's row only
wait_polls 2
devwalk
vda=$x.$(str_oid vda) vdb=$x.$(str_oid vdb)
a0=$(W=$W1 cell $DISKT 9 "$vda") a1=$(cell $DISKT 9 "$vda")
b0=$(W=$W1 cell $DISKT 9 "$vdb") b1=$(cell $DISKT 9 "$vdb")
if [ "${a1:-0}" -gt "${a0:-0}" ] && [ -n "$b0" ] && [ "$b1" = "$b0" ]; then
	ok "S14 writes to vda show on vda's row only: arasDiskWrBytes vda $a0 -> $a1, vdb $b0 -> $b1 (2 polls)"
else
	not_ok "S14 arasDiskWrBytes over 2 polls: vda $a0 -> $a1, vdb $b0 -> $b1"
fi
fig "S14 dev1 rates" "vda write $(cell $DISKT 17 "$vda") B/s ($(cell $DISKT 19 "$vda") IOPS), vdb write $(cell $DISKT 17 "$vdb") B/s"
n1=$(DS=$DS0 dstat net.0.name) n2=$(DS=$DS0 dstat net.1.name)
p0=$(W=$W1 cell $NICT 10 "$x.$(str_oid "$n1")") p1=$(cell $NICT 10 "$x.$(str_oid "$n1")")
q0=$(W=$W1 cell $NICT 10 "$x.$(str_oid "$n2")") q1=$(cell $NICT 10 "$x.$(str_oid "$n2")")
if [ "${p1:-0}" -gt "${p0:-0}" ] && [ -n "$q0" ] && [ "$q1" = "$q0" ]; then
	ok "S14 the guest's eth0 sends on $n1's row only: arasNicTxPkts $n1 $p0 -> $p1, $n2 $q0 -> $q1"
else
	not_ok "S14 arasNicTxPkts over 2 polls: $n1 $p0 -> $p1, $n2 $q0 -> $q1"
fi
# S15 goes on with the same arasd and guest
[ "${ARAS_LAB_ONLY:-}" != devices ] || destroy dev1
