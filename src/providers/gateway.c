/* Kubernetes Gateway API (gateway.networking.k8s.io/v1, Standard channel): the app's one
 * Gateway of class className (entrypoints.h) with an HTTP and, with TLS, an HTTPS listener
 * per host; each service's HTTPRoute pinned to its hosts' listeners by sectionName; with
 * TLS, a second route on the HTTP listeners whose rules redirect the service's paths to
 * https (a redirect rule may not have backends). sessionPersistence
 * exists only in the Experimental channel, so it is emitted only when asked for. */
#include "provider.h"
#include "../util/duration.h"
#include <string.h>

#define GW_MAX_HOSTNAMES 16
#define GW_MAX_RULES 16
#define GW_MAX_MATCHES 128   /* across all rules of one route */
#define GW_MAX_RULE_MATCHES 64
#define GW_MAX_HEADERS 16

static void parent_ref(struct yb *b, struct fy_node *refs, const struct routing *r, const char *gw,
		       const char *section)
{
	struct fy_node *p = yb_push_map(b, refs);
	yb_str(b, p, "name", gw);
	if (r->gateway_ref && r->gw_cross)
		yb_str(b, p, "namespace", r->gw_ns);
	if (section)
		yb_str(b, p, "sectionName", section);
}

static void hostnames(struct yb *b, struct fy_node *spec, const struct routing *r)
{
	struct fy_node *h = yb_child_seq(b, spec, "hostnames");
	for (size_t i = 0; i < r->nhosts; i++)
		yb_push_str(b, h, r->hosts[i]);
}

/* The app's Gateway has one listener per host and protocol, so that each host has its own
 * certificate and every service's route attaches by sectionName to its hosts only. */
static void listener(struct yb *b, struct fy_node *ls, struct arena *a, const struct ep_host *h, bool https)
{
	struct fy_node *l = yb_push_map(b, ls);
	yb_str(b, l, "name", ep_listener(a, https, h->host));
	yb_str(b, l, "protocol", https ? "HTTPS" : "HTTP");
	yb_int(b, l, "port", https ? 443 : 80);
	yb_str(b, l, "hostname", h->host);
	if (https) {
		struct fy_node *tls = yb_child_map(b, l, "tls");
		yb_str(b, tls, "mode", "Terminate");
		struct fy_node *ref = yb_push_map(b, yb_child_seq(b, tls, "certificateRefs"));
		yb_str(b, ref, "group", "");
		yb_str(b, ref, "kind", "Secret");
		yb_str(b, ref, "name", h->tls_secret);
	}
}

static void gateway_emit_shared(const struct ep_group *g, struct emit_ctx *c)
{
	struct manifest *m = manifest_new(c->ms, "gateway.networking.k8s.io/v1", "Gateway", g->name, g->ns, &g->labels);
	struct yb *b = &m->yb;
	struct fy_node *spec = yb_child_map(b, m->root, "spec");
	yb_str(b, spec, "gatewayClassName", g->class_name);
	struct fy_node *ls = yb_child_seq(b, spec, "listeners");
	for (size_t i = 0; i < g->nhosts; i++) {
		listener(b, ls, c->a, &g->hosts[i], false);
		if (g->hosts[i].tls_secret)
			listener(b, ls, c->a, &g->hosts[i], true);
	}
	for (size_t i = 0; i < g->annotations.n; i++)
		manifest_annotate(m, g->annotations.v[i].key, g->annotations.v[i].value);
}

/* The Experimental CRDs constrain header values to visible ASCII words separated by
 * single spaces or tabs: ^[!-~]+([\t ]?[!-~]+)*$ */
static bool experimental_header_value(const char *v)
{
	bool gap = false;
	if (!*v)
		return false;
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		bool vis = *p >= '!' && *p <= '~';
		if (!vis && (gap || (*p != ' ' && *p != '\t')))
			return false;
		gap = !vis;
	}
	return !gap;
}

