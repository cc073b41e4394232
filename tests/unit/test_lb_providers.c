/* loadBalancer emitters: every warning and error a provider gives when it cannot honour
 * an intent (message and position), and the facts of providers.md that make the obvious
 * manifest wrong (checked in the rendered text). One named cmocka test per table row. */
#include "testutil.h"

/* Ports 8080/http and 9090; the loadBalancer block starts on line 11. */
#define SVC                                                                              \
	"name: web\nimage:\n  name: nginx\n  tag: \"1.25\"\nexternal: true\nports:\n"      \
	"  - port: 8080/http\n  - port: 9090\n  - port: 9091\nloadBalancer:\n"
#define HOST "  host: shop.example.com\n"
#define MAP "  mapping:\n    - port: 8080\n      contextPaths: [/]\n"
#define LABELS "  labels:\n    istio: ingressgateway\n"

struct pcase {
	const char *name;
	const char *provider;      /* --provider, or NULL */
	const char *ns;            /* -n, or NULL */
	bool experimental;         /* --gateway-channel experimental */
	const char *lb;
	bool ok;
	const char *diag[4];       /* diagnostics that must appear */
	const char *out[6];        /* text that must appear in the manifests */
	const char *not_out[3];    /* text that must not */
};

static const struct pcase cases[] = {
	/* ---- every provider ---- */
	{ .name = "service_is_cluster_ip", .provider = "traefik", .lb = "  provider: nginx\n" HOST MAP, .ok = true,
	  .out = { "type: ClusterIP" }, .not_out = { "type: LoadBalancer" } },
	{ .name = "annotation_override_warns_once", .ns = "default", .provider = "traefik",
	  .lb = "  provider: nginx\n  tlsSecret: shop-tls\n" HOST MAP
		"  annotations:\n    traefik.ingress.kubernetes.io/router.entrypoints: websecure,web\n",
	  .ok = true,
	  .diag = { "web.hspec:18:5: warning: loadBalancer.annotations.traefik.ingress.kubernetes.io/router.entrypoints: "
		    "replaces the value hyscale generates for Ingress dev-web-ingress (websecure)" },
	  .out = { "traefik.ingress.kubernetes.io/router.entrypoints: \"websecure,web\"" } },
	/* ---- nginx ---- */
	{ .name = "nginx_retired_note", .lb = "  provider: nginx\n" HOST MAP, .ok = true,
	  .diag = { "web.hspec:11:13: note: loadBalancer.provider: ingress-nginx is retired" },
	  .out = { "apiVersion: networking.k8s.io/v1", "pathType: Prefix" },
	  .not_out = { "kubernetes.io/ingress.class", "use-regex", "serviceName" } },
	{ .name = "nginx_class_tls_redirect", .lb = "  provider: nginx\n  className: nginx\n  tlsSecret: shop-tls\n" HOST MAP,
	  .ok = true, .out = { "ingressClassName: nginx", "secretName: shop-tls", "nginx.ingress.kubernetes.io/ssl-redirect: \"true\"" } },
	{ .name = "nginx_sticky_secure_with_https_only", .lb = "  provider: nginx\n  tlsSecret: shop-tls\n  sticky: true\n" HOST MAP,
	  .ok = true, .out = { "nginx.ingress.kubernetes.io/session-cookie-secure: \"true\"" } },
	{ .name = "nginx_sticky_not_secure_with_plain_http", .lb = "  provider: nginx\n  tlsSecret: shop-tls\n  httpsRedirect: false\n  sticky: true\n" HOST MAP,
	  .ok = true, .out = { "nginx.ingress.kubernetes.io/affinity: cookie" }, .not_out = { "session-cookie-secure" } },
	{ .name = "nginx_redirect_off", .lb = "  provider: nginx\n  tlsSecret: shop-tls\n  httpsRedirect: false\n" HOST MAP,
	  .ok = true, .out = { "nginx.ingress.kubernetes.io/ssl-redirect: \"false\"" } },
	{ .name = "nginx_sticky", .lb = "  provider: nginx\n  sticky: {cookie: SHOP, ttl: 1h30m}\n" HOST MAP, .ok = true,
	  .out = { "nginx.ingress.kubernetes.io/affinity: cookie", "nginx.ingress.kubernetes.io/session-cookie-name: SHOP",
		   "nginx.ingress.kubernetes.io/session-cookie-max-age: \"5400\"",
		   "nginx.ingress.kubernetes.io/session-cookie-path: /" } },
	{ .name = "nginx_headers_snippet_warning", .lb = "  provider: nginx\n" HOST MAP "  headers:\n    X-Env: prod\n    X-Team: a b\n",
	  .ok = true,
	  .diag = { "web.hspec:16:3: warning: loadBalancer.headers: ingress-nginx sets request headers only through the "
		    "configuration-snippet annotation" },
	  .out = { "proxy_set_header X-Env prod;", "proxy_set_header X-Team \"a b\";" } },
	{ .name = "nginx_header_injection_refused", .lb = "  provider: nginx\n" HOST MAP "  headers:\n    X-Env: \"a; proxy_pass http://evil\"\n",
	  .ok = false,
	  .diag = { "web.hspec:17:12: error: loadBalancer.headers.X-Env: this value cannot be passed to nginx literally" } },
	{ .name = "nginx_header_variable_refused", .lb = "  provider: nginx\n" HOST MAP "  headers:\n    X-Env: $host\n",
	  .ok = false, .diag = { "web.hspec:17:12: error: loadBalancer.headers.X-Env: this value cannot be passed to nginx literally" } },
	{ .name = "nginx_header_name_refused", .lb = "  provider: nginx\n" HOST MAP "  headers:\n    X'Env: prod\n",
	  .ok = false, .diag = { "web.hspec:17:5: error: loadBalancer.headers.X'Env: ingress-nginx can only set headers named with letters" } },
	{ .name = "nginx_strict_path_type", .lb = "  provider: nginx\n" HOST "  mapping:\n    - port: 8080\n      contextPaths: [/a~b]\n",
	  .ok = false, .diag = { "web.hspec:15:22: error: loadBalancer.mapping[0].contextPaths[0]: '/a~b': ingress-nginx rejects Prefix/Exact paths" } },
	{ .name = "nginx_same_path_other_provider_ok", .provider = "gateway",
	  .lb = "  provider: nginx\n  className: c\n" HOST "  mapping:\n    - port: 8080\n      contextPaths: [/a~b]\n", .ok = true,
	  .out = { "value: \"/a~b\"" } },
	{ .name = "nginx_labels_ignored", .lb = "  provider: nginx\n" HOST MAP LABELS, .ok = true,
	  .diag = { "web.hspec:16:3: warning: loadBalancer.labels: ignored by provider nginx" } },
	/* ---- traefik ---- */
	{ .name = "traefik_plain", .lb = "  provider: traefik\n" HOST "  mapping:\n    - port: 8080\n      contextPaths: [/api]\n",
	  .ok = true,
	  .out = { "traefik.ingress.kubernetes.io/router.entrypoints: web", "path: /api/\n        pathType: Prefix",
		   "path: /api\n        pathType: Exact" },
	  .not_out = { "router.tls", "traefik.containo.us", "frontend-entry-points" } },
	{ .name = "traefik_tls_two_routers", .ns = "default", .lb = "  provider: traefik\n  tlsSecret: shop-tls\n" HOST MAP, .ok = true,
	  .out = { "traefik.ingress.kubernetes.io/router.entrypoints: websecure", "traefik.ingress.kubernetes.io/router.tls: \"true\"",
		   "name: dev-web-http-ingress", "traefik.ingress.kubernetes.io/router.middlewares: default-dev-web-https-redirect@kubernetescrd",
		   "apiVersion: traefik.io/v1alpha1", "redirectScheme:\n    scheme: https\n    permanent: true" } },
	{ .name = "traefik_headers_middleware", .ns = "default", .lb = "  provider: traefik\n" HOST MAP "  headers:\n    X-Env: prod\n", .ok = true,
	  .out = { "customRequestHeaders:\n      X-Env: prod",
		   "traefik.ingress.kubernetes.io/router.middlewares: default-dev-web-headers@kubernetescrd" } },
	{ .name = "traefik_sticky_on_service", .ns = "default", .lb = "  provider: traefik\n  tlsSecret: shop-tls\n  sticky: true\n" HOST MAP, .ok = true,
	  .out = { "kind: Service\nmetadata:\n  name: web\n  namespace: default\n  labels:",
		   "traefik.ingress.kubernetes.io/service.sticky.cookie: \"true\"",
		   "traefik.ingress.kubernetes.io/service.sticky.cookie.name: hyscale-sticky",
		   "traefik.ingress.kubernetes.io/service.sticky.cookie.maxage: \"1800\"",
		   "traefik.ingress.kubernetes.io/service.sticky.cookie.secure: \"true\"" } },
	/* ---- istio ---- */
	{ .name = "istio_gateway_and_virtual_service", .ns = "default", .lb = "  provider: istio\n  tlsSecret: shop-tls\n" HOST LABELS
	  "  mapping:\n    - port: 8080\n      contextPaths: [/api, /api/v1]\n",
	  .ok = true,
	  .diag = { "web.hspec:12:14: warning: loadBalancer.tlsSecret: Istio reads credentialName 'shop-tls' from the namespace of the ingress gateway pods" },
	  .out = { "apiVersion: networking.istio.io/v1", "selector:\n    istio: ingressgateway", "tls:\n      httpsRedirect: true",
		   "mode: SIMPLE\n      credentialName: shop-tls", "- default/dev-app-istio-gateway",
		   "exact: /api/v1\n    - uri:\n        prefix: /api/v1/" },
	  .not_out = { "name: HTTP\n", "v1beta1", "v1alpha3" } },
	{ .name = "istio_most_specific_first", .ns = "default", .lb = "  provider: istio\n" HOST LABELS
	  "  mapping:\n    - port: 8080\n      contextPaths: [/, /api]\n    - port: 9090\n      contextPaths: [/api/admin]\n",
	  .ok = true, .out = { "exact: /api/admin\n    - uri:\n        prefix: /api/admin/\n    route:\n    - destination:\n        host: web.default.svc.cluster.local\n        port:\n          number: 9090\n  - match:\n    - uri:\n        exact: /api\n" } },
	{ .name = "istio_class_ignored", .lb = "  provider: istio\n  className: x\n" HOST LABELS MAP, .ok = true,
	  .diag = { "web.hspec:12:14: warning: loadBalancer.className: ignored by provider istio" } },
	{ .name = "istio_header_percent", .lb = "  provider: istio\n" HOST LABELS MAP "  headers:\n    X-Quota: 100%\n", .ok = true,
	  .out = { "X-Quota: \"100%%\"" } },
	{ .name = "istio_sticky_cookie_ttl", .ns = "default", .lb = "  provider: istio\n  sticky: {cookie: SHOP, ttl: \"90\"}\n" HOST LABELS MAP, .ok = true,
	  .out = { "kind: DestinationRule", "host: web.default.svc.cluster.local", "httpCookie:\n          name: SHOP\n          path: /\n          ttl: \"1m30s\"" } },
	{ .name = "istio_no_sticky_no_destination_rule", .lb = "  provider: istio\n" HOST LABELS MAP, .ok = true,
	  .not_out = { "DestinationRule", "tls:" } },
	{ .name = "istio_shared_gateway", .lb = "  provider: istio\n  tlsSecret: shop-tls\n" HOST LABELS MAP
	  "  gateway:\n    name: edge\n    namespace: infra\n    sectionName: https\n",
	  .ok = true,
	  .diag = { "web.hspec:12:14: warning: loadBalancer.tlsSecret: ignored with loadBalancer.gateway: TLS is configured on the shared gateway infra/edge",
		    "web.hspec:14:3: warning: loadBalancer.labels: ignored with loadBalancer.gateway",
		    "web.hspec:21:16: warning: loadBalancer.gateway.namespace: gateway infra/edge is in another namespace: the VirtualService must be exported",
		    "web.hspec:22:18: warning: loadBalancer.gateway.sectionName: Istio VirtualServices bind to a whole Gateway" },
	  .out = { "- infra/edge" }, .not_out = { "kind: Gateway" } },
	/* ---- gateway ---- */
	{ .name = "gateway_class_required", .lb = "  provider: gateway\n" HOST MAP, .ok = false,
	  .diag = { "web.hspec:10:1: error: loadBalancer.className: required for provider gateway" } },
	{ .name = "gateway_tls_redirect", .lb = "  provider: gateway\n  className: eg\n  tlsSecret: shop-tls\n" HOST MAP, .ok = true,
	  .out = { "gatewayClassName: eg", "- name: https-shop.example.com\n    protocol: HTTPS\n    port: 443\n    hostname: shop.example.com\n    tls:\n      mode: Terminate\n      certificateRefs:\n      - group: \"\"\n        kind: Secret\n        name: shop-tls",
		   "parentRefs:\n  - name: dev-app-gateway\n    sectionName: https-shop.example.com\n  hostnames:",
		   "rules:\n  - matches:\n    - path:\n        type: PathPrefix\n        value: /\n    filters:\n    - type: RequestRedirect\n      requestRedirect:\n        scheme: https\n        statusCode: 301\n" } },
	{ .name = "gateway_redirect_off", .lb = "  provider: gateway\n  className: eg\n  tlsSecret: shop-tls\n  httpsRedirect: false\n" HOST MAP,
	  .ok = true, .out = { "sectionName: https-shop.example.com\n  - name: dev-app-gateway\n    sectionName: http-shop.example.com\n" }, .not_out = { "RequestRedirect" } },
	{ .name = "gateway_exact_and_headers", .lb = "  provider: gateway\n  className: eg\n" HOST
	  "  mapping:\n    - port: 8080\n      contextPaths: [{path: /healthz, match: exact}, /app]\n  headers:\n    X-Env: prod\n",
	  .ok = true,
	  .out = { "type: Exact\n        value: /healthz", "type: PathPrefix\n        value: /app",
		   "type: RequestHeaderModifier\n      requestHeaderModifier:\n        set:\n        - name: X-Env\n          value: prod",
		   "backendRefs:\n    - name: web\n      port: 8080" } },
	{ .name = "gateway_sticky_standard_warns", .lb = "  provider: gateway\n  className: eg\n  sticky: true\n" HOST MAP, .ok = true,
	  .diag = { "web.hspec:13:11: warning: loadBalancer.sticky: Gateway API has session persistence only in its Experimental channel" },
	  .not_out = { "sessionPersistence" } },
	{ .name = "gateway_sticky_experimental", .experimental = true,
	  .lb = "  provider: gateway\n  className: eg\n  sticky:\n    cookie: SHOP\n    ttl: 100000\n" HOST
	  "  mapping:\n    - port: 8080\n      contextPaths: [/]\n    - port: 9090\n      contextPaths: [/admin]\n",
	  .ok = true,
	  .diag = { "web.hspec:14:13: warning: loadBalancer.sticky: Gateway API rules must not share a session (GEP-1619)" },
	  .out = { "sessionName: SHOP-8080", "sessionName: SHOP-9090", "absoluteTimeout: \"27h46m40s\"", "lifetimeType: Permanent" } },
	{ .name = "gateway_experimental_header_value", .experimental = true,
	  .lb = "  provider: gateway\n  className: eg\n" HOST MAP "  headers:\n    X-Team: \"a  b\"\n    X-Ok: a b\n", .ok = false,
	  .diag = { "web.hspec:18:13: error: loadBalancer.headers.X-Team: the Gateway API Experimental CRDs accept only visible ASCII" } },
	{ .name = "gateway_standard_header_value_free", .lb = "  provider: gateway\n  className: eg\n" HOST MAP "  headers:\n    X-Team: \"a  b\"\n",
	  .ok = true, .out = { "value: \"a  b\"" } },
	{ .name = "gateway_shared_same_namespace", .ns = "default", .lb = "  provider: gateway\n  className: eg\n  tlsSecret: shop-tls\n" HOST MAP
	  "  gateway:\n    name: edge\n    sectionName: https\n",
	  .ok = true,
	  .diag = { "web.hspec:12:14: warning: loadBalancer.className: ignored with loadBalancer.gateway",
		    "web.hspec:13:14: warning: loadBalancer.tlsSecret: not emitted with loadBalancer.gateway: TLS is terminated by the listeners of gateway default/edge" },
	  .out = { "parentRefs:\n  - name: edge\n    sectionName: https\n" }, .not_out = { "kind: Gateway\n", "RequestRedirect" } },
	{ .name = "gateway_shared_other_namespace", .ns = "default", .lb = "  provider: gateway\n  tlsSecret: shop-tls\n" HOST MAP
	  "  gateway:\n    name: edge\n    namespace: infra\n",
	  .ok = true,
	  .diag = { "web.hspec:12:14: warning: loadBalancer.tlsSecret: not emitted with loadBalancer.gateway: for gateway infra/edge to terminate TLS with Secret default/shop-tls",
		    "ReferenceGrant (gateway.networking.k8s.io/v1beta1) with from: [{group: gateway.networking.k8s.io, kind: Gateway, namespace: infra}] and to: [{group: \"\", kind: Secret, name: shop-tls}]",
		    "web.hspec:19:16: warning: loadBalancer.gateway.namespace: gateway infra/edge must allow routes from namespace default" },
	  .out = { "parentRefs:\n  - name: edge\n    namespace: infra\n  hostnames:" } },
	{ .name = "gateway_reference_grant", .ns = "default", .lb = "  provider: gateway\n  tlsSecret: shop-tls\n" HOST MAP
	  "  gateway:\n    name: edge\n    namespace: infra\n    referenceGrant: true\n",
	  .ok = true,
	  .diag = { "web.hspec:12:14: warning: loadBalancer.tlsSecret: not emitted with loadBalancer.gateway: gateway infra/edge terminates TLS; "
		    "its listener's certificateRefs must name {namespace: default, name: shop-tls} (the ReferenceGrant that allows it is generated)" },
	  .out = { "apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata:\n  name: dev-web-tls-from-infra\n  namespace: default",
		   "from:\n  - group: gateway.networking.k8s.io\n    kind: Gateway\n    namespace: infra\n  to:\n  - group: \"\"\n    kind: Secret\n    name: shop-tls" } },
	{ .name = "gateway_reference_grant_same_namespace", .ns = "default", .lb = "  provider: gateway\n  tlsSecret: shop-tls\n" HOST MAP
	  "  gateway:\n    name: edge\n    referenceGrant: true\n",
	  .ok = true,
	  .diag = { "web.hspec:19:21: warning: loadBalancer.gateway.referenceGrant: has no effect: gateway default/edge is in namespace default" },
	  .not_out = { "ReferenceGrant" } },
	{ .name = "istio_reference_grant_ignored", .lb = "  provider: istio\n  tlsSecret: shop-tls\n" HOST MAP
	  "  gateway:\n    name: edge\n    namespace: infra\n    referenceGrant: true\n",
	  .ok = true,
	  .diag = { "web.hspec:20:21: warning: loadBalancer.gateway.referenceGrant: ignored by provider istio" },
	  .not_out = { "ReferenceGrant" } },
	{ .name = "gateway_labels_ignored", .lb = "  provider: gateway\n  className: eg\n" HOST MAP LABELS, .ok = true,
	  .diag = { "web.hspec:17:3: warning: loadBalancer.labels: ignored by provider gateway" } },
	/* ---- without -n: no namespace, references relative to the objects' namespace ---- */
	{ .name = "no_namespace_written", .lb = "  provider: nginx\n" HOST MAP, .ok = true,
	  .out = { "kind: Ingress\nmetadata:\n  name: dev-web-ingress\n  labels:" }, .not_out = { "namespace:" } },
	{ .name = "traefik_headers_need_namespace", .lb = "  provider: traefik\n" HOST MAP "  headers:\n    X-Env: prod\n", .ok = false,
	  .diag = { "web.hspec:16:3: error: loadBalancer.headers: Traefik references the headers Middleware as "
		    "<namespace>-<name>@kubernetescrd: give the namespace with -n" } },
	{ .name = "traefik_redirect_needs_namespace", .lb = "  provider: traefik\n  tlsSecret: shop-tls\n" HOST MAP, .ok = false,
	  .diag = { "web.hspec:12:14: error: loadBalancer.tlsSecret: Traefik references the HTTPS redirect Middleware as "
		    "<namespace>-<name>@kubernetescrd: give the namespace with -n" } },
	{ .name = "traefik_no_middleware_no_namespace", .lb = "  provider: traefik\n  tlsSecret: shop-tls\n  httpsRedirect: false\n" HOST MAP,
	  .ok = true, .out = { "traefik.ingress.kubernetes.io/router.tls: \"true\"" }, .not_out = { "namespace:", "@kubernetescrd" } },
	{ .name = "istio_short_names", .lb = "  provider: istio\n  sticky: true\n" HOST LABELS MAP, .ok = true,
	  .out = { "gateways:\n  - dev-app-istio-gateway\n", "destination:\n        host: web\n", "spec:\n  host: web\n" },
	  .not_out = { "namespace:", "svc.cluster.local", "/dev-app-istio-gateway" } },
	{ .name = "istio_shared_gateway_same_namespace", .lb = "  provider: istio\n" HOST MAP "  gateway:\n    name: edge\n", .ok = true,
	  .out = { "gateways:\n  - edge\n" }, .not_out = { "namespace:" } },
	{ .name = "istio_tls_namespace_unknown", .lb = "  provider: istio\n  tlsSecret: shop-tls\n" HOST LABELS MAP, .ok = true,
	  .diag = { "web.hspec:12:14: warning: loadBalancer.tlsSecret: Istio reads credentialName 'shop-tls' from the namespace "
		    "of the ingress gateway pods (often istio-system), not from namespace <namespace>" } },
	{ .name = "gateway_parent_ref_relative", .lb = "  provider: gateway\n  className: eg\n  tlsSecret: shop-tls\n" HOST MAP, .ok = true,
	  .out = { "parentRefs:\n  - name: dev-app-gateway\n    sectionName: https-shop.example.com\n", "parentRefs:\n  - name: dev-app-gateway\n    sectionName: http-shop.example.com\n" },
	  .not_out = { "namespace:" } },
	{ .name = "gateway_shared_named_namespace", .lb = "  provider: gateway\n" HOST MAP "  gateway:\n    name: edge\n    namespace: infra\n",
	  .ok = true,
	  .diag = { "web.hspec:18:16: warning: loadBalancer.gateway.namespace: gateway infra/edge must allow routes from namespace <namespace>" },
	  .out = { "parentRefs:\n  - name: edge\n    namespace: infra\n" } },
};

