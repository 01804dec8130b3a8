/*
 * main.c - options, start-up, and the wiring of every subsystem into the
 * loop (loop.h) and of the engine's effects (effects.h).
 *
 * One thread runs net-snmp and the engine; per-host libvirt workers run
 * beside it and hand their samples over a pipe (see virt/collect.h).
 * sig_pipe is the one file-scope variable: a signal handler can reach
 * nothing else.
 */
#include "arasd.h"

#include "util/log.h"
#include "effects.h"
#include "loop.h"
#include "notify/mail.h"
#include "notify/script.h"
#include "snmp/agent.h"
#include "snmp/config.h"
#include "snmp/notify.h"
#include "snmp/probe.h"
#include "virt/collect.h"
#include "virt/probe.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
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
		"usage: arasd [-f] [-n] [-t] [-d] [-c FILE] [-x SOCKET] [-S] [-h]\n"
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

/*
 * -t: after a clean configuration check, try every host and the master.
 * One line per host and one for AgentX on stdout; 0 when all answer.
 */
#define PROBE_TIMEOUT_S 20

static int try_connections(struct arasd *d)
{
	struct aras_probe *p = calloc(d->nhosts ? d->nhosts : 1, sizeof(*p));
	char used[1024], msg[512];
	int failed, master;

	if (!p)
		return 1;
	for (size_t i = 0; i < d->nhosts; i++)
		p[i].uri = d->hosts[i].uri;
	failed = aras_virt_probe(p, d->nhosts, PROBE_TIMEOUT_S);
	if (failed < 0) {
		fprintf(stderr, "cannot try the hosts: %s\n", aras_strerror(failed));
		free(p);
		return 1;
	}
	/* a host's name and libvirt's message may hold any byte: escaped as in the log */
	for (size_t i = 0; i < d->nhosts; i++) {
		char line[sizeof(p[i].msg) + 2048], esc[sizeof(line) * ARAS_ESCAPE_GROWTH];

		snprintf(line, sizeof(line), "host %s (index %u, %s): %s%s", d->hosts[i].name,
			 d->hosts[i].index, d->hosts[i].uri, p[i].ok ? "" : "UNREACHABLE: ", p[i].msg);
		aras_escape(esc, sizeof(esc), line);
		printf("%s\n", esc);
	}
	master = aras_snmp_probe_master(d->agentx_socket, used, sizeof(used), msg, sizeof(msg));
	printf("agentx %s: %s%s\n", used, master < 0 ? "UNREACHABLE: " : "", msg);
	printf("%zu of %zu host%s reachable, AgentX master %s\n", d->nhosts - (size_t)failed, d->nhosts,
	       d->nhosts == 1 ? "" : "s", master < 0 ? "unreachable" : "reachable");
	free(p);
	return failed || master < 0;
}

/*
 * The history file was rotated (renamed or removed: the name is no longer
 * the file arasd has open), so the next lines go to a new file by that name.
 * Checked before every poll's lines: logrotate (or anyone) may rename it
 * with no way to signal arasd (no systemd, another supervisor), and SIGHUP
 * stays optional.
 */
static int history_rotated(const struct arasd *d)
{
	struct stat named, cur;

	if (fstat(fileno((FILE *)d->history), &cur) != 0)
		return 1;
	if (stat(d->history_file, &named) != 0)
		return errno == ENOENT;
	return named.st_ino != cur.st_ino || named.st_dev != cur.st_dev;
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
	const struct aras_model *m = aras_engine_model(d->eng);

	if (!d->history_file)
		return;
	if (f && history_rotated(d)) {
		if (fclose(f) != 0)
			log_err("historyFile %s: %s", d->history_file, strerror(errno));
		d->history = f = NULL;
		log_info("historyFile %s was rotated: reopened by name", d->history_file);
	}
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
	for (size_t i = 0; i < m->nvms; i++) {
		const struct aras_vm *vm = m->vms[i];

		if (vm->host != host || !vm->rates_valid)
			continue;
		aras_uuid_format(vm->uuid, uuid);
		fprintf(f, "%lld %u %s %u %u %llu %u %u\n", (long long)now, host, uuid, vm->cpu_usage, vm->vcpus,
			(unsigned long long)vm->mem_cur_kib, vm->mem_usage, vm->io_usage);
	}
	fflush(f);
}

/*
 * SIGHUP: close the history file; the next poll opens it again by name.
 * (A rename or removal of the file is also noticed without it: see
 * history_rotated.)
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

/* What the loop's callbacks need. */
struct daemon_run {
	struct arasd *d;
	struct aras_loop *loop;
	struct aras_collector *col;
	uint32_t polls_seen, state_seen;
	uint32_t poll_s;            /* the collector's poll interval */
};

