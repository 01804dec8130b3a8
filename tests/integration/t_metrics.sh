#!/bin/bash
# The /metrics endpoint (metricsAddress, issue 22): arasd's own Prometheus
# text equals what Debian's prometheus-snmp-exporter prints scraping the
# same arasd with conf/prometheus/snmp.yml (the same series, HELP and TYPE,
# the same values; tests/integration/prom-compare.py), on a fixture with a
# long pollInterval, a placement group and hostile VM names (label
# escaping); /, 404, 405; loopback only by default; bad metrics* lines
# named with file and line; a second arasd on the same port stops with the
# reason; HTTPS (openssl self-signed certificate) with basic auth (bcrypt,
# $2b$ and $2y$): the right password 200 (again: from the cache), a wrong
# one or none 401 (after the cache holds the right one); a host name that
# is not UTF-8 gets U+FFFD; a real
# Prometheus scraping /metrics directly (HTTPS, basic auth) fires the
# shipped ArasVmCpuAlert after a threshold SET.
T_NAME=metrics
. "$(dirname "$0")/../lib.sh"
P=$TOP/conf/prometheus

# ---- configuration errors: file, line, reason
bad() { # bad WANT LINE
	printf 'agentxSocket %s\nhost a test:///default 1\n%s\n' "$AGENTX" "$2" >"$T/bad.conf"
	out=$("$ARASD" -n -c "$T/bad.conf" 2>&1)
	rc=$?
	is "-n exits 1 on '$2'" "$rc" 1
	check "  names $T/bad.conf line 3: $1" grep -qF "$T/bad.conf: line 3: Error: $1" <<<"$out"
}
bad "metricsAddress needs [ADDR:]PORT" "metricsAddress 0"
bad "metricsAddress needs [ADDR:]PORT" "metricsAddress 127.0.0.1:http"
bad "metricsAddress: ADDR must be a numeric" "metricsAddress localhost:9116"
bad "metricsTlsCert / metricsTlsKey need an absolute path" "metricsTlsCert cert.pem"
bad "metricsUser needs a name and a bcrypt hash" "metricsUser prom"
bad "metricsUser: the password must be a bcrypt hash" 'metricsUser prom $1$abc$def'
printf 'agentxSocket %s\nhost a test:///default 1\nmetricsAddress 9116\nmetricsTlsCert /nonexistent\n' \
	"$AGENTX" >"$T/bad.conf"
out=$("$ARASD" -n -c "$T/bad.conf" 2>&1)
check "-n: metricsTlsCert without metricsTlsKey refused ($out)" grep -qF "metricsTlsCert and metricsTlsKey go together" <<<"$out"
printf 'agentxSocket %s\nhost a test:///default 1\nmetricsAddress [::1]:9116\n' "$AGENTX" >"$T/good.conf"
check "-n accepts metricsAddress [::1]:9116" "$ARASD" -n -c "$T/good.conf"

# ---- the generated table is current; a change to snmp.yml makes it stale (make lint)
check "src/snmp/prom_table.h is current with conf/prometheus/snmp.yml" \
	python3 "$TOP/tools/prom-table.py" check "$P/snmp.yml" "$TOP/src/snmp/prom_table.h"
sed 's/help: Number of vCPUs the VM currently has./help: Changed./' "$P/snmp.yml" >"$T/snmp-changed.yml"
check "  and stale once snmp.yml's HELP of arasVmVcpus changes" sh -c \
	"! python3 '$TOP/tools/prom-table.py' check '$T/snmp-changed.yml' '$TOP/src/snmp/prom_table.h'"

# ---- fixtures: the demo's two hosts and a third whose VM names are hostile
QUOTE_NAME='q"uote'
BS_NAME='back\slash'
LF_NAME=$'lf\nforged{x="1"} 1'
C1_NAME=$'c1\xc2\x9bx'
python3 - "$T" "$QUOTE_NAME" "$BS_NAME" "$LF_NAME" "$C1_NAME" <<'PY' || { not_ok "hostile fixture written"; exit 1; }
import sys
t, *names = sys.argv[1:]
def ref(s):
    return "".join(c if c.isalnum() or c in " -_." else "&#%d;" % ord(c) for c in s)
