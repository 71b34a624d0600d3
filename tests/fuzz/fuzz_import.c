/* Fuzz target for judge-cli's CSV imports (outside input: the organizers'
 * files). The input, read as UTF-8 and as GBK, is parsed with the column list
 * of every import kind and turned into a batch with import_build, as
 * `judge-cli import KIND FILE` does. Invariants: a batch has one object per
 * record, only the kind's columns, every required cell, numbers in range and
 * marks exact as the oracle reads them, and survives json_dumps and the
 * server's json_loadb; a refused file lists min(errors, IMPORT_MAX_ERRORS)
 * lines, each "FILE:LINE:COLUMN: column: message" on a line of the file;
 * import_locate places a server error on the file. Seeds:
 * tests/fuzz/corpus/import/. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "csv.h"
#include "import.h"
#include "oracle.h"
#include "xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FILE_NAME "in.csv"

/* Whether v is a whole number 0..max written as in the cell. */
static bool number_cell(json_t *v, const char *cell, long long max)
{
	int64_t want;
	return json_is_integer(v) && oracle_whole(cell, strlen(cell), max, &want) &&
	       json_integer_value(v) == want;
}

/* What a person typed as the server expects it, written apart from
 * judge-cli's input_fold: full-width forms U+FF01..U+FF5E (UTF-8 EF BC 81 ..
 * EF BD 9E) become ASCII 0x21..0x7E, the ideographic space U+3000 (E3 80 80)
 * a space and, in a mark, the ideographic full stop U+3002 (E3 80 82) a
 * point; spaces at both ends are dropped. Returns a new string. */
static char *fold(const char *s, bool mark)
{
	size_t n = strlen(s), o = 0;
	char *out = xmalloc(n + 1);
	for (size_t i = 0; i < n;) {
		const unsigned char *u = (const unsigned char *)s + i;
		if (i + 2 < n && u[0] == 0xEF && ((u[1] == 0xBC && u[2] >= 0x81) || (u[1] == 0xBD && u[2] <= 0x9E))) {
			unsigned cp = 0xF000u + ((u[1] & 0x3Fu) << 6) + (u[2] & 0x3Fu);
			out[o++] = (char)(cp - 0xFEE0u); /* U+FF01 is "!" */
			i += 3;
		} else if (i + 2 < n && u[0] == 0xE3 && u[1] == 0x80 && (u[2] == 0x80 || (mark && u[2] == 0x82))) {
			out[o++] = u[2] == 0x80 ? ' ' : '.';
			i += 3;
		} else {
			out[o++] = s[i++];
		}
	}
	size_t start = 0;
	while (start < o && out[start] == ' ')
		start++;
	while (o > start && out[o - 1] == ' ')
		o--;
	memmove(out, out + start, o - start);
	out[o - start] = '\0';
	return out;
}

/* The checks of one cell value in a batch accepted by import_build. */
static void check_value(const struct import_col *ic, json_t *v, const char *typed)
{
	int64_t c;
	bool folded = ic->type == IMP_CODE || ic->type == IMP_MARK || ic->type == IMP_MAX_MARK ||
		      ic->type == IMP_SECONDS || ic->type == IMP_PERCENT || ic->type == IMP_WEIGHT;
	char *cell = folded ? fold(typed, ic->type != IMP_CODE) : xstrdup(typed);
	switch (ic->type) {
	case IMP_SECONDS:
		fuzz_check(number_cell(v, cell, INT32_MAX));
		free(cell);
		return;
	case IMP_PERCENT:
		fuzz_check(number_cell(v, cell, 100));
		free(cell);
		return;
	default:
		break;
	}
	fuzz_check(json_is_string(v) && strcmp(json_string_value(v), cell) == 0);
	switch (ic->type) {
	case IMP_MARK:
		fuzz_check(oracle_mark(cell, strlen(cell), &c));
		break;
	case IMP_MAX_MARK:
		fuzz_check(oracle_mark(cell, strlen(cell), &c) && c > 0);
		break;
	case IMP_WEIGHT:
		fuzz_check(oracle_whole(cell, strlen(cell), 100, &c));
		break;
	case IMP_ROLE:
		fuzz_check(strcmp(cell, "judge") == 0 || strcmp(cell, "chief") == 0);
		break;
	default: /* method, status, ratios, tie-break, PIN: their own targets */
		break;
	}
	free(cell);
}

