/* Unit tests of the scoring engine (SPEC section 4): every rule on small
 * hand-computed events, invalid sheets, and a seeded randomized check of
 * thousands of events against an independent brute-force oracle and the
 * ranking, award and order-independence invariants. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gmp.h>

#include "decimal.h"
#include "scoring.h"

/* ---- building sheets ------------------------------------------------------ */

#define FX_MODULES 8
#define FX_CRITERIA 16
#define FX_CONTESTANTS 64
#define FX_JUDGES 16
#define FX_VALUES 2048
#define FX_ACCEPTS 64

struct fx {
	struct sheet sheet;
	struct sheet_module modules[FX_MODULES];
	struct sheet_criterion criteria[FX_CRITERIA];
	struct sheet_contestant contestants[FX_CONTESTANTS];
	struct sheet_judge judges[FX_JUDGES];
	struct sheet_value values[FX_VALUES];
	struct sheet_accept accepts[FX_ACCEPTS];
	char keys[FX_CONTESTANTS][16];
	char codes[FX_MODULES + FX_CRITERIA][16];
	struct result *r;
};

/* A new empty event: ratios 10/20/30, no minimum award score, discrepancy
 * limit 20%, no tie-break keys. */
static struct fx *fx_new(void)
{
	struct fx *f = calloc(1, sizeof *f);
	assert_non_null(f);
	f->sheet = (struct sheet){
		.modules = f->modules,
		.criteria = f->criteria,
		.contestants = f->contestants,
		.judges = f->judges,
		.values = f->values,
		.accepts = f->accepts,
		.ratio_c = { 1000, 2000, 3000 },
		.min_award_c = -1,
		.discrepancy_pct = 20,
		.tiebreak = "",
	};
	return f;
}

static void fx_free(struct fx *f)
{
	result_free(f->r);
	free(f);
}

static uint32_t add_module(struct fx *f, const char *code, int32_t weight)
{
	uint32_t m = f->sheet.n_modules++;
	assert_true(m < FX_MODULES);
	snprintf(f->codes[m], sizeof f->codes[m], "%s", code);
	f->modules[m] = (struct sheet_module){ f->codes[m], weight };
	return m;
}

static uint32_t add_criterion(struct fx *f, const char *code, uint32_t module, enum method method,
			      int32_t max_c)
{
	uint32_t k = f->sheet.n_criteria++;
	assert_true(k < FX_CRITERIA);
	snprintf(f->codes[FX_MODULES + k], sizeof f->codes[0], "%s", code);
	f->criteria[k] = (struct sheet_criterion){ f->codes[FX_MODULES + k], module, method, max_c };
	return k;
}

static uint32_t add_contestant(struct fx *f, const char *key, enum entry_status status,
			       int64_t elapsed_s, uint32_t org)
{
	uint32_t i = f->sheet.n_contestants++;
	assert_true(i < FX_CONTESTANTS);
	snprintf(f->keys[i], sizeof f->keys[i], "%s", key);
	f->contestants[i] = (struct sheet_contestant){ f->keys[i], status, elapsed_s, org };
	return i;
}

static uint32_t add_competed(struct fx *f, const char *key)
{
	return add_contestant(f, key, ENTRY_COMPETED, -1, 0);
}

static uint32_t add_judge(struct fx *f, uint32_t org)
{
	uint32_t j = f->sheet.n_judges++;
	assert_true(j < FX_JUDGES);
	f->judges[j].org = org;
	return j;
}

static void add_value(struct fx *f, uint32_t contestant, uint32_t criterion, uint32_t judge,
		      int32_t value_c)
{
	size_t v = f->sheet.n_values++;
	assert_true(v < FX_VALUES);
	f->values[v] = (struct sheet_value){ contestant, criterion, judge, value_c };
}

/* Values from judges 0, 1, ... in turn. */
static void add_values(struct fx *f, uint32_t contestant, uint32_t criterion, size_t n,
		       const int32_t *values_c)
{
	for (size_t j = 0; j < n; j++)
		add_value(f, contestant, criterion, (uint32_t)j, values_c[j]);
}

#define VALUES(f, c, k, ...) \
	add_values(f, c, k, sizeof((int32_t[]){ __VA_ARGS__ }) / sizeof(int32_t), \
		   (int32_t[]){ __VA_ARGS__ })

static void add_accept(struct fx *f, uint32_t contestant, uint32_t criterion)
{
	size_t a = f->sheet.n_accepts++;
	assert_true(a < FX_ACCEPTS);
	f->accepts[a] = (struct sheet_accept){ contestant, criterion, false, 0 };
}

/* Scores the event, which must succeed; the result stays in f->r. */
static const struct result *score(struct fx *f)
{
	struct ct_err err;
	ct_err_clear(&err);
	result_free(f->r);
	f->r = NULL;
	enum ct_status st = score_event(&f->sheet, &f->r, &err);
	if (st != CT_OK)
		fail_msg("score_event failed: %s", err.msg);
	assert_non_null(f->r);
	return f->r;
}

/* Scoring the event must fail with CT_INVALID and a message containing want. */
static void score_invalid(struct fx *f, const char *want)
{
	struct ct_err err;
	struct result *r = NULL;
	ct_err_clear(&err);
	enum ct_status st = score_event(&f->sheet, &r, &err);
	if (st != CT_INVALID)
		fail_msg("score_event returned %d, want CT_INVALID (%s)", (int)st, want);
	assert_null(r);
	if (!strstr(err.msg, want))
		fail_msg("message \"%s\" does not mention \"%s\"", err.msg, want);
}

static int64_t mark(const struct fx *f, uint32_t contestant, uint32_t criterion)
{
	return f->r->mark_c[(size_t)contestant * f->sheet.n_criteria + criterion];
}

static int64_t module_score(const struct fx *f, uint32_t contestant, uint32_t module)
{
	return f->r->module_c[(size_t)contestant * f->sheet.n_modules + module];
}

static const struct result_entry *entry(const struct fx *f, uint32_t contestant)
{
	for (uint32_t p = 0; p < f->sheet.n_contestants; p++)
		if (f->r->entries[p].contestant == contestant)
			return &f->r->entries[p];
	fail_msg("contestant %u not in the result", contestant);
	return NULL;
}

/* One competed contestant, one judge per value, one criterion: the mark. */
static int64_t mark_of(enum method method, int32_t max_c, size_t n, const int32_t *values_c)
{
	struct fx *f = fx_new();
	add_module(f, "A", -1);
	add_criterion(f, "A1", 0, method, max_c);
	add_competed(f, "c");
	for (size_t j = 0; j < n; j++)
		add_judge(f, 0);
	add_values(f, 0, 0, n, values_c);
	score(f);
	int64_t m = mark(f, 0, 0);
	assert_int_equal(f->r->entries[0].total_c, m);
	fx_free(f);
	return m;
}

#define MARK(method, max_c, ...) \
	mark_of(method, max_c, sizeof((int32_t[]){ __VA_ARGS__ }) / sizeof(int32_t), \
		(int32_t[]){ __VA_ARGS__ })

/* ---- names and parsers ---------------------------------------------------- */

static void test_names_round_trip(void **state)
{
	(void)state;
	static const char *const methods[] = { "measurement", "deduction", "mean", "trimmed",
					       "median", "judgement" };
	static const char *const statuses[] = { "registered", "competed", "absent", "withdrawn",
						"disqualified" };
	struct ct_err err;
	for (size_t i = 0; i < 6; i++) {
		enum method m;
		assert_int_equal(method_parse(methods[i], &m, &err), CT_OK);
		assert_int_equal(m, (enum method)i);
		assert_string_equal(method_name(m), methods[i]);
	}
	for (size_t i = 0; i < 5; i++) {
		enum entry_status s;
		assert_int_equal(entry_status_parse(statuses[i], &s, &err), CT_OK);
		assert_int_equal(s, (enum entry_status)i);
		assert_string_equal(entry_status_name(s), statuses[i]);
	}
	enum method m = METHOD_MEAN;
	assert_int_equal(method_parse("Mean", &m, &err), CT_INVALID);
	assert_non_null(strstr(err.msg, "Mean"));
	assert_int_equal(method_parse("average", &m, &err), CT_INVALID);
	assert_int_equal(method_parse("", &m, &err), CT_INVALID);
	assert_int_equal(method_parse(NULL, &m, &err), CT_INVALID);
	assert_int_equal(m, METHOD_MEAN);
	enum entry_status s = ENTRY_ABSENT;
	assert_int_equal(entry_status_parse("competed ", &s, &err), CT_INVALID);
	assert_int_equal(entry_status_parse("dq", &s, &err), CT_INVALID);
	assert_int_equal(s, ENTRY_ABSENT);
}

static void test_tiebreak_check(void **state)
{
	(void)state;
	static const char *const good[] = {
		"", "time", "module:B", "criterion:A2", "module:B;criterion:A2;time",
		"criterion:A;criterion:B", "module:A;criterion:A", "module:a-b_c.1",
		"module:ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", /* 32 bytes, the longest code */
	};
	/* Codes as the API accepts them (letters, digits, '-', '_', '.'), so a
	 * key that could never name anything is refused when it is registered,
	 * not first at the draw or in the results. */
	static const char *const bad[] = {
		"time;", ";time", "time;;module:A", "module:", "criterion:", "module", "modules:A",
		"Time", " time", "time ", "rank", "module;A",
		"module:%s%n", "module:B%n", "criterion:A 1", "module:A:B", "module:B ;time",
		"time;module:模块一", "module:ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456",
		"time;time", "module:B;time;module:B", "criterion:A1;criterion:A1",
	};
	struct ct_err err;
	assert_int_equal(tiebreak_check(NULL, &err), CT_OK);
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		if (tiebreak_check(good[i], &err) != CT_OK)
			fail_msg("\"%s\" rejected: %s", good[i], err.msg);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ct_err_clear(&err);
		if (tiebreak_check(bad[i], &err) != CT_INVALID)
			fail_msg("\"%s\" accepted", bad[i]);
		assert_true(err.msg[0] != '\0');
	}
	assert_int_equal(tiebreak_check("module:B;rank", &err), CT_INVALID);
	assert_non_null(strstr(err.msg, "rank"));
	assert_int_equal(tiebreak_check("time;module:%s%n", &err), CT_INVALID);
	assert_non_null(strstr(err.msg, "module:%s%n"));
	assert_int_equal(tiebreak_check("module:B;time;module:B", &err), CT_INVALID);
	assert_non_null(strstr(err.msg, "twice"));
}

static void test_ratios_parse(void **state)
{
	(void)state;
	struct ct_err err;
	int32_t r[3] = { -1, -1, -1 };
	assert_int_equal(ratios_parse("10/20/30", r, &err), CT_OK);
	assert_int_equal(r[0], 1000);
	assert_int_equal(r[1], 2000);
	assert_int_equal(r[2], 3000);
	assert_int_equal(ratios_parse("12.5/0.25/30", r, &err), CT_OK);
	assert_int_equal(r[0], 1250);
	assert_int_equal(r[1], 25);
	assert_int_equal(r[2], 3000);
	assert_int_equal(ratios_parse("0/0/0", r, &err), CT_OK);
	assert_int_equal(r[0] + r[1] + r[2], 0);
	assert_int_equal(ratios_parse("100/0/0", r, &err), CT_OK);
	assert_int_equal(r[0], 10000);
	assert_int_equal(ratios_parse("33.33/33.33/33.34", r, &err), CT_OK);
	assert_int_equal(r[2], 3334);

	static const char *const bad[] = {
		"", "10", "10/20", "10/20/30/40", "10/20/30/", "/10/20", "10//30", "60/30/20",
		"33.34/33.33/33.34", "101/0/0", "-1/20/30", "+10/20/30", " 10/20/30", "10/20/30 ",
		"10.125/20/30", "a/b/c", "10%/20%/30%", "10,20,30", "1e1/20/30",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int32_t keep[3] = { 7, 8, 9 };
		ct_err_clear(&err);
		if (ratios_parse(bad[i], keep, &err) != CT_INVALID)
			fail_msg("\"%s\" accepted", bad[i]);
		assert_true(err.msg[0] != '\0');
		assert_int_equal(keep[0], 7); /* untouched on failure */
		assert_int_equal(keep[2], 9);
	}
	assert_int_equal(ratios_parse(NULL, r, &err), CT_INVALID);
}

/* ---- criterion marks ------------------------------------------------------ */

static void test_mean(void **state)
{
	(void)state;
	/* (2.67 + 2.68) / 2 = 2.675 exactly -> 2.68; binary floating point
	 * holds 2.675 as 2.67499999999999982236431605997495353221893310546875
	 * and would round it to 2.67. */
	assert_int_equal(MARK(METHOD_MEAN, 1000, 267, 268), 268);
	/* (1.00 + 1.00 + 1.01) / 3 = 1.00333 -> 1.00 */
	assert_int_equal(MARK(METHOD_MEAN, 1000, 100, 100, 101), 100);
	/* (1.00 + 1.01 + 1.01) / 3 = 1.00667 -> 1.01 */
	assert_int_equal(MARK(METHOD_MEAN, 1000, 100, 101, 101), 101);
	/* (0.01 + 0.02) / 2 = 0.015 -> 0.02 */
	assert_int_equal(MARK(METHOD_MEAN, 1000, 1, 2), 2);
	/* (8.5 + 9 + 9.25 + 7) / 4 = 33.75 / 4 = 8.4375 -> 8.44 */
	assert_int_equal(MARK(METHOD_MEAN, 1000, 850, 900, 925, 700), 844);
	assert_int_equal(MARK(METHOD_MEAN, 1000, 1000), 1000);
	assert_int_equal(MARK(METHOD_MEAN, 1000, 0, 0, 0), 0);
}

static void test_judgement(void **state)
{
	(void)state;
	/* M = 10, values 2, 2, 3: 10 × 7 / 9 = 7.777... -> 7.78 */
	assert_int_equal(MARK(METHOD_JUDGEMENT, 1000, 200, 200, 300), 778);
	/* M = 10, one value 1: 10 / 3 = 3.333... -> 3.33 */
	assert_int_equal(MARK(METHOD_JUDGEMENT, 1000, 100), 333);
	/* M = 10, one value 2: 20 / 3 = 6.666... -> 6.67 */
	assert_int_equal(MARK(METHOD_JUDGEMENT, 1000, 200), 667);
	/* M = 7.5, values 1, 2: 7.5 × 3 / 6 = 3.75 */
	assert_int_equal(MARK(METHOD_JUDGEMENT, 750, 100, 200), 375);
	/* M = 0.05, values 1, 2, 2, 2: 0.05 × 7 / 12 = 0.02916 -> 0.03 */
	assert_int_equal(MARK(METHOD_JUDGEMENT, 5, 100, 200, 200, 200), 3);
	/* M = 0.09, values 1, 0: 0.09 × 1 / 6 = 0.015 -> 0.02 (an exact half) */
	assert_int_equal(MARK(METHOD_JUDGEMENT, 9, 100, 0), 2);
	/* All 3: M itself; all 0: nothing. */
	assert_int_equal(MARK(METHOD_JUDGEMENT, 1234, 300, 300, 300), 1234);
	assert_int_equal(MARK(METHOD_JUDGEMENT, 1234, 0, 0), 0);
	/* M = 20, values 3, 2, 2, 1, 3: 20 × 11 / 15 = 14.666... -> 14.67 */
	assert_int_equal(MARK(METHOD_JUDGEMENT, 2000, 300, 200, 200, 100, 300), 1467);
}

