/* The audit check in a thread: the thread owns a read-only connection for
 * the duration of one check and writes one byte to a pipe when done; the
 * loop then joins it and answers. Nothing else is shared while it runs. */
#include "verify.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "xmalloc.h"

struct verifier {
	struct event_base *base;
	char *path;
	int pipe[2];              /* the thread writes one byte when done */
	struct event *ev;         /* reading pipe[0] on the loop */
	bool running;
	pthread_t thread;
	/* the running check: set before the thread starts, read after the join */
	struct store *reader;
	struct request *req;
	verify_done_fn done;
	bool with_cp;
	struct audit_checkpoint cp;
	enum ct_status rc;
	struct audit_verdict verdict;
	struct ct_err err;
};

static void *run(void *arg)
{
	struct verifier *v = arg;
	v->rc = store_audit_verify(v->reader, v->with_cp ? &v->cp : NULL, &v->verdict, &v->err);
	ssize_t n;
	do
		n = write(v->pipe[1], "x", 1);
	while (n < 0 && errno == EINTR);
	return NULL;
}

/* Joins the thread and releases what the check used; the caller answers. */
static void finish(struct verifier *v)
{
	char byte;
	pthread_join(v->thread, NULL);
	while (read(v->pipe[0], &byte, 1) < 0 && errno == EINTR)
		;
	store_close(v->reader);
	v->reader = NULL;
	v->running = false;
}

static void on_done(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct verifier *v = arg;
	if (!v->running)
		return;
	finish(v);
	v->done(v->req, v->rc, &v->verdict, v->with_cp ? &v->cp : NULL, &v->err);
}

struct verifier *verifier_new(struct event_base *base, const char *db_path)
{
	struct verifier *v = xcalloc(1, sizeof *v);
	v->base = base;
	v->path = xstrdup(db_path);
	v->pipe[0] = v->pipe[1] = -1;
	if (pipe2(v->pipe, O_CLOEXEC | O_NONBLOCK) != 0)
		log_msg("audit verification is unavailable: pipe: %s", strerror(errno));
	else if (!(v->ev = event_new(base, v->pipe[0], EV_READ | EV_PERSIST, on_done, v)) || event_add(v->ev, NULL) != 0)
		log_msg("audit verification is unavailable: cannot watch its pipe");
	return v;
}

enum ct_status verifier_start(struct verifier *v, struct request *req, const struct audit_checkpoint *cp,
			      verify_done_fn done, struct ct_err *err)
{
	if (!v->ev)
		return ct_fail(err, CT_UNAVAILABLE, "audit verification is unavailable (see contestd's log)");
	if (v->running)
		return ct_fail(err, CT_UNAVAILABLE, "an audit verification is running already; try again when it is done");
	enum ct_status rc = store_open_reader(v->path, &v->reader, err);
	if (rc != CT_OK)
		return rc == CT_UNAVAILABLE ? rc : CT_UNAVAILABLE;
	v->req = req;
	v->done = done;
	v->with_cp = cp != NULL;
	if (cp)
		v->cp = *cp;
	ct_err_clear(&v->err);
	if (pthread_create(&v->thread, NULL, run, v) != 0) {
		store_close(v->reader);
		v->reader = NULL;
		return ct_fail(err, CT_UNAVAILABLE, "cannot start the audit verification: %s", strerror(errno));
	}
	v->running = true;
	return CT_OK;
}

void verifier_flush(struct verifier *v)
{
	if (!v || !v->running)
		return;
	store_interrupt(v->reader);
	finish(v);
	struct ct_err err;
	ct_err_clear(&err);
	ct_fail(&err, CT_UNAVAILABLE, "contestd is shutting down; run audit verify again when it is back");
	v->done(v->req, CT_UNAVAILABLE, &v->verdict, v->with_cp ? &v->cp : NULL, &err);
}

void verifier_free(struct verifier *v)
{
	if (!v)
		return;
	verifier_flush(v);
	if (v->ev)
		event_free(v->ev);
	for (int i = 0; i < 2; i++)
		if (v->pipe[i] >= 0)
			close(v->pipe[i]);
	free(v->path);
	free(v);
}
