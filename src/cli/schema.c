/* `hyscale schema [service|profile]`: the JSON Schema (draft 2020-12) of .hspec or .hprof
 * files, written from the field table the reader uses (src/spec/fields.c). */
#include <stdio.h>
#include <string.h>
#include "../spec/fields.h"
#include "../util/jsonb.h"
#include "cli.h"

/* nginx → ^(?:[nN][gG][iI][nN][xX]|...)$: the reader takes provider names in any case,
 * and JSON Schema patterns have no case-insensitive flag. */
static void ci_alternatives(char *buf, size_t cap, const char *const *values)
{
	size_t n = 0;
	n += (size_t)snprintf(buf + n, cap - n, "^(?:");
	for (const char *const *v = values; *v && n < cap; v++) {
		if (v != values)
			n += (size_t)snprintf(buf + n, cap - n, "|");
		for (const char *c = *v; *c && n < cap; c++) {
			char lo = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c), up = (char)(lo >= 'a' && lo <= 'z' ? lo - 32 : lo);
			if (lo != up)
				n += (size_t)snprintf(buf + n, cap - n, "[%c%c]", lo, up);
			else
				n += (size_t)snprintf(buf + n, cap - n, "%s%c", strchr(".^$|?*+()[]{}\\", *c) ? "\\" : "", *c);
		}
	}
	if (n < cap)
		snprintf(buf + n, cap - n, ")$");
}

static struct fy_node *field_schema(struct fy_document *d, struct fy_node *o, const struct field *f, bool profile, bool top)
{
	if (f->desc)
		jb_set_str(o, "description", f->desc);
	struct fy_node *types = jb_arr(d);
	size_t nt = 0;
	static const struct { unsigned bit; const char *name; } tn[] = {
		{ FS_STR, "string" }, { FS_NUM, "number" }, { FS_INT, "integer" }, { FS_BOOL, "boolean" },
		{ FS_MAP | FS_DICT, "object" }, { FS_LIST, "array" },
	};
	const char *one = NULL;
	for (size_t i = 0; i < sizeof(tn) / sizeof(tn[0]); i++)
		if (f->shape & tn[i].bit) {
			jb_push(types, jb_str(d, tn[i].name));
			one = tn[i].name;
			nt++;
		}
	/* In a profile a null changes nothing (README "Profiles"): any field may be null. */
	if (profile && f->name) {
		jb_push(types, jb_str(d, "null"));
		nt++;
	}
	if (nt == 1) {
		fy_node_free(types); /* never attached to the document */
		jb_set_str(o, "type", one);
	} else
		jb_set(o, "type", types);
	if (f->pattern)
		jb_set_str(o, "pattern", f->pattern);
	const char *const *values = f->values ? f->values : f->values_fn ? f->values_fn() : NULL;
	if (values) {
		struct fy_node *e = jb_arr(d);
		for (const char *const *v = values; *v; v++)
			jb_push(e, jb_str(d, *v));
		if (f->case_insensitive) {
			/* enum first: editors offer its values for completion. */
			struct fy_node *any = jb_set(o, "anyOf", jb_arr(d));
			struct fy_node *a1 = jb_push(any, jb_obj(d));
			jb_set(a1, "enum", e);
			char pat[1024];
			ci_alternatives(pat, sizeof(pat), values);
			jb_set_str(jb_push(any, jb_obj(d)), "pattern", pat);
		} else {
			jb_set(o, "enum", e);
		}
	}
	if (f->minimum)
		jb_set(o, "minimum", jb_lit(d, f->minimum));
	if (f->maximum)
		jb_set(o, "maximum", jb_lit(d, f->maximum));
	if (f->dflt)
		jb_set(o, "default", jb_lit(d, f->dflt));
	if (f->shape & FS_MAP) {
		struct fy_node *props = jb_set(o, "properties", jb_obj(d));
		struct fy_node *req = jb_arr(d);
		size_t nreq = 0;
		for (const struct field *c = f->fields; c->name; c++) {
			jb_set(props, c->name, field_schema(d, jb_obj(d), c, profile, false));
			/* A profile changes a spec: only its own fields (environment, overrides) are required. */
			if (c->required && (!profile || (top && !field_find(spec_fields_root()->fields, c->name)))) {
				jb_push(req, jb_str(d, c->name));
				nreq++;
			}
		}
		if (nreq)
			jb_set(o, "required", req);
		else
			fy_node_free(req);
		jb_set(o, "additionalProperties", jb_bool(d, false));
	} else if (f->shape & FS_DICT) {
		jb_set(o, "additionalProperties", jb_lit(d, profile ? "{\"type\": [\"string\", \"number\", \"boolean\", \"null\"]}"
								     : "{\"type\": [\"string\", \"number\", \"boolean\"]}"));
	}
	if (f->shape & FS_LIST)
		jb_set(o, "items", field_schema(d, jb_obj(d), f->item, profile, false));
	return o;
}

int cmd_schema(int argc, char **argv, const struct command *cmd)
{
	bool profile = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(cmd->help, stdout);
			return EXIT_OK;
		}
	}
	if (argc > 2) {
		usage_error(cmd, "unexpected argument '%s'", argv[2]);
		return EXIT_USAGE;
	}
	if (argc == 2 && !strcmp(argv[1], "profile"))
		profile = true;
	else if (argc == 2 && strcmp(argv[1], "service")) {
		usage_error(cmd, "unknown schema '%s'; expected service or profile", argv[1]);
		return EXIT_USAGE;
	}
	struct fy_document *d = jb_doc();
	const struct field *root = profile ? profile_fields_root() : spec_fields_root();
	struct fy_node *s = jb_obj(d);
	jb_set_str(s, "$schema", "https://json-schema.org/draft/2020-12/schema");
	jb_set_str(s, "title", profile ? "HyScale profile (.hprof) for hyscale " HS_VERSION
				       : "HyScale service spec (.hspec) for hyscale " HS_VERSION);
	field_schema(d, s, root, profile, true);
	fy_document_set_root(d, s);
	bool ok = jb_write(d, stdout) && fflush(stdout) == 0;
	fy_document_destroy(d);
	if (!ok) {
		perror("hyscale: cannot write to standard output");
		return EXIT_OUTPUT;
	}
	return EXIT_OK;
}
