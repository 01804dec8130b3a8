/*
 * collect.c - per-host polling workers over libvirt.
 *
 * One bulk call per poll (virConnectGetAllDomainStats) and a fallback per
 * missing group: libvirt's test driver answers the bulk call with the
 * state group only, so CPU time, memory and vCPU counts then come from
 * virDomainGetInfo / virDomainGetVcpusFlags.  The same code serves real
 * QEMU hosts, where the fallbacks are not needed.
 *
 * Stopping is bounded: a host whose libvirt hangs (a wedged libvirtd that
 * accepts the connection and never answers: virConnectOpen has no timeout)
 * or a long job still running after ARAS_STOP_GRACE_S is left behind with
 * a warning, and the collector is then not freed (those threads use it).
 */

#include "collect.h"

#include "clock.h"

#include "util/log.h"
#include "core/plan.h"
#include "clone.h"
#include "domxml.h"
#include "events.h"
#include "exec.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

/* What the domain XML said about one VM, kept between polls (device.h's identity). */
struct xml_entry {
	uint8_t uuid[ARAS_UUID_LEN];
	struct aras_vm_devices ident;
	int healed; /* read again for a device the bulk stats named and it did not */
	int state;  /* the VM's state at that poll: a change sends the identity again */
};

struct job_node {
	struct aras_job job;
	struct job_node *next;
};

struct worker {
	struct aras_collector *c;
	struct job_node *jobs; /* under c->lock */
	unsigned index;
	char *uri;
	pthread_t thread;
	int started;
	int done; /* worker_main returned (under c->lock) */
	virConnectPtr conn;
	struct aras_virt_events events; /* registered on conn */
	int kicked;
	struct xml_entry *xml; /* sorted by UUID: the VMs of the last poll */
	size_t nxml;
};

struct aras_collector {
	struct worker *w;
	size_t n;
	unsigned poll_s; /* under lock: a SET changes it (aras_collector_set_interval) */
	int pipe[2];
	int jpipe[2];    /* job results */
	int epipe[2];    /* domain events (events.c) */
	int events_lost; /* an event did not fit in epipe (atomic) */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int stop;
	struct job_run *runs;            /* long jobs running (under lock) */
	struct aras_collector_sink sink; /* the loop side (aras_collector_attach) */
};

/* How long aras_collector_stop waits for hung libvirt calls and long jobs. */
#define ARAS_STOP_GRACE_S 10

static void quiet_error(void *arg, virErrorPtr err)
{
	(void)arg;
	(void)err;
}

/* libvirt's default event loop runs in its own thread, joined at exit (D9). */
static pthread_t event_tid;
static int event_started;
static volatile int event_stop;

static void *event_thread(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&event_stop, __ATOMIC_ACQUIRE))
		if (virEventRunDefaultImpl() < 0)
			sleep(1);
	return NULL;
}

static void wake_cb(int timer, void *opaque)
{
	(void)opaque;
	virEventRemoveTimeout(timer);
}

int aras_virt_global_init(void)
{
	/* libvirt prints every error to stderr unless told otherwise. */
	virSetErrorFunc(NULL, quiet_error);
	if (virInitialize() < 0 || virEventRegisterDefaultImpl() < 0)
		return -ARAS_E_VIRT;
	if (pthread_create(&event_tid, NULL, event_thread, NULL) != 0)
		return -ARAS_E_NOMEM;
	event_started = 1;
	return 0;
}

void aras_virt_global_shutdown(void)
{
	if (!event_started)
		return;
	__atomic_store_n(&event_stop, 1, __ATOMIC_RELEASE);
	/* a timer due at once makes virEventRunDefaultImpl() return */
	if (virEventAddTimeout(0, wake_cb, NULL, NULL) < 0) {
		pthread_detach(event_tid);
	} else {
		pthread_join(event_tid, NULL);
	}
	event_started = 0;
}

static void set_err(struct aras_host_sample *s, const char *what)
{
	s->ok = 0;
	aras_virt_errtext(s->err, sizeof(s->err), what);
}

/* Sum "block.N.field" / "net.N.field" values into the sample. */

/* The next '.' in s, or NULL (a loop: gcc -O0 -Wstringop-overread misjudges strchr(name + 6)). */
static const char *next_dot(const char *s)
{
	while (*s && *s != '.')
		s++;
	return *s ? s : NULL;
}
static void take_param(struct aras_vm_sample *v, const virTypedParameter *p, int *have)
{
	const char *name = p->field;
	unsigned long long u = 0;
	const char *dot;

	switch (p->type) {
	case VIR_TYPED_PARAM_ULLONG: u = p->value.ul; break;
	case VIR_TYPED_PARAM_UINT: u = p->value.ui; break;
	case VIR_TYPED_PARAM_INT: u = p->value.i < 0 ? 0 : (unsigned long long)p->value.i; break;
	case VIR_TYPED_PARAM_LLONG: u = p->value.l < 0 ? 0 : (unsigned long long)p->value.l; break;
	default: return;
	}
	if (strcmp(name, "state.state") == 0) {
		v->state = (int)u;
		*have |= 1;
	} else if (strcmp(name, "state.reason") == 0) {
		v->reason = (int)u;
	} else if (strcmp(name, "cpu.time") == 0) {
		v->cpu_time_ns = u;
		*have |= 2;
	} else if (strcmp(name, "balloon.current") == 0) {
		v->mem_cur_kib = u;
		*have |= 4;
	} else if (strcmp(name, "balloon.maximum") == 0) {
		v->mem_max_kib = u;
		*have |= 8;
	} else if (strcmp(name, "vcpu.current") == 0) {
		v->vcpus = (unsigned)u;
		*have |= 16;
	} else if (strcmp(name, "vcpu.maximum") == 0) {
		v->vcpus_max = (unsigned)u;
		*have |= 32;
	} else if (strncmp(name, "vcpu.", 5) == 0 && (dot = next_dot(name + 5)) != NULL &&
		   strcmp(dot + 1, "delay") == 0) {
		/*
		 * vcpu.<n>.delay (libvirt 9.0): ns the vCPU thread waited on
		 * the host's run queue (its schedstat).  Older libvirt and the
		 * test driver do not send it: has_steal stays 0.
		 */
		v->steal_ns += u;
		v->steal_vcpus++;
		v->has_steal = 1;
	} else if (strcmp(name, "balloon.available") == 0) {
		v->guest_avail_kib = u;
		*have |= 64;
	} else if (strcmp(name, "balloon.usable") == 0) {
		v->guest_usable_kib = u;
		*have |= 128;
	} else if (strcmp(name, "balloon.unused") == 0 && !(*have & 128)) {
		/* unused (MemFree) is the pessimistic stand-in for usable */
		v->guest_usable_kib = u;
		*have |= 256;
	} else if (strncmp(name, "block.", 6) == 0 && (dot = next_dot(name + 6)) != NULL) {
		dot++;
		if (strcmp(dot, "rd.bytes") == 0)
			v->rd_bytes += u;
		else if (strcmp(dot, "wr.bytes") == 0)
			v->wr_bytes += u;
		else if (strcmp(dot, "rd.reqs") == 0)
			v->rd_reqs += u;
		else if (strcmp(dot, "wr.reqs") == 0)
			v->wr_reqs += u;
		else if (strcmp(dot, "capacity") == 0)
			v->disk_cap_bytes += u;
		else if (strcmp(dot, "allocation") == 0)
			v->disk_alloc_bytes += u;
	} else if (strncmp(name, "net.", 4) == 0 && (dot = strchr(name + 4, '.')) != NULL) {
		dot++;
		if (strcmp(dot, "rx.bytes") == 0)
			v->rx_bytes += u;
		else if (strcmp(dot, "tx.bytes") == 0)
			v->tx_bytes += u;
	}
}

