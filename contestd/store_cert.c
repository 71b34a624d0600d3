/* Finalize and the certificates it issues (signed with the contest key by
 * core/cert.c), revocation, the revocation list and signatures by the
 * contest key. The secret key never leaves this file and store_audit.c. */
#include "store_int.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

static const char SQL_FINALIZE_FACTS[] =
	"SELECT (SELECT notice_until FROM publications WHERE id = :pub AND notice_until > :now), "
	"(SELECT count(*) FROM appeals a JOIN publications p ON p.id = a.publication_id "
	" WHERE p.event_id = :event AND a.outcome IS NULL), "
	"(SELECT max(version) = (SELECT version FROM publications WHERE id = :pub) FROM publications "
	" WHERE event_id = :event)";

/* The facts finalize depends on, read inside its transaction: a notice
 * period still running, open appeals; and that pub_id is the latest
 * version of the event. */
static enum ct_status finalize_facts(struct store *st, int64_t event_id, int64_t pub_id, const char *now,
				     char notice[32], struct wf_facts *facts, bool *latest, struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_FINALIZE_FACTS, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_int(s, ":event", event_id);
	store_bind_int(s, ":pub", pub_id);
	store_bind_text(s, ":now", now);
	enum ct_status rc = store_row(st, s, err);
	if (rc != CT_OK)
		return rc == CT_NOT_FOUND ? CT_INTERNAL : rc;
	notice[0] = '\0';
	if (sqlite3_column_type(s, 0) != SQLITE_NULL) {
		store_col_copy(s, 0, notice, 32);
		facts->notice_until = notice;
	}
	facts->open_appeals = (uint32_t)sqlite3_column_int64(s, 1);
	*latest = sqlite3_column_int(s, 2) == 1;
	sqlite3_reset(s);
	return CT_OK;
}

/* What signing needs: the contest's code, secret key and public base URL
 * without trailing slashes (refused when there is none). */
struct issuer {
	char code[64];
	unsigned char pk[32], sk[64];
	char base[512];          /* as long as contest_info.public_url */
};

static enum ct_status issuer_load(struct store *st, struct issuer *is, struct ct_err *err)
{
	struct contest_info ci;
	enum ct_status rc = store_contest_get(st, &ci, err);
	if (rc == CT_OK)
		rc = store_contest_keys(st, is->code, is->pk, is->sk, err);
	if (rc != CT_OK)
		return rc;
	size_t n = strlen(ci.public_url);
	while (n > 0 && ci.public_url[n - 1] == '/')
		n--;
	if (n == 0)
		return ct_fail(err, CT_CONFLICT,
			       "contest %s has no public base URL, and every certificate's QR code holds a URL on it: "
			       "restart contestd with --public-url URL (the address phones reach the result pages at), "
			       "then finalize again", is->code);
	snprintf(is->base, sizeof is->base, "%.*s", (int)n, ci.public_url);
	return CT_OK;
}

static const char SQL_CERT_ADD[] =
	"INSERT INTO certificates (id, event_id, contestant_id, publication_id, holder, organization, team, award, "
	"rank, total_c, issue_date, key_id, signature, url, issued_at, issued_by) VALUES (:id, :event, :contestant, "
	":pub, :holder, :org, :team, :award, :rank, :total, :date, :key, :sig, :url, :at, :by)";

/* Signs and stores one certificate; a fresh id if the 80 random bits ever
 * collide with an issued one. */
