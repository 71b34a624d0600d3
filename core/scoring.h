/* The scoring engine (SPEC section 4): from one event's score sheet, its
 * contestants and every judge's latest values, computes criterion marks,
 * module scores, totals, discrepancies, completeness, ranks and awards.
 * Pure computation: no I/O, no floating point, deterministic for any order
 * of the input arrays. */
#ifndef CONTEST_SCORING_H
#define CONTEST_SCORING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

enum method {
	METHOD_MEASUREMENT,
	METHOD_DEDUCTION,
	METHOD_MEAN,
	METHOD_TRIMMED,
	METHOD_MEDIAN,
	METHOD_JUDGEMENT,
};

enum entry_status {
	ENTRY_REGISTERED,
	ENTRY_COMPETED,
	ENTRY_ABSENT,
	ENTRY_WITHDRAWN,
	ENTRY_DISQUALIFIED,
};

/* Names as used in CSV, JSON and the database ("measurement", "competed"). */
const char *method_name(enum method m);
enum ct_status method_parse(const char *s, enum method *out, struct ct_err *err);
const char *entry_status_name(enum entry_status s);
enum ct_status entry_status_parse(const char *s, enum entry_status *out, struct ct_err *err);

/* Longest code of an event, module, criterion or judge, in bytes. */
#define CODE_MAX 32

/* Whether the len bytes at s are a valid code: 1..CODE_MAX letters, digits,
 * '-', '_' and '.'. */
bool code_valid(const char *s, size_t len);

/* Checks the syntax of a tie-break list such as "module:B;criterion:A2;time"
 * (empty text is an empty list): every key is time, module:CODE or
 * criterion:CODE with a valid code, and no key is empty or given twice.
 * Whether the codes exist on the score sheet is sheet_check's business. */
enum ct_status tiebreak_check(const char *text, struct ct_err *err);

/* Parses award ratios "10/20/30" (per cent, up to 2 places each, sum <= 100)
 * into hundredths of a per cent: {1000, 2000, 3000}. */
enum ct_status ratios_parse(const char *text, int32_t ratio_c[3], struct ct_err *err);

struct sheet_module {
	const char *code;
	int32_t weight;          /* per cent of the total; -1 when the event is unweighted */
};

struct sheet_criterion {
	const char *code;
	uint32_t module;         /* index into sheet.modules */
	enum method method;
	int32_t max_c;           /* max mark M in hundredths, > 0 */
};

struct sheet_contestant {
	const char *key;         /* stable, unique order key (the reg_id) */
	enum entry_status status;
	int64_t elapsed_s;       /* elapsed time for the "time" tie-break; -1 = unknown */
	uint32_t org;            /* organization id, 0 = none (for recusal) */
};

struct sheet_judge {
	uint32_t org;            /* organization id, 0 = none; recused from contestants of the same org */
};

/* One judge's latest value for one contestant on one criterion. */
struct sheet_value {
	uint32_t contestant;     /* index into sheet.contestants */
	uint32_t criterion;      /* index into sheet.criteria */
	uint32_t judge;          /* index into sheet.judges */
	int32_t value_c;         /* hundredths; for judgement 0, 100, 200 or 300 */
};

/* A discrepancy the chief judge accepted. For a measurement or deduction
 * criterion the chief names the value that stands: while the discrepancy
 * is there, that value is the criterion mark. */
struct sheet_accept {
	uint32_t contestant;
	uint32_t criterion;
	bool has_value;          /* value_c is given (measurement, deduction) */
	int32_t value_c;         /* the value that stands, hundredths */
};

struct sheet {
	const struct sheet_module *modules;
	uint32_t n_modules;
	const struct sheet_criterion *criteria;
	uint32_t n_criteria;
	const struct sheet_contestant *contestants;
	uint32_t n_contestants;
	const struct sheet_judge *judges;     /* the event's judges with role "judge" */
	uint32_t n_judges;
	const struct sheet_value *values;     /* any order; at most one per (contestant, criterion, judge) */
	size_t n_values;
	const struct sheet_accept *accepts;
	size_t n_accepts;
	int32_t ratio_c[3];      /* award ratios in hundredths of a per cent (10% = 1000) */
	int64_t min_award_c;     /* minimum total for any award; -1 = none */
	int32_t discrepancy_pct; /* spread limit for mean/trimmed/median, per cent of M */
	const char *tiebreak;    /* e.g. "module:B;time"; NULL or "" = none */
};

struct result_entry {
	uint32_t contestant;     /* index into sheet.contestants */
	uint32_t rank;           /* 1-based competition rank; 0 = not ranked */
	uint8_t award;           /* 1, 2, 3 = first..third prize; 0 = none */
	bool complete;           /* competed and every required value present */
	int64_t total_c;         /* total in hundredths */
};

