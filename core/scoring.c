/* The scoring engine of SPEC section 4: validates one event's score sheet,
 * buckets the judges' values by (contestant, criterion), and derives marks,
 * module scores, totals, discrepancies, completeness, ranks and awards with
 * exact integer arithmetic. */
#include "scoring.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <gmp.h>

#include "decimal.h"
#include "xmalloc.h"

/* Longest tie-break code quoted in an error message. */
#define CODE_QUOTE_MAX 64

/* ---- names ---------------------------------------------------------------- */

static const char *const method_names[] = {
	[METHOD_MEASUREMENT] = "measurement",
	[METHOD_DEDUCTION] = "deduction",
	[METHOD_MEAN] = "mean",
	[METHOD_TRIMMED] = "trimmed",
	[METHOD_MEDIAN] = "median",
	[METHOD_JUDGEMENT] = "judgement",
};

static const char *const entry_status_names[] = {
	[ENTRY_REGISTERED] = "registered",
	[ENTRY_COMPETED] = "competed",
	[ENTRY_ABSENT] = "absent",
	[ENTRY_WITHDRAWN] = "withdrawn",
	[ENTRY_DISQUALIFIED] = "disqualified",
};

#define N_METHODS (sizeof method_names / sizeof method_names[0])
#define N_ENTRY_STATUSES (sizeof entry_status_names / sizeof entry_status_names[0])

const char *method_name(enum method m)
{
	if ((unsigned)m >= N_METHODS)
		return "unknown";
	return method_names[m];
}

enum ct_status method_parse(const char *s, enum method *out, struct ct_err *err)
{
	for (size_t i = 0; s && i < N_METHODS; i++) {
		if (strcmp(s, method_names[i]) == 0) {
			*out = (enum method)i;
			return CT_OK;
		}
	}
	return ct_fail(err, CT_INVALID,
		       "unknown method \"%.64s\" (expected measurement, deduction, mean, trimmed, "
		       "median or judgement)", s ? s : "");
}

const char *entry_status_name(enum entry_status s)
{
	if ((unsigned)s >= N_ENTRY_STATUSES)
		return "unknown";
	return entry_status_names[s];
}

enum ct_status entry_status_parse(const char *s, enum entry_status *out, struct ct_err *err)
{
	for (size_t i = 0; s && i < N_ENTRY_STATUSES; i++) {
		if (strcmp(s, entry_status_names[i]) == 0) {
			*out = (enum entry_status)i;
			return CT_OK;
		}
	}
	return ct_fail(err, CT_INVALID,
		       "unknown status \"%.64s\" (expected registered, competed, absent, withdrawn "
		       "or disqualified)", s ? s : "");
}

/* ---- tie-break lists ------------------------------------------------------ */

enum tb_kind {
	TB_MODULE,
	TB_CRITERION,
	TB_TIME,
};

struct tb_key {
	enum tb_kind kind;
	uint32_t index;          /* module or criterion index; unused for time */
};

/* The length to quote of a len-byte code in a message. */
static int quote_len(size_t len)
{
	return (int)(len < CODE_QUOTE_MAX ? len : CODE_QUOTE_MAX);
}

/* Finds the module or criterion whose code is the len bytes at code. */
static bool find_code(const struct sheet *sheet, enum tb_kind kind, const char *code, size_t len,
		      uint32_t *index)
{
	uint32_t n = kind == TB_MODULE ? sheet->n_modules : sheet->n_criteria;
	for (uint32_t i = 0; i < n; i++) {
		const char *c = kind == TB_MODULE ? sheet->modules[i].code : sheet->criteria[i].code;
		if (c && strlen(c) == len && memcmp(c, code, len) == 0) {
			*index = i;
			return true;
		}
	}
	return false;
}

bool code_valid(const char *s, size_t len)
{
	if (len == 0 || len > CODE_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.'))
			return false;
	}
	return true;
}

