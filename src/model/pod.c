/* Pod model (see pod.h). */
#include "pod.h"
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../util/confine.h"
#include "../util/digest.h"
#include "../util/names.h"
#include "service.h"

/* Kubernetes refuses ConfigMaps and Secrets over 1 MiB (etcd's object limit). */
#define CONFIG_MAX_BYTES (1024u * 1024u)

bool is_env_name(const char *s)
{
	if (!*s || isdigit((unsigned char)*s))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("-._", *s))
			return false;
	return true;
}

bool is_config_key(const char *s)
{
	size_t n = strlen(s);
	/* The API server's IsConfigMapKey: "..data" and the like are the kubelet's own names
	 * in a mounted volume. */
	if (!n || n > 253 || !strcmp(s, ".") || !strncmp(s, "..", 2))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("-._", *s))
			return false;
	return true;
}

void quantity_range(const char *s, struct arena *a, const char **min, const char **max)
{
	/* The separator is a '-' that is not an exponent sign (1e-3 is one quantity). */
	for (const char *p = s + 1; *p; p++)
		if (*p == '-' && p[-1] != 'e' && p[-1] != 'E') {
			*min = arena_strndup(a, s, (size_t)(p - s));
			*max = arena_strdup(a, p + 1);
			return;
		}
	*min = NULL;
	*max = s;
}

void probe_pick(struct probe *pr, const struct sports *ps, const char *field, struct arena *a, struct diags *d)
{
	const struct sport *hp = NULL, *tp = NULL;
	memset(pr, 0, sizeof(*pr));
	for (size_t i = 0; i < ps->n && !hp; i++) {
		const struct sport *p = &ps->v[i];
		if (p->valid && p->http_path.v)
			hp = p;
		else if (p->valid && p->has_health && !tp) {
			if (p->proto == PROTO_UDP)
				diag_warn(d, p->health_loc, arena_printf(a, "%s[%zu].healthCheck", field, i),
					  "a TCP probe cannot check UDP port %ld; no probe is generated for it", p->number);
			else
				tp = p;
		}
	}
	if (hp && *hp->http_path.v) {
		pr->on = pr->http = true;
		pr->path = hp->http_path.v;
		pr->port = hp->number;
		pr->https = hp->proto == PROTO_HTTPS;
	} else if (!hp && tp) {
		pr->on = true;
		pr->port = tp->number;
	}
}

/* HyScale's typed prop values: file(path), endpoint(x), string(x). */
static const char *typed(const char *v, const char *word)
{
	size_t wl = strlen(word), n = strlen(v);
	if (n > wl + 1 && !strncasecmp(v, word, wl) && v[wl] == '(' && v[n - 1] == ')')
		return v + wl + 1;
	return NULL;
}

static const char *inner(struct arena *a, const char *start, const char *v)
{
	return arena_strndup(a, start, strlen(v) - (size_t)(start - v) - 1);
}

static bool read_file(const char *path, const char *spec_dir, const char *naming, bool allow_outside, struct arena *a,
		      const char **bytes, size_t *len, const char **why)
{
	struct stat st;
	int fd = confined_open(path, spec_dir, naming, allow_outside, &st, why, a);
	if (fd < 0)
		return false;
	if ((unsigned long long)st.st_size > CONFIG_MAX_BYTES) {
		close(fd);
		*why = "larger than 1 MiB, the most a ConfigMap can hold";
		return false;
	}
	char *buf = arena_alloc(a, (size_t)st.st_size + 1);
	size_t n = 0;
	for (;;) {
		ssize_t r = read(fd, buf + n, (size_t)st.st_size - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*why = strerror(errno);
			close(fd);
			return false;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n == (size_t)st.st_size)
			break;
	}
	close(fd);
	*bytes = buf;
	*len = n;
	return true;
}

static const char *dir_of(struct arena *a, const char *file)
{
	const char *slash = file ? strrchr(file, '/') : NULL;
	return slash ? arena_strndup(a, file, (size_t)(slash - file) + (slash == file)) : ".";
}

static struct data_item *add_item(struct arena *a, struct config_obj *c, const char *key, const char *bytes,
				  size_t len, bool binary)
{
	struct data_item *it = ARENA_PUSH(a, c->items, c->n, c->cap);
	it->key = key;
	it->bytes = bytes;
	it->len = len;
	it->binary = binary;
	return it;
}

static void add_env(struct arena *a, struct container *c, const char *name, const char *object, const char *key,
		    bool secret)
{
	struct env_ref *e = ARENA_PUSH(a, c->env, c->nenv, c->env_cap);
	*e = (struct env_ref){ name, object, key, secret };
}

static void add_mount(struct arena *a, struct container *c, const char *vol, const char *path, bool ro)
{
	struct mount *mt = ARENA_PUSH(a, c->mounts, c->nmounts, c->mounts_cap);
	*mt = (struct mount){ vol, path, ro };
}

