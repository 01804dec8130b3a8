/*
 * journal.c - see journal.h.  Appends are one write() of whole lines on an
 * O_APPEND descriptor followed by fdatasync; rewrites (start, compaction)
 * go through a temporary file, fsync, rename and an fsync of the directory,
 * as the state file does (state.c).
 */
#include "journal.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void aras_jlog_free(struct aras_jlog *l)
{
	if (!l)
		return;
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* ---- format ---- */

int aras_journal_format_order(const struct aras_order *o, char *buf, size_t len)
{
	char u[ARAS_UUID_STRLEN];

	aras_uuid_format(o->uuid, u);
	switch (o->kind) {
	case ARAS_ORDER_COMMAND:
		if (o->cmd < ARAS_CMD_START || o->cmd > ARAS_CMD_MAX)
			return -ARAS_E_RANGE;
		snprintf(buf, len, "order %u command %s %s\n", (unsigned)o->id, u, aras_cmd_name(o->cmd));
		return 0;
	case ARAS_ORDER_MIGRATE:
		snprintf(buf, len, "order %u migrate %s %u\n", (unsigned)o->id, u, o->target);
		return 0;
	case ARAS_ORDER_EDIT:
		if (o->edit < 1 || o->edit > ARAS_EDIT_MAX || o->value > UINT32_MAX)
			return -ARAS_E_RANGE;
		if (o->edit == ARAS_EDIT_DISK && !aras_word_ok(o->disk, sizeof(o->disk) - 1))
			return -ARAS_E_RANGE;
		snprintf(buf, len, "order %u edit %s %s%s%s %llu%s\n", (unsigned)o->id, u,
			 aras_edit_name(o->edit), o->edit == ARAS_EDIT_DISK ? "/" : "",
			 o->edit == ARAS_EDIT_DISK ? o->disk : "", (unsigned long long)o->value,
			 o->force ? " force" : "");
		return 0;
	case ARAS_ORDER_CLONE:
		if (!aras_clone_name_ok(o->name, strlen(o->name)) || o->target > ARAS_HOST_INDEX_MAX)
			return -ARAS_E_RANGE;
		snprintf(buf, len, "order %u clone %s %u %u %s %s\n", (unsigned)o->id, u, o->target,
			 (unsigned)o->request, o->start ? "start" : "nostart", o->name);
		return 0;
	case ARAS_ORDER_DECIDE:
		if (o->state != ARAS_AS_APPROVED && o->state != ARAS_AS_REJECTED)
			return -ARAS_E_RANGE;
		snprintf(buf, len, "order %u decide %s %u %s\n", (unsigned)o->id, u, (unsigned)o->action,
			 aras_astate_name(o->state));
		return 0;
	}
	return -ARAS_E_RANGE;
}

void aras_journal_format_done(uint32_t id, int outcome, const char *text, char *buf, size_t len)
{
	size_t n;

	snprintf(buf, len, "done %u %s%s", (unsigned)id, aras_order_outcome_name(outcome),
		 text && text[0] ? " " : "");
	n = strlen(buf);
	/* the text is one line of printable bytes: a control byte (a VM name's line feed) becomes '?' */
	for (size_t i = 0; text && text[i] && n + 2 < len && i < ARAS_ERRTEXT_MAX - 1; i++) {
		unsigned char c = (unsigned char)text[i];

		buf[n++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	buf[n++] = '\n';
	buf[n] = '\0';
}

/* ---- parse ---- */

static int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *v)
{
	char *end;
	unsigned long long x;

	if (!s || s[0] < '0' || s[0] > '9')
		return -1;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || *end || x < min || x > max)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

static struct aras_jentry *find(struct aras_jlog *l, uint32_t id)
{
	for (size_t i = l->n; i-- > 0;)
		if (l->v[i].o.id == id)
			return &l->v[i];
	return NULL;
}

static int cmd_by_name(const char *s)
{
	for (int c = ARAS_CMD_START; c <= ARAS_CMD_MAX; c++)
		if (strcmp(s, aras_cmd_name(c)) == 0)
			return c;
	return -1;
}

#define SEP " \t\r"

/* One line (NUL-terminated, no line feed): 0 or -ARAS_E_INVAL / -ARAS_E_NOMEM with why. */
/* The order a "done" or "start" line (item) names, still without outcome; NULL with why. */
static struct aras_jentry *pending_entry(struct aras_jlog *l, const char *item, uint32_t id, char *why,
					 size_t whylen)
{
	struct aras_jentry *p = find(l, id);

	if (!p)
		snprintf(why, whylen, "%s %u: no order %u before it", item, (unsigned)id, (unsigned)id);
	else if (p->outcome != ARAS_JOUT_PENDING)
		snprintf(why, whylen, "%s %u: order %u has an outcome already", item, (unsigned)id,
			 (unsigned)id);
	else
		return p;
	return NULL;
}

static int parse_line(struct aras_jlog *l, char *line, char *why, size_t whylen)
{
	char *save = NULL, *w[10];
	size_t nw = 1;
	uint32_t id, v;
	struct aras_jentry e;

	w[0] = strtok_r(line, SEP, &save);
	if (!w[0] || w[0][0] == '#')
		return 0;
	if (strcmp(w[0], "done") == 0) {
		/* done ID OUTCOME [TEXT]: the text is the rest of the line */
		char *sid = strtok_r(NULL, SEP, &save), *out = strtok_r(NULL, SEP, &save);
		char *text = save ? save + strspn(save, SEP) : NULL;
		struct aras_jentry *p;
		int oc = -1;

		if (!sid || parse_u32(sid, 1, UINT32_MAX, &id) < 0) {
			snprintf(why, whylen, "done: bad order id '%.32s'", sid ? sid : "");
			return -ARAS_E_INVAL;
		}
		for (int k = ARAS_JOUT_SUCCEEDED; k <= ARAS_JOUT_CANCELLED; k++)
			if (out && strcmp(out, aras_order_outcome_name(k)) == 0)
				oc = k;
		if (oc < 0) {
			snprintf(why, whylen,
				 "done %u: outcome '%.32s' is not succeeded, failed or cancelled",
				 (unsigned)id, out ? out : "");
			return -ARAS_E_INVAL;
		}
		if (!(p = pending_entry(l, "done", id, why, whylen)))
			return -ARAS_E_INVAL;
		p->outcome = oc;
		snprintf(p->text, sizeof(p->text), "%s", text ? text : "");
		/* trailing blanks of the text (a CR of a CRLF file) are not part of it */
		for (size_t n = strlen(p->text); n && strchr(SEP, p->text[n - 1]); n--)
			p->text[n - 1] = '\0';
		return 0;
	}
	if (strcmp(w[0], "start") == 0) {
		/* start ID: the order's job was handed to libvirt (or about to be) */
		char *sid = strtok_r(NULL, SEP, &save);
		struct aras_jentry *p;

		if (!sid || parse_u32(sid, 1, UINT32_MAX, &id) < 0 || strtok_r(NULL, SEP, &save)) {
			snprintf(why, whylen, "expected 'start ID' (ID 1 .. 4294967295)");
			return -ARAS_E_INVAL;
		}
		if (!(p = pending_entry(l, "start", id, why, whylen)))
			return -ARAS_E_INVAL;
		p->o.started = 1;
		return 0;
	}
	/* nw words, up to 10 (more than any item has) */
	while (nw < ARAS_ARRAY_SIZE(w) && (w[nw] = strtok_r(NULL, SEP, &save)))
		nw++;
	if (strcmp(w[0], "next") == 0) {
		if (nw != 2 || parse_u32(w[1], 1, UINT32_MAX, &id) < 0) {
			snprintf(why, whylen, "expected 'next ID' (ID 1 .. 4294967295)");
			return -ARAS_E_INVAL;
		}
		if (id > l->next_id)
			l->next_id = id;
		return 0;
	}
	if (strcmp(w[0], "order") != 0) {
		snprintf(why, whylen, "unknown item '%.32s' (expected next, order, start or done)", w[0]);
		return -ARAS_E_INVAL;
	}
	memset(&e, 0, sizeof(e));
	if (nw < 5 || parse_u32(w[1], 1, UINT32_MAX - 1, &id) < 0) {
		snprintf(why, whylen, "expected 'order ID KIND UUID ...' with ID 1 .. 4294967294");
		return -ARAS_E_INVAL;
	}
	/* ids only grow: one below every id seen so far is the one to look for */
	if (id < l->next_id && find(l, id)) {
		snprintf(why, whylen, "order %u: a second order with this id", (unsigned)id);
		return -ARAS_E_INVAL;
	}
	e.o.id = id;
	if (aras_uuid_parse(w[3], e.o.uuid) < 0) {
		snprintf(why, whylen, "order %u: bad UUID '%.40s'", (unsigned)id, w[3]);
		return -ARAS_E_INVAL;
	}
	if (strcmp(w[2], "command") == 0 && nw == 5) {
		e.o.kind = ARAS_ORDER_COMMAND;
		e.o.cmd = cmd_by_name(w[4]);
		if (e.o.cmd < 0) {
			snprintf(why, whylen, "order %u: no command '%.32s' (start .. undefine)",
				 (unsigned)id, w[4]);
			return -ARAS_E_INVAL;
		}
	} else if (strcmp(w[2], "migrate") == 0 && nw == 5) {
		e.o.kind = ARAS_ORDER_MIGRATE;
		if (parse_u32(w[4], 1, ARAS_HOST_INDEX_MAX, &v) < 0) {
			snprintf(why, whylen, "order %u: bad host index '%.32s' (1 .. %u)", (unsigned)id,
				 w[4], ARAS_HOST_INDEX_MAX);
			return -ARAS_E_INVAL;
		}
		e.o.target = v;
	} else if (strcmp(w[2], "edit") == 0 && (nw == 6 || (nw == 7 && strcmp(w[6], "force") == 0))) {
		e.o.kind = ARAS_ORDER_EDIT;
		for (int k = 1; k <= ARAS_EDIT_MAX; k++)
			if (k != ARAS_EDIT_DISK && strcmp(w[4], aras_edit_name(k)) == 0)
				e.o.edit = k;
		/* a disk's: disk/TARGET */
		if (strncmp(w[4], "disk/", 5) == 0 && aras_word_ok(w[4] + 5, sizeof(e.o.disk) - 1)) {
			e.o.edit = ARAS_EDIT_DISK;
			snprintf(e.o.disk, sizeof(e.o.disk), "%s", w[4] + 5);
		}
		if (!e.o.edit || parse_u32(w[5], 1, UINT32_MAX, &v) < 0) {
			snprintf(why, whylen,
				 "order %u: expected 'edit UUID vcpus|memory|maxMemory|disk/TARGET VALUE "
				 "[force]'",
				 (unsigned)id);
			return -ARAS_E_INVAL;
		}
		e.o.value = v;
		e.o.force = nw == 7;
	} else if (strcmp(w[2], "clone") == 0 && nw == 8) {
		e.o.kind = ARAS_ORDER_CLONE;
		if (parse_u32(w[4], 0, ARAS_HOST_INDEX_MAX, &v) < 0 ||
		    parse_u32(w[5], 1, UINT32_MAX, &e.o.request) < 0 ||
		    (strcmp(w[6], "start") != 0 && strcmp(w[6], "nostart") != 0) ||
		    !aras_clone_name_ok(w[7], strlen(w[7]))) {
			snprintf(why, whylen, "order %u: expected 'clone UUID HOST ROW start|nostart NAME'",
				 (unsigned)id);
			return -ARAS_E_INVAL;
		}
		e.o.target = v;
		e.o.start = strcmp(w[6], "start") == 0;
		snprintf(e.o.name, sizeof(e.o.name), "%s", w[7]);
	} else if (strcmp(w[2], "decide") == 0 && nw == 6) {
		e.o.kind = ARAS_ORDER_DECIDE;
		if (parse_u32(w[4], 1, UINT32_MAX, &e.o.action) < 0) {
			snprintf(why, whylen, "order %u: bad action index '%.32s'", (unsigned)id, w[4]);
			return -ARAS_E_INVAL;
		}
		e.o.state = strcmp(w[5], "approved") == 0 ? ARAS_AS_APPROVED :
			    strcmp(w[5], "rejected") == 0 ? ARAS_AS_REJECTED :
							    0;
		if (!e.o.state) {
			snprintf(why, whylen, "order %u: decision '%.32s' is not approved or rejected",
				 (unsigned)id, w[5]);
			return -ARAS_E_INVAL;
		}
	} else {
		snprintf(why, whylen,
			 "order %u: expected 'command UUID NAME', 'migrate UUID HOST', 'edit UUID WHAT VALUE "
			 "[force]', 'clone UUID HOST ROW start|nostart NAME' or 'decide UUID ACTION "
			 "approved|rejected'",
			 (unsigned)id);
		return -ARAS_E_INVAL;
	}
	if (l->n >= ARAS_JOURNAL_MAX_ENTRIES) {
		snprintf(why, whylen, "more than %u orders", ARAS_JOURNAL_MAX_ENTRIES);
		return -ARAS_E_INVAL;
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct aras_jentry *nv = realloc(l->v, cap * sizeof(*nv));

		if (!nv) {
			snprintf(why, whylen, "out of memory");
			return -ARAS_E_NOMEM;
		}
		l->v = nv;
		l->cap = cap;
	}
	l->v[l->n++] = e;
	if (id >= l->next_id)
		l->next_id = id + 1;
	return 0;
}

int aras_journal_parse(const char *buf, size_t len, const char *name, struct aras_jlog *out, char *why,
		       size_t whylen)
{
	char line[ARAS_JOURNAL_LINE_MAX + 1], reason[256];
	unsigned lineno = 0;
	size_t pos = 0;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->next_id = 1;
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (buf + pos)) : len - pos;

		lineno++;
		if (!nl) {
			/* a torn last write: never acknowledged (see journal.h) */
			out->torn = 1;
			break;
		}
		if (n > ARAS_JOURNAL_LINE_MAX) {
			snprintf(why, whylen, "%s:%u: line longer than %u bytes", name, lineno,
				 ARAS_JOURNAL_LINE_MAX);
			rc = -ARAS_E_INVAL;
			break;
		}
		if (memchr(buf + pos, '\0', n)) {
			snprintf(why, whylen, "%s:%u: NUL byte", name, lineno);
			rc = -ARAS_E_INVAL;
			break;
		}
		memcpy(line, buf + pos, n);
		line[n] = '\0';
		pos += n + 1;
		rc = parse_line(out, line, reason, sizeof(reason));
		if (rc < 0) {
			snprintf(why, whylen, "%s:%u: %s", name, lineno, reason);
			break;
		}
	}
	if (rc < 0)
		aras_jlog_free(out);
	return rc;
}

