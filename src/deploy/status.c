/* Workload and pod state, `get service/app status` and undeploy (see deploy.h). */
#include "deploy.h"
#include <string.h>
#include <time.h>
#include "../util/names.h"
#include "jnode.h"
#include "objects.h"

/* Waiting reasons that do not clear up by waiting longer. */
static bool fatal_reason(const char *r)
{
	static const char *const fatal[] = { "CrashLoopBackOff", "ImagePullBackOff", "InvalidImageName",
					     "CreateContainerConfigError", "CreateContainerError",
					     "RunContainerError", NULL };
	for (int i = 0; r && fatal[i]; i++)
		if (!strcmp(r, fatal[i]))
			return true;
	return false;
}

static const char *selector_of(struct arena *a, struct fy_node *match)
{
	const char *s = NULL;
	void *it = NULL;
	struct fy_node_pair *p;
	if (!match || fy_node_get_type(match) != FYNT_MAPPING)
		return NULL;
	while ((p = fy_node_mapping_iterate(match, &it))) {
		const char *one = arena_printf(a, "%s=%s", fy_node_get_scalar0(fy_node_pair_key(p)),
					       fy_node_get_scalar0(fy_node_pair_value(p)));
		s = s ? arena_printf(a, "%s,%s", s, one) : one;
	}
	return s;
}

/* Whether the pod belongs to the workload's latest revision. Old pods (a crash-looping
 * image being replaced by a fixed one) must not fail the new rollout. A StatefulSet names
 * its revision; for a Deployment, pods whose images differ from the template are old (a
 * change of other pod fields alone is not told apart: those old pods may still be counted). */
static bool current_pod(struct fy_node *wl, struct fy_node *pod)
{
	if (jget(pod, "metadata.deletionTimestamp"))
		return false;
	const char *ur = jstr(wl, "status.updateRevision");
	const char *pr = jstr(jkey(jget(pod, "metadata.labels"), "controller-revision-hash"), NULL);
	if (ur && pr)
		return !strcmp(ur, pr);
	struct fy_node *tc = jget(wl, "spec.template.spec.containers"), *pc = jget(pod, "spec.containers");
	for (size_t i = 0; i < jlen(pc); i++) {
		const char *n = jstr(jat(pc, i), "name"), *img = jstr(jat(pc, i), "image");
		for (size_t j = 0; n && img && j < jlen(tc); j++) {
			const char *tn = jstr(jat(tc, j), "name"), *ti = jstr(jat(tc, j), "image");
			if (tn && ti && !strcmp(n, tn) && strcmp(img, ti))
				return false;
		}
	}
	return true;
}

static void pod_problems(struct arena *a, struct fy_node *pod, struct wl_state *st)
{
	const char *pname = jstr(pod, "metadata.name");
	static const char *const lists[] = { "status.initContainerStatuses", "status.containerStatuses" };
	for (int l = 0; l < 2; l++) {
		struct fy_node *cs = jget(pod, lists[l]);
		for (size_t i = 0; i < jlen(cs); i++) {
			struct fy_node *c = jat(cs, i);
			const char *reason = jstr(c, "state.waiting.reason"), *msg = jstr(c, "state.waiting.message");
			if (!reason)
				continue;
			const char *d = arena_printf(a, "pod %s: container %s: %s%s%s (restarts: %ld)", pname,
						     jstr(c, "name"), reason, msg ? ": " : "", msg ? msg : "",
						     jlong(c, "restartCount", 0));
			if (fatal_reason(reason) && !st->problem)
				st->problem = d;
			else if (!st->waiting)
				st->waiting = d;
		}
	}
	if (!st->waiting) {
		struct fy_node *conds = jget(pod, "status.conditions");
		for (size_t i = 0; i < jlen(conds); i++) {
			const char *t = jstr(jat(conds, i), "type"), *s = jstr(jat(conds, i), "status");
			const char *reason = jstr(jat(conds, i), "reason");
			if (t && s && !strcmp(t, "PodScheduled") && !strcmp(s, "False"))
				st->waiting = arena_printf(a, "pod %s: %s: %s", pname, reason ? reason : "not scheduled",
							   jstr(jat(conds, i), "message") ? jstr(jat(conds, i), "message") : "");
		}
	}
}

