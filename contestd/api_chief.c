/* The chief judge's views and decisions (also open to organizers): the
 * progress matrix, every value of the event, judge statistics, accepting a
 * discrepancy. Before the lock a chief judge sees anonymous codes only, in
 * code order (never registration order), and never which judge owes a
 * value for which code (that would show whom a judge is recused from). */
#include <event2/buffer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "decimal.h"
#include "jin.h"
#include "results.h"
#include "store.h"
#include "xmalloc.h"

bool api_event_role(struct request *req, enum wf_action action, struct event_access *out)
{
	struct ct_err err;
	ct_err_clear(&err);
	enum ct_status rc = store_event_access(req->app->store, req->param[0], req->who.admin ? 0 : req->who.judge_id,
					       &out->role, &out->state, &out->version, &err);
	if (rc == CT_OK)
		rc = workflow_may(action, out->role, req->param[0], &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return false;
	}
	out->identities = out->role == WF_ROLE_ORGANIZER || workflow_identities_visible(out->state);
	return true;
}

/* A view being answered: its key and version in the kept answers. */
struct view {
	char key[HTTP_PARAM_MAX + 32];
	char etag[48];
	uint64_t v[2];
};

/* The start of a view of the event: may the caller see it (action), is
 * it unchanged since the caller's copy (304 without computing anything),
 * is its answer kept (answered from memory), else the event computed.
 * False when already answered. */
static bool view_start(struct request *req, enum wf_action action, const char *kind, struct event_access *acc,
		       struct view *view, const struct computed **comp)
{
	if (!api_event_role(req, action, acc))
		return false;
	snprintf(view->etag, sizeof view->etag, "\"%lld.%c\"", (long long)acc->version, acc->identities ? 'i' : 'a');
	if (http_etag_matches(req, view->etag)) {
		http_reply_not_modified(req, view->etag);
		return false;
	}
	snprintf(view->key, sizeof view->key, "%s/%s/%c", kind, req->param[0], acc->identities ? 'i' : 'a');
	view->v[0] = (uint64_t)acc->version;
	view->v[1] = 0;
	if (api_reply_kept(req, view->key, view->v))
		return false;
	struct ct_err err;
	ct_err_clear(&err);
	enum ct_status rc = results_get(req->app->results, req->app->store, req->param[0], comp, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return false;
	}
	/* kept under the version it was computed at, which may be newer */
	view->v[0] = (uint64_t)(*comp)->data->version;
	snprintf(view->etag, sizeof view->etag, "\"%lld.%c\"", (long long)(*comp)->data->version,
		 acc->identities ? 'i' : 'a');
	return true;
}

/* By anonymous code, then (before the draw, without codes) by reg_id. */
static int cmp_contestant(const void *a, const void *b, void *arg)
{
	const struct event_data *d = arg;
	const struct ev_contestant *x = &d->contestants[*(const uint32_t *)a];
	const struct ev_contestant *y = &d->contestants[*(const uint32_t *)b];
	int c = strcmp(x->code ? x->code : "", y->code ? y->code : "");
	return c ? c : strcmp(x->reg_id, y->reg_id);
}

uint32_t *api_code_order(const struct event_data *d)
{
	uint32_t *order = xcalloc(d->n_contestants ? d->n_contestants : 1, sizeof *order);
	for (uint32_t i = 0; i < d->n_contestants; i++)
		order[i] = i;
	qsort_r(order, d->n_contestants, sizeof *order, cmp_contestant, (void *)d);
	return order;
}

/* rank[i]: the place of contestant i in code order. */
static uint32_t *code_rank(const struct event_data *d, const uint32_t *order)
{
	uint32_t *rank = xcalloc(d->n_contestants ? d->n_contestants : 1, sizeof *rank);
	for (uint32_t n = 0; n < d->n_contestants; n++)
		rank[order[n]] = n;
	return rank;
}

/* A contestant as the caller may see it: its code, and with identities its
 * reg_id and name. */
