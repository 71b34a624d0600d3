/* The libevent HTTP server: limits, routing, authentication, body checks,
 * replies and the request log. */
#include "http.h"

#include <event2/buffer.h>
#include <event2/keyvalq_struct.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "api.h"
#include "auth.h"
#include "limit.h"
#include "log.h"
#include "web.h"
#include "xmalloc.h"

static const struct route routes[] = {
	{EVHTTP_REQ_GET, "/healthz", ACCESS_PUBLIC, false, api_healthz_get},
	{EVHTTP_REQ_GET, "/", ACCESS_PUBLIC, false, web_get},
	{EVHTTP_REQ_GET, "/static/{}", ACCESS_PUBLIC, false, web_get},
	{EVHTTP_REQ_GET, "/results", ACCESS_VISITOR, false, web_public_get},
	{EVHTTP_REQ_GET, "/results/{}", ACCESS_VISITOR, false, web_public_get},
	{EVHTTP_REQ_GET, "/v", ACCESS_VISITOR, false, web_public_get},
	{EVHTTP_REQ_GET, "/v/{}", ACCESS_VISITOR, false, web_public_get},
	{EVHTTP_REQ_GET, "/V/{}", ACCESS_VISITOR, false, web_public_get},
	{EVHTTP_REQ_POST, "/api/v1/login", ACCESS_PUBLIC, true, api_login_post},
	{EVHTTP_REQ_GET, "/api/v1/events", ACCESS_ANY, false, api_events_get},
	{EVHTTP_REQ_POST, "/api/v1/events", ACCESS_ADMIN, true, api_events_post},
	{EVHTTP_REQ_GET, "/api/v1/events/{}", ACCESS_ANY, false, api_event_get},
	{EVHTTP_REQ_POST, "/api/v1/criteria", ACCESS_ADMIN, true, api_criteria_post},
	{EVHTTP_REQ_POST, "/api/v1/contestants", ACCESS_ADMIN, true, api_contestants_post},
	{EVHTTP_REQ_GET, "/api/v1/events/{}/contestants", ACCESS_ADMIN, false, api_event_contestants_get},
	{EVHTTP_REQ_PATCH, "/api/v1/contestants/{}", ACCESS_ADMIN, true, api_contestant_patch},
	{EVHTTP_REQ_POST, "/api/v1/judges", ACCESS_ADMIN, true, api_judges_post},
	{EVHTTP_REQ_POST, "/api/v1/events/{}/draw", ACCESS_ADMIN, false, api_draw_post},
	{EVHTTP_REQ_POST, "/api/v1/checkin", ACCESS_ADMIN, true, api_checkin_post},
	{EVHTTP_REQ_POST, "/api/v1/events/{}/lock", ACCESS_ANY, false, api_lock_post},
	{EVHTTP_REQ_POST, "/api/v1/events/{}/scores", ACCESS_JUDGE, true, api_scores_post},
	{EVHTTP_REQ_GET, "/api/v1/events/{}/sheet", ACCESS_JUDGE, false, api_sheet_get},
	{EVHTTP_REQ_POST, "/api/v1/scores/import", ACCESS_ADMIN, true, api_scores_import_post},
	{EVHTTP_REQ_GET, "/api/v1/events/{}/results", ACCESS_ADMIN, false, api_results_get},
	{EVHTTP_REQ_POST, "/api/v1/logout", ACCESS_ANY, false, api_logout_post},
	{EVHTTP_REQ_GET, "/api/v1/whoami", ACCESS_ANY, false, api_whoami_get},
	{EVHTTP_REQ_GET, "/api/v1/organizers", ACCESS_ADMIN, false, api_organizers_get},
	{EVHTTP_REQ_POST, "/api/v1/organizers", ACCESS_ADMIN, true, api_organizers_post},
	{EVHTTP_REQ_POST, "/api/v1/organizers/{}/disable", ACCESS_ADMIN, false, api_organizer_disable_post},
	{EVHTTP_REQ_POST, "/api/v1/organizers/{}/unlock-login", ACCESS_ADMIN, false, api_unlock_login_post},
	{EVHTTP_REQ_POST, "/api/v1/judges/{}/unlock-login", ACCESS_ADMIN, false, api_unlock_login_post},
	{EVHTTP_REQ_POST, "/api/v1/events/{}/judges/{}/withdraw", ACCESS_ADMIN, true, api_judge_withdraw_post},
	{EVHTTP_REQ_GET, "/api/v1/events/{}/progress", ACCESS_ANY, false, api_progress_get},
	{EVHTTP_REQ_GET, "/api/v1/events/{}/scores", ACCESS_ANY, false, api_scores_get},
	{EVHTTP_REQ_POST, "/api/v1/events/{}/accept", ACCESS_ANY, true, api_accept_post},
	{EVHTTP_REQ_GET, "/api/v1/events/{}/judges/stats", ACCESS_ANY, false, api_judge_stats_get},
	{EVHTTP_REQ_POST, "/api/v1/events/{}/unlock", ACCESS_ADMIN, true, api_unlock_post},
	{EVHTTP_REQ_GET, "/api/v1/audit", ACCESS_ADMIN, false, api_audit_get},
	{EVHTTP_REQ_POST, "/api/v1/audit/verify", ACCESS_ADMIN, true, api_audit_verify_post},
	{EVHTTP_REQ_POST, "/api/v1/audit/checkpoint", ACCESS_ADMIN, false, api_audit_checkpoint_post},
	{EVHTTP_REQ_PATCH, "/api/v1/events/{}", ACCESS_ADMIN, true, api_event_patch},
	{EVHTTP_REQ_DELETE, "/api/v1/events/{}", ACCESS_ADMIN, false, api_event_delete},
	{EVHTTP_REQ_PATCH, "/api/v1/events/{}/modules/{}", ACCESS_ADMIN, true, api_module_patch},
	{EVHTTP_REQ_DELETE, "/api/v1/events/{}/modules/{}", ACCESS_ADMIN, false, api_module_delete},
	{EVHTTP_REQ_PATCH, "/api/v1/events/{}/criteria/{}", ACCESS_ADMIN, true, api_criterion_patch},
	{EVHTTP_REQ_DELETE, "/api/v1/events/{}/criteria/{}", ACCESS_ADMIN, false, api_criterion_delete},
	{EVHTTP_REQ_PUT, "/api/v1/criteria", ACCESS_ADMIN, true, api_criteria_put},
	{EVHTTP_REQ_DELETE, "/api/v1/contestants/{}", ACCESS_ADMIN, false, api_contestant_delete},
	{EVHTTP_REQ_PATCH, "/api/v1/judges/{}", ACCESS_ADMIN, true, api_judge_patch},
	{EVHTTP_REQ_DELETE, "/api/v1/judges/{}", ACCESS_ADMIN, false, api_judge_delete},
	{EVHTTP_REQ_DELETE, "/api/v1/events/{}/judges/{}", ACCESS_ADMIN, false, api_judge_unassign},
	{EVHTTP_REQ_POST, "/api/v1/events/{}/publish", ACCESS_ADMIN, true, api_publish_post},
	{EVHTTP_REQ_GET, "/api/v1/events/{}/appeals", ACCESS_ADMIN, false, api_appeals_get},
	{EVHTTP_REQ_POST, "/api/v1/events/{}/appeals", ACCESS_ADMIN, true, api_appeals_post},
	{EVHTTP_REQ_POST, "/api/v1/appeals/{}/resolve", ACCESS_ADMIN, true, api_appeal_resolve_post},
	{EVHTTP_REQ_POST, "/api/v1/events/{}/finalize", ACCESS_ADMIN, false, api_finalize_post},
	{EVHTTP_REQ_GET, "/api/v1/events/{}/certificates", ACCESS_ADMIN, false, api_certificates_get},
	{EVHTTP_REQ_POST, "/api/v1/certificates/{}/revoke", ACCESS_ADMIN, true, api_certificate_revoke_post},
	{EVHTTP_REQ_GET, "/api/v1/public/events", ACCESS_VISITOR, false, api_public_events_get},
	{EVHTTP_REQ_GET, "/api/v1/public/events/{}/results", ACCESS_VISITOR, false, api_public_results_get},
	{EVHTTP_REQ_GET, "/api/v1/public/revocations", ACCESS_VISITOR, false, api_public_revocations_get},
	{EVHTTP_REQ_GET, "/api/v1/public/key", ACCESS_VISITOR, false, api_public_key_get},
	{EVHTTP_REQ_GET, "/api/v1/verify/{}", ACCESS_VISITOR, false, api_verify_get},
};