static void run_case(void **state)
{
	const struct pcase *c = *state;
	struct tspec t;
	char buf[4096];
	snprintf(buf, sizeof(buf), "%s%s", SVC, c->lb);
	struct run_opts o = { .app = "app", .ns = c->ns, .provider = c->provider, .gateway_experimental = c->experimental };
	bool ok = tspec_run_opts(&t, "web.hspec", buf, &o);
	if (ok != c->ok)
		fail_msg("expected the run to %s; diagnostics:\n%s", c->ok ? "succeed" : "fail", t.diags);
	for (size_t i = 0; i < 4 && c->diag[i]; i++)
		assert_diag(&t, c->diag[i]);
	const char *all = "";
	for (size_t i = 0; i < t.run.nout; i++)
		for (size_t f = 0; f < t.run.out[i].dir.n; f++)
			all = arena_printf(&t.run.arena, "%s---\n%s", all, sb_str(&t.run.out[i].dir.files[f].text));
	for (size_t i = 0; i < 6 && c->out[i]; i++)
		if (!strstr(all, c->out[i]))
			fail_msg("expected in the manifests:\n%s\ngot:\n%s", c->out[i], all);
	for (size_t i = 0; i < 3 && c->not_out[i]; i++)
		if (strstr(all, c->not_out[i]))
			fail_msg("unexpected in the manifests:\n%s\ngot:\n%s", c->not_out[i], all);
	tspec_free(&t);
}

