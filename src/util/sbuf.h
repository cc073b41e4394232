/* Growable string buffer on malloc (in the spirit of git's strbuf), for text whose
 * lifetime is not one run: file contents, paths, rendered output. */
#ifndef HS_SBUF_H
#define HS_SBUF_H
#include <stddef.h>
#include <stdarg.h>
#include "arena.h"

struct sbuf {
	char *buf;
	size_t len, cap;
};
#define SBUF_INIT { NULL, 0, 0 }

void sb_grow(struct sbuf *sb, size_t extra);
void sb_add(struct sbuf *sb, const void *data, size_t n);
void sb_adds(struct sbuf *sb, const char *s);
void sb_addc(struct sbuf *sb, char c);
void sb_addf(struct sbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends a NUL-terminated malloc'd buffer of len bytes and takes it over: an empty
 * sbuf adopts it as it is (no copy, no spare capacity), any other frees it after copying. */
void sb_attach(struct sbuf *sb, char *buf, size_t len);
/* Appends sep (unless the buffer is still empty) and item: joining a list in linear
 * time, where s = printf("%s,%s", s, item) in a loop copies the whole string each pass. */
void sb_join(struct sbuf *sb, const char *sep, const char *item);
/* The text copied into the arena (NULL when nothing was added); the buffer is released. */
const char *sb_to_arena(struct sbuf *sb, struct arena *a);
void sb_reset(struct sbuf *sb);
void sb_release(struct sbuf *sb);
/* The buffer is always NUL terminated once anything was added; "" otherwise. */
const char *sb_str(const struct sbuf *sb);
#endif
