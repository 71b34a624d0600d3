/* Load generator for the score write path: C concurrent keep-alive HTTP
 * connections (libevent's evhttp client), each POSTing score submissions with
 * a fresh Idempotency-Key one after another, for a bounded time or count.
 * Prints submissions per second and latency percentiles; bench/run_commit.sh
 * runs it against group commit and against one commit per submission. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "xmalloc.h"

#define MAX_ERRORS 100      /* stop issuing after this many failed submissions */
#define LINE_MAX_LEN 512    /* longest line of the tokens and codes files */

struct bench {
	struct event_base *base;
	char *host;
	unsigned port;
	char *path;              /* /api/v1/events/EVENT/scores */
	char **tokens;           /* judges' bearer tokens */
	size_t n_tokens;
	char **codes;            /* anonymous contestant codes */
	size_t n_codes;
	char **criteria;         /* criterion codes */
	size_t n_criteria;
	unsigned max_value;      /* values go from 0 to max_value in steps of 0.5 */
	long max_requests;       /* 0: no limit */
	double seconds;          /* time limit */
	int verbose;

	long issued, ok, errors, in_flight;
	int stopping;
	uint64_t start_ns, end_ns;
	uint64_t *lat_ns;        /* latency of each successful submission */
	size_t n_lat, cap_lat;
	char first_error[512];
};

struct conn {
	struct bench *b;
	struct evhttp_connection *http;
	size_t index;            /* connection number */
	size_t next;             /* position in the (code, criterion) cycle */
	unsigned long seq;       /* submissions made on this connection */
	uint64_t sent_ns;
};

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("bench_commit: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

/* Reads the non-empty lines of a file into a new array; caller frees. */
static char **read_lines(const char *file, size_t *n_out)
{
	FILE *f = fopen(file, "r");
	char line[LINE_MAX_LEN];
	char **v = NULL;
	size_t n = 0;

	if (!f)
		die("%s: %s", file, strerror(errno));
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0')
			continue;
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n++] = xstrdup(line);
	}
	fclose(f);
	if (n == 0)
		die("%s: no lines", file);
	*n_out = n;
	return v;
}

/* Splits "A1,A2,B1" into a new array; caller frees. */
static char **split_commas(const char *s, size_t *n_out)
{
	char **v = NULL;
	size_t n = 0;

	while (*s) {
		size_t len = strcspn(s, ",");
		if (len > 0) {
			v = xreallocarray(v, n + 1, sizeof *v);
			v[n++] = xstrndup(s, len);
		}
		s += len;
		if (*s == ',')
			s++;
	}
	if (n == 0)
		die("--criteria: no criterion codes");
	*n_out = n;
	return v;
}

static long parse_long(const char *opt, const char *s, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		die("%s: want a whole number from %ld to %ld, got \"%s\"", opt, lo, hi, s);
	return v;
}

static void record_latency(struct bench *b, uint64_t ns)
{
	if (b->n_lat == b->cap_lat) {
		b->cap_lat = b->cap_lat ? 2 * b->cap_lat : 4096;
		b->lat_ns = xreallocarray(b->lat_ns, b->cap_lat, sizeof *b->lat_ns);
	}
	b->lat_ns[b->n_lat++] = ns;
}

