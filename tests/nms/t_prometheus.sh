#!/bin/bash
# Prometheus: the committed conf/prometheus/snmp.yml is what `make
# prometheus` generates from the MIB now; the alert rules pass `promtool
# check rules` and their unit tests; Debian's prometheus-snmp-exporter with
# the shipped snmp.yml scrapes a real snmpd + arasd (test driver): per-VM
# series labelled with VM name, host name and canonical UUID, values equal
# to snmpget's, enums as state sets / info (arasVmOperState: the set
# state is snmpget's), an alert state that turns
# "firing" after a threshold SET; a real Prometheus with the shipped scrape
# example and rules then fires ArasVmCpuAlert for that VM.  The large-cluster
# path beside it: a second arasd on the same fixture as its own SNMP agent
# (agentAddress, no snmpd: tests/nms/lib.sh start_standalone_arasd) scraped
# with the same module has the same series (every name{labels}, values
# aside) as through snmpd + AgentX, and the shipped example's job
# arasd-standalone (target = its agentAddress) fires the same alert on it.
T_NAME=prometheus
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/nms/lib.sh"
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
# delta: VMs with several disks and interfaces (module arasd_devices, issue 23)
cp "$TOP/tests/fixtures/devices/node.xml" "$T/devices.xml"
HOSTS_CONF+=("host delta test://$T/devices.xml 4")
write_arasd_conf "stateFile $T/state" "holdTime 2" "actions trap"
start_snmpd || { not_ok "snmpd starts"; exit 1; }
start_arasd || { not_ok "arasd attaches to the master"; exit 1; }
# the same fixture (the same files) through a standalone arasd
start_standalone_arasd "holdTime 2" "actions trap" || { not_ok "standalone arasd answers on its agentAddress"; exit 1; }
# CPU % needs two polls: scrape once the rates are steady
polls_ge() { [ "$(sget "$STATUS_OID.3.0" 2>/dev/null || echo 0)" -ge "$1" ]; }
sa_polls_ge() { [ "$(saget "$STATUS_OID.3.0" 2>/dev/null || echo 0)" -ge "$1" ]; }
wait_for 15 polls_ge 4 || not_ok "arasd polled 4 times"
wait_for 15 sa_polls_ge 4 || not_ok "the standalone arasd polled 4 times"
EXP_PORT=$(pick_port)
prometheus-snmp-exporter --config.file="$P/snmp.yml" --web.listen-address="127.0.0.1:$EXP_PORT" \
	>"$T/exporter.log" 2>&1 &
record_pid $!
scrape() { curl -sf "http://127.0.0.1:$EXP_PORT/snmp?module=arasd&target=$AGENT" >"$T/scrape.txt"; }
check "snmp_exporter answers a scrape of module arasd" wait_for 10 scrape
# module arasd_devices: a series per disk and interface, labelled with the VM and the target
curl -sf "http://127.0.0.1:$EXP_PORT/snmp?module=arasd_devices&target=$AGENT" >"$T/dev-scrape.txt"
want_dev=$(for t in 8 9; do
	paste -d' ' <(swalk "$BASE_OID.1.$t.1.2" | sed 's/.*STRING: "\(.*\)"/\1/') \
		<(swalk "$BASE_OID.1.$t.1.$([ $t = 8 ] && echo 26 || echo 20)" | sed 's/.*STRING: "\(.*\)"/\1/')
done | LC_ALL=C sort | tr '\n' ,)
got_dev=$( (sed -n 's/^arasDiskUsage{arasDiskKey="\([^"]*\)",arasVmName="\([^"]*\)",arasVmUuidString="[0-9a-f-]*"} 0$/\1 \2/p' "$T/dev-scrape.txt"
	sed -n 's/^arasNicRxErrs{arasNicKey="\([^"]*\)",arasVmName="\([^"]*\)",arasVmUuidString="[0-9a-f-]*"} 0$/\1 \2/p' "$T/dev-scrape.txt") |
	LC_ALL=C sort | tr '\n' ,)
