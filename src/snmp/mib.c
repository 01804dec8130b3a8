/*
 * mib.c - scalars and tables of ARAS-MIB.
 *
 * arasVmTable uses table_container (a sorted binary array): O(log n) GET
 * and GETNEXT.  Its rows point at the model's VMs, which keep their
 * address for life; the model tells us through hooks when VMs come and go.
 * Values are read from the VM at request time, so a poll updates the table
 * without touching the container at all.
 *
 * Each table's values come from one encoder (obj_tables below), which
 * also builds every notification's varbinds (notify.c).
 */
#include "mib.h"

#include "arasd.h"

#include "util/log.h"
#include "oids.h"
#include "txn.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

/* Log lines of this file say where they come from (util/log.h). */
static const char log_token[] = "snmp";

struct vm_row {
	netsnmp_index idx;
	oid uuid_oid[ARAS_UUID_LEN];
	struct aras_vm *vm;
};

/* A row indexed by one integer (hosts, events, actions), pointing at its object. */
struct idx_row {
	netsnmp_index idx;
	oid index_oid[1];
	void *obj;
	unsigned host; /* arasHostTable: the host index */
};

/*
 * File scope, because net-snmp's handlers receive only their registration
 * and the request: the context and the registered table containers are
 * reached from here (the one handle net-snmp lets us keep).
 */
static struct {
	struct arasd *d;
	netsnmp_container *vms;
	netsnmp_container *hosts;
	netsnmp_container *events;
	netsnmp_container *actions;
	netsnmp_container *groups;
	netsnmp_container *clones;
	int live; /* registered: the engine's row effects (aras_mib_*_added/dropped) index rows */
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

/* The canonical lowercase dashed form, as `virsh domuuid` prints it. */
static void set_uuid_str(netsnmp_variable_list *var, const uint8_t *uuid)
{
	char buf[ARAS_UUID_STRLEN];

	aras_uuid_format(uuid, buf);
	set_str(var, buf);
}

/*
 * RESERVE1 of an operator order (arasVmMigrateTo, arasActionState): the
 * engine checks it against the current state now; it runs at COMMIT with
 * every other varbind of the PDU, or not at all (txn.h).
 */
static void stage_order(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r,
			const struct aras_order *o, const char *object, const char *name)
{
	char why[256];
	struct aras_order c = *o;
	int rc;

	/* an edit's room on its host waits for RESERVE2: the PDU may force it in a later varbind */
	if (c.kind == ARAS_ORDER_EDIT)
		c.force = 1;
	rc = aras_engine_check_order(mib.d->eng, &c, why, sizeof(why));

	if (rc < 0) {
		log_info("%s %s rejected: %s", object, name, why);
		netsnmp_set_request_error(reqinfo, r, aras_snmp_err(rc));
		return;
	}
	aras_txn_add_order(mib.d, reqinfo, r, o);
}

/* ---- arasVmTable ---- */

/* arasVmTable column -> per-VM preference field, or -1. */
static int pref_field(unsigned col)
{
	switch (col) {
	case ARAS_VC_PRIORITY: return ARAS_PREF_PRIORITY;
	case ARAS_VC_THR_CPU: return ARAS_PREF_THR_CPU;
	case ARAS_VC_THR_MEM: return ARAS_PREF_THR_MEM;
	case ARAS_VC_THR_DISK: return ARAS_PREF_THR_DISK;
	case ARAS_VC_OPT_OUT: return ARAS_PREF_OPT_OUT;
	}
	return -1;
}

static int vm_value(const void *row, unsigned col, netsnmp_variable_list *var)
{
	const struct aras_vm *vm = row;
	int field = pref_field(col);

	if (field == ARAS_PREF_OPT_OUT) {
		set_int(var, aras_state_pref(aras_engine_state(mib.d->eng), vm->uuid, field) ? 1 : 2);
		return 0;
	}
	if (field >= 0) {
		set_uint(var, ASN_UNSIGNED, aras_state_pref(aras_engine_state(mib.d->eng), vm->uuid, field));
		return 0;
	}
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
	case ARAS_VC_RD_BYTES: set_c64(var, vm->total.rd_bytes); break;
	case ARAS_VC_WR_BYTES: set_c64(var, vm->total.wr_bytes); break;
	case ARAS_VC_RD_RATE: set_uint(var, ASN_GAUGE, vm->rd_rate); break;
	case ARAS_VC_WR_RATE: set_uint(var, ASN_GAUGE, vm->wr_rate); break;
	case ARAS_VC_OPS_RATE: set_uint(var, ASN_GAUGE, vm->ops_rate); break;
	case ARAS_VC_IO_USAGE: set_uint(var, ASN_UNSIGNED, vm->io_usage); break;
	case ARAS_VC_DISK_CAP: set_uint(var, ASN_GAUGE, vm->disk_cap_mib); break;
	case ARAS_VC_DISK_ALLOC: set_uint(var, ASN_GAUGE, vm->disk_alloc_mib); break;
	case ARAS_VC_RX_BYTES: set_c64(var, vm->total.rx_bytes); break;
	case ARAS_VC_TX_BYTES: set_c64(var, vm->total.tx_bytes); break;
	case ARAS_VC_RX_RATE: set_uint(var, ASN_GAUGE, vm->rx_rate); break;
	case ARAS_VC_TX_RATE: set_uint(var, ASN_GAUGE, vm->tx_rate); break;
	case ARAS_VC_CLASS: set_int(var, vm->vm_class); break;
	case ARAS_VC_ALERT: set_int(var, vm->alert_state); break;
	case ARAS_VC_MIGRATE_TO: set_uint(var, ASN_UNSIGNED, 0); break;
	case ARAS_VC_CPU_TIME: set_c64(var, vm->total.cpu_ns); break;
	case ARAS_VC_UUID_STRING: set_uuid_str(var, vm->uuid); break;
	case ARAS_VC_HOST_NAME: {
		const struct aras_host *h = aras_model_host(aras_engine_model(mib.d->eng), vm->host);

		set_str(var, h ? h->name : "");
		break;
	}
	case ARAS_VC_CPU_TIME_US: set_c64(var, vm->total.cpu_ns / 1000); break;
	case ARAS_VC_CPU_ALERT:
	case ARAS_VC_MEM_ALERT:
	case ARAS_VC_DISK_ALERT: {
		int st = vm->sla[col - ARAS_VC_CPU_ALERT].state;

		set_int(var, st ? st : ARAS_ALERT_OK); /* 0: not evaluated yet */
		break;
	}
	case ARAS_VC_OPER_STATE: set_int(var, vm->oper ? vm->oper : ARAS_OPER_UNKNOWN); break;
	case ARAS_VC_PREV_OPER_STATE: set_int(var, vm->prev_oper ? vm->prev_oper : ARAS_OPER_UNKNOWN); break;
	case ARAS_VC_STATE_REASON: {
		char buf[64];

		set_str(var, aras_vm_reason_text(vm->state, vm->reason, buf, sizeof(buf)));
		break;
	}
	case ARAS_VC_STATE_CHANGES: set_uint(var, ASN_COUNTER, vm->state_changes); break;
	case ARAS_VC_COMMAND: set_int(var, ARAS_CMD_NONE); break;
	case ARAS_VC_CPU_STEAL:
		/* sparse: no instance when the hypervisor does not report steal */
		if (!vm->has_steal)
			return -1;
		set_uint(var, ASN_UNSIGNED, vm->cpu_steal);
		break;
	case ARAS_VC_GROUP: set_str(var, aras_state_vm_group(aras_engine_state(mib.d->eng), vm->uuid)); break;
	case ARAS_VC_VCPUS_TARGET: set_uint(var, ASN_UNSIGNED, vm->vcpus); break;
	case ARAS_VC_MEM_TARGET: set_uint(var, ASN_UNSIGNED, vm->mem_cur_kib); break;
	case ARAS_VC_MEM_MAX_TARGET:
		set_uint(var, ASN_UNSIGNED, vm->mem_max_next_kib ? vm->mem_max_next_kib : vm->mem_max_kib);
		break;
	case ARAS_VC_EDIT_FORCE: set_int(var, 2); break; /* false(2): a write acts for its SET only */
	default: return -1;
	}
	return 0;
}

/* The edit an arasVmTable column orders (enum aras_edit), or 0. */
static int edit_of(unsigned col)
{
	switch (col) {
	case ARAS_VC_VCPUS_TARGET: return ARAS_EDIT_VCPUS;
	case ARAS_VC_MEM_TARGET: return ARAS_EDIT_MEM;
	case ARAS_VC_MEM_MAX_TARGET: return ARAS_EDIT_MEM_MAX;
	}
	return 0;
}

/* An order column: a life-cycle command, a move, an edit, or the edits' force. */
static int order_col(unsigned col)
{
	return col == ARAS_VC_MIGRATE_TO || col == ARAS_VC_COMMAND || col == ARAS_VC_EDIT_FORCE ||
	       edit_of(col);
}

/* An order column's value: type, row, range.  0, or -1 with the request's error set. */
static int order_value(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r, const struct vm_row *row,
		       u_char type, long min, long max, long *v)
{
	const netsnmp_variable_list *var = r->requestvb;
	int err = SNMP_ERR_NOERROR;

	if (var->type != type || var->val_len != sizeof(long))
		err = SNMP_ERR_WRONGTYPE;
	else if (!row)
		err = SNMP_ERR_NOCREATION;
	else if (*var->val.integer < min || *var->val.integer > max)
		err = SNMP_ERR_WRONGVALUE;
	if (err != SNMP_ERR_NOERROR) {
		netsnmp_set_request_error(reqinfo, r, err);
		return -1;
	}
	*v = *var->val.integer;
	return 0;
}

/*
 * RESERVE1 of arasVmMigrateTo (a host index) or arasVmCommand (a life-cycle
 * command): an operator order, checked against the live state now.
 */
static void order_reserve(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r,
			  const struct vm_row *row, unsigned col)
{
	struct aras_order o;
	long v;

	memset(&o, 0, sizeof(o));
	if (col == ARAS_VC_MIGRATE_TO) {
		if (order_value(reqinfo, r, row, ASN_UNSIGNED, 1, ARAS_HOST_INDEX_MAX, &v) < 0)
			return;
		o.kind = ARAS_ORDER_MIGRATE;
		o.target = (unsigned)v;
	} else if (col == ARAS_VC_EDIT_FORCE) {
		if (order_value(reqinfo, r, row, ASN_INTEGER, 1, 2, &v) < 0 || v == 2)
			return; /* false(2): nothing to do */
		aras_txn_force(mib.d, reqinfo, r, row->vm->uuid);
		return;
	} else if (edit_of(col)) {
		if (order_value(reqinfo, r, row, ASN_UNSIGNED, 0, 4294967295L, &v) < 0)
			return;
		o.kind = ARAS_ORDER_EDIT;
		o.edit = edit_of(col);
		o.value = (uint64_t)v;
		memcpy(o.uuid, row->vm->uuid, ARAS_UUID_LEN);
		stage_order(reqinfo, r, &o, aras_edit_object(o.edit), row->vm->name);
		return;
	} else {
		if (order_value(reqinfo, r, row, ASN_INTEGER, ARAS_CMD_NONE, ARAS_CMD_MAX, &v) < 0)
			return;
		if (v == ARAS_CMD_NONE)
			return; /* none(1): nothing to do */
		o.kind = ARAS_ORDER_COMMAND;
		o.cmd = (int)v;
	}
	memcpy(o.uuid, row->vm->uuid, ARAS_UUID_LEN);
	stage_order(reqinfo, r, &o, col == ARAS_VC_MIGRATE_TO ? "arasVmMigrateTo" : "arasVmCommand",
		    row->vm->name);
}

/*
 * RESERVE1 of arasVmGroup: a group name or "" (none).  Whether the group
 * exists is checked in RESERVE2, against the staged state, so that one PDU
 * may create a group and name it.
 */
