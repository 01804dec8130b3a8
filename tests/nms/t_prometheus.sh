#!/bin/bash
# Prometheus: the committed conf/prometheus/snmp.yml is what `make
# prometheus` generates from the MIB now; the alert rules pass `promtool
# check rules` and their unit tests; Debian's prometheus-snmp-exporter with
# the shipped snmp.yml scrapes a real snmpd + arasd (test driver): per-VM
# series labelled with VM name, host name and canonical UUID, values equal
# to snmpget's, enums as state sets / info (arasVmOperState: the set
# state is snmpget's), an alert state that turns
# "firing" after a threshold SET; a real Prometheus with the shipped scrape
# example and rules then fires ArasVmCpuAlert for that VM.
T_NAME=prometheus
. "$(dirname "$0")/../lib.sh"
P=$TOP/conf/prometheus

# 1. snmp.yml is current
cp "$P/generator.yml" "$T/"
(cd "$T" && MIBDIRS=$TOP/mib:$(ls -d /usr/lib/erlang/lib/snmp-*/mibs | tail -1) \
	prometheus-snmp-generator --fail-on-parse-errors generate -o "$T/snmp.yml" >"$T/gen.log" 2>&1)
is "prometheus-snmp-generator runs on generator.yml + mib/ARAS-MIB.txt" "$?" 0
if diff -u "$P/snmp.yml" "$T/snmp.yml" >"$T/gen.diff"; then ok "committed snmp.yml is current (make prometheus)"; else
	not_ok "committed snmp.yml is current: run make prometheus"; head -20 "$T/gen.diff" | sed 's/^/# /'; fi
# 2. rules
check "promtool check rules arasd-rules.yml" promtool check rules "$P/arasd-rules.yml"
check "promtool check config prometheus.yml (the scrape example)" promtool check config "$P/prometheus.yml"
(cd "$P" && promtool test rules arasd-rules.test.yml >"$T/rules.log" 2>&1)
is "promtool test rules arasd-rules.test.yml" "$?" 0

# 3. scrape a real arasd
HOSTS_CONF=("host alpha $(fixture hostA.xml) 1" "host beta $(fixture hostB.xml) 2")
write_arasd_conf "stateFile $T/state" "holdTime 2" "actions trap"
start_snmpd || { not_ok "snmpd starts"; exit 1; }
start_arasd || { not_ok "arasd attaches to the master"; exit 1; }
# CPU % needs two polls: scrape once the rates are steady
polls_ge() { [ "$(sget "$STATUS_OID.3.0" 2>/dev/null || echo 0)" -ge "$1" ]; }
wait_for 15 polls_ge 4 || not_ok "arasd polled 4 times"
EXP_PORT=$(pick_port)
prometheus-snmp-exporter --config.file="$P/snmp.yml" --web.listen-address="127.0.0.1:$EXP_PORT" \
	>"$T/exporter.log" 2>&1 &
record_pid $!
scrape() { curl -sf "http://127.0.0.1:$EXP_PORT/snmp?module=arasd&target=$AGENT" >"$T/scrape.txt"; }
check "snmp_exporter answers a scrape of module arasd" wait_for 10 scrape
# value of the series NAME whose labels contain LABELS (a substring)
# (as an integer: the exposition format writes 2097152 as 2.097152e+06)
series() {
	local v
	v=$(grep -E "^$1( |\{)" "$T/scrape.txt" | grep -F "$2" | head -1 | sed 's/.* //')
	[ -n "$v" ] && printf '%.0f' "$v"
}

declare -A UUID=([web1]=6a2e7c0e-1f3b-4b4e-9a51-0000000000a1 [db1]=0f4c1d2e-8b7a-4c3d-8e2f-0000000000a2
	[cache1]=c3b2a190-5d4e-4f60-a7b8-0000000000a3 [app1]=9e8d7c6b-5a49-4382-9170-0000000000b1
	[batch1]=2b3c4d5e-6f70-4182-93a4-0000000000b2)
declare -A HOST=([web1]=alpha [db1]=alpha [cache1]=alpha [app1]=beta [batch1]=beta)
before=$(sget "$VM_ENTRY.35.$(uuid_oid "${UUID[web1]}")")
scrape
after=$(sget "$VM_ENTRY.35.$(uuid_oid "${UUID[web1]}")")
grep -m1 '^arasVmMemCurrent{' "$T/scrape.txt" | sed 's/^/# /'
for vm in web1 db1 cache1 app1 batch1; do
	idx=$(uuid_oid "${UUID[$vm]}")
	lbl="arasVmHostName=\"${HOST[$vm]}\",arasVmName=\"$vm\",arasVmUuidString=\"${UUID[$vm]}\""
	got=""
	want=""
	for col in "arasVmVcpus 5" "arasVmCpuUsage 7" "arasVmMemCurrent 8" "arasVmMemMax 9" "arasVmMemUsage 10"; do
		got+=" $(series "${col% *}" "$lbl")"
		want+=" $(sget "$VM_ENTRY.${col#* }.$idx")"
	done
	is "$vm: vCPUs, CPU %, memory current/max/% with name, host and UUID labels equal snmpget" "$got" "$want"
done
us=$(series arasVmCpuTimeUs "arasVmName=\"web1\"")
check "web1 arasVmCpuTimeUs ($us) between snmpgets before ($before) and after ($after)" \
	test "$before" -le "$us" -a "$us" -le "$after"
is "series without the 16-octet index label (UUID as the canonical string)" "$(grep -c 'arasVmUuid=' "$T/scrape.txt")" 0
# steal: absent on the test driver (no vcpu.N.delay), so no series rather than a made-up 0
is "no arasVmCpuSteal / arasHostCpuSteal* series (the test driver reports no steal)" \
	"$(grep -c '^arasVmCpuSteal{\|^arasHostCpuSteal' "$T/scrape.txt")" 0
is "arasStealThreshold scraped (default 10)" "$(grep '^arasStealThreshold ' "$T/scrape.txt" | awk '{print $2}')" 10
is "host series by name: alpha up (state set)" "$(series arasHostState 'arasHostName="alpha",arasHostState="up"')" 1
is "  alpha not down" "$(series arasHostState 'arasHostName="alpha",arasHostState="down"')" 0
is "web1 state as info: running" "$(series arasVmState_info 'arasVmName="web1",arasVmState="running"')" 1
# the RFC 7666 operational state: a state set, the set state is snmpget's
OPER=(x unknown other preparing running blocked suspending suspended resuming paused migrating shuttingdown shutdown crashed)
for vm in web1 batch1; do
	st=$(sget "$VM_ENTRY.39.$(uuid_oid "${UUID[$vm]}")" | tr -dc 0-9)
	[ -n "$st" ] || st=0
	is "$vm arasVmOperState as a state set: ${OPER[st]:-?} (snmpget $st) is 1" \
		"$(series arasVmOperState "arasVmName=\"$vm\",arasVmOperState=\"${OPER[st]:-x}\"")" 1
	is "  and the other 12 states 0" "$(grep -E '^arasVmOperState\{' "$T/scrape.txt" | grep -F "arasVmName=\"$vm\"" | grep -c ' 0$')" 12
