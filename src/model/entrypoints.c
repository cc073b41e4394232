/* The app's shared entry points (see entrypoints.h). */
#include "entrypoints.h"
#include <stdlib.h>
#include <string.h>

static const char *dup(struct arena *a, const char *s)
{
	return s ? arena_strdup(a, s) : NULL;
}

static struct origin dup_origin(struct arena *a, struct origin o)
{
	o.field = dup(a, o.field);
	return o;
}

static void dup_kvl(struct arena *a, struct kvl *to, const struct kvl *from)
{
	memset(to, 0, sizeof(*to));
	for (size_t i = 0; i < from->n; i++)
		kvl_add(a, to, arena_strdup(a, from->v[i].key), arena_strdup(a, from->v[i].value));
}

struct ep_svc *ep_summarize(const struct routing *rt, struct arena *a)
{
	if (rt->gateway_ref || (strcmp(rt->provider, "gateway") && strcmp(rt->provider, "istio")))
		return NULL;
	struct ep_svc *s = arena_alloc(a, sizeof(*s));
	memset(s, 0, sizeof(*s));
	s->service = dup(a, rt->service);
	s->provider = !strcmp(rt->provider, "gateway") ? "gateway" : "istio";
	s->app = dup(a, rt->app);
	s->env = dup(a, rt->env);
	s->app_base = dup(a, rt->app_base);
	s->ns = dup(a, rt->ns);
	s->nhosts = rt->nhosts;
	s->hosts = arena_alloc(a, (rt->nhosts + 1) * sizeof(*s->hosts));
	s->host_at = arena_alloc(a, (rt->nhosts + 1) * sizeof(*s->host_at));
	for (size_t i = 0; i < rt->nhosts; i++) {
		s->hosts[i] = arena_strdup(a, rt->hosts[i]);
		s->host_at[i] = dup_origin(a, rt->host_origins[i]);
	}
	s->tls_secret = dup(a, rt->tls_secret);
	s->tls_at = dup_origin(a, rt->tls_origin);
	s->https_redirect = rt->https_redirect;
	s->redirect_at = dup_origin(a, rt->redirect_origin);
	s->class_name = dup(a, rt->class_name);
	s->class_at = dup_origin(a, rt->class_origin);
	dup_kvl(a, &s->selector, &rt->gw_labels);
	s->selector_at = dup_origin(a, rt->labels_origin);
	dup_kvl(a, &s->annotations, &rt->annotations);
	s->ann_at = arena_alloc(a, (rt->annotations.n + 1) * sizeof(*s->ann_at));
	for (size_t i = 0; i < rt->annotations.n; i++)
		s->ann_at[i] = dup_origin(a, rt->annotation_origins[i]);
	dup_kvl(a, &s->labels, &rt->app_labels);
	s->block = dup_origin(a, rt->block);
	return s;
}

const char *ep_gateway_name(struct arena *a, const char *provider, const char *app_base)
{
	return arena_printf(a, strcmp(provider, "istio") ? "%s-gateway" : "%s-istio-gateway", app_base);
}

const char *ep_listener(struct arena *a, bool https, const char *host)
{
	const char *h = strncmp(host, "*.", 2) ? host : arena_printf(a, "wildcard%s", host + 1);
	return arena_printf(a, "%s-%s", https ? "https" : "http", h);
}

static const char *kind_word(const char *provider)
{
	return strcmp(provider, "istio") ? "Gateway" : "Istio Gateway";
}

static const char *secret_text(struct arena *a, const char *s)
{
	return s ? arena_printf(a, "'%s'", s) : "none (plain HTTP)";
}

static const char *kvl_text(struct arena *a, const struct kvl *l)
{
	if (!l->n)
		return "none";
	const char *t = "{";
	for (size_t i = 0; i < l->n; i++)
		t = arena_printf(a, "%s%s%s: %s", t, i ? ", " : "", l->v[i].key, l->v[i].value);
	return arena_printf(a, "%s}", t);
}