is "module arasd_devices: arasDiskUsage / arasNicRxErrs 0 for every disk and interface, by target and VM name" "$got_dev" "$want_dev"
check "module arasd_devices: 9 rows, store1's vda among them" test "$(echo "$want_dev" | tr , '\n' | grep -c .)" = 9 -a -n "$(grep -F 'arasDiskKey="vda",arasVmName="store1"' "$T/dev-scrape.txt")"
# value of the series NAME whose labels contain LABELS (a substring), in
# $T/scrape.txt or the file SCRAPE names (as an integer: the exposition
# format writes 2097152 as 2.097152e+06)
series() {
	local v
	v=$(grep -E "^$1( |\{)" "${SCRAPE:-$T/scrape.txt}" | grep -F "$2" | head -1 | sed 's/.* //')
	[ -n "$v" ] && printf '%.0f' "$v"
}

declare -A UUID=([web1]=6a2e7c0e-1f3b-4b4e-9a51-0000000000a1 [db1]=0f4c1d2e-8b7a-4c3d-8e2f-0000000000a2
	[cache1]=c3b2a190-5d4e-4f60-a7b8-0000000000a3 [app1]=9e8d7c6b-5a49-4382-9170-0000000000b1
	[batch1]=2b3c4d5e-6f70-4182-93a4-0000000000b2)
declare -A HOST=([web1]=alpha [db1]=alpha [cache1]=alpha [app1]=beta [batch1]=beta)
# one scrape and the snmpgets of one poll's figures: a poll landing between
# them (arasPolls moved) changes CPU %, and the pair is taken again
declare -A GOT WANT
for try in 1 2 3 4 5; do
	p0=$(polls)
	before=$(sget "$VM_ENTRY.35.$(uuid_oid "${UUID[web1]}")")
	scrape
	after=$(sget "$VM_ENTRY.35.$(uuid_oid "${UUID[web1]}")")
	# every snmpget value in one PDU, right after the scrape
	oids=()
	for vm in web1 db1 cache1 app1 batch1; do
		for c in 5 7 8 9 10; do oids+=("$VM_ENTRY.$c.$(uuid_oid "${UUID[$vm]}")"); done
	done
	mapfile -t vals < <(sget "${oids[@]}")
	p1=$(polls)
	k=0
	for vm in web1 db1 cache1 app1 batch1; do
		lbl="arasVmHostName=\"${HOST[$vm]}\",arasVmName=\"$vm\",arasVmUuidString=\"${UUID[$vm]}\""
		GOT[$vm]="" WANT[$vm]=""
		for col in arasVmVcpus arasVmCpuUsage arasVmMemCurrent arasVmMemMax arasVmMemUsage; do
			GOT[$vm]+=" $(series "$col" "$lbl")"
			WANT[$vm]+=" ${vals[k]:-}"
			k=$((k + 1))
		done
	done
	[ "$p1" = "$p0" ] && break
	echo "# a poll landed during scrape $try and its snmpgets: again"
done
grep -m1 '^arasVmMemCurrent{' "$T/scrape.txt" | sed 's/^/# /'
for vm in web1 db1 cache1 app1 batch1; do
	is "$vm: vCPUs, CPU %, memory current/max/% with name, host and UUID labels equal snmpget" "${GOT[$vm]}" "${WANT[$vm]}"
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
OPER=(x unknown other preparing running suspending suspended resuming paused migrating shuttingdown shutdown crashed)
for vm in web1 batch1; do
	st=$(sget "$VM_ENTRY.39.$(uuid_oid "${UUID[$vm]}")" | tr -dc 0-9)
	[ -n "$st" ] || st=0
	is "$vm arasVmOperState as a state set: ${OPER[st]:-?} (snmpget $st) is 1" \
		"$(series arasVmOperState "arasVmName=\"$vm\",arasVmOperState=\"${OPER[st]:-x}\"")" 1
	is "  and the other 11 states 0" "$(grep -E '^arasVmOperState\{' "$T/scrape.txt" | grep -F "arasVmName=\"$vm\"" | grep -c ' 0$')" 11
done
check "arasVmCommand and arasVmStateReason are not series" sh -c "! grep -qE '^aras(VmCommand|VmStateReason)' '$T/scrape.txt'"
is "arasVmStateChangesSeen equals snmpget" "$(series arasVmStateChangesSeen '')" "$(sget "$STATUS_OID.23.0")"
is "web1 CPU alert ok before the SET" "$(series arasVmCpuAlert 'arasVmCpuAlert="ok",arasVmHostName="alpha",arasVmName="web1"')" 1
is "aggregate arasVmsCpuAlerting 0" "$(series arasVmsCpuAlerting '')" 0

