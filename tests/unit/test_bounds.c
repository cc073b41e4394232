/* Issue 11, "YAML that kubectl reads differently" and "Generation bounds and escapes":
 * the YAML 1.1 classifier, snippet checks (1.1 typing, raw line-break characters,
 * namespaces), nginx snippet annotations, annotation and object sizes, hosts × paths,
 * wildcard host length, ConfigMap keys, and the one name normaliser. */
#include "testutil.h"
#include "spec/yaml11.h"
#include "build/limits.h"

#define BASE "name: web\nimage:\n  name: nginx\n  tag: \"1.27\"\nexternal: true\nports:\n  - port: 8080/http\n"
#define LB(provider) "loadBalancer:\n  provider: " provider "\n  host: shop.example.com\n" \
	"  mapping:\n    - port: 8080/http\n      contextPaths: [/]\n"

static void test_plain_differs(void **state)
{
	(void)state;
	static const char *const differ[] = { "y", "Y", "n", "N", "yes", "Yes", "NO", "on", "On", "OFF", "off",
		"0755", "00", "0o17", "0b101", "0B1", "1_000", "+0x1F", "0X1F", "0x_1F", "1:20", "-1:20:30", "190:20:30.15",
		"1e3", "1.5e3", "1E10", "1..2", "1.2.3", "2001-12-14", "2001-12-14t21:59:43.10-05:00",
		"2001-12-14 21:59:43.10 -5", "<<", "=", NULL };
	static const char *const same[] = { "", "~", "null", "Null", "NULL", "true", "False", "TRUE", "0", "8080",
		"-1", "+12", "0x1F", "0xff", "1.5", ".5", "-0.25", "1.", "1.5e+3", "1.0E-2", ".inf", "-.Inf", ".NaN",
		"web", "name", "namespace", "yesterday", "nope", "a1:20", "/p", "_1", "-", "x-2001-12-14", "onion", NULL };
	for (const char *const *s = differ; *s; s++)
		if (!yaml11_plain_differs(*s, strlen(*s)))
			fail_msg("'%s' should differ between YAML 1.1 and 1.2", *s);
	for (const char *const *s = same; *s; s++)
		if (yaml11_plain_differs(*s, strlen(*s)))
			fail_msg("'%s' is the same to YAML 1.1 and 1.2, got: %s", *s, yaml11_plain_differs(*s, strlen(*s)));
}

