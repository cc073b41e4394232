/* Routing model (see routing.h). */
#include "routing.h"
#include <stdlib.h>
#include <string.h>
#include "../util/names.h"
#include "../util/duration.h"
#include "options.h"
#include "service.h"

/* Longer paths first so first-match providers pick the most specific route; at equal
 * paths exact before prefix; then by text for a stable order. */
static int cmp_route(const void *x, const void *y)
{
	const struct route *a = x, *b = y;
	size_t la = strlen(a->path), lb = strlen(b->path);
	if (la != lb)
		return la > lb ? -1 : 1;
	int c = strcmp(a->path, b->path);
	if (c)
		return c;
	if (a->exact != b->exact)
		return a->exact ? -1 : 1;
	return 0;
}

static struct origin at(struct loc l, const char *field)
{
	struct origin o = { l, field };
	return o;
}

void routing_build(struct routing *r, const struct svc_model *svc, const char *provider,
		   const struct run_opts *o, struct arena *a)
{
	const struct sloadbalancer *lb = &svc->spec->lb;
	memset(r, 0, sizeof(*r));
	r->provider = provider;
	r->ns = svc->ns;
	r->ns_text = svc->ns ? svc->ns : "<namespace>";
	r->service = svc->name;
	r->service_host = svc->ns ? arena_printf(a, "%s.%s.svc.cluster.local", svc->name, svc->ns) : svc->name;
	const char *env = name_normalize(a, svc->env);
	r->base = *env ? arena_printf(a, "%s-%s", env, svc->name) : svc->name;
	r->app = svc->app_obj;
	r->env = env;
	r->app_base = *env ? arena_printf(a, "%s-%s", env, svc->app_obj) : svc->app_obj;
	r->block = at(lb->loc, "loadBalancer");
	r->provider_origin = at(lb->provider.loc, "loadBalancer.provider");
	r->service_name = at(svc->spec->name.loc, "name");
	r->gateway_experimental = o->gateway_experimental;
	r->implementation = lb->implementation.v;
	r->implementation_origin = at(lb->implementation.loc, "loadBalancer.implementation");
	size_t nports = svc->nports;
	for (size_t i = 0; i < svc->pod.nagents; i++)
		nports += svc->pod.agents[i].nports;
	r->has_service = nports > 0;   /* as build_service decides */

	r->host_origins = arena_alloc(a, (lb->nhosts + 2) * sizeof(*r->host_origins));
	size_t hcap = 0;
	if (lb->host.v) {
		r->host_origins[r->nhosts] = at(lb->host.loc, "loadBalancer.host");
		*ARENA_PUSH(a, r->hosts, r->nhosts, hcap) = lb->host.v;
	}
	for (size_t i = 0; i < lb->nhosts; i++) {
		bool dup = false;
		for (size_t j = 0; j < r->nhosts; j++)
			dup |= !strcmp(r->hosts[j], lb->hosts[i].v);
		if (dup)
			continue;
		r->host_origins[r->nhosts] = at(lb->hosts[i].loc, arena_printf(a, "loadBalancer.hosts[%zu]", i));
		*ARENA_PUSH(a, r->hosts, r->nhosts, hcap) = lb->hosts[i].v;
	}
	r->hosts_origin = at(lb->hosts_loc, "loadBalancer.hosts");
	r->tls_secret = lb->tls_secret.v && *lb->tls_secret.v ? lb->tls_secret.v : NULL;
	r->tls_origin = at(lb->tls_secret.loc, "loadBalancer.tlsSecret");
	r->https_redirect = r->tls_secret && !(lb->https_redirect.set && !lb->https_redirect.v);
	r->redirect_origin = lb->https_redirect.set ? at(lb->https_redirect.loc, "loadBalancer.httpsRedirect") : r->tls_origin;
	r->sticky = lb->sticky.set && lb->sticky.v;
	r->sticky_origin = at(lb->sticky.loc, "loadBalancer.sticky");
	r->cookie_origin = at(lb->sticky_cookie.v ? lb->sticky_cookie.loc : lb->sticky.loc, "loadBalancer.sticky");
	r->cookie = lb->sticky_cookie.v ? lb->sticky_cookie.v : HS_DEFAULT_COOKIE;
	r->cookie_ttl = lb->sticky_ttl.v ? duration_seconds(lb->sticky_ttl.v) : HS_DEFAULT_COOKIE_TTL;
	r->cookie_given = lb->sticky_cookie.v != NULL;
	r->ttl_given = lb->sticky_ttl.v != NULL;
	r->ttl_origin = at(lb->sticky_ttl.v ? lb->sticky_ttl.loc : lb->sticky.loc, "loadBalancer.sticky");
	r->class_name = lb->class_name.v && *lb->class_name.v ? lb->class_name.v : NULL;
	r->class_origin = at(lb->class_name.v ? lb->class_name.loc : lb->loc, "loadBalancer.className");

	size_t hc = 0;
	for (size_t i = 0; i < lb->headers.n; i++) {
		const struct skv *e = &lb->headers.v[i];
		struct hdr *h = ARENA_PUSH(a, r->headers, r->nheaders, hc);
		const char *field = arena_printf(a, "loadBalancer.headers.%s", e->key);
		h->name = e->key;
		h->value = e->value;
		h->name_origin = at(e->kloc, field);
		h->value_origin = at(e->vloc, field);
	}
	r->headers_origin = at(lb->headers.loc, "loadBalancer.headers");
	for (size_t i = 0; i < lb->labels.n; i++)
		kvl_add(a, &r->gw_labels, lb->labels.v[i].key, lb->labels.v[i].value);
	r->labels_origin = at(lb->labels.loc, "loadBalancer.labels");
	r->annotation_origins = arena_alloc(a, (lb->annotations.n + 1) * sizeof(struct origin));
	for (size_t i = 0; i < lb->annotations.n; i++) {
		const struct skv *e = &lb->annotations.v[i];
		kvl_add(a, &r->annotations, e->key, e->value);
		r->annotation_origins[i] = at(e->kloc, arena_printf(a, "loadBalancer.annotations.%s", e->key));
	}
	if (lb->gateway.set) {
		r->gateway_ref = true;
		r->gw_name = lb->gateway.name.v;
		r->gw_ns = lb->gateway.ns.v ? lb->gateway.ns.v : svc->ns;
		r->gw_label = r->gw_ns ? arena_printf(a, "%s/%s", r->gw_ns, r->gw_name) : r->gw_name;
		/* Without -n a named gateway namespace may be ours or not: spell it out and warn. */
		r->gw_cross = r->gw_ns && (!svc->ns || strcmp(r->gw_ns, svc->ns));
		r->gw_section = lb->gateway.section.v;
		r->gw_grant = lb->gateway.reference_grant.set && lb->gateway.reference_grant.v;
		r->gw_ns_origin = at(lb->gateway.ns.loc, "loadBalancer.gateway.namespace");
		r->gw_section_origin = at(lb->gateway.section.loc, "loadBalancer.gateway.sectionName");
		r->gw_grant_origin = at(lb->gateway.reference_grant.loc, "loadBalancer.gateway.referenceGrant");
	}
	r->mapping_origin = at(lb->mapping_loc, "loadBalancer.mapping");

	for (size_t i = 0; i < lb->nmapping; i++) {
		const struct smapping *m = &lb->mapping[i];
		if (!routing_backend(r, m->port.number)) {
			struct backend *be = ARENA_PUSH(a, r->backends, r->nbackends, r->backends_cap);
			be->port = m->port.number;
			be->origin = at(m->port.loc, arena_printf(a, "loadBalancer.mapping[%zu].port", i));
			/* 8443 maps the declared 8443/https; 8443/https says it where it maps. */
			bool https = m->port.proto == PROTO_HTTPS;
			for (size_t k = 0; k < svc->nports; k++)
				https |= svc->ports[k].number == m->port.number && svc->ports[k].proto == PROTO_HTTPS;
			be->proto = https ? BACKEND_HTTPS : BACKEND_HTTP;
		}
		for (size_t j = 0; j < m->npaths; j++) {
			const struct spath *p = &m->paths[j];
			size_t n = strlen(p->path);
			while (!p->exact && n > 1 && p->path[n - 1] == '/')
				n--;
			const char *canon = arena_strndup(a, p->path, n);
			bool dup = false;
			for (size_t k = 0; k < r->nroutes; k++)
				dup |= r->routes[k].exact == p->exact && !strcmp(r->routes[k].path, canon);
			if (dup)
				continue;
			struct route *rt = ARENA_PUSH(a, r->routes, r->nroutes, r->routes_cap);
			rt->path = canon;
			rt->exact = p->exact;
			rt->port = m->port.number;
			rt->port_name = arena_printf(a, "%ld-tcp", m->port.number);
			rt->origin = at(p->loc, arena_printf(a, "loadBalancer.mapping[%zu].contextPaths[%zu]", i, j));
		}
	}
	qsort(r->routes, r->nroutes, sizeof(*r->routes), cmp_route);
	for (size_t i = 0; i < svc->labels.n; i++) {
		const char *k = svc->labels.v[i].key;
		kvl_add(a, &r->labels, k, svc->labels.v[i].value);
		/* A deploy prunes what carries its service's label: the shared objects must not. */
		if (strcmp(k, "hyscale.io/service-name") && strcmp(k, "app.kubernetes.io/name"))
			kvl_add(a, &r->app_labels, k, svc->labels.v[i].value);
	}
}

const struct backend *routing_backend(const struct routing *r, long port)
{
	for (size_t i = 0; i < r->nbackends; i++)
		if (r->backends[i].port == port)
			return &r->backends[i];
	return NULL;
}

size_t routing_tls_backends(const struct routing *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->nbackends; i++)
		n += r->backends[i].proto == BACKEND_HTTPS;
	return n;
}
