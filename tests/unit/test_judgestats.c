/* Unit tests of judge statistics (core/judgestats.h) and of the progress
 * matrix (core/progress.h) on small sheets whose every figure is worked
 * out by hand in the comments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "judgestats.h"
#include "progress.h"

static const struct sheet_module one_module[] = {{"A", -1}};

/* k0 mean (max 10, limit 20 %: spread 2.00), k1 measurement (max 5),
 * k2 judgement (max 10). Judges j0, j1 (organization 7), j2. Contestants
 * c0, c1 (organization 7: j1 is recused), c2 absent. */
static const struct sheet_criterion crits3[] = {
	{"K0", 0, METHOD_MEAN, 1000},
	{"K1", 0, METHOD_MEASUREMENT, 500},
	{"K2", 0, METHOD_JUDGEMENT, 1000},
};
static const struct sheet_contestant people3[] = {
	{"c0", ENTRY_COMPETED, -1, 0},
	{"c1", ENTRY_COMPETED, -1, 7},
	{"c2", ENTRY_ABSENT, -1, 0},
};
static const struct sheet_judge panel3[] = {{0}, {7}, {0}};
static const struct sheet_value values3[] = {
	/* K0: c0 8, 7, 6 (spread 2: at the limit, no discrepancy);
	 *     c1 5 and 9 (j1's 1 is from a recused judge and does not count):
	 *     a discrepancy of two values, both judges make it;
	 *     c2 is absent and does not count */
	{0, 0, 0, 800}, {0, 0, 1, 700}, {0, 0, 2, 600},
	{1, 0, 0, 500}, {1, 0, 2, 900}, {1, 0, 1, 100},
	{2, 0, 0, 100},
	/* K1: c0 4.5 and 4.5 agree; c1 3 and 3.5 disagree */
	{0, 1, 0, 450}, {0, 1, 1, 450},
	{1, 1, 0, 300}, {1, 1, 2, 350},
	/* K2: c0 3, 1, 2: spread 2 > 1; without j0 (1, 2) or j1 (3, 2) the
	 * spread is 1, without j2 (3, 1) still 2 */
	{0, 2, 0, 300}, {0, 2, 1, 100}, {0, 2, 2, 200},
};

static struct sheet sheet3(void)
{
	return (struct sheet){
		.modules = one_module, .n_modules = 1,
		.criteria = crits3, .n_criteria = 3,
		.contestants = people3, .n_contestants = 3,
		.judges = panel3, .n_judges = 3,
		.values = values3, .n_values = sizeof values3 / sizeof values3[0],
		.ratio_c = {1000, 2000, 3000}, .min_award_c = -1, .discrepancy_pct = 20,
	};
}

struct want {
	uint32_t n, compared;
	bool has_dev;
	int64_t dev_c;
	uint32_t high, low, disc;
};

static void assert_stat(const struct judge_stat *s, struct want w, const char *what)
{
	if (s->n_values != w.n || s->compared != w.compared || s->has_deviation != w.has_dev ||
	    (w.has_dev && s->mean_dev_c != w.dev_c) || s->highest != w.high || s->lowest != w.low ||
	    s->discrepancies != w.disc)
		fail_msg("%s: n %u compared %u dev %d:%lld high %u low %u disc %u; want %u %u %d:%lld %u %u %u", what,
			 s->n_values, s->compared, s->has_deviation, (long long)s->mean_dev_c, s->highest, s->lowest,
			 s->discrepancies, w.n, w.compared, w.has_dev, (long long)w.dev_c, w.high, w.low, w.disc);
}

