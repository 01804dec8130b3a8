/*
 * notify.c - ARAS-MIB notifications.  Sent only from the loop thread.  A
 * subagent has no trap sinks of its own: it hands the notification to the
 * master over AgentX, so while the master is away it is lost; those are
 * counted in arasNotificationsDropped and logged once per outage.  So are
 * the ones written to the master but not acknowledged when it went away
 * (see struct ack): none is lost without being counted.
 */
#include "mib.h"

#include "arasd.h"

#include "core/log.h"
#include "oids.h"

#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

/* Log lines of this file say where they come from (core/log.h). */
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

static netsnmp_variable_list *notify_begin(unsigned n)
{
	return notify_begin_at(n, netsnmp_get_agent_uptime());
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
	struct aras_event ev;   /* a copy: the log's row may be reused before it leaves */
	u_long up;              /* sysUpTime.0 when it was queued */
	unsigned n;             /* ARAS_N_SLA_BREACH, _SLA_CLEAR, _NO_TARGET or _RULE_VIOLATED */
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
	const netsnmp_session *sess;  /* the session they were handed to */
	unsigned long base;           /* its ack_count when we adopted it */
	unsigned long handed;         /* handed to it since */
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

void aras_notify_master_lost(struct arasd *d, const void *session)
{
	const netsnmp_session *s = session;
	unsigned long acked, lost;

	if (!s || s != ack.sess) {
		ack.sess = NULL;
		return;
	}
	acked = acks_of(s) - ack.base;
	lost = ack.handed > acked ? ack.handed - acked : 0;
	ack.sess = NULL;
	if (!lost)
		return;
	d->counters.notif_sent -= (uint32_t)(lost < d->counters.notif_sent ? lost : d->counters.notif_sent);
	d->counters.notif_dropped += (uint32_t)lost;
	log_warn("%lu notifications written to the AgentX master were not acknowledged before it went "
		 "away: counted in arasNotificationsDropped", lost);
}

static void drop(struct arasd *d, struct note n, const char *what, const char *why)
{
	d->counters.notif_dropped++;
	if (!nq.warned)
		log_warn("notification %s dropped: %s (counting in arasNotificationsDropped)", what, why);
	nq.warned = 1;
	snmp_free_varbind(n.vars);
	free(n.ev);
}

static void queue(struct arasd *d, struct note n, const char *what)
{
	if (!d->master_connected) {
		drop(d, n, what, "AgentX master not connected");
		return;
	}
	if (nq.count == NOTIFY_QUEUE) {
		drop(d, n, what, "queue full");
		return;
	}
	nq.q[(nq.head + nq.count++) % NOTIFY_QUEUE] = n;
}

static void notify_send(struct arasd *d, netsnmp_variable_list *vars, const char *what)
{
	queue(d, (struct note){ .vars = vars }, what);
}

static netsnmp_variable_list *event_vars(const struct ev_note *en);

int aras_notify_flush(struct arasd *d)
{
	for (int i = 0; i < NOTIFY_BATCH && nq.count; i++) {
		struct note n = nq.q[nq.head];
		netsnmp_variable_list *vars;

		nq.head = (nq.head + 1) % NOTIFY_QUEUE;
		nq.count--;
		if (!d->master_connected) {
			drop(d, n, "(queued)", "AgentX master lost");
			continue;
		}
		vars = n.ev ? event_vars(n.ev) : n.vars;
		free(n.ev);
		send_v2trap(vars);
		snmp_free_varbind(vars);
		ack_handed();
		d->counters.notif_sent++;
		nq.warned = 0;
	}
	return nq.count > 0;
}

void aras_notify_host_state(struct arasd *d, const struct aras_host *h)
{
	oid o[] = { ARAS_OID_HOST_ENTRY, 0, 0 };
	size_t len = OID_LENGTH(o);
	netsnmp_variable_list *vars = notify_begin(ARAS_N_HOST_STATE);
	long state = aras_host_mib_state(h);

	o[len - 1] = h->index;
	o[len - 2] = ARAS_HC_NAME;
	snmp_varlist_add_variable(&vars, o, len, ASN_OCTET_STR, h->name, strlen(h->name));
	o[len - 2] = ARAS_HC_STATE;
	snmp_varlist_add_variable(&vars, o, len, ASN_INTEGER, &state, sizeof(state));
	o[len - 2] = ARAS_HC_LAST_ERROR;
	snmp_varlist_add_variable(&vars, o, len, ASN_OCTET_STR, h->last_error, strlen(h->last_error));
	notify_send(d, vars, "arasHostStateChange");
}

/* Add the given arasEventTable columns of event e to vars. */
static void add_event_cols(netsnmp_variable_list **varsp, const struct aras_event *e, const unsigned *cols,
			   size_t ncols)
{
	oid o[] = { ARAS_OID_EVENT_ENTRY, 0, 0 };
	size_t len = OID_LENGTH(o);
	const struct aras_alert *a = &e->a;
	netsnmp_variable_list *vars = *varsp;

	o[len - 1] = e->index;
	for (size_t i = 0; i < ncols; i++) {
		long iv;
		u_long uv;

		o[len - 2] = cols[i];
		switch (cols[i]) {
		case ARAS_EC_VM_UUID:
			snmp_varlist_add_variable(&vars, o, len, ASN_OCTET_STR, a->uuid, ARAS_UUID_LEN);
			break;
		case ARAS_EC_VM_NAME:
			snmp_varlist_add_variable(&vars, o, len, ASN_OCTET_STR, a->vm_name, strlen(a->vm_name));
			break;
		case ARAS_EC_RESOURCE:
			iv = a->resource;
			snmp_varlist_add_variable(&vars, o, len, ASN_INTEGER, &iv, sizeof(iv));
			break;
		case ARAS_EC_TEXT:
			snmp_varlist_add_variable(&vars, o, len, ASN_OCTET_STR, a->text, strlen(a->text));
			break;
		case ARAS_EC_HOST_NAME:
			snmp_varlist_add_variable(&vars, o, len, ASN_OCTET_STR, a->host_name,
						  strlen(a->host_name));
			break;
		case ARAS_EC_GROUP:
			snmp_varlist_add_variable(&vars, o, len, ASN_OCTET_STR, a->group, strlen(a->group));
			break;
		case ARAS_EC_VM_UUID_STRING: {
			char u[ARAS_UUID_STRLEN];

			aras_uuid_format(a->uuid, u);
			snmp_varlist_add_variable(&vars, o, len, ASN_OCTET_STR, u, a->has_vm ? strlen(u) : 0);
			break;
		}
		default:
			uv = cols[i] == ARAS_EC_HOST ? a->host_index :
			     cols[i] == ARAS_EC_VALUE ? a->value : a->threshold;
			snmp_varlist_add_variable(&vars, o, len, ASN_UNSIGNED, &uv, sizeof(uv));
		}
	}
	*varsp = vars;
}

/* arasSlaBreach / arasSlaClear / arasNoTarget: the event row's objects each carries. */
static const unsigned sla_cols[] = { ARAS_EC_VM_UUID, ARAS_EC_VM_NAME, ARAS_EC_HOST,
				     ARAS_EC_RESOURCE, ARAS_EC_VALUE, ARAS_EC_THRESHOLD,
				     ARAS_EC_VM_UUID_STRING, ARAS_EC_HOST_NAME };
static const unsigned no_target_cols[] = { ARAS_EC_VM_UUID, ARAS_EC_VM_NAME, ARAS_EC_HOST,
					   ARAS_EC_RESOURCE, ARAS_EC_TEXT, ARAS_EC_VM_UUID_STRING,
					   ARAS_EC_HOST_NAME };

static const unsigned rule_cols[] = { ARAS_EC_GROUP, ARAS_EC_VM_NAME, ARAS_EC_VM_UUID_STRING, ARAS_EC_HOST,
				      ARAS_EC_HOST_NAME, ARAS_EC_TEXT };

static netsnmp_variable_list *event_vars(const struct ev_note *en)
{
	netsnmp_variable_list *vars = notify_begin_at(en->n, en->up);

	if (en->n == ARAS_N_RULE_VIOLATED)
		add_event_cols(&vars, &en->ev, rule_cols, ARAS_ARRAY_SIZE(rule_cols));
	else if (en->n == ARAS_N_NO_TARGET)
		add_event_cols(&vars, &en->ev, no_target_cols, ARAS_ARRAY_SIZE(no_target_cols));
	else
		add_event_cols(&vars, &en->ev, sla_cols, ARAS_ARRAY_SIZE(sla_cols));
	return vars;
}

static void queue_event(struct arasd *d, const struct aras_event *e, unsigned n, const char *what)
{
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
	case ARAS_EV_BREACH: queue_event(d, e, ARAS_N_SLA_BREACH, "arasSlaBreach"); return;
	case ARAS_EV_CLEAR: queue_event(d, e, ARAS_N_SLA_CLEAR, "arasSlaClear"); return;
	case ARAS_EV_RULE_VIOLATION: queue_event(d, e, ARAS_N_RULE_VIOLATED, "arasRuleViolated"); return;
	}
}

