/* Score values: one judge's value for one contestant on one criterion, with
 * every revision kept, and the idempotency records of submissions. */
#include "store_int.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decimal.h"
#include "xmalloc.h"

static const char SQL_PANEL[] =
	"SELECT j.id, j.code, coalesce(j.organization_id, 0), a.role, a.withdrawn_at FROM judges j "
	"LEFT JOIN assignments a ON a.judge_id = j.id AND a.event_id = :event "
	"WHERE (:id > 0 AND j.id = :id) OR (:id = 0 AND j.code = :code)";
/* Anonymous codes are upper case (draw.c); they are accepted in either. */
static const char SQL_CURRENT[] =
	"SELECT value_c, revision FROM scores WHERE contestant_id = :c AND criterion_id = :k AND judge_id = :j";
static const char SQL_PUT[] =
	"INSERT INTO scores (contestant_id, criterion_id, judge_id, event_id, value_c, revision, updated_at) "
	"VALUES (:c, :k, :j, :event, :value, :rev, :at) ON CONFLICT (contestant_id, criterion_id, judge_id) "
	"DO UPDATE SET value_c = excluded.value_c, revision = excluded.revision, updated_at = excluded.updated_at";
static const char SQL_REVISION[] =
	"INSERT INTO score_revisions (contestant_id, criterion_id, judge_id, revision, value_c, entered_by, created_at) "
	"VALUES (:c, :k, :j, :rev, :value, :by, :at)";
static const char SQL_UNACCEPT[] = "DELETE FROM acceptances WHERE contestant_id = :c AND criterion_id = :k";

struct judge_ref {
	int64_t id;
	char code[64];
	int64_t org;
	char role[16]; /* "" when not assigned */
	char withdrawn[32]; /* when the judge was withdrawn from the event, or "" */
};

/* The judge of a score as the database says, for the message when the
 * event's lookups do not know the judge (never on the fast path). */
static enum ct_status panel_ref(struct store *st, int64_t event_id, const struct score_put *p,
				struct judge_ref *j, struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_PANEL, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_int(s, ":event", event_id);
	store_bind_int(s, ":id", p->judge_id);
	store_bind_text(s, ":code", p->judge_code ? p->judge_code : "");
	enum ct_status rc = store_row(st, s, err);
	if (rc == CT_NOT_FOUND)
		return ct_fail_at(err, CT_NOT_FOUND, -1, "judge", "no judge %s", p->judge_code ? p->judge_code : "");
	if (rc != CT_OK)
		return rc;
	j->id = sqlite3_column_int64(s, 0);
	store_col_copy(s, 1, j->code, sizeof j->code);
	j->org = sqlite3_column_int64(s, 2);
	store_col_copy(s, 3, j->role, sizeof j->role);
	store_col_copy(s, 4, j->withdrawn, sizeof j->withdrawn);
	sqlite3_reset(s);
	if (!*j->role)
		return ct_fail_at(err, CT_FORBIDDEN, -1, "judge", "judge %s is not assigned to event %s", j->code,
				  p->event);
	if (*j->withdrawn)
		return ct_fail_at(err, CT_FORBIDDEN, -1, "judge",
				  "judge %s was withdrawn from event %s at %s and no longer scores it", j->code,
				  p->event, j->withdrawn);
	if (strcmp(j->role, "judge") != 0)
		return ct_fail_at(err, CT_FORBIDDEN, -1, "judge",
				  "judge %s is the chief judge of event %s; chief judges do not score", j->code,
				  p->event);
	return ct_fail(err, CT_INTERNAL, "judge %s of event %s is missing from its lookups", j->code, p->event);
}

/* ---- lookups ----
 * What a score needs to know of its event (state, criteria, contestants,
 * the panel), read once per event and kept on the connection until the
 * event changes (store_note) or another connection commits (store_begin
 * checks PRAGMA data_version): a group commit then costs the writes alone. */

struct sc_person {
	int64_t id, org;
	char *code;               /* anonymous code; "" before the draw */
	char *reg;
};

struct sc_judge {
	int64_t id, org;
	char *code;
	bool chief;
	char *withdrawn;          /* when, or NULL */
};

struct sc_crit {
	int64_t id;
	char *code;
	enum method method;
	int32_t max_c;
};