static void note_error(struct bench *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note_error(struct bench *b, const char *fmt, ...)
{
	va_list ap;

	b->errors++;
	if (b->errors >= MAX_ERRORS)
		b->stopping = 1;
	if (b->first_error[0] != '\0' && !b->verbose)
		return;
	va_start(ap, fmt);
	vsnprintf(b->first_error, sizeof b->first_error, fmt, ap);
	va_end(ap);
	if (b->verbose)
		fprintf(stderr, "bench_commit: %s\n", b->first_error);
}

static void send_next(struct conn *c);

static void on_response(struct evhttp_request *req, void *arg)
{
	struct conn *c = arg;
	struct bench *b = c->b;
	uint64_t t = now_ns();
	int code = req ? evhttp_request_get_response_code(req) : 0;

	b->in_flight--;
	b->end_ns = t;
	if (code == 201 || code == 200) {
		b->ok++;
		record_latency(b, t - c->sent_ns);
	} else if (req == NULL || code == 0) {
		note_error(b, "connection %zu: no response (connection failed or timed out)", c->index);
	} else {
		struct evbuffer *in = evhttp_request_get_input_buffer(req);
		size_t len = evbuffer_get_length(in);
		char body[256];
		if (len >= sizeof body)
			len = sizeof body - 1;
		evbuffer_copyout(in, body, len);
		body[len] = '\0';
		note_error(b, "HTTP %d: %s", code, body);
	}
	if (t - b->start_ns >= (uint64_t)(b->seconds * 1e9))
		b->stopping = 1;
	send_next(c);
}

/* Sends this connection's next submission, or ends the run when the limits
 * are reached and nothing is in flight. */
static void send_next(struct conn *c)
{
	struct bench *b = c->b;
	struct evhttp_request *req;
	struct evkeyvalq *h;
	char body[256], key[96], auth[LINE_MAX_LEN + 16], host[300];
	size_t pair = c->next++ % (b->n_codes * b->n_criteria);
	const char *code = b->codes[pair / b->n_criteria];
	const char *crit = b->criteria[pair % b->n_criteria];
	unsigned halves = (unsigned)((c->index * 7 + c->seq) % (2 * b->max_value + 1));

	if (b->stopping || (b->max_requests > 0 && b->issued >= b->max_requests)) {
		if (b->in_flight == 0)
			event_base_loopbreak(b->base);
		return;
	}
	snprintf(body, sizeof body, "{\"contestant\":\"%s\",\"criterion\":\"%s\",\"value\":\"%u%s\"}",
		 code, crit, halves / 2, halves % 2 ? ".5" : "");
	snprintf(key, sizeof key, "bench-%ld-%zu-%lu", (long)getpid(), c->index, c->seq);
	snprintf(auth, sizeof auth, "Bearer %s", b->tokens[c->index % b->n_tokens]);
	snprintf(host, sizeof host, "%s:%u", b->host, b->port);

	req = evhttp_request_new(on_response, c);
	h = evhttp_request_get_output_headers(req);
	evhttp_add_header(h, "Host", host);
	evhttp_add_header(h, "Content-Type", "application/json");
	evhttp_add_header(h, "Authorization", auth);
	evhttp_add_header(h, "Idempotency-Key", key);
	evbuffer_add(evhttp_request_get_output_buffer(req), body, strlen(body));

	c->seq++;
	c->sent_ns = now_ns();
	b->issued++;
	b->in_flight++;
	if (evhttp_make_request(c->http, req, EVHTTP_REQ_POST, b->path) != 0) {
		/* libevent has already freed req */
		b->in_flight--;
		note_error(b, "connection %zu: could not make a request", c->index);
		b->stopping = 1;
		if (b->in_flight == 0)
			event_base_loopbreak(b->base);
	}
}

static void on_deadline(evutil_socket_t fd, short what, void *arg)
{
	struct bench *b = arg;
	(void)fd;
	(void)what;
	b->stopping = 1;
	if (b->in_flight == 0)
		event_base_loopbreak(b->base);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* The p-th percentile (nearest rank) of sorted values, in milliseconds. */
static double percentile_ms(const uint64_t *v, size_t n, double p)
{
	size_t rank;

	if (n == 0)
		return 0.0;
	rank = (size_t)(p / 100.0 * (double)n + 0.999999);
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return (double)v[rank - 1] / 1e6;
}

static void parse_url(struct bench *b, const char *url)
{
	const char *p, *colon;
	long port;

	if (strncmp(url, "http://", 7) != 0)
		die("--url: want http://HOST:PORT, got \"%s\"", url);
	p = url + 7;
	colon = strrchr(p, ':');
	if (!colon || colon == p)
		die("--url: want http://HOST:PORT, got \"%s\"", url);
	b->host = xstrndup(p, (size_t)(colon - p));
	{
		char *port_text = xstrndup(colon + 1, strcspn(colon + 1, "/"));
		port = parse_long("--url port", port_text, 1, 65535);
		free(port_text);
	}
	b->port = (unsigned)port;
}

static void usage(FILE *out)
{
	fputs("usage: bench_commit --url http://HOST:PORT --event CODE --tokens FILE --codes FILE\n"
	      "                    --criteria A1,A2,... [--max MARK] [--connections C]\n"
	      "                    [--seconds S] [--requests N] [--verbose]\n"
	      "\n"
	      "Each of C keep-alive connections (default 64) POSTs score submissions to\n"
	      "/api/v1/events/CODE/scores one after another, each with a new Idempotency-Key,\n"
	      "as judge tokens[i % n] (one token a line in FILE), cycling through the anonymous\n"
	      "codes (one a line) and criteria, with values from 0 to MARK (default 10) in\n"
	      "steps of 0.5, until S seconds (default 5) or N submissions. Prints a summary\n"
	      "line: ok, errors, seconds, rate (submissions/s), p50_ms, p99_ms, max_ms.\n"
	      "Exits 1 if any submission failed.\n",
	      out);
}

int main(int argc, char **argv)
{
	struct bench b;
	struct conn *conns;
	struct event *deadline;
	struct timeval tv;
	const char *url = NULL, *event = NULL, *tokens = NULL, *codes = NULL, *criteria = NULL;
	long n_conns = 64;
	double elapsed;
	size_t i;

	memset(&b, 0, sizeof b);
	b.seconds = 5;
	b.max_value = 10;
	for (int a = 1; a < argc; a++) {
		const char *opt = argv[a];
		const char *val = a + 1 < argc ? argv[a + 1] : NULL;
		if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
			usage(stdout);
			return 0;
		}
		if (strcmp(opt, "--verbose") == 0) {
			b.verbose = 1;
			continue;
		}
		if (!val)
			die("%s needs a value (see --help)", opt);
		a++;
		if (strcmp(opt, "--url") == 0)
			url = val;
		else if (strcmp(opt, "--event") == 0)
			event = val;
		else if (strcmp(opt, "--tokens") == 0)
			tokens = val;
		else if (strcmp(opt, "--codes") == 0)
			codes = val;
		else if (strcmp(opt, "--criteria") == 0)
			criteria = val;
		else if (strcmp(opt, "--max") == 0)
			b.max_value = (unsigned)parse_long(opt, val, 1, 1000);
		else if (strcmp(opt, "--connections") == 0)
			n_conns = parse_long(opt, val, 1, 10000);
		else if (strcmp(opt, "--seconds") == 0)
			b.seconds = (double)parse_long(opt, val, 1, 3600);
		else if (strcmp(opt, "--requests") == 0)
			b.max_requests = parse_long(opt, val, 1, 100000000);
		else
			die("unknown option %s (see --help)", opt);
	}
	if (!url || !event || !tokens || !codes || !criteria) {
		usage(stderr);
		return 2;
	}
	parse_url(&b, url);
	b.path = xasprintf("/api/v1/events/%s/scores", event);
	b.tokens = read_lines(tokens, &b.n_tokens);
	b.codes = read_lines(codes, &b.n_codes);
	b.criteria = split_commas(criteria, &b.n_criteria);

	b.base = event_base_new();
	if (!b.base)
		die("event_base_new failed");
	conns = xcalloc((size_t)n_conns, sizeof *conns);
	for (i = 0; i < (size_t)n_conns; i++) {
		conns[i].b = &b;
		conns[i].index = i;
		/* spread the connections over the (code, criterion) cycle */
		conns[i].next = i * (b.n_codes * b.n_criteria) / (size_t)n_conns;
		conns[i].http = evhttp_connection_base_new(b.base, NULL, b.host, (ev_uint16_t)b.port);
		if (!conns[i].http)
			die("cannot create connection %zu to %s:%u", i, b.host, b.port);
		evhttp_connection_set_timeout(conns[i].http, 60);
		evhttp_connection_set_retries(conns[i].http, 0);
	}

	deadline = evtimer_new(b.base, on_deadline, &b);
	tv.tv_sec = (time_t)b.seconds;
	tv.tv_usec = 0;
	evtimer_add(deadline, &tv);

	b.start_ns = now_ns();
	b.end_ns = b.start_ns;
	for (i = 0; i < (size_t)n_conns; i++)
		send_next(&conns[i]);
	if (b.in_flight > 0)
		event_base_dispatch(b.base);

	elapsed = (double)(b.end_ns - b.start_ns) / 1e9;
	qsort(b.lat_ns, b.n_lat, sizeof *b.lat_ns, cmp_u64);
	printf("connections=%ld ok=%ld errors=%ld seconds=%.2f rate=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
	       n_conns, b.ok, b.errors, elapsed, elapsed > 0 ? (double)b.ok / elapsed : 0.0,
	       percentile_ms(b.lat_ns, b.n_lat, 50), percentile_ms(b.lat_ns, b.n_lat, 99),
	       percentile_ms(b.lat_ns, b.n_lat, 100));
	if (b.errors > 0)
		fprintf(stderr, "bench_commit: %ld submissions failed; first: %s\n", b.errors, b.first_error);

	for (i = 0; i < (size_t)n_conns; i++)
		evhttp_connection_free(conns[i].http);
	free(conns);
	event_free(deadline);
	event_base_free(b.base);
	for (i = 0; i < b.n_tokens; i++)
		free(b.tokens[i]);
	for (i = 0; i < b.n_codes; i++)
		free(b.codes[i]);
	for (i = 0; i < b.n_criteria; i++)
		free(b.criteria[i]);
	free(b.tokens);
	free(b.codes);
	free(b.criteria);
	free(b.lat_ns);
	free(b.path);
	free(b.host);
	return b.errors > 0 ? 1 : 0;
}