static void vm_group_reserve(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r, struct vm_row *row)
{
	netsnmp_variable_list *var = r->requestvb;
	char name[ARAS_GROUP_NAME_MAX + 1];
	struct aras_state *st;
	int rc;

	if (var->type != ASN_OCTET_STR) {
		netsnmp_set_request_error(reqinfo, r, SNMP_ERR_WRONGTYPE);
		return;
	}
	if (!row) {
		netsnmp_set_request_error(reqinfo, r, SNMP_ERR_NOCREATION);
		return;
	}
	if (var->val_len > ARAS_GROUP_NAME_MAX) {
		netsnmp_set_request_error(reqinfo, r, SNMP_ERR_WRONGLENGTH);
		return;
	}
	memcpy(name, var->val.string, var->val_len);
	name[var->val_len] = '\0';
	if (var->val_len && (rc = aras_group_name_ok(name, var->val_len)) < 0) {
		netsnmp_set_request_error(reqinfo, r, aras_snmp_err(rc));
		return;
	}
	st = aras_txn_stage(mib.d, reqinfo, r);
	if (st && (rc = aras_state_set_vm_group(st, row->vm->uuid, name)) < 0)
		netsnmp_set_request_error(reqinfo, r, aras_snmp_err(rc));
}

/* RESERVE2 of arasVmGroup: the group it names exists in the staged state (all varbinds applied). */
static void vm_group_check(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r, struct vm_row *row)
{
	netsnmp_variable_list *var = r->requestvb;
	struct aras_state *st = aras_txn_stage(mib.d, reqinfo, r);
	char name[ARAS_GROUP_NAME_MAX + 1];

	if (!st || !row || var->val_len > ARAS_GROUP_NAME_MAX)
		return;
	memcpy(name, var->val.string, var->val_len);
	name[var->val_len] = '\0';
	if (name[0] &&
	    (!aras_state_group(st, name) || strcmp(aras_state_vm_group(st, row->vm->uuid), name) != 0)) {
		log_info("arasVmGroup %s rejected: no group '%s'", row->vm->name, name);
		netsnmp_set_request_error(reqinfo, r, SNMP_ERR_INCONSISTENTVALUE);
	}
}

/*
 * RESERVE1 of a per-VM preference: type, row, range; stage the value.
 * TruthValue columns take true(1)/false(2), stored as 1/0.
 */
static void vm_reserve(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r, struct vm_row *row,
		       unsigned col)
{
	netsnmp_variable_list *var = r->requestvb;
	int field = pref_field(col);
	struct aras_state *st;
	long v;
	int rc;

	if (order_col(col)) {
		order_reserve(reqinfo, r, row, col);
		return;
	}
	if (col == ARAS_VC_GROUP) {
		vm_group_reserve(reqinfo, r, row);
		return;
	}
	if (field < 0) {
		netsnmp_set_request_error(reqinfo, r, SNMP_ERR_NOTWRITABLE);
		return;
	}
	if (var->type != (field == ARAS_PREF_OPT_OUT ? ASN_INTEGER : ASN_UNSIGNED) ||
	    var->val_len != sizeof(long)) {
		netsnmp_set_request_error(reqinfo, r, SNMP_ERR_WRONGTYPE);
		return;
	}
	if (!row) {
		netsnmp_set_request_error(reqinfo, r, SNMP_ERR_NOCREATION);
		return;
	}
	v = *var->val.integer;
	if (field == ARAS_PREF_OPT_OUT) {
		if (v != 1 && v != 2) {
			netsnmp_set_request_error(reqinfo, r, SNMP_ERR_WRONGVALUE);
			return;
		}
		v = v == 1;
	}
	if ((rc = aras_state_check_pref(field, (unsigned)v)) < 0) {
		netsnmp_set_request_error(reqinfo, r, aras_snmp_err(rc));
		return;
	}
	st = aras_txn_stage(mib.d, reqinfo, r);
	if (st && (rc = aras_state_set_pref(st, row->vm->uuid, field, (unsigned)v)) < 0)
		netsnmp_set_request_error(reqinfo, r, aras_snmp_err(rc));
}

static const void *vm_obj(void *row)
{
	return ((struct vm_row *)row)->vm;
}

/* An arasVmTable instance: the 16 octets of the UUID, without a length (IMPLIED). */
static size_t vm_index(const void *row, oid *out)
{
	const struct aras_vm *vm = row;

	for (int i = 0; i < ARAS_UUID_LEN; i++)
		out[i] = vm->uuid[i];
	return ARAS_UUID_LEN;
}

