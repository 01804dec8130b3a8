/*
 * txn.c - see txn.h.
 */
#include "txn.h"

#include "actions.h"
#include "core/log.h"
#include "events.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct {
	int active;
	long transid;
	int saved;          /* ACTION wrote the staged state */
	int done;           /* COMMIT, FREE or UNDO finished it */
	int orders_checked; /* RESERVE2 looked at the orders */
	struct aras_state staged;
	struct aras_txn_order *orders;
	size_t norders, orders_cap;
} txn;

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int aras_snmp_err(int err)
{
	switch (err < 0 ? -err : err) {
	case ARAS_OK: return SNMP_ERR_NOERROR;
	case ARAS_E_INVAL: return SNMP_ERR_WRONGTYPE;
	case ARAS_E_RANGE: return SNMP_ERR_WRONGVALUE;
	case ARAS_E_INCONSIST: return SNMP_ERR_INCONSISTENTVALUE;
	case ARAS_E_RDONLY: return SNMP_ERR_NOTWRITABLE;
	case ARAS_E_NOENT: return SNMP_ERR_NOCREATION;
	case ARAS_E_IO: return SNMP_ERR_COMMITFAILED;
	case ARAS_E_LENGTH: return SNMP_ERR_WRONGLENGTH;
	case ARAS_E_NOMEM:
	case ARAS_E_BUSY: return SNMP_ERR_RESOURCEUNAVAILABLE;
	}
	return SNMP_ERR_GENERR;
}

static long transid_of(netsnmp_agent_request_info *reqinfo)
{
	return (reqinfo->asp && reqinfo->asp->pdu) ? reqinfo->asp->pdu->transid : 0;
}

static void finish(void)
{
	aras_state_free(&txn.staged);
	free(txn.orders);
	txn.orders = NULL;
	txn.norders = txn.orders_cap = 0;
	txn.orders_checked = 0;
	txn.active = 0;
	txn.saved = 0;
	txn.done = 0;
}

void aras_txn_add_order(struct arasd *d, netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r,
			const struct aras_txn_order *o)
{
	if (!aras_txn_stage(d, reqinfo, r))
		return;
	if (txn.norders == txn.orders_cap) {
		size_t cap = txn.orders_cap ? txn.orders_cap * 2 : 8;
		struct aras_txn_order *v = realloc(txn.orders, cap * sizeof(*v));

		if (!v) {
			netsnmp_set_request_error(reqinfo, r, SNMP_ERR_RESOURCEUNAVAILABLE);
			return;
		}
		txn.orders = v;
		txn.orders_cap = cap;
	}
	txn.orders[txn.norders++] = *o;
}

void aras_txn_check_orders(struct arasd *d, netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r)
{
	(void)d;
	if (!txn.active || txn.done || txn.orders_checked)
		return;
	txn.orders_checked = 1;
	/* each order was checked alone against the live state; two on one VM or action would race */
	for (size_t i = 0; i < txn.norders; i++) {
		for (size_t j = 0; j < i; j++) {
			const struct aras_txn_order *a = &txn.orders[i], *b = &txn.orders[j];

			if (memcmp(a->uuid, b->uuid, ARAS_UUID_LEN) == 0 ||
			    (a->kind == ARAS_ORDER_DECIDE && b->kind == ARAS_ORDER_DECIDE && a->action == b->action)) {
				char u[ARAS_UUID_STRLEN];

				aras_uuid_format(a->uuid, u);
				log_info("SNMP SET rejected: two orders for VM %s in one PDU", u);
				netsnmp_set_request_error(reqinfo, r, SNMP_ERR_INCONSISTENTVALUE);
				return;
			}
		}
	}
}

/* COMMIT: every staged order, in the PDU's order. */
static void run_orders(struct arasd *d)
{
	uint64_t now = mono_ms();

	for (size_t i = 0; i < txn.norders; i++) {
		const struct aras_txn_order *o = &txn.orders[i];

		if (o->kind == ARAS_ORDER_DECIDE)
			aras_actions_decide(d, o->action, o->state, now);
		else if (o->kind == ARAS_ORDER_MIGRATE)
			aras_actions_order_migrate(d, o->uuid, o->target, now);
	}
}

