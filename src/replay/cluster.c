/*
 * cluster.c - default cluster per trace format, the cluster file, VM
 * sizes, initial placement and the demand matrix (see cluster.h and
 * src/replay/README.md for the model and why these defaults).
 */
#include "cluster.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Beloglazov & Buyya 2012: HP ProLiant ML110 G4 / G5, and the four VM types. */
static const struct {
	const char *name;
	unsigned cores;
	double mhz;
} paper_hosts[2] = { { "g4-", 2, 1860 }, { "g5-", 2, 2660 } };

struct vmtype {
	double mhz;
	uint64_t mem_mib;
};

static const struct vmtype paper_types[4] = { { 2500, 870 }, { 2000, 1740 }, { 1000, 1740 }, { 500, 613 } };

#define MAX_TYPES 64

struct vmline {
	char *name;
	char *host;
	double mhz;
	uint64_t mem_mib;
	unsigned vcpus, vcpus_max;
	size_t lineno;
	int used;
};

struct cfile {
	struct aras_cl_host *hosts;
	size_t nhosts;
	struct vmtype types[MAX_TYPES];
	size_t ntypes;
	unsigned vcpus, vcpus_max;
	double bandwidth;
	unsigned memuse;
	struct vmline *vms;
	size_t nvms;
};

static int cl_fail(char *why, size_t whylen, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int cl_fail(char *why, size_t whylen, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return rc;
}

double aras_cl_host_mhz(const struct aras_cl_host *h)
{
	return h->cores * h->core_mhz;
}

void aras_cluster_free(struct aras_cluster *c)
{
	if (!c)
		return;
	free(c->hosts);
	free(c->vms);
	free(c->demand_mhz);
	free(c->mem_used_kib);
	free(c->io_kibs);
	memset(c, 0, sizeof(*c));
}

static void cfile_free(struct cfile *cf)
{
	for (size_t i = 0; i < cf->nvms; i++) {
		free(cf->vms[i].name);
		free(cf->vms[i].host);
	}
	free(cf->vms);
	free(cf->hosts);
}

static int num(const char *s, double lo, double hi, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return (end != s && *end == '\0' && !errno && *out >= lo && *out <= hi) ? 0 : -1;
}

static int add_host(struct cfile *cf, const char *name, unsigned cores, double mhz, uint64_t mem_mib)
{
	struct aras_cl_host *nh = realloc(cf->hosts, (cf->nhosts + 1) * sizeof(*nh));

	if (!nh)
		return -ARAS_E_NOMEM;
	cf->hosts = nh;
	memset(&nh[cf->nhosts], 0, sizeof(*nh));
	snprintf(nh[cf->nhosts].name, sizeof(nh[cf->nhosts].name), "%s", name);
	nh[cf->nhosts].cores = cores;
	nh[cf->nhosts].core_mhz = mhz;
	nh[cf->nhosts].mem_kib = mem_mib * 1024;
	cf->nhosts++;
	return 0;
}

static int read_file(const char *path, struct cfile *cf, char *why, size_t whylen)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	size_t lineno = 0;
	int rc = 0;

	if (!f)
		return cl_fail(why, whylen, -ARAS_E_IO, "%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char *w[8], *p = line, *hash = strchr(line, '#');
		int n = 0;
		double a, b, c, d, e;

		lineno++;
		if (hash)
			*hash = '\0';
		while (n < 8) {
			while (*p && isspace((unsigned char)*p))
				p++;
			if (!*p)
				break;
			w[n++] = p;
			while (*p && !isspace((unsigned char)*p))
				p++;
			if (*p)
				*p++ = '\0';
		}
		if (n == 0)
			continue;
		if (strcasecmp(w[0], "host") == 0) {
			double count = 1;

			if ((n != 5 && n != 6) || num(w[2], 1, 4096, &a) < 0 || num(w[3], 1, 1e6, &b) < 0 ||
			    num(w[4], 1, 1e9, &c) < 0 || (n == 6 && num(w[5], 1, 100000, &count) < 0)) {
				rc = cl_fail(why, whylen, -ARAS_E_INVAL,
					     "%s:%zu: host NAME CORES MHZ MEM_MIB [COUNT] (cores 1..4096)",
					     path, lineno);
				break;
			}
			for (unsigned k = 0; k < (unsigned)count && rc == 0; k++) {
				char name[64];

				if (count > 1)
					snprintf(name, sizeof(name), "%.50s%u", w[1], k + 1);
				else
					snprintf(name, sizeof(name), "%.60s", w[1]);
				rc = add_host(cf, name, (unsigned)a, b, (uint64_t)c);
			}
		} else if (strcasecmp(w[0], "vmtype") == 0) {
			if (n != 3 || num(w[1], 1, 1e7, &a) < 0 || num(w[2], 1, 1e9, &b) < 0 ||
			    cf->ntypes == MAX_TYPES) {
				rc = cl_fail(why, whylen, -ARAS_E_INVAL,
					     "%s:%zu: vmtype MHZ MEM_MIB (at most %d types)", path, lineno,
					     MAX_TYPES);
				break;
			}
			cf->types[cf->ntypes].mhz = a;
			cf->types[cf->ntypes].mem_mib = (uint64_t)b;
			cf->ntypes++;
		} else if (strcasecmp(w[0], "vcpus") == 0) {
			if (n != 3 || num(w[1], 1, 4096, &a) < 0 || num(w[2], 1, 4096, &b) < 0 || b < a) {
				rc = cl_fail(why, whylen, -ARAS_E_INVAL,
					     "%s:%zu: vcpus START MAX (1 <= START <= MAX)", path, lineno);
				break;
			}
			cf->vcpus = (unsigned)a;
			cf->vcpus_max = (unsigned)b;
		} else if (strcasecmp(w[0], "bandwidth") == 0) {
			if (n != 2 || num(w[1], 1, 1e7, &a) < 0) {
				rc = cl_fail(why, whylen, -ARAS_E_INVAL, "%s:%zu: bandwidth MBIT", path,
					     lineno);
				break;
			}
			cf->bandwidth = a;
		} else if (strcasecmp(w[0], "memuse") == 0) {
			if (n != 2 || num(w[1], 0, 100, &a) < 0) {
				rc = cl_fail(why, whylen, -ARAS_E_INVAL, "%s:%zu: memuse PCT (0..100)", path,
					     lineno);
				break;
			}
			cf->memuse = (unsigned)a;
		} else if (strcasecmp(w[0], "vm") == 0) {
			struct vmline *nv, *v;

			a = b = c = d = e = 0;
			if (n < 3 || n == 4 || n > 7 ||
			    (n >= 5 && (num(w[3], 1, 1e7, &a) < 0 || num(w[4], 1, 1e9, &b) < 0)) ||
			    (n >= 6 && num(w[5], 1, 4096, &c) < 0) ||
			    (n == 7 && (num(w[6], 1, 4096, &d) < 0 || d < c))) {
				rc = cl_fail(why, whylen, -ARAS_E_INVAL,
					     "%s:%zu: vm NAME HOST [MHZ MEM_MIB [VCPUS [VCPUS_MAX]]]", path,
					     lineno);
				break;
			}
			nv = realloc(cf->vms, (cf->nvms + 1) * sizeof(*nv));
			if (!nv) {
				rc = -ARAS_E_NOMEM;
				break;
			}
			cf->vms = nv;
			v = &nv[cf->nvms];
			memset(v, 0, sizeof(*v));
			v->name = strdup(w[1]);
			v->host = strdup(w[2]);
			cf->nvms++;
			if (!v->name || !v->host) {
				rc = -ARAS_E_NOMEM;
				break;
			}
			v->mhz = a;
			v->mem_mib = (uint64_t)b;
			v->vcpus = (unsigned)c;
			v->vcpus_max = (unsigned)(n == 7 ? d : c);
			v->lineno = lineno;
		} else {
			rc = cl_fail(why, whylen, -ARAS_E_INVAL,
				     "%s:%zu: unknown item '%s' (host, vmtype, vcpus, vm, bandwidth, memuse)",
				     path, lineno, w[0]);
			break;
		}
		if (rc < 0)
			break;
	}
	fclose(f);
	return rc;
}

