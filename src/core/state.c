/*
 * state.c - see state.h.
 */
#include "state.h"

#include <stddef.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* struct aras_state's persisted has a bit per setting */
_Static_assert(ARAS_S_COUNT <= 32, "aras_state.persisted holds 32 settings: widen it");

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
	free(st->groups);
	st->groups = NULL;
	st->ngroups = 0;
	free(st->vmidx);
	st->vmidx = NULL;
	st->nvmidx = st->capvmidx = 0;
}

int aras_state_copy(struct aras_state *dst, const struct aras_state *src)
{
	struct aras_vm_prefs *p = NULL;
	struct aras_group *g = NULL;
	struct aras_vmidx *x = NULL;

	if (src->nvmidx) {
		x = malloc(src->nvmidx * sizeof(*x));
		if (!x)
			return -ARAS_E_NOMEM;
		memcpy(x, src->vmidx, src->nvmidx * sizeof(*x));
	}
	if (src->nprefs) {
		p = malloc(src->nprefs * sizeof(*p));
		if (!p) {
			free(x);
			return -ARAS_E_NOMEM;
		}
		memcpy(p, src->prefs, src->nprefs * sizeof(*p));
	}
	if (src->ngroups) {
		g = malloc(src->ngroups * sizeof(*g));
		if (!g) {
			free(p);
			free(x);
			return -ARAS_E_NOMEM;
		}
		memcpy(g, src->groups, src->ngroups * sizeof(*g));
	}
	free(dst->prefs);
	free(dst->groups);
	free(dst->vmidx);
	*dst = *src;
	dst->prefs = p;
	dst->groups = g;
	dst->vmidx = x;
	dst->capvmidx = src->nvmidx;
	return 0;
}

static size_t vmidx_bound(const struct aras_state *st, const uint8_t *uuid)
{
	return aras_uuid_lower(st->vmidx, st->nvmidx, sizeof(*st->vmidx), offsetof(struct aras_vmidx, uuid),
			       uuid);
}

uint32_t aras_state_vmidx(const struct aras_state *st, const uint8_t uuid[ARAS_UUID_LEN])
{
	size_t i = vmidx_bound(st, uuid);

	return i < st->nvmidx && memcmp(st->vmidx[i].uuid, uuid, ARAS_UUID_LEN) == 0 ? st->vmidx[i].index : 0;
}

static int vmidx_insert(struct aras_state *st, size_t at, const uint8_t *uuid, uint32_t index)
{
	if (st->nvmidx == st->capvmidx) {
		size_t cap = st->capvmidx ? st->capvmidx * 2 : 64;
		struct aras_vmidx *v = realloc(st->vmidx, cap * sizeof(*v));

		if (!v)
			return -ARAS_E_NOMEM;
		st->vmidx = v;
		st->capvmidx = cap;
	}
	memmove(&st->vmidx[at + 1], &st->vmidx[at], (st->nvmidx - at) * sizeof(*st->vmidx));
	memcpy(st->vmidx[at].uuid, uuid, ARAS_UUID_LEN);
	st->vmidx[at].index = index;
	st->nvmidx++;
	if (index > st->vmidx_last)
		st->vmidx_last = index;
	return 0;
}

uint32_t aras_state_vmidx_assign(struct aras_state *st, const uint8_t uuid[ARAS_UUID_LEN], int *added)
{
	size_t i = vmidx_bound(st, uuid);

	*added = 0;
	if (i < st->nvmidx && memcmp(st->vmidx[i].uuid, uuid, ARAS_UUID_LEN) == 0)
		return st->vmidx[i].index;
	if (st->vmidx_last >= ARAS_VMIDX_MAX || vmidx_insert(st, i, uuid, st->vmidx_last + 1) < 0)
		return 0;
	*added = 1;
	return st->vmidx_last;
}

int aras_state_vmidx_set(struct aras_state *st, const uint8_t uuid[ARAS_UUID_LEN], uint32_t index)
{
	size_t i = vmidx_bound(st, uuid);

	if (index == 0 || index > ARAS_VMIDX_MAX)
		return -ARAS_E_RANGE;
	if (i < st->nvmidx && memcmp(st->vmidx[i].uuid, uuid, ARAS_UUID_LEN) == 0)
		return st->vmidx[i].index == index ? 0 : -ARAS_E_INCONSIST;
	for (size_t k = 0; k < st->nvmidx; k++)
		if (st->vmidx[k].index == index)
			return -ARAS_E_INCONSIST;
	return vmidx_insert(st, i, uuid, index);
}

