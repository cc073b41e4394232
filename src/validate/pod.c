/* Checks of what goes into the pod beyond the basics: volumes, resources, autoscaling,
 * props and secrets keys, mount paths, agents and their ports (HyScale's PortsValidator),
 * and allowTraffic (HyScale's NetworkPoliciesValidator, hyscale.md §4.2). */
#include "validate.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "../model/pod.h"
#include "../spec/read.h"
#include "../util/imageref.h"
#include "../util/names.h"
#include "../util/quantity.h"

static void check_quantity(const char *q, struct loc at, const char *field, const char *what, struct diags *d,
			   long double *out)
{
	long double v;
	if (quantity_parse(q, &v)) {
		if (out)
			*out = v;
		return;
	}
	const char *hint = quantity_hint(q);
	if (hint)
		diag_error(d, at, field, "'%s' is not a Kubernetes quantity; for %s write e.g. %.*s%s", q, what,
			   (int)strspn(q, "0123456789."), q, hint);
	else
		diag_error(d, at, field, "'%s' is not a Kubernetes quantity (%s), e.g. %s", q, what,
			   !strcmp(what, "cpu") ? "500m, 0.5 or 2" : "512Mi or 1Gi");
}

static void check_resource(const struct sstr *v, const char *field, const char *what, struct arena *a,
			   struct diags *d)
{
	if (!v->v)
		return;
	const char *min, *max;
	quantity_range(v->v, a, &min, &max);
	long double lo = -1, hi = -1;
	if (min)
		check_quantity(min, v->loc, field, what, d, &lo);
	check_quantity(max, v->loc, field, what, d, &hi);
	if (lo >= 0 && hi >= 0 && lo > hi)
		diag_error(d, v->loc, field, "the request %s is more than the limit %s; write <request>-<limit>", min, max);
	if (!strcmp(what, "memory") && hi >= 0 && hi < 4.0L * 1048576.0L)
		diag_warn(d, v->loc, field, "a limit of %s is below 4Mi; containers are unlikely to start", max);
}

static void check_replicas(const struct spec *s, struct diags *d)
{
	const struct sreplicas *r = &s->replicas;
	if (!r->set || !r->is_object)
		return;
	if (r->max.set && !r->cpu_threshold.v)
		diag_error(d, r->max.loc, "replicas.cpuThreshold",
			   "missing: autoscaling up to replicas.max needs a CPU target such as cpuThreshold: 70%%");
	if (r->cpu_threshold.v && !r->max.set)
		diag_error(d, r->cpu_threshold.loc, "replicas.max", "missing: autoscaling needs the most replicas to run");
	if (r->cpu_threshold.v) {
		const char *t = r->cpu_threshold.v;
		size_t nd = strspn(t, "0123456789");
		if (!nd || strcmp(t + nd, "%") || atol(t) < 1 || nd > 6)
			diag_error(d, r->cpu_threshold.loc, "replicas.cpuThreshold",
				   "'%s' is not a CPU utilization target; write a percentage such as 70%%", t);
		else if (!s->cpu.v)
			diag_warn(d, r->cpu_threshold.loc, "replicas.cpuThreshold",
				  "utilization is measured against the CPU request, and cpu is not set; the autoscaler "
				  "cannot scale until a request is given (cpu: <request>-<limit>)");
	}
	if (r->min.set && r->min.v < 1 && r->max.set)
		diag_error(d, r->min.loc, "replicas.min", "autoscaling needs at least 1 replica");
}

static void check_keys(const struct skvs *kv, const char *field, const char *reserved, const struct sstr *mount,
		       struct arena *a, struct diags *d)
{
	for (size_t i = 0; i < kv->n; i++) {
		const struct skv *e = &kv->v[i];
		const char *fp = arena_printf(a, "%s.%s", field, e->key);
		if (!is_config_key(e->key))
			diag_error(d, e->kloc, fp,
				   "'%s' cannot be a ConfigMap/Secret key: letters, digits, '-', '_', '.', at most 253, not '.' "
				   "and not starting with '..'",
				   e->key);
		else if (mount->v && !strcmp(e->key, reserved))
			diag_error(d, e->kloc, fp, "'%s' is the file hyscale writes into %s; use another name", reserved,
				   mount->v);
	}
}

