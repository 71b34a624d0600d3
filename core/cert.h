/* Certificates (SPEC section 6): ids with a check character, the signed
 * fields and their canonical encoding, Ed25519 signatures by the contest key
 * with key ids so keys can rotate, and the QR payload URL that carries the
 * signed fields and the signature for offline verification. Byte-by-byte
 * formats: docs/CERTIFICATES.md. Pure functions: no files, no sockets.
 * libsodium must be initialised (sodium_init) by the program. */
#ifndef CONTEST_CERT_H
#define CONTEST_CERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

#define CERT_ID_BYTES      10  /* 80 random bits */
#define CERT_ID_TEXT_MAX   22  /* "XXXX-XXXX-XXXX-XXXX-C" and its NUL */
#define CERT_CODE_MAX      32  /* contest and event codes: [A-Za-z0-9._-]{1,32} */
#define CERT_TEXT_MAX      200 /* holder and organization: bytes of UTF-8 */
#define CERT_RANK_MAX      1000000
#define CERT_KEY_ID_BYTES  4
#define CERT_KEY_ID_TEXT   (2 * CERT_KEY_ID_BYTES + 1)
#define CERT_PK_BYTES      32  /* Ed25519 public key */
#define CERT_SK_BYTES      64  /* Ed25519 secret key, libsodium layout (seed, public key) */
#define CERT_SIG_BYTES     64
#define CERT_DIGEST_BYTES  16
#define CERT_CANONICAL_MAX 117 /* longest canonical encoding */
#define CERT_BASE_URL_MAX  60  /* the contest's public base URL, without a trailing '/' */
#define CERT_QR_VERSION    10  /* every certificate's QR code is this version or smaller */
#define CERT_PAYLOAD_MAX   1024 /* characters of a payload accepted by the decoder */

/* ---- Certificate ids ---------------------------------------------------- */

/* Fills id with CERT_ID_BYTES bytes from libsodium's CSPRNG. Call it at issue
 * time, after the names are fixed: the id also salts the name digests. */
void cert_id_new(uint8_t id[CERT_ID_BYTES]);

/* Writes id as 16 Crockford base32 symbols in groups of four and a check
 * symbol, "7G3K-QX2M-9TAB-4HNC-P", NUL-terminated, into out. */
void cert_id_format(const uint8_t id[CERT_ID_BYTES], char out[CERT_ID_TEXT_MAX]);

enum cert_id_check {
	CERT_ID_VALID,     /* id[] holds the id */
	CERT_ID_MALFORMED, /* a character that no certificate id has */
	CERT_ID_MISTYPED,  /* id characters, but too few, too many, or the check fails */
};

/* Parses a certificate id as a person would type it: upper or lower case,
 * O read as 0, I and L as 1, hyphens and spaces anywhere ignored. Every
 * single-symbol substitution and every transposition of two different
 * symbols gives CERT_ID_MISTYPED (the check symbol is a parity symbol over
 * GF(32)), so a typo is caught before any lookup. id is written only when
 * CERT_ID_VALID is returned. */
enum cert_id_check cert_id_parse(const char *text, uint8_t id[CERT_ID_BYTES]);

/* ---- Dates ---------------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date; no range check. */
int32_t cert_day_from_civil(int32_t year, unsigned month, unsigned day);

/* Parses "YYYY-MM-DD", alone or as the start of an ISO 8601 time
 * ("2026-05-20T09:00:00Z"), years 1970..9999, into days since 1970-01-01.
 * Returns false for anything else (including 2026-02-30). */
bool cert_day_parse(const char *text, int32_t *day);

/* Writes day as "YYYY-MM-DD" into out. */
void cert_day_format(int32_t day, char out[11]);

/* ---- The signed fields ------------------------------------------------- */

