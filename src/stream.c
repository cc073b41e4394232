/* generate's streaming run (see stream.h). */
#include "stream.h"
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "app_entry.h"
#include "build/yb.h"
#include "emit/json_out.h"
#include "providers/provider.h"
#include "spec/fields.h"
#include "spec/read.h"
#include "spec/yaml11.h"
#include "validate/validate.h"

/* The diagnostics of a service are reported in phases; run_pipeline reports each phase
 * for every service before the next one, and so does the merge here. */
enum phase { PH_LOAD, PH_PROFILE, PH_APPLY, PH_CHECK, PH_RENDER, NPHASES };

/* Kept for every service of the run: small. */
struct svc_rec {
	struct diag *diags;          /* in the rendering thread's keep arena */
	uint32_t ndiags;
	uint32_t end[NPHASES];       /* diags[end[p-1] .. end[p]) belong to phase p */
	uint32_t allowed[NPHASES];   /* --allow drops, counted per phase the same way */
	uint32_t errs;               /* errors of its own checks */
};

enum { SLOT_FREE, SLOT_BUSY, SLOT_DONE };

/* One service in flight: everything here is freed when it has been written. */
struct slot {
	int state;
	size_t i;
	struct arena a;
	struct yfile yf;
	struct profile prof;
	struct snippet_files snippets;
	struct rendered out;
	bool json_failed;
};

struct stream {
	struct run *r;
	const char *const *paths;
	size_t n;
	bool json;
	struct svc_rec *recs;
	struct svc_sum *sums;
	struct ep_svc **entries;     /* per service: what the app's shared entry point needs (keep arenas) */
	struct slot *slots;
	size_t nslots;
	pthread_mutex_t mu;
	pthread_cond_t freed, done;
	size_t next;                 /* the next service a worker takes */
};

struct worker {
	struct stream *st;
	struct arena *keep;
	pthread_t th;
};

unsigned jobs_default(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > HS_MAX_JOBS ? HS_MAX_JOBS : (unsigned)n;
}

bool rendered_to_json(struct rendered *out, struct arena *a)
{
	for (size_t f = 0; f < out->dir.n; f++) {
		struct out_file *of = &out->dir.files[f];
		struct sbuf j = SBUF_INIT;
		if (!json_from_yaml(sb_str(&of->text), of->text.len, &j)) {
			sb_release(&j);
			return false;
		}
		sb_release(&of->text);
		of->text = j;
		size_t nl = strlen(of->name);
		if (nl > 5 && !strcmp(of->name + nl - 5, ".yaml"))
			of->name = arena_printf(a, "%.*s.json", (int)(nl - 5), of->name);
	}
	return true;
}

/* -P: <env>-<service>.hprof for this spec, checked and merged as apply_profiles does. */
static bool apply_profile_env(struct stream *st, struct slot *sl, struct svc_rec *rec, struct diags *d,
			      const char **env)
{
	const struct run_opts *o = &st->r->opts;
	struct arena *a = &sl->a;
	struct loc nloc;
	const char *name = spec_raw_name(&sl->yf, &nloc);
	struct profile *chosen = NULL;
	bool loaded = true;
	if (name) {
		loaded = profile_for_env(&sl->prof, sl->yf.path, name, nloc, o->profile_env, a, d);
		chosen = loaded ? &sl->prof : NULL;
	}
	rec->end[PH_PROFILE] = d->n;
	rec->allowed[PH_PROFILE] = d->allowed;
	if (chosen && loaded) {
		check_env(chosen, a, d);
		*env = chosen->env;
		if (!profile_apply(chosen, &sl->yf, a, d))
			loaded = false;
	}
	return loaded;
}

/* File names in positions may point into the service's arena (a profile's path). */
static void keep_files(struct diags *d, const char *spec_path)
{
	const char *last = NULL, *copy = NULL;
	for (size_t k = 0; k < d->n; k++) {
		const char *f = d->items[k].loc.file;
		if (!f || f == spec_path)
			continue;
		if (f != last) {
			last = f;
			copy = arena_strdup(d->arena, f);
		}
		d->items[k].loc.file = copy;
	}
}

/* Load, profile, read, check and render service sl->i; keep is the thread's arena that
 * lasts as long as the run. */
