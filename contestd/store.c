/* Opening the database, migrations, transactions, the statement cache and
 * the audit chain. */
#include "store_int.h"

#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "audit.h"
#include "embed.h"
#include "xmalloc.h"

extern const struct embed_file schema_files[];

int store_schema_latest(void)
{
	int n = 0;
	while (schema_files[n].name)
		n++;
	return n;
}

enum ct_status store_fail(struct store *st, int rc, struct ct_err *err)
{
	const char *msg = st && st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc);
	int primary = rc & 0xff;
	if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
		return ct_fail(err, CT_UNAVAILABLE, "database busy: %s", msg);
	if (primary == SQLITE_FULL)
		return ct_fail(err, CT_UNAVAILABLE, "database write failed: %s", msg);
	if (primary == SQLITE_IOERR)
		return ct_fail(err, CT_UNAVAILABLE, "the database could not be read or written: %s", msg);
	if (primary == SQLITE_READONLY || primary == SQLITE_CANTOPEN)
		return ct_fail(err, CT_UNAVAILABLE, "the database cannot be written: %s", msg);
	if (primary == SQLITE_CONSTRAINT)
		return ct_fail(err, CT_CONFLICT, "constraint violated: %s", msg);
	return ct_fail(err, CT_INTERNAL, "database error: %s", msg);
}

static size_t slot_of(const char *sql)
{
	uintptr_t p = (uintptr_t)sql;
	return (size_t)((p >> 3) * 2654435761u) % STORE_STMT_SLOTS;
}

sqlite3_stmt *store_stmt(struct store *st, const char *sql, struct ct_err *err)
{
	size_t i = slot_of(sql);
	for (size_t probes = 0; probes < STORE_STMT_SLOTS; probes++, i = (i + 1) % STORE_STMT_SLOTS) {
		if (st->stmts[i].sql == sql) {
			sqlite3_stmt *s = st->stmts[i].stmt;
			sqlite3_reset(s);
			sqlite3_clear_bindings(s);
			return s;
		}
		if (st->stmts[i].sql == NULL) {
			sqlite3_stmt *s = NULL;
			int rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
			if (rc != SQLITE_OK) {
				store_fail(st, rc, err);
				return NULL;
			}
			st->stmts[i].sql = sql;
			st->stmts[i].stmt = s;
			return s;
		}
	}
	ct_fail(err, CT_INTERNAL, "statement cache full");
	return NULL;
}

/* The index of parameter name of s; a name the statement lacks is a bug. */
static int param(sqlite3_stmt *s, const char *name)
{
	int i = sqlite3_bind_parameter_index(s, name);
	if (i == 0) {
		fprintf(stderr, "contestd: bug: no SQL parameter %s in: %s\n", name, sqlite3_sql(s));
		abort();
	}
	return i;
}

/* A bind fails only for want of memory (SQLITE_NOMEM), a value too big
 * (SQLITE_TOOBIG) or a misuse: out of memory aborts as xmalloc does, and
 * the others are programming errors; none may leave a parameter unbound
 * (NULL) for the statement to run with. */
static void bound(sqlite3_stmt *s, const char *name, int rc)
{
	if (rc == SQLITE_OK)
		return;
	fprintf(stderr, "contestd: cannot bind SQL parameter %s (%s) in: %s\n", name, sqlite3_errstr(rc),
		sqlite3_sql(s));
	abort();
}

void store_bind_text(sqlite3_stmt *s, const char *name, const char *v)
{
	if (v)
		bound(s, name, sqlite3_bind_text(s, param(s, name), v, -1, SQLITE_TRANSIENT));
	else
		bound(s, name, sqlite3_bind_null(s, param(s, name)));
}

void store_bind_int(sqlite3_stmt *s, const char *name, int64_t v)
{
	bound(s, name, sqlite3_bind_int64(s, param(s, name), v));
}

void store_bind_null(sqlite3_stmt *s, const char *name)
{
	bound(s, name, sqlite3_bind_null(s, param(s, name)));
}

void store_bind_blob(sqlite3_stmt *s, const char *name, const void *p, int n)
{
	bound(s, name, sqlite3_bind_blob(s, param(s, name), p, n, SQLITE_TRANSIENT));
}

