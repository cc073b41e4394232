/* Traefik v3 (and v2.10+) through its Kubernetes Ingress provider: router annotations,
 * traefik.io Middlewares for request headers and the HTTPS redirect, and stickiness on
 * the Service, where Traefik's Ingress provider reads it. With TLS there are two
 * Ingresses: one router on websecure, one on web that redirects (or serves plain HTTP
 * when httpsRedirect is false). */
#include "provider.h"

#define TR "traefik.ingress.kubernetes.io/"

static struct manifest *middleware(const struct routing *r, struct emit_ctx *c, const char *name)
{
	return manifest_new(c->ms, "traefik.io/v1alpha1", "Middleware", name, r->ns, &r->labels);
}

/* Middleware references in annotations are <namespace>-<name>@kubernetescrd. */
static const char *mw_ref(const struct routing *r, struct arena *a, const char *name)
{
	return arena_printf(a, "%s-%s@kubernetescrd", r->ns, name);
}

static const char *headers_mw(const struct routing *r, struct arena *a)
{
	return arena_printf(a, "%s-headers", r->base);
}

static const char *redirect_mw(const struct routing *r, struct arena *a)
{
	return arena_printf(a, "%s-https-redirect", r->base);
}

/* The routers' annotations: [0] the main Ingress, [1] with TLS the one on web. */
static size_t traefik_plan(const struct routing *r, struct arena *a, struct planned p[2])
{
	const char *hdr = r->nheaders ? mw_ref(r, a, headers_mw(r, a)) : NULL;
	const char *redirect = r->tls_secret && r->https_redirect ? mw_ref(r, a, redirect_mw(r, a)) : NULL;
	p[0] = (struct planned){ "Ingress", arena_printf(a, "%s-ingress", r->base), { 0 } };
	kvl_add(a, &p[0].ann, TR "router.entrypoints", r->tls_secret ? "websecure" : "web");
	if (r->tls_secret)
		kvl_add(a, &p[0].ann, TR "router.tls", "true");
	if (hdr)
		kvl_add(a, &p[0].ann, TR "router.middlewares", hdr);
	if (!r->tls_secret)
		return 1;
	/* router.tls on a web router would break plain HTTP: a separate router. */
	p[1] = (struct planned){ "Ingress", arena_printf(a, "%s-http-ingress", r->base), { 0 } };
	kvl_add(a, &p[1].ann, TR "router.entrypoints", "web");
	if (redirect || hdr)
		kvl_add(a, &p[1].ann, TR "router.middlewares", redirect ? redirect : hdr);
	return 2;
}

static void traefik_check(const struct routing *r, struct diags *d)
{
	struct planned p[2];
	warn_ignored_labels(r, d);
	/* Middleware references have no namespace-relative form. */
	bool need_ns = !r->ns;
	if (need_ns && r->nheaders)
		origin_error(d, r->headers_origin,
			     "Traefik references the headers Middleware as <namespace>-<name>@kubernetescrd: "
			     "give the namespace with -n");
	if (need_ns && r->tls_secret && r->https_redirect)
		origin_error(d, r->tls_origin,
			     "Traefik references the HTTPS redirect Middleware as <namespace>-<name>@kubernetescrd: "
			     "give the namespace with -n (or httpsRedirect: false)");
	if (need_ns && (r->nheaders || (r->tls_secret && r->https_redirect)))
		return;
	check_annotation_overrides(r, d, p, traefik_plan(r, d->arena, p));
	warn_mixed_tls_backends(r, d, "Traefik reads the scheme from the Service annotation service.serversscheme, "
				"for all its ports, and this load balancer also routes to plain HTTP ports of it");
	for (size_t i = 0; !r->has_service && i < r->nbackends; i++)
		if (r->backends[i].proto == BACKEND_HTTPS)
			origin_warn(d, r->backends[i].origin,
				    "port %ld speaks TLS, but Traefik reads the scheme from the Service annotation "
				    "service.serversscheme, and this spec generates no Service: it is sent plain HTTP",
				    r->backends[i].port);
	if (r->sticky && !r->has_service)
		origin_warn(d, r->sticky_origin,
			    "Traefik reads stickiness from the Service's annotations, and this spec generates no Service");
}

static void traefik_emit(const struct routing *r, struct emit_ctx *c)
{
	if (r->nheaders) {
		struct manifest *m = middleware(r, c, headers_mw(r, c->a));
		struct fy_node *h = yb_child_map(&m->yb, yb_child_map(&m->yb, yb_child_map(&m->yb, m->root, "spec"), "headers"),
						 "customRequestHeaders");
		for (size_t i = 0; i < r->nheaders; i++)
			yb_str(&m->yb, h, r->headers[i].name, r->headers[i].value);
	}
	if (r->tls_secret && r->https_redirect) {
		struct manifest *m = middleware(r, c, redirect_mw(r, c->a));
		struct fy_node *rs = yb_child_map(&m->yb, yb_child_map(&m->yb, m->root, "spec"), "redirectScheme");
		yb_str(&m->yb, rs, "scheme", "https");
		yb_bool(&m->yb, rs, "permanent", true);
	}
	struct planned p[2];
	size_t n = traefik_plan(r, c->a, p);
	annotate_planned(r, ingress_build(r, c, p[0].name, true, true), &p[0]);
	if (n > 1)
		annotate_planned(r, ingress_build(r, c, p[1].name, false, true), &p[1]);

	if (c->service && r->nbackends && routing_tls_backends(r) == r->nbackends)
		manifest_annotate(c->service, TR "service.serversscheme", "https");
	if (r->sticky && c->service) {
		struct manifest *s = c->service;
		manifest_annotate(s, TR "service.sticky.cookie", "true");
		manifest_annotate(s, TR "service.sticky.cookie.name", r->cookie);
		manifest_annotate(s, TR "service.sticky.cookie.maxage", arena_printf(c->a, "%ld", r->cookie_ttl));
		manifest_annotate(s, TR "service.sticky.cookie.path", "/");
		manifest_annotate(s, TR "service.sticky.cookie.httponly", "true");
		if (r->tls_secret && r->https_redirect)
			manifest_annotate(s, TR "service.sticky.cookie.secure", "true");
	}
}

const struct provider provider_traefik = {
	.name = "traefik",
	.summary = "Traefik v3: Ingress v1 with router annotations, traefik.io Middlewares, sticky cookie on the Service",
	.check = traefik_check,
	.emit = traefik_emit,
};
