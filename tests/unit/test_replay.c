/*
 * test_replay.c - the pure parts of arasd-replay (src/replay/): the
 * simulator's accounting (what a VM wants and gets, the split of unserved
 * demand, host time at 100 %), migrations (duration, CPU cost, memory on
 * the target, ping-pong), the THR baseline's selection and placement, the
 * cluster builder and the three trace parsers.
 *
 * The unit-test rule of the Makefile links the core objects only; the
 * replay sources are pure C11 too, so this file compiles the ones it tests
 * in (not pol_aras.c, which the integration test t_replay.sh covers).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <math.h>

#include "replay/cluster.c"
#include "replay/pol_adapt.c"
#include "replay/pol_drs.c"
#include "replay/pol_thr.c"
#include "replay/sim.c"
#include "replay/trace.c"

#define NEAR(got, want)                                                                                      \
	do {                                                                                                 \
		double g_ = (got), w_ = (want);                                                              \
		if (g_ < w_ - 1e-6 * (1 + (w_ < 0 ? -w_ : w_)) ||                                            \
		    g_ > w_ + 1e-6 * (1 + (w_ < 0 ? -w_ : w_)))                                              \
			fail_msg("%s = %.9g, want %.9g", #got, g_, w_);                                      \
	} while (0)

/* A hand-built cluster: hosts (cores, MHz), VMs (host, vcpus, MiB), demand per step. */
struct fx {
	struct aras_cluster cl;
	const char *names[8];
};

static void fx_init(struct fx *f, size_t nhosts, size_t nvms, size_t nsteps)
{
	memset(f, 0, sizeof(*f));
	f->cl.nhosts = nhosts;
	f->cl.nvms = nvms;
	f->cl.nsteps = nsteps;
	f->cl.hosts = calloc(nhosts, sizeof(*f->cl.hosts));
	f->cl.vms = calloc(nvms, sizeof(*f->cl.vms));
	f->cl.demand_mhz = calloc(nvms * nsteps, sizeof(float));
	f->cl.mem_used_kib = calloc(nvms * nsteps, sizeof(float));
	f->cl.bandwidth_mbit = 1000;
	assert_non_null(f->cl.hosts);
	assert_non_null(f->cl.vms);
	assert_non_null(f->cl.demand_mhz);
	assert_non_null(f->cl.mem_used_kib);
	for (size_t i = 0; i < nvms && i < 8; i++) {
		static const char *const n[8] = { "a", "b", "c", "d", "e", "f", "g", "h" };

		f->names[i] = n[i];
	}
}

static void fx_host(struct fx *f, size_t h, unsigned cores, double mhz, uint64_t mem_mib)
{
	snprintf(f->cl.hosts[h].name, sizeof(f->cl.hosts[h].name), "h%zu", h + 1);
	f->cl.hosts[h].cores = cores;
	f->cl.hosts[h].core_mhz = mhz;
	f->cl.hosts[h].mem_kib = mem_mib * 1024;
}

static void fx_vm(struct fx *f, size_t i, unsigned host, unsigned vcpus, uint64_t mem_mib, double demand)
{
	f->cl.vms[i].host = host;
	f->cl.vms[i].vcpus = vcpus;
	f->cl.vms[i].vcpus_max = 4;
	f->cl.vms[i].mem_kib = mem_mib * 1024;
	f->cl.vms[i].mem_max_kib = 2 * mem_mib * 1024;
	for (size_t k = 0; k < f->cl.nsteps; k++)
		f->cl.demand_mhz[i * f->cl.nsteps + k] = (float)demand;
}

static struct aras_sim_cfg cfg_default(void)
{
	struct aras_sim_cfg c;

	memset(&c, 0, sizeof(c));
	c.poll_ms = 300000;
	c.mig_cost = 0.10;
	c.pingpong_ms = 3600000;
	return c;
}

/* ---- accounting ---------------------------------------------------------- */