struct cert {
	uint8_t id[CERT_ID_BYTES];
	char contest[CERT_CODE_MAX + 1];      /* contest code */
	char event[CERT_CODE_MAX + 1];        /* event code */
	char holder[CERT_TEXT_MAX + 1];       /* the person's name, UTF-8, 1..200 bytes */
	char organization[CERT_TEXT_MAX + 1]; /* UTF-8, 0..200 bytes */
	unsigned award;                       /* 1 一等奖, 2 二等奖, 3 三等奖 */
	uint32_t rank;                        /* 1..CERT_RANK_MAX */
	int64_t total_c;                      /* total in hundredths, 0..DEC_MAX_C */
	int32_t issue_day;                    /* days since 1970-01-01, up to 9999-12-31 */
};

/* Checks and copies the fields into c: codes of 1..32 characters from
 * [A-Za-z0-9._-], holder 1..200 and organization 0..200 bytes of valid UTF-8
 * without control characters (organization may be NULL for none), award
 * 1..3, rank 1..CERT_RANK_MAX, total 0..DEC_MAX_C, day 1970-01-01 to
 * 9999-12-31. CT_INVALID with a message naming the field otherwise, and c
 * is then unspecified. */
enum ct_status cert_set(struct cert *c, const uint8_t id[CERT_ID_BYTES], const char *contest, const char *event,
			const char *holder, const char *organization, unsigned award, uint32_t rank, int64_t total_c,
			int32_t issue_day, struct ct_err *err);

/* Checks that s has min_len to max_len bytes of valid UTF-8 without control
 * characters (C0, DEL, C1), as cert_set checks the names: CT_INVALID with a
 * message naming field (and the byte) otherwise. */
enum ct_status cert_text_check(const char *field, const char *s, size_t min_len, size_t max_len, struct ct_err *err);

/* The award in Chinese: "一等奖", "二等奖", "三等奖"; "" for anything else. */
const char *cert_award_name(unsigned award);

/* Writes the canonical encoding (version 1) of c, signed with the key whose
 * id is key_id, into out and returns its length (at most
 * CERT_CANONICAL_MAX). The holder and organization enter it through a
 * digest salted with the certificate id (docs/CERTIFICATES.md). c must have
 * been filled by cert_set. */
size_t cert_canonical(const struct cert *c, const uint8_t key_id[CERT_KEY_ID_BYTES],
		      uint8_t out[CERT_CANONICAL_MAX]);

/* ---- Keys, signing, verification --------------------------------------- */

/* Writes the key id of a public key: the first 4 bytes of its BLAKE2b-256. */
void cert_key_id(const uint8_t pk[CERT_PK_BYTES], uint8_t key_id[CERT_KEY_ID_BYTES]);

/* Writes a key id as 8 lower-case hex digits and a NUL. */
void cert_key_id_format(const uint8_t key_id[CERT_KEY_ID_BYTES], char out[CERT_KEY_ID_TEXT]);

/* A verification key: a contest's public key (the current one or a retired
 * one). The contest code is the key's: QR payloads do not repeat it. */
struct cert_key {
	uint8_t pk[CERT_PK_BYTES];
	uint8_t id[CERT_KEY_ID_BYTES];   /* cert_key_id(pk), set by cert_key_set */
	char contest[CERT_CODE_MAX + 1];
};

/* Fills k from a public key and the code of the contest it signs for.
 * CT_INVALID if the code is not a valid code. */
enum ct_status cert_key_set(struct cert_key *k, const uint8_t pk[CERT_PK_BYTES], const char *contest,
			    struct ct_err *err);

/* Signs c's canonical encoding with the secret key sk (its public half gives
 * the key id written to key_id). CT_INVALID if c's fields are not valid (see
 * cert_set). */
enum ct_status cert_sign(const struct cert *c, const uint8_t sk[CERT_SK_BYTES], uint8_t key_id[CERT_KEY_ID_BYTES],
			 uint8_t sig[CERT_SIG_BYTES], struct ct_err *err);

enum cert_verdict {
	CERT_GENUINE,     /* a known key's signature over exactly these fields */
	CERT_FORGED,      /* the key is known but the signature does not verify: forged or altered */
	CERT_UNKNOWN_KEY, /* no key in the list has this key id */
};

