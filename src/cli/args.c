/* Shared option parsing for spec commands (see args.h). */
#include "args.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../providers/provider.h"
#include "../stream.h"
#include "../util/names.h"
#include "options.h"

enum { OPT_STDOUT = 256, OPT_STRICT, OPT_PROVIDER, OPT_CHANNEL, OPT_HELP, OPT_PULL_SECRET, OPT_ALLOW_OUTSIDE, OPT_DIAGNOSTICS, OPT_ALLOW, OPT_JOBS };

static bool app_name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > 30)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return false;
	return true;
}

/* HyScale's profile-name rule ([-a-zA-Z0-9]{2,30}); it keeps -P from reaching outside the folder. */
static bool profile_env_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > 30)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return false;
	return true;
}

int usage_getopt(const struct command *cmd, int c, char **argv)
{
	if (c == ':') {
		usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
		return EXIT_USAGE;
	}
	/* --provder=x → --provider; -x is the short option getopt saw, not the whole word. */
	struct arena a;
	arena_init(&a);
	const char *word = argv[optind - 1];
	const char *name = word[0] == '-' && word[1] == '-' ? arena_strndup(&a, word, strcspn(word, "="))
			   : optopt > 0 ? arena_printf(&a, "-%c", optopt) : word;
	usage_error(cmd, "unknown option '%s'%s", name, did_you_mean(&a, name, command_option_names(cmd, &a)));
	arena_free(&a);
	return EXIT_USAGE;
}

int usage_leftover(const struct command *cmd, int argc, char **argv)
{
	if (optind >= argc)
		return EXIT_OK;
	usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	return EXIT_USAGE;
}

int usage_namespace(const struct command *cmd, const char *ns)
{
	if (!ns || is_dns_label(ns))
		return EXIT_OK;
	usage_error(cmd, "namespace \"%s\" is invalid: lower case alphanumeric characters or '-', at most 63, "
			 "starting and ending with an alphanumeric character", ns);
	return EXIT_USAGE;
}

