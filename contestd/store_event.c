/* The event workflow (draw, state transitions) and reading an event whole
 * for results, sheets and lists. */
#include "store_int.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "xmalloc.h"

static const char SQL_DRAW_COUNTS[] =
	"SELECT (SELECT count(*) FROM contestants WHERE event_id = :event), "
	"(SELECT count(*) FROM criteria WHERE event_id = :event), "
	"(SELECT count(*) FROM assignments WHERE event_id = :event AND role = 'judge')";
static const char SQL_DRAW_IDS[] = "SELECT id FROM contestants WHERE event_id = :event ORDER BY id";
static const char SQL_DRAW_SET[] =
	"UPDATE contestants SET workstation = :ws, anon_code = :code, "
	"status = CASE status WHEN 'registered' THEN 'competed' ELSE status END WHERE id = :id";
/* :drawn, :final: stamp drawn_at, finalized_at now (1) or keep (0);
 * :locked: stamp locked_at now (1), clear it (0) or keep it (2). */
static const char SQL_STATE_SET[] =
	"UPDATE events SET state = :to, drawn_at = CASE WHEN :drawn THEN :at ELSE drawn_at END, "
	"locked_at = CASE :locked WHEN 1 THEN :at WHEN 0 THEN NULL ELSE locked_at END, "
	"finalized_at = CASE WHEN :final THEN :at ELSE finalized_at END, "
	"data_version = data_version + 1 WHERE id = :id AND state = :from";
/* The score sheet as the draw needs it: sheet_check with no warning left. */
static enum ct_status sheet_ready(struct store *st, const char *event, struct ct_err *err)
{
	struct event_data *d = NULL;
	enum ct_status rc = store_event_load(st, event, false, &d, err);
	if (rc != CT_OK)
		return rc;
	struct sheet sheet;
	event_sheet(d, &sheet);
	rc = sheet_check(&sheet, NULL, err);
	event_data_free(d);
	if (rc == CT_INVALID && err) {
		char why[sizeof err->msg];
		snprintf(why, sizeof why, "%s", err->msg);
		ct_err_clear(err);
		rc = ct_fail(err, CT_CONFLICT, "event %s cannot be drawn: %s", event, why);
	}
	return rc;
}

/* Whether the event may be drawn: the workflow's preconditions on its
 * counts, then its score sheet. *n is the number of contestants. */
static enum ct_status draw_ready(struct store *st, int64_t event_id, const char *event, enum event_state state,
				 uint32_t *n, struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_DRAW_COUNTS, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_int(s, ":event", event_id);
	enum ct_status rc = store_row(st, s, err);
	if (rc != CT_OK)
		return rc == CT_NOT_FOUND ? ct_fail(err, CT_INTERNAL, "counting event %s found no row", event) : rc;
	int64_t contestants = sqlite3_column_int64(s, 0), criteria = sqlite3_column_int64(s, 1);
	int64_t judges = sqlite3_column_int64(s, 2);
	sqlite3_reset(s);
	*n = (uint32_t)contestants;
	const struct wf_facts facts = {
		.contestants = (uint32_t)contestants,
		.criteria = (uint32_t)criteria,
		.scoring_judges = (uint32_t)judges,
	};
	rc = workflow_step(state, WF_DRAW, event, &facts, NULL, err);
	if (rc != CT_OK)
		return rc;
	return sheet_ready(st, event, err);
}

