/* The writer: one thread with its own connection to the database. It
 * commits judges' score submissions in groups (all submissions queued while
 * the previous group committed go into one transaction and one fsync, each
 * answered only after that commit) and runs the other writes handed to it
 * (imports) between groups, while the event loop keeps reading and
 * parsing requests. Idempotency keys are checked and recorded inside the
 * same transaction; a failed commit fails its whole group (CT_UNAVAILABLE).
 * Outcomes go back to the event loop through each job's callback, called
 * on the loop thread after the commit: the queue never answers a request
 * and picks no HTTP status. The writer also copies the WAL into the
 * database (a checkpoint) between groups, once it has grown. */
#ifndef CONTESTD_COMMIT_H
#define CONTESTD_COMMIT_H

#include <event2/event.h>
#include <stdbool.h>

#include "store.h"

struct commit_queue;
struct metrics;
struct versions;

/* One score submission. */
struct commit_job {
	/* Set by the submitter. The strings (and put's) are borrowed: they
	 * must stay unchanged until done has run (read by the writer thread). */
	const char *actor;
	const char *idem_key;
	unsigned char body_sum[32];  /* hash of the request, for the idempotency check */
	struct score_put put;
	int ok_status;               /* stored with the idempotency record of a success */
	/* Encodes the answer of a success (writer thread): a new string. */
	char *(*encode)(const struct commit_job *job, const struct score_ack *ack);
	/* Called once on the loop thread with the outcome; it frees the job
	 * (commit_job_free). */
	void (*done)(struct commit_job *job);
	void *arg;                   /* the submitter's */
	/* The outcome, set before done runs. */
	enum ct_status rc;           /* CT_OK: stored (or replayed); else err says why */
	struct ct_err err;
	struct score_ack ack;        /* with CT_OK and not replay */
	bool replay;                 /* the key was used before for the same request */
	int status;                  /* with replay: the status stored with the first answer */
	char *text;                  /* with CT_OK: the answer (new or stored); the job owns it */
	uint64_t values_gen;         /* with CT_OK and not replay: the generation of the judge's
				      * values of the event after the commit (versions.h) */
	struct commit_job *next;     /* the queue's */
};

/* Starts the writer thread on its own connection to db_path (opened here).
 * At most max_batch submissions share a transaction. Commits report to v
 * (the store's commit hook) and their sizes and times to m (may be NULL). */
enum ct_status commit_new(struct event_base *base, const char *db_path, int max_batch, struct versions *v,
			  struct metrics *m, struct commit_queue **out, struct ct_err *err);

/* A zeroed job (from a free list kept by q); loop thread only. */
struct commit_job *commit_job_new(struct commit_queue *q);

/* Returns a job to the free list, freeing its text; loop thread only. */
void commit_job_free(struct commit_queue *q, struct commit_job *job);

/* Queues a job; its done runs on the loop after the commit. */
void commit_submit(struct commit_queue *q, struct commit_job *job);

/* Other work for the writer connection, run alone between groups (on the
 * writer thread: run opens its own transactions through the store), then
 * done(arg, rc, err) on the loop thread. */
typedef enum ct_status (*commit_run_fn)(struct store *st, void *arg, struct ct_err *err);
typedef void (*commit_done_fn)(void *arg, enum ct_status rc, const struct ct_err *err);
void commit_call(struct commit_queue *q, commit_run_fn run, commit_done_fn done, void *arg);

/* For a run in progress (writer thread): how far it is, in rows, for
 * /metrics and /healthz. */
void commit_progress(struct commit_queue *q, size_t done, size_t total);

struct commit_stats {
	uint64_t batches, jobs, calls; /* committed (or failed) so far */
	size_t queued;               /* submissions and calls waiting */
	bool busy;                   /* the writer is committing now */
	size_t run_done, run_total;  /* rows of the run in progress (0, 0: none) */
	int wal_frames;              /* pages in the WAL after the last commit or checkpoint */
};

/* Counts, from any thread. */
void commit_stats(struct commit_queue *q, struct commit_stats *out);

/* True when nothing is queued, running or waiting to be answered. */
bool commit_idle(struct commit_queue *q);

/* Finishes what is queued, answers it (done callbacks run here), stops the
 * thread and frees the queue. NULL is a no-op. */
void commit_free(struct commit_queue *q);

#endif
