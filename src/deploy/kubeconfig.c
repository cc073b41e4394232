/* Kubeconfig loading and exec credential plugins (see kubeconfig.h). */
#include "kubeconfig.h"
#include "../util/digest.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "curl_load.h"
#include "../util/diag.h"
#include "../util/digest.h"
#include "../util/names.h"
#include "jnode.h"

extern char **environ;

struct kfile {
	const char *path, *dir;
	struct fy_document *doc;
};

static const char *dir_of(struct arena *a, const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? arena_strndup(a, path, (size_t)(slash - path) + (slash == path)) : ".";
}

static const char *resolve(struct arena *a, const struct kfile *f, const char *p)
{
	if (!p || !*p || p[0] == '/')
		return p;
	return arena_printf(a, "%s/%s", f->dir, p);
}

/* The first file's entry named name in list key ("clusters", "users", "contexts"). */
static struct fy_node *find_named(struct kfile *fs, size_t n, const char *key, const char *sub,
				  const char *name, struct kfile **from)
{
	for (size_t i = 0; i < n; i++) {
		struct fy_node *list = jget(fy_document_root(fs[i].doc), key);
		for (size_t j = 0; j < jlen(list); j++) {
			const char *nm = jstr(jat(list, j), "name");
			if (nm && !strcmp(nm, name)) {
				*from = &fs[i];
				return jget(jat(list, j), sub);
			}
		}
	}
	return NULL;
}

static const char *sdup(struct arena *a, const char *s) { return s ? arena_strdup(a, s) : NULL; }

const char *kube_token_problem(const char *s)
{
	/* A CR or LF would end the Authorization header and start another one. */
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return "the token contains a control character (a line break?), which cannot go into an HTTP header";
	return NULL;
}

static bool decode_data(struct arena *a, const char *b64, const char **out, size_t *len, const char *what,
			const char **err)
{
	size_t l;
	char *d = base64_decode(b64, &l);
	if (!d) {
		*err = arena_printf(a, "%s is not valid base64", what);
		return false;
	}
	*out = arena_strndup(a, d, l);
	*len = l;
	free(d);
	return true;
}

static bool read_exec(struct kube_config *kc, struct fy_node *ex, const struct kfile *f, struct arena *a,
		      const char **err)
{
	kc->has_exec = true;
	struct kube_exec *e = &kc->exec;
	e->source = f->path;
	e->api_version = sdup(a, jstr(ex, "apiVersion"));
	e->command = sdup(a, jstr(ex, "command"));
	if (!e->command || !*e->command) {
		*err = arena_printf(a, "%s: user '%s': exec.command is missing", f->path, kc->user_name);
		return false;
	}
	if (!e->api_version || (strcmp(e->api_version, "client.authentication.k8s.io/v1") &&
				strcmp(e->api_version, "client.authentication.k8s.io/v1beta1"))) {
		*err = arena_printf(a, "%s: user '%s': exec plugin apiVersion '%s' is not supported "
				       "(use client.authentication.k8s.io/v1 or v1beta1)",
				    f->path, kc->user_name, e->api_version ? e->api_version : "");
		return false;
	}
	const char *mode = jstr(ex, "interactiveMode");
	/* kubectl's rules: v1 must say it, v1beta1 defaults to IfAvailable */
	if (!mode && !strcmp(e->api_version, "client.authentication.k8s.io/v1")) {
		*err = arena_printf(a, "%s: user '%s': exec plugin: interactiveMode must be specified for "
				       "client.authentication.k8s.io/v1 (Never, or IfAvailable)", f->path, kc->user_name);
		return false;
	}
	if (mode && strcmp(mode, "Never") && strcmp(mode, "IfAvailable") && strcmp(mode, "Always")) {
		*err = arena_printf(a, "%s: user '%s': exec plugin interactiveMode '%s' is not Never, IfAvailable or Always",
				    f->path, kc->user_name, diag_escape(a, mode));
		return false;
	}
	const char *pci = jstr(ex, "provideClusterInfo");
	e->provide_cluster_info = pci && !strcmp(pci, "true");
	if (mode && !strcmp(mode, "Always")) {
		*err = arena_printf(a, "%s: user '%s': exec plugin wants interactiveMode Always; hyscale runs "
				       "plugins without a terminal", f->path, kc->user_name);
		return false;
	}
	/* A command without a slash is looked up in PATH; with one it is relative to the file. */
	const char *cmd = strchr(e->command, '/') ? resolve(a, f, e->command) : e->command;
	struct fy_node *args = jget(ex, "args");
	size_t na = jlen(args);
	e->argv = arena_alloc(a, (na + 2) * sizeof(char *));
	e->argv[0] = cmd;
	for (size_t i = 0; i < na; i++)
		e->argv[i + 1] = sdup(a, jstr(jat(args, i), NULL));
	struct fy_node *env = jget(ex, "env");
	e->env = arena_alloc(a, (jlen(env) + 1) * sizeof(char *));
	for (size_t i = 0; i < jlen(env); i++) {
		const char *nm = jstr(jat(env, i), "name"), *v = jstr(jat(env, i), "value");
		e->env[i] = arena_printf(a, "%s=%s", nm ? nm : "", v ? v : "");
	}
	return true;
}

