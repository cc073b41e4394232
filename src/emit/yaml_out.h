/* Turning manifest trees into YAML text that reads back as the tree it came from (same
 * structure, same bytes, same plain/quoted typing) to YAML 1.2 and YAML 1.1 readers. */
#ifndef HS_YAML_OUT_H
#define HS_YAML_OUT_H
#include <stdbool.h>
#include "../build/manifest.h"
#include "../util/sbuf.h"

/* Appends the document (no "---") to out. False, with *why set, when a value cannot be
 * written exactly; nothing is appended then. */
bool yaml_render(struct manifest *m, struct sbuf *out, const char **why);

/* The writer behind yaml_render() (yaml_write.c): appends the block-style text of the
 * tree under root, byte for byte what libfyaml's emitter writes for it. YW_OTHER (nothing
 * appended) for a tree it does not take: one that needs libfyaml's emitter and the
 * round-trip guard; YW_REFUSED, with *why, for a value no reader may be given. */
enum yaml_write_result { YW_OK, YW_OTHER, YW_REFUSED };
enum yaml_write_result yaml_write(struct fy_node *root, struct sbuf *out, const char **why);
/* The scalar rules of the writer, for its tests. */
bool yaml_plain_ok(const char *s, size_t n);
bool yaml_dq_unambiguous(const char *s, size_t n);
bool yaml_lit_ok(const char *s, size_t n);
void yaml_put_dq(struct sbuf *o, const char *s, size_t n);
#endif
