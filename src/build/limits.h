/* What an API server refuses however valid each field is: an object too large to store,
 * annotations over their total. Checked on every generated object, so providers and
 * snippets need not each know them. */
#ifndef HS_LIMITS_H
#define HS_LIMITS_H
#include <stddef.h>
#include "manifest.h"
#include "../spec/yaml.h"   /* HS_MAX_OBJECT_BYTES, HS_MAX_ANNOTATION_BYTES */

/* Bytes of the largest annotation set in m: its own, or its pod template's. */
size_t manifest_annotation_bytes(struct manifest *m);
/* Errors at m->at (or fallback) when m, rendered to text_len bytes, is over a limit. */
void manifest_check_limits(struct manifest *m, size_t text_len, struct loc fallback, struct diags *d);
#endif