static bool read_user(struct kube_config *kc, struct fy_node *u, const struct kfile *f, struct arena *a,
		      const char **err)
{
	static const char *const unsupported[][2] = {
		{ "auth-provider", "auth-provider plugins were removed from Kubernetes clients; use an exec plugin" },
		{ "username", "basic authentication was removed in Kubernetes 1.19" },
		{ "password", "basic authentication was removed in Kubernetes 1.19" },
		{ "as", "impersonation (as) is not supported" },
		{ "as-groups", "impersonation (as-groups) is not supported" },
		{ "as-uid", "impersonation (as-uid) is not supported" },
	};
	for (size_t i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++)
		if (jkey(u, unsupported[i][0])) {
			*err = arena_printf(a, "%s: user '%s': %s", f->path, kc->user_name, unsupported[i][1]);
			return false;
		}
	kc->cert_file = resolve(a, f, sdup(a, jstr(u, "client-certificate")));
	kc->key_file = resolve(a, f, sdup(a, jstr(u, "client-key")));
	const char *cd = jstr(u, "client-certificate-data"), *kd = jstr(u, "client-key-data");
	if (cd && !decode_data(a, cd, &kc->cert_data, &kc->cert_len, "client-certificate-data", err))
		return false;
	if (kd && !decode_data(a, kd, &kc->key_data, &kc->key_len, "client-key-data", err))
		return false;
	kc->token = sdup(a, jstr(u, "token"));
	const char *why = kc->token ? kube_token_problem(kc->token) : NULL;
	if (why) {
		*err = arena_printf(a, "%s: user '%s': %s", f->path, kc->user_name, why);
		return false;
	}
	kc->token_file = resolve(a, f, sdup(a, jstr(u, "tokenFile")));
	if ((kc->cert_file || kc->cert_data) != (kc->key_file || kc->key_data)) {
		*err = arena_printf(a, "%s: user '%s': a client certificate needs its key and the other way round",
				    f->path, kc->user_name);
		return false;
	}
	struct fy_node *ex = jget(u, "exec");
	if (ex && !read_exec(kc, ex, f, a, err))
		return false;
	return true;
}

/* The server URL, read by libcurl's URL parser: http(s), a host, no user or password (libcurl
 * would send them as Basic auth, and they would be printed with the URL), no query or fragment
 * (request paths are appended to it). */
