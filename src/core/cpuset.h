/*
 * cpuset.h - libvirt's cpuset syntax ("0-3,^2,8": ranges, single CPUs,
 * exclusions), as <vcpu cpuset=...> and <vcpupin cpuset=...> write it;
 * VM-MIB's vmCpuAffinityTable reads it (snmp/vmmib.c).  Pure C11.
 */
#ifndef ARAS_CPUSET_H
#define ARAS_CPUSET_H

/*
 * 1 when host CPU cpu (0-based) is in set, 0 when not; "" (or NULL) is
 * every CPU.  -1 when set does not parse (the caller shows unknown).
 */
int aras_cpuset_has(const char *set, unsigned cpu);

#endif
