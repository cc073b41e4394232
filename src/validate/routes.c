/* Routing conflicts between the services of one run (see validate.h): two services that
 * route the same host and path give the cluster two answers, and the controller picks one
 * silently (ingress-nginx merges by creation time, Gateway API by age, Istio by order). */
#include "validate.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Small: a run of 10,000 services sorts some 40,000 of these at its peak of memory. */
struct route_key {
	const char *host, *path;
	uint32_t svc;             /* index into the summaries */
	uint32_t r : 31;          /* into its routes */
	uint32_t exact : 1;
};

static int cmp_key(const void *x, const void *y)
{
	const struct route_key *a = x, *b = y;
	int c = strcmp(a->host, b->host);
	if (!c)
		c = strcmp(a->path, b->path);
	if (!c)
		c = (int)a->exact - (int)b->exact;
	if (!c)
		c = (a->svc > b->svc) - (a->svc < b->svc);
	return c;
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		fputs("hyscale: fatal: out of memory\n", stderr);
		exit(4);
	}
	return p;
}

/* One host of a service with a tlsSecret: x is its position among the service's hosts. */
struct tls_host { const char *host; size_t svc, x; };
/* Service s and service t share a host (s's x-th), served with other certificates. */
struct tls_pair { size_t s, t, x; };

static int cmp_tls_host(const void *x, const void *y)
{
	const struct tls_host *a = x, *b = y;
	int c = strcmp(a->host, b->host);
	if (!c)
		c = (a->svc > b->svc) - (a->svc < b->svc);
	if (!c)
		c = (a->x > b->x) - (a->x < b->x);
	return c;
}

static int cmp_tls_pair(const void *x, const void *y)
{
	const struct tls_pair *a = x, *b = y;
	if (a->s != b->s)
		return a->s < b->s ? -1 : 1;
	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	return (a->x > b->x) - (a->x < b->x);
}

static bool has_tls(const struct svc_sum *s)
{
	return s->whole && s->lb && s->tls_secret.v && *s->tls_secret.v;
}

/* One host, two certificates: which one a client gets depends on the controller. One
 * warning per pair of services, at the first host (in the first one's order) they share;
 * found through the hosts sorted, so that a large app costs n log n, not n^2. */
static void tls_across(const struct svc_sum *sums, size_t n, struct diags *d)
{
	size_t nh = 0;
	for (size_t s = 0; s < n; s++)
		nh += has_tls(&sums[s]) ? sums[s].nhosts : 0;
	if (nh < 2)
		return;
	struct tls_host *hs = xmalloc(nh * sizeof(*hs));
	size_t k = 0;
	for (size_t s = 0; s < n; s++)
		for (size_t x = 0; has_tls(&sums[s]) && x < sums[s].nhosts; x++)
			hs[k++] = (struct tls_host){ sums[s].hosts[x].v, s, x };
	qsort(hs, nh, sizeof(*hs), cmp_tls_host);
	struct tls_pair *pairs = NULL;
	size_t np = 0, cap = 0;
	for (size_t i = 0, j; i < nh; i = j) {
		for (j = i + 1; j < nh && !strcmp(hs[j].host, hs[i].host); j++)
			;
		for (size_t a = i; a < j; a++)
			for (size_t b = i; b < j; b++) {
				const struct svc_sum *sa = &sums[hs[a].svc], *sb = &sums[hs[b].svc];
				if (hs[a].svc == hs[b].svc || !strcmp(sa->tls_secret.v, sb->tls_secret.v))
					continue;
				if (np == cap) {
					cap = cap ? 2 * cap : 64;
					struct tls_pair *grown = realloc(pairs, cap * sizeof(*pairs));
					if (!grown) {
						fputs("hyscale: fatal: out of memory\n", stderr);
						exit(4);
					}
					pairs = grown;
				}
				pairs[np++] = (struct tls_pair){ hs[a].svc, hs[b].svc, hs[a].x };
			}
	}
	if (np > 1)
		qsort(pairs, np, sizeof(*pairs), cmp_tls_pair);
	for (size_t i = 0; i < np; i++) {
		if (i && pairs[i].s == pairs[i - 1].s && pairs[i].t == pairs[i - 1].t)
			continue;
		const struct svc_sum *me = &sums[pairs[i].s], *other = &sums[pairs[i].t];
		diag_warn(d, me->tls_secret.loc, "loadBalancer.tlsSecret",
			  "host %s is also served by service '%s' with tlsSecret '%s' (%s:%d:%d); "
			  "which certificate a client gets depends on the controller",
			  me->hosts[pairs[i].x].v, other->name.v ? other->name.v : "?", other->tls_secret.v,
			  other->file, other->tls_secret.loc.line, other->tls_secret.loc.col);
	}
	free(pairs);
	free(hs);
}

void validate_routes_across(const struct svc_sum *sums, size_t n, size_t *errs, struct arena *a, struct diags *d)
{
	size_t with_lb = 0, nk = 0;
	for (size_t s = 0; s < n; s++) {
		with_lb += sums[s].whole && sums[s].lb;
		nk += sums[s].whole && sums[s].lb ? sums[s].nhosts * sums[s].nroutes : 0;
	}
	if (with_lb < 2)
		return;
	struct route_key *keys = xmalloc(nk * sizeof(*keys));
	size_t k = 0;
	for (size_t s = 0; s < n; s++) {
		const struct svc_sum *sm = &sums[s];
		if (!sm->whole || !sm->lb)
			continue;
		for (size_t h = 0; h < sm->nhosts; h++)
			for (size_t r = 0; r < sm->nroutes; r++) {
				keys[k++] = (struct route_key){ sm->hosts[h].v, sm->routes[r].path, (uint32_t)s, (uint32_t)r,
								sm->routes[r].exact };
			}
	}
	if (nk > 1)
		qsort(keys, nk, sizeof(*keys), cmp_key);
	for (size_t i = 0, j; i < nk; i = j) {
		for (j = i + 1; j < nk && !strcmp(keys[j].host, keys[i].host) && !strcmp(keys[j].path, keys[i].path) &&
				keys[j].exact == keys[i].exact; j++)
			;
		/* Every entry of the group against the first entry of another service. */
		for (size_t q = i; q < j; q++)
			for (size_t o = i; o < j; o++) {
				if (keys[o].svc == keys[q].svc || (o > i && keys[o - 1].svc == keys[o].svc))
					continue;
				const struct svc_sum *other = &sums[keys[o].svc];
				const struct route_sum *me = &sums[keys[q].svc].routes[keys[q].r];
				const struct route_sum *its = &other->routes[keys[o].r];
				diag_error(d, me->loc, arena_printf(a, "loadBalancer.mapping[%zu].contextPaths[%zu]", me->m, me->p),
					   "%s%s (%s) is also routed by service '%s' (%s:%d:%d); on a cluster one of them would "
					   "silently win", keys[q].host, keys[q].path, keys[q].exact ? "exact" : "prefix",
					   other->name.v ? other->name.v : "?", other->file, its->loc.line, its->loc.col);
				errs[keys[q].svc]++;
			}
	}
	free(keys);
	tls_across(sums, n, d);
}
