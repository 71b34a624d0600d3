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
#include "cert.h"
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

/* What the WAL file is cut back to when it starts over (PRAGMA
 * journal_size_limit on every connection). */
#define STORE_WAL_KEEP_TEXT "16777216" /* 16 MiB */

/* A checkpoint: copies what it can of the WAL into the database without
 * waiting for anyone (passive); with truncate, only if every frame can be
 * copied, and then the WAL file is emptied (for when the writer is idle).
 * *wal_frames: frames in the WAL; *copied: how many of them are in the
 * database now. Busy (a reader in the way) is no error: nothing is done. */
enum ct_status store_checkpoint(struct store *st, bool truncate, int *wal_frames, int *copied, struct ct_err *err);

/* Bytes of st's database's WAL file (0 when there is none; -1 when it
 * cannot be read). */
int64_t store_wal_bytes(struct store *st);


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

/* Whether the contest record exists (the database has been initialised):
 * *yes; a read error is returned, never taken for "no contest". */
enum ct_status store_contest_exists(struct store *st, bool *yes, struct ct_err *err);

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

/* How an organization correction changes recusal (SPEC section 5: a judge
 * never scores contestants of the judge's own organization) for a competed
 * contestant of an event: one judge and one contestant each. */
struct recusal_change {
	char event[CODE_MAX + 1];
	char reg_id[CODE_MAX + 1];
	char code[CODE_MAX + 1];  /* anonymous code; "" before the draw */
	char judge[CODE_MAX + 1];
	char judge_name[256];
	bool recused;             /* true: now recused, the judge's values on the contestant no longer
				   * count (they stay stored and audited); false: no longer recused,
				   * the judge now owes its values */
	int64_t values;           /* the judge's current values on the contestant */
};

/* Changes one contestant (PATCH). status NULL / elapsed_s -2 / reason NULL
 * leave that field as is; elapsed_s -1 clears it. */
struct contestant_patch {
	const char *status;
	int64_t elapsed_s;
	const char *reason;
};
enum ct_status store_contestant_patch(struct store *st, const char *actor, const char *reg_id,
				      const struct contestant_patch *p, struct ct_err *err);

/* A correction of a contestant's identity: NULL leaves a field as is; ""
 * clears organization, members or id_number (a name cannot be empty). */
struct identity_patch {
	const char *name;
	const char *organization;
	const char *members;
	const char *id_number;
};

/* store_contestant_patch with an identity correction (either may be NULL),
 * in one transaction, each part as the workflow allows it in the event's
 * state (status, time and reason: WF_SET_STATUS; the identity:
 * WF_CORRECT_IDENTITY), every changed field audited old -> new (the id
 * number masked). An organization change of a competed contestant that
 * alters which scoring judges are recused from it needs WF_CHANGE_RECUSAL
 * too; *changes (may be NULL) is then a new array of *n_changes such
 * changes (caller frees), empty when none. */
enum ct_status store_contestant_correct(struct store *st, const char *actor, const char *reg_id,
					const struct contestant_patch *p, const struct identity_patch *id,
					struct recusal_change **changes, size_t *n_changes, struct ct_err *err);

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

/* ---- corrections (store_corrections.c; the criteria replacement is in
 * store_setup.c). Each is one transaction: checked against the workflow in
 * the event's state, audited old -> new, and bumping the data_version of
 * the events whose results or views it changes. A change of a score sheet
 * is checked whole with sheet_check: its errors refuse the change
 * (CT_INVALID), its warnings go to *warn (may be NULL). ---- */

/* A change of an event's settings: NULL, false or -2 leave a field as is. */
struct event_patch {
	const char *name;
	bool ratios;              /* ratio_c holds new award ratios */
	int32_t ratio_c[3];       /* hundredths of a per cent */
	int64_t min_award_c;      /* -2 as is, -1 none */
	const char *tiebreak;     /* "" none */
	int32_t discrepancy_pct;  /* -2 as is */
};

