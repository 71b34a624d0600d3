/* The audit trail for organizers: the log, its verification (optionally
 * against a signed checkpoint) and checkpoints. */
#include <event2/keyvalq_struct.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "jin.h"
#include "store.h"
#include "verify.h"

#define LOG_DEFAULT_LIMIT 1000
#define LOG_MAX_LIMIT 10000
#define CHECKPOINT_FORMAT "contest-audit-checkpoint-1"

/* A whole number query parameter in [0, max]; false when malformed. */
static bool query_count(const char *s, int64_t max, int64_t *out)
{
	if (!s)
		return true;
	int64_t v = 0;
	if (!*s || strlen(s) > 18)
		return false;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		v = v * 10 + (*p - '0');
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

static enum ct_status decode_filter(struct evkeyvalq *q, struct audit_filter *f, struct ct_err *err)
{
	int64_t limit = LOG_DEFAULT_LIMIT, after = 0;
	f->event = evhttp_find_header(q, "event");
	f->actor = evhttp_find_header(q, "actor");
	f->since = evhttp_find_header(q, "since");
	for (struct evkeyval *kv = q->tqh_first; kv; kv = kv->next.tqe_next)
		if (strcmp(kv->key, "event") && strcmp(kv->key, "actor") && strcmp(kv->key, "since") &&
		    strcmp(kv->key, "after") && strcmp(kv->key, "limit"))
			return ct_fail(err, CT_INVALID, "unknown query parameter \"%.64s\" (use event, actor, since, after, "
				       "limit)", kv->key);
	if (!query_count(evhttp_find_header(q, "after"), INT64_MAX / 2, &after))
		return ct_fail(err, CT_INVALID, "after: expected a record number");
	if (!query_count(evhttp_find_header(q, "limit"), LOG_MAX_LIMIT, &limit) || limit == 0)
		return ct_fail(err, CT_INVALID, "limit: expected a whole number from 1 to %d", LOG_MAX_LIMIT);
	const char *texts[] = {f->event, f->actor, f->since};
	for (size_t i = 0; i < 3; i++)
		if (texts[i] && (!*texts[i] || strlen(texts[i]) > 100))
			return ct_fail(err, CT_INVALID, "query parameters event, actor and since take 1 to 100 characters");
	f->after = after;
	f->limit = (size_t)limit;
	return CT_OK;
}

static json_t *record_json(const struct audit_row *r)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o}", "seq", (json_int_t)r->seq, "at", r->at, "actor",
			 r->actor, "role", r->role, "action", r->action, "object", r->object, "old",
			 jin_opt_str(r->old_value), "new", jin_opt_str(r->new_value), "reason", jin_opt_str(r->reason));
}

void api_audit_get(struct request *req)
{
	struct ct_err err;
	ct_err_clear(&err);
	struct evkeyvalq q = {0};
	struct audit_filter f = {0};
	const char *query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req->ev));
	enum ct_status rc = CT_OK;
	if (query && evhttp_parse_query_str(query, &q) != 0)
		rc = ct_fail(&err, CT_INVALID, "malformed query string");
	if (rc == CT_OK)
		rc = decode_filter(&q, &f, &err);
	struct audit_row *rows = NULL;
	size_t n = 0;
	if (rc == CT_OK)
		rc = store_audit_log(req->app->store, &f, &rows, &n, &err);
	evhttp_clear_headers(&q); /* after the store call: f borrows from q */
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	json_t *records = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(records, record_json(&rows[i]));
	json_t *next = n == f.limit ? json_integer(rows[n - 1].seq) : json_null();
	audit_rows_free(rows, n);
	http_reply_json(req, 200, json_pack("{s:o,s:o}", "records", records, "next_after", next));
}

static enum ct_status hex_field(json_t *o, const char *key, unsigned char *out, size_t len, struct ct_err *err)
{
	const char *hex = json_string_value(json_object_get(o, key));
	size_t got = 0;
	if (!hex || strlen(hex) != 2 * len ||
	    sodium_hex2bin(out, len, hex, strlen(hex), NULL, &got, NULL) != 0 || got != len)
		return ct_fail(err, CT_INVALID, "checkpoint: %s must be %zu hexadecimal digits", key, 2 * len);
	return CT_OK;
}

