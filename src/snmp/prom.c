/*
 * prom.c - the /metrics text: ARAS-MIB as snmp_exporter's module arasd
 * renders it (prom.h), from the generated table prom_table.h and mib.c's
 * encoders.  One pass per render: the rows of each table are collected
 * once with their label text (name, host, UUID), then every metric is
 * printed over them; a metric without any series prints nothing, as
 * snmp_exporter prints no family it has no sample for.
 */
#include "prom.h"

#include "mib.h"
#include "prom_table.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

/* ---- the buffer ---- */

static int out_reserve(struct aras_prom_out *o, size_t more)
{
	size_t cap;
	char *p;

	if (o->oom)
		return -1;
	if (o->len + more <= o->cap)
		return 0;
	cap = o->cap ? o->cap : 65536;
	while (cap < o->len + more)
		cap *= 2;
	p = realloc(o->buf, cap);
	if (!p) {
		o->oom = 1;
		return -1;
	}
	o->buf = p;
	o->cap = cap;
	return 0;
}

static void out_mem(struct aras_prom_out *o, const char *s, size_t n)
{
	if (out_reserve(o, n) < 0)
		return;
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void out_str(struct aras_prom_out *o, const char *s)
{
	out_mem(o, s, strlen(s));
}

static void out_u64(struct aras_prom_out *o, uint64_t v)
{
	char tmp[24];
	size_t n = sizeof(tmp);

	do {
		tmp[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	out_mem(o, tmp + n, sizeof(tmp) - n);
}

static void out_i64(struct aras_prom_out *o, int64_t v)
{
	if (v < 0) {
		out_mem(o, "-", 1);
		out_u64(o, (uint64_t)0 - (uint64_t)v);
	} else {
		out_u64(o, (uint64_t)v);
	}
}

void aras_prom_out_free(struct aras_prom_out *o)
{
	if (!o)
		return;
	free(o->buf);
	memset(o, 0, sizeof(*o));
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if none. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

void aras_prom_label_value(struct aras_prom_out *o, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		size_t n = utf8_len(p + i, len - i);

		if (n == 0) {
			out_mem(o, "\xef\xbf\xbd", 3); /* U+FFFD */
			i++;
		} else if (p[i] == '\\') {
			out_mem(o, "\\\\", 2), i++;
		} else if (p[i] == '"') {
			out_mem(o, "\\\"", 2), i++;
		} else if (p[i] == '\n') {
			out_mem(o, "\\n", 2), i++;
		} else {
			out_mem(o, s + i, n);
			i += n;
		}
	}
}

/* ---- the rows of a table, with their labels ---- */

static const enum aras_mib_table mib_of[] = {
	[ARAS_PROM_STATUS] = ARAS_MIB_STATUS,
	[ARAS_PROM_HOST] = ARAS_MIB_HOST,
	[ARAS_PROM_VM] = ARAS_MIB_VM,
	[ARAS_PROM_GROUP] = ARAS_MIB_GROUP,
};

/*
 * A table's rows: each row's labels rendered once (name="value" pieces,
 * in the table's label order) into one arena; lab[r * nlabels + k] is the
 * offset of row r's piece k, lab[... + nlabels] its end.
 */
struct rows {
	enum aras_prom_src src;
	const void **obj;
	size_t n, cap;
	struct aras_prom_out arena;
	size_t *lab;
	int oom;
};

static void row_add(const void *obj, void *arg)
{
	struct rows *r = arg;

	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 256;
		const void **p = realloc(r->obj, cap * sizeof(*p));

		if (!p) {
			r->oom = 1;
			return;
		}
		r->obj = p;
		r->cap = cap;
	}
	r->obj[r->n++] = obj;
}

static int rows_load(struct rows *r, enum aras_prom_src src)
{
	const struct aras_prom_table *tb = &prom_tables[src];
	enum aras_mib_table t = mib_of[src];
	size_t per = tb->nlabels + 1;

	memset(r, 0, sizeof(*r));
	r->src = src;
	if (aras_mib_rows(t, row_add, r) < 0 || r->oom)
		return -1;
	r->lab = malloc((r->n ? r->n : 1) * per * sizeof(*r->lab));
	if (!r->lab)
		return -1;
	for (size_t i = 0; i < r->n; i++) {
		for (unsigned k = 0; k < tb->nlabels; k++) {
			netsnmp_variable_list var;
			char idx[64];

			r->lab[i * per + k] = r->arena.len;
			out_str(&r->arena, tb->labels[k].name);
			out_mem(&r->arena, "=\"", 2);
			if (tb->labels[k].col == 0) {
				size_t n = aras_mib_index_text(t, r->obj[i], idx, sizeof(idx));

				aras_prom_label_value(&r->arena, idx, n < sizeof(idx) ? n : sizeof(idx) - 1);
			} else if (aras_mib_value(t, tb->labels[k].col, r->obj[i], &var) == 0) {
				/* a lookup column: its text (snmp_exporter: "" when absent) */
				if (var.type == ASN_OCTET_STR)
					aras_prom_label_value(&r->arena, (const char *)var.val.string,
							      var.val_len);
				snmp_free_var_internals(&var);
			}
			out_mem(&r->arena, "\"", 1);
		}
		r->lab[i * per + tb->nlabels] = r->arena.len;
	}
	return r->arena.oom ? -1 : 0;
}

static void rows_free(struct rows *r)
{
	free(r->obj);
	free(r->lab);
	aras_prom_out_free(&r->arena);
	memset(r, 0, sizeof(*r));
}

/* ---- one metric ---- */

struct series {
	struct aras_prom_out *o;
	const struct aras_prom_metric *m;
	const struct rows *rows; /* NULL: a scalar */
	int headed;              /* HELP and TYPE printed */
};

/*
 * The start of one series of row i up to its value: family{labels} with the
 * own-value label (self, selflen bytes, NULL: none) at its sorted place.
 */
static void series_open(struct series *s, size_t i, const char *self, size_t selflen)
{
	const struct aras_prom_metric *m = s->m;
	const struct aras_prom_table *tb = &prom_tables[m->src];
	unsigned nl = s->rows ? tb->nlabels : 0;
	int first = 1;

	if (!s->headed) {
		out_str(s->o, "# HELP ");
		out_str(s->o, m->family);
		out_mem(s->o, " ", 1);
		out_str(s->o, m->help);
		out_str(s->o, "\n# TYPE ");
		out_str(s->o, m->family);
		out_str(s->o, m->kind == ARAS_PROM_COUNTER ? " counter\n" : " gauge\n");
		s->headed = 1;
	}
	out_str(s->o, m->family);
	if (nl == 0 && !self) {
		out_mem(s->o, " ", 1);
		return;
	}
	out_mem(s->o, "{", 1);
	for (unsigned k = 0; k <= nl; k++) {
		if (self && (int)k == m->self_pos) {
			if (!first)
				out_mem(s->o, ",", 1);
			out_str(s->o, m->name);
			out_mem(s->o, "=\"", 2);
			out_mem(s->o, self, selflen); /* escaped by the caller */
			out_mem(s->o, "\"", 1);
			first = 0;
		}
		if (k < nl) {
			size_t per = tb->nlabels + 1, a = s->rows->lab[i * per + k],
			       b = s->rows->lab[i * per + k + 1];

			if (!first)
				out_mem(s->o, ",", 1);
			out_mem(s->o, s->rows->arena.buf + a, b - a);
			first = 0;
		}
	}
	out_mem(s->o, "} ", 2);
}

static const char *enum_name(const struct aras_prom_metric *m, long v)
{
	for (unsigned k = 0; k < m->nenums; k++)
		if (prom_enums[m->enum_first + k].value == v)
			return prom_enums[m->enum_first + k].name;
	return NULL;
}

static void series_of(struct series *s, size_t i, const netsnmp_variable_list *var)
{
	const struct aras_prom_metric *m = s->m;
	char num[24];
	const char *name;
	int64_t v = 0;

	switch (var->type) {
	case ASN_INTEGER: v = *var->val.integer; break;
	case ASN_COUNTER:
	case ASN_GAUGE:
	case ASN_TIMETICKS:
	case ASN_UINTEGER: v = (int64_t)(uint32_t)*var->val.integer; break;
	case ASN_COUNTER64:
		v = (int64_t)(((uint64_t)var->val.counter64->high << 32) | (uint32_t)var->val.counter64->low);
		break;
	}
	switch (m->kind) {
	case ARAS_PROM_GAUGE:
	case ARAS_PROM_COUNTER:
		series_open(s, i, NULL, 0);
		if (var->type == ASN_COUNTER64)
			out_u64(s->o, (uint64_t)v);
		else
			out_i64(s->o, v);
		out_mem(s->o, "\n", 1);
		break;
	case ARAS_PROM_STATESET: {
		int found = 0;

		for (unsigned k = 0; k < m->nenums; k++) {
			const struct aras_prom_enum *e = &prom_enums[m->enum_first + k];

			series_open(s, i, e->name, strlen(e->name));
			out_str(s->o, e->value == v ? "1\n" : "0\n");
			found |= e->value == v;
		}
		if (!found) { /* a value the MIB does not name: its number, set */
			snprintf(num, sizeof(num), "%lld", (long long)v);
			series_open(s, i, num, strlen(num));
			out_str(s->o, "1\n");
		}
		break;
	}
	case ARAS_PROM_INFO:
		name = enum_name(m, (long)v);
		if (!name) {
			snprintf(num, sizeof(num), "%lld", (long long)v);
			name = num;
		}
		series_open(s, i, name, strlen(name));
		out_str(s->o, "1\n");
		break;
	case ARAS_PROM_TEXT: {
		struct aras_prom_out esc = { 0 };

		if (var->type == ASN_OCTET_STR)
			aras_prom_label_value(&esc, (const char *)var->val.string, var->val_len);
		if (esc.oom) {
			s->o->oom = 1;
		} else {
			series_open(s, i, esc.buf ? esc.buf : "", esc.len);
			out_str(s->o, "1\n");
		}
		aras_prom_out_free(&esc);
		break;
	}
	case ARAS_PROM_BITS:
		/* BITS: bit k is bit 7 - k % 8 of octet k / 8 */
		for (unsigned k = 0; k < m->nenums; k++) {
			const struct aras_prom_enum *e = &prom_enums[m->enum_first + k];
			unsigned b = (unsigned)e->value;
			int set = var->type == ASN_OCTET_STR && b / 8 < var->val_len &&
				  (var->val.string[b / 8] & (0x80 >> (b % 8)));

			series_open(s, i, e->name, strlen(e->name));
			out_str(s->o, set ? "1\n" : "0\n");
		}
		break;
	}
}

static void metric(struct aras_prom_out *o, const struct aras_prom_metric *m, const struct rows *rows)
{
	struct series s = { o, m, rows, 0 };
	netsnmp_variable_list var;

	if (!rows) {
		int rc = m->src == ARAS_PROM_CONFIG ? aras_mib_config_value(m->col, &var) :
						      aras_mib_value(ARAS_MIB_STATUS, m->col, NULL, &var);

		if (rc == 0) {
			series_of(&s, 0, &var);
			snmp_free_var_internals(&var);
		}
		return;
	}
	for (size_t i = 0; i < rows->n && !o->oom; i++) {
		if (aras_mib_value(mib_of[m->src], m->col, rows->obj[i], &var) < 0)
			continue; /* a sparse column: no instance, no series */
		series_of(&s, i, &var);
		snmp_free_var_internals(&var);
	}
}

int aras_prom_render(struct aras_prom_out *o)
{
	struct rows rows[ARAS_PROM_GROUP + 1];
	int rc = 0;

	memset(rows, 0, sizeof(rows));
	for (int src = ARAS_PROM_HOST; src <= ARAS_PROM_GROUP; src++)
		if (rows_load(&rows[src], (enum aras_prom_src)src) < 0)
			rc = -1;
	for (size_t k = 0; rc == 0 && k < sizeof(prom_metrics) / sizeof(prom_metrics[0]) && !o->oom; k++) {
		const struct aras_prom_metric *m = &prom_metrics[k];

		metric(o, m, m->src >= ARAS_PROM_HOST ? &rows[m->src] : NULL);
	}
	for (int src = ARAS_PROM_HOST; src <= ARAS_PROM_GROUP; src++)
		rows_free(&rows[src]);
	if (o->oom)
		rc = -1;
	return rc;
}