static json_t *who_json(const struct ev_contestant *c, bool identities)
{
	json_t *o = json_pack("{s:o}", "code", jin_opt_str(c->code));
	if (identities) {
		json_object_set_new(o, "reg_id", json_string(c->reg_id));
		json_object_set_new(o, "name", json_string(c->name));
	}
	return o;
}

/* Whether value x is from a judge recused from its contestant (same
 * organization): possible only after an organization correction; the
 * engine leaves such values out. */
static bool value_recused(const struct event_data *d, const struct sheet_value *x)
{
	uint32_t org = d->contestants[x->contestant].org_id;
	return org != 0 && d->judges[x->judge].org_id == org;
}

/* Whether value x counts: a scoring judge's, not withdrawn, not recused. */
static bool value_counts(const struct event_data *d, const struct sheet_value *x)
{
	const struct ev_judge *j = &d->judges[x->judge];
	return !j->chief && !j->withdrawn && !value_recused(d, x);
}

/* The sheet judge (index into the result's panel) of event judge j, or -1. */
static long panel_of(const struct computed *comp, uint32_t j)
{
	for (uint32_t k = 0; k < comp->n_panel; k++)
		if (comp->panel[k] == j)
			return (long)k;
	return -1;
}

/* ---- progress ---- */

static json_t *judges_progress(const struct computed *comp, const struct progress *p, bool identities)
{
	const struct event_data *d = comp->data;
	const struct result *r = comp->res;
	json_t *judges = json_array();
	for (uint32_t j = 0; j < d->n_judges; j++) {
		const struct ev_judge *ej = &d->judges[j];
		long pj = panel_of(comp, j);
		if (ej->chief)
			continue;
		json_t *o = json_pack("{s:s,s:s,s:b}", "code", ej->code, "name", ej->name, "withdrawn", ej->withdrawn);
		json_array_append_new(judges, o);
		if (pj < 0)
			continue; /* withdrawn: owes nothing */
		const struct judge_progress *jp = &p->judges[pj];
		json_t *by = json_object();
		for (uint32_t k = 0; k < d->n_criteria; k++)
			if (jp->missing_by_criterion[k])
				json_object_set_new(by, d->criteria[k].code, json_integer(jp->missing_by_criterion[k]));
		json_object_set_new(o, "required", json_integer(jp->required));
		json_object_set_new(o, "entered", json_integer(jp->required - jp->missing));
		json_object_set_new(o, "missing", json_integer(jp->missing));
		json_object_set_new(o, "missing_by_criterion", by);
		if (!identities)
			continue; /* which values: organizers only; for a chief it would show recusals */
		json_t *list = json_array();
		for (size_t m = 0; m < r->n_missing; m++) {
			if (r->missing[m].judge != (uint32_t)pj)
				continue;
			json_t *w = who_json(&d->contestants[r->missing[m].contestant], true);
			json_object_set_new(w, "criterion", json_string(d->criteria[r->missing[m].criterion].code));
			json_array_append_new(list, w);
		}
		json_object_set_new(o, "missing_values", list);
	}
	return judges;
}

/* The contestants still incomplete, in code order, with the number of
 * values each criterion still lacks (for a chief before the lock, the
 * blind counts that do not give recusals away). */
static json_t *contestants_progress(const struct event_data *d, const struct progress *p, const uint32_t *order,
				    bool identities)
{
	json_t *list = json_array();
	const uint32_t *counts = identities ? p->incomplete : p->blind;
	for (uint32_t n = 0; n < d->n_contestants; n++) {
		uint32_t i = order[n];
		const uint32_t *row = &counts[(size_t)i * d->n_criteria];
		json_t *crits = NULL;
		for (uint32_t k = 0; k < d->n_criteria; k++) {
			if (!row[k])
				continue;
			if (!crits)
				crits = json_object();
			json_object_set_new(crits, d->criteria[k].code, json_integer(row[k]));
		}
		if (!crits)
			continue;
		json_t *o = who_json(&d->contestants[i], identities);
		json_object_set_new(o, "missing_by_criterion", crits);
		json_array_append_new(list, o);
	}
	return list;
}

