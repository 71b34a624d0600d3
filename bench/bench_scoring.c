/* Benchmark of the scoring engine on a large generated event (30,000
 * contestants x 20 criteria x 5 judges by default), compared in the same run
 * with baselines that bound what any engine must spend: reading every value
 * once, and sorting the totals. Prints medians, ratios and scaling. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "scoring.h"
#include "xmalloc.h"

#define RUNS 5
#define N_CRITERIA 20
#define N_MODULES 4
#define N_JUDGES 5

/* splitmix64: a small, seedable generator, so every run scores the same event. */
static uint64_t rng_next(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint32_t rng_below(uint64_t *state, uint32_t n)
{
	return (uint32_t)(rng_next(state) % n);
}

/* A generated event and the storage behind its pointers. */
struct event {
	struct sheet sheet;
	struct sheet_module modules[N_MODULES];
	struct sheet_criterion criteria[N_CRITERIA];
	struct sheet_judge judges[N_JUDGES];
	struct sheet_contestant *contestants;
	char (*keys)[16];
	struct sheet_value *values;
	struct sheet_accept accepts[16];
};

static const char *const module_codes[N_MODULES] = { "A", "B", "C", "D" };
static const int32_t module_weights[N_MODULES] = { 20, 30, 20, 30 };
static const char *const criterion_codes[N_CRITERIA] = {
	"A1", "A2", "A3", "A4", "A5", "B1", "B2", "B3", "B4", "B5",
	"C1", "C2", "C3", "C4", "C5", "D1", "D2", "D3", "D4", "D5",
};
static const enum method methods[6] = {
	METHOD_MEAN, METHOD_TRIMMED, METHOD_MEDIAN, METHOD_JUDGEMENT, METHOD_MEASUREMENT,
	METHOD_DEDUCTION,
};

/* The keys cmp_by_key orders contestant indices by. */
static char (*sort_keys)[16];

static int cmp_by_key(const void *a, const void *b)
{
	return strcmp(sort_keys[*(const uint32_t *)a], sort_keys[*(const uint32_t *)b]);
}

/* A judge's value near a contestant's level (per mille of the max): judges
 * mostly agree within a few per cent, one value in 50 is an outlier. */
static int32_t judge_value(uint64_t *rng, const struct sheet_criterion *c, uint32_t level,
			   int32_t agreed)
{
	if (c->method == METHOD_JUDGEMENT) {
		int32_t g = (int32_t)(level * 4 / 1000) - (rng_below(rng, 4) == 0);
		return 100 * (g < 0 ? 0 : g > 3 ? 3 : g);
	}
	if (rng_below(rng, 50) == 0)
		return (int32_t)rng_below(rng, (uint32_t)c->max_c + 1);
	if (c->method == METHOD_MEASUREMENT || c->method == METHOD_DEDUCTION)
		return agreed;
	int64_t noise = (int64_t)rng_below(rng, (uint32_t)c->max_c / 10 + 1) - c->max_c / 20;
	int64_t x = (int64_t)c->max_c * level / 1000 + noise;
	return (int32_t)(x < 0 ? 0 : x > c->max_c ? c->max_c : x);
}

/* Builds an event of n contestants with every judge's value on every
 * criterion, about 5% of contestants not competed and a few recusals. The
 * values are shuffled (a database returns them in revision order) unless
 * grouped, when they come by contestant in key order, then criterion. */
static void event_make(struct event *ev, uint32_t n, uint64_t seed, bool grouped)
{
	uint64_t rng = seed;
	size_t n_values = (size_t)n * N_CRITERIA * N_JUDGES;

	memset(ev, 0, sizeof *ev);
	for (int m = 0; m < N_MODULES; m++)
		ev->modules[m] = (struct sheet_module){ module_codes[m], module_weights[m] };
	for (int k = 0; k < N_CRITERIA; k++) {
		enum method me = methods[k % 6];
		ev->criteria[k] = (struct sheet_criterion){
			.code = criterion_codes[k],
			.module = (uint32_t)(k / 5),
			.method = me,
			.max_c = me == METHOD_DEDUCTION ? 200 : 500 + 100 * (int32_t)(k % 4),
		};
	}
	for (int j = 0; j < N_JUDGES; j++)
		ev->judges[j].org = j == 0 ? 7 : 0; /* judge 0 is recused from org 7 */
	ev->contestants = xcalloc(n, sizeof *ev->contestants);
	ev->keys = xcalloc(n, sizeof *ev->keys);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t roll = rng_below(&rng, 100);
		/* Unique keys (7919 is coprime to 10^7) in an order unlike the index. */
		snprintf(ev->keys[i], sizeof ev->keys[i], "2026%07" PRIu32,
			 (uint32_t)(((uint64_t)i * 7919 + 13) % 10000000));
		ev->contestants[i] = (struct sheet_contestant){
			.key = ev->keys[i],
			.status = roll < 95 ? ENTRY_COMPETED : roll < 97 ? ENTRY_ABSENT : ENTRY_WITHDRAWN,
			.elapsed_s = roll % 10 == 0 ? -1 : 3000 + (int64_t)rng_below(&rng, 600),
			.org = 1 + rng_below(&rng, 200),
		};
	}
	ev->values = xcalloc(n_values, sizeof *ev->values);
	size_t v = 0;
	uint32_t *order = xcalloc(n, sizeof *order);
	for (uint32_t i = 0; i < n; i++)
		order[i] = i;
	if (grouped) {
		sort_keys = ev->keys;
		qsort(order, n, sizeof *order, cmp_by_key);
	}
	for (uint32_t p = 0; p < n; p++) {
		uint32_t ci = order[p];
		uint32_t level = 300 + rng_below(&rng, 700);
		for (uint32_t k = 0; k < N_CRITERIA; k++) {
			const struct sheet_criterion *c = &ev->criteria[k];
			int32_t agreed = c->method == METHOD_DEDUCTION
				? (rng_below(&rng, 10) == 0 ? 50 : 0)
				: (int32_t)((int64_t)c->max_c * level / 1000);
			for (uint32_t j = 0; j < N_JUDGES; j++)
				ev->values[v++] = (struct sheet_value){ ci, k, j, judge_value(&rng, c, level, agreed) };
		}
	}
	free(order);
	for (size_t a = grouped ? 0 : n_values; a > 1; a--) {
		size_t b = (size_t)(rng_next(&rng) % a);
		struct sheet_value t = ev->values[a - 1];
		ev->values[a - 1] = ev->values[b];
		ev->values[b] = t;
	}
	for (int a = 0; a < 16; a++)
		ev->accepts[a] = (struct sheet_accept){ rng_below(&rng, n), rng_below(&rng, N_CRITERIA), false, 0 };

	ev->sheet = (struct sheet){
		.modules = ev->modules, .n_modules = N_MODULES,
		.criteria = ev->criteria, .n_criteria = N_CRITERIA,
		.contestants = ev->contestants, .n_contestants = n,
		.judges = ev->judges, .n_judges = N_JUDGES,
		.values = ev->values, .n_values = n_values,
		.accepts = ev->accepts, .n_accepts = 16,
		.ratio_c = { 1000, 2000, 3000 },
		.min_award_c = 6000,
		.discrepancy_pct = 20,
		.tiebreak = "module:B;criterion:D1;time",
	};
}

