/* Certificate ids, signed fields, canonical encoding, signatures and QR
 * payload URLs. The formats are specified byte by byte in
 * docs/CERTIFICATES.md; this file is their reference implementation. */
#include "cert.h"

#include <assert.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "base45.h"
#include "buf.h"
#include "decimal.h"
#include "qr.h"
#include "xmalloc.h"

/* ---- Certificate ids ---------------------------------------------------- */

/* Crockford's base32: no I, L, O (read as 1, 1, 0) and no U. */
static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

#define ID_SYMBOLS 16 /* 80 bits / 5 */

/* Multiplication in GF(32) = GF(2)[x] / (x^5 + x^2 + 1), a primitive
 * polynomial, so x (= 2) has order 31. */
static unsigned gf32_mul(unsigned a, unsigned b)
{
	unsigned r = 0;
	for (int i = 0; i < 5; i++) {
		if (b & 1)
			r ^= a;
		b >>= 1;
		a <<= 1;
		if (a & 0x20)
			a ^= 0x25;
	}
	return r;
}

/* The check symbol: c = sum over i of x^(i+1) * v[i] in GF(32), so that the
 * 17 weights x^0 (the check itself) .. x^16 are distinct and non-zero: a
 * change of any one symbol changes the sum, and so does swapping two
 * different symbols (their weights differ). */
static unsigned id_check(const unsigned v[ID_SYMBOLS])
{
	unsigned c = 0, w = 1;
	for (int i = 0; i < ID_SYMBOLS; i++) {
		w = gf32_mul(w, 2);
		c ^= gf32_mul(w, v[i]);
	}
	return c;
}

static void id_symbols(const uint8_t id[CERT_ID_BYTES], unsigned v[ID_SYMBOLS])
{
	/* 80 bits, big-endian, five at a time. */
	for (int i = 0; i < ID_SYMBOLS; i++) {
		unsigned bit = (unsigned)i * 5, s = 0;
		for (unsigned k = 0; k < 5; k++, bit++)
			s = s << 1 | (id[bit / 8] >> (7 - bit % 8) & 1u);
		v[i] = s;
	}
}

void cert_id_new(uint8_t id[CERT_ID_BYTES])
{
	randombytes_buf(id, CERT_ID_BYTES);
}

void cert_id_format(const uint8_t id[CERT_ID_BYTES], char out[CERT_ID_TEXT_MAX])
{
	unsigned v[ID_SYMBOLS];
	id_symbols(id, v);
	size_t o = 0;
	for (int i = 0; i < ID_SYMBOLS; i++) {
		if (i && i % 4 == 0)
			out[o++] = '-';
		out[o++] = crockford[v[i]];
	}
	out[o++] = '-';
	out[o++] = crockford[id_check(v)];
	out[o] = '\0';
	assert(o < CERT_ID_TEXT_MAX);
}

/* The value of a typed symbol, or -1. */
static int crockford_value(char c)
{
	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	if (c == 'O')
		return 0;
	if (c == 'I' || c == 'L')
		return 1;
	const char *p = c ? strchr(crockford, c) : NULL;
	return p ? (int)(p - crockford) : -1;
}

enum cert_id_check cert_id_parse(const char *text, uint8_t id[CERT_ID_BYTES])
{
	unsigned v[ID_SYMBOLS + 1];
	size_t n = 0;
	bool too_long = false;
	for (const char *p = text; *p; p++) {
		if (*p == '-' || *p == ' ')
			continue;
		int d = crockford_value(*p);
		if (d < 0)
			return CERT_ID_MALFORMED;
		if (n == ID_SYMBOLS + 1)
			too_long = true;
		else
			v[n++] = (unsigned)d;
	}
	if (too_long || n != ID_SYMBOLS + 1 || id_check(v) != v[ID_SYMBOLS])
		return CERT_ID_MISTYPED;
	memset(id, 0, CERT_ID_BYTES);
	for (unsigned i = 0, bit = 0; i < ID_SYMBOLS; i++)
		for (int k = 4; k >= 0; k--, bit++)
			id[bit / 8] |= (uint8_t)((v[i] >> k & 1u) << (7 - bit % 8));
	return CERT_ID_VALID;
}

/* ---- Dates ---------------------------------------------------------------- */

/* Howard Hinnant's days_from_civil / civil_from_days. */
int32_t cert_day_from_civil(int32_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int32_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int32_t)doe - 719468;
}

static void civil_from_day(int32_t z, int32_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int32_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int32_t)yoe + era * 400 + (*m <= 2);
}

#define DAY_MAX 2932896 /* 9999-12-31 */