/* ---- one VM's devices: bulk stats (block.N, net.N, vcpu.N) + its domain XML ---- */

/* "prefix.N.rest": N (< limit) and rest; 0 if name is not of that form. */
static int dev_param(const char *name, const char *prefix, size_t plen, size_t limit, size_t *n,
		     const char **rest)
{
	char *end;
	unsigned long v;

	if (strncmp(name, prefix, plen) != 0 || name[plen] < '0' || name[plen] > '9')
		return 0;
	v = strtoul(name + plen, &end, 10);
	if (*end != '.' || v >= limit)
		return 0;
	*n = (size_t)v;
	*rest = end + 1;
	return 1;
}

static unsigned long long param_u(const virTypedParameter *p)
{
	switch (p->type) {
	case VIR_TYPED_PARAM_ULLONG: return p->value.ul;
	case VIR_TYPED_PARAM_UINT: return p->value.ui;
	case VIR_TYPED_PARAM_INT: return p->value.i < 0 ? 0 : (unsigned long long)p->value.i;
	case VIR_TYPED_PARAM_LLONG: return p->value.l < 0 ? 0 : (unsigned long long)p->value.l;
	}
	return 0;
}

static void copy_name(char *dst, size_t size, const virTypedParameter *p)
{
	if (p->type == VIR_TYPED_PARAM_STRING && p->value.s)
		snprintf(dst, size, "%s", p->value.s);
}

static void disk_param(struct aras_disk *d, const char *f, const virTypedParameter *p)
{
	unsigned long long u = param_u(p);

	d->has_stats = 1;
	if (strcmp(f, "name") == 0)
		copy_name(d->target, sizeof(d->target), p);
	else if (strcmp(f, "rd.bytes") == 0)
		d->raw.rd_bytes = u;
	else if (strcmp(f, "wr.bytes") == 0)
		d->raw.wr_bytes = u;
	else if (strcmp(f, "rd.reqs") == 0)
		d->raw.rd_reqs = u;
	else if (strcmp(f, "wr.reqs") == 0)
		d->raw.wr_reqs = u;
	else if (strcmp(f, "fl.reqs") == 0)
		d->raw.fl_reqs = u;
	else if (strcmp(f, "rd.times") == 0)
		d->raw.rd_ns = u;
	else if (strcmp(f, "wr.times") == 0)
		d->raw.wr_ns = u;
	else if (strcmp(f, "fl.times") == 0)
		d->raw.fl_ns = u;
	else if (strcmp(f, "errors") == 0)
		d->errs = u; /* -1 (not supported) reads as 0 */
	else if (strcmp(f, "capacity") == 0)
		d->capacity = u;
	else if (strcmp(f, "allocation") == 0)
		d->allocation = u;
	else if (strcmp(f, "physical") == 0)
		d->physical = u;
	/* path, backingIndex, threshold, ...: not kept (the XML says the source) */
}

static void nic_param(struct aras_nic *c, const char *f, const virTypedParameter *p)
{
	unsigned long long u = param_u(p);
	static const char *const names[] = { "rx.bytes", "rx.pkts", "rx.errs", "rx.drop",
					     "tx.bytes", "tx.pkts", "tx.errs", "tx.drop" };
	uint64_t *fields[] = { &c->raw.rx_bytes, &c->raw.rx_pkts, &c->raw.rx_errs, &c->raw.rx_drop,
			       &c->raw.tx_bytes, &c->raw.tx_pkts, &c->raw.tx_errs, &c->raw.tx_drop };

	c->has_stats = 1;
	if (strcmp(f, "name") == 0) {
		copy_name(c->target, sizeof(c->target), p);
		return;
	}
	for (size_t i = 0; i < ARAS_ARRAY_SIZE(names); i++)
		if (strcmp(f, names[i]) == 0)
			*fields[i] = u;
}

static void vcpu_param(struct aras_vcpu *v, const char *f, const virTypedParameter *p)
{
	unsigned long long u = param_u(p);

	v->has_stats = 1;
	if (strcmp(f, "state") == 0) {
		v->state = (int)u;
	} else if (strcmp(f, "time") == 0) {
		v->time_ns = u;
	} else if (strcmp(f, "wait") == 0) {
		v->wait_ns = u;
		v->has_wait = 1;
	} else if (strcmp(f, "delay") == 0) {
		v->delay_ns = u;
		v->has_delay = 1;
	}
}

/* Devices the bulk call reported for one VM (targets from block.N.name / net.N.name). */
static int stats_devices(const virDomainStatsRecord *rec, struct aras_vm_devices *st)
{
	size_t nb = 0, nn = 0, nv = 0, k;
	const char *rest;

	memset(st, 0, sizeof(*st));
	/* the counts first: libvirt sends block.count before block.0.*, but nothing says it must */
	for (int i = 0; i < rec->nparams; i++) {
		const char *f = rec->params[i].field;

		if (dev_param(f, "block.", 6, ARAS_DOMXML_MAX_DEV, &k, &rest) && k >= nb)
			nb = k + 1;
		else if (dev_param(f, "net.", 4, ARAS_DOMXML_MAX_DEV, &k, &rest) && k >= nn)
			nn = k + 1;
		else if (dev_param(f, "vcpu.", 5, ARAS_DOMXML_MAX_VCPU, &k, &rest) && k >= nv)
			nv = k + 1;
	}
	if ((nb && !(st->disks = calloc(nb, sizeof(*st->disks)))) ||
	    (nn && !(st->nics = calloc(nn, sizeof(*st->nics)))) ||
	    (nv && !(st->vcpus = calloc(nv, sizeof(*st->vcpus))))) {
		aras_devices_free(st);
		return -ARAS_E_NOMEM;
	}
	st->ndisks = nb;
	st->nnics = nn;
	st->nvcpus = nv;
	for (size_t i = 0; i < nv; i++)
		st->vcpus[i].number = (unsigned)i;
	for (int i = 0; i < rec->nparams; i++) {
		const virTypedParameter *p = &rec->params[i];

		if (dev_param(p->field, "block.", 6, nb, &k, &rest))
			disk_param(&st->disks[k], rest, p);
		else if (dev_param(p->field, "net.", 4, nn, &k, &rest))
			nic_param(&st->nics[k], rest, p);
		else if (dev_param(p->field, "vcpu.", 5, nv, &k, &rest))
			vcpu_param(&st->vcpus[k], rest, p);
	}
	return 0;
}

/*
 * A device the stats name that the XML does not: the XML is stale (a
 * NIC's target after a start, a vCPU added live).
 */
static int stats_unknown(const struct aras_vm_devices *st, const struct aras_vm_devices *id)
{
	for (size_t i = 0; i < st->ndisks; i++)
		if (st->disks[i].target[0] && !aras_devices_disk(id, st->disks[i].target))
			return 1;
	for (size_t i = 0; i < st->nnics; i++)
		if (st->nics[i].target[0] && !aras_devices_nic(id, st->nics[i].target))
			return 1;
	for (size_t i = 0; i < st->nvcpus; i++)
		if (st->vcpus[i].has_stats && (i >= id->nvcpus || id->vcpus[i].number != st->vcpus[i].number))
			return 1;
	return 0;
}

