/* The writer thread: group commit of score submissions and the other
 * writes handed to it, on its own connection. The loop hands work over
 * under a mutex and a condition variable; the thread hands outcomes back
 * through a list and one byte on a pipe that the loop watches. */
#include "commit.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "guard.h"
#include "log.h"
#include "metrics.h"
#include "versions.h"
#include "xmalloc.h"

/* Another write handed to the writer. */
struct call {
	commit_run_fn run;
	commit_done_fn done;
	void *arg;
	enum ct_status rc;
	struct ct_err err;
	struct call *next;
};

struct commit_queue {
	struct event_base *base;
	struct store *store;          /* the writer connection; the writer thread's alone */
	struct versions *versions;
	struct metrics *metrics;
	int max_batch;
	pthread_t thread;
	bool started;
	int pipe[2];                  /* the thread writes a byte when outcomes are ready */
	struct event *ev;             /* the loop's watch on pipe[0] */

	pthread_mutex_t lock;         /* guards everything below */
	pthread_cond_t wake;          /* work queued, or stop */
	struct commit_job *head, *tail;  /* submissions waiting */
	size_t n_jobs;
	struct call *calls, *calls_tail; /* calls waiting */
	size_t n_calls;
	struct commit_job *done_jobs, *done_jobs_tail; /* outcomes for the loop */
	struct call *done_calls, *done_calls_tail;
	bool busy;                    /* the thread is running a group or a call */
	bool stop;
	bool call_next;               /* fairness: after a group, a waiting call goes first */
	bool wal_dirty;               /* committed since the WAL was last emptied */

	_Atomic uint64_t batches, jobs, n_run;
	_Atomic int wal_frames;       /* pages in the WAL after the last commit or checkpoint */
	_Atomic size_t run_done, run_total;
	size_t unanswered;            /* handed over, done not yet run (loop thread) */
	struct commit_job *free_jobs; /* the loop's free list */
	size_t n_free;
};

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ---- the writer thread ---- */

/* Applies one submission inside the open transaction. Returns false when
 * the group must fail: a database error after something was written. */
static bool apply(struct commit_queue *q, struct commit_job *job)
{
	struct store *st = q->store;
	unsigned char sum[32];
	int status = 0;
	char *stored = NULL;
	ct_err_clear(&job->err);
	enum ct_status rc = store_idem_get(st, job->actor, job->idem_key, sum, &status, &stored, &job->err);
	if (rc == CT_OK) {
		if (memcmp(sum, job->body_sum, sizeof sum) == 0) {
			job->rc = CT_OK;
			job->replay = true;
			job->status = status;
			job->text = stored;
			return true;
		}
		free(stored);
		ct_err_clear(&job->err);
		job->rc = ct_fail(&job->err, CT_CONFLICT,
				  "Idempotency-Key %s was already used for a different submission", job->idem_key);
		return true;
	}
	if (rc != CT_NOT_FOUND) {
		job->rc = rc;
		return false;
	}
	ct_err_clear(&job->err);
	int64_t before = store_total_changes(st);
	rc = store_score_put(st, job->actor, &job->put, &job->ack, &job->err);
	if (rc == CT_OK) {
		job->text = job->encode(job, &job->ack);
		rc = store_idem_put(st, job->actor, job->idem_key, job->body_sum, job->ok_status, job->text,
				    &job->err);
		if (rc != CT_OK) {
			free(job->text);
			job->text = NULL;
			job->rc = rc;
			return false;
		}
	}
	job->rc = rc;
	/* a refused value writes nothing (store_score_put checks first); a
	 * failure after a write leaves the transaction half done */
	return rc == CT_OK || store_total_changes(st) == before;
}

