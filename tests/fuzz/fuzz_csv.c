/* Fuzz target for the CSV reader (outside input: every file judge-cli
 * imports). Each input is decoded both as UTF-8 and as GBK and parsed without
 * a column list. Invariants: decoding yields valid UTF-8 of bounded size; a
 * parsed table keeps within the limits of csv.h (fields, columns, rows no
 * more than lines), its cells are valid UTF-8 without NUL on non-decreasing
 * lines, its header is distinct and found by csv_col, no record is empty,
 * and writing the table with csv_write_row and parsing the text again gives
 * the same table. A rejection names a line within the input.
 * Seeds: tests/fuzz/corpus/csv/. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "oracle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_cell(const struct csv_cell *c, uint32_t max_line)
{
	fuzz_check(c->text != NULL);
	fuzz_check(strlen(c->text) == c->len);
	fuzz_check(c->len <= CSV_MAX_FIELD);
	fuzz_check(oracle_utf8(c->text, c->len));
	fuzz_check(c->line >= 1 && c->line <= max_line);
}

/* The invariants of a table parsed from text[0..len). */
static void check_table(const struct csv_table *t, const char *text, size_t len)
{
	uint32_t max_line = (uint32_t)oracle_count_lf(text, len) + 1;
	size_t bytes = 0;

	fuzz_check(t->n_cols >= 1 && t->n_cols <= CSV_MAX_COLS);
	fuzz_check(t->n_rows <= max_line - 1); /* each record follows a line break */
	for (uint32_t i = 0; i < t->n_cols; i++) {
		const struct csv_cell *h = &t->header[i];
		check_cell(h, max_line);
		fuzz_check(h->len > 0);
		fuzz_check(csv_col(t, h->text) == (int)i); /* also: names are distinct */
		bytes += h->len + 1;
	}
	uint32_t prev_line = 0;
	for (uint32_t r = 0; r < t->n_rows; r++) {
		bool empty = true;
		for (uint32_t i = 0; i < t->n_cols; i++) {
			const struct csv_cell *c = csv_cell(t, r, (int)i);
			fuzz_check(c == &t->cells[(size_t)r * t->n_cols + i]);
			check_cell(c, max_line);
			fuzz_check(c->line >= t->row_line[r]);
			fuzz_check(i == 0 ? c->line == t->row_line[r] : c->line >= c[-1].line);
			empty = empty && c->len == 0;
			bytes += c->len + 1;
		}
		fuzz_check(!empty);
		fuzz_check(t->row_line[r] > prev_line);
		fuzz_check(t->row_line[r] > t->header[t->n_cols - 1].line);
		prev_line = t->cells[(size_t)r * t->n_cols + t->n_cols - 1].line;
	}
	fuzz_check(csv_cell(t, t->n_rows, 0) == NULL);
	fuzz_check(csv_cell(t, 0, -1) == NULL);
	fuzz_check(csv_cell(t, 0, (int)t->n_cols) == NULL);
	fuzz_check(bytes <= len + 1); /* the arena holds unquoted text and NULs */
}

/* Whether a cell starting like this is written with a "'" in front (the
 * CSV-injection rule of csv_write_row, from OWASP's list). */
static bool formula_start(const struct csv_cell *c)
{
	return c->len > 0 && c->text[0] != '\0' && strchr("=+-@\t\r", c->text[0]) != NULL;
}

/* Whether the cells back (parsed again) are the cells a as written: the same
 * text, with a "'" in front of those that start like a formula. */
static bool same_cells(const struct csv_cell *back, const struct csv_cell *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t quote = formula_start(&a[i]) ? 1 : 0;
		if (back[i].len != a[i].len + quote || (quote && back[i].text[0] != '\'') ||
		    memcmp(back[i].text + quote, a[i].text, a[i].len) != 0)
			return false;
	}
	return true;
}

/* Writes t as CSV and parses it again: the same table must come back. */
static void check_round_trip(const struct csv_table *t)
{
	struct csv_writer w = { 0 };
	const char **fields = calloc(t->n_cols, sizeof *fields);
	if (!fields)
		abort();
	for (uint32_t i = 0; i < t->n_cols; i++)
		fields[i] = t->header[i].text;
	csv_write_row(&w, fields, t->n_cols);
	for (uint32_t r = 0; r < t->n_rows; r++) {
		for (uint32_t i = 0; i < t->n_cols; i++)
			fields[i] = csv_cell(t, r, (int)i)->text;
		csv_write_row(&w, fields, t->n_cols);
	}
	free(fields);
	fuzz_check(w.buf != NULL && strlen(w.buf) == w.len);

	struct csv_table *back = NULL;
	struct ct_err err;
	ct_err_clear(&err);
	fuzz_check(csv_parse(w.buf, w.len, NULL, 0, &back, NULL, &err) == CT_OK);
	fuzz_check(back->n_cols == t->n_cols && back->n_rows == t->n_rows);
	fuzz_check(same_cells(back->header, t->header, t->n_cols));
	fuzz_check(same_cells(back->cells, t->cells, (size_t)t->n_rows * t->n_cols));
	csv_free(back);
	free(w.buf);
}

static void check_parse(const char *text, size_t len)
{
	struct csv_table *t = NULL;
	struct csv_loc loc = { 99, 99 };
	struct ct_err err;
	ct_err_clear(&err);
	enum ct_status rc = csv_parse(text, len, NULL, 0, &t, &loc, &err);
	if (rc == CT_OK) {
		check_table(t, text, len);
		check_round_trip(t);
		csv_free(t);
		return;
	}
	fuzz_check(rc == CT_INVALID || rc == CT_TOO_LARGE);
	fuzz_check(t == NULL);
	fuzz_check(err.msg[0] != '\0');
	fuzz_check(loc.line >= 1 && loc.line <= oracle_count_lf(text, len) + 1);
	fuzz_check(loc.column <= CSV_MAX_COLS + 1);
}

static void check_decode(const uint8_t *data, size_t size, const char *encoding)
{
	char *text = NULL;
	size_t len = 0;
	struct csv_loc loc = { 99, 99 };
	struct ct_err err;
	ct_err_clear(&err);
	enum ct_status rc = csv_decode((const char *)data, size, encoding, &text, &len, &loc, &err);
	if (rc != CT_OK) {
		fuzz_check(rc == CT_INVALID && encoding != NULL);
		fuzz_check(err.msg[0] != '\0');
		fuzz_check(loc.line >= 1 && loc.line <= oracle_count_lf((const char *)data, size) + 1);
		return;
	}
	fuzz_check(text[len] == '\0');
	if (!encoding) {
		fuzz_check(len == size && memcmp(text, data, size) == 0);
	} else {
		/* A GB18030 character of 1, 2 or 4 bytes becomes 1, 2 to 4
		 * (FE76 is U+2298F), or 2 to 4 bytes of UTF-8. */
		fuzz_check(len <= 2 * size);
		fuzz_check(len * 2 >= size);
		fuzz_check(oracle_utf8(text, len));
		fuzz_check((memchr(text, 0, len) != NULL) == (memchr(data, 0, size) != NULL));
	}
	check_parse(text, len);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_decode(data, size, NULL);
	check_decode(data, size, "GBK");
	return 0;
}