# ---- the standalone agent: the same module, the same series.  Both
# scraped at once; every sample as name{labels}, values left out (label
# values are names, UUIDs, URIs and enum names: the same fixture gives the
# same ones)
curl -sf "http://127.0.0.1:$EXP_PORT/snmp?module=arasd&target=$AGENT" >"$T/ax-scrape.txt" &
ax_curl=$!
curl -sf "http://127.0.0.1:$EXP_PORT/snmp?module=arasd&target=$SA_AGENT" >"$T/sa-scrape.txt"
is "snmp_exporter scrapes the standalone arasd ($SA_AGENT) with module arasd" "$?" 0
wait "$ax_curl"
samples() { grep -v '^#' "$1" | sed 's/ [^ ]*$//' | LC_ALL=C sort; }
samples "$T/ax-scrape.txt" >"$T/ax.samples"
samples "$T/sa-scrape.txt" >"$T/sa.samples"
n=$(grep -c '^aras' "$T/sa.samples")
check "standalone: $n ARAS series (5 VMs, 2 hosts; more than 300)" test "$n" -gt 300
if diff "$T/ax.samples" "$T/sa.samples" >"$T/samples.diff"; then
	ok "standalone: the same $(wc -l <"$T/sa.samples") name{labels} as through snmpd + AgentX"
else
	not_ok "standalone: the same name{labels} as through snmpd + AgentX ($(grep -c '^[<>]' "$T/samples.diff") differ)"
	grep '^[<>]' "$T/samples.diff" | head -10 | sed 's/^/# /'
