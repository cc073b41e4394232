/* `hyscale deploy service`, `undeploy service|app`, `get service|app status`: option
 * parsing, cluster access set-up and output (text or -o json). The work is in src/deploy. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../deploy/deploy.h"
#include "../deploy/jnode.h"
#include "../deploy/registry.h"
#include "../pipeline.h"
#include "../util/names.h"
#include "args.h"
#include "cli.h"

/* Options of the cluster commands that args.c does not know. */
struct cluster_opts {
	const char *context;
	bool json;
	long timeout_ms;
	bool force_conflicts;
	bool verbose;
	bool no_registry_secret;   /* deploy: no image pull Secret from the Docker credentials */
	bool quiet;          /* -q: errors and the requested output only, no progress */
	bool dry_run;        /* deploy --dry-run=server */
	bool no_wait;        /* undeploy --wait=false */
};

/* 300, 90s, 5m, 1h, 1m30s → milliseconds; -1 when malformed. */
static long parse_duration(const char *s)
{
	long total = 0;
	if (!*s)
		return -1;
	while (*s) {
		char *end;
		double v = strtod(s, &end);
		if (end == s || v < 0)
			return -1;
		long mult = 1000;
		if (*end == 'h')
			mult = 3600000, end++;
		else if (*end == 'm' && end[1] == 's')
			mult = 1, end += 2;
		else if (*end == 'm')
			mult = 60000, end++;
		else if (*end == 's')
			end++;
		else if (*end)
			return -1;
		total += (long)(v * (double)mult);
		s = end;
	}
	return total;
}

/* Takes our options out of argv (so args.c sees only its own); returns false on a bad value. */
static bool take_cluster_opts(int *argc, char **argv, struct cluster_opts *co, const struct command *cmd)
{
	int out = 1;
	co->timeout_ms = 5 * 60 * 1000;
	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i], *val = NULL;
		const char *names[] = { "--timeout", "--context", "--output", "-o" };
		int which = -1;
		for (int n = 0; n < 4 && which < 0; n++) {
			size_t l = strlen(names[n]);
			if (!strcmp(a, names[n])) {
				which = n;
				if (i + 1 >= *argc) {
					usage_error(cmd, "option '%s' needs a value", a);
					return false;
				}
				val = argv[++i];
			} else if (!strncmp(a, names[n], l) && a[l] == '=' && n < 3) {
				which = n;
				val = a + l + 1;
			} else if (n == 3 && !strncmp(a, "-o", 2) && a[2]) {
				which = n;
				val = a + 2;
			}
		}
		if (!strcmp(a, "--")) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		if (!strcmp(a, "--force-conflicts")) {
			co->force_conflicts = true;
			continue;
		}
		if (!strcmp(a, "--no-registry-secret") && !strncmp(cmd->words, "deploy", 6)) {
			co->no_registry_secret = true;
			continue;
		}
		if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			co->quiet = true;
			continue;
		}
		/* kubectl's spellings; only where they mean something */
		if (!strncmp(a, "--dry-run", 9) && !strncmp(cmd->words, "deploy", 6)) {
			const char *v = a[9] == '=' ? a + 10 : a[9] ? NULL : "";
			if (v && (!strcmp(v, "server") || !strcmp(v, "none"))) {
				co->dry_run = !strcmp(v, "server");
				continue;
			}
			usage_error(cmd, "--dry-run takes =server (the API server checks every object, nothing is stored)"
					 " or =none, not '%s'", a);
			return false;
		}
		if (!strncmp(a, "--wait", 6) && !strncmp(cmd->words, "undeploy", 8)) {
			const char *v = a[6] == '=' ? a + 7 : a[6] ? NULL : "true";
			if (v && (!strcmp(v, "true") || !strcmp(v, "false"))) {
				co->no_wait = !strcmp(v, "false");
				continue;
			}
			usage_error(cmd, "--wait takes =true or =false, not '%s'", a);
			return false;
		}
		if (!strcmp(a, "-v") || !strcmp(a, "--verbose") || !strcmp(a, "-verbose")) {   /* HyScale's spellings */
			co->verbose = true;
			continue;
		}
		if (which < 0) {
			argv[out++] = argv[i];
			continue;
		}
		if (which == 0) {
			co->timeout_ms = parse_duration(val);
			if (co->timeout_ms <= 0) {
				usage_error(cmd, "--timeout takes a duration such as 300, 90s, 5m or 1h30m, not '%s'", val);
				return false;
			}
		} else if (which == 1) {
			co->context = val;
		} else {
			if (strcmp(val, "json") && strcmp(val, "JSON")) {
				usage_error(cmd, "-o takes json, not '%s'", val);
				return false;
			}
			co->json = true;
		}
	}
	*argc = out;
	argv[out] = NULL;
	return true;
}