/* One counting value of a discrepancy, for sorting by judge. */
struct disc_value {
	size_t disc;              /* index into the result's discrepancies */
	uint32_t judge;           /* index into the event's judges (code order) */
	int32_t value_c;
};

static int cmp_disc_value(const void *a, const void *b)
{
	const struct disc_value *x = a, *y = b;
	if (x->disc != y->disc)
		return x->disc < y->disc ? -1 : 1;
	return (x->judge > y->judge) - (x->judge < y->judge);
}

struct cell_key {
	uint32_t contestant, criterion;
	size_t index;             /* into the result's discrepancies */
};

static int cmp_cell(const void *a, const void *b)
{
	const struct cell_key *x = a, *y = b;
	if (x->contestant != y->contestant)
		return x->contestant < y->contestant ? -1 : 1;
	return (x->criterion > y->criterion) - (x->criterion < y->criterion);
}

/* The discrepancy at (contestant, criterion) in keys sorted by cell, or NULL. */
static const struct cell_key *find_cell(const struct cell_key *keys, size_t n, uint32_t c, uint32_t k)
{
	struct cell_key key = {c, k, 0};
	return bsearch(&key, keys, n, sizeof *keys, cmp_cell);
}

static json_t *discrepancy_json(const struct event_data *d, const struct discrepancy *x, bool identities)
{
	const struct ev_criterion *c = &d->criteria[x->criterion];
	json_t *o = who_json(&d->contestants[x->contestant], identities);
	json_object_set_new(o, "criterion", json_string(c->code));
	json_object_set_new(o, "method", json_string(method_name(c->method)));
	json_object_set_new(o, "low", jin_mark_json(x->low_c));
	json_object_set_new(o, "high", jin_mark_json(x->high_c));
	json_object_set_new(o, "accepted", json_boolean(x->accepted));
	json_object_set_new(o, "values", json_array());
	json_object_set_new(o, "accepted_value", json_null());
	json_object_set_new(o, "reason", json_null());
	json_object_set_new(o, "accepted_by", json_null());
	return o;
}

/* Every discrepancy with each counting value and the judge who gave it,
 * and its acceptance if any; in code order, then criterion. */
static json_t *discrepancies_json(const struct computed *comp, const uint32_t *rank, bool identities)
{
	const struct event_data *d = comp->data;
	const struct result *r = comp->res;
	size_t n = r->n_discrepancies, nv = 0, cap = 0;
	struct cell_key *keys = xcalloc(n ? n : 1, sizeof *keys);
	json_t **rows = xcalloc(n ? n : 1, sizeof *rows);
	struct disc_value *values = NULL;
	for (size_t i = 0; i < n; i++) {
		keys[i] = (struct cell_key){r->discrepancies[i].contestant, r->discrepancies[i].criterion, i};
		rows[i] = discrepancy_json(d, &r->discrepancies[i], identities);
	}
	qsort(keys, n, sizeof *keys, cmp_cell);
	for (size_t v = 0; v < d->n_values; v++) {
		const struct sheet_value *x = &d->values[v];
		const struct cell_key *hit = find_cell(keys, n, x->contestant, x->criterion);
		if (!hit || !value_counts(d, x))
			continue; /* only the values that count */
		values = xgrow(values, nv, &cap, 16, sizeof *values);
		values[nv++] = (struct disc_value){hit->index, x->judge, x->value_c};
	}
	if (nv)
		qsort(values, nv, sizeof *values, cmp_disc_value);
	for (size_t v = 0; v < nv; v++) {
		char buf[DEC_TEXT_MAX];
		json_array_append_new(json_object_get(rows[values[v].disc], "values"),
				      json_pack("{s:s,s:s}", "judge", d->judges[values[v].judge].code, "value",
						dec_format(values[v].value_c, buf)));
	}
	for (size_t a = 0; a < d->n_accepts; a++) {
		const struct cell_key *hit = find_cell(keys, n, d->accepts[a].contestant, d->accepts[a].criterion);
		if (!hit)
			continue;
		json_t *o = rows[hit->index];
		if (d->accepts[a].has_value)
			json_object_set_new(o, "accepted_value", jin_mark_json(d->accepts[a].value_c));
		json_object_set_new(o, "reason", jin_opt_str(d->accept_info[a].reason));
		json_object_set_new(o, "accepted_by", jin_opt_str(d->accept_info[a].by));
	}
	for (size_t i = 0; i < n; i++)
		keys[i] = (struct cell_key){rank[r->discrepancies[i].contestant], r->discrepancies[i].criterion, i};
	qsort(keys, n, sizeof *keys, cmp_cell);
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, rows[keys[i].index]);
	free(values);
	free(rows);
	free(keys);
	return list;
}

