/* The fuzz targets' oracles (see oracle.h). Deliberately naive: clarity over
 * speed, and no code shared with core/. */
#include "oracle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", file, line, what);
	abort();
}

char *fuzz_text(const uint8_t *data, size_t size)
{
	size_t n = 0;
	while (n < size && data[n] != 0)
		n++;
	char *s = malloc(n + 1);
	if (!s)
		abort();
	memcpy(s, data, n);
	s[n] = '\0';
	return s;
}

bool oracle_mark(const char *s, size_t len, int64_t *c)
{
	size_t i = 0;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	size_t int_end = i;
	if (int_end == 0)
		return false;
	size_t places = 0;
	if (i < len && s[i] == '.') {
		i++;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++, places++;
		if (places < 1 || places > 2)
			return false;
	}
	if (i != len)
		return false;
	/* The integer part without leading zeros has at most 7 digits
	 * (1,000,000); compare as text before computing anything. */
	size_t lead = 0;
	while (lead + 1 < int_end && s[lead] == '0')
		lead++;
	if (int_end - lead > 7)
		return false;
	int64_t v = 0;
	for (size_t k = lead; k < int_end; k++)
		v = v * 10 + (s[k] - '0');
	int64_t frac = 0;
	if (places >= 1)
		frac = (s[int_end + 1] - '0') * 10;
	if (places == 2)
		frac += s[int_end + 2] - '0';
	v = v * 100 + frac;
	if (v > 100000000)
		return false;
	*c = v;
	return true;
}

bool oracle_whole(const char *s, size_t len, int64_t max, int64_t *v)
{
	if (len == 0)
		return false;
	int64_t x = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		if (x > (max - (s[i] - '0')) / 10)
			return false; /* x * 10 + digit > max, computed without overflow */
		x = x * 10 + (s[i] - '0');
	}
	*v = x;
	return true;
}

bool oracle_utf8(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		unsigned char b = u[i];
		uint32_t cp;
		size_t n;
		if (b < 0x80) {
			i++;
			continue;
		} else if ((b & 0xE0) == 0xC0) {
			n = 2, cp = b & 0x1F;
		} else if ((b & 0xF0) == 0xE0) {
			n = 3, cp = b & 0x0F;
		} else if ((b & 0xF8) == 0xF0) {
			n = 4, cp = b & 0x07;
		} else {
			return false;
		}
		if (len - i < n)
			return false;
		for (size_t k = 1; k < n; k++) {
			if ((u[i + k] & 0xC0) != 0x80)
				return false;
			cp = cp << 6 | (u[i + k] & 0x3F);
		}
		static const uint32_t min_of_len[5] = { 0, 0, 0x80, 0x800, 0x10000 };
		if (cp < min_of_len[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += n;
	}
	return true;
}

size_t oracle_count_lf(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += s[i] == '\n';
	return n;
}
