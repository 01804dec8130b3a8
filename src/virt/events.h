/*
 * events.h - libvirt's domain events on one host connection, turned into
 * struct aras_vm_event (core/model.h) and written to a pipe the loop
 * reads.  The callbacks run in libvirt's event-loop thread (collect.c).
 */
#ifndef ARAS_VIRT_EVENTS_H
#define ARAS_VIRT_EVENTS_H

#include "core/model.h"

#include <libvirt/libvirt.h>
#include <pthread.h>

/* Life cycle, reboot, balloon, job completed, device added, device removed. */
#define ARAS_VIRT_NEVENTS 6

/* VMs whose domain XML is to be read again, at most this many between two polls. */
#define ARAS_VIRT_DIRTY_MAX 256

struct aras_virt_events {
	int ids[ARAS_VIRT_NEVENTS]; /* callback ids, -1 = not registered */
	/*
	 * A define, start or device event marks the VM's XML stale: the
	 * host's worker reads it again at its next poll (collect.c).  Written
	 * in libvirt's event thread, read by the worker, under lock; more
	 * than ARAS_VIRT_DIRTY_MAX VMs set overflow (every XML read again).
	 */
	pthread_mutex_t lock;
	int lock_ready;
	size_t ndirty;
	int overflow;
	uint8_t dirty[ARAS_VIRT_DIRTY_MAX][ARAS_UUID_LEN];
};

/*
 * The VMs marked since the last call, into out (ARAS_VIRT_DIRTY_MAX
 * entries): their count, or SIZE_MAX for "every VM"; the set is emptied.
 */
size_t aras_virt_events_take_dirty(struct aras_virt_events *ev, uint8_t (*out)[ARAS_UUID_LEN]);
/* Once, before the first registration (the lock); aras_virt_events_destroy after the last. */
void aras_virt_events_init(struct aras_virt_events *ev);
void aras_virt_events_destroy(struct aras_virt_events *ev);

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
