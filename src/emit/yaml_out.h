/* Turning manifest trees into YAML text with libfyaml, and proving each text reads back
 * as the tree it came from (same structure, same bytes, same plain/quoted typing). */
#ifndef HS_YAML_OUT_H
#define HS_YAML_OUT_H
#include <stdbool.h>
#include "../build/manifest.h"
#include "../util/sbuf.h"

/* Appends the document (no "---") to out. False, with *why set, when libfyaml could not
 * write a value exactly; nothing is appended then. */
bool yaml_render(struct manifest *m, struct sbuf *out, const char **why);
#endif
