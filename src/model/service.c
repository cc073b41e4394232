/* Service model (see service.h). */
#include "service.h"
#include <ctype.h>
#include <string.h>
#include "../util/names.h"

/* HyScale's startCommand: comma separated, one surrounding pair of quotes stripped. */
static void split_command(struct svc_model *m, const char *cmd, struct arena *a)
{
	size_t cap = 0, acap = 0, n = 0;
	const char **parts = NULL;
	const char *p = cmd;
	for (;;) {
		const char *comma = strchr(p, ',');
		const char *end = comma ? comma : p + strlen(p);
		const char *b = p, *e = end;
		while (b < e && isspace((unsigned char)*b))
			b++;
		while (e > b && isspace((unsigned char)e[-1]))
			e--;
		if (b < e && *b == '"')
			b++;
		if (e > b && e[-1] == '"')
			e--;
		*ARENA_PUSH(a, parts, n, cap) = arena_strndup(a, b, (size_t)(e - b));
		if (!comma)
			break;
		p = comma + 1;
	}
	m->has_command = true;
	m->command = arena_alloc(a, sizeof(char *));
	m->command[0] = parts[0];
	m->ncommand = 1;
	for (size_t i = 1; i < n; i++)
		*ARENA_PUSH(a, m->args, m->nargs, acap) = parts[i];
}

void svc_port_add(struct svc_port **ports, size_t *n, size_t *cap, const struct sport *p, struct arena *a)
{
	bool udp = p->proto == PROTO_UDP;
	if (!p->valid)
		return;
	for (size_t i = 0; i < *n; i++)
		if ((*ports)[i].number == p->number && (*ports)[i].udp == udp)
			return;
	struct svc_port *sp = ARENA_PUSH(a, *ports, *n, *cap);
	sp->number = p->number;
	sp->udp = udp;
	sp->proto = p->proto;
	sp->name = arena_printf(a, "%ld-%s", p->number, udp ? "udp" : "tcp");
}

void svc_model_build(struct svc_model *m, const struct spec *s, const struct run_opts *o,
		     const char *env, struct arena *a, struct diags *d)
{
	memset(m, 0, sizeof(*m));
	m->spec = s;
	m->app = o->app;
	m->env = env;
	m->ns = o->ns;
	m->name = name_normalize(a, s->name.v);
	m->app_obj = name_normalize(a, o->app);

	/* One normaliser for names and selector labels (see names.h); the app is checked to be
	 * a DNS label already. The environment label is HyScale's value as written (Stage, qa_1
	 * are valid label values, checked with the profile): changing it would change the
	 * selector of every workload deployed with it. Object names normalise it. */
	const char *lapp = m->app_obj;
	const char *lenv = env;
	const char *lsvc = m->name;
	kvl_add(a, &m->selector, "hyscale.io/app-name", lapp);
	kvl_add(a, &m->selector, "hyscale.io/environment-name", lenv);
	kvl_add(a, &m->selector, "hyscale.io/service-name", lsvc);
	m->labels = m->selector;
	m->labels.v = NULL;
	m->labels.n = m->labels.cap = 0;
	for (size_t i = 0; i < m->selector.n; i++)
		kvl_add(a, &m->labels, m->selector.v[i].key, m->selector.v[i].value);
	kvl_add(a, &m->labels, "app.kubernetes.io/name", m->name);
	kvl_add(a, &m->labels, "app.kubernetes.io/part-of", lapp);
	kvl_add(a, &m->labels, "app.kubernetes.io/managed-by", "hyscale");

	/* name[@digest], tag[@digest] and image.digest: one name:tag@digest (validation made
	 * sure the digests agree). */
	const char *img = s->image_name.v ? s->image_name.v : "";
	const char *digest = s->image_digest.v, *tag = s->image_tag.v, *at;
	if ((at = strchr(img, '@'))) {
		digest = at + 1;
		img = arena_strndup(a, img, (size_t)(at - img));
	}
	if (tag && (at = strchr(tag, '@'))) {
		digest = at + 1;
		tag = arena_strndup(a, tag, (size_t)(at - tag));
	}
	if (s->image_registry.v && *s->image_registry.v) {
		const char *reg = s->image_registry.v;
		size_t rl = strlen(reg);
		while (rl && reg[rl - 1] == '/')
			rl--;
		img = arena_printf(a, "%.*s/%s", (int)rl, reg, img);
	}
	if (tag && *tag)
		img = arena_printf(a, "%s:%s", img, tag);
	if (digest)
		img = arena_printf(a, "%s@%s", img, digest);
	m->image = img;
	m->pull_policy = s->image_pull_policy.v ? s->image_pull_policy.v : HS_DEFAULT_PULL_POLICY;

	const struct sreplicas *r = &s->replicas;
	if (r->set) {
		m->has_replicas = true;
		m->replicas = r->is_object ? (r->min.set ? r->min.v : 1) : r->count.v;
	}
	if (s->start_command.v && *s->start_command.v)
		split_command(m, s->start_command.v, a);

	for (size_t i = 0; i < s->ports.n; i++)
		svc_port_add(&m->ports, &m->nports, &m->ports_cap, &s->ports.v[i], a);

	/* One probe, as HyScale: the first httpPath, else the first healthCheck as TCP. */
	struct probe pr;
	probe_pick(&pr, &s->ports, "ports", a, d);
	m->probe = pr.on;
	m->probe_http = pr.http;
	m->probe_https = pr.https;
	m->probe_path = pr.path;
	m->probe_port = pr.port;
	m->service_lb = s->external.set && s->external.v && !s->lb.set;
	m->pull_secret = o->pull_secret;
	m->allow_outside_files = o->allow_outside_files;
	pod_model_build(m, a, d);
}
