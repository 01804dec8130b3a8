/*
 * mail.h - alert mail over SMTP(S) with libcurl's multi interface, driven
 * by arasd's select() loop: queueing a mail returns at once, transfers move
 * on only inside aras_mailer_process().  This header does not include curl.
 */
#ifndef ARAS_NOTIFY_MAIL_H
#define ARAS_NOTIFY_MAIL_H

#include "core/alert.h"

#include <sys/select.h>
#include <sys/time.h>

struct aras_mail_conf {
	const char *url;      /* smtp://host[:port] or smtps://host[:port] */
	const char *from;     /* "ops@example.org" or "arasd <ops@example.org>" */
	const char *to;       /* comma-separated list, same forms as from */
	int starttls;         /* 0 off, 1 if offered (CURLUSESSL_TRY), 2 required (CURLUSESSL_ALL) */
	const char *user;     /* NULL or "": no SMTP AUTH */
	const char *password;
	unsigned timeout_s;   /* whole transfer, connect included; 0: 60 s */
};

/* At most this many mails queued or in transfer; more are refused. */
#define ARAS_MAIL_QUEUE_MAX 256
/* At most this many SMTP transfers at once; the rest wait in the queue. */
#define ARAS_MAIL_ACTIVE_MAX 8

struct aras_mailer;

/*
 * Check conf (scheme smtp/smtps, from and at least one recipient, starttls
 * 0..2) and copy it: the caller may free conf afterwards.  0, -ARAS_E_INVAL
 * (logged), -ARAS_E_NOMEM, or -ARAS_E_IO when libcurl cannot start.
 */
int aras_mailer_new(struct aras_mailer **out, const struct aras_mail_conf *conf);

/*
 * Render one mail for a and queue it; returns at once, nothing is sent
 * before aras_mailer_process().  With ARAS_MAIL_QUEUE_MAX mails pending
 * the mail is dropped: -ARAS_E_BUSY, logged, and reported as failed by the
 * next aras_mailer_process() (the caller must not count it again).
 * -ARAS_E_NOMEM likewise.
 */
int aras_mailer_send(struct aras_mailer *m, const struct aras_alert *a);

/*
 * Before select(): add curl's sockets to r/w/e, raise *maxfd (select()'s
 * first argument, highest fd + 1) and lower *tv to curl's next timeout.
 * Does nothing to tv when no mail is pending.
 */
void aras_mailer_prepare(struct aras_mailer *m, int *maxfd, fd_set *r, fd_set *w, fd_set *e,
			 struct timeval *tv);

/*
 * After select() (whatever it returned): move transfers on, start queued
 * ones, and add the mails finished since the last call to *sent and
 * *failed.  Each failure is logged once with curl's error text.
 */
void aras_mailer_process(struct aras_mailer *m, unsigned *sent, unsigned *failed);

/* Mails queued or in transfer. */
unsigned aras_mailer_pending(const struct aras_mailer *m);

/* Abort what is pending (not counted) and free m.  NULL is fine. */
void aras_mailer_free(struct aras_mailer *m);

#endif
