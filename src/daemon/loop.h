/*
 * loop.h - arasd's event loop: one poll() per turn over what each
 * subsystem registered, on the monotonic clock.  Three kinds of client:
 *   fd watchers  a descriptor watched for reading as long as the loop runs
 *                (signal pipe, the workers' sample and result pipes);
 *   timers       a callback every period_ms (proposal expiry);
 *   sources      a subsystem whose descriptors and deadline change every
 *                turn and that speaks fd_set (net-snmp's snmp_select_info,
 *                libcurl's multi interface, the script runner): prepare()
 *                adds its descriptors and lowers the timeout, dispatch()
 *                gets back only its own ready descriptors and their count
 *                (0 when none was ready), so one subsystem's readiness is
 *                never mistaken for another's.
 * A turn: poll, then fd watchers, idle hooks, due timers and sources, each
 * in the order registered.  Descriptors must be below FD_SETSIZE (the
 * sources' fd_set APIs).  Loop thread only.
 */
#ifndef ARAS_LOOP_H
#define ARAS_LOOP_H

#include <stdint.h>
#include <sys/select.h>

struct aras_loop;

struct aras_loop_source {
	void *arg;
	void (*prepare)(void *arg, int *maxfd, fd_set *r, fd_set *w, fd_set *e, int *timeout_ms);
	void (*dispatch)(void *arg, int nready, fd_set *r, fd_set *w, fd_set *e);
};

/* The longest a turn waits when nobody asks for less. */
#define ARAS_LOOP_MAX_WAIT_MS 1000

int aras_loop_new(struct aras_loop **out);
void aras_loop_free(struct aras_loop *l); /* NULL ok */

/* 0 or -ARAS_E_NOMEM / -ARAS_E_RANGE (fd out of range). */
int aras_loop_add_fd(struct aras_loop *l, int fd, void (*fn)(void *arg), void *arg);
int aras_loop_add_timer(struct aras_loop *l, uint64_t period_ms, void (*fn)(void *arg, uint64_t now_ms),
			void *arg);
/* Called after the fd watchers of every turn. */
int aras_loop_add_idle(struct aras_loop *l, void (*fn)(void *arg), void *arg);
int aras_loop_add_source(struct aras_loop *l, const struct aras_loop_source *s);

/* Turn until aras_loop_stop(): 0, or -ARAS_E_IO when poll() fails. */
int aras_loop_run(struct aras_loop *l);
void aras_loop_stop(struct aras_loop *l);

/* The monotonic clock, in ms. */
uint64_t aras_loop_now_ms(void);

#endif
