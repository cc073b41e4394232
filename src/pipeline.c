/* The generation pipeline (see pipeline.h). */
#include "pipeline.h"
#include "app_entry.h"
#include <stdlib.h>
#include <string.h>
#include "build/config.h"
#include "build/limits.h"
#include "build/workload.h"
#include "emit/yaml_out.h"
#include "model/routing.h"
#include "model/service.h"
#include "providers/provider.h"
#include "spec/read.h"
#include "util/names.h"
#include "validate/validate.h"

void run_init(struct run *r, const struct run_opts *o)
{
	memset(r, 0, sizeof(*r));
	arena_init(&r->arena);
	diags_init(&r->diags, &r->arena);
	r->opts = *o;
	r->diags.strict = o->strict;
}

void run_free(struct run *r)
{
	for (size_t i = 0; i < r->nout; i++) {
		manifests_free(&r->out[i].ms);
		for (size_t f = 0; f < r->out[i].dir.n; f++)
			sb_release(&r->out[i].dir.files[f].text);
	}
	for (size_t i = 0; i < r->nfiles; i++)
		yfile_release(&r->files[i]);
	for (size_t i = 0; i < r->nprofiles; i++)
		yfile_release(&r->profiles[i].yf);
	for (size_t i = 0; i < r->snippets.n; i++)
		yfile_release(r->snippets.v[i]);
	arena_free(&r->arena);
}

/* With render false (validate), the model is built and every provider check runs, but no
 * object is built: k8sSnippets are read, not merged. */
static void render_service(struct run *r, const struct spec *s, const char *env, struct rendered *out, bool render)
{
	struct arena *a = &r->arena;
	struct diags *d = &r->diags;
	size_t errors_before = d->errors;
	out->env = env;
	struct svc_model m;
	svc_model_build(&m, s, &r->opts, out->env, a, d);
	out->service = m.name;
	const struct provider *p = NULL;
	struct routing rt;
	bool emit = false;
	if (s->lb.set) {
		p = provider_find(r->opts.provider ? r->opts.provider : s->lb.provider.v);
		routing_build(&rt, &m, p->name, &r->opts, a);
		size_t before = d->errors, first = d->n;
		p->check(&rt, d);
		emit = d->errors == before;
		if (emit)
			out->entry = ep_summarize(&rt, a);
		/* What a provider says about itself belongs to --provider when that chose it, not
		 * to the spec's provider: line, which names another. */
		bool overridden = r->opts.provider && (!s->lb.provider.v || provider_find(s->lb.provider.v) != p);
		for (size_t i = first; overridden && i < d->n; i++)
			if (d->items[i].field && !strcmp(d->items[i].field, "loadBalancer.provider")) {
				d->items[i].loc = LOC(s->file, 0, 0);
				d->items[i].field = arena_printf(a, "--provider %s", r->opts.provider);
			}
	}
	if (!render) {
		build_snippets(&m, NULL, &r->snippets, d);
		return;
	}
	manifests_init(&out->ms, a);
	build_workload(&m, &out->ms);
	build_configs(&m, &out->ms);
	struct manifest *svc = build_service(&m, &out->ms);
	build_autoscaler(&m, &out->ms);
	build_network_policy(&m, &out->ms, a);
	if (emit) {
		struct emit_ctx ctx = { &out->ms, svc, a };
		size_t before = out->ms.n;
		p->emit(&rt, &ctx);
		for (size_t i = before; i < out->ms.n; i++)
			out->ms.v[i]->at = s->lb.loc;
	}
	build_snippets(&m, &out->ms, &r->snippets, d);
	if (d->errors > errors_before)
		return;
	manifests_finish(&out->ms);
	size_t fcap = 0;
	for (size_t i = 0; i < out->ms.n; i++) {
		struct manifest *mf = out->ms.v[i];
		struct out_file *f = ARENA_PUSH(a, out->dir.files, out->dir.n, fcap);
		f->name = mf->file;
		f->secret = !strcmp(mf->kind, "Secret");
		const char *why = NULL;
		if (!yaml_render(mf, &f->text, &why)) {
			diag_error(d, LOC(s->file, 0, 0), NULL, "%s %s: %s", mf->kind, mf->name, why);
			return;
		}
		manifest_check_limits(mf, f->text.len, s->name.loc, d);
	}
	if (d->errors > errors_before)
		return;
	/* generate needs only the text from here on: freeing the trees now keeps memory flat
	 * in the number of services instead of holding every service's trees to the end. */
	if (!r->keep_trees)
		manifests_free(&out->ms);
	out->ok = true;
}

