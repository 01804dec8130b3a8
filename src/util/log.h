/*
 * log.h - arasd's one logging entry point.  Messages go to stderr (-f) or
 * syslog; net-snmp's own log is routed here by the SNMP adapter.  Repeated
 * identical messages are rate limited so a dead master or host does not
 * flood syslog.  Each message is one line, its control characters escaped
 * (aras_escape in aras.h).  Any thread may log (the collector's workers do);
 * aras_log_init() runs before the first thread starts.
 * Not part of src/core (it reads the clock and talks to syslog): the core
 * logs through its effects table (core/engine.h, fx.log), which arasd
 * wires here (src/daemon/effects.c).
 */
#ifndef ARAS_LOG_H
#define ARAS_LOG_H

#include <stdarg.h>
#include <syslog.h>

/* to_stderr != 0: write to stderr, else openlog(ident) and syslog. */
void aras_log_init(const char *ident, int to_stderr, int max_level);
void aras_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void aras_vlog(int level, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/*
 * The same with the subsystem's token first ("snmp: ..."), as the lines of
 * one subsystem are told apart in a shared log (lldpd's log_warn(token),
 * chrony's LOGS_*): tok NULL or "" prints none.
 */
void aras_log_tok(int level, const char *tok, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * log_err() and friends: every file that logs names its subsystem first,
 *   static const char log_token[] = "snmp";
 * (tokens: engine, daemon, loop, snmp, net-snmp, virt, mail, script, model).
 */
#define log_err(...) aras_log_tok(LOG_ERR, log_token, __VA_ARGS__)
#define log_warn(...) aras_log_tok(LOG_WARNING, log_token, __VA_ARGS__)
#define log_info(...) aras_log_tok(LOG_INFO, log_token, __VA_ARGS__)
#define log_debug(...) aras_log_tok(LOG_DEBUG, log_token, __VA_ARGS__)

#endif
