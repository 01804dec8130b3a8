/*
 * test_util.c - error strings, UUID text forms and the escape of names for
 * lines (src/core/util.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/aras.h"

static const struct {
	const char *name;
	uint8_t bytes[ARAS_UUID_LEN];
	const char *text;
} uuid_cases[] = {
	{ "zero", { 0 }, "00000000-0000-0000-0000-000000000000" },
	{ "all ff",
	  { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	  "ffffffff-ffff-ffff-ffff-ffffffffffff" },
	{ "sequence",
	  { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff },
	  "00112233-4455-6677-8899-aabbccddeeff" },
	{ "libvirt test domain",
	  { 0x6a, 0x1a, 0x6f, 0x0d, 0x2d, 0x3c, 0x4c, 0x3e, 0x9b, 0x6e, 0x0b, 0x36, 0x4e, 0x2c, 0xe6, 0x65 },
	  "6a1a6f0d-2d3c-4c3e-9b6e-0b364e2ce665" },
	{ "nibbles",
	  { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10 },
	  "01234567-89ab-cdef-fedc-ba9876543210" },
};

/* format gives the canonical lower-case 8-4-4-4-12 text. */
static void uuid_format_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(uuid_cases) / sizeof(uuid_cases[0]); i++) {
		char buf[ARAS_UUID_STRLEN + 8];

		memset(buf, 'X', sizeof(buf));
		aras_uuid_format(uuid_cases[i].bytes, buf);
		if (strcmp(buf, uuid_cases[i].text) != 0)
			fail_msg("%s: format gave '%s', want '%s'", uuid_cases[i].name, buf,
				 uuid_cases[i].text);
		assert_int_equal(strlen(buf), ARAS_UUID_STRLEN - 1);
		/* nothing written past the documented buffer size */
		assert_int_equal(buf[ARAS_UUID_STRLEN], 'X');
	}
}

/* parse(text) gives the bytes back; also without dashes and in upper case. */
static void uuid_parse_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(uuid_cases) / sizeof(uuid_cases[0]); i++) {
		char nodash[40], upper[40];
		uint8_t out[ARAS_UUID_LEN];
		size_t k = 0;

		for (const char *p = uuid_cases[i].text; *p; p++)
			if (*p != '-')
				nodash[k++] = *p;
		nodash[k] = '\0';
		assert_int_equal(k, 32);
		for (k = 0; uuid_cases[i].text[k]; k++) {
			char c = uuid_cases[i].text[k];

			upper[k] = (c >= 'a' && c <= 'f') ? (char)(c - 'a' + 'A') : c;
		}
		upper[k] = '\0';

		const char *forms[] = { uuid_cases[i].text, nodash, upper };

		for (size_t f = 0; f < 3; f++) {
			memset(out, 0x5a, sizeof(out));
			if (aras_uuid_parse(forms[f], out) != 0)
				fail_msg("%s: parse('%s') failed", uuid_cases[i].name, forms[f]);
			if (memcmp(out, uuid_cases[i].bytes, ARAS_UUID_LEN) != 0)
				fail_msg("%s: parse('%s') gave other bytes", uuid_cases[i].name, forms[f]);
		}
	}
}

/* format(parse(format(x))) == format(x) for many pseudo-random UUIDs. */
static void uuid_round_trip_random(void **state)
{
	uint32_t x = 2463534242u;

	(void)state;
	for (int n = 0; n < 2000; n++) {
		uint8_t in[ARAS_UUID_LEN], out[ARAS_UUID_LEN];
		char text[ARAS_UUID_STRLEN], text2[ARAS_UUID_STRLEN];

		for (int b = 0; b < ARAS_UUID_LEN; b++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			in[b] = (uint8_t)x;
		}
		aras_uuid_format(in, text);
		assert_int_equal(aras_uuid_parse(text, out), 0);
		assert_memory_equal(in, out, ARAS_UUID_LEN);
		aras_uuid_format(out, text2);
		assert_string_equal(text, text2);
	}
}

