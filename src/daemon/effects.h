/*
 * effects.h - the engine's effects (core/engine.h) wired to arasd's
 * adapters: jobs to the libvirt workers (virt/collect.h), notifications
 * to the SNMP agent (snmp/mib.h), mail and scripts (notify/), log lines to
 * the log.  Loop thread only.
 */
#ifndef ARAS_EFFECTS_H
#define ARAS_EFFECTS_H

#include "core/engine.h"

struct arasd;

/* Fill fx with the daemon's effects for d. */
void aras_effects_wire(struct arasd *d, struct aras_engine_fx *fx);

#endif
