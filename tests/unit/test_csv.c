/* Unit tests of the CSV reader and writer: RFC 4180 quoting, line endings,
 * BOM, GBK conversion, and the location of every kind of error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "csv.h"

static const struct csv_column score_cols[] = {
	{ "event", 1 }, { "contestant", 1 }, { "criterion", 1 }, { "judge", 1 }, { "value", 1 },
};
#define N_SCORE_COLS (sizeof score_cols / sizeof score_cols[0])

/* Parses s with no column spec, expecting success. */
static struct csv_table *parse_ok(const char *s)
{
	struct csv_table *t = NULL;
	struct csv_loc loc;
	struct ct_err err;
	ct_err_clear(&err);
	enum ct_status rc = csv_parse(s, strlen(s), NULL, 0, &t, &loc, &err);
	if (rc != CT_OK)
		print_error("unexpected failure at %u:%u: %s\n", loc.line, loc.column, err.msg);
	assert_int_equal(rc, CT_OK);
	assert_non_null(t);
	return t;
}

/* Parses s (len bytes) expecting failure rc at line:column; returns the message. */
static void parse_fail(const char *s, size_t len, const struct csv_column *cols, size_t n_cols,
		       enum ct_status want, uint32_t line, uint32_t column, const char *needle)
{
	struct csv_table *t = NULL;
	struct csv_loc loc = { 99, 99 };
	struct ct_err err;
	ct_err_clear(&err);
	enum ct_status rc = csv_parse(s, len, cols, n_cols, &t, &loc, &err);
	assert_int_equal(rc, want);
	assert_null(t);
	if (loc.line != line || loc.column != column || !strstr(err.msg, needle))
		print_error("got %u:%u: %s\n", loc.line, loc.column, err.msg);
	assert_int_equal(loc.line, line);
	assert_int_equal(loc.column, column);
	assert_non_null(strstr(err.msg, needle));
}

static const char *cell(const struct csv_table *t, uint32_t row, const char *name)
{
	const struct csv_cell *c = csv_cell(t, row, csv_col(t, name));
	assert_non_null(c);
	return c->text;
}

static void test_simple(void **state)
{
	(void)state;
	struct csv_table *t = parse_ok("code,name\nCNC,数控铣\nWELD,焊接\n");
	assert_int_equal(t->n_cols, 2);
	assert_int_equal(t->n_rows, 2);
	assert_string_equal(cell(t, 0, "code"), "CNC");
	assert_string_equal(cell(t, 0, "name"), "数控铣");
	assert_string_equal(cell(t, 1, "name"), "焊接");
	assert_int_equal(t->row_line[0], 2);
	assert_int_equal(t->row_line[1], 3);
	assert_int_equal(csv_col(t, "name"), 1);
	assert_int_equal(csv_col(t, "nope"), -1);
	assert_null(csv_cell(t, 0, -1));
	csv_free(t);
}

static void test_quotes(void **state)
{
	(void)state;
	struct csv_table *t = parse_ok(
		"a,b,c\n"
		"\"x, y\",\"say \"\"hi\"\"\",\"\"\n"
		"\"\"\"\",plain,\"line1\nline2\"\n"
		"last,\"\",end\n");
	assert_int_equal(t->n_rows, 3);
	assert_string_equal(cell(t, 0, "a"), "x, y");
	assert_string_equal(cell(t, 0, "b"), "say \"hi\"");
	assert_string_equal(cell(t, 0, "c"), "");
	assert_string_equal(cell(t, 1, "a"), "\"");
	assert_string_equal(cell(t, 1, "c"), "line1\nline2");
	assert_int_equal(csv_cell(t, 1, 2)->len, 11);
	/* the record after an embedded newline starts two lines later */
	assert_int_equal(t->row_line[1], 3);
	assert_int_equal(t->row_line[2], 5);
	assert_int_equal(csv_cell(t, 2, 0)->line, 5);
	assert_string_equal(cell(t, 2, "b"), "");
	csv_free(t);
}

