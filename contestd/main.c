/* contestd: flags, start-up (a new database gets its contest record, signing
 * key and admin secret), signals and the event loop. */
#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "api.h"
#include "auth.h"
#include "backup.h"
#include "bodies.h"
#include "commit.h"
#include "csv.h"
#include "guard.h"
#include "http.h"
#include "limit.h"
#include "log.h"
#include "metrics.h"
#include "pubcache.h"
#include "results.h"
#include "store.h"
#include "verify.h"
#include "versions.h"
#include "xmalloc.h"

/* What stays in memory between changes (bounded, so that RSS stays small on
 * the largest contest): the values of scored events, encoded answers, and
 * judges' sheets. */
#define KEEP_VALUES 1000000
#define KEEP_ANSWER_BYTES (24u << 20)
#define KEEP_SHEET_BYTES (24u << 20)
/* How long the event loop's own writes (a draw, a lock, a login) wait for
 * the writer thread's transaction: a group commit is a few milliseconds; a
 * large import takes longer, and those writes are refused with 503 then. */
#define LOOP_BUSY_MS 50

static const char usage[] =
	"usage: contestd --db FILE [options]\n"
	"\n"
	"Scoring and results daemon for a skills contest. One database file holds one\n"
	"contest; a new file is initialised on first start and the admin secret is\n"
	"printed once and written to FILE.admin-secret (mode 0600). Every file contestd\n"
	"creates is private to its user (umask 077): the database holds the signing\n"
	"key and national id numbers.\n"
	"\n"
	"  --db FILE              SQLite database of the contest (required)\n"
	"  --listen ADDR:PORT     address to serve HTTP on (default 127.0.0.1:8080;\n"
	"                         port 0 picks a free port, printed at start)\n"
	"  --public-url URL       public base URL, used in certificate QR codes\n"
	"                         (default http://ADDR:PORT unless ADDR is a wildcard\n"
	"                         such as 0.0.0.0; given on a later start, it changes\n"
	"                         the contest's URL, audited)\n"
	"  --contest-code CODE    code of a new contest (default CONTEST)\n"
	"  --contest-name NAME    name of the contest (default 职业技能大赛; given on a\n"
	"                         later start, it renames the contest, audited)\n"
	"  --pid-file FILE        write contestd's process id to FILE once it listens;\n"
	"                         removed at a clean exit\n"
	"  --max-body BYTES       largest JSON body of an organizer's import (default\n"
	"                         16777216); other requests take 8 KiB (login, a score)\n"
	"                         or 64 KiB; every limit is checked on the request's\n"
	"                         head, before its body is read\n"
	"  --max-import BYTES     largest CSV body of a score import (default 67108864)\n"
	"  --max-headers BYTES    largest request header block (default 16384)\n"
	"  --max-connections N    open connections at once (default 1024, and always\n"
	"                         below the descriptor limit); more wait to be accepted\n"
	"  --max-buffered BYTES   request bytes held in memory at once by all\n"
	"                         connections (default 536870912); past it requests are\n"
	"                         refused with 503 before their body is read\n"
	"  --timeout SECONDS      idle timeout of a connection (default 30)\n"
	"  --request-timeout SECONDS  a request's head and body must arrive within this\n"
	"                         (default 60); slower ones are cut off\n"
	"  --max-batch N          score submissions per group commit (default 1000;\n"
	"                         1 commits each alone, the benchmark baseline)\n"
	"  --token-hours N        lifetime of login tokens (default 24)\n"
	"  --public-rate N        requests per second one client address may make to\n"
	"                         the public pages (results, verification), with\n"
	"                         bursts of 3N; 0 for no limit (default 20)\n"
	"  --help                 show this help\n"
	"  --version              show the version\n";

static long parse_number(const char *flag, const char *text, long min, long max)
{
	char *end;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (errno || *end || end == text || v < min || v > max) {
		fprintf(stderr, "contestd: %s %s: expected a whole number from %ld to %ld\n", flag, text, min, max);
		exit(2);
	}
	return v;
}

