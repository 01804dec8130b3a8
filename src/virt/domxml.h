/*
 * domxml.h - what a libvirt domain XML says about a VM's disks,
 * interfaces and vCPUs (core/device.h's identity fields), parsed with
 * libxml2.  Outside input: anything may arrive; lengths are bounded,
 * nothing is fetched (no network, no entity expansion).  No libvirt.
 */
#ifndef ARAS_VIRT_DOMXML_H
#define ARAS_VIRT_DOMXML_H

#include "core/device.h"

#include <stddef.h>

/* At most this many devices of each kind are kept (the rest are ignored). */
#define ARAS_DOMXML_MAX_DEV 256
#define ARAS_DOMXML_MAX_VCPU 1024

/*
 * Any thread may parse: libxml2 initialises itself at its first use under
 * its own lock (called early from arasd's own code, libxml2 2.9's
 * xmlInitParser unlocks a mutex ThreadSanitizer never saw locked).
 */
/*
 * Parse xml[0..len) into out (zeroed first): cfg.os_type, cfg.cpuset,
 * cfg.mem_min_kib and cfg.known = 1 (autostart and persistent are not in
 * the XML: set to -1), disks and interfaces in document order (a disk or
 * interface without a target name, or whose name repeats one before, is
 * left out: the target is the device's key), vCPUs 0 .. <vcpu>'s count - 1
 * with the cpuset of their <vcpupin> or <vcpu cpuset>.  Text that does not
 * fit its field is cut at the field's size.  0, -ARAS_E_INVAL (not a
 * <domain> document; out is empty) or -ARAS_E_NOMEM.  Free with
 * aras_devices_free (core/device.h).
 */
int aras_domxml_parse(const char *xml, size_t len, struct aras_vm_devices *out);

#endif
