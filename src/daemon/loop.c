/*
 * loop.c - see loop.h (at the top of src/).  poll() over the union of
 * every client's descriptors; the sources' fd_sets are translated both
 * ways.  A client removed during a turn is only marked (its callback
 * cleared) and swept out after the turn, so that the arrays the turn
 * walks never move under it.
 */
#include "loop.h"

#include "clock.h"
#include "core/aras.h"
#include "util/log.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

/* Log lines of this file say where they come from (util/log.h). */
static const char log_token[] = "loop";

struct watch {
	int fd, events;
	void (*fn)(void *arg, int fd, int ready); /* NULL: removed */
	void *arg;
};

struct timer {
	int id;
	uint64_t period_ms, due_ms;
	void (*fn)(void *arg, uint64_t now_ms); /* NULL: removed or fired once */
	void *arg;
};

struct idle {
	void (*fn)(void *arg);
	void *arg;
};

struct source {
	struct aras_loop_source s;
	fd_set r, w, e;
	int maxfd;
};

struct aras_loop {
	struct watch *w;
	size_t nw;
	struct timer *t;
	size_t nt;
	int next_timer_id;
	struct idle *i;
	size_t ni;
	struct source *s;
	size_t ns;
	struct pollfd *pfd;
	size_t pfd_cap;
	int dirty; /* a watch or timer was removed: sweep after the turn */
	int stop;
};

int aras_loop_new(struct aras_loop **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ARAS_E_NOMEM;
}

void aras_loop_free(struct aras_loop *l)
{
	if (!l)
		return;
	free(l->w);
	free(l->t);
	free(l->i);
	free(l->s);
	free(l->pfd);
	free(l);
}

/* Append one element of size sz to *v (n elements). */
static void *grow(void *v, size_t n, size_t sz)
{
	return realloc(v, (n + 1) * sz);
}

int aras_loop_add_fd(struct aras_loop *l, int fd, int events, void (*fn)(void *arg, int fd, int ready),
		     void *arg)
{
	struct watch *w;

	if (fd < 0 || fd >= FD_SETSIZE)
		return -ARAS_E_RANGE;
	for (size_t k = 0; k < l->nw; k++)
		if (l->w[k].fd == fd && l->w[k].fn)
			return -ARAS_E_BUSY;
	if (!(w = grow(l->w, l->nw, sizeof(*w))))
		return -ARAS_E_NOMEM;
	l->w = w;
	l->w[l->nw++] = (struct watch){ fd, events, fn, arg };
	return 0;
}

void aras_loop_del_fd(struct aras_loop *l, int fd)
{
	for (size_t k = 0; k < l->nw; k++)
		if (l->w[k].fd == fd && l->w[k].fn) {
			l->w[k].fn = NULL;
			l->dirty = 1;
		}
}

int aras_loop_add_timer(struct aras_loop *l, uint64_t delay_ms, uint64_t period_ms,
			void (*fn)(void *arg, uint64_t now_ms), void *arg)
{
	struct timer *t;

	if (!(t = grow(l->t, l->nt, sizeof(*t))))
		return -ARAS_E_NOMEM;
	l->t = t;
	if (++l->next_timer_id <= 0)
		l->next_timer_id = 1;
	l->t[l->nt++] = (struct timer){ l->next_timer_id, period_ms, aras_mono_ms() + delay_ms, fn, arg };
	return l->next_timer_id;
}

void aras_loop_del_timer(struct aras_loop *l, int id)
{
	for (size_t k = 0; k < l->nt; k++)
		if (l->t[k].id == id && l->t[k].fn) {
			l->t[k].fn = NULL;
			l->dirty = 1;
		}
}

int aras_loop_add_idle(struct aras_loop *l, void (*fn)(void *arg), void *arg)
{
	struct idle *i;

	if (!(i = grow(l->i, l->ni, sizeof(*i))))
		return -ARAS_E_NOMEM;
	l->i = i;
	l->i[l->ni++] = (struct idle){ fn, arg };
	return 0;
}

int aras_loop_add_source(struct aras_loop *l, const struct aras_loop_source *s)
{
	struct source *v;

	if (!(v = grow(l->s, l->ns, sizeof(*v))))
		return -ARAS_E_NOMEM;
	l->s = v;
	memset(&l->s[l->ns], 0, sizeof(l->s[l->ns]));
	l->s[l->ns++].s = *s;
	return 0;
}

void aras_loop_stop(struct aras_loop *l)
{
	l->stop = 1;
}

/* Removed watches and gone timers out of the arrays, order kept. */
static void sweep(struct aras_loop *l)
{
	size_t n = 0;

	for (size_t k = 0; k < l->nw; k++)
		if (l->w[k].fn)
			l->w[n++] = l->w[k];
	l->nw = n;
	n = 0;
	for (size_t k = 0; k < l->nt; k++)
		if (l->t[k].fn)
			l->t[n++] = l->t[k];
	l->nt = n;
	l->dirty = 0;
}

static int add_pfd(struct aras_loop *l, size_t *n, int fd, short events)
{
	for (size_t k = 0; k < *n; k++)
		if (l->pfd[k].fd == fd) {
			l->pfd[k].events |= events;
			return 0;
		}
	if (*n == l->pfd_cap) {
		size_t cap = l->pfd_cap ? l->pfd_cap * 2 : 16;
		struct pollfd *p = realloc(l->pfd, cap * sizeof(*p));

		if (!p)
			return -ARAS_E_NOMEM;
		l->pfd = p;
		l->pfd_cap = cap;
	}
	l->pfd[*n] = (struct pollfd){ .fd = fd, .events = events };
	(*n)++;
	return 0;
}