static void test_trimmed(void **state)
{
	(void)state;
	/* Fewer than 3 values: the mean. */
	assert_int_equal(MARK(METHOD_TRIMMED, 1000, 700), 700);
	assert_int_equal(MARK(METHOD_TRIMMED, 1000, 500, 800), 650);
	assert_int_equal(MARK(METHOD_TRIMMED, 1000, 267, 268), 268);
	/* 3 values: the middle one. */
	assert_int_equal(MARK(METHOD_TRIMMED, 1000, 900, 100, 500), 500);
	/* 4 values: drop 1.00 and 9.00, (2.01 + 2.02) / 2 = 2.015 -> 2.02 */
	assert_int_equal(MARK(METHOD_TRIMMED, 1000, 202, 900, 100, 201), 202);
	/* Ties at the extremes drop only one of each: (1 + 5) / 2 = 3 */
	assert_int_equal(MARK(METHOD_TRIMMED, 1000, 100, 500, 100, 500), 300);
	/* 7 values: drop 1.01 and 9.99; (1.02 + 1.03 + 1.04 + 1.05 + 1.07) / 5
	 * = 5.21 / 5 = 1.042 -> 1.04 */
	assert_int_equal(MARK(METHOD_TRIMMED, 1000, 105, 999, 103, 101, 107, 102, 104), 104);
	/* 7 values: drop 0 and 10; (6 + 6 + 7 + 7 + 8) / 5 = 6.8 */
	assert_int_equal(MARK(METHOD_TRIMMED, 1000, 600, 1000, 700, 0, 600, 800, 700), 680);
}

static void test_median(void **state)
{
	(void)state;
	assert_int_equal(MARK(METHOD_MEDIAN, 1000, 700), 700);
	/* Odd: the middle value, whatever the input order. */
	assert_int_equal(MARK(METHOD_MEDIAN, 1000, 300, 100, 200), 200);
	assert_int_equal(MARK(METHOD_MEDIAN, 1000, 900, 100, 500, 400, 200), 400);
	/* Even: the mean of the middle two, half up: (2.01 + 2.02) / 2 = 2.015 -> 2.02 */
	assert_int_equal(MARK(METHOD_MEDIAN, 1000, 900, 201, 100, 202), 202);
	assert_int_equal(MARK(METHOD_MEDIAN, 1000, 268, 267), 268);
	/* (4 + 5) / 2 = 4.5 */
	assert_int_equal(MARK(METHOD_MEDIAN, 1000, 1000, 400, 0, 500, 900, 100), 450);
}

static void test_measurement(void **state)
{
	(void)state;
	/* Agreeing values: the value. */
	assert_int_equal(MARK(METHOD_MEASUREMENT, 1000, 725, 725, 725), 725);
	assert_int_equal(MARK(METHOD_MEASUREMENT, 1000, 333), 333);
}

static void test_measurement_disagreeing(void **state)
{
	(void)state;
	/* Until resolved, disagreeing values give their mean, half up:
	 * (7.00 + 7.01) / 2 = 7.005 -> 7.01. */
	assert_int_equal(MARK(METHOD_MEASUREMENT, 1000, 700, 701), 701);
	/* (1 + 1 + 2) / 3 = 1.333 -> 1.33 */
	assert_int_equal(MARK(METHOD_MEASUREMENT, 1000, 100, 100, 200), 133);
}

/* ---- modules and totals --------------------------------------------------- */

static void test_deductions_floor_module(void **state)
{
	(void)state;
	struct fx *f = fx_new();
	add_module(f, "A", -1);
	add_module(f, "B", -1);
	add_criterion(f, "A1", 0, METHOD_MEAN, 1000);
	add_criterion(f, "A2", 0, METHOD_DEDUCTION, 500);
	add_criterion(f, "B1", 1, METHOD_MEAN, 1000);
	add_judge(f, 0);
	uint32_t x = add_competed(f, "x"), y = add_competed(f, "y"), z = add_competed(f, "z");
	/* x: A = max(0, 3.00 - 5.00) = 0, B = 7.00; the deduction does not
	 * reach module B. */
	VALUES(f, x, 0, 300);
	VALUES(f, x, 1, 500);
	VALUES(f, x, 2, 700);
	/* y: A = 8.00 - 2.00 = 6.00, B = 1.00 */
	VALUES(f, y, 0, 800);
	VALUES(f, y, 1, 200);
	VALUES(f, y, 2, 100);
	/* z: a deduction exactly equal to the marks: A = 0 */
	VALUES(f, z, 0, 500);
	VALUES(f, z, 1, 500);
	VALUES(f, z, 2, 0);
	score(f);
	assert_int_equal(mark(f, x, 1), 500); /* the published deduction mark */
	assert_int_equal(module_score(f, x, 0), 0);
	assert_int_equal(module_score(f, x, 1), 700);
	assert_int_equal(entry(f, x)->total_c, 700);
	assert_int_equal(module_score(f, y, 0), 600);
	assert_int_equal(module_score(f, y, 1), 100);
	assert_int_equal(entry(f, y)->total_c, 700);
	assert_int_equal(module_score(f, z, 0), 0);
	assert_int_equal(entry(f, z)->total_c, 0);
	fx_free(f);
}

static void test_unweighted_total(void **state)
{
	(void)state;
	struct fx *f = fx_new();
	add_module(f, "A", -1);
	add_module(f, "B", -1);
	add_criterion(f, "A1", 0, METHOD_MEAN, 2000);
	add_criterion(f, "B1", 1, METHOD_MEAN, 1000);
	add_criterion(f, "A2", 0, METHOD_JUDGEMENT, 1000);
	add_judge(f, 0);
	add_judge(f, 0);
	add_judge(f, 0);
	uint32_t x = add_competed(f, "x");
	VALUES(f, x, 0, 1234, 1234, 1235); /* 37.03 / 3 = 12.3433 -> 12.34 */
	VALUES(f, x, 1, 567, 567, 567);    /* 5.67 */
	VALUES(f, x, 2, 200, 200, 300);    /* 7.78 */
	score(f);
	/* A = 12.34 + 7.78 = 20.12, B = 5.67, total = 25.79 exactly */
	assert_int_equal(module_score(f, x, 0), 2012);
	assert_int_equal(module_score(f, x, 1), 567);
	assert_int_equal(entry(f, x)->total_c, 2579);
	fx_free(f);
}

static void test_weighted_total_30_70(void **state)
{
	(void)state;
	struct fx *f = fx_new();
	add_module(f, "A", 30);  /* max 20 */
	add_module(f, "B", 70);  /* max 30 + 20 = 50 */
	add_criterion(f, "A1", 0, METHOD_MEAN, 2000);
	add_criterion(f, "B1", 1, METHOD_MEAN, 3000);
	add_criterion(f, "B2", 1, METHOD_MEAN, 2000);
	add_judge(f, 0);
	uint32_t x = add_competed(f, "x"), y = add_competed(f, "y"), z = add_competed(f, "z");
	uint32_t full = add_competed(f, "full"), none = add_competed(f, "none");
	/* x: A = 10.01, B = 20.04. 10.01 / 20 × 30 = 15.015 and
	 * 20.04 / 50 × 70 = 28.056, total 43.071 -> 43.07. Rounding each
	 * module's share first would give 15.02 + 28.06 = 43.08. */
	VALUES(f, x, 0, 1001);
	VALUES(f, x, 1, 1004);
	VALUES(f, x, 2, 1000);
	/* y: A = 15.50, B = 33.33: 23.25 + 46.662 = 69.912 -> 69.91 */
	VALUES(f, y, 0, 1550);
	VALUES(f, y, 1, 2333);
	VALUES(f, y, 2, 1000);
	/* z: A = 0.01: 0.01 / 20 × 30 = 0.015 -> 0.02 (an exact half) */
	VALUES(f, z, 0, 1);
	VALUES(f, z, 1, 0);
	VALUES(f, z, 2, 0);
	VALUES(f, full, 0, 2000);
	VALUES(f, full, 1, 3000);
	VALUES(f, full, 2, 2000);
	VALUES(f, none, 0, 0);
	VALUES(f, none, 1, 0);
	VALUES(f, none, 2, 0);
	score(f);
	assert_int_equal(module_score(f, x, 0), 1001);
	assert_int_equal(module_score(f, x, 1), 2004);
	assert_int_equal(entry(f, x)->total_c, 4307);
	assert_int_equal(entry(f, y)->total_c, 6991);
	assert_int_equal(entry(f, z)->total_c, 2);
	assert_int_equal(entry(f, full)->total_c, 10000);
	assert_int_equal(entry(f, none)->total_c, 0);
	fx_free(f);
}

static void test_weighted_zero_weight_and_deduction(void **state)
{
	(void)state;
	struct fx *f = fx_new();
	add_module(f, "A", 100);
	add_module(f, "B", 0);
	add_criterion(f, "A1", 0, METHOD_MEAN, 1000);
	add_criterion(f, "A2", 0, METHOD_DEDUCTION, 300);
	add_criterion(f, "B1", 1, METHOD_MEAN, 1000);
	add_judge(f, 0);
	uint32_t x = add_competed(f, "x");
	VALUES(f, x, 0, 800);
	VALUES(f, x, 1, 300);
	VALUES(f, x, 2, 1000);
	score(f);
	/* A = 8.00 - 3.00 = 5.00 of max 10 (the deduction's max does not
	 * count): 5 / 10 × 100 = 50.00. B is scored but weighs nothing. */
	assert_int_equal(module_score(f, x, 0), 500);
	assert_int_equal(module_score(f, x, 1), 1000);
	assert_int_equal(entry(f, x)->total_c, 5000);
	/* The result carries each module's max, deductions not counted. */
	assert_int_equal(f->r->module_max_c[0], 1000);
	assert_int_equal(f->r->module_max_c[1], 1000);
	fx_free(f);
}

static void test_large_marks(void **state)
{
	(void)state;
	/* M = 1,000,000.00, values 3, 3, 2: 10^6 × 8 / 9 = 888888.888... */
	assert_int_equal(MARK(METHOD_JUDGEMENT, 100000000, 300, 300, 200), 88888889);
	assert_int_equal(MARK(METHOD_MEAN, 100000000, 100000000, 99999999), 100000000);
	assert_int_equal(MARK(METHOD_MEDIAN, 100000000, 100000000, 99999999), 100000000);

	/* Weighted modules whose maxima are large and pairwise coprime: the
	 * exact common denominator is their product. Each contestant scores
	 * the full max of one module of weight 20: exactly 20.00. */
	static const int32_t maxima[4] = { 99999989, 99999971, 99999959, 99999941 };
	struct fx *f = fx_new();
	for (int m = 0; m < 4; m++) {
		char code[8];
		snprintf(code, sizeof code, "M%d", m);
		add_module(f, code, m == 0 ? 40 : 20);
		add_criterion(f, code, (uint32_t)m, METHOD_MEAN, maxima[m]);
	}
	add_judge(f, 0);
	uint32_t x = add_competed(f, "x");
	for (uint32_t k = 0; k < 4; k++)
		VALUES(f, x, k, k == 1 ? maxima[1] : k == 2 ? 1 : 0);
	score(f);
	/* 20 + 1 / 99999959 × 20 = 20.0000002 -> 20.00 */
	assert_int_equal(entry(f, x)->total_c, 2000);
	fx_free(f);
}

/* ---- recusal and completeness --------------------------------------------- */

static void test_recused_judges(void **state)
{
	(void)state;
	struct fx *f = fx_new();
	add_module(f, "A", -1);
	add_criterion(f, "A1", 0, METHOD_MEAN, 1000);
	add_criterion(f, "A2", 0, METHOD_MEASUREMENT, 1000);
	add_judge(f, 5);  /* J0 */
	add_judge(f, 0);  /* J1 */
	add_judge(f, 9);  /* J2 */
	uint32_t x = add_contestant(f, "x", ENTRY_COMPETED, -1, 5);
	uint32_t y = add_contestant(f, "y", ENTRY_COMPETED, -1, 0);
	uint32_t z = add_contestant(f, "z", ENTRY_COMPETED, -1, 9);
	/* x is from J0's organization: J0's values are ignored entirely, so
	 * the mark is (4 + 5) / 2, there is no discrepancy (with J0's 10 the
	 * spread would be 6 > 2) and J0 is not missing. */
	VALUES(f, x, 0, 1000, 400, 500);
	VALUES(f, x, 1, 800, 700);
	/* y (no organization) still needs J0 on A1. */
	add_value(f, y, 0, 1, 400);
	add_value(f, y, 0, 2, 500);
	add_value(f, y, 1, 0, 700);
	/* z: J2 recused. */
	add_value(f, z, 0, 0, 300);
	add_value(f, z, 0, 1, 300);
	add_value(f, z, 0, 2, 1000);
	add_value(f, z, 1, 1, 250);
	score(f);
	assert_int_equal(mark(f, x, 0), 450);
	assert_int_equal(mark(f, x, 1), 700);
	assert_true(entry(f, x)->complete);
	assert_int_equal(mark(f, z, 0), 300);
	assert_int_equal(mark(f, z, 1), 250);
	assert_true(entry(f, z)->complete);
	assert_int_equal(f->r->n_discrepancies, 0);
	assert_false(entry(f, y)->complete);
	assert_int_equal(f->r->n_incomplete, 1);
	assert_int_equal(f->r->n_missing, 1);
	assert_int_equal(f->r->missing[0].contestant, y);
	assert_int_equal(f->r->missing[0].criterion, 0);
	assert_int_equal(f->r->missing[0].judge, 0);
	fx_free(f);
}

static void test_all_judges_recused(void **state)
{
	(void)state;
	struct fx *f = fx_new();
	add_module(f, "A", -1);
	add_criterion(f, "A1", 0, METHOD_MEAN, 1000);
	add_criterion(f, "A2", 0, METHOD_MEASUREMENT, 1000);
	add_judge(f, 3);
	add_judge(f, 3);
	uint32_t x = add_contestant(f, "x", ENTRY_COMPETED, -1, 3);
	VALUES(f, x, 0, 500, 600);  /* ignored */
	VALUES(f, x, 1, 500);       /* ignored */
	score(f);
	/* Nobody may score x: the marks are 0 and both criteria are missing
	 * with no particular judge owing them. */
	assert_int_equal(mark(f, x, 0), 0);
	assert_int_equal(mark(f, x, 1), 0);
	assert_false(entry(f, x)->complete);
	assert_int_equal(f->r->n_missing, 2);
	assert_int_equal(f->r->missing[0].criterion, 0);
	assert_int_equal(f->r->missing[0].judge, UINT32_MAX);
	assert_int_equal(f->r->missing[1].criterion, 1);
	assert_int_equal(f->r->missing[1].judge, UINT32_MAX);
	fx_free(f);

	/* An event without judges: the same. */
	f = fx_new();
	add_module(f, "A", -1);
	add_criterion(f, "A1", 0, METHOD_JUDGEMENT, 1000);
	add_competed(f, "x");
	score(f);
	assert_int_equal(f->r->n_missing, 1);
	assert_int_equal(f->r->missing[0].judge, UINT32_MAX);
	assert_int_equal(f->r->n_incomplete, 1);
	assert_int_equal(f->r->n_ranked, 1);
	assert_int_equal(f->r->entries[0].rank, 1);
	fx_free(f);
}