static void test_crlf_bom_trailing(void **state)
{
	(void)state;
	/* BOM, CRLF, no final line break */
	struct csv_table *t = parse_ok("\xEF\xBB\xBF" "code,name\r\nCNC,\"数控\r\n铣\"\r\nX,Y");
	assert_int_equal(t->n_rows, 2);
	assert_string_equal(t->header[0].text, "code");
	assert_string_equal(cell(t, 0, "name"), "数控\r\n铣");
	assert_string_equal(cell(t, 1, "code"), "X");
	assert_string_equal(cell(t, 1, "name"), "Y");
	assert_int_equal(t->row_line[1], 4);
	csv_free(t);

	/* empty trailing lines, a blank line and an all-empty record are skipped */
	t = parse_ok("code,name\n\nCNC,a\n,\n\nWELD,b\n\n\r\n");
	assert_int_equal(t->n_rows, 2);
	assert_string_equal(cell(t, 1, "code"), "WELD");
	assert_int_equal(t->row_line[0], 3);
	assert_int_equal(t->row_line[1], 6);
	csv_free(t);

	/* a trailing comma is an empty last field */
	t = parse_ok("a,b\n1,\n");
	assert_string_equal(cell(t, 0, "a"), "1");
	assert_string_equal(cell(t, 0, "b"), "");
	csv_free(t);

	/* header only */
	t = parse_ok("a,b\r\n");
	assert_int_equal(t->n_rows, 0);
	csv_free(t);
}

static void test_ragged(void **state)
{
	(void)state;
	const char *s = "a,b,c\n1,2,3\n4,5\n";
	parse_fail(s, strlen(s), NULL, 0, CT_INVALID, 3, 0, "record has 2 fields, the header has 3");
	s = "a,b\n1,2\n\"x\ny\",2,3\n";
	parse_fail(s, strlen(s), NULL, 0, CT_INVALID, 3, 0, "record has 3 fields");
}

static void test_bad_quotes(void **state)
{
	(void)state;
	const char *s = "a,b\n1,ab\"c\n";
	parse_fail(s, strlen(s), NULL, 0, CT_INVALID, 2, 2, "quote inside an unquoted field");
	s = "a,b\n1,\"abc\"d\n";
	parse_fail(s, strlen(s), NULL, 0, CT_INVALID, 2, 2, "after the closing quote");
	s = "a,b,c\nx,y,z\n1,2,\"unterminated\nmore\n";
	parse_fail(s, strlen(s), NULL, 0, CT_INVALID, 3, 3, "not closed");
	s = "a,b\n1,2\r3,4\n";
	parse_fail(s, strlen(s), NULL, 0, CT_INVALID, 2, 2, "carriage return");
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	/* GBK "张三" in a file read as UTF-8 */
	const char *s = "code,name\nJ01,\xD5\xC5\xC8\xFD\n";
	parse_fail(s, strlen(s), NULL, 0, CT_INVALID, 2, 2, "invalid UTF-8 byte 0xD5");
	/* a bad byte on the second line of a multi-line field */
	s = "a,b,c\n1,2,\"ok\n\xE4\xB8\x80 \xFF\"\n";
	parse_fail(s, strlen(s), NULL, 0, CT_INVALID, 3, 3, "0xFF");
	/* overlong encoding, surrogate, truncated sequence at the end */
	s = "a\n\xC0\xAF\n";
	parse_fail(s, strlen(s), NULL, 0, CT_INVALID, 2, 1, "0xC0");
	s = "a\n\xED\xA0\x80\n";
	parse_fail(s, strlen(s), NULL, 0, CT_INVALID, 2, 1, "0xED");
	s = "a\nok\xE4\xB8";
	parse_fail(s, strlen(s), NULL, 0, CT_INVALID, 2, 1, "byte 3 of the field");
	/* NUL bytes (a UTF-16 file) */
	static const char nul[] = "a,b\n1,x\0y\n";
	parse_fail(nul, sizeof nul - 1, NULL, 0, CT_INVALID, 2, 2, "NUL byte");
	/* a bad byte in the header */
	s = "co\x80" "de\n1\n";
	parse_fail(s, strlen(s), NULL, 0, CT_INVALID, 1, 1, "0x80");
}

