/* The connections of the HTTP server. Every accepted connection's socket
 * bufferevent is made here (evhttp_set_bevcb) with a callback on its input
 * that sees its bytes before evhttp does, which lets contestd, with
 * libevent 2.1's evhttp:
 *   - count connections and pause the listener at a cap below the
 *     descriptor limit (and back off when accept() fails);
 *   - read each request's head first and decide from it alone (route,
 *     authentication, the route's body limit, content type, the bound on
 *     bytes buffered by all requests): a refused request's body is never
 *     buffered, only counted off and dropped, and evhttp is given a
 *     body-less stand-in whose answer is the refusal;
 *   - give evhttp a canonical head (one Content-Length), one request at a
 *     time;
 *   - hold every request to a deadline from its first byte to its last
 *     (slow senders are cut off).
 * Event loop thread only. */
#ifndef CONTESTD_CONN_H
#define CONTESTD_CONN_H

#include <event2/http.h>
#include <event2/listener.h>
#include <stdbool.h>
#include <stddef.h>

#include "reqhead.h"
#include "status.h"

struct conns;

struct conn_limits {
	size_t max_connections;   /* open connections; the listener pauses at this many */
	size_t max_buffered;      /* bytes of admitted requests (heads and bodies) held at once */
	size_t max_headers;       /* bytes of one request head */
	int request_timeout_s;    /* from a request's first byte to its last */
};

/* Decides about a request from its head: h (NULL when the head could not
 * be read), or a refusal made already (pre != CT_OK, with pre_err). Fills
 * the admission record adm (conns_new's adm_size bytes, the caller's type)
 * and returns CT_OK with *max_body set to read the body, or the refusal,
 * which adm records for the stand-in request. */
typedef enum ct_status (*conn_admit_fn)(void *arg, void *adm, const struct reqhead *h, enum ct_status pre,
					const struct ct_err *pre_err, size_t *max_body);

/* Sets up the connections of http (which must have no bevcb yet) accepting
 * on lev, with lim and admit(arg, ...). */
struct conns *conns_new(struct event_base *base, struct evhttp *http, struct evconnlistener *lev,
			const struct conn_limits *lim, conn_admit_fn admit, void *arg, size_t adm_size);

/* Frees the bookkeeping; call after evhttp_free (which closes every
 * connection). NULL is a no-op. */
void conns_free(struct conns *c);

/* The admission record of the request evhttp hands over (NULL if it came
 * some other way), and the start of its in-flight time: it counts as in
 * flight until its answer has been written or its connection closed. */
void *conns_take(struct conns *c, struct evhttp_request *req);

/* Stops accepting connections for good (SIGTERM); requests still arriving
 * are refused with pre = CT_UNAVAILABLE. */
void conns_stop(struct conns *c);

/* Requests handed over and not yet answered and written. */
size_t conns_in_flight(const struct conns *c);

/* Open connections, and bytes of admitted requests held. */
size_t conns_open(const struct conns *c);
size_t conns_buffered(const struct conns *c);

/* Connections closed because a request missed its deadline, and requests
 * refused from their head. */
uint64_t conns_timeouts(const struct conns *c);

#endif
