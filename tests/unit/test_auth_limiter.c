/* Unit tests of the failed-login limiter (contestd/limit.h): a judge's or
 * the organizer's lockout holds per (account, address) and cannot be
 * flushed, a stranger elsewhere cannot lock anyone out, per-address and
 * per-account limits, hot accounts answered in turn, bounded memory. The
 * clock is the test's: every time is written out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "limit.h"

#define MIN (60 * 1000)

static struct limit_addr addr(const char *text)
{
	struct limit_addr a;
	limit_addr_parse(text, &a);
	return a;
}

/* The address 10.X.Y.Z for i = X * 65536 + Y * 256 + Z. */
static struct limit_addr nth(unsigned i)
{
	char text[32];
	snprintf(text, sizeof text, "10.%u.%u.%u", (i >> 16) & 255, (i >> 8) & 255, i & 255);
	return addr(text);
}

static enum limit_verdict try_at(struct limiter *l, const char *account, const char *where, int64_t now,
				 int64_t *wait)
{
	struct limit_addr a = addr(where);
	const char *why;
	int64_t w;
	enum limit_verdict v = limiter_attempt(l, account, &a, now, wait ? wait : &w, &why);
	if (v == LIMIT_REFUSE)
		assert_true(*why != '\0');
	return v;
}

static void fail_n(struct limiter *l, const char *account, bool exists, const char *where, int n, int64_t now)
{
	struct limit_addr a = addr(where);
	for (int i = 0; i < n; i++)
		limiter_failure(l, account, exists, &a, now);
}

static void test_addresses(void **state)
{
	(void)state;
	struct limit_addr a = addr("192.168.1.20"), b = addr("::ffff:192.168.1.20"), c = addr("fe80::1");
	assert_memory_equal(a.b, b.b, 16);
	assert_int_equal(a.b[10], 0xff);
	assert_int_equal(a.b[12], 192);
	assert_int_equal(c.b[0], 0xfe);
	struct limit_addr bad = addr("-"), zero;
	memset(&zero, 0, sizeof zero);
	assert_memory_equal(bad.b, zero.b, 16);
}

/* A judge's typos lock the judge at that terminal only. */
static void test_pair_lockout(void **state)
{
	(void)state;
	struct limiter *l = limiter_new(NULL);
	int64_t t = 1000, wait = 0;
	fail_n(l, "judge:J01", true, "192.168.1.21", 4, t);
	assert_int_equal(try_at(l, "judge:J01", "192.168.1.21", t, NULL), LIMIT_GO);
	fail_n(l, "judge:J01", true, "192.168.1.21", 1, t + 1000);
	assert_int_equal(try_at(l, "judge:J01", "192.168.1.21", t + 2000, &wait), LIMIT_REFUSE);
	assert_int_equal(wait, 15 * MIN - 2000); /* until 15 minutes after the first failure */
	/* The same judge at another terminal, another judge at this one: fine. */
	assert_int_equal(try_at(l, "judge:J01", "192.168.1.22", t + 2000, NULL), LIMIT_GO);
	assert_int_equal(try_at(l, "judge:J02", "192.168.1.21", t + 2000, NULL), LIMIT_GO);
	/* Still locked just before the window ends, free after it. */
	assert_int_equal(try_at(l, "judge:J01", "192.168.1.21", t + 15 * MIN - 1, NULL), LIMIT_REFUSE);
	assert_int_equal(try_at(l, "judge:J01", "192.168.1.21", t + 15 * MIN, NULL), LIMIT_GO);
	limiter_free(l);
}

/* Issue 12 item 5: 520 failures from 520 addresses used to push a locked
 * judge's entry out of the table. */
static void test_flush_attack(void **state)
{
	(void)state;
	struct limiter *l = limiter_new(NULL);
	int64_t t = 5000;
	fail_n(l, "judge:J01", true, "192.168.1.21", 5, t);
	for (unsigned i = 0; i < 520; i++) {
		struct limit_addr a = nth(i);
		limiter_failure(l, "judge:J02", true, &a, t + 10);
		limiter_failure(l, "judge:NOSUCH", false, &a, t + 10);
	}
	/* and a flood from more addresses than the tables hold */
	for (unsigned i = 0; i < 20000; i++) {
		struct limit_addr a = nth(100000 + i);
		limiter_failure(l, i % 2 ? "judge:J03" : "organizer:admin", true, &a, t + 20);
	}
	assert_int_equal(try_at(l, "judge:J01", "192.168.1.21", t + 30, NULL), LIMIT_REFUSE);
	assert_int_equal(try_at(l, "judge:J01", "192.168.1.21", t + 10 * MIN, NULL), LIMIT_REFUSE);
	/* and J01 at another terminal is not locked by any of it */
	assert_int_equal(try_at(l, "judge:J01", "192.168.1.40", t + 30, NULL), LIMIT_GO);
	limiter_free(l);
}

