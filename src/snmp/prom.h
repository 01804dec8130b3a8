/*
 * prom.h - ARAS-MIB in the Prometheus text format (version 0.0.4), exactly
 * as Debian's prometheus-snmp-exporter prints module `arasd` of
 * conf/prometheus/snmp.yml (metric names, HELP, TYPE, labels, state sets,
 * info metrics, text as a label), without its snmp_scrape_* series.
 * Values come from mib.c's encoders (mib.h), the series from the table
 * tools/prom-table.py generates from snmp.yml (prom_table.h).  Loop
 * thread only, once the MIB is registered.
 */
#ifndef ARAS_SNMP_PROM_H
#define ARAS_SNMP_PROM_H

#include <stddef.h>

/* A growing text buffer: buf holds len bytes (not NUL-terminated). */
struct aras_prom_out {
	char *buf;
	size_t len, cap;
	int oom; /* an append failed: the text is incomplete */
};

/* Append every series to *out: 0, or -1 when out of memory (out->oom). */
int aras_prom_render(struct aras_prom_out *out);
void aras_prom_out_free(struct aras_prom_out *out); /* NULL ok; leaves it empty */

/*
 * Append s[0..len) to *out as a label value of the text format: \ " and
 * line feed escaped, bytes that are not UTF-8 replaced by U+FFFD (the
 * format is UTF-8; Prometheus rejects a scrape with invalid bytes).
 */
void aras_prom_label_value(struct aras_prom_out *out, const char *s, size_t len);

#endif
