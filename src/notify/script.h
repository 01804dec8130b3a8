/*
 * script.h - runs the operator's alert script: one configured program,
 * started with fork/execve (never a shell), at most ARAS_SCRIPTS_MAX at
 * once, each killed with its process group past its timeout.  Nothing here
 * blocks: the loop (loop.h, aras_scripts_attach) reaps children with
 * aras_scripts_reap().
 */
#ifndef ARAS_NOTIFY_SCRIPT_H
#define ARAS_NOTIFY_SCRIPT_H

#include "core/alert.h"

#include <sys/time.h>

/* At most this many scripts running; more are refused. */
#define ARAS_SCRIPTS_MAX 16

struct aras_scripts;

/*
 * Remember path (copied) and the timeout (0: 60 s).  path must be
 * absolute; a path that is not executable now is only warned about (it
 * may be installed later: each run that cannot exec it fails and is
 * logged).  0, -ARAS_E_INVAL (logged) or -ARAS_E_NOMEM.
 */
int aras_scripts_new(struct aras_scripts **out, const char *path, unsigned timeout_s);

/*
 * Run the scripts as user (NULL: as arasd itself): its uid, primary gid
 * and supplementary groups, looked up now, with HOME, USER and LOGNAME
 * set to that user's.  Takes effect only when arasd
 * runs as root; otherwise (and the user is not arasd's own) a warning is
 * logged and scripts run as arasd's user.  0, or -ARAS_E_INVAL (logged)
 * for an unknown user.
 */
int aras_scripts_set_user(struct aras_scripts *s, const char *user);

/*
 * on != 0: the scripts' stdout and stderr go to our stderr instead of
 * /dev/null (for debugging a script).  Off by default.
 */
void aras_scripts_set_debug(struct aras_scripts *s, int on);

/*
 * Start path in its own process group with
 *   argv = { path, event, vm_name, uuid, host_name, resource, value, threshold }
 *   env  = ours minus every ARAS_* variable, plus ARAS_EVENT, ARAS_VM_NAME,
 *          ARAS_VM_UUID, ARAS_HOST, ARAS_HOST_INDEX, ARAS_RESOURCE,
 *          ARAS_VALUE, ARAS_THRESHOLD, ARAS_TEXT, ARAS_TIME
 * (names verbatim; uuid 8-4-4-4-12; vm_name and uuid empty when the alert
 * is not about a VM; value/threshold in percent; time UTC ISO 8601),
 * stdin from /dev/null, every other fd but 0-2 closed.  Returns at once.
 * 0; -ARAS_E_BUSY with ARAS_SCRIPTS_MAX running; -ARAS_E_IO if fork
 * failed; -ARAS_E_NOMEM; each logged.  A run refused here is the caller's
 * to count as failed: aras_scripts_reap() reports only started children
 * (a program that cannot be executed is one: its exec fails in the child).
 */
int aras_scripts_run(struct aras_scripts *s, const struct aras_alert *a);

/*
 * Reap finished children (waitpid WNOHANG) and SIGKILL the process group
 * of those past their deadline.  Adds exit status 0 to *ok; anything else
 * (non-zero status, signal, timeout, exec failure) to *failed, each logged
 * once.
 */
void aras_scripts_reap(struct aras_scripts *s, unsigned *ok, unsigned *failed);

/* Lower *tv to the time until the next deadline (10 ms while a killed
 * child is not reaped yet).  Nothing to do when no script runs.  A child
 * that ends before its deadline is reaped on the loop's next turn. */
void aras_scripts_prepare(struct aras_scripts *s, struct timeval *tv);

struct aras_loop;
struct aras_counters;

/*
 * Register s with the loop (loop.h) as a source: the next deadline lowers
 * the loop's wait, children are reaped every turn and the failed ones
 * counted in counters (aras_counters_script; runs are counted by whoever
 * calls aras_scripts_run).  0 or -ARAS_E_NOMEM.  The loop is freed
 * before s.
 */
int aras_scripts_attach(struct aras_scripts *s, struct aras_loop *l, struct aras_counters *counters);

/* Scripts still running (not yet reaped). */
unsigned aras_scripts_running(const struct aras_scripts *s);

/* SIGKILL the process groups still running, reap them, free s.  NULL ok. */
void aras_scripts_free(struct aras_scripts *s);

#endif
