/*
 * ctl.c - see ctl.h.
 */
#include "ctl.h"

#include "rate.h"
#include "sla.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void aras_ctl_init(struct aras_ctl *c)
{
	memset(c, 0, sizeof(*c));
}

void aras_ctl_free(struct aras_ctl *c)
{
	free(c->vms);
	free(c->hosts);
	memset(c, 0, sizeof(*c));
}

static struct aras_ctl_host *ctl_host(struct aras_ctl *c, unsigned index, int create)
{
	struct aras_ctl_host *h;

	for (size_t i = 0; i < c->nhosts; i++)
		if (c->hosts[i].index == index)
			return &c->hosts[i];
	if (!create)
		return NULL;
	h = realloc(c->hosts, (c->nhosts + 1) * sizeof(*h));
	if (!h)
		return NULL;
	c->hosts = h;
	h = &h[c->nhosts++];
	memset(h, 0, sizeof(*h));
	h->index = index;
	return h;
}

/* Record each host's sample once (a new poll has a new time stamp). */
static void note_hosts(struct aras_ctl *c, const struct aras_model *m)
{
	for (size_t i = 0; i < m->nhosts; i++) {
		const struct aras_host *mh = &m->hosts[i];
		struct aras_ctl_host *h;

		if (mh->state != ARAS_HOST_UP || !mh->usage_valid)
			continue;
		h = ctl_host(c, mh->index, 1);
		if (!h || (h->n && h->t_ms[h->n - 1] == mh->prev_t_ms))
			continue;
		if (h->n == ARAS_CTL_TREND_N) {
			memmove(h->t_ms, h->t_ms + 1, (ARAS_CTL_TREND_N - 1) * sizeof(h->t_ms[0]));
			memmove(h->cpu, h->cpu + 1, (ARAS_CTL_TREND_N - 1) * sizeof(h->cpu[0]));
			h->n--;
		}
		h->t_ms[h->n] = mh->prev_t_ms;
		h->cpu[h->n] = mh->cpu_usage;
		h->n++;
	}
}

/*
 * The host's CPU predicted horizon_ms after its last sample: least squares
 * over its last k samples (no prediction: -1).
 */
static int predict_cpu(const struct aras_ctl *c, unsigned index, unsigned k, uint64_t horizon_ms)
{
	const struct aras_ctl_host *h = ctl_host((struct aras_ctl *)c, index, 0);
	double st = 0, sc = 0, stt = 0, stc = 0, b, t0, pred;
	unsigned first;

	if (!h || h->n < 2 || k < 2)
		return -1;
	if (k > h->n)
		k = h->n;
	first = h->n - k;
	t0 = (double)h->t_ms[h->n - 1];
	for (unsigned i = first; i < h->n; i++) {
		double t = ((double)h->t_ms[i] - t0) / 1000.0, y = h->cpu[i];

		st += t;
		sc += y;
		stt += t * t;
		stc += t * y;
	}
	if (k * stt - st * st <= 0)
		return -1;
	b = (k * stc - st * sc) / (k * stt - st * st);
	pred = (sc - b * st) / k + b * (double)horizon_ms / 1000.0;
	return pred < 0 ? 0 : pred > 1000 ? 1000 : (int)(pred + 0.5);
}

static size_t ctl_bound(const struct aras_ctl *c, const uint8_t *uuid)
{
	return aras_uuid_lower(c->vms, c->n, sizeof(*c->vms), offsetof(struct aras_ctl_vm, uuid), uuid);
}

struct aras_ctl_vm *aras_ctl_vm(struct aras_ctl *c, const uint8_t uuid[ARAS_UUID_LEN], int create)
{
	size_t i = ctl_bound(c, uuid);
	struct aras_ctl_vm *v;

	if (i < c->n && memcmp(c->vms[i].uuid, uuid, ARAS_UUID_LEN) == 0)
		return &c->vms[i];
	if (!create)
		return NULL;
	v = realloc(c->vms, (c->n + 1) * sizeof(*v));
	if (!v)
		return NULL;
	c->vms = v;
	memmove(&v[i + 1], &v[i], (c->n - i) * sizeof(*v));
	memset(&v[i], 0, sizeof(*v));
	memcpy(v[i].uuid, uuid, ARAS_UUID_LEN);
	c->n++;
	return &v[i];
}

size_t aras_ctl_prune(struct aras_ctl *c, const struct aras_model *m)
{
	size_t out = 0, before = c->n;

	for (size_t i = 0; i < c->n; i++)
		if (aras_model_find_vm(m, c->vms[i].uuid))
			c->vms[out++] = c->vms[i]; /* keeps the uuid order */
	c->n = out;
	if (!out) {
		free(c->vms);
		c->vms = NULL;
	}
	return before - out;
}

static const struct aras_ctl_vm *ctl_find(const struct aras_ctl *c, const uint8_t *uuid)
{
	return aras_ctl_vm((struct aras_ctl *)c, uuid, 0);
}

unsigned aras_ctl_vm_load(const struct aras_vm *vm, unsigned host_cpus)
{
	return aras_percent((uint64_t)vm->cpu_usage * vm->vcpus, (uint64_t)(host_cpus ? host_cpus : 1) * 100);
}

static int in_cooldown(const struct aras_ctl_vm *cv, const struct aras_state *st, uint64_t now_ms)
{
	uint64_t cd = (uint64_t)st->settings.v[ARAS_S_COOLDOWN] * 1000;

	return cv && cv->has_action && now_ms - cv->last_action_ms < cd;
}

/*
 * minStay: the controller moved this VM less than minStay seconds ago (its
 * own moves only; maintenance and operator moves do not start a stay).
 */
static int in_min_stay(const struct aras_ctl_vm *cv, const struct aras_state *st, uint64_t now_ms)
{
	uint64_t stay = (uint64_t)st->settings.v[ARAS_S_MIN_STAY] * 1000;

	return cv && cv->has_stay && now_ms - cv->stay_from_ms < stay;
}

/* A move of vm held back by minStay: counted once per VM and stay. */
static void held_min_stay(struct aras_ctl *c, const struct aras_vm *vm)
{
	struct aras_ctl_vm *cv = aras_ctl_vm(c, vm->uuid, 0);

	if (cv && !cv->stay_held_counted) {
		cv->stay_held_counted = 1;
		c->held_min_stay++;
	}
}

static unsigned free_pct(const struct aras_host *h, uint64_t free_kib)
{
	return aras_percent(free_kib, h->mem_total_kib);
}

/* Host figures with this round's planned moves added. */
struct proj {
	unsigned cpu; /* percent */
	uint64_t free_kib;
	unsigned io_vms;              /* VMs whose disk alert fires (contention) */
	unsigned io_busy;             /* VMs with a disk alert in any stage (placement) */
	unsigned into;                /* migrations into it */
	unsigned out;                 /* load (percent) of the moves away from it planned this round */
	struct aras_rules_map *rules; /* pr[0] only: group members per host (rules.h); NULL: no rules */
};

static int vm_running(const struct aras_vm *vm)
{
	return vm->state == ARAS_VM_RUNNING || vm->state == ARAS_VM_BLOCKED;
}

/* I/O-bound for contention: running, disk alert firing (not just clearing). */
static int io_bound(const struct aras_vm *vm)
{
	return vm_running(vm) && vm->sla[ARAS_RES_DISK - ARAS_RES_CPU].state == ARAS_ALERT_FIRING;
}

/*
 * A VM a disk-driven move should not join: its disk alert is pending,
 * firing or clearing (right after its own migration the first interval on
 * the new host may dip below the threshold; it is still I/O-heavy).
 */
static int io_busy(const struct aras_vm *vm)
{
	return vm->sla[ARAS_RES_DISK - ARAS_RES_CPU].state > ARAS_ALERT_OK;
}

