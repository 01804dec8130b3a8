/*
 * events.h - libvirt's domain events on one host connection, turned into
 * struct aras_vm_event (core/model.h) and written to a pipe the loop
 * reads.  The callbacks run in libvirt's event-loop thread (collect.c).
 */
#ifndef ARAS_VIRT_EVENTS_H
#define ARAS_VIRT_EVENTS_H

#include "core/model.h"

#include <libvirt/libvirt.h>

/* Life cycle, reboot, balloon, job completed, device added, device removed. */
#define ARAS_VIRT_NEVENTS 6

struct aras_virt_events {
	int ids[ARAS_VIRT_NEVENTS]; /* callback ids, -1 = not registered */
};

/*
 * Register on conn for host host_index; events are written whole to fd
 * (non-blocking).  One that does not fit sets *lost (the loop then polls
 * every host again).  Returns how many callbacks were registered (a
 * driver may lack some); ev->ids says which.
 */
int aras_virt_events_register(struct aras_virt_events *ev, virConnectPtr conn, unsigned host_index, int fd,
			      int *lost);
/* Before the connection is closed (a registration holds a reference to it). */
void aras_virt_events_deregister(struct aras_virt_events *ev, virConnectPtr conn);

/*
 * A life-cycle event (virDomainEventType, detail) as a state, reason and
 * managed-save flag; kind ARAS_VEV_REREAD where the event says only that
 * something must be re-read (defined, undefined, a VM that left).
 */
void aras_virt_event_map(int event, int detail, struct aras_vm_event *out);

#endif