static void test_header(void **state)
{
	(void)state;
	const char *s = "event,contestant,criterion,judge,value,judge\n";
	parse_fail(s, strlen(s), score_cols, N_SCORE_COLS, CT_INVALID, 1, 6,
		   "duplicate column \"judge\" (also column 4)");
	s = "event,contestant,criterion,judge,value,score\n";
	parse_fail(s, strlen(s), score_cols, N_SCORE_COLS, CT_INVALID, 1, 6,
		   "unknown column \"score\" (expected: event, contestant, criterion, judge, value)");
	s = "event,contestant,criterion,value\nCNC,K7,A1,7\n";
	parse_fail(s, strlen(s), score_cols, N_SCORE_COLS, CT_INVALID, 1, 0,
		   "missing column \"judge\"");
	s = "event,,value\n";
	parse_fail(s, strlen(s), NULL, 0, CT_INVALID, 1, 2, "empty column name");
	s = "";
	parse_fail(s, 0, NULL, 0, CT_INVALID, 1, 0, "header row is required");
	s = "\n\r\n";
	parse_fail(s, strlen(s), NULL, 0, CT_INVALID, 1, 0, "header row is required");
	/* a second BOM (found by fuzz_csv: writing the header back lost it) */
	s = "\xEF\xBB\xBF\xEF\xBB\xBF" "code,name\r\nCNC,x\r\n";
	parse_fail(s, strlen(s), NULL, 0, CT_INVALID, 1, 1, "byte order mark (U+FEFF)");
	s = "code,na\xEF\xBB\xBFme\n";
	parse_fail(s, strlen(s), NULL, 0, CT_INVALID, 1, 2, "byte order mark (U+FEFF)");
	/* ...which data cells may hold */
	struct csv_table *t = parse_ok("code\n\xEF\xBB\xBF" "x\n");
	assert_string_equal(cell(t, 0, "code"), "\xEF\xBB\xBF" "x");
	csv_free(t);
	/* header names are exact: no case folding, no trimming */
	s = "Event,contestant,criterion,judge,value\n";
	parse_fail(s, strlen(s), score_cols, N_SCORE_COLS, CT_INVALID, 1, 1, "unknown column \"Event\"");

	/* column order is free; optional columns may be absent */
	static const struct csv_column ev_cols[] = {
		{ "code", 1 }, { "name", 1 }, { "award_ratios", 0 }, { "tiebreak", 0 },
	};
	struct csv_loc loc;
	struct ct_err err;
	s = "\n\ntiebreak,name,code\ntime,数控铣,CNC\n";
	assert_int_equal(csv_parse(s, strlen(s), ev_cols, 4, &t, &loc, &err), CT_OK);
	assert_int_equal(t->header[0].line, 3);
	assert_int_equal(csv_col(t, "award_ratios"), -1);
	assert_string_equal(cell(t, 0, "code"), "CNC");
	assert_string_equal(cell(t, 0, "tiebreak"), "time");
	csv_free(t);
}

static void test_limits(void **state)
{
	(void)state;
	size_t n = CSV_MAX_FIELD + 10;
	char *s = malloc(n + 8);
	memcpy(s, "a\n", 2);
	memset(s + 2, 'x', n);
	memcpy(s + 2 + n, "\n", 2);
	parse_fail(s, strlen(s), NULL, 0, CT_TOO_LARGE, 2, 1, "longer than");
	free(s);

	/* one field exactly at the limit is fine */
	s = malloc(CSV_MAX_FIELD + 8);
	memcpy(s, "a\n", 2);
	memset(s + 2, 'y', CSV_MAX_FIELD);
	s[2 + CSV_MAX_FIELD] = '\0';
	struct csv_table *t = parse_ok(s);
	assert_int_equal(csv_cell(t, 0, 0)->len, CSV_MAX_FIELD);
	csv_free(t);
	free(s);

	char many[CSV_MAX_COLS * 2 + 8];
	size_t o = 0;
	for (unsigned i = 0; i <= CSV_MAX_COLS; i++) {
		many[o++] = 'c';
		many[o++] = ',';
	}
	many[o - 1] = '\n';
	many[o] = '\0';
	parse_fail(many, o, NULL, 0, CT_TOO_LARGE, 1, CSV_MAX_COLS + 1, "more than");
}