static void proj_init(const struct aras_model *m, const struct aras_plan *p, struct proj *pr)
{
	for (size_t h = 0; h < m->nhosts; h++) {
		pr[h].cpu = m->hosts[h].cpu_usage;
		pr[h].free_kib = m->hosts[h].mem_free_kib;
		pr[h].io_vms = 0;
		pr[h].io_busy = 0;
		pr[h].into = p ? aras_plan_migrations(p, m->hosts[h].index) : 0;
		pr[h].out = 0;
	}
	for (size_t i = 0; i < m->nvms; i++) {
		const struct aras_vm *vm = m->vms[i];

		for (size_t h = 0; h < m->nhosts; h++) {
			if (m->hosts[h].index != vm->host)
				continue;
			pr[h].io_vms += (unsigned)io_bound(vm);
			pr[h].io_busy += (unsigned)io_busy(vm);
		}
	}
	/* migrations in flight: their VM's load is coming to the target */
	for (size_t k = 0; p && k < aras_plan_count(p); k++) {
		const struct aras_action *a = aras_plan_at(p, k);
		const struct aras_vm *vm;

		if (a->kind != ARAS_KIND_MIGRATE ||
		    (a->state != ARAS_AS_APPROVED && a->state != ARAS_AS_RUNNING))
			continue;
		vm = aras_model_find_vm(m, a->uuid);
		for (size_t h = 0; vm && h < m->nhosts; h++) {
			if (m->hosts[h].index != a->target || vm->host == a->target)
				continue;
			pr[h].cpu += aras_ctl_vm_load(vm, m->hosts[h].cpus);
			pr[h].free_kib =
				pr[h].free_kib > vm->mem_cur_kib ? pr[h].free_kib - vm->mem_cur_kib : 0;
			pr[h].io_busy += (unsigned)io_busy(vm);
		}
	}
}

static size_t host_pos(const struct aras_model *m, unsigned index)
{
	for (size_t h = 0; h < m->nhosts; h++)
		if (m->hosts[h].index == index)
			return h;
	return m->nhosts;
}

#define APPEND(buf, len, ...)                                                                                \
	do {                                                                                                 \
		size_t used_ = strlen(buf);                                                                  \
		if (used_ < (len))                                                                           \
			snprintf((buf) + used_, (len)-used_, __VA_ARGS__);                                   \
	} while (0)

/* At most pct % of the up hosts (not in maintenance) at or above high. */
static int over_at_most(const struct aras_model *m, unsigned high, unsigned pct)
{
	unsigned long over = 0, up = 0;

	for (size_t h = 0; h < m->nhosts; h++) {
		if (m->hosts[h].state != ARAS_HOST_UP || m->hosts[h].maintenance)
			continue;
		over += m->hosts[h].cpu_usage >= high;
		up++;
	}
	return up && over * 100 <= (unsigned long)pct * up;
}

/*
 * Core of placement over explicit projections; see aras_ctl_place.
 * A target that stays under hostCpuHigh wins (most headroom).  For a CPU
 * move, when none does, a relief target: one that ends at least
 * ARAS_CTL_RELIEF_GAIN points below the source's CPU now, so the move
 * lowers the worst of the two hosts (the source loses the VM's load, the
 * target stays below where the source was): the lowest CPU after the move
 * wins.  A move that would only shift the overload is never made.  No
 * relief move while more than ARAS_CTL_RELIEF_HOSTS_PCT % of the hosts are
 * at or above hostCpuHigh: then moving load between them mostly shifts it.
 */
static unsigned place(const struct aras_ctl *c, const struct aras_model *m, const struct aras_state *st,
		      const struct proj *pr, const struct aras_vm *vm, int resource, uint64_t now_ms,
		      unsigned only_host, int ignore_cooldown, char *why, size_t whylen)
{
	const struct aras_settings *s = &st->settings;
	const struct aras_ctl_vm *cv = ctl_find(c, vm->uuid);
	unsigned cpu_high = s->v[ARAS_S_HOST_CPU_HIGH], mem_min = s->v[ARAS_S_HOST_MEM_FREE_MIN];
	unsigned best = 0, relief = 0, relief_cpu = 0, src_cpu = 0;
	size_t sp = host_pos(m, vm->host);
	int best_score = -1, relief_ok = -1;
	char own[ARAS_ERRTEXT_MAX], rule_why[ARAS_ERRTEXT_MAX];

	if (!why || !whylen) {
		why = own;
		whylen = sizeof(own);
	}
	why[0] = '\0';
	if (sp < m->nhosts)
		src_cpu = pr[sp].cpu > pr[sp].out ? pr[sp].cpu - pr[sp].out : 0;
	for (size_t h = 0; h < m->nhosts; h++) {
		const struct aras_host *t = &m->hosts[h];
		unsigned load, cpu_after, free_after;
		uint64_t fk;
		int score, cpu_ok;

		if (t->index == vm->host || (only_host && t->index != only_host))
			continue;
		if (t->state != ARAS_HOST_UP || t->maintenance) {
			APPEND(why, whylen, "%s%s %s", why[0] ? "; " : "", t->name,
			       t->maintenance ? "in maintenance" : "down");
			continue;
		}
		if (!aras_rules_allows(pr[0].rules, m, st, vm, t->index, rule_why, sizeof(rule_why))) {
			APPEND(why, whylen, "%s%s", why[0] ? "; " : "", rule_why);
			continue;
		}
		if (!ignore_cooldown && cv && cv->left_host == t->index && cv->evacuated_from != t->index &&
		    now_ms - cv->left_ms < (uint64_t)s->v[ARAS_S_COOLDOWN] * 1000 * ARAS_CTL_NO_RETURN) {
			APPEND(why, whylen, "%s%s left %llu s ago", why[0] ? "; " : "", t->name,
			       (unsigned long long)((now_ms - cv->left_ms) / 1000));
			continue;
		}
		if (pr[h].into >= s->v[ARAS_S_MAX_MIGRATIONS_PER_HOST]) {
			APPEND(why, whylen, "%s%s has %u migration(s) coming", why[0] ? "; " : "", t->name,
			       pr[h].into);
			continue;
		}
		/* a CPU move to a host whose vCPUs already wait (steal) would only move the queue */
		if (resource == ARAS_RES_CPU && s->v[ARAS_S_STEAL_THRESHOLD] && t->steal_valid &&
		    t->steal_mean >= s->v[ARAS_S_STEAL_THRESHOLD]) {
			APPEND(why, whylen, "%s%s contended (mean steal %u%% >= %u%%)", why[0] ? "; " : "",
			       t->name, t->steal_mean, s->v[ARAS_S_STEAL_THRESHOLD]);
			continue;
		}
		load = aras_ctl_vm_load(vm, t->cpus);
		cpu_after = pr[h].cpu + load;
		fk = pr[h].free_kib > vm->mem_cur_kib ? pr[h].free_kib - vm->mem_cur_kib : 0;
		free_after = free_pct(t, fk);
		cpu_ok = cpu_after < cpu_high;
		if (!cpu_ok && resource == ARAS_RES_CPU && relief_ok < 0)
			relief_ok = over_at_most(m, cpu_high, ARAS_CTL_RELIEF_HOSTS_PCT);
		if (!cpu_ok &&
		    !(resource == ARAS_RES_CPU && relief_ok && cpu_after + ARAS_CTL_RELIEF_GAIN <= src_cpu)) {
			APPEND(why, whylen, "%s%s cpu %u%%+%u%% >= %u%%", why[0] ? "; " : "", t->name,
			       pr[h].cpu, load, cpu_high);
			continue;
		}
		if (free_after < mem_min || pr[h].free_kib < vm->mem_cur_kib) {
			APPEND(why, whylen, "%s%s free memory %u%% < %u%% after the move", why[0] ? "; " : "",
			       t->name, free_after, mem_min);
			continue;
		}
		if (resource == ARAS_RES_DISK && pr[h].io_busy > 0) {
			APPEND(why, whylen, "%s%s already has an I/O-bound VM", why[0] ? "; " : "", t->name);
			continue;
		}
		if (!cpu_ok) {
			if (!relief || cpu_after < relief_cpu) {
				relief = t->index;
				relief_cpu = cpu_after;
			}
			continue;
		}
		score = (int)(cpu_high - cpu_after);
		if ((int)(free_after - mem_min) < score)
			score = (int)(free_after - mem_min);
		if (score > best_score) {
			best_score = score;
			best = t->index;
		}
	}
	if (best) {
		size_t h = host_pos(m, best);
		const struct aras_host *t = &m->hosts[h];
		uint64_t fk = pr[h].free_kib > vm->mem_cur_kib ? pr[h].free_kib - vm->mem_cur_kib : 0;

		snprintf(why, whylen, "to %s: cpu %u%%+%u%% < %u%%, free memory %u%% >= %u%% after the move",
			 t->name, pr[h].cpu, aras_ctl_vm_load(vm, t->cpus), cpu_high, free_pct(t, fk),
			 mem_min);
	} else if (relief) {
		size_t h = host_pos(m, relief);
		const struct aras_host *t = &m->hosts[h];

		snprintf(why, whylen,
			 "no host stays under %u%%; relief to %s: cpu %u%%+%u%% = %u%%, %u points below the "
			 "source's %u%%",
			 cpu_high, t->name, pr[h].cpu, aras_ctl_vm_load(vm, t->cpus), relief_cpu,
			 src_cpu - relief_cpu, src_cpu);
		best = relief;
	}
	return best;
}

