/*
 * notify_drive.c - drives the real notify adapters (src/notify/) from a
 * select() loop shaped like arasd's, for tests/integration/t_notify.sh.
 *
 *   notify_drive mail URL FROM TO COUNT [VMNAME]
 *       queue COUNT breach alerts at once (VMs web1..webCOUNT, or VMNAME
 *       for all), loop until each is sent or failed, print "sent=N failed=M"
 *   notify_drive script PATH TIMEOUT VMNAME
 *       run PATH for one breach alert of VMNAME, loop until it is reaped,
 *       print "ok=N failed=M"; fd 42 is left open without close-on-exec so
 *       the test can check the script does not inherit it
 *
 * Environment: NOTIFY_DEBUG=1 sends the scripts' output to stderr;
 * NOTIFY_MAIL_TIMEOUT (s, default 10).  Logs go to stderr, and in mail
 * mode the longest time spent in one mailer call of the loop:
 * "notify_drive: longest loop call N ms" (the loop must never block).
 */
#include "core/alert.h"
#include "util/log.h"
#include "notify/mail.h"
#include "notify/script.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

static void fill_alert(struct aras_alert *a, const char *vm, unsigned i)
{
	static const uint8_t uuid[ARAS_UUID_LEN] = { 0x6f, 0x1c, 0x2a, 0x4e, 0x8b, 0x3d, 0x4f, 0x10,
						     0x9a, 0x7e, 0x51, 0x0c, 0xd2, 0x44, 0x00, 0x00 };

	memset(a, 0, sizeof(*a));
	a->type = ARAS_EV_BREACH;
	a->when = time(NULL);
	memcpy(a->uuid, uuid, sizeof(uuid));
	a->uuid[14] = (uint8_t)(i >> 8);
	a->uuid[15] = (uint8_t)i;
	a->has_vm = 1;
	if (vm)
		snprintf(a->vm_name, sizeof(a->vm_name), "%s", vm);
	else
		snprintf(a->vm_name, sizeof(a->vm_name), "web%u", i);
	a->host_index = 1;
	snprintf(a->host_name, sizeof(a->host_name), "hostA");
	a->resource = ARAS_RES_CPU;
	a->value = 95;
	a->threshold = 90;
	snprintf(a->text, sizeof(a->text), "cpu at 95%% for 60 s (threshold 90%%)");
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static unsigned parse_uint(const char *s, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || end == s || v > 100000) {
		fprintf(stderr, "notify_drive: bad %s '%s'\n", what, s);
		exit(2);
	}
	return (unsigned)v;
}

static int drive_mail(char **argv, int argc)
{
	const char *tmo = getenv("NOTIFY_MAIL_TIMEOUT");
	struct aras_mail_conf conf = {
		.url = argv[2],
		.from = argv[3],
		.to = argv[4],
		.timeout_s = tmo ? parse_uint(tmo, "NOTIFY_MAIL_TIMEOUT") : 10,
	};
	unsigned count = parse_uint(argv[5], "COUNT"), sent = 0, failed = 0;
	struct aras_mailer *m = NULL;
	struct aras_alert a;
	long long longest = 0, t;

	if (aras_mailer_new(&m, &conf) < 0)
		return 1;
	for (unsigned i = 1; i <= count; i++) {
		fill_alert(&a, argc > 6 ? argv[6] : NULL, i);
		t = now_ms();
		if (aras_mailer_send(m, &a) < 0)
			failed++; /* refused: ours to count, as arasd does */
		if (now_ms() - t > longest)
			longest = now_ms() - t;
	}
	while (sent + failed < count) {
		fd_set r, w, e;
		int maxfd = 0;
		struct timeval tv = { 1, 0 }; /* arasd's idle tick */

		FD_ZERO(&r);
		FD_ZERO(&w);
		FD_ZERO(&e);
		t = now_ms();
		aras_mailer_prepare(m, &maxfd, &r, &w, &e, &tv);
		if (now_ms() - t > longest)
			longest = now_ms() - t;
		if (select(maxfd, &r, &w, &e, &tv) < 0 && errno != EINTR) {
			perror("select");
			break;
		}
		t = now_ms();
		aras_mailer_process(m, &sent, &failed);
		if (now_ms() - t > longest)
			longest = now_ms() - t;
	}
	printf("sent=%u failed=%u\n", sent, failed);
	fflush(stdout);
	fprintf(stderr, "notify_drive: longest loop call %lld ms\n", longest);
	aras_mailer_free(m);
	return 0;
}

static int drive_script(char **argv)
{
	unsigned timeout = parse_uint(argv[3], "TIMEOUT"), ok = 0, failed = 0;
	struct aras_scripts *s = NULL;
	struct aras_alert a;
	const char *dbg = getenv("NOTIFY_DEBUG");
	int leak = open("/dev/null", O_RDONLY);

	/* an fd arasd might hold without close-on-exec (net-snmp, libvirt) */
	if (leak >= 0 && leak != 42) {
		dup2(leak, 42);
		close(leak);
	}
	if (aras_scripts_new(&s, argv[2], timeout) < 0)
		return 1;
	aras_scripts_set_debug(s, dbg && strcmp(dbg, "1") == 0);
	fill_alert(&a, argv[4], 1);
	if (aras_scripts_run(s, &a) < 0)
		failed++; /* refused: ours to count, as arasd does */
	while (ok + failed < 1) {
		struct timeval tv = { 1, 0 };

		aras_scripts_prepare(s, &tv);
		if (select(0, NULL, NULL, NULL, &tv) < 0 && errno != EINTR) {
			perror("select");
			break;
		}
		aras_scripts_reap(s, &ok, &failed);
	}
	printf("ok=%u failed=%u\n", ok, failed);
	aras_scripts_free(s);
	return 0;
}

int main(int argc, char **argv)
{
	aras_log_init("notify_drive", 1, LOG_DEBUG);
	if (argc >= 6 && argc <= 7 && strcmp(argv[1], "mail") == 0)
		return drive_mail(argv, argc);
	if (argc == 5 && strcmp(argv[1], "script") == 0)
		return drive_script(argv);
	fprintf(stderr, "usage: notify_drive mail URL FROM TO COUNT [VMNAME]\n"
			"       notify_drive script PATH TIMEOUT VMNAME\n");
	return 2;
}
