/* Score values: one judge's value for one contestant on one criterion, with
 * every revision kept, and the idempotency records of submissions. */
#include "store_int.h"

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
static const char SQL_BY_CODE[] =
	"SELECT id, coalesce(organization_id, 0), anon_code FROM contestants "
	"WHERE event_id = :event AND anon_code = upper(:code)";
static const char SQL_BY_REG[] =
	"SELECT id, coalesce(organization_id, 0), anon_code FROM contestants "
	"WHERE event_id = :event AND reg_id = :code";
static const char SQL_CRITERION[] =
	"SELECT id, method, max_c FROM criteria WHERE event_id = :event AND code = :code";
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
	return CT_OK;
}

static enum ct_status contestant_ref(struct store *st, int64_t event_id, const struct score_put *p,
				     bool by_admin, int64_t *id, int64_t *org, char code[16], struct ct_err *err)
{
	const char *sqls[2] = {SQL_BY_CODE, SQL_BY_REG};
	for (int i = 0; i < (by_admin ? 2 : 1); i++) {
		sqlite3_stmt *s = store_stmt(st, sqls[i], err);
		if (!s)
			return CT_INTERNAL;
		store_bind_int(s, ":event", event_id);
		store_bind_text(s, ":code", p->contestant);
		int src = sqlite3_step(s);
		if (src == SQLITE_ROW) {
			*id = sqlite3_column_int64(s, 0);
			*org = sqlite3_column_int64(s, 1);
			store_col_copy(s, 2, code, 16);
		}
		sqlite3_reset(s);
		if (src == SQLITE_ROW)
			return CT_OK;
		if (src != SQLITE_DONE)
			return store_fail(st, src, err);
	}
	return ct_fail_at(err, CT_NOT_FOUND, -1, "contestant", "no contestant %s in event %s", p->contestant,
			  p->event);
}

static enum ct_status criterion_ref(struct store *st, int64_t event_id, const struct score_put *p,
				    int64_t *id, struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_CRITERION, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_int(s, ":event", event_id);
	store_bind_text(s, ":code", p->criterion);
	enum ct_status rc = store_row(st, s, err);
	if (rc == CT_NOT_FOUND)
		return ct_fail_at(err, CT_NOT_FOUND, -1, "criterion", "no criterion %s in event %s", p->criterion,
				  p->event);
	if (rc != CT_OK)
		return rc;
	*id = sqlite3_column_int64(s, 0);
	enum method m;
	method_parse((const char *)sqlite3_column_text(s, 1), &m, NULL);
	int64_t max_c = sqlite3_column_int64(s, 2);
	sqlite3_reset(s);
	char v[DEC_TEXT_MAX], mx[DEC_TEXT_MAX];
	if (p->value_c < 0)
		return ct_fail_at(err, CT_INVALID, -1, "value", "value must not be negative");
	if (m == METHOD_JUDGEMENT && (p->value_c % 100 != 0 || p->value_c > 300))
		return ct_fail_at(err, CT_INVALID, -1, "value",
				  "criterion %s is judged 0, 1, 2 or 3; %s is not one of them", p->criterion,
				  dec_format(p->value_c, v));
	if (p->value_c > max_c && m != METHOD_JUDGEMENT)
		return ct_fail_at(err, CT_INVALID, -1, "value", "value %s is over the max %s of criterion %s",
				  dec_format(p->value_c, v), dec_format(max_c, mx), p->criterion);
	return CT_OK;
}

/* Binds the key of one value: contestant c, criterion k, judge j. */
static void bind_cell(sqlite3_stmt *s, int64_t c, int64_t k, int64_t j)
{
	store_bind_int(s, ":c", c);
	store_bind_int(s, ":k", k);
	store_bind_int(s, ":j", j);
}

