/*
 * agent.c - arasd as a net-snmp AgentX subagent: start-up in the order
 * net-snmp needs (each step says why, in aras_snmp_start below), net-snmp's log
 * routed into ours, the master connection tracked for the drop counter,
 * and net-snmp's descriptors and timeouts registered with the loop
 * (loop.h) as a source.
 */
#include "agent.h"

#include "arasd.h"

#include "util/log.h"
#include "loop.h"
#include "mib.h"
#include "notify.h"
#include "oids.h"
#include "txn.h"

#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/agent_callbacks.h>
#include <net-snmp/agent/agent_sysORTable.h>

/* Log lines of this file say where they come from (util/log.h). */
static const char log_token[] = "snmp";

static oid sysor_oid[] = { ARAS_OID_BASE };

/*
 * File scope, because net-snmp's logging and agent callbacks
 * (snmp_register_callback) pass only their own argument: what they count or
 * update is reached from here.
 */
static unsigned log_problems;
static struct arasd *daemon_ctx;

static int log_cb(int major, int minor, void *serverarg, void *clientarg)
{
	struct snmp_log_message *m = serverarg;

	(void)major;
	(void)minor;
	(void)clientarg;
	if (m->priority <= LOG_WARNING)
		log_problems++;
	/* net-snmp's own messages, tagged as such */
	aras_log_tok(m->priority, "net-snmp", "%s", m->msg);
	return 0;
}

void aras_snmp_log_bridge(void)
{
	snmp_disable_log();
	snmp_enable_calllog();
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING, log_cb, NULL);
}

unsigned aras_snmp_log_problems(void)
{
	return log_problems;
}

static int master_up(int major, int minor, void *serverarg, void *clientarg)
{
	(void)major;
	(void)clientarg;
	if (!daemon_ctx)
		return 0;
	if (minor == SNMPD_CALLBACK_INDEX_START)
		aras_notify_master_up();
	if (minor == SNMPD_CALLBACK_INDEX_STOP) {
		aras_notify_master_lost(daemon_ctx, serverarg);
		/* no COMMIT or UNDO will come for a SET in progress: its VMs must not stay held */
		aras_txn_abandon(daemon_ctx, "left unfinished by the master that went away");
	}
	log_info("AgentX master %s", minor == SNMPD_CALLBACK_INDEX_START ? "connected" : "lost");
	return 0;
}

/*
 * AgentX pings are synchronous: a hung master would block the loop for
 * timeout x retries (keepalived#2195).  Keep both small.
 */
static int session_init(int major, int minor, void *serverarg, void *clientarg)
{
	netsnmp_session *sess = serverarg;

	(void)major;
	(void)minor;
	(void)clientarg;
	if (sess) {
		sess->timeout = 500000;
		sess->retries = 1;
	}
	return 0;
}

/* How soon to come back while notifications are queued (after the master's replies are read). */
#define NOTIFY_RETRY_MS 5

/*
 * Before the loop's poll: queued notifications out (a batch a turn), then
 * net-snmp's descriptors and its next timeout.
 */
static void snmp_prepare(void *arg, int *maxfd, fd_set *rd, fd_set *wr, fd_set *ex, int *timeout_ms)
{
	struct timeval tv, ours;
	int block = 0;

	(void)arg;
	(void)wr;
	(void)ex;
	if (aras_notify_flush(daemon_ctx) && *timeout_ms > NOTIFY_RETRY_MS)
		*timeout_ms = NOTIFY_RETRY_MS;
	ours = tv = aras_loop_tv(*timeout_ms);
	snmp_select_info(maxfd, rd, &tv, &block);
	/* block = 1: net-snmp has no timeout pending and tv is undefined. */
	if (block)
		tv = ours;
	aras_loop_lower(timeout_ms, &tv);
}

static void snmp_dispatch(void *arg, int nready, fd_set *rd, fd_set *wr, fd_set *ex)
{
	(void)arg;
	(void)wr;
	(void)ex;
	/* nready counts net-snmp's own descriptors only: 0 is its timeout turn */
	if (nready > 0)
		snmp_read(rd);
	else if (nready == 0)
		snmp_timeout();
	/* What agent_check_and_process() does after every turn. */
	run_alarms();
	netsnmp_check_outstanding_agent_requests();
	snmp_store_if_needed();
}

int aras_snmp_start(struct arasd *d, struct aras_loop *l)
{
	struct aras_loop_source src = { NULL, snmp_prepare, snmp_dispatch };

	daemon_ctx = d;
	netsnmp_enable_subagent();
	if (d->agentx_socket)
		netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET, d->agentx_socket);
	/* arasd reads its own config file; keep net-snmp away from its search path. */
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	setenv("MIBS", "", 1);
	snmp_register_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_START, master_up, NULL);
	snmp_register_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_STOP, master_up, NULL);
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_SESSION_INIT, session_init, NULL);
	if (init_agent("arasd") != 0) {
		log_err("net-snmp init_agent failed");
		return -1;
	}
	/* init_agent() resets the ping interval to 15 s: set ours after it. */
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL,
			   (int)d->ping_interval);
	if (aras_mib_register(d) < 0)
		return -1;
	register_sysORTable(sysor_oid, OID_LENGTH(sysor_oid),
			    "ARAS-MIB: automatic resource allocation for libvirt VMs (arasd)");
	init_snmp("arasd");
	if (aras_loop_add_source(l, &src) < 0) {
		log_err("cannot register net-snmp with the loop");
		return -1;
	}
	return 0;
}

void aras_snmp_stop(struct arasd *d)
{
	aras_mib_unregister(d);
	unregister_sysORTable(sysor_oid, OID_LENGTH(sysor_oid));
	aras_txn_reset();
	/* Not interested in the master going away while we take it down. */
	snmp_unregister_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_START, master_up, NULL, 1);
	snmp_unregister_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_STOP, master_up, NULL, 1);
	snmp_shutdown("arasd");
	shutdown_agent();
	aras_mib_free_tables();
	daemon_ctx = NULL;
}
