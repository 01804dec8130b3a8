#!/bin/sh
# tests/deps.sh - install the Debian packages arasd's build, demo and tests
# need, only those missing (apt-get update first when any is).
PKGS="build-essential pkg-config libsnmp-dev snmpd snmp snmptrapd libvirt-dev libvirt-clients
libcurl4-openssl-dev libcmocka-dev smitools erlang-snmp python3-aiosmtpd python3
monitoring-plugins-standard iproute2 procps gnuplot-nox"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "# installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q || exit 1
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing || exit 1
fi
exit 0
