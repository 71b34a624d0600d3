/* Unit tests of the public pages' request limiter (contestd/limit.c):
 * bursts, refill at the rate, the wait it names, addresses kept apart
 * (IPv4 one by one, IPv6 by /64), no limit at rate 0, and a full table that
 * still limits the address that floods it. Times are given, not read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "limit.h"

static struct limit_addr addr(const char *text)
{
	struct limit_addr a;
	limit_addr_parse(text, &a);
	return a;
}

/* How many of n requests at now_ms are answered. */
static int taken(struct rate_limiter *r, const char *who, int n, int64_t now)
{
	struct limit_addr a = addr(who);
	int ok = 0;
	int64_t retry;
	for (int i = 0; i < n; i++)
		ok += rate_take(r, &a, now, &retry);
	return ok;
}

static void test_burst_and_refill(void **state)
{
	(void)state;
	const struct rate_config cfg = {4, 12, 64};
	struct rate_limiter *r = rate_new(&cfg);
	struct limit_addr a = addr("192.168.1.20");
	assert_int_equal(taken(r, "192.168.1.20", 20, 1000), 12);
	int64_t retry = 0;
	assert_false(rate_take(r, &a, 1000, &retry));
	assert_int_equal(retry, 250); /* one request at 4 a second */
	assert_false(rate_take(r, &a, 1249, &retry));
	assert_int_equal(retry, 1);
	assert_true(rate_take(r, &a, 1250, &retry));
	/* 2.5 s later: 10 more */
	assert_int_equal(taken(r, "192.168.1.20", 20, 3750), 10);
	/* an hour later: a full burst, no more */
	assert_int_equal(taken(r, "192.168.1.20", 20, 3750 + 3600 * 1000), 12);
	rate_free(r);
}

static void test_addresses_apart(void **state)
{
	(void)state;
	const struct rate_config cfg = {1, 3, 64};
	struct rate_limiter *r = rate_new(&cfg);
	assert_int_equal(taken(r, "10.0.0.1", 5, 0), 3);
	assert_int_equal(taken(r, "10.0.0.2", 5, 0), 3);
	/* one IPv6 subscriber network is one client */
	assert_int_equal(taken(r, "2001:db8:1:2::1", 2, 0), 2);
	assert_int_equal(taken(r, "2001:db8:1:2:ffff::9", 5, 0), 1);
	assert_int_equal(taken(r, "2001:db8:1:3::1", 5, 0), 3);
	rate_free(r);
}

static void test_no_limit(void **state)
{
	(void)state;
	const struct rate_config cfg = {0, 0, 16};
	struct rate_limiter *r = rate_new(&cfg);
	assert_int_equal(taken(r, "10.0.0.1", 100000, 0), 100000);
	rate_free(r);
}

static void test_full_table(void **state)
{
	(void)state;
	const struct rate_config cfg = {1, 5, 16};
	struct rate_limiter *r = rate_new(&cfg);
	/* 5,000 other addresses, each once, at the same moment */
	char who[32];
	for (int i = 0; i < 5000; i++) {
		snprintf(who, sizeof who, "10.%d.%d.1", i / 250, i % 250);
		assert_int_equal(taken(r, who, 1, 0), 1);
	}
	/* the flooding address is still held to its rate */
	int ok = 0;
	for (int i = 0; i < 1000; i++)
		ok += taken(r, "192.0.2.7", 1, i);
	assert_in_range(ok, 5, 6);
	rate_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_burst_and_refill),
		cmocka_unit_test(test_addresses_apart),
		cmocka_unit_test(test_no_limit),
		cmocka_unit_test(test_full_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