enum ct_status store_state_set(struct store *st, int64_t event_id, const char *event, enum event_state from,
			       enum event_state to, struct ct_err *err)
{
	char at[32];
	store_now(at);
	sqlite3_stmt *s = store_stmt(st, SQL_STATE_SET, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_text(s, ":to", event_state_name(to));
	store_bind_text(s, ":from", event_state_name(from));
	store_bind_int(s, ":drawn", from == EVENT_SETUP);
	store_bind_int(s, ":locked", to == EVENT_LOCKED ? 1 : to == EVENT_DRAWN ? 0 : 2);
	store_bind_int(s, ":final", to == EVENT_FINAL);
	store_bind_text(s, ":at", at);
	store_bind_int(s, ":id", event_id);
	enum ct_status rc = store_exec_stmt(st, s, err);
	if (rc == CT_OK && sqlite3_changes(st->db) != 1)
		rc = ct_fail(err, CT_CONFLICT, "event %s is not %s", event, event_state_name(from));
	if (rc == CT_OK)
		store_note(st, STORE_CHANGE_EVENT, event_id, 0);
	return rc;
}

static enum ct_status draw_one(struct store *st, int64_t id, uint32_t ws, struct ct_err *err)
{
	/* A fresh code collides with an existing one about once in 10^8 draws
	 * of a large contest; try again rather than fail the draw. */
	for (int attempt = 0; attempt < 16; attempt++) {
		char code[DRAW_CODE_LEN + 1];
		draw_code(code);
		sqlite3_stmt *s = store_stmt(st, SQL_DRAW_SET, err);
		if (!s)
			return CT_INTERNAL;
		store_bind_int(s, ":ws", ws);
		store_bind_text(s, ":code", code);
		store_bind_int(s, ":id", id);
		int src = sqlite3_step(s);
		sqlite3_reset(s);
		if (src == SQLITE_DONE)
			return CT_OK;
		if ((src & 0xff) != SQLITE_CONSTRAINT)
			return store_fail(st, src, err);
	}
	return ct_fail(err, CT_INTERNAL, "could not find a free anonymous code");
}

enum ct_status store_event_draw(struct store *st, const char *actor, const char *event,
				uint32_t *n_out, struct ct_err *err)
{
	int64_t event_id;
	enum event_state state;
	uint32_t n = 0, *perm = NULL;
	int64_t *ids = NULL;
	enum ct_status rc = store_begin(st, err);
	if (rc != CT_OK)
		return rc;
	rc = store_event_lookup(st, event, &event_id, &state, err);
	if (rc == CT_OK)
		rc = draw_ready(st, event_id, event, state, &n, err);
	if (rc != CT_OK)
		goto out;

	ids = xcalloc(n, sizeof *ids);
	perm = xcalloc(n, sizeof *perm);
	sqlite3_stmt *s = store_stmt(st, SQL_DRAW_IDS, err);
	if (!s) {
		rc = CT_INTERNAL;
		goto out;
	}
	store_bind_int(s, ":event", event_id);
	uint32_t k = 0;
	while (k < n && store_next(st, s, &rc, err))
		ids[k++] = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != CT_OK)
		goto out;
	draw_permutation(perm, n);
	for (uint32_t i = 0; i < k && rc == CT_OK; i++)
		rc = draw_one(st, ids[i], perm[i], err);
	if (rc == CT_OK)
		rc = store_state_set(st, event_id, event, EVENT_SETUP, EVENT_DRAWN, err);
	if (rc == CT_OK) {
		char count[32];
		snprintf(count, sizeof count, "%u contestant%s", k, k == 1 ? "" : "s");
		rc = store_audit(st, actor, workflow_action_name(WF_DRAW), event, event_state_name(EVENT_SETUP), count,
				 err);
	}
	*n_out = k;
out:
	free(ids);
	free(perm);
	return store_finish(st, rc, err);
}

enum ct_status store_event_transition(struct store *st, const char *actor, const char *role, const char *event,
				      enum wf_action action, const struct wf_facts *facts, const char *reason,
				      enum event_state *to, struct ct_err *err)
{
	assert(workflow_is_transition(action) && action != WF_DRAW); /* the draw is store_event_draw */
	int64_t event_id;
	enum event_state from, next = EVENT_SETUP;
	enum ct_status rc = store_begin(st, err);
	if (rc != CT_OK)
		return rc;
	rc = store_event_lookup(st, event, &event_id, &from, err);
	if (rc == CT_OK)
		rc = workflow_step(from, action, event, facts, &next, err);
	if (rc == CT_OK)
		rc = store_state_set(st, event_id, event, from, next, err);
	if (rc == CT_OK)
		rc = store_audit_why(st, actor, role, workflow_action_name(action), event, event_state_name(from),
				     event_state_name(next), reason, err);
	if (rc == CT_OK && to)
		*to = next;
	return store_finish(st, rc, err);
}

static const char SQL_ACCESS[] =
	"SELECT e.data_version, e.state, coalesce(a.role, ''), a.withdrawn_at IS NOT NULL FROM events e "
	"LEFT JOIN assignments a ON a.event_id = e.id AND a.judge_id = :judge WHERE e.code = :code";

