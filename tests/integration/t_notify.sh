#!/bin/bash
# The notify adapters for real: tests/notify_drive sends alert mail through
# src/notify/mail.c to a real SMTP server on loopback (aiosmtpd, Maildir
# handler) and runs real scripts through src/notify/script.c.
T_NAME=notify
. "$(dirname "$0")/../lib.sh"

make -s -C "$TOP" tests/notify_drive >"$T/make.log" 2>&1 || {
	not_ok "tests/notify_drive builds"
	cat "$T/make.log"
	exit 1
}
DRIVE=$TOP/tests/notify_drive

# A TCP port nobody listens on (lib.sh's pick_port checks UDP).
pick_tcp_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 30000))
		if ! ss -Hltn "sport = :$p" 2>/dev/null | grep -q .; then
			echo "$p"
			return
		fi
	done
}
listening() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

SMTP_PORT=$(pick_tcp_port)
MAILDIR=$T/maildir
/usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$MAILDIR" \
	>"$T/smtpd.log" 2>&1 &
record_pid $!
wait_for 15 listening "$SMTP_PORT" || { not_ok "aiosmtpd listens on 127.0.0.1:$SMTP_PORT"; exit 1; }
URL=smtp://127.0.0.1:$SMTP_PORT
FROM='arasd <arasd@example.org>'
TO='ops@example.org, oncall@example.org'

nmails() { find "$MAILDIR/new" -type f 2>/dev/null | wc -l; }
has_mails() { [ "$(nmails)" -ge "$1" ]; }
clear_mails() { find "$MAILDIR/new" -type f -delete 2>/dev/null; }
# headers / body of a stored mail, without CRs
headers() { tr -d '\r' <"$1" | sed '/^$/q'; }
body() { tr -d '\r' <"$1" | sed '1,/^$/d'; }

# drive NAME ARGS...: run the driver in $T (cwd), stdout -> $T/NAME.out,
# stderr -> $T/NAME.err, bounded by timeout(1); sets RC
drive() {
	local n=$1
	shift
	(cd "$T" && timeout 30 "$DRIVE" "$@" >"$T/$n.out" 2>"$T/$n.err")
	RC=$?
}

# ---- one mail ----------------------------------------------------------
drive one mail "$URL" "$FROM" "$TO" 1 db-prod-1
is "one mail: driver reports it sent" "$(cat "$T/one.out")" "sent=1 failed=0"
check "one mail arrives in the Maildir" wait_for 10 has_mails 1
f=$(find "$MAILDIR/new" -type f | head -1)
h=$(headers "$f")
b=$(body "$f")
check "Subject names the VM and the breach" grep -qx 'Subject: \[arasd\] SLA breach: cpu of db-prod-1 at 95% (threshold 90%)' <<<"$h"
check "From header" grep -qx "From: $FROM" <<<"$h"
check "To header lists both recipients" grep -qx "To: $TO" <<<"$h"
check "envelope sender is the bare address" grep -qx 'X-MailFrom: arasd@example.org' <<<"$h"
check "envelope recipients are both addresses" grep -qx 'X-RcptTo: ops@example.org, oncall@example.org' <<<"$h"
check "Date header is RFC 5322" grep -Eqx 'Date: (Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} \+0000' <<<"$h"
check "Message-ID header" grep -Eqx 'Message-ID: <[^<>@ ]+@[^<>@ ]+>' <<<"$h"
check "body: event" grep -qx 'Event: *breach (SLA breach)' <<<"$b"
check "body: VM name" grep -qx 'VM name: *db-prod-1' <<<"$b"
check "body: UUID 8-4-4-4-12" grep -qx 'VM UUID: *6f1c2a4e-8b3d-4f10-9a7e-510cd2440001' <<<"$b"
check "body: host and index" grep -qx 'Host: *hostA (index 1)' <<<"$b"
check "body: resource, value, threshold" sh -c 'grep -qx "Resource: *cpu" && true' <<<"$b"
check "body: value and threshold" sh -c "grep -qx 'Value: *95%' <<'EOF' && grep -qx 'Threshold: *90%' <<'EOF2'
$b
EOF
$b
EOF2"
check "body: text" grep -qx 'Text: *cpu at 95% for 60 s (threshold 90%)' <<<"$b"
check "body: time in UTC ISO 8601" grep -Eqx 'Time: *[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z' <<<"$b"
clear_mails

