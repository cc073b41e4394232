/* Merging one YAML tree into another at the node level, so merged values keep the file,
 * line and column they were written at. Used for profiles onto specs (HyScale's
 * "strategic patch", hyscale.md §2.4) and for k8sSnippets onto generated objects (§3.10). */
#ifndef HS_MERGE_H
#define HS_MERGE_H
#include <stdbool.h>
#include "yaml.h"

struct ymerge {
	struct fy_document *dst_doc;
	struct yfile *dst_yf;          /* records origins of copied nodes; NULL for manifests */
	struct yfile *src;             /* the file merged in (profile, snippet) */
	/* Merge key of a list of mappings at `shape` (e.g. "agents[].volumes"), or NULL:
	 * such lists on both sides are an error, as in HyScale. */
	const char *(*key_for)(const char *shape);
	/* Lists at `shape` replace instead of merging (HyScale: allowTraffic). */
	bool (*replaces)(const char *shape);
	bool scalar_lists_replace;     /* false: union without duplicates (profiles) */
	struct arena *a;
	struct diags *d;
};

/* Merges the mapping src into the mapping dst. Returns false when something could not
 * be merged (reported to d with the position in src). `skip` lists top-level keys of
 * src to leave out (NULL-terminated, may be NULL). */
bool ymerge_map(struct ymerge *m, struct fy_node *dst, struct fy_node *src, const char *path,
		const char *shape, const char *const *skip);
/* A deep copy of src (aliases expanded within src's budget) in dst_doc; NULL on failure. */
struct fy_node *ymerge_copy(struct ymerge *m, struct fy_node *src);
#endif