static void add_volume(struct pod_model *p, struct arena *a, const char *name, const char *cm, const char *secret)
{
	struct pod_volume *v = ARENA_PUSH(a, p->volumes, p->nvolumes, p->volumes_cap);
	*v = (struct pod_volume){ name, cm, secret };
}

static size_t config_size(const struct config_obj *c)
{
	size_t n = 0;
	for (size_t i = 0; i < c->n; i++)
		n += c->items[i].len + strlen(c->items[i].key);
	return n;
}

/* props → ConfigMap `object`, env references, and the mounted config.props. */
static void props(struct pod_model *p, struct container *c, const struct skvs *kv, const struct sstr *mount_path,
		  const char *object, const char *volname, const char *field, const char *spec_dir, bool allow_outside,
		  struct arena *a, struct diags *d)
{
	if (!kv->n)
		return;
	struct config_obj *cfg = ARENA_PUSH(a, p->configs, p->nconfigs, p->configs_cap);
	cfg->name = object;
	struct sbuf_lines { char *buf; size_t len, cap; } lines = { 0 };
	bool any_text = false;
	for (size_t i = 0; i < kv->n; i++) {
		const struct skv *e = &kv->v[i];
		const char *fp = arena_printf(a, "%s.%s", field, e->key);
		const char *start;
		if ((start = typed(e->value, "file"))) {
			const char *path = inner(a, start, e->value);
			const char *dir = dir_of(a, e->vloc.file);
			if (path[0] != '/' && strcmp(dir, "."))
				path = arena_printf(a, "%s/%s", dir, path);
			const char *bytes, *why;
			size_t len;
			if (!read_file(path, spec_dir, e->vloc.file, allow_outside, a, &bytes, &len, &why)) {
				diag_error(d, e->vloc, fp, "cannot read %s: %s", path, why);
				continue;
			}
			add_item(a, cfg, e->key, bytes, len, true);
			if (!mount_path->v)
				diag_warn(d, e->vloc, fp, "file props are only reachable as files; set propsVolumePath to mount them");
			continue;
		}
		const char *val = e->value;
		if ((start = typed(val, "endpoint")) || (start = typed(val, "string")))
			val = inner(a, start, val);
		add_item(a, cfg, e->key, val, strlen(val), false);
		any_text = true;
		if (is_env_name(e->key))
			add_env(a, c, e->key, object, e->key, false);
		else
			diag_warn(d, e->kloc, fp, "'%s' is not an environment variable name; it is only in the ConfigMap",
				  e->key);
		size_t need = lines.len + strlen(e->key) + strlen(val) + 3;
		if (need > lines.cap) {
			size_t cap = need * 2;
			char *nb = arena_alloc(a, cap);
			if (lines.len)
				memcpy(nb, lines.buf, lines.len);
			lines.buf = nb;
			lines.cap = cap;
		}
		lines.len += (size_t)sprintf(lines.buf + lines.len, "%s=%s\n", e->key, val);
	}
	if (mount_path->v) {
		if (any_text)
			add_item(a, cfg, "config.props", lines.buf, lines.len, false);
		add_volume(p, a, volname, object, NULL);
		add_mount(a, c, volname, mount_path->v, true);
	}
	if (config_size(cfg) > CONFIG_MAX_BYTES)
		diag_error(d, kv->loc, field, "the ConfigMap %s would hold %zu bytes; Kubernetes allows at most 1 MiB",
			   object, config_size(cfg));
}

/* secrets: a mapping → a generated Secret; a list → keys of an existing Secret. */
static void secrets(struct pod_model *p, struct container *c, const struct ssecrets *s, const struct sstr *mount_path,
		    const char *object, const char *volname, const char *field, struct arena *a, struct diags *d)
{
	if (!s->set)
		return;
	if (s->is_map) {
		if (!s->map.n)
			return;
		struct config_obj *cfg = ARENA_PUSH(a, p->configs, p->nconfigs, p->configs_cap);
		cfg->name = object;
		cfg->secret = true;
		size_t total = 0;
		for (size_t i = 0; i < s->map.n; i++)
			total += strlen(s->map.v[i].key) + strlen(s->map.v[i].value) + 2;
		char *lines = arena_alloc(a, total + 1);
		size_t len = 0;
		for (size_t i = 0; i < s->map.n; i++) {
			const struct skv *e = &s->map.v[i];
			add_item(a, cfg, e->key, e->value, strlen(e->value), false);
			len += (size_t)sprintf(lines + len, "%s=%s\n", e->key, e->value);
			if (is_env_name(e->key))
				add_env(a, c, e->key, object, e->key, true);
			else
				diag_warn(d, e->kloc, arena_printf(a, "%s.%s", field, e->key),
					  "'%s' is not an environment variable name; it is only in the Secret", e->key);
		}
		if (mount_path->v)
			add_item(a, cfg, "secret.props", lines, len, false);
	} else {
		for (size_t i = 0; i < s->nnames; i++)
			add_env(a, c, s->names[i].v, object, s->names[i].v, true);
	}
	if (mount_path->v && (!s->is_map || s->map.n)) {
		add_volume(p, a, volname, NULL, object);
		add_mount(a, c, volname, mount_path->v, true);
	}
}

