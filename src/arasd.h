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

struct arasd {
	char *state_file;            /* persisted SETs (stateFile) */
	struct aras_journal journal; /* acknowledged orders (stateFile.orders, core/journal.h) */
	char *agentx_socket;         /* NULL: net-snmp's default */
	unsigned ping_interval;      /* agentxPingInterval, seconds */
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
};

#endif
