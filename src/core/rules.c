/*
 * rules.c - see rules.h.
 */
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int aras_rules_group_of(const struct aras_state *st, const struct aras_vm *vm)
{
	const struct aras_vm_prefs *p;
	int g;

	if (!st->ngroups || !(p = aras_state_find_prefs(st, vm->uuid)) || !p->group[0])
		return -1;
	g = aras_state_group_index(st, p->group);
	return (g >= 0 && st->groups[g].active) ? g : -1;
}

static size_t pos_of(const struct aras_model *m, unsigned host)
{
	for (size_t h = 0; h < m->nhosts; h++)
		if (m->hosts[h].index == host)
			return h;
	return m->nhosts;
}

static void add(struct aras_rules_map *rm, const struct aras_model *m, int g, unsigned host, int delta)
{
	size_t h = pos_of(m, host);
	unsigned *c;

	if (g < 0 || h >= rm->nhosts || (size_t)g >= rm->ngroups)
		return;
	c = &rm->cnt[h * rm->ngroups + (size_t)g];
	if (delta > 0)
		(*c)++;
	else if (*c)
		(*c)--;
}

int aras_rules_map_init(struct aras_rules_map *rm, const struct aras_model *m, const struct aras_state *st,
			const struct aras_plan *p)
{
	memset(rm, 0, sizeof(*rm));
	if (!st->ngroups || !m->nhosts)
		return 0;
	rm->cnt = calloc(m->nhosts * st->ngroups, sizeof(*rm->cnt));
	if (!rm->cnt)
		return -ARAS_E_NOMEM;
	rm->nhosts = m->nhosts;
	rm->ngroups = st->ngroups;
	for (size_t i = 0; i < m->nvms; i++) {
		const struct aras_vm *vm = m->vms[i];

		if (aras_vm_state_active(vm->state))
			add(rm, m, aras_rules_group_of(st, vm), vm->host, 1);
	}
	/* a migration in flight holds its target already */
	for (size_t k = 0; p && k < aras_plan_count(p); k++) {
		const struct aras_action *a = aras_plan_at(p, k);
		const struct aras_vm *vm;

		if (a->kind != ARAS_KIND_MIGRATE ||
		    (a->state != ARAS_AS_APPROVED && a->state != ARAS_AS_RUNNING))
			continue;
		vm = aras_model_find_vm(m, a->uuid);
		if (vm && vm->host != a->target && aras_vm_state_active(vm->state))
			add(rm, m, aras_rules_group_of(st, vm), a->target, 1);
	}
	return 0;
}

void aras_rules_map_free(struct aras_rules_map *rm)
{
	free(rm->cnt);
	memset(rm, 0, sizeof(*rm));
}

void aras_rules_map_move(struct aras_rules_map *rm, const struct aras_model *m, const struct aras_state *st,
			 const struct aras_vm *vm, unsigned from, unsigned to)
{
	int g;

	if (!rm || !rm->cnt || (g = aras_rules_group_of(st, vm)) < 0)
		return;
	add(rm, m, g, from, -1);
	add(rm, m, g, to, 1);
}

/*
 * The items of a comma-separated host list, one per call: the item at *s
 * (its length in *len), *s moved past it; 0 when none is left.
 */
static int next_item(const char **s, const char **item, size_t *len)
{
	const char *e;

	if (!**s)
		return 0;
	e = strchr(*s, ',');
	*item = *s;
	*len = e ? (size_t)(e - *s) : strlen(*s);
	*s = e ? e + 1 : *s + *len;
	return 1;
}

int aras_rules_host_listed(const char *list, const char *name)
{
	size_t n = strlen(name), len;
	const char *item;

	while (next_item(&list, &item, &len))
		if (len == n && strncmp(item, name, n) == 0)
			return 1;
	return 0;
}

int aras_rules_hosts_known(const struct aras_model *m, const char *list, char *bad, size_t badlen)
{
	size_t len;
	const char *item;

	while (next_item(&list, &item, &len)) {
		int found = 0;

		for (size_t h = 0; h < m->nhosts && !found; h++)
			found = strlen(m->hosts[h].name) == len && strncmp(m->hosts[h].name, item, len) == 0;
		if (!found) {
			snprintf(bad, badlen, "%.*s", (int)len, item);
			return 0;
		}
	}
	return 1;
}

/* A host an affinity group may call home: up and not in maintenance. */
static int home_ok(const struct aras_host *h)
{
	return h->state == ARAS_HOST_UP && !h->maintenance;
}

