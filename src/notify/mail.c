/*
 * mail.c - the mail adapter: renders an alert as an RFC 5322 message and
 * sends it with libcurl's SMTP client.  Owns the copied configuration, the
 * mails (queued, in transfer, finished) and one worker thread with its
 * curl multi handle.
 *
 * Why a thread: libcurl's multi interface is not non-blocking for SMTP.
 * smtp_done() waits, blocking, for the server's reply to the end of DATA,
 * and smtp_disconnect() for the reply to QUIT (curl issues #8555, #4015;
 * still so in curl 8.x): a slow or stalled server would stall
 * curl_multi_perform() for up to the response timeout.  So the worker
 * alone drives the multi handle; the loop thread only renders mails,
 * hands them over (inbox, curl_multi_wakeup()) and collects results
 * (outbox) when the worker writes a byte to done_pipe, which the loop
 * watches.  The worker never logs: it stores curl's error text in the job
 * and the loop logs it, with the mail's other outcomes.
 *
 * Everything that goes into a header passes through hdr_clean(), which
 * replaces CR, LF and every other control byte: a VM name may hold anything
 * libvirt allows, and must never start a header line of its own.
 */
#include "notify/mail.h"

#include "util/log.h"
#include "counters.h"
#include "loop.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Log lines of this file say where they come from (util/log.h). */
static const char log_token[] = "mail";

struct mail_job {
	struct mail_job *next;
	CURL *easy; /* created by the loop, cleaned up by the worker */
	char *data; /* the whole message, CRLF line ends */
	size_t len, off;
	int result;                    /* CURLcode, set by the worker */
	char desc[ARAS_NAME_MAX + 40]; /* "breach of web1", for the log */
	char err[CURL_ERROR_SIZE];
};

struct job_list {
	struct mail_job *head, *tail;
};

struct aras_mailer {
	struct aras_counters *counters; /* loop side: mails sent and failed (aras_mailer_attach) */
	/* configuration, read-only once the worker runs */
	char *url, *from_hdr, *from_addr, *to_hdr, *user, *password;
	struct curl_slist *rcpt;
	long use_ssl;
	long timeout_s;
	CURLM *multi; /* the worker's; the loop only calls curl_multi_wakeup() */
	int done_pipe[2];
	pthread_t worker;
	int worker_started;
	/* shared, under lock */
	pthread_mutex_t lock;
	int lock_ready;
	struct job_list inbox, outbox;
	int stop;
	/* the loop's own */
	unsigned npending; /* sent to the worker, result not yet collected */
	unsigned long seq;
	char domain[128]; /* right side of Message-ID */
};

/* ---- small text helpers ------------------------------------------------ */

struct sbuf {
	char *p;
	size_t len, cap;
	int oom;
};

static void sb_grow(struct sbuf *b, size_t need)
{
	char *np;
	size_t cap;

	if (b->oom || b->len + need + 1 <= b->cap)
		return;
	cap = b->cap ? b->cap : 1024;
	while (cap < b->len + need + 1)
		cap *= 2;
	np = realloc(b->p, cap);
	if (!np) {
		b->oom = 1;
		return;
	}
	b->p = np;
	b->cap = cap;
}

static void sb_putn(struct sbuf *b, const char *s, size_t n)
{
	sb_grow(b, n);
	if (b->oom)
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sb_puts(struct sbuf *b, const char *s)
{
	sb_putn(b, s, strlen(s));
}

static void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = 1;
		return;
	}
	sb_grow(b, (size_t)n);
	if (b->oom)
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* Copy src into dst (size n) for a header: control bytes become spaces. */
static void hdr_clean(char *dst, size_t n, const char *src)
{
	size_t i = 0;

	for (; *src && i + 1 < n; src++) {
		unsigned char c = (unsigned char)*src;

		dst[i++] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
	}
	dst[i] = '\0';
}

