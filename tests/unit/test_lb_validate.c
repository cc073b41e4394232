/* loadBalancer validation: every rule of src/validate/loadbalancer.c and of rd_lb, each
 * with its message and the position of the field. One named cmocka test per table row;
 * a row gives the loadBalancer block (indented under line 10 of a fixed service), the
 * expected outcome and the diagnostics that must appear. Quoted scalars are located at
 * their first character inside the quotes. */
#include "testutil.h"

/* The service around the block: ports 8080/http, 9090 (TCP) and 5353/udp; the block's
 * first line is line 11. */
#define SVC                                                                              \
	"name: web\nimage:\n  name: nginx\n  tag: \"1.25\"\nexternal: true\nports:\n"      \
	"  - port: 8080/http\n  - port: 9090\n  - port: 5353/udp\nloadBalancer:\n"
/* The same with a sidecar agent exposing 9100: HyScale lets the load balancer route to it. */
#define SVC_AGENT                                                                        \
	"name: web\nimage:\n  name: nginx\n  tag: \"1.25\"\nexternal: true\nagents:\n"  \
	"  - name: exporter\n    image: prom/exporter:1\n    ports:\n      - port: 9100\n"       \
	"ports:\n  - port: 8080/http\nloadBalancer:\n"
#define OK_TAIL "  host: shop.example.com\n  mapping:\n    - port: 8080\n      contextPaths: [/]\n"

struct lbcase {
	const char *name;
	const char *lb;         /* the loadBalancer block's lines */
	bool ok;                /* run succeeds */
	const char *want[4];    /* diagnostics that must appear (substrings of the lines) */
	const char *unwanted;   /* a diagnostic that must not appear */
	const char *prefix;     /* replaces SVC when set */
};

