/* Profile selection and merge (see profile.h). */
#include "profile.h"
#include <string.h>
#include <unistd.h>
#include "merge.h"

static struct fy_node *root_map(struct yfile *yf)
{
	struct fy_node *r = yf->doc ? fy_document_root(yf->doc) : NULL;
	while (r && fy_node_is_alias(r))
		r = fy_node_resolve_alias(r);
	return r && fy_node_is_mapping(r) ? r : NULL;
}

static const char *field(struct yfile *yf, struct fy_node *map, const char *key, struct loc *at)
{
	struct fy_node_pair *p = fy_node_mapping_lookup_pair_by_string(map, key, FY_NT);
	if (!p)
		return NULL;
	struct fy_node *v = fy_node_pair_value(p);
	while (v && fy_node_is_alias(v))
		v = fy_node_resolve_alias(v);
	*at = yloc(yf, v && !yis_null(v) ? v : fy_node_pair_key(p));
	return v && !yis_null(v) ? yscalar(v, NULL) : NULL;
}

const char *spec_raw_name(struct yfile *spec, struct loc *at)
{
	struct fy_node *r = root_map(spec);
	*at = LOC(spec->path, 1, 1);
	return r ? field(spec, r, "name", at) : NULL;
}

bool profile_load(struct profile *p, const char *path, struct arena *a, struct diags *d)
{
	memset(p, 0, sizeof(*p));
	if (!yfile_load(&p->yf, path, "profile", d))
		return false;
	p->loaded = true;
	struct fy_node *r = root_map(&p->yf);
	if (!r) {
		diag_error(d, yloc(&p->yf, fy_document_root(p->yf.doc)), NULL,
			   "a profile must be a mapping with environment and overrides");
		return false;
	}
	bool ok = true;
	p->env = field(&p->yf, r, "environment", &p->env_loc);
	p->overrides = field(&p->yf, r, "overrides", &p->overrides_loc);
	if (!p->env) {
		diag_error(d, p->env_loc.line ? p->env_loc : yloc(&p->yf, r), "environment",
			   "missing required field: the environment this profile is for, e.g. environment: dev");
		ok = false;
	}
	if (!p->overrides) {
		diag_error(d, p->overrides_loc.line ? p->overrides_loc : yloc(&p->yf, r), "overrides",
			   "missing required field: the name of the service this profile changes");
		ok = false;
	}
	(void)a;
	return ok;
}

const char *profile_merge_key(const char *shape)
{
	if (!strcmp(shape, "agents[].volumes"))
		return "attach";
	const char *last = strrchr(shape, '.');
	last = last ? last + 1 : shape;
	if (!strcmp(last, "volumes") || !strcmp(last, "agents"))
		return "name";
	if (!strcmp(last, "ports"))
		return "port";
	return NULL;
}

static bool profile_replaces(const char *shape)
{
	/* HyScale's REPLACE strategy: traffic rules are a whole, not a set. */
	return !strcmp(shape, "allowTraffic");
}

bool profile_apply(struct profile *p, struct yfile *spec, struct arena *a, struct diags *d)
{
	struct fy_node *dst = root_map(spec), *src = root_map(&p->yf);
	if (!dst || !src)
		return false;
	/* The profile is chosen by the service's name; changing it would make the choice
	 * and the result disagree. */
	struct fy_node_pair *np = fy_node_mapping_lookup_pair_by_string(src, "name", FY_NT);
	if (np) {
		diag_error(d, yloc(&p->yf, fy_node_pair_key(np)), "name",
			   "a profile cannot rename its service; it overrides '%s'", p->overrides);
		return false;
	}
	static const char *const skip[] = { "environment", "overrides", NULL };
	struct ymerge m = { .dst_doc = spec->doc, .dst_yf = spec, .src = &p->yf, .key_for = profile_merge_key,
			    .replaces = profile_replaces, .scalar_lists_replace = false,
			    .a = a, .d = d };
	return ymerge_map(&m, dst, src, "", "", skip);
}

const char *profile_find(const char *spec_path, const char *name, const char *env, struct loc at,
			 struct arena *a, struct diags *d)
{
	const char *slash = strrchr(spec_path, '/');
	const char *dir = slash ? arena_strndup(a, spec_path, (size_t)(slash - spec_path) + (slash == spec_path)) : ".";
	const char *sep = !strcmp(dir, "/") ? "" : "/";
	if (!slash)
		dir = sep = "";
	const char *c1 = arena_printf(a, "%s%s%s-%s.hprof", dir, sep, env, name);
	const char *c2 = arena_printf(a, "%s%sprofiles/%s-%s.hprof", dir, sep, env, name);
	bool h1 = access(c1, F_OK) == 0, h2 = access(c2, F_OK) == 0;
	if (h1 && h2) {
		diag_error(d, at, "name", "service '%s' has two profiles for '%s': %s and %s; keep one", name, env, c1, c2);
		return NULL;
	}
	if (!h1 && !h2) {
		diag_error(d, at, "name", "no profile for service '%s' in environment '%s' (-P): looked for %s and %s",
			   name, env, c1, c2);
		return NULL;
	}
	return h1 ? c1 : c2;
}
