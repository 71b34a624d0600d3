/* Connections, request heads read ahead of evhttp, deadlines and limits;
 * see conn.h. The socket bufferevent is evhttp's own; a callback on its
 * input buffer runs as soon as bytes are read, before evhttp's read
 * callback, takes them all and gives evhttp only what it is to see: one
 * request at a time, its canonical head at once and its body when
 * complete, so that evhttp always consumes the whole input. Each
 * connection moves through three states for every request: HEAD (bytes
 * gathered until the blank line), BODY (the admitted body gathered until
 * complete) and WAIT (the request is evhttp's and contestd's; later bytes
 * wait here until its answer has been written). */
#include "conn.h"

#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include "log.h"
#include "xmalloc.h"

/* Bytes the socket bufferevent reads ahead while a request is being
 * answered (pipelined requests wait there). */
#define UNDER_HIGH (64u * 1024)
/* Back-off after accept() fails (out of descriptors): from 10 ms, doubling
 * up to 1 s. */
#define BACKOFF_MIN_MS 10
#define BACKOFF_MAX_MS 1000

enum state { C_HEAD, C_BODY, C_WAIT };

/* Bytes gathered for the next request while one is being answered; past
 * this, reading stops until the answer is written. */
#define WAIT_MAX (64u * 1024)

struct conn {
	struct conns *owner;
	struct bufferevent *bev;  /* evhttp's socket bufferevent */
	struct evhttp_connection *evcon; /* once known (on_hello) */
	struct evbuffer_cb_entry *watch; /* our callback on bev's input */
	struct event *hello;      /* learns evcon once evhttp has made it */
	struct evbuffer *raw;     /* bytes read, not yet given to evhttp */
	struct evbuffer *body;    /* C_BODY: the admitted body so far */
	bool busy;                /* in on_input: our own changes to the input are not news */
	enum state state;
	char *head;               /* the head read so far (C_HEAD) */
	size_t head_len, head_cap;
	int64_t body_left;        /* C_BODY: bytes still to come */
	int64_t discard_left;     /* bytes of a refused body still to drop */
	bool drop_all;            /* refused so that the connection ends: drop every later byte */
	struct event *deadline;
	bool timing;              /* deadline armed */
	size_t reserved;          /* bytes counted in owner->buffered */
	bool in_flight;           /* handed over by conns_take, answer not written yet */
	bool nodelay;             /* TCP_NODELAY set */
	struct conn *next;        /* in its hash bucket */
	alignas(max_align_t) unsigned char adm[]; /* the admission record */
};

struct conns {
	struct event_base *base;
	struct evconnlistener *lev;
	struct conn_limits lim;
	conn_admit_fn admit;
	void *arg;
	size_t adm_size;
	struct conn **buckets;    /* by the bufferevent's address */
	size_t n_buckets;         /* a power of two */
	size_t open, buffered, in_flight;
	uint64_t timeouts;
	bool paused;              /* at the cap */
	bool backing_off;         /* after accept() failed */
	int backoff_ms;
	struct event *backoff;
	bool stopped;
	char *scratch;            /* a canonical head being written */
	size_t scratch_cap;
};

/* The one set of connections of the process: libevent passes the listener's
 * error callback evhttp's argument, not ours. */
static struct conns *the_conns;

static size_t bucket_of(const struct conns *cs, const struct bufferevent *bev)
{
	uintptr_t p = (uintptr_t)bev;
	return (size_t)((p >> 4) * 0x9E3779B97F4A7C15u >> 20) & (cs->n_buckets - 1);
}

static struct conn *find(const struct conns *cs, const struct bufferevent *bev)
{
	for (struct conn *c = cs->buckets[bucket_of(cs, bev)]; c; c = c->next)
		if (c->bev == bev)
			return c;
	return NULL;
}

/* ---- the listener: the cap and the back-off ---- */

static void listen_update(struct conns *cs)
{
	bool on = !cs->stopped && !cs->backing_off && cs->open < cs->lim.max_connections;
	if (on && cs->paused) {
		evconnlistener_enable(cs->lev);
		cs->paused = false;
	} else if (!on && !cs->paused) {
		evconnlistener_disable(cs->lev);
		cs->paused = true;
	}
}

static void on_backoff(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct conns *cs = arg;
	cs->backing_off = false;
	listen_update(cs);
}