/* Members of g on host position h other than vm. */
static unsigned others_at(const struct aras_rules_map *rm, const struct aras_model *m,
			  const struct aras_vm *vm, int g, size_t h)
{
	unsigned c = rm->cnt[h * rm->ngroups + (size_t)g];

	if (m->hosts[h].index == vm->host && aras_vm_state_active(vm->state) && c)
		c--;
	return c;
}

int aras_rules_allows(const struct aras_rules_map *rm, const struct aras_model *m,
		      const struct aras_state *st, const struct aras_vm *vm, unsigned host, char *why,
		      size_t whylen)
{
	int g = aras_rules_group_of(st, vm);
	const struct aras_group *gr;
	const struct aras_host *t = aras_model_host(m, host);
	size_t tp = pos_of(m, host);
	unsigned here, most = 0;
	size_t most_h = 0;

	if (g < 0 || !t)
		return 1;
	gr = &st->groups[g];
	if (gr->hosts[0] && !aras_rules_host_listed(gr->hosts, t->name)) {
		snprintf(why, whylen, "%s not in group %s's hosts (%s)", t->name, gr->name, gr->hosts);
		return 0;
	}
	if (!rm || !rm->cnt || (size_t)g >= rm->ngroups || tp >= rm->nhosts)
		return 1;
	here = others_at(rm, m, vm, g, tp);
	if (gr->rule == ARAS_RULE_ANTI_AFFINITY) {
		if (here) {
			snprintf(why, whylen, "%s holds %u other member(s) of antiAffinity group %s", t->name,
				 here, gr->name);
			return 0;
		}
		return 1;
	}
	for (size_t h = 0; h < rm->nhosts; h++) {
		unsigned c;

		/*
		 * The group's home is where its members can stay: members on a
		 * host going into maintenance or down do not hold the others
		 * there (else an affinity group could never be evacuated).
		 */
		if (!home_ok(&m->hosts[h]))
			continue;
		c = others_at(rm, m, vm, g, h);
		if (c > most) {
			most = c;
			most_h = h;
		}
	}
	if (most && here < most) {
		snprintf(why, whylen, "affinity group %s runs on %s, not %s", gr->name, m->hosts[most_h].name,
			 t->name);
		return 0;
	}
	return 1;
}

/* Does a stay rather than b when only one may? */
static int stays_before(const struct aras_state *st, const struct aras_model *m, const unsigned char *prev,
			size_t a, size_t b)
{
	const struct aras_vm *x = m->vms[a], *y = m->vms[b];
	unsigned ox = aras_state_pref(st, x->uuid, ARAS_PREF_OPT_OUT),
		 oy = aras_state_pref(st, y->uuid, ARAS_PREF_OPT_OUT);
	unsigned px = aras_state_pref(st, x->uuid, ARAS_PREF_PRIORITY),
		 py = aras_state_pref(st, y->uuid, ARAS_PREF_PRIORITY);
	int fx = prev ? prev[a] : 0, fy = prev ? prev[b] : 0;

	if (ox != oy)
		return ox > oy;
	if (fx != fy)
		return fx < fy;
	if (px != py)
		return px > py;
	if (x->mem_cur_kib != y->mem_cur_kib)
		return x->mem_cur_kib > y->mem_cur_kib;
	return memcmp(x->uuid, y->uuid, ARAS_UUID_LEN) < 0;
}

