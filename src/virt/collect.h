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

/* Start one worker per host.  0 or -ARAS_E_*. */
int aras_collector_start(struct aras_collector **out, const struct aras_collect_host *hosts,
			 size_t n, unsigned poll_s);

/* The fd that becomes readable when results are waiting. */
int aras_collector_fd(const struct aras_collector *c);

/* Next finished sample (caller frees with aras_host_sample_free), or NULL. */
struct aras_host_sample *aras_collector_next(struct aras_collector *c);

/* Ask every worker to poll now (e.g. after an action changed a VM). */
void aras_collector_kick(struct aras_collector *c);

/* Stop and join the workers, close connections, free c (NULL is fine). */
void aras_collector_stop(struct aras_collector *c);

#endif
