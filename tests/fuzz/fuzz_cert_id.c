/* Fuzz target for certificate ids and dates as people type them (outside
 * input: the verification page's form, the `cert` commands). cert_id_parse
 * must call malformed exactly the texts with a character no id has; a valid
 * id must print back (cert_id_format) as the same symbols, and every single
 * substitution and every transposition of two different symbols of it must
 * be caught as mistyped. cert_day_parse must accept exactly the real dates
 * of 1970..9999 (alone or followed by 'T'), and cert_day_format must print
 * them back. Seeds: tests/fuzz/corpus/cert_id/. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cert.h"
#include "oracle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char symbols[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
#define N_SYMBOLS 17 /* 16 for 80 bits and the check symbol */

/* The symbols of an id as typed: case folded, O as 0, I and L as 1, hyphens
 * and spaces dropped. Returns their number (up to max are stored), or -1 for
 * a character no id has. */
static int normalize(const char *text, char *out, int max)
{
	int n = 0;
	for (const char *p = text; *p; p++) {
		char c = *p;
		if (c == '-' || c == ' ')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c == 'O')
			c = '0';
		else if (c == 'I' || c == 'L')
			c = '1';
		if (!strchr(symbols, c) || c == '\0')
			return -1;
		if (n < max)
			out[n] = c;
		n++;
	}
	return n;
}

static void check_id(const char *text)
{
	uint8_t id[CERT_ID_BYTES], id2[CERT_ID_BYTES];
	char sym[N_SYMBOLS], printed[CERT_ID_TEXT_MAX], psym[N_SYMBOLS];
	memset(id, 0xA5, sizeof id);
	int n = normalize(text, sym, N_SYMBOLS);
	enum cert_id_check rc = cert_id_parse(text, id);
	if (n < 0) {
		fuzz_check(rc == CERT_ID_MALFORMED);
		return;
	}
	fuzz_check(rc != CERT_ID_MALFORMED);
	if (n != N_SYMBOLS) {
		fuzz_check(rc == CERT_ID_MISTYPED);
		return;
	}
	if (rc != CERT_ID_VALID)
		return; /* a failed check symbol: what the oracle cannot tell alone */

	cert_id_format(id, printed);
	fuzz_check(strlen(printed) == CERT_ID_TEXT_MAX - 1);
	fuzz_check(normalize(printed, psym, N_SYMBOLS) == N_SYMBOLS);
	fuzz_check(memcmp(psym, sym, N_SYMBOLS) == 0);
	fuzz_check(cert_id_parse(printed, id2) == CERT_ID_VALID && memcmp(id, id2, sizeof id) == 0);

	char typo[N_SYMBOLS + 1];
	typo[N_SYMBOLS] = '\0';
	for (int i = 0; i < N_SYMBOLS; i++) {
		for (const char *s = symbols; *s; s++) {
			if (*s == sym[i])
				continue;
			memcpy(typo, sym, N_SYMBOLS);
			typo[i] = *s;
			fuzz_check(cert_id_parse(typo, id2) == CERT_ID_MISTYPED);
		}
		for (int j = i + 1; j < N_SYMBOLS; j++) {
			if (sym[i] == sym[j])
				continue;
			memcpy(typo, sym, N_SYMBOLS);
			typo[i] = sym[j];
			typo[j] = sym[i];
			fuzz_check(cert_id_parse(typo, id2) == CERT_ID_MISTYPED);
		}
	}
}

static bool oracle_date(const char *t, int *y, int *m, int *d)
{
	if (strlen(t) < 10 || (t[10] != '\0' && t[10] != 'T'))
		return false;
	for (int i = 0; i < 10; i++)
		if ((i == 4 || i == 7) ? t[i] != '-' : (t[i] < '0' || t[i] > '9'))
			return false;
	*y = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
	*m = (t[5] - '0') * 10 + (t[6] - '0');
	*d = (t[8] - '0') * 10 + (t[9] - '0');
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
	return *y >= 1970 && *m >= 1 && *m <= 12 && *d >= 1 &&
	       *d <= days[*m - 1] + (*m == 2 && leap);
}

static void check_day(const char *text)
{
	int y, m, d;
	int32_t day = -12345;
	bool ok = oracle_date(text, &y, &m, &d);
	fuzz_check(cert_day_parse(text, &day) == ok);
	if (!ok) {
		fuzz_check(day == -12345);
		return;
	}
	char out[11];
	cert_day_format(day, out);
	fuzz_check(memcmp(out, text, 10) == 0 && out[10] == '\0');
	fuzz_check(day == cert_day_from_civil(y, (unsigned)m, (unsigned)d));
	fuzz_check(day >= 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	check_id(text);
	check_day(text);
	free(text);
	return 0;
}
