/*
 * main.c - options, wiring and the loop.
 *
 * One thread runs net-snmp and the model; per-host libvirt workers run
 * beside it and hand their samples over a pipe (see virt/collect.h).
 */
#include "arasd.h"

#include "core/log.h"
#include "effects.h"
#include "notify/mail.h"
#include "notify/script.h"
#include "snmp/agent.h"
#include "snmp/config.h"
#include "snmp/mib.h"
#include "virt/collect.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_CONF "/etc/arasd/arasd.conf"
#define DEFAULT_STATE "/var/lib/arasd/state"

static int sig_pipe[2] = { -1, -1 };

static void on_signal(int sig)
{
	unsigned char c = (unsigned char)sig;
	int saved = errno;

	if (write(sig_pipe[1], &c, 1) < 0) {
		/* nothing useful to do in a signal handler */
	}
	errno = saved;
}

/* -S: the settings table as Markdown (README's "Settings" section is this output). */
static void print_settings(void)
{
	printf("| config token | MIB object (arasConfig) | default | range | unit | SNMP | meaning |\n");
	printf("|---|---|---|---|---|---|---|\n");
	for (int i = 0; i < ARAS_S_COUNT; i++) {
		const struct aras_setting_def *s = &aras_setting_defs[i];
		char def[64], lo[64], hi[64];

		aras_settings_format(i, s->def, def, sizeof(def));
		if (s->type == ARAS_ST_BITS) {
			snprintf(lo, sizeof(lo), "none");
			aras_settings_format(i, s->max, hi, sizeof(hi));
		} else {
			aras_settings_format(i, s->min, lo, sizeof(lo));
			aras_settings_format(i, s->max, hi, sizeof(hi));
		}
		printf("| `%s` | %s.%u | %s | %s%s%s | %s | %s | %s |\n", s->token, s->mib_name, s->subid, def, lo,
		       s->type == ARAS_ST_BITS ? " .. " : "..", hi, s->unit, s->snmp_writable ? "rw" : "ro", s->help);
	}
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: arasd [-f] [-n] [-d] [-c FILE] [-x SOCKET]\n"
		"  -f         stay in the foreground, log to stderr (default: daemon, syslog)\n"
		"  -n         check the configuration and exit (1 on any problem)\n"
		"  -d         debug logging\n"
		"  -c FILE    configuration file (default " DEFAULT_CONF ")\n"
		"  -x SOCKET  AgentX socket of the master agent (overrides agentxSocket)\n"
		"  -S         print the settings table (Markdown) and exit\n");
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * historyFile: one line per VM per poll, for arasd-replay:
 *   T_UNIX HOST_INDEX UUID CPU_PCT VCPUS MEM_CUR_KIB MEM_USAGE_PCT IO_PCT
 * Appended with stdio buffering; flushed once per poll.
 */
static void record_history(struct arasd *d, unsigned host)
{
	FILE *f = d->history;
	time_t now = time(NULL);
	char uuid[ARAS_UUID_STRLEN];

	if (!d->history_file)
		return;
	if (!f) {
		f = fopen(d->history_file, "a");
		if (!f) {
			log_err("historyFile %s: %s", d->history_file, strerror(errno));
			free(d->history_file);
			d->history_file = NULL;
			return;
		}
		d->history = f;
		fprintf(f, "# arasd history: T_UNIX HOST_INDEX UUID CPU_PCT VCPUS MEM_CUR_KIB MEM_USAGE_PCT IO_PCT\n");
	}
	for (size_t i = 0; i < d->eng.model.nvms; i++) {
		const struct aras_vm *vm = d->eng.model.vms[i];

		if (vm->host != host || !vm->rates_valid)
			continue;
		aras_uuid_format(vm->uuid, uuid);
		fprintf(f, "%lld %u %s %u %u %llu %u %u\n", (long long)now, host, uuid, vm->cpu_usage, vm->vcpus,
			(unsigned long long)vm->mem_cur_kib, vm->mem_usage, vm->io_usage);
	}
	fflush(f);
}

/*
 * SIGHUP: close the history file; the next poll opens it again by name
 * (logrotate renames it, then sends SIGHUP: the new lines go to a new file).
 */
static void reopen_files(struct arasd *d)
{
	if (d->history) {
		if (fclose(d->history) != 0)
			log_err("historyFile %s: %s", d->history_file, strerror(errno));
		d->history = NULL;
	}
	log_info("SIGHUP: history file %s will be reopened", d->history_file ? d->history_file : "(none)");
}

static void take_samples(struct arasd *d, struct aras_collector *col)
{
	struct aras_host_sample *s;

	/*
	 * One host per loop turn: SNMP requests waiting meanwhile are served
	 * between two hosts' samples (the pipe stays readable for the next).
	 */
	if ((s = aras_collector_next(col)) != NULL) {
		const struct aras_host *h = aras_model_host(&d->eng.model, s->host_index);

		aras_engine_sample(&d->eng, s, time(NULL));
		if (h && s->ok)
			record_history(d, h->index);
		d->counters.polls++;
		d->counters.last_poll_ms = (uint32_t)s->wall_ms;
		aras_host_sample_free(s);
	}
}