/* The domain XML of dom into id (autostart, persistent beside it); 0 or <0 (id empty). */
static int read_xml(virDomainPtr dom, struct aras_vm_devices *id)
{
	char *xml = virDomainGetXMLDesc(dom, 0);
	int rc, v;

	memset(id, 0, sizeof(*id));
	if (!xml)
		return -ARAS_E_VIRT;
	rc = aras_domxml_parse(xml, strlen(xml), id);
	free(xml);
	if (rc < 0)
		return rc;
	id->cfg.autostart = virDomainGetAutostart(dom, &v) == 0 ? v != 0 : -1;
	v = virDomainIsPersistent(dom);
	id->cfg.persistent = v < 0 ? -1 : v;
	return 0;
}

/*
 * The sample's devices: the XML's (identity) with the stats of the same
 * target (or vCPU number), then those only the stats name.
 */
static int merge_devices(struct aras_vm_devices *out, const struct aras_vm_devices *id,
			 const struct aras_vm_devices *st)
{
	size_t nd = id->ndisks, nn = id->nnics, nv = id->nvcpus;

	memset(out, 0, sizeof(*out));
	out->cfg = id->cfg;
	/* room for the XML's devices and every one the stats name */
	if ((nd + st->ndisks && !(out->disks = malloc((nd + st->ndisks) * sizeof(*out->disks)))) ||
	    (nn + st->nnics && !(out->nics = malloc((nn + st->nnics) * sizeof(*out->nics)))) ||
	    (nv + st->nvcpus && !(out->vcpus = malloc((nv + st->nvcpus) * sizeof(*out->vcpus))))) {
		aras_devices_free(out);
		return -ARAS_E_NOMEM;
	}
	if (nd)
		memcpy(out->disks, id->disks, nd * sizeof(*out->disks));
	if (nn)
		memcpy(out->nics, id->nics, nn * sizeof(*out->nics));
	if (nv)
		memcpy(out->vcpus, id->vcpus, nv * sizeof(*out->vcpus));
	out->ndisks = nd;
	out->nnics = nn;
	out->nvcpus = nv;
	for (size_t i = 0; i < st->ndisks; i++) {
		const struct aras_disk *s = &st->disks[i];
		struct aras_disk *d = s->target[0] ? aras_devices_disk(out, s->target) : NULL;

		if (!s->target[0])
			continue;
		if (!d) {
			d = &out->disks[out->ndisks++];
			memset(d, 0, sizeof(*d));
			snprintf(d->target, sizeof(d->target), "%s", s->target);
		}
		d->has_stats = 1;
		d->raw = s->raw;
		d->errs = s->errs;
		d->capacity = s->capacity;
		d->allocation = s->allocation;
		d->physical = s->physical;
	}
	for (size_t i = 0; i < st->nnics; i++) {
		const struct aras_nic *s = &st->nics[i];
		struct aras_nic *c = s->target[0] ? aras_devices_nic(out, s->target) : NULL;

		if (!s->target[0])
			continue;
		if (!c) {
			c = &out->nics[out->nnics++];
			memset(c, 0, sizeof(*c));
			snprintf(c->target, sizeof(c->target), "%s", s->target);
		}
		c->has_stats = 1;
		c->raw = s->raw;
	}
	for (size_t i = 0; i < st->nvcpus; i++) {
		const struct aras_vcpu *s = &st->vcpus[i];
		struct aras_vcpu *v = NULL;

		if (!s->has_stats)
			continue;
		for (size_t j = 0; j < out->nvcpus && !v; j++)
			if (out->vcpus[j].number == s->number)
				v = &out->vcpus[j];
		if (!v) {
			v = &out->vcpus[out->nvcpus++];
			memset(v, 0, sizeof(*v));
			v->number = s->number;
		}
		v->has_stats = 1;
		v->state = s->state;
		v->time_ns = s->time_ns;
		v->wait_ns = s->wait_ns;
		v->delay_ns = s->delay_ns;
		v->has_wait = s->has_wait;
		v->has_delay = s->has_delay;
	}
	return 0;
}

static int xml_cmp(const void *a, const void *b)
{
	return memcmp(((const struct xml_entry *)a)->uuid, ((const struct xml_entry *)b)->uuid,
		      ARAS_UUID_LEN);
}

static int uuid_in(const uint8_t *u, uint8_t (*set)[ARAS_UUID_LEN], size_t n)
{
	if (n == SIZE_MAX)
		return 1;
	for (size_t i = 0; i < n; i++)
		if (memcmp(set[i], u, ARAS_UUID_LEN) == 0)
			return 1;
	return 0;
}

static void xml_free(struct xml_entry *x, size_t n)
{
	for (size_t i = 0; i < n; i++)
		aras_devices_free(&x[i].ident);
	free(x);
}

/*
 * Every VM's devices of this poll into the sample: the XML is read for a
 * VM seen for the first time, one an event marked (define, start, device
 * added or removed), and once for one whose stats name a device its XML
 * does not; the cache keeps the VMs of this poll only.
 */
static void poll_devices(struct worker *w, virDomainStatsRecordPtr *recs, struct aras_host_sample *s)
{
	uint8_t(*marks)[ARAS_UUID_LEN] = malloc(ARAS_VIRT_DIRTY_MAX * sizeof(*marks));
	size_t nmarks = marks ? aras_virt_events_take_dirty(&w->events, marks) : SIZE_MAX;
	struct xml_entry *next = s->nvms ? calloc(s->nvms, sizeof(*next)) : NULL;
	size_t nnext = 0;

	if (s->nvms && !next) {
		free(marks);
		return;
	}
	for (size_t i = 0; i < s->nvms; i++) {
		struct aras_vm_sample *v = &s->vms[i];
		struct xml_entry key, *old, *e = &next[nnext];
		struct aras_vm_devices st;
		int read;

		memcpy(key.uuid, v->uuid, ARAS_UUID_LEN);
		old = w->nxml ? bsearch(&key, w->xml, w->nxml, sizeof(*w->xml), xml_cmp) : NULL;
		if (stats_devices(recs[i], &st) < 0)
			continue;
		/* a vCPU count the XML does not have (one removed or added live): read again, once */
		read = !old || uuid_in(v->uuid, marks, nmarks) ||
		       (!old->healed &&
			(stats_unknown(&st, &old->ident) || (v->vcpus && v->vcpus != old->ident.nvcpus)));
		memcpy(e->uuid, v->uuid, ARAS_UUID_LEN);
		if (read) {
			if (read_xml(recs[i]->dom, &e->ident) < 0 && old)
				aras_devices_copy(&e->ident, &old->ident); /* keep what it said last */
			/* still naming a device this XML lacks: not read again for it until an event */
			e->healed =
				stats_unknown(&st, &e->ident) || (v->vcpus && v->vcpus != e->ident.nvcpus);
		} else {
			e->ident = old->ident; /* moved: old's arrays now belong to e */
			e->healed = old->healed;
			memset(&old->ident, 0, sizeof(old->ident));
		}
		nnext++;
		e->state = v->state;
		/*
		 * The usual poll: the model has this identity; the figures alone,
		 * as parsed.  Not after a change of state: the model may not have
		 * taken the identity this worker sent (a migration's incoming copy
		 * is ignored until it runs here; a VM new to the model).
		 */
		if (!read && old->state == v->state && !stats_unknown(&st, &e->ident)) {
			v->dev = st;
			v->dev.figures_only = 1;
			continue;
		}
		merge_devices(&v->dev, &e->ident, &st); /* out of memory: no devices this poll */
		aras_devices_free(&st);
	}
	free(marks);
	xml_free(w->xml, w->nxml);
	if (nnext)
		qsort(next, nnext, sizeof(*next), xml_cmp);
	w->xml = next;
	w->nxml = nnext;
}

