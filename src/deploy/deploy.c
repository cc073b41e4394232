/* `hyscale deploy`: namespace, server-side apply in the rendered (apply) order, the rollout
 * wait, pruning of objects the spec no longer produces, and the address (see deploy.h). */
#include "deploy.h"
#include <errno.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../emit/yaml_out.h"
#include "jnode.h"
#include "live.h"
#include "objects.h"
#include "../model/kinds.h"

extern char **environ;

void kinds_add(struct arena *a, struct kind_list *l, const char *kind, const char *api_version)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].kind, kind) && !strcmp(l->v[i].api_version, api_version))
			return;
	struct kind_ref *r = ARENA_PUSH(a, l->v, l->n, l->cap);
	r->kind = kind;
	r->api_version = api_version;
}

void kinds_parse(struct arena *a, const char *s, struct kind_list *out)
{
	if (!s)
		return;
	char *buf = arena_strdup(a, s), *save = NULL;
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		while (*t && strchr(" \t\n[\"'", *t))
			t++;
		size_t l = strlen(t);
		while (l && strchr(" \t\n]\"'", t[l - 1]))
			t[--l] = '\0';
		char *colon = strchr(t, ':');
		if (!colon || colon == t || !colon[1])
			continue;
		*colon = '\0';
		kinds_add(a, out, t, colon + 1);
	}
}

bool ensure_namespace(struct kube *k, struct arena *a, const char *ns, FILE *log, const char **err)
{
	struct kube_resp r;
	const char *path = arena_printf(a, "/api/v1/namespaces/%s", ns);
	bool ok = kube_call(k, "GET", path, NULL, NULL, 0, &r);
	if (ok && r.status == 200) {
		kube_resp_free(&r);
		return true;
	}
	/* A user allowed to work in a namespace is not always allowed to read it: go on. */
	if (ok && r.status == 403) {
		kube_resp_free(&r);
		return true;
	}
	if (!ok || r.status != 404) {
		*err = cluster_error(a, k, "get", "v1", "Namespace", ns, NULL, &r);
		kube_resp_free(&r);
		return false;
	}
	kube_resp_free(&r);
	const char *body = arena_printf(a, "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"%s\"}}", ns);
	ok = kube_call(k, "POST", "/api/v1/namespaces", "application/json", body, strlen(body), &r);
	if (ok && (r.status == 201 || r.status == 200 || r.status == 409)) {
		if (log && r.status != 409)
			fprintf(log, "  namespace %s created\n", ns);
		kube_resp_free(&r);
		return true;
	}
	*err = cluster_error(a, k, "create", "v1", "Namespace", ns, NULL, &r);
	kube_resp_free(&r);
	return false;
}

/* A refused field, said in the spec's terms: file:line:col: error: field: ... */
static const char *spec_field(const struct spec *s, const char *kind, const char *field, struct loc *loc)
{
	const struct kind_info *ki = kind_find(kind, NULL);
	*loc = s->name.loc;
	if (ki && (ki->role == ROLE_ROUTE || ki->role == ROLE_LB_AUX)) {
		*loc = s->lb.loc;
		if (strstr(field, "host")) {
			*loc = s->lb.host.v ? s->lb.host.loc : s->lb.hosts_loc;
			return s->lb.host.v ? "loadBalancer.host" : "loadBalancer.hosts";
		}
		if (strstr(field, "tls") || strstr(field, "ecret") || strstr(field, "certificateRefs")) {
			*loc = s->lb.tls_secret.loc;
			return "loadBalancer.tlsSecret";
		}
		if (strstr(field, "lassName")) {
			*loc = s->lb.class_name.loc;
			return "loadBalancer.className";
		}
		if (strstr(field, "annotations")) {
			*loc = s->lb.annotations.loc;
			return "loadBalancer.annotations";
		}
		if (strstr(field, "path") || strstr(field, "match") || strstr(field, "backend")) {
			*loc = s->lb.mapping_loc;
			return "loadBalancer.mapping";
		}
		return "loadBalancer";
	}
	if (strstr(field, "metadata.name"))
		return "name";
	if (strstr(field, "replicas")) {
		*loc = s->replicas.loc;
		return "replicas";
	}
	if (strstr(field, "image")) {
		*loc = s->image_loc;
		return "image";
	}
	if (strstr(field, "Probe")) {
		*loc = s->ports.loc;
		return "ports.healthCheck";
	}
	if (strstr(field, "ports")) {
		*loc = s->ports.loc;
		return "ports";
	}
	if (strstr(field, "command") || strstr(field, "args")) {
		*loc = s->start_command.loc;
		return "startCommand";
	}
	if (strstr(field, "resources")) {
		*loc = s->memory.v ? s->memory.loc : s->cpu.loc;
		return s->memory.v ? "memory" : "cpu";
	}
	return NULL;
}

static const char *invalid_message(struct arena *a, const struct spec *s, const struct manifest *m,
				   struct kube_resp *r, const char *fallback)
{
	struct fy_node *cs = jget(kube_resp_root(r), "details.causes");
	if (!jlen(cs))
		return fallback;
	const char *out = NULL;
	for (size_t i = 0; i < jlen(cs); i++) {
		const char *f = jstr(jat(cs, i), "field"), *msg = jstr(jat(cs, i), "message");
		struct loc loc;
		const char *sf = f ? spec_field(s, m->kind, f, &loc) : NULL;
		if (!sf) {
			sf = "(generated)";
			loc = s->name.loc;
		}
		const char *pos = loc.line ? arena_printf(a, "%s:%d:%d", s->file, loc.line, loc.col)
					   : arena_printf(a, "%s", s->file);
		const char *one = arena_printf(a, "%s: error: %s: the cluster rejected %s %s: %s: %s", pos, sf, m->kind,
					       m->name, f ? diag_escape(a, f) : "", msg ? diag_escape(a, msg) : "");
		out = out ? arena_printf(a, "%s\n%s", out, one) : one;
	}
	return out;
}