static void vm_size_caps_demand(void **state)
{
	struct fx f;
	struct aras_sim_cfg c = cfg_default();
	struct aras_sim_metrics m;

	(void)state;
	/* a wants 1500 with one vCPU of 1000; b wants 1000 with two: host exactly full */
	fx_init(&f, 1, 2, 1);
	fx_host(&f, 0, 2, 1000, 8192);
	fx_vm(&f, 0, 0, 1, 1024, 1500);
	fx_vm(&f, 1, 0, 2, 1024, 1000);
	assert_int_equal(aras_sim_run(&f.cl, f.names, 300, &c, NULL, &m, NULL), 0);
	NEAR(m.demand, 2500.0 * 300000);
	NEAR(m.unserved_vmsize, 500.0 * 300000);
	NEAR(m.unserved_contention, 0);
	NEAR(m.served, 2000.0 * 300000);
	NEAR(m.slatah, 1.0); /* wanted exactly its capacity: at 100 % */
	aras_cluster_free(&f.cl);
}

static void contention_shares_pro_rata(void **state)
{
	struct fx f;
	struct aras_sim_cfg c = cfg_default();
	struct aras_sim_metrics m;

	(void)state;
	/* 1000 + 1500 wanted of 2000: each gets 80 %; one of two hosts busy, the other empty */
	fx_init(&f, 2, 2, 2);
	fx_host(&f, 0, 2, 1000, 8192);
	fx_host(&f, 1, 2, 1000, 8192);
	fx_vm(&f, 0, 0, 1, 1024, 1000);
	fx_vm(&f, 1, 0, 2, 1024, 1500);
	f.cl.demand_mhz[0 * 2 + 1] = 100; /* step 2: a drops to 100 -> 1600 of 2000 */
	assert_int_equal(aras_sim_run(&f.cl, f.names, 300, &c, NULL, &m, NULL), 0);
	NEAR(m.unserved_contention, 500.0 * 300000);
	NEAR(m.unserved_vmsize, 0);
	NEAR(m.demand, (2500.0 + 1600.0) * 300000);
	/* h1 at 100 % one step of two; h2 never active, so not in the mean */
	NEAR(m.slatah, 0.5);
	aras_cluster_free(&f.cl);
}

/* A policy that only records each VM's steal counter at every poll. */
struct steal_rec {
	double steal_ns[2];
};

static int steal_poll(struct aras_sim *s, void *ctx, int kick)
{
	struct steal_rec *r = ctx;

	(void)kick;
	for (size_t i = 0; i < s->nvms && i < 2; i++)
		r->steal_ns[i] = s->vms[i].steal_ns;
	return 0;
}

/*
 * Steal (what a VM wants and a full host does not give, as vCPU wait time):
 * 1000 + 1500 MHz wanted of 2000 -> each gets 80 %: a (1 vCPU) waits 200
 * MHz = 20 % of one 1000 MHz vCPU, b (2 vCPUs) 300 MHz = 15 % of its two;
 * demand above the VM's own vCPUs (vmsize) is no steal.
 */