bool workload_state(struct kube *k, struct arena *a, const char *ns, struct fy_node *wl, struct wl_state *st,
		    const char **err)
{
	memset(st, 0, sizeof(*st));
	st->desired = jlong(wl, "spec.replicas", 1);
	st->ready = jlong(wl, "status.readyReplicas", 0);
	st->updated = jlong(wl, "status.updatedReplicas", 0);
	st->available = jlong(wl, "status.availableReplicas", 0);
	st->current = jlong(wl, "status.replicas", 0);
	long gen = jlong(wl, "metadata.generation", 0), seen = jlong(wl, "status.observedGeneration", 0);
	const char *kind = jstr(wl, "kind");
	bool sts = kind && !strcmp(kind, "StatefulSet");
	st->settled = seen >= gen && st->updated == st->desired && st->ready == st->desired &&
		      st->current == st->desired && (sts || st->available == st->desired);
	if (sts) {
		const char *cr = jstr(wl, "status.currentRevision"), *ur = jstr(wl, "status.updateRevision");
		st->settled = st->settled && (!cr || !ur || !strcmp(cr, ur));
	}
	if (st->settled || st->desired == 0)
		return true;
	const char *sel = selector_of(a, jget(wl, "spec.selector.matchLabels"));
	if (!sel)
		return true;
	struct kube_resp r;
	const char *path = arena_printf(a, "/api/v1/namespaces/%s/pods?labelSelector=%s", ns, url_escape(a, sel));
	if (!kube_call(k, "GET", path, NULL, NULL, 0, &r) || r.status != 200) {
		/* pods are only read to explain a slow rollout; not being allowed to is no failure */
		bool fatal = r.status != 403;
		if (fatal)
			*err = cluster_error(a, k, "list", "v1", "Pod", NULL, ns, &r);
		kube_resp_free(&r);
		return !fatal;
	}
	struct fy_node *items = jget(kube_resp_root(&r), "items");
	for (size_t i = 0; i < jlen(items); i++)
		if (current_pod(wl, jat(items, i)))
			pod_problems(a, jat(items, i), st);
	kube_resp_free(&r);
	return true;
}

static const char *age_of(struct arena *a, const char *ts)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	if (!ts || !strptime(ts, "%Y-%m-%dT%H:%M:%S", &tm))
		return "-";
	long s = (long)difftime(time(NULL), timegm(&tm));
	if (s < 0)
		s = 0;
	if (s < 120)
		return arena_printf(a, "%lds", s);
	if (s < 3600)
		return arena_printf(a, "%ldm", s / 60);
	if (s < 86400)
		return arena_printf(a, "%ldh%ldm", s / 3600, s / 60 % 60);
	return arena_printf(a, "%ldd", s / 86400);
}

/* GET list; NULL doc and *err set on failure; 404 (kind not served) gives an empty list. */
static struct fy_document *list(struct kube *k, struct arena *a, const char *av, const char *kind, const char *ns,
				const char *selector, const char **err)
{
	struct kube_resp r;
	const char *path = arena_printf(a, "%s?labelSelector=%s", kube_path(k, a, av, kind, ns, NULL), url_escape(a, selector));
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
		/* list items carry no kind/apiVersion (the API leaves them out): put them back */
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

/* Every kind hyscale can write: used when a workload carries no applied-kinds record. */
static void default_kinds(struct arena *a, struct kind_list *l)
{
	static const char *const k[][2] = {
		{ "Deployment", "apps/v1" }, { "StatefulSet", "apps/v1" }, { "Service", "v1" },
		{ "ConfigMap", "v1" }, { "Secret", "v1" }, { "HorizontalPodAutoscaler", "autoscaling/v2" },
		{ "NetworkPolicy", "networking.k8s.io/v1" }, { "Ingress", "networking.k8s.io/v1" },
		{ "Gateway", "gateway.networking.k8s.io/v1" }, { "HTTPRoute", "gateway.networking.k8s.io/v1" },
		{ "Gateway", "networking.istio.io/v1" }, { "VirtualService", "networking.istio.io/v1" },
		{ "DestinationRule", "networking.istio.io/v1" }, { "Middleware", "traefik.io/v1alpha1" },
		{ "HTTPProxy", "projectcontour.io/v1" }, { "BackendTrafficPolicy", "gateway.envoyproxy.io/v1alpha1" },
	};
	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++)
		kinds_add(a, l, k[i][0], k[i][1]);
}

static bool route_kind(const char *kind)
{
	return !strcmp(kind, "Ingress") || !strcmp(kind, "HTTPRoute") || !strcmp(kind, "VirtualService") ||
	       !strcmp(kind, "HTTPProxy") ||
	       !strcmp(kind, "Gateway") || !strcmp(kind, "Service");
}

struct workload { struct fy_node *node; const char *service; };

