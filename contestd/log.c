/* Timestamped log lines on standard error, one line each whatever they quote. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

void log_msg(const char *fmt, ...)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	struct tm tm;
	gmtime_r(&tv.tv_sec, &tm);
	char stamp[32];
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
	char line[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	/* Request paths and names come from outside: a control byte (a line
	 * break that forges a log line, an escape sequence for the terminal
	 * that shows the log) is written as \xHH, and so is a backslash. */
	char safe[sizeof line * 4];
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)line; *p; p++) {
		if (*p < 0x20 || *p == 0x7F || *p == '\\') {
			o += (size_t)snprintf(safe + o, sizeof safe - o, "\\x%02X", *p);
		} else {
			safe[o++] = (char)*p;
		}
	}
	safe[o] = '\0';
	fprintf(stderr, "%s.%03ldZ contestd: %s\n", stamp, (long)(tv.tv_usec / 1000), safe);
}