static bool server_ok(struct kube_config *kc, struct arena *a, const struct kfile *f, const char **err)
{
	const char *why = NULL;
	if (!curl_load(err))
		return false;
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *user = NULL, *pw = NULL, *query = NULL, *frag = NULL, *port = NULL;
	if (!u) {
		*err = "out of memory";
		return false;
	}
	for (const unsigned char *p = (const unsigned char *)kc->server; *p && !why; p++)
		if (*p <= 0x20 || *p >= 0x7f)
			why = "is not a URL (it contains spaces, control or non-ASCII characters)";
	if (!why && curl_url_set(u, CURLUPART_URL, kc->server, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK)
		why = "is not a URL";
	if (!why) {
		curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
		curl_url_get(u, CURLUPART_HOST, &host, 0);
		curl_url_get(u, CURLUPART_USER, &user, 0);
		curl_url_get(u, CURLUPART_PASSWORD, &pw, 0);
		curl_url_get(u, CURLUPART_QUERY, &query, 0);
		curl_url_get(u, CURLUPART_FRAGMENT, &frag, 0);
		curl_url_get(u, CURLUPART_PORT, &port, 0);
		if (!scheme || (strcmp(scheme, "https") && strcmp(scheme, "http")))
			why = "is not an http(s) URL";
		else if (!host || !*host)
			why = "has no host";
		else if (user || pw)
			why = "";
		else if (query || frag)
			why = "has a query or fragment; give the API server's base URL";
	}
	if (why && !*why) {
		/* never print the password: only what the URL says without it */
		*err = arena_printf(a, "%s: cluster '%s': the server URL carries a user name or password (%s://%s%s%s); "
				       "credentials belong in the user entry (token, client certificate or exec plugin)",
				    f->path, kc->cluster_name, scheme, host, port ? ":" : "", port ? port : "");
	} else if (why) {
		*err = arena_printf(a, "%s: cluster '%s': server '%s' %s", f->path, kc->cluster_name,
				    /* a URL that did not parse may still hold a password before an '@' */
				    strchr(kc->server, '@') ? "(not shown: it holds '@', perhaps a password)"
							     : diag_escape(a, kc->server), why);
	}
	curl_free(scheme), curl_free(host), curl_free(user), curl_free(pw), curl_free(query), curl_free(frag), curl_free(port);
	curl_url_cleanup(u);
	return !why;
}

static bool read_cluster(struct kube_config *kc, struct fy_node *c, const struct kfile *f, struct arena *a,
			 const char **err)
{
	const char *server = jstr(c, "server");
	if (!server || !*server) {
		*err = arena_printf(a, "%s: cluster '%s' has no server", f->path, kc->cluster_name);
		return false;
	}
	size_t l = strlen(server);
	while (l > 0 && server[l - 1] == '/')
		l--;
	kc->server = arena_strndup(a, server, l);
	if (!server_ok(kc, a, f, err))
		return false;
	if (jkey(c, "proxy-url") || jkey(c, "tls-server-name")) {
		*err = arena_printf(a, "%s: cluster '%s': %s is not supported", f->path, kc->cluster_name,
				    jkey(c, "proxy-url") ? "proxy-url" : "tls-server-name");
		return false;
	}
	const char *ins = jstr(c, "insecure-skip-tls-verify");
	kc->insecure = ins && !strcmp(ins, "true");
	kc->ca_file = resolve(a, f, sdup(a, jstr(c, "certificate-authority")));
	const char *cad = jstr(c, "certificate-authority-data");
	if (cad && !decode_data(a, cad, &kc->ca_data, &kc->ca_len, "certificate-authority-data", err))
		return false;
	return true;
}

static bool file_exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0;
}

/* Running inside a pod: the service account token, CA and namespace are mounted. */
static bool in_cluster(struct kube_config *kc, struct arena *a, const char **err)
{
	const char *host = getenv("KUBERNETES_SERVICE_HOST"), *port = getenv("KUBERNETES_SERVICE_PORT");
	const char *dir = getenv("HYSCALE_SERVICEACCOUNT_DIR");
	if (!dir)
		dir = "/var/run/secrets/kubernetes.io/serviceaccount";
	const char *tok = arena_printf(a, "%s/token", dir);
	if (!host || !port || !file_exists(tok)) {
		*err = "no cluster configured: set KUBECONFIG or create ~/.kube/config (e.g. 'kind create cluster')";
		return false;
	}
	kc->source = "in-cluster";
	kc->context = "in-cluster";
	kc->server = strchr(host, ':') ? arena_printf(a, "https://[%s]:%s", host, port)
				       : arena_printf(a, "https://%s:%s", host, port);
	kc->token_file = tok;
	kc->ca_file = arena_printf(a, "%s/ca.crt", dir);
	struct kfile env = { "KUBERNETES_SERVICE_HOST/_PORT", ".", NULL };
	kc->cluster_name = "in-cluster";
	if (!server_ok(kc, a, &env, err))
		return false;
	FILE *f = fopen(arena_printf(a, "%s/namespace", dir), "r");
	if (f) {
		char buf[256];
		if (fgets(buf, sizeof(buf), f)) {
			buf[strcspn(buf, "\r\n")] = '\0';
			if (*buf && is_dns_label(buf))
				kc->ns = arena_strdup(a, buf);
		}
		fclose(f);
	}
	return true;
}

