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
#include "vmmib.h"

#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/agent_callbacks.h>
#include <net-snmp/agent/agent_sysORTable.h>

/*
 * The standalone agent's MIB modules and tokens, in libnetsnmpmibs and
 * libnetsnmpagent; their mibgroup headers are not installed.
 */
void init_vacm_config_tokens(void);
void init_system_mib(void);
void init_sysORTable(void);
void init_snmpEngine(void);

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

/*
 * AgentX subagent (the default): the master's socket and ping interval; the
 * master's arrival and departure come as callbacks (master_up).
 */
static void subagent_setup(struct arasd *d)
{
	netsnmp_enable_subagent();
	if (d->agent.agentx_socket)
		netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET,
				      d->agent.agentx_socket);
	snmp_register_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_START, master_up, NULL);
	snmp_register_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_STOP, master_up, NULL);
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_SESSION_INIT, session_init, NULL);
}

/*
 * Standalone agent (agentAddress): net-snmp's master role on arasd's own
 * port.  init_snmp() reads agentConfig only (snmpd.conf syntax: the
 * DONT_READ_CONFIGS flag keeps /etc/snmp and the persistent files away, the
 * optional-config list is read regardless), after init_agent() registered
 * agentaddress / trap2sink / trapsess and the calls below the access-control
 * tokens (rocommunity, rouser, view, access...) and the system group
 * (sysDescr, sysUpTime, sysContact / sysLocation lines), sysORTable and
 * snmpEngine (what an SNMPv3 manager reads).
 */
static void standalone_tokens(void)
{
	init_vacm_config_tokens();
	init_system_mib();
	init_sysORTable();
	init_snmpEngine();
}

int aras_snmp_start(struct arasd *d, struct aras_loop *l)
{
	struct aras_loop_source src = { NULL, snmp_prepare, snmp_dispatch };
	int standalone = d->agent.address != NULL;
	unsigned problems;

	daemon_ctx = d;
	if (standalone) {
		netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_PORTS, d->agent.address);
		netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_OPTIONALCONFIG, d->agent.config);
		/* what net-snmp would persist (engineBoots) is not read back either: engineID in agentConfig */
		netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
		/*
		 * net-snmp logs "Connection from UDP: ..." for every request it
		 * accepts (its TCP-wrappers check): a line per NMS poll in arasd's
		 * log.  Off unless agentConfig says dontLogTCPWrappersConnects no.
		 */
		netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID,
				       NETSNMP_DS_AGENT_DONT_LOG_TCPWRAPPERS_CONNECTS, 1);
	} else {
		subagent_setup(d);
	}
	/* arasd reads its own config file; keep net-snmp away from its search path. */
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	setenv("MIBS", "", 1);
	if (init_agent("arasd") != 0) {
		log_err("net-snmp init_agent failed");
		return -1;
	}
	/* init_agent() resets the ping interval to 15 s: set ours after it. */
	if (!standalone)
		netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL,
				   (int)d->agent.ping_interval);
	else
		standalone_tokens();
	if (aras_mib_register(d) < 0 || aras_vmmib_register(d) < 0)
		return -1;
	register_sysORTable(sysor_oid, OID_LENGTH(sysor_oid),
			    "ARAS-MIB: automatic resource allocation for libvirt VMs (arasd)");
	problems = aras_snmp_log_problems();
	init_snmp("arasd");
	if (standalone) {
		if (aras_snmp_log_problems() != problems) {
			log_err("%s: net-snmp reported problems in the standalone agent's configuration "
				"(above)",
				d->agent.config);
			return -1;
		}
		/* libnetsnmpagent would also open snmpd's SMUX port (199): not ours */
		add_to_init_list((char[]){ "-smux" });
		if (init_master_agent() != 0) {
			log_err("cannot listen on agentAddress %s (above: net-snmp's reason)",
				d->agent.address);
			return -1;
		}
		log_info("standalone SNMP agent on %s (access: %s)", d->agent.address, d->agent.config);
		/* as snmpd does once it listens: the trap sinks learn the agent (re)started */
		send_easy_trap(SNMP_TRAP_COLDSTART, 0);
		/* no master to wait for: notifications go to agentConfig's trap sinks */
		aras_notify_master_up();
	}
	if (aras_loop_add_source(l, &src) < 0) {
		log_err("cannot register net-snmp with the loop");
		return -1;
	}
	return 0;
}

void aras_snmp_stop(struct arasd *d)
{
	aras_mib_unregister(d);
	aras_vmmib_unregister(d);
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
