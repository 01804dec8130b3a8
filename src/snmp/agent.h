/*
 * agent.h - net-snmp subagent life cycle and the pieces of its event loop.
 * Only src/snmp/ includes net-snmp headers; this header does not.
 */
#ifndef ARAS_SNMP_AGENT_H
#define ARAS_SNMP_AGENT_H

struct arasd; /* the daemon (arasd.h): this header needs only its name */

#include <sys/select.h>
#include <sys/time.h>

/* Route net-snmp's log into ours; count its errors and warnings. */
void aras_snmp_log_bridge(void);
/* Errors/warnings net-snmp logged so far (config problems among them). */
unsigned aras_snmp_log_problems(void);

/* Become an AgentX subagent, register the MIB and connect to the master. */
int aras_snmp_start(struct arasd *d);
void aras_snmp_stop(struct arasd *d);

/*
 * One loop turn (daemon/loop.c's SNMP source): prepare fills the set and
 * lowers *tv to net-snmp's next timeout; process gets the set cut down to
 * net-snmp's ready fds and their count (0: none ready, its timeout turn).
 */
void aras_snmp_prepare(int *maxfd, fd_set *rfds, struct timeval *tv);
void aras_snmp_process(int nready, fd_set *rfds);

#endif
