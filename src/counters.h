/*
 * counters.h - the status counters the arasStatus scalars show
 * (arasPolls, arasNotificationsSent/Dropped, arasMailsSent/Failed,
 * arasScriptRuns/Failed ...).  Anyone may read them; they change only
 * through the functions below, so each counter's rule is written once.
 * Header-only and at the top of src/ (like clock.h) so that the adapters
 * that count (snmp/, notify/, daemon/) need no edge into one another.
 * Loop thread only.
 */
#ifndef ARAS_COUNTERS_H
#define ARAS_COUNTERS_H

#include <stdint.h>

struct aras_counters {
	uint32_t polls;
	uint32_t last_poll_ms; /* how long the last poll took (wall ms) */
	uint32_t notif_sent, notif_dropped;
	uint32_t mail_sent, mail_failed;
	uint32_t script_runs, script_failed;
};

/* A host's poll result reached the loop; it took wall_ms. */
static inline void aras_counters_poll(struct aras_counters *c, uint64_t wall_ms)
{
	c->polls++;
	c->last_poll_ms = (uint32_t)wall_ms;
}

/* A notification handed to the master. */
static inline void aras_counters_notif_sent(struct aras_counters *c)
{
	c->notif_sent++;
}

/* A notification dropped before it was sent. */
static inline void aras_counters_notif_dropped(struct aras_counters *c)
{
	c->notif_dropped++;
}

/* lost notifications counted as sent were never acknowledged (the master went away): dropped after all. */
static inline void aras_counters_notif_unacked(struct aras_counters *c, unsigned long lost)
{
	c->notif_sent -= (uint32_t)(lost < c->notif_sent ? lost : c->notif_sent);
	c->notif_dropped += (uint32_t)lost;
}

/* Mails sent and failed (refused by the queue, or their SMTP dialogue failed). */
static inline void aras_counters_mail(struct aras_counters *c, unsigned sent, unsigned failed)
{
	c->mail_sent += sent;
	c->mail_failed += failed;
}

/* Scripts started, and scripts failed (refused, or ended badly). */
static inline void aras_counters_script(struct aras_counters *c, unsigned runs, unsigned failed)
{
	c->script_runs += runs;
	c->script_failed += failed;
}

#endif
