/* SHA-256 for the pod-template config checksum, from libmd (the BSD digest functions; a few
 * KiB, where libcrypto cost 2.7 M instructions of dynamic loading and start-up in every run),
 * and base64 (RFC 4648) for Secret and binary ConfigMap data, registry auth and kubeconfig
 * *-data fields. Out of memory exits 4. */
#ifndef HS_DIGEST_H
#define HS_DIGEST_H
#include <stddef.h>
#include <stdint.h>
#include <sha2.h>
#include "arena.h"

struct sha256 {
	SHA2_CTX ctx;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t n);
void sha256_final(struct sha256 *c, uint8_t out[32]);
/* Lower-case hex of the digest (65 bytes with the NUL). */
void sha256_hex(struct sha256 *c, char out[65]);

char *base64_encode(struct arena *a, const void *data, size_t n);
/* Standard base64 with its padding; whitespace and line breaks are skipped (PEM and
 * kubeconfig files wrap it). NULL on any other character, a missing or misplaced '=', or
 * a length that is not a whole number of 4-character groups. Caller frees. */
char *base64_decode(const char *in, size_t *outlen);
#endif
