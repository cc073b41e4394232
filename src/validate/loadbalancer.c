/* loadBalancer checks shared by every provider: HyScale's own (required fields, ports
 * declared, external) and the ones it lacked (hosts, paths, headers, names). Provider
 * limits are warned about by each emitter. */
#include "validate.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "../providers/provider.h"
#include "../spec/yaml.h"
#include "../util/duration.h"
#include "../util/names.h"

const char *path_problem(const char *p)
{
	if (!*p)
		return "is empty";
	if (p[0] != '/')
		return "must start with '/'";
	if (strlen(p) > 1024)
		return "is longer than 1024 characters";
	if (strstr(p, "//"))
		return "must not contain '//'";
	if (strstr(p, "/./") || strstr(p, "/../"))
		return "must not contain '/./' or '/../'";
	size_t n = strlen(p);
	if ((n >= 2 && !strcmp(p + n - 2, "/.")) || (n >= 3 && !strcmp(p + n - 3, "/..")))
		return "must not end with '/.' or '/..'";
	if (strcasestr(p, "%2f"))
		return "must not contain an encoded slash '%2F'";
	for (const char *c = p; *c; c++) {
		unsigned char u = (unsigned char)*c;
		if (u == '%') {
			if (!isxdigit((unsigned char)c[1]) || !isxdigit((unsigned char)c[2]))
				return "has a '%' that does not start a %XX escape";
			c += 2;
			continue;
		}
		if (!(isalnum(u) && u < 128) && !strchr("-/._~!$&'()*+,;=:@", u))
			return u == '?' ? "must not contain a query ('?')"
			       : u == '#' ? "must not contain a fragment ('#')"
					  : "has a character that is not allowed in a URL path (write it as %XX)";
	}
	return NULL;
}

static void check_host(const char *h, struct loc l, const char *field, struct arena *a, struct diags *d)
{
	(void)a;
	const char *colon = strrchr(h, ':');
	if (colon && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1) && !strchr(h, ']') &&
	    memchr(h, ':', (size_t)(colon - h)) == NULL && !looks_like_ip(arena_strndup(a, h, (size_t)(colon - h)))) {
		diag_error(d, l, field, "'%s' has a port; give the host name only (the provider listens on 80/443)", h);
		return;
	}
	if (looks_like_ip(h) || (colon && looks_like_ip(arena_strndup(a, h, (size_t)(colon - h)))) || h[0] == '[') {
		diag_error(d, l, field, "'%s' is an IP address; Ingress and Gateway hosts must be DNS names", h);
		return;
	}
	bool upper = false;
	for (const char *c = h; *c; c++)
		upper |= isupper((unsigned char)*c) != 0;
	if (upper) {
		diag_error(d, l, field, "'%s' has upper-case letters; host names must be lower case", h);
		return;
	}
	if (!is_wildcard_dns_subdomain(h))
		diag_error(d, l, field,
			   "'%s' is not a valid host name (lower-case DNS name; a wildcard only as the whole first label, e.g. *.example.com)",
			   h);
}

static void check_kv_names(const struct skvs *kv, const char *path, bool label_values, struct arena *a,
			   struct diags *d)
{
	for (size_t i = 0; i < kv->n; i++) {
		const struct skv *e = &kv->v[i];
		const char *fp = arena_printf(a, "%s.%s", path, e->key);
		if (!is_label_key(e->key))
			diag_error(d, e->kloc, fp, "'%s' is not a valid Kubernetes %s key", e->key,
				   label_values ? "label" : "annotation");
		if (label_values && !is_label_value(e->value))
			diag_error(d, e->vloc, fp,
				   "'%s' is not a valid label value (at most 63 of [A-Za-z0-9._-], alphanumeric at both ends)",
				   e->value);
	}
}

/* ingress-nginx's snippet annotations (configuration-, server-, stream-, auth-,
 * modsecurity-snippet, "Critical" in its annotations-risk table) hand raw nginx
 * configuration to the controller, which runs it for every host it serves
 * (CVE-2021-25742); NGINX Inc.'s controller has nginx.org/...-snippets. Passed through as
 * given, but never without a word, as for headers. */
static bool is_snippet_annotation(const char *k)
{
	static const char *const prefixes[] = { "nginx.ingress.kubernetes.io/", "nginx.org/", NULL };
	for (const char *const *p = prefixes; *p; p++) {
		size_t pl = strlen(*p), n = strlen(k);
		if (n > pl && !strncmp(k, *p, pl) &&
		    ((n >= pl + 7 && !strcmp(k + n - 7, "snippet")) || (n >= pl + 8 && !strcmp(k + n - 8, "snippets"))))
			return true;
	}
	return false;
}


