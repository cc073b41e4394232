/* Moving from HyScale (issue 13): what HyScale accepted or did that hyscale keeps, and
 * the spec mistakes that must not ship silently. Each case: a spec, whether the run
 * succeeds, diagnostics that must appear, and text the manifests must (not) hold. */
#include "testutil.h"

#define NAME "name: web\n"
#define IMG "image:\n  name: nginx\n  tag: \"1.25\"\n"
#define D64 "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

struct mcase {
	const char *name;
	const char *spec;
	bool strict;
	bool ok;
	const char *diag[4];
	const char *out[4];
	const char *not_out[3];
};

static const struct mcase cases[] = {
	/* ---- item 3: image pull policy ---- */
	{ .name = "pull_policy_always_by_default", .spec = NAME IMG, .ok = true,
	  .out = { "image: nginx:1.25\n        imagePullPolicy: Always\n" } },
	{ .name = "pull_policy_chosen", .spec = NAME IMG "  pullPolicy: IfNotPresent\n", .ok = true,
	  .out = { "imagePullPolicy: IfNotPresent\n" }, .not_out = { "imagePullPolicy: Always" } },
	{ .name = "pull_policy_never", .spec = NAME IMG "  pullPolicy: Never\n", .ok = true, .out = { "imagePullPolicy: Never\n" } },
	{ .name = "pull_policy_validated", .spec = NAME IMG "  pullPolicy: always\n", .ok = false,
	  .diag = { "web.hspec:5:15: error: image.pullPolicy: 'always' is not a pull policy; expected Always, IfNotPresent or Never (the case matters)" } },
	{ .name = "pull_policy_agents_always", .spec = NAME IMG "agents:\n  - name: log\n    image: fluent/fluent-bit:3.0\n", .ok = true,
	  .out = { "image: fluent/fluent-bit:3.0\n        imagePullPolicy: Always\n" } },
	/* ---- item 4: digests ---- */
	{ .name = "digest_in_name", .spec = NAME "image:\n  name: nginx@" D64 "\n", .ok = true,
	  .out = { "image: nginx@" D64 "\n" } },
	{ .name = "digest_in_tag", .spec = NAME "image:\n  name: nginx\n  tag: \"1.25@" D64 "\"\n", .ok = true,
	  .out = { "image: nginx:1.25@" D64 "\n" } },
	{ .name = "digest_field", .spec = NAME IMG "  digest: " D64 "\n  registry: registry.example.com:5000\n", .ok = true,
	  .out = { "image: registry.example.com:5000/nginx:1.25@" D64 "\n" } },
	{ .name = "digest_same_twice", .spec = NAME "image:\n  name: nginx@" D64 "\n  digest: " D64 "\n", .ok = true,
	  .out = { "image: nginx@" D64 "\n" } },
	{ .name = "digest_short", .spec = NAME "image:\n  name: nginx\n  digest: sha256:abc\n", .ok = false,
	  .diag = { "web.hspec:4:11: error: image.digest: 'sha256:abc' is not a digest: a sha256 digest is 64 hex digits" } },
	{ .name = "digest_upper_hex", .spec = NAME "image:\n  name: nginx@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef\n",
	  .ok = false, .diag = { "web.hspec:3:9: error: image.name: 'sha256:0123456789ABCDEF", "is not a digest: the digest must be lower-case hex digits" } },
	{ .name = "digest_algorithm", .spec = NAME "image:\n  name: nginx\n  digest: md5:0123456789abcdef0123456789abcdef\n", .ok = false,
	  .diag = { "web.hspec:4:11: error: image.digest: 'md5:0123456789abcdef0123456789abcdef' is not a digest: the digest algorithm must be sha256, sha384 or sha512" } },
	{ .name = "digests_differ", .spec = NAME "image:\n  name: nginx@" D64 "\n  digest: sha256:" "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" "\n", .ok = false,
	  .diag = { "web.hspec:4:11: error: image.digest: digest sha256:ffff" } },
	{ .name = "name_upper_case", .spec = NAME "image:\n  name: myServiceImage\n", .ok = false,
	  .diag = { "web.hspec:3:9: error: image.name: 'myServiceImage' is not a valid image name: it must be lower case" } },
	{ .name = "name_registry_port_in_name", .spec = NAME "image:\n  name: localhost:5000/team/web\n  tag: \"1.0\"\n", .ok = true,
	  .out = { "image: localhost:5000/team/web:1.0\n" } },
	{ .name = "name_tag_twice", .spec = NAME "image:\n  name: redis:4\n  tag: \"5\"\n", .ok = false,
	  .diag = { "web.hspec:3:9: error: image.name: 'redis:4' carries tag '4' and image.tag gives '5'; keep one" } },
	{ .name = "name_bad_separator", .spec = NAME "image:\n  name: team/-web\n", .ok = false,
	  .diag = { "web.hspec:3:9: error: image.name: 'team/-web' is not a valid image name: path components must start and end" } },
	{ .name = "name_checked_with_registry", .spec = NAME "image:\n  registry: registry.example.com\n  name: Team/web\n", .ok = false,
	  .diag = { "web.hspec:4:9: error: image.name: 'Team/web' is not a valid image name: it must be lower case" } },
	{ .name = "agent_image_reference", .spec = NAME IMG "agents:\n  - name: log\n    image: fluent/Bit\n", .ok = false,
	  .diag = { "web.hspec:7:12: error: agents[0].image: 'fluent/Bit' is not an image reference: it must be lower case" } },
	/* ---- item 7: YAML 1.1 booleans in HyScale's boolean fields ---- */
	{ .name = "yaml11_external_yes", .spec = NAME IMG "external: yes\nports:\n  - port: 80\n", .ok = true,
	  .diag = { "web.hspec:5:11: warning: external: 'yes' is a boolean only in YAML 1.1 (HyScale read it as true); write true" },
	  .out = { "type: LoadBalancer" } },
	{ .name = "yaml11_external_strict", .spec = NAME IMG "external: yes\nports:\n  - port: 80\n", .strict = true, .ok = false,
	  .diag = { "web.hspec:5:11: error: external: 'yes' is a boolean only in YAML 1.1 (HyScale read it as true); write true [--strict]" } },
	{ .name = "yaml11_read_only_off", .spec = NAME IMG "volumes:\n  - name: data\n    path: /data\n    readOnly: Off\n", .ok = true,
	  .diag = { "web.hspec:8:15: warning: volumes[0].readOnly: 'Off' is a boolean only in YAML 1.1 (HyScale read it as false); write false" },
	  .not_out = { "readOnly: true" } },
	{ .name = "yaml11_sticky_on", .spec = NAME IMG "external: true\nports:\n  - port: 80\nloadBalancer:\n  provider: nginx\n"
	  "  host: a.example.com\n  sticky: on\n  mapping:\n    - port: 80\n      contextPaths: [/]\n", .ok = true,
	  .diag = { "web.hspec:11:11: warning: loadBalancer.sticky: 'on' is a boolean only in YAML 1.1 (HyScale read it as true); write true" },
	  .out = { "nginx.ingress.kubernetes.io/affinity: cookie" } },
	{ .name = "yaml11_not_in_extensions", .spec = NAME IMG "external: true\nports:\n  - port: 80\nloadBalancer:\n  provider: nginx\n"
	  "  host: a.example.com\n  tlsSecret: t\n  httpsRedirect: no\n  mapping:\n    - port: 80\n      contextPaths: [/]\n", .ok = false,
	  .diag = { "web.hspec:12:18: error: loadBalancer.httpsRedirect: 'no' is not a boolean in YAML 1.2" } },
	/* ---- item 8: typos and misplaced fields ---- */
	{ .name = "typo_top_case", .spec = NAME IMG "external: true\nports:\n  - port: 80\nloadbalancer:\n  provider: nginx\n", .ok = false,
	  .diag = { "web.hspec:8:1: error: loadbalancer: unknown field; did you mean 'loadBalancer'?" } },
	{ .name = "typo_top_one_edit", .spec = NAME IMG "replica: 3\n", .ok = false,
	  .diag = { "web.hspec:5:1: error: replica: unknown field; did you mean 'replicas'?" } },
	{ .name = "unknown_top_stays_warning", .spec = NAME IMG "owner: team-a\nextrenal: true\n", .ok = true,
	  .diag = { "web.hspec:5:1: warning: owner: unknown field (ignored)",
		    "web.hspec:6:1: warning: extrenal: unknown field; did you mean 'external'?" } },
	{ .name = "misplaced_tag", .spec = NAME "image:\n  name: nginx\ntag: \"1.25\"\n", .ok = false,
	  .diag = { "web.hspec:4:1: error: tag: not a field here; it belongs in image.tag" } },
	{ .name = "misplaced_context_paths", .spec = NAME IMG "external: true\nports:\n  - port: 80\nloadBalancer:\n  provider: nginx\n"
	  "  host: a.example.com\n  contextPaths: [/]\n  mapping:\n    - port: 80\n      contextPaths: [/]\n", .ok = false,
	  .diag = { "web.hspec:11:3: error: loadBalancer.contextPaths: not a field here; it belongs in loadBalancer.mapping[].contextPaths" } },
	{ .name = "lb_unknown_is_error", .spec = NAME IMG "external: true\nports:\n  - port: 80\nloadBalancer:\n  provider: nginx\n"
	  "  host: a.example.com\n  timeout: 30s\n  mapping:\n    - port: 80\n      paths: [/]\n      contextPaths: [/]\n", .ok = false,
	  .diag = { "web.hspec:11:3: error: loadBalancer.timeout: unknown field",
		    "web.hspec:14:7: error: loadBalancer.mapping[0].paths: unknown field" } },
};

