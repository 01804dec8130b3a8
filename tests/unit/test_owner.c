/*
 * test_owner.c - the owner file (core/owner.h): its line both ways, every
 * refusal with its reason, the takeover decision and the gap, the file
 * written and read back with its modification time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "core/owner.h"
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static int parse(const char *text, struct aras_owner *o, char *why)
{
	return aras_owner_parse(text, strlen(text), "o", o, why, 256);
}

static void test_round_trip(void **unused)
{
	struct aras_owner o, back;
	char why[256], line[256];

	(void)unused;
	assert_int_equal(
		parse("arasd-owner 1 node=n1 takeovers=3 from=n2 lastgap=12345 gaptotal=40000 stopped=1\n",
		      &o, why),
		0);
	assert_string_equal(o.node, "n1");
	assert_string_equal(o.from, "n2");
	assert_int_equal(o.takeovers, 3);
	CHECK_U64("lastgap", o.last_gap_ms, 12345);
	CHECK_U64("gaptotal", o.gap_total_ms, 40000);
	assert_int_equal(o.stopped, 1);
	assert_int_equal(aras_owner_format(&o, line, sizeof(line)), 0);
	assert_string_equal(
		line, "arasd-owner 1 node=n1 takeovers=3 from=n2 lastgap=12345 gaptotal=40000 stopped=1\n");
	assert_int_equal(parse(line, &back, why), 0);
	assert_memory_equal(&back, &o, sizeof(o));
	/* the least: a node; "from=-" is none; a CRLF line */
	assert_int_equal(parse("arasd-owner 1 node=mgmt-1.example.org from=-\r\n", &o, why), 0);
	assert_string_equal(o.node, "mgmt-1.example.org");
	assert_string_equal(o.from, "");
	assert_int_equal(o.takeovers, 0);
	assert_int_equal(aras_owner_format(&o, line, 10), -ARAS_E_RANGE);
}

static void test_bad(void **unused)
{
	static const struct {
		const char *text, *why;
	} bad[] = {
		{ "", "o: expected 'arasd-owner 1 ...'" },
		{ "owner 1 node=n1\n", "expected 'arasd-owner 1" },
		{ "arasd-owner 2 node=n1\n", "expected 'arasd-owner 1" },
		{ "arasd-owner 1\n", "o: no node=" },
		{ "arasd-owner 1 takeovers=1\n", "no node=" },
		{ "arasd-owner 1 node=\n", "o: bad value in 'node='" },
		{ "arasd-owner 1 node=-\n", "bad value in 'node=-'" },
		{ "arasd-owner 1 node=a/b\n", "bad value in 'node=a/b'" },
		{ "arasd-owner 1 node=n1 takeovers=-1\n", "bad value in 'takeovers=-1'" },
		{ "arasd-owner 1 node=n1 takeovers=4294967296\n", "bad value" },
		{ "arasd-owner 1 node=n1 lastgap=1x\n", "bad value in 'lastgap=1x'" },
		{ "arasd-owner 1 node=n1 stopped=2\n", "bad value in 'stopped=2'" },
		{ "arasd-owner 1 node=n1 colour=blue\n", "o: unknown field 'colour=blue'" },
		{ "arasd-owner 1 node=n1 from=\n", "bad value in 'from='" },
		{ "arasd-owner 1 node=n1 node=n2\n", "o: node= twice" },
		{ "arasd-owner 1 node=n1 stopped=1 stopped=0\n", "stopped= twice" },
	};
	struct aras_owner o;
	char why[256], big[2048];

	(void)unused;
	for (size_t i = 0; i < N_ELEM(bad); i++) {
		why[0] = '\0';
		if (parse(bad[i].text, &o, why) != -ARAS_E_INVAL)
			fail_msg("case %zu accepted: %s", i, bad[i].text);
		if (!strstr(why, bad[i].why))
			fail_msg("case %zu: why \"%s\" does not say \"%s\"", i, why, bad[i].why);
	}
	/* a node name of 65 characters, a NUL byte, a line too long */
	snprintf(big, sizeof(big), "arasd-owner 1 node=%065d\n", 7);
	assert_int_equal(parse(big, &o, why), -ARAS_E_INVAL);
	assert_int_equal(aras_owner_parse("arasd-owner 1 node=n\0", 21, "o", &o, why, sizeof(why)),
			 -ARAS_E_INVAL);
	assert_non_null(strstr(why, "binary"));
	memset(big, 'a', sizeof(big));
	assert_int_equal(aras_owner_parse(big, sizeof(big), "o", &o, why, sizeof(why)), -ARAS_E_INVAL);
	assert_non_null(strstr(why, "too long"));
}

static void test_takeover(void **unused)
{
	struct aras_owner prev = { .node = "n1", .takeovers = 2, .gap_total_ms = 20000 }, next;

	(void)unused;
	/* no file: the first owner */
	assert_int_equal(aras_owner_start(NULL, "n1", &next), 0);
	assert_string_equal(next.node, "n1");
	assert_int_equal(next.takeovers, 0);
	/* a restart on the same node (crashed or stopped): no takeover, the history kept */
	assert_int_equal(aras_owner_start(&prev, "n1", &next), 0);
	assert_int_equal(next.takeovers, 2);
	/* another node: a takeover from n1, not stopped yet */
	prev.stopped = 1;
	assert_int_equal(aras_owner_start(&prev, "n2", &next), 1);
	assert_string_equal(next.node, "n2");
	assert_string_equal(next.from, "n1");
	assert_int_equal(next.takeovers, 3);
	assert_int_equal(next.stopped, 0);
	aras_owner_gap(&next, 1000000, 1012500);
	CHECK_U64("last gap", next.last_gap_ms, 12500);
	CHECK_U64("gap total", next.gap_total_ms, 32500);
	/* a clock that went back counts no negative gap */
	aras_owner_gap(&next, 1012500, 1000000);
	CHECK_U64("last gap", next.last_gap_ms, 0);
	CHECK_U64("gap total", next.gap_total_ms, 32500);
}

static void test_file(void **unused)
{
	char dir[] = "/tmp/test_owner.XXXXXX", path[256], why[256];
	struct aras_owner o = { .node = "n3", .from = "n1", .takeovers = 1, .last_gap_ms = 9000 }, back;
	uint64_t mtime = 0;
	FILE *fp;

	(void)unused;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/state.owner", dir);
	assert_int_equal(aras_owner_load(path, &back, &mtime, why, sizeof(why)), 0); /* none yet */
	assert_int_equal(aras_owner_store(path, &o, why, sizeof(why)), 0);
	assert_int_equal(aras_owner_load(path, &back, &mtime, why, sizeof(why)), 1);
	assert_memory_equal(&back, &o, sizeof(o));
	assert_true(mtime > 1700000000000ull); /* wall ms of the write */
	/* a bad file names itself */
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("garbage\n", fp);
	fclose(fp);
	assert_int_equal(aras_owner_load(path, &back, &mtime, why, sizeof(why)), -ARAS_E_INVAL);
	assert_non_null(strstr(why, path));
	/* not a regular file */
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(aras_owner_load(path, &back, &mtime, why, sizeof(why)), -ARAS_E_IO);
	assert_int_equal(aras_owner_store(path, &o, why, sizeof(why)), -ARAS_E_IO);
	assert_int_equal(rmdir(path), 0);
	snprintf(path, sizeof(path), "%s/state.owner.tmp", dir);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_takeover),
		cmocka_unit_test(test_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