head = ("<node><cpu><mhz>2400</mhz><model>x86_64</model><active>8</active><nodes>1</nodes>"
        "<sockets>1</sockets><cores>4</cores><threads>2</threads></cpu><memory>16777216</memory>\n")
doms = "".join("  <domain type='test'><name>%s</name><uuid>7c000000-0000-4000-8000-0000000000%02x</uuid>"
               "<memory>1048576</memory><currentMemory>524288</currentMemory><vcpu>1</vcpu>"
               "<os><type>hvm</type></os></domain>\n" % (ref(n), i + 1) for i, n in enumerate(names))
open(t + "/hostC.xml", "w").write(head + doms + "</node>\n")
PY
NVMS=9
hosts() { HOSTS_CONF=("host alpha $(fixture hostA.xml) 1" "host beta $(fixture hostB.xml) 2" "host gamma test://$T/hostC.xml 3"); }
hosts
vm_count_is() { [ "$(sget "$STATUS_OID.2.0" 2>/dev/null)" = "$1" ]; }

# ---- 1. /metrics equals snmp_exporter's scrape (long pollInterval: stable values)
MPORT=$(pick_port)
POLL=3600 write_arasd_conf "stateFile $T/state" "metricsAddress $MPORT"
start_snmpd || { not_ok "snmpd starts"; exit 1; }
start_arasd || { not_ok "arasd starts with metricsAddress $MPORT"; exit 1; }
check "arasd serves $NVMS VMs" wait_for 30 vm_count_is $NVMS
# a placement group: arasGroupTable's series too (index label arasGroupName)
sset "$BASE_OID.1.7.1.6.4.103.114.112.49" i 4 >/dev/null
check "group grp1 created (createAndGo)" get_is "$BASE_OID.1.7.1.4.4.103.114.112.49" 0
EXP_PORT=$(pick_port)
prometheus-snmp-exporter --config.file="$P/snmp.yml" --web.listen-address="127.0.0.1:$EXP_PORT" \
	>"$T/exporter.log" 2>&1 &
record_pid $!
check "snmp_exporter starts" wait_for 10 curl -sf "http://127.0.0.1:$EXP_PORT/metrics"
curl -sf -D "$T/headers" -o "$T/ours.txt" "http://127.0.0.1:$MPORT/metrics"
is "GET /metrics answers" "$?" 0
curl -sf -o "$T/exporter.txt" "http://127.0.0.1:$EXP_PORT/snmp?module=arasd&target=$AGENT"
is "snmp_exporter scrapes module arasd" "$?" 0
curl -sf -o "$T/ours2.txt" "http://127.0.0.1:$MPORT/metrics"
python3 "$TOP/tests/integration/prom-compare.py" "$T/ours.txt" "$T/exporter.txt" >"$T/compare.txt"
is "/metrics: the series, HELP and TYPE and values of snmp_exporter's module arasd ($(tail -1 "$T/compare.txt"))" "$?" 0
grep -v '^series' "$T/compare.txt" | head -20 | sed 's/^/# /'
python3 "$TOP/tests/integration/prom-compare.py" "$T/ours2.txt" "$T/exporter.txt" >/dev/null
is "  and a second scrape as well" "$?" 0
check "  the comparison has VM, host, group and scalar series" sh -c \
	"grep -q '^arasVmVcpus{' '$T/ours.txt' && grep -q '^arasHostCpus{' '$T/ours.txt' && grep -q '^arasGroupMembers{arasGroupName=\"grp1\"} 0$' '$T/ours.txt' && grep -q '^arasPollInterval 3600$' '$T/ours.txt'"
check "Content-Type: text/plain; version=0.0.4" grep -qi '^Content-Type: text/plain; version=0.0.4' "$T/headers"
# escaping: \ " and line feed in label values, nothing else; every line a sample or a comment
check "label value with a quote escaped" grep -qF 'arasVmName="q\"uote"' "$T/ours.txt"
check "label value with a backslash escaped" grep -qF 'arasVmName="back\\slash"' "$T/ours.txt"
check "label value with a line feed escaped" grep -qF 'arasVmName="lf\nforged{x=\"1\"} 1"' "$T/ours.txt"
check "label value with a C1 control kept as UTF-8" grep -qF "arasVmName=\"$C1_NAME\"" "$T/ours.txt"
is "no line forged by a name: every line a comment or NAME{labels} VALUE" \
	"$(grep -cvE '^(# (HELP|TYPE) .*|[a-zA-Z_][a-zA-Z0-9_]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? -?[0-9][0-9.e+]*)$' "$T/ours.txt")" 0
