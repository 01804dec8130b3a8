/*
 * log.h - arasd's one logging entry point.  Messages go to stderr (-f) or
 * syslog; net-snmp's own log is routed here by the SNMP adapter.  Repeated
 * identical messages are rate limited so a dead master or host does not
 * flood syslog.
 */
#ifndef ARAS_LOG_H
#define ARAS_LOG_H

#include <stdarg.h>
#include <syslog.h>

/* to_stderr != 0: write to stderr, else openlog(ident) and syslog. */
void aras_log_init(const char *ident, int to_stderr, int max_level);
void aras_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void aras_vlog(int level, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

#define log_err(...) aras_log(LOG_ERR, __VA_ARGS__)
#define log_warn(...) aras_log(LOG_WARNING, __VA_ARGS__)
#define log_info(...) aras_log(LOG_INFO, __VA_ARGS__)
#define log_debug(...) aras_log(LOG_DEBUG, __VA_ARGS__)

#endif
