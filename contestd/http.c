/* The libevent HTTP server: limits, routing, authentication, body checks,
 * replies and the request log. Requests reach it through the connection
 * layer (conn.c), which reads each head first and asks http_admit about
 * it before any body is read. */
#include "http.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "api.h"
#include "auth.h"
#include "backup.h"
#include "bodies.h"
#include "conn.h"
#include "guard.h"
#include "jin.h"
#include "limit.h"
#include "log.h"
#include "metrics.h"
#include "web.h"
#include "xmalloc.h"

static const struct route routes[] = {
	{EVHTTP_REQ_GET, "/healthz", ACCESS_PUBLIC, false, api_healthz_get},
	{EVHTTP_REQ_GET, "/metrics", ACCESS_PUBLIC, false, api_metrics_get},
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
	{EVHTTP_REQ_POST, "/api/v1/backup", ACCESS_ADMIN, false, api_backup_post},
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

#define N_ROUTES (sizeof routes / sizeof routes[0])

/* Body limits and forms (ROUTE_*) of the handlers that do not take the
 * default, a JSON body of at most HTTP_BODY_DEFAULT bytes. */
static const struct {
	handler_fn run;
	unsigned flags;
} route_flags[] = {
	{api_login_post, ROUTE_SMALL},
	{api_scores_post, ROUTE_SMALL},
	{api_events_post, ROUTE_IMPORT | ROUTE_RAW},
	{api_criteria_post, ROUTE_IMPORT | ROUTE_RAW},
	{api_criteria_put, ROUTE_IMPORT},
	{api_contestants_post, ROUTE_IMPORT | ROUTE_RAW},
	{api_judges_post, ROUTE_IMPORT | ROUTE_RAW},
	{api_checkin_post, ROUTE_IMPORT | ROUTE_RAW},
	{api_scores_import_post, ROUTE_IMPORT | ROUTE_CSV | ROUTE_RAW},
	/* the public pages: GETs, whose bodies are never wanted */
	{web_public_get, ROUTE_SMALL},
	{api_public_events_get, ROUTE_SMALL},
	{api_public_results_get, ROUTE_SMALL},
	{api_public_revocations_get, ROUTE_SMALL},
	{api_public_key_get, ROUTE_SMALL},
	{api_verify_get, ROUTE_SMALL},
};

static unsigned flags_of(const struct route *r)
{
	for (size_t i = 0; i < sizeof route_flags / sizeof route_flags[0]; i++)
		if (route_flags[i].run == r->run)
			return route_flags[i].flags;
	return 0;
}

/* The one mapping from a status to an HTTP status. */
static const struct {
	enum ct_status st;
	int http;
} http_of[] = {
	{CT_OK, 200},
	{CT_INVALID, 400},
	{CT_UNAUTHORIZED, 401},
	{CT_FORBIDDEN, 403},
	{CT_NOT_FOUND, 404},
	{CT_METHOD_NOT_ALLOWED, 405},
	{CT_CONFLICT, 409},
	{CT_TOO_LARGE, 413},
	{CT_UNSUPPORTED_TYPE, 415},
	{CT_RATE_LIMITED, 429},
	{CT_INTERNAL, 500},
	{CT_UNAVAILABLE, 503},
};

int http_status_of(enum ct_status st)
{
	for (size_t i = 0; i < sizeof http_of / sizeof http_of[0]; i++)
		if (http_of[i].st == st)
			return http_of[i].http;
	return 500;
}

json_t *http_error_body(enum ct_status st, const struct ct_err *err)
{
	json_t *e = json_object();
	json_object_set_new(e, "code", json_string(ct_status_code(st)));
	const char *msg = err && err->msg[0] ? err->msg : ct_status_code(st);
	json_object_set_new(e, "message", jin_text(msg));
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

/* ---- requests: kept on a free list, not allocated each time ---- */

static struct request *free_requests;
static size_t n_free_requests;
#define FREE_REQUESTS_MAX 1024

static struct request *request_new(void)
{
	struct request *req = free_requests;
	if (req) {
		free_requests = req->next;
		n_free_requests--;
		memset(req, 0, sizeof *req);
		return req;
	}
	return xcalloc(1, sizeof *req);
}

static void request_free(struct request *req)
{
	json_decref(req->body);
	req->body = NULL;
	if (n_free_requests < FREE_REQUESTS_MAX) {
		req->next = free_requests;
		free_requests = req;
		n_free_requests++;
		return;
	}
	free(req);
}

static void requests_release(void)
{
	while (free_requests) {
		struct request *req = free_requests;
		free_requests = req->next;
		free(req);
	}
	n_free_requests = 0;
}

/* ---- replies ---- */

/* Hands the answer to evhttp; req->ev is gone after. */
static void answer(struct request *req, int status)
{
	evhttp_send_reply(req->ev, status, NULL, NULL);
	req->ev = NULL;
}

/* Sends what the request's output buffer holds with the headers every
 * answer carries, logs and frees req. A reply that set its own
 * Content-Security-Policy (a page) keeps it; JSON answers may load nothing
 * and be framed by nobody. */
static void send_reply(struct request *req, int status)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req->ev);
	if (!evhttp_find_header(h, "Content-Security-Policy"))
		evhttp_add_header(h, "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
	evhttp_add_header(h, "X-Frame-Options", "DENY");
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(h, "Referrer-Policy", "no-referrer");
	size_t len = evbuffer_get_length(evhttp_request_get_output_buffer(req->ev));
	answer(req, status);
	log_request(status >= 400, "%s \"%s %s\" %d %zu %.1fms %s", req->peer, req->method, req->path, status, len,
		    (double)(now_us() - req->start_us) / 1000.0, req->who.actor);
	metrics_request(req->app->metrics, req->route, status);
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
	struct evbuffer *out = evhttp_request_get_output_buffer(req->ev);
	evbuffer_add(out, text, len);
	evbuffer_add(out, "\n", 1);
	send_reply(req, status);
}

void http_reply_raw(struct request *req, int status, const char *content_type, const void *data, size_t len)
{
	if (content_type)
		evhttp_add_header(evhttp_request_get_output_headers(req->ev), "Content-Type", content_type);
	if (len)
		evbuffer_add(evhttp_request_get_output_buffer(req->ev), data, len);
	send_reply(req, status);
}

void http_reply_file(struct request *req, const char *content_type, int fd, size_t len)
{
	struct evbuffer_file_segment *seg = evbuffer_file_segment_new(fd, 0, (ev_off_t)len, EVBUF_FS_CLOSE_ON_FREE);
	if (!seg) {
		close(fd);
		struct ct_err err;
		ct_err_clear(&err);
		http_reply_error(req, ct_fail(&err, CT_INTERNAL, "cannot send the file"), &err);
		return;
	}
	struct evkeyvalq *h = evhttp_request_get_output_headers(req->ev);
	evhttp_add_header(h, "Content-Type", content_type);
	evhttp_add_header(h, "Cache-Control", "no-store");
	int rc = evbuffer_add_file_segment(evhttp_request_get_output_buffer(req->ev), seg, 0, -1);
	evbuffer_file_segment_free(seg); /* the buffer holds its own reference */
	if (rc != 0) {
		struct ct_err err;
		ct_err_clear(&err);
		http_reply_error(req, ct_fail(&err, CT_INTERNAL, "cannot send the file"), &err);
		return;
	}
	send_reply(req, 200);
}

void http_reply_static(struct request *req, int status, const char *content_type, const void *data, size_t len)
{
	if (content_type)
		evhttp_add_header(evhttp_request_get_output_headers(req->ev), "Content-Type", content_type);
	if (len)
		evbuffer_add_reference(evhttp_request_get_output_buffer(req->ev), data, len, NULL, NULL);
	send_reply(req, status);
}

static void unref_body(const void *data, size_t len, void *arg)
{
	(void)data;
	(void)len;
	body_unref(arg);
}

void http_reply_body(struct request *req, const char *content_type, struct body *b)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req->ev);
	evhttp_add_header(h, "Content-Type", content_type ? content_type : "application/json; charset=utf-8");
	if (!content_type)
		evhttp_add_header(h, "Cache-Control", "no-store");
	if (b->etag[0])
		evhttp_add_header(h, "ETag", b->etag);
	/* the answer holds a reference until libevent has written it */
	if (evbuffer_add_reference(evhttp_request_get_output_buffer(req->ev), b->data, b->len, unref_body,
				   body_ref(b)) != 0) {
		body_unref(b);
		evbuffer_add(evhttp_request_get_output_buffer(req->ev), b->data, b->len);
	}
	send_reply(req, 200);
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
	answer(req, 304);
	log_request(false, "%s \"%s %s\" 304 0 %.1fms %s", req->peer, req->method, req->path,
		    (double)(now_us() - req->start_us) / 1000.0, req->who.actor);
	metrics_request(req->app->metrics, req->route, 304);
	req->app->requests++;
	request_free(req);
}

