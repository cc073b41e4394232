/* Bump allocator: every string and struct of one run lives here and is freed at once,
 * so the pipeline never has to track ownership of the many small values it copies. */
#ifndef HS_ARENA_H
#define HS_ARENA_H
#include <stddef.h>
#include <stdarg.h>

struct arena_chunk;
struct arena {
	struct arena_chunk *head;
};

void arena_init(struct arena *a);
void arena_free(struct arena *a);
void *arena_alloc(struct arena *a, size_t size);          /* zeroed */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);
/* Grows an arena array of `elem` sized items by one, copying the old contents. */
void *arena_grow(struct arena *a, void *arr, size_t n, size_t *cap, size_t elem);

#define ARENA_PUSH(a, arr, n, cap) \
	((arr) = arena_grow((a), (arr), (n), &(cap), sizeof(*(arr))), &(arr)[(n)++])
#endif
