/* The contest database: the only module that speaks SQL. Opens the SQLite
 * file (WAL, synchronous=FULL, foreign keys), applies the embedded schema
 * migrations, and offers one function per thing the daemon stores or reads.
 * Every state change appends an audit record in the same transaction.
 * Functions take plain structs and never build JSON. */
#ifndef CONTESTD_STORE_H
#define CONTESTD_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit.h"
#include "scoring.h"
#include "status.h"
#include "workflow.h"

struct store;

/* The schema version this binary's embedded migrations reach. */
int store_schema_latest(void);

/* Opens (creating if needed) the database at path (":memory:" for tests),
 * sets the pragmas and applies pending migrations. Refuses a database whose
 * schema is newer than this binary knows. *out is new; store_close frees it. */
enum ct_status store_open(const char *path, struct store **out, struct ct_err *err);

/* Opens a second, read-only connection to the database at path (for long
 * reads off the event loop, in another thread: one connection per thread).
 * CT_UNAVAILABLE when it cannot be opened or its schema is not the latest.
 * *out is new; store_close frees it. */
enum ct_status store_open_reader(const char *path, struct store **out, struct ct_err *err);

/* Makes the statement running on st (in another thread) stop soon with an
 * error; safe to call from any thread while st is open. */
void store_interrupt(struct store *st);

/* Commits on st no longer checkpoint the WAL themselves (the writer thread
 * does, store_checkpoint): a checkpoint copies pages into the database
 * file and fsyncs it, no work for a COMMIT or for the event loop. */
enum ct_status store_no_autocheckpoint(struct store *st, struct ct_err *err);

/* Pages in the WAL after st's last commit (0 before the first). */
int store_wal_frames(struct store *st);

/* A passive checkpoint: copies what it can of the WAL into the database
 * without waiting for anyone. *wal_frames: frames in the WAL; *copied:
 * how many of them are in the database now. */
enum ct_status store_checkpoint(struct store *st, int *wal_frames, int *copied, struct ct_err *err);

/* Gathers the WAL writes of st's transactions in memory and writes them
 * in one system call at the commit's sync (or earlier when they must reach
 * the file): for the connection that commits most, the writer. */
enum ct_status store_gather_wal(struct store *st, struct ct_err *err);

/* Rows inserted, updated or deleted through st since it was opened. */
int64_t store_total_changes(struct store *st);

/* How long a write transaction on st waits for another connection's
 * (default 5000 ms): short on the event loop's connection, which must not
 * stall while the writer thread commits a large import. */
void store_set_busy_ms(struct store *st, int ms);

/* ---- what committed ---- */

enum store_change_kind {
	STORE_CHANGE_EVENT,       /* anything of event_id but values: its sheet, people, judges, state */
	STORE_CHANGE_VALUES,      /* judge_id's values in event_id */
	STORE_CHANGE_TOKENS,      /* tokens were revoked (logout, new PIN, withdrawal, disabled account) */
};

struct store_change {
	enum store_change_kind kind;
	int64_t event_id;         /* 0 for STORE_CHANGE_TOKENS */
	int64_t judge_id;         /* STORE_CHANGE_VALUES only */
};

/* Called on the committing thread right after a transaction committed,
 * with what it changed (each change once). */
typedef void (*store_commit_fn)(void *arg, const struct store_change *changes, size_t n);

/* Sets the hook called after each commit on st (NULL: none). */
void store_on_commit(struct store *st, store_commit_fn fn, void *arg);

/* Called with the duration of every fdatasync/fsync SQLite makes on any
 * database of the process (any thread), in seconds. */
typedef void (*store_sync_fn)(double seconds);

/* Sets the observer of syncs (before the first store_open; NULL: none). */
void store_on_sync(store_sync_fn fn);

/* Called (on the syncing thread) when an fsync of a database file fails,
 * with SQLite's description of the error; set before the first store_open. */
typedef void (*store_sync_error_fn)(const char *what);
void store_on_sync_error(store_sync_error_fn fn);