static const char *kinds_string(struct arena *a, const struct kind_list *l)
{
	const char *s = "";
	for (size_t i = 0; i < l->n; i++)
		s = arena_printf(a, "%s%s%s:%s", s, i ? "," : "", l->v[i].kind, l->v[i].api_version);
	return s;
}

static bool role_is(const char *kind, enum kind_role role)
{
	const struct kind_info *ki = kind_find(kind, NULL);
	return ki && ki->role == role;
}

static bool rendered_has(struct rendered *rd, const char *api_version, const char *kind, const char *name)
{
	if (rd->pull_secret && !strcmp(kind, "Secret") && !strcmp(name, rd->pull_secret) && same_group(api_version, "v1"))
		return true;
	for (size_t i = 0; i < rd->ms.n; i++) {
		struct manifest *m = rd->ms.v[i];
		if (!strcmp(m->kind, kind) && !strcmp(m->name, name) && same_group(m->api_version, api_version))
			return true;
	}
	return false;
}

/* An object (a parsed API response) as YAML: keys sorted, strings plain where YAML reads them
 * back as strings, metadata.managedFields left out (as kubectl diff leaves it out). */
static struct fy_node *to_yb(struct yb *b, struct fy_node *n, int depth, bool in_metadata)
{
	switch (fy_node_get_type(n)) {
	case FYNT_SCALAR: {
		const char *t = fy_node_get_scalar0(n);
		if (fy_node_get_style(n) != FYNS_PLAIN && fy_node_get_style(n) != FYNS_ANY)
			return yb_strnode(b, t ? t : "");
		return fy_node_create_scalar_copy(b->doc, t ? t : "", FY_NT);   /* number, boolean, null */
	}
	case FYNT_SEQUENCE: {
		struct fy_node *s = yb_seq(b);
		for (size_t i = 0; i < jlen(n); i++)
			yb_push(s, to_yb(b, jat(n, i), depth + 1, false));
		return s;
	}
	default: {
		struct fy_node *m = yb_map(b);
		size_t cnt = (size_t)fy_node_mapping_item_count(n);
		struct fy_node_pair **ps = calloc(cnt + 1, sizeof(*ps));
		void *it = NULL;
		size_t k = 0;
		for (struct fy_node_pair *p; (p = fy_node_mapping_iterate(n, &it)) && k < cnt;)
			ps[k++] = p;
		for (size_t i = 1; i < k; i++)   /* insertion sort by key: a few dozen keys */
			for (size_t j = i; j > 0 && strcmp(fy_node_get_scalar0(fy_node_pair_key(ps[j - 1])),
							   fy_node_get_scalar0(fy_node_pair_key(ps[j]))) > 0; j--) {
				struct fy_node_pair *t = ps[j];
				ps[j] = ps[j - 1];
				ps[j - 1] = t;
			}
		for (size_t i = 0; i < k; i++) {
			const char *key = fy_node_get_scalar0(fy_node_pair_key(ps[i]));
			if (!key || (in_metadata && !strcmp(key, "managedFields")))
				continue;
			yb_put(b, m, key, to_yb(b, fy_node_pair_value(ps[i]), depth + 1, depth == 0 && !strcmp(key, "metadata")));
		}
		free(ps);
		return m;
	}
	}
}

static const char *object_yaml(struct arena *a, struct fy_node *obj)
{
	struct manifests ms;
	manifests_init(&ms, a);
	struct manifest *m = manifest_new(&ms, "v1", "Object", "object", NULL, NULL);
	m->root = to_yb(&m->yb, obj, 0, false);
	fy_document_set_root(m->yb.doc, m->root);
	struct sbuf sb = SBUF_INIT;
	const char *why = NULL, *out = NULL;
	if (yaml_render(m, &sb, &why))
		out = arena_strdup(a, sb_str(&sb));
	sb_release(&sb);
	manifests_free(&ms);
	return out ? out : "";
}

/* Whether the object refers to a ConfigMap, Secret or ServiceAccount of that name (volumes,
 * env, envFrom, projected sources, imagePullSecrets, serviceAccountName). */
static bool refers(struct fy_node *n, const char *kind, const char *name)
{
	if (fy_node_get_type(n) == FYNT_SEQUENCE) {
		for (size_t i = 0; i < jlen(n); i++)
			if (refers(jat(n, i), kind, name))
				return true;
		return false;
	}
	if (fy_node_get_type(n) != FYNT_MAPPING)
		return false;
	void *it = NULL;
	for (struct fy_node_pair *p; (p = fy_node_mapping_iterate(n, &it));) {
		const char *key = fy_node_get_scalar0(fy_node_pair_key(p));
		struct fy_node *v = fy_node_pair_value(p);
		if (!key)
			continue;
		const char *ref = NULL;
		if (!strcmp(kind, "ConfigMap") && (!strcmp(key, "configMap") || !strcmp(key, "configMapRef") ||
						  !strcmp(key, "configMapKeyRef")))
			ref = jstr(v, "name");
		else if (!strcmp(kind, "Secret") && (!strcmp(key, "secret") || !strcmp(key, "secretRef") ||
						     !strcmp(key, "secretKeyRef")))
			ref = jstr(v, "secretName") ? jstr(v, "secretName") : jstr(v, "name");
		else if (!strcmp(kind, "ServiceAccount") && !strcmp(key, "serviceAccountName"))
			ref = jstr(v, NULL);
		if (ref && !strcmp(ref, name))
			return true;
		if (!strcmp(kind, "Secret") && !strcmp(key, "imagePullSecrets"))
			for (size_t i = 0; i < jlen(v); i++)
				if (jstr(jat(v, i), "name") && !strcmp(jstr(jat(v, i), "name"), name))
					return true;
		if (refers(v, kind, name))
			return true;
	}
	return false;
}

