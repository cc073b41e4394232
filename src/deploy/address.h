/* Where a deployed service answers: the URL of every host and path its routing objects
 * expose, with the scheme their TLS settings give, and the load balancer's address from
 * Ingress status, Gateway status.addresses, the Istio ingress gateway Service, or the
 * service's own LoadBalancer Service. A placeholder (HyScale's wording) when none shows. */
#ifndef HS_ADDRESS_H
#define HS_ADDRESS_H
#include "kube.h"

struct address {
	const char *ip;              /* "203.0.113.7", "lb.example:80,lb.example:443", a placeholder, or NULL */
	bool placeholder;            /* ip is a placeholder: no address appeared */
	const char **urls;
	size_t nurls, cap;
};

/* objs: the service's objects (rendered or read from the cluster). Polls the cluster for
 * the address for up to wait_ms (0: look once). */
void service_address(struct kube *k, struct arena *a, struct fy_node **objs, size_t n, const char *ns,
		     long wait_ms, struct address *out);
#endif
