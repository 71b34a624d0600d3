/* Load generator of bench/run for contestd (libevent's evhttp client), in two
 * ways of loading:
 *   closed loop (default): C keep-alive connections, each sending its next
 *     request as soon as the previous one is answered;
 *   fixed rate (--rate R): requests are scheduled at R per second whatever
 *     the answers do, sent on whichever of the C connections is idle (queued
 *     while none is), and each latency is counted from the scheduled time,
 *     not from the send, so a stalled server cannot hide its stall by
 *     holding back the client (no coordinated omission).
 * A request is a judge's score submission (POST, a fresh Idempotency-Key each,
 * a valid body cycling over the contestants and criteria) or, with --get, a
 * GET of a path. With --ack-log every acknowledged submission is written down
 * so that bench/run can check afterwards that the database holds each of them
 * exactly once. Bounded in time (--seconds) and count (--requests). */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "bench_util.h"
#include "xmalloc.h"

#define MAX_ERRORS 100      /* stop issuing after this many failed requests */
#define LINE_MAX_LEN 512    /* longest line of the tokens and codes files */
#define MAX_QUEUE (1u << 22) /* scheduled but unsent requests kept at most (fixed rate) */

struct conn;

struct bench {
	struct event_base *base;
	char *host;
	unsigned port;
	char host_header[300];
	char *path;              /* /api/v1/events/EVENT/scores, or the --get path */
	int get;                 /* GET path instead of POSTing scores */
	char **tokens;           /* judges' bearer tokens */
	size_t n_tokens;
	char **codes;            /* anonymous contestant codes */
	size_t n_codes;
	char **criteria;         /* criterion codes */
	size_t n_criteria;
	unsigned max_value;      /* values go from 0 to max_value in steps of 0.5 */
	long max_requests;       /* 0: no limit */
	double seconds;          /* time limit */
	double rate;             /* 0: closed loop; else requests per second */
	FILE *ack_log;           /* acknowledged submissions, or NULL */
	int verbose;

	long issued, ok, errors, in_flight, unsent;
	int stopping;
	uint64_t start_ns, end_ns;
	uint64_t *lat_ns;        /* latency of each successful request */
	size_t n_lat, cap_lat;
	char first_error[512];

	/* fixed rate */
	struct event *tick;
	uint64_t scheduled;      /* requests scheduled so far */
	uint64_t *due;           /* ring of scheduled times not sent yet */
	size_t due_head, due_n, due_cap;
	struct conn **idle;      /* connections with nothing in flight */
	size_t n_idle;
};

struct conn {
	struct bench *b;
	struct evhttp_connection *http;
	size_t index;            /* connection number */
	size_t next;             /* position in the (code, criterion) cycle */
	unsigned long seq;       /* requests made on this connection */
	uint64_t from_ns;        /* latency counts from here: send or scheduled time */
	/* the submission in flight, for the acknowledgement log */
	char key[96];
	size_t token;
	const char *code, *crit;
	unsigned halves;
};

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

static void free_lines(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static double parse_number(const char *opt, const char *s, double lo, double hi)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= lo && v <= hi))
		die("%s: want a number from %g to %g, got \"%s\"", opt, lo, hi, s);
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

/* Ends the run once nothing is in flight after the limits were reached. */
static void maybe_finish(struct bench *b)
{
	if (b->in_flight == 0 && (b->stopping || (b->max_requests > 0 && b->issued >= b->max_requests)))
		event_base_loopbreak(b->base);
}

/* Writes an acknowledged submission: key, token index, contestant code,
 * criterion, value in hundredths and the revision the server gave it. */
static void log_ack(struct bench *b, const struct conn *c, struct evhttp_request *req)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	char body[512], *p;
	size_t len = evbuffer_get_length(in);
	long revision = -1;

	if (len >= sizeof body)
		len = sizeof body - 1;
	evbuffer_copyout(in, body, len);
	body[len] = '\0';
	p = strstr(body, "\"revision\":");
	if (p)
		revision = strtol(p + strlen("\"revision\":"), NULL, 10);
	fprintf(b->ack_log, "%s\t%zu\t%s\t%s\t%u\t%ld\n", c->key, c->token, c->code, c->crit, c->halves * 50,
		revision);
}

static void send_request(struct conn *c, uint64_t from_ns);

