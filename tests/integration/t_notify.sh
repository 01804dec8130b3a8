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

nmails() { find "$MAILDIR/new" -type f 2>/dev/null | wc -l; }
has_mails() { [ "$(nmails)" -ge "$1" ]; }
clear_mails() { find "$MAILDIR/new" -type f -delete 2>/dev/null; }
# the header block / the body of a stored mail, without CRs
headers() { tr -d '\r' <"$1" | sed '/^$/q'; }
body() { tr -d '\r' <"$1" | sed '1,/^$/d'; }

# line PATTERN TEXT: TEXT has a line matching the basic regexp exactly;
# lineE: extended regexp; lineF: fixed string; noline: no line matches
# (case-blind)
line() { grep -qx -- "$1" <<<"$2"; }
lineE() { grep -Eqx -- "$1" <<<"$2"; }
lineF() { grep -Fqx -- "$1" <<<"$2"; }
noline() { ! grep -qi -- "$1" <<<"$2"; }
# count_is N PATTERN FILE: exactly N lines of FILE match
count_is() { [ "$(grep -c -- "$2" "$3")" = "$1" ]; }

# drive NAME ARGS...: run the driver with cwd $T, bounded by timeout(1);
# sets RC and OUT (its stdout); its stderr (our log) is in $T/NAME.err
drive() {
	local n=$1
	shift
	(cd "$T" && timeout 30 "$DRIVE" "$@" >"$T/$n.drv" 2>"$T/$n.err")
	RC=$?
	OUT=$(cat "$T/$n.drv")
}

SMTP_PORT=$(pick_tcp_port)
MAILDIR=$T/maildir
/usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$MAILDIR" \
	>"$T/smtpd.log" 2>&1 &
record_pid $!
wait_for 15 listening "$SMTP_PORT" || { not_ok "aiosmtpd listens on 127.0.0.1:$SMTP_PORT"; exit 1; }
URL=smtp://127.0.0.1:$SMTP_PORT
FROM='arasd <arasd@example.org>'
TO='ops@example.org, oncall@example.org'

# ---- one mail ----------------------------------------------------------
drive one mail "$URL" "$FROM" "$TO" 1 db-prod-1
is "one mail: driver reports it sent" "$OUT" "sent=1 failed=0"
check "one mail arrives in the Maildir" wait_for 10 has_mails 1
f=$(find "$MAILDIR/new" -type f | head -1)
h=$(headers "$f")
b=$(body "$f")
check "Subject names the VM and the breach" \
	line 'Subject: \[arasd\] SLA breach: cpu of db-prod-1 at 95% (threshold 90%)' "$h"
check "From header" lineF "From: $FROM" "$h"
check "To header lists both recipients" lineF "To: $TO" "$h"
check "envelope sender is the bare address" lineF 'X-MailFrom: arasd@example.org' "$h"
check "envelope recipients are both addresses" \
	lineF 'X-RcptTo: ops@example.org, oncall@example.org' "$h"
check "Date header is RFC 5322" lineE \
	'Date: (Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} \+0000' "$h"
check "Message-ID header" lineE 'Message-ID: <[^<>@ ]+@[^<>@ ]+>' "$h"
check "MIME text/plain UTF-8" lineF 'Content-Type: text/plain; charset=UTF-8' "$h"
check "body: event" line 'Event: *breach (SLA breach)' "$b"
check "body: VM name" line 'VM name: *db-prod-1' "$b"
check "body: UUID 8-4-4-4-12" line 'VM UUID: *6f1c2a4e-8b3d-4f10-9a7e-510cd2440001' "$b"
check "body: host name and index" line 'Host: *hostA (index 1)' "$b"
check "body: resource" line 'Resource: *cpu' "$b"
check "body: value" line 'Value: *95%' "$b"
check "body: threshold" line 'Threshold: *90%' "$b"
check "body: text" line 'Text: *cpu at 95% for 60 s (threshold 90%)' "$b"
check "body: time in UTC ISO 8601" \
	lineE 'Time: *[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z' "$b"
clear_mails

# ---- 20 at once -------------------------------------------------------
drive twenty mail "$URL" "$FROM" "$TO" 20
is "20 mails queued at once: all sent" "$OUT" "sent=20 failed=0"
check "20 mails arrive" wait_for 10 has_mails 20
n=$(find "$MAILDIR/new" -type f -exec cat {} + | tr -d '\r' |
	sed -n 's/^Subject: .* of \(web[0-9]*\) at .*/\1/p' | sort -u | wc -l)
is "one mail for each of web1..web20" "$n" 20
clear_mails

# ---- queue bound ------------------------------------------------------
drive bound mail "$URL" "$FROM" ops@example.org 300
is "300 queued at once: 256 sent, the rest refused and counted failed" "$OUT" "sent=256 failed=44"
check "each refusal is logged" count_is 44 'mails pending, mail for breach of web[0-9]* dropped' "$T/bound.err"
check "256 mails arrive" wait_for 10 has_mails 256
clear_mails

