/* Round-trip invariants (issue #6), as property tests over tricky and random strings:
 *  - every generated file re-parses, and every user string that reaches a manifest
 *    arrives byte for byte (no YAML injection, no lost spaces), for every provider;
 *  - no string can add an nginx directive to a configuration-snippet: it is written
 *    as one bare word or one quoted string, or refused with a positioned error;
 *  - yaml_render() refuses a tree it cannot write exactly (the libfyaml 0.7.12
 *    leading/trailing-space loss) instead of writing a different value. */
#include "testutil.h"
#include "emit/yaml_out.h"
#include "../fuzz/roundtrip_check.h"

static const char *const providers[] = { "nginx", "traefik", "istio", "gateway" };

/* s as a YAML double-quoted scalar that any YAML reader decodes back to s. */
static char *yq(const char *s)
{
	static char buf[65536];
	char *o = buf;
	*o++ = '"';
	for (const unsigned char *p = (const unsigned char *)s; *p && o < buf + sizeof(buf) - 16; p++) {
		if (*p == '"' || *p == '\\') {
			*o++ = '\\';
			*o++ = (char)*p;
		} else if (*p < 0x20 || *p == 0x7f) {
			o += sprintf(o, "\\x%02x", *p);
		} else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			o += sprintf(o, "\\x%02x", *++p); /* C1 controls: not allowed raw in a file */
		} else {
			*o++ = (char)*p;
		}
	}
	*o++ = '"';
	*o = '\0';
	return buf;
}

/* The value of the first mapping entry named key anywhere in a document, or NULL. */
static struct fy_node *find_key(struct fy_node *n, const char *key)
{
	if (!n)
		return NULL;
	void *it = NULL;
	if (fy_node_is_sequence(n)) {
		struct fy_node *c, *r;
		while ((c = fy_node_sequence_iterate(n, &it)))
			if ((r = find_key(c, key)))
				return r;
	} else if (fy_node_is_mapping(n)) {
		struct fy_node_pair *p;
		while ((p = fy_node_mapping_iterate(n, &it))) {
			size_t l;
			const char *k = fy_node_get_scalar(fy_node_pair_key(p), &l);
			if (k && l == strlen(key) && !memcmp(k, key, l))
				return fy_node_pair_value(p);
			struct fy_node *r = find_key(fy_node_pair_value(p), key);
			if (r)
				return r;
		}
	}
	return NULL;
}

#define SPEC_HEAD "name: web\nimage:\n  name: nginx\nexternal: true\nports:\n  - port: 80\n" \
	"loadBalancer:\n  provider: %s\n  host: a.example.com\n  className: probe\n  labels:\n    istio: ingressgateway\n" \
	"  mapping:\n    - port: 80\n      contextPaths: [/]\n"
#define HEADER_LINE 19   /* the line of "X-Probe:" in specs made by probe_spec() */

static const char *probe_spec(const char *provider, const char *annotation, const char *header)
{
	static char buf[200000];
	int n = snprintf(buf, sizeof(buf), SPEC_HEAD, provider);
	n += snprintf(buf + n, sizeof(buf) - (size_t)n, "  annotations:\n    example.com/probe: %s\n", yq(annotation));
	if (header)
		snprintf(buf + n, sizeof(buf) - (size_t)n, "  headers:\n    X-Probe: %s\n", yq(header));
	return buf;
}

/* Gateway API lists headers as {name, value} entries under requestHeaderModifier.set. */
static struct fy_node *find_header_entry(struct fy_node *root, const char *name)
{
	struct fy_node *set = find_key(root, "set");
	void *it = NULL;
	struct fy_node *e;
	while (set && fy_node_is_sequence(set) && (e = fy_node_sequence_iterate(set, &it))) {
		const char *n = fy_node_get_scalar0(find_key(e, "name"));
		if (n && !strcmp(n, name))
			return find_key(e, "value");
	}
	return NULL;
}

/* Every rendered file re-parses (with the snippet invariant); returns the value found
 * under key in any of them, decoded, or NULL. A key "header:NAME" looks NAME up in a
 * Gateway API header list. */