enum ct_status store_exec_stmt(struct store *st, sqlite3_stmt *s, struct ct_err *err)
{
	int rc = sqlite3_step(s);
	enum ct_status ret = CT_OK;
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		ret = store_fail(st, rc, err);
	sqlite3_reset(s);
	return ret;
}

enum ct_status store_row(struct store *st, sqlite3_stmt *s, struct ct_err *err)
{
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		return CT_OK;
	/* store_fail reads the connection's message before the reset. */
	enum ct_status ret = rc == SQLITE_DONE ? CT_NOT_FOUND : store_fail(st, rc, err);
	sqlite3_reset(s);
	return ret;
}

bool store_next(struct store *st, sqlite3_stmt *s, enum ct_status *rc, struct ct_err *err)
{
	int src = sqlite3_step(s);
	if (src == SQLITE_ROW)
		return true;
	*rc = src == SQLITE_DONE ? CT_OK : store_fail(st, src, err);
	sqlite3_reset(s);
	return false;
}

char *store_col_dup(sqlite3_stmt *s, int col)
{
	const unsigned char *t = sqlite3_column_text(s, col);
	return t ? xstrdup((const char *)t) : NULL;
}

void store_col_copy(sqlite3_stmt *s, int col, char *buf, size_t n)
{
	const unsigned char *t = sqlite3_column_text(s, col);
	size_t len = t ? strlen((const char *)t) : 0;
	if (len >= n) {
		/* cut at a character boundary: the text stays UTF-8 for jansson */
		len = n - 1;
		while (len > 0 && (t[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(buf, t ? (const char *)t : "", len);
	buf[len] = '\0';
}

void store_now(char buf[32])
{
	/* formatted once a second per thread: a group commit stamps thousands */
	static _Thread_local time_t last = (time_t)-1;
	static _Thread_local char text[32];
	time_t t = time(NULL);
	if (t != last) {
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
		last = t;
	}
	memcpy(buf, text, 32);
}

static enum ct_status exec(struct store *st, const char *sql, struct ct_err *err)
{
	char *msg = NULL;
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		enum ct_status ret = store_fail(st, rc, err);
		if (err && msg)
			snprintf(err->msg, sizeof err->msg, "%s", msg);
		sqlite3_free(msg);
		return ret;
	}
	return CT_OK;
}

int store_schema_version(struct store *st)
{
	sqlite3_stmt *s = NULL;
	int v = -1;
	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

static enum ct_status migrate(struct store *st, struct ct_err *err)
{
	int have = store_schema_version(st);
	int latest = store_schema_latest();
	if (have < 0)
		return ct_fail(err, CT_INTERNAL, "cannot read the schema version");
	if (have > latest)
		return ct_fail(err, CT_CONFLICT,
			       "database schema version %d is newer than this contestd knows (%d); "
			       "use a newer contestd",
			       have, latest);
	for (int v = have; v < latest; v++) {
		enum ct_status rc = exec(st, "BEGIN IMMEDIATE", err);
		if (rc != CT_OK)
			return rc;
		rc = exec(st, (const char *)schema_files[v].data, err);
		if (rc == CT_OK) {
			char pragma[64];
			snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
			rc = exec(st, pragma, err);
		}
		if (rc == CT_OK)
			rc = exec(st, "COMMIT", err);
		if (rc != CT_OK) {
			char msg[sizeof err->msg];
			snprintf(msg, sizeof msg, "%s", err ? err->msg : "");
			exec(st, "ROLLBACK", NULL);
			return ct_fail(err, rc, "migration %s failed: %s", schema_files[v].name, msg);
		}
	}
	return CT_OK;
}

/* ---- timing syncs ----
 * A VFS that passes everything to the default one (unix) and times xSync,
 * the fdatasync of every commit, for /metrics. Registered as the default
 * before the first database is opened. */

static sqlite3_vfs *real_vfs;
static store_sync_fn sync_observer;
static store_sync_error_fn sync_error;
static sqlite3_vfs timed_vfs;
static pthread_once_t timed_once = PTHREAD_ONCE_INIT;

struct timed_file {
	sqlite3_file base;        /* pMethods: timed_methods */
	sqlite3_file *real;       /* the default VFS's file, allocated right after */
};

#define REAL(f) (((struct timed_file *)(f))->real)

static int t_close(sqlite3_file *f) { return REAL(f)->pMethods->xClose(REAL(f)); }
static int t_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o) { return REAL(f)->pMethods->xRead(REAL(f), b, n, o); }
static int t_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o) { return REAL(f)->pMethods->xWrite(REAL(f), b, n, o); }
static int t_truncate(sqlite3_file *f, sqlite3_int64 n) { return REAL(f)->pMethods->xTruncate(REAL(f), n); }
static int t_size(sqlite3_file *f, sqlite3_int64 *n) { return REAL(f)->pMethods->xFileSize(REAL(f), n); }
static int t_lock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int t_unlock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int t_reserved(sqlite3_file *f, int *r) { return REAL(f)->pMethods->xCheckReservedLock(REAL(f), r); }
static int t_control(sqlite3_file *f, int op, void *a) { return REAL(f)->pMethods->xFileControl(REAL(f), op, a); }
static int t_sector(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int t_device(sqlite3_file *f) { return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)); }
static int t_shm_map(sqlite3_file *f, int pg, int sz, int ext, void volatile **p) { return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, ext, p); }
static int t_shm_lock(sqlite3_file *f, int o, int n, int fl) { return REAL(f)->pMethods->xShmLock(REAL(f), o, n, fl); }
static void t_shm_barrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int t_shm_unmap(sqlite3_file *f, int del) { return REAL(f)->pMethods->xShmUnmap(REAL(f), del); }
static int t_fetch(sqlite3_file *f, sqlite3_int64 o, int n, void **p) { return REAL(f)->pMethods->xFetch(REAL(f), o, n, p); }
static int t_unfetch(sqlite3_file *f, sqlite3_int64 o, void *p) { return REAL(f)->pMethods->xUnfetch(REAL(f), o, p); }