static void test_completeness(void **state)
{
	(void)state;
	struct fx *f = fx_new();
	add_module(f, "A", -1);
	add_criterion(f, "A1", 0, METHOD_MEAN, 1000);
	add_criterion(f, "A2", 0, METHOD_MEASUREMENT, 1000);
	add_criterion(f, "A3", 0, METHOD_DEDUCTION, 500);
	add_criterion(f, "A4", 0, METHOD_JUDGEMENT, 1000);
	add_judge(f, 0);
	add_judge(f, 0);
	add_judge(f, 0);
	uint32_t b = add_competed(f, "b");   /* index 0, but after "a" by key */
	uint32_t a = add_competed(f, "a");
	uint32_t c = add_contestant(f, "c", ENTRY_ABSENT, -1, 0);
	/* a: everything; one measurement and one deduction value are enough. */
	VALUES(f, a, 0, 500, 500, 500);
	add_value(f, a, 1, 2, 640);
	add_value(f, a, 2, 1, 0);
	VALUES(f, a, 3, 100, 200, 300);
	/* b: A1 lacks J1, A2 has J1's value, A3 (a deduction) none at all,
	 * which is no deduction and nothing missing, A4 nothing. */
	add_value(f, b, 0, 0, 500);
	add_value(f, b, 0, 2, 500);
	add_value(f, b, 1, 1, 700);
	(void)c; /* absent: nothing, and nothing is missing */
	score(f);
	assert_true(entry(f, a)->complete);
	assert_false(entry(f, b)->complete);
	assert_false(entry(f, c)->complete);
	assert_int_equal(f->r->n_incomplete, 1);
	static const struct missing want[] = {
		{ 0, 0, 1 }, { 0, 3, 0 }, { 0, 3, 1 }, { 0, 3, 2 },
	};
	assert_int_equal(f->r->n_missing, 4);
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(f->r->missing[i].contestant, b);
		assert_int_equal(f->r->missing[i].criterion, want[i].criterion);
		assert_int_equal(f->r->missing[i].judge, want[i].judge);
	}
	/* Incomplete contestants are still ranked, on the values present. */
	assert_int_equal(f->r->n_ranked, 2);
	assert_int_equal(mark(f, b, 0), 500);
	assert_int_equal(mark(f, b, 3), 0);
	fx_free(f);
}

/* Missing values come sorted by contestant key, criterion, judge. */
static void test_missing_order(void **state)
{
	(void)state;
	struct fx *f = fx_new();
	add_module(f, "A", -1);
	add_criterion(f, "A1", 0, METHOD_MEAN, 1000);
	add_criterion(f, "A2", 0, METHOD_MEAN, 1000);
	add_judge(f, 0);
	add_judge(f, 0);
	uint32_t z = add_competed(f, "z"), m = add_competed(f, "m"), a = add_competed(f, "a");
	add_value(f, m, 1, 1, 100);
	add_value(f, a, 0, 0, 100);
	add_value(f, a, 0, 1, 100);
	add_value(f, a, 1, 1, 100);
	add_value(f, z, 0, 0, 100);
	score(f);
	static const struct missing want[] = {
		{ 2, 1, 0 },                                     /* a */
		{ 1, 0, 0 }, { 1, 0, 1 }, { 1, 1, 0 },           /* m */
		{ 0, 0, 1 }, { 0, 1, 0 }, { 0, 1, 1 },           /* z */
	};
	(void)z;
	(void)m;
	(void)a;
	assert_int_equal(f->r->n_missing, 7);
	for (size_t i = 0; i < 7; i++) {
		assert_int_equal(f->r->missing[i].contestant, want[i].contestant);
		assert_int_equal(f->r->missing[i].criterion, want[i].criterion);
		assert_int_equal(f->r->missing[i].judge, want[i].judge);
	}
	assert_int_equal(f->r->n_incomplete, 3);
	fx_free(f);
}

/* ---- discrepancies -------------------------------------------------------- */

static void assert_discrepancy(const struct discrepancy *d, uint32_t contestant, uint32_t criterion,
			       int32_t low_c, int32_t high_c, bool accepted)
{
	assert_int_equal(d->contestant, contestant);
	assert_int_equal(d->criterion, criterion);
	assert_int_equal(d->low_c, low_c);
	assert_int_equal(d->high_c, high_c);
	assert_int_equal(d->accepted, accepted);
}

static void test_discrepancy_thresholds(void **state)
{
	(void)state;
	struct fx *f = fx_new();
	add_module(f, "A", -1);
	add_criterion(f, "K0", 0, METHOD_MEAN, 1000);        /* limit 20% of 10 = 2.00 */
	add_criterion(f, "K1", 0, METHOD_TRIMMED, 1000);
	add_criterion(f, "K2", 0, METHOD_MEDIAN, 1000);
	add_criterion(f, "K3", 0, METHOD_JUDGEMENT, 1000);   /* spread over 1 */
	add_criterion(f, "K4", 0, METHOD_MEASUREMENT, 1000); /* any difference */
	add_criterion(f, "K5", 0, METHOD_DEDUCTION, 500);
	add_judge(f, 0);
	add_judge(f, 0);
	add_judge(f, 0);
	uint32_t at = add_competed(f, "at"), over = add_competed(f, "over");
	uint32_t one = add_competed(f, "one");
	/* Exactly at each limit: no discrepancy. */
	VALUES(f, at, 0, 300, 500);
	VALUES(f, at, 1, 300, 500, 400);
	VALUES(f, at, 2, 500, 300);
	VALUES(f, at, 3, 100, 200, 200);
	VALUES(f, at, 4, 500, 500);
	VALUES(f, at, 5, 200, 200, 200);
	/* Just above: a discrepancy on every criterion. */
	VALUES(f, over, 0, 300, 501);
	VALUES(f, over, 1, 400, 501, 300);
	VALUES(f, over, 2, 501, 300);
	VALUES(f, over, 3, 100, 300);
	VALUES(f, over, 4, 500, 501);
	VALUES(f, over, 5, 200, 200, 201);
	/* One value never disagrees with itself. */
	for (uint32_t k = 0; k < 6; k++)
		VALUES(f, one, k, 0);
	score(f);
	assert_int_equal(f->r->n_discrepancies, 6);
	assert_int_equal(f->r->n_open, 6);
	assert_discrepancy(&f->r->discrepancies[0], over, 0, 300, 501, false);
	assert_discrepancy(&f->r->discrepancies[1], over, 1, 300, 501, false);
	assert_discrepancy(&f->r->discrepancies[2], over, 2, 300, 501, false);
	assert_discrepancy(&f->r->discrepancies[3], over, 3, 100, 300, false);
	assert_discrepancy(&f->r->discrepancies[4], over, 4, 500, 501, false);
	assert_discrepancy(&f->r->discrepancies[5], over, 5, 200, 201, false);
	fx_free(f);
}

static void test_discrepancy_other_limits(void **state)
{
	(void)state;
	/* 15% of M = 7.50 is 1.125: 1.12 is within, 1.13 over. */
	struct fx *f = fx_new();
	f->sheet.discrepancy_pct = 15;
	add_module(f, "A", -1);
	add_criterion(f, "A1", 0, METHOD_MEAN, 750);
	add_judge(f, 0);
	add_judge(f, 0);
	uint32_t in = add_competed(f, "in"), out = add_competed(f, "out");
	VALUES(f, in, 0, 100, 212);
	VALUES(f, out, 0, 100, 213);
	score(f);
	assert_int_equal(f->r->n_discrepancies, 1);
	assert_discrepancy(&f->r->discrepancies[0], out, 0, 100, 213, false);

	/* A limit of 0%: any difference. */
	f->sheet.discrepancy_pct = 0;
	score(f);
	assert_int_equal(f->r->n_discrepancies, 2);
	/* 100%: a spread can never exceed M. */
	f->sheet.discrepancy_pct = 100;
	f->values[1].value_c = 750;
	f->values[0].value_c = 0;
	score(f);
	assert_int_equal(f->r->n_discrepancies, 0);
	fx_free(f);
}

static void test_discrepancy_accepts(void **state)
{
	(void)state;
	struct fx *f = fx_new();
	add_module(f, "A", -1);
	add_criterion(f, "A1", 0, METHOD_MEAN, 1000);
	add_criterion(f, "A2", 0, METHOD_MEAN, 1000);
	add_judge(f, 0);
	add_judge(f, 0);
	uint32_t b = add_competed(f, "b"), a = add_competed(f, "a");
	uint32_t w = add_contestant(f, "w", ENTRY_WITHDRAWN, -1, 0);
	VALUES(f, a, 0, 100, 900);
	VALUES(f, a, 1, 900, 100);
	VALUES(f, b, 0, 100, 900);
	VALUES(f, b, 1, 500, 500);
	VALUES(f, w, 0, 0, 1000);  /* not competed: never listed */
	add_accept(f, a, 0);
	add_accept(f, b, 1);       /* nothing to accept there */
	add_accept(f, a, 0);       /* accepted twice is accepted */
	add_accept(f, w, 0);
	score(f);
	assert_int_equal(f->r->n_discrepancies, 3);
	assert_int_equal(f->r->n_open, 2);
	assert_discrepancy(&f->r->discrepancies[0], a, 0, 100, 900, true);
	assert_discrepancy(&f->r->discrepancies[1], a, 1, 100, 900, false);
	assert_discrepancy(&f->r->discrepancies[2], b, 0, 100, 900, false);
	fx_free(f);
}

/* For a measurement or deduction criterion the chief judge names the value
 * that stands: while the values disagree it is the mark. */
static void test_accepted_value_stands(void **state)
{
	(void)state;
	struct fx *f = fx_new();
	add_module(f, "A", -1);
	add_criterion(f, "A1", 0, METHOD_MEAN, 1000);
	add_criterion(f, "A2", 0, METHOD_MEASUREMENT, 500);
	add_criterion(f, "A3", 0, METHOD_DEDUCTION, 300);
	add_judge(f, 0);
	add_judge(f, 0);
	uint32_t a = add_competed(f, "a"), b = add_competed(f, "b");
	VALUES(f, a, 0, 800, 800);
	VALUES(f, a, 1, 450, 400);   /* disagree: mean 4.25 until accepted */
	VALUES(f, a, 2, 100, 200);   /* disagree: mean 1.50 */
	VALUES(f, b, 0, 600, 600);
	VALUES(f, b, 1, 300, 300);   /* agree: an acceptance changes nothing */
	score(f);
	assert_int_equal(mark(f, a, 1), 425);
	assert_int_equal(mark(f, a, 2), 150);
	assert_int_equal(f->r->n_open, 2);
	fx_free(f);

	f = fx_new();
	add_module(f, "A", -1);
	add_criterion(f, "A1", 0, METHOD_MEAN, 1000);
	add_criterion(f, "A2", 0, METHOD_MEASUREMENT, 500);
	add_criterion(f, "A3", 0, METHOD_DEDUCTION, 300);
	add_judge(f, 0);
	add_judge(f, 0);
	a = add_competed(f, "a");
	b = add_competed(f, "b");
	VALUES(f, a, 0, 800, 800);
	VALUES(f, a, 1, 450, 400);
	VALUES(f, a, 2, 100, 200);
	VALUES(f, b, 0, 600, 600);
	VALUES(f, b, 1, 300, 300);
	add_accept(f, a, 1);
	f->accepts[0].has_value = true;
	f->accepts[0].value_c = 420; /* a re-measurement: neither judge's value */
	add_accept(f, a, 2);
	f->accepts[1].has_value = true;
	f->accepts[1].value_c = 200;
	add_accept(f, b, 1);
	f->accepts[2].has_value = true;
	f->accepts[2].value_c = 100; /* no discrepancy there: the agreed 3.00 stands */
	score(f);
	assert_int_equal(f->r->n_open, 0);
	assert_int_equal(mark(f, a, 1), 420);
	assert_int_equal(mark(f, a, 2), 200);
	assert_int_equal(mark(f, b, 1), 300);
	/* a: 8.00 + 4.20 - 2.00 = 10.20; b: 6.00 + 3.00 = 9.00 */
	assert_int_equal(module_score(f, a, 0), 1020);
	assert_int_equal(module_score(f, b, 0), 900);
	assert_int_equal(entry(f, a)->total_c, 1020);

	/* A value that stands must be a value the criterion allows. */
	f->accepts[0].value_c = 501;
	score_invalid(f, "outside 0..max");
	fx_free(f);
}

/* ---- ranking -------------------------------------------------------------- */

struct want_row {
	const char *key;
	uint32_t rank;
	uint8_t award;
};

/* The result rows must be exactly these, in this order. */
static void assert_rows(const struct fx *f, size_t n, const struct want_row *want)
{
	assert_int_equal(f->sheet.n_contestants, n);
	for (size_t p = 0; p < n; p++) {
		const struct result_entry *e = &f->r->entries[p];
		const char *key = f->contestants[e->contestant].key;
		if (strcmp(key, want[p].key) != 0 || e->rank != want[p].rank ||
		    e->award != want[p].award)
			fail_msg("row %zu: %s rank %u award %u, want %s rank %u award %u", p, key,
				 e->rank, e->award, want[p].key, want[p].rank, want[p].award);
	}
}

/* An event of one module, one mean criterion (max 100) and one judge, with
 * the given contestants' totals in hundredths. */
static struct fx *fx_totals(size_t n, const char *const *keys, const int32_t *totals_c)
{
	struct fx *f = fx_new();
	add_module(f, "A", -1);
	add_criterion(f, "A1", 0, METHOD_MEAN, 10000);
	add_judge(f, 0);
	for (size_t i = 0; i < n; i++) {
		uint32_t c = add_competed(f, keys[i]);
		add_value(f, c, 0, 0, totals_c[i]);
	}
	return f;
}

static void test_shared_ranks(void **state)
{
	(void)state;
	static const char *const keys[] = { "g", "f", "e", "d", "c", "b", "a" };
	static const int32_t totals[] = { 9000, 8000, 8000, 7000, 7000, 7000, 1000 };
	struct fx *f = fx_totals(7, keys, totals);
	f->sheet.ratio_c[0] = f->sheet.ratio_c[1] = f->sheet.ratio_c[2] = 0;
	score(f);
	/* Standard competition ranking; equal ranks listed by key. */
	static const struct want_row want[] = {
		{ "g", 1, 0 }, { "e", 2, 0 }, { "f", 2, 0 }, { "b", 4, 0 }, { "c", 4, 0 },
		{ "d", 4, 0 }, { "a", 7, 0 },
	};
	assert_rows(f, 7, want);
	assert_int_equal(f->r->n_ranked, 7);
	fx_free(f);
}

static void test_tiebreak_module(void **state)
{
	(void)state;
	struct fx *f = fx_new();
	add_module(f, "A", -1);
	add_module(f, "B", -1);
	add_criterion(f, "A1", 0, METHOD_MEAN, 1000);
	add_criterion(f, "B1", 1, METHOD_MEAN, 1000);
	add_judge(f, 0);
	f->sheet.ratio_c[0] = f->sheet.ratio_c[1] = f->sheet.ratio_c[2] = 0;
	uint32_t x = add_competed(f, "x"), y = add_competed(f, "y"), z = add_competed(f, "z");
	uint32_t w = add_competed(f, "w");
	VALUES(f, x, 0, 600);
	VALUES(f, x, 1, 400);
	VALUES(f, y, 0, 400);
	VALUES(f, y, 1, 600);
	VALUES(f, z, 0, 500);
	VALUES(f, z, 1, 500);
	VALUES(f, w, 0, 1000);
	VALUES(f, w, 1, 100);
	score(f);
	static const struct want_row plain[] = {
		{ "w", 1, 0 }, { "x", 2, 0 }, { "y", 2, 0 }, { "z", 2, 0 },
	};
	assert_rows(f, 4, plain);
	/* Higher module B first; the total still comes before it. */
	f->sheet.tiebreak = "module:B";
	score(f);
	static const struct want_row by_b[] = {
		{ "w", 1, 0 }, { "y", 2, 0 }, { "z", 3, 0 }, { "x", 4, 0 },
	};
	assert_rows(f, 4, by_b);
	f->sheet.tiebreak = "module:A";
	score(f);
	static const struct want_row by_a[] = {
		{ "w", 1, 0 }, { "x", 2, 0 }, { "z", 3, 0 }, { "y", 4, 0 },
	};
	assert_rows(f, 4, by_a);
	fx_free(f);
}

