/* Reading API responses (JSON, which is YAML) and kubeconfig files through libfyaml:
 * small accessors by dotted path so the cluster code reads like the API reference. */
#ifndef HS_JNODE_H
#define HS_JNODE_H
#include <stdbool.h>
#include <stddef.h>
#include <libfyaml.h>
#include "../util/sbuf.h"

/* Parses text (JSON or YAML) into a document; NULL when it is not well formed. */
struct fy_document *jdoc_parse(const char *text, size_t len);
/* The node at a dotted path: "status.loadBalancer.ingress.0.ip"; numbers index sequences.
 * Keys that contain dots (annotations, labels) are read with jkey(). */
struct fy_node *jget(struct fy_node *n, const char *path);
struct fy_node *jkey(struct fy_node *map, const char *key);
/* The scalar text at path, or NULL (absent or not a scalar). Valid while the document lives. */
const char *jstr(struct fy_node *n, const char *path);
/* Integer at path, or dflt. */
long jlong(struct fy_node *n, const char *path, long dflt);
size_t jlen(struct fy_node *seq);
struct fy_node *jat(struct fy_node *seq, size_t i);
/* Appends s as a JSON string literal (quoted, escaped). */
void json_str(struct sbuf *sb, const char *s);
#endif
