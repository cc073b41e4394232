/* One run over a set of service specs: load → validate → model → build → providers →
 * render. Commands (generate, validate, deploy) call it and decide what to do with the
 * rendered services. */
#ifndef HS_PIPELINE_H
#define HS_PIPELINE_H
#include "build/manifest.h"
#include "build/snippets.h"
#include "emit/output.h"
#include "model/entrypoints.h"
#include "model/options.h"
#include "spec/spec.h"
#include "spec/profile.h"
#include "spec/yaml.h"

struct rendered {
	const char *service;         /* normalised name */
	const char *env;
	struct manifests ms;
	struct out_dir dir;          /* file name → YAML text */
	bool ok;
	const char *pull_secret;     /* deploy: the registry Secret made for it (never pruned) */
	struct ep_svc *entry;        /* what the app's shared entry point needs of it (run arena), or NULL */
	bool shared;                 /* not a service: the app's shared entry point (app_entry.h) */
};

struct run {
	struct arena arena;
	struct diags diags;
	struct run_opts opts;
	struct yfile *files;
	struct spec *specs;
	size_t nfiles;
	struct profile *profiles;    /* -p files, or the ones -P found; kept for positions */
	size_t nprofiles;
	const char **envs;           /* per spec: the profile's environment, or "dev" */
	struct snippet_files snippets; /* k8sSnippets files, alive as long as the manifests */
	struct rendered *out;
	size_t nout;
	bool keep_trees;             /* deploy reads the manifest trees after rendering */
	struct arena *keeps;         /* run_stream: one per thread, what outlives each service */
	size_t nkeeps;
};

/* What rendering one service works with. generate's streaming run (stream.h) gives each
 * service an arena of its own, freed once the service is written, and keeps in `keep`
 * what must outlive it (summaries for the checks across services, diagnostics). */
struct svc_ctx {
	struct arena *a;             /* the service's work */
	struct arena *keep;          /* outlives the service, until the end of the run */
	struct diags *d;
	const struct run_opts *opts;
	struct snippet_files *snippets; /* released with the service's manifests */
	bool keep_trees;             /* deploy reads the manifest trees after rendering */
};

/* One spec that passed its checks, built and rendered into out (with render false,
 * only checked: see run_pipeline). */
void render_service(const struct svc_ctx *c, const struct spec *s, const char *env, struct rendered *out, bool render);
/* Reads a loaded spec and runs every check of its own (not those across services). */
void check_spec(struct spec *s, struct yfile *yf, const struct run_opts *o, struct arena *a, struct diags *d);
/* -P: loads <env>-<service>.hprof found for the spec at spec_path (service name, named at
 * nloc) into p, and checks that it is for that environment and service; false, reported,
 * when it cannot be used. p may hold a loaded file either way (release it). */
bool profile_for_env(struct profile *p, const char *spec_path, const char *name, struct loc nloc, const char *env,
		     struct arena *a, struct diags *d);
/* A profile's environment must be usable as a label value and in object names. */
void check_env(const struct profile *p, struct arena *a, struct diags *d);

void run_init(struct run *r, const struct run_opts *o);
void run_free(struct run *r);
/* Loads, checks and renders every file. With render false (validate), every check runs,
 * the providers' too, but nothing is built or rendered (r->out[].ms stays empty).
 * Returns false when the run must fail (errors, or warnings under --strict). */
bool run_pipeline(struct run *r, const char *const *paths, size_t n, bool render);
#endif