/* Records a warning in warn or, with warn NULL, fails with it. */
static enum ct_status sheet_warn(struct sheet_warnings *warn, struct ct_err *err, const char *field,
				 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static enum ct_status sheet_warn(struct sheet_warnings *warn, struct ct_err *err, const char *field,
				 const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (!warn) {
		char msg[sizeof err->msg];
		vsnprintf(msg, sizeof msg, fmt, ap);
		va_end(ap);
		return ct_fail_at(err, CT_INVALID, -1, field, "%s", msg);
	}
	if (warn->n < SHEET_WARNINGS_MAX)
		vsnprintf(warn->msg[warn->n], sizeof warn->msg[0], fmt, ap);
	va_end(ap);
	warn->n++;
	return CT_OK;
}

/* Whether the key of len bytes at key appears earlier in the list text. */
static bool key_seen(const char *text, const char *key, size_t len)
{
	for (const char *p = text; p < key;) {
		const char *end = strchr(p, ';');
		size_t n = (size_t)(end - p); /* key follows, so there is a ';' before it */
		if (n == len && memcmp(p, key, len) == 0)
			return true;
		p = end + 1;
	}
	return false;
}

/* Parses a tie-break list. With sheet NULL only the syntax is checked;
 * otherwise codes are resolved, a code not on the sheet going to
 * sheet_warn(warn), and, when keys is not NULL, *keys becomes a new array of
 * the *n_keys resolved keys (caller frees). */
static enum ct_status tiebreak_parse(const char *text, const struct sheet *sheet,
				     struct sheet_warnings *warn, struct tb_key **keys, size_t *n_keys,
				     struct ct_err *err)
{
	enum ct_status rc = CT_OK;
	struct tb_key *out = NULL;
	size_t n = 0, cap = 0;
	const char *p = text ? text : "";

	while (*p) {
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		struct tb_key key = { .kind = TB_TIME, .index = 0 };
		const char *code = NULL;
		size_t code_len = 0;

		if (len == 0) {
			rc = ct_fail_at(err, CT_INVALID, -1, "tiebreak",
					"tie-break list \"%.200s\" has an empty key", text);
			goto out;
		}
		if (len == 4 && memcmp(p, "time", 4) == 0) {
			key.kind = TB_TIME;
		} else if (len > 7 && memcmp(p, "module:", 7) == 0) {
			key.kind = TB_MODULE;
			code = p + 7;
			code_len = len - 7;
		} else if (len > 10 && memcmp(p, "criterion:", 10) == 0) {
			key.kind = TB_CRITERION;
			code = p + 10;
			code_len = len - 10;
		} else {
			rc = ct_fail_at(err, CT_INVALID, -1, "tiebreak",
					"unknown tie-break key \"%.*s\" (expected module:CODE, "
					"criterion:CODE or time)", quote_len(len), p);
			goto out;
		}
		if (code && !code_valid(code, code_len)) {
			rc = ct_fail_at(err, CT_INVALID, -1, "tiebreak",
					"tie-break key \"%.*s\": a %s code is 1 to %d letters, digits, '-', "
					"'_' or '.'", quote_len(len), p,
					key.kind == TB_MODULE ? "module" : "criterion", CODE_MAX);
			goto out;
		}
		if (key_seen(text, p, len)) {
			rc = ct_fail_at(err, CT_INVALID, -1, "tiebreak",
					"tie-break key \"%.*s\" is given twice", quote_len(len), p);
			goto out;
		}
		bool found = true;
		if (code && sheet && !find_code(sheet, key.kind, code, code_len, &key.index)) {
			found = false;
			rc = sheet_warn(warn, err, "tiebreak", "tie-break key %.*s names an unknown %s \"%.*s\"",
					quote_len(len), p, key.kind == TB_MODULE ? "module" : "criterion",
					quote_len(code_len), code);
			if (rc != CT_OK)
				goto out;
		}
		if (keys && found) {
			out = xgrow(out, n, &cap, 4, sizeof *out);
			out[n++] = key;
		}
		if (!end)
			break;
		p = end + 1;
		if (!*p) {
			rc = ct_fail_at(err, CT_INVALID, -1, "tiebreak",
					"tie-break list \"%.200s\" ends with ';'", text);
			goto out;
		}
	}
	if (keys) {
		*keys = out;
		*n_keys = n;
		out = NULL;
	}
out:
	free(out);
	return rc;
}

enum ct_status tiebreak_check(const char *text, struct ct_err *err)
{
	return tiebreak_parse(text, NULL, NULL, NULL, NULL, err);
}

/* ---- score sheets --------------------------------------------------------- */

void sheet_module_max(const struct sheet *s, int64_t *max_c)
{
	memset(max_c, 0, s->n_modules * sizeof *max_c);
	for (uint32_t k = 0; k < s->n_criteria; k++) {
		const struct sheet_criterion *c = &s->criteria[k];
		if (c->method != METHOD_DEDUCTION && c->module < s->n_modules)
			max_c[c->module] += c->max_c;
	}
}

static const char *code_or_empty(const char *code)
{
	return code ? code : "";
}

/* The weights: all given or all empty, each 0..100, adding up to 100. */
static enum ct_status check_weights(const struct sheet *s, struct sheet_warnings *warn,
				    struct ct_err *err)
{
	bool weighted = s->n_modules > 0 && s->modules[0].weight != -1;
	int64_t weight_sum = 0;

	for (uint32_t m = 0; m < s->n_modules; m++) {
		int32_t w = s->modules[m].weight;
		const char *code = code_or_empty(s->modules[m].code);
		if (!weighted && w != -1)
			return ct_fail_at(err, CT_INVALID, m, "module_weight",
					  "module %.64s has a weight but module %.64s has none: give every "
					  "module a weight or none", code, code_or_empty(s->modules[0].code));
		if (weighted && w == -1)
			return ct_fail_at(err, CT_INVALID, m, "module_weight",
					  "module %.64s has no weight but others have one: give every module "
					  "a weight or none", code);
		if (weighted && (w < 0 || w > 100))
			return ct_fail_at(err, CT_INVALID, m, "module_weight",
					  "module %.64s has weight %d, not 0..100", code, w);
		weight_sum += weighted ? w : 0;
		if (weight_sum > 100)
			return ct_fail_at(err, CT_INVALID, m, "module_weight",
					  "module weights add up to %lld with module %.64s, more than 100",
					  (long long)weight_sum, code);
	}
	if (weighted && weight_sum != 100)
		return sheet_warn(warn, err, "module_weight", "module weights add up to %lld, not 100",
				  (long long)weight_sum);
	return CT_OK;
}

enum ct_status sheet_check(const struct sheet *s, struct sheet_warnings *warn, struct ct_err *err)
{
	enum ct_status rc = CT_OK;
	int64_t *max_c = NULL;

	if (warn)
		warn->n = 0;
	for (uint32_t k = 0; k < s->n_criteria; k++) {
		const struct sheet_criterion *c = &s->criteria[k];
		const char *code = code_or_empty(c->code);
		if (c->module >= s->n_modules)
			return ct_fail_at(err, CT_INVALID, k, "code", "criterion %.64s names module #%u of %u",
					  code, c->module, s->n_modules);
		if ((unsigned)c->method >= N_METHODS)
			return ct_fail_at(err, CT_INVALID, k, "method", "criterion %.64s has an unknown method",
					  code);
		if (c->max_c <= 0 || c->max_c > DEC_MAX_C)
			return ct_fail_at(err, CT_INVALID, k, "max",
					  "criterion %.64s has max %d hundredths, not 0.01..%lld", code,
					  c->max_c, (long long)(DEC_MAX_C / 100));
	}
	max_c = xcalloc(s->n_modules ? s->n_modules : 1, sizeof *max_c);
	sheet_module_max(s, max_c);
	for (uint32_t m = 0; m < s->n_modules; m++) {
		if (max_c[m] > 0)
			continue;
		/* Nothing to score it against: its deductions would vanish from
		 * the total (unweighted) or it would divide by 0 (weighted). */
		rc = ct_fail_at(err, CT_INVALID, m, "module",
				"module %.64s has no criterion that gives marks (only deductions or none): "
				"every module needs one", code_or_empty(s->modules[m].code));
		goto out;
	}
	rc = check_weights(s, warn, err);
	if (rc == CT_OK)
		rc = tiebreak_parse(s->tiebreak, s, warn, NULL, NULL, err);
out:
	free(max_c);
	return rc;
}

/* ---- award ratios --------------------------------------------------------- */

enum ct_status ratios_parse(const char *text, int32_t ratio_c[3], struct ct_err *err)
{
	static const char *const tier[3] = { "first", "second", "third" };
	int32_t r[3];
	int64_t sum = 0;

	if (!text)
		text = "";
	const char *p = text;

	for (int t = 0; t < 3; t++) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char part[DEC_TEXT_MAX];
		int64_t v;

		if ((t < 2 && !end) || (t == 2 && end))
			return ct_fail(err, CT_INVALID,
				       "award ratios \"%.64s\" are not three per cents like 10/20/30",
				       text);
		if (len >= sizeof part)
			return ct_fail(err, CT_INVALID, "award ratios \"%.64s\": %s ratio is too long",
				       text, tier[t]);
		memcpy(part, p, len);
		part[len] = '\0';
		if (dec_parse(part, &v, NULL) != CT_OK)
			return ct_fail(err, CT_INVALID,
				       "award ratios \"%.64s\": %s ratio \"%s\" is not a per cent like 10 "
				       "or 12.5", text, tier[t], part);
		if (v > 10000)
			return ct_fail(err, CT_INVALID, "award ratios \"%.64s\": %s ratio is over 100%%",
				       text, tier[t]);
		r[t] = (int32_t)v;
		sum += v;
		p = end ? end + 1 : p + len;
	}
	if (sum > 10000)
		return ct_fail(err, CT_INVALID, "award ratios \"%.64s\" add up to more than 100%%", text);
	memcpy(ratio_c, r, sizeof r);
	return CT_OK;
}

