/* Invariants every generated manifest must satisfy, shared by the fuzz harness and the
 * round-trip unit tests (header-only so both stay single files):
 *  - the text parses as exactly one YAML document;
 *  - an ingress-nginx configuration-snippet consists only of lines
 *    `proxy_set_header NAME VALUE;`, NAME an HTTP token and VALUE one bare word or one
 *    double-quoted string with nothing nginx would interpret inside — so no user string
 *    can have ended the directive and started another.
 *  - YAML 1.1 readers (go-yaml: kubectl, the API server) read it as we do: no U+0085,
 *    U+2028 or U+2029 written raw anywhere (line breaks to them: a value could add keys),
 *    and no plain scalar a YAML 1.1 resolver types otherwise than YAML 1.2 (yes, on, y,
 *    0755, 1_000, 1:20, 1e3, dates, <<). Written independently of src/validate/yaml11.c,
 *    and stricter, so that one cannot hide a mistake of the other.
 * The snippet check is off when the spec itself passes a configuration-snippet through
 * loadBalancer.annotations: that text is the author's, not a value that escaped.
 * roundtrip_check() returns NULL when all hold, else what broke (a static string). */
#ifndef HS_ROUNDTRIP_CHECK_H
#define HS_ROUNDTRIP_CHECK_H
#include <stdbool.h>
#include <string.h>
#include <libfyaml.h>

#define RT_SNIPPET_KEY "nginx.ingress.kubernetes.io/configuration-snippet"

static inline bool rt_tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* One snippet line, without its '\n'. */
static inline bool rt_snippet_line_ok(const char *s, size_t n)
{
	static const char pre[] = "proxy_set_header ";
	size_t pl = sizeof(pre) - 1, i;
	if (n < pl || memcmp(s, pre, pl) != 0)
		return false;
	for (i = pl; i < n && rt_tchar((unsigned char)s[i]); i++)
		;
	if (i == pl || i >= n || s[i] != ' ')
		return false;
	i++;
	if (n < 2 || s[n - 1] != ';' || i >= n - 1)
		return false;
	const char *v = s + i;
	size_t vl = n - 1 - i;
	bool quoted = vl >= 2 && v[0] == '"' && v[vl - 1] == '"';
	if (quoted) {
		v++;
		vl -= 2;
	}
	for (size_t k = 0; k < vl; k++) {
		unsigned char c = (unsigned char)v[k];
		if (c < 0x20 || c == 0x7f || strchr("\"'\\$;{}#", c))
			return false;
		if (!quoted && c == ' ')
			return false;
	}
	return true;
}

static inline bool rt_snippet_ok(const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\n') {
			if (!rt_snippet_line_ok(s + start, i - start))
				return false;
			start = i + 1;
		}
	return start == n; /* every directive ends its line */
}

/* A plain scalar is the same to YAML 1.1 and 1.2 when it starts with a letter and is not
 * one of 1.1's extra booleans, or is a decimal integer without leading zeros, lower-case
 * hex, or a float with digits on both sides of its '.' and no exponent, or null/true/false;
 * or starts with none of 1.1's number, null, merge or value characters. */
static inline bool rt_plain_11_ok(const char *s, size_t n)
{
	static const char *const b11[] = { "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
					   "on", "On", "ON", "off", "Off", "OFF", NULL };
	if (!n)
		return true;
	unsigned char c = (unsigned char)s[0];
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
		for (const char *const *w = b11; *w; w++)
			if (strlen(*w) == n && !memcmp(*w, s, n))
				return false;
		return true;
	}
	if (!((c >= '0' && c <= '9') || strchr("+-.~<=", c)))
		return true;
	if (n == 1 && (c == '~' || (c >= '0' && c <= '9') || c == '-' || c == '.'))
		return true;
	size_t i = (c == '-' || c == '+') ? 1 : 0;
	if (n > i + 2 && !i && s[0] == '0' && s[1] == 'x') {
		for (i = 2; i < n; i++)
			if (!strchr("0123456789abcdefABCDEF", s[i]))
				return false;
		return true;
	}
	if (i >= n || s[i] < '0' || s[i] > '9' || (s[i] == '0' && i + 1 < n && s[i + 1] != '.'))
		return false; /* not a number we accept: could be 1.1's octal, date, '<<', '=', ... */
	size_t dots = 0, digits_after = 0;
	for (size_t k = i; k < n; k++) {
		if (s[k] == '.') {
			dots++;
		} else if (s[k] >= '0' && s[k] <= '9') {
			digits_after += dots ? 1 : 0;
		} else {
			return false;
		}
	}
	return dots == 0 || (dots == 1 && digits_after > 0);
}

/* Offset of a raw U+0085, U+2028 or U+2029, or n. */
static inline size_t rt_raw_break(const char *s, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++) {
		unsigned char a = (unsigned char)s[i], b = (unsigned char)s[i + 1];
		if (a == 0xc2 && b == 0x85)
			return i;
		if (a == 0xe2 && b == 0x80 && i + 2 < n && ((unsigned char)s[i + 2] == 0xa8 || (unsigned char)s[i + 2] == 0xa9))
			return i;
	}
	return n;
}

static inline const char *rt_walk(struct fy_node *n, int depth, bool snippet)
{
	if (!n || depth > 200)
		return depth > 200 ? "nesting deeper than expected" : NULL;
	if (fy_node_is_scalar(n)) {
		size_t l = 0;
		const char *t = fy_node_get_scalar(n, &l);
		if (t && fy_node_get_style(n) == FYNS_PLAIN && !rt_plain_11_ok(t, l))
			return "a plain scalar that a YAML 1.1 reader (kubectl) types differently";
		return NULL;
	}
	if (fy_node_is_sequence(n)) {
		void *it = NULL;
		struct fy_node *c;
		while ((c = fy_node_sequence_iterate(n, &it))) {
			const char *why = rt_walk(c, depth + 1, snippet);
			if (why)
				return why;
		}
		return NULL;
	}
	if (!fy_node_is_mapping(n))
		return NULL;
	void *it = NULL;
	struct fy_node_pair *p;
	while ((p = fy_node_mapping_iterate(n, &it))) {
		struct fy_node *k = fy_node_pair_key(p), *v = fy_node_pair_value(p);
		size_t kl = 0, vl = 0;
		const char *ks = fy_node_is_scalar(k) ? fy_node_get_scalar(k, &kl) : NULL;
		if (snippet && ks && kl == strlen(RT_SNIPPET_KEY) && !memcmp(ks, RT_SNIPPET_KEY, kl)) {
			const char *vs = fy_node_is_scalar(v) ? fy_node_get_scalar(v, &vl) : NULL;
			if (!vs || !rt_snippet_ok(vs, vl))
				return "configuration-snippet holds something other than proxy_set_header directives";
		}
		const char *why = rt_walk(k, depth + 1, snippet);
		if (!why)
			why = rt_walk(v, depth + 1, snippet);
		if (why)
			return why;
	}
	return NULL;
}

static inline const char *roundtrip_check(const char *text, bool check_snippet)
{
	if (rt_raw_break(text, strlen(text)) < strlen(text))
		return "raw U+0085, U+2028 or U+2029: a line break to YAML 1.1 readers (kubectl)";
	struct fy_parse_cfg cfg = { .flags = FYPCF_QUIET };
	struct fy_document *doc = fy_document_build_from_string(&cfg, text, FY_NT);
	if (!doc)
		return "generated text does not parse as YAML";
	const char *why = fy_document_root(doc) ? rt_walk(fy_document_root(doc), 0, check_snippet) : "generated document is empty";
	fy_document_destroy(doc);
	return why;
}
#endif