static void check_annotations(const struct skvs *kv, struct arena *a, struct diags *d)
{
	size_t total = 0;
	bool over = false;
	for (size_t i = 0; i < kv->n; i++) {
		const struct skv *e = &kv->v[i];
		const char *fp = arena_printf(a, "loadBalancer.annotations.%s", e->key);
		if (is_snippet_annotation(e->key))
			diag_warn(d, e->kloc, fp,
				  "a snippet annotation is raw nginx configuration, run by the controller for every host it "
				  "serves; ingress-nginx refuses it unless its ConfigMap sets allow-snippet-annotations: \"true\" "
				  "and annotations-risk-level: Critical. Review it, or use a provider without snippets");
		total += strlen(e->key) + strlen(e->value);
		if (total > HS_MAX_ANNOTATION_BYTES && !over) {
			over = true;
			diag_error(d, e->kloc, fp,
				   "annotations reach %zu bytes here, over the API server's limit of %u bytes (keys and values) "
				   "per object", total, HS_MAX_ANNOTATION_BYTES);
		}
	}
}

static void check_headers(const struct skvs *h, struct arena *a, struct diags *d)
{
	for (size_t i = 0; i < h->n; i++) {
		const struct skv *e = &h->v[i];
		const char *fp = arena_printf(a, "loadBalancer.headers.%s", e->key);
		if (!is_http_token(e->key)) {
			diag_error(d, e->kloc, fp, "'%s' is not a valid HTTP header name (letters, digits and !#$%%&'*+-.^_`|~)",
				   e->key);
			continue;
		}
		if (strlen(e->key) > 256)
			diag_error(d, e->kloc, fp, "header names are limited to 256 characters");
		if (!strcasecmp(e->key, "host") || !strcasecmp(e->key, "content-length") ||
		    !strcasecmp(e->key, "transfer-encoding") || !strcasecmp(e->key, "connection"))
			diag_error(d, e->kloc, fp, "'%s' is managed by the proxy and cannot be set as a request header", e->key);
		for (size_t j = 0; j < i; j++)
			if (!strcasecmp(h->v[j].key, e->key))
				diag_error(d, e->kloc, fp, "header '%s' is set twice (header names are case-insensitive)", e->key);
		const char *v = e->value;
		size_t n = strlen(v);
		if (!n) {
			diag_error(d, e->vloc, fp, "empty header value (several providers would delete the header instead)");
			continue;
		}
		if (n > 4096)
			diag_error(d, e->vloc, fp, "header values are limited to 4096 characters");
		if (isspace((unsigned char)v[0]) || isspace((unsigned char)v[n - 1]))
			diag_error(d, e->vloc, fp, "header value has leading or trailing white space, which HTTP strips");
		for (const char *c = v; *c; c++) {
			unsigned char u = (unsigned char)*c;
			if ((u < 0x20 && u != '\t') || u == 0x7f) {
				diag_error(d, e->vloc, fp, "header value contains a control character (%s)",
					   u == '\n' || u == '\r' ? "CR/LF would split the header" : "not allowed in HTTP");
				break;
			}
		}
	}
}

static bool is_cookie_name(const char *s)
{
	/* RFC 6265 token, narrowed to what ingress-nginx accepts for session-cookie-name. */
	if (!*s || strlen(s) > 128)
		return false;
	for (; *s; s++)
		if (!(isalnum((unsigned char)*s) && (unsigned char)*s < 128) && !strchr("-._~", *s))
			return false;
	return true;
}