static int run(struct arasd *d)
{
	struct aras_collect_host *ch = calloc(d->nhosts ? d->nhosts : 1, sizeof(*ch));
	struct aras_collector *col = NULL;
	int stop = 0, rc = 1;
	uint64_t last_round = 0;
	uint32_t polls_seen = 0, state_seen = 0;

	if (!ch)
		return 1;
	for (size_t i = 0; i < d->nhosts; i++) {
		ch[i].index = d->hosts[i].index;
		ch[i].uri = d->hosts[i].uri;
	}
	if (aras_virt_global_init() < 0) {
		log_err("libvirt initialisation failed");
		goto out;
	}
	{
		/* The state file's directory (e.g. /var/lib/arasd) may not exist yet. */
		char dir[4096];
		char *slash;

		snprintf(dir, sizeof(dir), "%s", d->state_file);
		slash = strrchr(dir, '/');
		if (slash && slash != dir) {
			*slash = '\0';
			if (mkdir(dir, 0700) < 0 && errno != EEXIST)
				log_warn("cannot create %s: %s (SETs will fail to persist)", dir, strerror(errno));
		}
	}
	{
		struct aras_engine_opts eo = { .plan_capacity = ARAS_ENGINE_PLAN_CAPACITY,
					       .max_decisions = ARAS_ENGINE_MAX_DECISIONS,
					       .event_log = 1, .backoff = 1, .follow_moves = 1 };
		struct aras_engine_fx fx;

		aras_effects_wire(d, &fx);
		if (aras_engine_start(&d->eng, &eo, &fx) < 0)
			goto out;
	}
	if (d->mail.url) {
		struct aras_mail_conf mc = { d->mail.url, d->mail.from, d->mail.to, d->mail.starttls,
					     d->mail.user, d->mail.password,
					     d->mail.timeout_s ? d->mail.timeout_s : 30 };

		if (aras_mailer_new(&d->mailer, &mc) < 0) {
			log_err("cannot set up mail");
			goto out;
		}
	}
	if (d->script && aras_scripts_new(&d->scripts, d->script,
					  d->script_timeout ? d->script_timeout : 30) < 0) {
		log_err("cannot set up the alert script");
		goto out;
	}
	if (aras_snmp_start(d) < 0)
		goto out;
	if (aras_collector_start(&col, ch, d->nhosts, d->eng.state.settings.v[ARAS_S_POLL_INTERVAL]) < 0) {
		log_err("cannot start the pollers");
		goto out;
	}
	d->collector = col;
	log_info("arasd %s started: %zu hosts, poll every %u s", ARASD_VERSION, d->nhosts,
		 (unsigned)d->eng.state.settings.v[ARAS_S_POLL_INTERVAL]);
	while (!stop) {
		fd_set rfds, wfds, efds;
		int maxfd = 0, n;
		struct timeval tv = { 1, 0 };

		FD_ZERO(&rfds);
		FD_ZERO(&wfds);
		FD_ZERO(&efds);
		/* queued notifications: come back soon, after reading the master's replies */
		if (aras_notify_flush(d))
			tv.tv_sec = 0, tv.tv_usec = 5000;
		aras_snmp_prepare(&maxfd, &rfds, &tv);
		if (d->mailer)
			aras_mailer_prepare(d->mailer, &maxfd, &rfds, &wfds, &efds, &tv);
		if (d->scripts)
			aras_scripts_prepare(d->scripts, &tv);
		FD_SET(aras_collector_fd(col), &rfds);
		FD_SET(aras_collector_job_fd(col), &rfds);
		FD_SET(sig_pipe[0], &rfds);
		if (aras_collector_fd(col) >= maxfd)
			maxfd = aras_collector_fd(col) + 1;
		if (aras_collector_job_fd(col) >= maxfd)
			maxfd = aras_collector_job_fd(col) + 1;
		if (sig_pipe[0] >= maxfd)
			maxfd = sig_pipe[0] + 1;
		n = select(maxfd, &rfds, &wfds, &efds, &tv);
		if (n < 0 && errno != EINTR) {
			log_err("select: %s", strerror(errno));
			break;
		}
		if (n > 0 && FD_ISSET(sig_pipe[0], &rfds)) {
			unsigned char c;

			while (read(sig_pipe[0], &c, 1) == 1) {
				if (c == SIGTERM || c == SIGINT)
					stop = 1;
				else if (c == SIGHUP)
					reopen_files(d);
			}
			FD_CLR(sig_pipe[0], &rfds);
			n--;
		}
		if (n > 0 && FD_ISSET(aras_collector_job_fd(col), &rfds)) {
			struct aras_job_result *r;

			while ((r = aras_collector_next_result(col)) != NULL) {
				aras_engine_result(&d->eng, r->action, r->ok, r->err, mono_ms());
				free(r);
			}
			FD_CLR(aras_collector_job_fd(col), &rfds);
			n--;
		}
		if (n > 0 && FD_ISSET(aras_collector_fd(col), &rfds)) {
			take_samples(d, col);
			FD_CLR(aras_collector_fd(col), &rfds);
			n--;
		}
		/*
		 * The controller decides on new figures only (after samples, and
		 * after an operator's SET changed what it works from); proposals
		 * expire on time.
		 */
		if (d->counters.polls != polls_seen || d->eng.state_gen != state_seen) {
			polls_seen = d->counters.polls;
			state_seen = d->eng.state_gen;
			last_round = mono_ms();
			aras_engine_round(&d->eng, last_round);
		} else if (mono_ms() - last_round >= 1000) {
			last_round = mono_ms();
			aras_engine_expire(&d->eng, last_round);
		}
		if (d->mailer) {
			unsigned ok = 0, bad = 0;

			aras_mailer_process(d->mailer, &ok, &bad);
			d->counters.mail_sent += ok;
			d->counters.mail_failed += bad;
		}
		if (d->scripts) {
			unsigned ok = 0, bad = 0;

			aras_scripts_reap(d->scripts, &ok, &bad);
			d->counters.script_failed += bad;
		}
		/* snmp_read() only looks at net-snmp's own fds in the set. */
		aras_snmp_process(n < 0 ? -1 : n, &rfds);
	}
	log_info("arasd stopping");
	rc = 0;
out:
	aras_collector_stop(col);
	d->collector = NULL;
	aras_virt_global_shutdown();
	aras_snmp_stop(d);
	if (d->history)
		fclose(d->history);
	d->history = NULL;
	aras_mailer_free(d->mailer);
	aras_scripts_free(d->scripts);
	d->mailer = NULL;
	d->scripts = NULL;
	free(ch);
	return rc;
}

