#!/bin/bash
# tests/lab/setup.sh - bring up the two-host libvirt + QEMU lab (see
# /work/shared/notes/lab.md and lib.sh for the layout under $LAB).
#   1. installs the Debian packages that are missing (apt-get update first,
#      only then), creates the libvirt-qemu user/group libvirtd insists on;
#   2. downloads the Debian cloud kernel .deb (apt-get download, unpacked with
#      dpkg-deb -x, never installed) and builds the guest initramfs
#      (busybox-static, virtio pci/blk/balloon/net modules, ACPI button + evdev
#      for the power button, tests/lab/guest/init);
#   3. starts host A (qemu:///system: libvirtd with its sockets in
#      $LAB/hostA/sock, symlinked from /run/libvirt) and host B (libvirtd in
#      its own mount+UTS namespace, hostname aras-hostb, its own host UUID),
#      both with their state under $LAB, TCG only, no networks, no bridges;
#   4. records both PIDs in $LAB/pids, writes $LAB/env (URI_A=, URI_B=) and
#      prints the URIs.
# Safe to re-run: whatever is already built or running is kept.  Refuses to
# start if a libvirtd that is not the lab's serves qemu:///system.
# Usage: tests/lab/setup.sh        (ARAS_LAB=/dir to move the state folder)
set -u
. "$(dirname "$0")/lib.sh"
T0=$(now)
[ "$(id -u)" = 0 ] || die "must run as root"
# ------------------------------------------------------------- safety
# A libvirtd that is not ours (the system's, or another lab's) must not be
# disturbed: the lab owns /run/libvirt's sockets and the aras-lab* cgroups.
pa=$(pid_of libvirtd-A) || pa=
pb=$(pid_of libvirtd-B) || pb=
foreign=
for p in /proc/[0-9]*; do
	p=${p#/proc/}
	case $(readlink "/proc/$p/exe" 2>/dev/null) in
	*/libvirtd | */virtqemud)
		[ "$p" = "$pa" ] || [ "$p" = "$pb" ] || foreign="$foreign $p"
		;;
	esac
done
[ -z "$foreign" ] || die "a libvirtd that is not this lab's is running (PID$foreign); refusing to start"
if ! pid_of libvirtd-A >/dev/null; then
	for s in libvirt-sock virtqemud-sock; do
		f=/run/libvirt/$s
		[ -e "$f" ] || [ -L "$f" ] || continue
		if [ "$(readlink "$f")" = "$LAB/hostA/sock/$s" ]; then
			rm -f "$f" # our own stale link
		else
			die "$f exists and is not this lab's: a foreign libvirtd serves qemu:///system; refusing to start"
		fi
	done
fi

mkdir -p "$LAB"/{dl,kernel,guest,run,img,log,cache} \
	"$LAB"/hostA/{sock,run,lib,log,etc} "$LAB"/hostB/{sock,run,lib,log,etc} || die "cannot create $LAB"
touch "$LAB/.aras-lab" "$PIDS"
SETUP_LOG=$LAB/log/setup.log
exec 3>>"$SETUP_LOG"
echo "=== setup $(date)" >&3

# ---------------------------------------------------------------- packages
PKGS="libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients qemu-system-x86
qemu-utils busybox-static cpio gzip util-linux"
APT_UPDATED=0
apt_update() {
	[ $APT_UPDATED = 1 ] && return 0
	log "apt-get update"
	apt-get update -q >&3 2>&1 || die "apt-get update failed (see $SETUP_LOG)"
	APT_UPDATED=1
}
missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	t=$(now)
	apt_update
	log "installing:$missing"
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >&3 2>&1 ||
		die "apt-get install failed (see $SETUP_LOG)"
	log "packages installed in $(since "$t") s"