bool kubeconfig_load(struct kube_config *kc, const char *context, struct arena *a, const char **err)
{
	memset(kc, 0, sizeof(*kc));
	const char *env = getenv("KUBECONFIG");
	struct kfile *fs = NULL;
	size_t n = 0, cap = 0;
	if (env && *env) {
		char *list = arena_strdup(a, env), *save = NULL;
		for (char *p = strtok_r(list, ":", &save); p; p = strtok_r(NULL, ":", &save))
			if (*p && file_exists(p))   /* kubectl skips missing files in the list */
				ARENA_PUSH(a, fs, n, cap)->path = p;
	} else {
		const char *home = getenv("HOME");
		const char *p = arena_printf(a, "%s/.kube/config", home ? home : "");
		if (home && file_exists(p))
			ARENA_PUSH(a, fs, n, cap)->path = p;
	}
	if (n == 0) {
		if (in_cluster(kc, a, err))
			return true;
		if (env && *env)
			*err = arena_printf(a, "none of the files in KUBECONFIG exists (%s)", env);
		return false;
	}
	bool ok = false;
	/* silent: libfyaml's messages quote the offending line, which may be the token's */
	struct fy_diag *dg = jdiag_silent();
	for (size_t i = 0; i < n; i++) {
		fs[i].dir = dir_of(a, fs[i].path);
		struct fy_parse_cfg cfg = { .flags = FYPCF_QUIET, .diag = dg };
		fs[i].doc = dg ? fy_document_build_from_file(&cfg, fs[i].path) : NULL;
		if (!fs[i].doc) {
			*err = arena_printf(a, "%s: not a readable kubeconfig (YAML)", fs[i].path);
			goto out;
		}
	}
	if (!context)
		for (size_t i = 0; i < n && !context; i++) {
			const char *c = jstr(fy_document_root(fs[i].doc), "current-context");
			if (c && *c)
				context = c;
		}
	if (!context) {
		*err = arena_printf(a, "%s: no current-context; pass --context NAME", fs[0].path);
		goto out;
	}
	kc->context = arena_strdup(a, context);
	struct kfile *cf, *clf, *uf;
	struct fy_node *ctx = find_named(fs, n, "contexts", "context", context, &cf);
	if (!ctx) {
		*err = arena_printf(a, "context '%s' is not defined in %s", context, env && *env ? env : fs[0].path);
		goto out;
	}
	kc->source = cf->path;
	kc->cluster_name = sdup(a, jstr(ctx, "cluster"));
	kc->user_name = sdup(a, jstr(ctx, "user"));
	kc->ns = sdup(a, jstr(ctx, "namespace"));
	if (kc->ns && *kc->ns && !is_dns_label(kc->ns)) {
		/* it goes into every API path */
		*err = arena_printf(a, "%s: context '%s': namespace \"%s\" is not a valid namespace name (lower-case letters, "
				       "digits and '-', at most 63)", cf->path, diag_escape(a, context), diag_escape(a, kc->ns));
		goto out;
	}
	struct fy_node *cl = kc->cluster_name ? find_named(fs, n, "clusters", "cluster", kc->cluster_name, &clf) : NULL;
	if (!cl) {
		*err = arena_printf(a, "%s: context '%s' names cluster '%s', which is not defined", cf->path, context,
				    kc->cluster_name ? kc->cluster_name : "");
		goto out;
	}
	if (!read_cluster(kc, cl, clf, a, err))
		goto out;
	if (kc->user_name && *kc->user_name) {
		struct fy_node *u = find_named(fs, n, "users", "user", kc->user_name, &uf);
		if (!u) {
			*err = arena_printf(a, "%s: context '%s' names user '%s', which is not defined", cf->path,
					    context, kc->user_name);
			goto out;
		}
		if (!read_user(kc, u, uf, a, err))
			goto out;
	}
	ok = true;
out:
	for (size_t i = 0; i < n; i++)
		if (fs[i].doc)
			fy_document_destroy(fs[i].doc);
	if (dg)
		fy_diag_unref(dg);
	return ok;
}