struct sc_event {
	int64_t id;
	char *code;
	enum event_state state;
	struct sc_person *people; /* by code */
	uint32_t *by_reg;         /* indices into people, by reg */
	uint32_t n_people;
	struct sc_judge *judges;  /* by id */
	uint32_t *judge_by_code;  /* indices into judges, by code */
	uint32_t n_judges;
	struct sc_crit *crits;    /* by code */
	uint32_t n_crits;
	struct sc_event *next;
};

/* More events than a contest has: past this the lookups start over. */
#define SC_MAX_EVENTS 512

struct score_cache {
	struct sc_event *events;
	size_t n;
};

static void sc_event_free(struct sc_event *e)
{
	for (uint32_t i = 0; i < e->n_people; i++) {
		free(e->people[i].code);
		free(e->people[i].reg);
	}
	for (uint32_t i = 0; i < e->n_judges; i++) {
		free(e->judges[i].code);
		free(e->judges[i].withdrawn);
	}
	for (uint32_t i = 0; i < e->n_crits; i++)
		free(e->crits[i].code);
	free(e->people);
	free(e->by_reg);
	free(e->judges);
	free(e->judge_by_code);
	free(e->crits);
	free(e->code);
	free(e);
}

void store_scores_forget(struct store *st, int64_t event_id)
{
	struct score_cache *c = st->scores;
	if (!c)
		return;
	for (struct sc_event **pp = &c->events; *pp;) {
		struct sc_event *e = *pp;
		if (event_id == 0 || e->id == event_id) {
			*pp = e->next;
			sc_event_free(e);
			c->n--;
		} else {
			pp = &e->next;
		}
	}
}

void store_scores_free(struct store *st)
{
	store_scores_forget(st, 0);
	free(st->scores);
	st->scores = NULL;
}

static const char SQL_SC_PEOPLE[] =
	"SELECT id, coalesce(organization_id, 0), coalesce(anon_code, ''), reg_id FROM contestants "
	"WHERE event_id = :event";
static const char SQL_SC_JUDGES[] =
	"SELECT j.id, j.code, coalesce(j.organization_id, 0), a.role, a.withdrawn_at FROM assignments a "
	"JOIN judges j ON j.id = a.judge_id WHERE a.event_id = :event";
static const char SQL_SC_CRITS[] = "SELECT id, code, method, max_c FROM criteria WHERE event_id = :event";

/* qsort_r comparators: by a string member of the array in arg */
static int cmp_person_code(const void *a, const void *b)
{
	return strcmp(((const struct sc_person *)a)->code, ((const struct sc_person *)b)->code);
}

static int cmp_person_reg(const void *a, const void *b, void *arg)
{
	const struct sc_person *p = arg;
	return strcmp(p[*(const uint32_t *)a].reg, p[*(const uint32_t *)b].reg);
}

static int cmp_judge_id(const void *a, const void *b)
{
	int64_t x = ((const struct sc_judge *)a)->id, y = ((const struct sc_judge *)b)->id;
	return (x > y) - (x < y);
}

static int cmp_judge_code(const void *a, const void *b, void *arg)
{
	const struct sc_judge *j = arg;
	return strcmp(j[*(const uint32_t *)a].code, j[*(const uint32_t *)b].code);
}

static int cmp_crit_code(const void *a, const void *b)
{
	return strcmp(((const struct sc_crit *)a)->code, ((const struct sc_crit *)b)->code);
}

static enum ct_status load_lookups(struct store *st, struct sc_event *e, struct ct_err *err)
{
	enum ct_status rc = CT_OK;
	size_t cap = 0;
	sqlite3_stmt *s = store_stmt(st, SQL_SC_PEOPLE, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_int(s, ":event", e->id);
	while (store_next(st, s, &rc, err)) {
		e->people = xgrow(e->people, e->n_people, &cap, 64, sizeof *e->people);
		e->people[e->n_people++] = (struct sc_person){sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1),
							      store_col_dup(s, 2), store_col_dup(s, 3)};
	}
	if (rc != CT_OK)
		return rc;
	qsort(e->people, e->n_people, sizeof *e->people, cmp_person_code);
	e->by_reg = xcalloc(e->n_people ? e->n_people : 1, sizeof *e->by_reg);
	for (uint32_t i = 0; i < e->n_people; i++)
		e->by_reg[i] = i;
	qsort_r(e->by_reg, e->n_people, sizeof *e->by_reg, cmp_person_reg, e->people);

