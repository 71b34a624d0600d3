/* The head of an HTTP/1.x request (request line and header lines) read from
 * the raw bytes before evhttp parses them, for what contestd decides before
 * a body is read (route, authentication, body limit), and the canonical
 * head evhttp is then given, so that both see the same request. Stricter
 * than evhttp: anything the two could read differently is refused. Pure:
 * no I/O, no allocation. */
#ifndef CONTESTD_REQHEAD_H
#define CONTESTD_REQHEAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REQHEAD_MAX_LINES 100     /* header lines of one request */

enum reqhead_status {
	REQHEAD_MORE,             /* no blank line yet: read more */
	REQHEAD_DONE,             /* a head of h->len bytes */
	REQHEAD_BAD,              /* not a request contestd takes (h->why says why) */
	REQHEAD_TOO_LARGE,        /* no end within max bytes */
};

/* A parsed head. Pointers point into the parsed buffer; lengths are bytes. */
struct reqhead {
	size_t skip;              /* empty lines before the request line (dropped) */
	size_t len;               /* bytes from skip to the end of the blank line */
	const char *method;
	size_t method_len;
	const char *target;       /* as sent */
	size_t target_len;
	const char *path;         /* the target's path, without query: "/api/v1/..." or "*" */
	size_t path_len;
	int minor;                /* HTTP/1.minor: 0 or 1 */
	int64_t content_length;   /* -1 when not given */
	bool transfer_encoding;   /* a Transfer-Encoding header was sent */
	bool expect;              /* an Expect header was sent */
	bool close;               /* Connection: close (or HTTP/1.0 without keep-alive) */
	const char *authorization;/* the first Authorization value as evhttp reads it, or NULL */
	size_t authorization_len;
	const char *content_type; /* the first Content-Type value, or NULL */
	size_t content_type_len;
	const char *why;          /* with REQHEAD_BAD: what is wrong, for the answer */
};

/* Parses the head at the start of buf (len bytes); a head longer than max
 * bytes is REQHEAD_TOO_LARGE. *h is filled for REQHEAD_DONE (and h->why
 * for REQHEAD_BAD). */
enum reqhead_status reqhead_parse(const char *buf, size_t len, size_t max, struct reqhead *h);

/* Writes the head h of buf as evhttp is to see it into out (cap bytes): the
 * request line and the header lines as sent, but for Content-Length and
 * Transfer-Encoding (and Expect, with drop_expect), then "Content-Length:
 * body_len" and the blank line. Returns its length, or 0 if cap is too
 * small. */
size_t reqhead_canonical(const struct reqhead *h, const char *buf, int64_t body_len, bool drop_expect, char *out,
			 size_t cap);

#endif
