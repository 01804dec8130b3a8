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

#include <arpa/inet.h>
#include <errno.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

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
	free(cfg->agent.agentx_socket);
	cfg->agent.agentx_socket = strdup(line);
}

/* agentAddress ADDR[,ADDR...]: net-snmp transport specifiers, as snmpd's agentaddress */
static void address_line(const char *token, char *line)
{
	(void)token;
	if (!line || !*line || strpbrk(line, " \t")) {
		config_perror("agentAddress needs one net-snmp address list, e.g. udp:127.0.0.1:1161 (no "
			      "spaces)");
		return;
	}
	free(cfg->agent.address);
	cfg->agent.address = strdup(line);
}

static void agentconf_line(const char *token, char *line)
{
	(void)token;
	if (!line || !*line || line[0] != '/') {
		config_perror("agentConfig needs an absolute path");
		return;
	}
	free(cfg->agent.config);
	cfg->agent.config = strdup(line);
}

/* metricsAddress [ADDR:]PORT: ADDR numeric (IPv6 in brackets), 127.0.0.1 when absent */
static void metrics_address_line(const char *token, char *line)
{
	char addr[INET6_ADDRSTRLEN + 2] = "127.0.0.1", *port = line, *colon;
	unsigned char tmp[sizeof(struct in6_addr)];
	unsigned long p;

	(void)token;
	if (line && (colon = strrchr(line, ':')) != NULL) {
		size_t alen = (size_t)(colon - line);

		port = colon + 1;
		if (alen >= 2 && line[0] == '[' && line[alen - 1] == ']') {
			line++;
			alen -= 2;
		}
		if (alen == 0 || alen >= sizeof(addr)) {
			config_perror(
				"metricsAddress: ADDR must be a numeric IPv4 or IPv6 address ([::1]:9116)");
			return;
		}
		memcpy(addr, line, alen);
		addr[alen] = '\0';
	}
	if (!port || parse_uint(port, 65535, &p) < 0 || p == 0) {
		config_perror("metricsAddress needs [ADDR:]PORT with a port from 1 to 65535, e.g. 9116 or "
			      "127.0.0.1:9116");
		return;
	}
	if (inet_pton(AF_INET, addr, tmp) != 1 && inet_pton(AF_INET6, addr, tmp) != 1) {
		config_perror("metricsAddress: ADDR must be a numeric IPv4 or IPv6 address ([::1]:9116)");
		return;
	}
	free(cfg->metrics.addr);
	cfg->metrics.addr = strdup(addr);
	cfg->metrics.port = (unsigned)p;
}

static void metrics_tls_line(const char *token, char *line)
{
	char **dst =
		strcasecmp(token, "metricsTlsCert") == 0 ? &cfg->metrics.tls_cert : &cfg->metrics.tls_key;

	if (!line || line[0] != '/' || strpbrk(line, " \t")) {
		config_perror("metricsTlsCert / metricsTlsKey need an absolute path (PEM)");
		return;
	}
	free(*dst);
	*dst = strdup(line);
}

/* metricsUser NAME BCRYPT-HASH, as exporter-toolkit's basic_auth_users */
static void metrics_user_line(const char *token, char *line)
{
	char name[256], hash[256];
	const char *rest = line;
	struct aras_metrics_user *u;

	(void)token;
	if (!line || !(rest = copy_nword_const(rest, name, sizeof(name))) ||
	    copy_nword_const(rest, hash, sizeof(hash)) != NULL || !name[0] || !hash[0]) {
		config_perror("metricsUser needs a name and a bcrypt hash: metricsUser NAME $2y$10$...");
		return;
	}
	if (strchr(name, ':')) {
		config_perror("metricsUser: a basic-auth user name cannot hold ':'");
		return;
	}
	if (strlen(hash) != 60 || hash[0] != '$' || hash[1] != '2' || !strchr("aby", hash[2]) ||
	    hash[3] != '$') {
		config_perror(
			"metricsUser: the password must be a bcrypt hash ($2a$, $2b$ or $2y$, 60 characters; "
			"htpasswd -nbB or python3 -c 'import bcrypt...')");
		return;
	}
	for (size_t i = 0; i < cfg->metrics.nusers; i++)
		if (strcmp(cfg->metrics.users[i].name, name) == 0) {
			config_perror("metricsUser: this user has a line already");
			return;
		}
	u = realloc(cfg->metrics.users, (cfg->metrics.nusers + 1) * sizeof(*u));
	if (!u) {
		config_perror("out of memory");
		return;
	}
	cfg->metrics.users = u;
	u[cfg->metrics.nusers].name = strdup(name);
	u[cfg->metrics.nusers].hash = strdup(hash);
	cfg->metrics.nusers++;
}