bool cert_day_parse(const char *t, int32_t *day)
{
	for (int i = 0; i < 10; i++) {
		bool dash = i == 4 || i == 7;
		if (dash ? t[i] != '-' : !(t[i] >= '0' && t[i] <= '9'))
			return false;
	}
	if (t[10] != '\0' && t[10] != 'T')
		return false;
	int32_t y = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
	unsigned m = (unsigned)((t[5] - '0') * 10 + (t[6] - '0'));
	unsigned d = (unsigned)((t[8] - '0') * 10 + (t[9] - '0'));
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > 31)
		return false;
	int32_t z = cert_day_from_civil(y, m, d);
	int32_t yy;
	unsigned mm, dd;
	civil_from_day(z, &yy, &mm, &dd);
	if (yy != y || mm != m || dd != d) /* 2026-02-30 and the like */
		return false;
	*day = z;
	return true;
}

void cert_day_format(int32_t day, char out[11])
{
	int32_t y;
	unsigned m, d;
	civil_from_day(day, &y, &m, &d);
	snprintf(out, 11, "%04d-%02u-%02u", (int)y, m, d);
}

/* ---- Field checks ------------------------------------------------------- */

/* Decodes one UTF-8 sequence at s (n bytes left) into *cp; returns its length
 * or 0 if it is not valid UTF-8 (overlong, surrogate, above U+10FFFF). */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 0;
	if (len == 0 || len > n || s[0] > 0xF4)
		return 0;
	uint32_t c = s[0] & (0x7Fu >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3Fu);
	}
	static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
	if (c < min[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

static enum ct_status check_code(const char *field, const char *s, struct ct_err *err)
{
	size_t n = strlen(s);
	if (n == 0 || n > CERT_CODE_MAX)
		return ct_fail(err, CT_INVALID, "%s code must have 1 to %d characters", field, CERT_CODE_MAX);
	for (const char *p = s; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '-' || *p == '_' || *p == '.'))
			return ct_fail(err, CT_INVALID, "%s code may only contain letters, digits, '-', '_' and '.'",
				       field);
	return CT_OK;
}

enum ct_status cert_text_check(const char *field, const char *s, size_t min_len, size_t max_len, struct ct_err *err)
{
	size_t n = strlen(s);
	if (n < min_len || n > max_len)
		return ct_fail(err, CT_INVALID, "%s must have %zu to %zu bytes of UTF-8", field, min_len, max_len);
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = utf8_next(u + i, n - i, &cp);
		if (k == 0)
			return ct_fail(err, CT_INVALID, "%s is not valid UTF-8 (byte %zu)", field, i + 1);
		if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
			return ct_fail(err, CT_INVALID, "%s contains a control character (byte %zu)", field, i + 1);
		i += k;
	}
	return CT_OK;
}

/* Everything but the contest code and the names, which a claim may lack. */
static enum ct_status check_numbers(const struct cert *c, struct ct_err *err)
{
	if (c->award < 1 || c->award > 3)
		return ct_fail(err, CT_INVALID, "award must be 1, 2 or 3");
	if (c->rank < 1 || c->rank > CERT_RANK_MAX)
		return ct_fail(err, CT_INVALID, "rank must be 1 to %d", CERT_RANK_MAX);
	if (c->total_c < 0 || c->total_c > DEC_MAX_C)
		return ct_fail(err, CT_INVALID, "total is out of range");
	if (c->issue_day < 0 || c->issue_day > DAY_MAX)
		return ct_fail(err, CT_INVALID, "issue date must be from 1970-01-01 to 9999-12-31");
	return check_code("event", c->event, err);
}

static enum ct_status check_cert(const struct cert *c, struct ct_err *err)
{
	enum ct_status rc = check_code("contest", c->contest, err);
	if (rc == CT_OK)
		rc = check_numbers(c, err);
	if (rc == CT_OK)
		rc = cert_text_check("holder", c->holder, 1, CERT_TEXT_MAX, err);
	if (rc == CT_OK)
		rc = cert_text_check("organization", c->organization, 0, CERT_TEXT_MAX, err);
	return rc;
}

/* Copies a string that must fit: the checks after it reject what is longer. */
static enum ct_status copy_field(char *dst, size_t cap, const char *src, const char *field, struct ct_err *err)
{
	size_t n = strlen(src);
	if (n >= cap)
		return ct_fail(err, CT_INVALID, "%s is longer than %zu bytes", field, cap - 1);
	memcpy(dst, src, n + 1);
	return CT_OK;
}