void api_progress_get(struct request *req)
{
	struct event_access acc;
	struct view view;
	const struct computed *comp = NULL;
	if (!view_start(req, WF_VIEW_PROGRESS, "progress", &acc, &view, &comp))
		return;
	struct ct_err err;
	ct_err_clear(&err);
	struct progress *p = NULL;
	enum ct_status rc = results_progress(comp, &p, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	const struct event_data *d = comp->data;
	const struct result *r = comp->res;
	uint32_t *order = api_code_order(d), *rank = code_rank(d, order);
	uint32_t complete = acc.identities ? p->complete : p->blind_complete;
	json_t *summary = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "competed", (json_int_t)p->competed,
				    "complete", (json_int_t)complete, "incomplete", (json_int_t)(p->competed - complete),
				    "required", (json_int_t)p->required, "entered",
				    (json_int_t)(p->required - p->missing), "missing", (json_int_t)p->missing,
				    "discrepancies", (json_int_t)r->n_discrepancies, "open_discrepancies",
				    (json_int_t)r->n_open);
	json_t *body = json_pack("{s:s,s:s,s:s,s:I,s:b,s:o,s:o,s:o,s:o}", "event", d->code, "name", d->name, "state",
				 d->state, "data_version", (json_int_t)d->version, "identities", acc.identities,
				 "summary", summary, "judges", judges_progress(comp, p, acc.identities), "contestants",
				 contestants_progress(d, p, order, acc.identities), "discrepancies",
				 discrepancies_json(comp, rank, acc.identities));
	free(order);
	free(rank);
	progress_free(p);
	api_reply_keep(req, view.key, view.v, view.etag, body);
}

/* ---- every value ---- */

struct value_ref {
	uint32_t rank;            /* the contestant's place in code order */
	uint32_t criterion, judge;
	size_t v;                 /* index into the event's values */
};

static int cmp_value_ref(const void *a, const void *b)
{
	const struct value_ref *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->criterion != y->criterion)
		return x->criterion < y->criterion ? -1 : 1;
	return (x->judge > y->judge) - (x->judge < y->judge);
}

static json_t *criteria_json(const struct event_data *d)
{
	json_t *list = json_array();
	for (uint32_t k = 0; k < d->n_criteria; k++) {
		const struct ev_criterion *c = &d->criteria[k];
		json_array_append_new(list, json_pack("{s:s,s:s,s:s,s:o}", "code", c->code, "module",
						      d->modules[c->module].code, "method", method_name(c->method), "max",
						      jin_mark_json(c->max_c)));
	}
	return list;
}

