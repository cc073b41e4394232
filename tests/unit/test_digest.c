/* SHA-256 against FIPS 180-4 / NIST vectors, base64 against RFC 4648, quantities and
 * the props/secrets name rules. */
#include "testutil.h"
#include "model/pod.h"
#include "util/digest.h"
#include "util/quantity.h"

static const char *hex(const char *s, size_t n)
{
	static char out[65];
	struct sha256 c;
	sha256_init(&c);
	/* Fed in uneven pieces so block boundaries are crossed mid-update. */
	for (size_t i = 0; i < n;) {
		size_t k = n - i < 7 ? n - i : 7;
		sha256_update(&c, s + i, k);
		i += k;
	}
	sha256_hex(&c, out);
	return out;
}

static void test_sha256(void **state)
{
	(void)state;
	assert_string_equal(hex("", 0), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_string_equal(hex("abc", 3), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	assert_string_equal(hex(two, strlen(two)), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	char million[1000];
	memset(million, 'a', sizeof(million));
	struct sha256 c;
	sha256_init(&c);
	for (int i = 0; i < 1000; i++)
		sha256_update(&c, million, sizeof(million));
	char out[65];
	sha256_hex(&c, out);
	assert_string_equal(out, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void test_base64(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	static const char *const rfc[][2] = { { "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" },
					      { "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" }, { "foobar", "Zm9vYmFy" } };
	for (size_t i = 0; i < sizeof(rfc) / sizeof(rfc[0]); i++)
		assert_string_equal(base64_encode(&a, rfc[i][0], strlen(rfc[i][0])), rfc[i][1]);
	assert_string_equal(base64_encode(&a, "\0\1\377", 3), "AAH/");
	/* decode: every RFC vector back, wrapped lines, and what must be refused */
	for (size_t i = 0; i < sizeof(rfc) / sizeof(rfc[0]); i++) {
		size_t n = 99;
		char *d = base64_decode(rfc[i][1], &n);
		assert_non_null(d);
		assert_int_equal(n, strlen(rfc[i][0]));
		assert_memory_equal(d, rfc[i][0], n);
		free(d);
	}
	size_t n;
	char *d = base64_decode(" Zm9v\r\nYmE=\n", &n);
	assert_non_null(d);
	assert_int_equal(n, 5);
	assert_string_equal(d, "fooba");
	free(d);
	static const char *const bad[] = { "Zg", "Zg=", "Z===", "Zg=a", "Zg==Zg==", "Zm9v-_8=", "Zm9v\x01", "====", "Zg==x" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_null(base64_decode(bad[i], &n));
	/* every byte value, every length mod 3: decode(encode(x)) == x */
	unsigned char all[258];
	for (int i = 0; i < 258; i++)
		all[i] = (unsigned char)(i * 7 + 3);
	for (size_t len = 0; len <= sizeof(all); len += 1) {
		d = base64_decode(base64_encode(&a, all, len), &n);
		assert_non_null(d);
		assert_int_equal(n, len);
		assert_memory_equal(d, all, len);
		free(d);
	}
	arena_free(&a);
}

static void test_quantities(void **state)
{
	(void)state;
	long double v;
	assert_true(quantity_parse("512Mi", &v));
	assert_true(v == 512.0L * 1048576.0L);
	assert_true(quantity_parse("500m", &v));
	assert_true(v > 0.4999L && v < 0.5001L);
	assert_true(quantity_parse("0.5", &v));
	assert_true(quantity_parse("1e3", &v));
	assert_true(v == 1000.0L);
	assert_true(quantity_parse("2", &v));
	assert_false(quantity_parse("1g", &v));
	assert_false(quantity_parse("1GB", &v));
	assert_false(quantity_parse("-1", &v));
	assert_false(quantity_parse("Mi", &v));
	assert_false(quantity_parse("1.2.3", &v));
	assert_string_equal(quantity_hint("1g"), "Gi");
	assert_string_equal(quantity_hint("512mb"), "Mi");
	assert_null(quantity_hint("abc"));

	struct arena a;
	arena_init(&a);
	const char *lo, *hi;
	quantity_range("64Mi-128Mi", &a, &lo, &hi);
	assert_string_equal(lo, "64Mi");
	assert_string_equal(hi, "128Mi");
	quantity_range("1e-3", &a, &lo, &hi);
	assert_null(lo);
	assert_string_equal(hi, "1e-3");
	arena_free(&a);
}

static void test_names(void **state)
{
	(void)state;
	assert_true(is_env_name("DB_HOST"));
	assert_true(is_env_name("envoy.yaml"));
	assert_false(is_env_name("1X"));
	assert_false(is_env_name("A B"));
	assert_true(is_config_key("config.props"));
	assert_false(is_config_key(".."));
	assert_false(is_config_key("a/b"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_quantities),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