# the rest of the HTTP surface
code() { curl -s -o "$T/body" -w '%{http_code}' "$@"; }
is "GET / answers 200" "$(code "http://127.0.0.1:$MPORT/")" 200
check "  an HTML page linking /metrics" grep -qF 'href="/metrics"' "$T/body"
is "GET /nothing answers 404" "$(code "http://127.0.0.1:$MPORT/nothing")" 404
is "POST /metrics answers 405" "$(code -X POST "http://127.0.0.1:$MPORT/metrics")" 405
is "HEAD /metrics answers 200" "$(code -I "http://127.0.0.1:$MPORT/metrics")" 200
is "listening on 127.0.0.1:$MPORT only (metricsAddress PORT: loopback)" \
	"$(ss -Hltn "sport = :$MPORT" | awk '{print $4}' | sort -u | tr '\n' ' ')" "127.0.0.1:$MPORT "
# a second arasd on the same port: stops by itself, saying why
OTHER=$(pick_port)
sed -e "s/127.0.0.1:$SNMP_PORT/127.0.0.1:$OTHER/" -e "s|$AGENTX|$T/other.sock|" -e "s|$T/state|$T/state2|" \
	"$T/arasd.conf" >"$T/second.conf"
timeout 30 "$ARASD" -f -c "$T/second.conf" >"$T/second.log" 2>&1
rc=$?
is "a second arasd on the same metrics port exits non-zero by itself (status $rc)" \
	"$([ $rc -ne 0 ] && [ $rc -ne 124 ] && echo yes)" yes
check "  saying: metricsAddress 127.0.0.1:$MPORT: cannot listen: Address already in use" \
	grep -qF "metricsAddress 127.0.0.1:$MPORT: cannot listen: Address already in use" "$T/second.log"
is "the first still answers" "$(code "http://127.0.0.1:$MPORT/metrics")" 200
kill "$ARASD_PID"
wait_for 20 sh -c "! kill -0 $ARASD_PID"

# ---- 2. HTTPS and basic auth; a real Prometheus scraping /metrics fires ArasVmCpuAlert
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" -out "$T/cert.pem" -days 1 \
	-subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" >"$T/openssl.log" 2>&1
is "openssl makes a self-signed certificate for 127.0.0.1" "$?" 0
hash=$(python3 -W ignore -c 'import crypt; print(crypt.crypt("s3cret", crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=2**5)))')
check "bcrypt hash made (\$2b\$: $hash)" grep -q '^\$2b\$05\$' <<<"$hash"
hash_y=$(python3 -W ignore -c 'import crypt; print(crypt.crypt("other", crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=2**5)))')
hash_y="\$2y\$${hash_y#\$2b\$}"
MPORT=$(pick_port)
# a host name (arasd.conf takes any byte) that is not UTF-8: U+FFFD in its labels
HOSTS_CONF=("host alpha $(fixture hostA.xml) 1" "host beta $(fixture hostB.xml) 2" $'host g\xffmma test://'"$T/hostC.xml 3")
POLL=1 write_arasd_conf "stateFile $T/state3" "holdTime 2" "actions trap" "metricsAddress 127.0.0.1:$MPORT" \
	"metricsTlsCert $T/cert.pem" "metricsTlsKey $T/key.pem" "metricsUser prom $hash" "metricsUser ops $hash_y"
