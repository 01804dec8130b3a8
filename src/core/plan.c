/*
 * plan.c - see plan.h.  Actions are kept in index order in a growable
 * array of pointers (indexes only grow, so appending keeps it sorted).
 */
#include "plan.h"

#include "vmstate.h"

#include <stdlib.h>
#include <string.h>

struct aras_plan {
	struct aras_action **v;
	size_t n, capacity;
	uint32_t next_index;
	struct aras_plan_hooks hooks;
};

int aras_plan_new(struct aras_plan **out, size_t capacity)
{
	struct aras_plan *p = calloc(1, sizeof(*p));

	if (!p || !capacity || !(p->v = calloc(capacity, sizeof(*p->v)))) {
		free(p);
		return -ARAS_E_NOMEM;
	}
	p->capacity = capacity;
	p->next_index = 1;
	*out = p;
	return 0;
}

void aras_plan_free(struct aras_plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	free(p);
}

void aras_plan_set_hooks(struct aras_plan *p, const struct aras_plan_hooks *h)
{
	p->hooks = *h;
}

int aras_action_finished(const struct aras_action *a)
{
	return a->state == ARAS_AS_REJECTED || a->state == ARAS_AS_SUCCEEDED || a->state == ARAS_AS_FAILED ||
	       a->state == ARAS_AS_EXPIRED;
}

void aras_plan_tally(const struct aras_plan *p, unsigned *active, unsigned *waiting)
{
	*active = 0;
	*waiting = 0;
	for (size_t i = 0; p && i < aras_plan_count(p); i++) {
		int st = aras_plan_at(p, i)->state;

		*active += st == ARAS_AS_APPROVED || st == ARAS_AS_RUNNING;
		*waiting += st == ARAS_AS_PROPOSED;
	}
}

struct aras_action *aras_plan_add(struct aras_plan *p, const struct aras_action *a)
{
	struct aras_action *na;

	if (p->n == p->capacity) {
		/* drop the oldest finished action */
		size_t i;

		for (i = 0; i < p->n && !aras_action_finished(p->v[i]); i++)
			;
		if (i == p->n)
			return NULL;
		if (p->hooks.dropped)
			p->hooks.dropped(p->v[i], p->hooks.arg);
		free(p->v[i]);
		memmove(&p->v[i], &p->v[i + 1], (p->n - i - 1) * sizeof(*p->v));
		p->n--;
	}
	na = malloc(sizeof(*na));
	if (!na)
		return NULL;
	*na = *a;
	na->index = p->next_index++;
	if (p->next_index == 0)
		p->next_index = 1;
	na->priv = NULL;
	p->v[p->n++] = na;
	if (p->hooks.added)
		p->hooks.added(na, p->hooks.arg);
	return na;
}

struct aras_action *aras_plan_get(const struct aras_plan *p, uint32_t index)
{
	size_t lo = 0, hi = p->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->v[mid]->index < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo < p->n && p->v[lo]->index == index) ? p->v[lo] : NULL;
}

size_t aras_plan_count(const struct aras_plan *p)
{
	return p->n;
}

struct aras_action *aras_plan_at(const struct aras_plan *p, size_t i)
{
	return i < p->n ? p->v[i] : NULL;
}

struct aras_action *aras_plan_open_for(const struct aras_plan *p, const uint8_t uuid[ARAS_UUID_LEN])
{
	for (size_t i = p->n; i-- > 0;)
		if (!aras_action_finished(p->v[i]) && memcmp(p->v[i]->uuid, uuid, ARAS_UUID_LEN) == 0)
			return p->v[i];
	return NULL;
}

unsigned aras_plan_migrations(const struct aras_plan *p, unsigned into_host)
{
	unsigned n = 0;

	for (size_t i = 0; i < p->n; i++) {
		const struct aras_action *a = p->v[i];

		if (a->kind == ARAS_KIND_MIGRATE &&
		    (a->state == ARAS_AS_APPROVED || a->state == ARAS_AS_RUNNING) &&
		    (into_host == 0 || a->target == into_host))
			n++;
	}
	return n;
}

int aras_plan_check_decision(const struct aras_plan *p, uint32_t index, int state)
{
	const struct aras_action *a = aras_plan_get(p, index);

	if (!a)
		return -ARAS_E_NOENT;
	if (state != ARAS_AS_APPROVED && state != ARAS_AS_REJECTED)
		return -ARAS_E_RANGE;
	if (a->state != ARAS_AS_PROPOSED)
		return -ARAS_E_INCONSIST;
	return 0;
}