static void run_case(void **state)
{
	const struct mcase *c = *state;
	struct tspec t;
	struct run_opts o = { .app = "app", .strict = c->strict };
	bool ok = tspec_run_opts(&t, "web.hspec", c->spec, &o);
	if (ok != c->ok)
		fail_msg("expected the run to %s; diagnostics:\n%s", c->ok ? "succeed" : "fail", t.diags);
	for (size_t i = 0; i < 4 && c->diag[i]; i++)
		assert_diag(&t, c->diag[i]);
	const char *all = "";
	for (size_t i = 0; i < t.run.nout; i++)
		for (size_t f = 0; f < t.run.out[i].dir.n; f++)
			all = arena_printf(&t.run.arena, "%s---\n%s", all, sb_str(&t.run.out[i].dir.files[f].text));
	for (size_t i = 0; i < 4 && c->out[i]; i++)
		if (!strstr(all, c->out[i]))
			fail_msg("expected in the manifests:\n%s\ngot:\n%s", c->out[i], all);
	for (size_t i = 0; i < 3 && c->not_out[i]; i++)
		if (strstr(all, c->not_out[i]))
			fail_msg("unexpected in the manifests:\n%s\ngot:\n%s", c->not_out[i], all);
	tspec_free(&t);
}

/* A 3 MB image.name made a 3 MB Deployment no API server takes: refused at its line,
 * with a message of normal length. */
static void test_huge_image_name(void **state)
{
	(void)state;
	size_t n = 3 * 1024 * 1024;
	char *spec = malloc(n + 64);
	assert_non_null(spec);
	int o = sprintf(spec, NAME "image:\n  name: ");
	memset(spec + o, 'a', n);
	strcpy(spec + o + n, "\n");
	struct tspec t;
	assert_false(tspec_run(&t, "web.hspec", spec));
	free(spec);
	assert_diag(&t, "web.hspec:3:9: error: image.name: the image name has 3145728 characters (with the registry); the most is 255");
	assert_true(strlen(t.diags) < 400);
	tspec_free(&t);
}

int main(void)
{
	struct CMUnitTest tests[sizeof(cases) / sizeof(*cases) + 1];
	size_t n = 0;
	for (; n < sizeof(cases) / sizeof(*cases); n++)
		tests[n] = (struct CMUnitTest){ cases[n].name, run_case, NULL, NULL, (void *)&cases[n] };
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_huge_image_name);
	return _cmocka_run_group_tests("migration", tests, n, NULL, NULL);
}
