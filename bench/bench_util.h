/* Small helpers shared by the load generators and baselines of bench/:
 * a monotonic clock and nearest-rank percentiles of sorted latencies. */
#ifndef CONTEST_BENCH_UTIL_H
#define CONTEST_BENCH_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

static inline uint64_t bench_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* qsort comparison of uint64_t values, ascending. */
static inline int bench_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* The p-th percentile (nearest rank) of n sorted nanosecond values, in
 * milliseconds; 0 when there are none. */
static inline double bench_percentile_ms(const uint64_t *v, size_t n, double p)
{
	size_t rank;

	if (n == 0)
		return 0.0;
	rank = (size_t)(p / 100.0 * (double)n + 0.999999);
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return (double)v[rank - 1] / 1e6;
}

#endif