static void test_stats_by_hand(void **state)
{
	(void)state;
	struct sheet s = sheet3();
	struct judge_stats *st = NULL;
	struct ct_err err;
	ct_err_clear(&err);
	assert_int_equal(judge_stats_compute(&s, &st, &err), CT_OK);
	assert_int_equal(st->n_judges, 3);
	assert_int_equal(st->n_criteria, 3);
	const struct judge_stat *b = st->by_criterion;
	/* K0, j0: c0 8 - mean(7, 6) = 1.5; c1 5 - 9 = -4; mean -1.25; highest
	 * on c0, lowest on c1, makes c1's discrepancy. */
	assert_stat(&b[0 * 3 + 0], (struct want){2, 2, true, -125, 1, 1, 1}, "j0 K0");
	/* j1: c0 only (recused from c1): 7 - mean(8, 6) = 0. */
	assert_stat(&b[1 * 3 + 0], (struct want){1, 1, true, 0, 0, 0, 0}, "j1 K0");
	/* j2: c0 6 - 7.5 = -1.5; c1 9 - 5 = 4; mean 1.25. */
	assert_stat(&b[2 * 3 + 0], (struct want){2, 2, true, 125, 1, 1, 1}, "j2 K0");
	/* K1, j0: c0 0 (agreeing is neither highest nor lowest); c1 3 - 3.5. */
	assert_stat(&b[0 * 3 + 1], (struct want){2, 2, true, -25, 0, 1, 1}, "j0 K1");
	assert_stat(&b[1 * 3 + 1], (struct want){1, 1, true, 0, 0, 0, 0}, "j1 K1");
	assert_stat(&b[2 * 3 + 1], (struct want){1, 1, true, 50, 1, 0, 1}, "j2 K1");
	/* K2 (judgement values 0..3): j0 3 - mean(1, 2) = 1.5; j1 1 - 2.5 =
	 * -1.5; j2 2 - 2 = 0. */
	assert_stat(&b[0 * 3 + 2], (struct want){1, 1, true, 150, 1, 0, 1}, "j0 K2");
	assert_stat(&b[1 * 3 + 2], (struct want){1, 1, true, -150, 0, 1, 1}, "j1 K2");
	assert_stat(&b[2 * 3 + 2], (struct want){1, 1, true, 0, 0, 0, 0}, "j2 K2");
	/* Totals: counts summed, no deviation. */
	assert_stat(&st->total[0], (struct want){5, 5, false, 0, 2, 2, 3}, "j0 total");
	assert_stat(&st->total[1], (struct want){3, 3, false, 0, 0, 1, 1}, "j1 total");
	assert_stat(&st->total[2], (struct want){4, 4, false, 0, 2, 1, 2}, "j2 total");
	judge_stats_free(st);
}

/* The mean is exact and rounded once, half away from zero: j0's
 * deviations 0.01, 0 and 0.005 average 0.005 -> 0.01; j1's -0.005, 0 and
 * -0.01 average -0.005 -> -0.01. A judge alone on a cell has none. */
static void test_stats_rounding(void **state)
{
	(void)state;
	static const struct sheet_criterion crit[] = {{"K", 0, METHOD_MEAN, 1000}};
	static const struct sheet_contestant people[] = {
		{"a", ENTRY_COMPETED, -1, 0}, {"b", ENTRY_COMPETED, -1, 0}, {"c", ENTRY_COMPETED, -1, 0},
		{"d", ENTRY_COMPETED, -1, 0},
	};
	static const struct sheet_judge panel[] = {{0}, {0}, {0}, {0}};
	static const struct sheet_value values[] = {
		/* a: 6.01, 6.00, 6.00 -> j0 +0.01, j1 -0.005 */
		{0, 0, 0, 601}, {0, 0, 1, 600}, {0, 0, 2, 600},
		/* b: 5, 5 -> 0 each */
		{1, 0, 0, 500}, {1, 0, 1, 500},
		/* c: 6.00, 5.99, 6.00 -> j0 +0.005, j1 -0.01 */
		{2, 0, 0, 600}, {2, 0, 1, 599}, {2, 0, 2, 600},
		/* d: j3 alone */
		{3, 0, 3, 700},
	};
	struct sheet s = {
		.modules = one_module, .n_modules = 1, .criteria = crit, .n_criteria = 1,
		.contestants = people, .n_contestants = 4, .judges = panel, .n_judges = 4,
		.values = values, .n_values = sizeof values / sizeof values[0],
		.ratio_c = {1000, 2000, 3000}, .min_award_c = -1, .discrepancy_pct = 20,
	};
	struct judge_stats *st = NULL;
	assert_int_equal(judge_stats_compute(&s, &st, NULL), CT_OK);
	assert_stat(&st->by_criterion[0], (struct want){3, 3, true, 1, 1, 0, 0}, "j0");
	assert_stat(&st->by_criterion[1], (struct want){3, 3, true, -1, 0, 1, 0}, "j1");
	assert_stat(&st->by_criterion[3], (struct want){1, 0, false, 0, 0, 0, 0}, "j3");
	judge_stats_free(st);

	/* An index out of range is refused. */
	static const struct sheet_value bad[] = {{0, 0, 9, 100}};
	s.values = bad;
	s.n_values = 1;
	struct ct_err err;
	ct_err_clear(&err);
	assert_int_equal(judge_stats_compute(&s, &st, &err), CT_INVALID);
	assert_non_null(strstr(err.msg, "judge #9"));
}