/* ---- the engine ----------------------------------------------------------- */

/* One judge's value, once bucketed by (contestant, criterion). */
struct slot {
	int32_t value_c;
	uint32_t judge;
	uint32_t bucket;         /* used while sorting */
};

/* The non-recused values of one (contestant, criterion). */
struct cell {
	uint32_t n;
	int64_t sum_c;
	int32_t low_c;
	int32_t high_c;
	const int32_t *sorted;   /* the n values ascending; set for median only */
};

/* A ranked contestant's comparison tuple, all "higher is better": total,
 * the tie-break keys, then the negated key position (display order). */
struct rank_rec {
	int64_t total_c;         /* k[0], kept here to compare without a lookup */
	const int64_t *k;
	uint32_t contestant;
	uint32_t nk;
};

/* An accepted discrepancy, by bucket. */
struct accepted {
	size_t bucket;
	const struct sheet_accept *a;
};

struct engine {
	const struct sheet *s;
	struct result *r;
	struct tb_key *tb;
	size_t n_tb;
	uint32_t *by_key;        /* contestant indices in key order */
	uint32_t *key_pos;       /* [contestant]: position in by_key */
	/* Buckets are numbered key_pos × n_criteria + criterion, so one sweep
	 * over them visits contestants in key order (the order of the
	 * discrepancy and missing lists) while reading memory in sequence. */
	uint32_t *bucket_end;    /* n_buckets + 2; bucket b is [bucket_end[b], bucket_end[b+1]) */
	struct slot *slots;      /* values by bucket; NULL when sheet.values already are */
	uint32_t max_bucket;     /* most values in one bucket */
	int32_t *scratch;        /* max_bucket values for the median */
	size_t *stamp;           /* [judge]: 1 + last bucket the judge gave a value in */
	uint32_t *judge_orgs;    /* non-zero judge organizations, sorted */
	uint32_t n_judge_orgs;
	struct accepted *accepted; /* accepted discrepancies, sorted by bucket */
	size_t n_accepted;
	int64_t *module_max_c;
	size_t cap_disc;
	size_t cap_missing;
};

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return (x > y) - (x < y);
}