static const struct lbcase cases[] = {
	{ .name = "valid_minimal", .lb = "  provider: nginx\n" OK_TAIL, .ok = true, .want = { NULL }, .unwanted = "error",
	  .prefix = NULL },
	{ .name = "provider_case_insensitive", .lb = "  provider: TrAeFiK\n" OK_TAIL, .ok = true, .want = { NULL }, .unwanted = "loadBalancer.provider",
	  .prefix = NULL },
	{ .name = "provider_alias_gateway_api", .lb = "  provider: Gateway-API\n  className: c\n" OK_TAIL, .ok = true, .want = { NULL }, .unwanted = "loadBalancer.provider",
	  .prefix = NULL },
	{ .name = "provider_missing", .lb = OK_TAIL, .ok = false,
	  .want = { "web.hspec:10:1: error: loadBalancer.provider: missing required field; one of nginx, traefik, istio, gateway" } },
	{ .name = "provider_unknown_names_supported", .lb = "  provider: haproxy-ingress\n" OK_TAIL, .ok = false,
	  .want = { "web.hspec:11:13: error: loadBalancer.provider: unknown provider 'haproxy-ingress'; supported: nginx, traefik, istio, gateway, contour, haproxy, f5-nginx" } },
	{ .name = "implementation_unknown", .lb = "  provider: gateway\n  className: c\n  implementation: kong\n" OK_TAIL, .ok = false,
	  .want = { "web.hspec:13:19: error: loadBalancer.implementation: unknown Gateway API implementation 'kong'; supported: envoy-gateway, istio" } },
	{ .name = "implementation_ignored_by_ingress", .lb = "  provider: contour\n  implementation: istio\n" OK_TAIL, .ok = true,
	  .want = { "web.hspec:12:19: warning: loadBalancer.implementation: ignored by provider contour" } },
	{ .name = "host_missing", .lb = "  provider: nginx\n  mapping:\n    - port: 8080\n      contextPaths: [/]\n", .ok = false,
	  .want = { "web.hspec:10:1: error: loadBalancer.host: missing required field" } },
	{ .name = "host_with_port", .lb = "  provider: nginx\n  host: shop.example.com:8443\n  mapping:\n    - port: 8080\n      contextPaths: [/]\n", .ok = false, .want = { "web.hspec:12:9: error: loadBalancer.host: 'shop.example.com:8443' has a port" } },
	{ .name = "host_ip", .lb = "  provider: nginx\n  host: 10.0.0.1\n  mapping:\n    - port: 8080\n      contextPaths: [/]\n", .ok = false,
	  .want = { "web.hspec:12:9: error: loadBalancer.host: '10.0.0.1' is an IP address" } },
	{ .name = "host_upper_case", .lb = "  provider: nginx\n  host: Shop.example.com\n  mapping:\n    - port: 8080\n      contextPaths: [/]\n", .ok = false, .want = { "web.hspec:12:9: error: loadBalancer.host: 'Shop.example.com' has upper-case letters" } },
	{ .name = "host_wildcard_inside", .lb = "  provider: nginx\n  host: shop.*.example.com\n  mapping:\n    - port: 8080\n      contextPaths: [/]\n", .ok = false, .want = { "web.hspec:12:9: error: loadBalancer.host: 'shop.*.example.com' is not a valid host name" } },
	{ .name = "host_underscore", .lb = "  provider: nginx\n  host: my_shop.example.com\n  mapping:\n    - port: 8080\n      contextPaths: [/]\n", .ok = false, .want = { "web.hspec:12:9: error: loadBalancer.host: 'my_shop.example.com' is not a valid host name" } },
	{ .name = "hosts_wildcard_ok", .lb = "  provider: nginx\n  hosts: [\"*.example.com\", a.example.com]\n  mapping:\n    - port: 8080\n      contextPaths: [/]\n", .ok = true, .want = { NULL }, .unwanted = "loadBalancer.hosts",
	  .prefix = NULL },
	{ .name = "hosts_repeat_host",
	  .lb = "  provider: nginx\n  host: a.example.com\n  hosts:\n    - b.example.com\n    - a.example.com\n    - b.example.com\n"
	  "  mapping:\n    - port: 8080\n      contextPaths: [/]\n", .ok = true,
	  .want = { "web.hspec:15:7: warning: loadBalancer.hosts[1]: 'a.example.com' repeats loadBalancer.host",
	    "web.hspec:16:7: warning: loadBalancer.hosts[2]: 'b.example.com' is listed twice" } },
	{ .name = "mapping_missing", .lb = "  provider: nginx\n  host: a.example.com\n", .ok = false,
	  .want = { "web.hspec:10:1: error: loadBalancer.mapping: missing required field" } },
	{ .name = "mapping_empty", .lb = "  provider: nginx\n  host: a.example.com\n  mapping: []\n", .ok = false,
	  .want = { "web.hspec:13:3: error: loadBalancer.mapping: at least one mapping is required" } },
	{ .name = "mapping_port_missing", .lb = "  provider: nginx\n  host: a.example.com\n  mapping:\n    - contextPaths: [/]\n", .ok = false,
	  .want = { "web.hspec:14:7: error: loadBalancer.mapping[0].port: missing required field" } },
	{ .name = "mapping_port_not_declared", .lb = "  provider: nginx\n  host: a.example.com\n  mapping:\n    - port: 7070/http\n      contextPaths: [/]\n", .ok = false,
	  .want = { "web.hspec:14:13: error: loadBalancer.mapping[0].port: port 7070 is not declared in ports; the load balancer can only route to ports of this service" } },
	{ .name = "mapping_port_udp", .lb = "  provider: nginx\n  host: a.example.com\n  mapping:\n    - port: 5353/udp\n      contextPaths: [/]\n", .ok = false,
	  .want = { "web.hspec:14:13: error: loadBalancer.mapping[0].port: '5353/udp': HTTP routing cannot reach a UDP port" } },
	{ .name = "mapping_port_declared_udp", .lb = "  provider: nginx\n  host: a.example.com\n  mapping:\n    - port: 5353\n      contextPaths: [/]\n", .ok = false,
	  .want = { "web.hspec:14:13: error: loadBalancer.mapping[0].port: port 5353 is declared as UDP in ports" } },
	{ .name = "mapping_port_with_suffix_matches", .lb = "  provider: nginx\n  host: a.example.com\n  mapping:\n    - port: 9090/http\n      contextPaths: [/]\n", .ok = true, .want = { NULL }, .unwanted = "error",
	  .prefix = NULL },
	{ .name = "mapping_port_of_agent", .lb = "  provider: nginx\n  host: a.example.com\n  mapping:\n    - port: 9100\n      contextPaths: [/metrics]\n",
	  .ok = true, .unwanted = "error",
	  .prefix = SVC_AGENT },
	{ .name = "context_paths_missing", .lb = "  provider: nginx\n  host: a.example.com\n  mapping:\n    - port: 8080\n", .ok = false,
	  .want = { "web.hspec:14:7: error: loadBalancer.mapping[0].contextPaths: at least one context path is required" } },
	{ .name = "context_paths_empty", .lb = "  provider: nginx\n  host: a.example.com\n  mapping:\n    - port: 8080\n      contextPaths: []\n", .ok = false,
	  .want = { "web.hspec:14:7: error: loadBalancer.mapping[0].contextPaths: at least one context path is required" } },
	{ .name = "path_relative", .lb = "  provider: nginx\n  host: a.example.com\n  mapping:\n    - port: 8080\n      contextPaths: [api]\n", .ok = false,
	  .want = { "web.hspec:15:22: error: loadBalancer.mapping[0].contextPaths[0]: 'api' must start with '/'" } },
	{ .name = "path_double_slash", .lb = "  provider: nginx\n  host: a.example.com\n  mapping:\n    - port: 8080\n      contextPaths: [/a//b]\n", .ok = false,
	  .want = { "web.hspec:15:22: error: loadBalancer.mapping[0].contextPaths[0]: '/a//b' must not contain '//'" } },
	{ .name = "path_dot_segment", .lb = "  provider: nginx\n  host: a.example.com\n  mapping:\n    - port: 8080\n      contextPaths: [/a/../b, /a/.]\n", .ok = false,
	  .want = { "contextPaths[0]: '/a/../b' must not contain '/./' or '/../'",
	    "contextPaths[1]: '/a/.' must not end with '/.' or '/..'" } },
	{ .name = "path_encoded_slash", .lb = "  provider: nginx\n  host: a.example.com\n  mapping:\n    - port: 8080\n      contextPaths: [/a%2fb]\n", .ok = false,
	  .want = { "contextPaths[0]: '/a%2fb' must not contain an encoded slash '%2F'" } },
	{ .name = "path_bad_escape", .lb = "  provider: nginx\n  host: a.example.com\n  mapping:\n    - port: 8080\n      contextPaths: [/a%zz]\n", .ok = false,
	  .want = { "contextPaths[0]: '/a%zz' has a '%' that does not start a %XX escape" } },
	{ .name = "path_query_fragment_space",
	  .lb = "  provider: nginx\n  host: a.example.com\n  mapping:\n    - port: 8080\n      contextPaths: [\"/a?b\", \"/a#b\", \"/a b\"]\n", .ok = false,
	  .want = { "contextPaths[0]: '/a?b' must not contain a query ('?')", "contextPaths[1]: '/a#b' must not contain a fragment ('#')",
	    "contextPaths[2]: '/a b' has a character that is not allowed in a URL path" } },
	{ .name = "path_duplicate_same_port",
	  .lb = "  provider: nginx\n  host: a.example.com\n  mapping:\n    - port: 8080\n      contextPaths: [/api, /api/]\n", .ok = true,
	  .want = { "web.hspec:15:28: warning: loadBalancer.mapping[0].contextPaths[1]: '/api/' is already routed by loadBalancer.mapping[0]" } },
	{ .name = "path_duplicate_other_port",
	  .lb = "  provider: nginx\n  host: a.example.com\n  mapping:\n    - port: 8080\n      contextPaths: [/api]\n"
	  "    - port: 9090\n      contextPaths: [/api]\n", .ok = false,
	  .want = { "web.hspec:17:22: error: loadBalancer.mapping[1].contextPaths[0]: '/api' is already routed to another port by loadBalancer.mapping[0]" } },
	{ .name = "path_exact_and_prefix_not_duplicate",
	  .lb = "  provider: nginx\n  host: a.example.com\n  mapping:\n    - port: 8080\n      contextPaths: [/api, {path: /api, match: exact}]\n", .ok = true, .want = { NULL }, .unwanted = "already routed",
	  .prefix = NULL },
	{ .name = "path_match_unknown",
	  .lb = "  provider: nginx\n  host: a.example.com\n  mapping:\n    - port: 8080\n      contextPaths: [{path: /api, match: regex}]\n", .ok = false, .want = { "web.hspec:15:42: error: loadBalancer.mapping[0].contextPaths[0].match: 'regex' is not a match type; expected exact or prefix" } },
	{ .name = "path_object_without_path",
	  .lb = "  provider: nginx\n  host: a.example.com\n  mapping:\n    - port: 8080\n      contextPaths: [{match: exact}]\n",
	  .ok = false, .want = { "web.hspec:15:23: error: loadBalancer.mapping[0].contextPaths[0]: missing required field 'path'" },
	  .unwanted = "at least one context path" },
	{ .name = "tls_secret_name", .lb = "  provider: nginx\n  tlsSecret: Shop_TLS\n" OK_TAIL, .ok = false,
	  .want = { "web.hspec:12:14: error: loadBalancer.tlsSecret: 'Shop_TLS' is not a valid Secret name" } },
	{ .name = "class_name", .lb = "  provider: nginx\n  className: Nginx Class\n" OK_TAIL, .ok = false,
	  .want = { "web.hspec:12:14: error: loadBalancer.className: 'Nginx Class' is not a valid class name" } },
	{ .name = "https_redirect_without_tls", .lb = "  provider: nginx\n  httpsRedirect: true\n" OK_TAIL, .ok = true,
	  .want = { "web.hspec:12:18: warning: loadBalancer.httpsRedirect: has no effect without tlsSecret" } },
	{ .name = "https_redirect_not_boolean", .lb = "  provider: nginx\n  httpsRedirect: yes\n" OK_TAIL, .ok = false,
	  .want = { "web.hspec:12:18: error: loadBalancer.httpsRedirect: 'yes' is not a boolean in YAML 1.2" } },
	{ .name = "sticky_cookie_name", .lb = "  provider: nginx\n  sticky:\n    cookie: \"my cookie\"\n" OK_TAIL, .ok = false,
	  .want = { "web.hspec:13:13: error: loadBalancer.sticky.cookie: 'my cookie' is not a valid cookie name" } },
	{ .name = "sticky_ttl_invalid", .lb = "  provider: nginx\n  sticky:\n    ttl: 1d\n" OK_TAIL, .ok = false,
	  .want = { "web.hspec:13:10: error: loadBalancer.sticky.ttl: '1d' is not a positive duration" } },
	{ .name = "sticky_ttl_zero", .lb = "  provider: nginx\n  sticky:\n    ttl: 0s\n" OK_TAIL, .ok = false,
	  .want = { "web.hspec:13:10: error: loadBalancer.sticky.ttl: '0s' is not a positive duration" } },
	{ .name = "sticky_ttl_forms_ok", .lb = "  provider: nginx\n  sticky: {cookie: S, ttl: 1h30m}\n" OK_TAIL, .ok = true, .want = { NULL }, .unwanted = "sticky",
	  .prefix = NULL },
	{ .name = "sticky_unknown_key", .lb = "  provider: nginx\n  sticky:\n    cookei: S\n" OK_TAIL, .ok = false,
	  .want = { "web.hspec:13:5: error: loadBalancer.sticky.cookei: unknown field; did you mean 'cookie'?" } },
	{ .name = "header_name_not_token", .lb = "  provider: traefik\n  headers:\n    \"X Env\": prod\n" OK_TAIL, .ok = false,
	  .want = { "web.hspec:13:5: error: loadBalancer.headers.X Env: 'X Env' is not a valid HTTP header name" } },
	{ .name = "header_managed_by_proxy", .lb = "  provider: traefik\n  headers:\n    Host: other.example.com\n" OK_TAIL, .ok = false,
	  .want = { "web.hspec:13:5: error: loadBalancer.headers.Host: 'Host' is managed by the proxy" } },
	{ .name = "header_twice", .lb = "  provider: traefik\n  headers:\n    X-Env: a\n    x-env: b\n" OK_TAIL, .ok = false,
	  .want = { "web.hspec:14:5: error: loadBalancer.headers.x-env: header 'x-env' is set twice" } },
	{ .name = "header_empty_value", .lb = "  provider: traefik\n  headers:\n    X-Env: \"\"\n" OK_TAIL, .ok = false,
	  .want = { "web.hspec:13:12: error: loadBalancer.headers.X-Env: empty header value" } },
	{ .name = "header_surrounding_space", .lb = "  provider: traefik\n  headers:\n    X-Env: \" prod\"\n" OK_TAIL, .ok = false,
	  .want = { "web.hspec:13:12: error: loadBalancer.headers.X-Env: header value has leading or trailing white space" } },
	{ .name = "header_control_character", .lb = "  provider: traefik\n  headers:\n    X-Env: \"a\\r\\nX-Evil: 1\"\n" OK_TAIL, .ok = false,
	  .want = { "web.hspec:13:12: error: loadBalancer.headers.X-Env: header value contains a control character (CR/LF would split the header)" } },
	{ .name = "labels_invalid", .lb = "  provider: istio\n  labels:\n    \"bad key!\": ok\n    istio: \"not ok\"\n" OK_TAIL, .ok = false,
	  .want = { "web.hspec:13:5: error: loadBalancer.labels.bad key!: 'bad key!' is not a valid Kubernetes label key",
	    "web.hspec:14:12: error: loadBalancer.labels.istio: 'not ok' is not a valid label value" } },
	{ .name = "annotations_invalid_key", .lb = "  provider: nginx\n  annotations:\n    \"-bad\": x\n" OK_TAIL, .ok = false,
	  .want = { "web.hspec:13:5: error: loadBalancer.annotations.-bad: '-bad' is not a valid Kubernetes annotation key" } },
	{ .name = "istio_needs_labels", .lb = "  provider: istio\n" OK_TAIL, .ok = false,
	  .want = { "web.hspec:10:1: error: loadBalancer.labels: required for provider istio" } },
	{ .name = "istio_labels_not_needed_with_gateway", .lb = "  provider: istio\n  gateway: {name: edge}\n" OK_TAIL, .ok = true, .want = { NULL }, .unwanted = "loadBalancer.labels",
	  .prefix = NULL },
	{ .name = "gateway_ref_name_missing", .lb = "  provider: gateway\n  gateway:\n    namespace: infra\n" OK_TAIL, .ok = false,
	  .want = { "web.hspec:12:3: error: loadBalancer.gateway.name: missing required field" } },
	{ .name = "gateway_ref_invalid_names", .lb = "  provider: gateway\n  gateway:\n    name: Edge\n    namespace: in.fra\n    sectionName: HTTPS\n" OK_TAIL, .ok = false,
	  .want = { "web.hspec:13:11: error: loadBalancer.gateway.name: 'Edge' is not a valid object name",
	    "web.hspec:14:16: error: loadBalancer.gateway.namespace: 'in.fra' is not a valid namespace name",
	    "web.hspec:15:18: error: loadBalancer.gateway.sectionName: 'HTTPS' is not a valid section name" } },
	{ .name = "gateway_ref_grant_without_tls", .lb = "  provider: gateway\n  gateway:\n    name: edge\n    referenceGrant: true\n" OK_TAIL,
	  .ok = true,
	  .want = { "web.hspec:14:21: warning: loadBalancer.gateway.referenceGrant: has no effect without tlsSecret" } },
	{ .name = "gateway_ref_unsupported_provider", .lb = "  provider: nginx\n  gateway: {name: edge}\n" OK_TAIL, .ok = false,
	  .want = { "web.hspec:12:3: error: loadBalancer.gateway: provider nginx has no shared gateway; use istio or gateway" } },
	{ .name = "external_required", .lb = "  provider: nginx\n" OK_TAIL, .ok = false,
	  .want = { "web.hspec:5:11: error: external: a loadBalancer block requires external: true" },
	  .prefix = "name: web\nimage:\n  name: nginx\n  tag: \"1.25\"\nexternal: false\nports:\n"
	  "  - port: 8080/http\n  - port: 9090\n  - port: 5353/udp\nloadBalancer:\n" },
	{ .name = "external_missing", .lb = "  provider: nginx\n" OK_TAIL, .ok = false,
	  .want = { "web.hspec:10:1: error: external: a loadBalancer block requires external: true" },
	  .prefix = "name: web\nimage:\n  name: nginx\n  tag: \"1.25\"\nfoo: 1\nports:\n"
	  "  - port: 8080/http\n  - port: 9090\n  - port: 5353/udp\nloadBalancer:\n" },
	{ .name = "unknown_field_suggests", .lb = "  provider: nginx\n  tlsSecrets: x\n" OK_TAIL, .ok = false,
	  .want = { "web.hspec:12:3: error: loadBalancer.tlsSecrets: unknown field; did you mean 'tlsSecret'?" } },
	{ .name = "block_not_a_mapping", .lb = "  - provider: nginx\n", .ok = false,
	  .want = { "web.hspec:11:5: error: loadBalancer: expected a mapping, got a list" } },
};

static void run_case(void **state)
{
	const struct lbcase *c = *state;
	struct tspec t;
	char buf[4096];
	snprintf(buf, sizeof(buf), "%s%s", c->prefix ? c->prefix : SVC, c->lb);
	bool ok = tspec_run(&t, "web.hspec", buf);
	if (ok != c->ok)
		fail_msg("expected the run to %s; diagnostics:\n%s", c->ok ? "succeed" : "fail", t.diags);
	for (size_t i = 0; i < 4 && c->want[i]; i++)
		assert_diag(&t, c->want[i]);
	if (c->unwanted)
		assert_no_diag(&t, c->unwanted);
	tspec_free(&t);
}

int main(void)
{
	enum { N = sizeof(cases) / sizeof(cases[0]) };
	struct CMUnitTest tests[N];
	for (size_t i = 0; i < N; i++)
		tests[i] = (struct CMUnitTest){ cases[i].name, run_case, NULL, NULL, (void *)&cases[i] };
	return cmocka_run_group_tests_name("loadBalancer validation", tests, NULL, NULL);
}
