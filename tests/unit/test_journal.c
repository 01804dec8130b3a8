/*
 * test_journal.c - the order journal (src/core/journal.c): every order kind
 * formats to a line that parses back to it; outcomes with their text; a
 * torn last line is ignored; every bad line is an error naming the file,
 * the line and the reason; and on a file: orders get increasing ids and
 * are durable before the call returns, outcomes close them, a start keeps
 * only the orders without outcome, compaction keeps the id counter, and a
 * failed write leaves the file as it was.  Files live in a private
 * mkdtemp directory under /tmp, removed by the teardown.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "testlib.h"

#include "core/journal.h"

#define U1 "6a2e7c0e-1f3b-4b4e-9a51-0000000000a1"
#define U2 "0f4c1d2e-8b7a-4c3d-8e2f-0000000000a2"

struct fx {
	char dir[64];
	char path[128];
	char why[512];
};

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/arasd-test-journal.XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/state.orders", f->dir);
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;
	DIR *d = opendir(f->dir);
	struct dirent *de;

	while (d && (de = readdir(d))) {
		char p[400];

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", f->dir, de->d_name);
		unlink(p);
	}
	if (d)
		closedir(d);
	rmdir(f->dir);
	free(f);
	return 0;
}

static int parse(const char *text, struct aras_jlog *l, char *why)
{
	return aras_journal_parse(text, strlen(text), "j", l, why, 256);
}

static struct aras_order order(int kind, const char *uuid)
{
	struct aras_order o;

	memset(&o, 0, sizeof(o));
	o.kind = kind;
	assert_int_equal(aras_uuid_parse(uuid, o.uuid), 0);
	return o;
}

/* Each kind formats to its documented line and parses back to the same order. */
static void test_round_trip(void **unused)
{
	struct aras_order v[3];
	char line[ARAS_JOURNAL_LINE_MAX], why[256];
	static const char *const want[3] = { "order 7 command " U1 " managedSave\n",
					     "order 8 migrate " U2 " 2\n",
					     "order 9 decide " U1 " 12 rejected\n" };

	(void)unused;
	v[0] = order(ARAS_ORDER_COMMAND, U1);
	v[0].cmd = ARAS_CMD_MANAGED_SAVE;
	v[1] = order(ARAS_ORDER_MIGRATE, U2);
	v[1].target = 2;
	v[2] = order(ARAS_ORDER_DECIDE, U1);
	v[2].action = 12;
	v[2].state = ARAS_AS_REJECTED;
	for (int i = 0; i < 3; i++) {
		struct aras_jlog l;

		v[i].id = 7 + (uint32_t)i;
		assert_int_equal(aras_journal_format_order(&v[i], line, sizeof(line)), 0);
		assert_string_equal(line, want[i]);
		assert_int_equal(parse(line, &l, why), 0);
		assert_int_equal(l.n, 1);
		assert_memory_equal(&l.v[0].o, &v[i], sizeof(v[i]));
		assert_int_equal(l.v[0].outcome, ARAS_JOUT_PENDING);
		assert_int_equal(l.next_id, 8 + i);
		aras_jlog_free(&l);
	}
	/* every command by name */
	for (int c = ARAS_CMD_START; c <= ARAS_CMD_MAX; c++) {
		struct aras_jlog l;

		v[0].cmd = c;
		assert_int_equal(aras_journal_format_order(&v[0], line, sizeof(line)), 0);
		assert_int_equal(parse(line, &l, why), 0);
		assert_int_equal(l.v[0].o.cmd, c);
		aras_jlog_free(&l);
	}
	/* edits: each kind but a disk's (below), with and without force */
	for (int k = 1; k <= ARAS_EDIT_MEM_MAX; k++)
		for (int force = 0; force <= 1; force++) {
			struct aras_order e = order(ARAS_ORDER_EDIT, U2);
			struct aras_jlog l;
			char wantl[ARAS_JOURNAL_LINE_MAX];

			e.id = 11;
			e.edit = k;
			e.value = 4194304;
			e.force = force;
			snprintf(wantl, sizeof(wantl), "order 11 edit " U2 " %s 4194304%s\n",
				 aras_edit_name(k), force ? " force" : "");
			assert_int_equal(aras_journal_format_order(&e, line, sizeof(line)), 0);
			assert_string_equal(line, wantl);
			assert_int_equal(parse(line, &l, why), 0);
			assert_memory_equal(&l.v[0].o, &e, sizeof(e));
			aras_jlog_free(&l);
		}
	/* a disk's edit names the disk */
	{
		struct aras_order e = order(ARAS_ORDER_EDIT, U2);
		struct aras_jlog l;

		e.id = 13;
		e.edit = ARAS_EDIT_DISK;
		e.value = 20480;
		snprintf(e.disk, sizeof(e.disk), "vdb");
		assert_int_equal(aras_journal_format_order(&e, line, sizeof(line)), 0);
		assert_string_equal(line, "order 13 edit " U2 " disk/vdb 20480\n");
		assert_int_equal(parse(line, &l, why), 0);
		assert_memory_equal(&l.v[0].o, &e, sizeof(e));
		aras_jlog_free(&l);
		snprintf(e.disk, sizeof(e.disk), "v b");
		assert_int_equal(aras_journal_format_order(&e, line, sizeof(line)), -ARAS_E_RANGE);
	}
	/* clones: to a host or the template's (0), started or not */
	for (int start = 0; start <= 1; start++) {
		struct aras_order e = order(ARAS_ORDER_CLONE, U2);
		struct aras_jlog l;
		char wantl[ARAS_JOURNAL_LINE_MAX];

		e.id = 12;
		e.target = (unsigned)start * 3;
		e.request = 40000;
		e.start = start;
		snprintf(e.name, sizeof(e.name), "web-%d.example_x", start);
		snprintf(wantl, sizeof(wantl), "order 12 clone " U2 " %d 40000 %s web-%d.example_x\n",
			 start * 3, start ? "start" : "nostart", start);
		assert_int_equal(aras_journal_format_order(&e, line, sizeof(line)), 0);
		assert_string_equal(line, wantl);
		assert_int_equal(parse(line, &l, why), 0);
		assert_memory_equal(&l.v[0].o, &e, sizeof(e));
		aras_jlog_free(&l);
		/* a name the journal could not read back is not written */
		snprintf(e.name, sizeof(e.name), "two words");
		assert_int_equal(aras_journal_format_order(&e, line, sizeof(line)), -ARAS_E_RANGE);
	}
	{
		struct aras_order e = order(ARAS_ORDER_EDIT, U2);

		e.edit = ARAS_EDIT_MAX + 1;
		e.value = 1;
		assert_int_equal(aras_journal_format_order(&e, line, sizeof(line)), -ARAS_E_RANGE);
	}
	v[0].cmd = ARAS_CMD_NONE;
	assert_int_equal(aras_journal_format_order(&v[0], line, sizeof(line)), -ARAS_E_RANGE);
	v[2].state = ARAS_AS_RUNNING;
	assert_int_equal(aras_journal_format_order(&v[2], line, sizeof(line)), -ARAS_E_RANGE);
}

