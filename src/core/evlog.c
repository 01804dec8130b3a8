/*
 * evlog.c - a ring of events; index i lives at slot (i - 1) % capacity
 * only while no resize happened, so lookups go through the oldest index.
 */
#include "evlog.h"

#include <stdlib.h>
#include <string.h>

struct aras_evlog {
	struct aras_event **ring; /* capacity slots, each allocated once */
	size_t capacity;
	size_t head; /* slot of the oldest entry */
	size_t count;
	uint32_t next_index;
	uint32_t dropped;
	struct aras_evlog_hooks hooks;
};

int aras_evlog_new(struct aras_evlog **out, size_t capacity)
{
	struct aras_evlog *l = calloc(1, sizeof(*l));

	if (!l || capacity == 0)
		goto fail;
	l->ring = calloc(capacity, sizeof(*l->ring));
	if (!l->ring)
		goto fail;
	l->capacity = capacity;
	l->next_index = 1;
	*out = l;
	return 0;
fail:
	free(l);
	return -ARAS_E_NOMEM;
}

void aras_evlog_free(struct aras_evlog *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->capacity; i++)
		free(l->ring[i]);
	free(l->ring);
	free(l);
}

void aras_evlog_set_hooks(struct aras_evlog *l, const struct aras_evlog_hooks *h)
{
	l->hooks = *h;
}

static void drop_oldest(struct aras_evlog *l)
{
	struct aras_event *e = l->ring[l->head];

	if (l->hooks.dropped)
		l->hooks.dropped(e, l->hooks.arg);
	l->head = (l->head + 1) % l->capacity;
	l->count--;
	l->dropped++;
}

struct aras_event *aras_evlog_add(struct aras_evlog *l, const struct aras_alert *a)
{
	size_t slot;
	struct aras_event *e;

	if (l->count == l->capacity)
		drop_oldest(l);
	slot = (l->head + l->count) % l->capacity;
	e = l->ring[slot];
	if (!e) {
		e = calloc(1, sizeof(*e));
		if (!e)
			return NULL;
		l->ring[slot] = e;
	}
	e->index = l->next_index++;
	if (l->next_index == 0)
		l->next_index = 1; /* arasEventIndex is 1..4294967295 */
	e->a = *a;
	e->priv = NULL;
	l->count++;
	if (l->hooks.added)
		l->hooks.added(e, l->hooks.arg);
	return e;
}

int aras_evlog_resize(struct aras_evlog *l, size_t capacity)
{
	struct aras_event **ring;
	size_t keep;

	if (capacity == 0)
		return -ARAS_E_RANGE;
	while (l->count > capacity)
		drop_oldest(l);
	ring = calloc(capacity, sizeof(*ring));
	if (!ring)
		return -ARAS_E_NOMEM;
	keep = l->count;
	for (size_t i = 0; i < keep; i++)
		ring[i] = l->ring[(l->head + i) % l->capacity];
	/* free the unused slots (dropped entries) of the old ring */
	for (size_t i = keep; i < l->capacity; i++)
		free(l->ring[(l->head + i) % l->capacity]);
	free(l->ring);
	l->ring = ring;
	l->capacity = capacity;
	l->head = 0;
	return 0;
}

size_t aras_evlog_count(const struct aras_evlog *l)
{
	return l->count;
}

uint32_t aras_evlog_dropped(const struct aras_evlog *l)
{
	return l->dropped;
}

struct aras_event *aras_evlog_at(const struct aras_evlog *l, size_t i)
{
	return i < l->count ? l->ring[(l->head + i) % l->capacity] : NULL;
}

struct aras_event *aras_evlog_get(const struct aras_evlog *l, uint32_t index)
{
	struct aras_event *oldest = aras_evlog_at(l, 0);
	uint32_t off;

	if (!oldest)
		return NULL;
	/* indexes run 1..2^32-1 and skip 0: one less step across the wrap */
	off = index - oldest->index;
	if (index < oldest->index)
		off--;
	return (index != 0 && off < l->count) ? aras_evlog_at(l, off) : NULL;
}