static void json_results(const char *key, struct svc_result *rs, size_t n, const char *errkey, const char *error);

/* Loads the kubeconfig (a failure is kept in *cfg_err and reported on connecting, so that
 * spec errors come first) and picks the namespace: -n, else the context's, else default. */
static const char *load_config(struct kube_config *kc, const struct cluster_opts *co, const char *given,
			       struct arena *a, const char **cfg_err)
{
	if (!kubeconfig_load(kc, co->context, a, cfg_err))
		kc->ns = NULL;
	return given ? given : kc->ns && *kc->ns ? kc->ns : HS_DEFAULT_NAMESPACE;
}

static int connect_cluster(struct kube *k, struct kube_config *kc, const struct cluster_opts *co,
			   struct arena *a, const char *cfg_err, const char *json_errkey)
{
	const char *err = cfg_err;
	/* --timeout bounds the whole command: the plugin, every request and retry (see kube.h) */
	kc->deadline_ms = kube_now_ms() + co->timeout_ms;
	kc->timeout_ms = co->timeout_ms;
	if (err || !kube_open(k, kc, a, &err)) {
		if (co->json)
			json_results("serviceStatus", NULL, 0, json_errkey, err);
		fprintf(stderr, "hyscale: error: %s\n", diag_escape(a, err));
		return EXIT_CLUSTER;
	}
	k->verbose = co->verbose;
	kube_catch_interrupt();
	return EXIT_OK;
}

/* {"serviceStatus":[{name, status, age, address, urls, message, exitCode}], <errkey>: "..."};
 * deploy reports errors as HyScale does, under deploymentError. */
static void json_results(const char *key, struct svc_result *rs, size_t n, const char *errkey, const char *error)
{
	struct sbuf sb = SBUF_INIT;
	sb_addf(&sb, "{\"%s\":[", key);
	for (size_t i = 0; i < n; i++) {
		struct svc_result *r = &rs[i];
		sb_adds(&sb, i ? ",{\"name\":" : "{\"name\":");
		json_str(&sb, r->service);
		sb_adds(&sb, ",\"status\":");
		json_str(&sb, r->status);
		if (r->age) {
			sb_adds(&sb, ",\"age\":");
			json_str(&sb, r->age);
		}
		if (r->addr.ip) {
			sb_adds(&sb, ",\"address\":");
			json_str(&sb, r->addr.ip);
		}
		sb_adds(&sb, ",\"urls\":[");
		for (size_t u = 0; u < r->addr.nurls; u++) {
			if (u)
				sb_addc(&sb, ',');
			json_str(&sb, r->addr.urls[u]);
		}
		sb_addc(&sb, ']');
		if (r->message) {
			sb_adds(&sb, ",\"message\":");
			json_str(&sb, r->message);
		}
		if (r->failed)
			sb_addf(&sb, ",\"exitCode\":%d", EXIT_CLUSTER);
		sb_addc(&sb, '}');
	}
	sb_addc(&sb, ']');
	if (error) {
		sb_addf(&sb, ",\"%s\":", errkey);
		json_str(&sb, error);
	}
	sb_adds(&sb, "}\n");
	fputs(sb_str(&sb), stdout);
	sb_release(&sb);
}

/* Addresses, URLs, names and messages come from the cluster: printed escaped (diag_escape). */
static void print_address(struct arena *a, const struct svc_result *r)
{
	if (r->addr.ip)
		printf("  Service IP  : %s\n", diag_escape(a, r->addr.ip));
	for (size_t u = 0; u < r->addr.nurls; u++)
		printf("  %s %s\n", u ? "             " : "Service URL :", diag_escape(a, r->addr.urls[u]));
	if (r->message)
		printf("  Note        : %s\n", diag_escape(a, r->message));
}

