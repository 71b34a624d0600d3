/* The HTTP server: limits, the route table, authentication and content
 * checks before a handler runs, and the only mapping from a status to an
 * HTTP reply. A request is answered exactly once; the reply frees it. */
#ifndef CONTESTD_HTTP_H
#define CONTESTD_HTTP_H

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "auth.h"
#include "status.h"

/* Longest path segment a route captures, with its NUL, as long as the
 * path (struct request's path): a certificate's QR payload (/V/PAYLOAD)
 * has up to about 300 characters (a version-10 QR code holds 311). */
#define HTTP_PARAM_MAX 512

struct request {
	struct evhttp_request *ev;
	struct app *app;
	struct who who;
	char param[2][HTTP_PARAM_MAX]; /* path segments captured by {} in the route pattern */
	json_t *body;             /* the parsed JSON body, or NULL */
	const unsigned char *raw; /* the raw body (valid until the reply) */
	size_t raw_len;
	bool csv;                 /* the body is text/csv (a ROUTE_CSV route) */
	char peer[64];
	char method[8];
	char path[512];
	int64_t start_us;
	int route;                /* index into the route table; -1 for none */
	struct request *next;     /* the free list's */
};

enum access {
	ACCESS_PUBLIC,            /* no token */
	ACCESS_VISITOR,           /* no token; rate-limited per client address (the public pages) */
	ACCESS_ANY,               /* admin or judge */
	ACCESS_ADMIN,
	ACCESS_JUDGE,
};

typedef void (*handler_fn)(struct request *req);

/* Body limits and forms of a route's handler (the table route_flags in
 * http.c); with none, a JSON body is at most HTTP_BODY_DEFAULT bytes.
 * Limits are checked on the request's head, before any of its body is
 * read. */
#define ROUTE_SMALL (1u << 0)     /* at most HTTP_BODY_SMALL bytes: login, a judge's submission */
#define ROUTE_IMPORT (1u << 1)    /* an organizer's import: a JSON body up to --max-body */
#define ROUTE_CSV (1u << 2)       /* also a text/csv body, up to --max-import */
#define ROUTE_RAW (1u << 3)       /* the body is not parsed on the loop: the handler gets req->raw */

#define HTTP_BODY_SMALL (8u * 1024)
#define HTTP_BODY_DEFAULT (64u * 1024)

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

/* Stops accepting connections and refuses requests still arriving (for a
 * drain). */
void http_stop(struct app *app);

/* Whether path (len bytes, not NUL-terminated) matches the route pattern
 * ("/api/v1/events/{}/scores"): each {} takes one non-empty segment of at
 * most HTTP_PARAM_MAX - 1 bytes, percent-decoded into param[0], param[1] (those it does
 * not capture are left ""). */
bool http_path_match(const char *pattern, const char *path, size_t len, char param[2][HTTP_PARAM_MAX]);

/* The number of routes (for the metrics made before the server starts). */
size_t http_route_count(void);

/* The request's body, moved into a new buffer the caller owns (frees with
 * evbuffer_free) and may hand to another thread: for ROUTE_RAW routes,
 * whose bodies are not parsed on the event loop. */
struct evbuffer *http_take_body(struct request *req);

/* Requests handed to handlers and not yet answered and written. */
size_t http_in_flight(struct app *app);

/* Frees the server (closing every connection) and what http_start set up. */
void http_free(struct app *app);

/* Appends the HTTP layer's metrics (requests by route and status, open
 * connections, ...) to out. */
void http_metrics(struct app *app, struct evbuffer *out);

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

/* Answers 200 with the first len bytes of the open file fd (sent from the
 * file, not copied into memory; fd is closed when sent or on failure). */
void http_reply_file(struct request *req, const char *content_type, int fd, size_t len);

/* The same for data that lives as long as the process (an embedded file):
 * sent without a copy. */
void http_reply_static(struct request *req, int status, const char *content_type, const void *data, size_t len);

/* Replies 200 with a kept body b (see bodies.h), with its ETag, sent
 * without a copy (the answer holds a reference until it is written), and
 * frees req. content_type NULL means JSON (with Cache-Control: no-store and
 * the trailing line break of every JSON answer already in b). */
struct body;
void http_reply_body(struct request *req, const char *content_type, struct body *b);

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
