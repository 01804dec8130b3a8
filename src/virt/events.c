/*
 * events.c - see events.h.
 */
#include "events.h"

#include "clock.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/*
 * What a callback writes to.  Made in a worker, read in libvirt's event
 * thread: libvirt's registration hands it over under glib's locks, which
 * ThreadSanitizer cannot see, so the worker publishes it (release) and
 * each callback takes it (acquire): the order is explicit, not borrowed.
 */
struct sink {
	unsigned host;
	int fd;
	int *lost;
	struct aras_virt_events *ev; /* its dirty set */
	int published;
};

void aras_virt_events_init(struct aras_virt_events *ev)
{
	memset(ev, 0, sizeof(*ev));
	for (int i = 0; i < ARAS_VIRT_NEVENTS; i++)
		ev->ids[i] = -1;
	ev->lock_ready = pthread_mutex_init(&ev->lock, NULL) == 0;
}

void aras_virt_events_destroy(struct aras_virt_events *ev)
{
	if (ev->lock_ready)
		pthread_mutex_destroy(&ev->lock);
	ev->lock_ready = 0;
}

/* The VM's domain XML changed (defined, started: a NIC's target, a device added or removed). */
static void mark_dirty(const struct sink *k, virDomainPtr dom)
{
	struct aras_virt_events *ev = k->ev;
	unsigned char u[VIR_UUID_BUFLEN];

	if (!ev->lock_ready)
		return;
	if (virDomainGetUUID(dom, u) < 0) {
		pthread_mutex_lock(&ev->lock);
		ev->overflow = 1;
		pthread_mutex_unlock(&ev->lock);
		return;
	}
	pthread_mutex_lock(&ev->lock);
	for (size_t i = 0; i < ev->ndirty; i++)
		if (memcmp(ev->dirty[i], u, ARAS_UUID_LEN) == 0)
			goto out;
	if (ev->ndirty < ARAS_VIRT_DIRTY_MAX)
		memcpy(ev->dirty[ev->ndirty++], u, ARAS_UUID_LEN);
	else
		ev->overflow = 1;
out:
	pthread_mutex_unlock(&ev->lock);
}

size_t aras_virt_events_take_dirty(struct aras_virt_events *ev, uint8_t (*out)[ARAS_UUID_LEN])
{
	size_t n;

	if (!ev->lock_ready)
		return 0;
	pthread_mutex_lock(&ev->lock);
	n = ev->overflow ? SIZE_MAX : ev->ndirty;
	if (!ev->overflow)
		memcpy(out, ev->dirty, n * sizeof(ev->dirty[0]));
	ev->ndirty = 0;
	ev->overflow = 0;
	pthread_mutex_unlock(&ev->lock);
	return n;
}

static void post(const struct sink *k, virDomainPtr dom, struct aras_vm_event *ev)
{
	if (!__atomic_load_n(&k->published, __ATOMIC_ACQUIRE))
		return; /* cannot happen: published before it is registered */
	ev->host_index = k->host;
	ev->t_ms = aras_mono_ms();
	if (virDomainGetUUID(dom, ev->uuid) < 0)
		ev->kind = ARAS_VEV_REREAD;
	/* far below PIPE_BUF: written whole or not at all */
	if (write(k->fd, ev, sizeof(*ev)) != (ssize_t)sizeof(*ev))
		__atomic_store_n(k->lost, 1, __ATOMIC_RELEASE);
}

static void set(struct aras_vm_event *o, int state, int reason, int managed_save, const char *what)
{
	o->kind = ARAS_VEV_STATE;
	o->state = state;
	o->reason = reason;
	o->managed_save = managed_save;
	snprintf(o->what, sizeof(o->what), "%s", what);
}

/* virDomainEventSuspendedDetailType -> virDomainPausedReason */
static const int paused_reason[] = { 1 /* user */,      2 /* migration */,       5 /* ioerror */,
				     6 /* watchdog */,  1 /* restored paused */, 7 /* from snapshot */,
				     0 /* api error */, 12 /* postcopy */,       13 /* postcopy failed */ };