/* The environment is the value of the hyscale.io/environment-name selector label as
 * written (HyScale accepted Stage and qa_1, and changing a selector means recreating the
 * workloads), and, normalised like service names (stage, qa-1), part of object names. */
static void check_env(struct run *r, const struct profile *p)
{
	const char *obj = name_normalize(&r->arena, p->env);
	if (!is_label_value(p->env) || !*p->env || !is_dns_label(obj) || strlen(obj) > 30)
		diag_error(&r->diags, p->env_loc, "environment",
			   "'%s' cannot name an environment: letters, digits, '-', '_' and '.', at most 30, starting and "
			   "ending with a letter or digit (it becomes a label value and, in lower case, part of object names)",
			   p->env);
}

/* -p: each profile names its service in `overrides`; -P: one <env>-<service>.hprof per spec. */
static void apply_profiles(struct run *r, bool *loaded, size_t n)
{
	struct arena *a = &r->arena;
	struct diags *d = &r->diags;
	const struct run_opts *o = &r->opts;
	size_t np = o->profile_env ? n : o->nprofiles;
	if (!np)
		return;
	r->profiles = arena_alloc(a, np * sizeof(*r->profiles));
	const char **names = arena_alloc(a, (n ? n : 1) * sizeof(char *));
	struct loc *nlocs = arena_alloc(a, (n ? n : 1) * sizeof(struct loc));
	for (size_t i = 0; i < n; i++)
		names[i] = loaded[i] ? spec_raw_name(&r->files[i], &nlocs[i]) : NULL;
	struct profile **chosen = arena_alloc(a, (n ? n : 1) * sizeof(*chosen));
	if (o->profile_env) {
		for (size_t i = 0; i < n; i++) {
			if (!names[i])
				continue;
			const char *path = profile_find(r->files[i].path, names[i], o->profile_env, nlocs[i], a, d);
			if (!path) {
				loaded[i] = false;
				continue;
			}
			struct profile *p = &r->profiles[r->nprofiles++];
			if (!profile_load(p, path, a, d)) {
				loaded[i] = false;
				continue;
			}
			if (strcmp(p->env, o->profile_env)) {
				diag_error(d, p->env_loc, "environment",
					   "profile is for environment '%s', but -P asked for '%s' (file %s)", p->env,
					   o->profile_env, path);
				loaded[i] = false;
			} else if (strcmp(p->overrides, names[i])) {
				diag_error(d, p->overrides_loc, "overrides",
					   "profile overrides service '%s', but its file name says '%s'", p->overrides, names[i]);
				loaded[i] = false;
			} else {
				chosen[i] = p;
			}
		}
	} else {
		for (size_t k = 0; k < o->nprofiles; k++) {
			struct profile *p = &r->profiles[r->nprofiles++];
			if (!profile_load(p, o->profiles[k], a, d))
				continue;
			size_t hit = n;
			for (size_t i = 0; i < n && hit == n; i++)
				if (names[i] && !strcmp(names[i], p->overrides))
					hit = i;
			bool all_named = true;
			for (size_t i = 0; i < n; i++)
				all_named = all_named && names[i];
			/* A spec whose name could not be read is reported already; it may be the one. */
			if (hit == n && !all_named)
				continue;
			if (hit == n) {
				diag_error(d, p->overrides_loc, "overrides",
					   "profile for service '%s', which is not among the specs given with -f", p->overrides);
				continue;
			}
			if (chosen[hit]) {
				diag_error(d, p->overrides_loc, "overrides",
					   "service '%s' cannot have two profiles: %s is given too", p->overrides,
					   chosen[hit]->yf.path);
				loaded[hit] = false;
				continue;
			}
			chosen[hit] = p;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (!chosen[i] || !loaded[i])
			continue;
		check_env(r, chosen[i]);
		r->envs[i] = chosen[i]->env;
		if (!profile_apply(chosen[i], &r->files[i], a, d))
			loaded[i] = false;
	}
}

struct named { const char *name; size_t i; };

static int cmp_named(const void *x, const void *y)
{
	const struct named *a = x, *b = y;
	int c = strcmp(a->name, b->name);
	return c ? c : (a->i > b->i) - (a->i < b->i);
}

bool run_pipeline(struct run *r, const char *const *paths, size_t n, bool render)
{
	struct arena *a = &r->arena;
	struct diags *d = &r->diags;
	r->files = arena_alloc(a, (n ? n : 1) * sizeof(*r->files));
	r->specs = arena_alloc(a, (n ? n : 1) * sizeof(*r->specs));
	r->nfiles = n;
	bool *loaded = arena_alloc(a, (n ? n : 1) * sizeof(bool));
	size_t *errs = arena_alloc(a, (n ? n : 1) * sizeof(size_t));
	r->envs = arena_alloc(a, (n ? n : 1) * sizeof(*r->envs));
	for (size_t i = 0; i < n; i++) {
		loaded[i] = yfile_load(&r->files[i], paths[i], "service spec", d);
		r->envs[i] = HS_DEFAULT_ENV;
	}
	apply_profiles(r, loaded, n);
	for (size_t i = 0; i < n; i++) {
		size_t before = d->errors;
		if (loaded[i]) {
			spec_read(&r->specs[i], &r->files[i], a, d);
			/* A spec cut short by the alias budget is refused already; checking the
			 * partial tree would only multiply messages. */
			if (!r->files[i].budget_reported) {
				validate_service(&r->specs[i], a, d);
				validate_pod(&r->specs[i], a, d);
				validate_loadbalancer(&r->specs[i], r->opts.provider, a, d);
			}
		}
		errs[i] = d->errors - before;
	}
	/* Two specs for one service would overwrite each other's objects. Sorted by name
	 * (then by position) so that a large app costs n log n here, not n^2. */
	struct named *byname = arena_alloc(a, (n ? n : 1) * sizeof(*byname));
	size_t nn = 0;
	for (size_t i = 0; i < n; i++)
		if (loaded[i] && r->specs[i].name.v)
			byname[nn++] = (struct named){ name_normalize(a, r->specs[i].name.v), i };
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
			const struct spec *me = &r->specs[byname[side ? k : first].i];
			const struct spec *other = &r->specs[byname[side ? first : k].i];
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
	/* A spec cut short by the alias budget is not compared either (its partial lists can
	 * hold a million aliased paths). */
	bool *whole = arena_alloc(a, (n ? n : 1) * sizeof(bool));
	for (size_t i = 0; i < n; i++)
		whole[i] = loaded[i] && !r->files[i].budget_reported;
	validate_routes_across(r->specs, whole, n, errs, a, d);
	/* allowTraffic.from names other services of the app; one missing from the run is
	 * either a typo or a service deployed separately. */
	for (size_t i = 0; n > 1 && i < n; i++) {
		const struct spec *s = &r->specs[i];
		for (size_t t = 0; loaded[i] && t < s->ntraffic; t++)
			for (size_t f = 0; f < s->traffic[t].nfrom; f++) {
				const struct sstr *from = &s->traffic[t].from[f];
				bool found = false;
				for (size_t j = 0; j < n && !found; j++)
					found = loaded[j] && r->specs[j].name.v && !strcmp(r->specs[j].name.v, from->v);
				if (!found)
					diag_warn(d, from->loc, arena_printf(a, "allowTraffic[%zu].from[%zu]", t, f),
						  "'%s' is not one of the services of this run; its pods must carry "
						  "hyscale.io/app-name=%s and hyscale.io/service-name=%s for the rule to match",
						  from->v, r->opts.app ? r->opts.app : "<app>", from->v);
			}
	}
	/* Every spec that passed its checks is rendered even when another one failed, so that
	 * what only rendering finds (unreadable file props, snippets) is reported in the same
	 * run; the commands write nothing unless the whole run succeeded. */
	r->out = arena_alloc(a, (n ? n : 1) * sizeof(*r->out));
	for (size_t i = 0; i < n; i++) {
		if (!loaded[i] || errs[i])
			continue;
		struct rendered *out = &r->out[r->nout++];
		render_service(r, &r->specs[i], r->envs[i], out, render);
	}
	app_entrypoints(r, render);
	return !diags_failed(d);
}
