/* k8sSnippets (see snippets.h). Lists of mappings merge by Kubernetes' own merge keys
 * (name; mountPath for volumeMounts), lists of scalars such as command or args are
 * replaced whole, mappings merge key by key. */
#include "snippets.h"
#include "../model/kinds.h"
#include <stdlib.h>
#include <string.h>
#include "../spec/merge.h"
#include "../util/confine.h"
#include "../spec/yaml11.h"

const char *snippet_merge_key(const char *shape)
{
	static const char *const by_name[] = { "containers", "initContainers", "ephemeralContainers", "volumes",
					       "env", "ports", "imagePullSecrets", NULL };
	const char *last = strrchr(shape, '.');
	last = last ? last + 1 : shape;
	if (!strcmp(last, "volumeMounts"))
		return "mountPath";
	if (!strcmp(last, "volumeClaimTemplates"))
		return "metadata.name";
	for (const char *const *k = by_name; *k; k++)
		if (!strcmp(last, *k))
			return "name";
	return NULL;
}

static const char *scalar_at(struct fy_node *map, const char *path)
{
	struct fy_node *n = fy_node_by_path(map, path, FY_NT, FYNWF_DONT_FOLLOW);
	while (n && fy_node_is_alias(n))
		n = fy_node_resolve_alias(n);
	return yscalar(n, NULL);
}

static void one(const struct svc_model *m, struct manifests *ms, struct yfile *yf, const struct sstr *ref,
		const char *field, struct diags *d)
{
	struct arena *a = ms->a;
	struct fy_node *root = ynode(yf, fy_document_root(yf->doc), d, LOC(yf->path, 1, 1));
	if (!root || !fy_node_is_mapping(root)) {
		diag_error(d, root ? yloc(yf, root) : LOC(yf->path, 0, 0), NULL,
			   "a k8s snippet must be a mapping (a Kubernetes object or a part of one)");
		return;
	}
	const char *kind = scalar_at(root, "/kind");
	if (!kind || !*kind) {
		diag_error(d, yloc(yf, root), "kind", "missing: the kind of object this snippet changes, e.g. kind: Deployment");
		return;
	}
	struct loc kl = yloc(yf, fy_node_mapping_lookup_by_string(root, "kind", FY_NT));
	/* Its scalars are copied as written: kubectl must read them as we do. */
	yaml11_check_tree(yf, root, "k8s snippet", a, d);
	/* -n promises every object is in that namespace; a snippet cannot move one out. */
	const char *ns = scalar_at(root, "/metadata/namespace");
	if (ns) {
		struct loc nl = yloc(yf, fy_node_by_path(root, "/metadata/namespace", FY_NT, FYNWF_DONT_FOLLOW));
		if (kind_cluster_scoped(kind))
			diag_error(d, nl, "metadata.namespace", "a %s is cluster-scoped and has no namespace", kind);
		else if (!m->ns)
			diag_error(d, nl, "metadata.namespace",
				   "'%s' pins a namespace, but this run writes none (no -n): every other object goes to the "
				   "namespace it is applied in; remove it, or give -n %s", ns, ns);
		else if (strcmp(ns, m->ns))
			diag_error(d, nl, "metadata.namespace",
				   "'%s' differs from the namespace of this run, '%s' (-n): every generated object is in that "
				   "namespace; a snippet cannot move one", ns, m->ns);
	}
	struct ymerge mg = { .dst_doc = NULL, .dst_yf = NULL, .src = yf, .key_for = snippet_merge_key,
			     .replaces = NULL, .scalar_lists_replace = true, .a = a, .d = d };
	static const char *const skip[] = { "apiVersion", "kind", NULL };
	struct manifest *target = NULL;
	for (size_t i = 0; i < ms->n && !target; i++)
		if (!strcmp(ms->v[i]->kind, kind))
			target = ms->v[i];
	const char *api = scalar_at(root, "/apiVersion");
	const char *name = scalar_at(root, "/metadata/name");
	if (target) {
		if (api && strcmp(api, target->api_version))
			diag_warn(d, yloc(yf, fy_node_by_path(root, "/apiVersion", FY_NT, FYNWF_DONT_FOLLOW)), "apiVersion",
				  "the generated %s is %s; the snippet's %s is ignored", kind, target->api_version, api);
		if (name && strcmp(name, target->name)) {
			diag_error(d, yloc(yf, fy_node_by_path(root, "/metadata/name", FY_NT, FYNWF_DONT_FOLLOW)),
				   "metadata.name", "would rename the generated %s '%s'; a snippet can only add to it",
				   kind, target->name);
			return;
		}
		mg.dst_doc = target->yb.doc;
		ymerge_map(&mg, target->root, root, "", "", skip);
		return;
	}
	if (!api || !name) {
		const char *alt = !strcmp(kind, "Deployment") && manifests_find(ms, "StatefulSet", NULL)
					  ? " (this service has volumes, so it is a StatefulSet)"
				  : !strcmp(kind, "StatefulSet") && manifests_find(ms, "Deployment", NULL)
					  ? " (this service has no volumes, so it is a Deployment)"
					  : "";
		diag_error(d, kl, "kind",
			   "this service generates no %s to merge into%s, and the snippet lacks %s to be an object of its own "
			   "(referenced at %s:%d:%d: %s)", kind, alt, !api ? "apiVersion" : "metadata.name",
			   ref->loc.file, ref->loc.line, ref->loc.col, field);
		return;
	}
	struct manifest *obj = manifest_new(ms, api, kind, name, kind_cluster_scoped(kind) ? NULL : m->ns, &m->labels);
	obj->at = kl;
	mg.dst_doc = obj->yb.doc;
	ymerge_map(&mg, obj->root, root, "", "", skip);
}

void build_snippets(const struct svc_model *m, struct manifests *ms, struct snippet_files *files, struct diags *d)
{
	const struct spec *s = m->spec;
	struct arena *a = d->arena;
	for (size_t i = 0; i < s->nsnippets; i++) {
		const struct sstr *ref = &s->snippets[i];
		const char *field = arena_printf(a, "k8sSnippets[%zu]", i);
		if (!*ref->v) {
			diag_error(d, ref->loc, field, "empty snippet path");
			continue;
		}
		/* Relative to the spec's folder (HyScale used the working directory). */
		const char *path = ref->v[0] == '/' || !strcmp(s->dir, ".") ? ref->v : arena_printf(a, "%s/%s", s->dir, ref->v);
		struct yfile *yf = arena_alloc(a, sizeof(*yf));
		*ARENA_PUSH(a, files->v, files->n, files->cap) = yf;
		struct stat st;
		const char *why;
		int fd = confined_open(path, s->dir, ref->loc.file, m->allow_outside_files, &st, &why, a);
		if (fd < 0) {
			memset(yf, 0, sizeof(*yf));
			diag_error(d, ref->loc, field, "cannot read %s: %s", path, why);
			continue;
		}
		size_t before = d->n;
		if (!yfile_load_fd(yf, fd, path, "k8s snippet", d)) {
			/* A file that cannot be opened at all is reported where the spec names it. */
			for (size_t k = before; k < d->n; k++)
				if (d->items[k].loc.line == 0) {
					d->items[k].msg = arena_printf(a, "%s: %s", path, d->items[k].msg);
					d->items[k].loc = ref->loc;
					d->items[k].field = field;
				}
			continue;
		}
		if (ms)
			one(m, ms, yf, ref, field, d);
	}
}
