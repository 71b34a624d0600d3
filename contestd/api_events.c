/* Events and their score sheets: list, register, show; criteria; the draw
 * and the lock. */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "decimal.h"
#include "jin.h"
#include "results.h"
#include "store.h"
#include "xmalloc.h"

static json_t *ratios_text(const int32_t r[3])
{
	char a[DEC_TEXT_MAX], b[DEC_TEXT_MAX], c[DEC_TEXT_MAX], out[3 * DEC_TEXT_MAX];
	/* 1000 hundredths of a per cent print as "10", 1050 as "10.5". */
	const int32_t *v = r;
	char *bufs[3] = {a, b, c};
	for (int i = 0; i < 3; i++) {
		if (v[i] % 100 == 0)
			snprintf(bufs[i], DEC_TEXT_MAX, "%d", v[i] / 100);
		else
			dec_format(v[i], bufs[i]);
	}
	snprintf(out, sizeof out, "%s/%s/%s", a, b, c);
	return json_string(out);
}

void api_events_get(struct request *req)
{
	struct ct_err err;
	ct_err_clear(&err);
	struct event_summary *list = NULL;
	size_t n = 0;
	enum ct_status rc = store_events_list(req->app->store, req->who.admin ? 0 : req->who.judge_id, &list, &n, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	json_t *events = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_pack("{s:s,s:s,s:s,s:I}", "code", list[i].code, "name", list[i].name, "state",
				      list[i].state, "contestants", (json_int_t)list[i].contestants);
		if (list[i].role)
			json_object_set_new(e, "role", json_string(list[i].role));
		json_array_append_new(events, e);
	}
	event_summaries_free(list, n);
	http_reply_json(req, 200, json_pack("{s:o}", "events", events));
}

static enum ct_status decode_event(json_t *o, long i, struct event_row *r, struct ct_err *err)
{
	static const char *const known[] = {"code", "name", "award_ratios", "min_award_score", "tiebreak",
					    "discrepancy_pct", NULL};
	const char *ratios = NULL;
	int64_t pct = 20; /* stored below even when decoding failed */
	enum ct_status rc = jin_known(o, known, i, err);
	if (rc == CT_OK)
		rc = jin_code(o, "code", i, &r->code, err);
	if (rc == CT_OK)
		rc = jin_str(o, "name", true, 200, i, &r->name, err);
	if (rc == CT_OK)
		rc = jin_str(o, "award_ratios", false, 64, i, &ratios, err);
	if (rc == CT_OK) {
		r->ratio_c[0] = 1000, r->ratio_c[1] = 2000, r->ratio_c[2] = 3000;
		struct ct_err perr;
		ct_err_clear(&perr);
		if (ratios && ratios_parse(ratios, r->ratio_c, &perr) != CT_OK)
			rc = jin_bad(err, i, "award_ratios", "%s", perr.msg);
	}
	if (rc == CT_OK)
		rc = jin_mark(o, "min_award_score", false, i, &r->min_award_c, err);
	if (rc == CT_OK)
		rc = jin_str(o, "tiebreak", false, 512, i, &r->tiebreak, err);
	if (rc == CT_OK && r->tiebreak) {
		struct ct_err perr;
		ct_err_clear(&perr);
		if (tiebreak_check(r->tiebreak, &perr) != CT_OK)
			rc = jin_bad(err, i, "tiebreak", "%s", perr.msg);
	}
	if (rc == CT_OK)
		rc = jin_int(o, "discrepancy_pct", false, 0, 100, 20, i, &pct, err);
	r->discrepancy_pct = (int32_t)pct;
	return rc;
}

void api_events_post(struct request *req)
{
	API_BATCH(req, struct event_row, decode_event, store_events_add, 201, "created");
}

/* The judge's role in the event ("judge", "chief") or NULL when not assigned. */
static const char *role_in(const struct event_data *d, int64_t judge_id)
{
	for (uint32_t j = 0; j < d->n_judges; j++)
		if (d->judges[j].id == judge_id)
			return d->judges[j].chief ? "chief" : "judge";
	return NULL;
}

