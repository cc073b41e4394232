/* SHA-256 for the pod-template config checksum and base64 (RFC 4648) for Secret and binary
 * ConfigMap data and kubeconfig *-data fields, from OpenSSL's libcrypto (EVP), which libcurl
 * loads anyway. Out of memory exits 4. */
#ifndef HS_DIGEST_H
#define HS_DIGEST_H
#include <stddef.h>
#include <stdint.h>
#include "arena.h"

struct sha256 {
	void *ctx; /* EVP_MD_CTX, freed by sha256_final/sha256_hex */
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t n);
void sha256_final(struct sha256 *c, uint8_t out[32]);
/* Lower-case hex of the digest (65 bytes with the NUL). */
void sha256_hex(struct sha256 *c, char out[65]);

char *base64_encode(struct arena *a, const void *data, size_t n);
/* Standard base64, whitespace and line breaks ignored; NULL on bad input. Caller frees. */
char *base64_decode(const char *in, size_t *outlen);
#endif
