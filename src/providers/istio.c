/* Istio classic APIs (networking.istio.io/v1, GA since Istio 1.22): the app's one Gateway
 * selected by loadBalancer.labels (entrypoints.h), each service's VirtualService bound to
 * that exact Gateway, and a
 * DestinationRule with a cookie that has a TTL (without one Envoy never sets it). */
#include "provider.h"
#include "../util/duration.h"
#include <string.h>

/* One server per host and protocol: each host has its own certificate, and the servers of
 * one Gateway must not declare a host twice on a port. */
static void server(struct yb *b, struct fy_node *servers, struct arena *a, const struct ep_host *h, bool https)
{
	struct fy_node *s = yb_push_map(b, servers);
	struct fy_node *p = yb_child_map(b, s, "port");
	yb_int(b, p, "number", https ? 443 : 80);
	yb_str(b, p, "name", ep_listener(a, https, h->host));
	yb_str(b, p, "protocol", https ? "HTTPS" : "HTTP");
	yb_push_str(b, yb_child_seq(b, s, "hosts"), h->host);
	if (https) {
		struct fy_node *tls = yb_child_map(b, s, "tls");
		yb_str(b, tls, "mode", "SIMPLE");
		yb_str(b, tls, "credentialName", h->tls_secret);
	} else if (h->https_redirect) {
		yb_bool(b, yb_child_map(b, s, "tls"), "httpsRedirect", true);
	}
}

static void istio_emit_shared(const struct ep_group *g, struct emit_ctx *c)
{
	struct manifest *m = manifest_new(c->ms, "networking.istio.io/v1", "Gateway", g->name, g->ns, &g->labels);
	struct yb *b = &m->yb;
	struct fy_node *spec = yb_child_map(b, m->root, "spec");
	struct fy_node *sel = yb_child_map(b, spec, "selector");
	for (size_t i = 0; i < g->selector.n; i++)
		yb_str(b, sel, g->selector.v[i].key, g->selector.v[i].value);
	struct fy_node *servers = yb_child_seq(b, spec, "servers");
	for (size_t i = 0; i < g->nhosts; i++) {
		server(b, servers, c->a, &g->hosts[i], false);
		if (g->hosts[i].tls_secret)
			server(b, servers, c->a, &g->hosts[i], true);
	}
	for (size_t i = 0; i < g->annotations.n; i++)
		manifest_annotate(m, g->annotations.v[i].key, g->annotations.v[i].value);
}

static void uri(struct yb *b, struct fy_node *match, const char *kind, const char *v)
{
	yb_str(b, yb_child_map(b, yb_push_map(b, match), "uri"), kind, v);
}

static const char *gateway_name(const struct routing *r, struct arena *a)
{
	return ep_gateway_name(a, "istio", r->app_base);
}

static void istio_check(const struct routing *r, struct diags *d)
{
	struct arena *a = d->arena;
	if (r->class_name)
		origin_warn(d, r->class_origin, "ignored by provider istio: the ingress gateway is selected by loadBalancer.labels");
	if (r->gateway_ref) {
		const char *gw = r->gw_label;
		if (r->gw_labels.n)
			origin_warn(d, r->labels_origin, "ignored with loadBalancer.gateway: gateway %s already selects its pods", gw);
		if (r->tls_secret)
			origin_warn(d, r->tls_origin, "ignored with loadBalancer.gateway: TLS is configured on the shared gateway %s", gw);
		if (r->gw_cross)
			origin_warn(d, r->gw_ns_origin,
				    "gateway %s is in another namespace: the VirtualService must be exported to namespace %s "
				    "(exportTo; allowed by the mesh default \"*\" unless defaultVirtualServiceExportTo restricts it) "
				    "and the gateway's servers must list host %s", gw, r->gw_ns, r->nhosts ? r->hosts[0] : "");
		if (r->gw_grant)
			origin_warn(d, r->gw_grant_origin,
				    "ignored by provider istio: an Istio Gateway reads credentialName only from its own namespace");
		if (r->gw_section)
			origin_warn(d, r->gw_section_origin, "Istio VirtualServices bind to a whole Gateway; sectionName is ignored");
		return;
	}
	const char *name = gateway_name(r, a);
	/* istiod rejects a Gateway whose name is not a DNS label ("invalid gateway name"). */
	if (strlen(name) > 63) {
		origin_error(d, r->service_name,
			     "the Istio Gateway name '%s' would be longer than 63 characters (a DNS label); "
			     "shorten the app or environment name or attach to an existing gateway (loadBalancer.gateway)", name);
		return;
	}
	if (r->tls_secret)
		origin_warn(d, r->tls_origin,
			    "Istio reads credentialName '%s' from the namespace of the ingress gateway pods "
			    "(often istio-system), not from namespace %s", r->tls_secret, r->ns_text);
}

static void istio_emit(const struct routing *r, struct emit_ctx *c)
{
	const char *gw = r->gw_label;
	if (!r->gateway_ref) {
		/* A gateway name without namespace is the VirtualService's namespace. */
		const char *name = gateway_name(r, c->a);
		gw = r->ns ? arena_printf(c->a, "%s/%s", r->ns, name) : name;
	}

	struct manifest *vs = manifest_new(c->ms, "networking.istio.io/v1", "VirtualService",
					   arena_printf(c->a, "%s-istio-virtual-service", r->base), r->ns, &r->labels);
	struct yb *b = &vs->yb;
	struct fy_node *spec = yb_child_map(b, vs->root, "spec");
	struct fy_node *hosts = yb_child_seq(b, spec, "hosts");
	for (size_t i = 0; i < r->nhosts; i++)
		yb_push_str(b, hosts, r->hosts[i]);
	yb_push_str(b, yb_child_seq(b, spec, "gateways"), gw);
	struct fy_node *http = yb_child_seq(b, spec, "http");
	/* One rule per path, most specific first: Istio takes the first match. */
	for (size_t i = 0; i < r->nroutes; i++) {
		const struct route *rt = &r->routes[i];
		struct fy_node *rule = yb_push_map(b, http);
		struct fy_node *match = yb_child_seq(b, rule, "match");
		if (rt->exact) {
			uri(b, match, "exact", rt->path);
		} else if (!strcmp(rt->path, "/")) {
			uri(b, match, "prefix", "/");
		} else {
			/* uri.prefix is a string prefix: exact + "<p>/" keeps /api from matching /apix. */
			uri(b, match, "exact", rt->path);
			uri(b, match, "prefix", arena_printf(c->a, "%s/", rt->path));
		}
		if (r->nheaders) {
			struct fy_node *set = yb_child_map(b, yb_child_map(b, yb_child_map(b, rule, "headers"), "request"), "set");
			for (size_t h = 0; h < r->nheaders; h++)
				yb_str(b, set, r->headers[h].name, envoy_escape(c->a, r->headers[h].value));
		}
		struct fy_node *dest = yb_child_map(b, yb_push_map(b, yb_child_seq(b, rule, "route")), "destination");
		yb_str(b, dest, "host", r->service_host);
		yb_int(b, yb_child_map(b, dest, "port"), "number", rt->port);
	}
	annotations_passthrough(r, vs);

	istio_destination_rule(r, c, r->sticky);
}

const struct provider provider_istio = {
	.name = "istio",
	.summary = "Istio: networking.istio.io/v1 Gateway, VirtualService and (sticky, TLS backends) DestinationRule",
	.needs_labels = true,
	.supports_gateway_ref = true,
	.check = istio_check,
	.emit = istio_emit,
	.emit_shared = istio_emit_shared,
};