/* What a deploy of rd leaves behind and must delete: the service's objects (found by label,
 * whatever their environment) that the spec no longer produces, compared by API group, kind
 * and name, and HyScale's image-pull Secret of the app (it carries no service label). Never a
 * PersistentVolumeClaim, and never a ConfigMap, Secret or ServiceAccount that a workload
 * still refers to, whoever's it is. */
static bool prune_list(struct kube *k, struct arena *a, struct rendered *rd, struct live_set *prev, const char *ns,
		       const char *app, struct live_obj ***out, size_t *nout, struct live_set *extra, const char **err)
{
	size_t cap = 0;
	*nout = 0;
	*out = NULL;
	for (size_t i = 0; i < prev->n; i++) {
		struct live_obj *lo = &prev->v[i];
		if (role_is(lo->kind, ROLE_DATA) || rendered_has(rd, lo->api_version, lo->kind, lo->name))
			continue;
		*ARENA_PUSH(a, *out, *nout, cap) = lo;
	}
	/* HyScale's pull Secret: labelled with the app (and environment) only */
	memset(extra, 0, sizeof(*extra));
	struct fy_document *d = kube_list(k, a, "v1", "Secret", ns, arena_printf(a, "hyscale.io/app-name=%s", app), err);
	if (!d)
		return false;
	*ARENA_PUSH(a, extra->docs, extra->ndocs, extra->dcap) = d;
	struct fy_node *items = jget(fy_document_root(d), "items");
	for (size_t i = 0; i < jlen(items); i++) {
		struct fy_node *it = jat(items, i);
		const char *type = jstr(it, "type"), *name = jstr(it, "metadata.name");
		if (!name || !type || strcmp(type, "kubernetes.io/dockerconfigjson") ||
		    jkey(jget(it, "metadata.labels"), "hyscale.io/service-name") || rendered_has(rd, "v1", "Secret", name))
			continue;
		struct live_obj *lo = ARENA_PUSH(a, extra->v, extra->n, extra->cap);
		memset(lo, 0, sizeof(*lo));
		lo->kind = "Secret";
		lo->api_version = "v1";
		lo->group = "";
		lo->name = name;
		lo->uid = jstr(it, "metadata.uid");
		lo->rank = kind_rank("Secret");
		lo->node = it;
	}
	for (size_t i = 0; i < extra->n; i++)
		*ARENA_PUSH(a, *out, *nout, cap) = &extra->v[i];
	/* still referred to by a workload that stays (this service's new one included) */
	static const char *const wk[][2] = { { "apps/v1", "Deployment" }, { "apps/v1", "StatefulSet" },
					     { "apps/v1", "DaemonSet" }, { "batch/v1", "Job" }, { "batch/v1", "CronJob" } };
	for (size_t w = 0; w < sizeof(wk) / sizeof(wk[0]); w++) {
		bool cand = false;
		for (size_t i = 0; i < *nout && !cand; i++)
			cand = !strcmp((*out)[i]->kind, "ConfigMap") || !strcmp((*out)[i]->kind, "Secret") ||
			       !strcmp((*out)[i]->kind, "ServiceAccount");
		if (!cand)
			break;
		struct fy_document *wd = kube_list(k, a, wk[w][0], wk[w][1], ns, NULL, err);
		if (!wd)
			return false;
		struct fy_node *ws = jget(fy_document_root(wd), "items");
		for (size_t j = 0; j < jlen(ws); j++) {
			struct fy_node *wl = jat(ws, j);
			const char *wn = jstr(wl, "metadata.name");
			bool going = false;
			for (size_t i = 0; i < *nout && !going; i++)
				going = wn && !strcmp((*out)[i]->kind, wk[w][1]) && !strcmp((*out)[i]->name, wn);
			if (going)
				continue;
			for (size_t i = 0; i < *nout; i++)
				if (refers(jget(wl, "spec"), (*out)[i]->kind, (*out)[i]->name)) {
					(*out)[i] = (*out)[--*nout];
					i--;
				}
		}
		fy_document_destroy(wd);
	}
	return true;
}

/* The record and the workload's replicas, as deploy and diff apply them. */
struct plan {
	struct manifest *wl;
	struct live_set prev;        /* the service's objects before the deploy */
	struct kind_list now, both;  /* kinds produced now; now + kinds only the old record names */
	bool autoscaled;
};

/* With an HPA the autoscaler owns spec.replicas: applying it would fight the HPA (409 once
 * it has rescaled; --force-conflicts would scale back to the minimum). */
static bool autoscaled(struct rendered *rd, struct manifest *wl)
{
	for (size_t i = 0; i < rd->ms.n; i++) {
		struct manifest *m = rd->ms.v[i];
		const char *t = jstr(m->root, "spec.scaleTargetRef.name"), *tk = jstr(m->root, "spec.scaleTargetRef.kind");
		if (!strcmp(m->kind, "HorizontalPodAutoscaler") && t && !strcmp(t, wl->name) && (!tk || !strcmp(tk, wl->kind)))
			return true;
	}
	return false;
}

static void drop_replicas(struct manifest *wl)
{
	struct fy_node *spec = jget(wl->root, "spec");
	struct fy_node *key = fy_node_create_scalar(wl->yb.doc, "replicas", FY_NT);
	struct fy_node *v = spec && key ? fy_node_mapping_remove_by_key(spec, key) : NULL;
	if (v)
		fy_node_free(v);   /* the key given is consumed with the pair */
	else if (key)
		fy_node_free(key);
}