static void parse_flags(int argc, char **argv, struct config *cfg)
{
	enum { O_DB = 1, O_LISTEN, O_URL, O_CODE, O_NAME, O_BODY, O_HEADERS, O_TIMEOUT, O_BATCH, O_TOKEN, O_HELP,
	       O_VERSION, O_PID, O_IMPORT, O_CONNS, O_BUFFERED, O_REQ_TIMEOUT, O_RATE };
	static const struct option opts[] = {
		{"db", required_argument, NULL, O_DB},
		{"listen", required_argument, NULL, O_LISTEN},
		{"public-url", required_argument, NULL, O_URL},
		{"contest-code", required_argument, NULL, O_CODE},
		{"contest-name", required_argument, NULL, O_NAME},
		{"max-body", required_argument, NULL, O_BODY},
		{"max-headers", required_argument, NULL, O_HEADERS},
		{"timeout", required_argument, NULL, O_TIMEOUT},
		{"max-batch", required_argument, NULL, O_BATCH},
		{"token-hours", required_argument, NULL, O_TOKEN},
		{"help", no_argument, NULL, O_HELP},
		{"version", no_argument, NULL, O_VERSION},
		{"pid-file", required_argument, NULL, O_PID},
		{"max-import", required_argument, NULL, O_IMPORT},
		{"max-connections", required_argument, NULL, O_CONNS},
		{"max-buffered", required_argument, NULL, O_BUFFERED},
		{"request-timeout", required_argument, NULL, O_REQ_TIMEOUT},
		{"public-rate", required_argument, NULL, O_RATE},
		{NULL, 0, NULL, 0},
	};
	*cfg = (struct config){
		.listen = "127.0.0.1:8080",
		/* contest_code, contest_name: NULL when not given (defaults in
		 * init_contest; a later start changes only what is given) */
		.max_body = 16u << 20,
		.max_import = CSV_MAX_BYTES,
		.max_headers = 16384,
		.max_buffered = 512u << 20,
		.max_connections = 1024,
		.timeout_s = 30,
		.request_timeout_s = 60,
		.max_batch = 1000,
		.token_hours = 24,
		.public_rate = 20,
	};
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case O_DB: cfg->db_path = optarg; break;
		case O_LISTEN: cfg->listen = optarg; break;
		case O_URL: cfg->public_url = optarg; break;
		case O_CODE: cfg->contest_code = optarg; break;
		case O_NAME: cfg->contest_name = optarg; break;
		case O_BODY: cfg->max_body = (size_t)parse_number("--max-body", optarg, 1024, 1L << 30); break;
		case O_HEADERS: cfg->max_headers = (size_t)parse_number("--max-headers", optarg, 1024, 1 << 20); break;
		case O_TIMEOUT: cfg->timeout_s = (int)parse_number("--timeout", optarg, 1, 3600); break;
		case O_BATCH: cfg->max_batch = (int)parse_number("--max-batch", optarg, 1, 100000); break;
		case O_TOKEN: cfg->token_hours = (int)parse_number("--token-hours", optarg, 1, 24 * 30); break;
		case O_HELP: fputs(usage, stdout); exit(0);
		case O_VERSION: puts("contestd 0.1.0"); exit(0);
		case O_PID: cfg->pid_file = optarg; break;
		case O_IMPORT: cfg->max_import = (size_t)parse_number("--max-import", optarg, 1024, CSV_MAX_BYTES); break;
		case O_CONNS: cfg->max_connections = (size_t)parse_number("--max-connections", optarg, 1, 1 << 20); break;
		case O_BUFFERED: cfg->max_buffered = (size_t)parse_number("--max-buffered", optarg, 65536, 1L << 36); break;
		case O_REQ_TIMEOUT: cfg->request_timeout_s = (int)parse_number("--request-timeout", optarg, 1, 3600); break;
		case O_RATE: cfg->public_rate = (int)parse_number("--public-rate", optarg, 0, 1000000); break;
		default:
			fprintf(stderr, "contestd: unknown or incomplete option %s\n%s", argv[optind - 1], usage);
			exit(2);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "contestd: unexpected argument %s\n%s", argv[optind], usage);
		exit(2);
	}
	if (!cfg->db_path) {
		fprintf(stderr, "contestd: --db FILE is required\n%s", usage);
		exit(2);
	}
	if (cfg->public_url && !http_public_url_ok(cfg->public_url)) {
		fprintf(stderr,
			"contestd: --public-url %s: expected the http:// or https:// address people and phones "
			"use to reach the result pages, with a host name or address that is not a wildcard "
			"such as 0.0.0.0\n",
			cfg->public_url);
		exit(2);
	}
}