static const struct spec *spec_of(struct run *r, const char *service)
{
	for (size_t i = 0; i < r->nfiles; i++)
		if (r->specs[i].name.v && !strcmp(name_normalize(&r->arena, r->specs[i].name.v), service))
			return &r->specs[i];
	return NULL;
}

/* Loads, checks and renders the specs as generate does, keeping the trees the cluster
 * commands apply; prints the diagnostics and, when the run fails, the summary. */
static bool render_specs(struct run *r, const struct spec_args *sa, bool verbose, const char *nothing_was)
{
	run_init(r, &sa->opts);
	r->keep_trees = true;
	run_pipeline(r, sa->files, sa->nfiles, true);
	r->diags.all = verbose;
	diags_print(&r->diags, stderr);
	if (!diags_failed(&r->diags))
		return true;
	if (r->diags.strict && r->diags.warnings)
		fprintf(stderr, "hyscale: %zu error(s) (%zu of them warnings, errors under --strict); nothing was %s\n",
			r->diags.errors + r->diags.warnings, r->diags.warnings, nothing_was);
	else
		fprintf(stderr, "hyscale: %zu error(s), %zu warning(s); nothing was %s\n", r->diags.errors,
			r->diags.warnings, nothing_was);
	return false;
}

/* deploy and diff: cluster options, then the spec options; false with *rc when the command
 * ends here (a usage error, or --help printed). */
static bool parse_spec_command(int *argc, char **argv, const struct command *cmd, struct cluster_opts *co,
			       struct spec_args *sa, struct arena *a, int *rc)
{
	*rc = take_cluster_opts(argc, argv, co, cmd) ? spec_args_parse(sa, *argc, argv, cmd, a, false, true) : EXIT_USAGE;
	if (*rc == EXIT_OK && sa->help)
		fputs(cmd->help, stdout);
	return *rc == EXIT_OK && !sa->help;
}