static void check_mapping(const struct spec *s, struct arena *a, struct diags *d)
{
	const struct sloadbalancer *lb = &s->lb;
	for (size_t i = 0; i < lb->nmapping; i++) {
		const struct smapping *m = &lb->mapping[i];
		const char *mp = arena_printf(a, "loadBalancer.mapping[%zu]", i);
		if (!m->has_port) {
			diag_error(d, m->loc, arena_printf(a, "%s.port", mp), "missing required field: each mapping needs the port its paths go to");
		} else if (m->port.valid) {
			const char *pp = arena_printf(a, "%s.port", mp);
			bool found = false, udp = false;
			/* HyScale also accepts agent (sidecar) ports: they are ports of the same Service. */
			for (size_t k = 0; k <= s->nagents; k++) {
				const struct sports *ps = k == 0 ? &s->ports : &s->agents[k - 1].ports;
				for (size_t j = 0; j < ps->n; j++) {
					const struct sport *p = &ps->v[j];
					if (p->valid && p->number == m->port.number) {
						if (p->proto == PROTO_UDP)
							udp = true;
						else
							found = true;
					}
				}
			}
			if (m->port.proto == PROTO_UDP)
				diag_error(d, m->port.loc, pp, "'%s': HTTP routing cannot reach a UDP port", m->port.raw);
			else if (!found)
				diag_error(d, m->port.loc, pp,
					   udp ? "port %ld is declared as UDP in ports; HTTP routing needs a TCP port"
					       : "port %ld is not declared in ports; the load balancer can only route to ports of this service",
					   m->port.number);
		}
		/* An empty list; items that were invalid have their own errors. */
		if (!m->has_paths || m->paths_given == 0)
			diag_error(d, m->loc, arena_printf(a, "%s.contextPaths", mp),
				   "at least one context path is required (e.g. /)");
		for (size_t j = 0; j < m->npaths; j++) {
			const struct spath *p = &m->paths[j];
			const char *pf = arena_printf(a, "%s.contextPaths[%zu]", mp, j);
			const char *why = path_problem(p->path);
			if (why) {
				diag_error(d, p->loc, pf, "'%s' %s", p->path, why);
				continue;
			}
			/* Same path twice: a prefix "/a/" is "/a" for segment matching. */
			size_t pl = strlen(p->path);
			while (pl > 1 && p->path[pl - 1] == '/' && !p->exact)
				pl--;
			for (size_t k = 0; k <= i; k++) {
				const struct smapping *o = &lb->mapping[k];
				for (size_t q = 0; q < (k == i ? j : o->npaths); q++) {
					const struct spath *op = &o->paths[q];
					size_t ol = strlen(op->path);
					while (ol > 1 && op->path[ol - 1] == '/' && !op->exact)
						ol--;
					if (op->exact != p->exact || ol != pl || strncmp(op->path, p->path, pl))
						continue;
					bool same_port = o->port.valid && m->port.valid && o->port.number == m->port.number;
					if (same_port)
						diag_warn(d, p->loc, pf, "'%s' is already routed by loadBalancer.mapping[%zu]", p->path, k);
					else
						diag_error(d, p->loc, pf, "'%s' is already routed to another port by loadBalancer.mapping[%zu]",
							   p->path, k);
					/* Once per path: n copies of a path must not make n² messages. */
					goto next_path;
				}
			}
		next_path:;
		}
	}
}