static int find_host(const struct aras_cluster *c, const char *s)
{
	char *end;
	unsigned long idx;

	for (size_t h = 0; h < c->nhosts; h++)
		if (strcmp(c->hosts[h].name, s) == 0)
			return (int)h;
	errno = 0;
	idx = strtoul(s, &end, 10);
	if (*end == '\0' && !errno && idx >= 1 && idx <= c->nhosts)
		return (int)idx - 1;
	return -1;
}

static unsigned ceil_div(unsigned a, unsigned b)
{
	return (a + b - 1) / b;
}

/* The default kind of host of a format: name prefix, cores, MHz, MiB. */
static void default_host(const struct aras_cluster_opts *o, int format, unsigned h, struct aras_cl_host *x)
{
	if (format == ARAS_TRACE_PLANETLAB) {
		/* the paper's two kinds, alternating (CloudSim: type = i % 2) */
		snprintf(x->name, sizeof(x->name), "%s%u", paper_hosts[h % 2].name, h + 1);
		x->cores = paper_hosts[h % 2].cores;
		x->core_mhz = paper_hosts[h % 2].mhz;
		x->mem_kib = 32768ull * 1024;
	} else {
		snprintf(x->name, sizeof(x->name), "host%u", h + 1);
		x->cores = 32;
		x->core_mhz = 2600;
		x->mem_kib = 1048576ull * 1024;
	}
	if (o->host_cores)
		x->cores = o->host_cores;
	if (o->host_mhz > 0)
		x->core_mhz = o->host_mhz;
	if (o->host_mem_mib)
		x->mem_kib = o->host_mem_mib * 1024;
}

