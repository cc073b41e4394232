/* Stable codes of hyscale's diagnostics (--diagnostics=json|sarif, --allow CODE). A code is
 * found by the diagnostic's format string, so raising a diagnostic needs no code argument
 * and a new one is one line here: HS<area><number>, area 1 input files, 2 spec and profile
 * reading, 3 checks, 4 models, builders and providers, 5 output, 6 cluster and command line.
 * Codes are never reused or renumbered; when a message's wording changes, its line here
 * changes with it and keeps the code. tests/cli/diagnostics.test.mjs fails for a format
 * in src/ without a line here, and for a line whose format is gone. */
#include "diag.h"
#include <string.h>

static const struct diag_code codes[] = {
	/* src/spec/yaml.c */
	{ "HS1001", "%s is UTF-16 or UTF-32 encoded; save it as UTF-8" },
	{ "HS1002", "%s is not valid UTF-8 (byte 0x%02x at offset %zu); save it as UTF-8" },
	{ "HS1003", "%s contains a NUL byte (offset %zu); not a text file" },
	{ "HS1004", "%s contains the control character U+%04lX, which YAML does not allow in a file; write it as an escape (\\x%02lX) in a double-quoted string if it is meant" },
	{ "HS1005", "out of memory checking a %s" },
	{ "HS1006", "invalid YAML: duplicate key '%.*s' (first at line %d)" },
	{ "HS1007", "a single-quoted string with two or more '' in a row cannot be read (a libfyaml limitation); write it as a double-quoted string in this %s" },
	{ "HS1008", "YAML tag '%.*s' is not supported in a %s; remove it (quote the value if it must be a string)" },
	{ "HS1009", "a %s of %d entries, over the limit of %u in a %s" },
	{ "HS1010", "empty %s path given" },
	{ "HS1011", "cannot find %s: no such file" },
	{ "HS1012", "cannot open %s: too many levels of symbolic links" },
	{ "HS1013", "cannot open %s: %s" },
	{ "HS1014", "found a directory instead of a %s file" },
	{ "HS1015", "not a regular file; expecting a %s file" },
	{ "HS1016", "cannot read %s: %s" },
	{ "HS1017", "%s is %lld bytes, over the limit of %u bytes" },
	{ "HS1018", "%s is over the limit of %u bytes" },
	{ "HS1019", "empty %s cannot be processed" },
	{ "HS1020", "out of memory" },
	{ "HS1021", "%s holds more than one YAML document; expecting exactly one" },
	{ "HS1022", "invalid YAML: %s%s" },
	{ "HS1023", "empty %s cannot be processed (it holds only comments)" },
	{ "HS1024", "invalid YAML: the %s could not be parsed" },
	{ "HS1025", "YAML alias does not refer to an anchor" },
	{ "HS1026", "YAML aliases expand to more than %u nodes; refusing to read further" },
	/* src/spec/merge.c */
	{ "HS2001", "cannot merge this list of mappings into the one in %s: its items have no merge key; give the whole list in one file" },
	{ "HS2002", "missing '%s', which identifies the item to merge with" },
	{ "HS2003", "mapping keys must be plain strings" },
	/* src/spec/profile.c */
	{ "HS2004", "a profile must be a mapping with environment and overrides" },
	{ "HS2005", "missing required field: the environment this profile is for, e.g. environment: dev" },
	{ "HS2006", "missing required field: the name of the service this profile changes" },
	{ "HS2007", "a profile cannot rename its service; it overrides '%s'" },
	{ "HS2008", "service '%s' has two profiles for '%s': %s and %s; keep one" },
	{ "HS2009", "no profile for service '%s' in environment '%s' (-P): looked for %s and %s" },
	/* src/spec/read.c */
	{ "HS2010", "unknown field; did you mean '%s'?" },
	{ "HS2012", "expected a string, got null" },
	{ "HS2013", "expected a string, got %s" },
	{ "HS2014", "expected a string, got a boolean; quote it if meant as text" },
	{ "HS2015", "contains a NUL character" },
	{ "HS2016", "'%s' is not a boolean in YAML 1.2; write true or false" },
	{ "HS2017", "expected true or false, got %s" },
	{ "HS2018", "expected an integer, got %s" },
	{ "HS2019", "integer %s is out of range" },
	{ "HS2020", "expected a mapping of names to values, got %s" },
	{ "HS2021", "keys must be strings" },
	{ "HS2022", "expected a string, number or boolean, got %s" },
	{ "HS2023", "expected %s, got %s" },
	{ "HS2024", "'%s' is not a port; expected <number>[/tcp|udp|http|https], e.g. 8080/http" },
	{ "HS2025", "expected a mapping with 'port', got %s" },
	{ "HS2026", "missing required field 'port'" },
	{ "HS2027", "expected a mapping, got %s" },
	{ "HS2028", "expected a list of secret names or a mapping of names to values, got %s" },
	{ "HS2029", "expected a mapping with registry, name and tag, got %s" },
	{ "HS2030", "missing required field 'path'" },
	{ "HS2031", "'%s' is not a match type; expected exact or prefix" },
	{ "HS2032", "expected a mapping, got %s%s" },
	{ "HS2033", "expected a mapping with port and contextPaths, got %s" },
	{ "HS2034", "a service spec must be a mapping of fields, got %s" },
	{ "HS2035", "missing required field" },
	/* src/validate/loadbalancer.c */
	{ "HS3001", "'%s' has a port; give the host name only (the provider listens on 80/443)" },
	{ "HS3002", "'%s' is an IP address; Ingress and Gateway hosts must be DNS names" },
	{ "HS3003", "'%s' has upper-case letters; host names must be lower case" },
	{ "HS3004", "'%s' is not a valid host name (lower-case DNS name; a wildcard only as the whole first label, e.g. *.example.com)" },
	{ "HS3005", "'%s' is not a valid Kubernetes %s key" },
	{ "HS3006", "'%s' is not a valid label value (at most 63 of [A-Za-z0-9._-], alphanumeric at both ends)" },
	{ "HS3007", "'%s' is not a valid HTTP header name (letters, digits and !#$%%&'*+-.^_`|~)" },
	{ "HS3008", "header names are limited to 256 characters" },
	{ "HS3009", "'%s' is managed by the proxy and cannot be set as a request header" },
	{ "HS3010", "header '%s' is set twice (header names are case-insensitive)" },
	{ "HS3011", "empty header value (several providers would delete the header instead)" },
	{ "HS3012", "header values are limited to 4096 characters" },
	{ "HS3013", "header value has leading or trailing white space, which HTTP strips" },
	{ "HS3014", "header value contains a control character (%s)" },
	{ "HS3015", "missing required field: each mapping needs the port its paths go to" },
	{ "HS3016", "'%s': HTTP routing cannot reach a UDP port" },
	{ "HS3017", "port %ld is declared as UDP in ports; HTTP routing needs a TCP port" },
	{ "HS3018", "port %ld is not declared in ports; the load balancer can only route to ports of this service" },
	{ "HS3019", "at least one context path is required (e.g. /)" },
	{ "HS3020", "'%s' %s" },
	{ "HS3021", "'%s' is already routed by loadBalancer.mapping[%zu]" },
	{ "HS3022", "'%s' is already routed to another port by loadBalancer.mapping[%zu]" },
	{ "HS3023", "missing required field; one of %s" },
	{ "HS3024", "unknown provider '%s'; supported: %s" },
	{ "HS3025", "missing required field: the host name to route" },
	{ "HS3026", "'%s' repeats loadBalancer.host" },
	{ "HS3027", "'%s' is listed twice" },
	{ "HS3028", "missing required field: the paths to route and their ports" },
	{ "HS3029", "at least one mapping is required" },
	{ "HS3030", "%zu context paths, over the limit of %u per service" },
	{ "HS3031", "'%s' is not a valid Secret name (lower-case DNS name)" },
	{ "HS3032", "'%s' is not a valid class name (lower-case DNS name)" },
	{ "HS3033", "has no effect without tlsSecret: there is no HTTPS listener to redirect to" },
	{ "HS3034", "'%s' is not a valid cookie name (letters, digits, '-', '.', '_', '~'; at most 128)" },
	{ "HS3035", "'%s' is not a positive duration (e.g. 3600, 90s, 30m, 1h30m; at most 10 years)" },
	{ "HS3036", "missing required field: the gateway to attach to" },
	{ "HS3037", "'%s' is not a valid object name" },
	{ "HS3038", "'%s' is not a valid namespace name" },
	{ "HS3039", "has no effect without tlsSecret: it lets the gateway read that Secret" },
	{ "HS3040", "'%s' is not a valid section name" },
	{ "HS3041", "required for provider %s: the labels that select the ingress gateway pods (e.g. istio: ingressgateway)" },
	{ "HS3042", "provider %s has no shared gateway; use istio or gateway" },
	{ "HS3043", "a loadBalancer block requires external: true (the service is exposed through the load balancer)" },
	/* src/validate/pod.c */
	{ "HS3044", "'%s' is not a Kubernetes quantity; for %s write e.g. %.*s%s" },
	{ "HS3045", "'%s' is not a Kubernetes quantity (%s), e.g. %s" },
	{ "HS3046", "the request %s is more than the limit %s; write <request>-<limit>" },
	{ "HS3047", "a limit of %s is below 4Mi; containers are unlikely to start" },
	{ "HS3048", "missing: autoscaling up to replicas.max needs a CPU target such as cpuThreshold: 70%%" },
	{ "HS3049", "missing: autoscaling needs the most replicas to run" },
	{ "HS3050", "'%s' is not a CPU utilization target; write a percentage such as 70%%" },
	{ "HS3051", "utilization is measured against the CPU request, and cpu is not set; the autoscaler cannot scale until a request is given (cpu: <request>-<limit>)" },
	{ "HS3052", "autoscaling needs at least 1 replica" },
	{ "HS3054", "'%s' is the file hyscale writes into %s; use another name" },
	{ "HS3056", "'%s' must be an absolute path" },
	{ "HS3057", "'%s' is already mounted by %s" },
	{ "HS3058", "'%s' cannot name a volume: lower-case letters, digits and '-', at most 63" },
	{ "HS3059", "names starting with 'hyscale-' are kept for the props and secrets volumes" },
	{ "HS3060", "volume '%s' is declared twice (volumes[%zu])" },
	{ "HS3061", "missing: the folder where the volume is mounted" },
	{ "HS3062", "'%s' is not a valid StorageClass name" },
	{ "HS3063", "'%s' cannot name a container (got '%s')" },
	{ "HS3064", "'%s' is the service's own container name" },
	{ "HS3065", "agent '%s' is declared twice (agents[%zu])" },
	{ "HS3066", "missing: the sidecar's image, e.g. envoyproxy/envoy:v1.30.1" },
	{ "HS3067", "missing: the service volume to attach" },
	{ "HS3068", "'%s' is not a volume of this service; declare it under volumes" },
	{ "HS3069", "duplicate port %s: the service declares it (ports[%zu])" },
	{ "HS3070", "duplicate port %s: agents[%zu] declares it" },
	{ "HS3071", "traffic rules cannot be applied to a service exposed externally (external: true)" },
	{ "HS3072", "missing required field: the ports this rule opens (ports: [] opens all)" },
	{ "HS3073", "rule without 'from' allows nothing and is left out, as in HyScale; write from: [] for any source" },
	{ "HS3074", "'%s' is not a port; expected <number>[/tcp|udp|http|https]" },
	{ "HS3075", "traffic rules cannot be applied to a port that is not exposed by the service: %ld/%s is not among its ports" },
	{ "HS3076", "'%s' is not a service name" },
	{ "HS3077", "'%s' is also a prop (%s:%d); the container's variable takes the secret (the prop stays in the ConfigMap)" },
	{ "HS3078", "more than 200 volumes" },
	/* src/validate/service.c */
	{ "HS3079", "'%s' cannot be made a valid Kubernetes Service name (got '%s'): it must start with a letter, hold only letters, digits, '-', '.', '_' or spaces, and be at most 63 characters" },
	{ "HS3080", "service name '%s' does not match the file name '%.*s'; the convention is <service-name>.hspec" },
	{ "HS3085", "hyscale does not build images; the manifests use %s as it is in the registry" },
	{ "HS3086", "%ld is negative" },
	{ "HS3087", "%ld must be at least 1" },
	{ "HS3088", "%ld is less than replicas.min %ld" },
	{ "HS3089", "%ld is out of range 1-65535" },
	{ "HS3090", "port %s repeats %s[%zu] ('%s'); one Service port is generated" },
	{ "HS3091", "empty path: no health check is generated" },
	{ "HS3092", "'%s' must start with '/'" },
	{ "HS3093", "contains a space or control character" },
	{ "HS3094", "an HTTP health check cannot probe UDP port %ld" },
	{ "HS3095", "empty: the image's own command is used" },
	/* src/build/snippets.c */
	{ "HS4001", "a k8s snippet must be a mapping (a Kubernetes object or a part of one)" },
	{ "HS4002", "missing: the kind of object this snippet changes, e.g. kind: Deployment" },
	{ "HS4003", "the generated %s is %s; the snippet's %s is ignored" },
	{ "HS4004", "would rename the generated %s '%s'; a snippet can only add to it" },
	{ "HS4005", "this service generates no %s to merge into%s, and the snippet lacks %s to be an object of its own (referenced at %s:%d:%d: %s)" },
	{ "HS4006", "empty snippet path" },
	/* src/model/pod.c */
	{ "HS4007", "a TCP probe cannot check UDP port %ld; no probe is generated for it" },
	{ "HS4008", "file props are only reachable as files; set propsVolumePath to mount them" },
	{ "HS4009", "'%s' is not an environment variable name; it is only in the ConfigMap" },
	{ "HS4010", "the ConfigMap %s would hold %zu bytes; Kubernetes allows at most 1 MiB" },
	{ "HS4011", "'%s' is not an environment variable name; it is only in the Secret" },
	/* src/pipeline.c */
	{ "HS4012", "%s %s: %s" },
	{ "HS4014", "profile is for environment '%s', but -P asked for '%s' (file %s)" },
	{ "HS4015", "profile overrides service '%s', but its file name says '%s'" },
	{ "HS4016", "profile for service '%s', which is not among the specs given with -f" },
	{ "HS4017", "service '%s' cannot have two profiles: %s is given too" },
	{ "HS4018", "service '%s' is also defined in %s:%d" },
	{ "HS4019", "'%s' is not one of the services of this run; its pods must carry hyscale.io/app-name=%s and hyscale.io/service-name=%s for the rule to match" },
	/* src/providers/gateway.c */
	{ "HS4020", "the Gateway API Experimental CRDs accept only visible ASCII words separated by single spaces in header values" },
	{ "HS4021", "port %ld has %zu paths; an HTTPRoute rule holds at most %d matches" },
	{ "HS4022", "%zu paths; an HTTPRoute holds at most %d matches across its rules" },
	{ "HS4023", "%zu ports; an HTTPRoute holds at most %d rules" },
	{ "HS4024", "%zu hosts; an HTTPRoute holds at most %d hostnames" },
	{ "HS4025", "%zu headers; RequestHeaderModifier sets at most %d" },
	{ "HS4026", "required for provider gateway: the GatewayClass of the Gateway to create (or give loadBalancer.gateway to attach to an existing one)" },
	{ "HS4033", "Gateway API rules must not share a session (GEP-1619): the cookie is named %s-<port> in each of the %zu rules, one per port" },
	{ "HS4034", "Gateway API has session persistence only in its Experimental channel; not emitted (pass --gateway-channel experimental if your cluster has the Experimental CRDs)" },
	/* src/providers/ingress.c */
	{ "HS4035", "replaces the value hyscale generates for %s %s (%s)" },
	{ "HS4036", "ignored by provider %s: labels select Istio ingress gateway pods" },
	/* src/providers/istio.c */
	{ "HS4037", "ignored by provider istio: the ingress gateway is selected by loadBalancer.labels" },
	{ "HS4038", "ignored with loadBalancer.gateway: gateway %s already selects its pods" },
	{ "HS4039", "ignored with loadBalancer.gateway: TLS is configured on the shared gateway %s" },
	{ "HS4040", "gateway %s is in another namespace: the VirtualService must be exported to namespace %s (exportTo; allowed by the mesh default \"*\" unless defaultVirtualServiceExportTo restricts it) and the gateway's servers must list host %s" },
	{ "HS4041", "ignored by provider istio: an Istio Gateway reads credentialName only from its own namespace" },
	{ "HS4042", "Istio VirtualServices bind to a whole Gateway; sectionName is ignored" },
	{ "HS4043", "the Istio Gateway name '%s' would be longer than 63 characters (a DNS label); shorten the app or environment name or attach to an existing gateway (loadBalancer.gateway)" },
	{ "HS4044", "Istio reads credentialName '%s' from the namespace of the ingress gateway pods (often istio-system), not from namespace %s" },
	/* src/providers/nginx.c */
	{ "HS4045", "'%s': ingress-nginx rejects Prefix/Exact paths with characters outside [A-Za-z0-9._-/] (strict-validate-path-type, default since v1.12)" },
	{ "HS4046", "ingress-nginx can only set headers named with letters, digits, '-' and '_' (the name is written into a configuration snippet)" },
	{ "HS4047", "this value cannot be passed to nginx literally (quotes, '\\', '$', ';', '#' or braces would be interpreted or could inject a directive); use another provider or a plain value" },
	{ "HS4048", "ingress-nginx sets request headers only through the configuration-snippet annotation, which the controller rejects unless its ConfigMap has allow-snippet-annotations: \"true\" and annotations-risk-level: Critical" },
	{ "HS4049", "ingress-nginx is retired (no releases or security fixes after March 2026); provider gateway renders the same block for any Gateway API implementation" },
	/* src/providers/traefik.c */
	{ "HS4050", "Traefik reads stickiness from the Service's annotations, and this spec generates no Service" },
	/* src/emit/output.c */
	{ "HS5001", "output path is too long" },
	{ "HS5002", "cannot create folder: %s" },
	{ "HS5003", "cannot create folder: a file is in the way" },
	{ "HS5004", "cannot write: %s" },
	{ "HS5005", "cannot replace folder: %s" },
	/* src/build/limits.c */
	{ "HS4051", "the generated %s %s is %zu bytes, over the %u bytes an API server stores in one object; split it (fewer hosts, paths, props or headers per service)" },
	/* src/build/limits.c */
	{ "HS4052", "the annotations of the generated %s %s are %zu bytes (keys and values), over the API server's limit of %u" },
	/* src/build/snippets.c */
	{ "HS4053", "a %s is cluster-scoped and has no namespace" },
	/* src/build/snippets.c */
	{ "HS4054", "'%s' pins a namespace, but this run writes none (no -n): every other object goes to the namespace it is applied in; remove it, or give -n %s" },
	/* src/build/snippets.c */
	{ "HS4055", "'%s' differs from the namespace of this run, '%s' (-n): every generated object is in that namespace; a snippet cannot move one" },
	/* src/emit/output.c */
	{ "HS5006", "cannot create the lock file: %s" },
	/* src/emit/output.c */
	{ "HS5007", "cannot use this lock file: %s; remove it" },
	/* src/emit/output.c */
	{ "HS5008", "cannot lock the output folder: %s" },
	/* src/emit/output.c */
	{ "HS5009", "another hyscale run is writing to %s (waited %d s for this lock); try again when it has finished" },
	/* src/emit/output.c */
	{ "HS5010", "refusing to replace %s: %s; move it away, or write elsewhere with -O DIR" },
	/* src/emit/output.c */
	{ "HS5011", "cannot create the temporary folder: %s is in the way (%s)" },
	/* src/pipeline.c */
	{ "HS4056", "'%s' cannot name an environment: letters, digits, '-', '_' and '.', at most 30, starting and ending with a letter or digit (it becomes a label value and, in lower case, part of object names)" },
	/* src/pipeline.c */
	{ "HS4057", "service '%s' becomes the object name and selector label '%s', as '%s' does in %s:%d; their objects and pods would be mixed up" },
	/* src/providers/contour.c */
	{ "HS4058", "Contour routes by virtualhost.fqdn: give loadBalancer.host" },
	/* src/providers/contour.c */
	{ "HS4059", "the HTTPProxy name for host %s would be longer than 253 characters" },
	/* src/providers/contour.c */
	{ "HS4060", "Contour's sticky cookie is a session cookie; the lifetime is not configurable" },
	/* src/providers/f5nginx.c */
	{ "HS4061", "nginx.org/sticky-cookie-services works on NGINX OSS from F5 NGINX Ingress Controller v5.4.0; older releases need NGINX Plus (nginx.com/sticky-cookie-services)" },
	/* src/providers/gateway.c */
	{ "HS4062", "ignored with loadBalancer.gateway: gateway %s already has its GatewayClass" },
	/* src/providers/gateway.c */
	{ "HS4063", "has no effect: gateway %s is in namespace %s and reads Secret %s without a grant" },
	/* src/providers/gateway.c */
	{ "HS4064", "not emitted with loadBalancer.gateway: TLS is terminated by the listeners of gateway %s, whose certificateRefs must name Secret %s" },
	/* src/providers/gateway.c */
	{ "HS4065", "not emitted with loadBalancer.gateway: gateway %s terminates TLS; its listener's certificateRefs must name {namespace: %s, name: %s} (the ReferenceGrant that allows it is generated)" },
	/* src/providers/gateway.c */
	{ "HS4066", "not emitted with loadBalancer.gateway: for gateway %s to terminate TLS with Secret %s/%s, its listener's certificateRefs must name {namespace: %s, name: %s} and namespace %s needs a ReferenceGrant (gateway.networking.k8s.io/v1beta1) with from: [{group: gateway.networking.k8s.io, kind: Gateway, namespace: %s}] and to: [{group: \"\", kind: Secret, name: %s}] (loadBalancer.gateway.referenceGrant: true generates it)" },
	/* src/providers/gateway.c */
	{ "HS4067", "gateway %s must allow routes from namespace %s (listeners[].allowedRoutes.namespaces; the default is Same)" },
	/* src/providers/gateway.c */
	{ "HS4068", "port %ld speaks TLS: the Gateway sends plain HTTP to it unless a BackendTLSPolicy (gateway.networking.k8s.io/v1) targets {group: \"\", kind: Service, name: %s, sectionName: %ld-tcp} with validation.hostname (the name in the backend's certificate) and caCertificateRefs (a ConfigMap with ca.crt) or wellKnownCACertificates: System; hyscale does not know them" },
	/* src/providers/haproxy.c */
	{ "HS4069", "the HAProxy controller reads cookie-persistence from the Service, and this spec generates no Service" },
	/* src/providers/haproxy.c */
	{ "HS4070", "haproxy.org/cookie-persistence has no lifetime: the cookie lasts for the browser session" },
	/* src/providers/shared.c */
	{ "HS4071", "port %ld speaks TLS, but %s: it is sent plain HTTP" },
	/* src/providers/shared.c */
	{ "HS4072", "%s" },
	/* src/providers/traefik.c */
	{ "HS4073", "Traefik references the headers Middleware as <namespace>-<name>@kubernetescrd: give the namespace with -n" },
	/* src/providers/traefik.c */
	{ "HS4074", "Traefik references the HTTPS redirect Middleware as <namespace>-<name>@kubernetescrd: give the namespace with -n (or httpsRedirect: false)" },
	/* src/providers/traefik.c */
	{ "HS4075", "port %ld speaks TLS, but Traefik reads the scheme from the Service annotation service.serversscheme, and this spec generates no Service: it is sent plain HTTP" },
	/* src/spec/read.c */
	{ "HS2036", "not a field here; it belongs in %s" },
	/* src/spec/read.c */
	{ "HS2037", "unknown field (%s)" },
	/* src/spec/read.c */
	{ "HS2038", "'%s' is a boolean only in YAML 1.1 (HyScale read it as %s); write %s" },
	/* src/spec/read.c */
	{ "HS2039", "empty list entry (skipped)" },
	/* src/validate/loadbalancer.c */
	{ "HS3096", "a snippet annotation is raw nginx configuration, run by the controller for every host it serves; ingress-nginx refuses it unless its ConfigMap sets allow-snippet-annotations: \"true\" and annotations-risk-level: Critical. Review it, or use a provider without snippets" },
	/* src/validate/loadbalancer.c */
	{ "HS3097", "annotations reach %zu bytes here, over the API server's limit of %u bytes (keys and values) per object" },
	/* src/validate/loadbalancer.c */
	{ "HS3098", "%zu hosts × %zu context paths = %zu routes, over the limit of %u per service (the objects would exceed what an API server stores); split the hosts over several services" },
	/* src/validate/loadbalancer.c */
	{ "HS3099", "unknown Gateway API implementation '%s'; supported: envoy-gateway, istio" },
	/* src/validate/loadbalancer.c */
	{ "HS3100", "ignored by provider %s: it names the Gateway API implementation behind the GatewayClass" },
	/* src/validate/pod.c */
	{ "HS3101", "'%s' cannot be a ConfigMap/Secret key: letters, digits, '-', '_', '.', at most 253, not '.' and not starting with '..'" },
	/* src/validate/pod.c */
	{ "HS3102", "'%s' cannot be a Secret key: letters, digits, '-', '_', '.', at most 253, not '.' and not starting with '..'" },
	/* src/validate/pod.c */
	{ "HS3103", "'%s' holds '%.*s', which a container name cannot hold and hyscale would drop" },
	/* src/validate/pod.c */
	{ "HS3104", "'%.80s' is not an image reference: %s" },
	/* src/validate/routes.c */
	{ "HS3105", "%s%s (%s) is also routed by service '%s' (%s:%d:%d); on a cluster one of them would silently win" },
	/* src/validate/routes.c */
	{ "HS3106", "host %s is also served by service '%s' with tlsSecret '%s' (%s:%d:%d); which certificate a client gets depends on the controller" },
	/* src/validate/service.c */
	{ "HS3107", "'%s' holds '%.*s', which an object name cannot hold and hyscale would drop; use letters, digits, '-', '.', '_' or spaces (the last three become '-')" },
	/* src/validate/service.c */
	{ "HS3108", "'%s' is not a digest: %s" },
	/* src/validate/service.c */
	{ "HS3109", "digest %s differs from %s given in %s" },
	/* src/validate/service.c */
	{ "HS3110", "'%s' is not a registry host%s%s" },
	/* src/validate/service.c */
	{ "HS3111", "tag '%.*s' in '%s' is not valid: %s" },
	/* src/validate/service.c */
	{ "HS3112", "'%s' carries tag '%.*s' and image.tag gives '%s'; keep one" },
	/* src/validate/service.c */
	{ "HS3113", "'%s' carries its tag; write it as image.tag: %.*s" },
	/* src/validate/service.c */
	{ "HS3114", "the image name has %zu characters (with the registry); the most is %d" },
	/* src/validate/service.c */
	{ "HS3115", "'%s' is not a valid image name: %s" },
	/* src/validate/service.c */
	{ "HS3116", "'%s' is not a valid image tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}, optionally @sha256:<digest>)" },
	/* src/validate/service.c */
	{ "HS3117", "'%s' is not a pull policy; expected Always, IfNotPresent or Never%s" },
	/* src/validate/yaml11.c */
	{ "HS3118", "this %s value holds U+%04lX, which YAML 1.1 readers (kubectl, the API server) read as a line break or refuse; write it in a double-quoted string as \\u%04lX" },
	/* src/validate/yaml11.c */
	{ "HS3119", "'%s' means %s to YAML 1.1 readers (kubectl, the API server), something else to YAML 1.2 readers (hyscale); quote it%s" },
	/* src/providers/contour.c */
	{ "HS4076", "Contour's sticky cookie is always named %s (loadBalancerPolicy strategy Cookie has no name); '%s' is not used" },
	/* src/model/entrypoints.c */
	{ "HS4077", "services of app %s share the Gateway %s, which has one GatewayClass: '%s' here, '%s' in service '%s' (%s:%d:%d)" },
	/* src/model/entrypoints.c */
	{ "HS4078", "services of app %s share the Istio Gateway %s, which selects one set of ingress pods: %s here, %s in service '%s' (%s:%d:%d)" },
	/* src/model/entrypoints.c */
	{ "HS4079", "host %s is served by the shared %s %s with one certificate: tlsSecret %s here, %s in service '%s' (%s:%d:%d)" },
	/* src/model/entrypoints.c */
	{ "HS4080", "host %s is served by the shared %s %s with one HTTP listener: httpsRedirect is %s here, %s in service '%s' (%s:%d:%d)" },
	/* src/model/entrypoints.c */
	{ "HS4081", "the shared Gateway %s would have %zu listeners (HTTP and HTTPS for each host of the app); a Gateway holds at most %d" },
	/* src/model/entrypoints.c */
	{ "HS4082", "not put on the shared %s %s: service '%s' sets it to '%s' (%s:%d:%d); it stays on this service's route objects" },
	{ NULL, NULL },
};

const struct diag_code *diag_codes(void) { return codes; }

const char *diag_code_of(const char *fmt)
{
	for (const struct diag_code *c = codes; c->code; c++)
		if (!strcmp(c->fmt, fmt))
			return c->code;
	return DIAG_CODE_NONE;
}

const struct diag_code *diag_code_find(const char *code)
{
	for (const struct diag_code *c = codes; c->code; c++)
		if (!strcmp(c->code, code))
			return c;
	return NULL;
}
