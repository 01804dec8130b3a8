#!/bin/bash
# tests/lab/guest.sh - start or remove one test guest of the lab.
#
#   guest.sh NAME A|B LOAD [VCPUS_CUR VCPUS_MAX MEM_CUR_MIB MEM_MAX_MIB DISK_MIB [FILL_MIB]]
#     defines and starts a TCG guest (<domain type='qemu'>) on host A or B
#     and waits for its first heartbeat.  LOAD is idle|cpu|mem|io|dirty|fill (guest
#     /init, see tests/lab/guest/init).  Defaults: 1 of 4 vCPUs, 256 MiB of
#     1024 MiB (balloon), no disk, FILL_MIB 128 (aras.mem: what the mem load
#     keeps filled).  No NIC, no USB, no graphics; virtio balloon with stats
#     every 2 s; maxMemory with 4 DIMM slots + one NUMA cell so DIMMs can be
#     hot-plugged; serial console appended to $LAB/run/NAME.console; with
#     DISK_MIB > 0 a raw image $LAB/img/NAME.img (vda, cache=writeback) that
#     both hosts see at the same path (migrate it with --unsafe).
#     ARAS_GUEST_CMDLINE adds kernel arguments (e.g. "loglevel=7").
#     ARAS_GUEST_ON_REBOOT=restart makes a guest reboot really reboot
#     (<on_reboot>; default destroy: a panicking guest stops instead of
#     looping; libvirt turns virsh reboot into a shutdown then).  The
#     guest powers off on the ACPI power button (virsh shutdown).
#   guest.sh --destroy NAME
#     destroys and undefines that guest on whichever lab host has it, and
#     deletes its disk image (its console file stays for inspection).
set -u
. "$(dirname "$0")/lib.sh"

usage() {
	awk 'NR > 2 && !/^#/ { exit } NR > 2 { sub(/^# ?/, ""); print }' "$0" >&2
	exit 2
}

host_up() { pid_of "libvirtd-$1" >/dev/null; }

# hosts (A B) on which NAME is defined
where() {
	local X
	for X in A B; do
		host_up "$X" && vsh "$X" domuuid "$1" >/dev/null 2>&1 && echo "$X"
	done
}

destroy_guest() {
	local n=$1 X found=
	for X in $(where "$n"); do
		found=1
		if [ "$(vsh "$X" domstate "$n" 2>/dev/null)" != "shut off" ]; then
			vsh "$X" destroy "$n" >/dev/null || die "destroy $n on host $X failed"
		fi
		vsh "$X" undefine "$n" >/dev/null || die "undefine $n on host $X failed"
		log "guest $n destroyed and undefined on host $X"
	done
	[ -n "$found" ] || log "guest $n is not defined on either lab host"
	pid_forget "qemu-$n"
	rm -f "$LAB/img/$n.img" "$LAB/img/$n-2.img" "$LAB/run/mig-$n".*
}

[ $# -ge 1 ] || usage
if [ "$1" = --destroy ]; then
	[ $# -eq 2 ] || usage
	destroy_guest "$2"
	exit 0
fi
[ $# -ge 3 ] && [ $# -le 9 ] || usage
NAME=$1 HOST=$2 LOAD=$3
VCUR=${4:-1} VMAX=${5:-4} MCUR=${6:-256} MMAX=${7:-1024} DISK=${8:-0} FILL=${9:-128}
[[ $NAME =~ ^[A-Za-z0-9_-]+$ ]] || die "bad guest name '$NAME'"
case $HOST in A | B) ;; *) usage ;; esac
case $LOAD in idle | cpu | mem | io | dirty | fill) ;; *) die "LOAD must be idle|cpu|mem|io|dirty|fill" ;; esac
for v in "$VCUR" "$VMAX" "$MCUR" "$MMAX" "$DISK" "$FILL"; do
	[[ $v =~ ^[0-9]+$ ]] || die "not a number: '$v'"
done
[ "$VCUR" -ge 1 ] && [ "$VCUR" -le "$VMAX" ] || die "need 1 <= VCPUS_CUR <= VCPUS_MAX"
[ "$MCUR" -le "$MMAX" ] || die "need MEM_CUR_MIB <= MEM_MAX_MIB"
ON_REBOOT=${ARAS_GUEST_ON_REBOOT:-destroy}
case $ON_REBOOT in destroy | restart) ;; *) die "ARAS_GUEST_ON_REBOOT must be destroy|restart" ;; esac
host_up "$HOST" || die "host $HOST is not running (tests/lab/setup.sh)"
[ -s "$LAB/guest/initrd.gz" ] || die "no guest initramfs (tests/lab/setup.sh)"
on=$(where "$NAME")
[ -z "$on" ] || die "guest $NAME is already defined on host $on"