int aras_journal_load(const char *path, struct aras_jlog *out, char *why, size_t whylen)
{
	char *buf;
	size_t len;
	int rc;

	memset(out, 0, sizeof(*out));
	out->next_id = 1;
	rc = aras_file_read(path, ARAS_JOURNAL_MAX_BYTES, "larger than 64 MiB", &buf, &len, why, whylen);
	if (rc <= 0)
		return rc;
	rc = aras_journal_parse(buf, len, path, out, why, whylen);
	free(buf);
	return rc;
}

/* ---- the journal arasd appends to ---- */

void aras_journal_init(struct aras_journal *j)
{
	memset(j, 0, sizeof(*j));
	j->fd = -1;
	j->next_id = 1;
}

void aras_journal_close(struct aras_journal *j)
{
	if (!j)
		return;
	if (j->fd >= 0)
		close(j->fd);
	free(j->path);
	free(j->pending);
	aras_journal_init(j);
}

static int pending_add(struct aras_journal *j, const struct aras_order *o)
{
	if (j->npending == j->cap) {
		size_t cap = j->cap ? j->cap * 2 : 16;
		struct aras_order *v = realloc(j->pending, cap * sizeof(*v));

		if (!v)
			return -ARAS_E_NOMEM;
		j->pending = v;
		j->cap = cap;
	}
	j->pending[j->npending++] = *o;
	return 0;
}