static bool check_limits(const struct routing *r, struct diags *d)
{
	bool ok = true;
	for (size_t h = 0; r->gateway_experimental && h < r->nheaders; h++)
		if (!experimental_header_value(r->headers[h].value)) {
			origin_error(d, r->headers[h].value_origin,
				     "the Gateway API Experimental CRDs accept only visible ASCII words separated by single "
				     "spaces in header values");
			ok = false;
		}
	size_t matches = 0;
	for (size_t p = 0; p < r->nbackends; p++) {
		size_t per = 0;
		for (size_t i = 0; i < r->nroutes; i++)
			per += r->routes[i].port == r->backends[p].port;
		if (per > GW_MAX_RULE_MATCHES) {
			origin_error(d, r->mapping_origin, "port %ld has %zu paths; an HTTPRoute rule holds at most %d matches",
				     r->backends[p].port, per, GW_MAX_RULE_MATCHES);
			ok = false;
		}
		matches += per;
	}
	if (matches > GW_MAX_MATCHES) {
		origin_error(d, r->mapping_origin, "%zu paths; an HTTPRoute holds at most %d matches across its rules",
			     matches, GW_MAX_MATCHES);
		ok = false;
	}
	if (r->nbackends > GW_MAX_RULES) {
		origin_error(d, r->mapping_origin, "%zu ports; an HTTPRoute holds at most %d rules", r->nbackends, GW_MAX_RULES);
		ok = false;
	}
	if (r->nhosts > GW_MAX_HOSTNAMES) {
		origin_error(d, r->hosts_origin, "%zu hosts; an HTTPRoute holds at most %d hostnames", r->nhosts,
			     GW_MAX_HOSTNAMES);
		ok = false;
	}
	if (r->nheaders > GW_MAX_HEADERS) {
		origin_error(d, r->headers_origin, "%zu headers; RequestHeaderModifier sets at most %d", r->nheaders,
			     GW_MAX_HEADERS);
		ok = false;
	}
	return ok;
}

static void route_matches(struct yb *b, struct fy_node *rule, const struct routing *r, long port)
{
	struct fy_node *matches = yb_child_seq(b, rule, "matches");
	for (size_t i = 0; i < r->nroutes; i++) {
		if (r->routes[i].port != port)
			continue;
		struct fy_node *path = yb_child_map(b, yb_push_map(b, matches), "path");
		yb_str(b, path, "type", r->routes[i].exact ? "Exact" : "PathPrefix");
		yb_str(b, path, "value", r->routes[i].path);
	}
}

static void rule_for_port(const struct routing *r, struct emit_ctx *c, struct yb *b, struct fy_node *rules, long port)
{
	struct fy_node *rule = yb_push_map(b, rules);
	route_matches(b, rule, r, port);
	if (r->nheaders) {
		struct fy_node *f = yb_push_map(b, yb_child_seq(b, rule, "filters"));
		yb_str(b, f, "type", "RequestHeaderModifier");
		struct fy_node *set = yb_child_seq(b, yb_child_map(b, f, "requestHeaderModifier"), "set");
		for (size_t h = 0; h < r->nheaders; h++) {
			struct fy_node *e = yb_push_map(b, set);
			yb_str(b, e, "name", r->headers[h].name);
			yb_str(b, e, "value", r->headers[h].value);
		}
	}
	struct fy_node *be = yb_push_map(b, yb_child_seq(b, rule, "backendRefs"));
	yb_str(b, be, "name", r->service);
	yb_int(b, be, "port", port);
	if (r->sticky && r->gateway_experimental) {
		/* GEP-1619: rules must not share a session, so each port gets its own name. */
		struct fy_node *sp = yb_child_map(b, rule, "sessionPersistence");
		yb_str(b, sp, "sessionName", r->nbackends > 1 ? arena_printf(c->a, "%s-%ld", r->cookie, port) : r->cookie);
		yb_str(b, sp, "type", "Cookie");
		yb_str(b, sp, "absoluteTimeout", duration_text(c->a, r->cookie_ttl));
		yb_str(b, yb_child_map(b, sp, "cookieConfig"), "lifetimeType", "Permanent");
	}
}

/* Lets the shared gateway's namespace read our TLS Secret (and nothing else): the grant
 * lives beside the Secret. v1beta1 is served by every Gateway API release (v1 only from
 * v1.5). */
static void reference_grant(const struct routing *r, struct emit_ctx *c)
{
	struct manifest *m = manifest_new(c->ms, "gateway.networking.k8s.io/v1beta1", "ReferenceGrant",
					  arena_printf(c->a, "%s-tls-from-%s", r->base, r->gw_ns), r->ns, &r->labels);
	struct yb *b = &m->yb;
	struct fy_node *spec = yb_child_map(b, m->root, "spec");
	struct fy_node *from = yb_push_map(b, yb_child_seq(b, spec, "from"));
	yb_str(b, from, "group", "gateway.networking.k8s.io");
	yb_str(b, from, "kind", "Gateway");
	yb_str(b, from, "namespace", r->gw_ns);
	struct fy_node *to = yb_push_map(b, yb_child_seq(b, spec, "to"));
	yb_str(b, to, "group", "");
	yb_str(b, to, "kind", "Secret");
	yb_str(b, to, "name", r->tls_secret);
}

static bool is_impl(const struct routing *r, const char *name)
{
	return r->implementation && !strcmp(r->implementation, name);
}

