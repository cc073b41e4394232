/* What several providers share beyond the Ingress (see provider.h). */
#include "provider.h"
#include <string.h>
#include "../util/duration.h"

/* Envoy reads header values as format strings: a literal '%' is "%%". */
const char *envoy_escape(struct arena *a, const char *v)
{
	if (!strchr(v, '%'))
		return v;
	size_t n = 0;
	for (const char *p = v; *p; p++)
		n += *p == '%' ? 2 : 1;
	char *o = arena_alloc(a, n + 1), *q = o;
	for (const char *p = v; *p; p++) {
		*q++ = *p;
		if (*p == '%')
			*q++ = '%';
	}
	return o;
}

/* The user's annotations go on last and win: they are the escape hatch for what the
 * model cannot say. Overriding one that hyscale generated is legitimate but risky, so
 * check() says it once per key (the first object that has it). */
void annotations_passthrough(const struct routing *r, struct manifest *m)
{
	for (size_t i = 0; i < r->annotations.n; i++)
		manifest_annotate(m, r->annotations.v[i].key, r->annotations.v[i].value);
}

void annotate_planned(const struct routing *r, struct manifest *m, const struct planned *p)
{
	for (size_t i = 0; i < p->ann.n; i++)
		manifest_annotate(m, p->ann.v[i].key, p->ann.v[i].value);
	annotations_passthrough(r, m);
}

void check_annotation_overrides(const struct routing *r, struct diags *d, const struct planned *objs, size_t n)
{
	for (size_t i = 0; i < r->annotations.n; i++)
		for (size_t o = 0; o < n; o++) {
			const char *old = kvl_get(&objs[o].ann, r->annotations.v[i].key);
			if (!old)
				continue;
			origin_warn(d, r->annotation_origins[i], "replaces the value hyscale generates for %s %s (%s)",
				    objs[o].kind, objs[o].name, old);
			break;
		}
}

void warn_ignored_labels(const struct routing *r, struct diags *d)
{
	if (r->gw_labels.n)
		origin_warn(d, r->labels_origin, "ignored by provider %s: labels select Istio ingress gateway pods",
			    r->provider);
}

static void sticky_cookie(const struct routing *r, struct emit_ctx *c, struct yb *b, struct fy_node *policy)
{
	struct fy_node *ck = yb_child_map(b, yb_child_map(b, yb_child_map(b, policy, "loadBalancer"), "consistentHash"),
					  "httpCookie");
	yb_str(b, ck, "name", r->cookie);
	yb_str(b, ck, "path", "/");
	yb_str(b, ck, "ttl", duration_text(c->a, r->cookie_ttl));
}

/* Cookie affinity and TLS origination to backend ports that speak TLS: one
 * DestinationRule per host. Port-level settings replace the destination-level policy
 * for their port (fields they omit take defaults), so the cookie is repeated there. Read by
 * Istio's own Gateway and by Istio as a Gateway API implementation. */
void istio_destination_rule(const struct routing *r, struct emit_ctx *c, bool sticky)
{
	bool tls = false;
	for (size_t i = 0; i < r->nbackends; i++)
		tls |= r->backends[i].proto == BACKEND_HTTPS;
	if (!sticky && !tls)
		return;
	struct manifest *dr = manifest_new(c->ms, "networking.istio.io/v1", "DestinationRule",
					   arena_printf(c->a, "%s-istio-destination-rule", r->base), r->ns, &r->labels);
	struct yb *b = &dr->yb;
	struct fy_node *ds = yb_child_map(b, dr->root, "spec");
	yb_str(b, ds, "host", r->service_host);
	struct fy_node *tp = yb_child_map(b, ds, "trafficPolicy");
	if (sticky)
		sticky_cookie(r, c, b, tp);
	struct fy_node *pls = tls ? yb_child_seq(b, tp, "portLevelSettings") : NULL;
	for (size_t i = 0; i < r->nbackends; i++) {
		if (r->backends[i].proto != BACKEND_HTTPS)
			continue;
		struct fy_node *pl = yb_push_map(b, pls);
		yb_int(b, yb_child_map(b, pl, "port"), "number", r->backends[i].port);
		if (sticky)
			sticky_cookie(r, c, b, pl);
		yb_str(b, yb_child_map(b, pl, "tls"), "mode", "SIMPLE");
	}
}

void warn_mixed_tls_backends(const struct routing *r, struct diags *d, const char *why)
{
	size_t tls = routing_tls_backends(r);
	for (size_t i = 0; tls && tls < r->nbackends && i < r->nbackends; i++)
		if (r->backends[i].proto == BACKEND_HTTPS)
			origin_warn(d, r->backends[i].origin, "port %ld speaks TLS, but %s: it is sent plain HTTP",
				    r->backends[i].port, why);
}

bool check_header_values(const struct routing *r, struct diags *d,
			 const char *(*value)(struct arena *a, const char *v, bool *ok), const char *why)
{
	bool good = true;
	for (size_t i = 0; i < r->nheaders; i++) {
		bool ok;
		value(d->arena, r->headers[i].value, &ok);
		if (!ok)
			origin_error(d, r->headers[i].value_origin, "%s", why);
		good &= ok;
	}
	return good;
}
