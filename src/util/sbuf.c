/* Growable string buffer (see sbuf.h). */
#include "sbuf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sb_grow(struct sbuf *sb, size_t extra)
{
	if (sb->len + extra + 1 <= sb->cap)
		return;
	size_t ncap = sb->cap ? sb->cap : 64;
	while (ncap < sb->len + extra + 1)
		ncap *= 2;
	char *p = realloc(sb->buf, ncap);
	if (!p) {
		fputs("hyscale: fatal: out of memory\n", stderr);
		exit(4);
	}
	sb->buf = p;
	sb->cap = ncap;
}

void sb_add(struct sbuf *sb, const void *data, size_t n)
{
	sb_grow(sb, n);
	memcpy(sb->buf + sb->len, data, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void sb_attach(struct sbuf *sb, char *buf, size_t len)
{
	if (sb->buf) {
		sb_add(sb, buf, len);
		free(buf);
		return;
	}
	sb->buf = buf;
	sb->len = len;
	sb->cap = len + 1;
}

void sb_adds(struct sbuf *sb, const char *s) { sb_add(sb, s, strlen(s)); }
void sb_addc(struct sbuf *sb, char c) { sb_add(sb, &c, 1); }

void sb_addf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap, cp;
	va_start(ap, fmt);
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n > 0) {
		sb_grow(sb, (size_t)n);
		vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
		sb->len += (size_t)n;
	}
	va_end(ap);
}

void sb_join(struct sbuf *sb, const char *sep, const char *item)
{
	if (sb->len)
		sb_adds(sb, sep);
	sb_adds(sb, item);
}

const char *sb_to_arena(struct sbuf *sb, struct arena *a)
{
	const char *s = sb->buf ? arena_strndup(a, sb->buf, sb->len) : NULL;
	sb_release(sb);
	return s;
}

void sb_reset(struct sbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

void sb_release(struct sbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

const char *sb_str(const struct sbuf *sb) { return sb->buf ? sb->buf : ""; }