static void vm_set(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r, void *vrow, unsigned col)
{
	struct vm_row *row = vrow;

	switch (reqinfo->mode) {
	case MODE_SET_RESERVE1: vm_reserve(reqinfo, r, row, col); return;
	case MODE_SET_RESERVE2:
		/* per-VM values have no cross-object rules but the group; orders are checked together */
		if (order_col(col))
			aras_txn_check_orders(mib.d, reqinfo, r);
		else if (col == ARAS_VC_GROUP)
			vm_group_check(reqinfo, r, row);
		return;
	}
	/* an order acts at COMMIT with the rest of the PDU (txn.h) */
	aras_txn_phase(mib.d, reqinfo, r);
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

void aras_mib_vm_removed(void *arg, struct aras_vm *vm)
{
	struct vm_row *row = vm->priv;

	(void)arg;
	if (!mib.live || !row)
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
void aras_mib_vms_added(void *arg, size_t count)
{
	const struct aras_model *m = aras_engine_model(mib.d->eng);
	int rebuild;

	(void)arg;
	if (!mib.live)
		return;
	rebuild = count * 8 > m->nvms;
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

/*
 * Insert a row for obj at index into c; *priv (the object's back pointer)
 * gets the row.  Indexes of events and actions only grow, so this appends.
 */
static struct idx_row *idx_row_add(netsnmp_container *c, uint32_t index, void *obj, void **priv)
{
	struct idx_row *row = calloc(1, sizeof(*row));

	if (!row)
		return NULL;
	row->index_oid[0] = index;
	row->idx.oids = row->index_oid;
	row->idx.len = 1;
	row->obj = obj;
	if (CONTAINER_INSERT(c, row) != 0) {
		free(row);
		return NULL;
	}
	if (priv)
		*priv = row;
	return row;
}

static void idx_row_drop(netsnmp_container *c, void **priv)
{
	if (!*priv)
		return;
	CONTAINER_REMOVE(c, *priv);
	free(*priv);
	*priv = NULL;
}

/* ---- arasHostTable ---- */

static int host_value(const void *row, unsigned col, netsnmp_variable_list *var)
{
	const struct aras_host *h = row;

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
	case ARAS_HC_STEAL_MEAN:
	case ARAS_HC_STEAL_MAX:
		/* sparse: no instance while no running VM of the host reports steal */
		if (!h->steal_valid || aras_host_mib_state(h) == ARAS_HOST_DOWN)
			return -1;
		set_uint(var, ASN_UNSIGNED, col == ARAS_HC_STEAL_MEAN ? h->steal_mean : h->steal_max);
		break;
	default: return -1;
	}
	return 0;
}

/* arasHostMaintenance: a persisted flag, staged like the settings. */
static void host_set(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r, void *hrow, unsigned col)
{
	struct idx_row *row = hrow;
	netsnmp_variable_list *var = r->requestvb;
	struct aras_state *st;

	if (col != ARAS_HC_MAINTENANCE) {
		netsnmp_set_request_error(reqinfo, r, SNMP_ERR_NOTWRITABLE);
		return;
	}
	switch (reqinfo->mode) {
	case MODE_SET_RESERVE1:
		if (var->type != ASN_INTEGER || var->val_len != sizeof(long)) {
			netsnmp_set_request_error(reqinfo, r, SNMP_ERR_WRONGTYPE);
			return;
		}
		if (!row) {
			netsnmp_set_request_error(reqinfo, r, SNMP_ERR_NOCREATION);
			return;
		}
		if (*var->val.integer != 1 && *var->val.integer != 2) {
			netsnmp_set_request_error(reqinfo, r, SNMP_ERR_WRONGVALUE);
			return;
		}
		st = aras_txn_stage(mib.d, reqinfo, r);
		if (st && aras_state_set_maintenance(st, row->host, *var->val.integer == 1) < 0)
			netsnmp_set_request_error(reqinfo, r, SNMP_ERR_RESOURCEUNAVAILABLE);
		return;
	case MODE_SET_RESERVE2: return;
	default: aras_txn_phase(mib.d, reqinfo, r);
	}
}

static const void *host_obj(void *row)
{
	return aras_model_host(aras_engine_model(mib.d->eng), ((struct idx_row *)row)->host);
}

static size_t host_index(const void *row, oid *out)
{
	out[0] = ((const struct aras_host *)row)->index;
	return 1;
}

/* ---- arasEventTable ---- */

/* DateAndTime, 11 octets, UTC. */
static void set_date(netsnmp_variable_list *var, time_t t)
{
	struct tm tm;
	u_char b[11];

	if (t == 0) {
		memset(b, 0, 8);
		snmp_set_var_typed_value(var, ASN_OCTET_STR, b, 8);
		return;
	}
	gmtime_r(&t, &tm);
	b[0] = (u_char)((tm.tm_year + 1900) >> 8);
	b[1] = (u_char)((tm.tm_year + 1900) & 0xff);
	b[2] = (u_char)(tm.tm_mon + 1);
	b[3] = (u_char)tm.tm_mday;
	b[4] = (u_char)tm.tm_hour;
	b[5] = (u_char)tm.tm_min;
	b[6] = (u_char)tm.tm_sec;
	b[7] = 0;
	b[8] = '+';
	b[9] = 0;
	b[10] = 0;
	snmp_set_var_typed_value(var, ASN_OCTET_STR, b, sizeof(b));
}

static int event_value(const void *row, unsigned col, netsnmp_variable_list *var)
{
	const struct aras_alert *a = &((const struct aras_event *)row)->a;

	switch (col) {
	case ARAS_EC_TIME: set_date(var, a->when); break;
	case ARAS_EC_TYPE: set_int(var, a->type); break;
	case ARAS_EC_VM_UUID:
		snmp_set_var_typed_value(var, ASN_OCTET_STR, a->uuid, a->has_vm ? ARAS_UUID_LEN : 0);
		break;
	case ARAS_EC_VM_NAME: set_str(var, a->vm_name); break;
	case ARAS_EC_HOST: set_uint(var, ASN_UNSIGNED, a->host_index); break;
	case ARAS_EC_RESOURCE: set_int(var, a->resource ? a->resource : ARAS_RES_NONE); break;
	case ARAS_EC_VALUE: set_uint(var, ASN_UNSIGNED, a->value); break;
	case ARAS_EC_THRESHOLD: set_uint(var, ASN_UNSIGNED, a->threshold); break;
	case ARAS_EC_TEXT: set_str(var, a->text); break;
	case ARAS_EC_VM_UUID_STRING:
		if (a->has_vm)
			set_uuid_str(var, a->uuid);
		else
			set_str(var, "");
		break;
	case ARAS_EC_HOST_NAME: set_str(var, a->host_name); break;
	case ARAS_EC_GROUP: set_str(var, a->group); break;
	default: return -1;
	}
	return 0;
}

/* arasEventTable and arasActionTable rows point at their object. */
static const void *idx_obj(void *row)
{
	return ((struct idx_row *)row)->obj;
}

static size_t event_index(const void *row, oid *out)
{
	out[0] = ((const struct aras_event *)row)->index;
	return 1;
}

void aras_mib_event_added(void *arg, struct aras_event *e)
{
	(void)arg;
	if (mib.live)
		idx_row_add(mib.events, e->index, e, &e->priv);
}

void aras_mib_event_dropped(void *arg, struct aras_event *e)
{
	(void)arg;
	if (mib.live)
		idx_row_drop(mib.events, &e->priv);
}

/* ---- arasActionTable ---- */

/* arasCloneTable's rows follow the clone actions (below) */
static void clone_row_add(const struct aras_action *a);
static void clone_row_drop(uint32_t index, uint32_t action);

static uint32_t gauge32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

static int action_value(const void *row, unsigned col, netsnmp_variable_list *var)
{
	const struct aras_action *a = row;

	switch (col) {
	case ARAS_AC_VM_UUID: snmp_set_var_typed_value(var, ASN_OCTET_STR, a->uuid, ARAS_UUID_LEN); break;
	case ARAS_AC_VM_NAME: set_str(var, a->vm_name); break;
	case ARAS_AC_KIND: set_int(var, a->kind); break;
	case ARAS_AC_SOURCE: set_uint(var, ASN_UNSIGNED, a->source); break;
	case ARAS_AC_TARGET: set_uint(var, ASN_UNSIGNED, a->target); break;
	case ARAS_AC_STATE: set_int(var, a->state); break;
	case ARAS_AC_REASON: set_str(var, a->reason); break;
	case ARAS_AC_CREATED: set_date(var, a->created); break;
	case ARAS_AC_FINISHED: set_date(var, aras_action_finished(a) ? a->finished : 0); break;
	case ARAS_AC_ERROR: set_str(var, a->error); break;
	case ARAS_AC_ORIGIN: set_int(var, a->origin); break;
	case ARAS_AC_VM_UUID_STRING: set_uuid_str(var, a->uuid); break;
	case ARAS_AC_DATA_PROCESSED: set_uint(var, ASN_GAUGE, gauge32(a->data_processed)); break;
	case ARAS_AC_DATA_REMAINING: set_uint(var, ASN_GAUGE, gauge32(a->data_remaining)); break;
	case ARAS_AC_DATA_TOTAL: set_uint(var, ASN_GAUGE, gauge32(a->data_total)); break;
	case ARAS_AC_DOWNTIME: set_uint(var, ASN_GAUGE, a->downtime_ms); break;
	case ARAS_AC_DURATION: set_uint(var, ASN_GAUGE, a->duration_ms); break;
	default: return -1;
	}
	return 0;
}

/* arasActionState: approve(2) or reject(3) a proposed action. */
static void action_set(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r, void *arow, unsigned col)
{
	struct idx_row *row = arow;
	const struct aras_action *act = row ? row->obj : NULL;
	netsnmp_variable_list *var = r->requestvb;
	struct aras_order o;

	if (col != ARAS_AC_STATE) {
		netsnmp_set_request_error(reqinfo, r, SNMP_ERR_NOTWRITABLE);
		return;
	}
	switch (reqinfo->mode) {
	case MODE_SET_RESERVE1:
		if (var->type != ASN_INTEGER || var->val_len != sizeof(long)) {
			netsnmp_set_request_error(reqinfo, r, SNMP_ERR_WRONGTYPE);
			return;
		}
		if (!row) {
			netsnmp_set_request_error(reqinfo, r, SNMP_ERR_NOCREATION);
			return;
		}
		memset(&o, 0, sizeof(o));
		o.kind = ARAS_ORDER_DECIDE;
		o.action = act->index;
		o.state = (int)*var->val.integer;
		memcpy(o.uuid, act->uuid, ARAS_UUID_LEN);
		stage_order(reqinfo, r, &o, "arasActionState for VM", act->vm_name);
		return;
	case MODE_SET_RESERVE2: aras_txn_check_orders(mib.d, reqinfo, r); return;
	default:
		/* the decision acts at COMMIT with the rest of the PDU (txn.h) */
		aras_txn_phase(mib.d, reqinfo, r);
		return;
	}
}

static size_t action_index(const void *row, oid *out)
{
	out[0] = ((const struct aras_action *)row)->index;
	return 1;
}

void aras_mib_action_added(void *arg, struct aras_action *a)
{
	(void)arg;
	if (!mib.live)
		return;
	idx_row_add(mib.actions, a->index, a, &a->priv);
	clone_row_add(a);
}

void aras_mib_action_dropped(void *arg, struct aras_action *a)
{
	(void)arg;
	if (!mib.live)
		return;
	idx_row_drop(mib.actions, &a->priv);
	if (a->kind == ARAS_KIND_CLONE)
		clone_row_drop(a->clone_request, a->index);
}

/* ---- arasGroupTable ---- */

/* A row of arasGroupTable: the group's name as its index (length-prefixed string). */
struct grp_row {
	netsnmp_index idx;
	oid name_oid[1 + ARAS_GROUP_NAME_MAX];
	char name[ARAS_GROUP_NAME_MAX + 1];
	struct grp_row *next;
};

/*
 * The container follows the state's groups: rebuilt at registration and
 * after every commit.  Rows taken out wait on the dead list until the next
 * rebuild: a PDU still being committed may hold them.
 */
static struct {
	struct grp_row *live, *dead;
} grp;

static void grp_free_list(struct grp_row **l)
{
	while (*l) {
		struct grp_row *n = (*l)->next;

		free(*l);
		*l = n;
	}
}

void aras_mib_groups_sync(struct arasd *d)
{
	if (!mib.groups)
		return;
	grp_free_list(&grp.dead);
	while (grp.live) {
		struct grp_row *row = grp.live;

		grp.live = row->next;
		CONTAINER_REMOVE(mib.groups, row);
		row->next = grp.dead;
		grp.dead = row;
	}
	for (size_t i = aras_engine_state(d->eng)->ngroups; i-- > 0;) {
		const struct aras_group *g = &aras_engine_state(d->eng)->groups[i];
		struct grp_row *row = calloc(1, sizeof(*row));
		size_t len = strlen(g->name);

		if (!row) {
			log_err("out of memory adding a group row");
			continue;
		}
		snprintf(row->name, sizeof(row->name), "%s", g->name);
		row->name_oid[0] = len;
		for (size_t k = 0; k < len; k++)
			row->name_oid[1 + k] = (u_char)g->name[k];
		row->idx.oids = row->name_oid;
		row->idx.len = 1 + len;
		if (CONTAINER_INSERT(mib.groups, row) != 0) {
			log_err("cannot insert group row %s", g->name);
			free(row);
			continue;
		}
		row->next = grp.live;
		grp.live = row;
	}
}

/* A row's group in the live state (NULL: gone since the last sync). */
static const void *group_obj(void *vrow)
{
	const struct aras_state *st = aras_engine_state(mib.d->eng);
	int gi = aras_state_group_index(st, ((struct grp_row *)vrow)->name);

	return gi < 0 ? NULL : &st->groups[gi];
}

/* An arasGroupTable instance: the name, length first. */
static size_t group_index(const void *row, oid *out)
{
	const char *name = ((const struct aras_group *)row)->name;
	size_t len = strlen(name);

	out[0] = len;
	for (size_t k = 0; k < len; k++)
		out[1 + k] = (u_char)name[k];
	return 1 + len;
}

static int group_value(const void *row, unsigned col, netsnmp_variable_list *var)
{
	const struct aras_group *g = row;
	const struct aras_engine *e = mib.d->eng;
	const struct aras_state *st = aras_engine_state(e);
	size_t gi = (size_t)(g - st->groups);

	switch (col) {
	case ARAS_GC_RULE: set_int(var, g->rule); break;
	case ARAS_GC_HOSTS: set_str(var, g->hosts); break;
	case ARAS_GC_MEMBERS: set_uint(var, ASN_GAUGE, aras_state_group_members(st, g->name)); break;
	case ARAS_GC_VIOLATIONS: set_uint(var, ASN_GAUGE, aras_engine_group_violations(e, gi)); break;
	case ARAS_GC_ROW_STATUS: set_int(var, g->active ? RS_ACTIVE : RS_NOTINSERVICE); break;
	default: return -1;
	}
	return 0;
}

/* One varbind of arasGroupTable in RESERVE1, staged (RowStatus varbinds first, see group_reserve_all). */
static void group_reserve(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r, unsigned col,
			  const netsnmp_variable_list *idx)
{
	netsnmp_variable_list *var = r->requestvb;
	struct aras_group g, *cur;
	struct aras_state *st;
	char name[ARAS_GROUP_NAME_MAX + 1], bad[ARAS_GROUP_HOSTS_MAX + 1];
	int err = SNMP_ERR_NOERROR, rc;
	long v = 0;

	if (col != ARAS_GC_RULE && col != ARAS_GC_HOSTS && col != ARAS_GC_ROW_STATUS) {
		netsnmp_set_request_error(reqinfo, r, SNMP_ERR_NOTWRITABLE);
		return;
	}
	if (col == ARAS_GC_HOSTS ? var->type != ASN_OCTET_STR :
				   (var->type != ASN_INTEGER || var->val_len != sizeof(long))) {
		netsnmp_set_request_error(reqinfo, r, SNMP_ERR_WRONGTYPE);
		return;
	}
	if (!idx || idx->type != ASN_OCTET_STR || idx->val_len > ARAS_GROUP_NAME_MAX ||
	    aras_group_name_ok((const char *)idx->val.string, idx->val_len) < 0) {
		netsnmp_set_request_error(reqinfo, r, SNMP_ERR_INCONSISTENTNAME);
		return;
	}
	memcpy(name, idx->val.string, idx->val_len);
	name[idx->val_len] = '\0';
	if (col != ARAS_GC_HOSTS)
		v = *var->val.integer;
	st = aras_txn_stage(mib.d, reqinfo, r);
	if (!st)
		return;
	cur = (struct aras_group *)aras_state_group(st, name);
	switch (col) {
	case ARAS_GC_ROW_STATUS:
		if (v == RS_CREATEANDGO || v == RS_CREATEANDWAIT) {
			if (cur) {
				err = SNMP_ERR_INCONSISTENTVALUE;
				break;
			}
			memset(&g, 0, sizeof(g));
			snprintf(g.name, sizeof(g.name), "%s", name);
			g.rule = ARAS_RULE_ANTI_AFFINITY;
			g.active = v == RS_CREATEANDGO;
			if ((rc = aras_state_put_group(st, &g)) < 0)
				err = aras_snmp_err(rc);
		} else if (v == RS_ACTIVE || v == RS_NOTINSERVICE) {
			if (!cur)
				err = SNMP_ERR_INCONSISTENTVALUE;
			else
				cur->active = v == RS_ACTIVE;
		} else if (v == RS_DESTROY) {
			if (cur)
				aras_state_del_group(st, name);
		} else {
			err = SNMP_ERR_WRONGVALUE;
		}
		break;
	case ARAS_GC_RULE:
		if (v != ARAS_RULE_ANTI_AFFINITY && v != ARAS_RULE_AFFINITY)
			err = SNMP_ERR_WRONGVALUE;
		else if (!cur)
			err = SNMP_ERR_INCONSISTENTNAME;
		else
			cur->rule = (int)v;
		break;
	case ARAS_GC_HOSTS:
		if (var->val_len > ARAS_GROUP_HOSTS_MAX) {
			err = SNMP_ERR_WRONGLENGTH;
			break;
		}
		memcpy(bad, var->val.string, var->val_len);
		bad[var->val_len] = '\0';
		if (strlen(bad) != var->val_len || aras_group_hosts_ok(bad, var->val_len) < 0) {
			err = SNMP_ERR_WRONGVALUE;
			break;
		}
		snprintf(g.hosts, sizeof(g.hosts), "%s", bad);
		if (!aras_rules_hosts_known(aras_engine_model(mib.d->eng), g.hosts, bad, sizeof(bad))) {
			log_info("arasGroupHosts %s rejected: no host named '%s'", name, bad);
			err = SNMP_ERR_INCONSISTENTVALUE;
		} else if (!cur) {
			err = SNMP_ERR_INCONSISTENTNAME;
		} else {
			snprintf(cur->hosts, sizeof(cur->hosts), "%s", g.hosts);
		}
		break;
	}
	if (err != SNMP_ERR_NOERROR)
		netsnmp_set_request_error(reqinfo, r, err);
}

/*
 * RESERVE1 of every arasGroupTable varbind of the PDU: the RowStatus ones
 * first (create, destroy), then the columns, so that "rule, hosts, status
 * createAndGo" in any order sets up one row.
 */
static void group_reserve_all(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	for (int pass = 0; pass < 2; pass++)
		for (netsnmp_request_info *r = requests; r; r = r->next) {
			netsnmp_table_request_info *ti;

			if (r->processed || !(ti = netsnmp_extract_table_info(r)))
				continue;
			if ((ti->colnum == ARAS_GC_ROW_STATUS) != (pass == 0))
				continue;
			group_reserve(reqinfo, r, ti->colnum, ti->indexes);
		}
}

static void group_set(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r, void *row, unsigned col)
{
	(void)row;
	(void)col;
	/* RESERVE1 went through group_reserve_all; nothing crosses objects in RESERVE2 */
	if (reqinfo->mode != MODE_SET_RESERVE1 && reqinfo->mode != MODE_SET_RESERVE2)
		aras_txn_phase(mib.d, reqinfo, r);
}

/* ---- arasCloneTable ---- */

/*
 * A row of arasCloneTable: an operator's clone request whose order has run
 * (its action row exists; a request the last run journalled comes back
 * with its recovered order).  Its values are its action's, so the row
 * goes when the action row goes, or with destroy(6).
 */
struct clone_row {
	netsnmp_index idx;
	oid index_oid[1];
	uint32_t action;
};

static const void *clone_obj(void *row)
{
	struct aras_plan *p = aras_engine_plan(mib.d->eng);
	const struct aras_action *a = p ? aras_plan_get(p, ((struct clone_row *)row)->action) : NULL;

	return a && a->kind == ARAS_KIND_CLONE ? a : NULL;
}

static size_t clone_index(const void *obj, oid *out)
{
	out[0] = ((const struct aras_action *)obj)->clone_request;
	return 1;
}

static int clone_value(const void *obj, unsigned col, netsnmp_variable_list *var)
{
	const struct aras_action *a = obj;

	switch (col) {
	case ARAS_CLC_TEMPLATE: set_str(var, a->vm_name); break;
	case ARAS_CLC_NAME: set_str(var, a->clone_name); break;
	case ARAS_CLC_HOST: set_uint(var, ASN_UNSIGNED, a->target); break;
	case ARAS_CLC_START: set_int(var, a->clone_start ? 1 : 2); break;
	case ARAS_CLC_ACTION: set_uint(var, ASN_UNSIGNED, a->index); break;
	case ARAS_CLC_ROW_STATUS: set_int(var, RS_ACTIVE); break;
	default: return -1;
	}
	return 0;
}

static struct clone_row *clone_row_find(uint32_t index)
{
	oid o[1] = { index };
	netsnmp_index key = { 1, o };

	return mib.clones ? CONTAINER_FIND(mib.clones, &key) : NULL;
}

/* The clone action a's row, made when its order runs (the engine's action_added). */
static void clone_row_add(const struct aras_action *a)
{
	struct clone_row *row;

	if (a->kind != ARAS_KIND_CLONE || !a->clone_request || !mib.clones)
		return;
	if ((row = clone_row_find(a->clone_request))) {
		row->action = a->index; /* a recovered request of the last run: its new action */
		return;
	}
	if (!(row = calloc(1, sizeof(*row))))
		return;
	row->index_oid[0] = a->clone_request;
	row->idx.oids = row->index_oid;
	row->idx.len = 1;
	row->action = a->index;
	if (CONTAINER_INSERT(mib.clones, row) != 0)
		free(row);
}

static void clone_row_drop(uint32_t index, uint32_t action)
{
	struct clone_row *row = clone_row_find(index);

	if (row && (!action || row->action == action)) {
		CONTAINER_REMOVE(mib.clones, row);
		free(row);
	}
}

static void clone_row_free(void *row, void *ctx)
{
	(void)ctx;
	free(row);
}

/* The VM a template column names: its name (one VM of that name) or its UUID. */
static const struct aras_vm *clone_template(const char *text, char *why, size_t whylen)
{
	const struct aras_model *m = aras_engine_model(mib.d->eng);
	const struct aras_vm *found = NULL;
	uint8_t u[ARAS_UUID_LEN];

	if (aras_uuid_parse(text, u) == 0 && (found = aras_model_find_vm(m, u)))
		return found;
	for (size_t i = 0; i < m->nvms; i++) {
		if (strcmp(m->vms[i]->name, text) != 0)
			continue;
		if (found) {
			snprintf(why, whylen, "two VMs are named %.64s: give the template's UUID", text);
			return NULL;
		}
		found = m->vms[i];
	}
	if (!found)
		snprintf(why, whylen, "no VM named %.64s", text);
	return found;
}

/* A DisplayString varbind into buf (size): 0 or an SNMP error. */
static int clone_text(const netsnmp_variable_list *var, char *buf, size_t size)
{
	if (var->type != ASN_OCTET_STR)
		return SNMP_ERR_WRONGTYPE;
	if (var->val_len < 1 || var->val_len >= size)
		return SNMP_ERR_WRONGLENGTH;
	memcpy(buf, var->val.string, var->val_len);
	buf[var->val_len] = '\0';
	return strlen(buf) == var->val_len ? 0 : SNMP_ERR_WRONGVALUE;
}

/*
 * One createAndGo(4) of arasCloneTable row index, with the columns of the
 * same PDU (requests): the order, staged (error set on r, the RowStatus
 * varbind, or on the faulty column's).
 */
static int clone_create(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests,
			netsnmp_request_info *rs, uint32_t index)
{
	char tpl[ARAS_NAME_MAX], why[256];
	const struct aras_vm *vm;
	struct aras_order o;
	int have_tpl = 0, err;

	memset(&o, 0, sizeof(o));
	o.kind = ARAS_ORDER_CLONE;
	o.request = index;
	for (netsnmp_request_info *r = requests; r; r = r->next) {
		netsnmp_table_request_info *ti = netsnmp_extract_table_info(r);
		netsnmp_variable_list *var = r->requestvb;

		if (r->processed || !ti || !ti->indexes || *ti->indexes->val.integer != (long)index)
			continue;
		err = 0;
		switch (ti->colnum) {
		case ARAS_CLC_TEMPLATE:
			err = clone_text(var, tpl, sizeof(tpl));
			have_tpl = !err;
			break;
		case ARAS_CLC_NAME:
			if (!(err = clone_text(var, o.name, sizeof(o.name))) &&
			    !aras_clone_name_ok(o.name, strlen(o.name)))
				err = SNMP_ERR_WRONGVALUE;
			break;
		case ARAS_CLC_HOST:
			if (var->type != ASN_UNSIGNED && var->type != ASN_GAUGE)
				err = SNMP_ERR_WRONGTYPE;
			else
				o.target = (unsigned)*var->val.integer;
			break;
		case ARAS_CLC_START:
			if (var->type != ASN_INTEGER)
				err = SNMP_ERR_WRONGTYPE;
			else if (*var->val.integer != 1 && *var->val.integer != 2)
				err = SNMP_ERR_WRONGVALUE;
			else
				o.start = *var->val.integer == 1;
			break;
		}
		if (err) {
			netsnmp_set_request_error(reqinfo, r, err);
			return -1;
		}
	}
	if (!have_tpl || !o.name[0]) {
		log_info("arasCloneRowStatus.%u rejected: createAndGo needs arasCloneTemplate and "
			 "arasCloneName",
			 (unsigned)index);
		netsnmp_set_request_error(reqinfo, rs, SNMP_ERR_INCONSISTENTVALUE);
		return -1;
	}
	if (!(vm = clone_template(tpl, why, sizeof(why)))) {
		log_info("arasCloneRowStatus.%u rejected: %s", (unsigned)index, why);
		netsnmp_set_request_error(reqinfo, rs, SNMP_ERR_INCONSISTENTVALUE);
		return -1;
	}
	memcpy(o.uuid, vm->uuid, ARAS_UUID_LEN);
	stage_order(reqinfo, rs, &o, "arasCloneTable row for", o.name);
	return rs->status == SNMP_ERR_NOERROR ? 0 : -1;
}

/*
 * RESERVE1 of every arasCloneTable varbind of the PDU: each RowStatus
 * (createAndGo with its row's columns, destroy, active of a row that
 * exists), then columns with no createAndGo of their row in the PDU.
 */
static void clone_reserve_all(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	for (netsnmp_request_info *r = requests; r; r = r->next) {
		netsnmp_table_request_info *ti = netsnmp_extract_table_info(r);
		netsnmp_variable_list *var = r->requestvb;
		uint32_t index;
		long v;

		if (r->processed || !ti || ti->colnum != ARAS_CLC_ROW_STATUS)
			continue;
		if (var->type != ASN_INTEGER || var->val_len != sizeof(long)) {
			netsnmp_set_request_error(reqinfo, r, SNMP_ERR_WRONGTYPE);
			return;
		}
		index = (uint32_t)*ti->indexes->val.integer;
		v = *var->val.integer;
		if (index == 0) {
			netsnmp_set_request_error(reqinfo, r, SNMP_ERR_NOCREATION);
			return;
		}
		if (v == RS_CREATEANDGO) {
			if (clone_row_find(index)) {
				log_info("arasCloneRowStatus.%u rejected: the row exists", (unsigned)index);
				netsnmp_set_request_error(reqinfo, r, SNMP_ERR_INCONSISTENTVALUE);
				return;
			}
			if (clone_create(reqinfo, requests, r, index) < 0)
				return;
		} else if (v == RS_ACTIVE) {
			if (!clone_row_find(index)) {
				netsnmp_set_request_error(reqinfo, r, SNMP_ERR_INCONSISTENTVALUE);
				return;
			}
		} else if (v == RS_CREATEANDWAIT || v == RS_NOTINSERVICE) {
			/* a request runs as soon as it is made: no row waits (RFC 2579: wrongValue) */
			log_info("arasCloneRowStatus.%u rejected: only createAndGo(4), active(1) and "
				 "destroy(6)",
				 (unsigned)index);
			netsnmp_set_request_error(reqinfo, r,
						  v == RS_CREATEANDWAIT ? SNMP_ERR_WRONGVALUE :
									  SNMP_ERR_INCONSISTENTVALUE);
			return;
		} else if (v != RS_DESTROY) {
			netsnmp_set_request_error(reqinfo, r, SNMP_ERR_WRONGVALUE);
			return;
		}
	}
	/* a column needs its row's createAndGo in the same PDU: a request is not changed */
	for (netsnmp_request_info *r = requests; r; r = r->next) {
		netsnmp_table_request_info *ti = netsnmp_extract_table_info(r);
		int created = 0;

		if (r->processed || !ti || ti->colnum == ARAS_CLC_ROW_STATUS)
			continue;
		if (ti->colnum == ARAS_CLC_ACTION) {
			netsnmp_set_request_error(reqinfo, r, SNMP_ERR_NOTWRITABLE);
			return;
		}
		for (netsnmp_request_info *q = requests; q; q = q->next) {
			netsnmp_table_request_info *qi = netsnmp_extract_table_info(q);

			if (qi && qi->colnum == ARAS_CLC_ROW_STATUS &&
			    *qi->indexes->val.integer == *ti->indexes->val.integer &&
			    q->requestvb->type == ASN_INTEGER && *q->requestvb->val.integer == RS_CREATEANDGO)
				created = 1;
		}
		if (!created) {
			netsnmp_set_request_error(reqinfo, r,
						  clone_row_find((uint32_t)*ti->indexes->val.integer) ?
							  SNMP_ERR_INCONSISTENTVALUE :
							  SNMP_ERR_INCONSISTENTNAME);
			return;
		}
	}
}

static void clone_set(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r, void *row, unsigned col)
{
	(void)row;
	switch (reqinfo->mode) {
	case MODE_SET_RESERVE1: return; /* clone_reserve_all */
	case MODE_SET_RESERVE2: aras_txn_check_orders(mib.d, reqinfo, r); return;
	case MODE_SET_COMMIT:
		aras_txn_phase(mib.d, reqinfo, r);
		/*
		 * destroy(6): the request's row goes; its action (and job) stay.
		 * By the varbind's index: the orders run just now may have
		 * dropped old actions, and with them the row found at RESERVE1.
		 */
		if (col == ARAS_CLC_ROW_STATUS && *r->requestvb->val.integer == RS_DESTROY) {
			netsnmp_table_request_info *ti = netsnmp_extract_table_info(r);

			if (ti && ti->indexes)
				clone_row_drop((uint32_t)*ti->indexes->val.integer, 0);
		}
		return;
	default: aras_txn_phase(mib.d, reqinfo, r); return;
	}
}

/* ---- arasStatus scalars ---- */

/* arasStatus.col (row: NULL, the scalars have none). */
static int status_value(const void *row, unsigned col, netsnmp_variable_list *var)
{
	const struct arasd *d = mib.d;
	const struct aras_counters *c = &d->counters;
	struct aras_engine_counters cnt;

	(void)row;
	aras_engine_counters(d->eng, &cnt);
	switch (col) {
	case ARAS_ST_HOST_COUNT: set_uint(var, ASN_GAUGE, aras_engine_model(d->eng)->nhosts); break;
	case ARAS_ST_VM_COUNT: set_uint(var, ASN_GAUGE, aras_engine_model(d->eng)->nvms); break;
	case ARAS_ST_POLLS: set_uint(var, ASN_COUNTER, c->polls); break;
	case ARAS_ST_LAST_POLL_TIME: set_uint(var, ASN_UNSIGNED, c->last_poll_ms); break;
	case ARAS_ST_NOTIF_SENT: set_uint(var, ASN_COUNTER, c->notif_sent); break;
	case ARAS_ST_NOTIF_DROPPED: set_uint(var, ASN_COUNTER, c->notif_dropped); break;
	case ARAS_ST_EVENTS_DROPPED:
		set_uint(var, ASN_COUNTER,
			 aras_engine_evlog(d->eng) ? aras_evlog_dropped(aras_engine_evlog(d->eng)) : 0);
		break;
	case ARAS_ST_MAIL_SENT: set_uint(var, ASN_COUNTER, c->mail_sent); break;
	case ARAS_ST_MAIL_FAILED: set_uint(var, ASN_COUNTER, c->mail_failed); break;
	case ARAS_ST_SCRIPT_RUNS: set_uint(var, ASN_COUNTER, c->script_runs); break;
	case ARAS_ST_SCRIPT_FAILED: set_uint(var, ASN_COUNTER, c->script_failed); break;
	case ARAS_ST_VERSION: set_str(var, ARASD_VERSION); break;
	case ARAS_ST_VMS_ALERTING:
	case ARAS_ST_VMS_CPU_ALERTING:
	case ARAS_ST_VMS_MEM_ALERTING:
	case ARAS_ST_VMS_DISK_ALERTING:
	case ARAS_ST_HOSTS_DOWN:
	case ARAS_ST_HOSTS_MAINT: {
		/* kept by the engine as states change: no walk over the VMs here */
		const struct aras_model_summary *s = aras_engine_summary(d->eng);

		set_uint(var, ASN_GAUGE,
			 col == ARAS_ST_VMS_ALERTING ? s->vms_alerting :
			 col == ARAS_ST_HOSTS_DOWN   ? s->hosts_down :
			 col == ARAS_ST_HOSTS_MAINT  ? s->hosts_maint :
						       s->res_alerting[col - ARAS_ST_VMS_CPU_ALERTING]);
		break;
	}
	case ARAS_ST_ACTIONS_RUNNING:
	case ARAS_ST_PROPOSALS_WAITING: {
		unsigned active, waiting;

		aras_plan_tally(aras_engine_plan(d->eng), &active, &waiting);
		set_uint(var, ASN_GAUGE, col == ARAS_ST_ACTIONS_RUNNING ? active : waiting);
		break;
	}
	case ARAS_ST_ACTIONS_FAILED: set_uint(var, ASN_COUNTER, cnt.actions_failed); break;
	case ARAS_ST_STATE_CHANGES: set_uint(var, ASN_COUNTER, cnt.vm_state_changes); break;
	case ARAS_ST_STATE_COALESCED: set_uint(var, ASN_COUNTER, cnt.state_coalesced); break;
	case ARAS_ST_RULE_VIOLATIONS: set_uint(var, ASN_GAUGE, cnt.rule_violations); break;
	case ARAS_ST_RULE_VIOLATIONS_SEEN: set_uint(var, ASN_COUNTER, cnt.rule_violations_seen); break;
	case ARAS_ST_ACTIONS_BACKED_OFF: set_uint(var, ASN_COUNTER, (uint32_t)cnt.backed_off); break;
	case ARAS_ST_MOVES_HELD_MIN_STAY: set_uint(var, ASN_COUNTER, cnt.held_min_stay); break;
	case ARAS_ST_MIGRATIONS_QUEUED: set_uint(var, ASN_GAUGE, cnt.migrations_queued); break;
	case ARAS_ST_CONTROLLER_NODE: set_str(var, d->owner.node); break;
	case ARAS_ST_TAKEOVERS: set_uint(var, ASN_COUNTER, d->owner.takeovers); break;
	case ARAS_ST_TAKEOVER_FROM: set_str(var, d->owner.from); break;
	case ARAS_ST_TAKEOVER_GAP: set_uint(var, ASN_GAUGE, d->owner.last_gap_ms); break;
	case ARAS_ST_TAKEOVER_GAP_TOTAL: set_uint(var, ASN_COUNTER, (uint32_t)d->owner.gap_total_ms); break;
	case ARAS_ST_TAKEOVER_ADOPTED: set_uint(var, ASN_GAUGE, d->takeover_adopted); break;
	default: return -1;
	}
	return 0;
}

/* A scalar's instance: .0 */
static size_t scalar_index(const void *row, oid *out)
{
	(void)row;
	out[0] = 0;
	return 1;
}

/* ---- arasVmDiskTable, arasVmNicTable, arasVmVcpuTable (issue 23) ---- */

static u_long mib_of(uint64_t bytes)
{
	return (u_long)(bytes >> 20 > 0xffffffffull ? 0xffffffffu : bytes >> 20);
}

static int disk_value(const void *row, unsigned col, netsnmp_variable_list *var)
{
	const struct aras_disk *d = ((const struct aras_mib_dev *)row)->dev;

	switch (col) {
	case ARAS_DC_TARGET: set_str(var, d->target); break;
	case ARAS_DC_SOURCE: set_str(var, d->source); break;
	case ARAS_DC_BUS: set_str(var, d->bus); break;
	case ARAS_DC_SOURCE_TYPE: set_int(var, d->source_type); break;
	case ARAS_DC_MEDIA: set_int(var, d->media); break;
	case ARAS_DC_READONLY: set_int(var, d->readonly ? 1 : 2); break;
	case ARAS_DC_RD_BYTES: set_c64(var, d->total.rd_bytes); break;
	case ARAS_DC_WR_BYTES: set_c64(var, d->total.wr_bytes); break;
	case ARAS_DC_RD_REQS: set_c64(var, d->total.rd_reqs); break;
	case ARAS_DC_WR_REQS: set_c64(var, d->total.wr_reqs); break;
	case ARAS_DC_FL_REQS: set_c64(var, d->total.fl_reqs); break;
	case ARAS_DC_RD_TIME: set_c64(var, d->total.rd_ns); break;
	case ARAS_DC_WR_TIME: set_c64(var, d->total.wr_ns); break;
	case ARAS_DC_FL_TIME: set_c64(var, d->total.fl_ns); break;
	case ARAS_DC_RD_RATE: set_uint(var, ASN_GAUGE, d->rd_rate); break;
	case ARAS_DC_WR_RATE: set_uint(var, ASN_GAUGE, d->wr_rate); break;
	case ARAS_DC_RD_IOPS: set_uint(var, ASN_GAUGE, d->rd_iops); break;
	case ARAS_DC_WR_IOPS: set_uint(var, ASN_GAUGE, d->wr_iops); break;
	case ARAS_DC_ERRORS: set_uint(var, ASN_GAUGE, d->errs); break;
	case ARAS_DC_CAPACITY: set_uint(var, ASN_GAUGE, mib_of(d->capacity)); break;
	case ARAS_DC_ALLOCATION: set_uint(var, ASN_GAUGE, mib_of(d->allocation)); break;
	case ARAS_DC_PHYSICAL: set_uint(var, ASN_GAUGE, mib_of(d->physical)); break;
	case ARAS_DC_USAGE: set_uint(var, ASN_UNSIGNED, d->usage); break;
	case ARAS_DC_STATS_VALID: set_int(var, d->has_stats ? 1 : 2); break;
	case ARAS_DC_VM_NAME: set_str(var, ((const struct aras_mib_dev *)row)->vm->name); break;
	case ARAS_DC_CAPACITY_TARGET: set_uint(var, ASN_UNSIGNED, mib_of(d->capacity)); break;
	default: return -1;
	}
	return 0;
}

static int nic_value(const void *row, unsigned col, netsnmp_variable_list *var)
{
	const struct aras_nic *c = ((const struct aras_mib_dev *)row)->dev;

	switch (col) {
	case ARAS_NC_TARGET: set_str(var, c->target); break;
	case ARAS_NC_MAC: snmp_set_var_typed_value(var, ASN_OCTET_STR, c->mac, c->has_mac ? 6 : 0); break;
	case ARAS_NC_TYPE: set_str(var, c->type); break;
	case ARAS_NC_NETWORK: set_str(var, c->network); break;
	case ARAS_NC_MODEL: set_str(var, c->model); break;
	case ARAS_NC_RX_BYTES: set_c64(var, c->total.rx_bytes); break;
	case ARAS_NC_TX_BYTES: set_c64(var, c->total.tx_bytes); break;
	case ARAS_NC_RX_PKTS: set_c64(var, c->total.rx_pkts); break;
	case ARAS_NC_TX_PKTS: set_c64(var, c->total.tx_pkts); break;
	case ARAS_NC_RX_ERRS: set_c64(var, c->total.rx_errs); break;
	case ARAS_NC_TX_ERRS: set_c64(var, c->total.tx_errs); break;
	case ARAS_NC_RX_DROP: set_c64(var, c->total.rx_drop); break;
	case ARAS_NC_TX_DROP: set_c64(var, c->total.tx_drop); break;
	case ARAS_NC_RX_RATE: set_uint(var, ASN_GAUGE, c->rx_rate); break;
	case ARAS_NC_TX_RATE: set_uint(var, ASN_GAUGE, c->tx_rate); break;
	case ARAS_NC_RX_PPS: set_uint(var, ASN_GAUGE, c->rx_pps); break;
	case ARAS_NC_TX_PPS: set_uint(var, ASN_GAUGE, c->tx_pps); break;
	case ARAS_NC_STATS_VALID: set_int(var, c->has_stats ? 1 : 2); break;
	case ARAS_NC_VM_NAME: set_str(var, ((const struct aras_mib_dev *)row)->vm->name); break;
	default: return -1;
	}
	return 0;
}

static int vcpu_value(const void *row, unsigned col, netsnmp_variable_list *var)
{
	const struct aras_vcpu *v = ((const struct aras_mib_dev *)row)->dev;

	switch (col) {
	case ARAS_CC_STATE:
		/* a state libvirt may add later reads offline, outside the MIB's list never */
		set_int(var, v->has_stats && v->state >= ARAS_VCPU_OFFLINE && v->state <= ARAS_VCPU_BLOCKED ?
				     v->state :
				     ARAS_VCPU_OFFLINE);
		break;
	case ARAS_CC_TIME: set_c64(var, v->total_time_ns); break;
	case ARAS_CC_WAIT: set_c64(var, v->wait_ns); break;
	case ARAS_CC_DELAY: set_c64(var, v->delay_ns); break;
	case ARAS_CC_STEAL: set_uint(var, ASN_UNSIGNED, v->steal); break;
	case ARAS_CC_CPUSET: set_str(var, v->cpuset); break;
	case ARAS_CC_STATS_VALID: set_int(var, v->has_stats ? 1 : 2); break;
	default: return -1;
	}
	return 0;
}

/* The VM's 16 UUID octets, then a length and the target's characters. */
static size_t named_index(const struct aras_vm *vm, const char *name, oid *out)
{
	size_t n = strlen(name);

	for (int i = 0; i < ARAS_UUID_LEN; i++)
		out[i] = vm->uuid[i];
	out[ARAS_UUID_LEN] = n;
	for (size_t i = 0; i < n; i++)
		out[ARAS_UUID_LEN + 1 + i] = (unsigned char)name[i];
	return ARAS_UUID_LEN + 1 + n;
}

static size_t disk_index(const void *row, oid *out)
{
	const struct aras_mib_dev *r = row;

	return named_index(r->vm, ((const struct aras_disk *)r->dev)->target, out);
}

static size_t nic_index(const void *row, oid *out)
{
	const struct aras_mib_dev *r = row;

	return named_index(r->vm, ((const struct aras_nic *)r->dev)->target, out);
}

static size_t vcpu_index(const void *row, oid *out)
{
	const struct aras_mib_dev *r = row;

	for (int i = 0; i < ARAS_UUID_LEN; i++)
		out[i] = r->vm->uuid[i];
	out[ARAS_UUID_LEN] = ((const struct aras_vcpu *)r->dev)->number;
	return ARAS_UUID_LEN + 1;
}

/* ---- one encoder per object ---- */

/*
 * Every value ARAS-MIB reads out, by table: the table handlers answer
 * GET/GETNEXT with it and notify.c builds every notification's varbinds
 * with it (aras_mib_add_varbind), so that a notification's varbind always
 * equals the GET of the same instance (tests/integration/t_notify_get.sh).
 * No object is encoded anywhere else.
 */
struct obj_table {
	oid base[ARAS_OID_BASE_LEN + 3]; /* the entry (table), or the group (scalars) */
	size_t base_len;
	/* column col of the object into var: 0, or -1 (no such instance: a sparse column) */
	int (*value)(const void *obj, unsigned col, netsnmp_variable_list *var);
	/* the object's instance sub-identifiers into out (at most ARAS_INDEX_MAX): their count */
	size_t (*index)(const void *obj, oid *out);
	/* the object of a registered container row (NULL: gone); NULL for the scalars */
	const void *(*obj)(void *row);
};

/* The longest instance: a device's (UUID, length, target), longer than an arasGroupTable name. */
#define ARAS_INDEX_MAX (ARAS_UUID_LEN + 1 + ARAS_DEV_TARGET_MAX)

static const struct obj_table obj_tables[] = {
	[ARAS_MIB_STATUS] = { { ARAS_OID_STATUS }, ARAS_OID_BASE_LEN + 2, status_value, scalar_index, NULL },
	[ARAS_MIB_HOST] = { { ARAS_OID_HOST_ENTRY },
			    ARAS_OID_BASE_LEN + 3,
			    host_value,
			    host_index,
			    host_obj },
	[ARAS_MIB_VM] = { { ARAS_OID_VM_ENTRY }, ARAS_OID_BASE_LEN + 3, vm_value, vm_index, vm_obj },
	[ARAS_MIB_EVENT] = { { ARAS_OID_EVENT_ENTRY },
			     ARAS_OID_BASE_LEN + 3,
			     event_value,
			     event_index,
			     idx_obj },
	[ARAS_MIB_ACTION] = { { ARAS_OID_ACTION_ENTRY },
			      ARAS_OID_BASE_LEN + 3,
			      action_value,
			      action_index,
			      idx_obj },
	[ARAS_MIB_GROUP] = { { ARAS_OID_GROUP_ENTRY },
			     ARAS_OID_BASE_LEN + 3,
			     group_value,
			     group_index,
			     group_obj },
	[ARAS_MIB_DISK] = { { ARAS_OID_DISK_ENTRY }, ARAS_OID_BASE_LEN + 3, disk_value, disk_index, NULL },
	[ARAS_MIB_NIC] = { { ARAS_OID_NIC_ENTRY }, ARAS_OID_BASE_LEN + 3, nic_value, nic_index, NULL },
	[ARAS_MIB_VCPU] = { { ARAS_OID_VCPU_ENTRY }, ARAS_OID_BASE_LEN + 3, vcpu_value, vcpu_index, NULL },
	[ARAS_MIB_CLONE] = { { ARAS_OID_CLONE_ENTRY },
			     ARAS_OID_BASE_LEN + 3,
			     clone_value,
			     clone_index,
			     clone_obj },
};

int aras_mib_add_varbind(netsnmp_variable_list **vars, enum aras_mib_table t, unsigned col, const void *obj)
{
	const struct obj_table *tb = &obj_tables[t];
	oid o[ARAS_OID_BASE_LEN + 4 + ARAS_INDEX_MAX];
	netsnmp_variable_list *v, tmp;
	size_t len = tb->base_len;

	memcpy(o, tb->base, len * sizeof(oid));
	o[len++] = col;
	len += tb->index(obj, o + len);
	/* encode first: a sparse column without a value adds no varbind */
	memset(&tmp, 0, sizeof(tmp));
	if (tb->value(obj, col, &tmp) < 0) {
		snmp_free_var_internals(&tmp);
		return -1;
	}
	v = snmp_varlist_add_variable(vars, o, len, tmp.type, tmp.val.string, tmp.val_len);
	snmp_free_var_internals(&tmp);
	return v ? 0 : -1;
}

/* ---- one handler for every table ---- */

/* What a table needs: its encoder (obj_tables); one SET phase of one varbind (NULL: read-only). */
struct table_ops {
	const struct obj_table *enc;
	void (*set)(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r, void *row, unsigned col);
	/* RESERVE1 of all the PDU's varbinds at once (NULL: set, one by one) */
	void (*reserve1)(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests);
};

static const struct table_ops vm_ops = { &obj_tables[ARAS_MIB_VM], vm_set, NULL };
static const struct table_ops host_ops = { &obj_tables[ARAS_MIB_HOST], host_set, NULL };
static const struct table_ops event_ops = { &obj_tables[ARAS_MIB_EVENT], NULL, NULL };
static const struct table_ops action_ops = { &obj_tables[ARAS_MIB_ACTION], action_set, NULL };
static const struct table_ops group_ops = { &obj_tables[ARAS_MIB_GROUP], group_set, group_reserve_all };
static const struct table_ops clone_ops = { &obj_tables[ARAS_MIB_CLONE], clone_set, clone_reserve_all };

/* A GET of column col of a row: the encoder's value, or noSuchInstance (row gone, sparse column). */
static void get_value(const struct table_ops *ops, netsnmp_agent_request_info *reqinfo,
		      netsnmp_request_info *r, void *row, unsigned col)
{
	const void *obj = row ? ops->enc->obj(row) : NULL;

	if (!obj || ops->enc->value(obj, col, r->requestvb) < 0)
		netsnmp_set_request_error(reqinfo, r, SNMP_NOSUCHINSTANCE);
}

/* table_container has found the row (NULL for a SET on a missing one). */
static int table_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reginfo,
			 netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	const struct table_ops *ops = reginfo->my_reg_void;

	(void)handler;
	if (reqinfo->mode == MODE_SET_RESERVE1 && ops->reserve1) {
		ops->reserve1(reqinfo, requests);
		return SNMP_ERR_NOERROR;
	}
	for (netsnmp_request_info *r = requests; r; r = r->next) {
		void *row;
		netsnmp_table_request_info *ti;

		if (r->processed)
			continue;
		row = netsnmp_container_table_row_extract(r);
		ti = netsnmp_extract_table_info(r);
		if (!ti)
			netsnmp_set_request_error(reqinfo, r, SNMP_ERR_GENERR);
		else if (reqinfo->mode == MODE_GET)
			get_value(ops, reqinfo, r, row, ti->colnum);
		else if (!ops->set)
			netsnmp_set_request_error(reqinfo, r, SNMP_ERR_NOTWRITABLE);
		else
			ops->set(reqinfo, r, row, ti->colnum);
	}
	/* the SET is live now: the group rows follow it (after the loop: rows of this PDU stay valid within it) */
	if (ops == &group_ops && reqinfo->mode == MODE_SET_COMMIT)
		aras_mib_groups_sync(mib.d);
	return SNMP_ERR_NOERROR;
}

/* ---- scalars ---- */

/* Decode a SET varbind for setting id (core/settings.h): 0 or an SNMP error. */
static int config_decode(int id, const netsnmp_variable_list *var, uint32_t *out)
{
	int vt = var->type == ASN_INTEGER   ? ARAS_VT_INTEGER :
		 var->type == ASN_UNSIGNED  ? ARAS_VT_UNSIGNED :
		 var->type == ASN_OCTET_STR ? ARAS_VT_OCTETS :
					      ARAS_VT_OTHER;
	int rc = aras_settings_decode(
		id, vt, (vt == ARAS_VT_INTEGER || vt == ARAS_VT_UNSIGNED) ? *var->val.integer : 0,
		var->val_len, var->val.string, var->val_len, out);

	return rc < 0 ? aras_snmp_err(rc) : 0;
}

static void config_set(int id, netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r)
{
	struct aras_state *st;
	char why[256];
	uint32_t v;
	int err, rc;

	switch (reqinfo->mode) {
	case MODE_SET_RESERVE1:
		err = config_decode(id, r->requestvb, &v);
		if (!err && aras_settings_check_range(id, v) < 0)
			err = SNMP_ERR_WRONGVALUE;
		if (err) {
			netsnmp_set_request_error(reqinfo, r, err);
			return;
		}
		st = aras_txn_stage(mib.d, reqinfo, r);
		if (st)
			aras_state_set_setting(st, id, v);
		return;
	case MODE_SET_RESERVE2:
		/* against the staged state, which holds every varbind of the PDU */
		st = aras_txn_stage(mib.d, reqinfo, r);
		if (!st)
			return;
		rc = aras_settings_validate_set(&st->settings, id, st->settings.v[id], why, sizeof(why));
		if (rc < 0) {
			log_info("SNMP SET rejected: %s", why);
			netsnmp_set_request_error(reqinfo, r, aras_snmp_err(rc));
		}
		return;
	default: aras_txn_phase(mib.d, reqinfo, r);
	}
}

void aras_mib_setting_set(int id, netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r)
{
	config_set(id, reqinfo, r);
}

/* The encoder of arasConfig's scalar of setting id. */
static void config_value(int id, netsnmp_variable_list *var)
{
	uint32_t v = aras_engine_settings(mib.d->eng)->v[id];

	switch (aras_setting_defs[id].type) {
	case ARAS_ST_ENUM: set_int(var, (long)v); break;
	case ARAS_ST_BITS: {
		/* BITS: bit 0 is the most significant bit of the first octet. */
		u_char octet = 0;

		for (int b = 0; b < 8; b++)
			if (v & (1u << b))
				octet |= (u_char)(0x80 >> b);
		snmp_set_var_typed_value(var, ASN_OCTET_STR, &octet, 1);
		break;
	}
	default: set_uint(var, ASN_UNSIGNED, v);
	}
}

static int config_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reginfo,
			  netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	int id = (int)(intptr_t)reginfo->my_reg_void;

	(void)handler;
	for (netsnmp_request_info *r = requests; r; r = r->next) {
		if (reqinfo->mode != MODE_GET) {
			config_set(id, reqinfo, r);
			continue;
		}
		config_value(id, r->requestvb);
	}
	return SNMP_ERR_NOERROR;
}

