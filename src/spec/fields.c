/* The field table of .hspec and .hprof files (see fields.h). Descriptions are what an
 * editor shows on hover: one line each, the README has the rest. */
#include "fields.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PORT_PATTERN "^[0-9]+(/([tT][cC][pP]|[uU][dD][pP]|[hH][tT][tT][pP][sS]?))?$"
#define DNS_LABEL "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"
#define HOST_PATTERN "^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"

static const struct field f_health[] = {
	{ .name = "httpPath", .shape = FS_STR, .pattern = "^/",
	  .desc = "HTTP path of the readiness and liveness probe; without it the probe is a TCP connect" },
	{ 0 },
};

static const struct field f_port[] = {
	{ .name = "port", .shape = FS_STR | FS_INT, .pattern = PORT_PATTERN, .required = true, .minimum = "1", .maximum = "65535",
	  .desc = "<number>[/tcp|udp|http|https], e.g. 8080/http; the protocol defaults to tcp" },
	{ .name = "healthCheck", .shape = FS_MAP, .fields = f_health,
	  .desc = "probe this port: {} for a TCP check, httpPath for an HTTP GET (the first one is used)" },
	{ 0 },
};
static const struct field f_port_item = { .shape = FS_MAP, .fields = f_port };

static const struct field f_string_item = { .shape = FS_STR | FS_NUM };

static const struct field f_dockerfile[] = {
	{ .name = "path", .shape = FS_STR, .ignored = true, .desc = "build context (hyscale does not build images)" },
	{ .name = "dockerfilePath", .shape = FS_STR, .ignored = true, .desc = "Dockerfile (hyscale does not build images)" },
	{ .name = "target", .shape = FS_STR, .ignored = true, .desc = "build stage (hyscale does not build images)" },
	{ .name = "args", .shape = FS_DICT, .ignored = true, .desc = "build arguments (hyscale does not build images)" },
	{ 0 },
};

static const struct field f_buildspec[] = {
	{ .name = "stackImage", .shape = FS_STR, .ignored = true, .desc = "hyscale does not build images" },
	{ .name = "artifacts", .shape = FS_LIST, .item = &(struct field){ .shape = FS_DICT }, .ignored = true,
	  .desc = "hyscale does not build images" },
	{ .name = "configCommandsScript", .shape = FS_STR, .ignored = true, .desc = "hyscale does not build images" },
	{ .name = "configCommands", .shape = FS_STR, .ignored = true, .desc = "hyscale does not build images" },
	{ .name = "runCommandsScript", .shape = FS_STR, .ignored = true, .desc = "hyscale does not build images" },
	{ .name = "runCommands", .shape = FS_STR, .ignored = true, .desc = "hyscale does not build images" },
	{ 0 },
};

static const char *const k_pull_policy[] = { "Always", "IfNotPresent", "Never", NULL };
static const char *const k_implementation[] = { "envoy-gateway", "istio", NULL };

static const struct field f_image[] = {
	{ .name = "registry", .shape = FS_STR, .desc = "registry host, e.g. ghcr.io (default: Docker Hub)" },
	{ .name = "name", .shape = FS_STR, .required = true, .desc = "repository, e.g. library/nginx" },
	{ .name = "tag", .shape = FS_STR | FS_NUM, .desc = "image tag, e.g. \"1.25\" (numbers are taken as written); may end in @sha256:<digest>" },
	{ .name = "digest", .shape = FS_STR, .pattern = "^sha(256:[a-f0-9]{64}|384:[a-f0-9]{96}|512:[a-f0-9]{128})$",
	  .desc = "pin the image by content digest, e.g. sha256:<64 hex digits>" },
	{ .name = "pullPolicy", .shape = FS_STR, .values = k_pull_policy, .dflt = "\"Always\"",
	  .desc = "imagePullPolicy of the containers (HyScale's default: Always)" },
	{ .name = "dockerfile", .shape = FS_MAP, .fields = f_dockerfile, .ignored = true,
	  .desc = "HyScale's image build; hyscale deploys the image as given and warns" },
	{ .name = "buildSpec", .shape = FS_MAP, .fields = f_buildspec, .ignored = true,
	  .desc = "HyScale's image build; hyscale deploys the image as given and warns" },
	{ 0 },
};