/* The maximum vCPU count the XML of VM uuid gave at the last poll (0: not known). */
static unsigned xml_vcpus_max(const struct worker *w, const uint8_t *uuid)
{
	struct xml_entry key;
	const struct xml_entry *e;

	if (!w->nxml)
		return 0;
	memcpy(key.uuid, uuid, ARAS_UUID_LEN);
	e = bsearch(&key, w->xml, w->nxml, sizeof(*w->xml), xml_cmp);
	return e && e->ident.cfg.known ? e->ident.cfg.vcpus_max : 0;
}

static int map_state(int st)
{
	return (st >= VIR_DOMAIN_RUNNING && st <= VIR_DOMAIN_PMSUSPENDED) ? st : ARAS_VM_OTHER;
}

/*
 * One VM's record into v.  Figures the bulk call lacks (libvirt's test
 * driver sends state only) are asked per domain; the maximum vCPU count
 * comes from the domain XML w read before, when it did.
 */
static void fill_vm(struct aras_vm_sample *v, virDomainStatsRecordPtr rec, const struct worker *w)
{
	virDomainPtr dom = rec->dom;
	const char *name = virDomainGetName(dom);
	int have = 0;
	unsigned xml_max;

	virDomainGetUUID(dom, v->uuid);
	snprintf(v->name, sizeof(v->name), "%s", name ? name : "");
	for (int i = 0; i < rec->nparams; i++)
		take_param(v, &rec->params[i], &have);
	if ((have & (2 | 4 | 8 | 16 | 1)) != (2 | 4 | 8 | 16 | 1)) {
		virDomainInfo info;

		if (virDomainGetInfo(dom, &info) == 0) {
			if (!(have & 1))
				v->state = info.state;
			if (!(have & 2))
				v->cpu_time_ns = info.cpuTime;
			if (!(have & 4))
				v->mem_cur_kib = info.memory;
			if (!(have & 8))
				v->mem_max_kib = info.maxMem;
			if (!(have & 16))
				v->vcpus = info.nrVirtCpu;
		}
	}
	if (!(have & 32) && (xml_max = xml_vcpus_max(w, v->uuid)) > 0) {
		v->vcpus_max = xml_max;
	} else if (!(have & 32)) {
		int mx = virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_CURRENT | VIR_DOMAIN_VCPU_MAXIMUM);

		v->vcpus_max = mx > 0 ? (unsigned)mx : v->vcpus;
	}
	if (!(have & 1)) {
		int st, reason;

		if (virDomainGetState(dom, &st, &reason, 0) == 0)
			v->reason = reason;
	}
	v->state = map_state(v->state);
	v->has_guest_mem = (have & 64) && (have & (128 | 256)) && v->state == ARAS_VM_RUNNING;
}

/*
 * Shut off with a managed save image (arasVmOperState suspended(6)): one
 * listing for the host, asked only when some VM is shut off.
 */
static void mark_managed_save(virConnectPtr conn, struct aras_host_sample *s)
{
	virDomainPtr *doms = NULL;
	int n = 0;
	size_t off = 0;

	for (size_t j = 0; j < s->nvms; j++)
		off += s->vms[j].state == ARAS_VM_SHUTOFF;
	if (!off)
		return;
	n = virConnectListAllDomains(conn, &doms, VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE);
	for (int i = 0; i < n; i++) {
		unsigned char u[VIR_UUID_BUFLEN];

		if (virDomainGetUUID(doms[i], u) == 0)
			for (size_t j = 0; j < s->nvms; j++)
				if (memcmp(s->vms[j].uuid, u, VIR_UUID_BUFLEN) == 0)
					s->vms[j].managed_save = s->vms[j].state == ARAS_VM_SHUTOFF;
		virDomainFree(doms[i]);
	}
	free(doms);
}

static void poll_node(virConnectPtr conn, struct aras_host_sample *s)
{
	virNodeInfo ni;
	int n = 0;
	const char *type = virConnectGetType(conn); /* static: not freed */
	unsigned long ver = 0;

	if (virNodeGetInfo(conn, &ni) == 0) {
		s->cpus = ni.cpus;
		s->mem_total_kib = ni.memory;
	}
	if (type && virConnectGetVersion(conn, &ver) == 0) {
		snprintf(s->hv_type, sizeof(s->hv_type), "%s", type);
		s->hv_version = ver > UINT32_MAX ? 0 : (uint32_t)ver;
	}
	if (virNodeGetCPUStats(conn, VIR_NODE_CPU_STATS_ALL_CPUS, NULL, &n, 0) == 0 && n > 0 && n < 16) {
		virNodeCPUStats st[16];
		uint64_t busy = 0, total = 0;

		if (virNodeGetCPUStats(conn, VIR_NODE_CPU_STATS_ALL_CPUS, st, &n, 0) == 0) {
			for (int i = 0; i < n; i++) {
				total += st[i].value;
				if (strcmp(st[i].field, VIR_NODE_CPU_STATS_IDLE) != 0 &&
				    strcmp(st[i].field, VIR_NODE_CPU_STATS_IOWAIT) != 0 &&
				    strcmp(st[i].field, VIR_NODE_CPU_STATS_UTILIZATION) != 0)
					busy += st[i].value;
			}
			s->has_cpu_stats = 1;
			s->cpu_busy_ns = busy;
			s->cpu_total_ns = total;
		}
	}
	n = 0;
	if (virNodeGetMemoryStats(conn, VIR_NODE_MEMORY_STATS_ALL_CELLS, NULL, &n, 0) == 0 && n > 0 &&
	    n < 16) {
		virNodeMemoryStats st[16];
		uint64_t fr = 0;

		if (virNodeGetMemoryStats(conn, VIR_NODE_MEMORY_STATS_ALL_CELLS, st, &n, 0) == 0) {
			for (int i = 0; i < n; i++)
				if (strcmp(st[i].field, VIR_NODE_MEMORY_STATS_FREE) == 0 ||
				    strcmp(st[i].field, VIR_NODE_MEMORY_STATS_BUFFERS) == 0 ||
				    strcmp(st[i].field, VIR_NODE_MEMORY_STATS_CACHED) == 0)
					fr += st[i].value;
			s->has_mem_free = 1;
			s->mem_free_kib = fr;
		}
	}
	{
		virStoragePoolPtr *pools = NULL;
		int np = virConnectListAllStoragePools(conn, &pools, VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE);

		for (int i = 0; i < np; i++) {
			virStoragePoolInfo pi;

			if (virStoragePoolGetInfo(pools[i], &pi) == 0) {
				s->has_pools = 1;
				s->pool_cap_bytes += pi.capacity;
				s->pool_alloc_bytes += pi.allocation;
			}
			virStoragePoolFree(pools[i]);
		}
		free(pools);
	}
}

/*
 * The incoming copies of live migrations on this host: paused with reason
 * migration, and not listed by this host's last poll (the source of a
 * migration is paused so too at its switchover, and was listed).  Their
 * statistics wait for the migration's job, which would hold the whole
 * poll until it ends (a capped migration: minutes); their state is all the
 * model takes of them.  How many, in *out (owned; NULL when none).
 */
