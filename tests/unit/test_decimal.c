/* Unit tests of exact decimal marks: strict parsing, two-place formatting and
 * half-up (away from zero) rounding of exact quotients. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "decimal.h"

static const __int128 int128_max = (__int128)(((unsigned __int128)1 << 127) - 1);
static const __int128 int128_min = -(__int128)(((unsigned __int128)1 << 127) - 1) - 1;

static void assert_parses(const char *s, int64_t want_c)
{
	struct ct_err err;
	int64_t got = -12345;
	ct_err_clear(&err);
	if (dec_parse(s, &got, &err) != CT_OK)
		fail_msg("\"%s\" was rejected: %s", s, err.msg);
	if (got != want_c)
		fail_msg("\"%s\" parsed as %lld, want %lld", s, (long long)got, (long long)want_c);
}

static void assert_rejected(const char *s)
{
	struct ct_err err;
	int64_t got = -12345;
	ct_err_clear(&err);
	if (dec_parse(s, &got, &err) != CT_INVALID)
		fail_msg("\"%s\" was accepted as %lld", s, (long long)got);
	assert_true(err.msg[0] != '\0');
	assert_int_equal(got, -12345); /* nothing written on failure */
}

static void test_parse_accepts(void **state)
{
	(void)state;
	assert_parses("0", 0);
	assert_parses("7", 700);
	assert_parses("7.5", 750);
	assert_parses("07.50", 750);
	assert_parses("0.25", 25);
	assert_parses("0.05", 5);
	assert_parses("0.5", 50);
	assert_parses("100", 10000);
	assert_parses("000", 0);
	assert_parses("12.34", 1234);
	/* The largest accepted mark, with leading zeros that do not count. */
	assert_parses("1000000", DEC_MAX_C);
	assert_parses("1000000.00", DEC_MAX_C);
	assert_parses("00000000000000000000001000000.00", DEC_MAX_C);
}

static void test_parse_rejects(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "-1", "+1", " 1", "1 ", "1e2", "nan", "inf", "NaN", "Infinity", "1.", ".5",
		"1.234", "0.001", "1..2", "1.2.3", "1,5", "0x10", "1/2", "--1", "-0", "7.5\n",
		"\xef\xbc\x91",  /* fullwidth digit one */
		"1000000.01", "1000001", "99999999999999999999999999999999",
		"18446744073709551616", "9223372036854775807",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_rejected(bad[i]);
}

static void test_parse_null(void **state)
{
	(void)state;
	struct ct_err err;
	int64_t got = 1;
	assert_int_equal(dec_parse(NULL, &got, &err), CT_INVALID);
	assert_int_equal(got, 1);
}

static void assert_formats(int64_t c, const char *want)
{
	char buf[DEC_TEXT_MAX];
	memset(buf, 'x', sizeof buf);
	assert_ptr_equal(dec_format(c, buf), buf);
	assert_string_equal(buf, want);
}

static void test_format(void **state)
{
	(void)state;
	assert_formats(0, "0.00");
	assert_formats(5, "0.05");
	assert_formats(50, "0.50");
	assert_formats(750, "7.50");
	assert_formats(778, "7.78");
	assert_formats(10000, "100.00");
	assert_formats(-125, "-1.25");
	assert_formats(-5, "-0.05");
	assert_formats(DEC_MAX_C, "1000000.00");
	assert_formats(INT64_MAX, "92233720368547758.07");
	assert_formats(INT64_MIN, "-92233720368547758.08");
}

/* Every text dec_format writes for a valid mark parses back to the mark. */
static void test_format_parse_round_trip(void **state)
{
	(void)state;
	for (int64_t c = 0; c <= 100000; c += 7) {
		char buf[DEC_TEXT_MAX];
		int64_t back;
		struct ct_err err;
		assert_int_equal(dec_parse(dec_format(c, buf), &back, &err), CT_OK);
		assert_int_equal(back, c);
	}
}

/* dec_div_round, which must succeed. */
static int64_t div_round(__int128 num, __int128 den)
{
	int64_t q = -12345;
	struct ct_err err;
	ct_err_clear(&err);
	if (dec_div_round(num, den, &q, &err) != CT_OK)
		fail_msg("dec_div_round refused a quotient inside int64: %s", err.msg);
	return q;
}

/* dec_div_round, which must refuse: *out stays as it was. */
static void assert_div_refused(__int128 num, __int128 den)
{
	int64_t q = -12345;
	struct ct_err err;
	ct_err_clear(&err);
	assert_int_equal(dec_div_round(num, den, &q, &err), CT_INVALID);
	assert_int_equal(q, -12345);
	assert_true(err.msg[0] != '\0');
}

static void test_div_round_exact_and_half_up(void **state)
{
	(void)state;
	assert_int_equal(div_round(0, 7), 0);
	assert_int_equal(div_round(10, 5), 2);
	assert_int_equal(div_round(10, 4), 3);   /* 2.5 -> 3 */
	assert_int_equal(div_round(9, 4), 2);    /* 2.25 -> 2 */
	assert_int_equal(div_round(11, 4), 3);   /* 2.75 -> 3 */
	assert_int_equal(div_round(1, 3), 0);    /* 0.333 -> 0 */
	assert_int_equal(div_round(2, 3), 1);    /* 0.667 -> 1 */
	assert_int_equal(div_round(1, 2), 1);    /* 0.5 -> 1 */
	/* x.xx5 marks: (2.67 + 2.68) / 2 = 2.675 -> 2.68 in hundredths,
	 * where binary floating point holds 2.675 as 2.67499999... */
	assert_int_equal(div_round(267 + 268, 2), 268);
	/* (0.01 + 0.02) / 2 = 0.015 -> 0.02; 1.005 -> 1.01 */
	assert_int_equal(div_round(3, 2), 2);
	assert_int_equal(div_round(2010, 20), 101);
	/* Judgement 10 × 7 / 9 = 7.777... -> 7.78 */
	assert_int_equal(div_round(1000 * 700, 300 * 3), 778);
	/* Just below and just above a half. */
	assert_int_equal(div_round(49999, 100000), 0);
	assert_int_equal(div_round(50000, 100000), 1);
	assert_int_equal(div_round(50001, 100000), 1);
}