/* Envoy Gateway: cookie affinity is consistent hashing on a cookie, a BackendTrafficPolicy
 * attached to the route (gateway.envoyproxy.io/v1alpha1). */
static void envoy_sticky(const struct routing *r, struct emit_ctx *c, const char *route)
{
	struct manifest *m = manifest_new(c->ms, "gateway.envoyproxy.io/v1alpha1", "BackendTrafficPolicy",
					  arena_printf(c->a, "%s-sticky", r->base), r->ns, &r->labels);
	struct yb *b = &m->yb;
	struct fy_node *spec = yb_child_map(b, m->root, "spec");
	struct fy_node *ref = yb_push_map(b, yb_child_seq(b, spec, "targetRefs"));
	yb_str(b, ref, "group", "gateway.networking.k8s.io");
	yb_str(b, ref, "kind", "HTTPRoute");
	yb_str(b, ref, "name", route);
	struct fy_node *lb = yb_child_map(b, spec, "loadBalancer");
	yb_str(b, lb, "type", "ConsistentHash");
	struct fy_node *ch = yb_child_map(b, lb, "consistentHash");
	yb_str(b, ch, "type", "Cookie");
	struct fy_node *ck = yb_child_map(b, ch, "cookie");
	yb_str(b, ck, "name", r->cookie);
	yb_str(b, ck, "ttl", duration_text(c->a, r->cookie_ttl));
	annotations_passthrough(r, m);
}

static void gateway_check(const struct routing *r, struct diags *d)
{
	if (!check_limits(r, d))
		return;
	warn_ignored_labels(r, d);
	if (!r->gateway_ref) {
		if (!r->class_name) {
			origin_error(d, r->class_origin,
				     "required for provider gateway: the GatewayClass of the Gateway to create "
				     "(or give loadBalancer.gateway to attach to an existing one)");
			return;
		}
	} else {
		if (r->class_name)
			origin_warn(d, r->class_origin,
				    "ignored with loadBalancer.gateway: gateway %s already has its GatewayClass", r->gw_label);
		bool cross = r->gw_cross;
		if (r->gw_grant && r->tls_secret && !cross)
			origin_warn(d, r->gw_grant_origin,
				    "has no effect: gateway %s is in namespace %s and reads Secret %s without a grant",
				    r->gw_label, r->ns_text, r->tls_secret);
		if (r->tls_secret && !cross)
			origin_warn(d, r->tls_origin,
				    "not emitted with loadBalancer.gateway: TLS is terminated by the listeners of gateway %s, "
				    "whose certificateRefs must name Secret %s", r->gw_label, r->tls_secret);
		else if (r->tls_secret && r->gw_grant)
			origin_warn(d, r->tls_origin,
				    "not emitted with loadBalancer.gateway: gateway %s terminates TLS; its listener's "
				    "certificateRefs must name {namespace: %s, name: %s} (the ReferenceGrant that allows it is generated)",
				    r->gw_label, r->ns_text, r->tls_secret);
		else if (r->tls_secret)
			/* A listener may use a Secret of another namespace only when that namespace
			 * grants it; the grant belongs to the Secret's owner, so we spell it out. */
			origin_warn(d, r->tls_origin,
				    "not emitted with loadBalancer.gateway: for gateway %s to terminate TLS with Secret %s/%s, "
				    "its listener's certificateRefs must name {namespace: %s, name: %s} and namespace %s needs a "
				    "ReferenceGrant (gateway.networking.k8s.io/v1beta1) with from: [{group: gateway.networking.k8s.io, "
				    "kind: Gateway, namespace: %s}] and to: [{group: \"\", kind: Secret, name: %s}] "
				    "(loadBalancer.gateway.referenceGrant: true generates it)",
				    r->gw_label, r->ns_text, r->tls_secret, r->ns_text, r->tls_secret, r->ns_text, r->gw_ns, r->tls_secret);
		if (cross)
			origin_warn(d, r->gw_ns_origin,
				    "gateway %s must allow routes from namespace %s (listeners[].allowedRoutes.namespaces; "
				    "the default is Same)", r->gw_label, r->ns_text);
	}
	for (size_t i = 0; !is_impl(r, "istio") && i < r->nbackends; i++)
		if (r->backends[i].proto == BACKEND_HTTPS)
			origin_warn(d, r->backends[i].origin,
				    "port %ld speaks TLS: the Gateway sends plain HTTP to it unless a BackendTLSPolicy "
				    "(gateway.networking.k8s.io/v1) targets {group: \"\", kind: Service, name: %s, sectionName: %ld-tcp} "
				    "with validation.hostname (the name in the backend's certificate) and caCertificateRefs (a ConfigMap "
				    "with ca.crt) or wellKnownCACertificates: System; hyscale does not know them",
				    r->backends[i].port, r->service, r->backends[i].port);
	if (r->sticky && r->gateway_experimental && r->nbackends > 1)
		origin_warn(d, r->cookie_origin,
			    "Gateway API rules must not share a session (GEP-1619): the cookie is named %s-<port> "
			    "in each of the %zu rules, one per port", r->cookie, r->nbackends);
	if (r->sticky && !r->gateway_experimental && !r->implementation)
		origin_warn(d, r->sticky_origin,
			    "Gateway API has session persistence only in its Experimental channel; not emitted "
			    "(pass --gateway-channel experimental if your cluster has the Experimental CRDs)");
}

