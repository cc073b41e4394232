/* JSON through libfyaml's emitter (see jsonb.h). */
#include "jsonb.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static struct fy_node *chk(struct fy_node *n)
{
	if (!n) {
		fputs("hyscale: fatal: out of memory building JSON\n", stderr);
		exit(4);
	}
	return n;
}

struct fy_document *jb_doc(void)
{
	struct fy_document *d = fy_document_create(NULL);
	if (!d) {
		fputs("hyscale: fatal: out of memory building JSON\n", stderr);
		exit(4);
	}
	return d;
}

struct fy_node *jb_obj(struct fy_document *d) { return chk(fy_node_create_mapping(d)); }
struct fy_node *jb_arr(struct fy_document *d) { return chk(fy_node_create_sequence(d)); }

/* What libfyaml's JSON mode writes bare: true, false, null and JSON numbers. */
static bool json_literal(const char *s)
{
	if (!strcmp(s, "true") || !strcmp(s, "false") || !strcmp(s, "null"))
		return true;
	const char *p = s;
	if (*p == '-')
		p++;
	if (!isdigit((unsigned char)*p))
		return false;
	if (*p == '0' && isdigit((unsigned char)p[1]))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '.') {
		if (!isdigit((unsigned char)*++p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
	}
	return *p == '\0';
}

struct fy_node *jb_str(struct fy_document *d, const char *s)
{
	if (!json_literal(s))
		return chk(fy_node_create_scalar_copy(d, s, FY_NT));
	/* Only digits, '.', 'e', '+', '-' and letters of true/false/null: nothing to escape. */
	size_t n = strlen(s);
	char *q = malloc(n + 3);
	if (!q)
		chk(NULL);
	q[0] = '"';
	memcpy(q + 1, s, n);
	q[n + 1] = '"';
	q[n + 2] = '\0';
	return chk(fy_node_build_from_malloc_string(d, q, n + 2));
}

struct fy_node *jb_int(struct fy_document *d, long v)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%ld", v);
	return chk(fy_node_create_scalar_copy(d, buf, FY_NT));
}

struct fy_node *jb_bool(struct fy_document *d, bool v) { return chk(fy_node_create_scalar(d, v ? "true" : "false", FY_NT)); }

struct fy_node *jb_lit(struct fy_document *d, const char *json) { return chk(fy_node_build_from_string(d, json, FY_NT)); }

struct fy_node *jb_set(struct fy_node *obj, const char *key, struct fy_node *val)
{
	struct fy_document *d = fy_node_document(obj);
	if (fy_node_mapping_append(obj, jb_str(d, key), val) != 0)
		chk(NULL);
	return val;
}

struct fy_node *jb_push(struct fy_node *arr, struct fy_node *val)
{
	if (fy_node_sequence_append(arr, val) != 0)
		chk(NULL);
	return val;
}

void jb_set_str(struct fy_node *obj, const char *key, const char *s) { jb_set(obj, key, jb_str(fy_node_document(obj), s)); }

bool jb_write(struct fy_document *d, FILE *out)
{
	char *s = fy_emit_document_to_string(d, FYECF_MODE_JSON | FYECF_INDENT_2 | FYECF_WIDTH_INF);
	if (!s)
		chk(NULL);
	size_t n = strlen(s);
	bool ok = fwrite(s, 1, n, out) == n && (n && s[n - 1] == '\n' ? true : fputc('\n', out) != EOF);
	free(s);
	return ok;
}
