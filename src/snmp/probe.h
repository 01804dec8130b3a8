/*
 * probe.h - `arasd -t`'s AgentX side: can arasd reach the master agent's
 * socket?  No net-snmp types here.
 */
#ifndef ARAS_SNMP_PROBE_H
#define ARAS_SNMP_PROBE_H

#include <stddef.h>

/*
 * Connect to the master's AgentX socket (spec: a path, "unix:PATH",
 * "tcp:HOST:PORT"; NULL: net-snmp's default) and close it again.  Fills
 * used with the spec tried and msg with "OK: ..." or the reason.
 * 0 if connected, -ARAS_E_IO if not.
 */
int aras_snmp_probe_master(const char *spec, char *used, size_t usedlen, char *msg, size_t msglen);

#endif
