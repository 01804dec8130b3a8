/*
 * state.c - see state.h.
 */
#include "state.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const pref_names[ARAS_PREF_COUNT] = { "priority", "cpuThreshold", "memThreshold",
							  "diskThreshold", "optOut" };

void aras_state_init(struct aras_state *st)
{
	memset(st, 0, sizeof(*st));
	aras_settings_defaults(&st->settings);
}

void aras_state_free(struct aras_state *st)
{
	if (!st)
		return;
	free(st->prefs);
	st->prefs = NULL;
	st->nprefs = 0;
}

int aras_state_copy(struct aras_state *dst, const struct aras_state *src)
{
	struct aras_vm_prefs *p = NULL;

	if (src->nprefs) {
		p = malloc(src->nprefs * sizeof(*p));
		if (!p)
			return -ARAS_E_NOMEM;
		memcpy(p, src->prefs, src->nprefs * sizeof(*p));
	}
	free(dst->prefs);
	*dst = *src;
	dst->prefs = p;
	return 0;
}

static size_t prefs_bound(const struct aras_state *st, const uint8_t *uuid)
{
	size_t lo = 0, hi = st->nprefs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (memcmp(st->prefs[mid].uuid, uuid, ARAS_UUID_LEN) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct aras_vm_prefs *aras_state_find_prefs(const struct aras_state *st,
						  const uint8_t uuid[ARAS_UUID_LEN])
{
	size_t i = prefs_bound(st, uuid);

	return (i < st->nprefs && memcmp(st->prefs[i].uuid, uuid, ARAS_UUID_LEN) == 0) ? &st->prefs[i] : NULL;
}

static unsigned *field_ptr(struct aras_vm_prefs *p, int field)
{
	switch (field) {
	case ARAS_PREF_PRIORITY: return &p->priority;
	case ARAS_PREF_THR_CPU: return &p->thr[0];
	case ARAS_PREF_THR_MEM: return &p->thr[1];
	case ARAS_PREF_THR_DISK: return &p->thr[2];
	case ARAS_PREF_OPT_OUT: return (unsigned *)&p->opt_out;
	}
	return NULL;
}

unsigned aras_state_pref(const struct aras_state *st, const uint8_t uuid[ARAS_UUID_LEN], int field)
{
	const struct aras_vm_prefs *p = aras_state_find_prefs(st, uuid);
	unsigned *v;

	if (!p)
		return 0;
	v = field_ptr((struct aras_vm_prefs *)p, field);
	return v ? *v : 0;
}

int aras_state_check_pref(int field, unsigned value)
{
	if (field < 0 || field >= ARAS_PREF_COUNT)
		return -ARAS_E_NOENT;
	if (field == ARAS_PREF_OPT_OUT)
		return value <= 1 ? 0 : -ARAS_E_RANGE;
	return value <= 100 ? 0 : -ARAS_E_RANGE;
}

int aras_state_set_pref(struct aras_state *st, const uint8_t uuid[ARAS_UUID_LEN], int field,
			unsigned value)
{
	size_t i = prefs_bound(st, uuid);
	struct aras_vm_prefs *p;
	int rc = aras_state_check_pref(field, value);

	if (rc < 0)
		return rc;
	if (i == st->nprefs || memcmp(st->prefs[i].uuid, uuid, ARAS_UUID_LEN) != 0) {
		if (value == 0)
			return 0;
		p = realloc(st->prefs, (st->nprefs + 1) * sizeof(*p));
		if (!p)
			return -ARAS_E_NOMEM;
		st->prefs = p;
		memmove(&p[i + 1], &p[i], (st->nprefs - i) * sizeof(*p));
		memset(&p[i], 0, sizeof(*p));
		memcpy(p[i].uuid, uuid, ARAS_UUID_LEN);
		st->nprefs++;
	}
	p = &st->prefs[i];
	*field_ptr(p, field) = value;
	if (!p->priority && !p->thr[0] && !p->thr[1] && !p->thr[2] && !p->opt_out) {
		memmove(&st->prefs[i], &st->prefs[i + 1], (st->nprefs - i - 1) * sizeof(*p));
		st->nprefs--;
	}
	return 0;
}

int aras_state_maintenance(const struct aras_state *st, unsigned host)
{
	for (size_t i = 0; i < st->nmaint; i++)
		if (st->maint[i] == host)
			return 1;
	return 0;
}

int aras_state_set_maintenance(struct aras_state *st, unsigned host, int on)
{
	for (size_t i = 0; i < st->nmaint; i++) {
		if (st->maint[i] != host)
			continue;
		if (!on)
			st->maint[i] = st->maint[--st->nmaint];
		return 0;
	}
	if (!on)
		return 0;
	if (st->nmaint == ARAS_ARRAY_SIZE(st->maint))
		return -ARAS_E_NOMEM;
	st->maint[st->nmaint++] = host;
	return 0;
}

void aras_state_set_setting(struct aras_state *st, int id, uint32_t value)
{
	st->settings.v[id] = value;
	st->persisted |= 1u << id;
}

int aras_state_save(const struct aras_state *st, const char *path, char *why, size_t whylen)
{
	char tmp[4096], dir[4096], val[128], uuid[ARAS_UUID_STRLEN];
	FILE *f = NULL;
	int fd = -1, dfd = -1, rc = -ARAS_E_IO;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	snprintf(dir, sizeof(dir), "%s", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		snprintf(why, whylen, "%s: %s", tmp, strerror(errno));
		goto cleanup;
	}
	fd = -1;
	fprintf(f, "# arasd state: values SET over SNMP; written by arasd, do not edit while it runs\n");
	for (int i = 0; i < ARAS_S_COUNT; i++) {
		if (!(st->persisted & (1u << i)))
			continue;
		aras_settings_format(i, st->settings.v[i], val, sizeof(val));
		fprintf(f, "setting %s %s\n", aras_setting_defs[i].token, val);
	}
	for (size_t i = 0; i < st->nprefs; i++) {
		aras_uuid_format(st->prefs[i].uuid, uuid);
		for (int k = 0; k < ARAS_PREF_COUNT; k++) {
			unsigned v = *field_ptr(&st->prefs[i], k);

			if (v)
				fprintf(f, "vm %s %s %u\n", uuid, pref_names[k], v);
		}
	}
	for (size_t i = 0; i < st->nmaint; i++)
		fprintf(f, "maintenance %u\n", st->maint[i]);
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
	if (rename(tmp, path) != 0) {
		snprintf(why, whylen, "rename %s: %s", path, strerror(errno));
		goto cleanup;
	}
	/* The rename is durable only once the directory is synced. */
	dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || fsync(dfd) != 0) {
		snprintf(why, whylen, "fsync %s: %s", dir, strerror(errno));
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

static int load_line(struct aras_state *st, char *line, char *why, size_t whylen)
{
	char *save = NULL, *kind = strtok_r(line, " \t\r\n", &save);
	char *a = strtok_r(NULL, " \t\r\n", &save);
	char *b = strtok_r(NULL, " \t\r\n", &save);
	char *c = strtok_r(NULL, " \t\r\n", &save);

	if (!kind || kind[0] == '#')
		return 0;
	if (strcmp(kind, "setting") == 0 && a && b && !c) {
		int id = aras_settings_by_token(a);
		uint32_t v;

		if (id < 0) {
			snprintf(why, whylen, "unknown setting '%s'", a);
			return -ARAS_E_INVAL;
		}
		if (aras_settings_parse(id, b, &v, why, whylen) < 0)
			return -ARAS_E_INVAL;
		aras_state_set_setting(st, id, v);
		return 0;
	}
	if (strcmp(kind, "vm") == 0 && a && b && c && !strtok_r(NULL, " \t\r\n", &save)) {
		uint8_t uuid[ARAS_UUID_LEN];
		char *end;
		unsigned long v = strtoul(c, &end, 10);
		int field = -1;

		for (int k = 0; k < ARAS_PREF_COUNT; k++)
			if (strcasecmp(b, pref_names[k]) == 0)
				field = k;
		if (aras_uuid_parse(a, uuid) < 0 || field < 0 || *end || v > 100 ||
		    aras_state_set_pref(st, uuid, field, (unsigned)v) < 0) {
			snprintf(why, whylen, "bad vm line");
			return -ARAS_E_INVAL;
		}
		return 0;
	}
	if (strcmp(kind, "maintenance") == 0 && a && !b) {
		char *end;
		unsigned long h = strtoul(a, &end, 10);

		if (*end || h == 0 || h > 65535 || aras_state_set_maintenance(st, (unsigned)h, 1) < 0) {
			snprintf(why, whylen, "bad maintenance line");
			return -ARAS_E_INVAL;
		}
		return 0;
	}
	snprintf(why, whylen, "expected 'setting TOKEN VALUE', 'vm UUID FIELD VALUE' or 'maintenance HOST'");
	return -ARAS_E_INVAL;
}

int aras_state_parse(struct aras_state *st, const char *buf, size_t len, const char *name, char *why,
		     size_t whylen)
{
	struct aras_state next;
	char line[ARAS_STATE_LINE_MAX + 1], reason[256];
	unsigned lineno = 0;
	size_t pos = 0;
	int rc = 0;

	aras_state_init(&next);
	if (aras_state_copy(&next, st) < 0)
		return -ARAS_E_NOMEM;
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (buf + pos)) : len - pos;

		lineno++;
		if (n > ARAS_STATE_LINE_MAX) {
			snprintf(why, whylen, "%s:%u: line longer than %u bytes", name, lineno, ARAS_STATE_LINE_MAX);
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
		pos += n + (nl ? 1 : 0);
		if (load_line(&next, line, reason, sizeof(reason)) < 0) {
			snprintf(why, whylen, "%s:%u: %s", name, lineno, reason);
			rc = -ARAS_E_INVAL;
			break;
		}
	}
	if (rc == 0)
		rc = aras_state_copy(st, &next);
	aras_state_free(&next);
	return rc;
}

int aras_state_load(struct aras_state *st, const char *path, char *why, size_t whylen)
{
	struct stat sb;
	char *buf = NULL;
	size_t len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK), rc;

	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return -ARAS_E_IO;
	}
	/* a device or FIFO (/dev/zero) would never end */
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_size > (off_t)ARAS_STATE_MAX_BYTES) {
		int e = errno;

		snprintf(why, whylen, "%s: %s", path,
			 fstat(fd, &sb) < 0 ? strerror(e) :
			 !S_ISREG(sb.st_mode) ? "not a regular file" : "larger than 64 MiB: not a state file");
		close(fd);
		return -ARAS_E_IO;
	}
	buf = malloc((size_t)sb.st_size + 1);
	if (!buf) {
		close(fd);
		return -ARAS_E_NOMEM;
	}
	while (len < (size_t)sb.st_size) {
		ssize_t r = read(fd, buf + len, (size_t)sb.st_size - len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	if (len < (size_t)sb.st_size) {
		snprintf(why, whylen, "%s: read error", path);
		rc = -ARAS_E_IO;
	} else {
		rc = aras_state_parse(st, buf, len, path, why, whylen);
	}
	free(buf);
	close(fd);
	return rc;
}
