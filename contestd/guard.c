/* The database file's identity, a missing database's secret, a read-only
 * database, and the one flag that says the database is lost. */
#include "guard.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "xmalloc.h"

static char *path;              /* --db */
static int fd = -1;             /* the file, open to see its link count */
static dev_t dev;
static ino_t ino;
static atomic_bool lost;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char why[256];           /* under lock; set once */

/* Whether the effective user may write name (a file or directory). */
static bool writable(const char *name)
{
	return faccessat(AT_FDCWD, name, W_OK, AT_EACCESS) == 0;
}

int guard_preflight(const char *db_path)
{
	char *dir_copy = xstrdup(db_path);
	const char *dir = dirname(dir_copy);
	char *secret = xasprintf("%s.admin-secret", db_path);
	struct stat sb;
	int ret = 0;
	if (stat(db_path, &sb) != 0 && errno == ENOENT) {
		if (access(secret, F_OK) == 0) {
			fprintf(stderr,
				"contestd: %s does not exist, but %s does: this is the admin secret of a contest "
				"whose database has been moved or deleted.\n"
				"contestd: not starting, so as not to make a new, empty contest in its place. Check "
				"--db (a wrong path or an unmounted disk?), or put the database back from its latest "
				"backup (docs/OPERATIONS.md, \"Restoring a backup\"), then start again.\n",
				db_path, secret);
			ret = -1;
		} else if (!writable(dir)) {
			fprintf(stderr,
				"contestd: %s does not exist and its directory %s is not writable by this user: "
				"contestd cannot create the database there\n",
				db_path, dir);
			ret = -1;
		}
	} else if (!writable(db_path) || !writable(dir)) {
		fprintf(stderr,
			"contestd: %s is read-only for this user (%s not writable): contestd must write the "
			"database and its -wal and -shm files beside it; give the user it runs as write "
			"permission on both (or copy the database to a writable place)\n",
			db_path, !writable(db_path) ? "the file is" : "its directory is");
		ret = -1;
	}
	free(secret);
	free(dir_copy);
	return ret;
}

int guard_start(const char *db_path)
{
	struct stat sb;
	fd = open(db_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) != 0) {
		fprintf(stderr, "contestd: %s: cannot open it to watch it: %s\n", db_path, strerror(errno));
		return -1;
	}
	path = xstrdup(db_path);
	dev = sb.st_dev;
	ino = sb.st_ino;
	return 0;
}

bool guard_check(void)
{
	if (atomic_load(&lost))
		return false;
	if (!path)
		return true; /* not started (unit tests) */
	struct stat sb;
	if (stat(path, &sb) != 0) {
		if (errno == ENOENT) {
			guard_fail("the database %s was deleted (or moved away) while contestd ran", path);
			return false;
		}
	} else if (sb.st_dev != dev || sb.st_ino != ino) {
		guard_fail("the database %s was replaced by another file while contestd ran", path);
		return false;
	}
	/* the name cannot tell (EACCES on a directory, EINTR): the file's links */
	if (fstat(fd, &sb) == 0 && sb.st_nlink == 0) {
		guard_fail("the database %s was deleted while contestd ran", path);
		return false;
	}
	return true;
}

void guard_fail(const char *fmt, ...)
{
	char msg[sizeof why];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&lock);
	bool first = !why[0];
	if (first)
		snprintf(why, sizeof why, "%s", msg);
	atomic_store(&lost, true);
	pthread_mutex_unlock(&lock);
	if (first)
		log_msg("%s: refusing every request (503) and exiting", msg);
}

bool guard_failed(char *reason, size_t n)
{
	if (!atomic_load(&lost))
		return false;
	if (reason && n) {
		pthread_mutex_lock(&lock);
		snprintf(reason, n, "%s", why);
		pthread_mutex_unlock(&lock);
	}
	return true;
}