void aras_state_vmidx_take(struct aras_state *dst, struct aras_state *src)
{
	free(dst->vmidx);
	dst->vmidx = src->vmidx;
	dst->nvmidx = src->nvmidx;
	dst->capvmidx = src->capvmidx;
	dst->vmidx_last = src->vmidx_last;
	src->vmidx = NULL;
	src->nvmidx = src->capvmidx = 0;
}

static size_t prefs_bound(const struct aras_state *st, const uint8_t *uuid)
{
	return aras_uuid_lower(st->prefs, st->nprefs, sizeof(*st->prefs),
			       offsetof(struct aras_vm_prefs, uuid), uuid);
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

/* A VM whose prefs are all back to their defaults has no entry. */
static void drop_if_empty(struct aras_state *st, size_t i)
{
	struct aras_vm_prefs *p = &st->prefs[i];

	if (p->priority || p->thr[0] || p->thr[1] || p->thr[2] || p->opt_out || p->group[0])
		return;
	memmove(&st->prefs[i], &st->prefs[i + 1], (st->nprefs - i - 1) * sizeof(*p));
	st->nprefs--;
}

/* A VM with no preferences yet gets an all-zero entry at position i (its sorted place). */
static int prefs_insert(struct aras_state *st, size_t i, const uint8_t uuid[ARAS_UUID_LEN])
{
	struct aras_vm_prefs *p = realloc(st->prefs, (st->nprefs + 1) * sizeof(*p));

	if (!p)
		return -ARAS_E_NOMEM;
	st->prefs = p;
	memmove(&p[i + 1], &p[i], (st->nprefs - i) * sizeof(*p));
	memset(&p[i], 0, sizeof(*p));
	memcpy(p[i].uuid, uuid, ARAS_UUID_LEN);
	st->nprefs++;
	return 0;
}

int aras_state_set_pref(struct aras_state *st, const uint8_t uuid[ARAS_UUID_LEN], int field, unsigned value)
{
	size_t i = prefs_bound(st, uuid);
	struct aras_vm_prefs *p;
	int rc = aras_state_check_pref(field, value);

	if (rc < 0)
		return rc;
	if (i == st->nprefs || memcmp(st->prefs[i].uuid, uuid, ARAS_UUID_LEN) != 0) {
		if (value == 0)
			return 0;
		if (prefs_insert(st, i, uuid) < 0)
			return -ARAS_E_NOMEM;
	}
	p = &st->prefs[i];
	*field_ptr(p, field) = value;
	drop_if_empty(st, i);
	return 0;
}

/* ---- placement rules ---- */

int aras_group_name_ok(const char *name, size_t len)
{
	if (len < 1 || len > ARAS_GROUP_NAME_MAX)
		return -ARAS_E_LENGTH;
	for (size_t i = 0; i < len; i++)
		if (!aras_word_char(name[i]))
			return -ARAS_E_RANGE;
	return 0;
}

int aras_group_hosts_ok(const char *hosts, size_t len)
{
	size_t item = 0;

	if (len > ARAS_GROUP_HOSTS_MAX)
		return -ARAS_E_LENGTH;
	for (size_t i = 0; i < len; i++) {
		if (hosts[i] == ',') {
			if (item == 0)
				return -ARAS_E_RANGE; /* empty item */
			item = 0;
			continue;
		}
		if (!aras_word_char(hosts[i]))
			return -ARAS_E_RANGE;
		item++;
	}
	return (len && item == 0) ? -ARAS_E_RANGE : 0;
}

const char *aras_group_rule_name(int rule)
{
	return rule == ARAS_RULE_ANTI_AFFINITY ? "antiAffinity" :
	       rule == ARAS_RULE_AFFINITY      ? "affinity" :
						 "?";
}

static size_t group_bound(const struct aras_state *st, const char *name)
{
	size_t lo = 0, hi = st->ngroups;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(st->groups[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int aras_state_group_index(const struct aras_state *st, const char *name)
{
	size_t i;

	if (!name || !name[0])
		return -1;
	i = group_bound(st, name);
	return (i < st->ngroups && strcmp(st->groups[i].name, name) == 0) ? (int)i : -1;
}

const struct aras_group *aras_state_group(const struct aras_state *st, const char *name)
{
	int i = aras_state_group_index(st, name);

	return i < 0 ? NULL : &st->groups[i];
}

int aras_state_put_group(struct aras_state *st, const struct aras_group *g)
{
	size_t i;
	struct aras_group *v;

	if (aras_group_name_ok(g->name, strnlen(g->name, sizeof(g->name))) < 0 ||
	    (g->rule != ARAS_RULE_ANTI_AFFINITY && g->rule != ARAS_RULE_AFFINITY) ||
	    aras_group_hosts_ok(g->hosts, strnlen(g->hosts, sizeof(g->hosts))) < 0 ||
	    strnlen(g->name, sizeof(g->name)) == sizeof(g->name) ||
	    strnlen(g->hosts, sizeof(g->hosts)) == sizeof(g->hosts))
		return -ARAS_E_RANGE;
	i = group_bound(st, g->name);
	if (i < st->ngroups && strcmp(st->groups[i].name, g->name) == 0) {
		st->groups[i] = *g;
		return 0;
	}
	if (st->ngroups >= ARAS_GROUPS_MAX)
		return -ARAS_E_NOMEM;
	v = realloc(st->groups, (st->ngroups + 1) * sizeof(*v));
	if (!v)
		return -ARAS_E_NOMEM;
	st->groups = v;
	memmove(&v[i + 1], &v[i], (st->ngroups - i) * sizeof(*v));
	v[i] = *g;
	st->ngroups++;
	return 0;
}

int aras_state_del_group(struct aras_state *st, const char *name)
{
	int gi = aras_state_group_index(st, name);

	if (gi < 0)
		return -ARAS_E_NOENT;
	/* members leave it in the same change: no VM names a group that is gone */
	for (size_t i = st->nprefs; i-- > 0;)
		if (strcmp(st->prefs[i].group, st->groups[gi].name) == 0) {
			st->prefs[i].group[0] = '\0';
			drop_if_empty(st, i);
		}
	memmove(&st->groups[gi], &st->groups[gi + 1], (st->ngroups - (size_t)gi - 1) * sizeof(st->groups[0]));
	st->ngroups--;
	if (!st->ngroups) {
		free(st->groups);
		st->groups = NULL;
	}
	return 0;
}

const char *aras_state_vm_group(const struct aras_state *st, const uint8_t uuid[ARAS_UUID_LEN])
{
	const struct aras_vm_prefs *p = aras_state_find_prefs(st, uuid);

	return p ? p->group : "";
}

int aras_state_set_vm_group(struct aras_state *st, const uint8_t uuid[ARAS_UUID_LEN], const char *name)
{
	size_t i = prefs_bound(st, uuid), len = strlen(name);

	if (len && aras_group_name_ok(name, len) < 0)
		return -ARAS_E_RANGE;
	if (i == st->nprefs || memcmp(st->prefs[i].uuid, uuid, ARAS_UUID_LEN) != 0) {
		if (!len)
			return 0;
		if (prefs_insert(st, i, uuid) < 0)
			return -ARAS_E_NOMEM;
	}
	snprintf(st->prefs[i].group, sizeof(st->prefs[i].group), "%s", name);
	drop_if_empty(st, i);
	return 0;
}

unsigned aras_state_group_members(const struct aras_state *st, const char *name)
{
	unsigned n = 0;

	for (size_t i = 0; i < st->nprefs; i++)
		n += strcmp(st->prefs[i].group, name) == 0;
	return n;
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
	/* groups before the memberships that name them */
	for (size_t i = 0; i < st->ngroups; i++) {
		const struct aras_group *g = &st->groups[i];

		fprintf(f, "group %s %s %s%s\n", g->name, aras_group_rule_name(g->rule),
			g->hosts[0] ? g->hosts : "-", g->active ? "" : " notInService");
	}
	for (size_t i = 0; i < st->nprefs; i++) {
		if (!st->prefs[i].group[0])
			continue;
		aras_uuid_format(st->prefs[i].uuid, uuid);
		fprintf(f, "vm %s group %s\n", uuid, st->prefs[i].group);
	}
	for (size_t i = 0; i < st->nmaint; i++)
		fprintf(f, "maintenance %u\n", st->maint[i]);
	for (size_t i = 0; i < st->nvmidx; i++) {
		aras_uuid_format(st->vmidx[i].uuid, uuid);
		fprintf(f, "vmIndex %s %u\n", uuid, (unsigned)st->vmidx[i].index);
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
	if (strcmp(kind, "group") == 0 && a && b) {
		struct aras_group g;
		char *d = strtok_r(NULL, " \t\r\n", &save);

		memset(&g, 0, sizeof(g));
		g.active = 1;
		g.rule = strcmp(b, "antiAffinity") == 0 ? ARAS_RULE_ANTI_AFFINITY :
			 strcmp(b, "affinity") == 0     ? ARAS_RULE_AFFINITY :
							  0;
		if (d && strcmp(d, "notInService") == 0)
			g.active = 0;
		/* "notInService" is the optional 4th word only: in the hosts' place it is no host */
		if (strlen(a) > ARAS_GROUP_NAME_MAX || (c && strlen(c) > ARAS_GROUP_HOSTS_MAX) ||
		    (c && strcmp(c, "notInService") == 0) ||
		    (d && !g.active && strtok_r(NULL, " \t\r\n", &save)) || (d && g.active)) {
			snprintf(why, whylen, "bad group line");
			return -ARAS_E_INVAL;
		}
		snprintf(g.name, sizeof(g.name), "%s", a);
		if (c && strcmp(c, "-") != 0)
			snprintf(g.hosts, sizeof(g.hosts), "%s", c);
		if (aras_state_put_group(st, &g) < 0) {
			snprintf(why, whylen,
				 "bad group line (NAME antiAffinity|affinity [HOST,...|-] [notInService])");
			return -ARAS_E_INVAL;
		}
		return 0;
	}
	if (strcmp(kind, "vm") == 0 && a && b && c && strcmp(b, "group") == 0 &&
	    !strtok_r(NULL, " \t\r\n", &save)) {
		uint8_t uuid[ARAS_UUID_LEN];

		if (aras_uuid_parse(a, uuid) < 0 || strlen(c) > ARAS_GROUP_NAME_MAX ||
		    !aras_state_group(st, c) || aras_state_set_vm_group(st, uuid, c) < 0) {
			snprintf(why, whylen, "bad vm group line (the group must be defined before)");
			return -ARAS_E_INVAL;
		}
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
	if (strcmp(kind, "vmIndex") == 0 && a && b && !c) {
		uint8_t uuid[ARAS_UUID_LEN];
		char *end;
		unsigned long v = strtoul(b, &end, 10);

		if (aras_uuid_parse(a, uuid) < 0 || *end || b[0] == '-' || v > ARAS_VMIDX_MAX ||
		    aras_state_vmidx_set(st, uuid, (uint32_t)v) < 0) {
			snprintf(why, whylen, "bad vmIndex line (or an index given twice)");
			return -ARAS_E_INVAL;
		}
		return 0;
	}
	snprintf(why, whylen,
		 "expected 'setting TOKEN VALUE', 'vm UUID FIELD VALUE', 'maintenance HOST', "
		 "'group NAME RULE [HOSTS]', 'vm UUID group NAME' or 'vmIndex UUID N'");
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
			snprintf(why, whylen, "%s:%u: line longer than %u bytes", name, lineno,
				 ARAS_STATE_LINE_MAX);
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

int aras_file_read(const char *path, size_t max, const char *too_big, char **buf, size_t *len, char *why,
		   size_t whylen)
{
	struct stat sb;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	*buf = NULL;
	*len = 0;
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return -ARAS_E_IO;
	}
	/* a device or FIFO (/dev/zero) would never end */
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_size > (off_t)max) {
		int e = errno;

		snprintf(why, whylen, "%s: %s", path,
			 fstat(fd, &sb) < 0   ? strerror(e) :
			 !S_ISREG(sb.st_mode) ? "not a regular file" :
						too_big);
		close(fd);
		return -ARAS_E_IO;
	}
	*buf = malloc((size_t)sb.st_size + 1);
	if (!*buf) {
		close(fd);
		return -ARAS_E_NOMEM;
	}
	while (*len < (size_t)sb.st_size) {
		ssize_t r = read(fd, *buf + *len, (size_t)sb.st_size - *len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		*len += (size_t)r;
	}
	close(fd);
	(*buf)[*len] = '\0';
	if (*len < (size_t)sb.st_size) {
		snprintf(why, whylen, "%s: read error", path);
		free(*buf);
		*buf = NULL;
		return -ARAS_E_IO;
	}
	return 1;
}

int aras_state_load(struct aras_state *st, const char *path, char *why, size_t whylen)
{
	char *buf;
	size_t len;
	int rc = aras_file_read(path, ARAS_STATE_MAX_BYTES, "larger than 64 MiB: not a state file", &buf,
				&len, why, whylen);

	if (rc <= 0)
		return rc;
	rc = aras_state_parse(st, buf, len, path, why, whylen);
	free(buf);
	return rc;
}
