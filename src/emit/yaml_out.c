/* YAML rendering (see yaml_out.h): our own writer, and libfyaml's emitter with the
 * round-trip guard for the few documents the writer does not take. */
#include "yaml_out.h"
#include <stdlib.h>
#include <string.h>
#include "../spec/yaml11.h"

#define EMIT_FLAGS (FYECF_MODE_BLOCK | FYECF_INDENT_2 | FYECF_WIDTH_INF | FYECF_DOC_START_MARK_OFF | \
		    FYECF_DOC_END_MARK_OFF | FYECF_VERSION_DIR_OFF | FYECF_TAG_DIR_OFF)

static bool plain(struct fy_node *n) { return fy_node_get_style(n) == FYNS_PLAIN || fy_node_get_style(n) == FYNS_ANY; }

/* The round trip is checked against the parser's event stream rather than a document
 * built from the text: building, comparing and destroying a second tree cost more than
 * emitting the first (README, Performance). The check is the same: same
 * structure, same bytes, same plain/quoted typing, nothing else in the text. */
static bool next_is(struct fy_parser *p, enum fy_event_type t)
{
	struct fy_event *ev = fy_parser_parse(p);
	bool ok = ev && ev->type == t;
	fy_parser_event_free(p, ev);
	return ok;
}

static bool matches(struct fy_parser *p, struct fy_node *n, int depth, bool *yaml11)
{
	struct fy_event *ev = fy_parser_parse(p);
	if (!ev)
		return false;
	bool ok = n && depth <= 100;
	if (ok && fy_node_is_scalar(n)) {
		ok = ev->type == FYET_SCALAR && !ev->scalar.anchor && !ev->scalar.tag;
		if (ok) {
			size_t la = 0, lb = 0;
			const char *sa = fy_node_get_scalar(n, &la), *sb = fy_token_get_text(ev->scalar.value, &lb);
			bool pb = fy_token_scalar_style(ev->scalar.value) == FYSS_PLAIN;
			ok = la == lb && (!la || (sa && sb && !memcmp(sa, sb, la))) && plain(n) == pb;
			/* YAML 1.1 readers (kubectl, the API server) must type it as we do. */
			if (ok && pb && yaml11_plain_differs(sb, lb)) {
				*yaml11 = true;
				ok = false;
			}
		}
		fy_parser_event_free(p, ev);
		return ok;
	}
	if (ok && fy_node_is_sequence(n)) {
		ok = ev->type == FYET_SEQUENCE_START && !ev->sequence_start.anchor && !ev->sequence_start.tag;
		fy_parser_event_free(p, ev);
		void *it = NULL;
		struct fy_node *item;
		while (ok && (item = fy_node_sequence_iterate(n, &it)))
			ok = matches(p, item, depth + 1, yaml11);
		return ok && next_is(p, FYET_SEQUENCE_END);
	}
	if (ok && fy_node_is_mapping(n)) {
		ok = ev->type == FYET_MAPPING_START && !ev->mapping_start.anchor && !ev->mapping_start.tag;
		fy_parser_event_free(p, ev);
		void *it = NULL;
		struct fy_node_pair *pair;
		while (ok && (pair = fy_node_mapping_iterate(n, &it)))
			ok = matches(p, fy_node_pair_key(pair), depth + 1, yaml11) &&
			     matches(p, fy_node_pair_value(pair), depth + 1, yaml11);
		return ok && next_is(p, FYET_MAPPING_END);
	}
	fy_parser_event_free(p, ev);
	return false;
}

/* True if text is exactly one YAML document that reads back as the tree of doc. */
static bool reads_back(struct yb *b, const char *text, size_t len, bool *yaml11)
{
	struct fy_parse_cfg cfg = { .flags = FYPCF_QUIET, .diag = b->diag };
	struct fy_document *doc = b->doc;
	struct fy_parser *p = fy_parser_create(&cfg);
	if (!p)
		return false;
	bool ok = fy_parser_set_string(p, text, len) == 0 && next_is(p, FYET_STREAM_START) &&
		  next_is(p, FYET_DOCUMENT_START) && matches(p, fy_document_root(doc), 0, yaml11) &&
		  next_is(p, FYET_DOCUMENT_END) && next_is(p, FYET_STREAM_END) && !fy_parser_get_stream_error(p);
	fy_parser_destroy(p);
	return ok;
}

static int collect(struct fy_emitter *e, enum fy_emitter_write_type type, const char *str, int len, void *user)
{
	(void)e, (void)type;
	sb_add(user, str, (size_t)len);
	return len;
}

/* libfyaml's emitter, then the round-trip guard: for documents yaml_write() does not take. */
static bool render_guarded(struct manifest *m, struct sbuf *text, const char **why)
{
	/* An emitter of our own rather than fy_emit_document_to_string(), only to give it
	 * the service's diagnostic object (see manifests_init()). */
	struct fy_emitter_cfg ecfg = { .flags = EMIT_FLAGS, .output = collect, .userdata = text, .diag = m->yb.diag };
	struct fy_emitter *e = fy_emitter_create(&ecfg);
	bool ok = e && fy_emit_document(e, m->yb.doc) == 0 && text->buf;
	if (e)
		fy_emitter_destroy(e);
	if (!ok) {
		*why = "the YAML emitter failed";
		return false;
	}
	bool yaml11 = false;
	if (!reads_back(&m->yb, text->buf, text->len, &yaml11)) {
		/* Refuse rather than write a value that differs from the tree. */
		*why = yaml11 ? "a plain value would be typed differently by YAML 1.1 readers (kubectl, the API server)"
			      : "a value cannot be written exactly in YAML by libfyaml";
		return false;
	}
	/* Raw, these are line breaks or errors to YAML 1.1 readers: a value could add keys
	 * to the object kubectl reads (issue 11). yb_strnode() escapes them; this proves it. */
	if (yaml11_raw_unsafe(text->buf, text->len, NULL) < text->len) {
		*why = "the text would hold a character that YAML 1.1 readers (kubectl) read as a line break or refuse";
		return false;
	}
	return true;
}

bool yaml_render(struct manifest *m, struct sbuf *out, const char **why)
{
	if (m->yb.lossy) {
		*why = "a value cannot be stored exactly in YAML by libfyaml; refusing to write a different one";
		return false;
	}
	struct sbuf text = SBUF_INIT;
	enum yaml_write_result r = yaml_write(fy_document_root(m->yb.doc), &text, why);
	if (r == YW_REFUSED) {
		sb_release(&text);
		return false;
	}
	if (r == YW_OTHER) {
		sb_reset(&text);
		if (!render_guarded(m, &text, why)) {
			sb_release(&text);
			return false;
		}
	}
	/* The text stays until the end of the run: give back the room it grew into. */
	char *fit = realloc(text.buf, text.len + 1);
	sb_attach(out, fit ? fit : text.buf, text.len);
	return true;
}
