/* Unit tests of base45: the RFC 9285 test vectors, the URL alphabet (vectors
 * from an independent Python implementation of the same algorithm with radix
 * 41), and the rejection of every kind of malformed input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base45.h"

static void assert_round(enum base45_alphabet a, const char *bytes, size_t n, const char *want)
{
	char text[64];
	assert_int_equal(base45_encoded_len(n), strlen(want));
	base45_encode(a, (const uint8_t *)bytes, n, text);
	assert_string_equal(text, want);
	uint8_t back[64];
	size_t m = 99;
	struct ct_err err;
	ct_err_clear(&err);
	if (base45_decode(a, want, strlen(want), back, sizeof back, &m, &err) != CT_OK)
		fail_msg("\"%s\" did not decode: %s", want, err.msg);
	assert_int_equal(m, n);
	assert_memory_equal(back, bytes, n);
}

static void test_rfc9285_vectors(void **state)
{
	(void)state;
	/* RFC 9285 sections 4.3 and 4.4. */
	assert_round(BASE45_RFC9285, "AB", 2, "BB8");
	assert_round(BASE45_RFC9285, "Hello!!", 7, "%69 VD92EX0");
	assert_round(BASE45_RFC9285, "base-45", 7, "UJCLQE7W581");
	assert_round(BASE45_RFC9285, "ietf!", 5, "QED8WEX0");
	assert_round(BASE45_RFC9285, "", 0, "");
}

static void test_url_vectors(void **state)
{
	(void)state;
	assert_round(BASE45_URL, "AB", 2, "J-9");
	assert_round(BASE45_URL, "Hello!!", 7, "11B:KG$*GX0");
	assert_round(BASE45_URL, "base-45", 7, "B:ELNHA$6C1");
	assert_round(BASE45_URL, "ietf!", 5, "32GWTHX0");
	assert_round(BASE45_URL, "\xff\xff", 2, "H:-");
	assert_round(BASE45_URL, "\xff", 1, "96");
	/* Lower case is read as upper case in URLs. */
	uint8_t out[8];
	size_t n;
	assert_int_equal(base45_decode(BASE45_URL, "32gwthx0", 8, out, sizeof out, &n, NULL), CT_OK);
	assert_memory_equal(out, "ietf!", 5);
}

static void test_url_alphabet_is_url_safe(void **state)
{
	(void)state;
	/* Every byte pair encodes to characters a URL path segment keeps as is. */
	for (unsigned v = 0; v < 65536; v += 7) {
		uint8_t in[2] = {(uint8_t)(v >> 8), (uint8_t)v};
		char text[4];
		base45_encode(BASE45_URL, in, 2, text);
		for (int i = 0; i < 3; i++)
			assert_null(strchr(" %+/?#&=", text[i]));
	}
}

static void assert_bad(enum base45_alphabet a, const char *text, enum ct_status want)
{
	uint8_t out[16];
	size_t n = 77;
	struct ct_err err;
	ct_err_clear(&err);
	if (base45_decode(a, text, strlen(text), out, sizeof out, &n, &err) != want)
		fail_msg("\"%s\" was not rejected as expected", text);
	assert_true(err.msg[0] != '\0');
}

static void test_rejects(void **state)
{
	(void)state;
	assert_bad(BASE45_RFC9285, "GGW", CT_INVALID);   /* RFC 9285 section 6: 65552 > 65535 */
	assert_bad(BASE45_RFC9285, "ZZ", CT_INVALID);    /* 35 + 35 * 45 > 255 */
	assert_bad(BASE45_RFC9285, "BB8B", CT_INVALID);  /* one character over */
	assert_bad(BASE45_RFC9285, "bb8", CT_INVALID);   /* lower case is not in the RFC alphabet */
	assert_bad(BASE45_RFC9285, "BB\"", CT_INVALID);
	assert_bad(BASE45_URL, ":::", CT_INVALID);       /* 40 + 40 * 41 + 40 * 1681 > 65535 */
	assert_bad(BASE45_URL, "A%B", CT_INVALID);       /* '%' is RFC-only */
	assert_bad(BASE45_URL, "A B", CT_INVALID);
	assert_bad(BASE45_URL, "A/B", CT_INVALID);
	assert_bad(BASE45_URL, "A+B", CT_INVALID);
	assert_bad(BASE45_URL, "AB\x80", CT_INVALID);
	assert_bad(BASE45_URL, "J-9J-9J-9J-9J-9J-9J-9J-9J-9", CT_TOO_LARGE); /* 18 bytes > 16 */
	/* An embedded NUL is a bad character, not the end. */
	uint8_t out[4];
	size_t n;
	assert_int_equal(base45_decode(BASE45_URL, "J\0" "9", 3, out, sizeof out, &n, NULL), CT_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc9285_vectors),
		cmocka_unit_test(test_url_vectors),
		cmocka_unit_test(test_url_alphabet_is_url_safe),
		cmocka_unit_test(test_rejects),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