unsigned aras_ctl_place(const struct aras_ctl *c, const struct aras_model *m, const struct aras_state *st,
			const struct aras_plan *p, const struct aras_vm *vm, int resource, uint64_t now_ms,
			unsigned only_host, int ignore_cooldown, char *why, size_t whylen)
{
	struct proj *pr = calloc(m->nhosts ? m->nhosts : 1, sizeof(*pr));
	struct aras_rules_map rm;
	unsigned t;

	if (!pr)
		return 0;
	proj_init(m, p, pr);
	if (aras_rules_map_init(&rm, m, st, p) < 0) {
		free(pr);
		return 0;
	}
	pr[0].rules = &rm;
	t = place(c, m, st, pr, vm, resource, now_ms, only_host, ignore_cooldown, why, whylen);
	aras_rules_map_free(&rm);
	free(pr);
	return t;
}

struct cand {
	struct aras_vm *vm;
	int resource;
	int excess;
	unsigned priority;
};

static int cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	if (x->excess != y->excess)
		return x->excess > y->excess ? -1 : 1;
	return memcmp(x->vm->uuid, y->vm->uuid, ARAS_UUID_LEN);
}

/* The firing resource furthest over its threshold; 0 if none. */
static int worst_resource(const struct aras_vm *vm, const struct aras_state *st, int *excess)
{
	int best = 0;

	*excess = -1000;
	for (int r = 0; r < ARAS_NRES; r++) {
		struct aras_sla_params sp;
		int ex;

		if (vm->sla[r].state != ARAS_ALERT_FIRING)
			continue;
		aras_sla_params_for(st, vm->uuid, ARAS_RES_CPU + r, &sp);
		ex = (int)vm->sla[r].value - (int)sp.threshold;
		if (ex > *excess) {
			*excess = ex;
			best = ARAS_RES_CPU + r;
		}
	}
	return best;
}

static void decision_base(struct aras_decision *d, const struct aras_vm *vm, int kind, int resource,
			  int origin)
{
	memset(d, 0, sizeof(*d));
	memcpy(d->uuid, vm->uuid, ARAS_UUID_LEN);
	snprintf(d->vm_name, sizeof(d->vm_name), "%s", vm->name);
	d->kind = kind;
	d->source = vm->host;
	d->resource = resource;
	d->origin = origin;
}

/* A "nothing can help" notice, once per alert episode (shares the no-target flag). */
static int notice_once(struct aras_ctl *c, const struct aras_vm *vm, int resource, const char *cause,
		       struct aras_decision *out)
{
	struct aras_ctl_vm *cv = aras_ctl_vm(c, vm->uuid, 1);

	if (!cv || cv->no_target_sent)
		return 0;
	cv->no_target_sent = 1;
	decision_base(out, vm, ARAS_KIND_MIGRATE, resource, ARAS_ORIGIN_CONTROLLER);
	out->no_target = 1;
	snprintf(out->reason, sizeof(out->reason), "%.300s: nothing to do", cause);
	return 1;
}

#define PM_IGNORE_COOLDOWN 1 /* maintenance: an operator order */
#define PM_NO_NOTICE 2       /* a try (return home): no "no target" notice */

/*
 * No target for vm, but one would fit if the hosts receiving their
 * maxMigrationsPerHost had a slot: the move waits for it (arasMigrationsQueued)
 * instead of being a "no target".
 */
static int per_host_full(const struct aras_ctl *c, const struct aras_model *m, const struct aras_state *st,
			 struct proj *pr, const struct aras_vm *vm, int resource, uint64_t now_ms,
			 unsigned only_host, int flags)
{
	struct aras_state relaxed;
	int full = 0;

	for (size_t h = 0; h < m->nhosts; h++)
		full |= m->hosts[h].index != vm->host &&
			pr[h].into >= st->settings.v[ARAS_S_MAX_MIGRATIONS_PER_HOST];
	if (!full)
		return 0;
	relaxed = *st; /* shallow: place() reads the settings and the preferences */
	relaxed.settings.v[ARAS_S_MAX_MIGRATIONS_PER_HOST] = UINT32_MAX;
	return place(c, m, &relaxed, pr, vm, resource, now_ms, only_host, flags & PM_IGNORE_COOLDOWN, NULL,
		     0) != 0;
}

/*
 * Plan a migration of vm into out (updating projections and caps) or a
 * no-target notice.  Returns 1 if out was written.
 */
static int plan_move(struct aras_ctl *c, const struct aras_model *m, const struct aras_state *st,
		     struct proj *pr, unsigned *cluster_moves, struct aras_vm *vm, int resource, int origin,
		     unsigned only_host, const char *cause, uint64_t now_ms, struct aras_decision *out,
		     int flags)
{
	char why[ARAS_ERRTEXT_MAX];
	unsigned target;
	struct aras_ctl_vm *cv;

	if (*cluster_moves >= st->settings.v[ARAS_S_MAX_MIGRATIONS]) {
		c->queued++;
		return 0; /* wait for a slot; not a "no target" */
	}
	target = place(c, m, st, pr, vm, resource, now_ms, only_host, flags & PM_IGNORE_COOLDOWN, why,
		       sizeof(why));
	decision_base(out, vm, ARAS_KIND_MIGRATE, resource, origin);
	if (!target && per_host_full(c, m, st, pr, vm, resource, now_ms, only_host, flags)) {
		c->queued++;
		return 0; /* a host that fits is receiving its maxMigrationsPerHost: wait */
	}
	if (!target) {
		if (flags & PM_NO_NOTICE)
			return 0;
		cv = aras_ctl_vm(c, vm->uuid, 1);
		if (!cv || cv->no_target_sent)
			return 0;
		cv->no_target_sent = 1;
		out->no_target = 1;
		snprintf(out->reason, sizeof(out->reason), "%.200s; no host fits: %.290s", cause, why);
		return 1;
	}
	out->target = target;
	snprintf(out->reason, sizeof(out->reason), "%.200s; %.300s", cause, why);
	{
		size_t h = host_pos(m, target), sp = host_pos(m, vm->host);

		if (sp < m->nhosts)
			pr[sp].out += aras_ctl_vm_load(vm, m->hosts[sp].cpus);
		aras_rules_map_move(pr[0].rules, m, st, vm, vm->host, target);

		pr[h].cpu += aras_ctl_vm_load(vm, m->hosts[h].cpus);
		pr[h].free_kib = pr[h].free_kib > vm->mem_cur_kib ? pr[h].free_kib - vm->mem_cur_kib : 0;
		pr[h].into++;
		if (resource == ARAS_RES_DISK) {
			pr[h].io_vms++;
			pr[h].io_busy++;
		}
	}
	(*cluster_moves)++;
	return 1;
}