/* Equal as selectors: the same pairs in any order. */
static bool kvl_same(const struct kvl *x, const struct kvl *y)
{
	if (x->n != y->n)
		return false;
	for (size_t i = 0; i < x->n; i++) {
		const char *v = kvl_get(y, x->v[i].key);
		if (!v || strcmp(v, x->v[i].value))
			return false;
	}
	return true;
}

static bool str_same(const char *x, const char *y)
{
	return x == y || (x && y && !strcmp(x, y));
}

struct ord { const struct ep_svc *s; size_t i; };

static int cmp_group(const void *x, const void *y)
{
	const struct ord *a = x, *b = y;
	int c = strcmp(a->s->app_base, b->s->app_base);
	if (!c)
		c = strcmp(a->s->provider, b->s->provider);
	return c ? c : (a->i > b->i) - (a->i < b->i);
}

struct hk { const char *host; size_t svc, h; };   /* svc: index in the group */

static int cmp_hk(const void *x, const void *y)
{
	const struct hk *a = x, *b = y;
	int c = strcmp(a->host, b->host);
	return c ? c : (a->svc > b->svc) - (a->svc < b->svc);
}

#define AT(o) (o).at.file, (o).at.line, (o).at.col

static void check_group(const struct ep_svc **g, size_t n, struct ep_group *out, struct diags *d, struct arena *a)
{
	const char *kw = kind_word(out->provider);
	/* One Gateway has one class (one selector): every service of the app must agree. */
	for (size_t k = 0; k < n; k++)
		for (size_t o = 0; o < n; o++) {
			if (!strcmp(out->provider, "gateway") && !str_same(g[k]->class_name, g[o]->class_name)) {
				origin_error(d, g[k]->class_at,
					     "services of app %s share the Gateway %s, which has one GatewayClass: '%s' here, "
					     "'%s' in service '%s' (%s:%d:%d)", g[k]->app, out->name, g[k]->class_name,
					     g[o]->class_name, g[o]->service, AT(g[o]->class_at));
				break;
			}
			if (!strcmp(out->provider, "istio") && !kvl_same(&g[k]->selector, &g[o]->selector)) {
				origin_error(d, g[k]->selector_at,
					     "services of app %s share the Istio Gateway %s, which selects one set of ingress "
					     "pods: %s here, %s in service '%s' (%s:%d:%d)", g[k]->app, out->name,
					     kvl_text(a, &g[k]->selector), kvl_text(a, &g[o]->selector), g[o]->service,
					     AT(g[o]->selector_at));
				break;
			}
		}
	/* Per host: one certificate, one behaviour of its HTTP listener. */
	struct hk *keys = NULL;
	size_t nk = 0, cap = 0;
	for (size_t k = 0; k < n; k++)
		for (size_t h = 0; h < g[k]->nhosts; h++)
			*ARENA_PUSH(a, keys, nk, cap) = (struct hk){ g[k]->hosts[h], k, h };
	if (nk > 1)
		qsort(keys, nk, sizeof(*keys), cmp_hk);
	size_t hcap = 0, listeners = 0;
	for (size_t i = 0, j; i < nk; i = j) {
		for (j = i + 1; j < nk && !strcmp(keys[j].host, keys[i].host); j++)
			;
		const struct ep_svc *first = g[keys[i].svc];
		*ARENA_PUSH(a, out->hosts, out->nhosts, hcap) =
			(struct ep_host){ keys[i].host, first->tls_secret, first->https_redirect };
		listeners += first->tls_secret ? 2 : 1;
		for (size_t e = i; e < j; e++) {
			const struct ep_svc *me = g[keys[e].svc];
			bool tls_said = false, redirect_said = false;
			for (size_t o = i; o < j; o++) {
				const struct ep_svc *other = g[keys[o].svc];
				if (keys[o].svc == keys[e].svc)
					continue;
				if (!tls_said && !str_same(me->tls_secret, other->tls_secret)) {
					struct origin at = me->tls_secret ? me->tls_at : me->host_at[keys[e].h];
					struct origin oat = other->tls_secret ? other->tls_at : other->host_at[keys[o].h];
					origin_error(d, at,
						     "host %s is served by the shared %s %s with one certificate: tlsSecret %s "
						     "here, %s in service '%s' (%s:%d:%d)", keys[e].host, kw, out->name,
						     secret_text(a, me->tls_secret), secret_text(a, other->tls_secret),
						     other->service, AT(oat));
					tls_said = true;
				}
				if (!redirect_said && me->tls_secret && other->tls_secret &&
				    me->https_redirect != other->https_redirect) {
					origin_error(d, me->redirect_at,
						     "host %s is served by the shared %s %s with one HTTP listener: "
						     "httpsRedirect is %s here, %s in service '%s' (%s:%d:%d)", keys[e].host, kw,
						     out->name, me->https_redirect ? "on" : "off",
						     other->https_redirect ? "on" : "off", other->service, AT(other->redirect_at));
					redirect_said = true;
				}
			}
		}
	}
	if (!strcmp(out->provider, "gateway") && listeners > EP_MAX_LISTENERS)
		origin_error(d, out->block,
			     "the shared Gateway %s would have %zu listeners (HTTP and HTTPS for each host of the app); "
			     "a Gateway holds at most %d", out->name, listeners, EP_MAX_LISTENERS);
	/* Annotations: the union, less the keys two services set differently. */
	for (size_t k = 0; k < n; k++)
		for (size_t i = 0; i < g[k]->annotations.n; i++) {
			const struct kv *e = &g[k]->annotations.v[i];
			bool clash = false;
			for (size_t o = 0; o < n && !clash; o++) {
				const char *v = kvl_get(&g[o]->annotations, e->key);
				if (!v || !strcmp(v, e->value))
					continue;
				clash = true;
				size_t oi = 0;
				while (strcmp(g[o]->annotations.v[oi].key, e->key))
					oi++;
				origin_warn(d, g[k]->ann_at[i],
					    "not put on the shared %s %s: service '%s' sets it to '%s' (%s:%d:%d); it stays "
					    "on this service's route objects", kw, out->name, g[o]->service, v,
					    AT(g[o]->ann_at[oi]));
			}
			if (!clash && !kvl_get(&out->annotations, e->key))
				kvl_add(a, &out->annotations, e->key, e->value);
		}
}