enum ct_status cert_set(struct cert *c, const uint8_t id[CERT_ID_BYTES], const char *contest, const char *event,
			const char *holder, const char *organization, unsigned award, uint32_t rank, int64_t total_c,
			int32_t issue_day, struct ct_err *err)
{
	memset(c, 0, sizeof *c);
	memcpy(c->id, id, CERT_ID_BYTES);
	enum ct_status rc = copy_field(c->contest, sizeof c->contest, contest, "contest code", err);
	if (rc == CT_OK)
		rc = copy_field(c->event, sizeof c->event, event, "event code", err);
	if (rc == CT_OK)
		rc = copy_field(c->holder, sizeof c->holder, holder, "holder", err);
	if (rc == CT_OK)
		rc = copy_field(c->organization, sizeof c->organization, organization ? organization : "",
				"organization", err);
	if (rc != CT_OK)
		return rc;
	c->award = award;
	c->rank = rank;
	c->total_c = total_c;
	c->issue_day = issue_day;
	return check_cert(c, err);
}

const char *cert_award_name(unsigned award)
{
	switch (award) {
	case 1: return "一等奖";
	case 2: return "二等奖";
	case 3: return "三等奖";
	}
	return "";
}

/* ---- Canonical encoding --------------------------------------------------- */

static void blake2b_16(const uint8_t id[CERT_ID_BYTES], const char *personal, const uint8_t *in, size_t n,
		       uint8_t out[CERT_DIGEST_BYTES])
{
	uint8_t salt[crypto_generichash_blake2b_SALTBYTES] = {0};
	uint8_t pers[crypto_generichash_blake2b_PERSONALBYTES] = {0};
	memcpy(salt, id, CERT_ID_BYTES);
	memcpy(pers, personal, strlen(personal));
	crypto_generichash_blake2b_salt_personal(out, CERT_DIGEST_BYTES, in, n, NULL, 0, salt, pers);
}

static void text_digest(const uint8_t id[CERT_ID_BYTES], const char *personal, const char *text,
			uint8_t out[CERT_DIGEST_BYTES])
{
	blake2b_16(id, personal, (const uint8_t *)text, strlen(text), out);
}

#define PERS_HOLDER "CT-CERT holder"
#define PERS_ORG    "CT-CERT org"
#define PERS_NAMES  "CT-CERT names"

static void names_digest(const uint8_t id[CERT_ID_BYTES], const uint8_t h_holder[CERT_DIGEST_BYTES],
			 const uint8_t h_org[CERT_DIGEST_BYTES], uint8_t out[CERT_DIGEST_BYTES])
{
	uint8_t both[2 * CERT_DIGEST_BYTES];
	memcpy(both, h_holder, CERT_DIGEST_BYTES);
	memcpy(both + CERT_DIGEST_BYTES, h_org, CERT_DIGEST_BYTES);
	blake2b_16(id, PERS_NAMES, both, sizeof both, out);
}

static void cert_names_digest(const struct cert *c, uint8_t out[CERT_DIGEST_BYTES])
{
	uint8_t h[CERT_DIGEST_BYTES], o[CERT_DIGEST_BYTES];
	text_digest(c->id, PERS_HOLDER, c->holder, h);
	text_digest(c->id, PERS_ORG, c->organization, o);
	names_digest(c->id, h, o, out);
}

static size_t put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
	return 4;
}

static size_t put_code(uint8_t *p, const char *s)
{
	size_t n = strlen(s);
	assert(n <= CERT_CODE_MAX);
	p[0] = (uint8_t)n;
	memcpy(p + 1, s, n);
	return 1 + n;
}

/* The canonical encoding of the fields with contest and names digest given
 * separately (a claim has them from the key and from digests). */
static size_t canonical(const struct cert *c, const char *contest, const uint8_t names[CERT_DIGEST_BYTES],
			const uint8_t key_id[CERT_KEY_ID_BYTES], uint8_t out[CERT_CANONICAL_MAX])
{
	size_t o = 0;
	memcpy(out, "CT-CERT\x01", 8);
	o += 8;
	memcpy(out + o, key_id, CERT_KEY_ID_BYTES);
	o += CERT_KEY_ID_BYTES;
	memcpy(out + o, c->id, CERT_ID_BYTES);
	o += CERT_ID_BYTES;
	out[o++] = (uint8_t)c->award;
	o += put_u32(out + o, c->rank);
	o += put_u32(out + o, (uint32_t)c->total_c);
	o += put_u32(out + o, (uint32_t)c->issue_day);
	o += put_code(out + o, contest);
	o += put_code(out + o, c->event);
	memcpy(out + o, names, CERT_DIGEST_BYTES);
	o += CERT_DIGEST_BYTES;
	assert(o <= CERT_CANONICAL_MAX);
	return o;
}

