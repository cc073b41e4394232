/* `hyscale deploy`: namespace, server-side apply in the rendered (apply) order, pruning of
 * objects the spec no longer produces, the rollout wait, and the address (see deploy.h). */
#include "deploy.h"
#include <stdlib.h>
#include <string.h>
#include "../emit/yaml_out.h"
#include "jnode.h"
#include "objects.h"

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

static double env_seconds(const char *name, double dflt)
{
	const char *s = getenv(name);
	return s && atof(s) > 0 ? atof(s) : dflt;
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
	static const char *const routing[] = { "Ingress", "HTTPRoute", "Gateway", "VirtualService",
					       "DestinationRule", "Middleware", "HTTPProxy",
					       "BackendTrafficPolicy", NULL };
	*loc = s->name.loc;
	for (int i = 0; routing[i]; i++)
		if (!strcmp(kind, routing[i])) {
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
					       m->name, f ? f : "", msg ? msg : "");
		out = out ? arena_printf(a, "%s\n%s", out, one) : one;
	}
	return out;
}

static const char *labels_selector(struct arena *a, struct manifest *wl, bool with_env)
{
	struct fy_node *l = jget(wl->metadata, "labels");
	const char *app = jstr(jkey(l, "hyscale.io/app-name"), NULL);
	const char *env = jstr(jkey(l, "hyscale.io/environment-name"), NULL);
	const char *svc = jstr(jkey(l, "hyscale.io/service-name"), NULL);
	const char *s = arena_printf(a, "hyscale.io/app-name=%s,hyscale.io/service-name=%s", app ? app : "",
				     svc ? svc : "");
	if (with_env && env)
		s = arena_printf(a, "%s,hyscale.io/environment-name=%s", s, env);
	return s;
}

static bool delete_object(struct kube *k, struct arena *a, const char *av, const char *kind, const char *ns,
			  const char *name, const char **err)
{
	static const char body[] = "{\"apiVersion\":\"v1\",\"kind\":\"DeleteOptions\",\"propagationPolicy\":\"Background\"}";
	struct kube_resp r;
	bool ok = kube_call(k, "DELETE", kube_path(k, a, av, kind, ns, name), "application/json", body,
			    sizeof(body) - 1, &r);
	if (ok && (r.status == 200 || r.status == 202 || r.status == 404)) {
		kube_resp_free(&r);
		return true;
	}
	*err = cluster_error(a, k, "delete", av, kind, name, ns, &r);
	kube_resp_free(&r);
	return false;
}

/* Deletes the service's objects of the previously applied kinds that the new list lacks. */
static bool prune(struct kube *k, struct arena *a, struct rendered *rd, struct kind_list *prev, const char *ns,
		  const char *selector, FILE *log, const char **err)
{
	for (size_t i = 0; i < prev->n; i++) {
		struct kind_ref *kr = &prev->v[i];
		if (!strcmp(kr->kind, "PersistentVolumeClaim"))
			continue;   /* data outlives specs: never pruned */
		struct kube_resp r;
		const char *path = arena_printf(a, "%s?labelSelector=%s", kube_path(k, a, kr->api_version, kr->kind, ns, NULL),
						url_escape(a, selector));
		bool ok = kube_call(k, "GET", path, NULL, NULL, 0, &r);
		if (ok && r.status == 404) {   /* the kind is no longer served: nothing of it can be left */
			kube_resp_free(&r);
			continue;
		}
		if (!ok || r.status != 200) {
			*err = cluster_error(a, k, "list", kr->api_version, kr->kind, NULL, ns, &r);
			kube_resp_free(&r);
			return false;
		}
		struct fy_node *items = jget(kube_resp_root(&r), "items");
		for (size_t j = 0; j < jlen(items); j++) {
			const char *name = jstr(jat(items, j), "metadata.name");
			if (!name)
				continue;
			bool keep = false;
			for (size_t m = 0; m < rd->ms.n && !keep; m++)
				keep = !strcmp(rd->ms.v[m]->kind, kr->kind) && !strcmp(rd->ms.v[m]->name, name);
			if (keep)
				continue;
			const char *nm = arena_strdup(a, name);
			if (!delete_object(k, a, kr->api_version, kr->kind, ns, nm, err)) {
				kube_resp_free(&r);
				return false;
			}
			if (log)
				fprintf(log, "  %s %s deleted (no longer produced by the spec)\n", kr->kind, nm);
		}
		kube_resp_free(&r);
	}
	return true;
}

