/* ConfigMaps and Secrets (see config.h). ConfigMap text goes to data, file(...) props to
 * binaryData (byte for byte); Secret values are base64 in data and appear nowhere else. */
#include "config.h"
#include "../util/digest.h"

void build_configs(const struct svc_model *m, struct manifests *ms)
{
	for (size_t i = 0; i < m->pod.nconfigs; i++) {
		const struct config_obj *c = &m->pod.configs[i];
		struct manifest *o = manifest_new(ms, "v1", c->secret ? "Secret" : "ConfigMap", c->name, m->ns, &m->labels);
		struct yb *b = &o->yb;
		if (c->secret)
			yb_str(b, o->root, "type", "Opaque");
		struct fy_node *data = NULL, *bin = NULL;
		for (size_t j = 0; j < c->n; j++) {
			const struct data_item *it = &c->items[j];
			if (c->secret || it->binary) {
				struct fy_node **sec = c->secret ? &data : &bin;
				if (!*sec)
					*sec = yb_child_map(b, o->root, c->secret ? "data" : "binaryData");
				yb_str(b, *sec, it->key, base64_encode(ms->a, it->bytes, it->len));
			} else {
				if (!data)
					data = yb_child_map(b, o->root, "data");
				yb_str(b, data, it->key, it->bytes);
			}
		}
	}
}

void build_autoscaler(const struct svc_model *m, struct manifests *ms)
{
	const struct pod_model *p = &m->pod;
	if (!p->hpa)
		return;
	struct manifest *h = manifest_new(ms, "autoscaling/v2", "HorizontalPodAutoscaler",
					  arena_printf(ms->a, "%s-%s", m->app_obj, m->name), m->ns, &m->labels);
	struct yb *b = &h->yb;
	struct fy_node *spec = yb_child_map(b, h->root, "spec");
	struct fy_node *ref = yb_child_map(b, spec, "scaleTargetRef");
	yb_str(b, ref, "apiVersion", "apps/v1");
	yb_str(b, ref, "kind", p->nclaims ? "StatefulSet" : "Deployment");
	yb_str(b, ref, "name", m->name);
	yb_int(b, spec, "minReplicas", p->hpa_min);
	yb_int(b, spec, "maxReplicas", p->hpa_max);
	struct fy_node *metric = yb_push_map(b, yb_child_seq(b, spec, "metrics"));
	yb_str(b, metric, "type", "Resource");
	struct fy_node *res = yb_child_map(b, metric, "resource");
	yb_str(b, res, "name", "cpu");
	struct fy_node *target = yb_child_map(b, res, "target");
	yb_str(b, target, "type", "Utilization");
	yb_int(b, target, "averageUtilization", p->hpa_cpu);
}
