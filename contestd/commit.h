/* Group commit of score submissions: handlers queue submissions; once per
 * pass of the event loop all queued ones are written in one transaction
 * (a savepoint each, so a bad one fails alone), committed with one fsync,
 * and only then answered. A failed commit answers 503 to its whole batch.
 * Idempotency keys are checked and recorded inside the same transaction. */
#ifndef CONTESTD_COMMIT_H
#define CONTESTD_COMMIT_H

#include <event2/event.h>

#include "http.h"
#include "store.h"

struct commit_queue;

struct commit_job {
	struct request *req;       /* answered after the commit */
	/* actor, idem_key and put's strings are borrowed from req (who, headers,
	 * path, body), which lives until the reply; nothing reads them after. */
	const char *actor;
	const char *idem_key;
	unsigned char body_sum[32];/* BLAKE2b of the request body */
	struct score_put put;
	/* Encodes the success answer (a new string, caller frees). */
	char *(*encode)(const struct commit_job *job, const struct score_ack *ack);
	struct commit_job *next;
};

/* Creates the queue; at most max_batch jobs share a transaction. */
struct commit_queue *commit_new(struct event_base *base, struct store *st, int max_batch);

/* Queues a job (taking ownership); it is answered after a later commit. */
void commit_submit(struct commit_queue *q, struct commit_job *job);

/* Commits and answers everything queued now (used when draining). */
void commit_flush(struct commit_queue *q);

/* Batches committed and jobs in them, for the log and metrics. */
void commit_stats(const struct commit_queue *q, uint64_t *batches, uint64_t *jobs);

/* Frees the queue; it must be empty (flush first). NULL is a no-op. */
void commit_free(struct commit_queue *q);

#endif
