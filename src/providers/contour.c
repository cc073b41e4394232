/* Contour: one root HTTPProxy (projectcontour.io/v1) per host, since a virtualhost has one
 * fqdn. HTTPProxy prefix conditions are string prefixes, so a prefix /p is two routes,
 * exact /p and prefix /p/ (segment matching, as the other providers). With TLS Contour
 * redirects plain HTTP itself (301); httpsRedirect: false is permitInsecure on every
 * route. Sticky sessions are Contour's fixed cookie (X-Contour-Session-Affinity, a
 * session cookie): a name or lifetime from the spec is said to be lost. */
#include "provider.h"
#include <string.h>

#define CONTOUR_COOKIE "X-Contour-Session-Affinity"

static const char *proxy_name(const struct routing *r, struct arena *a, size_t host)
{
	if (r->nhosts == 1)
		return arena_printf(a, "%s-httpproxy", r->base);
	const char *h = r->hosts[host];
	const char *rest = strncmp(h, "*.", 2) ? h : h + 2;
	char *n = arena_printf(a, "%s-%s%s-httpproxy", r->base, rest == h ? "" : "wildcard-", rest);
	for (char *p = n; *p; p++)
		if (*p == '.')
			*p = '-';
	return n;
}

static void contour_check(const struct routing *r, struct diags *d)
{
	if (!r->nhosts) {
		origin_error(d, r->block, "Contour routes by virtualhost.fqdn: give loadBalancer.host");
		return;
	}
	for (size_t h = 0; h < r->nhosts; h++)
		if (strlen(proxy_name(r, d->arena, h)) > 253)
			origin_error(d, r->hosts_origin, "the HTTPProxy name for host %s would be longer than 253 characters",
				     r->hosts[h]);
	warn_ignored_labels(r, d);
	if (r->sticky && r->cookie_given)
		origin_warn(d, r->cookie_origin, "Contour's sticky cookie is always named %s"
			    " (loadBalancerPolicy strategy Cookie has no name); '%s' is not used", CONTOUR_COOKIE, r->cookie);
	if (r->sticky && r->ttl_given)
		origin_warn(d, r->ttl_origin, "Contour's sticky cookie is a session cookie; the lifetime is not configurable");
}

static void route(const struct routing *r, struct emit_ctx *c, struct yb *b, struct fy_node *routes,
		  const struct route *rt, const char *kind, const char *path)
{
	struct fy_node *ro = yb_push_map(b, routes);
	yb_str(b, yb_push_map(b, yb_child_seq(b, ro, "conditions")), kind, path);
	struct fy_node *svc = yb_push_map(b, yb_child_seq(b, ro, "services"));
	yb_str(b, svc, "name", r->service);
	yb_int(b, svc, "port", rt->port);
	const struct backend *be = routing_backend(r, rt->port);
	if (be && be->proto == BACKEND_HTTPS)
		yb_str(b, svc, "protocol", "tls");
	if (r->tls_secret && !r->https_redirect)
		yb_bool(b, ro, "permitInsecure", true);
	if (r->sticky)
		yb_str(b, yb_child_map(b, ro, "loadBalancerPolicy"), "strategy", "Cookie");
	if (r->nheaders) {
		struct fy_node *set = yb_child_seq(b, yb_child_map(b, ro, "requestHeadersPolicy"), "set");
		for (size_t i = 0; i < r->nheaders; i++) {
			struct fy_node *e = yb_push_map(b, set);
			yb_str(b, e, "name", r->headers[i].name);
			yb_str(b, e, "value", envoy_escape(c->a, r->headers[i].value));
		}
	}
}

static void contour_emit(const struct routing *r, struct emit_ctx *c)
{
	for (size_t h = 0; h < r->nhosts; h++) {
		struct manifest *m = manifest_new(c->ms, "projectcontour.io/v1", "HTTPProxy", proxy_name(r, c->a, h), r->ns,
						  &r->labels);
		struct yb *b = &m->yb;
		struct fy_node *spec = yb_child_map(b, m->root, "spec");
		if (r->class_name)
			yb_str(b, spec, "ingressClassName", r->class_name);
		struct fy_node *vh = yb_child_map(b, spec, "virtualhost");
		yb_str(b, vh, "fqdn", r->hosts[h]);
		if (r->tls_secret)
			yb_str(b, yb_child_map(b, vh, "tls"), "secretName", r->tls_secret);
		struct fy_node *routes = yb_child_seq(b, spec, "routes");
		for (size_t i = 0; i < r->nroutes; i++) {
			const struct route *rt = &r->routes[i];
			if (rt->exact) {
				route(r, c, b, routes, rt, "exact", rt->path);
			} else if (!strcmp(rt->path, "/")) {
				route(r, c, b, routes, rt, "prefix", "/");
			} else {
				route(r, c, b, routes, rt, "exact", rt->path);
				route(r, c, b, routes, rt, "prefix", arena_printf(c->a, "%s/", rt->path));
			}
		}
		annotations_passthrough(r, m);
	}
}

const struct provider provider_contour = {
	.name = "contour",
	.summary = "Contour: projectcontour.io/v1 HTTPProxy, one root proxy per host",
	.check = contour_check,
	.emit = contour_emit,
};