static bool plan(struct kube *k, struct arena *a, struct rendered *rd, const struct deploy_opts *o, struct plan *p,
		 const char **err)
{
	memset(p, 0, sizeof(*p));
	for (size_t i = 0; i < rd->ms.n && !p->wl; i++)
		if (role_is(rd->ms.v[i]->kind, ROLE_WORKLOAD))
			p->wl = rd->ms.v[i];
	if (!p->wl) {
		*err = "the spec produces no workload to deploy";
		return false;
	}
	const char *svc = jstr(jkey(jget(p->wl->metadata, "labels"), "hyscale.io/service-name"), NULL);
	const char *sel = arena_printf(a, "hyscale.io/app-name=%s,hyscale.io/service-name=%s", o->app, svc ? svc : rd->service);
	if (!live_find(k, a, o->ns, sel, NULL, &p->prev, err))
		return false;
	for (size_t i = 0; i < rd->ms.n; i++)
		kinds_add(a, &p->now, rd->ms.v[i]->kind, rd->ms.v[i]->api_version);
	/* Kinds the table does not know (k8sSnippet CRDs) are found only through the record: until
	 * their objects are pruned, the record keeps naming them, so a deploy that fails half-way
	 * does not forget what the next one must clean up. */
	p->both.v = arena_alloc(a, (p->now.n + p->prev.n + 1) * sizeof(*p->both.v));
	p->both.cap = p->now.n + p->prev.n + 1;
	memcpy(p->both.v, p->now.v, p->now.n * sizeof(*p->now.v));
	p->both.n = p->now.n;
	for (size_t i = 0; i < p->prev.n; i++) {
		const struct kind_info *ki = kind_find(p->prev.v[i].kind, p->prev.v[i].api_version);
		if (!ki)
			kinds_add(a, &p->both, p->prev.v[i].kind, p->prev.v[i].api_version);
	}
	const char *rec = kinds_string(a, &p->both);
	for (size_t i = 0; i < rd->ms.n; i++)
		manifest_annotate(rd->ms.v[i], APPLIED_KINDS, rec);
	p->autoscaled = autoscaled(rd, p->wl);
	if (p->autoscaled)
		drop_replicas(p->wl);
	return true;
}

/* Whether hyscale's apply owns the live workload's spec.replicas: its managedFields entry
 * lists f:spec.f:replicas. A server that shows no field sets cannot tell: assume it does. */
static bool owns_replicas(struct fy_node *live)
{
	struct fy_node *mf = jget(live, "metadata.managedFields");
	for (size_t i = 0; i < jlen(mf); i++) {
		const char *m = jstr(jat(mf, i), "manager"), *op = jstr(jat(mf, i), "operation");
		if (!m || strcmp(m, FIELD_MANAGER) || (op && strcmp(op, "Apply")))
			continue;
		struct fy_node *fv = jget(jat(mf, i), "fieldsV1");
		return !fv || jkey(jkey(fv, "f:spec"), "f:replicas");
	}
	return false;
}

/* Kubernetes' documented hand-over: another manager applies the current count, so that
 * when hyscale stops applying replicas the field stays (instead of being removed and
 * defaulted to 1, a scale-down) and the HPA goes on owning it. */
static bool hand_over_replicas(struct kube *k, struct arena *a, struct manifest *wl, struct live_obj *live,
			       const char *ns, FILE *log, const char **err)
{
	long n = jlong(live->node, "spec.replicas", -1);
	if (n < 0 || !owns_replicas(live->node))
		return true;
	const char *body = arena_printf(a, "{\"apiVersion\":\"%s\",\"kind\":\"%s\",\"metadata\":{\"name\":\"%s\"},"
					   "\"spec\":{\"replicas\":%ld}}", wl->api_version, wl->kind, wl->name, n);
	const char *path = arena_printf(a, "%s?fieldManager=%s", kube_path(k, a, wl->api_version, wl->kind, ns, wl->name),
					HANDOVER_MANAGER);
	struct kube_resp r;
	bool ok = kube_call(k, "PATCH", path, "application/apply-patch+yaml", body, strlen(body), &r);
	if (!ok || (r.status != 200 && r.status != 201)) {
		*err = cluster_error(a, k, "hand spec.replicas over to the HorizontalPodAutoscaler for", wl->api_version,
				     wl->kind, wl->name, ns, &r);
		kube_resp_free(&r);
		return false;
	}
	kube_resp_free(&r);
	if (log)
		fprintf(log, "  %s %s: spec.replicas (%ld) handed over to the HorizontalPodAutoscaler\n", wl->kind, wl->name, n);
	return true;
}

/* Server-side applies one object; *merged gets the server's answer (caller destroys). */
static bool apply_one(struct kube *k, struct arena *a, struct manifest *m, const struct spec *s,
		      const struct deploy_opts *o, bool dry, struct fy_document **merged, struct svc_result *res, long *status)
{
	struct sbuf text = SBUF_INIT;
	const char *why = NULL;
	*merged = NULL;
	if (!yaml_render(m, &text, &why)) {
		res->message = arena_printf(a, "%s %s: %s", m->kind, m->name, why);
		sb_release(&text);
		return false;
	}
	const char *path = arena_printf(a, "%s?fieldManager=%s%s%s", kube_path(k, a, m->api_version, m->kind, o->ns, m->name),
					FIELD_MANAGER, o->force_conflicts ? "&force=true" : "", dry ? "&dryRun=All" : "");
	struct kube_resp r;
	bool ok = kube_call(k, "PATCH", path, "application/apply-patch+yaml", text.buf, text.len, &r);
	sb_release(&text);
	*status = r.status;
	if (!ok || (r.status != 200 && r.status != 201)) {
		const char *e = cluster_error(a, k, "apply", m->api_version, m->kind, m->name, o->ns, &r);
		if (r.status == 422 && s && jlen(jget(kube_resp_root(&r), "details.causes"))) {
			e = invalid_message(a, s, m, &r, e);
			res->spec_diag = true;
		} else if (r.status == 409) {
			e = arena_printf(a, "%s\n  another field manager owns these fields; change them there, or "
					    "rerun with --force-conflicts to take them over", e);
		}
		res->message = e;
		kube_resp_free(&r);
		return false;
	}
	for (const char *w; (w = kube_take_warning(k));)
		fprintf(stderr, "hyscale: warning: %s %s: the cluster says: %s\n", m->kind, m->name, w);
	*merged = r.doc;
	r.doc = NULL;
	kube_resp_free(&r);
	return true;
}

