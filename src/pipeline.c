/* The generation pipeline (see pipeline.h). */
#include "pipeline.h"
#include <stdlib.h>
#include <string.h>
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
	arena_free(&r->arena);
}

static void render_service(struct run *r, const struct spec *s, struct rendered *out)
{
	struct arena *a = &r->arena;
	struct diags *d = &r->diags;
	size_t errors_before = d->errors;
	out->env = HS_DEFAULT_ENV;
	struct svc_model m;
	svc_model_build(&m, s, &r->opts, out->env, a, d);
	out->service = m.name;
	manifests_init(&out->ms, a);
	build_workload(&m, &out->ms);
	struct manifest *svc = build_service(&m, &out->ms);
	if (s->lb.set) {
		const char *pname = r->opts.provider ? r->opts.provider : s->lb.provider.v;
		const struct provider *p = provider_find(pname);
		struct routing rt;
		routing_build(&rt, &m, p->name, &r->opts, a);
		struct emit_ctx ctx = { &out->ms, svc, a, d };
		p->emit(&rt, &ctx);
	}
	if (d->errors > errors_before)
		return;
	manifests_finish(&out->ms);
	size_t fcap = 0;
	for (size_t i = 0; i < out->ms.n; i++) {
		struct manifest *mf = out->ms.v[i];
		struct out_file *f = ARENA_PUSH(a, out->dir.files, out->dir.n, fcap);
		f->name = mf->file;
		const char *why = NULL;
		if (!yaml_render(mf, &f->text, &why)) {
			diag_error(d, LOC(s->file, 0, 0), NULL, "%s %s: %s", mf->kind, mf->name, why);
			return;
		}
	}
	/* Only the text is needed from here on: freeing the trees now keeps memory flat
	 * in the number of services instead of holding every service's trees to the end. */
	manifests_free(&out->ms);
	out->ok = true;
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
	for (size_t i = 0; i < n; i++) {
		size_t before = d->errors;
		loaded[i] = yfile_load(&r->files[i], paths[i], "service spec", d);
		if (loaded[i]) {
			spec_read(&r->specs[i], &r->files[i], a, d);
			validate_service(&r->specs[i], a, d);
			validate_loadbalancer(&r->specs[i], r->opts.provider, a, d);
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
	for (size_t k = 1, first = 0; k < nn; k++) {
		if (strcmp(byname[first].name, byname[k].name))
			first = k;
		for (size_t g = first; g < k; g++) {
			size_t i = byname[k].i, j = byname[g].i;
			diag_error(d, r->specs[i].name.loc, "name", "service '%s' is also defined in %s:%d",
				   r->specs[i].name.v, r->specs[j].file, r->specs[j].name.loc.line);
			errs[i]++;
		}
	}
	if (render && d->errors == 0) {
		r->out = arena_alloc(a, (n ? n : 1) * sizeof(*r->out));
		for (size_t i = 0; i < n; i++) {
			if (!loaded[i] || errs[i])
				continue;
			render_service(r, &r->specs[i], &r->out[r->nout++]);
		}
	}
	return !diags_failed(d);
}