size_t aras_plan_expire(struct aras_plan *p, uint64_t now_ms, unsigned timeout_s,
			void (*fn)(struct aras_action *a, void *arg), void *arg)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n; i++) {
		struct aras_action *a = p->v[i];

		if (a->state == ARAS_AS_PROPOSED && now_ms - a->created_ms >= (uint64_t)timeout_s * 1000) {
			a->state = ARAS_AS_EXPIRED;
			a->finished_ms = now_ms;
			n++;
			if (fn)
				fn(a, arg);
		}
	}
	return n;
}

/*
 * Every action kind, in one place: its arasActionKind label; for the
 * operator's life-cycle kinds the arasVmCommand it carries out (0: an
 * allocation or a migration); what it does to its VM while it runs
 * (enum aras_busy: arasVmOperState migrating, suspending, ...).
 * tools/enums.sh checks (make lint) and writes (make enums) the MIB's
 * enumeration from the labels.
 */
static const struct {
	const char *name;
	int cmd;
	int busy;
} kinds[ARAS_KIND_MAX + 1] = {
	[ARAS_KIND_ADD_VCPU] = { "addVcpu", 0, ARAS_BUSY_NONE },
	[ARAS_KIND_GROW_MEM] = { "growMemory", 0, ARAS_BUSY_NONE },
	[ARAS_KIND_ADD_DISK] = { "addDisk", 0, ARAS_BUSY_NONE },
	[ARAS_KIND_GROW_DISK] = { "growDisk", 0, ARAS_BUSY_NONE },
	[ARAS_KIND_MIGRATE] = { "migrate", 0, ARAS_BUSY_MIGRATING },
	[ARAS_KIND_REMOVE_VCPU] = { "removeVcpu", 0, ARAS_BUSY_NONE },
	[ARAS_KIND_SHRINK_MEM] = { "shrinkMemory", 0, ARAS_BUSY_NONE },
	[ARAS_KIND_START] = { "start", ARAS_CMD_START, ARAS_BUSY_STARTING },
	[ARAS_KIND_SHUTDOWN] = { "shutdown", ARAS_CMD_SHUTDOWN, ARAS_BUSY_SHUTTING_DOWN },
	[ARAS_KIND_SHUTDOWN_FORCE] = { "shutdownForce", ARAS_CMD_SHUTDOWN_FORCE, ARAS_BUSY_SHUTTING_DOWN },
	[ARAS_KIND_DESTROY] = { "destroy", ARAS_CMD_DESTROY, ARAS_BUSY_NONE },
	[ARAS_KIND_REBOOT] = { "reboot", ARAS_CMD_REBOOT, ARAS_BUSY_NONE },
	[ARAS_KIND_SUSPEND] = { "suspend", ARAS_CMD_SUSPEND, ARAS_BUSY_NONE },
	[ARAS_KIND_RESUME] = { "resume", ARAS_CMD_RESUME, ARAS_BUSY_NONE },
	[ARAS_KIND_MANAGED_SAVE] = { "managedSave", ARAS_CMD_MANAGED_SAVE, ARAS_BUSY_SAVING },
	[ARAS_KIND_RESTORE] = { "restore", ARAS_CMD_RESTORE, ARAS_BUSY_RESTORING },
	[ARAS_KIND_UNDEFINE] = { "undefine", ARAS_CMD_UNDEFINE, ARAS_BUSY_NONE },
	[ARAS_KIND_CLONE] = { "clone", 0, ARAS_BUSY_NONE },
};

const char *aras_kind_name(int kind)
{
	return (kind >= 1 && kind <= ARAS_KIND_MAX && kinds[kind].name) ? kinds[kind].name : "unknown";
}

int aras_kind_cmd(int kind)
{
	return (kind >= 1 && kind <= ARAS_KIND_MAX) ? kinds[kind].cmd : 0;
}

int aras_kind_busy(int kind)
{
	return (kind >= 1 && kind <= ARAS_KIND_MAX) ? kinds[kind].busy : ARAS_BUSY_NONE;
}

int aras_kind_of_cmd(int cmd)
{
	for (int k = 1; k <= ARAS_KIND_MAX; k++)
		if (cmd != 0 && kinds[k].cmd == cmd)
			return k;
	return 0;
}

const char *aras_origin_name(int origin)
{
	static const char *const names[] = { "", "controller", "operator", "maintenance" };

	return (origin >= 1 && origin <= ARAS_ORIGIN_MAINTENANCE) ? names[origin] : "unknown";
}

const char *aras_astate_name(int state)
{
	static const char *const names[] = { "",        "proposed",  "approved", "rejected",
					     "running", "succeeded", "failed",   "expired" };

	return (state >= 1 && state <= ARAS_AS_EXPIRED) ? names[state] : "unknown";
}

uint64_t aras_mib_of_bytes(uint64_t bytes)
{
	return (bytes + 512 * 1024) / (1024 * 1024);
}
