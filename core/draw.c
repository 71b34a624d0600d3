/* Unpredictable permutations and codes for the draw. */
#include "draw.h"

#include <sodium.h>

static const char code_alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

void draw_permutation(uint32_t *perm, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		perm[i] = i + 1;
	for (uint32_t i = n; i > 1; i--) {
		uint32_t j = randombytes_uniform(i);
		uint32_t t = perm[i - 1];
		perm[i - 1] = perm[j];
		perm[j] = t;
	}
}

void draw_code(char buf[DRAW_CODE_LEN + 1])
{
	uint32_t k = (uint32_t)(sizeof code_alphabet - 1);
	for (int i = 0; i < DRAW_CODE_LEN; i++)
		buf[i] = code_alphabet[randombytes_uniform(k)];
	buf[DRAW_CODE_LEN] = '\0';
}

void draw_hex(char *buf, unsigned n)
{
	unsigned char raw[64];
	if (n > sizeof raw)
		n = sizeof raw;
	randombytes_buf(raw, n);
	sodium_bin2hex(buf, 2 * (size_t)n + 1, raw, n);
}
