/* The Layer-7 provider interface. A provider translates the neutral routing model into
 * its own objects and warns, with the spec position, about every intent it cannot honour.
 * Adding a provider = one file with one `struct provider` + a line in registry.c. */
#ifndef HS_PROVIDER_H
#define HS_PROVIDER_H
#include <stdbool.h>
#include "../build/manifest.h"
#include "../model/routing.h"

struct emit_ctx {
	struct manifests *ms;
	struct manifest *service;   /* the Service we generate: some providers annotate it */
	struct arena *a;
	struct diags *d;
};

struct provider {
	const char *name;           /* canonical, lower case */
	const char *aliases;        /* space separated, or NULL */
	const char *summary;        /* one line for --help */
	bool needs_labels;          /* loadBalancer.labels required (gateway selector) */
	bool supports_gateway_ref;  /* loadBalancer.gateway allowed */
	void (*emit)(const struct routing *r, struct emit_ctx *ctx);
};

const struct provider *provider_find(const char *name);   /* case-insensitive, aliases too */
const char *provider_names(struct arena *a);             /* "nginx, traefik, istio, …" */
const struct provider *const *provider_table(void);      /* NULL terminated */

/* Shared by the Ingress-based providers: one networking.k8s.io/v1 Ingress. */
struct manifest *ingress_build(const struct routing *r, struct emit_ctx *c, const char *name,
			       bool with_tls, bool segment_prefix);
void annotations_passthrough(const struct routing *r, struct emit_ctx *c, struct manifest *m);
/* Warns that a field given in the spec means nothing to this provider. */
void warn_ignored_labels(const struct routing *r, struct emit_ctx *c);
#endif
