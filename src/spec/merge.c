/* Node-level tree merge (see merge.h). Element order is stable: the destination's
 * elements stay where they are (merged in place), new ones follow in source order. */
#include "merge.h"
#include <string.h>
#include "read.h"

static void origin(struct ymerge *m, struct fy_node *n)
{
	if (m->dst_yf && n)
		yfile_add_origin(m->dst_yf, n, m->src->path);
}

static struct fy_node *copy_rec(struct ymerge *m, struct fy_node *src, int depth)
{
	struct loc at = yloc(m->src, src);
	src = ynode(m->src, src, m->d, at);
	if (!src || depth > HS_MAX_DEPTH)
		return NULL;
	if (fy_node_is_scalar(src))
		return fy_node_copy(m->dst_doc, src);
	if (fy_node_is_sequence(src)) {
		struct fy_node *seq = fy_node_create_sequence(m->dst_doc);
		for (int i = 0; seq && i < fy_node_sequence_item_count(src); i++) {
			struct fy_node *c = copy_rec(m, fy_node_sequence_get_by_index(src, i), depth + 1);
			if (!c || fy_node_sequence_append(seq, c) != 0)
				return NULL;
		}
		return seq;
	}
	struct fy_node *map = fy_node_create_mapping(m->dst_doc);
	void *it = NULL;
	struct fy_node_pair *p;
	while (map && (p = fy_node_mapping_iterate(src, &it))) {
		struct fy_node *k = copy_rec(m, fy_node_pair_key(p), depth + 1);
		origin(m, k);
		struct fy_node *v = fy_node_pair_value(p) ? copy_rec(m, fy_node_pair_value(p), depth + 1)
							  : fy_node_create_scalar(m->dst_doc, "", 0);
		if (!k || !v || fy_node_mapping_append(map, k, v) != 0)
			return NULL;
	}
	return map;
}

struct fy_node *ymerge_copy(struct ymerge *m, struct fy_node *src)
{
	struct fy_node *c = copy_rec(m, src, 0);
	origin(m, c);
	return c;
}

static bool in_list(const char *s, const char *const *list)
{
	for (; list && *list; list++)
		if (!strcmp(s, *list))
			return true;
	return false;
}

static bool same_key_value(const char *key, const char *a, const char *b)
{
	/* Ports match by number and transport, so 8080 merges with 8080/tcp. */
	long na, nb;
	enum port_proto pa, pb;
	if (!strcmp(key, "port") && port_parse(a, &na, &pa) && port_parse(b, &nb, &pb))
		return na == nb && (pa == PROTO_UDP) == (pb == PROTO_UDP);
	return !strcmp(a, b);
}

/* The merge key's value in an item; dotted keys (metadata.name) reach into mappings. */
static const char *key_text(struct fy_node *map, const char *key)
{
	struct fy_node *v = map;
	for (const char *k = key; v && *k;) {
		const char *dot = strchr(k, '.');
		size_t n = dot ? (size_t)(dot - k) : strlen(k);
		while (v && fy_node_is_alias(v))
			v = fy_node_resolve_alias(v);
		v = v && fy_node_is_mapping(v) ? fy_node_mapping_lookup_by_string(v, k, n) : NULL;
		k += n + (dot != NULL);
	}
	while (v && fy_node_is_alias(v))
		v = fy_node_resolve_alias(v);
	return yscalar(v, NULL);
}

static bool merge_value(struct ymerge *m, struct fy_node *dst, struct fy_node *src, const char *path,
			const char *shape, struct fy_node **replace);