static enum ct_status issue_one(struct store *st, const char *actor, const char *event, int64_t event_id,
				int64_t pub_id, const struct issuer *is, const struct cert_issue *r, int32_t day,
				const char *now, struct ct_err *err)
{
	for (int attempt = 0; attempt < 4; attempt++) {
		uint8_t id[CERT_ID_BYTES], key_id[CERT_KEY_ID_BYTES], sig[CERT_SIG_BYTES];
		struct cert c;
		struct ct_err why;
		char *url = NULL, id_text[CERT_ID_TEXT_MAX], key_text[CERT_KEY_ID_TEXT], date[11];
		ct_err_clear(&why);
		cert_id_new(id);
		enum ct_status rc = cert_set(&c, id, is->code, event, r->holder, r->organization, r->award, r->rank,
					     r->total_c, day, &why);
		if (rc == CT_OK)
			rc = cert_sign(&c, is->sk, key_id, sig, &why);
		if (rc == CT_OK && (rc = cert_url(&c, key_id, sig, is->base, &url, NULL, &why)) != CT_OK)
			return ct_fail(err, CT_CONFLICT, "the contest's public URL %s cannot go into a certificate (%s): "
				       "restart contestd with a shorter --public-url", is->base, why.msg);
		if (rc != CT_OK)
			return ct_fail(err, CT_CONFLICT, "cannot issue the certificate of %.200s: %s", r->holder, why.msg);
		cert_id_format(id, id_text);
		cert_key_id_format(key_id, key_text);
		cert_day_format(day, date);
		sqlite3_stmt *s = store_stmt(st, SQL_CERT_ADD, err);
		if (!s) {
			free(url);
			return CT_INTERNAL;
		}
		store_bind_text(s, ":id", id_text);
		store_bind_int(s, ":event", event_id);
		store_bind_int(s, ":contestant", r->contestant_id);
		store_bind_int(s, ":pub", pub_id);
		store_bind_text(s, ":holder", r->holder);
		store_bind_text(s, ":org", r->organization ? r->organization : "");
		store_bind_text(s, ":team", r->team);
		store_bind_int(s, ":award", r->award);
		store_bind_int(s, ":rank", r->rank);
		store_bind_int(s, ":total", r->total_c);
		store_bind_text(s, ":date", date);
		store_bind_text(s, ":key", key_text);
		store_bind_blob(s, ":sig", sig, CERT_SIG_BYTES);
		store_bind_text(s, ":url", url);
		store_bind_text(s, ":at", now);
		store_bind_text(s, ":by", actor);
		free(url);
		int src = sqlite3_step(s);
		sqlite3_reset(s);
		if (src == SQLITE_CONSTRAINT_PRIMARYKEY)
			continue;
		if (src != SQLITE_DONE)
			return store_fail(st, src, err);
		char object[96], value[CERT_TEXT_MAX + 64];
		snprintf(object, sizeof object, "%s/%s", event, id_text);
		snprintf(value, sizeof value, "%s, %s, rank %u", r->holder, cert_award_name(r->award), r->rank);
		return store_audit(st, actor, "certificate.issue", object, NULL, value, err);
	}
	return ct_fail(err, CT_INTERNAL, "could not draw a free certificate id");
}

enum ct_status store_finalize(struct store *st, const char *actor, const char *event, int64_t publication_id,
			      const struct cert_issue *rows, size_t n, int32_t issue_day, const char *now,
			      struct ct_err *err)
{
	int64_t event_id;
	enum event_state from, to = EVENT_FINAL;
	struct wf_facts facts = {0};
	char notice[32];
	bool latest = false;
	struct issuer is;
	enum ct_status rc = store_begin(st, err);
	if (rc != CT_OK)
		return rc;
	rc = store_event_lookup(st, event, &event_id, &from, err);
	if (rc == CT_OK)
		rc = finalize_facts(st, event_id, publication_id, now, notice, &facts, &latest, err);
	if (rc == CT_OK)
		rc = workflow_step(from, WF_FINALIZE, event, &facts, &to, err);
	if (rc == CT_OK && !latest)
		rc = ct_fail(err, CT_CONFLICT, "event %s was published again while it was being finalized; finalize again",
			     event);
	if (rc == CT_OK)
		rc = issuer_load(st, &is, err);
	for (size_t i = 0; rc == CT_OK && i < n; i++)
		rc = issue_one(st, actor, event, event_id, publication_id, &is, &rows[i], issue_day, now, err);
	if (rc == CT_OK)
		rc = store_state_set(st, event_id, event, from, to, err);
	if (rc == CT_OK) {
		char value[64];
		snprintf(value, sizeof value, "%s, %zu certificate%s", event_state_name(to), n, n == 1 ? "" : "s");
		rc = store_audit(st, actor, workflow_action_name(WF_FINALIZE), event, event_state_name(from), value, err);
	}
	sodium_memzero(is.sk, sizeof is.sk);
	return store_finish(st, rc, err);
}