static int cmp_accepted(const void *a, const void *b)
{
	return cmp_size(&((const struct accepted *)a)->bucket, &((const struct accepted *)b)->bucket);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* Checks everything about the sheet that does not involve its values. */
static enum ct_status check_sheet(const struct sheet *s, struct ct_err *err)
{
	enum ct_status rc = sheet_check(s, NULL, err);
	if (rc != CT_OK) {
		/* sheet_check's location is an index into the sheet, which
		 * means nothing to score_event's callers. */
		if (err) {
			err->index = -1;
			err->field[0] = '\0';
		}
		return rc;
	}

	for (uint32_t i = 0; i < s->n_contestants; i++) {
		const struct sheet_contestant *c = &s->contestants[i];
		if (!c->key)
			return ct_fail(err, CT_INVALID, "contestant #%u has no key", i);
		if ((unsigned)c->status >= N_ENTRY_STATUSES)
			return ct_fail(err, CT_INVALID, "contestant %.64s has an unknown status", c->key);
		if (c->elapsed_s < -1)
			return ct_fail(err, CT_INVALID, "contestant %.64s has elapsed time %lld s",
				       c->key, (long long)c->elapsed_s);
	}

	int64_t ratio_sum = 0;
	for (int t = 0; t < 3; t++) {
		if (s->ratio_c[t] < 0)
			return ct_fail(err, CT_INVALID, "award ratio %d is negative", t + 1);
		ratio_sum += s->ratio_c[t];
	}
	if (ratio_sum > 10000)
		return ct_fail(err, CT_INVALID, "award ratios add up to more than 100%%");
	if (s->min_award_c < -1)
		return ct_fail(err, CT_INVALID, "minimum award score %lld is negative",
			       (long long)s->min_award_c);
	if (s->discrepancy_pct < 0 || s->discrepancy_pct > 100)
		return ct_fail(err, CT_INVALID, "discrepancy limit %d%% is not 0..100",
			       s->discrepancy_pct);
	if ((uint64_t)s->n_contestants * s->n_criteria > UINT32_MAX - 2)
		return ct_fail(err, CT_INVALID, "too many contestants times criteria");
	if (s->n_values > UINT32_MAX)
		return ct_fail(err, CT_INVALID, "too many values");
	return CT_OK;
}

/* Reports a value the sheet cannot contain. */
static enum ct_status fail_value(const struct sheet *s, size_t i, const char *what,
				 struct ct_err *err)
{
	const struct sheet_value *v = &s->values[i];
	if (v->contestant >= s->n_contestants || v->criterion >= s->n_criteria ||
	    v->judge >= s->n_judges)
		return ct_fail(err, CT_INVALID,
			       "value #%zu names contestant #%u, criterion #%u, judge #%u: %s", i,
			       v->contestant, v->criterion, v->judge, what);
	char buf[DEC_TEXT_MAX];
	return ct_fail(err, CT_INVALID,
		       "value %s of judge #%u for contestant %.64s on criterion %.64s: %s",
		       dec_format(v->value_c, buf), v->judge, s->contestants[v->contestant].key,
		       s->criteria[v->criterion].code ? s->criteria[v->criterion].code : "", what);
}

struct key_ref {
	const char *key;
	uint32_t index;
};

static int cmp_key_ref(const void *a, const void *b)
{
	return strcmp(((const struct key_ref *)a)->key, ((const struct key_ref *)b)->key);
}

/* Orders the contestants by key (by_key, key_pos) and rejects duplicate keys. */
static enum ct_status order_keys(struct engine *e, struct ct_err *err)
{
	uint32_t n = e->s->n_contestants;
	struct key_ref *refs = xcalloc(n, sizeof *refs);
	enum ct_status rc = CT_OK;

	for (uint32_t i = 0; i < n; i++)
		refs[i] = (struct key_ref){ e->s->contestants[i].key, i };
	qsort(refs, n, sizeof *refs, cmp_key_ref);
	e->by_key = xcalloc(n, sizeof *e->by_key);
	e->key_pos = xcalloc(n, sizeof *e->key_pos);
	for (uint32_t p = 0; p < n; p++) {
		if (p > 0 && strcmp(refs[p - 1].key, refs[p].key) == 0) {
			rc = ct_fail(err, CT_INVALID, "two contestants have the key %.64s", refs[p].key);
			goto out;
		}
		e->by_key[p] = refs[p].index;
		e->key_pos[refs[p].index] = p;
	}
out:
	free(refs);
	return rc;
}

static bool value_in_range(const struct sheet_criterion *c, int32_t v)
{
	if (c->method == METHOD_JUDGEMENT)
		return v >= 0 && v <= 300 && v % 100 == 0;
	return v >= 0 && v <= c->max_c;
}

/* Allocates count elements of size bytes, zeroed when zero is set. Large
 * scratch arrays ask for transparent huge pages: on a virtual machine a
 * page fault can cost 10 us, so faulting tens of megabytes 4 KiB at a time
 * would dominate the whole computation. Freed with free(). */
static void *big_alloc(size_t count, size_t size, bool zero)
{
#if defined(MADV_HUGEPAGE)
	size_t huge = (size_t)2 << 20;
	if (size && count <= (SIZE_MAX - huge) / size && count * size >= 2 * huge) {
		size_t n = (count * size + huge - 1) / huge * huge;
		void *p = aligned_alloc(huge, n);
		if (!p)
			return xcalloc(count, size);
		madvise(p, n, MADV_HUGEPAGE); /* only a hint: ignore failure */
		if (zero)
			memset(p, 0, n);
		return p;
	}
#endif
	(void)zero;
	return xcalloc(count, size);
}

static size_t bucket_of(const struct engine *e, uint32_t contestant, uint32_t criterion)
{
	return (size_t)e->key_pos[contestant] * e->s->n_criteria + criterion;
}

/* Turns the counts held in end[b + 2] for buckets lo..hi-1 into bucket ends,
 * continuing from end[lo + 1]: afterwards end[b + 2] is the end of bucket b,
 * so end[b + 1] is its start. Records the largest bucket. */
static void bucket_prefix(struct engine *e, uint32_t *end, size_t lo, size_t hi)
{
	for (size_t b = lo; b < hi; b++) {
		if (end[b + 2] > e->max_bucket)
			e->max_bucket = end[b + 2];
		end[b + 2] += end[b + 1];
	}
}

/* Validates every value and sorts them into buckets. Values that already
 * come grouped by bucket (a store can hand them over that way) are used in
 * place. Otherwise a two-level counting sort: first by blocks of about 2,048
 * buckets (contestants in key order), then each block by bucket through a
 * small buffer that stays in cache. One scatter straight into 600,000 buckets
 * writes all over tens of megabytes and costs twice as much. */
static enum ct_status bucket_values(struct engine *e, struct ct_err *err)
{
	const struct sheet *s = e->s;
	size_t n_buckets = (size_t)s->n_contestants * s->n_criteria;
	uint32_t *end = big_alloc(n_buckets + 2, sizeof *end, true);
	unsigned shift = 0;      /* a block holds 2^shift contestants */
	while (shift < 16 && ((size_t)2 << shift) * s->n_criteria <= 2048)
		shift++;
	size_t n_blocks = (s->n_contestants >> shift) + 1;
	uint32_t *block_end = xcalloc(n_blocks + 1, sizeof *block_end);
	struct slot *buf = NULL;
	bool grouped = true;
	size_t prev = 0;
	enum ct_status rc = CT_OK;

	e->bucket_end = end;
	for (size_t i = 0; i < s->n_values; i++) {
		const struct sheet_value *v = &s->values[i];
		if (v->contestant >= s->n_contestants || v->criterion >= s->n_criteria ||
		    v->judge >= s->n_judges) {
			rc = fail_value(s, i, "index out of range", err);
			goto out;
		}
		if (!value_in_range(&s->criteria[v->criterion], v->value_c)) {
			rc = fail_value(s, i, s->criteria[v->criterion].method == METHOD_JUDGEMENT ?
					"a judgement must be 0, 1, 2 or 3" : "outside 0..max", err);
			goto out;
		}
		size_t b = bucket_of(e, v->contestant, v->criterion);
		grouped = grouped && b >= prev;
		prev = b;
		block_end[(e->key_pos[v->contestant] >> shift) + 1]++;
	}
	if (grouped) {
		for (size_t i = 0; i < s->n_values; i++)
			end[bucket_of(e, s->values[i].contestant, s->values[i].criterion) + 2]++;
		bucket_prefix(e, end, 0, n_buckets);
		memmove(end + 1, end + 2, n_buckets * sizeof *end);
		goto out;
	}

	/* First by block, in input order. Block k is the same range of slots
	 * before and after the sort by bucket: its buckets are consecutive. */
	uint32_t largest = 0;
	for (size_t k = 0; k < n_blocks; k++) {
		largest = block_end[k + 1] > largest ? block_end[k + 1] : largest;
		block_end[k + 1] += block_end[k];
	}
	e->slots = big_alloc(s->n_values, sizeof *e->slots, false);
	for (size_t i = 0; i < s->n_values; i++) {
		const struct sheet_value *v = &s->values[i];
		e->slots[block_end[e->key_pos[v->contestant] >> shift]++] = (struct slot){
			v->value_c, v->judge, (uint32_t)bucket_of(e, v->contestant, v->criterion) };
	}
	/* block_end[k] is now the end of block k and block_end[k - 1] its
	 * start; the sort of block k carries on from where block k - 1's
	 * bucket ends left off (end[b_lo + 1]). */
	buf = xcalloc(largest ? largest : 1, sizeof *buf);
	size_t per_block = ((size_t)1 << shift) * s->n_criteria;
	for (size_t k = 0; k < n_blocks; k++) {
		uint32_t lo = k ? block_end[k - 1] : 0, hi = block_end[k];
		size_t b_lo = k * per_block, b_hi = b_lo + per_block < n_buckets ? b_lo + per_block : n_buckets;
		for (uint32_t i = lo; i < hi; i++)
			end[e->slots[i].bucket + 2]++;
		bucket_prefix(e, end, b_lo, b_hi);
		for (uint32_t i = lo; i < hi; i++)
			buf[end[e->slots[i].bucket + 1]++ - lo] = e->slots[i];
		memcpy(e->slots + lo, buf, (size_t)(hi - lo) * sizeof *buf);
	}
out:
	free(buf);
	free(block_end);
	return rc;
}

/* Sorts the accepted (contestant, criterion) pairs for lookup by bucket. */
static enum ct_status index_accepts(struct engine *e, struct ct_err *err)
{
	const struct sheet *s = e->s;

	e->accepted = xcalloc(s->n_accepts, sizeof *e->accepted);
	for (size_t i = 0; i < s->n_accepts; i++) {
		const struct sheet_accept *a = &s->accepts[i];
		if (a->contestant >= s->n_contestants || a->criterion >= s->n_criteria)
			return ct_fail(err, CT_INVALID,
				       "accepted discrepancy #%zu names contestant #%u, criterion #%u: "
				       "index out of range", i, a->contestant, a->criterion);
		if (a->has_value && !value_in_range(&s->criteria[a->criterion], a->value_c))
			return ct_fail(err, CT_INVALID,
				       "accepted discrepancy #%zu names value %d hundredths, outside 0..max of "
				       "criterion %.64s", i, a->value_c,
				       s->criteria[a->criterion].code ? s->criteria[a->criterion].code : "");
		e->accepted[i] = (struct accepted){ bucket_of(e, a->contestant, a->criterion), a };
	}
	qsort(e->accepted, s->n_accepts, sizeof *e->accepted, cmp_accepted);
	e->n_accepted = s->n_accepts;
	return CT_OK;
}

/* The acceptance of the discrepancy in bucket, or NULL. */
static const struct sheet_accept *accepted_in(const struct engine *e, size_t bucket)
{
	struct accepted key = { bucket, NULL };
	const struct accepted *hit = bsearch(&key, e->accepted, e->n_accepted, sizeof *e->accepted, cmp_accepted);
	return hit ? hit->a : NULL;
}

/* Sorts the judges' non-zero organizations, to count a contestant's
 * recused judges by binary search. */
static void index_judge_orgs(struct engine *e)
{
	const struct sheet *s = e->s;

	e->judge_orgs = xcalloc(s->n_judges, sizeof *e->judge_orgs);
	for (uint32_t j = 0; j < s->n_judges; j++)
		if (s->judges[j].org != 0)
			e->judge_orgs[e->n_judge_orgs++] = s->judges[j].org;
	qsort(e->judge_orgs, e->n_judge_orgs, sizeof *e->judge_orgs, cmp_u32);
}

/* How many of the event's judges may score a contestant of organization org. */
static uint32_t panel_size(const struct engine *e, uint32_t org)
{
	if (org == 0)
		return e->s->n_judges;
	uint32_t lo = 0, hi = e->n_judge_orgs;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (e->judge_orgs[mid] < org)
			lo = mid + 1;
		else
			hi = mid;
	}
	uint32_t first = lo;
	hi = e->n_judge_orgs;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (e->judge_orgs[mid] <= org)
			lo = mid + 1;
		else
			hi = mid;
	}
	return e->s->n_judges - (lo - first);
}

