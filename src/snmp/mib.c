/*
 * mib.c - scalars and tables of ARAS-MIB.
 *
 * arasVmTable uses table_container (a sorted binary array): O(log n) GET
 * and GETNEXT.  Its rows point at the model's VMs, which keep their
 * address for life; the model tells us through hooks when VMs come and go.
 * Values are read from the VM at request time, so a poll updates the table
 * without touching the container at all.
 */
#include "mib.h"

#include "core/log.h"
#include "oids.h"

#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

struct vm_row {
	netsnmp_index idx;
	oid uuid_oid[ARAS_UUID_LEN];
	struct aras_vm *vm;
};

struct host_row {
	netsnmp_index idx;
	oid index_oid[1];
	unsigned host;
};

static struct {
	struct arasd *d;
	netsnmp_container *vms;
	netsnmp_container *hosts;
} mib;

/* ---- value helpers ---- */

static void set_uint(netsnmp_variable_list *var, u_char type, uint64_t v)
{
	u_long u = v > 0xffffffffull ? 0xffffffffu : (u_long)v;

	snmp_set_var_typed_value(var, type, &u, sizeof(u));
}

static void set_int(netsnmp_variable_list *var, long v)
{
	snmp_set_var_typed_value(var, ASN_INTEGER, &v, sizeof(v));
}

static void set_c64(netsnmp_variable_list *var, uint64_t v)
{
	struct counter64 c;

	c.high = (u_long)(v >> 32);
	c.low = (u_long)(v & 0xffffffffu);
	snmp_set_var_typed_value(var, ASN_COUNTER64, &c, sizeof(c));
}

static void set_str(netsnmp_variable_list *var, const char *s)
{
	snmp_set_var_typed_value(var, ASN_OCTET_STR, s, s ? strlen(s) : 0);
}

/* ---- arasVmTable ---- */

static int vm_value(const struct aras_vm *vm, unsigned col, netsnmp_variable_list *var)
{
	switch (col) {
	case ARAS_VC_NAME: set_str(var, vm->name); break;
	case ARAS_VC_HOST: set_uint(var, ASN_UNSIGNED, vm->host); break;
	case ARAS_VC_STATE: set_int(var, vm->state); break;
	case ARAS_VC_VCPUS: set_uint(var, ASN_UNSIGNED, vm->vcpus); break;
	case ARAS_VC_VCPUS_MAX: set_uint(var, ASN_UNSIGNED, vm->vcpus_max); break;
	case ARAS_VC_CPU_USAGE: set_uint(var, ASN_UNSIGNED, vm->cpu_usage); break;
	case ARAS_VC_MEM_CUR: set_uint(var, ASN_GAUGE, vm->mem_cur_kib); break;
	case ARAS_VC_MEM_MAX: set_uint(var, ASN_GAUGE, vm->mem_max_kib); break;
	case ARAS_VC_MEM_USAGE: set_uint(var, ASN_UNSIGNED, vm->mem_usage); break;
	case ARAS_VC_MEM_SOURCE: set_int(var, vm->mem_source); break;
	case ARAS_VC_RD_BYTES: set_c64(var, vm->rd_bytes); break;
	case ARAS_VC_WR_BYTES: set_c64(var, vm->wr_bytes); break;
	case ARAS_VC_RD_RATE: set_uint(var, ASN_GAUGE, vm->rd_rate); break;
	case ARAS_VC_WR_RATE: set_uint(var, ASN_GAUGE, vm->wr_rate); break;
	case ARAS_VC_OPS_RATE: set_uint(var, ASN_GAUGE, vm->ops_rate); break;
	case ARAS_VC_IO_USAGE: set_uint(var, ASN_UNSIGNED, vm->io_usage); break;
	case ARAS_VC_DISK_CAP: set_uint(var, ASN_GAUGE, vm->disk_cap_mib); break;
	case ARAS_VC_DISK_ALLOC: set_uint(var, ASN_GAUGE, vm->disk_alloc_mib); break;
	case ARAS_VC_RX_BYTES: set_c64(var, vm->rx_bytes); break;
	case ARAS_VC_TX_BYTES: set_c64(var, vm->tx_bytes); break;
	case ARAS_VC_RX_RATE: set_uint(var, ASN_GAUGE, vm->rx_rate); break;
	case ARAS_VC_TX_RATE: set_uint(var, ASN_GAUGE, vm->tx_rate); break;
	case ARAS_VC_CLASS: set_int(var, vm->vm_class); break;
	case ARAS_VC_ALERT: set_int(var, vm->alert_state); break;
	case ARAS_VC_PRIORITY: set_uint(var, ASN_UNSIGNED, vm->priority); break;
	case ARAS_VC_THR_CPU: set_uint(var, ASN_UNSIGNED, vm->thr_cpu); break;
	case ARAS_VC_THR_MEM: set_uint(var, ASN_UNSIGNED, vm->thr_mem); break;
	case ARAS_VC_THR_DISK: set_uint(var, ASN_UNSIGNED, vm->thr_disk); break;
	case ARAS_VC_OPT_OUT: set_int(var, vm->opt_out ? 1 : 2); break;
	case ARAS_VC_MIGRATE_TO: set_uint(var, ASN_UNSIGNED, 0); break;
	case ARAS_VC_CPU_TIME: set_c64(var, vm->cpu_time_ns); break;
	default: return -1;
	}
	return 0;
}

