/* Baselines B1 and B3 of bench/run: a bare libevent evhttp server that
 * answers every GET and every POST with a body read from a file at start-up
 * and held in memory, with the headers, limits and keep-alive behaviour of
 * contestd, and nothing else (no routing, no authentication, no JSON, no
 * database). What contestd reaches against it is what its own work costs.
 * bench/run gives it --nodelay: the limit of HTTP over loopback, not that of
 * Nagle's algorithm meeting the client's delayed ACK. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "xmalloc.h"

#define MAX_BODY_FILE (256u << 20)

struct body {
	char *data;       /* NULL: this method is answered 405 */
	size_t len;
	int status;
};

struct server {
	struct body get, post;
	unsigned long requests;
};

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "baseline_http: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
	exit(2);
}

static void load(struct body *b, const char *file, int status)
{
	FILE *f = fopen(file, "rb");
	long n;

	if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
		die(file, strerror(errno));
	if ((unsigned long)n > MAX_BODY_FILE)
		die(file, "larger than 256 MiB");
	b->data = xmalloc((size_t)n + 1);
	b->len = (size_t)n;
	if (fread(b->data, 1, b->len, f) != b->len)
		die(file, "short read");
	fclose(f);
	b->status = status;
}

/* The same headers as contestd's replies (http.c send_text); evhttp adds
 * Date, Content-Length and the keep-alive handling in both. */
static void on_request(struct evhttp_request *req, void *arg)
{
	struct server *s = arg;
	enum evhttp_cmd_type m = evhttp_request_get_command(req);
	const struct body *b = m == EVHTTP_REQ_POST ? &s->post : m == EVHTTP_REQ_GET ? &s->get : NULL;
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	struct evbuffer *out;

	s->requests++;
	if (!b || !b->data) {
		evhttp_send_error(req, 405, NULL);
		return;
	}
	evhttp_add_header(h, "Content-Type", "application/json; charset=utf-8");
	evhttp_add_header(h, "Cache-Control", "no-store");
	out = evbuffer_new();
	if (!out || evbuffer_add(out, b->data, b->len) != 0) {
		evhttp_send_error(req, 500, NULL);
		evbuffer_free(out);
		return;
	}
	evhttp_send_reply(req, b->status, NULL, out);
	evbuffer_free(out);
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)sig;
	(void)what;
	event_base_loopexit(arg, NULL);
}

static void usage(FILE *out)
{
	fputs("usage: baseline_http [--listen 127.0.0.1:PORT] [--get FILE] [--post FILE] [--nodelay]\n"
	      "\n"
	      "Answers every GET with the bytes of the --get FILE (200) and every POST with\n"
	      "those of the --post FILE (201), from memory, with contestd's reply headers,\n"
	      "body and header limits and timeout. --nodelay sets TCP_NODELAY on the\n"
	      "listening socket (Linux passes it on to every accepted connection), so that\n"
	      "the last segment of a large answer is not held back until the client's\n"
	      "delayed ACK (about 40 ms). Port 0 (the default) picks a free port; prints\n"
	      "\"listening on http://HOST:PORT\" on standard error. SIGTERM or SIGINT stop it.\n",
	      out);
}

int main(int argc, char **argv)
{
	struct server s;
	const char *listen = "127.0.0.1:0";
	char host[256];
	const char *colon;
	struct event_base *base;
	struct evhttp *http;
	struct evhttp_bound_socket *bound;
	struct event *sigterm, *sigint;
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	char *end;
	long port;
	int nodelay = 0, one = 1;

	memset(&s, 0, sizeof s);
	for (int a = 1; a < argc; a++) {
		const char *opt = argv[a], *val = a + 1 < argc ? argv[a + 1] : NULL;
		if (strcmp(opt, "--help") == 0) {
			usage(stdout);
			return 0;
		}
		if (strcmp(opt, "--nodelay") == 0) {
			nodelay = 1;
			continue;
		}
		if (!val)
			die(opt, "needs a value (see --help)");
		a++;
		if (strcmp(opt, "--listen") == 0)
			listen = val;
		else if (strcmp(opt, "--get") == 0)
			load(&s.get, val, 200);
		else if (strcmp(opt, "--post") == 0)
			load(&s.post, val, 201);
		else
			die(opt, "unknown option (see --help)");
	}
	if (!s.get.data && !s.post.data)
		die("give --get FILE or --post FILE", NULL);
	colon = strrchr(listen, ':');
	if (!colon || colon == listen || (size_t)(colon - listen) >= sizeof host)
		die(listen, "want ADDR:PORT");
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (errno || *end || end == colon + 1 || port < 0 || port > 65535)
		die(listen, "bad port");

	signal(SIGPIPE, SIG_IGN);
	base = event_base_new();
	http = base ? evhttp_new(base) : NULL;
	if (!http)
		die("cannot create the event base", NULL);
	/* contestd's defaults (main.c), so both servers do the same checks */
	evhttp_set_max_body_size(http, 16 << 20);
	evhttp_set_max_headers_size(http, 16384);
	evhttp_set_timeout(http, 30);
	evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PATCH | EVHTTP_REQ_HEAD |
						 EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE | EVHTTP_REQ_OPTIONS);
	evhttp_set_default_content_type(http, "application/json; charset=utf-8");
	evhttp_set_gencb(http, on_request, &s);
	bound = evhttp_bind_socket_with_handle(http, host, (ev_uint16_t)port);
	if (!bound)
		die(listen, "cannot listen");
	if (nodelay && setsockopt(evhttp_bound_socket_get_fd(bound), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0)
		die("TCP_NODELAY", strerror(errno));
	if (getsockname(evhttp_bound_socket_get_fd(bound), (struct sockaddr *)&sin, &len) != 0 ||
	    sin.sin_family != AF_INET)
		die(listen, "cannot tell the port (IPv4 only)");
	fprintf(stderr, "baseline_http: listening on http://%s:%u\n", host, (unsigned)ntohs(sin.sin_port));

	sigterm = evsignal_new(base, SIGTERM, on_signal, base);
	sigint = evsignal_new(base, SIGINT, on_signal, base);
	if (!sigterm || !sigint || event_add(sigterm, NULL) != 0 || event_add(sigint, NULL) != 0)
		die("cannot handle signals", NULL);
	event_base_dispatch(base);
	fprintf(stderr, "baseline_http: stopped after %lu requests\n", s.requests);

	event_free(sigterm);
	event_free(sigint);
	evhttp_free(http);
	event_base_free(base);
	free(s.get.data);
	free(s.post.data);
	return 0;
}