static void check_secrets(const struct ssecrets *s, const char *field, const struct sstr *mount, struct arena *a,
			  struct diags *d)
{
	if (!s->set)
		return;
	if (s->is_map) {
		check_keys(&s->map, field, "secret.props", mount, a, d);
		return;
	}
	for (size_t i = 0; i < s->nnames; i++)
		if (!is_config_key(s->names[i].v))
			diag_error(d, s->names[i].loc, arena_printf(a, "%s[%zu]", field, i),
				   "'%s' cannot be a Secret key: letters, digits, '-', '_', '.', at most 253, not '.' and not "
				   "starting with '..'", s->names[i].v);
}

/* Two mounts at one path are refused by the API server. */
struct seen_path { const char *path; const char *field; };
static void check_mount(struct seen_path *seen, size_t *n, const struct sstr *p, const char *field, struct diags *d)
{
	if (!p->v)
		return;
	if (p->v[0] != '/') {
		diag_error(d, p->loc, field, "'%s' must be an absolute path", p->v);
		return;
	}
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(seen[i].path, p->v)) {
			diag_error(d, p->loc, field, "'%s' is already mounted by %s", p->v, seen[i].field);
			return;
		}
	seen[(*n)++] = (struct seen_path){ p->v, field };
}

static void check_volumes(const struct spec *s, struct arena *a, struct diags *d, struct seen_path *seen, size_t *nseen)
{
	for (size_t i = 0; i < s->nvolumes; i++) {
		const struct svolume *v = &s->volumes[i];
		const char *fp = arena_printf(a, "volumes[%zu]", i);
		if (!v->name.v)
			diag_error(d, v->loc, arena_printf(a, "%s.name", fp), "missing required field");
		else if (!is_dns_label(v->name.v))
			diag_error(d, v->name.loc, arena_printf(a, "%s.name", fp),
				   "'%s' cannot name a volume: lower-case letters, digits and '-', at most 63", v->name.v);
		else if (!strncmp(v->name.v, "hyscale-", 8))
			diag_error(d, v->name.loc, arena_printf(a, "%s.name", fp),
				   "names starting with 'hyscale-' are kept for the props and secrets volumes");
		else
			for (size_t j = 0; j < i; j++)
				if (s->volumes[j].name.v && !strcmp(s->volumes[j].name.v, v->name.v))
					diag_error(d, v->name.loc, arena_printf(a, "%s.name", fp),
						   "volume '%s' is declared twice (volumes[%zu])", v->name.v, j);
		if (!v->path.v || !*v->path.v)
			diag_error(d, v->path.v ? v->path.loc : v->loc, arena_printf(a, "%s.path", fp),
				   "missing: the folder where the volume is mounted");
		else
			check_mount(seen, nseen, &v->path, arena_printf(a, "%s.path", fp), d);
		if (v->size.v)
			check_quantity(v->size.v, v->size.loc, arena_printf(a, "%s.size", fp), "storage", d, NULL);
		if (v->storage_class.v && !is_dns_subdomain(v->storage_class.v))
			diag_error(d, v->storage_class.loc, arena_printf(a, "%s.storageClass", fp),
				   "'%s' is not a valid StorageClass name", v->storage_class.v);
	}
}

static bool same_port(const struct sport *a, const struct sport *b)
{
	return a->valid && b->valid && a->number == b->number && (a->proto == PROTO_UDP) == (b->proto == PROTO_UDP);
}

