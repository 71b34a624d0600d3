/* Unit tests of judge-cli's import mapping: CSV rows to the JSON batch the
 * server takes, local cell checks reported as FILE:LINE:COLUMN, and server
 * errors about one batch row mapped back to the file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "import.h"

/* Parses s as a file of kind name; fails the test on a parse error. */
static struct csv_table *parse_kind(const char *name, const char *s)
{
	const struct import_kind *k = import_kind_find(name);
	assert_non_null(k);
	struct csv_table *t = NULL;
	struct csv_loc loc;
	struct ct_err err;
	ct_err_clear(&err);
	enum ct_status rc = csv_parse(s, strlen(s), import_csv_columns(k), k->n_cols, &t, &loc, &err);
	if (rc != CT_OK)
		print_error("%u:%u: %s\n", loc.line, loc.column, err.msg);
	assert_int_equal(rc, CT_OK);
	return t;
}

static char *dump(const json_t *v)
{
	return json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
}

static void test_kinds(void **state)
{
	(void)state;
	static const char *const names[] = { "events", "criteria", "contestants", "judges", "checkin",
					     "scores" };
	static const char *const paths[] = { "/api/v1/events", "/api/v1/criteria",
					     "/api/v1/contestants", "/api/v1/judges",
					     "/api/v1/checkin", "/api/v1/scores/import" };
	for (size_t i = 0; i < 6; i++) {
		const struct import_kind *k = import_kind_find(names[i]);
		assert_non_null(k);
		assert_string_equal(k->path, paths[i]);
	}
	assert_null(import_kind_find("event"));
	assert_null(import_kind_find(""));
}

static void test_events_mapping(void **state)
{
	(void)state;
	/* column order is free; empty optional cells are left out; discrepancy_pct
	 * is an integer, min_award_score a string */
	struct csv_table *t = parse_kind("events",
		"name,code,discrepancy_pct,min_award_score,tiebreak\n"
		"数控铣,CNC,15,60.5,module:B;time\n"
		"焊接,WELD,,,\n");
	json_t *rows = NULL;
	struct import_report rep;
	assert_int_equal(import_build(import_kind_find("events"), "events.csv", t, &rows, &rep), CT_OK);
	char *s = dump(rows);
	assert_string_equal(s, "[{\"code\":\"CNC\",\"discrepancy_pct\":15,\"min_award_score\":\"60.5\","
			       "\"name\":\"数控铣\",\"tiebreak\":\"module:B;time\"},"
			       "{\"code\":\"WELD\",\"name\":\"焊接\"}]");
	free(s);
	json_decref(rows);
	csv_free(t);
}

static void test_criteria_and_checkin_mapping(void **state)
{
	(void)state;
	struct csv_table *t = parse_kind("criteria",
		"event,module,module_name,module_weight,code,description,max,method\n"
		"CNC,A,编程,30,A1,程序正确,10,mean\n"
		"CNC,A,,,A2,\"工艺, 合理\",7.5,judgement\n");
	json_t *rows = NULL;
	struct import_report rep;
	assert_int_equal(import_build(import_kind_find("criteria"), "c.csv", t, &rows, &rep), CT_OK);
	char *s = dump(json_array_get(rows, 1));
	assert_string_equal(s, "{\"code\":\"A2\",\"description\":\"工艺, 合理\",\"event\":\"CNC\","
			       "\"max\":\"7.5\",\"method\":\"judgement\",\"module\":\"A\"}");
	free(s);
	s = dump(json_object_get(json_array_get(rows, 0), "module_weight"));
	assert_string_equal(s, "\"30\"");
	free(s);
	json_decref(rows);
	csv_free(t);

	t = parse_kind("checkin", "reg_id,status,elapsed_s,reason\n2026001,competed,5130,\n"
				  "2026002,absent,,未到场\n");
	assert_int_equal(import_build(import_kind_find("checkin"), "k.csv", t, &rows, &rep), CT_OK);
	s = dump(rows);
	assert_string_equal(s, "[{\"elapsed_s\":5130,\"reg_id\":\"2026001\",\"status\":\"competed\"},"
			       "{\"reason\":\"未到场\",\"reg_id\":\"2026002\",\"status\":\"absent\"}]");
	free(s);
	json_decref(rows);
	csv_free(t);
}

