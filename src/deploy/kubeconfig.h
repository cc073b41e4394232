/* Cluster access settings as kubectl finds them: $KUBECONFIG (a colon-separated list,
 * merged the kubectl way: the first file to define a name or current-context wins) or
 * ~/.kube/config, the current context or --context; else the in-cluster service account.
 * Everything we cannot honour (auth providers, basic auth, proxies, impersonation) is an
 * error naming the setting, never silently ignored. */
#ifndef HS_KUBECONFIG_H
#define HS_KUBECONFIG_H
#include <stdbool.h>
#include <stddef.h>
#include "../util/arena.h"

struct kube_exec {
	const char *api_version;     /* client.authentication.k8s.io/v1 or v1beta1 */
	const char *command;
	const char **argv;           /* command + args, NULL terminated */
	const char **env;            /* NAME=value, NULL terminated */
	const char *source;          /* kubeconfig file, for messages */
	bool provide_cluster_info;   /* KUBERNETES_EXEC_INFO carries spec.cluster */
};

struct kube_config {
	const char *source;          /* file the context came from, or "in-cluster" */
	const char *context, *cluster_name, *user_name;
	const char *ns;              /* context namespace, or NULL */
	const char *server;          /* https://host:port[/prefix] without trailing slash */
	bool insecure;
	const char *ca_file;
	const char *ca_data; size_t ca_len;          /* PEM */
	const char *cert_file, *key_file;
	const char *cert_data, *key_data; size_t cert_len, key_len;
	const char *token, *token_file;
	bool has_exec;
	struct kube_exec exec;
	long token_expiry;           /* exec credential's expirationTimestamp (Unix seconds), 0: none */
	long deadline_ms;            /* set by the command before kube_open: when --timeout runs out
				      * (kube_now_ms() clock), and the --timeout itself; 0: none */
	long timeout_ms;
};

/* Fills kc. On failure returns false with *err set to a one-line explanation. */
bool kubeconfig_load(struct kube_config *kc, const char *context, struct arena *a, const char **err);
/* NULL when s may go into an HTTP header as a bearer token, else why not. */
const char *kube_token_problem(const char *s);
/* Runs the exec credential plugin and stores the token or client certificate it returns. */
bool kube_exec_credentials(struct kube_config *kc, struct arena *a, const char **err);
#endif