static int vm_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reginfo,
		      netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	(void)handler;
	(void)reginfo;
	for (netsnmp_request_info *r = requests; r; r = r->next) {
		struct vm_row *row;
		netsnmp_table_request_info *ti;

		if (r->processed)
			continue;
		if (reqinfo->mode != MODE_GET) {
			netsnmp_set_request_error(reqinfo, r, SNMP_ERR_NOTWRITABLE);
			continue;
		}
		row = netsnmp_container_table_row_extract(r);
		ti = netsnmp_extract_table_info(r);
		if (!row || !ti || vm_value(row->vm, ti->colnum, r->requestvb) < 0)
			netsnmp_set_request_error(reqinfo, r, SNMP_NOSUCHINSTANCE);
	}
	return SNMP_ERR_NOERROR;
}

static struct vm_row *vm_row_new(struct aras_vm *vm)
{
	struct vm_row *row = calloc(1, sizeof(*row));

	if (!row)
		return NULL;
	for (int i = 0; i < ARAS_UUID_LEN; i++)
		row->uuid_oid[i] = vm->uuid[i];
	row->idx.oids = row->uuid_oid;
	row->idx.len = ARAS_UUID_LEN;
	row->vm = vm;
	vm->priv = row;
	return row;
}

static void vm_removed(struct aras_vm *vm, void *arg)
{
	struct vm_row *row = vm->priv;

	(void)arg;
	if (!row)
		return;
	CONTAINER_REMOVE(mib.vms, row);
	vm->priv = NULL;
	free(row);
}

/*
 * New VMs were merged into the model.  Inserting a few rows one by one is
 * cheap; inserting many in the middle of a large binary array is O(n^2)
 * memmove, so then rebuild in model (= index) order, which only appends.
 */
static void vms_added(struct aras_model *m, size_t count, void *arg)
{
	int rebuild = count * 8 > m->nvms;

	(void)arg;
	if (rebuild)
		CONTAINER_CLEAR(mib.vms, NULL, NULL);
	for (size_t i = 0; i < m->nvms; i++) {
		struct aras_vm *vm = m->vms[i];
		struct vm_row *row = vm->priv;

		if (row && !rebuild)
			continue;
		if (!row && !(row = vm_row_new(vm))) {
			log_err("out of memory adding a VM row");
			continue;
		}
		if (CONTAINER_INSERT(mib.vms, row) != 0)
			log_err("cannot insert VM row %s", vm->name);
	}
}

/* ---- arasHostTable ---- */

static int host_value(const struct aras_host *h, unsigned col, netsnmp_variable_list *var)
{
	switch (col) {
	case ARAS_HC_NAME: set_str(var, h->name); break;
	case ARAS_HC_URI: set_str(var, h->uri); break;
	case ARAS_HC_STATE: set_int(var, aras_host_mib_state(h)); break;
	case ARAS_HC_CPUS: set_uint(var, ASN_UNSIGNED, h->cpus); break;
	case ARAS_HC_CPU_USAGE: set_uint(var, ASN_UNSIGNED, h->cpu_usage); break;
	case ARAS_HC_MEM_TOTAL: set_uint(var, ASN_GAUGE, h->mem_total_kib); break;
	case ARAS_HC_MEM_FREE: set_uint(var, ASN_GAUGE, h->mem_free_kib); break;
	case ARAS_HC_MEM_SOURCE: set_int(var, h->mem_source); break;
	case ARAS_HC_DISK_USAGE: set_uint(var, ASN_UNSIGNED, h->disk_usage); break;
	case ARAS_HC_VM_COUNT: set_uint(var, ASN_GAUGE, h->vm_count); break;
	case ARAS_HC_LAST_ERROR: set_str(var, h->last_error); break;
	case ARAS_HC_MAINTENANCE: set_int(var, h->maintenance ? 1 : 2); break;
	default: return -1;
	}
	return 0;
}