/* The VM to move off a host with I/O contention: lowest priority, then least memory. */
static const struct aras_vm *io_victim(const struct aras_model *m, const struct aras_state *st, unsigned host)
{
	const struct aras_vm *best = NULL;

	for (size_t i = 0; i < m->nvms; i++) {
		const struct aras_vm *vm = m->vms[i];
		unsigned pb, pv;

		if (vm->host != host || !io_bound(vm) || aras_state_pref(st, vm->uuid, ARAS_PREF_OPT_OUT))
			continue;
		if (!best) {
			best = vm;
			continue;
		}
		pb = aras_state_pref(st, best->uuid, ARAS_PREF_PRIORITY);
		pv = aras_state_pref(st, vm->uuid, ARAS_PREF_PRIORITY);
		if (pv < pb || (pv == pb && vm->mem_cur_kib < best->mem_cur_kib))
			best = vm;
	}
	return best;
}

/* Already has a decision this round (one action per VM at a time). */
static int decided(const struct aras_decision *out, size_t n, const uint8_t *uuid)
{
	for (size_t i = 0; i < n; i++)
		if (!out[i].no_target && memcmp(out[i].uuid, uuid, ARAS_UUID_LEN) == 0)
			return 1;
	return 0;
}

/*
 * A VM left host within the settle time: the host's figures may still
 * show that VM's load (a sample spans the move), so do not shed another
 * one on them.  At least ARAS_CTL_SETTLE_MIN_MS, or the hold time if longer.
 */
static int settling(const struct aras_ctl *c, const struct aras_state *st, unsigned host, uint64_t now_ms)
{
	uint64_t settle = (uint64_t)st->settings.v[ARAS_S_HOLD_TIME] * 1000;

	if (settle < ARAS_CTL_SETTLE_MIN_MS)
		settle = ARAS_CTL_SETTLE_MIN_MS;
	for (size_t i = 0; i < c->n; i++)
		if (c->vms[i].left_host == host && c->vms[i].left_ms && now_ms - c->vms[i].left_ms < settle)
			return 1;
	return 0;
}

/* A migration away from host is in flight or decided this round. */
static int leaving(const struct aras_plan *p, const struct aras_decision *out, size_t n, unsigned host)
{
	for (size_t i = 0; i < n; i++)
		if (out[i].kind == ARAS_KIND_MIGRATE && !out[i].no_target && out[i].source == host)
			return 1;
	for (size_t k = 0; p && k < aras_plan_count(p); k++) {
		const struct aras_action *a = aras_plan_at(p, k);

		if (a->kind == ARAS_KIND_MIGRATE && a->source == host &&
		    (a->state == ARAS_AS_APPROVED || a->state == ARAS_AS_RUNNING))
			return 1;
	}
	return 0;
}

/* Is a VM's use of resource r at or below the clear level (threshold - margin)? */
static int is_low(const struct aras_vm *vm, const struct aras_state *st, int r)
{
	struct aras_sla_params sp;
	unsigned v = aras_sla_value(vm, r);

	aras_sla_params_for(st, vm->uuid, r, &sp);
	return vm->sla[r - ARAS_RES_CPU].state <= ARAS_ALERT_OK && sp.threshold > sp.margin &&
	       v < sp.threshold - sp.margin;
}

/*
 * Shrink-back of what arasd added.  Note: a VM with fewer vCPUs shows a
 * higher CPU percentage; the next breach would simply add it back after
 * the cooldown, which is why shrinkAfter should be long.
 */
static size_t shrink_back(struct aras_ctl *c, const struct aras_model *m, const struct aras_state *st,
			  const struct aras_plan *p, uint64_t now_ms, struct aras_decision *out, size_t n,
			  size_t max)
{
	uint64_t after = (uint64_t)st->settings.v[ARAS_S_SHRINK_AFTER] * 1000;

	if (!after)
		return n;
	for (size_t i = 0; i < c->n && n < max; i++) {
		struct aras_ctl_vm *cv = &c->vms[i];
		const struct aras_vm *vm;
		int cpu_low, mem_low;

		if (!cv->added_vcpus && !cv->added_mem_kib)
			continue;
		vm = aras_model_find_vm(m, cv->uuid);
		if (!vm || !vm_running(vm) || !vm->rates_valid) {
			cv->low_since_ms = 0;
			continue;
		}
		cpu_low = cv->added_vcpus && vm->vcpus > 1 && is_low(vm, st, ARAS_RES_CPU);
		mem_low = cv->added_mem_kib && is_low(vm, st, ARAS_RES_MEM);
		if (!cpu_low && !mem_low) {
			cv->low_since_ms = 0;
			continue;
		}
		if (!cv->low_since_ms) {
			cv->low_since_ms = now_ms;
			continue;
		}
		if (now_ms - cv->low_since_ms < after || in_cooldown(cv, st, now_ms) ||
		    decided(out, n, vm->uuid) || (p && aras_plan_open_for(p, vm->uuid)) ||
		    aras_state_pref(st, vm->uuid, ARAS_PREF_OPT_OUT))
			continue;
		if (cpu_low) {
			decision_base(&out[n], vm, ARAS_KIND_REMOVE_VCPU, ARAS_RES_CPU,
				      ARAS_ORIGIN_CONTROLLER);
			out[n].amount = vm->vcpus - 1;
			out[n].before = vm->vcpus;
			snprintf(out[n].reason, sizeof(out[n].reason),
				 "cpu %u%% low for %llu s: return a vCPU arasd added (%u -> %u)",
				 vm->cpu_usage, (unsigned long long)((now_ms - cv->low_since_ms) / 1000),
				 vm->vcpus, vm->vcpus - 1);
		} else {
			uint64_t step = st->settings.v[ARAS_S_MEM_STEP];
			uint64_t back = cv->added_mem_kib < step ? cv->added_mem_kib : step;

			decision_base(&out[n], vm, ARAS_KIND_SHRINK_MEM, ARAS_RES_MEM,
				      ARAS_ORIGIN_CONTROLLER);
			out[n].amount = vm->mem_cur_kib > back ? vm->mem_cur_kib - back : vm->mem_cur_kib;
			out[n].before = vm->mem_cur_kib;
			snprintf(out[n].reason, sizeof(out[n].reason),
				 "memory %u%% low for %llu s: return %llu KiB arasd added", vm->mem_usage,
				 (unsigned long long)((now_ms - cv->low_since_ms) / 1000),
				 (unsigned long long)back);
		}
		cv->low_since_ms = 0;
		n++;
	}
	return n;
}

/*
 * Host-level trigger: a host whose CPU use has stayed at or above
 * hostCpuHigh for the hold time (its own SLA track) and is now at least
 * ARAS_CTL_SHED_ABOVE points over it sheds one VM per round, even when no single VM is hot (many medium VMs fill a host and
 * each sees only its share).  The VM that relieves it is the one whose
 * move helps most per byte migrated: help = how far the move lowers the
 * host, up to its excess over the threshold, and never more than the gap
 * the target keeps below the source (a relief target, see place());
 * ties: the smaller VM, then the lower UUID.  A VM no host can take is
 * not chosen while another can move, nor one whose help is under
 * ARAS_CTL_MIN_GAIN points (or the host's whole excess, if less).
 * early = EARLY_TREND: the same for a host at or above hostCpuHigh whose
 * alert is still pending, when the least-squares trend of its last
 * ARAS_CTL_TREND_K samples is still at or above hostCpuHigh at the end of
 * the hold time, or when it is saturated (at or above ARAS_CTL_SATURATED);
 * early = EARLY_SATURATED: only saturated ones (many hosts are over: the
 * trend is no reason then, a host whose VMs want more than it has is).
 * Such a move only goes to a target that stays under hostCpuHigh (no
 * relief move) and sends no no-target notice.
 */
