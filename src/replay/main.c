/*
 * main.c - arasd-replay: options, the runs of each policy on the same
 * trace and cluster, and the output (table, CSV, action log, plot).
 * See src/replay/README.md and arasd-replay --help.
 */
#include "cluster.h"
#include "policy.h"
#include "sim.h"
#include "trace.h"

#include "core/settings.h"
#include "core/state.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define MAX_POLICIES 8

enum pol_kind { POL_NONE, POL_ARAS, POL_THR, POL_LR, POL_MAD, POL_DRS };

struct opts {
	const char *trace;
	int format;
	unsigned step_s, poll_s;
	size_t steps, nvms;
	struct aras_cluster_opts cl;
	int policies[MAX_POLICIES + 1]; /* + arasNR (rules) */
	size_t npolicies;
	const char *config;
	const char *rules;
	unsigned long anti_pairs, seed;
	double thr, drs_target;
	int kick;
	unsigned pingpong_s;
	double mig_cost;
	const char *csv, *plot, *log, *events;
	int table, timing, quiet;
};

struct result {
	const char *name;
	struct aras_sim_metrics m;
	double wall_ms;
	float *util;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: arasd-replay [OPTIONS] TRACE\n"
		"\n"
		"Replay a recorded utilisation trace through a simulated cluster, once per\n"
		"policy (same trace, same cluster, same start), and report what happened:\n"
		"host time at 100 %% CPU, CPU demand not served, migrations, vertical actions,\n"
		"ping-pong.  The 'aras' policy is arasd's own core (SLA engine, allocation\n"
		"controller, placement); 'thr', 'lr' and 'mad' are THR-MMT-0.8, LR-MMT-1.2\n"
		"and MAD-MMT-2.5 of Beloglazov & Buyya 2012; 'drs' a DRS-like balancer;\n"
		"'none' never acts.  Results are deterministic.\n"
		"\n"
		"TRACE (format guessed, or -f):\n"
		"  planetlab   a file of lines 'NAME<TAB>U1 U2 ...': CPU %% of the VM's capacity\n"
		"              every 300 s (../shared/traces/planetlab/YYYYMMDD.tsv)\n"
		"  bitbrains   a directory of GWA-T-12 vmN.csv files, or one file\n"
		"  history     an arasd historyFile: 'T_UNIX HOST_INDEX UUID CPU_PCT VCPUS\n"
		"              MEM_CUR_KIB MEM_USAGE_PCT IO_PCT' per VM per poll\n"
		"\n"
		"Policies and time:\n"
		"  -p, --policies LIST    comma-separated: none,aras,thr,lr,mad,drs (default:\n"
		"                         all of them)\n"
		"  -f, --format FMT       planetlab | bitbrains | history\n"
		"      --steps N          replay only the first N steps\n"
		"      --vms N            replay only the first N VMs (in trace order)\n"
		"      --step S           history: bucket width in seconds (default 300)\n"
		"      --poll S           how often the policies see a sample (default: the\n"
		"                         trace step, 300 s: the paper's scheduling interval)\n"
		"\n"
		"Cluster (defaults depend on the trace format, see src/replay/README.md):\n"
		"  -C, --cluster FILE     host kinds, VM types and placement from a file\n"
		"      --hosts N          number of hosts\n"
		"      --vms-per-host K   or ceil(VMs / K) hosts\n"
		"      --util PCT         or (default) as many as give a mean CPU utilisation\n"
		"                         of PCT over the trace (default %d; history: the\n"
		"                         highest recorded HOST_INDEX)\n"
		"      --host-cores C     cores per host (planetlab: the paper's 2; else 32)\n"
		"      --host-mhz S       MHz per core (planetlab: 1860 and 2660 alternating;\n"
		"                         else 2600)\n"
		"      --host-mem MIB     memory per host (planetlab: 32768; else 1048576)\n"
		"      --vcpus N|half     vCPUs of every VM at start, or half the default\n"
		"                         (planetlab: 1; bitbrains: as provisioned; history:\n"
		"                         as recorded)\n"
		"      --vcpus-max N      at most (planetlab: 4; else twice the provisioned\n"
		"                         or recorded vCPUs)\n"
		"      --bandwidth MBIT   migration link (default 1000): a migration takes\n"
		"                         memory / (bandwidth / 2)\n"
		"      --mig-cost PCT     CPU a VM loses while it migrates (default 10)\n"
		"      --mem-use PCT      guest memory in use when the trace has none (50)\n"
		"\n"
		"aras:\n"
		"  -c, --config FILE      read settings from an arasd.conf (cpuThreshold,\n"
		"                         holdTime, policy, cooldown, maxMigrations, ...);\n"
		"                         other lines are ignored\n"
		"  -s, --set TOKEN=VALUE  set one setting (after -c; repeatable)\n"
		"                         Without them: arasd's defaults with policy automatic.\n"
		"                         The allocate action is always on.\n"
		"      --no-kick          no extra poll and decision round when a migration\n"
		"                         ends (arasd does one)\n"
		"thr, lr, mad:\n"
		"      --thr PCT          host overload threshold (default 80; lr and mad use it\n"
		"                         until a host has 10 / 12 samples of history)\n"
		"drs:\n"
		"      --drs-target PCT   balance while the standard deviation of the hosts'\n"
		"                         CPU load is above PCT (default 10)\n"
		"\n"
		"Output:\n"
		"      --csv FILE         CSV, one line per policy ('-': standard output)\n"
		"      --no-table         no table on standard output\n"
		"      --timing           add the replay's wall time (ms) to the CSV (not\n"
		"                         deterministic)\n"
		"      --log FILE         every action: T_S POLICY KIND VM FROM TO AMOUNT REASON\n"
		"      --events FILE      aras's event log, every row: T_S POLICY TYPE VM HOST\n"
		"                         TEXT (T_S: simulated seconds since the start, as\n"
		"                         in --log; the same input gives the same file)\n"
		"      --plot FILE.png    per-host CPU utilisation over time (needs gnuplot)\n"
		"      --pingpong-window S  a move back to a host left within S seconds is a\n"
		"                         ping-pong (default 3600)\n"
		"      --rules FILE       placement rules for aras: 'group NAME RULE [HOSTS|-]'\n"
		"                         and 'vm VMNAME|UUID group NAME' lines (the state\n"
		"                         file's syntax, VMs also by trace name); aras runs\n"
		"                         with and without them (arasNR) and the cost is shown\n"
		"      --anti-affinity N  N random anti-affinity pairs of VMs that start on\n"
		"                         different hosts (groups aa1..aaN), as --rules\n"
		"      --seed S           seed of --anti-affinity (default 1)\n"
		"  -q, --quiet            no header above the table\n"
		"  -h, --help\n",
		ARAS_CL_DEF_UTIL);
}

