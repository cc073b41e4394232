/* `get service/app status` and undeploy (see deploy.h). */
#include "deploy.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../model/kinds.h"
#include "../util/names.h"
#include "jnode.h"
#include "live.h"
#include "objects.h"

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

struct workload { struct fy_node *node; const char *service; };

/* Deployments and StatefulSets of the app (kept alive in docs). */
static bool app_workloads(struct kube *k, struct arena *a, const char *app, const char *ns,
			  struct fy_document **docs, struct workload **out, size_t *n, const char **err)
{
	size_t cap = 0;
	static const char *const kinds[] = { "Deployment", "StatefulSet" };
	for (int w = 0; w < 2; w++) {
		docs[w] = kube_list(k, a, "apps/v1", kinds[w], ns, arena_printf(a, "hyscale.io/app-name=%s", app), err);
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

/* routes: the app's live objects, listed once for all services (one list per kind, not one
 * per kind and service: 300 services took 5,400 requests), or NULL when listing failed. */
static void one_status(struct kube *k, struct arena *a, const char *ns, struct workload *w,
		       const struct live_set *routes, struct svc_result *res)
{
	res->service = w->service;
	res->age = age_of(a, jstr(w->node, "metadata.creationTimestamp"));
	struct wl_state st;
	const char *err = NULL;
	if (!workload_state(k, a, ns, w->node, &st, NULL, &err)) {
		res->status = "Failed";
		res->message = err;
		res->failed = true;
		return;
	}
	const char *why = st.pod_waiting ? st.pod_waiting : st.waiting;
	if (st.desired == 0) {
		res->status = "Not Running";
		res->message = "scaled to zero replicas";
	} else if (st.problem) {
		res->status = "Failed";
		res->message = st.problem;
		res->failed = true;
	} else if (st.settled) {
		res->status = "Running";
		if (st.untracked)
			res->message = "updateStrategy OnDelete: pods change when they are deleted";
	} else if (st.ready > st.desired) {
		res->status = "Scaling Down";
	} else {
		res->status = "Not Running";
		res->message = arena_printf(a, "%ld/%ld ready%s%s", st.ready, st.desired, why ? "; " : "", why ? why : "");
	}
	/* The service's routing objects and Service, as applied, give its URLs and address. */
	if (!routes)
		return;
	struct fy_node **objs = arena_alloc(a, (routes->n + 1) * sizeof(*objs));
	size_t n = 0;
	for (size_t i = 0; i < routes->n; i++) {
		const struct live_obj *o = &routes->v[i];
		const struct kind_info *ki = kind_find(o->kind, NULL);
		if (ki && (ki->role == ROLE_ROUTE || ki->role == ROLE_SERVICE) && o->service &&
		    !strcmp(o->service, w->service))
			objs[n++] = o->node;
	}
	service_address(k, a, objs, n, ns, 0, &res->addr);
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
	struct live_set ls;
	const char *lerr = NULL;
	bool listed = ok && n && live_find(k, a, ns, arena_printf(a, "hyscale.io/app-name=%s", app), NULL, &ls, &lerr);
	const struct live_set *routes = listed ? &ls : NULL;
	if (ok && services) {
		for (size_t s = 0; s < nservices; s++) {
			const char *want = name_normalize(a, services[s]);
			struct svc_result *res = ARENA_PUSH(a, *out, *nout, cap);
			bool found = false;
			for (size_t i = 0; i < n && !found; i++)
				if (!strcmp(wls[i].service, want) || !strcmp(wls[i].service, services[s])) {
					one_status(k, a, ns, &wls[i], routes, res);
					found = true;
				}
			if (!found) {
				res->service = services[s];
				res->status = "Not Deployed";
				res->message = arena_printf(a, "no Deployment or StatefulSet of service %s (app %s) in namespace %s",
							    diag_escape(a, services[s]), app, ns);
			}
		}
	} else if (ok) {
		for (size_t i = 0; i < n; i++)
			one_status(k, a, ns, &wls[i], routes, ARENA_PUSH(a, *out, *nout, cap));
	}
	if (ok && n)
		live_free(&ls);
	for (int w = 0; w < 2; w++)
		if (docs[w])
			fy_document_destroy(docs[w]);
	return ok;
}

static int by_rank_desc(const void *x, const void *y)
{
	const struct live_obj *p = *(struct live_obj *const *)x, *q = *(struct live_obj *const *)y;
	if (p->rank != q->rank)
		return p->rank > q->rank ? -1 : 1;
	return strcmp(p->name, q->name);
}

bool delete_live(struct kube *k, struct arena *a, const struct live_obj *o, const char *ns, const char **err)
{
	static const char body[] = "{\"apiVersion\":\"v1\",\"kind\":\"DeleteOptions\",\"propagationPolicy\":\"Background\"}";
	struct kube_resp r;
	bool ok = kube_call(k, "DELETE", kube_path(k, a, o->api_version, o->kind, ns, o->name), "application/json", body,
			    sizeof(body) - 1, &r);
	if (ok && (r.status == 200 || r.status == 202 || r.status == 404)) {
		kube_resp_free(&r);
		return true;
	}
	*err = cluster_error(a, k, "delete", o->api_version, o->kind, o->name, ns, &r);
	kube_resp_free(&r);
	return false;
}

double hs_poll_seconds(void)
{
	const char *s = getenv("HYSCALE_POLL_INTERVAL");
	return s && atof(s) > 0 ? atof(s) : 2;
}

bool wait_gone(struct kube *k, struct arena *a, struct live_obj **objs, size_t n, const char *ns, long timeout_ms,
	       bool tty, FILE *log, const char **err)
{
	long start = kube_now_ms(), poll = (long)(hs_poll_seconds() * 1000);
	const char *last = NULL;
	bool ok = false;
	for (;;) {
		const char *left = NULL;
		size_t nleft = 0;
		for (size_t i = 0; i < n; i++) {
			if (!objs[i])
				continue;
			struct kube_resp r;
			bool got = kube_call(k, "GET", kube_path(k, a, objs[i]->api_version, objs[i]->kind, ns, objs[i]->name),
					     NULL, NULL, 0, &r);
			if (!got || (r.status != 200 && r.status != 404)) {
				*err = cluster_error(a, k, "get", objs[i]->api_version, objs[i]->kind, objs[i]->name, ns, &r);
				kube_resp_free(&r);
				goto out;
			}
			const char *uid = r.status == 200 ? jstr(kube_resp_root(&r), "metadata.uid") : NULL;
			bool gone = r.status == 404 || (uid && objs[i]->uid && strcmp(uid, objs[i]->uid));
			kube_resp_free(&r);
			if (gone) {
				objs[i] = NULL;
				continue;
			}
			if (++nleft <= 3)
				left = arena_printf(a, "%s%s%s %s", left ? left : "", left ? ", " : "", objs[i]->kind,
						    diag_escape(a, objs[i]->name));
		}
		if (!nleft) {
			ok = true;
			break;
		}
		if (nleft > 3)
			left = arena_printf(a, "%s and %zu more", left, nleft - 3);
		const char *line = arena_printf(a, "  waiting for %zu object(s) to be deleted: %s", nleft, left);
		if (log && (!last || strcmp(last, line))) {
			fprintf(log, tty ? "\r\033[K%s" : "%s\n", line);
			fflush(log);
		}
		last = line;
		long used = kube_now_ms() - start;
		if (used >= timeout_ms) {
			*err = arena_printf(a, "timed out after %lds waiting for %zu object(s) to be deleted: %s "
					       "(finalizers may hold them; 'kubectl get' them to see)", timeout_ms / 1000, nleft, left);
			break;
		}
		long rest = timeout_ms - used;
		if (!kube_sleep(rest < poll ? rest : poll)) {
			*err = "interrupted";
			break;
		}
	}
out:
	if (log && tty && last)
		fputc('\n', log);
	return ok;
}

static void add_service(struct arena *a, const char ***v, size_t *n, size_t *cap, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i], s))
			return;
	*ARENA_PUSH(a, *v, *n, *cap) = arena_strdup(a, s);   /* outlives the listed documents */
}

