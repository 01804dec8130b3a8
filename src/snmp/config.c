/*
 * config.c - arasd.conf through net-snmp's read_config machinery.
 *
 * net-snmp's handlers take no user argument, so the context being filled
 * is kept in one static pointer for the duration of aras_config_read().
 * Unknown tokens are reported by net-snmp as warnings; arasd counts every
 * error or warning logged while reading as a problem, so -n fails on them.
 */
#include "config.h"

#include "arasd.h"

#include "agent.h"
#include "core/confline.h"
#include "util/log.h"

#include <errno.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

/* Log lines of this file say where they come from (util/log.h). */
static const char log_token[] = "config";

/* File scope, because net-snmp's read_config handlers get only the token and the line. */
static struct arasd *cfg;

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	return (s[0] >= '0' && s[0] <= '9' && *end == '\0' && !errno && *out <= max) ? 0 : -1;
}

/*
 * What the host lines read so far use, so a duplicate is found in constant
 * time (65535 host lines must not take seconds): a bitmap of indexes and an
 * open-addressing set of names (pointers into cfg->hosts).
 */
static struct {
	uint8_t used[(ARAS_HOST_INDEX_MAX + 1) / 8];
	const char **names; /* hash set, size a power of two, NULL = free */
	size_t names_cap;
	size_t hosts_cap; /* capacity of cfg->hosts */
	unsigned max_index;
} hl;

static void hl_reset(void)
{
	free(hl.names);
	memset(&hl, 0, sizeof(hl));
}

static size_t name_hash(const char *s)
{
	size_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* Slot of name in the set (its own or the free one where it would go). */
static const char **name_slot(const char *name)
{
	size_t i = name_hash(name) & (hl.names_cap - 1);

	while (hl.names[i] && strcmp(hl.names[i], name) != 0)
		i = (i + 1) & (hl.names_cap - 1);
	return &hl.names[i];
}

/* Make room for one more name (load at most 1/2); 0 or -1. */
static int names_grow(size_t n)
{
	const char **old = hl.names;
	size_t oldcap = hl.names_cap, cap = oldcap ? oldcap : 64;

	while (cap < 2 * (n + 1))
		cap *= 2;
	if (cap == oldcap)
		return 0;
	hl.names = calloc(cap, sizeof(*hl.names));
	if (!hl.names) {
		hl.names = old;
		return -1;
	}
	hl.names_cap = cap;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i])
			*name_slot(old[i]) = old[i];
	free(old);
	return 0;
}

static void host_line(const char *token, char *line)
{
	struct aras_host_line hline;
	const char *why;
	unsigned long index;
	struct aras_host_conf *h;
	char *name, *uri;

	(void)token;
	if (!line || aras_conf_host_line(line, &hline, &why) < 0) {
		config_perror(line ? why : "host needs a name and a libvirt URI: host NAME URI [INDEX]");
		return;
	}
	name = hline.name;
	uri = hline.uri;
	index = hline.index;
	if (!index) {
		if (hl.max_index >= ARAS_HOST_INDEX_MAX) {
			config_perror("no host index left after 65535: give this host an index");
			return;
		}
		index = hl.max_index + 1;
	}
	if (hl.used[index / 8] & (1u << (index % 8))) {
		config_perror("host index already used by another host line");
		return;
	}
	if (names_grow(cfg->nhosts) < 0) {
		config_perror("out of memory");
		return;
	}
	if (*name_slot(name)) {
		config_perror("host name already used by another host line");
		return;
	}
	if (cfg->nhosts == hl.hosts_cap) {
		size_t cap = hl.hosts_cap ? hl.hosts_cap * 2 : 16;

		h = realloc(cfg->hosts, cap * sizeof(*h));
		if (!h) {
			config_perror("out of memory");
			return;
		}
		cfg->hosts = h;
		hl.hosts_cap = cap;
		/* the set points at the names, not at the array: nothing moves */
	}
	h = &cfg->hosts[cfg->nhosts];
	h->index = (unsigned)index;
	h->mig_uri = NULL;
	h->name = strdup(name);
	h->uri = strdup(uri);
	if (!h->name || !h->uri) {
		free(h->name);
		free(h->uri);
		config_perror("out of memory");
		return;
	}
	*name_slot(h->name) = h->name;
	hl.used[index / 8] |= (uint8_t)(1u << (index % 8));
	if (index > hl.max_index)
		hl.max_index = (unsigned)index;
	cfg->nhosts++;
}

static void socket_line(const char *token, char *line)
{
	(void)token;
	if (!line || !*line) {
		config_perror("agentxSocket needs a path");
		return;
	}
	free(cfg->agentx_socket);
	cfg->agentx_socket = strdup(line);
}

