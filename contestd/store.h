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

#include "scoring.h"
#include "status.h"

struct store;

/* The schema version this binary's embedded migrations reach. */
int store_schema_latest(void);

/* Opens (creating if needed) the database at path (":memory:" for tests),
 * sets the pragmas and applies pending migrations. Refuses a database whose
 * schema is newer than this binary knows. *out is new; store_close frees it. */
enum ct_status store_open(const char *path, struct store **out, struct ct_err *err);

/* Finalizes every prepared statement and closes the database. NULL is a no-op. */
void store_close(struct store *st);

/* The database's schema version (PRAGMA user_version). */
int store_schema_version(struct store *st);

/* Transactions on the single writer connection. store_begin starts BEGIN
 * IMMEDIATE. Savepoints nest inside a transaction (group commit uses one per
 * submission so a failing row fails only itself). */
enum ct_status store_begin(struct store *st, struct ct_err *err);
enum ct_status store_commit(struct store *st, struct ct_err *err);
void store_rollback(struct store *st);
enum ct_status store_savepoint(struct store *st, struct ct_err *err);
void store_savepoint_release(struct store *st);
void store_savepoint_rollback(struct store *st);

/* Appends an audit record (inside the caller's transaction). */
enum ct_status store_audit(struct store *st, const char *actor, const char *action, const char *object,
			   const char *old_value, const char *new_value, struct ct_err *err);

/* ---- contest and credentials ---- */

struct contest_info {
	char code[64];
	char name[256];
	char public_url[512];
	unsigned char sign_pk[32];
};

/* True if the contest record exists (the database has been initialised). */
bool store_contest_exists(struct store *st);

/* Initialises a new contest: record, Ed25519 key pair, admin secret hash. */
enum ct_status store_contest_init(struct store *st, const char *code, const char *name,
				  const char *public_url, const unsigned char pk[32],
				  const unsigned char sk[64], const char *admin_hash, struct ct_err *err);

enum ct_status store_contest_get(struct store *st, struct contest_info *out, struct ct_err *err);

/* Changes the contest's name and public base URL (NULL leaves one as it
 * is; a public_url of "" means none: certificates need one), auditing each
 * change as actor. Unchanged values are not audited. */
enum ct_status store_contest_set(struct store *st, const char *actor, const char *name,
				 const char *public_url, struct ct_err *err);

/* Copies the admin secret hash (crypto_pwhash_str) into buf. */
enum ct_status store_admin_hash(struct store *st, char *buf, size_t len, struct ct_err *err);

struct judge_login {
	int64_t id;
	char code[64];
	char pin_hash[128];     /* crypto_pwhash_STRBYTES */
};

/* Looks a judge up by code for login; CT_NOT_FOUND if there is none. */
enum ct_status store_judge_login(struct store *st, const char *code, struct judge_login *out,
				 struct ct_err *err);

/* A token as stored: role, judge, expiry. */
struct token_info {
	bool admin;
	int64_t judge_id;   /* 0 for admin */
	char judge_code[64];
	int64_t expires;    /* unix seconds */
};

/* Stores a token by its hash (in its own transaction, audited as a login). */
enum ct_status store_token_put(struct store *st, const unsigned char hash[32], const struct token_info *t,
			       struct ct_err *err);
/* Finds a token by hash: CT_UNAUTHORIZED if unknown or expired at now. */
enum ct_status store_token_get(struct store *st, const unsigned char hash[32], int64_t now,
			       struct token_info *out, struct ct_err *err);

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

/* Moves an event from state `from` to `to` (checked), audited as action. */
enum ct_status store_event_transition(struct store *st, const char *actor, const char *event,
				      const char *from, const char *to, const char *action,
				      const char *reason, struct ct_err *err);

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
};

/* Stores one value inside the caller's transaction (no BEGIN of its own):
 * checks state, assignment, recusal, criterion, range; writes the current
 * value, the revision, the audit record; drops an acceptance it invalidates. */
enum ct_status store_score_put(struct store *st, const char *actor, const struct score_put *p,
			       struct score_ack *ack, struct ct_err *err);

/* Paper sheets: all rows in one transaction through store_score_put. */
enum ct_status store_scores_import(struct store *st, const char *actor, const struct score_put *rows,
				   size_t n, struct ct_err *err);

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
};

struct event_data {
	int64_t id;
	char *code, *name, *state, *tiebreak;
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
	size_t n_values;
	struct sheet_accept *accepts;
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

/* Lists events: all (judge_id 0) or those a judge is assigned to. *out is a
 * new array; event_summaries_free frees it. */
enum ct_status store_events_list(struct store *st, int64_t judge_id, struct event_summary **out,
				 size_t *n, struct ct_err *err);
void event_summaries_free(struct event_summary *list, size_t n);

#endif