static void test_cell_errors(void **state)
{
	(void)state;
	/* line 3 of the file is the second line of a quoted field: the next
	 * record starts on line 4 */
	struct csv_table *t = parse_kind("scores",
		"event,contestant,criterion,judge,value\n"
		"CNC,K7Q2MX,A1,J01,\"7.5\n\"\n"
		"CNC,K7Q2MX,A1,,7.555\n"
		"CNC,K7Q2MX,A1,J02,-1\n");
	json_t *rows = NULL;
	struct import_report rep;
	assert_int_equal(import_build(import_kind_find("scores"), "scores.csv", t, &rows, &rep),
			 CT_INVALID);
	assert_null(rows);
	assert_int_equal(rep.n_errors, 4);
	assert_int_equal(rep.n_lines, 4);
	assert_string_equal(rep.lines[0], "scores.csv:2:5: value: mark \"7.5\n\" is not a decimal "
					  "number like 7 or 7.5");
	assert_string_equal(rep.lines[1], "scores.csv:4:4: judge: empty, a value is required");
	assert_string_equal(rep.lines[2],
			    "scores.csv:4:5: value: mark \"7.555\" has more than 2 decimal places");
	assert_non_null(strstr(rep.lines[3], "scores.csv:5:5: value: mark \"-1\""));
	import_report_clear(&rep);
	csv_free(t);

	t = parse_kind("judges", "code,name,organization,pin,event,role\n"
				 "J01,王伟,,一二三,CNC,chef\n"
				 "J02,李强,,12345x,CNC,judge\n"
				 "J03,张华,,24681,CNC,judge\n"
				 "J04,赵敏,,246810,CNC,judge\n");
	assert_int_equal(import_build(import_kind_find("judges"), "j.csv", t, &rows, &rep), CT_INVALID);
	assert_int_equal(rep.n_errors, 4);
	assert_string_equal(rep.lines[0], "j.csv:2:4: pin: a PIN is 6 to 32 digits; this one has 3 characters");
	assert_non_null(strstr(rep.lines[1], "j.csv:2:6: role: unknown role \"chef\""));
	assert_string_equal(rep.lines[2], "j.csv:3:4: pin: a PIN is 6 to 32 digits; this one has other characters");
	assert_string_equal(rep.lines[3], "j.csv:4:4: pin: a PIN is 6 to 32 digits; this one has 5 characters");
	import_report_clear(&rep);
	csv_free(t);

	t = parse_kind("events", "code,name,award_ratios,tiebreak,discrepancy_pct\n"
				 "X,Y,10/20/80,module:;x,20.5\n");
	assert_int_equal(import_build(import_kind_find("events"), "e.csv", t, &rows, &rep), CT_INVALID);
	assert_int_equal(rep.n_errors, 3);
	assert_non_null(strstr(rep.lines[0], "e.csv:2:3: award_ratios: "));
	assert_non_null(strstr(rep.lines[1], "e.csv:2:4: tiebreak: "));
	assert_string_equal(rep.lines[2],
			    "e.csv:2:5: discrepancy_pct: \"20.5\" is not a whole per cent from 0 to 100");
	import_report_clear(&rep);
	csv_free(t);

	t = parse_kind("criteria", "event,module,module_name,module_weight,code,description,max,method\n"
				   "CNC,A,a,,A1,d,0,mean\nCNC,A,a,x,A2,d,5,avg\n");
	assert_int_equal(import_build(import_kind_find("criteria"), "c.csv", t, &rows, &rep), CT_INVALID);
	assert_int_equal(rep.n_errors, 3);
	assert_string_equal(rep.lines[0], "c.csv:2:7: max: the max mark must be greater than 0");
	assert_non_null(strstr(rep.lines[1], "c.csv:3:4: module_weight: "));
	assert_non_null(strstr(rep.lines[2], "c.csv:3:8: method: unknown method \"avg\""));
	import_report_clear(&rep);
	csv_free(t);
}

static void test_error_cap(void **state)
{
	(void)state;
	char s[1024];
	size_t o = (size_t)snprintf(s, sizeof s, "reg_id,status\n");
	for (int i = 0; i < IMPORT_MAX_ERRORS + 5; i++)
		o += (size_t)snprintf(s + o, sizeof s - o, "x,gone\n");
	struct csv_table *t = parse_kind("checkin", s);
	json_t *rows = NULL;
	struct import_report rep;
	assert_int_equal(import_build(import_kind_find("checkin"), "k.csv", t, &rows, &rep), CT_INVALID);
	assert_int_equal(rep.n_errors, IMPORT_MAX_ERRORS + 5);
	assert_int_equal(rep.n_lines, IMPORT_MAX_ERRORS);
	import_report_clear(&rep);
	csv_free(t);
}