/* Applies every object in the rendered order, saying for each whether it was created,
 * configured or left unchanged (its resourceVersion did not move, as kubectl tells). */
static bool apply_all(struct kube *k, struct arena *a, struct rendered *rd, const struct spec *s, struct plan *p,
		      const struct deploy_opts *o, bool quiet, struct svc_result *res)
{
	for (size_t i = 0; i < rd->ms.n; i++) {
		struct manifest *m = rd->ms.v[i];
		struct fy_document *merged;
		long st;
		if (!apply_one(k, a, m, s, o, o->dry_run, &merged, res, &st))
			return false;
		struct live_obj *live = live_lookup(&p->prev, m->api_version, m->kind, m->name);
		const char *verdict = st == 201 ? "created" : "configured";
		if (live && o->dry_run) {
			if (!strcmp(object_yaml(a, live->node), object_yaml(a, fy_document_root(merged))))
				verdict = "unchanged";
		} else if (live && st == 200) {
			const char *rv = jstr(fy_document_root(merged), "metadata.resourceVersion");
			if (rv && live->rv && !strcmp(rv, live->rv))
				verdict = "unchanged";
		} else if (!live && o->dry_run) {
			/* not found by label: ask for it by name */
			struct kube_resp r;
			if (kube_call(k, "GET", kube_path(k, a, m->api_version, m->kind, o->ns, m->name), NULL, NULL, 0, &r) &&
			    r.status == 404)
				verdict = "created";
			kube_resp_free(&r);
		}
		if (merged)
			fy_document_destroy(merged);
		if (o->log && !quiet)
			fprintf(o->log, "  %s %s %s%s\n", m->kind, m->name, verdict, o->dry_run ? " (server dry run)" : "");
	}
	return true;
}

static bool wait_rollout(struct kube *k, struct arena *a, struct manifest *wl, const char *ns,
			 const struct deploy_opts *o, const char **err)
{
	long start = kube_now_ms(), poll = (long)(hs_poll_seconds() * 1000);
	const char *g = getenv("HYSCALE_BACKOFF_GRACE");
	struct backoff_track bt = { .grace_ms = g && atof(g) >= 0 ? (long)(atof(g) * 1000) : BACKOFF_GRACE_MS };
	const char *last = NULL;
	const char *path = kube_path(k, a, wl->api_version, wl->kind, ns, wl->name);
	bool ok = false;
	for (;;) {
		struct kube_resp r;
		if (!kube_call(k, "GET", path, NULL, NULL, 0, &r) || r.status != 200) {
			*err = cluster_error(a, k, "get", wl->api_version, wl->kind, wl->name, ns, &r);
			kube_resp_free(&r);
			break;
		}
		struct wl_state st;
		bool got = workload_state(k, a, ns, kube_resp_root(&r), &st, &bt, err);
		kube_resp_free(&r);
		if (!got)
			break;
		const char *why = st.pod_waiting ? st.pod_waiting : st.waiting;
		const char *line = arena_printf(a, "  waiting for %s %s: %ld/%ld ready%s%s", wl->kind, wl->name, st.ready,
						st.desired, why && !st.settled ? "; " : "", why && !st.settled ? why : "");
		if (o->log && (!last || strcmp(last, line))) {
			if (o->tty)
				fprintf(o->log, "\r\033[K%s", line);
			else
				fprintf(o->log, "%s\n", line);
			fflush(o->log);
		}
		last = line;
		if (st.problem) {
			*err = arena_printf(a, "%s %s did not start: %s", wl->kind, wl->name, st.problem);
			break;
		}
		if (st.settled) {
			if (st.untracked && o->log)
				fprintf(o->log, "%s  %s %s: updateStrategy OnDelete: its pods change only when they are deleted; "
						"not waiting for them\n", o->tty && last ? "\n" : "", wl->kind, wl->name);
			ok = true;
			break;
		}
		long used = kube_now_ms() - start;
		if (used >= o->timeout_ms) {
			*err = arena_printf(a, "timed out after %lds waiting for %s %s: %ld/%ld ready%s%s", o->timeout_ms / 1000,
					    wl->kind, wl->name, st.ready, st.desired, why ? "; " : "", why ? why : "");
			break;
		}
		long left = o->timeout_ms - used;
		if (!kube_sleep(left < poll ? left : poll)) {
			*err = "interrupted";
			break;
		}
	}
	if (o->log && o->tty && last)
		fputc('\n', o->log);
	return ok;
}