void api_scores_get(struct request *req)
{
	struct event_access acc;
	struct view view;
	const struct computed *comp = NULL;
	if (!view_start(req, WF_VIEW_SCORES, "scores", &acc, &view, &comp))
		return;
	const struct event_data *d = comp->data;
	uint32_t *order = api_code_order(d), *rank = code_rank(d, order);
	struct value_ref *refs = xcalloc(d->n_values ? d->n_values : 1, sizeof *refs);
	for (size_t v = 0; v < d->n_values; v++)
		refs[v] = (struct value_ref){rank[d->values[v].contestant], d->values[v].criterion, d->values[v].judge, v};
	qsort(refs, d->n_values, sizeof *refs, cmp_value_ref);
	/* Every value of the event (3 million on a contest day's largest):
	 * written as text directly, each contestant's part encoded once,
	 * rather than as a JSON object per value (whose allocations alone held
	 * the event loop up for 0.3 s at 60,000 values). */
	char **who = xcalloc(d->n_contestants ? d->n_contestants : 1, sizeof *who);
	for (uint32_t c = 0; c < d->n_contestants; c++) {
		json_t *o = who_json(&d->contestants[c], acc.identities);
		who[c] = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(o);
		if (!who[c])
			abort(); /* out of memory, as xmalloc */
		who[c][strlen(who[c]) - 1] = '\0'; /* without its closing brace */
	}
	struct evbuffer *rows = xmade(evbuffer_new(), "an evbuffer");
	for (size_t n = 0; n < d->n_values; n++) {
		const struct sheet_value *x = &d->values[refs[n].v];
		/* a recused judge's value (left by an organization correction)
		 * would tell a chief the contestant's organization */
		if (!acc.identities && value_recused(d, x))
			continue;
		char mark[DEC_TEXT_MAX], tail[64];
		int len = snprintf(tail, sizeof tail, "\",\"revision\":%lld,\"counts\":%s}",
				   (long long)d->revisions[refs[n].v], value_counts(d, x) ? "true" : "false");
		if (evbuffer_get_length(rows))
			evbuffer_add(rows, ",", 1);
		evbuffer_add(rows, who[x->contestant], strlen(who[x->contestant]));
		evbuffer_add(rows, ",\"criterion\":", 13);
		jin_put_string(rows, d->criteria[x->criterion].code);
		evbuffer_add(rows, ",\"judge\":", 9);
		jin_put_string(rows, d->judges[x->judge].code);
		evbuffer_add(rows, ",\"value\":\"", 10);
		evbuffer_add(rows, dec_format(x->value_c, mark), strlen(mark));
		evbuffer_add(rows, tail, (size_t)len);
	}
	for (uint32_t c = 0; c < d->n_contestants; c++)
		free(who[c]);
	free(who);
	json_t *judges = json_array();
	for (uint32_t j = 0; j < d->n_judges; j++)
		if (!d->judges[j].chief)
			json_array_append_new(judges, json_pack("{s:s,s:s,s:b}", "code", d->judges[j].code, "name",
								d->judges[j].name, "withdrawn", d->judges[j].withdrawn));
	json_t *body = json_pack("{s:s,s:s,s:s,s:I,s:b,s:o,s:o,s:[]}", "event", d->code, "name", d->name, "state",
				 d->state, "data_version", (json_int_t)d->version, "identities", acc.identities,
				 "criteria", criteria_json(d), "judges", judges, "scores");
	free(refs);
	free(order);
	free(rank);
	/* the head ends with "scores":[]}: the rows go between the brackets */
	char *head = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(body);
	if (!head)
		abort();
	size_t head_len = strlen(head) - 2;
	evbuffer_prepend(rows, head, head_len);
	evbuffer_add(rows, "]}", 2);
	free(head);
	size_t n = evbuffer_get_length(rows);
	api_reply_keep_text(req, view.key, view.v, view.etag, (const char *)evbuffer_pullup(rows, -1), n);
	evbuffer_free(rows);
}

/* ---- judge statistics ---- */

static json_t *stat_json(const struct judge_stat *s, bool with_deviation)
{
	json_t *o = json_pack("{s:I,s:I,s:I,s:I,s:I}", "n_values", (json_int_t)s->n_values, "compared",
			      (json_int_t)s->compared, "highest", (json_int_t)s->highest, "lowest", (json_int_t)s->lowest,
			      "discrepancies", (json_int_t)s->discrepancies);
	if (with_deviation)
		json_object_set_new(o, "mean_deviation", s->has_deviation ? jin_mark_json(s->mean_dev_c) : json_null());
	return o;
}

