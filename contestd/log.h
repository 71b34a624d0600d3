/* One place for the daemon's log lines (standard error, UTC timestamps, one
 * line each whatever they quote). Lines are gathered in a buffer and written
 * once per pass of the event loop (at once from other threads), so a request
 * line costs no system call of its own. What outsiders can make happen at
 * will is rate-limited: messages (log_msg: errors, warnings, libevent's own)
 * and the lines of refused requests each pass at most LOG_RATE a second
 * (bursts of LOG_BURST), and a line then says how many were dropped; lines
 * of answered requests are never dropped (the server's speed bounds them). */
#ifndef CONTESTD_LOG_H
#define CONTESTD_LOG_H

#include <stdbool.h>

struct event_base;

#define LOG_RATE 50
#define LOG_BURST 200

/* Writes buffered lines at the end of each pass of base's loop, which runs
 * on the calling thread; routes libevent's own messages through log_msg. */
void log_init(struct event_base *base);

/* Writes what is buffered; log_init's event is removed (before base is freed). */
void log_shutdown(void);

/* Writes what is buffered now. */
void log_flush(void);

/* A message (rate-limited). */
void log_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The line of an answered request; refused is true for a 4xx or 5xx
 * answer (rate-limited). */
void log_request(bool refused, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
