/* Image pull Secret from the user's Docker credentials (see registry.h). */
#include "registry.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../build/yb.h"
#include "../util/diag.h"
#include "../util/digest.h"
#include "../util/names.h"
#include "jnode.h"
#include "objects.h"

extern char **environ;

#define HUB_KEY "https://index.docker.io/v1/"

static bool is_hub(const char *host)
{
	static const char *const hub[] = { "docker.io", "index.docker.io", "registry-1.docker.io",
					   "registry.hub.docker.com", NULL };
	for (int i = 0; hub[i]; i++)
		if (!strcmp(host, hub[i]))
			return true;
	return false;
}

/* "https://Host:5000/path/" → "host:5000" (Docker's ConvertToHostname, lower-cased). */
static const char *hostname_of(struct arena *a, const char *s)
{
	const char *p = strstr(s, "://");
	p = p ? p + 3 : s;
	size_t l = strcspn(p, "/");
	char *h = arena_strndup(a, p, l);
	for (char *c = h; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	return h;
}

const char *registry_of_image(struct arena *a, const char *image)
{
	const char *slash = strchr(image, '/');
	if (slash) {
		const char *first = arena_strndup(a, image, (size_t)(slash - image));
		if (strchr(first, '.') || strchr(first, ':') || !strcmp(first, "localhost"))
			return hostname_of(a, first);
	}
	return "docker.io";
}

const char *registry_config_key(struct arena *a, const char *host)
{
	return is_hub(host) ? HUB_KEY : arena_strdup(a, host);
}

static char *read_small_file(const char *path, size_t max, size_t *len)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > max) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	char *buf = malloc((size_t)st.st_size + 1);
	size_t n = 0;
	ssize_t r;
	while (buf && n < (size_t)st.st_size && (r = read(fd, buf + n, (size_t)st.st_size - n)) > 0)
		n += (size_t)r;
	close(fd);
	if (buf)
		buf[n] = '\0';
	*len = n;
	return buf;
}

/* Runs docker-credential-<helper> get with the server on stdin, as Docker does; its output
 * (JSON with Username and Secret) is the credential. Its stderr is not shown: a helper may
 * print anything there. Returns the parsed document, or NULL with *err (or with *err NULL when
 * the helper says it has no credentials for the server). */
