/* Base45 encoding and decoding (RFC 9285) over two alphabets. */
#include "base45.h"

static const char rfc_alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
static const char url_alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ$*-.:";

static const char *alphabet(enum base45_alphabet a, unsigned *radix)
{
	*radix = a == BASE45_URL ? (unsigned)(sizeof url_alphabet - 1) : (unsigned)(sizeof rfc_alphabet - 1);
	return a == BASE45_URL ? url_alphabet : rfc_alphabet;
}

size_t base45_encoded_len(size_t n)
{
	return n / 2 * 3 + n % 2 * 2;
}

void base45_encode(enum base45_alphabet a, const uint8_t *in, size_t n, char *out)
{
	unsigned r;
	const char *alpha = alphabet(a, &r);
	size_t i = 0;
	for (; i + 1 < n; i += 2) {
		unsigned v = (unsigned)in[i] << 8 | in[i + 1];
		*out++ = alpha[v % r];
		*out++ = alpha[v / r % r];
		*out++ = alpha[v / (r * r)];
	}
	if (i < n) {
		*out++ = alpha[in[i] % r];
		*out++ = alpha[in[i] / r];
	}
	*out = '\0';
}

/* The value of character c in the alphabet, or -1. */
static int digit(enum base45_alphabet a, char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (a == BASE45_URL && c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	unsigned r;
	const char *alpha = alphabet(a, &r);
	for (unsigned i = 36; i < r; i++)
		if (alpha[i] == c)
			return (int)i;
	return -1;
}

enum ct_status base45_decode(enum base45_alphabet a, const char *text, size_t len, uint8_t *out,
			     size_t cap, size_t *out_n, struct ct_err *err)
{
	unsigned r;
	alphabet(a, &r);
	*out_n = 0;
	if (len % 3 == 1)
		return ct_fail(err, CT_INVALID, "base45 text of %zu characters has one character too many", len);
	size_t need = len / 3 * 2 + (len % 3 == 2);
	if (need > cap)
		return ct_fail(err, CT_TOO_LARGE, "base45 text decodes to %zu bytes, more than %zu", need, cap);
	size_t o = 0;
	for (size_t i = 0; i < len; i += 3) {
		size_t k = len - i >= 3 ? 3 : 2;
		unsigned v = 0, scale = 1;
		for (size_t j = 0; j < k; j++) {
			int d = digit(a, text[i + j]);
			if (d < 0)
				return ct_fail(err, CT_INVALID, "character %zu (0x%02x) is not base45", i + j + 1,
					       (unsigned char)text[i + j]);
			v += (unsigned)d * scale;
			scale *= r;
		}
		if (k == 3) {
			if (v > 0xFFFF)
				return ct_fail(err, CT_INVALID, "base45 group at character %zu is out of range", i + 1);
			out[o++] = (uint8_t)(v >> 8);
			out[o++] = (uint8_t)v;
		} else {
			if (v > 0xFF)
				return ct_fail(err, CT_INVALID, "base45 group at character %zu is out of range", i + 1);
			out[o++] = (uint8_t)v;
		}
	}
	*out_n = o;
	return CT_OK;
}
