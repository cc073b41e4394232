/* libfyaml accessors for API objects (see jnode.h). */
#include "jnode.h"
#include <stdlib.h>
#include <string.h>

struct fy_document *jdoc_parse(const char *text, size_t len)
{
	struct fy_parse_cfg cfg = { .flags = FYPCF_QUIET | FYPCF_COLLECT_DIAG };
	if (!text || !len)
		return NULL;
	/* libfyaml keeps pointing into the input: give it its own copy, freed with the document */
	char *copy = malloc(len + 1);
	if (!copy)
		return NULL;
	memcpy(copy, text, len);
	copy[len] = '\0';
	struct fy_document *d = fy_document_build_from_malloc_string(&cfg, copy, len);
	if (!d)
		free(copy);
	return d;
}

struct fy_node *jkey(struct fy_node *map, const char *key)
{
	if (!map || fy_node_get_type(map) != FYNT_MAPPING)
		return NULL;
	return fy_node_mapping_lookup_by_string(map, key, FY_NT);
}

struct fy_node *jget(struct fy_node *n, const char *path)
{
	const char *p = path;
	while (n && *p) {
		const char *dot = strchr(p, '.');
		size_t l = dot ? (size_t)(dot - p) : strlen(p);
		char key[128];
		if (l >= sizeof(key))
			return NULL;
		memcpy(key, p, l);
		key[l] = '\0';
		if (fy_node_get_type(n) == FYNT_SEQUENCE) {
			char *end;
			long i = strtol(key, &end, 10);
			if (*end || i < 0)
				return NULL;
			n = fy_node_sequence_get_by_index(n, (int)i);
		} else {
			n = jkey(n, key);
		}
		p += l + (dot ? 1 : 0);
	}
	return n;
}

const char *jstr(struct fy_node *n, const char *path)
{
	n = path && *path ? jget(n, path) : n;
	if (!n || fy_node_get_type(n) != FYNT_SCALAR)
		return NULL;
	const char *s = fy_node_get_scalar0(n);
	/* JSON null is absent, as in the API's Go types */
	if (s && !strcmp(s, "null") && fy_node_get_style(n) == FYNS_PLAIN)
		return NULL;
	return s;
}

long jlong(struct fy_node *n, const char *path, long dflt)
{
	const char *s = jstr(n, path);
	if (!s || !*s)
		return dflt;
	char *end;
	long v = strtol(s, &end, 10);
	return *end ? dflt : v;
}

size_t jlen(struct fy_node *seq)
{
	if (!seq || fy_node_get_type(seq) != FYNT_SEQUENCE)
		return 0;
	int n = fy_node_sequence_item_count(seq);
	return n > 0 ? (size_t)n : 0;
}

struct fy_node *jat(struct fy_node *seq, size_t i)
{
	if (i >= jlen(seq))
		return NULL;
	return fy_node_sequence_get_by_index(seq, (int)i);
}

void json_str(struct sbuf *sb, const char *s)
{
	sb_addc(sb, '"');
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (*p == '"' || *p == '\\') {
			sb_addc(sb, '\\');
			sb_addc(sb, (char)*p);
		} else if (*p < 0x20) {
			sb_addf(sb, "\\u%04x", *p);
		} else {
			sb_addc(sb, (char)*p);
		}
	}
	sb_addc(sb, '"');
}
