/*
 * drive.h - the engine (core/engine.h) driven by the loop: the libvirt
 * workers' samples, job results and domain events in (virt/collect.h's
 * sink), a controller round after new figures, and the 1 s timer
 * (proposal expiry, notification windows, hosts that stopped answering).
 * Each poll is recorded in the history file and counted.  Loop thread only.
 */
#ifndef ARAS_DRIVE_H
#define ARAS_DRIVE_H

#include "core/engine.h"
#include "counters.h"
#include "history.h"
#include "loop.h"
#include "virt/collect.h"

/* What the callbacks need; the caller fills the first four, attach the rest. */
struct aras_drive {
	struct aras_engine *eng;
	struct aras_collector *col;
	struct aras_history *history;
	struct aras_counters *counters;
	uint32_t polls_seen, state_seen; /* what the last round saw */
	uint32_t poll_s;                 /* the collector's poll interval */
};

/*
 * Register with l: the collector's sink (aras_collector_attach), the round
 * after each turn, the 1 s timer.  dr must outlive the loop.  0 or
 * -ARAS_E_*.
 */
int aras_drive_attach(struct aras_drive *dr, struct aras_loop *l);

#endif