/* Writes a consistent copy of the database (one snapshot, compacted, a
 * single file without -wal) to the new file path, which must not exist,
 * and checks it with integrity_check; works on a reader connection while
 * others write. */
enum ct_status store_snapshot(struct store *st, const char *path, struct ct_err *err);

/* Finalizes every prepared statement and closes the database. NULL is a no-op. */
void store_close(struct store *st);

/* The database's schema version (PRAGMA user_version). */
int store_schema_version(struct store *st);

/* Transactions. store_begin starts BEGIN IMMEDIATE (waiting for another
 * connection's write transaction at most as long as the busy timeout of
 * store_set_busy_ms). A savepoint nests inside a transaction (one level). */
enum ct_status store_begin(struct store *st, struct ct_err *err);
enum ct_status store_commit(struct store *st, struct ct_err *err);
void store_rollback(struct store *st);
enum ct_status store_savepoint(struct store *st, struct ct_err *err);
void store_savepoint_release(struct store *st);
void store_savepoint_rollback(struct store *st);

/* Appends an audit record (inside the caller's transaction). The role is
 * taken from the actor ("organizer:NAME" organizer, "judge:CODE" judge,
 * "system"). */
enum ct_status store_audit(struct store *st, const char *actor, const char *action, const char *object,
			   const char *old_value, const char *new_value, struct ct_err *err);

/* store_audit with the role the actor acted in (NULL: from the actor; a
 * chief judge acts as "chief") and the reason given (NULL for none). */
enum ct_status store_audit_why(struct store *st, const char *actor, const char *role, const char *action,
			       const char *object, const char *old_value, const char *new_value,
			       const char *reason, struct ct_err *err);

/* An audited action that changes nothing in the database (clearing a login
 * lockout held in memory): one record in its own transaction. */
enum ct_status store_audit_note(struct store *st, const char *actor, const char *action, const char *object,
				const char *reason, struct ct_err *err);

/* ---- contest and credentials ---- */

struct contest_info {
	char code[64];
	char name[256];
	char public_url[512];
	unsigned char sign_pk[32];
};

/* True if the contest record exists (the database has been initialised). */
bool store_contest_exists(struct store *st);

/* Initialises a new contest: record, Ed25519 key pair, and the first
 * organizer account "admin" with admin_hash as its secret hash. */
enum ct_status store_contest_init(struct store *st, const char *code, const char *name,
				  const char *public_url, const unsigned char pk[32],
				  const unsigned char sk[64], const char *admin_hash, struct ct_err *err);

enum ct_status store_contest_get(struct store *st, struct contest_info *out, struct ct_err *err);

/* Changes the contest's name and public base URL (NULL leaves one as it
 * is; a public_url of "" means none: certificates need one), auditing each
 * change as actor. Unchanged values are not audited. */
enum ct_status store_contest_set(struct store *st, const char *actor, const char *name,
				 const char *public_url, struct ct_err *err);

/* ---- organizer accounts ---- */

struct organizer_login {
	int64_t id;
	char name[64];
	char secret_hash[128];  /* crypto_pwhash_STRBYTES */
	bool disabled;
};

/* Looks an organizer account up by name for login; CT_NOT_FOUND if none. */
enum ct_status store_organizer_login(struct store *st, const char *name, struct organizer_login *out,
				     struct ct_err *err);

/* Creates an organizer account (audited); CT_CONFLICT when the name is taken. */
enum ct_status store_organizer_add(struct store *st, const char *actor, const char *name, const char *secret_hash,
				   struct ct_err *err);

struct organizer_info {
	char *name, *created_at, *created_by;
	char *disabled_at, *disabled_by;  /* NULL while active */
};

/* Lists the organizer accounts by name. *out is a new array;
 * organizers_free frees it. */
enum ct_status store_organizers_list(struct store *st, struct organizer_info **out, size_t *n, struct ct_err *err);
void organizers_free(struct organizer_info *list, size_t n);

/* Disables an organizer account and revokes its tokens (audited).
 * CT_NOT_FOUND for an unknown name, CT_CONFLICT when it is disabled already
 * or is the last active account (nobody could log in as an organizer). */
