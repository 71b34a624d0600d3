/* The organizers' backup: the copy in a thread, the answer from the loop
 * (the pattern of verify.c: the thread writes one byte to a pipe when done;
 * nothing else is shared while it runs). */
#include "backup.h"

#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "http.h"
#include "log.h"
#include "store.h"
#include "xmalloc.h"

static struct {
	int pipe[2];
	struct event *ev;
	bool running;
	pthread_t thread;
	/* the copy being made: set before the thread starts, read after the join */
	struct store *reader;
	struct request *req;
	char *tmp;                 /* the copy's name until it is unlinked */
	int fd;                    /* the copy, open */
	enum ct_status rc;
	struct ct_err err;
	char sha256[2 * crypto_hash_sha256_BYTES + 1];
} b = {{-1, -1}, NULL, false, 0, NULL, NULL, NULL, -1, CT_OK, {{0}, -1, {0}}, {0}};

/* SHA-256 of the copy, read from its descriptor. */
static enum ct_status hash_copy(struct ct_err *err)
{
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	static unsigned char buf[1 << 16];
	off_t off = 0;
	for (;;) {
		ssize_t n = pread(b.fd, buf, sizeof buf, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return ct_fail(err, CT_INTERNAL, "cannot read the copy: %s", strerror(errno));
		if (n == 0)
			break;
		crypto_hash_sha256_update(&h, buf, (unsigned long long)n);
		off += n;
	}
	unsigned char sum[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&h, sum);
	sodium_bin2hex(b.sha256, sizeof b.sha256, sum, sizeof sum);
	return CT_OK;
}

static void *run(void *arg)
{
	(void)arg;
	b.rc = store_snapshot(b.reader, b.tmp, &b.err);
	if (b.rc == CT_OK)
		b.rc = hash_copy(&b.err);
	ssize_t n;
	do
		n = write(b.pipe[1], "x", 1);
	while (n < 0 && errno == EINTR);
	return NULL;
}

/* Joins the thread, releases the reader and the copy's name; the caller
 * answers and then closes or hands over b.fd. */
static void finish(void)
{
	char byte;
	pthread_join(b.thread, NULL);
	while (read(b.pipe[0], &byte, 1) < 0 && errno == EINTR)
		;
	store_close(b.reader);
	b.reader = NULL;
	unlink(b.tmp); /* the open descriptor keeps the copy until it is sent */
	free(b.tmp);
	b.tmp = NULL;
	b.running = false;
}

static void on_done(evutil_socket_t sock, short what, void *arg)
{
	(void)sock;
	(void)what;
	(void)arg;
	if (!b.running)
		return;
	finish();
	struct request *req = b.req;
	struct stat sb;
	if (b.rc == CT_OK && fstat(b.fd, &sb) != 0)
		b.rc = ct_fail(&b.err, CT_INTERNAL, "cannot read the copy: %s", strerror(errno));
	if (b.rc != CT_OK) {
		log_msg("backup failed: %s", b.err.msg);
		close(b.fd);
		b.fd = -1;
		http_reply_error(req, b.rc == CT_UNAVAILABLE ? CT_UNAVAILABLE : CT_INTERNAL, &b.err);
		return;
	}
	log_msg("backup of %lld bytes (SHA-256 %s) sent to %s", (long long)sb.st_size, b.sha256, req->who.actor);
	http_set_header(req, "X-Content-SHA256", b.sha256);
	http_set_header(req, "Content-Disposition", "attachment; filename=\"contest-backup.db\"");
	int fd = b.fd;
	b.fd = -1;
	http_reply_file(req, "application/vnd.sqlite3", fd, (size_t)sb.st_size);
}

void api_backup_post(struct request *req)
{
	struct app *app = req->app;
	struct ct_err err;
	ct_err_clear(&err);
	if (!b.ev) {
		if (pipe2(b.pipe, O_CLOEXEC | O_NONBLOCK) != 0 ||
		    !(b.ev = event_new(app->base, b.pipe[0], EV_READ | EV_PERSIST, on_done, NULL)) ||
		    event_add(b.ev, NULL) != 0) {
			backup_free();
			http_reply_error(req, ct_fail(&err, CT_INTERNAL, "cannot start a backup: %s", strerror(errno)), &err);
			return;
		}
	}
	if (b.running) {
		http_reply_error(req, ct_fail(&err, CT_UNAVAILABLE, "a backup is being made already; try again when it is done"),
				 &err);
		return;
	}
	enum ct_status rc = store_open_reader(app->cfg.db_path, &b.reader, &err);
	if (rc != CT_OK) {
		http_reply_error(req, CT_UNAVAILABLE, &err);
		return;
	}
	/* beside the database: the same disk, as private (umask 077) */
	b.tmp = xasprintf("%s.backup-XXXXXX", app->cfg.db_path);
	b.fd = mkstemp(b.tmp);
	if (b.fd < 0) {
		ct_fail(&err, CT_UNAVAILABLE, "cannot create the copy %s: %s", b.tmp, strerror(errno));
		store_close(b.reader);
		b.reader = NULL;
		free(b.tmp);
		b.tmp = NULL;
		http_reply_error(req, CT_UNAVAILABLE, &err);
		return;
	}
	b.req = req;
	b.rc = CT_OK;
	ct_err_clear(&b.err);
	int e = pthread_create(&b.thread, NULL, run, NULL);
	if (e != 0) {
		ct_fail(&err, CT_UNAVAILABLE, "cannot start the backup: %s", strerror(e));
		store_close(b.reader);
		b.reader = NULL;
		unlink(b.tmp);
		free(b.tmp);
		b.tmp = NULL;
		close(b.fd);
		b.fd = -1;
		http_reply_error(req, CT_UNAVAILABLE, &err);
		return;
	}
	b.running = true;
}

void backup_flush(void)
{
	if (!b.running)
		return;
	store_interrupt(b.reader);
	finish();
	close(b.fd);
	b.fd = -1;
	struct ct_err err;
	ct_err_clear(&err);
	ct_fail(&err, CT_UNAVAILABLE, "contestd is shutting down; make the backup again when it is back");
	http_reply_error(b.req, CT_UNAVAILABLE, &err);
}

void backup_free(void)
{
	backup_flush();
	if (b.ev)
		event_free(b.ev);
	b.ev = NULL;
	for (int i = 0; i < 2; i++) {
		if (b.pipe[i] >= 0)
			close(b.pipe[i]);
		b.pipe[i] = -1;
	}
}
