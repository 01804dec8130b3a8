/*
 * loop.h - arasd's event loop: one poll() per turn over what each module
 * registered, on the monotonic clock (clock.h).  Implemented in
 * daemon/loop.c; the header sits at the top of src/, beside arasd.h, so
 * that each adapter (snmp/, notify/, virt/) registers its own descriptors
 * and timers without a directory edge into src/daemon (tools/includes.sh).
 * The model is chrony's scheduler and lldpd's libevent use: a module adds
 * its descriptors and timers when it starts, and gets called back.
 *
 * Four kinds of client:
 *   descriptors  an fd watched for reading and/or writing until removed
 *                (signal pipe, the workers' sample, result and event pipes);
 *   timers       a callback after delay_ms, then every period_ms or once;
 *   idle hooks   a callback every turn, after the descriptors;
 *   sources      a module whose descriptors and deadline change every turn
 *                and that speaks fd_set (net-snmp's snmp_select_info,
 *                the mailer, the script runner): prepare() -- the "before
 *                poll" hook -- adds its descriptors and lowers the timeout,
 *                dispatch() gets back only its own ready descriptors and
 *                their count (0 when none was ready), so one module's
 *                readiness is never mistaken for another's.
 * A turn: poll, then descriptors, idle hooks, due timers and sources, each
 * in the order registered.  A client removed during a turn is not called
 * again.  Descriptors must be below FD_SETSIZE (the sources' fd_set APIs).
 * Loop thread only.
 */
#ifndef ARAS_LOOP_H
#define ARAS_LOOP_H

#include <stdint.h>
#include <sys/select.h>
#include <sys/time.h>

struct aras_loop;

/* What a descriptor is watched for, and what it is ready for. */
enum { ARAS_LOOP_READ = 1, ARAS_LOOP_WRITE = 2 };

struct aras_loop_source {
	void *arg;
	void (*prepare)(void *arg, int *maxfd, fd_set *r, fd_set *w, fd_set *e, int *timeout_ms);
	void (*dispatch)(void *arg, int nready, fd_set *r, fd_set *w, fd_set *e);
};

/* The longest a turn waits when nobody asks for less. */
#define ARAS_LOOP_MAX_WAIT_MS 1000

int aras_loop_new(struct aras_loop **out);
void aras_loop_free(struct aras_loop *l); /* NULL ok */

/*
 * Watch fd for events (ARAS_LOOP_READ and/or ARAS_LOOP_WRITE): fn gets
 * what it is ready for (an error or hang-up counts as readable, so that
 * the read reports it).  One registration per fd.  0, -ARAS_E_NOMEM,
 * -ARAS_E_RANGE (fd out of range) or -ARAS_E_BUSY (fd already watched).
 */
int aras_loop_add_fd(struct aras_loop *l, int fd, int events, void (*fn)(void *arg, int fd, int ready),
		     void *arg);
/* Stop watching fd (before closing it).  Unknown fd: nothing. */
void aras_loop_del_fd(struct aras_loop *l, int fd);

/*
 * fn once delay_ms from now, then every period_ms (0: once only, then the
 * timer is gone).  A timer id (> 0) for aras_loop_del_timer, or
 * -ARAS_E_NOMEM.
 */
int aras_loop_add_timer(struct aras_loop *l, uint64_t delay_ms, uint64_t period_ms,
			void (*fn)(void *arg, uint64_t now_ms), void *arg);
/* Cancel a timer that has not gone (a one-shot that fired has). */
void aras_loop_del_timer(struct aras_loop *l, int id);

/* Called after the descriptors of every turn. */
int aras_loop_add_idle(struct aras_loop *l, void (*fn)(void *arg), void *arg);
int aras_loop_add_source(struct aras_loop *l, const struct aras_loop_source *s);

/* For sources whose library speaks struct timeval: a timeout of ms ... */
static inline struct timeval aras_loop_tv(int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	return tv;
}

/* ... and *timeout_ms lowered to what the library left in tv (rounded up). */
static inline void aras_loop_lower(int *timeout_ms, const struct timeval *tv)
{
	long long ms = (long long)tv->tv_sec * 1000 + (tv->tv_usec + 999) / 1000;

	if (ms < *timeout_ms)
		*timeout_ms = ms < 0 ? 0 : (int)ms;
}

/* Turn until aras_loop_stop(): 0, or -ARAS_E_IO when poll() fails. */
int aras_loop_run(struct aras_loop *l);
void aras_loop_stop(struct aras_loop *l);

#endif
