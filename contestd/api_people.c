/* People of the contest: contestants (registration, the organizers' list,
 * status changes, check-in) and judges with their assignments. */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "auth.h"
#include "idnumber.h"
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

/* The national id masked (id_number_mask), or null. */
static json_t *masked(const char *id)
{
	char out[64];
	return id ? json_string(id_number_mask(id, out, sizeof out)) : json_null();
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

/* Organization corrections and recusal: who is now recused from whom
 * (whose values on the contestant no longer count) or no longer. */
static json_t *recusal_json(const struct recusal_change *c, size_t n)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:s,s:s,s:o,s:s,s:s,s:b,s:I}", "event", c[i].event, "contestant",
						      c[i].reg_id, "code", *c[i].code ? json_string(c[i].code)
						      : json_null(), "judge", c[i].judge, "judge_name", c[i].judge_name,
						      "recused", c[i].recused, "values", (json_int_t)c[i].values));
	return list;
}

/* The identity fields of a contestant PATCH: absent leaves a field as is,
 * "" or null clears organization, members or id_number. */
static enum ct_status decode_identity(json_t *o, struct identity_patch *p, struct ct_err *err)
{
	enum ct_status rc = jin_change(o, "name", false, 200, &p->name, err);
	if (rc == CT_OK)
		rc = jin_change(o, "organization", true, 200, &p->organization, err);
	if (rc == CT_OK)
		rc = jin_change(o, "members", true, 1000, &p->members, err);
	if (rc == CT_OK)
		rc = jin_change(o, "id_number", true, ID_NUMBER_MAX, &p->id_number, err);
	return rc;
}

/* The answer to a contestant PATCH: the fields that were given, cleared
 * ones as null, the id number masked. */
static json_t *patch_answer(const char *reg_id, const struct contestant_patch *p, const struct identity_patch *id)
{
	json_t *body = json_pack("{s:s}", "reg_id", reg_id);
	if (p->status)
		json_object_set_new(body, "status", json_string(p->status));
	if (p->elapsed_s != -2)
		json_object_set_new(body, "elapsed_s", p->elapsed_s >= 0 ? json_integer(p->elapsed_s) : json_null());
	const char *const texts[][2] = {{"reason", p->reason}, {"name", id->name}, {"organization", id->organization},
					{"members", id->members}};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		if (texts[i][1])
			json_object_set_new(body, texts[i][0], *texts[i][1] ? json_string(texts[i][1]) : json_null());
	if (id->id_number)
		json_object_set_new(body, "id_number", masked(*id->id_number ? id->id_number : NULL));
	return body;
}

void api_contestant_patch(struct request *req)
{
	static const char *const known[] = {"status", "elapsed_s", "reason", "name", "organization", "members",
					    "id_number", NULL};
	struct ct_err err;
	ct_err_clear(&err);
	struct contestant_patch p = {NULL, -2, NULL};
	struct identity_patch id = {NULL, NULL, NULL, NULL};
	struct recusal_change *changes = NULL;
	size_t n_changes = 0;
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
		rc = jin_change(req->body, "reason", true, 500, &p.reason, &err); /* "" or null clears it */
	if (rc == CT_OK)
		rc = decode_identity(req->body, &id, &err);
	bool changes_status = p.status || p.elapsed_s != -2 || p.reason;
	bool identity = id.name || id.organization || id.members || id.id_number;
	if (rc == CT_OK && !changes_status && !identity)
		rc = ct_fail(&err, CT_INVALID, "nothing to change: give status, elapsed_s, reason, name, organization, "
			     "members or id_number");
	if (rc == CT_OK)
		rc = store_contestant_correct(req->app->store, req->who.actor, req->param[0], changes_status ? &p : NULL,
					      identity ? &id : NULL, &changes, &n_changes, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	json_t *body = patch_answer(req->param[0], &p, &id);
	if (id.organization)
		json_object_set_new(body, "recusal", recusal_json(changes, n_changes));
	free(changes);
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

/* ---- corrections ---- */

/* An organizer deletes a contestant of an event in setup. */
void api_contestant_delete(struct request *req)
{
	struct ct_err err;
	ct_err_clear(&err);
	char event[CODE_MAX + 1] = "";
	enum ct_status rc = store_contestant_delete(req->app->store, req->who.actor, req->param[0], event, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	http_reply_json(req, 200, json_pack("{s:s,s:s,s:b}", "reg_id", req->param[0], "event", event, "deleted", 1));
}

/* An organizer corrects a judge: name, organization, PIN. */
void api_judge_patch(struct request *req)
{
	static const char *const known[] = {"name", "organization", "pin", NULL};
	struct ct_err err;
	ct_err_clear(&err);
	struct judge_patch p = {NULL, NULL, NULL};
	const char *pin = NULL;
	char hash[AUTH_HASH_TEXT];
	struct recusal_change *changes = NULL;
	size_t n_changes = 0;
	enum ct_status rc = jin_body(req->body, known, &err);
	if (rc == CT_OK)
		rc = jin_change(req->body, "name", false, 200, &p.name, &err);
	if (rc == CT_OK)
		rc = jin_change(req->body, "organization", true, 200, &p.organization, &err);
	if (rc == CT_OK)
		rc = jin_change(req->body, "pin", false, 32, &pin, &err);
	if (rc == CT_OK && pin && !auth_pin_ok(pin))
		rc = jin_bad(&err, -1, "pin", "must be 6 to 32 digits");
	if (rc == CT_OK && !p.name && !p.organization && !pin)
		rc = ct_fail(&err, CT_INVALID, "nothing to change: give name, organization or pin");
	/* The same PIN again is no change: the judge stays logged in. */
	if (rc == CT_OK && pin && !auth_pin_matches(req->app->store, req->param[0], pin)) {
		rc = auth_hash_secret(pin, hash, &err);
		p.pin_hash = hash;
	}
	if (rc == CT_OK)
		rc = store_judge_set(req->app->store, req->who.actor, req->param[0], &p, &changes, &n_changes, &err);
	sodium_memzero(hash, sizeof hash);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	json_t *body = json_pack("{s:s}", "judge", req->param[0]);
	if (p.name)
		json_object_set_new(body, "name", json_string(p.name));
	if (p.organization)
		json_object_set_new(body, "organization", *p.organization ? json_string(p.organization) : json_null());
	if (pin)
		json_object_set_new(body, "logins_revoked", json_boolean(p.pin_hash != NULL));
	if (p.organization)
		json_object_set_new(body, "recusal", recusal_json(changes, n_changes));
	free(changes);
	http_reply_json(req, 200, body);
}

/* An organizer deletes a judge assigned to events in setup only. */
void api_judge_delete(struct request *req)
{
	struct ct_err err;
	ct_err_clear(&err);
	uint32_t n = 0;
	enum ct_status rc = store_judge_delete(req->app->store, req->who.actor, req->param[0], &n, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	http_reply_json(req, 200, json_pack("{s:s,s:b,s:I}", "judge", req->param[0], "deleted", 1, "assignments",
					    (json_int_t)n));
}

/* An organizer removes a judge's assignment to an event in setup. */
void api_judge_unassign(struct request *req)
{
	struct ct_err err;
	ct_err_clear(&err);
	char role[16] = "";
	enum ct_status rc = store_judge_unassign(req->app->store, req->who.actor, req->param[0], req->param[1], role,
						 &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	http_reply_json(req, 200, json_pack("{s:s,s:s,s:s,s:b}", "event", req->param[0], "judge", req->param[1],
					    "role", role, "unassigned", 1));
}
