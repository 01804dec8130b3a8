/*
 * trace.c - loaders for the three trace formats (see trace.h).  Each reads
 * the whole input, checks it line by line (a bad line is an error naming
 * the file and line, never skipped silently) and fills the sample matrix.
 */
#include "trace.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TRACE_STEP_S 300

static int tr_fail(char *why, size_t whylen, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int tr_fail(char *why, size_t whylen, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return rc;
}

void aras_trace_uuid(size_t i, uint8_t uuid[ARAS_UUID_LEN])
{
	/* "arasreplay" + big-endian index: memcmp order is trace order. */
	static const uint8_t prefix[8] = { 0x61, 0x72, 0x61, 0x73, 0x72, 0x70, 0x6c, 0x79 };

	memcpy(uuid, prefix, sizeof(prefix));
	for (int b = 0; b < 8; b++)
		uuid[15 - b] = (uint8_t)((uint64_t)i >> (8 * b));
}

const char *aras_trace_format_name(int format)
{
	switch (format) {
	case ARAS_TRACE_PLANETLAB: return "planetlab";
	case ARAS_TRACE_BITBRAINS: return "bitbrains";
	case ARAS_TRACE_HISTORY: return "history";
	}
	return "auto";
}

void aras_trace_free(struct aras_trace *t)
{
	if (!t)
		return;
	/* a load that failed may have counted VMs before their array exists */
	for (size_t i = 0; t->vms && i < t->nvms; i++)
		free(t->vms[i].name);
	free(t->vms);
	free(t->cpu);
	free(t->mem_kib);
	free(t->io_kibs);
	memset(t, 0, sizeof(*t));
}

/* Compact a [vm * old + k] matrix to [vm * n + k]. */
static void shrink_matrix(float *m, size_t nvms, size_t old, size_t n)
{
	if (!m)
		return;
	for (size_t v = 1; v < nvms; v++)
		memmove(&m[v * n], &m[v * old], n * sizeof(*m));
}

void aras_trace_truncate(struct aras_trace *t, size_t nsteps)
{
	if (!nsteps || nsteps >= t->nsteps)
		return;
	shrink_matrix(t->cpu, t->nvms, t->nsteps, nsteps);
	shrink_matrix(t->mem_kib, t->nvms, t->nsteps, nsteps);
	shrink_matrix(t->io_kibs, t->nvms, t->nsteps, nsteps);
	t->nsteps = nsteps;
}

void aras_trace_keep_vms(struct aras_trace *t, size_t nvms)
{
	if (!nvms || nvms >= t->nvms)
		return;
	for (size_t i = nvms; i < t->nvms; i++)
		free(t->vms[i].name);
	/* the matrices are VM-major: the first nvms rows stay where they are */
	t->nvms = nvms;
}

/* VMs x steps within the limits (trace.h)?  0, or an error in why. */
static int check_size(size_t nvms, size_t nsteps, const char *path, size_t lineno, char *why, size_t whylen)
{
	char at[32] = "";

	if (lineno)
		snprintf(at, sizeof(at), ":%zu", lineno);
	if (nsteps > ARAS_TRACE_MAX_STEPS)
		return tr_fail(why, whylen, -ARAS_E_RANGE, "%s%s: %zu steps, at most %u", path, at, nsteps,
			       ARAS_TRACE_MAX_STEPS);
	if (nvms && nsteps > ARAS_TRACE_MAX_SAMPLES / nvms)
		return tr_fail(why, whylen, -ARAS_E_RANGE,
			       "%s%s: %zu VMs x %zu steps is more than %u samples", path, at, nvms, nsteps,
			       ARAS_TRACE_MAX_SAMPLES);
	return 0;
}

static int blank_or_comment(const char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	return *s == '\0' || *s == '#';
}

static void chomp(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

/* ---- PlanetLab: "NAME<TAB>U1 U2 ... Un" -------------------------------- */

static int load_planetlab(const char *path, struct aras_trace *t, char *why, size_t whylen)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, lineno = 0, capvms = 0;
	float *row = NULL;
	size_t caprow = 0;
	int rc = 0;

	if (!f)
		return tr_fail(why, whylen, -ARAS_E_IO, "%s: %s", path, strerror(errno));
	t->cpu_unit = ARAS_CPU_PCT_OF_REQ;
	t->step_s = TRACE_STEP_S;
	while (getline(&line, &cap, f) > 0) {
		char *p, *name, *end;
		size_t n = 0;

		lineno++;
		chomp(line);
		if (blank_or_comment(line))
			continue;
		p = line;
		while (isspace((unsigned char)*p))
			p++;
		name = p;
		/* the name ends at the tab (some names hold a space), else at a blank */
		if (strchr(p, '\t'))
			p = strchr(p, '\t');
		else
			while (*p && !isspace((unsigned char)*p))
				p++;
		if (!*p) {
			rc = tr_fail(why, whylen, -ARAS_E_INVAL, "%s:%zu: a name and CPU samples expected",
				     path, lineno);
			goto out;
		}
		*p++ = '\0';
		for (;;) {
			double v;

			while (isspace((unsigned char)*p))
				p++;
			if (!*p)
				break;
			errno = 0;
			v = strtod(p, &end);
			if (end == p || errno || !(v >= 0) || v > 1000 ||
			    (*end && !isspace((unsigned char)*end))) {
				rc = tr_fail(why, whylen, -ARAS_E_INVAL,
					     "%s:%zu: sample %zu is not a percentage", path, lineno, n + 1);
				goto out;
			}
			if (n == ARAS_TRACE_MAX_STEPS) {
				rc = check_size(1, n + 1, path, lineno, why, whylen);
				goto out;
			}
			if (n == caprow) {
				float *nr = realloc(row, (caprow ? caprow * 2 : 512) * sizeof(*nr));

				if (!nr) {
					rc = -ARAS_E_NOMEM;
					goto out;
				}
				row = nr;
				caprow = caprow ? caprow * 2 : 512;
			}
			row[n++] = (float)v;
			p = end;
		}
		if (!n) {
			rc = tr_fail(why, whylen, -ARAS_E_INVAL, "%s:%zu: no CPU samples", path, lineno);
			goto out;
		}
		if (t->nvms == 0) {
			t->nsteps = n;
		} else if (n != t->nsteps) {
			rc = tr_fail(why, whylen, -ARAS_E_INVAL, "%s:%zu: %zu samples, the first VM has %zu",
				     path, lineno, n, t->nsteps);
			goto out;
		}
		if ((rc = check_size(t->nvms + 1, n, path, lineno, why, whylen)) < 0)
			goto out;
		if (t->nvms == capvms) {
			size_t nc = capvms ? capvms * 2 : 256;
			struct aras_trace_vm *nv = realloc(t->vms, nc * sizeof(*nv));
			float *ncpu;

			if (!nv) {
				rc = -ARAS_E_NOMEM;
				goto out;
			}
			t->vms = nv;
			if (nc > ARAS_TRACE_MAX_SAMPLES / t->nsteps)
				nc = ARAS_TRACE_MAX_SAMPLES / t->nsteps;
			ncpu = realloc(t->cpu, nc * t->nsteps * sizeof(*ncpu));
			if (!ncpu) {
				rc = -ARAS_E_NOMEM;
				goto out;
			}
			t->cpu = ncpu;
			capvms = nc;
		}
		memset(&t->vms[t->nvms], 0, sizeof(t->vms[0]));
		t->vms[t->nvms].name = strdup(name);
		if (!t->vms[t->nvms].name) {
			rc = -ARAS_E_NOMEM;
			goto out;
		}
		aras_trace_uuid(t->nvms, t->vms[t->nvms].uuid);
		memcpy(&t->cpu[t->nvms * t->nsteps], row, n * sizeof(*row));
		t->nvms++;
	}
	if (!t->nvms)
		rc = tr_fail(why, whylen, -ARAS_E_INVAL, "%s: no VM in the trace", path);
out:
	free(row);
	free(line);
	fclose(f);
	return rc;
}

/* ---- Bitbrains (GWA-T-12): vmN.csv, "v;\tv;\t..." --------------------------- */

struct bb_row {
	double cores, cap_mhz, use_mhz, use_pct, mem_prov, mem_use, rd, wr;
};

/* Split the ';'-separated fields of one line; returns how many. */
static int bb_fields(char *line, double *v, int max, int *bad)
{
	int n = 0;
	char *p = line;

	*bad = 0;
	while (n < max) {
		char *end;

		while (isspace((unsigned char)*p))
			p++;
		errno = 0;
		v[n] = strtod(p, &end);
		/* nan, inf and 1e300 would reach float and integer conversions */
		if (end == p || errno || !isfinite(v[n]) || v[n] < 0 || v[n] > ARAS_TRACE_MAX_FIELD)
			*bad = 1;
		n++;
		p = strchr(end, ';');
		if (!p)
			break;
		p++;
	}
	return n;
}

struct bb_file {
	char *path;
	char *name;
	long num;
};

static int bb_cmp(const void *a, const void *b)
{
	const struct bb_file *x = a, *y = b;

	if (x->num != y->num)
		return x->num < y->num ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Read one Bitbrains file into rows (allocated). */
static int bb_read(const char *path, struct bb_row **rows_out, size_t *nrows, char *why, size_t whylen)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, lineno = 0, n = 0, caprows = 0;
	struct bb_row *rows = NULL;
	int rc = 0;

	if (!f)
		return tr_fail(why, whylen, -ARAS_E_IO, "%s: %s", path, strerror(errno));
	while (getline(&line, &cap, f) > 0) {
		double v[11];
		int bad, nf;

		lineno++;
		chomp(line);
		if (blank_or_comment(line))
			continue;
		if (lineno == 1 && !isdigit((unsigned char)line[0]))
			continue; /* header */
		nf = bb_fields(line, v, 11, &bad);
		if (nf >= 9 && !bad && !(v[1] >= 0 && v[1] <= ARAS_TRACE_MAX_VCPUS)) {
			rc = tr_fail(why, whylen, -ARAS_E_INVAL, "%s:%zu: %g cores (0..%u)", path, lineno,
				     v[1], ARAS_TRACE_MAX_VCPUS);
			goto out;
		}
		if (nf < 9 || bad) {
			rc = tr_fail(why, whylen, -ARAS_E_INVAL,
				     "%s:%zu: expected 11 ';'-separated numbers from 0 to 1e12 (timestamp; "
				     "cores; capacity MHz; usage MHz; usage %%; memory KB; memory used KB; "
				     "disk read KB/s; disk write KB/s; ...)",
				     path, lineno);
			goto out;
		}
		if (n == ARAS_TRACE_MAX_STEPS) {
			rc = check_size(1, n + 1, path, lineno, why, whylen);
			goto out;
		}
		if (n == caprows) {
			size_t nc = caprows ? caprows * 2 : 2048;
			struct bb_row *nr = realloc(rows, nc * sizeof(*nr));

			if (!nr) {
				rc = -ARAS_E_NOMEM;
				goto out;
			}
			rows = nr;
			caprows = nc;
		}
		rows[n].cores = v[1];
		rows[n].cap_mhz = v[2];
		rows[n].use_mhz = v[3];
		rows[n].use_pct = v[4];
		rows[n].mem_prov = v[5];
		rows[n].mem_use = v[6];
		rows[n].rd = v[7];
		rows[n].wr = v[8];
		n++;
	}
out:
	free(line);
	fclose(f);
	if (rc < 0) {
		free(rows);
		return rc;
	}
	*rows_out = rows;
	*nrows = n;
	return 0;
}

static int load_bitbrains(const char *path, struct aras_trace *t, char *why, size_t whylen)
{
	struct stat sb;
	struct bb_file *files = NULL;
	size_t nfiles = 0;
	struct bb_row **rows = NULL;
	size_t *nrows = NULL;
	int rc = 0;

	t->cpu_unit = ARAS_CPU_MHZ;
	t->step_s = TRACE_STEP_S;
	if (stat(path, &sb) < 0)
		return tr_fail(why, whylen, -ARAS_E_IO, "%s: %s", path, strerror(errno));
	if (S_ISDIR(sb.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *e;
		size_t capf = 0;

		if (!d)
			return tr_fail(why, whylen, -ARAS_E_IO, "%s: %s", path, strerror(errno));
		while ((e = readdir(d)) != NULL) {
			size_t len = strlen(e->d_name);

			if (len < 5 || strcmp(e->d_name + len - 4, ".csv") != 0)
				continue;
			if (nfiles == capf) {
				struct bb_file *nf = realloc(files, (capf ? capf * 2 : 128) * sizeof(*nf));

				if (!nf) {
					rc = -ARAS_E_NOMEM;
					break;
				}
				files = nf;
				capf = capf ? capf * 2 : 128;
			}
			files[nfiles].name = strdup(e->d_name);
			if (asprintf(&files[nfiles].path, "%s/%s", path, e->d_name) < 0)
				files[nfiles].path = NULL;
			if (!files[nfiles].name || !files[nfiles].path) {
				free(files[nfiles].name);
				free(files[nfiles].path);
				rc = -ARAS_E_NOMEM;
				break;
			}
			{
				const char *q = e->d_name;

				while (*q && !isdigit((unsigned char)*q))
					q++;
				files[nfiles].num = *q ? strtol(q, NULL, 10) : -1;
			}
			nfiles++;
		}
		closedir(d);
		if (rc < 0)
			goto out;
		if (!nfiles) {
			rc = tr_fail(why, whylen, -ARAS_E_INVAL, "%s: no .csv file", path);
			goto out;
		}
		/* readdir order is not defined: sort by the number in the name */
		qsort(files, nfiles, sizeof(*files), bb_cmp);
	} else {
		const char *base = strrchr(path, '/');

		files = calloc(1, sizeof(*files));
		if (!files)
			return -ARAS_E_NOMEM;
		files[0].path = strdup(path);
		files[0].name = strdup(base ? base + 1 : path);
		nfiles = 1;
		if (!files[0].path || !files[0].name) {
			rc = -ARAS_E_NOMEM;
			goto out;
		}
	}
	rows = calloc(nfiles, sizeof(*rows));
	nrows = calloc(nfiles, sizeof(*nrows));
	t->vms = calloc(nfiles, sizeof(*t->vms));
	if (!rows || !nrows || !t->vms) {
		rc = -ARAS_E_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < nfiles; i++) {
		rc = bb_read(files[i].path, &rows[i], &nrows[i], why, whylen);
		if (rc < 0)
			goto out;
		if (nrows[i] > t->nsteps)
			t->nsteps = nrows[i];
	}
	if (!t->nsteps) {
		rc = tr_fail(why, whylen, -ARAS_E_INVAL, "%s: no samples", path);
		goto out;
	}
	if ((rc = check_size(nfiles, t->nsteps, path, 0, why, whylen)) < 0)
		goto out;
	t->cpu = calloc(nfiles * t->nsteps, sizeof(*t->cpu));
	t->mem_kib = calloc(nfiles * t->nsteps, sizeof(*t->mem_kib));
	t->io_kibs = calloc(nfiles * t->nsteps, sizeof(*t->io_kibs));
	if (!t->cpu || !t->mem_kib || !t->io_kibs) {
		rc = -ARAS_E_NOMEM;
		goto out;
	}
	/*
	 * Samples are aligned by position (sample k of every VM is step k):
	 * the files start at different times and drift by a second or two.
	 * A VM's size is its largest provisioned figures; a line with 0 cores
	 * (the VM was not running) has no demand.
	 */
	for (size_t i = 0; i < nfiles; i++) {
		struct aras_trace_vm *vm = &t->vms[t->nvms];
		char *dot;

		vm->name = strdup(files[i].name);
		if (!vm->name) {
			rc = -ARAS_E_NOMEM;
			goto out;
		}
		dot = strrchr(vm->name, '.');
		if (dot)
			*dot = '\0';
		aras_trace_uuid(t->nvms, vm->uuid);
		for (size_t k = 0; k < nrows[i]; k++) {
			const struct bb_row *r = &rows[i][k];
			size_t at = t->nvms * t->nsteps + k;

			if (r->cores <= 0)
				continue;
			if ((unsigned)r->cores > vm->cores)
				vm->cores = (unsigned)r->cores;
			if (r->cap_mhz > vm->req_mhz)
				vm->req_mhz = r->cap_mhz;
			if ((uint64_t)r->mem_prov > vm->mem_kib)
				vm->mem_kib = (uint64_t)r->mem_prov;
			t->cpu[at] = (float)(r->use_mhz > 0 ? r->use_mhz : 0);
			t->mem_kib[at] = (float)(r->mem_use > 0 ? r->mem_use : 0);
			t->io_kibs[at] = (float)((r->rd > 0 ? r->rd : 0) + (r->wr > 0 ? r->wr : 0));
		}
		t->nvms++;
	}
out:
	for (size_t i = 0; i < nfiles; i++) {
		free(files[i].path);
		free(files[i].name);
		if (rows)
			free(rows[i]);
	}
	free(files);
	free(rows);
	free(nrows);
	return rc;
}

/* ---- arasd history ----------------------------------------------------- */

struct hist_rec {
	long long t;
	unsigned host;
	uint8_t uuid[ARAS_UUID_LEN];
	double cpu_pct, mem_pct, io_pct;
	unsigned vcpus;
	unsigned long long mem_kib;
	size_t order; /* line order, to find a VM's first line */
	size_t lineno;
};

static int hist_uuid_cmp(const void *a, const void *b)
{
	const struct hist_rec *x = a, *y = b;
	int c = memcmp(x->uuid, y->uuid, ARAS_UUID_LEN);

	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Next blank-separated field of *p (NUL-terminated in place), or NULL. */
static char *hist_field(char **p)
{
	char *s = *p, *e;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return NULL;
	e = s;
	while (*e && *e != ' ' && *e != '\t')
		e++;
	if (*e)
		*e++ = '\0';
	*p = e;
	return s;
}

/* A decimal integer 0..max, digits only (no sign, no blanks). */
static int hist_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return (*end || errno || *out > max) ? -1 : 0;
}

/* A finite number 0..1000 (a percentage). */
static int hist_pct(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return (end == s || *end || errno || !(*out >= 0 && *out <= 1000)) ? -1 : 0;
}

/* Parse one history line (in place); 0 or -1 with the field at fault in *what. */
static int hist_parse(char *line, struct hist_rec *r, const char **what)
{
	char *p = line, *f[9];
	unsigned long long u;

	for (int i = 0; i < 9; i++)
		f[i] = hist_field(&p);
	*what = "8 fields";
	if (!f[7] || f[8])
		return -1;
	*what = "T_UNIX (0..2^40)";
	if (hist_uint(f[0], 1ull << 40, &u) < 0)
		return -1;
	r->t = (long long)u;
	*what = "HOST_INDEX (1..65535)";
	if (hist_uint(f[1], 65535, &u) < 0 || u == 0)
		return -1;
	r->host = (unsigned)u;
	*what = "UUID";
	if (aras_uuid_parse(f[2], r->uuid) < 0)
		return -1;
	*what = "CPU_PCT (0..1000)";
	if (hist_pct(f[3], &r->cpu_pct) < 0)
		return -1;
	*what = "VCPUS (0..4096)";
	if (hist_uint(f[4], ARAS_TRACE_MAX_VCPUS, &u) < 0)
		return -1;
	r->vcpus = (unsigned)u;
	*what = "MEM_CUR_KIB (0..2^40)";
	if (hist_uint(f[5], ARAS_TRACE_MAX_KIB, &r->mem_kib) < 0)
		return -1;
	*what = "MEM_USAGE_PCT (0..1000)";
	if (hist_pct(f[6], &r->mem_pct) < 0)
		return -1;
	*what = "IO_PCT (0..1000)";
	if (hist_pct(f[7], &r->io_pct) < 0)
		return -1;
	return 0;
}

static int load_history(const char *path, unsigned step_s, struct aras_trace *t, char *why, size_t whylen)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, lineno = 0, n = 0, caprec = 0;
	struct hist_rec *rec = NULL;
	float *cnt = NULL;
	long long t0 = 0, t1 = 0;
	size_t l0 = 0, l1 = 0;
	const char *what = "";
	int rc = 0;

	if (!f)
		return tr_fail(why, whylen, -ARAS_E_IO, "%s: %s", path, strerror(errno));
	t->cpu_unit = ARAS_CPU_CORES;
	t->step_s = step_s ? step_s : TRACE_STEP_S;
	while (getline(&line, &cap, f) > 0) {
		lineno++;
		chomp(line);
		if (blank_or_comment(line))
			continue;
		if (n == caprec) {
			size_t nc = caprec ? caprec * 2 : 4096;
			struct hist_rec *nr = realloc(rec, nc * sizeof(*nr));

			if (!nr) {
				rc = -ARAS_E_NOMEM;
				goto out;
			}
			rec = nr;
			caprec = nc;
		}
		if (hist_parse(line, &rec[n], &what) < 0) {
			rc = tr_fail(why, whylen, -ARAS_E_INVAL,
				     "%s:%zu: expected T_UNIX HOST_INDEX UUID CPU_PCT VCPUS MEM_CUR_KIB "
				     "MEM_USAGE_PCT IO_PCT (bad %s)",
				     path, lineno, what);
			goto out;
		}
		rec[n].order = n;
		rec[n].lineno = lineno;
		if (n == 0 || rec[n].t < t0)
			t0 = rec[n].t, l0 = lineno;
		if (n == 0 || rec[n].t > t1)
			t1 = rec[n].t, l1 = lineno;
		n++;
	}
	if (!n) {
		rc = tr_fail(why, whylen, -ARAS_E_INVAL, "%s: no sample", path);
		goto out;
	}
	qsort(rec, n, sizeof(*rec), hist_uuid_cmp);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || memcmp(rec[i].uuid, rec[i - 1].uuid, ARAS_UUID_LEN) != 0)
			t->nvms++;
	/* both within 0..2^40: no overflow; the span is checked before any allocation */
	if ((uint64_t)(t1 - t0) / t->step_s >= ARAS_TRACE_MAX_STEPS) {
		rc = tr_fail(why, whylen, -ARAS_E_RANGE,
			     "%s:%zu: T_UNIX %lld is %lld s after line %zu's: more than %u steps of %u s",
			     path, l1, t1, t1 - t0, l0, ARAS_TRACE_MAX_STEPS, t->step_s);
		goto out;
	}
	t->nsteps = (size_t)((t1 - t0) / t->step_s) + 1;
	if ((rc = check_size(t->nvms, t->nsteps, path, 0, why, whylen)) < 0)
		goto out;
	t->vms = calloc(t->nvms, sizeof(*t->vms));
	t->cpu = calloc(t->nvms * t->nsteps, sizeof(*t->cpu));
	t->mem_kib = calloc(t->nvms * t->nsteps, sizeof(*t->mem_kib));
	t->io_kibs = calloc(t->nvms * t->nsteps, sizeof(*t->io_kibs));
	cnt = calloc(t->nvms * t->nsteps, sizeof(*cnt));
	if (!t->vms || !t->cpu || !t->mem_kib || !t->io_kibs || !cnt) {
		rc = -ARAS_E_NOMEM;
		goto out;
	}
	{
		size_t v = (size_t)-1;

		for (size_t i = 0; i < n; i++) {
			const struct hist_rec *r = &rec[i];
			size_t at;

			if (i == 0 || memcmp(r->uuid, rec[i - 1].uuid, ARAS_UUID_LEN) != 0) {
				char name[ARAS_UUID_STRLEN];

				/* sorted by uuid, then line order: this is the VM's first line */
				v++;
				aras_uuid_format(r->uuid, name);
				t->vms[v].name = strdup(name);
				if (!t->vms[v].name) {
					rc = -ARAS_E_NOMEM;
					goto out;
				}
				memcpy(t->vms[v].uuid, r->uuid, ARAS_UUID_LEN);
				t->vms[v].cores = r->vcpus ? r->vcpus : 1;
				t->vms[v].mem_kib = r->mem_kib;
				t->vms[v].host = r->host;
			}
			at = v * t->nsteps + (size_t)((r->t - t0) / t->step_s);
			/* demand in cores; memory used in KiB; I/O kept in percent */
			t->cpu[at] += (float)(r->cpu_pct * r->vcpus / 100.0);
			t->mem_kib[at] += (float)(r->mem_pct * (double)r->mem_kib / 100.0);
			t->io_kibs[at] += (float)r->io_pct;
			cnt[at] += 1;
		}
	}
	for (size_t i = 0; i < t->nvms * t->nsteps; i++) {
		if (cnt[i] > 1) {
			t->cpu[i] /= cnt[i];
			t->mem_kib[i] /= cnt[i];
			t->io_kibs[i] /= cnt[i];
		}
	}
out:
	free(cnt);
	free(rec);
	free(line);
	fclose(f);
	return rc;
}

