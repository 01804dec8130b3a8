/*
 * backoff.h - retry backoff for actions that fail (pure C11).
 *
 * A failed action makes its VM and its source host wait before the next
 * action that involves them: the wait doubles with each failure in a row
 * (VM: ARAS_BACKOFF_VM_BASE_MS .. ARAS_BACKOFF_VM_MAX_MS, host:
 * ARAS_BACKOFF_HOST_BASE_MS .. ARAS_BACKOFF_HOST_MAX_MS) and a success ends
 * the streak.  While a host has a failure streak, at most one action on it
 * starts per wait (a probe): so however fast an action fails (a
 * maintenance evacuation the hypervisor refuses at once), a host sees at
 * most one failed action per ARAS_BACKOFF_HOST_BASE_MS, and fewer and fewer
 * as the streak grows.  Operator orders (arasVmMigrateTo) are not held.
 */
#ifndef ARAS_BACKOFF_H
#define ARAS_BACKOFF_H

#include "aras.h"

#include <stddef.h>
#include <stdint.h>

#define ARAS_BACKOFF_VM_BASE_MS 30000u
#define ARAS_BACKOFF_VM_MAX_MS 3600000u
#define ARAS_BACKOFF_HOST_BASE_MS 2000u
#define ARAS_BACKOFF_HOST_MAX_MS 600000u

struct aras_backoff_entry {
	uint8_t uuid[ARAS_UUID_LEN]; /* VM entry; all zero for a host entry */
	unsigned host;               /* host entry; 0 for a VM entry */
	uint32_t fails;              /* failures in a row */
	uint64_t until_ms;           /* nothing starts before this */
};

struct aras_backoff {
	struct aras_backoff_entry *v;
	size_t n, cap;
	uint64_t deferred; /* decisions held back (arasActionsBackedOff) */
};

void aras_backoff_init(struct aras_backoff *b);
void aras_backoff_free(struct aras_backoff *b);

/*
 * May an action for this VM on this host start now?  1 yes, 0 held back
 * (counted in b->deferred).  A yes while the host is in a streak takes the
 * host's probe: the host's wait starts again from now.
 */
int aras_backoff_admit(struct aras_backoff *b, const uint8_t uuid[ARAS_UUID_LEN], unsigned host,
		       uint64_t now_ms);

/*
 * An action for this VM on this host ended.  On failure returns the host's
 * new wait in ms (and *streak its failures in a row); on success 0 and
 * both streaks end.  -ARAS_E_NOMEM when the failure could not be recorded.
 */
int64_t aras_backoff_result(struct aras_backoff *b, const uint8_t uuid[ARAS_UUID_LEN], unsigned host, int ok,
			    uint64_t now_ms, uint32_t *streak);

/*
 * Drop the VM entries whose VM keep() says is gone (host entries stay);
 * returns how many.  Without it a VM that failed and was then undefined
 * would hold its entry for the daemon's life.
 */
size_t aras_backoff_prune(struct aras_backoff *b, int (*keep)(const uint8_t uuid[ARAS_UUID_LEN], void *arg),
			  void *arg);

/* The wait after n failures in a row: base * 2^(n-1), at most max. */
uint64_t aras_backoff_wait(uint32_t n, uint64_t base_ms, uint64_t max_ms);

#endif