size_t cert_canonical(const struct cert *c, const uint8_t key_id[CERT_KEY_ID_BYTES],
		      uint8_t out[CERT_CANONICAL_MAX])
{
	uint8_t names[CERT_DIGEST_BYTES];
	cert_names_digest(c, names);
	return canonical(c, c->contest, names, key_id, out);
}

/* ---- Keys, signing, verification --------------------------------------- */

void cert_key_id(const uint8_t pk[CERT_PK_BYTES], uint8_t key_id[CERT_KEY_ID_BYTES])
{
	uint8_t h[32];
	crypto_generichash_blake2b(h, sizeof h, pk, CERT_PK_BYTES, NULL, 0);
	memcpy(key_id, h, CERT_KEY_ID_BYTES);
}

void cert_key_id_format(const uint8_t key_id[CERT_KEY_ID_BYTES], char out[CERT_KEY_ID_TEXT])
{
	sodium_bin2hex(out, CERT_KEY_ID_TEXT, key_id, CERT_KEY_ID_BYTES);
}

enum ct_status cert_key_set(struct cert_key *k, const uint8_t pk[CERT_PK_BYTES], const char *contest,
			    struct ct_err *err)
{
	memset(k, 0, sizeof *k);
	enum ct_status rc = check_code("contest", contest, err);
	if (rc != CT_OK)
		return rc;
	memcpy(k->pk, pk, CERT_PK_BYTES);
	cert_key_id(pk, k->id);
	memcpy(k->contest, contest, strlen(contest) + 1);
	return CT_OK;
}

enum ct_status cert_sign(const struct cert *c, const uint8_t sk[CERT_SK_BYTES], uint8_t key_id[CERT_KEY_ID_BYTES],
			 uint8_t sig[CERT_SIG_BYTES], struct ct_err *err)
{
	enum ct_status rc = check_cert(c, err);
	if (rc != CT_OK)
		return rc;
	uint8_t pk[CERT_PK_BYTES], msg[CERT_CANONICAL_MAX];
	crypto_sign_ed25519_sk_to_pk(pk, sk);
	cert_key_id(pk, key_id);
	size_t n = cert_canonical(c, key_id, msg);
	crypto_sign_detached(sig, NULL, msg, n, sk);
	return CT_OK;
}

/* Tries every key with the id; contest NULL means each key's own contest.
 * *which gets the index of the key that verified. */
static enum cert_verdict verify_with(const struct cert *c, const char *contest, const uint8_t names[CERT_DIGEST_BYTES],
				     const uint8_t key_id[CERT_KEY_ID_BYTES], const uint8_t sig[CERT_SIG_BYTES],
				     const struct cert_key *keys, size_t n, size_t *which)
{
	enum cert_verdict v = CERT_UNKNOWN_KEY;
	for (size_t i = 0; i < n; i++) {
		if (memcmp(keys[i].id, key_id, CERT_KEY_ID_BYTES) != 0)
			continue;
		uint8_t msg[CERT_CANONICAL_MAX];
		size_t len = canonical(c, contest ? contest : keys[i].contest, names, key_id, msg);
		if (crypto_sign_verify_detached(sig, msg, len, keys[i].pk) == 0) {
			*which = i;
			return CERT_GENUINE;
		}
		v = CERT_FORGED;
	}
	return v;
}

enum cert_verdict cert_verify(const struct cert *c, const uint8_t key_id[CERT_KEY_ID_BYTES],
			      const uint8_t sig[CERT_SIG_BYTES], const struct cert_key *keys, size_t n)
{
	uint8_t names[CERT_DIGEST_BYTES];
	size_t which;
	bool known = false;
	for (size_t i = 0; i < n && !known; i++)
		known = memcmp(keys[i].id, key_id, CERT_KEY_ID_BYTES) == 0;
	if (!known)
		return CERT_UNKNOWN_KEY;
	if (check_cert(c, NULL) != CT_OK) /* fields no signer could have signed */
		return CERT_FORGED;
	cert_names_digest(c, names);
	return verify_with(c, c->contest, names, key_id, sig, keys, n, &which);
}

const char *cert_verdict_name(enum cert_verdict v)
{
	switch (v) {
	case CERT_GENUINE: return "genuine";
	case CERT_FORGED: return "forged";
	case CERT_UNKNOWN_KEY: return "unknown_key";
	}
	return "forged";
}

/* ---- Text transport --------------------------------------------------- */

/* Characters sent as GB18030: printable ASCII, the unified ideographs of GBK
 * (U+4E00..U+9FA5) and a few punctuation marks common in names. Their
 * mappings are the same in GBK and every edition of GB18030 (2000, 2005,
 * 2022), so any decoder gets back exactly the signed UTF-8; text with other
 * characters travels as UTF-8. */
