/*
 * fuzz_owner.c - libFuzzer target: the owner file's parser
 * (aras_owner_parse, what arasd runs at start on stateFile.owner, which
 * another node's arasd wrote), and the formatter on what it accepted: the
 * line parses back to the same owner, and a takeover keeps it valid.
 */
#include "core/owner.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void round_trip(const struct aras_owner *o)
{
	struct aras_owner back;
	char why[256], line[1024];

	if (aras_owner_format(o, line, sizeof(line)) < 0)
		abort();
	if (aras_owner_parse(line, strlen(line), "format", &back, why, sizeof(why)) < 0 ||
	    memcmp(&back, o, sizeof(back)) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aras_owner o, next;
	char why[256];

	if (aras_owner_parse((const char *)data, size, "fuzz", &o, why, sizeof(why)) < 0)
		return 0;
	round_trip(&o);
	if (aras_owner_start(&o, "fuzz-node", &next) != (strcmp(o.node, "fuzz-node") != 0))
		abort();
	round_trip(&next);
	return 0;
}