static void check_batch(const struct import_kind *k, const struct csv_table *t, json_t *rows)
{
	fuzz_check(json_is_array(rows) && json_array_size(rows) == t->n_rows);
	for (uint32_t r = 0; r < t->n_rows; r++) {
		json_t *obj = json_array_get(rows, r);
		fuzz_check(json_is_object(obj));
		size_t present = 0;
		for (size_t i = 0; i < k->n_cols; i++) {
			const struct import_col *ic = &k->cols[i];
			const struct csv_cell *cell = csv_cell(t, r, csv_col(t, ic->name));
			json_t *v = json_object_get(obj, ic->name);
			if (!cell) {
				fuzz_check(ic->need == IMP_OPTIONAL && !v);
				continue;
			}
			fuzz_check((cell->len > 0) == (v != NULL));
			fuzz_check(ic->need != IMP_REQUIRED || v);
			if (v) {
				check_value(ic, v, cell->text);
				present++;
			}
		}
		fuzz_check(json_object_size(obj) == present); /* nothing but the kind's columns */
	}
	/* The batch as sent, as the server reads it. */
	char *text = json_dumps(rows, JSON_COMPACT);
	fuzz_check(text != NULL);
	json_error_t jerr;
	json_t *back = json_loadb(text, strlen(text), JSON_REJECT_DUPLICATES, &jerr);
	fuzz_check(back && json_equal(back, rows));
	json_decref(back);
	free(text);
}

static void check_report(const struct import_report *report, const char *text, size_t len)
{
	size_t max_line = oracle_count_lf(text, len) + 1;
	fuzz_check(report->n_errors >= 1);
	fuzz_check(report->n_lines ==
		   (report->n_errors < IMPORT_MAX_ERRORS ? report->n_errors : IMPORT_MAX_ERRORS));
	for (size_t i = 0; i < report->n_lines; i++) {
		const char *l = report->lines[i];
		fuzz_check(strncmp(l, FILE_NAME ":", strlen(FILE_NAME ":")) == 0);
		char *end;
		unsigned long line = strtoul(l + strlen(FILE_NAME ":"), &end, 10);
		fuzz_check(line >= 1 && line <= max_line && *end == ':');
	}
}

/* A server error about every row and field lands on the file. */
static void check_locate(const struct csv_table *t)
{
	long rows[] = { -1, 0, (long)t->n_rows - 1, (long)t->n_rows };
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		for (int c = -2; c < (int)t->n_cols && c < 4; c++) {
			const char *field = c == -2 ? NULL : c == -1 ? "nosuch" : t->header[c].text;
			char *s = import_locate(FILE_NAME, t, rows[i], field, "row 1: is wrong");
			fuzz_check(strncmp(s, FILE_NAME ":", strlen(FILE_NAME ":")) == 0);
			free(s);
		}
	}
}

static void check_kind(const struct import_kind *k, const char *text, size_t len)
{
	struct csv_table *t = NULL;
	struct csv_loc loc;
	struct ct_err err;
	ct_err_clear(&err);
	if (csv_parse(text, len, import_csv_columns(k), k->n_cols, &t, &loc, &err) != CT_OK) {
		char *msg = import_locate_csv(FILE_NAME, &loc, err.msg);
		fuzz_check(strncmp(msg, FILE_NAME ":", strlen(FILE_NAME ":")) == 0);
		free(msg);
		return;
	}
	/* The header is made of the kind's columns, every required one present. */
	for (size_t i = 0; i < k->n_cols; i++)
		fuzz_check(k->cols[i].need == IMP_OPTIONAL || csv_col(t, k->cols[i].name) >= 0);
	fuzz_check(t->n_cols <= k->n_cols);

	json_t *rows = NULL;
	struct import_report report;
	if (import_build(k, FILE_NAME, t, &rows, &report) == CT_OK) {
		fuzz_check(report.n_errors == 0 && report.n_lines == 0);
		check_batch(k, t, rows);
		json_decref(rows);
	} else {
		check_report(&report, text, len);
		import_report_clear(&report);
	}
	check_locate(t);
	csv_free(t);
}

static void check_encoding(const uint8_t *data, size_t size, const char *encoding)
{
	char *text = NULL;
	size_t len = 0;
	struct csv_loc loc;
	if (csv_decode((const char *)data, size, encoding, &text, &len, &loc, NULL) != CT_OK)
		return;
	static const char names[] = IMPORT_KIND_NAMES;
	for (const char *p = names; *p;) {
		size_t n = strcspn(p, "|");
		char name[32];
		fuzz_check(n < sizeof name);
		memcpy(name, p, n);
		name[n] = '\0';
		const struct import_kind *k = import_kind_find(name);
		fuzz_check(k != NULL);
		check_kind(k, text, len);
		p += n + (p[n] == '|');
	}
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool started;
	if (!started) {
		xmalloc_json(); /* as judge-cli's main does */
		started = true;
	}
	check_encoding(data, size, NULL);
	check_encoding(data, size, "GBK");
	return 0;
}
