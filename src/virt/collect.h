/*
 * collect.h - the libvirt side of monitoring.  One worker thread per
 * configured host owns that host's libvirt connection (opened read-write,
 * so later actions can reuse it), polls it every interval with the bulk
 * stats API and hands each result to the main loop as a heap-allocated
 * struct aras_host_sample through a pipe.  A slow or dead host only ever
 * delays its own worker; the main loop never calls libvirt.
 */
#ifndef ARAS_VIRT_COLLECT_H
#define ARAS_VIRT_COLLECT_H

#include "core/model.h"
#include "job.h"
#include "loop.h"

#include <stddef.h>

struct aras_collector;

struct aras_collect_host {
	unsigned index;
	const char *uri;
};

/*
 * Register libvirt's event loop (needed for keepalive on remote
 * connections) and silence libvirt's default stderr error printing.  Call
 * once before aras_collector_start().
 */
int aras_virt_global_init(void);
/* Stop and join libvirt's event loop thread (after every connection is closed). */
void aras_virt_global_shutdown(void);

/* Start one worker per host.  0 or -ARAS_E_*. */
int aras_collector_start(struct aras_collector **out, const struct aras_collect_host *hosts, size_t n,
			 unsigned poll_s);

/* Ask every worker to poll now (e.g. after an action changed a VM). */
void aras_collector_kick(struct aras_collector *c);

/*
 * A new poll interval (arasPollInterval SET): it applies to the wait under
 * way, so each host is polled next poll_s after the end of its last poll,
 * at once if that is past.  A host being retried after a failure keeps
 * its backoff step, capped at 8 x poll_s (at least 60 s).
 */
void aras_collector_set_interval(struct aras_collector *c, unsigned poll_s);

/*
 * Queue a job on host_index's worker; it runs on that host's connection
 * without blocking the loop (a long job -- a migration or a life-cycle
 * command -- in a thread of its own; a migration with a watchdog that
 * aborts it after timeout_s).  -ARAS_E_NOENT unknown host.
 */
int aras_collector_submit(struct aras_collector *c, unsigned host_index, const struct aras_job *job);

/* Where the loop hands what the workers post (loop thread). */
struct aras_collector_sink {
	void *arg;
	/* one host's sample per loop turn (freed after the call) */
	void (*sample)(void *arg, const struct aras_host_sample *s);
	/* every job result or progress message waiting (freed after the call) */
	void (*result)(void *arg, const struct aras_job_result *r);
	/* every domain event (events.h) waiting: 1 when every host should be polled again */
	int (*event)(void *arg, const struct aras_vm_event *ev);
};

/*
 * Register the collector's pipes with the loop: results, samples and
 * domain events, in that order, each read on the loop thread and handed
 * to sink (copied).  After events were lost (the pipe was full) or a
 * sink asked for it, every host is polled again (aras_collector_kick).
 * 0 or -ARAS_E_*.
 */
int aras_collector_attach(struct aras_collector *c, struct aras_loop *l,
			  const struct aras_collector_sink *sink);

/* Stop and join the workers, close connections, free c (NULL is fine). */
void aras_collector_stop(struct aras_collector *c);

#endif