static void test_tiebreak_criterion(void **state)
{
	(void)state;
	struct fx *f = fx_new();
	add_module(f, "A", -1);
	add_module(f, "B", -1);
	add_criterion(f, "A1", 0, METHOD_MEAN, 1000);
	add_criterion(f, "A2", 0, METHOD_MEAN, 1000);
	add_criterion(f, "B1", 1, METHOD_MEAN, 1000);
	add_judge(f, 0);
	f->sheet.ratio_c[0] = f->sheet.ratio_c[1] = f->sheet.ratio_c[2] = 0;
	uint32_t p = add_competed(f, "p"), q = add_competed(f, "q"), r = add_competed(f, "r");
	/* All total 12.00. A2: p 3, q 7, r 7; B1: p 2, q 1, r 3. */
	VALUES(f, p, 0, 700);
	VALUES(f, p, 1, 300);
	VALUES(f, p, 2, 200);
	VALUES(f, q, 0, 400);
	VALUES(f, q, 1, 700);
	VALUES(f, q, 2, 100);
	VALUES(f, r, 0, 200);
	VALUES(f, r, 1, 700);
	VALUES(f, r, 2, 300);
	f->sheet.tiebreak = "criterion:A2";
	score(f);
	static const struct want_row by_a2[] = { { "q", 1, 0 }, { "r", 1, 0 }, { "p", 3, 0 } };
	assert_rows(f, 3, by_a2);
	/* The next key separates what the first leaves tied. */
	f->sheet.tiebreak = "criterion:A2;module:B";
	score(f);
	static const struct want_row then_b[] = { { "r", 1, 0 }, { "q", 2, 0 }, { "p", 3, 0 } };
	assert_rows(f, 3, then_b);
	fx_free(f);
}

static void test_tiebreak_time(void **state)
{
	(void)state;
	struct fx *f = fx_new();
	add_module(f, "A", -1);
	add_module(f, "B", -1);
	add_criterion(f, "A1", 0, METHOD_MEAN, 1000);
	add_criterion(f, "B1", 1, METHOD_MEAN, 1000);
	add_judge(f, 0);
	f->sheet.ratio_c[0] = f->sheet.ratio_c[1] = f->sheet.ratio_c[2] = 0;
	static const struct {
		const char *key;
		int64_t elapsed_s;
		int32_t a, b;
	} rows[] = {
		{ "t3600", 3600, 500, 500 }, { "t3000", 3000, 500, 500 }, { "u2", -1, 500, 500 },
		{ "u1", -1, 500, 500 }, { "t0", 0, 500, 500 }, { "t3000b", 3000, 500, 500 },
		{ "fast-but-low-b", 10, 600, 400 },
	};
	for (uint32_t i = 0; i < 7; i++) {
		add_contestant(f, rows[i].key, ENTRY_COMPETED, rows[i].elapsed_s, 0);
		VALUES(f, i, 0, rows[i].a);
		VALUES(f, i, 1, rows[i].b);
	}
	f->sheet.tiebreak = "time";
	score(f);
	/* Lower time first; unknown times last and equal to each other. */
	static const struct want_row by_time[] = {
		{ "t0", 1, 0 }, { "fast-but-low-b", 2, 0 }, { "t3000", 3, 0 }, { "t3000b", 3, 0 },
		{ "t3600", 5, 0 }, { "u1", 6, 0 }, { "u2", 6, 0 },
	};
	assert_rows(f, 7, by_time);
	f->sheet.tiebreak = "module:B;time";
	score(f);
	static const struct want_row b_then_time[] = {
		{ "t0", 1, 0 }, { "t3000", 2, 0 }, { "t3000b", 2, 0 }, { "t3600", 4, 0 },
		{ "u1", 5, 0 }, { "u2", 5, 0 }, { "fast-but-low-b", 7, 0 },
	};
	assert_rows(f, 7, b_then_time);
	fx_free(f);
}

/* ---- awards --------------------------------------------------------------- */

static void test_awards_spec_example(void **state)
{
	(void)state;
	/* SPEC section 4: N = 25, 10/20/30 -> C1 = round(2.5) = 3,
	 * C2 = round(7.5) = 8, C3 = 15. Ties on each boundary: ranks 3,3
	 * (first), 8,8 (second), 15,15 (third). */
	static const char *const keys[25] = {
		"c01", "c02", "c04", "c03", "c05", "c06", "c07", "c09", "c08", "c10", "c11", "c12",
		"c13", "c14", "c16", "c15", "c17", "c18", "c19", "c20", "c21", "c22", "c23", "c24",
		"c25",
	};
	static const int32_t totals[25] = {
		9500, 9400, 9300, 9300, 9100, 9000, 8900, 8800, 8800, 8600, 8500, 8400, 8300,
		8200, 8100, 8100, 7900, 7800, 7700, 7600, 7500, 7400, 7300, 7200, 7100,
	};
	struct fx *f = fx_totals(25, keys, totals);
	score(f);
	assert_int_equal(f->r->n_ranked, 25);
	assert_int_equal(f->r->cutoff[0], 3);
	assert_int_equal(f->r->cutoff[1], 8);
	assert_int_equal(f->r->cutoff[2], 15);
	static const struct want_row want[25] = {
		{ "c01", 1, 1 }, { "c02", 2, 1 }, { "c03", 3, 1 }, { "c04", 3, 1 },
		{ "c05", 5, 2 }, { "c06", 6, 2 }, { "c07", 7, 2 }, { "c08", 8, 2 }, { "c09", 8, 2 },
		{ "c10", 10, 3 }, { "c11", 11, 3 }, { "c12", 12, 3 }, { "c13", 13, 3 },
		{ "c14", 14, 3 }, { "c15", 15, 3 }, { "c16", 15, 3 },
		{ "c17", 17, 0 }, { "c18", 18, 0 }, { "c19", 19, 0 }, { "c20", 20, 0 },
		{ "c21", 21, 0 }, { "c22", 22, 0 }, { "c23", 23, 0 }, { "c24", 24, 0 },
		{ "c25", 25, 0 },
	};
	assert_rows(f, 25, want);
	fx_free(f);
}

static void test_awards_tie_spans_tiers(void **state)
{
	(void)state;
	/* N = 5: C1 = round(0.5) = 1, C2 = round(1.5) = 2, C3 = 3. Three
	 * tied at rank 2 all get second prize; rank 5 gets none. */
	static const char *const keys[] = { "a", "b", "c", "d", "e" };
	static const int32_t totals[] = { 9000, 8000, 8000, 8000, 5000 };
	struct fx *f = fx_totals(5, keys, totals);
	score(f);
	assert_int_equal(f->r->cutoff[0], 1);
	assert_int_equal(f->r->cutoff[1], 2);
	assert_int_equal(f->r->cutoff[2], 3);
	static const struct want_row want[] = {
		{ "a", 1, 1 }, { "b", 2, 2 }, { "c", 2, 2 }, { "d", 2, 2 }, { "e", 5, 0 },
	};
	assert_rows(f, 5, want);
	fx_free(f);
}

static void test_awards_cutoff_rounding(void **state)
{
	(void)state;
	static const char *const keys[] = { "a", "b", "c", "d", "e", "f", "g" };
	static const int32_t totals[] = { 700, 600, 500, 400, 300, 200, 100 };
	/* N = 7, 10/20/30: 0.7 -> 1, 2.1 -> 2, 4.2 -> 4 */
	struct fx *f = fx_totals(7, keys, totals);
	score(f);
	assert_int_equal(f->r->cutoff[0], 1);
	assert_int_equal(f->r->cutoff[1], 2);
	assert_int_equal(f->r->cutoff[2], 4);
	static const struct want_row want[] = {
		{ "a", 1, 1 }, { "b", 2, 2 }, { "c", 3, 3 }, { "d", 4, 3 }, { "e", 5, 0 },
		{ "f", 6, 0 }, { "g", 7, 0 },
	};
	assert_rows(f, 7, want);
	/* 12.5/12.5/25 of 4: 0.5 -> 1, 1.0 -> 1, 2.0 -> 2: no second prize. */
	fx_free(f);
	f = fx_totals(4, keys, totals);
	f->sheet.ratio_c[0] = 1250;
	f->sheet.ratio_c[1] = 1250;
	f->sheet.ratio_c[2] = 2500;
	score(f);
	assert_int_equal(f->r->cutoff[0], 1);
	assert_int_equal(f->r->cutoff[1], 1);
	assert_int_equal(f->r->cutoff[2], 2);
	static const struct want_row want4[] = {
		{ "a", 1, 1 }, { "b", 2, 3 }, { "c", 3, 0 }, { "d", 4, 0 },
	};
	assert_rows(f, 4, want4);
	fx_free(f);
	/* N = 1, 10/20/30: 0.1 -> 0, 0.3 -> 0, 0.6 -> 1: third prize. */
	f = fx_totals(1, keys, totals);
	score(f);
	assert_int_equal(f->r->cutoff[0], 0);
	assert_int_equal(f->r->cutoff[1], 0);
	assert_int_equal(f->r->cutoff[2], 1);
	assert_int_equal(f->r->entries[0].award, 3);
	fx_free(f);
}

static void test_min_award(void **state)
{
	(void)state;
	static const char *const keys[] = { "a", "b", "c" };
	static const int32_t totals[] = { 9000, 6000, 5999 };
	struct fx *f = fx_totals(3, keys, totals);
	/* 30/30/40 of 3: C = round(0.9) = 1, round(1.8) = 2, 3 */
	f->sheet.ratio_c[0] = 3000;
	f->sheet.ratio_c[1] = 3000;
	f->sheet.ratio_c[2] = 4000;
	f->sheet.min_award_c = 6000;
	score(f);
	/* 59.99 < 60.00: no award, but the rank stays. */
	static const struct want_row want[] = { { "a", 1, 1 }, { "b", 2, 2 }, { "c", 3, 0 } };
	assert_rows(f, 3, want);
	f->sheet.min_award_c = 0;
	score(f);
	static const struct want_row all[] = { { "a", 1, 1 }, { "b", 2, 2 }, { "c", 3, 3 } };
	assert_rows(f, 3, all);
	/* A minimum nobody reaches: no awards, ranks and cut-offs unchanged. */
	f->sheet.min_award_c = 9001;
	score(f);
	static const struct want_row none[] = { { "a", 1, 0 }, { "b", 2, 0 }, { "c", 3, 0 } };
	assert_rows(f, 3, none);
	assert_int_equal(f->r->cutoff[0], 1);
	fx_free(f);
}

static void test_unranked_statuses(void **state)
{
	(void)state;
	struct fx *f = fx_new();
	add_module(f, "A", -1);
	add_criterion(f, "A1", 0, METHOD_MEAN, 1000);
	add_judge(f, 0);
	add_judge(f, 0);
	uint32_t e = add_competed(f, "e");
	uint32_t d = add_contestant(f, "d", ENTRY_REGISTERED, -1, 0);
	uint32_t c = add_contestant(f, "c", ENTRY_ABSENT, -1, 0);
	uint32_t b = add_contestant(f, "b", ENTRY_WITHDRAWN, -1, 0);
	uint32_t a = add_contestant(f, "a", ENTRY_DISQUALIFIED, -1, 0);
	uint32_t ff = add_contestant(f, "f", ENTRY_ABSENT, -1, 0);
	uint32_t g = add_competed(f, "g");
	VALUES(f, e, 0, 500, 500);
	VALUES(f, g, 0, 700, 700);
	/* A disqualified contestant scored higher, with a discrepancy and a
	 * missing value: still no rank, no award, no discrepancy, nothing
	 * missing, and not counted in N. */
	add_value(f, a, 0, 0, 1000);
	VALUES(f, b, 0, 0, 1000);
	(void)d;
	(void)c;
	(void)ff;
	score(f);
	assert_int_equal(f->r->n_ranked, 2);
	/* N = 2: C1 = round(0.2) = 0, C2 = round(0.6) = 1, C3 = round(1.2) = 1 */
	assert_int_equal(f->r->cutoff[0], 0);
	assert_int_equal(f->r->cutoff[1], 1);
	assert_int_equal(f->r->cutoff[2], 1);
	static const struct want_row want[] = {
		{ "g", 1, 2 }, { "e", 2, 0 },
		{ "d", 0, 0 },                  /* registered */
		{ "c", 0, 0 }, { "f", 0, 0 },   /* absent */
		{ "b", 0, 0 },                  /* withdrawn */
		{ "a", 0, 0 },                  /* disqualified */
	};
	assert_rows(f, 7, want);
	assert_int_equal(entry(f, a)->total_c, 1000);
	assert_int_equal(entry(f, b)->total_c, 500);
	assert_false(entry(f, a)->complete);
	assert_false(entry(f, d)->complete);
	assert_true(entry(f, g)->complete);
	assert_int_equal(f->r->n_discrepancies, 0);
	assert_int_equal(f->r->n_missing, 0);
	assert_int_equal(f->r->n_incomplete, 0);
	fx_free(f);
}

static void test_empty_events(void **state)
{
	(void)state;
	struct fx *f = fx_new();
	add_module(f, "A", 100);
	add_criterion(f, "A1", 0, METHOD_MEAN, 1000);
	score(f);
	assert_int_equal(f->r->n_ranked, 0);
	assert_int_equal(f->r->cutoff[2], 0);
	assert_int_equal(f->r->n_missing, 0);
	fx_free(f);

	/* No criteria at all: everyone scores 0 and shares rank 1. */
	f = fx_new();
	add_competed(f, "b");
	add_competed(f, "a");
	score(f);
	/* N = 2: C1 = round(0.2) = 0, C2 = round(0.6) = 1: second prize. */
	static const struct want_row want[] = { { "a", 1, 2 }, { "b", 1, 2 } };
	assert_rows(f, 2, want);
	assert_true(f->r->entries[0].complete);
	fx_free(f);
}

/* ---- invalid sheets ------------------------------------------------------- */

/* A small valid weighted event to break in one place at a time. */
static struct fx *fx_valid(void)
{
	struct fx *f = fx_new();
	add_module(f, "A", 30);
	add_module(f, "B", 70);
	add_criterion(f, "A1", 0, METHOD_MEAN, 1000);
	add_criterion(f, "B1", 1, METHOD_JUDGEMENT, 1000);
	add_criterion(f, "B2", 1, METHOD_DEDUCTION, 500);
	add_judge(f, 0);
	add_judge(f, 7);
	uint32_t x = add_competed(f, "x");
	add_contestant(f, "y", ENTRY_COMPETED, 100, 7);
	VALUES(f, x, 0, 500, 600);
	VALUES(f, x, 1, 300, 200);
	VALUES(f, x, 2, 0);
	f->sheet.tiebreak = "module:B;criterion:A1;time";
	score(f); /* valid as built */
	result_free(f->r);
	f->r = NULL;
	return f;
}

static void test_invalid_weights(void **state)
{
	(void)state;
	struct fx *f = fx_valid();
	f->modules[1].weight = 69;
	score_invalid(f, "99");
	f->modules[1].weight = 71;
	score_invalid(f, "101");
	f->modules[0].weight = -1;  /* one module without a weight */
	f->modules[1].weight = 100;
	score_invalid(f, "weight");
	f->modules[0].weight = 50;
	f->modules[1].weight = -1;
	score_invalid(f, "weight");
	f->modules[0].weight = 120;
	f->modules[1].weight = -20;
	score_invalid(f, "weight");
	f->modules[0].weight = -2;
	f->modules[1].weight = -2;
	score_invalid(f, "weight");
	fx_free(f);

	/* A module of deductions only has nothing to score against (SPEC
	 * section 4): refused whatever its weight, and unweighted as well,
	 * where its deductions used to vanish from the total. */
	f = fx_valid();
	f->criteria[1].module = 0;   /* B keeps only the deduction B2 */
	score_invalid(f, "module B has no criterion that gives marks");
	f->modules[0].weight = 100;
	f->modules[1].weight = 0;
	score_invalid(f, "module B has no criterion that gives marks");
	f->modules[0].weight = -1;
	f->modules[1].weight = -1;
	score_invalid(f, "module B has no criterion that gives marks");
	fx_free(f);

	/* So is a module without any criterion. */
	f = fx_valid();
	add_module(f, "C", 0);
	score_invalid(f, "module C");
	fx_free(f);
}

