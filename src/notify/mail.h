/*
 * mail.h - alert mail over SMTP(S) with libcurl, for arasd's
 * loop: queueing a mail returns at once; the SMTP dialogue runs in a mail
 * thread of the mailer's own (libcurl's SMTP can block even in its multi
 * interface, see mail.c) and results come back to the loop through a pipe
 * that aras_mailer_prepare() adds to the read set.  The loop-side
 * functions below must all be called from one thread.  This header does
 * not include curl.
 */
#ifndef ARAS_NOTIFY_MAIL_H
#define ARAS_NOTIFY_MAIL_H

#include "core/alert.h"

#include <sys/select.h>
#include <sys/time.h>

struct aras_mail_conf {
	const char *url;  /* smtp://host[:port] or smtps://host[:port] */
	const char *from; /* "ops@example.org" or "arasd <ops@example.org>" */
	const char *to;   /* comma-separated list, same forms as from */
	int starttls;     /* 0 off, 1 if offered (CURLUSESSL_TRY), 2 required (CURLUSESSL_ALL) */
	const char *user; /* NULL or "": no SMTP AUTH */
	const char *password;
	unsigned timeout_s; /* whole transfer, connect included; 0: 60 s */
};

/* At most this many mails queued or in transfer; more are refused. */
#define ARAS_MAIL_QUEUE_MAX 256
/* At most this many SMTP connections at once; the rest wait in the queue. */
#define ARAS_MAIL_ACTIVE_MAX 8

struct aras_mailer;

/*
 * Check conf (scheme smtp/smtps, from and at least one recipient, starttls
 * 0..2), copy it (the caller may free conf afterwards) and start the mail
 * thread, with every signal blocked.  0, -ARAS_E_INVAL (logged),
 * -ARAS_E_NOMEM, or -ARAS_E_IO when libcurl or the thread cannot start.
 */
int aras_mailer_new(struct aras_mailer **out, const struct aras_mail_conf *conf);

/*
 * Render one mail for a and hand it to the mail thread; returns at once.
 * Each mail has timeout_s for its whole SMTP dialogue, counted from when
 * its connection starts (and as long again for the reply to QUIT).  With
 * ARAS_MAIL_QUEUE_MAX mails pending the mail is dropped and logged:
 * -ARAS_E_BUSY (-ARAS_E_NOMEM, -ARAS_E_IO likewise).  A dropped mail is
 * the caller's to count as failed: aras_mailer_process() reports only the
 * mails send() accepted.
 */
int aras_mailer_send(struct aras_mailer *m, const struct aras_alert *a);

/*
 * Before the loop's poll(): while mails are pending, add the mail thread's
 * notification fd to r and raise *maxfd (the fd_set's bound,
 * highest fd + 1).  w, e and tv are left alone (kept for a loop that
 * drives libcurl's sockets itself): the fd wakes the loop.
 */
void aras_mailer_prepare(struct aras_mailer *m, int *maxfd, fd_set *r, fd_set *w, fd_set *e,
			 struct timeval *tv);

/*
 * After the loop's poll() (whatever it returned; cheap when nothing is ready):
 * add the mails finished since the last call to *sent and *failed.  Each
 * failure is logged once with curl's error text.  Never blocks.
 */
void aras_mailer_process(struct aras_mailer *m, unsigned *sent, unsigned *failed);

struct aras_loop;
struct aras_counters;

/*
 * Register m with the loop (loop.h) as a source: prepare and process
 * every turn, the mails finished counted in counters (aras_counters_mail).
 * 0 or -ARAS_E_NOMEM.  The loop is freed before m.
 */
int aras_mailer_attach(struct aras_mailer *m, struct aras_loop *l, struct aras_counters *counters);

/* Mails queued or in transfer. */
unsigned aras_mailer_pending(const struct aras_mailer *m);

/*
 * Stop the mail thread, abort what is pending (not counted) and free m.
 * NULL is fine.  Waits for the thread: if it is inside a reply wait that
 * libcurl does not let us cut short, up to about 2 x timeout_s.
 */
void aras_mailer_free(struct aras_mailer *m);

#endif
