/* SHA-256 and base64 through OpenSSL's EVP interface (see digest.h). */
#include "digest.h"
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

static void oom(void)
{
	fputs("hyscale: fatal: out of memory (libcrypto)\n", stderr);
	exit(4);
}

void sha256_init(struct sha256 *c)
{
	EVP_MD_CTX *x = EVP_MD_CTX_new();
	if (!x || EVP_DigestInit_ex(x, EVP_sha256(), NULL) != 1)
		oom();
	c->ctx = x;
}

void sha256_update(struct sha256 *c, const void *data, size_t n)
{
	if (n && EVP_DigestUpdate(c->ctx, data, n) != 1)
		oom();
}

void sha256_final(struct sha256 *c, uint8_t out[32])
{
	unsigned int len = 0;
	if (EVP_DigestFinal_ex(c->ctx, out, &len) != 1 || len != 32)
		oom();
	EVP_MD_CTX_free(c->ctx);
	c->ctx = NULL;
}

void sha256_hex(struct sha256 *c, char out[65])
{
	uint8_t d[32];
	sha256_final(c, d);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

char *base64_encode(struct arena *a, const void *data, size_t n)
{
	char *out = arena_alloc(a, 4 * ((n + 2) / 3) + 1);
	/* EVP_EncodeBlock takes an int length; ConfigMaps and Secrets are at most 1 MiB. */
	if (n > (size_t)0x7fffffff)
		oom();
	EVP_EncodeBlock((unsigned char *)out, data, (int)n);
	return out;
}

char *base64_decode(const char *in, size_t *outlen)
{
	size_t n = strlen(in);
	if (n > (size_t)0x7ffffff0)
		return NULL;
	unsigned char *out = malloc(n / 4 * 3 + 4);
	EVP_ENCODE_CTX *x = EVP_ENCODE_CTX_new();
	int l1 = 0, l2 = 0;
	bool ok = out && x;
	if (ok) {
		/* The decoder skips whitespace and line breaks and checks the padding. */
		EVP_DecodeInit(x);
		ok = EVP_DecodeUpdate(x, out, &l1, (const unsigned char *)in, (int)n) >= 0 &&
		     EVP_DecodeFinal(x, out + l1, &l2) == 1;
	}
	EVP_ENCODE_CTX_free(x);
	if (!ok) {
		free(out);
		return NULL;
	}
	out[l1 + l2] = '\0';
	if (outlen)
		*outlen = (size_t)(l1 + l2);
	return (char *)out;
}