void deploy_service(struct kube *k, struct arena *a, struct rendered *rd, const struct spec *s,
		    const struct deploy_opts *o, struct svc_result *res)
{
	const char *ns = o->ns, *err = NULL;
	memset(res, 0, sizeof(*res));
	res->service = rd->service;
	res->status = "Failed";
	res->failed = true;
	if (o->log)
		fprintf(o->log, "Deploying service %s (app %s, namespace %s)%s\n", rd->service, o->app, ns,
			o->dry_run ? " (server dry run: nothing is changed)" : "");
	struct plan p;
	if (!plan(k, a, rd, o, &p, &err)) {
		res->message = err;
		live_free(&p.prev);
		return;
	}
	struct live_obj *live_wl = live_lookup(&p.prev, p.wl->api_version, p.wl->kind, p.wl->name);
	if (p.autoscaled && live_wl && !o->dry_run && !hand_over_replicas(k, a, p.wl, live_wl, ns, o->log, &err)) {
		res->message = err;
		live_free(&p.prev);
		return;
	}
	struct live_obj **gone = NULL;
	size_t ngone = 0;
	struct live_set extra = { 0 };
	if (!apply_all(k, a, rd, s, &p, o, false, res))
		goto out;
	if (o->dry_run) {
		if (!prune_list(k, a, rd, &p.prev, ns, o->app, &gone, &ngone, &extra, &err)) {
			res->message = err;
			goto out;
		}
		for (size_t i = 0; o->log && i < ngone; i++)
			fprintf(o->log, "  %s %s would be deleted (no longer produced by the spec) (server dry run)\n",
				gone[i]->kind, diag_escape(a, gone[i]->name));
		res->status = "Dry Run";
		res->failed = false;
		res->message = "the cluster accepted every object; nothing was changed (server dry run)";
		goto out;
	}
	/* Old objects go only once the new rollout is good: a failed rollout keeps what was there. */
	if (!wait_rollout(k, a, p.wl, ns, o, &err)) {
		res->message = err;
		goto out;
	}
	if (!prune_list(k, a, rd, &p.prev, ns, o->app, &gone, &ngone, &extra, &err)) {
		res->message = err;
		goto out;
	}
	const char *pruned = NULL;
	for (size_t i = 0; i < ngone; i++) {
		if (!delete_live(k, a, gone[i], ns, &err)) {
			res->message = err;
			goto out;
		}
		/* the names come from the cluster's lists */
		const char *nm = diag_escape(a, gone[i]->name);
		pruned = arena_printf(a, "%s%s%s %s", pruned ? pruned : "", pruned ? ", " : "", gone[i]->kind, nm);
		if (o->log)
			fprintf(o->log, "  %s %s deleted (no longer produced by the spec)\n", gone[i]->kind, nm);
	}
	if (pruned && o->log)
		fprintf(o->log, "  pruned %zu object(s): %s\n", ngone, pruned);
	if (p.both.n != p.now.n) {
		const char *rec = kinds_string(a, &p.now);
		for (size_t i = 0; i < rd->ms.n; i++)
			manifest_annotate(rd->ms.v[i], APPLIED_KINDS, rec);
		if (!apply_all(k, a, rd, s, &p, o, true, res))
			goto out;
	}
	struct fy_node **objs = arena_alloc(a, (rd->ms.n + 1) * sizeof(*objs));
	for (size_t i = 0; i < rd->ms.n; i++)
		objs[i] = rd->ms.v[i]->root;
	service_address(k, a, objs, rd->ms.n, ns, o->address_ms, &res->addr);
	res->status = "Running";
	res->failed = false;
	if (res->addr.placeholder)
		res->message = o->address_ms % 1000
				       ? arena_printf(a, "no load balancer address appeared within %.1fs", (double)o->address_ms / 1000)
				       : arena_printf(a, "no load balancer address appeared within %lds", o->address_ms / 1000);
out:
	live_free(&extra);
	live_free(&p.prev);
}

/* kubectl's file name for an object in its LIVE/MERGED folders: group.version.Kind.ns.name. */
static const char *diff_name(struct arena *a, const char *av, const char *kind, const char *ns, const char *name)
{
	const char *slash = strchr(av, '/');
	const char *gv = slash ? arena_printf(a, "%.*s.%s", (int)(slash - av), av, slash + 1) : arena_printf(a, "%s", av);
	return arena_printf(a, "%s.%s.%s.%s", gv, kind, ns, name);
}

static bool write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return false;
	bool ok = fputs(text, f) >= 0;
	return fclose(f) == 0 && ok;
}

/* Runs diff -u -N on one pair (absent text: no file), labelled LIVE/<name> and MERGED/<name>;
 * returns diff's exit status (0 same, 1 different, 2 trouble) or -1. */
