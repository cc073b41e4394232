/* libfyaml accessors for API objects (see jnode.h). */
#include "jnode.h"
#include <stdlib.h>
#include <string.h>

static void discard(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
	(void)diag, (void)user, (void)buf, (void)len;
}

/* libfyaml's messages quote the line they are about, and in a response or a plugin's output
 * that line may hold a token: every parser here reports to a diag object that prints nothing. */
struct fy_diag *jdiag_silent(void)
{
	struct fy_diag_cfg dc;
	fy_diag_cfg_default(&dc);
	dc.fp = NULL;
	dc.output_fn = discard;
	dc.colorize = false;
	return fy_diag_create(&dc);
}

/* libfyaml tokenizes a whole flow collection (in JSON: the whole text) before it returns the
 * first event, and keeps every token with the document: about 180 bytes per token, 600 MB for
 * 4 MiB of small objects, whatever is done with the events. So the tokens are counted first
 * (structural characters outside strings, plus strings), and a text with more is refused
 * before libfyaml sees it. This only counts: libfyaml still decides what is valid JSON. */
static size_t count_tokens(const char *text, size_t len, size_t max)
{
	size_t n = 0;
	bool in_string = false;
	for (size_t i = 0; i < len && n <= max; i++) {
		char c = text[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = false;
		} else if (c == '"') {
			in_string = true;
			n++;
		} else if (c == '{' || c == '}' || c == '[' || c == ']' || c == ',' || c == ':') {
			n += c == ':' ? 2 : 1;   /* libfyaml adds a KEY token before every key */
		}
	}
	return n;
}

struct fy_document *jdoc_parse_json(char *text, size_t len, size_t max_tokens, const char **why)
{
	*why = "is not valid JSON";
	if (!text)
		return NULL;
	if (max_tokens && count_tokens(text, len, max_tokens) > max_tokens) {
		*why = "has more than " JSON_TOKENS_MAX_TEXT " JSON tokens";
		free(text);
		return NULL;
	}
	struct fy_diag *dg = jdiag_silent();
	if (!dg) {
		*why = "out of memory";
		free(text);
		return NULL;
	}
	/* JSON_FORCE: a response or credential is JSON, and YAML that happens to parse (an HTML page
	 * is one plain scalar) is not one. Recycling keeps freed tokens for reuse, a quarter more
	 * memory at the peak for nothing here. The text is handed over: libfyaml frees it with the
	 * document, or itself when parsing fails (so never free it here after this call). */
	struct fy_parse_cfg cfg = { .flags = FYPCF_QUIET | FYPCF_JSON_FORCE | FYPCF_DISABLE_RECYCLING, .diag = dg };
	struct fy_document *d = fy_document_build_from_malloc_string(&cfg, text, len);
	fy_diag_unref(dg);
	if (d && fy_document_root(d) && fy_node_get_type(fy_document_root(d)) == FYNT_MAPPING)
		return d;
	if (d) {
		*why = "is not a JSON object";
		fy_document_destroy(d);
	}
	return NULL;
}

struct fy_document *jdoc_parse(const char *text, size_t len)
{
	const char *why;
	if (!text || !len)
		return NULL;
	char *copy = malloc(len + 1);
	if (!copy)
		return NULL;
	memcpy(copy, text, len);
	copy[len] = '\0';
	return jdoc_parse_json(copy, len, 0, &why);
}

struct fy_node *jkey(struct fy_node *map, const char *key)
{
	if (!map || fy_node_get_type(map) != FYNT_MAPPING)
		return NULL;
	return fy_node_mapping_lookup_by_string(map, key, FY_NT);
}

struct fy_node *jget(struct fy_node *n, const char *path)
{
	const char *p = path;
	while (n && *p) {
		const char *dot = strchr(p, '.');
		size_t l = dot ? (size_t)(dot - p) : strlen(p);
		char key[128];
		if (l >= sizeof(key))
			return NULL;
		memcpy(key, p, l);
		key[l] = '\0';
		if (fy_node_get_type(n) == FYNT_SEQUENCE) {
			char *end;
			long i = strtol(key, &end, 10);
			if (*end || i < 0)
				return NULL;
			n = fy_node_sequence_get_by_index(n, (int)i);
		} else {
			n = jkey(n, key);
		}
		p += l + (dot ? 1 : 0);
	}
	return n;
}

const char *jstr(struct fy_node *n, const char *path)
{
	n = path && *path ? jget(n, path) : n;
	if (!n || fy_node_get_type(n) != FYNT_SCALAR)
		return NULL;
	const char *s = fy_node_get_scalar0(n);
	/* JSON null is absent, as in the API's Go types */
	if (s && !strcmp(s, "null") && fy_node_get_style(n) == FYNS_PLAIN)
		return NULL;
	return s;
}

long jlong(struct fy_node *n, const char *path, long dflt)
{
	const char *s = jstr(n, path);
	if (!s || !*s)
		return dflt;
	char *end;
	long v = strtol(s, &end, 10);
	return *end ? dflt : v;
}

size_t jlen(struct fy_node *seq)
{
	if (!seq || fy_node_get_type(seq) != FYNT_SEQUENCE)
		return 0;
	int n = fy_node_sequence_item_count(seq);
	return n > 0 ? (size_t)n : 0;
}

struct fy_node *jat(struct fy_node *seq, size_t i)
{
	if (i >= jlen(seq))
		return NULL;
	return fy_node_sequence_get_by_index(seq, (int)i);
}

void json_str(struct sbuf *sb, const char *s)
{
	sb_addc(sb, '"');
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (*p == '"' || *p == '\\') {
			sb_addc(sb, '\\');
			sb_addc(sb, (char)*p);
		} else if (*p < 0x20) {
			sb_addf(sb, "\\u%04x", *p);
		} else {
			sb_addc(sb, (char)*p);
		}
	}
	sb_addc(sb, '"');
}