enum ct_status store_event_access(struct store *st, const char *event, int64_t judge_id, enum wf_role *role,
				  enum event_state *state, int64_t *version, struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_ACCESS, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_text(s, ":code", event);
	store_bind_int(s, ":judge", judge_id);
	enum ct_status rc = store_row(st, s, err);
	if (rc == CT_NOT_FOUND)
		return ct_fail(err, CT_NOT_FOUND, "no event %s", event);
	if (rc != CT_OK)
		return rc;
	*version = sqlite3_column_int64(s, 0);
	rc = event_state_parse((const char *)sqlite3_column_text(s, 1), state, err);
	const char *r = (const char *)sqlite3_column_text(s, 2);
	bool withdrawn = sqlite3_column_int(s, 3) != 0;
	if (judge_id == 0)
		*role = WF_ROLE_ORGANIZER;
	else if (withdrawn || !r || !*r)
		*role = WF_ROLE_NONE;
	else
		*role = strcmp(r, "chief") == 0 ? WF_ROLE_CHIEF : WF_ROLE_JUDGE;
	sqlite3_reset(s);
	return rc == CT_OK ? CT_OK : CT_INTERNAL;
}

enum ct_status store_event_id(struct store *st, const char *event, int64_t *id, struct ct_err *err)
{
	return store_event_ref(st, event, id, NULL, err);
}

static const char SQL_VERSION[] = "SELECT data_version FROM events WHERE code = :code";

enum ct_status store_event_version(struct store *st, const char *event, int64_t *version,
				   struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_VERSION, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_text(s, ":code", event);
	enum ct_status rc = store_row(st, s, err);
	if (rc == CT_OK) {
		*version = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
	} else if (rc == CT_NOT_FOUND) {
		rc = ct_fail(err, CT_NOT_FOUND, "no event %s", event);
	}
	return rc;
}

/* ---- loading ---- */

static const char SQL_LOAD_EVENT[] =
	"SELECT id, code, name, state, tiebreak, drawn_at, locked_at, ratio1_c, ratio2_c, ratio3_c, "
	"coalesce(min_award_c, -1), discrepancy_pct, data_version FROM events WHERE code = :code";
static const char SQL_LOAD_MODULES[] =
	"SELECT id, code, name, coalesce(weight, -1) FROM modules WHERE event_id = :event ORDER BY position";
static const char SQL_LOAD_CRITERIA[] =
	"SELECT c.id, c.code, c.description, c.module_id, c.method, c.max_c FROM criteria c "
	"JOIN modules m ON m.id = c.module_id WHERE c.event_id = :event ORDER BY m.position, c.position";
static const char SQL_LOAD_CONTESTANTS[] =
	"SELECT c.id, c.reg_id, c.name, coalesce(o.name, ''), coalesce(c.organization_id, 0), c.status, "
	"c.status_reason, coalesce(c.elapsed_s, -1), c.id_number, c.members, coalesce(c.workstation, 0), "
	"c.anon_code FROM contestants c LEFT JOIN organizations o ON o.id = c.organization_id "
	"WHERE c.event_id = :event ORDER BY c.id";
static const char SQL_LOAD_JUDGES[] =
	"SELECT j.id, j.code, j.name, coalesce(j.organization_id, 0), a.role, a.withdrawn_at IS NOT NULL "
	"FROM assignments a JOIN judges j ON j.id = a.judge_id WHERE a.event_id = :event ORDER BY j.code";
/* Through the scores' primary key, contestant by contestant: a range of
 * the table for each, in key order, rather than an index lookup per value. */
static const char SQL_LOAD_VALUES[] =
	"SELECT s.contestant_id, s.criterion_id, s.judge_id, s.value_c, s.revision FROM contestants c "
	"JOIN scores s ON s.contestant_id = c.id WHERE c.event_id = :event";
static const char SQL_LOAD_ACCEPTS[] =
	"SELECT a.contestant_id, a.criterion_id, a.value_c, a.reason, a.accepted_by FROM acceptances a "
	"JOIN contestants c ON c.id = a.contestant_id WHERE c.event_id = :event";

/* Index of id in a sorted array of ids, or -1. */
static long find_id(const int64_t *ids, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ids[mid] < id)
			lo = mid + 1;
		else if (ids[mid] > id)
			hi = mid;
		else
			return (long)mid;
	}
	return -1;
}

struct id_index {
	int64_t id;
	uint32_t index;
};

static int cmp_id_index(const void *a, const void *b)
{
	const struct id_index *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

static long find_index(const struct id_index *map, size_t n, int64_t id)
{
	struct id_index key = {id, 0};
	const struct id_index *hit = bsearch(&key, map, n, sizeof *map, cmp_id_index);
	return hit ? (long)hit->index : -1;
}

static sqlite3_stmt *load_query(struct store *st, const char *sql, int64_t event_id, struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, sql, err);
	if (s)
		store_bind_int(s, ":event", event_id);
	return s;
}

