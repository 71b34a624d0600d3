/* Scores: a judge's own submission (group committed, idempotent), a
 * judge's own sheet, and paper sheets imported by the admin. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "commit.h"
#include "decimal.h"
#include "jin.h"
#include "results.h"
#include "store.h"
#include "xmalloc.h"

static char *encode_ack(const struct commit_job *job, const struct score_ack *ack)
{
	char value[DEC_TEXT_MAX];
	json_t *body = json_pack("{s:s,s:s,s:s,s:s,s:I}", "event", job->put.event, "contestant", ack->contestant,
				 "criterion", job->put.criterion, "value", dec_format(ack->value_c, value), "revision",
				 (json_int_t)ack->revision);
	char *text = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(body);
	return text;
}

static bool key_ok(const char *key)
{
	size_t n = key ? strlen(key) : 0;
	if (n == 0 || n > 128)
		return false;
	for (const char *p = key; *p; p++)
		if (*p < 0x21 || *p > 0x7e)
			return false;
	return true;
}

void api_scores_post(struct request *req)
{
	static const char *const known[] = {"contestant", "criterion", "value", NULL};
	struct ct_err err;
	ct_err_clear(&err);
	const char *key = evhttp_find_header(evhttp_request_get_input_headers(req->ev), "Idempotency-Key");
	const char *contestant = NULL, *criterion = NULL;
	int64_t value_c = -1;
	enum ct_status rc = CT_OK;
	if (!key_ok(key))
		rc = ct_fail(&err, CT_INVALID, "send an Idempotency-Key header: 1 to 128 printable characters, new for "
			     "each submission and the same for its retries");
	if (rc == CT_OK && !json_is_object(req->body))
		rc = ct_fail(&err, CT_INVALID, "the body must be a JSON object");
	if (rc == CT_OK)
		rc = jin_known(req->body, known, -1, &err);
	if (rc == CT_OK)
		rc = jin_code(req->body, "contestant", -1, &contestant, &err);
	if (rc == CT_OK)
		rc = jin_code(req->body, "criterion", -1, &criterion, &err);
	if (rc == CT_OK)
		rc = jin_mark(req->body, "value", true, -1, &value_c, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	/* Every string is borrowed from req (its path, parsed body, headers and
	 * caller), which lives until the job is answered. */
	struct commit_job *job = xcalloc(1, sizeof *job);
	job->req = req;
	job->actor = req->who.actor;
	job->idem_key = key;
	crypto_generichash(job->body_sum, sizeof job->body_sum, req->raw, req->raw_len,
			   (const unsigned char *)req->param[0], strlen(req->param[0]));
	job->put = (struct score_put){
		.event = req->param[0],
		.contestant = contestant,
		.criterion = criterion,
		.judge_id = req->who.judge_id,
		.value_c = value_c,
	};
	job->encode = encode_ack;
	commit_submit(req->app->commit, job);
}

/* The judge's own sheet, read from the store without scoring the event:
 * modules with their max, criteria, and the contestants the judge scores
 * (competed, not recused) in workstation order with the judge's own values
 * and when the judge last entered one of them. */
void api_sheet_get(struct request *req)
{
	struct ct_err err;
	ct_err_clear(&err);
	struct judge_sheet *sh = NULL;
	enum ct_status rc = store_judge_sheet(req->app->store, req->param[0], req->who.judge_id, &sh, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	const struct event_data *d = sh->event;
	struct sheet sheet;
	event_sheet(d, &sheet);
	int64_t *max_c = xcalloc(d->n_modules ? d->n_modules : 1, sizeof *max_c);
	sheet_module_max(&sheet, max_c);
	json_t *modules = json_array();
	for (uint32_t m = 0; m < d->n_modules; m++)
		json_array_append_new(modules, json_pack("{s:s,s:s,s:o}", "code", d->modules[m].code, "name",
							 d->modules[m].name, "max", jin_mark_json(max_c[m])));
	free(max_c);
	json_t *crits = json_array();
	for (uint32_t k = 0; k < d->n_criteria; k++) {
		const struct ev_criterion *c = &d->criteria[k];
		json_array_append_new(crits, json_pack("{s:s,s:s,s:s,s:o,s:s}", "code", c->code, "module",
						       d->modules[c->module].code, "description", c->description, "max",
						       jin_mark_json(c->max_c), "method", method_name(c->method)));
	}
	json_t *list = json_array();
	for (uint32_t i = 0; i < sh->n_entries; i++) {
		const struct sheet_entry *e = &sh->entries[i];
		json_array_append_new(list, json_pack("{s:s,s:I,s:o,s:o}", "code", e->code, "workstation",
						      (json_int_t)e->workstation, "values", json_object(), "updated",
						      e->updated[0] ? json_string(e->updated) : json_null()));
	}
	for (size_t v = 0; v < sh->n_marks; v++) {
		const struct sheet_mark *x = &sh->marks[v];
		json_object_set_new(json_object_get(json_array_get(list, x->entry), "values"),
				    d->criteria[x->criterion].code, jin_mark_json(x->value_c));
	}
	json_t *body = json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o}", "event", d->code, "name", d->name, "state",
				 d->state, "judge", sh->judge_code, "judge_name", sh->judge_name, "modules", modules,
				 "criteria", crits, "contestants", list);
	judge_sheet_free(sh);
	http_reply_json(req, 200, body);
}

static enum ct_status decode_score(json_t *o, long i, struct score_put *r, struct ct_err *err)
{
	static const char *const known[] = {"event", "contestant", "criterion", "judge", "value", NULL};
	enum ct_status rc = jin_known(o, known, i, err);
	if (rc == CT_OK)
		rc = jin_code(o, "event", i, &r->event, err);
	if (rc == CT_OK)
		rc = jin_code(o, "contestant", i, &r->contestant, err);
	if (rc == CT_OK)
		rc = jin_code(o, "criterion", i, &r->criterion, err);
	if (rc == CT_OK)
		rc = jin_code(o, "judge", i, &r->judge_code, err);
	if (rc == CT_OK)
		rc = jin_mark(o, "value", true, i, &r->value_c, err);
	return rc;
}

void api_scores_import_post(struct request *req)
{
	API_BATCH(req, struct score_put, decode_score, store_scores_import, 201, "stored");
}