/* Gateway API route limits: a spec with `n` hosts / headers / paths of one port. */
static const char *many(struct arena *a, const char *what, int n)
{
	const char *s = SVC "  provider: gateway\n  className: eg\n";
	if (!strcmp(what, "hosts")) {
		s = arena_printf(a, "%s  hosts:\n", s);
		for (int i = 0; i < n; i++)
			s = arena_printf(a, "%s    - h%d.example.com\n", s, i);
		return arena_printf(a, "%s" MAP, s);
	}
	s = arena_printf(a, "%s" HOST, s);
	if (!strcmp(what, "headers")) {
		s = arena_printf(a, "%s" MAP "  headers:\n", s);
		for (int i = 0; i < n; i++)
			s = arena_printf(a, "%s    X-H%d: v\n", s, i);
		return s;
	}
	if (!strcmp(what, "ports")) {
		/* n ports declared and one mapping per port; the block starts on line 8 + n. */
		s = "name: web\nimage:\n  name: nginx\n  tag: \"1.25\"\nexternal: true\nports:\n";
		for (int i = 0; i < n; i++)
			s = arena_printf(a, "%s  - port: %d\n", s, 10000 + i);
		s = arena_printf(a, "%sloadBalancer:\n  provider: gateway\n  className: eg\n" HOST "  mapping:\n", s);
		for (int i = 0; i < n; i++)
			s = arena_printf(a, "%s    - port: %d\n      contextPaths: [/p%d]\n", s, 10000 + i, i);
		return s;
	}
	if (!strcmp(what, "matches")) {
		/* 64 + 63 + (n - 127) paths over ports 8080, 9090, 9091: within each rule's limit. */
		s = arena_printf(a, "%s  mapping:\n", s);
		const int port[] = { 8080, 9090, 9091 }, count[] = { 64, 63, n - 127 };
		for (int p = 0; p < 3; p++) {
			s = arena_printf(a, "%s    - port: %d\n      contextPaths:\n", s, port[p]);
			for (int i = 0; i < count[p]; i++)
				s = arena_printf(a, "%s        - /p%d-%d\n", s, p, i);
		}
		return s;
	}
	s = arena_printf(a, "%s  mapping:\n    - port: 8080\n      contextPaths:\n", s);
	for (int i = 0; i < n; i++)
		s = arena_printf(a, "%s        - /p%d\n", s, i);
	return s;
}

