#!/bin/bash
# tests/lab/heartbeat.sh - the latest heartbeat of a lab guest, read from its
# serial console file $LAB/run/NAME.console.
#   heartbeat.sh NAME          one "field=value" per line (hb, load, cpus,
#                              memtotal_kb, memavail_kb, disks, iter_per_s,
#                              mb_per_s, iters, mb, up)
#   heartbeat.sh NAME FIELD    just that value
#   heartbeat.sh -l NAME       the raw line
# Exits 1 when the guest has printed no heartbeat yet.
set -u
. "$(dirname "$0")/lib.sh"
raw=0
if [ "${1:-}" = -l ]; then
	raw=1
	shift
fi
[ $# -ge 1 ] && [ $# -le 2 ] || {
	awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0" >&2
	exit 2
}
line=$(hb_lines "$1" | tail -n 1)
[ -n "$line" ] || {
	echo "heartbeat: no heartbeat from guest $1 in $LAB/run/$1.console" >&2
	exit 1
}
if [ $raw = 1 ]; then
	echo "$line"
elif [ $# -eq 2 ]; then
	v=$(hb_field "$1" "$2" "$line")
	[ -n "$v" ] || exit 1
	echo "$v"
else
	echo "${line#ARAS }" | tr ' ' '\n'
fi