static void test_invalid_tiebreak(void **state)
{
	(void)state;
	struct fx *f = fx_valid();
	f->sheet.tiebreak = "module:Z";
	score_invalid(f, "\"Z\"");
	f->sheet.tiebreak = "criterion:A9;time";
	score_invalid(f, "\"A9\"");
	f->sheet.tiebreak = "module:A1";   /* a criterion code is not a module code */
	score_invalid(f, "A1");
	f->sheet.tiebreak = "time;";
	score_invalid(f, "time");
	f->sheet.tiebreak = "rank";
	score_invalid(f, "rank");
	f->sheet.tiebreak = NULL;          /* none */
	score(f);
	fx_free(f);
}

static void test_invalid_values(void **state)
{
	(void)state;
	struct fx *f = fx_valid();
	f->values[0].value_c = 1001;       /* over max 10.00 */
	score_invalid(f, "10.01");
	f->values[0].value_c = -1;
	score_invalid(f, "-0.01");
	f->values[0].value_c = 1000;       /* exactly max */
	score(f);
	f->values[2].value_c = 150;        /* judgement 1.5 */
	score_invalid(f, "judgement");
	f->values[2].value_c = 400;
	score_invalid(f, "judgement");
	f->values[2].value_c = -100;
	score_invalid(f, "judgement");
	f->values[2].value_c = 300;        /* 3, whatever M is */
	f->values[4].value_c = 501;        /* deduction over its max */
	score_invalid(f, "B2");
	f->values[4].value_c = 500;
	score(f);
	fx_free(f);
}

static void test_invalid_indices(void **state)
{
	(void)state;
	struct fx *f = fx_valid();
	f->values[1].contestant = 2;
	score_invalid(f, "range");
	f->values[1].contestant = 0;
	f->values[1].criterion = 3;
	score_invalid(f, "range");
	f->values[1].criterion = 0;
	f->values[1].judge = 2;
	score_invalid(f, "range");
	f->values[1].judge = 0;            /* now a duplicate of values[0] */
	score_invalid(f, "two values");
	fx_free(f);

	/* A duplicate from a recused judge is still a duplicate. */
	f = fx_valid();
	add_value(f, 1, 0, 1, 100);
	add_value(f, 1, 0, 1, 200);
	score_invalid(f, "two values");
	fx_free(f);

	f = fx_valid();
	add_accept(f, 2, 0);
	score_invalid(f, "range");
	f->accepts[0].contestant = 1;
	f->accepts[0].criterion = 3;
	score_invalid(f, "range");
	fx_free(f);

	f = fx_valid();
	f->criteria[2].module = 2;
	score_invalid(f, "B2");
	fx_free(f);
}

static void test_invalid_sheet_fields(void **state)
{
	(void)state;
	struct fx *f = fx_valid();
	f->criteria[0].max_c = 0;
	score_invalid(f, "A1");
	f->criteria[0].max_c = -100;
	score_invalid(f, "A1");
	f->criteria[0].max_c = 100000001;   /* over 1,000,000.00 */
	score_invalid(f, "A1");
	f->criteria[0].max_c = 1000;
	f->criteria[0].method = (enum method)6;
	score_invalid(f, "method");
	f->criteria[0].method = METHOD_MEAN;

	snprintf(f->keys[1], sizeof f->keys[1], "x");  /* duplicate key */
	score_invalid(f, "x");
	snprintf(f->keys[1], sizeof f->keys[1], "y");
	f->contestants[1].key = NULL;
	score_invalid(f, "key");
	f->contestants[1].key = f->keys[1];
	f->contestants[1].status = (enum entry_status)5;
	score_invalid(f, "status");
	f->contestants[1].status = ENTRY_COMPETED;
	f->contestants[1].elapsed_s = -2;
	score_invalid(f, "elapsed");
	f->contestants[1].elapsed_s = -1;

	f->sheet.ratio_c[2] = 7001;          /* 10 + 20 + 70.01 > 100 */
	score_invalid(f, "ratio");
	f->sheet.ratio_c[2] = -1;
	score_invalid(f, "ratio");
	f->sheet.ratio_c[2] = 7000;
	score(f);
	f->sheet.min_award_c = -2;
	score_invalid(f, "minimum");
	f->sheet.min_award_c = -1;
	f->sheet.discrepancy_pct = 101;
	score_invalid(f, "discrepancy");
	f->sheet.discrepancy_pct = -1;
	score_invalid(f, "discrepancy");
	f->sheet.discrepancy_pct = 0;
	score(f);
	fx_free(f);
}

/* ---- checking a score sheet as it is registered ------------------------ */

static void assert_sheet_error(const struct sheet *s, const char *want, const char *field, long index)
{
	struct sheet_warnings warn;
	struct ct_err err;
	ct_err_clear(&err);
	if (sheet_check(s, &warn, &err) != CT_INVALID)
		fail_msg("sheet accepted, want an error mentioning \"%s\"", want);
	if (!strstr(err.msg, want))
		fail_msg("message \"%s\" does not mention \"%s\"", err.msg, want);
	assert_string_equal(err.field, field);
	assert_int_equal(err.index, index);
}

static void test_sheet_check(void **state)
{
	(void)state;
	struct sheet_module mods[3] = { { "A", 30 }, { "B", 40 }, { "C", 0 } };
	struct sheet_criterion crit[4] = {
		{ "A1", 0, METHOD_MEAN, 1000 },
		{ "A2", 0, METHOD_DEDUCTION, 500 },
		{ "B1", 1, METHOD_JUDGEMENT, 2000 },
		{ "C1", 2, METHOD_MEAN, 100 },
	};
	/* Only the sheet is filled in: sheet_check reads nothing else. */
	struct sheet s = { .modules = mods, .n_modules = 2, .criteria = crit, .n_criteria = 3,
			   .tiebreak = "module:B;criterion:A1;time" };
	struct sheet_warnings warn;
	struct ct_err err;

	/* Half registered: weights 30 + 40 are a warning, not an error... */
	ct_err_clear(&err);
	assert_int_equal(sheet_check(&s, &warn, &err), CT_OK);
	assert_int_equal(warn.n, 1);
	assert_string_equal(warn.msg[0], "module weights add up to 70, not 100");
	/* ...which the draw and the engine (no warnings wanted) refuse. */
	assert_int_equal(sheet_check(&s, NULL, &err), CT_INVALID);
	assert_string_equal(err.msg, "module weights add up to 70, not 100");
	assert_string_equal(err.field, "module_weight");
	assert_int_equal(err.index, -1);

	/* Tie-break keys naming modules or criteria not registered yet. */
	s.tiebreak = "module:C;time;criterion:C9";
	assert_int_equal(sheet_check(&s, &warn, &err), CT_OK);
	assert_int_equal(warn.n, 3);
	assert_string_equal(warn.msg[1], "tie-break key module:C names an unknown module \"C\"");
	assert_string_equal(warn.msg[2], "tie-break key criterion:C9 names an unknown criterion \"C9\"");
	assert_int_equal(sheet_check(&s, NULL, &err), CT_INVALID);
	assert_string_equal(err.field, "module_weight"); /* the first warning */

	/* Module C and criterion C1 arrive; C9 is still unknown. */
	s.n_modules = 3;
	s.n_criteria = 4;
	mods[2].weight = 30;
	assert_int_equal(sheet_check(&s, &warn, &err), CT_OK);
	assert_int_equal(warn.n, 1);
	assert_string_equal(warn.msg[0], "tie-break key criterion:C9 names an unknown criterion \"C9\"");
	assert_int_equal(sheet_check(&s, NULL, &err), CT_INVALID);
	assert_string_equal(err.field, "tiebreak");
	assert_non_null(strstr(err.msg, "criterion:C9"));
	s.tiebreak = "criterion:C1;module:A";
	assert_int_equal(sheet_check(&s, &warn, &err), CT_OK);
	assert_int_equal(warn.n, 0);
	assert_int_equal(sheet_check(&s, NULL, &err), CT_OK);

	/* More warnings than are kept are still counted. */
	s.tiebreak = "module:Q1;module:Q2;module:Q3;module:Q4;module:Q5;module:Q6;module:Q7;"
		     "module:Q8;module:Q9;module:Q10";
	assert_int_equal(sheet_check(&s, &warn, &err), CT_OK);
	assert_int_equal(warn.n, 10);
	assert_string_equal(warn.msg[SHEET_WARNINGS_MAX - 1],
			    "tie-break key module:Q8 names an unknown module \"Q8\"");
	s.tiebreak = "";

	/* Errors whatever is registered later, located for the caller. */
	mods[2].weight = 31;
	assert_sheet_error(&s, "add up to 101", "module_weight", 2);
	mods[1].weight = 101;
	assert_sheet_error(&s, "weight 101", "module_weight", 1);
	mods[1].weight = 40;
	mods[2].weight = -1;
	assert_sheet_error(&s, "module C has no weight", "module_weight", 2);
	mods[0].weight = -1;
	mods[1].weight = -1;
	mods[2].weight = 100;
	assert_sheet_error(&s, "module C has a weight but module A has none", "module_weight", 2);
	mods[2].weight = -1;            /* unweighted: fine */
	assert_int_equal(sheet_check(&s, &warn, &err), CT_OK);
	assert_int_equal(warn.n, 0);

	/* A module of deductions only, weighted or not, and an empty module. */
	crit[3].method = METHOD_DEDUCTION;
	assert_sheet_error(&s, "module C has no criterion that gives marks", "module", 2);
	crit[3].method = METHOD_MEAN;
	crit[3].module = 0;
	assert_sheet_error(&s, "module C has no criterion that gives marks", "module", 2);
	crit[3].module = 2;

	/* Criteria the sheet cannot hold. */
	crit[2].max_c = 0;
	assert_sheet_error(&s, "B1", "max", 2);
	crit[2].max_c = (int32_t)DEC_MAX_C + 1;
	assert_sheet_error(&s, "B1", "max", 2);
	crit[2].max_c = (int32_t)DEC_MAX_C;
	crit[1].module = 3;
	assert_sheet_error(&s, "A2", "code", 1);
	crit[1].module = 0;
	crit[1].method = (enum method)6;
	assert_sheet_error(&s, "A2", "method", 1);
	crit[1].method = METHOD_DEDUCTION;

	/* Tie-break syntax is an error at once, even with warnings wanted. */
	s.tiebreak = "module:%s%n";
	assert_sheet_error(&s, "module:%s%n", "tiebreak", -1);
	s.tiebreak = "time;time";
	assert_sheet_error(&s, "twice", "tiebreak", -1);
	s.tiebreak = NULL;
	assert_int_equal(sheet_check(&s, NULL, &err), CT_OK);

	/* An empty sheet has nothing wrong with it yet. */
	struct sheet empty = { .tiebreak = "" };
	assert_int_equal(sheet_check(&empty, &warn, &err), CT_OK);
	assert_int_equal(warn.n, 0);
}

/* The module max rule (SPEC section 4): non-deduction maxima, in 64 bits. */
static void test_sheet_module_max(void **state)
{
	(void)state;
	struct sheet_module mods[3] = { { "A", -1 }, { "B", -1 }, { "C", -1 } };
	struct sheet_criterion crit[5] = {
		{ "A1", 0, METHOD_MEAN, (int32_t)DEC_MAX_C },
		{ "A2", 0, METHOD_MEASUREMENT, (int32_t)DEC_MAX_C },
		{ "A3", 0, METHOD_JUDGEMENT, (int32_t)DEC_MAX_C },
		{ "A4", 0, METHOD_DEDUCTION, 700 },
		{ "C1", 2, METHOD_TRIMMED, 1 },
	};
	struct sheet s = { .modules = mods, .n_modules = 3, .criteria = crit, .n_criteria = 5 };
	int64_t max_c[3] = { -1, -1, -1 };
	sheet_module_max(&s, max_c);
	assert_int_equal(max_c[0], 300000000); /* 3,000,000.00 points */
	assert_int_equal(max_c[1], 0);
	assert_int_equal(max_c[2], 1);
}

/* ---- randomized events against an oracle ---------------------------------- */

/* splitmix64, seeded: the same events on every run. */
static uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint32_t below(uint64_t *s, uint32_t n)
{
	return (uint32_t)(rnd(s) % n);
}

/* The tie-break keys of a generated event, as the test itself knows them. */
struct gen_key {
	int kind;                /* 0 module, 1 criterion, 2 time */
	uint32_t index;
};

struct gen {
	struct fx *f;
	struct gen_key keys[4];
	size_t n_keys;
	char tiebreak[128];
};

/* A random small event: 0..12 contestants, 1..5 criteria, 0..4 judges, values
 * from small sets so that marks and totals often tie, some judges and
 * contestants sharing organizations, all statuses, random tie-break keys,
 * ratios, minimum award and discrepancy limit. */
