/*
 * agent.h - net-snmp subagent life cycle, and net-snmp as a source of the
 * daemon's loop (loop.h).
 * Only src/snmp/ includes net-snmp headers; this header does not.
 */
#ifndef ARAS_SNMP_AGENT_H
#define ARAS_SNMP_AGENT_H

struct arasd; /* the daemon (arasd.h): this header needs only its name */
struct aras_loop;

/* Route net-snmp's log into ours; count its errors and warnings. */
void aras_snmp_log_bridge(void);
/* Errors/warnings net-snmp logged so far (config problems among them). */
unsigned aras_snmp_log_problems(void);

/*
 * Become an AgentX subagent, register the MIB, connect to the master and
 * register net-snmp with the loop (loop.h) as a source: every turn queued
 * notifications are flushed and snmp_select_info gives the descriptors
 * and timeout; then snmp_read or snmp_timeout, run_alarms and the agent's
 * outstanding requests, as agent_check_and_process() would.
 */
int aras_snmp_start(struct arasd *d, struct aras_loop *l);
void aras_snmp_stop(struct arasd *d);

#endif