static bool wait_rollout(struct kube *k, struct arena *a, struct manifest *wl, const char *ns,
			 const struct deploy_opts *o, const char **err)
{
	long start = kube_now_ms(), poll = (long)(env_seconds("HYSCALE_POLL_INTERVAL", 2) * 1000);
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
		bool got = workload_state(k, a, ns, kube_resp_root(&r), &st, err);
		kube_resp_free(&r);
		if (!got)
			break;
		const char *line = arena_printf(a, "  waiting for %s %s: %ld/%ld ready%s%s", wl->kind, wl->name, st.ready,
						st.desired, st.waiting ? "; " : "", st.waiting ? st.waiting : "");
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
			ok = true;
			break;
		}
		long used = kube_now_ms() - start;
		if (used >= o->timeout_ms) {
			*err = arena_printf(a, "timed out after %lds waiting for %s %s: %ld/%ld ready%s%s", o->timeout_ms / 1000,
					    wl->kind, wl->name, st.ready, st.desired, st.waiting ? "; " : "",
					    st.waiting ? st.waiting : "");
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

static const char *kinds_string(struct arena *a, const struct kind_list *l)
{
	const char *s = "";
	for (size_t i = 0; i < l->n; i++)
		s = arena_printf(a, "%s%s%s:%s", s, i ? "," : "", l->v[i].kind, l->v[i].api_version);
	return s;
}

/* Server-side applies every object (or only one) in the rendered order; false with res->message. */
static bool apply_all(struct kube *k, struct arena *a, struct rendered *rd, const struct spec *s,
		      struct manifest *only, const struct deploy_opts *o, struct svc_result *res)
{
	const char *ns = o->ns;
	for (size_t i = 0; i < rd->ms.n; i++) {
		struct manifest *m = rd->ms.v[i];
		if (only && m != only)
			continue;
		/* the text generate writes, from the same tree (the workload now carries applied-kinds) */
		struct sbuf text = SBUF_INIT;
		const char *why = NULL;
		if (!yaml_render(m, &text, &why)) {
			res->message = arena_printf(a, "%s %s: %s", m->kind, m->name, why);
			sb_release(&text);
			return false;
		}
		const char *path = arena_printf(a, "%s?fieldManager=%s%s", kube_path(k, a, m->api_version, m->kind, ns, m->name),
						FIELD_MANAGER, o->force_conflicts ? "&force=true" : "");
		struct kube_resp r;
		bool ok = kube_call(k, "PATCH", path, "application/apply-patch+yaml", text.buf, text.len, &r);
		sb_release(&text);
		if (!ok || (r.status != 200 && r.status != 201)) {
			const char *e = cluster_error(a, k, "apply", m->api_version, m->kind, m->name, ns, &r);
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
		if (o->log && !only)
			fprintf(o->log, "  %s %s %s\n", m->kind, m->name, r.status == 201 ? "created" : "configured");
		for (const char *w; (w = kube_take_warning(k));)
			fprintf(stderr, "hyscale: warning: %s %s: the cluster says: %s\n", m->kind, m->name, w);
		kube_resp_free(&r);
	}
	return true;
}

void deploy_service(struct kube *k, struct arena *a, struct rendered *rd, const struct spec *s,
		    const struct deploy_opts *o, struct svc_result *res)
{
	const char *ns = o->ns, *err = NULL;
	memset(res, 0, sizeof(*res));
	res->service = rd->service;
	res->status = "Failed";
	res->failed = true;
	struct manifest *wl = NULL;
	for (size_t i = 0; i < rd->ms.n && !wl; i++)
		if (!strcmp(rd->ms.v[i]->kind, "Deployment") || !strcmp(rd->ms.v[i]->kind, "StatefulSet"))
			wl = rd->ms.v[i];
	if (!wl) {
		res->message = "the spec produces no workload to deploy";
		return;
	}
	if (o->log)
		fprintf(o->log, "Deploying service %s (app %s, namespace %s)\n", rd->service, o->app, ns);
	/* What the previous deploy applied, from the workload it annotated. */
	struct kind_list prev = { 0 }, now = { 0 };
	static const char *const workloads[] = { "Deployment", "StatefulSet" };
	for (int w = 0; w < 2; w++) {
		struct kube_resp r;
		bool ok = kube_call(k, "GET", kube_path(k, a, "apps/v1", workloads[w], ns, wl->name), NULL, NULL, 0, &r);
		if (ok && r.status == 200) {
			kinds_parse(a, jstr(jkey(jget(kube_resp_root(&r), "metadata.annotations"), APPLIED_KINDS), NULL), &prev);
			kinds_add(a, &prev, workloads[w], "apps/v1");
		} else if (!ok || r.status != 404) {
			res->message = cluster_error(a, k, "get", "apps/v1", workloads[w], wl->name, ns, &r);
			kube_resp_free(&r);
			return;
		}
		kube_resp_free(&r);
	}
	for (size_t i = 0; i < rd->ms.n; i++)
		kinds_add(a, &now, rd->ms.v[i]->kind, rd->ms.v[i]->api_version);
	/* Until the leftovers are deleted the record keeps the old kinds too: a deploy that fails
	 * half-way must not forget what the next one has to clean up. */
	struct kind_list both = now;
	both.v = arena_alloc(a, (now.n + prev.n + 1) * sizeof(*both.v));
	both.cap = now.n + prev.n + 1;
	memcpy(both.v, now.v, now.n * sizeof(*now.v));
	for (size_t i = 0; i < prev.n; i++)
		if (strcmp(prev.v[i].kind, wl->kind))
			kinds_add(a, &both, prev.v[i].kind, prev.v[i].api_version);
	manifest_annotate(wl, APPLIED_KINDS, kinds_string(a, &both));
	if (!apply_all(k, a, rd, s, NULL, o, res))
		return;
	if (!prune(k, a, rd, &prev, ns, labels_selector(a, wl, true), o->log, &err)) {
		res->message = err;
		return;
	}
	if (both.n != now.n) {
		manifest_annotate(wl, APPLIED_KINDS, kinds_string(a, &now));
		if (!apply_all(k, a, rd, s, wl, o, res))
			return;
	}
	if (!wait_rollout(k, a, wl, ns, o, &err)) {
		res->message = err;
		return;
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
}