static void on_accept_error(struct evconnlistener *lev, void *arg)
{
	(void)lev;
	(void)arg;
	struct conns *cs = the_conns;
	int e = EVUTIL_SOCKET_ERROR();
	cs->backoff_ms = cs->backoff_ms ? cs->backoff_ms * 2 : BACKOFF_MIN_MS;
	if (cs->backoff_ms > BACKOFF_MAX_MS)
		cs->backoff_ms = BACKOFF_MAX_MS;
	log_msg("cannot accept a connection: %s (%zu open); not accepting for %d ms", evutil_socket_error_to_string(e),
		cs->open, cs->backoff_ms);
	cs->backing_off = true;
	listen_update(cs);
	struct timeval tv = {cs->backoff_ms / 1000, (cs->backoff_ms % 1000) * 1000};
	evtimer_add(cs->backoff, &tv);
}

/* ---- deadlines and budget ---- */

static void deadline_start(struct conn *c)
{
	if (c->timing)
		return;
	struct timeval tv = {c->owner->lim.request_timeout_s, 0};
	c->timing = evtimer_add(c->deadline, &tv) == 0;
}

static void deadline_stop(struct conn *c)
{
	if (c->timing)
		evtimer_del(c->deadline);
	c->timing = false;
}

static void release(struct conn *c)
{
	c->owner->buffered -= c->reserved;
	c->reserved = 0;
}

static void peer_text(struct conn *c, char *buf, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	snprintf(buf, len, "-");
	evutil_socket_t fd = bufferevent_getfd(c->bev);
	if (fd < 0 || getpeername(fd, (struct sockaddr *)&ss, &sl) != 0)
		return;
	if (ss.ss_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, buf, (socklen_t)len);
	else if (ss.ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, buf, (socklen_t)len);
}

static void on_deadline(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct conn *c = arg;
	c->timing = false;
	c->owner->timeouts++;
	char peer[64];
	peer_text(c, peer, sizeof peer);
	log_msg("%s: a request was not complete within %d s; connection closed", peer, c->owner->lim.request_timeout_s);
	c->drop_all = true;
	/* the request is still being read: nothing of it is anyone's yet */
	if (c->evcon)
		evhttp_connection_free(c->evcon); /* calls on_close, which frees c */
}

/* ---- reading heads ---- */

static bool method_has_body(const struct reqhead *h)
{
	static const char *const with[] = {"POST", "PUT", "PATCH"};
	for (size_t i = 0; i < sizeof with / sizeof with[0]; i++)
		if (strlen(with[i]) == h->method_len && memcmp(h->method, with[i], h->method_len) == 0)
			return true;
	return false;
}

/* Gives evhttp a body-less stand-in for a refused request: its answer will
 * be the refusal (recorded in c->adm). close: the connection ends after it. */
static void stand_in(struct conn *c, int minor, bool close, struct evbuffer *dst)
{
	char head[128];
	int n = snprintf(head, sizeof head, "GET / HTTP/1.%d\r\n%sContent-Length: 0\r\n\r\n", minor,
			 close ? "Connection: close\r\n" : minor == 0 ? "Connection: keep-alive\r\n" : "");
	evbuffer_add(dst, head, (size_t)n);
	c->state = C_WAIT;
}

/* A head that cannot be read: refused, and the connection ends. Its first
 * line (the head read so far, len bytes) names it in the log as best it
 * can: the method and what follows. */
static void refuse_unreadable(struct conn *c, enum reqhead_status st, const struct reqhead *h, size_t len,
			      struct evbuffer *dst)
{
	struct conns *cs = c->owner;
	struct ct_err err;
	ct_err_clear(&err);
	enum ct_status pre = st == REQHEAD_TOO_LARGE
				     ? ct_fail(&err, CT_TOO_LARGE, "the request head is over %zu bytes", cs->lim.max_headers)
				     : ct_fail(&err, CT_INVALID, "malformed request: %s", h->why ? h->why : "unreadable head");
	struct reqhead named;
	memset(&named, 0, sizeof named);
	const char *p = c->head, *end = c->head + len;
	while (p < end && (*p == '\r' || *p == '\n'))
		p++;
	const char *lf = memchr(p, '\n', (size_t)(end - p));
	const char *line_end = lf ? lf : end;
	if (line_end > p && line_end[-1] == '\r')
		line_end--;
	const char *sp = memchr(p, ' ', (size_t)(line_end - p));
	named.method = p;
	named.method_len = sp ? (size_t)(sp - p) : 0;
	named.path = sp ? sp + 1 : p;
	named.path_len = (size_t)(line_end - named.path);
	if (named.path_len > 9 && memcmp(line_end - 9, " HTTP/1.", 8) == 0)
		named.path_len -= 9;
	size_t max_body = 0;
	cs->admit(cs->arg, c->adm, &named, pre, &err, &max_body);
	c->drop_all = true;
	deadline_stop(c);
	stand_in(c, 1, true, dst);
}