/* Outcomes: the text is the rest of the line; a control byte is written as '?'. */
static void test_outcomes(void **unused)
{
	struct aras_jlog l;
	char line[ARAS_JOURNAL_LINE_MAX], why[256], buf[2048];

	(void)unused;
	aras_journal_format_done(7, ARAS_JOUT_FAILED, "VM evil\nname\x1b[2J: gone", line, sizeof(line));
	assert_string_equal(line, "done 7 failed VM evil?name?[2J: gone\n");
	aras_journal_format_done(8, ARAS_JOUT_SUCCEEDED, "", line, sizeof(line));
	assert_string_equal(line, "done 8 succeeded\n");
	snprintf(buf, sizeof(buf),
		 "# c\nnext 3\norder 3 command " U1 " destroy\norder 4 command " U2 " start\r\n"
		 "order 5 migrate " U2 " 1\ndone 3 succeeded action 9 destroy succeeded  \r\n"
		 "done 4 cancelled\n\n");
	assert_int_equal(parse(buf, &l, why), 0);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.v[0].outcome, ARAS_JOUT_SUCCEEDED);
	assert_string_equal(l.v[0].text, "action 9 destroy succeeded");
	assert_int_equal(l.v[1].outcome, ARAS_JOUT_CANCELLED);
	assert_string_equal(l.v[1].text, "");
	assert_int_equal(l.v[2].outcome, ARAS_JOUT_PENDING);
	assert_int_equal(l.next_id, 6);
	assert_false(l.torn);
	aras_jlog_free(&l);
	/* "next" above every id */
	assert_int_equal(parse("next 40\norder 3 command " U1 " destroy\n", &l, why), 0);
	assert_int_equal(l.next_id, 40);
	aras_jlog_free(&l);
}