static void process(struct stream *st, struct slot *sl, struct arena *keep)
{
	struct run *r = st->r;
	const struct run_opts *o = &r->opts;
	struct svc_rec *rec = &st->recs[sl->i];
	struct arena *a = &sl->a;
	struct diags d;
	diags_init(&d, keep);
	d.strict = r->diags.strict;
	d.allow = r->diags.allow;
	d.nallow = r->diags.nallow;
	const char *path = st->paths[sl->i];
	bool loaded = yfile_load(&sl->yf, path, "service spec", &d);
	rec->end[PH_LOAD] = d.n;
	rec->allowed[PH_LOAD] = d.allowed;
	const char *env = HS_DEFAULT_ENV;
	rec->end[PH_PROFILE] = d.n;
	rec->allowed[PH_PROFILE] = d.allowed;
	if (loaded && o->profile_env)
		loaded = apply_profile_env(st, sl, rec, &d, &env);
	rec->end[PH_APPLY] = d.n;
	rec->allowed[PH_APPLY] = d.allowed;
	struct spec s;
	memset(&s, 0, sizeof(s));
	size_t before = d.errors;
	if (loaded)
		check_spec(&s, &sl->yf, o, a, &d);
	rec->errs = d.errors - before;
	rec->end[PH_CHECK] = d.n;
	rec->allowed[PH_CHECK] = d.allowed;
	svc_sum_fill(&st->sums[sl->i], &s, loaded, loaded && !sl->yf.budget_reported, keep);
	if (loaded && !rec->errs) {
		/* The routing summary issue #17 keeps goes to c.keep: it outlives the service. */
		struct svc_ctx c = { a, keep, &d, o, &sl->snippets, false };
		render_service(&c, &s, env, &sl->out, true);
		st->entries[sl->i] = sl->out.entry;
		if (sl->out.ok && st->json && !rendered_to_json(&sl->out, a)) {
			sl->out.ok = false;
			sl->json_failed = true;
		}
	}
	rec->end[PH_RENDER] = d.n;
	rec->allowed[PH_RENDER] = d.allowed;
	keep_files(&d, path);
	rec->diags = d.items;
	rec->ndiags = d.n;
}

static void slot_release(struct slot *sl)
{
	manifests_free(&sl->out.ms);
	for (size_t f = 0; f < sl->out.dir.n; f++)
		sb_release(&sl->out.dir.files[f].text);
	for (size_t k = 0; k < sl->snippets.n; k++)
		yfile_release(sl->snippets.v[k]);
	yfile_release(&sl->yf);
	yfile_release(&sl->prof.yf);
	arena_free(&sl->a);
	memset(&sl->yf, 0, sizeof(sl->yf));
	memset(&sl->prof, 0, sizeof(sl->prof));
	memset(&sl->snippets, 0, sizeof(sl->snippets));
	memset(&sl->out, 0, sizeof(sl->out));
	sl->json_failed = false;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct stream *st = w->st;
	for (;;) {
		pthread_mutex_lock(&st->mu);
		while (st->next < st->n && st->slots[st->next % st->nslots].state != SLOT_FREE)
			pthread_cond_wait(&st->freed, &st->mu);
		if (st->next >= st->n) {
			pthread_mutex_unlock(&st->mu);
			break;
		}
		struct slot *sl = &st->slots[st->next % st->nslots];
		sl->i = st->next++;
		sl->state = SLOT_BUSY;
		pthread_mutex_unlock(&st->mu);
		process(st, sl, w->keep);
		pthread_mutex_lock(&st->mu);
		sl->state = SLOT_DONE;
		pthread_cond_broadcast(&st->done);
		pthread_mutex_unlock(&st->mu);
	}
	yb_thread_done();
	return NULL;
}

/* Appends diags[from, to) of a service to the run's list, numbered in report order. */
static void merge(struct run *r, const struct svc_rec *rec, size_t from, size_t to)
{
	struct diags *d = &r->diags;
	for (size_t k = from; k < to; k++) {
		struct diag *dg = ARENA_PUSH(d->arena, d->items, d->n, d->cap);
		*dg = rec->diags[k];
		dg->seq = (unsigned)d->n;
		if (dg->level == DIAG_ERROR)
			d->errors++;
		else if (dg->level == DIAG_WARNING)
			d->warnings++;
	}
}

/* Counts of a service's diagnostics so far, to stop spooling once the run has failed. */
static void tally(const struct svc_rec *rec, size_t *errors, size_t *warnings)
{
	for (size_t k = 0; k < rec->ndiags; k++) {
		*errors += rec->diags[k].level == DIAG_ERROR;
		*warnings += rec->diags[k].level == DIAG_WARNING;
	}
}

