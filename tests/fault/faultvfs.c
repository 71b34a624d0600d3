/* A fault-injecting SQLite VFS for the fault tests, loaded into contestd with
 * LD_PRELOAD. Its constructor registers it as the default VFS, wrapping the
 * one that was (unix); contestd's own VFS (store.c) then wraps this one, so
 * the faults reach SQLite through contestd's gathered WAL writes and its
 * sync hook exactly as a failing disk's would.
 *
 * Environment:
 *   FAULT_CTL    a control file, read again whenever it changes (write a new
 *                one and rename it into place). One line:
 *                  off
 *                  measure
 *                  TARGET OP N COUNT ERR
 *                TARGET: wal, db or any (the files); OP: write, sync or
 *                read; N: the fault hits the N-th write of a commit (writes
 *                to the target since its last sync, counted per open file),
 *                or the N-th sync or read from now; COUNT: how many faults
 *                to inject (then it is off again); ERR: ioerr or full.
 *   FAULT_LOG    a file to which one line is appended per fault injected.
 *   FAULT_STATS  a file rewritten with "max_writes N" whenever, while the
 *                control file says "measure", a commit (a sync of the WAL)
 *                follows more writes than any before since it said so.
 * Without FAULT_CTL the library does nothing. */
#include <pthread.h>
#include <stdbool.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct ffile {
	sqlite3_file base;
	sqlite3_file *real;       /* right after this struct */
	int is_wal;
	int writes;               /* since the last sync */
};

static sqlite3_vfs *real_vfs;
static sqlite3_vfs fault_vfs;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static const char *ctl_path, *log_path, *stats_path;
static struct stat ctl_seen;
enum { T_WAL, T_DB, T_ANY };
enum { OP_WRITE, OP_SYNC, OP_READ };
static const char *const op_names[] = {"write", "sync", "read"};

static struct {
	int on, target, op, n, count, full;
	int measure;
	int seen;                 /* syncs or reads of the target since armed */
} arm;
static int max_writes;

#define REAL(f) (((struct ffile *)(f))->real)

/* Re-reads the control file if it changed (mu held). */
static void reload(void)
{
	struct stat sb;
	if (stat(ctl_path, &sb) != 0) {
		arm.on = 0;
		return;
	}
	if (sb.st_ino == ctl_seen.st_ino && sb.st_mtim.tv_sec == ctl_seen.st_mtim.tv_sec &&
	    sb.st_mtim.tv_nsec == ctl_seen.st_mtim.tv_nsec && sb.st_size == ctl_seen.st_size)
		return;
	ctl_seen = sb;
	memset(&arm, 0, sizeof arm);
	FILE *f = fopen(ctl_path, "r");
	if (!f)
		return;
	char target[8], op[8], err[8];
	int got = fscanf(f, "%7s", target);
	if (got == 1 && strcmp(target, "measure") == 0) {
		arm.measure = 1;
		max_writes = 0;
	}
	else if (got == 1 && fscanf(f, "%7s %d %d %7s", op, &arm.n, &arm.count, err) == 4 && arm.n > 0 && arm.count > 0) {
		arm.on = 1;
		arm.target = strcmp(target, "wal") == 0 ? T_WAL : strcmp(target, "db") == 0 ? T_DB : T_ANY;
		arm.op = strcmp(op, "sync") == 0 ? OP_SYNC : strcmp(op, "read") == 0 ? OP_READ : OP_WRITE;
		arm.full = strcmp(err, "full") == 0;
	}
	fclose(f);
}

static void note(const char *what, int n, int full)
{
	FILE *f = log_path ? fopen(log_path, "a") : NULL;
	if (f) {
		fprintf(f, "%s %d %s\n", what, n, full ? "full" : "ioerr");
		fclose(f);
	}
}

/* Whether this write, sync or read of f fails, and with which code (0:
 * none). */
static int fault(struct ffile *f, int op)
{
	int rc = 0;
	pthread_mutex_lock(&mu);
	reload();
	if (op == OP_SYNC) {
		if (arm.measure && f->is_wal && f->writes > max_writes) {
			max_writes = f->writes;
			/* a new file renamed into place: never read half written */
			char tmp[4096];
			snprintf(tmp, sizeof tmp, "%s.new", stats_path ? stats_path : "");
			FILE *s = stats_path ? fopen(tmp, "w") : NULL;
			if (s) {
				fprintf(s, "max_writes %d\n", max_writes);
				if (fclose(s) == 0)
					rename(tmp, stats_path);
			}
		}
		f->writes = 0;
	} else if (op == OP_WRITE) {
		f->writes++;
	}
	bool target = arm.target == T_ANY || (arm.target == T_WAL) == (f->is_wal != 0);
	if (arm.on && target && arm.op == op) {
		int at = op == OP_WRITE ? f->writes : ++arm.seen;
		if (at == arm.n || (op != OP_WRITE && at > arm.n)) {
			rc = op == OP_SYNC ? SQLITE_IOERR_FSYNC : op == OP_READ ? SQLITE_IOERR_READ
			   : arm.full ? SQLITE_FULL : SQLITE_IOERR_WRITE;
			char what[32];
			snprintf(what, sizeof what, "%s-%s", f->is_wal ? "wal" : "db", op_names[op]);
			note(what, at, arm.full && op == OP_WRITE);
			if (--arm.count == 0)
				arm.on = 0;
		}
	}
	pthread_mutex_unlock(&mu);
	return rc;
}

