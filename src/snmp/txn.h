/*
 * txn.h - one SNMP SET transaction over arasd's state.  net-snmp runs a SET
 * in phases (RESERVE1, RESERVE2, ACTION, COMMIT; FREE or UNDO on failure),
 * over AgentX as separate PDUs of one transaction id.  Every varbind of the
 * PDU is staged into a copy of the state in RESERVE1; RESERVE2 checks each
 * against the whole staged copy (so cross-object rules see every change);
 * ACTION checks the PDU's orders again (the loop ran since RESERVE), writes
 * the staged copy to disk (atomically, fsynced) and the orders to the
 * order journal (fsynced, core/journal.h) before the response can leave,
 * and holds the orders' VMs; COMMIT makes it live and runs the orders.  A
 * rejected SET changes nothing, in memory or on disk (journalled orders of
 * a SET undone are marked cancelled).  Includes net-snmp types: src/snmp only.
 */
#ifndef ARAS_SNMP_TXN_H
#define ARAS_SNMP_TXN_H

#include "core/engine.h"

struct arasd; /* the daemon (arasd.h): its engine and state file */

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

/*
 * A SET is between its first RESERVE1 and its end (COMMIT, FREE, UNDO):
 * whoever else writes the state file waits (its staged copy may be on disk).
 */
int aras_txn_busy(void);

/* Map an enum aras_err to the SNMP error a SET returns. */
int aras_snmp_err(int aras_err);

/*
 * The staged state of the SET this request belongs to, created on its
 * first RESERVE1; NULL (and resourceUnavailable set on r) if another SET
 * is still in progress.
 */
struct aras_state *aras_txn_stage(struct arasd *d, netsnmp_agent_request_info *reqinfo,
				  netsnmp_request_info *r);

/*
 * Run the ACTION/COMMIT/FREE/UNDO phase for the transaction (idempotent:
 * every handler of the PDU calls it, the work is done once).  Sets an
 * error on r when ACTION cannot persist.
 */
void aras_txn_phase(struct arasd *d, netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r);

/*
 * An operator order of the PDU (struct aras_order, core/engine.h: approve
 * or reject a proposal, migrate a VM),
 * staged with the other varbinds: all orders of a PDU are checked against
 * each other in RESERVE2, again at ACTION (commitFailed when one is no
 * longer possible), journalled at ACTION and run at COMMIT, after the
 * state is live; on FREE/UNDO none runs.  So every order the agent
 * acknowledges takes effect or is recorded failed (after a crash too),
 * or the whole PDU fails.
 */
/* RESERVE1: stage an order (validated on its own already); error set on r when it cannot. */
void aras_txn_add_order(struct arasd *d, netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r,
			const struct aras_order *o);
/* RESERVE1: arasVmEditForce true(1): the PDU's edits of VM uuid are forced (aras_orders_force). */
void aras_txn_force(struct arasd *d, netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r,
		    const uint8_t uuid[ARAS_UUID_LEN]);
/*
 * RESERVE2: check the PDU's orders together (one order per VM and per
 * action); error set on r when they conflict.  Idempotent per PDU.
 */
void aras_txn_check_orders(struct arasd *d, netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r);

/*
 * The master gave up on the SET in progress (a new one came, or the master
 * went away): its state file write is undone, its journalled orders are
 * cancelled and their VMs released.  how goes to the log.  No-op when none.
 */
void aras_txn_abandon(struct arasd *d, const char *how);

/* Drop a transaction the master never finished (at exit). */
void aras_txn_reset(void);

#endif
