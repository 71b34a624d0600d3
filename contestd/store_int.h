/* Internals shared by the store*.c files: the connection, the statement
 * cache and small binding helpers. Nothing outside store*.c includes this. */
#ifndef CONTESTD_STORE_INT_H
#define CONTESTD_STORE_INT_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit.h"
#include "status.h"
#include "store.h"

#define STORE_STMT_SLOTS 256

struct score_cache; /* store_scores.c: event lookups for score writes */

struct store {
	sqlite3 *db;
	struct {
		const char *sql;      /* the constant the statement was prepared from */
		sqlite3_stmt *stmt;
	} stmts[STORE_STMT_SLOTS];
	int savepoint_depth;
	/* The hash of the last audit record, valid while head_known: kept by
	 * the connection that appends (one writer at a time), dropped when the
	 * transaction rolls back or another connection has committed. */
	unsigned char head[AUDIT_HASH_BYTES];
	bool head_known;
	int64_t data_version;     /* PRAGMA data_version when last looked at */
	struct score_cache *scores; /* lookups of store_score_put; NULL until first used */
	/* what the open transaction changed, for the commit hook */
	struct store_change *changes;
	size_t n_changes, cap_changes;
	size_t savepoint_changes; /* n_changes when the savepoint was set */
	store_commit_fn on_commit;
	void *on_commit_arg;
	int wal_frames;           /* pages in the WAL after the last commit (sqlite3_wal_hook) */
	int busy_ms;              /* the busy timeout set on db */
};

/* Returns the statement prepared once from the constant sql (identified by
 * its address), reset and with bindings cleared; NULL after setting err. */
sqlite3_stmt *store_stmt(struct store *st, const char *sql, struct ct_err *err);

/* Binding by parameter name; a missing name is a programming error. */
void store_bind_text(sqlite3_stmt *s, const char *name, const char *v);  /* NULL binds NULL */
void store_bind_int(sqlite3_stmt *s, const char *name, int64_t v);
void store_bind_null(sqlite3_stmt *s, const char *name);
void store_bind_blob(sqlite3_stmt *s, const char *name, const void *p, int n);

/* Runs a statement expected to return no rows (INSERT/UPDATE/DELETE) and resets it. */
enum ct_status store_exec_stmt(struct store *st, sqlite3_stmt *s, struct ct_err *err);

/* Maps a failed SQLite call to a status and message. */
enum ct_status store_fail(struct store *st, int rc, struct ct_err *err);

/* Steps a statement expected to give at most one row. CT_OK: the row is
 * ready; the caller reads it, then resets s. CT_NOT_FOUND: no row, err
 * untouched, s reset. Otherwise the failure from store_fail, s reset. */
enum ct_status store_row(struct store *st, sqlite3_stmt *s, struct ct_err *err);

/* The one row iterator of the store's reads: steps s and returns true with
 * a row ready. False at the end (*rc CT_OK) or after a read error (*rc the
 * failure from store_fail, err says why): a read error never looks like the
 * end of the rows. s is reset when it returns false. Usage:
 *   enum ct_status rc;
 *   while (store_next(st, s, &rc, err)) { ...row... }
 *   if (rc != CT_OK) return rc; */
bool store_next(struct store *st, sqlite3_stmt *s, enum ct_status *rc, struct ct_err *err);

/* Column text copied to a new string (NULL for SQL NULL); caller frees. */
char *store_col_dup(sqlite3_stmt *s, int col);

/* Column text copied into buf of n bytes, truncated at a UTF-8 character
 * boundary; SQL NULL gives "". */
void store_col_copy(sqlite3_stmt *s, int col, char *buf, size_t n);

/* Ends the transaction store_begin opened: commits when rc is CT_OK (a
 * failed commit is rolled back and its status returned), otherwise rolls
 * back and returns rc unchanged. */
enum ct_status store_finish(struct store *st, enum ct_status rc, struct ct_err *err);

/* The current UTC time as ISO 8601 ("2026-11-23T09:00:00Z") in buf[32]. */
void store_now(char buf[32]);

/* Bumps an event's data_version so cached results are recomputed, and
 * notes a change of the event (STORE_CHANGE_EVENT) for the commit hook. */
enum ct_status store_bump(struct store *st, int64_t event_id, struct ct_err *err);

