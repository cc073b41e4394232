/* The app's shared entry points (see app_entry.h). */
#include "app_entry.h"
#include <string.h>
#include "build/limits.h"
#include "emit/yaml_out.h"
#include "providers/provider.h"

/* The groups of one environment in one output: the Gateway API Gateway, then the Istio
 * Gateway (the groups come sorted so). Rendered as render_service renders a service. */
static void render_env(struct run *r, const struct ep_group *g, size_t n, struct rendered *out)
{
	struct arena *a = &r->arena;
	struct diags *d = &r->diags;
	memset(out, 0, sizeof(*out));
	out->shared = true;
	out->env = g[0].env;
	out->service = arena_printf(a, "%s-%s", APP_ENTRY_FOLDER, g[0].env);
	manifests_init(&out->ms, a);
	for (size_t i = 0; i < n; i++) {
		struct emit_ctx ctx = { &out->ms, NULL, a };
		size_t before = out->ms.n;
		provider_find(g[i].provider)->emit_shared(&g[i], &ctx);
		for (size_t k = before; k < out->ms.n; k++)
			out->ms.v[k]->at = g[i].block.at;
	}
	manifests_finish(&out->ms);
	size_t fcap = 0, errors_before = d->errors;
	for (size_t i = 0; i < out->ms.n; i++) {
		struct manifest *mf = out->ms.v[i];
		struct out_file *f = ARENA_PUSH(a, out->dir.files, out->dir.n, fcap);
		f->name = mf->file;
		const char *why = NULL;
		if (!yaml_render(mf, &f->text, &why)) {
			diag_error(d, mf->at, NULL, "%s %s: %s", mf->kind, mf->name, why);
			return;
		}
		manifest_check_limits(mf, f->text.len, mf->at, d);
	}
	if (d->errors > errors_before)
		return;
	if (!r->keep_trees)
		manifests_free(&out->ms);
	out->ok = true;
}

size_t app_entry_render(struct run *r, struct ep_svc *const *v, size_t n, bool render, struct rendered **out)
{
	struct arena *a = &r->arena;
	struct ep_group *g;
	size_t ng, nout = 0;
	*out = NULL;
	ep_group_all(v, n, &r->diags, a, &g, &ng);
	/* Nothing is written when any service failed; the shared objects are not built then. */
	if (!render || !ng || diags_failed(&r->diags))
		return 0;
	*out = arena_alloc(a, ng * sizeof(**out));
	for (size_t i = 0, j; i < ng; i = j) {
		for (j = i + 1; j < ng && !strcmp(g[j].env, g[i].env); j++)
			;
		render_env(r, &g[i], j - i, &(*out)[nout++]);
	}
	return nout;
}

void app_entrypoints(struct run *r, bool render)
{
	struct arena *a = &r->arena;
	struct ep_svc **v = arena_alloc(a, (r->nout ? r->nout : 1) * sizeof(*v));
	size_t n = 0;
	for (size_t i = 0; i < r->nout; i++)
		if (r->out[i].entry)
			v[n++] = r->out[i].entry;
	struct rendered *shared;
	size_t ns = app_entry_render(r, v, n, render, &shared);
	if (!ns)
		return;
	struct rendered *out = arena_alloc(a, (r->nout + ns) * sizeof(*out));
	memcpy(out, r->out, r->nout * sizeof(*out));
	memcpy(out + r->nout, shared, ns * sizeof(*out));
	r->out = out;
	r->nout += ns;
}
