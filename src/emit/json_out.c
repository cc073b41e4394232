/* YAML objects to JSON through libfyaml (see json_out.h). */
#include "json_out.h"
#include <stdlib.h>
#include <string.h>
#include <libfyaml.h>

static const struct fy_parse_cfg quiet_cfg = { .flags = FYPCF_QUIET };

static bool emit(struct fy_document *d, struct sbuf *out)
{
	char *s = fy_emit_document_to_string(d, FYECF_MODE_JSON | FYECF_INDENT_2 | FYECF_WIDTH_INF);
	if (!s)
		return false;
	sb_adds(out, s);
	if (!out->len || sb_str(out)[out->len - 1] != '\n')
		sb_addc(out, '\n');
	free(s);
	return true;
}

bool json_from_yaml(const char *yaml, size_t len, struct sbuf *out)
{
	struct fy_document *d = fy_document_build_from_string(&quiet_cfg, yaml, len);
	bool ok = d && emit(d, out);
	fy_document_destroy(d);
	return ok;
}

bool json_list_from_yaml(const char *const *yaml, const size_t *len, size_t n, struct sbuf *out)
{
	struct fy_document *list = fy_document_build_from_string(&quiet_cfg, "{apiVersion: v1, kind: List, items: []}", FY_NT);
	if (!list)
		return false;
	struct fy_node *items = fy_node_by_path(fy_document_root(list), "/items", FY_NT, FYNWF_DONT_FOLLOW);
	bool ok = items != NULL;
	/* Copies may share the source documents' text: they live until the list is written. */
	struct fy_document **docs = calloc(n ? n : 1, sizeof(*docs));
	ok = ok && docs;
	for (size_t i = 0; i < n && ok; i++) {
		docs[i] = fy_document_build_from_string(&quiet_cfg, yaml[i], len[i]);
		struct fy_node *c = docs[i] ? fy_node_copy(list, fy_document_root(docs[i])) : NULL;
		ok = c && fy_node_sequence_append(items, c) == 0;
	}
	ok = ok && emit(list, out);
	fy_document_destroy(list);
	for (size_t i = 0; docs && i < n; i++)
		fy_document_destroy(docs[i]);
	free(docs);
	return ok;
}
