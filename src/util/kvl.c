/* Key/value lists (see kvl.h). */
#include "kvl.h"
#include <string.h>

void kvl_add(struct arena *a, struct kvl *l, const char *key, const char *value)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].key, key)) {
			l->v[i].value = value;
			return;
		}
	struct kv *e = ARENA_PUSH(a, l->v, l->n, l->cap);
	e->key = key;
	e->value = value;
}

const char *kvl_get(const struct kvl *l, const char *key)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].key, key))
			return l->v[i].value;
	return NULL;
}