enum ct_status store_organizer_disable(struct store *st, const char *actor, const char *name, struct ct_err *err);

struct judge_login {
	int64_t id;
	char code[64];
	char pin_hash[128];     /* crypto_pwhash_STRBYTES */
};

/* Looks a judge up by code for login; CT_NOT_FOUND if there is none. */
enum ct_status store_judge_login(struct store *st, const char *code, struct judge_login *out,
				 struct ct_err *err);

/* A token as stored: whom it authenticates, expiry. */
struct token_info {
	bool admin;             /* an organizer account (SPEC's admin role) */
	int64_t judge_id;       /* the judge; 0 for an organizer */
	char judge_code[64];
	int64_t expires;        /* unix seconds */
	int64_t organizer_id;   /* the organizer account; 0 for a judge */
	char organizer[64];     /* its name */
};

/* Stores a token by its hash (in its own transaction, audited as a login). */
enum ct_status store_token_put(struct store *st, const unsigned char hash[32], const struct token_info *t,
			       struct ct_err *err);
/* Finds a token by hash: CT_UNAUTHORIZED if unknown, expired at now, or of
 * a disabled organizer account. */
enum ct_status store_token_get(struct store *st, const unsigned char hash[32], int64_t now,
			       struct token_info *out, struct ct_err *err);

/* Revokes one token (logout), audited with actor; CT_UNAUTHORIZED when
 * there is no such token. */
enum ct_status store_token_revoke(struct store *st, const char *actor, const unsigned char hash[32],
				  struct ct_err *err);

/* ---- registration (each a batch, all-or-nothing, in its own transaction) ---- */

struct event_row {
	const char *code;
	const char *name;
	int32_t ratio_c[3];      /* hundredths of a per cent */
	int64_t min_award_c;     /* -1 = none */
	const char *tiebreak;    /* "" = none */
	int32_t discrepancy_pct;
};

struct criterion_row {
	const char *event;
	const char *module;
	const char *module_name;  /* "" = as registered */
	int32_t module_weight;    /* -1 = none */
	const char *code;
	const char *description;
	int32_t max_c;
	enum method method;
};

struct contestant_row {
	const char *reg_id;
	const char *name;
	const char *organization; /* "" = none */
	const char *event;
	const char *id_number;    /* NULL = none */
	const char *members;      /* NULL = individual */
};

struct judge_row {
	const char *code;
	const char *name;
	const char *organization; /* "" = none */
	const char *pin_hash;     /* crypto_pwhash_str of the PIN */
	const char *event;
	const char *role;         /* "judge" or "chief" */
};

struct checkin_row {
	const char *reg_id;
	enum entry_status status;
	int64_t elapsed_s;        /* -1 = leave as is */
	const char *reason;       /* NULL = none */
};

/* Each returns the number of rows stored in *n_done; on failure err names
 * the row (index) and field, and nothing is stored. */
enum ct_status store_events_add(struct store *st, const char *actor, const struct event_row *rows,
				size_t n, struct ct_err *err);
enum ct_status store_criteria_add(struct store *st, const char *actor, const struct criterion_row *rows,
				  size_t n, struct ct_err *err);
enum ct_status store_contestants_add(struct store *st, const char *actor,
				     const struct contestant_row *rows, size_t n, struct ct_err *err);
enum ct_status store_judges_add(struct store *st, const char *actor, const struct judge_row *rows,
				size_t n, struct ct_err *err);
enum ct_status store_checkin(struct store *st, const char *actor, const struct checkin_row *rows,
			     size_t n, struct ct_err *err);

/* Changes one contestant (PATCH). status NULL / elapsed_s -2 / reason NULL
 * leave that field as is; elapsed_s -1 clears it. */
struct contestant_patch {
	const char *status;
	int64_t elapsed_s;
	const char *reason;
};
enum ct_status store_contestant_patch(struct store *st, const char *actor, const char *reg_id,
				      const struct contestant_patch *p, struct ct_err *err);

/* ---- workflow ---- */