static void add_ports(struct container *c, const struct sports *ps, struct arena *a)
{
	for (size_t i = 0; i < ps->n; i++)
		svc_port_add(&c->ports, &c->nports, &c->ports_cap, &ps->v[i], a);
}

static void checksum(struct pod_model *p, struct arena *a)
{
	if (!p->nconfigs)
		return;
	/* Length-prefixed fields, so no two different inputs hash the same byte stream. */
	struct sha256 h;
	sha256_init(&h);
	for (size_t i = 0; i < p->nconfigs; i++) {
		const struct config_obj *c = &p->configs[i];
		const char *hdr = arena_printf(a, "%s %s %zu\n", c->secret ? "Secret" : "ConfigMap", c->name, c->n);
		sha256_update(&h, hdr, strlen(hdr));
		for (size_t j = 0; j < c->n; j++) {
			const struct data_item *it = &c->items[j];
			const char *ih = arena_printf(a, "%zu:%s %d %zu:", strlen(it->key), it->key, it->binary, it->len);
			sha256_update(&h, ih, strlen(ih));
			sha256_update(&h, it->bytes, it->len);
		}
	}
	char *hex = arena_alloc(a, 65);
	sha256_hex(&h, hex);
	p->checksum = hex;
}

void pod_model_build(struct svc_model *m, struct arena *a, struct diags *d)
{
	const struct spec *s = m->spec;
	struct pod_model *p = &m->pod;
	memset(p, 0, sizeof(*p));
	const char *base = arena_printf(a, "%s-%s", m->app_obj, m->name);
	props(p, &p->main, &s->props, &s->props_path, base, "hyscale-props", "props", s->dir, m->allow_outside_files, a, d);
	secrets(p, &p->main, &s->secrets, &s->secrets_path, base, "hyscale-secrets", "secrets", a, d);
	for (size_t i = 0; i < s->nvolumes; i++) {
		const struct svolume *v = &s->volumes[i];
		struct claim *c = ARENA_PUSH(a, p->claims, p->nclaims, p->claims_cap);
		c->name = v->name.v;
		c->size = v->size.v ? v->size.v : "1Gi";
		c->storage_class = v->storage_class.v;
		add_mount(a, &p->main, v->name.v, v->path.v, v->read_only.set && v->read_only.v);
	}
	for (size_t i = 0; i < s->nagents; i++) {
		const struct sagent *ag = &s->agents[i];
		struct container *c = ARENA_PUSH(a, p->agents, p->nagents, p->agents_cap);
		c->name = name_normalize(a, ag->name.v);
		c->image = ag->image.v;
		add_ports(c, &ag->ports, a);
		probe_pick(&c->probe, &ag->ports, arena_printf(a, "agents[%zu].ports", i), a, d);
		const char *obj = arena_printf(a, "%s-agent-%s", base, c->name);
		const char *fp = arena_printf(a, "agents[%zu]", i);
		props(p, c, &ag->props, &ag->props_path, obj, arena_printf(a, "hyscale-%s-props", c->name),
		      arena_printf(a, "%s.props", fp), s->dir, m->allow_outside_files, a, d);
		secrets(p, c, &ag->secrets, &ag->secrets_path, obj, arena_printf(a, "hyscale-%s-secrets", c->name),
			arena_printf(a, "%s.secrets", fp), a, d);
		for (size_t j = 0; j < ag->nvolumes; j++) {
			const struct sagent_volume *v = &ag->volumes[j];
			add_mount(a, c, v->attach.v, v->mount_path.v, v->read_only.set && v->read_only.v);
		}
	}
	if (s->memory.v)
		quantity_range(s->memory.v, a, &p->req_mem, &p->lim_mem);
	if (s->cpu.v)
		quantity_range(s->cpu.v, a, &p->req_cpu, &p->lim_cpu);
	const struct sreplicas *r = &s->replicas;
	if (r->set && r->is_object && r->max.set && r->cpu_threshold.v) {
		p->hpa = true;
		p->hpa_min = r->min.set ? r->min.v : 1;
		p->hpa_max = r->max.v;
		p->hpa_cpu = strtol(r->cpu_threshold.v, NULL, 10);
	}
	checksum(p, a);
}
