/* Deployment and Service (see workload.h). */
#include "workload.h"

static void put_labels(struct yb *b, struct fy_node *map, const char *key, const struct kvl *l)
{
	struct fy_node *m = yb_child_map(b, map, key);
	for (size_t i = 0; i < l->n; i++)
		yb_str(b, m, l->v[i].key, l->v[i].value);
}

static void put_probe(struct yb *b, struct fy_node *c, const char *key, const struct svc_model *m)
{
	struct fy_node *p = yb_child_map(b, c, key);
	if (m->probe_http) {
		struct fy_node *h = yb_child_map(b, p, "httpGet");
		yb_str(b, h, "path", m->probe_path);
		yb_int(b, h, "port", m->probe_port);
		if (m->probe_https)
			yb_str(b, h, "scheme", "HTTPS");
	} else {
		yb_int(b, yb_child_map(b, p, "tcpSocket"), "port", m->probe_port);
	}
	/* HyScale's fixed timings. */
	yb_int(b, p, "initialDelaySeconds", 10);
	yb_int(b, p, "periodSeconds", 30);
	yb_int(b, p, "timeoutSeconds", 30);
	yb_int(b, p, "failureThreshold", 10);
}

struct manifest *build_workload(const struct svc_model *m, struct manifests *ms)
{
	struct manifest *w = manifest_new(ms, "apps/v1", "Deployment", m->name, m->ns, &m->labels);
	struct yb *b = &w->yb;
	struct fy_node *spec = yb_child_map(b, w->root, "spec");
	if (m->has_replicas)
		yb_int(b, spec, "replicas", m->replicas);
	put_labels(b, yb_child_map(b, spec, "selector"), "matchLabels", &m->selector);
	struct fy_node *tpl = yb_child_map(b, spec, "template");
	put_labels(b, yb_child_map(b, tpl, "metadata"), "labels", &m->labels);
	struct fy_node *pod = yb_child_map(b, tpl, "spec");
	struct fy_node *c = yb_push_map(b, yb_child_seq(b, pod, "containers"));
	yb_str(b, c, "name", m->name);
	yb_str(b, c, "image", m->image);
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
	if (m->nports) {
		struct fy_node *ports = yb_child_seq(b, c, "ports");
		for (size_t i = 0; i < m->nports; i++) {
			struct fy_node *p = yb_push_map(b, ports);
			yb_str(b, p, "name", m->ports[i].name);
			yb_int(b, p, "containerPort", m->ports[i].number);
			yb_str(b, p, "protocol", m->ports[i].udp ? "UDP" : "TCP");
		}
	}
	if (m->probe) {
		put_probe(b, c, "readinessProbe", m);
		put_probe(b, c, "livenessProbe", m);
	}
	return w;
}

struct manifest *build_service(const struct svc_model *m, struct manifests *ms)
{
	if (!m->nports)
		return NULL;
	struct manifest *s = manifest_new(ms, "v1", "Service", m->name, m->ns, &m->labels);
	struct yb *b = &s->yb;
	struct fy_node *spec = yb_child_map(b, s->root, "spec");
	yb_str(b, spec, "type", m->service_lb ? "LoadBalancer" : "ClusterIP");
	struct fy_node *sel = yb_child_map(b, spec, "selector");
	for (size_t i = 0; i < m->selector.n; i++)
		yb_str(b, sel, m->selector.v[i].key, m->selector.v[i].value);
	struct fy_node *ports = yb_child_seq(b, spec, "ports");
	for (size_t i = 0; i < m->nports; i++) {
		struct fy_node *p = yb_push_map(b, ports);
		yb_str(b, p, "name", m->ports[i].name);
		yb_int(b, p, "port", m->ports[i].number);
		yb_int(b, p, "targetPort", m->ports[i].number);
		yb_str(b, p, "protocol", m->ports[i].udp ? "UDP" : "TCP");
	}
	return s;
}
