/*
 * agent.h - net-snmp subagent life cycle and the pieces of its event loop.
 * Only src/snmp/ includes net-snmp headers; this header does not.
 */
#ifndef ARAS_SNMP_AGENT_H
#define ARAS_SNMP_AGENT_H

#include "arasd.h"

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
 * One loop turn, split so main.c can add its own fds: prepare fills the
 * set and lowers *tv to net-snmp's next timeout; process handles what
 * select() returned (nready < 0 on error, 0 on timeout).
 */
void aras_snmp_prepare(int *maxfd, fd_set *rfds, struct timeval *tv);
void aras_snmp_process(int nready, fd_set *rfds);

#endif
