/* The daemon as a whole: its configuration and the modules it is made of,
 * set up by main and reached by every request handler (req->app). */
#ifndef CONTESTD_APP_H
#define CONTESTD_APP_H

#include <event2/event.h>
#include <event2/http.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;
struct commit_queue;
struct auth;
struct results_cache;
struct verifier;
struct conns;
struct metrics;
struct versions;
struct bodies;
struct sheets;
struct pubcache;
struct rate_limiter;

struct config {
	const char *db_path;
	const char *listen;       /* ADDR:PORT */
	const char *public_url;
	const char *contest_code;
	const char *contest_name;
	size_t max_body;          /* bytes: JSON bodies of organizers' imports */
	size_t max_import;        /* bytes: a CSV body of a score import */
	size_t max_headers;       /* bytes */
	size_t max_buffered;      /* bytes of requests held at once */
	size_t max_connections;   /* open connections */
	int timeout_s;            /* idle connection */
	int request_timeout_s;    /* a request from its first byte to its last */
	int max_batch;            /* submissions per group commit */
	int token_hours;
	const char *pid_file;     /* --pid-file, or NULL */
	int public_rate;          /* public requests per second per address; 0: no limit */
};

struct app {
	struct event_base *base;
	struct evhttp *http;
	struct evhttp_bound_socket *bound; /* the listening socket */
	struct store *store;      /* the event loop's connection: reads, and the few writes made here */
	struct commit_queue *commit; /* the writer thread: submissions and imports */
	struct auth *auth;
	struct results_cache *results;
	struct bodies *bodies;    /* encoded answers kept between changes */
	struct sheets *sheets;    /* judges' sheets kept between changes (api_sheet.c) */
	struct verifier *verifier; /* audit verify, off the loop */
	struct pubcache *pub;     /* the public pages' documents */
	struct rate_limiter *visitors; /* the public pages' requests per address */
	struct conns *conns;      /* connections: limits, deadlines, refusals before the body */
	struct metrics *metrics;
	struct versions *versions;/* generations of what committed */
	struct config cfg;
	char epoch[16];           /* of this process, in entity tags of cached answers */
	uint64_t requests;        /* served, for the log and metrics */
	int64_t loop_late_max_us; /* the longest the event loop kept a timer waiting past its time */
	int64_t loop_busy_max_us; /* the most CPU time it used between two ticks of that timer */
	uint64_t loop_stalls;     /* times work held it up more than LOOP_STALL_MS */
	bool draining;            /* SIGTERM seen: no new work */
};

#endif