/* Verifies sig over c with the keys[0..n) whose id is key_id. */
enum cert_verdict cert_verify(const struct cert *c, const uint8_t key_id[CERT_KEY_ID_BYTES],
			      const uint8_t sig[CERT_SIG_BYTES], const struct cert_key *keys, size_t n);

/* Stable lower-case name of a verdict: "genuine", "forged", "unknown_key". */
const char *cert_verdict_name(enum cert_verdict v);

/* ---- QR payload URLs ----------------------------------------------------- */

/* How a text field travels in a payload. */
enum cert_text_form {
	CERT_FORM_UTF8,    /* the text, UTF-8 */
	CERT_FORM_GB18030, /* the text as GB18030 (2 bytes a Chinese character instead of 3) */
	CERT_FORM_DIGEST,  /* too long to carry: only its digest */
	CERT_FORM_NAMES,   /* neither name carried: only the digest of both */
};

/* The signed fields as a payload carries them, decoded but not verified. */
struct cert_claim {
	struct cert cert;  /* contest is "" until cert_claim_verify takes it from the key; holder or
			    * organization "" when not carried (see the forms) */
	uint8_t key_id[CERT_KEY_ID_BYTES];
	uint8_t sig[CERT_SIG_BYTES];
	enum cert_text_form holder_form;
	enum cert_text_form organization_form;
	uint8_t holder_digest[CERT_DIGEST_BYTES];       /* holder_form == CERT_FORM_DIGEST */
	uint8_t organization_digest[CERT_DIGEST_BYTES]; /* organization_form == CERT_FORM_DIGEST */
	uint8_t names_digest[CERT_DIGEST_BYTES];        /* both forms CERT_FORM_NAMES */
};

/* Builds the verification URL of a signed certificate: the base URL with its
 * scheme and host in upper case (they are case-insensitive; upper case is
 * what QR alphanumeric mode holds), its path as given, then "/V/" and the
 * payload in BASE45_URL. The payload carries every signed field but the
 * contest code (the verifying key names the contest) and the signature; a
 * name too long for a version-10 QR code travels as a digest, the
 * organization first, then the holder, then both as one digest, so that the
 * QR code of every certificate is version CERT_QR_VERSION or smaller.
 * base_url: http:// or https://, at most CERT_BASE_URL_MAX characters
 * without a trailing '/', no query or fragment. On success *url is a new
 * string (caller frees) and forms, if not NULL, gets how the holder and the
 * organization travel. CT_INVALID for a bad base URL or invalid fields. */
enum ct_status cert_url(const struct cert *c, const uint8_t key_id[CERT_KEY_ID_BYTES],
			const uint8_t sig[CERT_SIG_BYTES], const char *base_url, char **url,
			enum cert_text_form forms[2], struct ct_err *err);

/* Decodes a payload from outside: a whole verification URL (the payload is
 * what follows the last "/V/" or "/v/", up to '?' or '#') or the bare
 * payload, with surrounding white space ignored. Bounds-checked and strict:
 * CT_INVALID (message in err) for anything that is not a well-formed
 * version-1 payload with valid field values, CT_TOO_LARGE for over
 * CERT_PAYLOAD_MAX characters. Does not verify the signature. */
enum ct_status cert_claim_decode(const char *text, size_t len, struct cert_claim *out, struct ct_err *err);

/* Verifies a decoded claim with keys[0..n): the contest code comes from each
 * candidate key, names not carried enter through their digests. On
 * CERT_GENUINE, claim->cert.contest is set to the verifying key's contest. */
enum cert_verdict cert_claim_verify(struct cert_claim *claim, const struct cert_key *keys, size_t n);

/* Whether the claim's fields are the fields of c (same id, codes, award,
 * rank, total, day; each carried name equal, each digest equal to the
 * digest of c's name); the contest is compared only once the claim has one.
 * For a server that has the certificate on record. */
bool cert_claim_matches(const struct cert_claim *claim, const struct cert *c);

#endif
