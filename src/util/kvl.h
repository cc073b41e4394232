/* An ordered list of key/value strings (labels, annotations, selectors): setting a key
 * again replaces its value in place, so the first position of a key is kept. */
#ifndef HS_KVL_H
#define HS_KVL_H
#include <stddef.h>
#include "arena.h"

struct kv { const char *key, *value; };
struct kvl { struct kv *v; size_t n, cap; };
void kvl_add(struct arena *a, struct kvl *l, const char *key, const char *value);
/* The value of key, or NULL. */
const char *kvl_get(const struct kvl *l, const char *key);
#endif