/* The draw: setup -> drawn; workstations and anonymous codes; registered ->
 * competed. *n_out is the number of contestants drawn. */
enum ct_status store_event_draw(struct store *st, const char *actor, const char *event,
				uint32_t *n_out, struct ct_err *err);

/* Takes event through the workflow transition action (lock, unlock,
 * publish, finalize) as workflow_step allows it from its current state,
 * with facts for the preconditions (may be NULL for an action without any)
 * and reason (NULL for none). Audited as the action's name, object the
 * event, old and new value the states, with role (NULL: from the actor) and
 * reason. *to (may be NULL) is the state reached. */
enum ct_status store_event_transition(struct store *st, const char *actor, const char *role, const char *event,
				      enum wf_action action, const struct wf_facts *facts, const char *reason,
				      enum event_state *to, struct ct_err *err);

/* A chief judge (or an organizer) accepts the open discrepancy of the
 * contestant (anonymous code; an organizer may use the reg_id) on criterion,
 * with a reason, and for a measurement or deduction criterion the value
 * that stands (value_c; -1 for the other methods). The caller has checked
 * that the discrepancy is open; this checks the event's state and the
 * criterion's method, stores the acceptance (replacing an earlier one) and
 * audits it. */
enum ct_status store_accept(struct store *st, const char *actor, const char *role, const char *event,
			    const char *contestant, const char *criterion, int64_t value_c, const char *reason,
			    struct ct_err *err);

/* Withdraws the judge (code) from event after the draw, with a reason: the
 * judge is no longer required and the judge's values stop counting; they
 * stay in the history. Revokes the judge's tokens when no active assignment
 * is left. CT_NOT_FOUND when the judge is not assigned to the event,
 * CT_CONFLICT when withdrawn already or the state does not allow it. */
enum ct_status store_judge_withdraw(struct store *st, const char *actor, const char *event, const char *judge,
				    const char *reason, struct ct_err *err);

/* How the person asking stands towards event: role (WF_ROLE_ORGANIZER when
 * judge_id is 0; else the judge's role there, WF_ROLE_NONE when not
 * assigned or withdrawn), the event's state and data_version. One point
 * query; CT_NOT_FOUND for an unknown event. */
enum ct_status store_event_access(struct store *st, const char *event, int64_t judge_id, enum wf_role *role,
				  enum event_state *state, int64_t *version, struct ct_err *err);

/* The event's id (for versions.h); CT_NOT_FOUND for an unknown event. */
enum ct_status store_event_id(struct store *st, const char *event, int64_t *id, struct ct_err *err);

/* The event's data_version (bumped by every change that can alter results). */
enum ct_status store_event_version(struct store *st, const char *event, int64_t *version,
				   struct ct_err *err);

/* ---- scores ---- */

struct score_put {
	const char *event;
	const char *contestant;   /* anonymous code; for the admin also a reg_id */
	const char *criterion;
	int64_t judge_id;         /* the judge scoring (when by a judge) */
	const char *judge_code;   /* the judge on whose behalf the admin enters (when judge_id == 0) */
	int64_t value_c;
};

struct score_ack {
	int64_t revision;
	int64_t value_c;
	char contestant[64];      /* as the submitter named it */
	int64_t event_id, contestant_id, criterion_id, judge_id; /* the cell written */
	char at[32];              /* when, ISO 8601 UTC */
};

/* Stores one value inside the caller's transaction (no BEGIN of its own):
 * checks state, assignment, recusal, criterion, range; writes the current
 * value, the revision, the audit record; drops an acceptance it invalidates.
 * Every check comes before the first write: a refused value has written
 * nothing (sqlite3 total_changes unchanged), so a group commit needs no
 * savepoint. The event's lookups are kept on the connection until it
 * changes. */
enum ct_status store_score_put(struct store *st, const char *actor, const struct score_put *p,
			       struct score_ack *ack, struct ct_err *err);

/* Paper sheets: all rows in one transaction through store_score_put. */
enum ct_status store_scores_import(struct store *st, const char *actor, const struct score_put *rows,
				   size_t n, struct ct_err *err);