static enum ct_status load_sheet(struct store *st, struct event_data *d, struct ct_err *err)
{
	sqlite3_stmt *s = load_query(st, SQL_LOAD_MODULES, d->id, err);
	if (!s)
		return CT_INTERNAL;
	size_t cap = 0;
	enum ct_status rc = CT_OK;
	while (store_next(st, s, &rc, err)) {
		d->modules = xgrow(d->modules, d->n_modules, &cap, 8, sizeof *d->modules);
		struct ev_module *m = &d->modules[d->n_modules++];
		m->id = sqlite3_column_int64(s, 0);
		m->code = store_col_dup(s, 1);
		m->name = store_col_dup(s, 2);
		m->weight = (int32_t)sqlite3_column_int64(s, 3);
	}
	if (rc != CT_OK)
		return rc;

	s = load_query(st, SQL_LOAD_CRITERIA, d->id, err);
	if (!s)
		return CT_INTERNAL;
	cap = 0;
	while (store_next(st, s, &rc, err)) {
		d->criteria = xgrow(d->criteria, d->n_criteria, &cap, 16, sizeof *d->criteria);
		struct ev_criterion *c = &d->criteria[d->n_criteria++];
		c->id = sqlite3_column_int64(s, 0);
		c->code = store_col_dup(s, 1);
		c->description = store_col_dup(s, 2);
		int64_t module_id = sqlite3_column_int64(s, 3);
		c->module = 0;
		for (uint32_t m = 0; m < d->n_modules; m++) {
			if (d->modules[m].id == module_id) {
				c->module = m; /* module ids are unique: the first match is the only one */
				break;
			}
		}
		c->max_c = (int32_t)sqlite3_column_int64(s, 5);
		/* the method indexes tables later: an unknown one stops the load */
		const char *method = (const char *)sqlite3_column_text(s, 4);
		if (method_parse(method, &c->method, NULL) != CT_OK) {
			rc = ct_fail(err, CT_INTERNAL, "criterion %s has an unknown method \"%s\" in the database",
				     c->code ? c->code : "?", method ? method : "(null)");
			sqlite3_reset(s);
			return rc;
		}
	}
	if (rc != CT_OK)
		return rc;

	d->sheet_modules = xcalloc(d->n_modules ? d->n_modules : 1, sizeof *d->sheet_modules);
	for (uint32_t m = 0; m < d->n_modules; m++)
		d->sheet_modules[m] = (struct sheet_module){d->modules[m].code, d->modules[m].weight};
	d->sheet_criteria = xcalloc(d->n_criteria ? d->n_criteria : 1, sizeof *d->sheet_criteria);
	for (uint32_t k = 0; k < d->n_criteria; k++)
		d->sheet_criteria[k] = (struct sheet_criterion){d->criteria[k].code, d->criteria[k].module,
								d->criteria[k].method, d->criteria[k].max_c};
	return CT_OK;
}

void event_sheet(const struct event_data *d, struct sheet *out)
{
	*out = (struct sheet){
		.modules = d->sheet_modules, .n_modules = d->n_modules,
		.criteria = d->sheet_criteria, .n_criteria = d->n_criteria,
		.ratio_c = {d->ratio_c[0], d->ratio_c[1], d->ratio_c[2]},
		.min_award_c = d->min_award_c,
		.discrepancy_pct = d->discrepancy_pct,
		.tiebreak = d->tiebreak,
	};
}

static enum ct_status load_people(struct store *st, struct event_data *d, struct ct_err *err)
{
	sqlite3_stmt *s = load_query(st, SQL_LOAD_CONTESTANTS, d->id, err);
	if (!s)
		return CT_INTERNAL;
	size_t cap = 0;
	enum ct_status rc = CT_OK;
	while (store_next(st, s, &rc, err)) {
		d->contestants = xgrow(d->contestants, d->n_contestants, &cap, 64, sizeof *d->contestants);
		struct ev_contestant *c = &d->contestants[d->n_contestants++];
		c->id = sqlite3_column_int64(s, 0);
		c->reg_id = store_col_dup(s, 1);
		c->name = store_col_dup(s, 2);
		c->organization = store_col_dup(s, 3);
		c->org_id = (uint32_t)sqlite3_column_int64(s, 4);
		c->reason = store_col_dup(s, 6);
		c->elapsed_s = sqlite3_column_int64(s, 7);
		c->id_number = store_col_dup(s, 8);
		c->members = store_col_dup(s, 9);
		c->workstation = sqlite3_column_int64(s, 10);
		c->code = store_col_dup(s, 11);
		const char *status = (const char *)sqlite3_column_text(s, 5);
		if (entry_status_parse(status, &c->status, NULL) != CT_OK) {
			rc = ct_fail(err, CT_INTERNAL, "contestant %s has an unknown status \"%s\" in the database",
				     c->reg_id ? c->reg_id : "?", status ? status : "(null)");
			sqlite3_reset(s);
			return rc;
		}
	}
	if (rc != CT_OK)
		return rc;

