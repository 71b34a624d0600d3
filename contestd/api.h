/* Request handlers, one file per resource. Each decodes its input, makes one
 * store or core call, encodes the result and replies exactly once. */
#ifndef CONTESTD_API_H
#define CONTESTD_API_H

#include <stdlib.h>

#include "http.h"
#include "store.h"
#include "workflow.h"
#include "jin.h"
#include "xmalloc.h"

/* The handler of a batch (a JSON array of rows, or one object): decodes
 * every row with decode (json_t *, long row, type *, struct ct_err *), stores
 * them with add (store, actor, const type *, size_t, struct ct_err *) and
 * replies status with {verb: number of rows}, or the error. */
#define API_BATCH(req, type, decode, add, status, verb)                                                    \
	do {                                                                                               \
		struct ct_err err;                                                                         \
		ct_err_clear(&err);                                                                        \
		size_t n = 0;                                                                              \
		enum ct_status rc = jin_rows((req)->body, &n, &err);                                       \
		type *rows = rc == CT_OK ? xcalloc(n, sizeof *rows) : NULL;                                \
		for (size_t i = 0; rc == CT_OK && i < n; i++)                                              \
			rc = decode(jin_row((req)->body, i), (long)i, &rows[i], &err);                     \
		if (rc == CT_OK)                                                                           \
			rc = add((req)->app->store, (req)->who.actor, rows, n, &err);                      \
		free(rows);                                                                                \
		if (rc != CT_OK)                                                                           \
			http_reply_error((req), rc, &err);                                                 \
		else                                                                                       \
			http_reply_json((req), (status), json_pack("{s:I}", (verb), (json_int_t)n));      \
	} while (0)

/* Stores the rows of a batch whose body (json_t array or object of n rows,
 * checked by jin_rows) has been parsed, on the writer thread (st is the
 * writer's connection). */
typedef enum ct_status (*api_rows_fn)(struct store *st, const char *actor, json_t *body, size_t n,
				      struct ct_err *err);

/* Defines the api_rows_fn name: decodes every row with decode (json_t *,
 * long row, type *, struct ct_err *) and stores them with add (store,
 * actor, const type *, size_t, struct ct_err *). */
#define API_ROWS(name, type, decode, add)                                                                    \
	static enum ct_status name(struct store *st, const char *actor, json_t *body, size_t n,            \
				   struct ct_err *err)                                                       \
	{                                                                                                  \
		enum ct_status rc = CT_OK;                                                                 \
		type *rows = xcalloc(n, sizeof *rows);                                                     \
		for (size_t i = 0; rc == CT_OK && i < n; i++)                                              \
			rc = decode(jin_row(body, i), (long)i, &rows[i], err);                             \
		if (rc == CT_OK)                                                                           \
			rc = add(st, actor, rows, n, err);                                                 \
		free(rows);                                                                                \
		return rc;                                                                                 \
	}

/* The handler of an import on a ROUTE_RAW route: the body (a JSON array
 * of rows, or one object) is parsed and stored by rows on the writer
 * thread, off the event loop, and the answer is status with {verb: number
 * of rows}, or the error. */
void api_batch_submit(struct request *req, api_rows_fn rows, int status, const char *verb);

/* Answers with the body kept under key for version v (bodies.h), if there
 * is one; true when answered. */
bool api_reply_kept(struct request *req, const char *key, const uint64_t v[2]);

/* Encodes body (taking its reference) as the answer, keeps it under key
 * for version v with etag (may be NULL), and answers with it. */
void api_reply_keep(struct request *req, const char *key, const uint64_t v[2], const char *etag, json_t *body);

/* The same for a body already encoded: n bytes of JSON text. */
void api_reply_keep_text(struct request *req, const char *key, const uint64_t v[2], const char *etag, const char *text,
			 size_t n);

/* How the caller stands towards the event of the path (req->param[0]). */
struct event_access {
	enum wf_role role;        /* organizer, or the judge's role in the event */
	enum event_state state;
	int64_t version;          /* the event's data_version */
	bool identities;          /* may see reg_ids and names: an organizer, or any role from the lock */
};

/* Whether the caller may take action on the event of the path (one point
 * query and the workflow's permission table); on refusal replies (403, 404)
 * and returns false. */
bool api_event_role(struct request *req, enum wf_action action, struct event_access *out);

struct event_data;

/* The event's contestants in anonymous-code order (before the draw, by
 * reg_id): what a judge or chief judge may be shown, never registration
 * order. Returns a new array of indices into d->contestants; caller frees. */
uint32_t *api_code_order(const struct event_data *d);

