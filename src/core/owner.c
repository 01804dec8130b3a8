/*
 * owner.c - see owner.h.
 */
#include "owner.h"

#include "aras.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define OWNER_MAGIC "arasd-owner"
#define OWNER_FILE_MAX 1024

/* "key=" at the start of w: its value, or NULL. */
static const char *value_of(const char *w, const char *key)
{
	size_t n = strlen(key);

	return strncmp(w, key, n) == 0 && w[n] == '=' ? w + n + 1 : NULL;
}

static int parse_u64(const char *s, uint64_t max, uint64_t *v)
{
	char *end;
	unsigned long long x;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || *end || x > max)
		return -1;
	*v = x;
	return 0;
}

static int parse_node(const char *s, char *out, int dash_ok)
{
	if (dash_ok && strcmp(s, "-") == 0) {
		out[0] = '\0';
		return 0;
	}
	/* a host name: no leading '-' (which says "none" here) or '.' */
	if (s[0] == '-' || s[0] == '.' || !aras_word_ok(s, ARAS_OWNER_NODE_MAX))
		return -1;
	snprintf(out, ARAS_OWNER_NODE_MAX + 1, "%s", s);
	return 0;
}

int aras_owner_parse(const char *buf, size_t len, const char *name, struct aras_owner *o, char *why,
		     size_t whylen)
{
	char line[OWNER_FILE_MAX], *save = NULL, *w;
	unsigned seen = 0;
	size_t n = 0;

	memset(o, 0, sizeof(*o));
	while (n < len && buf[n] != '\n')
		n++;
	if (n >= sizeof(line) || memchr(buf, '\0', n)) {
		snprintf(why, whylen, "%.200s: not an owner line (too long, or binary)", name);
		return -ARAS_E_INVAL;
	}
	memcpy(line, buf, n);
	line[n] = '\0';
	w = strtok_r(line, " \t\r", &save);
	if (!w || strcmp(w, OWNER_MAGIC) != 0 || !(w = strtok_r(NULL, " \t\r", &save)) ||
	    strcmp(w, "1") != 0) {
		snprintf(why, whylen, "%.200s: expected '" OWNER_MAGIC " 1 ...'", name);
		return -ARAS_E_INVAL;
	}
	while ((w = strtok_r(NULL, " \t\r", &save))) {
		static const char *const keys[] = { "node",    "from",     "takeovers",
						    "lastgap", "gaptotal", "stopped" };
		const char *v = NULL;
		uint64_t x = 0;
		size_t k;
		int bad = 0;

		for (k = 0; k < ARAS_ARRAY_SIZE(keys) && !(v = value_of(w, keys[k])); k++)
			;
		if (!v) {
			snprintf(why, whylen, "%.200s: unknown field '%.40s'", name, w);
			return -ARAS_E_INVAL;
		}
		if (seen & (1u << k)) {
			snprintf(why, whylen, "%.200s: %s= twice", name, keys[k]);
			return -ARAS_E_INVAL;
		}
		seen |= 1u << k;
		switch (k) {
		case 0: bad = parse_node(v, o->node, 0); break;
		case 1: bad = parse_node(v, o->from, 1); break;
		case 2:
			bad = parse_u64(v, UINT32_MAX, &x);
			o->takeovers = (uint32_t)x;
			break;
		case 3: bad = parse_u64(v, UINT64_MAX, &o->last_gap_ms); break;
		case 4: bad = parse_u64(v, UINT64_MAX, &o->gap_total_ms); break;
		default:
			bad = parse_u64(v, 1, &x);
			o->stopped = (int)x;
			break;
		}
		if (bad) {
			snprintf(why, whylen, "%.200s: bad value in '%.80s'", name, w);
			return -ARAS_E_INVAL;
		}
	}
	if (!(seen & 1)) {
		snprintf(why, whylen, "%.200s: no node=", name);
		return -ARAS_E_INVAL;
	}
	return 0;
}

int aras_owner_format(const struct aras_owner *o, char *buf, size_t len)
{
	int n = snprintf(buf, len,
			 OWNER_MAGIC " 1 node=%s takeovers=%" PRIu32 " from=%s lastgap=%" PRIu64
				     " gaptotal=%" PRIu64 " stopped=%d\n",
			 o->node, o->takeovers, o->from[0] ? o->from : "-", o->last_gap_ms, o->gap_total_ms,
			 o->stopped ? 1 : 0);

	return n < 0 || (size_t)n >= len ? -ARAS_E_RANGE : 0;
}

int aras_owner_load(const char *path, struct aras_owner *o, uint64_t *mtime_ms, char *why, size_t whylen)
{
	char buf[OWNER_FILE_MAX];
	struct stat sb;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0 || fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		snprintf(why, whylen, "%.200s: %s", path, fd < 0 ? strerror(errno) : "not a regular file");
		if (fd >= 0)
			close(fd);
		return -ARAS_E_IO;
	}
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n < 0) {
		snprintf(why, whylen, "%.200s: %s", path, strerror(errno));
		return -ARAS_E_IO;
	}
	*mtime_ms = (uint64_t)sb.st_mtim.tv_sec * 1000u + (uint64_t)sb.st_mtim.tv_nsec / 1000000u;
	return aras_owner_parse(buf, (size_t)n, path, o, why, whylen) < 0 ? -ARAS_E_INVAL : 1;
}

int aras_owner_store(const char *path, const struct aras_owner *o, char *why, size_t whylen)
{
	char tmp[4096], line[OWNER_FILE_MAX];
	size_t len;
	int fd, ok;

	if (aras_owner_format(o, line, sizeof(line)) < 0) {
		snprintf(why, whylen, "owner line too long");
		return -ARAS_E_RANGE;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(why, whylen, "%.200s: %s", tmp, strerror(errno));
		return -ARAS_E_IO;
	}
	len = strlen(line);
	ok = write(fd, line, len) == (ssize_t)len;
	ok = close(fd) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		snprintf(why, whylen, "%.200s: %s", path, strerror(errno));
		unlink(tmp);
		return -ARAS_E_IO;
	}
	return 0;
}

int aras_owner_start(const struct aras_owner *prev, const char *node, struct aras_owner *next)
{
	int takeover = prev && prev->node[0] && strcmp(prev->node, node) != 0;

	memset(next, 0, sizeof(*next));
	if (prev)
		*next = *prev;
	/* whole arrays: what follows a name's NUL is zero, as a parsed owner's */
	memset(next->node, 0, sizeof(next->node));
	snprintf(next->node, sizeof(next->node), "%.*s", ARAS_OWNER_NODE_MAX, node);
	next->stopped = 0;
	if (takeover) {
		memset(next->from, 0, sizeof(next->from));
		snprintf(next->from, sizeof(next->from), "%s", prev->node);
		next->takeovers++;
	}
	return takeover;
}

void aras_owner_gap(struct aras_owner *o, uint64_t alive_ms, uint64_t now_ms)
{
	o->last_gap_ms = now_ms > alive_ms ? now_ms - alive_ms : 0;
	o->gap_total_ms += o->last_gap_ms;
}