int cmd_deploy(int argc, char **argv, const struct command *cmd)
{
	struct arena a;
	arena_init(&a);
	struct cluster_opts co = { 0 };
	struct spec_args sa;
	int rc;
	if (!parse_spec_command(&argc, argv, cmd, &co, &sa, &a, &rc)) {
		arena_free(&a);
		return rc;
	}
	struct kube_config kc;
	const char *cfg_err = NULL;
	sa.opts.ns = load_config(&kc, &co, sa.opts.ns, &a, &cfg_err);
	/* validate → generate before any cluster access: a spec error never half-deploys */
	struct run r;
	if (!render_specs(&r, &sa, co.verbose, "deployed")) {
		if (co.json)
			json_results("serviceStatus", NULL, 0, "deploymentError", "a spec was rejected; see the diagnostics on stderr");
		run_free(&r);
		arena_free(&a);
		return EXIT_SPEC;
	}
	struct kube k;
	rc = connect_cluster(&k, &kc, &co, &a, cfg_err, "deploymentError");
	if (rc != EXIT_OK) {
		run_free(&r);
		arena_free(&a);
		return rc;
	}
	FILE *log = co.json || co.quiet ? NULL : stdout;
	struct deploy_opts o = { sa.opts.app, sa.opts.ns, co.timeout_ms, 0, co.force_conflicts, co.dry_run,
				 !co.json && isatty(STDOUT_FILENO), log };
	const char *at = getenv("HYSCALE_ADDRESS_TIMEOUT");
	o.address_ms = at && atof(at) >= 0 ? (long)(atof(at) * 1000) : 90000;
	if (log)
		printf("Cluster: %s (context %s, %s)\n", kc.server, kc.context ? diag_escape(&a, kc.context) : "-",
		       diag_escape(&a, kc.source));
	const char *err = NULL;
	struct svc_result *res = arena_alloc(&a, (r.nout + 1) * sizeof(*res));
	size_t nres = 0;
	if (!co.dry_run && !ensure_namespace(&k, &a, sa.opts.ns, log, &err)) {
		if (co.json)
			json_results("serviceStatus", NULL, 0, "deploymentError", err);
		fprintf(stderr, "hyscale: error: %s\n", diag_escape(&a, err));
		rc = kube_interrupted ? EXIT_INTERRUPTED : EXIT_CLUSTER;
		goto out;
	}
	long start = kube_now_ms();
	/* The app's shared entry point first: the routes attach to it, and the address of a
	 * service is its gateway's. */
	struct rendered **shared = arena_alloc(&a, (r.nout + 1) * sizeof(*shared));
	const char **run_services = arena_alloc(&a, (r.nout + 1) * sizeof(*run_services));
	size_t nshared = 0, nrun = 0;
	for (size_t i = 0; i < r.nout; i++) {
		if (r.out[i].shared)
			shared[nshared++] = &r.out[i];
		else
			run_services[nrun++] = r.out[i].service;
	}
	if (log && nshared)
		printf("Deploying the entry point of app %s (namespace %s)%s\n", sa.opts.app, sa.opts.ns,
		       co.dry_run ? " (server dry run: nothing is changed)" : "");
	/* Without it the services' routes would attach to nothing: nothing after it is applied. */
	if (!deploy_entrypoints(&k, &a, &o, shared, nshared, run_services, nrun, &err)) {
		const char *msg = arena_printf(&a, "the entry point of app %s: %s", sa.opts.app, err);
		if (co.json)
			json_results("serviceStatus", NULL, 0, "deploymentError", msg);
		fprintf(stderr, "hyscale: error: %s; no service was deployed\n", msg);
		rc = kube_interrupted ? EXIT_INTERRUPTED : EXIT_CLUSTER;
		goto out;
	}
	for (size_t i = 0; i < r.nout && !kube_interrupted; i++) {
		if (r.out[i].shared)
			continue;
		struct svc_result *one = &res[nres++];
		/* HyScale's pull Secret for the image's registry, unless the user names one or declines */
		if (!co.dry_run && !co.no_registry_secret && !sa.opts.pull_secret &&
		    !registry_secret(&k, &a, &r.out[i], sa.opts.ns, log, &err)) {
			memset(one, 0, sizeof(*one));
			*one = (struct svc_result){ .service = r.out[i].service, .status = "Failed", .failed = true, .message = err };
		} else {
			deploy_service(&k, &a, &r.out[i], spec_of(&r, r.out[i].service), &o, one);
		}
		if (one->failed) {
			if (one->spec_diag)
				fprintf(stderr, "%s\nhyscale: error: %s: the cluster rejected the spec; nothing after it "
						"was applied\n", one->message, diag_escape(&a, one->service));
			else
				fprintf(stderr, "hyscale: error: %s: %s\n", diag_escape(&a, one->service), one->message);   /* the message is escaped where made */
			rc = EXIT_CLUSTER;
		} else if (log && co.dry_run) {
			printf("%s: %s\n", one->service, one->message);
		} else if (log) {
			printf("%s: deployed in %lds\n", one->service, (kube_now_ms() - start) / 1000);
			print_address(&a, one);
		}
	}
	if (kube_interrupted) {
		fputs("hyscale: interrupted; the objects applied so far stay in the cluster "
		      "('hyscale undeploy service' removes them)\n", stderr);
		rc = EXIT_INTERRUPTED;
	}
	if (co.json)
		json_results("serviceStatus", res, nres, NULL, NULL);
out:
	kube_close(&k);
	run_free(&r);
	arena_free(&a);
	return rc;
}

