/* One place for the daemon's log lines (standard error, UTC timestamps). */
#ifndef CONTESTD_LOG_H
#define CONTESTD_LOG_H

void log_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
