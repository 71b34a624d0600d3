/* Unit tests of certificates: ids and their check symbol, dates, the
 * canonical encoding (golden bytes written by hand, digests from Python's
 * hashlib), signatures (genuine, forged by any changed byte, unknown key,
 * rotation), payload URLs (round trips, GB18030, the digest fallback for
 * long names, QR version 10 or less at the schema's limits) and the decoder's
 * rejection of malformed payloads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "base45.h"
#include "buf.h"
#include "cert.h"
#include "certdoc.h"
#include "decimal.h"
#include "qr.h"

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

struct keypair {
	uint8_t pk[CERT_PK_BYTES], sk[CERT_SK_BYTES];
	struct cert_key key;
};

static void keypair(struct keypair *k, uint8_t seed_byte, const char *contest)
{
	uint8_t seed[crypto_sign_SEEDBYTES];
	memset(seed, seed_byte, sizeof seed);
	crypto_sign_seed_keypair(k->pk, k->sk, seed);
	assert_int_equal(cert_key_set(&k->key, k->pk, contest, NULL), CT_OK);
}

static void make(struct cert *c, const char *holder, const char *org)
{
	static const uint8_t id[CERT_ID_BYTES] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
	int32_t day;
	assert_true(cert_day_parse("2026-05-20", &day));
	struct ct_err err;
	ct_err_clear(&err);
	if (cert_set(c, id, "CITY2026", "CNC", holder, org, 1, 3, 8750, day, &err) != CT_OK)
		fail_msg("cert_set: %s", err.msg);
}

/* ---- ids ---- */

static void test_id_format_golden(void **state)
{
	(void)state;
	/* Expected texts from an independent Python implementation (log/exp
	 * tables of GF(32) instead of shift-and-add). */
	char t[CERT_ID_TEXT_MAX];
	uint8_t id[CERT_ID_BYTES] = {0};
	cert_id_format(id, t);
	assert_string_equal(t, "0000-0000-0000-0000-0");
	for (int i = 0; i < CERT_ID_BYTES; i++)
		id[i] = (uint8_t)i;
	cert_id_format(id, t);
	assert_string_equal(t, "000G-40R4-0M30-E209-Z");
	memset(id, 0xFF, sizeof id);
	cert_id_format(id, t);
	assert_string_equal(t, "ZZZZ-ZZZZ-ZZZZ-ZZZZ-M");
}

static void assert_parses_to(const char *text, const uint8_t want[CERT_ID_BYTES])
{
	uint8_t got[CERT_ID_BYTES];
	if (cert_id_parse(text, got) != CERT_ID_VALID)
		fail_msg("\"%s\" was not read as a valid id", text);
	assert_memory_equal(got, want, CERT_ID_BYTES);
}

static void test_id_parse_as_typed(void **state)
{
	(void)state;
	uint8_t id[CERT_ID_BYTES];
	for (int i = 0; i < CERT_ID_BYTES; i++)
		id[i] = (uint8_t)i;
	assert_parses_to("000G-40R4-0M30-E209-Z", id);
	assert_parses_to("000g-40r4-0m30-e209-z", id);
	assert_parses_to("000G40R40M30E209Z", id);
	assert_parses_to(" OOOG 4OR4 OM3O E2O9 Z ", id); /* O for 0 */
	uint8_t ones[CERT_ID_BYTES];
	char t[CERT_ID_TEXT_MAX];
	memset(ones, 0x08, sizeof ones); /* 00001000 ... has '1' symbols */
	cert_id_format(ones, t);
	char typed[CERT_ID_TEXT_MAX];
	memcpy(typed, t, sizeof t);
	bool replaced = false;
	for (char *p = typed; *p; p++)
		if (*p == '1')
			*p = replaced ? 'i' : 'L', replaced = true;
	assert_true(replaced);
	assert_parses_to(typed, ones);

	uint8_t out[CERT_ID_BYTES];
	assert_int_equal(cert_id_parse("000G-40R4-0M30-E209-U", out), CERT_ID_MALFORMED); /* no U in Crockford */
	assert_int_equal(cert_id_parse("000G-40R4-0M30-E209#Z", out), CERT_ID_MALFORMED);
	assert_int_equal(cert_id_parse("", out), CERT_ID_MISTYPED);
	assert_int_equal(cert_id_parse("000G-40R4-0M30-E209", out), CERT_ID_MISTYPED);     /* check missing */
	assert_int_equal(cert_id_parse("000G-40R4-0M30-E209-ZZ", out), CERT_ID_MISTYPED);  /* one too many */
	assert_int_equal(cert_id_parse("000G-40R4-0M30-E29-Z", out), CERT_ID_MISTYPED);    /* one dropped */
	assert_int_equal(cert_id_parse("000G-40R4-0M30-E209-Z000000000000000000000000", out), CERT_ID_MISTYPED);
}

/* Replaces the k-th symbol (hyphens skipped) of t by value v. */
static void set_symbol(char *t, int k, unsigned v)
{
	for (char *p = t;; p++)
		if (*p != '-' && k-- == 0) {
			*p = crockford[v];
			return;
		}
}

static unsigned symbol(const char *t, int k)
{
	for (const char *p = t;; p++)
		if (*p != '-' && k-- == 0)
			return (unsigned)(strchr(crockford, *p) - crockford);
}

