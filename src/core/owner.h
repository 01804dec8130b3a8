/*
 * owner.h - which management node's arasd controls the cluster, in a file
 * beside the state file (stateFile + ".owner"), on the storage every
 * management node sees (docs/ha.md).  The arasd that starts reads it to
 * know whether it takes over from another node's, and how long no arasd
 * controlled: the file's modification time is the owner's last sign of
 * life (arasd touches it every second), "stopped" says it stopped
 * cleanly.  One line:
 *   arasd-owner 1 node=NODE takeovers=N from=NODE|- lastgap=MS gaptotal=MS stopped=0|1
 * takeovers, from, lastgap and gaptotal are the cluster's takeover
 * history (arasTakeovers ...), carried from owner to owner.  Pure C11 +
 * POSIX I/O; the caller gives every time.
 */
#ifndef ARAS_OWNER_H
#define ARAS_OWNER_H

#include <stddef.h>
#include <stdint.h>

/*
 * A node name: 1 .. 64 letters, digits, '.', '_', '-', not starting with
 * '-' or '.' (uname's nodename, as Pacemaker names nodes).
 */
#define ARAS_OWNER_NODE_MAX 64

struct aras_owner {
	char node[ARAS_OWNER_NODE_MAX + 1]; /* the owner's management node */
	char from[ARAS_OWNER_NODE_MAX + 1]; /* the node the last takeover came from ("" none) */
	uint32_t takeovers;                 /* takeovers from another node's arasd, ever */
	uint64_t last_gap_ms, gap_total_ms; /* the last one's gap, all of them */
	int stopped;                        /* the owner stopped cleanly */
};

/* Parse the file's text (name for messages): 0, or -ARAS_E_INVAL with "name: reason" in why. */
int aras_owner_parse(const char *buf, size_t len, const char *name, struct aras_owner *o, char *why,
		     size_t whylen);
/* The line (with its line feed): 0, or -ARAS_E_RANGE when buf is too short. */
int aras_owner_format(const struct aras_owner *o, char *buf, size_t len);
/*
 * Read path: 1 and *o, *mtime_ms (its last sign of life); 0 when there is
 * none; -ARAS_E_IO / -ARAS_E_INVAL with why.
 */
int aras_owner_load(const char *path, struct aras_owner *o, uint64_t *mtime_ms, char *why, size_t whylen);
/* Write path atomically (a temporary file renamed; no fsync: it is rewritten every start and stop). */
int aras_owner_store(const char *path, const struct aras_owner *o, char *why, size_t whylen);
/*
 * This start on node, after prev (NULL: no file): *next is what to write
 * now (node, not stopped, the history carried).  1 when it takes over
 * from another node's arasd, 0 otherwise (first start, a restart on the
 * same node).
 */
int aras_owner_start(const struct aras_owner *prev, const char *node, struct aras_owner *next);
/*
 * The takeover is complete (the new owner polled every host): its gap, from
 * the previous owner's last sign of life (alive_ms) to now_ms (wall ms),
 * counted in o.
 */
void aras_owner_gap(struct aras_owner *o, uint64_t alive_ms, uint64_t now_ms);

#endif
