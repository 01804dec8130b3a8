/*
 * testlib.h - the helpers every unit test shares (one copy of each):
 * N_ELEM, CHECK_U64 (a failing 64-bit comparison names both values), and
 * test_uuid() (a UUID whose memcmp order is the order of key).  Include
 * after <cmocka.h>.
 */
#ifndef ARAS_TESTLIB_H
#define ARAS_TESTLIB_H

#include "core/aras.h"

#include <stdint.h>
#include <string.h>

#define N_ELEM(a) (sizeof(a) / sizeof((a)[0]))

#define CHECK_U64(what, got, want)                                                                           \
	do {                                                                                                 \
		unsigned long long g_ = (unsigned long long)(got);                                           \
		unsigned long long w_ = (unsigned long long)(want);                                          \
		if (g_ != w_)                                                                                \
			fail_msg("%s: %s = %llu, want %llu", (what), #got, g_, w_);                          \
	} while (0)

/*
 * Key in the first four bytes (big-endian, so memcmp order = key order),
 * version 4; last byte key * mul (each test keeps its own mul, so its
 * fixtures keep their UUIDs), byte 8 = b8.
 */
static inline void test_uuid(uint8_t u[ARAS_UUID_LEN], uint32_t key, unsigned mul, uint8_t b8)
{
	memset(u, 0, ARAS_UUID_LEN);
	u[0] = (uint8_t)(key >> 24);
	u[1] = (uint8_t)(key >> 16);
	u[2] = (uint8_t)(key >> 8);
	u[3] = (uint8_t)key;
	u[6] = 0x40;
	u[8] = b8;
	u[15] = (uint8_t)(key * mul);
}

#endif
