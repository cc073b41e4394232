/* Manifest tree building (see yb.h). */
#include "yb.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "../spec/yaml11.h"

static void oom(void)
{
	fputs("hyscale: fatal: out of memory building a manifest\n", stderr);
	exit(4);
}

static struct fy_node *chk(struct fy_node *n)
{
	if (!n)
		oom();
	return n;
}

const char yb_escaped_mark = 0;

bool yb_plain_safe(const char *s)
{
	/* Conservative on purpose: anything that could read as a number, boolean, null,
	 * timestamp, comment, anchor or tag is quoted; libfyaml quotes it correctly. */
	static const char *const words[] = { "true", "false", "yes", "no", "on", "off", "y", "n", "null", NULL };
	if (!*s)
		return false;
	unsigned char c0 = (unsigned char)*s;
	if (!((c0 >= 'a' && c0 <= 'z') || (c0 >= 'A' && c0 <= 'Z') || c0 == '/' || c0 == '_'))
		return false;
	const char *p = s;
	for (; *p; p++) {
		unsigned char c = (unsigned char)*p;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			  c == '-' || c == '_' || c == '.' || c == '/' || c == '@' ||
			  (c == ':' && p[1] && p[1] != ':' && p > s);
		if (!ok)
			return false;
	}
	if (p - s > 5) /* longer than any of the words: most strings, and this runs for each */
		return true;
	for (const char *const *w = words; *w; w++)
		if (!strcasecmp(s, *w))
			return false;
	return true;
}

struct fy_node *yb_map(struct yb *b) { return chk(fy_node_create_mapping(b->doc)); }
struct fy_node *yb_seq(struct yb *b) { return chk(fy_node_create_sequence(b->doc)); }

/* Plain strings repeat in every object of every service: keys (name, labels,
 * app.kubernetes.io/…) and many values (TCP, Prefix, true, 8080, the service's name).
 * libfyaml 0.7 compares and writes a scalar it created from a C string through its
 * character iterators, and each mapping append compares the new key with every key
 * already there: that was the largest cost of building and writing the trees. A scalar
 * parsed from text is compared with memcmp and written in one piece, and copies of a
 * node share its token. So a plain string seen a second time is parsed once and copied
 * from then on (strings seen once, like most hosts and images, are not worth a parse).
 * When PLAIN_MAX strings are known the cache starts over, so memory stays bounded and
 * the cost per service stays the same however many services a run has. Each thread
 * has its own cache. */
#ifndef PLAIN_MAX
#define PLAIN_MAX 2048
#endif
#define PLAIN_SLOTS (2 * PLAIN_MAX)
struct plain { char *s; struct fy_node *n; bool tried; };
/* One per thread (generate --jobs): released by yb_thread_done(). */
static _Thread_local struct plain plain_cache[PLAIN_SLOTS];
static _Thread_local size_t plain_count;
static _Thread_local struct fy_document *plain_doc;

static void plain_reset(void)
{
	for (size_t i = 0; i < PLAIN_SLOTS; i++) {
		free(plain_cache[i].s);
		fy_node_free(plain_cache[i].n); /* not in the document's tree: not freed with it */
	}
	memset(plain_cache, 0, sizeof(plain_cache));
	plain_count = 0;
	/* Copies in live documents hold references to the tokens and their text. */
	fy_document_destroy(plain_doc);
	plain_doc = NULL;
}

void yb_thread_done(void)
{
	plain_reset();
}

/* A copy of the parsed node for s, or NULL: create it as before then. s must read back
 * from YAML as a plain scalar with exactly its own text, which is checked. */