static int t_sync(sqlite3_file *f, int flags)
{
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	int rc = REAL(f)->pMethods->xSync(REAL(f), flags);
	clock_gettime(CLOCK_MONOTONIC, &b);
	store_sync_fn fn = sync_observer;
	if (fn)
		fn((double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9);
	store_sync_error_fn efn = sync_error;
	if (rc != SQLITE_OK && efn)
		efn(sqlite3_errstr(rc));
	return rc;
}

/* One table per io_methods version the default VFS may give a file: the
 * wrapper must not claim methods the real file lacks. */
static const sqlite3_io_methods timed_methods[4] = {
	{0},
	{1, t_close, t_read, t_write, t_truncate, t_sync, t_size, t_lock, t_unlock, t_reserved, t_control, t_sector,
	 t_device, NULL, NULL, NULL, NULL, NULL, NULL},
	{2, t_close, t_read, t_write, t_truncate, t_sync, t_size, t_lock, t_unlock, t_reserved, t_control, t_sector,
	 t_device, t_shm_map, t_shm_lock, t_shm_barrier, t_shm_unmap, NULL, NULL},
	{3, t_close, t_read, t_write, t_truncate, t_sync, t_size, t_lock, t_unlock, t_reserved, t_control, t_sector,
	 t_device, t_shm_map, t_shm_lock, t_shm_barrier, t_shm_unmap, t_fetch, t_unfetch},
};

static int t_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
	(void)vfs;
	struct timed_file *tf = (struct timed_file *)f;
	tf->real = (sqlite3_file *)&tf[1];
	tf->base.pMethods = NULL;
	int rc = real_vfs->xOpen(real_vfs, name, tf->real, flags, out_flags);
	const sqlite3_io_methods *m = tf->real->pMethods;
	if (m) {
		int v = m->iVersion < 1 ? 1 : m->iVersion > 3 ? 3 : m->iVersion;
		tf->base.pMethods = &timed_methods[v];
	}
	return rc;
}

static void timed_register(void)
{
	/* no memory statistics: they take a global mutex on every allocation
	 * (before the library initializes, which sqlite3_vfs_find does) */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	real_vfs = sqlite3_vfs_find(NULL);
	if (!real_vfs)
		return;
	/* The default VFS's other methods do not depend on which sqlite3_vfs
	 * they are called through (unix reads only mxPathname, copied here). */
	timed_vfs = *real_vfs;
	timed_vfs.iVersion = real_vfs->iVersion;
	timed_vfs.szOsFile = (int)sizeof(struct timed_file) + real_vfs->szOsFile;
	timed_vfs.pNext = NULL;
	timed_vfs.zName = "contestd-timed";
	timed_vfs.xOpen = t_open;
	sqlite3_vfs_register(&timed_vfs, 1);
}

