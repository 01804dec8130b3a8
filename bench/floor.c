/*
 * bench/floor.c - the AgentX floor for bench/walk.
 *
 * A minimal net-snmp AgentX subagent that serves one static, read-only
 * table shaped like arasVmTable (mib/LAYOUT.md): N rows indexed by a
 * 16-octet IMPLIED string, 37 accessible columns 2..38 with the same
 * types in the same order.  It uses the same helper as arasd
 * (table_container, TABLE_CONTAINER_KEY_NETSNMP_INDEX) and the plainest
 * loop (agent_check_and_process), so a walk of it through the same
 * master measures what AgentX + net-snmp cost by themselves: the floor
 * arasd's own table is compared against.
 *
 * It lives under the playpen, beside ARAS-MIB but not inside it:
 *   1.3.6.1.4.1.8072.9999.9999.2.1.1  (floorTable.floorEntry)
 *
 * The row UUIDs are the ones bench/gen-fixture gives its domains (same
 * splitmix64 recipe), so both tables have the same index values and the
 * same encoded lengths.
 *
 * usage: floor [-x AGENTX-SOCKET] [-n ROWS] [-p PING-SECONDS]
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#define UUID_LEN 16
#define MIN_COL 2
#define MAX_COL 38

static const oid floor_entry_oid[] = { 1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 2, 1, 1 };

/* Column types of arasVmTable, columns 2..38 (mib/LAYOUT.md). */
enum coltype { C_STR, C_UNS, C_GAUGE, C_INT, C_C64 };
static const enum coltype col_type[MAX_COL + 1] = {
	[2] = C_STR,    /* arasVmName */
	[3] = C_UNS,    /* arasVmHostIndex */
	[4] = C_INT,    /* arasVmState */
	[5] = C_UNS,    /* arasVmVcpus */
	[6] = C_UNS,    /* arasVmVcpusMax */
	[7] = C_UNS,    /* arasVmCpuUsage */
	[8] = C_GAUGE,  /* arasVmMemCurrent */
	[9] = C_GAUGE,  /* arasVmMemMax */
	[10] = C_UNS,   /* arasVmMemUsage */
	[11] = C_INT,   /* arasVmMemSource */
	[12] = C_C64,   /* arasVmDiskRdBytes */
	[13] = C_C64,   /* arasVmDiskWrBytes */
	[14] = C_GAUGE, /* arasVmDiskRdRate */
	[15] = C_GAUGE, /* arasVmDiskWrRate */
	[16] = C_GAUGE, /* arasVmDiskOpsRate */
	[17] = C_UNS,   /* arasVmDiskIoUsage */
	[18] = C_GAUGE, /* arasVmDiskCapacity */
	[19] = C_GAUGE, /* arasVmDiskAllocation */
	[20] = C_C64,   /* arasVmNetRxBytes */
	[21] = C_C64,   /* arasVmNetTxBytes */
	[22] = C_GAUGE, /* arasVmNetRxRate */
	[23] = C_GAUGE, /* arasVmNetTxRate */
	[24] = C_INT,   /* arasVmClass */
	[25] = C_INT,   /* arasVmAlertState */
	[26] = C_UNS,   /* arasVmPriority */
	[27] = C_UNS,   /* arasVmCpuThreshold */
	[28] = C_UNS,   /* arasVmMemThreshold */
	[29] = C_UNS,   /* arasVmDiskThreshold */
	[30] = C_INT,   /* arasVmAllocOptOut */
	[31] = C_UNS,   /* arasVmMigrateTo */
	[32] = C_C64,   /* arasVmCpuTime */
	[33] = C_STR,   /* arasVmUuidString (a string, as long as a name) */
	[34] = C_STR,   /* arasVmHostName */
	[35] = C_C64,   /* arasVmCpuTimeUs */
	[36] = C_INT,   /* arasVmCpuAlert */
	[37] = C_INT,   /* arasVmMemAlert */
	[38] = C_INT,   /* arasVmDiskAlert */
};

struct row {
	netsnmp_index idx; /* must come first (container key) */
	oid uuid_oid[UUID_LEN];
	char name[32];
	uint64_t v[MAX_COL + 1]; /* numeric value of each column */
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* The UUID bench/gen-fixture gives domain i (version 4 / variant bits set). */
static void bench_uuid(unsigned long i, uint8_t u[UUID_LEN])
{
	uint64_t a = splitmix64(2 * (uint64_t)i + 1), b = splitmix64(2 * (uint64_t)i + 2);

	for (int k = 0; k < 8; k++) {
		u[k] = (uint8_t)(a >> (56 - 8 * k));
		u[8 + k] = (uint8_t)(b >> (56 - 8 * k));
	}
	u[6] = (uint8_t)((u[6] & 0x0f) | 0x40);
	u[8] = (uint8_t)((u[8] & 0x3f) | 0x80);
}

/* Values of the size arasd shows for a test-driver VM of bench/gen-fixture. */
static void fill_row(struct row *r, unsigned long i, unsigned long n)
{
	uint8_t u[UUID_LEN];

	bench_uuid(i, u);
	for (int k = 0; k < UUID_LEN; k++)
		r->uuid_oid[k] = u[k];
	snprintf(r->name, sizeof(r->name), "bench-vm-%05lu", i);
	r->v[3] = i < n / 2 ? 1 : 2; /* host index */
	r->v[4] = 1;                 /* running */
	r->v[5] = 2;
	r->v[6] = 4;
	r->v[7] = 0;
	r->v[8] = 1048576 + 512 * (i % 1024);
	r->v[9] = 2097152;
	r->v[10] = 50;
	r->v[11] = 2;
	r->v[24] = 1;
	r->v[25] = 1;
	r->v[30] = 2;
	r->v[32] = 1234567890123ull + i;
}

/* Order of the encoded index (qsort moves rows: compare their own oids). */
static int row_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	return snmp_oid_compare(x->uuid_oid, UUID_LEN, y->uuid_oid, UUID_LEN);
}