static const struct {
	const char *name;
	const char *text;
} bad_uuids[] = {
	{ "empty", "" },
	{ "only dashes", "----" },
	{ "one digit", "0" },
	{ "too short by a byte", "00112233-4455-6677-8899-aabbccddee" },
	{ "too short by a digit", "00112233-4455-6677-8899-aabbccddeef" },
	{ "too short, no dashes", "00112233445566778899aabbccddee" },
	{ "too long by a digit", "00112233-4455-6677-8899-aabbccddeeff0" },
	{ "too long by a byte", "00112233-4455-6677-8899-aabbccddeeff00" },
	{ "too long, no dashes", "00112233445566778899aabbccddeeff00" },
	{ "trailing dash", "00112233-4455-6677-8899-aabbccddeeff-" },
	{ "trailing space", "00112233-4455-6677-8899-aabbccddeeff " },
	{ "trailing newline", "00112233-4455-6677-8899-aabbccddeeff\n" },
	{ "leading space", " 00112233-4455-6677-8899-aabbccddeeff" },
	{ "g in first group", "0011223g-4455-6677-8899-aabbccddeeff" },
	{ "g in last digit", "00112233-4455-6677-8899-aabbccddeefg" },
	{ "G upper", "G0112233-4455-6677-8899-aabbccddeeff" },
	{ "x prefix", "0x112233-4455-6677-8899-aabbccddeeff" },
	{ "colon separators", "00112233:4455:6677:8899:aabbccddeeff" },
	{ "dash inside a byte", "0-112233-4455-6677-8899-aabbccddeeff" },
	{ "braces", "{00112233-4455-6677-8899-aabbccddeeff}" },
	{ "space inside", "00112233-4455-6677-8899 aabbccddeeff" },
	{ "high byte", "00112233-4455-6677-8899-aabbccddee\xff\xff" },
};

static void uuid_parse_invalid_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_uuids) / sizeof(bad_uuids[0]); i++) {
		uint8_t out[ARAS_UUID_LEN];
		int rc = aras_uuid_parse(bad_uuids[i].text, out);

		if (rc != -ARAS_E_INVAL)
			fail_msg("%s: parse('%s') = %d, want %d", bad_uuids[i].name, bad_uuids[i].text, rc,
				 -ARAS_E_INVAL);
	}
}

static const struct {
	int err;
	const char *want;
} err_cases[] = {
	{ ARAS_OK, "success" },
	{ ARAS_E_NOMEM, "out of memory" },
	{ -ARAS_E_NOMEM, "out of memory" },
	{ -ARAS_E_INVAL, "invalid value" },
	{ -ARAS_E_RANGE, "value out of range" },
	{ -ARAS_E_INCONSIST, "inconsistent with other settings" },
	{ -ARAS_E_RDONLY, "not writable" },
	{ -ARAS_E_NOENT, "no such object" },
	{ -ARAS_E_IO, "I/O error" },
	{ -ARAS_E_VIRT, "libvirt error" },
	{ ARAS_E_BUSY, "busy" },
	{ -ARAS_E_BUSY, "busy" },
	{ ARAS_E_LENGTH, "wrong length" },
	{ -ARAS_E_LENGTH, "wrong length" },
	{ 11, "unknown error" },
	{ -11, "unknown error" },
	{ 12345, "unknown error" },
};

/* aras_uuid_lower: the first element not below the key, in arrays of structs with the UUID anywhere */
static void uuid_lower_bound(void **state)
{
	struct row {
		int before;
		uint8_t uuid[ARAS_UUID_LEN];
		char after;
	} rows[5];
	uint8_t key[ARAS_UUID_LEN];

	(void)state;
	memset(rows, 0, sizeof(rows));
	for (int i = 0; i < 5; i++)
		rows[i].uuid[15] = (uint8_t)(10 * (i + 1)); /* 10 20 30 40 50 */
	memset(key, 0, sizeof(key));
	for (int k = 0; k <= 60; k++) {
		size_t want = k <= 10 ? 0 : (size_t)((k + 9) / 10) - 1;

		key[15] = (uint8_t)k;
		if (want > 5)
			want = 5;
		assert_int_equal(aras_uuid_lower(rows, 5, sizeof(rows[0]), offsetof(struct row, uuid), key),
				 want);
	}
	assert_int_equal(aras_uuid_lower(rows, 0, sizeof(rows[0]), offsetof(struct row, uuid), key), 0);
	key[0] = 1; /* above every row (a difference in the first byte wins) */
	key[15] = 0;
	assert_int_equal(aras_uuid_lower(rows, 5, sizeof(rows[0]), offsetof(struct row, uuid), key), 5);
}

static void strerror_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(err_cases) / sizeof(err_cases[0]); i++) {
		const char *s = aras_strerror(err_cases[i].err);

		assert_non_null(s);
		if (strcmp(s, err_cases[i].want) != 0)
			fail_msg("strerror(%d) = '%s', want '%s'", err_cases[i].err, s, err_cases[i].want);
	}
}

/* Every defined code has its own text (no copy-paste duplicates). */
static void strerror_distinct(void **state)
{
	(void)state;
	for (int a = ARAS_OK; a <= ARAS_E_LENGTH; a++)
		for (int b = a + 1; b <= ARAS_E_LENGTH; b++)
			if (strcmp(aras_strerror(a), aras_strerror(b)) == 0)
				fail_msg("codes %d and %d share the text '%s'", a, b, aras_strerror(a));
}