static int guess(const char *path, char *why, size_t whylen)
{
	struct stat sb;
	FILE *f;
	char *line = NULL;
	const char *what;
	size_t cap = 0;
	int fmt = ARAS_TRACE_PLANETLAB;

	if (stat(path, &sb) < 0)
		return tr_fail(why, whylen, -ARAS_E_IO, "%s: %s", path, strerror(errno));
	if (S_ISDIR(sb.st_mode))
		return ARAS_TRACE_BITBRAINS;
	f = fopen(path, "r");
	if (!f)
		return tr_fail(why, whylen, -ARAS_E_IO, "%s: %s", path, strerror(errno));
	while (getline(&line, &cap, f) > 0) {
		struct hist_rec r;

		chomp(line);
		if (strncmp(line, "# arasd history", 15) == 0) {
			fmt = ARAS_TRACE_HISTORY;
			break;
		}
		if (blank_or_comment(line))
			continue;
		if (strchr(line, ';'))
			fmt = ARAS_TRACE_BITBRAINS;
		else if (hist_parse(line, &r, &what) == 0)
			fmt = ARAS_TRACE_HISTORY;
		break;
	}
	free(line);
	fclose(f);
	return fmt;
}

int aras_trace_load(const char *path, int format, unsigned step_s, struct aras_trace *t, char *why,
		    size_t whylen)
{
	int rc;

	memset(t, 0, sizeof(*t));
	if (format == ARAS_TRACE_AUTO) {
		format = guess(path, why, whylen);
		if (format < 0)
			return format;
	}
	t->format = format;
	switch (format) {
	case ARAS_TRACE_PLANETLAB: rc = load_planetlab(path, t, why, whylen); break;
	case ARAS_TRACE_BITBRAINS: rc = load_bitbrains(path, t, why, whylen); break;
	case ARAS_TRACE_HISTORY: rc = load_history(path, step_s, t, why, whylen); break;
	default: rc = tr_fail(why, whylen, -ARAS_E_INVAL, "unknown trace format");
	}
	if (rc < 0) {
		if (rc == -ARAS_E_NOMEM)
			snprintf(why, whylen, "%s: out of memory", path);
		aras_trace_free(t);
	}
	return rc;
}
