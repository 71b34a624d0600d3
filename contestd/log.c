/* Buffered, rate-limited log lines on standard error. */
#include "log.h"

#include <errno.h>
#include <event2/event.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define LOG_BUFFER (64u * 1024)

/* A token bucket: LOG_RATE a second, at most LOG_BURST at once. */
struct bucket {
	double tokens;
	double last;              /* seconds, monotonic */
	unsigned long dropped;    /* since the last line that said so */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char buf[LOG_BUFFER];
static size_t used;
static struct event *flush_ev;    /* active when lines wait (loop thread) */
static pthread_t loop_thread;
static bool have_loop;
static struct bucket messages = {LOG_BURST, 0, 0}, refusals = {LOG_BURST, 0, 0};

static double monotonic_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Writes the buffer out (lock held). */
static void write_out(void)
{
	size_t off = 0;
	while (off < used) {
		ssize_t n = write(STDERR_FILENO, buf + off, used - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break; /* nowhere to log to: drop it rather than stall */
		off += (size_t)n;
	}
	used = 0;
}

void log_flush(void)
{
	pthread_mutex_lock(&lock);
	write_out();
	pthread_mutex_unlock(&lock);
}

static void on_flush(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	log_flush();
}

static void emit(struct bucket *b, const char *what, bool now, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

static void from_libevent(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void from_libevent(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit(&messages, "log messages", true, fmt, ap);
	va_end(ap);
}

/* libevent's own warnings (accept failures, ...) are messages like ours,
 * written at once: libevent may be in the middle of changing its event
 * lists when it logs. */
static void on_libevent(int severity, const char *msg)
{
	if (severity >= EVENT_LOG_WARN)
		from_libevent("libevent: %s", msg);
}

void log_init(struct event_base *base)
{
	pthread_mutex_lock(&lock);
	flush_ev = event_new(base, -1, 0, on_flush, NULL);
	loop_thread = pthread_self();
	have_loop = flush_ev != NULL;
	pthread_mutex_unlock(&lock);
	event_set_log_callback(on_libevent);
}

void log_shutdown(void)
{
	pthread_mutex_lock(&lock);
	write_out();
	if (flush_ev)
		event_free(flush_ev);
	flush_ev = NULL;
	have_loop = false;
	pthread_mutex_unlock(&lock);
	event_set_log_callback(NULL);
}

/* Appends one line (lock held): the stamp, then text with control bytes
 * and backslashes escaped as \xHH (a line break that forges a log line, an
 * escape sequence for the terminal that shows the log). */
static void append(const char *text)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	/* the date and time formatted once a second (lock held) */
	static time_t last = (time_t)-1;
	static char stamp[32];
	static size_t stamp_len;
	if (tv.tv_sec != last) {
		struct tm tm;
		gmtime_r(&tv.tv_sec, &tm);
		stamp_len = strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
		last = tv.tv_sec;
	}
	char line[2048 * 4 + 64];
	memcpy(line, stamp, stamp_len);
	size_t o = stamp_len;
	long ms = (long)(tv.tv_usec / 1000);
	line[o++] = '.';
	line[o++] = (char)('0' + ms / 100);
	line[o++] = (char)('0' + ms / 10 % 10);
	line[o++] = (char)('0' + ms % 10);
	memcpy(line + o, "Z contestd: ", 12);
	o += 12;
	for (const unsigned char *p = (const unsigned char *)text; *p && o + 8 < sizeof line; p++) {
		if (*p < 0x20 || *p == 0x7F || *p == '\\')
			o += (size_t)snprintf(line + o, sizeof line - o, "\\x%02X", *p);
		else
			line[o++] = (char)*p;
	}
	line[o++] = '\n';
	if (used + o > sizeof buf)
		write_out();
	memcpy(buf + used, line, o);
	used += o;
}

/* Whether a line may pass bucket b now; says how many were dropped before
 * the first that passes again (lock held). */
static bool admit(struct bucket *b, const char *what)
{
	double now = monotonic_s();
	if (b->last == 0)
		b->last = now;
	b->tokens += (now - b->last) * LOG_RATE;
	if (b->tokens > LOG_BURST)
		b->tokens = LOG_BURST;
	b->last = now;
	if (b->tokens < 1) {
		b->dropped++;
		return false;
	}
	b->tokens -= 1;
	if (b->dropped) {
		char note[160];
		snprintf(note, sizeof note, "%lu %s dropped (more than %d a second)", b->dropped, what, LOG_RATE);
		append(note);
		b->dropped = 0;
	}
	return true;
}

/* Buffers the formatted line if b lets it pass (b NULL: always); now:
 * writes it out at once. */
static void emit(struct bucket *b, const char *what, bool now, const char *fmt, va_list ap)
{
	char text[2048];
	vsnprintf(text, sizeof text, fmt, ap);
	pthread_mutex_lock(&lock);
	if (!b || admit(b, what)) {
		append(text);
		if (now || !have_loop || !pthread_equal(pthread_self(), loop_thread))
			write_out(); /* no loop pass to wait for */
		else if (!event_pending(flush_ev, EV_TIMEOUT, NULL))
			event_active(flush_ev, EV_TIMEOUT, 0);
	}
	pthread_mutex_unlock(&lock);
}

void log_msg(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit(&messages, "log messages", false, fmt, ap);
	va_end(ap);
}

void log_request(bool refused, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit(refused ? &refusals : NULL, "lines of refused requests", false, fmt, ap);
	va_end(ap);
}