void api_judge_stats_get(struct request *req)
{
	struct event_access acc;
	struct view view;
	const struct computed *comp = NULL;
	if (!view_start(req, WF_VIEW_STATS, "stats", &acc, &view, &comp))
		return;
	struct ct_err err;
	ct_err_clear(&err);
	struct judge_stats *st = NULL;
	enum ct_status rc = results_judge_stats(comp, &st, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	const struct event_data *d = comp->data;
	json_t *judges = json_array();
	for (uint32_t pj = 0; pj < st->n_judges; pj++) {
		const struct ev_judge *j = &d->judges[comp->panel[pj]];
		json_t *o = stat_json(&st->total[pj], false);
		json_object_set_new(o, "code", json_string(j->code));
		json_object_set_new(o, "name", json_string(j->name));
		json_t *crits = json_array();
		for (uint32_t k = 0; k < st->n_criteria; k++) {
			json_t *c = stat_json(&st->by_criterion[(size_t)pj * st->n_criteria + k], true);
			json_object_set_new(c, "criterion", json_string(d->criteria[k].code));
			json_array_append_new(crits, c);
		}
		json_object_set_new(o, "criteria", crits);
		json_array_append_new(judges, o);
	}
	judge_stats_free(st);
	api_reply_keep(req, view.key, view.v, view.etag,
		       json_pack("{s:s,s:s,s:s,s:I,s:o,s:o}", "event", d->code, "name", d->name, "state", d->state,
				 "data_version", (json_int_t)d->version, "criteria", criteria_json(d), "judges", judges));
}

/* ---- accepting a discrepancy ---- */

/* The discrepancy on (contestant, criterion) of a computed event: the
 * contestant named by anonymous code (an organizer may use the reg_id). */
static const struct discrepancy *discrepancy_at(const struct computed *comp, const char *who, const char *criterion,
						bool by_reg)
{
	const struct event_data *d = comp->data;
	for (size_t i = 0; i < comp->res->n_discrepancies; i++) {
		const struct discrepancy *x = &comp->res->discrepancies[i];
		const struct ev_contestant *c = &d->contestants[x->contestant];
		if (strcmp(d->criteria[x->criterion].code, criterion) == 0 &&
		    ((c->code && strcmp(c->code, who) == 0) || (by_reg && strcmp(c->reg_id, who) == 0)))
			return x;
	}
	return NULL;
}

void api_accept_post(struct request *req)
{
	static const char *const known[] = {"contestant", "criterion", "reason", "value", NULL};
	struct ct_err err;
	ct_err_clear(&err);
	const char *contestant = NULL, *criterion = NULL, *reason = NULL;
	int64_t value_c = -1;
	struct event_access acc;
	enum ct_status rc = jin_body(req->body, known, &err);
	if (rc == CT_OK)
		rc = jin_code(req->body, "contestant", -1, &contestant, &err);
	if (rc == CT_OK)
		rc = jin_code(req->body, "criterion", -1, &criterion, &err);
	if (rc == CT_OK)
		rc = jin_str(req->body, "reason", true, 500, -1, &reason, &err);
	if (rc == CT_OK)
		rc = jin_mark(req->body, "value", false, -1, &value_c, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	if (!api_event_role(req, WF_ACCEPT, &acc))
		return;
	const struct computed *comp = NULL;
	rc = workflow_step(acc.state, WF_ACCEPT, req->param[0], NULL, NULL, &err);
	if (rc == CT_OK)
		rc = results_get(req->app->results, req->app->store, req->param[0], &comp, &err);
	bool organizer = acc.role == WF_ROLE_ORGANIZER;
	if (rc == CT_OK && !discrepancy_at(comp, contestant, criterion, organizer))
		rc = ct_fail(&err, CT_CONFLICT, "contestant %s has no discrepancy on criterion %s of event %s to accept",
			     contestant, criterion, req->param[0]);
	if (rc == CT_OK)
		rc = store_accept(req->app->store, req->who.actor, organizer ? "organizer" : "chief", req->param[0],
				  contestant, criterion, value_c, reason, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	http_reply_json(req, 200, json_pack("{s:s,s:s,s:s,s:b,s:o,s:s}", "event", req->param[0], "contestant",
					    contestant, "criterion", criterion, "accepted", 1, "value",
					    value_c >= 0 ? jin_mark_json(value_c) : json_null(), "reason", reason));
}
