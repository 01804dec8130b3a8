/*
 * takeover.c - see takeover.h.
 */
#include "takeover.h"

#include "arasd.h"
#include "clock.h"

#include "core/engine.h"
#include "snmp/notify.h"
#include "util/log.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>

/* Log lines of this file say where they come from (util/log.h). */
static const char log_token[] = "takeover";

/* The pending check runs this often; the sign of life is given every TOUCH_MS. */
#define TICK_MS 250
#define TOUCH_MS 1000

static uint64_t wall_ms(void)
{
	return aras_clock_ms(CLOCK_REALTIME);
}

/* uname's nodename as an owner node name: characters outside the word set become '_'. */
static void node_name(char *out, size_t len)
{
	struct utsname u;
	size_t n = 0;

	if (uname(&u) == 0)
		for (const char *p = u.nodename; *p && n + 1 < len && n < ARAS_OWNER_NODE_MAX; p++) {
			int lead = n == 0 && (*p == '-' || *p == '.');

			out[n++] = aras_word_char(*p) && !lead ? *p : '_';
		}
	if (!n)
		out[n++] = '_';
	out[n] = '\0';
}

static void store(struct arasd *d)
{
	char why[512];

	if (aras_owner_store(d->owner_path, &d->owner, why, sizeof(why)) < 0)
		log_warn("cannot write the owner file: %s", why);
}

/*
 * Once the engine has resolved the first polls: the migrations adopted
 * (any start), and a takeover is complete: the gap, the notification.
 */
static void complete(struct arasd *d)
{
	struct aras_engine_counters c;

	aras_engine_counters(d->eng, &c);
	if (!c.first_polls_resolved)
		return;
	d->first_polls_done = 1;
	d->takeover_adopted = c.adopted;
	if (!d->takeover_pending)
		return;
	d->takeover_pending = 0;
	aras_owner_gap(&d->owner, d->prev_alive_ms, wall_ms());
	store(d);
	aras_log_tok(LOG_NOTICE, log_token,
		     "took over from node %s: %llu ms without a controller (from its arasd's last sign of "
		     "life to every host polled here), %u migration%s in flight adopted",
		     d->owner.from, (unsigned long long)d->owner.last_gap_ms, c.adopted,
		     c.adopted == 1 ? "" : "s");
	aras_notify_takeover(d);
}

static void on_tick(void *arg, uint64_t now_ms)
{
	struct arasd *d = arg;

	if (!d->first_polls_done)
		complete(d);
	if (now_ms - d->touched_ms < TOUCH_MS)
		return;
	d->touched_ms = now_ms;
	/* the sign of life; a file removed meanwhile is written again */
	if (utimensat(AT_FDCWD, d->owner_path, NULL, 0) < 0)
		store(d);
}

int aras_takeover_start(struct arasd *d, struct aras_loop *l)
{
	struct aras_owner prev;
	char why[512], node[ARAS_OWNER_NODE_MAX + 1];
	uint64_t alive = 0;
	int have;

	snprintf(d->owner_path, sizeof(d->owner_path), "%s.owner", d->state_file);
	node_name(node, sizeof(node));
	have = aras_owner_load(d->owner_path, &prev, &alive, why, sizeof(why));
	if (have < 0)
		log_warn("%s (taken as no owner before this one)", why);
	if (aras_owner_start(have > 0 ? &prev : NULL, node, &d->owner)) {
		d->takeover_pending = 1;
		d->prev_alive_ms = alive;
		aras_log_tok(LOG_NOTICE, log_token,
			     "node %s takes over from node %s, whose arasd %s %llu ms ago", node, prev.node,
			     prev.stopped ? "stopped cleanly" : "last gave a sign of life",
			     (unsigned long long)(wall_ms() > alive ? wall_ms() - alive : 0));
	}
	store(d);
	d->touched_ms = aras_mono_ms();
	if (aras_loop_add_timer(l, TICK_MS, TICK_MS, on_tick, d) < 0) {
		log_err("cannot set up the owner file's timer");
		return -1;
	}
	return 0;
}

void aras_takeover_stop(struct arasd *d)
{
	if (!d->owner_path[0])
		return;
	d->owner.stopped = 1;
	store(d);
}