/* Changes event's settings while it is in setup (WF_EDIT_SHEET). */
enum ct_status store_event_set(struct store *st, const char *actor, const char *event,
			       const struct event_patch *p, struct sheet_warnings *warn, struct ct_err *err);

/* What an event held when it was deleted. */
struct event_counts {
	uint32_t modules, criteria, contestants, assignments;
};

/* Deletes event with its score sheet, contestants and judge assignments
 * (WF_DELETE_EVENT: in setup only); the judges stay registered. */
enum ct_status store_event_delete(struct store *st, const char *actor, const char *event,
				  struct event_counts *out, struct ct_err *err);

/* A change of a module: name NULL / weight -2 leave it as is; weight -1
 * means none. */
struct module_patch {
	const char *name;
	int32_t weight;
};

enum ct_status store_module_set(struct store *st, const char *actor, const char *event, const char *module,
				const struct module_patch *p, struct sheet_warnings *warn, struct ct_err *err);

/* Deletes a module with its criteria; *n_criteria is how many went. */
enum ct_status store_module_delete(struct store *st, const char *actor, const char *event, const char *module,
				   uint32_t *n_criteria, struct sheet_warnings *warn, struct ct_err *err);

/* A change of a criterion: description NULL / max_c -1 / has_method false
 * leave it as is. */
struct criterion_patch {
	const char *description;
	int32_t max_c;
	bool has_method;
	enum method method;
};

enum ct_status store_criterion_set(struct store *st, const char *actor, const char *event, const char *criterion,
				   const struct criterion_patch *p, struct sheet_warnings *warn,
				   struct ct_err *err);

/* Deletes a criterion; the last criterion of a module takes the module with
 * it (*module_deleted). */
enum ct_status store_criterion_delete(struct store *st, const char *actor, const char *event,
				      const char *criterion, bool *module_deleted, struct sheet_warnings *warn,
				      struct ct_err *err);

/* The score sheet of one event after store_criteria_replace. */
struct sheet_replaced {
	char event[CODE_MAX + 1];
	uint32_t modules, criteria;
	struct sheet_warnings warn;
};

/* Replaces the whole score sheet (modules and criteria) of every event the
 * rows name by the rows, all events or none: each event must be in setup
 * (WF_EDIT_SHEET), the rows are checked as store_criteria_add checks them,
 * each old and new sheet is audited (sheet.replace). *out is a new array of
 * *n_out events in the order the rows first name them (caller frees). */
enum ct_status store_criteria_replace(struct store *st, const char *actor, const struct criterion_row *rows,
				      size_t n, struct sheet_replaced **out, size_t *n_out, struct ct_err *err);

/* Deletes a contestant (WF_UNREGISTER: its event in setup). event (may be
 * NULL) gets the contestant's event code. */
enum ct_status store_contestant_delete(struct store *st, const char *actor, const char *reg_id,
				       char event[CODE_MAX + 1], struct ct_err *err);

/* A change of a judge: NULL leaves a field as is; organization "" means
 * none; pin_hash is crypto_pwhash_str of a new PIN. */
struct judge_patch {
	const char *name;
	const char *organization;
	const char *pin_hash;
};

/* Changes a judge. A new PIN revokes the judge's tokens (audited as
 * judge.pin). An organization change that alters which contestants the
 * judge is recused from in an event past setup needs WF_CHANGE_RECUSAL in
 * each such event; *changes (may be NULL) is a new array of *n_changes
 * (caller frees). */
enum ct_status store_judge_set(struct store *st, const char *actor, const char *code, const struct judge_patch *p,
			       struct recusal_change **changes, size_t *n_changes, struct ct_err *err);

/* Deletes a judge with its assignments and tokens: only while every event
 * the judge is assigned to is in setup (WF_UNASSIGN_JUDGE) and the judge
 * has never entered a value. *n_assignments is how many went. */
enum ct_status store_judge_delete(struct store *st, const char *actor, const char *code, uint32_t *n_assignments,
				  struct ct_err *err);