static bool gb_stable(uint32_t cp)
{
	return (cp >= 0x20 && cp <= 0x7E) || (cp >= 0x4E00 && cp <= 0x9FA5) || cp == 0x00B7 /* · */ ||
	       cp == 0x3001 /* 、 */ || cp == 0x3002 /* 。 */ || cp == 0xFF08 /* （ */ || cp == 0xFF09 /* ） */;
}

static bool all_gb_stable(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = utf8_next(u + i, n - i, &cp);
		if (k == 0 || !gb_stable(cp))
			return false;
		i += k;
	}
	return true;
}

/* Converts with iconv; false on any conversion error or if out is too small. */
static bool convert(const char *to, const char *from, const char *in, size_t n, char *out, size_t cap,
		    size_t *out_n)
{
	iconv_t cd = iconv_open(to, from);
	if (cd == (iconv_t)-1)
		return false;
	char *ip = (char *)(uintptr_t)in; /* iconv's prototype is not const-correct */
	char *op = out;
	size_t il = n, ol = cap;
	bool ok = iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 && iconv(cd, NULL, NULL, &op, &ol) != (size_t)-1 &&
		  il == 0;
	iconv_close(cd);
	*out_n = cap - ol;
	return ok;
}

/* ---- Payload ----------------------------------------------------------- */

#define PAYLOAD_VERSION 1
#define PAYLOAD_BIN_MAX (CERT_PAYLOAD_MAX / 3 * 2 + 1)

static size_t put_varint(uint8_t *p, uint32_t v)
{
	size_t n = 0;
	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

/* How one name will travel: its form and, for text, the bytes. */
struct carried {
	enum cert_text_form form;
	char bytes[CERT_TEXT_MAX];
	size_t n;
};

static void carry_text(const char *s, struct carried *t)
{
	size_t n = strlen(s);
	t->form = CERT_FORM_UTF8;
	memcpy(t->bytes, s, n);
	t->n = n;
	char gb[CERT_TEXT_MAX];
	size_t gn;
	if (all_gb_stable(s, n) && convert("GB18030", "UTF-8", s, n, gb, sizeof gb, &gn) && gn < n) {
		t->form = CERT_FORM_GB18030;
		memcpy(t->bytes, gb, gn);
		t->n = gn;
	}
}

static size_t put_name(uint8_t *p, const struct carried *t, const uint8_t id[CERT_ID_BYTES], const char *personal,
		       const char *text)
{
	switch (t->form) {
	case CERT_FORM_UTF8:
	case CERT_FORM_GB18030: {
		size_t o = put_varint(p, (uint32_t)t->n);
		memcpy(p + o, t->bytes, t->n);
		return o + t->n;
	}
	case CERT_FORM_DIGEST:
		text_digest(id, personal, text, p);
		return CERT_DIGEST_BYTES;
	case CERT_FORM_NAMES:
		break;
	}
	return 0;
}

/* Writes the binary payload for the given forms; returns its length. */
static size_t payload_bin(const struct cert *c, const uint8_t key_id[CERT_KEY_ID_BYTES],
			  const uint8_t sig[CERT_SIG_BYTES], const struct carried *h, const struct carried *o,
			  uint8_t *out)
{
	size_t n = 0;
	out[n++] = (uint8_t)(PAYLOAD_VERSION << 6 | c->award << 4 | (unsigned)h->form << 2 | (unsigned)o->form);
	memcpy(out + n, key_id, CERT_KEY_ID_BYTES);
	n += CERT_KEY_ID_BYTES;
	memcpy(out + n, c->id, CERT_ID_BYTES);
	n += CERT_ID_BYTES;
	n += put_varint(out + n, c->rank);
	n += put_varint(out + n, (uint32_t)c->total_c);
	n += put_varint(out + n, (uint32_t)c->issue_day);
	n += put_code(out + n, c->event);
	n += put_name(out + n, h, c->id, PERS_HOLDER, c->holder);
	n += put_name(out + n, o, c->id, PERS_ORG, c->organization);
	if (h->form == CERT_FORM_NAMES) {
		cert_names_digest(c, out + n);
		n += CERT_DIGEST_BYTES;
	}
	memcpy(out + n, sig, CERT_SIG_BYTES);
	n += CERT_SIG_BYTES;
	assert(n <= PAYLOAD_BIN_MAX);
	return n;
}

static bool url_path_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || strchr("-._~!$&'()*+,;=:@/%", c);
}

