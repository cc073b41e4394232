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
	if (r->nbackends && routing_tls_backends(r) == r->nbackends)
		kvl_add(a, &p->ann, NO "ssl-services", r->service);
}

static void f5_check(const struct routing *r, struct diags *d)
{
	if (!check_header_values(r, d, f5_value,
				 "nginx.org/proxy-set-headers cannot carry this value literally (commas separate its items; "
				 "quotes, '\\', '$', ';', '#' and braces would be read by nginx)"))
		return;
	check_planned_ingress(r, d, f5_plan);
	warn_mixed_tls_backends(r, d, "nginx.org/ssl-services names whole Services and this one also has plain HTTP ports routed");
	if (r->sticky)
		origin_note(d, r->sticky_origin,
			    "nginx.org/sticky-cookie-services works on NGINX OSS from F5 NGINX Ingress Controller v5.4.0; "
			    "older releases need NGINX Plus (nginx.com/sticky-cookie-services)");
}

static void f5_emit(const struct routing *r, struct emit_ctx *c)
{
	emit_planned_ingress(r, c, f5_plan, true);
}

const struct provider provider_f5_nginx = {
	.name = "f5-nginx",
	.aliases = "nginx-inc f5-nic",
	.summary = "F5 NGINX Ingress Controller: Ingress v1 with nginx.org annotations (NGINX OSS)",
	.check = f5_check,
	.emit = f5_emit,
};
