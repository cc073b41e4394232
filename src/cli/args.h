/* Options shared by the commands that read specs: -f (repeatable, comma separated, as
 * HyScale), -a, -n, --provider, --strict, and their checks. */
#ifndef HS_ARGS_H
#define HS_ARGS_H
#include <stdbool.h>
#include <stddef.h>
#include "../model/options.h"
#include "../util/arena.h"
#include "../util/diag_format.h"
#include "cli.h"

struct spec_args {
	struct run_opts opts;
	const char **files;
	size_t nfiles, files_cap;
	size_t profiles_cap;
	const char *out_dir;         /* -O */
	bool to_stdout;              /* --stdout */
	bool quiet;
	bool help;
	enum diag_output diag_out;   /* --diagnostics (generate, validate) */
	bool json;                   /* generate -o json */
	bool verbose;                /* -v: what was read and written, on stderr */
	unsigned jobs;               /* generate --jobs; 0: the number of cores */
	const char **allow;          /* --allow CODE */
	size_t nallow, allow_cap;
};

/* The checks every command's getopt loop ends with; each prints its error and returns
 * EXIT_USAGE, or returns EXIT_OK. usage_getopt takes getopt's ':' or '?' result. */
int usage_getopt(const struct command *cmd, int c, char **argv);
int usage_leftover(const struct command *cmd, int argc, char **argv);
int usage_namespace(const struct command *cmd, const char *ns);

/* Parses argv (after the command words). Returns EXIT_OK or EXIT_USAGE (already reported). */
int spec_args_parse(struct spec_args *sa, int argc, char **argv, const struct command *cmd,
		    struct arena *a, bool allow_output, bool need_app);
#endif