/* Signal pipe: TERM/INT stop, HUP reopens the history file. */
static void on_signals(void *arg)
{
	struct daemon_run *r = arg;
	unsigned char c;

	while (read(sig_pipe[0], &c, 1) == 1) {
		if (c == SIGTERM || c == SIGINT)
			aras_loop_stop(r->loop);
		else if (c == SIGHUP)
			reopen_files(r->d);
	}
}

/* The workers' job results, to the engine. */
static void on_results(void *arg)
{
	struct daemon_run *r = arg;
	struct aras_job_result *res;

	while ((res = aras_collector_next_result(r->col)) != NULL) {
		if (res->has_stats)
			aras_engine_progress(r->d->eng, res->action, &res->stats);
		if (res->msg == ARAS_JOB_PROGRESS) {
			free(res);
			continue;
		}
		aras_engine_result_detail(r->d->eng, res->action, res->ok, res->err, res->detail,
					  aras_loop_now_ms(), time(NULL));
		free(res);
	}
}

/*
 * libvirt's domain events, to the engine at once.  However many there
 * are (a host restart stops every VM), they cost at most one fresh poll.
 */
static void on_events(void *arg)
{
	struct daemon_run *r = arg;
	struct aras_vm_event ev;
	int reread = aras_collector_events_lost(r->col);
	time_t wall = time(NULL);

	while (aras_collector_next_event(r->col, &ev))
		reread |= aras_engine_vm_event(r->d->eng, &ev, wall);
	if (reread)
		aras_collector_kick(r->col);
}

/*
 * One host's sample per turn: SNMP requests waiting meanwhile are served
 * between two hosts' samples (the pipe stays readable for the next).
 */
static void on_sample(void *arg)
{
	struct daemon_run *r = arg;
	struct arasd *d = r->d;
	struct aras_host_sample *s = aras_collector_next(r->col);
	const struct aras_host *h;

	if (!s)
		return;
	h = aras_model_host(aras_engine_model(d->eng), s->host_index);
	aras_engine_sample(d->eng, s, time(NULL));
	if (h && s->ok)
		record_history(d, h->index);
	d->counters.polls++;
	d->counters.last_poll_ms = (uint32_t)s->wall_ms;
	aras_host_sample_free(s);
}

/*
 * The controller decides on new figures only: after samples, and after an
 * operator's SET changed what it works from.  A SET of arasPollInterval
 * goes to the pollers here, in the turn of its commit.
 */
static void on_turn(void *arg)
{
	struct daemon_run *r = arg;
	struct arasd *d = r->d;
	uint32_t poll_s = aras_engine_settings(d->eng)->v[ARAS_S_POLL_INTERVAL];

	if (d->counters.polls == r->polls_seen && aras_engine_state_gen(d->eng) == r->state_seen)
		return;
	if (poll_s != r->poll_s) {
		aras_collector_set_interval(r->col, poll_s);
		r->poll_s = poll_s;
	}
	r->polls_seen = d->counters.polls;
	r->state_seen = aras_engine_state_gen(d->eng);
	aras_engine_round(d->eng, aras_loop_now_ms(), time(NULL));
}

/*
 * Proposals expire on time; a notification window that ended is summed
 * up; a host whose libvirt stopped answering is made down.
 */
static void on_expire_timer(void *arg, uint64_t now_ms)
{
	struct aras_engine *e = ((struct daemon_run *)arg)->d->eng;
	time_t wall = time(NULL);

	aras_engine_expire(e, now_ms, wall);
	aras_engine_flush_notify(e, now_ms);
	aras_engine_watch_hosts(e, now_ms, wall);
}

static struct timeval tv_of(int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	return tv;
}

static void lower(int *timeout_ms, const struct timeval *tv)
{
	long long ms = (long long)tv->tv_sec * 1000 + (tv->tv_usec + 999) / 1000;

	if (ms < *timeout_ms)
		*timeout_ms = ms < 0 ? 0 : (int)ms;
}

/* How soon to come back while notifications are queued (after the master's replies are read). */
#define NOTIFY_RETRY_MS 5

static void snmp_prepare(void *arg, int *maxfd, fd_set *rd, fd_set *wr, fd_set *ex, int *timeout_ms)
{
	struct daemon_run *r = arg;
	struct timeval tv;

	(void)wr;
	(void)ex;
	if (aras_notify_flush(r->d) && *timeout_ms > NOTIFY_RETRY_MS)
		*timeout_ms = NOTIFY_RETRY_MS;
	tv = tv_of(*timeout_ms);
	aras_snmp_prepare(maxfd, rd, &tv);
	lower(timeout_ms, &tv);
}

