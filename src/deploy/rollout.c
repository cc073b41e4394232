/* Rollout verdicts, by the rules of `kubectl rollout status` (kubectl's polymorphichelpers
 * status viewers), plus the pods' own story for the progress line and for failing early
 * (see deploy.h). */
#include "deploy.h"
#include <stdlib.h>
#include <string.h>
#include "jnode.h"
#include "live.h"
#include "objects.h"

/* Waiting reasons that waiting cannot cure. */
static bool hopeless(const char *r)
{
	return r && (!strcmp(r, "InvalidImageName") || !strcmp(r, "ErrImageNeverPull"));
}

/* The kubelet retries these with a growing back-off; they may clear up (a registry hiccup,
 * a Secret applied a moment later, a dependency that comes up). */
static bool backoff(const char *r)
{
	static const char *const reasons[] = { "CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull",
					       "CreateContainerConfigError", "CreateContainerError",
					       "RunContainerError", NULL };
	for (int i = 0; r && reasons[i]; i++)
		if (!strcmp(r, reasons[i]))
			return true;
	return false;
}

static const char *selector_of(struct arena *a, struct fy_node *match)
{
	const char *s = NULL;
	void *it = NULL;
	struct fy_node_pair *p;
	if (!match || fy_node_get_type(match) != FYNT_MAPPING)
		return NULL;
	while ((p = fy_node_mapping_iterate(match, &it))) {
		const char *one = arena_printf(a, "%s=%s", fy_node_get_scalar0(fy_node_pair_key(p)),
					       fy_node_get_scalar0(fy_node_pair_value(p)));
		s = s ? arena_printf(a, "%s,%s", s, one) : one;
	}
	return s;
}

static bool owned_by(struct fy_node *o, const char *uid)
{
	struct fy_node *refs = jget(o, "metadata.ownerReferences");
	for (size_t i = 0; uid && i < jlen(refs); i++) {
		const char *u = jstr(jat(refs, i), "uid"), *c = jstr(jat(refs, i), "controller");
		if (u && !strcmp(u, uid) && (!c || strcmp(c, "false")))
			return true;
	}
	return false;
}

/* The pod-template-hash of a Deployment's newest ReplicaSet: the one it owns whose
 * deployment.kubernetes.io/revision equals the Deployment's (the controller's own rule).
 * NULL when ReplicaSets cannot be read. */
static const char *current_hash(struct kube *k, struct arena *a, const char *ns, struct fy_node *wl, const char *sel)
{
	const char *rev = jstr(jkey(jget(wl, "metadata.annotations"), "deployment.kubernetes.io/revision"), NULL);
	const char *uid = jstr(wl, "metadata.uid"), *err = NULL, *hash = NULL;
	struct fy_document *d = kube_list(k, a, "apps/v1", "ReplicaSet", ns, sel, &err);
	if (!d)
		return NULL;
	struct fy_node *items = jget(fy_document_root(d), "items");
	long best = -1;
	for (size_t i = 0; i < jlen(items); i++) {
		struct fy_node *rs = jat(items, i);
		const char *h = jstr(jkey(jget(rs, "metadata.labels"), "pod-template-hash"), NULL);
		const char *r = jstr(jkey(jget(rs, "metadata.annotations"), "deployment.kubernetes.io/revision"), NULL);
		if (!h || !owned_by(rs, uid))
			continue;
		long rn = r ? atol(r) : 0;
		/* the revision the Deployment names; without one, the highest */
		if ((rev && r && !strcmp(rev, r)) || (!rev && rn > best)) {
			hash = arena_strdup(a, h);
			best = rn;
			if (rev)
				break;
		}
	}
	fy_document_destroy(d);
	return hash;
}

/* Whether the pod belongs to the workload's latest revision: by controller-revision-hash
 * (StatefulSet) or pod-template-hash (Deployment), as the controllers tell them apart. Old
 * pods, crash-looping or not, must not decide the new rollout. Only when the server shows
 * no revision are images compared. */