#define EARLY_TREND 1
#define EARLY_SATURATED 2
static size_t relieve_hosts(struct aras_ctl *c, const struct aras_model *m, const struct aras_state *st,
			    const struct aras_plan *p, struct proj *pr, unsigned *cluster_moves,
			    uint64_t now_ms, struct aras_decision *out, size_t n, size_t max, int early)
{
	unsigned high = st->settings.v[ARAS_S_HOST_CPU_HIGH];
	uint64_t hold_ms = (uint64_t)st->settings.v[ARAS_S_HOLD_TIME] * 1000;

	for (size_t hp = 0; hp < m->nhosts && n < max; hp++) {
		const struct aras_host *h = &m->hosts[hp];
		struct aras_vm *pick = NULL, *fallback = NULL;
		unsigned excess, pick_load = 0, fb_load = 0;
		double pick_help = 0;
		char cause[ARAS_ERRTEXT_MAX];
		int flags = 0, saturated = 0;
		unsigned cpu = pr[hp].cpu, pred = 0;

		if (h->state != ARAS_HOST_UP || h->maintenance)
			continue;
		if (!early) {
			if (h->cpu_track.state != ARAS_ALERT_FIRING || cpu < high + ARAS_CTL_SHED_ABOVE)
				continue;
		} else {
			/* over now, hold time not over yet, no move planned away from it this round */
			int pc;

			if (h->cpu_track.state != ARAS_ALERT_PENDING || cpu < high || cpu != h->cpu_usage)
				continue;
			pc = predict_cpu(c, h->index, ARAS_CTL_TREND_K, hold_ms);
			saturated = cpu >= ARAS_CTL_SATURATED;
			if (!saturated && (early == EARLY_SATURATED || pc < (int)high))
				continue;
			pred = pc < 0 ? 0 : (unsigned)pc;
			flags = PM_NO_NOTICE;
		}
		if (leaving(p, out, n, h->index) || settling(c, st, h->index, now_ms))
			continue;
		if (*cluster_moves >= st->settings.v[ARAS_S_MAX_MIGRATIONS]) {
			c->queued += !early; /* its shedding waits for a slot */
			continue;
		}
		excess = cpu - high + 1;
		for (size_t i = 0; i < m->nvms; i++) {
			struct aras_vm *vm = m->vms[i];
			unsigned load, t, help;
			double per;

			if (vm->host != h->index || !vm_running(vm) || !vm->rates_valid ||
			    aras_state_pref(st, vm->uuid, ARAS_PREF_OPT_OUT) ||
			    in_cooldown(ctl_find(c, vm->uuid), st, now_ms) || decided(out, n, vm->uuid) ||
			    (p && aras_plan_open_for(p, vm->uuid)) ||
			    in_min_stay(ctl_find(c, vm->uuid), st, now_ms))
				continue;
			load = aras_ctl_vm_load(vm, h->cpus);
			if (load == 0)
				continue;
			if (!fallback || load > fb_load) {
				fallback = vm;
				fb_load = load;
			}
			t = place(c, m, st, pr, vm, ARAS_RES_CPU, now_ms, 0, 0, NULL, 0);
			if (!t)
				continue;
			{
				size_t tp = host_pos(m, t);
				unsigned after = pr[tp].cpu + aras_ctl_vm_load(vm, m->hosts[tp].cpus);

				if (early && after >= high)
					continue; /* a prediction does not justify a relief move */
				help = load < excess ? load : excess;
				if (after < pr[hp].cpu && pr[hp].cpu - after < help)
					help = pr[hp].cpu - after;
				if (help < (excess < ARAS_CTL_MIN_GAIN ? excess : ARAS_CTL_MIN_GAIN))
					continue; /* not worth a migration */
			}
			per = (double)help / (double)(vm->mem_cur_kib ? vm->mem_cur_kib : 1);
			if (!pick || per > pick_help ||
			    (per == pick_help && vm->mem_cur_kib < pick->mem_cur_kib)) {
				pick = vm;
				pick_load = load;
				pick_help = per;
			}
		}
		if (!pick && early)
			continue;
		if (!pick) {
			/* nothing can move: the no-target notice names the largest */
			pick = fallback;
			pick_load = fb_load;
		}
		if (!pick)
			continue;
		if (saturated)
			snprintf(cause, sizeof(cause), "host %s cpu %u%% >= %u%%, saturated; %s's load %u%%",
				 h->name, cpu, high, pick->name, pick_load);
		else if (early)
			snprintf(cause, sizeof(cause),
				 "host %s cpu %u%% >= %u%%, trend %u%% at the end of the hold time; %s's "
				 "load %u%%",
				 h->name, cpu, high, pred, pick->name, pick_load);
		else
			snprintf(cause, sizeof(cause),
				 "host %s cpu %u%% >= %u%% for the hold time; %s's load %u%%", h->name, cpu,
				 high, pick->name, pick_load);
		n += (size_t)plan_move(c, m, st, pr, cluster_moves, pick, ARAS_RES_CPU,
				       ARAS_ORIGIN_CONTROLLER, 0, cause, now_ms, &out[n], flags);
		if (n && !out[n - 1].no_target && memcmp(out[n - 1].uuid, pick->uuid, ARAS_UUID_LEN) == 0)
			pr[hp].cpu -= pick_load < pr[hp].cpu ? pick_load : pr[hp].cpu;
	}
	return n;
}

/*
 * Episodes end: a VM with no alert firing or clearing, not being evacuated
 * and not on a host whose own CPU alert fires (the host trigger's
 * episode), may be told "no target" again later.
 */
static void end_episodes(struct aras_ctl *c, const struct aras_model *m)
{
	for (size_t i = 0; i < m->nvms; i++) {
		const struct aras_vm *vm = m->vms[i];
		struct aras_ctl_vm *cv = aras_ctl_vm(c, vm->uuid, 0);
		const struct aras_host *h = aras_model_host(m, vm->host);
		int active = 0;

		for (int r = 0; r < ARAS_NRES; r++)
			active |= vm->sla[r].state == ARAS_ALERT_FIRING ||
				  vm->sla[r].state == ARAS_ALERT_CLEARING;
		if (cv && !active && !(h && (h->maintenance || h->cpu_track.state == ARAS_ALERT_FIRING)))
			cv->no_target_sent = 0;
	}
}