static void check_agents(const struct spec *s, struct arena *a, struct diags *d)
{
	const char *svc = s->name.v ? name_normalize(a, s->name.v) : "";
	for (size_t i = 0; i < s->nagents; i++) {
		const struct sagent *ag = &s->agents[i];
		const char *fp = arena_printf(a, "agents[%zu]", i);
		struct seen_path seen[64];
		size_t nseen = 0;
		if (!ag->name.v) {
			diag_error(d, ag->loc, arena_printf(a, "%s.name", fp), "missing required field");
		} else {
			const char *n = name_normalize(a, ag->name.v);
			const char *lost = name_dropped(ag->name.v);
			if (lost)
				diag_error(d, ag->name.loc, arena_printf(a, "%s.name", fp),
					   "'%s' holds '%.*s', which a container name cannot hold and hyscale would drop",
					   ag->name.v, utf8_len(lost), lost);
			else if (!is_dns_label(n))
				diag_error(d, ag->name.loc, arena_printf(a, "%s.name", fp),
					   "'%s' cannot name a container (got '%s')", ag->name.v, n);
			else if (!strcmp(n, svc))
				diag_error(d, ag->name.loc, arena_printf(a, "%s.name", fp),
					   "'%s' is the service's own container name", ag->name.v);
			for (size_t j = 0; j < i; j++)
				if (s->agents[j].name.v && !strcmp(name_normalize(a, s->agents[j].name.v), n))
					diag_error(d, ag->name.loc, arena_printf(a, "%s.name", fp),
						   "agent '%s' is declared twice (agents[%zu])", ag->name.v, j);
		}
		if (!ag->image.v || !*ag->image.v)
			diag_error(d, ag->image.v ? ag->image.loc : ag->loc, arena_printf(a, "%s.image", fp),
				   "missing: the sidecar's image, e.g. envoyproxy/envoy:v1.30.1");
		else if (imageref_error(ag->image.v))
			diag_error(d, ag->image.loc, arena_printf(a, "%s.image", fp), "'%.80s' is not an image reference: %s",
				   ag->image.v, imageref_error(ag->image.v));
		check_keys(&ag->props, arena_printf(a, "%s.props", fp), "config.props", &ag->props_path, a, d);
		check_secrets(&ag->secrets, arena_printf(a, "%s.secrets", fp), &ag->secrets_path, a, d);
		check_mount(seen, &nseen, &ag->props_path, arena_printf(a, "%s.propsVolumePath", fp), d);
		check_mount(seen, &nseen, &ag->secrets_path, arena_printf(a, "%s.secretsVolumePath", fp), d);
		for (size_t j = 0; j < ag->nvolumes; j++) {
			const struct sagent_volume *v = &ag->volumes[j];
			const char *vp = arena_printf(a, "%s.volumes[%zu]", fp, j);
			bool found = false;
			for (size_t k = 0; v->attach.v && k < s->nvolumes && !found; k++)
				found = s->volumes[k].name.v && !strcmp(s->volumes[k].name.v, v->attach.v);
			if (!v->attach.v)
				diag_error(d, v->loc, arena_printf(a, "%s.attach", vp), "missing: the service volume to attach");
			else if (!found)
				diag_error(d, v->attach.loc, arena_printf(a, "%s.attach", vp),
					   "'%s' is not a volume of this service; declare it under volumes", v->attach.v);
			if (!v->mount_path.v)
				diag_error(d, v->loc, arena_printf(a, "%s.mountPath", vp), "missing required field");
			else if (nseen < 64)
				check_mount(seen, &nseen, &v->mount_path, arena_printf(a, "%s.mountPath", vp), d);
		}
		/* HyScale's PortsValidator: an agent port may not repeat a service port or an
		 * earlier agent's port (they share the pod's network namespace). */
		for (size_t j = 0; j < ag->ports.n; j++) {
			const struct sport *p = &ag->ports.v[j];
			const char *pp = arena_printf(a, "%s.ports[%zu].port", fp, j);
			bool dup = false;
			for (size_t k = 0; k < s->ports.n && !dup; k++)
				if (same_port(p, &s->ports.v[k])) {
					diag_error(d, p->loc, pp, "duplicate port %s: the service declares it (ports[%zu])", p->raw, k);
					dup = true;
				}
			for (size_t q = 0; q < i && !dup; q++)
				for (size_t k = 0; k < s->agents[q].ports.n && !dup; k++)
					if (same_port(p, &s->agents[q].ports.v[k])) {
						diag_error(d, p->loc, pp, "duplicate port %s: agents[%zu] declares it", p->raw, q);
						dup = true;
					}
		}
	}
}

static bool exposed(const struct spec *s, long n, bool udp)
{
	for (size_t i = 0; i < s->ports.n; i++)
		if (s->ports.v[i].valid && s->ports.v[i].number == n && (s->ports.v[i].proto == PROTO_UDP) == udp)
			return true;
	for (size_t a = 0; a < s->nagents; a++)
		for (size_t i = 0; i < s->agents[a].ports.n; i++) {
			const struct sport *p = &s->agents[a].ports.v[i];
			if (p->valid && p->number == n && (p->proto == PROTO_UDP) == udp)
				return true;
		}
	return false;
}

