/* generate -o json: the rendered YAML of each object re-read by libfyaml and written by its
 * JSON emitter (types kept: hyscale quotes every string YAML could read as something else). */
#ifndef HS_JSON_OUT_H
#define HS_JSON_OUT_H
#include <stdbool.h>
#include <stddef.h>
#include "../util/sbuf.h"

/* One object's YAML text as JSON (with a final newline) into out; false if it cannot be read. */
bool json_from_yaml(const char *yaml, size_t len, struct sbuf *out);
/* Several objects as one kubectl-style {"apiVersion": "v1", "kind": "List", "items": [...]}. */
bool json_list_from_yaml(const char *const *yaml, const size_t *len, size_t n, struct sbuf *out);
#endif