/* Writes the admin secret to a new mode-0600 file; refuses to overwrite. */
static int write_secret(const char *path, const char *secret)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return -1;
	size_t n = strlen(secret);
	int ok = write(fd, secret, n) == (ssize_t)n && write(fd, "\n", 1) == 1 && fsync(fd) == 0;
	return close(fd) == 0 && ok ? 0 : -1;
}

static int init_contest(struct store *st, const struct config *cfg, const char *public_url)
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	char secret[64], hash[AUTH_HASH_TEXT];
	struct ct_err err;
	ct_err_clear(&err);
	crypto_sign_keypair(pk, sk);
	auth_new_secret(secret, sizeof secret);
	char *secret_path = xasprintf("%s.admin-secret", cfg->db_path);
	int ret = -1;
	if (auth_hash_secret(secret, hash, &err) != CT_OK) {
		fprintf(stderr, "contestd: %s\n", err.msg);
		goto out;
	}
	if (write_secret(secret_path, secret) != 0) {
		fprintf(stderr, "contestd: cannot create %s: %s (remove a stale one first)\n", secret_path,
			strerror(errno));
		goto out;
	}
	const char *code = cfg->contest_code ? cfg->contest_code : "CONTEST";
	const char *name = cfg->contest_name ? cfg->contest_name : "职业技能大赛";
	if (store_contest_init(st, code, name, public_url, pk, sk, hash, &err) != CT_OK) {
		fprintf(stderr, "contestd: cannot initialise %s: %s\n", cfg->db_path, err.msg);
		unlink(secret_path);
		goto out;
	}
	fprintf(stderr,
		"contestd: created contest %s (%s) in %s\n"
		"contestd: secret of organizer account admin: %s\n"
		"contestd: (shown once; also in %s, mode 0600)\n",
		code, name, cfg->db_path, secret, secret_path);
	ret = 0;
out:
	sodium_memzero(sk, sizeof sk);
	sodium_memzero(secret, sizeof secret);
	free(secret_path);
	return ret;
}

/* A later start: --contest-name and --public-url change the contest
 * (audited, logged); a stored wildcard URL (made by older versions from
 * --listen 0.0.0.0:PORT) is dropped. Returns 0, or -1 after a message. */
static int update_contest(struct store *st, const struct config *cfg)
{
	struct contest_info ci;
	struct ct_err err;
	ct_err_clear(&err);
	if (store_contest_get(st, &ci, &err) != CT_OK) {
		fprintf(stderr, "contestd: %s: %s\n", cfg->db_path, err.msg);
		return -1;
	}
	const char *name = cfg->contest_name && strcmp(cfg->contest_name, ci.name) != 0 ? cfg->contest_name : NULL;
	const char *url = cfg->public_url && strcmp(cfg->public_url, ci.public_url) != 0 ? cfg->public_url : NULL;
	if (!cfg->public_url && ci.public_url[0] && !http_public_url_ok(ci.public_url))
		url = "";
	if (cfg->contest_code && strcmp(cfg->contest_code, ci.code) != 0)
		log_msg("--contest-code %s ignored: %s holds contest %s, whose code stays", cfg->contest_code,
			cfg->db_path, ci.code);
	if (!name && !url)
		return 0;
	if (store_contest_set(st, "system", name, url, &err) != CT_OK) {
		fprintf(stderr, "contestd: cannot update the contest in %s: %s\n", cfg->db_path, err.msg);
		return -1;
	}
	if (name)
		log_msg("contest %s renamed from \"%s\" to \"%s\" (--contest-name)", ci.code, ci.name, name);
	if (url && *url)
		log_msg("public URL of contest %s changed from %s to %s (--public-url)", ci.code,
			ci.public_url[0] ? ci.public_url : "(none)", url);
	else if (url)
		log_msg("public URL %s dropped: a wildcard address cannot be reached", ci.public_url);
	return 0;
}

