/*
 * log.c - stderr or syslog sink with suppression of repeats: the same text
 * seen again within 60 s is counted, not printed; the count is reported with
 * the next different message.
 */
#include "log.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* The process's one log sink (log_* are called from everywhere, without a context). */
static struct {
	int to_stderr;
	int max_level;
	char last[512];
	time_t last_time;
	unsigned repeats;
} lg = { 1, LOG_INFO, "", 0, 0 };

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
	char msg[512];
	time_t now = time(NULL);
	size_t n;

	if (level > lg.max_level)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	if (strcmp(msg, lg.last) == 0 && now - lg.last_time < 60) {
		lg.repeats++;
		return;
	}
	if (lg.repeats) {
		char rep[96];

		snprintf(rep, sizeof(rep), "last message repeated %u times", lg.repeats);
		emit(level, rep);
		lg.repeats = 0;
	}
	snprintf(lg.last, sizeof(lg.last), "%s", msg);
	lg.last_time = now;
	emit(level, msg);
}

void aras_log_tok(int level, const char *tok, const char *fmt, ...)
{
	char msg[512];
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
