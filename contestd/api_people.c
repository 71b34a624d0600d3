/* People of the contest: contestants (registration, the organizers' list,
 * status changes, check-in) and judges with their assignments. */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "auth.h"
#include "jin.h"
#include "store.h"
#include "xmalloc.h"

static enum ct_status decode_contestant(json_t *o, long i, struct contestant_row *r, struct ct_err *err)
{
	static const char *const known[] = {"reg_id", "name", "organization", "event", "id_number", "members", NULL};
	enum ct_status rc = jin_known(o, known, i, err);
	if (rc == CT_OK)
		rc = jin_code(o, "reg_id", i, &r->reg_id, err);
	if (rc == CT_OK)
		rc = jin_str(o, "name", true, 200, i, &r->name, err);
	if (rc == CT_OK)
		rc = jin_str(o, "organization", false, 200, i, &r->organization, err);
	if (rc == CT_OK)
		rc = jin_code(o, "event", i, &r->event, err);
	if (rc == CT_OK)
		rc = jin_str(o, "id_number", false, 32, i, &r->id_number, err);
	if (rc == CT_OK)
		rc = jin_str(o, "members", false, 1000, i, &r->members, err);
	return rc;
}

API_ROWS(contestant_rows, struct contestant_row, decode_contestant, store_contestants_add)

void api_contestants_post(struct request *req)
{
	api_batch_submit(req, contestant_rows, 201, "created");
}

/* The national id with all but the first and last four characters masked. */
static json_t *masked(const char *id)
{
	if (!id)
		return json_null();
	size_t n = strlen(id);
	char out[64];
	size_t keep = n >= 12 ? 4 : (n >= 6 ? 2 : 0);
	for (size_t i = 0; i < n && i < sizeof out - 1; i++)
		out[i] = (i < keep || i + keep >= n) ? id[i] : '*';
	out[n < sizeof out ? n : sizeof out - 1] = '\0';
	return json_string(out);
}

static json_t *opt_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

void api_event_contestants_get(struct request *req)
{
	struct ct_err err;
	ct_err_clear(&err);
	struct event_data *d = NULL;
	enum ct_status rc = store_event_load(req->app->store, req->param[0], false, &d, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	json_t *list = json_array();
	for (uint32_t i = 0; i < d->n_contestants; i++) {
		const struct ev_contestant *c = &d->contestants[i];
		json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o}", "reg_id", c->reg_id, "name", c->name,
				      "organization", c->organization, "status", entry_status_name(c->status),
				      "elapsed_s", c->elapsed_s >= 0 ? json_integer(c->elapsed_s) : json_null(),
				      "reason", opt_str(c->reason), "workstation",
				      c->workstation > 0 ? json_integer(c->workstation) : json_null(), "code",
				      opt_str(c->code), "id_number", masked(c->id_number), "members", opt_str(c->members));
		json_array_append_new(list, o);
	}
	json_t *body = json_pack("{s:s,s:o}", "event", d->code, "contestants", list);
	event_data_free(d);
	http_reply_json(req, 200, body);
}

static enum ct_status decode_status(json_t *o, long i, const char **out, enum entry_status *st, struct ct_err *err)
{
	enum ct_status rc = jin_str(o, "status", i >= 0, 32, i, out, err);
	if (rc != CT_OK || !*out)
		return rc;
	struct ct_err perr;
	ct_err_clear(&perr);
	if (entry_status_parse(*out, st, &perr) == CT_OK)
		return CT_OK;
	return jin_bad(err, i, "status", "%s", perr.msg);
}