static void set_value(netsnmp_variable_list *var, const struct row *r, unsigned col)
{
	uint64_t v = r->v[col];

	switch (col_type[col]) {
	case C_STR: snmp_set_var_typed_value(var, ASN_OCTET_STR, r->name, strlen(r->name)); break;
	case C_UNS:
	case C_GAUGE: {
		u_long u = v > 0xffffffffull ? 0xffffffffu : (u_long)v;

		snmp_set_var_typed_value(var, col_type[col] == C_UNS ? ASN_UNSIGNED : ASN_GAUGE, &u,
					 sizeof(u));
		break;
	}
	case C_INT: {
		long l = (long)v;

		snmp_set_var_typed_value(var, ASN_INTEGER, &l, sizeof(l));
		break;
	}
	case C_C64: {
		struct counter64 c;

		c.high = (u_long)(v >> 32);
		c.low = (u_long)(v & 0xffffffffu);
		snmp_set_var_typed_value(var, ASN_COUNTER64, &c, sizeof(c));
		break;
	}
	}
}

static int floor_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reginfo,
			 netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	(void)handler;
	(void)reginfo;
	for (netsnmp_request_info *r = requests; r; r = r->next) {
		const struct row *row;
		netsnmp_table_request_info *ti;

		if (r->processed)
			continue;
		if (reqinfo->mode != MODE_GET) {
			netsnmp_set_request_error(reqinfo, r, SNMP_ERR_NOTWRITABLE);
			continue;
		}
		row = netsnmp_container_table_row_extract(r);
		ti = netsnmp_extract_table_info(r);
		if (!row || !ti || ti->colnum < MIN_COL || ti->colnum > MAX_COL) {
			netsnmp_set_request_error(reqinfo, r, SNMP_NOSUCHINSTANCE);
			continue;
		}
		set_value(r->requestvb, row, ti->colnum);
	}
	return SNMP_ERR_NOERROR;
}

static int register_floor(unsigned long n)
{
	netsnmp_handler_registration *reg;
	netsnmp_table_registration_info *ti;
	netsnmp_container *c;
	struct row *rows = calloc(n ? n : 1, sizeof(*rows));

	reg = netsnmp_create_handler_registration("floorTable", floor_handler, floor_entry_oid,
						  OID_LENGTH(floor_entry_oid) - 1, HANDLER_CAN_RONLY);
	ti = SNMP_MALLOC_TYPEDEF(netsnmp_table_registration_info);
	c = netsnmp_container_find("table_container");
	if (!rows || !reg || !ti || !c) {
		fprintf(stderr, "floor: out of memory\n");
		return -1;
	}
	netsnmp_table_helper_add_indexes(ti, ASN_PRIV_IMPLIED_OCTET_STR, 0);
	ti->min_column = MIN_COL;
	ti->max_column = MAX_COL;
	if (netsnmp_container_table_register(reg, ti, c, TABLE_CONTAINER_KEY_NETSNMP_INDEX) !=
	    MIB_REGISTERED_OK) {
		fprintf(stderr, "floor: cannot register the table\n");
		return -1;
	}
	for (unsigned long i = 0; i < n; i++)
		fill_row(&rows[i], i, n);
	/* Insert in index order: the binary array then only appends. */
	qsort(rows, n, sizeof(*rows), row_cmp);
	for (unsigned long i = 0; i < n; i++) {
		rows[i].idx.oids = rows[i].uuid_oid;
		rows[i].idx.len = UUID_LEN;
		if (CONTAINER_INSERT(c, &rows[i]) != 0) {
			fprintf(stderr, "floor: cannot insert row %lu\n", i);
			return -1;
		}
	}
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: floor [-x AGENTX-SOCKET] [-n ROWS] [-p PING-SECONDS]\n");
}

int main(int argc, char **argv)
{
	const char *sock = NULL;
	unsigned long n = 1000;
	int ping = 2, opt;
	struct sigaction sa;

	while ((opt = getopt(argc, argv, "x:n:p:h")) != -1) {
		switch (opt) {
		case 'x': sock = optarg; break;
		case 'n': n = strtoul(optarg, NULL, 10); break;
		case 'p': ping = atoi(optarg); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	/* No SA_RESTART: the select() in agent_check_and_process returns. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	snmp_enable_stderrlog();
	netsnmp_enable_subagent();
	if (sock)
		netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET, sock);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	setenv("MIBS", "", 1);
	if (init_agent("floor") != 0) {
		fprintf(stderr, "floor: init_agent failed\n");
		return 1;
	}
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL, ping);
	if (register_floor(n) < 0)
		return 1;
	init_snmp("floor");
	while (!stop)
		agent_check_and_process(1);
	snmp_shutdown("floor");
	shutdown_agent();
	return 0;
}
