/* Where objects live in the API (REST paths from apiVersion and kind), label selectors,
 * and the messages for a refused request: the object, the verb and the API's reason. */
#ifndef HS_OBJECTS_H
#define HS_OBJECTS_H
#include <stdbool.h>
#include "kube.h"

/* Resource name: the kind table's (model/kinds.h), else the lower-case kind pluralised as
 * the API does (ingress → ingresses, networkpolicy → networkpolicies). */
const char *kube_plural(struct arena *a, const char *kind);
/* /api/v1/namespaces/NS/services[/NAME] or /apis/GROUP/VERSION/namespaces/NS/PLURAL[/NAME];
 * name may be NULL (the collection). The resource name and scope come from the API's
 * discovery document for the group/version (read once per run; kubectl does the same), so
 * CRDs from k8sSnippets resolve right; without k, or when the group/version is not served,
 * from the kind table (model/kinds.h). */
const char *kube_path(struct kube *k, struct arena *a, const char *api_version, const char *kind,
		      const char *ns, const char *name);
/* "a=b,c=d" percent-encoded for a query string. */
const char *url_escape(struct arena *a, const char *s);
/* "plural.group" as RBAC names it (deployments.apps, services). */
const char *kube_resource(struct arena *a, const char *api_version, const char *kind);

/* One line explaining why the cluster refused verb on the object ("Deployment web"). */
const char *cluster_error(struct arena *a, const struct kube *k, const char *verb, const char *api_version,
			  const char *kind, const char *name, const char *ns, struct kube_resp *r);
#endif