static int host_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reginfo,
			netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	(void)handler;
	(void)reginfo;
	for (netsnmp_request_info *r = requests; r; r = r->next) {
		struct host_row *row;
		netsnmp_table_request_info *ti;
		const struct aras_host *h;

		if (r->processed)
			continue;
		if (reqinfo->mode != MODE_GET) {
			netsnmp_set_request_error(reqinfo, r, SNMP_ERR_NOTWRITABLE);
			continue;
		}
		row = netsnmp_container_table_row_extract(r);
		ti = netsnmp_extract_table_info(r);
		h = row ? aras_model_host(&mib.d->model, row->host) : NULL;
		if (!h || !ti || host_value(h, ti->colnum, r->requestvb) < 0)
			netsnmp_set_request_error(reqinfo, r, SNMP_NOSUCHINSTANCE);
	}
	return SNMP_ERR_NOERROR;
}

/* ---- scalars ---- */

static int config_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reginfo,
			  netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	int id = (int)(intptr_t)reginfo->my_reg_void;
	uint32_t v = mib.d->settings.v[id];

	(void)handler;
	for (netsnmp_request_info *r = requests; r; r = r->next) {
		if (reqinfo->mode != MODE_GET) {
			netsnmp_set_request_error(reqinfo, r, SNMP_ERR_NOTWRITABLE);
			continue;
		}
		switch (aras_setting_defs[id].type) {
		case ARAS_ST_ENUM:
			set_int(r->requestvb, (long)v);
			break;
		case ARAS_ST_BITS: {
			/* BITS: bit 0 is the most significant bit of the first octet. */
			u_char octet = 0;

			for (int b = 0; b < 8; b++)
				if (v & (1u << b))
					octet |= (u_char)(0x80 >> b);
			snmp_set_var_typed_value(r->requestvb, ASN_OCTET_STR, &octet, 1);
			break;
		}
		default:
			set_uint(r->requestvb, ASN_UNSIGNED, v);
		}
	}
	return SNMP_ERR_NOERROR;
}

static int status_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reginfo,
			  netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	const struct arasd *d = mib.d;
	const struct aras_counters *c = &d->counters;
	int col = (int)(intptr_t)reginfo->my_reg_void;

	(void)handler;
	for (netsnmp_request_info *r = requests; r; r = r->next) {
		netsnmp_variable_list *var = r->requestvb;

		if (reqinfo->mode != MODE_GET) {
			netsnmp_set_request_error(reqinfo, r, SNMP_ERR_NOTWRITABLE);
			continue;
		}
		switch (col) {
		case ARAS_ST_HOST_COUNT: set_uint(var, ASN_GAUGE, d->model.nhosts); break;
		case ARAS_ST_VM_COUNT: set_uint(var, ASN_GAUGE, d->model.nvms); break;
		case ARAS_ST_POLLS: set_uint(var, ASN_COUNTER, c->polls); break;
		case ARAS_ST_LAST_POLL_TIME: set_uint(var, ASN_UNSIGNED, c->last_poll_ms); break;
		case ARAS_ST_NOTIF_SENT: set_uint(var, ASN_COUNTER, c->notif_sent); break;
		case ARAS_ST_NOTIF_DROPPED: set_uint(var, ASN_COUNTER, c->notif_dropped); break;
		case ARAS_ST_EVENTS_DROPPED: set_uint(var, ASN_COUNTER, c->events_dropped); break;
		case ARAS_ST_MAIL_SENT: set_uint(var, ASN_COUNTER, c->mail_sent); break;
		case ARAS_ST_MAIL_FAILED: set_uint(var, ASN_COUNTER, c->mail_failed); break;
		case ARAS_ST_SCRIPT_RUNS: set_uint(var, ASN_COUNTER, c->script_runs); break;
		case ARAS_ST_SCRIPT_FAILED: set_uint(var, ASN_COUNTER, c->script_failed); break;
		case ARAS_ST_VERSION: set_str(var, ARASD_VERSION); break;
		default: netsnmp_set_request_error(reqinfo, r, SNMP_NOSUCHINSTANCE);
		}
	}
	return SNMP_ERR_NOERROR;
}