void store_on_sync(store_sync_fn fn)
{
	sync_observer = fn;
}

void store_on_sync_error(store_sync_error_fn fn)
{
	sync_error = fn;
}

enum ct_status store_open(const char *path, struct store **out, struct ct_err *err)
{
	pthread_once(&timed_once, timed_register);
	struct store *st = xcalloc(1, sizeof *st);
	enum ct_status rc = CT_OK;
	/* A connection is used by one thread (the event loop's, the writer's
	 * or the verifier's): no mutex around each call. */
	int src = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (src != SQLITE_OK) {
		rc = ct_fail(err, CT_INTERNAL, "cannot open database %s: %s", path,
			     st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(src));
		goto out;
	}
	sqlite3_extended_result_codes(st->db, 1);
	store_set_busy_ms(st, 5000);
	/* Durability first: a 2xx means the WAL frame is fsynced. Once the
	 * WAL has been copied into the database and starts over, it is cut
	 * back to STORE_WAL_KEEP_BYTES (it never shrinks otherwise). */
	rc = exec(st, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
		      "PRAGMA journal_size_limit=" STORE_WAL_KEEP_TEXT ";", err);
	if (rc != CT_OK)
		goto out;
	/* SQLite opens a file it may not write read-only, silently */
	if (sqlite3_db_readonly(st->db, "main") == 1) {
		rc = ct_fail(err, CT_UNAVAILABLE, "the database is read-only for this user: contestd must write it");
		goto out;
	}
	rc = migrate(st, err);
out:
	if (rc != CT_OK) {
		store_close(st);
		return rc;
	}
	*out = st;
	return CT_OK;
}

enum ct_status store_open_reader(const char *path, struct store **out, struct ct_err *err)
{
	pthread_once(&timed_once, timed_register);
	struct store *st = xcalloc(1, sizeof *st);
	enum ct_status rc = CT_OK;
	int src = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
	if (src != SQLITE_OK) {
		rc = ct_fail(err, CT_UNAVAILABLE, "cannot open database %s to read: %s", path,
			     st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(src));
		goto out;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, 5000);
	if (store_schema_version(st) != store_schema_latest())
		rc = ct_fail(err, CT_UNAVAILABLE, "database %s is at schema version %d, not %d", path,
			     store_schema_version(st), store_schema_latest());
out:
	if (rc != CT_OK) {
		store_close(st);
		return rc;
	}
	*out = st;
	return CT_OK;
}

void store_interrupt(struct store *st)
{
	sqlite3_interrupt(st->db);
}

void store_close(struct store *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < STORE_STMT_SLOTS; i++)
		sqlite3_finalize(st->stmts[i].stmt);
	sqlite3_close(st->db);
	store_scores_free(st);
	free(st->changes);
	free(st);
}

/* The transaction statements, prepared once like every other. */
static const char SQL_BEGIN[] = "BEGIN IMMEDIATE";
static const char SQL_BEGIN_READ[] = "BEGIN DEFERRED";
static const char SQL_COMMIT[] = "COMMIT";
static const char SQL_ROLLBACK[] = "ROLLBACK";
static const char SQL_SAVEPOINT[] = "SAVEPOINT item";
static const char SQL_RELEASE[] = "RELEASE item";
static const char SQL_ROLLBACK_TO[] = "ROLLBACK TO item";
static const char SQL_DATA_VERSION[] = "PRAGMA data_version";

/* Runs one of the statements above. */
static enum ct_status run(struct store *st, const char *sql, struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, sql, err);
	if (!s)
		return CT_INTERNAL;
	return store_exec_stmt(st, s, err);
}

/* Drops what the connection keeps from the database when another
 * connection has committed since it last looked (PRAGMA data_version
 * changes only then): the audit chain's head and the score lookups. */
static enum ct_status check_others(struct store *st, struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_DATA_VERSION, err);
	if (!s)
		return CT_INTERNAL;
	enum ct_status rc = store_row(st, s, err);
	if (rc != CT_OK)
		return rc == CT_NOT_FOUND ? ct_fail(err, CT_INTERNAL, "PRAGMA data_version gave no row") : rc;
	int64_t v = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (v != st->data_version) {
		st->data_version = v;
		st->head_known = false;
		store_scores_forget(st, 0);
	}
	return CT_OK;
}