static void steal_from_contention(void **state)
{
	struct fx f;
	struct aras_sim_cfg c = cfg_default();
	struct aras_sim_metrics m;
	struct steal_rec r;
	struct aras_sim_policy pol = { "steal", &r, steal_poll, NULL, 0 };
	double ns = 300000.0 * 1e6; /* one 300 s step, ns */

	(void)state;
	memset(&r, 0, sizeof(r));
	fx_init(&f, 1, 2, 2);
	fx_host(&f, 0, 2, 1000, 8192);
	fx_vm(&f, 0, 0, 1, 1024, 1000);
	fx_vm(&f, 1, 0, 2, 1024, 1500);
	assert_int_equal(aras_sim_run(&f.cl, f.names, 300, &c, &pol, &m, NULL), 0);
	/* the last poll saw the end of step 1 at least: per step 20 % and 15 % */
	assert_true(r.steal_ns[0] > 0);
	NEAR(r.steal_ns[0] / r.steal_ns[1], 0.2 / 0.3);
	NEAR(fmod(r.steal_ns[0], 0.2 * ns), 0);
	NEAR(r.steal_ns[1] / 2 / (r.steal_ns[0] / 0.2) * 100, 15.0);
	aras_cluster_free(&f.cl);

	/* vmsize only: a wants 1500 on one vCPU of 1000, host not full */
	memset(&r, 0, sizeof(r));
	fx_init(&f, 1, 2, 2);
	fx_host(&f, 0, 4, 1000, 8192);
	fx_vm(&f, 0, 0, 1, 1024, 1500);
	fx_vm(&f, 1, 0, 2, 1024, 1000);
	assert_int_equal(aras_sim_run(&f.cl, f.names, 300, &c, &pol, &m, NULL), 0);
	NEAR(r.steal_ns[0], 0);
	NEAR(r.steal_ns[1], 0);
	assert_true(m.unserved_vmsize > 0);
	aras_cluster_free(&f.cl);
}

static void vcpus_capped_by_host_cores(void **state)
{
	struct fx f;
	struct aras_sim_cfg c = cfg_default();
	struct aras_sim_metrics m;

	(void)state;
	/* four vCPUs on a 2-core host give two cores' worth */
	fx_init(&f, 1, 1, 1);
	fx_host(&f, 0, 2, 1000, 8192);
	fx_vm(&f, 0, 0, 4, 1024, 3000);
	assert_int_equal(aras_sim_run(&f.cl, f.names, 300, &c, NULL, &m, NULL), 0);
	NEAR(m.unserved_vmsize, 1000.0 * 300000);
	aras_cluster_free(&f.cl);
}

/* ---- migrations ---------------------------------------------------------- */

/* A scripted policy: migrate VM 0 to host `to` at the polls listed. */
struct script {
	uint64_t at[4];
	unsigned to[4];
	size_t n;
	size_t migrated;
	double cpu_at_poll[16];
	size_t polls;
};

static int script_poll(struct aras_sim *s, void *ctx, int kick)
{
	struct script *sc = ctx;

	if (kick)
		return 0;
	if (sc->polls < 16)
		sc->cpu_at_poll[sc->polls++] = s->vms[0].cpu_ns;
	for (size_t i = 0; i < sc->n; i++)
		if (sc->at[i] == s->now_ms)
			assert_int_equal(aras_sim_migrate(s, 0, sc->to[i], "test"), 0);
	return 0;
}

static void script_migrated(struct aras_sim *s, void *ctx, size_t vm)
{
	struct script *sc = ctx;

	(void)s;
	assert_int_equal(vm, 0);
	sc->migrated++;
}

static void migration_time_and_cost(void **state)
{
	struct fx f;
	struct aras_sim_cfg c = cfg_default();
	struct aras_sim_metrics m;
	struct script sc = { { 300000 }, { 1 }, 1, 0, { 0 }, 0 };
	struct aras_sim_policy p = { "script", &sc, script_poll, script_migrated, 0 };

	(void)state;
	fx_init(&f, 2, 1, 2);
	fx_host(&f, 0, 2, 1000, 8192);
	fx_host(&f, 1, 2, 1000, 8192);
	fx_vm(&f, 0, 0, 1, 1024, 500);
	assert_int_equal(aras_sim_run(&f.cl, f.names, 300, &c, &p, &m, NULL), 0);
	assert_int_equal(sc.migrated, 1);
	assert_int_equal(m.migrations, 1);
	assert_int_equal(m.peak_migrations, 1);
	/* 1024 MiB over half of 1 Gbit/s: 1024 * 8 / 500 = 16.384 s at 10 % of 500 MHz */
	NEAR(m.unserved_migration, 0.10 * 500 * 16384);
	assert_int_equal(m.pingpong, 0);
	aras_cluster_free(&f.cl);
}

