/*
 * backoff.c - see backoff.h.  Entries live in one array, found by a linear
 * scan: only VMs and hosts with a failure streak have one, and a success
 * removes it, and so does the VM's leaving the model (aras_backoff_prune).
 */
#include "backoff.h"

#include <stdlib.h>
#include <string.h>

static const uint8_t zero_uuid[ARAS_UUID_LEN];

void aras_backoff_init(struct aras_backoff *b)
{
	memset(b, 0, sizeof(*b));
}

void aras_backoff_free(struct aras_backoff *b)
{
	free(b->v);
	memset(b, 0, sizeof(*b));
}

uint64_t aras_backoff_wait(uint32_t n, uint64_t base_ms, uint64_t max_ms)
{
	uint64_t w = base_ms;

	if (n == 0)
		return 0;
	for (uint32_t i = 1; i < n && w < max_ms; i++)
		w *= 2;
	return w < max_ms ? w : max_ms;
}

static struct aras_backoff_entry *find(struct aras_backoff *b, const uint8_t *uuid, unsigned host)
{
	for (size_t i = 0; i < b->n; i++) {
		struct aras_backoff_entry *e = &b->v[i];

		if (e->host == host && memcmp(e->uuid, uuid ? uuid : zero_uuid, ARAS_UUID_LEN) == 0)
			return e;
	}
	return NULL;
}

static struct aras_backoff_entry *get(struct aras_backoff *b, const uint8_t *uuid, unsigned host)
{
	struct aras_backoff_entry *e = find(b, uuid, host);

	if (e)
		return e;
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 16;
		struct aras_backoff_entry *v = realloc(b->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		b->v = v;
		b->cap = cap;
	}
	e = &b->v[b->n++];
	memset(e, 0, sizeof(*e));
	if (uuid)
		memcpy(e->uuid, uuid, ARAS_UUID_LEN);
	e->host = host;
	return e;
}

static void drop(struct aras_backoff *b, struct aras_backoff_entry *e)
{
	if (e)
		*e = b->v[--b->n];
}

int aras_backoff_admit(struct aras_backoff *b, const uint8_t uuid[ARAS_UUID_LEN], unsigned host,
		       uint64_t now_ms)
{
	struct aras_backoff_entry *v = find(b, uuid, 0);
	struct aras_backoff_entry *h = host ? find(b, NULL, host) : NULL;

	if ((v && now_ms < v->until_ms) || (h && now_ms < h->until_ms)) {
		b->deferred++;
		return 0;
	}
	if (h)
		h->until_ms = now_ms + aras_backoff_wait(h->fails, ARAS_BACKOFF_HOST_BASE_MS,
							 ARAS_BACKOFF_HOST_MAX_MS);
	return 1;
}

int64_t aras_backoff_result(struct aras_backoff *b, const uint8_t uuid[ARAS_UUID_LEN], unsigned host, int ok,
			    uint64_t now_ms, uint32_t *streak)
{
	struct aras_backoff_entry *v, *h;
	uint64_t hw;

	if (ok) {
		drop(b, find(b, uuid, 0));
		if (host)
			drop(b, find(b, NULL, host));
		if (streak)
			*streak = 0;
		return 0;
	}
	v = get(b, uuid, 0);
	if (!v)
		return -ARAS_E_NOMEM;
	if (v->fails < UINT32_MAX)
		v->fails++;
	v->until_ms = now_ms + aras_backoff_wait(v->fails, ARAS_BACKOFF_VM_BASE_MS, ARAS_BACKOFF_VM_MAX_MS);
	if (!host) {
		if (streak)
			*streak = v->fails;
		return (int64_t)(v->until_ms - now_ms);
	}
	h = get(b, NULL, host);
	if (!h)
		return -ARAS_E_NOMEM;
	if (h->fails < UINT32_MAX)
		h->fails++;
	hw = aras_backoff_wait(h->fails, ARAS_BACKOFF_HOST_BASE_MS, ARAS_BACKOFF_HOST_MAX_MS);
	if (h->until_ms < now_ms + hw)
		h->until_ms = now_ms + hw;
	if (streak)
		*streak = h->fails;
	return (int64_t)hw;
}

size_t aras_backoff_prune(struct aras_backoff *b, int (*keep)(const uint8_t uuid[ARAS_UUID_LEN], void *arg),
			  void *arg)
{
	size_t before = b->n;

	for (size_t i = 0; i < b->n;) {
		struct aras_backoff_entry *e = &b->v[i];

		if (!e->host && !keep(e->uuid, arg))
			drop(b, e); /* the last entry moved into slot i: look at it next */
		else
			i++;
	}
	return before - b->n;
}