/* Deployments and StatefulSets of the app (kept alive in docs). */
static bool app_workloads(struct kube *k, struct arena *a, const char *app, const char *ns,
			  struct fy_document **docs, struct workload **out, size_t *n, const char **err)
{
	size_t cap = 0;
	static const char *const kinds[] = { "Deployment", "StatefulSet" };
	for (int w = 0; w < 2; w++) {
		docs[w] = list(k, a, "apps/v1", kinds[w], ns, arena_printf(a, "hyscale.io/app-name=%s", app), err);
		if (!docs[w])
			return false;
		struct fy_node *items = jget(fy_document_root(docs[w]), "items");
		for (size_t i = 0; i < jlen(items); i++) {
			struct workload *wl = ARENA_PUSH(a, *out, *n, cap);
			wl->node = jat(items, i);
			const char *svc = jstr(jkey(jget(wl->node, "metadata.labels"), "hyscale.io/service-name"), NULL);
			const char *nm = svc ? svc : jstr(wl->node, "metadata.name");
			wl->service = arena_strdup(a, nm ? nm : "");
		}
	}
	return true;
}

static void applied_kinds(struct arena *a, struct fy_node *wl, struct kind_list *l)
{
	const char *rec = jstr(jkey(jget(wl, "metadata.annotations"), APPLIED_KINDS), NULL);
	if (rec)
		kinds_parse(a, rec, l);
	else
		default_kinds(a, l);
	const char *kind = jstr(wl, "kind");
	kinds_add(a, l, kind ? kind : "Deployment", "apps/v1");
}

static void one_status(struct kube *k, struct arena *a, const char *app, const char *ns, struct workload *w,
		       struct svc_result *res)
{
	res->service = w->service;
	res->age = age_of(a, jstr(w->node, "metadata.creationTimestamp"));
	struct wl_state st;
	const char *err = NULL;
	if (!workload_state(k, a, ns, w->node, &st, &err)) {
		res->status = "Failed";
		res->message = err;
		res->failed = true;
		return;
	}
	if (st.desired == 0) {
		res->status = "Not Running";
		res->message = "scaled to zero replicas";
	} else if (st.problem) {
		res->status = "Failed";
		res->message = st.problem;
		res->failed = true;
	} else if (st.settled) {
		res->status = "Running";
	} else if (st.ready > st.desired) {
		res->status = "Scaling Down";
	} else {
		res->status = "Not Running";
		res->message = arena_printf(a, "%ld/%ld ready%s%s", st.ready, st.desired, st.waiting ? "; " : "",
					    st.waiting ? st.waiting : "");
	}
	/* The service's routing objects and Service, as applied, give its URLs and address. */
	struct kind_list kl = { 0 };
	applied_kinds(a, w->node, &kl);
	struct fy_node **objs = NULL;
	size_t n = 0, cap = 0;
	struct fy_document **docs = arena_alloc(a, (kl.n + 1) * sizeof(*docs));
	const char *sel = arena_printf(a, "hyscale.io/app-name=%s,hyscale.io/service-name=%s", app, w->service);
	for (size_t i = 0; i < kl.n; i++) {
		if (!route_kind(kl.v[i].kind))
			continue;
		docs[i] = list(k, a, kl.v[i].api_version, kl.v[i].kind, ns, sel, &err);
		struct fy_node *items = docs[i] ? jget(fy_document_root(docs[i]), "items") : NULL;
		for (size_t j = 0; j < jlen(items); j++)
			*ARENA_PUSH(a, objs, n, cap) = jat(items, j);
	}
	service_address(k, a, objs, n, ns, 0, &res->addr);
	for (size_t i = 0; i < kl.n; i++)
		if (docs[i])
			fy_document_destroy(docs[i]);
}

bool status_services(struct kube *k, struct arena *a, const char *app, const char *ns, const char **services,
		     size_t nservices, struct svc_result **out, size_t *nout, const char **err)
{
	struct fy_document *docs[2] = { NULL, NULL };
	struct workload *wls = NULL;
	size_t n = 0, cap = 0;
	*nout = 0;
	*out = NULL;
	bool ok = app_workloads(k, a, app, ns, docs, &wls, &n, err);
	if (ok && services) {
		for (size_t s = 0; s < nservices; s++) {
			const char *want = name_normalize(a, services[s]);
			struct svc_result *res = ARENA_PUSH(a, *out, *nout, cap);
			bool found = false;
			for (size_t i = 0; i < n && !found; i++)
				if (!strcmp(wls[i].service, want) || !strcmp(wls[i].service, services[s])) {
					one_status(k, a, app, ns, &wls[i], res);
					found = true;
				}
			if (!found) {
				res->service = services[s];
				res->status = "Not Deployed";
				res->message = arena_printf(a, "no Deployment or StatefulSet of service %s (app %s) in namespace %s",
							    services[s], app, ns);
			}
		}
	} else if (ok) {
		for (size_t i = 0; i < n; i++)
			one_status(k, a, app, ns, &wls[i], ARENA_PUSH(a, *out, *nout, cap));
	}
	for (int w = 0; w < 2; w++)
		if (docs[w])
			fy_document_destroy(docs[w]);
	return ok;
}

