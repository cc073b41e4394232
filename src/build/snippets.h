/* k8sSnippets: YAML fragments merged into the generated objects of their kind (the
 * first one), or emitted as objects of their own with the service's labels when the
 * service generates no object of that kind. */
#ifndef HS_SNIPPETS_H
#define HS_SNIPPETS_H
#include "../model/service.h"
#include "../spec/yaml.h"
#include "manifest.h"

/* The loaded snippet files must outlive the manifests (their scalars are shared), so
 * they are kept in *files (an arena array) and released by the caller. */
struct snippet_files { struct yfile **v; size_t n, cap; };

/* With ms NULL, only reads the files (validate builds no objects). */
void build_snippets(const struct svc_model *m, struct manifests *ms, struct snippet_files *files, struct diags *d);
/* Merge key of a list in a Kubernetes object (containers→name, volumeMounts→mountPath…). */
const char *snippet_merge_key(const char *shape);
#endif
