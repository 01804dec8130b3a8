/*
 * notify.c - ARAS-MIB notifications.  Sent only from the loop thread.  A
 * subagent has no trap sinks of its own: it hands the notification to the
 * master over AgentX, so while the master is away it is lost; those are
 * counted in arasNotificationsDropped and logged once per outage.  So are
 * the ones written to the master but not acknowledged when it went away
 * (see struct ack): none is lost without being counted.
 *
 * A notification's varbinds are columns of one row (ARAS-MIB's OBJECTS
 * clause), listed in the table below and encoded by mib.c's encoder of
 * each column, the one that answers a GET of the same instance: no object
 * is encoded here.
 */
#include "notify.h"

#include "arasd.h"
#include "mib.h"

#include "util/log.h"
#include "oids.h"

#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

/* Log lines of this file say where they come from (util/log.h). */
static const char log_token[] = "snmp";

static const oid trap_oid_oid[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };
static const oid uptime_oid[] = { 1, 3, 6, 1, 2, 1, 1, 3, 0 };

/* Start a varbind list: sysUpTime.0 = up, snmpTrapOID.0 = arasNotifications.n */
static netsnmp_variable_list *notify_begin_at(unsigned n, u_long up)
{
	oid trap[] = { ARAS_OID_NOTIFY, n };
	netsnmp_variable_list *vars = NULL;

	snmp_varlist_add_variable(&vars, uptime_oid, OID_LENGTH(uptime_oid), ASN_TIMETICKS, &up, sizeof(up));
	snmp_varlist_add_variable(&vars, trap_oid_oid, OID_LENGTH(trap_oid_oid), ASN_OBJECT_ID, trap,
				  sizeof(trap));
	return vars;
}

/* What each notification carries: columns of one row of one table, in the MIB's OBJECTS order. */
static const struct notification {
	const char *name;
	enum aras_mib_table table;
	unsigned cols[10]; /* 0-terminated */
} notifications[] = {
	[ARAS_N_SLA_BREACH] = { "arasSlaBreach",
				ARAS_MIB_EVENT,
				{ ARAS_EC_VM_UUID, ARAS_EC_VM_NAME, ARAS_EC_HOST, ARAS_EC_RESOURCE,
				  ARAS_EC_VALUE, ARAS_EC_THRESHOLD, ARAS_EC_VM_UUID_STRING,
				  ARAS_EC_HOST_NAME } },
	[ARAS_N_SLA_CLEAR] = { "arasSlaClear",
			       ARAS_MIB_EVENT,
			       { ARAS_EC_VM_UUID, ARAS_EC_VM_NAME, ARAS_EC_HOST, ARAS_EC_RESOURCE,
				 ARAS_EC_VALUE, ARAS_EC_THRESHOLD, ARAS_EC_VM_UUID_STRING,
				 ARAS_EC_HOST_NAME } },
	[ARAS_N_HOST_STATE] = { "arasHostStateChange",
				ARAS_MIB_HOST,
				{ ARAS_HC_NAME, ARAS_HC_STATE, ARAS_HC_LAST_ERROR } },
	[ARAS_N_ACTION_DONE] = { "arasActionDone",
				 ARAS_MIB_ACTION,
				 { ARAS_AC_VM_UUID, ARAS_AC_VM_NAME, ARAS_AC_KIND, ARAS_AC_SOURCE,
				   ARAS_AC_TARGET, ARAS_AC_STATE, ARAS_AC_REASON, ARAS_AC_VM_UUID_STRING } },
	[ARAS_N_ACTION_FAILED] = { "arasActionFailed",
				   ARAS_MIB_ACTION,
				   { ARAS_AC_VM_UUID, ARAS_AC_VM_NAME, ARAS_AC_KIND, ARAS_AC_SOURCE,
				     ARAS_AC_TARGET, ARAS_AC_STATE, ARAS_AC_REASON, ARAS_AC_ERROR,
				     ARAS_AC_VM_UUID_STRING } },
	[ARAS_N_ACTION_PROPOSED] = { "arasActionProposed",
				     ARAS_MIB_ACTION,
				     { ARAS_AC_VM_UUID, ARAS_AC_VM_NAME, ARAS_AC_KIND, ARAS_AC_SOURCE,
				       ARAS_AC_TARGET, ARAS_AC_STATE, ARAS_AC_REASON,
				       ARAS_AC_VM_UUID_STRING } },
	[ARAS_N_NO_TARGET] = { "arasNoTarget",
			       ARAS_MIB_EVENT,
			       { ARAS_EC_VM_UUID, ARAS_EC_VM_NAME, ARAS_EC_HOST, ARAS_EC_RESOURCE,
				 ARAS_EC_TEXT, ARAS_EC_VM_UUID_STRING, ARAS_EC_HOST_NAME } },
	[ARAS_N_VM_STATE] = { "arasVmStateChange",
			      ARAS_MIB_VM,
			      { ARAS_VC_NAME, ARAS_VC_UUID_STRING, ARAS_VC_HOST_NAME, ARAS_VC_PREV_OPER_STATE,
				ARAS_VC_OPER_STATE, ARAS_VC_STATE_REASON } },
	[ARAS_N_STATE_COALESCED] = { "arasVmStateChangesCoalesced",
				     ARAS_MIB_STATUS,
				     { ARAS_ST_STATE_COALESCED, ARAS_ST_STATE_CHANGES } },
	[ARAS_N_RULE_VIOLATED] = { "arasRuleViolated",
				   ARAS_MIB_EVENT,
				   { ARAS_EC_GROUP, ARAS_EC_VM_NAME, ARAS_EC_VM_UUID_STRING, ARAS_EC_HOST,
				     ARAS_EC_HOST_NAME, ARAS_EC_TEXT } },
	[ARAS_N_TAKEOVER] = { "arasControllerTakeover",
			      ARAS_MIB_STATUS,
			      { ARAS_ST_CONTROLLER_NODE, ARAS_ST_TAKEOVER_FROM, ARAS_ST_TAKEOVER_GAP,
				ARAS_ST_TAKEOVERS, ARAS_ST_TAKEOVER_ADOPTED } },
};