static bool recused(const struct sheet *s, uint32_t judge, uint32_t org)
{
	return org != 0 && s->judges[judge].org == org;
}

static enum ct_status fail_duplicate(const struct engine *e, size_t b, uint32_t judge,
				     struct ct_err *err)
{
	const struct sheet *s = e->s;
	const struct sheet_contestant *c = &s->contestants[e->by_key[b / s->n_criteria]];
	const char *code = s->criteria[b % s->n_criteria].code;
	return ct_fail(err, CT_INVALID, "judge #%u has two values for contestant %.64s on criterion %.64s",
		       judge, c->key, code ? code : "");
}

/* Collects the values of bucket b into cell, leaving out judges recused
 * from a contestant of organization org (0 when no judge is), sorted when
 * the median needs them. Stamps each judge with the bucket: a judge stamped
 * twice has two values. This loop runs once per value: keep it lean. */
static enum ct_status gather_cell(struct engine *e, size_t b, uint32_t org, bool sort,
				  struct cell *cell, struct ct_err *err)
{
	const struct sheet *s = e->s;
	uint32_t lo = e->bucket_end[b], hi = e->bucket_end[b + 1];
	uint32_t n = 0;
	int64_t sum = 0;
	int32_t low = INT32_MAX, high = INT32_MIN;

	for (uint32_t i = lo; i < hi; i++) {
		uint32_t judge = e->slots ? e->slots[i].judge : s->values[i].judge;
		int32_t v = e->slots ? e->slots[i].value_c : s->values[i].value_c;
		if (e->stamp[judge] == b + 1)
			return fail_duplicate(e, b, judge, err);
		e->stamp[judge] = b + 1;
		if (recused(s, judge, org))
			continue;
		if (sort) {
			uint32_t j = n;
			for (; j > 0 && e->scratch[j - 1] > v; j--)
				e->scratch[j] = e->scratch[j - 1];
			e->scratch[j] = v;
		}
		n++;
		sum += v;
		low = v < low ? v : low;
		high = v > high ? v : high;
	}
	*cell = (struct cell){ n, sum, low, high, e->scratch };
	return CT_OK;
}

/* num / den rounded half up for num >= 0, den > 0: dec_div_round without
 * 128-bit division, which would dominate this hot path. */
static int64_t div_round(int64_t num, int64_t den)
{
	int64_t q = num / den, r = num % den;
	return r >= den - r ? q + 1 : q;
}

/* num / den rounded half up where the quotient is known to fit int64. */
static int64_t div_round_wide(__int128 num, __int128 den)
{
	int64_t q = 0;
	enum ct_status rc = dec_div_round(num, den, &q, NULL);
	assert(rc == CT_OK);
	(void)rc;
	return q;
}

/* The criterion mark of a cell (SPEC section 4): the exact rational rounded
 * half up once. A cell without values has mark 0. */
