/* Entry point: finds the command in the table from the leading words of argv. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "../providers/provider.h"
#include "../util/arena.h"
#include "options.h"

/* The commands. Their options are in options.c (by group); --help, the man page and the
 * completions are written from both tables. */
static struct command commands[] = {
	{ "generate service manifests", "manifest", "write Kubernetes manifests for services",
	  "generate service manifests -f <svc>.hspec [-f ...] -a <app> [options]",
	  "Reads HyScale service specs and writes current Kubernetes manifests: a Deployment and a\n"
	  "Service for each service, and for a loadBalancer block the objects of its provider.\n"
	  "All specs are checked first; on any error nothing is written. Existing manifests are\n"
	  "replaced only when the whole run succeeds, and only in folders hyscale wrote (they hold\n"
	  "a .hyscale marker); one run at a time writes to an output folder (.hyscale.lock).\n",
	  OG_GENERATE | OG_DIAG | OG_SPEC,
	  "  hyscale generate service manifests -f web.hspec -a shop\n"
	  "  hyscale generate service manifests -f web.hspec,api.hspec -a shop -P prod -O out/\n"
	  "  hyscale generate service manifests -f web.hspec -a shop -n shop --stdout | kubectl apply -f -\n"
	  "  envsubst < web.hspec | hyscale generate service manifests -f - -a shop --stdout -o json\n",
	  "Exit codes: 0 written, 1 a spec was rejected, 2 usage error, 3 output could not be\n"
	  "written, 4 internal error.\n",
	  cmd_generate, NULL },
	{ "validate service", "services", "check service specs, write nothing",
	  "validate service -f <svc>.hspec [-f ...] [-a <app>] [options]",
	  "Runs every check of the specs, profiles and providers (every provider limitation too)\n"
	  "without building any object, and prints all diagnostics as\n"
	  "file:line:col: severity: field: message. Writes nothing. k8sSnippets are read but\n"
	  "merged (and their merge checked) only by generate.\n",
	  OG_VALIDATE | OG_DIAG | OG_SPEC,
	  "  hyscale validate service -f web.hspec\n"
	  "  hyscale validate service -f web.hspec --provider istio --strict --allow HS3047\n"
	  "  hyscale validate service -f web.hspec --diagnostics=sarif 2> hyscale.sarif\n",
	  "Exit codes: 0 valid, 1 a spec was rejected, 2 usage error.\n",
	  cmd_validate, NULL },
	{ "deploy service", "services", "apply services to a cluster and print their URLs",
	  "deploy service -f <svc>.hspec [-f ...] -a <app> [-n <namespace>] [options]",
	  "Validates and generates as 'generate' does, then, with server-side apply (field manager\n"
	  "hyscale): creates the namespace if missing, applies every object in order (saying\n"
	  "created, configured or unchanged), waits for the rollout as 'kubectl rollout status'\n"
	  "judges it, then deletes the objects of the service (found by its hyscale.io labels, from\n"
	  "any environment, HyScale's included) that the spec no longer produces, listing them;\n"
	  "PersistentVolumeClaims and objects another workload still uses are never deleted. With\n"
	  "an HorizontalPodAutoscaler, spec.replicas is left to it (not applied). Prints the\n"
	  "service address and URLs.\n"
	  "\n"
	  "Cluster access: $KUBECONFIG (colon-separated list) or ~/.kube/config; in a pod, its\n"
	  "service account. Without -n, the context's namespace, else default.\n"
	  "\n"
	  "A new pod in CrashLoopBackOff, ImagePullBackOff or another back-off fails the deploy when\n"
	  "it stays so for 120 s (HYSCALE_BACKOFF_GRACE, seconds); a Deployment past its\n"
	  "progressDeadlineSeconds fails at once; old pods never decide the rollout.\n",
	  OG_DEPLOY | OG_CLUSTER | OG_SPEC,
	  "  hyscale deploy service -f web.hspec -a shop -n shop\n"
	  "  hyscale deploy service -f web.hspec -a shop -n shop --dry-run=server\n"
	  "  hyscale deploy service -f web.hspec -a shop -P prod --context prod --timeout 10m -o json\n",
	  "Exit codes: 0 deployed (or dry run accepted), 1 a spec was rejected, 2 usage error, 5 the\n"
	  "cluster refused, could not be reached, or the rollout failed or timed out, 130 interrupted.\n",
	  cmd_deploy, NULL },
	{ "diff service", "services", "show what a deploy would change, as kubectl diff",
	  "diff service -f <svc>.hspec [-f ...] -a <app> [-n <namespace>] [options]",
	  "Validates and generates as 'deploy' does, sends every object to the API server as a\n"
	  "server-side dry-run apply (nothing is stored), and prints a unified diff (diff -u) of\n"
	  "each live object against the object the apply would make; objects a deploy would prune\n"
	  "show as removed. metadata.managedFields is left out, as kubectl diff leaves it out.\n",
	  OG_DIFF | OG_CLUSTER | OG_SPEC,
	  "  hyscale diff service -f web.hspec -a shop -n shop\n"
	  "  hyscale diff service -f web.hspec -a shop -P prod --context prod > deploy.diff\n",
	  "Exit codes: 0 no differences, 1 differences (kubectl diff's codes, unlike generate's),\n"
	  "2 usage error or a spec was rejected, 5 the cluster refused or could not be reached,\n"
	  "130 interrupted.\n",
	  cmd_diff, NULL },
	{ "undeploy service", "services", "delete what deploy applied for services",
	  "undeploy service -s <svc> [-s ...] -a <app> [-n <namespace>] [options]",
	  "Deletes the objects of each service, found by their hyscale.io labels kind by kind (and\n"
	  "the kinds recorded on any of them), routes first, and waits until they are gone.\n"
	  "PersistentVolumeClaims are kept and listed: they hold data.\n",
	  OG_SERVICES | OG_TARGET | OG_CLUSTER | OG_UNDEPLOY,
	  "  hyscale undeploy service -s web -a shop -n shop\n"
	  "  hyscale undeploy service -s web,api -a shop -n shop --wait=false\n",
	  "Exit codes: 0 done (also when nothing was deployed), 2 usage error, 5 cluster error\n"
	  "or the objects were not gone within --timeout.\n",
	  cmd_undeploy_service, NULL },
	{ "undeploy app", NULL, "delete every service of an app",
	  "undeploy app -a <app> [-n <namespace>] [options]",
	  "Undeploys every service of the app in the namespace, as 'undeploy service' does.\n"
	  "PersistentVolumeClaims and the namespace are kept.\n",
	  OG_TARGET | OG_CLUSTER | OG_UNDEPLOY,
	  "  hyscale undeploy app -a shop -n shop\n",
	  "Exit codes: 0 done, 2 usage error, 5 cluster error or not gone within --timeout.\n",
	  cmd_undeploy_app, NULL },
	{ "get service status", NULL, "status, address and URLs of deployed services",
	  "get service status -s <svc> [-s ...] -a <app> [-n <namespace>] [-o json]",
	  "Prints SERVICE NAME, STATUS (Running, Not Running, Scaling Down, Failed, Not Deployed),\n"
	  "AGE, SERVICE ADDRESS, SERVICE URL and MESSAGE (why a service is not running).\n",
	  OG_SERVICES | OG_TARGET | OG_CLUSTER,
	  "  hyscale get service status -s web -a shop -n shop\n"
	  "  hyscale get service status -s web,api -a shop -n shop -o json\n",
	  "Exit codes: 0 status printed (whatever it is), 2 usage error, 5 cluster error.\n",
	  cmd_status_service, NULL },
	{ "get app status", NULL, "status of every service of an app",
	  "get app status -a <app> [-n <namespace>] [-o json]",
	  "As 'get service status', for every service of the app in the namespace.\n",
	  OG_TARGET | OG_CLUSTER,
	  "  hyscale get app status -a shop -n shop\n",
	  "Exit codes: 0 status printed, 2 usage error, 5 cluster error.\n",
	  cmd_status_app, NULL },
	{ "schema", NULL, "print the JSON Schema of service specs or profiles (for editors)",
	  "schema [service|profile]",
	  "Prints the JSON Schema (draft 2020-12) of .hspec files (service, the default) or of\n"
	  ".hprof files (profile), made from the field table hyscale's reader uses: every field\n"
	  "with its description, type, allowed values, pattern and default.\n",
	  OG_SCHEMA,
	  "  hyscale schema > hspec.schema.json\n"
	  "  # first line of web.hspec, for yaml-language-server (VS Code, Neovim, Helix...):\n"
	  "  # yaml-language-server: $schema=./hspec.schema.json\n",
	  "Exit codes: 0 printed, 2 usage error, 3 standard output could not be written.\n",
	  cmd_schema, NULL },
	{ "completion", NULL, "print a shell completion script (bash, zsh, fish)",
	  "completion bash|zsh|fish",
	  "Prints the completion script for the shell: commands, options and their values\n"
	  "(providers, output formats, .hspec and .hprof files). Installed packages put them where\n"
	  "each shell finds them.\n",
	  OG_SCHEMA,
	  "  hyscale completion bash > ~/.local/share/bash-completion/completions/hyscale\n"
	  "  hyscale completion zsh > \"${fpath[1]}/_hyscale\"\n"
	  "  hyscale completion fish > ~/.config/fish/completions/hyscale.fish\n",
	  "Exit codes: 0 printed, 2 usage error.\n",
	  cmd_completion, NULL },
	{ "man", NULL, "print the manual page hyscale(1) in roff",
	  "man",
	  "Prints the manual page: every command with its options, examples and exit codes, from\n"
	  "the same tables as --help.\n",
	  OG_SCHEMA,
	  "  hyscale man | man -l -\n",
	  "Exit codes: 0 printed.\n",
	  cmd_man, NULL },
	{ NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL },
};

