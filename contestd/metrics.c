/* Prometheus text for the daemon's counters and histograms. */
#include "metrics.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

/* The statuses contestd answers with, each counted apart; anything else
 * counts as "other". */
static const int statuses[] = {200, 201, 204, 304, 400, 401, 403, 404, 405, 409, 413, 415, 429, 500, 503};
#define N_STATUS (sizeof statuses / sizeof statuses[0] + 1)

#define N_BUCKETS 14

struct hist_def {
	const char *name, *help;
	double le[N_BUCKETS];     /* upper bounds, ascending; +Inf implied after */
};

static const struct hist_def hists[METRIC_HISTS] = {
	[METRIC_SUBMIT_SECONDS] = {"submission_seconds", "Judges' score submissions, from the request to the answer (after the commit).",
				   {0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10}},
	[METRIC_BATCH_SIZE] = {"commit_batch_size", "Score submissions committed together in one transaction (group commit).",
			       {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 100000}},
	[METRIC_COMMIT_SECONDS] = {"commit_seconds", "Group commits, from BEGIN to the end of COMMIT (WAL write and fdatasync).",
				   {0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10}},
	[METRIC_FSYNC_SECONDS] = {"fdatasync_seconds", "fdatasync calls on the database and its WAL.",
				  {0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 5}},
};

struct hist {
	_Atomic uint64_t bucket[N_BUCKETS + 1];
	_Atomic uint64_t sum_micro;  /* the sum of observations, in millionths */
};

struct metrics {
	size_t n_routes;
	uint64_t *requests;       /* [(n_routes + 1) * N_STATUS], the last row: no route */
	struct hist hist[METRIC_HISTS];
};

struct metrics *metrics_new(size_t n_routes)
{
	struct metrics *m = xcalloc(1, sizeof *m);
	m->n_routes = n_routes;
	m->requests = xcalloc((n_routes + 1) * N_STATUS, sizeof *m->requests);
	return m;
}

void metrics_free(struct metrics *m)
{
	if (!m)
		return;
	free(m->requests);
	free(m);
}

void metrics_request(struct metrics *m, int route, int status)
{
	size_t r = route >= 0 && (size_t)route < m->n_routes ? (size_t)route : m->n_routes;
	size_t s = N_STATUS - 1;
	for (size_t i = 0; i + 1 < N_STATUS; i++)
		if (statuses[i] == status)
			s = i;
	m->requests[r * N_STATUS + s]++;
}

void metrics_observe(struct metrics *m, enum metric_hist h, double v)
{
	if (!m)
		return;
	struct hist *x = &m->hist[h];
	size_t b = 0;
	while (b < N_BUCKETS && v > hists[h].le[b])
		b++;
	atomic_fetch_add_explicit(&x->bucket[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&x->sum_micro, (uint64_t)(v > 0 ? v * 1e6 + 0.5 : 0), memory_order_relaxed);
}

/* A label value with \, " and line breaks escaped. */
static void label(struct evbuffer *out, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			evbuffer_add_printf(out, "\\%c", *v);
		else if (*v == '\n')
			evbuffer_add(out, "\\n", 2);
		else
			evbuffer_add(out, v, 1);
	}
}

void metrics_write(struct metrics *m, struct evbuffer *out, const char *const *route_names)
{
	evbuffer_add_printf(out, "# HELP contestd_requests_total HTTP requests answered, by route and status.\n"
				 "# TYPE contestd_requests_total counter\n");
	for (size_t r = 0; r <= m->n_routes; r++) {
		for (size_t s = 0; s < N_STATUS; s++) {
			uint64_t n = m->requests[r * N_STATUS + s];
			if (!n)
				continue;
			evbuffer_add_printf(out, "contestd_requests_total{route=\"");
			label(out, r < m->n_routes ? route_names[r] : "none");
			if (s + 1 < N_STATUS)
				evbuffer_add_printf(out, "\",status=\"%d\"} %llu\n", statuses[s], (unsigned long long)n);
			else
				evbuffer_add_printf(out, "\",status=\"other\"} %llu\n", (unsigned long long)n);
		}
	}
	for (int h = 0; h < METRIC_HISTS; h++) {
		struct hist *x = &m->hist[h];
		evbuffer_add_printf(out, "# HELP contestd_%s %s\n# TYPE contestd_%s histogram\n", hists[h].name,
				    hists[h].help, hists[h].name);
		uint64_t cum = 0;
		for (size_t b = 0; b <= N_BUCKETS; b++) {
			cum += atomic_load_explicit(&x->bucket[b], memory_order_relaxed);
			if (b < N_BUCKETS)
				evbuffer_add_printf(out, "contestd_%s_bucket{le=\"%g\"} %llu\n", hists[h].name,
						    hists[h].le[b], (unsigned long long)cum);
			else
				evbuffer_add_printf(out, "contestd_%s_bucket{le=\"+Inf\"} %llu\n", hists[h].name,
						    (unsigned long long)cum);
		}
		/* the count is the +Inf bucket, so that the two always agree */
		evbuffer_add_printf(out, "contestd_%s_sum %.6f\ncontestd_%s_count %llu\n", hists[h].name,
				    (double)atomic_load(&x->sum_micro) / 1e6, hists[h].name, (unsigned long long)cum);
	}
}

void metrics_gauge(struct evbuffer *out, const char *name, const char *help, double v)
{
	evbuffer_add_printf(out, "# HELP contestd_%s %s\n# TYPE contestd_%s gauge\ncontestd_%s %.17g\n", name, help,
			    name, name, v);
}

void metrics_counter(struct evbuffer *out, const char *name, const char *help, uint64_t v)
{
	evbuffer_add_printf(out, "# HELP contestd_%s %s\n# TYPE contestd_%s counter\ncontestd_%s %llu\n", name, help,
			    name, name, (unsigned long long)v);
}