/* Issue 12 item 5: 5 wrong admin secrets from any address locked the
 * organizer out everywhere. Now only that address is refused. */
static void test_stranger_cannot_lock_out_organizer(void **state)
{
	(void)state;
	struct limiter *l = limiter_new(NULL);
	int64_t t = 0;
	fail_n(l, "organizer:admin", true, "203.0.113.9", 5, t);
	assert_int_equal(try_at(l, "organizer:admin", "203.0.113.9", t + 1, NULL), LIMIT_REFUSE);
	assert_int_equal(try_at(l, "organizer:admin", "192.168.1.10", t + 1, NULL), LIMIT_GO);
	/* Repeating it from many addresses never reaches the organizer's own. */
	for (unsigned i = 0; i < 300; i++) {
		struct limit_addr a = nth(i);
		for (int k = 0; k < 5; k++)
			limiter_failure(l, "organizer:admin", true, &a, t + 2);
	}
	int64_t wait = 0;
	enum limit_verdict v = try_at(l, "organizer:admin", "192.168.1.10", t + 3, &wait);
	/* The account is hot: its answers wait their turn, never a refusal to a clean address. */
	assert_int_not_equal(v, LIMIT_REFUSE);
	assert_true(wait <= limit_defaults.max_wait_ms);
	limiter_free(l);
}

/* 100 failures from one address lock that address for every account. */
static void test_address_limit(void **state)
{
	(void)state;
	struct limiter *l = limiter_new(NULL);
	struct limit_addr a = addr("10.9.9.9");
	for (int i = 0; i < 99; i++) {
		char account[32];
		snprintf(account, sizeof account, "judge:X%02d", i);
		limiter_failure(l, account, false, &a, 100);
	}
	assert_int_equal(try_at(l, "judge:J01", "10.9.9.9", 200, NULL), LIMIT_GO);
	limiter_failure(l, "judge:Y", false, &a, 300);
	assert_int_equal(try_at(l, "judge:J01", "10.9.9.9", 400, NULL), LIMIT_REFUSE);
	assert_int_equal(try_at(l, "organizer:admin", "10.9.9.9", 400, NULL), LIMIT_REFUSE);
	assert_int_equal(try_at(l, "judge:J01", "10.9.9.10", 400, NULL), LIMIT_GO);
	/* Failures for accounts that do not exist fill no account table. */
	assert_int_equal(limiter_entries(l, 400), 1);
	limiter_free(l);
}

/* 20 failures of one account from many addresses make it hot: checks are
 * spaced a second apart; a clean address is always answered within the
 * longest wait; a dirty one beyond it is refused. */
static void test_hot_account(void **state)
{
	(void)state;
	struct limiter *l = limiter_new(NULL);
	int64_t t = 0, wait = -1;
	for (unsigned i = 0; i < 19; i++) {
		struct limit_addr a = nth(i);
		limiter_failure(l, "judge:J01", true, &a, t);
	}
	assert_int_equal(try_at(l, "judge:J01", "192.168.1.30", t, &wait), LIMIT_GO);
	struct limit_addr a19 = nth(19);
	limiter_failure(l, "judge:J01", true, &a19, t);
	/* turns at t, t+1s, t+2s ... */
	assert_int_equal(try_at(l, "judge:J01", "192.168.1.30", t, &wait), LIMIT_GO);
	assert_int_equal(wait, 0);
	assert_int_equal(try_at(l, "judge:J01", "192.168.1.31", t, &wait), LIMIT_WAIT);
	assert_int_equal(wait, 1000);
	assert_int_equal(try_at(l, "judge:J01", "192.168.1.32", t + 500, &wait), LIMIT_WAIT);
	assert_int_equal(wait, 1500);
	/* Other accounts are not slowed down. */
	assert_int_equal(try_at(l, "judge:J02", "192.168.1.30", t, &wait), LIMIT_GO);
	/* A queue of attempts from the addresses that failed already: turns
	 * up to 10 s ahead are given, later ones refused. */
	int waited = 0, refused = 0;
	for (unsigned i = 0; i < 20; i++) {
		char text[32];
		snprintf(text, sizeof text, "10.0.0.%u", i);
		enum limit_verdict v = try_at(l, "judge:J01", text, t + 600, &wait);
		if (v == LIMIT_REFUSE)
			refused++;
		else
			waited++, assert_true(wait <= 10 * 1000);
	}
	/* turns t+3s .. t+10.6s are 8 (t+3 .. t+10); then the queue is full */
	assert_int_equal(waited, 8);
	assert_int_equal(refused, 12);
	/* A clean address still gets its answer within 10 s. */
	assert_int_equal(try_at(l, "judge:J01", "192.168.1.99", t + 600, &wait), LIMIT_WAIT);
	assert_int_equal(wait, 10 * 1000);
	/* Bounded guessing: over 60 s of attempts ten a second from dirty
	 * addresses, one check a second gets through. */
	int checks = 0;
	for (int64_t now = t + 20 * 1000; now < t + 80 * 1000; now += 100) {
		struct limit_addr a = nth((unsigned)(now / 100) % 20);
		const char *why;
		if (limiter_attempt(l, "judge:J01", &a, now, &wait, &why) != LIMIT_REFUSE)
			checks++;
	}
	/* slots t+20 s .. t+89 s: the 60 s plus the 10 s queue */
	assert_int_equal(checks, 70);
	limiter_free(l);
}

