/* Service URLs and load balancer addresses (see address.h). */
#include "address.h"
#include <stdlib.h>
#include <string.h>
#include "jnode.h"
#include "objects.h"

#define PH_INGRESS "<External IP of Ingress controller service>"
#define PH_ISTIO "<External IP of istio-ingress-gateway>"

static const char *kind_of(struct fy_node *o) { return jstr(o, "kind"); }
static bool is(struct fy_node *o, const char *kind, const char *group)
{
	const char *k = kind_of(o), *av = jstr(o, "apiVersion");
	return k && av && !strcmp(k, kind) && (!group || !strncmp(av, group, strlen(group)));
}

static void add_url(struct arena *a, struct address *ad, bool https, const char *host, const char *path)
{
	if (!host || !*host)
		return;
	/* A segment prefix is written as "/p/" beside "exact /p" by some providers: one URL. */
	size_t pl = path ? strlen(path) : 0;
	const char *p = pl > 1 && path[pl - 1] == '/' ? arena_strndup(a, path, pl - 1) : (path && *path ? path : "/");
	const char *url = arena_printf(a, "%s://%s%s", https ? "https" : "http", host, p);
	const char *twin = arena_printf(a, "%s://%s%s", https ? "http" : "https", host, p);
	for (size_t i = 0; i < ad->nurls; i++) {
		if (!strcmp(ad->urls[i], url))
			return;
		if (!strcmp(ad->urls[i], twin)) {
			/* the same place over both schemes: https is the one to give out */
			if (https)
				ad->urls[i] = url;
			return;
		}
	}
	*ARENA_PUSH(a, ad->urls, ad->nurls, ad->cap) = url;
}

static bool in_list(struct fy_node *seq, const char *s)
{
	for (size_t i = 0; i < jlen(seq); i++) {
		const char *v = jstr(jat(seq, i), NULL);
		if (v && (!strcmp(v, s) || !strcmp(v, "*")))
			return true;
	}
	return false;
}

static void ingress_urls(struct arena *a, struct fy_node *ing, struct address *ad)
{
	struct fy_node *tls = jget(ing, "spec.tls"), *rules = jget(ing, "spec.rules");
	for (size_t r = 0; r < jlen(rules); r++) {
		const char *host = jstr(jat(rules, r), "host");
		bool https = false;
		for (size_t t = 0; host && t < jlen(tls); t++)
			https |= in_list(jget(jat(tls, t), "hosts"), host);
		struct fy_node *paths = jget(jat(rules, r), "http.paths");
		for (size_t p = 0; p < jlen(paths); p++)
			add_url(a, ad, https, host, jstr(jat(paths, p), "path"));
	}
}

/* Contour: one root HTTPProxy per fqdn; a route's condition is its path. */
static void httpproxy_urls(struct arena *a, struct fy_node *hp, struct address *ad)
{
	const char *host = jstr(hp, "spec.virtualhost.fqdn");
	bool https = jget(hp, "spec.virtualhost.tls") != NULL;
	struct fy_node *routes = jget(hp, "spec.routes");
	for (size_t r = 0; host && r < jlen(routes); r++) {
		struct fy_node *c = jat(jget(jat(routes, r), "conditions"), 0);
		const char *p = jstr(c, "prefix") ? jstr(c, "prefix") : jstr(c, "exact");
		add_url(a, ad, https, host, p ? p : "/");
	}
}

/* The object named name among objs, else read from the cluster (kept in docs for freeing). */
static struct fy_node *find_or_get(struct kube *k, struct arena *a, struct fy_node **objs, size_t n,
				   const char *av, const char *kind, const char *ns, const char *name,
				   struct fy_document **keep, bool *denied)
{
	for (size_t i = 0; i < n; i++)
		if (is(objs[i], kind, av) && jstr(objs[i], "metadata.name") &&
		    !strcmp(jstr(objs[i], "metadata.name"), name))
			return objs[i];
	struct kube_resp r;
	if (!kube_call(k, "GET", kube_path(k, a, av, kind, ns, name), NULL, NULL, 0, &r) || r.status != 200) {
		if (denied && (r.status == 401 || r.status == 403))
			*denied = true;
		kube_resp_free(&r);
		return NULL;
	}
	*keep = r.doc;
	r.doc = NULL;
	kube_resp_free(&r);
	return fy_document_root(*keep);
}

static const char *lb_status(struct fy_node *o)
{
	const char *ip = jstr(o, "status.loadBalancer.ingress.0.ip");
	return ip ? ip : jstr(o, "status.loadBalancer.ingress.0.hostname");
}

