/* Finalize and certificates: issuing them from the final published version,
 * the organizers' list (for judge-cli certificates and export-public),
 * revocation, the signed revocation list, the contest's public key, and
 * verification for anyone (by QR payload or by certificate id). */
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "cert.h"
#include "decimal.h"
#include "isotime.h"
#include "pubcache.h"
#include "revlist.h"
#include "store.h"

#define KEY_FORMAT "contest-key-1"
#define CERT_FORMAT "contest-certificate-1"

/* ---- finalize ---- */

/* The award of a published row: 1..3, or 0 for none. */
static unsigned award_of(const json_t *row)
{
	const char *a = json_string_value(json_object_get(row, "award"));
	for (unsigned i = 1; a && i <= 3; i++)
		if (strcmp(a, api_award_code(i)) == 0)
			return i;
	return 0;
}

/* The certificates the final version calls for: one per winning person,
 * one for each member of a winning team. Strings are borrowed from doc.
 * *out is a new array (caller frees). */
static enum ct_status winners(const json_t *doc, struct cert_issue **out, size_t *n, struct ct_err *err)
{
	const json_t *rows = json_object_get(doc, "results"), *row;
	size_t i, count = 0, cap = 0;
	struct cert_issue *list = NULL;
	enum ct_status rc = json_is_array(rows) ? CT_OK : ct_fail(err, CT_INTERNAL, "the published document has no results");
	json_array_foreach(rows, i, row) {
		unsigned award = award_of(row);
		if (rc != CT_OK || !award)
			continue;
		struct cert_issue w = {
			.contestant_id = json_integer_value(json_object_get(row, "entry")),
			.holder = json_string_value(json_object_get(row, "name")),
			.organization = json_string_value(json_object_get(row, "organization")),
			.award = award,
			.rank = (uint32_t)json_integer_value(json_object_get(row, "rank")),
		};
		const char *total = json_string_value(json_object_get(row, "total"));
		if (!w.holder || !total || dec_parse(total, &w.total_c, NULL) != CT_OK) {
			rc = ct_fail(err, CT_INTERNAL, "the published document has a winner without a name or total");
			continue;
		}
		const json_t *members = json_object_get(row, "members"), *m;
		size_t k, people = json_array_size(members) ? json_array_size(members) : 1;
		if (count + people > cap) {
			cap = 2 * (count + people) + 16;
			list = xreallocarray(list, cap, sizeof *list);
		}
		if (!json_array_size(members)) {
			list[count++] = w;
			continue;
		}
		w.team = w.holder;
		json_array_foreach(members, k, m) {
			list[count] = w;
			list[count++].holder = json_string_value(m) ? json_string_value(m) : "";
		}
	}
	if (rc != CT_OK) {
		free(list);
		return rc;
	}
	*out = list;
	*n = count;
	return CT_OK;
}

void api_finalize_post(struct request *req)
{
	struct ct_err err;
	ct_err_clear(&err);
	const char *event = req->param[0];
	struct publication p = {0};
	struct cert_issue *rows = NULL;
	size_t n = 0;
	json_t *doc = NULL;
	struct event_access acc;
	if (!api_event_role(req, WF_FINALIZE, &acc))
		return;
	/* The state first (the notice period and appeals are checked with the
	 * certificates, in one transaction). */
	struct wf_facts later = {0};
	enum ct_status rc = workflow_step(acc.state, WF_FINALIZE, event, &later, NULL, &err);
	if (rc == CT_OK)
		rc = store_publication_get(req->app->store, event, 0, &p, &err);
	if (rc == CT_OK && !(doc = json_loadb(p.results, p.results_len, 0, NULL)))
		rc = ct_fail(&err, CT_INTERNAL, "published version %u of event %s is not JSON", p.version, event);
	if (rc == CT_OK)
		rc = winners(doc, &rows, &n, &err);
	time_t now = time(NULL);
	struct tm local;
	localtime_r(&now, &local);
	int32_t day = cert_day_from_civil(local.tm_year + 1900, (unsigned)local.tm_mon + 1, (unsigned)local.tm_mday);
	char now_utc[ISOTIME_TEXT], date[11];
	isotime_format((int64_t)now, now_utc);
	cert_day_format(day, date);
	if (rc == CT_OK)
		rc = store_finalize(req->app->store, req->who.actor, event, p.id, rows, n, day, now_utc, &err);
	if (rc == CT_OK)
		api_public_changed(req->app);
	if (rc != CT_OK)
		http_reply_error(req, rc, &err);
	else
		http_reply_json(req, 200, json_pack("{s:s,s:s,s:I,s:I,s:s}", "event", event, "state",
						    event_state_name(EVENT_FINAL), "version", (json_int_t)p.version,
						    "certificates", (json_int_t)n, "issue_date", date));
	free(rows);
	json_decref(doc);
	publication_clear(&p);
}