T0=$(now)
mkdir -p "$LAB/run" "$LAB/img"
CONSOLE=$LAB/run/$NAME.console
rm -f "$CONSOLE"
disk_xml=
if [ "$DISK" -gt 0 ]; then
	img=$LAB/img/$NAME.img
	rm -f "$img"
	truncate -s "${DISK}M" "$img" || die "cannot create $img"
	# cache=writeback: the io load rewrites the same blocks, which then stay
	# in the host's page cache instead of hammering its disk; both "hosts"
	# are this machine, so the cache is shared (migrating still needs
	# --unsafe: libvirt refuses a local file system even with cache=none)
	disk_xml="<disk type='file' device='disk'>
      <driver name='qemu' type='raw' cache='writeback'/>
      <source file='$img'/>
      <target dev='vda' bus='virtio'/>
    </disk>"
fi
# ARAS_GUEST_DISK2_MIB=N: a second raw image vdb of N MiB (beside vda);
# ARAS_GUEST_NICS=N: N virtio interfaces of type ethernet (a tap libvirt
# creates and attaches to nothing: no bridge, no network, no address on the
# host), MACs 52:54:00:a5:HH:NN (HH from the guest name's checksum)
if [ "${ARAS_GUEST_DISK2_MIB:-0}" -gt 0 ]; then
	img2=$LAB/img/$NAME-2.img
	rm -f "$img2"
	truncate -s "${ARAS_GUEST_DISK2_MIB}M" "$img2" || die "cannot create $img2"
	disk_xml="$disk_xml
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw' cache='writeback'/>
      <source file='$img2'/>
      <target dev='vdb' bus='virtio'/>
    </disk>"
fi
hh=$(printf '%02x' $(($(cksum <<<"$NAME" | cut -d' ' -f1) % 256)))
for ((i = 1; i <= ${ARAS_GUEST_NICS:-0}; i++)); do
	disk_xml="$disk_xml
    <interface type='ethernet'>
      <mac address='52:54:00:a5:$hh:$(printf '%02x' "$i")'/>
      <model type='virtio'/>
    </interface>"
done
# hot-pluggable memory: room for 4 DIMMs beyond <memory>
MAXMEM=$((MMAX + 4096))
XML=$LAB/run/$NAME.xml
cat >"$XML" <<EOF
<domain type='qemu'>
  <name>$NAME</name>
  <description>arasd lab guest (tests/lab/guest.sh), load=$LOAD</description>
  <maxMemory slots='4' unit='MiB'>$MAXMEM</maxMemory>
  <memory unit='MiB'>$MMAX</memory>
  <currentMemory unit='MiB'>$MCUR</currentMemory>
  <vcpu placement='static' current='$VCUR'>$VMAX</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$LAB/guest/vmlinuz</kernel>
    <initrd>$LAB/guest/initrd.gz</initrd>
    <cmdline>console=ttyS0 quiet panic=-1 mitigations=off swiotlb=noforce aras.load=$LOAD aras.mem=$FILL ${ARAS_GUEST_CMDLINE:-}</cmdline>
  </os>
  <features><acpi/><apic/></features>
  <cpu>
    <numa><cell id='0' cpus='0-$((VMAX - 1))' memory='$MMAX' unit='MiB'/></numa>
  </cpu>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>$ON_REBOOT</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    $disk_xml
    <controller type='usb' model='none'/>
    <serial type='file'>
      <source path='$CONSOLE' append='on'/>
      <target port='0'/>
    </serial>
    <memballoon model='virtio'>
      <stats period='2'/>
    </memballoon>
  </devices>
</domain>
EOF
vsh "$HOST" define "$XML" >/dev/null || die "virsh define $XML failed on host $HOST"
if ! vsh "$HOST" start "$NAME" >/dev/null; then
	vsh "$HOST" undefine "$NAME" >/dev/null 2>&1
	die "virsh start $NAME failed on host $HOST"
fi
p=$(cat "$LAB/host$HOST/run/qemu/$NAME.pid" 2>/dev/null) && pid_record "qemu-$NAME" "$p"

fail() {
	vsh "$HOST" destroy "$NAME" >/dev/null 2>&1
	vsh "$HOST" undefine "$NAME" >/dev/null 2>&1
	pid_forget "qemu-$NAME"
	tail -n 5 "$CONSOLE" >&2 2>/dev/null
	die "guest $NAME: $* (console: $CONSOLE); guest removed"
}
# first heartbeat (TCG boot: ~4-6 s, longer when the host CPUs are busy)
end=$(($(date +%s) + 90))
until hb_lines "$NAME" | grep -q .; do
	[ "$(vsh "$HOST" domstate "$NAME" 2>/dev/null)" = running ] || fail "stopped while booting"
	[ "$(date +%s)" -lt $end ] || fail "no heartbeat within 90 s"
	sleep 0.2
done
log "guest $NAME up on host $HOST (id $(vsh "$HOST" domid "$NAME")), first heartbeat after $(since "$T0") s"
hb_lines "$NAME" | tail -n 1
