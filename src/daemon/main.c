/*
 * main.c - options, the configuration (and the state file and order
 * journal it names), the modules built and started, the loop run, the
 * modules torn down.  Each module registers its own descriptors and
 * timers with the loop (loop.h); the engine's effects are wired in
 * effects.c, its inputs in drive.c.
 *
 * One thread runs net-snmp and the engine; per-host libvirt workers run
 * beside it and hand their samples over a pipe (see virt/collect.h).
 * sig_pipe is the one file-scope variable: a signal handler can reach
 * nothing else.
 */
#include "arasd.h"

#include "drive.h"
#include "effects.h"
#include "history.h"
#include "http.h"
#include "loop.h"
#include "notify/mail.h"
#include "notify/script.h"
#include "probe.h"
#include "snmp/agent.h"
#include "snmp/config.h"
#include "takeover.h"
#include "util/log.h"
#include "util/log.h"
#include "virt/collect.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Log lines of this file say where they come from (util/log.h). */
static const char log_token[] = "daemon";

#define DEFAULT_CONF "/etc/arasd/arasd.conf"
#define DEFAULT_STATE "/var/lib/arasd/state"

/* File scope: a signal handler can reach nothing else (the self-pipe trick). */
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
		char def[64], lo[64], hi[64], obj[80];

		aras_settings_format(i, s->def, def, sizeof(def));
		if (s->type == ARAS_ST_BITS) {
			snprintf(lo, sizeof(lo), "none");
			aras_settings_format(i, s->max, hi, sizeof(hi));
		} else {
			aras_settings_format(i, s->min, lo, sizeof(lo));
			aras_settings_format(i, s->max, hi, sizeof(hi));
		}
		if (s->subid)
			snprintf(obj, sizeof(obj), "%s.%u", s->mib_name, s->subid);
		else
			snprintf(obj, sizeof(obj), "VM-MIB %s.0", s->mib_name);
		printf("| `%s` | %s | %s | %s%s%s | %s | %s | %s |\n", s->token, obj, def, lo,
		       s->type == ARAS_ST_BITS ? " .. " : "..", hi, s->unit, s->snmp_writable ? "rw" : "ro",
		       s->help);
	}
}

static void usage(FILE *f)
{
	fprintf(f, "usage: arasd [-f] [-n] [-t] [-d] [-c FILE] [-x SOCKET] [-S] [-h]\n"
		   "  -f         stay in the foreground, log to stderr (default: daemon, syslog)\n"
		   "  -n         check the configuration and exit (1 on any problem)\n"
		   "  -t         check the configuration, then try each host's libvirt connection\n"
		   "             and the AgentX socket; report per host, exit 1 if any fails\n"
		   "  -d         debug logging\n"
		   "  -c FILE    configuration file (default " DEFAULT_CONF ")\n"
		   "  -x SOCKET  AgentX socket of the master agent (overrides agentxSocket)\n"
		   "  -S         print the settings table (Markdown) and exit\n"
		   "  -h         print this help and exit\n");
}

/* What the signal pipe's callback needs. */
struct daemon_run {
	struct aras_loop *loop;
	struct aras_history history;
	struct aras_drive drive;
};

/* Signal pipe: TERM/INT stop, HUP reopens the history file. */
static void on_signals(void *arg, int fd, int ready)
{
	struct daemon_run *r = arg;
	unsigned char c;

	(void)ready;
	while (read(fd, &c, 1) == 1) {
		if (c == SIGTERM || c == SIGINT)
			aras_loop_stop(r->loop);
		else if (c == SIGHUP)
			aras_history_reopen(&r->history);
	}
}

/* Default mailTimeout / scriptTimeout when the configuration leaves them 0. */
#define NOTIFY_TIMEOUT_DEFAULT_S 30

/* The state file's directory (e.g. /var/lib/arasd) may not exist yet. */
static void make_state_dir(const char *state_file)
{
	char dir[4096];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", state_file);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0700) < 0 && errno != EEXIST)
			log_warn("cannot create %s: %s (SETs will fail to persist)", dir, strerror(errno));
	}
}

/* The order journal's file: the state file's name + ".orders". */
static void journal_path(const struct arasd *d, char *buf, size_t len)
{
	snprintf(buf, len, "%s.orders", d->state_file);
}

/*
 * The orders the last run journalled: those without outcome go to the
 * engine to resolve after the first polls, those with one become event
 * rows; then the journal starts again with the first alone.  0, or -1
 * (logged) when out of memory: a journal that cannot be written is logged
 * and made again at the next order.
 */
