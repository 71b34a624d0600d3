/* Progress from the engine's list of missing values and the panel. */
#include "progress.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

static bool per_judge(enum method m)
{
	return m != METHOD_MEASUREMENT && m != METHOD_DEDUCTION;
}

/* The counts a chief judge sees: a recused judge who still misses values
 * of a criterion counts as missing on it for the colleague contestants too. */
static void blind_counts(const struct sheet *s, struct progress *p)
{
	uint32_t nk = s->n_criteria, nc = s->n_contestants;
	memcpy(p->blind, p->incomplete, (size_t)nc * nk * sizeof *p->blind);
	for (uint32_t j = 0; j < s->n_judges; j++) {
		uint32_t org = s->judges[j].org;
		for (uint32_t k = 0; org && k < nk; k++) {
			if (!p->judges[j].missing_by_criterion[k])
				continue;
			for (uint32_t i = 0; i < nc; i++)
				if (s->contestants[i].status == ENTRY_COMPETED && s->contestants[i].org == org)
					p->blind[(size_t)i * nk + k]++;
		}
	}
	for (uint32_t i = 0; i < nc; i++) {
		bool open = false;
		for (uint32_t k = 0; k < nk && !open; k++)
			open = p->blind[(size_t)i * nk + k] > 0;
		p->blind_complete += s->contestants[i].status == ENTRY_COMPETED && !open;
	}
}

enum ct_status progress_compute(const struct sheet *s, const struct result *r, struct progress **out,
				struct ct_err *err)
{
	uint32_t nk = s->n_criteria, nj = s->n_judges, nc = s->n_contestants;
	for (size_t i = 0; i < r->n_missing; i++) {
		const struct missing *m = &r->missing[i];
		if (m->contestant >= nc || m->criterion >= nk || (m->judge != UINT32_MAX && m->judge >= nj))
			return ct_fail(err, CT_INVALID, "missing value #%zu is out of range of the sheet", i);
	}
	struct progress *p = xcalloc(1, sizeof *p);
	p->n_judges = nj;
	p->n_criteria = nk;
	p->n_contestants = nc;
	p->judges = xcalloc(nj ? nj : 1, sizeof *p->judges);
	p->counts = xcalloc((size_t)nj * nk + 1, sizeof *p->counts);
	p->incomplete = xcalloc((size_t)nc * nk + 1, sizeof *p->incomplete);
	p->blind = xcalloc((size_t)nc * nk + 1, sizeof *p->blind);

	uint32_t judged = 0, measured = 0; /* criteria scored by each judge; measurement criteria */
	for (uint32_t k = 0; k < nk; k++) {
		judged += per_judge(s->criteria[k].method);
		measured += s->criteria[k].method == METHOD_MEASUREMENT;
	}
	for (uint32_t i = 0; i < nc; i++)
		p->competed += s->contestants[i].status == ENTRY_COMPETED;
	for (uint32_t j = 0; j < nj; j++) {
		struct judge_progress *jp = &p->judges[j];
		jp->missing_by_criterion = &p->counts[(size_t)j * nk];
		uint32_t recused = 0;
		uint32_t org = s->judges[j].org;
		for (uint32_t i = 0; org && i < nc; i++)
			recused += s->contestants[i].status == ENTRY_COMPETED && s->contestants[i].org == org;
		jp->required = (p->competed - recused) * judged;
		p->required += jp->required;
	}
	p->required += p->competed * measured;
	for (size_t i = 0; i < r->n_missing; i++) {
		const struct missing *m = &r->missing[i];
		p->incomplete[(size_t)m->contestant * nk + m->criterion]++;
		p->missing++;
		if (m->judge != UINT32_MAX) {
			p->judges[m->judge].missing++;
			p->judges[m->judge].missing_by_criterion[m->criterion]++;
		} else if (per_judge(s->criteria[m->criterion].method)) {
			p->required++; /* owed by nobody: every judge is recused */
		}
	}
	for (uint32_t i = 0; i < nc; i++)
		p->complete += r->entries[i].complete;
	blind_counts(s, p);
	*out = p;
	return CT_OK;
}

void progress_free(struct progress *p)
{
	if (!p)
		return;
	free(p->judges);
	free(p->counts);
	free(p->incomplete);
	free(p->blind);
	free(p);
}