static int run_diff(struct arena *a, const char *dir, const char *name, const char *live, const char *merged)
{
	const char *lp = arena_printf(a, "%s/live", dir), *mp = arena_printf(a, "%s/merged", dir);
	unlink(lp);
	unlink(mp);
	if ((live && !write_file(lp, live)) || (merged && !write_file(mp, merged)))
		return -1;
	const char *ll = arena_printf(a, "LIVE/%s", name), *ml = arena_printf(a, "MERGED/%s", name);
	char *argv[] = { "diff", "-u", "-N", "--label", (char *)ll, "--label", (char *)ml, (char *)lp, (char *)mp, NULL };
	fflush(stdout);
	pid_t pid;
	if (posix_spawnp(&pid, "diff", NULL, NULL, argv, environ) != 0)
		return -1;
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	unlink(lp);
	unlink(mp);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int diff_service(struct kube *k, struct arena *a, struct rendered *rd, const struct deploy_opts *o, const char **err)
{
	struct plan p;
	if (!plan(k, a, rd, o, &p, err)) {
		live_free(&p.prev);
		return -1;
	}
	const char *tmp = getenv("TMPDIR");
	char *dir = (char *)arena_printf(a, "%s/hyscale-diff-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		*err = arena_printf(a, "cannot create a temporary folder in %s: %s", tmp && *tmp ? tmp : "/tmp", strerror(errno));
		live_free(&p.prev);
		return -1;
	}
	int rc = 0;
	struct svc_result res = { 0 };
	for (size_t i = 0; i < rd->ms.n && rc >= 0; i++) {
		struct manifest *m = rd->ms.v[i];
		struct kube_resp r;
		const char *live = NULL, *merged = NULL;
		if (!kube_call(k, "GET", kube_path(k, a, m->api_version, m->kind, o->ns, m->name), NULL, NULL, 0, &r) ||
		    (r.status != 200 && r.status != 404)) {
			*err = cluster_error(a, k, "get", m->api_version, m->kind, m->name, o->ns, &r);
			kube_resp_free(&r);
			rc = -1;
			break;
		}
		if (r.status == 200)
			live = object_yaml(a, kube_resp_root(&r));
		kube_resp_free(&r);
		struct fy_document *md;
		long st;
		if (apply_one(k, a, m, NULL, o, true, &md, &res, &st)) {
			merged = object_yaml(a, fy_document_root(md));
			fy_document_destroy(md);
		} else if (st == 404 && !live && strstr(res.message, "namespace")) {
			/* the namespace does not exist yet: the object as it will be sent */
			struct sbuf sb = SBUF_INIT;
			const char *why = NULL;
			if (yaml_render(m, &sb, &why))
				merged = arena_strdup(a, sb_str(&sb));
			sb_release(&sb);
		} else {
			*err = res.message;
			rc = -1;
			break;
		}
		int d = run_diff(a, dir, diff_name(a, m->api_version, m->kind, o->ns, m->name), live, merged);
		if (d < 0 || d > 1) {
			*err = "running 'diff -u -N' failed (is diffutils installed?)";
			rc = -1;
		} else if (d == 1) {
			rc = 1;
		}
	}
	struct live_obj **gone = NULL;
	size_t ngone = 0;
	struct live_set extra = { 0 };
	if (rc >= 0 && !prune_list(k, a, rd, &p.prev, o->ns, o->app, &gone, &ngone, &extra, err))
		rc = -1;
	for (size_t i = 0; rc >= 0 && i < ngone; i++) {
		int d = run_diff(a, dir, diff_name(a, gone[i]->api_version, gone[i]->kind, o->ns, gone[i]->name),
				 object_yaml(a, gone[i]->node), NULL);
		if (d < 0 || d > 1) {
			*err = "running 'diff -u -N' failed (is diffutils installed?)";
			rc = -1;
		} else if (d == 1) {
			rc = 1;
		}
	}
	rmdir(dir);
	live_free(&extra);
	live_free(&p.prev);
	return rc;
}

/* ---- The app's shared entry point (README "One entry point per app") ----
 * The shared Gateway and Istio Gateway carry the app's labels but no service label, so no
 * service's prune or undeploy finds them. What they must hold is decided from the cluster:
 * the listeners (servers) that the live routes of the app's other services use, plus what
 * the services being deployed need; a shared gateway that no route uses is deleted. */

struct entry_kind { const char *api_version, *route_av, *route_kind, *list; };
static const struct entry_kind entry_kinds[] = {
	{ "gateway.networking.k8s.io/v1", "gateway.networking.k8s.io/v1", "HTTPRoute", "listeners" },
	{ "networking.istio.io/v1", "networking.istio.io/v1", "VirtualService", "servers" },
};

static bool in_list(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; s && i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

/* The names of the gateway's listeners (Gateway API: sectionName; NULL entry: all of them)
 * or, for Istio, the hosts, that live routes of services not in skip use. */
static bool entry_used(struct kube *k, struct arena *a, const struct entry_kind *ek, const char *gw, const char *ns,
		       const char *app, const char *const *skip, size_t nskip, const char ***used, size_t *nused,
		       bool *all, const char **err)
{
	size_t cap = 0;
	*used = NULL;
	*nused = 0;
	*all = false;
	struct fy_document *d = kube_list(k, a, ek->route_av, ek->route_kind, ns,
					  arena_printf(a, "hyscale.io/app-name=%s", app), err);
	if (!d)
		return false;
	struct fy_node *items = jget(fy_document_root(d), "items");
	const char *qualified = arena_printf(a, "%s/%s", ns, gw);
	for (size_t i = 0; i < jlen(items); i++) {
		struct fy_node *it = jat(items, i);
		const char *svc = jstr(jkey(jget(it, "metadata.labels"), "hyscale.io/service-name"), NULL);
		if (in_list(skip, nskip, svc))
			continue;
		if (!strcmp(ek->route_kind, "HTTPRoute")) {
			struct fy_node *refs = jget(it, "spec.parentRefs");
			for (size_t r = 0; r < jlen(refs); r++) {
				const char *name = jstr(jat(refs, r), "name"), *rns = jstr(jat(refs, r), "namespace");
				const char *sec = jstr(jat(refs, r), "sectionName");
				if (!name || strcmp(name, gw) || (rns && strcmp(rns, ns)))
					continue;
				if (!sec)
					*all = true;
				else
					*ARENA_PUSH(a, *used, *nused, cap) = arena_strdup(a, sec);
			}
		} else {
			struct fy_node *gws = jget(it, "spec.gateways");
			bool ours = false;
			for (size_t g = 0; g < jlen(gws); g++) {
				const char *n = jstr(jat(gws, g), NULL);
				ours |= n && (!strcmp(n, gw) || !strcmp(n, qualified));
			}
			struct fy_node *hosts = jget(it, "spec.hosts");
			for (size_t h = 0; ours && h < jlen(hosts); h++)
				if (jstr(jat(hosts, h), NULL))
					*ARENA_PUSH(a, *used, *nused, cap) = arena_strdup(a, jstr(jat(hosts, h), NULL));
		}
	}
	fy_document_destroy(d);
	return true;
}

/* Whether a live listener (server) is used: by name, or, for Istio, by one of its hosts. */
static bool entry_item_used(const struct entry_kind *ek, struct fy_node *item, const char *const *used, size_t nused,
			    bool all)
{
	if (all)
		return true;
	if (!strcmp(ek->route_kind, "HTTPRoute"))
		return in_list(used, nused, jstr(item, "name"));
	struct fy_node *hosts = jget(item, "hosts");
	for (size_t h = 0; h < jlen(hosts); h++)
		if (in_list(used, nused, jstr(jat(hosts, h), NULL)))
			return true;
	return false;
}

static const char *entry_item_name(const struct entry_kind *ek, struct fy_node *item)
{
	return jstr(item, strcmp(ek->route_kind, "HTTPRoute") ? "port.name" : "name");
}

static bool entry_has_item(const struct entry_kind *ek, struct fy_node *list, const char *name)
{
	for (size_t i = 0; name && i < jlen(list); i++) {
		const char *n = entry_item_name(ek, jat(list, i));
		if (n && !strcmp(n, name))
			return true;
	}
	return false;
}

/* A manifest for a live shared gateway that nothing in this run renders: its spec with
 * only the listeners (servers) still used. */
static struct manifest *entry_from_live(struct manifests *ms, const struct entry_kind *ek, struct fy_node *live,
					const char *ns)
{
	struct kvl labels = { 0 };
	struct fy_node *ln = jget(live, "metadata.labels");
	void *it = NULL;
	for (struct fy_node_pair *p; ln && (p = fy_node_mapping_iterate(ln, &it));)
		kvl_add(ms->a, &labels, fy_node_get_scalar0(fy_node_pair_key(p)), fy_node_get_scalar0(fy_node_pair_value(p)));
	struct manifest *m = manifest_new(ms, ek->api_version, "Gateway", jstr(live, "metadata.name"), ns, &labels);
	struct fy_node *spec = yb_child_map(&m->yb, m->root, "spec");
	if (!strcmp(ek->route_kind, "HTTPRoute"))
		yb_str(&m->yb, spec, "gatewayClassName", jstr(live, "spec.gatewayClassName") ? jstr(live, "spec.gatewayClassName") : "");
	else if (jget(live, "spec.selector"))
		yb_put(&m->yb, spec, "selector", to_yb(&m->yb, jget(live, "spec.selector"), 2, false));
	yb_child_seq(&m->yb, spec, ek->list);
	return m;
}

bool deploy_entrypoints(struct kube *k, struct arena *a, const struct deploy_opts *o, struct rendered *const *shared,
			size_t nshared, const char *const *skip, size_t nskip, const char **err)
{
	const char *ns = o->ns;
	struct manifests extra;
	manifests_init(&extra, a);
	bool ok = true;
	for (size_t e = 0; ok && e < sizeof(entry_kinds) / sizeof(entry_kinds[0]); e++) {
		const struct entry_kind *ek = &entry_kinds[e];
		struct fy_document *d = kube_list(k, a, ek->api_version, "Gateway", ns,
						  arena_printf(a, "hyscale.io/app-name=%s,!hyscale.io/service-name", o->app), err);
		if (!d) {
			ok = false;
			break;
		}
		struct fy_node *items = jget(fy_document_root(d), "items");
		/* What this run renders, then the live ones it does not. */
		struct manifest **todo = NULL;
		size_t ntodo = 0, cap = 0;
		for (size_t s = 0; s < nshared; s++)
			for (size_t i = 0; i < shared[s]->ms.n; i++)
				if (!strcmp(shared[s]->ms.v[i]->api_version, ek->api_version))
					*ARENA_PUSH(a, todo, ntodo, cap) = shared[s]->ms.v[i];
		size_t nrendered = ntodo;
		for (size_t i = 0; i < jlen(items); i++) {
			const char *name = jstr(jat(items, i), "metadata.name");
			bool have = false;
			for (size_t t = 0; t < nrendered && name; t++)
				have |= !strcmp(todo[t]->name, name);
			if (name && !have)
				*ARENA_PUSH(a, todo, ntodo, cap) = entry_from_live(&extra, ek, jat(items, i), ns);
		}
		for (size_t t = 0; ok && t < ntodo; t++) {
			struct manifest *m = todo[t];
			struct fy_node *live = NULL;
			for (size_t i = 0; i < jlen(items) && !live; i++)
				if (jstr(jat(items, i), "metadata.name") && !strcmp(jstr(jat(items, i), "metadata.name"), m->name))
					live = jat(items, i);
			const char **used;
			size_t nused;
			bool all;
			if (!entry_used(k, a, ek, m->name, ns, o->app, skip, nskip, &used, &nused, &all, err)) {
				ok = false;
				break;
			}
			/* the union: what is rendered, and the live listeners other services use */
			struct fy_node *list = jget(m->root, arena_printf(a, "spec.%s", ek->list));
			struct fy_node *live_list = live ? jget(live, arena_printf(a, "spec.%s", ek->list)) : NULL;
			size_t kept = 0;
			for (size_t i = 0; i < jlen(live_list); i++) {
				struct fy_node *li = jat(live_list, i);
				if (!entry_item_used(ek, li, used, nused, all) || entry_has_item(ek, list, entry_item_name(ek, li)))
					continue;
				yb_push(list, to_yb(&m->yb, li, 3, false));
				kept++;
			}
			if (!jlen(list)) {
				struct live_obj lo = { .kind = "Gateway", .api_version = ek->api_version, .name = m->name };
				if (o->dry_run) {
					if (o->log)
						fprintf(o->log, "  Gateway %s would be deleted (no service of app %s uses it) (server dry run)\n",
							m->name, o->app);
				} else if ((ok = delete_live(k, a, &lo, ns, err)) && o->log) {
					fprintf(o->log, "  Gateway %s deleted (no service of app %s uses it)\n", m->name, o->app);
				}
				continue;
			}
			struct fy_document *merged = NULL;
			struct svc_result res = { 0 };
			long st;
			if (!apply_one(k, a, m, NULL, o, o->dry_run, &merged, &res, &st)) {
				*err = res.message;
				ok = false;
				break;
			}
			const char *rv = merged ? jstr(fy_document_root(merged), "metadata.resourceVersion") : NULL;
			const char *lrv = live ? jstr(live, "metadata.resourceVersion") : NULL;
			if (o->log)
				fprintf(o->log, "  Gateway %s %s (the app's entry point%s)%s\n", m->name,
					st == 201 ? "created" : rv && lrv && !strcmp(rv, lrv) ? "unchanged" : "configured",
					kept ? arena_printf(a, "; %zu %s kept for the app's other services", kept, ek->list) : "",
					o->dry_run ? " (server dry run)" : "");
			if (merged)
				fy_document_destroy(merged);
		}
		fy_document_destroy(d);
	}
	manifests_free(&extra);
	return ok;
}