/* Checks the base URL and writes its QR form (scheme and host upper case). */
static enum ct_status base_prefix(const char *base, struct buf *out, struct ct_err *err)
{
	size_t n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		n--;
	if (n > CERT_BASE_URL_MAX)
		return ct_fail(err, CT_INVALID, "the public base URL is longer than %d characters", CERT_BASE_URL_MAX);
	size_t host;
	if (n >= 7 && strncasecmp(base, "http://", 7) == 0)
		host = 7;
	else if (n >= 8 && strncasecmp(base, "https://", 8) == 0)
		host = 8;
	else
		return ct_fail(err, CT_INVALID, "the public base URL must start with http:// or https://");
	size_t path = host;
	while (path < n && base[path] != '/') {
		char c = base[path];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
		      c == '.' || c == ':' || c == '[' || c == ']'))
			return ct_fail(err, CT_INVALID, "the public base URL has a bad character in its host");
		path++;
	}
	if (path == host)
		return ct_fail(err, CT_INVALID, "the public base URL has no host");
	for (size_t i = path; i < n; i++)
		if (!url_path_char(base[i]) || base[i] == '\0')
			return ct_fail(err, CT_INVALID, "the public base URL may not contain '%c' (no query, fragment, "
				       "space or non-ASCII; percent-encode the path)", base[i]);
	for (size_t i = 0; i < path; i++) {
		char c = base[i];
		c = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
		buf_append(out, &c, 1);
	}
	buf_append(out, base + path, n - path);
	buf_puts(out, "/V/");
	return CT_OK;
}

enum ct_status cert_url(const struct cert *c, const uint8_t key_id[CERT_KEY_ID_BYTES],
			const uint8_t sig[CERT_SIG_BYTES], const char *base_url, char **url,
			enum cert_text_form forms[2], struct ct_err *err)
{
	*url = NULL;
	enum ct_status rc = check_cert(c, err);
	if (rc != CT_OK)
		return rc;
	struct buf b = {0};
	rc = base_prefix(base_url, &b, err);
	if (rc != CT_OK)
		goto out;
	size_t prefix = b.len;
	struct carried h_text, o_text;
	carry_text(c->holder, &h_text);
	carry_text(c->organization, &o_text);
	struct carried digest = {.form = CERT_FORM_DIGEST}, names = {.form = CERT_FORM_NAMES};
	/* In order of preference: both names, the holder's only, the
	 * organization's only, neither. */
	const struct carried *const tries[4][2] = {
		{&h_text, &o_text}, {&h_text, &digest}, {&digest, &o_text}, {&names, &names}};
	for (int t = 0; t < 4; t++) {
		uint8_t bin[PAYLOAD_BIN_MAX];
		char text[CERT_PAYLOAD_MAX + 1];
		size_t n = payload_bin(c, key_id, sig, tries[t][0], tries[t][1], bin);
		base45_encode(BASE45_URL, bin, n, text);
		b.len = prefix;
		buf_puts(&b, text);
		if (qr_fits(b.data, b.len, CERT_QR_VERSION)) {
			if (forms)
				forms[0] = tries[t][0]->form, forms[1] = tries[t][1]->form;
			*url = b.data;
			return CT_OK;
		}
	}
	/* Unreachable within the limits: docs/CERTIFICATES.md has the arithmetic. */
	rc = ct_fail(err, CT_TOO_LARGE, "the certificate does not fit a version-%d QR code", CERT_QR_VERSION);
out:
	buf_free(&b);
	return rc;
}

/* ---- Payload decoding (outside input) ---------------------------------- */

struct reader {
	const uint8_t *p;
	size_t n, off;
	const char *bad; /* the first problem found, or NULL */
};

static void fail_read(struct reader *r, const char *what)
{
	if (!r->bad)
		r->bad = what;
	r->off = r->n;
}

static const uint8_t *take(struct reader *r, size_t k, const char *what)
{
	if (r->bad || r->n - r->off < k) {
		fail_read(r, what);
		return NULL;
	}
	const uint8_t *p = r->p + r->off;
	r->off += k;
	return p;
}

/* Unsigned LEB128, at most 5 bytes, minimal, at most max. */
static uint32_t get_varint(struct reader *r, uint32_t max, const char *what)
{
	uint64_t v = 0;
	for (int i = 0; i < 5; i++) {
		const uint8_t *b = take(r, 1, what);
		if (!b)
			return 0;
		v |= (uint64_t)(*b & 0x7F) << (7 * i);
		if (!(*b & 0x80)) {
			if ((i > 0 && *b == 0) || v > max) {
				fail_read(r, what);
				return 0;
			}
			return (uint32_t)v;
		}
	}
	fail_read(r, what);
	return 0;
}