static int status_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reginfo,
			  netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	unsigned col = (unsigned)(intptr_t)reginfo->my_reg_void;

	(void)handler;
	for (netsnmp_request_info *r = requests; r; r = r->next) {
		if (reqinfo->mode != MODE_GET)
			netsnmp_set_request_error(reqinfo, r, SNMP_ERR_NOTWRITABLE);
		else if (status_value(NULL, col, r->requestvb) < 0)
			netsnmp_set_request_error(reqinfo, r, SNMP_NOSUCHINSTANCE);
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

/*
 * What each table registration allocated, undone at exit (D9: no leak at
 * exit); get_handler reads its table's entry (the handler's myvoid).
 */
static struct table_reg {
	netsnmp_handler_registration *reg;
	netsnmp_table_registration_info *ti;
	netsnmp_container *c;
} tables[6];
static size_t ntables;

/*
 * A GETNEXT the row's handler answered noSuchInstance (a sparse column
 * without a value in that row): ask the agent to retry from that OID, so
 * the walk goes on with the next row or column.  net-snmp's own
 * sparse_table helper does the same but, injected into a container table,
 * stops the handlers below it.
 */
static int sparse_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reginfo,
			  netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	int mode = reqinfo->mode;
	int rc = netsnmp_call_next_handler(handler, reginfo, reqinfo, requests);

	if (mode != MODE_GETNEXT && mode != MODE_GETBULK)
		return rc;
	for (netsnmp_request_info *r = requests; r; r = r->next)
		if (r->requestvb->type == SNMP_NOSUCHINSTANCE) {
			r->requestvb->type = ASN_PRIV_RETRY;
			r->processed = 0;
		}
	return rc;
}

