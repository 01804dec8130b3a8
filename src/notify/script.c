/*
 * script.c - the script adapter: owns the configured program path and the
 * table of running children (pid, deadline, exec-error pipe).
 *
 * Start: argv and envp are built in full before fork(); between fork() and
 * execve() the child only makes async-signal-safe calls (arasd has libvirt
 * worker threads, so nothing else is safe there).  No shell ever sees an
 * alert field: a VM named "a;rm -rf /" is one argv element.  Signals are
 * blocked around fork() so that no handler of ours runs in the child before
 * it has reset every disposition to the default.
 *
 * scriptUser: the user's uid, gid and groups are looked up once, before
 * any fork(); the child drops to them (setgroups, setgid, setuid: plain
 * system calls, safe after fork) before execve(), and a failed drop is
 * reported like a failed exec, never run with arasd's privileges.
 *
 * Exec failure: the child writes errno into a close-on-exec pipe and exits
 * 127; the pipe is read (non-blocking) only once the child is reaped, so
 * starting a script never waits for the child.
 */
#include "notify/script.h"

#include "util/log.h"
#include "counters.h"
#include "loop.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Log lines of this file say where they come from (util/log.h). */
static const char log_token[] = "script";

extern char **environ;

#define NENV 10 /* ARAS_* variables we set */

struct child {
	pid_t pid; /* 0: free slot */
	int errfd; /* read end of the exec-error pipe */
	int killed;
	struct timespec deadline;      /* CLOCK_MONOTONIC */
	char desc[ARAS_NAME_MAX + 40]; /* "breach of web1", for the log */
};

#define MAX_GROUPS 64 /* supplementary groups kept for scriptUser */

struct run_as {
	int on; /* 0: run as arasd itself */
	uid_t uid;
	gid_t gid;
	int ngroups;
	gid_t groups[MAX_GROUPS];
	char *env[3]; /* HOME=, USER=, LOGNAME= of that user */
};

struct aras_scripts {
	struct aras_counters *counters; /* loop side: scripts failed (aras_scripts_attach) */
	char *path;
	unsigned timeout_s;
	int debug;
	struct run_as as;
	unsigned nrun;
	struct child c[ARAS_SCRIPTS_MAX];
};

