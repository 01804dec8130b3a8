/*
 * aras.h - what every module of arasd shares: error codes and small
 * constants.  Pure C11, no project or library headers.
 */
#ifndef ARAS_H
#define ARAS_H

#include <stddef.h>
#include <stdint.h>

/* Every fallible function returns 0 or one of these, negated. */
enum aras_err {
	ARAS_OK = 0,
	ARAS_E_NOMEM = 1,
	ARAS_E_INVAL = 2,     /* malformed input (SNMP: wrongType/wrongLength) */
	ARAS_E_RANGE = 3,     /* well formed but out of bounds (wrongValue) */
	ARAS_E_INCONSIST = 4, /* contradicts another setting (inconsistentValue) */
	ARAS_E_RDONLY = 5,    /* not writable (notWritable) */
	ARAS_E_NOENT = 6,     /* no such object or row (noCreation / noSuchName) */
	ARAS_E_IO = 7,        /* file or system call failed */
	ARAS_E_VIRT = 8,      /* libvirt call failed */
	ARAS_E_BUSY = 9,      /* resource temporarily unavailable */
	ARAS_E_LENGTH = 10,   /* value of the wrong length (wrongLength) */
};

const char *aras_strerror(int err);

#define ARAS_UUID_LEN 16
#define ARAS_UUID_STRLEN 37
#define ARAS_NAME_MAX 256
#define ARAS_ERRTEXT_MAX 256
#define ARAS_REASON_MAX 512
/* Resources watched per VM: cpu, memory, disk (index = resource - ARAS_RES_CPU). */
#define ARAS_NRES 3
/* Host indexes (arasHostIndex, the config's host lines) run 1..this. */
#define ARAS_HOST_INDEX_MAX 65535
/* Hosts in maintenance at one time (the state file's list). */
#define ARAS_MAINT_MAX 64
/* Size of a new disk, or of a disk's growth, when diskStep is not set (MiB). */
#define ARAS_DISK_STEP_DEFAULT_MIB 1024

#define ARAS_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * c is a letter, a digit, '.', '_' or '-': the characters of the names
 * arasd takes or writes back as words (placement groups, clones, the
 * order journal's disk targets, the volumes a clone makes).
 */
int aras_word_char(char c);
/* s is 1 .. max such characters. */
int aras_word_ok(const char *s, size_t max);

/* Format a 16-byte UUID as 8-4-4-4-12 hex into buf (ARAS_UUID_STRLEN). */
void aras_uuid_format(const uint8_t uuid[ARAS_UUID_LEN], char *buf);
/* Parse the 8-4-4-4-12 form (dashes optional); 0 or -ARAS_E_INVAL. */
int aras_uuid_parse(const char *s, uint8_t uuid[ARAS_UUID_LEN]);
/*
 * In an array of n elements of size bytes each, sorted by the 16-byte UUID
 * that starts off bytes into each, the index of the first whose UUID is
 * not below uuid (n when none): where uuid is, or goes.
 */
size_t aras_uuid_lower(const void *base, size_t n, size_t size, size_t off,
		       const uint8_t uuid[ARAS_UUID_LEN]);

/*
 * The one escape of text that ends up in a line of arasd's log or a mail
 * (names, libvirt's error texts): s into buf (size bytes, always
 * NUL-terminated when size > 0) with \n, \r, \t and \\ for those bytes,
 * \xHH for every other byte below 0x20 and for 0x7f, and \xc2\xHH for the
 * C1 controls U+0080..U+009F in UTF-8 (c2 80..c2 9f): no byte that ends a
 * line or drives a terminal is left.  Everything else (printable ASCII,
 * the rest of UTF-8) is kept.  An escape that does not fit is left out
 * whole.  Returns the length written.  The trap handlers and check_arasd
 * write the same form (README "Logs").
 */
#define ARAS_ESCAPE_GROWTH 4 /* the most an input byte can grow to */
size_t aras_escape(char *buf, size_t size, const char *s);

#endif
