/* Base45 (RFC 9285): every two bytes become three characters of an alphabet
 * that QR alphanumeric mode stores in 5.5 bits each, so binary data costs
 * 8.25 bits a byte in a QR symbol instead of 8 bits plus the byte mode's
 * larger overhead and, above all, instead of the 10.7 bits of base64 in byte
 * mode.
 *
 * Two alphabets share the algorithm:
 * - BASE45_RFC9285: the RFC's 45 characters "0-9A-Z $%*+-./:".
 * - BASE45_URL: the 41 of them that are safe, unescaped, inside one URL path
 *   segment: without space, '%' (percent escapes), '+' (space in form
 *   decoding) and '/' (a segment separator, which also lets browsers collapse
 *   "/./" and "/../"). The radix is then 41; since 41^3 = 68921 >= 65536 two
 *   bytes still fit in three characters, so the density is the same. This is
 *   what certificate QR URLs carry (see docs/CERTIFICATES.md). */
#ifndef CONTEST_BASE45_H
#define CONTEST_BASE45_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

enum base45_alphabet {
	BASE45_RFC9285, /* radix 45, RFC 9285 section 4 */
	BASE45_URL,     /* radix 41, "0-9A-Z$*-.:" in that order */
};

/* Characters that n bytes encode to: 3 per pair, 2 for a last odd byte. */
size_t base45_encoded_len(size_t n);

/* Encodes in[0..n) into out, which must hold base45_encoded_len(n) + 1
 * bytes; out is NUL-terminated. */
void base45_encode(enum base45_alphabet a, const uint8_t *in, size_t n, char *out);

/* Decodes len characters of text into out (room for cap bytes); *out_n gets
 * the number of bytes. BASE45_URL also accepts lower-case letters. Fails with
 * CT_INVALID (message in err) on a character outside the alphabet, a length
 * that leaves one character over (len % 3 == 1), or a group whose value does
 * not fit (over 65535 for three characters, over 255 for a final two);
 * CT_TOO_LARGE when the bytes would not fit in cap. Nothing meaningful is
 * left in out on failure. */
enum ct_status base45_decode(enum base45_alphabet a, const char *text, size_t len, uint8_t *out,
			     size_t cap, size_t *out_n, struct ct_err *err);

#endif
