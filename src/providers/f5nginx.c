/* F5 NGINX Ingress Controller (nginx/kubernetes-ingress, provider f5-nginx): one Ingress
 * v1 with nginx.org annotations. Chosen over its VirtualServer resource because every
 * intent has an annotation that works on NGINX OSS (sticky-cookie-services since v5.4.0,
 * where VirtualServer's sessionCookie needs NGINX Plus), request headers need no snippet
 * (proxy-set-headers), and the Ingress stays the one shared Ingress builder. Prefixes are
 * written as Exact /p + Prefix /p/ so that /api never matches /apix. */
#include "provider.h"
#include <ctype.h>
#include <string.h>
#include "../util/sbuf.h"

#define NO "nginx.org/"

/* proxy-set-headers is "Name: value" items separated by commas, written into
 * proxy_set_header: a value with spaces is double-quoted; commas, quotes, '\', '$', ';',
 * '#' and braces would be read by the controller or by nginx, and are refused. */
static const char *f5_value(struct arena *a, const char *v, bool *ok)
{
	bool quote = false;
	*ok = *v != '\0';
	for (const char *p = v; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (strchr(",\"'\\$;{}#", c) || c < 0x20 || c == 0x7f)
			*ok = false;
		quote |= c == ' ';
	}
	return !*ok ? NULL : quote ? arena_printf(a, "\"%s\"", v) : v;
}

static size_t tls_backends(const struct routing *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->nbackends; i++)
		n += r->backends[i].proto == BACKEND_HTTPS;
	return n;
}

static void f5_plan(const struct routing *r, struct arena *a, struct planned *p)
{
	p->kind = "Ingress";
	p->name = arena_printf(a, "%s-ingress", r->base);
	if (r->tls_secret)
		kvl_add(a, &p->ann, NO "ssl-redirect", r->https_redirect ? "true" : "false");
	if (r->nheaders) {
		struct sbuf sb = SBUF_INIT;
		for (size_t i = 0; i < r->nheaders; i++) {
			bool ok;
			sb_join(&sb, ",", arena_printf(a, "%s: %s", r->headers[i].name, f5_value(a, r->headers[i].value, &ok)));
		}
		kvl_add(a, &p->ann, NO "proxy-set-headers", sb_to_arena(&sb, a));
	}
	if (r->sticky) {
		/* serviceName=<svc> <cookie> [expires=] [path=] [secure] [httponly], one per service. */
		kvl_add(a, &p->ann, NO "sticky-cookie-services",
			arena_printf(a, "serviceName=%s %s expires=%lds path=/%s httponly", r->service, r->cookie, r->cookie_ttl,
				     r->https_redirect ? " secure" : ""));
	}
	if (r->nbackends && tls_backends(r) == r->nbackends)
		kvl_add(a, &p->ann, NO "ssl-services", r->service);
}

static void f5_check(const struct routing *r, struct diags *d)
{
	bool bad = false;
	for (size_t i = 0; i < r->nheaders; i++) {
		bool ok;
		f5_value(d->arena, r->headers[i].value, &ok);
		if (!ok) {
			origin_error(d, r->headers[i].value_origin,
				     "nginx.org/proxy-set-headers cannot carry this value literally (commas separate its items; "
				     "quotes, '\\', '$', ';', '#' and braces would be read by nginx)");
			bad = true;
		}
	}
	if (bad)
		return;
	warn_ignored_labels(r, d);
	struct planned p = { 0 };
	f5_plan(r, d->arena, &p);
	check_annotation_overrides(r, d, &p, 1);
	size_t tls = tls_backends(r);
	for (size_t i = 0; tls && tls < r->nbackends && i < r->nbackends; i++)
		if (r->backends[i].proto == BACKEND_HTTPS)
			origin_warn(d, r->backends[i].origin,
				    "port %ld speaks TLS, but nginx.org/ssl-services names whole Services and this one also has "
				    "plain HTTP ports routed: it is sent plain HTTP", r->backends[i].port);
	if (r->sticky)
		origin_note(d, r->sticky_origin,
			    "nginx.org/sticky-cookie-services works on NGINX OSS from F5 NGINX Ingress Controller v5.4.0; "
			    "older releases need NGINX Plus (nginx.com/sticky-cookie-services)");
}

static void f5_emit(const struct routing *r, struct emit_ctx *c)
{
	struct planned p = { 0 };
	f5_plan(r, c->a, &p);
	annotate_planned(r, ingress_build(r, c, p.name, true, true), &p);
}

const struct provider provider_f5_nginx = {
	.name = "f5-nginx",
	.aliases = "nginx-inc f5-nic",
	.summary = "F5 NGINX Ingress Controller: Ingress v1 with nginx.org annotations (NGINX OSS)",
	.check = f5_check,
	.emit = f5_emit,
};
