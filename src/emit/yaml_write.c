/* The YAML writer (see yaml_out.h). It writes the bytes libfyaml 0.7.12's block emitter
 * (EMIT_FLAGS in yaml_out.c) writes for the same tree, so output did not change when it
 * replaced that emitter; it takes only what it can prove reads back exactly:
 *  - block mappings and sequences (a sequence under a key is not indented, as libfyaml
 *    writes it), "{}" and "[]" when empty;
 *  - plain scalars whose text YAML 1.2 reads back as exactly that plain text in any
 *    block position (plain_ok) and that YAML 1.1 readers type the same;
 *  - double-quoted scalars, escaped by one function (put_dq) as libfyaml escapes them:
 *    everything but printable characters, so no raw line break of YAML 1.1 (U+0085,
 *    U+2028, U+2029) or character go-yaml refuses is ever written;
 *  - literal blocks of the shape yb_strnode() picks them for (lit_ok).
 * The proof that each reads back is in tests/unit/test_yaml_write.c (property tests
 * against libfyaml and the YAML 1.1 rules) and the fuzzer (tests/fuzz/fuzz_spec.c).
 * Anything else (a k8s snippet's single-quoted or folded scalar, a tag, an anchor) is
 * YW_OTHER: yaml_render() hands that document to libfyaml and its round-trip guard.
 * No state outside the call: safe to run in several threads at once. */
#include "yaml_out.h"
#include <string.h>
#include "../spec/yaml11.h"
#include "../build/yb.h"

struct yw {
	struct sbuf *o;
	const char **why;
	enum yaml_write_result r;
};

/* Code point at s[0..n), its length in *w; -1 if not UTF-8 (or an overlong form). */
static long utf8_get(const unsigned char *s, size_t n, int *w)
{
	unsigned char c = s[0];
	if (c < 0x80) {
		*w = 1;
		return c;
	}
	int len = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
	if (!len || (size_t)len > n)
		return -1;
	long cp = c & (0x3f >> (len - 1));
	for (int k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[k] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return -1;
	*w = len;
	return cp;
}

/* Text that is not UTF-8 never reaches a tree from a spec (spec loading refuses it). */
static bool utf8_ok(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		int w = 1;
		if (utf8_get(u + i, n - i, &w) < 0)
			return false;
		i += (size_t)w;
	}
	return true;
}

/* What libfyaml writes raw inside double quotes (fy_is_printq()). */
static bool printq(long c)
{
	return (c >= 0x20 && c <= 0x7e) || (c > 0xa0 && c <= 0xd7ff && c != 0x2028 && c != 0x2029) ||
	       (c >= 0xe000 && c <= 0xfffd && c != 0xfeff);
}

static void put_indent(struct sbuf *o, int n)
{
	static const char sp[] = "                                                                ";
	while (n > 0) {
		int k = n < (int)sizeof(sp) - 1 ? n : (int)sizeof(sp) - 1;
		sb_add(o, sp, (size_t)k);
		n -= k;
	}
}

static bool other(struct yw *w)
{
	if (w->r == YW_OK)
		w->r = YW_OTHER;
	return false;
}

static bool refuse(struct yw *w, const char *why)
{
	w->r = YW_REFUSED;
	*w->why = why;
	return false;
}

bool yaml_plain_ok(const char *s, size_t n)
{
	if (!n || n > 1024) /* longer keys are not implicit keys to a YAML reader */
		return false;
	const unsigned char *u = (const unsigned char *)s;
	/* An indicator first would start something else; '-' before a digit is a number. */
	if (strchr("-?:,[]{}#&*!|>'\"%@` \t.", u[0]) && !(u[0] == '-' && n > 1 && u[1] >= '0' && u[1] <= '9') &&
	    !(u[0] == '.' && n > 1 && u[1] != '.'))
		return false;
	if (u[n - 1] == ' ')
		return false;
	for (size_t i = 0; i < n;) {
		unsigned char c = u[i];
		if (c < 0x80) {
			/* Printable; no ": ", final ':' or " #", which end a plain scalar. */
			if (c < 0x20 || c == 0x7f || (c == ':' && (i + 1 == n || u[i + 1] == ' ')) ||
			    (c == ' ' && i + 1 < n && u[i + 1] == '#'))
				return false;
			i++;
			continue;
		}
		int w = 1;
		long cp = utf8_get(u + i, n - i, &w);
		/* Nothing YAML 1.1 reads as a break or refuses. */
		if (cp < 0 || (!printq(cp) && cp < 0x10000))
			return false;
		i += (size_t)w;
	}
	return true;
}

/* A canonical decimal integer: the same number to YAML 1.1 and 1.2 (the common case
 * of a plain number: ports, replicas), without yaml11_plain_differs()'s patterns. */