static void test_raw_unsafe(void **state)
{
	(void)state;
	struct { const char *s; size_t at; unsigned long cp; } cases[] = {
		{ "ab\xc2\x85", 2, 0x85 }, { "a\xe2\x80\xa8", 1, 0x2028 }, { "\xe2\x80\xa9", 0, 0x2029 },
		{ "a\xef\xbb\xbf", 1, 0xfeff }, { "a\xc2\x80", 1, 0x80 }, { "a\xc2\x9f", 1, 0x9f },
		{ "\x1b[31m", 0, 0x1b }, { "a\x7f", 1, 0x7f }, { "a\rb", 1, '\r' }, { "a\xef\xbf\xbe", 1, 0xfffe },
		{ "a\xff", 1, 0xff }, { "a\xe2\x80", 1, 0xe2 }, { "\xed\xa0\x80", 0, 0xd800 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		unsigned long cp = 0;
		size_t at = yaml11_raw_unsafe(cases[i].s, strlen(cases[i].s), &cp);
		if (at != cases[i].at || cp != cases[i].cp)
			fail_msg("case %zu: at %zu U+%04lX, want %zu U+%04lX", i, at, cp, cases[i].at, cases[i].cp);
	}
	static const char *const ok[] = { "a\tb\nc", "caf\xc3\xa9", "\xc2\xa0", "\xf0\x9f\x98\x80", "\xe2\x80\xa7",
					  "\xef\xbf\xbd", "" };
	for (size_t i = 0; i < sizeof(ok) / sizeof(*ok); i++)
		assert_int_equal(yaml11_raw_unsafe(ok[i], strlen(ok[i]), NULL), strlen(ok[i]));
}

/* Runs the pipeline on spec files written to a fresh folder: names[i] holds texts[i];
 * the first nspecs are given as -f. */
static bool run_files(struct tspec *t, size_t n, const char *const *names, const char *const *texts, size_t nspecs,
		      const struct run_opts *o)
{
	snprintf(t->dir, sizeof(t->dir), "/tmp/hs-unit-XXXXXX");
	if (!mkdtemp(t->dir))
		fail_msg("mkdtemp");
	snprintf(t->path, sizeof(t->path), "%s/%s", t->dir, names[0]);
	run_init(&t->run, o);
	const char **paths = arena_alloc(&t->run.arena, n * sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		paths[i] = arena_printf(&t->run.arena, "%s/%s", t->dir, names[i]);
		FILE *f = fopen(paths[i], "w");
		assert_non_null(f);
		fputs(texts[i], f);
		fclose(f);
	}
	bool ok = run_pipeline(&t->run, paths, nspecs, true);
	const char *all = "";
	for (size_t i = 0; i < t->run.diags.n; i++)
		all = arena_printf(&t->run.arena, "%s%s\n", all, diag_format(&t->run.arena, &t->run.diags.items[i], o->strict));
	t->diags = all;
	for (size_t i = 1; i < n; i++)
		unlink(paths[i]);
	return ok;
}

static bool run_with_snippet(struct tspec *t, const char *snippet, const char *ns)
{
	static const char *const names[] = { "web.hspec", "s.yaml" };
	const char *texts[] = { BASE "k8sSnippets:\n  - s.yaml\n", snippet };
	struct run_opts o = { .app = "shop", .ns = ns };
	return run_files(t, 2, names, texts, 1, &o);
}

static void test_snippet_yaml11(void **state)
{
	(void)state;
	struct tspec t;
	assert_false(run_with_snippet(&t,
		"kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          env:\n"
		"            - {name: A, value: on}\n"         /* line 8 */
		"            - {name: B, value: 0755}\n"       /* line 9 */
		"            - {name: C, value: \"on\"}\n"     /* quoted: fine */
		"            - {name: D, value: '0755'}\n"
		"            - name: E\n              value: |\n                a\xe2\x80\xa8metadata:\n", /* 14 */
		NULL));
	assert_diag(&t, "s.yaml:8:32: error: 'on' means a boolean to YAML 1.1 readers (kubectl, the API server)");
	assert_diag(&t, "s.yaml:9:32: error: '0755' means an integer with another value");
	assert_diag(&t, "s.yaml:14:1: error: this k8s snippet value holds U+2028, which YAML 1.1 readers");
	assert_no_diag(&t, "s.yaml:10:");
	assert_no_diag(&t, "s.yaml:11:");
	tspec_free(&t);
	/* The same values, escaped or quoted, are accepted and written so kubectl reads them alike. */
	assert_true(run_with_snippet(&t,
		"kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          env:\n"
		"            - {name: A, value: \"on\"}\n            - name: E\n              value: \"a\\u2028b\\n\"\n", NULL));
	const char *text = NULL;
	for (size_t f = 0; f < t.run.out[0].dir.n; f++)
		if (!strcmp(t.run.out[0].dir.files[f].name, "deployment.yaml"))
			text = t.run.out[0].dir.files[f].text.buf;
	assert_non_null(text);
	assert_non_null(strstr(text, "value: \"on\""));
	assert_non_null(strstr(text, "value: \"a\\Lb\\n\""));
	tspec_free(&t);
}

static void test_snippet_namespace(void **state)
{
	(void)state;
	struct tspec t;
	/* Merged into the generated Deployment. */
	assert_false(run_with_snippet(&t, "kind: Deployment\nmetadata:\n  namespace: kube-system\n", "shop"));
	assert_diag(&t, "s.yaml:3:14: error: metadata.namespace: 'kube-system' differs from the namespace of this run, 'shop'");
	tspec_free(&t);
	/* An object of its own. */
	assert_false(run_with_snippet(&t, "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n  namespace: other\n",
				      NULL));
	assert_diag(&t, "s.yaml:5:14: error: metadata.namespace: 'other' pins a namespace, but this run writes none (no -n)");
	tspec_free(&t);
	/* Cluster-scoped objects have none. */
	assert_false(run_with_snippet(&t, "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: hi\n"
					  "  namespace: shop\nvalue: 1000\n", "shop"));
	assert_diag(&t, "s.yaml:5:14: error: metadata.namespace: a PriorityClass is cluster-scoped and has no namespace");
	tspec_free(&t);
	/* The run's own namespace is fine. */
	assert_true(run_with_snippet(&t, "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n  namespace: shop\n",
				     "shop"));
	tspec_free(&t);
}

static void test_nginx_snippet_annotations(void **state)
{
	(void)state;
	static const char spec[] = BASE LB("traefik") "  annotations:\n"
		"    nginx.ingress.kubernetes.io/rewrite-target: /\n"               /* line 15 */
		"    nginx.ingress.kubernetes.io/server-snippet: \"location /x {}\"\n"  /* 16 */
		"    nginx.ingress.kubernetes.io/auth-snippet: x\n"                 /* 17 */
		"    nginx.org/location-snippets: x\n";                             /* 18 */
	struct tspec t;
	assert_true(tspec_run(&t, "web.hspec", spec));
	assert_diag(&t, "web.hspec:16:5: warning: loadBalancer.annotations.nginx.ingress.kubernetes.io/server-snippet: a "
			"snippet annotation is raw nginx configuration");
	assert_diag(&t, "web.hspec:17:5: warning: loadBalancer.annotations.nginx.ingress.kubernetes.io/auth-snippet:");
	assert_diag(&t, "web.hspec:18:5: warning: loadBalancer.annotations.nginx.org/location-snippets:");
	assert_no_diag(&t, "web.hspec:15:");
	tspec_free(&t);
	struct run_opts o = { .app = "app", .strict = true };
	assert_false(tspec_run_opts(&t, "web.hspec", spec, &o));
	assert_diag(&t, "web.hspec:16:5: error: loadBalancer.annotations.nginx.ingress.kubernetes.io/server-snippet:");
	tspec_free(&t);
}

static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);
	assert_non_null(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

static void test_annotation_bytes(void **state)
{
	(void)state;
	/* In the spec: 3 × 100 000 bytes, the third crosses 262 144. */
	char *v = repeat('v', 100000);
	size_t cap = 400000;
	char *spec = malloc(cap);
	assert_non_null(spec);
	snprintf(spec, cap, BASE LB("nginx") "  annotations:\n    a.example.com/one: %s\n    a.example.com/two: %s\n"
		 "    a.example.com/three: %s\n", v, v, v);
	struct tspec t;
	assert_false(tspec_run(&t, "web.hspec", spec));
	assert_diag(&t, "web.hspec:17:5: error: loadBalancer.annotations.a.example.com/three: annotations reach 300053 "
			"bytes here, over the API server's limit of 262144 bytes");
	assert_no_diag(&t, "web.hspec:16:");
	tspec_free(&t);
	free(v);
	/* Generated: 70 request headers of 4000 characters make a 280 KB configuration-snippet. */
	v = repeat('h', 4000);
	int n = snprintf(spec, cap, BASE LB("nginx") "  headers:\n");
	for (int i = 0; i < 70; i++)
		n += snprintf(spec + n, cap - (size_t)n, "    X-H%d: %s\n", i, v);
	assert_false(tspec_run(&t, "web.hspec", spec));
	assert_diag(&t, "web.hspec:8:1: error: the annotations of the generated Ingress dev-web-ingress are ");
	assert_diag(&t, "over the API server's limit of 262144");
	tspec_free(&t);
	/* 60 fit. */
	n = snprintf(spec, cap, BASE LB("nginx") "  headers:\n");
	for (int i = 0; i < 60; i++)
		n += snprintf(spec + n, cap - (size_t)n, "    X-H%d: %s\n", i, v);
	assert_true(tspec_run(&t, "web.hspec", spec));
	tspec_free(&t);
	free(v);
	free(spec);
}

/* A spec with h hosts and p context paths, each path plen characters long. */
static char *hosts_paths(const char *provider, int h, int p, int plen)
{
	size_t cap = (size_t)(h * 40 + p * (plen + 20) + 1000);
	char *s = malloc(cap);
	assert_non_null(s);
	int n = snprintf(s, cap, BASE "loadBalancer:\n  provider: %s\n  hosts:\n", provider);
	for (int i = 0; i < h; i++)
		n += snprintf(s + n, cap - (size_t)n, "    - h%d.example.com\n", i);
	n += snprintf(s + n, cap - (size_t)n, "  mapping:\n    - port: 8080/http\n      contextPaths:\n");
	for (int i = 0; i < p; i++)
		n += snprintf(s + n, cap - (size_t)n, "        - /%.*s%d\n", plen, "some/longer/path/to/a/resource/in/this/service", i);
	return s;
}

static void test_hosts_times_paths(void **state)
{
	(void)state;
	struct tspec t;
	char *spec = hosts_paths("traefik", 1000, 1000, 1);
	assert_false(tspec_run(&t, "web.hspec", spec));
	assert_diag(&t, "web.hspec:10:3: error: loadBalancer.hosts: 1000 hosts × 1000 context paths = 1000000 routes, over "
			"the limit of 5000 per service");
	tspec_free(&t);
	free(spec);
	spec = hosts_paths("istio", 50, 101, 1);
	assert_false(tspec_run(&t, "web.hspec", spec));
	assert_diag(&t, "50 hosts × 101 context paths = 5050 routes, over the limit of 5000");
	tspec_free(&t);
	free(spec);
}

static void test_object_size(void **state)
{
	(void)state;
	struct tspec t;
	/* 5000 routes with 20-character paths: a 1.6 MB Traefik Ingress. */
	char *spec = hosts_paths("traefik", 100, 50, 20);
	assert_false(tspec_run(&t, "web.hspec", spec));
	assert_diag(&t, "web.hspec:8:1: error: the generated Ingress dev-web-ingress is ");
	assert_diag(&t, " bytes, over the 1572864 bytes an API server stores in one object");
	tspec_free(&t);
	free(spec);
}

static void test_wildcard_host_length(void **state)
{
	(void)state;
	char host[300] = "*.";
	while (strlen(host) < 240)
		strcat(host, "abcdefghi.");
	strcat(host, "example.com"); /* 253 */
	char spec[2000];
	snprintf(spec, sizeof(spec), BASE "loadBalancer:\n  provider: nginx\n  host: \"%s\"\n"
		 "  mapping:\n    - port: 8080/http\n      contextPaths: [/]\n", host);
	struct tspec t;
	assert_int_equal(strlen(host), 253);
	if (!tspec_run(&t, "web.hspec", spec))
		fail_msg("%s", t.diags);
	tspec_free(&t);
	snprintf(spec, sizeof(spec), BASE "loadBalancer:\n  provider: nginx\n  host: \"%sxy\"\n"
		 "  mapping:\n    - port: 8080/http\n      contextPaths: [/]\n", host);
	assert_false(tspec_run(&t, "web.hspec", spec));
	assert_diag(&t, "web.hspec:10:9: error: loadBalancer.host: ");
	assert_diag(&t, "is not a valid host name");
	tspec_free(&t);
}

static void test_config_keys(void **state)
{
	(void)state;
	struct tspec t;
	assert_false(tspec_run(&t, "web.hspec", BASE "props:\n  ..data: x\n  .: y\n  .ok: z\n  a..b: w\n"));
	assert_diag(&t, "web.hspec:9:3: error: props...data: '..data' cannot be a ConfigMap/Secret key");
	assert_diag(&t, "web.hspec:10:3: error: props..: '.' cannot be a ConfigMap/Secret key");
	assert_no_diag(&t, "web.hspec:11:");
	assert_no_diag(&t, "web.hspec:12:");
	tspec_free(&t);
	assert_false(tspec_run(&t, "web.hspec", BASE "secrets:\n  ..x: y\n"));
	assert_diag(&t, "web.hspec:9:3: error: secrets...x: '..x' cannot be a ConfigMap/Secret key");
	tspec_free(&t);
}

static void test_one_normaliser(void **state)
{
	(void)state;
	struct tspec t;
	/* Two names that become one object name and selector label: both are reported. */
	static const char *const names[] = { "a-b.hspec", "A.b.hspec" };
	const char *texts[] = { "name: a-b\nimage:\n  name: nginx\n", "# second\nname: A.b\nimage:\n  name: nginx\n" };
	struct run_opts o = { .app = "shop" };
	assert_false(run_files(&t, 2, names, texts, 2, &o));
	assert_diag(&t, "a-b.hspec:1:7: error: name: service 'a-b' becomes the object name and selector label 'a-b', as "
			"'A.b' does in ");
	assert_diag(&t, "A.b.hspec:2:7: error: name: service 'A.b' becomes the object name and selector label 'a-b', as "
			"'a-b' does in ");
	tspec_free(&t);
	/* A character that would be dropped is refused, not lost. */
	assert_false(tspec_run(&t, "web.hspec", "name: web@1\nimage:\n  name: nginx\n"));
	assert_diag(&t, "web.hspec:1:7: error: name: 'web@1' holds '@', which an object name cannot hold");
	tspec_free(&t);
	assert_false(tspec_run(&t, "web.hspec", "name: web\nimage:\n  name: nginx\nagents:\n  - name: log€\n    image: x\n"));
	assert_diag(&t, "web.hspec:5:11: error: agents[0].name: 'log€' holds '€'");
	tspec_free(&t);
	/* The selector label is the object name: 'My.Api' selects with my-api. */
	assert_true(tspec_run(&t, "My.Api.hspec", "name: My.Api\nimage:\n  name: nginx\nports:\n  - port: 80\n"));
	const char *dep = NULL;
	for (size_t f = 0; f < t.run.out[0].dir.n; f++)
		if (!strcmp(t.run.out[0].dir.files[f].name, "deployment.yaml"))
			dep = t.run.out[0].dir.files[f].text.buf;
	assert_non_null(dep);
	assert_non_null(strstr(dep, "  name: my-api\n"));
	assert_non_null(strstr(dep, "hyscale.io/service-name: my-api\n"));
	assert_null(strstr(dep, "My.Api"));
	tspec_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_differs),
		cmocka_unit_test(test_raw_unsafe),
		cmocka_unit_test(test_snippet_yaml11),
		cmocka_unit_test(test_snippet_namespace),
		cmocka_unit_test(test_nginx_snippet_annotations),
		cmocka_unit_test(test_annotation_bytes),
		cmocka_unit_test(test_hosts_times_paths),
		cmocka_unit_test(test_object_size),
		cmocka_unit_test(test_wildcard_host_length),
		cmocka_unit_test(test_config_keys),
		cmocka_unit_test(test_one_normaliser),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
