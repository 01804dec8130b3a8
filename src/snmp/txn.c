/*
 * txn.c - see txn.h.
 */
#include "txn.h"

#include "core/log.h"
#include "events.h"

#include <string.h>

static struct {
	int active;
	long transid;
	int saved;          /* ACTION wrote the staged state */
	int done;           /* COMMIT, FREE or UNDO finished it */
	struct aras_state staged;
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
	txn.active = 0;
	txn.saved = 0;
	txn.done = 0;
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
		return;
	}
	case MODE_SET_UNDO:
		if (txn.saved && d->state_file && aras_state_save(&d->state, d->state_file, why, sizeof(why)) < 0)
			log_err("SET undo: cannot restore %s: %s", d->state_file, why);
		txn.done = 1;
		return;
	case MODE_SET_FREE:
		txn.done = 1;
		return;
	}
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