fi
# libvirtd's QEMU driver parses its built-in default user before reading
# qemu.conf: "Failed to parse user 'libvirt-qemu'" without it.
getent group libvirt-qemu >/dev/null || groupadd --system libvirt-qemu || die "groupadd failed"
getent passwd libvirt-qemu >/dev/null ||
	useradd --system -g libvirt-qemu -d /var/lib/libvirt -s /usr/sbin/nologin libvirt-qemu ||
	die "useradd failed"

# ---------------------------------------------------------- guest kernel
kernel_pkg() {
	apt-cache depends linux-image-cloud-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-cloud-amd64\)$/\1/p' | head -n 1
}
# download_kernel: sets DEB to the .deb of the kernel the metapackage
# linux-image-cloud-amd64 points at (kept in $LAB/dl)
download_kernel() {
	local pkg
	pkg=$(kernel_pkg)
	[ -n "$pkg" ] || return 1
	DEB=$(find "$LAB/dl" -name "${pkg}_*.deb" | head -n 1)
	[ -n "$DEB" ] && return 0
	# apt-get download drops privileges to _apt where it can; the folder
	# must be writable for it, else it warns and downloads as root
	chmod 777 "$LAB/dl"
	(cd "$LAB/dl" && apt-get download -q "$pkg") >&3 2>&1 || return 1
	DEB=$(find "$LAB/dl" -name "${pkg}_*.deb" | head -n 1)
	[ -n "$DEB" ]
}
if [ ! -s "$LAB/guest/vmlinuz" ]; then
	t=$(now)
	# stale or missing package lists: update once and try again
	download_kernel || { apt_update && download_kernel; } ||
		die "cannot download linux-image-cloud-amd64's kernel (see $SETUP_LOG)"
	rm -rf "$LAB/kernel" && mkdir -p "$LAB/kernel"
	dpkg-deb -x "$DEB" "$LAB/kernel" || die "dpkg-deb -x $DEB failed"
	vmlinuz=$(find "$LAB/kernel/boot" -name 'vmlinuz-*' | head -n 1)
	[ -n "$vmlinuz" ] && cp "$vmlinuz" "$LAB/guest/vmlinuz" || die "no vmlinuz in $DEB"
	rm -f "$LAB/guest/initrd.gz"
	log "guest kernel ${DEB##*/} ready in $(since "$t") s"
fi

