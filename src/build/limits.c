/* API server limits on whole objects (see limits.h). */
#include "limits.h"

static size_t bytes_of(struct fy_node *annotations)
{
	size_t total = 0;
	void *it = NULL;
	struct fy_node_pair *p;
	while (annotations && fy_node_is_mapping(annotations) && (p = fy_node_mapping_iterate(annotations, &it))) {
		size_t kl = 0, vl = 0;
		fy_node_get_scalar(fy_node_pair_key(p), &kl);
		if (fy_node_is_scalar(fy_node_pair_value(p)))
			fy_node_get_scalar(fy_node_pair_value(p), &vl);
		total += kl + vl;
	}
	return total;
}

size_t manifest_annotation_bytes(struct manifest *m)
{
	size_t own = bytes_of(yb_get(m->metadata, "annotations"));
	struct fy_node *spec = yb_get(m->root, "spec");
	struct fy_node *tmpl = spec && fy_node_is_mapping(spec) ? yb_get(spec, "template") : NULL;
	struct fy_node *tmeta = tmpl && fy_node_is_mapping(tmpl) ? yb_get(tmpl, "metadata") : NULL;
	size_t pod = tmeta && fy_node_is_mapping(tmeta) ? bytes_of(yb_get(tmeta, "annotations")) : 0;
	return own > pod ? own : pod;
}

void manifest_check_limits(struct manifest *m, size_t text_len, struct loc fallback, struct diags *d)
{
	struct loc at = m->at.line ? m->at : fallback;
	if (text_len > HS_MAX_OBJECT_BYTES)
		diag_error(d, at, NULL,
			   "the generated %s %s is %zu bytes, over the %u bytes an API server stores in one object; "
			   "split it (fewer hosts, paths, props or headers per service)",
			   m->kind, m->name, text_len, HS_MAX_OBJECT_BYTES);
	size_t ab = manifest_annotation_bytes(m);
	if (ab > HS_MAX_ANNOTATION_BYTES)
		diag_error(d, at, NULL,
			   "the annotations of the generated %s %s are %zu bytes (keys and values), over the API "
			   "server's limit of %u", m->kind, m->name, ab, HS_MAX_ANNOTATION_BYTES);
}