/* One look at the cluster; returns the address or NULL. */
static const char *look(struct kube *k, struct arena *a, struct fy_node **objs, size_t n, const char *ns,
			const char **placeholder, bool *denied)
{
	const char *found = NULL;
	struct fy_document *keep = NULL;
	for (size_t i = 0; i < n && !found; i++) {
		struct fy_node *o = objs[i];
		const char *name = jstr(o, "metadata.name");
		if (!name)
			continue;
		if (is(o, "Ingress", "networking.k8s.io/")) {
			*placeholder = PH_INGRESS;
			struct fy_node *live = find_or_get(k, a, NULL, 0, "networking.k8s.io/v1", "Ingress", ns, name, &keep, denied);
			found = live ? lb_status(live) : NULL;
		} else if (is(o, "HTTPProxy", "projectcontour.io/")) {
			*placeholder = PH_INGRESS;
			struct fy_node *live = find_or_get(k, a, NULL, 0, "projectcontour.io/v1", "HTTPProxy", ns, name, &keep, denied);
			found = live ? lb_status(live) : NULL;
		} else if (is(o, "HTTPRoute", "gateway.networking.k8s.io/")) {
			const char *gw = jstr(o, "spec.parentRefs.0.name"), *gns = jstr(o, "spec.parentRefs.0.namespace");
			if (!gw)
				continue;
			*placeholder = arena_printf(a, "<External IP of Gateway %s>", gw);
			struct fy_node *live = find_or_get(k, a, NULL, 0, "gateway.networking.k8s.io/v1", "Gateway",
							   gns ? gns : ns, gw, &keep, denied);
			found = live ? jstr(live, "status.addresses.0.value") : NULL;
		} else if (is(o, "VirtualService", "networking.istio.io/")) {
			*placeholder = PH_ISTIO;
			const char *gw = jstr(o, "spec.gateways.0");
			if (!gw)
				continue;
			const char *slash = strchr(gw, '/');
			const char *gns = slash ? arena_strndup(a, gw, (size_t)(slash - gw)) : ns;
			struct fy_node *g = find_or_get(k, a, objs, n, "networking.istio.io/v1", "Gateway", gns,
							slash ? slash + 1 : gw, &keep, denied);
			struct fy_node *sel = jget(g, "spec.selector");
			if (!sel || fy_node_get_type(sel) != FYNT_MAPPING)
				continue;
			/* The ingress gateway pods' Service, wherever it runs (usually istio-system). */
			const char *s = NULL;
			void *it = NULL;
			struct fy_node_pair *p;
			while ((p = fy_node_mapping_iterate(sel, &it))) {
				const char *kk = fy_node_get_scalar0(fy_node_pair_key(p));
				const char *vv = fy_node_get_scalar0(fy_node_pair_value(p));
				const char *one = arena_printf(a, "%s=%s", kk ? kk : "", vv ? vv : "");
				s = s ? arena_printf(a, "%s,%s", s, one) : one;
			}
			struct kube_resp r;
			const char *path = arena_printf(a, "/api/v1/services?labelSelector=%s", url_escape(a, s ? s : ""));
			bool got = kube_call(k, "GET", path, NULL, NULL, 0, &r);
			if (got && (r.status == 401 || r.status == 403))
				*denied = true;   /* listing Services cluster-wide is not allowed: no use waiting */
			if (got && r.status == 200) {
				struct fy_node *items = jget(kube_resp_root(&r), "items");
				for (size_t j = 0; j < jlen(items) && !found; j++) {
					const char *v = lb_status(jat(items, j));
					found = v ? arena_strdup(a, v) : NULL;
				}
			}
			kube_resp_free(&r);
		}
		found = found ? arena_strdup(a, found) : NULL;
		if (keep) {
			fy_document_destroy(keep);
			keep = NULL;
		}
	}
	if (found || *placeholder)
		return found;
	/* No routing objects: a Service of type LoadBalancer answers on its own address. */
	for (size_t i = 0; i < n && !found; i++) {
		struct fy_node *o = objs[i];
		const char *type = jstr(o, "spec.type");
		if (!is(o, "Service", "v1") || !type || strcmp(type, "LoadBalancer"))
			continue;
		*placeholder = "<External IP of LoadBalancer Service>";
		struct fy_node *live = find_or_get(k, a, NULL, 0, "v1", "Service", ns, jstr(o, "metadata.name"), &keep, denied);
		const char *host = live ? lb_status(live) : NULL;
		struct fy_node *ports = jget(o, "spec.ports");
		for (size_t p = 0; host && p < jlen(ports); p++) {
			const char *one = arena_printf(a, "%s:%s", host, jstr(jat(ports, p), "port"));
			found = found ? arena_printf(a, "%s,%s", found, one) : one;
		}
		if (host && !found)
			found = arena_strdup(a, host);
		if (keep) {
			fy_document_destroy(keep);
			keep = NULL;
		}
	}
	return found;
}