static void test_id_catches_every_substitution_and_transposition(void **state)
{
	(void)state;
	uint8_t id[CERT_ID_BYTES], out[CERT_ID_BYTES];
	long checked = 0;
	for (int n = 0; n < 300; n++) {
		cert_id_new(id);
		char t[CERT_ID_TEXT_MAX];
		cert_id_format(id, t);
		assert_int_equal(cert_id_parse(t, out), CERT_ID_VALID);
		assert_memory_equal(out, id, CERT_ID_BYTES);
		for (int k = 0; k < 17; k++) {
			unsigned orig = symbol(t, k);
			for (unsigned v = 0; v < 32; v++) {
				if (v == orig)
					continue;
				char m[CERT_ID_TEXT_MAX];
				memcpy(m, t, sizeof m);
				set_symbol(m, k, v);
				if (cert_id_parse(m, out) != CERT_ID_MISTYPED)
					fail_msg("substitution %s -> %s not caught", t, m);
				checked++;
			}
			for (int j = k + 1; j < 17; j++) { /* adjacent and any other transposition */
				unsigned other = symbol(t, j);
				if (other == orig)
					continue;
				char m[CERT_ID_TEXT_MAX];
				memcpy(m, t, sizeof m);
				set_symbol(m, k, other);
				set_symbol(m, j, orig);
				if (cert_id_parse(m, out) != CERT_ID_MISTYPED)
					fail_msg("transposition %s -> %s not caught", t, m);
				checked++;
			}
		}
	}
	assert_true(checked > 300 * 17 * 31);
}

static void test_id_new_is_random(void **state)
{
	(void)state;
	uint8_t a[CERT_ID_BYTES], b[CERT_ID_BYTES];
	cert_id_new(a);
	cert_id_new(b);
	assert_memory_not_equal(a, b, CERT_ID_BYTES);
}

/* ---- dates ---- */