static bool current_pod(struct fy_node *wl, const char *hash, struct fy_node *pod)
{
	if (jget(pod, "metadata.deletionTimestamp"))
		return false;
	struct fy_node *pl = jget(pod, "metadata.labels");
	const char *ur = jstr(wl, "status.updateRevision");
	const char *pr = jstr(jkey(pl, "controller-revision-hash"), NULL);
	if (ur && pr)
		return !strcmp(ur, pr);
	const char *ph = jstr(jkey(pl, "pod-template-hash"), NULL);
	if (hash && ph)
		return !strcmp(hash, ph);
	struct fy_node *tc = jget(wl, "spec.template.spec.containers"), *pc = jget(pod, "spec.containers");
	for (size_t i = 0; i < jlen(pc); i++) {
		const char *n = jstr(jat(pc, i), "name"), *img = jstr(jat(pc, i), "image");
		for (size_t j = 0; n && img && j < jlen(tc); j++) {
			const char *tn = jstr(jat(tc, j), "name"), *ti = jstr(jat(tc, j), "image");
			if (tn && ti && !strcmp(n, tn) && strcmp(img, ti))
				return false;
		}
	}
	return true;
}

static long backoff_since(struct arena *a, struct backoff_track *bt, const char *key)
{
	long now = kube_now_ms();
	for (size_t i = 0; i < bt->n; i++)
		if (!strcmp(bt->v[i].key, key))
			return now - bt->v[i].since;
	struct backoff_seen *s = ARENA_PUSH(a, bt->v, bt->n, bt->cap);
	s->key = arena_strdup(a, key);
	s->since = now;
	return 0;
}

static void pod_problems(struct arena *a, struct fy_node *pod, struct wl_state *st, struct backoff_track *bt)
{
	const char *pname = jstr(pod, "metadata.name");
	static const char *const lists[] = { "status.initContainerStatuses", "status.containerStatuses" };
	for (int l = 0; l < 2; l++) {
		struct fy_node *cs = jget(pod, lists[l]);
		for (size_t i = 0; i < jlen(cs); i++) {
			struct fy_node *c = jat(cs, i);
			const char *reason = jstr(c, "state.waiting.reason"), *msg = jstr(c, "state.waiting.message");
			if (!reason)
				continue;
			long restarts = jlong(c, "restartCount", 0);
			/* pod and container names and the kubelet's text come from the cluster */
			const char *d = diag_escape(a, arena_printf(a, "pod %s: container %s: %s%s%s (restarts: %ld)", pname,
								    jstr(c, "name"), reason, msg ? ": " : "", msg ? msg : "",
								    restarts));
			bool fail = hopeless(reason);
			if (!fail && backoff(reason)) {
				long seen = bt ? backoff_since(a, bt, arena_printf(a, "%s/%s", pname, jstr(c, "name"))) : 0;
				fail = !bt || bt->grace_ms <= 0 || seen >= bt->grace_ms;
			}
			if (fail && !st->problem)
				st->problem = d;
			else if (!st->pod_waiting)
				st->pod_waiting = d;
		}
	}
	if (!st->pod_waiting) {
		struct fy_node *conds = jget(pod, "status.conditions");
		for (size_t i = 0; i < jlen(conds); i++) {
			const char *t = jstr(jat(conds, i), "type"), *s = jstr(jat(conds, i), "status");
			const char *reason = jstr(jat(conds, i), "reason");
			if (t && s && !strcmp(t, "PodScheduled") && !strcmp(s, "False"))
				st->pod_waiting = diag_escape(a, arena_printf(a, "pod %s: %s: %s", pname,
									      reason ? reason : "not scheduled",
									      jstr(jat(conds, i), "message")
										      ? jstr(jat(conds, i), "message")
										      : ""));
		}
	}
}

static struct fy_node *condition(struct fy_node *wl, const char *type)
{
	struct fy_node *conds = jget(wl, "status.conditions");
	for (size_t i = 0; i < jlen(conds); i++) {
		const char *t = jstr(jat(conds, i), "type");
		if (t && !strcmp(t, type))
			return jat(conds, i);
	}
	return NULL;
}

