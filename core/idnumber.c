/* Masking of national id numbers. */
#include "idnumber.h"

#include <assert.h>
#include <string.h>

char *id_number_mask(const char *id, char *out, size_t size)
{
	assert(size > 0);
	size_t n = strlen(id);
	size_t keep = n >= 12 ? 4 : (n >= 6 ? 2 : 0);
	size_t i = 0;
	for (; i < n && i + 1 < size; i++)
		out[i] = (i < keep || i + keep >= n) ? id[i] : '*';
	out[i] = '\0';
	return out;
}
