/* The command line: a table of commands (as git's), each a sequence of words with its
 * own options and help, and the exit codes every command shares. */
#ifndef HS_CLI_H
#define HS_CLI_H

enum exit_code {
	EXIT_OK = 0,
	EXIT_SPEC = 1,       /* a spec was rejected: errors, or warnings with --strict */
	EXIT_USAGE = 2,      /* the command line is wrong */
	EXIT_OUTPUT = 3,     /* manifests could not be written */
	EXIT_INTERNAL = 4,   /* a bug or an exhausted resource */
	EXIT_CLUSTER = 5,    /* the cluster refused or could not be reached */
	EXIT_INTERRUPTED = 130, /* Ctrl-C during a cluster command (128 + SIGINT, as shells report) */
};

struct command {
	const char *words;   /* "generate service manifests" */
	const char *aliases; /* other spellings of the last word, space separated */
	const char *summary;
	const char *usage;   /* after "usage: hyscale " */
	const char *about;   /* what it does, one or more paragraphs */
	unsigned opts;       /* option groups it takes (options.h) */
	const char *examples;
	const char *exits;   /* exit codes */
	int (*run)(int argc, char **argv, const struct command *cmd);
	const char *help;    /* full --help text, written from the above before run() */
};

const struct command *command_table(void);
void usage_error(const struct command *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

int cmd_generate(int argc, char **argv, const struct command *cmd);
int cmd_validate(int argc, char **argv, const struct command *cmd);
int cmd_deploy(int argc, char **argv, const struct command *cmd);
int cmd_diff(int argc, char **argv, const struct command *cmd);
int cmd_undeploy_service(int argc, char **argv, const struct command *cmd);
int cmd_undeploy_app(int argc, char **argv, const struct command *cmd);
int cmd_status_service(int argc, char **argv, const struct command *cmd);
int cmd_status_app(int argc, char **argv, const struct command *cmd);
int cmd_schema(int argc, char **argv, const struct command *cmd);
int cmd_completion(int argc, char **argv, const struct command *cmd);
int cmd_man(int argc, char **argv, const struct command *cmd);

/* The nearest of words to s (edit distance), or NULL; did_you_mean() says it as
 * "; did you mean 'x'?" or "" (suggest.c). */
struct arena;
const char *suggest(const char *s, const char *const *words);
const char *did_you_mean(struct arena *a, const char *s, const char *const *words);

#define HS_VERSION "0.1.0"
#endif