static void event_free(struct event *ev)
{
	free(ev->contestants);
	free(ev->keys);
	free(ev->values);
}

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static int64_t median(int64_t t[RUNS])
{
	qsort(t, RUNS, sizeof t[0], cmp_i64);
	return t[RUNS / 2];
}

/* Keeps the compiler from discarding baseline work. */
static volatile uint64_t sink;

/* Baseline 1: read every value once (the memory-bandwidth floor of any
 * engine that must look at all of them). */
static int64_t time_read_values(const struct sheet *s)
{
	int64_t t0 = now_ns();
	uint64_t acc = 0;
	for (size_t i = 0; i < s->n_values; i++)
		acc += (uint64_t)s->values[i].value_c + s->values[i].contestant +
		       s->values[i].criterion + s->values[i].judge;
	sink = acc;
	return now_ns() - t0;
}

/* Baseline 2: qsort of one int64 total per contestant (the ranking floor). */
static int64_t time_sort_totals(const struct result *r, uint32_t n)
{
	int64_t *t = xcalloc(n, sizeof *t);
	for (uint32_t i = 0; i < n; i++)
		t[i] = r->entries[(i * UINT64_C(2654435761)) % n].total_c;
	int64_t t0 = now_ns();
	qsort(t, n, sizeof *t, cmp_i64);
	int64_t dt = now_ns() - t0;
	sink = (uint64_t)t[0];
	free(t);
	return dt;
}

/* The engine itself; *out is its result (caller frees). */
static int64_t time_engine(const struct sheet *s, struct result **out)
{
	struct ct_err err;
	int64_t t0 = now_ns();
	enum ct_status st = score_event(s, out, &err);
	int64_t dt = now_ns() - t0;
	if (st != CT_OK) {
		fprintf(stderr, "bench_scoring: score_event failed: %s\n", err.msg);
		exit(1);
	}
	return dt;
}

/* A digest of a result, to check that every run computes the same. */
static uint64_t digest(const struct result *r, uint32_t n)
{
	uint64_t h = r->n_ranked * UINT64_C(1000003) + r->n_open * 31 + r->n_missing;
	for (uint32_t i = 0; i < n; i++)
		h = h * 31 + (uint64_t)r->entries[i].total_c + r->entries[i].rank;
	return h;
}

