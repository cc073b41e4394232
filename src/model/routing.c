/* Routing model (see routing.h). */
#include "routing.h"
#include <stdlib.h>
#include <string.h>
#include "../util/names.h"
#include "../validate/validate.h"

const char *duration_text(struct arena *a, long s)
{
	long h = s / 3600, m = (s % 3600) / 60, sec = s % 60;
	char buf[64];
	size_t o = 0;
	if (h)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%ldh", h);
	if (m)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%ldm", m);
	if (sec || !o)
		snprintf(buf + o, sizeof(buf) - o, "%lds", sec);
	return arena_strdup(a, buf);
}

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

void routing_build(struct routing *r, const struct svc_model *svc, const char *provider,
		   const struct run_opts *o, struct arena *a)
{
	const struct sloadbalancer *lb = &svc->spec->lb;
	memset(r, 0, sizeof(*r));
	r->svc = svc;
	r->lb = lb;
	r->opts = o;
	r->provider = provider;
	r->ns = svc->ns;
	r->ns_text = svc->ns ? svc->ns : "<namespace>";
	r->service = svc->name;
	r->service_host = svc->ns ? arena_printf(a, "%s.%s.svc.cluster.local", svc->name, svc->ns) : svc->name;
	const char *env = name_normalize(a, svc->env);
	r->base = *env ? arena_printf(a, "%s-%s", env, svc->name) : svc->name;

	size_t hcap = 0;
	if (lb->host.v)
		*ARENA_PUSH(a, r->hosts, r->nhosts, hcap) = lb->host.v;
	for (size_t i = 0; i < lb->nhosts; i++) {
		bool dup = false;
		for (size_t j = 0; j < r->nhosts; j++)
			dup |= !strcmp(r->hosts[j], lb->hosts[i].v);
		if (!dup)
			*ARENA_PUSH(a, r->hosts, r->nhosts, hcap) = lb->hosts[i].v;
	}
	r->tls_secret = lb->tls_secret.v && *lb->tls_secret.v ? lb->tls_secret.v : NULL;
	r->https_redirect = r->tls_secret && !(lb->https_redirect.set && !lb->https_redirect.v);
	r->sticky = lb->sticky.set && lb->sticky.v;
	r->cookie = lb->sticky_cookie.v ? lb->sticky_cookie.v : HS_DEFAULT_COOKIE;
	r->cookie_ttl = lb->sticky_ttl.v ? duration_seconds(lb->sticky_ttl.v) : HS_DEFAULT_COOKIE_TTL;
	r->class_name = lb->class_name.v && *lb->class_name.v ? lb->class_name.v : NULL;

	size_t hc = 0;
	for (size_t i = 0; i < lb->headers.n; i++) {
		struct hdr *h = ARENA_PUSH(a, r->headers, r->nheaders, hc);
		h->name = lb->headers.v[i].key;
		h->value = lb->headers.v[i].value;
		h->loc = lb->headers.v[i].kloc;
	}
	for (size_t i = 0; i < lb->labels.n; i++)
		kvl_add(a, &r->gw_labels, lb->labels.v[i].key, lb->labels.v[i].value);
	for (size_t i = 0; i < lb->annotations.n; i++)
		kvl_add(a, &r->annotations, lb->annotations.v[i].key, lb->annotations.v[i].value);
	r->ann_warned = arena_alloc(a, (lb->annotations.n + 1) * sizeof(bool));
	if (lb->gateway.set) {
		r->gateway_ref = true;
		r->gw_name = lb->gateway.name.v;
		r->gw_ns = lb->gateway.ns.v ? lb->gateway.ns.v : svc->ns;
		r->gw_label = r->gw_ns ? arena_printf(a, "%s/%s", r->gw_ns, r->gw_name) : r->gw_name;
		/* Without -n a named gateway namespace may be ours or not: spell it out and warn. */
		r->gw_cross = r->gw_ns && (!svc->ns || strcmp(r->gw_ns, svc->ns));
		r->gw_section = lb->gateway.section.v;
		r->gw_grant = lb->gateway.reference_grant.set && lb->gateway.reference_grant.v;
	}

	for (size_t i = 0; i < lb->nmapping; i++) {
		const struct smapping *m = &lb->mapping[i];
		bool seen = false;
		for (size_t k = 0; k < r->nports; k++)
			seen |= r->ports[k] == m->port.number;
		if (!seen)
			*ARENA_PUSH(a, r->ports, r->nports, r->ports_cap) = m->port.number;
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
			rt->loc = p->loc;
			rt->field = arena_printf(a, "loadBalancer.mapping[%zu].contextPaths[%zu]", i, j);
		}
	}
	qsort(r->routes, r->nroutes, sizeof(*r->routes), cmp_route);
	r->labels = svc->labels;
	r->labels.v = NULL;
	r->labels.n = r->labels.cap = 0;
	for (size_t i = 0; i < svc->labels.n; i++)
		kvl_add(a, &r->labels, svc->labels.v[i].key, svc->labels.v[i].value);
}