/* The row of the last GET varbind get_handler looked up: its index (in that varbind's name) and row. */
struct last_row {
	const oid *index;
	size_t len; /* 0: none yet */
	void *row;
};

/*
 * A GET varbind naming table.1.col.index with col in the table's range:
 * the row the container holds at that index (NULL: none) and col in *col,
 * or 0 for any other name (left to the table helper).  The index is the
 * container's key as the varbind spells it, the key table_container looks
 * up; a run of varbinds of the same instance (the columns a poller asks of
 * one row) is looked up once.
 */
static int instance_row(const struct table_reg *t, const netsnmp_variable_list *var, struct last_row *last,
			void **row, unsigned *col)
{
	size_t base = t->reg->rootoid_len;
	netsnmp_index key;

	if (var->type != ASN_NULL || var->name_length <= base + 2 || var->name[base] != 1 ||
	    var->name[base + 1] < t->ti->min_column || var->name[base + 1] > t->ti->max_column ||
	    netsnmp_oid_equals(var->name, base, t->reg->rootoid, base) != 0)
		return 0;
	key.oids = var->name + base + 2;
	key.len = var->name_length - base - 2;
	if (!last->len || netsnmp_oid_equals(key.oids, key.len, last->index, last->len) != 0) {
		last->index = key.oids;
		last->len = key.len;
		last->row = CONTAINER_FIND(t->c, &key);
	}
	*row = last->row;
	*col = (unsigned)var->name[base + 1];
	return 1;
}