	s = load_query(st, SQL_LOAD_JUDGES, d->id, err);
	if (!s)
		return CT_INTERNAL;
	cap = 0;
	while (store_next(st, s, &rc, err)) {
		d->judges = xgrow(d->judges, d->n_judges, &cap, 16, sizeof *d->judges);
		struct ev_judge *j = &d->judges[d->n_judges++];
		j->id = sqlite3_column_int64(s, 0);
		j->code = store_col_dup(s, 1);
		j->name = store_col_dup(s, 2);
		j->org_id = (uint32_t)sqlite3_column_int64(s, 3);
		j->chief = strcmp((const char *)sqlite3_column_text(s, 4), "chief") == 0;
		j->withdrawn = sqlite3_column_int(s, 5) != 0;
	}
	return rc;
}

static enum ct_status load_values(struct store *st, struct event_data *d, struct ct_err *err)
{
	int64_t *cids = xcalloc(d->n_contestants, sizeof *cids);
	for (uint32_t i = 0; i < d->n_contestants; i++)
		cids[i] = d->contestants[i].id;
	struct id_index *kmap = xcalloc(d->n_criteria, sizeof *kmap);
	for (uint32_t i = 0; i < d->n_criteria; i++)
		kmap[i] = (struct id_index){d->criteria[i].id, i};
	qsort(kmap, d->n_criteria, sizeof *kmap, cmp_id_index);
	struct id_index *jmap = xcalloc(d->n_judges, sizeof *jmap);
	for (uint32_t i = 0; i < d->n_judges; i++)
		jmap[i] = (struct id_index){d->judges[i].id, i};
	qsort(jmap, d->n_judges, sizeof *jmap, cmp_id_index);

	enum ct_status rc = CT_OK;
	sqlite3_stmt *s = load_query(st, SQL_LOAD_VALUES, d->id, err);
	if (!s) {
		rc = CT_INTERNAL;
		goto out;
	}
	size_t cap = 0;
	while (store_next(st, s, &rc, err)) {
		long c = find_id(cids, d->n_contestants, sqlite3_column_int64(s, 0));
		long k = find_index(kmap, d->n_criteria, sqlite3_column_int64(s, 1));
		long j = find_index(jmap, d->n_judges, sqlite3_column_int64(s, 2));
		if (c < 0 || k < 0 || j < 0)
			continue; /* e.g. a judge whose assignment was removed */
		if (d->n_values == cap) {
			cap = cap ? 2 * cap : 1024;
			d->values = xreallocarray(d->values, cap, sizeof *d->values);
			d->revisions = xreallocarray(d->revisions, cap, sizeof *d->revisions);
		}
		d->revisions[d->n_values] = (uint32_t)sqlite3_column_int64(s, 4);
		d->values[d->n_values++] = (struct sheet_value){(uint32_t)c, (uint32_t)k, (uint32_t)j,
								 (int32_t)sqlite3_column_int64(s, 3)};
	}
	if (rc != CT_OK)
		goto out;

	s = load_query(st, SQL_LOAD_ACCEPTS, d->id, err);
	if (!s) {
		rc = CT_INTERNAL;
		goto out;
	}
	cap = 0;
	while (store_next(st, s, &rc, err)) {
		long c = find_id(cids, d->n_contestants, sqlite3_column_int64(s, 0));
		long k = find_index(kmap, d->n_criteria, sqlite3_column_int64(s, 1));
		if (c < 0 || k < 0)
			continue;
		if (d->n_accepts == cap) {
			cap = cap ? 2 * cap : 16;
			d->accepts = xreallocarray(d->accepts, cap, sizeof *d->accepts);
			d->accept_info = xreallocarray(d->accept_info, cap, sizeof *d->accept_info);
		}
		bool has_value = sqlite3_column_type(s, 2) != SQLITE_NULL;
		d->accept_info[d->n_accepts] = (struct ev_accept){store_col_dup(s, 3), store_col_dup(s, 4)};
		d->accepts[d->n_accepts++] = (struct sheet_accept){(uint32_t)c, (uint32_t)k, has_value,
								   (int32_t)sqlite3_column_int64(s, 2)};
	}
	sqlite3_reset(s);
out:
	free(cids);
	free(kmap);
	free(jmap);
	return rc;
}