static void limit_case(const char *what, int n, const char *want)
{
	struct arena a;
	arena_init(&a);
	struct tspec t;
	assert_false(tspec_run(&t, "web.hspec", many(&a, what, n)));
	assert_diag(&t, want);
	tspec_free(&t);
	/* One less is within the limit. */
	assert_true(tspec_run(&t, "web.hspec", many(&a, what, n - 1)));
	tspec_free(&t);
	arena_free(&a);
}

static void test_istio_gateway_name_is_a_label(void **state)
{
	(void)state;
	struct tspec t;
	/* The name comes from the app and environment (the app's shared Istio Gateway). */
	const char *spec = "name: web\nimage:\n  name: nginx\nexternal: true\n"
			   "ports:\n  - port: 8080\nloadBalancer:\n  provider: istio\n" HOST LABELS MAP;
	struct run_opts o = { .app = "an-app-name-of-fifty-characters-long-enough-for-it" };
	assert_false(tspec_run_opts(&t, "web.hspec", spec, &o));
	assert_diag(&t, "web.hspec:1:7: error: name: the Istio Gateway name "
			"'dev-an-app-name-of-fifty-characters-long-enough-for-it-istio-gateway' would be longer than 63 characters");
	tspec_free(&t);
}

/* Only agent ports: either the Service carries them (and the cookie), or there is no
 * Service and the cookie cannot be honoured. */
