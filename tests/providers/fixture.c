/* Runs one provider from a routing-model fixture, without a spec: reads model.yaml into a
 * struct routing, calls the provider's check() and, when it found no error, emit(), and
 * writes the objects (one stream, apply order) and the diagnostics. Positions and fields
 * of the diagnostics are those of model.yaml: an intent's origin is its node there.
 *
 *   provider-fixture model.yaml OUT.yaml OUT.stderr
 *
 * model.yaml (every key optional but provider, service and routes):
 *   provider: nginx                namespace: shop (absent: as without -n)      service: web      base: dev-web
 *   app: app (the app's shared entry point is dev-<app>-gateway; it is emitted after the route objects)
 *   labels: {k: v}                 hosts: [a.example.com]   tlsSecret: shop-tls
 *   httpsRedirect: true            sticky: {cookie: c, ttl: 1800}            className: nginx
 *   headers: {X-Env: prod}         annotations: {k: v}      gatewayLabels: {istio: ingressgateway}
 *   gateway: {name: g, namespace: infra, sectionName: https, referenceGrant: true}
 *   routes: [{path: /api, exact: false, port: 8080}]
 *   backends: [{port: 8443, protocol: https}]   (default: each route port, http)
 *   gatewayExperimental: false     hasService: true (a Service stub the provider may annotate)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../src/emit/yaml_out.h"
#include "../../src/providers/provider.h"
#include "../../src/spec/yaml.h"

struct fx {
	struct yfile yf;
	struct arena *a;
	struct diags *d;
	struct fy_node *root;
};

static struct fy_node *get(struct fx *f, struct fy_node *map, const char *key)
{
	(void)f;
	return map ? fy_node_mapping_lookup_by_string(map, key, FY_NT) : NULL;
}

static const char *str(struct fx *f, struct fy_node *map, const char *key)
{
	const char *s = yscalar(get(f, map, key), NULL);
	return s ? arena_strdup(f->a, s) : NULL;
}

static bool boolean(struct fx *f, struct fy_node *map, const char *key, bool dflt)
{
	const char *s = str(f, map, key);
	return s ? !strcmp(s, "true") : dflt;
}

/* The node's position, or the root's when the key is absent; the field is the model key. */
static struct origin orig(struct fx *f, struct fy_node *n, const char *field)
{
	struct origin o = { yloc(&f->yf, n ? n : f->root), field };
	return o;
}

static void kvs(struct fx *f, struct fy_node *map, struct kvl *out, const char *prefix, struct origin **origins)
{
	if (!map || !fy_node_is_mapping(map))
		return;
	size_t n = (size_t)fy_node_mapping_item_count(map), i = 0;
	if (origins)
		*origins = arena_alloc(f->a, (n + 1) * sizeof(struct origin));
	void *it = NULL;
	for (struct fy_node_pair *p; (p = fy_node_mapping_iterate(map, &it)); i++) {
		const char *k = arena_strdup(f->a, yscalar(fy_node_pair_key(p), NULL));
		kvl_add(f->a, out, k, arena_strdup(f->a, yscalar(fy_node_pair_value(p), NULL)));
		if (origins)
			(*origins)[i] = orig(f, fy_node_pair_key(p), arena_printf(f->a, "%s.%s", prefix, k));
	}
}

