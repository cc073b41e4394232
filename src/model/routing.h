/* The provider-neutral routing intent of one loadBalancer block, closed: it holds no
 * pointer into the spec or the command line, so a provider reads nothing else and a test
 * can build one without a spec (tests/providers/). Everything the providers share is
 * decided here once: hosts, TLS and redirect, route order (most specific first, exact
 * before prefix), canonical prefixes, stickiness defaults, object names and the
 * namespace. Every intent a provider may warn about carries its origin. */
#ifndef HS_ROUTING_H
#define HS_ROUTING_H
#include <stdbool.h>
#include "../util/diag.h"
#include "../util/kvl.h"

#define HS_DEFAULT_COOKIE "hyscale-sticky"
#define HS_DEFAULT_COOKIE_TTL 1800 /* seconds; HyScale used 30m for Istio */

/* Where an intent was written: the position and the spec field a diagnostic names. */
struct origin {
	struct loc at;
	const char *field;
};

#define origin_error(d, o, ...) diag_error((d), (o).at, (o).field, __VA_ARGS__)
#define origin_warn(d, o, ...) diag_warn((d), (o).at, (o).field, __VA_ARGS__)
#define origin_note(d, o, ...) diag_note((d), (o).at, (o).field, __VA_ARGS__)

struct route {
	const char *path;     /* canonical: prefixes without a trailing '/', except "/" */
	bool exact;
	long port;            /* Service port number */
	const char *port_name;
	struct origin origin; /* loadBalancer.mapping[i].contextPaths[j] */
};

/* What the backend port speaks: the spec's <n>/https makes the proxy open TLS to it. */
enum backend_proto { BACKEND_HTTP, BACKEND_HTTPS };

struct backend {
	long port;
	enum backend_proto proto;
	struct origin origin; /* loadBalancer.mapping[i].port of its first mapping */
};

struct hdr {
	const char *name, *value;
	struct origin name_origin, value_origin; /* both loadBalancer.headers.<name> */
};

struct routing {
	const char *provider;               /* canonical provider name */
	const char *ns;                     /* NULL without -n: namespace-relative references */
	const char *ns_text;                /* ns, or "<namespace>" in messages */
	const char *service;                /* backend Service name */
	const char *service_host;           /* <svc>.<ns>.svc.cluster.local; without -n <svc>,
					     * which Istio resolves in the rule's namespace */
	const char *base;                   /* <env>-<svc>: prefix of object names */
	struct origin block;                /* the loadBalancer block itself */
	struct origin provider_origin;
	struct origin service_name;         /* the spec's name: it makes the object names */
	const char **hosts;
	struct origin *host_origins;        /* one per host: where it is written */
	size_t nhosts;
	struct origin hosts_origin;
	const char *tls_secret;             /* NULL: plain HTTP only */
	struct origin tls_origin;
	bool https_redirect;                /* TLS and not turned off */
	struct origin redirect_origin;      /* httpsRedirect when given, else tlsSecret */
	bool sticky;
	struct origin sticky_origin;
	struct origin cookie_origin;        /* sticky.cookie when given, else sticky */
	const char *cookie;
	long cookie_ttl;                    /* seconds */
	bool cookie_given, ttl_given;       /* written in the spec, not our defaults */
	struct origin ttl_origin;
	struct hdr *headers;
	size_t nheaders;
	struct origin headers_origin;
	const char *class_name;             /* NULL: the cluster default */
	struct origin class_origin;         /* className, or the block when it is missing */
	struct kvl gw_labels;               /* Istio gateway selector */
	struct origin labels_origin;
	struct kvl annotations;             /* passed through to route objects */
	struct origin *annotation_origins;  /* one per annotation */
	bool gateway_ref;                   /* attach to an existing gateway */
	const char *gw_name, *gw_ns, *gw_section;  /* gw_ns NULL: the routes' namespace */
	const char *gw_label;               /* <gw_ns>/<gw_name>, or <gw_name> */
	bool gw_cross;                      /* gateway in (or perhaps in) another namespace */
	struct origin gw_ns_origin, gw_section_origin, gw_grant_origin;
	bool gw_grant;                      /* emit the ReferenceGrant for tlsSecret */
	struct route *routes;
	size_t nroutes, routes_cap;
	struct backend *backends;           /* distinct backend ports, mapping order */
	size_t nbackends, backends_cap;
	struct origin mapping_origin;
	struct kvl labels;                  /* labels of every generated route object */
	/* The app's entry point (README "One entry point per app"): the Gateway that every
	 * service of the app and environment attaches to, named from them alone so that a
	 * service's routes are rendered without the others. */
	const char *app, *env;              /* normalised app and environment names */
	const char *app_base;               /* <env>-<app> */
	struct kvl app_labels;              /* labels of the shared objects: no service label */
	bool gateway_experimental;          /* the cluster has the Gateway API Experimental CRDs */
	const char *implementation;         /* Gateway API: envoy-gateway, istio, or NULL */
	struct origin implementation_origin;
	bool has_service;                   /* a Service is generated (providers may annotate it) */
};

struct svc_model;
struct run_opts;
void routing_build(struct routing *r, const struct svc_model *svc, const char *provider,
		   const struct run_opts *o, struct arena *a);
/* The backend of a port, or NULL. */
const struct backend *routing_backend(const struct routing *r, long port);
/* How many backends speak TLS. */
size_t routing_tls_backends(const struct routing *r);
#endif