static bool merge_seq(struct ymerge *m, struct fy_node *dst, struct fy_node *src, const char *path,
		      const char *shape)
{
	bool ok = true;
	const char *key = m->key_for ? m->key_for(shape) : NULL;
	const char *ishape = arena_printf(m->a, "%s[]", shape);
	int n = fy_node_sequence_item_count(src);
	for (int i = 0; i < n; i++) {
		struct fy_node *raw = fy_node_sequence_get_by_index(src, i);
		struct fy_node *it = ynode(m->src, raw, m->d, yloc(m->src, raw));
		const char *ip = arena_printf(m->a, "%s[%d]", path, i);
		if (!it)
			return false;
		if (fy_node_is_mapping(it)) {
			if (!key) {
				diag_error(m->d, yloc(m->src, it), path,
					   "cannot merge this list of mappings into the one in %s: its items have no merge "
					   "key; give the whole list in one file", m->dst_yf ? m->dst_yf->path : "the generated object");
				return false;
			}
			const char *kv = key_text(it, key);
			if (!kv) {
				diag_error(m->d, yloc(m->src, it), ip, "missing '%s', which identifies the item to merge with",
					   key);
				ok = false;
				continue;
			}
			struct fy_node *match = NULL;
			for (int j = 0; j < fy_node_sequence_item_count(dst) && !match; j++) {
				struct fy_node *d = fy_node_sequence_get_by_index(dst, j);
				while (d && fy_node_is_alias(d))
					d = fy_node_resolve_alias(d);
				const char *dk = key_text(d, key);
				if (dk && same_key_value(key, dk, kv))
					match = d;
			}
			if (match) {
				/* The item keeps its own key: 8080/http merged with 8080 stays 8080/http. */
				const char *const keep[] = { key, NULL };
				ok = ymerge_map(m, match, it, ip, ishape, strchr(key, '.') ? NULL : keep) && ok;
				continue;
			}
		} else if (fy_node_is_scalar(it)) {
			bool dup = false;
			for (int j = 0; j < fy_node_sequence_item_count(dst) && !dup; j++) {
				struct fy_node *d = fy_node_sequence_get_by_index(dst, j);
				while (d && fy_node_is_alias(d))
					d = fy_node_resolve_alias(d);
				const char *a = yscalar(d, NULL), *b = yscalar(it, NULL);
				dup = a && b && !strcmp(a, b);
			}
			if (dup)
				continue;
		}
		struct fy_node *c = ymerge_copy(m, it);
		if (!c || fy_node_sequence_append(dst, c) != 0)
			return false;
	}
	return ok;
}

static bool all_scalars(struct fy_node *seq)
{
	for (int i = 0; i < fy_node_sequence_item_count(seq); i++) {
		struct fy_node *n = fy_node_sequence_get_by_index(seq, i);
		while (n && fy_node_is_alias(n))
			n = fy_node_resolve_alias(n);
		if (!n || !fy_node_is_scalar(n))
			return false;
	}
	return true;
}

/* *replace receives a new node when src replaces dst as a whole. */
static bool merge_value(struct ymerge *m, struct fy_node *dst, struct fy_node *src, const char *path,
			const char *shape, struct fy_node **replace)
{
	*replace = NULL;
	while (dst && fy_node_is_alias(dst))
		dst = fy_node_resolve_alias(dst);
	if (dst && fy_node_is_mapping(dst) && fy_node_is_mapping(src))
		return ymerge_map(m, dst, src, path, shape, NULL);
	if (dst && fy_node_is_sequence(dst) && fy_node_is_sequence(src) &&
	    !(m->replaces && m->replaces(shape)) && !(m->scalar_lists_replace && all_scalars(src)))
		return merge_seq(m, dst, src, path, shape);
	*replace = ymerge_copy(m, src);
	return *replace != NULL;
}

bool ymerge_map(struct ymerge *m, struct fy_node *dst, struct fy_node *src, const char *path,
		const char *shape, const char *const *skip)
{
	bool ok = true;
	void *it = NULL;
	struct fy_node_pair *p;
	while ((p = fy_node_mapping_iterate(src, &it))) {
		struct fy_node *kn = ynode(m->src, fy_node_pair_key(p), m->d, yloc(m->src, fy_node_pair_key(p)));
		const char *k = yscalar(kn, NULL);
		if (!k) {
			diag_error(m->d, yloc(m->src, kn), path, "mapping keys must be plain strings");
			ok = false;
			continue;
		}
		if (in_list(k, skip))
			continue;
		struct fy_node *v = ynode(m->src, fy_node_pair_value(p), m->d, yloc(m->src, kn));
		if (m->src->budget_reported)
			return false;
		/* HyScale: a null in the profile changes nothing (nothing can be deleted). */
		if (!v || yis_null(v))
			continue;
		const char *fp = path && *path ? arena_printf(m->a, "%s.%s", path, k) : k;
		const char *fs = shape && *shape ? arena_printf(m->a, "%s.%s", shape, k) : k;
		struct fy_node_pair *dp = fy_node_mapping_lookup_pair_by_string(dst, k, FY_NT);
		if (!dp) {
			struct fy_node *ck = ymerge_copy(m, kn), *cv = ymerge_copy(m, v);
			if (!ck || !cv || fy_node_mapping_append(dst, ck, cv) != 0)
				return false;
			continue;
		}
		struct fy_node *repl;
		struct fy_node *dv = fy_node_pair_value(dp);
		if (dv && yis_null(dv))
			dv = NULL;
		ok = merge_value(m, dv, v, fp, fs, &repl) && ok;
		if (repl && fy_node_pair_set_value(dp, repl) != 0)
			return false;
	}
	return ok;
}
