/*
 * confline.c - see confline.h.
 */
#include "confline.h"

#include "aras.h"

#include <errno.h>
#include <stdlib.h>

int aras_conf_word(char **p, char **word, size_t max)
{
	char *s = *p, *e;

	while (*s == ' ' || *s == '\t')
		s++;
	*word = NULL;
	if (!*s) {
		*p = s;
		return 0;
	}
	e = s;
	while (*e && *e != ' ' && *e != '\t')
		e++;
	if ((size_t)(e - s) > max)
		return -1;
	if (*e)
		*e++ = '\0';
	*word = s;
	*p = e;
	return 0;
}

int aras_conf_host_line(char *line, struct aras_host_line *h, const char **why)
{
	char *p = line, *idx, *extra, *end;
	unsigned long v;

	h->name = h->uri = NULL;
	h->index = 0;
	if (aras_conf_word(&p, &h->name, ARAS_HOST_NAME_MAX_LEN) < 0) {
		*why = "host name longer than 255 characters";
		return -1;
	}
	if (aras_conf_word(&p, &h->uri, ARAS_HOST_URI_MAX_LEN) < 0) {
		*why = "host URI longer than 1023 characters";
		return -1;
	}
	if (!h->name || !h->uri) {
		*why = "host needs a name and a libvirt URI: host NAME URI [INDEX]";
		return -1;
	}
	if (aras_conf_word(&p, &idx, 31) < 0 ||
	    (idx && aras_conf_word(&p, &extra, (size_t)-1) == 0 && extra)) {
		*why = "host takes at most three arguments: NAME URI [INDEX]";
		return -1;
	}
	if (idx) {
		errno = 0;
		v = strtoul(idx, &end, 10);
		if (!(idx[0] >= '0' && idx[0] <= '9') || *end || errno || v == 0 || v > ARAS_HOST_INDEX_MAX) {
			*why = "host index must be a number from 1 to 65535";
			return -1;
		}
		h->index = (unsigned)v;
	}
	return 0;
}