static void run_batch(struct commit_queue *q, struct commit_job *batch, size_t n)
{
	int64_t t0 = now_us();
	struct ct_err err;
	ct_err_clear(&err);
	/* a lost database (gone, replaced, a failed fsync) is not written to */
	enum ct_status rc = guard_failed(err.msg, sizeof err.msg) ? CT_UNAVAILABLE : store_begin(q->store, &err);
	if (rc == CT_OK) {
		for (struct commit_job *j = batch; j; j = j->next) {
			if (!apply(q, j)) {
				rc = j->rc != CT_OK ? j->rc : CT_INTERNAL;
				memcpy(&err, &j->err, sizeof err);
				break;
			}
		}
		if (rc == CT_OK)
			rc = store_commit(q->store, &err);
		else
			store_rollback(q->store);
		/* committed into a file that is no longer the database: not stored */
		if (rc == CT_OK && !guard_check())
			rc = guard_failed(err.msg, sizeof err.msg) ? CT_UNAVAILABLE : CT_INTERNAL;
	}
	if (rc == CT_OK && q->versions) {
		/* where each judge's values now stand, for the kept sheets */
		for (struct commit_job *j = batch; j; j = j->next) {
			uint64_t event_gen;
			if (j->rc == CT_OK && !j->replay)
				versions_get(q->versions, j->ack.event_id, j->ack.judge_id, &event_gen, &j->values_gen);
		}
	}
	if (rc != CT_OK) {
		log_msg("group commit of %zu submissions failed: %s", n, err.msg);
		for (struct commit_job *j = batch; j; j = j->next) {
			free(j->text);
			j->text = NULL;
			j->replay = false;
			ct_err_clear(&j->err);
			j->rc = ct_fail(&j->err, CT_UNAVAILABLE,
					"the database could not commit (%s); nothing was stored, retry", err.msg);
		}
	}
	metrics_observe(q->metrics, METRIC_BATCH_SIZE, (double)n);
	metrics_observe(q->metrics, METRIC_COMMIT_SECONDS, (double)(now_us() - t0) / 1e6);
	atomic_fetch_add(&q->batches, 1);
	atomic_fetch_add(&q->jobs, n);
}

static void wake_loop(struct commit_queue *q)
{
	ssize_t w;
	do
		w = write(q->pipe[1], "x", 1);
	while (w < 0 && errno == EINTR);
	/* EAGAIN: the pipe is full of wake-ups already; the loop drains them all */
}

/* A checkpoint copies the WAL into the database once it has grown this
 * many pages. The writer makes it itself, between groups, after their
 * answers are on their way (not inside a COMMIT, as SQLite's automatic
 * checkpoint would): under continuous commits only the writer can find the
 * WAL entirely copied when it starts a transaction, and so start it over
 * instead of letting it grow without end. */
#define CHECKPOINT_PAGES 2000

/* With no submission or import waiting, a checkpoint comes sooner, at this
 * many pages: a smaller one, which a submission arriving meanwhile waits
 * for less (at 1,000 submissions a second the 2,000-page ones put the p99
 * at over 100 ms). */
#define CHECKPOINT_QUIET_PAGES 250

/* After IDLE_CHECKPOINT_MS without work, the writer copies the whole WAL
 * and empties its file (a truncating checkpoint, given up at once if a
 * reader is in the way, and tried again a period later). */
#define IDLE_CHECKPOINT_MS 1000

/* A checkpoint when the WAL has grown past CHECKPOINT_PAGES (or
 * CHECKPOINT_QUIET_PAGES when quiet: nothing waits), or after any import
 * (large: the pages it wrote are copied while nothing waits), or, with
 * idle, an emptying one. */
static void checkpoint(struct commit_queue *q, bool after_call, bool quiet, bool idle)
{
	if (guard_failed(NULL, 0))
		return; /* after a failed fsync, nothing more is written */
	int frames = store_wal_frames(q->store), copied = 0;
	if (idle || frames >= (quiet ? CHECKPOINT_QUIET_PAGES : CHECKPOINT_PAGES) || (after_call && frames > 0)) {
		struct ct_err err;
		ct_err_clear(&err);
		if (store_checkpoint(q->store, idle, &frames, &copied, &err) != CT_OK)
			log_msg("checkpoint of the WAL failed: %s", err.msg);
		else if (idle && frames == 0)
			q->wal_dirty = false; /* the file is empty: nothing to do until the next commit */
	}
	atomic_store(&q->wal_frames, frames);
}

/* Waits for work on q->wake (lock held), at most IDLE_CHECKPOINT_MS when
 * the WAL holds commits: true when that time passed with nothing to do. */
