/* Events and their score sheets: list, register, show; criteria; the draw
 * and the lock. */
#include <stdio.h>
#include <stdlib.h>
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

/* An event's settings other than code and name, absent ones as their
 * defaults. */
static enum ct_status decode_settings(json_t *o, long i, struct event_row *r, struct ct_err *err)
{
	const char *ratios = NULL;
	int64_t pct = 20; /* stored below even when decoding failed */
	enum ct_status rc = jin_str(o, "award_ratios", false, 64, i, &ratios, err);
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

static enum ct_status decode_event(json_t *o, long i, struct event_row *r, struct ct_err *err)
{
	static const char *const known[] = {"code", "name", "award_ratios", "min_award_score", "tiebreak",
					    "discrepancy_pct", NULL};
	enum ct_status rc = jin_known(o, known, i, err);
	if (rc == CT_OK)
		rc = jin_code(o, "code", i, &r->code, err);
	if (rc == CT_OK)
		rc = jin_str(o, "name", true, 200, i, &r->name, err);
	if (rc == CT_OK)
		rc = decode_settings(o, i, r, err);
	return rc;
}

API_ROWS(event_rows, struct event_row, decode_event, store_events_add)

void api_events_post(struct request *req)
{
	api_batch_submit(req, event_rows, 201, "created");
}

/* The judge's role in the event ("judge", "chief") or NULL when not
 * assigned (or withdrawn). */
static const char *role_in(const struct event_data *d, int64_t judge_id)
{
	for (uint32_t j = 0; j < d->n_judges; j++)
		if (d->judges[j].id == judge_id && !d->judges[j].withdrawn)
			return d->judges[j].chief ? "chief" : "judge";
	return NULL;
}

static json_t *sheet_json(const struct event_data *d, const struct sheet *sheet)
{
	int64_t *max_c = xcalloc(d->n_modules ? d->n_modules : 1, sizeof *max_c);
	sheet_module_max(sheet, max_c);
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
							 "max", jin_mark_json(max_c[m]), "criteria", crits));
	}
	free(max_c);
	return modules;
}

json_t *api_warnings_json(const struct sheet_warnings *warn)
{
	json_t *list = json_array();
	for (size_t i = 0; i < warn->n && i < SHEET_WARNINGS_MAX; i++)
		json_array_append_new(list, jin_text(warn->msg[i]));
	if (warn->n > SHEET_WARNINGS_MAX) {
		char more[64];
		snprintf(more, sizeof more, "and %zu more", warn->n - SHEET_WARNINGS_MAX);
		json_array_append_new(list, json_string(more));
	}
	return list;
}

/* What the draw would still refuse in the score sheet (sheet_check). A
 * sheet stored before a check existed may even fail it: that is shown too. */
