/* The canonical text of the revocation list and its signature check. */
#include "revlist.h"

#include <sodium.h>
#include <string.h>

#include "isotime.h"

bool revlist_reason_ok(const char *reason)
{
	return reason && cert_text_check("reason", reason, 1, REVLIST_REASON_MAX, NULL) == CT_OK;
}

/* Whether id is a certificate id exactly as cert_id_format writes it. */
static bool canonical_id(const char *id)
{
	uint8_t bytes[CERT_ID_BYTES];
	char again[CERT_ID_TEXT_MAX];
	if (strlen(id) >= CERT_ID_TEXT_MAX || cert_id_parse(id, bytes) != CERT_ID_VALID)
		return false;
	cert_id_format(bytes, again);
	return strcmp(again, id) == 0;
}

/* Whether t is ISO 8601 UTC as isotime_format writes it. */
static bool utc_time(const char *t)
{
	int64_t s;
	char again[ISOTIME_TEXT];
	if (!t || strlen(t) != ISOTIME_TEXT - 1 || !isotime_parse(t, 0, &s))
		return false;
	isotime_format(s, again);
	return strcmp(again, t) == 0;
}

enum ct_status revlist_text(const char *contest, const char *key_id, const char *generated_at,
			    const struct revlist_entry *entries, size_t n, struct buf *out, struct ct_err *err)
{
	size_t code = contest ? strlen(contest) : 0, key = key_id ? strlen(key_id) : 0;
	if (code == 0 || code > CERT_CODE_MAX || strcspn(contest, " \t\r\n") != code)
		return ct_fail(err, CT_INVALID, "revocation list: bad contest code");
	if (key != 2 * CERT_KEY_ID_BYTES || strspn(key_id, "0123456789abcdef") != key)
		return ct_fail(err, CT_INVALID, "revocation list: bad key id");
	if (!utc_time(generated_at))
		return ct_fail(err, CT_INVALID, "revocation list: bad time %.40s", generated_at ? generated_at : "");
	for (size_t i = 0; i < n; i++) {
		const struct revlist_entry *e = &entries[i];
		if (!canonical_id(e->id))
			return ct_fail(err, CT_INVALID, "revocation %zu: \"%.40s\" is not a certificate id", i + 1, e->id);
		if (i > 0 && strcmp(entries[i - 1].id, e->id) >= 0)
			return ct_fail(err, CT_INVALID, "revocation %zu: %s is not after %s", i + 1, e->id,
				       entries[i - 1].id);
		if (!utc_time(e->at))
			return ct_fail(err, CT_INVALID, "revocation %zu: bad time %.40s", i + 1, e->at ? e->at : "");
		if (!revlist_reason_ok(e->reason))
			return ct_fail(err, CT_INVALID, "revocation %zu: the reason must be 1 to %d bytes of text without "
				       "control characters", i + 1, REVLIST_REASON_MAX);
	}
	buf_printf(out, "%s\ncontest %s\nkey %s\ngenerated %s\nrevoked %zu\n", REVLIST_FORMAT, contest, key_id,
		   generated_at, n);
	for (size_t i = 0; i < n; i++)
		buf_printf(out, "%s %s %s\n", entries[i].id, entries[i].at, entries[i].reason);
	return CT_OK;
}

bool revlist_verify(const char *text, size_t len, const uint8_t sig[CERT_SIG_BYTES], const uint8_t pk[CERT_PK_BYTES])
{
	return crypto_sign_verify_detached(sig, (const unsigned char *)text, len, pk) == 0;
}
