/*
 * cpuset.c - see cpuset.h.
 */
#include "cpuset.h"

#include <ctype.h>
#include <stdlib.h>

/* One decimal number at *p (moved past it): 0, or -1. */
static int number(const char **p, unsigned long *out)
{
	char *end;

	if (!isdigit((unsigned char)**p))
		return -1;
	*out = strtoul(*p, &end, 10);
	*p = end;
	return 0;
}

int aras_cpuset_has(const char *set, unsigned cpu)
{
	const char *p = set;
	int in = 0, any = 0;

	if (!set || !*set)
		return 1;
	/* the items in order: an exclusion removes what the ranges before it added (libvirt's rule) */
	while (*p) {
		unsigned long lo, hi;
		int neg = 0;

		while (isspace((unsigned char)*p))
			p++;
		if (*p == '^') {
			neg = 1;
			p++;
		}
		if (number(&p, &lo) < 0)
			return -1;
		hi = lo;
		if (*p == '-') {
			p++;
			if (neg || number(&p, &hi) < 0 || hi < lo)
				return -1;
		}
		while (isspace((unsigned char)*p))
			p++;
		if (*p == ',')
			p++;
		else if (*p)
			return -1;
		if (!neg)
			any = 1;
		if (cpu >= lo && cpu <= hi)
			in = !neg;
	}
	return any ? in : -1;
}
