/* Judge statistics of one event (issue 7 item 11): per judge and
 * criterion, how many values the judge gave, how far the judge's values lie
 * from the rest of the panel on average, how often the judge is the highest
 * or the lowest, and how often the judge's value makes a discrepancy. Pure
 * computation over the scoring engine's input (struct sheet), exact. */
#ifndef CONTEST_JUDGESTATS_H
#define CONTEST_JUDGESTATS_H

#include <stdbool.h>
#include <stdint.h>

#include "scoring.h"
#include "status.h"

/* Only values of competed contestants count, and not those of a judge
 * recused from the contestant (the engine ignores them too). A "cell" is
 * one contestant on one criterion. */
struct judge_stat {
	uint32_t n_values;       /* values the judge gave */
	uint32_t compared;       /* of them, in cells where another judge gave a value too */
	bool has_deviation;      /* mean_dev_c is defined: compared > 0 (and, for panels of
				  * over 40 judges, the exact sum fits 128 bits) */
	int64_t mean_dev_c;      /* mean over compared cells of (the judge's value - the mean
				  * of the other values), hundredths, rounded half up (away
				  * from zero) once from the exact rational */
	uint32_t highest;        /* compared cells where the value is above every other value */
	uint32_t lowest;         /* compared cells where it is below every other value */
	uint32_t discrepancies;  /* discrepant cells that would not be discrepant without
				  * the judge's value (two judges who disagree both count) */
};

struct judge_stats {
	uint32_t n_judges;       /* sheet.n_judges */
	uint32_t n_criteria;     /* sheet.n_criteria */
	struct judge_stat *by_criterion; /* [judge * n_criteria + criterion] */
	struct judge_stat *total;        /* [judge]: the counts summed over criteria; no deviation
					  * (criteria have different maxima) */
};

/* Computes the statistics of the sheet's judges. CT_INVALID when the sheet
 * names an index out of range. On success *out is new; judge_stats_free
 * frees it. */
enum ct_status judge_stats_compute(const struct sheet *s, struct judge_stats **out, struct ct_err *err);

/* Frees statistics; NULL is a no-op. */
void judge_stats_free(struct judge_stats *st);

#endif
