/*
 * config.h - arasd.conf, read with net-snmp's config parser (snmpd.conf
 * style).  Tokens: host NAME URI [INDEX], agentxSocket PATH,
 * agentxPingInterval SECONDS, and every setting of core/settings.c by its
 * token.  Errors are reported as "FILE: line N: Error: reason".
 */
#ifndef ARAS_SNMP_CONFIG_H
#define ARAS_SNMP_CONFIG_H

struct arasd; /* filled from the configuration (arasd.h) */

/* Read file into d; returns the number of problems reported (0 = clean). */
int aras_config_read(struct arasd *d, const char *file);
void aras_config_free(struct arasd *d);

#endif