static void ping_line(const char *token, char *line)
{
	unsigned long v;

	(void)token;
	if (!line || parse_uint(line, 3600, &v) < 0 || v == 0) {
		config_perror("agentxPingInterval must be a number of seconds from 1 to 3600");
		return;
	}
	cfg->ping_interval = (unsigned)v;
}

static void setting_line(const char *token, char *line)
{
	int id = aras_settings_by_token(token);
	char why[256];
	uint32_t v;

	if (id < 0 || aras_settings_parse(id, line, &v, why, sizeof(why)) < 0) {
		config_perror(id < 0 ? "unknown setting" : why);
		return;
	}
	aras_engine_conf_state(cfg->eng)->settings.v[id] = v;
}

/* Tokens whose value is one string, stored in the context. */
static char **string_slot(const char *token)
{
	if (strcasecmp(token, "stateFile") == 0)
		return &cfg->state_file;
	if (strcasecmp(token, "mailServer") == 0)
		return &cfg->mail.url;
	if (strcasecmp(token, "mailFrom") == 0)
		return &cfg->mail.from;
	if (strcasecmp(token, "mailTo") == 0)
		return &cfg->mail.to;
	if (strcasecmp(token, "mailUser") == 0)
		return &cfg->mail.user;
	if (strcasecmp(token, "mailPassword") == 0)
		return &cfg->mail.password;
	if (strcasecmp(token, "script") == 0)
		return &cfg->script;
	if (strcasecmp(token, "scriptUser") == 0)
		return &cfg->script_user;
	if (strcasecmp(token, "diskPool") == 0)
		return &cfg->disk_pool;
	if (strcasecmp(token, "historyFile") == 0)
		return &cfg->history_file;
	return NULL;
}

static void string_line(const char *token, char *line)
{
	char **slot = string_slot(token);
	char why[128];

	if (!line || !*line) {
		snprintf(why, sizeof(why), "%s needs a value", token);
		config_perror(why);
		return;
	}
	if (strcasecmp(token, "script") == 0 && line[0] != '/') {
		config_perror("script must be an absolute path (it is run without a shell)");
		return;
	}
	if (strcasecmp(token, "scriptUser") == 0 && !getpwnam(line)) {
		config_perror("scriptUser names no user of this system");
		return;
	}
	if (strcasecmp(token, "mailServer") == 0 && strncmp(line, "smtp://", 7) != 0 &&
	    strncmp(line, "smtps://", 8) != 0) {
		config_perror("mailServer must be an smtp:// or smtps:// URL");
		return;
	}
	free(*slot);
	*slot = strdup(line);
}

static void seconds_line(const char *token, char *line)
{
	unsigned long v;

	if (!line || parse_uint(line, 3600, &v) < 0 || v == 0) {
		char why[128];

		snprintf(why, sizeof(why), "%s must be a number of seconds from 1 to 3600", token);
		config_perror(why);
		return;
	}
	if (strcasecmp(token, "mailTimeout") == 0)
		cfg->mail.timeout_s = (unsigned)v;
	else
		cfg->script_timeout = (unsigned)v;
}

static void starttls_line(const char *token, char *line)
{
	static const char *const names[] = { "off", "try", "required" };

	(void)token;
	for (int i = 0; i < 3; i++) {
		if (line && strcasecmp(line, names[i]) == 0) {
			cfg->mail.starttls = i;
			return;
		}
	}
	config_perror("mailStartTls must be off, try or required");
}

/* migrationUri HOSTNAME URI: data channel for migrations into that host. */
static void miguri_line(const char *token, char *line)
{
	char *name, *uri, *extra, *p = line;

	(void)token;
	if (!line || aras_conf_word(&p, &name, ARAS_HOST_NAME_MAX_LEN) < 0 ||
	    aras_conf_word(&p, &uri, ARAS_HOST_URI_MAX_LEN) < 0) {
		config_perror("migrationUri: host name longer than 255 or URI longer than 1023 characters");
		return;
	}
	if (!name || !uri || (aras_conf_word(&p, &extra, SIZE_MAX) == 0 && extra)) {
		config_perror("migrationUri needs a host name and a URI (unix:///path/%s.sock or "
			      "tcp://127.0.0.1:PORT)");
		return;
	}
	for (size_t i = 0; i < cfg->nhosts; i++) {
		if (strcmp(cfg->hosts[i].name, name) == 0) {
			free(cfg->hosts[i].mig_uri);
			cfg->hosts[i].mig_uri = strdup(uri);
			return;
		}
	}
	config_perror("migrationUri names a host not defined above");
}

/* migrationUnsafe yes|no: storage is shared in a way libvirt cannot verify. */
static void unsafe_line(const char *token, char *line)
{
	(void)token;
	if (line && (strcasecmp(line, "yes") == 0 || strcasecmp(line, "no") == 0))
		cfg->migration_unsafe = strcasecmp(line, "yes") == 0;
	else
		config_perror("migrationUnsafe must be yes or no");
}

