/* Reading API responses (JSON, which is YAML) and kubeconfig files through libfyaml:
 * small accessors by dotted path so the cluster code reads like the API reference. */
#ifndef HS_JNODE_H
#define HS_JNODE_H
#include <stdbool.h>
#include <stddef.h>
#include <libfyaml.h>
#include "../util/sbuf.h"

/* A cap on the tokens of one JSON text (see count_tokens in jnode.c): libfyaml keeps about 180
 * bytes per token, so this bounds the memory of any response to ~200 MB. A real response is far
 * below it: a pod with its managedFields is 1000-2000 tokens. */
#define JSON_TOKENS_MAX 1000000
#define JSON_TOKENS_MAX_TEXT "1000000"
/* Parses a JSON object, taking over text (malloc'd, NUL at len): it is freed with the document,
 * or before returning NULL. max_tokens 0: no cap. On NULL, *why says what is wrong in a few
 * words ("is not valid JSON"), never quoting the text (which may hold a credential). */
struct fy_document *jdoc_parse_json(char *text, size_t len, size_t max_tokens, const char **why);
/* The same for a JSON object in memory that stays the caller's. */
struct fy_document *jdoc_parse(const char *text, size_t len);
/* A libfyaml diagnostic object that prints nothing (its messages quote input lines). */
struct fy_diag *jdiag_silent(void);
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