/* The route's parents: the existing gateway (loadBalancer.gateway), or the app's Gateway's
 * listeners of this service's hosts, https (and http when it does not redirect) with TLS. */
static void parents(struct yb *b, struct fy_node *spec, const struct routing *r, struct arena *a, bool redirect)
{
	struct fy_node *refs = yb_child_seq(b, spec, "parentRefs");
	if (r->gateway_ref) {
		parent_ref(b, refs, r, r->gw_name, r->gw_section);
		return;
	}
	const char *gw = ep_gateway_name(a, "gateway", r->app_base);
	for (size_t i = 0; i < r->nhosts; i++) {
		if (redirect) {
			parent_ref(b, refs, r, gw, ep_listener(a, false, r->hosts[i]));
			continue;
		}
		if (r->tls_secret)
			parent_ref(b, refs, r, gw, ep_listener(a, true, r->hosts[i]));
		if (!r->https_redirect)
			parent_ref(b, refs, r, gw, ep_listener(a, false, r->hosts[i]));
	}
}

static void gateway_emit(const struct routing *r, struct emit_ctx *c)
{
	if (r->gateway_ref && r->gw_cross && r->tls_secret && r->gw_grant)
		reference_grant(r, c);
	struct manifest *rt = manifest_new(c->ms, "gateway.networking.k8s.io/v1", "HTTPRoute", r->base, r->ns, &r->labels);
	struct yb *b = &rt->yb;
	struct fy_node *spec = yb_child_map(b, rt->root, "spec");
	parents(b, spec, r, c->a, false);
	hostnames(b, spec, r);
	struct fy_node *rules = yb_child_seq(b, spec, "rules");
	for (size_t p = 0; p < r->nbackends; p++)
		rule_for_port(r, c, b, rules, r->backends[p].port);
	annotations_passthrough(r, rt);

	if (!r->gateway_ref && r->tls_secret && r->https_redirect) {
		/* Only this service's paths: the HTTP listener is shared with the other services of
		 * the host, and each one redirects what it serves. */
		struct manifest *rd = manifest_new(c->ms, "gateway.networking.k8s.io/v1", "HTTPRoute",
						   arena_printf(c->a, "%s-http-redirect", r->base), r->ns, &r->labels);
		struct yb *rb = &rd->yb;
		struct fy_node *rs = yb_child_map(rb, rd->root, "spec");
		parents(rb, rs, r, c->a, true);
		hostnames(rb, rs, r);
		struct fy_node *rrules = yb_child_seq(rb, rs, "rules");
		for (size_t p = 0; p < r->nbackends; p++) {
			struct fy_node *rule = yb_push_map(rb, rrules);
			route_matches(rb, rule, r, r->backends[p].port);
			struct fy_node *f = yb_push_map(rb, yb_child_seq(rb, rule, "filters"));
			yb_str(rb, f, "type", "RequestRedirect");
			struct fy_node *rr = yb_child_map(rb, f, "requestRedirect");
			yb_str(rb, rr, "scheme", "https");
			yb_int(rb, rr, "statusCode", 301);
		}
		annotations_passthrough(r, rd);
	}
	/* Inline sessionPersistence (Experimental) wins over policies (GEP-1619): only one. */
	bool policy_sticky = r->sticky && !r->gateway_experimental;
	if (policy_sticky && is_impl(r, "envoy-gateway"))
		envoy_sticky(r, c, r->base);
	if (is_impl(r, "istio"))
		istio_destination_rule(r, c, policy_sticky);
}

const struct provider provider_gateway = {
	.name = "gateway",
	.aliases = "gateway-api gatewayapi",
	.summary = "Kubernetes Gateway API v1: Gateway + HTTPRoute (Standard channel; sessions with --gateway-channel experimental)",
	.supports_gateway_ref = true,
	.has_implementations = true,
	.check = gateway_check,
	.emit = gateway_emit,
	.emit_shared = gateway_emit_shared,
};
