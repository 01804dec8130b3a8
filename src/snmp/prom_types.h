/*
 * prom_types.h - the shape of the generated table prom_table.h (what
 * snmp_exporter's module arasd prints), read by src/snmp/prom.c only.
 */
#ifndef ARAS_SNMP_PROM_TYPES_H
#define ARAS_SNMP_PROM_TYPES_H

#include <stddef.h>

/* Where a metric's value is read: which group or table of ARAS-MIB. */
enum aras_prom_src { ARAS_PROM_CONFIG, ARAS_PROM_STATUS, ARAS_PROM_HOST, ARAS_PROM_VM, ARAS_PROM_GROUP };

/* How snmp_exporter turns the value into series (its metric types). */
enum aras_prom_kind {
	ARAS_PROM_GAUGE,    /* NAME{labels} value */
	ARAS_PROM_COUNTER,  /* the same, TYPE counter */
	ARAS_PROM_STATESET, /* EnumAsStateSet: NAME{...,NAME="state"} 1 for the current, 0 for the others */
	ARAS_PROM_INFO,     /* EnumAsInfo: NAME_info{...,NAME="state"} 1 */
	ARAS_PROM_TEXT,     /* DisplayString: NAME{...,NAME="text"} 1 */
	ARAS_PROM_BITS,     /* Bits: NAME{...,NAME="bit"} 1 or 0, one series per named bit */
};

struct aras_prom_enum {
	int value;
	const char *name;
};

/* A label of every series of a table: col 0 is the row's index, else a column's text. */
struct aras_prom_label {
	const char *name;
	unsigned col;
};

struct aras_prom_table {
	const struct aras_prom_label *labels; /* sorted by name */
	unsigned nlabels;
};

struct aras_prom_metric {
	const char *family; /* the name printed (NAME_info for EnumAsInfo) */
	const char *name;   /* the object, and the label of its own value */
	const char *help;   /* escaped for HELP already */
	enum aras_prom_src src;
	enum aras_prom_kind kind;
	unsigned col;        /* column or scalar sub-identifier */
	int self_pos;        /* where the own-value label goes among the table's labels; -1: none */
	unsigned enum_first; /* prom_enums[enum_first .. +nenums] */
	unsigned nenums;
};

#endif