/* 1. Maintenance: evacuate, and bring back (operator orders, any policy). */
static size_t maintenance_moves(struct aras_ctl *c, const struct aras_model *m, const struct aras_state *st,
				const struct aras_plan *p, struct proj *pr, unsigned *cluster_moves,
				uint64_t now_ms, struct aras_decision *out, size_t n, size_t max)
{
	for (size_t i = 0; i < m->nvms && n < max; i++) {
		struct aras_vm *vm = m->vms[i];
		const struct aras_host *h = aras_model_host(m, vm->host);
		const struct aras_ctl_vm *cv = ctl_find(c, vm->uuid);
		const struct aras_host *home =
			cv && cv->evacuated_from ? aras_model_host(m, cv->evacuated_from) : NULL;
		char cause[ARAS_ERRTEXT_MAX];

		if (!vm_running(vm) || (p && aras_plan_open_for(p, vm->uuid)))
			continue;
		if (h && h->maintenance && h->state == ARAS_HOST_UP) {
			snprintf(cause, sizeof(cause), "host %s in maintenance", h->name);
			n += (size_t)plan_move(c, m, st, pr, cluster_moves, vm, ARAS_RES_NONE,
					       ARAS_ORIGIN_MAINTENANCE, 0, cause, now_ms, &out[n],
					       PM_IGNORE_COOLDOWN);
		} else if (home && home->index != vm->host && !home->maintenance &&
			   home->state == ARAS_HOST_UP) {
			snprintf(cause, sizeof(cause), "host %s out of maintenance: return", home->name);
			n += (size_t)plan_move(c, m, st, pr, cluster_moves, vm, ARAS_RES_NONE,
					       ARAS_ORIGIN_MAINTENANCE, home->index, cause, now_ms, &out[n],
					       PM_IGNORE_COOLDOWN | PM_NO_NOTICE);
		}
	}
	return n;
}

/*
 * Placement rules: each VM the engine flagged as a violator this round
 * moves to a host where it breaks no rule; none fits: one notice per
 * episode.  Its partners stay (only the flagged one of a pair is moved).
 */
static size_t rule_moves(struct aras_ctl *c, const struct aras_model *m, const struct aras_state *st,
			 const struct aras_plan *p, struct proj *pr, unsigned *cluster_moves, uint64_t now_ms,
			 struct aras_decision *out, size_t n, size_t max)
{
	for (size_t i = 0; i < m->nvms && n < max; i++) {
		struct aras_vm *vm = m->vms[i];
		struct aras_ctl_vm *cv = aras_ctl_vm(c, vm->uuid, 0);
		const struct aras_host *h = aras_model_host(m, vm->host);
		char cause[ARAS_ERRTEXT_MAX], why[ARAS_ERRTEXT_MAX];
		unsigned t;

		if (!cv || cv->rule.kind == ARAS_RB_NONE || !vm_running(vm) || !h ||
		    h->state != ARAS_HOST_UP || h->maintenance || decided(out, n, vm->uuid) ||
		    in_cooldown(cv, st, now_ms) || (p && aras_plan_open_for(p, vm->uuid)))
			continue;
		aras_rules_explain(m, st, vm, &cv->rule, cause, sizeof(cause));
		if (aras_state_pref(st, vm->uuid, ARAS_PREF_OPT_OUT))
			snprintf(why, sizeof(why), "VM opted out of allocation (arasVmAllocOptOut)");
		else if (*cluster_moves >= st->settings.v[ARAS_S_MAX_MIGRATIONS]) {
			c->queued++;
			return n; /* wait for a slot */
		} else if ((t = place(c, m, st, pr, vm, ARAS_RES_NONE, now_ms, 0, 0, why, sizeof(why))) !=
			   0) {
			n += (size_t)plan_move(c, m, st, pr, cluster_moves, vm, ARAS_RES_NONE,
					       ARAS_ORIGIN_CONTROLLER, t, cause, now_ms, &out[n],
					       PM_NO_NOTICE);
			continue;
		} else if (per_host_full(c, m, st, pr, vm, ARAS_RES_NONE, now_ms, 0, 0)) {
			c->queued++;
			continue; /* a host that fits is only busy receiving: wait, no notice */
		}
		if (cv->rule_notice_sent)
			continue;
		cv->rule_notice_sent = 1;
		decision_base(&out[n], vm, ARAS_KIND_MIGRATE, ARAS_RES_NONE, ARAS_ORIGIN_CONTROLLER);
		out[n].no_target = 1;
		snprintf(out[n].reason, sizeof(out[n].reason), "%.200s; cannot repair: %.290s", cause, why);
		n++;
	}
	return n;
}

/* The VMs the SLA step considers this round, in no order yet; how many. */
static size_t candidates(const struct aras_ctl *c, const struct aras_model *m, const struct aras_state *st,
			 const struct aras_plan *p, uint64_t now_ms, const struct aras_decision *out,
			 size_t n, struct cand *cs)
{
	size_t nc = 0;

	for (size_t i = 0; i < m->nvms; i++) {
		struct aras_vm *vm = m->vms[i];
		const struct aras_host *h = aras_model_host(m, vm->host);
		int ex, r = worst_resource(vm, st, &ex);

		if (!r || !vm_running(vm) || !h || h->state != ARAS_HOST_UP || h->maintenance ||
		    decided(out, n, vm->uuid) || aras_state_pref(st, vm->uuid, ARAS_PREF_OPT_OUT) ||
		    in_cooldown(ctl_find(c, vm->uuid), st, now_ms) || (p && aras_plan_open_for(p, vm->uuid)))
			continue;
		cs[nc].vm = vm;
		cs[nc].resource = r;
		cs[nc].excess = ex;
		cs[nc].priority = aras_state_pref(st, vm->uuid, ARAS_PREF_PRIORITY);
		nc++;
	}
	return nc;
}

/*
 * The vertical steps: grow the VM where it is.  Each returns how many
 * decisions it wrote into d (0 or 1: an action or a notice) when the VM is
 * dealt with, or -1 when a migration is the answer (cause says why).
 */
#define WANT_MOVE (-1)

/*
 * Steal as the contention signal: the VM's own steal, or the mean over its
 * host's running VMs, at or above stealThreshold (0 = off) says the vCPUs
 * wait for host CPUs; another vCPU on that host only adds to the queue.
 * Writes the figures into what (for the reason) and returns 1 then.
 */
static int contended(const struct aras_settings *s, const struct aras_vm *vm, const struct aras_host *h,
		     char *what, size_t whatlen)
{
	unsigned thr = s->v[ARAS_S_STEAL_THRESHOLD];
	int vm_hit, host_hit;

	if (!thr)
		return 0;
	vm_hit = vm->has_steal && vm->rates_valid && vm->cpu_steal >= thr;
	host_hit = h->steal_valid && h->steal_mean >= thr;
	if (!vm_hit && !host_hit)
		return 0;
	if (vm_hit)
		snprintf(what, whatlen, "steal %u%% >= %u%% (host %s mean %u%%)", vm->cpu_steal, thr, h->name,
			 h->steal_mean);
	else
		snprintf(what, whatlen, "host %s mean steal %u%% >= %u%% (this VM %u%%)", h->name,
			 h->steal_mean, thr, vm->cpu_steal);
	return 1;
}

static int vertical_cpu(struct aras_ctl *c, const struct aras_settings *s, struct proj *pr, size_t hp,
			struct aras_vm *vm, const struct aras_host *h, char *cause, size_t causelen,
			struct aras_decision *d)
{
	char steal[160];

	if (contended(s, vm, h, steal, sizeof(steal))) {
		/* the host is contended: no vCPU there, move a VM off it */
		APPEND(cause, causelen, "; %.150s: host contended, no vCPU added", steal);
		return WANT_MOVE;
	}
	if (pr[hp].cpu < s->v[ARAS_S_HOST_CPU_HIGH] && vm->vcpus < vm->vcpus_max) {
		decision_base(d, vm, ARAS_KIND_ADD_VCPU, ARAS_RES_CPU, ARAS_ORIGIN_CONTROLLER);
		d->amount = vm->vcpus + 1;
		d->before = vm->vcpus;
		snprintf(d->reason, sizeof(d->reason),
			 "%.200s; host %.64s cpu %u%% < %u%%: vCPUs %u -> %u of %u", cause, h->name,
			 pr[hp].cpu, s->v[ARAS_S_HOST_CPU_HIGH], vm->vcpus, vm->vcpus + 1, vm->vcpus_max);
		pr[hp].cpu += aras_ctl_vm_load(vm, h->cpus) / (vm->vcpus ? vm->vcpus : 1);
		return 1;
	}
	if (pr[hp].cpu < s->v[ARAS_S_HOST_CPU_HIGH]) {
		/* at its maximum on a host with room: a move gives it no more CPU */
		APPEND(cause, causelen, "; at its maximum of %u vCPUs and host %s has room", vm->vcpus_max,
		       h->name);
		return notice_once(c, vm, ARAS_RES_CPU, cause, d);
	}
	APPEND(cause, causelen, "; host cpu %u%% at or above %u%%", pr[hp].cpu, s->v[ARAS_S_HOST_CPU_HIGH]);
	return WANT_MOVE;
}

