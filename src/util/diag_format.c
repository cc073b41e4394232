/* JSON and SARIF diagnostics (see diag_format.h). */
#include "diag_format.h"
#include <stdlib.h>
#include <string.h>
#include "jsonb.h"

#define HS_TOOL_VERSION "0.1.0" /* HS_VERSION of cli.h; util does not include the CLI */

bool diag_output_parse(const char *s, enum diag_output *o)
{
	static const char *const names[] = { "text", "json", "sarif" };
	for (size_t i = 0; i < 3; i++)
		if (!strcmp(s, names[i])) {
			*o = (enum diag_output)i;
			return true;
		}
	return false;
}

static const char *level_name(const struct diag *dg, bool strict)
{
	return dg->level == DIAG_ERROR ? "error" : dg->level == DIAG_NOTE ? "note" : strict ? "error" : "warning";
}

static const char *message(struct arena *a, const struct diag *dg)
{
	return dg->field && *dg->field ? arena_printf(a, "%s: %s", dg->field, dg->msg) : dg->msg;
}

static bool emit_json(struct diags *d, FILE *out)
{
	struct fy_document *doc = jb_doc();
	struct fy_node *root = jb_obj(doc);
	jb_set_str(root, "tool", "hyscale");
	jb_set(root, "version", jb_int(doc, 1));
	struct fy_node *list = jb_set(root, "diagnostics", jb_arr(doc));
	for (size_t i = 0; i < d->n; i++) {
		const struct diag *dg = &d->items[i];
		struct fy_node *o = jb_push(list, jb_obj(doc));
		if (dg->loc.file)
			jb_set_str(o, "file", dg->loc.file);
		if (dg->loc.line > 0) {
			jb_set(o, "line", jb_int(doc, dg->loc.line));
			jb_set(o, "column", jb_int(doc, dg->loc.col));
		}
		jb_set_str(o, "severity", level_name(dg, d->strict));
		jb_set_str(o, "code", dg->code);
		if (dg->field && *dg->field)
			jb_set_str(o, "field", dg->field);
		jb_set_str(o, "message", dg->msg);
	}
	jb_set(root, "errors", jb_int(doc, (long)d->errors));
	jb_set(root, "warnings", jb_int(doc, (long)d->warnings));
	jb_set(root, "allowed", jb_int(doc, (long)d->allowed));
	jb_set(root, "strict", jb_bool(doc, d->strict));
	fy_document_set_root(doc, root);
	bool ok = jb_write(doc, out);
	fy_document_destroy(doc);
	return ok;
}

/* A file path as a SARIF artifact URI (an RFC 3986 reference): every byte but the unreserved
 * characters and '/' percent-encoded, as libcurl's curl_easy_escape() does for each segment
 * (this file is on the path of every command; libcurl is loaded only by the cluster commands).
 * "<stdin>" becomes %3Cstdin%3E. */
static const char *path_uri(struct arena *a, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = arena_alloc(a, 3 * strlen(path) + 1), *o = out;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~/", *p)) {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return out;
}

static bool emit_sarif(struct diags *d, FILE *out)
{
	struct fy_document *doc = jb_doc();
	struct fy_node *root = jb_obj(doc);
	jb_set_str(root, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
	jb_set_str(root, "version", "2.1.0");
	struct fy_node *run = jb_push(jb_set(root, "runs", jb_arr(doc)), jb_obj(doc));
	struct fy_node *driver = jb_set(jb_set(run, "tool", jb_obj(doc)), "driver", jb_obj(doc));
	jb_set_str(driver, "name", "hyscale");
	jb_set_str(driver, "version", HS_TOOL_VERSION);
	struct fy_node *rules = jb_set(driver, "rules", jb_arr(doc));
	/* Columns are counted in characters, as in the text format. */
	jb_set_str(run, "columnKind", "unicodeCodePoints");
	struct fy_node *results = jb_set(run, "results", jb_arr(doc));
	const char **ruled = arena_alloc(d->arena, (d->n ? d->n : 1) * sizeof(*ruled));
	size_t nrules = 0;
	for (size_t i = 0; i < d->n; i++) {
		const struct diag *dg = &d->items[i];
		size_t r = 0;
		while (r < nrules && strcmp(ruled[r], dg->code))
			r++;
		if (r == nrules) {
			ruled[nrules++] = dg->code;
			struct fy_node *rule = jb_push(rules, jb_obj(doc));
			jb_set_str(rule, "id", dg->code);
			const struct diag_code *c = diag_code_find(dg->code);
			jb_set_str(jb_set(rule, "shortDescription", jb_obj(doc)), "text",
				   c ? c->fmt : "diagnostic without a code");
		}
		struct fy_node *res = jb_push(results, jb_obj(doc));
		jb_set_str(res, "ruleId", dg->code);
		jb_set(res, "ruleIndex", jb_int(doc, (long)r));
		jb_set_str(res, "level", level_name(dg, d->strict));
		jb_set_str(jb_set(res, "message", jb_obj(doc)), "text", message(d->arena, dg));
		if (!dg->loc.file)
			continue;
		struct fy_node *phys = jb_set(jb_push(jb_set(res, "locations", jb_arr(doc)), jb_obj(doc)),
					      "physicalLocation", jb_obj(doc));
		jb_set_str(jb_set(phys, "artifactLocation", jb_obj(doc)), "uri", path_uri(d->arena, dg->loc.file));
		if (dg->loc.line > 0) {
			struct fy_node *region = jb_set(phys, "region", jb_obj(doc));
			jb_set(region, "startLine", jb_int(doc, dg->loc.line));
			if (dg->loc.col > 0)
				jb_set(region, "startColumn", jb_int(doc, dg->loc.col));
		}
	}
	fy_document_set_root(doc, root);
	bool ok = jb_write(doc, out);
	fy_document_destroy(doc);
	return ok;
}

bool diags_emit(struct diags *d, enum diag_output o, FILE *out)
{
	if (o == DIAG_OUT_TEXT) {
		diags_print(d, out);
		return !ferror(out);
	}
	diags_sort(d);
	return o == DIAG_OUT_JSON ? emit_json(d, out) : emit_sarif(d, out);
}
