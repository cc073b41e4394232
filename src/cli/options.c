/* The option table and what is written from it: help, man page, completions (options.h). */
#include "options.h"
#include <stdlib.h>
#include <string.h>
#include "../providers/provider.h"
#include "../util/arena.h"
#include "../util/diag.h"
#include "../util/sbuf.h"

static const char *const v_channel[] = { "standard", "experimental", NULL };
static const char *const v_gen_output[] = { "yaml", "json", NULL };
static const char *const v_json[] = { "json", NULL };
static const char *const v_diag[] = { "text", "json", "sarif", NULL };

static const char *const *provider_words(void)
{
	static const char *names[64];
	if (!names[0]) {
		size_t n = 0;
		for (const struct provider *const *p = provider_table(); *p && n < 63; p++)
			names[n++] = (*p)->name;
		names[n] = NULL;
	}
	return names;
}

static const char *const *diag_code_words(void)
{
	static const char **codes;
	if (!codes) {
		size_t n = 0;
		for (const struct diag_code *c = diag_codes(); c->code; c++)
			n++;
		codes = calloc(n + 1, sizeof(*codes));
		if (!codes)
			return v_json + 1; /* an empty list */
		for (size_t i = 0; i < n; i++)
			codes[i] = diag_codes()[i].code;
	}
	return codes;
}