static bool delete_kind(struct kube *k, struct arena *a, const struct kind_ref *kr, const char *ns, const char *sel,
			FILE *log, const char **err)
{
	struct fy_document *d = list(k, a, kr->api_version, kr->kind, ns, sel, err);
	if (!d)
		return false;
	struct fy_node *items = jget(fy_document_root(d), "items");
	static const char body[] = "{\"apiVersion\":\"v1\",\"kind\":\"DeleteOptions\",\"propagationPolicy\":\"Background\"}";
	bool ok = true;
	for (size_t i = 0; i < jlen(items) && ok; i++) {
		const char *name = arena_strdup(a, jstr(jat(items, i), "metadata.name"));
		struct kube_resp r;
		bool got = kube_call(k, "DELETE", kube_path(k, a, kr->api_version, kr->kind, ns, name), "application/json", body,
				     sizeof(body) - 1, &r);
		if (got && (r.status == 200 || r.status == 202 || r.status == 404)) {
			if (log)
				fprintf(log, "  %s %s deleted\n", kr->kind, name);
		} else {
			*err = cluster_error(a, k, "delete", kr->api_version, kr->kind, name, ns, &r);
			ok = false;
		}
		kube_resp_free(&r);
	}
	fy_document_destroy(d);
	return ok;
}

static const char *kept_claims(struct kube *k, struct arena *a, const char *ns, const char *sel, const char **err)
{
	struct fy_document *d = list(k, a, "v1", "PersistentVolumeClaim", ns, sel, err);
	if (!d)
		return NULL;
	const char *kept = NULL;
	struct fy_node *items = jget(fy_document_root(d), "items");
	for (size_t i = 0; i < jlen(items); i++) {
		const char *nm = jstr(jat(items, i), "metadata.name");
		kept = arena_printf(a, "%s%s%s", kept ? kept : "", kept ? ", " : "", nm ? nm : "");
	}
	fy_document_destroy(d);
	return kept;
}

bool undeploy(struct kube *k, struct arena *a, const char *app, const char *ns, const char **services,
	      size_t nservices, FILE *log, struct svc_result **out, size_t *nout, const char **err)
{
	struct fy_document *docs[2] = { NULL, NULL };
	struct workload *wls = NULL;
	size_t n = 0, cap = 0;
	*nout = 0;
	*out = NULL;
	bool ok = app_workloads(k, a, app, ns, docs, &wls, &n, err);
	size_t targets = services ? nservices : n;
	for (size_t t = 0; ok && t < targets; t++) {
		struct svc_result *res = ARENA_PUSH(a, *out, *nout, cap);
		struct workload *w = NULL;
		if (services) {
			const char *want = name_normalize(a, services[t]);
			for (size_t i = 0; i < n && !w; i++)
				if (!strcmp(wls[i].service, want) || !strcmp(wls[i].service, services[t]))
					w = &wls[i];
			res->service = services[t];
		} else {
			w = &wls[t];
			res->service = w->service;
		}
		if (!w) {
			res->status = "Not Deployed";
			res->message = arena_printf(a, "service %s (app %s) is not deployed in namespace %s; nothing to delete",
						    services[t], app, ns);
			continue;
		}
		if (log)
			fprintf(log, "Undeploying service %s (app %s, namespace %s)\n", w->service, app, ns);
		struct kind_list kl = { 0 };
		applied_kinds(a, w->node, &kl);
		const char *sel = arena_printf(a, "hyscale.io/app-name=%s,hyscale.io/service-name=%s", app, w->service);
		/* the reverse of the apply order: routes first, configuration last */
		for (size_t i = kl.n; i > 0 && ok; i--)
			if (strcmp(kl.v[i - 1].kind, "PersistentVolumeClaim"))
				ok = delete_kind(k, a, &kl.v[i - 1], ns, sel, log, err);
		if (!ok) {
			res->status = "Failed";
			res->message = *err;
			res->failed = true;
			break;
		}
		const char *kept = kept_claims(k, a, ns, sel, err);
		res->status = "Undeployed";
		if (kept && *kept) {
			res->message = arena_printf(a, "PersistentVolumeClaims kept (they hold data): %s", kept);
			if (log)
				fprintf(log, "  kept PersistentVolumeClaim(s) %s: they hold data; delete them with kubectl "
					     "when it is no longer needed\n", kept);
		}
	}
	if (ok && !services && n == 0 && log)
		fprintf(log, "app %s has no services deployed in namespace %s; nothing to delete\n", app, ns);
	for (int w = 0; w < 2; w++)
		if (docs[w])
			fy_document_destroy(docs[w]);
	return ok;
}
