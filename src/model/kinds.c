/* The kind table (see kinds.h). */
#include "kinds.h"
#include <string.h>

/* Rank: configuration before the workloads that mount it, Services before routes that point
 * at them, and a route's dependencies (Middleware, Gateway, ReferenceGrant) before the route.
 * HyScale's extra apiVersions (v1beta1 Ingress, autoscaling/v1) are listed so that a redeploy
 * over a HyScale-deployed service finds what HyScale created; a cluster that no longer
 * serves them answers 404, which reads as "nothing there". */
const struct kind_info hs_kinds[] = {
	{ "Namespace", "v1", "namespaces", 0, true, false, ROLE_OTHER },
	{ "ServiceAccount", "v1", "serviceaccounts", 10, false, false, ROLE_CONFIG },
	{ "Secret", "v1", "secrets", 20, false, true, ROLE_CONFIG },
	{ "ConfigMap", "v1", "configmaps", 30, false, true, ROLE_CONFIG },
	{ "PersistentVolumeClaim", "v1", "persistentvolumeclaims", 40, false, false, ROLE_DATA },
	{ "Service", "v1", "services", 50, false, true, ROLE_SERVICE },
	{ "Deployment", "apps/v1", "deployments", 60, false, true, ROLE_WORKLOAD },
	{ "StatefulSet", "apps/v1", "statefulsets", 70, false, true, ROLE_WORKLOAD },
	{ "HorizontalPodAutoscaler", "autoscaling/v2", "horizontalpodautoscalers", 80, false, true, ROLE_POLICY },
	{ "HorizontalPodAutoscaler", "autoscaling/v1", "horizontalpodautoscalers", 80, false, false, ROLE_POLICY },
	{ "NetworkPolicy", "networking.k8s.io/v1", "networkpolicies", 90, false, true, ROLE_POLICY },
	{ "Middleware", "traefik.io/v1alpha1", "middlewares", 100, false, true, ROLE_LB_AUX },
	{ "Gateway", "gateway.networking.k8s.io/v1", "gateways", 110, false, true, ROLE_ROUTE },
	{ "Gateway", "networking.istio.io/v1", "gateways", 110, false, true, ROLE_ROUTE },
	{ "Gateway", "networking.istio.io/v1beta1", "gateways", 110, false, false, ROLE_ROUTE },
	{ "ReferenceGrant", "gateway.networking.k8s.io/v1beta1", "referencegrants", 120, false, true, ROLE_LB_AUX },
	{ "Ingress", "networking.k8s.io/v1", "ingresses", 130, false, true, ROLE_ROUTE },
	{ "Ingress", "networking.k8s.io/v1beta1", "ingresses", 130, false, false, ROLE_ROUTE },
	{ "Ingress", "extensions/v1beta1", "ingresses", 130, false, false, ROLE_ROUTE },
	{ "HTTPRoute", "gateway.networking.k8s.io/v1", "httproutes", 140, false, true, ROLE_ROUTE },
	{ "VirtualService", "networking.istio.io/v1", "virtualservices", 150, false, true, ROLE_ROUTE },
	{ "VirtualService", "networking.istio.io/v1beta1", "virtualservices", 150, false, false, ROLE_ROUTE },
	{ "DestinationRule", "networking.istio.io/v1", "destinationrules", 160, false, true, ROLE_LB_AUX },
	{ "DestinationRule", "networking.istio.io/v1beta1", "destinationrules", 160, false, false, ROLE_LB_AUX },
	{ "HTTPProxy", "projectcontour.io/v1", "httpproxies", 150, false, true, ROLE_ROUTE },
	{ "BackendTrafficPolicy", "gateway.envoyproxy.io/v1alpha1", "backendtrafficpolicies", 160, false, true, ROLE_LB_AUX },
	/* cluster-scoped kinds a k8sSnippet may plausibly add */
	{ "ClusterRole", "rbac.authorization.k8s.io/v1", "clusterroles", 1000, true, false, ROLE_OTHER },
	{ "ClusterRoleBinding", "rbac.authorization.k8s.io/v1", "clusterrolebindings", 1000, true, false, ROLE_OTHER },
	{ "PersistentVolume", "v1", "persistentvolumes", 1000, true, false, ROLE_OTHER },
	{ "StorageClass", "storage.k8s.io/v1", "storageclasses", 1000, true, false, ROLE_OTHER },
	{ "PriorityClass", "scheduling.k8s.io/v1", "priorityclasses", 1000, true, false, ROLE_OTHER },
	{ "CustomResourceDefinition", "apiextensions.k8s.io/v1", "customresourcedefinitions", 1000, true, false, ROLE_OTHER },
	{ "IngressClass", "networking.k8s.io/v1", "ingressclasses", 1000, true, false, ROLE_OTHER },
	{ "GatewayClass", "gateway.networking.k8s.io/v1", "gatewayclasses", 1000, true, false, ROLE_OTHER },
	{ "RuntimeClass", "node.k8s.io/v1", "runtimeclasses", 1000, true, false, ROLE_OTHER },
	{ "ValidatingWebhookConfiguration", "admissionregistration.k8s.io/v1", "validatingwebhookconfigurations", 1000, true, false, ROLE_OTHER },
	{ "MutatingWebhookConfiguration", "admissionregistration.k8s.io/v1", "mutatingwebhookconfigurations", 1000, true, false, ROLE_OTHER },
	{ "ValidatingAdmissionPolicy", "admissionregistration.k8s.io/v1", "validatingadmissionpolicies", 1000, true, false, ROLE_OTHER },
	{ "ValidatingAdmissionPolicyBinding", "admissionregistration.k8s.io/v1", "validatingadmissionpolicybindings", 1000, true, false, ROLE_OTHER },
	{ NULL, NULL, NULL, 0, false, false, ROLE_OTHER },
};

const struct kind_info *kind_find(const char *kind, const char *api_version)
{
	for (const struct kind_info *k = hs_kinds; k->kind; k++)
		if (!strcmp(k->kind, kind) && (!api_version || !strcmp(k->api_version, api_version)))
			return k;
	return NULL;
}

int kind_rank(const char *kind)
{
	const struct kind_info *k = kind_find(kind, NULL);
	return k ? k->rank : 1000;
}

bool kind_cluster_scoped(const char *kind)
{
	const struct kind_info *k = kind_find(kind, NULL);
	return k && k->cluster;
}

const char *api_group(const char *api_version, char *buf)
{
	const char *slash = strchr(api_version, '/');
	size_t n = slash ? (size_t)(slash - api_version) : 0;
	if (n > 255)
		n = 255;
	memcpy(buf, api_version, n);
	buf[n] = '\0';
	return buf;
}
