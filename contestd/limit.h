/* The failed-login limiter. Failures are counted per (account, client
 * address), per address across accounts and per account across addresses:
 *
 * - 5 failures of one account from one address within 15 minutes lock that
 *   pair only: a judge's typos never block the other judges at their
 *   terminals, nor the same judge at another terminal, and a stranger at
 *   another address can never lock out a judge or an organizer;
 * - 100 failures from one address within 15 minutes (any accounts) lock that
 *   address;
 * - 20 failures of one account within 15 minutes from all addresses make the
 *   account "hot": its credential is then checked at most once a second,
 *   every answer about it waiting for its turn (at most 10 s; the caller
 *   answers later from a timer). A turn further off than that is refused
 *   to an address that has failed for the account already, and given in
 *   10 s to a clean one: the right credential from a clean address is
 *   always answered, and guessing is bounded to about one a second plus
 *   one per fresh address.
 *
 * Entries are kept until their 15 minutes have passed, never evicted.
 * Memory is bounded: when the exact tables are full, further failures are
 * counted per address prefix (/24 for IPv4, /48 for IPv6), then in one
 * overflow bucket per account; such aggregated entries never lock anyone
 * out, they only make their addresses count as not clean. Failures for
 * accounts that do not exist count per address only. Pure logic over the
 * time it is given: no clock, no I/O. */
#ifndef CONTESTD_LIMIT_H
#define CONTESTD_LIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct limit_config {
	int64_t window_ms;        /* how long a failure counts */
	uint32_t pair_fails;      /* failures of an (account, address) that lock it */
	uint32_t address_fails;   /* failures from an address that lock it */
	uint32_t account_hot;     /* failures of an account that make it hot */
	int64_t spacing_ms;       /* between two checks of a hot account */
	int64_t max_wait_ms;      /* longest wait for an answer */
	size_t pair_slots;        /* exact (account, address) entries */
	size_t prefix_slots;      /* aggregated (account, prefix) entries, then per-account overflow */
	size_t address_slots;     /* exact address entries (then per prefix, then one overflow) */
	size_t account_slots;     /* accounts tracked across addresses */
};

/* The defaults described above, with tables of 16384 pairs, 4096
 * prefixes, 16384 addresses and 4096 accounts (about 3 MB). */
extern const struct limit_config limit_defaults;

/* A client address: IPv6, or IPv4 mapped into ::ffff:0:0/96. */
struct limit_addr {
	unsigned char b[16];
};

/* Parses the peer address text ("192.168.1.20", "fe80::1"); anything else
 * (a Unix socket, "-") becomes the all-zero address. */
void limit_addr_parse(const char *text, struct limit_addr *out);

struct limiter;

/* A new limiter with cfg (copied; NULL for limit_defaults). */
struct limiter *limiter_new(const struct limit_config *cfg);
void limiter_free(struct limiter *l); /* NULL is a no-op */

enum limit_verdict {
	LIMIT_GO,      /* check the credential now */
	LIMIT_WAIT,    /* check it after *wait_ms (the account is hot) */
	LIMIT_REFUSE,  /* refuse without checking; retry after *wait_ms */
};

/* Before checking a credential for account ("judge:J01",
 * "organizer:admin") from addr at now_ms (any monotonic clock in ms): what
 * to do, and how long to wait (LIMIT_WAIT) or after how long a retry can
 * succeed (LIMIT_REFUSE). *why is a static phrase for the refusal. */
enum limit_verdict limiter_attempt(struct limiter *l, const char *account, const struct limit_addr *addr,
				   int64_t now_ms, int64_t *wait_ms, const char **why);

/* Counts a failed login; exists is false when no such account exists. */
void limiter_failure(struct limiter *l, const char *account, bool exists, const struct limit_addr *addr,
		     int64_t now_ms);

/* A successful login forgets the pair's failures. */
void limiter_success(struct limiter *l, const char *account, const struct limit_addr *addr, int64_t now_ms);

/* Clears every lockout and count of account (an organizer unlocking a
 * judge's login). Returns how many entries were cleared. */
size_t limiter_clear(struct limiter *l, const char *account);

/* Entries in use (not expired at now_ms), for tests and metrics. */
size_t limiter_entries(struct limiter *l, int64_t now_ms);

/* ---- the public pages' request limiter ----
 *
 * Requests to the public pages and their API (published results,
 * certificate verification) are limited per client address with a token
 * bucket: burst requests at once, then per_second. IPv6 addresses count
 * per /64 (one subscriber's network), IPv4 addresses one by one. Memory is
 * bounded: a fixed table in which an address is looked for among a few
 * slots; when all of them are taken, the bucket that has refilled most is
 * given to the newcomer (a full bucket holds nothing worth keeping). Pure
 * logic over the time it is given, like the login limiter. */

struct rate_config {
	uint32_t per_second;      /* sustained requests per second per address; 0 = no limit */
	uint32_t burst;           /* requests at once */
	size_t slots;             /* addresses tracked (a power of two) */
};

struct rate_limiter;

/* A new limiter with cfg (copied). */
struct rate_limiter *rate_new(const struct rate_config *cfg);
void rate_free(struct rate_limiter *r); /* NULL is a no-op */

/* Takes one request of addr at now_ms (a monotonic clock in ms): true to
 * answer it, false to refuse it, with *retry_ms until the address has a
 * request again. */
bool rate_take(struct rate_limiter *r, const struct limit_addr *addr, int64_t now_ms, int64_t *retry_ms);

#endif