static int start_journal(struct arasd *d, const struct aras_jlog *jl)
{
	char path[4096], why[512];
	size_t pending = 0;
	int rc;

	journal_path(d, path, sizeof(path));
	for (size_t i = 0; i < jl->n; i++) {
		const struct aras_jentry *je = &jl->v[i];

		if (je->outcome == ARAS_JOUT_PENDING) {
			if (aras_engine_recover(d->eng, &je->o) < 0) {
				log_err("out of memory");
				return -1;
			}
			pending++;
		} else if (je->outcome != ARAS_JOUT_CANCELLED) {
			aras_engine_order_history(d->eng, &je->o, je->outcome, je->text, time(NULL));
		}
	}
	if (pending)
		log_warn("%s: %zu order%s acknowledged by the last run without outcome: resolved after the "
			 "first "
			 "polls",
			 path, pending, pending == 1 ? "" : "s");
	/* like a state file that cannot be written: arasd runs, and every SET with an order fails until it can */
	rc = aras_journal_open(&d->journal, path, jl, why, sizeof(why));
	if (rc == -ARAS_E_NOMEM) {
		log_err("cannot start the order journal: out of memory");
		return -1;
	} else if (rc < 0) {
		log_err("cannot write the order journal: %s (SETs with an order fail with commitFailed until "
			"it "
			"can be written)",
			why);
	}
	return 0;
}

/* The engine, mail and scripts, registered with l: 0 or -1 (logged). */
static int start_core(struct arasd *d, struct aras_loop *l)
{
	struct aras_engine_opts eo = { .plan_capacity = ARAS_ENGINE_PLAN_CAPACITY,
				       .max_decisions = ARAS_ENGINE_MAX_DECISIONS,
				       .event_log = 1,
				       .backoff = 1,
				       .follow_moves = 1 };
	struct aras_engine_fx fx;

	aras_effects_wire(d, &fx);
	if (aras_engine_start(d->eng, &eo, &fx) < 0) {
		log_err("cannot start the engine");
		return -1;
	}
	if (d->mail.url) {
		struct aras_mail_conf mc = { d->mail.url,
					     d->mail.from,
					     d->mail.to,
					     d->mail.starttls,
					     d->mail.user,
					     d->mail.password,
					     d->mail.timeout_s ? d->mail.timeout_s :
								 NOTIFY_TIMEOUT_DEFAULT_S };

		if (aras_mailer_new(&d->mailer, &mc) < 0 ||
		    aras_mailer_attach(d->mailer, l, &d->counters) < 0) {
			log_err("cannot set up mail");
			return -1;
		}
	}
	if (d->script &&
	    (aras_scripts_new(&d->scripts, d->script,
			      d->script_timeout ? d->script_timeout : NOTIFY_TIMEOUT_DEFAULT_S) < 0 ||
	     aras_scripts_set_user(d->scripts, d->script_user) < 0 ||
	     aras_scripts_attach(d->scripts, l, &d->counters) < 0)) {
		log_err("cannot set up the alert script");
		return -1;
	}
	return 0;
}

/*
 * Build the modules; each registers its own descriptors and timers with
 * the loop as it starts (loop.h): the signal pipe here, mail and scripts,
 * net-snmp, the collector's pipes and the engine's round and timer
 * (drive.h).  Within a kind, the loop calls them in this order.
 */
