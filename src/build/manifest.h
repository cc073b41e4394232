/* The list of objects generated for one service: each a libfyaml document with the
 * conventional key order (apiVersion, kind, metadata, spec), its apply rank and file name. */
#ifndef HS_MANIFEST_H
#define HS_MANIFEST_H
#include <stddef.h>
#include "yb.h"
#include "../util/arena.h"
#include "../util/diag.h"
#include "../util/kvl.h"

struct manifest {
	const char *api_version, *kind, *name;
	struct yb yb;
	struct fy_node *root, *metadata;
	int rank;              /* apply order: config, workloads, services, routes */
	const char *file;      /* set by manifests_finish() */
	struct loc at;         /* spec position its limits are reported at; line 0: the service's name */
};

struct manifests {
	struct arena *a;
	struct fy_parser *evp;
	struct fy_diag *diag;
	struct manifest **v;
	size_t n, cap;
};

void manifests_init(struct manifests *ms, struct arena *a);
void manifests_free(struct manifests *ms);
/* A new object with metadata {name, namespace, labels}; the caller adds spec. */
struct manifest *manifest_new(struct manifests *ms, const char *api_version, const char *kind,
			      const char *name, const char *ns, const struct kvl *labels);
struct manifest *manifests_find(struct manifests *ms, const char *kind, const char *name);
void manifest_annotate(struct manifest *m, const char *key, const char *value);
void manifest_label(struct manifest *m, const char *key, const char *value);
/* Sorts by rank (stable) and names files as HyScale does: <kind>.yaml, or
 * <name>-<kind>.yaml when a kind occurs more than once. */
void manifests_finish(struct manifests *ms);
#endif
