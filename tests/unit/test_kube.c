/* The cluster client's pure parts: REST paths, selectors, the applied-kinds record, base64,
 * kubeconfig loading and merging, and the messages for refused requests. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "deploy/deploy.h"
#include "util/digest.h"
#include "deploy/jnode.h"
#include "deploy/kubeconfig.h"
#include "deploy/objects.h"

static void test_paths(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	assert_string_equal(kube_plural(&a, "Ingress"), "ingresses");
	assert_string_equal(kube_plural(&a, "NetworkPolicy"), "networkpolicies");
	assert_string_equal(kube_plural(&a, "Gateway"), "gateways");
	assert_string_equal(kube_plural(&a, "HTTPRoute"), "httproutes");
	assert_string_equal(kube_plural(&a, "Middleware"), "middlewares");
	assert_string_equal(kube_plural(&a, "HorizontalPodAutoscaler"), "horizontalpodautoscalers");
	assert_string_equal(kube_path(NULL, &a, "v1", "Service", "shop", "web"), "/api/v1/namespaces/shop/services/web");
	assert_string_equal(kube_path(NULL, &a, "apps/v1", "Deployment", "shop", NULL), "/apis/apps/v1/namespaces/shop/deployments");
	assert_string_equal(kube_path(NULL, &a, "v1", "Namespace", "shop", "shop"), "/api/v1/namespaces/shop");
	assert_string_equal(kube_path(NULL, &a, "v1", "Service", NULL, NULL), "/api/v1/services");
	assert_string_equal(kube_path(NULL, &a, "rbac.authorization.k8s.io/v1", "ClusterRole", "shop", "r"),
			    "/apis/rbac.authorization.k8s.io/v1/clusterroles/r");
	assert_string_equal(kube_plural(&a, "Endpoints"), "endpoints");
	assert_string_equal(kube_plural(&a, "StorageClass"), "storageclasses");
	assert_string_equal(kube_resource(&a, "networking.k8s.io/v1", "Ingress"), "ingresses.networking.k8s.io");
	assert_string_equal(kube_resource(&a, "v1", "Service"), "services");
	assert_string_equal(url_escape(&a, "hyscale.io/app-name=a,b=c d"), "hyscale.io%2Fapp-name%3Da%2Cb%3Dc%20d");
	arena_free(&a);
}

static void test_kinds(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct kind_list l = { 0 };
	kinds_parse(&a, "Service:v1,Deployment:apps/v1,Service:v1", &l);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[1].kind, "Deployment");
	assert_string_equal(l.v[1].api_version, "apps/v1");
	/* HyScale's own spelling: a bracketed list with spaces (and junk entries skipped) */
	struct kind_list h = { 0 };
	kinds_parse(&a, "[Deployment:apps/v1, \"Ingress:networking.k8s.io/v1\", junk, :v1]", &h);
	assert_int_equal(h.n, 2);
	assert_string_equal(h.v[1].kind, "Ingress");
	assert_string_equal(h.v[1].api_version, "networking.k8s.io/v1");
	arena_free(&a);
}

static void test_base64_and_json(void **state)
{
	(void)state;
	size_t n;
	char *d = base64_decode("aHlz\nY2FsZQ==", &n);
	assert_non_null(d);
	assert_int_equal(n, 7);
	assert_string_equal(d, "hyscale");
	free(d);
	assert_null(base64_decode("a$b", &n));
	const char *json = "{\"a\":{\"b\":[{\"c\":\"x\"},{\"c\":3}]},\"n\":null}";
	struct fy_document *doc = jdoc_parse(json, strlen(json));
	assert_non_null(doc);
	struct fy_node *r = fy_document_root(doc);
	assert_string_equal(jstr(r, "a.b.0.c"), "x");
	assert_int_equal(jlong(r, "a.b.1.c", 0), 3);
	assert_null(jstr(r, "n"));
	assert_null(jstr(r, "a.b.2.c"));
	assert_int_equal(jlen(jget(r, "a.b")), 2);
	fy_document_destroy(doc);
	struct sbuf sb = SBUF_INIT;
	json_str(&sb, "a\"b\\c\n");
	assert_string_equal(sb_str(&sb), "\"a\\\"b\\\\c\\u000a\"");
	sb_release(&sb);
}