static struct fy_node *cached_plain(struct yb *b, const char *s)
{
	size_t n = strlen(s);
	uint64_t h = 14695981039346656037ull; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	size_t i = h & (PLAIN_SLOTS - 1);
	while (plain_cache[i].s && strcmp(plain_cache[i].s, s))
		i = (i + 1) & (PLAIN_SLOTS - 1);
	struct plain *e = &plain_cache[i];
	if (!e->s) {
		if (plain_count >= PLAIN_MAX) {
			plain_reset();
			return cached_plain(b, s);
		}
		if (!(e->s = strdup(s)))
			oom();
		plain_count++;
		return NULL;
	}
	if (!e->n && !e->tried) {
		e->tried = true;
		if (!plain_doc && !(plain_doc = fy_document_create(NULL)))
			oom();
		/* The node points into its text, which the document then owns. */
		char *text = strdup(s);
		if (!text)
			oom();
		struct fy_node *k = fy_node_build_from_malloc_string(plain_doc, text, n);
		size_t got_n = 0;
		const char *got = k ? fy_node_get_scalar(k, &got_n) : NULL;
		if (got && got_n == n && !memcmp(got, s, n) && fy_node_get_style(k) == FYNS_PLAIN)
			e->n = k;
		else
			fy_node_free(k);
	}
	return e->n ? chk(fy_node_copy(b->doc, e->n)) : NULL;
}

/* s as a double-quoted YAML scalar with everything but printable ASCII escaped, so the
 * parser, not the node constructor, decides the value. */
static char *dq_escape(const char *s)
{
	size_t n = strlen(s);
	char *out = malloc(n * 10 + 3), *o = out;
	if (!out)
		oom();
	*o++ = '"';
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			*o++ = '\\';
			*o++ = (char)*p;
		} else if (*p >= 0x20 && *p < 0x7f) {
			*o++ = (char)*p;
		} else if (*p < 0x80) {
			o += sprintf(o, "\\x%02x", *p);
		} else {
			/* Multi-byte UTF-8 (checked on input) as \u or \U: NEL, LS, PS and BOM
			 * would otherwise be read as line breaks or dropped. */
			unsigned long cp = 0;
			int len = *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : *p >= 0xc0 ? 2 : 1;
			cp = len == 4 ? *p & 7u : len == 3 ? *p & 15u : len == 2 ? *p & 31u : *p;
			for (int k = 1; k < len && (p[1] & 0xc0) == 0x80; k++)
				cp = (cp << 6) | (*++p & 0x3fu);
			o += sprintf(o, cp > 0xffff ? "\\U%08lx" : "\\u%04lx", cp);
		}
	}
	*o++ = '"';
	*o = '\0';
	return out;
}

static bool holds(struct fy_node *n, const char *s)
{
	size_t l = 0;
	const char *t = n ? fy_node_get_scalar(n, &l) : NULL;
	return t && l == strlen(s) && !memcmp(t, s, l);
}

/* libfyaml 0.7.12 drops leading and trailing spaces of a scalar made from an event or a
 * copy (" a" becomes "a"); such strings are built by parsing an escaped double-quoted
 * scalar instead, and a string that still does not come out exact marks the tree lossy. */
static struct fy_node *exact(struct yb *b, struct fy_node *n, const char *s)
{
	if (holds(n, s))
		return n;
	/* The node keeps pointing into its source text: the document takes the buffer over. */
	char *q = dq_escape(s);
	struct fy_node *alt = fy_node_build_from_malloc_string(b->doc, q, strlen(q));
	if (!alt)
		free(q);
	if (alt && holds(alt, s)) {
		fy_node_free(n);
		return alt;
	}
	if (alt)
		fy_node_free(alt);
	b->lossy = true;
	return n;
}