/* The same import committed in steps, so that the thread running it can
 * report progress or be asked to stop between them: store_import_begin
 * opens the transaction (and *out); each store_import_step stores up to max
 * more rows (*left: rows still to store); store_import_end commits when rc
 * is CT_OK (every row stored) or rolls back otherwise, frees the import and
 * returns the outcome. A failed step's err names the row (index) and
 * field. rows must live until store_import_end. */
struct score_import;
enum ct_status store_import_begin(struct store *st, const char *actor, const struct score_put *rows, size_t n,
				  struct score_import **out, struct ct_err *err);
enum ct_status store_import_step(struct score_import *imp, size_t max, size_t *left, struct ct_err *err);
enum ct_status store_import_end(struct score_import *imp, enum ct_status rc, struct ct_err *err);

/* Idempotency records of score submissions. store_idem_get: CT_NOT_FOUND
 * when the key is new; otherwise *response is a new string (caller frees). */
enum ct_status store_idem_get(struct store *st, const char *actor, const char *key,
			      unsigned char sum[32], int *http_status, char **response, struct ct_err *err);
enum ct_status store_idem_put(struct store *st, const char *actor, const char *key,
			      const unsigned char sum[32], int http_status, const char *response,
			      struct ct_err *err);

/* ---- reading an event whole ---- */

struct ev_module {
	int64_t id;
	char *code, *name;
	int32_t weight;           /* -1 = none */
};

struct ev_criterion {
	int64_t id;
	char *code, *description;
	uint32_t module;          /* index into modules */
	enum method method;
	int32_t max_c;
};

struct ev_contestant {
	int64_t id;
	char *reg_id, *name, *organization; /* organization "" when none */
	uint32_t org_id;
	enum entry_status status;
	char *reason;             /* NULL when none */
	int64_t elapsed_s;        /* -1 unknown */
	char *id_number;          /* NULL when none; never shown in full */
	char *members;            /* NULL for an individual */
	int64_t workstation;      /* 0 before the draw */
	char *code;               /* anonymous code; NULL before the draw */
};

struct ev_judge {
	int64_t id;
	char *code, *name;
	uint32_t org_id;
	bool chief;
	bool withdrawn;           /* withdrawn from the event: not required, values do not count */
};

/* Who accepted a discrepancy, and why (parallel to event_data.accepts). */
struct ev_accept {
	char *reason, *by;
};

struct event_data {
	int64_t id;
	char *code, *name, *state, *tiebreak;
	enum event_state wf_state;           /* state, parsed */
	char *drawn_at, *locked_at;          /* NULL when not yet */
	int32_t ratio_c[3];
	int64_t min_award_c;                 /* -1 = none */
	int32_t discrepancy_pct;
	int64_t version;
	struct ev_module *modules;
	uint32_t n_modules;
	struct ev_criterion *criteria;       /* in module order, then position */
	uint32_t n_criteria;
	struct sheet_module *sheet_modules;  /* modules and criteria as core sees them */
	struct sheet_criterion *sheet_criteria; /* (event_sheet); codes borrowed */
	struct ev_contestant *contestants;   /* by id */
	uint32_t n_contestants;
	struct ev_judge *judges;             /* judges and chiefs, by code */
	uint32_t n_judges;
	struct sheet_value *values;          /* indices into contestants/criteria/judges */
	uint32_t *revisions;                 /* [value]: revision of the current value */
	size_t n_values;
	struct sheet_accept *accepts;
	struct ev_accept *accept_info;       /* [accept] */
	size_t n_accepts;
};

/* Reads an event with its sheet, contestants and judges, and (if
 * with_values) every current value and acceptance. CT_NOT_FOUND if no such
 * event. *out is new; event_data_free frees it. */
enum ct_status store_event_load(struct store *st, const char *event, bool with_values,
				struct event_data **out, struct ct_err *err);
void event_data_free(struct event_data *d);

/* The event's score sheet as core's scoring sees it: modules, criteria,
 * tie-break, award ratios, minimum award score and discrepancy limit, all
 * borrowed from d (valid while d lives). Contestants, judges, values and
 * acceptances are left empty for the caller. For sheet_check, the module
 * maxima and score_event. */