/* Decides about the request of head h and gives evhttp its head. */
static void decide(struct conn *c, const struct reqhead *h, struct evbuffer *dst)
{
	struct conns *cs = c->owner;
	struct ct_err err;
	ct_err_clear(&err);
	enum ct_status pre = CT_OK;
	int64_t cl = h->content_length < 0 ? 0 : h->content_length;
	size_t need = h->len + (size_t)cl;
	if (cs->stopped)
		pre = ct_fail(&err, CT_UNAVAILABLE, "contestd is shutting down; retry shortly");
	else if (h->transfer_encoding)
		pre = ct_fail(&err, CT_INVALID, "send the body with a Content-Length; Transfer-Encoding is not accepted");
	else if (cl > 0 && !method_has_body(h))
		pre = ct_fail(&err, CT_INVALID, "a %.*s request has no body", (int)h->method_len, h->method);
	size_t max_body = 0;
	enum ct_status rc = cs->admit(cs->arg, c->adm, h, pre, &err, &max_body);
	/* admitted (the caller may send it, the route takes it): is there room? */
	if (rc == CT_OK && cs->buffered + need > cs->lim.max_buffered)
		rc = cs->admit(cs->arg, c->adm, h,
			       ct_fail(&err, CT_UNAVAILABLE,
				       "contestd holds %zu kB of requests already, near its limit; retry in a moment",
				       cs->buffered >> 10),
			       &err, &max_body);
	size_t n = 0;
	if (rc == CT_OK && (uint64_t)cl > max_body) /* admit checks it; never pass more than it said */
		rc = cs->admit(cs->arg, c->adm, h, ct_fail(&err, CT_TOO_LARGE, "the body is over %zu bytes", max_body),
			       &err, &max_body);
	if (rc == CT_OK && !(n = reqhead_canonical(h, c->head, cl, false, cs->scratch, cs->scratch_cap)))
		rc = cs->admit(cs->arg, c->adm, h,
			       ct_fail(&err, CT_TOO_LARGE, "the request head is over %zu bytes", cs->lim.max_headers),
			       &err, &max_body);
	if (rc == CT_OK) {
		/* the head at once (evhttp answers Expect: 100-continue); the
		 * body when it is all there */
		evbuffer_add(dst, cs->scratch, n);
		c->reserved = need;
		cs->buffered += need;
		c->body_left = cl;
		c->state = cl > 0 ? C_BODY : C_WAIT;
		if (cl == 0)
			deadline_stop(c);
		return;
	}
	/* A client that asked to be told before sending its body, or one that
	 * sends it in chunks we do not count, may not send what we would drop:
	 * the connection ends after the refusal. Otherwise its body is
	 * counted off and dropped, and the connection lives on. */
	bool close = h->transfer_encoding || h->expect || h->close;
	c->drop_all = close;
	c->discard_left = close ? 0 : cl;
	if (!c->discard_left)
		deadline_stop(c);
	stand_in(c, h->minor, close, dst);
}