static void test_missing_required_column(void **state)
{
	(void)state;
	const struct import_kind *k = import_kind_find("contestants");
	const char *s = "reg_id,name,event\n1,a,CNC\n";
	struct csv_table *t = NULL;
	struct csv_loc loc;
	struct ct_err err;
	/* organization may be empty in cells but the column is required */
	assert_int_equal(csv_parse(s, strlen(s), import_csv_columns(k), k->n_cols, &t, &loc, &err),
			 CT_INVALID);
	assert_non_null(strstr(err.msg, "missing column \"organization\""));
	char *line = import_locate_csv("c.csv", &loc, err.msg);
	assert_string_equal(line, "c.csv:1: missing column \"organization\" in the header");
	free(line);
	/* id_number and members are optional */
	t = parse_kind("contestants", "event,name,reg_id,organization\nCNC,张三,1,\n");
	json_t *rows = NULL;
	struct import_report rep;
	assert_int_equal(import_build(k, "c.csv", t, &rows, &rep), CT_OK);
	char *d = dump(rows);
	assert_string_equal(d, "[{\"event\":\"CNC\",\"name\":\"张三\",\"reg_id\":\"1\"}]");
	free(d);
	json_decref(rows);
	csv_free(t);
}

static void test_locate_server_error(void **state)
{
	(void)state;
	struct csv_table *t = parse_kind("contestants",
		"reg_id,name,organization,event\n"
		"\n"
		"2026001,张三,一校,CNC\n"
		"2026002,\"李\n四\",二校,CNCX\n");
	char *s = import_locate("c.csv", t, 1, "event", "row 2: unknown event \"CNCX\" (400 invalid)");
	/* the record starts on line 4; its event cell is on line 5 */
	assert_string_equal(s, "c.csv:5:4: event: unknown event \"CNCX\" (400 invalid)");
	free(s);
	s = import_locate("c.csv", t, 0, "reg_id", "reg_id 2026001 already exists (409 conflict)");
	assert_string_equal(s, "c.csv:3:1: reg_id: reg_id 2026001 already exists (409 conflict)");
	free(s);
	/* a field that is not a column of the file: the line only */
	s = import_locate("c.csv", t, 1, "members", "bad members");
	assert_string_equal(s, "c.csv:4: bad members");
	free(s);
	s = import_locate("c.csv", t, 0, NULL, "row 7: keep this");
	assert_string_equal(s, "c.csv:3: row 7: keep this");
	free(s);
	/* an index outside the file */
	s = import_locate("c.csv", t, 5, "event", "odd");
	assert_string_equal(s, "c.csv: odd");
	free(s);
	s = import_locate("c.csv", t, -1, NULL, "odd");
	assert_string_equal(s, "c.csv: odd");
	free(s);
	csv_free(t);

	struct csv_loc loc = { 14, 5 };
	s = import_locate_csv("s.csv", &loc, "bad");
	assert_string_equal(s, "s.csv:14:5: bad");
	free(s);
	loc.line = 0;
	s = import_locate_csv("s.csv", &loc, "bad");
	assert_string_equal(s, "s.csv: bad");
	free(s);
}

/* Issue 8 item 5: one file gives each value once; a second row for the same
 * event, contestant, criterion and judge names both lines, even when the
 * first spans two lines. */
