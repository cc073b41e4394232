/* Deployment or StatefulSet, and Service (see workload.h). */
#include "workload.h"
#include <string.h>

static void put_labels(struct yb *b, struct fy_node *map, const char *key, const struct kvl *l)
{
	struct fy_node *m = yb_child_map(b, map, key);
	for (size_t i = 0; i < l->n; i++)
		yb_str(b, m, l->v[i].key, l->v[i].value);
}

static void put_probe(struct yb *b, struct fy_node *c, const char *key, const struct probe *pr)
{
	struct fy_node *p = yb_child_map(b, c, key);
	if (pr->http) {
		struct fy_node *h = yb_child_map(b, p, "httpGet");
		yb_str(b, h, "path", pr->path);
		yb_int(b, h, "port", pr->port);
		if (pr->https)
			yb_str(b, h, "scheme", "HTTPS");
	} else {
		yb_int(b, yb_child_map(b, p, "tcpSocket"), "port", pr->port);
	}
	/* HyScale's fixed timings. */
	yb_int(b, p, "initialDelaySeconds", 10);
	yb_int(b, p, "periodSeconds", 30);
	yb_int(b, p, "timeoutSeconds", 30);
	yb_int(b, p, "failureThreshold", 10);
}

static void put_ports(struct yb *b, struct fy_node *c, const struct svc_port *ports, size_t n)
{
	if (!n)
		return;
	struct fy_node *seq = yb_child_seq(b, c, "ports");
	for (size_t i = 0; i < n; i++) {
		struct fy_node *p = yb_push_map(b, seq);
		yb_str(b, p, "name", ports[i].name);
		yb_int(b, p, "containerPort", ports[i].number);
		yb_str(b, p, "protocol", ports[i].udp ? "UDP" : "TCP");
	}
}

static void put_env_mounts(struct yb *b, struct fy_node *c, const struct container *k)
{
	if (k->nenv) {
		struct fy_node *env = yb_child_seq(b, c, "env");
		for (size_t i = 0; i < k->nenv; i++) {
			const struct env_ref *e = &k->env[i];
			/* A secret of the same name wins; two entries of one name are refused by
			 * server-side apply (env is a map keyed by name). */
			bool shadowed = false;
			for (size_t j = 0; j < k->nenv && !e->secret && !shadowed; j++)
				shadowed = k->env[j].secret && !strcmp(k->env[j].name, e->name);
			if (shadowed)
				continue;
			struct fy_node *item = yb_push_map(b, env);
			yb_str(b, item, "name", e->name);
			struct fy_node *ref = yb_child_map(b, yb_child_map(b, item, "valueFrom"),
							   e->secret ? "secretKeyRef" : "configMapKeyRef");
			yb_str(b, ref, "name", e->object);
			yb_str(b, ref, "key", e->key);
		}
	}
	if (k->nmounts) {
		struct fy_node *ms = yb_child_seq(b, c, "volumeMounts");
		for (size_t i = 0; i < k->nmounts; i++) {
			struct fy_node *mt = yb_push_map(b, ms);
			yb_str(b, mt, "name", k->mounts[i].volume);
			yb_str(b, mt, "mountPath", k->mounts[i].path);
			if (k->mounts[i].read_only)
				yb_bool(b, mt, "readOnly", true);
		}
	}
}

static void put_resources(struct yb *b, struct fy_node *c, const struct pod_model *p)
{
	if (!p->lim_mem && !p->lim_cpu)
		return;
	struct fy_node *r = yb_child_map(b, c, "resources");
	if (p->req_mem || p->req_cpu) {
		struct fy_node *q = yb_child_map(b, r, "requests");
		if (p->req_cpu)
			yb_str(b, q, "cpu", p->req_cpu);
		if (p->req_mem)
			yb_str(b, q, "memory", p->req_mem);
	}
	struct fy_node *l = yb_child_map(b, r, "limits");
	if (p->lim_cpu)
		yb_str(b, l, "cpu", p->lim_cpu);
	if (p->lim_mem)
		yb_str(b, l, "memory", p->lim_mem);
}

static void put_sidecar(struct yb *b, struct fy_node *containers, const struct container *k)
{
	struct fy_node *c = yb_push_map(b, containers);
	yb_str(b, c, "name", k->name);
	yb_str(b, c, "image", k->image);
	yb_str(b, c, "imagePullPolicy", HS_DEFAULT_PULL_POLICY);
	put_env_mounts(b, c, k);
	put_ports(b, c, k->ports, k->nports);
	if (k->probe.on) {
		put_probe(b, c, "readinessProbe", &k->probe);
		put_probe(b, c, "livenessProbe", &k->probe);
	}
}

static void put_claims(struct yb *b, struct fy_node *spec, const struct svc_model *m)
{
	struct fy_node *seq = yb_child_seq(b, spec, "volumeClaimTemplates");
	for (size_t i = 0; i < m->pod.nclaims; i++) {
		const struct claim *c = &m->pod.claims[i];
		struct fy_node *t = yb_push_map(b, seq);
		struct fy_node *md = yb_child_map(b, t, "metadata");
		yb_str(b, md, "name", c->name);
		struct fy_node *lb = yb_child_map(b, md, "labels");
		for (size_t j = 0; j < m->selector.n; j++)
			yb_str(b, lb, m->selector.v[j].key, m->selector.v[j].value);
		yb_str(b, lb, "hyscale.io/volume-name", c->name);
		struct fy_node *ts = yb_child_map(b, t, "spec");
		yb_push_str(b, yb_child_seq(b, ts, "accessModes"), "ReadWriteOnce");
		if (c->storage_class)
			yb_str(b, ts, "storageClassName", c->storage_class);
		yb_str(b, yb_child_map(b, yb_child_map(b, ts, "resources"), "requests"), "storage", c->size);
	}
}

