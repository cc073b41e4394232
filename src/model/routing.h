/* The provider-neutral routing intent of one loadBalancer block. Everything the
 * providers share is decided here once: hosts, TLS and redirect, route order
 * (most specific first, exact before prefix), canonical prefixes, stickiness defaults,
 * object names and the namespace. Emitters only translate it. */
#ifndef HS_ROUTING_H
#define HS_ROUTING_H
#include "../build/manifest.h"
#include "service.h"

#define HS_DEFAULT_COOKIE "hyscale-sticky"
#define HS_DEFAULT_COOKIE_TTL 1800 /* seconds; HyScale used 30m for Istio */

struct route {
	const char *path;     /* canonical: prefixes without a trailing '/', except "/" */
	bool exact;
	long port;            /* Service port number */
	const char *port_name;
	const char *field;    /* loadBalancer.mapping[i].contextPaths[j], for diagnostics */
	struct loc loc;
};

struct hdr { const char *name, *value; struct loc loc; };

struct routing {
	const struct svc_model *svc;
	const struct sloadbalancer *lb;     /* for warning positions */
	const char *provider;               /* canonical provider name */
	const char *ns;                     /* NULL without -n: namespace-relative references */
	const char *ns_text;                /* ns, or "<namespace>" in messages */
	const char *service;                /* backend Service name */
	const char *service_host;           /* <svc>.<ns>.svc.cluster.local; without -n <svc>,
					     * which Istio resolves in the rule's namespace */
	const char *base;                   /* <env>-<svc>: prefix of object names */
	const char **hosts;
	size_t nhosts;
	const char *tls_secret;             /* NULL: plain HTTP only */
	bool https_redirect;                /* TLS and not turned off */
	bool sticky;
	const char *cookie;
	long cookie_ttl;                    /* seconds */
	struct hdr *headers;
	size_t nheaders;
	const char *class_name;             /* NULL: the cluster default */
	struct kvl gw_labels;               /* Istio gateway selector */
	struct kvl annotations;             /* passed through to route objects */
	bool *ann_warned;                   /* per annotation: override of ours reported */
	bool gateway_ref;                   /* attach to an existing gateway */
	const char *gw_name, *gw_ns, *gw_section;  /* gw_ns NULL: the routes' namespace */
	const char *gw_label;               /* <gw_ns>/<gw_name>, or <gw_name> */
	bool gw_cross;                      /* gateway in (or perhaps in) another namespace */
	bool gw_grant;                      /* emit the ReferenceGrant for tlsSecret */
	struct route *routes;
	size_t nroutes, routes_cap;
	long *ports;                        /* distinct backend ports, mapping order */
	size_t nports, ports_cap;
	struct kvl labels;                  /* labels of every generated route object */
	const struct run_opts *opts;
};

void routing_build(struct routing *r, const struct svc_model *svc, const char *provider,
		   const struct run_opts *o, struct arena *a);
/* Seconds as a Go / Gateway API duration: 1800 → "30m", 5400 → "1h30m", 45 → "45s". */
const char *duration_text(struct arena *a, long seconds);
#endif
