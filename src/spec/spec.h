/* The typed service spec (.hspec), every value with its position. It mirrors HyScale's
 * schema (hspec service-spec.json) plus our loadBalancer extensions; readers fill it,
 * validation checks it, the model and builders only read it. */
#ifndef HS_SPEC_H
#define HS_SPEC_H
#include <stdbool.h>
#include <stddef.h>
#include "../util/diag.h"

struct sstr { const char *v; struct loc loc; };          /* v == NULL: absent */
struct sint { long v; bool set; struct loc loc; };
struct sbool { bool v; bool set; struct loc loc; };

struct skv {                                            /* one map entry */
	const char *key, *value;
	struct loc kloc, vloc;
	bool value_is_str;                                  /* quoted or non-numeric/bool */
};
struct skvs { struct skv *v; size_t n, cap; struct loc loc; bool set; };

enum port_proto { PROTO_TCP, PROTO_UDP, PROTO_HTTP, PROTO_HTTPS };

struct sport {
	long number;
	enum port_proto proto;
	const char *raw;
	struct loc loc;
	bool valid;
	bool has_health;              /* healthCheck given (even {}) */
	struct sstr http_path;        /* healthCheck.httpPath */
	struct loc health_loc;
};
struct sports { struct sport *v; size_t n, cap; bool set; struct loc loc; };

struct spath {                    /* loadBalancer context path */
	const char *path;
	bool exact;
	struct loc loc;
};

struct smapping {
	struct sport port;            /* loadBalancer.mapping[].port */
	bool has_port;
	struct spath *paths; size_t npaths, cap;
	bool has_paths;
	size_t paths_given;           /* items listed, valid or not */
	struct loc loc;
};

struct sgatewayref { struct sstr name, ns, section; struct sbool reference_grant; bool set; struct loc loc; };

struct sloadbalancer {
	bool set;
	struct loc loc;
	struct sstr provider, class_name, host, tls_secret;
	struct sstr *hosts; size_t nhosts, hosts_cap;      /* extension: hosts: [...] */
	struct loc hosts_loc;
	struct sbool sticky;                               /* sticky: true|false */
	bool sticky_obj;                                   /* sticky: {cookie, ttl} */
	struct sstr sticky_cookie, sticky_ttl;
	struct sbool https_redirect;
	struct smapping *mapping; size_t nmapping, mapping_cap;
	bool has_mapping;
	struct loc mapping_loc;
	struct skvs headers, labels, annotations;
	struct sgatewayref gateway;
	struct sstr implementation;                        /* extension: the GatewayClass's controller */
};

struct svolume { struct sstr name, path, size, storage_class; struct sbool read_only; struct loc loc; };
struct sagent_volume { struct sstr attach, mount_path; struct sbool read_only; struct loc loc; };

struct ssecrets {                  /* list form (names) or map form (values) */
	bool set, is_map;
	struct loc loc;
	struct skvs map;
	struct sstr *names; size_t nnames, names_cap;
};

struct sagent {
	struct sstr name, image, props_path, secrets_path;
	struct skvs props;
	struct ssecrets secrets;
	struct sports ports;
	struct sagent_volume *volumes; size_t nvolumes, volumes_cap;
	struct loc loc;
};

struct straffic { struct sstr *ports; size_t nports, ports_cap; bool has_ports;
		  struct sstr *from; size_t nfrom, from_cap; bool has_from; struct loc loc; };

struct sreplicas {
	bool set, is_object;
	struct loc loc;
	struct sint count;               /* integer form */
	struct sint min, max;
	struct sstr cpu_threshold;
};

struct spec {
	const char *file;                /* path as given */
	const char *dir;                 /* folder of the file, for relative paths */
	bool from_stream;                /* -f - or a pipe: no file-name convention to check */
	struct sstr name;
	struct loc image_loc;
	bool has_image;
	struct sstr image_registry, image_name, image_tag;
	struct sstr image_digest;        /* image.digest: sha256:... */
	struct sstr image_pull_policy;   /* image.pullPolicy; default Always (HyScale's) */
	bool image_builds;               /* dockerfile or buildSpec: hyscale would build it */
	struct loc image_build_loc;
	struct sreplicas replicas;
	struct sstr memory, cpu, start_command;
	struct sbool external;
	struct sports ports;
	struct svolume *volumes; size_t nvolumes, volumes_cap; bool has_volumes;
	struct skvs props;
	struct sstr props_path, secrets_path;
	struct ssecrets secrets;
	struct sagent *agents; size_t nagents, agents_cap;
	struct sstr *snippets; size_t nsnippets, snippets_cap;
	struct straffic *traffic; size_t ntraffic, traffic_cap; bool has_traffic;
	struct loc traffic_loc;
	struct sloadbalancer lb;
};
#endif
