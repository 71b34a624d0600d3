/* Parsing and formatting of ISO 8601 times; the calendar is core/cert.c's
 * (cert_day_parse, cert_day_format). */
#include "isotime.h"

#include <stdio.h>
#include <string.h>

#include "cert.h"

/* Two digits at p as a number, or -1. */
static int two(const char *p)
{
	if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
		return -1;
	return (p[0] - '0') * 10 + (p[1] - '0');
}

/* An offset "+HH:MM" or "+HHMM" (or '-') that ends the text, in seconds. */
static bool offset_of(const char *p, int32_t *out)
{
	if (*p != '+' && *p != '-')
		return false;
	int h = two(p + 1), m;
	const char *q = p + 3;
	if (*q == ':')
		q++;
	m = two(q);
	if (h < 0 || m < 0 || q[2] != '\0' || h > 14 || m > 59 || (h == 14 && m > 0))
		return false;
	*out = (*p == '-' ? -1 : 1) * (h * 3600 + m * 60);
	return true;
}

bool isotime_parse(const char *text, int32_t local_offset_s, int64_t *unix_s)
{
	char t[ISOTIME_INPUT_MAX + 8] = {0}; /* zeros past the text: the fields are read before they are checked */
	size_t n = text ? strlen(text) : 0;
	if (n < 10 || n > ISOTIME_INPUT_MAX)
		return false;
	memcpy(t, text, n + 1);
	if (t[10] == ' ')
		t[10] = 'T';
	int32_t day;
	if (!cert_day_parse(t, &day))
		return false;
	int hh = 0, mm = 0, ss = 0;
	const char *p = t + 10;
	if (*p == 'T') {
		hh = two(p + 1);
		mm = p[3] == ':' ? two(p + 4) : -1;
		p += 6;
		if (*p == ':') {
			ss = two(p + 1);
			p += 3;
		}
		if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59)
			return false;
	}
	int32_t offset = local_offset_s;
	if (*p == 'Z' && p[1] == '\0')
		offset = 0;
	else if (*p != '\0' && !offset_of(p, &offset))
		return false;
	int64_t at = (int64_t)day * 86400 + hh * 3600 + mm * 60 + ss - offset;
	if (at < 0 || at > ISOTIME_MAX)
		return false;
	*unix_s = at;
	return true;
}

void isotime_format(int64_t unix_s, char out[ISOTIME_TEXT])
{
	int64_t day = unix_s / 86400;
	unsigned rest = (unsigned)(unix_s % 86400);
	char date[11];
	cert_day_format((int32_t)day, date);
	snprintf(out, ISOTIME_TEXT, "%.10sT%02u:%02u:%02uZ", date, rest / 3600 % 24, rest / 60 % 60, rest % 60);
}