void aras_notify_no_target(struct arasd *d, const struct aras_event *e)
{
	queue_event(d, e, ARAS_N_NO_TARGET, "arasNoTarget");
}

void aras_notify_action(struct arasd *d, const struct aras_action *a)
{
	oid o[] = { ARAS_OID_ACTION_ENTRY, 0, 0 };
	size_t len = OID_LENGTH(o);
	netsnmp_variable_list *vars;
	unsigned n;
	long kind = a->kind, state = a->state;
	u_long src = a->source, dst = a->target;
	char ustr[ARAS_UUID_STRLEN];

	switch (a->state) {
	case ARAS_AS_PROPOSED: n = ARAS_N_ACTION_PROPOSED; break;
	case ARAS_AS_SUCCEEDED: n = ARAS_N_ACTION_DONE; break;
	case ARAS_AS_FAILED: n = ARAS_N_ACTION_FAILED; break;
	default: return;
	}
	vars = notify_begin(n);
	o[len - 1] = a->index;
	o[len - 2] = ARAS_AC_VM_UUID;
	snmp_varlist_add_variable(&vars, o, len, ASN_OCTET_STR, a->uuid, ARAS_UUID_LEN);
	o[len - 2] = ARAS_AC_VM_NAME;
	snmp_varlist_add_variable(&vars, o, len, ASN_OCTET_STR, a->vm_name, strlen(a->vm_name));
	o[len - 2] = ARAS_AC_KIND;
	snmp_varlist_add_variable(&vars, o, len, ASN_INTEGER, &kind, sizeof(kind));
	o[len - 2] = ARAS_AC_SOURCE;
	snmp_varlist_add_variable(&vars, o, len, ASN_UNSIGNED, &src, sizeof(src));
	o[len - 2] = ARAS_AC_TARGET;
	snmp_varlist_add_variable(&vars, o, len, ASN_UNSIGNED, &dst, sizeof(dst));
	o[len - 2] = ARAS_AC_STATE;
	snmp_varlist_add_variable(&vars, o, len, ASN_INTEGER, &state, sizeof(state));
	o[len - 2] = ARAS_AC_REASON;
	snmp_varlist_add_variable(&vars, o, len, ASN_OCTET_STR, a->reason, strlen(a->reason));
	if (n == ARAS_N_ACTION_FAILED) {
		o[len - 2] = ARAS_AC_ERROR;
		snmp_varlist_add_variable(&vars, o, len, ASN_OCTET_STR, a->error, strlen(a->error));
	}
	o[len - 2] = ARAS_AC_VM_UUID_STRING;
	aras_uuid_format(a->uuid, ustr);
	snmp_varlist_add_variable(&vars, o, len, ASN_OCTET_STR, ustr, strlen(ustr));
	notify_send(d, vars, n == ARAS_N_ACTION_DONE ? "arasActionDone" :
			     n == ARAS_N_ACTION_FAILED ? "arasActionFailed" : "arasActionProposed");
}