static bool decimal(const char *s, size_t n)
{
	size_t i = s[0] == '-';
	if (i >= n || n > 18 || (s[i] == '0' && n > i + 1))
		return false;
	for (; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* A plain scalar: its text, if that is proven to read back as it. The node's own style
 * was plain, or "any" (libfyaml picks plain when it can: yb's plain-safe strings and
 * numbers, which start with a letter, digit, '/' or '_'). */
static bool put_plain(struct yw *w, const char *s, size_t n, bool any)
{
	if (!yaml_plain_ok(s, n) || (any && !strchr("/_", s[0]) && !((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z') &&
				      !(s[0] >= '0' && s[0] <= '9')))
		return other(w);
	if (!decimal(s, n) && yaml11_plain_differs(s, n))
		return refuse(w, "a plain value would be typed differently by YAML 1.1 readers (kubectl, the API server)");
	sb_add(w->o, s, n);
	return true;
}

bool yaml_dq_unambiguous(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		int k = 1;
		long c = utf8_get(u + i, n - i, &k);
		/* libfyaml writes a scalar it read with these raw characters as it read them, and
		 * one we built with them escaped: only the tree's origin tells, so such a
		 * document goes to libfyaml. */
		if (c < 0 || c == 0x7f || (c >= 0x80 && !printq(c)))
			return false;
		i += (size_t)k;
	}
	return true;
}

void yaml_put_dq(struct sbuf *o, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *u = (const unsigned char *)s;
	sb_addc(o, '"');
	size_t run = 0; /* start of the stretch written as it is */
	for (size_t i = 0; i < n;) {
		int k = 1;
		long c = utf8_get(u + i, n - i, &k);
		if (c >= 0 && printq(c) && c != '"' && c != '\\') {
			i += (size_t)k;
			continue;
		}
		sb_add(o, s + run, i - run);
		char e[12] = { '\\', 0 };
		int el = 2;
		switch (c) {
		case '\b': e[1] = 'b'; break;
		case '\f': e[1] = 'f'; break;
		case '\n': e[1] = 'n'; break;
		case '\r': e[1] = 'r'; break;
		case '\t': e[1] = 't'; break;
		case '"': e[1] = '"'; break;
		case '\\': e[1] = '\\'; break;
		case '\0': e[1] = '0'; break;
		case '\a': e[1] = 'a'; break;
		case '\v': e[1] = 'v'; break;
		case 0x1b: e[1] = 'e'; break;
		case 0x85: e[1] = 'N'; break;
		case 0xa0: e[1] = '_'; break;
		case 0x2028: e[1] = 'L'; break;
		case 0x2029: e[1] = 'P'; break;
		default: {
			/* A byte that is not UTF-8 as \x, like libfyaml. */
			unsigned long v = c < 0 ? u[i] : (unsigned long)c;
			int digits = v <= 0xff ? 2 : v <= 0xffff ? 4 : 8;
			e[1] = digits == 2 ? 'x' : digits == 4 ? 'u' : 'U';
			for (int d = 0; d < digits; d++)
				e[2 + d] = hex[(v >> (4 * (digits - 1 - d))) & 15];
			el = 2 + digits;
		}
		}
		sb_add(o, e, (size_t)el);
		i += c < 0 ? 1 : (size_t)k;
		run = i;
	}
	sb_add(o, s + run, n - run);
	sb_addc(o, '"');
}

bool yaml_lit_ok(const char *s, size_t n)
{
	/* yb_strnode()'s literal blocks: ends with a line break, no line starts or ends with
	 * a space, no control character but the line break, nothing YAML 1.1 reads otherwise. */
	if (n < 2 || s[n - 1] != '\n' || s[0] == ' ' || s[0] == '\n')
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\n') || c == 0x7f || (c == ' ' && s[i + 1] == '\n') ||
		    (c == '\n' && i + 1 < n && s[i + 1] == ' '))
			return false;
	}
	return yaml11_raw_unsafe(s, n, NULL) == n;
}

/* A literal block whose lines are indented by indent; the caller ends the last line. */
static void put_literal(struct sbuf *o, const char *s, size_t n, int indent)
{
	bool keep = n >= 2 && s[n - 2] == '\n'; /* more than one final break: "keep" chomping */
	sb_add(o, keep ? "|+\n" : "|\n", keep ? 3 : 2);
	const char *end = s + n - 1, *p = s;
	for (;;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		put_indent(o, indent);
		if (!nl) {
			sb_add(o, p, (size_t)(end - p));
			return;
		}
		sb_add(o, p, (size_t)(nl - p));
		sb_addc(o, '\n');
		p = nl + 1;
	}
}

/* Tags and anchors are not written by this writer. */
static bool bare(struct fy_node *n)
{
	size_t l = 0;
	return !fy_node_get_tag(n, &l) && !fy_node_get_anchor(n);
}

/* A scalar after "key: " or "- "; indent is that of its lines if it is a block. */
static bool put_scalar(struct yw *w, struct fy_node *n, int indent, bool key)
{
	size_t len = 0;
	const char *s = fy_node_get_scalar(n, &len);
	if (!s || !bare(n))
		return other(w);
	switch (fy_node_get_style(n)) {
	case FYNS_PLAIN:
	case FYNS_ANY:
		return put_plain(w, s, len, fy_node_get_style(n) == FYNS_ANY);
	case FYNS_DOUBLE_QUOTED:
		if (!utf8_ok(s, len) || (!yaml_dq_unambiguous(s, len) && fy_node_get_meta(n) != YB_ESCAPED) || (key && (memchr(s, '\n', len) || memchr(s, '\r', len) || len > 1024)))
			return other(w);
		yaml_put_dq(w->o, s, len);
		return true;
	case FYNS_LITERAL:
		if (key || !yaml_lit_ok(s, len))
			return other(w);
		put_literal(w->o, s, len, indent);
		return true;
	default:
		return other(w);
	}
}

static bool put_node(struct yw *w, struct fy_node *n, int indent, int depth);
static bool put_seq(struct yw *w, struct fy_node *seq, int indent, bool inline_first, int depth);

static bool put_map(struct yw *w, struct fy_node *map, int indent, bool inline_first, int depth)
{
	void *it = NULL;
	struct fy_node_pair *p;
	bool first = true;
	while ((p = fy_node_mapping_iterate(map, &it))) {
		struct fy_node *k = fy_node_pair_key(p), *v = fy_node_pair_value(p);
		if (!k || !v || !fy_node_is_scalar(k))
			return other(w);
		if (!(first && inline_first))
			put_indent(w->o, indent);
		first = false;
		if (!put_scalar(w, k, indent + 2, true))
			return false;
		sb_addc(w->o, ':');
		if (fy_node_is_mapping(v) && fy_node_mapping_item_count(v) > 0) {
			if (!bare(v))
				return other(w);
			sb_addc(w->o, '\n');
			if (!put_map(w, v, indent + 2, false, depth + 1))
				return false;
		} else if (fy_node_is_sequence(v) && fy_node_sequence_item_count(v) > 0) {
			/* libfyaml writes a sequence under a key at the key's indentation. */
			if (!bare(v))
				return other(w);
			sb_addc(w->o, '\n');
			if (!put_seq(w, v, indent, false, depth + 1))
				return false;
		} else {
			sb_addc(w->o, ' ');
			if (!put_node(w, v, indent + 2, depth + 1))
				return false;
			sb_addc(w->o, '\n');
		}
	}
	return true;
}

static bool put_seq(struct yw *w, struct fy_node *seq, int indent, bool inline_first, int depth)
{
	void *it = NULL;
	struct fy_node *v;
	bool first = true;
	while ((v = fy_node_sequence_iterate(seq, &it))) {
		if (!(first && inline_first))
			put_indent(w->o, indent);
		first = false;
		sb_add(w->o, "- ", 2);
		if (fy_node_is_mapping(v) && fy_node_mapping_item_count(v) > 0) {
			if (!bare(v) || !put_map(w, v, indent + 2, true, depth + 1))
				return other(w);
		} else if (fy_node_is_sequence(v) && fy_node_sequence_item_count(v) > 0) {
			if (!bare(v) || !put_seq(w, v, indent + 2, true, depth + 1))
				return other(w);
		} else {
			if (!put_node(w, v, indent + 2, depth + 1))
				return false;
			sb_addc(w->o, '\n');
		}
	}
	return true;
}

/* A scalar or an empty collection, after "key: " or "- ". */
static bool put_node(struct yw *w, struct fy_node *n, int indent, int depth)
{
	if (depth > 100)
		return other(w);
	if (fy_node_is_scalar(n) && !fy_node_is_alias(n))
		return put_scalar(w, n, indent, false);
	if (!bare(n))
		return other(w);
	if (fy_node_is_mapping(n))
		sb_add(w->o, "{}", 2);
	else if (fy_node_is_sequence(n))
		sb_add(w->o, "[]", 2);
	else
		return other(w);
	return true;
}

enum yaml_write_result yaml_write(struct fy_node *root, struct sbuf *out, const char **why)
{
	struct yw w = { .o = out, .why = why, .r = YW_OK };
	if (!root || !fy_node_is_mapping(root) || !fy_node_mapping_item_count(root) || !bare(root))
		return YW_OTHER;
	size_t start = out->len;
	if (!put_map(&w, root, 0, false, 0) && w.r == YW_OK)
		w.r = YW_OTHER;
	if (w.r != YW_OK) {
		out->len = start;
		if (out->buf)
			out->buf[start] = '\0';
	}
	return w.r;
}
