/*
 * xmlnode.h - the few libxml2 tree reads that domxml.c and clonexml.c
 * share: element tests, the first child of a name, an attribute or the
 * text cut to a buffer, a decimal number, a libvirt memory size in KiB;
 * and how a domain XML is parsed.
 * NULL-safe where it says so.  No libvirt.
 */
#ifndef ARAS_VIRT_XMLNODE_H
#define ARAS_VIRT_XMLNODE_H

#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

/*
 * A <domain> document from xml[0..len), parsed as outside input (no
 * network, no entity substitution, no DTD loaded), or NULL (not XML, or
 * its root is not <domain>).  Free with xmlFreeDoc.
 */
xmlDoc *aras_xml_domain(const char *xml, size_t len);
/* n is an element named name (n may be NULL). */
int aras_xml_is(const xmlNode *n, const char *name);
/* The first child element of n named name, or NULL (n may be NULL). */
xmlNode *aras_xml_child(const xmlNode *n, const char *name);
/* Attribute name of n into buf (size), cut to fit; "" when absent (or n NULL).  1 if present. */
int aras_xml_attr(const xmlNode *n, const char *name, char *buf, size_t size);
/* The text of n into buf (size), cut to fit ("" for NULL). */
void aras_xml_text(const xmlNode *n, char *buf, size_t size);
/* A decimal number of at most 19 digits, blanks around (anything else: 0). */
uint64_t aras_xml_number(const char *s);
/*
 * KiB of a libvirt memory size: n's text, or its attribute attr when not
 * NULL, with n's unit= (b, bytes, KiB/k, MiB/M, GiB/G, TiB/T; KiB by
 * default), saturated.  0 when unreadable (or n NULL).
 */
uint64_t aras_xml_kib(const xmlNode *n, const char *attr);

#endif