/* Writes our process id to path (replacing it atomically). 0, or -1 after a
 * message. */
static int write_pid_file(const char *path)
{
	char *tmp = xasprintf("%s.XXXXXX", path);
	int fd = mkstemp(tmp);
	int ok = fd >= 0;
	if (ok) {
		char line[32];
		int n = snprintf(line, sizeof line, "%ld\n", (long)getpid());
		ok = write(fd, line, (size_t)n) == n;
		ok = close(fd) == 0 && ok && rename(tmp, path) == 0;
	}
	if (!ok) {
		fprintf(stderr, "contestd: --pid-file %s: cannot write it: %s\n", path, strerror(errno));
		if (fd >= 0)
			unlink(tmp);
	}
	free(tmp);
	return ok ? 0 : -1;
}

/* Removes the pid file if it still names this process. */
static void remove_pid_file(const char *path)
{
	char line[32] = "";
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	bool ours = fgets(line, sizeof line, f) && strtol(line, NULL, 10) == (long)getpid();
	fclose(f);
	if (ours)
		unlink(path);
}

/* The longest a drain waits for answers its clients do not read. */
#define DRAIN_MAX_S 30

static struct event *drain_timer;
static int64_t drain_until_ms;

static int64_t monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Ends the loop once everything in flight is answered and written. */
static void on_drain(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct app *app = arg;
	bool done = http_in_flight(app) == 0 && commit_idle(app->commit) && auth_idle(app->auth);
	if (done || monotonic_ms() >= drain_until_ms) {
		if (!done)
			log_msg("stopping with %zu requests unanswered after %d s", http_in_flight(app), DRAIN_MAX_S);
		event_base_loopexit(app->base, NULL);
		return;
	}
	struct timeval tick = {0, 5000};
	evtimer_add(drain_timer, &tick);
}

static void begin_drain(struct app *app);

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)what;
	struct app *app = arg;
	if (app->draining)
		return;
	log_msg("%s: finishing in-flight requests, then exiting", sig == SIGINT ? "SIGINT" : "SIGTERM");
	begin_drain(app);
}

/* The database lost (gone, replaced, a failed fsync): every request is
 * refused (http.c), what is in flight is answered 503, and contestd exits
 * with status 1 without writing more. */
static bool db_lost;
static struct event *guard_timer;

static void on_guard_tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct app *app = arg;
	if (guard_check() && !guard_failed(NULL, 0))
		return;
	db_lost = true;
	evtimer_del(guard_timer);
	if (!app->draining)
		begin_drain(app);
}

static void on_sync_error(const char *what)
{
	guard_fail("an fsync of the database failed (%s): what the disk holds is unknown, so nothing more is "
		   "acknowledged; restart contestd (it recovers from the WAL)",
		   what);
}

static void begin_drain(struct app *app)
{
	http_stop(app);
	auth_flush(app->auth);
	verifier_flush(app->verifier);
	backup_flush();
	drain_until_ms = monotonic_ms() + DRAIN_MAX_S * 1000;
	drain_timer = evtimer_new(app->base, on_drain, app);
	if (!drain_timer) {
		event_base_loopexit(app->base, NULL);
		return;
	}
	on_drain(-1, 0, app);
}

/* The event loop's own watch: a timer every LOOP_TICK_MS. How late it
 * fires is how long the loop was held up; the CPU time the loop's thread
 * used meanwhile tells work (a request's) from being kept off the CPU (a
 * busy machine, a stopped process). No request may hold the loop up more
 * than LOOP_STALL_MS: each time work did is logged and counted (/metrics). */
#define LOOP_TICK_MS 20
#define LOOP_STALL_MS 100

static struct event *loop_tick;
static int64_t loop_tick_due_us, loop_tick_cpu_us;