static int64_t cell_mark(const struct cell *cell, const struct sheet_criterion *c)
{
	int64_t n = cell->n;

	if (n == 0)
		return 0;
	switch (c->method) {
	case METHOD_MEASUREMENT:
	case METHOD_DEDUCTION:
		/* Values that disagree are a discrepancy; until resolved the
		 * mark is their mean (a decision of ours, SPEC is silent). */
		if (cell->low_c == cell->high_c)
			return cell->low_c;
		return div_round(cell->sum_c, n);
	case METHOD_MEAN:
		return div_round(cell->sum_c, n);
	case METHOD_TRIMMED:
		if (n >= 3)
			return div_round(cell->sum_c - cell->low_c - cell->high_c, n - 2);
		return div_round(cell->sum_c, n);
	case METHOD_MEDIAN:
		if (n % 2)
			return cell->sorted[n / 2];
		return div_round((int64_t)cell->sorted[n / 2 - 1] + cell->sorted[n / 2], 2);
	case METHOD_JUDGEMENT:
		/* M × Σv / (3n) points with v in 0..3, i.e. max_c × sum_c / (300 n)
		 * hundredths; sum_c <= 300 n keeps this in 64 bits for any panel
		 * under 300 million judges. */
		if (cell->sum_c <= INT64_MAX / c->max_c && n <= INT64_MAX / 300)
			return div_round(c->max_c * cell->sum_c, 300 * n);
		return div_round_wide((__int128)c->max_c * cell->sum_c, (__int128)300 * n);
	}
	return 0;
}

bool score_discrepant(enum method m, int32_t max_c, int32_t pct, int32_t low_c, int32_t high_c)
{
	int64_t spread = (int64_t)high_c - low_c;
	switch (m) {
	case METHOD_MEASUREMENT:
	case METHOD_DEDUCTION:
		return spread > 0;
	case METHOD_JUDGEMENT:
		return spread > 100;
	case METHOD_MEAN:
	case METHOD_TRIMMED:
	case METHOD_MEDIAN:
		return spread * 100 > (int64_t)pct * max_c;
	}
	return false;
}

/* Whether a cell's values differ by more than the rules allow. */
static bool cell_discrepant(const struct cell *cell, const struct sheet_criterion *c,
			    int32_t pct)
{
	return cell->n >= 2 && score_discrepant(c->method, c->max_c, pct, cell->low_c, cell->high_c);
}

static void add_missing(struct engine *e, uint32_t contestant, uint32_t criterion, uint32_t judge)
{
	struct result *r = e->r;
	if (r->n_missing == e->cap_missing) {
		e->cap_missing = e->cap_missing ? e->cap_missing * 2 : 64;
		r->missing = xreallocarray(r->missing, e->cap_missing, sizeof *r->missing);
	}
	r->missing[r->n_missing++] = (struct missing){ contestant, criterion, judge };
}

/* Records a discrepancy; returns its acceptance, or NULL while open. */
static const struct sheet_accept *add_discrepancy(struct engine *e, size_t b, uint32_t contestant,
						  uint32_t criterion, const struct cell *cell)
{
	struct result *r = e->r;
	if (r->n_discrepancies == e->cap_disc) {
		e->cap_disc = e->cap_disc ? e->cap_disc * 2 : 16;
		r->discrepancies = xreallocarray(r->discrepancies, e->cap_disc,
						 sizeof *r->discrepancies);
	}
	const struct sheet_accept *acc = accepted_in(e, b);
	bool accepted = acc != NULL;
	r->discrepancies[r->n_discrepancies++] = (struct discrepancy){
		.contestant = contestant,
		.criterion = criterion,
		.low_c = cell->low_c,
		.high_c = cell->high_c,
		.accepted = accepted,
	};
	if (!accepted)
		r->n_open++;
	return acc;
}

/* Records what a competed contestant still needs on one criterion; returns
 * whether anything is missing. panel is the number of judges not recused;
 * the judges who gave a value carry bucket b's stamp. */
static bool check_complete(struct engine *e, size_t b, uint32_t c, uint32_t k, uint32_t panel,
			   const struct cell *cell)
{
	const struct sheet *s = e->s;
	uint32_t org = s->contestants[c].org;
	enum method m = s->criteria[k].method;

	if (m == METHOD_DEDUCTION)
		return false; /* no value is no deduction (SPEC section 4) */
	if (panel == 0 || (m == METHOD_MEASUREMENT && cell->n == 0)) {
		/* Nobody has given the value, or nobody may: either way it is
		 * missing, and no particular judge owes it. */
		add_missing(e, c, k, UINT32_MAX);
		return true;
	}
	if (m == METHOD_MEASUREMENT || cell->n == panel)
		return false;
	for (uint32_t j = 0; j < s->n_judges; j++)
		if (e->stamp[j] != b + 1 && !recused(s, j, org))
			add_missing(e, c, k, j);
	return true;
}

/* Computes the marks of the contestant at key position p and, for a
 * competed one, its discrepancies and missing values, in criterion order. */
static enum ct_status score_contestant(struct engine *e, uint32_t p, struct ct_err *err)
{
	const struct sheet *s = e->s;
	uint32_t i = e->by_key[p];
	const struct sheet_contestant *ct = &s->contestants[i];
	bool competed = ct->status == ENTRY_COMPETED;
	uint32_t panel = panel_size(e, ct->org);
	uint32_t org = panel < s->n_judges ? ct->org : 0; /* 0: no judge is recused */
	bool complete = true;
	enum ct_status rc;

	for (uint32_t k = 0; k < s->n_criteria; k++) {
		const struct sheet_criterion *c = &s->criteria[k];
		size_t b = (size_t)p * s->n_criteria + k;
		struct cell cell = { 0 };
		rc = gather_cell(e, b, org, c->method == METHOD_MEDIAN, &cell, err);
		if (rc != CT_OK)
			return rc;
		int64_t *mark = &e->r->mark_c[(size_t)i * s->n_criteria + k];
		*mark = cell_mark(&cell, c);
		if (!competed)
			continue;
		if (cell_discrepant(&cell, c, s->discrepancy_pct)) {
			const struct sheet_accept *acc = add_discrepancy(e, b, i, k, &cell);
			/* The chief judge named the value that stands. */
			if (acc && acc->has_value && (c->method == METHOD_MEASUREMENT || c->method == METHOD_DEDUCTION))
				*mark = acc->value_c;
		}
		if (check_complete(e, b, i, k, panel, &cell))
			complete = false;
	}
	if (competed && !complete)
		e->r->n_incomplete++;
	e->r->entries[i].complete = competed && complete;
	return CT_OK;
}

/* ---- modules and totals --------------------------------------------------- */

/* The exact weighted total, sum(score_m × weight_m × 100 / max_m) hundredths
 * rounded half up once, as num / den over the common denominator den = lcm
 * of the weighted modules' maxima: num = sum(score_m × coef_m) with coef_m =
 * weight_m × 100 × den / max_m. Since score_m <= max_m, num <= 10000 × den.
 * 128-bit integers hold that for every sheet where den stays under
 * TOTAL_DEN_MAX (which is nearly all of them); beyond it the same sums run
 * in GMP, so no sheet is refused for its maxima. */