/*
 * GET, before net-snmp's table helper: a Zabbix-style poll asks for many
 * columns of one row per PDU, and the helpers (table, aras_sparse,
 * table_container) cost per varbind an index parsed into a cloned varbind,
 * a container search and eight allocations and frees.  A varbind naming an
 * instance of a row the container holds is answered here, by get_value as
 * table_handler would; the others (no such row, a name the table helper
 * rejects or completes) and every other mode go down the chain as before,
 * so each answer on the wire is the one the helpers give.
 */
static int get_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reginfo,
		       netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	const struct table_reg *t = handler->myvoid;
	struct last_row last = { NULL, 0, NULL };
	int rest = 0;

	if (reqinfo->mode != MODE_GET)
		return netsnmp_call_next_handler(handler, reginfo, reqinfo, requests);
	for (netsnmp_request_info *r = requests; r; r = r->next) {
		void *row;
		unsigned col;

		if (r->processed)
			continue;
		if (!instance_row(t, r->requestvb, &last, &row, &col) || !row) {
			rest++;
			continue;
		}
		get_value(reginfo->my_reg_void, reqinfo, r, row, col);
		r->processed = 1; /* the helpers below skip it */
	}
	return rest ? netsnmp_call_next_handler(handler, reginfo, reqinfo, requests) : SNMP_ERR_NOERROR;
}