static struct fy_document *run_helper(struct arena *a, const char *helper, const char *server, long deadline_ms,
				      const char **err)
{
	*err = NULL;
	for (const char *c = helper; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || strchr("._-", *c))) {
			*err = arena_printf(a, "the Docker credential helper name '%s' is not a plain name", diag_escape(a, helper));
			return NULL;
		}
	const char *prog = arena_printf(a, "docker-credential-%s", helper);
	int in[2], out[2];
	if (pipe(in) != 0) {
		*err = "cannot create a pipe for the Docker credential helper";
		return NULL;
	}
	if (pipe(out) != 0) {
		close(in[0]), close(in[1]);
		*err = "cannot create a pipe for the Docker credential helper";
		return NULL;
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addclose(&fa, in[1]);
	posix_spawn_file_actions_addclose(&fa, out[0]);
	char *const argv[] = { (char *)prog, (char *)"get", NULL };
	pid_t pid;
	int rc = posix_spawnp(&pid, prog, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(out[1]);
	if (rc != 0) {
		close(in[1]);
		close(out[0]);
		*err = arena_printf(a, "the Docker config names the credential helper '%s', but %s cannot be started: %s",
				    helper, prog, strerror(rc));
		return NULL;
	}
	/* the helper reads the server address to the end of its input */
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	sigaction(SIGPIPE, &ign, &old);
	ssize_t w = write(in[1], server, strlen(server));
	(void)w;
	close(in[1]);
	sigaction(SIGPIPE, &old, NULL);
	long limit = 30000, start = kube_now_ms();
	if (deadline_ms && deadline_ms - start < limit)
		limit = deadline_ms - start > 0 ? deadline_ms - start : 1;
	struct sbuf o = SBUF_INIT;
	bool stopped = false;
	for (;;) {
		long left = limit - (kube_now_ms() - start);
		if (left <= 0 || o.len > (1u << 20)) {
			stopped = true;
			break;
		}
		struct pollfd p = { out[0], POLLIN, 0 };
		int pr = poll(&p, 1, (int)(left > 1000 ? 1000 : left));
		if (pr <= 0)
			continue;
		char buf[4096];
		ssize_t r = read(out[0], buf, sizeof(buf));
		if (r <= 0)
			break;
		sb_add(&o, buf, (size_t)r);
	}
	close(out[0]);
	if (stopped)
		kill(pid, SIGKILL);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (stopped) {
		sb_release(&o);
		*err = arena_printf(a, "the Docker credential helper %s did not answer within %lds", prog, limit / 1000);
		return NULL;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		/* "credentials not found": Docker then pulls anonymously, and so do the nodes */
		sb_release(&o);
		return NULL;
	}
	const char *why;
	struct fy_document *d = o.len ? jdoc_parse_json(o.buf, o.len, JSON_TOKENS_MAX, &why) : NULL;
	if (!o.len)
		sb_release(&o);
	if (!d)
		*err = arena_printf(a, "the Docker credential helper %s did not print credentials (its output is not a JSON "
				       "object)", prog);
	return d;
}

struct cred { const char *key, *user, *pass; };

/* The credential for host from the Docker config, Docker's way: credHelpers for the registry,
 * else credsStore, else the auths entry whose host matches. false with *err on failure; true
 * with c->user NULL when there is none. */
static bool find_cred(struct arena *a, struct kube *k, const char *host, struct cred *c, const char **where,
		      const char **err)
{
	memset(c, 0, sizeof(*c));
	const char *dir = getenv("DOCKER_CONFIG"), *home = getenv("HOME");
	const char *path = dir && *dir ? arena_printf(a, "%s/config.json", dir)
				       : home && *home ? arena_printf(a, "%s/.docker/config.json", home) : NULL;
	*where = path;
	size_t len = 0;
	char *text = path ? read_small_file(path, 4u << 20, &len) : NULL;
	if (!text)
		return true;   /* no Docker config: public images only */
	const char *why;
	struct fy_document *cfg = jdoc_parse_json(text, len, JSON_TOKENS_MAX, &why);
	if (!cfg) {
		*err = arena_printf(a, "%s: the Docker config %s (its content is not shown: it holds credentials)",
				    diag_escape(a, path), why);
		return false;
	}
	struct fy_node *root = fy_document_root(cfg);
	const char *key = registry_config_key(a, host);
	c->key = key;
	const char *helper = NULL;
	struct fy_node *helpers = jget(root, "credHelpers");
	void *it = NULL;
	struct fy_node_pair *p;
	while (helpers && fy_node_get_type(helpers) == FYNT_MAPPING && !helper && (p = fy_node_mapping_iterate(helpers, &it))) {
		const char *kk = fy_node_get_scalar0(fy_node_pair_key(p));
		if (kk && !strcmp(hostname_of(a, kk), is_hub(host) ? "index.docker.io" : host))
			helper = jstr(fy_node_pair_value(p), NULL);
	}
	if (!helper)
		helper = jstr(root, "credsStore");
	bool ok = true;
	if (helper && *helper) {
		helper = arena_strdup(a, helper);
		*where = arena_printf(a, "docker-credential-%s", helper);
		struct fy_document *d = run_helper(a, helper, key, k->deadline_ms, err);
		if (d) {
			const char *u = jstr(fy_document_root(d), "Username"), *s = jstr(fy_document_root(d), "Secret");
			if (u && s && *s) {
				c->user = arena_strdup(a, u);
				c->pass = arena_strdup(a, s);
			}
			fy_document_destroy(d);
		}
		ok = !*err;
	} else {
		struct fy_node *auths = jget(root, "auths");
		it = NULL;
		while (auths && fy_node_get_type(auths) == FYNT_MAPPING && !c->user && (p = fy_node_mapping_iterate(auths, &it))) {
			const char *kk = fy_node_get_scalar0(fy_node_pair_key(p));
			const char *kh = kk ? hostname_of(a, kk) : NULL;
			if (!kh || (strcmp(kh, host) && !(is_hub(host) && is_hub(kh))))
				continue;
			struct fy_node *e = fy_node_pair_value(p);
			const char *auth = jstr(e, "auth"), *u = jstr(e, "username"), *pw = jstr(e, "password");
			if (auth && *auth) {
				size_t dl;
				char *dec = base64_decode(auth, &dl);
				char *colon = dec ? memchr(dec, ':', dl) : NULL;
				if (colon) {
					c->user = arena_strndup(a, dec, (size_t)(colon - dec));
					c->pass = arena_strndup(a, colon + 1, dl - (size_t)(colon - dec) - 1);
				} else {
					*err = arena_printf(a, "%s: auths entry '%s' has an auth value that is not base64 of "
							       "user:password", diag_escape(a, path), diag_escape(a, kk));
					ok = false;
				}
				free(dec);
			} else if (u && pw) {
				c->user = arena_strdup(a, u);
				c->pass = arena_strdup(a, pw);
			}
		}
	}
	fy_document_destroy(cfg);
	/* an identity token (Username "<token>") is for the Docker client's own login flow; the
	 * kubelet cannot use it */
	if (ok && c->user && (!strcmp(c->user, "<token>") || !*c->pass))
		c->user = c->pass = NULL;
	return ok;
}

static struct manifest *workload_of(struct rendered *rd)
{
	for (size_t i = 0; i < rd->ms.n; i++)
		if (!strcmp(rd->ms.v[i]->kind, "Deployment") || !strcmp(rd->ms.v[i]->kind, "StatefulSet"))
			return rd->ms.v[i];
	return NULL;
}

bool registry_secret(struct kube *k, struct arena *a, struct rendered *rd, const char *ns, FILE *log,
		     const char **err)
{
	struct manifest *wl = workload_of(rd);
	struct fy_node *pod = wl ? jget(wl->root, "spec.template.spec") : NULL;
	const char *image = jstr(jget(pod, "containers.0"), "image");
	if (!image)
		return true;
	const char *host = registry_of_image(a, image), *where = NULL;
	struct cred c;
	if (!find_cred(a, k, host, &c, &where, err)) {
		*err = arena_printf(a, "image pull Secret for %s: %s (--no-registry-secret deploys without it)", host, *err);
		return false;
	}
	if (!c.user)
		return true;
	const char *name = name_normalize(a, c.key);
	struct fy_node *labels = jget(wl->metadata, "labels");
	const char *app = jstr(jkey(labels, "hyscale.io/app-name"), NULL);
	const char *env = jstr(jkey(labels, "hyscale.io/environment-name"), NULL);
	/* {"auths":{KEY:{"username","password","auth"}}}: only this registry's entry */
	struct sbuf dc = SBUF_INIT, body = SBUF_INIT;
	sb_adds(&dc, "{\"auths\":{");
	json_str(&dc, c.key);
	sb_adds(&dc, ":{\"username\":");
	json_str(&dc, c.user);
	sb_adds(&dc, ",\"password\":");
	json_str(&dc, c.pass);
	sb_adds(&dc, ",\"auth\":");
	json_str(&dc, base64_encode(a, arena_printf(a, "%s:%s", c.user, c.pass), strlen(c.user) + 1 + strlen(c.pass)));
	sb_adds(&dc, "}}}");
	sb_adds(&body, "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":");
	json_str(&body, name);
	sb_adds(&body, ",\"namespace\":");
	json_str(&body, ns);
	sb_adds(&body, ",\"labels\":{\"app.kubernetes.io/managed-by\":\"hyscale\"");
	if (app) {
		sb_adds(&body, ",\"hyscale.io/app-name\":");
		json_str(&body, app);
	}
	if (env) {
		sb_adds(&body, ",\"hyscale.io/environment-name\":");
		json_str(&body, env);
	}
	sb_adds(&body, "}},\"type\":\"kubernetes.io/dockerconfigjson\",\"data\":{\".dockerconfigjson\":");
	json_str(&body, base64_encode(a, dc.buf, dc.len));
	sb_adds(&body, "}}");
	sb_release(&dc);
	/* The Secret is named by its registry, not by a service, and may have been made by HyScale
	 * (another field manager): hyscale takes its fields over (force). */
	const char *path = arena_printf(a, "%s?fieldManager=hyscale&force=true", kube_path(k, a, "v1", "Secret", ns, name));
	struct kube_resp r;
	bool ok = kube_call(k, "PATCH", path, "application/apply-patch+yaml", body.buf, body.len, &r);
	sb_release(&body);
	if (!ok || (r.status != 200 && r.status != 201)) {
		*err = arena_printf(a, "image pull Secret for %s: %s (--no-registry-secret deploys without it)", host,
				    cluster_error(a, k, "apply", "v1", "Secret", name, ns, &r));
		kube_resp_free(&r);
		return false;
	}
	if (log)
		fprintf(log, "Registry credentials for %s (from %s): Secret %s %s\n", host, diag_escape(a, where), name,
			r.status == 201 ? "created" : "configured");
	kube_resp_free(&r);
	rd->pull_secret = name;   /* deploy's prune must keep what it made here */
	/* referenced by the pods, once */
	struct fy_node *list = yb_get(pod, "imagePullSecrets");
	for (size_t i = 0; i < jlen(list); i++) {
		const char *n = jstr(jat(list, i), "name");
		if (n && !strcmp(n, name))
			return true;
	}
	if (!list)
		list = yb_child_seq(&wl->yb, pod, "imagePullSecrets");
	yb_str(&wl->yb, yb_push_map(&wl->yb, list), "name", name);
	return true;
}
