/*
 * drive.c - see drive.h.
 */
#include "drive.h"

#include "clock.h"
#include "snmp/vmmib.h"

#include <stdlib.h>
#include <time.h>

/* The workers' job results and a running migration's progress, to the engine. */
static void on_result(void *arg, const struct aras_job_result *res)
{
	struct aras_drive *dr = arg;

	if (res->has_stats)
		aras_engine_progress(dr->eng, res->action, &res->stats);
	if (res->msg == ARAS_JOB_PROGRESS)
		return;
	aras_engine_result_detail(dr->eng, res->action, res->ok, res->err, res->detail, aras_mono_ms(),
				  time(NULL));
	aras_vmmib_touch();
}

/* A libvirt domain event, to the engine at once: 1 when every host should be polled again. */
static int on_event(void *arg, const struct aras_vm_event *ev)
{
	struct aras_drive *dr = arg;

	aras_vmmib_touch();
	return aras_engine_vm_event(dr->eng, ev, time(NULL));
}

/* One host's sample: to the engine, to the history file, counted. */
static void on_sample(void *arg, const struct aras_host_sample *s)
{
	struct aras_drive *dr = arg;
	const struct aras_model *m = aras_engine_model(dr->eng);
	const struct aras_host *h = aras_model_host(m, s->host_index);

	aras_engine_sample(dr->eng, s, time(NULL));
	aras_vmmib_touch(); /* VM-MIB's rows and vmIndex follow at the next request or tick */
	if (h && s->ok)
		aras_history_record(dr->history, m, h->index, time(NULL));
	aras_counters_poll(dr->counters, s->wall_ms);
}

/*
 * The controller decides on new figures only: after samples, and after an
 * operator's SET changed what it works from.  A SET of arasPollInterval
 * goes to the pollers here, in the turn of its commit.
 */
static void on_turn(void *arg)
{
	struct aras_drive *dr = arg;
	struct aras_engine *e = dr->eng;
	uint32_t poll_s = aras_engine_settings(e)->v[ARAS_S_POLL_INTERVAL];

	if (dr->counters->polls == dr->polls_seen && aras_engine_state_gen(e) == dr->state_seen)
		return;
	if (poll_s != dr->poll_s) {
		aras_collector_set_interval(dr->col, poll_s);
		dr->poll_s = poll_s;
	}
	dr->polls_seen = dr->counters->polls;
	dr->state_seen = aras_engine_state_gen(e);
	aras_engine_round(e, aras_mono_ms(), time(NULL));
}

/*
 * Proposals expire on time; a notification window that ended is summed
 * up; a host whose libvirt stopped answering is made down.
 */
static void on_second(void *arg, uint64_t now_ms)
{
	struct aras_engine *e = ((struct aras_drive *)arg)->eng;
	time_t wall = time(NULL);

	aras_engine_expire(e, now_ms, wall);
	aras_engine_flush_notify(e, now_ms);
	aras_engine_watch_hosts(e, now_ms, wall);
	aras_vmmib_tick(NULL);
}

/* Proposal expiry is checked this often. */
#define EXPIRE_PERIOD_MS 1000

int aras_drive_attach(struct aras_drive *dr, struct aras_loop *l)
{
	struct aras_collector_sink sink = { dr, on_sample, on_result, on_event };
	int rc;

	dr->poll_s = aras_engine_settings(dr->eng)->v[ARAS_S_POLL_INTERVAL];
	if ((rc = aras_collector_attach(dr->col, l, &sink)) < 0 ||
	    (rc = aras_loop_add_idle(l, on_turn, dr)) < 0)
		return rc;
	rc = aras_loop_add_timer(l, EXPIRE_PERIOD_MS, EXPIRE_PERIOD_MS, on_second, dr);
	return rc < 0 ? rc : 0;
}
