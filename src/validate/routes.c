/* Routing conflicts between the services of one run (see validate.h): two services that
 * route the same host and path give the cluster two answers, and the controller picks one
 * silently (ingress-nginx merges by creation time, Gateway API by age, Istio by order). */
#include "validate.h"
#include <stdlib.h>
#include <string.h>

struct route_key {
	const char *host, *path;
	bool exact;
	size_t svc;               /* index into the specs */
	size_t m, p;              /* mapping[m].contextPaths[p] */
	struct loc loc;
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

static void add_hosts(const struct sloadbalancer *lb, const struct sstr **hosts, size_t *nh, struct arena *a)
{
	*nh = 0;
	*hosts = arena_alloc(a, (lb->nhosts + 1) * sizeof(**hosts));
	struct sstr *h = (struct sstr *)*hosts;
	if (lb->host.v && *lb->host.v)
		h[(*nh)++] = lb->host;
	for (size_t i = 0; i < lb->nhosts; i++)
		if (lb->hosts[i].v && *lb->hosts[i].v)
			h[(*nh)++] = lb->hosts[i];
}

void validate_routes_across(const struct spec *specs, const bool *loaded, size_t n, size_t *errs, struct arena *a,
			    struct diags *d)
{
	size_t with_lb = 0;
	for (size_t s = 0; s < n; s++)
		with_lb += loaded[s] && specs[s].lb.set;
	if (with_lb < 2)
		return;
	struct route_key *keys = NULL;
	size_t nk = 0, cap = 0;
	for (size_t s = 0; s < n; s++) {
		const struct sloadbalancer *lb = &specs[s].lb;
		if (!loaded[s] || !lb->set)
			continue;
		const struct sstr *hosts;
		size_t nh;
		add_hosts(lb, &hosts, &nh, a);
		for (size_t h = 0; h < nh; h++)
			for (size_t m = 0; m < lb->nmapping; m++)
				for (size_t p = 0; p < lb->mapping[m].npaths; p++) {
					const struct spath *sp = &lb->mapping[m].paths[p];
					size_t len = strlen(sp->path);
					/* /a and /a/ are one prefix, as the routing model has it */
					while (!sp->exact && len > 1 && sp->path[len - 1] == '/')
						len--;
					*ARENA_PUSH(a, keys, nk, cap) = (struct route_key){
						hosts[h].v, arena_strndup(a, sp->path, len), sp->exact, s, m, p, sp->loc };
				}
	}
	if (nk > 1)
		qsort(keys, nk, sizeof(*keys), cmp_key);
	for (size_t i = 0, j; i < nk; i = j) {
		for (j = i + 1; j < nk && !strcmp(keys[j].host, keys[i].host) && !strcmp(keys[j].path, keys[i].path) &&
				keys[j].exact == keys[i].exact; j++)
			;
		/* Every entry of the group against the first entry of another service. */
		for (size_t k = i; k < j; k++)
			for (size_t o = i; o < j; o++) {
				if (keys[o].svc == keys[k].svc || (o > i && keys[o - 1].svc == keys[o].svc))
					continue;
				const struct spec *other = &specs[keys[o].svc];
				diag_error(d, keys[k].loc, arena_printf(a, "loadBalancer.mapping[%zu].contextPaths[%zu]", keys[k].m, keys[k].p),
					   "%s%s (%s) is also routed by service '%s' (%s:%d:%d); on a cluster one of them would "
					   "silently win", keys[k].host, keys[k].path, keys[k].exact ? "exact" : "prefix",
					   other->name.v ? other->name.v : "?", other->file, keys[o].loc.line, keys[o].loc.col);
				errs[keys[k].svc]++;
			}
	}
	/* One host, two certificates: which one a client gets depends on the controller. */
	for (size_t s = 0; s < n; s++) {
		const struct sloadbalancer *lb = &specs[s].lb;
		if (!loaded[s] || !lb->set || !lb->tls_secret.v || !*lb->tls_secret.v)
			continue;
		const struct sstr *hs;
		size_t nhs;
		add_hosts(lb, &hs, &nhs, a);
		for (size_t t = 0; t < n; t++) {
			const struct sloadbalancer *ol = &specs[t].lb;
			if (t == s || !loaded[t] || !ol->set || !ol->tls_secret.v || !*ol->tls_secret.v ||
			    !strcmp(ol->tls_secret.v, lb->tls_secret.v))
				continue;
			const struct sstr *ht;
			size_t nht;
			add_hosts(ol, &ht, &nht, a);
			for (size_t x = 0; x < nhs; x++)
				for (size_t y = 0; y < nht; y++)
					if (!strcmp(hs[x].v, ht[y].v)) {
						diag_warn(d, lb->tls_secret.loc, "loadBalancer.tlsSecret",
							  "host %s is also served by service '%s' with tlsSecret '%s' (%s:%d:%d); "
							  "which certificate a client gets depends on the controller",
							  hs[x].v, specs[t].name.v ? specs[t].name.v : "?", ol->tls_secret.v,
							  specs[t].file, ol->tls_secret.loc.line, ol->tls_secret.loc.col);
						x = nhs;
						break;
					}
		}
	}
}
