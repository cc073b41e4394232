/* Manifest tree building (see yb.h). */
#include "yb.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			  c == '-' || c == '_' || c == '.' || c == '/' || c == '@' ||
			  (c == ':' && p[1] && p[1] != ':' && p > s);
		if (!ok)
			return false;
	}
	for (const char *const *w = words; *w; w++)
		if (!strcasecmp(s, *w))
			return false;
	return true;
}

struct fy_node *yb_map(struct yb *b) { return chk(fy_node_create_mapping(b->doc)); }
struct fy_node *yb_seq(struct yb *b) { return chk(fy_node_create_sequence(b->doc)); }

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
	if (yb_plain_safe(s))
		return exact(b, chk(fy_node_create_scalar_copy(b->doc, s, strlen(s))), s);
	/* Multi-line text reads best as a literal block; the round-trip check in the
	 * emitter catches any string libfyaml cannot write that way. */
	enum fy_scalar_style st = FYSS_DOUBLE_QUOTED;
	size_t n = strlen(s);
	if (strchr(s, '\n') && n > 1 && s[n - 1] == '\n' && s[0] != ' ' && s[0] != '\n') {
		st = FYSS_LITERAL;
		for (const char *p = s; *p; p++)
			if (((unsigned char)*p < 0x20 && *p != '\n') || *p == 0x7f || (*p == ' ' && p[1] == '\n') ||
			    (*p == '\n' && p[1] == ' '))
				st = FYSS_DOUBLE_QUOTED;
	}
	struct fy_event *ev = fy_parse_event_create(b->evp, FYET_SCALAR, st, s, n, NULL, NULL);
	if (!ev)
		oom();
	struct fy_node *node = fy_node_create_from_event(b->doc, b->evp, ev);
	fy_parser_event_free(b->evp, ev);
	return exact(b, chk(node), s);
}

struct fy_node *yb_intnode(struct yb *b, long v)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%ld", v);
	return chk(fy_node_create_scalar_copy(b->doc, buf, strlen(buf)));
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
	yb_put(b, map, key, chk(fy_node_create_scalar(b->doc, v ? "true" : "false", FY_NT)));
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

struct fy_node *yb_get(struct fy_node *map, const char *key)
{
	return fy_node_mapping_lookup_by_string(map, key, FY_NT);
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
