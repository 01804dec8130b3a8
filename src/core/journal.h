/*
 * journal.h - the order journal: every operator order a SET acknowledges
 * (arasVmCommand, arasVmMigrateTo, arasActionState) is written here, and
 * fsynced, before the SET's response can leave, and its outcome is written
 * when it has one.  An order that has no outcome when arasd starts (kill
 * -9, a power cut, a takeover, between the SET and the job's end) is
 * resolved by the engine then (aras_engine_recover): a migration still in
 * flight is adopted, an order whose effect is there is done, one whose job
 * the last run started ("start") is never run again, any other runs if
 * still valid; else each is recorded failed with the reason.  So an acknowledged order is as durable as an
 * acknowledged threshold (state.h).  Pure C11 + POSIX I/O.
 *
 * File (stateFile + ".orders"), append-only, one item per line, '#' comments:
 *   next ID                        the next order's id (written at compaction)
 *   order ID command UUID NAME     arasVmCommand NAME (start .. restore)
 *   order ID migrate UUID HOST     arasVmMigrateTo HOST (a host index)
 *   order ID decide UUID ACTION approved|rejected
 *                                  arasActionState of ACTION (VM UUID's proposal)
 *   start ID                       the order's job is handed to libvirt now
 *                                  (fsynced first): at restart an order
 *                                  so marked is never run again
 *   done ID succeeded|failed|cancelled [TEXT]
 *                                  the order's outcome (cancelled: its SET failed
 *                                  after the line was written; it was never
 *                                  acknowledged)
 * A last line without its line feed is a write torn by a crash: it is
 * ignored (an order line is fsynced before the SET is acknowledged, so a
 * torn one never was).  Any other bad line is an error naming the file,
 * the line and the reason.  When the file has ARAS_JOURNAL_COMPACT_LINES
 * lines or more, four times as many as orders waiting for their outcome,
 * it is rewritten with its "next" line and those orders (an order that
 * runs for hours does not let it grow); arasd rewrites it so at start too.
 */
#ifndef ARAS_JOURNAL_H
#define ARAS_JOURNAL_H

#include "engine.h"

#include <stddef.h>
#include <stdint.h>

#define ARAS_JOURNAL_LINE_MAX 1024u
#define ARAS_JOURNAL_MAX_BYTES (64u << 20)
#define ARAS_JOURNAL_MAX_ENTRIES 100000u
#define ARAS_JOURNAL_COMPACT_LINES 256u

/* One order of the file and its outcome. */
struct aras_jentry {
	struct aras_order o; /* o.id: the order's id */
	int outcome;         /* enum aras_jout (engine.h) */
	char text[ARAS_ERRTEXT_MAX];
};

/* What a journal file holds, in file order. */
struct aras_jlog {
	struct aras_jentry *v;
	size_t n, cap;
	uint32_t next_id; /* larger than every id seen, and than the "next" line */
	int torn;         /* the last line had no line feed and was ignored */
};

void aras_jlog_free(struct aras_jlog *l);
/*
 * Parse a journal (name for messages) into *out (empty on entry).  0, or
 * -ARAS_E_INVAL with "name:line: reason" in why (out is then emptied),
 * -ARAS_E_NOMEM.
 */
int aras_journal_parse(const char *buf, size_t len, const char *name, struct aras_jlog *out, char *why,
		       size_t whylen);
/* Read and parse a file: a missing one is empty.  -ARAS_E_IO (not a regular file, too large, unreadable). */
int aras_journal_load(const char *path, struct aras_jlog *out, char *why, size_t whylen);
/* One line (with its line feed) for an order / an outcome; 0 or -ARAS_E_RANGE (no such order kind). */
int aras_journal_format_order(const struct aras_order *o, char *buf, size_t len);
void aras_journal_format_done(uint32_t id, int outcome, const char *text, char *buf, size_t len);

/* The journal arasd appends to. */
struct aras_journal {
	char *path; /* NULL: no journal (every call succeeds and writes nothing) */
	int fd;
	uint32_t next_id;
	size_t lines;               /* lines since the last compaction */
	struct aras_order *pending; /* orders written with no outcome yet (o.id) */
	size_t npending, cap;
};

void aras_journal_init(struct aras_journal *j);
/*
 * Start on path: rewrite it (atomically) with the "next" line and keep's
 * orders that have no outcome (path's own content, read before with
 * aras_journal_load), and open it for appending; a file that does not
 * exist, with nothing to keep, is made with the first order.  0 or
 * -ARAS_E_IO with why: the journal is then made again at the next write
 * (an order fails until it can be).
 */
int aras_journal_open(struct aras_journal *j, const char *path, const struct aras_jlog *keep, char *why,
		      size_t whylen);
void aras_journal_close(struct aras_journal *j);
/*
 * Write os's orders, giving each its id (o->id), and fsync: 0, or -ARAS_E_IO
 * with why (the file is cut back to where it was; the ids are 0 again).
 */
int aras_journal_orders(struct aras_journal *j, struct aras_orders *os, char *why, size_t whylen);
/*
 * The job of order id starts now ("start ID", fsynced; once per order; an
 * id that has no order pending writes nothing).  0 or -ARAS_E_IO.
 */
int aras_journal_started(struct aras_journal *j, uint32_t id, char *why, size_t whylen);
/* An order's outcome (text: why, or what it did), fsynced; compacts when long.  0 or -ARAS_E_IO. */
int aras_journal_done(struct aras_journal *j, uint32_t id, int outcome, const char *text, char *why,
		      size_t whylen);
/* Orders written and still without outcome. */
size_t aras_journal_pending(const struct aras_journal *j);

#endif
