/* Exact decimal marks. A mark is kept as an integer number of hundredths of a
 * point ("_c" in names); text is parsed strictly and formatted with exactly
 * two places. Quotients are rounded half up (away from zero) only where the
 * scoring rules say so, from exact integer numerators and denominators. */
#ifndef CONTEST_DECIMAL_H
#define CONTEST_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

/* The largest mark the system accepts anywhere: 1,000,000.00 points. */
#define DEC_MAX_C INT64_C(100000000)

/* Longest text dec_format can produce, with its NUL. */
#define DEC_TEXT_MAX 32

/* Parses a non-negative decimal with at most two places ("7", "7.5", "0.25",
 * "012.50") into hundredths. Rejects empty text, signs, spaces, exponents,
 * "inf"/"nan", a bare or trailing point, more than two places and values
 * above DEC_MAX_C, with a message in err naming the problem. */
enum ct_status dec_parse(const char *s, int64_t *out_c, struct ct_err *err);

/* Writes c hundredths as text with exactly two places ("7.50", "-1.25") into
 * buf (at least DEC_TEXT_MAX bytes). Returns buf. */
char *dec_format(int64_t c, char *buf);

/* num / den rounded half up (away from zero) to an integer, into *out. Exact
 * for every 128-bit numerator and every non-zero 128-bit denominator. Fails
 * with CT_INVALID, leaving *out alone, when den is 0 or the rounded quotient
 * is outside int64_t (INT64_MIN..INT64_MAX): a quotient is never wrapped.
 * err may be NULL. */
enum ct_status dec_div_round(__int128 num, __int128 den, int64_t *out, struct ct_err *err);

#endif