static const char *rendered_value(struct tspec *t, const char *key, size_t *len)
{
	const char *found = NULL;
	for (size_t i = 0; i < t->run.nout; i++)
		for (size_t f = 0; f < t->run.out[i].dir.n; f++) {
			const char *text = sb_str(&t->run.out[i].dir.files[f].text);
			const char *why = roundtrip_check(text, true);
			if (why)
				fail_msg("%s: %s\n%s", t->run.out[i].dir.files[f].name, why, text);
			struct fy_document *doc = fy_document_build_from_string(NULL, text, FY_NT);
			assert_non_null(doc);
			struct fy_node *v = strncmp(key, "header:", 7) ? find_key(fy_document_root(doc), key)
								       : find_header_entry(fy_document_root(doc), key + 7);
			if (v && !found) {
				size_t l = 0;
				const char *s = fy_node_get_scalar(v, &l);
				assert_non_null(s);
				found = arena_strndup(&t->run.arena, s, l);
				*len = l;
			}
			fy_document_destroy(doc);
		}
	return found;
}

static void assert_same_bytes(const char *what, const char *want, const char *got, size_t got_len)
{
	if (!got || got_len != strlen(want) || memcmp(want, got, got_len))
		fail_msg("%s: wrote %s for %s", what, got ? yq(got) : "nothing", yq(want));
}

/* Istio writes header values as Envoy format strings: '%' doubled, nothing else. */
static const char *envoy(struct arena *a, const char *s)
{
	char *o = arena_alloc(a, 2 * strlen(s) + 1), *p = o;
	for (; *s; s++) {
		*p++ = *s;
		if (*s == '%')
			*p++ = '%';
	}
	return o;
}

/* One string through every provider, as an annotation value (never validated, so it
 * must arrive byte for byte) and as a header value (arrives exactly, or is refused with
 * an error at its line). */
static void check_string(const char *s)
{
	/* A namespace, since Traefik's Middleware references need one. */
	const struct run_opts o = { .app = "app", .ns = "shop" };
	for (size_t p = 0; p < sizeof(providers) / sizeof(*providers); p++) {
		struct tspec t;
		bool ok = tspec_run_opts(&t, "web.hspec", probe_spec(providers[p], s, NULL), &o);
		if (!ok)
			fail_msg("%s: annotation %s refused:\n%s", providers[p], yq(s), t.diags);
		size_t l = 0;
		const char *got = rendered_value(&t, "example.com/probe", &l);
		assert_same_bytes(providers[p], s, got, l);
		tspec_free(&t);

		ok = tspec_run_opts(&t, "web.hspec", probe_spec(providers[p], "a", s), &o);
		if (ok) {
			got = rendered_value(&t, strcmp(providers[p], "gateway") ? "X-Probe" : "header:X-Probe", &l);
			if (strcmp(providers[p], "nginx")) {
				const char *want = !strcmp(providers[p], "istio") ? envoy(&t.run.arena, s) : s;
				assert_same_bytes(providers[p], want, got, l);
			} else {
				/* The snippet holds the value bare or in one pair of quotes. */
				const char *snip = rendered_value(&t, RT_SNIPPET_KEY, &l);
				assert_non_null(snip);
				const char *bare = arena_printf(&t.run.arena, "proxy_set_header X-Probe %s;\n", s);
				const char *quoted = arena_printf(&t.run.arena, "proxy_set_header X-Probe \"%s\";\n", s);
				if (!strstr(snip, bare) && !strstr(snip, quoted))
					fail_msg("nginx: header %s not found literally in the snippet:\n%s", yq(s), snip);
			}
		} else {
			char at[32];
			snprintf(at, sizeof(at), "web.hspec:%d:", HEADER_LINE);
			if (!strstr(t.diags, at) || !strstr(t.diags, ": error: loadBalancer.headers.X-Probe: "))
				fail_msg("%s: header %s refused without a positioned error:\n%s", providers[p], yq(s), t.diags);
		}
		tspec_free(&t);
	}
}