static void route_urls(struct kube *k, struct arena *a, struct fy_node **objs, size_t n, const char *ns,
		       struct address *ad)
{
	for (size_t i = 0; i < n; i++) {
		struct fy_node *o = objs[i];
		if (is(o, "Ingress", "networking.k8s.io/")) {
			ingress_urls(a, o, ad);
		} else if (is(o, "HTTPProxy", "projectcontour.io/")) {
			httpproxy_urls(a, o, ad);
		} else if (is(o, "HTTPRoute", "gateway.networking.k8s.io/")) {
			struct fy_node *rules = jget(o, "spec.rules");
			bool serves = false;
			for (size_t r = 0; r < jlen(rules); r++)
				serves |= jget(jat(rules, r), "backendRefs") != NULL;
			if (!serves)
				continue;   /* the HTTP→HTTPS redirect route */
			const char *sec = jstr(o, "spec.parentRefs.0.sectionName");
			const char *gw = jstr(o, "spec.parentRefs.0.name"), *gns = jstr(o, "spec.parentRefs.0.namespace");
			bool https = sec && strstr(sec, "https");
			struct fy_document *keep = NULL;
			struct fy_node *g = gw ? find_or_get(k, a, objs, n, "gateway.networking.k8s.io/v1", "Gateway",
							     gns ? gns : ns, gw, &keep, NULL) : NULL;
			struct fy_node *ls = jget(g, "spec.listeners");
			for (size_t l = 0; sec && l < jlen(ls); l++) {
				const char *ln = jstr(jat(ls, l), "name"), *proto = jstr(jat(ls, l), "protocol");
				if (ln && proto && !strcmp(ln, sec))
					https = !strcmp(proto, "HTTPS");
			}
			if (keep)
				fy_document_destroy(keep);
			struct fy_node *hosts = jget(o, "spec.hostnames");
			for (size_t h = 0; h < jlen(hosts); h++)
				for (size_t r = 0; r < jlen(rules); r++) {
					struct fy_node *ms = jget(jat(rules, r), "matches");
					for (size_t m = 0; m < jlen(ms); m++)
						add_url(a, ad, https, jstr(jat(hosts, h), NULL), jstr(jat(ms, m), "path.value"));
					if (!jlen(ms))
						add_url(a, ad, https, jstr(jat(hosts, h), NULL), "/");
				}
		} else if (is(o, "VirtualService", "networking.istio.io/")) {
			struct fy_node *hosts = jget(o, "spec.hosts"), *http = jget(o, "spec.http");
			const char *gw = jstr(o, "spec.gateways.0");
			const char *slash = gw ? strchr(gw, '/') : NULL;
			struct fy_document *keep = NULL;
			struct fy_node *g = gw ? find_or_get(k, a, objs, n, "networking.istio.io/v1", "Gateway",
							     slash ? arena_strndup(a, gw, (size_t)(slash - gw)) : ns,
							     slash ? slash + 1 : gw, &keep, NULL) : NULL;
			struct fy_node *servers = jget(g, "spec.servers");
			for (size_t h = 0; h < jlen(hosts); h++) {
				const char *host = jstr(jat(hosts, h), NULL);
				bool https = false;
				for (size_t s = 0; host && s < jlen(servers); s++) {
					const char *proto = jstr(jat(servers, s), "port.protocol");
					if (proto && !strcmp(proto, "HTTPS") && in_list(jget(jat(servers, s), "hosts"), host))
						https = true;
				}
				for (size_t r = 0; r < jlen(http); r++) {
					if (jget(jat(http, r), "redirect"))
						continue;
					struct fy_node *ms = jget(jat(http, r), "match");
					for (size_t m = 0; m < jlen(ms); m++) {
						const char *p = jstr(jat(ms, m), "uri.exact");
						add_url(a, ad, https, host, p ? p : jstr(jat(ms, m), "uri.prefix"));
					}
				}
			}
			if (keep)
				fy_document_destroy(keep);
		}
	}
}

void service_address(struct kube *k, struct arena *a, struct fy_node **objs, size_t n, const char *ns,
		     long wait_ms, struct address *out)
{
	memset(out, 0, sizeof(*out));
	route_urls(k, a, objs, n, ns, out);
	const char *poll_s = getenv("HYSCALE_POLL_INTERVAL");
	long poll = poll_s && atof(poll_s) > 0 ? (long)(atof(poll_s) * 1000) : 2000;
	long end = kube_now_ms() + wait_ms;
	if (k->deadline_ms && k->deadline_ms < end)
		end = k->deadline_ms;   /* --timeout bounds the whole command */
	for (;;) {
		const char *placeholder = NULL;
		bool denied = false;
		const char *ip = look(k, a, objs, n, ns, &placeholder, &denied);
		if (ip || !placeholder) {
			out->ip = ip;
			return;
		}
		long left = end - kube_now_ms();
		if (left <= 0 || kube_interrupted || denied) {
			out->ip = placeholder;
			out->placeholder = true;
			return;
		}
		if (!kube_sleep(left < poll ? left : poll)) {
			out->ip = placeholder;
			out->placeholder = true;
			return;
		}
	}
}