int aras_cluster_build(const struct aras_cluster_opts *o, const struct aras_trace *t, struct aras_cluster *c,
		       char *why, size_t whylen)
{
	struct cfile cf;
	uint64_t *mem_used = NULL;
	size_t rr = 0;
	double def_core_mhz;
	int rc = 0;

	memset(c, 0, sizeof(*c));
	memset(&cf, 0, sizeof(cf));
	if (o->file && (rc = read_file(o->file, &cf, why, whylen)) < 0)
		goto out;
	c->nvms = t->nvms;
	c->nsteps = t->nsteps;
	c->bandwidth_mbit = o->bandwidth_mbit ? o->bandwidth_mbit :
			    cf.bandwidth      ? cf.bandwidth :
						ARAS_CL_DEF_BANDWIDTH;
	{
		struct aras_cl_host x;

		default_host(o, t->format, 0, &x);
		def_core_mhz = cf.nhosts ? cf.hosts[0].core_mhz : x.core_mhz;
	}

	/* VM sizes. */
	c->vms = calloc(t->nvms ? t->nvms : 1, sizeof(*c->vms));
	if (!c->vms) {
		rc = -ARAS_E_NOMEM;
		goto out;
	}
	{
		size_t ntypes = cf.ntypes ? cf.ntypes : 4;
		const struct vmtype *types = cf.ntypes ? cf.types : paper_types;
		size_t per_type = (t->nvms + ntypes - 1) / ntypes;

		for (size_t i = 0; i < t->nvms; i++) {
			struct aras_cl_vm *v = &c->vms[i];
			const struct aras_trace_vm *tv = &t->vms[i];

			v->host = (unsigned)-1;
			switch (t->format) {
			case ARAS_TRACE_PLANETLAB:
				/* CloudSim's PlanetLabHelper: VM i gets type i / ceil(n / types) */
				v->type = (unsigned)(i / (per_type ? per_type : 1));
				v->req_mhz = types[v->type].mhz;
				v->mem_kib = types[v->type].mem_mib * 1024;
				v->vcpus = 1;
				v->vcpus_max = 4;
				break;
			case ARAS_TRACE_BITBRAINS:
				/* as provisioned; hot-add up to twice that */
				v->req_mhz = tv->req_mhz;
				v->mem_kib = tv->mem_kib ? tv->mem_kib : 1048576;
				v->vcpus = tv->cores ? tv->cores : 1;
				v->vcpus_max = 2 * v->vcpus;
				break;
			default:
				v->mem_kib = tv->mem_kib ? tv->mem_kib : 1048576;
				v->vcpus = tv->cores ? tv->cores : 1;
				v->vcpus_max = 2 * v->vcpus;
				v->req_mhz = v->vcpus * def_core_mhz;
				break;
			}
			if (cf.vcpus) {
				v->vcpus = cf.vcpus;
				v->vcpus_max = cf.vcpus_max;
			}
			if (o->vcpus_half)
				v->vcpus = (v->vcpus + 1) / 2;
			else if (o->vcpus)
				v->vcpus = o->vcpus;
			if (o->vcpus_max)
				v->vcpus_max = o->vcpus_max;
			if (v->vcpus_max < v->vcpus)
				v->vcpus_max = v->vcpus;
			if (v->req_mhz <= 0)
				v->req_mhz = v->vcpus * def_core_mhz;
		}
	}

	/*
	 * Hosts: the file's, or the format's default kind: as many as --hosts,
	 * or ceil(VMs / --vms-per-host), or (history) the highest HOST_INDEX,
	 * or else enough for a mean CPU utilisation of util_pct over the trace.
	 */
	if (cf.nhosts) {
		c->hosts = cf.hosts;
		c->nhosts = cf.nhosts;
		cf.hosts = NULL;
		if (o->hosts && o->hosts != c->nhosts) {
			rc = cl_fail(why, whylen, -ARAS_E_INCONSIST,
				     "--hosts %u but the cluster file lists %zu hosts", o->hosts, c->nhosts);
			goto out;
		}
		snprintf(c->sizing, sizeof(c->sizing), "from the cluster file");
	} else {
		unsigned nh = o->hosts;
		struct aras_cluster_opts ho = *o; /* the hosts' kind (sizing may give fewer cores) */

		if (nh) {
			snprintf(c->sizing, sizeof(c->sizing), "--hosts");
		} else if (o->vms_per_host) {
			nh = ceil_div((unsigned)t->nvms, o->vms_per_host);
			snprintf(c->sizing, sizeof(c->sizing), "%u VMs per host", o->vms_per_host);
		} else if (t->format == ARAS_TRACE_HISTORY) {
			for (size_t i = 0; i < t->nvms; i++)
				if (t->vms[i].host > nh)
					nh = t->vms[i].host;
			/* a stray HOST_INDEX must not size a cluster of empty hosts that takes minutes */
			if (nh > ARAS_CL_MAX_RECORDED_HOSTS) {
				rc = cl_fail(why, whylen, -ARAS_E_RANGE,
					     "the trace's largest HOST_INDEX is %u: more than %u hosts; give "
					     "--hosts or --cluster",
					     nh, ARAS_CL_MAX_RECORDED_HOSTS);
				goto out;
			}
			snprintf(c->sizing, sizeof(c->sizing), "the recorded host indexes");
		} else {
			double total = 0, cap = 0;
			unsigned util = o->util_pct ? o->util_pct : ARAS_CL_DEF_UTIL;
			struct aras_cl_host x;

			for (size_t i = 0; i < t->nvms; i++) {
				double sum = 0;

				for (size_t k = 0; k < t->nsteps; k++)
					sum += t->cpu_unit == ARAS_CPU_PCT_OF_REQ ?
						       t->cpu[i * t->nsteps + k] / 100.0 * c->vms[i].req_mhz :
						       t->cpu[i * t->nsteps + k];
				total += sum / (double)(t->nsteps ? t->nsteps : 1);
			}
			/* mean capacity of the default kinds (PlanetLab: two alternating) */
			for (unsigned h = 0; h < 2; h++) {
				default_host(o, t->format, h, &x);
				cap += aras_cl_host_mhz(&x) / 2;
			}
			{
				double need = total / (cap * util / 100.0), mem = 0;

				nh = (unsigned)need;
				if ((double)nh < need)
					nh++;
				/* and at least enough memory for every VM with a quarter to spare */
				for (size_t i = 0; i < t->nvms; i++)
					mem += (double)c->vms[i].mem_kib;
				need = mem / ((double)x.mem_kib * 0.75);
				if ((double)nh < need) {
					nh = (unsigned)need;
					if ((double)nh < need)
						nh++;
					mem = -1;
				}
				if (mem < 0)
					snprintf(c->sizing, sizeof(c->sizing),
						 "the VMs' memory with a quarter to spare (more than for "
						 "%u%% mean CPU)",
						 util);
			}
			if (!c->sizing[0])
				snprintf(c->sizing, sizeof(c->sizing),
					 "mean CPU utilisation %u%% over the trace (%.0f MHz mean demand)",
					 util, total);
			/* never a cluster where no migration can help (see ARAS_CL_MIN_HOSTS) */
			if (nh < ARAS_CL_MIN_HOSTS) {
				size_t len = strlen(c->sizing);
				unsigned cores = 0, vmax = 1;

				if (!o->host_cores && t->format != ARAS_TRACE_PLANETLAB) {
					/* smaller hosts keep the utilisation: as few cores as give it on
					 * the minimum, never fewer than the largest VM's vCPUs */
					default_host(o, t->format, 0, &x);
					cores = (unsigned)(total /
							   (ARAS_CL_MIN_HOSTS * x.core_mhz * util / 100.0)) +
						1;
					for (size_t i = 0; i < t->nvms; i++)
						if (c->vms[i].vcpus > vmax)
							vmax = c->vms[i].vcpus;
					if (cores < vmax)
						cores = vmax;
					if (cores >= x.cores)
						cores = 0;
				}
				if (cores) {
					ho.host_cores = cores;
					snprintf(c->sizing + len, sizeof(c->sizing) - len,
						 "; the minimum of %u hosts, of %u cores each to keep it",
						 ARAS_CL_MIN_HOSTS, cores);
				} else {
					snprintf(c->sizing + len, sizeof(c->sizing) - len,
						 "; raised from %u to the minimum of %u hosts", nh,
						 ARAS_CL_MIN_HOSTS);
				}
				nh = ARAS_CL_MIN_HOSTS;
			}
		}
		if (!nh)
			nh = 1;
		c->hosts = calloc(nh, sizeof(*c->hosts));
		if (!c->hosts) {
			rc = -ARAS_E_NOMEM;
			goto out;
		}
		c->nhosts = nh;
		for (unsigned h = 0; h < nh; h++)
			default_host(&ho, t->format, h, &c->hosts[h]);
	}

	/* vm lines: explicit placement and sizes */
	for (size_t k = 0; k < cf.nvms; k++) {
		struct vmline *l = &cf.vms[k];
		size_t i;
		int h;

		for (i = 0; i < t->nvms && strcmp(t->vms[i].name, l->name) != 0; i++)
			;
		if (i == t->nvms) {
			rc = cl_fail(why, whylen, -ARAS_E_NOENT, "%s:%zu: no VM '%s' in the trace", o->file,
				     l->lineno, l->name);
			goto out;
		}
		h = find_host(c, l->host);
		if (h < 0) {
			rc = cl_fail(why, whylen, -ARAS_E_NOENT, "%s:%zu: no host '%s'", o->file, l->lineno,
				     l->host);
			goto out;
		}
		c->vms[i].host = (unsigned)h;
		if (l->mhz > 0) {
			c->vms[i].req_mhz = l->mhz;
			c->vms[i].mem_kib = l->mem_mib * 1024;
		}
		if (l->vcpus) {
			c->vms[i].vcpus = l->vcpus;
			c->vms[i].vcpus_max = l->vcpus_max;
		}
	}
	for (size_t i = 0; i < t->nvms; i++)
		c->vms[i].mem_max_kib = 2 * c->vms[i].mem_kib;

	/*
	 * Initial placement: vm lines first, then history's recorded host,
	 * then round robin over the hosts in index order (the j-th VM left
	 * goes to host j mod H, or the next host with memory for it).
	 */
	mem_used = calloc(c->nhosts, sizeof(*mem_used));
	if (!mem_used) {
		rc = -ARAS_E_NOMEM;
		goto out;
	}
	for (int pass = 0; pass < 3; pass++) {
		for (size_t i = 0; i < t->nvms; i++) {
			struct aras_cl_vm *v = &c->vms[i];
			size_t h;

			if (pass == 0) {
				if (v->host == (unsigned)-1)
					continue;
			} else if (v->host != (unsigned)-1) {
				continue;
			} else if (pass == 1) {
				if (t->format != ARAS_TRACE_HISTORY || !t->vms[i].host ||
				    t->vms[i].host > c->nhosts)
					continue;
				v->host = t->vms[i].host - 1;
			} else {
				size_t k;

				for (k = 0; k < c->nhosts; k++) {
					h = (rr + k) % c->nhosts;
					if (mem_used[h] + v->mem_kib <= c->hosts[h].mem_kib)
						break;
				}
				if (k == c->nhosts) {
					rc = cl_fail(why, whylen, -ARAS_E_RANGE,
						     "VM %s (%llu MiB) fits on no host: the cluster has too "
						     "little memory",
						     t->vms[i].name, (unsigned long long)(v->mem_kib / 1024));
					goto out;
				}
				v->host = (unsigned)((rr + k) % c->nhosts);
				rr++;
			}
			mem_used[v->host] += v->mem_kib;
			if (mem_used[v->host] > c->hosts[v->host].mem_kib) {
				rc = cl_fail(why, whylen, -ARAS_E_RANGE,
					     "host %s: VMs placed on it need more than its %llu MiB",
					     c->hosts[v->host].name,
					     (unsigned long long)(c->hosts[v->host].mem_kib / 1024));
				goto out;
			}
		}
	}
	snprintf(c->placement, sizeof(c->placement), "%s",
		 cf.nvms ? "cluster file vm lines, then round robin" :
		 t->format == ARAS_TRACE_HISTORY ?
			   "recorded host of each VM's first line" :
			   "round robin in trace order (VM i -> host i mod H, next with memory)");
	switch (t->format) {
	case ARAS_TRACE_PLANETLAB:
		snprintf(c->vmsizes, sizeof(c->vmsizes),
			 "%s VM types (MIPS=MHz/MB), VM i -> type i/ceil(n/types); demand = CPU%% x type MHz",
			 cf.ntypes ? "cluster-file" : "paper (2500/870, 2000/1740, 1000/1740, 500/613)");
		break;
	case ARAS_TRACE_BITBRAINS:
		snprintf(c->vmsizes, sizeof(c->vmsizes),
			 "provisioned MHz, cores and memory; vCPUs start as provisioned%s, max twice that; "
			 "demand = usage MHz",
			 o->vcpus_half ? " (halved: --vcpus half)" : "");
		break;
	default:
		snprintf(c->vmsizes, sizeof(c->vmsizes),
			 "recorded vCPUs (max 2x) and memory; demand = CPU_PCT x VCPUS x core MHz of the "
			 "first host");
	}

	/* Demand, memory in use and I/O per step. */
	c->demand_mhz = calloc(t->nvms * t->nsteps, sizeof(*c->demand_mhz));
	c->mem_used_kib = calloc(t->nvms * t->nsteps, sizeof(*c->mem_used_kib));
	if (t->io_kibs)
		c->io_kibs = calloc(t->nvms * t->nsteps, sizeof(*c->io_kibs));
	if (!c->demand_mhz || !c->mem_used_kib || (t->io_kibs && !c->io_kibs)) {
		rc = -ARAS_E_NOMEM;
		goto out;
	}
	{
		unsigned memuse = o->mem_use_pct ? o->mem_use_pct :
				  cf.memuse      ? cf.memuse :
						   ARAS_CL_DEF_MEMUSE;

		for (size_t i = 0; i < t->nvms; i++) {
			const struct aras_cl_vm *v = &c->vms[i];
			double core = c->hosts[v->host].core_mhz;

			for (size_t k = 0; k < t->nsteps; k++) {
				size_t at = i * t->nsteps + k;
				double cpu = t->cpu[at];

				switch (t->cpu_unit) {
				case ARAS_CPU_PCT_OF_REQ:
					c->demand_mhz[at] = (float)(cpu / 100.0 * v->req_mhz);
					break;
				case ARAS_CPU_MHZ: c->demand_mhz[at] = (float)cpu; break;
				default: c->demand_mhz[at] = (float)(cpu * core); break;
				}
				c->mem_used_kib[at] = t->mem_kib ?
							      t->mem_kib[at] :
							      (float)(memuse / 100.0 * (double)v->mem_kib);
				if (c->io_kibs)
					c->io_kibs[at] =
						t->cpu_unit == ARAS_CPU_CORES ?
							(float)(t->io_kibs[at] / 100.0 * o->io_cap_kib) :
							t->io_kibs[at];
			}
		}
	}
out:
	free(mem_used);
	cfile_free(&cf);
	if (rc < 0) {
		if (rc == -ARAS_E_NOMEM)
			snprintf(why, whylen, "out of memory");
		aras_cluster_free(c);
	}
	return rc;
}