static long ms_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* 2006-01-02T15:04:05Z, with optional fractional seconds and a Z or ±hh:mm offset, as Go's
 * time.RFC3339 reads it; *out in Unix seconds. */
static bool rfc3339(const char *s, long *out)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	const char *p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!p)
		return false;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	long off = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if ((*p == '+' || *p == '-') && p[1] >= '0' && p[1] <= '9' && p[2] >= '0' && p[2] <= '9' && p[3] == ':' &&
		   p[4] >= '0' && p[4] <= '9' && p[5] >= '0' && p[5] <= '9') {
		off = ((p[1] - '0') * 10 + (p[2] - '0')) * 3600 + ((p[4] - '0') * 10 + (p[5] - '0')) * 60;
		if (*p == '-')
			off = -off;
		p += 6;
	} else {
		return false;
	}
	if (*p)
		return false;
	*out = (long)timegm(&tm) - off;
	return true;
}

/* KUBERNETES_EXEC_INFO: the ExecCredential the plugin is asked for; with provideClusterInfo,
 * the cluster as kubectl describes it (server, CA data, insecure). */
static const char *exec_info(struct kube_config *kc, struct arena *a)
{
	struct kube_exec *e = &kc->exec;
	struct sbuf sb = SBUF_INIT;
	sb_adds(&sb, "KUBERNETES_EXEC_INFO={\"apiVersion\":");
	json_str(&sb, e->api_version);
	sb_adds(&sb, ",\"kind\":\"ExecCredential\",\"spec\":{");
	if (e->provide_cluster_info) {
		sb_adds(&sb, "\"cluster\":{\"server\":");
		json_str(&sb, kc->server);
		const char *ca = kc->ca_data;
		size_t cal = kc->ca_len;
		struct sbuf file = SBUF_INIT;
		if (!ca && kc->ca_file) {
			FILE *f = fopen(kc->ca_file, "r");
			char buf[4096];
			size_t n;
			while (f && (n = fread(buf, 1, sizeof(buf), f)) > 0 && file.len < (1u << 20))
				sb_add(&file, buf, n);
			if (f)
				fclose(f);
			ca = file.buf;
			cal = file.len;
		}
		if (ca && cal) {
			sb_adds(&sb, ",\"certificate-authority-data\":");
			json_str(&sb, base64_encode(a, ca, cal));
		}
		sb_release(&file);
		if (kc->insecure)
			sb_adds(&sb, ",\"insecure-skip-tls-verify\":true");
		sb_adds(&sb, "},");
	}
	sb_adds(&sb, "\"interactive\":false}}");
	const char *r = arena_strdup(a, sb_str(&sb));
	sb_release(&sb);
	return r;
}