/* Strings that would change the document if printed raw into YAML. */
static void test_yaml_breaking_strings(void **state)
{
	(void)state;
	static const char *const tricky[] = {
		": ", "a: b", "#", "a #b", "*a", "&a", "!a", "!!str x", "---", "...", "--- x", "{a}", "[a]",
		"{", "}", "|", ">", "|-\n  x", "%x", "@x", "`x", "'", "\"", "\\", "\\n", "- a", "? a", "a:",
		"null", "~", "true", "yes", "No", "1e3", "0x1f", "0o17", ".inf", "-.5", "2001-12-14", "=",
		"<<", "a\nb", "a\n", "\n", "\n\n", "a\tb", " a", "a ", " ", "  a  ", "a\n ", " \na",
		"caf\xc3\xa9", "\xe2\x80\xa8", "a\xc2\x85" "b", "\xef\xbb\xbf" "a", "a\r\nb", "\x01", "a\x7f",
		"$host", "a;b", "a}b{", "\"; proxy_pass http://evil; #", "x\nproxy_pass http://evil;",
		"%{HTTP_HOST}", "%%", "${X}", "\xf0\x9f\x98\x80",
		/* Multi-line values were literal blocks, which hold characters raw: these are
		 * line breaks or errors to YAML 1.1 readers (issue 11: the namespace escape). */
		"x\xe2\x80\xa8metadata:\xe2\x80\xa8  namespace: kube-system\n", "a\xc2\x85" "b\nc\n",
		"a\xe2\x80\xa9\n", "a\n\xc2\x80\n", "a\n\xef\xbb\xbf\n", "caf\xc3\xa9\n\xf0\x9f\x98\x80\n",
	};
	for (size_t i = 0; i < sizeof(tricky) / sizeof(*tricky); i++)
		check_string(tricky[i]);
	/* Long: beyond any line width libfyaml might fold at. */
	char longs[3001];
	for (int i = 0; i < 3000; i++)
		longs[i] = "ab :#-\"'\\ {}"[i % 12];
	longs[3000] = '\0';
	check_string(longs);
}

/* Random strings over an alphabet of YAML and nginx metacharacters (fixed seed, so a
 * failure reproduces; HS_SEED overrides it). */
static void test_random_strings(void **state)
{
	(void)state;
	static const char *const alphabet[] = { ":", "#", "*", "&", "!", "-", "{", "}", "[", "]", "|", ">", "%",
		"@", "`", "'", "\"", "\\", " ", "\t", "\n", "\r", ";", "$", "a", "0", "/", ".", "=", "?", ",",
		"\xc3\xa9", "\xe2\x80\xa8", "\xc2\x85", "\xef\xbb\xbf", "---", "\x01" };
	const char *env = getenv("HS_SEED");
	unsigned long long x = env ? strtoull(env, NULL, 10) : 0x9e3779b97f4a7c15ull;
	for (int iter = 0; iter < 150; iter++) {
		char s[256] = "";
		size_t n = 0, want;
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		want = 1 + x % 12;
		for (size_t k = 0; k < want; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			const char *piece = alphabet[x % (sizeof(alphabet) / sizeof(*alphabet))];
			if (n + strlen(piece) >= sizeof(s))
				break;
			strcpy(s + n, piece);
			n += strlen(piece);
		}
		check_string(s);
	}
}

/* The checker used above and by the fuzzer must be able to fail. */
/* The YAML 1.1 checks used above and by the fuzzer must be able to fail (issue 11). */
static void test_yaml11_checker_catches_differences(void **state)
{
	(void)state;
	static const char *const bad[] = { "on", "Off", "y", "NO", "0755", "1_000", "1:20", "1e3", "1..2", "2001-12-14",
					   "<<", "=", "0o17", "+0x1F", "-x", NULL };
	static const char *const good[] = { "web", "yesterday", "8080", "-1", "0", "1.5", "0.25", "0x1f", "true", "null",
					    "~", "", "/p", "a:b", NULL };
	for (const char *const *b = bad; *b; b++)
		if (rt_plain_11_ok(*b, strlen(*b)))
			fail_msg("'%s' passed the YAML 1.1 plain check", *b);
	for (const char *const *g = good; *g; g++)
		if (!rt_plain_11_ok(*g, strlen(*g)))
			fail_msg("'%s' failed the YAML 1.1 plain check", *g);
	assert_non_null(roundtrip_check("a: |\n  x\xe2\x80\xa8" "b: c\n", true));
	assert_non_null(roundtrip_check("a: \"x\"\nb: c\xc2\x85\n", true));
	assert_non_null(roundtrip_check("a: on\n", true));
	assert_non_null(roundtrip_check("0755: a\n", true));
	assert_null(roundtrip_check("a: \"on\"\nb: \"x\\Ly\"\nc: 8080\n", true));
}

