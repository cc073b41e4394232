/* Deploying rendered services to a cluster with server-side apply, pruning what a service
 * no longer produces, waiting for the rollout, reading status, and undeploying. The record
 * of what was applied is HyScale's: the workload's `hyscale.io/applied-kinds` annotation
 * (Kind:apiVersion, comma separated); objects are found by HyScale's labels. */
#ifndef HS_DEPLOY_H
#define HS_DEPLOY_H
#include <stdio.h>
#include "../pipeline.h"
#include "address.h"
#include "kube.h"

#define APPLIED_KINDS "hyscale.io/applied-kinds"
#define FIELD_MANAGER "hyscale"

struct deploy_opts {
	const char *app, *ns;
	long timeout_ms;          /* rollout wait (--timeout) */
	long address_ms;          /* load balancer address wait */
	bool force_conflicts;     /* take over fields another manager owns */
	bool tty;                 /* progress rewrites one line */
	FILE *log;                /* progress and results; NULL for -o json */
};

struct svc_result {
	const char *service;
	const char *status;       /* Running, Not Running, Failed, Not Deployed, Deployed, Undeployed */
	const char *age;
	const char *message;      /* the failure, or a note */
	struct address addr;
	bool failed;
	bool spec_diag;           /* message is compiler-style spec diagnostics (a 422 translated) */
};

struct kind_ref { const char *kind, *api_version; };
struct kind_list { struct kind_ref *v; size_t n, cap; };
/* Parses "Kind:apiVersion, ..." (brackets and quotes, as HyScale writes it, tolerated). */
void kinds_parse(struct arena *a, const char *s, struct kind_list *out);
void kinds_add(struct arena *a, struct kind_list *l, const char *kind, const char *api_version);

bool ensure_namespace(struct kube *k, struct arena *a, const char *ns, FILE *log, const char **err);
/* Applies, prunes, waits and finds the address of one rendered service. */
void deploy_service(struct kube *k, struct arena *a, struct rendered *rd, const struct spec *s,
		    const struct deploy_opts *o, struct svc_result *res);

/* Rollout state of a live workload (Deployment or StatefulSet) and its pods. */
struct wl_state {
	long desired, ready, updated, available, current;
	bool settled;             /* the controller saw the latest generation and all replicas are ready */
	const char *problem;      /* a pod that will not start on its own, with the kubelet's message */
	const char *waiting;      /* a pod waiting (pulling, scheduling), for the progress line */
};
bool workload_state(struct kube *k, struct arena *a, const char *ns, struct fy_node *wl, struct wl_state *st,
		    const char **err);

/* get service/app status: services NULL means every service of the app. */
bool status_services(struct kube *k, struct arena *a, const char *app, const char *ns, const char **services,
		     size_t nservices, struct svc_result **out, size_t *nout, const char **err);
/* undeploy: services NULL means the whole app. Reports each deletion to log. */
bool undeploy(struct kube *k, struct arena *a, const char *app, const char *ns, const char **services,
	      size_t nservices, FILE *log, struct svc_result **out, size_t *nout, const char **err);
#endif
