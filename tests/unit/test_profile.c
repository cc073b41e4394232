/* Profile merge (HyScale's StrategicPatch intent, hyscale.md §2.4), profile selection
 * (-p, -P) and positions of merged values. */
#include "testutil.h"
#include <sys/stat.h>
#include "spec/merge.h"
#include "spec/profile.h"

static char tdir[64];

static const char *put(const char *name, const char *text)
{
	static char path[256];
	snprintf(path, sizeof(path), "%s/%s", tdir, name);
	char *slash = strrchr(path, '/');
	*slash = '\0';
	mkdir(path, 0700);
	*slash = '/';
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static int setup(void **state)
{
	(void)state;
	snprintf(tdir, sizeof(tdir), "/tmp/hs-profile-XXXXXX");
	return mkdtemp(tdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Runs the pipeline over spec paths (relative to tdir) with options; diagnostics in *diags. */
static bool run(struct run *r, const char *const *specs, size_t n, struct run_opts *o, const char **diags)
{
	const char *paths[8];
	struct arena tmp;
	arena_init(&tmp);
	for (size_t i = 0; i < n; i++)
		paths[i] = arena_printf(&tmp, "%s/%s", tdir, specs[i]);
	run_init(r, o);
	for (size_t i = 0; i < n; i++)
		paths[i] = arena_strdup(&r->arena, paths[i]);
	arena_free(&tmp);
	bool ok = run_pipeline(r, paths, n, true);
	const char *all = "";
	for (size_t i = 0; i < r->diags.n; i++)
		all = arena_printf(&r->arena, "%s%s\n", all, diag_format(&r->arena, &r->diags.items[i], o->strict));
	*diags = all;
	return ok;
}

#define has(d, s) do { if (!strstr((d), (s))) fail_msg("expected\n  %s\nin:\n%s", (s), (d)); } while (0)

static const char *key_is_key(const char *shape) { return !strcmp(shape, "patchTestModelList") ? "key" : NULL; }
static bool replace_lists(const char *shape) { return !strncmp(shape, "testListReplace", 15); }

/* HyScale's commons/src/test/resources/patch/{source,patch,merged}.json, with the one
 * intended difference: element order is stable (destination first, then new ones). */
static void test_strategic_patch(void **state)
{
	(void)state;
	const char *src = put("source.json",
		"{\"patchTestModel\": {\"key\": \"key\", \"testVal1\": \"val1\", \"testVal2\": \"val2\"},\n"
		" \"patchTestModelList\": [{\"key\": \"key1\", \"testVal1\": \"val1\", \"testVal2\": \"val2\"},\n"
		"   {\"key\": \"key2\", \"testVal1\": \"val21\", \"testVal2\": \"val22\"}],\n"
		" \"testBoolean\": false, \"testInt\": 0, \"testList\": [\"testVal1\", \"testVal2\"],\n"
		" \"testMap\": {\"mapKey1\": \"mapVal1\", \"mapKey2\": \"mapVal2\"}, \"testModelUpdate\": \"testVal\",\n"
		" \"testListToModel\": [1, 2, 3], \"testModelToList\": {\"testField\": \"testVal\"},\n"
		" \"testNullField\": \"testVal\", \"testString\": \"testVal\", \"testListReplace\": [1, 2, 3],\n"
		" \"testListReplaceEmpty\": [1, 2, 3],\n"
		" \"testListReplaceObject\": [{\"key\": \"key1\", \"testVal1\": \"val1\", \"testVal2\": \"val2\"}]}\n");
	struct arena a;
	arena_init(&a);
	struct diags d;
	diags_init(&d, &a);
	struct yfile s, p;
	assert_true(yfile_load(&s, arena_strdup(&a, src), "spec", &d));
	const char *pp = put("patch.json",
		"{\"patchTestModel\": {\"key\": \"newKey\", \"testVal1\": \"newVal1\", \"testVal2\": \"newVal2\"},\n"
		" \"patchTestModelList\": [{\"key\": \"key2\", \"testVal1\": \"newVal21\", \"testVal2\": \"newVal22\"}],\n"
		" \"testBoolean\": true, \"testInt\": 5, \"testIntList\": [1, 2, 3],\n"
		" \"testList\": [\"newtestVal1\", \"testVal2\"], \"testMap\": {\"mapKey2\": \"newMapVal2\"},\n"
		" \"testModelUpdate\": {\"testField\": \"testVal\"}, \"testListToModel\": {\"testField\": \"testVal\"},\n"
		" \"testModelToList\": [1, 2, 3], \"testNullField\": null, \"testNewList\": [1, 2, 3],\n"
		" \"testString\": \"newTestVal\", \"testListReplace\": [4, 5], \"testListReplaceEmpty\": [],\n"
		" \"testListReplaceObject\": [{\"key\": \"key2\", \"testVal1\": \"val21\", \"testVal2\": \"val22\"}]}\n");
	assert_true(yfile_load(&p, arena_strdup(&a, pp), "profile", &d));
	struct ymerge m = { .dst_doc = s.doc, .dst_yf = &s, .src = &p, .key_for = key_is_key,
			    .replaces = replace_lists, .a = &a, .d = &d };
	assert_true(ymerge_map(&m, fy_document_root(s.doc), fy_document_root(p.doc), "", "", NULL));
	assert_int_equal(d.n, 0);
	const char *want =
		"{\"patchTestModel\": {\"key\": \"newKey\", \"testVal1\": \"newVal1\", \"testVal2\": \"newVal2\"},\n"
		" \"patchTestModelList\": [{\"key\": \"key1\", \"testVal1\": \"val1\", \"testVal2\": \"val2\"},\n"
		"   {\"key\": \"key2\", \"testVal1\": \"newVal21\", \"testVal2\": \"newVal22\"}],\n"
		" \"testBoolean\": true, \"testInt\": 5, \"testList\": [\"testVal1\", \"testVal2\", \"newtestVal1\"],\n"
		" \"testMap\": {\"mapKey1\": \"mapVal1\", \"mapKey2\": \"newMapVal2\"},\n"
		" \"testModelUpdate\": {\"testField\": \"testVal\"}, \"testListToModel\": {\"testField\": \"testVal\"},\n"
		" \"testModelToList\": [1, 2, 3], \"testNullField\": \"testVal\", \"testString\": \"newTestVal\",\n"
		" \"testListReplace\": [4, 5], \"testListReplaceEmpty\": [],\n"
		" \"testListReplaceObject\": [{\"key\": \"key2\", \"testVal1\": \"val21\", \"testVal2\": \"val22\"}],\n"
		" \"testIntList\": [1, 2, 3], \"testNewList\": [1, 2, 3]}\n";
	struct fy_document *w = fy_document_build_from_string(NULL, want, FY_NT);
	assert_non_null(w);
	char *got = fy_emit_document_to_string(s.doc, FYECF_MODE_FLOW_ONELINE);
	char *exp = fy_emit_document_to_string(w, FYECF_MODE_FLOW_ONELINE);
	assert_string_equal(got, exp);
	/* A merged value is reported in the file it came from. */
	struct fy_node *v = fy_node_by_path(fy_document_root(s.doc), "/testString", FY_NT, FYNWF_DONT_FOLLOW);
	struct loc l = yloc(&s, v);
	assert_string_equal(l.file, p.path);
	assert_int_equal(l.line, 7);
	v = fy_node_by_path(fy_document_root(s.doc), "/testMap/mapKey1", FY_NT, FYNWF_DONT_FOLLOW);
	assert_string_equal(yloc(&s, v).file, s.path);
	free(got);
	free(exp);
	fy_document_destroy(w);
	yfile_release(&s);
	yfile_release(&p);
	arena_free(&a);
}

static const char *SPEC =
	"name: web\n"
	"image: {name: nginx, tag: \"1.25\"}\n"
	"ports:\n"
	"  - port: 8080/tcp\n"
	"  - port: 9090\n"
	"volumes:\n"
	"  - name: data\n"
	"    path: /data\n"
	"props:\n"
	"  A: one\n"
	"allowTraffic:\n"
	"  - ports: [8080]\n"
	"    from: [a]\n";

static void test_merge_keys_and_positions(void **state)
{
	(void)state;
	put("web.hspec", SPEC);
	put("profiles/stage-web.hprof",
	    "environment: stage\n"
	    "overrides: web\n"
	    "ports:\n"
	    "  - port: 8080\n"             /* same port as 8080/tcp: merged, not added */
	    "    healthCheck: {}\n"
	    "volumes:\n"
	    "  - name: data\n"
	    "    size: 5Gi\n"
	    "props:\n"
	    "  A: two\n"
	    "  B: null\n"                  /* null changes nothing */
	    "allowTraffic:\n"              /* replaced as a whole */
	    "  - ports: [9090]\n"
	    "    from: [b]\n"
	    "memory: 64Mx\n");
	struct run r;
	struct run_opts o = { .app = "app", .profile_env = "stage" };
	const char *d;
	const char *specs[] = { "web.hspec" };
	assert_false(run(&r, specs, 1, &o, &d));
	/* The bad value is reported where the profile wrote it. */
	has(d, "profiles/stage-web.hprof:15:9: error: memory: '64Mx' is not a Kubernetes quantity");
	const struct spec *s = &r.specs[0];
	assert_int_equal(s->ports.n, 2);
	assert_true(s->ports.v[0].has_health);
	assert_int_equal(s->nvolumes, 1);
	assert_string_equal(s->volumes[0].size.v, "5Gi");
	assert_string_equal(s->volumes[0].path.v, "/data");
	assert_int_equal(s->props.n, 1);
	assert_string_equal(s->props.v[0].value, "two");
	assert_int_equal(s->ntraffic, 1);
	assert_string_equal(s->traffic[0].from[0].v, "b");
	assert_string_equal(r.envs[0], "stage");
	run_free(&r);
}

static void test_unmergeable_list(void **state)
{
	(void)state;
	put("lb.hspec", "name: lb\nimage: {name: nginx}\nexternal: true\nports: [{port: 80/http}]\n"
			"loadBalancer:\n  provider: nginx\n  host: a.example.com\n"
			"  mapping:\n    - port: 80/http\n      contextPaths: [/]\n");
	put("dev-lb.hprof", "environment: dev\noverrides: lb\nloadBalancer:\n  mapping:\n    - port: 80\n"
			    "      contextPaths: [/x]\n");
	struct run r;
	struct run_opts o = { .app = "app", .profile_env = "dev" };
	const char *d;
	const char *specs[] = { "lb.hspec" };
	assert_false(run(&r, specs, 1, &o, &d));
	has(d, "dev-lb.hprof:5:7: error: loadBalancer.mapping: cannot merge this list of mappings");
	run_free(&r);
}

static void test_selection_errors(void **state)
{
	(void)state;
	put("a/web.hspec", SPEC);
	put("a/svc.hspec", "name: svc\nimage: {name: nginx}\n");
	put("a/prod-web.hprof", "environment: prod\noverrides: web\n");
	put("a/prod-webapp.hprof", "environment: prod\noverrides: webapp\n");
	put("a/other.hprof", "environment: prod\noverrides: web\n");
	put("a/ghost.hprof", "environment: prod\noverrides: ghost\n");
	put("a/bad-env.hprof", "environment: Prod 1\noverrides: svc\n");
	struct run r;
	const char *d;
	const char *specs[] = { "a/web.hspec", "a/svc.hspec" };

	/* -P: exactly prod-<service>.hprof; prod-webapp.hprof is not web's (HyScale's prefix match
	 * took it), and svc has none. */
	struct run_opts o = { .app = "app", .profile_env = "prod" };
	assert_false(run(&r, specs, 2, &o, &d));
	has(d, "error: name: no profile for service 'svc' in environment 'prod' (-P)");
	assert_null(strstr(d, "webapp"));
	run_free(&r);

	char p1[200], p2[200], p3[200], p4[200];
	snprintf(p1, sizeof(p1), "%s/a/prod-web.hprof", tdir);
	snprintf(p2, sizeof(p2), "%s/a/other.hprof", tdir);
	snprintf(p3, sizeof(p3), "%s/a/ghost.hprof", tdir);
	snprintf(p4, sizeof(p4), "%s/a/bad-env.hprof", tdir);
	const char *profs[] = { p1, p2, p3, p4 };
	struct run_opts o2 = { .app = "app", .profiles = profs, .nprofiles = 4 };
	assert_false(run(&r, specs, 2, &o2, &d));
	has(d, "other.hprof:2:12: error: overrides: service 'web' cannot have two profiles");
	has(d, "ghost.hprof:2:12: error: overrides: profile for service 'ghost', which is not among the specs");
	has(d, "bad-env.hprof:1:14: error: environment: 'Prod 1' cannot name an environment");
	run_free(&r);
}

/* file(...) in a profile is relative to the profile's folder; a profile cannot rename. */
static void test_profile_files(void **state)
{
	(void)state;
	put("f/web.hspec", "name: web\nimage: {name: nginx}\nprops:\n  A: one\npropsVolumePath: /etc/web\n");
	put("f/profiles/x.conf", "from the profile folder\n");
	put("f/profiles/qa-web.hprof", "environment: qa\noverrides: web\nprops:\n  x.conf: file(x.conf)\n");
	struct run r;
	struct run_opts o = { .app = "app", .profile_env = "qa" };
	const char *d;
	const char *specs[] = { "f/web.hspec" };
	assert_true(run(&r, specs, 1, &o, &d));
	bool found = false;
	for (size_t i = 0; i < r.out[0].dir.n; i++)
		if (!strcmp(r.out[0].dir.files[i].name, "configmap.yaml"))
			found = strstr(sb_str(&r.out[0].dir.files[i].text), "x.conf: ZnJvbSB0aGUgcHJvZmlsZSBmb2xkZXIK") != NULL;
	assert_true(found);
	run_free(&r);

	/* Keys inside a subtree the profile adds are reported in the profile as well. */
	put("f/profiles/qa-web.hprof", "environment: qa\noverrides: web\nagents:\n  - name: x\n    image: y\n    imagee: z\n");
	assert_true(run(&r, specs, 1, &o, &d));
	has(d, "qa-web.hprof:6:5: warning: agents[0].imagee: unknown field; did you mean 'image'?");
	run_free(&r);

	put("f/profiles/qa-web.hprof", "environment: qa\noverrides: web\nname: other\n");
	assert_false(run(&r, specs, 1, &o, &d));
	has(d, "qa-web.hprof:3:1: error: name: a profile cannot rename its service");
	run_free(&r);
}

/* HyScale's environment names (Stage, qa_1) are label values as written and, normalised
 * like service names, part of object names. */
static void test_env_names(void **state)
{
	(void)state;
	put("e/web.hspec", "name: web\nimage: {name: nginx}\nexternal: true\nports:\n  - port: 80\n"
	    "loadBalancer:\n  provider: nginx\n  host: a.example.com\n  mapping:\n    - port: 80\n      contextPaths: [/]\n");
	put("e/Stage_1-web.hprof", "environment: Stage_1\noverrides: web\n");
	struct run r;
	struct run_opts o = { .app = "app", .profile_env = "Stage_1" };
	const char *d;
	const char *specs[] = { "e/web.hspec" };
	if (!run(&r, specs, 1, &o, &d))
		fail_msg("refused:\n%s", d);
	const char *all = "";
	for (size_t i = 0; i < r.out[0].dir.n; i++)
		all = arena_printf(&r.arena, "%s%s", all, sb_str(&r.out[0].dir.files[i].text));
	has(all, "hyscale.io/environment-name: Stage_1\n");
	has(all, "name: stage-1-web-ingress\n");
	run_free(&r);
}

static void test_merge_key_table(void **state)
{
	(void)state;
	assert_string_equal(profile_merge_key("volumes"), "name");
	assert_string_equal(profile_merge_key("agents"), "name");
	assert_string_equal(profile_merge_key("ports"), "port");
	assert_string_equal(profile_merge_key("agents[].ports"), "port");
	assert_string_equal(profile_merge_key("agents[].volumes"), "attach");
	assert_null(profile_merge_key("loadBalancer.mapping"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strategic_patch),
		cmocka_unit_test(test_merge_keys_and_positions),
		cmocka_unit_test(test_unmergeable_list),
		cmocka_unit_test(test_selection_errors),
		cmocka_unit_test(test_profile_files),
		cmocka_unit_test(test_merge_key_table),
		cmocka_unit_test(test_env_names),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
