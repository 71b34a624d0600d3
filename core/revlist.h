/* The contest's signed list of revoked certificates: its canonical text,
 * which the contest key signs, so that a copy served by any web server (or
 * kept on a laptop) can be checked offline with the contest's public key
 * (docs/CERTIFICATES.md, "The revocation list"). Pure functions. */
#ifndef CONTEST_REVLIST_H
#define CONTEST_REVLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "cert.h"
#include "status.h"

#define REVLIST_FORMAT "contest-revocations-1"
#define REVLIST_REASON_MAX 500 /* bytes of a revocation's reason */

/* One revoked certificate. */
struct revlist_entry {
	const char *id;      /* the certificate id as cert_id_format writes it */
	const char *at;      /* when it was revoked, ISO 8601 UTC */
	const char *reason;  /* 1..REVLIST_REASON_MAX bytes of UTF-8 without control characters */
};

/* Appends the canonical text of a revocation list to out:
 *
 *   contest-revocations-1\n
 *   contest CODE\n
 *   key KEYID\n
 *   generated AT\n
 *   revoked N\n
 *   ID AT REASON\n        (one line per entry, by id)
 *
 * entries[0..n) must be sorted by id without repeats. CT_INVALID (out
 * unchanged) naming the entry when a field would break the text: an id that
 * is not a well-formed certificate id, a time that is not ISO 8601 UTC, a
 * reason that is empty, too long, not UTF-8 or holds a control character,
 * entries out of order. */
enum ct_status revlist_text(const char *contest, const char *key_id, const char *generated_at,
			    const struct revlist_entry *entries, size_t n, struct buf *out, struct ct_err *err);

/* Whether sig is the contest key pk's Ed25519 signature of text[0..len). */
bool revlist_verify(const char *text, size_t len, const uint8_t sig[CERT_SIG_BYTES], const uint8_t pk[CERT_PK_BYTES]);

/* Whether reason can be a revocation's reason (see struct revlist_entry). */
bool revlist_reason_ok(const char *reason);

#endif