/* A last line without its line feed was cut by a crash: ignored, said. */
static void test_torn(void **unused)
{
	struct aras_jlog l;
	char why[256];

	(void)unused;
	assert_int_equal(parse("order 1 command " U1 " destroy\ndone 1 succ", &l, why), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].outcome, ARAS_JOUT_PENDING);
	assert_true(l.torn);
	aras_jlog_free(&l);
	assert_int_equal(parse("order 2 command " U1 " dest", &l, why), 0);
	assert_int_equal(l.n, 0);
	assert_true(l.torn);
	aras_jlog_free(&l);
}

/* Every bad line: -ARAS_E_INVAL, "file:line: reason", nothing returned. */
static void test_bad_lines(void **unused)
{
	static const struct {
		const char *text, *why;
	} bad[] = {
		{ "hello\n", "j:1: unknown item 'hello'" },
		{ "order 0 command " U1 " start\n", "j:1: expected 'order ID KIND UUID" },
		{ "order x command " U1 " start\n", "j:1: expected 'order ID KIND UUID" },
		{ "order 4294967295 command " U1 " start\n", "ID 1 .. 4294967294" },
		{ "order 1 command " U1 "\n", "j:1: expected 'order ID KIND UUID" },
		{ "order 1 command nope start\n", "j:1: order 1: bad UUID 'nope'" },
		{ "order 1 command " U1 " explode\n", "j:1: order 1: no command 'explode'" },
		{ "order 1 command " U1 " none\n", "no command 'none'" },
		{ "order 1 command " U1 " start extra\n", "j:1: order 1: expected 'command UUID NAME'" },
		{ "order 1 migrate " U1 " 0\n", "j:1: order 1: bad host index '0'" },
		{ "order 1 migrate " U1 " 65536\n", "bad host index '65536'" },
		{ "order 1 migrate " U1 " -2\n", "bad host index '-2'" },
		{ "order 1 decide " U1 " 5 maybe\n", "j:1: order 1: decision 'maybe'" },
		{ "order 1 decide " U1 " 0 approved\n", "bad action index '0'" },
		{ "order 1 teleport " U1 " 5\n", "j:1: order 1: expected" },
		{ "order 1 edit " U1 " vcpus\n", "j:1: order 1: expected" },
		{ "order 1 edit " U1 " disks 5\n",
		  "j:1: order 1: expected 'edit UUID vcpus|memory|maxMemory" },
		{ "order 1 edit " U1 " vcpus 0\n", "expected 'edit UUID" },
		{ "order 1 edit " U1 " memory 4294967296\n", "expected 'edit UUID" },
		{ "order 1 edit " U1 " memory 5 please\n", "j:1: order 1: expected" },
		{ "order 1 edit " U1 " disk/ 5\n", "expected 'edit UUID" },
		{ "order 1 edit " U1 " disk 5\n", "expected 'edit UUID" },
		{ "order 1 edit " U1 " disk/v$b 5\n", "expected 'edit UUID" },
		{ "order 1 clone " U1 " 2 5 start\n", "j:1: order 1: expected" },
		{ "order 1 clone " U1 " 2 5 start web extra\n",
		  "'clone UUID HOST ROW start|nostart NAME' or" },
		{ "order 1 clone " U1 " 2 0 start web\n", "expected 'clone UUID HOST ROW" },
		{ "order 1 clone " U1 " 65536 5 start web\n", "expected 'clone UUID HOST ROW" },
		{ "order 1 clone " U1 " 2 5 maybe web\n", "expected 'clone UUID HOST ROW" },
		{ "order 1 clone " U1 " 2 5 start -web\n", "expected 'clone UUID HOST ROW" },
		{ "order 1 clone " U1 " 2 5 start we/b\n", "expected 'clone UUID HOST ROW" },
		{ "order 1 command " U1 " start\norder 1 command " U2 " start\n",
		  "j:2: order 1: a second order" },
		{ "done 1 succeeded\n", "j:1: done 1: no order 1 before it" },
		{ "order 1 command " U1 " start\ndone 1 failed x\ndone 1 succeeded\n",
		  "j:3: done 1: order 1 has an outcome already" },
		{ "order 1 command " U1 " start\ndone 1 maybe\n", "j:2: done 1: outcome 'maybe'" },
		{ "order 1 command " U1 " start\ndone 1 pending\n", "outcome 'pending'" },
		{ "done\n", "j:1: done: bad order id ''" },
		{ "next\n", "j:1: expected 'next ID'" },
		{ "next 0\n", "j:1: expected 'next ID'" },
		{ "next 5 6\n", "j:1: expected 'next ID'" },
		{ "# ok\norder 1 command " U1 " start\n\x01\n", "j:3: unknown item" },
		{ "order 1 command " U1 " start 1 2 3 4 5\n", "j:1: order 1: expected" },
		{ "start 1\n", "j:1: start 1: no order 1 before it" },
		{ "start\n", "j:1: expected 'start ID'" },
		{ "order 1 command " U1 " start\nstart 0\n", "j:2: expected 'start ID'" },
		{ "order 1 command " U1 " start\nstart 1 2\n", "j:2: expected 'start ID'" },
		{ "order 1 command " U1 " start\ndone 1 failed x\nstart 1\n",
		  "j:3: start 1: order 1 has an outcome already" },
	};
	struct aras_jlog l;
	char why[256], big[ARAS_JOURNAL_LINE_MAX + 64];

	(void)unused;
	for (size_t i = 0; i < N_ELEM(bad); i++) {
		why[0] = '\0';
		if (parse(bad[i].text, &l, why) != -ARAS_E_INVAL)
			fail_msg("case %zu accepted: %s", i, bad[i].text);
		if (!strstr(why, bad[i].why))
			fail_msg("case %zu: why \"%s\" does not say \"%s\"", i, why, bad[i].why);
		assert_int_equal(l.n, 0);
		assert_null(l.v);
	}
	/* a NUL byte, a line too long */
	assert_int_equal(aras_journal_parse("next 1\nnext\0 2\n", 15, "j", &l, why, sizeof(why)),
			 -ARAS_E_INVAL);
	assert_non_null(strstr(why, "j:2: NUL byte"));
	memset(big, '#', sizeof(big));
	big[sizeof(big) - 2] = '\n';
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(parse(big, &l, why), -ARAS_E_INVAL);
	assert_non_null(strstr(why, "j:1: line longer than 1024 bytes"));
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static size_t lines_of(const char *path)
{
	FILE *fp = fopen(path, "r");
	size_t n = 0;
	int c;

	assert_non_null(fp);
	while ((c = fgetc(fp)) != EOF)
		n += c == '\n';
	fclose(fp);
	return n;
}

/* On a file: a start keeps the orders without outcome; ids go on; outcomes close them; compaction. */
static void test_file(void **state)
{
	struct fx *f = *state;
	struct aras_journal j;
	struct aras_jlog l;
	struct aras_orders os = { 0 };
	struct aras_order o = order(ARAS_ORDER_COMMAND, U1);

	/* a missing file is empty, and is not made before an order */
	assert_int_equal(aras_journal_load(f->path, &l, f->why, sizeof(f->why)), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(l.next_id, 1);
	aras_journal_init(&j);
	assert_int_equal(aras_journal_open(&j, f->path, &l, f->why, sizeof(f->why)), 0);
	assert_int_equal(access(f->path, F_OK), -1);
	aras_journal_close(&j);
	aras_jlog_free(&l);
	/* the last run: 5 pending, 6 done, 7 cancelled */
	write_file(f->path, "next 5\norder 5 command " U1 " destroy\norder 6 command " U2 " start\n"
			    "order 7 migrate " U2 " 3\ndone 6 failed no\ndone 7 cancelled\norder 8 comm");
	assert_int_equal(aras_journal_load(f->path, &l, f->why, sizeof(f->why)), 0);
	assert_true(l.torn);
	aras_journal_init(&j);
	assert_int_equal(aras_journal_open(&j, f->path, &l, f->why, sizeof(f->why)), 0);
	aras_jlog_free(&l);
	assert_int_equal(aras_journal_pending(&j), 1);
	assert_int_equal(aras_journal_load(f->path, &l, f->why, sizeof(f->why)), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].o.id, 5);
	assert_int_equal(l.next_id, 8);
	assert_false(l.torn);
	aras_jlog_free(&l);
	/* a SET's two orders: ids 8 and 9, on disk at return */
	o.cmd = ARAS_CMD_REBOOT;
	assert_int_equal(aras_orders_add(&os, &o), 0);
	o.cmd = ARAS_CMD_SUSPEND;
	assert_int_equal(aras_orders_add(&os, &o), 0);
	assert_int_equal(aras_journal_orders(&j, &os, f->why, sizeof(f->why)), 0);
	assert_int_equal(os.v[0].id, 8);
	assert_int_equal(os.v[1].id, 9);
	assert_int_equal(aras_journal_pending(&j), 3);
	assert_int_equal(aras_journal_load(f->path, &l, f->why, sizeof(f->why)), 0);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.v[2].o.cmd, ARAS_CMD_SUSPEND);
	aras_jlog_free(&l);
	/* outcomes: an unknown or finished id writes nothing */
	assert_int_equal(aras_journal_done(&j, 8, ARAS_JOUT_SUCCEEDED, "action 1 reboot succeeded", f->why,
					   sizeof(f->why)),
			 0);
	assert_int_equal(aras_journal_done(&j, 8, ARAS_JOUT_FAILED, "again", f->why, sizeof(f->why)), 0);
	assert_int_equal(aras_journal_done(&j, 99, ARAS_JOUT_FAILED, "who", f->why, sizeof(f->why)), 0);
	assert_int_equal(
		aras_journal_done(&j, 5, ARAS_JOUT_FAILED, "not run at restart", f->why, sizeof(f->why)), 0);
	assert_int_equal(aras_journal_done(&j, 9, ARAS_JOUT_CANCELLED, "its SET was not committed", f->why,
					   sizeof(f->why)),
			 0);
	assert_int_equal(aras_journal_pending(&j), 0);
	assert_int_equal(aras_journal_load(f->path, &l, f->why, sizeof(f->why)), 0);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.v[0].outcome, ARAS_JOUT_FAILED);
	assert_int_equal(l.v[1].outcome, ARAS_JOUT_SUCCEEDED);
	assert_string_equal(l.v[1].text, "action 1 reboot succeeded");
	assert_int_equal(l.v[2].outcome, ARAS_JOUT_CANCELLED);
	aras_jlog_free(&l);
	/* compaction: once nothing waits and the file is long, it keeps the counter alone */
	for (unsigned i = 0; i < ARAS_JOURNAL_COMPACT_LINES / 2; i++) {
		os.n = 1;
		assert_int_equal(aras_journal_orders(&j, &os, f->why, sizeof(f->why)), 0);
		assert_int_equal(
			aras_journal_done(&j, os.v[0].id, ARAS_JOUT_SUCCEEDED, "ok", f->why, sizeof(f->why)),
			0);
	}
	assert_true(lines_of(f->path) < ARAS_JOURNAL_COMPACT_LINES);
	assert_int_equal(aras_journal_load(f->path, &l, f->why, sizeof(f->why)), 0);
	assert_int_equal(l.next_id, j.next_id);
	assert_true(j.next_id > 10 + ARAS_JOURNAL_COMPACT_LINES / 2 - 2);
	aras_jlog_free(&l);
	/* an order that waits for hours does not let the file grow: compaction keeps it */
	os.n = 1;
	os.v[0].cmd = ARAS_CMD_SHUTDOWN;
	assert_int_equal(aras_journal_orders(&j, &os, f->why, sizeof(f->why)), 0);
	{
		uint32_t waiting = os.v[0].id;

		os.v[0].cmd = ARAS_CMD_SUSPEND;
		for (unsigned i = 0; i < ARAS_JOURNAL_COMPACT_LINES; i++) {
			assert_int_equal(aras_journal_orders(&j, &os, f->why, sizeof(f->why)), 0);
			assert_int_equal(aras_journal_done(&j, os.v[0].id, ARAS_JOUT_SUCCEEDED, "ok", f->why,
							   sizeof(f->why)),
					 0);
		}
		assert_true(lines_of(f->path) <= ARAS_JOURNAL_COMPACT_LINES + 2);
		assert_int_equal(aras_journal_pending(&j), 1);
		assert_int_equal(aras_journal_load(f->path, &l, f->why, sizeof(f->why)), 0);
		assert_int_equal(l.v[0].o.id, waiting);
		assert_int_equal(l.v[0].o.cmd, ARAS_CMD_SHUTDOWN);
		assert_int_equal(l.v[0].outcome, ARAS_JOUT_PENDING);
		aras_jlog_free(&l);
	}
	aras_journal_close(&j);
	aras_orders_clear(&os);
}

