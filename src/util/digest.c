/* SHA-256 through libmd, base64 by table (see digest.h). */
#include "digest.h"
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sha256_init(struct sha256 *c)
{
	SHA256Init(&c->ctx);
}

void sha256_update(struct sha256 *c, const void *data, size_t n)
{
	if (n)
		SHA256Update(&c->ctx, data, n);
}

void sha256_final(struct sha256 *c, uint8_t out[32])
{
	SHA256Final(out, &c->ctx);
}

void sha256_hex(struct sha256 *c, char out[65])
{
	static const char digits[] = "0123456789abcdef";
	uint8_t d[32];
	sha256_final(c, d);
	for (int i = 0; i < 32; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 15];
	}
	out[64] = '\0';
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *base64_encode(struct arena *a, const void *data, size_t n)
{
	const uint8_t *p = data;
	char *out = arena_alloc(a, 4 * ((n + 2) / 3) + 1), *o = out;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		*o++ = b64[v >> 18];
		*o++ = b64[(v >> 12) & 63];
		*o++ = i + 1 < n ? b64[(v >> 6) & 63] : '=';
		*o++ = i + 2 < n ? b64[v & 63] : '=';
	}
	*o = '\0';
	return out;
}

static int b64_value(unsigned char c)
{
	const char *hit = c ? strchr(b64, c) : NULL;
	return hit ? (int)(hit - b64) : -1;
}

char *base64_decode(const char *in, size_t *outlen)
{
	size_t n = strlen(in);
	uint8_t *out = malloc(n / 4 * 3 + 4);
	if (!out) {
		fputs("hyscale: fatal: out of memory\n", stderr);
		exit(4);
	}
	size_t len = 0, got = 0; /* characters of the current group */
	int pad = 0;
	uint32_t v = 0;
	const unsigned char *s = (const unsigned char *)in;
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			continue;
		int d = *s == '=' ? 0 : b64_value(*s);
		/* '=' only ends the last group: in its 3rd and 4th place, nothing after it */
		if (d < 0 || (pad && *s != '=') || (*s == '=' && got < 2))
			goto bad;
		pad += *s == '=';
		v = v << 6 | (uint32_t)d;
		if (++got < 4)
			continue;
		out[len++] = (uint8_t)(v >> 16);
		if (pad < 2)
			out[len++] = (uint8_t)(v >> 8);
		if (pad < 1)
			out[len++] = (uint8_t)v;
		got = 0;
		v = 0;
		if (pad)
			break;
	}
	if (got)
		goto bad;
	/* a padded group must be the last thing but whitespace */
	if (pad)
		for (s++; *s; s++)
			if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
				goto bad;
	out[len] = '\0';
	if (outlen)
		*outlen = len;
	return (char *)out;
bad:
	free(out);
	return NULL;
}