struct fy_node *yb_strnode(struct yb *b, const char *s)
{
	if (yb_plain_safe(s)) {
		struct fy_node *c = cached_plain(b, s);
		/* Plain-safe strings have no spaces for libfyaml to trim. */
		return c ? c : chk(fy_node_create_scalar_copy(b->doc, s, strlen(s)));
	}
	/* Multi-line text reads best as a literal block; the round-trip check in the
	 * emitter catches any string libfyaml cannot write that way. */
	enum fy_scalar_style st = FYSS_DOUBLE_QUOTED;
	size_t n = strlen(s);
	if (strchr(s, '\n') && n > 1 && s[n - 1] == '\n' && s[0] != ' ' && s[0] != '\n') {
		/* A literal block holds its characters raw: one that a YAML 1.1 reader (kubectl)
		 * takes as a line break or refuses must be escaped in double quotes instead. */
		st = yaml11_raw_unsafe(s, n, NULL) < n ? FYSS_DOUBLE_QUOTED : FYSS_LITERAL;
		for (const char *p = s; *p; p++)
			if (((unsigned char)*p < 0x20 && *p != '\n') || *p == 0x7f || (*p == ' ' && p[1] == '\n') ||
			    (*p == '\n' && p[1] == ' '))
				st = FYSS_DOUBLE_QUOTED;
	}
	struct fy_event *ev = fy_parse_event_create(b->evp, FYET_SCALAR, st, s, n, NULL, NULL);
	if (!ev)
		oom();
	struct fy_node *node = chk(fy_node_create_from_event(b->doc, b->evp, ev));
	fy_parser_event_free(b->evp, ev);
	node = exact(b, chk(node), s);
	if (st == FYSS_DOUBLE_QUOTED && fy_node_set_meta(node, YB_ESCAPED) != 0)
		oom();
	return node;
}

struct fy_node *yb_intnode(struct yb *b, long v)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%ld", v);
	struct fy_node *c = cached_plain(b, buf);
	return c ? c : chk(fy_node_create_scalar_copy(b->doc, buf, strlen(buf)));
}

void yb_put(struct yb *b, struct fy_node *map, const char *key, struct fy_node *val)
{
	if (fy_node_mapping_append(map, yb_strnode(b, key), val) != 0)
		oom();
}

void yb_str(struct yb *b, struct fy_node *map, const char *key, const char *val)
{
	yb_put(b, map, key, yb_strnode(b, val));
}

void yb_int(struct yb *b, struct fy_node *map, const char *key, long v) { yb_put(b, map, key, yb_intnode(b, v)); }

void yb_bool(struct yb *b, struct fy_node *map, const char *key, bool v)
{
	struct fy_node *c = cached_plain(b, v ? "true" : "false");
	yb_put(b, map, key, c ? c : chk(fy_node_create_scalar(b->doc, v ? "true" : "false", FY_NT)));
}

struct fy_node *yb_child_map(struct yb *b, struct fy_node *map, const char *key)
{
	struct fy_node *m = yb_map(b);
	yb_put(b, map, key, m);
	return m;
}

struct fy_node *yb_child_seq(struct yb *b, struct fy_node *map, const char *key)
{
	struct fy_node *s = yb_seq(b);
	yb_put(b, map, key, s);
	return s;
}

struct fy_node_pair *yb_get_pair(struct fy_node *map, const char *key)
{
	/* Not fy_node_mapping_lookup_pair_by_string(): for a key that is not a simple
	 * scalar (an annotation key with '/' or '.') it parses the key into a document of
	 * its own first, then compares atom by atom: thousands of times the cost of this. */
	size_t n = strlen(key);
	void *it = NULL;
	struct fy_node_pair *p;
	while ((p = fy_node_mapping_iterate(map, &it))) {
		size_t kn = 0;
		const char *k = fy_node_get_scalar(fy_node_pair_key(p), &kn);
		if (k && kn == n && !memcmp(k, key, n))
			return p;
	}
	return NULL;
}

struct fy_node *yb_get(struct fy_node *map, const char *key)
{
	struct fy_node_pair *p = yb_get_pair(map, key);
	return p ? fy_node_pair_value(p) : NULL;
}

struct fy_node *yb_ensure_map(struct yb *b, struct fy_node *map, const char *key)
{
	struct fy_node *m = yb_get(map, key);
	return m ? m : yb_child_map(b, map, key);
}

void yb_push(struct fy_node *seq, struct fy_node *item)
{
	if (fy_node_sequence_append(seq, item) != 0)
		oom();
}

void yb_push_str(struct yb *b, struct fy_node *seq, const char *s) { yb_push(seq, yb_strnode(b, s)); }

struct fy_node *yb_push_map(struct yb *b, struct fy_node *seq)
{
	struct fy_node *m = yb_map(b);
	yb_push(seq, m);
	return m;
}
