/* Fuzz target for decimal marks (outside input: every mark a judge types,
 * every mark cell of an import, every "max" of a score sheet). The input as
 * text goes to dec_parse, which must accept exactly what the oracle accepts,
 * with the same value, and whose value dec_format must write in canonical
 * form and dec_parse read back. The first 16 bytes are also two integers for
 * dec_format (any int64) and dec_div_round (half up, away from zero, checked
 * against 128-bit arithmetic). Seeds: tests/fuzz/corpus/decimal/. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "oracle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_parse(const char *text)
{
	int64_t want = 0, got = -7;
	struct ct_err err;
	ct_err_clear(&err);
	bool ok = oracle_mark(text, strlen(text), &want);
	enum ct_status rc = dec_parse(text, &got, &err);
	if (!ok) {
		fuzz_check(rc == CT_INVALID);
		fuzz_check(got == -7); /* nothing written on failure */
		fuzz_check(err.msg[0] != '\0');
		return;
	}
	fuzz_check(rc == CT_OK);
	fuzz_check(got == want);

	/* The canonical text: no leading zeros, exactly two places. */
	char canon[DEC_TEXT_MAX], buf[DEC_TEXT_MAX];
	snprintf(canon, sizeof canon, "%lld.%02lld", (long long)(want / 100), (long long)(want % 100));
	fuzz_check(strcmp(dec_format(got, buf), canon) == 0);
	int64_t back = -1;
	fuzz_check(dec_parse(buf, &back, NULL) == CT_OK && back == got);
}

static void check_format(int64_t c)
{
	char buf[DEC_TEXT_MAX];
	fuzz_check(dec_format(c, buf) == buf);
	size_t len = strlen(buf);
	fuzz_check(len >= 4 && len < DEC_TEXT_MAX);
	fuzz_check(buf[len - 3] == '.');
	/* -c as an unsigned magnitude, also for INT64_MIN */
	uint64_t mag = c < 0 ? (uint64_t)0 - (uint64_t)c : (uint64_t)c;
	char want[DEC_TEXT_MAX];
	snprintf(want, sizeof want, "%s%llu.%02llu", c < 0 ? "-" : "", (unsigned long long)(mag / 100),
		 (unsigned long long)(mag % 100));
	fuzz_check(strcmp(buf, want) == 0);
	if (c >= 0 && c <= DEC_MAX_C) {
		int64_t back = -1;
		fuzz_check(dec_parse(buf, &back, NULL) == CT_OK && back == c);
	}
}

static void check_div(int64_t num, int64_t den)
{
	if (den == 0) {
		int64_t got = 0;
		fuzz_check(dec_div_round(num, den, &got, NULL) == CT_INVALID);
		return;
	}
	/* |num| / |den| rounded half up is floor((2|num| + |den|) / (2|den|));
	 * exact in 128 bits for 64-bit operands. */
	__int128 n = num < 0 ? -(__int128)num : num;
	__int128 d = den < 0 ? -(__int128)den : den;
	__int128 q = (2 * n + d) / (2 * d);
	if ((num < 0) != (den < 0))
		q = -q;
	int64_t got = 0;
	enum ct_status rc = dec_div_round(num, den, &got, NULL);
	/* A quotient outside int64_t (-INT64_MIN / 1) is reported, never wrapped. */
	if (q < INT64_MIN || q > INT64_MAX)
		fuzz_check(rc == CT_INVALID);
	else
		fuzz_check(rc == CT_OK && got == (int64_t)q);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	check_parse(text);
	free(text);
	if (size >= 16) {
		int64_t a, b;
		memcpy(&a, data, 8);
		memcpy(&b, data + 8, 8);
		check_format(a);
		check_div(a, b);
		check_div(a % 100000000000LL, b % 1000); /* the sizes scoring divides */
	}
	return 0;
}
