/* YAML 1.1 versus YAML 1.2 (see yaml11.h). The patterns are the resolvers of the YAML 1.1
 * type repository (bool, null, int, float, timestamp, merge, value) widened by what go-yaml
 * accepts on top (strconv.ParseInt base 0 after dropping '_': 0o and upper-case
 * prefixes), against the YAML 1.2 core schema, which is how libfyaml's readers take
 * hyscale's text. */
#include "yaml11.h"
#include "yaml.h"
#include "../util/arena.h"
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t yaml11_raw_unsafe(const char *s, size_t n, unsigned long *cpo)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		if (c < 0x80) {
			if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
				goto bad_byte;
			i++;
			continue;
		}
		int len = c >= 0xf0 && c < 0xf5 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
		if (!len || c >= 0xf5 || i + (size_t)len > n)
			goto bad_byte;
		unsigned long cp = len == 4 ? c & 7u : len == 3 ? c & 15u : c & 31u;
		for (int k = 1; k < len; k++) {
			if ((p[i + (size_t)k] & 0xc0) != 0x80)
				goto bad_byte;
			cp = (cp << 6) | (p[i + (size_t)k] & 0x3fu);
		}
		bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
		if (overlong || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f) ||
		    cp == 0x2028 || cp == 0x2029 || cp == 0xfeff || cp == 0xfffe || cp == 0xffff) {
			if (cpo)
				*cpo = cp;
			return i;
		}
		i += (size_t)len;
		continue;
	bad_byte:
		if (cpo)
			*cpo = c;
		return i;
	}
	return n;
}

enum ytype { Y_STR, Y_NULL, Y_BOOL, Y_INT, Y_FLOAT, Y_TIME, Y_MERGE, Y_VALUE };

enum {
	R12_INT,
	R12_FLOAT,
	R11_INT,
	R11_FLOAT,
	R11_TIME,
	R_CANON_INT,
	R_MAX,
};

static const char *const patterns[R_MAX] = {
	[R12_INT] = "^([-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$",
	[R12_FLOAT] = "^([-+]?([.][0-9]+|[0-9]+([.][0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?[.](inf|Inf|INF)|[.](nan|NaN|NAN))$",
	[R11_INT] = "^([-+]?0[bB][01_]+|[-+]?0[0-7_]+|[-+]?(0|[1-9][0-9_]*)|[-+]?0[xX][0-9a-fA-F_]+|"
		    "[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+|[-+]?0[oO][0-7_]+)$",
	/* 1.1's float needs a '.' and a signed exponent; go-yaml's also takes 1e3 and 1_0.5. */
	[R11_FLOAT] = "^([-+]?([0-9][0-9_]*)?[.][0-9._]*([eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+|"
		      "[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+[.][0-9_]*|[-+]?[.](inf|Inf|INF)|[.](nan|NaN|NAN))$",
	[R11_TIME] = "^([0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}"
		     "([.][0-9]*)?([ \t]*(Z|[-+][0-9]{1,2}(:[0-9]{2})?))?)$",
	/* Numbers both read alike: decimal without leading zeros or '_', lower-case hex,
	 * and floats that satisfy 1.1's stricter grammar too. */
	[R_CANON_INT] = "^([-+]?(0|[1-9][0-9]*)|0x[0-9a-fA-F]+)$",
};
static const char strict11_float[] = "^([-+]?([0-9]+)?[.][0-9]*([eE][-+][0-9]+)?|[-+]?[.](inf|Inf|INF)|[.](nan|NaN|NAN))$";

/* Compiled once; kept for the life of the process (not thread-safe, like the pipeline). */
static regex_t rx[R_MAX + 1];
static bool rx_ready;

static bool match(int which, const char *s)
{
	if (!rx_ready) {
		for (int i = 0; i <= R_MAX; i++)
			if (regcomp(&rx[i], i == R_MAX ? strict11_float : patterns[i], REG_EXTENDED | REG_NOSUB)) {
				fputs("hyscale: fatal: cannot compile a YAML 1.1 pattern\n", stderr);
				exit(4);
			}
		rx_ready = true;
	}
	return regexec(&rx[which], s, 0, NULL, 0) == 0;
}

static bool one_of(const char *s, size_t n, const char *const *words)
{
	for (; *words; words++)
		if (strlen(*words) == n && !memcmp(*words, s, n))
			return true;
	return false;
}

static const char *const null_words[] = { "~", "null", "Null", "NULL", NULL };
static const char *const bool12[] = { "true", "True", "TRUE", "false", "False", "FALSE", NULL };
static const char *const bool11[] = { "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True",
				      "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", NULL };

