#!/bin/sh
# tests/deps.sh - install the Debian packages arasd's build, demo and tests
# need, only those missing (apt-get update first when any is).
PKGS="build-essential pkg-config libsnmp-dev snmpd snmp snmptrapd libvirt-dev libvirt-clients
libcurl4-openssl-dev libmicrohttpd-dev libcrypt-dev libxml2-dev openssl libcmocka-dev smitools erlang-snmp python3-aiosmtpd python3
monitoring-plugins-standard iproute2 procps gnuplot-nox"
# What the NMS checks (tests/nms/, make nms-check) run for real: Zabbix 6.0
# server + frontend API on a private PostgreSQL, Icinga 2, Nagios 4 core,
# Prometheus's snmp_exporter and promtool.
PKGS="$PKGS zabbix-server-pgsql zabbix-frontend-php php-pgsql php-cli postgresql
icinga2 nagios4-core prometheus prometheus-snmp-exporter"
# tests/nms/t_prometheus.sh, bench/prom-scrape: HTTP client for snmp_exporter and Prometheus.
PKGS="$PKGS curl"
# Packaging (debian/), man pages, fuzzing and sanitizer builds.
PKGS="$PKGS debhelper dpkg-dev fakeroot lintian mandoc clang libclang-rt-14-dev"
# make lint: tools/format.sh (.clang-format); tools/prom-table.py reads snmp.yml.
PKGS="$PKGS clang-format python3-yaml"
# The package test checks the logrotate snippet; the sandbox test traces arasd.
PKGS="$PKGS logrotate strace"
# The OCF resource agent (conf/ocf/arasd) is checked with resource-agents'
# ocf-tester, which validates its meta-data with xmllint.
PKGS="$PKGS resource-agents libxml2-utils"
# make ha-check (tests/ha/check.sh): a three-node cluster in network namespaces.
PKGS="$PKGS corosync pacemaker crmsh"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "# installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	# Another apt run (a helper, unattended upgrades) may hold the lock: wait.
	apt-get -o DPkg::Lock::Timeout=600 update -q || exit 1
	# shellcheck disable=SC2086
	apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends $missing || exit 1
fi
exit 0
