/* The proof behind the YAML writer (src/emit/yaml_write.c), which replaced libfyaml's
 * emitter and the round-trip guard that re-read every document:
 *  - every string yb makes into a scalar — as a key, a value, a list item, in nested
 *    blocks — is written byte for byte as libfyaml's emitter writes it (so no golden
 *    changed), YAML 1.2 (libfyaml) reads it back as the same string in the same
 *    plain/quoted style, and the text passes the independent YAML 1.1 rules of
 *    tests/fuzz/roundtrip_check.h (no raw U+0085/U+2028/U+2029, no plain scalar go-yaml
 *    types otherwise) and src/spec/yaml11.c;
 *  - strings: every pair of printable ASCII characters, triples over the YAML
 *    indicators, leading/trailing spaces, YAML 1.1 booleans, octals, sexagesimals,
 *    nulls, ": " and " #", every code point up to U+3000 and the special ones above,
 *    long and multi-line strings, and random ones;
 *  - scalars read from a k8s snippet (any style) are written as libfyaml writes them or
 *    handed back (YW_OTHER) for libfyaml and its guard, never written differently. */
#include "testutil.h"
#include "build/manifest.h"
#include "emit/yaml_out.h"
#include "spec/yaml11.h"
#include "../fuzz/roundtrip_check.h"

#define EMIT_FLAGS (FYECF_MODE_BLOCK | FYECF_INDENT_2 | FYECF_WIDTH_INF | FYECF_DOC_START_MARK_OFF | \
		    FYECF_DOC_END_MARK_OFF | FYECF_VERSION_DIR_OFF | FYECF_TAG_DIR_OFF)

static size_t checked, plain_count, literal_count;
/* HS_YAML_WRITE_STRIDE=N checks every Nth document only: the sanitizer build sets it (all
 * ~79,000 take four minutes there); the normal build checks every one. */
static size_t stride = 1, seen;
/* HS_YAML_WRITE_CORPUS=FILE: every document written is also appended there, one stream,
 * for the YAML 1.1 readers of tests/scripts/yaml11.mjs (npm yaml in 1.1 mode, kubectl). */
static FILE *corpus;

/* What libfyaml's emitter writes for the document (the writer must match it). */
static char *libfyaml_text(struct fy_document *doc)
{
	char *t = fy_emit_document_to_string(doc, EMIT_FLAGS);
	assert_non_null(t);
	return t;
}

/* libfyaml 0.7.12's emitter drops the leading spaces of a scalar it holds exactly (" x"
 * whose text could be plain); its round-trip guard then refused the document. The
 * writer writes these right: the only texts allowed to differ from libfyaml's. */
static size_t lost_by_libfyaml;
static bool libfyaml_loses(const char *ref, const char *s)
{
	struct fy_document *d = fy_document_build_from_string(NULL, ref, FY_NT);
	struct fy_node *k = d ? fy_node_by_path(fy_document_root(d), "/data/k", FY_NT, FYNWF_DONT_FOLLOW) : NULL;
	size_t l = 0;
	const char *t = k ? fy_node_get_scalar(k, &l) : NULL;
	bool lost = !t || l != strlen(s) || memcmp(t, s, l);
	fy_document_destroy(d);
	lost_by_libfyaml += lost;
	return lost;
}

static const char *show(const char *s)
{
	static char buf[200];
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && o < sizeof(buf) - 5; p++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, *p >= 0x20 && *p < 0x7f ? "%c" : "\\x%02x", *p);
	buf[o] = '\0';
	return buf;
}

static void expect_scalar(struct fy_node *root, const char *path, const char *s, const char *text)
{
	struct fy_node *n = fy_node_by_path(root, path, FY_NT, FYNWF_DONT_FOLLOW);
	if (!n)
		fail_msg("'%s': %s not found in\n%s", show(s), path, text);
	size_t l = 0;
	const char *got = fy_node_get_scalar(n, &l);
	if (!got || l != strlen(s) || memcmp(got, s, l))
		fail_msg("'%s' read back as '%.*s' at %s in\n%s", show(s), (int)l, got ? got : "", path, text);
	bool plain = fy_node_get_style(n) == FYNS_PLAIN;
	if (plain != yb_plain_safe(s))
		fail_msg("'%s' read back %s at %s", show(s), plain ? "plain" : "quoted", path);
}

