/* The Layer-7 provider interface. A provider reads only the routing model: check() says,
 * with the spec position, every intent it cannot honour (errors and warnings) without
 * building anything; emit() only builds its objects, and is called only when check()
 * found no error. Adding a provider = one file with one `struct provider` + a line in
 * registry.c. */
#ifndef HS_PROVIDER_H
#define HS_PROVIDER_H
#include <stdbool.h>
#include "../build/manifest.h"
#include "../model/routing.h"
#include "../model/entrypoints.h"

/* Everything emit writes to; what it needs beyond the model. */
struct emit_ctx {
	struct manifests *ms;
	struct manifest *service;   /* the Service we generate (NULL when none): some providers annotate it */
	struct arena *a;
};

/* The annotations a provider puts on one of its objects itself, computed once for both
 * check() (which warns when loadBalancer.annotations replaces one) and emit(). */
struct planned {
	const char *kind, *name;
	struct kvl ann;
};

struct provider {
	const char *name;           /* canonical, lower case */
	const char *aliases;        /* space separated, or NULL */
	const char *summary;        /* one line for --help */
	bool needs_labels;          /* loadBalancer.labels required (gateway selector) */
	bool supports_gateway_ref;  /* loadBalancer.gateway allowed */
	bool has_implementations;   /* loadBalancer.implementation means something */
	void (*check)(const struct routing *r, struct diags *d);
	void (*emit)(const struct routing *r, struct emit_ctx *ctx);
	/* The app's shared entry point (entrypoints.h), built once after every service; NULL
	 * for providers whose routes need none. */
	void (*emit_shared)(const struct ep_group *g, struct emit_ctx *ctx);
};

const struct provider *provider_find(const char *name);   /* case-insensitive, aliases too */
const char *provider_names(struct arena *a);             /* "nginx, traefik, istio, …" */
const struct provider *const *provider_table(void);      /* NULL terminated */

/* Shared by the Ingress-based providers: one networking.k8s.io/v1 Ingress. */
struct manifest *ingress_build(const struct routing *r, struct emit_ctx *c, const char *name,
			       bool with_tls, bool segment_prefix);
/* The Ingress-based providers with one Ingress whose annotations plan() computes: */
typedef void (*ingress_plan_fn)(const struct routing *r, struct arena *a, struct planned *p);
/* check(): labels are ignored, and user annotations that replace planned ones are said; */
void check_planned_ingress(const struct routing *r, struct diags *d, ingress_plan_fn plan);
/* emit(): the Ingress with the planned annotations, then the user's. */
struct manifest *emit_planned_ingress(const struct routing *r, struct emit_ctx *c, ingress_plan_fn plan,
				      bool segment_prefix);
/* The provider's own annotations, then the user's (which win). */
void annotate_planned(const struct routing *r, struct manifest *m, const struct planned *p);
/* The user's loadBalancer.annotations, last: they win over the provider's own. */
void annotations_passthrough(const struct routing *r, struct manifest *m);
/* Warns, once per key at the first object that has it, where a user annotation replaces
 * one the provider generates. */
void check_annotation_overrides(const struct routing *r, struct diags *d, const struct planned *objs, size_t n);
/* Envoy (Istio, Contour, Envoy Gateway) reads header values as format strings: "%" is "%%". */
const char *envoy_escape(struct arena *a, const char *v);
/* The Istio DestinationRule for the backend Service: cookie affinity (with sticky) and TLS
 * origination to the ports that speak TLS; nothing when neither is needed. */
void istio_destination_rule(const struct routing *r, struct emit_ctx *c, bool sticky);
/* For controllers that set the backend protocol per object, not per port: with TLS and
 * plain backends together, warns at each TLS backend that it is sent plain HTTP (why:
 * the controller's reason). */
void warn_mixed_tls_backends(const struct routing *r, struct diags *d, const char *why);
/* Refuses (error at the value) header values that value() cannot carry; false if any. */
bool check_header_values(const struct routing *r, struct diags *d,
			 const char *(*value)(struct arena *a, const char *v, bool *ok), const char *why);
/* Warns that loadBalancer.labels means nothing to this provider. */
void warn_ignored_labels(const struct routing *r, struct diags *d);
#endif
