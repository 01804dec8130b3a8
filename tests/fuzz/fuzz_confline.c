/*
 * fuzz_confline.c - libFuzzer target: the config file's host line parser
 * and word splitter (core/confline.c): every accepted word fits its limit,
 * every accepted index is 1..65535.
 */
#include "core/confline.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);
	struct aras_host_line h;
	const char *why;

	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	if (aras_conf_host_line(line, &h, &why) == 0) {
		if (!h.name || !h.uri || strlen(h.name) > ARAS_HOST_NAME_MAX_LEN ||
		    strlen(h.uri) > ARAS_HOST_URI_MAX_LEN || h.index > 65535)
			abort();
	} else if (!why || !*why) {
		abort();
	}
	free(line);
	return 0;
}