int http_status_of(enum ct_status st)
{
	switch (st) {
	case CT_OK: return 200;
	case CT_INVALID: return 400;
	case CT_UNAUTHORIZED: return 401;
	case CT_FORBIDDEN: return 403;
	case CT_NOT_FOUND: return 404;
	case CT_CONFLICT: return 409;
	case CT_TOO_LARGE: return 413;
	case CT_RATE_LIMITED: return 429;
	case CT_UNAVAILABLE: return 503;
	case CT_INTERNAL: return 500;
	}
	return 500;
}

json_t *http_error_body(enum ct_status st, const struct ct_err *err)
{
	json_t *e = json_object();
	json_object_set_new(e, "code", json_string(ct_status_code(st)));
	const char *msg = err && err->msg[0] ? err->msg : ct_status_code(st);
	json_t *text = json_string(msg);
	json_object_set_new(e, "message", text ? text : json_string("(message not valid UTF-8)"));
	if (err && err->index >= 0) {
		json_object_set_new(e, "index", json_integer(err->index));
		if (err->field[0])
			json_object_set_new(e, "field", json_string(err->field));
	}
	return json_pack("{s:o}", "error", e);
}

char *http_error_text(enum ct_status st, const struct ct_err *err)
{
	json_t *body = http_error_body(st, err);
	char *text = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(body);
	return text;
}

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void request_free(struct request *req)
{
	json_decref(req->body);
	free(req);
}

