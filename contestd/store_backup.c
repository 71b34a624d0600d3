/* A consistent copy of the whole database while it is written: VACUUM INTO
 * reads one snapshot (a read transaction: the writer is not held up) and
 * writes it compacted to a new, self-contained file (no -wal), which is
 * then opened on its own and must pass integrity_check. */
#include "store_int.h"

#include <string.h>

static const char SQL_VACUUM_INTO[] = "VACUUM INTO ?1";
static const char SQL_INTEGRITY[] = "PRAGMA integrity_check";

enum ct_status store_snapshot(struct store *st, const char *path, struct ct_err *err)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, SQL_VACUUM_INTO, -1, &s, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(s, 1, path, -1, SQLITE_TRANSIENT);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(s);
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
	}
	enum ct_status ret = rc == SQLITE_OK ? CT_OK : store_fail(st, rc, err);
	sqlite3_finalize(s);
	if (ret != CT_OK)
		return ret;

	sqlite3 *copy = NULL;
	s = NULL;
	rc = sqlite3_open_v2(path, &copy, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(copy, SQL_INTEGRITY, -1, &s, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		const unsigned char *verdict = sqlite3_column_text(s, 0);
		if (!verdict || strcmp((const char *)verdict, "ok") != 0)
			ret = ct_fail(err, CT_INTERNAL, "the copy failed its integrity check: %s",
				      verdict ? (const char *)verdict : "(no verdict)");
	} else {
		ret = ct_fail(err, CT_INTERNAL, "cannot check the copy: %s",
			      copy ? sqlite3_errmsg(copy) : sqlite3_errstr(rc));
	}
	sqlite3_finalize(s);
	sqlite3_close(copy);
	return ret;
}