static void read_model(struct fx *f, struct routing *r)
{
	struct arena *a = f->a;
	struct fy_node *m = f->root;
	memset(r, 0, sizeof(*r));
	r->provider = str(f, m, "provider");
	r->ns = str(f, m, "namespace");   /* absent: namespace-relative, as without -n */
	r->ns_text = r->ns ? r->ns : "<namespace>";
	r->service = str(f, m, "service");
	r->service_host = r->ns ? arena_printf(a, "%s.%s.svc.cluster.local", r->service, r->ns) : r->service;
	r->base = str(f, m, "base") ? str(f, m, "base") : arena_printf(a, "dev-%s", r->service);
	r->app = str(f, m, "app") ? str(f, m, "app") : "app";
	r->env = "dev";
	r->app_base = arena_printf(a, "dev-%s", r->app);
	r->block = orig(f, NULL, "loadBalancer");
	r->provider_origin = orig(f, get(f, m, "provider"), "provider");
	r->service_name = orig(f, get(f, m, "service"), "service");
	kvs(f, get(f, m, "labels"), &r->labels, "labels", NULL);
	for (size_t i = 0; i < r->labels.n; i++)
		if (strcmp(r->labels.v[i].key, "hyscale.io/service-name") && strcmp(r->labels.v[i].key, "app.kubernetes.io/name"))
			kvl_add(a, &r->app_labels, r->labels.v[i].key, r->labels.v[i].value);
	struct fy_node *hosts = get(f, m, "hosts");
	size_t hcap = 0;
	void *it = NULL;
	r->host_origins = arena_alloc(a, (size_t)(hosts ? fy_node_sequence_item_count(hosts) + 1 : 1) * sizeof(struct origin));
	for (struct fy_node *h; hosts && (h = fy_node_sequence_iterate(hosts, &it));) {
		r->host_origins[r->nhosts] = orig(f, h, "hosts");
		*ARENA_PUSH(a, r->hosts, r->nhosts, hcap) = arena_strdup(a, yscalar(h, NULL));
	}
	r->hosts_origin = orig(f, hosts, "hosts");
	r->tls_secret = str(f, m, "tlsSecret");
	r->tls_origin = orig(f, get(f, m, "tlsSecret"), "tlsSecret");
	r->https_redirect = r->tls_secret && boolean(f, m, "httpsRedirect", true);
	r->redirect_origin = get(f, m, "httpsRedirect") ? orig(f, get(f, m, "httpsRedirect"), "httpsRedirect") : r->tls_origin;
	struct fy_node *sticky = get(f, m, "sticky");
	r->sticky = sticky != NULL;
	r->sticky_origin = orig(f, sticky, "sticky");
	r->cookie_origin = orig(f, get(f, sticky, "cookie") ? get(f, sticky, "cookie") : sticky, "sticky.cookie");
	r->cookie = str(f, sticky, "cookie") ? str(f, sticky, "cookie") : HS_DEFAULT_COOKIE;
	r->cookie_ttl = str(f, sticky, "ttl") ? atol(str(f, sticky, "ttl")) : HS_DEFAULT_COOKIE_TTL;
	r->cookie_given = get(f, sticky, "cookie") != NULL;
	r->ttl_given = get(f, sticky, "ttl") != NULL;
	r->ttl_origin = orig(f, get(f, sticky, "ttl") ? get(f, sticky, "ttl") : sticky, "sticky.ttl");
	r->class_name = str(f, m, "className");
	r->class_origin = orig(f, get(f, m, "className"), "className");
	struct fy_node *hn = get(f, m, "headers");
	struct kvl hk = { 0 };
	struct origin *ho = NULL;
	kvs(f, hn, &hk, "headers", &ho);
	r->headers = arena_alloc(a, (hk.n + 1) * sizeof(*r->headers));
	it = NULL;
	for (struct fy_node_pair *p; hn && (p = fy_node_mapping_iterate(hn, &it));) {
		struct hdr *h = &r->headers[r->nheaders];
		h->name = hk.v[r->nheaders].key;
		h->value = hk.v[r->nheaders].value;
		h->name_origin = ho[r->nheaders];
		h->value_origin = orig(f, fy_node_pair_value(p), ho[r->nheaders].field);
		r->nheaders++;
	}
	r->headers_origin = orig(f, hn, "headers");
	kvs(f, get(f, m, "gatewayLabels"), &r->gw_labels, "gatewayLabels", NULL);
	r->labels_origin = orig(f, get(f, m, "gatewayLabels"), "gatewayLabels");
	kvs(f, get(f, m, "annotations"), &r->annotations, "annotations", &r->annotation_origins);
	struct fy_node *gw = get(f, m, "gateway");
	if (gw) {
		r->gateway_ref = true;
		r->gw_name = str(f, gw, "name");
		r->gw_ns = str(f, gw, "namespace") ? str(f, gw, "namespace") : r->ns;
		r->gw_label = r->gw_ns ? arena_printf(a, "%s/%s", r->gw_ns, r->gw_name) : r->gw_name;
		r->gw_cross = r->gw_ns && (!r->ns || strcmp(r->gw_ns, r->ns));
		r->gw_section = str(f, gw, "sectionName");
		r->gw_grant = boolean(f, gw, "referenceGrant", false);
		r->gw_ns_origin = orig(f, get(f, gw, "namespace"), "gateway.namespace");
		r->gw_section_origin = orig(f, get(f, gw, "sectionName"), "gateway.sectionName");
		r->gw_grant_origin = orig(f, get(f, gw, "referenceGrant"), "gateway.referenceGrant");
	}
	struct fy_node *routes = get(f, m, "routes");
	r->mapping_origin = orig(f, routes, "routes");
	it = NULL;
	size_t i = 0;
	for (struct fy_node *n; routes && (n = fy_node_sequence_iterate(routes, &it)); i++) {
		struct route *rt = ARENA_PUSH(a, r->routes, r->nroutes, r->routes_cap);
		rt->path = str(f, n, "path");
		rt->exact = boolean(f, n, "exact", false);
		rt->port = atol(str(f, n, "port"));
		rt->port_name = arena_printf(a, "%ld-tcp", rt->port);
		rt->origin = orig(f, n, arena_printf(a, "routes[%zu]", i));
	}
	struct fy_node *bes = get(f, m, "backends");
	it = NULL;
	i = 0;
	for (struct fy_node *n; bes && (n = fy_node_sequence_iterate(bes, &it)); i++) {
		struct backend *be = ARENA_PUSH(a, r->backends, r->nbackends, r->backends_cap);
		be->port = atol(str(f, n, "port"));
		const char *proto = str(f, n, "protocol");
		be->proto = proto && !strcmp(proto, "https") ? BACKEND_HTTPS : BACKEND_HTTP;
		be->origin = orig(f, n, arena_printf(a, "backends[%zu]", i));
	}
	for (i = 0; i < r->nroutes; i++)
		if (!routing_backend(r, r->routes[i].port)) {
			struct backend *be = ARENA_PUSH(a, r->backends, r->nbackends, r->backends_cap);
			be->port = r->routes[i].port;
			be->origin = r->routes[i].origin;
		}
	r->gateway_experimental = boolean(f, m, "gatewayExperimental", false);
	r->implementation = str(f, m, "implementation");
	r->implementation_origin = orig(f, get(f, m, "implementation"), "implementation");
	r->has_service = boolean(f, m, "hasService", true);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fputs("usage: provider-fixture model.yaml OUT.yaml OUT.stderr\n", stderr);
		return 2;
	}
	struct arena a;
	arena_init(&a);
	struct diags d;
	diags_init(&d, &a);
	struct fx f = { .a = &a, .d = &d };
	int rc = 1;
	FILE *out = fopen(argv[2], "w"), *err = fopen(argv[3], "w");
	if (!out || !err || !yfile_load(&f.yf, argv[1], "routing model", &d) ||
	    !(f.root = fy_document_root(f.yf.doc)) || !fy_node_is_mapping(f.root)) {
		fprintf(stderr, "provider-fixture: cannot read %s\n", argv[1]);
		goto done;
	}
	struct routing r;
	read_model(&f, &r);
	const struct provider *p = r.provider ? provider_find(r.provider) : NULL;
	if (!p || !r.service) {
		fprintf(stderr, "provider-fixture: %s: provider and service are required\n", argv[1]);
		goto done;
	}
	r.provider = p->name;
	p->check(&r, &d);
	if (!d.errors) {
		struct manifests ms;
		manifests_init(&ms, &a);
		struct emit_ctx c = { &ms, r.has_service ? manifest_new(&ms, "v1", "Service", r.service, r.ns, &r.labels) : NULL,
				      &a };
		p->emit(&r, &c);
		/* The app's shared entry point, of this one service. */
		struct ep_svc *ep = p->emit_shared ? ep_summarize(&r, &a) : NULL;
		struct ep_group *g;
		size_t ng;
		ep_group_all(&ep, ep ? 1 : 0, &d, &a, &g, &ng);
		for (size_t i = 0; i < ng; i++)
			p->emit_shared(&g[i], &c);
		manifests_finish(&ms);
		for (size_t i = 0; i < ms.n; i++) {
			struct sbuf sb = SBUF_INIT;
			const char *why = NULL;
			if (!yaml_render(ms.v[i], &sb, &why))
				fprintf(err, "render %s %s: %s\n", ms.v[i]->kind, ms.v[i]->name, why);
			fprintf(out, "---\n%s", sb_str(&sb));
			sb_release(&sb);
		}
		manifests_free(&ms);
	}
	diags_print(&d, err);
	rc = 0;
done:
	if (out)
		fclose(out);
	if (err)
		fclose(err);
	yfile_release(&f.yf);
	arena_free(&a);
	return rc;
}