# ------------------------------------------------------- guest initramfs
# Rebuilt when missing or older than its sources.
build_initrd() {
	local R=$LAB/guest/root kv md m f
	local -A seen=()
	local -a order=()
	md=$(find "$LAB/kernel/lib/modules" -mindepth 1 -maxdepth 1 -type d | head -n 1)
	kv=${md##*/}
	[ -d "$md/kernel" ] || die "no modules in $md"
	rm -rf "$R" && mkdir -p "$R"/{bin,dev,proc,sys,run,tmp,lib/modules}
	cp /bin/busybox "$R/bin/busybox" || die "no /bin/busybox (busybox-static)"
	ln -s busybox "$R/bin/sh" # for /init's #! line; init installs the rest
	cp "$LAB_DIR/guest/init" "$R/init" && chmod 755 "$R/init"
	for f in aras-cpu aras-mem aras-io; do
		cp "$LAB_DIR/guest/$f" "$R/bin/$f"
	done
	mknod "$R/dev/console" c 5 1
	# The .deb has no modules.dep (depmod runs at install time, and kmod
	# need not be on the host): follow each module's own "depends=" field
	# (.modinfo strings) and load dependencies first.
	add_mod() {
		local d f
		[ -n "${seen[$1]:-}" ] && return
		seen[$1]=1
		f=$(find "$md/kernel" -name "$1.ko" -o -name "${1//_/-}.ko" | head -n 1)
		if [ -z "$f" ]; then
			grep -qE "/(${1}|${1//_/-})\.ko" "$md/modules.builtin" && return
			die "module $1 not found in $md"
		fi
		for d in $(tr '\0' '\n' <"$f" | sed -n 's/^depends=//p' | tr ',' ' '); do
			add_mod "$d"
		done
		cp "$f" "$R/lib/modules/$1.ko"
		order+=("$1.ko")
	}
	for m in virtio_pci virtio_blk virtio_balloon virtio_net button evdev; do
		add_mod "$m"
	done
	printf '%s\n' "${order[@]}" >"$R/lib/modules/order"
	(cd "$R" && find . | cpio -o -H newc --quiet | gzip -9) >"$LAB/guest/initrd.gz.new" &&
		mv -f "$LAB/guest/initrd.gz.new" "$LAB/guest/initrd.gz" || die "cpio/gzip failed"
	rm -rf "$R"
	log "guest initramfs built: kernel $kv, modules ${order[*]}"
}
stale=0
[ -s "$LAB/guest/initrd.gz" ] || stale=1
for f in "$LAB_DIR"/guest/* "$LAB_DIR/setup.sh" /bin/busybox; do
	[ "$f" -nt "$LAB/guest/initrd.gz" ] && stale=1
done
[ $stale = 0 ] || build_initrd

# ------------------------------------------------------------- configs
write_conf() { # X UUID PORT_MIN PORT_MAX
	local H=$LAB/host$1
	cat >"$H/etc/libvirtd.conf" <<EOF
# arasd lab host $1 (written by tests/lab/setup.sh)
unix_sock_dir = "$H/sock"
unix_sock_rw_perms = "0700"
unix_sock_ro_perms = "0700"
unix_sock_admin_perms = "0700"
auth_unix_ro = "none"
auth_unix_rw = "none"
host_uuid = "$2"
log_outputs = "3:file:$LAB/log/libvirtd-$1.log"
EOF
	cat >"$H/etc/qemu.conf" <<EOF
# arasd lab host $1 (written by tests/lab/setup.sh)
user = "root"
group = "root"
dynamic_ownership = 0
security_driver = "none"
# consoles and logs go to plain files, no virtlogd
stdio_handler = "file"
# the default list minus memory; a shorter list fails on this hybrid host
# with "v2 controller '(null)' is not available"
cgroup_controllers = [ $CGROUP_CONTROLLERS ]
migration_port_min = $3
migration_port_max = $4
EOF
}
write_conf A "$HOST_UUID_A" 49152 49183
write_conf B "$HOST_UUID_B" 49184 49215

# cgroups: /sys/fs/cgroup/<ctrl>/aras-labX for each hierarchy whose root
# holds us (hostd.sh binds it over the root); cpuset needs cpus/mems set.
make_cgroups() { # X
	local m c=$LAB/host$1/cgroups
	: >"$c"
	while read -r m; do
		grep -qx "$$" "$m/cgroup.procs" 2>/dev/null || continue
		mkdir -p "$m/aras-lab$1" || die "cannot create cgroup $m/aras-lab$1"
		if [ -f "$m/cpuset.cpus" ]; then
			cat "$m/cpuset.cpus" >"$m/aras-lab$1/cpuset.cpus"
			cat "$m/cpuset.mems" >"$m/aras-lab$1/cpuset.mems"
		fi
		echo "$m" >>"$c"
	done < <(cgroup_mounts)
}

# ------------------------------------------------------------- daemons
start_host() { # X
	local X=$1 H=$LAB/host$1 uri p t ns=--mount
	uri=$(host_uri "$X")
	if p=$(pid_of "libvirtd-$X"); then
		log "host $X: libvirtd already running (PID $p)"
		return 0
	fi
	t=$(now)
	[ "$X" = B ] && ns="--mount --uts"
	rm -f "$H"/sock/* "$H/libvirtd.pid"
	make_cgroups "$X"
	mkdir -p /run/libvirt /var/lib/libvirt /var/cache/libvirt /var/log/libvirt /etc/libvirt
	echo "=== $(date) starting host $X" >>"$LAB/log/libvirtd-$X.out"
	# The daemon goes into its aras-labX cgroups first, then into a new
	# cgroup namespace rooted there: /proc/PID/cgroup then reads "/machine/..."
	# for its QEMUs, which matches the bind-mounted view hostd.sh sets up.
	# Without this, a restarted libvirtd cannot find its running guests'
	# cgroups ("Failed to create v1 controller cpu for group", no cpu.time).
	# shellcheck disable=SC2086
	(
		cd / || exit 1
		while read -r m; do
			echo "$BASHPID" >"$m/aras-lab$X/cgroup.procs" || exit 1
		done <"$H/cgroups"
		exec setsid -w unshare --cgroup $ns --propagation private bash "$LAB_DIR/hostd.sh" "$X"
	) </dev/null >>"$LAB/log/libvirtd-$X.out" 2>&1 &
	local job=$!
	# wait for the pid file, then for the daemon to answer (the first start
	# probes QEMU's capabilities, about 8-10 s; later starts use the cache)
	local end=$(($(date +%s) + 120))
	while :; do
		p=$(cat "$H/libvirtd.pid" 2>/dev/null)
		if [ -n "$p" ] && timeout 10 virsh -q -c "$uri" uri >/dev/null 2>&1; then
			break
		fi
		if ! kill -0 "$job" 2>/dev/null && { [ -z "$p" ] || ! kill -0 "$p" 2>/dev/null; }; then
			tail -n 20 "$LAB/log/libvirtd-$X.out" "$LAB/log/libvirtd-$X.log" >&2 2>/dev/null
			die "host $X: libvirtd exited during start (logs above)"
		fi
		[ "$(date +%s)" -lt $end ] || die "host $X: libvirtd did not answer within 120 s"
		sleep 0.2
	done
	[ "$(readlink "/proc/$p/exe")" = /usr/sbin/libvirtd ] || die "host $X: PID $p is not libvirtd"
	pid_record "libvirtd-$X" "$p"
	readlink "/proc/$p/ns/mnt" >"$H/mntns"
	log "host $X: libvirtd PID $p up in $(since "$t") s"
}

# /run/libvirt holds host A's socket links (made here when missing, so
# teardown can remove it again)
if [ ! -d /run/libvirt ]; then
	mkdir -p /run/libvirt && touch "$LAB/made-run-libvirt"
fi
start_host A
# qemu:///system for clients in the root namespace: libvirt's default socket
# paths point at host A's sockets.
for s in libvirt-sock libvirt-sock-ro libvirt-admin-sock; do
	ln -sfn "$LAB/hostA/sock/$s" "/run/libvirt/$s"
done
start_host B

# ------------------------------------------------------------- checks
check_host() { # X URI HOSTNAME UUID
	local hn uuid
	hn=$(timeout 20 virsh -q -c "$2" hostname 2>&1)
	uuid=$(timeout 20 virsh -q -c "$2" capabilities 2>&1 | sed -n 's:.*<uuid>\(.*\)</uuid>.*:\1:p' | head -n 1)
	[ "$hn" = "$3" ] && [ "$uuid" = "$4" ] ||
		die "host $1 ($2) answers as hostname '$hn' uuid '$uuid', expected '$3' '$4'"
}
check_host A qemu:///system "$(hostname)" "$HOST_UUID_A"
check_host A "$URI_A" "$(hostname)" "$HOST_UUID_A"
check_host B "$URI_B" "$HOSTNAME_B" "$HOST_UUID_B"

cat >"$LAB/env" <<EOF
# arasd lab (tests/lab/setup.sh): source this file
LAB='$LAB'
URI_A='$URI_A'
URI_B='$URI_B'
# live migration: p2p to the destination's full URI above, data over a unix
# socket (no TCP):  migrate URI unix://\$MIGRATE_DIR/mig-NAME.sock
MIGRATE_DIR='$LAB/run'
EOF
log "lab up in $(since "$T0") s"
echo "URI_A=$URI_A"
echo "URI_B=$URI_B"