void ep_group_all(struct ep_svc *const *v, size_t n, struct diags *d, struct arena *a, struct ep_group **out,
		  size_t *nout)
{
	*out = NULL;
	*nout = 0;
	struct ord *ord = arena_alloc(a, (n ? n : 1) * sizeof(*ord));
	size_t m = 0, cap = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i])
			ord[m++] = (struct ord){ v[i], i };
	if (m > 1)
		qsort(ord, m, sizeof(*ord), cmp_group);
	const struct ep_svc **g = arena_alloc(a, (m ? m : 1) * sizeof(*g));
	for (size_t i = 0, j; i < m; i = j) {
		size_t gn = 0;
		for (j = i; j < m && !strcmp(ord[j].s->provider, ord[i].s->provider) &&
			    !strcmp(ord[j].s->app_base, ord[i].s->app_base); j++)
			g[gn++] = ord[j].s;
		struct ep_group *grp = ARENA_PUSH(a, *out, *nout, cap);
		memset(grp, 0, sizeof(*grp));
		grp->provider = g[0]->provider;
		grp->env = g[0]->env;
		grp->app_base = g[0]->app_base;
		grp->name = ep_gateway_name(a, grp->provider, grp->app_base);
		grp->ns = g[0]->ns;
		grp->class_name = g[0]->class_name;
		grp->selector = g[0]->selector;
		grp->labels = g[0]->labels;
		grp->block = g[0]->block;
		size_t before = d->errors;
		check_group(g, gn, grp, d, a);
		grp->ok = d->errors == before;
	}
}
