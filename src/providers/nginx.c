/* ingress-nginx: one Ingress v1, behaviour through nginx.ingress.kubernetes.io annotations.
 * Request headers need a configuration-snippet, which current controllers refuse unless
 * the admin allows snippets and raises the risk level: we emit it, quoted so a value can
 * never end the directive, and say so. */
#include "provider.h"
#include <ctype.h>
#include <string.h>

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

static void nginx_emit(const struct routing *r, struct emit_ctx *c)
{
	const struct sloadbalancer *lb = r->lb;
	bool bad = false;
	for (size_t i = 0; i < r->nroutes; i++)
		if (!nginx_path_ok(r->routes[i].path)) {
			diag_error(c->d, r->routes[i].loc, r->routes[i].field,
				   "'%s': ingress-nginx rejects Prefix/Exact paths with characters outside [A-Za-z0-9._-/] "
				   "(strict-validate-path-type, default since v1.12)", r->routes[i].path);
			bad = true;
		}
	const char *snip = "";
	for (size_t i = 0; i < r->nheaders; i++) {
		/* HTTP allows quotes, '$' and '#' in a header name; nginx's parser would not
		 * read them as part of the name. */
		if (strspn(r->headers[i].name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") !=
		    strlen(r->headers[i].name)) {
			diag_error(c->d, r->headers[i].loc, arena_printf(c->a, "loadBalancer.headers.%s", r->headers[i].name),
				   "ingress-nginx can only set headers named with letters, digits, '-' and '_' "
				   "(the name is written into a configuration snippet)");
			bad = true;
			continue;
		}
		bool ok;
		const char *v = snippet_value(c->a, r->headers[i].value, &ok);
		if (!ok) {
			diag_error(c->d, lb->headers.v[i].vloc, arena_printf(c->a, "loadBalancer.headers.%s", r->headers[i].name),
				   "this value cannot be passed to nginx literally (quotes, '\\', '$', ';', '#' or braces "
				   "would be interpreted or could inject a directive); use another provider or a plain value");
			bad = true;
			continue;
		}
		snip = arena_printf(c->a, "%sproxy_set_header %s %s;\n", snip, r->headers[i].name, v);
	}
	if (bad)
		return;
	warn_ignored_labels(r, c);

	struct manifest *m = ingress_build(r, c, arena_printf(c->a, "%s-ingress", r->base), true, false);
	if (r->tls_secret)
		manifest_annotate(m, NG "ssl-redirect", r->https_redirect ? "true" : "false");
	if (r->sticky) {
		manifest_annotate(m, NG "affinity", "cookie");
		manifest_annotate(m, NG "session-cookie-name", r->cookie);
		manifest_annotate(m, NG "session-cookie-max-age", arena_printf(c->a, "%ld", r->cookie_ttl));
		manifest_annotate(m, NG "session-cookie-expires", arena_printf(c->a, "%ld", r->cookie_ttl));
		/* The default cookie path is the matched location: "/" makes it cover the host. */
		manifest_annotate(m, NG "session-cookie-path", "/");
		/* Only HTTPS is served: the cookie need never travel in clear (as on Traefik). */
		if (r->https_redirect)
			manifest_annotate(m, NG "session-cookie-secure", "true");
	}
	if (r->nheaders) {
		manifest_annotate(m, NG "configuration-snippet", snip);
		diag_warn(c->d, lb->headers.loc, "loadBalancer.headers",
			  "ingress-nginx sets request headers only through the configuration-snippet annotation, "
			  "which the controller rejects unless its ConfigMap has allow-snippet-annotations: \"true\" "
			  "and annotations-risk-level: Critical");
	}
	annotations_passthrough(r, c, m);
	diag_note(c->d, lb->provider.loc, "loadBalancer.provider",
		  "ingress-nginx is retired (no releases or security fixes after March 2026); provider gateway "
		  "renders the same block for any Gateway API implementation");
}

const struct provider provider_nginx = {
	.name = "nginx",
	.aliases = "ingress-nginx nginx-ingress",
	.summary = "ingress-nginx: Ingress v1 with nginx.ingress.kubernetes.io annotations",
	.emit = nginx_emit,
};
