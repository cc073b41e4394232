/* Options shared by the commands that read specs: -f (repeatable, comma separated, as
 * HyScale), -a, -n, --provider, --strict, and their checks. */
#ifndef HS_ARGS_H
#define HS_ARGS_H
#include <stdbool.h>
#include <stddef.h>
#include "../model/options.h"
#include "../util/arena.h"
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
};

/* Parses argv (after the command words). Returns EXIT_OK or EXIT_USAGE (already reported). */
int spec_args_parse(struct spec_args *sa, int argc, char **argv, const struct command *cmd,
		    struct arena *a, bool allow_output, bool need_app);
#endif
