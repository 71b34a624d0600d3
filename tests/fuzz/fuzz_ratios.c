/* Fuzz target for award ratios (outside input: the "award_ratios" of an
 * event, from JSON or an events CSV). ratios_parse must accept exactly what
 * the oracle accepts: three '/'-separated marks (each shorter than
 * DEC_TEXT_MAX bytes, the parser's documented buffer) of at most 100 per
 * cent that add up to at most 100, with the same values; and on rejection
 * leave the output alone. Seeds: tests/fuzz/corpus/ratios/. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "oracle.h"
#include "scoring.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool oracle_ratios(const char *text, int32_t want[3])
{
	const char *p = text;
	int64_t sum = 0;
	for (int t = 0; t < 3; t++) {
		const char *slash = strchr(p, '/');
		if ((t < 2) != (slash != NULL))
			return false;
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		int64_t v;
		if (len >= DEC_TEXT_MAX || !oracle_mark(p, len, &v) || v > 10000)
			return false;
		want[t] = (int32_t)v;
		sum += v;
		p += len + 1;
	}
	return sum <= 10000;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	int32_t want[3], got[3] = { -1, -1, -1 };
	struct ct_err err;
	ct_err_clear(&err);
	bool ok = oracle_ratios(text, want);
	enum ct_status rc = ratios_parse(text, got, &err);
	if (ok) {
		fuzz_check(rc == CT_OK);
		fuzz_check(memcmp(got, want, sizeof want) == 0);
	} else {
		fuzz_check(rc == CT_INVALID);
		fuzz_check(err.msg[0] != '\0');
		fuzz_check(got[0] == -1 && got[1] == -1 && got[2] == -1);
	}
	free(text);
	return 0;
}