static void test_days(void **state)
{
	(void)state;
	int32_t d;
	char t[11];
	assert_true(cert_day_parse("1970-01-01", &d));
	assert_int_equal(d, 0);
	assert_true(cert_day_parse("2026-05-20", &d)); /* (date(2026,5,20) - date(1970,1,1)).days */
	assert_int_equal(d, 20593);
	assert_true(cert_day_parse("2024-02-29T08:00:00Z", &d));
	assert_int_equal(d, 19782);
	cert_day_format(d, t);
	assert_string_equal(t, "2024-02-29");
	assert_true(cert_day_parse("9999-12-31", &d));
	assert_int_equal(d, 2932896);
	cert_day_format(d, t);
	assert_string_equal(t, "9999-12-31");
	static const char *const bad[] = {"2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "1969-12-31",
					  "2026-5-20",  "2026/05/20", "2026-05-20 ", "",          "20260520"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (cert_day_parse(bad[i], &d))
			fail_msg("\"%s\" was accepted as a date", bad[i]);
}

/* ---- fields ---- */

static void test_set_rejects(void **state)
{
	(void)state;
	uint8_t id[CERT_ID_BYTES] = {1};
	struct cert c;
	struct ct_err err;
	char long_text[CERT_TEXT_MAX + 2];
	memset(long_text, 'a', sizeof long_text - 1);
	long_text[sizeof long_text - 1] = '\0';
	struct {
		const char *contest, *event, *holder, *org;
		unsigned award;
		uint32_t rank;
		int64_t total;
		int32_t day;
	} bad[] = {
		{"", "CNC", "张三", "", 1, 1, 0, 0},
		{"CITY 2026", "CNC", "张三", "", 1, 1, 0, 0},
		{"C", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456", "张三", "", 1, 1, 0, 0}, /* 33 characters */
		{"C", "CNC/1", "张三", "", 1, 1, 0, 0},
		{"C", "CNC", "", "", 1, 1, 0, 0},
		{"C", "CNC", long_text, "", 1, 1, 0, 0},
		{"C", "CNC", "张三", long_text, 1, 1, 0, 0},
		{"C", "CNC", "\xff", "", 1, 1, 0, 0},
		{"C", "CNC", "\xc0\xaf", "", 1, 1, 0, 0},         /* overlong '/' */
		{"C", "CNC", "\xed\xa0\x80", "", 1, 1, 0, 0},     /* a surrogate */
		{"C", "CNC", "张\n三", "", 1, 1, 0, 0},
		{"C", "CNC", "张三", "\xc2\x85", 1, 1, 0, 0},     /* C1 control NEL */
		{"C", "CNC", "张三", "", 0, 1, 0, 0},
		{"C", "CNC", "张三", "", 4, 1, 0, 0},
		{"C", "CNC", "张三", "", 1, 0, 0, 0},
		{"C", "CNC", "张三", "", 1, CERT_RANK_MAX + 1, 0, 0},
		{"C", "CNC", "张三", "", 1, 1, -1, 0},
		{"C", "CNC", "张三", "", 1, 1, DEC_MAX_C + 1, 0},
		{"C", "CNC", "张三", "", 1, 1, 0, -1},
		{"C", "CNC", "张三", "", 1, 1, 0, 2932897},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		ct_err_clear(&err);
		if (cert_set(&c, id, bad[i].contest, bad[i].event, bad[i].holder, bad[i].org, bad[i].award, bad[i].rank,
			     bad[i].total, bad[i].day, &err) != CT_INVALID)
			fail_msg("case %zu was accepted", i);
		assert_true(err.msg[0] != '\0');
	}
	assert_int_equal(cert_set(&c, id, "C", "CNC", "张三", NULL, 3, 1, DEC_MAX_C, 0, NULL), CT_OK);
	assert_string_equal(c.organization, "");
	assert_string_equal(cert_award_name(1), "一等奖");
	assert_string_equal(cert_award_name(2), "二等奖");
	assert_string_equal(cert_award_name(3), "三等奖");
	assert_string_equal(cert_award_name(4), "");
}

/* ---- canonical encoding ---- */

static void test_canonical_golden(void **state)
{
	(void)state;
	struct cert c;
	make(&c, "张三", "北京市第一职业技术学院");
	static const uint8_t kid[4] = {0xDE, 0xAD, 0xBE, 0xEF};
	/* Written by hand from docs/CERTIFICATES.md; the names digest is
	 * BLAKE2b-128 from Python's hashlib:
	 *   salt = bytes(range(10)) + bytes(6)
	 *   h = blake2b('张三'.encode(), digest_size=16, salt=salt, person=b'CT-CERT holder')
	 *   o = blake2b('北京市第一职业技术学院'.encode(), ..., person=b'CT-CERT org')
	 *   blake2b(h + o, ..., person=b'CT-CERT names') */
	static const uint8_t want[] = {
		'C', 'T', '-', 'C', 'E', 'R', 'T', 0x01,             /* magic, version 1 */
		0xDE, 0xAD, 0xBE, 0xEF,                              /* key id */
		0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, /* certificate id */
		0x01,                                                /* award: first prize */
		0x00, 0x00, 0x00, 0x03,                              /* rank 3 */
		0x00, 0x00, 0x22, 0x2E,                              /* total 87.50 = 8750 hundredths */
		0x00, 0x00, 0x50, 0x71,                              /* 2026-05-20 = day 20593 */
		0x08, 'C', 'I', 'T', 'Y', '2', '0', '2', '6',        /* contest code */
		0x03, 'C', 'N', 'C',                                 /* event code */
		0xb7, 0x62, 0xa7, 0xbb, 0xca, 0xbe, 0x25, 0xef,      /* names digest */
		0x6b, 0x3a, 0x71, 0xab, 0x8c, 0x1d, 0x3b, 0xbe,
	};
	uint8_t got[CERT_CANONICAL_MAX];
	size_t n = cert_canonical(&c, kid, got);
	assert_int_equal(n, sizeof want);
	assert_memory_equal(got, want, sizeof want);
}

static void test_key_id(void **state)
{
	(void)state;
	uint8_t pk[CERT_PK_BYTES], kid[CERT_KEY_ID_BYTES];
	for (int i = 0; i < CERT_PK_BYTES; i++)
		pk[i] = (uint8_t)i;
	cert_key_id(pk, kid); /* blake2b(bytes(range(32)), digest_size=32).hexdigest()[:8] */
	char t[CERT_KEY_ID_TEXT];
	cert_key_id_format(kid, t);
	assert_string_equal(t, "cb2f5160");
}

/* ---- signatures ---- */

static void flip(char *s, size_t i)
{
	s[i] = (char)(s[i] ^ 0x01);
}

static void test_sign_verify(void **state)
{
	(void)state;
	struct keypair k, other;
	keypair(&k, 7, "CITY2026");
	keypair(&other, 8, "CITY2026");
	struct cert c, m;
	make(&c, "张三", "北京市第一职业技术学院");
	uint8_t kid[CERT_KEY_ID_BYTES], sig[CERT_SIG_BYTES];
	assert_int_equal(cert_sign(&c, k.sk, kid, sig, NULL), CT_OK);
	assert_memory_equal(kid, k.key.id, CERT_KEY_ID_BYTES);
	assert_int_equal(cert_verify(&c, kid, sig, &k.key, 1), CERT_GENUINE);

	/* Any one changed byte of any field: forged. */
	char *texts[] = {m.contest, m.event, m.holder, m.organization};
	for (int f = 0; f < 4; f++) {
		m = c;
		size_t n = strlen(texts[f]);
		for (size_t i = 0; i < n; i++) {
			m = c;
			flip(texts[f], i);
			assert_int_equal(cert_verify(&m, kid, sig, &k.key, 1), CERT_FORGED);
		}
	}
	for (int i = 0; i < CERT_ID_BYTES; i++) {
		m = c;
		m.id[i] ^= 0x80;
		assert_int_equal(cert_verify(&m, kid, sig, &k.key, 1), CERT_FORGED);
	}
	m = c, m.award = 2;
	assert_int_equal(cert_verify(&m, kid, sig, &k.key, 1), CERT_FORGED);
	m = c, m.rank = 1;
	assert_int_equal(cert_verify(&m, kid, sig, &k.key, 1), CERT_FORGED);
	m = c, m.total_c = 8751;
	assert_int_equal(cert_verify(&m, kid, sig, &k.key, 1), CERT_FORGED);
	m = c, m.issue_day++;
	assert_int_equal(cert_verify(&m, kid, sig, &k.key, 1), CERT_FORGED);
	m = c, m.organization[0] = '\0'; /* a removed organization is an altered one */
	assert_int_equal(cert_verify(&m, kid, sig, &k.key, 1), CERT_FORGED);
	/* Any one changed byte of the signature: forged. */
	for (int i = 0; i < CERT_SIG_BYTES; i++)
		for (int bit = 0; bit < 8; bit += 7) {
			uint8_t s2[CERT_SIG_BYTES];
			memcpy(s2, sig, sizeof s2);
			s2[i] ^= (uint8_t)(1u << bit);
			assert_int_equal(cert_verify(&c, kid, s2, &k.key, 1), CERT_FORGED);
		}
	/* Keys rotate: an old certificate verifies with the old key in the list;
	 * a list without it does not know the key. */
	assert_int_equal(cert_verify(&c, kid, sig, &other.key, 1), CERT_UNKNOWN_KEY);
	struct cert_key both[2] = {other.key, k.key};
	assert_int_equal(cert_verify(&c, kid, sig, both, 2), CERT_GENUINE);
	/* A key with the same id but another public key (a collision of 32-bit
	 * ids) does not make a signature genuine. */
	struct cert_key impostor = other.key;
	memcpy(impostor.id, kid, CERT_KEY_ID_BYTES);
	assert_int_equal(cert_verify(&c, kid, sig, &impostor, 1), CERT_FORGED);
	struct cert_key impostor_first[2] = {impostor, k.key};
	assert_int_equal(cert_verify(&c, kid, sig, impostor_first, 2), CERT_GENUINE);
	assert_string_equal(cert_verdict_name(CERT_GENUINE), "genuine");
	assert_string_equal(cert_verdict_name(CERT_FORGED), "forged");
	assert_string_equal(cert_verdict_name(CERT_UNKNOWN_KEY), "unknown_key");
}

/* ---- payload URLs ---- */

static char *url_of(const struct cert *c, const struct keypair *k, const char *base, enum cert_text_form forms[2])
{
	uint8_t kid[CERT_KEY_ID_BYTES], sig[CERT_SIG_BYTES];
	struct ct_err err;
	ct_err_clear(&err);
	assert_int_equal(cert_sign(c, k->sk, kid, sig, NULL), CT_OK);
	char *url = NULL;
	if (cert_url(c, kid, sig, base, &url, forms, &err) != CT_OK)
		fail_msg("cert_url: %s", err.msg);
	return url;
}

/* Decodes and verifies url with k; checks the fields against c; returns the
 * QR version of url. */
static int check_round_trip(const char *url, const struct cert *c, const struct keypair *k)
{
	struct cert_claim cl;
	struct ct_err err;
	ct_err_clear(&err);
	if (cert_claim_decode(url, strlen(url), &cl, &err) != CT_OK)
		fail_msg("decode %s: %s", url, err.msg);
	assert_string_equal(cl.cert.contest, "");
	assert_int_equal(cert_claim_verify(&cl, &k->key, 1), CERT_GENUINE);
	assert_string_equal(cl.cert.contest, c->contest);
	assert_memory_equal(cl.cert.id, c->id, CERT_ID_BYTES);
	assert_string_equal(cl.cert.event, c->event);
	assert_int_equal(cl.cert.award, c->award);
	assert_int_equal(cl.cert.rank, c->rank);
	assert_int_equal(cl.cert.total_c, c->total_c);
	assert_int_equal(cl.cert.issue_day, c->issue_day);
	if (cl.holder_form <= CERT_FORM_GB18030)
		assert_string_equal(cl.cert.holder, c->holder);
	else
		assert_string_equal(cl.cert.holder, "");
	if (cl.organization_form <= CERT_FORM_GB18030)
		assert_string_equal(cl.cert.organization, c->organization);
	assert_true(cert_claim_matches(&cl, c));
	struct qr q;
	if (qr_encode(url, strlen(url), CERT_QR_VERSION, &q, &err) != CT_OK)
		fail_msg("qr_encode %s: %s", url, err.msg);
	int v = q.version;
	assert_true(v <= CERT_QR_VERSION);
	qr_free(&q);
	return v;
}

static void test_payload_round_trip(void **state)
{
	(void)state;
	struct keypair k;
	keypair(&k, 7, "CITY2026");
	struct cert c;
	enum cert_text_form f[2];
	make(&c, "张三", "北京市第一职业技术学院");
	char *url = url_of(&c, &k, "https://results.example.org/", f);
	assert_true(strncmp(url, "HTTPS://RESULTS.EXAMPLE.ORG/V/", 30) == 0);
	assert_int_equal(f[0], CERT_FORM_GB18030);
	assert_int_equal(f[1], CERT_FORM_GB18030);
	int v = check_round_trip(url, &c, &k);
	assert_true(v <= 9);
	/* The same with the path in lower case, as a browser may show it, with
	 * a query string appended and white space around. */
	char *lower = NULL;
	assert_true(asprintf(&lower, "  https://results.example.org/v/%s?utm=x \n", url + 30) > 0);
	check_round_trip(lower, &c, &k);
	free(lower);
	/* The bare payload. */
	check_round_trip(url + 30, &c, &k);
	free(url);

	/* ASCII names travel as UTF-8; a name with a character outside the
	 * GB18030-stable set (é, 𠮷) travels as UTF-8 too. */
	make(&c, "Zhang San", "Beijing Polytechnic");
	url = url_of(&c, &k, "http://192.168.1.10:8080", f);
	assert_int_equal(f[0], CERT_FORM_UTF8);
	assert_int_equal(f[1], CERT_FORM_UTF8);
	check_round_trip(url, &c, &k);
	free(url);
	make(&c, "吉田𠮷", "École 北京");
	url = url_of(&c, &k, "https://Results.Example.org/Zs2026", f);
	assert_true(strncmp(url, "HTTPS://RESULTS.EXAMPLE.ORG/Zs2026/V/", 37) == 0); /* path case kept */
	assert_int_equal(f[0], CERT_FORM_UTF8);
	assert_int_equal(f[1], CERT_FORM_UTF8);
	check_round_trip(url, &c, &k);
	free(url);
	make(&c, "阿卜杜热依木·买买提", "");
	url = url_of(&c, &k, "https://results.example.org", f);
	assert_int_equal(f[0], CERT_FORM_GB18030);
	check_round_trip(url, &c, &k);
	free(url);
}

/* n copies of s. */
static void repeat(char *out, size_t cap, const char *s, int n)
{
	out[0] = '\0';
	size_t len = 0, sl = strlen(s);
	for (int i = 0; i < n && len + sl < cap; i++, len += sl)
		memcpy(out + len, s, sl + 1);
}

static void test_payload_long_names(void **state)
{
	(void)state;
	struct keypair k;
	keypair(&k, 7, "CITY2026");
	struct cert c;
	enum cert_text_form f[2];
	char long_zh[CERT_TEXT_MAX + 1], mid_zh[CERT_TEXT_MAX + 1];
	repeat(long_zh, sizeof long_zh, "职", 66); /* 198 bytes of UTF-8 */
	repeat(mid_zh, sizeof mid_zh, "职", 20);
	const char *base = "https://results.example.org";

	make(&c, "张三", long_zh); /* the organization gives way first */
	char *url = url_of(&c, &k, base, f);
	assert_int_equal(f[0], CERT_FORM_GB18030);
	assert_int_equal(f[1], CERT_FORM_DIGEST);
	check_round_trip(url, &c, &k);
	free(url);

	make(&c, long_zh, "北京市第一职业技术学院");
	url = url_of(&c, &k, base, f);
	assert_int_equal(f[0], CERT_FORM_DIGEST);
	assert_int_equal(f[1], CERT_FORM_GB18030);
	check_round_trip(url, &c, &k);
	free(url);

	make(&c, long_zh, long_zh);
	url = url_of(&c, &k, base, f);
	assert_int_equal(f[0], CERT_FORM_NAMES);
	assert_int_equal(f[1], CERT_FORM_NAMES);
	check_round_trip(url, &c, &k);
	/* A digest stands for the exact name: another name does not match. */
	struct cert other = c;
	other.holder[0] = 'X';
	struct cert_claim cl;
	assert_int_equal(cert_claim_decode(url, strlen(url), &cl, NULL), CT_OK);
	assert_false(cert_claim_matches(&cl, &other));
	free(url);

	/* 20 + 20 Chinese characters still travel whole in GB18030 (80 bytes;
	 * the 120 of UTF-8 would not fit). */
	make(&c, mid_zh, mid_zh);
	url = url_of(&c, &k, base, f);
	assert_int_equal(f[0], CERT_FORM_GB18030);
	assert_int_equal(f[1], CERT_FORM_GB18030);
	check_round_trip(url, &c, &k);
	free(url);
}

static void test_qr_version_at_the_limits(void **state)
{
	(void)state;
	struct keypair k;
	keypair(&k, 9, "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"); /* a 32-character contest code */
	char zh[CERT_TEXT_MAX + 1], ascii[CERT_TEXT_MAX + 1], astral[CERT_TEXT_MAX + 1], mixed[CERT_TEXT_MAX + 1];
	repeat(zh, sizeof zh, "赛", 66);
	repeat(ascii, sizeof ascii, "W", 200);
	repeat(astral, sizeof astral, "𠮷", 50);  /* 4 bytes each */
	repeat(mixed, sizeof mixed, "赛A", 50);   /* 200 bytes, GB18030 150 */
	const char *names[] = {"张三", "", zh, ascii, astral, mixed};
	const char *bases[] = {
		"https://results.example.org",
		"HTTPS://ABCDEFGHIJKLMNOPQRSTUVWXYZ.EXAMPLE.ORG/ABCDEFGHIJKLM",    /* 60, all alphanumeric */
		"https://a.cn/abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstu",     /* 60, lower-case path: byte mode */
		"https://a.cn/a-b_c~d!e$f&g'h(i)j*k+l,m;n=o:p@q%20r/s.t/u/v/w",     /* 60, every path character */
	};
	int worst = 0, typical = 0;
	for (size_t b = 0; b < sizeof bases / sizeof *bases; b++)
		for (size_t h = 0; h < sizeof names / sizeof *names; h++)
			for (size_t o = 0; o < sizeof names / sizeof *names; o++) {
				if (!names[h][0])
					continue;
				uint8_t id[CERT_ID_BYTES];
				cert_id_new(id);
				struct cert c;
				assert_int_equal(cert_set(&c, id, k.key.contest, "ABCDEFGHIJKLMNOPQRSTUVWXYZ-_.789",
							  names[h], names[o], 3, CERT_RANK_MAX, DEC_MAX_C, 2932896, NULL),
						 CT_OK);
				assert_int_equal(strlen(bases[b]), b == 0 ? 27 : 60);
				char *url = url_of(&c, &k, bases[b], NULL);
				int v = check_round_trip(url, &c, &k);
				worst = v > worst ? v : worst;
				free(url);
			}
	assert_true(worst <= CERT_QR_VERSION);
	/* The typical certificate: short names, a short base URL. */
	struct cert c;
	make(&c, "张三", "北京市第一职业技术学院");
	keypair(&k, 9, "CITY2026");
	char *url = url_of(&c, &k, "https://results.example.org", NULL);
	typical = check_round_trip(url, &c, &k);
	free(url);
	print_message("QR versions: typical %d, worst at the limits %d\n", typical, worst);
}

static void test_changed_character_is_never_genuine(void **state)
{
	(void)state;
	struct keypair k;
	keypair(&k, 7, "CITY2026");
	struct cert c;
	make(&c, "张三", "北京市第一职业技术学院");
	char *url = url_of(&c, &k, "https://results.example.org", NULL);
	static const char alpha[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ$*-.:";
	size_t start = strlen("HTTPS://RESULTS.EXAMPLE.ORG/V/"), n = strlen(url);
	int forged = 0, damaged = 0, unknown = 0;
	for (size_t i = start; i < n; i++) {
		char orig = url[i];
		for (const char *a = alpha; *a; a++) {
			if (*a == orig)
				continue;
			url[i] = *a;
			struct cert_claim cl;
			if (cert_claim_decode(url, n, &cl, NULL) != CT_OK) {
				damaged++;
				continue;
			}
			enum cert_verdict v = cert_claim_verify(&cl, &k.key, 1);
			if (v == CERT_GENUINE)
				fail_msg("changed character %zu ('%c' -> '%c') verified as genuine", i, orig, *a);
			if (v == CERT_UNKNOWN_KEY) {
				assert_memory_not_equal(cl.key_id, k.key.id, CERT_KEY_ID_BYTES);
				unknown++;
			} else {
				forged++;
			}
		}
		url[i] = orig;
	}
	print_message("one changed character: %d forged, %d damaged, %d unknown key\n", forged, damaged, unknown);
	assert_true(forged > damaged); /* most changes decode and fail the signature */
	free(url);
}

/* Encodes bin as a payload URL for the decoder. */
static enum ct_status decode_bin(const uint8_t *bin, size_t n, struct cert_claim *cl, struct ct_err *err)
{
	char text[2048];
	base45_encode(BASE45_URL, bin, n, text);
	return cert_claim_decode(text, strlen(text), cl, err);
}

static void test_decode_rejects(void **state)
{
	(void)state;
	struct cert_claim cl;
	struct ct_err err;
	static const char *const bad_text[] = {"", "   ", "https://results.example.org/V/", "HELLO",
					       "https://x.org/V/AB%20CD", "https://x.org/V/ÀB"};
	for (size_t i = 0; i < sizeof bad_text / sizeof *bad_text; i++) {
		ct_err_clear(&err);
		if (cert_claim_decode(bad_text[i], strlen(bad_text[i]), &cl, &err) != CT_INVALID)
			fail_msg("\"%s\" was accepted", bad_text[i]);
		assert_true(err.msg[0] != '\0');
	}
	char huge[CERT_PAYLOAD_MAX + 2];
	memset(huge, 'A', sizeof huge - 1);
	huge[sizeof huge - 1] = '\0';
	assert_int_equal(cert_claim_decode(huge, strlen(huge), &cl, NULL), CT_TOO_LARGE);

	/* A valid binary payload, then one defect at a time. Layout: header,
	 * key id, id, rank, total, day, event, holder, organization, signature. */
	uint8_t good[200];
	size_t n = 0;
	good[n++] = 0x40 | 1 << 4 | 0 << 2 | 0; /* version 1, award 1, UTF-8, UTF-8 */
	memset(good + n, 0xAB, 4), n += 4;
	memset(good + n, 0x11, 10), n += 10;
	good[n++] = 3;                          /* rank */
	good[n++] = 0xAE, good[n++] = 0x44;     /* total 8750 */
	good[n++] = 0xF1, good[n++] = 0xA0, good[n++] = 0x01; /* day 20593 */
	good[n++] = 3, memcpy(good + n, "CNC", 3), n += 3;
	good[n++] = 2, memcpy(good + n, "Li", 2), n += 2;
	size_t org_at = n;
	good[n++] = 0;
	size_t sig_at = n;
	memset(good + n, 0x5A, 64), n += 64;
	ct_err_clear(&err);
	if (decode_bin(good, n, &cl, &err) != CT_OK)
		fail_msg("the good payload was rejected: %s", err.msg);
	assert_string_equal(cl.cert.holder, "Li");
	assert_int_equal(cl.cert.total_c, 8750);
	assert_int_equal(cl.cert.issue_day, 20593);

	uint8_t b[220];
	/* Truncated anywhere, or one byte too many. */
	for (size_t cut = 0; cut < n; cut++)
		assert_int_equal(decode_bin(good, cut, &cl, NULL), CT_INVALID);
	memcpy(b, good, n), b[n] = 0;
	assert_int_equal(decode_bin(b, n + 1, &cl, NULL), CT_INVALID);
	/* Unknown version, award 0, both names as separate digests, a names
	 * form for one only. */
	static const uint8_t headers[] = {0x00 | 1 << 4, 0x80 | 1 << 4, 0xC0 | 1 << 4, 0x40, 0x40 | 1 << 4 | 2 << 2 | 2,
					  0x40 | 1 << 4 | 3 << 2 | 0, 0x40 | 1 << 4 | 0 << 2 | 3};
	for (size_t i = 0; i < sizeof headers; i++) {
		memcpy(b, good, n), b[0] = headers[i];
		assert_int_equal(decode_bin(b, n, &cl, NULL), CT_INVALID);
	}
	/* Rank 0; a non-minimal varint (3 as 0x83 0x00). */
	memcpy(b, good, n), b[15] = 0;
	assert_int_equal(decode_bin(b, n, &cl, NULL), CT_INVALID);
	memcpy(b, good, 15), b[15] = 0x83, b[16] = 0x00, memcpy(b + 17, good + 16, n - 16);
	assert_int_equal(decode_bin(b, n + 1, &cl, NULL), CT_INVALID);
	/* A bad character in the event code; an event code of length 33. */
	memcpy(b, good, n), b[22] = '/';
	assert_int_equal(decode_bin(b, n, &cl, NULL), CT_INVALID);
	memcpy(b, good, n), b[21] = 33;
	assert_int_equal(decode_bin(b, n, &cl, NULL), CT_INVALID);
	/* A holder that is not UTF-8, that holds a NUL, that is empty. */
	memcpy(b, good, n), b[26] = 0xFF;
	assert_int_equal(decode_bin(b, n, &cl, NULL), CT_INVALID);
	memcpy(b, good, n), b[26] = 0x00;
	assert_int_equal(decode_bin(b, n, &cl, NULL), CT_INVALID);
	/* GB18030 text: 张三 (D5C5 C8FD) is fine; a character outside the stable
	 * set (U+2014, A1AA) and invalid GB18030 are not. */
	static const uint8_t gb_good[] = {0xD5, 0xC5, 0xC8, 0xFD};
	static const uint8_t gb_dash[] = {0xD5, 0xC5, 0xA1, 0xAA};
	static const uint8_t gb_bad[] = {0xD5, 0xC5, 0xFF, 0x30};
	const uint8_t *gbs[] = {gb_good, gb_dash, gb_bad};
	for (int g = 0; g < 3; g++) {
		size_t m = 0;
		memcpy(b, good, 25), m = 25;
		b[0] = 0x40 | 1 << 4 | 1 << 2 | 0;
		b[m++] = 4, memcpy(b + m, gbs[g], 4), m += 4;
		memcpy(b + m, good + org_at, n - org_at), m += n - org_at;
		enum ct_status rc = decode_bin(b, m, &cl, NULL);
		assert_int_equal(rc, g == 0 ? CT_OK : CT_INVALID);
		if (g == 0)
			assert_string_equal(cl.cert.holder, "张三");
	}
	(void)sig_at;
}

static void test_url_base_rejects(void **state)
{
	(void)state;
	struct keypair k;
	keypair(&k, 7, "CITY2026");
	struct cert c;
	make(&c, "张三", "");
	uint8_t kid[CERT_KEY_ID_BYTES], sig[CERT_SIG_BYTES];
	assert_int_equal(cert_sign(&c, k.sk, kid, sig, NULL), CT_OK);
	static const char *const bad[] = {
		"ftp://results.example.org", "https://", "https:///x", "https://x.org/a?b=1", "https://x.org/#v",
		"https://x y.org", "https://x.org/a b", "https://例子.cn", "results.example.org",
		"https://abcdefghijklmnopqrstuvwxyz.example.org/abcdefghijklmn", /* 61 */
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char *url = (char *)"unchanged";
		struct ct_err err;
		ct_err_clear(&err);
		if (cert_url(&c, kid, sig, bad[i], &url, NULL, &err) != CT_INVALID)
			fail_msg("base URL \"%s\" was accepted", bad[i]);
		assert_null(url);
		assert_true(err.msg[0] != '\0');
	}
	/* A trailing slash does not count toward the 60. */
	char *url;
	assert_int_equal(cert_url(&c, kid, sig, "https://abcdefghijklmnopqrstuvwxyz.example.org/abcdefghijklm/",
				  &url, NULL, NULL),
			 CT_OK);
	free(url);
}

/* ---- QR arithmetic and renderings ---- */

static void test_qr_bits(void **state)
{
	(void)state;
	assert_int_equal(qr_capacity_bits(1), 128);
	assert_int_equal(qr_capacity_bits(10), 1728);
	assert_int_equal(qr_capacity_bits(40), 18672);
	/* 4-bit mode, 11-bit count at version 10, 11 bits a pair, 6 a single. */
	assert_int_equal(qr_text_bits("HTTPS://A.CN", 12, 10), 4 + 11 + 6 * 11);
	assert_int_equal(qr_text_bits("abc", 3, 10), 4 + 16 + 24);
	/* "ABCabcABC": one byte segment (92) beats three segments (108). */
	assert_int_equal(qr_text_bits("ABCabcABC", 9, 10), 4 + 16 + 72);
	/* Version 1..9 counts: 9 bits alphanumeric, 8 bits byte. */
	assert_int_equal(qr_text_bits("AB", 2, 9), 4 + 9 + 11);
	/* 311 alphanumeric characters fill version 10-M; 312 do not. */
	char an[313];
	memset(an, 'A', sizeof an);
	an[312] = '\0';
	assert_true(qr_fits(an, 311, 10));
	assert_false(qr_fits(an, 312, 10));
	struct qr q;
	assert_int_equal(qr_encode(an, 311, 10, &q, NULL), CT_OK);
	assert_int_equal(q.version, 10);
	assert_int_equal(q.width, 57);
	qr_free(&q);
	struct ct_err err;
	ct_err_clear(&err);
	assert_int_equal(qr_encode(an, 312, 10, &q, &err), CT_TOO_LARGE);
	assert_true(err.msg[0] != '\0');
	assert_int_equal(qr_encode(an, 0, 10, &q, NULL), CT_INVALID);
}

static void test_qr_renderings(void **state)
{
	(void)state;
	struct qr q;
	assert_int_equal(qr_encode("HTTPS://A.CN/V/123", 18, 10, &q, NULL), CT_OK);
	assert_int_equal(q.version, 1);
	struct buf png = {0};
	assert_int_equal(qr_png(&q, 5, &png, NULL), CT_OK);
	assert_memory_equal(png.data, "\x89PNG\r\n\x1a\n", 8);
	/* IHDR: width and height (21 + 8) * 5 = 145, bit depth 1, greyscale. */
	static const uint8_t ihdr[] = {'I', 'H', 'D', 'R', 0, 0, 0, 145, 0, 0, 0, 145, 1, 0};
	assert_memory_equal(png.data + 12, ihdr, sizeof ihdr);
	assert_int_equal(qr_png(&q, 0, &png, NULL), CT_INVALID);
	buf_free(&png);
	struct buf svg = {0};
	qr_svg(&q, 30, &svg);
	assert_non_null(strstr(svg.data, "viewBox=\"0 0 29 29\""));
	assert_non_null(strstr(svg.data, "width=\"30mm\""));
	assert_non_null(strstr(svg.data, "shape-rendering=\"crispEdges\""));
	/* The top-left finder pattern starts with a run of 7 dark modules at the
	 * quiet zone's corner. */
	assert_non_null(strstr(svg.data, "d=\"M4,4h7v1h-7z"));
	buf_free(&svg);
	qr_free(&q);
}

/* The certificate SVG of holder and organization with the other texts
 * given, into svg (the caller frees it). */
static void render(const char *holder, const char *organization, const char *contest_name, const char *event_name,
		   const char *hint, struct buf *svg)
{
	struct keypair k;
	keypair(&k, 7, "CITY2026");
	struct cert c;
	make(&c, holder, organization);
	char *url = url_of(&c, &k, "https://results.example.org", NULL);
	struct qr q;
	assert_int_equal(qr_encode(url, strlen(url), 10, &q, NULL), CT_OK);
	struct certdoc d = {&c, contest_name, event_name, hint, &q};
	certdoc_svg(&d, svg);
	qr_free(&q);
	free(url);
}

static void test_certdoc_escapes_every_text(void **state)
{
	(void)state;
	struct buf svg = {0};
	render("<b>张&三</b>", "\"学院\" & 'Co'", "2026年<市>职业技能大赛", "数控铣 & 车", "https://x.org/?a=1&b=2", &svg);
	assert_non_null(strstr(svg.data, "&lt;b&gt;张&amp;三&lt;/b&gt;"));
	assert_non_null(strstr(svg.data, "&quot;学院&quot; &amp; &#39;Co&#39;"));
	assert_non_null(strstr(svg.data, "在2026年&lt;市&gt;职业技能大赛"));
	assert_non_null(strstr(svg.data, "数控铣 &amp; 车 赛项中荣获"));
	assert_non_null(strstr(svg.data, "?a=1&amp;b=2"));
	assert_null(strstr(svg.data, "<b>"));
	assert_null(strstr(svg.data, "& "));
	assert_non_null(strstr(svg.data, "一等奖"));
	assert_non_null(strstr(svg.data, "width=\"210mm\" height=\"297mm\""));
	assert_non_null(strstr(svg.data, "Noto Serif CJK SC"));
	assert_non_null(strstr(svg.data, "Noto Sans CJK SC"));
	assert_non_null(strstr(svg.data, "000G-40R4-0M30-E209-Z"));
	assert_non_null(strstr(svg.data, "2026年5月20日"));
	assert_non_null(strstr(svg.data, "第 3 名"));
	assert_non_null(strstr(svg.data, "87.50"));
	buf_free(&svg);
}

/* A closing bracket never begins a line nor an opening one ends it (the
 * issuer's block is narrow: "（演示）" must wrap). */
static void test_certdoc_line_breaks(void **state)
{
	(void)state;
	struct buf svg = {0};
	render("张三", "北京市第一职业技术学院", "2026年市职业技能大赛（演示）", "数控铣", NULL, &svg);
	assert_null(strstr(svg.data, ">）"));
	assert_null(strstr(svg.data, "（</text>"));
	assert_non_null(strstr(svg.data, ">示）</text>")); /* wrapped, with its mark */
	buf_free(&svg);
}

static int setup(void **state)
{
	(void)state;
	return sodium_init() < 0 ? -1 : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_id_format_golden),
		cmocka_unit_test(test_id_parse_as_typed),
		cmocka_unit_test(test_id_catches_every_substitution_and_transposition),
		cmocka_unit_test(test_id_new_is_random),
		cmocka_unit_test(test_days),
		cmocka_unit_test(test_set_rejects),
		cmocka_unit_test(test_canonical_golden),
		cmocka_unit_test(test_key_id),
		cmocka_unit_test(test_sign_verify),
		cmocka_unit_test(test_payload_round_trip),
		cmocka_unit_test(test_payload_long_names),
		cmocka_unit_test(test_qr_version_at_the_limits),
		cmocka_unit_test(test_changed_character_is_never_genuine),
		cmocka_unit_test(test_decode_rejects),
		cmocka_unit_test(test_url_base_rejects),
		cmocka_unit_test(test_qr_bits),
		cmocka_unit_test(test_qr_renderings),
		cmocka_unit_test(test_certdoc_escapes_every_text),
		cmocka_unit_test(test_certdoc_line_breaks),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
