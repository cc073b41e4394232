/* What an API server refuses however valid each field is: an object too large to store,
 * annotations over their total. Checked on every generated object, so providers and
 * snippets need not each know them. */
#ifndef HS_LIMITS_H
#define HS_LIMITS_H
#include <stddef.h>
#include "manifest.h"

/* etcd's default --max-request-bytes (1.5 MiB) bounds every stored object, and the API
 * server reads at most 3 MiB of a request. The YAML text is measured: it is what
 * `kubectl apply` and hyscale deploy send, and our block style is no smaller than the
 * JSON or protobuf that is stored (indentation against quotes and braces). */
#define HS_MAX_OBJECT_BYTES (1536u * 1024)
/* apimachinery's TotalAnnotationSizeLimitB: keys and values of one object's (or one pod
 * template's) annotations, in bytes. */
#define HS_MAX_ANNOTATION_BYTES (256u * 1024)

/* Bytes of the largest annotation set in m: its own, or its pod template's. */
size_t manifest_annotation_bytes(struct manifest *m);
/* Errors at m->at (or fallback) when m, rendered to text_len bytes, is over a limit. */
void manifest_check_limits(struct manifest *m, size_t text_len, struct loc fallback, struct diags *d);
#endif
