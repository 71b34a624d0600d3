/* The HTTP server: limits, the route table, authentication and content
 * checks before a handler runs, and the only mapping from a status to an
 * HTTP reply. A request is answered exactly once; the reply frees it. */
#ifndef CONTESTD_HTTP_H
#define CONTESTD_HTTP_H

#include <event2/event.h>
#include <event2/http.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

struct store;
struct commit_queue;
struct auth;
struct results_cache;
struct verifier;
struct pubcache;
struct rate_limiter;

struct config {
	const char *db_path;
	const char *listen;       /* ADDR:PORT */
	const char *public_url;
	const char *contest_code;
	const char *contest_name;
	size_t max_body;          /* bytes */
	size_t max_headers;       /* bytes */
	int timeout_s;
	int max_batch;            /* submissions per group commit */
	int token_hours;
	const char *pid_file;     /* --pid-file, or NULL */
	int public_rate;          /* public requests per second per address; 0: no limit */
};

struct app {
	struct event_base *base;
	struct evhttp *http;
	struct evhttp_bound_socket *bound; /* the listening socket */
	struct store *store;
	struct commit_queue *commit;
	struct auth *auth;
	struct results_cache *results;
	struct verifier *verifier; /* audit verify, off the loop */
	struct pubcache *pub;     /* the public pages' documents */
	struct rate_limiter *visitors; /* the public pages' requests per address */
	struct config cfg;
	uint64_t requests;        /* served, for the log and metrics */
	bool draining;            /* SIGTERM seen: no new work */
};

/* Longest path segment a route captures, with its NUL, as long as the
 * path (struct request's path): a certificate's QR payload (/V/PAYLOAD)
 * has up to about 300 characters (a version-10 QR code holds 311). */
#define HTTP_PARAM_MAX 512

/* Who made a request, after authentication. */
struct who {
	bool admin;               /* an organizer account (SPEC's admin role) */
	int64_t judge_id;         /* 0 for an organizer or the public */
	char judge_code[64];
	char actor[80];           /* "organizer:NAME", "judge:J01" or "public" */
	int64_t organizer_id;     /* the organizer account; 0 for a judge or the public */
	char organizer[64];       /* its name */
	int64_t expires;          /* the token's expiry, unix seconds */
};

struct request {
	struct evhttp_request *ev;
	struct app *app;
	struct who who;
	char param[2][HTTP_PARAM_MAX]; /* path segments captured by {} in the route pattern */
	json_t *body;             /* the parsed JSON body, or NULL */
	const unsigned char *raw; /* the raw body (valid until the reply) */
	size_t raw_len;
	char peer[64];
	char method[8];
	char path[512];
	int64_t start_us;
};

enum access {
	ACCESS_PUBLIC,            /* no token */
	ACCESS_VISITOR,           /* no token; rate-limited per client address (the public pages) */
	ACCESS_ANY,               /* admin or judge */
	ACCESS_ADMIN,
	ACCESS_JUDGE,
};

typedef void (*handler_fn)(struct request *req);

struct route {
	enum evhttp_cmd_type method;
	const char *pattern;      /* "/api/v1/events/{}/scores" */
	enum access access;
	bool json_body;           /* requires an application/json body */
	handler_fn run;
};

/* Creates the server on app->base, binds cfg.listen and sets the limits.
 * *port_out is the bound port (useful with port 0). */
enum ct_status http_start(struct app *app, int *port_out, struct ct_err *err);

/* Stops accepting connections (for a drain). */
void http_stop(struct app *app);

/* Whether url can be the contest's public base URL: http or https, with a
 * host that is not a wildcard address (0.0.0.0, ::), which names no machine. */
bool http_public_url_ok(const char *url);

/* The public base URL to assume when none is given, for listen (ADDR:PORT)
 * bound to port: "http://ADDR:PORT", or "" when ADDR is a wildcard address
 * (then certificates need --public-url). Returns a new string; caller frees. */
char *http_default_public_url(const char *listen, int port);

/* Replies with JSON (takes the reference to body) and frees req. */
void http_reply_json(struct request *req, int status, json_t *body);

/* Replies with JSON text already encoded and frees req. replay marks an
 * idempotent replay (Idempotent-Replay: true). */
void http_reply_text(struct request *req, int status, const char *json_text, bool replay);

/* Replies with len bytes of data (any content, e.g. a static file) and
 * frees req; content_type NULL sends none (a 304). Headers the caller added
 * to the request's output headers are kept. */
void http_reply_raw(struct request *req, int status, const char *content_type, const void *data, size_t len);

/* Adds a response header to req's answer (before the reply). */
void http_set_header(struct request *req, const char *name, const char *value);

/* A conditional GET: true when the request's If-None-Match names etag (a
 * quoted entity tag, '"57.c"'), so the caller answers http_reply_not_modified. */
bool http_etag_matches(struct request *req, const char *etag);

/* Replies 304 Not Modified with etag and no body, and frees req. */
void http_reply_not_modified(struct request *req, const char *etag);

/* Replies with the error body for st/err and frees req. */
void http_reply_error(struct request *req, enum ct_status st, const struct ct_err *err);

/* The HTTP status for a status code. */
int http_status_of(enum ct_status st);

/* The error document {"error": {"code", "message", "index"?, "field"?}};
 * new reference. */
json_t *http_error_body(enum ct_status st, const struct ct_err *err);

/* The same error body as compact JSON text: a new string; caller frees. */
char *http_error_text(enum ct_status st, const struct ct_err *err);

#endif
