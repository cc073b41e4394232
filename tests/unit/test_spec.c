/* Spec loading and core validation: each rule's message and position. */
#include "testutil.h"

#define BASE "name: web\nimage:\n  name: nginx\n  tag: \"1.25\"\n"

static void test_valid_minimal(void **state)
{
	(void)state;
	struct tspec t;
	assert_true(tspec_run(&t, "web.hspec", BASE "ports:\n  - port: 80/http\n"));
	assert_string_equal(t.diags, "");
	assert_int_equal(t.run.nout, 1);
	assert_int_equal(t.run.out[0].dir.n, 2);
	assert_string_equal(t.run.out[0].dir.files[0].name, "service.yaml");
	assert_string_equal(t.run.out[0].dir.files[1].name, "deployment.yaml");
	tspec_free(&t);
}

static void test_port_out_of_range(void **state)
{
	(void)state;
	struct tspec t;
	assert_false(tspec_run(&t, "web.hspec", BASE "ports:\n  - port: 70000\n  - port: 80/sctp\n"));
	assert_diag(&t, "web.hspec:6:11: error: ports[0].port: 70000 is out of range 1-65535");
	assert_diag(&t, "web.hspec:7:11: error: ports[1].port: '80/sctp' is not a port");
	tspec_free(&t);
}

static void test_unknown_field_suggests(void **state)
{
	(void)state;
	struct tspec t;
	assert_true(tspec_run(&t, "web.hspec", BASE "extrenal: true\n"));
	assert_diag(&t, "web.hspec:5:1: warning: extrenal: unknown field; did you mean 'external'?");
	tspec_free(&t);
}

static void test_strict_turns_warnings_into_errors(void **state)
{
	(void)state;
	struct tspec t;
	struct run_opts o = { .app = "app", .strict = true };
	assert_false(tspec_run_opts(&t, "web.hspec", BASE "extrenal: true\n", &o));
	assert_diag(&t, "error: extrenal: unknown field; did you mean 'external'? [--strict]");
	tspec_free(&t);
}

static void test_wrong_types(void **state)
{
	(void)state;
	struct tspec t;
	assert_false(tspec_run(&t, "web.hspec", BASE "replicas: many\nexternal: y\nports: 80\n"));
	assert_diag(&t, "web.hspec:5:11: error: replicas: expected an integer, got 'many'");
	assert_diag(&t, "web.hspec:6:11: error: external: 'y' is not a boolean in YAML 1.2; write true or false");
	assert_diag(&t, "web.hspec:7:8: error: ports: expected a list, got a scalar");
	tspec_free(&t);
}

static void test_missing_required(void **state)
{
	(void)state;
	struct tspec t;
	assert_false(tspec_run(&t, "web.hspec", "name: web\n"));
	assert_diag(&t, "error: image: missing required field");
	tspec_free(&t);
}

static void test_duplicate_key(void **state)
{
	(void)state;
	struct tspec t;
	assert_false(tspec_run(&t, "web.hspec", BASE "name: other\n"));
	assert_diag(&t, "web.hspec:5:1: error: invalid YAML: duplicate key");
	assert_int_equal(t.run.nout, 0);
	tspec_free(&t);
}

static void test_not_a_mapping(void **state)
{
	(void)state;
	struct tspec t;
	assert_false(tspec_run(&t, "web.hspec", "- a\n- b\n"));
	assert_diag(&t, "error: a service spec must be a mapping of fields, got a list");
	tspec_free(&t);
}

static void test_name_and_file(void **state)
{
	(void)state;
	struct tspec t;
	assert_true(tspec_run(&t, "other.hspec", BASE));
	assert_diag(&t, "other.hspec:1:7: note: name: service name 'web' does not match the file name 'other.hspec'");
	tspec_free(&t);
	assert_false(tspec_run(&t, "9x.hspec", "name: 9x\nimage:\n  name: nginx\n"));
	assert_diag(&t, "9x.hspec:1:7: error: name: '9x' cannot be made a valid Kubernetes Service name");
	tspec_free(&t);
}

static void test_alias_bomb(void **state)
{
	(void)state;
	struct tspec t;
	/* 1000 rules each reading a 1000-item list through aliases: 2,000,000 nodes. */
	struct sbuf b = SBUF_INIT;
	sb_adds(&b, "name: web\nimage: {name: nginx}\nallowTraffic:\n  - &t\n    ports: &p [");
	for (int i = 0; i < 1000; i++)
		sb_adds(&b, i ? ", '80'" : "'80'");
	sb_adds(&b, "]\n    from: *p\n");
	for (int i = 0; i < 999; i++)
		sb_adds(&b, "  - *t\n");
	const char *bomb = b.buf;
	assert_false(tspec_run(&t, "web.hspec", bomb));
	assert_diag(&t, "YAML aliases expand to more than");
	assert_true(t.run.diags.n < 10);
	tspec_free(&t);
	sb_release(&b);
}

static void test_health_checks(void **state)
{
	(void)state;
	struct tspec t;
	assert_false(tspec_run(&t, "web.hspec", BASE "ports:\n  - port: 53/udp\n    healthCheck:\n      httpPath: /h\n"));
	assert_diag(&t, "web.hspec:8:17: error: ports[0].healthCheck.httpPath: an HTTP health check cannot probe UDP port 53");
	tspec_free(&t);
	assert_false(tspec_run(&t, "web.hspec", BASE "ports:\n  - port: 80\n    healthCheck:\n      httpPath: health\n"));
	assert_diag(&t, "ports[0].healthCheck.httpPath: 'health' must start with '/'");
	tspec_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_minimal),
		cmocka_unit_test(test_port_out_of_range),
		cmocka_unit_test(test_unknown_field_suggests),
		cmocka_unit_test(test_strict_turns_warnings_into_errors),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_missing_required),
		cmocka_unit_test(test_duplicate_key),
		cmocka_unit_test(test_not_a_mapping),
		cmocka_unit_test(test_name_and_file),
		cmocka_unit_test(test_alias_bomb),
		cmocka_unit_test(test_health_checks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