static void get_name(struct reader *r, enum cert_text_form form, char *dst, uint8_t digest[CERT_DIGEST_BYTES],
		     const char *what)
{
	if (form == CERT_FORM_DIGEST) {
		const uint8_t *d = take(r, CERT_DIGEST_BYTES, what);
		if (d)
			memcpy(digest, d, CERT_DIGEST_BYTES);
		return;
	}
	if (form == CERT_FORM_NAMES)
		return;
	uint32_t n = get_varint(r, CERT_TEXT_MAX, what);
	const uint8_t *s = take(r, n, what);
	if (!s)
		return;
	if (form == CERT_FORM_UTF8) {
		memcpy(dst, s, n);
		dst[n] = '\0';
		if (memchr(dst, '\0', n))
			fail_read(r, what);
		return;
	}
	char utf8[4 * CERT_TEXT_MAX];
	size_t un;
	if (!convert("UTF-8", "GB18030", (const char *)s, n, utf8, sizeof utf8, &un) || un > CERT_TEXT_MAX ||
	    !all_gb_stable(utf8, un) || memchr(utf8, '\0', un)) {
		fail_read(r, what);
		return;
	}
	memcpy(dst, utf8, un);
	dst[un] = '\0';
}

/* Finds the payload in a URL or bare text: [*start, *end). */
static void locate_payload(const char *text, size_t len, size_t *start, size_t *end)
{
	size_t s = 0, e = len;
	while (s < e && strchr(" \t\r\n", text[s]) && text[s])
		s++;
	while (e > s && strchr(" \t\r\n", text[e - 1]) && text[e - 1])
		e--;
	for (size_t i = e; i >= s + 3; i--) {
		if (text[i - 3] == '/' && (text[i - 2] == 'V' || text[i - 2] == 'v') && text[i - 1] == '/') {
			s = i;
			break;
		}
	}
	for (size_t i = s; i < e; i++)
		if (text[i] == '?' || text[i] == '#') {
			e = i;
			break;
		}
	*start = s;
	*end = e;
}

enum ct_status cert_claim_decode(const char *text, size_t len, struct cert_claim *out, struct ct_err *err)
{
	memset(out, 0, sizeof *out);
	size_t s, e;
	locate_payload(text, len, &s, &e);
	if (e - s > CERT_PAYLOAD_MAX)
		return ct_fail(err, CT_TOO_LARGE, "the payload has more than %d characters", CERT_PAYLOAD_MAX);
	if (e == s)
		return ct_fail(err, CT_INVALID, "there is no certificate payload");
	uint8_t bin[PAYLOAD_BIN_MAX];
	size_t n;
	struct ct_err e45;
	if (base45_decode(BASE45_URL, text + s, e - s, bin, sizeof bin, &n, &e45) != CT_OK)
		return ct_fail(err, CT_INVALID, "the certificate payload is damaged: %s", e45.msg);
	struct reader r = {.p = bin, .n = n};
	const uint8_t *b0 = take(&r, 1, "header");
	if (!b0)
		return ct_fail(err, CT_INVALID, "the certificate payload is empty");
	if (*b0 >> 6 != PAYLOAD_VERSION)
		return ct_fail(err, CT_INVALID, "the certificate payload has an unknown version %u", *b0 >> 6);
	struct cert *c = &out->cert;
	c->award = *b0 >> 4 & 3u;
	out->holder_form = (enum cert_text_form)(*b0 >> 2 & 3u);
	out->organization_form = (enum cert_text_form)(*b0 & 3u);
	bool names = out->holder_form == CERT_FORM_NAMES;
	if (names != (out->organization_form == CERT_FORM_NAMES) ||
	    (out->holder_form == CERT_FORM_DIGEST && out->organization_form == CERT_FORM_DIGEST))
		return ct_fail(err, CT_INVALID, "the certificate payload has an invalid combination of name forms");
	const uint8_t *p = take(&r, CERT_KEY_ID_BYTES, "key id");
	if (p)
		memcpy(out->key_id, p, CERT_KEY_ID_BYTES);
	p = take(&r, CERT_ID_BYTES, "certificate id");
	if (p)
		memcpy(c->id, p, CERT_ID_BYTES);
	c->rank = get_varint(&r, CERT_RANK_MAX, "rank");
	c->total_c = get_varint(&r, (uint32_t)DEC_MAX_C, "total");
	c->issue_day = (int32_t)get_varint(&r, DAY_MAX, "issue date");
	const uint8_t *len_ev = take(&r, 1, "event code");
	if (len_ev && *len_ev <= CERT_CODE_MAX && (p = take(&r, *len_ev, "event code")) != NULL)
		memcpy(c->event, p, *len_ev);
	else
		fail_read(&r, "event code");
	get_name(&r, out->holder_form, c->holder, out->holder_digest, "holder");
	get_name(&r, out->organization_form, c->organization, out->organization_digest, "organization");
	if (names && (p = take(&r, CERT_DIGEST_BYTES, "names digest")) != NULL)
		memcpy(out->names_digest, p, CERT_DIGEST_BYTES);
	p = take(&r, CERT_SIG_BYTES, "signature");
	if (p)
		memcpy(out->sig, p, CERT_SIG_BYTES);
	if (!r.bad && r.off != r.n)
		r.bad = "trailing bytes";
	if (r.bad)
		return ct_fail(err, CT_INVALID, "the certificate payload is malformed (%s)", r.bad);
	struct ct_err why;
	enum ct_status rc = check_numbers(c, &why);
	if (rc == CT_OK && out->holder_form <= CERT_FORM_GB18030)
		rc = cert_text_check("holder", c->holder, 1, CERT_TEXT_MAX, &why);
	if (rc == CT_OK && out->organization_form <= CERT_FORM_GB18030)
		rc = cert_text_check("organization", c->organization, 0, CERT_TEXT_MAX, &why);
	if (rc != CT_OK)
		return ct_fail(err, CT_INVALID, "the certificate payload has an invalid field: %s", why.msg);
	return CT_OK;
}

