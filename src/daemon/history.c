/*
 * history.c - see history.h.
 */
#include "history.h"

#include "util/log.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

/* Log lines of this file say where they come from (util/log.h). */
static const char log_token[] = "daemon";

void aras_history_init(struct aras_history *h, char *file)
{
	h->file = file;
	h->f = NULL;
}

/*
 * The history file was rotated (renamed or removed: the name is no longer
 * the file arasd has open), so the next lines go to a new file by that name.
 * Checked before every poll's lines: logrotate (or anyone) may rename it
 * with no way to signal arasd (no systemd, another supervisor), and SIGHUP
 * stays optional.
 */
static int rotated(const struct aras_history *h)
{
	struct stat named, cur;

	if (fstat(fileno(h->f), &cur) != 0)
		return 1;
	if (stat(h->file, &named) != 0)
		return errno == ENOENT;
	return named.st_ino != cur.st_ino || named.st_dev != cur.st_dev;
}

void aras_history_record(struct aras_history *h, const struct aras_model *m, unsigned host, time_t now)
{
	FILE *f = h->f;
	char uuid[ARAS_UUID_STRLEN];

	if (!h->file)
		return;
	if (f && rotated(h)) {
		if (fclose(f) != 0)
			log_err("historyFile %s: %s", h->file, strerror(errno));
		h->f = f = NULL;
		log_info("historyFile %s was rotated: reopened by name", h->file);
	}
	if (!f) {
		f = fopen(h->file, "a");
		if (!f) {
			log_err("historyFile %s: %s", h->file, strerror(errno));
			h->file = NULL; /* given up: logged once */
			return;
		}
		h->f = f;
		fprintf(f, "# arasd history: T_UNIX HOST_INDEX UUID CPU_PCT VCPUS MEM_CUR_KIB MEM_USAGE_PCT "
			   "IO_PCT\n");
	}
	for (size_t i = 0; i < m->nvms; i++) {
		const struct aras_vm *vm = m->vms[i];

		if (vm->host != host || !vm->rates_valid)
			continue;
		aras_uuid_format(vm->uuid, uuid);
		fprintf(f, "%lld %u %s %u %u %llu %u %u\n", (long long)now, host, uuid, vm->cpu_usage,
			vm->vcpus, (unsigned long long)vm->mem_cur_kib, vm->mem_usage, vm->io_usage);
	}
	fflush(f);
}

/* (A rename or removal of the file is also noticed without it: see rotated.) */
void aras_history_reopen(struct aras_history *h)
{
	if (h->f) {
		if (fclose(h->f) != 0)
			log_err("historyFile %s: %s", h->file, strerror(errno));
		h->f = NULL;
	}
	log_info("SIGHUP: history file %s will be reopened", h->file ? h->file : "(none)");
}

void aras_history_close(struct aras_history *h)
{
	if (h->f)
		fclose(h->f);
	h->f = NULL;
}