static enum ct_status event_load(struct store *st, const char *event, bool with_values, struct event_data **out,
				 struct ct_err *err);

enum ct_status store_event_load(struct store *st, const char *event, bool with_values,
				struct event_data **out, struct ct_err *err)
{
	/* one snapshot for the event's row, sheet, people and values, unless
	 * the caller's transaction is one already */
	bool own = sqlite3_get_autocommit(st->db);
	if (own) {
		enum ct_status rc = store_read_begin(st, err);
		if (rc != CT_OK)
			return rc;
	}
	enum ct_status rc = event_load(st, event, with_values, out, err);
	if (own)
		store_read_end(st);
	return rc;
}

static enum ct_status event_load(struct store *st, const char *event, bool with_values, struct event_data **out,
				 struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_LOAD_EVENT, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_text(s, ":code", event);
	enum ct_status rc = store_row(st, s, err);
	if (rc != CT_OK)
		return rc == CT_NOT_FOUND ? ct_fail(err, CT_NOT_FOUND, "no event %s", event) : rc;
	struct event_data *d = xcalloc(1, sizeof *d);
	d->id = sqlite3_column_int64(s, 0);
	d->code = store_col_dup(s, 1);
	d->name = store_col_dup(s, 2);
	d->state = store_col_dup(s, 3);
	bool known_state = event_state_parse(d->state, &d->wf_state, err) == CT_OK;
	d->tiebreak = store_col_dup(s, 4);
	d->drawn_at = store_col_dup(s, 5);
	d->locked_at = store_col_dup(s, 6);
	for (int i = 0; i < 3; i++)
		d->ratio_c[i] = (int32_t)sqlite3_column_int64(s, 7 + i);
	d->min_award_c = sqlite3_column_int64(s, 10);
	d->discrepancy_pct = (int32_t)sqlite3_column_int64(s, 11);
	d->version = sqlite3_column_int64(s, 12);
	sqlite3_reset(s);
	if (!known_state)
		rc = ct_fail(err, CT_INTERNAL, "event %s has the unknown state \"%s\" in the database", d->code, d->state);

	if (rc == CT_OK)
		rc = load_sheet(st, d, err);
	if (rc == CT_OK)
		rc = load_people(st, d, err);
	if (rc == CT_OK && with_values)
		rc = load_values(st, d, err);
	if (rc != CT_OK) {
		event_data_free(d);
		return rc;
	}
	*out = d;
	return CT_OK;
}

void event_data_free(struct event_data *d)
{
	if (!d)
		return;
	for (uint32_t i = 0; i < d->n_modules; i++) {
		free(d->modules[i].code);
		free(d->modules[i].name);
	}
	for (uint32_t i = 0; i < d->n_criteria; i++) {
		free(d->criteria[i].code);
		free(d->criteria[i].description);
	}
	for (uint32_t i = 0; i < d->n_contestants; i++) {
		struct ev_contestant *c = &d->contestants[i];
		free(c->reg_id);
		free(c->name);
		free(c->organization);
		free(c->reason);
		free(c->id_number);
		free(c->members);
		free(c->code);
	}
	for (uint32_t i = 0; i < d->n_judges; i++) {
		free(d->judges[i].code);
		free(d->judges[i].name);
	}
	free(d->modules);
	free(d->criteria);
	free(d->sheet_modules);
	free(d->sheet_criteria);
	free(d->contestants);
	free(d->judges);
	for (size_t i = 0; i < d->n_accepts; i++) {
		free(d->accept_info[i].reason);
		free(d->accept_info[i].by);
	}
	free(d->values);
	free(d->revisions);
	free(d->accepts);
	free(d->accept_info);
	free(d->code);
	free(d->name);
	free(d->state);
	free(d->tiebreak);
	free(d->drawn_at);
	free(d->locked_at);
	free(d);
}

/* ---- a judge's own sheet ---- */