/* "start ID": the order's job was handed to libvirt; the flag survives a start's rewrite. */
static void test_started(void **state)
{
	struct fx *f = *state;
	struct aras_journal j;
	struct aras_jlog l;
	struct aras_orders os = { 0 };
	struct aras_order o = order(ARAS_ORDER_MIGRATE, U1);

	write_file(f->path, "next 3\norder 3 migrate " U1 " 2\nstart 3\norder 4 command " U2 " start\n");
	assert_int_equal(aras_journal_load(f->path, &l, f->why, sizeof(f->why)), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].o.started, 1);
	assert_int_equal(l.v[1].o.started, 0);
	aras_journal_init(&j);
	assert_int_equal(aras_journal_open(&j, f->path, &l, f->why, sizeof(f->why)), 0);
	aras_jlog_free(&l);
	/* the rewrite at start keeps the mark */
	assert_int_equal(aras_journal_load(f->path, &l, f->why, sizeof(f->why)), 0);
	assert_int_equal(l.v[0].o.started, 1);
	assert_int_equal(l.v[1].o.started, 0);
	aras_jlog_free(&l);
	/* a new order, started once (a second mark and an unknown id write nothing) */
	o.target = 2;
	assert_int_equal(aras_orders_add(&os, &o), 0);
	assert_int_equal(aras_journal_orders(&j, &os, f->why, sizeof(f->why)), 0);
	assert_int_equal(aras_journal_started(&j, os.v[0].id, f->why, sizeof(f->why)), 0);
	assert_int_equal(aras_journal_started(&j, os.v[0].id, f->why, sizeof(f->why)), 0);
	assert_int_equal(aras_journal_started(&j, 99, f->why, sizeof(f->why)), 0);
	assert_int_equal(lines_of(f->path), 7); /* comment, next, 3, start 3, 4, 5, start 5 */
	assert_int_equal(aras_journal_load(f->path, &l, f->why, sizeof(f->why)), 0);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.v[2].o.started, 1);
	aras_jlog_free(&l);
	/* its outcome ends it: nothing to resolve at the next start */
	assert_int_equal(
		aras_journal_done(&j, os.v[0].id, ARAS_JOUT_SUCCEEDED, "moved", f->why, sizeof(f->why)), 0);
	assert_int_equal(aras_journal_load(f->path, &l, f->why, sizeof(f->why)), 0);
	assert_int_equal(l.v[2].outcome, ARAS_JOUT_SUCCEEDED);
	aras_jlog_free(&l);
	aras_journal_close(&j);
	aras_orders_clear(&os);
}

