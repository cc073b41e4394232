/* Checks across the services of one run (see validate.h), on per-service summaries: a
 * run of 10,000 services keeps these few strings of each, not the specs. */
#include "validate.h"
#include <stdlib.h>
#include <string.h>
#include "../util/names.h"

/* A position whose file name outlives the spec (a profile's path is the spec's arena's). */
static struct loc keep_loc(const struct svc_sum *out, struct loc l, struct arena *keep)
{
	if (l.file && out->file && !strcmp(l.file, out->file))
		l.file = out->file;
	else
		l.file = arena_strdup(keep, l.file);
	return l;
}

void svc_sum_fill(struct svc_sum *out, const struct spec *s, bool loaded, bool whole, struct arena *keep)
{
	memset(out, 0, sizeof(*out));
	out->loaded = loaded;
	out->whole = whole;
	if (!loaded)
		return;
	out->file = arena_strdup(keep, s->file);
	out->name.loc = keep_loc(out, s->name.loc, keep);
	out->name.v = arena_strdup(keep, s->name.v);
	const struct sloadbalancer *lb = &s->lb;
	out->lb = lb->set;
	/* Routes and hosts are compared only for whole specs: a partial one's lists can hold
	 * a million aliased paths. */
	if (lb->set && whole) {
		out->tls_secret.loc = keep_loc(out, lb->tls_secret.loc, keep);
		out->tls_secret.v = arena_strdup(keep, lb->tls_secret.v);
		out->hosts = arena_alloc(keep, (lb->nhosts + 1) * sizeof(*out->hosts));
		if (lb->host.v && *lb->host.v)
			out->hosts[out->nhosts++] = (struct sstr){ arena_strdup(keep, lb->host.v), keep_loc(out, lb->host.loc, keep) };
		for (size_t i = 0; i < lb->nhosts; i++)
			if (lb->hosts[i].v && *lb->hosts[i].v)
				out->hosts[out->nhosts++] = (struct sstr){ arena_strdup(keep, lb->hosts[i].v), keep_loc(out, lb->hosts[i].loc, keep) };
		size_t nr = 0;
		for (size_t m = 0; m < lb->nmapping; m++)
			nr += lb->mapping[m].npaths;
		out->routes = arena_alloc(keep, (nr ? nr : 1) * sizeof(*out->routes));
		for (size_t m = 0; m < lb->nmapping; m++)
			for (size_t p = 0; p < lb->mapping[m].npaths; p++) {
				const struct spath *sp = &lb->mapping[m].paths[p];
				size_t len = strlen(sp->path);
				/* /a and /a/ are one prefix, as the routing model has it */
				while (!sp->exact && len > 1 && sp->path[len - 1] == '/')
					len--;
				out->routes[out->nroutes++] =
					(struct route_sum){ arena_strndup(keep, sp->path, len), sp->exact, keep_loc(out, sp->loc, keep), m, p };
			}
	}
	size_t nf = 0;
	for (size_t t = 0; t < s->ntraffic; t++)
		nf += s->traffic[t].nfrom;
	if (!nf)
		return;
	out->froms = arena_alloc(keep, nf * sizeof(*out->froms));
	for (size_t t = 0; t < s->ntraffic; t++)
		for (size_t f = 0; f < s->traffic[t].nfrom; f++) {
			const struct sstr *from = &s->traffic[t].from[f];
			out->froms[out->nfroms++] = (struct from_sum){ { arena_strdup(keep, from->v), keep_loc(out, from->loc, keep) }, t, f };
		}
}

struct named { const char *name; size_t i; };

static int cmp_named(const void *x, const void *y)
{
	const struct named *a = x, *b = y;
	int c = strcmp(a->name, b->name);
	return c ? c : (a->i > b->i) - (a->i < b->i);
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

void validate_across(const struct svc_sum *sums, size_t n, size_t *errs, const char *app, struct arena *a,
		     struct diags *d)
{
	/* Two specs for one service would overwrite each other's objects. Sorted by name
	 * (then by position) so that a large app costs n log n here, not n^2. */
	struct named *byname = malloc((n ? n : 1) * sizeof(*byname));
	const char **raw = malloc((n ? n : 1) * sizeof(*raw));
	if (!byname || !raw) {
		fputs("hyscale: fatal: out of memory\n", stderr);
		exit(4);
	}
	size_t nn = 0, nraw = 0;
	for (size_t i = 0; i < n; i++)
		if (sums[i].loaded && sums[i].name.v) {
			byname[nn++] = (struct named){ name_normalize(a, sums[i].name.v), i };
			raw[nraw++] = sums[i].name.v;
		}
	qsort(byname, nn, sizeof(*byname), cmp_named);
	/* The normalised name is the object name and the selector label value: two services
	 * with one would share objects and pods. Both are reported (each at its own name). */
	for (size_t k = 1, first = 0; k < nn; k++) {
		if (strcmp(byname[first].name, byname[k].name)) {
			first = k;
			continue;
		}
		for (int side = 0; side < 2; side++) {
			if (side == 0 && k != first + 1)
				continue; /* the first of a group once, against the second */
			const struct svc_sum *me = &sums[byname[side ? k : first].i];
			const struct svc_sum *other = &sums[byname[side ? first : k].i];
			if (!strcmp(me->name.v, other->name.v))
				diag_error(d, me->name.loc, "name", "service '%s' is also defined in %s:%d", me->name.v,
					   other->file, other->name.loc.line);
			else
				diag_error(d, me->name.loc, "name",
					   "service '%s' becomes the object name and selector label '%s', as '%s' does in %s:%d; "
					   "their objects and pods would be mixed up", me->name.v, byname[k].name,
					   other->name.v, other->file, other->name.loc.line);
			errs[byname[side ? k : first].i]++;
		}
	}
	free(byname);
	validate_routes_across(sums, n, errs, a, d);
	/* allowTraffic.from names other services of the app; one missing from the run is
	 * either a typo or a service deployed separately. */
	qsort(raw, nraw, sizeof(*raw), cmp_str);
	for (size_t i = 0; n > 1 && i < n; i++)
		for (size_t k = 0; sums[i].loaded && k < sums[i].nfroms; k++) {
			const struct from_sum *fs = &sums[i].froms[k];
			if (bsearch(&fs->from.v, raw, nraw, sizeof(*raw), cmp_str))
				continue;
			diag_warn(d, fs->from.loc, arena_printf(a, "allowTraffic[%zu].from[%zu]", fs->t, fs->f),
				  "'%s' is not one of the services of this run; its pods must carry "
				  "hyscale.io/app-name=%s and hyscale.io/service-name=%s for the rule to match",
				  fs->from.v, app ? app : "<app>", fs->from.v);
		}
	free(raw);
}