/* The names digest a claim stands for. */
static void claim_names(const struct cert_claim *cl, uint8_t out[CERT_DIGEST_BYTES])
{
	if (cl->holder_form == CERT_FORM_NAMES) {
		memcpy(out, cl->names_digest, CERT_DIGEST_BYTES);
		return;
	}
	uint8_t h[CERT_DIGEST_BYTES], o[CERT_DIGEST_BYTES];
	if (cl->holder_form == CERT_FORM_DIGEST)
		memcpy(h, cl->holder_digest, CERT_DIGEST_BYTES);
	else
		text_digest(cl->cert.id, PERS_HOLDER, cl->cert.holder, h);
	if (cl->organization_form == CERT_FORM_DIGEST)
		memcpy(o, cl->organization_digest, CERT_DIGEST_BYTES);
	else
		text_digest(cl->cert.id, PERS_ORG, cl->cert.organization, o);
	names_digest(cl->cert.id, h, o, out);
}

enum cert_verdict cert_claim_verify(struct cert_claim *claim, const struct cert_key *keys, size_t n)
{
	uint8_t names[CERT_DIGEST_BYTES];
	claim_names(claim, names);
	size_t which = 0;
	enum cert_verdict v = verify_with(&claim->cert, NULL, names, claim->key_id, claim->sig, keys, n, &which);
	if (v == CERT_GENUINE)
		memcpy(claim->cert.contest, keys[which].contest, sizeof claim->cert.contest);
	return v;
}

static bool name_matches(enum cert_text_form form, const char *carried, const uint8_t digest[CERT_DIGEST_BYTES],
			 const uint8_t id[CERT_ID_BYTES], const char *personal, const char *actual)
{
	if (form == CERT_FORM_UTF8 || form == CERT_FORM_GB18030)
		return strcmp(carried, actual) == 0;
	if (form == CERT_FORM_DIGEST) {
		uint8_t d[CERT_DIGEST_BYTES];
		text_digest(id, personal, actual, d);
		return memcmp(d, digest, CERT_DIGEST_BYTES) == 0;
	}
	return true; /* CERT_FORM_NAMES: compared as a whole by the caller */
}

bool cert_claim_matches(const struct cert_claim *claim, const struct cert *c)
{
	const struct cert *k = &claim->cert;
	if (memcmp(k->id, c->id, CERT_ID_BYTES) != 0 || strcmp(k->event, c->event) != 0 || k->award != c->award ||
	    k->rank != c->rank || k->total_c != c->total_c || k->issue_day != c->issue_day)
		return false;
	if (k->contest[0] && strcmp(k->contest, c->contest) != 0)
		return false;
	if (claim->holder_form == CERT_FORM_NAMES) {
		uint8_t d[CERT_DIGEST_BYTES];
		cert_names_digest(c, d);
		return memcmp(d, claim->names_digest, CERT_DIGEST_BYTES) == 0;
	}
	return name_matches(claim->holder_form, k->holder, claim->holder_digest, c->id, PERS_HOLDER, c->holder) &&
	       name_matches(claim->organization_form, k->organization, claim->organization_digest, c->id, PERS_ORG,
			    c->organization);
}