/* Bodies a hostile server sends: each is refused with a short reason, its text freed once
 * (before: freed by libfyaml and again by us — a double free), nothing printed. */
static void test_json_bodies(void **state)
{
	(void)state;
	static const struct { const char *text, *why; } bad[] = {
		{ "{\"kind\":\"Status\",\"message\":\"cut", "is not valid JSON" },
		{ "<html><body>login</body></html>", "is not valid JSON" },
		{ "kind: List\nitems: []\n", "is not valid JSON" },
		{ "[1,2,3]", "is not a JSON object" },
		{ "\"text\"", "is not a JSON object" },
		{ "[{\"k\":\"v\"},{\"k\":\"v\"},{\"k\":\"v\"}]", "has more than " JSON_TOKENS_MAX_TEXT " JSON tokens" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *why = NULL;
		char *t = strdup(bad[i].text);
		size_t max = strstr(bad[i].why, "tokens") ? 20 : JSON_TOKENS_MAX;
		assert_null(jdoc_parse_json(t, strlen(t), max, &why));
		if (strstr(bad[i].why, "tokens"))
			assert_string_equal(why, "has more than " JSON_TOKENS_MAX_TEXT " JSON tokens");
		else
			assert_string_equal(why, bad[i].why);
	}
	/* a ':' and a ',' inside strings are not tokens */
	const char *why = NULL;
	char *t = strdup("{\"a\":\"x:,{[\\\":,\"}");
	struct fy_document *d = jdoc_parse_json(t, strlen(t), 6, &why);
	assert_non_null(d);
	assert_string_equal(jstr(fy_document_root(d), "a"), "x:,{[\":,");
	fy_document_destroy(d);
}

static void test_escape(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	assert_string_equal(diag_escape(&a, "\x1b]0;t\x07\r\nhyscale: error: x\x7f"), "\\x1b]0;t\\x07\\r\\nhyscale: error: x\\x7f");
	assert_string_equal(diag_escape(&a, "csi \xc2\x9b" "31m caf\xc3\xa9"), "csi \\x9b" "31m caf\xc3\xa9");
	const char *clean = "plain text";
	assert_ptr_equal(diag_escape(&a, clean), clean);
	assert_null(diag_escape(&a, NULL));
	assert_null(kube_token_problem("abc.DEF-123_~+/="));
	assert_non_null(kube_token_problem("abc\r\nX-Injected: 1"));
	assert_non_null(kube_token_problem("abc\x7f"));
	arena_free(&a);
}

static char dir[64];

static const char *write_file(const char *name, const char *text)
{
	static char path[4][128];
	static int i;
	char *p = path[i++ % 4];
	snprintf(p, 128, "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return p;
}

static void test_kubeconfig_merge(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/hs-kube-XXXXXX");
	assert_non_null(mkdtemp(dir));
	const char *a1 = write_file("one", "current-context: dev\n"
					   "users:\n- name: me\n  user:\n    client-certificate: certs/me.crt\n    client-key: /abs/me.key\n");
	const char *a2 = write_file("two", "current-context: prod\n"
					   "clusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:6443/\n"
					   "    certificate-authority-data: aHlz\n"
					   "users:\n- name: me\n  user:\n    token: ignored\n"
					   "contexts:\n- name: dev\n  context: {cluster: c, user: me, namespace: shop}\n"
					   "- name: prod\n  context: {cluster: c, user: nobody}\n");
	char list[300];
	snprintf(list, sizeof(list), "%s:%s/missing:%s", a1, dir, a2);
	setenv("KUBECONFIG", list, 1);
	struct arena a;
	arena_init(&a);
	struct kube_config kc;
	const char *err = NULL;
	assert_true(kubeconfig_load(&kc, NULL, &a, &err));
	assert_string_equal(kc.context, "dev");          /* the first file's current-context */
	assert_string_equal(kc.ns, "shop");
	assert_string_equal(kc.server, "https://127.0.0.1:6443");
	assert_int_equal(kc.ca_len, 3);
	assert_memory_equal(kc.ca_data, "hys", 3);
	char want[128];
	snprintf(want, sizeof(want), "%s/certs/me.crt", dir);  /* relative to the file that said it */
	assert_string_equal(kc.cert_file, want);
	assert_string_equal(kc.key_file, "/abs/me.key");
	assert_null(kc.token);                            /* the first definition of "me" wins */
	assert_false(kubeconfig_load(&kc, "prod", &a, &err));
	assert_non_null(strstr(err, "names user 'nobody', which is not defined"));
	assert_false(kubeconfig_load(&kc, "nope", &a, &err));
	assert_non_null(strstr(err, "context 'nope' is not defined"));
	write_file("bad", "current-context: x\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\n"
			  "clusters:\n- name: c\n  cluster: {server: 'https://h', proxy-url: 'http://p'}\n");
	char bad[128];
	snprintf(bad, sizeof(bad), "%s/bad", dir);
	setenv("KUBECONFIG", bad, 1);
	assert_false(kubeconfig_load(&kc, NULL, &a, &err));
	assert_non_null(strstr(err, "proxy-url is not supported"));
	unsetenv("KUBECONFIG");
	arena_free(&a);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_cluster_errors(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct kube_config kc = { .context = "kind-kind" };
	struct kube k = { .kc = &kc };
	struct kube_resp r = { .status = 403 };
	const char *body403 = "{\"kind\":\"Status\",\"reason\":\"Forbidden\",\"message\":\"no\"}";
	r.doc = jdoc_parse(body403, strlen(body403));
	assert_string_equal(cluster_error(&a, &k, "apply", "apps/v1", "Deployment", "web", "shop", &r),
			    "apply Deployment web in namespace shop: forbidden: no permission to patch deployments.apps — API says: no");
	kube_resp_free(&r);
	r.status = 422;
	const char *body422 = "{\"kind\":\"Status\",\"reason\":\"Invalid\",\"message\":\"m\",\"details\":{\"causes\":"
			      "[{\"field\":\"spec.replicas\",\"message\":\"too many\"},{\"message\":\"other\"}]}}";
	r.doc = jdoc_parse(body422, strlen(body422));
	assert_string_equal(cluster_error(&a, &k, "apply", "apps/v1", "Deployment", "web", "shop", &r),
			    "apply Deployment web in namespace shop: invalid: spec.replicas: too many; other");
	kube_resp_free(&r);
	r.status = 404;
	assert_string_equal(cluster_error(&a, &k, "apply", "traefik.io/v1alpha1", "Middleware", "m", "shop", &r),
			    "apply Middleware m in namespace shop: the cluster does not serve traefik.io/v1alpha1 "
			    "Middleware (is its CRD installed?)");
	const char *body404 = "{\"kind\":\"Status\",\"reason\":\"NotFound\",\"details\":{\"name\":\"shop\",\"kind\":\"namespaces\"}}";
	r.doc = jdoc_parse(body404, strlen(body404));
	assert_string_equal(cluster_error(&a, &k, "apply", "v1", "Service", "web", "shop", &r),
			    "apply Service web: namespace shop does not exist");
	kube_resp_free(&r);
	r.status = 401;
	assert_string_equal(cluster_error(&a, &k, "get", "v1", "Namespace", "shop", NULL, &r),
			    "get Namespace shop: the cluster rejected the credentials of context 'kind-kind' (401 Unauthorized)");
	r.status = 0;
	r.error = "cannot reach the cluster at https://127.0.0.1:1: refused";
	assert_string_equal(cluster_error(&a, &k, "list", "v1", "Pod", NULL, "shop", &r),
			    "list Pod objects in namespace shop: cannot reach the cluster at https://127.0.0.1:1: refused");
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_base64_and_json),
		cmocka_unit_test(test_json_bodies),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_kubeconfig_merge),
		cmocka_unit_test(test_cluster_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