/* ---- certificates ---- */

/* The part of a verification URL after "/V/": the QR payload. */
static const char *payload_of(const char *url)
{
	const char *p = strstr(url, "/V/");
	return p ? p + 3 : url;
}

/* A certificate's fields as the public may see them; with full, also what
 * an issuer's copy holds: the signature, the URL and the payload. */
static json_t *cert_json(const struct cert_record *r, const struct pubcontest *contest, bool full)
{
	char date[11], key[CERT_KEY_ID_TEXT];
	cert_day_format(r->cert.issue_day, date);
	cert_key_id_format(r->key_id, key);
	json_t *o = json_pack("{s:s,s:s,s:{s:s,s:s},s:{s:s,s:s},s:s,s:s,s:o,s:i,s:s,s:i,s:o,s:s,s:s}", "format",
			      CERT_FORMAT, "id", r->id, "contest", "code", r->cert.contest, "name", contest->name, "event",
			      "code", r->cert.event, "name", r->event_name, "holder", r->cert.holder, "organization",
			      r->cert.organization, "team", r->team[0] ? json_string(r->team) : json_null(), "award",
			      (int)r->cert.award, "award_name", cert_award_name(r->cert.award), "rank", (int)r->cert.rank,
			      "total", jin_mark_json(r->cert.total_c), "issue_date", date, "key_id", key);
	if (full) {
		char sig[2 * CERT_SIG_BYTES + 1];
		sodium_bin2hex(sig, sizeof sig, r->sig, sizeof r->sig);
		json_object_set_new(o, "signature", json_string(sig));
		json_object_set_new(o, "url", json_string(r->url));
		json_object_set_new(o, "payload", json_string(payload_of(r->url)));
		json_object_set_new(o, "issued_at", json_string(r->issued_at));
		json_object_set_new(o, "revoked_at", r->revoked_at[0] ? json_string(r->revoked_at) : json_null());
		json_object_set_new(o, "revoke_reason", r->revoked_at[0] ? json_string(r->revoke_reason) : json_null());
	}
	return o;
}

static json_t *key_json(const struct pubcontest *c)
{
	char pk[2 * CERT_PK_BYTES + 1];
	sodium_bin2hex(pk, sizeof pk, c->key.pk, sizeof c->key.pk);
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "format", KEY_FORMAT, "contest", c->code, "contest_name", c->name,
			 "public_url", c->public_url, "algorithm", "Ed25519", "key_id", c->key_id, "public_key", pk);
}