static void test_div_round_negative(void **state)
{
	(void)state;
	/* Half away from zero, symmetric about 0. */
	assert_int_equal(div_round(-10, 4), -3);  /* -2.5 -> -3 */
	assert_int_equal(div_round(-9, 4), -2);   /* -2.25 -> -2 */
	assert_int_equal(div_round(-11, 4), -3);  /* -2.75 -> -3 */
	assert_int_equal(div_round(-1, 2), -1);   /* -0.5 -> -1 */
	assert_int_equal(div_round(-1, 3), 0);    /* -0.333 -> 0 */
	assert_int_equal(div_round(-535, 2), -268);
	/* A negative denominator. */
	assert_int_equal(div_round(10, -4), -3);
	assert_int_equal(div_round(-10, -4), 3);
	assert_int_equal(div_round(0, -3), 0);
	assert_int_equal(div_round(1, -3), 0);
	for (int64_t n = -1000; n <= 1000; n++)
		for (int64_t d = 1; d <= 13; d++)
			assert_int_equal(div_round(-n, d), -div_round(n, d));
}

/* Brute force over small fractions against the definition: the integer q
 * with |num/den - q| < 1/2, or |num/den - q| = 1/2 and |q| > |num/den|. */
static void test_div_round_definition(void **state)
{
	(void)state;
	for (int64_t n = -300; n <= 300; n++) {
		for (int64_t d = -17; d <= 17; d++) {
			if (d == 0)
				continue;
			int64_t q = div_round(n, d);
			/* 2|n - q d| <= |d| */
			int64_t dist2 = 2 * (n - q * d);
			int64_t ad = d < 0 ? -d : d;
			assert_true(dist2 <= ad && dist2 >= -ad);
			if (dist2 == ad || dist2 == -ad) { /* an exact half: away from zero */
				int64_t aq = q < 0 ? -q : q;
				assert_true(aq * ad > (n < 0 ? -n : n));
			}
		}
	}
}

static void test_div_round_wide(void **state)
{
	(void)state;
	/* Numerators beyond 64 bits are exact. */
	__int128 big = (__int128)INT64_MAX * 1000;
	assert_int_equal(div_round(big, 1000), INT64_MAX);
	assert_int_equal(div_round(big + 499, 1000), INT64_MAX);
	assert_int_equal(div_round(-big - 500, 1000), -INT64_MAX - 1);
	/* The extremes of 128 bits. */
	assert_int_equal(div_round(int128_max, int128_max), 1);
	assert_int_equal(div_round(int128_min, int128_min), 1);
	assert_int_equal(div_round(int128_min, int128_max), -1);
	assert_int_equal(div_round(int128_max, int128_min), -1); /* -0.99999... */
	assert_int_equal(div_round(int128_min / 2, int128_min), 1); /* exactly 0.5 */
	assert_int_equal(div_round(int128_min / 2 + 1, int128_min), 0); /* just under 0.5 */
	assert_int_equal(div_round(1, int128_min), 0);
	assert_int_equal(div_round(int128_min, (__int128)1 << 64), -((__int128)1 << 63));
}

/* A rounded quotient outside int64 is reported, never wrapped (2^70 / 1
 * used to come back as 0), and the last representable quotients on either
 * side are still exact. */
static void test_div_round_out_of_range(void **state)
{
	(void)state;
	const __int128 two63 = (__int128)1 << 63;
	assert_div_refused((__int128)1 << 70, 1);
	assert_div_refused(-((__int128)1 << 70), 1);
	assert_div_refused((__int128)1 << 70, -1);
	assert_div_refused(int128_max, 1);
	assert_div_refused(int128_min, 1);
	assert_div_refused(int128_min, -1);
	assert_div_refused(int128_min, (__int128)1 << 63); /* -2^64 */
	assert_div_refused(1, 0);
	assert_div_refused(0, 0);
	/* INT64_MAX is the largest positive quotient... */
	assert_int_equal(div_round(two63 - 1, 1), INT64_MAX);
	assert_div_refused(two63, 1);
	/* ...also when rounding gets there: (2^63 - 1) + 0.4999 stays, + 0.5 is over. */
	assert_int_equal(div_round((two63 - 1) * 10000 + 4999, 10000), INT64_MAX);
	assert_div_refused((two63 - 1) * 10000 + 5000, 10000);
	assert_div_refused(2 * two63 - 1, 2);             /* 2^63 - 0.5 rounds to 2^63 */
	/* ...and -2^63 the smallest negative one. */
	assert_int_equal(div_round(-two63, 1), INT64_MIN);
	assert_int_equal(div_round(two63, -1), INT64_MIN);
	assert_int_equal(div_round(-2 * two63 + 1, 2), INT64_MIN); /* -2^63 + 0.5 rounds to -2^63 */
	assert_div_refused(-2 * two63 - 1, 2);            /* -2^63 - 0.5 rounds to -2^63 - 1 */
	assert_div_refused(-two63 - 1, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_accepts),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_parse_null),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_parse_round_trip),
		cmocka_unit_test(test_div_round_exact_and_half_up),
		cmocka_unit_test(test_div_round_negative),
		cmocka_unit_test(test_div_round_definition),
		cmocka_unit_test(test_div_round_wide),
		cmocka_unit_test(test_div_round_out_of_range),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