/* Sends buf with the headers every answer carries, logs and frees req. A
 * reply that set its own Content-Security-Policy (a page) keeps it; JSON
 * answers may load nothing and be framed by nobody. */
static void send_buffer(struct request *req, int status, struct evbuffer *buf)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req->ev);
	if (!evhttp_find_header(h, "Content-Security-Policy"))
		evhttp_add_header(h, "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
	evhttp_add_header(h, "X-Frame-Options", "DENY");
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(h, "Referrer-Policy", "no-referrer");
	size_t len = evbuffer_get_length(buf);
	evhttp_send_reply(req->ev, status, NULL, buf);
	evbuffer_free(buf);
	log_msg("%s \"%s %s\" %d %zu %.1fms %s", req->peer, req->method, req->path, status, len,
		(double)(now_us() - req->start_us) / 1000.0, req->who.actor);
	req->app->requests++;
	request_free(req);
}

static void send_text(struct request *req, int status, const char *text, size_t len, bool replay)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req->ev);
	evhttp_add_header(h, "Content-Type", "application/json; charset=utf-8");
	evhttp_add_header(h, "Cache-Control", "no-store");
	if (replay)
		evhttp_add_header(h, "Idempotent-Replay", "true");
	struct evbuffer *buf = evbuffer_new();
	evbuffer_add(buf, text, len);
	evbuffer_add(buf, "\n", 1);
	send_buffer(req, status, buf);
}

void http_reply_raw(struct request *req, int status, const char *content_type, const void *data, size_t len)
{
	if (content_type)
		evhttp_add_header(evhttp_request_get_output_headers(req->ev), "Content-Type", content_type);
	struct evbuffer *buf = evbuffer_new();
	if (len)
		evbuffer_add(buf, data, len);
	send_buffer(req, status, buf);
}

void http_reply_text(struct request *req, int status, const char *json_text, bool replay)
{
	send_text(req, status, json_text, strlen(json_text), replay);
}