/* Memory stays bounded and nothing live is evicted: with tiny tables,
 * later failures aggregate by prefix, then overflow, without unlocking
 * anyone or locking anyone else. */
static void test_bounded_tables(void **state)
{
	(void)state;
	struct limit_config cfg = limit_defaults;
	cfg.pair_slots = 8;
	cfg.prefix_slots = 2;
	cfg.address_slots = 8;
	cfg.account_slots = 4;
	struct limiter *l = limiter_new(&cfg);
	fail_n(l, "judge:J01", true, "192.168.7.1", 5, 0);
	for (unsigned i = 0; i < 1000; i++) {
		struct limit_addr a = nth(i);
		limiter_failure(l, "judge:J02", true, &a, 10);
	}
	/* 8 exact and 2 prefix pairs, 8 exact addresses, 3 prefixes (8 / 4 + 1)
	 * and the overflow bucket, 2 accounts: nothing more */
	assert_int_equal(limiter_entries(l, 20), 8 + 2 + 8 + 3 + 1 + 2);
	assert_int_equal(try_at(l, "judge:J01", "192.168.7.1", 20, NULL), LIMIT_REFUSE);
	/* aggregated prefix entries do not lock: J02 from a fresh address in a
	 * prefix full of failures is answered (J02 is hot: in its turn) */
	int64_t wait;
	assert_int_not_equal(try_at(l, "judge:J02", "10.0.1.200", 20, &wait), LIMIT_REFUSE);
	/* another judge from those addresses is not affected at all */
	assert_int_equal(try_at(l, "judge:J03", "10.0.1.200", 20, NULL), LIMIT_GO);
	/* entries expire and are reused */
	assert_int_equal(limiter_entries(l, 15 * MIN + 20), 0);
	assert_int_equal(try_at(l, "judge:J01", "192.168.7.1", 15 * MIN + 20, NULL), LIMIT_GO);
	limiter_free(l);
}

/* An organizer clears a judge's lockout; a success forgets the pair. */
static void test_clear_and_success(void **state)
{
	(void)state;
	struct limiter *l = limiter_new(NULL);
	fail_n(l, "judge:J01", true, "192.168.1.21", 5, 0);
	fail_n(l, "judge:J02", true, "192.168.1.21", 5, 0);
	assert_int_equal(try_at(l, "judge:J01", "192.168.1.21", 10, NULL), LIMIT_REFUSE);
	assert_int_equal(limiter_clear(l, "judge:J01"), 2); /* the pair and the account */
	assert_int_equal(try_at(l, "judge:J01", "192.168.1.21", 10, NULL), LIMIT_GO);
	assert_int_equal(try_at(l, "judge:J02", "192.168.1.21", 10, NULL), LIMIT_REFUSE);
	assert_int_equal(limiter_clear(l, "judge:J09"), 0);

	fail_n(l, "judge:J03", true, "192.168.1.23", 4, 0);
	struct limit_addr a = addr("192.168.1.23");
	limiter_success(l, "judge:J03", &a, 20);
	fail_n(l, "judge:J03", true, "192.168.1.23", 4, 30);
	assert_int_equal(try_at(l, "judge:J03", "192.168.1.23", 40, NULL), LIMIT_GO);
	limiter_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_pair_lockout),
		cmocka_unit_test(test_flush_attack),
		cmocka_unit_test(test_stranger_cannot_lock_out_organizer),
		cmocka_unit_test(test_address_limit),
		cmocka_unit_test(test_hot_account),
		cmocka_unit_test(test_bounded_tables),
		cmocka_unit_test(test_clear_and_success),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
