#!/bin/bash
# tests/ha/node.sh NODE HA_DIR - one management node of tests/ha/check.sh's
# cluster, run inside the node's network namespace and a mount and UTS
# namespace of its own (ip netns exec NODE unshare --mount --uts): its
# hostname, private copies of corosync's and Pacemaker's directories, a
# fresh /run and /dev/shm (libqb's), the OCF agents with ocf:arasd:arasd,
# the test's fence agent over fence_legacy; then corosync, and pacemakerd
# in the foreground (the recipe of ../shared/notes/ha.md).
set -eu
NODE=$1 HA=$2
N=$HA/$NODE
mount --make-rprivate /
hostname "$NODE"
for d in /etc/corosync /var/lib/pacemaker /var/lib/corosync /var/log/pacemaker /var/log/corosync; do
	mkdir -p "$N$d"
	mount --bind "$N$d" "$d"
done
mkdir -p /var/lib/pacemaker/cib /var/lib/pacemaker/pengine /var/lib/pacemaker/blackbox /var/lib/pacemaker/cores
chown -R hacluster:haclient /var/lib/pacemaker /var/log/pacemaker
cp "$HA/corosync.conf" /etc/corosync/corosync.conf
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /dev/shm
mkdir -p /run/crm /run/aras /run/aras-ha /run/resource-agents
chown hacluster:haclient /run/crm
echo "$HA" >/run/aras-ha/dir
# the OCF agents as installed, plus ocf:arasd:arasd from this tree
mount --bind "$HA/ocf" /usr/lib/ocf/resource.d
mount --bind "$HA/fence_ns" /usr/sbin/fence_legacy
ip link set lo up
corosync -f >>/var/log/corosync/stdout.log 2>&1 &
for _ in $(seq 100); do
	corosync-cfgtool -s >/dev/null 2>&1 && break
	sleep 0.1
done
exec pacemakerd >>/var/log/pacemaker/stdout.log 2>&1
