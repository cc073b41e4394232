/* `hyscale generate service manifests` and `hyscale validate service`. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../pipeline.h"
#include "../stream.h"
#include "args.h"
#include "cli.h"

/* ~/hyscale/apps/<app>: the lock is taken there, every service folder is under it. */
static const char *default_root(struct arena *a, const char *app)
{
	return arena_printf(a, "%s/hyscale/apps/%s", getenv("HOME"), app);
}

/* Without HOME there is no default output folder; guessing one (the working directory)
 * would write where nobody asked. */
static bool no_output_folder(const struct spec_args *sa, const struct command *cmd)
{
	const char *home = getenv("HOME");
	if (sa->out_dir || sa->to_stdout || (home && *home))
		return false;
	usage_error(cmd, "HOME is not set, so there is no default output folder (~/hyscale/apps/<app>); "
			 "give one with -O DIR, or print the manifests with --stdout");
	return true;
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
	r->diags.all = sa->verbose;
	diags_emit(&r->diags, sa->diag_out, stderr);
	if (diags_failed(&r->diags)) {
		/* A machine format is the whole of stderr: no summary line after it. */
		const char *tail = writes ? "; nothing was written" : "";
		if (sa->quiet || sa->diag_out != DIAG_OUT_TEXT)
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

/* -p profiles are matched to specs by name across the whole run, so that run holds every
 * spec (run_pipeline); its services then go to the spool in order, as run_stream's do. */
static bool spool_all(struct run *r, struct spool *sp, bool json, bool *json_failed)
{
	for (size_t i = 0; i < r->nout; i++) {
		if (json && !rendered_to_json(&r->out[i], &r->arena)) {
			*json_failed = true;
			return false;
		}
		if (!spool_service(sp, r->out[i].service, r->out[i].dir.files, r->out[i].dir.n))
			return false;
	}
	return true;
}

/* The folders of every service, from the spool, all or none (output.h). */
static int write_folders(struct run *r, const struct spec_args *sa, struct spool *sp)
{
	struct out_dir *dirs = sp->dirs;
	const char *root = sa->out_dir ? sa->out_dir : default_root(&r->arena, sa->opts.app);
	for (size_t i = 0; i < sp->ndirs; i++)
		dirs[i].path = sa->out_dir ? arena_printf(&r->arena, "%s/%s", root, dirs[i].path)
					   : arena_printf(&r->arena, "%s/%s/generated-files/manifests", root, dirs[i].path);
	struct diags io;
	diags_init(&io, &r->arena);
	if (fflush(sp->f) != 0) {
		perror("hyscale: cannot write the temporary output file");
		return EXIT_OUTPUT;
	}
	if (!output_commit(root, dirs, sp->ndirs, sp->fd, &io, &r->arena)) {
		diags_print(&io, stderr);
		fputs("hyscale: no manifests were changed\n", stderr);
		return EXIT_OUTPUT;
	}
	for (size_t i = 0; !sa->quiet && i < sp->ndirs; i++) {
		printf("Manifests path : %s\n", dirs[i].path);
		for (size_t f = 0; sa->verbose && f < dirs[i].n; f++)
			fprintf(stderr, "hyscale: wrote %s/%s (%zu bytes)\n", dirs[i].path, dirs[i].files[f].name,
				dirs[i].files[f].spool_len);
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
	if (too_many_specs(&sa, cmd) || no_output_folder(&sa, cmd)) {
		arena_free(&args_arena);
		return EXIT_USAGE;
	}
	struct run r;
	run_init(&r, &sa.opts);
	r.diags.allow = sa.allow;
	r.diags.nallow = sa.nallow;
	/* Output is spooled as services are rendered and copied out only when the whole run
	 * has succeeded (spool.h). */
	struct spool sp;
	enum spool_mode mode = !sa.to_stdout ? SPOOL_FILES : sa.json ? SPOOL_JSON_LIST : SPOOL_STREAM;
	if (!spool_open(&sp, mode, &r.arena)) {
		perror("hyscale: cannot create a temporary file for the output (set TMPDIR to a writable folder)");
		run_free(&r);
		arena_free(&args_arena);
		return EXIT_OUTPUT;
	}
	bool json_failed = false;
	if (sa.opts.nprofiles) {
		if (run_pipeline(&r, sa.files, sa.nfiles, true))
			spool_all(&r, &sp, sa.json, &json_failed);
	} else {
		run_stream(&r, sa.files, sa.nfiles, sa.jobs ? sa.jobs : jobs_default(), sa.json, &sp, &json_failed);
	}
	rc = finish(&r, &sa, true);
	if (rc == EXIT_OK && json_failed) {
		fputs("hyscale: internal error: a manifest could not be written as JSON\n", stderr);
		rc = EXIT_INTERNAL;
	} else if (rc == EXIT_OK && sp.err) {
		errno = sp.err;
		perror("hyscale: cannot write the temporary output file");
		rc = EXIT_OUTPUT;
	} else if (rc == EXIT_OK && sa.to_stdout) {
		if (!spool_copy_to(&sp, stdout)) {
			perror("hyscale: cannot write to standard output");
			rc = EXIT_OUTPUT;
		}
	} else if (rc == EXIT_OK) {
		rc = write_folders(&r, &sa, &sp);
	}
	spool_close(&sp);
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
	r.diags.allow = sa.allow;
	r.diags.nallow = sa.nallow;
	run_pipeline(&r, sa.files, sa.nfiles, false);
	rc = finish(&r, &sa, false);
	if (rc == EXIT_OK && sa.verbose)
		for (size_t i = 0; i < r.nfiles; i++)
			fprintf(stderr, "hyscale: %s: service %s valid\n", r.files[i].path,
				r.specs[i].name.v ? r.specs[i].name.v : "?");
	if (rc == EXIT_OK && !sa.quiet)
		printf("%zu service spec(s) valid, %zu warning(s)\n", sa.nfiles, r.diags.warnings);
	run_free(&r);
	arena_free(&args_arena);
	return rc;
}