static void ping_line(const char *token, char *line)
{
	unsigned long v;

	(void)token;
	if (!line || parse_uint(line, 3600, &v) < 0 || v == 0) {
		config_perror("agentxPingInterval must be a number of seconds from 1 to 3600");
		return;
	}
	cfg->agent.ping_interval = (unsigned)v;
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
	if (strcasecmp(token, "vmMibLocalHost") == 0)
		return &cfg->vmmib_local;
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
	static const char *const strings[] = { "stateFile", "mailServer",   "mailFrom",      "mailTo",
					       "mailUser",  "mailPassword", "script",        "scriptUser",
					       "diskPool",  "historyFile",  "vmMibLocalHost" };
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
	register_config_handler("arasd", "agentAddress", address_line, NULL, "udp:ADDR:PORT[,...]");
	register_config_handler("arasd", "agentConfig", agentconf_line, NULL, "PATH");
	register_config_handler("arasd", "metricsAddress", metrics_address_line, NULL, "[ADDR:]PORT");
	register_config_handler("arasd", "metricsTlsCert", metrics_tls_line, NULL, "PATH");
	register_config_handler("arasd", "metricsTlsKey", metrics_tls_line, NULL, "PATH");
	register_config_handler("arasd", "metricsUser", metrics_user_line, NULL, "NAME BCRYPT-HASH");
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
	if (problems == 0 && d->vmmib_local) {
		size_t i = 0;

		while (i < d->nhosts && strcmp(d->hosts[i].name, d->vmmib_local) != 0)
			i++;
		if (i == d->nhosts) {
			log_err("%s: vmMibLocalHost %s is not a host line's name", file, d->vmmib_local);
			problems++;
		}
	}
	if (problems == 0 && d->agent.address && !d->agent.config) {
		log_err("%s: agentAddress without agentConfig: the standalone agent would answer nobody "
			"(agentConfig names its rocommunity/rouser lines)",
			file);
		problems++;
	}
	if (problems == 0 && d->agent.config && access(d->agent.config, R_OK) != 0) {
		log_err("%s: agentConfig %s: %s", file, d->agent.config, strerror(errno));
		problems++;
	}
	if (problems == 0 && !d->metrics.tls_cert != !d->metrics.tls_key) {
		log_err("%s: metricsTlsCert and metricsTlsKey go together (HTTPS needs both)", file);
		problems++;
	}
	if (problems == 0 && !d->metrics.port && (d->metrics.tls_cert || d->metrics.nusers)) {
		log_err("%s: metricsTlsCert, metricsTlsKey or metricsUser without metricsAddress: no "
			"endpoint",
			file);
		problems++;
	}
	for (int k = 0; problems == 0 && k < 2; k++) {
		const char *path = k ? d->metrics.tls_key : d->metrics.tls_cert;

		if (path && access(path, R_OK) != 0) {
			log_err("%s: %s %s: %s", file, k ? "metricsTlsKey" : "metricsTlsCert", path,
				strerror(errno));
			problems++;
		}
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
	free(d->metrics.addr);
	free(d->metrics.tls_cert);
	free(d->metrics.tls_key);
	for (size_t i = 0; i < d->metrics.nusers; i++) {
		free(d->metrics.users[i].name);
		free(d->metrics.users[i].hash);
	}
	free(d->metrics.users);
	memset(&d->metrics, 0, sizeof(d->metrics));
	free(d->agent.agentx_socket);
	free(d->agent.address);
	free(d->agent.config);
	d->agent.agentx_socket = d->agent.address = d->agent.config = NULL;
	free(d->state_file);
	free(d->mail.url);
	free(d->mail.from);
	free(d->mail.to);
	free(d->mail.user);
	free(d->mail.password);
	free(d->script);
	free(d->script_user);
	d->script_user = NULL;
	free(d->vmmib_local);
	d->vmmib_local = NULL;
	free(d->disk_pool);
	free(d->history_file);
	d->disk_pool = d->history_file = NULL;
	d->state_file = d->mail.url = d->mail.from = d->mail.to = NULL;
	d->mail.user = d->mail.password = d->script = NULL;
}
