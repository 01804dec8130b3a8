/*
 * config.c - arasd.conf through net-snmp's read_config machinery.
 *
 * net-snmp's handlers take no user argument, so the context being filled
 * is kept in one static pointer for the duration of aras_config_read().
 * Unknown tokens are reported by net-snmp as warnings; arasd counts every
 * error or warning logged while reading as a problem, so -n fails on them.
 */
#include "config.h"

#include "agent.h"
#include "core/log.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

static struct arasd *cfg;

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	return (s[0] >= '0' && s[0] <= '9' && *end == '\0' && !errno && *out <= max) ? 0 : -1;
}

static void host_line(const char *token, char *line)
{
	char name[256], uri[1024], idx[32], extra[8];
	unsigned long index = 0;
	struct aras_host_conf *h;
	int n;

	(void)token;
	name[0] = uri[0] = idx[0] = '\0';
	n = sscanf(line, "%255s %1023s %31s %7s", name, uri, idx, extra);
	if (n < 2) {
		config_perror("host needs a name and a libvirt URI: host NAME URI [INDEX]");
		return;
	}
	if (n > 3) {
		config_perror("host takes at most three arguments: NAME URI [INDEX]");
		return;
	}
	if (n == 3 && (parse_uint(idx, 65535, &index) < 0 || index == 0)) {
		config_perror("host index must be a number from 1 to 65535");
		return;
	}
	if (n == 2) {
		for (size_t i = 0; i < cfg->nhosts; i++)
			if (cfg->hosts[i].index > index)
				index = cfg->hosts[i].index;
		index++;
	}
	for (size_t i = 0; i < cfg->nhosts; i++) {
		if (cfg->hosts[i].index == index) {
			config_perror("host index already used by another host line");
			return;
		}
		if (strcmp(cfg->hosts[i].name, name) == 0) {
			config_perror("host name already used by another host line");
			return;
		}
	}
	h = realloc(cfg->hosts, (cfg->nhosts + 1) * sizeof(*h));
	if (!h) {
		config_perror("out of memory");
		return;
	}
	cfg->hosts = h;
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
	cfg->state.settings.v[id] = v;
}

/* Tokens whose value is one string, stored in the context. */
static char **string_slot(const char *token)
{
	if (strcasecmp(token, "stateFile") == 0) return &cfg->state_file;
	if (strcasecmp(token, "mailServer") == 0) return &cfg->mail.url;
	if (strcasecmp(token, "mailFrom") == 0) return &cfg->mail.from;
	if (strcasecmp(token, "mailTo") == 0) return &cfg->mail.to;
	if (strcasecmp(token, "mailUser") == 0) return &cfg->mail.user;
	if (strcasecmp(token, "mailPassword") == 0) return &cfg->mail.password;
	if (strcasecmp(token, "script") == 0) return &cfg->script;
	if (strcasecmp(token, "scriptUser") == 0) return &cfg->script_user;
	if (strcasecmp(token, "diskPool") == 0) return &cfg->disk_pool;
	if (strcasecmp(token, "historyFile") == 0) return &cfg->history_file;
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
	char name[256], uri[1024];

	(void)token;
	if (!line || sscanf(line, "%255s %1023s", name, uri) != 2) {
		config_perror("migrationUri needs a host name and a URI (unix:///path/%s.sock or tcp://127.0.0.1:PORT)");
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
		cfg->ctl_opts.disk_grow = 0;
	else if (line && strcasecmp(line, "grow") == 0)
		cfg->ctl_opts.disk_grow = 1;
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
	cfg->ctl_opts.disk_step_mib = v;
}

static void register_tokens(void)
{
	static const char *const strings[] = { "stateFile", "mailServer", "mailFrom", "mailTo",
					       "mailUser", "mailPassword", "script", "scriptUser",
					       "diskPool", "historyFile" };
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
	register_tokens();
	before = aras_snmp_log_problems();
	read_config_with_type(file, "arasd");
	problems = (int)(aras_snmp_log_problems() - before);
	cfg = NULL;
	if (problems == 0 && aras_settings_check_consistent(&d->state.settings, why, sizeof(why)) < 0) {
		log_err("%s: %s", file, why);
		problems++;
	}
	if (problems == 0 && (d->state.settings.v[ARAS_S_ACTIONS] & ARAS_ACT_EMAIL) &&
	    (!d->mail.url || !d->mail.from || !d->mail.to)) {
		log_err("%s: actions include email but mailServer, mailFrom or mailTo is missing", file);
		problems++;
	}
	if (problems == 0 && (d->state.settings.v[ARAS_S_ACTIONS] & ARAS_ACT_SCRIPT) && !d->script) {
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
