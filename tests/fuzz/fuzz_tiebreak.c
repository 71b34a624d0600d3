/* Fuzz target for tie-break lists (outside input: the "tiebreak" of an event,
 * from JSON or an events CSV). tiebreak_check must accept exactly the lists
 * the oracle accepts: empty, or ';'-separated keys "time", "module:CODE" and
 * "criterion:CODE" with a non-empty CODE. The same text is then the
 * tie-break of a small score sheet: score_event must accept it exactly when
 * the syntax is right and every code names a module or criterion of the
 * sheet, and rank first the contestant the first deciding key favours.
 * Seeds: tests/fuzz/corpus/tiebreak/. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "oracle.h"
#include "scoring.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The sheet's codes and which of its two contestants each one favours (the
 * values in score_with): 0 or 1, or -1 for equal marks. */
struct code {
	const char *code;
	int favours;
};
static const struct code module_codes[] = { { "A", 0 }, { "B", 1 } };
static const struct code criterion_codes[] = { { "A1", 0 }, { "B1", 1 }, { "B2", -1 } };

/* The entry of code[0..len) in codes[0..n), or NULL. */
static const struct code *find(const struct code *codes, size_t n, const char *code, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(codes[i].code) == len && memcmp(codes[i].code, code, len) == 0)
			return &codes[i];
	return NULL;
}

/* Whether code[0..len) is a code as the API takes it: 1 to 32 of A-Z a-z
 * 0-9 '-' '_' '.'. */
static bool code_ok(const char *code, size_t len)
{
	if (len == 0 || len > 32)
		return false;
	for (size_t i = 0; i < len; i++) {
		char ch = code[i];
		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
		      ch == '_' || ch == '.'))
			return false;
	}
	return true;
}

/* Whether the key p[0..len) stands earlier in text (whole keys only). */
static bool seen_before(const char *text, const char *p, size_t len)
{
	for (const char *q = text; q < p;) {
		const char *semi = strchr(q, ';');
		size_t n = semi ? (size_t)(semi - q) : strlen(q);
		if (n == len && memcmp(q, p, len) == 0)
			return true;
		if (!semi)
			break;
		q = semi + 1;
	}
	return false;
}

/* Whether text is a tie-break list: keys time, module:CODE, criterion:CODE
 * separated by ';', each at most once. *codes_known tells whether every code
 * in it is one of the sheet's, and then *winner which contestant the first
 * deciding key ranks first (-1: no key decides). */
static bool oracle_tiebreak(const char *text, bool *codes_known, int *winner)
{
	*codes_known = true;
	*winner = -1;
	if (!*text)
		return true;
	const char *p = text;
	for (;;) {
		const char *semi = strchr(p, ';');
		size_t len = semi ? (size_t)(semi - p) : strlen(p);
		const struct code *c = NULL;
		int favours = -1;
		if (len == 4 && strncmp(p, "time", 4) == 0) {
			favours = 1; /* the faster one */
		} else if (len > 7 && strncmp(p, "module:", 7) == 0 && code_ok(p + 7, len - 7)) {
			c = find(module_codes, 2, p + 7, len - 7);
			*codes_known = *codes_known && c;
		} else if (len > 10 && strncmp(p, "criterion:", 10) == 0 && code_ok(p + 10, len - 10)) {
			c = find(criterion_codes, 3, p + 10, len - 10);
			*codes_known = *codes_known && c;
		} else {
			return false; /* also an empty key, as in "time;;time" or "time;" */
		}
		if (seen_before(text, p, len))
			return false;
		if (c)
			favours = c->favours;
		if (*winner < 0)
			*winner = favours;
		if (!semi)
			return true;
		p = semi + 1;
	}
}

/* Scores a two-contestant sheet that ties on the total, with text as the
 * tie-break list; on success checks that winner (as from oracle_tiebreak)
 * is ranked first, or that both share rank 1. */
static enum ct_status score_with(const char *text, int winner)
{
	static const struct sheet_module modules[] = { { "A", -1 }, { "B", -1 } };
	static const struct sheet_criterion criteria[] = {
		{ "A1", 0, METHOD_MEASUREMENT, 1000 },
		{ "B1", 1, METHOD_MEASUREMENT, 1000 },
		{ "B2", 1, METHOD_MEAN, 1000 },
	};
	static const struct sheet_contestant contestants[] = {
		{ "2026101", ENTRY_COMPETED, 600, 0 },
		{ "2026102", ENTRY_COMPETED, 500, 0 },
	};
	static const struct sheet_judge judges[] = { { 0 } };
	static const struct sheet_value values[] = {
		{ 0, 0, 0, 700 }, { 0, 1, 0, 300 }, { 0, 2, 0, 500 },
		{ 1, 0, 0, 500 }, { 1, 1, 0, 500 }, { 1, 2, 0, 500 },
	};
	struct sheet s = {
		.modules = modules, .n_modules = 2,
		.criteria = criteria, .n_criteria = 3,
		.contestants = contestants, .n_contestants = 2,
		.judges = judges, .n_judges = 1,
		.values = values, .n_values = sizeof values / sizeof values[0],
		.ratio_c = { 1000, 2000, 3000 },
		.min_award_c = -1,
		.discrepancy_pct = 20,
		.tiebreak = text,
	};
	struct result *r = NULL;
	struct ct_err err;
	ct_err_clear(&err);
	enum ct_status rc = score_event(&s, &r, &err);
	if (rc == CT_OK) {
		fuzz_check(r->n_ranked == 2);
		fuzz_check(r->entries[0].total_c == 1500 && r->entries[1].total_c == 1500);
		fuzz_check(r->entries[0].rank == 1);
		if (winner < 0) {
			fuzz_check(r->entries[1].rank == 1);
		} else {
			fuzz_check(r->entries[0].contestant == (uint32_t)winner);
			fuzz_check(r->entries[1].rank == 2);
		}
	} else {
		fuzz_check(err.msg[0] != '\0');
	}
	result_free(r);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	bool codes_known;
	int winner;
	bool ok = oracle_tiebreak(text, &codes_known, &winner);
	struct ct_err err;
	ct_err_clear(&err);
	enum ct_status rc = tiebreak_check(text, &err);
	fuzz_check(rc == (ok ? CT_OK : CT_INVALID));
	fuzz_check(ok || err.msg[0] != '\0');
	rc = score_with(text, winner);
	fuzz_check(rc == (ok && codes_known ? CT_OK : CT_INVALID));
	free(text);
	return 0;
}