static enum ct_status write_value(struct store *st, const char *actor, int64_t event_id, int64_t c, int64_t k,
				  const struct judge_ref *j, const struct score_put *p, const char *anon,
				  struct score_ack *ack, struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_CURRENT, err);
	if (!s)
		return CT_INTERNAL;
	bind_cell(s, c, k, j->id);
	int src = sqlite3_step(s);
	bool had = src == SQLITE_ROW;
	int64_t old_value = had ? sqlite3_column_int64(s, 0) : 0;
	int64_t revision = had ? sqlite3_column_int64(s, 1) + 1 : 1;
	sqlite3_reset(s);
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		return store_fail(st, src, err);

	char at[32];
	store_now(at);
	s = store_stmt(st, SQL_PUT, err);
	if (!s)
		return CT_INTERNAL;
	bind_cell(s, c, k, j->id);
	store_bind_int(s, ":event", event_id);
	store_bind_int(s, ":value", p->value_c);
	store_bind_int(s, ":rev", revision);
	store_bind_text(s, ":at", at);
	enum ct_status rc = store_exec_stmt(st, s, err);
	if (rc != CT_OK)
		return rc;
	s = store_stmt(st, SQL_REVISION, err);
	if (!s)
		return CT_INTERNAL;
	bind_cell(s, c, k, j->id);
	store_bind_int(s, ":rev", revision);
	store_bind_int(s, ":value", p->value_c);
	store_bind_text(s, ":by", actor);
	store_bind_text(s, ":at", at);
	rc = store_exec_stmt(st, s, err);
	if (rc == CT_OK && had && old_value != p->value_c) {
		s = store_stmt(st, SQL_UNACCEPT, err);
		if (!s)
			return CT_INTERNAL;
		store_bind_int(s, ":c", c);
		store_bind_int(s, ":k", k);
		rc = store_exec_stmt(st, s, err);
	}
	if (rc == CT_OK)
		rc = store_bump(st, event_id, err);
	if (rc == CT_OK) {
		char object[256], before[DEC_TEXT_MAX], after[DEC_TEXT_MAX];
		snprintf(object, sizeof object, "%s/%s/%s/%s", p->event, anon, p->criterion, j->code);
		rc = store_audit(st, actor, "score", object, had ? dec_format(old_value, before) : NULL,
				 dec_format(p->value_c, after), err);
	}
	ack->revision = revision;
	ack->value_c = p->value_c;
	return rc;
}

/* The cell one value goes to: contestant, criterion, judge ids. */
struct score_cell {
	int64_t c, k, j;
	size_t row;              /* its row in an import */
};

/* store_score_put, also giving the cell written when cell is not NULL. */
static enum ct_status score_put(struct store *st, const char *actor, const struct score_put *p,
				struct score_ack *ack, struct score_cell *cell, struct ct_err *err)
{
	int64_t event_id, c = 0, org = 0, k = 0;
	enum event_state state;
	char anon[16];
	struct judge_ref j;
	enum ct_status rc = store_event_lookup(st, p->event, &event_id, &state, err);
	if (rc == CT_OK)
		rc = workflow_step(state, WF_SCORE, p->event, NULL, NULL, err);
	if (rc != CT_OK) {
		if (rc == CT_CONFLICT && err)
			snprintf(err->field, sizeof err->field, "event");
		return rc;
	}
	rc = panel_ref(st, event_id, p, &j, err);
	if (rc != CT_OK)
		return rc;
	rc = contestant_ref(st, event_id, p, p->judge_id == 0, &c, &org, anon, err);
	bool recused = rc == CT_OK && j.org != 0 && j.org == org;
	if (p->judge_id != 0 && (rc == CT_NOT_FOUND || recused)) {
		/* A judge is told the same whether the code is unknown or one the
		 * judge is recused from: anything else would tell the judge that
		 * a colleague from the same organization competes under it. */
		return ct_fail_at(err, CT_NOT_FOUND, -1, "contestant", "no contestant %s on the sheet of judge %s in event %s",
				  p->contestant, j.code, p->event);
	}
	if (recused)
		rc = ct_fail_at(err, CT_FORBIDDEN, -1, "contestant",
				"judge %s is recused from contestant %s (same organization)", j.code, p->contestant);
	if (rc == CT_OK)
		rc = criterion_ref(st, event_id, p, &k, err);
	if (rc != CT_OK)
		return rc;
	/* the code as the draw made it when the contestant was named by code */
	snprintf(ack->contestant, sizeof ack->contestant, "%s",
		 strcasecmp(p->contestant, anon) == 0 ? anon : p->contestant);
	if (cell)
		*cell = (struct score_cell){c, k, j.id, 0};
	return write_value(st, actor, event_id, c, k, &j, p, anon, ack, err);
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

enum ct_status store_scores_import(struct store *st, const char *actor, const struct score_put *rows,
				   size_t n, struct ct_err *err)
{
	enum ct_status rc = store_begin(st, err);
	if (rc != CT_OK)
		return rc;
	struct score_cell *cells = xcalloc(n ? n : 1, sizeof *cells);
	for (size_t i = 0; i < n && rc == CT_OK; i++) {
		struct score_ack ack;
		rc = score_put(st, actor, &rows[i], &ack, &cells[i], err);
		cells[i].row = i;
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
	if (rc == CT_OK)
		rc = check_cells_once(cells, n, err);
	free(cells);
	return store_finish(st, rc, err);
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
