/* Unit tests of the times people type for notice periods and appeals: every
 * accepted form, zones and the local offset, the limits of each field, and
 * what must be refused. Expected seconds are computed by hand from
 * 2026-05-20T00:00:00Z = 20593 days = 1,779,235,200 s since 1970. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "isotime.h"

#define MAY20 1779235200LL /* 2026-05-20T00:00:00Z: 20593 * 86400 */
#define CHINA (8 * 3600)

static int64_t parsed(const char *text, int32_t local)
{
	int64_t s = -1;
	if (!isotime_parse(text, local, &s))
		fail_msg("\"%s\" was refused", text);
	return s;
}

static void test_forms(void **state)
{
	(void)state;
	assert_int_equal(parsed("2026-05-20T00:00:00Z", CHINA), MAY20);
	assert_int_equal(parsed("2026-05-20", 0), MAY20);
	/* without a zone: local time, here China (UTC+8) */
	assert_int_equal(parsed("2026-05-20", CHINA), MAY20 - CHINA);
	assert_int_equal(parsed("2026-05-20 18:00", CHINA), MAY20 + 10 * 3600);
	assert_int_equal(parsed("2026-05-20T18:00:30", CHINA), MAY20 + 10 * 3600 + 30);
	assert_int_equal(parsed("2026-05-20T18:00+08:00", 0), MAY20 + 10 * 3600);
	assert_int_equal(parsed("2026-05-20T18:00+0800", 0), MAY20 + 10 * 3600);
	assert_int_equal(parsed("2026-05-20T09:15-05:30", CHINA), MAY20 + 9 * 3600 + 15 * 60 + 5 * 3600 + 30 * 60);
	assert_int_equal(parsed("2026-05-20 23:59:59Z", CHINA), MAY20 + 86399);
	assert_int_equal(parsed("2028-02-29T12:00Z", 0), 1835438400LL);
	assert_int_equal(parsed("1970-01-01T00:00:00Z", 0), 0);
	assert_int_equal(parsed("9999-12-31T23:59:59Z", 0), 253402300799LL);
}

static void test_refused(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "2026", "2026-05", "2026-5-20", "2026-02-29", "2026-13-01", "2026-05-32", "2026-05-20T",
		"2026-05-20T24:00", "2026-05-20T12:60", "2026-05-20T12:00:60", "2026-05-20T9:00", "2026-05-20T12",
		"2026-05-20T12:00Z+08:00", "2026-05-20T12:00+15:00", "2026-05-20T12:00+08", "2026-05-20T12:00+08:0",
		"2026-05-20T12:00 +08:00", "2026-05-20Z", "2026-05-20x", "tomorrow", "1969-12-31T23:59:59Z",
		"1970-01-01T07:59+08:00", "2026-05-20T12:00:00.5Z", " 2026-05-20", "2026-05-20T12:00:00Zjunk",
		"2026-05-20T12:00:00+08:00:00", "0000-01-01", "9999-12-31T23:00-08:00",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t s = 42;
		if (isotime_parse(bad[i], 0, &s))
			fail_msg("\"%s\" was accepted as %lld", bad[i], (long long)s);
	}
	int64_t s;
	assert_false(isotime_parse(NULL, 0, &s));
	char long_text[64];
	memset(long_text, '9', sizeof long_text - 1);
	long_text[sizeof long_text - 1] = '\0';
	assert_false(isotime_parse(long_text, 0, &s));
}

static void test_format(void **state)
{
	(void)state;
	char out[ISOTIME_TEXT];
	isotime_format(MAY20 + 10 * 3600 + 5 * 60 + 9, out);
	assert_string_equal(out, "2026-05-20T10:05:09Z");
	isotime_format(0, out);
	assert_string_equal(out, "1970-01-01T00:00:00Z");
	isotime_format(253402300799LL, out);
	assert_string_equal(out, "9999-12-31T23:59:59Z");
	/* what it writes, it reads back */
	for (int64_t t = 0; t < 253402300799LL; t += 86399 * 397 + 13) {
		isotime_format(t, out);
		assert_int_equal(parsed(out, CHINA), t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
