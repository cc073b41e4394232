/* `hyscale generate service manifests` and `hyscale validate service`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../pipeline.h"
#include "../emit/json_out.h"
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

/* -o json: each file becomes <kind>.json; for --stdout the whole stream becomes one List
 * (kubectl's shape for several objects), left as the first file of the first service. */
static bool to_json(struct run *r, bool stream)
{
	if (stream) {
		size_t n = 0;
		for (size_t i = 0; i < r->nout; i++)
			n += r->out[i].dir.n;
		const char **texts = arena_alloc(&r->arena, (n ? n : 1) * sizeof(*texts));
		size_t *lens = arena_alloc(&r->arena, (n ? n : 1) * sizeof(*lens));
		size_t k = 0;
		for (size_t i = 0; i < r->nout; i++)
			for (size_t f = 0; f < r->out[i].dir.n; f++, k++) {
				texts[k] = sb_str(&r->out[i].dir.files[f].text);
				lens[k] = r->out[i].dir.files[f].text.len;
			}
		struct sbuf list = SBUF_INIT;
		if (!json_list_from_yaml(texts, lens, n, &list)) {
			sb_release(&list);
			return false;
		}
		if (!r->nout || !r->out[0].dir.n) {
			sb_release(&list);
			return true;
		}
		sb_release(&r->out[0].dir.files[0].text);
		r->out[0].dir.files[0].text = list;
		return true;
	}
	for (size_t i = 0; i < r->nout; i++)
		for (size_t f = 0; f < r->out[i].dir.n; f++) {
			struct out_file *of = &r->out[i].dir.files[f];
			struct sbuf j = SBUF_INIT;
			if (!json_from_yaml(sb_str(&of->text), of->text.len, &j)) {
				sb_release(&j);
				return false;
			}
			sb_release(&of->text);
			of->text = j;
			size_t nl = strlen(of->name);
			if (nl > 5 && !strcmp(of->name + nl - 5, ".yaml"))
				of->name = arena_printf(&r->arena, "%.*s.json", (int)(nl - 5), of->name);
		}
	return true;
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
	run_pipeline(&r, sa.files, sa.nfiles, true);
	rc = finish(&r, &sa, true);
	if (rc == EXIT_OK && sa.json && !to_json(&r, sa.to_stdout)) {
		fputs("hyscale: internal error: a manifest could not be written as JSON\n", stderr);
		rc = EXIT_INTERNAL;
	} else if (rc == EXIT_OK && sa.to_stdout && sa.json) {
		if (fwrite(sb_str(&r.out[0].dir.files[0].text), 1, r.out[0].dir.files[0].text.len, stdout) !=
			    r.out[0].dir.files[0].text.len || fflush(stdout) != 0) {
			perror("hyscale: cannot write to standard output");
			rc = EXIT_OUTPUT;
		}
	} else if (rc == EXIT_OK && sa.to_stdout) {
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
		const char *root = sa.out_dir ? sa.out_dir : default_root(&r.arena, sa.opts.app);
		for (size_t i = 0; i < r.nout; i++) {
			dirs[i] = r.out[i].dir;
			dirs[i].path = sa.out_dir ? arena_printf(&r.arena, "%s/%s", root, r.out[i].service)
						  : arena_printf(&r.arena, "%s/%s/generated-files/manifests", root,
								 r.out[i].service);
		}
		struct diags io;
		diags_init(&io, &r.arena);
		if (!output_commit(root, dirs, r.nout, &io, &r.arena)) {
			diags_print(&io, stderr);
			fputs("hyscale: no manifests were changed\n", stderr);
			rc = EXIT_OUTPUT;
		} else if (!sa.quiet) {
			for (size_t i = 0; i < r.nout; i++) {
				printf("Manifests path : %s\n", dirs[i].path);
				for (size_t f = 0; sa.verbose && f < dirs[i].n; f++)
					fprintf(stderr, "hyscale: wrote %s/%s (%zu bytes)\n", dirs[i].path, dirs[i].files[f].name,
						dirs[i].files[f].text.len);
			}
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