static char *hdr_dup(const char *src)
{
	size_t n = strlen(src) + 1;
	char *d = malloc(n);

	if (d)
		hdr_clean(d, n, src);
	return d;
}

/* A body value: escaped as every line arasd writes is (aras_escape). */
static void sb_put_value(struct sbuf *b, const char *s, size_t max)
{
	char in[ARAS_REASON_MAX], out[sizeof(in) * ARAS_ESCAPE_GROWTH];

	snprintf(in, sizeof(in), "%.*s", (int)(max < sizeof(in) ? max : sizeof(in) - 1), s);
	aras_escape(out, sizeof(out), in);
	sb_puts(b, out);
}

static int has_8bit(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 1;
	return 0;
}

static void sb_base64(struct sbuf *b, const unsigned char *s, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)s[i] << 16;
		char q[4];

		if (i + 1 < n)
			v |= (unsigned)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		q[0] = tab[v >> 18 & 63];
		q[1] = tab[v >> 12 & 63];
		q[2] = i + 1 < n ? tab[v >> 6 & 63] : '=';
		q[3] = i + 2 < n ? tab[v & 63] : '=';
		sb_putn(b, q, 4);
	}
}

/*
 * "Subject: " and s (already free of control bytes).  Non-ASCII text is
 * sent as RFC 2047 encoded-words of at most 45 bytes (75 characters each),
 * cut between UTF-8 sequences and folded onto continuation lines.
 */
static void sb_subject(struct sbuf *b, const char *s)
{
	size_t n = strlen(s);

	sb_puts(b, "Subject: ");
	if (!has_8bit(s, n)) {
		sb_puts(b, s);
		sb_puts(b, "\r\n");
		return;
	}
	for (size_t i = 0; i < n;) {
		size_t k = n - i > 45 ? 45 : n - i;

		while (i + k < n && k > 1 && ((unsigned char)s[i + k] & 0xc0) == 0x80)
			k--;
		if (i)
			sb_puts(b, "\r\n ");
		sb_puts(b, "=?UTF-8?B?");
		sb_base64(b, (const unsigned char *)s + i, k);
		sb_puts(b, "?=");
		i += k;
	}
	sb_puts(b, "\r\n");
}

/* Quoted-printable (RFC 2045) of a CRLF text whose lines hold no controls. */
static void sb_qp(struct sbuf *b, const char *s, size_t n)
{
	size_t col = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int eol = i + 1 >= n || s[i + 1] == '\r';
		char enc[4];
		size_t w;

		if (c == '\r' && i + 1 < n && s[i + 1] == '\n') {
			sb_puts(b, "\r\n");
			i++;
			col = 0;
			continue;
		}
		if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !eol)) {
			enc[0] = (char)c;
			w = 1;
		} else {
			snprintf(enc, sizeof(enc), "=%02X", c);
			w = 3;
		}
		if (col + w > 75) {
			sb_puts(b, "=\r\n");
			col = 0;
		}
		sb_putn(b, enc, w);
		col += w;
	}
}

static void fmt_iso8601(time_t t, char *buf, size_t n)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm)) {
		snprintf(buf, n, "unknown");
		return;
	}
	snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		 tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* RFC 5322 date-time in UTC, with English names whatever the locale. */