int main(int argc, char **argv)
{
	struct arasd d;
	const char *xsock = NULL;
	int foreground = 0, check = 0, debug = 0, opt, problems, rc;

	memset(&d, 0, sizeof(d));
	d.conf_file = DEFAULT_CONF;
	d.ping_interval = 5;
	while ((opt = getopt(argc, argv, "fndc:x:hS")) != -1) {
		switch (opt) {
		case 'f': foreground = 1; break;
		case 'n': check = 1; foreground = 1; break;
		case 'd': debug = 1; break;
		case 'c': d.conf_file = optarg; break;
		case 'x': xsock = optarg; break;
		case 'h': usage(stdout); return 0;
		case 'S': print_settings(); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	aras_log_init("arasd", foreground, debug ? LOG_DEBUG : LOG_INFO);
	aras_snmp_log_bridge();
	aras_engine_init(&d.eng);
	problems = aras_config_read(&d, d.conf_file);
	if (!d.state_file)
		d.state_file = strdup(DEFAULT_STATE);
	if (!problems) {
		/* Values SET over SNMP win over the config file's defaults. */
		char why[512];

		if (aras_state_load(&d.eng.state, d.state_file, why, sizeof(why)) < 0) {
			log_err("%s", why);
			problems++;
		} else if (aras_settings_check_consistent(&d.eng.state.settings, why, sizeof(why)) < 0) {
			log_err("%s with the values in %s: %s", d.conf_file, d.state_file, why);
			problems++;
		}
	}
	if (xsock) {
		free(d.agentx_socket);
		d.agentx_socket = strdup(xsock);
	}
	if (check) {
		if (problems)
			fprintf(stderr, "%s: %d problem%s\n", d.conf_file, problems, problems == 1 ? "" : "s");
		else
			printf("%s: OK (%zu hosts)\n", d.conf_file, d.nhosts);
		aras_engine_free(&d.eng);
		aras_config_free(&d);
		return problems ? 1 : 0;
	}
	if (problems) {
		log_err("%s: %d configuration problem%s, not starting", d.conf_file, problems,
			problems == 1 ? "" : "s");
		aras_engine_free(&d.eng);
		aras_config_free(&d);
		return 1;
	}
	for (size_t i = 0; i < d.nhosts; i++) {
		aras_model_add_host(&d.eng.model, d.hosts[i].index, d.hosts[i].name, d.hosts[i].uri);
	}
	if (!foreground && daemon(0, 0) < 0) {
		log_err("daemon: %s", strerror(errno));
		return 1;
	}
	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return 1;
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGHUP, on_signal);
	signal(SIGPIPE, SIG_IGN);
	rc = run(&d);
	aras_engine_free(&d.eng);
	aras_config_free(&d);
	return rc;
}
