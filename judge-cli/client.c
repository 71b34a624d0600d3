/* One blocking request at a time over libevent's evhttp client: the request
 * is queued on a keep-alive connection and the event loop runs until its
 * callback breaks the loop. A failed connection is replaced before the next
 * request so that a retry starts clean. */
#include "client.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "xmalloc.h"

#define CLIENT_MAX_HEADERS (64u * 1024)
#define CLIENT_USER_AGENT "judge-cli/0.1"

struct client {
	struct event_base *base;
	struct evhttp_connection *conn;
	char *server;            /* as given, for messages */
	char *host;              /* for connecting: no IPv6 brackets */
	char *host_header;       /* Host header: host[:port] */
	char *prefix;            /* path prefix without a trailing '/', maybe "" */
	unsigned short port;
	char *token;
	int timeout_s;
	size_t max_reply;        /* largest answer body accepted */
	client_progress_fn progress;
	void *progress_arg;
};

/* The state of the request in flight, shared with the callbacks. */
struct pending {
	struct client *c;
	struct reply *r;
	bool done;
	bool have_error;
	enum evhttp_request_error error;
	int sock_errno;
	size_t body_len;         /* bytes of the request body */
	size_t out_max;          /* most bytes seen waiting in the connection's output */
	struct timespec start;
};

enum ct_status client_new(const char *server, const char *token, int timeout_s,
			  struct client **out, struct ct_err *err)
{
	enum ct_status rc = CT_OK;
	struct evhttp_uri *uri = evhttp_uri_parse(server);
	struct client *c = NULL;

	if (!uri) {
		rc = ct_fail(err, CT_INVALID, "server \"%s\" is not a URL like http://127.0.0.1:8080",
			     server);
		goto out;
	}
	const char *scheme = evhttp_uri_get_scheme(uri);
	const char *host = evhttp_uri_get_host(uri);
	if (!scheme || strcasecmp(scheme, "http") != 0) {
		rc = ct_fail(err, CT_INVALID, "server \"%s\": only http:// URLs are supported", server);
		goto out;
	}
	if (!host || !*host) {
		rc = ct_fail(err, CT_INVALID, "server \"%s\" has no host", server);
		goto out;
	}
	if (evhttp_uri_get_query(uri) || evhttp_uri_get_fragment(uri) ||
	    evhttp_uri_get_userinfo(uri)) {
		rc = ct_fail(err, CT_INVALID, "server \"%s\" must be just http://HOST[:PORT][/PATH]",
			     server);
		goto out;
	}
	int port = evhttp_uri_get_port(uri);
	if (port == 0 || port > 65535) {
		rc = ct_fail(err, CT_INVALID, "server \"%s\" has a bad port", server);
		goto out;
	}

	c = xcalloc(1, sizeof *c);
	c->server = xstrdup(server);
	c->port = port < 0 ? 80 : (unsigned short)port;
	size_t hl = strlen(host);
	if (hl > 2 && host[0] == '[' && host[hl - 1] == ']')
		c->host = xstrndup(host + 1, hl - 2);
	else
		c->host = xstrdup(host);
	/* an IPv6 address goes in brackets in the Host header */
	const char *lb = strchr(c->host, ':') ? "[" : "", *rb = *lb ? "]" : "";
	if (port < 0)
		c->host_header = xasprintf("%s%s%s", lb, c->host, rb);
	else
		c->host_header = xasprintf("%s%s%s:%d", lb, c->host, rb, port);
	const char *path = evhttp_uri_get_path(uri);
	c->prefix = xstrdup(path ? path : "");
	size_t pl = strlen(c->prefix);
	while (pl > 0 && c->prefix[pl - 1] == '/')
		c->prefix[--pl] = '\0';
	c->token = token ? xstrdup(token) : NULL;
	c->timeout_s = timeout_s > 0 ? timeout_s : 60;
	c->max_reply = CLIENT_MAX_REPLY;
	c->base = event_base_new();
	if (!c->base) {
		rc = ct_fail(err, CT_INTERNAL, "cannot create an event base");
		goto out;
	}
	*out = c;
	c = NULL;
out:
	if (uri)
		evhttp_uri_free(uri);
	client_free(c);
	return rc;
}

static void drop_connection(struct client *c)
{
	if (c->conn) {
		evhttp_connection_free(c->conn);
		c->conn = NULL;
	}
}

void client_free(struct client *c)
{
	if (!c)
		return;
	drop_connection(c);
	if (c->base)
		event_base_free(c->base);
	free(c->server);
	free(c->host);
	free(c->host_header);
	free(c->prefix);
	xfree_secret(c->token);
	free(c);
}