void http_reply_json(struct request *req, int status, json_t *body)
{
	char *text = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(body);
	if (!text) {
		struct ct_err err;
		ct_err_clear(&err);
		ct_fail(&err, CT_INTERNAL, "could not encode the response");
		text = http_error_text(CT_INTERNAL, &err);
		status = 500;
	}
	send_text(req, status, text, strlen(text), false);
	free(text);
}

void http_set_header(struct request *req, const char *name, const char *value)
{
	evhttp_add_header(evhttp_request_get_output_headers(req->ev), name, value);
}

bool http_etag_matches(struct request *req, const char *etag)
{
	const char *h = evhttp_find_header(evhttp_request_get_input_headers(req->ev), "If-None-Match");
	if (!h)
		return false;
	/* a list of tags, possibly weak: W/"x", "y" */
	size_t n = strlen(etag);
	for (const char *p = h; (p = strstr(p, etag)); p += n)
		if (p[n] == '\0' || p[n] == ',' || p[n] == ' ')
			return true;
	return false;
}

void http_reply_not_modified(struct request *req, const char *etag)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req->ev);
	evhttp_add_header(h, "ETag", etag);
	evhttp_add_header(h, "Cache-Control", "no-store");
	evhttp_send_reply(req->ev, 304, NULL, NULL);
	log_msg("%s \"%s %s\" 304 0 %.1fms %s", req->peer, req->method, req->path,
		(double)(now_us() - req->start_us) / 1000.0, req->who.actor);
	req->app->requests++;
	request_free(req);
}

void http_reply_error(struct request *req, enum ct_status st, const struct ct_err *err)
{
	http_reply_json(req, http_status_of(st), http_error_body(st, err));
}

static void reply_plain_error(struct request *req, int status, const char *code, const char *msg)
{
	json_t *body = json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", msg);
	http_reply_json(req, status, body);
}

static const char *method_text(enum evhttp_cmd_type m)
{
	switch (m) {
	case EVHTTP_REQ_GET: return "GET";
	case EVHTTP_REQ_POST: return "POST";
	case EVHTTP_REQ_PATCH: return "PATCH";
	case EVHTTP_REQ_HEAD: return "HEAD";
	case EVHTTP_REQ_PUT: return "PUT";
	case EVHTTP_REQ_DELETE: return "DELETE";
	default: return "OTHER";
	}
}

/* Matches path against pattern, capturing {} segments (URL-decoded). */
static bool match(const char *pattern, const char *path, char param[2][HTTP_PARAM_MAX])
{
	int n = 0;
	param[0][0] = param[1][0] = '\0';
	while (*pattern && *path) {
		if (pattern[0] == '{' && pattern[1] == '}') {
			const char *end = strchr(path, '/');
			size_t len = end ? (size_t)(end - path) : strlen(path);
			if (len == 0 || n >= 2)
				return false;
			char raw[HTTP_PARAM_MAX];
			if (len >= sizeof raw)
				return false;
			memcpy(raw, path, len);
			raw[len] = '\0';
			char *dec = evhttp_uridecode(raw, 0, NULL);
			if (!dec)
				return false;
			snprintf(param[n++], HTTP_PARAM_MAX, "%s", dec);
			free(dec);
			pattern += 2;
			path += len;
			continue;
		}
		if (*pattern != *path)
			return false;
		pattern++;
		path++;
	}
	return *pattern == '\0' && *path == '\0';
}

static bool json_content_type(struct evhttp_request *ev)
{
	const char *ct = evhttp_find_header(evhttp_request_get_input_headers(ev), "Content-Type");
	if (!ct)
		return false;
	size_t n = strlen("application/json");
	return strncasecmp(ct, "application/json", n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static bool parse_body(struct request *req)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req->ev);
	req->raw_len = evbuffer_get_length(in);
	req->raw = evbuffer_pullup(in, -1);
	json_error_t jerr;
	req->body = json_loadb((const char *)req->raw, req->raw_len, JSON_REJECT_DUPLICATES, &jerr);
	if (req->body)
		return true;
	char msg[400];
	snprintf(msg, sizeof msg, "malformed JSON at line %d, column %d: %s", jerr.line, jerr.column, jerr.text);
	reply_plain_error(req, 400, "invalid", msg);
	return false;
}