struct weights {
	bool weighted;
	bool big;                /* den is over TOTAL_DEN_MAX: the GMP fields are in use */
	__int128 den;            /* common denominator: lcm of the weighted modules' maxima */
	__int128 *coef;          /* [module]: weight × 100 × den / max, 0 for weight 0 */
	mpz_t big_den;           /* den and coef when big */
	mpz_t *big_coef;         /* [n_big] */
	uint32_t n_big;
	mpz_t num, q, r;         /* scratch of the GMP path */
};

/* Module scores fit an unsigned long for mpz_addmul_ui; __int128 already
 * confines the engine to 64-bit targets, where long has 64 bits. */
_Static_assert(sizeof(unsigned long) >= sizeof(int64_t), "GMP's unsigned long must hold a module score");

static __int128 gcd128(__int128 a, __int128 b)
{
	while (b) {
		__int128 t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* Largest common denominator the 128-bit path may use: its numerator is at
 * most 100 (per cent) × 100 (hundredths) times it, which must fit 128 bits. */
#define TOTAL_DEN_MAX ((((__int128)1 << 126) - 1) / 10000)

/* The GMP coefficients, for a common denominator over TOTAL_DEN_MAX. */
static void prepare_big(const struct engine *e, struct weights *w)
{
	const struct sheet *s = e->s;

	w->big = true;
	mpz_init_set_ui(w->big_den, 1);
	mpz_inits(w->num, w->q, w->r, NULL);
	w->big_coef = xcalloc(s->n_modules, sizeof *w->big_coef);
	w->n_big = s->n_modules;
	for (uint32_t m = 0; m < s->n_modules; m++) {
		mpz_init(w->big_coef[m]);
		if (s->modules[m].weight > 0)
			mpz_lcm_ui(w->big_den, w->big_den, (unsigned long)e->module_max_c[m]);
	}
	for (uint32_t m = 0; m < s->n_modules; m++) {
		if (s->modules[m].weight <= 0)
			continue;
		mpz_divexact_ui(w->big_coef[m], w->big_den, (unsigned long)e->module_max_c[m]);
		mpz_mul_ui(w->big_coef[m], w->big_coef[m], (unsigned long)s->modules[m].weight * 100);
	}
}

/* Computes each module's max and the exact weighted-total coefficients. The
 * sheet has passed sheet_check: every module's max is above 0. */
static void prepare_modules(struct engine *e, struct weights *w)
{
	const struct sheet *s = e->s;

	e->module_max_c = xcalloc(s->n_modules, sizeof *e->module_max_c);
	sheet_module_max(s, e->module_max_c);

	w->weighted = s->n_modules > 0 && s->modules[0].weight != -1;
	w->den = 1;
	w->coef = xcalloc(s->n_modules, sizeof *w->coef);
	if (!w->weighted)
		return;
	for (uint32_t m = 0; m < s->n_modules; m++) {
		if (s->modules[m].weight == 0)
			continue; /* contributes nothing, whatever its max */
		__int128 max = e->module_max_c[m];
		assert(max > 0);
		__int128 g = gcd128(w->den, max);
		if (w->den / g > TOTAL_DEN_MAX / max) {
			prepare_big(e, w);
			return;
		}
		w->den = w->den / g * max;
	}
	for (uint32_t m = 0; m < s->n_modules; m++)
		if (s->modules[m].weight > 0)
			w->coef[m] = (__int128)s->modules[m].weight * 100 * (w->den / e->module_max_c[m]);
}

static void weights_free(struct weights *w)
{
	free(w->coef);
	if (!w->big)
		return;
	for (uint32_t m = 0; m < w->n_big; m++)
		mpz_clear(w->big_coef[m]);
	free(w->big_coef);
	mpz_clears(w->big_den, w->num, w->q, w->r, NULL);
}

/* The weighted total of module scores mod[] by the GMP path. */
static int64_t big_total(struct weights *w, const int64_t *mod, uint32_t n_modules)
{
	mpz_set_ui(w->num, 0);
	for (uint32_t m = 0; m < n_modules; m++)
		if (mod[m] > 0)
			mpz_addmul_ui(w->num, w->big_coef[m], (unsigned long)mod[m]);
	mpz_fdiv_qr(w->q, w->r, w->num, w->big_den);
	mpz_mul_2exp(w->r, w->r, 1);
	if (mpz_cmp(w->r, w->big_den) >= 0)
		mpz_add_ui(w->q, w->q, 1);
	assert(mpz_cmp_ui(w->q, 10000) <= 0);
	return mpz_get_si(w->q);
}

/* Module scores (floored at 0) and the total of contestant i. A module score
 * never exceeds its max, so the weighted numerator stays within
 * 10000 × den and the sum is exact. */
static void score_total(struct engine *e, struct weights *w, uint32_t i)
{
	const struct sheet *s = e->s;
	int64_t *mod = &e->r->module_c[(size_t)i * s->n_modules];
	const int64_t *mark = &e->r->mark_c[(size_t)i * s->n_criteria];

	for (uint32_t k = 0; k < s->n_criteria; k++) {
		if (s->criteria[k].method == METHOD_DEDUCTION)
			mod[s->criteria[k].module] -= mark[k];
		else
			mod[s->criteria[k].module] += mark[k];
	}
	int64_t sum = 0;
	__int128 num = 0;
	for (uint32_t m = 0; m < s->n_modules; m++) {
		if (mod[m] < 0)
			mod[m] = 0;
		assert(mod[m] <= e->module_max_c[m]); /* module score <= module max */
		sum += mod[m];
		num += mod[m] * w->coef[m];
	}
	if (!w->weighted)
		e->r->entries[i].total_c = sum;
	else if (w->big)
		e->r->entries[i].total_c = big_total(w, mod, s->n_modules);
	else
		e->r->entries[i].total_c = div_round_wide(num, w->den);
}

/* ---- ranking and awards --------------------------------------------------- */

static int cmp_rank_rec(const void *a, const void *b)
{
	const struct rank_rec *x = a, *y = b;
	if (x->total_c != y->total_c)
		return x->total_c > y->total_c ? -1 : 1;
	for (uint32_t i = 1; i < x->nk; i++)
		if (x->k[i] != y->k[i])
			return x->k[i] > y->k[i] ? -1 : 1;
	return 0;
}

/* The tie-break value of contestant i for one key, higher is better. */
static int64_t tiebreak_value(const struct engine *e, const struct tb_key *key, uint32_t i)
{
	const struct sheet *s = e->s;
	switch (key->kind) {
	case TB_MODULE:
		return e->r->module_c[(size_t)i * s->n_modules + key->index];
	case TB_CRITERION:
		return e->r->mark_c[(size_t)i * s->n_criteria + key->index];
	case TB_TIME:
		/* Lower time is better; unknown is worse than any known time. */
		return s->contestants[i].elapsed_s < 0 ? INT64_MIN : -s->contestants[i].elapsed_s;
	}
	return 0;
}

/* Ranks the competed contestants into entries[0 .. n_ranked), in display
 * order, and gives them standard competition ranks. */
static void rank_competed(struct engine *e, struct result_entry *rows)
{
	const struct sheet *s = e->s;
	uint32_t nk = (uint32_t)e->n_tb + 2;
	struct rank_rec *recs = xcalloc(s->n_contestants, sizeof *recs);
	int64_t *keys = xcalloc((size_t)s->n_contestants, nk * sizeof *keys);
	uint32_t n = 0;

	for (uint32_t i = 0; i < s->n_contestants; i++) {
		if (s->contestants[i].status != ENTRY_COMPETED)
			continue;
		int64_t *k = &keys[(size_t)n * nk];
		k[0] = e->r->entries[i].total_c;
		for (size_t t = 0; t < e->n_tb; t++)
			k[1 + t] = tiebreak_value(e, &e->tb[t], i);
		k[nk - 1] = -(int64_t)e->key_pos[i];
		recs[n++] = (struct rank_rec){ k[0], k, i, nk };
	}
	qsort(recs, n, sizeof *recs, cmp_rank_rec);
	for (uint32_t p = 0; p < n; p++) {
		struct result_entry row = e->r->entries[recs[p].contestant];
		bool tied = p > 0 && memcmp(recs[p].k, recs[p - 1].k, (nk - 1) * sizeof *keys) == 0;
		row.rank = tied ? rows[p - 1].rank : p + 1;
		rows[p] = row;
	}
	e->r->n_ranked = n;
	free(keys);
	free(recs);
}

/* Cut-offs C1..C3 and the award of every ranked row. */
static void give_awards(struct engine *e, struct result_entry *rows)
{
	const struct sheet *s = e->s;
	struct result *r = e->r;
	int64_t cum = 0;

	for (int t = 0; t < 3; t++) {
		cum += s->ratio_c[t];
		r->cutoff[t] = (uint32_t)div_round_wide((__int128)r->n_ranked * cum, 10000);
	}
	for (uint32_t p = 0; p < r->n_ranked; p++) {
		rows[p].award = 0;
		if (s->min_award_c >= 0 && rows[p].total_c < s->min_award_c)
			continue;
		for (int t = 0; t < 3; t++) {
			if (rows[p].rank <= r->cutoff[t]) {
				rows[p].award = (uint8_t)(t + 1);
				break;
			}
		}
	}
}

/* Builds the display order: ranked rows, then the others by status
 * (registered, absent, withdrawn, disqualified) and key. */
static void order_rows(struct engine *e)
{
	static const enum entry_status unranked[] = {
		ENTRY_REGISTERED, ENTRY_ABSENT, ENTRY_WITHDRAWN, ENTRY_DISQUALIFIED,
	};
	const struct sheet *s = e->s;
	struct result_entry *rows = xcalloc(s->n_contestants, sizeof *rows);

	rank_competed(e, rows);
	give_awards(e, rows);
	uint32_t n = e->r->n_ranked;
	for (size_t u = 0; u < sizeof unranked / sizeof unranked[0]; u++) {
		for (uint32_t p = 0; p < s->n_contestants; p++) {
			uint32_t i = e->by_key[p];
			if (s->contestants[i].status == unranked[u])
				rows[n++] = e->r->entries[i];
		}
	}
	free(e->r->entries);
	e->r->entries = rows;
}

static void engine_free(struct engine *e)
{
	free(e->tb);
	free(e->by_key);
	free(e->key_pos);
	free(e->bucket_end);
	free(e->slots);
	free(e->scratch);
	free(e->stamp);
	free(e->judge_orgs);
	free(e->accepted);
	free(e->module_max_c);
}

enum ct_status score_event(const struct sheet *sheet, struct result **out, struct ct_err *err)
{
	struct engine e = { .s = sheet };
	struct weights w = { 0 };
	struct result *r = NULL;
	enum ct_status rc;

	rc = check_sheet(sheet, err);
	if (rc != CT_OK)
		goto out;
	rc = tiebreak_parse(sheet->tiebreak, sheet, NULL, &e.tb, &e.n_tb, err);
	if (rc != CT_OK)
		goto out;
	rc = order_keys(&e, err);
	if (rc != CT_OK)
		goto out;
	prepare_modules(&e, &w);
	rc = bucket_values(&e, err);
	if (rc != CT_OK)
		goto out;
	rc = index_accepts(&e, err);
	if (rc != CT_OK)
		goto out;
	index_judge_orgs(&e);
	e.scratch = xcalloc(e.max_bucket, sizeof *e.scratch);
	e.stamp = xcalloc(sheet->n_judges, sizeof *e.stamp);

	r = xcalloc(1, sizeof *r);
	e.r = r;
	r->entries = xcalloc(sheet->n_contestants, sizeof *r->entries);
	r->module_c = xcalloc((size_t)sheet->n_contestants, sheet->n_modules * sizeof *r->module_c);
	r->mark_c = big_alloc((size_t)sheet->n_contestants * sheet->n_criteria, sizeof *r->mark_c, false);
	/* Key order, so discrepancies and missing values come out sorted. */
	for (uint32_t p = 0; p < sheet->n_contestants; p++) {
		uint32_t i = e.by_key[p];
		rc = score_contestant(&e, p, err);
		if (rc != CT_OK)
			goto out;
		score_total(&e, &w, i);
		r->entries[i].contestant = i;
	}
	order_rows(&e);
	r->module_max_c = e.module_max_c; /* handed over, not freed with the engine */
	e.module_max_c = NULL;
	*out = r;
	r = NULL;
out:
	result_free(r);
	weights_free(&w);
	engine_free(&e);
	return rc;
}

void result_free(struct result *r)
{
	if (!r)
		return;
	free(r->entries);
	free(r->module_c);
	free(r->mark_c);
	free(r->module_max_c);
	free(r->discrepancies);
	free(r->missing);
	free(r);
}