const struct command *command_table(void) { return commands; }

static const struct command *current;

void usage_error(const struct command *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("hyscale: error: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	if (cmd)
		fprintf(stderr, "see 'hyscale %s --help'\n", cmd->words);
	else
		fputs("see 'hyscale --help'\n", stderr);
}

static void main_help(FILE *out)
{
	fputs("usage: hyscale <command> [options]\n"
	      "\n"
	      "Turns HyScale service specs (.hspec) into current Kubernetes manifests, with one\n"
	      "loadBalancer block for every Layer-7 provider.\n"
	      "\n"
	      "Commands:\n", out);
	for (const struct command *c = commands; c->words; c++)
		fprintf(out, "  %-28s %s\n", c->words, c->summary);
	fputs("\nProviders (loadBalancer.provider):\n", out);
	for (const struct provider *const *p = provider_table(); *p; p++)
		fprintf(out, "  %-10s %s\n", (*p)->name, (*p)->summary);
	fputs("\nExamples:\n"
	      "  hyscale generate service manifests -f web.hspec -a shop --stdout | kubectl apply -f -\n"
	      "  hyscale validate service -f web.hspec --strict\n"
	      "  hyscale generate --help          the commands of a group\n"
	      "\n  -h, --help       this help; 'hyscale <command> --help' for a command\n"
	      "  -V, --version    print the version\n"
	      "\n"
	      "Exit codes: 0 success, 1 spec rejected, 2 usage error, 3 output not written,\n"
	      "4 internal error, 5 cluster error (refused, unreachable, rollout failed), 130 interrupted.\n", out);
}

/* How many of the command's words argv matches from argv[1]; the last word may also be
 * one of the aliases. *complete is set when every word matched. */
static int match(const struct command *c, int argc, char **argv, bool *complete)
{
	char buf[128];
	snprintf(buf, sizeof(buf), "%s", c->words);
	int i = 1;
	char *save = NULL;
	*complete = false;
	for (char *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save), i++) {
		if (i >= argc)
			return i - 1;
		bool last = !strchr(c->words + (w - buf), ' ');
		bool ok = !strcmp(argv[i], w);
		if (!ok && last && c->aliases) {
			char al[128];
			snprintf(al, sizeof(al), "%s", c->aliases);
			char *s2 = NULL;
			for (char *a = strtok_r(al, " ", &s2); a && !ok; a = strtok_r(NULL, " ", &s2))
				ok = !strcmp(argv[i], a);
		}
		if (!ok)
			return i - 1;
	}
	*complete = true;
	return i - 1;
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		main_help(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("hyscale %s\n", HS_VERSION);
		return EXIT_OK;
	}
	int best = 0;
	for (struct command *c = commands; c->words; c++) {
		bool complete;
		int m = match(c, argc, argv, &complete);
		if (complete) {
			current = c;
			c->help = command_help(c);
			return c->run(argc - m, argv + m, c);
		}
		if (m > best)
			best = m;
	}
	/* A group such as "hyscale generate": show what it holds, as HyScale does; with --help
	 * that is the answer (exit 0), otherwise the command is incomplete (exit 2). */
	if (best > 0) {
		bool help = best + 1 < argc && (!strcmp(argv[best + 1], "--help") || !strcmp(argv[best + 1], "-h"));
		FILE *out = help ? stdout : stderr;
		if (help)
			fprintf(out, "Commands starting with '%s':\n", argv[1]);
		else
			fprintf(out, "hyscale: error: incomplete or unknown command; commands starting with '%s':\n", argv[1]);
		for (const struct command *c = commands; c->words; c++) {
			bool complete;
			if (match(c, argc, argv, &complete) == best)
				fprintf(out, "  hyscale %-28s %s\n", c->words, c->summary);
		}
		if (help)
			fputs("\n'hyscale <command> --help' shows a command's options and examples.\n", out);
		return help ? EXIT_OK : EXIT_USAGE;
	}
	/* generat → generate: the first words of the commands, and help/version. */
	struct arena a;
	arena_init(&a);
	const char **firsts = NULL;
	size_t n = 0, cap = 0;
	for (const struct command *c = commands; c->words; c++)
		*ARENA_PUSH(&a, firsts, n, cap) = arena_strndup(&a, c->words, strcspn(c->words, " "));
	*ARENA_PUSH(&a, firsts, n, cap) = "help";
	*ARENA_PUSH(&a, firsts, n, cap) = "version";
	*ARENA_PUSH(&a, firsts, n, cap) = NULL;
	usage_error(NULL, "unknown command '%s'%s", argv[1], did_you_mean(&a, argv[1], firsts));
	arena_free(&a);
	return EXIT_USAGE;
}
