/* Health, login and logout, who is logged in, organizer accounts and
 * clearing a login lockout. */
#include <event2/buffer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "auth.h"
#include "bodies.h"
#include "commit.h"
#include "guard.h"
#include "jin.h"
#include "metrics.h"
#include "results.h"
#include "store.h"
#include "xmalloc.h"

void api_healthz_get(struct request *req)
{
	if (!guard_check()) {
		struct ct_err err;
		ct_err_clear(&err);
		guard_failed(err.msg, sizeof err.msg);
		http_reply_error(req, CT_UNAVAILABLE, &err);
		return;
	}
	struct commit_stats cs;
	commit_stats(req->app->commit, &cs);
	json_t *body = json_pack("{s:s,s:i,s:I,s:I}", "status", "ok", "schema_version",
				 store_schema_version(req->app->store), "queued", (json_int_t)cs.queued, "wal_bytes",
				 (json_int_t)store_wal_bytes(req->app->store));
	if (cs.run_total)
		json_object_set_new(body, "import", json_pack("{s:I,s:I}", "rows_stored", (json_int_t)cs.run_done, "rows",
							      (json_int_t)cs.run_total));
	http_reply_json(req, 200, body);
}

void api_metrics_get(struct request *req)
{
	struct app *app = req->app;
	struct evbuffer *out = xmade(evbuffer_new(), "an evbuffer");
	http_metrics(app, out);
	struct commit_stats cs;
	commit_stats(app->commit, &cs);
	metrics_gauge(out, "commit_queue_length", "Submissions and imports waiting for the writer.", (double)cs.queued);
	metrics_counter(out, "commit_batches_total", "Group commits of submissions.", cs.batches);
	metrics_counter(out, "commit_submissions_total", "Submissions through group commits.", cs.jobs);
	metrics_counter(out, "commit_imports_total", "Imports committed (or refused) by the writer.", cs.calls);
	metrics_gauge(out, "import_rows_stored", "Rows stored so far by the import being committed.", (double)cs.run_done);
	metrics_gauge(out, "import_rows", "Rows of the import being committed (0: none).", (double)cs.run_total);
	metrics_gauge(out, "wal_pages", "Pages in the write-ahead log at the last checkpoint.", (double)cs.wal_frames);
	metrics_gauge(out, "wal_bytes", "Size of the write-ahead log file.", (double)store_wal_bytes(app->store));
	metrics_gauge(out, "loop_late_max_seconds", "The longest the event loop was held up (a timer fired late).",
		      (double)app->loop_late_max_us / 1e6);
	metrics_gauge(out, "loop_busy_max_seconds", "The most CPU time the event loop used between two 20 ms ticks.",
		      (double)app->loop_busy_max_us / 1e6);
	metrics_counter(out, "loop_stalls_total", "Times work held the event loop up more than 100 ms.", app->loop_stalls);
	uint64_t computed = 0, hits = 0;
	results_stats(app->results, &computed, &hits);
	metrics_counter(out, "results_computations_total", "Events scored again after a change.", computed);
	metrics_counter(out, "results_cache_hits_total", "Scored events found current in memory.", hits);
	struct bodies_stats bs;
	bodies_stats(app->bodies, &bs);
	metrics_counter(out, "answers_kept_hits_total", "Results, progress and other views answered from memory.",
			bs.hits);
	metrics_counter(out, "answers_kept_misses_total", "Results, progress and other views encoded again.",
			bs.misses);
	metrics_gauge(out, "answers_kept_bytes", "Bytes of encoded answers kept.", (double)bs.bytes);
	size_t n_sheets = 0, sheet_bytes = 0;
	uint64_t sheet_hits = 0, sheet_builds = 0;
	api_sheets_stats(app->sheets, &n_sheets, &sheet_bytes, &sheet_hits, &sheet_builds);
	metrics_counter(out, "sheet_hits_total", "Judges' sheets answered from memory.", sheet_hits);
	metrics_counter(out, "sheet_reads_total", "Judges' sheets read from the database.", sheet_builds);
	metrics_gauge(out, "sheets_kept", "Judges' sheets kept in memory.", (double)n_sheets);
	uint64_t token_hits = 0, token_lookups = 0;
	auth_stats(app->auth, &token_hits, &token_lookups);
	metrics_counter(out, "token_cache_hits_total", "Tokens found in memory.", token_hits);
	metrics_counter(out, "token_lookups_total", "Tokens looked up in the database.", token_lookups);
	size_t len = evbuffer_get_length(out);
	http_reply_raw(req, 200, "text/plain; version=0.0.4; charset=utf-8", evbuffer_pullup(out, -1), len);
	evbuffer_free(out);
}

static void iso_time(int64_t t, char buf[32])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void login_done(void *arg, enum ct_status rc, const struct login_result *res, const struct ct_err *err)
{
	struct request *req = arg;
	if (rc == CT_RATE_LIMITED) {
		char secs[16];
		snprintf(secs, sizeof secs, "%d", res->retry_after);
		http_set_header(req, "Retry-After", secs);
	}
	if (rc != CT_OK) {
		http_reply_error(req, rc, err);
		return;
	}
	char at[32];
	iso_time(res->expires, at);
	http_reply_json(req, 200, json_pack("{s:s,s:s,s:s,s:s}", "token", res->token, "role",
					    res->organizer ? "organizer" : "judge", res->organizer ? "organizer" : "judge",
					    res->name, "expires_at", at));
}