static void forget_transaction(struct store *st)
{
	st->n_changes = 0;
	st->savepoint_changes = 0;
	st->savepoint_depth = 0;
	st->head_known = false;
}

enum ct_status store_begin(struct store *st, struct ct_err *err)
{
	assert(sqlite3_get_autocommit(st->db)); /* no transaction open yet */
	enum ct_status rc = run(st, SQL_BEGIN, err);
	if (rc != CT_OK)
		return rc;
	st->n_changes = 0;
	rc = check_others(st, err);
	if (rc != CT_OK)
		store_rollback(st);
	return rc;
}

enum ct_status store_read_begin(struct store *st, struct ct_err *err)
{
	return run(st, SQL_BEGIN_READ, err);
}

static int on_wal(void *arg, sqlite3 *db, const char *name, int frames)
{
	(void)db;
	(void)name;
	((struct store *)arg)->wal_frames = frames;
	return SQLITE_OK;
}

enum ct_status store_no_autocheckpoint(struct store *st, struct ct_err *err)
{
	(void)err;
	/* our hook replaces SQLite's automatic checkpoint (which is one) */
	sqlite3_wal_hook(st->db, on_wal, st);
	return CT_OK;
}

int store_wal_frames(struct store *st)
{
	return st->wal_frames;
}

enum ct_status store_checkpoint(struct store *st, bool truncate, int *wal_frames, int *copied, struct ct_err *err)
{
	if (truncate)
		sqlite3_busy_timeout(st->db, 0); /* a reader in the WAL: not now, rather than wait */
	int rc = sqlite3_wal_checkpoint_v2(st->db, NULL, truncate ? SQLITE_CHECKPOINT_TRUNCATE : SQLITE_CHECKPOINT_PASSIVE,
					   wal_frames, copied);
	if (truncate)
		sqlite3_busy_timeout(st->db, st->busy_ms);
	if (rc == SQLITE_OK && truncate)
		st->wal_frames = 0;
	/* BUSY: another checkpoint runs, or a reader or writer holds what it
	 * needs; next time */
	return rc == SQLITE_OK || (rc & 0xff) == SQLITE_BUSY ? CT_OK : store_fail(st, rc, err);
}

int64_t store_wal_bytes(struct store *st)
{
	const char *db = sqlite3_db_filename(st->db, "main");
	if (!db || !*db)
		return 0;
	char path[4096];
	if ((size_t)snprintf(path, sizeof path, "%s-wal", db) >= sizeof path)
		return -1;
	struct stat sb;
	if (stat(path, &sb) != 0)
		return errno == ENOENT ? 0 : -1;
	return (int64_t)sb.st_size;
}

int64_t store_total_changes(struct store *st)
{
	return (int64_t)sqlite3_total_changes64(st->db);
}

void store_read_end(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		run(st, SQL_ROLLBACK, NULL);
}

void store_set_busy_ms(struct store *st, int ms)
{
	st->busy_ms = ms;
	sqlite3_busy_timeout(st->db, ms);
}

void store_on_commit(struct store *st, store_commit_fn fn, void *arg)
{
	st->on_commit = fn;
	st->on_commit_arg = arg;
}

void store_note(struct store *st, enum store_change_kind kind, int64_t event_id, int64_t judge_id)
{
	assert(!sqlite3_get_autocommit(st->db)); /* inside the transaction that makes the change */
	if (kind != STORE_CHANGE_VALUES)
		judge_id = 0;
	if (kind == STORE_CHANGE_TOKENS)
		event_id = 0;
	if (kind == STORE_CHANGE_EVENT)
		store_scores_forget(st, event_id);
	/* a transaction changes few events and judges: a linear search is enough */
	for (size_t i = 0; i < st->n_changes; i++) {
		const struct store_change *c = &st->changes[i];
		if (c->kind == kind && c->event_id == event_id && c->judge_id == judge_id)
			return;
	}
	if (st->n_changes == st->cap_changes) {
		st->cap_changes = st->cap_changes ? 2 * st->cap_changes : 16;
		st->changes = xreallocarray(st->changes, st->cap_changes, sizeof *st->changes);
	}
	st->changes[st->n_changes++] = (struct store_change){kind, event_id, judge_id};
}

static const char SQL_BUMP[] = "UPDATE events SET data_version = data_version + 1 WHERE id = :id";