void api_certificates_get(struct request *req)
{
	struct ct_err err;
	ct_err_clear(&err);
	const struct pubcontest *contest = NULL;
	struct cert_record *list = NULL;
	size_t n = 0;
	enum ct_status rc = pubcache_contest(req->app->pub, req->app->store, &contest, &err);
	if (rc == CT_OK)
		rc = store_certificates_list(req->app->store, req->param[0], &list, &n, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	json_t *certs = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(certs, cert_json(&list[i], contest, true));
	free(list);
	http_reply_json(req, 200, json_pack("{s:s,s:o,s:o}", "event", req->param[0], "key", key_json(contest),
					    "certificates", certs));
}

/* A certificate id from outside in its canonical form; CT_INVALID saying
 * whether it is malformed or mistyped (a wrong check character), before
 * any lookup. */
static enum ct_status id_arg(const char *text, char id[CERT_ID_TEXT_MAX], struct ct_err *err)
{
	uint8_t bytes[CERT_ID_BYTES];
	switch (cert_id_parse(text, bytes)) {
	case CERT_ID_VALID:
		cert_id_format(bytes, id);
		return CT_OK;
	case CERT_ID_MALFORMED:
		return ct_fail(err, CT_INVALID, "\"%.40s\" is not a certificate id: it holds a character no certificate "
			       "id has (ids use 0-9 and A-Z without I, L, O, U)", text);
	case CERT_ID_MISTYPED:
		break;
	}
	return ct_fail(err, CT_INVALID, "certificate id %.40s is mistyped: its check character does not match (16 "
		       "characters and a check character, as 7G3K-QX2M-9TAB-4HNC-P); check each character", text);
}

void api_certificate_revoke_post(struct request *req)
{
	static const char *const known[] = {"reason", NULL};
	struct ct_err err;
	ct_err_clear(&err);
	const char *reason = NULL;
	char id[CERT_ID_TEXT_MAX];
	struct cert_record r;
	enum ct_status rc = id_arg(req->param[0], id, &err);
	if (rc == CT_OK)
		rc = jin_body(req->body, known, &err);
	if (rc == CT_OK)
		rc = jin_str(req->body, "reason", true, REVLIST_REASON_MAX, -1, &reason, &err);
	if (rc == CT_OK && !revlist_reason_ok(reason))
		rc = jin_bad(&err, -1, "reason", "must be text without control characters (it goes into the signed "
			     "revocation list, one line a certificate)");
	if (rc == CT_OK)
		rc = store_certificate_revoke(req->app->store, req->who.actor, id, reason, &r, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	pubcache_forget(req->app->pub, PUBCACHE_REVOCATIONS);
	http_reply_json(req, 200, json_pack("{s:s,s:s,s:s,s:s,s:s}", "id", id, "event", r.cert.event, "holder",
					    r.cert.holder, "revoked_at", r.revoked_at, "reason", r.revoke_reason));
}

/* ---- the public's documents ---- */

static enum ct_status revocations_doc(struct app *app, const struct pubdoc **out, struct ct_err *err)
{
	if ((*out = pubcache_get(app->pub, PUBCACHE_REVOCATIONS)))
		return CT_OK;
	const struct pubcontest *contest;
	struct revocation *list = NULL;
	size_t n = 0;
	enum ct_status rc = pubcache_contest(app->pub, app->store, &contest, err);
	if (rc == CT_OK)
		rc = store_revocations(app->store, &list, &n, err);
	if (rc != CT_OK)
		return rc;
	char at[ISOTIME_TEXT], sig_hex[2 * CERT_SIG_BYTES + 1];
	isotime_format((int64_t)time(NULL), at);
	struct revlist_entry *entries = xcalloc(n ? n : 1, sizeof *entries);
	json_t *revoked = json_array();
	for (size_t i = 0; i < n; i++) {
		entries[i] = (struct revlist_entry){list[i].id, list[i].at, list[i].reason};
		json_array_append_new(revoked, json_pack("{s:s,s:s,s:s}", "id", list[i].id, "revoked_at", list[i].at,
							 "reason", list[i].reason));
	}
	struct buf text = {0};
	uint8_t sig[CERT_SIG_BYTES], key_id[CERT_KEY_ID_BYTES];
	rc = revlist_text(contest->code, contest->key_id, at, entries, n, &text, err);
	if (rc == CT_OK)
		rc = store_contest_sign(app->store, text.data, text.len, sig, key_id, err);
	if (rc == CT_OK) {
		sodium_bin2hex(sig_hex, sizeof sig_hex, sig, sizeof sig);
		json_t *doc = json_pack("{s:s,s:s,s:s,s:s,s:O,s:s}", "format", REVLIST_FORMAT, "contest", contest->code,
					"key_id", contest->key_id, "generated_at", at, "revoked", revoked, "signature",
					sig_hex);
		char *encoded = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(doc);
		*out = pubcache_put(app->pub, PUBCACHE_REVOCATIONS, encoded, strlen(encoded));
		free(encoded);
	}
	json_decref(revoked);
	buf_free(&text);
	free(entries);
	revocations_free(list, n);
	return rc;
}

void api_public_revocations_get(struct request *req)
{
	struct ct_err err;
	ct_err_clear(&err);
	const struct pubdoc *doc = NULL;
	enum ct_status rc = revocations_doc(req->app, &doc, &err);
	if (rc != CT_OK)
		http_reply_error(req, rc, &err);
	else
		api_reply_doc(req, doc);
}

void api_public_key_get(struct request *req)
{
	struct ct_err err;
	ct_err_clear(&err);
	const struct pubcontest *contest = NULL;
	enum ct_status rc = pubcache_contest(req->app->pub, req->app->store, &contest, &err);
	if (rc != CT_OK)
		http_reply_error(req, rc, &err);
	else
		http_reply_json(req, 200, key_json(contest));
}

/* ---- verification ---- */

/* What a verification found. */
struct finding {
	const char *verdict;        /* genuine, revoked, forged, unknown */
	const char *problem;        /* for forged and unknown: damaged, signature, fields, record, unknown_key,
				     * no_record; NULL otherwise */
	char message[300];
	const struct cert_record *record; /* the certificate on record (genuine, revoked), or NULL */
};

static void found(struct finding *f, const char *verdict, const char *problem, const struct cert_record *record,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void found(struct finding *f, const char *verdict, const char *problem, const struct cert_record *record,
		  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->message, sizeof f->message, fmt, ap);
	va_end(ap);
	f->verdict = verdict;
	f->problem = problem;
	f->record = record;
}

/* The verdict on a certificate on record: its signature still verifies
 * (the record was not altered) and whether it was revoked. */
static void judge_record(struct finding *f, const struct cert_record *r, const struct cert_key *key)
{
	if (cert_verify(&r->cert, r->key_id, r->sig, key, 1) != CERT_GENUINE)
		found(f, "forged", "record", NULL, "the record of certificate %s does not match its signature", r->id);
	else if (r->revoked_at[0])
		found(f, "revoked", NULL, r, "certificate %s was revoked on %.10s: %s", r->id, r->revoked_at,
		      r->revoke_reason);
	else
		found(f, "genuine", NULL, r, "certificate %s is genuine", r->id);
}

/* Verifies a payload (or a whole verification URL) from a QR code. */
static enum ct_status verify_payload(struct store *st, const char *text, const struct cert_key *key,
				     struct cert_record *r, struct finding *f, struct ct_err *err)
{
	struct cert_claim claim;
	struct ct_err why;
	ct_err_clear(&why);
	if (cert_claim_decode(text, strlen(text), &claim, &why) != CT_OK) {
		found(f, "forged", "damaged", NULL, "the code is damaged or is not a certificate: %s", why.msg);
		return CT_OK;
	}
	enum cert_verdict v = cert_claim_verify(&claim, key, 1);
	char id[CERT_ID_TEXT_MAX];
	cert_id_format(claim.cert.id, id);
	if (v == CERT_UNKNOWN_KEY) {
		char kid[CERT_KEY_ID_TEXT];
		cert_key_id_format(claim.key_id, kid);
		found(f, "unknown", "unknown_key", NULL, "certificate %s is signed by key %s, which is not this contest's",
		      id, kid);
		return CT_OK;
	}
	if (v != CERT_GENUINE) {
		found(f, "forged", "signature", NULL, "the signature does not match the certificate's fields: they were "
		      "altered, or it was never issued");
		return CT_OK;
	}
	enum ct_status rc = store_certificate_get(st, id, r, &why);
	if (rc == CT_NOT_FOUND) {
		found(f, "unknown", "no_record", NULL, "certificate %s is signed with this contest's key but is not on "
		      "record", id);
		return CT_OK;
	}
	if (rc != CT_OK) {
		*err = why;
		return rc;
	}
	if (!cert_claim_matches(&claim, &r->cert))
		found(f, "forged", "fields", NULL, "the code's fields differ from certificate %s on record", id);
	else
		judge_record(f, r, key);
	return CT_OK;
}

/* Verifies a certificate id someone typed. */
static enum ct_status verify_id(struct store *st, const char *text, const struct cert_key *key, struct cert_record *r,
				struct finding *f, struct ct_err *err)
{
	char id[CERT_ID_TEXT_MAX];
	enum ct_status rc = id_arg(text, id, err);
	if (rc != CT_OK)
		return rc;
	struct ct_err why;
	ct_err_clear(&why);
	rc = store_certificate_get(st, id, r, &why);
	if (rc == CT_NOT_FOUND) {
		found(f, "unknown", "no_record", NULL, "no certificate %s was issued", id);
		return CT_OK;
	}
	if (rc != CT_OK) {
		*err = why;
		return rc;
	}
	judge_record(f, r, key);
	return CT_OK;
}

/* Whether text is a certificate id rather than a payload: ids have 17
 * symbols (hyphens and spaces aside), payloads over a hundred. */
static bool looks_like_id(const char *text)
{
	size_t symbols = 0;
	for (const char *p = text; *p; p++)
		symbols += *p != '-' && *p != ' ';
	return symbols <= 24;
}

void api_verify_get(struct request *req)
{
	struct ct_err err;
	ct_err_clear(&err);
	const struct pubcontest *contest = NULL;
	struct cert_record r;
	struct finding f = {0};
	const char *text = req->param[0];
	bool by_id = looks_like_id(text);
	enum ct_status rc = pubcache_contest(req->app->pub, req->app->store, &contest, &err);
	if (rc == CT_OK)
		rc = by_id ? verify_id(req->app->store, text, &contest->key, &r, &f, &err)
			   : verify_payload(req->app->store, text, &contest->key, &r, &f, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	json_t *revoked = f.record && f.record->revoked_at[0]
				  ? json_pack("{s:s,s:s}", "at", f.record->revoked_at, "reason", f.record->revoke_reason)
				  : json_null();
	http_reply_json(req, 200, json_pack("{s:s,s:s,s:o,s:s,s:o,s:o}", "verdict", f.verdict, "checked",
					    by_id ? "id" : "payload", "problem", jin_opt_str(f.problem), "message",
					    f.message, "certificate", f.record ? cert_json(f.record, contest, false) : json_null(),
					    "revoked", revoked));
}
