#!/bin/bash
# tests/lab/hostd.sh X - run by setup.sh as
#   unshare --mount [--uts] --propagation private bash hostd.sh A|B
# i.e. already inside the host's fresh private mount namespace.  It puts the
# host's own folders over libvirt's fixed paths, gives each cgroup hierarchy
# the host's own subtree as its root, sets host B's hostname, then becomes
# that host's libvirtd (same PID, so setup.sh records the daemon itself).
set -u
X=$1
. "$(dirname "$0")/lib.sh"
H=$LAB/host$X

bind() {
	mount --bind "$1" "$2" || die "host $X: mount --bind $1 $2 failed"
}
bind "$H/run" /run/libvirt
bind "$H/lib" /var/lib/libvirt
bind "$H/log" /var/log/libvirt
bind "$H/etc" /etc/libvirt
bind "$LAB/cache" /var/cache/libvirt

# cgroups: libvirt creates machine/qemu-N-NAME.libvirt-qemu under the root of
# each hierarchy it finds the daemon in.  Both hosts in the same tree would
# collide after a migration (same ID and name), so each host sees its own
# /sys/fs/cgroup/<ctrl>/aras-labX as the root.  setup.sh listed the
# hierarchies where the daemon sits at the root (others, e.g. memory here,
# are left alone: libvirt does not use them, see qemu.conf).
while read -r m; do
	bind "$m/aras-lab$X" "$m"
done <"$H/cgroups"

if [ "$X" = B ]; then
	hostname "$HOSTNAME_B" || die "host B: hostname failed"
fi
exec /usr/sbin/libvirtd -f "$H/etc/libvirtd.conf" -p "$H/libvirtd.pid"
