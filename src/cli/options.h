/* Every option of every command, once: --help, the man page (hyscale man) and the shell
 * completions (hyscale completion) are all written from this table and the command table
 * (main.c), so none of them can miss an option. A new option is one line in options.c
 * with the groups of the commands that take it; its parser stays in the command's code. */
#ifndef HS_CLI_OPTIONS_H
#define HS_CLI_OPTIONS_H
#include <stdbool.h>
#include <stdio.h>
#include "cli.h"

/* Option groups: a command lists the groups it takes (struct command.opts). */
enum {
	OG_GENERATE = 1 << 0,  /* generate only */
	OG_VALIDATE = 1 << 1,  /* validate only */
	OG_DIAG = 1 << 2,      /* --diagnostics, --allow: generate, validate */
	OG_SPEC = 1 << 3,      /* reading specs: generate, validate, deploy */
	OG_DEPLOY = 1 << 4,    /* deploy only */
	OG_CLUSTER = 1 << 5,   /* every cluster command */
	OG_SERVICES = 1 << 6,  /* -s: undeploy service, get service status */
	OG_TARGET = 1 << 7,    /* -a, -n of undeploy and get */
	OG_SCHEMA = 1 << 8,    /* nothing but help */
	OG_ALL = 1 << 9,       /* every command: --help */
	OG_DIFF = 1 << 10,     /* diff only */
	OG_UNDEPLOY = 1 << 11, /* undeploy service, undeploy app */
};

/* What the shells complete as the option's value. */
enum opt_value { OV_NONE, OV_WORD, OV_HSPEC, OV_HPROF, OV_DIR, OV_LIST };

struct opt_doc {
	unsigned groups;
	char short_name;          /* 'f', or 0 */
	const char *long_name;    /* "files", or NULL */
	const char *arg;          /* "FILE", or NULL for a flag */
	const char *help;         /* one line; '\n' continues it */
	enum opt_value value;
	const char *const *values;            /* OV_LIST: the values */
	const char *const *(*values_fn)(void); /* OV_LIST: the values, computed */
};

const struct opt_doc *option_table(void);      /* ends with groups == 0 */
const char *const *opt_values(const struct opt_doc *o);
/* The values of the first option with this long name that has a list ("provider"). */
const char *const *opt_values_of(const char *long_name);
/* The full --help text of a command (usage, about, options, examples, exit codes). */
const char *command_help(const struct command *c);
/* Option names a command takes ("-f", "--files", …), NULL terminated; for did-you-mean. */
struct arena;
const char *const *command_option_names(const struct command *c, struct arena *a);
/* hyscale man: the manual page in roff. */
void write_man_page(FILE *out);
/* hyscale completion SHELL: the script, or false for an unknown shell. */
bool write_completion(const char *shell, FILE *out);
#endif