/* Fixed rate: sends the oldest scheduled request on c, or parks c. */
static void serve_queue(struct conn *c)
{
	struct bench *b = c->b;

	if (b->due_n > 0 && !b->stopping && !(b->max_requests > 0 && b->issued >= b->max_requests)) {
		uint64_t t = b->due[b->due_head];
		b->due_head = (b->due_head + 1) % b->due_cap;
		b->due_n--;
		send_request(c, t);
	} else {
		b->idle[b->n_idle++] = c;
		maybe_finish(b);
	}
}

static void on_response(struct evhttp_request *req, void *arg)
{
	struct conn *c = arg;
	struct bench *b = c->b;
	uint64_t t = bench_now_ns();
	int code = req ? evhttp_request_get_response_code(req) : 0;

	b->in_flight--;
	b->end_ns = t;
	if (code == (b->get ? 200 : 201) || (!b->get && code == 200)) {
		b->ok++;
		record_latency(b, t - c->from_ns);
		if (b->ack_log && !b->get)
			log_ack(b, c, req);
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
	if (b->rate > 0) {
		serve_queue(c);
		return;
	}
	if (b->stopping || (b->max_requests > 0 && b->issued >= b->max_requests))
		maybe_finish(b);
	else
		send_request(c, bench_now_ns());
}

/* Sends c's next request; its latency will count from from_ns. */
static void send_request(struct conn *c, uint64_t from_ns)
{
	struct bench *b = c->b;
	struct evhttp_request *req = evhttp_request_new(on_response, c);
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	char auth[LINE_MAX_LEN + 16];

	c->token = (c->index + c->seq) % b->n_tokens;
	snprintf(auth, sizeof auth, "Bearer %s", b->tokens[c->token]);
	evhttp_add_header(h, "Host", b->host_header);
	evhttp_add_header(h, "Authorization", auth);
	if (!b->get) {
		char body[256];
		size_t pair = c->next++ % (b->n_codes * b->n_criteria);
		c->code = b->codes[pair / b->n_criteria];
		c->crit = b->criteria[pair % b->n_criteria];
		c->halves = (unsigned)((c->index * 7 + c->seq) % (2 * b->max_value + 1));
		snprintf(body, sizeof body, "{\"contestant\":\"%s\",\"criterion\":\"%s\",\"value\":\"%u%s\"}", c->code,
			 c->crit, c->halves / 2, c->halves % 2 ? ".5" : "");
		snprintf(c->key, sizeof c->key, "bench-%ld-%zu-%lu", (long)getpid(), c->index, c->seq);
		evhttp_add_header(h, "Content-Type", "application/json");
		evhttp_add_header(h, "Idempotency-Key", c->key);
		evbuffer_add(evhttp_request_get_output_buffer(req), body, strlen(body));
	}
	c->seq++;
	c->from_ns = from_ns;
	b->issued++;
	b->in_flight++;
	if (evhttp_make_request(c->http, req, b->get ? EVHTTP_REQ_GET : EVHTTP_REQ_POST, b->path) != 0) {
		/* libevent has already freed req */
		b->in_flight--;
		note_error(b, "connection %zu: could not make a request", c->index);
		b->stopping = 1;
		maybe_finish(b);
	}
}

/* Fixed rate: schedules every request due by now, hands them to idle
 * connections, and sets the timer for the next one. */
static void on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct bench *b = arg;
	uint64_t t = bench_now_ns(), next;
	struct timeval tv;
	(void)fd;
	(void)what;

	if (b->stopping)
		return;
	for (;;) {
		uint64_t due = b->start_ns + (uint64_t)((double)b->scheduled * 1e9 / b->rate);
		if (due > t || (b->max_requests > 0 && b->scheduled >= (uint64_t)b->max_requests))
			break;
		if (b->due_n == b->due_cap)
			die("more than %u requests waiting for a connection: the server has stalled", MAX_QUEUE);
		b->due[(b->due_head + b->due_n++) % b->due_cap] = due;
		b->scheduled++;
	}
	while (b->due_n > 0 && b->n_idle > 0)
		serve_queue(b->idle[--b->n_idle]);
	if (b->max_requests > 0 && b->scheduled >= (uint64_t)b->max_requests)
		return;
	next = b->start_ns + (uint64_t)((double)b->scheduled * 1e9 / b->rate);
	t = bench_now_ns();
	tv.tv_sec = next > t ? (time_t)((next - t) / 1000000000u) : 0;
	tv.tv_usec = next > t ? (suseconds_t)((next - t) % 1000000000u / 1000u) : 0;
	evtimer_add(b->tick, &tv);
}