static void test_traefik_sticky_needs_a_service(void **state)
{
	(void)state;
	struct tspec t;
	const char *spec = "name: web\nimage:\n  name: nginx\nexternal: true\nagents:\n  - name: ex\n    image: ex:1\n"
			   "    ports:\n      - port: 9100\nloadBalancer:\n  provider: traefik\n  sticky: true\n" HOST
			   "  mapping:\n    - port: 9100\n      contextPaths: [/]\n";
	assert_true(tspec_run(&t, "web.hspec", spec));
	const char *service = NULL;
	for (size_t f = 0; f < t.run.out[0].dir.n; f++)
		if (!strcmp(t.run.out[0].dir.files[f].name, "service.yaml"))
			service = sb_str(&t.run.out[0].dir.files[f].text);
	if (service) /* a Service with the agent's port: it carries the cookie */
		assert_non_null(strstr(service, "traefik.ingress.kubernetes.io/service.sticky.cookie: \"true\""));
	else
		assert_diag(&t, "web.hspec:12:11: warning: loadBalancer.sticky: Traefik reads stickiness from the Service's annotations, "
				"and this spec generates no Service");
	tspec_free(&t);
}

/* validate service: every provider check runs (check() alone), nothing is built. */
static void test_validate_checks_without_building(void **state)
{
	(void)state;
	struct run_opts o = { .app = "app" };
	struct tspec t;
	const char *bad = SVC "  provider: nginx\n" HOST MAP "  headers:\n    X-Env: \"a; proxy_pass http://evil\"\n";
	assert_false(tspec_run_mode(&t, "web.hspec", bad, &o, false));
	assert_diag(&t, "web.hspec:17:12: error: loadBalancer.headers.X-Env: this value cannot be passed to nginx literally");
	tspec_free(&t);
	const char *good = SVC "  provider: traefik\n  sticky: true\n" LABELS HOST MAP;
	assert_true(tspec_run_mode(&t, "web.hspec", good, &o, false));
	assert_diag(&t, "web.hspec:13:3: warning: loadBalancer.labels: ignored by provider traefik");
	assert_int_equal(t.run.nout, 1);
	assert_int_equal(t.run.out[0].ms.n, 0);
	assert_int_equal(t.run.out[0].dir.n, 0);
	tspec_free(&t);
	assert_true(tspec_run_mode(&t, "web.hspec", good, &o, true));
	assert_true(t.run.out[0].dir.n > 0);
	tspec_free(&t);
}

