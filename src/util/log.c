/*
 * log.c - stderr or syslog sink with suppression of repeats: the same text
 * seen again within 60 s is counted, not printed; the count is reported with
 * the next different message.  Every message is one line: its control
 * characters are escaped (aras_escape, C style), so a VM name holding a line
 * feed or a terminal escape cannot forge or hide a line.  The collector's
 * and the migrations' worker threads log too: the repeat state and the
 * write are under one mutex.
 */
#include "log.h"

#include "core/aras.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define LOG_MSG_MAX 512

/*
 * The process's one log sink (log_* are called from everywhere, without a
 * context).  to_stderr and max_level are set once, before any thread starts.
 */
static struct {
	int to_stderr;
	int max_level;
	pthread_mutex_t lock; /* last, last_time, repeats and the write */
	char last[LOG_MSG_MAX * ARAS_ESCAPE_GROWTH];
	time_t last_time;
	unsigned repeats;
} lg = { 1, LOG_INFO, PTHREAD_MUTEX_INITIALIZER, "", 0, 0 };

void aras_log_init(const char *ident, int to_stderr, int max_level)
{
	lg.to_stderr = to_stderr;
	lg.max_level = max_level;
	if (!to_stderr)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

static void emit(int level, const char *msg)
{
	if (lg.to_stderr) {
		fprintf(stderr, "arasd: %s\n", msg);
		fflush(stderr);
	} else {
		syslog(level, "%s", msg);
	}
}

void aras_vlog(int level, const char *fmt, va_list ap)
{
	char msg[LOG_MSG_MAX], line[sizeof(lg.last)];
	time_t now = time(NULL);
	size_t n;

	if (level > lg.max_level)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	aras_escape(line, sizeof(line), msg);
	pthread_mutex_lock(&lg.lock);
	if (strcmp(line, lg.last) == 0 && now - lg.last_time < 60) {
		lg.repeats++;
		goto out;
	}
	if (lg.repeats) {
		char rep[96];

		snprintf(rep, sizeof(rep), "last message repeated %u times", lg.repeats);
		emit(level, rep);
		lg.repeats = 0;
	}
	snprintf(lg.last, sizeof(lg.last), "%s", line);
	lg.last_time = now;
	emit(level, line);
out:
	pthread_mutex_unlock(&lg.lock);
}

void aras_log_tok(int level, const char *tok, const char *fmt, ...)
{
	char msg[LOG_MSG_MAX];
	va_list ap;

	if (level > lg.max_level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (tok && tok[0])
		aras_log(level, "%s: %s", tok, msg);
	else
		aras_log(level, "%s", msg);
}

void aras_log(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	aras_vlog(level, fmt, ap);
	va_end(ap);
}