void api_contestant_patch(struct request *req)
{
	static const char *const known[] = {"status", "elapsed_s", "reason", NULL};
	struct ct_err err;
	ct_err_clear(&err);
	struct contestant_patch p = {NULL, -2, NULL};
	enum entry_status status;
	enum ct_status rc = json_is_object(req->body) ? CT_OK
						      : ct_fail(&err, CT_INVALID, "the body must be a JSON object");
	if (rc == CT_OK)
		rc = jin_known(req->body, known, -1, &err);
	if (rc == CT_OK)
		rc = decode_status(req->body, -1, &p.status, &status, &err);
	if (rc == CT_OK) {
		json_t *e = json_object_get(req->body, "elapsed_s");
		if (e && json_is_null(e))
			p.elapsed_s = -1; /* clear */
		else
			rc = jin_int(req->body, "elapsed_s", false, 0, 10 * 365 * 86400LL, -2, -1, &p.elapsed_s, &err);
	}
	if (rc == CT_OK)
		rc = jin_str(req->body, "reason", false, 500, -1, &p.reason, &err);
	json_t *reason = json_object_get(req->body, "reason");
	if (rc == CT_OK && reason && (json_is_null(reason) || json_is_string(reason)) && !p.reason)
		p.reason = ""; /* "" or null clears the reason */
	if (rc == CT_OK && !p.status && p.elapsed_s == -2 && !p.reason)
		rc = ct_fail(&err, CT_INVALID, "nothing to change: give status, elapsed_s or reason");
	if (rc == CT_OK)
		rc = store_contestant_patch(req->app->store, req->who.actor, req->param[0], &p, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	json_t *body = json_pack("{s:s}", "reg_id", req->param[0]);
	if (p.status)
		json_object_set_new(body, "status", json_string(p.status));
	if (p.elapsed_s != -2)
		json_object_set_new(body, "elapsed_s", p.elapsed_s >= 0 ? json_integer(p.elapsed_s) : json_null());
	if (p.reason)
		json_object_set_new(body, "reason", *p.reason ? json_string(p.reason) : json_null());
	http_reply_json(req, 200, body);
}

static enum ct_status decode_checkin(json_t *o, long i, struct checkin_row *r, struct ct_err *err)
{
	static const char *const known[] = {"reg_id", "status", "elapsed_s", "reason", NULL};
	const char *status;
	enum ct_status rc = jin_known(o, known, i, err);
	if (rc == CT_OK)
		rc = jin_code(o, "reg_id", i, &r->reg_id, err);
	if (rc == CT_OK)
		rc = decode_status(o, i, &status, &r->status, err);
	if (rc == CT_OK)
		rc = jin_int(o, "elapsed_s", false, 0, 10 * 365 * 86400LL, -1, i, &r->elapsed_s, err);
	if (rc == CT_OK)
		rc = jin_str(o, "reason", false, 500, i, &r->reason, err);
	return rc;
}

API_ROWS(checkin_rows, struct checkin_row, decode_checkin, store_checkin)

void api_checkin_post(struct request *req)
{
	api_batch_submit(req, checkin_rows, 200, "updated");
}

/* Judges: rows of one judge must agree; each distinct PIN is hashed once. */
struct judge_batch {
	struct judge_row *rows;
	char (*hashes)[AUTH_HASH_TEXT];
	const char **pins;
};

static enum ct_status decode_judge(json_t *o, long i, struct judge_row *r, const char **pin, struct ct_err *err)
{
	static const char *const known[] = {"code", "name", "organization", "pin", "event", "role", NULL};
	enum ct_status rc = jin_known(o, known, i, err);
	if (rc == CT_OK)
		rc = jin_code(o, "code", i, &r->code, err);
	if (rc == CT_OK)
		rc = jin_str(o, "name", true, 200, i, &r->name, err);
	if (rc == CT_OK)
		rc = jin_str(o, "organization", false, 200, i, &r->organization, err);
	if (rc == CT_OK)
		rc = jin_str(o, "pin", false, 32, i, pin, err);
	if (rc == CT_OK && *pin && !auth_pin_ok(*pin))
		rc = jin_bad(err, i, "pin", "must be 6 to 32 digits");
	if (rc == CT_OK)
		rc = jin_code(o, "event", i, &r->event, err);
	if (rc == CT_OK)
		rc = jin_str(o, "role", true, 16, i, &r->role, err);
	if (rc == CT_OK && strcmp(r->role, "judge") != 0 && strcmp(r->role, "chief") != 0)
		rc = jin_bad(err, i, "role", "\"%s\" is not judge or chief", r->role);
	return rc;
}

static bool same(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Writer thread: decodes the judges' rows, hashes new PINs (about 10 ms
 * each: off the event loop) and stores them. */
static enum ct_status judge_rows(struct store *st, const char *actor, json_t *body, size_t n, struct ct_err *err)
{
	struct judge_batch b = {xcalloc(n, sizeof *b.rows), xcalloc(n, sizeof *b.hashes), xcalloc(n, sizeof *b.pins)};
	enum ct_status rc = CT_OK;
	for (size_t i = 0; rc == CT_OK && i < n; i++) {
		rc = decode_judge(jin_row(body, i), (long)i, &b.rows[i], &b.pins[i], err);
		bool earlier = false; /* an earlier row of the same judge decided the PIN */
		for (size_t k = 0; rc == CT_OK && k < i; k++) {
			if (strcmp(b.rows[k].code, b.rows[i].code) != 0)
				continue;
			const char *field = !same(b.rows[k].name, b.rows[i].name) ? "name"
					    : !same(b.rows[k].organization, b.rows[i].organization) ? "organization"
					    : !same(b.pins[k], b.pins[i]) ? "pin" : NULL;
			if (field)
				rc = jin_bad(err, (long)i, field, "differs from row %zu of the same judge %s", k + 1,
					     b.rows[i].code);
			b.rows[i].pin_hash = b.rows[k].pin_hash;
			earlier = true;
			break;
		}
		/* A PIN is new, and logs the judge out everywhere, only when it
		 * differs from the one registered. */
		if (rc == CT_OK && b.pins[i] && !earlier && !auth_pin_matches(st, b.rows[i].code, b.pins[i])) {
			rc = auth_hash_secret(b.pins[i], b.hashes[i], err);
			b.rows[i].pin_hash = b.hashes[i];
		}
	}
	if (rc == CT_OK)
		rc = store_judges_add(st, actor, b.rows, n, err);
	free(b.rows);
	sodium_memzero(b.hashes, n * sizeof *b.hashes);
	free(b.hashes);
	free(b.pins);
	return rc;
}

void api_judges_post(struct request *req)
{
	api_batch_submit(req, judge_rows, 201, "created");
}

/* An organizer withdraws a judge from a drawn event, with a reason. */
void api_judge_withdraw_post(struct request *req)
{
	static const char *const known[] = {"reason", NULL};
	struct ct_err err;
	ct_err_clear(&err);
	const char *reason = NULL;
	enum ct_status rc = jin_body(req->body, known, &err);
	if (rc == CT_OK)
		rc = jin_str(req->body, "reason", true, 500, -1, &reason, &err);
	if (rc == CT_OK)
		rc = store_judge_withdraw(req->app->store, req->who.actor, req->param[0], req->param[1], reason, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	http_reply_json(req, 200, json_pack("{s:s,s:s,s:b,s:s}", "event", req->param[0], "judge", req->param[1],
					    "withdrawn", 1, "reason", reason));
}
