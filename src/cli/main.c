/* Entry point: finds the command in the table from the leading words of argv. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "../providers/provider.h"

#define COMMON_SPEC_OPTIONS \
	"  -f, --files FILE        service spec (.hspec); repeat, or separate with commas\n" \
	"  -p, --profile FILE      profile (.hprof) for the service it overrides; repeat, or commas\n" \
	"  -P ENV                  use <ENV>-<service>.hprof beside each spec or in its profiles/\n" \
	"      --image-pull-secret NAME  pods pull their images with this existing Secret\n" \
	"  -n, --namespace NS      namespace of the objects (default: none written, references\n" \
	"                          namespace-relative; deploy: the context's, else default)\n" \
	"      --provider NAME     render loadBalancer with this provider instead of the spec's\n" \
	"      --gateway-channel C standard (default) or experimental: Gateway API CRDs installed\n" \
	"      --strict            treat warnings as errors\n" \
	"  -q, --quiet             print diagnostics only\n" \
	"  -h, --help              this help\n"

static const struct command commands[] = {
	{ "generate service manifests", "manifest", "write Kubernetes manifests for services",
	  "usage: hyscale generate service manifests -f <svc>.hspec [-f ...] -a <app> [options]\n"
	  "\n"
	  "Reads HyScale service specs and writes current Kubernetes manifests: a Deployment and a\n"
	  "Service for each service, and for a loadBalancer block the objects of its provider.\n"
	  "All specs are checked first; on any error nothing is written. Existing manifests are\n"
	  "replaced only when the whole run succeeds.\n"
	  "\n"
	  "Options:\n"
	  "  -a, --app APP           application name: 2-30 of [a-z0-9-] (required)\n"
	  "  -O, --output-dir DIR    write DIR/<service>/<kind>.yaml instead of the default\n"
	  "                          ~/hyscale/apps/<app>/<service>/generated-files/manifests/\n"
	  "      --stdout            write one multi-document YAML stream in apply order\n"
	  COMMON_SPEC_OPTIONS
	  "\n"
	  "Exit codes: 0 written, 1 a spec was rejected, 2 usage error, 3 output could not be\n"
	  "written, 4 internal error.\n",
	  cmd_generate },
	{ "validate service", "services", "check service specs, write nothing",
	  "usage: hyscale validate service -f <svc>.hspec [-f ...] [-a <app>] [options]\n"
	  "\n"
	  "Runs every check of the specs, profiles and providers (every provider limitation too)\n"
	  "without building any object, and prints all diagnostics as\n"
	  "file:line:col: severity: field: message. Writes nothing. k8sSnippets are read but\n"
	  "merged (and their merge checked) only by generate.\n"
	  "\n"
	  "Options:\n"
	  "  -a, --app APP           application name (default: app)\n"
	  COMMON_SPEC_OPTIONS
	  "\n"
	  "Exit codes: 0 valid, 1 a spec was rejected, 2 usage error.\n",
	  cmd_validate },
	{ "deploy service", "services", "apply services to a cluster and print their URLs",
	  "usage: hyscale deploy service -f <svc>.hspec [-f ...] -a <app> [-n <namespace>] [options]\n"
	  "\n"
	  "Validates and generates as 'generate' does, then, with server-side apply (field manager\n"
	  "hyscale): creates the namespace if missing, applies every object in order, deletes the\n"
	  "objects an earlier deploy of the service made that the spec no longer produces, waits\n"
	  "for the rollout and prints the service address and URLs.\n"
	  "\n"
	  "Options:\n"
	  "  -a, --app APP           application name: 2-30 of [a-z0-9-] (required)\n"
	  "      --timeout DURATION  rollout wait: 300, 90s, 5m, 1h (default 5m)\n"
	  "  -o, --output json       print the result as JSON\n"
	  "      --context NAME      kubeconfig context (default: the current context)\n"
	  "      --force-conflicts   take over fields another field manager owns\n"
	  "  -v, --verbose           print every API request and its status on stderr\n"
	  COMMON_SPEC_OPTIONS
	  "\n"
	  "Cluster access: $KUBECONFIG (colon-separated list) or ~/.kube/config; in a pod, its\n"
	  "service account. Without -n, the context's namespace, else default.\n"
	  "\n"
	  "Exit codes: 0 deployed, 1 a spec was rejected, 2 usage error, 5 the cluster refused,\n"
	  "could not be reached, or the rollout failed or timed out, 130 interrupted.\n",
	  cmd_deploy },
	{ "undeploy service", "services", "delete what deploy applied for services",
	  "usage: hyscale undeploy service -s <svc> [-s ...] -a <app> [-n <namespace>] [options]\n"
	  "\n"
	  "Deletes the objects deploy applied for each service (the kinds recorded on its workload,\n"
	  "found by hyscale's labels). PersistentVolumeClaims are kept and listed: they hold data.\n"
	  "\n"
	  "Options:\n"
	  "  -s, --service SVC       service name; repeat, or separate with commas (required)\n"
	  "  -a, --app APP           application name (required)\n"
	  "  -n, --namespace NS      namespace (default: the context's, else default)\n"
	  "  -o, --output json       print the result as JSON\n"
	  "      --context NAME      kubeconfig context\n"
	  "  -v, --verbose           print every API request and its status on stderr\n"
	  "\n"
	  "Exit codes: 0 done (also when nothing was deployed), 2 usage error, 5 cluster error.\n",
	  cmd_undeploy_service },
	{ "undeploy app", NULL, "delete every service of an app",
	  "usage: hyscale undeploy app -a <app> [-n <namespace>] [options]\n"
	  "\n"
	  "Undeploys every service of the app in the namespace, as 'undeploy service' does.\n"
	  "PersistentVolumeClaims and the namespace are kept.\n"
	  "\n"
	  "Options:\n"
	  "  -a, --app APP           application name (required)\n"
	  "  -n, --namespace NS      namespace (default: the context's, else default)\n"
	  "  -o, --output json       print the result as JSON\n"
	  "      --context NAME      kubeconfig context\n"
	  "  -v, --verbose           print every API request and its status on stderr\n"
	  "\n"
	  "Exit codes: 0 done, 2 usage error, 5 cluster error.\n",
	  cmd_undeploy_app },
	{ "get service status", NULL, "status, address and URLs of deployed services",
	  "usage: hyscale get service status -s <svc> [-s ...] -a <app> [-n <namespace>] [-o json]\n"
	  "\n"
	  "Prints SERVICE NAME, STATUS (Running, Not Running, Scaling Down, Failed, Not Deployed),\n"
	  "AGE, SERVICE ADDRESS, SERVICE URL and MESSAGE (why a service is not running).\n"
	  "\n"
	  "Options:\n"
	  "  -s, --service SVC       service name; repeat, or separate with commas (required)\n"
	  "  -a, --app APP           application name (required)\n"
	  "  -n, --namespace NS      namespace (default: the context's, else default)\n"
	  "  -o, --output json       print the result as JSON\n"
	  "      --context NAME      kubeconfig context\n"
	  "  -v, --verbose           print every API request and its status on stderr\n"
	  "\n"
	  "Exit codes: 0 status printed (whatever it is), 2 usage error, 5 cluster error.\n",
	  cmd_status_service },
	{ "get app status", NULL, "status of every service of an app",
	  "usage: hyscale get app status -a <app> [-n <namespace>] [-o json]\n"
	  "\n"
	  "As 'get service status', for every service of the app in the namespace.\n"
	  "\n"
	  "Options:\n"
	  "  -a, --app APP           application name (required)\n"
	  "  -n, --namespace NS      namespace (default: the context's, else default)\n"
	  "  -o, --output json       print the result as JSON\n"
	  "      --context NAME      kubeconfig context\n"
	  "  -v, --verbose           print every API request and its status on stderr\n"
	  "\n"
	  "Exit codes: 0 status printed, 2 usage error, 5 cluster error.\n",
	  cmd_status_app },
	{ NULL, NULL, NULL, NULL, NULL },
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
	fputs("\n  -h, --help       this help; 'hyscale <command> --help' for a command\n"
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
	for (const struct command *c = commands; c->words; c++) {
		bool complete;
		int m = match(c, argc, argv, &complete);
		if (complete) {
			current = c;
			return c->run(argc - m, argv + m, c);
		}
		if (m > best)
			best = m;
	}
	/* A group such as "hyscale generate": show what it holds, as HyScale does. */
	if (best > 0) {
		fprintf(stderr, "hyscale: error: incomplete or unknown command; commands starting with '%s':\n", argv[1]);
		for (const struct command *c = commands; c->words; c++) {
			bool complete;
			if (match(c, argc, argv, &complete) == best)
				fprintf(stderr, "  hyscale %-28s %s\n", c->words, c->summary);
		}
	} else {
		usage_error(NULL, "unknown command '%s'", argv[1]);
	}
	return EXIT_USAGE;
}
