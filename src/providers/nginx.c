/* ingress-nginx: one Ingress v1, behaviour through nginx.ingress.kubernetes.io annotations.
 * Request headers need a configuration-snippet, which current controllers refuse unless
 * the admin allows snippets and raises the risk level: we emit it, quoted so a value can
 * never end the directive, and say so. */
#include "provider.h"
#include <ctype.h>
#include <string.h>
#include "../util/sbuf.h"

#define NG "nginx.ingress.kubernetes.io/"

/* ingress-nginx's strict-validate-path-type (default since v1.12) for Exact/Prefix. */
static bool nginx_path_ok(const char *p)
{
	for (; *p; p++)
		if (!(isalnum((unsigned char)*p) && (unsigned char)*p < 128) && !strchr("._-/", *p))
			return false;
	return true;
}

/* A header value written into proxy_set_header: bare when it is one harmless word,
 * double-quoted when it has spaces; refused when nginx would interpret it ($variables,
 * quotes, escapes, ';', braces). */
static const char *snippet_value(struct arena *a, const char *v, bool *ok)
{
	bool bare = true;
	*ok = true;
	for (const char *p = v; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (strchr("\"'\\$;{}#", c) || c < 0x20 || c == 0x7f) {
			*ok = false;
			return NULL;
		}
		if (!(isalnum(c) && c < 128) && !strchr("._~:/=+,@%*-", c))
			bare = false;
	}
	return bare ? v : arena_printf(a, "\"%s\"", v);
}

static bool header_name_ok(const char *n)
{
	/* HTTP allows quotes, '$' and '#' in a header name; nginx's parser would not read
	 * them as part of the name. */
	return strspn(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == strlen(n);
}

/* The Ingress's own annotations; the model passed nginx_check. */
static void nginx_plan(const struct routing *r, struct arena *a, struct planned *p)
{
	p->kind = "Ingress";
	p->name = arena_printf(a, "%s-ingress", r->base);
	struct kvl *k = &p->ann;
	if (r->tls_secret)
		kvl_add(a, k, NG "ssl-redirect", r->https_redirect ? "true" : "false");
	if (r->sticky) {
		kvl_add(a, k, NG "affinity", "cookie");
		kvl_add(a, k, NG "session-cookie-name", r->cookie);
		kvl_add(a, k, NG "session-cookie-max-age", arena_printf(a, "%ld", r->cookie_ttl));
		kvl_add(a, k, NG "session-cookie-expires", arena_printf(a, "%ld", r->cookie_ttl));
		/* The default cookie path is the matched location: "/" makes it cover the host. */
		kvl_add(a, k, NG "session-cookie-path", "/");
		/* Only HTTPS is served: the cookie need never travel in clear (as on Traefik). */
		if (r->https_redirect)
			kvl_add(a, k, NG "session-cookie-secure", "true");
	}
	if (r->nbackends && routing_tls_backends(r) == r->nbackends)
		kvl_add(a, k, NG "backend-protocol", "HTTPS");
	if (r->nheaders) {
		struct sbuf snip = SBUF_INIT;
		for (size_t i = 0; i < r->nheaders; i++) {
			bool ok;
			const char *v = snippet_value(a, r->headers[i].value, &ok);
			sb_addf(&snip, "proxy_set_header %s %s;\n", r->headers[i].name, v);
		}
		kvl_add(a, k, NG "configuration-snippet", sb_to_arena(&snip, a));
	}
}

static void nginx_check(const struct routing *r, struct diags *d)
{
	struct arena *a = d->arena;
	bool bad = false;
	for (size_t i = 0; i < r->nroutes; i++)
		if (!nginx_path_ok(r->routes[i].path)) {
			origin_error(d, r->routes[i].origin,
				     "'%s': ingress-nginx rejects Prefix/Exact paths with characters outside [A-Za-z0-9._-/] "
				     "(strict-validate-path-type, default since v1.12)", r->routes[i].path);
			bad = true;
		}
	for (size_t i = 0; i < r->nheaders; i++) {
		const struct hdr *h = &r->headers[i];
		bool ok;
		if (!header_name_ok(h->name)) {
			origin_error(d, h->name_origin, "ingress-nginx can only set headers named with letters, digits, '-' and '_' "
				     "(the name is written into a configuration snippet)");
			bad = true;
		} else if (snippet_value(a, h->value, &ok), !ok) {
			origin_error(d, h->value_origin,
				     "this value cannot be passed to nginx literally (quotes, '\\', '$', ';', '#' or braces "
				     "would be interpreted or could inject a directive); use another provider or a plain value");
			bad = true;
		}
	}
	if (bad)
		return;
	check_planned_ingress(r, d, nginx_plan);
	if (r->nheaders)
		origin_warn(d, r->headers_origin,
			    "ingress-nginx sets request headers only through the configuration-snippet annotation, "
			    "which the controller rejects unless its ConfigMap has allow-snippet-annotations: \"true\" "
			    "and annotations-risk-level: Critical");
	warn_mixed_tls_backends(r, d, "ingress-nginx sets backend-protocol for a whole Ingress and this one also "
				"routes to plain HTTP ports");
	origin_note(d, r->provider_origin,
		    "ingress-nginx is retired (no releases or security fixes after March 2026); provider gateway "
		    "renders the same block for any Gateway API implementation");
}

static void nginx_emit(const struct routing *r, struct emit_ctx *c)
{
	emit_planned_ingress(r, c, nginx_plan, false);
}

const struct provider provider_nginx = {
	.name = "nginx",
	.aliases = "ingress-nginx nginx-ingress",
	.summary = "ingress-nginx: Ingress v1 with nginx.ingress.kubernetes.io annotations",
	.check = nginx_check,
	.emit = nginx_emit,
};