fi
grep -m1 '^arasVmMemCurrent{' "$T/sa-scrape.txt" | sed 's/^/# standalone: /'
got=""
want=""
for vm in web1 batch1; do
	for col in "arasVmMemCurrent 8" "arasVmMemUsage 10"; do
		got+=" $(SCRAPE=$T/sa-scrape.txt series "${col% *}" "arasVmName=\"$vm\",arasVmUuidString=\"${UUID[$vm]}\"")"
		want+=" $(saget "$VM_ENTRY.${col#* }.$(uuid_oid "${UUID[$vm]}")")"
	done
done
is "standalone: web1's and batch1's memory series equal snmpget from it" "$got" "$want"
is "standalone: arasVmCount equals snmpget from it" "$(SCRAPE=$T/sa-scrape.txt series arasVmCount '')" "$(saget "$STATUS_OID.2.0")"
# a real Prometheus with the shipped scrape example (target, exporter
# address and intervals changed) and the shipped rules
PROM_PORT=$(pick_port)
sed -e "s/scrape_interval: 60s/scrape_interval: 2s/" -e "s/scrape_timeout: 30s/scrape_timeout: 2s/" \
	-e "s/evaluation_interval: 60s/evaluation_interval: 1s/" -e "s/\[kvm-mgmt.example.net\]/[\"$AGENT\"]/" \
	-e "s/\['kvm-mgmt.example.net:1161'\]/[\"$SA_AGENT\"]/" \
	-e "s/replacement: 127.0.0.1:9116/replacement: 127.0.0.1:$EXP_PORT/" "$P/prometheus.yml" >"$T/prometheus.yml"
cp "$P/arasd-rules.yml" "$T/"
is "the test's prometheus.yml differs from the shipped one in 9 lines (intervals, 3 targets, 3 exporters)" \
	"$(diff "$P/prometheus.yml" "$T/prometheus.yml" | grep -c '^>')" 9
prometheus --config.file="$T/prometheus.yml" --storage.tsdb.path="$T/tsdb" \
	--web.listen-address="127.0.0.1:$PROM_PORT" >"$T/prometheus.log" 2>&1 &
record_pid $!
prom_q() { curl -sf "http://127.0.0.1:$PROM_PORT/api/v1/query" --data-urlencode "query=$1"; }
up_is_1() { prom_q "up{job=\"$1\"}" | grep -q '"value":\[[0-9.]*,"1"\]'; }
check "Prometheus scrapes arasd through snmp_exporter (up == 1)" wait_for 20 up_is_1 arasd
check "  and the standalone arasd (job arasd-standalone, instance $SA_AGENT)" wait_for 20 up_is_1 arasd-standalone
check "  and the devices (job arasd-devices, module arasd_devices)" wait_for 20 up_is_1 arasd-devices
# aras_series JOB: how many ARAS series Prometheus holds from JOB
aras_series() { prom_q "count({job=\"$1\",__name__=~\"aras.*\"})" | grep -o ',"[0-9]*"\]' | tr -dc 0-9; }
is "  the same number of ARAS series from both jobs ($(aras_series arasd))" "$(aras_series arasd-standalone)" "$(aras_series arasd)"
alerts() { curl -sf "http://127.0.0.1:$PROM_PORT/api/v1/alerts"; }
is "no ArasVmCpuAlert before the SET" "$(alerts | grep -o '"alertname":"ArasVmCpuAlert"' | wc -l)" 0
# the same SET on both arasds: their alerts fire side by side
snmpset -v2c -c private -t 2 -r 1 "$SA_AGENT" "$CONFIG_OID.2.0" u 40 >/dev/null
sset "$CONFIG_OID.2.0" u 40 >/dev/null
t_set=$(date +%s%N)
check "after arasCpuThreshold 40: web1's CPU alert is firing in the scrape" wait_for 15 \
	sh -c "curl -sf 'http://127.0.0.1:$EXP_PORT/snmp?module=arasd&target=$AGENT' | grep -q '^arasVmCpuAlert{arasVmCpuAlert=\"firing\",arasVmHostName=\"alpha\",arasVmName=\"web1\",arasVmUuidString=\"${UUID[web1]}\"} 1$'"
scrape
check "  and the aggregate arasVmsCpuAlerting counts it" test "$(series arasVmsCpuAlerting '')" -ge 1
grep -m1 '^arasVmCpuAlert{arasVmCpuAlert="firing"' "$T/scrape.txt" | sed 's/^/# /'
# web1_alert JOB: web1's firing ArasVmCpuAlert from that job: its labels,
# the ms from the SET to its activeAt, its summary
web1_alert() { alerts | python3 -c '
import datetime, json, re, sys
for a in json.load(sys.stdin)["data"]["alerts"]:
    l = a["labels"]
    if l.get("alertname") == "ArasVmCpuAlert" and l.get("arasVmName") == "web1" and l.get("job") == sys.argv[1] and a["state"] == "firing":
        at = datetime.datetime.fromisoformat(re.sub(r"(\.[0-9]{6})[0-9]*", r"\1", a["activeAt"]).replace("Z", "+00:00"))
        ms = round(at.timestamp() * 1000) - int(sys.argv[2]) // 1000000
        print(l["arasVmUuidString"], l["arasVmHostName"], l["resource"], l["instance"], ms, a["annotations"]["summary"])
' "$1" "$t_set"; }
web1_firing() { web1_alert "$1" | grep -q .; }
check "Prometheus fires ArasVmCpuAlert for web1 (shipped rules)" wait_for 20 web1_firing arasd
ax=$(web1_alert arasd)
is "  labelled with UUID, host, resource and instance" "$(cut -d' ' -f1-4 <<<"$ax")" "${UUID[web1]} alpha cpu $AGENT"
cut -d' ' -f1-4,6- <<<"$ax" | sed 's/^/# /'
check "standalone: Prometheus fires ArasVmCpuAlert for web1 from job arasd-standalone" wait_for 20 web1_firing arasd-standalone
sa=$(web1_alert arasd-standalone)
is "  labelled with UUID, host, resource and the standalone agent as instance" "$(cut -d' ' -f1-4 <<<"$sa")" \
	"${UUID[web1]} alpha cpu $SA_AGENT"
echo "# SET -> Prometheus alert active (its activeAt): $(cut -d' ' -f5 <<<"$ax") ms through snmpd + AgentX, $(cut -d' ' -f5 <<<"$sa") ms standalone (holdTime 2 s, poll 1 s, scrape 2 s, evaluation 1 s)"
exit 0