static json_t *sheet_json(const struct event_data *d)
{
	json_t *modules = json_array();
	for (uint32_t m = 0; m < d->n_modules; m++) {
		json_t *crits = json_array();
		for (uint32_t k = 0; k < d->n_criteria; k++) {
			const struct ev_criterion *c = &d->criteria[k];
			if (c->module != m)
				continue;
			json_array_append_new(crits, json_pack("{s:s,s:s,s:o,s:s}", "code", c->code, "description",
							       c->description, "max", jin_mark_json(c->max_c), "method",
							       method_name(c->method)));
		}
		const struct ev_module *mod = &d->modules[m];
		json_array_append_new(modules, json_pack("{s:s,s:s,s:o,s:o,s:o}", "code", mod->code, "name", mod->name,
							 "weight", mod->weight >= 0 ? json_integer(mod->weight) : json_null(),
							 "max", jin_mark_json(results_module_max(d, m)), "criteria", crits));
	}
	return modules;
}

void api_event_get(struct request *req)
{
	struct ct_err err;
	ct_err_clear(&err);
	struct event_data *d = NULL;
	enum ct_status rc = store_event_load(req->app->store, req->param[0], false, &d, &err);
	if (rc == CT_OK && !req->who.admin && !role_in(d, req->who.judge_id))
		rc = ct_fail(&err, CT_FORBIDDEN, "judge %s is not assigned to event %s", req->who.judge_code, d->code);
	if (rc != CT_OK) {
		event_data_free(d);
		http_reply_error(req, rc, &err);
		return;
	}
	json_t *body = json_pack("{s:s,s:s,s:s,s:o,s:o,s:s,s:i,s:o,s:o,s:o}", "code", d->code, "name", d->name,
				 "state", d->state, "award_ratios", ratios_text(d->ratio_c), "min_award_score",
				 d->min_award_c >= 0 ? jin_mark_json(d->min_award_c) : json_null(), "tiebreak", d->tiebreak,
				 "discrepancy_pct", d->discrepancy_pct, "drawn_at",
				 d->drawn_at ? json_string(d->drawn_at) : json_null(), "locked_at",
				 d->locked_at ? json_string(d->locked_at) : json_null(), "modules", sheet_json(d));
	if (req->who.admin) {
		json_t *judges = json_array();
		for (uint32_t j = 0; j < d->n_judges; j++)
			json_array_append_new(judges, json_pack("{s:s,s:s,s:s}", "code", d->judges[j].code, "name",
								d->judges[j].name, "role",
								d->judges[j].chief ? "chief" : "judge"));
		json_object_set_new(body, "judges", judges);
	}
	int64_t counts[5] = {0};
	for (uint32_t i = 0; i < d->n_contestants; i++)
		counts[d->contestants[i].status]++;
	json_t *c = json_object();
	for (int s = ENTRY_REGISTERED; s <= ENTRY_DISQUALIFIED; s++)
		json_object_set_new(c, entry_status_name((enum entry_status)s), json_integer(counts[s]));
	json_object_set_new(body, "contestants", c);
	event_data_free(d);
	http_reply_json(req, 200, body);
}

static enum ct_status decode_criterion(json_t *o, long i, struct criterion_row *r, struct ct_err *err)
{
	static const char *const known[] = {"event", "module", "module_name", "module_weight", "code",
					    "description", "max", "method", NULL};
	const char *method = NULL;
	int64_t weight = -1, max_c = 0; /* stored below even when decoding failed */
	enum ct_status rc = jin_known(o, known, i, err);
	if (rc == CT_OK)
		rc = jin_code(o, "event", i, &r->event, err);
	if (rc == CT_OK)
		rc = jin_code(o, "module", i, &r->module, err);
	if (rc == CT_OK)
		rc = jin_str(o, "module_name", false, 200, i, &r->module_name, err);
	if (rc == CT_OK)
		rc = jin_int(o, "module_weight", false, 0, 100, -1, i, &weight, err);
	if (rc == CT_OK)
		rc = jin_code(o, "code", i, &r->code, err);
	if (rc == CT_OK)
		rc = jin_str(o, "description", false, 1000, i, &r->description, err);
	if (rc == CT_OK)
		rc = jin_mark(o, "max", true, i, &max_c, err);
	if (rc == CT_OK && max_c == 0)
		rc = jin_bad(err, i, "max", "must be above 0");
	if (rc == CT_OK && max_c > INT32_MAX)
		rc = jin_bad(err, i, "max", "too large");
	if (rc == CT_OK)
		rc = jin_str(o, "method", true, 32, i, &method, err);
	if (rc == CT_OK) {
		struct ct_err perr;
		ct_err_clear(&perr);
		if (method_parse(method, &r->method, &perr) != CT_OK)
			rc = jin_bad(err, i, "method", "%s", perr.msg);
	}
	r->module_weight = (int32_t)weight;
	r->max_c = (int32_t)max_c;
	return rc;
}