void aras_notify_vm_state(struct arasd *d, const struct aras_vm *vm)
{
	static const unsigned cols[] = { ARAS_VC_NAME, ARAS_VC_UUID_STRING, ARAS_VC_HOST_NAME,
					 ARAS_VC_PREV_OPER_STATE, ARAS_VC_OPER_STATE,
					 ARAS_VC_STATE_REASON };
	oid o[ARAS_OID_BASE_LEN + 4 + ARAS_UUID_LEN] = { ARAS_OID_VM_ENTRY, 0 };
	size_t len = ARAS_OID_BASE_LEN + 4 + ARAS_UUID_LEN;
	netsnmp_variable_list *vars = notify_begin(ARAS_N_VM_STATE);

	for (int i = 0; i < ARAS_UUID_LEN; i++)
		o[ARAS_OID_BASE_LEN + 4 + i] = vm->uuid[i];
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
		netsnmp_variable_list *v;

		o[ARAS_OID_BASE_LEN + 3] = cols[i];
		v = snmp_varlist_add_variable(&vars, o, len, ASN_NULL, NULL, 0);
		if (v)
			aras_mib_vm_value(v, vm, cols[i]);
	}
	notify_send(d, vars, "arasVmStateChange");
}

void aras_notify_state_coalesced(struct arasd *d)
{
	oid o[] = { ARAS_OID_STATUS, ARAS_ST_STATE_COALESCED, 0 };
	size_t len = OID_LENGTH(o);
	netsnmp_variable_list *vars = notify_begin(ARAS_N_STATE_COALESCED);
	u_long n = d->eng.state_coalesced;

	snmp_varlist_add_variable(&vars, o, len, ASN_COUNTER, &n, sizeof(n));
	o[len - 2] = ARAS_ST_STATE_CHANGES;
	n = d->eng.vm_state_changes;
	snmp_varlist_add_variable(&vars, o, len, ASN_COUNTER, &n, sizeof(n));
	notify_send(d, vars, "arasVmStateChangesCoalesced");
}
