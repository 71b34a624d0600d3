/* Health and login. */
#include <stdio.h>
#include <time.h>

#include "api.h"
#include "auth.h"
#include "jin.h"
#include "store.h"

void api_healthz_get(struct request *req)
{
	json_t *body = json_pack("{s:s,s:i}", "status", "ok", "schema_version",
				 store_schema_version(req->app->store));
	http_reply_json(req, 200, body);
}

static void iso_time(int64_t t, char buf[32])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void api_login_post(struct request *req)
{
	static const char *const known[] = {"secret", "judge", "pin", NULL};
	struct ct_err err;
	ct_err_clear(&err);
	const char *secret = NULL, *judge = NULL, *pin = NULL;
	enum ct_status rc = CT_OK;
	if (!json_is_object(req->body))
		rc = ct_fail(&err, CT_INVALID, "the body must be a JSON object");
	if (rc == CT_OK)
		rc = jin_known(req->body, known, -1, &err);
	if (rc == CT_OK)
		rc = jin_str(req->body, "judge", false, 32, -1, &judge, &err);
	if (rc == CT_OK)
		rc = jin_str(req->body, judge ? "pin" : "secret", true, 128, -1, judge ? &pin : &secret, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	char token[AUTH_TOKEN_TEXT];
	int64_t expires = 0;
	int retry_after = 0;
	rc = auth_login(req->app, req->peer, judge, judge ? pin : secret, token, &expires, &retry_after, &err);
	if (rc == CT_RATE_LIMITED) {
		char secs[16];
		snprintf(secs, sizeof secs, "%d", retry_after);
		evhttp_add_header(evhttp_request_get_output_headers(req->ev), "Retry-After", secs);
	}
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	char at[32];
	iso_time(expires, at);
	json_t *body = json_pack("{s:s,s:s}", "token", token, "role", judge ? "judge" : "admin");
	if (judge)
		json_object_set_new(body, "judge", json_string(judge));
	json_object_set_new(body, "expires_at", json_string(at));
	http_reply_json(req, 200, body);
}