static void gen_event(struct gen *g, uint64_t *rng)
{
	static const int32_t maxima[] = { 1, 5, 9, 100, 250, 333, 750, 1000, 1999, 2000, 10000 };
	static const int32_t ratio_sets[][3] = {
		{ 1000, 2000, 3000 }, { 0, 0, 0 }, { 10000, 0, 0 }, { 3333, 3333, 3334 },
		{ 1250, 2500, 1250 }, { 5000, 0, 5000 },
	};
	struct fx *f = fx_new();
	g->f = f;

	uint32_t n_modules = 1 + below(rng, 3);
	for (uint32_t m = 0; m < n_modules; m++) {
		char code[8];
		snprintf(code, sizeof code, "M%u", m);
		add_module(f, code, -1);
	}
	/* Every module needs a criterion that gives marks: criterion m of the
	 * first n_modules is one of module m. */
	static const enum method marking[] = {
		METHOD_MEASUREMENT, METHOD_MEAN, METHOD_TRIMMED, METHOD_MEDIAN, METHOD_JUDGEMENT,
	};
	uint32_t n_criteria = n_modules + below(rng, 6 - n_modules);
	for (uint32_t k = 0; k < n_criteria; k++) {
		char code[8];
		snprintf(code, sizeof code, "K%u", k);
		bool first = k < n_modules;
		add_criterion(f, code, first ? k : below(rng, n_modules),
			      first ? marking[below(rng, 5)] : (enum method)below(rng, 6),
			      maxima[below(rng, sizeof maxima / sizeof maxima[0])]);
	}
	if (below(rng, 2)) {
		/* Weights summing to 100 over the modules that have a max. */
		int64_t max[FX_MODULES] = { 0 };
		uint32_t last = UINT32_MAX;
		for (uint32_t k = 0; k < n_criteria; k++)
			if (f->criteria[k].method != METHOD_DEDUCTION)
				max[f->criteria[k].module] += f->criteria[k].max_c;
		for (uint32_t m = 0; m < n_modules; m++)
			if (max[m] > 0)
				last = m;
		if (last != UINT32_MAX) {
			int32_t left = 100;
			for (uint32_t m = 0; m < n_modules; m++) {
				int32_t w = m == last ? left : max[m] > 0 ? (int32_t)below(rng, (uint32_t)left + 1) : 0;
				f->modules[m].weight = w;
				left -= w;
			}
		}
	}
	uint32_t n_judges = below(rng, 5);
	for (uint32_t j = 0; j < n_judges; j++)
		add_judge(f, below(rng, 3));

	uint32_t n = below(rng, 13);
	uint32_t pool[100];
	for (uint32_t i = 0; i < 100; i++)
		pool[i] = i;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t pick = i + below(rng, 100 - i);
		uint32_t t = pool[i];
		pool[i] = pool[pick];
		pool[pick] = t;
		char key[8];
		snprintf(key, sizeof key, "k%02u", pool[i]);
		enum entry_status st = below(rng, 4) ? ENTRY_COMPETED : (enum entry_status)below(rng, 5);
		int64_t elapsed = below(rng, 3) == 0 ? -1 : 60 * (int64_t)below(rng, 4);
		add_contestant(f, key, st, elapsed, below(rng, 4));
	}
	for (uint32_t c = 0; c < n; c++) {
		for (uint32_t k = 0; k < n_criteria; k++) {
			const struct sheet_criterion *cr = &f->criteria[k];
			int32_t base = (int32_t)below(rng, (uint32_t)cr->max_c + 1);
			bool agree = cr->method == METHOD_MEASUREMENT || cr->method == METHOD_DEDUCTION;
			for (uint32_t j = 0; j < n_judges; j++) {
				if (below(rng, 5) == 0)
					continue;
				int32_t v;
				if (cr->method == METHOD_JUDGEMENT)
					v = 100 * (int32_t)below(rng, 4);
				else if (below(rng, agree ? 10 : 2) != 0)
					v = base;
				else
					v = (int32_t)below(rng, (uint32_t)cr->max_c + 1);
				add_value(f, c, k, j, v);
			}
		}
	}
	uint32_t n_accepts = n ? below(rng, 4) : 0;
	for (uint32_t a = 0; a < n_accepts; a++)
		add_accept(f, below(rng, n), below(rng, n_criteria));

	const int32_t *rs = ratio_sets[below(rng, sizeof ratio_sets / sizeof ratio_sets[0])];
	memcpy(f->sheet.ratio_c, rs, sizeof f->sheet.ratio_c);
	f->sheet.min_award_c = below(rng, 3) == 0 ? (int64_t)below(rng, 3000) : -1;
	f->sheet.discrepancy_pct = (int32_t)below(rng, 101);

	size_t want_keys = below(rng, 4);
	size_t len = 0;
	g->tiebreak[0] = '\0';
	g->n_keys = 0;
	while (g->n_keys < want_keys) { /* at least 3 distinct keys exist: time, M0, K0 */
		struct gen_key *key = &g->keys[g->n_keys];
		key->kind = (int)below(rng, 3);
		key->index = key->kind == 0 ? below(rng, n_modules) : below(rng, n_criteria);
		bool again = false; /* a key may not be given twice */
		for (size_t u = 0; u < g->n_keys; u++)
			again = again || (g->keys[u].kind == key->kind &&
					  (key->kind == 2 || g->keys[u].index == key->index));
		if (again)
			continue;
		len += (size_t)snprintf(g->tiebreak + len, sizeof g->tiebreak - len, "%s%s%u",
					g->n_keys ? ";" : "",
					key->kind == 0 ? "module:M" : key->kind == 1 ? "criterion:K" : "time",
					key->kind == 2 ? 0 : key->index);
		if (key->kind == 2)
			g->tiebreak[--len] = '\0'; /* "time" takes no number */
		g->n_keys++;
	}
	f->sheet.tiebreak = g->tiebreak;
}

/* floor(num / den + 1/2) for num >= 0, den > 0: half up, written from the
 * definition rather than as the engine does it. */
static int64_t oracle_round(int64_t num, int64_t den)
{
	return (2 * num + den) / (2 * den);
}

static bool oracle_recused(const struct sheet *s, uint32_t judge, uint32_t contestant)
{
	return s->judges[judge].org != 0 && s->judges[judge].org == s->contestants[contestant].org;
}

/* The non-recused values of (c, k), found by scanning every value, sorted
 * ascending; their judges in *judges (unsorted is fine: used as a set). */
static size_t oracle_values(const struct sheet *s, uint32_t c, uint32_t k, int32_t *vals,
			    bool *has_judge)
{
	size_t n = 0;
	for (uint32_t j = 0; j < s->n_judges; j++)
		has_judge[j] = false;
	for (size_t i = 0; i < s->n_values; i++) {
		const struct sheet_value *v = &s->values[i];
		if (v->contestant != c || v->criterion != k || oracle_recused(s, v->judge, c))
			continue;
		vals[n++] = v->value_c;
		has_judge[v->judge] = true;
	}
	for (size_t a = 0; a < n; a++)
		for (size_t b = 0; b + 1 < n - a; b++)
			if (vals[b] > vals[b + 1]) {
				int32_t t = vals[b];
				vals[b] = vals[b + 1];
				vals[b + 1] = t;
			}
	return n;
}

static int64_t oracle_mark(const struct sheet_criterion *cr, const int32_t *vals, size_t n)
{
	int64_t sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += vals[i];
	if (n == 0)
		return 0;
	switch (cr->method) {
	case METHOD_MEASUREMENT:
	case METHOD_DEDUCTION:
		return vals[0] == vals[n - 1] ? vals[0] : oracle_round(sum, (int64_t)n);
	case METHOD_MEAN:
		return oracle_round(sum, (int64_t)n);
	case METHOD_TRIMMED:
		if (n < 3)
			return oracle_round(sum, (int64_t)n);
		return oracle_round(sum - vals[0] - vals[n - 1], (int64_t)n - 2);
	case METHOD_MEDIAN:
		if (n % 2 == 1)
			return vals[n / 2];
		return oracle_round((int64_t)vals[n / 2 - 1] + vals[n / 2], 2);
	case METHOD_JUDGEMENT: {
		/* M points × S / (3n) with S the sum of the integers 0..3. */
		int64_t s_int = 0;
		for (size_t i = 0; i < n; i++)
			s_int += vals[i] / 100;
		return oracle_round(cr->max_c * s_int, 3 * (int64_t)n);
	}
	}
	fail_msg("bad method");
	return 0;
}

