/* The provider-neutral model of one service's workload and Service: names, labels,
 * ports, probe and command, derived once from a validated spec. */
#ifndef HS_SERVICE_MODEL_H
#define HS_SERVICE_MODEL_H
#include "../util/kvl.h"
#include "../spec/spec.h"
#include "options.h"
#include "pod.h"

struct svc_port {
	long number;
	bool udp;
	enum port_proto proto;
	const char *name;            /* e.g. 8080-tcp */
};

struct svc_model {
	const struct spec *spec;
	const char *app, *env;
	const char *ns;              /* -n, or NULL: objects carry no namespace (kubectl's) */
	const char *name;            /* normalised object name of the service */
	const char *app_obj;         /* normalised app name, for <app>-<svc> objects */
	struct kvl labels, selector;
	const char *image;           /* registry/name[:tag][@digest] */
	const char *pull_policy;     /* image.pullPolicy, else Always */
	bool has_replicas;
	long replicas;
	const char **command, **args;
	size_t ncommand, nargs;
	bool has_command;
	struct svc_port *ports;
	size_t nports, ports_cap;
	bool probe, probe_http, probe_https;
	const char *probe_path;
	long probe_port;
	bool service_lb;             /* Service type LoadBalancer */
	const char *pull_secret;     /* --image-pull-secret */
	bool allow_outside_files;    /* --allow-outside-files: file(...) and snippets from anywhere */
	struct pod_model pod;
};

/* Appends a spec port as <n>-tcp / <n>-udp unless invalid or already there (same number
 * and transport: 8080/http and 8080/tcp are one port). */
void svc_port_add(struct svc_port **ports, size_t *n, size_t *cap, const struct sport *p, struct arena *a);

/* Builds the model; the spec must have passed validation. */
void svc_model_build(struct svc_model *m, const struct spec *s, const struct run_opts *o,
		     const char *env, struct arena *a, struct diags *d);
#endif