# ---- slow server: holds its reply to the end of DATA ----------------------
# libcurl waits for that reply blocking, even in its multi interface; the
# loop must not (the mailer's thread waits instead)
cat >"$T/slowsmtp.py" <<'PY'
import asyncio


class Slow:
    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(3)
        return "250 OK, slowly"
PY
SLOW_PORT=$(pick_tcp_port)
PYTHONPATH=$T /usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$SLOW_PORT" -c slowsmtp.Slow \
	>"$T/slowsmtpd.log" 2>&1 &
record_pid $!
wait_for 15 listening "$SLOW_PORT" || not_ok "slow aiosmtpd listens"
drive slowsrv mail "smtp://127.0.0.1:$SLOW_PORT" "$FROM" "$TO" 1
is "slow server: the mail is sent" "$OUT" "sent=1 failed=0"
ms=$(sed -n 's/^notify_drive: longest loop call \([0-9]*\) ms$/\1/p' "$T/slowsrv.err")
check "slow server: no loop call waited for it (longest ${ms:-?} ms; the server holds 3000 ms)" \
	test "${ms:-99999}" -lt 1000

# ---- header injection -------------------------------------------------
drive inject mail "$URL" "$FROM" ops@example.org 1 $'evil\r\nBcc: x@y\r\n\r\nforged body'
is "VM name with CR/LF: mail sent" "$OUT" "sent=1 failed=0"
check "the mail arrives" wait_for 10 has_mails 1
f=$(find "$MAILDIR/new" -type f | head -1)
h=$(headers "$f")
b=$(body "$f")
check "no Bcc header was injected" noline '^Bcc:' "$h"
check "x@y is not a recipient" lineF 'X-RcptTo: ops@example.org' "$h"
check "the forged text does not start a body line" noline '^forged body' "$b"
check "Subject keeps the name on its one line" \
	lineF 'Subject: [arasd] SLA breach: cpu of evil  Bcc: x@y    forged body at 95% (threshold 90%)' "$h"
check "body shows the name with CR/LF escaped" \
	lineF 'VM name:    evil\r\nBcc: x@y\r\n\r\nforged body' "$b"
clear_mails

# ---- non-ASCII name: RFC 2047 Subject, quoted-printable body ------------
drive utf8 mail "$URL" "$FROM" ops@example.org 1 'bäckerei-€-vm'
is "UTF-8 VM name: mail sent" "$OUT" "sent=1 failed=0"
check "the mail arrives" wait_for 10 has_mails 1
f=$(find "$MAILDIR/new" -type f | head -1)
subj=$(/usr/bin/python3 -c '
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
print(m["subject"])
print(m.get_content().replace("\r", ""), end="")' "$f")
check "Subject decodes to the UTF-8 name" \
	lineF '[arasd] SLA breach: cpu of bäckerei-€-vm at 95% (threshold 90%)' "$subj"
check "body decodes to the UTF-8 name" lineF 'VM name:    bäckerei-€-vm' "$subj"
clear_mails

# ---- dead server ------------------------------------------------------
DEAD=$(pick_tcp_port)
drive dead mail "smtp://127.0.0.1:$DEAD" "$FROM" "$TO" 1
is "dead server: the driver exits by itself" "$RC" 0
is "dead server: failed=1 sent=0" "$OUT" "sent=0 failed=1"
check "dead server: logged once, with curl's error text" \
	count_is 1 'mail (breach of web1) to .* failed: .*onnect' "$T/dead.err"

# ---- silent server: accepts, never greets -> CURLOPT_TIMEOUT ------------
SILENT=$(pick_tcp_port)
/usr/bin/python3 -c '
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(16)
time.sleep(600)' "$SILENT" &
record_pid $!
wait_for 10 listening "$SILENT"
export NOTIFY_MAIL_TIMEOUT=2
drive silent mail "smtp://127.0.0.1:$SILENT" "$FROM" "$TO" 1
unset NOTIFY_MAIL_TIMEOUT
is "silent server: the driver exits by itself" "$RC" 0
is "silent server: failed=1 after the mail timeout" "$OUT" "sent=0 failed=1"
check "silent server: the timeout is logged" grep -qi 'timeout\|timed out' "$T/silent.err"

# ---- scripts ----------------------------------------------------------
cat >"$T/hook.sh" <<'SCRIPT'
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
	echo "HOOK_OUT=$HOOK_OUT"
	echo "stdin=$(readlink /proc/$$/fd/0)"
	if [ -e /proc/$$/fd/42 ]; then echo fd42=open; else echo fd42=closed; fi
	echo "pgid=$(ps -o pgid= -p $$ | tr -d ' ') pid=$$"
} >"$HOOK_OUT"
echo "on stdout"
echo "on stderr" >&2
SCRIPT
chmod +x "$T/hook.sh"

