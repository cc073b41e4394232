/* The image pull Secret HyScale made at deploy time: for the registry of the service's image,
 * the user's Docker credentials — from the Docker config's credential helpers (credHelpers,
 * credsStore, run as Docker runs them: `docker-credential-<name> get`, the registry on stdin) or
 * its `auths` — go into a `kubernetes.io/dockerconfigjson` Secret holding only that registry's
 * entry, named as HyScale named it (the normalised config key: `httpsindex-docker-iov1` for
 * Docker Hub), applied before the service and referenced in the pod's imagePullSecrets. Never
 * written to generated files; the credentials appear in no output, log or error. */
#ifndef HS_REGISTRY_H
#define HS_REGISTRY_H
#include <stdio.h>
#include "../pipeline.h"
#include "kube.h"

/* The registry host of an image reference: the first path component when it names a host
 * ("a.b/x", "host:5000/x", "localhost/x"), else Docker Hub ("docker.io"). */
const char *registry_of_image(struct arena *a, const char *image);
/* The Docker config key Docker uses for a registry ("https://index.docker.io/v1/" for Hub). */
const char *registry_config_key(struct arena *a, const char *host);

/* Applies the pull Secret for the image of rd's workload when credentials for its registry are
 * found, and adds it to the workload's imagePullSecrets. No credentials: nothing to do (true).
 * False with *err when the credentials cannot be read or the Secret cannot be applied. */
bool registry_secret(struct kube *k, struct arena *a, struct rendered *rd, const char *ns, FILE *log,
		     const char **err);
#endif