static int f_close(sqlite3_file *f) { return REAL(f)->pMethods->xClose(REAL(f)); }
static int f_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o)
{
	int rc = fault((struct ffile *)f, OP_READ);
	return rc ? rc : REAL(f)->pMethods->xRead(REAL(f), b, n, o);
}
static int f_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{
	int rc = fault((struct ffile *)f, OP_WRITE);
	return rc ? rc : REAL(f)->pMethods->xWrite(REAL(f), b, n, o);
}
static int f_truncate(sqlite3_file *f, sqlite3_int64 n) { return REAL(f)->pMethods->xTruncate(REAL(f), n); }
static int f_sync(sqlite3_file *f, int flags)
{
	int rc = fault((struct ffile *)f, OP_SYNC);
	return rc ? rc : REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int f_size(sqlite3_file *f, sqlite3_int64 *n) { return REAL(f)->pMethods->xFileSize(REAL(f), n); }
static int f_lock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int f_unlock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int f_reserved(sqlite3_file *f, int *r) { return REAL(f)->pMethods->xCheckReservedLock(REAL(f), r); }
static int f_control(sqlite3_file *f, int op, void *a) { return REAL(f)->pMethods->xFileControl(REAL(f), op, a); }
static int f_sector(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int f_device(sqlite3_file *f) { return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)); }
static int f_shm_map(sqlite3_file *f, int pg, int sz, int ext, void volatile **p) { return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, ext, p); }
static int f_shm_lock(sqlite3_file *f, int o, int n, int fl) { return REAL(f)->pMethods->xShmLock(REAL(f), o, n, fl); }
static void f_shm_barrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int f_shm_unmap(sqlite3_file *f, int del) { return REAL(f)->pMethods->xShmUnmap(REAL(f), del); }
static int f_fetch(sqlite3_file *f, sqlite3_int64 o, int n, void **p) { return REAL(f)->pMethods->xFetch(REAL(f), o, n, p); }
static int f_unfetch(sqlite3_file *f, sqlite3_int64 o, void *p) { return REAL(f)->pMethods->xUnfetch(REAL(f), o, p); }

static const sqlite3_io_methods methods[4] = {
	{0},
	{1, f_close, f_read, f_write, f_truncate, f_sync, f_size, f_lock, f_unlock, f_reserved, f_control, f_sector,
	 f_device, NULL, NULL, NULL, NULL, NULL, NULL},
	{2, f_close, f_read, f_write, f_truncate, f_sync, f_size, f_lock, f_unlock, f_reserved, f_control, f_sector,
	 f_device, f_shm_map, f_shm_lock, f_shm_barrier, f_shm_unmap, NULL, NULL},
	{3, f_close, f_read, f_write, f_truncate, f_sync, f_size, f_lock, f_unlock, f_reserved, f_control, f_sector,
	 f_device, f_shm_map, f_shm_lock, f_shm_barrier, f_shm_unmap, f_fetch, f_unfetch},
};

static int f_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out)
{
	(void)vfs;
	struct ffile *f = (struct ffile *)file;
	memset(f, 0, sizeof *f);
	f->real = (sqlite3_file *)&f[1];
	f->is_wal = (flags & SQLITE_OPEN_WAL) != 0;
	int rc = real_vfs->xOpen(real_vfs, name, f->real, flags, out);
	const sqlite3_io_methods *m = f->real->pMethods;
	if (m) {
		int v = m->iVersion < 1 ? 1 : m->iVersion > 3 ? 3 : m->iVersion;
		f->base.pMethods = &methods[v];
	}
	return rc;
}

__attribute__((constructor)) static void fault_register(void)
{
	ctl_path = getenv("FAULT_CTL");
	log_path = getenv("FAULT_LOG");
	stats_path = getenv("FAULT_STATS");
	if (!ctl_path || !*ctl_path)
		return;
	real_vfs = sqlite3_vfs_find(NULL);
	if (!real_vfs)
		return;
	fault_vfs = *real_vfs;
	fault_vfs.szOsFile = (int)sizeof(struct ffile) + real_vfs->szOsFile;
	fault_vfs.pNext = NULL;
	fault_vfs.zName = "fault";
	fault_vfs.xOpen = f_open;
	sqlite3_vfs_register(&fault_vfs, 1);
}