start_arasd || { not_ok "arasd starts with HTTPS and basic auth"; exit 1; }
check "arasd serves $NVMS VMs again" wait_for 30 vm_count_is $NVMS
URL="https://127.0.0.1:$MPORT/metrics"
is "HTTPS, the right password: 200" "$(code --cacert "$T/cert.pem" -u prom:s3cret "$URL")" 200
check "  the series" grep -q '^arasVmVcpus{' "$T/body"
check "  a host name that is not UTF-8 with U+FFFD in its place" grep -qF $'arasHostName="g\xef\xbf\xbdmma"' "$T/body"
is "  the right password again (now from the cache of good passwords): 200" "$(code --cacert "$T/cert.pem" -u prom:s3cret "$URL")" 200
is "HTTPS, a \$2y\$ hash's user and password: 200" "$(code --cacert "$T/cert.pem" -u ops:other "$URL")" 200
is "HTTPS, a wrong password: 401" "$(code --cacert "$T/cert.pem" -u prom:wrong "$URL")" 401
is "HTTPS, another user's password: 401" "$(code --cacert "$T/cert.pem" -u ops:s3cret "$URL")" 401
is "HTTPS, no credentials: 401" "$(code --cacert "$T/cert.pem" "$URL")" 401
check "  with WWW-Authenticate: Basic" sh -c "curl -s -D - -o /dev/null --cacert '$T/cert.pem' '$URL' | grep -qi '^WWW-Authenticate: Basic'"
is "plain HTTP on the HTTPS port: no answer" "$(code -u prom:s3cret "http://127.0.0.1:$MPORT/metrics")" 000
check "arasd's log names the failed user, never a password" sh -c "grep -q 'basic auth failed for user prom' '$T/arasd.log' && ! grep -q 'wrong' '$T/arasd.log'"

PROM_PORT=$(pick_port)
cat >"$T/prometheus.yml" <<YML
global:
  scrape_interval: 2s
  scrape_timeout: 2s
  evaluation_interval: 1s
rule_files:
  - $P/arasd-rules.yml
scrape_configs:
  - job_name: arasd
    scheme: https
    tls_config:
      ca_file: $T/cert.pem
    basic_auth:
      username: prom
      password: s3cret
    static_configs:
      - targets: ["127.0.0.1:$MPORT"]
YML
check "promtool check config (Prometheus scraping /metrics over HTTPS)" promtool check config "$T/prometheus.yml"
prometheus --config.file="$T/prometheus.yml" --storage.tsdb.path="$T/tsdb" \
	--web.listen-address="127.0.0.1:$PROM_PORT" >"$T/prometheus.log" 2>&1 &
record_pid $!
prom_q() { curl -sf "http://127.0.0.1:$PROM_PORT/api/v1/query" --data-urlencode "query=$1"; }
up_is_1() { prom_q 'up{job="arasd"}' | grep -q '"value":\[[0-9.]*,"1"\]'; }
check "Prometheus scrapes /metrics (up == 1: the text parses, hostile names and all)" wait_for 30 up_is_1
one_series() { prom_q "count(arasVmVcpus{arasVmName=$1})" | grep -q '"value":\[[0-9.]*,"1"\]'; }
check "  the VM named q\"uote is one series with its name" one_series '"q\"uote"'
check "  the VM whose name holds a line feed too" one_series '"lf\nforged{x=\"1\"} 1"'
check "  the host whose name is not UTF-8, with U+FFFD" sh -c "curl -sf 'http://127.0.0.1:$PROM_PORT/api/v1/query' --data-urlencode 'query=count(arasHostCpus{arasHostName=\"g\\ufffdmma\"})' | grep -q '\"value\":\[[0-9.]*,\"1\"\]'"
alerts() { curl -sf "http://127.0.0.1:$PROM_PORT/api/v1/alerts"; }
web1_alert() { alerts | python3 -c '
import json, sys
for a in json.load(sys.stdin)["data"]["alerts"]:
    l = a["labels"]
    if l.get("alertname") == "ArasVmCpuAlert" and l.get("arasVmName") == "web1" and a["state"] == "firing":
        print(l["arasVmUuidString"], l["arasVmHostName"], l["resource"])
'; }
web1_firing() { web1_alert | grep -q .; }
# (the 1-vCPU VMs of gamma may go over the default 90 %: web1 stays below it)
wait_polls 2
is "no ArasVmCpuAlert for web1 before the SET" "$(web1_alert)" ""
sset "$CONFIG_OID.2.0" u 40 >/dev/null
check "Prometheus fires ArasVmCpuAlert for web1 from /metrics (shipped rules)" wait_for 30 web1_firing
is "  labelled with UUID, host and resource" "$(web1_alert)" "6a2e7c0e-1f3b-4b4e-9a51-0000000000a1 alpha cpu"
exit 0