static void snmp_dispatch(void *arg, int nready, fd_set *rd, fd_set *wr, fd_set *ex)
{
	(void)arg;
	(void)wr;
	(void)ex;
	/* nready counts net-snmp's own descriptors only: 0 is its timeout turn */
	aras_snmp_process(nready, rd);
}

static void mail_prepare(void *arg, int *maxfd, fd_set *rd, fd_set *wr, fd_set *ex, int *timeout_ms)
{
	struct daemon_run *r = arg;
	struct timeval tv = tv_of(*timeout_ms);

	aras_mailer_prepare(r->d->mailer, maxfd, rd, wr, ex, &tv);
	lower(timeout_ms, &tv);
}

static void mail_dispatch(void *arg, int nready, fd_set *rd, fd_set *wr, fd_set *ex)
{
	struct arasd *d = ((struct daemon_run *)arg)->d;
	unsigned ok = 0, bad = 0;

	(void)nready;
	(void)rd;
	(void)wr;
	(void)ex;
	aras_mailer_process(d->mailer, &ok, &bad);
	d->counters.mail_sent += ok;
	d->counters.mail_failed += bad;
}

static void scripts_prepare(void *arg, int *maxfd, fd_set *rd, fd_set *wr, fd_set *ex, int *timeout_ms)
{
	struct daemon_run *r = arg;
	struct timeval tv = tv_of(*timeout_ms);

	(void)maxfd;
	(void)rd;
	(void)wr;
	(void)ex;
	aras_scripts_prepare(r->d->scripts, &tv);
	lower(timeout_ms, &tv);
}

static void scripts_dispatch(void *arg, int nready, fd_set *rd, fd_set *wr, fd_set *ex)
{
	struct arasd *d = ((struct daemon_run *)arg)->d;
	unsigned ok = 0, bad = 0;

	(void)nready;
	(void)rd;
	(void)wr;
	(void)ex;
	/* children are reaped by polling (waitpid WNOHANG) every turn */
	aras_scripts_reap(d->scripts, &ok, &bad);
	d->counters.script_failed += bad;
}

/* Default mailTimeout / scriptTimeout when the configuration leaves them 0. */
#define NOTIFY_TIMEOUT_DEFAULT_S 30
/* Proposal expiry is checked this often. */
#define EXPIRE_PERIOD_MS 1000

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
		log_warn("%s: %zu order%s acknowledged by the last run without outcome: resolved after the first "
			 "polls",
			 path, pending, pending == 1 ? "" : "s");
	/* like a state file that cannot be written: arasd runs, and every SET with an order fails until it can */
	rc = aras_journal_open(&d->journal, path, jl, why, sizeof(why));
	if (rc == -ARAS_E_NOMEM) {
		log_err("cannot start the order journal: out of memory");
		return -1;
	} else if (rc < 0) {
		log_err("cannot write the order journal: %s (SETs with an order fail with commitFailed until it "
			"can be written)",
			why);
	}
	return 0;
}

/* The engine, mail and scripts: 0 or -1 (logged). */
static int start_core(struct arasd *d)
{
	struct aras_engine_opts eo = { .plan_capacity = ARAS_ENGINE_PLAN_CAPACITY,
				       .max_decisions = ARAS_ENGINE_MAX_DECISIONS,
				       .event_log = 1, .backoff = 1, .follow_moves = 1 };
	struct aras_engine_fx fx;

	aras_effects_wire(d, &fx);
	if (aras_engine_start(d->eng, &eo, &fx) < 0) {
		log_err("cannot start the engine");
		return -1;
	}
	if (d->mail.url) {
		struct aras_mail_conf mc = { d->mail.url, d->mail.from, d->mail.to, d->mail.starttls,
					     d->mail.user, d->mail.password,
					     d->mail.timeout_s ? d->mail.timeout_s : NOTIFY_TIMEOUT_DEFAULT_S };

		if (aras_mailer_new(&d->mailer, &mc) < 0) {
			log_err("cannot set up mail");
			return -1;
		}
	}
	if (d->script && (aras_scripts_new(&d->scripts, d->script,
					   d->script_timeout ? d->script_timeout : NOTIFY_TIMEOUT_DEFAULT_S) < 0 ||
			  aras_scripts_set_user(d->scripts, d->script_user) < 0)) {
		log_err("cannot set up the alert script");
		return -1;
	}
	return 0;
}