static const char SQL_SHEET_EVENT[] = "SELECT id, code, name, state FROM events WHERE code = :code";
static const char SQL_SHEET_JUDGE[] =
	"SELECT j.code, j.name, coalesce(j.organization_id, 0), coalesce(a.role, ''), a.withdrawn_at IS NOT NULL "
	"FROM judges j LEFT JOIN assignments a ON a.judge_id = j.id AND a.event_id = :event WHERE j.id = :judge";
/* Competed, drawn, and not of the judge's organization (recusal, as
 * store_score_put decides it). */
static const char SQL_SHEET_ENTRIES[] =
	"SELECT id, anon_code, workstation FROM contestants WHERE event_id = :event AND status = 'competed' "
	"AND anon_code IS NOT NULL AND (:org = 0 OR coalesce(organization_id, 0) <> :org) ORDER BY workstation";
/* Looked up through the scores' primary key, contestant by contestant,
 * rather than by scanning every judge's values of the event. */
static const char SQL_SHEET_MARKS[] =
	"SELECT s.contestant_id, s.criterion_id, s.value_c, s.updated_at FROM contestants c "
	"JOIN scores s ON s.contestant_id = c.id AND s.judge_id = :judge "
	"WHERE c.event_id = :event AND c.status = 'competed'";

static enum ct_status sheet_head(struct store *st, const char *event, int64_t judge_id, struct judge_sheet *sh,
				 int64_t *org, struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_SHEET_EVENT, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_text(s, ":code", event);
	enum ct_status rc = store_row(st, s, err);
	if (rc != CT_OK)
		return rc == CT_NOT_FOUND ? ct_fail(err, CT_NOT_FOUND, "no event %s", event) : rc;
	struct event_data *d = sh->event = xcalloc(1, sizeof *d);
	d->id = sqlite3_column_int64(s, 0);
	d->code = store_col_dup(s, 1);
	d->name = store_col_dup(s, 2);
	d->state = store_col_dup(s, 3);
	sqlite3_reset(s);

	s = load_query(st, SQL_SHEET_JUDGE, d->id, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_int(s, ":judge", judge_id);
	rc = store_row(st, s, err);
	if (rc != CT_OK)
		return rc == CT_NOT_FOUND ? ct_fail(err, CT_UNAUTHORIZED, "the judge of this token is gone") : rc;
	sh->judge_code = store_col_dup(s, 0);
	sh->judge_name = store_col_dup(s, 1);
	*org = sqlite3_column_int64(s, 2);
	char role[16];
	store_col_copy(s, 3, role, sizeof role);
	bool withdrawn = sqlite3_column_int(s, 4) != 0;
	sqlite3_reset(s);
	if (!*role)
		return ct_fail(err, CT_FORBIDDEN, "judge %s is not assigned to event %s", sh->judge_code, d->code);
	if (withdrawn)
		return ct_fail(err, CT_FORBIDDEN, "judge %s was withdrawn from event %s", sh->judge_code, d->code);
	if (strcmp(role, "judge") != 0)
		return ct_fail(err, CT_FORBIDDEN, "judge %s is the chief judge of event %s; chief judges do not score",
			       sh->judge_code, d->code);
	return CT_OK;
}

static enum ct_status sheet_entries(struct store *st, struct judge_sheet *sh, int64_t org, struct ct_err *err)
{
	sqlite3_stmt *s = load_query(st, SQL_SHEET_ENTRIES, sh->event->id, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_int(s, ":org", org);
	size_t cap = 0;
	enum ct_status rc;
	while (store_next(st, s, &rc, err)) {
		sh->entries = xgrow(sh->entries, sh->n_entries, &cap, 64, sizeof *sh->entries);
		sh->entries[sh->n_entries++] = (struct sheet_entry){sqlite3_column_int64(s, 0), store_col_dup(s, 1),
								   sqlite3_column_int64(s, 2), ""};
	}
	return rc;
}

static enum ct_status sheet_marks(struct store *st, struct judge_sheet *sh, int64_t judge_id, struct ct_err *err)
{
	const struct event_data *d = sh->event;
	struct id_index *emap = xcalloc(sh->n_entries ? sh->n_entries : 1, sizeof *emap);
	for (uint32_t i = 0; i < sh->n_entries; i++)
		emap[i] = (struct id_index){sh->entries[i].id, i};
	qsort(emap, sh->n_entries, sizeof *emap, cmp_id_index);
	struct id_index *kmap = xcalloc(d->n_criteria ? d->n_criteria : 1, sizeof *kmap);
	for (uint32_t i = 0; i < d->n_criteria; i++)
		kmap[i] = (struct id_index){d->criteria[i].id, i};
	qsort(kmap, d->n_criteria, sizeof *kmap, cmp_id_index);

	enum ct_status rc = CT_OK;
	sqlite3_stmt *s = load_query(st, SQL_SHEET_MARKS, d->id, err);
	if (!s) {
		rc = CT_INTERNAL;
		goto out;
	}
	store_bind_int(s, ":judge", judge_id);
	size_t cap = 0;
	while (store_next(st, s, &rc, err)) {
		long e = find_index(emap, sh->n_entries, sqlite3_column_int64(s, 0));
		long k = find_index(kmap, d->n_criteria, sqlite3_column_int64(s, 1));
		if (e < 0 || k < 0)
			continue; /* a contestant the judge is recused from cannot have one; be safe */
		sh->marks = xgrow(sh->marks, sh->n_marks, &cap, 256, sizeof *sh->marks);
		sh->marks[sh->n_marks++] = (struct sheet_mark){(uint32_t)e, (uint32_t)k, sqlite3_column_int64(s, 2)};
		/* ISO 8601 UTC times order as text */
		const char *at = (const char *)sqlite3_column_text(s, 3);
		struct sheet_entry *row = &sh->entries[e];
		if (at && strcmp(at, row->updated) > 0)
			snprintf(row->updated, sizeof row->updated, "%s", at);
	}
out:
	free(emap);
	free(kmap);
	return rc;
}

enum ct_status store_judge_sheet(struct store *st, const char *event, int64_t judge_id, struct judge_sheet **out,
				 struct ct_err *err)
{
	bool own = sqlite3_get_autocommit(st->db); /* one snapshot, as store_event_load */
	enum ct_status rc = own ? store_read_begin(st, err) : CT_OK;
	if (rc != CT_OK)
		return rc;
	struct judge_sheet *sh = xcalloc(1, sizeof *sh);
	int64_t org = 0;
	rc = sheet_head(st, event, judge_id, sh, &org, err);
	if (rc == CT_OK)
		rc = load_sheet(st, sh->event, err);
	if (rc == CT_OK)
		rc = sheet_entries(st, sh, org, err);
	if (rc == CT_OK)
		rc = sheet_marks(st, sh, judge_id, err);
	if (own)
		store_read_end(st);
	if (rc != CT_OK) {
		judge_sheet_free(sh);
		return rc;
	}
	*out = sh;
	return CT_OK;
}

void judge_sheet_free(struct judge_sheet *sh)
{
	if (!sh)
		return;
	event_data_free(sh->event);
	for (uint32_t i = 0; i < sh->n_entries; i++)
		free(sh->entries[i].code);
	free(sh->entries);
	free(sh->marks);
	free(sh->judge_code);
	free(sh->judge_name);
	free(sh);
}

static const char SQL_EVENTS_ALL[] =
	"SELECT e.code, e.name, e.state, NULL, (SELECT count(*) FROM contestants c WHERE c.event_id = e.id) "
	"FROM events e ORDER BY e.code";
static const char SQL_EVENTS_JUDGE[] =
	"SELECT e.code, e.name, e.state, a.role, (SELECT count(*) FROM contestants c WHERE c.event_id = e.id) "
	"FROM events e JOIN assignments a ON a.event_id = e.id AND a.judge_id = :judge AND a.withdrawn_at IS NULL "
	"ORDER BY e.code";

enum ct_status store_events_list(struct store *st, int64_t judge_id, struct event_summary **out,
				 size_t *n, struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, judge_id ? SQL_EVENTS_JUDGE : SQL_EVENTS_ALL, err);
	if (!s)
		return CT_INTERNAL;
	if (judge_id)
		store_bind_int(s, ":judge", judge_id);
	struct event_summary *list = NULL;
	size_t count = 0, cap = 0;
	enum ct_status rc;
	while (store_next(st, s, &rc, err)) {
		list = xgrow(list, count, &cap, 16, sizeof *list);
		struct event_summary *e = &list[count++];
		e->code = store_col_dup(s, 0);
		e->name = store_col_dup(s, 1);
		e->state = store_col_dup(s, 2);
		e->role = store_col_dup(s, 3);
		e->contestants = sqlite3_column_int64(s, 4);
	}
	if (rc != CT_OK) {
		event_summaries_free(list, count);
		return rc;
	}
	*out = list;
	*n = count;
	return CT_OK;
}

void event_summaries_free(struct event_summary *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(list[i].code);
		free(list[i].name);
		free(list[i].state);
		free(list[i].role);
	}
	free(list);
}