/* api_auth.c */
void api_healthz_get(struct request *req);
void api_metrics_get(struct request *req);
void api_login_post(struct request *req);
void api_logout_post(struct request *req);
void api_whoami_get(struct request *req);
void api_organizers_get(struct request *req);
void api_organizers_post(struct request *req);
void api_organizer_disable_post(struct request *req);
void api_unlock_login_post(struct request *req);

/* api_events.c */
void api_events_get(struct request *req);
void api_events_post(struct request *req);
void api_event_get(struct request *req);
void api_criteria_post(struct request *req);
void api_draw_post(struct request *req);
void api_lock_post(struct request *req);
void api_unlock_post(struct request *req);
void api_event_patch(struct request *req);
void api_event_delete(struct request *req);
void api_module_patch(struct request *req);
void api_module_delete(struct request *req);
void api_criterion_patch(struct request *req);
void api_criterion_delete(struct request *req);
void api_criteria_put(struct request *req);

struct sheet_warnings;

/* A score sheet's warnings as GET /api/v1/events/{event} lists them; new
 * reference. */
json_t *api_warnings_json(const struct sheet_warnings *warn);

/* api_people.c */
void api_contestants_post(struct request *req);
void api_event_contestants_get(struct request *req);
void api_contestant_patch(struct request *req);
void api_judges_post(struct request *req);
void api_checkin_post(struct request *req);
void api_judge_withdraw_post(struct request *req);
void api_contestant_delete(struct request *req);
void api_judge_patch(struct request *req);
void api_judge_delete(struct request *req);
void api_judge_unassign(struct request *req);

/* api_scores.c */
void api_scores_post(struct request *req);
void api_scores_import_post(struct request *req);

/* api_sheet.c: a judge's own sheet, kept per (event, judge) */
void api_sheet_get(struct request *req);

struct sheets;
struct sheets *api_sheets_new(size_t max_bytes);
void api_sheets_free(struct sheets *s); /* NULL is a no-op */

/* A judge's value committed by a submission (ack), whose batch left the
 * judge's values of the event at generation gen (versions.h): the kept
 * sheet takes it in without reading the database again. */
void api_sheet_note(struct app *app, const struct score_ack *ack, uint64_t gen);

/* Kept sheets: how many, their bytes, and how many were answered from
 * memory and how many read from the database. */
void api_sheets_stats(const struct sheets *s, size_t *n, size_t *bytes, uint64_t *hits, uint64_t *builds);

/* api_results.c */
void api_results_get(struct request *req);

/* The award's code for programs: "first", "second", "third"; NULL for 0
 * (none). */
const char *api_award_code(unsigned award);

struct result;
struct result_entry;

/* The event's modules as results show them: [{code, name, weight, max}];
 * new reference. */
json_t *api_modules_json(const struct event_data *d, const struct result *r);

/* The module scores of result entry e in module order, null for a
 * contestant who did not compete; new reference. */
json_t *api_module_scores_json(const struct event_data *d, const struct result *r, const struct result_entry *e);

/* api_publish.c: publication, the public results, appeals */
void api_publish_post(struct request *req);
void api_public_events_get(struct request *req);
void api_public_results_get(struct request *req);
void api_appeals_get(struct request *req);
void api_appeals_post(struct request *req);
void api_appeal_resolve_post(struct request *req);

struct pubdoc;

/* Answers a cached public document: 304 when If-None-Match names its ETag,
 * else 200 with it as JSON; Cache-Control no-cache (revalidate). */
void api_reply_doc(struct request *req, const struct pubdoc *doc);

/* The list of published events has changed (publish, unlock, finalize):
 * forget its cached document. */
void api_public_changed(struct app *app);

/* Whether s, when not NULL, is text people can read: valid UTF-8 without
 * control characters (new lines allowed when multiline); otherwise
 * CT_INVALID naming field. */
enum ct_status api_text_ok(const char *field, const char *s, bool multiline, struct ct_err *err);

/* api_cert.c: finalize, certificates, revocation, verification */
void api_finalize_post(struct request *req);
void api_certificates_get(struct request *req);
void api_certificate_revoke_post(struct request *req);
void api_public_revocations_get(struct request *req);
void api_public_key_get(struct request *req);
void api_verify_get(struct request *req);

/* api_chief.c */
void api_progress_get(struct request *req);
void api_scores_get(struct request *req);
void api_accept_post(struct request *req);
void api_judge_stats_get(struct request *req);

/* api_audit.c */
void api_audit_get(struct request *req);
void api_audit_verify_post(struct request *req);
void api_audit_checkpoint_post(struct request *req);

#endif