/* s as a value, a key, list items and in nested blocks of one document. */
static void check_one(const char *s)
{
	if (seen++ % stride) {
		checked++;
		return;
	}
	struct arena a;
	arena_init(&a);
	struct manifests ms;
	manifests_init(&ms, &a);
	struct manifest *m = manifest_new(&ms, "v1", "ConfigMap", "x", NULL, NULL);
	struct yb *b = &m->yb;
	struct fy_node *data = yb_child_map(b, m->root, "data");
	yb_str(b, data, "k", s);
	/* A key with a line break is not a simple key: libfyaml writes "? key", which the
	 * writer leaves to it. */
	bool as_key = !strpbrk(s, "\r\n") && strlen(s) <= 1024 && strcmp(s, "k") && strcmp(s, "l") && strcmp(s, "e") && strcmp(s, "f");
	yb_str(b, data, as_key ? s : "x", "v");
	struct fy_node *l = yb_child_seq(b, data, "l");
	yb_push_str(b, l, s);
	yb_str(b, yb_push_map(b, l), "k", s);
	yb_push_str(b, yb_child_seq(b, yb_push_map(b, l), "m"), s);
	yb_child_map(b, data, "e");
	yb_child_seq(b, data, "f");
	if (b->lossy) {
		/* libfyaml 0.7.12 could not hold it (surrounding spaces): refused before writing. */
		assert_true(*s == ' ' || s[strlen(s) - 1] == ' ' || strchr(s, '\n'));
		manifests_free(&ms);
		arena_free(&a);
		return;
	}
	struct sbuf out = SBUF_INIT;
	const char *why = NULL;
	enum yaml_write_result r = yaml_write(fy_document_root(b->doc), &out, &why);
	if (r != YW_OK)
		fail_msg("'%s' not written (%d): %s", show(s), (int)r, why ? why : "");
	const char *text = sb_str(&out);
	/* Byte for byte what libfyaml writes. */
	char *ref = libfyaml_text(b->doc);
	if (strcmp(ref, text) && !libfyaml_loses(ref, s))
		fail_msg("'%s': libfyaml writes\n%s\nthe writer\n%s", show(s), ref, text);
	free(ref);
	/* YAML 1.2 reads back the same strings, plain only when yb chose plain. */
	struct fy_document *back = fy_document_build_from_string(NULL, text, out.len);
	if (!back)
		fail_msg("'%s': text does not parse:\n%s", show(s), text);
	struct fy_node *root = fy_document_root(back);
	expect_scalar(root, "/data/k", s, text);
	expect_scalar(root, "/data/l/0", s, text);
	expect_scalar(root, "/data/l/1/k", s, text);
	expect_scalar(root, "/data/l/2/m/0", s, text);
	struct fy_node *dm = fy_node_by_path(root, "/data", FY_NT, FYNWF_DONT_FOLLOW);
	struct fy_node_pair *kp = fy_node_mapping_get_by_index(dm, 1);
	size_t kl = 0;
	const char *ks = fy_node_get_scalar(fy_node_pair_key(kp), &kl);
	if (as_key && (!ks || kl != strlen(s) || memcmp(ks, s, kl)))
		fail_msg("key '%s' read back as '%.*s'", show(s), (int)kl, ks ? ks : "");
	plain_count += fy_node_get_style(fy_node_by_path(root, "/data/k", FY_NT, FYNWF_DONT_FOLLOW)) == FYNS_PLAIN;
	literal_count += fy_node_get_style(fy_node_by_path(root, "/data/k", FY_NT, FYNWF_DONT_FOLLOW)) == FYNS_LITERAL;
	fy_document_destroy(back);
	/* YAML 1.1 readers (kubectl) read it the same: two independent sets of rules. */
	const char *rt = roundtrip_check(text, false);
	if (rt)
		fail_msg("'%s': %s:\n%s", show(s), rt, text);
	if (yaml11_raw_unsafe(text, out.len, NULL) < out.len)
		fail_msg("'%s': raw character YAML 1.1 reads as a break:\n%s", show(s), text);
	checked++;
	if (corpus)
		fprintf(corpus, "---\n%s", text);
	sb_release(&out);
	manifests_free(&ms);
	arena_free(&a);
}