/* kubectl's DeploymentStatusViewer. */
static void deployment_verdict(struct arena *a, struct fy_node *wl, struct wl_state *st)
{
	const char *name = jstr(wl, "metadata.name");
	if (jlong(wl, "metadata.generation", 0) > jlong(wl, "status.observedGeneration", 0)) {
		st->waiting = "waiting for the deployment spec update to be observed";
		return;
	}
	struct fy_node *pc = condition(wl, "Progressing");
	const char *reason = jstr(pc, "reason");
	if (reason && !strcmp(reason, "ProgressDeadlineExceeded")) {
		const char *m = jstr(pc, "message");
		st->problem = diag_escape(a, arena_printf(a, "deployment \"%s\" exceeded its progress deadline%s%s", name,
							  m ? ": " : "", m ? m : ""));
		return;
	}
	if (jget(wl, "spec.replicas") && st->updated < st->desired)
		st->waiting = arena_printf(a, "%ld out of %ld new replicas have been updated", st->updated, st->desired);
	else if (st->current > st->updated)
		st->waiting = arena_printf(a, "%ld old replicas are pending termination", st->current - st->updated);
	else if (st->available < st->updated)
		st->waiting = arena_printf(a, "%ld of %ld updated replicas are available", st->available, st->updated);
	else
		st->settled = true;
}

/* kubectl's StatefulSetStatusViewer; OnDelete, where kubectl gives up ("rollout status is only
 * available for RollingUpdate strategy type"), is reported as untracked: the pods change
 * only when someone deletes them, so there is nothing to wait for. */
static void statefulset_verdict(struct arena *a, struct fy_node *wl, struct wl_state *st)
{
	const char *type = jstr(wl, "spec.updateStrategy.type");
	if (type && strcmp(type, "RollingUpdate")) {
		st->untracked = st->settled = true;
		return;
	}
	long seen = jlong(wl, "status.observedGeneration", 0);
	if (!seen || jlong(wl, "metadata.generation", 0) > seen) {
		st->waiting = "waiting for the statefulset spec update to be observed";
		return;
	}
	if (jget(wl, "spec.replicas") && st->ready < st->desired) {
		st->waiting = arena_printf(a, "waiting for %ld pods to be ready", st->desired - st->ready);
		return;
	}
	long partition = jlong(wl, "spec.updateStrategy.rollingUpdate.partition", 0);
	if (partition > 0) {
		if (st->updated < st->desired - partition)
			st->waiting = arena_printf(a, "partitioned roll out: %ld out of %ld new pods have been updated",
						   st->updated, st->desired - partition);
		else
			st->settled = true;
		return;
	}
	const char *cr = jstr(wl, "status.currentRevision"), *ur = jstr(wl, "status.updateRevision");
	if (cr && ur && strcmp(cr, ur))
		st->waiting = diag_escape(a, arena_printf(a, "%ld pods at revision %s", st->updated, ur));
	else
		st->settled = true;
}

bool workload_state(struct kube *k, struct arena *a, const char *ns, struct fy_node *wl, struct wl_state *st,
		    struct backoff_track *bt, const char **err)
{
	memset(st, 0, sizeof(*st));
	st->desired = jlong(wl, "spec.replicas", 1);
	st->ready = jlong(wl, "status.readyReplicas", 0);
	st->updated = jlong(wl, "status.updatedReplicas", 0);
	st->available = jlong(wl, "status.availableReplicas", 0);
	st->current = jlong(wl, "status.replicas", 0);
	const char *kind = jstr(wl, "kind");
	if (kind && !strcmp(kind, "StatefulSet"))
		statefulset_verdict(a, wl, st);
	else
		deployment_verdict(a, wl, st);
	if (st->settled || st->desired == 0)
		return true;
	const char *sel = selector_of(a, jget(wl, "spec.selector.matchLabels"));
	if (!sel)
		return true;
	const char *hash = kind && !strcmp(kind, "Deployment") ? current_hash(k, a, ns, wl, sel) : NULL;
	struct kube_resp r;
	const char *path = arena_printf(a, "/api/v1/namespaces/%s/pods?labelSelector=%s", ns, url_escape(a, sel));
	if (!kube_call(k, "GET", path, NULL, NULL, 0, &r) || r.status != 200) {
		/* pods are only read to explain a slow rollout; not being allowed to is no failure */
		bool fatal = r.status != 403;
		if (fatal)
			*err = cluster_error(a, k, "list", "v1", "Pod", NULL, ns, &r);
		kube_resp_free(&r);
		return !fatal;
	}
	struct fy_node *items = jget(kube_resp_root(&r), "items");
	for (size_t i = 0; i < jlen(items); i++)
		if (current_pod(wl, hash, jat(items, i)))
			pod_problems(a, jat(items, i), st, bt);
	kube_resp_free(&r);
	return true;
}
