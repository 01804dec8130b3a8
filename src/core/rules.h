/*
 * rules.h - placement rules (arasGroupTable), pure C11.
 *
 * A group (state.h: struct aras_group) has a rule and may restrict its
 * members to a list of hosts; a VM is a member of at most one group
 * (arasVmGroup).  Only active groups and members whose QEMU process runs
 * (aras_vm_state_active) count:
 *   antiAffinity  no two members on one host
 *   affinity      all members on one host
 *   hosts         members only on the listed hosts (empty: any)
 * A map counts the members of each group per host, as the cluster is, with
 * the migrations in flight counted at their target too, and moves planned
 * in a round added as they are planned: so two members of an anti-affinity
 * group are never sent to one host in one round.
 */
#ifndef ARAS_RULES_H
#define ARAS_RULES_H

#include "model.h"
#include "plan.h"
#include "state.h"

#include <stddef.h>

struct aras_rules_map {
	size_t nhosts, ngroups; /* model hosts (by position), state groups */
	unsigned *cnt;          /* cnt[h * ngroups + g]: members of group g on host h */
};

/* The VM's active group (index in st->groups), or -1. */
int aras_rules_group_of(const struct aras_state *st, const struct aras_vm *vm);

/*
 * Count the members as the model places them, plus each approved or running
 * migration of p (may be NULL) at its target.  0 or -ARAS_E_NOMEM.
 */
int aras_rules_map_init(struct aras_rules_map *rm, const struct aras_model *m, const struct aras_state *st,
			const struct aras_plan *p);
void aras_rules_map_free(struct aras_rules_map *rm);
/* A move of vm from host index from to host index to was planned. */
void aras_rules_map_move(struct aras_rules_map *rm, const struct aras_model *m, const struct aras_state *st,
			 const struct aras_vm *vm, unsigned from, unsigned to);

/*
 * May vm run on host index host, with the others where rm has them?  1, or
 * 0 with why ("group db (antiAffinity) has a member on h2").  A NULL or
 * empty map allows everything but the host list.
 */
int aras_rules_allows(const struct aras_rules_map *rm, const struct aras_model *m,
		      const struct aras_state *st, const struct aras_vm *vm, unsigned host, char *why,
		      size_t whylen);

/* Is name in the comma-separated list? */
int aras_rules_host_listed(const char *list, const char *name);
/*
 * Is every name of the comma-separated list a configured host
 * (arasGroupHosts)?  1, or 0 with the first unknown name in bad.
 */
int aras_rules_hosts_known(const struct aras_model *m, const char *list, char *bad, size_t badlen);

/* What a VM breaks now. */
enum aras_rule_break { ARAS_RB_NONE = 0, ARAS_RB_HOSTS = 1, ARAS_RB_ANTI = 2, ARAS_RB_AFFINITY = 3 };
struct aras_rules_flag {
	int group;      /* index in st->groups; -1: violates nothing */
	int kind;       /* enum aras_rule_break */
	unsigned other; /* ANTI: the host it shares; AFFINITY: the group's home host */
};

/*
 * The violators now, one flag per model VM (out[i] for m->vms[i]).  Of two
 * or more members of an anti-affinity group on one host, one stays and the
 * others are violators; of an affinity group, the members off its home host
 * (the host with most members) are.  Which one stays: an opted-out member,
 * then one not flagged before (prev: 1 = it was a violator last round; may
 * be NULL), then the higher priority, then the more memory, then the lower
 * UUID.  So a violation of two VMs names exactly one of them (the one to
 * move), and the same one round after round.  Returns how many violate.
 */
size_t aras_rules_violations(const struct aras_model *m, const struct aras_state *st,
			     const unsigned char *prev, struct aras_rules_flag *out);
/* One line on a violation ("group db (antiAffinity): db2 shares host h1 with another member"). */
void aras_rules_explain(const struct aras_model *m, const struct aras_state *st, const struct aras_vm *vm,
			const struct aras_rules_flag *f, char *buf, size_t len);

#endif