static json_t *warnings_json(const struct sheet *sheet)
{
	struct sheet_warnings warn;
	struct ct_err err;
	ct_err_clear(&err);
	if (sheet_check(sheet, &warn, &err) != CT_OK) {
		json_t *list = json_array();
		json_array_append_new(list, jin_text(err.msg));
		return list;
	}
	return api_warnings_json(&warn);
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
	struct sheet sheet;
	event_sheet(d, &sheet);
	json_t *body = json_pack("{s:s,s:s,s:s,s:o,s:o,s:s,s:i,s:o,s:o,s:o,s:o}", "code", d->code, "name", d->name,
				 "state", d->state, "award_ratios", ratios_text(d->ratio_c), "min_award_score",
				 d->min_award_c >= 0 ? jin_mark_json(d->min_award_c) : json_null(), "tiebreak", d->tiebreak,
				 "discrepancy_pct", d->discrepancy_pct, "drawn_at",
				 d->drawn_at ? json_string(d->drawn_at) : json_null(), "locked_at",
				 d->locked_at ? json_string(d->locked_at) : json_null(), "modules", sheet_json(d, &sheet),
				 "warnings", warnings_json(&sheet));
	if (req->who.admin) {
		json_t *judges = json_array();
		for (uint32_t j = 0; j < d->n_judges; j++)
			json_array_append_new(judges, json_pack("{s:s,s:s,s:s,s:b}", "code", d->judges[j].code, "name",
								d->judges[j].name, "role",
								d->judges[j].chief ? "chief" : "judge", "withdrawn",
								d->judges[j].withdrawn));
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

/* A criterion's max mark (above 0) and method, as a row or a change has
 * them; absent ones (when not required) leave *max_c -1 and *has_method
 * false. */
static enum ct_status decode_max_method(json_t *o, long i, bool required, int64_t *max_c, bool *has_method,
					enum method *m, struct ct_err *err)
{
	const char *method = NULL;
	*has_method = false;
	enum ct_status rc = jin_mark(o, "max", required, i, max_c, err);
	if (rc == CT_OK && *max_c == 0)
		rc = jin_bad(err, i, "max", "must be above 0");
	if (rc == CT_OK && *max_c > INT32_MAX)
		rc = jin_bad(err, i, "max", "too large");
	if (rc == CT_OK)
		rc = jin_str(o, "method", required, 32, i, &method, err);
	if (rc == CT_OK && method) {
		struct ct_err perr;
		ct_err_clear(&perr);
		if (method_parse(method, m, &perr) != CT_OK)
			rc = jin_bad(err, i, "method", "%s", perr.msg);
		*has_method = rc == CT_OK;
	}
	return rc;
}

static enum ct_status decode_criterion(json_t *o, long i, struct criterion_row *r, struct ct_err *err)
{
	static const char *const known[] = {"event", "module", "module_name", "module_weight", "code",
					    "description", "max", "method", NULL};
	bool has_method;
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
		rc = decode_max_method(o, i, true, &max_c, &has_method, &r->method, err);
	r->module_weight = (int32_t)weight;
	r->max_c = (int32_t)max_c;
	return rc;
}

API_ROWS(criterion_rows, struct criterion_row, decode_criterion, store_criteria_add)

void api_criteria_post(struct request *req)
{
	api_batch_submit(req, criterion_rows, 201, "created");
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
	http_reply_json(req, 200, json_pack("{s:s,s:s,s:i}", "event", req->param[0], "state",
					    event_state_name(EVENT_DRAWN), "contestants", (int)n));
}

#define BLOCKERS_LISTED 100

/* What blocks the lock, for an organizer: by registration id, with the
 * judge who owes each value. */
static void blockers_by_reg(const struct computed *comp, json_t *missing, json_t *disc)
{
	const struct event_data *d = comp->data;
	const struct result *r = comp->res;
	for (size_t i = 0; i < r->n_missing && i < BLOCKERS_LISTED; i++) {
		const struct missing *m = &r->missing[i];
		const struct ev_contestant *c = &d->contestants[m->contestant];
		json_array_append_new(missing, json_pack("{s:s,s:o,s:s,s:o}", "contestant", c->reg_id, "code",
							 jin_opt_str(c->code), "criterion", d->criteria[m->criterion].code,
							 "judge", m->judge == UINT32_MAX ? json_null()
							 : json_string(d->judges[comp->panel[m->judge]].code)));
	}
	for (size_t i = 0; i < r->n_discrepancies && json_array_size(disc) < BLOCKERS_LISTED; i++) {
		const struct discrepancy *x = &r->discrepancies[i];
		const struct ev_contestant *c = &d->contestants[x->contestant];
		if (!x->accepted)
			json_array_append_new(disc, json_pack("{s:s,s:o,s:s,s:o,s:o}", "contestant", c->reg_id, "code",
							      jin_opt_str(c->code), "criterion",
							      d->criteria[x->criterion].code, "low", jin_mark_json(x->low_c),
							      "high", jin_mark_json(x->high_c)));
	}
}

/* What blocks the lock, for a chief judge before the lock: anonymous codes
 * in code order, how many values each criterion lacks as the chief's
 * progress shows it (blind counts), never which judge owes them (that would
 * show whom a judge is recused from). */
static void blockers_by_code(const struct computed *comp, json_t *missing, json_t *disc)
{
	const struct event_data *d = comp->data;
	const struct result *r = comp->res;
	struct progress *p = NULL;
	if (results_progress(comp, &p, NULL) != CT_OK)
		return; /* the counts still say what blocks the lock */
	const uint32_t *lacking = p->blind;
	uint32_t *order = api_code_order(d);
	uint32_t *open = xcalloc((size_t)d->n_contestants * d->n_criteria + 1, sizeof *open);
	for (size_t i = 0; i < r->n_discrepancies; i++)
		if (!r->discrepancies[i].accepted)
			open[(size_t)r->discrepancies[i].contestant * d->n_criteria + r->discrepancies[i].criterion] =
				(uint32_t)i + 1;
	for (uint32_t n = 0; n < d->n_contestants; n++) {
		const struct ev_contestant *c = &d->contestants[order[n]];
		for (uint32_t k = 0; k < d->n_criteria; k++) {
			size_t cell = (size_t)order[n] * d->n_criteria + k;
			if (lacking[cell] && json_array_size(missing) < BLOCKERS_LISTED)
				json_array_append_new(missing, json_pack("{s:o,s:s,s:I}", "code", jin_opt_str(c->code),
									 "criterion", d->criteria[k].code, "values",
									 (json_int_t)lacking[cell]));
			if (open[cell] && json_array_size(disc) < BLOCKERS_LISTED) {
				const struct discrepancy *x = &r->discrepancies[open[cell] - 1];
				json_array_append_new(disc, json_pack("{s:o,s:s,s:o,s:o}", "code", jin_opt_str(c->code),
								      "criterion", d->criteria[k].code, "low",
								      jin_mark_json(x->low_c), "high",
								      jin_mark_json(x->high_c)));
			}
		}
	}
	free(open);
	free(order);
	progress_free(p);
}

/* The 409 body of a refused lock: the workflow's message and what blocks it. */
static json_t *blockers_body(const struct computed *comp, bool identities, const struct ct_err *err)
{
	const struct result *r = comp->res;
	json_t *missing = json_array(), *disc = json_array();
	if (identities)
		blockers_by_reg(comp, missing, disc);
	else
		blockers_by_code(comp, missing, disc);
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
	struct event_access acc;
	if (!api_event_role(req, WF_LOCK, &acc))
		return;
	const struct computed *comp = NULL;
	struct wf_facts facts = {0};
	enum event_state to = EVENT_LOCKED;
	enum ct_status rc = workflow_step(acc.state, WF_LOCK, req->param[0], &facts, NULL, &err);
	if (rc == CT_OK)
		rc = results_get(req->app->results, req->app->store, req->param[0], &comp, &err);
	if (rc == CT_OK) {
		facts.missing = comp->res->n_missing;
		facts.incomplete = comp->res->n_incomplete;
		facts.open_discrepancies = comp->res->n_open;
		rc = store_event_transition(req->app->store, req->who.actor, acc.role == WF_ROLE_CHIEF ? "chief" : NULL,
					    req->param[0], WF_LOCK, &facts, NULL, &to, &err);
	}
	if (rc == CT_CONFLICT && comp && (facts.missing > 0 || facts.open_discrepancies > 0)) {
		http_reply_json(req, 409, blockers_body(comp, acc.identities, &err));
		return;
	}
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	http_reply_json(req, 200, json_pack("{s:s,s:s}", "event", req->param[0], "state", event_state_name(to)));
}

/* An organizer takes a locked event back to drawn, with a reason; a
 * published one too, to correct it and publish a new version. */
void api_unlock_post(struct request *req)
{
	static const char *const known[] = {"reason", NULL};
	struct ct_err err;
	ct_err_clear(&err);
	struct wf_facts facts = {0};
	enum event_state to = EVENT_DRAWN;
	enum ct_status rc = jin_body(req->body, known, &err);
	if (rc == CT_OK)
		rc = jin_str(req->body, "reason", false, 500, -1, &facts.reason, &err);
	if (rc == CT_OK)
		rc = store_event_transition(req->app->store, req->who.actor, NULL, req->param[0], WF_UNLOCK, &facts,
					    facts.reason, &to, &err);
	if (rc == CT_OK)
		api_public_changed(req->app); /* a published event is now being corrected */
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	http_reply_json(req, 200, json_pack("{s:s,s:s,s:s}", "event", req->param[0], "state", event_state_name(to),
					    "reason", facts.reason));
}

/* ---- corrections while an event is in setup ---- */

/* Replies to a change of a score sheet: the path's codes, the fields the
 * body changed (a PATCH), extra members (stolen; may be NULL) and the
 * sheet's warnings, as GET /api/v1/events/{event} gives them. */
static void reply_sheet_change(struct request *req, const char *what, json_t *extra,
			       const struct sheet_warnings *warn)
{
	json_t *body = json_pack("{s:s}", "event", req->param[0]);
	if (what)
		json_object_set_new(body, what, json_string(req->param[1]));
	if (req->body) {
		json_t *changed = json_array();
		const char *key;
		json_t *v;
		json_object_foreach(req->body, key, v)
			json_array_append_new(changed, json_string(key));
		json_object_set_new(body, "changed", changed);
	}
	if (extra)
		json_object_update(body, extra);
	json_decref(extra);
	json_object_set_new(body, "warnings", api_warnings_json(warn));
	http_reply_json(req, 200, body);
}

void api_event_patch(struct request *req)
{
	static const char *const known[] = {"name", "award_ratios", "min_award_score", "tiebreak", "discrepancy_pct",
					    NULL};
	struct ct_err err;
	ct_err_clear(&err);
	struct event_row r = {0};
	struct event_patch p = {.min_award_c = -2, .discrepancy_pct = -2};
	struct sheet_warnings warn = {0};
	enum ct_status rc = jin_body(req->body, known, &err);
	if (rc == CT_OK && json_object_size(req->body) == 0)
		rc = ct_fail(&err, CT_INVALID, "nothing to change: give name, award_ratios, min_award_score, tiebreak "
			     "or discrepancy_pct");
	if (rc == CT_OK)
		rc = jin_change(req->body, "name", false, 200, &p.name, &err);
	if (rc == CT_OK)
		rc = decode_settings(req->body, -1, &r, &err);
	/* a setting given (null or "" clears a minimum or a tie-break) replaces the registered one */
	if (rc == CT_OK && json_object_get(req->body, "award_ratios")) {
		p.ratios = true;
		memcpy(p.ratio_c, r.ratio_c, sizeof p.ratio_c);
	}
	if (rc == CT_OK && json_object_get(req->body, "min_award_score"))
		p.min_award_c = r.min_award_c;
	if (rc == CT_OK && json_object_get(req->body, "tiebreak"))
		p.tiebreak = r.tiebreak ? r.tiebreak : "";
	if (rc == CT_OK && json_object_get(req->body, "discrepancy_pct"))
		p.discrepancy_pct = r.discrepancy_pct;
	if (rc == CT_OK)
		rc = store_event_set(req->app->store, req->who.actor, req->param[0], &p, &warn, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	reply_sheet_change(req, NULL, NULL, &warn);
}

void api_event_delete(struct request *req)
{
	struct ct_err err;
	ct_err_clear(&err);
	struct event_counts n = {0};
	enum ct_status rc = store_event_delete(req->app->store, req->who.actor, req->param[0], &n, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	http_reply_json(req, 200, json_pack("{s:s,s:b,s:I,s:I,s:I,s:I}", "event", req->param[0], "deleted", 1,
					    "modules", (json_int_t)n.modules, "criteria", (json_int_t)n.criteria,
					    "contestants", (json_int_t)n.contestants, "assignments",
					    (json_int_t)n.assignments));
}

void api_module_patch(struct request *req)
{
	static const char *const known[] = {"name", "weight", NULL};
	struct ct_err err;
	ct_err_clear(&err);
	struct module_patch p = {NULL, -2};
	struct sheet_warnings warn = {0};
	int64_t weight = -2;
	enum ct_status rc = jin_body(req->body, known, &err);
	if (rc == CT_OK)
		rc = jin_change(req->body, "name", false, 200, &p.name, &err);
	/* "weight": null or "" takes the weight away */
	if (rc == CT_OK && json_object_get(req->body, "weight"))
		rc = jin_int(req->body, "weight", false, 0, 100, -1, -1, &weight, &err);
	p.weight = (int32_t)weight;
	if (rc == CT_OK && !p.name && p.weight == -2)
		rc = ct_fail(&err, CT_INVALID, "nothing to change: give name or weight");
	if (rc == CT_OK)
		rc = store_module_set(req->app->store, req->who.actor, req->param[0], req->param[1], &p, &warn, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	reply_sheet_change(req, "module", NULL, &warn);
}

void api_module_delete(struct request *req)
{
	struct ct_err err;
	ct_err_clear(&err);
	struct sheet_warnings warn = {0};
	uint32_t n = 0;
	enum ct_status rc = store_module_delete(req->app->store, req->who.actor, req->param[0], req->param[1], &n,
						&warn, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	reply_sheet_change(req, "module", json_pack("{s:b,s:I}", "deleted", 1, "criteria", (json_int_t)n), &warn);
}

void api_criterion_patch(struct request *req)
{
	static const char *const known[] = {"description", "max", "method", NULL};
	struct ct_err err;
	ct_err_clear(&err);
	struct criterion_patch p = {NULL, -1, false, METHOD_MEAN};
	struct sheet_warnings warn = {0};
	int64_t max_c = -1;
	enum ct_status rc = jin_body(req->body, known, &err);
	if (rc == CT_OK)
		rc = jin_change(req->body, "description", true, 1000, &p.description, &err);
	if (rc == CT_OK)
		rc = decode_max_method(req->body, -1, false, &max_c, &p.has_method, &p.method, &err);
	if (rc == CT_OK && json_object_get(req->body, "max") && max_c < 0)
		rc = jin_bad(&err, -1, "max", "cannot be empty");
	if (rc == CT_OK && json_object_get(req->body, "method") && !p.has_method)
		rc = jin_bad(&err, -1, "method", "cannot be empty");
	p.max_c = (int32_t)max_c;
	if (rc == CT_OK && !p.description && p.max_c < 0 && !p.has_method)
		rc = ct_fail(&err, CT_INVALID, "nothing to change: give description, max or method");
	if (rc == CT_OK)
		rc = store_criterion_set(req->app->store, req->who.actor, req->param[0], req->param[1], &p, &warn, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	reply_sheet_change(req, "criterion", NULL, &warn);
}

void api_criterion_delete(struct request *req)
{
	struct ct_err err;
	ct_err_clear(&err);
	struct sheet_warnings warn = {0};
	bool module_deleted = false;
	enum ct_status rc = store_criterion_delete(req->app->store, req->who.actor, req->param[0], req->param[1],
						   &module_deleted, &warn, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	reply_sheet_change(req, "criterion", json_pack("{s:b,s:b}", "deleted", 1, "module_deleted", module_deleted),
			   &warn);
}

/* Replaces the score sheets of the events the rows name (PUT): the rows of
 * POST /api/v1/criteria, all events or none. */
void api_criteria_put(struct request *req)
{
	struct ct_err err;
	ct_err_clear(&err);
	size_t n = 0, n_events = 0;
	struct sheet_replaced *done = NULL;
	enum ct_status rc = jin_rows(req->body, &n, &err);
	struct criterion_row *rows = rc == CT_OK ? xcalloc(n, sizeof *rows) : NULL;
	for (size_t i = 0; rc == CT_OK && i < n; i++)
		rc = decode_criterion(jin_row(req->body, i), (long)i, &rows[i], &err);
	if (rc == CT_OK)
		rc = store_criteria_replace(req->app->store, req->who.actor, rows, n, &done, &n_events, &err);
	free(rows);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	json_t *events = json_array();
	for (size_t e = 0; e < n_events; e++)
		json_array_append_new(events, json_pack("{s:s,s:I,s:I,s:o}", "event", done[e].event, "modules",
							(json_int_t)done[e].modules, "criteria",
							(json_int_t)done[e].criteria, "warnings",
							api_warnings_json(&done[e].warn)));
	free(done);
	http_reply_json(req, 200, json_pack("{s:I,s:I,s:o}", "replaced", (json_int_t)n_events, "created",
					    (json_int_t)n, "events", events));
}
