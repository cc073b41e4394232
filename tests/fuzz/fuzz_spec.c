/* libFuzzer harness: one input = one .hspec file, taken through the whole pipeline
 * (load → validate → model → build → every provider → render) the way `hyscale generate`
 * runs it, once with the spec's own provider and once per --provider override (with -n,
 * and for gateway with the experimental channel).
 * Besides crashes, leaks and sanitizer reports it checks the promises of issue #6 on
 * every run: each error has a line and column; and on every run that succeeds, each
 * rendered file re-parses and an nginx configuration-snippet holds only
 * proxy_set_header directives.
 * The same input, as one string, also goes through the YAML writer (src/emit/yaml_write.c)
 * as a value, a key and a list item: the text must be what libfyaml's emitter writes (or
 * one libfyaml would have lost and refused), read back as the string under YAML 1.2, and
 * pass the YAML 1.1 checks.
 * Build and run: tests/fuzz/run.sh (see README "Limits"). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "pipeline.h"
#include "providers/provider.h"
#include "roundtrip_check.h"
#include "build/manifest.h"
#include "emit/yaml_out.h"
#include "spec/yaml11.h"

static int memfd = -1;
static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* The pipeline reads files by name; an in-memory file keeps the disk out of the loop. */
	memfd = memfd_create("fuzz.hspec", MFD_CLOEXEC);
	if (memfd < 0) {
		perror("memfd_create");
		abort();
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", memfd);
	return 0;
}

static void run_once(const char *provider, const char *ns, bool experimental)
{
	struct run_opts o = { .app = "app", .ns = ns, .provider = provider, .gateway_experimental = experimental };
	struct run r;
	run_init(&r, &o);
	const char *p = path;
	bool ok = run_pipeline(&r, &p, 1, true);
	/* Every diagnostic about the content has a position (the file itself always opens
	 * here); formatting each exercises the message paths too. */
	for (size_t i = 0; i < r.diags.n; i++) {
		const struct diag *dg = &r.diags.items[i];
		const char *text = diag_format(&r.arena, dg, false);
		if (dg->level == DIAG_ERROR && dg->loc.line <= 0) {
			fprintf(stderr, "error without a position: %s\n", text);
			abort();
		}
	}
	if (ok && r.diags.errors == 0) {
		bool own_snippet = false;
		const struct skvs *an = &r.specs[0].lb.annotations;
		for (size_t i = 0; i < an->n; i++)
			own_snippet |= strstr(an->v[i].key, "snippet") != NULL;
		for (size_t i = 0; i < r.nout; i++) {
			if (!r.out[i].ok)
				continue;
			for (size_t f = 0; f < r.out[i].dir.n; f++) {
				const char *why = roundtrip_check(sb_str(&r.out[i].dir.files[f].text), !own_snippet);
				if (why) {
					fprintf(stderr, "invariant broken in %s: %s\n", r.out[i].dir.files[f].name, why);
					abort();
				}
			}
		}
	}
	run_free(&r);
}

static bool utf8_valid(const uint8_t *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t len = s[i] < 0x80 ? 1 : s[i] >= 0xc2 && s[i] < 0xe0 ? 2 : s[i] >= 0xe0 && s[i] < 0xf0 ? 3
			     : s[i] >= 0xf0 && s[i] <= 0xf4 ? 4 : 0;
		if (!len || i + len > n || !s[i])
			return false;
		unsigned long cp = len == 1 ? s[i] : s[i] & (0x7fu >> len);
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3fu);
		}
		if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
			return false;
		i += len;
	}
	return true;
}

static bool reads(struct fy_document *d, const char *path, const char *s)
{
	struct fy_node *n = d ? fy_node_by_path(fy_document_root(d), path, FY_NT, FYNWF_DONT_FOLLOW) : NULL;
	size_t l = 0;
	const char *t = n ? fy_node_get_scalar(n, &l) : NULL;
	return t && l == strlen(s) && !memcmp(t, s, l);
}

static void emit_once(const char *s)
{
	struct arena a;
	arena_init(&a);
	struct manifests ms;
	manifests_init(&ms, &a);
	struct manifest *m = manifest_new(&ms, "v1", "ConfigMap", "x", NULL, NULL);
	struct yb *b = &m->yb;
	struct fy_node *data = yb_child_map(b, m->root, "data");
	yb_str(b, data, "k", s);
	yb_push_str(b, yb_child_seq(b, data, "l"), s);
	if (!strpbrk(s, "\r\n") && strlen(s) <= 1024 && strcmp(s, "k") && strcmp(s, "l"))
		yb_str(b, data, s, "v");
	struct sbuf out = SBUF_INIT;
	const char *why = NULL;
	enum yaml_write_result r = b->lossy ? YW_OTHER : yaml_write(fy_document_root(b->doc), &out, &why);
	if (r == YW_REFUSED || (!b->lossy && r != YW_OK)) {
		fprintf(stderr, "the writer did not take a string yb built (%d): %s\n", (int)r, why ? why : "");
		abort();
	}
	if (r == YW_OK) {
		const char *text = sb_str(&out);
		char *ref = fy_emit_document_to_string(b->doc, FYECF_MODE_BLOCK | FYECF_INDENT_2 | FYECF_WIDTH_INF |
								      FYECF_DOC_START_MARK_OFF | FYECF_DOC_END_MARK_OFF |
								      FYECF_VERSION_DIR_OFF | FYECF_TAG_DIR_OFF);
		struct fy_document *back = fy_document_build_from_string(NULL, text, out.len);
		struct fy_document *rb = ref ? fy_document_build_from_string(NULL, ref, FY_NT) : NULL;
		const char *rt = roundtrip_check(text, false);
		if (!reads(back, "/data/k", s) || !reads(back, "/data/l/0", s) || rt ||
		    yaml11_raw_unsafe(text, out.len, NULL) < out.len || (ref && strcmp(ref, text) && reads(rb, "/data/k", s))) {
			fprintf(stderr, "the writer broke a string: %s\n%s\nlibfyaml:\n%s\n", rt ? rt : "", text, ref ? ref : "");
			abort();
		}
		fy_document_destroy(rb);
		fy_document_destroy(back);
		free(ref);
	}
	sb_release(&out);
	manifests_free(&ms);
	arena_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Spec loading refuses text that is not UTF-8: no tree ever holds it. */
	if (size < 4096 && utf8_valid(data, size)) {
		char s[4096];
		memcpy(s, data, size);
		s[size] = '\0';
		emit_once(s);
	}
	if (ftruncate(memfd, 0) != 0 || pwrite(memfd, data, size, 0) != (ssize_t)size)
		abort();
	run_once(NULL, NULL, false);
	for (const struct provider *const *pv = provider_table(); *pv; pv++)
		run_once((*pv)->name, "ns", !strcmp((*pv)->name, "gateway"));
	return 0;
}
