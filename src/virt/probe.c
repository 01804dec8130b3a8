/*
 * probe.c - owns `arasd -t`'s libvirt side: one short-lived connection
 * per host, opened in its own thread so a host that never answers (an
 * ssh URI to a dead address waits for TCP's timeout) delays only the
 * report, bounded by the caller's deadline.
 */
#include "virt/probe.h"

#include "core/aras.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

/*
 * Shared between the caller and the threads; on a timeout the caller
 * returns while a thread may still run, so it is heap-allocated and left
 * behind on purpose (the process exits right after the report).
 */
struct probe_run {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	size_t pending;
	struct slot {
		struct probe_run *run;
		char uri[1024];
		int done, ok;
		char msg[512];
	} * slots;
};

static void quiet_error(void *arg, virErrorPtr err)
{
	(void)arg;
	(void)err;
}

static void version_text(unsigned long v, char *buf, size_t n)
{
	snprintf(buf, n, "%lu.%lu.%lu", v / 1000000, (v / 1000) % 1000, v % 1000);
}

static void try_host(struct slot *s)
{
	virConnectPtr c = virConnectOpen(s->uri);
	const char *type;
	unsigned long lib = 0, hv = 0;
	char libv[32], hvv[32];
	int all, active;

	if (!c) {
		const char *m = virGetLastErrorMessage();
		const char *hint = "";

		/* the local daemon's socket is for root and the group libvirt only */
		if (m && strncmp(s->uri, "qemu:///system", 14) == 0 &&
		    (strstr(m, "Permission denied") || strstr(m, "authentication") || strstr(m, "polkit")))
			hint = " (is arasd's user in the group libvirt?)";
		snprintf(s->msg, sizeof(s->msg), "cannot connect: %s%s", m ? m : "unknown error", hint);
		return;
	}
	type = virConnectGetType(c);
	all = virConnectListAllDomains(c, NULL, 0);
	active = virConnectNumOfDomains(c);
	if (all < 0 || active < 0) {
		const char *m = virGetLastErrorMessage();

		snprintf(s->msg, sizeof(s->msg), "connected, but cannot list domains: %s",
			 m ? m : "unknown error");
		virConnectClose(c);
		return;
	}
	virConnectGetLibVersion(c, &lib);
	virConnectGetVersion(c, &hv);
	version_text(lib, libv, sizeof(libv));
	version_text(hv, hvv, sizeof(hvv));
	snprintf(s->msg, sizeof(s->msg), "OK: libvirt %s, %s %s, %d domain%s (%d running)", libv,
		 type ? type : "?", hvv, all, all == 1 ? "" : "s", active);
	s->ok = 1;
	virConnectClose(c);
}

static void *probe_thread(void *arg)
{
	struct slot *s = arg;
	struct probe_run *r = s->run;

	virSetErrorFunc(NULL, quiet_error);
	try_host(s);
	pthread_mutex_lock(&r->lock);
	s->done = 1;
	r->pending--;
	pthread_cond_signal(&r->cond);
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

int aras_virt_probe(struct aras_probe *p, size_t n, unsigned timeout_s)
{
	struct probe_run *r;
	struct timespec deadline;
	int failed = 0, all_done;

	virSetErrorFunc(NULL, quiet_error);
	if (virInitialize() < 0)
		return -ARAS_E_VIRT;
	r = calloc(1, sizeof(*r));
	if (!r || !(r->slots = calloc(n ? n : 1, sizeof(*r->slots)))) {
		free(r);
		return -ARAS_E_NOMEM;
	}
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->cond, NULL);
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += timeout_s;
	for (size_t i = 0; i < n; i++) {
		struct slot *s = &r->slots[i];
		pthread_t t;

		s->run = r;
		snprintf(s->uri, sizeof(s->uri), "%s", p[i].uri);
		pthread_mutex_lock(&r->lock);
		r->pending++;
		pthread_mutex_unlock(&r->lock);
		if (pthread_create(&t, NULL, probe_thread, s) != 0) {
			snprintf(s->msg, sizeof(s->msg), "cannot start a thread: %s", strerror(errno));
			pthread_mutex_lock(&r->lock);
			s->done = 1;
			r->pending--;
			pthread_mutex_unlock(&r->lock);
			continue;
		}
		pthread_detach(t);
	}
	pthread_mutex_lock(&r->lock);
	while (r->pending > 0)
		if (pthread_cond_timedwait(&r->cond, &r->lock, &deadline) == ETIMEDOUT)
			break;
	all_done = r->pending == 0;
	for (size_t i = 0; i < n; i++) {
		const struct slot *s = &r->slots[i];

		p[i].ok = s->done && s->ok;
		if (s->done)
			snprintf(p[i].msg, sizeof(p[i].msg), "%s", s->msg);
		else
			snprintf(p[i].msg, sizeof(p[i].msg), "no answer within %u s", timeout_s);
		failed += !p[i].ok;
	}
	pthread_mutex_unlock(&r->lock);
	/* all done: nothing refers to r any more; otherwise leave it to the threads */
	if (all_done) {
		free(r->slots);
		free(r);
	}
	return failed;
}
