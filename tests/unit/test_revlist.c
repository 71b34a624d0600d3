/* Unit tests of the signed revocation list: its canonical text, byte for
 * byte as docs/CERTIFICATES.md gives it; what the text refuses; and its
 * signature with a libsodium key pair (altered text, other key). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "revlist.h"

/* Two real ids (00 01 .. 09 and all zero; docs/CERTIFICATES.md). */
#define ID_A "0000-0000-0000-0000-0"
#define ID_B "000G-40R4-0M30-E209-Z"

static void test_canonical_text(void **state)
{
	(void)state;
	const struct revlist_entry e[] = {
		{ID_A, "2026-05-21T09:00:00Z", "成绩更正后不再获奖"},
		{ID_B, "2026-05-22T10:30:00Z", "duplicate issue"},
	};
	struct buf out = {0};
	struct ct_err err;
	ct_err_clear(&err);
	assert_int_equal(revlist_text("CITY2026", "deadbeef", "2026-05-23T08:00:00Z", e, 2, &out, &err), CT_OK);
	assert_string_equal(out.data, "contest-revocations-1\n"
				      "contest CITY2026\n"
				      "key deadbeef\n"
				      "generated 2026-05-23T08:00:00Z\n"
				      "revoked 2\n"
				      "0000-0000-0000-0000-0 2026-05-21T09:00:00Z 成绩更正后不再获奖\n"
				      "000G-40R4-0M30-E209-Z 2026-05-22T10:30:00Z duplicate issue\n");
	buf_reset(&out);
	assert_int_equal(revlist_text("CITY2026", "deadbeef", "2026-05-23T08:00:00Z", NULL, 0, &out, &err), CT_OK);
	assert_string_equal(out.data, "contest-revocations-1\ncontest CITY2026\nkey deadbeef\n"
				      "generated 2026-05-23T08:00:00Z\nrevoked 0\n");
	buf_free(&out);
}

static void test_refused(void **state)
{
	(void)state;
	const char *at = "2026-05-21T09:00:00Z";
	struct {
		struct revlist_entry e[2];
		size_t n;
		const char *contest, *key, *generated, *msg;
	} cases[] = {
		{{{"000G40R40M30E209Z", at, "x"}}, 1, "C", "deadbeef", at, "is not a certificate id"},
		{{{"000G-40R4-0M30-E209-Y", at, "x"}}, 1, "C", "deadbeef", at, "is not a certificate id"},
		{{{ID_A, at, "two\nlines"}}, 1, "C", "deadbeef", at, "the reason must be"},
		{{{ID_A, at, ""}}, 1, "C", "deadbeef", at, "the reason must be"},
		{{{ID_A, "2026-05-21 09:00", "x"}}, 1, "C", "deadbeef", at, "bad time"},
		{{{ID_B, at, "x"}, {ID_A, at, "y"}}, 2, "C", "deadbeef", at, "is not after"},
		{{{ID_A, at, "x"}, {ID_A, at, "y"}}, 2, "C", "deadbeef", at, "is not after"},
		{{{ID_A, at, "x"}}, 1, "C D", "deadbeef", at, "bad contest code"},
		{{{ID_A, at, "x"}}, 1, "C", "DEADBEEF", at, "bad key id"},
		{{{ID_A, at, "x"}}, 1, "C", "deadbeef", "2026-05-21T09:00:00+08:00", "bad time"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct buf out = {0};
		struct ct_err err;
		ct_err_clear(&err);
		assert_int_equal(revlist_text(cases[i].contest, cases[i].key, cases[i].generated, cases[i].e, cases[i].n, &out,
					      &err), CT_INVALID);
		if (!strstr(err.msg, cases[i].msg))
			fail_msg("case %zu: \"%s\" does not say \"%s\"", i, err.msg, cases[i].msg);
		assert_null(out.data);
	}
	char long_reason[REVLIST_REASON_MAX + 2];
	memset(long_reason, 'a', sizeof long_reason - 1);
	long_reason[sizeof long_reason - 1] = '\0';
	assert_false(revlist_reason_ok(long_reason));
	long_reason[REVLIST_REASON_MAX] = '\0';
	assert_true(revlist_reason_ok(long_reason));
	assert_false(revlist_reason_ok("tab\there"));
	assert_false(revlist_reason_ok("\xe6\x88")); /* cut UTF-8 */
	assert_false(revlist_reason_ok(NULL));
}

static void test_signature(void **state)
{
	(void)state;
	unsigned char pk[32], sk[64], pk2[32], sk2[64];
	crypto_sign_keypair(pk, sk);
	crypto_sign_keypair(pk2, sk2);
	const struct revlist_entry e[] = {{ID_B, "2026-05-22T10:30:00Z", "撤销"}};
	struct buf text = {0};
	assert_int_equal(revlist_text("CITY2026", "deadbeef", "2026-05-23T08:00:00Z", e, 1, &text, NULL), CT_OK);
	uint8_t sig[CERT_SIG_BYTES];
	crypto_sign_detached(sig, NULL, (const unsigned char *)text.data, text.len, sk);
	assert_true(revlist_verify(text.data, text.len, sig, pk));
	assert_false(revlist_verify(text.data, text.len, sig, pk2));
	text.data[text.len - 2] ^= 1; /* one bit of the reason */
	assert_false(revlist_verify(text.data, text.len, sig, pk));
	buf_free(&text);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_canonical_text),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_signature),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