/* Notification n about row (NULL for arasStatus) as it is now, dated up. */
static netsnmp_variable_list *notify_vars(unsigned n, u_long up, const void *row)
{
	const struct notification *nt = &notifications[n];
	netsnmp_variable_list *vars = notify_begin_at(n, up);

	for (const unsigned *c = nt->cols; *c; c++)
		aras_mib_add_varbind(&vars, nt->table, *c, row);
	return vars;
}

/*
 * Notifications wait in a queue and leave at most NOTIFY_BATCH per loop
 * turn.  Sending a burst in one go deadlocks with the master: the AgentX
 * socket is blocking, the master's responses to our Notify PDUs fill its
 * side while we are still writing, and both block (seen with 500 at once).
 * Between batches the loop reads the responses.
 */
#define NOTIFY_QUEUE 16384
#define NOTIFY_BATCH 8

/*
 * An event's notification (arasSlaBreach, arasSlaClear, arasNoTarget) waits
 * as a copy of the event row and becomes varbinds only when it leaves.
 * These come in bursts (a threshold SET breaches thousands of VMs in one
 * poll), and a varbind costs about 1.1 KiB (net-snmp's variable_list holds
 * a 128-subid name buffer): 6 000 queued breaches were about 70 MB of
 * varbinds, freed after the burst but kept by the allocator, which is what
 * bench/soak's RSS growth was.  The copy is about 0.8 KiB.
 */
struct ev_note {
	struct aras_event ev; /* a copy: the log's row may be reused before it leaves */
	u_long up;            /* sysUpTime.0 when it was queued */
	unsigned n;           /* ARAS_N_SLA_BREACH, _SLA_CLEAR, _NO_TARGET or _RULE_VIOLATED */
};

/* A queued notification: its varbinds built at once, or an event's note (the other is NULL). */
struct note {
	netsnmp_variable_list *vars;
	struct ev_note *ev;
};

/* File scope: filled by the engine's effects, drained by the loop's SNMP source (loop thread only). */
static struct {
	struct note q[NOTIFY_QUEUE];
	size_t head, count;
	int warned;
	int master_up; /* the AgentX master is connected: aras_notify_master_up / _lost */
} nq;

/*
 * What the master acknowledged.  net-snmp sends each Notify on the AgentX
 * session with snmp_async_send, and handle_inform_response (agent_trap.c)
 * counts the master's Responses in that session's trap_stats->ack_count.
 * A Notify written to the socket but not acknowledged when the master dies
 * may never have been read (kill -9 during a burst lost hundreds): when the
 * master goes, those move from arasNotificationsSent to ...Dropped.  One the
 * master forwarded just before it died then counts as dropped too: an
 * over-count, never a silent loss.  Only arasd sends on this session.
 */
static struct {
	const netsnmp_session *sess; /* the session they were handed to */
	unsigned long base;          /* its ack_count when we adopted it */
	unsigned long handed;        /* handed to it since */
} ack;

/* net-snmp's AgentX session to the master (snmp_agent.c; no public header). */
extern netsnmp_session *main_session;

static unsigned long acks_of(const netsnmp_session *s)
{
	return s && s->trap_stats ? s->trap_stats->ack_count : 0;
}

static void ack_handed(void)
{
	if (ack.sess != main_session) {
		ack.sess = main_session;
		ack.base = acks_of(main_session);
		ack.handed = 0;
	}
	ack.handed++;
}