static size_t incoming_copies(struct worker *w, virDomainPtr **out)
{
	virDomainPtr *doms = NULL;
	int n = virConnectListAllDomains(w->conn, &doms, VIR_CONNECT_LIST_DOMAINS_PAUSED);
	size_t k = 0;

	*out = NULL;
	for (int i = 0; i < n; i++) {
		struct xml_entry key;
		int st, reason;

		if (virDomainGetUUID(doms[i], key.uuid) == 0 &&
		    virDomainGetState(doms[i], &st, &reason, 0) == 0 && st == VIR_DOMAIN_PAUSED &&
		    reason == VIR_DOMAIN_PAUSED_MIGRATION &&
		    !(w->nxml && bsearch(&key, w->xml, w->nxml, sizeof(*w->xml), xml_cmp)))
			doms[k++] = doms[i];
		else
			virDomainFree(doms[i]);
	}
	if (k)
		*out = doms;
	else
		free(doms);
	return k;
}

/*
 * Every domain's statistics but those of copies[0..ncopies) (none: the
 * one bulk call).  The count of *recs, or -1 with libvirt's error.
 */
static int bulk_stats(virConnectPtr conn, unsigned int groups, virDomainPtr *copies, size_t ncopies,
		      virDomainStatsRecordPtr **recs)
{
	virDomainPtr *all = NULL, *keep;
	int n, m = 0, rc = -1;

	if (!ncopies)
		return virConnectGetAllDomainStats(conn, groups, recs, 0);
	if ((n = virConnectListAllDomains(conn, &all, 0)) < 0)
		return -1;
	keep = calloc((size_t)n + 1, sizeof(*keep)); /* NULL-terminated */
	for (int i = 0; i < n; i++) {
		unsigned char u[VIR_UUID_BUFLEN], c[VIR_UUID_BUFLEN];
		int copy = 0;

		for (size_t j = 0; j < ncopies && !copy; j++)
			copy = virDomainGetUUID(all[i], u) == 0 && virDomainGetUUID(copies[j], c) == 0 &&
			       memcmp(u, c, sizeof(u)) == 0;
		if (!copy && keep)
			keep[m++] = all[i];
		else
			virDomainFree(all[i]);
	}
	free(all);
	if (keep && m == 0) {
		*recs = NULL; /* copies alone (libvirt refuses an empty list) */
		rc = 0;
	} else if (keep) {
		rc = virDomainListGetStats(keep, groups, recs, 0);
	}
	for (int i = 0; i < m; i++)
		virDomainFree(keep[i]);
	free(keep);
	return rc;
}

/* An incoming copy as the model takes it: identity and state, no figures. */
static void fill_copy(struct aras_vm_sample *v, virDomainPtr dom)
{
	const char *name = virDomainGetName(dom);

	memset(v, 0, sizeof(*v));
	virDomainGetUUID(dom, v->uuid);
	snprintf(v->name, sizeof(v->name), "%s", name ? name : "");
	v->state = ARAS_VM_PAUSED;
	v->reason = ARAS_PAUSED_MIGRATION;
}

/* One poll of an open connection into s; 0 or -ARAS_E_VIRT (s->err set). */
static int poll_host(struct worker *w, struct aras_host_sample *s)
{
	virConnectPtr conn = w->conn;
	virDomainStatsRecordPtr *recs = NULL;
	unsigned int groups = VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_CPU_TOTAL | VIR_DOMAIN_STATS_BALLOON |
			      VIR_DOMAIN_STATS_VCPU | VIR_DOMAIN_STATS_INTERFACE | VIR_DOMAIN_STATS_BLOCK;
	virDomainPtr *copies = NULL;
	size_t ncopies = incoming_copies(w, &copies);
	int n = bulk_stats(conn, groups, copies, ncopies, &recs);

	if (n < 0 || !(s->vms = calloc((size_t)n + ncopies + 1, sizeof(*s->vms)))) {
		if (n < 0)
			set_err(s, "virConnectGetAllDomainStats");
		else
			snprintf(s->err, sizeof(s->err), "out of memory");
		s->ok = 0;
		virDomainStatsRecordListFree(recs);
		for (size_t j = 0; j < ncopies; j++)
			virDomainFree(copies[j]);
		free(copies);
		return n < 0 ? -ARAS_E_VIRT : -ARAS_E_NOMEM;
	}
	for (int i = 0; i < n; i++)
		fill_vm(&s->vms[i], recs[i], w);
	s->nvms = (size_t)n;
	poll_devices(w, recs, s); /* the copies have no devices, and stay out of w->xml */
	virDomainStatsRecordListFree(recs);
	for (size_t j = 0; j < ncopies; j++) {
		fill_copy(&s->vms[s->nvms++], copies[j]);
		virDomainFree(copies[j]);
	}
	free(copies);
	mark_managed_save(conn, s);
	poll_node(conn, s);
	s->ok = 1;
	return 0;
}

static void post(struct aras_collector *c, struct aras_host_sample *s)
{
	/* A pointer is far below PIPE_BUF, so the write is atomic. */
	if (write(c->pipe[1], &s, sizeof(s)) != sizeof(s))
		aras_host_sample_free(s);
}

static void post_result(struct aras_collector *c, struct aras_job_result *r)
{
	if (write(c->jpipe[1], &r, sizeof(r)) != sizeof(r))
		free(r);
}

/*
 * Thread of a job that takes a while (a migration, a life-cycle command
 * such as a managed save or a shutdown that waits for the guest), so that
 * the host's polls go on.  A migration has a watchdog that aborts it after
 * the timeout; a shutdown waits up to its own timeout (exec.c).
 */
struct job_run {
	struct aras_collector *c;
	struct job_run *next; /* c->runs, under c->lock */
	virConnectPtr conn;
	virDomainPtr dom;
	struct aras_job job;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int done;
	int cancel; /* arasd is stopping (atomic; the job reads it too) */
};

/* A running migration's progress, to the loop (not once the collector stops). */
static void post_progress(struct job_run *run, const struct aras_mig_stats *st)
{
	struct aras_collector *c = run->c;
	struct aras_job_result *r = calloc(1, sizeof(*r));

	if (!r)
		return;
	r->msg = ARAS_JOB_PROGRESS;
	r->action = run->job.action;
	r->has_stats = 1;
	r->stats = *st;
	pthread_mutex_lock(&c->lock);
	if (!c->stop)
		post_result(c, r); /* r belongs to the loop thread now */
	else
		free(r);
	pthread_mutex_unlock(&c->lock);
}

static int ts_before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/*
 * A migration's watchdog: every ARAS_MIG_PROGRESS_S it reads the job's
 * statistics and posts them to the loop (arasActionData*), at
 * post_copy_after_s it switches a migration still copying to post-copy
 * (when asked), and at the timeout, or when arasd stops, it aborts it.
 */