/* Every subsystem registers with the loop, in dispatch order. */
static int wire_loop(struct daemon_run *r)
{
	struct aras_loop_source mail = { r, mail_prepare, mail_dispatch };
	struct aras_loop_source scripts = { r, scripts_prepare, scripts_dispatch };
	struct aras_loop_source snmp = { r, snmp_prepare, snmp_dispatch };

	if (aras_loop_add_fd(r->loop, sig_pipe[0], on_signals, r) < 0 ||
	    aras_loop_add_fd(r->loop, aras_collector_job_fd(r->col), on_results, r) < 0 ||
	    aras_loop_add_fd(r->loop, aras_collector_fd(r->col), on_sample, r) < 0 ||
	    aras_loop_add_fd(r->loop, aras_collector_event_fd(r->col), on_events, r) < 0 ||
	    aras_loop_add_idle(r->loop, on_turn, r) < 0 ||
	    aras_loop_add_timer(r->loop, EXPIRE_PERIOD_MS, on_expire_timer, r) < 0 ||
	    (r->d->mailer && aras_loop_add_source(r->loop, &mail) < 0) ||
	    (r->d->scripts && aras_loop_add_source(r->loop, &scripts) < 0) ||
	    aras_loop_add_source(r->loop, &snmp) < 0)
		return -1;
	return 0;
}

static int run(struct arasd *d, const struct aras_jlog *jl)
{
	struct aras_collect_host *ch = calloc(d->nhosts ? d->nhosts : 1, sizeof(*ch));
	struct daemon_run r = { .d = d };
	int rc = 1;

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
	/*
	 * The journal after the SNMP adapter (its event rows must reach the
	 * table) and before the loop (the first SET is read there).
	 */
	if (start_core(d) < 0 || aras_snmp_start(d) < 0 || start_journal(d, jl) < 0)
		goto out;
	if (aras_collector_start(&r.col, ch, d->nhosts, aras_engine_settings(d->eng)->v[ARAS_S_POLL_INTERVAL]) < 0) {
		log_err("cannot start the pollers");
		goto out;
	}
	d->collector = r.col;
	r.poll_s = aras_engine_settings(d->eng)->v[ARAS_S_POLL_INTERVAL];
	if (aras_loop_new(&r.loop) < 0 || wire_loop(&r) < 0) {
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
	aras_collector_stop(r.col);
	d->collector = NULL;
	aras_virt_global_shutdown();
	aras_snmp_stop(d);
	if (d->history)
		fclose(d->history);
	d->history = NULL;
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
	const char *xsock = NULL;
	int foreground = 0, check = 0, probe = 0, debug = 0, opt, problems, rc;
	struct aras_jlog jl;

	memset(&d, 0, sizeof(d));
	memset(&jl, 0, sizeof(jl));
	aras_journal_init(&d.journal);
	d.conf_file = DEFAULT_CONF;
	d.ping_interval = 5;
	while ((opt = getopt(argc, argv, "fntdc:x:hS")) != -1) {
		switch (opt) {
		case 'f': foreground = 1; break;
		case 'n': check = 1; foreground = 1; break;
		case 't': check = probe = 1; foreground = 1; break;
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
	d.eng = aras_engine_new();
	if (!d.eng) {
		log_err("out of memory");
		return 1;
	}
	problems = aras_config_read(&d, d.conf_file);
	if (!d.state_file)
		d.state_file = strdup(DEFAULT_STATE);
	if (!problems) {
		/* Values SET over SNMP win over the config file's defaults. */
		char why[512];

		if (aras_state_load(aras_engine_conf_state(d.eng), d.state_file, why, sizeof(why)) < 0) {
			log_err("%s", why);
			problems++;
		} else if (aras_settings_check_consistent(aras_engine_settings(d.eng), why, sizeof(why)) < 0) {
			log_err("%s with the values in %s: %s", d.conf_file, d.state_file, why);
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
		free(d.agentx_socket);
		d.agentx_socket = strdup(xsock);
	}
	if (check) {
		if (problems)
			fprintf(stderr, "%s: %d problem%s\n", d.conf_file, problems, problems == 1 ? "" : "s");
		else
			printf("%s: OK (%zu hosts)\n", d.conf_file, d.nhosts);
		rc = problems ? 1 : 0;
		if (!problems && probe)
			rc = try_connections(&d);
		aras_jlog_free(&jl);
		aras_engine_free(d.eng);
		aras_config_free(&d);
		return rc;
	}
	if (problems) {
		log_err("%s: %d configuration problem%s, not starting", d.conf_file, problems,
			problems == 1 ? "" : "s");
		aras_jlog_free(&jl);
		aras_engine_free(d.eng);
		aras_config_free(&d);
		return 1;
	}
	for (size_t i = 0; i < d.nhosts; i++) {
		aras_model_add_host(aras_engine_conf_model(d.eng), d.hosts[i].index, d.hosts[i].name, d.hosts[i].uri);
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
