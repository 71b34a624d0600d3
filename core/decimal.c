/* Strict parsing, formatting and half-up division for exact decimal marks. */
#include "decimal.h"

#include <stdio.h>
#include <string.h>

enum ct_status dec_parse(const char *s, int64_t *out_c, struct ct_err *err)
{
	if (!s || !*s)
		return ct_fail(err, CT_INVALID, "empty mark");
	const char *p = s;
	int64_t whole = 0;
	int digits = 0;
	while (*p >= '0' && *p <= '9') {
		whole = whole * 10 + (*p - '0');
		if (whole > DEC_MAX_C / 100)
			return ct_fail(err, CT_INVALID, "mark \"%s\" is too large", s);
		p++;
		digits++;
	}
	if (digits == 0)
		return ct_fail(err, CT_INVALID, "mark \"%s\" is not a decimal number like 7 or 7.5", s);
	int64_t frac = 0;
	if (*p == '.') {
		p++;
		int places = 0;
		while (*p >= '0' && *p <= '9') {
			if (++places > 2)
				return ct_fail(err, CT_INVALID, "mark \"%s\" has more than 2 decimal places", s);
			frac = frac * 10 + (*p - '0');
			p++;
		}
		if (places == 0)
			return ct_fail(err, CT_INVALID, "mark \"%s\" ends with a decimal point", s);
		if (places == 1)
			frac *= 10;
	}
	if (*p != '\0')
		return ct_fail(err, CT_INVALID, "mark \"%s\" is not a decimal number like 7 or 7.5", s);
	int64_t c = whole * 100 + frac;
	if (c > DEC_MAX_C)
		return ct_fail(err, CT_INVALID, "mark \"%s\" is too large", s);
	*out_c = c;
	return CT_OK;
}

char *dec_format(int64_t c, char *buf)
{
	/* digits by hand: results and sheets format a mark per cell */
	uint64_t u = c < 0 ? (uint64_t)0 - (uint64_t)c : (uint64_t)c;
	char digits[24];
	int n = 0;
	uint64_t whole = u / 100;
	do
		digits[n++] = (char)('0' + whole % 10);
	while ((whole /= 10) > 0);
	char *o = buf;
	if (c < 0)
		*o++ = '-';
	while (n > 0)
		*o++ = digits[--n];
	*o++ = '.';
	*o++ = (char)('0' + u % 100 / 10);
	*o++ = (char)('0' + u % 10);
	*o = '\0';
	return buf;
}

enum ct_status dec_div_round(__int128 num, __int128 den, int64_t *out, struct ct_err *err)
{
	if (den == 0)
		return ct_fail(err, CT_INVALID, "division by zero");
	/* Magnitudes in unsigned arithmetic: negating INT128_MIN as a signed
	 * value would overflow, and r * 2 could wrap when d > 2^127. */
	int neg = (num < 0) != (den < 0);
	unsigned __int128 n = num < 0 ? (unsigned __int128)0 - (unsigned __int128)num
				       : (unsigned __int128)num;
	unsigned __int128 d = den < 0 ? (unsigned __int128)0 - (unsigned __int128)den
				       : (unsigned __int128)den;
	unsigned __int128 q = n / d;
	unsigned __int128 r = n % d;
	if (r >= d - r)
		q++;
	/* |INT64_MIN| = 2^63 is one more than INT64_MAX. */
	if (q > (unsigned __int128)INT64_MAX + (unsigned)neg)
		return ct_fail(err, CT_INVALID, "quotient is outside the 64-bit range");
	/* Through uint64_t, so a quotient of -2^63 is not an overflow. */
	uint64_t u = (uint64_t)q;
	*out = neg ? (int64_t)((uint64_t)0 - u) : (int64_t)u;
	return CT_OK;
}
