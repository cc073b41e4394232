/* YAML rendering with a round-trip guard (see yaml_out.h). */
#include "yaml_out.h"
#include <stdlib.h>
#include <string.h>
#include "../spec/yaml.h"

#define EMIT_FLAGS (FYECF_MODE_BLOCK | FYECF_INDENT_2 | FYECF_WIDTH_INF | FYECF_DOC_START_MARK_OFF | \
		    FYECF_DOC_END_MARK_OFF | FYECF_VERSION_DIR_OFF | FYECF_TAG_DIR_OFF)

static bool plain(struct fy_node *n) { return fy_node_get_style(n) == FYNS_PLAIN || fy_node_get_style(n) == FYNS_ANY; }

static bool same(struct fy_node *a, struct fy_node *b, int depth)
{
	if (!a || !b || depth > 100)
		return false;
	if (fy_node_get_type(a) != fy_node_get_type(b))
		return false;
	if (fy_node_is_scalar(a)) {
		size_t la, lb;
		const char *sa = fy_node_get_scalar(a, &la), *sb = fy_node_get_scalar(b, &lb);
		return la == lb && (!la || !memcmp(sa, sb, la)) && plain(a) == plain(b);
	}
	if (fy_node_is_sequence(a)) {
		int n = fy_node_sequence_item_count(a);
		if (n != fy_node_sequence_item_count(b))
			return false;
		for (int i = 0; i < n; i++)
			if (!same(fy_node_sequence_get_by_index(a, i), fy_node_sequence_get_by_index(b, i), depth + 1))
				return false;
		return true;
	}
	int n = fy_node_mapping_item_count(a);
	if (n != fy_node_mapping_item_count(b))
		return false;
	for (int i = 0; i < n; i++) {
		struct fy_node_pair *pa = fy_node_mapping_get_by_index(a, i), *pb = fy_node_mapping_get_by_index(b, i);
		if (!same(fy_node_pair_key(pa), fy_node_pair_key(pb), depth + 1) ||
		    !same(fy_node_pair_value(pa), fy_node_pair_value(pb), depth + 1))
			return false;
	}
	return true;
}

bool yaml_render(struct manifest *m, struct sbuf *out, const char **why)
{
	size_t len = 0;
	if (m->yb.lossy) {
		*why = "a value cannot be stored exactly in YAML by libfyaml; refusing to write a different one";
		return false;
	}
	char *text = fy_emit_document_to_string(m->yb.doc, EMIT_FLAGS);
	if (!text) {
		*why = "the YAML emitter failed";
		return false;
	}
	len = strlen(text);
	struct fy_parse_cfg cfg = { .flags = FYPCF_QUIET };
	struct fy_document *back = fy_document_build_from_string(&cfg, text, len);
	bool ok = back && same(fy_document_root(m->yb.doc), fy_document_root(back), 0);
	if (back)
		fy_document_destroy(back);
	if (!ok) {
		/* libfyaml 0.7 drops leading/trailing spaces of some scalars; refuse rather
		 * than write a value that differs from the spec. */
		*why = "a value cannot be written exactly in YAML by libfyaml (leading or trailing spaces?)";
		free(text);
		return false;
	}
	sb_add(out, text, len);
	free(text);
	return true;
}
