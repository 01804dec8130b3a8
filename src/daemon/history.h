/*
 * history.h - historyFile: one line per VM per poll, for arasd-replay:
 *   T_UNIX HOST_INDEX UUID CPU_PCT VCPUS MEM_CUR_KIB MEM_USAGE_PCT IO_PCT
 * Appended with stdio buffering, flushed once per poll; opened on first
 * use, reopened by name after a rotation or a SIGHUP.  Loop thread only.
 */
#ifndef ARAS_HISTORY_H
#define ARAS_HISTORY_H

#include "core/model.h"

#include <stdio.h>
#include <time.h>

struct aras_history {
	char *file; /* the configured name (not owned); NULL: no history, or given up after an error */
	FILE *f;    /* NULL until the first poll, and after a reopen */
};

/* Record into file (NULL: nothing recorded). */
void aras_history_init(struct aras_history *h, char *file);
/* Host host's VMs with valid rates in m, as polled at now. */
void aras_history_record(struct aras_history *h, const struct aras_model *m, unsigned host, time_t now);
/* SIGHUP: close the file; the next poll opens it again by name.  Logged. */
void aras_history_reopen(struct aras_history *h);
void aras_history_close(struct aras_history *h);

#endif