static const struct field f_replicas[] = {
	{ .name = "min", .shape = FS_INT, .minimum = "0", .desc = "replicas the workload starts with and never goes below" },
	{ .name = "max", .shape = FS_INT, .minimum = "1", .desc = "most replicas the HorizontalPodAutoscaler may run" },
	{ .name = "cpuThreshold", .shape = FS_STR | FS_NUM, .pattern = "^[0-9]+(\\.[0-9]+)?%?$",
	  .desc = "average CPU utilisation of the request to scale at, e.g. 75%" },
	{ 0 },
};

static const struct field f_volume[] = {
	{ .name = "name", .shape = FS_STR, .pattern = DNS_LABEL, .required = true, .desc = "claim and mount name (a DNS label)" },
	{ .name = "path", .shape = FS_STR, .pattern = "^/", .required = true, .desc = "absolute mount path in the container" },
	{ .name = "size", .shape = FS_STR | FS_NUM, .dflt = "\"1Gi\"", .desc = "Kubernetes quantity, e.g. 20Gi" },
	{ .name = "storageClass", .shape = FS_STR, .desc = "StorageClass (default: the cluster's default class)" },
	{ .name = "readOnly", .shape = FS_BOOL, .dflt = "false", .desc = "mount read-only" },
	{ 0 },
};

static const struct field f_agent_volume[] = {
	{ .name = "attach", .shape = FS_STR, .required = true, .desc = "name of a volume of the service" },
	{ .name = "mountPath", .shape = FS_STR, .pattern = "^/", .required = true, .desc = "absolute mount path in the agent" },
	{ .name = "readOnly", .shape = FS_BOOL, .dflt = "false", .desc = "mount read-only" },
	{ 0 },
};

static const struct field f_secrets_item = { .shape = FS_STR };

static const struct field f_agent[] = {
	{ .name = "name", .shape = FS_STR, .required = true, .desc = "container name of the sidecar" },
	{ .name = "image", .shape = FS_STR, .required = true, .desc = "full image reference, e.g. envoyproxy/envoy:v1.30.1" },
	{ .name = "props", .shape = FS_DICT, .desc = "the agent's ConfigMap: KEY: value, string(...), file(path)" },
	{ .name = "propsVolumePath", .shape = FS_STR, .pattern = "^/", .desc = "mount the agent's ConfigMap here" },
	{ .name = "secrets", .shape = FS_DICT | FS_LIST, .item = &f_secrets_item,
	  .desc = "a mapping generates the agent's Secret; a list names keys of an existing one" },
	{ .name = "secretsVolumePath", .shape = FS_STR, .pattern = "^/", .desc = "mount the agent's Secret here" },
	{ .name = "ports", .shape = FS_LIST, .item = &f_port_item, .desc = "the agent's ports, added to the Service" },
	{ .name = "volumes", .shape = FS_LIST, .item = &(struct field){ .shape = FS_MAP, .fields = f_agent_volume },
	  .desc = "volumes of the service mounted into the agent" },
	{ 0 },
};

static const struct field f_traffic[] = {
	{ .name = "ports", .shape = FS_LIST, .item = &f_string_item, .required = true,
	  .desc = "ports of the service (or its agents) the rule opens; [] for every port" },
	{ .name = "from", .shape = FS_LIST, .item = &f_string_item,
	  .desc = "services of the same app allowed in; [] for any source" },
	{ 0 },
};

static const char *const k_match[] = { "prefix", "exact", NULL };
static const struct field f_path[] = {
	{ .name = "path", .shape = FS_STR, .pattern = "^/", .required = true, .desc = "request path" },
	{ .name = "match", .shape = FS_STR, .values = k_match, .dflt = "\"prefix\"",
	  .desc = "prefix matches by path segment (/api: /api and /api/x, not /apix); exact only the path" },
	{ 0 },
};