#define LIST(v) OV_LIST, v, NULL
static const struct opt_doc opts[] = {
	{ OG_SERVICES, 's', "service", "SVC", "service name; repeat, or separate with commas (required)", OV_WORD, NULL, NULL },
	{ OG_GENERATE | OG_DEPLOY | OG_DIFF, 'a', "app", "APP", "application name: 2-30 of [a-z0-9-] (required)", OV_WORD, NULL, NULL },
	{ OG_VALIDATE, 'a', "app", "APP", "application name (default: app)", OV_WORD, NULL, NULL },
	{ OG_TARGET, 'a', "app", "APP", "application name (required)", OV_WORD, NULL, NULL },
	{ OG_TARGET, 'n', "namespace", "NS", "namespace (default: the context's, else default)", OV_WORD, NULL, NULL },
	{ OG_GENERATE, 'O', "output-dir", "DIR", "write DIR/<service>/<kind>.yaml instead of the default\n"
	  "~/hyscale/apps/<app>/<service>/generated-files/manifests/; the app's\n"
	  "shared Gateway (gateway, istio) goes to the folder _gateway-<env>\n"
	  "(without HOME, -O or --stdout is required)", OV_DIR, NULL, NULL },
	{ OG_GENERATE, 0, "stdout", NULL, "write one multi-document YAML stream in apply order", OV_NONE, NULL, NULL },
	{ OG_GENERATE, 'o', "output", "FMT", "yaml (default) or json: <kind>.json files; with --stdout one\n"
	  "JSON List of every object, in apply order", LIST(v_gen_output) },
	{ OG_GENERATE, 0, "jobs", "N", "render services on N threads (default: the number of cores;\n"
	  "1: one after the other; not with -p); output and messages are the same", OV_WORD, NULL, NULL },
	{ OG_GENERATE, 'v', "verbose", NULL, "name every file written, on stderr; every repeated warning\n"
	  "in full", OV_NONE, NULL, NULL },
	{ OG_VALIDATE, 'v', "verbose", NULL, "name every valid spec and its service, on stderr; every\n"
	  "repeated warning in full", OV_NONE, NULL, NULL },
	{ OG_DEPLOY, 0, "timeout", "DURATION", "bound on the command and the rollout wait: 300, 90s, 5m, 1h\n"
	  "(default 5m)", OV_WORD, NULL, NULL },
	{ OG_TARGET | OG_DIFF, 0, "timeout", "DURATION", "bound on the whole command: 300, 90s, 5m, 1h (default 5m)", OV_WORD, NULL, NULL },
	{ OG_DEPLOY | OG_TARGET, 'o', "output", "json", "print the result as JSON", LIST(v_json) },
	{ OG_CLUSTER, 0, "context", "NAME", "kubeconfig context (default: the current context)", OV_WORD, NULL, NULL },
	{ OG_DEPLOY | OG_DIFF, 0, "force-conflicts", NULL, "take over fields another field manager owns", OV_NONE, NULL, NULL },
	{ OG_DEPLOY, 0, "dry-run", "=server", "the API server validates and merges every object (dryRun=All);\n"
	  "nothing is stored, no rollout is waited for, prune is listed", OV_NONE, NULL, NULL },
	{ OG_UNDEPLOY, 0, "wait", "=false", "return once the deletions are accepted (default: wait until gone)", OV_NONE, NULL, NULL },
	{ OG_DEPLOY, 0, "no-registry-secret", NULL, "do not create the image pull Secret from your Docker credentials", OV_NONE, NULL, NULL },
	{ OG_CLUSTER, 'v', "verbose", NULL, "print every API request and its status on stderr; deploy and\n"
	  "diff: every repeated warning in full", OV_NONE, NULL, NULL },
	{ OG_TARGET, 'q', "quiet", NULL, "print errors and the requested output only (no progress)", OV_NONE, NULL, NULL },
	{ OG_DIAG, 0, "diagnostics", "FMT", "text (default), json or sarif (SARIF 2.1.0), on stderr", LIST(v_diag) },
	{ OG_DIAG, 0, "allow", "CODE", "drop warnings with this code (e.g. HS3047), also under --strict;\n"
	  "repeat, or separate with commas", OV_LIST, NULL, diag_code_words },
	{ OG_SPEC, 'f', "files", "FILE", "service spec (.hspec); repeat, or separate with commas;\n"
	  "- reads standard input (named <stdin> in messages)", OV_HSPEC, NULL, NULL },
	{ OG_SPEC, 'p', "profile", "FILE", "profile (.hprof) for the service it overrides; repeat, or commas", OV_HPROF, NULL, NULL },
	{ OG_SPEC, 'P', NULL, "ENV", "use <ENV>-<service>.hprof beside each spec or in its profiles/", OV_WORD, NULL, NULL },
	{ OG_SPEC, 0, "image-pull-secret", "NAME", "pods pull their images with this existing Secret", OV_WORD, NULL, NULL },
	{ OG_SPEC, 'n', "namespace", "NS", "namespace of the objects (default: none written, references\n"
	  "namespace-relative; deploy: the context's, else default)", OV_WORD, NULL, NULL },
	{ OG_SPEC, 0, "provider", "NAME", "render loadBalancer with this provider instead of the spec's", OV_LIST, NULL, provider_words },
	{ OG_SPEC, 0, "gateway-channel", "C", "standard (default) or experimental: Gateway API CRDs installed", LIST(v_channel) },
	{ OG_SPEC, 0, "strict", NULL, "treat warnings as errors", OV_NONE, NULL, NULL },
	{ OG_SPEC, 0, "allow-outside-files", NULL, "let file(...) props and k8sSnippets read files outside\n"
	  "the folder they are relative to (still only regular files)", OV_NONE, NULL, NULL },
	{ OG_SPEC, 'q', "quiet", NULL, "print diagnostics and the requested output only (no progress)", OV_NONE, NULL, NULL },
	{ OG_ALL, 'h', "help", NULL, "this help", OV_NONE, NULL, NULL },
	{ 0, 0, NULL, NULL, NULL, OV_NONE, NULL, NULL },
};

const struct opt_doc *option_table(void) { return opts; }

const char *const *opt_values(const struct opt_doc *o) { return o->values ? o->values : o->values_fn ? o->values_fn() : NULL; }

const char *const *opt_values_of(const char *long_name)
{
	for (const struct opt_doc *o = opts; o->groups; o++)
		if (o->long_name && !strcmp(o->long_name, long_name) && opt_values(o))
			return opt_values(o);
	static const char *const none[] = { NULL };
	return none;
}

static bool takes(const struct command *c, const struct opt_doc *o) { return (o->groups & (c->opts | OG_ALL)) != 0; }

/* "  -f, --files FILE" as --help shows it. */
static void opt_head(struct sbuf *sb, const struct opt_doc *o)
{
	sb_adds(sb, "  ");
	if (o->short_name)
		sb_addf(sb, "-%c%s", o->short_name, o->long_name ? ", " : "");
	else
		sb_adds(sb, "    ");
	if (o->long_name)
		sb_addf(sb, "--%s", o->long_name);
	if (o->arg)
		sb_addf(sb, " %s", o->arg);
}

