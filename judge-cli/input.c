/* Folding full-width input to ASCII. The full-width block U+FF01..U+FF5E
 * mirrors ASCII 0x21..0x7E at a fixed distance (its UTF-8 is EF BC 81..EF
 * BD 9E), so a folded character is always shorter than the original. */
#include "input.h"

#include <string.h>

#include "xmalloc.h"

char *input_fold(const char *s, bool mark)
{
	size_t n = strlen(s);
	char *out = xmalloc(n + 1);
	size_t o = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		if (p[0] == 0xEF && (p[1] == 0xBC || p[1] == 0xBD) && p[2] >= 0x80 && p[2] <= 0xBF) {
			unsigned cp = 0xFF00u + ((unsigned)(p[1] & 0x03) << 6) + (p[2] & 0x3Fu);
			if (cp >= 0xFF01 && cp <= 0xFF5E) {
				out[o++] = (char)(cp - 0xFF01 + 0x21);
				p += 3;
				continue;
			}
		}
		if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) { /* U+3000 */
			out[o++] = ' ';
			p += 3;
			continue;
		}
		if (mark && p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x82) { /* U+3002 。 */
			out[o++] = '.';
			p += 3;
			continue;
		}
		out[o++] = (char)*p++;
	}
	out[o] = '\0';
	size_t start = 0;
	while (out[start] == ' ')
		start++;
	while (o > start && out[o - 1] == ' ')
		o--;
	memmove(out, out + start, o - start);
	out[o - start] = '\0';
	return out;
}

char *input_code(const char *s)
{
	char *out = input_fold(s, false);
	for (char *p = out; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	return out;
}
