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
static const char *mw_ref(const struct routing *r, struct emit_ctx *c, const char *name)
{
	return arena_printf(c->a, "%s-%s@kubernetescrd", r->ns, name);
}

static void traefik_emit(const struct routing *r, struct emit_ctx *c)
{
	const char *hdr_mw = NULL, *redirect_mw = NULL;
	warn_ignored_labels(r, c);
	/* Middleware references have no namespace-relative form. */
	bool need_ns = !r->ns;
	if (need_ns && r->nheaders)
		diag_error(c->d, r->lb->headers.loc, "loadBalancer.headers",
			   "Traefik references the headers Middleware as <namespace>-<name>@kubernetescrd: "
			   "give the namespace with -n");
	if (need_ns && r->tls_secret && r->https_redirect)
		diag_error(c->d, r->lb->tls_secret.loc, "loadBalancer.tlsSecret",
			   "Traefik references the HTTPS redirect Middleware as <namespace>-<name>@kubernetescrd: "
			   "give the namespace with -n (or httpsRedirect: false)");
	if (need_ns && (r->nheaders || (r->tls_secret && r->https_redirect)))
		return;
	if (r->nheaders) {
		const char *name = arena_printf(c->a, "%s-headers", r->base);
		struct manifest *m = middleware(r, c, name);
		struct fy_node *h = yb_child_map(&m->yb, yb_child_map(&m->yb, yb_child_map(&m->yb, m->root, "spec"), "headers"),
						 "customRequestHeaders");
		for (size_t i = 0; i < r->nheaders; i++)
			yb_str(&m->yb, h, r->headers[i].name, r->headers[i].value);
		hdr_mw = mw_ref(r, c, name);
	}
	if (r->tls_secret && r->https_redirect) {
		const char *name = arena_printf(c->a, "%s-https-redirect", r->base);
		struct manifest *m = middleware(r, c, name);
		struct fy_node *rs = yb_child_map(&m->yb, yb_child_map(&m->yb, m->root, "spec"), "redirectScheme");
		yb_str(&m->yb, rs, "scheme", "https");
		yb_bool(&m->yb, rs, "permanent", true);
		redirect_mw = mw_ref(r, c, name);
	}

	struct manifest *main = ingress_build(r, c, arena_printf(c->a, "%s-ingress", r->base), true, true);
	manifest_annotate(main, TR "router.entrypoints", r->tls_secret ? "websecure" : "web");
	if (r->tls_secret)
		manifest_annotate(main, TR "router.tls", "true");
	if (hdr_mw)
		manifest_annotate(main, TR "router.middlewares", hdr_mw);
	annotations_passthrough(r, c, main);

	if (r->tls_secret) {
		/* router.tls on a web router would break plain HTTP: a separate router. */
		struct manifest *web = ingress_build(r, c, arena_printf(c->a, "%s-http-ingress", r->base), false, true);
		manifest_annotate(web, TR "router.entrypoints", "web");
		const char *mws = redirect_mw ? redirect_mw : hdr_mw;
		if (mws)
			manifest_annotate(web, TR "router.middlewares", mws);
		annotations_passthrough(r, c, web);
	}

	if (r->sticky && !c->service)
		diag_warn(c->d, r->lb->sticky.loc, "loadBalancer.sticky",
			  "Traefik reads stickiness from the Service's annotations, and this spec generates no Service");
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
	.emit = traefik_emit,
};
