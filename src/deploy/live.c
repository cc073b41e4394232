/* Finding an app's or a service's objects by label (see live.h). */
#include "live.h"
#include <string.h>
#include "../model/kinds.h"
#include "jnode.h"
#include "objects.h"

struct fy_document *kube_list(struct kube *k, struct arena *a, const char *av, const char *kind, const char *ns,
			      const char *selector, const char **err)
{
	struct kube_resp r;
	const char *path = kube_path(k, a, av, kind, ns, NULL);
	if (selector)
		path = arena_printf(a, "%s?labelSelector=%s", path, url_escape(a, selector));
	bool ok = kube_call(k, "GET", path, NULL, NULL, 0, &r);
	if (ok && (r.status == 200 || r.status == 404)) {
		struct fy_document *d = r.status == 200 ? r.doc : jdoc_parse("{}", 2);
		if (r.status == 200)
			r.doc = NULL;
		kube_resp_free(&r);
		if (!d) {
			*err = arena_printf(a, "list %s objects in namespace %s: the response is not JSON", kind, ns);
			return NULL;
		}
		struct fy_node *items = jget(fy_document_root(d), "items");
		for (size_t j = 0; j < jlen(items); j++) {
			struct fy_node *it = jat(items, j);
			if (!jkey(it, "kind"))
				fy_node_mapping_append(it, fy_node_create_scalar_copy(d, "kind", FY_NT),
						       fy_node_create_scalar_copy(d, kind, FY_NT));
			if (!jkey(it, "apiVersion"))
				fy_node_mapping_append(it, fy_node_create_scalar_copy(d, "apiVersion", FY_NT),
						       fy_node_create_scalar_copy(d, av, FY_NT));
		}
		return d;
	}
	*err = cluster_error(a, k, "list", av, kind, NULL, ns, &r);
	kube_resp_free(&r);
	return NULL;
}

bool same_group(const char *av1, const char *av2)
{
	char g1[256], g2[256];
	return !strcmp(api_group(av1, g1), api_group(av2, g2));
}

struct live_obj *live_lookup(struct live_set *s, const char *api_version, const char *kind, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].kind, kind) && !strcmp(s->v[i].name, name) && same_group(s->v[i].api_version, api_version))
			return &s->v[i];
	return NULL;
}

static const char *label(struct fy_node *o, const char *key)
{
	return jstr(jkey(jget(o, "metadata.labels"), key), NULL);
}

bool live_find(struct kube *k, struct arena *a, const char *ns, const char *selector, const struct kind_list *extra,
	       struct live_set *out, const char **err)
{
	memset(out, 0, sizeof(*out));
	for (const struct kind_info *ki = hs_kinds; ki->kind; ki++)
		if (ki->owned || ki->role == ROLE_DATA)
			kinds_add(a, &out->kinds, ki->kind, ki->api_version);
	for (size_t i = 0; extra && i < extra->n; i++)
		kinds_add(a, &out->kinds, extra->v[i].kind, extra->v[i].api_version);
	/* the list grows while records name more kinds */
	for (size_t i = 0; i < out->kinds.n; i++) {
		const struct kind_ref kr = out->kinds.v[i];
		const struct kind_info *ki = kind_find(kr.kind, kr.api_version);
		if (ki && ki->cluster)
			continue;   /* labels of a service select namespaced objects only */
		struct fy_document *d = kube_list(k, a, kr.api_version, kr.kind, ns, selector, err);
		if (!d)
			return false;
		*ARENA_PUSH(a, out->docs, out->ndocs, out->dcap) = d;
		struct fy_node *items = jget(fy_document_root(d), "items");
		for (size_t j = 0; j < jlen(items); j++) {
			struct fy_node *it = jat(items, j);
			const char *name = jstr(it, "metadata.name");
			if (!name || live_lookup(out, kr.api_version, kr.kind, name))
				continue;   /* one object served under two versions of its group */
			struct live_obj *o = ARENA_PUSH(a, out->v, out->n, out->cap);
			char g[256];
			o->kind = kr.kind;
			o->api_version = kr.api_version;
			o->group = arena_strdup(a, api_group(kr.api_version, g));
			o->name = name;
			o->service = label(it, "hyscale.io/service-name");
			o->env = label(it, "hyscale.io/environment-name");
			o->rv = jstr(it, "metadata.resourceVersion");
			o->uid = jstr(it, "metadata.uid");
			o->generation = jlong(it, "metadata.generation", 0);
			o->rank = kind_rank(kr.kind);
			o->node = it;
			kinds_parse(a, jstr(jkey(jget(it, "metadata.annotations"), APPLIED_KINDS), NULL), &out->kinds);
		}
	}
	return true;
}

void live_free(struct live_set *s)
{
	for (size_t i = 0; i < s->ndocs; i++)
		fy_document_destroy(s->docs[i]);
	s->ndocs = 0;
}
