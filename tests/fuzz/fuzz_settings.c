/*
 * fuzz_settings.c - libFuzzer target: the config's value parsers and the
 * SET decoding.  First byte picks the setting; then either the text parser
 * (numbers, enum names, BITS name lists: aras_settings_parse), or the SET
 * decoder (aras_settings_decode) with a varbind type, integer and octets,
 * followed by the range and whole-set consistency checks a SET runs.
 */
#include "core/settings.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aras_settings s;
	char why[256];
	uint32_t v;
	int id;

	if (size < 2)
		return 0;
	/* one value past the table: an id that is not a setting */
	id = data[0] % (ARAS_S_COUNT + 1);
	if (id == ARAS_S_COUNT)
		id = -1;
	aras_settings_defaults(&s);
	if (data[1] & 1) {
		char *text = malloc(size - 1);

		if (!text)
			return 0;
		memcpy(text, data + 2, size - 2);
		text[size - 2] = '\0';
		if (id >= 0 && aras_settings_parse(id, text, &v, why, sizeof(why)) == 0) {
			char back[128];
			uint32_t again;

			/* what is parsed formats back to text that parses to the same value */
			aras_settings_format(id, v, back, sizeof(back));
			if (aras_settings_parse(id, back, &again, why, sizeof(why)) != 0 || again != v)
				abort();
		}
		(void)aras_settings_by_token(text);
		free(text);
		return 0;
	}
	{
		long ival = 0;
		size_t ilen = sizeof(long);

		if (size >= 2 + sizeof(long))
			memcpy(&ival, data + 2, sizeof(long));
		if (data[1] & 2)
			ilen = data[1] >> 4;
		if (aras_settings_decode(id, (data[1] >> 2) % 5, ival, ilen, data + 2, size - 2, &v) == 0 &&
		    aras_settings_check_range(id, v) == 0 &&
		    aras_settings_validate_set(&s, id, v, why, sizeof(why)) == 0)
			s.v[id] = v;
		(void)aras_settings_check_consistent(&s, why, sizeof(why));
	}
	return 0;
}