static bool wait_work(struct commit_queue *q)
{
	if (!q->wal_dirty) {
		pthread_cond_wait(&q->wake, &q->lock);
		return false;
	}
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += IDLE_CHECKPOINT_MS / 1000;
	until.tv_nsec += (long)(IDLE_CHECKPOINT_MS % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	return pthread_cond_timedwait(&q->wake, &q->lock, &until) == ETIMEDOUT && !q->head && !q->calls && !q->stop;
}

static void *writer_main(void *arg)
{
	struct commit_queue *q = arg;
	pthread_mutex_lock(&q->lock);
	for (;;) {
		while (!q->head && !q->calls && !q->stop) {
			if (wait_work(q)) {
				q->busy = true;
				pthread_mutex_unlock(&q->lock);
				checkpoint(q, false, true, true);
				pthread_mutex_lock(&q->lock);
				q->busy = false;
			}
		}
		if (!q->head && !q->calls)
			break; /* stopping, and nothing left */
		bool after_call = q->calls && (q->call_next || !q->head);
		if (after_call) {
			struct call *c = q->calls;
			q->calls = c->next;
			if (!q->calls)
				q->calls_tail = NULL;
			q->n_calls--;
			q->busy = true;
			q->call_next = false;
			pthread_mutex_unlock(&q->lock);
			ct_err_clear(&c->err);
			if (guard_failed(c->err.msg, sizeof c->err.msg))
				c->rc = ct_fail(&c->err, CT_UNAVAILABLE, "%s", "the database is lost; nothing was stored");
			else if ((c->rc = c->run(q->store, c->arg, &c->err)) == CT_OK && !guard_check())
				c->rc = ct_fail(&c->err, CT_UNAVAILABLE, "%s", "the database is lost; nothing was stored");
			atomic_store(&q->run_done, 0);
			atomic_store(&q->run_total, 0);
			atomic_fetch_add(&q->n_run, 1);
			pthread_mutex_lock(&q->lock);
			c->next = NULL;
			if (q->done_calls_tail)
				q->done_calls_tail->next = c;
			else
				q->done_calls = c;
			q->done_calls_tail = c;
		} else {
			struct commit_job *batch = q->head, *last = batch;
			size_t n = 1;
			while (last->next && n < (size_t)q->max_batch) {
				last = last->next;
				n++;
			}
			q->head = last->next;
			if (!q->head)
				q->tail = NULL;
			last->next = NULL;
			q->n_jobs -= n;
			q->busy = true;
			q->call_next = q->calls != NULL;
			pthread_mutex_unlock(&q->lock);
			run_batch(q, batch, n);
			pthread_mutex_lock(&q->lock);
			if (q->done_jobs_tail)
				q->done_jobs_tail->next = batch;
			else
				q->done_jobs = batch;
			q->done_jobs_tail = last;
		}
		q->busy = false;
		q->wal_dirty = true;
		bool quiet = !q->head && !q->calls;
		pthread_mutex_unlock(&q->lock);
		wake_loop(q);
		checkpoint(q, after_call, quiet, false);
		pthread_mutex_lock(&q->lock);
	}
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

/* ---- the loop side ---- */

/* Runs the done callbacks of every outcome the thread has handed back. */
static void deliver(struct commit_queue *q)
{
	pthread_mutex_lock(&q->lock);
	struct commit_job *jobs = q->done_jobs;
	struct call *calls = q->done_calls;
	q->done_jobs = q->done_jobs_tail = NULL;
	q->done_calls = q->done_calls_tail = NULL;
	pthread_mutex_unlock(&q->lock);
	for (struct commit_job *j = jobs, *next; j; j = next) {
		next = j->next;
		q->unanswered--;
		if (j->rc == CT_OK && guard_failed(NULL, 0)) {
			/* committed, but the database was lost since (a failed fsync):
			 * nothing more is acknowledged; a retry with the same key after
			 * the restart is answered as the first one would have been */
			free(j->text);
			j->text = NULL;
			j->replay = false;
			ct_err_clear(&j->err);
			j->rc = ct_fail(&j->err, CT_UNAVAILABLE, "the database is lost; retry when contestd is back");
		}
		j->done(j);
	}
	for (struct call *c = calls, *next; c; c = next) {
		next = c->next;
		q->unanswered--;
		c->done(c->arg, c->rc, &c->err);
		free(c);
	}
}

static void on_ready(evutil_socket_t fd, short what, void *arg)
{
	(void)what;
	char buf[256];
	while (read(fd, buf, sizeof buf) > 0)
		;
	deliver(arg);
}

enum ct_status commit_new(struct event_base *base, const char *db_path, int max_batch, struct versions *v,
			  struct metrics *m, struct commit_queue **out, struct ct_err *err)
{
	struct commit_queue *q = xcalloc(1, sizeof *q);
	q->base = base;
	q->metrics = m;
	q->versions = v;
	q->max_batch = max_batch > 0 ? max_batch : 1;
	q->pipe[0] = q->pipe[1] = -1;
	pthread_mutex_init(&q->lock, NULL);
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&q->wake, &attr);
	pthread_condattr_destroy(&attr);
	enum ct_status rc = store_open(db_path, &q->store, err);
	if (rc == CT_OK)
		rc = store_no_autocheckpoint(q->store, err);

	if (rc == CT_OK) {
		if (v)
			store_on_commit(q->store, versions_note, v);
		if (pipe2(q->pipe, O_CLOEXEC | O_NONBLOCK) != 0)
			rc = ct_fail(err, CT_INTERNAL, "pipe: %s", strerror(errno));
	}
	if (rc == CT_OK && (!(q->ev = event_new(base, q->pipe[0], EV_READ | EV_PERSIST, on_ready, q)) ||
			    event_add(q->ev, NULL) != 0))
		rc = ct_fail(err, CT_INTERNAL, "cannot watch the writer's pipe");
	if (rc == CT_OK) {
		int e = pthread_create(&q->thread, NULL, writer_main, q);
		if (e != 0)
			rc = ct_fail(err, CT_INTERNAL, "cannot start the writer thread: %s", strerror(e));
		else
			pthread_setname_np(q->thread, "contestd-writer"); /* for top and perf */
		q->started = e == 0;
	}

	if (rc != CT_OK) {
		commit_free(q);
		return rc;
	}
	*out = q;
	return CT_OK;
}

struct commit_job *commit_job_new(struct commit_queue *q)
{
	struct commit_job *job = q->free_jobs;
	if (job) {
		q->free_jobs = job->next;
		q->n_free--;
		memset(job, 0, sizeof *job);
		return job;
	}
	return xcalloc(1, sizeof *job);
}

/* Jobs kept for reuse: enough for every connection's submission in flight. */
#define FREE_JOBS_MAX 4096

void commit_job_free(struct commit_queue *q, struct commit_job *job)
{
	free(job->text);
	job->text = NULL;
	if (q->n_free < FREE_JOBS_MAX) {
		q->n_free++;
		job->next = q->free_jobs;
		q->free_jobs = job;
		return;
	}
	free(job);
}

void commit_submit(struct commit_queue *q, struct commit_job *job)
{
	job->next = NULL;
	q->unanswered++;
	pthread_mutex_lock(&q->lock);
	if (q->tail)
		q->tail->next = job;
	else
		q->head = job;
	q->tail = job;
	q->n_jobs++;
	bool idle = !q->busy;
	pthread_mutex_unlock(&q->lock);
	/* a busy writer takes what has queued when its group is committed */
	if (idle)
		pthread_cond_signal(&q->wake);
}

void commit_call(struct commit_queue *q, commit_run_fn run, commit_done_fn done, void *arg)
{
	struct call *c = xcalloc(1, sizeof *c);
	*c = (struct call){run, done, arg, CT_OK, {{0}, -1, {0}}, NULL};
	q->unanswered++;
	pthread_mutex_lock(&q->lock);
	if (q->calls_tail)
		q->calls_tail->next = c;
	else
		q->calls = c;
	q->calls_tail = c;
	q->n_calls++;
	pthread_mutex_unlock(&q->lock);
	pthread_cond_signal(&q->wake);
}

void commit_progress(struct commit_queue *q, size_t done, size_t total)
{
	atomic_store(&q->run_done, done);
	atomic_store(&q->run_total, total);
}

void commit_stats(struct commit_queue *q, struct commit_stats *out)
{
	pthread_mutex_lock(&q->lock);
	out->queued = q->n_jobs + q->n_calls;
	out->busy = q->busy;
	pthread_mutex_unlock(&q->lock);
	out->batches = atomic_load(&q->batches);
	out->jobs = atomic_load(&q->jobs);
	out->calls = atomic_load(&q->n_run);
	out->run_done = atomic_load(&q->run_done);
	out->run_total = atomic_load(&q->run_total);
	out->wal_frames = atomic_load(&q->wal_frames);
}

bool commit_idle(struct commit_queue *q)
{
	return q->unanswered == 0;
}

void commit_free(struct commit_queue *q)
{
	if (!q)
		return;
	if (q->started) {
		pthread_mutex_lock(&q->lock);
		q->stop = true;
		pthread_mutex_unlock(&q->lock);
		pthread_cond_signal(&q->wake);
		pthread_join(q->thread, NULL);
		deliver(q);
	}
	if (q->ev)
		event_free(q->ev);
	for (int i = 0; i < 2; i++)
		if (q->pipe[i] >= 0)
			close(q->pipe[i]);
	store_close(q->store);
	while (q->free_jobs) {
		struct commit_job *j = q->free_jobs;
		q->free_jobs = j->next;
		free(j);
	}
	pthread_cond_destroy(&q->wake);
	pthread_mutex_destroy(&q->lock);
	free(q);
}