static netsnmp_container *register_table(const char *name, const oid *table, size_t len,
					 const struct table_ops *ops, u_char idxtype, unsigned maxcol)
{
	netsnmp_handler_registration *reg;
	netsnmp_table_registration_info *ti;
	netsnmp_container *c;
	netsnmp_mib_handler *get;
	struct table_reg *t;

	if (ntables == ARAS_ARRAY_SIZE(tables)) {
		log_err("cannot register %s: tables[] is full", name);
		return NULL;
	}
	t = &tables[ntables];
	reg = netsnmp_create_handler_registration(name, table_handler, table, len,
						  ops->set ? HANDLER_CAN_RWRITE : HANDLER_CAN_RONLY);
	ti = SNMP_MALLOC_TYPEDEF(netsnmp_table_registration_info);
	c = netsnmp_container_find("table_container");
	get = netsnmp_create_handler("aras_get", get_handler);
	if (!reg || !ti || !c || !get) {
		log_err("cannot allocate %s", name);
		return NULL;
	}
	reg->my_reg_void = (void *)ops;
	netsnmp_table_helper_add_indexes(ti, idxtype, 0);
	ti->min_column = 2;
	ti->max_column = maxcol;
	/*
	 * Sparse columns (the steal figures are absent where the hypervisor
	 * does not report them): net-snmp's sparse_table handler, between
	 * the table helper and the container (which hands a GETNEXT down as
	 * a GET of the next row), turns a GETNEXT answered noSuchInstance
	 * into a retry from there, so a walk skips the hole.  aras_get, first
	 * of all, answers the GETs of existing rows itself (get_handler).
	 */
	get->myvoid = t;
	if (netsnmp_container_table_register(reg, ti, c, TABLE_CONTAINER_KEY_NETSNMP_INDEX) !=
		    MIB_REGISTERED_OK ||
	    netsnmp_inject_handler_before(reg, netsnmp_create_handler("aras_sparse", sparse_handler),
					  "table_container") != SNMPERR_SUCCESS ||
	    netsnmp_inject_handler(reg, get) != SNMPERR_SUCCESS) {
		log_err("cannot register %s", name);
		return NULL;
	}
	t->reg = reg;
	t->ti = ti;
	t->c = c;
	ntables++;
	return c;
}

/*
 * The device tables: no container.  Their rows are the devices of the
 * model's VMs (struct aras_vm's dev), which a poll replaces wholesale, so
 * a request reads them where they are: the VMs are sorted by UUID (the
 * first 16 sub-identifiers of every instance), and a VM's few devices are
 * searched for the next instance in OID order.  GETBULK comes as GETNEXT
 * (net-snmp's bulk_to_next, injected by netsnmp_register_handler).
 */
struct dev_kind {
	enum aras_mib_table t;
	unsigned max_col;
};

static const struct dev_kind dev_kinds[] = {
	{ ARAS_MIB_DISK, ARAS_DC_MAX },
	{ ARAS_MIB_NIC, ARAS_NC_MAX },
	{ ARAS_MIB_VCPU, ARAS_CC_MAX },
};

static size_t dev_count(enum aras_mib_table t, const struct aras_vm *vm)
{
	return t == ARAS_MIB_DISK ? vm->dev.ndisks : t == ARAS_MIB_NIC ? vm->dev.nnics : vm->dev.nvcpus;
}

static const void *dev_at(enum aras_mib_table t, const struct aras_vm *vm, size_t i)
{
	if (t == ARAS_MIB_DISK)
		return &vm->dev.disks[i];
	return t == ARAS_MIB_NIC ? (const void *)&vm->dev.nics[i] : (const void *)&vm->dev.vcpus[i];
}