struct discrepancy {
	uint32_t contestant;
	uint32_t criterion;
	int32_t low_c;           /* lowest value */
	int32_t high_c;          /* highest value */
	bool accepted;           /* the chief judge accepted it */
};

/* A value a competed contestant still needs. judge is UINT32_MAX for a
 * measurement criterion with no value at all (any judge may give it). A
 * deduction criterion never needs a value: none means no deduction. */
struct missing {
	uint32_t contestant;
	uint32_t criterion;
	uint32_t judge;
};

struct result {
	struct result_entry *entries; /* n_contestants rows in display order: ranked by rank,
				       * then key; then unranked by status, then key */
	int64_t *module_c;       /* [contestant * n_modules + module]: module score */
	int64_t *mark_c;         /* [contestant * n_criteria + criterion]: rounded mark; 0 without values */
	int64_t *module_max_c;   /* [module]: max of the module (sum of non-deduction maxima) */
	uint32_t n_ranked;       /* N */
	uint32_t cutoff[3];      /* C1, C2, C3 */
	struct discrepancy *discrepancies; /* of competed contestants only, sorted by (key, criterion) */
	size_t n_discrepancies;
	size_t n_open;           /* discrepancies not accepted */
	struct missing *missing; /* of competed contestants only, sorted by (key, criterion, judge) */
	size_t n_missing;
	uint32_t n_incomplete;   /* competed contestants not complete */
};

/* Most warnings a struct sheet_warnings keeps. */
#define SHEET_WARNINGS_MAX 8

/* What a score sheet still lacks before the draw, in words for organizers. */
struct sheet_warnings {
	size_t n;                            /* warnings found (may exceed the kept ones) */
	char msg[SHEET_WARNINGS_MAX][200];   /* the first SHEET_WARNINGS_MAX of them */
};

/* Checks a score sheet the way the draw needs it. Reads only s->modules,
 * s->criteria and s->tiebreak, so a sheet being registered or changed is
 * checked before it has contestants, judges or values.
 *
 * Errors, which no later registration can cure, fail with CT_INVALID, a
 * message naming the module or criterion, and err->field / err->index
 * saying what is at fault, in the names of the criteria CSV's columns:
 *  - "module_weight" or "module", err->index a module's index: a module
 *    with a weight among modules without, or the other way round; a weight
 *    outside 0..100; weights adding up to more than 100; a module without a
 *    criterion that gives marks (of deductions only, or empty);
 *  - "code", "method" or "max", err->index a criterion's index: its module
 *    index out of range, an unknown method, a max outside 0.01..DEC_MAX_C;
 *  - "tiebreak", err->index -1: the syntax, as tiebreak_check.
 *
 * Warnings are normal while a sheet is being registered but refused by the
 * draw: weights that add up to less than 100, and tie-break keys naming a
 * module or criterion that is not (yet) on the sheet. They are added to
 * *warn (cleared first). With warn NULL (the draw, score_event) the first
 * warning fails as an error instead, with field "module_weight" or
 * "tiebreak" and index -1. */
enum ct_status sheet_check(const struct sheet *s, struct sheet_warnings *warn, struct ct_err *err);

/* The module maxima (SPEC section 4): max_c[m] is the sum of the max marks
 * of module m's non-deduction criteria, for the s->n_modules modules.
 * Criteria naming a module out of range are left out (sheet_check refuses
 * them). Never overflows: at most UINT32_MAX criteria of DEC_MAX_C each. */
void sheet_module_max(const struct sheet *s, int64_t *max_c);

/* Whether values from low_c to high_c on a criterion of method m and max
 * max_c are a discrepancy (SPEC section 4): for measurement and deduction
 * any difference, for judgement a spread over 1, otherwise a spread over
 * pct per cent of the max. */
bool score_discrepant(enum method m, int32_t max_c, int32_t pct, int32_t low_c, int32_t high_c);

/* Computes the results of one event. Values from a judge recused from the
 * contestant (same non-zero org) are ignored. Fails with CT_INVALID and a
 * message when the sheet itself is inconsistent (anything sheet_check
 * reports, warnings included; a contestant, value or accepted discrepancy
 * out of range). On success *out is a new result; caller frees it with
 * result_free.
 *
 * Bounds, all checked: a criterion's max and every value at most DEC_MAX_C
 * (1,000,000.00); judgement values 0..3. Within them every mark, module
 * score and total is exact for any number of judges, criteria and modules:
 * sums are held in 64 bits (at most UINT32_MAX × DEC_MAX_C), a judgement
 * mark falls back to 128 bits for panels over 3 × 10^8 judges, and a
 * weighted total (at most 100.00) uses 128-bit integers while the common
 * denominator of the module maxima stays below about 8.5 × 10^33 and GMP
 * beyond, so any set of weights and maxima scores exactly. */
enum ct_status score_event(const struct sheet *sheet, struct result **out, struct ct_err *err);

/* Frees a result; NULL is a no-op. */
void result_free(struct result *r);

#endif
