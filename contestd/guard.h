/* The database's health beyond what SQLite reports: the file contestd
 * opened must stay the file at --db (not deleted, not replaced), the
 * database must be writable, and after a failed fsync nothing more may be
 * acknowledged (the state of the kernel's page cache is then unknown, so a
 * retry could report as durable what is not). Once the database is lost
 * every request is refused with 503 and contestd exits non-zero, for a
 * supervisor to restart it on the right file. */
#ifndef CONTESTD_GUARD_H
#define CONTESTD_GUARD_H

#include <stdbool.h>
#include <stddef.h>

/* Before the database is opened: refuses (-1, after a message on standard
 * error) a start that would make a new empty contest beside the admin
 * secret of a missing one, or that could not write the database or its
 * directory. 0 to go on. */
int guard_preflight(const char *db_path);

/* After the database is opened (it is then a file): notes its identity.
 * 0, or -1 after a message. */
int guard_start(const char *db_path);

/* Checks the file's identity (any thread): false, and the database is
 * lost from then on, when the file is gone or another one is in its
 * place. */
bool guard_check(void);

/* Marks the database lost (any thread), for the reason given; the first
 * reason is kept and logged. */
void guard_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Whether the database is lost; with a reason, copies it there. */
bool guard_failed(char *reason, size_t n);

#endif