# ---- 20 at once -------------------------------------------------------
drive twenty mail "$URL" "$FROM" "$TO" 20
is "20 mails queued at once: all sent" "$(cat "$T/twenty.out")" "sent=20 failed=0"
check "20 mails arrive" wait_for 10 has_mails 20
subjects=$(find "$MAILDIR/new" -type f -exec sh -c 'tr -d "\r" <"$1" | sed -n "s/^Subject: .* of \(web[0-9]*\) at .*/\1/p"' _ {} \; | sort -u | wc -l)
is "one mail for each of web1..web20" "$subjects" 20
clear_mails

# ---- header injection -------------------------------------------------
drive inject mail "$URL" "$FROM" ops@example.org 1 $'evil\r\nBcc: x@y\r\n\r\nforged body'
is "VM name with CR/LF: mail sent" "$(cat "$T/inject.out")" "sent=1 failed=0"
check "the mail arrives" wait_for 10 has_mails 1
f=$(find "$MAILDIR/new" -type f | head -1)
h=$(headers "$f")
b=$(body "$f")
check "no Bcc header was injected" sh -c "! grep -qi '^Bcc:' <<'EOF'
$h
EOF"
check "x@y is not a recipient" sh -c "! grep -q 'x@y' <<'EOF'
$(grep '^X-RcptTo:' <<<"$h")
EOF"
check "Subject keeps the name on one line" grep -qx 'Subject: \[arasd\] SLA breach: cpu of evil  Bcc: x@y    forged body at 95% (threshold 90%)' <<<"$h"
check "body shows the name with its CR/LF escaped" grep -qxF 'VM name:    evil\r\nBcc: x@y\r\n\r\nforged body' <<<"$b"
clear_mails

# ---- dead server ------------------------------------------------------
DEAD=$(pick_tcp_port)
drive dead mail "smtp://127.0.0.1:$DEAD" "$FROM" "$TO" 1
is "dead server: the driver exits by itself" "$RC" 0
is "dead server: failed=1 sent=0" "$(cat "$T/dead.out")" "sent=0 failed=1"
check "the failure is logged with curl's error text" grep -q "mail (breach of web1) to .* failed: .*[Cc]onnect" "$T/dead.err"

# ---- silent server: connects, never greets -> CURLOPT_TIMEOUT ----------
SILENT=$(pick_tcp_port)
/usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(16)
time.sleep(600)' "$SILENT" &
record_pid $!
wait_for 10 listening "$SILENT"
NOTIFY_MAIL_TIMEOUT=2 drive silent mail "smtp://127.0.0.1:$SILENT" "$FROM" "$TO" 1
is "silent server: the driver exits by itself" "$RC" 0
is "silent server: failed=1 after the mail timeout" "$(cat "$T/silent.out")" "sent=0 failed=1"
check "the timeout is logged" grep -qi "timeout\|timed out" "$T/silent.err"

# ---- scripts ----------------------------------------------------------
cat >"$T/hook.sh" <<'EOF'
#!/bin/sh
{
	echo "argc=$#"
	echo "argv0=$0"
	i=1
	for a in "$@"; do
		echo "argv$i=$a"
		i=$((i + 1))
	done
	env | grep '^ARAS_' | sort
	echo "stdin=$(readlink /proc/$$/fd/0)"
	if [ -e /proc/$$/fd/42 ]; then echo fd42=open; else echo fd42=closed; fi
	echo "pgid=$(ps -o pgid= -p $$ | tr -d ' ') pid=$$"
} >"$HOOK_OUT"
EOF
chmod +x "$T/hook.sh"
export HOOK_OUT=$T/hook.out

ARAS_LEAK=1 drive hook script "$T/hook.sh" 5 web-01
is "script: exit 0 counted ok" "$(cat "$T/hook.out" 2>/dev/null | head -0; cat "$T/hook.drv" 2>/dev/null; cat "$T/hook.out.drv" 2>/dev/null)" ""
mv "$T/hook.out" "$T/hook.res" 2>/dev/null