size_t aras_rules_violations(const struct aras_model *m, const struct aras_state *st,
			     const unsigned char *prev, struct aras_rules_flag *out)
{
	size_t n = 0, *mem = NULL, nmem;
	int *grp = NULL;

	for (size_t i = 0; i < m->nvms; i++) {
		out[i].group = -1;
		out[i].kind = ARAS_RB_NONE;
		out[i].other = 0;
	}
	if (!st->ngroups || !m->nvms)
		return 0;
	grp = malloc(m->nvms * sizeof(*grp));
	mem = malloc(m->nvms * sizeof(*mem));
	if (!grp || !mem)
		goto out;
	for (size_t i = 0; i < m->nvms; i++)
		grp[i] = aras_vm_state_active(m->vms[i]->state) ? aras_rules_group_of(st, m->vms[i]) : -1;
	for (size_t g = 0; g < st->ngroups; g++) {
		const struct aras_group *gr = &st->groups[g];

		nmem = 0;
		for (size_t i = 0; i < m->nvms; i++)
			if (grp[i] == (int)g)
				mem[nmem++] = i;
		if (!nmem)
			continue;
		/* hosts: a member off the list */
		for (size_t k = 0; gr->hosts[0] && k < nmem; k++) {
			const struct aras_host *h = aras_model_host(m, m->vms[mem[k]]->host);

			if (h && !aras_rules_host_listed(gr->hosts, h->name)) {
				out[mem[k]].group = (int)g;
				out[mem[k]].kind = ARAS_RB_HOSTS;
			}
		}
		if (gr->rule == ARAS_RULE_ANTI_AFFINITY) {
			/* per host, one member stays */
			for (size_t k = 0; k < nmem; k++) {
				size_t keep = mem[k];
				unsigned host = m->vms[keep]->host, count = 0;

				if (out[keep].kind != ARAS_RB_NONE)
					continue;
				for (size_t j = 0; j < nmem; j++) {
					size_t v = mem[j];

					if (m->vms[v]->host != host || out[v].kind != ARAS_RB_NONE)
						continue;
					count++;
					if (stays_before(st, m, prev, v, keep))
						keep = v;
				}
				if (count < 2)
					continue;
				for (size_t j = 0; j < nmem; j++) {
					size_t v = mem[j];

					if (v == keep || m->vms[v]->host != host ||
					    out[v].kind != ARAS_RB_NONE)
						continue;
					out[v].group = (int)g;
					out[v].kind = ARAS_RB_ANTI;
					out[v].other = host;
				}
			}
		} else {
			/* affinity: home is the host with most members (ties: where one that stays is) */
			size_t best = mem[0];
			unsigned best_c = 0;
			int any_home = 0;

			for (size_t k = 0; k < nmem; k++) {
				const struct aras_host *hk = aras_model_host(m, m->vms[mem[k]]->host);

				if (hk && home_ok(hk) && out[mem[k]].kind != ARAS_RB_HOSTS)
					any_home = 1;
			}

			for (size_t k = 0; k < nmem; k++) {
				unsigned c = 0;
				size_t lead = mem[k];
				const struct aras_host *hk = aras_model_host(m, m->vms[mem[k]]->host);

				/* home: a host it may stay on (rules.h), when any member has one */
				if (any_home && (!hk || !home_ok(hk) || out[mem[k]].kind == ARAS_RB_HOSTS))
					continue;
				for (size_t j = 0; j < nmem; j++)
					if (m->vms[mem[j]]->host == m->vms[mem[k]]->host) {
						c++;
						if (stays_before(st, m, prev, mem[j], lead))
							lead = mem[j];
					}
				if (c > best_c || (c == best_c && stays_before(st, m, prev, lead, best))) {
					best = lead;
					best_c = c;
				}
			}
			for (size_t k = 0; k < nmem; k++) {
				size_t v = mem[k];

				if (m->vms[v]->host == m->vms[best]->host || out[v].kind != ARAS_RB_NONE)
					continue;
				out[v].group = (int)g;
				out[v].kind = ARAS_RB_AFFINITY;
				out[v].other = m->vms[best]->host;
			}
		}
	}
	for (size_t i = 0; i < m->nvms; i++)
		n += out[i].kind != ARAS_RB_NONE;
out:
	free(grp);
	free(mem);
	return n;
}

void aras_rules_explain(const struct aras_model *m, const struct aras_state *st, const struct aras_vm *vm,
			const struct aras_rules_flag *f, char *buf, size_t len)
{
	const struct aras_group *g =
		f->group >= 0 && (size_t)f->group < st->ngroups ? &st->groups[f->group] : NULL;
	const struct aras_host *h = aras_model_host(m, vm->host), *o = aras_model_host(m, f->other);
	const char *hn = h ? h->name : "?", *on = o ? o->name : "?";

	if (!g) {
		snprintf(buf, len, "VM %s breaks no rule", vm->name);
		return;
	}
	switch (f->kind) {
	case ARAS_RB_HOSTS:
		snprintf(buf, len, "group %s: VM %.64s runs on %s, not one of its hosts (%s)", g->name,
			 vm->name, hn, g->hosts);
		return;
	case ARAS_RB_ANTI:
		snprintf(buf, len, "group %s (antiAffinity): VM %.64s shares host %s with another member",
			 g->name, vm->name, hn);
		return;
	case ARAS_RB_AFFINITY:
		snprintf(buf, len, "group %s (affinity): VM %.64s runs on %s, the group on %s", g->name,
			 vm->name, hn, on);
		return;
	}
	snprintf(buf, len, "VM %s breaks no rule", vm->name);
}