static void on_deadline(evutil_socket_t fd, short what, void *arg)
{
	struct bench *b = arg;
	uint64_t t = bench_now_ns();
	(void)fd;
	(void)what;
	b->stopping = 1;
	/* Requests that were due but never got a connection were waiting at
	 * least this long: they count with that (lower-bound) latency. */
	for (; b->due_n > 0; b->due_n--) {
		record_latency(b, t - b->due[b->due_head]);
		b->due_head = (b->due_head + 1) % b->due_cap;
		b->unsent++;
	}
	maybe_finish(b);
}

static void parse_url(struct bench *b, const char *url)
{
	const char *p, *colon;
	char *port_text;

	if (strncmp(url, "http://", 7) != 0)
		die("--url: want http://HOST:PORT, got \"%s\"", url);
	p = url + 7;
	colon = strrchr(p, ':');
	if (!colon || colon == p)
		die("--url: want http://HOST:PORT, got \"%s\"", url);
	b->host = xstrndup(p, (size_t)(colon - p));
	port_text = xstrndup(colon + 1, strcspn(colon + 1, "/"));
	b->port = (unsigned)parse_number("--url port", port_text, 1, 65535);
	free(port_text);
	snprintf(b->host_header, sizeof b->host_header, "%s:%u", b->host, b->port);
}

static void usage(FILE *out)
{
	fputs("usage: bench_commit --url http://HOST:PORT --tokens FILE\n"
	      "                    (--event CODE --codes FILE --criteria A1,A2,... | --get PATH)\n"
	      "                    [--max MARK] [--connections C] [--seconds S] [--requests N]\n"
	      "                    [--rate R] [--ack-log FILE] [--verbose]\n"
	      "\n"
	      "Each of C keep-alive connections (default 64) POSTs score submissions to\n"
	      "/api/v1/events/CODE/scores, each with a new Idempotency-Key, as judge\n"
	      "tokens[i % n] (one token a line in FILE), cycling through the anonymous codes\n"
	      "(one a line) and criteria, with values from 0 to MARK (default 10) in steps of\n"
	      "0.5; or, with --get, GETs PATH with those tokens. Closed loop (a connection\n"
	      "sends again when answered) unless --rate R: R requests per second on a fixed\n"
	      "schedule, latency counted from each request's scheduled time. Runs for S\n"
	      "seconds (default 5) or N requests. --ack-log writes one line per acknowledged\n"
	      "submission: key, token index, contestant, criterion, value in hundredths,\n"
	      "revision (tab-separated). Prints a summary line: ok, errors, unsent, seconds,\n"
	      "rate (answers/s), p50_ms, p99_ms, p999_ms, max_ms. Exits 1 if a request failed.\n",
	      out);
}