/* First VM whose 16 UUID sub-identifiers are >= the first (up to 16) of inst. */
static size_t dev_vm_lower(const struct aras_model *m, const oid *inst, size_t len)
{
	size_t lo = 0, hi = m->nvms, k = len < ARAS_UUID_LEN ? len : ARAS_UUID_LEN;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		oid u[ARAS_UUID_LEN];

		for (int i = 0; i < ARAS_UUID_LEN; i++)
			u[i] = m->vms[mid]->uuid[i];
		if (snmp_oid_compare(u, ARAS_UUID_LEN, inst, k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The row of table kind whose instance is the smallest one after inst
 * (inst NULL: the first): into *out (and its instance into buf, *blen);
 * 1, or 0 for none.  Every column of a device row has a value (no sparse
 * column), so col is not needed to choose the row.
 */
static int dev_next(const struct dev_kind *k, const oid *inst, size_t len, struct aras_mib_dev *out, oid *buf,
		    size_t *blen)
{
	const struct aras_model *m = aras_engine_model(mib.d->eng);
	const struct obj_table *tb = &obj_tables[k->t];

	for (size_t v = inst ? dev_vm_lower(m, inst, len) : 0; v < m->nvms; v++) {
		const struct aras_vm *vm = m->vms[v];
		size_t n = dev_count(k->t, vm);
		int found = 0;

		for (size_t i = 0; i < n; i++) {
			struct aras_mib_dev r = { vm, dev_at(k->t, vm, i) };
			oid o[ARAS_INDEX_MAX];
			size_t olen = tb->index(&r, o);

			if (inst && snmp_oid_compare(o, olen, inst, len) <= 0)
				continue;
			if (found && snmp_oid_compare(o, olen, buf, *blen) >= 0)
				continue;
			memcpy(buf, o, olen * sizeof(oid));
			*blen = olen;
			*out = r;
			found = 1;
		}
		if (found)
			return 1;
	}
	return 0;
}

/* The row of an exact instance (GET); 1, or 0 for none. */
static int dev_exact(const struct dev_kind *k, const oid *inst, size_t len, struct aras_mib_dev *out)
{
	const struct aras_model *m = aras_engine_model(mib.d->eng);
	const struct obj_table *tb = &obj_tables[k->t];
	uint8_t uuid[ARAS_UUID_LEN];
	const struct aras_vm *vm;

	if (len <= ARAS_UUID_LEN)
		return 0;
	for (int i = 0; i < ARAS_UUID_LEN; i++) {
		if (inst[i] > 255)
			return 0;
		uuid[i] = (uint8_t)inst[i];
	}
	vm = aras_model_find_vm(m, uuid);
	for (size_t i = 0; vm && i < dev_count(k->t, vm); i++) {
		struct aras_mib_dev r = { vm, dev_at(k->t, vm, i) };
		oid o[ARAS_INDEX_MAX];
		size_t olen = tb->index(&r, o);

		if (snmp_oid_compare(o, olen, inst, len) == 0) {
			*out = r;
			return 1;
		}
	}
	return 0;
}

/*
 * A SET of a device table: arasDiskCapacityTarget, an operator's edit of
 * the disk's size (an order, txn.h); any other column is not writable.
 */
static void disk_set(const struct dev_kind *k, netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r)
{
	const struct obj_table *tb = &obj_tables[k->t];
	netsnmp_variable_list *var = r->requestvb;
	size_t base = tb->base_len;
	struct aras_mib_dev row;
	struct aras_order o;

	if (k->t != ARAS_MIB_DISK || var->name_length <= base + 1 ||
	    snmp_oid_compare(var->name, base, tb->base, base) != 0 ||
	    var->name[base] != ARAS_DC_CAPACITY_TARGET) {
		netsnmp_set_request_error(reqinfo, r, SNMP_ERR_NOTWRITABLE);
		return;
	}
	switch (reqinfo->mode) {
	case MODE_SET_RESERVE1:
		if (var->type != ASN_UNSIGNED && var->type != ASN_GAUGE) {
			netsnmp_set_request_error(reqinfo, r, SNMP_ERR_WRONGTYPE);
			return;
		}
		if (!dev_exact(k, var->name + base + 1, var->name_length - base - 1, &row)) {
			netsnmp_set_request_error(reqinfo, r, SNMP_ERR_NOCREATION);
			return;
		}
		memset(&o, 0, sizeof(o));
		o.kind = ARAS_ORDER_EDIT;
		o.edit = ARAS_EDIT_DISK;
		o.value = (uint32_t)*var->val.integer;
		memcpy(o.uuid, row.vm->uuid, ARAS_UUID_LEN);
		snprintf(o.disk, sizeof(o.disk), "%s", ((const struct aras_disk *)row.dev)->target);
		stage_order(reqinfo, r, &o, "arasDiskCapacityTarget for VM", row.vm->name);
		return;
	case MODE_SET_RESERVE2: aras_txn_check_orders(mib.d, reqinfo, r); return;
	default: aras_txn_phase(mib.d, reqinfo, r); return;
	}
}

static int dev_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reginfo,
		       netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	const struct dev_kind *k = handler->myvoid;
	const struct obj_table *tb = &obj_tables[k->t];
	size_t base = tb->base_len; /* the entry's OID: table.1 */

	(void)reginfo;
	for (netsnmp_request_info *r = requests; r; r = r->next) {
		netsnmp_variable_list *var = r->requestvb;
		struct aras_mib_dev row;
		oid name[ARAS_OID_BASE_LEN + 4 + ARAS_INDEX_MAX];
		size_t ilen = 0;

		if (r->processed)
			continue;
		if (reqinfo->mode == MODE_GET) {
			if (var->name_length <= base + 1 ||
			    snmp_oid_compare(var->name, base, tb->base, base) != 0 || var->name[base] < 2 ||
			    var->name[base] > k->max_col) {
				netsnmp_set_request_error(reqinfo, r, SNMP_NOSUCHOBJECT);
				continue;
			}
			if (!dev_exact(k, var->name + base + 1, var->name_length - base - 1, &row) ||
			    tb->value(&row, (unsigned)var->name[base], var) < 0)
				netsnmp_set_request_error(reqinfo, r, SNMP_NOSUCHINSTANCE);
			continue;
		}
		if (reqinfo->mode != MODE_GETNEXT) {
			disk_set(k, reqinfo, r);
			continue;
		}
		{
			unsigned col = 2;
			const oid *inst = NULL;
			size_t len = 0;
			int c = snmp_oid_compare(var->name, var->name_length < base ? var->name_length : base,
						 tb->base, base);

			if (c > 0 || (c == 0 && var->name_length > base && var->name[base] > k->max_col))
				continue; /* past the table: left ASN_NULL, the agent goes on */
			if (c == 0 && var->name_length > base && var->name[base] >= 2) {
				col = (unsigned)var->name[base];
				inst = var->name + base + 1;
				len = var->name_length - base - 1;
			}
			for (; col <= k->max_col; col++, inst = NULL, len = 0) {
				if (!dev_next(k, inst, len, &row, name + base + 1, &ilen))
					continue;
				memcpy(name, tb->base, base * sizeof(oid));
				name[base] = col;
				snmp_set_var_objid(var, name, base + 1 + ilen);
				tb->value(&row, col, var);
				break;
			}
		}
	}
	return SNMP_ERR_NOERROR;
}

static int register_dev_table(const char *name, const oid *table, size_t len, const struct dev_kind *k)
{
	netsnmp_mib_handler *h = netsnmp_create_handler(name, dev_handler);
	netsnmp_handler_registration *reg;

	if (!h)
		return -1;
	h->myvoid = (void *)k;
	/* arasVmDiskTable has one writable column (arasDiskCapacityTarget) */
	reg = netsnmp_handler_registration_create(
		name, h, table, len, k->t == ARAS_MIB_DISK ? HANDLER_CAN_RWRITE : HANDLER_CAN_RONLY);
	if (!reg || netsnmp_register_handler(reg) != MIB_REGISTERED_OK) {
		log_err("cannot register %s", name);
		return -1;
	}
	return 0;
}

int aras_mib_register(struct arasd *d)
{
	static const oid config_oid[] = { ARAS_OID_CONFIG };
	static const oid status_oid[] = { ARAS_OID_STATUS };
	static const oid host_oid[] = { ARAS_OID_HOST_TABLE };
	static const oid vm_oid[] = { ARAS_OID_VM_TABLE };
	static const oid event_oid[] = { ARAS_OID_EVENT_TABLE };
	static const oid action_oid[] = { ARAS_OID_ACTION_TABLE };
	static const oid group_oid[] = { ARAS_OID_GROUP_TABLE };
	static const oid disk_oid[] = { ARAS_OID_DISK_TABLE };
	static const oid nic_oid[] = { ARAS_OID_NIC_TABLE };
	static const oid vcpu_oid[] = { ARAS_OID_VCPU_TABLE };
	static const oid clone_oid[] = { ARAS_OID_CLONE_TABLE };
	int rc = 0;

	mib.d = d;
	for (int i = 0; i < ARAS_S_COUNT; i++)
		if (aras_setting_defs[i].subid) /* 0: VM-MIB's (vmmib.c) */
			rc |= register_scalar(aras_setting_defs[i].mib_name, config_oid,
					      OID_LENGTH(config_oid), aras_setting_defs[i].subid,
					      config_handler, i, aras_setting_defs[i].snmp_writable);
	for (int col = 1; col <= ARAS_ST_MAX; col++)
		rc |= register_scalar("arasStatus", status_oid, OID_LENGTH(status_oid), (unsigned)col,
				      status_handler, col, 0);
	rc |= register_scalar("arasMovesHeldMinStay", status_oid, OID_LENGTH(status_oid),
			      ARAS_ST_MOVES_HELD_MIN_STAY, status_handler, ARAS_ST_MOVES_HELD_MIN_STAY, 0);
	rc |= register_scalar("arasMigrationsQueued", status_oid, OID_LENGTH(status_oid),
			      ARAS_ST_MIGRATIONS_QUEUED, status_handler, ARAS_ST_MIGRATIONS_QUEUED, 0);
	for (int col = ARAS_ST_CONTROLLER_NODE; col <= ARAS_ST_HA_MAX; col++)
		rc |= register_scalar("arasStatus (failover)", status_oid, OID_LENGTH(status_oid),
				      (unsigned)col, status_handler, col, 0);
	/*
	 * arasVmUuid is OCTET STRING (SIZE(16)): a fixed-length string index
	 * is encoded without a length sub-identifier (RFC 2578 7.7), which is
	 * what net-snmp calls an IMPLIED string.
	 */
	mib.vms = register_table("arasVmTable", vm_oid, OID_LENGTH(vm_oid), &vm_ops,
				 ASN_PRIV_IMPLIED_OCTET_STR, ARAS_VC_MAX);
	mib.hosts = register_table("arasHostTable", host_oid, OID_LENGTH(host_oid), &host_ops, ASN_UNSIGNED,
				   ARAS_HC_MAX);
	mib.actions = register_table("arasActionTable", action_oid, OID_LENGTH(action_oid), &action_ops,
				     ASN_UNSIGNED, ARAS_AC_MAX);
	mib.events = register_table("arasEventTable", event_oid, OID_LENGTH(event_oid), &event_ops,
				    ASN_UNSIGNED, ARAS_EC_MAX);
	mib.groups = register_table("arasGroupTable", group_oid, OID_LENGTH(group_oid), &group_ops,
				    ASN_OCTET_STR, ARAS_GC_MAX);
	rc |= register_dev_table("arasVmDiskTable", disk_oid, OID_LENGTH(disk_oid), &dev_kinds[0]);
	rc |= register_dev_table("arasVmNicTable", nic_oid, OID_LENGTH(nic_oid), &dev_kinds[1]);
	rc |= register_dev_table("arasVmVcpuTable", vcpu_oid, OID_LENGTH(vcpu_oid), &dev_kinds[2]);
	mib.clones = register_table("arasCloneTable", clone_oid, OID_LENGTH(clone_oid), &clone_ops,
				    ASN_UNSIGNED, ARAS_CLC_MAX);
	if (rc || !mib.vms || !mib.hosts || !mib.events || !mib.actions || !mib.groups || !mib.clones)
		return -1;
	aras_mib_groups_sync(d);
	for (size_t i = 0; i < aras_engine_model(d->eng)->nhosts; i++) {
		struct idx_row *row =
			idx_row_add(mib.hosts, aras_engine_model(d->eng)->hosts[i].index, NULL, NULL);

		if (!row)
			return -1;
		row->host = aras_engine_model(d->eng)->hosts[i].index;
	}
	/*
	 * net-snmp finds each varbind's registration by walking its list of
	 * subtrees from the start (some 60 here: every setting and status
	 * scalar is one) unless its lookup cache is on, which only
	 * init_master_agent() turns on: on for the subagent too.  Every
	 * registration and unregistration invalidates it.
	 */
	netsnmp_set_lookup_cache_size(-1);
	mib.live = 1; /* the engine's row effects (src/daemon/effects.c) reach the tables from now on */
	return 0;
}

static void free_row(void *row, void *ctx)
{
	(void)ctx;
	free(row);
}

void aras_mib_unregister(struct arasd *d)
{
	/* The row effects are ignored from now on: every row is freed here. */
	mib.live = 0;
	if (mib.hosts)
		CONTAINER_CLEAR(mib.hosts, free_row, NULL);
	for (size_t i = 0; i < aras_engine_model(d->eng)->nvms; i++) {
		free(aras_engine_model(d->eng)->vms[i]->priv);
		aras_engine_model(d->eng)->vms[i]->priv = NULL;
	}
	if (mib.vms)
		CONTAINER_CLEAR(mib.vms, NULL, NULL);
	if (aras_engine_evlog(d->eng)) {
		for (size_t i = 0; i < aras_evlog_count(aras_engine_evlog(d->eng)); i++) {
			struct aras_event *e = aras_evlog_at(aras_engine_evlog(d->eng), i);

			free(e->priv);
			e->priv = NULL;
		}
	}
	if (mib.events)
		CONTAINER_CLEAR(mib.events, NULL, NULL);
	if (aras_engine_plan(d->eng)) {
		for (size_t i = 0; i < aras_plan_count(aras_engine_plan(d->eng)); i++) {
			struct aras_action *a = aras_plan_at(aras_engine_plan(d->eng), i);

			free(a->priv);
			a->priv = NULL;
		}
	}
	if (mib.actions)
		CONTAINER_CLEAR(mib.actions, NULL, NULL);
	if (mib.groups)
		CONTAINER_CLEAR(mib.groups, NULL, NULL);
	if (mib.clones)
		CONTAINER_CLEAR(mib.clones, clone_row_free, NULL);
	grp_free_list(&grp.live);
	grp_free_list(&grp.dead);
	mib.vms = mib.hosts = mib.events = mib.actions = mib.groups = mib.clones = NULL;
}

void aras_mib_free_tables(void)
{
	/*
	 * shutdown_agent() freed the registrations; the table info (and its
	 * index varbinds) and the (now empty) containers net-snmp leaves to the
	 * caller.  Not unregistered one by one before: that is a synchronous
	 * AgentX round trip per table, and net-snmp leaks its answer's address.
	 */
	for (size_t i = 0; i < ntables; i++) {
		tables[i].ti->valid_columns = NULL; /* static */
		netsnmp_table_registration_info_free(tables[i].ti);
		CONTAINER_FREE(tables[i].c);
	}
	ntables = 0;
}

/* ---- the same encoders for src/snmp/prom.c (/metrics): no varbind list ---- */

int aras_mib_value(enum aras_mib_table t, unsigned col, const void *obj, struct variable_list *var)
{
	memset(var, 0, sizeof(*var));
	if (obj_tables[t].value(obj, col, var) < 0) {
		snmp_free_var_internals(var);
		return -1;
	}
	return 0;
}

int aras_mib_config_value(unsigned subid, struct variable_list *var)
{
	int id = aras_settings_by_subid(subid);

	memset(var, 0, sizeof(*var));
	if (id < 0 || !mib.d)
		return -1;
	config_value(id, var);
	return 0;
}

size_t aras_mib_index_text(enum aras_mib_table t, const void *obj, char *buf, size_t size)
{
	oid o[ARAS_INDEX_MAX];
	size_t n = obj_tables[t].index(obj, o), len = 0;

	if (n == 1) /* an integer index */
		return (size_t)snprintf(buf, size, "%lu", (unsigned long)o[0]);
	/* a string index, length first (arasGroupName) */
	for (size_t k = 1; k < n && k <= o[0] && len + 1 < size; k++)
		buf[len++] = (char)o[k];
	buf[len] = '\0';
	return len;
}

struct rows_walk {
	const struct obj_table *tb;
	void (*fn)(const void *obj, void *arg);
	void *arg;
};

static void rows_one(void *row, void *ctx)
{
	struct rows_walk *w = ctx;
	const void *obj = w->tb->obj(row);

	if (obj)
		w->fn(obj, w->arg);
}

int aras_mib_rows(enum aras_mib_table t, void (*fn)(const void *obj, void *arg), void *arg)
{
	netsnmp_container *c = t == ARAS_MIB_HOST   ? mib.hosts :
			       t == ARAS_MIB_VM     ? mib.vms :
			       t == ARAS_MIB_GROUP  ? mib.groups :
			       t == ARAS_MIB_EVENT  ? mib.events :
			       t == ARAS_MIB_ACTION ? mib.actions :
			       t == ARAS_MIB_CLONE  ? mib.clones :
						      NULL;
	struct rows_walk w = { &obj_tables[t], fn, arg };

	if (!c || !mib.live)
		return -1;
	CONTAINER_FOR_EACH(c, rows_one, &w);
	return 0;
}