static int parse_unsigned(const char *s, unsigned long lo, unsigned long hi, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	return (isdigit((unsigned char)s[0]) && *end == '\0' && !errno && *out >= lo && *out <= hi) ? 0 : -1;
}

static int parse_double(const char *s, double lo, double hi, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return (end != s && *end == '\0' && !errno && *out >= lo && *out <= hi) ? 0 : -1;
}

static int set_setting(struct aras_state *st, const char *token, const char *value, const char *where)
{
	char why[ARAS_ERRTEXT_MAX];
	int id = aras_settings_by_token(token);
	uint32_t v;

	if (id < 0) {
		fprintf(stderr, "arasd-replay: %s: unknown setting '%s'\n", where, token);
		return -1;
	}
	if (aras_settings_parse(id, value, &v, why, sizeof(why)) < 0) {
		fprintf(stderr, "arasd-replay: %s: %s\n", where, why);
		return -1;
	}
	st->settings.v[id] = v;
	return 0;
}

/* Settings from an arasd.conf: "token value" lines; non-settings ignored. */
static int read_config(struct aras_state *st, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	unsigned lineno = 0;
	int rc = 0;

	if (!f) {
		fprintf(stderr, "arasd-replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *tok, *val, *e, where[1100];

		lineno++;
		while (isspace((unsigned char)*p))
			p++;
		if (!*p || *p == '#')
			continue;
		tok = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		if (*p)
			*p++ = '\0';
		while (isspace((unsigned char)*p))
			p++;
		val = p;
		e = val + strlen(val);
		while (e > val && isspace((unsigned char)e[-1]))
			*--e = '\0';
		if (aras_settings_by_token(tok) < 0)
			continue; /* host, agentxSocket, mail...: not for the replay */
		snprintf(where, sizeof(where), "%s:%u", path, lineno);
		if (set_setting(st, tok, val, where) < 0)
			rc = -1;
	}
	fclose(f);
	return rc;
}

static int parse_policies(const char *s, struct opts *o)
{
	char buf[256], *save = NULL, *w;

	snprintf(buf, sizeof(buf), "%s", s);
	o->npolicies = 0;
	for (w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		int k;

		if (strcasecmp(w, "none") == 0)
			k = POL_NONE;
		else if (strcasecmp(w, "aras") == 0)
			k = POL_ARAS;
		else if (strcasecmp(w, "thr") == 0)
			k = POL_THR;
		else if (strcasecmp(w, "lr") == 0)
			k = POL_LR;
		else if (strcasecmp(w, "mad") == 0)
			k = POL_MAD;
		else if (strcasecmp(w, "drs") == 0)
			k = POL_DRS;
		else
			return -1;
		if (o->npolicies == MAX_POLICIES)
			return -1;
		o->policies[o->npolicies++] = k;
	}
	return o->npolicies ? 0 : -1;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static double pct(double part, double whole)
{
	return whole > 0 ? 100.0 * part / whole : 0;
}

static void print_header(FILE *f, const struct opts *o, const struct aras_trace *t,
			 const struct aras_cluster *cl, const struct aras_state *st)
{
	char buf[64];
	size_t kinds = 0;

	fprintf(f, "trace     %s (%s): %zu VMs, %zu steps of %u s (%.1f h)\n", o->trace,
		aras_trace_format_name(t->format), t->nvms, t->nsteps, t->step_s,
		(double)t->nsteps * t->step_s / 3600.0);
	fprintf(f, "cluster   %zu hosts:", cl->nhosts);
	for (size_t h = 0; h < cl->nhosts; h++) {
		size_t n = 0, first = 1;

		for (size_t g = 0; g < h; g++)
			if (cl->hosts[g].cores == cl->hosts[h].cores &&
			    cl->hosts[g].core_mhz == cl->hosts[h].core_mhz &&
			    cl->hosts[g].mem_kib == cl->hosts[h].mem_kib)
				first = 0;
		if (!first)
			continue;
		for (size_t g = h; g < cl->nhosts; g++)
			if (cl->hosts[g].cores == cl->hosts[h].cores &&
			    cl->hosts[g].core_mhz == cl->hosts[h].core_mhz &&
			    cl->hosts[g].mem_kib == cl->hosts[h].mem_kib)
				n++;
		if (kinds++ < 4)
			fprintf(f, "%s %zu x (%u x %.0f MHz, %llu MiB)", kinds > 1 ? "," : "", n,
				cl->hosts[h].cores, cl->hosts[h].core_mhz,
				(unsigned long long)(cl->hosts[h].mem_kib / 1024));
	}
	fprintf(f, "%s; migration link %.0f Mbit/s\n", kinds > 4 ? ", ..." : "", cl->bandwidth_mbit);
	fprintf(f, "          hosts sized by %s\n", cl->sizing);
	fprintf(f, "VMs       %s\n", cl->vmsizes);
	fprintf(f, "placement %s\n", cl->placement);
	fprintf(f,
		"model     a VM gets min(demand, vCPUs x core MHz); an overcommitted host shares\n"
		"          pro rata; a migration takes memory / (bandwidth / 2) and costs the VM\n"
		"          %.0f%% of its CPU meanwhile; policies poll every %u s\n",
		o->mig_cost * 100, o->poll_s ? o->poll_s : t->step_s);
	fprintf(f, "aras      arasd core;");
	for (int id = 0; id < ARAS_S_COUNT; id++) {
		static const int shown[] = { ARAS_S_POLICY,
					     ARAS_S_CPU_THRESHOLD,
					     ARAS_S_MEM_THRESHOLD,
					     ARAS_S_DISK_THRESHOLD,
					     ARAS_S_HOLD_TIME,
					     ARAS_S_CLEAR_MARGIN,
					     ARAS_S_ACTIONS,
					     ARAS_S_HOST_CPU_HIGH,
					     ARAS_S_HOST_MEM_FREE_MIN,
					     ARAS_S_HOST_DISK_LOW,
					     ARAS_S_DISK_IO_CAPACITY,
					     ARAS_S_COOLDOWN,
					     ARAS_S_MAX_MIGRATIONS,
					     ARAS_S_MAX_MIGRATIONS_PER_HOST,
					     ARAS_S_MEM_STEP };
		int show = 0;

		for (size_t k = 0; k < ARAS_ARRAY_SIZE(shown); k++)
			show |= shown[k] == id;
		if (!show)
			continue;
		aras_settings_format(id, st->settings.v[id], buf, sizeof(buf));
		fprintf(f, "%s%s %s",
			id == ARAS_S_POLICY        ? " " :
			id == ARAS_S_HOST_CPU_HIGH ? "\n          " :
						     ", ",
			aras_setting_defs[id].token, buf);
	}
	fprintf(f, "; poll after a migration ends: %s\n", o->kick ? "yes" : "no");
	fprintf(f,
		"thr       Beloglazov & Buyya 2012 THR-MMT: host overloaded above %.0f%% CPU; VMs with\n"
		"          the least memory leave first; best fit decreasing onto hosts that stay at\n"
		"          or below %.0f%% and have the memory; no cap on migrations; no underload step\n"
		"lr, mad   the same paper's LR-MMT-1.2 (loess over 10 samples, overloaded when 1.2 x\n"
		"          the prediction >= 100%%) and MAD-MMT-2.5 (overloaded above 1 - 2.5 x MAD)\n"
		"drs       DRS-like: while the sd of host loads > %.0f%%, the move that lowers it most\n"
		"          (at least 0.1 point, pays for its migration); 4 migrations per host\n",
		o->thr * 100, o->thr * 100, o->drs_target * 100);
	fprintf(f,
		"metrics   SLATAH = mean over active hosts of time at 100%% CPU / active time;\n"
		"          unserved = CPU demand not served / demand (vm-size: beyond the VM's\n"
		"          vCPUs; contention: host full; migration: lost while migrating);\n"
		"          ping-pong = back to a host left within %u s\n\n",
		o->pingpong_s);
}

static void print_table(FILE *f, const struct result *r, size_t n)
{
	fprintf(f, "%-6s %8s %9s %8s %8s %8s %6s %8s %9s %8s %9s %7s %8s %9s\n", "policy", "SLATAH%",
		"unserved%", "vm-size", "content.", "migr.", "migr", "vertical", "ping-pong", "peak-mig",
		"no-target", "alerts", "host-h", "time-ms");
	for (size_t i = 0; i < n; i++) {
		const struct aras_sim_metrics *m = &r[i].m;

		fprintf(f, "%-6s %8.3f %9.4f %8.4f %8.4f %8.4f %6lu %8lu %9lu %8lu %9lu %7lu %8.1f %9.1f\n",
			r[i].name, 100 * m->slatah, pct(m->demand - m->served, m->demand),
			pct(m->unserved_vmsize, m->demand), pct(m->unserved_contention, m->demand),
			pct(m->unserved_migration, m->demand), m->migrations, m->vertical, m->pingpong,
			m->peak_migrations, m->no_target, m->alerts, m->host_hours, r[i].wall_ms);
	}
}

/* What the placement rules cost: aras with them against the same run without (arasNR). */
static void print_rules_cost(FILE *f, const struct aras_state *st, unsigned long pairs,
			     const struct result *with, const struct result *without)
{
	const struct aras_sim_metrics *a = &with->m, *b = &without->m;
	unsigned members = 0;

	for (size_t i = 0; i < st->nprefs; i++)
		members += st->prefs[i].group[0] != 0;
	fprintf(f, "rules     %zu groups (%lu random anti-affinity pairs), %u member VMs\n", st->ngroups,
		pairs, members);
	fprintf(f, "rule violations (VM-polls, most at once): with rules %lu, %lu; without %lu, %lu\n",
		a->rule_violations, a->rule_violations_max, b->rule_violations, b->rule_violations_max);
	fprintf(f,
		"rules cost: SLATAH %+.3f points (%.3f -> %.3f), unserved %+.4f points (%.4f -> %.4f), "
		"migrations %+ld (%lu -> %lu)\n",
		100 * (a->slatah - b->slatah), 100 * b->slatah, 100 * a->slatah,
		pct(a->demand - a->served, a->demand) - pct(b->demand - b->served, b->demand),
		pct(b->demand - b->served, b->demand), pct(a->demand - a->served, a->demand),
		(long)a->migrations - (long)b->migrations, b->migrations, a->migrations);
}

static int write_csv(const char *path, const struct opts *o, const struct aras_trace *t,
		     const struct aras_cluster *cl, const struct result *r, size_t n)
{
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");

	if (!f) {
		fprintf(stderr, "arasd-replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(f,
		"trace,format,vms,hosts,steps,policy,slatah_pct,unserved_pct,unserved_vmsize_pct,"
		"unserved_contention_pct,unserved_migration_pct,migrations,migrations_failed,vertical,vcpu_"
		"adds,"
		"mem_grows,disk_adds,pingpong,peak_migrations,no_target,alerts,host_hours%s\n",
		o->timing ? ",replay_ms" : "");
	for (size_t i = 0; i < n; i++) {
		const struct aras_sim_metrics *m = &r[i].m;
		const char *base = strrchr(o->trace, '/');

		/* the trace's own name (a directory's last part): same CSV wherever it lies */
		if (base && base[1] == '\0') {
			const char *b2 = base;

			while (b2 > o->trace && b2[-1] != '/')
				b2--;
			fprintf(f, "%.*s", (int)(base - b2), b2);
		} else {
			fprintf(f, "%s", base ? base + 1 : o->trace);
		}
		fprintf(f,
			",%s,%zu,%zu,%zu,%s,%.4f,%.4f,%.4f,%.4f,%.4f,%lu,%lu,%lu,%lu,%lu,%lu,%lu,%lu,%lu,%lu,"
			"%.2f",
			aras_trace_format_name(t->format), t->nvms, cl->nhosts, t->nsteps, r[i].name,
			100 * m->slatah, pct(m->demand - m->served, m->demand),
			pct(m->unserved_vmsize, m->demand), pct(m->unserved_contention, m->demand),
			pct(m->unserved_migration, m->demand), m->migrations, m->migrations_failed,
			m->vertical, m->vcpu_adds, m->mem_grows, m->disk_adds, m->pingpong,
			m->peak_migrations, m->no_target, m->alerts, m->host_hours);
		if (o->timing)
			fprintf(f, ",%.1f", r[i].wall_ms);
		fputc('\n', f);
	}
	if (f != stdout && fclose(f) != 0) {
		fprintf(stderr, "arasd-replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (f == stdout)
		fflush(f);
	return 0;
}

/* Heat map per policy: x = hours, y = host, colour = CPU utilisation. */
static int write_plot(const char *png, const struct aras_trace *t, const struct aras_cluster *cl,
		      const struct result *r, size_t n)
{
	FILE *g;
	int rc;

	if (system("command -v gnuplot >/dev/null 2>&1") != 0) {
		fprintf(stderr, "arasd-replay: --plot needs gnuplot (Debian: apt-get install gnuplot-nox); "
				"no plot\n");
		return -1;
	}
	g = popen("gnuplot", "w");
	if (!g) {
		fprintf(stderr, "arasd-replay: cannot run gnuplot: %s\n", strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		fprintf(g, "$d%zu << EOD\n", i);
		for (size_t h = 0; h < cl->nhosts; h++) {
			for (size_t k = 0; k < t->nsteps; k++)
				fprintf(g, "%s%.1f", k ? " " : "",
					r[i].util ? 100.0 * r[i].util[h * t->nsteps + k] : 0.0);
			fputc('\n', g);
		}
		fprintf(g, "EOD\n");
	}
	fprintf(g, "set terminal pngcairo size 1200,%zu font ',9'\n", 300 * n + 60);
	fprintf(g, "set output '%s'\n", png);
	fprintf(g, "set multiplot layout %zu,1\n", n);
	fprintf(g, "set cbrange [0:100]\nset cblabel 'CPU %%'\nset xlabel 'hours'\nset ylabel 'host'\n");
	fprintf(g, "set palette defined (0 'white', 50 '#4a90d9', 80 '#f0a030', 100 '#c00000')\n");
	fprintf(g, "set xrange [0:%g]\nset yrange [0.5:%zu.5]\n", (double)t->nsteps * t->step_s / 3600.0,
		cl->nhosts);
	for (size_t i = 0; i < n; i++) {
		fprintf(g, "set title '%s: per-host CPU utilisation'\n", r[i].name);
		fprintf(g, "plot $d%zu matrix using (($1+0.5)*%g):($2+1):3 with image notitle\n", i,
			t->step_s / 3600.0);
	}
	fprintf(g, "unset multiplot\n");
	rc = pclose(g);
	if (rc != 0) {
		fprintf(stderr, "arasd-replay: gnuplot failed (status %d)\n", rc);
		return -1;
	}
	return 0;
}

/*
 * --rules FILE: the state file's group lines, and memberships whose VM may
 * be named as in the trace ('vm db1 group g'): rewritten to UUIDs, then
 * parsed (and checked) by aras_state_parse.
 */
static int load_rules(const char *path, const struct aras_trace *t, struct aras_state *st)
{
	FILE *f = fopen(path, "r");
	char line[1100], *buf = NULL, why[512];
	size_t len = 0, cap = 0;
	unsigned lineno = 0;
	int rc = -1;

	if (!f) {
		fprintf(stderr, "arasd-replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char copy[sizeof(line)], out[sizeof(line) + 64], *save = NULL, *w[4];
		size_t n = 0, ol;
		uint8_t u[ARAS_UUID_LEN];

		lineno++;
		snprintf(copy, sizeof(copy), "%s", line);
		for (char *x = strtok_r(copy, " \t\r\n", &save); x && n < 4;
		     x = strtok_r(NULL, " \t\r\n", &save))
			w[n++] = x;
		snprintf(out, sizeof(out), "%s", line);
		if (n == 4 && strcmp(w[0], "vm") == 0 && strcmp(w[2], "group") == 0 &&
		    aras_uuid_parse(w[1], u) < 0) {
			size_t k;

			for (k = 0; k < t->nvms && strcmp(t->vms[k].name, w[1]) != 0; k++)
				;
			if (k == t->nvms) {
				fprintf(stderr, "arasd-replay: %s:%u: no VM named '%s' in the trace\n", path,
					lineno, w[1]);
				goto out;
			}
			char us[ARAS_UUID_STRLEN];

			aras_uuid_format(t->vms[k].uuid, us);
			snprintf(out, sizeof(out), "vm %s group %s\n", us, w[3]);
		}
		ol = strlen(out);
		if (len + ol + 1 > cap) {
			char *nb = realloc(buf, cap = (len + ol + 1) * 2);

			if (!nb)
				goto out;
			buf = nb;
		}
		memcpy(buf + len, out, ol);
		len += ol;
	}
	if (aras_state_parse(st, buf ? buf : "", len, path, why, sizeof(why)) < 0) {
		fprintf(stderr, "arasd-replay: %s\n", why);
		goto out;
	}
	rc = 0;
out:
	free(buf);
	fclose(f);
	return rc;
}

/*
 * --anti-affinity N: N pairs of VMs not yet in a group that start on
 * different hosts, each its own group aaK; a 64-bit LCG from seed, so the
 * same seed gives the same pairs.  How many pairs were made.
 */
static unsigned long random_pairs(const struct aras_trace *t, const struct aras_cluster *cl, unsigned long n,
				  unsigned long seed, struct aras_state *st)
{
	uint64_t x = seed * 6364136223846793005ull + 1442695040888963407ull;
	unsigned long made = 0;

	for (unsigned long tries = 0; made < n && tries < 100 * n + 1000 && t->nvms >= 2; tries++) {
		size_t a, b;
		struct aras_group g;

		x = x * 6364136223846793005ull + 1442695040888963407ull;
		a = (size_t)((x >> 33) % t->nvms);
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		b = (size_t)((x >> 33) % t->nvms);
		if (a == b || cl->vms[a].host == cl->vms[b].host ||
		    aras_state_vm_group(st, t->vms[a].uuid)[0] || aras_state_vm_group(st, t->vms[b].uuid)[0])
			continue;
		memset(&g, 0, sizeof(g));
		snprintf(g.name, sizeof(g.name), "aa%lu", made + 1);
		g.rule = ARAS_RULE_ANTI_AFFINITY;
		g.active = 1;
		if (aras_state_put_group(st, &g) < 0 ||
		    aras_state_set_vm_group(st, t->vms[a].uuid, g.name) < 0 ||
		    aras_state_set_vm_group(st, t->vms[b].uuid, g.name) < 0)
			break;
		made++;
	}
	return made;
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "policies", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'f' },
		{ "cluster", required_argument, NULL, 'C' },
		{ "config", required_argument, NULL, 'c' },
		{ "set", required_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "steps", required_argument, NULL, 1 },
		{ "step", required_argument, NULL, 2 },
		{ "poll", required_argument, NULL, 3 },
		{ "hosts", required_argument, NULL, 4 },
		{ "vms-per-host", required_argument, NULL, 5 },
		{ "host-cores", required_argument, NULL, 6 },
		{ "host-mhz", required_argument, NULL, 7 },
		{ "host-mem", required_argument, NULL, 8 },
		{ "vcpus", required_argument, NULL, 9 },
		{ "vcpus-max", required_argument, NULL, 10 },
		{ "bandwidth", required_argument, NULL, 11 },
		{ "mig-cost", required_argument, NULL, 12 },
		{ "mem-use", required_argument, NULL, 13 },
		{ "no-kick", no_argument, NULL, 14 },
		{ "thr", required_argument, NULL, 15 },
		{ "csv", required_argument, NULL, 16 },
		{ "no-table", no_argument, NULL, 17 },
		{ "timing", no_argument, NULL, 18 },
		{ "log", required_argument, NULL, 19 },
		{ "plot", required_argument, NULL, 20 },
		{ "pingpong-window", required_argument, NULL, 21 },
		{ "util", required_argument, NULL, 22 },
		{ "vms", required_argument, NULL, 23 },
		{ "drs-target", required_argument, NULL, 24 },
		{ "rules", required_argument, NULL, 25 },
		{ "anti-affinity", required_argument, NULL, 26 },
		{ "seed", required_argument, NULL, 27 },
		{ "events", required_argument, NULL, 28 },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o;
	struct aras_state st, free_st;
	struct aras_trace t;
	struct aras_cluster cl;
	struct result res[MAX_POLICIES + 1];
	unsigned long pairs = 0;
	size_t nres, aras_row = SIZE_MAX;
	struct aras_sim_cfg cfg;
	char why[512];
	const char **names = NULL;
	const char *sets[64];
	size_t nsets = 0;
	FILE *logf = NULL, *evf = NULL;
	int opt, rc = 1, policy_set = 0;
	unsigned long u;
	double d;

	memset(&o, 0, sizeof(o));
	memset(res, 0, sizeof(res));
	memset(&t, 0, sizeof(t));
	memset(&cl, 0, sizeof(cl));
	o.thr = 0.8;
	o.kick = 1;
	o.pingpong_s = 3600;
	o.mig_cost = 0.10;
	o.table = 1;
	o.policies[0] = POL_NONE;
	o.policies[1] = POL_ARAS;
	o.policies[2] = POL_THR;
	o.policies[3] = POL_LR;
	o.policies[4] = POL_MAD;
	o.policies[5] = POL_DRS;
	o.npolicies = 6;
	o.drs_target = 0.10;
	o.seed = 1;
	aras_state_init(&st);
	aras_state_init(&free_st);
	while ((opt = getopt_long(argc, argv, "p:f:C:c:s:qh", lopts, NULL)) != -1) {
		int bad = 0;

		switch (opt) {
		case 'p': bad = parse_policies(optarg, &o); break;
		case 'f':
			if (strcasecmp(optarg, "planetlab") == 0)
				o.format = ARAS_TRACE_PLANETLAB;
			else if (strcasecmp(optarg, "bitbrains") == 0)
				o.format = ARAS_TRACE_BITBRAINS;
			else if (strcasecmp(optarg, "history") == 0)
				o.format = ARAS_TRACE_HISTORY;
			else
				bad = 1;
			break;
		case 'C': o.cl.file = optarg; break;
		case 'c': o.config = optarg; break;
		case 's':
			if (nsets == ARAS_ARRAY_SIZE(sets) || !strchr(optarg, '='))
				bad = 1;
			else
				sets[nsets++] = optarg;
			break;
		case 'q': o.quiet = 1; break;
		case 'h': usage(stdout); return 0;
		case 1:
			bad = parse_unsigned(optarg, 1, 10000000, &u);
			o.steps = u;
			break;
		case 2:
			bad = parse_unsigned(optarg, 1, 86400, &u);
			o.step_s = (unsigned)u;
			break;
		case 3:
			bad = parse_unsigned(optarg, 1, 86400, &u);
			o.poll_s = (unsigned)u;
			break;
		case 4:
			bad = parse_unsigned(optarg, 1, 1000000, &u);
			o.cl.hosts = (unsigned)u;
			break;
		case 5:
			bad = parse_unsigned(optarg, 1, 100000, &u);
			o.cl.vms_per_host = (unsigned)u;
			break;
		case 6:
			bad = parse_unsigned(optarg, 1, 4096, &u);
			o.cl.host_cores = (unsigned)u;
			break;
		case 7: bad = parse_double(optarg, 1, 1e6, &o.cl.host_mhz); break;
		case 8:
			bad = parse_unsigned(optarg, 1, 1ul << 40, &u);
			o.cl.host_mem_mib = u;
			break;
		case 9:
			if (strcasecmp(optarg, "half") == 0)
				o.cl.vcpus_half = 1;
			else if (!(bad = parse_unsigned(optarg, 1, 4096, &u)))
				o.cl.vcpus = (unsigned)u;
			break;
		case 10:
			bad = parse_unsigned(optarg, 1, 4096, &u);
			o.cl.vcpus_max = (unsigned)u;
			break;
		case 11: bad = parse_double(optarg, 1, 1e7, &o.cl.bandwidth_mbit); break;
		case 12:
			bad = parse_double(optarg, 0, 100, &d);
			o.mig_cost = d / 100;
			break;
		case 13:
			bad = parse_unsigned(optarg, 0, 100, &u);
			o.cl.mem_use_pct = (unsigned)u;
			break;
		case 14: o.kick = 0; break;
		case 15:
			bad = parse_double(optarg, 1, 100, &d);
			o.thr = d / 100;
			break;
		case 16: o.csv = optarg; break;
		case 17: o.table = 0; break;
		case 18: o.timing = 1; break;
		case 19: o.log = optarg; break;
		case 28: o.events = optarg; break;
		case 20: o.plot = optarg; break;
		case 21:
			bad = parse_unsigned(optarg, 0, 100000000, &u);
			o.pingpong_s = (unsigned)u;
			break;
		case 22:
			bad = parse_unsigned(optarg, 1, 100, &u);
			o.cl.util_pct = (unsigned)u;
			break;
		case 23:
			bad = parse_unsigned(optarg, 1, 100000000, &u);
			o.nvms = u;
			break;
		case 24:
			bad = parse_double(optarg, 0, 100, &d);
			o.drs_target = d / 100;
			break;
		case 25: o.rules = optarg; break;
		case 26: bad = parse_unsigned(optarg, 1, 1000000, &o.anti_pairs); break;
		case 27: bad = parse_unsigned(optarg, 0, 0xffffffffUL, &o.seed); break;
		default: usage(stderr); return 2;
		}
		if (bad) {
			fprintf(stderr, "arasd-replay: bad value for %s: '%s' (see --help)\n",
				argv[optind - 1], optarg ? optarg : "");
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	o.trace = argv[optind];

	/* aras settings: arasd's defaults, automatic, then -c, then -s */
	st.settings.v[ARAS_S_POLICY] = ARAS_POLICY_AUTO;
	if (o.config) {
		struct aras_state probe;

		if (read_config(&st, o.config) < 0)
			goto out;
		/* did the file set the policy? (for the warning below) */
		aras_state_init(&probe);
		probe.settings.v[ARAS_S_POLICY] = 0;
		if (read_config(&probe, o.config) == 0 && probe.settings.v[ARAS_S_POLICY])
			policy_set = 1;
		aras_state_free(&probe);
	}
	for (size_t i = 0; i < nsets; i++) {
		char tok[128];
		const char *eq = strchr(sets[i], '=');

		snprintf(tok, sizeof(tok), "%.*s", (int)(eq - sets[i]), sets[i]);
		if (set_setting(&st, tok, eq + 1, "--set") < 0)
			goto out;
		if (aras_settings_by_token(tok) == ARAS_S_POLICY)
			policy_set = 1;
	}
	st.settings.v[ARAS_S_ACTIONS] |= ARAS_ACT_ALLOCATE;
	if (aras_settings_check_consistent(&st.settings, why, sizeof(why)) < 0) {
		fprintf(stderr, "arasd-replay: settings: %s\n", why);
		goto out;
	}
	if (policy_set && st.settings.v[ARAS_S_POLICY] == ARAS_POLICY_MANUAL)
		fprintf(stderr,
			"arasd-replay: warning: policy manual: the aras controller will not act on alerts "
			"(--set policy=automatic to see it act)\n");

	if (aras_trace_load(o.trace, o.format, o.step_s, &t, why, sizeof(why)) < 0) {
		fprintf(stderr, "arasd-replay: %s\n", why);
		goto out;
	}
	aras_trace_truncate(&t, o.steps);
	aras_trace_keep_vms(&t, o.nvms);
	o.cl.io_cap_kib = st.settings.v[ARAS_S_DISK_IO_CAPACITY];
	if (aras_cluster_build(&o.cl, &t, &cl, why, sizeof(why)) < 0) {
		fprintf(stderr, "arasd-replay: %s\n", why);
		goto out;
	}
	/* placement rules: the aras policy runs with them, and once more without (arasNR) */
	if (aras_state_copy(&free_st, &st) < 0)
		goto out;
	if (o.rules && load_rules(o.rules, &t, &st) < 0)
		goto out;
	if (o.anti_pairs && (pairs = random_pairs(&t, &cl, o.anti_pairs, o.seed, &st)) < o.anti_pairs)
		fprintf(stderr,
			"arasd-replay: warning: %lu anti-affinity pairs of %lu (too few VMs on distinct "
			"hosts)\n",
			pairs, o.anti_pairs);
	names = calloc(t.nvms ? t.nvms : 1, sizeof(*names));
	if (!names)
		goto out;
	for (size_t i = 0; i < t.nvms; i++)
		names[i] = t.vms[i].name;
	if (o.log && !(logf = fopen(o.log, "w"))) {
		fprintf(stderr, "arasd-replay: %s: %s\n", o.log, strerror(errno));
		goto out;
	}
	if (o.events && !(evf = fopen(o.events, "w"))) {
		fprintf(stderr, "arasd-replay: %s: %s\n", o.events, strerror(errno));
		goto out;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.poll_ms = (uint64_t)(o.poll_s ? o.poll_s : t.step_s) * 1000;
	cfg.mig_cost = o.mig_cost;
	cfg.pingpong_ms = (uint64_t)o.pingpong_s * 1000;
	cfg.keep_util = o.plot != NULL;
	cfg.log = logf;

	nres = o.npolicies;
	for (size_t i = 0; i < o.npolicies; i++)
		if (o.policies[i] == POL_ARAS && st.ngroups && aras_row == SIZE_MAX) {
			aras_row = i;
			o.policies[nres++] = POL_ARAS; /* arasNR: the same without rules */
		}
	for (size_t i = 0; i < nres; i++) {
		struct aras_sim_policy pol, *pp = NULL;
		double t0;
		int r = 0;

		memset(&pol, 0, sizeof(pol));
		if (o.policies[i] == POL_ARAS) {
			int nr = i == o.npolicies;
			struct aras_pol_aras_opts ao = { nr ? &free_st : &st, o.kick, &st, evf };

			r = aras_pol_aras_new(&pol, &ao, &t, &cl);
			if (nr)
				pol.name = "arasNR";
			pp = &pol;
		} else if (o.policies[i] == POL_THR || o.policies[i] == POL_LR || o.policies[i] == POL_MAD) {
			struct aras_pol_thr_opts to = { o.thr,
							o.policies[i] == POL_LR  ? ARAS_DET_LR :
							o.policies[i] == POL_MAD ? ARAS_DET_MAD :
										   ARAS_DET_THR,
							0 };

			r = aras_pol_thr_new(&pol, &to, &cl);
			pp = &pol;
		} else if (o.policies[i] == POL_DRS) {
			struct aras_pol_drs_opts dopt = { o.drs_target };

			r = aras_pol_drs_new(&pol, &dopt, &cl);
			pp = &pol;
		}
		if (r < 0) {
			fprintf(stderr, "arasd-replay: %s\n", aras_strerror(r));
			goto out;
		}
		res[i].name = pp ? pp->name : "none";
		t0 = now_ms();
		r = aras_sim_run(&cl, names, t.step_s, &cfg, pp, &res[i].m, o.plot ? &res[i].util : NULL);
		res[i].wall_ms = now_ms() - t0;
		if (o.policies[i] == POL_ARAS)
			aras_pol_aras_free(&pol);
		else if (o.policies[i] == POL_DRS)
			aras_pol_drs_free(&pol);
		else if (pp)
			aras_pol_thr_free(&pol);
		if (r < 0) {
			fprintf(stderr, "arasd-replay: policy %s: %s\n", res[i].name, aras_strerror(r));
			goto out;
		}
	}
	if (o.table) {
		if (!o.quiet)
			print_header(stdout, &o, &t, &cl, &st);
		print_table(stdout, res, nres);
		if (aras_row != SIZE_MAX)
			print_rules_cost(stdout, &st, pairs, &res[aras_row], &res[nres - 1]);
		fflush(stdout);
	}
	if (o.csv && write_csv(o.csv, &o, &t, &cl, res, nres) < 0)
		goto out;
	if (o.plot && write_plot(o.plot, &t, &cl, res, nres) < 0)
		goto out;
	rc = 0;
out:
	if (logf && fclose(logf) != 0) {
		fprintf(stderr, "arasd-replay: %s: %s\n", o.log, strerror(errno));
		rc = 1;
	}
	if (evf && fclose(evf) != 0) {
		fprintf(stderr, "arasd-replay: %s: %s\n", o.events, strerror(errno));
		rc = 1;
	}
	for (size_t i = 0; i < MAX_POLICIES + 1; i++)
		free(res[i].util);
	free(names);
	aras_cluster_free(&cl);
	aras_trace_free(&t);
	aras_state_free(&st);
	aras_state_free(&free_st);
	return rc;
}
