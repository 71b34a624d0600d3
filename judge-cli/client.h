/* The HTTP client of judge-cli: one keep-alive connection to contestd over
 * libevent's evhttp client, JSON request bodies and parsed JSON replies. */
#ifndef JUDGECLI_CLIENT_H
#define JUDGECLI_CLIENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "status.h"

/* Largest reply body accepted (a results list of a 30,000-contestant event
 * fits many times over). */
#define CLIENT_MAX_REPLY (64u * 1024 * 1024)

struct client;

/* What came back for one request. */
struct reply {
	int status;          /* HTTP status; 0 when no response arrived */
	json_t *json;        /* parsed body; NULL when empty or not JSON */
	char *body;          /* raw body, NUL-terminated; NULL without a response */
	size_t len;          /* bytes of body (a binary body may hold NULs) */
	char *retry_after;   /* Retry-After header, or NULL */
	char *sha256;        /* X-Content-SHA256 header (hex), or NULL */
};

/* Parses server ("http://host[:port][/prefix]") and prepares a client that
 * sends token (may be NULL) as a Bearer token. timeout_s bounds connecting,
 * sending and waiting for each reply. On success *out is a new client;
 * caller frees with client_free. CT_INVALID for a URL that is not plain
 * http with a host. */
enum ct_status client_new(const char *server, const char *token, int timeout_s,
			  struct client **out, struct ct_err *err);

/* Frees a client and closes its connection; NULL is a no-op. */
void client_free(struct client *c);

/* Sends method ("GET", "POST", "PATCH") to the server's prefix + path (path
 * already percent-encoded, starting with '/'), with body serialised as JSON
 * when not NULL and an Idempotency-Key header when idem_key is not NULL, and
 * waits for the reply. Returns CT_OK whenever an HTTP response arrived,
 * whatever its status (see out->status); CT_UNAVAILABLE with a message when
 * none did (connection refused, timeout, connection lost). *out is filled in
 * either case; release it with reply_clear. */
enum ct_status client_request(struct client *c, const char *method, const char *path,
			      const json_t *body, const char *idem_key, struct reply *out,
			      struct ct_err *err);

/* The same with a body already encoded: len bytes of content_type (NULL:
 * no body). */
enum ct_status client_request_body(struct client *c, const char *method, const char *path,
				   const char *content_type, const void *body, size_t len, const char *idem_key,
				   struct reply *out, struct ct_err *err);

/* Sets the largest answer c accepts (default CLIENT_MAX_REPLY), before its
 * first request. */
void client_set_max_reply(struct client *c, size_t max);

/* Told how a request is going, about every 100 ms while it runs: body bytes
 * sent of total, then (sending done) the seconds spent waiting for the
 * answer. */
typedef void (*client_progress_fn)(void *arg, size_t sent, size_t total, bool waiting, double elapsed_s);

/* Sets (or with NULL clears) the progress callback of c's requests. */
void client_set_progress(struct client *c, client_progress_fn fn, void *arg);

/* Frees what a reply holds and zeroes it; safe on a zeroed reply. */
void reply_clear(struct reply *r);

/* Percent-encodes one path segment (an event code, a reg_id). Returns a new
 * string; caller frees. */
char *client_escape(const char *segment);

#endif
