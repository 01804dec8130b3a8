/*
 * main.c - options, wiring and the loop.
 *
 * One thread runs net-snmp and the model; per-host libvirt workers run
 * beside it and hand their samples over a pipe (see virt/collect.h).
 */
#include "arasd.h"

#include "core/log.h"
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
#include <unistd.h>

#define DEFAULT_CONF "/etc/arasd/arasd.conf"

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

static void usage(FILE *f)
{
	fprintf(f,
		"usage: arasd [-f] [-n] [-d] [-c FILE] [-x SOCKET]\n"
		"  -f         stay in the foreground, log to stderr (default: daemon, syslog)\n"
		"  -n         check the configuration and exit (1 on any problem)\n"
		"  -d         debug logging\n"
		"  -c FILE    configuration file (default " DEFAULT_CONF ")\n"
		"  -x SOCKET  AgentX socket of the master agent (overrides agentxSocket)\n");
}

static void take_samples(struct arasd *d, struct aras_collector *col)
{
	struct aras_host_sample *s;

	while ((s = aras_collector_next(col)) != NULL) {
		struct aras_apply_result res;
		struct aras_host *h = aras_model_host(&d->model, s->host_index);
		int before = h ? aras_host_mib_state(h) : 0;
		int was_unknown = h && h->state == ARAS_HOST_UNKNOWN;
		int after;
		int rc = aras_model_apply(&d->model, s, d->settings.v[ARAS_S_DISK_IO_CAPACITY], &res);

		if (rc < 0)
			log_err("host %u: cannot apply poll: %s", s->host_index, aras_strerror(rc));
		if (h) {
			after = aras_host_mib_state(h);
			/* The first successful poll is not news; a first failure is. */
			if ((before != after || (was_unknown && after == ARAS_HOST_DOWN)) &&
			    !(was_unknown && after == ARAS_HOST_UP)) {
				log_warn("host %s is %s%s%s", h->name, after == ARAS_HOST_UP ? "up" : "down",
					 h->last_error[0] ? ": " : "", h->last_error);
				aras_notify_host_state(d, h);
			} else if (was_unknown && after == ARAS_HOST_UP) {
				log_info("host %s is up (%zu VMs)", h->name, (size_t)h->vm_count);
			}
		}
		d->counters.polls++;
		d->counters.last_poll_ms = (uint32_t)s->cpu_ms;
		log_debug("host %u: %zu VMs (+%zu -%zu), worker cpu %llu ms", s->host_index, s->nvms,
			  res.added, res.removed, (unsigned long long)s->cpu_ms);
		aras_host_sample_free(s);
	}
}

static int run(struct arasd *d)
{
	struct aras_collect_host *ch = calloc(d->nhosts ? d->nhosts : 1, sizeof(*ch));
	struct aras_collector *col = NULL;
	int stop = 0, rc = 1;

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
	if (aras_snmp_start(d) < 0)
		goto out;
	if (aras_collector_start(&col, ch, d->nhosts, d->settings.v[ARAS_S_POLL_INTERVAL]) < 0) {
		log_err("cannot start the pollers");
		goto out;
	}
	log_info("arasd %s started: %zu hosts, poll every %u s", ARASD_VERSION, d->nhosts,
		 (unsigned)d->settings.v[ARAS_S_POLL_INTERVAL]);
	while (!stop) {
		fd_set rfds;
		int maxfd = 0, n;
		struct timeval tv = { 1, 0 };

		FD_ZERO(&rfds);
		aras_snmp_prepare(&maxfd, &rfds, &tv);
		FD_SET(aras_collector_fd(col), &rfds);
		FD_SET(sig_pipe[0], &rfds);
		if (aras_collector_fd(col) >= maxfd)
			maxfd = aras_collector_fd(col) + 1;
		if (sig_pipe[0] >= maxfd)
			maxfd = sig_pipe[0] + 1;
		n = select(maxfd, &rfds, NULL, NULL, &tv);
		if (n < 0 && errno != EINTR) {
			log_err("select: %s", strerror(errno));
			break;
		}
		if (n > 0 && FD_ISSET(sig_pipe[0], &rfds)) {
			unsigned char c;

			while (read(sig_pipe[0], &c, 1) == 1)
				if (c == SIGTERM || c == SIGINT)
					stop = 1;
			FD_CLR(sig_pipe[0], &rfds);
			n--;
		}
		if (n > 0 && FD_ISSET(aras_collector_fd(col), &rfds)) {
			take_samples(d, col);
			FD_CLR(aras_collector_fd(col), &rfds);
			n--;
		}
		aras_snmp_process(n < 0 ? -1 : n, &rfds);
	}
	log_info("arasd stopping");
	rc = 0;
out:
	aras_collector_stop(col);
	aras_snmp_stop(d);
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
	while ((opt = getopt(argc, argv, "fndc:x:h")) != -1) {
		switch (opt) {
		case 'f': foreground = 1; break;
		case 'n': check = 1; foreground = 1; break;
		case 'd': debug = 1; break;
		case 'c': d.conf_file = optarg; break;
		case 'x': xsock = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	aras_log_init("arasd", foreground, debug ? LOG_DEBUG : LOG_INFO);
	aras_snmp_log_bridge();
	aras_settings_defaults(&d.settings);
	aras_model_init(&d.model);
	problems = aras_config_read(&d, d.conf_file);
	if (xsock) {
		free(d.agentx_socket);
		d.agentx_socket = strdup(xsock);
	}
	if (check) {
		if (problems)
			fprintf(stderr, "%s: %d problem%s\n", d.conf_file, problems, problems == 1 ? "" : "s");
		else
			printf("%s: OK (%zu hosts)\n", d.conf_file, d.nhosts);
		aras_config_free(&d);
		return problems ? 1 : 0;
	}
	if (problems) {
		log_err("%s: %d configuration problem%s, not starting", d.conf_file, problems,
			problems == 1 ? "" : "s");
		aras_config_free(&d);
		return 1;
	}
	for (size_t i = 0; i < d.nhosts; i++)
		aras_model_add_host(&d.model, d.hosts[i].index, d.hosts[i].name, d.hosts[i].uri);
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
	aras_model_free(&d.model);
	aras_config_free(&d);
	return rc;
}