static int vertical_mem(struct aras_ctl *c, const struct aras_settings *s, struct proj *pr, size_t hp,
			struct aras_vm *vm, const struct aras_host *h, char *cause, size_t causelen,
			struct aras_decision *d)
{
	unsigned fp = free_pct(h, pr[hp].free_kib);

	/*
	 * Without balloon statistics the usage is current/max, which
	 * a bigger balloon only raises: no evidence of pressure.
	 */
	if (vm->mem_source != ARAS_MEM_GUEST) {
		APPEND(cause, causelen, "; memory use is the host view (no balloon statistics)");
		return notice_once(c, vm, ARAS_RES_MEM, cause, d);
	}
	if (fp > s->v[ARAS_S_HOST_MEM_FREE_MIN] && vm->mem_cur_kib < vm->mem_max_kib) {
		uint64_t to = vm->mem_cur_kib + s->v[ARAS_S_MEM_STEP];

		if (to > vm->mem_max_kib)
			to = vm->mem_max_kib;
		decision_base(d, vm, ARAS_KIND_GROW_MEM, ARAS_RES_MEM, ARAS_ORIGIN_CONTROLLER);
		d->amount = to;
		d->before = vm->mem_cur_kib;
		snprintf(d->reason, sizeof(d->reason),
			 "%.200s; host %.64s free memory %u%% > %u%%: balloon %llu -> %llu KiB of %llu",
			 cause, h->name, fp, s->v[ARAS_S_HOST_MEM_FREE_MIN],
			 (unsigned long long)vm->mem_cur_kib, (unsigned long long)to,
			 (unsigned long long)vm->mem_max_kib);
		pr[hp].free_kib -=
			pr[hp].free_kib > to - vm->mem_cur_kib ? to - vm->mem_cur_kib : pr[hp].free_kib;
		return 1;
	}
	if (fp > s->v[ARAS_S_HOST_MEM_FREE_MIN]) {
		/* at its maximum memory: another host gives it no more */
		APPEND(cause, causelen, "; at its maximum memory of %llu KiB",
		       (unsigned long long)vm->mem_max_kib);
		return notice_once(c, vm, ARAS_RES_MEM, cause, d);
	}
	APPEND(cause, causelen, "; host free memory %u%% at or below %u%%", fp,
	       s->v[ARAS_S_HOST_MEM_FREE_MIN]);
	return WANT_MOVE;
}

static int vertical_disk(const struct aras_model *m, const struct aras_state *st,
			 const struct aras_ctl_opts *o, struct proj *pr, size_t hp, struct aras_vm *vm,
			 const struct aras_host *h, char *cause, size_t causelen, struct aras_decision *d)
{
	const struct aras_settings *s = &st->settings;
	const struct aras_vm *victim = io_victim(m, st, vm->host);

	if (pr[hp].io_vms >= 2) {
		if (victim != vm)
			return 0; /* the other one moves */
		APPEND(cause, causelen, "; %u I/O-bound VMs contend on host %s", pr[hp].io_vms, h->name);
		return WANT_MOVE;
	}
	if (h->disk_usage < s->v[ARAS_S_HOST_DISK_LOW]) {
		decision_base(d, vm, o && o->disk_grow ? ARAS_KIND_GROW_DISK : ARAS_KIND_ADD_DISK,
			      ARAS_RES_DISK, ARAS_ORIGIN_CONTROLLER);
		d->amount = o && o->disk_step_mib ? o->disk_step_mib : ARAS_DISK_STEP_DEFAULT_MIB;
		{
			/* which disk: the one added (exec.c's first free vdX), the one grown (vda) */
			char which[ARAS_DEV_TARGET_MAX + 2] = "";
			const struct aras_disk *full = aras_devices_fullest(&vm->dev);
			char fullest[ARAS_DEV_TARGET_MAX + 32] = "";

			if (d->kind == ARAS_KIND_GROW_DISK) {
				snprintf(which, sizeof(which), " vda");
			} else if (aras_devices_next_vd(&vm->dev, which + 1, sizeof(which) - 1) == 0) {
				which[0] = ' ';
			}
			if (full)
				snprintf(fullest, sizeof(fullest), " (fullest disk %s %u%%)", full->target,
					 full->usage);
			snprintf(d->reason, sizeof(d->reason),
				 "%.200s; host %.64s storage %u%% < %u%%: %s%s %s %llu MiB%s", cause, h->name,
				 h->disk_usage, s->v[ARAS_S_HOST_DISK_LOW],
				 d->kind == ARAS_KIND_GROW_DISK ? "grow the disk" : "add a disk", which,
				 d->kind == ARAS_KIND_GROW_DISK ? "by" : "of", (unsigned long long)d->amount,
				 fullest);
		}
		return 1;
	}
	APPEND(cause, causelen, "; host storage %u%% >= %u%%", h->disk_usage, s->v[ARAS_S_HOST_DISK_LOW]);
	return WANT_MOVE;
}

size_t aras_ctl_decide(struct aras_ctl *c, const struct aras_model *m, const struct aras_state *st,
		       const struct aras_plan *p, const struct aras_ctl_opts *o, uint64_t now_ms,
		       struct aras_decision *out, size_t max)
{
	const struct aras_settings *s = &st->settings;
	struct proj *pr = calloc(m->nhosts ? m->nhosts : 1, sizeof(*pr));
	struct cand *cs = calloc(m->nvms ? m->nvms : 1, sizeof(*cs));
	unsigned cluster_moves = p ? aras_plan_migrations(p, 0) : 0;
	size_t n = 0, nc;
	struct aras_rules_map rm;

	c->queued = 0;
	memset(&rm, 0, sizeof(rm));
	if (!pr || !cs || aras_rules_map_init(&rm, m, st, p) < 0)
		goto out;
	proj_init(m, p, pr);
	pr[0].rules = &rm;
	note_hosts(c, m);
	end_episodes(c, m);
	n = maintenance_moves(c, m, st, p, pr, &cluster_moves, now_ms, out, n, max);
	if (s->v[ARAS_S_POLICY] == ARAS_POLICY_MANUAL)
		goto out;
	/* 2. placement rules broken now: repair (semiAutomatic: propose) */
	n = rule_moves(c, m, st, p, pr, &cluster_moves, now_ms, out, n, max);

