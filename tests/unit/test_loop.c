/*
 * test_loop.c - the daemon's event loop (src/daemon/loop.c, API in
 * src/loop.h): a descriptor's callback gets what it is ready for and may
 * remove itself, a one-shot timer fires once, a periodic one until it is
 * removed, and a source gets back only its own ready descriptors.  The
 * loop is libc only: its source is compiled into this test (no adapter
 * object is linked).  No assertion on wall time: timers are counted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "daemon/loop.c"

struct ctx {
	struct aras_loop *l;
	int reads, ready, once, periodic, periodic_id, stops;
	int src_turns, src_ready, src_fd;
};

static void on_read(void *arg, int fd, int ready)
{
	struct ctx *c = arg;
	char b;

	c->reads++;
	c->ready = ready;
	assert_int_equal(read(fd, &b, 1), 1);
	aras_loop_del_fd(c->l, fd); /* removed from within its own callback */
}

static void on_stop(void *arg, uint64_t now_ms)
{
	struct ctx *c = arg;

	(void)now_ms;
	c->stops++;
	aras_loop_stop(c->l);
}

static void test_fd_then_removed(void **st)
{
	struct ctx c = { 0 };
	int p[2];

	(void)st;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(aras_loop_new(&c.l), 0);
	assert_int_equal(aras_loop_add_fd(c.l, p[0], ARAS_LOOP_READ, on_read, &c), 0);
	assert_int_equal(aras_loop_add_fd(c.l, p[0], ARAS_LOOP_READ, on_read, &c), -ARAS_E_BUSY);
	assert_int_equal(aras_loop_add_fd(c.l, -1, ARAS_LOOP_READ, on_read, &c), -ARAS_E_RANGE);
	assert_int_equal(write(p[1], "ab", 2), 2); /* still readable after the first read */
	assert_true(aras_loop_add_timer(c.l, 20, 0, on_stop, &c) > 0);
	assert_int_equal(aras_loop_run(c.l), 0);
	assert_int_equal(c.reads, 1); /* removed: not called again though readable */
	assert_int_equal(c.ready, ARAS_LOOP_READ);
	assert_int_equal(c.stops, 1);
	aras_loop_free(c.l);
	close(p[0]);
	close(p[1]);
}

static void on_once(void *arg, uint64_t now_ms)
{
	(void)now_ms;
	((struct ctx *)arg)->once++;
}

static void on_periodic(void *arg, uint64_t now_ms)
{
	struct ctx *c = arg;

	(void)now_ms;
	if (++c->periodic == 3)
		aras_loop_del_timer(c->l, c->periodic_id);
}

static void test_timers(void **st)
{
	struct ctx c = { 0 };

	(void)st;
	assert_int_equal(aras_loop_new(&c.l), 0);
	assert_true(aras_loop_add_timer(c.l, 0, 0, on_once, &c) > 0);
	c.periodic_id = aras_loop_add_timer(c.l, 1, 1, on_periodic, &c);
	assert_true(c.periodic_id > 0);
	assert_true(aras_loop_add_timer(c.l, 50, 0, on_stop, &c) > 0);
	assert_int_equal(aras_loop_run(c.l), 0);
	assert_int_equal(c.once, 1);
	assert_int_equal(c.periodic, 3);
	assert_int_equal(c.stops, 1);
	aras_loop_free(c.l);
}

static void src_prepare(void *arg, int *maxfd, fd_set *r, fd_set *w, fd_set *e, int *timeout_ms)
{
	struct ctx *c = arg;

	(void)w;
	(void)e;
	FD_SET(c->src_fd, r);
	if (c->src_fd + 1 > *maxfd)
		*maxfd = c->src_fd + 1;
	if (*timeout_ms > 5)
		*timeout_ms = 5;
}

static void src_dispatch(void *arg, int nready, fd_set *r, fd_set *w, fd_set *e)
{
	struct ctx *c = arg;

	(void)w;
	(void)e;
	c->src_turns++;
	c->src_ready += nready;
	assert_int_equal(nready, FD_ISSET(c->src_fd, r) ? 1 : 0);
	if (c->src_turns == 3)
		aras_loop_stop(c->l);
}

static void on_other(void *arg, int fd, int ready)
{
	(void)arg;
	(void)fd;
	(void)ready;
}

/* Another client's descriptor is ready every turn; the source's never is. */
static void test_source_sees_only_its_own(void **st)
{
	struct ctx c = { 0 };
	int mine[2], other[2];

	(void)st;
	assert_int_equal(pipe(mine), 0);
	assert_int_equal(pipe(other), 0);
	assert_int_equal(write(other[1], "x", 1), 1);
	c.src_fd = mine[0];
	assert_int_equal(aras_loop_new(&c.l), 0);
	assert_int_equal(aras_loop_add_fd(c.l, other[0], ARAS_LOOP_READ, on_other, &c), 0);
	assert_int_equal(
		aras_loop_add_source(c.l, &(struct aras_loop_source){ &c, src_prepare, src_dispatch }), 0);
	assert_int_equal(aras_loop_run(c.l), 0);
	assert_int_equal(c.src_turns, 3);
	assert_int_equal(c.src_ready, 0);
	aras_loop_free(c.l);
	close(mine[0]);
	close(mine[1]);
	close(other[0]);
	close(other[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fd_then_removed),
		cmocka_unit_test(test_timers),
		cmocka_unit_test(test_source_sees_only_its_own),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
