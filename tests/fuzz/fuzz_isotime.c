/* Fuzz target for the times people type (outside input: publish
 * --notice-until, appeal add --received, the API's notice_until and
 * received_at). isotime_parse must accept exactly what the oracle below
 * accepts, a re-statement of isotime.h's grammar that counts days by
 * walking the calendar, with the same value; what isotime_format writes must
 * read back as the same second. Seeds: tests/fuzz/corpus/isotime/. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "isotime.h"
#include "oracle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool digits(const char *p, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		*v = *v * 10 + (p[i] - '0');
	}
	return true;
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days from 1970-01-01 to y-m-d, walking years and months. */
static int64_t days_of(int y, int m, int d)
{
	static const int len[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int64_t n = 0;
	for (int year = 1970; year < y; year++)
		n += leap(year) ? 366 : 365;
	for (int month = 1; month < m; month++)
		n += len[month - 1] + (month == 2 && leap(y));
	return n + d - 1;
}

static bool oracle_time(const char *t, int32_t local, int64_t *out)
{
	static const int len[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	size_t n = strlen(t);
	int y, mo, d, h = 0, mi = 0, s = 0;
	if (n < 10 || n > 40 || !digits(t, 4, &y) || t[4] != '-' || !digits(t + 5, 2, &mo) || t[7] != '-' ||
	    !digits(t + 8, 2, &d))
		return false;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > len[mo - 1] + (mo == 2 && leap(y)))
		return false;
	const char *p = t + 10;
	if (*p == '\0')
		return *out = days_of(y, mo, d) * 86400 - local, *out >= 0 && *out < days_of(10000, 1, 1) * 86400;
	if (*p == 'T' || *p == ' ') {
		if (!digits(p + 1, 2, &h) || p[3] != ':' || !digits(p + 4, 2, &mi) || h > 23 || mi > 59)
			return false;
		p += 6;
		if (*p == ':') {
			if (!digits(p + 1, 2, &s) || s > 59)
				return false;
			p += 3;
		}
	}
	if (p == t + 10)
		return false; /* a zone goes with a time only */
	int64_t offset = local;
	if (strcmp(p, "Z") == 0) {
		offset = 0;
	} else if (*p == '+' || *p == '-') {
		int oh, om;
		size_t rest = strlen(p);
		bool colon = rest == 6 && p[3] == ':';
		if (!(rest == 5 || colon) || !digits(p + 1, 2, &oh) || !digits(p + (colon ? 4 : 3), 2, &om) || oh > 14 ||
		    om > 59 || (oh == 14 && om > 0))
			return false;
		offset = (*p == '-' ? -1 : 1) * (oh * 3600 + om * 60);
	} else if (*p != '\0') {
		return false;
	}
	*out = days_of(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - offset;
	return *out >= 0 && *out < days_of(10000, 1, 1) * 86400;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	/* the first byte (when there is one) picks the local offset */
	int32_t local = size ? ((int32_t)data[0] - 128) * 900 : 28800;
	int64_t got = -7, want = -7;
	bool ok = oracle_time(text, local, &want);
	fuzz_check(isotime_parse(text, local, &got) == ok);
	if (ok) {
		fuzz_check(got == want);
		char back[ISOTIME_TEXT];
		isotime_format(got, back);
		int64_t again = -1;
		fuzz_check(isotime_parse(back, 0, &again) && again == got);
	}
	free(text);
	return 0;
}