void reply_clear(struct reply *r)
{
	if (!r)
		return;
	if (r->json)
		json_decref(r->json);
	free(r->body);
	free(r->retry_after);
	free(r->sha256);
	memset(r, 0, sizeof *r);
}

char *client_escape(const char *segment)
{
	char *e = evhttp_uriencode(segment, -1, 0);
	if (!e)
		return xstrdup("");
	char *copy = xstrdup(e);
	free(e);
	return copy;
}

void client_set_max_reply(struct client *c, size_t max)
{
	c->max_reply = max;
}

void client_set_progress(struct client *c, client_progress_fn fn, void *arg)
{
	c->progress = fn;
	c->progress_arg = arg;
}

/* A progress tick: what of the request is still in the connection's output. */
static void on_tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct pending *pd = arg;
	struct client *c = pd->c;
	struct bufferevent *bev = c->conn ? evhttp_connection_get_bufferevent(c->conn) : NULL;
	size_t left = bev ? evbuffer_get_length(bufferevent_get_output(bev)) : 0;
	if (left > pd->out_max)
		pd->out_max = left;
	size_t sent = pd->out_max ? pd->out_max - left : 0;
	if (sent > pd->body_len)
		sent = pd->body_len;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double elapsed = (double)(now.tv_sec - pd->start.tv_sec) + (double)(now.tv_nsec - pd->start.tv_nsec) / 1e9;
	c->progress(c->progress_arg, sent, pd->body_len, pd->out_max > 0 && left == 0, elapsed);
}

static void on_error(enum evhttp_request_error error, void *arg)
{
	struct pending *pd = arg;
	pd->have_error = true;
	pd->error = error;
	pd->sock_errno = errno;
}

static void on_done(struct evhttp_request *req, void *arg)
{
	struct pending *pd = arg;
	pd->done = true;
	event_base_loopbreak(pd->c->base);
	if (!req || evhttp_request_get_response_code(req) == 0)
		return;
	struct reply *r = pd->r;
	r->status = evhttp_request_get_response_code(req);
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	size_t len = evbuffer_get_length(in);
	r->body = xmalloc(len + 1);
	if (len)
		evbuffer_remove(in, r->body, len);
	r->body[len] = '\0';
	r->len = len;
	const char *ra = evhttp_find_header(evhttp_request_get_input_headers(req), "Retry-After");
	if (ra)
		r->retry_after = xstrdup(ra);
	const char *sum = evhttp_find_header(evhttp_request_get_input_headers(req), "X-Content-SHA256");
	if (sum)
		r->sha256 = xstrdup(sum);
	if (len) {
		json_error_t jerr;
		r->json = json_loadb(r->body, len, 0, &jerr);
	}
}

static enum evhttp_cmd_type method_type(const char *method)
{
	if (strcmp(method, "POST") == 0)
		return EVHTTP_REQ_POST;
	if (strcmp(method, "PATCH") == 0)
		return EVHTTP_REQ_PATCH;
	if (strcmp(method, "PUT") == 0)
		return EVHTTP_REQ_PUT;
	if (strcmp(method, "DELETE") == 0)
		return EVHTTP_REQ_DELETE;
	return EVHTTP_REQ_GET;
}

/* Why no response arrived, in words. */
static const char *failure_text(const struct pending *pd, char *buf, size_t size)
{
	if (!pd->have_error) /* libevent reports a failed connect without an error code */
		return "cannot connect";
	switch (pd->error) {
	case EVREQ_HTTP_TIMEOUT:
		snprintf(buf, size, "no answer within %d s", pd->c->timeout_s);
		return buf;
	case EVREQ_HTTP_EOF:
		if (pd->sock_errno == ECONNREFUSED)
			return "connection refused";
		return "connection closed without an answer";
	case EVREQ_HTTP_INVALID_HEADER:
		return "the answer is not valid HTTP";
	case EVREQ_HTTP_BUFFER_ERROR:
		if (pd->sock_errno) {
			snprintf(buf, size, "connection failed: %s", strerror(pd->sock_errno));
			return buf;
		}
		return "connection failed";
	case EVREQ_HTTP_REQUEST_CANCEL:
		return "request cancelled";
	case EVREQ_HTTP_DATA_TOO_LONG:
		snprintf(buf, size, "the answer is larger than %zu bytes", pd->c->max_reply);
		return buf;
	}
	return "connection failed";
}

