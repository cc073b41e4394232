/* SHA-256 (FIPS 180-4) for the pod-template config checksum, and base64 (RFC 4648) for
 * Secret and binary ConfigMap data. Written here because they are small and the run
 * needs nothing else from a crypto library. */
#ifndef HS_DIGEST_H
#define HS_DIGEST_H
#include <stddef.h>
#include <stdint.h>
#include "arena.h"

struct sha256 {
	uint32_t h[8];
	uint8_t buf[64];
	size_t nbuf;
	uint64_t total;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t n);
void sha256_final(struct sha256 *c, uint8_t out[32]);
/* Lower-case hex of the digest (65 bytes with the NUL). */
void sha256_hex(struct sha256 *c, char out[65]);

char *base64_encode(struct arena *a, const void *data, size_t n);
#endif
