#!/bin/bash
# SLA alerts end to end: lower arasMemThreshold by snmpset below what the
# fixture VMs use -> exactly one arasSlaBreach per VM after the hold time,
# none before; raise it -> one arasSlaClear each.  Mail reaches a real SMTP
# server, the script runs with the alert in its environment, a VM named
# `evil$(touch pwned);x` runs nothing, the event log records it all.
T_NAME=sla
. "$(dirname "$0")/../lib.sh"

# SMTP sink: a real SMTP server (aiosmtpd) on loopback writing a Maildir.
SMTP_PORT=$(pick_port)
/usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$T/maildir" \
	>"$T/smtpd.log" 2>&1 &
record_pid $!
# (30 s: Python's start-up on the ASan pass, two lanes beside t_zabbix, took more than 10 s once)
wait_for 30 sh -c "ss -Hltn 'sport = :$SMTP_PORT' | grep -q ." || not_ok "SMTP server listens"

# the alert script records argv and the ARAS_ environment, one file per run
cat >"$T/alert.sh" <<SH
#!/bin/sh
f="$T/runs/\$\$"
mkdir -p "$T/runs"
{ printf 'ARGV'; for a in "\$@"; do printf ' [%s]' "\$a"; done; echo; env | grep '^ARAS_' | sort; } >"\$f"
SH
chmod +x "$T/alert.sh"

# a third host whose only VM has a name made to break shells
cat >"$T/hostE.xml" <<'XML'
<node>
  <cpu><mhz>2400</mhz><model>x86_64</model><active>4</active><nodes>1</nodes><sockets>1</sockets><cores>4</cores><threads>1</threads></cpu>
  <memory>8388608</memory>
  <domain type='test'>
    <name>evil$(touch pwned);x</name><uuid>e0e0e0e0-0000-4000-8000-0000000000e1</uuid>
    <memory>2097152</memory><currentMemory>1572864</currentMemory>
    <vcpu current='2'>2</vcpu>
    <os><type>hvm</type></os>
  </domain>
</node>
XML
HOSTS_CONF=("host alpha $(fixture hostA.xml) 1" "host beta $(fixture hostB.xml) 2" "host evil test://$T/hostE.xml 3")
write_arasd_conf "stateFile $T/state" "holdTime 4" "clearMargin 5" "actions trap,email,script" \
	"mailServer smtp://127.0.0.1:$SMTP_PORT" "mailFrom arasd@example.net" "mailTo ops@example.net" \
	"script $T/alert.sh" "scriptTimeout 10"
start_snmpd || { not_ok "snmpd starts"; exit 1; }
start_trapd
(cd "$T" && start_arasd) || { not_ok "arasd attaches to the master"; exit 1; }
wait_polls 6 # each of the three hosts polled twice: usage figures known

breaches() { grep -F "OID: $NOTIFY_OID.1" "$T/traps.log" | grep -c .; }
clears() { grep -F "OID: $NOTIFY_OID.2" "$T/traps.log" | grep -c .; }
is "no alert at the default thresholds" "$(breaches)" 0

# memory use: web1 50, db1 75, cache1 50, app1 75, batch1 50, evil 75 (%)
sset "$CONFIG_OID.3.0" u 40 >/dev/null
t_set=$(date +%s%N)
sleep 1.5
is "no breach before the hold time (1.5 s < 4 s)" "$(breaches)" 0
is "VMs are pending meanwhile" "$(swalk "$VM_ENTRY.25" | grep -c 'INTEGER: 2')" 6
check "six breaches after the hold time" wait_for 10 sh -c "[ \$(grep -F 'OID: $NOTIFY_OID.1' $T/traps.log | grep -c .) -ge 6 ]"
echo "# first breach $(( ($(date +%s%N) - t_set) / 1000000 )) ms after the SET (hold 4 s, poll 1 s)"
wait_polls 6 # two more polls (and rounds) of each host: a repeat would show now
is "exactly one breach per VM, not repeated while it lasts" "$(breaches)" 6
is "one breach per distinct VM" "$(grep -F "OID: $NOTIFY_OID.1" "$T/traps.log" | grep -o "$BASE_OID.1.5.1.5.[0-9]* = STRING: \"[^\"]*\"" | sed 's/.*STRING: //' | sort -u | wc -l)" 6
line=$(grep -F "OID: $NOTIFY_OID.1" "$T/traps.log" | grep '"web1"' | head -1)
check "breach trap carries uuid, name, host, resource memory(3), value 50, threshold 40" \
	grep -q "$BASE_OID.1.5.1.4.[0-9]* = Hex-STRING: 6A 2E 7C 0E.*= STRING: \"web1\".*$BASE_OID.1.5.1.6.[0-9]* = Gauge32: 1.*$BASE_OID.1.5.1.7.[0-9]* = INTEGER: 3.*$BASE_OID.1.5.1.8.[0-9]* = Gauge32: 50.*$BASE_OID.1.5.1.9.[0-9]* = Gauge32: 40" <<<"$line"
check "breach trap carries the canonical UUID string (arasEventVmUuidString)" \
	grep -q "$BASE_OID.1.5.1.11.[0-9]* = STRING: \"6a2e7c0e-1f3b-4b4e-9a51-0000000000a1\"" <<<"$line"