void http_reply_error(struct request *req, enum ct_status st, const struct ct_err *err)
{
	if (st == CT_UNAUTHORIZED)
		evhttp_add_header(evhttp_request_get_output_headers(req->ev), "WWW-Authenticate", "Bearer");
	http_reply_json(req, http_status_of(st), http_error_body(st, err));
}

struct evbuffer *http_take_body(struct request *req)
{
	struct evbuffer *b = xmade(evbuffer_new(), "an evbuffer");
	evbuffer_add_buffer(b, evhttp_request_get_input_buffer(req->ev));
	return b;
}

/* ---- admission: what is decided from a request's head ---- */

/* What http_admit decided about a request, kept by its connection until
 * evhttp hands the request over. */
struct admission {
	enum ct_status rc;        /* CT_OK: admitted */
	struct ct_err err;
	int route;                /* index into routes, or -1 */
	bool csv;                 /* the body is text/csv */
	char param[2][HTTP_PARAM_MAX];
	struct who who;
	char method[8];
	char path[512];
};

static enum evhttp_cmd_type method_of(const char *m, size_t n, bool *known)
{
	static const struct {
		const char *name;
		enum evhttp_cmd_type type;
	} methods[] = {
		{"GET", EVHTTP_REQ_GET},       {"POST", EVHTTP_REQ_POST},     {"PATCH", EVHTTP_REQ_PATCH},
		{"HEAD", EVHTTP_REQ_HEAD},     {"PUT", EVHTTP_REQ_PUT},       {"DELETE", EVHTTP_REQ_DELETE},
		{"OPTIONS", EVHTTP_REQ_OPTIONS},
	};
	for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
		if (strlen(methods[i].name) == n && memcmp(methods[i].name, m, n) == 0) {
			*known = true;
			return methods[i].type;
		}
	}
	*known = false;
	return EVHTTP_REQ_GET;
}

