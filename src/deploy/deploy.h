/* Deploying rendered services to a cluster with server-side apply, waiting for the rollout,
 * pruning what a service no longer produces, reading status, undeploying, and diffing.
 * Objects are found by HyScale's labels, kind by kind (live.h); the record of the kinds
 * applied, HyScale's `hyscale.io/applied-kinds` annotation (Kind:apiVersion, comma
 * separated), is on every object, so any one survivor names the kinds to search. */
#ifndef HS_DEPLOY_H
#define HS_DEPLOY_H
#include <stdio.h>
#include "../pipeline.h"
#include "address.h"
#include "kube.h"

#define APPLIED_KINDS "hyscale.io/applied-kinds"
#define FIELD_MANAGER "hyscale"
/* Holds spec.replicas while an HPA takes it over from hyscale (Kubernetes' documented hand-over). */
#define HANDOVER_MANAGER "hyscale-handover-to-hpa"
/* How long a current pod may stay in back-off (CrashLoopBackOff, ImagePullBackOff, ...) before
 * the deploy fails: long enough for the kubelet's retries at 10, 20, 40 and 80 s
 * (HYSCALE_BACKOFF_GRACE, seconds). */
#define BACKOFF_GRACE_MS 120000L

struct deploy_opts {
	const char *app, *ns;
	long timeout_ms;          /* rollout wait (--timeout) */
	long address_ms;          /* load balancer address wait */
	bool force_conflicts;     /* take over fields another manager owns */
	bool dry_run;             /* --dry-run=server: the API server validates and merges, nothing is stored */
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

/* The app's shared entry points (README "One entry point per app"), applied as the union of
 * the listeners the run renders (shared: the run's outputs marked shared) and the live ones
 * that routes of the app's other services use (skip: the services of this run, or the ones
 * being undeployed); a shared gateway no route uses any more is deleted. */
bool deploy_entrypoints(struct kube *k, struct arena *a, const struct deploy_opts *o, struct rendered *const *shared,
			size_t nshared, const char *const *skip, size_t nskip, const char **err);

/* Rollout state of a live workload (Deployment or StatefulSet) and its pods, judged as
 * `kubectl rollout status` judges it (see workload_state). */
struct wl_state {
	long desired, ready, updated, available, current;
	bool settled;             /* kubectl would say "successfully rolled out" */
	bool untracked;           /* StatefulSet with OnDelete: no rollout to follow (settled is set) */
	const char *problem;      /* the rollout failed: progress deadline exceeded, or a pod that will not start */
	const char *waiting;      /* what the rollout waits for, for the progress line */
	const char *pod_waiting;  /* a current pod waiting (pulling, scheduling, backing off) */
};
/* Back-off seen across the polls of one wait: a pod's container in CrashLoopBackOff,
 * ImagePullBackOff and the like is a failure only once it has stayed so for grace_ms; before
 * that it is waited for, as kubectl waits (the kubelet retries; the registry or a dependency
 * may come back). grace_ms 0: every back-off is a failure at once (a one-shot status). */
struct backoff_track {
	long grace_ms;
	struct backoff_seen { const char *key; long since; } *v;
	size_t n, cap;
};
bool workload_state(struct kube *k, struct arena *a, const char *ns, struct fy_node *wl, struct wl_state *st,
		    struct backoff_track *bt, const char **err);

/* get service/app status: services NULL means every service of the app. */
bool status_services(struct kube *k, struct arena *a, const char *app, const char *ns, const char **services,
		     size_t nservices, struct svc_result **out, size_t *nout, const char **err);
/* undeploy: services NULL means the whole app. Reports each deletion to log; with wait,
 * returns once the deleted objects are gone (or fails after timeout_ms). */
struct undeploy_opts { bool wait; long timeout_ms; bool tty; FILE *log; };
bool undeploy(struct kube *k, struct arena *a, const char *app, const char *ns, const char **services,
	      size_t nservices, const struct undeploy_opts *o, struct svc_result **out, size_t *nout, const char **err);
/* diff: server-side dry-run of every object, then `diff -u -N` of the live objects against
 * the merged ones (kubectl diff's way); objects a deploy would prune show as removed.
 * Returns 0 (no differences), 1 (differences) or -1 with *err. */
int diff_service(struct kube *k, struct arena *a, struct rendered *rd, const struct deploy_opts *o, const char **err);
#endif