static const struct field f_mapping[] = {
	{ .name = "port", .shape = FS_STR | FS_INT, .pattern = PORT_PATTERN, .required = true, .minimum = "1", .maximum = "65535",
	  .desc = "a TCP port declared in ports (8080 and 8080/http both work)" },
	{ .name = "contextPaths", .shape = FS_LIST,
	  .item = &(struct field){ .shape = FS_STR | FS_MAP, .pattern = "^/", .fields = f_path },
	  .desc = "paths routed to the port: /api, or {path: /healthz, match: exact}" },
	{ 0 },
};

static const struct field f_sticky[] = {
	{ .name = "cookie", .shape = FS_STR, .dflt = "\"hyscale-sticky\"", .desc = "session cookie name" },
	{ .name = "ttl", .shape = FS_STR | FS_NUM, .dflt = "\"1800s\"", .desc = "cookie lifetime: 3600, 90s, 30m, 1h30m" },
	{ 0 },
};

static const struct field f_gateway[] = {
	{ .name = "name", .shape = FS_STR, .required = true, .desc = "an existing Gateway to attach the routes to" },
	{ .name = "namespace", .shape = FS_STR, .pattern = DNS_LABEL, .desc = "the Gateway's namespace (default: the service's)" },
	{ .name = "sectionName", .shape = FS_STR, .desc = "the Gateway listener to attach to" },
	{ .name = "referenceGrant", .shape = FS_BOOL, .desc = "also emit the ReferenceGrant a cross-namespace TLS Secret needs" },
	{ 0 },
};


static const struct field f_lb[] = {
	{ .name = "provider", .shape = FS_STR, .values_fn = provider_value_names, .case_insensitive = true,
	  .desc = "the Layer-7 provider whose objects are generated (--provider overrides it)" },
	{ .name = "className", .shape = FS_STR, .desc = "IngressClass or GatewayClass; istio ignores it" },
	{ .name = "host", .shape = FS_STR, .pattern = HOST_PATTERN, .desc = "lower-case DNS name; *.example.com for a wildcard" },
	{ .name = "hosts", .shape = FS_LIST, .item = &(struct field){ .shape = FS_STR, .pattern = HOST_PATTERN },
	  .desc = "several host names (instead of host)" },
	{ .name = "sticky", .shape = FS_BOOL | FS_MAP, .fields = f_sticky, .dflt = "false",
	  .desc = "sticky sessions: true, or {cookie: NAME, ttl: 30m}" },
	{ .name = "tlsSecret", .shape = FS_STR, .desc = "Secret with tls.crt and tls.key; enables HTTPS and the HTTP to HTTPS redirect" },
	{ .name = "httpsRedirect", .shape = FS_BOOL, .dflt = "true", .desc = "false serves plain HTTP too when tlsSecret is set" },
	{ .name = "mapping", .shape = FS_LIST, .item = &(struct field){ .shape = FS_MAP, .fields = f_mapping },
	  .required = true, .desc = "port and paths to route" },
	{ .name = "headers", .shape = FS_DICT, .desc = "request headers set on the way to the service" },
	{ .name = "labels", .shape = FS_DICT, .desc = "labels of the generated routing objects (gateway: the Gateway selector)" },
	{ .name = "annotations", .shape = FS_DICT, .desc = "annotations of the generated routing objects" },
	{ .name = "gateway", .shape = FS_MAP, .fields = f_gateway, .desc = "attach routes to an existing Gateway (gateway provider)" },
	{ .name = "implementation", .shape = FS_STR, .values = k_implementation,
	  .desc = "the Gateway API implementation behind the GatewayClass, for its policy objects (sticky, backend TLS)" },
	{ 0 },
};