static void diskmode_line(const char *token, char *line)
{
	(void)token;
	if (line && strcasecmp(line, "add") == 0)
		aras_engine_conf_ctl(cfg->eng)->disk_grow = 0;
	else if (line && strcasecmp(line, "grow") == 0)
		aras_engine_conf_ctl(cfg->eng)->disk_grow = 1;
	else
		config_perror("diskMode must be add or grow");
}

static void diskstep_line(const char *token, char *line)
{
	unsigned long v;

	(void)token;
	if (!line || parse_uint(line, 16777216, &v) < 0 || v == 0) {
		config_perror("diskStep must be a size in MiB from 1 to 16777216");
		return;
	}
	aras_engine_conf_ctl(cfg->eng)->disk_step_mib = v;
}

static void register_tokens(void)
{
	static const char *const strings[] = { "stateFile", "mailServer",   "mailFrom", "mailTo",
					       "mailUser",  "mailPassword", "script",   "scriptUser",
					       "diskPool",  "historyFile" };
	char help[160];

	for (size_t i = 0; i < ARAS_ARRAY_SIZE(strings); i++)
		register_config_handler("arasd", strings[i], string_line, NULL, "VALUE");
	register_config_handler("arasd", "mailTimeout", seconds_line, NULL, "SECONDS");
	register_config_handler("arasd", "scriptTimeout", seconds_line, NULL, "SECONDS");
	register_config_handler("arasd", "mailStartTls", starttls_line, NULL, "off|try|required");
	register_config_handler("arasd", "migrationUri", miguri_line, NULL, "HOSTNAME URI");
	register_config_handler("arasd", "diskMode", diskmode_line, NULL, "add|grow");
	register_config_handler("arasd", "migrationUnsafe", unsafe_line, NULL, "yes|no");
	register_config_handler("arasd", "diskStep", diskstep_line, NULL, "MiB");

	register_config_handler("arasd", "host", host_line, NULL, "NAME LIBVIRT-URI [INDEX]");
	register_config_handler("arasd", "agentxSocket", socket_line, NULL, "PATH");
	register_config_handler("arasd", "agentxPingInterval", ping_line, NULL, "SECONDS");
	for (int i = 0; i < ARAS_S_COUNT; i++) {
		snprintf(help, sizeof(help), "%s", aras_setting_defs[i].unit);
		register_config_handler("arasd", aras_setting_defs[i].token, setting_line, NULL, help);
	}
}

int aras_config_read(struct arasd *d, const char *file)
{
	unsigned before;
	char why[256];
	FILE *f;
	int problems;

	f = fopen(file, "r");
	if (!f) {
		log_err("%s: cannot open: %s", file, strerror(errno));
		return 1;
	}
	fclose(f);
	cfg = d;
	hl_reset();
	hl.hosts_cap = d->nhosts;
	register_tokens();
	before = aras_snmp_log_problems();
	read_config_with_type(file, "arasd");
	problems = (int)(aras_snmp_log_problems() - before);
	cfg = NULL;
	hl_reset();
	if (problems == 0 &&
	    aras_settings_check_consistent(aras_engine_settings(d->eng), why, sizeof(why)) < 0) {
		log_err("%s: %s", file, why);
		problems++;
	}
	if (problems == 0 && (aras_engine_settings(d->eng)->v[ARAS_S_ACTIONS] & ARAS_ACT_EMAIL) &&
	    (!d->mail.url || !d->mail.from || !d->mail.to)) {
		log_err("%s: actions include email but mailServer, mailFrom or mailTo is missing", file);
		problems++;
	}
	if (problems == 0 && (aras_engine_settings(d->eng)->v[ARAS_S_ACTIONS] & ARAS_ACT_SCRIPT) &&
	    !d->script) {
		log_err("%s: actions include script but no script line", file);
		problems++;
	}
	if (problems == 0 && d->nhosts == 0) {
		log_err("%s: no host line: nothing to monitor", file);
		problems++;
	}
	return problems;
}

void aras_config_free(struct arasd *d)
{
	for (size_t i = 0; i < d->nhosts; i++) {
		free(d->hosts[i].name);
		free(d->hosts[i].uri);
		free(d->hosts[i].mig_uri);
	}
	free(d->hosts);
	d->hosts = NULL;
	d->nhosts = 0;
	free(d->agentx_socket);
	d->agentx_socket = NULL;
	free(d->state_file);
	free(d->mail.url);
	free(d->mail.from);
	free(d->mail.to);
	free(d->mail.user);
	free(d->mail.password);
	free(d->script);
	free(d->script_user);
	d->script_user = NULL;
	free(d->disk_pool);
	free(d->history_file);
	d->disk_pool = d->history_file = NULL;
	d->state_file = d->mail.url = d->mail.from = d->mail.to = NULL;
	d->mail.user = d->mail.password = d->script = NULL;
}
