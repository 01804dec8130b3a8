/*
 * fuzz_journal.c - libFuzzer target: the order journal parser
 * (aras_journal_parse, what arasd runs at start on stateFile.orders), and
 * the formatter on what it accepted: every order it returns formats to a
 * line that parses back to the same order (but its "start" mark, a line
 * of its own).
 */
#include "core/journal.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aras_jlog l, back;
	char why[256], line[ARAS_JOURNAL_LINE_MAX];

	if (aras_journal_parse((const char *)data, size, "fuzz", &l, why, sizeof(why)) < 0)
		return 0;
	for (size_t i = 0; i < l.n; i++) {
		struct aras_order want = l.v[i].o;

		want.started = 0;
		if (aras_journal_format_order(&l.v[i].o, line, sizeof(line)) < 0)
			abort();
		if (aras_journal_parse(line, strlen(line), "format", &back, why, sizeof(why)) < 0 ||
		    back.n != 1 || memcmp(&back.v[0].o, &want, sizeof(want)) != 0)
			abort();
		aras_jlog_free(&back);
		aras_journal_format_done(l.v[i].o.id, ARAS_JOUT_FAILED, l.v[i].text, line, sizeof(line));
		if (!memchr(line, '\n', strlen(line)) || strchr(line, '\n') != line + strlen(line) - 1)
			abort();
	}
	aras_jlog_free(&l);
	return 0;
}
