/* One entry point per app (README "One entry point per app"): with provider gateway or
 * istio, every service of an app and environment that does not name loadBalancer.gateway
 * attaches to one Gateway (Gateway API) and one Istio Gateway, named <env>-<app>-gateway
 * and <env>-<app>-istio-gateway, with a listener (server) per host and protocol. A host
 * has one certificate and one HTTP behaviour, a Gateway one class (one selector), so the
 * services that share it must agree on them; this file finds where they do not.
 *
 * The pipeline keeps, per service, a compact copy of what the shared objects need (an
 * ep_svc, allocated from the run's arena: it points into no spec, YAML document or routing
 * model, whose memory may be freed once the service is rendered), then groups the copies
 * after the last service. */
#ifndef HS_ENTRYPOINTS_H
#define HS_ENTRYPOINTS_H
#include <stdbool.h>
#include <stddef.h>
#include "routing.h"

#define EP_MAX_LISTENERS 64   /* Gateway API: spec.listeners maxItems */

struct ep_svc {
	const char *service;         /* normalised name */
	const char *provider;        /* "gateway" or "istio" */
	const char *app, *env;       /* normalised */
	const char *app_base;        /* <env>-<app> */
	const char *ns;              /* NULL without -n */
	const char **hosts;
	struct origin *host_at;
	size_t nhosts;
	const char *tls_secret;      /* NULL: plain HTTP only */
	struct origin tls_at;
	bool https_redirect;
	struct origin redirect_at;
	const char *class_name;      /* gateway */
	struct origin class_at;
	struct kvl selector;         /* istio: loadBalancer.labels */
	struct origin selector_at;
	struct kvl annotations;      /* loadBalancer.annotations */
	struct origin *ann_at;
	struct kvl labels;           /* of the shared objects */
	struct origin block;
};

/* One host of a shared entry point, and how every service that routes it serves it. */
struct ep_host {
	const char *host;
	const char *tls_secret;      /* NULL: HTTP only */
	bool https_redirect;
};

/* One shared object to build: the Gateway (or Istio Gateway) of an app and environment. */
struct ep_group {
	const char *provider;        /* "gateway" or "istio" */
	const char *name;            /* object name */
	const char *env, *app_base, *ns;
	const char *class_name;
	struct kvl selector, labels, annotations;
	struct ep_host *hosts;       /* sorted by name */
	size_t nhosts;
	struct origin block;         /* the first service's loadBalancer block */
	bool ok;                     /* no conflict among its services */
};

/* The copy for one service whose routing model was checked without error, or NULL when
 * the service does not attach to the app's entry point (another provider, or
 * loadBalancer.gateway). Everything is copied into a. */
struct ep_svc *ep_summarize(const struct routing *rt, struct arena *a);

/* Names derived from the app and environment alone (and the host). */
const char *ep_gateway_name(struct arena *a, const char *provider, const char *app_base);
/* The listener (Gateway API sectionName) or server port name of a host: http-<host> or
 * https-<host>, a wildcard's '*' spelled "wildcard". */
const char *ep_listener(struct arena *a, bool https, const char *host);

/* Groups the services' copies by environment and provider, reports every conflict at each
 * line involved (errors; a conflicting annotation is a warning and left off), and returns
 * the groups sorted by environment, then provider. */
void ep_group_all(struct ep_svc *const *v, size_t n, struct diags *d, struct arena *a, struct ep_group **out,
		  size_t *nout);
#endif