static enum ct_status bump(struct store *st, int64_t event_id, struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_BUMP, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_int(s, ":id", event_id);
	return store_exec_stmt(st, s, err);
}

enum ct_status store_bump(struct store *st, int64_t event_id, struct ct_err *err)
{
	store_note(st, STORE_CHANGE_EVENT, event_id, 0);
	return bump(st, event_id, err);
}

/* Bumps, once per transaction, the data_version of each event whose
 * values changed (a group commit writes many values of one event). */
static enum ct_status bump_values(struct store *st, struct ct_err *err)
{
	enum ct_status rc = CT_OK;
	for (size_t i = 0; i < st->n_changes && rc == CT_OK; i++) {
		const struct store_change *c = &st->changes[i];
		if (c->kind != STORE_CHANGE_VALUES)
			continue;
		bool earlier = false;
		for (size_t k = 0; k < i && !earlier; k++)
			earlier = st->changes[k].kind == STORE_CHANGE_VALUES && st->changes[k].event_id == c->event_id;
		if (!earlier)
			rc = bump(st, c->event_id, err);
	}
	return rc;
}

enum ct_status store_commit(struct store *st, struct ct_err *err)
{
	enum ct_status rc = bump_values(st, err);
	if (rc == CT_OK)
		rc = run(st, SQL_COMMIT, err);
	if (rc != CT_OK) {
		store_rollback(st);
		return rc;
	}
	/* our own commit does not change PRAGMA data_version: what we know stays valid */
	if (st->on_commit && st->n_changes)
		st->on_commit(st->on_commit_arg, st->changes, st->n_changes);
	st->n_changes = 0;
	st->savepoint_depth = 0;
	return CT_OK;
}

void store_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		run(st, SQL_ROLLBACK, NULL);
	forget_transaction(st);
	/* lookups made inside the transaction may have seen what it undid */
	store_scores_forget(st, 0);
}

enum ct_status store_finish(struct store *st, enum ct_status rc, struct ct_err *err)
{
	if (rc == CT_OK)
		return store_commit(st, err);
	store_rollback(st);
	return rc;
}

enum ct_status store_savepoint(struct store *st, struct ct_err *err)
{
	assert(!sqlite3_get_autocommit(st->db) && st->savepoint_depth == 0); /* one level, inside a transaction */
	enum ct_status rc = run(st, SQL_SAVEPOINT, err);
	if (rc == CT_OK) {
		st->savepoint_depth = 1;
		st->savepoint_changes = st->n_changes;
	}
	return rc;
}

void store_savepoint_release(struct store *st)
{
	run(st, SQL_RELEASE, NULL);
	st->savepoint_depth = 0;
}

void store_savepoint_rollback(struct store *st)
{
	run(st, SQL_ROLLBACK_TO, NULL);
	run(st, SQL_RELEASE, NULL);
	st->savepoint_depth = 0;
	st->n_changes = st->savepoint_changes;
	st->head_known = false;
	store_scores_forget(st, 0);
}

static const char SQL_AUDIT_LAST[] = "SELECT hash FROM audit ORDER BY seq DESC LIMIT 1";
static const char SQL_AUDIT_ADD[] =
	"INSERT INTO audit (at, actor, action, object, old_value, new_value, role, reason, prev_hash, hash) "
	"VALUES (:at, :actor, :action, :object, :old, :new, :role, :reason, :prev, :hash)";

/* The role an actor acts in by default: "judge:CODE" a judge, "system"
 * the system, anyone else an organizer ("organizer:NAME"; "admin" in
 * records made before organizer accounts). */
static const char *actor_role(const char *actor)
{
	if (strncmp(actor, "judge:", 6) == 0)
		return "judge";
	if (strcmp(actor, "system") == 0)
		return "system";
	return "organizer";
}