int main(int argc, char **argv)
{
	struct bench b;
	struct conn *conns;
	struct event *deadline;
	struct event_config *cfg;
	struct timeval tv;
	const char *url = NULL, *event = NULL, *tokens = NULL, *codes = NULL, *criteria = NULL, *ack_log = NULL;
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
		else if (strcmp(opt, "--get") == 0)
			b.path = xstrdup(val);
		else if (strcmp(opt, "--ack-log") == 0)
			ack_log = val;
		else if (strcmp(opt, "--max") == 0)
			b.max_value = (unsigned)parse_number(opt, val, 1, 1000);
		else if (strcmp(opt, "--connections") == 0)
			n_conns = (long)parse_number(opt, val, 1, 10000);
		else if (strcmp(opt, "--seconds") == 0)
			b.seconds = parse_number(opt, val, 0.1, 3600);
		else if (strcmp(opt, "--requests") == 0)
			b.max_requests = (long)parse_number(opt, val, 1, 1e8);
		else if (strcmp(opt, "--rate") == 0)
			b.rate = parse_number(opt, val, 1, 1e6);
		else
			die("unknown option %s (see --help)", opt);
	}
	b.get = b.path != NULL;
	if (!url || !tokens || (!b.get && (!event || !codes || !criteria))) {
		usage(stderr);
		return 2;
	}
	parse_url(&b, url);
	b.tokens = read_lines(tokens, &b.n_tokens);
	if (!b.get) {
		b.path = xasprintf("/api/v1/events/%s/scores", event);
		b.codes = read_lines(codes, &b.n_codes);
		b.criteria = split_commas(criteria, &b.n_criteria);
	}
	if (ack_log && !(b.ack_log = fopen(ack_log, "w")))
		die("%s: %s", ack_log, strerror(errno));

	/* timerfd-backed timers: a fixed schedule to the microsecond, not the
	 * millisecond of epoll_wait */
	cfg = event_config_new();
	if (!cfg || event_config_set_flag(cfg, EVENT_BASE_FLAG_PRECISE_TIMER) != 0)
		die("event_config failed");
	b.base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	if (!b.base)
		die("event_base_new failed");
	conns = xcalloc((size_t)n_conns, sizeof *conns);
	b.idle = xcalloc((size_t)n_conns, sizeof *b.idle);
	for (i = 0; i < (size_t)n_conns; i++) {
		conns[i].b = &b;
		conns[i].index = i;
		/* spread the connections over the (code, criterion) cycle */
		if (!b.get)
			conns[i].next = i * (b.n_codes * b.n_criteria) / (size_t)n_conns;
		conns[i].http = evhttp_connection_base_new(b.base, NULL, b.host, (ev_uint16_t)b.port);
		if (!conns[i].http)
			die("cannot create connection %zu to %s:%u", i, b.host, b.port);
		evhttp_connection_set_timeout(conns[i].http, 60);
		evhttp_connection_set_retries(conns[i].http, 0);
	}

	deadline = evtimer_new(b.base, on_deadline, &b);
	tv.tv_sec = (time_t)b.seconds;
	tv.tv_usec = (suseconds_t)((b.seconds - (double)tv.tv_sec) * 1e6);
	evtimer_add(deadline, &tv);

	b.start_ns = bench_now_ns();
	b.end_ns = b.start_ns;
	if (b.rate > 0) {
		b.due_cap = MAX_QUEUE;
		b.due = xcalloc(b.due_cap, sizeof *b.due);
		for (i = 0; i < (size_t)n_conns; i++)
			b.idle[b.n_idle++] = &conns[(size_t)n_conns - 1 - i];
		b.tick = evtimer_new(b.base, on_tick, &b);
		on_tick(-1, 0, &b);
		event_base_dispatch(b.base);
	} else {
		for (i = 0; i < (size_t)n_conns && !b.stopping; i++)
			send_request(&conns[i], bench_now_ns());
		if (b.in_flight > 0)
			event_base_dispatch(b.base);
	}

	elapsed = (double)(b.end_ns - b.start_ns) / 1e9;
	qsort(b.lat_ns, b.n_lat, sizeof *b.lat_ns, bench_cmp_u64);
	printf("connections=%ld ok=%ld errors=%ld unsent=%ld seconds=%.2f rate=%.1f p50_ms=%.3f p99_ms=%.3f "
	       "p999_ms=%.3f max_ms=%.3f\n",
	       n_conns, b.ok, b.errors, b.unsent, elapsed, elapsed > 0 ? (double)b.ok / elapsed : 0.0,
	       bench_percentile_ms(b.lat_ns, b.n_lat, 50), bench_percentile_ms(b.lat_ns, b.n_lat, 99),
	       bench_percentile_ms(b.lat_ns, b.n_lat, 99.9), bench_percentile_ms(b.lat_ns, b.n_lat, 100));
	if (b.errors > 0)
		fprintf(stderr, "bench_commit: %ld requests failed; first: %s\n", b.errors, b.first_error);
	if (b.ack_log && fclose(b.ack_log) != 0)
		die("%s: %s", ack_log, strerror(errno));

	for (i = 0; i < (size_t)n_conns; i++)
		evhttp_connection_free(conns[i].http);
	free(conns);
	free(b.idle);
	free(b.due);
	if (b.tick)
		event_free(b.tick);
	event_free(deadline);
	event_base_free(b.base);
	free_lines(b.tokens, b.n_tokens);
	if (b.codes)
		free_lines(b.codes, b.n_codes);
	if (b.criteria)
		free_lines(b.criteria, b.n_criteria);
	free(b.lat_ns);
	free(b.path);
	free(b.host);
	return b.errors > 0 ? 1 : 0;
}