void api_login_post(struct request *req)
{
	static const char *const known[] = {"secret", "organizer", "judge", "pin", NULL};
	struct ct_err err;
	ct_err_clear(&err);
	const char *secret = NULL, *organizer = NULL, *judge = NULL, *pin = NULL;
	enum ct_status rc = jin_body(req->body, known, &err);
	if (rc == CT_OK)
		rc = jin_str(req->body, "judge", false, 32, -1, &judge, &err);
	if (rc == CT_OK && !judge)
		rc = jin_str(req->body, "organizer", false, 32, -1, &organizer, &err);
	if (rc == CT_OK && judge && json_object_get(req->body, "organizer"))
		rc = ct_fail(&err, CT_INVALID, "give either judge and pin, or organizer and secret");
	if (rc == CT_OK)
		rc = jin_str(req->body, judge ? "pin" : "secret", true, 128, -1, judge ? &pin : &secret, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	auth_login(req->app->auth, req->peer, organizer, judge, judge ? pin : secret, login_done, req);
}

void api_logout_post(struct request *req)
{
	struct ct_err err;
	ct_err_clear(&err);
	const char *h = evhttp_find_header(evhttp_request_get_input_headers(req->ev), "Authorization");
	enum ct_status rc = auth_logout(req->app->auth, h, req->who.actor, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	http_reply_json(req, 200, json_pack("{s:s}", "logged_out", req->who.actor));
}

void api_whoami_get(struct request *req)
{
	struct ct_err err;
	ct_err_clear(&err);
	char at[32];
	iso_time(req->who.expires, at);
	if (req->who.admin) {
		http_reply_json(req, 200, json_pack("{s:s,s:s,s:s}", "role", "organizer", "organizer", req->who.organizer,
						    "expires_at", at));
		return;
	}
	struct event_summary *list = NULL;
	size_t n = 0;
	enum ct_status rc = store_events_list(req->app->store, req->who.judge_id, &list, &n, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	json_t *events = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(events, json_pack("{s:s,s:s,s:s,s:s}", "code", list[i].code, "name", list[i].name,
							"state", list[i].state, "role", list[i].role));
	event_summaries_free(list, n);
	http_reply_json(req, 200, json_pack("{s:s,s:s,s:s,s:o}", "role", "judge", "judge", req->who.judge_code,
					    "expires_at", at, "events", events));
}

void api_organizers_get(struct request *req)
{
	struct ct_err err;
	ct_err_clear(&err);
	struct organizer_info *list = NULL;
	size_t n = 0;
	enum ct_status rc = store_organizers_list(req->app->store, &list, &n, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(rows, json_pack("{s:s,s:s,s:s,s:b,s:o,s:o}", "name", list[i].name, "created_at",
						      list[i].created_at, "created_by", list[i].created_by, "active",
						      !list[i].disabled_at, "disabled_at", jin_opt_str(list[i].disabled_at),
						      "disabled_by", jin_opt_str(list[i].disabled_by)));
	organizers_free(list, n);
	http_reply_json(req, 200, json_pack("{s:o}", "organizers", rows));
}

/* Creates an organizer account; its secret is shown in this answer only. */
void api_organizers_post(struct request *req)
{
	static const char *const known[] = {"name", NULL};
	struct ct_err err;
	ct_err_clear(&err);
	const char *name = NULL;
	char secret[64], hash[AUTH_HASH_TEXT];
	enum ct_status rc = jin_body(req->body, known, &err);
	if (rc == CT_OK)
		rc = jin_code(req->body, "name", -1, &name, &err);
	auth_new_secret(secret, sizeof secret);
	if (rc == CT_OK)
		rc = auth_hash_secret(secret, hash, &err);
	if (rc == CT_OK)
		rc = store_organizer_add(req->app->store, req->who.actor, name, hash, &err);
	if (rc != CT_OK)
		http_reply_error(req, rc, &err);
	else
		http_reply_json(req, 201, json_pack("{s:s,s:s}", "name", name, "secret", secret));
	sodium_memzero(secret, sizeof secret);
}

void api_organizer_disable_post(struct request *req)
{
	struct ct_err err;
	ct_err_clear(&err);
	enum ct_status rc = store_organizer_disable(req->app->store, req->who.actor, req->param[0], &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	http_reply_json(req, 200, json_pack("{s:s,s:b}", "name", req->param[0], "active", 0));
}

/* POST /api/v1/judges/{code}/unlock-login or /organizers/{name}/unlock-login. */
void api_unlock_login_post(struct request *req)
{
	struct ct_err err;
	ct_err_clear(&err);
	bool judge = strncmp(req->path, "/api/v1/judges/", 15) == 0;
	struct judge_login j;
	struct organizer_login o;
	enum ct_status rc = judge ? store_judge_login(req->app->store, req->param[0], &j, &err)
				  : store_organizer_login(req->app->store, req->param[0], &o, &err);
	char account[sizeof req->param[0] + 16];
	snprintf(account, sizeof account, "%s:%s", judge ? "judge" : "organizer", req->param[0]);
	if (rc == CT_OK)
		rc = store_audit_note(req->app->store, req->who.actor, "login.unlock", account, NULL, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	size_t cleared = auth_unlock_login(req->app->auth, account);
	http_reply_json(req, 200, json_pack("{s:s,s:I}", "account", account, "cleared", (json_int_t)cleared));
}