int aras_scripts_new(struct aras_scripts **out, const char *path, unsigned timeout_s)
{
	struct aras_scripts *s;

	*out = NULL;
	if (!path || path[0] != '/') {
		log_err("script: path must be absolute");
		return -ARAS_E_INVAL;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ARAS_E_NOMEM;
	s->path = strdup(path);
	if (!s->path) {
		free(s);
		return -ARAS_E_NOMEM;
	}
	s->timeout_s = timeout_s ? timeout_s : 60;
	if (access(path, X_OK) < 0)
		log_warn("script %s: not executable now (%s)", path, strerror(errno));
	*out = s;
	return 0;
}

static char *env_var(const char *name, const char *value);

static void run_as_clear(struct run_as *as)
{
	for (size_t i = 0; i < ARAS_ARRAY_SIZE(as->env); i++)
		free(as->env[i]);
	memset(as, 0, sizeof(*as));
}

int aras_scripts_set_user(struct aras_scripts *s, const char *user)
{
	struct passwd *pw;
	int n = MAX_GROUPS;

	run_as_clear(&s->as);
	if (!user)
		return 0;
	errno = 0;
	pw = getpwnam(user);
	if (!pw) {
		log_err("scriptUser %s: %s", user, errno ? strerror(errno) : "no such user");
		return -ARAS_E_INVAL;
	}
	if (pw->pw_uid == geteuid())
		return 0; /* already that user */
	if (geteuid() != 0) {
		log_warn("scriptUser %s ignored: arasd runs as uid %ld and cannot switch users; scripts run "
			 "as uid %ld",
			 user, (long)geteuid(), (long)geteuid());
		return 0;
	}
	if (getgrouplist(user, pw->pw_gid, s->as.groups, &n) < 0) {
		log_warn("scriptUser %s: more than %d groups, only the first %d kept", user, MAX_GROUPS,
			 MAX_GROUPS);
		n = MAX_GROUPS;
	}
	s->as.env[0] = env_var("HOME", pw->pw_dir);
	s->as.env[1] = env_var("USER", pw->pw_name);
	s->as.env[2] = env_var("LOGNAME", pw->pw_name);
	if (!s->as.env[0] || !s->as.env[1] || !s->as.env[2]) {
		run_as_clear(&s->as);
		return -ARAS_E_NOMEM;
	}
	s->as.on = 1;
	s->as.uid = pw->pw_uid;
	s->as.gid = pw->pw_gid;
	s->as.ngroups = n;
	log_info("scripts run as %s (uid %ld, gid %ld)", user, (long)pw->pw_uid, (long)pw->pw_gid);
	return 0;
}

void aras_scripts_set_debug(struct aras_scripts *s, int on)
{
	s->debug = on;
}

unsigned aras_scripts_running(const struct aras_scripts *s)
{
	return s ? s->nrun : 0;
}

/* Copy a fixed-size name field, which may lack its NUL. */
static void copy_field(char *dst, const char *src, size_t max)
{
	size_t n = strnlen(src, max - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* For the log: the alert's subject with control bytes replaced. */
static void describe(const struct aras_alert *a, char *buf, size_t n)
{
	char name[ARAS_NAME_MAX];

	copy_field(name, a->has_vm ? a->vm_name : a->host_name, ARAS_NAME_MAX);
	for (char *p = name; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	snprintf(buf, n, "%s of %s%s", aras_event_name(a->type), a->has_vm ? "" : "host ", name);
}

static int timespec_passed(const struct timespec *now, const struct timespec *t)
{
	return now->tv_sec > t->tv_sec || (now->tv_sec == t->tv_sec && now->tv_nsec >= t->tv_nsec);
}

/* "name=value" in a new string, or NULL. */
static char *env_var(const char *name, const char *value)
{
	size_t n = strlen(name) + strlen(value) + 2;
	char *v = malloc(n);

	if (v)
		snprintf(v, n, "%s=%s", name, value);
	return v;
}

static int is_user_var(const char *e)
{
	return strncmp(e, "HOME=", 5) == 0 || strncmp(e, "USER=", 5) == 0 || strncmp(e, "LOGNAME=", 8) == 0;
}

/*
 * Our environment minus ARAS_* (and, with scriptUser, minus HOME, USER
 * and LOGNAME, replaced by that user's), then vars[]; NULL on allocation
 * failure.
 */
static char **build_envp(char *const vars[NENV], const struct run_as *as)
{
	size_t n = 0, k = 0;
	char **envp;

	for (char **e = environ; e && *e; e++)
		n++;
	envp = calloc(n + NENV + ARAS_ARRAY_SIZE(as->env) + 1, sizeof(*envp));
	if (!envp)
		return NULL;
	for (char **e = environ; e && *e; e++)
		if (strncmp(*e, "ARAS_", 5) != 0 && !(as->on && is_user_var(*e)))
			envp[k++] = *e;
	for (size_t i = 0; as->on && i < ARAS_ARRAY_SIZE(as->env); i++)
		envp[k++] = as->env[i];
	for (size_t i = 0; i < NENV; i++)
		envp[k++] = vars[i];
	envp[k] = NULL;
	return envp;
}

/* An fd >= 3, close-on-exec, in place of fd (so dup2 onto 0-2 cannot hit it). */
static int fd_above_stdio(int fd)
{
	int nfd;

	if (fd > 2)
		return fd;
	nfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	close(fd);
	return nfd;
}

/* The child, between fork() and execve(): async-signal-safe calls only. */
static void __attribute__((noreturn))
child_exec(const char *path, char *const argv[], char *const envp[], int errw, int debug, long maxfd,
	   const struct sigaction *dfl, const sigset_t *empty, const struct run_as *as)
{
	int e, nul;

	setpgid(0, 0);
	/* groups first, the uid last: after setuid() the others are not ours to change */
	if (as->on &&
	    (setgroups((size_t)as->ngroups, as->groups) < 0 || setgid(as->gid) < 0 || setuid(as->uid) < 0))
		goto fail;
	/* arasd ignores SIGPIPE, and ignored dispositions survive execve;
	 * handlers would too until execve, with our signals blocked till then */
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, dfl, NULL);
	nul = open("/dev/null", O_RDWR);
	if (nul < 0)
		goto fail;
	if (dup2(nul, 0) < 0 || dup2(debug ? 2 : nul, 1) < 0 || (!debug && dup2(nul, 2) < 0))
		goto fail;
	if (nul > 2 && nul != errw)
		close(nul);
	/* keep only 0-2 and errw (close-on-exec itself) */
	if (errw > 3 && close_range(3, (unsigned)errw - 1, 0) < 0)
		for (long fd = 3; fd < errw; fd++)
			close((int)fd);
	if (close_range((unsigned)errw + 1, ~0U, 0) < 0)
		for (long fd = errw + 1; fd < maxfd; fd++)
			close((int)fd);
	sigprocmask(SIG_SETMASK, empty, NULL);
	execve(path, argv, envp);
fail:
	e = errno;
	if (write(errw, &e, sizeof(e)) != (ssize_t)sizeof(e))
		_exit(126); /* nothing left to tell anyone */
	_exit(127);
}

/* The alert as the child sees it: its arguments and ARAS_* variables. */
struct script_args {
	char event[32], name[ARAS_NAME_MAX], uuid[ARAS_UUID_STRLEN], host[ARAS_NAME_MAX];
	char hindex[16], value[16], threshold[16], when[80], text[ARAS_ERRTEXT_MAX];
	char *vars[NENV];
	char *argv[9];
};

/* Everything the child needs, built before fork(): 0 or -ARAS_E_NOMEM. */
static int script_args(struct script_args *x, const char *path, const struct aras_alert *a)
{
	struct tm tm;

	memset(x, 0, sizeof(*x));
	snprintf(x->event, sizeof(x->event), "%s", aras_event_name(a->type));
	if (a->has_vm) {
		copy_field(x->name, a->vm_name, ARAS_NAME_MAX);
		aras_uuid_format(a->uuid, x->uuid);
	}
	copy_field(x->host, a->host_name, ARAS_NAME_MAX);
	copy_field(x->text, a->text, ARAS_ERRTEXT_MAX);
	snprintf(x->hindex, sizeof(x->hindex), "%u", a->host_index);
	snprintf(x->value, sizeof(x->value), "%u", a->value);
	snprintf(x->threshold, sizeof(x->threshold), "%u", a->threshold);
	if (gmtime_r(&a->when, &tm))
		snprintf(x->when, sizeof(x->when), "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	x->vars[0] = env_var("ARAS_EVENT", x->event);
	x->vars[1] = env_var("ARAS_VM_NAME", x->name);
	x->vars[2] = env_var("ARAS_VM_UUID", x->uuid);
	x->vars[3] = env_var("ARAS_HOST", x->host);
	x->vars[4] = env_var("ARAS_HOST_INDEX", x->hindex);
	x->vars[5] = env_var("ARAS_RESOURCE", aras_resource_name(a->resource));
	x->vars[6] = env_var("ARAS_VALUE", x->value);
	x->vars[7] = env_var("ARAS_THRESHOLD", x->threshold);
	x->vars[8] = env_var("ARAS_TEXT", x->text);
	x->vars[9] = env_var("ARAS_TIME", x->when);
	for (size_t i = 0; i < NENV; i++)
		if (!x->vars[i])
			return -ARAS_E_NOMEM;
	x->argv[0] = (char *)path;
	x->argv[1] = x->event;
	x->argv[2] = x->name;
	x->argv[3] = x->uuid;
	x->argv[4] = x->host;
	x->argv[5] = (char *)aras_resource_name(a->resource);
	x->argv[6] = x->value;
	x->argv[7] = x->threshold;
	x->argv[8] = NULL;
	return 0;
}

static void script_args_free(struct script_args *x)
{
	for (size_t i = 0; i < NENV; i++)
		free(x->vars[i]);
}

/*
 * fork + exec into slot c, its stderr on a pipe the loop drains: 0 or
 * -ARAS_E_IO (logged).  Signals are blocked around fork() so the child
 * starts with none of ours pending or handled.
 */
static int spawn(struct aras_scripts *s, struct child *c, char **argv, char **envp)
{
	int pfd[2] = { -1, -1 }, rc = -ARAS_E_IO, blocked = 0;
	long maxfd = sysconf(_SC_OPEN_MAX);
	struct sigaction dfl;
	sigset_t all, old, empty;
	pid_t pid;

	if (maxfd < 0 || maxfd > 65536)
		maxfd = 65536;
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		log_warn("script %s (%s) not run: pipe: %s", s->path, c->desc, strerror(errno));
		return rc;
	}
	pfd[0] = fd_above_stdio(pfd[0]);
	pfd[1] = fd_above_stdio(pfd[1]);
	if (pfd[0] < 0 || pfd[1] < 0 || fcntl(pfd[0], F_SETFL, O_NONBLOCK) < 0) {
		log_warn("script %s (%s) not run: %s", s->path, c->desc, strerror(errno));
		goto cleanup;
	}
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigfillset(&all);
	sigemptyset(&empty);
	blocked = pthread_sigmask(SIG_SETMASK, &all, &old) == 0;
	pid = fork();
	if (pid == 0)
		child_exec(s->path, argv, envp, pfd[1], s->debug, maxfd, &dfl, &empty, &s->as);
	if (pid < 0) {
		log_warn("script %s (%s) not run: fork: %s", s->path, c->desc, strerror(errno));
		goto cleanup;
	}
	/* also here: kill(-pid) must find the group even before the child ran */
	setpgid(pid, pid);
	c->pid = pid;
	c->errfd = pfd[0];
	pfd[0] = -1;
	c->killed = 0;
	clock_gettime(CLOCK_MONOTONIC, &c->deadline);
	c->deadline.tv_sec += s->timeout_s;
	s->nrun++;
	rc = 0;
cleanup:
	if (blocked)
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (pfd[0] >= 0)
		close(pfd[0]);
	if (pfd[1] >= 0)
		close(pfd[1]);
	return rc;
}

int aras_scripts_run(struct aras_scripts *s, const struct aras_alert *a)
{
	struct script_args x;
	struct child *c = NULL;
	char **envp = NULL;
	int rc;

	for (size_t i = 0; i < ARAS_SCRIPTS_MAX && !c; i++)
		if (!s->c[i].pid)
			c = &s->c[i];
	if (!c) {
		char desc[ARAS_NAME_MAX + 40];

		describe(a, desc, sizeof(desc));
		log_warn("script %s (%s) not run: %u scripts still running", s->path, desc, s->nrun);
		return -ARAS_E_BUSY;
	}
	rc = script_args(&x, s->path, a);
	if (rc == 0 && !(envp = build_envp(x.vars, &s->as)))
		rc = -ARAS_E_NOMEM;
	if (rc == 0) {
		describe(a, c->desc, sizeof(c->desc));
		rc = spawn(s, c, x.argv, envp);
	}
	if (rc == -ARAS_E_NOMEM)
		log_warn("script %s not run: out of memory", s->path);
	if (rc < 0)
		c->desc[0] = '\0';
	free(envp);
	script_args_free(&x);
	return rc;
}

/* The child c was reaped with status st: count and log it, free the slot. */
static void finish(struct aras_scripts *s, struct child *c, int st, unsigned *ok, unsigned *failed)
{
	int e = 0;
	ssize_t n = read(c->errfd, &e, sizeof(e));

	if (n == (ssize_t)sizeof(e)) {
		log_warn("script %s (%s) failed: cannot execute: %s", s->path, c->desc, strerror(e));
		(*failed)++;
	} else if (c->killed) {
		log_warn("script %s (%s) failed: still running after %u s, killed with its process group",
			 s->path, c->desc, s->timeout_s);
		(*failed)++;
	} else if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		(*ok)++;
	} else if (WIFEXITED(st)) {
		log_warn("script %s (%s) failed: exit status %d", s->path, c->desc, WEXITSTATUS(st));
		(*failed)++;
	} else {
		log_warn("script %s (%s) failed: killed by signal %d (%s)", s->path, c->desc, WTERMSIG(st),
			 strsignal(WTERMSIG(st)));
		(*failed)++;
	}
	close(c->errfd);
	memset(c, 0, sizeof(*c));
	s->nrun--;
}

void aras_scripts_reap(struct aras_scripts *s, unsigned *ok, unsigned *failed)
{
	struct timespec now;

	if (!s || !s->nrun)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	for (size_t i = 0; i < ARAS_SCRIPTS_MAX; i++) {
		struct child *c = &s->c[i];
		int st = 0;
		pid_t r;

		if (!c->pid)
			continue;
		r = waitpid(c->pid, &st, WNOHANG);
		if (r == c->pid) {
			finish(s, c, st, ok, failed);
		} else if (r == 0) {
			if (!c->killed && timespec_passed(&now, &c->deadline)) {
				/* the leader is not reaped yet, so its pgid cannot
				 * have been reused: the group is still ours */
				kill(-c->pid, SIGKILL);
				kill(c->pid, SIGKILL);
				c->killed = 1;
				r = waitpid(c->pid, &st, WNOHANG);
				if (r == c->pid)
					finish(s, c, st, ok, failed);
			}
		} else if (errno != EINTR) {
			/* ECHILD: someone set SIGCHLD to SIG_IGN or reaped it */
			log_warn("script %s (%s): lost track of pid %ld: %s", s->path, c->desc, (long)c->pid,
				 strerror(errno));
			close(c->errfd);
			memset(c, 0, sizeof(*c));
			s->nrun--;
			(*failed)++;
		}
	}
}

void aras_scripts_prepare(struct aras_scripts *s, struct timeval *tv)
{
	struct timespec now;
	long long best = -1;

	if (!s || !s->nrun)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	for (size_t i = 0; i < ARAS_SCRIPTS_MAX; i++) {
		const struct child *c = &s->c[i];
		long long us;

		if (!c->pid)
			continue;
		if (c->killed) {
			us = 10000; /* SIGKILLed: reap it as soon as it is gone */
		} else {
			us = (long long)(c->deadline.tv_sec - now.tv_sec) * 1000000 +
			     (c->deadline.tv_nsec - now.tv_nsec) / 1000;
			if (us < 0)
				us = 0;
		}
		if (best < 0 || us < best)
			best = us;
	}
	if (best >= 0 && best < (long long)tv->tv_sec * 1000000 + tv->tv_usec) {
		tv->tv_sec = (time_t)(best / 1000000);
		tv->tv_usec = (suseconds_t)(best % 1000000);
	}
}

void aras_scripts_free(struct aras_scripts *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < ARAS_SCRIPTS_MAX; i++) {
		struct child *c = &s->c[i];

		if (!c->pid)
			continue;
		kill(-c->pid, SIGKILL);
		kill(c->pid, SIGKILL);
		/* blocks only until the SIGKILLed child is gone; at shutdown */
		while (waitpid(c->pid, NULL, 0) < 0 && errno == EINTR)
			;
		close(c->errfd);
	}
	run_as_clear(&s->as);
	free(s->path);
	free(s);
}

/* The loop's source (loop.h): no descriptor, a deadline; children reaped by polling every turn. */
static void scripts_prepare(void *arg, int *maxfd, fd_set *rd, fd_set *wr, fd_set *ex, int *timeout_ms)
{
	struct timeval tv = aras_loop_tv(*timeout_ms);

	(void)maxfd;
	(void)rd;
	(void)wr;
	(void)ex;
	aras_scripts_prepare(arg, &tv);
	aras_loop_lower(timeout_ms, &tv);
}

static void scripts_dispatch(void *arg, int nready, fd_set *rd, fd_set *wr, fd_set *ex)
{
	struct aras_scripts *s = arg;
	unsigned ok = 0, bad = 0;

	(void)nready;
	(void)rd;
	(void)wr;
	(void)ex;
	/* waitpid WNOHANG every turn: a child's end wakes nobody, the deadline bounds the wait */
	aras_scripts_reap(s, &ok, &bad);
	aras_counters_script(s->counters, 0, bad);
}

int aras_scripts_attach(struct aras_scripts *s, struct aras_loop *l, struct aras_counters *counters)
{
	struct aras_loop_source src = { s, scripts_prepare, scripts_dispatch };

	s->counters = counters;
	return aras_loop_add_source(l, &src);
}
