/*
 * probe.h - `arasd -t`: after a clean configuration check, try every
 * host's libvirt connection (virt/probe.h) and the AgentX master
 * (snmp/probe.h).
 */
#ifndef ARAS_DAEMON_PROBE_H
#define ARAS_DAEMON_PROBE_H

struct arasd;

/* One line per host and one for AgentX on stdout; 0 when all answer, else 1. */
int aras_daemon_probe(const struct arasd *d);

#endif
