/* JSON output through libfyaml: a document is built with these helpers and written by
 * libfyaml's JSON emitter, which quotes and escapes; nothing is concatenated by hand.
 * Strings are always JSON strings (a plain scalar "80" or "true" would be emitted as a
 * number or a boolean), numbers and booleans are literals. Out of memory exits 4. */
#ifndef HS_JSONB_H
#define HS_JSONB_H
#include <stdbool.h>
#include <stdio.h>
#include <libfyaml.h>

struct fy_document *jb_doc(void);
struct fy_node *jb_obj(struct fy_document *d);
struct fy_node *jb_arr(struct fy_document *d);
struct fy_node *jb_str(struct fy_document *d, const char *s);
struct fy_node *jb_int(struct fy_document *d, long v);
struct fy_node *jb_bool(struct fy_document *d, bool v);
/* A JSON literal (true, 1, "x", [..]) parsed into a node. */
struct fy_node *jb_lit(struct fy_document *d, const char *json);
/* Appends key: val to an object (the key is always a string); returns val. */
struct fy_node *jb_set(struct fy_node *obj, const char *key, struct fy_node *val);
struct fy_node *jb_push(struct fy_node *arr, struct fy_node *val);
void jb_set_str(struct fy_node *obj, const char *key, const char *s);
/* Writes the document as indented JSON and a newline; false on a write error. */
bool jb_write(struct fy_document *d, FILE *out);
#endif
