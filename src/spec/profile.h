/* Profiles (.hprof): choosing them (-p files, or -P <env> looking for exactly
 * <env>-<service>.hprof beside each spec and in its profiles/ folder) and merging them
 * onto the spec's YAML tree before the typed reader runs, so every merged value is
 * reported at its place in the profile. */
#ifndef HS_PROFILE_H
#define HS_PROFILE_H
#include <stdbool.h>
#include "yaml.h"

struct profile {
	struct yfile yf;
	bool loaded;
	const char *env, *overrides;      /* the profile's environment / overrides fields */
	struct loc env_loc, overrides_loc;
};

/* Loads a profile and reads its two required fields; false (reported) on failure. */
bool profile_load(struct profile *p, const char *path, struct arena *a, struct diags *d);
/* Merges p onto the spec document of spec (HyScale's merge, hyscale.md §2.4). */
bool profile_apply(struct profile *p, struct yfile *spec, struct arena *a, struct diags *d);
/* The spec's raw `name` value, read before the typed reader (NULL if absent). */
const char *spec_raw_name(struct yfile *spec, struct loc *at);
/* -P: the path of <env>-<name>.hprof in the spec's folder or its profiles/ folder; NULL
 * (reported) when there is none or there are two. */
const char *profile_find(const char *spec_path, const char *name, const char *env, struct loc at,
			 struct arena *a, struct diags *d);
/* The merge keys of profile lists (volumes→name, agents→name, ports→port,
 * agents[].volumes→attach); exposed for tests. */
const char *profile_merge_key(const char *shape);
#endif