static void test_gateway_limit_hostnames(void **state)
{
	(void)state;
	limit_case("hosts", 17, "web.hspec:13:3: error: loadBalancer.hosts: 17 hosts; an HTTPRoute holds at most 16 hostnames");
}

static void test_gateway_limit_headers(void **state)
{
	(void)state;
	limit_case("headers", 17, "web.hspec:17:3: error: loadBalancer.headers: 17 headers; RequestHeaderModifier sets at most 16");
}

static void test_gateway_limit_matches(void **state)
{
	(void)state;
	limit_case("paths", 65, "web.hspec:14:3: error: loadBalancer.mapping: port 8080 has 65 paths; an HTTPRoute rule holds at most 64 matches");
}

static void test_gateway_limit_rules(void **state)
{
	(void)state;
	limit_case("ports", 17, "web.hspec:28:3: error: loadBalancer.mapping: 17 ports; an HTTPRoute holds at most 16 rules");
}

static void test_gateway_limit_route_matches(void **state)
{
	(void)state;
	limit_case("matches", 129, "web.hspec:14:3: error: loadBalancer.mapping: 129 paths; an HTTPRoute holds at most 128 matches across its rules");
}

int main(void)
{
	enum { N = sizeof(cases) / sizeof(cases[0]) };
	struct CMUnitTest tests[N + 8];
	for (size_t i = 0; i < N; i++)
		tests[i] = (struct CMUnitTest){ cases[i].name, run_case, NULL, NULL, (void *)&cases[i] };
	tests[N] = (struct CMUnitTest)cmocka_unit_test(test_gateway_limit_hostnames);
	tests[N + 1] = (struct CMUnitTest)cmocka_unit_test(test_gateway_limit_headers);
	tests[N + 2] = (struct CMUnitTest)cmocka_unit_test(test_gateway_limit_matches);
	tests[N + 3] = (struct CMUnitTest)cmocka_unit_test(test_istio_gateway_name_is_a_label);
	tests[N + 4] = (struct CMUnitTest)cmocka_unit_test(test_traefik_sticky_needs_a_service);
	tests[N + 5] = (struct CMUnitTest)cmocka_unit_test(test_gateway_limit_rules);
	tests[N + 6] = (struct CMUnitTest)cmocka_unit_test(test_gateway_limit_route_matches);
	tests[N + 7] = (struct CMUnitTest)cmocka_unit_test(test_validate_checks_without_building);
	return cmocka_run_group_tests_name("loadBalancer providers", tests, NULL, NULL);
}
