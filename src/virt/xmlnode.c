/*
 * xmlnode.c - see xmlnode.h.
 */
#include "xmlnode.h"

#include <stdint.h>
#include <stdio.h>

#include <libxml/parser.h>

xmlDoc *aras_xml_domain(const char *xml, size_t len)
{
	xmlDoc *doc;

	if (!xml || len > INT32_MAX)
		return NULL;
	/* no XML_PARSE_NOENT (entities stay unexpanded), no DTD loaded, no network */
	doc = xmlReadMemory(xml, (int)len, "domain.xml", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	if (doc && !aras_xml_is(xmlDocGetRootElement(doc), "domain")) {
		xmlFreeDoc(doc);
		doc = NULL;
	}
	return doc;
}

int aras_xml_is(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, (const xmlChar *)name) == 0;
}

xmlNode *aras_xml_child(const xmlNode *n, const char *name)
{
	for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (aras_xml_is(c, name))
			return c;
	return NULL;
}

int aras_xml_attr(const xmlNode *n, const char *name, char *buf, size_t size)
{
	xmlChar *v = n ? xmlGetProp((xmlNode *)n, (const xmlChar *)name) : NULL;

	buf[0] = '\0';
	if (!v)
		return 0;
	snprintf(buf, size, "%s", (const char *)v);
	xmlFree(v);
	return 1;
}

void aras_xml_text(const xmlNode *n, char *buf, size_t size)
{
	xmlChar *v = n ? xmlNodeGetContent((xmlNode *)n) : NULL;

	buf[0] = '\0';
	if (!v)
		return;
	snprintf(buf, size, "%s", (const char *)v);
	xmlFree(v);
}

uint64_t aras_xml_number(const char *s)
{
	uint64_t v = 0;
	size_t n = 0;

	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	for (; *s >= '0' && *s <= '9' && n < 19; s++, n++)
		v = v * 10 + (uint64_t)(*s - '0');
	return n && (*s == '\0' || *s == ' ' || *s == '\n') ? v : 0;
}

uint64_t aras_xml_kib(const xmlNode *n, const char *attr)
{
	char t[32], u[16];
	uint64_t v;

	if (attr)
		aras_xml_attr(n, attr, t, sizeof(t));
	else
		aras_xml_text(n, t, sizeof(t));
	v = aras_xml_number(t);
	aras_xml_attr(n, "unit", u, sizeof(u));
	if (u[0] == 'b' || u[0] == 'B')
		return v / 1024;
	if (u[0] == 'M' || u[0] == 'm')
		return v > UINT64_MAX >> 10 ? UINT64_MAX : v << 10;
	if (u[0] == 'G' || u[0] == 'g')
		return v > UINT64_MAX >> 20 ? UINT64_MAX : v << 20;
	if (u[0] == 'T' || u[0] == 't')
		return v > UINT64_MAX >> 30 ? UINT64_MAX : v << 30;
	return v;
}