/* The top level, without name: a profile may change any field but the service's name. */
#define SPEC_TOP_FIELDS \
	{ .name = "hspecVersion", .shape = FS_STR | FS_NUM, .desc = "HyScale spec version, e.g. \"1.0\"" }, \
	{ .name = "image", .shape = FS_MAP, .fields = f_image, .required = true, .desc = "the container image" }, \
	{ .name = "replicas", .shape = FS_INT | FS_MAP, .fields = f_replicas, .dflt = "1", .minimum = "0", \
	  .desc = "a count, or {min, max, cpuThreshold} for a HorizontalPodAutoscaler" }, \
	{ .name = "memory", .shape = FS_STR | FS_NUM, .desc = "[request-]limit, e.g. 256Mi-512Mi" }, \
	{ .name = "cpu", .shape = FS_STR | FS_NUM, .desc = "[request-]limit, e.g. 250m or 100m-500m" }, \
	{ .name = "startCommand", .shape = FS_STR, .desc = "command and arguments, comma separated" }, \
	{ .name = "external", .shape = FS_BOOL, .dflt = "false", \
	  .desc = "a Service of type LoadBalancer (when there is no loadBalancer block)" }, \
	{ .name = "ports", .shape = FS_LIST, .item = &f_port_item, .desc = "ports of the container and the Service" }, \
	{ .name = "volumes", .shape = FS_LIST, .item = &(struct field){ .shape = FS_MAP, .fields = f_volume }, \
	  .desc = "persistent volumes: the workload becomes a StatefulSet" }, \
	{ .name = "props", .shape = FS_DICT, .desc = "ConfigMap entries: KEY: value, string(...), endpoint(...), file(path)" }, \
	{ .name = "propsVolumePath", .shape = FS_STR, .pattern = "^/", .desc = "mount the ConfigMap here" }, \
	{ .name = "secrets", .shape = FS_DICT | FS_LIST, .item = &f_secrets_item, \
	  .desc = "a mapping generates the Secret; a list names keys of an existing Secret <app>-<service>" }, \
	{ .name = "secretsVolumePath", .shape = FS_STR, .pattern = "^/", .desc = "mount the Secret here" }, \
	{ .name = "agents", .shape = FS_LIST, .item = &(struct field){ .shape = FS_MAP, .fields = f_agent }, \
	  .desc = "sidecar containers" }, \
	{ .name = "k8sSnippets", .shape = FS_LIST, .item = &(struct field){ .shape = FS_STR }, \
	  .desc = "YAML files merged into the generated objects (relative to the spec)" }, \
	{ .name = "allowTraffic", .shape = FS_LIST, .item = &(struct field){ .shape = FS_MAP, .fields = f_traffic }, \
	  .desc = "NetworkPolicy: who may reach which ports; [] denies all ingress" }, \
	{ .name = "loadBalancer", .shape = FS_MAP, .fields = f_lb, .desc = "Layer-7 routing, rendered for the provider" }

static const struct field f_top[] = {
	{ .name = "name", .shape = FS_STR, .required = true, .desc = "the service's name; the file is <name>.hspec" },
	SPEC_TOP_FIELDS,
	{ 0 },
};

static const struct field f_profile_top[] = {
	{ .name = "environment", .shape = FS_STR, .required = true, .pattern = "^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$",
	  .desc = "the environment (hyscale.io/environment-name label), e.g. prod" },
	{ .name = "overrides", .shape = FS_STR, .required = true, .desc = "name of the service this profile changes" },
	SPEC_TOP_FIELDS,
	{ 0 },
};

static const struct field spec_root = { .shape = FS_MAP, .fields = f_top,
					.desc = "HyScale service spec (.hspec), as read by hyscale" };
static const struct field profile_root = { .shape = FS_MAP, .fields = f_profile_top,
					   .desc = "HyScale profile (.hprof): changes one service for one environment" };

const struct field *spec_fields_root(void) { return &spec_root; }
const struct field *profile_fields_root(void) { return &profile_root; }

const struct field *field_find(const struct field *fields, const char *name)
{
	for (const struct field *f = fields; f && f->name; f++)
		if (!strcmp(f->name, name))
			return f;
	return NULL;
}

const struct field *spec_fields(const char *path)
{
	const struct field *cur = &spec_root;
	const char *p = path;
	while (*p) {
		if (*p == '.') {
			p++;
			continue;
		}
		if (!strncmp(p, "[]", 2)) {
			cur = cur->item;
			p += 2;
		} else {
			size_t l = strcspn(p, ".[");
			char name[64];
			snprintf(name, sizeof(name), "%.*s", (int)l, p);
			cur = field_find(cur->fields, name);
			p += l;
		}
		if (!cur)
			break;
	}
	if (!cur || !cur->fields) {
		fprintf(stderr, "hyscale: internal error: no field table for '%s'\n", path);
		abort();
	}
	return cur->fields;
}