static short revents_of(const struct aras_loop *l, size_t n, int fd)
{
	for (size_t k = 0; k < n; k++)
		if (l->pfd[k].fd == fd)
			return l->pfd[k].revents;
	return 0;
}

/* Every client's descriptors into l->pfd; the turn's timeout. */
static int prepare(struct aras_loop *l, size_t *n, int *timeout_ms)
{
	uint64_t now = aras_mono_ms();

	*n = 0;
	*timeout_ms = ARAS_LOOP_MAX_WAIT_MS;
	for (size_t k = 0; k < l->nt; k++) {
		uint64_t left = l->t[k].due_ms > now ? l->t[k].due_ms - now : 0;

		if (left < (uint64_t)*timeout_ms)
			*timeout_ms = (int)left;
	}
	for (size_t k = 0; k < l->nw; k++) {
		short ev;

		if (!l->w[k].fn)
			continue;
		ev = (short)(((l->w[k].events & ARAS_LOOP_READ) ? POLLIN : 0) |
			     ((l->w[k].events & ARAS_LOOP_WRITE) ? POLLOUT : 0));

		if (add_pfd(l, n, l->w[k].fd, ev) < 0)
			return -ARAS_E_NOMEM;
	}
	for (size_t k = 0; k < l->ns; k++) {
		struct source *s = &l->s[k];

		FD_ZERO(&s->r);
		FD_ZERO(&s->w);
		FD_ZERO(&s->e);
		s->maxfd = 0;
		s->s.prepare(s->s.arg, &s->maxfd, &s->r, &s->w, &s->e, timeout_ms);
		for (int fd = 0; fd < s->maxfd && fd < FD_SETSIZE; fd++) {
			short ev = (short)((FD_ISSET(fd, &s->r) ? POLLIN : 0) |
					   (FD_ISSET(fd, &s->w) ? POLLOUT : 0) |
					   (FD_ISSET(fd, &s->e) ? POLLPRI : 0));

			if (ev && add_pfd(l, n, fd, ev) < 0)
				return -ARAS_E_NOMEM;
		}
	}
	if (*timeout_ms < 0)
		*timeout_ms = 0;
	return 0;
}

/* A source's sets cut down to its ready descriptors; how many. */
static int ready_sets(const struct aras_loop *l, size_t n, struct source *s)
{
	int count = 0;

	for (int fd = 0; fd < s->maxfd && fd < FD_SETSIZE; fd++) {
		short re = revents_of(l, n, fd);
		/* an error or hang-up is readable: the read reports it */
		int rd = FD_ISSET(fd, &s->r) && (re & (POLLIN | POLLHUP | POLLERR));
		int wr = FD_ISSET(fd, &s->w) && (re & (POLLOUT | POLLERR));
		int ex = FD_ISSET(fd, &s->e) && (re & POLLPRI);

		if (!rd)
			FD_CLR(fd, &s->r);
		if (!wr)
			FD_CLR(fd, &s->w);
		if (!ex)
			FD_CLR(fd, &s->e);
		count += rd + wr + ex;
	}
	return count;
}

/* What a watched descriptor is ready for, of what it is watched for. */
static int watch_ready(const struct watch *w, short re)
{
	int ready = 0;

	if ((w->events & ARAS_LOOP_READ) && (re & (POLLIN | POLLHUP | POLLERR)))
		ready |= ARAS_LOOP_READ;
	if ((w->events & ARAS_LOOP_WRITE) && (re & (POLLOUT | POLLERR)))
		ready |= ARAS_LOOP_WRITE;
	return ready;
}

static void dispatch(struct aras_loop *l, size_t n)
{
	uint64_t now;

	/* by index, not pointer: a callback may add a client (and move the array) */
	for (size_t k = 0; k < l->nw && !l->stop; k++) {
		int ready;

		if (!l->w[k].fn)
			continue;
		ready = watch_ready(&l->w[k], revents_of(l, n, l->w[k].fd));
		if (ready)
			l->w[k].fn(l->w[k].arg, l->w[k].fd, ready);
	}
	for (size_t k = 0; k < l->ni; k++)
		l->i[k].fn(l->i[k].arg);
	now = aras_mono_ms();
	for (size_t k = 0; k < l->nt; k++) {
		void (*fn)(void *arg, uint64_t now_ms) = l->t[k].fn;

		if (!fn || l->t[k].due_ms > now)
			continue;
		if (l->t[k].period_ms) {
			l->t[k].due_ms = now + l->t[k].period_ms;
		} else {
			l->t[k].fn = NULL; /* fired once: gone */
			l->dirty = 1;
		}
		fn(l->t[k].arg, now);
	}
	for (size_t k = 0; k < l->ns; k++) {
		struct source *s = &l->s[k];

		s->s.dispatch(s->s.arg, ready_sets(l, n, s), &s->r, &s->w, &s->e);
	}
	if (l->dirty)
		sweep(l);
}

int aras_loop_run(struct aras_loop *l)
{
	while (!l->stop) {
		size_t n;
		int timeout_ms, rc;

		if (prepare(l, &n, &timeout_ms) < 0) {
			log_err("loop: out of memory");
			return -ARAS_E_NOMEM;
		}
		rc = poll(l->pfd, (nfds_t)n, timeout_ms);
		if (rc < 0) {
			if (errno == EINTR)
				continue;
			log_err("poll: %s", strerror(errno));
			return -ARAS_E_IO;
		}
		if (rc == 0)
			for (size_t k = 0; k < n; k++)
				l->pfd[k].revents = 0;
		dispatch(l, n);
	}
	return 0;
}