struct manifest *build_workload(const struct svc_model *m, struct manifests *ms)
{
	const struct pod_model *pm = &m->pod;
	bool stateful = pm->nclaims > 0;
	struct manifest *w = manifest_new(ms, "apps/v1", stateful ? "StatefulSet" : "Deployment", m->name, m->ns,
					  &m->labels);
	struct yb *b = &w->yb;
	struct fy_node *spec = yb_child_map(b, w->root, "spec");
	if (m->has_replicas)
		yb_int(b, spec, "replicas", m->replicas);
	if (stateful)
		yb_str(b, spec, "serviceName", m->name);
	put_labels(b, yb_child_map(b, spec, "selector"), "matchLabels", &m->selector);
	struct fy_node *tpl = yb_child_map(b, spec, "template");
	struct fy_node *tmd = yb_child_map(b, tpl, "metadata");
	put_labels(b, tmd, "labels", &m->labels);
	/* Pods only restart on a template change; a digest of the config data makes one. */
	if (pm->checksum)
		yb_str(b, yb_child_map(b, tmd, "annotations"), "hyscale.io/checksum", pm->checksum);
	struct fy_node *pod = yb_child_map(b, tpl, "spec");
	struct fy_node *containers = yb_child_seq(b, pod, "containers");
	struct fy_node *c = yb_push_map(b, containers);
	yb_str(b, c, "name", m->name);
	yb_str(b, c, "image", m->image);
	yb_str(b, c, "imagePullPolicy", m->pull_policy);
	if (m->has_command) {
		struct fy_node *cmd = yb_child_seq(b, c, "command");
		for (size_t i = 0; i < m->ncommand; i++)
			yb_push_str(b, cmd, m->command[i]);
		if (m->nargs) {
			struct fy_node *args = yb_child_seq(b, c, "args");
			for (size_t i = 0; i < m->nargs; i++)
				yb_push_str(b, args, m->args[i]);
		}
	}
	put_env_mounts(b, c, &pm->main);
	put_ports(b, c, m->ports, m->nports);
	if (m->probe) {
		struct probe pr = { true, m->probe_http, m->probe_https, m->probe_path, m->probe_port };
		put_probe(b, c, "readinessProbe", &pr);
		put_probe(b, c, "livenessProbe", &pr);
	}
	put_resources(b, c, pm);
	for (size_t i = 0; i < pm->nagents; i++)
		put_sidecar(b, containers, &pm->agents[i]);
	if (pm->nvolumes) {
		struct fy_node *vols = yb_child_seq(b, pod, "volumes");
		for (size_t i = 0; i < pm->nvolumes; i++) {
			struct fy_node *v = yb_push_map(b, vols);
			yb_str(b, v, "name", pm->volumes[i].name);
			if (pm->volumes[i].config_map)
				yb_str(b, yb_child_map(b, v, "configMap"), "name", pm->volumes[i].config_map);
			else
				yb_str(b, yb_child_map(b, v, "secret"), "secretName", pm->volumes[i].secret);
		}
	}
	if (m->pull_secret)
		yb_str(b, yb_push_map(b, yb_child_seq(b, pod, "imagePullSecrets")), "name", m->pull_secret);
	if (stateful)
		put_claims(b, spec, m);
	return w;
}

static void put_service_ports(struct yb *b, struct fy_node *seq, const struct svc_port *ps, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct fy_node *p = yb_push_map(b, seq);
		yb_str(b, p, "name", ps[i].name);
		yb_int(b, p, "port", ps[i].number);
		yb_int(b, p, "targetPort", ps[i].number);
		yb_str(b, p, "protocol", ps[i].udp ? "UDP" : "TCP");
		/* The standard field Istio, Gateway API implementations and Traefik read for the
		 * protocol; the name stays HyScale's <n>-tcp. */
		if (ps[i].proto == PROTO_HTTP || ps[i].proto == PROTO_HTTPS)
			yb_str(b, p, "appProtocol", ps[i].proto == PROTO_HTTPS ? "https" : "http");
	}
}

struct manifest *build_service(const struct svc_model *m, struct manifests *ms)
{
	size_t total = m->nports;
	for (size_t i = 0; i < m->pod.nagents; i++)
		total += m->pod.agents[i].nports;
	if (!total)
		return NULL;
	struct manifest *s = manifest_new(ms, "v1", "Service", m->name, m->ns, &m->labels);
	struct yb *b = &s->yb;
	struct fy_node *spec = yb_child_map(b, s->root, "spec");
	yb_str(b, spec, "type", m->service_lb ? "LoadBalancer" : "ClusterIP");
	struct fy_node *sel = yb_child_map(b, spec, "selector");
	for (size_t i = 0; i < m->selector.n; i++)
		yb_str(b, sel, m->selector.v[i].key, m->selector.v[i].value);
	struct fy_node *ports = yb_child_seq(b, spec, "ports");
	put_service_ports(b, ports, m->ports, m->nports);
	/* Agents' ports are reachable through the service too, as in HyScale. */
	for (size_t i = 0; i < m->pod.nagents; i++)
		put_service_ports(b, ports, m->pod.agents[i].ports, m->pod.agents[i].nports);
	return s;
}
