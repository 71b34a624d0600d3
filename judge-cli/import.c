/* The import driver table (SPEC section 7 column sets, API.md endpoints) and
 * the cell checks that can be made before anything is sent: the server stays
 * the judge of everything that needs the database. */
#include "import.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "decimal.h"
#include "input.h"
#include "scoring.h"
#include "xmalloc.h"

#define COLS(a) (a), (sizeof(a) / sizeof((a)[0]))

static const struct import_col event_cols[] = {
	{ "code", IMP_REQUIRED, IMP_TEXT },
	{ "name", IMP_REQUIRED, IMP_TEXT },
	{ "award_ratios", IMP_OPTIONAL, IMP_RATIOS },
	{ "min_award_score", IMP_OPTIONAL, IMP_MARK },
	{ "tiebreak", IMP_OPTIONAL, IMP_TIEBREAK },
	{ "discrepancy_pct", IMP_OPTIONAL, IMP_PERCENT },
};

/* module_name and module_weight may be left empty on later rows of a module. */
static const struct import_col criteria_cols[] = {
	{ "event", IMP_REQUIRED, IMP_TEXT },
	{ "module", IMP_REQUIRED, IMP_TEXT },
	{ "module_name", IMP_COLUMN, IMP_TEXT },
	{ "module_weight", IMP_COLUMN, IMP_WEIGHT },
	{ "code", IMP_REQUIRED, IMP_TEXT },
	{ "description", IMP_REQUIRED, IMP_TEXT },
	{ "max", IMP_REQUIRED, IMP_MAX_MARK },
	{ "method", IMP_REQUIRED, IMP_METHOD },
};

static const struct import_col contestant_cols[] = {
	{ "reg_id", IMP_REQUIRED, IMP_TEXT },
	{ "name", IMP_REQUIRED, IMP_TEXT },
	{ "organization", IMP_COLUMN, IMP_TEXT },
	{ "event", IMP_REQUIRED, IMP_TEXT },
	{ "id_number", IMP_OPTIONAL, IMP_TEXT },
	{ "members", IMP_OPTIONAL, IMP_TEXT },
};

static const struct import_col judge_cols[] = {
	{ "code", IMP_REQUIRED, IMP_TEXT },
	{ "name", IMP_REQUIRED, IMP_TEXT },
	{ "organization", IMP_COLUMN, IMP_TEXT },
	{ "pin", IMP_REQUIRED, IMP_PIN },
	{ "event", IMP_REQUIRED, IMP_TEXT },
	{ "role", IMP_REQUIRED, IMP_ROLE },
};

static const struct import_col checkin_cols[] = {
	{ "reg_id", IMP_REQUIRED, IMP_TEXT },
	{ "status", IMP_REQUIRED, IMP_STATUS },
	{ "elapsed_s", IMP_OPTIONAL, IMP_SECONDS },
	{ "reason", IMP_OPTIONAL, IMP_TEXT },
};

static const struct import_col score_cols[] = {
	{ "event", IMP_REQUIRED, IMP_CODE },
	{ "contestant", IMP_REQUIRED, IMP_CODE },
	{ "criterion", IMP_REQUIRED, IMP_CODE },
	{ "judge", IMP_REQUIRED, IMP_CODE },
	{ "value", IMP_REQUIRED, IMP_MARK },
};

/* The names, in this order, are also IMPORT_KIND_NAMES in import.h. */
static const struct import_kind kinds[] = {
	{ "events", "/api/v1/events", "created", "event", "events", COLS(event_cols) },
	{ "criteria", "/api/v1/criteria", "created", "criterion", "criteria", COLS(criteria_cols) },
	{ "contestants", "/api/v1/contestants", "created", "contestant", "contestants",
	  COLS(contestant_cols) },
	{ "judges", "/api/v1/judges", "created", "judge assignment", "judge assignments",
	  COLS(judge_cols) },
	{ "checkin", "/api/v1/checkin", "updated", "check-in result", "check-in results",
	  COLS(checkin_cols) },
	{ "scores", "/api/v1/scores/import", "stored", "score", "scores", COLS(score_cols) },
};
#define N_KINDS (sizeof kinds / sizeof kinds[0])

