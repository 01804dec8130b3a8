/*
 * tools/enums.c - print every enumeration ARAS-MIB shares with the core,
 * from the core's own tables, one "OBJECT VALUE LABEL" line per value.
 * tools/enums.sh compares these lines with the MIB's INTEGER / BITS
 * lists and with the Zabbix template's value maps (`make lint`), and
 * rewrites the MIB's lists from them (`make enums`), so that a new action
 * kind, command or event type is named in one place: its core table.
 * Built against the core objects only (libc), like the unit tests.
 */
#include "core/alert.h"
#include "core/plan.h"
#include "core/settings.h"
#include "core/state.h"
#include "core/vmstate.h"

#include <stdio.h>
#include <string.h>

/* Print values 1.. of name(v) until it no longer knows v (returns unknown). */
static void list(const char *object, const char *(*name)(int), const char *unknown)
{
	for (int v = 1; v < 1000; v++) {
		const char *n = name(v);

		if (strcmp(n, unknown) == 0)
			break;
		printf("%s %d %s\n", object, v, n);
	}
}

/* arasEventResource (aras_resource_name says "none" for anything else). */
static const char *resource_name(int v)
{
	return v >= ARAS_RES_NONE && v <= ARAS_RES_DISK ? aras_resource_name(v) : "?";
}

int main(void)
{
	list("arasActionKind", aras_kind_name, "unknown");
	list("arasActionState", aras_astate_name, "unknown");
	list("arasActionOrigin", aras_origin_name, "unknown");
	list("arasEventType", aras_event_name, "unknown");
	list("arasEventResource", resource_name, "?");
	list("arasVmCommand", aras_cmd_name, "?");
	list("ArasVmOperState", aras_oper_name, "?");
	list("arasGroupRule", aras_group_rule_name, "?");
	for (int i = 0; i < ARAS_S_COUNT; i++) {
		const struct aras_setting_def *d = &aras_setting_defs[i];

		if (d->type == ARAS_ST_ENUM && d->names != NULL && strcmp(d->names[0], "true") != 0)
			for (unsigned k = 0; k < d->nnames; k++)
				printf("%s %u %s\n", d->mib_name, k + 1, d->names[k]);
		if (d->type == ARAS_ST_BITS)
			for (unsigned k = 0; k < d->nnames; k++)
				printf("%s %u %s\n", d->mib_name, k, d->names[k]);
	}
	return 0;
}