/* Notes what the open transaction changed, for the commit hook (duplicates
 * are dropped). A STORE_CHANGE_VALUES change also bumps the event's
 * data_version once, just before the commit. */
void store_note(struct store *st, enum store_change_kind kind, int64_t event_id, int64_t judge_id);

/* Forgets the lookups of store_score_put (store_scores.c): after a change of
 * event_id's sheet, people or state on this connection (0: every event). */
void store_scores_forget(struct store *st, int64_t event_id);

/* Frees the lookups of store_score_put (at close). */
void store_scores_free(struct store *st);

/* Looks up an event id and state by code: CT_NOT_FOUND if none. state may be NULL. */
enum ct_status store_event_ref(struct store *st, const char *code, int64_t *id, char state[16],
			       struct ct_err *err);

/* store_event_ref with the state parsed (CT_INTERNAL for a state the
 * workflow does not know). */
enum ct_status store_event_lookup(struct store *st, const char *code, int64_t *id, enum event_state *state,
				  struct ct_err *err);

/* Moves event (id) from state from to to inside the caller's transaction,
 * stamping drawn_at, locked_at or finalized_at and bumping data_version;
 * CT_CONFLICT when it is not in from any more. The caller has asked
 * workflow_step and audits the transition. */
enum ct_status store_state_set(struct store *st, int64_t event_id, const char *event, enum event_state from,
			       enum event_state to, struct ct_err *err);

/* The contest's code and Ed25519 key pair; sk may be NULL when not needed
 * (the caller wipes it after use). CT_NOT_FOUND before the contest exists. */
enum ct_status store_contest_keys(struct store *st, char code[64], unsigned char pk[32], unsigned char sk[64],
				  struct ct_err *err);

/* Starts a read transaction (BEGIN DEFERRED): one snapshot for several
 * statements; end it with store_read_end (or store_rollback). */
enum ct_status store_read_begin(struct store *st, struct ct_err *err);
void store_read_end(struct store *st);

/* Revokes every token of a judge, or of an organizer account (inside the
 * caller's transaction). */
enum ct_status store_tokens_revoke_judge(struct store *st, int64_t judge_id, struct ct_err *err);
enum ct_status store_tokens_revoke_organizer(struct store *st, int64_t organizer_id, struct ct_err *err);

/* Finds or creates an organization by name; "" or NULL gives *id = 0. */
enum ct_status store_org_ensure(struct store *st, const char *name, int64_t *id, struct ct_err *err);

/* The judge's assignment to event, once the workflow allows action in the
 * event's state: the event's id, the judge's id, role and when withdrawn
 * ("" if not). CT_NOT_FOUND for an unknown event or when the judge is not
 * assigned to it. */
enum ct_status store_assignment_open(struct store *st, const char *event, const char *judge, enum wf_action action,
				     int64_t *event_id, int64_t *judge_id, char role[16], char withdrawn[32],
				     struct ct_err *err);

/* Revokes the judge's tokens when no active assignment is left. */
enum ct_status store_revoke_if_idle(struct store *st, int64_t judge_id, struct ct_err *err);

/* Sets a judge's PIN hash, revokes the judge's tokens and audits judge.pin. */
enum ct_status store_judge_pin_set(struct store *st, const char *actor, int64_t judge_id, const char *code,
				   const char *pin_hash, struct ct_err *err);

/* The identity part of store_contestant_correct (name, organization,
 * members, id number) of the contestant reg_id, inside the caller's
 * transaction, bumping the data_version of the contestant's event (its id
 * in *event_id) when anything changed. */
enum ct_status store_contestant_identity(struct store *st, const char *actor, const char *reg_id,
					 const struct identity_patch *p, struct recusal_change **changes,
					 size_t *n_changes, int64_t *event_id, struct ct_err *err);

/* Checks event's score sheet whole (sheet_check) inside the caller's
 * transaction: errors fail with CT_INVALID naming the event; warnings go to
 * *warn (may be NULL). */
enum ct_status store_sheet_check(struct store *st, const char *event, struct sheet_warnings *warn,
				 struct ct_err *err);

/* The score sheet of d in one line for the audit trail ("A 铣削 60%: A1
 * measurement 10.00, A2 mean 20.00; B ..."), or NULL when it has no
 * module. Returns a new string; caller frees. */
char *store_sheet_text(const struct event_data *d);

#endif
