/*
 * evlog.h - the bounded event log behind arasEventTable: breaches, clears,
 * actions and host state changes, each with a rising index (1, 2, ...).
 * When full the oldest entry is dropped and counted.  Pure C11.
 */
#ifndef ARAS_EVLOG_H
#define ARAS_EVLOG_H

#include "alert.h"

#include <stddef.h>
#include <stdint.h>

struct aras_event {
	uint32_t index; /* arasEventIndex */
	struct aras_alert a;
	void *priv; /* owned by the SNMP adapter (its row) */
};

struct aras_evlog;

struct aras_evlog_hooks {
	void (*added)(struct aras_event *e, void *arg);
	void (*dropped)(struct aras_event *e, void *arg); /* before it is reused */
	void *arg;
};

int aras_evlog_new(struct aras_evlog **out, size_t capacity);
void aras_evlog_free(struct aras_evlog *l);
void aras_evlog_set_hooks(struct aras_evlog *l, const struct aras_evlog_hooks *h);

/* Append a copy of a; returns the stored event (its index set). */
struct aras_event *aras_evlog_add(struct aras_evlog *l, const struct aras_alert *a);

/* Change the capacity (dropping the oldest as needed). 0 or -ARAS_E_NOMEM. */
int aras_evlog_resize(struct aras_evlog *l, size_t capacity);

size_t aras_evlog_count(const struct aras_evlog *l);
uint32_t aras_evlog_dropped(const struct aras_evlog *l);
/* The event with this index, or NULL if dropped / not yet written. */
struct aras_event *aras_evlog_get(const struct aras_evlog *l, uint32_t index);
/* i-th oldest entry (0 = oldest), or NULL. */
struct aras_event *aras_evlog_at(const struct aras_evlog *l, size_t i);

#endif
