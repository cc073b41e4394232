/* The networking.k8s.io/v1 Ingress shared by the Ingress-based providers. */
#include "provider.h"
#include <string.h>

static void add_path(struct yb *b, struct fy_node *paths, const struct routing *r, const char *path,
		     const char *type, long port)
{
	struct fy_node *p = yb_push_map(b, paths);
	yb_str(b, p, "path", path);
	yb_str(b, p, "pathType", type);
	struct fy_node *svc = yb_child_map(b, yb_child_map(b, p, "backend"), "service");
	yb_str(b, svc, "name", r->service);
	yb_int(b, yb_child_map(b, svc, "port"), "number", port);
}

struct manifest *ingress_build(const struct routing *r, struct emit_ctx *c, const char *name,
			       bool with_tls, bool segment_prefix)
{
	struct manifest *m = manifest_new(c->ms, "networking.k8s.io/v1", "Ingress", name, r->ns, &r->labels);
	struct yb *b = &m->yb;
	struct fy_node *spec = yb_child_map(b, m->root, "spec");
	if (r->class_name)
		yb_str(b, spec, "ingressClassName", r->class_name);
	if (with_tls && r->tls_secret) {
		struct fy_node *tls = yb_push_map(b, yb_child_seq(b, spec, "tls"));
		struct fy_node *hosts = yb_child_seq(b, tls, "hosts");
		for (size_t i = 0; i < r->nhosts; i++)
			yb_push_str(b, hosts, r->hosts[i]);
		yb_str(b, tls, "secretName", r->tls_secret);
	}
	struct fy_node *rules = yb_child_seq(b, spec, "rules");
	for (size_t h = 0; h < r->nhosts; h++) {
		struct fy_node *rule = yb_push_map(b, rules);
		yb_str(b, rule, "host", r->hosts[h]);
		struct fy_node *paths = yb_child_seq(b, yb_child_map(b, rule, "http"), "paths");
		for (size_t i = 0; i < r->nroutes; i++) {
			const struct route *rt = &r->routes[i];
			if (rt->exact) {
				add_path(b, paths, r, rt->path, "Exact", rt->port);
			} else if (segment_prefix && strcmp(rt->path, "/")) {
				/* Exact /p + Prefix /p/ is segment matching on any controller, also on
				 * those whose Prefix is a plain string prefix (Traefik). */
				add_path(b, paths, r, rt->path, "Exact", rt->port);
				add_path(b, paths, r, arena_printf(c->a, "%s/", rt->path), "Prefix", rt->port);
			} else {
				add_path(b, paths, r, rt->path, "Prefix", rt->port);
			}
		}
	}
	return m;
}

void check_planned_ingress(const struct routing *r, struct diags *d, ingress_plan_fn plan)
{
	struct planned p = { 0 };
	warn_ignored_labels(r, d);
	plan(r, d->arena, &p);
	check_annotation_overrides(r, d, &p, 1);
}

struct manifest *emit_planned_ingress(const struct routing *r, struct emit_ctx *c, ingress_plan_fn plan,
				      bool segment_prefix)
{
	struct planned p = { 0 };
	plan(r, c->a, &p);
	struct manifest *m = ingress_build(r, c, p.name, true, segment_prefix);
	annotate_planned(r, m, &p);
	return m;
}
