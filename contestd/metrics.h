/* Counters and histograms for /metrics (Prometheus text format 0.0.4):
 * requests by route and status, latency and size histograms. Histograms
 * may be fed from any thread; request counts from the event loop only. */
#ifndef CONTESTD_METRICS_H
#define CONTESTD_METRICS_H

#include <event2/buffer.h>
#include <stddef.h>
#include <stdint.h>

enum metric_hist {
	METRIC_SUBMIT_SECONDS,    /* a judge's submission, from its request to its answer */
	METRIC_BATCH_SIZE,        /* submissions in one group commit */
	METRIC_COMMIT_SECONDS,    /* a group commit, BEGIN to the end of COMMIT */
	METRIC_FSYNC_SECONDS,     /* one fdatasync of the database or its WAL */
	METRIC_HISTS
};

struct metrics;

/* Metrics for n_routes routes (route indices 0..n_routes-1; -1 counts as
 * "no route"). */
struct metrics *metrics_new(size_t n_routes);
void metrics_free(struct metrics *m); /* NULL is a no-op */

/* Counts one answered request (loop thread). */
void metrics_request(struct metrics *m, int route, int status);

/* Adds one observation to a histogram (any thread). */
void metrics_observe(struct metrics *m, enum metric_hist h, double v);

/* Appends the counters and histograms to out; route_names[i] names route i. */
void metrics_write(struct metrics *m, struct evbuffer *out, const char *const *route_names);

/* Appends one gauge or counter of another module (name without the
 * contestd_ prefix; help one line). */
void metrics_gauge(struct evbuffer *out, const char *name, const char *help, double v);
void metrics_counter(struct evbuffer *out, const char *name, const char *help, uint64_t v);

#endif
