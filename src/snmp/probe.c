/*
 * probe.c - owns the AgentX reachability check of `arasd -t`.  A Unix
 * socket (the usual master) is tried with connect() itself so the report
 * can name the errno (missing, refused, permission: the agentXPerms of
 * the master); any other transport spec goes through net-snmp's own
 * client transports, exactly as the subagent would open it.
 */
#include "snmp/probe.h"

#include "core/aras.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

static int probe_unix(const char *path, char *msg, size_t msglen)
{
	struct sockaddr_un sa;
	int fd, rc = -ARAS_E_IO;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(msg, msglen, "socket path too long");
		return rc;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(msg, msglen, "socket: %s", strerror(errno));
		return rc;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
		snprintf(msg, msglen, "OK: connected");
		rc = 0;
	} else if (errno == ENOENT) {
		snprintf(msg, msglen, "cannot connect: %s (is snmpd running with \"master agentx\"?)",
			 strerror(errno));
	} else if (errno == EACCES) {
		snprintf(msg, msglen, "cannot connect: %s (see agentXPerms in snmpd's configuration)",
			 strerror(errno));
	} else {
		snprintf(msg, msglen, "cannot connect: %s", strerror(errno));
	}
	close(fd);
	return rc;
}

int aras_snmp_probe_master(const char *spec, char *used, size_t usedlen, char *msg, size_t msglen)
{
	netsnmp_transport *t;

	if (!spec || !*spec)
		spec = NETSNMP_AGENTX_SOCKET;
	snprintf(used, usedlen, "%s", spec);
	if (spec[0] == '/')
		return probe_unix(spec, msg, msglen);
	if (strncmp(spec, "unix:", 5) == 0)
		return probe_unix(spec + 5, msg, msglen);
	netsnmp_tdomain_init();
	t = netsnmp_transport_open_client("agentx", spec);
	if (!t) {
		snprintf(msg, msglen, "cannot connect (net-snmp could not open the transport)");
		return -ARAS_E_IO;
	}
	netsnmp_transport_free(t);
	snprintf(msg, msglen, "OK: connected");
	return 0;
}
