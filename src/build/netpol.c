/* allowTraffic → NetworkPolicy. The pods are selected by all three HyScale selector
 * labels (HyScale used only the service name, which also matched other apps' pods), and
 * each port keeps its protocol (HyScale turned UDP rules into TCP ones). */
#include <string.h>
#include "../spec/read.h"
#include "../util/names.h"
#include "config.h"

void build_network_policy(const struct svc_model *m, struct manifests *ms, struct arena *a)
{
	const struct spec *s = m->spec;
	if (!s->has_traffic)
		return;
	struct manifest *np = manifest_new(ms, "networking.k8s.io/v1", "NetworkPolicy",
					   arena_printf(a, "%s-%s", m->app_obj, m->name), m->ns, &m->labels);
	struct yb *b = &np->yb;
	struct fy_node *spec = yb_child_map(b, np->root, "spec");
	struct fy_node *ml = yb_child_map(b, yb_child_map(b, spec, "podSelector"), "matchLabels");
	for (size_t i = 0; i < m->selector.n; i++)
		yb_str(b, ml, m->selector.v[i].key, m->selector.v[i].value);
	yb_push_str(b, yb_child_seq(b, spec, "policyTypes"), "Ingress");
	struct fy_node *ingress = NULL;
	for (size_t i = 0; i < s->ntraffic; i++) {
		const struct straffic *t = &s->traffic[i];
		if (!t->has_from)
			continue;
		if (!ingress)
			ingress = yb_child_seq(b, spec, "ingress");
		struct fy_node *rule = yb_push_map(b, ingress);
		/* An empty from (or ports) list means any source (or port), as in Kubernetes. */
		struct fy_node *from = yb_child_seq(b, rule, "from");
		for (size_t j = 0; j < t->nfrom; j++) {
			struct fy_node *peer = yb_push_map(b, from);
			struct fy_node *pl = yb_child_map(b, yb_child_map(b, peer, "podSelector"), "matchLabels");
			yb_str(b, pl, "hyscale.io/app-name", m->app_obj);
			yb_str(b, pl, "hyscale.io/service-name", name_normalize(a, t->from[j].v));
		}
		struct fy_node *ports = yb_child_seq(b, rule, "ports");
		for (size_t j = 0; j < t->nports; j++) {
			long n;
			enum port_proto pr;
			if (!port_parse(t->ports[j].v, &n, &pr))
				continue;
			struct fy_node *p = yb_push_map(b, ports);
			yb_int(b, p, "port", n);
			yb_str(b, p, "protocol", pr == PROTO_UDP ? "UDP" : "TCP");
		}
	}
}