	/* 3. SLA-driven allocation: only with the allocate action, never in manual. */
	if (!(s->v[ARAS_S_ACTIONS] & ARAS_ACT_ALLOCATE))
		goto out;
	n = shrink_back(c, m, st, p, now_ms, out, n, max);
	nc = candidates(c, m, st, p, now_ms, out, n, cs);
	qsort(cs, nc, sizeof(*cs), cand_cmp);
	for (size_t k = 0; k < nc && n < max; k++) {
		struct aras_vm *vm = cs[k].vm;
		const struct aras_host *h = aras_model_host(m, vm->host);
		size_t hp = host_pos(m, vm->host);
		int r = cs[k].resource, done;
		unsigned thr = vm->sla[r - ARAS_RES_CPU].value - (unsigned)cs[k].excess;
		char cause[ARAS_ERRTEXT_MAX];
		struct aras_decision *d = &out[n];

		snprintf(cause, sizeof(cause),
			 cs[k].excess >= 0 ? "%s %u%% >= %u%%" : "%s %u%% < %u%%, alert not yet clear",
			 aras_resource_name(r), vm->sla[r - ARAS_RES_CPU].value, thr);
		if (r == ARAS_RES_CPU)
			done = vertical_cpu(c, s, pr, hp, vm, h, cause, sizeof(cause), d);
		else if (r == ARAS_RES_MEM)
			done = vertical_mem(c, s, pr, hp, vm, h, cause, sizeof(cause), d);
		else
			done = vertical_disk(m, st, o, pr, hp, vm, h, cause, sizeof(cause), d);
		if (done != WANT_MOVE) {
			n += (size_t)done;
			continue;
		}
		if (in_min_stay(ctl_find(c, vm->uuid), st, now_ms)) {
			held_min_stay(c, vm); /* the controller moved it lately: it stays put */
			continue;
		}
		if (plan_move(c, m, st, pr, &cluster_moves, vm, r, ARAS_ORIGIN_CONTROLLER, 0, cause, now_ms,
			      d, 0)) {
			if (!d->no_target && r == ARAS_RES_DISK) {
				pr[hp].io_vms--;
				pr[hp].io_busy--;
			}
			n++;
		}
	}
	/*
	 * hosts whose overload has held first, then the early ones: on their
	 * trend only while few hosts are over (then the room left is kept for
	 * the held ones), saturated ones always
	 */
	n = relieve_hosts(c, m, st, p, pr, &cluster_moves, now_ms, out, n, max, 0);
	n = relieve_hosts(c, m, st, p, pr, &cluster_moves, now_ms, out, n, max,
			  over_at_most(m, s->v[ARAS_S_HOST_CPU_HIGH], ARAS_CTL_EARLY_HOSTS_PCT) ?
				  EARLY_TREND :
				  EARLY_SATURATED);
out:
	aras_rules_map_free(&rm);
	free(pr);
	free(cs);
	return n;
}

void aras_ctl_note_action(struct aras_ctl *c, const struct aras_action *a, uint64_t now_ms)
{
	struct aras_ctl_vm *cv = aras_ctl_vm(c, a->uuid, 1);

	if (!cv)
		return;
	cv->last_action_ms = now_ms;
	cv->has_action = 1;
}

void aras_ctl_note_result(struct aras_ctl *c, const struct aras_action *a, int ok, uint64_t now_ms)
{
	struct aras_ctl_vm *cv = aras_ctl_vm(c, a->uuid, 1);

	if (!cv)
		return;
	/* A failed action is not retried before its cooldown either. */
	cv->last_action_ms = now_ms;
	cv->has_action = 1;
	if (ok && a->origin == ARAS_ORIGIN_CONTROLLER) {
		/* what arasd added, for shrink-back */
		if (a->kind == ARAS_KIND_ADD_VCPU)
			cv->added_vcpus++;
		else if (a->kind == ARAS_KIND_REMOVE_VCPU && cv->added_vcpus)
			cv->added_vcpus--;
		else if (a->kind == ARAS_KIND_GROW_MEM && a->amount > a->before)
			cv->added_mem_kib += a->amount - a->before;
		else if (a->kind == ARAS_KIND_SHRINK_MEM && a->before > a->amount)
			cv->added_mem_kib -= cv->added_mem_kib < a->before - a->amount ?
						     cv->added_mem_kib :
						     a->before - a->amount;
	}
	if (!ok || a->kind != ARAS_KIND_MIGRATE)
		return;
	cv->left_host = a->source;
	cv->left_ms = now_ms;
	if (a->origin == ARAS_ORIGIN_CONTROLLER) {
		/* minStay runs from here */
		cv->has_stay = 1;
		cv->stay_from_ms = now_ms;
		cv->stay_held_counted = 0;
	}
	if (a->origin == ARAS_ORIGIN_MAINTENANCE) {
		/* leaving a host in maintenance: remember home; arriving home: done */
		if (cv->evacuated_from == a->target)
			cv->evacuated_from = 0;
		else if (!cv->evacuated_from)
			cv->evacuated_from = a->source;
	}
}

int aras_ctl_recheck(const struct aras_ctl *c, const struct aras_model *m, const struct aras_state *st,
		     const struct aras_plan *p, const struct aras_action *a, uint64_t now_ms, char *why,
		     size_t whylen)
{
	const struct aras_vm *vm = aras_model_find_vm(m, a->uuid);
	const struct aras_host *h = vm ? aras_model_host(m, vm->host) : NULL;
	char w[ARAS_ERRTEXT_MAX];

	if (!vm || !h) {
		snprintf(why, whylen, "VM no longer known");
		return -ARAS_E_INCONSIST;
	}
	if (!vm_running(vm) || h->state != ARAS_HOST_UP) {
		snprintf(why, whylen, "VM not running on an up host");
		return -ARAS_E_INCONSIST;
	}
	if (vm->host != a->source) {
		snprintf(why, whylen, "VM moved to another host meanwhile");
		return -ARAS_E_INCONSIST;
	}
	switch (a->kind) {
	case ARAS_KIND_ADD_VCPU:
		if (a->amount > vm->vcpus_max || vm->vcpus >= a->amount) {
			snprintf(why, whylen, "vCPUs now %u of %u", vm->vcpus, vm->vcpus_max);
			return -ARAS_E_INCONSIST;
		}
		if (h->cpu_usage >= st->settings.v[ARAS_S_HOST_CPU_HIGH]) {
			snprintf(why, whylen, "host %s cpu now %u%% >= %u%%", h->name, h->cpu_usage,
				 st->settings.v[ARAS_S_HOST_CPU_HIGH]);
			return -ARAS_E_INCONSIST;
		}
		if (contended(&st->settings, vm, h, w, sizeof(w))) {
			snprintf(why, whylen, "%.200s: host contended", w);
			return -ARAS_E_INCONSIST;
		}
		return 0;
	case ARAS_KIND_GROW_MEM:
		if (a->amount > vm->mem_max_kib || vm->mem_cur_kib >= a->amount) {
			snprintf(why, whylen, "memory now %llu of %llu KiB",
				 (unsigned long long)vm->mem_cur_kib, (unsigned long long)vm->mem_max_kib);
			return -ARAS_E_INCONSIST;
		}
		if (free_pct(h, h->mem_free_kib) <= st->settings.v[ARAS_S_HOST_MEM_FREE_MIN]) {
			snprintf(why, whylen, "host %s free memory now at or below %u%%", h->name,
				 st->settings.v[ARAS_S_HOST_MEM_FREE_MIN]);
			return -ARAS_E_INCONSIST;
		}
		return 0;
	case ARAS_KIND_MIGRATE:
		/* an operator's order is not bound by the VM's cooldown */
		if (aras_ctl_place(c, m, st, p, vm, a->resource, now_ms, a->target,
				   a->origin == ARAS_ORIGIN_OPERATOR || a->origin == ARAS_ORIGIN_MAINTENANCE,
				   w, sizeof(w)) != a->target) {
			snprintf(why, whylen, "target no longer fits: %s", w);
			return -ARAS_E_INCONSIST;
		}
		return 0;
	}
	return 0;
}

void aras_action_from_decision(struct aras_action *a, const struct aras_decision *d, int state, time_t wall,
			       uint64_t now_ms)
{
	memset(a, 0, sizeof(*a));
	memcpy(a->uuid, d->uuid, ARAS_UUID_LEN);
	snprintf(a->vm_name, sizeof(a->vm_name), "%s", d->vm_name);
	a->kind = d->kind;
	a->source = d->source;
	a->target = d->target;
	a->amount = d->amount;
	a->before = d->before;
	a->resource = d->resource;
	a->origin = d->origin;
	a->state = state;
	snprintf(a->reason, sizeof(a->reason), "%s", d->reason);
	a->created = wall;
	a->created_ms = now_ms;
}