int spec_args_parse(struct spec_args *sa, int argc, char **argv, const struct command *cmd,
		    struct arena *a, bool allow_output, bool need_app)
{
	static const struct option longs[] = {
		{ "files", required_argument, NULL, 'f' },
		{ "file", required_argument, NULL, 'f' },
		{ "app", required_argument, NULL, 'a' },
		{ "application", required_argument, NULL, 'a' },
		{ "namespace", required_argument, NULL, 'n' },
		{ "output-dir", required_argument, NULL, 'O' },
		{ "stdout", no_argument, NULL, OPT_STDOUT },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "provider", required_argument, NULL, OPT_PROVIDER },
		{ "gateway-channel", required_argument, NULL, OPT_CHANNEL },
		{ "profile", required_argument, NULL, 'p' },
		{ "image-pull-secret", required_argument, NULL, OPT_PULL_SECRET },
		{ "allow-outside-files", no_argument, NULL, OPT_ALLOW_OUTSIDE },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "diagnostics", required_argument, NULL, OPT_DIAGNOSTICS },
		{ "allow", required_argument, NULL, OPT_ALLOW },
		{ "output", required_argument, NULL, 'o' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "jobs", required_argument, NULL, OPT_JOBS },
		{ NULL, 0, NULL, 0 },
	};
	memset(sa, 0, sizeof(*sa));
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":f:a:n:O:p:P:o:qvh", longs, NULL)) != -1) {
		switch (c) {
		case 'f': {
			/* HyScale accepts -f a.hspec,b.hspec as well as repeated -f. */
			const char *p = optarg;
			for (;;) {
				const char *comma = strchr(p, ',');
				size_t l = comma ? (size_t)(comma - p) : strlen(p);
				if (l)
					*ARENA_PUSH(a, sa->files, sa->nfiles, sa->files_cap) = arena_strndup(a, p, l);
				if (!comma)
					break;
				p = comma + 1;
			}
			break;
		}
		case 'p': {
			/* HyScale's docs promise -p a,b; its code only took repeated -p. Both work here. */
			const char *p = optarg;
			for (;;) {
				const char *comma = strchr(p, ',');
				size_t l = comma ? (size_t)(comma - p) : strlen(p);
				if (l)
					*ARENA_PUSH(a, sa->opts.profiles, sa->opts.nprofiles, sa->profiles_cap) =
						arena_strndup(a, p, l);
				if (!comma)
					break;
				p = comma + 1;
			}
			break;
		}
		case 'P':
			sa->opts.profile_env = optarg;
			break;
		case OPT_ALLOW_OUTSIDE:
			sa->opts.allow_outside_files = true;
			break;
		case OPT_PULL_SECRET:
			if (!is_dns_subdomain(optarg)) {
				usage_error(cmd, "--image-pull-secret '%s' is not a valid Secret name", optarg);
				return EXIT_USAGE;
			}
			sa->opts.pull_secret = optarg;
			break;
		case 'a':
			sa->opts.app = optarg;
			break;
		case 'n':
			sa->opts.ns = optarg;
			break;
		case 'O':
			if (!allow_output)
				goto bad;
			if (!*optarg) {
				/* An unset variable in a script (-O "$OUT") would write to /<service>. */
				usage_error(cmd, "-O needs a folder; it was given an empty one");
				return EXIT_USAGE;
			}
			sa->out_dir = optarg;
			break;
		case OPT_STDOUT:
			if (!allow_output)
				goto bad;
			sa->to_stdout = true;
			break;
		case OPT_STRICT:
			sa->opts.strict = true;
			break;
		case OPT_PROVIDER:
			if (!provider_find(optarg)) {
				usage_error(cmd, "unknown provider '%s'; supported: %s%s", optarg, provider_names(a),
					    did_you_mean(a, optarg, opt_values_of("provider")));
				return EXIT_USAGE;
			}
			sa->opts.provider = optarg;
			break;
		case OPT_CHANNEL:
			if (!strcmp(optarg, "experimental"))
				sa->opts.gateway_experimental = true;
			else if (strcmp(optarg, "standard")) {
				usage_error(cmd, "--gateway-channel takes standard or experimental, not '%s'%s", optarg,
					    did_you_mean(a, optarg, opt_values_of("gateway-channel")));
				return EXIT_USAGE;
			}
			break;
		case 'q':
			sa->quiet = true;
			break;
		case 'v':
			sa->verbose = true;
			break;
		case OPT_JOBS: {
			if (cmd->run != cmd_generate)
				goto bad;
			char *end;
			long j = strtol(optarg, &end, 10);
			if (end == optarg || *end || j < 1 || j > HS_MAX_JOBS) {
				usage_error(cmd, "--jobs takes a number of threads from 1 to %d, not '%s'", HS_MAX_JOBS, optarg);
				return EXIT_USAGE;
			}
			sa->jobs = (unsigned)j;
			break;
		}
		case 'o':
			if (cmd->run != cmd_generate)
				goto bad;
			if (!strcmp(optarg, "json"))
				sa->json = true;
			else if (strcmp(optarg, "yaml")) {
				usage_error(cmd, "-o takes yaml or json, not '%s'%s", optarg,
					    did_you_mean(a, optarg, (const char *const[]){ "yaml", "json", NULL }));
				return EXIT_USAGE;
			}
			break;
		case OPT_DIAGNOSTICS:
			/* Machine formats are for the commands that only read specs (generate, validate). */
			if (cmd->run != cmd_generate && cmd->run != cmd_validate)
				goto bad;
			if (!diag_output_parse(optarg, &sa->diag_out)) {
				usage_error(cmd, "--diagnostics takes text, json or sarif, not '%s'%s", optarg,
					    did_you_mean(a, optarg, (const char *const[]){ "text", "json", "sarif", NULL }));
				return EXIT_USAGE;
			}
			break;
		case OPT_ALLOW: {
			if (cmd->run != cmd_generate && cmd->run != cmd_validate)
				goto bad;
			const char *p = optarg;
			for (;;) {
				size_t l = strcspn(p, ",");
				const char *code = arena_strndup(a, p, l);
				if (l && !diag_code_find(code)) {
					usage_error(cmd, "--allow: '%s' is not a diagnostic code (HS followed by four digits; "
							 "see README \"Diagnostic codes\")", code);
					return EXIT_USAGE;
				}
				if (l)
					*ARENA_PUSH(a, sa->allow, sa->nallow, sa->allow_cap) = code;
				if (!p[l])
					break;
				p += l + 1;
			}
			break;
		}
		case 'h':
			sa->help = true;
			return EXIT_OK;
		default:
		bad:
			return usage_getopt(cmd, c, argv);
		}
	}
	if (usage_leftover(cmd, argc, argv) != EXIT_OK)
		return EXIT_USAGE;
	size_t stdins = 0;
	for (size_t i = 0; i < sa->nfiles; i++)
		stdins += !strcmp(sa->files[i], "-");
	for (size_t i = 0; i < sa->opts.nprofiles; i++)
		stdins += !strcmp(sa->opts.profiles[i], "-");
	if (stdins > 1) {
		usage_error(cmd, "'-' (standard input) can be given only once");
		return EXIT_USAGE;
	}
	if (sa->nfiles == 0) {
		usage_error(cmd, "missing required option -f <service>.hspec");
		return EXIT_USAGE;
	}
	if (!sa->opts.app && need_app) {
		usage_error(cmd, "missing required option -a <app>");
		return EXIT_USAGE;
	}
	if (sa->opts.app && !app_name_ok(sa->opts.app)) {
		usage_error(cmd, "application name \"%s\" is invalid: it must consist of lower case alphanumeric "
				 "characters or '-', 2 to 30 of them", sa->opts.app);
		return EXIT_USAGE;
	}
	if (usage_namespace(cmd, sa->opts.ns) != EXIT_OK)
		return EXIT_USAGE;
	if (sa->opts.nprofiles && sa->opts.profile_env) {
		usage_error(cmd, "-p and -P cannot be used together");
		return EXIT_USAGE;
	}
	if (sa->opts.profile_env && !profile_env_ok(sa->opts.profile_env)) {
		usage_error(cmd, "-P \"%s\" is not a profile name: 2 to 30 letters, digits or '-' (it names files <env>-<service>.hprof)",
			    sa->opts.profile_env);
		return EXIT_USAGE;
	}
	if (sa->quiet && sa->verbose) {
		usage_error(cmd, "-q and -v cannot be used together");
		return EXIT_USAGE;
	}
	if (sa->out_dir && sa->to_stdout) {
		usage_error(cmd, "-O and --stdout cannot be used together");
		return EXIT_USAGE;
	}
	return EXIT_OK;
}
