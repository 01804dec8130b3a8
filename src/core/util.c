/*
 * util.c - error strings, UUID text forms and the escape of names for
 * lines, shared by every module.
 */
#include "aras.h"
#include "alert.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

const char *aras_strerror(int err)
{
	switch (err < 0 ? -err : err) {
	case ARAS_OK: return "success";
	case ARAS_E_NOMEM: return "out of memory";
	case ARAS_E_INVAL: return "invalid value";
	case ARAS_E_RANGE: return "value out of range";
	case ARAS_E_INCONSIST: return "inconsistent with other settings";
	case ARAS_E_RDONLY: return "not writable";
	case ARAS_E_NOENT: return "no such object";
	case ARAS_E_IO: return "I/O error";
	case ARAS_E_VIRT: return "libvirt error";
	case ARAS_E_BUSY: return "busy";
	case ARAS_E_LENGTH: return "wrong length";
	}
	return "unknown error";
}

int aras_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
	       c == '_' || c == '-';
}

int aras_word_ok(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n < 1 || n > max)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!aras_word_char(s[i]))
			return 0;
	return 1;
}

void aras_uuid_format(const uint8_t uuid[ARAS_UUID_LEN], char *buf)
{
	snprintf(buf, ARAS_UUID_STRLEN,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", uuid[0], uuid[1],
		 uuid[2], uuid[3], uuid[4], uuid[5], uuid[6], uuid[7], uuid[8], uuid[9], uuid[10], uuid[11],
		 uuid[12], uuid[13], uuid[14], uuid[15]);
}

size_t aras_escape(char *buf, size_t size, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;

	if (size == 0)
		return 0;
	for (; *p; p++) {
		char e[9];
		int k, c1 = p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f;

		if (*p == '\n' || *p == '\r' || *p == '\t' || *p == '\\')
			k = snprintf(e, sizeof(e), "\\%c",
				     *p == '\n' ? 'n' :
				     *p == '\r' ? 'r' :
				     *p == '\t' ? 't' :
						  '\\');
		else if (*p < 0x20 || *p == 0x7f)
			k = snprintf(e, sizeof(e), "\\x%02x", *p);
		else if (c1)
			k = snprintf(e, sizeof(e), "\\xc2\\x%02x", p[1]);
		else
			k = snprintf(e, sizeof(e), "%c", *p);
		if (o + (size_t)k >= size)
			break;
		memcpy(buf + o, e, (size_t)k);
		o += (size_t)k;
		p += c1;
	}
	buf[o] = '\0';
	return o;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int aras_uuid_parse(const char *s, uint8_t uuid[ARAS_UUID_LEN])
{
	size_t n = 0;

	while (*s && n < ARAS_UUID_LEN) {
		int hi, lo;

		if (*s == '-') {
			s++;
			continue;
		}
		hi = hexval((unsigned char)s[0]);
		lo = hi < 0 ? -1 : hexval((unsigned char)s[1]);
		if (lo < 0)
			return -ARAS_E_INVAL;
		uuid[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	return (n == ARAS_UUID_LEN && *s == '\0') ? 0 : -ARAS_E_INVAL;
}

const char *aras_resource_name(int resource)
{
	switch (resource) {
	case ARAS_RES_CPU: return "cpu";
	case ARAS_RES_MEM: return "memory";
	case ARAS_RES_DISK: return "disk";
	}
	return "none";
}

const char *aras_event_name(int type)
{
	static const char *const names[] = { "",
					     "breach",
					     "clear",
					     "actionProposed",
					     "actionStarted",
					     "actionDone",
					     "actionFailed",
					     "hostDown",
					     "hostUp",
					     "info",
					     "stateChange",
					     "crashed",
					     "ruleViolation",
					     "ruleRepaired" };

	return (type >= 1 && type <= ARAS_EV_RULE_REPAIRED) ? names[type] : "unknown";
}

void aras_alert_init(struct aras_alert *a, int type, time_t when, const uint8_t *uuid, const char *vm_name,
		     unsigned host_index, const char *host_name, int resource)
{
	memset(a, 0, sizeof(*a));
	a->type = type;
	a->when = when;
	if (uuid) {
		memcpy(a->uuid, uuid, ARAS_UUID_LEN);
		a->has_vm = 1;
	}
	snprintf(a->vm_name, sizeof(a->vm_name), "%s", vm_name ? vm_name : "");
	a->host_index = host_index;
	snprintf(a->host_name, sizeof(a->host_name), "%s", host_name ? host_name : "");
	a->resource = resource ? resource : ARAS_RES_NONE;
}

size_t aras_uuid_lower(const void *base, size_t n, size_t size, size_t off, const uint8_t uuid[ARAS_UUID_LEN])
{
	const unsigned char *b = base;
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (memcmp(b + mid * size + off, uuid, ARAS_UUID_LEN) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