static void put_utf8(char **o, unsigned long cp)
{
	unsigned char *p = (unsigned char *)*o;
	if (cp < 0x80) {
		*p++ = (unsigned char)cp;
	} else if (cp < 0x800) {
		*p++ = (unsigned char)(0xc0 | (cp >> 6));
		*p++ = (unsigned char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*p++ = (unsigned char)(0xe0 | (cp >> 12));
		*p++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		*p++ = (unsigned char)(0x80 | (cp & 0x3f));
	} else {
		*p++ = (unsigned char)(0xf0 | (cp >> 18));
		*p++ = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		*p++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		*p++ = (unsigned char)(0x80 | (cp & 0x3f));
	}
	*o = (char *)p;
}

static void test_words(void **state)
{
	(void)state;
	static const char *const words[] = {
		/* YAML 1.1 booleans, nulls, numbers of another value, sexagesimals, dates, merge. */
		"y", "Y", "n", "N", "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
		"true", "True", "TRUE", "false", "False", "null", "Null", "NULL", "~", "", "0755", "0o17", "0b101",
		"0x1F", "0x1f", "1_000", "1:20", "190:20:30", "-1:20", "1e3", "1E3", "1.5e-3", ".5", "-.5", "+1",
		"1.", "1..2", ".inf", "-.Inf", ".NaN", "2001-12-14", "2001-12-14t21:59:43.10-05:00", "<<", "=",
		"8080", "-1", "0", "00", "1.0", "3.14159",
		/* Indicators and combinations. */
		": ", "a: b", "a:", "a:b", "::", "#", "a #b", "a#b", " #", "*a", "&a", "!a", "!!str x", "---", "...",
		"--- x", "... x", "{a}", "[a]", "{", "}", "|", ">", "|-\n  x", "%x", "@x", "`x", "'", "\"", "\\",
		"\\n", "- a", "-a", "? a", "?a", ",a", "a,b", "a, b", "a [b]",
		/* Spaces and line breaks. */
		" a", "a ", " ", "  a  ", "\t", "a\tb", "\ta", "a\t", "a\nb", "a\n", "\n", "\n\n", "a\n\n", "a\n\nb\n",
		"a\n\n\n", "line one\nline two\n", "a\n ", " \na", "a \nb\n", "a\n b\n", "a\r\nb", "a\rb\n",
		"x\n#c\n", "a: b\nc: d\n", "- a\n- b\n", "a\n---\nb\n", "a\n...\n",
		/* Characters YAML 1.1 reads otherwise, and other Unicode. */
		"caf\xc3\xa9", "\xe2\x80\xa8", "a\xe2\x80\xa9" "b", "a\xc2\x85" "b", "\xef\xbb\xbf" "a",
		"a\xef\xbb\xbf", "\xc2\xa0", "a\xc2\xa0" "b", "\xc2\x80", "\xc2\x9f", "\xef\xbf\xbe", "\xef\xbf\xbf",
		"\xf0\x9f\x98\x80", "a\xf0\x9f\x98\x80\n", "x\xe2\x80\xa8metadata:\xe2\x80\xa8  namespace: kube-system\n",
		"\x01", "a\x7f", "\x1b[0m", "\x00", "é ü 日本", "日本\n語\n",
		/* nginx and Envoy metacharacters. */
		"$host", "a;b", "\"; proxy_pass http://evil; #", "%{HTTP_HOST}", "%%", "${X}",
		NULL };
	for (const char *const *w = words; *w; w++)
		check_one(*w);
}

/* Every pair of printable ASCII characters, alone and around a letter. */
static void test_ascii_pairs(void **state)
{
	(void)state;
	char s[8];
	for (int c1 = 0x20; c1 < 0x7f; c1++)
		for (int c2 = 0x20; c2 < 0x7f; c2++) {
			s[0] = (char)c1, s[1] = (char)c2, s[2] = '\0';
			check_one(s);
			s[0] = 'a', s[1] = (char)c1, s[2] = (char)c2, s[3] = '\0';
			check_one(s);
		}
}

/* Triples over the YAML indicators, space, a letter and a digit. */
static void test_indicator_triples(void **state)
{
	(void)state;
	static const char set[] = "-?:,[]{}#&*!|>'\"%@` a0.~\n";
	size_t n = sizeof(set) - 1;
	char s[4] = "";
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			for (size_t k = 0; k < n; k++) {
				s[0] = set[i], s[1] = set[j], s[2] = set[k];
				check_one(s);
			}
}

/* Every code point up to U+3000 and those that matter above it, inside and alone. */
static void test_code_points(void **state)
{
	(void)state;
	static const unsigned long special[] = { 0x2028, 0x2029, 0xfeff, 0xfffe, 0xfffd, 0xffff, 0xd7ff, 0xe000,
						 0x10000, 0x1f600, 0x10ffff, 0 };
	char s[16];
	for (unsigned long cp = 1; cp <= 0x3000 + sizeof(special) / sizeof(*special); cp++) {
		unsigned long c = cp <= 0x3000 ? cp : special[cp - 0x3001];
		if (!c)
			break;
		char *o = s;
		*o++ = 'a';
		put_utf8(&o, c);
		*o++ = 'b';
		*o = '\0';
		check_one(s);
		o = s;
		put_utf8(&o, c);
		*o = '\0';
		check_one(s);
		o = s;
		*o++ = 'x';
		put_utf8(&o, c);
		*o++ = '\n', *o++ = 'y', *o++ = '\n', *o = '\0';
		check_one(s);
	}
}

/* Random strings over YAML's metacharacters, long ones and multi-line ones (fixed seed;
 * HS_SEED overrides it). */
static void test_random(void **state)
{
	(void)state;
	static const char *const alphabet[] = { ":", "#", "*", "&", "!", "-", "{", "}", "[", "]", "|", ">", "%",
		"@", "`", "'", "\"", "\\", " ", "  ", "\t", "\n", "\n\n", "\r", ";", "$", "a", "Z", "0", "7", "/", ".",
		"=", "?", ",", "~", "yes", "null", "0755", "1:2", "\xc3\xa9", "\xe2\x80\xa8", "\xc2\x85", "\xef\xbb\xbf",
		"\xc2\xa0", "\xf0\x9f\x98\x80", "---", "...", "\x01", "\x7f", ": ", " #", "- " };
	const char *env = getenv("HS_SEED");
	unsigned long long x = env ? strtoull(env, NULL, 10) : 0x2545f4914f6cdd1dull;
	static char s[5000];
	for (int iter = 0; iter < 8000; iter++) {
		size_t n = 0, want;
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		want = iter % 100 == 0 ? 1200 : 1 + x % 16;
		for (size_t k = 0; k < want; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			const char *piece = alphabet[x % (sizeof(alphabet) / sizeof(*alphabet))];
			if (n + strlen(piece) >= sizeof(s) - 2)
				break;
			memcpy(s + n, piece, strlen(piece));
			n += strlen(piece);
		}
		/* Half of them end in a line break: candidates for a literal block. */
		if (iter % 2)
			s[n++] = '\n';
		s[n] = '\0';
		check_one(s);
	}
	/* Long strings, beyond any width an emitter might fold at. */
	for (int i = 0; i < 3000; i++)
		s[i] = "ab :#-\"'\\ {}"[i % 12];
	s[3000] = '\0';
	check_one(s);
	for (int i = 0; i < 3000; i++)
		s[i] = i % 61 == 60 ? '\n' : "abcdef "[i % 7];
	s[2999] = '\n', s[3000] = '\0';
	check_one(s);
	/* All cases ran, and all three styles were among them. */
	assert_true(checked > 45000);
	assert_true(plain_count > 1000 / stride && literal_count > 1000 / stride);
	print_message("%zu documents; %zu with a value libfyaml's emitter lost (its guard refused those)\n", checked, lost_by_libfyaml);
}

/* Scalars as a k8s snippet's author wrote them: written as libfyaml writes them, or handed
 * back to libfyaml and its guard, never written otherwise. Raw characters libfyaml would
 * write raw from a file (no-break space, emoji) but escaped from yb are handed back. */
static void test_snippet_styles(void **state)
{
	(void)state;
	static const struct { const char *yaml; enum yaml_write_result want; } cases[] = {
		{ "a: b\nc: \"d e\"\nl: [x, \"y\", 1, true]\n", YW_OK },
		{ "a: |\n  one\n  two\n", YW_OK },
		{ "a: |+\n  one\n\n", YW_OK },
		{ "a: \"tab\\there\\u2028\\x85\"\n", YW_OTHER },
		{ "a: \"raw\ttab\"\n", YW_OK },
		{ "a: \"raw\xc2\xa0nbsp\"\n", YW_OTHER },
		{ "a: \"emoji \xf0\x9f\x98\x80\"\n", YW_OTHER },
		{ "a: 'single'\n", YW_OTHER },
		{ "a: >\n  folded\n", YW_OTHER },
		{ "a: |-\n  strip\n", YW_OTHER },
		{ "a: !!str 1\n", YW_OTHER },
		{ "a: &x b\nc: *x\n", YW_OTHER },
		{ "a:\n", YW_OTHER },
		{ "a: plain with spaces\nb: multi\n  line plain\n", YW_OK },
		{ "? [a]\n: b\n", YW_OTHER },
		{ "a: on\n", YW_REFUSED },
		{ "a: 0755\n", YW_REFUSED },
		{ "a: {}\nb: []\nc: [[1, 2], [], {}]\nd: [{e: f, g: [h]}]\n", YW_OK },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct fy_document *doc = fy_document_build_from_string(NULL, cases[i].yaml, FY_NT);
		assert_non_null(doc);
		struct sbuf out = SBUF_INIT;
		const char *why = NULL;
		enum yaml_write_result r = yaml_write(fy_document_root(doc), &out, &why);
		if (r != cases[i].want)
			fail_msg("%s: %d, want %d", show(cases[i].yaml), (int)r, (int)cases[i].want);
		if (r == YW_OK) {
			char *ref = libfyaml_text(doc);
			if (strcmp(ref, sb_str(&out)))
				fail_msg("libfyaml writes\n%s\nthe writer\n%s", ref, sb_str(&out));
			free(ref);
		} else {
			assert_int_equal(out.len, 0);
			assert_true(r == YW_OTHER || why);
		}
		sb_release(&out);
		fy_document_destroy(doc);
	}
}

/* The writer's rules can fail: a plain scalar that reads otherwise is not written plain. */
static void test_rules_can_fail(void **state)
{
	(void)state;
	static const char *const not_plain[] = { "a #b", "a: b", "- x", "[a", "a:", " a", "a ", "\xe2\x80\xa8", "#",
						  "a\tb", "*a", "--- x", NULL };
	for (const char *const *v = not_plain; *v; v++)
		assert_false(yaml_plain_ok(*v, strlen(*v)));
	assert_true(yaml_plain_ok("app.kubernetes.io/name", 22));
	assert_false(yaml_lit_ok("a\n b\n", 5));
	assert_false(yaml_lit_ok("a\xe2\x80\xa8\n", 5));
	assert_false(yaml_dq_unambiguous("\xc2\xa0", 2));
	struct sbuf o = SBUF_INIT;
	const char *dq = "\"\\\n\t\x01\xc2\x85\xe2\x80\xa8\xef\xbb\xbf\xf0\x9f\x98\x80";
	yaml_put_dq(&o, dq, strlen(dq));
	assert_string_equal(sb_str(&o), "\"\\\"\\\\\\n\\t\\x01\\N\\L\\uFEFF\\U0001F600\"");
	sb_release(&o);
}

/* Numbers and booleans are plain on purpose, and mean the same to YAML 1.1 and 1.2. */
static void test_numbers(void **state)
{
	(void)state;
	static const long nums[] = { 0, 1, -1, 7, 10, 8080, -8080, 65535, 2147483647L, -2147483647L, 100000000000L };
	struct arena a;
	arena_init(&a);
	struct manifests ms;
	manifests_init(&ms, &a);
	struct manifest *m = manifest_new(&ms, "v1", "ConfigMap", "x", NULL, NULL);
	struct fy_node *data = yb_child_map(&m->yb, m->root, "data");
	char key[32];
	for (size_t i = 0; i < sizeof(nums) / sizeof(*nums); i++) {
		snprintf(key, sizeof(key), "n%zu", i);
		yb_int(&m->yb, data, key, nums[i]);
	}
	yb_bool(&m->yb, data, "t", true);
	yb_bool(&m->yb, data, "f", false);
	struct sbuf out = SBUF_INIT;
	const char *why = NULL;
	assert_int_equal(yaml_write(fy_document_root(m->yb.doc), &out, &why), YW_OK);
	char *ref = libfyaml_text(m->yb.doc);
	assert_string_equal(ref, sb_str(&out));
	free(ref);
	assert_null(roundtrip_check(sb_str(&out), false));
	struct fy_document *back = fy_document_build_from_string(NULL, sb_str(&out), FY_NT);
	for (size_t i = 0; i < sizeof(nums) / sizeof(*nums); i++) {
		char path[32], want[32];
		snprintf(path, sizeof(path), "/data/n%zu", i);
		snprintf(want, sizeof(want), "%ld", nums[i]);
		struct fy_node *n = fy_node_by_path(fy_document_root(back), path, FY_NT, FYNWF_DONT_FOLLOW);
		assert_non_null(n);
		assert_int_equal(fy_node_get_style(n), FYNS_PLAIN);
		assert_string_equal(fy_node_get_scalar0(n), want);
		assert_null(yaml11_plain_differs(want, strlen(want)));
	}
	fy_document_destroy(back);
	sb_release(&out);
	manifests_free(&ms);
	arena_free(&a);
}

int main(void)
{
	const char *cf = getenv("HS_YAML_WRITE_CORPUS");
	const char *st = getenv("HS_YAML_WRITE_STRIDE");
	if (st && atoi(st) > 1)
		stride = (size_t)atoi(st);
	if (cf && !(corpus = fopen(cf, "w"))) {
		perror(cf);
		return 2;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules_can_fail),
		cmocka_unit_test(test_snippet_styles),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_ascii_pairs),
		cmocka_unit_test(test_indicator_triples),
		cmocka_unit_test(test_code_points),
		cmocka_unit_test(test_random),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	if (corpus && fclose(corpus) != 0)
		rc = 2;
	return rc;
}
