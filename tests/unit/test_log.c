/*
 * test_log.c - the log sink (src/util/log.c): every message is one line with
 * its control characters escaped (a VM name with a line feed, a CR or a
 * terminal escape forges nothing), repeats are counted, and threads may log
 * at once (make tsan-check runs this under ThreadSanitizer: the repeat
 * state is shared).  stderr is redirected to a file while a test logs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include "util/log.h"

static char path[] = "/tmp/aras-test-log.XXXXXX";
static int saved_stderr = -1;

static int setup(void **state)
{
	int fd = mkstemp(path);

	(void)state;
	if (fd < 0)
		return -1;
	close(fd);
	aras_log_init("test_log", 1, LOG_DEBUG);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	return 0;
}

/* stderr (the log) into the empty file until captured(). */
static void capture(void)
{
	int fd = open(path, O_WRONLY | O_TRUNC);

	assert_true(fd >= 0);
	fflush(stderr);
	saved_stderr = dup(2);
	dup2(fd, 2);
	close(fd);
}

/* stderr back; what was logged since capture(). */
static char *captured(void)
{
	FILE *f;
	char *buf;
	long n;

	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	f = fopen(path, "r");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

static size_t lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* A name with a line feed, CR, ESC or C1 CSI stays inside one line. */
static void hostile_names_one_line(void **state)
{
	static const struct {
		const char *name, *want;
	} cases[] = {
		{ "evil\narasd: virt: host beta down",
		  "arasd: VM evil\\narasd: virt: host beta down stopped\n" },
		{ "ok\rFAILED", "arasd: VM ok\\rFAILED stopped\n" },
		{ "\x1b[2J\x1b[Hclean", "arasd: VM \\x1b[2J\\x1b[Hclean stopped\n" },
		{ "c1\xc2\x9b"
		  "2J",
		  "arasd: VM c1\\xc2\\x9b"
		  "2J stopped\n" },
		{ "back\\slash", "arasd: VM back\\\\slash stopped\n" },
		{ "caf\xc3\xa9", "arasd: VM caf\xc3\xa9 stopped\n" },
	};
	char *got;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		capture();
		aras_log(LOG_INFO, "VM %s stopped", cases[i].name);
		got = captured();
		assert_string_equal(got, cases[i].want);
		free(got);
	}
	/* 20 forged lines in one name: still one line */
	{
		char name[20 * 40 + 1] = "";

		for (int i = 0; i < 20; i++)
			strcat(name, "x\narasd: engine: forged line    ");
		capture();
		aras_log_tok(LOG_WARNING, "virt", "%s", name);
		got = captured();
		assert_int_equal(lines(got), 1);
		assert_non_null(strstr(got, "arasd: virt: x\\narasd: engine: forged line"));
		free(got);
	}
}

/* The trailing newline net-snmp's messages carry is dropped, not escaped. */
static void trailing_newline_dropped(void **state)
{
	char *got;

	(void)state;
	capture();
	aras_log(LOG_INFO, "from net-snmp\n");
	got = captured();
	assert_string_equal(got, "arasd: from net-snmp\n");
	free(got);
}

/* The same text again is counted and reported with the next one. */
static void repeats_counted(void **state)
{
	char *got;

	(void)state;
	capture();
	for (int i = 0; i < 5; i++)
		aras_log(LOG_INFO, "same \x1b text");
	aras_log(LOG_INFO, "other");
	got = captured();
	assert_string_equal(got,
			    "arasd: same \\x1b text\narasd: last message repeated 4 times\narasd: other\n");
	free(got);
}

#define NTHREADS 4
#define PER_THREAD 300

static void *logger(void *arg)
{
	unsigned id = (unsigned)(uintptr_t)arg;

	for (unsigned i = 0; i < PER_THREAD; i++) {
		if (i % 3 == 0)
			aras_log_tok(LOG_INFO, "virt", "worker %u: shared text", id % 2);
		else
			aras_log_tok(LOG_INFO, "virt", "worker %u: message %u", id, i);
	}
	return NULL;
}

/*
 * Collector workers and the loop log at once: every line whole, every
 * distinct message there.  (The data race itself is ThreadSanitizer's to
 * see: make tsan-check.)
 */
static void threads_log_at_once(void **state)
{
	pthread_t t[NTHREADS];
	unsigned distinct = 0;
	char *got, *line, *save = NULL;

	(void)state;
	capture();
	for (unsigned i = 0; i < NTHREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, logger, (void *)(uintptr_t)i), 0);
	logger((void *)(uintptr_t)NTHREADS);
	for (unsigned i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	aras_log(LOG_INFO, "done");
	got = captured();
	for (line = strtok_r(got, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned w, m;

		if (strncmp(line, "arasd: ", 7) != 0)
			fail_msg("a line not from the log: '%s'", line);
		if (sscanf(line, "arasd: virt: worker %u: message %u", &w, &m) == 2)
			distinct++;
	}
	assert_int_equal(distinct, (NTHREADS + 1) * (PER_THREAD - PER_THREAD / 3));
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hostile_names_one_line),
		cmocka_unit_test(trailing_newline_dropped),
		cmocka_unit_test(repeats_counted),
		cmocka_unit_test(threads_log_at_once),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
