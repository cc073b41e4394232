/* Name normalisation and the Kubernetes name checks. */
#include "testutil.h"
#include "util/names.h"
#include "spec/read.h"

static void test_normalize(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	assert_string_equal(name_normalize(&a, "My Service"), "my-service");
	assert_string_equal(name_normalize(&a, "  web.front_end  "), "web-front-end");
	assert_string_equal(name_normalize(&a, "a..b"), "a-b");
	assert_string_equal(name_normalize(&a, "Ünï$x"), "nx");
	/* Mapped characters are fine; dropped ones are reported (issue 11). */
	assert_null(name_dropped("  My web.front_end  "));
	assert_string_equal(name_dropped("web@1"), "@1");
	assert_string_equal(name_dropped("Ünï"), "Ünï");
	assert_non_null(name_dropped("a!"));
	assert_false(is_dns1035_label(name_normalize(&a, "9lives")));
	arena_free(&a);
}

static void test_dns(void **state)
{
	(void)state;
	assert_true(is_dns_label("web-1"));
	assert_false(is_dns_label("-web"));
	assert_false(is_dns_label("Web"));
	assert_true(is_wildcard_dns_subdomain("*.example.com"));
	assert_false(is_wildcard_dns_subdomain("a.*.example.com"));
	assert_false(is_wildcard_dns_subdomain("example.com:8080"));
	/* 253 characters at most, the "*." included, as the API server counts. */
	char host[300] = "*.";
	for (int i = 0; i < 4; i++)
		strcat(host, i ? ".aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" : "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	strcat(host, ".b");
	assert_int_equal(strlen(host), 252);
	assert_true(is_wildcard_dns_subdomain(host));
	strcat(host, "c");
	assert_true(is_wildcard_dns_subdomain(host));
	strcat(host, "d");
	assert_false(is_wildcard_dns_subdomain(host));
	assert_true(is_dns_subdomain(host + 2));
	assert_true(looks_like_ip("10.0.0.1"));
	assert_true(looks_like_ip("::1"));
	assert_false(looks_like_ip("10.0.0.1.example.com"));
	assert_true(is_label_key("hyscale.io/app-name"));
	assert_false(is_label_key("/x"));
	assert_true(is_http_token("X-Env"));
	assert_false(is_http_token("X Env"));
	assert_false(is_http_token("X:Env"));
}

static void test_ports(void **state)
{
	(void)state;
	long n;
	enum port_proto p;
	assert_true(port_parse("8080", &n, &p));
	assert_int_equal(n, 8080);
	assert_int_equal(p, PROTO_TCP);
	assert_true(port_parse("53/UDP", &n, &p));
	assert_int_equal(p, PROTO_UDP);
	assert_true(port_parse("443/https", &n, &p));
	assert_int_equal(p, PROTO_HTTPS);
	assert_false(port_parse("80/sctp", &n, &p));
	assert_false(port_parse("http", &n, &p));
	assert_false(port_parse("80/", &n, &p));
	assert_false(port_parse("-1", &n, &p));
}

static void test_edit_distance(void **state)
{
	(void)state;
	assert_int_equal(edit_distance("extrenal", "external", 3), 2);
	assert_int_equal(edit_distance("port", "port", 3), 0);
	assert_true(edit_distance("abcdefgh", "zzzzzzzz", 3) > 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_dns),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_edit_distance),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
