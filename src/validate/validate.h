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
/* Across the services of one run: the same host and path routed by two services is an
 * error at both positions (errs[service] counts it); one host with two tlsSecrets a warning. */
void validate_routes_across(const struct spec *specs, const bool *loaded, size_t n, size_t *errs, struct arena *a,
			    struct diags *d);
/* Context-path rules shared by every provider (Kubernetes Ingress and Gateway API). */
const char *path_problem(const char *p);
#endif