done
check "arasVmCommand and arasVmStateReason are not series" sh -c "! grep -qE '^aras(VmCommand|VmStateReason)' '$T/scrape.txt'"
is "arasVmStateChangesSeen equals snmpget" "$(series arasVmStateChangesSeen '')" "$(sget "$STATUS_OID.23.0")"
is "web1 CPU alert ok before the SET" "$(series arasVmCpuAlert 'arasVmCpuAlert="ok",arasVmHostName="alpha",arasVmName="web1"')" 1
is "aggregate arasVmsCpuAlerting 0" "$(series arasVmsCpuAlerting '')" 0
# a real Prometheus with the shipped scrape example (target, exporter
# address and intervals changed) and the shipped rules
PROM_PORT=$(pick_port)
sed -e "s/scrape_interval: 60s/scrape_interval: 2s/" -e "s/scrape_timeout: 30s/scrape_timeout: 2s/" \
	-e "s/evaluation_interval: 60s/evaluation_interval: 1s/" -e "s/\[kvm-mgmt.example.net\]/[\"$AGENT\"]/" \
	-e "s/replacement: 127.0.0.1:9116/replacement: 127.0.0.1:$EXP_PORT/" "$P/prometheus.yml" >"$T/prometheus.yml"
cp "$P/arasd-rules.yml" "$T/"
is "the test's prometheus.yml differs from the shipped one in 5 lines" "$(diff "$P/prometheus.yml" "$T/prometheus.yml" | grep -c '^>')" 5
prometheus --config.file="$T/prometheus.yml" --storage.tsdb.path="$T/tsdb" \
	--web.listen-address="127.0.0.1:$PROM_PORT" >"$T/prometheus.log" 2>&1 &
record_pid $!
prom_q() { curl -sf "http://127.0.0.1:$PROM_PORT/api/v1/query" --data-urlencode "query=$1"; }
up_is_1() { prom_q 'up{job="arasd"}' | grep -q '"value":\[[0-9.]*,"1"\]'; }
check "Prometheus scrapes arasd through snmp_exporter (up == 1)" wait_for 20 up_is_1
alerts() { curl -sf "http://127.0.0.1:$PROM_PORT/api/v1/alerts"; }
is "no ArasVmCpuAlert before the SET" "$(alerts | grep -o '"alertname":"ArasVmCpuAlert"' | wc -l)" 0
sset "$CONFIG_OID.2.0" u 40 >/dev/null
t_set=$(date +%s%N)
check "after arasCpuThreshold 40: web1's CPU alert is firing in the scrape" wait_for 15 \
	sh -c "curl -sf 'http://127.0.0.1:$EXP_PORT/snmp?module=arasd&target=$AGENT' | grep -q '^arasVmCpuAlert{arasVmCpuAlert=\"firing\",arasVmHostName=\"alpha\",arasVmName=\"web1\",arasVmUuidString=\"${UUID[web1]}\"} 1$'"
scrape
check "  and the aggregate arasVmsCpuAlerting counts it" test "$(series arasVmsCpuAlerting '')" -ge 1
grep -m1 '^arasVmCpuAlert{arasVmCpuAlert="firing"' "$T/scrape.txt" | sed 's/^/# /'
web1_alert() { alerts | python3 -c '
import json, sys
for a in json.load(sys.stdin)["data"]["alerts"]:
    l = a["labels"]
    if l.get("alertname") == "ArasVmCpuAlert" and l.get("arasVmName") == "web1" and a["state"] == "firing":
        print(l["arasVmUuidString"], l["arasVmHostName"], l["resource"], a["annotations"]["summary"])
'; }
web1_firing() { web1_alert | grep -q .; }
check "Prometheus fires ArasVmCpuAlert for web1 (shipped rules)" wait_for 20 web1_firing
echo "# SET -> Prometheus alert firing: $((($(date +%s%N) - t_set) / 1000000)) ms (holdTime 2 s, poll 1 s, scrape 2 s, evaluation 1 s)"
is "  labelled with UUID, host and resource" "$(web1_alert | cut -d' ' -f1-3)" "${UUID[web1]} alpha cpu"
web1_alert | sed 's/^/# /'
exit 0
