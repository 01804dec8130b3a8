/*
 * fuzz_uuid.c - libFuzzer target: UUID text parsing and formatting
 * (aras_uuid_parse / aras_uuid_format round trip).
 */
#include "core/aras.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	uint8_t u[ARAS_UUID_LEN], again[ARAS_UUID_LEN];
	char buf[ARAS_UUID_STRLEN];

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (aras_uuid_parse(text, u) == 0) {
		aras_uuid_format(u, buf);
		if (strlen(buf) != 36 || aras_uuid_parse(buf, again) != 0 || memcmp(u, again, sizeof(u)) != 0)
			abort();
	}
	free(text);
	if (size >= ARAS_UUID_LEN) {
		aras_uuid_format(data, buf);
		if (aras_uuid_parse(buf, again) != 0 || memcmp(data, again, ARAS_UUID_LEN) != 0)
			abort();
	}
	return 0;
}