/* Removes the judge's assignment to event (WF_UNASSIGN_JUDGE: in setup);
 * role (may be NULL) gets the role it had. Revokes the judge's tokens when
 * no active assignment is left. */
enum ct_status store_judge_unassign(struct store *st, const char *actor, const char *event, const char *code,
				    char role[16], struct ct_err *err);

/* ---- publication (公示), appeals, certificates ---- */

/* One published version of an event's results. */
struct publication {
	int64_t id;
	unsigned version;
	char *published_at, *published_by; /* ISO 8601 UTC; audit actor */
	char *notice_until;       /* end of the notice period, ISO 8601 UTC; NULL: none */
	char *reason;             /* why it replaces the version before; NULL for version 1 */
	char *results;            /* the frozen results document (JSON text) */
	size_t results_len;
	int64_t audit_seq;        /* its audit record */
};

/* Frees what p holds and zeroes it; a zeroed publication is a no-op. */
void publication_clear(struct publication *p);

/* Reads version (0: the latest) of event's published results, with one
 * point query. CT_NOT_FOUND when the event is unknown or has no such
 * version (the message says which). */
enum ct_status store_publication_get(struct store *st, const char *event, unsigned version, struct publication *out,
				     struct ct_err *err);

/* The reason given when event was last unlocked after its publication
 * audit record after_seq (a correction); *reason is a new string (caller
 * frees) or NULL when there was none. */
enum ct_status store_correction_reason(struct store *st, const char *event, int64_t after_seq, char **reason,
				       struct ct_err *err);

/* A new version of an event's results, frozen by the caller. */
struct publish_row {
	unsigned version;         /* the latest version + 1 */
	int64_t data_version;     /* the event's data_version the document was computed from */
	const char *results;      /* the document */
	size_t results_len;
	const char *published_at; /* ISO 8601 UTC, as the document says */
	const char *notice_until; /* NULL: none */
	const char *reason;       /* NULL for version 1 */
};

/* Publishes: locked -> published as workflow_step allows it, stores the
 * version and audits it ("publish", new value from audit_publish_value, the
 * reason). CT_CONFLICT when the event changed since the document was made
 * (data_version) or another version came first. */
enum ct_status store_publish(struct store *st, const char *actor, const char *event, const struct publish_row *p,
			     struct ct_err *err);

/* An event with at least one published version, for the public list. */
struct published_event {
	char *code, *name;
	enum event_state state;   /* published, final, or drawn/locked while a correction is made */
	unsigned version;         /* the latest */
	char *published_at, *notice_until; /* of the latest version; notice_until NULL: none */
	char *finalized_at;       /* NULL until final */
};

/* Lists the events that have published results, by code. *out is a new
 * array; published_events_free frees it. */
enum ct_status store_published_events(struct store *st, struct published_event **out, size_t *n,
				      struct ct_err *err);
void published_events_free(struct published_event *list, size_t n);

/* An appeal (申诉) against a published version. */
struct appeal_new {
	const char *appellant;    /* who appealed */
	const char *contestant;   /* reg_id of the entry it concerns, or NULL */
	const char *text;         /* what is appealed */
	const char *received_at;  /* ISO 8601 UTC, or NULL for now */
};

/* Records an appeal against event's latest published version (the
 * workflow's WF_APPEAL: the event must be published), audited as
 * appeal.add (object EVENT/appeal/N). *number is the appeal's number. */
enum ct_status store_appeal_add(struct store *st, const char *actor, const char *event, const struct appeal_new *a,
				int64_t *number, struct ct_err *err);

struct appeal_info {
	int64_t number;
	unsigned version;         /* the published version it is against */
	char *appellant, *contestant, *text, *received_at, *recorded_by; /* contestant: reg_id or NULL */
	char *outcome;            /* "upheld", "rejected"; NULL while open */
	char *resolution, *resolved_at, *resolved_by;
};

/* Lists an event's appeals by number. *out is a new array; appeals_free
 * frees it. CT_NOT_FOUND for an unknown event. */
