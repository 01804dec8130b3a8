/*
 * takeover.h - arasd as the controller of a cluster whose management
 * nodes fail over (docs/ha.md): the owner file beside the state file
 * (core/owner.h) says which node's arasd controls; at start arasd reads
 * it, takes ownership, and when it takes over from another node's arasd
 * it measures the gap once it controls again (every host polled, the
 * migrations in flight adopted) and sends arasControllerTakeover.  The
 * file is touched every second (the owner's sign of life) and marked
 * stopped at a clean stop.  Loop thread only.
 */
#ifndef ARAS_TAKEOVER_H
#define ARAS_TAKEOVER_H

#include "loop.h"

struct arasd;

/* Read the owner file, take ownership, register the timer with l: 0, or -1 (logged) when l refuses. */
int aras_takeover_start(struct arasd *d, struct aras_loop *l);
/* A clean stop: the owner file says so. */
void aras_takeover_stop(struct arasd *d);

#endif