static void check_traffic(const struct spec *s, struct arena *a, struct diags *d)
{
	if (!s->has_traffic)
		return;
	if (s->external.set && s->external.v) {
		diag_error(d, s->traffic_loc, "allowTraffic",
			   "traffic rules cannot be applied to a service exposed externally (external: true)");
		return;
	}
	for (size_t i = 0; i < s->ntraffic; i++) {
		const struct straffic *t = &s->traffic[i];
		const char *fp = arena_printf(a, "allowTraffic[%zu]", i);
		if (!t->has_ports)
			diag_error(d, t->loc, arena_printf(a, "%s.ports", fp),
				   "missing required field: the ports this rule opens (ports: [] opens all)");
		if (!t->has_from)
			diag_warn(d, t->loc, arena_printf(a, "%s.from", fp),
				  "rule without 'from' allows nothing and is left out, as in HyScale; write from: [] for any source");
		for (size_t j = 0; j < t->nports; j++) {
			const struct sstr *ps = &t->ports[j];
			const char *pp = arena_printf(a, "%s.ports[%zu]", fp, j);
			long n;
			enum port_proto pr;
			if (!port_parse(ps->v, &n, &pr))
				diag_error(d, ps->loc, pp, "'%s' is not a port; expected <number>[/tcp|udp|http|https]", ps->v);
			else if (!exposed(s, n, pr == PROTO_UDP))
				diag_error(d, ps->loc, pp,
					   "traffic rules cannot be applied to a port that is not exposed by the service: %ld/%s is "
					   "not among its ports", n, pr == PROTO_UDP ? "udp" : "tcp");
		}
		for (size_t j = 0; j < t->nfrom; j++) {
			const char *f = name_normalize(a, t->from[j].v);
			if (name_dropped(t->from[j].v) || !is_dns1035_label(f))
				diag_error(d, t->from[j].loc, arena_printf(a, "%s.from[%zu]", fp, j),
					   "'%s' is not a service name", t->from[j].v);
		}
	}
}

/* One name in props and secrets gives the container two variables of that name. */
static void check_env_clash(const struct skvs *props, const struct ssecrets *sec, const char *field, struct arena *a,
			    struct diags *d)
{
	size_t n = sec->is_map ? sec->map.n : sec->nnames;
	for (size_t i = 0; sec->set && i < n; i++) {
		const char *k = sec->is_map ? sec->map.v[i].key : sec->names[i].v;
		struct loc l = sec->is_map ? sec->map.v[i].kloc : sec->names[i].loc;
		for (size_t j = 0; j < props->n; j++)
			if (!strcmp(props->v[j].key, k))
				diag_warn(d, l, arena_printf(a, "%s.%s", field, k),
					  "'%s' is also a prop (%s:%d); the container's variable takes the secret (the prop stays in the ConfigMap)", k,
					  props->v[j].kloc.file, props->v[j].kloc.line);
	}
}

void validate_pod(const struct spec *s, struct arena *a, struct diags *d)
{
	check_env_clash(&s->props, &s->secrets, "secrets", a, d);
	for (size_t i = 0; i < s->nagents; i++)
		check_env_clash(&s->agents[i].props, &s->agents[i].secrets, arena_printf(a, "agents[%zu].secrets", i), a, d);
	struct seen_path seen[256];
	size_t nseen = 0;
	check_resource(&s->memory, "memory", "memory", a, d);
	check_resource(&s->cpu, "cpu", "cpu", a, d);
	check_replicas(s, d);
	check_keys(&s->props, "props", "config.props", &s->props_path, a, d);
	check_secrets(&s->secrets, "secrets", &s->secrets_path, a, d);
	check_mount(seen, &nseen, &s->props_path, "propsVolumePath", d);
	check_mount(seen, &nseen, &s->secrets_path, "secretsVolumePath", d);
	if (s->nvolumes > 200)
		diag_error(d, s->volumes[200].loc, "volumes", "more than 200 volumes");
	else
		check_volumes(s, a, d, seen, &nseen);
	check_agents(s, a, d);
	check_traffic(s, a, d);
}