/* `diff service`: exit codes as kubectl diff's (0 same, 1 different, >1 trouble). */
int cmd_diff(int argc, char **argv, const struct command *cmd)
{
	struct arena a;
	arena_init(&a);
	struct cluster_opts co = { 0 };
	struct spec_args sa;
	int rc;
	if (!parse_spec_command(&argc, argv, cmd, &co, &sa, &a, &rc)) {
		arena_free(&a);
		return rc;
	}
	if (co.json) {
		usage_error(cmd, "diff prints a unified diff; -o json is not available");
		arena_free(&a);
		return EXIT_USAGE;
	}
	struct kube_config kc;
	const char *cfg_err = NULL;
	sa.opts.ns = load_config(&kc, &co, sa.opts.ns, &a, &cfg_err);
	struct run r;
	if (!render_specs(&r, &sa, co.verbose, "compared")) {
		run_free(&r);
		arena_free(&a);
		return EXIT_USAGE;   /* 1 means "differences" here */
	}
	struct kube k;
	rc = connect_cluster(&k, &kc, &co, &a, cfg_err, "error");
	if (rc != EXIT_OK) {
		run_free(&r);
		arena_free(&a);
		return rc;
	}
	struct deploy_opts o = { sa.opts.app, sa.opts.ns, co.timeout_ms, 0, co.force_conflicts, true, false, NULL };
	rc = EXIT_OK;
	for (size_t i = 0; i < r.nout && !kube_interrupted; i++) {
		const char *err = NULL;
		if (r.out[i].shared)
			continue;   /* the app's shared entry point: not compared (README) */
		int d = diff_service(&k, &a, &r.out[i], &o, &err);
		if (d < 0) {
			fprintf(stderr, "hyscale: error: %s: %s\n", r.out[i].service, err);
			rc = EXIT_CLUSTER;
			break;
		}
		if (d == 1)
			rc = 1;
	}
	if (kube_interrupted)
		rc = EXIT_INTERRUPTED;
	kube_close(&k);
	run_free(&r);
	arena_free(&a);
	return rc;
}

/* Options of undeploy and get status: -a, -n, -s (repeatable, comma separated). */
struct target_args {
	const char *app, *ns;
	const char **services;
	size_t nservices, cap;
	bool help;
};

static int parse_targets(int argc, char **argv, const struct command *cmd, struct arena *a, struct target_args *t,
			 bool want_services)
{
	static const struct option longs[] = {
		{ "app", required_argument, NULL, 'a' },
		{ "application", required_argument, NULL, 'a' },
		{ "namespace", required_argument, NULL, 'n' },
		{ "service", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	memset(t, 0, sizeof(*t));
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, want_services ? ":a:n:s:h" : ":a:n:h", longs, NULL)) != -1) {
		switch (c) {
		case 'a':
			t->app = optarg;
			break;
		case 'n':
			t->ns = optarg;
			break;
		case 's': {
			if (!want_services)
				goto bad;
			char *list = arena_strdup(a, optarg), *save = NULL;
			for (char *p = strtok_r(list, ",", &save); p; p = strtok_r(NULL, ",", &save))
				*ARENA_PUSH(a, t->services, t->nservices, t->cap) = p;
			break;
		}
		case 'h':
			t->help = true;
			return EXIT_OK;
		default:
		bad:
			return usage_getopt(cmd, c, argv);
		}
	}
	if (usage_leftover(cmd, argc, argv) != EXIT_OK)
		return EXIT_USAGE;
	if (!t->app) {
		usage_error(cmd, "missing required option -a <app>");
		return EXIT_USAGE;
	}
	if (want_services && !t->nservices) {
		usage_error(cmd, "missing required option -s <service>");
		return EXIT_USAGE;
	}
	return usage_namespace(cmd, t->ns);
}

enum target_cmd { UNDEPLOY_SERVICE, UNDEPLOY_APP, STATUS_SERVICE, STATUS_APP };