#define ARAS_MIG_PROGRESS_S 1
static void *mig_watchdog(void *arg)
{
	struct job_run *run = arg;
	struct timespec start, until, tick;
	/* an adopted migration was switched (or not) by the run that started it */
	int timed_out = 0, done, post_copy = run->job.post_copy && !run->job.adopt;

	clock_gettime(CLOCK_MONOTONIC, &start);
	until = start;
	/* an adopted migration without an order (another tool's) is never aborted: no timeout */
	until.tv_sec += run->job.adopt == ARAS_ADOPTED_FOLLOW ? 100L * 365 * 86400 :
			run->job.timeout_s                    ? run->job.timeout_s :
								300;
	tick = start;
	pthread_mutex_lock(&run->lock);
	while (!run->done && !timed_out && !__atomic_load_n(&run->cancel, __ATOMIC_ACQUIRE)) {
		struct timespec now;
		int rc;

		tick.tv_sec += ARAS_MIG_PROGRESS_S;
		rc = pthread_cond_timedwait(&run->cond, &run->lock,
					    ts_before(&tick, &until) ? &tick : &until);
		if (run->done || __atomic_load_n(&run->cancel, __ATOMIC_ACQUIRE))
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (!ts_before(&now, &until)) {
			timed_out = 1;
			break;
		}
		if (rc != ETIMEDOUT)
			continue;
		/* libvirt calls without the lock: job_main may finish meanwhile */
		pthread_mutex_unlock(&run->lock);
		{
			struct aras_mig_stats st;

			if (aras_virt_job_stats(run->dom, 0, &st) == 1)
				post_progress(run, &st);
			if (post_copy &&
			    (unsigned)(now.tv_sec - start.tv_sec) >= run->job.post_copy_after_s) {
				post_copy = 0;
				if (virDomainMigrateStartPostCopy(run->dom, 0) == 0)
					aras_log_tok(LOG_NOTICE, "virt",
						     "action %u: migration still copying after %u s: "
						     "switched to post-copy",
						     (unsigned)run->job.action, run->job.post_copy_after_s);
				else
					aras_log_tok(LOG_WARNING, "virt",
						     "action %u: cannot switch to post-copy: %s",
						     (unsigned)run->job.action, virGetLastErrorMessage());
			}
		}
		pthread_mutex_lock(&run->lock);
	}
	done = run->done;
	pthread_mutex_unlock(&run->lock);
	if (!done && !timed_out && run->job.adopt) {
		/* stopping: an adopted migration goes on in libvirt; the next start adopts it again */
		aras_log_tok(LOG_NOTICE, "virt",
			     "arasd is stopping: action %u's migration goes on in libvirt",
			     (unsigned)run->job.action);
	} else if (!done) {
		if (!timed_out)
			aras_log_tok(LOG_WARNING, "virt",
				     "arasd is stopping: aborting the migration of action %u",
				     (unsigned)run->job.action);
		virDomainAbortJob(run->dom);
	}
	return NULL;
}

/* Ask a long job to give up (collector stopping); c->lock held. */
static void job_cancel(struct job_run *run)
{
	pthread_mutex_lock(&run->lock);
	__atomic_store_n(&run->cancel, 1, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&run->cond);
	pthread_mutex_unlock(&run->lock);
}

/* A long job's result to the loop, unless stopping; c->lock held. */
static void hand_result(struct aras_collector *c, struct aras_job_result *r)
{
	if (r && !c->stop) {
		post_result(c, r); /* r belongs to the loop thread now */
	} else if (r) {
		/* the engine is gone: the log is the only record */
		aras_log_tok(LOG_WARNING, "virt", "arasd stopping: action %u %s%s", (unsigned)r->action,
			     r->ok ? "succeeded" : "ended: ", r->ok ? "" : r->err);
		free(r);
	}
}

/* The long job is over: off the list; its result (if any left) goes to the loop unless stopping. */
static void job_finish(struct job_run *run, struct aras_job_result *r)
{
	struct aras_collector *c = run->c;
	struct job_run **p;

	pthread_mutex_lock(&c->lock);
	for (p = &c->runs; *p && *p != run; p = &(*p)->next)
		;
	if (*p)
		*p = run->next;
	hand_result(c, r);
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
}

static void job_free(struct job_run *run)
{
	pthread_mutex_destroy(&run->lock);
	pthread_cond_destroy(&run->cond);
	free(run);
}

static void *job_main(void *arg)
{
	struct job_run *run = arg;
	struct aras_job_result *r = calloc(1, sizeof(*r));
	pthread_t wd;
	int have_wd;

	have_wd = run->job.kind == ARAS_KIND_MIGRATE && pthread_create(&wd, NULL, mig_watchdog, run) == 0;
	if (r) {
		r->action = run->job.action;
		if (run->job.kind == ARAS_KIND_MIGRATE && run->job.adopt)
			r->ok = aras_virt_follow_migration(run->dom, &run->job, r->err, sizeof(r->err)) == 0;
		else if (run->job.kind == ARAS_KIND_MIGRATE)
			r->ok = aras_virt_migrate(run->conn, run->dom, &run->job, r->err, sizeof(r->err)) ==
				0;
		else if (run->job.kind == ARAS_KIND_CLONE)
			r->ok = aras_virt_clone(run->conn, run->dom, &run->job, r->err, sizeof(r->err)) == 0;
		else
			r->ok = aras_virt_lifecycle(run->dom, &run->job, r->err, sizeof(r->err),
						    &r->detail) == 0;
	}
	pthread_mutex_lock(&run->lock);
	run->done = 1;
	pthread_cond_broadcast(&run->cond);
	pthread_mutex_unlock(&run->lock);
	if (have_wd)
		pthread_join(wd, NULL);
	if (r && r->ok && run->job.kind == ARAS_KIND_MIGRATE) {
		struct aras_mig_stats st;

		/*
		 * The result first: the completed job's figures (arasActionDowntime
		 * / Duration) mostly come from the destination, through a
		 * connection of its own whose virConnectOpen has no timeout; a
		 * destination that hangs must not keep the action running and its
		 * migration slot taken.  The figures follow as a progress message.
		 */
		pthread_mutex_lock(&run->c->lock);
		hand_result(run->c, r);
		pthread_mutex_unlock(&run->c->lock);
		r = NULL;
		if (aras_virt_completed_stats(run->dom, &run->job, &st) == 1)
			post_progress(run, &st);
	}
	/*
	 * No kick here: the engine asks for a poll at once when the loop takes
	 * a successful result (fx.kick), and none after a failure (D2).
	 */
	virDomainFree(run->dom);
	virConnectClose(run->conn); /* drops the reference taken for this thread */
	job_finish(run, r);         /* the last use of the collector */
	job_free(run);
	return NULL;
}

/*
 * Start a long job (a migration, a life-cycle command or a clone) on its own thread,
 * listed in c->runs: 0, and the thread owns dom; -1, and dom stays the caller's.
 */
static int start_long_job(struct worker *w, virDomainPtr dom, const struct aras_job *job)
{
	struct aras_collector *c = w->c;
	struct job_run *run = calloc(1, sizeof(*run));
	pthread_condattr_t ca;
	pthread_t t;

	if (!run)
		return -1;
	run->c = c;
	run->conn = w->conn;
	run->dom = dom;
	run->job = *job;
	run->job.cancel = &run->cancel;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&run->cond, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&run->lock, NULL);
	virConnectRef(w->conn);
	pthread_mutex_lock(&c->lock);
	run->next = c->runs;
	c->runs = run;
	pthread_mutex_unlock(&c->lock);
	if (pthread_create(&t, NULL, job_main, run) == 0) {
		pthread_detach(t);
		return 0;
	}
	job_finish(run, NULL);
	virConnectClose(w->conn);
	job_free(run);
	return -1;
}

/* Run one job on the worker's connection; long jobs (migrations, life-cycle commands, clones) get a thread. */
static void run_job(struct worker *w, const struct aras_job *job)
{
	struct aras_job_result *r = calloc(1, sizeof(*r));
	virDomainPtr dom = NULL;

	if (!r)
		return;
	r->action = job->action;
	if (!w->conn) {
		snprintf(r->err, sizeof(r->err), "host not connected");
		goto done;
	}
	dom = virDomainLookupByUUID(w->conn, job->uuid);
	if (!dom && job->adopt && virGetLastErrorCode() == VIR_ERR_NO_DOMAIN) {
		/* an adopted migration that ended since the poll: the destination says how */
		r->ok = aras_virt_follow_migration(NULL, job, r->err, sizeof(r->err)) == 0;
		goto done;
	}
	if (!dom) {
		aras_virt_errtext(r->err, sizeof(r->err), "VM not found on this host");
		goto done;
	}
	if (job->kind == ARAS_KIND_MIGRATE || ARAS_KIND_IS_MANAGE(job->kind)) {
		if (start_long_job(w, dom, job) == 0) {
			free(r); /* the job's thread posts its own result */
			return;
		}
		snprintf(r->err, sizeof(r->err), "cannot start the job's thread");
		goto done;
	}
	r->ok = aras_virt_apply(w->conn, dom, job, r->err, sizeof(r->err)) == 0;
done:
	if (dom)
		virDomainFree(dom);
	post_result(w->c, r);
}