/* A request of the public pages within its address's rate; otherwise 429
 * with Retry-After. */
static bool admit_visitor(struct request *req)
{
	struct limit_addr addr;
	int64_t retry_ms = 0;
	limit_addr_parse(req->peer, &addr);
	if (!req->app->visitors || rate_take(req->app->visitors, &addr, now_us() / 1000, &retry_ms))
		return true;
	char after[24];
	snprintf(after, sizeof after, "%lld", (long long)((retry_ms + 999) / 1000));
	http_set_header(req, "Retry-After", after);
	struct ct_err err;
	ct_err_clear(&err);
	http_reply_error(req, ct_fail(&err, CT_RATE_LIMITED, "too many requests from this address; try again in %s s",
				      after), &err);
	return false;
}

static bool authorize(struct request *req, enum access access)
{
	if (access == ACCESS_PUBLIC)
		return true;
	if (access == ACCESS_VISITOR)
		return admit_visitor(req);
	const char *h = evhttp_find_header(evhttp_request_get_input_headers(req->ev), "Authorization");
	struct ct_err err;
	ct_err_clear(&err);
	enum ct_status rc = auth_check(req->app, h, &req->who, &err);
	if (rc != CT_OK) {
		evhttp_add_header(evhttp_request_get_output_headers(req->ev), "WWW-Authenticate", "Bearer");
		http_reply_error(req, rc, &err);
		return false;
	}
	if (access == ACCESS_ADMIN && !req->who.admin) {
		http_reply_error(req, ct_fail(&err, CT_FORBIDDEN, "only an organizer may do this"), &err);
		return false;
	}
	if (access == ACCESS_JUDGE && req->who.admin) {
		http_reply_error(req, ct_fail(&err, CT_FORBIDDEN, "this is for judges; log in as a judge"), &err);
		return false;
	}
	return true;
}

static void on_request(struct evhttp_request *ev, void *arg)
{
	struct app *app = arg;
	struct request *req = xcalloc(1, sizeof *req);
	req->ev = ev;
	req->app = app;
	req->start_us = now_us();
	snprintf(req->who.actor, sizeof req->who.actor, "public");
	snprintf(req->method, sizeof req->method, "%s", method_text(evhttp_request_get_command(ev)));
	char *peer_addr = NULL;
	ev_uint16_t peer_port = 0;
	struct evhttp_connection *con = evhttp_request_get_connection(ev);
	if (con)
		evhttp_connection_get_peer(con, &peer_addr, &peer_port);
	snprintf(req->peer, sizeof req->peer, "%s", peer_addr ? peer_addr : "-");
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(ev);
	const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
	snprintf(req->path, sizeof req->path, "%s", path && *path ? path : "/");
	if (strstr(req->path, "%00")) {
		/* a decoded NUL would cut the segment short: CNC%00junk is not CNC */
		reply_plain_error(req, 400, "invalid", "the path contains a NUL byte (%00)");
		return;
	}

	if (app->draining) {
		reply_plain_error(req, 503, "unavailable", "contestd is shutting down; retry shortly");
		return;
	}
	const struct route *found = NULL;
	bool path_known = false;
	enum evhttp_cmd_type method = evhttp_request_get_command(ev);
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		char param[2][HTTP_PARAM_MAX]; /* match() sets what it captures */
		if (!match(routes[i].pattern, req->path, param))
			continue;
		path_known = true;
		if (routes[i].method == method ||
		    (method == EVHTTP_REQ_HEAD && routes[i].method == EVHTTP_REQ_GET)) {
			found = &routes[i];
			memcpy(req->param, param, sizeof param);
			break;
		}
	}
	if (!found) {
		if (path_known)
			reply_plain_error(req, 405, "method_not_allowed", "this path does not take that method");
		else
			reply_plain_error(req, 404, "not_found", "no such path");
		return;
	}
	if (!authorize(req, found->access))
		return;
	if (found->json_body) {
		if (!json_content_type(ev)) {
			reply_plain_error(req, 415, "unsupported_media_type", "send the body as application/json");
			return;
		}
		if (!parse_body(req))
			return;
	}
	found->run(req);
}