static void migration_needs_memory(void **state)
{
	struct fx f;
	struct aras_sim s;
	struct aras_sim_cfg c = cfg_default();
	struct aras_sim_host hosts[2];
	struct aras_sim_vm vms[1];
	size_t inflight[1];

	(void)state;
	fx_init(&f, 2, 1, 1);
	fx_host(&f, 0, 2, 1000, 8192);
	fx_host(&f, 1, 2, 1000, 512);
	fx_vm(&f, 0, 0, 1, 1024, 500);
	memset(&s, 0, sizeof(s));
	memset(hosts, 0, sizeof(hosts));
	memset(vms, 0, sizeof(vms));
	s.cl = &f.cl;
	s.cfg = &c;
	s.nhosts = 2;
	s.nvms = 1;
	s.nsteps = 1;
	s.hosts = hosts;
	s.vms = vms;
	s.inflight = inflight;
	s.vm_names = f.names;
	vms[0].mem_kib = 1024 * 1024;
	hosts[0].mem_used_kib = 1024 * 1024;
	assert_int_equal(aras_sim_migrate(&s, 0, 1, "no room"), -ARAS_E_RANGE);
	assert_int_equal(aras_sim_migrate(&s, 0, 0, "same host"), -ARAS_E_INVAL);
	assert_int_equal(s.m.migrations_failed, 1);
	assert_int_equal(s.ninflight, 0);
	aras_cluster_free(&f.cl);
}

static void pingpong_within_window_only(void **state)
{
	struct fx f;
	struct aras_sim_cfg c = cfg_default();
	struct aras_sim_metrics m;
	/* h1 -> h2 at 300 s, back at 900 s (ping-pong), h2 at 1200 s, back to h1 at 6000 s (window passed) */
	struct script sc = { { 300000, 900000, 1200000, 6000000 }, { 1, 0, 1, 0 }, 4, 0, { 0 }, 0 };
	struct aras_sim_policy p = { "script", &sc, script_poll, script_migrated, 0 };

	(void)state;
	fx_init(&f, 2, 1, 24);
	fx_host(&f, 0, 2, 1000, 8192);
	fx_host(&f, 1, 2, 1000, 8192);
	fx_vm(&f, 0, 0, 1, 1024, 100);
	assert_int_equal(aras_sim_run(&f.cl, f.names, 300, &c, &p, &m, NULL), 0);
	assert_int_equal(m.migrations, 4);
	/* back to h1 after 600 s and back to h2 after ~300 s; the last return is 4800 s later */
	assert_int_equal(m.pingpong, 2);
	aras_cluster_free(&f.cl);
}

static void vertical_changes_capacity(void **state)
{
	struct fx f;
	struct aras_sim s;
	struct aras_sim_cfg c = cfg_default();
	struct aras_sim_host hosts[1];
	struct aras_sim_vm vms[1];

	(void)state;
	fx_init(&f, 1, 1, 1);
	fx_host(&f, 0, 4, 1000, 4096);
	fx_vm(&f, 0, 0, 1, 1024, 1500);
	memset(&s, 0, sizeof(s));
	memset(hosts, 0, sizeof(hosts));
	memset(vms, 0, sizeof(vms));
	s.cl = &f.cl;
	s.cfg = &c;
	s.nhosts = 1;
	s.nvms = 1;
	s.nsteps = 1;
	s.hosts = hosts;
	s.vms = vms;
	s.vm_names = f.names;
	vms[0].vcpus = 1;
	vms[0].vcpus_max = 2;
	vms[0].mem_kib = 1024 * 1024;
	vms[0].mem_max_kib = 4096 * 1024;
	hosts[0].mem_used_kib = 1024 * 1024;
	hosts[0].nvms = 1;
	NEAR(vm_cap_mhz(&s, &vms[0]), 1000);
	assert_int_equal(aras_sim_set_vcpus(&s, 0, 2, "t"), 0);
	NEAR(vm_cap_mhz(&s, &vms[0]), 2000);
	assert_int_equal(aras_sim_set_vcpus(&s, 0, 3, "over max"), -ARAS_E_RANGE);
	/* memory: up to the host's room, clamped to the VM's maximum */
	assert_int_equal(aras_sim_set_mem(&s, 0, 2048 * 1024, "t"), 0);
	assert_int_equal(hosts[0].mem_used_kib, 2048 * 1024);
	assert_int_equal(aras_sim_set_mem(&s, 0, 8192 * 1024, "t"), 0);
	assert_int_equal(vms[0].mem_kib, 4096 * 1024);
	assert_int_equal(s.m.vertical, 3);
	assert_int_equal(s.m.vcpu_adds, 1);
	aras_cluster_free(&f.cl);
}