static int hex(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

bool http_path_match(const char *pattern, const char *path, size_t len, char param[2][HTTP_PARAM_MAX])
{
	const char *end = path + len;
	int n = 0;
	param[0][0] = param[1][0] = '\0'; /* a pattern without {} captures nothing */
	while (*pattern && path < end) {
		if (pattern[0] == '{' && pattern[1] == '}') {
			const char *slash = memchr(path, '/', (size_t)(end - path));
			const char *seg_end = slash ? slash : end;
			if (seg_end == path || n >= 2)
				return false;
			size_t o = 0;
			for (const char *c = path; c < seg_end; c++) {
				if (o + 1 >= HTTP_PARAM_MAX)
					return false;
				if (*c == '%' && seg_end - c >= 3 && hex(c[1]) >= 0 && hex(c[2]) >= 0) {
					param[n][o] = (char)(hex(c[1]) * 16 + hex(c[2]));
					if (param[n][o++] == '\0')
						return false; /* a NUL would cut the capture short (also refused earlier) */
					c += 2;
				} else {
					param[n][o++] = *c;
				}
			}
			param[n++][o] = '\0';
			pattern += 2;
			path = seg_end;
			continue;
		}
		if (*pattern != *path)
			return false;
		pattern++;
		path++;
	}
	return *pattern == '\0' && path == end;
}

/* Whether the head's Content-Type is type (with parameters or not). */
static bool content_type_is(const struct reqhead *h, const char *type)
{
	size_t n = strlen(type);
	return h->content_type && h->content_type_len >= n && strncasecmp(h->content_type, type, n) == 0 &&
	       (h->content_type_len == n || h->content_type[n] == ';' || h->content_type[n] == ' ');
}

/* The route's body limit for this request. */
static size_t body_limit(const struct app *app, const struct route *r, bool csv)
{
	if (csv)
		return app->cfg.max_import;
	unsigned flags = flags_of(r);
	if (flags & ROUTE_IMPORT)
		return app->cfg.max_body;
	return flags & ROUTE_SMALL ? HTTP_BODY_SMALL : HTTP_BODY_DEFAULT;
}

/* Records the refusal st in adm and returns it. */
static enum ct_status refuse(struct admission *adm, enum ct_status st)
{
	adm->rc = st;
	return st;
}

/* conn_admit_fn: the route, the caller, the content type and the body's
 * size, all from the head. */
static enum ct_status http_admit(void *arg, void *record, const struct reqhead *h, enum ct_status pre,
				 const struct ct_err *pre_err, size_t *max_body)
{
	struct app *app = arg;
	struct admission *adm = record;
	adm->route = -1;
	adm->csv = false;
	adm->who.actor[0] = '\0';
	snprintf(adm->who.actor, sizeof adm->who.actor, "public");
	adm->who.judge_id = 0;
	adm->who.admin = false;
	ct_err_clear(&adm->err);
	if (h) {
		snprintf(adm->method, sizeof adm->method, "%.*s", (int)h->method_len, h->method);
		snprintf(adm->path, sizeof adm->path, "%.*s", (int)h->path_len, h->path);
	} else {
		snprintf(adm->method, sizeof adm->method, "-");
		snprintf(adm->path, sizeof adm->path, "-");
	}
	if (pre != CT_OK) {
		adm->err = *pre_err;
		return refuse(adm, pre);
	}
	char lost[200];
	if (guard_failed(lost, sizeof lost)) {
		ct_fail(&adm->err, CT_UNAVAILABLE, "%s; contestd is stopping", lost);
		return refuse(adm, CT_UNAVAILABLE);
	}
	if (memmem(h->path, h->path_len, "%00", 3)) {
		/* a decoded NUL would cut the segment short: CNC%00junk is not CNC */
		ct_fail(&adm->err, CT_INVALID, "the path contains a NUL byte (%%00)");
		return refuse(adm, CT_INVALID);
	}
	bool known = false;
	enum evhttp_cmd_type method = method_of(h->method, h->method_len, &known);
	const struct route *found = NULL;
	bool path_known = false;
	for (size_t i = 0; i < N_ROUTES; i++) {
		if (!http_path_match(routes[i].pattern, h->path, h->path_len, adm->param))
			continue;
		path_known = true;
		if (known && (routes[i].method == method || (method == EVHTTP_REQ_HEAD && routes[i].method == EVHTTP_REQ_GET))) {
			found = &routes[i];
			adm->route = (int)i;
			break;
		}
	}
	if (!found) {
		if (path_known) {
			ct_fail(&adm->err, CT_METHOD_NOT_ALLOWED, "this path does not take that method");
			return refuse(adm, CT_METHOD_NOT_ALLOWED);
		}
		ct_fail(&adm->err, CT_NOT_FOUND, "no such path");
		return refuse(adm, CT_NOT_FOUND);
	}
	if (found->access != ACCESS_PUBLIC && found->access != ACCESS_VISITOR) {
		enum ct_status rc = auth_check(app->auth, h->authorization, h->authorization_len, &adm->who, &adm->err);
		if (rc != CT_OK)
			return refuse(adm, rc);
		if (found->access == ACCESS_ADMIN && !adm->who.admin) {
			ct_fail(&adm->err, CT_FORBIDDEN, "only an organizer may do this");
			return refuse(adm, CT_FORBIDDEN);
		}
		if (found->access == ACCESS_JUDGE && adm->who.admin) {
			ct_fail(&adm->err, CT_FORBIDDEN, "this is for judges; log in as a judge");
			return refuse(adm, CT_FORBIDDEN);
		}
	}
	if (found->json_body) {
		bool csv_ok = flags_of(found) & ROUTE_CSV;
		adm->csv = csv_ok && content_type_is(h, "text/csv");
		if (!adm->csv && !content_type_is(h, "application/json")) {
			ct_fail(&adm->err, CT_UNSUPPORTED_TYPE, "send the body as application/json%s",
				csv_ok ? " or text/csv" : "");
			return refuse(adm, CT_UNSUPPORTED_TYPE);
		}
	}
	*max_body = body_limit(app, found, adm->csv);
	if (h->content_length > 0 && (uint64_t)h->content_length > *max_body) {
		ct_fail(&adm->err, CT_TOO_LARGE, "the body is %lld bytes; this request takes at most %zu",
			(long long)h->content_length, *max_body);
		return refuse(adm, CT_TOO_LARGE);
	}
	adm->rc = CT_OK;
	return CT_OK;
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
	struct ct_err err;
	ct_err_clear(&err);
	ct_fail(&err, CT_INVALID, "malformed JSON at line %d, column %d: %s", jerr.line, jerr.column, jerr.text);
	http_reply_error(req, CT_INVALID, &err);
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

static void on_request(struct evhttp_request *ev, void *arg)
{
	struct app *app = arg;
	struct request *req = request_new();
	req->ev = ev;
	req->app = app;
	req->start_us = now_us();
	req->route = -1;
	char *peer_addr = NULL;
	ev_uint16_t peer_port = 0;
	struct evhttp_connection *con = evhttp_request_get_connection(ev);
	if (con)
		evhttp_connection_get_peer(con, &peer_addr, &peer_port);
	snprintf(req->peer, sizeof req->peer, "%s", peer_addr ? peer_addr : "-");
	const struct admission *adm = conns_take(app->conns, ev);
	if (!adm) {
		/* every request comes through the connection layer */
		snprintf(req->who.actor, sizeof req->who.actor, "public");
		snprintf(req->method, sizeof req->method, "-");
		snprintf(req->path, sizeof req->path, "-");
		struct ct_err err;
		ct_err_clear(&err);
		http_reply_error(req, ct_fail(&err, CT_INTERNAL, "a request that was not read by the server"), &err);
		return;
	}
	memcpy(req->method, adm->method, sizeof req->method);
	memcpy(req->path, adm->path, sizeof req->path);
	req->who = adm->who;
	req->route = adm->route;
	if (adm->rc != CT_OK) {
		http_reply_error(req, adm->rc, &adm->err);
		return;
	}
	memcpy(req->param, adm->param, sizeof req->param);
	req->csv = adm->csv;
	const struct route *r = &routes[adm->route];
	if (r->access == ACCESS_VISITOR && !admit_visitor(req))
		return;
	if (r->json_body && !(flags_of(r) & ROUTE_RAW) && !parse_body(req))
		return;
	r->run(req);
}

/* ---- the server ---- */

/* The connections contestd accepts: --max-connections, but at most the
 * descriptor limit less what the database, the writer, the log and a
 * margin use. */
static size_t connection_cap(size_t wanted)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
		return wanted;
	size_t reserve = 32;
	size_t room = rl.rlim_cur > reserve + 1 ? (size_t)rl.rlim_cur - reserve : 1;
	return wanted < room ? wanted : room;
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
	if (!app->http)
		return ct_fail(err, CT_INTERNAL, "cannot create the HTTP server");
	/* the connection layer enforces each route's limit on the head; this
	 * is only the largest of them */
	size_t largest = app->cfg.max_import > app->cfg.max_body ? app->cfg.max_import : app->cfg.max_body;
	evhttp_set_max_body_size(app->http, (ev_ssize_t)largest);
	evhttp_set_max_headers_size(app->http, (ev_ssize_t)app->cfg.max_headers + 64);
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
	size_t cap = connection_cap(app->cfg.max_connections);
	if (cap < app->cfg.max_connections)
		log_msg("at most %zu connections at once (--max-connections %zu is over the descriptor limit)", cap,
			app->cfg.max_connections);
	struct conn_limits lim = {cap, app->cfg.max_buffered, app->cfg.max_headers, app->cfg.request_timeout_s};
	app->conns = conns_new(app->base, app->http, evhttp_bound_socket_get_listener(bound), &lim, http_admit, app,
			       sizeof(struct admission));
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
	if (app->conns)
		conns_stop(app->conns);
}

size_t http_in_flight(struct app *app)
{
	return app->conns ? conns_in_flight(app->conns) : 0;
}

void http_free(struct app *app)
{
	if (app->http)
		evhttp_free(app->http); /* closes every connection (conn.c's on_close) */
	app->http = NULL;
	conns_free(app->conns);
	app->conns = NULL;
	requests_release();
}

void http_metrics(struct app *app, struct evbuffer *out)
{
	const char *names[N_ROUTES];
	char text[N_ROUTES][160];
	for (size_t i = 0; i < N_ROUTES; i++) {
		const char *m = routes[i].method == EVHTTP_REQ_GET ? "GET" : routes[i].method == EVHTTP_REQ_POST ? "POST"
				: routes[i].method == EVHTTP_REQ_PATCH ? "PATCH" : routes[i].method == EVHTTP_REQ_PUT ? "PUT"
				: routes[i].method == EVHTTP_REQ_DELETE ? "DELETE" : "OTHER";
		snprintf(text[i], sizeof text[i], "%s %s", m, routes[i].pattern);
		names[i] = text[i];
	}
	metrics_write(app->metrics, out, names);
	metrics_gauge(out, "connections_open", "Open HTTP connections.", (double)conns_open(app->conns));
	metrics_gauge(out, "requests_in_flight", "Requests being handled or answered.",
		      (double)conns_in_flight(app->conns));
	metrics_gauge(out, "request_bytes_buffered", "Bytes of admitted requests held in memory.",
		      (double)conns_buffered(app->conns));
	metrics_counter(out, "request_timeouts_total", "Connections closed because a request was not complete in time.",
			conns_timeouts(app->conns));
}

size_t http_route_count(void)
{
	return N_ROUTES;
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