/* aras_escape: the one C-style form of the log, the mail and the handlers. */
static const struct {
	const char *name;
	const char *in;
	const char *want;
} esc_cases[] = {
	{ "plain", "web1", "web1" },
	{ "empty", "", "" },
	{ "line feed", "a\nb", "a\\nb" },
	{ "a forged log line", "x\narasd: virt: host alpha down", "x\\narasd: virt: host alpha down" },
	{ "carriage return", "ok\rFAIL", "ok\\rFAIL" },
	{ "tab", "a\tb", "a\\tb" },
	{ "backslash", "a\\nb", "a\\\\nb" },
	{ "ESC (terminal escape)", "\x1b[2Jx", "\\x1b[2Jx" },
	{ "NUL-free low controls", "\x01\x07\x08\x0b\x0c\x1f", "\\x01\\x07\\x08\\x0b\\x0c\\x1f" },
	{ "DEL", "a\x7f", "a\\x7f" },
	{ "C1 CSI U+009B in UTF-8",
	  "a\xc2\x9b"
	  "2Jb",
	  "a\\xc2\\x9b"
	  "2Jb" },
	{ "C1 first and last", "\xc2\x80\xc2\x9f", "\\xc2\\x80\\xc2\\x9f" },
	{ "U+00A0 and U+00E9 kept", "\xc2\xa0\xc3\xa9", "\xc2\xa0\xc3\xa9" },
	{ "other UTF-8 kept (euro, CJK)", "\xe2\x82\xac\xe4\xb8\xad", "\xe2\x82\xac\xe4\xb8\xad" },
	{ "lone c2 at the end kept", "a\xc2", "a\xc2" },
	{ "quotes and spaces kept", "odd \"vm\" 'x'", "odd \"vm\" 'x'" },
};

static void escape_table(void **state)
{
	char buf[128];

	(void)state;
	for (size_t i = 0; i < sizeof(esc_cases) / sizeof(esc_cases[0]); i++) {
		size_t n = aras_escape(buf, sizeof(buf), esc_cases[i].in);

		if (strcmp(buf, esc_cases[i].want) != 0 || n != strlen(buf))
			fail_msg("%s: escaped to '%s' (%zu), want '%s'", esc_cases[i].name, buf, n,
				 esc_cases[i].want);
	}
}

/* No byte of the output is a control, whatever the input byte. */
static void escape_every_byte(void **state)
{
	char in[3] = { 0 }, out[16];

	(void)state;
	for (int b = 1; b < 256; b++) {
		for (int next = 0; next < 256; next += 0x10) {
			in[0] = (char)b;
			in[1] = (char)next;
			aras_escape(out, sizeof(out), in);
			for (const unsigned char *p = (const unsigned char *)out; *p; p++) {
				if (*p < 0x20 || *p == 0x7f)
					fail_msg("byte %02x %02x: control %02x in the output", b, next, *p);
				if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
					fail_msg("byte %02x %02x: a C1 control in the output", b, next);
			}
		}
	}
}

/* Truncation: always NUL-terminated, never half an escape, the length returned. */
static void escape_truncates_whole(void **state)
{
	char buf[8];

	(void)state;
	assert_int_equal(aras_escape(buf, sizeof(buf), "abcdefghij"), 7);
	assert_string_equal(buf, "abcdefg");
	assert_int_equal(aras_escape(buf, sizeof(buf), "abcde\x1b"), 5);
	assert_string_equal(buf, "abcde");
	assert_int_equal(aras_escape(buf, sizeof(buf), "ab\xc2\x9b"), 2);
	assert_string_equal(buf, "ab");
	assert_int_equal(aras_escape(buf, 1, "abc"), 0);
	assert_string_equal(buf, "");
	buf[0] = 'x';
	assert_int_equal(aras_escape(buf, 0, "abc"), 0);
	assert_int_equal(buf[0], 'x');
	/* the worst case fits in ARAS_ESCAPE_GROWTH times the input */
	{
		char big[4 * ARAS_ESCAPE_GROWTH + 1];

		assert_int_equal(aras_escape(big, sizeof(big), "\x01\xc2\x80\x7f"), 4 + 8 + 4);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(uuid_format_table),      cmocka_unit_test(uuid_parse_table),
		cmocka_unit_test(uuid_round_trip_random), cmocka_unit_test(uuid_parse_invalid_table),
		cmocka_unit_test(strerror_table),         cmocka_unit_test(strerror_distinct),
		cmocka_unit_test(escape_table),           cmocka_unit_test(escape_every_byte),
		cmocka_unit_test(escape_truncates_whole), cmocka_unit_test(uuid_lower_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