const char *command_help(const struct command *c)
{
	struct sbuf sb = SBUF_INIT;
	sb_addf(&sb, "usage: hyscale %s\n\n%s\nOptions:\n", c->usage, c->about);
	for (const struct opt_doc *o = opts; o->groups; o++) {
		if (!takes(c, o))
			continue;
		size_t start = sb.len;
		opt_head(&sb, o);
		size_t w = sb.len - start;
		sb_addf(&sb, "%*s", w < 26 ? (int)(26 - w) : 2, "");
		for (const char *p = o->help; *p; p++) {
			sb_addc(&sb, *p);
			if (*p == '\n')
				sb_addf(&sb, "%26s", "");
		}
		sb_addc(&sb, '\n');
	}
	sb_addf(&sb, "\nExamples:\n%s\n%s", c->examples, c->exits);
	return sb_str(&sb); /* kept for the run: the command table points at it */
}

const char *const *command_option_names(const struct command *c, struct arena *a)
{
	const char **names = NULL;
	size_t n = 0, cap = 0;
	for (const struct opt_doc *o = opts; o->groups; o++) {
		if (!takes(c, o))
			continue;
		if (o->short_name)
			*ARENA_PUSH(a, names, n, cap) = arena_printf(a, "-%c", o->short_name);
		if (o->long_name)
			*ARENA_PUSH(a, names, n, cap) = arena_printf(a, "--%s", o->long_name);
	}
	*ARENA_PUSH(a, names, n, cap) = NULL;
	return names;
}

/* roff: a backslash is \e, a '-' in an option \-, and a line may not start with . or '. */
static void roff(FILE *out, const char *s)
{
	bool bol = true;
	for (; *s; s++) {
		if (bol && (*s == '.' || *s == '\''))
			fputs("\\&", out);
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s == '-')
			fputs("\\-", out);
		else
			fputc(*s, out);
		bol = *s == '\n';
	}
}

void write_man_page(FILE *out)
{
	fputs(".TH HYSCALE 1 \"\" \"hyscale " HS_VERSION "\" \"User Commands\"\n.SH NAME\nhyscale \\- turn HyScale service "
	      "specs into current Kubernetes manifests\n.SH SYNOPSIS\n", out);
	for (const struct command *c = command_table(); c->words; c++) {
		fputs(".B hyscale\n", out);
		roff(out, c->usage);
		fputs("\n.br\n", out);
	}
	fputs(".SH DESCRIPTION\nhyscale reads HyScale service specs (.hspec) and profiles (.hprof) and writes current "
	      "Kubernetes manifests, with one loadBalancer block rendered for every Layer\\-7 provider; it also deploys "
	      "them with server\\-side apply, reports their status and removes them.\n.SH COMMANDS\n", out);
	for (const struct command *c = command_table(); c->words; c++) {
		fputs(".SS \"hyscale ", out);
		roff(out, c->words);
		fputs("\"\n", out);
		roff(out, c->about);
		fputs("\n", out);
		for (const struct opt_doc *o = opts; o->groups; o++) {
			if (!takes(c, o))
				continue;
			struct sbuf h = SBUF_INIT;
			opt_head(&h, o);
			fputs(".TP\n.B ", out);
			roff(out, sb_str(&h) + 2);
			fputc('\n', out);
			sb_release(&h);
			for (const char *p = o->help; *p; p++)
				if (*p == '\n')
					fputc(' ', out);
				else if (*p == '-')
					fputs("\\-", out);
				else if (*p == '\\')
					fputs("\\e", out);
				else
					fputc(*p, out);
			fputc('\n', out);
		}
		fputs(".PP\nExamples:\n.PP\n.nf\n", out);
		roff(out, c->examples);
		fputs(".fi\n.PP\n", out);
		roff(out, c->exits);
	}
	fputs(".SH EXIT STATUS\n0 success, 1 a spec was rejected, 2 usage error, 3 output not written, 4 internal error, "
	      "5 cluster error (refused, unreachable, rollout failed), 130 interrupted.\n"
	      ".SH ENVIRONMENT\n.TP\n.B KUBECONFIG\nkubeconfig files (colon\\-separated), as kubectl reads them\n"
	      ".SH SEE ALSO\n.BR kubectl (1)\n", out);
}
