/* The pod of a service beyond its main container's basics: configuration objects made
 * from props and secrets (with the env references, volumes and mounts that use them),
 * sidecar agents, persistent volumes, resources and autoscaling. Derived once from a
 * validated spec; the builders only render it. */
#ifndef HS_POD_H
#define HS_POD_H
#include <stdbool.h>
#include <stddef.h>
#include "../spec/spec.h"

struct svc_port;

struct env_ref { const char *name, *object, *key; bool secret; };
struct mount { const char *volume, *path; bool read_only; };
struct pod_volume { const char *name, *config_map, *secret; };
struct data_item { const char *key, *bytes; size_t len; bool binary; };

/* A ConfigMap or Secret to generate. */
struct config_obj {
	const char *name;
	bool secret;
	struct data_item *items;
	size_t n, cap;
};

struct claim { const char *name, *size, *storage_class; };

struct probe { bool on, http, https; const char *path; long port; };

struct container {
	const char *name, *image;
	struct svc_port *ports;
	size_t nports, ports_cap;
	struct probe probe;
	struct env_ref *env;
	size_t nenv, env_cap;
	struct mount *mounts;
	size_t nmounts, mounts_cap;
};

struct pod_model {
	struct container main;           /* env and mounts of the service's own container */
	struct container *agents;        /* sidecars, in spec order */
	size_t nagents, agents_cap;
	struct pod_volume *volumes;
	size_t nvolumes, volumes_cap;
	struct config_obj *configs;      /* generated ConfigMaps and Secrets, in spec order */
	size_t nconfigs, configs_cap;
	struct claim *claims;            /* volumeClaimTemplates: a StatefulSet when any */
	size_t nclaims, claims_cap;
	const char *checksum;            /* SHA-256 of all generated config data, or NULL */
	const char *req_mem, *lim_mem, *req_cpu, *lim_cpu;
	bool hpa;
	long hpa_min, hpa_max, hpa_cpu;
};

struct svc_model;
/* Fills m->pod. Reads file(...) props; reports what cannot be read. */
void pod_model_build(struct svc_model *m, struct arena *a, struct diags *d);
/* HyScale's probe choice over a port list: the first httpPath, else the first
 * healthCheck as TCP (never on UDP). */
void probe_pick(struct probe *p, const struct sports *ps, const char *field, struct arena *a, struct diags *d);
/* "[min-]max" → the two quantities (min NULL when not a range). */
void quantity_range(const char *s, struct arena *a, const char **min, const char **max);
/* Kubernetes' env var name rule ([-._a-zA-Z][-._a-zA-Z0-9]*). */
bool is_env_name(const char *s);
/* ConfigMap / Secret data key rule ([-._a-zA-Z0-9]+, not . or ..). */
bool is_config_key(const char *s);
#endif