static __int128 gcd_i128(__int128 a, __int128 b)
{
	if (a < 0)
		a = -a;
	while (b) {
		__int128 t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* Everything the oracle derives for one contestant. */
struct oracle_row {
	int64_t mark[FX_CRITERIA];
	int64_t module[FX_MODULES];
	int64_t total;
};

static void oracle_row(const struct sheet *s, uint32_t c, struct oracle_row *o)
{
	int32_t vals[FX_JUDGES];
	bool has[FX_JUDGES];
	memset(o, 0, sizeof *o);
	for (uint32_t k = 0; k < s->n_criteria; k++) {
		size_t n = oracle_values(s, c, k, vals, has);
		o->mark[k] = oracle_mark(&s->criteria[k], vals, n);
		if (s->criteria[k].method == METHOD_DEDUCTION)
			o->module[s->criteria[k].module] -= o->mark[k];
		else
			o->module[s->criteria[k].module] += o->mark[k];
	}
	bool weighted = s->n_modules > 0 && s->modules[0].weight >= 0;
	/* The weighted total as a fraction p / q, reduced after each term. */
	__int128 p = 0, q = 1;
	for (uint32_t m = 0; m < s->n_modules; m++) {
		if (o->module[m] < 0)
			o->module[m] = 0;
		if (!weighted) {
			o->total += o->module[m];
			continue;
		}
		if (s->modules[m].weight == 0)
			continue;
		int64_t max = 0;
		for (uint32_t k = 0; k < s->n_criteria; k++)
			if (s->criteria[k].module == m && s->criteria[k].method != METHOD_DEDUCTION)
				max += s->criteria[k].max_c;
		__int128 tp = (__int128)o->module[m] * s->modules[m].weight * 100, tq = max;
		p = p * tq + tp * q;
		q = q * tq;
		__int128 g = gcd_i128(p, q);
		if (g > 1) {
			p /= g;
			q /= g;
		}
	}
	if (weighted)
		o->total = (int64_t)((2 * p + q) / (2 * q));
}

/* > 0 when contestant a ranks before b by total and the generated
 * tie-break keys, 0 when they tie. */
static int oracle_better(const struct gen *g, const struct oracle_row *rows, uint32_t a, uint32_t b)
{
	const struct sheet *s = &g->f->sheet;
	if (rows[a].total != rows[b].total)
		return rows[a].total > rows[b].total ? 1 : -1;
	for (size_t t = 0; t < g->n_keys; t++) {
		const struct gen_key *key = &g->keys[t];
		int64_t x, y;
		if (key->kind == 0) {
			x = rows[a].module[key->index];
			y = rows[b].module[key->index];
		} else if (key->kind == 1) {
			x = rows[a].mark[key->index];
			y = rows[b].mark[key->index];
		} else {
			int64_t ta = s->contestants[a].elapsed_s, tb = s->contestants[b].elapsed_s;
			if (ta < 0 && tb < 0)
				continue;
			if (ta < 0 || tb < 0)
				return ta < 0 ? -1 : 1;
			x = -ta;
			y = -tb;
		}
		if (x != y)
			return x > y ? 1 : -1;
	}
	return 0;
}

static int status_order(enum entry_status st)
{
	switch (st) {
	case ENTRY_COMPETED: return 0;
	case ENTRY_REGISTERED: return 1;
	case ENTRY_ABSENT: return 2;
	case ENTRY_WITHDRAWN: return 3;
	case ENTRY_DISQUALIFIED: return 4;
	}
	return 5;
}

/* Checks one scored random event against the oracle and the invariants. */
static void check_event(const struct gen *g, const struct result *r)
{
	const struct sheet *s = &g->f->sheet;
	uint32_t n = s->n_contestants;
	struct oracle_row rows[FX_CONTESTANTS];

	/* Marks, module scores, totals. */
	for (uint32_t c = 0; c < n; c++) {
		oracle_row(s, c, &rows[c]);
		for (uint32_t k = 0; k < s->n_criteria; k++)
			if (r->mark_c[(size_t)c * s->n_criteria + k] != rows[c].mark[k])
				fail_msg("mark of %s on K%u: %lld, oracle %lld", s->contestants[c].key, k,
					 (long long)r->mark_c[(size_t)c * s->n_criteria + k],
					 (long long)rows[c].mark[k]);
		for (uint32_t m = 0; m < s->n_modules; m++)
			assert_int_equal(r->module_c[(size_t)c * s->n_modules + m], rows[c].module[m]);
	}

	/* Every contestant exactly once, in display order. */
	bool seen[FX_CONTESTANTS] = { false };
	uint32_t n_ranked = 0;
	for (uint32_t p = 0; p < n; p++) {
		const struct result_entry *e = &r->entries[p];
		assert_true(e->contestant < n);
		assert_false(seen[e->contestant]);
		seen[e->contestant] = true;
		assert_int_equal(e->total_c, rows[e->contestant].total);
		bool competed = s->contestants[e->contestant].status == ENTRY_COMPETED;
		n_ranked += competed;
		assert_int_equal(e->rank != 0, competed);
		if (p == 0)
			continue;
		const struct result_entry *prev = &r->entries[p - 1];
		int so = status_order(s->contestants[prev->contestant].status);
		int sn = status_order(s->contestants[e->contestant].status);
		int kc = strcmp(s->contestants[prev->contestant].key, s->contestants[e->contestant].key);
		if (competed && sn == so)
			assert_true(prev->rank < e->rank || (prev->rank == e->rank && kc < 0));
		else
			assert_true(so < sn || (so == sn && kc < 0));
	}
	assert_int_equal(r->n_ranked, n_ranked);

	/* Ranks: 1 + the number ranked strictly better, checked pairwise. */
	for (uint32_t p = 0; p < n_ranked; p++) {
		const struct result_entry *e = &r->entries[p];
		uint32_t better = 0;
		for (uint32_t q = 0; q < n_ranked; q++) {
			const struct result_entry *o = &r->entries[q];
			int cmp = oracle_better(g, rows, o->contestant, e->contestant);
			better += cmp > 0;
			if (cmp > 0)
				assert_true(o->rank < e->rank);
			else if (cmp == 0)
				assert_int_equal(o->rank, e->rank);
		}
		assert_int_equal(e->rank, better + 1);
	}

	/* Awards: C_t = round(N × (r1 + ... + rt) / 100%) and the first tier
	 * whose cut-off the rank is within, unless under the minimum. */
	int64_t cum = 0;
	for (int t = 0; t < 3; t++) {
		cum += s->ratio_c[t];
		assert_int_equal(r->cutoff[t], oracle_round((int64_t)n_ranked * cum, 10000));
	}
	for (uint32_t p = 0; p < n; p++) {
		const struct result_entry *e = &r->entries[p];
		uint8_t want = 0;
		bool eligible = e->rank != 0 && (s->min_award_c < 0 || e->total_c >= s->min_award_c);
		for (int t = 2; t >= 0 && eligible; t--)
			if (e->rank <= r->cutoff[t])
				want = (uint8_t)(t + 1);
		assert_int_equal(e->award, want);
		if (e->award)
			assert_true(e->rank <= r->cutoff[e->award - 1]);
	}

	/* Discrepancies and missing values, in key order of the competed. */
	uint32_t by_key[FX_CONTESTANTS];
	for (uint32_t c = 0; c < n; c++)
		by_key[c] = c;
	for (uint32_t a = 0; a < n; a++)
		for (uint32_t b = 0; b + 1 < n - a; b++)
			if (strcmp(s->contestants[by_key[b]].key, s->contestants[by_key[b + 1]].key) > 0) {
				uint32_t t = by_key[b];
				by_key[b] = by_key[b + 1];
				by_key[b + 1] = t;
			}
	size_t nd = 0, nm = 0, n_open = 0;
	uint32_t n_incomplete = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t c = by_key[i];
		bool complete = true;
		if (s->contestants[c].status != ENTRY_COMPETED) {
			for (uint32_t p = 0; p < n; p++)
				if (r->entries[p].contestant == c)
					assert_false(r->entries[p].complete);
			continue;
		}
		for (uint32_t k = 0; k < s->n_criteria; k++) {
			const struct sheet_criterion *cr = &s->criteria[k];
			int32_t vals[FX_JUDGES];
			bool has[FX_JUDGES];
			size_t nv = oracle_values(s, c, k, vals, has);
			int64_t spread = nv ? (int64_t)vals[nv - 1] - vals[0] : 0;
			bool disc;
			switch (cr->method) {
			case METHOD_MEASUREMENT:
			case METHOD_DEDUCTION: disc = spread != 0; break;
			case METHOD_JUDGEMENT: disc = spread >= 200; break;
			default: disc = spread * 100 > (int64_t)s->discrepancy_pct * cr->max_c; break;
			}
			if (nv >= 2 && disc) {
				bool accepted = false;
				for (size_t a = 0; a < s->n_accepts; a++)
					accepted |= s->accepts[a].contestant == c && s->accepts[a].criterion == k;
				assert_true(nd < r->n_discrepancies);
				assert_discrepancy(&r->discrepancies[nd++], c, k, vals[0], vals[nv - 1], accepted);
				n_open += !accepted;
			}
			uint32_t panel = 0;
			for (uint32_t j = 0; j < s->n_judges; j++)
				panel += !oracle_recused(s, j, c);
			bool any = cr->method == METHOD_MEASUREMENT;
			if (cr->method == METHOD_DEDUCTION) {
				/* no value is no deduction: never missing */
			} else if ((any && nv == 0) || panel == 0) {
				assert_true(nm < r->n_missing);
				assert_int_equal(r->missing[nm].contestant, c);
				assert_int_equal(r->missing[nm].criterion, k);
				assert_int_equal(r->missing[nm].judge, UINT32_MAX);
				nm++;
				complete = false;
			} else if (!any) {
				for (uint32_t j = 0; j < s->n_judges; j++) {
					if (has[j] || oracle_recused(s, j, c))
						continue;
					assert_true(nm < r->n_missing);
					assert_int_equal(r->missing[nm].contestant, c);
					assert_int_equal(r->missing[nm].criterion, k);
					assert_int_equal(r->missing[nm].judge, j);
					nm++;
					complete = false;
				}
			}
		}
		n_incomplete += !complete;
		for (uint32_t p = 0; p < n; p++)
			if (r->entries[p].contestant == c)
				assert_int_equal(r->entries[p].complete, complete);
	}
	assert_int_equal(r->n_discrepancies, nd);
	assert_int_equal(r->n_open, n_open);
	assert_int_equal(r->n_missing, nm);
	assert_int_equal(r->n_incomplete, n_incomplete);
}

/* A copy of g's event with the contestants renumbered by perm (old index i
 * becomes perm[i]) and the values and accepts shuffled. */
static struct fx *permuted(const struct gen *g, const uint32_t *perm, uint64_t *rng)
{
	const struct fx *f = g->f;
	struct fx *h = fx_new();
	h->sheet = f->sheet;
	h->sheet.modules = h->modules;
	h->sheet.criteria = h->criteria;
	h->sheet.contestants = h->contestants;
	h->sheet.judges = h->judges;
	h->sheet.values = h->values;
	h->sheet.accepts = h->accepts;
	memcpy(h->modules, f->modules, sizeof h->modules);
	memcpy(h->criteria, f->criteria, sizeof h->criteria);
	memcpy(h->judges, f->judges, sizeof h->judges);
	for (uint32_t i = 0; i < f->sheet.n_contestants; i++) {
		memcpy(h->keys[perm[i]], f->keys[i], sizeof h->keys[0]);
		h->contestants[perm[i]] = f->contestants[i];
		h->contestants[perm[i]].key = h->keys[perm[i]];
	}
	for (size_t v = 0; v < f->sheet.n_values; v++) {
		h->values[v] = f->values[v];
		h->values[v].contestant = perm[f->values[v].contestant];
	}
	for (size_t a = 0; a < f->sheet.n_accepts; a++) {
		h->accepts[a] = f->accepts[a];
		h->accepts[a].contestant = perm[f->accepts[a].contestant];
	}
	for (size_t v = f->sheet.n_values; v > 1; v--) {
		size_t w = below(rng, (uint32_t)v);
		struct sheet_value t = h->values[v - 1];
		h->values[v - 1] = h->values[w];
		h->values[w] = t;
	}
	for (size_t a = f->sheet.n_accepts; a > 1; a--) {
		size_t b = below(rng, (uint32_t)a);
		struct sheet_accept t = h->accepts[a - 1];
		h->accepts[a - 1] = h->accepts[b];
		h->accepts[b] = t;
	}
	return h;
}

/* The result of a permuted event must be r with contestants renamed. */
static void assert_same_up_to_perm(const struct sheet *s, const struct result *r,
				   const struct result *q, const uint32_t *perm)
{
	assert_int_equal(q->n_ranked, r->n_ranked);
	assert_memory_equal(q->cutoff, r->cutoff, sizeof r->cutoff);
	for (uint32_t p = 0; p < s->n_contestants; p++) {
		assert_int_equal(q->entries[p].contestant, perm[r->entries[p].contestant]);
		assert_int_equal(q->entries[p].rank, r->entries[p].rank);
		assert_int_equal(q->entries[p].award, r->entries[p].award);
		assert_int_equal(q->entries[p].complete, r->entries[p].complete);
		assert_int_equal(q->entries[p].total_c, r->entries[p].total_c);
	}
	for (uint32_t c = 0; c < s->n_contestants; c++) {
		assert_memory_equal(&q->mark_c[(size_t)perm[c] * s->n_criteria],
				    &r->mark_c[(size_t)c * s->n_criteria], s->n_criteria * sizeof(int64_t));
		assert_memory_equal(&q->module_c[(size_t)perm[c] * s->n_modules],
				    &r->module_c[(size_t)c * s->n_modules], s->n_modules * sizeof(int64_t));
	}
	assert_int_equal(q->n_discrepancies, r->n_discrepancies);
	assert_int_equal(q->n_open, r->n_open);
	for (size_t d = 0; d < r->n_discrepancies; d++) {
		struct discrepancy want = r->discrepancies[d];
		want.contestant = perm[want.contestant];
		assert_discrepancy(&q->discrepancies[d], want.contestant, want.criterion, want.low_c,
				   want.high_c, want.accepted);
	}
	assert_int_equal(q->n_missing, r->n_missing);
	assert_int_equal(q->n_incomplete, r->n_incomplete);
	for (size_t m = 0; m < r->n_missing; m++) {
		assert_int_equal(q->missing[m].contestant, perm[r->missing[m].contestant]);
		assert_int_equal(q->missing[m].criterion, r->missing[m].criterion);
		assert_int_equal(q->missing[m].judge, r->missing[m].judge);
	}
}

#define RANDOM_EVENTS 4000

static void test_random_events(void **state)
{
	(void)state;
	uint64_t rng = UINT64_C(0x5eed2026);
	uint32_t ranked_events = 0, tied_events = 0, discrepant_events = 0, weighted_events = 0;

	for (int round = 0; round < RANDOM_EVENTS; round++) {
		struct gen g;
		gen_event(&g, &rng);
		const struct result *r = score(g.f);
		check_event(&g, r);

		uint32_t perm[FX_CONTESTANTS];
		for (uint32_t i = 0; i < g.f->sheet.n_contestants; i++)
			perm[i] = i;
		for (uint32_t i = g.f->sheet.n_contestants; i > 1; i--) {
			uint32_t j = below(&rng, i);
			uint32_t t = perm[i - 1];
			perm[i - 1] = perm[j];
			perm[j] = t;
		}
		struct fx *h = permuted(&g, perm, &rng);
		assert_same_up_to_perm(&g.f->sheet, r, score(h), perm);
		fx_free(h);

		/* Track that the generator reaches the interesting cases. */
		ranked_events += r->n_ranked >= 3;
		for (uint32_t p = 1; p < r->n_ranked; p++)
			if (r->entries[p].rank == r->entries[p - 1].rank) {
				tied_events++;
				break;
			}
		discrepant_events += r->n_discrepancies > 0;
		weighted_events += g.f->modules[0].weight >= 0;
		fx_free(g.f);
	}
	assert_true(ranked_events > RANDOM_EVENTS / 2);
	assert_true(tied_events > RANDOM_EVENTS / 10);
	assert_true(discrepant_events > RANDOM_EVENTS / 10);
	assert_true(weighted_events > RANDOM_EVENTS / 4);
}

/* Grouped values (by contestant in key order, then criterion) take the
 * engine's shortcut past the counting sort: same result as shuffled. */
static void test_grouped_values(void **state)
{
	(void)state;
	uint64_t rng = UINT64_C(0x6709);
	for (int round = 0; round < 500; round++) {
		struct gen g;
		gen_event(&g, &rng);
		struct fx *f = g.f;
		const struct sheet *s = &f->sheet;
		/* Sort the values by (key, criterion) with a simple stable sort. */
		for (size_t a = 0; a < s->n_values; a++)
			for (size_t b = 0; b + 1 < s->n_values - a; b++) {
				const struct sheet_value *x = &f->values[b], *y = &f->values[b + 1];
				int kc = strcmp(f->keys[x->contestant], f->keys[y->contestant]);
				if (kc > 0 || (kc == 0 && x->criterion > y->criterion)) {
					struct sheet_value t = f->values[b];
					f->values[b] = f->values[b + 1];
					f->values[b + 1] = t;
				}
			}
		check_event(&g, score(f));
		fx_free(f);
	}
}

/* A big event, sorted into many blocks by the two-level counting sort:
 * shuffled values must give exactly what the same values grouped give (the
 * grouped path is checked against the oracle above), and a judge's second
 * value for a cell must be caught in any block. */
static const char (*big_keys)[12];

static int cmp_big_value(const void *a, const void *b)
{
	const struct sheet_value *x = a, *y = b;
	int kc = strcmp(big_keys[x->contestant], big_keys[y->contestant]);
	if (kc != 0)
		return kc;
	return (x->criterion > y->criterion) - (x->criterion < y->criterion);
}

static void assert_same_result(const struct result *a, const struct result *b, const struct sheet *s)
{
	assert_int_equal(a->n_ranked, b->n_ranked);
	assert_memory_equal(a->cutoff, b->cutoff, sizeof a->cutoff);
	for (uint32_t i = 0; i < s->n_contestants; i++) {
		assert_int_equal(a->entries[i].contestant, b->entries[i].contestant);
		assert_int_equal(a->entries[i].rank, b->entries[i].rank);
		assert_int_equal(a->entries[i].award, b->entries[i].award);
		assert_int_equal(a->entries[i].complete, b->entries[i].complete);
		assert_int_equal(a->entries[i].total_c, b->entries[i].total_c);
	}
	assert_memory_equal(a->module_c, b->module_c,
			    (size_t)s->n_contestants * s->n_modules * sizeof *a->module_c);
	assert_memory_equal(a->mark_c, b->mark_c,
			    (size_t)s->n_contestants * s->n_criteria * sizeof *a->mark_c);
	assert_int_equal(a->n_discrepancies, b->n_discrepancies);
	assert_int_equal(a->n_open, b->n_open);
	for (size_t i = 0; i < a->n_discrepancies; i++) {
		const struct discrepancy *x = &a->discrepancies[i], *y = &b->discrepancies[i];
		assert_int_equal(x->contestant, y->contestant);
		assert_int_equal(x->criterion, y->criterion);
		assert_int_equal(x->low_c, y->low_c);
		assert_int_equal(x->high_c, y->high_c);
		assert_int_equal(x->accepted, y->accepted);
	}
	assert_int_equal(a->n_missing, b->n_missing);
	if (a->n_missing)
		assert_memory_equal(a->missing, b->missing, a->n_missing * sizeof *a->missing);
	assert_int_equal(a->n_incomplete, b->n_incomplete);
}

static void test_many_blocks(void **state)
{
	(void)state;
	enum { N = 3001, K = 6, J = 4 };
	static const enum method methods[K] = {
		METHOD_MEAN, METHOD_TRIMMED, METHOD_MEDIAN, METHOD_JUDGEMENT, METHOD_MEASUREMENT,
		METHOD_DEDUCTION,
	};
	static const char *const codes[K] = { "A1", "A2", "A3", "B1", "B2", "B3" };
	struct sheet_module modules[2] = { { "A", 40 }, { "B", 60 } };
	struct sheet_criterion criteria[K];
	struct sheet_judge judges[J] = { { 0 }, { 7 }, { 0 }, { 9 } };
	struct sheet_contestant *ct = calloc(N, sizeof *ct);
	char (*keys)[12] = calloc(N, sizeof *keys);
	struct sheet_value *values = calloc((size_t)N * K * J + 1, sizeof *values);
	struct sheet_accept accepts[3] = { { 5, 0, false, 0 }, { 2000, 2, false, 0 }, { 2999, 1, false, 0 } };
	uint64_t rng = UINT64_C(0xb10c);
	size_t n = 0;
	assert_non_null(ct);
	assert_non_null(keys);
	assert_non_null(values);

	for (uint32_t k = 0; k < K; k++)
		criteria[k] = (struct sheet_criterion){ codes[k], k / 3, methods[k],
							k == 5 ? 500 : 1000 * (int32_t)(k + 1) };
	for (uint32_t i = 0; i < N; i++) {
		/* Keys in an order unrelated to the indices. */
		snprintf(keys[i], sizeof keys[i], "r%05u", (i * 7919u) % 100003u);
		ct[i] = (struct sheet_contestant){ keys[i], below(&rng, 20) ? ENTRY_COMPETED : ENTRY_ABSENT,
						   below(&rng, 3) ? 600 + (int64_t)below(&rng, 60) : -1,
						   below(&rng, 10) == 0 ? 7 : 0 };
		for (uint32_t k = 0; k < K; k++)
			for (uint32_t j = 0; j < J; j++) {
				if (below(&rng, 50) == 0)
					continue; /* missing */
				int32_t v = methods[k] == METHOD_JUDGEMENT ? 100 * (int32_t)below(&rng, 4) :
					    methods[k] == METHOD_MEASUREMENT || methods[k] == METHOD_DEDUCTION ?
					    (below(&rng, 30) ? 100 * (int32_t)(i % 5) : 50) :
					    (int32_t)below(&rng, (uint32_t)criteria[k].max_c / 4 + 1) * 4;
				values[n++] = (struct sheet_value){ i, k, j, v };
			}
	}
	for (size_t i = n; i > 1; i--) {
		size_t pick = rnd(&rng) % i;
		struct sheet_value t = values[i - 1];
		values[i - 1] = values[pick];
		values[pick] = t;
	}
	struct sheet s = {
		.modules = modules, .n_modules = 2, .criteria = criteria, .n_criteria = K,
		.contestants = ct, .n_contestants = N, .judges = judges, .n_judges = J,
		.values = values, .n_values = n, .accepts = accepts, .n_accepts = 3,
		.ratio_c = { 1000, 2000, 3000 }, .min_award_c = 100, .discrepancy_pct = 15,
		.tiebreak = "module:B;criterion:A2;time",
	};
	struct result *shuffled = NULL, *grouped = NULL;
	struct ct_err err;
	assert_int_equal(score_event(&s, &shuffled, &err), CT_OK);

	big_keys = keys;
	qsort(values, n, sizeof *values, cmp_big_value);
	assert_int_equal(score_event(&s, &grouped, &err), CT_OK);
	assert_same_result(shuffled, grouped, &s);
	assert_true(shuffled->n_ranked > N / 2);
	assert_true(shuffled->n_discrepancies > 0 && shuffled->n_missing > 0);

	/* A second value of judge 2 for one cell, far from the first: refused. */
	for (size_t i = 0; i < n; i++) {
		if (values[i].contestant == 2500 && values[i].judge == 2) {
			values[n] = values[i];
			values[n].value_c = 0;
			break;
		}
	}
	assert_int_equal(values[n].contestant, 2500);
	struct sheet_value t = values[n];
	values[n] = values[17];
	values[17] = t;
	s.n_values = n + 1;
	struct result *dup = NULL;
	assert_int_equal(score_event(&s, &dup, &err), CT_INVALID);
	assert_null(dup);
	assert_non_null(strstr(err.msg, "two values"));

	result_free(shuffled);
	result_free(grouped);
	free(values);
	free(keys);
	free(ct);
}

/* ---- exact weighted totals on any sheet ----------------------------------- */

#define WX_MODULES 30
#define WX_CRITERIA 160
#define WX_CONTESTANTS 24

/* A weighted event of up to WX_MODULES modules, one judge, one value per
 * contestant and criterion (mean of one value: the mark is the value). */
struct wx {
	struct sheet sheet;
	struct sheet_module modules[WX_MODULES];
	struct sheet_criterion criteria[WX_CRITERIA];
	struct sheet_contestant contestants[WX_CONTESTANTS];
	struct sheet_judge judge;
	struct sheet_value values[WX_CONTESTANTS * WX_CRITERIA];
	char codes[WX_MODULES + WX_CRITERIA][8];
	char keys[WX_CONTESTANTS][8];
	int64_t max_c[WX_MODULES];           /* the test's own module maxima */
};

static struct wx *wx_new(void)
{
	struct wx *w = calloc(1, sizeof *w);
	assert_non_null(w);
	w->sheet = (struct sheet){
		.modules = w->modules, .criteria = w->criteria, .contestants = w->contestants,
		.judges = &w->judge, .n_judges = 1, .values = w->values,
		.ratio_c = { 1000, 2000, 3000 }, .min_award_c = -1, .discrepancy_pct = 20,
		.tiebreak = "",
	};
	return w;
}

static void wx_criterion(struct wx *w, uint32_t m, enum method method, int32_t max_c)
{
	uint32_t k = w->sheet.n_criteria++;
	assert_true(k < WX_CRITERIA);
	snprintf(w->codes[WX_MODULES + k], sizeof w->codes[0], "K%u", k);
	w->criteria[k] = (struct sheet_criterion){ w->codes[WX_MODULES + k], m, method, max_c };
	if (method != METHOD_DEDUCTION)
		w->max_c[m] += max_c;
}

/* Module m with weight and a max of max_c, in criteria of at most DEC_MAX_C. */
static uint32_t wx_module(struct wx *w, int32_t weight, int64_t max_c)
{
	uint32_t m = w->sheet.n_modules++;
	assert_true(m < WX_MODULES);
	snprintf(w->codes[m], sizeof w->codes[m], "M%u", m);
	w->modules[m] = (struct sheet_module){ w->codes[m], weight };
	for (int64_t left = max_c; left > 0; left -= DEC_MAX_C)
		wx_criterion(w, m, METHOD_MEAN, (int32_t)(left < DEC_MAX_C ? left : DEC_MAX_C));
	return m;
}

/* A contestant with one value per criterion from pick(criterion max). */
static uint32_t wx_contestant(struct wx *w, uint64_t *rng, int how)
{
	uint32_t c = w->sheet.n_contestants++;
	assert_true(c < WX_CONTESTANTS);
	snprintf(w->keys[c], sizeof w->keys[c], "c%02u", c);
	w->contestants[c] = (struct sheet_contestant){ w->keys[c], ENTRY_COMPETED, -1, 0 };
	for (uint32_t k = 0; k < w->sheet.n_criteria; k++) {
		int32_t max = w->criteria[k].max_c, v;
		if (how == 0)
			v = 0;
		else if (how == 1)
			v = w->criteria[k].method == METHOD_DEDUCTION ? 0 : max;
		else if (below(rng, 8) == 0)
			v = max;
		else
			v = (int32_t)below(rng, (uint32_t)max + 1);
		w->values[w->sheet.n_values++] = (struct sheet_value){ c, k, 0, v };
	}
	return c;
}

/* The weighted total of contestant c from the definition, in exact
 * rationals: sum(score / max × weight) points, rounded half up once.
 * Module scores are recomputed from the values, the maxima are the test's. */
static int64_t wx_oracle_total(const struct wx *w, uint32_t c, int64_t *module_c)
{
	mpq_t sum, term;
	mpz_t num, den;
	mpq_inits(sum, term, NULL);
	mpz_inits(num, den, NULL);
	for (uint32_t m = 0; m < w->sheet.n_modules; m++)
		module_c[m] = 0;
	for (size_t i = 0; i < w->sheet.n_values; i++) {
		const struct sheet_value *v = &w->values[i];
		if (v->contestant != c)
			continue;
		const struct sheet_criterion *k = &w->criteria[v->criterion];
		module_c[k->module] += k->method == METHOD_DEDUCTION ? -v->value_c : v->value_c;
	}
	for (uint32_t m = 0; m < w->sheet.n_modules; m++) {
		if (module_c[m] < 0)
			module_c[m] = 0;
		/* score_c / max_c × weight points = score_c × weight × 100 / max_c hundredths */
		mpz_set_ui(num, (unsigned long)module_c[m]);
		mpz_mul_ui(num, num, (unsigned long)w->modules[m].weight * 100);
		mpz_set_ui(den, (unsigned long)w->max_c[m]);
		mpq_set_num(term, num);
		mpq_set_den(term, den);
		mpq_canonicalize(term);
		mpq_add(sum, sum, term);
	}
	/* floor(p / q + 1/2) = floor((2p + q) / 2q) */
	mpz_mul_2exp(num, mpq_numref(sum), 1);
	mpz_add(num, num, mpq_denref(sum));
	mpz_mul_2exp(den, mpq_denref(sum), 1);
	mpz_fdiv_q(num, num, den);
	assert_true(mpz_fits_slong_p(num));
	int64_t total = mpz_get_si(num);
	mpq_clears(sum, term, NULL);
	mpz_clears(num, den, NULL);
	return total;
}

/* Scores the event and checks every module score and total against the
 * oracle. Returns whether the common denominator of the weighted maxima
 * is past the 128-bit path's bound (about 8.5 × 10^33, scoring.h). */
static bool wx_check(struct wx *w)
{
	struct result *r = NULL;
	struct ct_err err;
	ct_err_clear(&err);
	if (score_event(&w->sheet, &r, &err) != CT_OK)
		fail_msg("score_event failed: %s", err.msg);
	for (uint32_t c = 0; c < w->sheet.n_contestants; c++) {
		int64_t module_c[WX_MODULES];
		int64_t want = wx_oracle_total(w, c, module_c);
		const struct result_entry *e = NULL;
		for (uint32_t p = 0; p < w->sheet.n_contestants; p++)
			if (r->entries[p].contestant == c)
				e = &r->entries[p];
		assert_non_null(e);
		if (e->total_c != want)
			fail_msg("total of %s: %lld, oracle %lld (%u modules)", w->keys[c],
				 (long long)e->total_c, (long long)want, w->sheet.n_modules);
		for (uint32_t m = 0; m < w->sheet.n_modules; m++)
			assert_int_equal(r->module_c[(size_t)c * w->sheet.n_modules + m], module_c[m]);
	}
	for (uint32_t m = 0; m < w->sheet.n_modules; m++)
		assert_int_equal(r->module_max_c[m], w->max_c[m]);
	result_free(r);

	mpz_t lcm, bound;
	mpz_init_set_ui(lcm, 1);
	mpz_init_set_ui(bound, 1);
	mpz_mul_2exp(bound, bound, 126);
	mpz_sub_ui(bound, bound, 1);
	mpz_fdiv_q_ui(bound, bound, 10000);
	for (uint32_t m = 0; m < w->sheet.n_modules; m++)
		if (w->modules[m].weight > 0)
			mpz_lcm_ui(lcm, lcm, (unsigned long)w->max_c[m]);
	bool big = mpz_cmp(lcm, bound) > 0;
	mpz_clears(lcm, bound, NULL);
	return big;
}

static bool is_prime(int64_t n)
{
	if (n < 2)
		return false;
	for (int64_t d = 2; d * d <= n; d++)
		if (n % d == 0)
			return false;
	return true;
}

/* 30 modules whose maxima are the 30 largest primes of hundredths a
 * criterion may have (pairwise coprime, so the common denominator is their
 * product, about 10^240), with deductions in some: the sheet of the issue
 * that 128 bits could not weight. */
static void test_weighted_exact_30_primes(void **state)
{
	(void)state;
	uint64_t rng = UINT64_C(0x30930);
	struct wx *w = wx_new();
	int64_t p = DEC_MAX_C;
	for (uint32_t m = 0; m < WX_MODULES; m++) {
		while (!is_prime(p))
			p--;
		wx_module(w, m < 10 ? 4 : 3, p); /* 10 × 4 + 20 × 3 = 100 */
		if (m % 3 == 0)
			wx_criterion(w, m, METHOD_DEDUCTION, (int32_t)(p / 2));
		p--;
	}
	assert_int_equal(w->max_c[0], 99999989);
	wx_contestant(w, &rng, 0);                /* nothing: 0.00 */
	wx_contestant(w, &rng, 1);                /* every max: exactly 100.00 */
	while (w->sheet.n_contestants < WX_CONTESTANTS)
		wx_contestant(w, &rng, 2);
	assert_true(wx_check(w));
	/* By hand: the empty and the full sheet. */
	struct result *r = NULL;
	struct ct_err err;
	assert_int_equal(score_event(&w->sheet, &r, &err), CT_OK);
	for (uint32_t p2 = 0; p2 < w->sheet.n_contestants; p2++) {
		if (r->entries[p2].contestant == 0)
			assert_int_equal(r->entries[p2].total_c, 0);
		if (r->entries[p2].contestant == 1)
			assert_int_equal(r->entries[p2].total_c, 10000);
	}
	result_free(r);
	free(w);
}

/* Half a hundredth on a sheet that needs GMP: module A (max 2.00, weight 1)
 * at 0.01 gives 0.01 / 2 × 1 = 0.005 points, which rounds up to 0.01; five
 * modules of coprime maxima near 1,000,000.00 push the denominator past
 * 128 bits. */
static void test_weighted_exact_half_past_128_bits(void **state)
{
	(void)state;
	uint64_t rng = 1;
	static const int64_t primes[5] = { 99999989, 99999971, 99999959, 99999941, 99999931 };
	struct wx *w = wx_new();
	wx_module(w, 1, 200);
	for (int i = 0; i < 5; i++)
		wx_module(w, i < 4 ? 20 : 19, primes[i]);
	uint32_t c = wx_contestant(w, &rng, 0);
	w->values[c * w->sheet.n_criteria + 0].value_c = 1;            /* A: 0.01 of 2.00 */
	c = wx_contestant(w, &rng, 0);
	w->values[c * w->sheet.n_criteria + 0].value_c = 1;
	w->values[c * w->sheet.n_criteria + 1].value_c = (int32_t)primes[0]; /* B full: 20.00 */
	c = wx_contestant(w, &rng, 0);
	w->values[c * w->sheet.n_criteria + 0].value_c = 3;            /* 0.03 / 2 = 0.015 -> 0.02 */
	assert_true(wx_check(w));
	struct result *r = NULL;
	struct ct_err err;
	assert_int_equal(score_event(&w->sheet, &r, &err), CT_OK);
	static const int64_t want[3] = { 1, 2001, 2 };
	for (uint32_t p = 0; p < 3; p++)
		assert_int_equal(r->entries[p].total_c, want[r->entries[p].contestant]);
	result_free(r);
	free(w);
}

/* Both sides of the 128-bit path's bound: three prime maxima near
 * 1,000,000.00 and a fourth module whose max puts the common denominator
 * just under the bound, then just over it. Each total against the oracle. */
static void test_weighted_exact_at_128_bit_bound(void **state)
{
	(void)state;
	static const int64_t primes[3] = { 99999989, 99999971, 99999959 };
	const __int128 bound = ((((__int128)1 << 126) - 1) / 10000);
	__int128 prod = (__int128)primes[0] * primes[1] * primes[2];
	int64_t under = (int64_t)(bound / prod);    /* about 85 × 10^8 hundredths */
	while (under % primes[0] == 0 || under % primes[1] == 0 || under % primes[2] == 0)
		under--;
	int64_t over = (int64_t)(bound / prod) + 1;
	while (over % primes[0] == 0 || over % primes[1] == 0 || over % primes[2] == 0)
		over++;
	const int64_t fourth[2] = { under, over };
	for (int side = 0; side < 2; side++) {
		uint64_t rng = UINT64_C(0xb0) + (uint64_t)side;
		struct wx *w = wx_new();
		for (int i = 0; i < 3; i++)
			wx_module(w, 25, primes[i]);
		wx_module(w, 25, fourth[side]);
		wx_contestant(w, &rng, 1);
		while (w->sheet.n_contestants < WX_CONTESTANTS)
			wx_contestant(w, &rng, 2);
		assert_int_equal(wx_check(w), side == 1);
		free(w);
	}
}

/* Random sheets of 1 to 30 weighted modules with any maxima in hundredths
 * (one to three criteria each, deductions included) and any weights adding
 * up to 100: every total as the oracle says. Before GMP, most sheets of 16
 * such modules were refused as "too unlike to weight exactly". */
static void test_weighted_exact_random_sheets(void **state)
{
	(void)state;
	uint64_t rng = UINT64_C(0x9e1ed);
	int big = 0, small = 0;
	for (int round = 0; round < 300; round++) {
		struct wx *w = wx_new();
		uint32_t n_modules = 1 + below(&rng, WX_MODULES);
		int32_t left = 100;
		for (uint32_t m = 0; m < n_modules; m++) {
			int32_t weight = m + 1 == n_modules ? left : (int32_t)below(&rng, (uint32_t)left / 2 + 1);
			left -= weight;
			uint32_t kind = below(&rng, 4);
			int64_t max = kind == 0 ? 1 + below(&rng, 1000)           /* up to 10.00 */
				    : kind == 1 ? 1 + below(&rng, (uint32_t)DEC_MAX_C)
				    : kind == 2 ? DEC_MAX_C
						: DEC_MAX_C + 1 + below(&rng, (uint32_t)DEC_MAX_C);
			uint32_t mod = wx_module(w, weight, max);
			if (below(&rng, 3) == 0)
				wx_criterion(w, mod, METHOD_DEDUCTION, (int32_t)(1 + below(&rng, 100000)));
		}
		for (int c = 0; c < 8; c++)
			wx_contestant(w, &rng, c == 0 ? 1 : 2);
		if (wx_check(w))
			big++;
		else
			small++;
		free(w);
	}
	/* Both the 128-bit path and GMP were exercised. */
	assert_true(big > 50);
	assert_true(small > 50);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_round_trip),
		cmocka_unit_test(test_tiebreak_check),
		cmocka_unit_test(test_ratios_parse),
		cmocka_unit_test(test_mean),
		cmocka_unit_test(test_judgement),
		cmocka_unit_test(test_trimmed),
		cmocka_unit_test(test_median),
		cmocka_unit_test(test_measurement),
		cmocka_unit_test(test_measurement_disagreeing),
		cmocka_unit_test(test_deductions_floor_module),
		cmocka_unit_test(test_unweighted_total),
		cmocka_unit_test(test_weighted_total_30_70),
		cmocka_unit_test(test_weighted_zero_weight_and_deduction),
		cmocka_unit_test(test_large_marks),
		cmocka_unit_test(test_recused_judges),
		cmocka_unit_test(test_all_judges_recused),
		cmocka_unit_test(test_completeness),
		cmocka_unit_test(test_missing_order),
		cmocka_unit_test(test_discrepancy_thresholds),
		cmocka_unit_test(test_discrepancy_other_limits),
		cmocka_unit_test(test_discrepancy_accepts),
		cmocka_unit_test(test_accepted_value_stands),
		cmocka_unit_test(test_shared_ranks),
		cmocka_unit_test(test_tiebreak_module),
		cmocka_unit_test(test_tiebreak_criterion),
		cmocka_unit_test(test_tiebreak_time),
		cmocka_unit_test(test_awards_spec_example),
		cmocka_unit_test(test_awards_tie_spans_tiers),
		cmocka_unit_test(test_awards_cutoff_rounding),
		cmocka_unit_test(test_min_award),
		cmocka_unit_test(test_unranked_statuses),
		cmocka_unit_test(test_empty_events),
		cmocka_unit_test(test_invalid_weights),
		cmocka_unit_test(test_invalid_tiebreak),
		cmocka_unit_test(test_invalid_values),
		cmocka_unit_test(test_invalid_indices),
		cmocka_unit_test(test_invalid_sheet_fields),
		cmocka_unit_test(test_sheet_check),
		cmocka_unit_test(test_sheet_module_max),
		cmocka_unit_test(test_random_events),
		cmocka_unit_test(test_grouped_values),
		cmocka_unit_test(test_many_blocks),
		cmocka_unit_test(test_weighted_exact_30_primes),
		cmocka_unit_test(test_weighted_exact_half_past_128_bits),
		cmocka_unit_test(test_weighted_exact_at_128_bit_bound),
		cmocka_unit_test(test_weighted_exact_random_sheets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