void validate_loadbalancer(const struct spec *s, const char *provider_override, struct arena *a, struct diags *d)
{
	const struct sloadbalancer *lb = &s->lb;
	if (!lb->set)
		return;
	const struct provider *prov = NULL;
	if (provider_override)
		prov = provider_find(provider_override);
	else if (!lb->provider.v)
		diag_error(d, lb->loc, "loadBalancer.provider", "missing required field; one of %s", provider_names(a));
	else if (!(prov = provider_find(lb->provider.v)))
		diag_error(d, lb->provider.loc, "loadBalancer.provider", "unknown provider '%s'; supported: %s",
			   lb->provider.v, provider_names(a));

	if (!lb->host.v && lb->nhosts == 0)
		diag_error(d, lb->loc, "loadBalancer.host", "missing required field: the host name to route");
	if (lb->host.v)
		check_host(lb->host.v, lb->host.loc, "loadBalancer.host", a, d);
	for (size_t i = 0; i < lb->nhosts; i++) {
		const char *f = arena_printf(a, "loadBalancer.hosts[%zu]", i);
		check_host(lb->hosts[i].v, lb->hosts[i].loc, f, a, d);
		if (lb->host.v && !strcmp(lb->host.v, lb->hosts[i].v))
			diag_warn(d, lb->hosts[i].loc, f, "'%s' repeats loadBalancer.host", lb->hosts[i].v);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(lb->hosts[j].v, lb->hosts[i].v))
				diag_warn(d, lb->hosts[i].loc, f, "'%s' is listed twice", lb->hosts[i].v);
	}
	if (!lb->has_mapping)
		diag_error(d, lb->loc, "loadBalancer.mapping", "missing required field: the paths to route and their ports");
	else if (lb->nmapping == 0)
		diag_error(d, lb->mapping_loc, "loadBalancer.mapping", "at least one mapping is required");
	/* The duplicate-path check below compares every pair of paths (issue #6: hostile
	 * input must not hang the tool), so the number of routes is bounded first. */
	size_t routes = 0;
	for (size_t i = 0; i < lb->nmapping; i++)
		routes += lb->mapping[i].npaths;
	/* Providers write a rule per host and path (an Ingress rule per host, each with every
	 * path; Traefik and Istio match each pair): 1,000 × 1,000 took 109 s and 10 GB. */
	size_t nhosts = lb->nhosts + (lb->host.v ? 1 : 0);
	if (routes <= HS_MAX_ROUTES && nhosts * routes > HS_MAX_HOST_ROUTES)
		diag_error(d, lb->nhosts ? lb->hosts_loc : lb->host.loc, lb->nhosts ? "loadBalancer.hosts" : "loadBalancer.host",
			   "%zu hosts × %zu context paths = %zu routes, over the limit of %u per service (the objects "
			   "would exceed what an API server stores); split the hosts over several services",
			   nhosts, routes, nhosts * routes, HS_MAX_HOST_ROUTES);
	if (routes > HS_MAX_ROUTES)
		diag_error(d, lb->mapping_loc, "loadBalancer.mapping", "%zu context paths, over the limit of %u per service",
			   routes, HS_MAX_ROUTES);
	else
		check_mapping(s, a, d);

	if (lb->tls_secret.v && !is_dns_subdomain(lb->tls_secret.v))
		diag_error(d, lb->tls_secret.loc, "loadBalancer.tlsSecret", "'%s' is not a valid Secret name (lower-case DNS name)",
			   lb->tls_secret.v);
	if (lb->class_name.v && !is_dns_subdomain(lb->class_name.v))
		diag_error(d, lb->class_name.loc, "loadBalancer.className", "'%s' is not a valid class name (lower-case DNS name)",
			   lb->class_name.v);
	if (lb->https_redirect.set && lb->https_redirect.v && !lb->tls_secret.v)
		diag_warn(d, lb->https_redirect.loc, "loadBalancer.httpsRedirect",
			  "has no effect without tlsSecret: there is no HTTPS listener to redirect to");
	if (lb->sticky_cookie.v && !is_cookie_name(lb->sticky_cookie.v))
		diag_error(d, lb->sticky_cookie.loc, "loadBalancer.sticky.cookie",
			   "'%s' is not a valid cookie name (letters, digits, '-', '.', '_', '~'; at most 128)", lb->sticky_cookie.v);
	if (lb->sticky_ttl.v) {
		long t = duration_seconds(lb->sticky_ttl.v);
		if (t < 1)
			diag_error(d, lb->sticky_ttl.loc, "loadBalancer.sticky.ttl",
				   "'%s' is not a positive duration (e.g. 3600, 90s, 30m, 1h30m; at most 10 years)", lb->sticky_ttl.v);
	}
	check_headers(&lb->headers, a, d);
	check_kv_names(&lb->labels, "loadBalancer.labels", true, a, d);
	check_kv_names(&lb->annotations, "loadBalancer.annotations", false, a, d);
	check_annotations(&lb->annotations, a, d);
	if (lb->gateway.set) {
		const struct sgatewayref *g = &lb->gateway;
		if (!g->name.v)
			diag_error(d, g->loc, "loadBalancer.gateway.name", "missing required field: the gateway to attach to");
		else if (!is_dns_subdomain(g->name.v))
			diag_error(d, g->name.loc, "loadBalancer.gateway.name", "'%s' is not a valid object name", g->name.v);
		if (g->ns.v && !is_dns_label(g->ns.v))
			diag_error(d, g->ns.loc, "loadBalancer.gateway.namespace", "'%s' is not a valid namespace name", g->ns.v);
		if (g->reference_grant.set && g->reference_grant.v && !lb->tls_secret.v)
			diag_warn(d, g->reference_grant.loc, "loadBalancer.gateway.referenceGrant",
				  "has no effect without tlsSecret: it lets the gateway read that Secret");
		if (g->section.v && !is_dns_subdomain(g->section.v))
			diag_error(d, g->section.loc, "loadBalancer.gateway.sectionName", "'%s' is not a valid section name", g->section.v);
	}
	if (prov && prov->needs_labels && lb->labels.n == 0 && !lb->gateway.set)
		diag_error(d, lb->loc, "loadBalancer.labels",
			   "required for provider %s: the labels that select the ingress gateway pods (e.g. istio: ingressgateway)",
			   prov->name);
	/* The implementations whose policy objects the gateway provider emits. */
	if (lb->implementation.v && strcmp(lb->implementation.v, "envoy-gateway") && strcmp(lb->implementation.v, "istio"))
		diag_error(d, lb->implementation.loc, "loadBalancer.implementation",
			   "unknown Gateway API implementation '%s'; supported: envoy-gateway, istio", lb->implementation.v);
	else if (lb->implementation.v && prov && !prov->has_implementations)
		diag_warn(d, lb->implementation.loc, "loadBalancer.implementation",
			  "ignored by provider %s: it names the Gateway API implementation behind the GatewayClass", prov->name);
	if (prov && !prov->supports_gateway_ref && lb->gateway.set)
		diag_error(d, lb->gateway.loc, "loadBalancer.gateway", "provider %s has no shared gateway; use istio or gateway",
			   prov->name);
	if (!s->external.set || !s->external.v)
		diag_error(d, s->external.set ? s->external.loc : lb->loc, "external",
			   "a loadBalancer block requires external: true (the service is exposed through the load balancer)");
}