	cap = 0;
	s = store_stmt(st, SQL_SC_JUDGES, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_int(s, ":event", e->id);
	while (store_next(st, s, &rc, err)) {
		e->judges = xgrow(e->judges, e->n_judges, &cap, 16, sizeof *e->judges);
		const char *role = (const char *)sqlite3_column_text(s, 3);
		e->judges[e->n_judges++] = (struct sc_judge){sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 2),
							     store_col_dup(s, 1), role && strcmp(role, "chief") == 0,
							     store_col_dup(s, 4)};
	}
	if (rc != CT_OK)
		return rc;
	qsort(e->judges, e->n_judges, sizeof *e->judges, cmp_judge_id);
	e->judge_by_code = xcalloc(e->n_judges ? e->n_judges : 1, sizeof *e->judge_by_code);
	for (uint32_t i = 0; i < e->n_judges; i++)
		e->judge_by_code[i] = i;
	qsort_r(e->judge_by_code, e->n_judges, sizeof *e->judge_by_code, cmp_judge_code, e->judges);

	cap = 0;
	s = store_stmt(st, SQL_SC_CRITS, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_int(s, ":event", e->id);
	while (store_next(st, s, &rc, err)) {
		e->crits = xgrow(e->crits, e->n_crits, &cap, 16, sizeof *e->crits);
		struct sc_crit *c = &e->crits[e->n_crits++];
		c->id = sqlite3_column_int64(s, 0);
		c->code = store_col_dup(s, 1);
		c->max_c = (int32_t)sqlite3_column_int64(s, 3);
		if (method_parse((const char *)sqlite3_column_text(s, 2), &c->method, NULL) != CT_OK) {
			sqlite3_reset(s);
			return ct_fail(err, CT_INTERNAL, "criterion %s of event %s has an unknown method in the database",
				       c->code, e->code);
		}
	}
	if (rc != CT_OK)
		return rc;
	qsort(e->crits, e->n_crits, sizeof *e->crits, cmp_crit_code);
	return CT_OK;
}

/* The lookups of event code, read now if not kept; CT_NOT_FOUND for an
 * unknown event (err set). */
static enum ct_status lookups(struct store *st, const char *code, struct sc_event **out, struct ct_err *err)
{
	if (!st->scores)
		st->scores = xcalloc(1, sizeof *st->scores);
	struct score_cache *c = st->scores;
	for (struct sc_event *e = c->events; e; e = e->next) {
		if (strcmp(e->code, code) == 0) {
			*out = e;
			return CT_OK;
		}
	}
	if (c->n >= SC_MAX_EVENTS)
		store_scores_forget(st, 0);
	struct sc_event *e = xcalloc(1, sizeof *e);
	enum ct_status rc = store_event_lookup(st, code, &e->id, &e->state, err);
	e->code = xstrdup(code);
	if (rc == CT_OK)
		rc = load_lookups(st, e, err);
	if (rc != CT_OK) {
		sc_event_free(e);
		return rc;
	}
	e->next = c->events;
	c->events = e;
	c->n++;
	*out = e;
	return CT_OK;
}

static const struct sc_person *find_person(const struct sc_event *e, const char *code, bool by_reg)
{
	if (!by_reg) {
		struct sc_person key = {.code = (char *)code};
		return bsearch(&key, e->people, e->n_people, sizeof *e->people, cmp_person_code);
	}
	size_t lo = 0, hi = e->n_people;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(e->people[e->by_reg[mid]].reg, code);
		if (c == 0)
			return &e->people[e->by_reg[mid]];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const struct sc_judge *find_judge(const struct sc_event *e, int64_t id, const char *code)
{
	if (id > 0) {
		struct sc_judge key = {.id = id};
		return bsearch(&key, e->judges, e->n_judges, sizeof *e->judges, cmp_judge_id);
	}
	size_t lo = 0, hi = e->n_judges;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(e->judges[e->judge_by_code[mid]].code, code);
		if (c == 0)
			return &e->judges[e->judge_by_code[mid]];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const struct sc_crit *find_crit(const struct sc_event *e, const char *code)
{
	struct sc_crit key = {.code = (char *)code};
	return bsearch(&key, e->crits, e->n_crits, sizeof *e->crits, cmp_crit_code);
}

/* Checks the value against the criterion. */
static enum ct_status check_value(const struct sc_crit *k, const struct score_put *p, struct ct_err *err)
{
	char v[DEC_TEXT_MAX], mx[DEC_TEXT_MAX];
	if (p->value_c < 0)
		return ct_fail_at(err, CT_INVALID, -1, "value", "value must not be negative");
	if (k->method == METHOD_JUDGEMENT && (p->value_c % 100 != 0 || p->value_c > 300))
		return ct_fail_at(err, CT_INVALID, -1, "value",
				  "criterion %s is judged 0, 1, 2 or 3; %s is not one of them", p->criterion,
				  dec_format(p->value_c, v));
	if (p->value_c > k->max_c && k->method != METHOD_JUDGEMENT)
		return ct_fail_at(err, CT_INVALID, -1, "value", "value %s is over the max %s of criterion %s",
				  dec_format(p->value_c, v), dec_format(k->max_c, mx), p->criterion);
	return CT_OK;
}

/* Binds the key of one value: contestant c, criterion k, judge j. */
static void bind_cell(sqlite3_stmt *s, int64_t c, int64_t k, int64_t j)
{
	store_bind_int(s, ":c", c);
	store_bind_int(s, ":k", k);
	store_bind_int(s, ":j", j);
}

/* Writes one checked value: the current value, its revision, dropping an
 * acceptance it invalidates, and its audit record. */
static enum ct_status write_value(struct store *st, const char *actor, const struct sc_event *e,
				  const struct sc_person *c, const struct sc_crit *k, const struct sc_judge *j,
				  const struct score_put *p, struct score_ack *ack, struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_CURRENT, err);
	if (!s)
		return CT_INTERNAL;
	bind_cell(s, c->id, k->id, j->id);
	enum ct_status found = store_row(st, s, err);
	bool had = found == CT_OK;
	int64_t old_value = had ? sqlite3_column_int64(s, 0) : 0;
	int64_t revision = had ? sqlite3_column_int64(s, 1) + 1 : 1;
	sqlite3_reset(s);
	if (found != CT_OK && found != CT_NOT_FOUND)
		return found;

	store_now(ack->at);
	s = store_stmt(st, SQL_PUT, err);
	if (!s)
		return CT_INTERNAL;
	bind_cell(s, c->id, k->id, j->id);
	store_bind_int(s, ":event", e->id);
	store_bind_int(s, ":value", p->value_c);
	store_bind_int(s, ":rev", revision);
	store_bind_text(s, ":at", ack->at);
	enum ct_status rc = store_exec_stmt(st, s, err);
	if (rc != CT_OK)
		return rc;
	s = store_stmt(st, SQL_REVISION, err);
	if (!s)
		return CT_INTERNAL;
	bind_cell(s, c->id, k->id, j->id);
	store_bind_int(s, ":rev", revision);
	store_bind_int(s, ":value", p->value_c);
	store_bind_text(s, ":by", actor);
	store_bind_text(s, ":at", ack->at);
	rc = store_exec_stmt(st, s, err);
	if (rc == CT_OK && had && old_value != p->value_c) {
		s = store_stmt(st, SQL_UNACCEPT, err);
		if (!s)
			return CT_INTERNAL;
		store_bind_int(s, ":c", c->id);
		store_bind_int(s, ":k", k->id);
		rc = store_exec_stmt(st, s, err);
	}
	if (rc == CT_OK) {
		/* the event's data_version is bumped once, at the commit */
		store_note(st, STORE_CHANGE_VALUES, e->id, j->id);
		char object[256], before[DEC_TEXT_MAX], after[DEC_TEXT_MAX];
		/* "E/CODE/K/J": codes are at most CODE_MAX bytes each */
		const char *parts[4] = {e->code, c->code, k->code, j->code};
		size_t o = 0;
		for (int i = 0; i < 4; i++) {
			size_t n = strnlen(parts[i], CODE_MAX);
			if (i)
				object[o++] = '/';
			memcpy(object + o, parts[i], n);
			o += n;
		}
		object[o] = '\0';
		rc = store_audit(st, actor, "score", object, had ? dec_format(old_value, before) : NULL,
				 dec_format(p->value_c, after), err);
	}
	ack->revision = revision;
	ack->value_c = p->value_c;
	ack->event_id = e->id;
	ack->contestant_id = c->id;
	ack->criterion_id = k->id;
	ack->judge_id = j->id;
	return rc;
}

/* The cell one value goes to: contestant, criterion, judge ids. */
struct score_cell {
	int64_t c, k, j;
	size_t row;              /* its row in an import */
};

/* store_score_put, also giving the cell written when cell is not NULL.
 * Everything is checked before the first write, so a refused value has
 * written nothing. */
static enum ct_status score_put(struct store *st, const char *actor, const struct score_put *p,
				struct score_ack *ack, struct score_cell *cell, struct ct_err *err)
{
	struct sc_event *e = NULL;
	enum ct_status rc = lookups(st, p->event, &e, err);
	if (rc == CT_OK)
		rc = workflow_step(e->state, WF_SCORE, p->event, NULL, NULL, err);
	if (rc != CT_OK) {
		if (rc == CT_CONFLICT && err)
			snprintf(err->field, sizeof err->field, "event");
		return rc;
	}
	const struct sc_judge *j = find_judge(e, p->judge_id, p->judge_code ? p->judge_code : "");
	if (!j || j->withdrawn || j->chief) {
		struct judge_ref ref;
		return panel_ref(st, e->id, p, &ref, err);
	}
	/* Anonymous codes are upper case (draw.c); they are accepted in either. */
	char upper[64];
	size_t len = strlen(p->contestant);
	const struct sc_person *c = NULL;
	if (len < sizeof upper) {
		for (size_t i = 0; i <= len; i++)
			upper[i] = p->contestant[i] >= 'a' && p->contestant[i] <= 'z' ? (char)(p->contestant[i] - 32)
										     : p->contestant[i];
		if (*upper)
			c = find_person(e, upper, false);
		if (!c && p->judge_id == 0)
			c = find_person(e, p->contestant, true);
	}
	bool recused = c && j->org != 0 && j->org == c->org;
	if (p->judge_id != 0 && (!c || recused)) {
		/* A judge is told the same whether the code is unknown or one the
		 * judge is recused from: anything else would tell the judge that
		 * a colleague from the same organization competes under it. */
		return ct_fail_at(err, CT_NOT_FOUND, -1, "contestant", "no contestant %s on the sheet of judge %s in event %s",
				  p->contestant, j->code, p->event);
	}
	if (!c)
		return ct_fail_at(err, CT_NOT_FOUND, -1, "contestant", "no contestant %s in event %s", p->contestant,
				  p->event);
	if (recused)
		return ct_fail_at(err, CT_FORBIDDEN, -1, "contestant",
				  "judge %s is recused from contestant %s (same organization)", j->code, p->contestant);
	const struct sc_crit *k = find_crit(e, p->criterion);
	if (!k)
		return ct_fail_at(err, CT_NOT_FOUND, -1, "criterion", "no criterion %s in event %s", p->criterion,
				  p->event);
	rc = check_value(k, p, err);
	if (rc != CT_OK)
		return rc;
	/* the code as the draw made it when the contestant was named by code */
	snprintf(ack->contestant, sizeof ack->contestant, "%s",
		 strcasecmp(p->contestant, c->code) == 0 ? c->code : p->contestant);
	if (cell)
		*cell = (struct score_cell){c->id, k->id, j->id, 0};
	return write_value(st, actor, e, c, k, j, p, ack, err);
}

enum ct_status store_score_put(struct store *st, const char *actor, const struct score_put *p,
			       struct score_ack *ack, struct ct_err *err)
{
	return score_put(st, actor, p, ack, NULL, err);
}

static int cmp_cell(const void *a, const void *b)
{
	const struct score_cell *x = a, *y = b;
	if (x->c != y->c)
		return x->c < y->c ? -1 : 1;
	if (x->k != y->k)
		return x->k < y->k ? -1 : 1;
	if (x->j != y->j)
		return x->j < y->j ? -1 : 1;
	return (x->row > y->row) - (x->row < y->row);
}

/* Fails when two rows of an import write the same cell (the same
 * contestant, criterion and judge, however the contestant was named): the
 * later would silently replace the earlier. Names the first such row and
 * the row it repeats. */
static enum ct_status check_cells_once(struct score_cell *cells, size_t n, struct ct_err *err)
{
	qsort(cells, n, sizeof *cells, cmp_cell);
	size_t later = n, earlier = 0;
	for (size_t i = 1; i < n; i++) {
		const struct score_cell *x = &cells[i - 1], *y = &cells[i];
		if (x->c == y->c && x->k == y->k && x->j == y->j && (later == n || y->row < cells[later].row)) {
			size_t first = i - 1;
			while (first > 0 && cells[first - 1].c == y->c && cells[first - 1].k == y->k &&
			       cells[first - 1].j == y->j)
				first--;
			later = i;
			earlier = first;
		}
	}
	if (later == n)
		return CT_OK;
	return ct_fail_at(err, CT_INVALID, (long)cells[later].row, "contestant",
			  "row %zu: the same contestant, criterion and judge as row %zu; give each value once",
			  cells[later].row + 1, cells[earlier].row + 1);
}

struct score_import {
	struct store *st;
	const char *actor;
	const struct score_put *rows;
	size_t n, next;
	struct score_cell *cells;
};

enum ct_status store_import_begin(struct store *st, const char *actor, const struct score_put *rows, size_t n,
				  struct score_import **out, struct ct_err *err)
{
	enum ct_status rc = store_begin(st, err);
	if (rc != CT_OK)
		return rc;
	struct score_import *imp = xcalloc(1, sizeof *imp);
	*imp = (struct score_import){st, actor, rows, n, 0, xcalloc(n ? n : 1, sizeof *imp->cells)};
	*out = imp;
	return CT_OK;
}

enum ct_status store_import_step(struct score_import *imp, size_t max, size_t *left, struct ct_err *err)
{
	enum ct_status rc = CT_OK;
	size_t end = imp->n - imp->next > max ? imp->next + max : imp->n;
	for (size_t i = imp->next; i < end && rc == CT_OK; i++) {
		struct score_ack ack;
		rc = score_put(imp->st, imp->actor, &imp->rows[i], &ack, &imp->cells[i], err);
		imp->cells[i].row = i;
		if (rc != CT_OK && err) {
			/* Inside a batch an unknown code is bad input of that row. */
			if (rc == CT_NOT_FOUND)
				rc = CT_INVALID;
			char msg[sizeof err->msg];
			memcpy(msg, err->msg, sizeof msg);
			snprintf(err->msg, sizeof err->msg, "row %zu: %.480s", i + 1, msg);
			err->index = (long)i;
		}
	}
	imp->next = end;
	if (rc == CT_OK && imp->next == imp->n)
		rc = check_cells_once(imp->cells, imp->n, err);
	*left = imp->n - imp->next;
	return rc;
}

enum ct_status store_import_end(struct score_import *imp, enum ct_status rc, struct ct_err *err)
{
	if (!imp)
		return rc;
	assert(rc != CT_OK || imp->next == imp->n); /* every row stored before a commit */
	rc = store_finish(imp->st, rc, err);
	free(imp->cells);
	free(imp);
	return rc;
}

enum ct_status store_scores_import(struct store *st, const char *actor, const struct score_put *rows,
				   size_t n, struct ct_err *err)
{
	struct score_import *imp = NULL;
	enum ct_status rc = store_import_begin(st, actor, rows, n, &imp, err);
	size_t left = n;
	while (rc == CT_OK && left > 0)
		rc = store_import_step(imp, 8192, &left, err);
	return store_import_end(imp, rc, err);
}

static const char SQL_IDEM_GET[] =
	"SELECT request_sum, http_status, response FROM idempotency WHERE actor = :actor AND key = :key";
static const char SQL_IDEM_PUT[] =
	"INSERT INTO idempotency (actor, key, request_sum, http_status, response, created_at) "
	"VALUES (:actor, :key, :sum, :status, :response, :at)";

enum ct_status store_idem_get(struct store *st, const char *actor, const char *key,
			      unsigned char sum[32], int *http_status, char **response, struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_IDEM_GET, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_text(s, ":actor", actor);
	store_bind_text(s, ":key", key);
	enum ct_status rc = store_row(st, s, err);
	if (rc != CT_OK)
		return rc;
	memset(sum, 0, 32);
	if (sqlite3_column_bytes(s, 0) == 32)
		memcpy(sum, sqlite3_column_blob(s, 0), 32);
	*http_status = sqlite3_column_int(s, 1);
	*response = store_col_dup(s, 2);
	sqlite3_reset(s);
	return CT_OK;
}

enum ct_status store_idem_put(struct store *st, const char *actor, const char *key,
			      const unsigned char sum[32], int http_status, const char *response,
			      struct ct_err *err)
{
	char at[32];
	store_now(at);
	sqlite3_stmt *s = store_stmt(st, SQL_IDEM_PUT, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_text(s, ":actor", actor);
	store_bind_text(s, ":key", key);
	store_bind_blob(s, ":sum", sum, 32);
	store_bind_int(s, ":status", http_status);
	store_bind_text(s, ":response", response);
	store_bind_text(s, ":at", at);
	return store_exec_stmt(st, s, err);
}