static int run(struct arasd *d, const struct aras_jlog *jl)
{
	struct aras_collect_host *ch = calloc(d->nhosts ? d->nhosts : 1, sizeof(*ch));
	struct daemon_run r = { 0 };
	struct aras_collector *col = NULL;
	int rc = 1;

	aras_history_init(&r.history, d->history_file);
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
	make_state_dir(d->state_file);
	if (aras_loop_new(&r.loop) < 0 ||
	    aras_loop_add_fd(r.loop, sig_pipe[0], ARAS_LOOP_READ, on_signals, &r) < 0) {
		log_err("cannot set up the loop");
		goto out;
	}
	/*
	 * The journal after the SNMP adapter (its event rows must reach the
	 * table) and before the loop (the first SET is read there).
	 */
	if (start_core(d, r.loop) < 0 || aras_snmp_start(d, r.loop) < 0 || start_journal(d, jl) < 0 ||
	    aras_takeover_start(d, r.loop) < 0)
		goto out;
	/* after the MIB: /metrics reads it through mib.c's encoders */
	if (aras_http_start(d, r.loop) < 0)
		goto out;
	if (aras_collector_start(&col, ch, d->nhosts, aras_engine_settings(d->eng)->v[ARAS_S_POLL_INTERVAL]) <
	    0) {
		log_err("cannot start the pollers");
		goto out;
	}
	d->collector = col;
	r.drive = (struct aras_drive){ .eng = d->eng,
				       .col = col,
				       .history = &r.history,
				       .counters = &d->counters };
	if (aras_drive_attach(&r.drive, r.loop) < 0) {
		log_err("cannot set up the loop");
		goto out;
	}
	log_info("arasd %s started: %zu hosts, poll every %u s", ARASD_VERSION, d->nhosts,
		 (unsigned)aras_engine_settings(d->eng)->v[ARAS_S_POLL_INTERVAL]);
	if (aras_loop_run(r.loop) == 0) {
		log_info("arasd stopping");
		rc = 0;
	}
out:
	aras_loop_free(r.loop);
	aras_collector_stop(col);
	d->collector = NULL;
	if (rc == 0)
		aras_takeover_stop(d); /* the migrations it ran are aborted: a clean stop */
	aras_virt_global_shutdown();
	aras_http_stop(d);
	aras_snmp_stop(d);
	aras_history_close(&r.history);
	aras_journal_close(&d->journal);
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
	const char *conf_file = DEFAULT_CONF, *xsock = NULL;
	int foreground = 0, check = 0, probe = 0, debug = 0, opt, problems, rc;
	struct aras_jlog jl;

	memset(&d, 0, sizeof(d));
	memset(&jl, 0, sizeof(jl));
	aras_journal_init(&d.journal);
	d.agent.ping_interval = 5;
	while ((opt = getopt(argc, argv, "fntdc:x:hS")) != -1) {
		switch (opt) {
		case 'f': foreground = 1; break;
		case 'n':
			check = 1;
			foreground = 1;
			break;
		case 't':
			check = probe = 1;
			foreground = 1;
			break;
		case 'd': debug = 1; break;
		case 'c': conf_file = optarg; break;
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
	d.eng = aras_engine_new();
	if (!d.eng) {
		log_err("out of memory");
		return 1;
	}
	problems = aras_config_read(&d, conf_file);
	if (!d.state_file)
		d.state_file = strdup(DEFAULT_STATE);
	if (!problems) {
		/* Values SET over SNMP win over the config file's defaults. */
		char why[512];

		if (aras_state_load(aras_engine_conf_state(d.eng), d.state_file, why, sizeof(why)) < 0) {
			log_err("%s", why);
			problems++;
		} else if (aras_settings_check_consistent(aras_engine_settings(d.eng), why, sizeof(why)) <
			   0) {
			log_err("%s with the values in %s: %s", conf_file, d.state_file, why);
			problems++;
		}
	}
	if (!problems) {
		/* Orders acknowledged by the last run (core/journal.h): a bad line is a problem as in the state file. */
		char path[4096], why[512];

		journal_path(&d, path, sizeof(path));
		if (aras_journal_load(path, &jl, why, sizeof(why)) < 0) {
			log_err("%s", why);
			problems++;
		} else if (jl.torn) {
			log_warn("%s: its last line was cut by a crash (never acknowledged): ignored", path);
		}
	}
	if (xsock) {
		free(d.agent.agentx_socket);
		d.agent.agentx_socket = strdup(xsock);
	}
	if (check) {
		if (problems)
			fprintf(stderr, "%s: %d problem%s\n", conf_file, problems, problems == 1 ? "" : "s");
		else
			printf("%s: OK (%zu hosts)\n", conf_file, d.nhosts);
		rc = problems ? 1 : 0;
		if (!problems && probe)
			rc = aras_daemon_probe(&d);
		aras_jlog_free(&jl);
		aras_engine_free(d.eng);
		aras_config_free(&d);
		return rc;
	}
	if (problems) {
		log_err("%s: %d configuration problem%s, not starting", conf_file, problems,
			problems == 1 ? "" : "s");
		aras_jlog_free(&jl);
		aras_engine_free(d.eng);
		aras_config_free(&d);
		return 1;
	}
	for (size_t i = 0; i < d.nhosts; i++) {
		aras_model_add_host(aras_engine_conf_model(d.eng), d.hosts[i].index, d.hosts[i].name,
				    d.hosts[i].uri);
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
	rc = run(&d, &jl);
	aras_jlog_free(&jl);
	aras_engine_free(d.eng);
	aras_config_free(&d);
	return rc;
}