static void fmt_rfc5322(time_t t, char *buf, size_t n)
{
	static const char *const wd[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const mo[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;

	if (!gmtime_r(&t, &tm)) {
		t = 0;
		gmtime_r(&t, &tm);
	}
	snprintf(buf, n, "%s, %02d %s %04d %02d:%02d:%02d +0000", wd[tm.tm_wday % 7], tm.tm_mday,
		 mo[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static const char *event_label(int type)
{
	switch (type) {
	case ARAS_EV_BREACH: return "SLA breach";
	case ARAS_EV_CLEAR: return "SLA clear";
	case ARAS_EV_ACTION_PROPOSED: return "action proposed";
	case ARAS_EV_ACTION_STARTED: return "action started";
	case ARAS_EV_ACTION_DONE: return "action done";
	case ARAS_EV_ACTION_FAILED: return "action failed";
	case ARAS_EV_HOST_DOWN: return "host down";
	case ARAS_EV_HOST_UP: return "host up";
	case ARAS_EV_INFO: return "info";
	case ARAS_EV_STATE_CHANGE: return "VM state change";
	case ARAS_EV_CRASHED: return "VM crashed";
	}
	return "event";
}

/* What an alert is about, cleaned for a header or the log. */
static void alert_subject_of(const struct aras_alert *a, char *buf, size_t n)
{
	char name[ARAS_NAME_MAX], tmp[ARAS_NAME_MAX];

	if (a->has_vm) {
		snprintf(tmp, sizeof(tmp), "%.*s", ARAS_NAME_MAX - 1, a->vm_name);
		hdr_clean(name, sizeof(name), tmp);
		snprintf(buf, n, "%s", name);
	} else {
		snprintf(tmp, sizeof(tmp), "%.*s", ARAS_NAME_MAX - 1, a->host_name);
		hdr_clean(name, sizeof(name), tmp);
		snprintf(buf, n, "host %s", name);
	}
}

static void build_subject(const struct aras_alert *a, char *buf, size_t n)
{
	char who[ARAS_NAME_MAX + 8], text[ARAS_ERRTEXT_MAX], tmp[ARAS_ERRTEXT_MAX];

	alert_subject_of(a, who, sizeof(who));
	snprintf(tmp, sizeof(tmp), "%.*s", ARAS_ERRTEXT_MAX - 1, a->text);
	hdr_clean(text, sizeof(text), tmp);
	switch (a->type) {
	case ARAS_EV_BREACH:
	case ARAS_EV_CLEAR:
		snprintf(buf, n, "[arasd] %s: %s of %s at %u%% (threshold %u%%)", event_label(a->type),
			 aras_resource_name(a->resource), who, a->value, a->threshold);
		break;
	case ARAS_EV_HOST_DOWN:
	case ARAS_EV_HOST_UP: {
		char host[ARAS_NAME_MAX];

		snprintf(tmp, sizeof(tmp), "%.*s", ARAS_NAME_MAX - 1, a->host_name);
		hdr_clean(host, sizeof(host), tmp);
		snprintf(buf, n, "[arasd] %s: %s (index %u)%s%s", event_label(a->type), host, a->host_index,
			 text[0] ? ": " : "", text);
		break;
	}
	default:
		snprintf(buf, n, "[arasd] %s: %s%s%s", event_label(a->type), who, text[0] ? ": " : "", text);
		break;
	}
}

static void build_body(struct sbuf *b, const struct aras_alert *a)
{
	char uuid[ARAS_UUID_STRLEN], when[80];

	aras_uuid_format(a->uuid, uuid);
	fmt_iso8601(a->when, when, sizeof(when));
	sb_printf(b, "arasd reports an event.\r\n\r\n");
	sb_printf(b, "Event:      %s (%s)\r\n", aras_event_name(a->type), event_label(a->type));
	sb_puts(b, "VM name:    ");
	if (a->has_vm)
		sb_put_value(b, a->vm_name, ARAS_NAME_MAX);
	else
		sb_puts(b, "(none)");
	sb_printf(b, "\r\nVM UUID:    %s\r\n", a->has_vm ? uuid : "(none)");
	sb_puts(b, "Host:       ");
	sb_put_value(b, a->host_name, ARAS_NAME_MAX);
	sb_printf(b, " (index %u)\r\n", a->host_index);
	sb_printf(b, "Resource:   %s\r\n", aras_resource_name(a->resource));
	sb_printf(b, "Value:      %u%%\r\n", a->value);
	sb_printf(b, "Threshold:  %u%%\r\n", a->threshold);
	sb_puts(b, "Text:       ");
	sb_put_value(b, a->text, ARAS_ERRTEXT_MAX);
	sb_printf(b, "\r\nTime:       %s\r\n", when);
}

static int build_message(struct aras_mailer *m, const struct aras_alert *a, struct sbuf *out)
{
	struct sbuf body = { 0 };
	char subject[ARAS_NAME_MAX + ARAS_ERRTEXT_MAX + 128], date[80];
	time_t now = time(NULL);
	int eight;

	build_body(&body, a);
	if (body.oom) {
		free(body.p);
		return -ARAS_E_NOMEM;
	}
	eight = has_8bit(body.p, body.len);
	build_subject(a, subject, sizeof(subject));
	fmt_rfc5322(now, date, sizeof(date));
	sb_printf(out, "Date: %s\r\n", date);
	sb_printf(out, "From: %s\r\n", m->from_hdr);
	sb_printf(out, "To: %s\r\n", m->to_hdr);
	sb_subject(out, subject);
	sb_printf(out, "Message-ID: <%lld.%ld.%lu.arasd@%s>\r\n", (long long)now, (long)getpid(), ++m->seq,
		  m->domain);
	sb_puts(out, "Auto-Submitted: auto-generated\r\n");
	sb_puts(out, "MIME-Version: 1.0\r\n");
	sb_puts(out, "Content-Type: text/plain; charset=UTF-8\r\n");
	sb_printf(out, "Content-Transfer-Encoding: %s\r\n", eight ? "quoted-printable" : "7bit");
	sb_puts(out, "\r\n");
	if (eight)
		sb_qp(out, body.p, body.len);
	else
		sb_putn(out, body.p, body.len);
	free(body.p);
	return out->oom ? -ARAS_E_NOMEM : 0;
}

static int start_worker(struct aras_mailer *m);

/* ---- configuration ------------------------------------------------------ */

/* The bare address of "Name <a@b>" or " a@b ", into a new string. */
static char *envelope_addr(const char *s, size_t n)
{
	const char *lt = memchr(s, '<', n), *gt;
	char *d;

	if (lt) {
		gt = memchr(lt, '>', n - (size_t)(lt - s));
		if (!gt)
			return NULL;
		s = lt + 1;
		n = (size_t)(gt - s);
	}
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (!n || !memchr(s, '@', n))
		return NULL;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f || s[i] == '<' || s[i] == '>' || s[i] == ',')
			return NULL;
	d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* Fill m->rcpt and m->to_hdr from the comma-separated list. */
static int parse_rcpt(struct aras_mailer *m, const char *to)
{
	struct sbuf hdr = { 0 };
	const char *p = to;
	int rc = -ARAS_E_INVAL;

	while (*p) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char *addr, *clean, *item;
		struct curl_slist *l;

		while (n && (*p == ' ' || *p == '\t')) {
			p++;
			n--;
		}
		if (n) {
			addr = envelope_addr(p, n);
			if (!addr) {
				log_err("mail: bad recipient '%.*s'", (int)n, p);
				goto cleanup;
			}
			l = curl_slist_append(m->rcpt, addr);
			free(addr);
			if (!l) {
				rc = -ARAS_E_NOMEM;
				goto cleanup;
			}
			m->rcpt = l;
			item = strndup(p, n);
			clean = item ? hdr_dup(item) : NULL;
			free(item);
			if (!clean) {
				rc = -ARAS_E_NOMEM;
				goto cleanup;
			}
			sb_printf(&hdr, "%s%s", hdr.len ? ", " : "", clean);
			free(clean);
		}
		p += n;
		if (*p == ',')
			p++;
	}
	if (!m->rcpt) {
		log_err("mail: no recipient");
		goto cleanup;
	}
	if (hdr.oom) {
		rc = -ARAS_E_NOMEM;
		goto cleanup;
	}
	m->to_hdr = hdr.p;
	hdr.p = NULL;
	rc = 0;
cleanup:
	free(hdr.p);
	return rc;
}

static void set_domain(struct aras_mailer *m)
{
	char host[256] = "";
	size_t i;

	if (gethostname(host, sizeof(host) - 1) < 0)
		host[0] = '\0';
	host[sizeof(host) - 1] = '\0';
	for (i = 0; host[i]; i++) {
		char c = host[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '.'))
			break;
	}
	if (i == 0 || host[i] || i >= sizeof(m->domain))
		snprintf(m->domain, sizeof(m->domain), "arasd.invalid");
	else {
		/* i < sizeof(m->domain) here; a copy, not snprintf (gcc -O0/-O1 -Wformat-truncation) */
		memcpy(m->domain, host, i);
		m->domain[i] = '\0';
	}
}

int aras_mailer_new(struct aras_mailer **out, const struct aras_mail_conf *conf)
{
	struct aras_mailer *m = NULL;
	int rc = -ARAS_E_INVAL, global = 0;

	*out = NULL;
	if (!conf->url || (strncmp(conf->url, "smtp://", 7) != 0 && strncmp(conf->url, "smtps://", 8) != 0)) {
		log_err("mail: URL must be smtp://host[:port] or smtps://host[:port]");
		goto cleanup;
	}
	if (conf->starttls < 0 || conf->starttls > 2) {
		log_err("mail: starttls must be 0, 1 or 2");
		goto cleanup;
	}
	if (!conf->from || !conf->to) {
		log_err("mail: sender and recipients are required");
		goto cleanup;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		log_err("mail: libcurl initialisation failed");
		rc = -ARAS_E_IO;
		goto cleanup;
	}
	global = 1;
	rc = -ARAS_E_NOMEM;
	m = calloc(1, sizeof(*m));
	if (!m)
		goto cleanup;
	m->done_pipe[0] = m->done_pipe[1] = -1;
	m->url = strdup(conf->url);
	m->from_hdr = hdr_dup(conf->from);
	m->user = conf->user && conf->user[0] ? strdup(conf->user) : NULL;
	m->password = conf->password ? strdup(conf->password) : NULL;
	if (!m->url || !m->from_hdr || (conf->user && conf->user[0] && !m->user) ||
	    (conf->password && !m->password))
		goto cleanup;
	m->from_addr = envelope_addr(conf->from, strlen(conf->from));
	if (!m->from_addr) {
		log_err("mail: bad sender '%s'", m->from_hdr);
		rc = -ARAS_E_INVAL;
		goto cleanup;
	}
	rc = parse_rcpt(m, conf->to);
	if (rc < 0)
		goto cleanup;
	m->use_ssl = conf->starttls == 2 ? (long)CURLUSESSL_ALL :
		     conf->starttls == 1 ? (long)CURLUSESSL_TRY :
					   (long)CURLUSESSL_NONE;
	m->timeout_s = conf->timeout_s ? (long)conf->timeout_s : 60;
	set_domain(m);
	rc = -ARAS_E_IO;
	m->multi = curl_multi_init();
	if (!m->multi || pipe2(m->done_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		goto cleanup;
	if (pthread_mutex_init(&m->lock, NULL) != 0)
		goto cleanup;
	m->lock_ready = 1;
	if (start_worker(m) < 0) {
		log_err("mail: cannot start the mail thread");
		goto cleanup;
	}
	*out = m;
	return 0;
cleanup:
	if (m)
		aras_mailer_free(m); /* also drops our curl_global_init */
	else if (global)
		curl_global_cleanup();
	return rc;
}

/* ---- the worker thread -------------------------------------------------- */

static void list_push(struct job_list *l, struct mail_job *j)
{
	j->next = NULL;
	if (l->tail)
		l->tail->next = j;
	else
		l->head = j;
	l->tail = j;
}

static struct mail_job *list_pop(struct job_list *l)
{
	struct mail_job *j = l->head;

	if (j) {
		l->head = j->next;
		if (!l->head)
			l->tail = NULL;
		j->next = NULL;
	}
	return j;
}

static void list_splice(struct job_list *to, struct job_list *from)
{
	if (!from->head)
		return;
	if (to->tail)
		to->tail->next = from->head;
	else
		to->head = from->head;
	to->tail = from->tail;
	from->head = from->tail = NULL;
}

static size_t read_cb(char *buf, size_t size, size_t nitems, void *arg)
{
	struct mail_job *j = arg;
	size_t n = size * nitems;

	if (n > j->len - j->off)
		n = j->len - j->off;
	memcpy(buf, j->data + j->off, n);
	j->off += n;
	return n;
}

static void job_free(struct mail_job *j)
{
	if (!j)
		return;
	if (j->easy)
		curl_easy_cleanup(j->easy);
	free(j->data);
	free(j);
}

static void free_list(struct job_list *l)
{
	struct mail_job *j;

	while ((j = list_pop(l)))
		job_free(j);
}

/* Worker: j is finished (result set); drop its handle, queue it for the loop. */
static void worker_finish(struct job_list *done, struct mail_job *j)
{
	curl_easy_cleanup(j->easy);
	j->easy = NULL;
	free(j->data);
	j->data = NULL;
	list_push(done, j);
}

static void worker_unlink(struct mail_job **active, struct mail_job *j)
{
	for (struct mail_job **pp = active; *pp; pp = &(*pp)->next) {
		if (*pp == j) {
			*pp = j->next;
			return;
		}
	}
}

static void *worker_main(void *arg)
{
	struct aras_mailer *m = arg;
	struct job_list waiting = { 0 };
	struct mail_job *active = NULL, *j;
	unsigned nactive = 0;

	for (;;) {
		struct job_list done = { 0 };
		CURLMsg *msg;
		int stop, running, left;

		pthread_mutex_lock(&m->lock);
		stop = m->stop;
		list_splice(&waiting, &m->inbox);
		pthread_mutex_unlock(&m->lock);
		if (stop)
			break;
		/* a mail's CURLOPT_TIMEOUT starts when it is added: keep the
		 * rest waiting here rather than pending inside curl */
		while (nactive < ARAS_MAIL_ACTIVE_MAX && (j = list_pop(&waiting))) {
			CURLMcode mc = curl_multi_add_handle(m->multi, j->easy);

			if (mc != CURLM_OK) {
				j->result = CURLE_FAILED_INIT;
				snprintf(j->err, sizeof(j->err), "%s", curl_multi_strerror(mc));
				worker_finish(&done, j);
				continue;
			}
			j->next = active;
			active = j;
			nactive++;
		}
		/* may block in smtp_done()/QUIT: this is why we are a thread */
		curl_multi_perform(m->multi, &running);
		while ((msg = curl_multi_info_read(m->multi, &left))) {
			char *priv = NULL;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
			j = (struct mail_job *)priv;
			j->result = (int)msg->data.result;
			curl_multi_remove_handle(m->multi, j->easy);
			worker_unlink(&active, j);
			nactive--;
			worker_finish(&done, j);
		}
		if (done.head) {
			pthread_mutex_lock(&m->lock);
			list_splice(&m->outbox, &done);
			pthread_mutex_unlock(&m->lock);
			/* full pipe (EAGAIN): the loop has a wakeup pending anyway */
			if (write(m->done_pipe[1], "x", 1) < 0 && errno != EAGAIN)
				break;
		}
		if (waiting.head && nactive < ARAS_MAIL_ACTIVE_MAX)
			continue;
		curl_multi_poll(m->multi, NULL, 0, 1000, NULL);
	}
	/* stopping: abort what runs.  A 1 ms timeout first, or removing a
	 * handle in mid-transfer runs smtp_done(), which waits for the server
	 * (curl issue #4015) */
	while (active) {
		j = active;
		active = j->next;
		curl_easy_setopt(j->easy, CURLOPT_TIMEOUT_MS, 1L);
		curl_multi_remove_handle(m->multi, j->easy);
		job_free(j);
	}
	free_list(&waiting);
	return NULL;
}

/* Start the worker with every signal blocked: signals are the loop's. */
static int start_worker(struct aras_mailer *m)
{
	sigset_t all, old;
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&m->worker, NULL, worker_main, m);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
		return -ARAS_E_IO;
	m->worker_started = 1;
	return 0;
}

/* ---- the loop's side ------------------------------------------------------ */

static int job_setup(struct aras_mailer *m, struct mail_job *j)
{
	CURL *e = curl_easy_init();
	int c = 0;

	if (!e)
		return -ARAS_E_NOMEM;
	j->easy = e;
	c |= curl_easy_setopt(e, CURLOPT_URL, m->url);
	c |= curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	c |= curl_easy_setopt(e, CURLOPT_MAIL_FROM, m->from_addr);
	c |= curl_easy_setopt(e, CURLOPT_MAIL_RCPT, m->rcpt);
	c |= curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
	c |= curl_easy_setopt(e, CURLOPT_READFUNCTION, read_cb);
	c |= curl_easy_setopt(e, CURLOPT_READDATA, j);
	c |= curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE, (curl_off_t)j->len);
	/* no SIGALRM for resolver timeouts: we share the process with the loop */
	c |= curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	c |= curl_easy_setopt(e, CURLOPT_TIMEOUT, m->timeout_s);
	/* bounds each wait for a reply, QUIT included (which ignores
	 * CURLOPT_TIMEOUT; the default is 120 s) */
	c |= curl_easy_setopt(e, CURLOPT_SERVER_RESPONSE_TIMEOUT, m->timeout_s);
	/* QUIT right after each mail, with the bound above, rather than
	 * idle connections that curl_multi_cleanup() would QUIT with its
	 * own 120 s bound */
	c |= curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
	c |= curl_easy_setopt(e, CURLOPT_USE_SSL, m->use_ssl);
	c |= curl_easy_setopt(e, CURLOPT_ERRORBUFFER, j->err);
	c |= curl_easy_setopt(e, CURLOPT_PRIVATE, j);
	if (m->user) {
		c |= curl_easy_setopt(e, CURLOPT_USERNAME, m->user);
		c |= curl_easy_setopt(e, CURLOPT_PASSWORD, m->password ? m->password : "");
	}
	if (c) {
		log_err("mail: libcurl refused an option (built without SMTP or TLS?)");
		return -ARAS_E_IO;
	}
	return 0;
}

int aras_mailer_send(struct aras_mailer *m, const struct aras_alert *a)
{
	struct mail_job *j = NULL;
	struct sbuf msg = { 0 };
	char who[ARAS_NAME_MAX + 8];
	int rc;

	alert_subject_of(a, who, sizeof(who));
	if (m->npending >= ARAS_MAIL_QUEUE_MAX) {
		log_warn("mail: %u mails pending, mail for %s of %s dropped", m->npending,
			 aras_event_name(a->type), who);
		rc = -ARAS_E_BUSY;
		goto cleanup;
	}
	rc = -ARAS_E_NOMEM;
	j = calloc(1, sizeof(*j));
	if (!j)
		goto cleanup;
	snprintf(j->desc, sizeof(j->desc), "%s of %s", aras_event_name(a->type), who);
	rc = build_message(m, a, &msg);
	if (rc < 0)
		goto cleanup;
	j->data = msg.p;
	j->len = msg.len;
	msg.p = NULL;
	rc = job_setup(m, j);
	if (rc < 0)
		goto cleanup;
	pthread_mutex_lock(&m->lock);
	list_push(&m->inbox, j);
	pthread_mutex_unlock(&m->lock);
	curl_multi_wakeup(m->multi);
	m->npending++;
	return 0;
cleanup:
	if (rc == -ARAS_E_NOMEM)
		log_warn("mail: out of memory, mail for %s dropped", who);
	free(msg.p);
	job_free(j);
	return rc;
}

void aras_mailer_prepare(struct aras_mailer *m, int *maxfd, fd_set *r, fd_set *w, fd_set *e,
			 struct timeval *tv)
{
	(void)w;
	(void)e;
	(void)tv;
	if (!m || !m->npending)
		return;
	FD_SET(m->done_pipe[0], r);
	if (m->done_pipe[0] + 1 > *maxfd)
		*maxfd = m->done_pipe[0] + 1;
}

void aras_mailer_process(struct aras_mailer *m, unsigned *sent, unsigned *failed)
{
	struct job_list done;
	struct mail_job *j;
	char buf[64];

	if (!m || !m->npending)
		return;
	while (read(m->done_pipe[0], buf, sizeof(buf)) > 0)
		;
	pthread_mutex_lock(&m->lock);
	done = m->outbox;
	m->outbox.head = m->outbox.tail = NULL;
	pthread_mutex_unlock(&m->lock);
	while ((j = list_pop(&done))) {
		if (j->result == CURLE_OK) {
			(*sent)++;
		} else {
			log_warn("mail (%s) to %s failed: %s", j->desc, m->to_hdr,
				 j->err[0] ? j->err : curl_easy_strerror((CURLcode)j->result));
			(*failed)++;
		}
		job_free(j);
		m->npending--;
	}
}

unsigned aras_mailer_pending(const struct aras_mailer *m)
{
	return m ? m->npending : 0;
}

void aras_mailer_free(struct aras_mailer *m)
{
	if (!m)
		return;
	if (m->worker_started) {
		pthread_mutex_lock(&m->lock);
		m->stop = 1;
		pthread_mutex_unlock(&m->lock);
		curl_multi_wakeup(m->multi);
		pthread_join(m->worker, NULL);
	}
	free_list(&m->inbox);
	free_list(&m->outbox);
	if (m->lock_ready)
		pthread_mutex_destroy(&m->lock);
	if (m->multi)
		curl_multi_cleanup(m->multi);
	if (m->done_pipe[0] >= 0)
		close(m->done_pipe[0]);
	if (m->done_pipe[1] >= 0)
		close(m->done_pipe[1]);
	curl_slist_free_all(m->rcpt);
	free(m->url);
	free(m->from_hdr);
	free(m->from_addr);
	free(m->to_hdr);
	free(m->user);
	if (m->password) {
		explicit_bzero(m->password, strlen(m->password));
		free(m->password);
	}
	free(m);
	curl_global_cleanup();
}

/* The loop's source (loop.h): the pipe while mails are pending, then the finished ones counted. */
static void mail_prepare(void *arg, int *maxfd, fd_set *rd, fd_set *wr, fd_set *ex, int *timeout_ms)
{
	struct timeval tv = aras_loop_tv(*timeout_ms);

	aras_mailer_prepare(arg, maxfd, rd, wr, ex, &tv);
	aras_loop_lower(timeout_ms, &tv);
}

static void mail_dispatch(void *arg, int nready, fd_set *rd, fd_set *wr, fd_set *ex)
{
	struct aras_mailer *m = arg;
	unsigned ok = 0, bad = 0;

	(void)nready;
	(void)rd;
	(void)wr;
	(void)ex;
	aras_mailer_process(m, &ok, &bad);
	aras_counters_mail(m->counters, ok, bad);
}

int aras_mailer_attach(struct aras_mailer *m, struct aras_loop *l, struct aras_counters *counters)
{
	struct aras_loop_source src = { m, mail_prepare, mail_dispatch };

	m->counters = counters;
	return aras_loop_add_source(l, &src);
}
