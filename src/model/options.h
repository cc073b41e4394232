/* What the command line decides for a whole run, shared by the model and the emitters. */
#ifndef HS_OPTIONS_H
#define HS_OPTIONS_H
#include <stdbool.h>
#include <stddef.h>

struct run_opts {
	const char *app;              /* -a, validated */
	const char *ns;               /* -n, or NULL: no namespace written, references namespace-relative */
	const char *provider;         /* --provider override, or NULL */
	bool gateway_experimental;    /* --gateway-channel experimental */
	bool strict;                  /* --strict */
	const char **profiles;        /* -p files (repeatable, comma separated) */
	size_t nprofiles;
	const char *profile_env;      /* -P <env>: <env>-<service>.hprof beside each spec */
	const char *pull_secret;      /* --image-pull-secret: an existing Secret, by name */
	bool allow_outside_files;     /* --allow-outside-files: file(...) props and k8sSnippets may
					 name files outside the folder their path is relative to */
};

#define HS_DEFAULT_ENV "dev"
/* HyScale's: its examples re-push mutable tags, which nodes would otherwise never re-pull. */
#define HS_DEFAULT_PULL_POLICY "Always"
#define HS_DEFAULT_NAMESPACE "default" /* cluster commands without -n or a context namespace */
#endif
