/* `hyscale generate service manifests` and `hyscale validate service`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../pipeline.h"
#include "args.h"
#include "cli.h"

static const char *default_root(struct arena *a, const char *app)
{
	const char *home = getenv("HOME");
	if (!home || !*home)
		home = ".";
	return arena_printf(a, "%s/hyscale/apps/%s", home, app);
}

/* Checks that compare every pair of services stay cheap (README "Limits"). */
static bool too_many_specs(const struct spec_args *sa, const struct command *cmd)
{
	if (sa->nfiles <= HS_MAX_SPECS)
		return false;
	usage_error(cmd, "%zu service specs given; at most %u per run", sa->nfiles, HS_MAX_SPECS);
	return true;
}

/* The summary counts what was printed: under --strict every warning was printed as an
 * error, so it is counted as one. validate writes nothing in any case. */
static int finish(struct run *r, const struct spec_args *sa, bool writes)
{
	diags_print(&r->diags, stderr);
	if (diags_failed(&r->diags)) {
		const char *tail = writes ? "; nothing was written" : "";
		if (sa->quiet)
			;
		else if (r->diags.strict && r->diags.warnings)
			fprintf(stderr, "hyscale: %zu error(s) (%zu of them warnings, errors under --strict)%s\n",
				r->diags.errors + r->diags.warnings, r->diags.warnings, tail);
		else
			fprintf(stderr, "hyscale: %zu error(s), %zu warning(s)%s\n", r->diags.errors, r->diags.warnings, tail);
		return EXIT_SPEC;
	}
	return EXIT_OK;
}

int cmd_generate(int argc, char **argv, const struct command *cmd)
{
	struct arena args_arena;
	arena_init(&args_arena);
	struct spec_args sa;
	int rc = spec_args_parse(&sa, argc, argv, cmd, &args_arena, true, true);
	if (rc != EXIT_OK || sa.help) {
		if (sa.help)
			fputs(cmd->help, stdout);
		arena_free(&args_arena);
		return rc;
	}
	if (too_many_specs(&sa, cmd)) {
		arena_free(&args_arena);
		return EXIT_USAGE;
	}
	struct run r;
	run_init(&r, &sa.opts);
	run_pipeline(&r, sa.files, sa.nfiles, true);
	rc = finish(&r, &sa, true);
	if (rc == EXIT_OK && sa.to_stdout) {
		/* Written piece by piece: gathering the stream first held every manifest twice. */
		bool ok = true;
		for (size_t i = 0; i < r.nout && ok; i++)
			for (size_t f = 0; f < r.out[i].dir.n && ok; f++) {
				const struct sbuf *t = &r.out[i].dir.files[f].text;
				ok = fputs("---\n", stdout) != EOF && fwrite(sb_str(t), 1, t->len, stdout) == t->len;
			}
		if (!ok || fflush(stdout) != 0) {
			perror("hyscale: cannot write to standard output");
			rc = EXIT_OUTPUT;
		}
	} else if (rc == EXIT_OK) {
		struct out_dir *dirs = arena_alloc(&r.arena, (r.nout ? r.nout : 1) * sizeof(*dirs));
		for (size_t i = 0; i < r.nout; i++) {
			dirs[i] = r.out[i].dir;
			dirs[i].path = sa.out_dir
					       ? arena_printf(&r.arena, "%s/%s", sa.out_dir, r.out[i].service)
					       : arena_printf(&r.arena, "%s/%s/generated-files/manifests",
							      default_root(&r.arena, sa.opts.app), r.out[i].service);
		}
		struct diags io;
		diags_init(&io, &r.arena);
		if (!output_commit(dirs, r.nout, &io, &r.arena)) {
			diags_print(&io, stderr);
			fputs("hyscale: no manifests were changed\n", stderr);
			rc = EXIT_OUTPUT;
		} else if (!sa.quiet) {
			for (size_t i = 0; i < r.nout; i++)
				printf("Manifests path : %s\n", dirs[i].path);
		}
	}
	run_free(&r);
	arena_free(&args_arena);
	return rc;
}

int cmd_validate(int argc, char **argv, const struct command *cmd)
{
	struct arena args_arena;
	arena_init(&args_arena);
	struct spec_args sa;
	int rc = spec_args_parse(&sa, argc, argv, cmd, &args_arena, false, false);
	if (rc != EXIT_OK || sa.help) {
		if (sa.help)
			fputs(cmd->help, stdout);
		arena_free(&args_arena);
		return rc;
	}
	if (too_many_specs(&sa, cmd)) {
		arena_free(&args_arena);
		return EXIT_USAGE;
	}
	if (!sa.opts.app)
		sa.opts.app = "app";
	struct run r;
	run_init(&r, &sa.opts);
	run_pipeline(&r, sa.files, sa.nfiles, false);
	rc = finish(&r, &sa, false);
	if (rc == EXIT_OK && !sa.quiet)
		printf("%zu service spec(s) valid, %zu warning(s)\n", sa.nfiles, r.diags.warnings);
	run_free(&r);
	arena_free(&args_arena);
	return rc;
}
