/* The group-commit queue for score submissions. */
#include "commit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xmalloc.h"

struct commit_queue {
	struct event_base *base;
	struct store *store;
	struct event *ev;           /* activated when the queue becomes non-empty */
	struct commit_job *head, *tail;
	int max_batch;
	uint64_t batches, jobs;
};

/* What a job's answer will be once the batch is committed. */
struct outcome {
	int status;
	char *text;                 /* JSON text */
	bool replay;
};

static void on_pass(evutil_socket_t fd, short what, void *arg);

struct commit_queue *commit_new(struct event_base *base, struct store *st, int max_batch)
{
	struct commit_queue *q = xcalloc(1, sizeof *q);
	q->base = base;
	q->store = st;
	q->max_batch = max_batch > 0 ? max_batch : 1;
	q->ev = event_new(base, -1, 0, on_pass, q);
	return q;
}

void commit_submit(struct commit_queue *q, struct commit_job *job)
{
	job->next = NULL;
	if (q->tail)
		q->tail->next = job;
	else
		q->head = job;
	q->tail = job;
	/* Runs after the callbacks already active in this loop pass, so every
	 * request read in this pass joins the same transaction. */
	if (!event_pending(q->ev, EV_TIMEOUT, NULL))
		event_active(q->ev, EV_TIMEOUT, 0);
}

/* Applies one job inside the open transaction. */
static void apply(struct commit_queue *q, struct commit_job *job, struct outcome *out)
{
	struct ct_err err;
	ct_err_clear(&err);
	unsigned char sum[32];
	int status = 0;
	char *response = NULL;
	enum ct_status rc = store_idem_get(q->store, job->actor, job->idem_key, sum, &status, &response, &err);
	if (rc == CT_OK) {
		if (memcmp(sum, job->body_sum, sizeof sum) == 0) {
			*out = (struct outcome){status, response, true};
			return;
		}
		free(response);
		ct_fail(&err, CT_CONFLICT, "Idempotency-Key %s was already used for a different submission",
			job->idem_key);
		*out = (struct outcome){409, http_error_text(CT_CONFLICT, &err), false};
		return;
	}
	if (rc != CT_NOT_FOUND)
		goto fail;
	rc = store_savepoint(q->store, &err);
	if (rc != CT_OK)
		goto fail;
	struct score_ack ack;
	rc = store_score_put(q->store, job->actor, &job->put, &ack, &err);
	if (rc == CT_OK) {
		char *text = job->encode(job, &ack);
		rc = store_idem_put(q->store, job->actor, job->idem_key, job->body_sum, 201, text, &err);
		if (rc == CT_OK) {
			store_savepoint_release(q->store);
			*out = (struct outcome){201, text, false};
			return;
		}
		free(text);
	}
	store_savepoint_rollback(q->store);
fail:
	err.index = -1;
	*out = (struct outcome){http_status_of(rc), http_error_text(rc, &err), false};
}

static void run_batch(struct commit_queue *q)
{
	struct commit_job *batch = q->head, *last = batch;
	int n = 1;
	while (last->next && n < q->max_batch) {
		last = last->next;
		n++;
	}
	q->head = last->next;
	if (!q->head)
		q->tail = NULL;
	last->next = NULL;

	struct outcome *outs = xcalloc((size_t)n, sizeof *outs);
	struct ct_err err;
	ct_err_clear(&err);
	enum ct_status rc = store_begin(q->store, &err);
	if (rc == CT_OK) {
		int i = 0;
		for (struct commit_job *j = batch; j; j = j->next)
			apply(q, j, &outs[i++]);
		rc = store_commit(q->store, &err);
	}
	if (rc != CT_OK) {
		log_msg("group commit of %d submissions failed: %s", n, err.msg);
		struct ct_err fail;
		ct_err_clear(&fail);
		ct_fail(&fail, CT_UNAVAILABLE, "the database could not commit (%s); nothing was stored, retry",
			err.msg);
		for (int i = 0; i < n; i++) {
			free(outs[i].text);
			outs[i] = (struct outcome){503, http_error_text(CT_UNAVAILABLE, &fail), false};
		}
	}
	q->batches++;
	q->jobs += (uint64_t)n;
	int i = 0;
	for (struct commit_job *j = batch, *next; j; j = next) {
		next = j->next;
		http_reply_text(j->req, outs[i].status, outs[i].text, outs[i].replay);
		free(outs[i].text);
		i++;
		free(j);
	}
	free(outs);
}

static void on_pass(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct commit_queue *q = arg;
	if (q->head)
		run_batch(q);
	if (q->head)
		event_active(q->ev, EV_TIMEOUT, 0);
}

void commit_flush(struct commit_queue *q)
{
	while (q->head)
		run_batch(q);
}

void commit_stats(const struct commit_queue *q, uint64_t *batches, uint64_t *jobs)
{
	*batches = q->batches;
	*jobs = q->jobs;
}

void commit_free(struct commit_queue *q)
{
	if (!q)
		return;
	commit_flush(q);
	event_free(q->ev);
	free(q);
}
