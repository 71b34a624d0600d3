/* Judge statistics: the values are grouped by cell (contestant, criterion);
 * within a cell each judge's value is compared with the others'. The mean
 * deviation is kept exact as sums of (m v - S) per panel size m, so that
 * mean = (1 / compared) * sum over m of sum(m v - S) / (m - 1). */
#include "judgestats.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "xmalloc.h"

/* Largest common denominator of the panel sizes used for an exact mean. */
#define LCM_MAX ((__int128)1 << 62)

struct item {
	uint32_t contestant, criterion, judge;
	int32_t value_c;
};

static int cmp_item(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	if (x->contestant != y->contestant)
		return x->contestant < y->contestant ? -1 : 1;
	if (x->criterion != y->criterion)
		return x->criterion < y->criterion ? -1 : 1;
	if (x->value_c != y->value_c)
		return x->value_c < y->value_c ? -1 : 1;
	return (x->judge > y->judge) - (x->judge < y->judge);
}

static __int128 gcd(__int128 a, __int128 b)
{
	while (b) {
		__int128 t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* The values that count, by cell and ascending value. */
static enum ct_status collect(const struct sheet *s, struct item **out, size_t *n, struct ct_err *err)
{
	struct item *items = xcalloc(s->n_values ? s->n_values : 1, sizeof *items);
	size_t k = 0;
	for (size_t i = 0; i < s->n_values; i++) {
		const struct sheet_value *v = &s->values[i];
		if (v->contestant >= s->n_contestants || v->criterion >= s->n_criteria || v->judge >= s->n_judges) {
			free(items);
			return ct_fail(err, CT_INVALID, "value #%zu names contestant #%u, criterion #%u, judge #%u: index "
				       "out of range", i, v->contestant, v->criterion, v->judge);
		}
		const struct sheet_contestant *c = &s->contestants[v->contestant];
		if (c->status != ENTRY_COMPETED || (c->org != 0 && s->judges[v->judge].org == c->org))
			continue;
		items[k++] = (struct item){v->contestant, v->criterion, v->judge, v->value_c};
	}
	qsort(items, k, sizeof *items, cmp_item);
	*out = items;
	*n = k;
	return CT_OK;
}

/* Folds the cell items[0..m) (one contestant and criterion, ascending) into
 * the statistics; dev[(j * n_criteria + k) * (n_judges) + m - 1] sums m v - S. */
static void fold_cell(const struct sheet *s, const struct item *items, size_t m, struct judge_stats *st,
		      int64_t *dev)
{
	uint32_t k = items[0].criterion;
	const struct sheet_criterion *crit = &s->criteria[k];
	int64_t sum = 0;
	for (size_t p = 0; p < m; p++)
		sum += items[p].value_c;
	bool discrepant = m >= 2 && score_discrepant(crit->method, crit->max_c, s->discrepancy_pct, items[0].value_c,
						     items[m - 1].value_c);
	for (size_t p = 0; p < m; p++) {
		const struct item *it = &items[p];
		struct judge_stat *js = &st->by_criterion[(size_t)it->judge * s->n_criteria + k];
		js->n_values++;
		if (m < 2)
			continue;
		js->compared++;
		dev[((size_t)it->judge * s->n_criteria + k) * s->n_judges + (m - 1)] += (int64_t)m * it->value_c - sum;
		int32_t others_low = p == 0 ? items[1].value_c : items[0].value_c;
		int32_t others_high = p == m - 1 ? items[m - 2].value_c : items[m - 1].value_c;
		js->highest += it->value_c > others_high;
		js->lowest += it->value_c < others_low;
		bool without = m - 1 >= 2 && score_discrepant(crit->method, crit->max_c, s->discrepancy_pct, others_low,
							      others_high);
		js->discrepancies += discrepant && !without;
	}
}

/* The exact mean deviation from the sums per panel size. */
static void mean_deviation(struct judge_stat *js, const int64_t *dev, uint32_t n_judges)
{
	if (js->compared == 0)
		return;
	__int128 lcm = 1;
	for (uint32_t q = 1; q < n_judges; q++) {
		if (dev[q] == 0)
			continue; /* adds nothing to the sum */
		lcm = lcm / gcd(lcm, q) * q;
		if (lcm > LCM_MAX)
			return; /* sizes over 40 in one sum: not exact in 128 bits, left undefined */
	}
	__int128 num = 0;
	for (uint32_t q = 1; q < n_judges; q++)
		num += (__int128)dev[q] * (lcm / q);
	/* |mean| <= the largest max mark: the quotient always fits. */
	js->has_deviation = dec_div_round(num, (__int128)js->compared * lcm, &js->mean_dev_c, NULL) == CT_OK;
	assert(js->has_deviation);
}

enum ct_status judge_stats_compute(const struct sheet *s, struct judge_stats **out, struct ct_err *err)
{
	struct item *items = NULL;
	size_t n = 0;
	enum ct_status rc = collect(s, &items, &n, err);
	if (rc != CT_OK)
		return rc;
	struct judge_stats *st = xcalloc(1, sizeof *st);
	st->n_judges = s->n_judges;
	st->n_criteria = s->n_criteria;
	size_t cells = (size_t)s->n_judges * s->n_criteria;
	st->by_criterion = xcalloc(cells ? cells : 1, sizeof *st->by_criterion);
	st->total = xcalloc(s->n_judges ? s->n_judges : 1, sizeof *st->total);
	int64_t *dev = xcalloc(cells && s->n_judges ? cells * s->n_judges : 1, sizeof *dev);

	for (size_t lo = 0, hi; lo < n; lo = hi) {
		for (hi = lo + 1; hi < n && items[hi].contestant == items[lo].contestant &&
				  items[hi].criterion == items[lo].criterion; hi++)
			;
		fold_cell(s, items + lo, hi - lo, st, dev);
	}
	for (uint32_t j = 0; j < s->n_judges; j++) {
		struct judge_stat *t = &st->total[j];
		for (uint32_t k = 0; k < s->n_criteria; k++) {
			size_t c = (size_t)j * s->n_criteria + k;
			struct judge_stat *js = &st->by_criterion[c];
			mean_deviation(js, dev + c * s->n_judges, s->n_judges);
			t->n_values += js->n_values;
			t->compared += js->compared;
			t->highest += js->highest;
			t->lowest += js->lowest;
			t->discrepancies += js->discrepancies;
		}
	}
	free(dev);
	free(items);
	*out = st;
	return CT_OK;
}

void judge_stats_free(struct judge_stats *st)
{
	if (!st)
		return;
	free(st->by_criterion);
	free(st->total);
	free(st);
}