static void test_decode_gbk(void **state)
{
	(void)state;
	/* "name\n张三\n" in GBK; 张 = D5C5, 三 = C8FD */
	const char gbk[] = "name,org\n\xD5\xC5\xC8\xFD,\xB5\xDA\xD2\xBB\n";
	char *u = NULL;
	size_t ulen = 0;
	struct csv_loc loc;
	struct ct_err err;
	ct_err_clear(&err);
	assert_int_equal(csv_decode(gbk, sizeof gbk - 1, "GBK", &u, &ulen, &loc, &err), CT_OK);
	assert_string_equal(u, "name,org\n\xE5\xBC\xA0\xE4\xB8\x89,\xE7\xAC\xAC\xE4\xB8\x80\n");
	assert_string_equal(u, "name,org\n张三,第一\n");
	assert_int_equal(ulen, strlen(u));

	struct csv_table *t = NULL;
	assert_int_equal(csv_parse(u, ulen, NULL, 0, &t, &loc, &err), CT_OK);
	assert_string_equal(cell(t, 0, "name"), "张三");
	csv_free(t);
	free(u);

	/* lower-case names and GB18030 four-byte sequences (U+20000 𠀀 = 95 32 82 36) */
	u = NULL;
	assert_int_equal(csv_decode("a\n\x95\x32\x82\x36\n", 8, "gb18030", &u, &ulen, &loc, &err), CT_OK);
	assert_string_equal(u, "a\n\xF0\xA0\x80\x80\n");
	free(u);

	/* two-byte codes of plane 2 characters (FE76 = U+2298F), four bytes of
	 * UTF-8 each: more than the first buffer holds (found by fuzz_csv) */
	char plane2[2 * 100 + 1], want[4 * 100 + 1];
	for (int i = 0; i < 100; i++) {
		memcpy(plane2 + 2 * i, "\xFE\x76", 2);
		memcpy(want + 4 * i, "\xF0\xA2\xA6\x8F", 4);
	}
	plane2[200] = want[400] = '\0';
	u = NULL;
	assert_int_equal(csv_decode(plane2, 200, "GBK", &u, &ulen, &loc, &err), CT_OK);
	assert_int_equal(ulen, 400);
	assert_string_equal(u, want);
	free(u);

	/* UTF-8 input is copied as is */
	u = NULL;
	assert_int_equal(csv_decode("a\nb", 3, NULL, &u, &ulen, &loc, &err), CT_OK);
	assert_string_equal(u, "a\nb");
	assert_int_equal(ulen, 3);
	free(u);
	u = NULL;
	assert_int_equal(csv_decode("a", 1, "utf-8", &u, &ulen, &loc, &err), CT_OK);
	free(u);
}

static void test_decode_errors(void **state)
{
	(void)state;
	char *u = NULL;
	size_t ulen = 0;
	struct csv_loc loc;
	struct ct_err err;
	/* 0xFF is never valid in GBK */
	const char bad[] = "name\nok\n\xD5\xC5\xFF\xFF\n";
	assert_int_equal(csv_decode(bad, sizeof bad - 1, "GBK", &u, &ulen, &loc, &err), CT_INVALID);
	assert_null(u);
	assert_int_equal(loc.line, 3);
	assert_non_null(strstr(err.msg, "0xFF"));
	assert_non_null(strstr(err.msg, "byte 3 of the line"));
	/* a lead byte at the very end */
	assert_int_equal(csv_decode("a\n\xD5", 3, "GBK", &u, &ulen, &loc, &err), CT_INVALID);
	assert_int_equal(loc.line, 2);
	assert_non_null(strstr(err.msg, "incomplete"));
	/* a UTF-8 file declared as GBK */
	assert_int_equal(csv_decode("\xEF\xBB\xBF" "a\n", 5, "GBK", &u, &ulen, &loc, &err), CT_INVALID);
	assert_non_null(strstr(err.msg, "UTF-8"));
	assert_int_equal(csv_decode("a", 1, "latin1", &u, &ulen, &loc, &err), CT_INVALID);
	assert_non_null(strstr(err.msg, "unknown encoding"));
	assert_null(u);
}

static void test_write(void **state)
{
	(void)state;
	struct csv_writer w = { 0 };
	const char *row1[] = { "reg_id", "name", "total" };
	const char *row2[] = { "2026001", "张三, \"小张\"", NULL };
	const char *row3[] = { "a\nb", " lead", "" };
	csv_write_row(&w, row1, 3);
	csv_write_row(&w, row2, 3);
	csv_write_row(&w, row3, 3);
	assert_string_equal(w.buf, "reg_id,name,total\n"
				   "2026001,\"张三, \"\"小张\"\"\",\n"
				   "\"a\nb\",\" lead\",\n");
	assert_int_equal(w.len, strlen(w.buf));
	char *buf = w.buf;

	/* many rows: the buffer grows and keeps every row */
	struct csv_writer big = { 0 };
	for (int i = 0; i < 5000; i++)
		csv_write_row(&big, row2, 3);
	assert_int_equal(big.len, 5000 * strlen("2026001,\"张三, \"\"小张\"\"\",\n"));
	assert_true(big.cap > big.len);
	free(big.buf);

	/* what is written reads back the same */
	struct csv_table *t = parse_ok(buf);
	assert_string_equal(cell(t, 0, "name"), "张三, \"小张\"");
	assert_string_equal(cell(t, 1, "reg_id"), "a\nb");
	assert_string_equal(cell(t, 1, "name"), " lead");
	csv_free(t);
	free(buf);
}

