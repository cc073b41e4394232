/* Checks on a typed spec that do not depend on the provider: everything the API server or
 * the controller would refuse, reported with positions before any manifest is built. */
#ifndef HS_VALIDATE_H
#define HS_VALIDATE_H
#include "../spec/spec.h"

struct run_opts;
void validate_service(const struct spec *s, struct arena *a, struct diags *d);
/* Volumes, resources, autoscaling, props/secrets keys, agents, allowTraffic. */
void validate_pod(const struct spec *s, struct arena *a, struct diags *d);
void validate_loadbalancer(const struct spec *s, const char *provider_override, struct arena *a, struct diags *d);
/* What the checks across the services of one run need of each spec, copied out of it so
 * that the spec itself can be freed as soon as its service is rendered (generate streams:
 * memory must not grow with the number of services). */
struct route_sum { const char *path; bool exact; struct loc loc; size_t m, p; }; /* path without a trailing '/' */
struct from_sum { struct sstr from; size_t t, f; };                              /* allowTraffic[t].from[f] */
struct svc_sum {
	const char *file;
	struct sstr name;             /* v NULL: none could be read */
	bool loaded;                  /* read: its name and allowTraffic are compared */
	bool whole;                   /* not cut short by the alias budget: its routes are compared */
	bool lb;
	struct sstr tls_secret;
	struct sstr *hosts; size_t nhosts;     /* host, then hosts[]; the non-empty ones */
	struct route_sum *routes; size_t nroutes;
	struct from_sum *froms; size_t nfroms;
};
/* Copies what validate_across() needs of s into keep (which outlives s). */
void svc_sum_fill(struct svc_sum *out, const struct spec *s, bool loaded, bool whole, struct arena *keep);
/* Across the services of one run, in this order: two specs for one service name (an
 * error at both), the same host and path routed by two services (an error at both
 * positions), one host with two tlsSecrets (a warning), allowTraffic.from naming no
 * service of the run (a warning, when the run has more than one). errs[service] counts
 * the errors. */
void validate_across(const struct svc_sum *sums, size_t n, size_t *errs, const char *app, struct arena *a,
		     struct diags *d);
void validate_routes_across(const struct svc_sum *sums, size_t n, size_t *errs, struct arena *a, struct diags *d);
/* Context-path rules shared by every provider (Kubernetes Ingress and Gateway API). */
const char *path_problem(const char *p);
#endif