static enum ct_status decode_checkpoint(json_t *o, struct audit_checkpoint *cp, struct ct_err *err)
{
	static const char *const known[] = {"format", "contest", "seq", "head", "at", "signature", "public_key", NULL};
	const char *format = NULL, *contest = NULL, *at = NULL;
	int64_t seq = 0;
	memset(cp, 0, sizeof *cp);
	if (!json_is_object(o))
		return ct_fail(err, CT_INVALID, "checkpoint: must be the JSON object judge-cli audit checkpoint wrote");
	enum ct_status rc = jin_known(o, known, -1, err);
	if (rc == CT_OK)
		rc = jin_str(o, "format", true, 64, -1, &format, err);
	if (rc == CT_OK && strcmp(format, CHECKPOINT_FORMAT) != 0)
		rc = ct_fail(err, CT_INVALID, "checkpoint: format \"%s\" is not %s", format, CHECKPOINT_FORMAT);
	if (rc == CT_OK)
		rc = jin_str(o, "contest", true, sizeof cp->contest - 1, -1, &contest, err);
	if (rc == CT_OK)
		rc = jin_int(o, "seq", true, 1, INT64_MAX / 2, 0, -1, &seq, err);
	if (rc == CT_OK)
		rc = jin_str(o, "at", true, sizeof cp->at - 1, -1, &at, err);
	if (rc == CT_OK)
		rc = hex_field(o, "head", cp->head, sizeof cp->head, err);
	if (rc == CT_OK)
		rc = hex_field(o, "signature", cp->sig, sizeof cp->sig, err);
	if (rc != CT_OK)
		return rc;
	snprintf(cp->contest, sizeof cp->contest, "%s", contest);
	snprintf(cp->at, sizeof cp->at, "%s", at);
	cp->seq = seq;
	return CT_OK;
}

static void verify_done(struct request *req, enum ct_status rc, const struct audit_verdict *v,
			const struct audit_checkpoint *cp, const struct ct_err *err)
{
	if (rc != CT_OK) {
		http_reply_error(req, rc, err);
		return;
	}
	char head[2 * AUDIT_HASH_BYTES + 1];
	sodium_bin2hex(head, sizeof head, v->head, sizeof v->head);
	json_t *body = json_pack("{s:b,s:I,s:s,s:o,s:o}", "ok", v->ok, "records", (json_int_t)v->records, "head", head,
				 "seq", v->seq ? json_integer(v->seq) : json_null(), "problem",
				 v->ok ? json_null() : jin_text(v->problem));
	if (cp)
		json_object_set_new(body, "checkpoint", json_pack("{s:I,s:s,s:b}", "seq", (json_int_t)cp->seq, "at",
								   cp->at, "verified", v->ok));
	http_reply_json(req, 200, body);
}

void api_audit_verify_post(struct request *req)
{
	static const char *const known[] = {"checkpoint", NULL};
	struct ct_err err;
	ct_err_clear(&err);
	struct audit_checkpoint cp;
	json_t *given = json_object_get(req->body, "checkpoint");
	bool with_cp = given && !json_is_null(given);
	enum ct_status rc = jin_body(req->body, known, &err);
	if (rc == CT_OK && with_cp)
		rc = decode_checkpoint(given, &cp, &err);
	if (rc == CT_OK)
		rc = verifier_start(req->app->verifier, req, with_cp ? &cp : NULL, verify_done, &err);
	if (rc != CT_OK)
		http_reply_error(req, rc, &err);
}

void api_audit_checkpoint_post(struct request *req)
{
	struct ct_err err;
	ct_err_clear(&err);
	struct audit_checkpoint cp;
	struct contest_info info;
	enum ct_status rc = store_audit_checkpoint(req->app->store, req->who.actor, &cp, &err);
	if (rc == CT_OK)
		rc = store_contest_get(req->app->store, &info, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	char head[2 * AUDIT_HASH_BYTES + 1], sig[2 * AUDIT_SIG_BYTES + 1], pk[65];
	sodium_bin2hex(head, sizeof head, cp.head, sizeof cp.head);
	sodium_bin2hex(sig, sizeof sig, cp.sig, sizeof cp.sig);
	sodium_bin2hex(pk, sizeof pk, info.sign_pk, sizeof info.sign_pk);
	http_reply_json(req, 201, json_pack("{s:s,s:s,s:I,s:s,s:s,s:s,s:s}", "format", CHECKPOINT_FORMAT, "contest",
					    cp.contest, "seq", (json_int_t)cp.seq, "head", head, "at", cp.at, "signature",
					    sig, "public_key", pk));
}
