/*
 * txn.c - see txn.h.
 */
#include "txn.h"

#include "arasd.h"
#include "clock.h"

#include "core/journal.h"
#include "util/log.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Log lines of this file say where they come from (util/log.h). */
static const char log_token[] = "snmp";

/*
 * File scope, because net-snmp runs a SET's phases as separate handler
 * calls that share nothing but the PDU's transaction id: the staged copy
 * lives here between them.  One SET at a time (the master serialises them).
 */
static struct {
	int active;
	long transid;
	int acted;          /* ACTION ran (once per PDU) */
	int saved;          /* ACTION wrote the staged state */
	int journalled;     /* ACTION wrote the orders to the journal (ids in orders) and held their VMs */
	int done;           /* COMMIT, FREE or UNDO finished it */
	int orders_checked; /* RESERVE2 looked at the orders */
	struct aras_state staged;
	struct aras_orders orders; /* operator orders of the PDU (core/engine.h) */
} txn;

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

/*
 * A SET that wrote its orders to the journal and will not commit them: they
 * were never acknowledged; the journal says so (cancelled), and their VMs
 * are free again.
 */
static void cancel_orders(struct arasd *d)
{
	char why[256];

	if (!txn.journalled)
		return;
	aras_engine_hold(d->eng, NULL);
	for (size_t i = 0; i < txn.orders.n; i++)
		if (aras_journal_done(&d->journal, txn.orders.v[i].id, ARAS_JOUT_CANCELLED,
				      "its SET was not committed", why, sizeof(why)) < 0)
			log_err("order journal: %s", why);
	txn.journalled = 0;
}

static void finish(void)
{
	aras_state_free(&txn.staged);
	aras_orders_clear(&txn.orders);
	txn.orders_checked = 0;
	txn.active = 0;
	txn.acted = 0;
	txn.saved = 0;
	txn.journalled = 0;
	txn.done = 0;
}

void aras_txn_add_order(struct arasd *d, netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r,
			const struct aras_order *o)
{
	if (!aras_txn_stage(d, reqinfo, r))
		return;
	if (aras_orders_add(&txn.orders, o) < 0)
		netsnmp_set_request_error(reqinfo, r, SNMP_ERR_RESOURCEUNAVAILABLE);
}

void aras_txn_force(struct arasd *d, netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r,
		    const uint8_t uuid[ARAS_UUID_LEN])
{
	if (!aras_txn_stage(d, reqinfo, r))
		return;
	if (aras_orders_force(&txn.orders, uuid) < 0)
		netsnmp_set_request_error(reqinfo, r, SNMP_ERR_RESOURCEUNAVAILABLE);
}

void aras_txn_check_orders(struct arasd *d, netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r)
{
	char why[256];

	if (!txn.active || txn.done || txn.orders_checked)
		return;
	txn.orders_checked = 1;
	if (aras_engine_check_all(d->eng, &txn.staged, &txn.orders, why, sizeof(why)) < 0) {
		log_info("SNMP SET rejected: %s", why);
		netsnmp_set_request_error(reqinfo, r, SNMP_ERR_INCONSISTENTVALUE);
	}
}

int aras_txn_busy(void)
{
	return txn.active && !txn.done;
}

void aras_txn_abandon(struct arasd *d, const char *how)
{
	char why[256];

	if (!txn.active || txn.done)
		return;
	/*
	 * The master gave up on the SET.  Its staged values may be on disk;
	 * put the live state back there, and its journalled orders are
	 * cancelled (their VMs free again).
	 */
	log_warn("SNMP SET %ld %s; discarding it", txn.transid, how);
	if (txn.saved && d->state_file &&
	    aras_state_save(aras_engine_state(d->eng), d->state_file, why, sizeof(why)) < 0)
		log_err("cannot restore %s: %s", d->state_file, why);
	cancel_orders(d);
	finish();
}

struct aras_state *aras_txn_stage(struct arasd *d, netsnmp_agent_request_info *reqinfo,
				  netsnmp_request_info *r)
{
	long id = transid_of(reqinfo);

	if (txn.active && txn.transid == id && !txn.done)
		return &txn.staged;
	/* a new SET while the last one never finished */
	aras_txn_abandon(d, "abandoned by the master");
	finish();
	aras_state_init(&txn.staged);
	if (aras_state_copy(&txn.staged, aras_engine_state(d->eng)) < 0) {
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
		if (txn.acted)
			return;
		txn.acted = 1;
		/*
		 * The orders again: under AgentX, RESERVE (TestSet) and ACTION
		 * (CommitSet) are separate messages, and the loop may have
		 * started an action for one of the VMs in between.  Failing
		 * here still fails the whole SET, with nothing changed.
		 */
		if (txn.orders.n &&
		    aras_engine_check_all(d->eng, &txn.staged, &txn.orders, why, sizeof(why)) < 0) {
			log_info("SNMP SET not applied: its orders are no longer possible: %s", why);
			netsnmp_set_request_error(reqinfo, r, SNMP_ERR_COMMITFAILED);
			return;
		}
		if (d->state_file) {
			if (aras_state_save(&txn.staged, d->state_file, why, sizeof(why)) < 0) {
				log_err("SET not applied: cannot persist: %s", why);
				netsnmp_set_request_error(reqinfo, r, SNMP_ERR_COMMITFAILED);
				return;
			}
			txn.saved = 1;
		}
		/*
		 * The orders are journalled (fsynced) before the master can
		 * answer: one acknowledged is run, or recorded failed, even
		 * if arasd dies before its COMMIT or its job (core/journal.h).
		 */
		if (txn.orders.n) {
			if (aras_journal_orders(&d->journal, &txn.orders, why, sizeof(why)) < 0) {
				log_err("SET not applied: cannot journal its orders: %s", why);
				netsnmp_set_request_error(reqinfo, r, SNMP_ERR_COMMITFAILED);
				return;
			}
			txn.journalled = 1;
			/* until COMMIT the controller starts nothing for these VMs */
			aras_engine_hold(d->eng, &txn.orders);
		}
		return;
	case MODE_SET_COMMIT:
		/* the staged state goes live, then the PDU's orders run, in its order */
		txn.done = 1;
		aras_engine_commit(d->eng, &txn.staged, &txn.orders, aras_mono_ms(), time(NULL));
		finish();
		return;
	case MODE_SET_UNDO:
		if (txn.saved && d->state_file &&
		    aras_state_save(aras_engine_state(d->eng), d->state_file, why, sizeof(why)) < 0)
			log_err("SET undo: cannot restore %s: %s", d->state_file, why);
		cancel_orders(d);
		finish();
		return;
	case MODE_SET_FREE:
		cancel_orders(d);
		finish();
		return;
	}
}

void aras_txn_reset(void)
{
	/* at exit: orders journalled and never committed stay pending, resolved at the next start */
	finish();
}
