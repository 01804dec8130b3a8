/*
 * confline.h - the config file's own line parsers that net-snmp's
 * read_config does not do for arasd: words split off a line with a length
 * limit (a word longer than its limit is an error, never cut short) and
 * the host line "NAME URI [INDEX]".  Pure C11; fuzzed (tests/fuzz).
 */
#ifndef ARAS_CONFLINE_H
#define ARAS_CONFLINE_H

#include <stddef.h>

#define ARAS_HOST_NAME_MAX_LEN 255
#define ARAS_HOST_URI_MAX_LEN 1023

/*
 * Split the next blank-separated word off *p (NUL-terminated in place):
 * 0 with *word the word or NULL at the end, -1 when it is longer than max.
 */
int aras_conf_word(char **p, char **word, size_t max);

struct aras_host_line {
	char *name, *uri; /* point into the line */
	unsigned index;   /* 1..65535, or 0 when not given */
};

/* Parse "NAME URI [INDEX]" in place: 0, or -1 with the reason in *why. */
int aras_conf_host_line(char *line, struct aras_host_line *h, const char **why);

#endif
