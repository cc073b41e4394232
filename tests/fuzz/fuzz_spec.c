/* libFuzzer harness: one input = one .hspec file, taken through the whole pipeline
 * (load → validate → model → build → every provider → render) the way `hyscale generate`
 * runs it, once with the spec's own provider and once per --provider override (with -n,
 * and for gateway with the experimental channel).
 * Besides crashes, leaks and sanitizer reports it checks the promises of issue #6 on
 * every run: each error has a line and column; and on every run that succeeds, each
 * rendered file re-parses and an nginx configuration-snippet holds only
 * proxy_set_header directives.
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (ftruncate(memfd, 0) != 0 || pwrite(memfd, data, size, 0) != (ssize_t)size)
		abort();
	run_once(NULL, NULL, false);
	for (const struct provider *const *pv = provider_table(); *pv; pv++)
		run_once((*pv)->name, "ns", !strcmp((*pv)->name, "gateway"));
	return 0;
}