/* virDomainEventResumedDetailType -> virDomainRunningReason */
static const int resumed_reason[] = { 5 /* unpaused */, 2 /* migrated */, 4 /* from snapshot */,
				      10 /* postcopy */, 11 /* postcopy failed */ };
/* virDomainEventStartedDetailType -> virDomainRunningReason */
static const int started_reason[] = { 1 /* booted */, 2 /* migrated */, 3 /* restored */,
				      4 /* from snapshot */, 8 /* wakeup */ };

#define AT(tab, i) ((i) >= 0 && (size_t)(i) < sizeof(tab) / sizeof((tab)[0]) ? (tab)[i] : 0)

void aras_virt_event_map(int event, int detail, struct aras_vm_event *o)
{
	memset(o, 0, sizeof(*o));
	o->managed_save = -1;
	o->kind = ARAS_VEV_REREAD;
	switch (event) {
	case VIR_DOMAIN_EVENT_DEFINED: snprintf(o->what, sizeof(o->what), "defined/%d", detail); return;
	case VIR_DOMAIN_EVENT_UNDEFINED: snprintf(o->what, sizeof(o->what), "undefined/%d", detail); return;
	case VIR_DOMAIN_EVENT_STARTED:
		if (detail == VIR_DOMAIN_EVENT_STARTED_MIGRATED) {
			snprintf(o->what, sizeof(o->what), "started/migrated");
			return; /* arrived here: the poll places it */
		}
		set(o, VIR_DOMAIN_RUNNING, AT(started_reason, detail), 0, "started");
		return;
	case VIR_DOMAIN_EVENT_SUSPENDED:
		set(o, VIR_DOMAIN_PAUSED, AT(paused_reason, detail), -1, "suspended");
		return;
	case VIR_DOMAIN_EVENT_RESUMED:
		if (detail == VIR_DOMAIN_EVENT_RESUMED_FROM_SNAPSHOT) {
			/* also the tail of a restore (libvirt: running, restored,
			 * after STARTED_RESTORED): only a re-read tells which */
			snprintf(o->what, sizeof(o->what), "resumed/from-snapshot");
			return;
		}
		set(o, VIR_DOMAIN_RUNNING, AT(resumed_reason, detail), 0, "resumed");
		return;
	case VIR_DOMAIN_EVENT_STOPPED:
		if (detail == VIR_DOMAIN_EVENT_STOPPED_MIGRATED) {
			snprintf(o->what, sizeof(o->what), "stopped/migrated");
			return; /* left: not shut off, moved */
		}
		if (detail == VIR_DOMAIN_EVENT_STOPPED_FAILED) {
			/* QEMU died (libvirt: shut off, crashed) or a start failed
			 * (shut off, failed): only a re-read tells which */
			snprintf(o->what, sizeof(o->what), "stopped/failed");
			return;
		}
		/* virDomainShutoffReason is the detail + 1 */
		set(o, VIR_DOMAIN_SHUTOFF, detail + 1, detail == VIR_DOMAIN_EVENT_STOPPED_SAVED ? 1 : 0,
		    "stopped");
		return;
	case VIR_DOMAIN_EVENT_SHUTDOWN:
		set(o, VIR_DOMAIN_SHUTDOWN, VIR_DOMAIN_SHUTDOWN_USER, -1, "shutdown");
		return;
	case VIR_DOMAIN_EVENT_PMSUSPENDED: set(o, VIR_DOMAIN_PMSUSPENDED, 0, -1, "pmsuspended"); return;
	case VIR_DOMAIN_EVENT_CRASHED:
		set(o, VIR_DOMAIN_CRASHED, VIR_DOMAIN_CRASHED_PANICKED, -1, "crashed");
		return;
	}
	snprintf(o->what, sizeof(o->what), "event %d/%d", event, detail);
}

