/*
 * probe.c - see probe.h.
 */
#include "probe.h"

#include "arasd.h"

#include "snmp/probe.h"
#include "virt/probe.h"

#include <stdio.h>
#include <stdlib.h>

#define PROBE_TIMEOUT_S 20

int aras_daemon_probe(const struct arasd *d)
{
	struct aras_probe *p = calloc(d->nhosts ? d->nhosts : 1, sizeof(*p));
	char used[1024], msg[512];
	int failed, master;

	if (!p)
		return 1;
	for (size_t i = 0; i < d->nhosts; i++)
		p[i].uri = d->hosts[i].uri;
	failed = aras_virt_probe(p, d->nhosts, PROBE_TIMEOUT_S);
	if (failed < 0) {
		fprintf(stderr, "cannot try the hosts: %s\n", aras_strerror(failed));
		free(p);
		return 1;
	}
	/* a host's name and libvirt's message may hold any byte: escaped as in the log */
	for (size_t i = 0; i < d->nhosts; i++) {
		char line[sizeof(p[i].msg) + 2048], esc[sizeof(line) * ARAS_ESCAPE_GROWTH];

		snprintf(line, sizeof(line), "host %s (index %u, %s): %s%s", d->hosts[i].name,
			 d->hosts[i].index, d->hosts[i].uri, p[i].ok ? "" : "UNREACHABLE: ", p[i].msg);
		aras_escape(esc, sizeof(esc), line);
		printf("%s\n", esc);
	}
	if (d->agent.address) {
		/* standalone: arasd itself will answer there; no master to reach */
		master = 0;
		printf("agent %s: standalone (access and trap sinks: %s)\n", d->agent.address,
		       d->agent.config);
		printf("%zu of %zu host%s reachable, standalone agent\n", d->nhosts - (size_t)failed,
		       d->nhosts, d->nhosts == 1 ? "" : "s");
	} else {
		master = aras_snmp_probe_master(d->agent.agentx_socket, used, sizeof(used), msg, sizeof(msg));
		printf("agentx %s: %s%s\n", used, master < 0 ? "UNREACHABLE: " : "", msg);
		printf("%zu of %zu host%s reachable, AgentX master %s\n", d->nhosts - (size_t)failed,
		       d->nhosts, d->nhosts == 1 ? "" : "s", master < 0 ? "unreachable" : "reachable");
	}
	free(p);
	return failed || master < 0;
}