static void test_duplicate_scores(void **state)
{
	(void)state;
	struct csv_table *t = parse_kind("scores",
		"event,contestant,criterion,judge,value\n"
		"CNC,2026001,A1,J01,7\n"
		"CNC,2026001,A2,J01,6\n"
		"CNC,\"2026002\",A1,J01,\"5\n\"\n"
		"CNC,2026001,A1,J02,7\n"
		"CNC,2026002,A1,J01,4\n"
		"CNC,２０２６００１,A1,J01,8\n");
	json_t *rows = NULL;
	struct import_report rep;
	/* (the value "5\n" is refused as a mark: check the repeats alone) */
	assert_int_equal(import_build(import_kind_find("scores"), "s.csv", t, &rows, &rep), CT_INVALID);
	assert_int_equal(rep.n_errors, 1);
	assert_non_null(strstr(rep.lines[0], "s.csv:4:5: value"));
	import_report_clear(&rep);
	csv_free(t);

	t = parse_kind("scores",
		"event,contestant,criterion,judge,value\n"
		"CNC,2026001,A1,J01,7\n"
		"CNC,2026001,A2,J01,6\n"
		"CNC,\"2026\n002\",A1,J01,5\n"
		"CNC,2026001,A1,J02,7\n"
		"CNC,\"2026\n002\",A1,J01,4\n"
		"CNC,２０２６００１,A1,J01,8\n");
	assert_int_equal(import_build(import_kind_find("scores"), "s.csv", t, &rows, &rep), CT_INVALID);
	assert_int_equal(rep.n_errors, 2);
	assert_int_equal(rep.n_lines, 2);
	/* in file order; the full-width reg_id is the same as 2026001 */
	assert_string_equal(rep.lines[0], "s.csv:7: the same event, contestant, criterion and judge as line 4; "
					  "a file gives each value once (keep one of the two lines)");
	assert_string_equal(rep.lines[1], "s.csv:9: the same event, contestant, criterion and judge as line 2; "
					  "a file gives each value once (keep one of the two lines)");
	import_report_clear(&rep);
	csv_free(t);
}

/* Issue 8 item 9: numbers and codes typed with a Chinese input method in
 * full-width mode are read as ASCII; text is left as it is. */
static void test_full_width(void **state)
{
	(void)state;
	struct csv_table *t = parse_kind("scores",
		"event,contestant,criterion,judge,value\n"
		"ＣＮＣ,ｋ７ｑ２ｍｘ,Ａ１,Ｊ０１,８．５\n"
		"CNC,C1,A1,J01, ７。２５ \n");
	json_t *rows = NULL;
	struct import_report rep;
	assert_int_equal(import_build(import_kind_find("scores"), "s.csv", t, &rows, &rep), CT_OK);
	char *s = dump(rows);
	assert_string_equal(s, "[{\"contestant\":\"k7q2mx\",\"criterion\":\"A1\",\"event\":\"CNC\","
			       "\"judge\":\"J01\",\"value\":\"8.5\"},"
			       "{\"contestant\":\"C1\",\"criterion\":\"A1\",\"event\":\"CNC\","
			       "\"judge\":\"J01\",\"value\":\"7.25\"}]");
	free(s);
	json_decref(rows);
	csv_free(t);
	t = parse_kind("contestants", "reg_id,name,organization,event\nＲ１,张　三,第１学院,CNC\n");
	assert_int_equal(import_build(import_kind_find("contestants"), "c.csv", t, &rows, &rep), CT_OK);
	s = dump(rows);
	assert_string_equal(s, "[{\"event\":\"CNC\",\"name\":\"张　三\",\"organization\":\"第１学院\","
			       "\"reg_id\":\"Ｒ１\"}]");
	free(s);
	json_decref(rows);
	csv_free(t);
}

/* A server message about two rows of the batch names the file's lines. */
static void test_locate_rows_as_lines(void **state)
{
	(void)state;
	struct csv_table *t = parse_kind("scores",
		"event,contestant,criterion,judge,value\n"
		"CNC,C1,A1,J01,7\n"
		"\n"
		"CNC,K7Q2MX,A1,J01,8\n");
	char *s = import_locate("s.csv", t, 1, "contestant",
				"row 2: the same contestant, criterion and judge as row 1; give each value once "
				"(400 invalid)");
	assert_string_equal(s, "s.csv:4:2: contestant: the same contestant, criterion and judge as line 2; "
			       "give each value once (400 invalid)");
	free(s);
	/* numbers that are no row of the file stay as they are */
	s = import_locate("s.csv", t, 0, NULL, "row 9 and row 0 and row 2");
	assert_string_equal(s, "s.csv:2: row 9 and row 0 and line 4");
	free(s);
	csv_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_events_mapping),
		cmocka_unit_test(test_criteria_and_checkin_mapping),
		cmocka_unit_test(test_cell_errors),
		cmocka_unit_test(test_error_cap),
		cmocka_unit_test(test_missing_required_column),
		cmocka_unit_test(test_locate_server_error),
		cmocka_unit_test(test_duplicate_scores),
		cmocka_unit_test(test_full_width),
		cmocka_unit_test(test_locate_rows_as_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
