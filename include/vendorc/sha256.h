#ifndef VENDORC_SHA256_H
#define VENDORC_SHA256_H

/* SHA-256 (FIPS 180-4), for the report's evidence: a hash of the output
 * tree an auditor can recompute with sha256sum. */

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t state[8];
	uint64_t length;          /* bytes hashed so far */
	unsigned char block[64];
	size_t used;              /* bytes of block filled */
};

void sha256_init(struct sha256 *ctx);
void sha256_update(struct sha256 *ctx, const void *data, size_t len);
/* The digest as 64 lower-case hex digits and a NUL. */
void sha256_hex(struct sha256 *ctx, char out[65]);

#endif