static int pending_drop(struct aras_journal *j, uint32_t id)
{
	for (size_t i = 0; i < j->npending; i++)
		if (j->pending[i].id == id) {
			j->pending[i] = j->pending[--j->npending];
			return 1;
		}
	return 0;
}

size_t aras_journal_pending(const struct aras_journal *j)
{
	return j->npending;
}

/* Rewrite the file with the "next" line and the orders without outcome, then (re)open it for appending. */
static int rewrite(struct aras_journal *j, char *why, size_t whylen)
{
	char tmp[4096], dir[4096], line[ARAS_JOURNAL_LINE_MAX];
	FILE *f = NULL;
	int fd = -1, dfd = -1, rc = -ARAS_E_IO;

	snprintf(tmp, sizeof(tmp), "%s.tmp", j->path);
	snprintf(dir, sizeof(dir), "%s", j->path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		snprintf(why, whylen, "%s: %s", tmp, strerror(errno));
		goto cleanup;
	}
	fd = -1;
	fprintf(f,
		"# arasd order journal: SET orders and their outcomes; written by arasd, do not edit while "
		"it runs\nnext %u\n",
		(unsigned)j->next_id);
	j->lines = 0;
	for (size_t i = 0; i < j->npending; i++) {
		if (aras_journal_format_order(&j->pending[i], line, sizeof(line)) < 0)
			continue;
		fputs(line, f);
		j->lines++;
		if (j->pending[i].started) {
			fprintf(f, "start %u\n", (unsigned)j->pending[i].id);
			j->lines++;
		}
	}
	if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
		snprintf(why, whylen, "%s: %s", tmp, strerror(errno));
		goto cleanup;
	}
	if (fclose(f) != 0) {
		f = NULL;
		snprintf(why, whylen, "%s: %s", tmp, strerror(errno));
		goto cleanup;
	}
	f = NULL;
	if (rename(tmp, j->path) != 0) {
		snprintf(why, whylen, "rename %s: %s", j->path, strerror(errno));
		goto cleanup;
	}
	dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || fsync(dfd) != 0) {
		snprintf(why, whylen, "fsync %s: %s", dir, strerror(errno));
		goto cleanup;
	}
	if (j->fd >= 0)
		close(j->fd);
	j->fd = open(j->path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (j->fd < 0) {
		snprintf(why, whylen, "%s: %s", j->path, strerror(errno));
		goto cleanup;
	}
	rc = 0;
cleanup:
	if (f)
		fclose(f);
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	if (rc < 0)
		unlink(tmp);
	return rc;
}