static void test_snippet_checker_catches_injection(void **state)
{
	(void)state;
	static const char *const good[] = { "proxy_set_header X-A b;\n", "proxy_set_header X-A \"a b\";\n",
		"proxy_set_header X-A a;\nproxy_set_header X-B \"c d\";\n" };
	static const char *const bad[] = { "proxy_set_header X-A a;\nproxy_pass http://evil;\n",
		"proxy_set_header X-A a; proxy_pass x;\n", "proxy_set_header X-A \"a\"; \"b\";\n",
		"proxy_set_header X-A $host;\n", "proxy_set_header X-A a}\n", "proxy_set_header X-A a;",
		"proxy_set_header X-A \"a\\\";\n", "more_set_headers a;\n", "proxy_set_header X-A a b;\n" };
	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++)
		assert_true(rt_snippet_ok(good[i], strlen(good[i])));
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (rt_snippet_ok(bad[i], strlen(bad[i])))
			fail_msg("checker accepted %s", yq(bad[i]));
}

static struct manifest *bare_manifest(struct manifests *ms)
{
	return manifest_new(ms, "v1", "ConfigMap", "probe", "default", NULL);
}

/* A tree marked lossy (a string libfyaml could not store exactly) is never written. */
static void test_render_refuses_lossy_tree(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct manifests ms;
	manifests_init(&ms, &a);
	struct manifest *m = bare_manifest(&ms);
	struct sbuf out = SBUF_INIT;
	const char *why = NULL;
	assert_true(yaml_render(m, &out, &why));
	sb_reset(&out);
	m->yb.lossy = true;
	assert_false(yaml_render(m, &out, &why));
	assert_non_null(strstr(why, "cannot be stored exactly"));
	assert_int_equal(out.len, 0);
	sb_release(&out);
	manifests_free(&ms);
	arena_free(&a);
}

/* The round-trip guard: a scalar forced to plain style whose text YAML reads otherwise
 * ("a #b" is "a" plus a comment) is caught after emitting, nothing is written. */
static void test_render_guard_catches_emitter_loss(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct manifests ms;
	manifests_init(&ms, &a);
	struct manifest *m = bare_manifest(&ms);
	const char *v = "a #b";
	struct fy_event *ev = fy_parse_event_create(m->yb.evp, FYET_SCALAR, FYSS_PLAIN, v, strlen(v), NULL, NULL);
	assert_non_null(ev);
	struct fy_node *n = fy_node_create_from_event(m->yb.doc, m->yb.evp, ev);
	fy_parser_event_free(m->yb.evp, ev);
	yb_put(&m->yb, m->root, "data", n);
	struct sbuf out = SBUF_INIT;
	const char *why = NULL;
	assert_false(yaml_render(m, &out, &why));
	assert_non_null(why);
	assert_int_equal(out.len, 0);
	sb_release(&out);
	manifests_free(&ms);
	arena_free(&a);
}

/* Leading and trailing spaces, which libfyaml 0.7.12 drops from constructed scalars,
 * are kept (yb builds those through the parser); the manifest says " a ", not "a". */
static void test_surrounding_spaces_kept(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct manifests ms;
	manifests_init(&ms, &a);
	struct manifest *m = bare_manifest(&ms);
	yb_str(&m->yb, m->root, "a", " a ");
	yb_str(&m->yb, m->root, "b", " ");
	yb_str(&m->yb, m->root, " c ", "x");
	assert_false(m->yb.lossy);
	struct sbuf out = SBUF_INIT;
	const char *why = NULL;
	assert_true(yaml_render(m, &out, &why));
	assert_non_null(strstr(sb_str(&out), "a: \" a \"\n"));
	assert_non_null(strstr(sb_str(&out), "b: \" \"\n"));
	assert_non_null(strstr(sb_str(&out), "\" c \": x\n"));
	sb_release(&out);
	manifests_free(&ms);
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_snippet_checker_catches_injection),
		cmocka_unit_test(test_yaml11_checker_catches_differences),
		cmocka_unit_test(test_render_refuses_lossy_tree),
		cmocka_unit_test(test_render_guard_catches_emitter_loss),
		cmocka_unit_test(test_surrounding_spaces_kept),
		cmocka_unit_test(test_yaml_breaking_strings),
		cmocka_unit_test(test_random_strings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
