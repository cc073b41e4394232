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
};

void run_init(struct run *r, const struct run_opts *o);
void run_free(struct run *r);
/* Loads, checks and renders every file. With render false (validate), every check runs,
 * the providers' too, but nothing is built or rendered (r->out[].ms stays empty).
 * Returns false when the run must fail (errors, or warnings under --strict). */
bool run_pipeline(struct run *r, const char *const *paths, size_t n, bool render);
#endif
