/* Helpers for unit tests: run the pipeline on a spec given as text and look at the
 * diagnostics it produced. Header-only so each test binary stays one file. */
#ifndef HS_TESTUTIL_H
#define HS_TESTUTIL_H
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "pipeline.h"

struct tspec {
	struct run run;
	char path[256];
	char dir[128];
	const char *diags;   /* all diagnostics, one per line, sorted */
};

/* Writes text to <tmpdir>/<name> and runs validation, and with render the building and
 * rendering too (render false is `validate service`). */
static inline bool tspec_run_mode(struct tspec *t, const char *name, const char *text, const struct run_opts *o,
				  bool render)
{
	snprintf(t->dir, sizeof(t->dir), "/tmp/hs-unit-XXXXXX");
	if (!mkdtemp(t->dir))
		fail_msg("mkdtemp");
	snprintf(t->path, sizeof(t->path), "%s/%s", t->dir, name);
	FILE *f = fopen(t->path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	run_init(&t->run, o);
	const char *p = t->path;
	bool ok = run_pipeline(&t->run, &p, 1, render);
	const char *all = "";
	for (size_t i = 0; i < t->run.diags.n; i++)
		all = arena_printf(&t->run.arena, "%s%s\n", all, diag_format(&t->run.arena, &t->run.diags.items[i], o->strict));
	t->diags = all;
	return ok;
}

static inline bool tspec_run_opts(struct tspec *t, const char *name, const char *text, const struct run_opts *o)
{
	return tspec_run_mode(t, name, text, o, true);
}

static inline bool tspec_run(struct tspec *t, const char *name, const char *text)
{
	struct run_opts o = { .app = "app" };
	return tspec_run_opts(t, name, text, &o);
}

static inline void tspec_free(struct tspec *t)
{
	run_free(&t->run);
	unlink(t->path);
	rmdir(t->dir);
}

/* Asserts that some diagnostic line contains `needle` after the file name. */
#define assert_diag(t, needle)                                                              \
	do {                                                                                \
		if (!strstr((t)->diags, (needle)))                                           \
			fail_msg("expected diagnostic containing\n  %s\ngot:\n%s", (needle), (t)->diags); \
	} while (0)
#define assert_no_diag(t, needle)                                                           \
	do {                                                                                \
		if (strstr((t)->diags, (needle)))                                            \
			fail_msg("unexpected diagnostic containing\n  %s\ngot:\n%s", (needle), (t)->diags); \
	} while (0)
#endif