bool undeploy(struct kube *k, struct arena *a, const char *app, const char *ns, const char **services,
	      size_t nservices, const struct undeploy_opts *o, struct svc_result **out, size_t *nout, const char **err)
{
	FILE *log = o->log;
	size_t cap = 0;
	*nout = 0;
	*out = NULL;
	/* Every object of the app, by label: a deploy that failed before its workload, or an
	 * undeploy that stopped half-way, leaves objects that are found all the same. */
	struct live_set ls;
	if (!live_find(k, a, ns, arena_printf(a, "hyscale.io/app-name=%s", app), NULL, &ls, err)) {
		live_free(&ls);
		return false;
	}
	const char **targets = NULL;
	size_t ntargets = 0, tcap = 0;
	if (services) {
		for (size_t i = 0; i < nservices; i++)
			add_service(a, &targets, &ntargets, &tcap, services[i]);
	} else {
		for (size_t i = 0; i < ls.n; i++) {
			const struct kind_info *ki = kind_find(ls.v[i].kind, NULL);
			if (ls.v[i].service && (!ki || ki->role != ROLE_DATA))
				add_service(a, &targets, &ntargets, &tcap, ls.v[i].service);
		}
	}
	struct live_obj **deleted = arena_alloc(a, (ls.n + 1) * sizeof(*deleted));
	size_t ndeleted = 0;
	bool ok = true;
	for (size_t t = 0; ok && t < ntargets; t++) {
		struct svc_result *res = ARENA_PUSH(a, *out, *nout, cap);
		memset(res, 0, sizeof(*res));
		res->service = targets[t];
		const char *want = name_normalize(a, targets[t]);
		struct live_obj **mine = arena_alloc(a, (ls.n + 1) * sizeof(*mine));
		size_t nmine = 0;
		const char *kept = NULL;
		for (size_t i = 0; i < ls.n; i++) {
			struct live_obj *lo = &ls.v[i];
			if (!lo->service || (strcmp(lo->service, want) && strcmp(lo->service, targets[t])))
				continue;
			const struct kind_info *ki = kind_find(lo->kind, NULL);
			if (ki && ki->role == ROLE_DATA)
				kept = arena_printf(a, "%s%s%s", kept ? kept : "", kept ? ", " : "", diag_escape(a, lo->name));
			else
				mine[nmine++] = lo;
		}
		if (!nmine) {
			res->status = "Not Deployed";
			res->message = arena_printf(a, "service %s (app %s) is not deployed in namespace %s; nothing to delete",
						    diag_escape(a, targets[t]), app, ns);
			continue;
		}
		if (log)
			fprintf(log, "Undeploying service %s (app %s, namespace %s)\n", diag_escape(a, targets[t]), app, ns);
		/* the reverse of the apply order: routes first, configuration last */
		qsort(mine, nmine, sizeof(*mine), by_rank_desc);
		for (size_t i = 0; i < nmine && ok; i++) {
			ok = delete_live(k, a, mine[i], ns, err);
			if (ok) {
				deleted[ndeleted++] = mine[i];
				if (log)
					fprintf(log, "  %s %s deleted\n", mine[i]->kind, diag_escape(a, mine[i]->name));
			}
		}
		if (!ok) {
			res->status = "Failed";
			res->message = *err;
			res->failed = true;
			break;
		}
		res->status = "Undeployed";
		if (kept) {
			res->message = arena_printf(a, "PersistentVolumeClaims kept (they hold data): %s", kept);
			if (log)
				fprintf(log, "  kept PersistentVolumeClaim(s) %s: they hold data; delete them with kubectl "
					     "when it is no longer needed\n", kept);
		}
	}
	/* The app's shared entry point: kept while other services' routes use it, less the
	 * listeners only the services undeployed used; deleted with the last of them. */
	if (ok) {
		struct deploy_opts eo = { .app = app, .ns = ns, .log = log };
		ok = deploy_entrypoints(k, a, &eo, NULL, 0, targets, ntargets, err);
	}
	if (ok && ndeleted && o->wait) {
		ok = wait_gone(k, a, deleted, ndeleted, ns, o->timeout_ms, o->tty, log, err);
		for (size_t i = 0; !ok && i < *nout; i++)
			if (!strcmp((*out)[i].status, "Undeployed")) {
				(*out)[i].status = "Failed";
				(*out)[i].message = *err;
				(*out)[i].failed = true;
			}
	}
	if (ok && !services && ntargets == 0 && log)
		fprintf(log, "app %s has no services deployed in namespace %s; nothing to delete\n", app, ns);
	live_free(&ls);
	return ok;
}