static void run_jobs(struct worker *w)
{
	struct aras_collector *c = w->c;

	for (;;) {
		struct job_node *j;

		pthread_mutex_lock(&c->lock);
		j = w->jobs;
		if (j)
			w->jobs = j->next;
		pthread_mutex_unlock(&c->lock);
		if (!j)
			return;
		run_job(w, &j->job);
		free(j);
	}
}

/*
 * libvirt closed the connection (libvirtd restarted or died, keepalive
 * timed out): poll now, so that the host shows down at once and the
 * reconnect re-reads every VM (events missed meanwhile included).
 */
static void on_conn_closed(virConnectPtr conn, int reason, void *opaque)
{
	struct worker *w = opaque;

	(void)conn;
	(void)reason;
	pthread_mutex_lock(&w->c->lock);
	w->kicked = 1;
	pthread_cond_broadcast(&w->c->cond);
	pthread_mutex_unlock(&w->c->lock);
}

/* Drop the host's connection (reopened, with its events, at the next poll). */
static void close_conn(struct worker *w)
{
	if (!w->conn)
		return;
	virConnectUnregisterCloseCallback(w->conn, on_conn_closed);
	aras_virt_events_deregister(&w->events, w->conn);
	virConnectClose(w->conn);
	w->conn = NULL;
}

/*
 * Sleep secs, or with secs 0 the poll interval, or until stop/kick/a job;
 * returns 1 when stopping.  The poll interval is read again at every
 * wake-up, so a SET of it applies to the nap under way (its deadline is
 * the new interval from the nap's start: at once if that is past).
 */
static int nap(struct worker *w, unsigned secs)
{
	struct aras_collector *c = w->c;
	struct timespec start, until;
	int stop;

	clock_gettime(CLOCK_MONOTONIC, &start);
	pthread_mutex_lock(&c->lock);
	while (!c->stop && !w->kicked && !w->jobs) {
		until = start;
		until.tv_sec += secs ? secs : c->poll_s;
		if (pthread_cond_timedwait(&c->cond, &c->lock, &until) == ETIMEDOUT)
			break;
	}
	w->kicked = 0;
	stop = c->stop;
	pthread_mutex_unlock(&c->lock);
	return stop;
}

#define RECONNECT_FIRST_S 1

#if defined(__SANITIZE_THREAD__)
#define ARAS_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define ARAS_TSAN 1
#endif
#endif

/*
 * glibc's malloc_trim.  Not under ThreadSanitizer: its allocator replaces
 * malloc, and glibc's trim of its own arena, which TSan leaves uninitialised,
 * crashed there (SEGV in mtrim; CI, tsan t_inventory).
 */
static void trim_heap(void)
{
#ifndef ARAS_TSAN
	malloc_trim(0);
#endif
}

