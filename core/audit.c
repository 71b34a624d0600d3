/* Hashing of audit records into a tamper-evident chain. */
#include "audit.h"

#include <sodium.h>
#include <stdint.h>
#include <string.h>

static void absorb(crypto_generichash_state *h, const char *s)
{
	unsigned char len[9];
	uint64_t n = s ? (uint64_t)strlen(s) : 0;
	len[0] = s ? 1 : 0; /* NULL and "" hash differently */
	for (int i = 0; i < 8; i++)
		len[1 + i] = (unsigned char)(n >> (8 * i));
	crypto_generichash_update(h, len, sizeof len);
	if (s)
		crypto_generichash_update(h, (const unsigned char *)s, n);
}

void audit_hash(const unsigned char prev[AUDIT_HASH_BYTES], const struct audit_record *r,
		unsigned char out[AUDIT_HASH_BYTES])
{
	crypto_generichash_state h;
	crypto_generichash_init(&h, NULL, 0, AUDIT_HASH_BYTES);
	crypto_generichash_update(&h, prev, AUDIT_HASH_BYTES);
	absorb(&h, r->at);
	absorb(&h, r->actor);
	absorb(&h, r->action);
	absorb(&h, r->object);
	absorb(&h, r->old_value);
	absorb(&h, r->new_value);
	crypto_generichash_final(&h, out, AUDIT_HASH_BYTES);
}