export HOOK_OUT=$T/hook.out
export ARAS_LEAK=stale
drive hook script "$T/hook.sh" 5 web-01
unset ARAS_LEAK
r=$(cat "$HOOK_OUT" 2>/dev/null)
is "script: exit 0 counted ok" "$OUT" "ok=1 failed=0"
is "script: argv" "$(grep -E '^arg' <<<"$r")" "argc=7
argv0=$T/hook.sh
argv1=breach
argv2=web-01
argv3=6f1c2a4e-8b3d-4f10-9a7e-510cd2440001
argv4=hostA
argv5=cpu
argv6=95
argv7=90"
is "script: ARAS_* environment" "$(grep '^ARAS_' <<<"$r" | grep -v '^ARAS_TIME=')" "ARAS_EVENT=breach
ARAS_HOST=hostA
ARAS_HOST_INDEX=1
ARAS_RESOURCE=cpu
ARAS_TEXT=cpu at 95% for 60 s (threshold 90%)
ARAS_THRESHOLD=90
ARAS_VALUE=95
ARAS_VM_NAME=web-01
ARAS_VM_UUID=6f1c2a4e-8b3d-4f10-9a7e-510cd2440001"
check "script: ARAS_TIME is UTC ISO 8601" \
	lineE 'ARAS_TIME=[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z' "$r"
check "script: a stale ARAS_* variable of ours is not passed on" noline '^ARAS_LEAK' "$r"
check "script: the rest of the environment is passed on" lineF "HOOK_OUT=$HOOK_OUT" "$r"
check "script: stdin is /dev/null" lineF 'stdin=/dev/null' "$r"
check "script: our other fds are closed" lineF 'fd42=closed' "$r"
check "script: runs in its own process group" lineE 'pgid=([0-9]+) pid=\1' "$r"
check "script: its stdout/stderr go to /dev/null" noline 'on std' "$(cat "$T/hook.err")"
NOTIFY_DEBUG=1 drive hookdbg script "$T/hook.sh" 5 web-01
check "script, debug: its stdout/stderr go to our stderr" \
	sh -c "grep -qx 'on stdout' '$T/hookdbg.err' && grep -qx 'on stderr' '$T/hookdbg.err'"

# names a shell would act on are one verbatim argument each
export HOOK_OUT=$T/evil.out
for name in 'evil$(touch pwned);x' 'a;touch pwned2;#' '`touch pwned3`' "x' ; touch pwned4 '" \
	$'nl\ntouch pwned5'; do
	rm -f "$HOOK_OUT"
	drive evil script "$T/hook.sh" 5 "$name"
	r=$(cat "$HOOK_OUT" 2>/dev/null)
	shown=${name//$'\n'/\\n}
	is "script: VM '$shown' ran the script, ok" "$OUT" "ok=1 failed=0"
	if [[ $name == *$'\n'* ]]; then
		# the script's own line-based output splits it; compare by env
		check "script: VM '$shown' is ARAS_VM_NAME verbatim" \
			grep -qF "ARAS_VM_NAME=nl" "$HOOK_OUT"
	else
		check "script: VM '$shown' is argv2 verbatim" lineF "argv2=$name" "$r"
		check "script: VM '$shown' is ARAS_VM_NAME verbatim" lineF "ARAS_VM_NAME=$name" "$r"
	fi
done
is "no pwned file anywhere (cwd \$T, the tree, /tmp, /)" \
	"$(find "$T" "$TOP" /tmp / -maxdepth 2 -name 'pwned*' 2>/dev/null)" ""

# a script that outlives its timeout: killed with its process group
cat >"$T/slow.sh" <<'SCRIPT'
#!/bin/sh
sleep 300 &
echo $! >>"$HOOK_OUT"
sh -c 'sleep 300; :' &
echo $! >>"$HOOK_OUT"
wait
SCRIPT
chmod +x "$T/slow.sh"
export HOOK_OUT=$T/slow.pids
drive slow script "$T/slow.sh" 1 web1
is "slow script: the driver exits by itself" "$RC" 0
is "slow script: counted failed" "$OUT" "ok=0 failed=1"
check "slow script: the timeout is logged" grep -q 'still running after 1 s, killed' "$T/slow.err"
gone() { ! kill -0 "$1" 2>/dev/null || grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat" 2>/dev/null; }
all_gone() {
	local p
	for p in $(cat "$T/slow.pids"); do gone "$p" || return 1; done
}
is "slow script: it had started two children" "$(wc -l <"$T/slow.pids")" 2
if wait_for 5 all_gone; then
	ok "slow script: its children were killed with it"
else
	not_ok "slow script: its children were killed with it"
	for p in $(cat "$T/slow.pids"); do record_pid "$p"; done
fi

# failures: non-zero exit, missing program
printf '#!/bin/sh\nexit 3\n' >"$T/three.sh"
chmod +x "$T/three.sh"
drive three script "$T/three.sh" 5 web1
is "exit 3: counted failed" "$OUT" "ok=0 failed=1"
check "exit 3: logged" grep -q 'failed: exit status 3' "$T/three.err"
drive nope script "$T/no-such-script" 5 web1
is "missing script: the driver exits by itself" "$RC" 0
is "missing script: counted failed" "$OUT" "ok=0 failed=1"
check "missing script: logged once" count_is 1 'cannot execute: No such file' "$T/nope.err"

exit 0
