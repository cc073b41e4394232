/* What hyscale knows about each Kubernetes kind, in one table: the apply order, whether
 * objects live outside namespaces, the REST resource name to use when the API's discovery
 * cannot be read, and the role a kind plays for deploy (which kinds are searched by label
 * when pruning and undeploying, which carry a rollout, which give a service its address). */
#ifndef HS_KINDS_H
#define HS_KINDS_H
#include <stdbool.h>

enum kind_role {
	ROLE_OTHER,      /* cluster-scoped kinds a k8sSnippet may add */
	ROLE_CONFIG,     /* ConfigMap, Secret, ServiceAccount */
	ROLE_DATA,       /* PersistentVolumeClaim: holds data, never deleted by hyscale */
	ROLE_WORKLOAD,   /* Deployment, StatefulSet: the rollout */
	ROLE_SERVICE,    /* Service: an address */
	ROLE_ROUTE,      /* routing objects: an address and URLs */
	ROLE_POLICY,     /* HorizontalPodAutoscaler, NetworkPolicy */
	ROLE_LB_AUX,     /* what a route needs: Middleware, DestinationRule, ReferenceGrant */
};

struct kind_info {
	const char *kind;
	const char *api_version;  /* the version hyscale writes, or HyScale wrote */
	const char *plural;       /* REST resource name (discovery fallback) */
	int rank;                 /* apply order; deletion runs in the reverse order */
	bool cluster;             /* cluster-scoped */
	bool owned;               /* hyscale or HyScale creates objects of it: searched by label */
	enum kind_role role;
};

/* Every entry, ending with {NULL}. A kind may occur under several apiVersions (Gateway). */
extern const struct kind_info hs_kinds[];
/* The entry of kind (and apiVersion, when not NULL), else NULL. */
const struct kind_info *kind_find(const char *kind, const char *api_version);
/* Apply rank of a kind; unknown kinds (snippet CRDs) go last. */
int kind_rank(const char *kind);
bool kind_cluster_scoped(const char *kind);
/* "group" of an apiVersion ("" for the core group): apps/v1 → apps. Written to buf (≥ 256). */
const char *api_group(const char *api_version, char *buf);
#endif