bool kube_exec_credentials(struct kube_config *kc, struct arena *a, const char **err)
{
	struct kube_exec *e = &kc->exec;
	int fds[2];
	if (pipe(fds) != 0) {
		*err = "cannot create a pipe for the exec credential plugin";
		return false;
	}
	/* Environment as kubectl builds it: ours, with the kubeconfig's entries replacing ours of
	 * the same name (an AWS_PROFILE in the kubeconfig wins), and KUBERNETES_EXEC_INFO. */
	size_t ne = 0, ncur = 0;
	while (environ[ncur])
		ncur++;
	while (e->env[ne])
		ne++;
	char **envp = arena_alloc(a, (ncur + ne + 2) * sizeof(char *));
	size_t k = 0;
	for (size_t i = 0; i < ncur; i++) {
		const char *eq = strchr(environ[i], '=');
		size_t nl = eq ? (size_t)(eq - environ[i]) : strlen(environ[i]);
		bool shadowed = nl == 20 && !strncmp(environ[i], "KUBERNETES_EXEC_INFO", 20);
		for (size_t j = 0; j < ne && !shadowed; j++)
			shadowed = !strncmp(e->env[j], environ[i], nl) && e->env[j][nl] == '=';
		if (!shadowed)
			envp[k++] = environ[i];
	}
	for (size_t i = 0; i < ne; i++)
		envp[k++] = (char *)e->env[i];
	envp[k++] = (char *)exec_info(kc, a);
	envp[k] = NULL;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	pid_t pid;
	int rc = posix_spawnp(&pid, e->argv[0], &fa, NULL, (char *const *)e->argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (rc != 0) {
		close(fds[0]);
		*err = arena_printf(a, "%s: exec credential plugin '%s' cannot be started: %s", e->source, e->command,
				    strerror(rc));
		return false;
	}
	/* Bounded: a plugin that hangs (waiting for a browser login, say) must not hang us. */
	const char *t = getenv("HYSCALE_EXEC_TIMEOUT");
	long limit = (long)((t && atof(t) > 0 ? atof(t) : 60) * 1000), start = ms_now();
	if (kc->deadline_ms && kc->deadline_ms - start < limit)
		limit = kc->deadline_ms - start > 0 ? kc->deadline_ms - start : 1;
	struct sbuf out = SBUF_INIT;
	bool timed_out = false;
	for (;;) {
		long left = limit - (ms_now() - start);
		if (left <= 0) {
			timed_out = true;
			break;
		}
		struct pollfd p = { fds[0], POLLIN, 0 };
		int pr = poll(&p, 1, (int)(left > 1000 ? 1000 : left));
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0)
			continue;
		char buf[4096];
		ssize_t r = read(fds[0], buf, sizeof(buf));
		if (r <= 0)
			break;
		sb_add(&out, buf, (size_t)r);
		if (out.len > (1 << 20)) {
			timed_out = true;   /* no credential is a megabyte: stop it like a hung one */
			break;
		}
	}
	close(fds[0]);
	if (timed_out)
		kill(pid, SIGKILL);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	bool ok = false;
	struct fy_document *d = NULL;
	if (timed_out) {
		*err = arena_printf(a, "%s: exec credential plugin '%s' did not finish within %.1fs", e->source,
				    e->command, (double)limit / 1000);
		goto done;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		*err = arena_printf(a, "%s: exec credential plugin '%s' failed (exit status %d)", e->source, e->command,
				    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		goto done;
	}
	/* the output holds the credential: libfyaml gets it silently, and no message quotes it */
	const char *why = NULL;
	d = out.len ? jdoc_parse_json(out.buf, out.len, JSON_TOKENS_MAX, &why) : NULL;
	out = (struct sbuf)SBUF_INIT;
	struct fy_node *root = d ? fy_document_root(d) : NULL;
	const char *kind = jstr(root, "kind"), *av = jstr(root, "apiVersion");
	const char *who = arena_printf(a, "%s: exec credential plugin '%s'", e->source, diag_escape(a, e->command));
	if (!root || !kind || strcmp(kind, "ExecCredential")) {
		const char *detail = root ? "another kind" : !why ? "no output" : !strncmp(why, "is ", 3) ? why + 3 : why;
		*err = arena_printf(a, "%s did not print an ExecCredential (%s)", who, detail);
		goto done;
	}
	if (!av || strcmp(av, e->api_version)) {
		*err = arena_printf(a, "%s returned apiVersion '%s', not '%s' as the kubeconfig asks", who,
				    diag_escape(a, av ? av : ""), e->api_version);
		goto done;
	}
	const char *tok = jstr(root, "status.token");
	const char *cert = jstr(root, "status.clientCertificateData"), *key = jstr(root, "status.clientKeyData");
	const char *exp = jstr(root, "status.expirationTimestamp");
	if (tok && *tok && (why = kube_token_problem(tok))) {
		*err = arena_printf(a, "%s: %s", who, why);
		goto done;
	}
	kc->token_expiry = 0;
	if (exp && !rfc3339(exp, &kc->token_expiry)) {
		*err = arena_printf(a, "%s: status.expirationTimestamp '%s' is not an RFC 3339 time", who, diag_escape(a, exp));
		goto done;
	}
	if (tok && *tok)
		kc->token = arena_strdup(a, tok);
	if (cert && key) {
		kc->cert_data = arena_strdup(a, cert);
		kc->cert_len = strlen(cert);
		kc->key_data = arena_strdup(a, key);
		kc->key_len = strlen(key);
	}
	if (!(tok && *tok) && !(cert && key)) {
		*err = arena_printf(a, "%s returned neither status.token nor a client certificate and key", who);
		goto done;
	}
	ok = true;
done:
	if (d)
		fy_document_destroy(d);
	sb_release(&out);
	return ok;
}
