/* Points in time as the API stores and shows them, ISO 8601 in UTC
 * ("2026-05-20T09:00:00Z"), read from the forms people type: a date, a
 * date and a time, with or without seconds, with "T" or a space between,
 * in UTC ("Z"), at an offset ("+08:00", "+0800") or, without either, in
 * the local time of the caller's choosing. Pure functions. */
#ifndef CONTEST_ISOTIME_H
#define CONTEST_ISOTIME_H

#include <stdbool.h>
#include <stdint.h>

#define ISOTIME_TEXT 21 /* "2026-05-20T09:00:00Z" and the NUL */
#define ISOTIME_INPUT_MAX 40 /* longest text isotime_parse reads */
#define ISOTIME_MAX 253402300799LL /* 9999-12-31T23:59:59Z */

/* Parses text, one of YYYY-MM-DD, YYYY-MM-DD[T ]HH:MM and YYYY-MM-DD[T
 * ]HH:MM:SS, the last two optionally followed by Z or an offset +HH:MM,
 * +HHMM, -HH:MM or -HHMM (at most 14 hours), years 1970 to 9999, into seconds
 * since 1970-01-01T00:00:00Z. A text without Z or an offset is local time
 * at local_offset_s seconds east of UTC (28800 in China). A date alone is
 * its midnight. False for anything else (2026-02-30, 24:00, 12:60, ...) and
 * for a time before 1970 or after 9999 in UTC. *unix_s is written only on
 * success. */
bool isotime_parse(const char *text, int32_t local_offset_s, int64_t *unix_s);

/* Writes unix_s (0 to ISOTIME_MAX) as "YYYY-MM-DDTHH:MM:SSZ" into out. */
void isotime_format(int64_t unix_s, char out[ISOTIME_TEXT]);

#endif
