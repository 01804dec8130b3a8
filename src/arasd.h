/*
 * arasd.h - the daemon's context: what the configuration file says, the
 * engine (state, model, actions: core/engine.h), the adapters the
 * engine's effects reach (daemon/effects.c), and the counters the status
 * scalars show (counters.h).  Plain C: the SNMP adapter, effects.c and
 * main.c share it, none of them puts library types here; the other
 * modules get only their own state (mail, scripts, the collector, the
 * history file, daemon/drive.c).
 */
#ifndef ARASD_H
#define ARASD_H

#include "core/engine.h"
#include "core/journal.h"
#include "core/owner.h"
#include "core/settings.h"
#include "counters.h"

#include <stdint.h>

#define ARASD_VERSION "0.1.0"

struct aras_host_conf {
	unsigned index;
	char *name;
	char *uri;
	char *mig_uri; /* migrationUri template ("%s" = VM name), or NULL */
};

struct aras_mailer;
struct aras_scripts;
struct aras_collector;

struct aras_mail_settings {
	char *url, *from, *to, *user, *password;
	int starttls; /* 0 off, 1 try, 2 required */
	unsigned timeout_s;
};

/*
 * How arasd serves ARAS-MIB: as an AgentX subagent of the host's snmpd (the
 * default), or, with agentAddress, as a standalone SNMP agent on its own
 * port (no AgentX hop: the path for large clusters, docs/nms.md), its
 * access control and trap sinks from agentConfig (snmpd.conf syntax).
 */
struct aras_agent_conf {
	char *agentx_socket;    /* agentxSocket; NULL: net-snmp's default */
	unsigned ping_interval; /* agentxPingInterval, seconds */
	char *address;          /* agentAddress; NULL: AgentX subagent */
	char *config;           /* agentConfig: the standalone agent's snmpd.conf-style file */
};

/*
 * The /metrics endpoint (metricsAddress...; daemon/http.c): ARAS-MIB in the
 * Prometheus text format, as snmp_exporter's module arasd prints it
 * (snmp/prom.h).  Off while port is 0.
 */
struct aras_metrics_user {
	char *name;
	char *hash; /* bcrypt ($2a$, $2b$, $2y$) */
};

struct aras_metrics_conf {
	char *addr;    /* numeric IPv4 or IPv6 address; NULL: 127.0.0.1 */
	unsigned port; /* metricsAddress's port; 0: no endpoint */
	char *tls_cert, *tls_key;
	struct aras_metrics_user *users; /* metricsUser lines: basic auth when any */
	size_t nusers;
};

struct aras_http;

struct arasd {
	char *state_file;            /* persisted SETs (stateFile) */
	struct aras_journal journal; /* acknowledged orders (stateFile.orders, core/journal.h) */
	struct aras_agent_conf agent;
	struct aras_metrics_conf metrics;
	struct aras_http *http;
	struct aras_host_conf *hosts;
	size_t nhosts;
	struct aras_engine *eng; /* state, model, controller, actions, event log, backoff (core/engine.h) */
	char *disk_pool;         /* diskPool: where new disks are created */
	int migration_unsafe;    /* migrationUnsafe yes: pass VIR_MIGRATE_UNSAFE */
	char *history_file;      /* historyFile: per-poll usage for arasd-replay (daemon/history.h) */
	struct aras_collector *collector;
	struct aras_mail_settings mail;
	struct aras_mailer *mailer;
	char *script;      /* alert script (script PATH) */
	char *script_user; /* scriptUser: run it as this user (arasd as root) */
	unsigned script_timeout;
	struct aras_scripts *scripts;
	struct aras_counters counters; /* changed only through counters.h */
	char *vmmib_local;             /* vmMibLocalHost: the host VM-MIB's default context serves */
	/* the controller's ownership (daemon/takeover.h): stateFile.owner */
	char owner_path[4096];
	struct aras_owner owner;
	int takeover_pending;      /* this start takes over: the gap waits for the first polls */
	int first_polls_done;      /* the engine resolved the first polls (takeover_adopted is known) */
	uint64_t prev_alive_ms;    /* the previous owner's last sign of life (wall ms) */
	uint64_t touched_ms;       /* the last sign of life given (monotonic) */
	unsigned takeover_adopted; /* migrations in flight adopted at this start */
};

#endif
