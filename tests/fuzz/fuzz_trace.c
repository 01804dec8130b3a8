/*
 * fuzz_trace.c - libFuzzer target: the three trace formats of
 * arasd-replay (PlanetLab, Bitbrains, arasd history).  The first byte
 * picks the format (0 auto, 1 planetlab, 2 bitbrains, 3 history); the
 * rest is written to a memfd and loaded through /proc/self/fd, as the
 * loaders read files.
 */
#include "replay/trace.h"

#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aras_trace t;
	char path[64], why[512];
	int fd;

	if (size < 1)
		return 0;
	fd = memfd_create("trace", 0);
	if (fd < 0)
		return 0;
	if (write(fd, data + 1, size - 1) == (ssize_t)(size - 1)) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		if (aras_trace_load(path, data[0] % 4, 60, &t, why, sizeof(why)) == 0)
			aras_trace_free(&t);
	}
	close(fd);
	return 0;
}