/* Reads head bytes from src; decides when the head is complete. */
static void head_step(struct conn *c, struct evbuffer *src, struct evbuffer *dst)
{
	struct conns *cs = c->owner;
	size_t max = cs->lim.max_headers;
	/* room for the head, the empty lines reqhead_parse skips before it and
	 * one byte more, to tell a head that is too large */
	size_t total = max + 65;
	size_t room = total - c->head_len;
	size_t avail = evbuffer_get_length(src);
	size_t n = avail < room ? avail : room;
	if (c->head_len + n > c->head_cap) {
		size_t cap = c->head_cap ? c->head_cap : 1024;
		while (cap < c->head_len + n)
			cap *= 2;
		c->head = xreallocarray(c->head, cap, 1);
		c->head_cap = cap;
	}
	ev_ssize_t got = evbuffer_copyout(src, c->head + c->head_len, n);
	if (got < 0)
		got = 0;
	struct reqhead h;
	enum reqhead_status st = reqhead_parse(c->head, c->head_len + (size_t)got, max, &h);
	if (st == REQHEAD_MORE && c->head_len + (size_t)got >= total)
		st = REQHEAD_TOO_LARGE;
	if (st == REQHEAD_MORE) {
		evbuffer_drain(src, (size_t)got);
		c->head_len += (size_t)got;
		return;
	}
	if (st == REQHEAD_DONE) {
		evbuffer_drain(src, h.skip + h.len - c->head_len);
		decide(c, &h, dst);
	} else {
		evbuffer_drain(src, (size_t)got);
		refuse_unreadable(c, st, &h, c->head_len + (size_t)got, dst);
	}
	c->head_len = 0;
	if (c->head_cap > 4096) { /* a large head was an exception: give its room back */
		free(c->head);
		c->head = NULL;
		c->head_cap = 0;
	}
}

/* Moves the bytes of c->raw on, by state, into out (what evhttp is to see). */
static void process(struct conn *c, struct evbuffer *out)
{
	size_t avail;
	while ((avail = evbuffer_get_length(c->raw)) > 0) {
		if (c->drop_all) {
			evbuffer_drain(c->raw, avail);
			break;
		}
		if (c->discard_left > 0) {
			size_t n = (uint64_t)c->discard_left < avail ? (size_t)c->discard_left : avail;
			evbuffer_drain(c->raw, n);
			c->discard_left -= (int64_t)n;
			if (!c->discard_left)
				deadline_stop(c);
			continue;
		}
		if (c->state == C_WAIT) {
			/* the next request waits for this one's answer */
			if (avail > WAIT_MAX)
				bufferevent_disable(c->bev, EV_READ);
			break;
		}
		if (c->state == C_BODY) {
			size_t n = (uint64_t)c->body_left < avail ? (size_t)c->body_left : avail;
			evbuffer_remove_buffer(c->raw, c->body, n);
			c->body_left -= (int64_t)n;
			if (!c->body_left) {
				evbuffer_add_buffer(out, c->body);
				c->state = C_WAIT;
				deadline_stop(c);
			}
			continue;
		}
		deadline_start(c);
		head_step(c, c->raw, out);
	}
}

/* Gives evhttp what process made of c->raw. The input is empty then
 * (evhttp consumes all it is given) and frozen at its end (only the
 * bufferevent adds there): what goes in is prepended. */
static void give(struct conn *c)
{
	struct evbuffer *in = bufferevent_get_input(c->bev);
	struct evbuffer *out = xmade(evbuffer_new(), "an evbuffer");
	process(c, out);
	c->busy = true;
	evbuffer_prepend_buffer(in, out);
	c->busy = false;
	evbuffer_free(out);
}

/* Bytes were read (inside the bufferevent's read, before evhttp's read
 * callback): take them all. */
static void on_input(struct evbuffer *in, const struct evbuffer_cb_info *info, void *arg)
{
	struct conn *c = arg;
	if (c->busy || info->n_added == 0)
		return;
	if (!c->nodelay) {
		/* answers go out whole at once: no segment held back for the client's delayed ACK */
		int one = 1;
		evutil_socket_t fd = bufferevent_getfd(c->bev);
		c->nodelay = fd >= 0 && setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) == 0;
	}
	c->busy = true;
	evbuffer_remove_buffer(in, c->raw, evbuffer_get_length(in));
	c->busy = false;
	give(c);
}

/* ---- connections coming and going ---- */

