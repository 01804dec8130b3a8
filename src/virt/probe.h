/*
 * probe.h - `arasd -t`: try each configured host's libvirt connection once
 * and say, per host, whether arasd could work with it.
 */
#ifndef ARAS_VIRT_PROBE_H
#define ARAS_VIRT_PROBE_H

#include <stddef.h>

/* One host to try; the probe fills ok and msg. */
struct aras_probe {
	const char *uri;
	int ok;        /* 1: connected and listed its domains */
	char msg[512]; /* "libvirt 9.0.0, QEMU 7.2.0, 3 domains (2 running)" or the error */
};

/*
 * Open every p[i].uri read-write (as the daemon does), each in a thread
 * of its own, list its domains and close it.  Waits at most timeout_s
 * seconds in all: a host still connecting then is reported as "no answer
 * within N s" (its thread is left behind: call this only just before the
 * process exits).  Returns the number of hosts that failed, or
 * -ARAS_E_NOMEM / -ARAS_E_VIRT.
 */
int aras_virt_probe(struct aras_probe *p, size_t n, unsigned timeout_s);

#endif
