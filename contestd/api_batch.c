/* Organizers' imports: the body is handed to the writer thread, parsed
 * and stored there (one transaction, all rows or none), so that neither a
 * large body's parsing nor its commit holds up the event loop. A score
 * import may come as CSV (text/csv, the columns of a paper score sheet),
 * which needs far less memory than the same rows in JSON. */
#include <event2/buffer.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "commit.h"
#include "csv.h"
#include "decimal.h"
#include "jin.h"
#include "scoring.h"

/* Rows stored per step of a score import, between which the writer
 * reports its progress. */
#define IMPORT_STEP 8192

/* An import on its way through the writer thread. */
struct batch {
	struct request *req;      /* answered when it is done */
	struct evbuffer *raw;     /* the body, moved off the request */
	bool csv;
	api_rows_fn rows;         /* NULL: a score import */
	int status;
	const char *verb;
	size_t n;                 /* rows stored */
};

/* Parses a JSON body: the array or object, and its number of rows. */
static enum ct_status parse_json(struct evbuffer *raw, json_t **out, size_t *n, struct ct_err *err)
{
	size_t len = evbuffer_get_length(raw);
	const char *text = (const char *)evbuffer_pullup(raw, -1);
	json_error_t jerr;
	*out = json_loadb(text ? text : "", len, JSON_REJECT_DUPLICATES, &jerr);
	if (!*out)
		return ct_fail(err, CT_INVALID, "malformed JSON at line %d, column %d: %s", jerr.line, jerr.column,
			       jerr.text);
	return jin_rows(*out, n, err);
}

/* Writer thread: a registration batch. */
static enum ct_status run_rows(struct store *st, void *arg, struct ct_err *err)
{
	struct batch *b = arg;
	json_t *body = NULL;
	enum ct_status rc = parse_json(b->raw, &body, &b->n, err);
	if (rc == CT_OK)
		rc = b->rows(st, b->req->who.actor, body, b->n, err);
	json_decref(body);
	return rc;
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

/* The columns of a score import's CSV, in the order of struct score_put's
 * strings below. */
static const struct csv_column score_columns[] = {
	{"event", 1}, {"contestant", 1}, {"criterion", 1}, {"judge", 1}, {"value", 1},
};
#define N_SCORE_COLUMNS (sizeof score_columns / sizeof score_columns[0])

/* The rows of a CSV score import, checked as decode_score checks JSON
 * rows (every cell a code, the value a mark), their strings borrowed from
 * the table. */
static enum ct_status csv_scores(const struct csv_table *t, struct score_put *rows, struct ct_err *err)
{
	int col[N_SCORE_COLUMNS];
	for (size_t c = 0; c < N_SCORE_COLUMNS; c++)
		col[c] = csv_col(t, score_columns[c].name);
	for (uint32_t i = 0; i < t->n_rows; i++) {
		const char *cell[N_SCORE_COLUMNS];
		for (size_t c = 0; c < N_SCORE_COLUMNS; c++) {
			const struct csv_cell *x = csv_cell(t, i, col[c]);
			const char *name = score_columns[c].name;
			cell[c] = x->text;
			if (x->len == 0)
				return jin_bad(err, i, name, "%s", "is required");
			if (c < N_SCORE_COLUMNS - 1 && !code_valid(x->text, x->len))
				return jin_bad(err, i, name, "\"%.64s\" may only contain letters, digits, '-', '_' and '.'",
					       x->text);
		}
		struct ct_err perr;
		ct_err_clear(&perr);
		int64_t value_c;
		if (dec_parse(cell[4], &value_c, &perr) != CT_OK)
			return jin_bad(err, i, "value", "%s", perr.msg);
		rows[i] = (struct score_put){cell[0], cell[1], cell[2], 0, cell[3], value_c};
	}
	return CT_OK;
}

/* Writer thread: a score import, committed in steps. */
static enum ct_status run_scores(struct store *st, void *arg, struct ct_err *err)
{
	struct batch *b = arg;
	struct commit_queue *q = b->req->app->commit;
	json_t *body = NULL;
	struct csv_table *t = NULL;
	struct score_put *rows = NULL;
	enum ct_status rc;
	if (b->csv) {
		struct csv_loc loc = {0, 0};
		size_t len = evbuffer_get_length(b->raw);
		const char *text = (const char *)evbuffer_pullup(b->raw, -1);
		rc = csv_parse(text ? text : "", len, score_columns, N_SCORE_COLUMNS, &t, &loc, err);
		if (rc != CT_OK && err && loc.line) {
			char msg[sizeof err->msg];
			snprintf(msg, sizeof msg, "%s", err->msg);
			ct_fail(err, rc, "line %u: %.480s", loc.line, msg);
		}
		if (rc == CT_OK && t->n_rows == 0)
			rc = ct_fail(err, CT_INVALID, "no rows to import");
		/* the table holds its own copy of the text */
		evbuffer_free(b->raw);
		b->raw = NULL;
		if (rc == CT_OK) {
			b->n = t->n_rows;
			rows = xcalloc(b->n, sizeof *rows);
			rc = csv_scores(t, rows, err);
		}
	} else {
		rc = parse_json(b->raw, &body, &b->n, err);
		if (rc == CT_OK)
			rows = xcalloc(b->n, sizeof *rows);
		for (size_t i = 0; rc == CT_OK && i < b->n; i++)
			rc = decode_score(jin_row(body, i), (long)i, &rows[i], err);
	}
	/* the body is parsed: give its memory back before the commit */
	if (b->raw) {
		evbuffer_free(b->raw);
		b->raw = NULL;
	}
	struct score_import *imp = NULL;
	if (rc == CT_OK)
		rc = store_import_begin(st, b->req->who.actor, rows, b->n, &imp, err);
	size_t left = b->n;
	while (rc == CT_OK && left > 0) {
		rc = store_import_step(imp, IMPORT_STEP, &left, err);
		commit_progress(q, b->n - left, b->n);
	}
	rc = store_import_end(imp, rc, err);
	free(rows);
	csv_free(t);
	json_decref(body);
	/* what the import's many small allocations left in the writer's heap */
	malloc_trim(0);
	return rc;
}

/* Loop thread: the answer. */
static void batch_done(void *arg, enum ct_status rc, const struct ct_err *err)
{
	struct batch *b = arg;
	struct request *req = b->req;
	if (b->raw)
		evbuffer_free(b->raw);
	if (rc != CT_OK)
		http_reply_error(req, rc, err);
	else
		http_reply_json(req, b->status, json_pack("{s:I}", b->verb, (json_int_t)b->n));
	free(b);
}

void api_batch_submit(struct request *req, api_rows_fn rows, int status, const char *verb)
{
	struct batch *b = xcalloc(1, sizeof *b);
	*b = (struct batch){req, http_take_body(req), req->csv, rows, status, verb, 0};
	commit_call(req->app->commit, rows ? run_rows : run_scores, batch_done, b);
}