enum ct_status store_appeals_list(struct store *st, const char *event, struct appeal_info **out, size_t *n,
				  struct ct_err *err);
void appeals_free(struct appeal_info *list, size_t n);

/* Resolves appeal number with outcome "upheld" or "rejected" and the
 * decision (resolution), while its event is published; audited as
 * appeal.resolve. *event_out (may be NULL) gets the event code (64 bytes).
 * CT_NOT_FOUND for no such appeal, CT_CONFLICT when resolved already. */
enum ct_status store_appeal_resolve(struct store *st, const char *actor, int64_t number, const char *outcome,
				    const char *resolution, char event_out[64], struct ct_err *err);

/* A certificate to issue at finalize: one winning person. */
struct cert_issue {
	int64_t contestant_id;    /* the entry ("entry" of the published document) */
	const char *holder;       /* the person: the contestant, or a member of the team */
	const char *organization;
	const char *team;         /* the team's name for a team member; NULL for an individual */
	unsigned award;           /* 1..3 */
	uint32_t rank;
	int64_t total_c;
};

/* Finalizes event: checks the workflow (notice period over, no open
 * appeal: their facts are read here), that publication_id is still the
 * latest version, and that the contest has a public base URL; then issues
 * the certificates rows[0..n), each with a new id, signed with the contest
 * key (core/cert.c) with issue_day as the issue date, audited one by one
 * (certificate.issue, object EVENT/ID), and moves the event to final
 * (audited as finalize). All or nothing. now is the current time (ISO 8601
 * UTC) the notice period is compared with. */
enum ct_status store_finalize(struct store *st, const char *actor, const char *event, int64_t publication_id,
			      const struct cert_issue *rows, size_t n, int32_t issue_day, const char *now,
			      struct ct_err *err);

/* A certificate as stored. */
struct cert_record {
	char id[CERT_ID_TEXT_MAX];
	struct cert cert;         /* the signed fields (cert_set) */
	char event_name[256];
	char team[CERT_TEXT_MAX + 1];   /* "" for an individual */
	uint8_t key_id[CERT_KEY_ID_BYTES];
	uint8_t sig[CERT_SIG_BYTES];
	char url[512];            /* the verification URL in its QR code */
	char issued_at[32];
	char revoked_at[32];      /* "" unless revoked */
	char revoke_reason[512];
};

/* Reads the certificate id (text form, as cert_id_format writes it) with
 * one point query; CT_NOT_FOUND when there is none. */
enum ct_status store_certificate_get(struct store *st, const char *id, struct cert_record *out, struct ct_err *err);

/* Lists an event's certificates by award, rank and holder. *out is a new
 * array of *n records (caller frees). CT_NOT_FOUND for an unknown event. */
enum ct_status store_certificates_list(struct store *st, const char *event, struct cert_record **out, size_t *n,
				       struct ct_err *err);

/* Revokes certificate id with a reason (audited as certificate.revoke).
 * CT_NOT_FOUND for no such certificate, CT_CONFLICT when revoked already. */
enum ct_status store_certificate_revoke(struct store *st, const char *actor, const char *id, const char *reason,
					struct cert_record *out, struct ct_err *err);

/* A revoked certificate, for the revocation list. */
struct revocation {
	char id[CERT_ID_TEXT_MAX];
	char at[32];
	char *reason;
};

/* Lists every revoked certificate by id. *out is a new array;
 * revocations_free frees it. */
enum ct_status store_revocations(struct store *st, struct revocation **out, size_t *n, struct ct_err *err);
void revocations_free(struct revocation *list, size_t n);

/* Signs msg with the contest's Ed25519 key (for documents the contest
 * publishes, such as the revocation list); key_id gets the key's id. */
enum ct_status store_contest_sign(struct store *st, const void *msg, size_t len, uint8_t sig[CERT_SIG_BYTES],
				  uint8_t key_id[CERT_KEY_ID_BYTES], struct ct_err *err);

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
