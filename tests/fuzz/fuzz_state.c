/*
 * fuzz_state.c - libFuzzer target: the state file parser
 * (aras_state_parse, what aras_state_load runs on the file's bytes).
 */
#include "core/state.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aras_state st;
	char why[256];

	aras_state_init(&st);
	(void)aras_state_parse(&st, (const char *)data, size, "fuzz", why, sizeof(why));
	aras_state_free(&st);
	return 0;
}
