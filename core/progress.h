/* Scoring progress of one event (the chief judge's matrix): per judge, the
 * values the judge owes (every competed contestant the judge is not recused
 * from, on every criterion scored by each judge: mean, trimmed, median,
 * judgement), how many are in and which criteria still lack some; per
 * contestant, the criteria still incomplete. Derived from the scoring
 * engine's input and result; pure. */
#ifndef CONTEST_PROGRESS_H
#define CONTEST_PROGRESS_H

#include <stdint.h>

#include "scoring.h"
#include "status.h"

struct judge_progress {
	uint32_t required;       /* values the judge owes */
	uint32_t missing;        /* of them, not entered yet */
	uint32_t *missing_by_criterion; /* [criterion] (points into progress.counts) */
};

struct progress {
	uint32_t n_judges, n_criteria, n_contestants;
	struct judge_progress *judges;   /* [judge] of the sheet */
	uint32_t *incomplete;            /* [contestant * n_criteria + criterion]: values still
					  * missing there (a measurement with none counts 1) */
	uint32_t *blind;                 /* the same as a chief judge may see it before the lock:
					  * a judge recused from the contestant counts as missing
					  * there while the judge still misses any value of that
					  * criterion elsewhere, so that a code finished early
					  * does not give away that the judge is a colleague */
	uint32_t blind_complete;         /* competed contestants with no blind count */
	uint32_t competed, complete;     /* competed contestants, and complete ones */
	uint32_t required, missing;      /* all values owed by judges, and missing; plus one per
					  * measurement criterion of a competed contestant */
	uint32_t *counts;                /* storage of missing_by_criterion */
};

/* Computes the progress of the sheet s from its result r (score_event of
 * s). Only s's contestants, criteria and judges are read, not its values.
 * *out is new; progress_free frees it. */
enum ct_status progress_compute(const struct sheet *s, const struct result *r, struct progress **out,
				struct ct_err *err);

void progress_free(struct progress *p); /* NULL is a no-op */

#endif