check "breach trap carries the host by name (arasEventHostName)" \
	grep -q "$BASE_OID.1.5.1.12.[0-9]* = STRING: \"alpha\"" <<<"$line"
web1=$(uuid_oid 6a2e7c0e-1f3b-4b4e-9a51-0000000000a1)
is "web1 arasVmAlertState firing(3)" "$(sget "$VM_ENTRY.25.$web1")" 3
is "web1 arasVmMemAlert firing(3)" "$(sget "$VM_ENTRY.37.$web1")" 3
is "web1 arasVmCpuAlert ok(1)" "$(sget "$VM_ENTRY.36.$web1")" 1
is "arasVmsAlerting counts the six" "$(sget "$STATUS_OID.13.0")" 6
is "arasVmsMemAlerting counts the six" "$(sget "$STATUS_OID.15.0")" 6
is "arasVmsCpuAlerting 0" "$(sget "$STATUS_OID.14.0")" 0
is "web1 arasVmClass memoryIntensive(3)" "$(sget "$VM_ENTRY.24.$web1")" 3
is "arasEventTable holds 6 breaches" "$(swalk "$BASE_OID.1.5.1.3" | grep -c 'INTEGER: 1$')" 6

# per-VM override beats the global value: web1 at 50 % with its own 60 % clears
sset "$VM_ENTRY.28.$web1" u 60 >/dev/null
check "web1 clears under its own threshold" wait_for 12 sh -c "grep -F 'OID: $NOTIFY_OID.2' $T/traps.log | grep -q '\"web1\"'"
is "only web1 cleared" "$(clears)" 1

# raise the global threshold: the other five clear, once each
sset "$CONFIG_OID.3.0" u 90 >/dev/null
check "all six cleared" wait_for 12 sh -c "[ \$(grep -F 'OID: $NOTIFY_OID.2' $T/traps.log | grep -c .) -ge 6 ]"
wait_polls 6 # two more polls (and rounds) of each host: a repeat would show now
is "exactly one clear per VM" "$(clears)" 6
is "no new breach" "$(breaches)" 6
is "web1 back to ok(1)" "$(sget "$VM_ENTRY.25.$web1")" 1
is "arasVmsAlerting back to 0" "$(sget "$STATUS_OID.13.0")" 0
is "web1 class back to normal(1)" "$(sget "$VM_ENTRY.24.$web1")" 1

# mail: 12 alerts (6 breaches + 6 clears) reached the SMTP server
check "12 mails arrived" wait_for 10 sh -c "[ \$(ls $T/maildir/new | wc -l) -ge 12 ]"
m=$(grep -l '^Subject: .*breach.*web1' "$T"/maildir/new/* | head -1)
check "a breach mail names web1 in the subject" test -n "$m"
check "mail From/To as configured" sh -c "grep -q '^From: arasd@example.net' '$m' && grep -q '^To: ops@example.net' '$m'"
check "mail body names the VM's UUID" grep -q 6a2e7c0e-1f3b-4b4e-9a51-0000000000a1 "$m"
is "arasMailSent counts them" "$(sget "$STATUS_OID.8.0")" 12

# script: one run per alert, with the alert in argv and environment
check "12 script runs" wait_for 10 sh -c "[ \$(ls $T/runs | wc -l) -ge 12 ]"
r=$(grep -l 'ARAS_VM_NAME=web1$' "$T"/runs/* | xargs grep -l 'ARAS_EVENT=breach' | head -1)
check "script got ARAS_EVENT=breach for web1" test -n "$r"
check "script env: resource, value, threshold, uuid, host" sh -c "grep -q '^ARAS_RESOURCE=memory$' '$r' && grep -q '^ARAS_VALUE=50$' '$r' && grep -q '^ARAS_THRESHOLD=40$' '$r' && grep -q '^ARAS_VM_UUID=6a2e7c0e-1f3b-4b4e-9a51-0000000000a1$' '$r' && grep -q '^ARAS_HOST=alpha$' '$r'"
check "script argv: event and VM name" grep -q '^ARGV \[breach\] \[web1\]' "$r"
e=$(grep -lF 'ARAS_VM_NAME=evil$(touch pwned);x' "$T"/runs/* | head -1)
check "the evil VM name reached the script verbatim" test -n "$e"
check "and ran nothing: no file 'pwned' anywhere near" sh -c "! find '$T' '$TOP' /tmp -maxdepth 2 -name pwned 2>/dev/null | grep -q ."
is "arasScriptRuns" "$(sget "$STATUS_OID.10.0")" 12
# the loop reaps every child (notify/script.c's loop source): none left a zombie, none failed
apid=$(tail -1 "$T/pids") # arasd, started last (in a subshell: ARASD_PID is not set here)
check "arasd's pid is known ($apid)" test "$(cat /proc/$apid/comm 2>/dev/null)" = arasd
check "every script run reaped (no zombie child of arasd)" wait_for 10 sh -c "! ps --ppid $apid -o stat= | grep -q Z"
is "arasScriptFailed" "$(sget "$STATUS_OID.11.0")" 0
exit 0