#define CERT_COLUMNS                                                                                               \
	"SELECT c.id, k.code, e.code, e.name, c.holder, c.organization, coalesce(c.team, ''), c.award, c.rank, "    \
	"c.total_c, c.issue_date, c.key_id, c.signature, c.url, c.issued_at, coalesce(c.revoked_at, ''), "          \
	"coalesce(c.revoke_reason, '') FROM certificates c JOIN events e ON e.id = c.event_id "                    \
	"JOIN contest k ON k.id = 1 "
static const char SQL_CERT_GET[] = CERT_COLUMNS "WHERE c.id = :id";
static const char SQL_CERT_LIST[] = CERT_COLUMNS "WHERE c.event_id = :event ORDER BY c.award, c.rank, c.holder, c.id";

/* The record in the current row of s (CERT_COLUMNS). CT_INTERNAL when the
 * stored fields are not a valid certificate (a damaged database). */
static enum ct_status cert_row(sqlite3_stmt *s, struct cert_record *r, struct ct_err *err)
{
	memset(r, 0, sizeof *r);
	store_col_copy(s, 0, r->id, sizeof r->id);
	store_col_copy(s, 3, r->event_name, sizeof r->event_name);
	store_col_copy(s, 6, r->team, sizeof r->team);
	store_col_copy(s, 13, r->url, sizeof r->url);
	store_col_copy(s, 14, r->issued_at, sizeof r->issued_at);
	store_col_copy(s, 15, r->revoked_at, sizeof r->revoked_at);
	store_col_copy(s, 16, r->revoke_reason, sizeof r->revoke_reason);
	uint8_t id[CERT_ID_BYTES];
	int32_t day;
	const char *key = (const char *)sqlite3_column_text(s, 11);
	bool ok = cert_id_parse(r->id, id) == CERT_ID_VALID &&
		  cert_day_parse((const char *)sqlite3_column_text(s, 10), &day) &&
		  sqlite3_column_bytes(s, 12) == CERT_SIG_BYTES && key &&
		  sodium_hex2bin(r->key_id, sizeof r->key_id, key, strlen(key), NULL, NULL, NULL) == 0;
	if (ok) {
		memcpy(r->sig, sqlite3_column_blob(s, 12), CERT_SIG_BYTES);
		ok = cert_set(&r->cert, id, (const char *)sqlite3_column_text(s, 1),
			      (const char *)sqlite3_column_text(s, 2), (const char *)sqlite3_column_text(s, 4),
			      (const char *)sqlite3_column_text(s, 5), (unsigned)sqlite3_column_int(s, 7),
			      (uint32_t)sqlite3_column_int64(s, 8), sqlite3_column_int64(s, 9), day, NULL) == CT_OK;
	}
	return ok ? CT_OK : ct_fail(err, CT_INTERNAL, "certificate %s is damaged in the database", r->id);
}

enum ct_status store_certificate_get(struct store *st, const char *id, struct cert_record *out, struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_CERT_GET, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_text(s, ":id", id);
	enum ct_status rc = store_row(st, s, err);
	if (rc == CT_NOT_FOUND)
		return ct_fail(err, CT_NOT_FOUND, "no certificate %s", id);
	if (rc != CT_OK)
		return rc;
	rc = cert_row(s, out, err);
	sqlite3_reset(s);
	return rc;
}