static int on_lifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
	struct aras_vm_event ev;

	(void)conn;
	if (event == VIR_DOMAIN_EVENT_DEFINED || event == VIR_DOMAIN_EVENT_STARTED)
		mark_dirty(opaque, dom);
	aras_virt_event_map(event, detail, &ev);
	post(opaque, dom, &ev);
	return 0;
}

static void simple(const struct sink *k, virDomainPtr dom, int kind, const char *what, uint64_t kib)
{
	struct aras_vm_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.managed_save = -1;
	ev.mem_kib = kib;
	snprintf(ev.what, sizeof(ev.what), "%s", what);
	post(k, dom, &ev);
}

static void on_reboot(virConnectPtr conn, virDomainPtr dom, void *opaque)
{
	(void)conn;
	simple(opaque, dom, ARAS_VEV_REBOOT, "reboot", 0);
}

static void on_balloon(virConnectPtr conn, virDomainPtr dom, unsigned long long actual, void *opaque)
{
	(void)conn;
	simple(opaque, dom, ARAS_VEV_BALLOON, "balloon-change", actual);
}

static void on_job(virConnectPtr conn, virDomainPtr dom, virTypedParameterPtr params, int nparams,
		   void *opaque)
{
	(void)conn;
	(void)params;
	(void)nparams;
	simple(opaque, dom, ARAS_VEV_REREAD, "job-completed", 0);
}

static void on_device_added(virConnectPtr conn, virDomainPtr dom, const char *alias, void *opaque)
{
	(void)conn;
	(void)alias;
	mark_dirty(opaque, dom);
	simple(opaque, dom, ARAS_VEV_REREAD, "device-added", 0);
}

static void on_device_removed(virConnectPtr conn, virDomainPtr dom, const char *alias, void *opaque)
{
	(void)conn;
	(void)alias;
	mark_dirty(opaque, dom);
	simple(opaque, dom, ARAS_VEV_REREAD, "device-removed", 0);
}

int aras_virt_events_register(struct aras_virt_events *ev, virConnectPtr conn, unsigned host_index, int fd,
			      int *lost)
{
	static const int ids[ARAS_VIRT_NEVENTS] = {
		VIR_DOMAIN_EVENT_ID_LIFECYCLE,      VIR_DOMAIN_EVENT_ID_REBOOT,
		VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE, VIR_DOMAIN_EVENT_ID_JOB_COMPLETED,
		VIR_DOMAIN_EVENT_ID_DEVICE_ADDED,   VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED,
	};
	const virConnectDomainEventGenericCallback cbs[ARAS_VIRT_NEVENTS] = {
		VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle),    VIR_DOMAIN_EVENT_CALLBACK(on_reboot),
		VIR_DOMAIN_EVENT_CALLBACK(on_balloon),      VIR_DOMAIN_EVENT_CALLBACK(on_job),
		VIR_DOMAIN_EVENT_CALLBACK(on_device_added), VIR_DOMAIN_EVENT_CALLBACK(on_device_removed),
	};
	int n = 0;

	for (int i = 0; i < ARAS_VIRT_NEVENTS; i++) {
		struct sink *k = malloc(sizeof(*k));

		ev->ids[i] = -1;
		if (!k)
			continue;
		k->host = host_index;
		k->fd = fd;
		k->lost = lost;
		k->ev = ev;
		__atomic_store_n(&k->published, 1, __ATOMIC_RELEASE);
		ev->ids[i] = virConnectDomainEventRegisterAny(conn, NULL, ids[i], cbs[i], k, free);
		if (ev->ids[i] < 0)
			free(k);
		else
			n++;
	}
	return n;
}

void aras_virt_events_deregister(struct aras_virt_events *ev, virConnectPtr conn)
{
	for (int i = 0; i < ARAS_VIRT_NEVENTS; i++) {
		if (ev->ids[i] >= 0)
			virConnectDomainEventDeregisterAny(conn, ev->ids[i]);
		ev->ids[i] = -1;
	}
}