static unsigned poll_interval(struct aras_collector *c)
{
	unsigned s;

	pthread_mutex_lock(&c->lock);
	s = c->poll_s;
	pthread_mutex_unlock(&c->lock);
	return s;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct aras_collector *c = w->c;
	/*
	 * An unreachable host is tried again after 1 s, doubling up to
	 * backoff_max: a restarted libvirtd is back within seconds, whatever
	 * pollInterval is.
	 */
	unsigned backoff = RECONNECT_FIRST_S;

	for (;;) {
		struct aras_host_sample *s = calloc(1, sizeof(*s));
		uint64_t cpu0 = aras_clock_ms(CLOCK_THREAD_CPUTIME_ID), wall0 = aras_mono_ms();
		unsigned wait = 0; /* the poll interval (nap) */

		if (!s)
			goto next;
		s->host_index = w->index;
		run_jobs(w);
		if (!w->conn) {
			w->conn = virConnectOpen(w->uri);
			if (w->conn) {
				/* Only remote drivers support keepalive; failure is harmless. */
				virConnectSetKeepAlive(w->conn, 5, 3);
				/* remote drivers only: the test driver never closes */
				virConnectRegisterCloseCallback(w->conn, on_conn_closed, w, NULL);
				if (aras_virt_events_register(&w->events, w->conn, w->index, c->epipe[1],
							      &c->events_lost) < ARAS_VIRT_NEVENTS)
					aras_log_tok(LOG_INFO, "virt",
						     "host %u: %s: not every domain event is "
						     "available; polls cover the rest",
						     w->index, w->uri);
				backoff = RECONNECT_FIRST_S;
				/* events were missed while disconnected: every domain XML is read again */
				xml_free(w->xml, w->nxml);
				w->xml = NULL;
				w->nxml = 0;
				/*
				 * The test driver parses its whole fixture here; give the
				 * parser's freed memory back (3 KiB/VM of RSS otherwise).
				 */
				trim_heap();
			}
		}
		s->start_ms = aras_mono_ms();
		if (!w->conn) {
			set_err(s, "cannot connect");
		} else if (poll_host(w, s) < 0) {
			close_conn(w);
		}
		s->t_ms = aras_mono_ms();
		s->cpu_ms = aras_clock_ms(CLOCK_THREAD_CPUTIME_ID) - cpu0;
		s->wall_ms = s->t_ms - wall0;
		if (!s->ok) {
			/* Retry an unreachable host with exponential backoff, up to 8 polls (at least 60 s). */
			unsigned poll_s = poll_interval(c);
			unsigned backoff_max = poll_s * 8 < 60 ? 60 : poll_s * 8;

			wait = backoff < backoff_max ? backoff : backoff_max;
			backoff = wait * 2 > backoff_max ? backoff_max : wait * 2;
		}
		post(c, s);
	next:
		if (nap(w, wait))
			break;
	}
	close_conn(w);
	pthread_mutex_lock(&c->lock);
	w->done = 1;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

int aras_collector_start(struct aras_collector **out, const struct aras_collect_host *hosts, size_t n,
			 unsigned poll_s)
{
	struct aras_collector *c = calloc(1, sizeof(*c));
	pthread_condattr_t ca;

	if (!c)
		return -ARAS_E_NOMEM;
	c->poll_s = poll_s ? poll_s : 1;
	c->pipe[0] = c->pipe[1] = -1;
	pthread_mutex_init(&c->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&c->cond, &ca);
	pthread_condattr_destroy(&ca);
	c->jpipe[0] = c->jpipe[1] = -1;
	c->epipe[0] = c->epipe[1] = -1;
	if (pipe2(c->pipe, O_CLOEXEC) < 0 || pipe2(c->jpipe, O_CLOEXEC) < 0 ||
	    pipe2(c->epipe, O_CLOEXEC | O_NONBLOCK) < 0)
		goto fail;
	fcntl(c->pipe[0], F_SETFL, O_NONBLOCK);
	fcntl(c->jpipe[0], F_SETFL, O_NONBLOCK);
	/* a storm of events must not block libvirt's event thread: 1 MiB, then count them lost */
	fcntl(c->epipe[1], F_SETPIPE_SZ, 1 << 20);
	c->w = calloc(n ? n : 1, sizeof(*c->w));
	if (!c->w)
		goto fail;
	c->n = n;
	for (size_t i = 0; i < n; i++) {
		c->w[i].c = c;
		aras_virt_events_init(&c->w[i].events);
		c->w[i].index = hosts[i].index;
		c->w[i].uri = strdup(hosts[i].uri);
		if (!c->w[i].uri)
			goto fail;
	}
	for (size_t i = 0; i < n; i++) {
		if (pthread_create(&c->w[i].thread, NULL, worker_main, &c->w[i]) != 0)
			goto fail;
		c->w[i].started = 1;
	}
	*out = c;
	return 0;
fail:
	aras_collector_stop(c);
	return -ARAS_E_NOMEM;
}

static struct aras_host_sample *next_sample(struct aras_collector *c)
{
	struct aras_host_sample *s;

	if (read(c->pipe[0], &s, sizeof(s)) != sizeof(s))
		return NULL;
	return s;
}

int aras_collector_submit(struct aras_collector *c, unsigned host_index, const struct aras_job *job)
{
	struct job_node *j, **tail;

	for (size_t i = 0; i < c->n; i++) {
		if (c->w[i].index != host_index)
			continue;
		j = calloc(1, sizeof(*j));
		if (!j)
			return -ARAS_E_NOMEM;
		j->job = *job;
		pthread_mutex_lock(&c->lock);
		for (tail = &c->w[i].jobs; *tail; tail = &(*tail)->next)
			;
		*tail = j;
		pthread_cond_broadcast(&c->cond);
		pthread_mutex_unlock(&c->lock);
		return 0;
	}
	return -ARAS_E_NOENT;
}

static struct aras_job_result *next_result(struct aras_collector *c)
{
	struct aras_job_result *r;

	if (read(c->jpipe[0], &r, sizeof(r)) != sizeof(r))
		return NULL;
	return r;
}

/* The workers' job results, every one waiting, to the sink. */
static void on_results(void *arg, int fd, int ready)
{
	struct aras_collector *c = arg;
	struct aras_job_result *r;

	(void)fd;
	(void)ready;
	while ((r = next_result(c)) != NULL) {
		c->sink.result(c->sink.arg, r);
		free(r);
	}
}

/*
 * One host's sample per turn: SNMP requests waiting meanwhile are served
 * between two hosts' samples (the pipe stays readable for the next).
 */
static void on_sample(void *arg, int fd, int ready)
{
	struct aras_collector *c = arg;
	struct aras_host_sample *s = next_sample(c);

	(void)fd;
	(void)ready;
	if (!s)
		return;
	c->sink.sample(c->sink.arg, s);
	aras_host_sample_free(s);
}

/*
 * libvirt's domain events, to the sink at once.  However many there are
 * (a host restart stops every VM), they cost at most one fresh poll; so
 * does a full pipe (events lost: poll every host again).
 */
static void on_events(void *arg, int fd, int ready)
{
	struct aras_collector *c = arg;
	struct aras_vm_event ev;
	int reread = __atomic_exchange_n(&c->events_lost, 0, __ATOMIC_ACQ_REL);

	(void)fd;
	(void)ready;
	while (read(c->epipe[0], &ev, sizeof(ev)) == (ssize_t)sizeof(ev))
		reread |= c->sink.event(c->sink.arg, &ev);
	if (reread)
		aras_collector_kick(c);
}

int aras_collector_attach(struct aras_collector *c, struct aras_loop *l,
			  const struct aras_collector_sink *sink)
{
	int rc;

	c->sink = *sink;
	if ((rc = aras_loop_add_fd(l, c->jpipe[0], ARAS_LOOP_READ, on_results, c)) < 0 ||
	    (rc = aras_loop_add_fd(l, c->pipe[0], ARAS_LOOP_READ, on_sample, c)) < 0 ||
	    (rc = aras_loop_add_fd(l, c->epipe[0], ARAS_LOOP_READ, on_events, c)) < 0)
		return rc;
	return 0;
}

void aras_collector_set_interval(struct aras_collector *c, unsigned poll_s)
{
	pthread_mutex_lock(&c->lock);
	c->poll_s = poll_s ? poll_s : 1;
	/* every napping worker takes its new deadline (nap) */
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
}

void aras_collector_kick(struct aras_collector *c)
{
	pthread_mutex_lock(&c->lock);
	for (size_t i = 0; i < c->n; i++)
		c->w[i].kicked = 1;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
}

/* Long jobs still running; c->lock held. */
static size_t long_jobs(const struct aras_collector *c)
{
	size_t n = 0;

	for (const struct job_run *run = c->runs; run; run = run->next)
		n++;
	return n;
}

/* Workers not yet returned and long jobs still running; c->lock held. */
static size_t busy(const struct aras_collector *c)
{
	size_t n = long_jobs(c);

	for (size_t i = 0; i < c->n; i++)
		n += c->w[i].started && !c->w[i].done;
	return n;
}

/*
 * Stop the workers and long jobs (migrations are aborted, a shutdown stops
 * waiting for the guest) and wait for them up to ARAS_STOP_GRACE_S.  What
 * is still in a libvirt call then is named in the log and left behind; the
 * collector stays allocated for it (the process is exiting).
 */
void aras_collector_stop(struct aras_collector *c)
{
	struct aras_host_sample *s;
	struct timespec until;
	int timed_out = 0;

	if (!c)
		return;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += ARAS_STOP_GRACE_S;
	pthread_mutex_lock(&c->lock);
	c->stop = 1;
	pthread_cond_broadcast(&c->cond);
	for (struct job_run *run = c->runs; run; run = run->next)
		job_cancel(run);
	while (busy(c) && !timed_out)
		timed_out = pthread_cond_timedwait(&c->cond, &c->lock, &until) == ETIMEDOUT;
	if (busy(c)) {
		for (size_t i = 0; i < c->n; i++) {
			if (!c->w[i].started || c->w[i].done)
				continue;
			aras_log_tok(LOG_WARNING, "virt",
				     "host %u: %s: a libvirt call has not returned within %d s; not waiting "
				     "for it",
				     c->w[i].index, c->w[i].uri, ARAS_STOP_GRACE_S);
			pthread_detach(c->w[i].thread);
		}
		if (c->runs)
			aras_log_tok(LOG_WARNING, "virt",
				     "%zu long job(s) still running after %d s; not waiting", long_jobs(c),
				     ARAS_STOP_GRACE_S);
		pthread_mutex_unlock(&c->lock);
		return; /* c stays: the threads left behind use it */
	}
	pthread_mutex_unlock(&c->lock);
	for (size_t i = 0; i < c->n; i++) {
		if (c->w[i].started)
			pthread_join(c->w[i].thread, NULL);
		free(c->w[i].uri);
		xml_free(c->w[i].xml, c->w[i].nxml);
		aras_virt_events_destroy(&c->w[i].events);
		while (c->w[i].jobs) {
			struct job_node *j = c->w[i].jobs;

			c->w[i].jobs = j->next;
			free(j);
		}
	}
	if (c->pipe[0] >= 0) {
		while ((s = next_sample(c)) != NULL)
			aras_host_sample_free(s);
		close(c->pipe[0]);
		close(c->pipe[1]);
	}
	if (c->jpipe[0] >= 0) {
		struct aras_job_result *r;

		while ((r = next_result(c)) != NULL)
			free(r);
		close(c->jpipe[0]);
		close(c->jpipe[1]);
	}
	if (c->epipe[0] >= 0) {
		close(c->epipe[0]);
		close(c->epipe[1]);
	}
	free(c->w);
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->cond);
	free(c);
}
