/* Results of an event: its data from the store run through the scoring
 * engine, cached per event and recomputed only when the event's
 * data_version has changed since the last computation. */
#ifndef CONTESTD_RESULTS_H
#define CONTESTD_RESULTS_H

#include "judgestats.h"
#include "progress.h"
#include "scoring.h"
#include "store.h"

struct results_cache;

struct computed {
	struct event_data *data;  /* the event as loaded, with values */
	struct result *res;       /* the engine's result over data */
	uint32_t *panel;          /* panel[j] = index into data->judges of sheet judge j
				   * (the scoring judges: not chiefs, not withdrawn) */
	uint32_t n_panel;
};

/* A cache keeping computed events of max_values values in all at most
 * (the least recently asked for dropped first; the event just computed is
 * always kept). */
struct results_cache *results_new(size_t max_values);
void results_free(struct results_cache *c); /* NULL is a no-op */

/* Returns the event's current results in *out (owned by the cache, valid
 * until the next results_get). CT_NOT_FOUND for an unknown event;
 * CT_CONFLICT when its score sheet is not consistent yet. */
enum ct_status results_get(struct results_cache *c, struct store *st, const char *event,
			   const struct computed **out, struct ct_err *err);

/* The judge statistics of a computed event; sheet judge j of the result is
 * comp->data->judges[comp->panel[j]]. *out is new; judge_stats_free frees it. */
enum ct_status results_judge_stats(const struct computed *comp, struct judge_stats **out, struct ct_err *err);

/* The progress of a computed event, over the same sheet judges as its
 * result. *out is new; progress_free frees it. */
enum ct_status results_progress(const struct computed *comp, struct progress **out, struct ct_err *err);

/* Statistics for metrics: computations done and cache hits. */
void results_stats(const struct results_cache *c, uint64_t *computed, uint64_t *hits);

#endif
