/* HAProxy Kubernetes Ingress Controller (haproxytech/kubernetes-ingress, haproxy.org
 * annotations): one Ingress v1. Request headers without snippets (request-set-header),
 * the HTTP→HTTPS redirect with 301 like the other providers (its default is 302), TLS to
 * the backend (server-ssl), and cookie persistence, which this controller reads only
 * from the Service. */
#include "provider.h"
#include <string.h>
#include "../util/sbuf.h"

#define HA "haproxy.org/"

/* A header value in HAProxy's configuration is a log-format argument: '%' is "%%", and a
 * value with spaces is one double-quoted argument; quotes and '\' are refused. */
static const char *haproxy_value(struct arena *a, const char *v, bool *ok)
{
	struct sbuf sb = SBUF_INIT;
	bool quote = false;
	*ok = true;
	for (const char *p = v; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '"' || c == '\'' || c == '\\' || c < 0x20 || c == 0x7f)
			*ok = false;
		quote |= c == ' ' || c == '\t' || c == '#';
		if (c == '%')
			sb_addc(&sb, '%');
		sb_addc(&sb, (char)c);
	}
	const char *s = sb_to_arena(&sb, a);
	if (!*ok)
		return NULL;
	return quote ? arena_printf(a, "\"%s\"", s) : s ? s : "";
}

static void haproxy_plan(const struct routing *r, struct arena *a, struct planned *p)
{
	p->kind = "Ingress";
	p->name = arena_printf(a, "%s-ingress", r->base);
	if (r->tls_secret) {
		kvl_add(a, &p->ann, HA "ssl-redirect", r->https_redirect ? "true" : "false");
		if (r->https_redirect)
			kvl_add(a, &p->ann, HA "ssl-redirect-code", "301");
	}
	if (r->nheaders) {
		struct sbuf sb = SBUF_INIT;
		for (size_t i = 0; i < r->nheaders; i++) {
			bool ok;
			sb_addf(&sb, "%s %s\n", r->headers[i].name, haproxy_value(a, r->headers[i].value, &ok));
		}
		kvl_add(a, &p->ann, HA "request-set-header", sb_to_arena(&sb, a));
	}
	if (r->nbackends && routing_tls_backends(r) == r->nbackends)
		kvl_add(a, &p->ann, HA "server-ssl", "true");
}

static void haproxy_check(const struct routing *r, struct diags *d)
{
	if (!check_header_values(r, d, haproxy_value,
				 "haproxy.org/request-set-header writes the value into HAProxy's configuration: quotes, '\\' "
				 "and control characters cannot be passed literally"))
		return;
	check_planned_ingress(r, d, haproxy_plan);
	warn_mixed_tls_backends(r, d, "haproxy.org/server-ssl holds for a whole Ingress and this one also routes to "
				"plain HTTP ports");
	if (r->sticky && !r->has_service)
		origin_warn(d, r->sticky_origin,
			    "the HAProxy controller reads cookie-persistence from the Service, and this spec generates no Service");
	if (r->sticky && r->ttl_given)
		origin_warn(d, r->ttl_origin,
			    "haproxy.org/cookie-persistence has no lifetime: the cookie lasts for the browser session");
}

static void haproxy_emit(const struct routing *r, struct emit_ctx *c)
{
	emit_planned_ingress(r, c, haproxy_plan, true);
	if (r->sticky && c->service)
		manifest_annotate(c->service, HA "cookie-persistence", r->cookie);
}

const struct provider provider_haproxy = {
	.name = "haproxy",
	.aliases = "haproxytech",
	.summary = "HAProxy Kubernetes Ingress Controller: Ingress v1 with haproxy.org annotations, cookie on the Service",
	.check = haproxy_check,
	.emit = haproxy_emit,
};