bool run_stream(struct run *r, const char *const *paths, size_t n, unsigned jobs, bool json, struct spool *sp,
		bool *json_failed)
{
	struct stream st;
	memset(&st, 0, sizeof(st));
	st.r = r;
	st.paths = paths;
	st.n = n;
	st.json = json;
	st.recs = arena_alloc(&r->arena, (n ? n : 1) * sizeof(*st.recs));
	st.sums = arena_alloc(&r->arena, (n ? n : 1) * sizeof(*st.sums));
	st.entries = arena_alloc(&r->arena, (n ? n : 1) * sizeof(*st.entries));
	if (jobs < 1)
		jobs = 1;
	if (jobs > n)
		jobs = n ? (unsigned)n : 1;
	/* Enough services in flight to keep every thread busy while one waits to be written,
	 * few enough that memory stays that of a handful of services. */
	st.nslots = jobs == 1 ? 1 : 4 * (size_t)jobs;
	st.slots = calloc(st.nslots, sizeof(*st.slots));
	r->keeps = calloc(jobs, sizeof(*r->keeps));
	if (!st.slots || !r->keeps) {
		fputs("hyscale: fatal: out of memory\n", stderr);
		exit(4);
	}
	r->nkeeps = jobs;
	for (size_t k = 0; k < st.nslots; k++)
		arena_init(&st.slots[k].a);
	struct worker *ws = NULL;
	if (jobs > 1) {
		/* Tables that are filled on first use are filled here, before any thread reads them. */
		provider_value_names();
		yaml11_plain_differs("1", 1);
		pthread_mutex_init(&st.mu, NULL);
		pthread_cond_init(&st.freed, NULL);
		pthread_cond_init(&st.done, NULL);
		ws = calloc(jobs, sizeof(*ws));
		if (!ws) {
			fputs("hyscale: fatal: out of memory\n", stderr);
			exit(4);
		}
		for (unsigned k = 0; k < jobs; k++) {
			ws[k] = (struct worker){ &st, &r->keeps[k], 0 };
			if (pthread_create(&ws[k].th, NULL, work, &ws[k]) != 0) {
				fputs("hyscale: fatal: cannot start a thread\n", stderr);
				exit(4);
			}
		}
	}
	size_t errors = 0, warnings = 0;
	bool spooling = true;
	for (size_t i = 0; i < n; i++) {
		struct slot *sl = &st.slots[i % st.nslots];
		if (jobs == 1) {
			sl->i = i;
			process(&st, sl, &r->keeps[0]);
		} else {
			pthread_mutex_lock(&st.mu);
			while (sl->state != SLOT_DONE || sl->i != i)
				pthread_cond_wait(&st.done, &st.mu);
			pthread_mutex_unlock(&st.mu);
		}
		tally(&st.recs[i], &errors, &warnings);
		*json_failed = *json_failed || sl->json_failed;
		/* Once the run has failed its output is never used: it is not written either. */
		spooling = spooling && !errors && !(r->diags.strict && warnings) && !*json_failed;
		if (spooling && sl->out.ok)
			spooling = spool_service(sp, sl->out.service, sl->out.dir.files, sl->out.dir.n);
		slot_release(sl);
		if (jobs > 1) {
			pthread_mutex_lock(&st.mu);
			sl->state = SLOT_FREE;
			pthread_cond_broadcast(&st.freed);
			pthread_mutex_unlock(&st.mu);
		}
	}
	if (jobs > 1) {
		for (unsigned k = 0; k < jobs; k++)
			pthread_join(ws[k].th, NULL);
		free(ws);
		pthread_cond_destroy(&st.freed);
		pthread_cond_destroy(&st.done);
		pthread_mutex_destroy(&st.mu);
	} else {
		yb_thread_done();
	}
	free(st.slots);

	/* The checks across services, on the summaries; then every diagnostic in the order
	 * run_pipeline reports them: each phase for every service, the checks across
	 * services, and what rendering said of the services that passed them. */
	size_t *errs = arena_alloc(&r->arena, (n ? n : 1) * sizeof(*errs));
	for (size_t i = 0; i < n; i++)
		errs[i] = st.recs[i].errs;
	struct diags across;
	diags_init(&across, &r->arena);
	across.strict = r->diags.strict;
	across.allow = r->diags.allow;
	across.nallow = r->diags.nallow;
	validate_across(st.sums, n, errs, r->opts.app, &r->arena, &across);
	for (enum phase p = PH_LOAD; p < PH_RENDER; p++)
		for (size_t i = 0; i < n; i++) {
			const struct svc_rec *rec = &st.recs[i];
			merge(r, rec, p ? rec->end[p - 1] : 0, rec->end[p]);
			r->diags.allowed += rec->allowed[p] - (p ? rec->allowed[p - 1] : 0);
		}
	struct svc_rec all = { across.items, (uint32_t)across.n, { 0 }, { 0 }, 0 };
	merge(r, &all, 0, across.n);
	r->diags.allowed += across.allowed;
	for (size_t i = 0; i < n; i++) {
		const struct svc_rec *rec = &st.recs[i];
		if (errs[i])
			continue;
		merge(r, rec, rec->end[PH_CHECK], rec->end[PH_RENDER]);
		r->diags.allowed += rec->allowed[PH_RENDER] - rec->allowed[PH_CHECK];
	}
	/* The app's shared entry points come after every service, as in run_pipeline: their
	 * conflicts are reported last and their folder is written last. */
	size_t nv = 0;
	for (size_t i = 0; i < n; i++)
		if (st.entries[i])
			st.entries[nv++] = st.entries[i];
	struct rendered *shared;
	size_t ns = app_entry_render(r, st.entries, nv, true, &shared);
	for (size_t k = 0; k < ns; k++) {
		struct rendered *out = &shared[k];
		if (out->ok && json && !rendered_to_json(out, &r->arena))
			*json_failed = true;
		spooling = spooling && !diags_failed(&r->diags) && !*json_failed;
		if (spooling && out->ok)
			spooling = spool_service(sp, out->service, out->dir.files, out->dir.n);
		manifests_free(&out->ms);
		for (size_t f = 0; f < out->dir.n; f++)
			sb_release(&out->dir.files[f].text);
	}
	return !diags_failed(&r->diags) && !*json_failed;
}
