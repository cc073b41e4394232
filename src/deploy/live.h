/* The live objects of an app or a service, found the way `kubectl get -l` finds them: by
 * HyScale's labels, kind by kind. The kinds searched are the kind table's (model/kinds.h)
 * plus every kind named in an `hyscale.io/applied-kinds` record found on any object, so a
 * deploy that failed half-way, an undeploy that stopped, or a k8sSnippet's CRD object
 * leaves nothing that the next run cannot find. */
#ifndef HS_LIVE_H
#define HS_LIVE_H
#include "deploy.h"

struct live_obj {
	const char *kind, *api_version, *group, *name;
	const char *service, *env;   /* the hyscale.io/service-name and environment-name labels, or NULL */
	const char *rv, *uid;
	long generation;
	int rank;
	struct fy_node *node;        /* the object, with kind and apiVersion; valid until live_free */
};

struct live_set {
	struct live_obj *v;
	size_t n, cap;
	struct kind_list kinds;      /* kinds searched, the records' included */
	struct fy_document **docs;
	size_t ndocs, dcap;
};

/* GET list by label selector; NULL doc and *err on failure; 404 (kind not served) gives an
 * empty list. Items get their kind and apiVersion back (list items omit them). */
struct fy_document *kube_list(struct kube *k, struct arena *a, const char *av, const char *kind, const char *ns,
			      const char *selector, const char **err);
/* Lists every kind (see above) with selector; extra kinds may be given (NULL: none). */
bool live_find(struct kube *k, struct arena *a, const char *ns, const char *selector, const struct kind_list *extra,
	       struct live_set *out, const char **err);
void live_free(struct live_set *s);
/* The object of group/kind/name, or NULL. */
struct live_obj *live_lookup(struct live_set *s, const char *api_version, const char *kind, const char *name);
/* Whether two apiVersions name the same API group (the object is the same whatever version). */
bool same_group(const char *av1, const char *av2);
/* DELETE with background propagation; 404 counts as done. */
bool delete_live(struct kube *k, struct arena *a, const struct live_obj *o, const char *ns, const char **err);
/* Polls until every object is gone (404, or its name now holds another uid), with a progress
 * line; false with *err after timeout_ms. Entries are set to NULL as they go. */
bool wait_gone(struct kube *k, struct arena *a, struct live_obj **objs, size_t n, const char *ns, long timeout_ms,
	       bool tty, FILE *log, const char **err);
/* HYSCALE_POLL_INTERVAL (seconds), default 2. */
double hs_poll_seconds(void);
#endif