void event_sheet(const struct event_data *d, struct sheet *out);

/* A judge's own score sheet: the event's modules and criteria, the
 * contestants the judge scores (competed, not recused) in workstation order,
 * and the judge's own current values. Read straight from the tables, without
 * scoring the event, and without names, organizations or registration ids. */
struct sheet_entry {
	int64_t id;               /* contestant id (for the store only) */
	char *code;               /* anonymous code */
	int64_t workstation;
	char updated[32];         /* when the judge last entered a value of this row, ISO 8601 UTC; "" if never */
};

struct sheet_mark {
	uint32_t entry;           /* index into entries */
	uint32_t criterion;       /* index into event->criteria */
	int64_t value_c;
};

struct judge_sheet {
	struct event_data *event; /* code, name, state, modules and criteria only */
	char *judge_code, *judge_name;
	struct sheet_entry *entries;
	uint32_t n_entries;
	struct sheet_mark *marks; /* in no particular order */
	size_t n_marks;
};

/* Reads judge_id's own sheet of event. CT_NOT_FOUND for an unknown event,
 * CT_FORBIDDEN when the judge is not assigned to it or is its chief judge.
 * *out is new; judge_sheet_free frees it (NULL is a no-op). */
enum ct_status store_judge_sheet(struct store *st, const char *event, int64_t judge_id, struct judge_sheet **out,
				 struct ct_err *err);
void judge_sheet_free(struct judge_sheet *sh);

struct event_summary {
	char *code, *name, *state, *role; /* role: the judge's role there; NULL for admin */
	int64_t contestants;
};

/* Lists events: all (judge_id 0) or those a judge is assigned to and not
 * withdrawn from. *out is a
 * new array; event_summaries_free frees it. */
enum ct_status store_events_list(struct store *st, int64_t judge_id, struct event_summary **out,
				 size_t *n, struct ct_err *err);
void event_summaries_free(struct event_summary *list, size_t n);

/* ---- the audit trail ---- */

struct audit_row {
	int64_t seq;
	char *at, *actor, *role, *action, *object, *old_value, *new_value, *reason; /* NULL when none */
};

struct audit_filter {
	const char *event;        /* records about this event, or NULL */
	const char *actor;        /* records by this actor ("organizer:admin", "judge:J01"), or NULL */
	const char *since;        /* records at or after this ISO 8601 time, or NULL */
	int64_t after;            /* records with a sequence number above this */
	size_t limit;             /* at most this many */
};

/* Reads audit records in sequence order. *out is a new array of *n rows;
 * audit_rows_free frees it. */
enum ct_status store_audit_log(struct store *st, const struct audit_filter *f, struct audit_row **out, size_t *n,
			       struct ct_err *err);
void audit_rows_free(struct audit_row *rows, size_t n);

/* What store_audit_verify found. */
struct audit_verdict {
	bool ok;
	int64_t records;          /* records in the chain */
	unsigned char head[AUDIT_HASH_BYTES]; /* hash of the last record */
	int64_t seq;              /* the record the problem is at (0: none or not a record) */
	char problem[512];        /* what disagrees, for people; "" when ok */
};

/* Recomputes the hash chain and checks that the database agrees with the
 * audited history: every score's current value and revision is its last
 * audited one, every event's state and every contestant's status is what
 * the trail says. With cp (may be NULL) also checks the checkpoint's
 * signature and that the record it names still has the hash it signed.
 * Stops at the first problem. CT_OK whenever the check ran (see out->ok). */
enum ct_status store_audit_verify(struct store *st, const struct audit_checkpoint *cp, struct audit_verdict *out,
				  struct ct_err *err);

/* Appends a record that actor took a checkpoint, and makes the checkpoint:
 * that record (the head of the chain) signed with the contest key. */
enum ct_status store_audit_checkpoint(struct store *st, const char *actor, struct audit_checkpoint *out,
				      struct ct_err *err);

#endif