void api_criteria_post(struct request *req)
{
	API_BATCH(req, struct criterion_row, decode_criterion, store_criteria_add, 201, "created");
}

void api_draw_post(struct request *req)
{
	struct ct_err err;
	ct_err_clear(&err);
	uint32_t n = 0;
	enum ct_status rc = store_event_draw(req->app->store, req->who.actor, req->param[0], &n, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	http_reply_json(req, 200, json_pack("{s:s,s:s,s:i}", "event", req->param[0], "state", "drawn",
					    "contestants", (int)n));
}

#define BLOCKERS_LISTED 100

/* The 409 body of a refused lock: what is missing and what disagrees. The
 * admin sees registration ids; a chief judge only anonymous codes. */
static json_t *blockers_body(const struct computed *comp, bool admin, struct ct_err *err)
{
	const struct event_data *d = comp->data;
	const struct result *r = comp->res;
	json_t *missing = json_array(), *disc = json_array();
	for (size_t i = 0; i < r->n_missing && i < BLOCKERS_LISTED; i++) {
		const struct missing *m = &r->missing[i];
		const struct ev_contestant *c = &d->contestants[m->contestant];
		json_t *o = json_pack("{s:o,s:o,s:s,s:o}", "contestant", admin ? json_string(c->reg_id) : json_null(),
				      "code", c->code ? json_string(c->code) : json_null(), "criterion",
				      d->criteria[m->criterion].code, "judge",
				      m->judge == UINT32_MAX ? json_null()
							     : json_string(d->judges[comp->panel[m->judge]].code));
		json_array_append_new(missing, o);
	}
	size_t listed = 0;
	for (size_t i = 0; i < r->n_discrepancies && listed < BLOCKERS_LISTED; i++) {
		const struct discrepancy *x = &r->discrepancies[i];
		if (x->accepted)
			continue;
		const struct ev_contestant *c = &d->contestants[x->contestant];
		json_array_append_new(disc, json_pack("{s:o,s:o,s:s,s:o,s:o}", "contestant",
						      admin ? json_string(c->reg_id) : json_null(), "code",
						      c->code ? json_string(c->code) : json_null(), "criterion",
						      d->criteria[x->criterion].code, "low", jin_mark_json(x->low_c), "high",
						      jin_mark_json(x->high_c)));
		listed++;
	}
	ct_fail(err, CT_CONFLICT, "event %s cannot be locked: %zu missing value%s for %u contestant%s, %zu open "
		"discrepanc%s", d->code, r->n_missing, r->n_missing == 1 ? "" : "s", r->n_incomplete,
		r->n_incomplete == 1 ? "" : "s", r->n_open, r->n_open == 1 ? "y" : "ies");
	json_t *body = http_error_body(CT_CONFLICT, err);
	json_object_set_new(json_object_get(body, "error"), "blockers",
			    json_pack("{s:I,s:I,s:I,s:o,s:o}", "n_missing", (json_int_t)r->n_missing, "n_incomplete",
				      (json_int_t)r->n_incomplete, "n_open_discrepancies", (json_int_t)r->n_open,
				      "missing", missing, "discrepancies", disc));
	return body;
}

void api_lock_post(struct request *req)
{
	struct ct_err err;
	ct_err_clear(&err);
	const struct computed *comp = NULL;
	enum ct_status rc = results_get(req->app->results, req->app->store, req->param[0], &comp, &err);
	if (rc == CT_OK && !req->who.admin) {
		const char *role = role_in(comp->data, req->who.judge_id);
		if (!role || strcmp(role, "chief") != 0)
			rc = ct_fail(&err, CT_FORBIDDEN, "only the admin or a chief judge of event %s may lock it",
				     req->param[0]);
	}
	if (rc == CT_OK && strcmp(comp->data->state, "drawn") != 0)
		rc = ct_fail(&err, CT_CONFLICT, "event %s is %s; only a drawn event can be locked", req->param[0],
			     comp->data->state);
	if (rc == CT_OK && (comp->res->n_missing > 0 || comp->res->n_open > 0)) {
		http_reply_json(req, 409, blockers_body(comp, req->who.admin, &err));
		return;
	}
	if (rc == CT_OK)
		rc = store_event_transition(req->app->store, req->who.actor, req->param[0], "drawn", "locked", "lock",
					    NULL, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	http_reply_json(req, 200, json_pack("{s:s,s:s}", "event", req->param[0], "state", "locked"));
}
