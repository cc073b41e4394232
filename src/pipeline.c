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
	for (size_t i = 0; i < r->nkeeps; i++)
		arena_free(&r->keeps[i]);
	free(r->keeps);
	arena_free(&r->arena);
}

/* With render false (validate), the model is built and every provider check runs, but no
 * object is built: k8sSnippets are read, not merged. */
void render_service(const struct svc_ctx *c, const struct spec *s, const char *env, struct rendered *out, bool render)
{
	struct arena *a = c->a;
	struct diags *d = c->d;
	const struct run_opts *o = c->opts;
	size_t errors_before = d->errors;
	out->env = env;
	struct svc_model m;
	svc_model_build(&m, s, o, out->env, a, d);
	out->service = m.name;
	const struct provider *p = NULL;
	struct routing rt;
	bool emit = false;
	if (s->lb.set) {
		p = provider_find(o->provider ? o->provider : s->lb.provider.v);
		routing_build(&rt, &m, p->name, o, a);
		size_t before = d->errors, first = d->n;
		p->check(&rt, d);
		emit = d->errors == before;
		if (emit)
			out->entry = ep_summarize(&rt, c->keep);
		/* What a provider says about itself belongs to --provider when that chose it, not
		 * to the spec's provider: line, which names another. */
		bool overridden = o->provider && (!s->lb.provider.v || provider_find(s->lb.provider.v) != p);
		for (size_t i = first; overridden && i < d->n; i++)
			if (d->items[i].field && !strcmp(d->items[i].field, "loadBalancer.provider")) {
				d->items[i].loc = LOC(s->file, 0, 0);
				d->items[i].field = arena_printf(d->arena, "--provider %s", o->provider);
			}
	}
	if (!render) {
		build_snippets(&m, NULL, c->snippets, d);
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
	build_snippets(&m, &out->ms, c->snippets, d);
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
	if (!c->keep_trees)
		manifests_free(&out->ms);
	out->ok = true;
}

/* The environment is the value of the hyscale.io/environment-name selector label as
 * written (HyScale accepted Stage and qa_1, and changing a selector means recreating the
 * workloads), and, normalised like service names (stage, qa-1), part of object names. */
void check_env(const struct profile *p, struct arena *a, struct diags *d)
{
	const char *obj = name_normalize(a, p->env);
	if (!is_label_value(p->env) || !*p->env || !is_dns_label(obj) || strlen(obj) > 30)
		diag_error(d, p->env_loc, "environment",
			   "'%s' cannot name an environment: letters, digits, '-', '_' and '.', at most 30, starting and "
			   "ending with a letter or digit (it becomes a label value and, in lower case, part of object names)",
			   p->env);
}

void check_spec(struct spec *s, struct yfile *yf, const struct run_opts *o, struct arena *a, struct diags *d)
{
	spec_read(s, yf, a, d);
	/* A spec cut short by the alias budget is refused already; checking the partial tree
	 * would only multiply messages. */
	if (yf->budget_reported)
		return;
	validate_service(s, a, d);
	validate_pod(s, a, d);
	validate_loadbalancer(s, o->provider, a, d);
}

bool profile_for_env(struct profile *p, const char *spec_path, const char *name, struct loc nloc, const char *env,
		     struct arena *a, struct diags *d)
{
	const char *path = profile_find(spec_path, name, env, nloc, a, d);
	if (!path || !profile_load(p, path, a, d))
		return false;
	if (strcmp(p->env, env)) {
		diag_error(d, p->env_loc, "environment", "profile is for environment '%s', but -P asked for '%s' (file %s)",
			   p->env, env, path);
		return false;
	}
	if (strcmp(p->overrides, name)) {
		diag_error(d, p->overrides_loc, "overrides", "profile overrides service '%s', but its file name says '%s'",
			   p->overrides, name);
		return false;
	}
	return true;
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
			struct profile *p = &r->profiles[r->nprofiles++];
			if (profile_for_env(p, r->files[i].path, names[i], nlocs[i], o->profile_env, a, d))
				chosen[i] = p;
			else
				loaded[i] = false;
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
		check_env(chosen[i], a, d);
		r->envs[i] = chosen[i]->env;
		if (!profile_apply(chosen[i], &r->files[i], a, d))
			loaded[i] = false;
	}
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
		if (loaded[i])
			check_spec(&r->specs[i], &r->files[i], &r->opts, a, d);
		errs[i] = d->errors - before;
	}
	/* A spec cut short by the alias budget is not compared by its routes either (its
	 * partial lists can hold a million aliased paths). */
	struct svc_sum *sums = arena_alloc(a, (n ? n : 1) * sizeof(*sums));
	for (size_t i = 0; i < n; i++)
		svc_sum_fill(&sums[i], &r->specs[i], loaded[i], loaded[i] && !r->files[i].budget_reported, a);
	validate_across(sums, n, errs, r->opts.app, a, d);
	/* Every spec that passed its checks is rendered even when another one failed, so that
	 * what only rendering finds (unreadable file props, snippets) is reported in the same
	 * run; the commands write nothing unless the whole run succeeded. */
	r->out = arena_alloc(a, (n ? n : 1) * sizeof(*r->out));
	for (size_t i = 0; i < n; i++) {
		if (!loaded[i] || errs[i])
			continue;
		struct rendered *out = &r->out[r->nout++];
		struct svc_ctx c = { a, a, d, &r->opts, &r->snippets, r->keep_trees };
		render_service(&c, &r->specs[i], r->envs[i], out, render);
	}
	app_entrypoints(r, render);
	return !diags_failed(d);
}