/* Issue 12 item 8: a cell a spreadsheet would run as a formula gets a "'"
 * in front (OWASP, CSV injection); the same text elsewhere in a cell does
 * not. */
static void test_write_formula(void **state)
{
	(void)state;
	struct csv_writer w = { 0 };
	const char *row[] = { "=1+1", "+86 学院", "-2", "@SUM(A1)", "\tx", "\ry", "a=b", "1-2", "" };
	csv_write_row(&w, row, 9);
	assert_string_equal(w.buf, "\"'=1+1\",\"'+86 学院\",\"'-2\",\"'@SUM(A1)\",\"'\tx\",\"'\ry\",a=b,1-2,\n");
	const char *quoted[] = { "=HYPERLINK(\"http://x\")" };
	csv_write_row(&w, quoted, 1);
	assert_non_null(strstr(w.buf, "\n\"'=HYPERLINK(\"\"http://x\"\")\"\n"));
	free(w.buf);
	/* and it reads back as the neutralized text */
	struct csv_writer back = { 0 };
	const char *head[] = { "a", "b" }, *cells[] = { "=1+1", "\ry" };
	csv_write_row(&back, head, 2);
	csv_write_row(&back, cells, 2);
	struct csv_table *t = parse_ok(back.buf);
	assert_string_equal(cell(t, 0, "a"), "'=1+1");
	assert_string_equal(cell(t, 0, "b"), "'\ry");
	csv_free(t);
	free(back.buf);
}

/* Issue 8 item 10: CSV for Excel: UTF-8 with or without a BOM, or GBK; a
 * character GBK lacks is named with its line. */
static void test_encode(void **state)
{
	(void)state;
	static const char text[] = "award\n一等奖\n";
	char *out = NULL;
	size_t len = 0;
	struct ct_err err;
	enum csv_out_encoding enc;

	assert_true(csv_out_encoding_parse("utf-8", &enc));
	assert_int_equal(enc, CSV_OUT_UTF8);
	assert_true(csv_out_encoding_parse("UTF-8-BOM", &enc));
	assert_int_equal(enc, CSV_OUT_UTF8_BOM);
	assert_true(csv_out_encoding_parse("gbk", &enc));
	assert_int_equal(enc, CSV_OUT_GBK);
	assert_false(csv_out_encoding_parse("latin1", &enc));
	assert_false(csv_out_encoding_parse(NULL, &enc));

	assert_int_equal(csv_encode(text, strlen(text), CSV_OUT_UTF8, &out, &len, &err), CT_OK);
	assert_int_equal(len, strlen(text));
	assert_memory_equal(out, text, len);
	free(out);
	assert_int_equal(csv_encode(text, strlen(text), CSV_OUT_UTF8_BOM, &out, &len, &err), CT_OK);
	assert_int_equal(len, strlen(text) + 3);
	assert_memory_equal(out, "\xEF\xBB\xBF" "award\n", 9);
	free(out);
	/* 一等奖 in GBK (GB 2312 row/cell 50-76, 22-53, 29-33): D2 BB B5 C8 BD B1 */
	assert_int_equal(csv_encode(text, strlen(text), CSV_OUT_GBK, &out, &len, &err), CT_OK);
	assert_int_equal(len, 13);
	assert_memory_equal(out, "award\n\xD2\xBB\xB5\xC8\xBD\xB1\n", 13);
	free(out);

	static const char rare[] = "name\n张三\n\xF0\xA0\x80\x80先生\n"; /* U+20000 */
	out = NULL;
	ct_err_clear(&err);
	assert_int_equal(csv_encode(rare, strlen(rare), CSV_OUT_GBK, &out, &len, &err), CT_INVALID);
	assert_null(out);
	assert_non_null(strstr(err.msg, "line 3"));
	assert_non_null(strstr(err.msg, "U+20000"));
	assert_non_null(strstr(err.msg, "utf-8-bom"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_crlf_bom_trailing),
		cmocka_unit_test(test_ragged),
		cmocka_unit_test(test_bad_quotes),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_decode_gbk),
		cmocka_unit_test(test_decode_errors),
		cmocka_unit_test(test_write),
		cmocka_unit_test(test_write_formula),
		cmocka_unit_test(test_encode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
