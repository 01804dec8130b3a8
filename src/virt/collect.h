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
int aras_collector_start(struct aras_collector **out, const struct aras_collect_host *hosts,
			 size_t n, unsigned poll_s);

/* The fd that becomes readable when results are waiting. */
int aras_collector_fd(const struct aras_collector *c);

/* Next finished sample (caller frees with aras_host_sample_free), or NULL. */
struct aras_host_sample *aras_collector_next(struct aras_collector *c);

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
 * without blocking the loop (a migration in a thread of its own, with a
 * watchdog that aborts it after timeout_s).  -ARAS_E_NOENT unknown host.
 */
int aras_collector_submit(struct aras_collector *c, unsigned host_index, const struct aras_job *job);
/* The fd that becomes readable when domain events (events.h) are waiting. */
int aras_collector_event_fd(const struct aras_collector *c);
/* Next domain event into *ev: 1, or 0 when none is waiting. */
int aras_collector_next_event(struct aras_collector *c, struct aras_vm_event *ev);
/* 1 once after events were lost (the pipe was full): poll every host again. */
int aras_collector_events_lost(struct aras_collector *c);
/* The fd that becomes readable when job results are waiting. */
int aras_collector_job_fd(const struct aras_collector *c);
/* Next job result (caller frees with free()), or NULL. */
struct aras_job_result *aras_collector_next_result(struct aras_collector *c);

/* Stop and join the workers, close connections, free c (NULL is fine). */
void aras_collector_stop(struct aras_collector *c);

#endif