struct aras_state *aras_txn_stage(struct arasd *d, netsnmp_agent_request_info *reqinfo,
				  netsnmp_request_info *r)
{
	long id = transid_of(reqinfo);

	if (txn.active && txn.transid == id && !txn.done)
		return &txn.staged;
	if (txn.active && !txn.done) {
		/*
		 * A new SET while the last one never finished: the master gave
		 * up on it.  Its staged values may be on disk; put the live
		 * state back there before starting over.
		 */
		char why[256];

		log_warn("SNMP SET %ld abandoned by the master; discarding it", txn.transid);
		if (txn.saved && d->state_file && aras_state_save(&d->state, d->state_file, why, sizeof(why)) < 0)
			log_err("cannot restore %s: %s", d->state_file, why);
	}
	finish();
	aras_state_init(&txn.staged);
	if (aras_state_copy(&txn.staged, &d->state) < 0) {
		netsnmp_set_request_error(reqinfo, r, SNMP_ERR_RESOURCEUNAVAILABLE);
		return NULL;
	}
	txn.active = 1;
	txn.transid = id;
	return &txn.staged;
}

void aras_txn_phase(struct arasd *d, netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r)
{
	char why[256];

	if (!txn.active || txn.done)
		return;
	switch (reqinfo->mode) {
	case MODE_SET_ACTION:
		if (txn.saved || !d->state_file) {
			txn.saved = 1;
			return;
		}
		if (aras_state_save(&txn.staged, d->state_file, why, sizeof(why)) < 0) {
			log_err("SET not applied: cannot persist: %s", why);
			netsnmp_set_request_error(reqinfo, r, SNMP_ERR_COMMITFAILED);
			return;
		}
		txn.saved = 1;
		return;
	case MODE_SET_COMMIT: {
		struct aras_state old;

		aras_state_init(&old);
		old = d->state;
		d->state = txn.staged;
		memset(&txn.staged, 0, sizeof(txn.staged));
		aras_txn_on_commit(d, &old);
		aras_state_free(&old);
		txn.done = 1;
		run_orders(d);
		finish();
		return;
	}
	case MODE_SET_UNDO:
		if (txn.saved && d->state_file && aras_state_save(&d->state, d->state_file, why, sizeof(why)) < 0)
			log_err("SET undo: cannot restore %s: %s", d->state_file, why);
		finish();
		return;
	case MODE_SET_FREE:
		finish();
		return;
	}
}

void aras_txn_reset(void)
{
	finish();
}

void aras_txn_on_commit(struct arasd *d, const struct aras_state *old)
{
	d->state_gen++;
	uint32_t size = d->state.settings.v[ARAS_S_EVENT_LOG_SIZE];

	if (d->evlog && size != old->settings.v[ARAS_S_EVENT_LOG_SIZE] &&
	    aras_evlog_resize(d->evlog, size) < 0)
		log_err("cannot resize the event log to %u rows", (unsigned)size);
	for (size_t i = 0; i < d->model.nhosts; i++) {
		struct aras_host *h = &d->model.hosts[i];
		int on = aras_state_maintenance(&d->state, h->index);

		int before = aras_host_mib_state(h);

		if (on == h->maintenance)
			continue;
		log_info("host %s %s maintenance by SNMP SET", h->name, on ? "enters" : "leaves");
		h->maintenance = on;
		if (aras_host_mib_state(h) != before)
			aras_events_host(d, h);
	}
	for (int i = 0; i < ARAS_S_COUNT; i++) {
		char a[64], b[64];

		if (d->state.settings.v[i] == old->settings.v[i])
			continue;
		aras_settings_format(i, old->settings.v[i], a, sizeof(a));
		aras_settings_format(i, d->state.settings.v[i], b, sizeof(b));
		log_info("%s changed by SNMP SET: %s -> %s", aras_setting_defs[i].mib_name, a, b);
	}
}