enum ct_status store_audit_why(struct store *st, const char *actor, const char *role, const char *action,
			       const char *object, const char *old_value, const char *new_value,
			       const char *reason, struct ct_err *err)
{
	assert(!sqlite3_get_autocommit(st->db)); /* inside the caller's transaction */
	sqlite3_stmt *s;
	if (!st->head_known) {
		memset(st->head, 0, sizeof st->head);
		s = store_stmt(st, SQL_AUDIT_LAST, err);
		if (!s)
			return CT_INTERNAL;
		enum ct_status found = store_row(st, s, err);
		if (found == CT_OK && sqlite3_column_bytes(s, 0) == AUDIT_HASH_BYTES)
			memcpy(st->head, sqlite3_column_blob(s, 0), AUDIT_HASH_BYTES);
		else if (found != CT_OK && found != CT_NOT_FOUND)
			return found;
		sqlite3_reset(s);
		st->head_known = true;
	}
	unsigned char prev[AUDIT_HASH_BYTES];
	memcpy(prev, st->head, sizeof prev);

	char at[32];
	store_now(at);
	if (!role)
		role = actor_role(actor);
	if (reason && !*reason)
		reason = NULL;
	struct audit_record r = {at, actor, action, object, old_value, new_value, role, reason};
	unsigned char hash[AUDIT_HASH_BYTES];
	audit_hash(prev, &r, hash);

	s = store_stmt(st, SQL_AUDIT_ADD, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_text(s, ":at", at);
	store_bind_text(s, ":actor", actor);
	store_bind_text(s, ":action", action);
	store_bind_text(s, ":object", object);
	store_bind_text(s, ":old", old_value);
	store_bind_text(s, ":new", new_value);
	store_bind_text(s, ":role", role);
	store_bind_text(s, ":reason", reason);
	store_bind_blob(s, ":prev", prev, AUDIT_HASH_BYTES);
	store_bind_blob(s, ":hash", hash, AUDIT_HASH_BYTES);
	enum ct_status ret = store_exec_stmt(st, s, err);
	if (ret == CT_OK)
		memcpy(st->head, hash, sizeof st->head);
	else
		st->head_known = false;
	return ret;
}

enum ct_status store_audit(struct store *st, const char *actor, const char *action, const char *object,
			   const char *old_value, const char *new_value, struct ct_err *err)
{
	return store_audit_why(st, actor, NULL, action, object, old_value, new_value, NULL, err);
}

enum ct_status store_audit_note(struct store *st, const char *actor, const char *action, const char *object,
				const char *reason, struct ct_err *err)
{
	enum ct_status rc = store_begin(st, err);
	if (rc != CT_OK)
		return rc;
	rc = store_audit_why(st, actor, NULL, action, object, NULL, NULL, reason, err);
	return store_finish(st, rc, err);
}

static const char SQL_EVENT_REF[] = "SELECT id, state FROM events WHERE code = :code";

enum ct_status store_event_ref(struct store *st, const char *code, int64_t *id, char state[16],
			       struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_EVENT_REF, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_text(s, ":code", code);
	enum ct_status rc = store_row(st, s, err);
	if (rc == CT_OK) {
		*id = sqlite3_column_int64(s, 0);
		if (state)
			store_col_copy(s, 1, state, 16);
		sqlite3_reset(s);
	} else if (rc == CT_NOT_FOUND) {
		rc = ct_fail(err, CT_NOT_FOUND, "no event %s", code);
	}
	return rc;
}

enum ct_status store_event_lookup(struct store *st, const char *code, int64_t *id, enum event_state *state,
				  struct ct_err *err)
{
	char text[16];
	enum ct_status rc = store_event_ref(st, code, id, text, err);
	if (rc == CT_OK && event_state_parse(text, state, NULL) != CT_OK)
		rc = ct_fail(err, CT_INTERNAL, "event %s has the unknown state \"%s\" in the database", code, text);
	return rc;
}

static const char SQL_ORG_GET[] = "SELECT id FROM organizations WHERE name = :name";
static const char SQL_ORG_ADD[] = "INSERT INTO organizations (name) VALUES (:name)";

enum ct_status store_org_ensure(struct store *st, const char *name, int64_t *id, struct ct_err *err)
{
	*id = 0;
	if (!name || !*name)
		return CT_OK;
	sqlite3_stmt *s = store_stmt(st, SQL_ORG_GET, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_text(s, ":name", name);
	enum ct_status found = store_row(st, s, err);
	if (found == CT_OK)
		*id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (found != CT_NOT_FOUND)
		return found;
	s = store_stmt(st, SQL_ORG_ADD, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_text(s, ":name", name);
	enum ct_status ret = store_exec_stmt(st, s, err);
	if (ret == CT_OK)
		*id = sqlite3_last_insert_rowid(st->db);
	return ret;
}
