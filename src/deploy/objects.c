/* REST paths and refusal messages (see objects.h). */
#include "objects.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "curl_load.h"
#include "../util/diag.h"
#include "jnode.h"
#include "../model/kinds.h"

const char *kube_plural(struct arena *a, const char *kind)
{
	const struct kind_info *ki = kind_find(kind, NULL);
	if (ki)
		return ki->plural;
	if (!strcmp(kind, "Endpoints"))
		return "endpoints";   /* the one irregular plural among the core kinds */
	size_t n = strlen(kind);
	char *l = arena_alloc(a, n + 4);
	for (size_t i = 0; i < n; i++)
		l[i] = (char)tolower((unsigned char)kind[i]);
	if (n && l[n - 1] == 's')
		strcpy(l + n, "es");
	else if (n > 1 && l[n - 1] == 'y' && !strchr("aeiou", l[n - 2]))
		strcpy(l + n - 1, "ies");
	else
		strcpy(l + n, "s");
	return l;
}

/* The discovery document of a group/version (GET /api/v1, /apis/G/V), cached in k. */
static struct fy_node *discovery(struct kube *k, const char *base, const char *api_version)
{
	for (size_t i = 0; i < k->ndisco; i++)
		if (!strcmp(k->disco[i].group_version, api_version))
			return k->disco[i].doc ? fy_document_root(k->disco[i].doc) : NULL;
	struct kube_disco *d = ARENA_PUSH(k->a, k->disco, k->ndisco, k->disco_cap);
	d->group_version = arena_strdup(k->a, api_version);
	d->doc = NULL;
	struct kube_resp r;
	if (kube_call(k, "GET", base, NULL, NULL, 0, &r) && r.status == 200) {
		d->doc = r.doc;
		r.doc = NULL;
	}
	kube_resp_free(&r);
	return d->doc ? fy_document_root(d->doc) : NULL;
}

const char *kube_path(struct kube *k, struct arena *a, const char *api_version, const char *kind,
		      const char *ns, const char *name)
{
	const char *base = strchr(api_version, '/') ? arena_printf(a, "/apis/%s", api_version)
						    : arena_printf(a, "/api/%s", api_version);
	const char *plural = NULL;
	bool cluster = false;
	struct fy_node *res = k ? jget(discovery(k, base, api_version), "resources") : NULL;
	for (size_t i = 0; i < jlen(res) && !plural; i++) {
		const char *rk = jstr(jat(res, i), "kind"), *rn = jstr(jat(res, i), "name");
		const char *nsd = jstr(jat(res, i), "namespaced");
		if (rk && rn && !strcmp(rk, kind) && !strchr(rn, '/')) {   /* not a subresource */
			plural = arena_strdup(a, rn);
			cluster = nsd && !strcmp(nsd, "false");
		}
	}
	if (!plural) {
		plural = kube_plural(a, kind);
		cluster = kind_cluster_scoped(kind);
	}
	const char *coll = cluster || !ns ? arena_printf(a, "%s/%s", base, plural)
					  : arena_printf(a, "%s/namespaces/%s/%s", base, ns, plural);
	return name ? arena_printf(a, "%s/%s", coll, name) : coll;
}

const char *url_escape(struct arena *a, const char *s)
{
	char *e = curl_easy_escape(NULL, s, 0);
	if (!e) {
		fputs("hyscale: fatal: out of memory\n", stderr);
		exit(4);
	}
	const char *r = arena_strdup(a, e);
	curl_free(e);
	return r;
}

const char *kube_resource(struct arena *a, const char *api_version, const char *kind)
{
	const char *slash = strchr(api_version, '/');
	const char *plural = kube_plural(a, kind);
	return slash ? arena_printf(a, "%s.%s", plural, arena_strndup(a, api_version, (size_t)(slash - api_version)))
		     : plural;
}

/* The causes of a 422 (or 409) Status: "field: message; field: message". */
static const char *causes(struct arena *a, struct fy_node *root)
{
	struct fy_node *cs = jget(root, "details.causes");
	const char *out = NULL;
	for (size_t i = 0; i < jlen(cs); i++) {
		const char *f = jstr(jat(cs, i), "field"), *m = jstr(jat(cs, i), "message");
		const char *one = f && *f ? arena_printf(a, "%s: %s", f, m ? m : "") : (m ? m : "");
		out = out ? arena_printf(a, "%s; %s", out, one) : one;
	}
	return out;
}

static const char *cluster_error_text(struct arena *a, const struct kube *k, const char *verb, const char *api_version,
				      const char *kind, const char *name, const char *ns, struct kube_resp *r)
{
	const char *obj = name ? arena_printf(a, "%s %s", kind, name) : arena_printf(a, "%s objects", kind);
	const char *where = ns ? arena_printf(a, " in namespace %s", ns) : "";
	if (!r->status)
		return arena_printf(a, "%s %s%s: %s", verb, obj, where, r->error ? r->error : "no response");
	struct fy_node *root = kube_resp_root(r);
	const char *msg = jstr(root, "message");
	switch (r->status) {
	case 401:
		return arena_printf(a, "%s %s: the cluster rejected the credentials of context '%s' (401 Unauthorized)",
				    verb, obj, k->kc->context ? k->kc->context : "");
	case 403:
		/* RBAC's verb: server-side apply is a patch */
		return arena_printf(a, "%s %s%s: forbidden: no permission to %s %s%s%s", verb, obj, where,
				    !strcmp(verb, "apply") ? "patch" : verb,
				    kube_resource(a, api_version, kind), msg ? " — API says: " : "", msg ? msg : "");
	case 404: {
		const char *dk = jstr(root, "details.kind");
		if (dk && !strcmp(dk, "namespaces") && ns && strcmp(kind, "Namespace"))
			return arena_printf(a, "%s %s: namespace %s does not exist", verb, obj, ns);
		if (!name || strchr(api_version, '.'))
			return arena_printf(a, "%s %s%s: the cluster does not serve %s %s (is its CRD installed?)",
					    verb, obj, where, api_version, kind);
		return arena_printf(a, "%s %s%s: not found", verb, obj, where);
	}
	case 409: {
		const char *c = causes(a, root);
		return arena_printf(a, "%s %s%s: conflict: %s%s%s", verb, obj, where, msg ? msg : "HTTP 409",
				    c ? " (" : "", c ? arena_printf(a, "%s)", c) : "");
	}
	case 422: {
		const char *c = causes(a, root);
		return arena_printf(a, "%s %s%s: invalid: %s", verb, obj, where, c ? c : (msg ? msg : "HTTP 422"));
	}
	default:
		return arena_printf(a, "%s %s%s: %s", verb, obj, where, kube_resp_message(r, a));
	}
}

/* The API's message, causes and the names in it come from the cluster: escaped (diag_escape). */
const char *cluster_error(struct arena *a, const struct kube *k, const char *verb, const char *api_version,
			  const char *kind, const char *name, const char *ns, struct kube_resp *r)
{
	return diag_escape(a, cluster_error_text(a, k, verb, api_version, kind, name, ns, r));
}