/* The largest number of columns of any kind, for the csv_column specs. */
#define IMPORT_MAX_COLS 8

const struct import_kind *import_kind_find(const char *name)
{
	for (size_t i = 0; i < N_KINDS; i++)
		if (strcmp(kinds[i].name, name) == 0)
			return &kinds[i];
	return NULL;
}

const struct csv_column *import_csv_columns(const struct import_kind *k)
{
	static struct csv_column specs[N_KINDS][IMPORT_MAX_COLS];
	size_t ki = (size_t)(k - kinds);
	for (size_t i = 0; i < k->n_cols && i < IMPORT_MAX_COLS; i++) {
		specs[ki][i].name = k->cols[i].name;
		specs[ki][i].required = k->cols[i].need != IMP_OPTIONAL;
	}
	return specs[ki];
}

void import_report_clear(struct import_report *report)
{
	for (size_t i = 0; i < report->n_lines; i++)
		free(report->lines[i]);
	memset(report, 0, sizeof *report);
}

static void report_add(struct import_report *report, const char *file, const struct csv_cell *c,
		       int col, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static void report_add(struct import_report *report, const char *file, const struct csv_cell *c,
		       int col, const char *name, const char *fmt, ...)
{
	report->n_errors++;
	if (report->n_lines >= IMPORT_MAX_ERRORS)
		return;
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	report->lines[report->n_lines++] =
		xasprintf("%s:%u:%d: %s: %s", file, c->line, col + 1, name, msg);
}

/* Number of UTF-8 code points in s. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* check_cell of a cell already folded where its type asks for it. */
static enum ct_status check_folded(enum import_type type, const char *text, json_t **v,
				   struct ct_err *err)
{

	int64_t mark_c;
	long long n;
	enum method m;
	enum entry_status st;
	int32_t ratio_c[3];
	enum ct_status rc;

	switch (type) {
	case IMP_TEXT:
	case IMP_CODE: /* folded above */
		break;
	case IMP_MARK:
	case IMP_MAX_MARK:
		if ((rc = dec_parse(text, &mark_c, err)) != CT_OK)
			return rc;
		if (type == IMP_MAX_MARK && mark_c == 0)
			return ct_fail(err, CT_INVALID, "the max mark must be greater than 0");
		break;
	case IMP_SECONDS:
		if (!parse_count(text, INT32_MAX, &n))
			return ct_fail(err, CT_INVALID, "\"%.64s\" is not a whole number of seconds", text);
		*v = json_integer(n);
		return CT_OK;
	case IMP_PERCENT:
	case IMP_WEIGHT:
		if (!parse_count(text, 100, &n))
			return ct_fail(err, CT_INVALID, "\"%.64s\" is not a whole per cent from 0 to 100",
				       text);
		if (type == IMP_PERCENT) {
			*v = json_integer(n);
			return CT_OK;
		}
		break;
	case IMP_METHOD:
		if ((rc = method_parse(text, &m, err)) != CT_OK)
			return rc;
		break;
	case IMP_STATUS:
		if ((rc = entry_status_parse(text, &st, err)) != CT_OK)
			return rc;
		break;
	case IMP_RATIOS:
		if ((rc = ratios_parse(text, ratio_c, err)) != CT_OK)
			return rc;
		break;
	case IMP_TIEBREAK:
		if ((rc = tiebreak_check(text, err)) != CT_OK)
			return rc;
		break;
	case IMP_ROLE:
		if (strcmp(text, "judge") != 0 && strcmp(text, "chief") != 0)
			return ct_fail(err, CT_INVALID, "unknown role \"%.64s\" (expected judge or chief)",
				       text);
		break;
	case IMP_PIN: {
		/* the PIN itself is never repeated in a message */
		size_t chars = utf8_chars(text);
		if (chars < 6 || chars > 32)
			return ct_fail(err, CT_INVALID, "a PIN is 6 to 32 digits; this one has %zu characters",
				       chars);
		if (strspn(text, "0123456789") != strlen(text))
			return ct_fail(err, CT_INVALID, "a PIN is 6 to 32 digits; this one has other characters");
		break;
	}
	}
	*v = json_string(text);
	return *v ? CT_OK : ct_fail(err, CT_INVALID, "text is not valid UTF-8");
}

/* One row's key for check_unique: its IMP_CODE values joined by 0x1F. */
struct row_key {
	char *key;               /* NULL in the list of repeated rows */
	uint32_t row;
	uint32_t first;          /* the earlier row it repeats (repeated rows) */
};

/* By key (when set), then row. */
static int cmp_row_key(const void *a, const void *b)
{
	const struct row_key *x = a, *y = b;
	int c = x->key && y->key ? strcmp(x->key, y->key) : 0;
	return c ? c : (x->row > y->row) - (x->row < y->row);
}

/* Reports every row whose key (keys[r]: a new string per row of t, freed
 * here) repeats an earlier row's, naming both lines: what says what
 * repeats. */
static void report_repeats(char **keys, const char *what, const char *file, const struct csv_table *t,
			   struct import_report *report)
{
	struct row_key *sorted = xcalloc(t->n_rows ? t->n_rows : 1, sizeof *sorted);
	for (uint32_t r = 0; r < t->n_rows; r++)
		sorted[r] = (struct row_key){ keys[r], r, r };
	qsort(sorted, t->n_rows, sizeof *sorted, cmp_row_key);
	/* in each run of equal keys every row repeats the run's first (its
	 * earliest row); listed by line */
	struct row_key *dups = xcalloc(t->n_rows ? t->n_rows : 1, sizeof *dups);
	size_t n_dups = 0;
	for (uint32_t i = 1, first = 0; i < t->n_rows; i++) {
		if (strcmp(sorted[first].key, sorted[i].key) != 0)
			first = i;
		else
			dups[n_dups++] = (struct row_key){ NULL, sorted[i].row, sorted[first].row };
	}
	qsort(dups, n_dups, sizeof *dups, cmp_row_key);
	for (size_t i = 0; i < n_dups; i++) {
		report->n_errors++;
		if (report->n_lines < IMPORT_MAX_ERRORS)
			report->lines[report->n_lines++] =
				xasprintf("%s:%u: %s as line %u; a file gives each value once (keep one of "
					  "the two lines)", file, t->row_line[dups[i].row], what,
					  t->row_line[dups[i].first]);
	}
	free(dups);
	free(sorted);
	for (uint32_t r = 0; r < t->n_rows; r++)
		free(keys[r]);
}

/* Joins the IMP_CODE values of a row (values[i] for column i of k, NULL
 * when empty) with 0x1F: the key report_repeats compares. A new string. */
static char *row_key_of(const struct import_kind *k, const char *const *values)
{
	size_t len = 1;
	for (size_t i = 0; i < k->n_cols; i++)
		if (k->cols[i].type == IMP_CODE)
			len += strlen(values[i] ? values[i] : "") + 1;
	char *key = xmalloc(len), *o = key;
	for (size_t i = 0; i < k->n_cols; i++) {
		if (k->cols[i].type != IMP_CODE)
			continue;
		const char *v = values[i] ? values[i] : "";
		size_t n = strlen(v);
		memcpy(o, v, n);
		o += n;
		*o++ = '\x1f';
	}
	*o = '\0';
	return key;
}

/* Reports every row of the batch rows (built from t) whose IMP_CODE values
 * repeat an earlier row's. */
static void check_unique(const struct import_kind *k, const char *what, const char *file,
			 const struct csv_table *t, const json_t *rows, struct import_report *report)
{
	char **keys = xcalloc(t->n_rows ? t->n_rows : 1, sizeof *keys);
	const char *values[IMPORT_MAX_COLS];
	for (uint32_t r = 0; r < t->n_rows; r++) {
		const json_t *obj = json_array_get(rows, r);
		for (size_t i = 0; i < k->n_cols; i++)
			values[i] = json_str(obj, k->cols[i].name, "");
		keys[r] = row_key_of(k, values);
	}
	report_repeats(keys, what, file, t, report);
	free(keys);
}

/* Checks one non-empty cell of type type; on success *folded (if not
 * NULL) is its text as it is to be sent, a new string, and *v (if not NULL)
 * its JSON value. Numbers and codes are folded from full-width forms first. */
static enum ct_status check_cell(enum import_type type, const char *text, char **folded, json_t **v,
				 struct ct_err *err)
{
	bool fold = type == IMP_CODE || type == IMP_MARK || type == IMP_MAX_MARK || type == IMP_SECONDS ||
		    type == IMP_PERCENT || type == IMP_WEIGHT;
	char *f = fold ? input_fold(text, type != IMP_CODE) : xstrdup(text);
	json_t *value = NULL;
	enum ct_status rc = *f ? check_folded(type, f, &value, err)
			       : ct_fail(err, CT_INVALID, "only spaces, a value is required");
	if (rc == CT_OK && v)
		*v = value;
	else if (value)
		json_decref(value);
	if (rc == CT_OK && folded)
		*folded = f;
	else
		free(f);
	return rc;
}

enum ct_status import_build(const struct import_kind *k, const char *file,
			    const struct csv_table *t, json_t **out, struct import_report *report)
{
	json_t *rows = json_array();
	int col_of[IMPORT_MAX_COLS];

	memset(report, 0, sizeof *report);
	for (size_t i = 0; i < k->n_cols; i++)
		col_of[i] = csv_col(t, k->cols[i].name);
	for (uint32_t r = 0; r < t->n_rows; r++) {
		json_t *obj = json_object();
		for (size_t i = 0; i < k->n_cols; i++) {
			const struct import_col *ic = &k->cols[i];
			const struct csv_cell *c = csv_cell(t, r, col_of[i]);
			if (!c)
				continue; /* optional column not in the file */
			if (c->len == 0) {
				if (ic->need == IMP_REQUIRED)
					report_add(report, file, c, col_of[i], ic->name, "empty, a value is required");
				continue;
			}
			struct ct_err err;
			json_t *v = NULL;
			ct_err_clear(&err);
			if (check_cell(ic->type, c->text, NULL, &v, &err) != CT_OK) {
				report_add(report, file, c, col_of[i], ic->name, "%s", err.msg);
				continue;
			}
			json_object_set_new(obj, ic->name, v);
		}
		json_array_append_new(rows, obj);
	}
	/* a paper sheet gives each value once: a second one is a typing error */
	if (!report->n_errors && k->cols == score_cols)
		check_unique(k, "the same event, contestant, criterion and judge", file, t, rows, report);
	if (report->n_errors) {
		json_decref(rows);
		return CT_INVALID;
	}
	*out = rows;
	return CT_OK;
}

bool import_sends_csv(const struct import_kind *k)
{
	return k->cols == score_cols;
}

/* Appends field to the CSV text at *buf (RFC 4180: quoted when it holds a
 * comma, a quote, a line break or spaces at either end). The text is data
 * for the server, not a spreadsheet: nothing is neutralized. */
static void csv_field(char **buf, size_t *len, size_t *cap, const char *field, bool last)
{
	size_t n = strlen(field);
	bool quote = strpbrk(field, ",\"\r\n") || (n && (field[0] == ' ' || field[n - 1] == ' '));
	size_t need = *len + 2 * n + 4;
	if (need > *cap) {
		while (*cap < need)
			*cap = *cap ? 2 * *cap : 4096;
		*buf = xreallocarray(*buf, *cap, 1);
	}
	char *o = *buf + *len;
	if (quote)
		*o++ = '"';
	for (const char *p = field; *p; p++) {
		if (*p == '"')
			*o++ = '"';
		*o++ = *p;
	}
	if (quote)
		*o++ = '"';
	*o++ = last ? '\n' : ',';
	*len = (size_t)(o - *buf);
}

enum ct_status import_build_csv(const struct import_kind *k, const char *file, const struct csv_table *t,
				char **out, size_t *out_len, struct import_report *report)
{
	int col_of[IMPORT_MAX_COLS];
	char *buf = NULL;
	size_t len = 0, cap = 0;
	char **keys = xcalloc(t->n_rows ? t->n_rows : 1, sizeof *keys);
	char *values[IMPORT_MAX_COLS];

	memset(report, 0, sizeof *report);
	for (size_t i = 0; i < k->n_cols; i++) {
		col_of[i] = csv_col(t, k->cols[i].name);
		csv_field(&buf, &len, &cap, k->cols[i].name, i + 1 == k->n_cols);
	}
	for (uint32_t r = 0; r < t->n_rows; r++) {
		for (size_t i = 0; i < k->n_cols; i++) {
			const struct import_col *ic = &k->cols[i];
			const struct csv_cell *c = csv_cell(t, r, col_of[i]);
			values[i] = NULL;
			if (!c || c->len == 0) {
				if (c && ic->need == IMP_REQUIRED)
					report_add(report, file, c, col_of[i], ic->name, "empty, a value is required");
				continue;
			}
			struct ct_err err;
			ct_err_clear(&err);
			if (check_cell(ic->type, c->text, &values[i], NULL, &err) != CT_OK)
				report_add(report, file, c, col_of[i], ic->name, "%s", err.msg);
		}
		for (size_t i = 0; i < k->n_cols; i++)
			csv_field(&buf, &len, &cap, values[i] ? values[i] : "", i + 1 == k->n_cols);
		keys[r] = row_key_of(k, (const char *const *)values);
		for (size_t i = 0; i < k->n_cols; i++)
			free(values[i]);
	}
	/* a paper sheet gives each value once: a second one is a typing error */
	if (!report->n_errors)
		report_repeats(keys, "the same event, contestant, criterion and judge", file, t, report);
	else
		for (uint32_t r = 0; r < t->n_rows; r++)
			free(keys[r]);
	free(keys);
	if (report->n_errors) {
		free(buf);
		return CT_INVALID;
	}
	*out = buf;
	*out_len = len;
	return CT_OK;
}

/* msg with each "row N" (N a row of t, 1-based) written as "line L" of the
 * file. Returns a new string; caller frees. */
static char *rows_as_lines(const struct csv_table *t, const char *msg)
{
	size_t cap = strlen(msg) + 1, o = 0;
	char *out = xmalloc(cap);
	while (*msg) {
		char *end;
		unsigned long n;
		if (strncmp(msg, "row ", 4) == 0 && msg[4] >= '1' && msg[4] <= '9' &&
		    (n = strtoul(msg + 4, &end, 10)) <= t->n_rows) {
			char line[32];
			int len = snprintf(line, sizeof line, "line %u", t->row_line[n - 1]);
			cap += (size_t)len;
			out = xreallocarray(out, cap, 1);
			memcpy(out + o, line, (size_t)len);
			o += (size_t)len;
			msg = end;
			continue;
		}
		out[o++] = *msg++;
	}
	out[o] = '\0';
	return out;
}

char *import_locate(const char *file, const struct csv_table *t, long index, const char *field,
		    const char *msg)
{
	char *text = NULL, *located;
	if (index < 0 || (unsigned long)index >= t->n_rows) {
		text = rows_as_lines(t, msg);
		located = xasprintf("%s: %s", file, text);
		goto out;
	}
	/* drop a "row N: " that only repeats what the location says */
	char prefix[32];
	int n = snprintf(prefix, sizeof prefix, "row %ld: ", index + 1);
	if (n > 0 && strncmp(msg, prefix, (size_t)n) == 0)
		msg += n;
	text = rows_as_lines(t, msg);
	int col = field ? csv_col(t, field) : -1;
	if (col < 0) {
		located = xasprintf("%s:%u: %s", file, t->row_line[index], text);
		goto out;
	}
	const struct csv_cell *c = csv_cell(t, (uint32_t)index, col);
	located = xasprintf("%s:%u:%d: %s: %s", file, c->line, col + 1, field, text);
out:
	free(text);
	return located;
}

char *import_locate_csv(const char *file, const struct csv_loc *loc, const char *msg)
{
	if (loc->line == 0)
		return xasprintf("%s: %s", file, msg);
	if (loc->column == 0)
		return xasprintf("%s:%u: %s", file, loc->line, msg);
	return xasprintf("%s:%u:%u: %s", file, loc->line, loc->column, msg);
}