static void conn_free(struct conn *c)
{
	struct conns *cs = c->owner;
	for (struct conn **pp = &cs->buckets[bucket_of(cs, c->bev)]; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	release(c);
	if (c->in_flight)
		cs->in_flight--;
	cs->open--;
	deadline_stop(c);
	event_free(c->deadline);
	event_free(c->hello);
	evbuffer_free(c->raw);
	evbuffer_free(c->body);
	free(c->head);
	free(c);
	listen_update(cs);
}

/* evhttp closes the connection. */
static void on_close(struct evhttp_connection *evcon, void *arg)
{
	(void)evcon;
	struct conn *c = arg;
	evbuffer_remove_cb_entry(bufferevent_get_input(c->bev), c->watch);
	conn_free(c);
}

/* Runs once evhttp has made the connection around our bufferevent (its
 * argument to the bufferevent's callbacks is the connection), or found it
 * could not: then the bufferevent is being freed and has no callbacks. */
static void on_hello(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct conn *c = arg;
	void *evcon = NULL;
	bufferevent_getcb(c->bev, NULL, NULL, NULL, &evcon);
	if (!evcon) {
		conn_free(c);
		return;
	}
	c->evcon = evcon;
	evhttp_connection_set_closecb(c->evcon, on_close, c);
}

static struct bufferevent *on_new_connection(struct event_base *base, void *arg)
{
	struct conns *cs = arg;
	struct conn *c = xcalloc(1, sizeof *c + cs->adm_size);
	c->owner = cs;
	/* without them evhttp would make a bufferevent of its own, outside every limit */
	c->bev = xmade(bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE), "a connection's bufferevent");
	c->raw = xmade(evbuffer_new(), "an evbuffer");
	c->body = xmade(evbuffer_new(), "an evbuffer");
	c->deadline = xmade(evtimer_new(base, on_deadline, c), "a connection's timer");
	c->hello = xmade(event_new(base, -1, 0, on_hello, c), "a connection's event");
	c->watch = xmade(evbuffer_add_cb(bufferevent_get_input(c->bev), on_input, c), "a connection's callback");
	/* evhttp makes its connection when this returns */
	event_active(c->hello, EV_TIMEOUT, 0);
	size_t b = bucket_of(cs, c->bev);
	c->next = cs->buckets[b];
	cs->buckets[b] = c;
	cs->open++;
	cs->backoff_ms = 0;
	listen_update(cs);
	return c->bev;
}

struct conns *conns_new(struct event_base *base, struct evhttp *http, struct evconnlistener *lev,
			const struct conn_limits *lim, conn_admit_fn admit, void *arg, size_t adm_size)
{
	struct conns *cs = xcalloc(1, sizeof *cs);
	cs->base = base;
	cs->lev = lev;
	cs->lim = *lim;
	cs->admit = admit;
	cs->arg = arg;
	cs->adm_size = adm_size;
	cs->n_buckets = 64;
	while (cs->n_buckets < 2 * lim->max_connections)
		cs->n_buckets *= 2;
	cs->buckets = xcalloc(cs->n_buckets, sizeof *cs->buckets);
	cs->scratch_cap = lim->max_headers + 64;
	cs->scratch = xmalloc(cs->scratch_cap);
	cs->backoff = xmade(evtimer_new(base, on_backoff, cs), "the accept backoff timer");
	the_conns = cs;
	evhttp_set_bevcb(http, on_new_connection, cs);
	evconnlistener_set_error_cb(lev, on_accept_error);
	return cs;
}

void conns_free(struct conns *cs)
{
	if (!cs)
		return;
	event_free(cs->backoff);
	free(cs->buckets);
	free(cs->scratch);
	if (the_conns == cs)
		the_conns = NULL;
	free(cs);
}

/* The answer of c's request has been written: the next request may come. */
static void on_complete(struct evhttp_request *req, void *arg)
{
	(void)req;
	struct conn *c = arg;
	struct conns *cs = c->owner;
	if (c->in_flight) {
		c->in_flight = false;
		cs->in_flight--;
	}
	release(c);
	c->state = C_HEAD;
	/* bytes that came after the request: evhttp reads them when it starts
	 * on the next request, right after this */
	if (evbuffer_get_length(c->raw))
		give(c);
}

void *conns_take(struct conns *cs, struct evhttp_request *req)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(req);
	struct conn *c = evcon ? find(cs, evhttp_connection_get_bufferevent(evcon)) : NULL;
	if (!c || c->state != C_WAIT || c->in_flight)
		return NULL;
	c->in_flight = true;
	cs->in_flight++;
	evhttp_request_set_on_complete_cb(req, on_complete, c);
	return c->adm;
}

void conns_stop(struct conns *cs)
{
	cs->stopped = true;
	listen_update(cs);
}

size_t conns_in_flight(const struct conns *cs)
{
	return cs->in_flight;
}

size_t conns_open(const struct conns *cs)
{
	return cs->open;
}

size_t conns_buffered(const struct conns *cs)
{
	return cs->buffered;
}

uint64_t conns_timeouts(const struct conns *cs)
{
	return cs->timeouts;
}