static void print_table(struct svc_result *rs, size_t n)
{
	const char *head[6] = { "SERVICE NAME", "STATUS", "AGE", "SERVICE ADDRESS", "SERVICE URL", "MESSAGE" };
	struct arena a;
	arena_init(&a);
	const char ***rows = arena_alloc(&a, (n + 1) * sizeof(*rows));
	size_t w[6];
	for (int c = 0; c < 6; c++)
		w[c] = strlen(head[c]);
	for (size_t i = 0; i < n; i++) {
		rows[i] = arena_alloc(&a, 6 * sizeof(char *));
		struct sbuf ub = SBUF_INIT;
		for (size_t u = 0; u < rs[i].addr.nurls; u++)
			sb_join(&ub, ",", rs[i].addr.urls[u]);
		const char *urls = sb_to_arena(&ub, &a);
		const char *cells[6] = { rs[i].service, rs[i].status, rs[i].age ? rs[i].age : "-",
					 rs[i].addr.ip ? rs[i].addr.ip : "-", urls ? urls : "-",
					 rs[i].message ? rs[i].message : "" };
		for (int c = 0; c < 6; c++)
			cells[c] = diag_escape(&a, cells[c]);
		for (int c = 0; c < 6; c++) {
			rows[i][c] = cells[c];
			if (c < 5 && strlen(cells[c]) > w[c])
				w[c] = strlen(cells[c]);
		}
	}
	for (int c = 0; c < 6; c++)
		printf(c < 5 ? "%-*s  " : "%-*s\n", (int)(c < 5 ? w[c] : 0), head[c]);
	for (size_t i = 0; i < n; i++)
		for (int c = 0; c < 6; c++)
			printf(c < 5 ? "%-*s  " : "%-*s\n", (int)(c < 5 ? w[c] : 0), rows[i][c]);
	arena_free(&a);
}

static int run_target(int argc, char **argv, const struct command *cmd, enum target_cmd what)
{
	struct arena a;
	arena_init(&a);
	struct cluster_opts co = { 0 };
	struct target_args t;
	bool services = what == UNDEPLOY_SERVICE || what == STATUS_SERVICE;
	int rc = take_cluster_opts(&argc, argv, &co, cmd) ? parse_targets(argc, argv, cmd, &a, &t, services) : EXIT_USAGE;
	if (rc != EXIT_OK || t.help) {
		if (rc == EXIT_OK)
			fputs(cmd->help, stdout);
		arena_free(&a);
		return rc;
	}
	struct kube_config kc;
	const char *cfg_err = NULL;
	const char *ns = load_config(&kc, &co, t.ns, &a, &cfg_err);
	struct kube k;
	rc = connect_cluster(&k, &kc, &co, &a, cfg_err, "error");
	if (rc != EXIT_OK) {
		arena_free(&a);
		return rc;
	}
	struct svc_result *rs = NULL;
	size_t n = 0;
	const char *err = NULL;
	bool ok;
	FILE *log = co.json || co.quiet ? NULL : stdout;
	struct undeploy_opts uo = { !co.no_wait, co.timeout_ms, log && isatty(STDOUT_FILENO), log };
	if (what == UNDEPLOY_SERVICE || what == UNDEPLOY_APP)
		ok = undeploy(&k, &a, t.app, ns, services ? t.services : NULL, t.nservices, &uo, &rs, &n, &err);
	else
		ok = status_services(&k, &a, t.app, ns, services ? t.services : NULL, t.nservices, &rs, &n, &err);
	if (co.json) {
		json_results("serviceStatus", rs, n, "error", ok ? NULL : err);
	} else if (what == STATUS_SERVICE || what == STATUS_APP) {
		if (n)
			print_table(rs, n);
		else if (ok)
			printf("app %s has no services deployed in namespace %s\n", t.app, ns);
	} else if (!co.quiet) {
		for (size_t i = 0; i < n; i++)
			if (!strcmp(rs[i].status, "Not Deployed"))
				printf("%s\n", diag_escape(&a, rs[i].message));
			else if (!rs[i].failed)
				printf("%s: undeployed\n", diag_escape(&a, rs[i].service));
	}
	if (!ok) {
		fprintf(stderr, "hyscale: error: %s\n", diag_escape(&a, err));
		rc = kube_interrupted ? EXIT_INTERRUPTED : EXIT_CLUSTER;
	}
	kube_close(&k);
	arena_free(&a);
	return rc;
}

int cmd_undeploy_service(int argc, char **argv, const struct command *cmd)
{
	return run_target(argc, argv, cmd, UNDEPLOY_SERVICE);
}
int cmd_undeploy_app(int argc, char **argv, const struct command *cmd)
{
	return run_target(argc, argv, cmd, UNDEPLOY_APP);
}
int cmd_status_service(int argc, char **argv, const struct command *cmd)
{
	return run_target(argc, argv, cmd, STATUS_SERVICE);
}
int cmd_status_app(int argc, char **argv, const struct command *cmd)
{
	return run_target(argc, argv, cmd, STATUS_APP);
}
