/*
 * clonexml.h - a template's domain XML made into a clone's, with libxml2:
 * the disks to copy, and the new definition (its name; no UUID, MAC
 * address or interface name, so that libvirt gives new ones; each copied
 * disk's new source).
 * Outside input: the template's XML comes from libvirt, as any XML may
 * arrive; nothing is fetched (no network, no entity expansion).  No libvirt.
 */
#ifndef ARAS_VIRT_CLONEXML_H
#define ARAS_VIRT_CLONEXML_H

#include <stddef.h>

/* At most this many disks are copied (more: the clone is refused). */
#define ARAS_CLONE_MAX_DISKS 16

/*
 * A disk the clone gets a copy of: device='disk', neither <readonly/> nor
 * <shareable/> (those are shared with the template, as virt-clone does).
 */
struct aras_clone_disk {
	char target[32];   /* <target dev>: vda */
	char source[4096]; /* type file: <source file>; block: <source dev>; volume: <source volume> */
	char pool[256];    /* type volume: <source pool> */
	char format[32];   /* <driver type>: raw, qcow2 ("" when not given) */
	int volume;        /* type volume (else a path) */
	int copy_block;    /* set by the caller: the copy is a block device (its pool's kind), not a file */
};

/*
 * The disks to copy of domain xml[0..len), in document order, into
 * out[0..max): their count, or -ARAS_E_INVAL (not a <domain> document, a
 * disk to copy that is not a file, a block device or a pool volume, one
 * without a source or a target, or one whose text does not fit; more than
 * max) with why.
 */
int aras_clonexml_disks(const char *xml, size_t len, struct aras_clone_disk *out, size_t max, char *why,
			size_t whylen);

/*
 * The clone's domain XML (*out, malloc'd, NUL-terminated): the template's
 * xml[0..len) with <name> name, no <uuid>, <sysinfo> UUID entry or <genid>,
 * no <mac> or <target> in any <interface> (libvirt makes new ones), no
 * <nvram> (libvirt makes the clone its own), and the source of disk i
 * (disks[i], as aras_clonexml_disks gave them, n of them) news[i]: a path
 * for a file or block disk (a file, or a block device if copy_block), a
 * volume name for a volume disk.
 * 0, or -ARAS_E_INVAL / -ARAS_E_NOMEM with why.
 */
int aras_clonexml_rewrite(const char *xml, size_t len, const char *name, const struct aras_clone_disk *disks,
			  const char *const *news, size_t n, char **out, char *why, size_t whylen);

/*
 * One disk of domain xml[0..len) by its target name, whatever the others
 * are: 0 and *out (as aras_clonexml_disks fills it), or -ARAS_E_NOENT (no
 * such disk, or one that is read-only, shareable or not a disk) /
 * -ARAS_E_INVAL with why.
 */
int aras_clonexml_disk(const char *xml, size_t len, const char *target, struct aras_clone_disk *out,
		       char *why, size_t whylen);

/*
 * A definition's maximum memory (the next boot's) set in its XML, for a
 * domain libvirt will not change with virDomainSetMemoryFlags (one with a
 * NUMA cell: "initial memory of a domain with NUMA nodes cannot be
 * modified with this API"): <memory> kib KiB, its one NUMA <cell> kib less
 * the DIMMs it has (libvirt counts them in), <currentMemory> lowered to kib
 * if above.  *out malloc'd; 0, or
 * -ARAS_E_INVAL (not a domain; more than one NUMA cell; above
 * <maxMemory>, the hot-plug limit; not above its DIMMs) / -ARAS_E_NOMEM
 * with why.
 */
int aras_clonexml_max_memory(const char *xml, size_t len, unsigned long long kib, char **out, char *why,
			     size_t whylen);

#endif