/* log2(n) in units of 1/65536, with integers only. */
static uint64_t log2_q16(uint64_t n)
{
	int ip = 63 - __builtin_clzll(n);
	uint64_t m = ip >= 30 ? n >> (ip - 30) : n << (30 - ip); /* [2^30, 2^31) = [1, 2) */
	uint64_t frac = 0;
	for (int b = 15; b >= 0; b--) {
		m = (m * m) >> 30;
		if (m >= (UINT64_C(1) << 31)) {
			m >>= 1;
			frac |= UINT64_C(1) << b;
		}
	}
	return ((uint64_t)ip << 16) | frac;
}

/* Formats ns as milliseconds with one decimal. */
static const char *ms(int64_t ns, char buf[32])
{
	int64_t tenths = (ns + 50000) / 100000;
	snprintf(buf, 32, "%" PRId64 ".%" PRId64, tenths / 10, tenths % 10);
	return buf;
}

/* x / y with one decimal, for ratios. */
static const char *ratio(int64_t x, int64_t y, char buf[32])
{
	int64_t tenths = y ? (x * 10 + y / 2) / y : 0;
	snprintf(buf, 32, "%" PRId64 ".%" PRId64, tenths / 10, tenths % 10);
	return buf;
}

struct measured {
	int64_t engine_ns, read_ns, sort_ns;
	long rss_before_kib;     /* peak RSS once the input was made, before the engine ran */
};

static long peak_rss_kib(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* Generates one event of n contestants and prints the medians of RUNS
 * runs of the engine and of the baselines, interleaved. */
static struct measured measure(uint32_t n, bool grouped)
{
	struct event ev;
	int64_t te[RUNS], tr[RUNS], ts[RUNS];
	uint64_t check0 = 0;
	char b1[32], b2[32], b3[32];

	event_make(&ev, n, UINT64_C(20260501), grouped);
	long rss_before = peak_rss_kib();
	for (int run = 0; run < RUNS; run++) {
		struct result *r = NULL;
		tr[run] = time_read_values(&ev.sheet);
		te[run] = time_engine(&ev.sheet, &r);
		ts[run] = time_sort_totals(r, n);
		uint64_t check = digest(r, n);
		result_free(r);
		if (run == 0)
			check0 = check;
		else if (check != check0) {
			fprintf(stderr, "bench_scoring: results differ between runs\n");
			exit(1);
		}
	}
	struct measured out = { median(te), median(tr), median(ts), rss_before };
	size_t nv = ev.sheet.n_values;
	uint64_t nlogn = nv * log2_q16(nv);
	printf("%6" PRIu32 " x %d x %d = %8zu values: engine %6s ms, read-every-value %5s ms, "
	       "qsort totals %4s ms, %4" PRIu64 " ps per n*log2(n), %5" PRIu64 " ps per value\n",
	       n, N_CRITERIA, N_JUDGES, nv, ms(out.engine_ns, b1), ms(out.read_ns, b2),
	       ms(out.sort_ns, b3), (uint64_t)out.engine_ns * 1000 * 65536 / nlogn,
	       (uint64_t)out.engine_ns * 1000 / nv);
	event_free(&ev);
	return out;
}

int main(int argc, char **argv)
{
	uint32_t n = 30000;
	char b1[32], b2[32], b3[32], b4[32];

	bool help = argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0);
	if (argc > 2 || help) {
		printf("usage: bench_scoring [CONTESTANTS]   (default 30000; also runs 1/4 and 1/2)\n");
		return help ? 0 : 2;
	}
	if (argc == 2) {
		char *end;
		errno = 0;
		unsigned long v = strtoul(argv[1], &end, 10);
		if (errno || *end || v < 4 || v > 1000000) {
			fprintf(stderr, "bench_scoring: CONTESTANTS must be 4..1000000\n");
			return 2;
		}
		n = (uint32_t)v;
	}

	printf("median of %d runs each; values shuffled (worst case for the bucketing)\n", RUNS);
	measure(n / 4, false);
	measure(n / 2, false);
	struct measured full = measure(n, false);
	long peak_mib = peak_rss_kib() / 1024;

	printf("values grouped by contestant in key order, then criterion (as a store can give them)\n");
	struct measured grouped = measure(n, true);

	printf("input %zu MiB of values; engine / read-every-value = %s shuffled, %s grouped; "
	       "engine / (read-every-value + qsort totals) = %s shuffled\n",
	       (size_t)n * N_CRITERIA * N_JUDGES * sizeof(struct sheet_value) >> 20,
	       ratio(full.engine_ns, full.read_ns, b1), ratio(grouped.engine_ns, grouped.read_ns, b2),
	       ratio(full.engine_ns, full.read_ns + full.sort_ns, b3));
	printf("scoring %" PRIu32 "x%dx%d: median %s ms (%d runs), peak RSS %ld MiB (%ld MiB before "
	       "the engine ran), %sx the read-every-value baseline\n", n, N_CRITERIA, N_JUDGES,
	       ms(full.engine_ns, b4), RUNS, peak_mib, full.rss_before_kib / 1024,
	       ratio(full.engine_ns, full.read_ns, b1));
	return 0;
}