/* ---- THR ----------------------------------------------------------------- */

static void thr_moves_least_memory_best_fit(void **state)
{
	struct fx f;
	struct aras_sim_cfg c = cfg_default();
	struct aras_sim_metrics m;
	struct aras_sim_policy p;
	struct aras_pol_thr_opts o = { 0.8, ARAS_DET_THR, 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *log = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(log);
	c.log = log;
	/*
	 * h1 (2 x 1000) runs a (600, 2 GiB), b (600, 1 GiB), c (500, 512 MiB):
	 * 1700 of 2000 = 85 % > 80 %.  MMT takes c (least memory): 60 %.  c goes
	 * to the fullest host that stays <= 80 %: h2 has 1000 (50 %) -> 75 %;
	 * h3 has 1200 (60 %) -> 85 %, rejected; h4 is empty -> 25 %.  So h2.
	 */
	fx_init(&f, 4, 5, 3);
	for (size_t h = 0; h < 4; h++)
		fx_host(&f, h, 2, 1000, 8192);
	fx_vm(&f, 0, 0, 2, 2048, 600);
	fx_vm(&f, 1, 0, 2, 1024, 600);
	fx_vm(&f, 2, 0, 2, 512, 500);
	fx_vm(&f, 3, 1, 2, 1024, 1000);
	fx_vm(&f, 4, 2, 2, 1024, 1200);
	assert_int_equal(aras_pol_thr_new(&p, &o, &f.cl), 0);
	assert_int_equal(aras_sim_run(&f.cl, f.names, 300, &c, &p, &m, NULL), 0);
	aras_pol_thr_free(&p);
	fclose(log);
	assert_int_equal(m.migrations, 1);
	assert_non_null(strstr(buf, "thr migrate c h1 h2 "));
	free(buf);
	aras_cluster_free(&f.cl);
}

/* ---- LR, MAD, DRS ---------------------------------------------------------- */

static void detectors_mad_and_lr(void **state)
{
	const double u[5] = { 0.01, 0.02, 0.03, 0.04, 1.0 };
	double line[10], flat[10];

	(void)state;
	/* median 0.03; deviations 0.02 0.01 0 0.01 0.97: median 0.01 (one outlier does not move it) */
	NEAR(aras_pol_mad(u, 5), 0.01);
	for (size_t i = 0; i < 10; i++) {
		line[i] = 0.05 * (double)(i + 1);
		flat[i] = 0.6;
	}
	/* a straight line is fitted exactly whatever the weights: x = 10 + 2 */
	NEAR(aras_pol_lr_predict(line, 10, 2), 0.6);
	NEAR(aras_pol_lr_predict(flat, 10, 3), 0.6);
	NEAR(aras_pol_mad(flat, 10), 0);
}

static void drs_balances_and_stops(void **state)
{
	struct fx f;
	struct aras_sim_cfg c = cfg_default();
	struct aras_sim_metrics m;
	struct aras_sim_policy p;
	struct aras_pol_drs_opts o = { 0.10 };
	char *buf = NULL;
	size_t len = 0;
	FILE *log = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(log);
	c.log = log;
	/*
	 * h1 (2 x 1000) runs a, b, c at 600 each: 90 %; h2 runs d at 300: 15 %;
	 * sd 37.5 %.  Moving a (the first of equals) leaves 60 % / 45 %: sd
	 * 7.5 % <= 10 %: it stops there, and nothing comes back.
	 */
	fx_init(&f, 2, 4, 6);
	fx_host(&f, 0, 2, 1000, 8192);
	fx_host(&f, 1, 2, 1000, 8192);
	fx_vm(&f, 0, 0, 1, 1024, 600);
	fx_vm(&f, 1, 0, 1, 1024, 600);
	fx_vm(&f, 2, 0, 1, 1024, 600);
	fx_vm(&f, 3, 1, 1, 1024, 300);
	assert_int_equal(aras_pol_drs_new(&p, &o, &f.cl), 0);
	assert_int_equal(aras_sim_run(&f.cl, f.names, 300, &c, &p, &m, NULL), 0);
	aras_pol_drs_free(&p);
	fclose(log);
	if (m.migrations != 1)
		fail_msg("%lu migrations:\n%s", m.migrations, buf);
	assert_int_equal(m.pingpong, 0);
	assert_non_null(strstr(buf, "drs migrate a h1 h2 "));
	assert_non_null(strstr(buf, "host load sd 37.5% > 10.0%: h1 90.0% -> h2 15.0%, sd -> 7.5%"));
	free(buf);
	aras_cluster_free(&f.cl);
}

static void thr_no_fit_stays(void **state)
{
	struct fx f;
	struct aras_sim_cfg c = cfg_default();
	struct aras_sim_metrics m;
	struct aras_sim_policy p;
	struct aras_pol_thr_opts o = { 0.8, ARAS_DET_THR, 0 };

	(void)state;
	/* h1 at 90 %, h2 at 70 %: the 400 MHz VM would take h2 to 90 % -> stays */
	fx_init(&f, 2, 3, 3);
	fx_host(&f, 0, 2, 1000, 8192);
	fx_host(&f, 1, 2, 1000, 8192);
	fx_vm(&f, 0, 0, 2, 1024, 1400);
	fx_vm(&f, 1, 0, 1, 512, 400);
	fx_vm(&f, 2, 1, 2, 1024, 1400);
	assert_int_equal(aras_pol_thr_new(&p, &o, &f.cl), 0);
	assert_int_equal(aras_sim_run(&f.cl, f.names, 300, &c, &p, &m, NULL), 0);
	aras_pol_thr_free(&p);
	assert_int_equal(m.migrations, 0);
	assert_true(m.no_target >= 1);
	aras_cluster_free(&f.cl);
}

/* ---- parsers and the cluster builder -------------------------------------- */

static char *write_tmp(const char *text)
{
	char *path = strdup("/tmp/test_replay.XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void planetlab_parse(void **state)
{
	struct aras_trace t;
	char why[256];
	char *p = write_tmp("# comment\nvm one\t10 20 30\nvm2\t0 100 50\n");

	(void)state;
	assert_int_equal(aras_trace_load(p, ARAS_TRACE_AUTO, 0, &t, why, sizeof(why)), 0);
	assert_int_equal(t.format, ARAS_TRACE_PLANETLAB);
	assert_int_equal(t.nvms, 2);
	assert_int_equal(t.nsteps, 3);
	assert_string_equal(t.vms[0].name, "vm one"); /* the name ends at the tab */
	NEAR(t.cpu[1 * 3 + 1], 100);
	assert_true(memcmp(t.vms[0].uuid, t.vms[1].uuid, ARAS_UUID_LEN) < 0);
	aras_trace_truncate(&t, 2);
	assert_int_equal(t.nsteps, 2);
	NEAR(t.cpu[1 * 2 + 1], 100);
	aras_trace_free(&t);
	unlink(p);
	free(p);

	p = write_tmp("a\t1 2 3\nb\t1 2\n");
	assert_int_equal(aras_trace_load(p, ARAS_TRACE_PLANETLAB, 0, &t, why, sizeof(why)), -ARAS_E_INVAL);
	assert_non_null(strstr(why, ":2: 2 samples, the first VM has 3"));
	unlink(p);
	free(p);
}

static void history_parse(void **state)
{
	struct aras_trace t;
	char why[256];
	/* two polls of a in the first 300 s (averaged), one of b in the second step */
	char *p = write_tmp("# arasd history: T_UNIX HOST_INDEX UUID ...\n"
			    "1000 2 00000000-0000-0000-0000-00000000000a 50 2 1048576 10 0\n"
			    "1010 2 00000000-0000-0000-0000-00000000000a 100 2 1048576 30 0\n"
			    "1300 1 00000000-0000-0000-0000-00000000000b 40 1 524288 50 20\n");

	(void)state;
	assert_int_equal(aras_trace_load(p, ARAS_TRACE_AUTO, 0, &t, why, sizeof(why)), 0);
	assert_int_equal(t.format, ARAS_TRACE_HISTORY);
	assert_int_equal(t.nvms, 2);
	assert_int_equal(t.nsteps, 2);
	assert_int_equal(t.vms[0].host, 2);
	assert_int_equal(t.vms[0].cores, 2);
	NEAR(t.cpu[0], 1.5); /* (1 + 2 cores) / 2 */
	NEAR(t.cpu[1], 0);   /* a not seen in step 2 */
	NEAR(t.mem_kib[0], 0.2 * 1048576);
	NEAR(t.cpu[2 + 1], 0.4);
	NEAR(t.io_kibs[2 + 1], 20); /* percent until cluster.c scales it */
	aras_trace_free(&t);
	unlink(p);
	free(p);

	p = write_tmp("1000 1 not-a-uuid 5 1 1024 5 0\n");
	assert_int_equal(aras_trace_load(p, ARAS_TRACE_HISTORY, 0, &t, why, sizeof(why)), -ARAS_E_INVAL);
	assert_non_null(strstr(why, ":1: expected T_UNIX"));
	unlink(p);
	free(p);
}

static void bitbrains_parse_and_cluster(void **state)
{
	struct aras_trace t;
	struct aras_cluster cl;
	struct aras_cluster_opts o;
	char why[256];
	char *p = write_tmp(
		"Timestamp [ms];\tCPU cores;\tCPU capacity provisioned [MHZ];\tCPU usage [MHZ];\tCPU usage "
		"[%];\t"
		"Memory capacity provisioned [KB];\tMemory usage [KB];\tDisk read throughput [KB/s];\t"
		"Disk write throughput [KB/s];\tNetwork received throughput [KB/s];\tNetwork transmitted "
		"throughput [KB/s]\n"
		"1;\t0;\t0.0;\t0.0;\t0.0;\t0.0;\t0.0;\t0.0;\t0.0;\t0.0;\t0.0\n"
		"301;\t4;\t10400.0;\t5200.0;\t50.0;\t4194304.0;\t1048576.0;\t100.0;\t50.0;\t0.0;\t0.0\n");

	(void)state;
	assert_int_equal(aras_trace_load(p, ARAS_TRACE_AUTO, 0, &t, why, sizeof(why)), 0);
	assert_int_equal(t.format, ARAS_TRACE_BITBRAINS);
	assert_int_equal(t.nvms, 1);
	assert_int_equal(t.nsteps, 2);
	assert_int_equal(t.vms[0].cores, 4);
	NEAR(t.cpu[0], 0); /* not running: no demand */
	NEAR(t.cpu[1], 5200);
	NEAR(t.io_kibs[1], 150);

	/*
	 * default cluster: as provisioned, max twice; one 32-core host would
	 * give 50 % of 2600 MHz mean, but a cluster has at least 4 hosts
	 * (ARAS_CL_MIN_HOSTS): 4 hosts of as few cores as keep 50 % (1), and
	 * never fewer than the VM's 4 vCPUs
	 */
	memset(&o, 0, sizeof(o));
	assert_int_equal(aras_cluster_build(&o, &t, &cl, why, sizeof(why)), 0);
	assert_int_equal(cl.nhosts, ARAS_CL_MIN_HOSTS);
	assert_int_equal(cl.hosts[0].cores, 4);
	assert_int_equal(cl.hosts[3].cores, 4);
	assert_non_null(strstr(cl.sizing, "the minimum of 4 hosts"));
	assert_int_equal(cl.vms[0].vcpus, 4);
	assert_int_equal(cl.vms[0].vcpus_max, 8);
	assert_int_equal(cl.vms[0].mem_kib, 4194304);
	NEAR(cl.demand_mhz[1], 5200);
	aras_cluster_free(&cl);
	o.vcpus_half = 1;
	o.hosts = 3;
	assert_int_equal(aras_cluster_build(&o, &t, &cl, why, sizeof(why)), 0);
	assert_int_equal(cl.nhosts, 3);
	assert_int_equal(cl.vms[0].vcpus, 2);
	aras_cluster_free(&cl);
	aras_trace_free(&t);
	unlink(p);
	free(p);
}

static void planetlab_cluster_paper_types(void **state)
{
	struct aras_trace t;
	struct aras_cluster cl;
	struct aras_cluster_opts o;
	char why[256];
	char *p = write_tmp("a\t100 100\nb\t100 100\nc\t100 100\nd\t100 100\ne\t100 100\n");

	(void)state;
	assert_int_equal(aras_trace_load(p, ARAS_TRACE_PLANETLAB, 0, &t, why, sizeof(why)), 0);
	memset(&o, 0, sizeof(o));
	o.hosts = 2;
	assert_int_equal(aras_cluster_build(&o, &t, &cl, why, sizeof(why)), 0);
	/* CloudSim: VM i -> type i / ceil(5 / 4) = i / 2 */
	NEAR(cl.vms[0].req_mhz, 2500);
	NEAR(cl.vms[2].req_mhz, 2000);
	NEAR(cl.vms[4].req_mhz, 1000);
	assert_int_equal(cl.vms[4].mem_kib, 1740 * 1024);
	NEAR(cl.demand_mhz[2 * 2], 2000);
	/* round robin: VM i on host i mod 2; hosts alternate G4 / G5 */
	assert_int_equal(cl.vms[3].host, 1);
	NEAR(cl.hosts[0].core_mhz, 1860);
	NEAR(cl.hosts[1].core_mhz, 2660);
	assert_int_equal(cl.vms[0].vcpus, 1);
	assert_int_equal(cl.vms[0].vcpus_max, 4);
	aras_cluster_free(&cl);
	aras_trace_free(&t);
	unlink(p);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(steal_from_contention),
		cmocka_unit_test(vm_size_caps_demand),
		cmocka_unit_test(contention_shares_pro_rata),
		cmocka_unit_test(vcpus_capped_by_host_cores),
		cmocka_unit_test(migration_time_and_cost),
		cmocka_unit_test(migration_needs_memory),
		cmocka_unit_test(pingpong_within_window_only),
		cmocka_unit_test(vertical_changes_capacity),
		cmocka_unit_test(thr_moves_least_memory_best_fit),
		cmocka_unit_test(thr_no_fit_stays),
		cmocka_unit_test(detectors_mad_and_lr),
		cmocka_unit_test(drs_balances_and_stops),
		cmocka_unit_test(planetlab_parse),
		cmocka_unit_test(history_parse),
		cmocka_unit_test(bitbrains_parse_and_cluster),
		cmocka_unit_test(planetlab_cluster_paper_types),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