/* Progress of sheet3 after score_event: what each judge owes and lacks. */
static void test_progress_by_hand(void **state)
{
	(void)state;
	/* Drop some values: j2 gave nothing on K2 for c0; nobody gave K1 for
	 * c1. Add a deduction criterion K3 nobody scored: no value is no
	 * deduction, nothing missing. */
	static const struct sheet_criterion crits[] = {
		{"K0", 0, METHOD_MEAN, 1000}, {"K1", 0, METHOD_MEASUREMENT, 500},
		{"K2", 0, METHOD_JUDGEMENT, 1000}, {"K3", 0, METHOD_DEDUCTION, 200},
	};
	static const struct sheet_value values[] = {
		{0, 0, 0, 800}, {0, 0, 1, 700}, {0, 0, 2, 600},
		{1, 0, 0, 500}, {1, 0, 2, 900},
		{0, 1, 0, 450},
		{0, 2, 0, 300}, {0, 2, 1, 100},
		{1, 2, 0, 200},
	};
	struct sheet s = sheet3();
	s.criteria = crits;
	s.n_criteria = 4;
	s.values = values;
	s.n_values = sizeof values / sizeof values[0];
	struct result *r = NULL;
	struct progress *p = NULL;
	assert_int_equal(score_event(&s, &r, NULL), CT_OK);
	assert_int_equal(progress_compute(&s, r, &p, NULL), CT_OK);
	/* Per judge: K0 and K2 need each judge; c0 and c1 competed; j1 is
	 * recused from c1: j0 and j2 owe 4, j1 owes 2. Missing: j2 K2 of c0
	 * and of c1; j0 nothing; j1 nothing. */
	assert_int_equal(p->judges[0].required, 4);
	assert_int_equal(p->judges[0].missing, 0);
	assert_int_equal(p->judges[1].required, 2);
	assert_int_equal(p->judges[1].missing, 0);
	assert_int_equal(p->judges[2].required, 4);
	assert_int_equal(p->judges[2].missing, 2);
	assert_int_equal(p->judges[2].missing_by_criterion[2], 2);
	assert_int_equal(p->judges[2].missing_by_criterion[0], 0);
	/* Per contestant: c0 lacks j2's K2; c1 lacks K1 (measurement) and
	 * j2's K2; c2 (absent) nothing; K3 never. */
	assert_int_equal(p->incomplete[0 * 4 + 2], 1);
	assert_int_equal(p->incomplete[1 * 4 + 1], 1);
	assert_int_equal(p->incomplete[1 * 4 + 2], 1);
	assert_int_equal(p->incomplete[0 * 4 + 3] + p->incomplete[1 * 4 + 3], 0);
	assert_int_equal(p->incomplete[0 * 4 + 0] + p->incomplete[0 * 4 + 1] + p->incomplete[2 * 4 + 0], 0);
	/* Totals: 10 owed by judges + 2 measurement values; 3 missing. */
	assert_int_equal(p->competed, 2);
	assert_int_equal(p->complete, 0);
	assert_int_equal(p->required, 12);
	assert_int_equal(p->missing, 3);
	/* j1 (recused from c1) misses nothing: the chief sees the same counts. */
	assert_memory_equal(p->blind, p->incomplete, 3 * 4 * sizeof *p->blind);
	assert_int_equal(p->blind_complete, p->complete);
	progress_free(p);
	result_free(r);

	/* Now j1 misses K0 of c0. c1 needs nothing from j1 (recused), but a
	 * chief who saw c1's K0 complete while every other code waits for j1
	 * would learn that c1 is j1's colleague: the blind counts show c1's K0
	 * waiting too, until j1 is done with K0. */
	static const struct sheet_value lagging[] = {
		{0, 0, 0, 800}, {0, 0, 2, 600},
		{1, 0, 0, 500}, {1, 0, 2, 900},
	};
	static const struct sheet_criterion k0[] = {{"K0", 0, METHOD_MEAN, 1000}};
	s.criteria = k0;
	s.n_criteria = 1;
	s.values = lagging;
	s.n_values = 4;
	assert_int_equal(score_event(&s, &r, NULL), CT_OK);
	assert_int_equal(progress_compute(&s, r, &p, NULL), CT_OK);
	assert_int_equal(p->incomplete[0], 1); /* c0 lacks j1 */
	assert_int_equal(p->incomplete[1], 0); /* c1 needs nothing of j1 */
	assert_int_equal(p->blind[0], 1);
	assert_int_equal(p->blind[1], 1);      /* ... but looks as if it waited too */
	assert_int_equal(p->complete, 1);
	assert_int_equal(p->blind_complete, 0);
	progress_free(p);
	result_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats_by_hand),
		cmocka_unit_test(test_stats_rounding),
		cmocka_unit_test(test_progress_by_hand),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
