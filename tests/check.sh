#!/bin/sh
# tests/check.sh - what `make check` runs: install the Debian packages that
# are missing, build with warnings as errors, run every test.
set -e
cd "$(dirname "$0")/.."
PKGS="build-essential pkg-config libsnmp-dev snmpd snmp snmptrapd libvirt-dev libvirt-clients
libcurl4-openssl-dev libcmocka-dev smitools erlang-snmp python3-aiosmtpd python3
monitoring-plugins-standard iproute2 procps"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "# installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing
fi
make -s CI=1 all unit
make -s lint
exec bash tests/run.sh