enum ct_status store_certificates_list(struct store *st, const char *event, struct cert_record **out, size_t *n,
				       struct ct_err *err)
{
	int64_t event_id;
	enum ct_status rc = store_event_ref(st, event, &event_id, NULL, err);
	if (rc != CT_OK)
		return rc;
	sqlite3_stmt *s = store_stmt(st, SQL_CERT_LIST, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_int(s, ":event", event_id);
	struct cert_record *list = NULL;
	size_t count = 0, cap = 0;
	while (rc == CT_OK && store_next(st, s, &rc, err)) {
		list = xgrow(list, count, &cap, 64, sizeof *list);
		rc = cert_row(s, &list[count++], err);
	}
	sqlite3_reset(s); /* after a bad row the rows were not all read */
	if (rc != CT_OK) {
		free(list);
		return rc;
	}
	*out = list;
	*n = count;
	return CT_OK;
}

static const char SQL_CERT_REVOKE[] =
	"UPDATE certificates SET revoked_at = :at, revoke_reason = :reason, revoked_by = :by "
	"WHERE id = :id AND revoked_at IS NULL";

enum ct_status store_certificate_revoke(struct store *st, const char *actor, const char *id, const char *reason,
					struct cert_record *out, struct ct_err *err)
{
	char now[32];
	store_now(now);
	enum ct_status rc = store_begin(st, err);
	if (rc != CT_OK)
		return rc;
	rc = store_certificate_get(st, id, out, err);
	if (rc == CT_OK && out->revoked_at[0])
		rc = ct_fail(err, CT_CONFLICT, "certificate %s was revoked already on %s: %s", id, out->revoked_at,
			     out->revoke_reason);
	sqlite3_stmt *s = rc == CT_OK ? store_stmt(st, SQL_CERT_REVOKE, err) : NULL;
	if (rc == CT_OK && !s)
		rc = CT_INTERNAL;
	if (rc == CT_OK) {
		store_bind_text(s, ":at", now);
		store_bind_text(s, ":reason", reason);
		store_bind_text(s, ":by", actor);
		store_bind_text(s, ":id", id);
		rc = store_exec_stmt(st, s, err);
	}
	if (rc == CT_OK) {
		char object[96];
		snprintf(object, sizeof object, "%s/%s", out->cert.event, id);
		rc = store_audit_why(st, actor, NULL, "certificate.revoke", object, "issued", "revoked", reason, err);
	}
	if (rc == CT_OK) {
		snprintf(out->revoked_at, sizeof out->revoked_at, "%s", now);
		snprintf(out->revoke_reason, sizeof out->revoke_reason, "%s", reason);
	}
	return store_finish(st, rc, err);
}

static const char SQL_REVOCATIONS[] =
	"SELECT id, revoked_at, revoke_reason FROM certificates WHERE revoked_at IS NOT NULL ORDER BY id";

enum ct_status store_revocations(struct store *st, struct revocation **out, size_t *n, struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_REVOCATIONS, err);
	if (!s)
		return CT_INTERNAL;
	struct revocation *list = NULL;
	size_t count = 0, cap = 0;
	enum ct_status rc;
	while (store_next(st, s, &rc, err)) {
		list = xgrow(list, count, &cap, 16, sizeof *list);
		struct revocation *r = &list[count++];
		store_col_copy(s, 0, r->id, sizeof r->id);
		store_col_copy(s, 1, r->at, sizeof r->at);
		r->reason = store_col_dup(s, 2);
	}
	if (rc != CT_OK) {
		revocations_free(list, count);
		return rc;
	}
	*out = list;
	*n = count;
	return CT_OK;
}

void revocations_free(struct revocation *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i].reason);
	free(list);
}

enum ct_status store_contest_sign(struct store *st, const void *msg, size_t len, uint8_t sig[CERT_SIG_BYTES],
				  uint8_t key_id[CERT_KEY_ID_BYTES], struct ct_err *err)
{
	char code[64];
	unsigned char pk[32], sk[64];
	enum ct_status rc = store_contest_keys(st, code, pk, sk, err);
	if (rc == CT_OK) {
		crypto_sign_detached(sig, NULL, msg, len, sk);
		cert_key_id(pk, key_id);
	}
	sodium_memzero(sk, sizeof sk);
	return rc;
}