int aras_journal_open(struct aras_journal *j, const char *path, const struct aras_jlog *keep, char *why,
		      size_t whylen)
{
	struct stat sb;

	aras_journal_close(j);
	j->path = strdup(path);
	if (!j->path) {
		snprintf(why, whylen, "out of memory");
		return -ARAS_E_NOMEM;
	}
	if (keep && keep->next_id > j->next_id)
		j->next_id = keep->next_id;
	for (size_t i = 0; keep && i < keep->n; i++)
		if (keep->v[i].outcome == ARAS_JOUT_PENDING && pending_add(j, &keep->v[i].o) < 0) {
			snprintf(why, whylen, "out of memory");
			return -ARAS_E_NOMEM;
		}
	/* no file and nothing to keep: it is made with the first order */
	if (!j->npending && stat(path, &sb) < 0 && errno == ENOENT)
		return 0;
	return rewrite(j, why, whylen);
}

/* Append buf (whole lines) and make it durable; on failure cut the file back to where it was. */
static int append(struct aras_journal *j, const char *buf, size_t len, char *why, size_t whylen)
{
	off_t at = lseek(j->fd, 0, SEEK_END);
	size_t done = 0;

	while (done < len) {
		ssize_t w = write(j->fd, buf + done, len - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	if (done == len && fdatasync(j->fd) == 0)
		return 0;
	snprintf(why, whylen, "%s: %s", j->path, done == len ? strerror(errno) : "short write");
	if (at >= 0 && ftruncate(j->fd, at) == 0)
		(void)fdatasync(j->fd);
	return -ARAS_E_IO;
}

/* The file open for appending: made (or made again after a failure) when it is not. */
static int ready(struct aras_journal *j, char *why, size_t whylen)
{
	return j->fd >= 0 ? 0 : rewrite(j, why, whylen);
}

int aras_journal_orders(struct aras_journal *j, struct aras_orders *os, char *why, size_t whylen)
{
	char *buf;
	size_t len = 0, cap;
	uint32_t first = j->next_id;
	int rc = 0;

	if (!os || !os->n)
		return 0;
	if (!j->path) {
		for (size_t i = 0; i < os->n; i++)
			os->v[i].id = 0;
		return 0;
	}
	cap = os->n * 160 + 1;
	buf = malloc(cap);
	if (!buf) {
		snprintf(why, whylen, "out of memory");
		return -ARAS_E_NOMEM;
	}
	for (size_t i = 0; i < os->n && rc == 0; i++) {
		os->v[i].id = first + (uint32_t)i;
		rc = aras_journal_format_order(&os->v[i], buf + len, cap - len);
		len += strlen(buf + len);
		if (rc < 0)
			snprintf(why, whylen, "order of an unknown kind %d", os->v[i].kind);
	}
	if (rc == 0 && (rc = ready(j, why, whylen)) == 0)
		rc = append(j, buf, len, why, whylen);
	free(buf);
	for (size_t i = 0; i < os->n && rc == 0; i++)
		if (pending_add(j, &os->v[i]) < 0) {
			snprintf(why, whylen, "out of memory");
			rc = -ARAS_E_NOMEM;
		}
	if (rc < 0) {
		for (size_t i = 0; i < os->n; i++) {
			pending_drop(j, os->v[i].id);
			os->v[i].id = 0;
		}
		return rc;
	}
	j->next_id = first + (uint32_t)os->n;
	j->lines += os->n;
	return 0;
}

int aras_journal_started(struct aras_journal *j, uint32_t id, char *why, size_t whylen)
{
	char line[32];
	size_t i;
	int rc;

	if (!j->path || !id)
		return 0;
	for (i = 0; i < j->npending && j->pending[i].id != id; i++)
		;
	if (i == j->npending || j->pending[i].started)
		return 0;
	if ((rc = ready(j, why, whylen)) < 0)
		return rc;
	snprintf(line, sizeof(line), "start %u\n", (unsigned)id);
	if ((rc = append(j, line, strlen(line), why, whylen)) < 0)
		return rc;
	j->pending[i].started = 1;
	j->lines++;
	return 0;
}

int aras_journal_done(struct aras_journal *j, uint32_t id, int outcome, const char *text, char *why,
		      size_t whylen)
{
	char line[ARAS_JOURNAL_LINE_MAX];
	struct aras_order o;
	size_t i;
	int rc;

	if (!j->path || !id)
		return 0;
	for (i = 0; i < j->npending && j->pending[i].id != id; i++)
		;
	if (i == j->npending)
		return 0;
	o = j->pending[i];
	if ((rc = ready(j, why, whylen)) < 0)
		return rc; /* still pending: resolved again at start */
	pending_drop(j, id);
	aras_journal_format_done(id, outcome, text, line, sizeof(line));
	rc = append(j, line, strlen(line), why, whylen);
	if (rc < 0) {
		pending_add(j, &o); /* still without a durable outcome: resolved again at start */
		return rc;
	}
	j->lines++;
	if (j->lines >= ARAS_JOURNAL_COMPACT_LINES && j->lines >= 4 * j->npending)
		return rewrite(j, why, whylen);
	return 0;
}