static int64_t clock_us(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void on_loop_tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct app *app = arg;
	int64_t now = clock_us(CLOCK_MONOTONIC), late = now - loop_tick_due_us;
	int64_t cpu = clock_us(CLOCK_THREAD_CPUTIME_ID), busy = cpu - loop_tick_cpu_us;
	if (late > app->loop_late_max_us)
		app->loop_late_max_us = late;
	if (busy > app->loop_busy_max_us)
		app->loop_busy_max_us = busy;
	if (late > LOOP_STALL_MS * 1000 && busy > LOOP_STALL_MS * 1000) {
		app->loop_stalls++;
		log_msg("the event loop was held up for %lld ms by work (%lld ms of CPU)", (long long)(late / 1000),
			(long long)(busy / 1000));
	}
	loop_tick_due_us = now + LOOP_TICK_MS * 1000;
	loop_tick_cpu_us = cpu;
	struct timeval tv = {0, LOOP_TICK_MS * 1000};
	evtimer_add(loop_tick, &tv);
}

static struct metrics *sync_metrics;

static void on_sync(double seconds)
{
	metrics_observe(sync_metrics, METRIC_FSYNC_SECONDS, seconds);
}

int main(int argc, char **argv)
{
	struct app app;
	memset(&app, 0, sizeof app);
	/* Large blocks (an import's body and rows, an event's values, encoded
	 * answers) come and go: mapped on their own and given back when freed,
	 * rather than left in the heap to raise the resident set for good
	 * (glibc would otherwise raise this threshold as they are freed). */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
	xmalloc_json();
	parse_flags(argc, argv, &app.cfg);
	/* The database, its -wal/-shm, the admin secret and any copy made by a
	 * backup hold the signing key and national id numbers: nobody else may
	 * read what contestd creates. */
	umask(077);
	if (sodium_init() < 0) {
		fprintf(stderr, "contestd: libsodium failed to initialise\n");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);

	struct ct_err err;
	ct_err_clear(&err);
	app.metrics = metrics_new(http_route_count());
	sync_metrics = app.metrics;
	store_on_sync(on_sync);
	store_on_sync_error(on_sync_error);
	if (guard_preflight(app.cfg.db_path) != 0)
		return 1;
	if (store_open(app.cfg.db_path, &app.store, &err) != CT_OK) {
		fprintf(stderr, "contestd: %s: %s\n", app.cfg.db_path, err.msg);
		return 1;
	}
	if (guard_start(app.cfg.db_path) != 0)
		return 1;
	app.versions = versions_new();
	store_on_commit(app.store, versions_note, app.versions);
	store_set_busy_ms(app.store, LOOP_BUSY_MS);
	/* the writer's checkpointer copies the WAL: not the event loop */
	if (store_no_autocheckpoint(app.store, &err) != CT_OK) {
		fprintf(stderr, "contestd: %s: %s\n", app.cfg.db_path, err.msg);
		return 1;
	}
	app.base = event_base_new();
	if (!app.base) {
		fprintf(stderr, "contestd: cannot create the event loop\n");
		return 1;
	}
	log_init(app.base);
	/* entity tags of answers kept in memory name this process: no client
	 * copy from before a restart can match one */
	uint32_t epoch = randombytes_random();
	snprintf(app.epoch, sizeof app.epoch, "%08x", epoch);
	int port = 0;
	if (http_start(&app, &port, &err) != CT_OK) {
		fprintf(stderr, "contestd: %s\n", err.msg);
		return 1;
	}
	char *url = xasprintf("http://%.*s:%d", (int)(strrchr(app.cfg.listen, ':') - app.cfg.listen), app.cfg.listen,
			      port);
	char *default_url = http_default_public_url(app.cfg.listen, port);
	bool exists = false;
	if (store_contest_exists(app.store, &exists, &err) != CT_OK) {
		fprintf(stderr, "contestd: %s: %s\n", app.cfg.db_path, err.msg);
		return 1;
	}
	if (!exists) {
		if (init_contest(app.store, &app.cfg, app.cfg.public_url ? app.cfg.public_url : default_url) != 0)
			return 1;
	} else if (update_contest(app.store, &app.cfg) != 0) {
		return 1;
	}
	struct contest_info contest;
	if (store_contest_get(app.store, &contest, &err) == CT_OK && !contest.public_url[0])
		log_msg("no public URL: certificates and their QR codes need one; start contestd with "
			"--public-url URL (the address phones reach the result pages at)");
	if (app.cfg.pid_file && write_pid_file(app.cfg.pid_file) != 0)
		return 1;
	app.auth = auth_new(app.base, app.store, app.versions, app.cfg.token_hours, NULL);
	app.results = results_new(KEEP_VALUES);
	app.bodies = bodies_new(KEEP_ANSWER_BYTES);
	app.sheets = api_sheets_new(KEEP_SHEET_BYTES);
	app.pub = pubcache_new();
	if (app.cfg.public_rate > 0) {
		const struct rate_config rate = {(uint32_t)app.cfg.public_rate, 3 * (uint32_t)app.cfg.public_rate, 16384};
		app.visitors = rate_new(&rate);
	}
	app.verifier = verifier_new(app.base, app.cfg.db_path);
	if (commit_new(app.base, app.cfg.db_path, app.cfg.max_batch, app.versions, app.metrics, &app.commit, &err) !=
	    CT_OK) {
		fprintf(stderr, "contestd: %s: the writer: %s\n", app.cfg.db_path, err.msg);
		return 1;
	}
	struct event *sigterm = xmade(evsignal_new(app.base, SIGTERM, on_signal, &app), "the SIGTERM event");
	struct event *sigint = xmade(evsignal_new(app.base, SIGINT, on_signal, &app), "the SIGINT event");
	event_add(sigterm, NULL);
	event_add(sigint, NULL);
	guard_timer = event_new(app.base, -1, EV_PERSIST, on_guard_tick, &app);
	struct timeval guard_every = {0, 250000};
	if (!guard_timer || event_add(guard_timer, &guard_every) != 0) {
		fprintf(stderr, "contestd: cannot start the database watch\n");
		return 1;
	}

	log_msg("database %s, schema version %d, group commit up to %d", app.cfg.db_path,
		store_schema_version(app.store), app.cfg.max_batch);
	log_flush();
	fprintf(stderr, "contestd: listening on %s\n", url);
	loop_tick = evtimer_new(app.base, on_loop_tick, &app);
	if (loop_tick) {
		loop_tick_due_us = clock_us(CLOCK_MONOTONIC);
		loop_tick_cpu_us = clock_us(CLOCK_THREAD_CPUTIME_ID);
		on_loop_tick(-1, 0, &app);
	}
	event_base_dispatch(app.base);
	if (db_lost || guard_failed(NULL, 0)) {
		/* every answer is out (503); the database is not touched again */
		log_msg("exiting with status 1: the database is lost");
		log_flush();
		_exit(1);
	}
	if (loop_tick)
		event_free(loop_tick);

	/* answers the writer still owes are given while the server exists */
	struct commit_stats cs;
	commit_stats(app.commit, &cs);
	commit_free(app.commit);
	log_msg("stopped after %llu requests; %llu scores in %llu group commits", (unsigned long long)app.requests,
		(unsigned long long)cs.jobs, (unsigned long long)cs.batches);
	event_free(sigterm);
	event_free(sigint);
	/* freeing the events put back the default action: a second SIGTERM
	 * during the rest of the shutdown (a supervisor's, or a stop script's)
	 * would kill the process instead of letting it finish and exit 0 */
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	event_free(guard_timer);
	if (drain_timer)
		event_free(drain_timer);
	http_free(&app);
	api_sheets_free(app.sheets);
	bodies_free(app.bodies);
	results_free(app.results);
	pubcache_free(app.pub);
	rate_free(app.visitors);
	verifier_free(app.verifier);
	backup_free();
	auth_free(app.auth);
	store_close(app.store);
	versions_free(app.versions);
	log_shutdown();
	event_base_free(app.base);
	metrics_free(app.metrics);
	free(url);
	free(default_url);
	if (app.cfg.pid_file)
		remove_pid_file(app.cfg.pid_file);
	return 0;
}