static const char *describe(enum ytype t)
{
	switch (t) {
	case Y_NULL: return "null";
	case Y_BOOL: return "a boolean";
	case Y_INT: return "an integer";
	case Y_FLOAT: return "a floating-point number";
	case Y_TIME: return "a timestamp";
	case Y_MERGE: return "the merge key '<<'";
	case Y_VALUE: return "the value key '='";
	default: return "a string";
	}
}

const char *yaml11_plain_differs(const char *s, size_t n)
{
	if (!n)
		return NULL; /* null to both */
	unsigned char c = (unsigned char)s[0];
	bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
	if (letter) {
		/* Most plain scalars: keys and names. Only the 1.1-only booleans differ. */
		if (n > 5 || !one_of(s, n, bool11) || one_of(s, n, bool12))
			return NULL;
		return "a boolean";
	}
	if (!((c >= '0' && c <= '9') || strchr("+-.~<=", c)))
		return NULL;
	if (n == 1 && c == '~')
		return NULL;
	if (n > 4096)
		return NULL; /* no YAML 1.1 type is spelt that long in text we write */
	char buf[4097];
	memcpy(buf, s, n);
	buf[n] = '\0';
	enum ytype t12 = one_of(s, n, null_words) ? Y_NULL
			 : match(R12_INT, buf)    ? Y_INT
			 : match(R12_FLOAT, buf)  ? Y_FLOAT
						  : Y_STR;
	enum ytype t11 = one_of(s, n, null_words)     ? Y_NULL
			 : !strcmp(buf, "<<")          ? Y_MERGE
			 : !strcmp(buf, "=")           ? Y_VALUE
			 : match(R11_INT, buf)         ? Y_INT
			 : match(R11_FLOAT, buf)       ? Y_FLOAT
			 : match(R11_TIME, buf)        ? Y_TIME
						       : Y_STR;
	if (t12 != t11)
		return describe(t11);
	if (t12 == Y_INT && !match(R_CANON_INT, buf))
		return "an integer with another value (octal, binary or '_' digits)";
	if (t12 == Y_FLOAT && !match(R_MAX, buf))
		return "a string (YAML 1.1 floats need a '.' and a signed exponent)";
	return NULL;
}

static void check_scalar(const struct yfile *yf, struct fy_node *n, const char *what, struct arena *a,
			 struct diags *d)
{
	size_t len = 0;
	const char *s = fy_node_get_scalar(n, &len);
	if (!s)
		return;
	enum fy_node_style st = fy_node_get_style(n);
	unsigned long cp = 0;
	size_t at = st == FYNS_DOUBLE_QUOTED ? len : yaml11_raw_unsafe(s, len, &cp);
	if (at < len) {
		/* libfyaml writes a double-quoted scalar with escapes; any other style raw. */
		diag_error(d, yloc(yf, n), NULL,
			   "this %s value holds U+%04lX, which YAML 1.1 readers (kubectl, the API server) read as a "
			   "line break or refuse; write it in a double-quoted string as \\u%04lX", what, cp, cp);
		return;
	}
	const char *as = st == FYNS_PLAIN || st == FYNS_ANY ? yaml11_plain_differs(s, len) : NULL;
	if (as)
		diag_error(d, yloc(yf, n), NULL,
			   "'%s' means %s to YAML 1.1 readers (kubectl, the API server), something else to YAML 1.2 "
			   "readers (hyscale); quote it%s",
			   arena_strndup(a, s, len), as,
			   strcmp(as, "a boolean") ? " (or write the number in plain decimal)" : " (or write true/false)");
}

static void walk(const struct yfile *yf, struct fy_node *n, const char *what, struct arena *a, struct diags *d,
		 int depth)
{
	/* Aliases are checked where their anchor is; depth is bounded by the reader (64). */
	if (!n || depth > 128 || fy_node_is_alias(n))
		return;
	void *it = NULL;
	if (fy_node_is_scalar(n)) {
		check_scalar(yf, n, what, a, d);
	} else if (fy_node_is_sequence(n)) {
		struct fy_node *c;
		while ((c = fy_node_sequence_iterate(n, &it)))
			walk(yf, c, what, a, d, depth + 1);
	} else if (fy_node_is_mapping(n)) {
		struct fy_node_pair *p;
		while ((p = fy_node_mapping_iterate(n, &it))) {
			walk(yf, fy_node_pair_key(p), what, a, d, depth + 1);
			walk(yf, fy_node_pair_value(p), what, a, d, depth + 1);
		}
	}
}

void yaml11_check_tree(const struct yfile *yf, struct fy_node *n, const char *what, struct arena *a,
		       struct diags *d)
{
	walk(yf, n, what, a, d, 0);
}