void aras_notify_master_up(void)
{
	nq.master_up = 1;
}

void aras_notify_master_lost(struct arasd *d, const void *session)
{
	const netsnmp_session *s = session;
	unsigned long acked, lost;

	nq.master_up = 0;
	if (!s || s != ack.sess) {
		ack.sess = NULL;
		return;
	}
	acked = acks_of(s) - ack.base;
	lost = ack.handed > acked ? ack.handed - acked : 0;
	ack.sess = NULL;
	if (!lost)
		return;
	aras_counters_notif_unacked(&d->counters, lost);
	log_warn("%lu notifications written to the AgentX master were not acknowledged before it went "
		 "away: counted in arasNotificationsDropped",
		 lost);
}

static void drop(struct arasd *d, struct note n, const char *what, const char *why)
{
	aras_counters_notif_dropped(&d->counters);
	if (!nq.warned)
		log_warn("notification %s dropped: %s (counting in arasNotificationsDropped)", what, why);
	nq.warned = 1;
	snmp_free_varbind(n.vars);
	free(n.ev);
}

static void queue(struct arasd *d, struct note n, const char *what)
{
	if (!nq.master_up) {
		drop(d, n, what, "AgentX master not connected");
		return;
	}
	if (nq.count == NOTIFY_QUEUE) {
		drop(d, n, what, "queue full");
		return;
	}
	nq.q[(nq.head + nq.count++) % NOTIFY_QUEUE] = n;
}

/* Notification n about row, its varbinds built now. */
static void notify_send(struct arasd *d, unsigned n, const void *row)
{
	queue(d, (struct note){ .vars = notify_vars(n, netsnmp_get_agent_uptime(), row) },
	      notifications[n].name);
}

void aras_notify_vars(struct arasd *d, netsnmp_variable_list *vars, const char *what)
{
	queue(d, (struct note){ .vars = vars }, what);
}

int aras_notify_flush(struct arasd *d)
{
	for (int i = 0; i < NOTIFY_BATCH && nq.count; i++) {
		struct note n = nq.q[nq.head];
		netsnmp_variable_list *vars;

		nq.head = (nq.head + 1) % NOTIFY_QUEUE;
		nq.count--;
		if (!nq.master_up) {
			drop(d, n, "(queued)", "AgentX master lost");
			continue;
		}
		vars = n.ev ? notify_vars(n.ev->n, n.ev->up, &n.ev->ev) : n.vars;
		free(n.ev);
		send_v2trap(vars);
		snmp_free_varbind(vars);
		ack_handed();
		aras_counters_notif_sent(&d->counters);
		nq.warned = 0;
	}
	return nq.count > 0;
}

void aras_notify_host_state(struct arasd *d, const struct aras_host *h)
{
	notify_send(d, ARAS_N_HOST_STATE, h);
}

static void queue_event(struct arasd *d, const struct aras_event *e, unsigned n)
{
	const char *what = notifications[n].name;
	struct ev_note *en = malloc(sizeof(*en));

	if (!en) {
		drop(d, (struct note){ 0 }, what, "out of memory");
		return;
	}
	en->ev = *e;
	en->ev.priv = NULL;
	en->up = netsnmp_get_agent_uptime();
	en->n = n;
	queue(d, (struct note){ .ev = en }, what);
}

void aras_notify_event(struct arasd *d, const struct aras_event *e)
{
	switch (e->a.type) {
	case ARAS_EV_BREACH: queue_event(d, e, ARAS_N_SLA_BREACH); return;
	case ARAS_EV_CLEAR: queue_event(d, e, ARAS_N_SLA_CLEAR); return;
	case ARAS_EV_RULE_VIOLATION: queue_event(d, e, ARAS_N_RULE_VIOLATED); return;
	}
}

void aras_notify_no_target(struct arasd *d, const struct aras_event *e)
{
	queue_event(d, e, ARAS_N_NO_TARGET);
}

void aras_notify_action(struct arasd *d, const struct aras_action *a)
{
	switch (a->state) {
	case ARAS_AS_PROPOSED: notify_send(d, ARAS_N_ACTION_PROPOSED, a); return;
	case ARAS_AS_SUCCEEDED: notify_send(d, ARAS_N_ACTION_DONE, a); return;
	case ARAS_AS_FAILED: notify_send(d, ARAS_N_ACTION_FAILED, a); return;
	}
}

void aras_notify_vm_state(struct arasd *d, const struct aras_vm *vm)
{
	notify_send(d, ARAS_N_VM_STATE, vm);
}

void aras_notify_state_coalesced(struct arasd *d)
{
	notify_send(d, ARAS_N_STATE_COALESCED, NULL);
}

void aras_notify_takeover(struct arasd *d)
{
	notify_send(d, ARAS_N_TAKEOVER, NULL);
}