/* No path: every call succeeds, ids stay 0. */
static void test_no_journal(void **unused)
{
	struct aras_journal j;
	struct aras_orders os = { 0 };
	struct aras_order o = order(ARAS_ORDER_COMMAND, U1);
	char why[64];

	(void)unused;
	aras_journal_init(&j);
	o.cmd = ARAS_CMD_START;
	o.id = 5;
	assert_int_equal(aras_orders_add(&os, &o), 0);
	assert_int_equal(aras_journal_orders(&j, &os, why, sizeof(why)), 0);
	assert_int_equal(os.v[0].id, 0);
	assert_int_equal(aras_journal_done(&j, 1, ARAS_JOUT_FAILED, "x", why, sizeof(why)), 0);
	aras_journal_close(&j);
	aras_orders_clear(&os);
}

/* A journal that cannot be written (a directory in the way): an error, and the file unchanged. */
static void test_unwritable(void **state)
{
	struct fx *f = *state;
	struct aras_journal j;
	struct aras_orders os = { 0 };
	struct aras_order o = order(ARAS_ORDER_COMMAND, U1);
	char path[200], sub[200];

	snprintf(path, sizeof(path), "%s/sub/state.orders", f->dir);
	aras_journal_init(&j);
	/* nothing to keep: made with the first order */
	assert_int_equal(aras_journal_open(&j, path, NULL, f->why, sizeof(f->why)), 0);
	o.cmd = ARAS_CMD_START;
	assert_int_equal(aras_orders_add(&os, &o), 0);
	assert_int_equal(aras_journal_orders(&j, &os, f->why, sizeof(f->why)), -ARAS_E_IO);
	assert_non_null(strstr(f->why, "sub/state.orders.tmp"));
	assert_int_equal(os.v[0].id, 0);
	assert_int_equal(aras_journal_pending(&j), 0);
	/* the directory appears: the next order makes the journal */
	snprintf(sub, sizeof(sub), "%s/sub", f->dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(aras_journal_orders(&j, &os, f->why, sizeof(f->why)), 0);
	assert_int_equal(os.v[0].id, 1);
	assert_int_equal(lines_of(path), 3);
	aras_journal_close(&j);
	aras_orders_clear(&os);
	unlink(path);
	rmdir(sub);
	/* not a regular file */
	assert_int_equal(aras_journal_load(f->dir, &(struct aras_jlog){ 0 }, f->why, sizeof(f->why)),
			 -ARAS_E_IO);
	assert_non_null(strstr(f->why, "not a regular file"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_outcomes),
		cmocka_unit_test(test_torn),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test_setup_teardown(test_file, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_started, fx_setup, fx_teardown),
		cmocka_unit_test(test_no_journal),
		cmocka_unit_test_setup_teardown(test_unwritable, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