enum ct_status client_request(struct client *c, const char *method, const char *path,
			      const json_t *body, const char *idem_key, struct reply *out,
			      struct ct_err *err)
{
	if (!body)
		return client_request_body(c, method, path, NULL, NULL, 0, idem_key, out, err);
	char *text = json_dumps(body, JSON_COMPACT);
	if (!text) {
		memset(out, 0, sizeof *out);
		return ct_fail(err, CT_INTERNAL, "cannot encode the request as JSON");
	}
	enum ct_status rc = client_request_body(c, method, path, "application/json", text, strlen(text), idem_key,
						out, err);
	free(text);
	return rc;
}

enum ct_status client_request_body(struct client *c, const char *method, const char *path,
				   const char *content_type, const void *body, size_t len, const char *idem_key,
				   struct reply *out, struct ct_err *err)
{
	enum ct_status rc = CT_OK;
	char *uri = NULL;
	struct event *tick = NULL;
	struct pending pd = { .c = c, .r = out, .body_len = len };

	memset(out, 0, sizeof *out);
	clock_gettime(CLOCK_MONOTONIC, &pd.start);
	if (!c->conn) {
		c->conn = evhttp_connection_base_new(c->base, NULL, c->host, c->port);
		if (!c->conn) {
			rc = ct_fail(err, CT_UNAVAILABLE, "cannot reach %s: cannot create a connection",
				     c->server);
			goto out;
		}
		evhttp_connection_set_timeout(c->conn, c->timeout_s);
		evhttp_connection_set_max_body_size(c->conn, (ev_ssize_t)c->max_reply);
		evhttp_connection_set_max_headers_size(c->conn, CLIENT_MAX_HEADERS);
		evhttp_connection_set_retries(c->conn, 0);
		/* read the server's error even if it closes while we still send */
		evhttp_connection_set_flags(c->conn, EVHTTP_CON_READ_ON_WRITE_ERROR);
	}

	struct evhttp_request *req = evhttp_request_new(on_done, &pd);
	if (!req) {
		rc = ct_fail(err, CT_INTERNAL, "cannot create a request");
		goto out;
	}
	evhttp_request_set_error_cb(req, on_error);
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	evhttp_add_header(h, "Host", c->host_header);
	evhttp_add_header(h, "User-Agent", CLIENT_USER_AGENT);
	evhttp_add_header(h, "Accept", "application/json");
	if (c->token) {
		char *auth = xasprintf("Bearer %s", c->token);
		evhttp_add_header(h, "Authorization", auth);
		xfree_secret(auth);
	}
	if (idem_key)
		evhttp_add_header(h, "Idempotency-Key", idem_key);
	if (content_type) {
		evhttp_add_header(h, "Content-Type", content_type);
		evbuffer_add(evhttp_request_get_output_buffer(req), body, len);
	}
	if (content_type || strcmp(method, "GET") != 0) {
		char cl[32];
		snprintf(cl, sizeof cl, "%zu", content_type ? len : 0);
		evhttp_add_header(h, "Content-Length", cl);
	}

	uri = xasprintf("%s%s", c->prefix, path);
	/* evhttp_make_request frees req on failure as well as after on_done */
	if (evhttp_make_request(c->conn, req, method_type(method), uri) != 0) {
		drop_connection(c);
		rc = ct_fail(err, CT_UNAVAILABLE, "cannot reach %s: cannot send the request", c->server);
		goto out;
	}
	if (c->progress) {
		struct timeval every = { 0, 100000 };
		tick = event_new(c->base, -1, EV_PERSIST, on_tick, &pd);
		if (tick && event_add(tick, &every) == 0)
			on_tick(-1, 0, &pd); /* shown at once, even for a request over in less than a tick */
	}
	errno = 0;
	event_base_dispatch(c->base);
	if (!pd.done || out->status == 0) {
		char buf[160];
		const char *why = failure_text(&pd, buf, sizeof buf);
		drop_connection(c);
		if (pd.have_error && pd.error == EVREQ_HTTP_BUFFER_ERROR && len > 0)
			rc = ct_fail(err, CT_UNAVAILABLE,
				     "%s closed the connection while a request of %zu bytes was being sent (%s), "
				     "without an answer; it may take no request this large",
				     c->server, len, why);
		else
			rc = ct_fail(err, CT_UNAVAILABLE, "cannot reach %s: %s", c->server, why);
		goto out;
	}
out:
	if (tick)
		event_free(tick);
	free(uri);
	return rc;
}