static int register_scalar(const char *name, const oid *base, size_t baselen, unsigned subid,
			   Netsnmp_Node_Handler *fn, intptr_t arg, int writable)
{
	oid o[MAX_OID_LEN];
	netsnmp_handler_registration *reg;

	memcpy(o, base, baselen * sizeof(oid));
	o[baselen] = subid;
	reg = netsnmp_create_handler_registration(name, fn, o, baselen + 1,
						  writable ? HANDLER_CAN_RWRITE : HANDLER_CAN_RONLY);
	if (!reg)
		return -1;
	reg->my_reg_void = (void *)arg;
	if (netsnmp_register_scalar(reg) != MIB_REGISTERED_OK) {
		log_err("cannot register %s", name);
		return -1;
	}
	return 0;
}

static netsnmp_container *register_table(const char *name, const oid *table, size_t len,
					 Netsnmp_Node_Handler *fn, u_char idxtype, unsigned maxcol)
{
	netsnmp_handler_registration *reg;
	netsnmp_table_registration_info *ti;
	netsnmp_container *c;

	reg = netsnmp_create_handler_registration(name, fn, table, len, HANDLER_CAN_RONLY);
	ti = SNMP_MALLOC_TYPEDEF(netsnmp_table_registration_info);
	c = netsnmp_container_find("table_container");
	if (!reg || !ti || !c) {
		log_err("cannot allocate %s", name);
		return NULL;
	}
	netsnmp_table_helper_add_indexes(ti, idxtype, 0);
	ti->min_column = 2;
	ti->max_column = maxcol;
	if (netsnmp_container_table_register(reg, ti, c, TABLE_CONTAINER_KEY_NETSNMP_INDEX) !=
	    MIB_REGISTERED_OK) {
		log_err("cannot register %s", name);
		return NULL;
	}
	return c;
}

int aras_mib_register(struct arasd *d)
{
	static const oid config_oid[] = { ARAS_OID_CONFIG };
	static const oid status_oid[] = { ARAS_OID_STATUS };
	static const oid host_oid[] = { ARAS_OID_HOST_TABLE };
	static const oid vm_oid[] = { ARAS_OID_VM_TABLE };
	int rc = 0;

	mib.d = d;
	for (int i = 0; i < ARAS_S_COUNT; i++)
		rc |= register_scalar(aras_setting_defs[i].mib_name, config_oid, OID_LENGTH(config_oid),
				      aras_setting_defs[i].subid, config_handler, i, 0);
	for (int col = 1; col <= ARAS_ST_MAX; col++)
		rc |= register_scalar("arasStatus", status_oid, OID_LENGTH(status_oid), (unsigned)col,
				      status_handler, col, 0);
	/*
	 * arasVmUuid is OCTET STRING (SIZE(16)): a fixed-length string index
	 * is encoded without a length sub-identifier (RFC 2578 7.7), which is
	 * what net-snmp calls an IMPLIED string.
	 */
	mib.vms = register_table("arasVmTable", vm_oid, OID_LENGTH(vm_oid), vm_handler,
				 ASN_PRIV_IMPLIED_OCTET_STR, ARAS_VC_MAX);
	mib.hosts = register_table("arasHostTable", host_oid, OID_LENGTH(host_oid), host_handler,
				   ASN_UNSIGNED, ARAS_HC_MAX);
	if (rc || !mib.vms || !mib.hosts)
		return -1;
	for (size_t i = 0; i < d->model.nhosts; i++) {
		struct host_row *row = calloc(1, sizeof(*row));

		if (!row)
			return -1;
		row->host = d->model.hosts[i].index;
		row->index_oid[0] = row->host;
		row->idx.oids = row->index_oid;
		row->idx.len = 1;
		CONTAINER_INSERT(mib.hosts, row);
	}
	d->model.hooks.vm_removed = vm_removed;
	d->model.hooks.vms_added = vms_added;
	d->model.hooks.arg = NULL;
	return 0;
}

static void free_row(void *row, void *ctx)
{
	(void)ctx;
	free(row);
}

void aras_mib_unregister(struct arasd *d)
{
	/* Rows of VMs are freed by the model's vm_removed hook; hosts here. */
	if (mib.hosts)
		CONTAINER_CLEAR(mib.hosts, free_row, NULL);
	d->model.hooks.vm_removed = NULL;
	d->model.hooks.vms_added = NULL;
	for (size_t i = 0; i < d->model.nvms; i++) {
		free(d->model.vms[i]->priv);
		d->model.vms[i]->priv = NULL;
	}
	if (mib.vms)
		CONTAINER_CLEAR(mib.vms, NULL, NULL);
}