enum ct_status http_start(struct app *app, int *port_out, struct ct_err *err)
{
	char host[256];
	const char *colon = strrchr(app->cfg.listen, ':');
	if (!colon || colon == app->cfg.listen || (size_t)(colon - app->cfg.listen) >= sizeof host)
		return ct_fail(err, CT_INVALID, "--listen %s: expected ADDR:PORT", app->cfg.listen);
	memcpy(host, app->cfg.listen, (size_t)(colon - app->cfg.listen));
	host[colon - app->cfg.listen] = '\0';
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535 || colon[1] == '\0')
		return ct_fail(err, CT_INVALID, "--listen %s: bad port", app->cfg.listen);

	app->http = evhttp_new(app->base);
	evhttp_set_max_body_size(app->http, (ev_ssize_t)app->cfg.max_body);
	evhttp_set_max_headers_size(app->http, (ev_ssize_t)app->cfg.max_headers);
	evhttp_set_timeout(app->http, app->cfg.timeout_s);
	/* Every standard method reaches the router, so a known path with the
	 * wrong method gets a JSON 405 rather than libevent's HTML 501. */
	evhttp_set_allowed_methods(app->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PATCH |
						      EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
						      EVHTTP_REQ_OPTIONS);
	evhttp_set_default_content_type(app->http, "application/json; charset=utf-8");
	evhttp_set_gencb(app->http, on_request, app);
	struct evhttp_bound_socket *bound = evhttp_bind_socket_with_handle(app->http, host, (ev_uint16_t)port);
	if (!bound)
		return ct_fail(err, CT_UNAVAILABLE, "cannot listen on %s", app->cfg.listen);
	app->bound = bound;
	evutil_socket_t fd = evhttp_bound_socket_get_fd(bound);
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	*port_out = (int)port;
	if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0) {
		if (ss.ss_family == AF_INET)
			*port_out = ntohs(((struct sockaddr_in *)&ss)->sin_port);
		else if (ss.ss_family == AF_INET6)
			*port_out = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	}
	return CT_OK;
}

void http_stop(struct app *app)
{
	app->draining = true;
	if (app->bound) {
		evhttp_del_accept_socket(app->http, app->bound);
		app->bound = NULL;
	}
}

/* Whether the len bytes of host name a wildcard address (0.0.0.0, ::, *
 * or nothing): one to listen on, never one to be reached at. */
static bool wildcard_host(const char *host, size_t len)
{
	static const char *const any[] = {"", "0.0.0.0", "::", "[::]", "*", "0", "[::0]", "::0"};
	for (size_t i = 0; i < sizeof any / sizeof any[0]; i++)
		if (strlen(any[i]) == len && strncmp(host, any[i], len) == 0)
			return true;
	return false;
}

bool http_public_url_ok(const char *url)
{
	struct evhttp_uri *u = evhttp_uri_parse(url);
	if (!u)
		return false;
	const char *scheme = evhttp_uri_get_scheme(u), *host = evhttp_uri_get_host(u);
	bool ok = scheme && (strcasecmp(scheme, "http") == 0 || strcasecmp(scheme, "https") == 0) && host &&
		  !wildcard_host(host, strlen(host));
	evhttp_uri_free(u);
	return ok;
}

char *http_default_public_url(const char *listen, int port)
{
	const char *colon = strrchr(listen, ':');
	size_t host_len = colon ? (size_t)(colon - listen) : strlen(listen);
	if (wildcard_host(listen, host_len))
		return xstrdup("");
	return xasprintf("http://%.*s:%d", (int)host_len, listen, port);
}
