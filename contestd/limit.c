/* The failed-login limiter: fixed tables scanned linearly (logins are a
 * few a second at most; a failed one also costs a password hash), entries
 * reused only once expired. And the public pages' request limiter: token
 * buckets in a fixed hash table, since every public request asks it. */
#include "limit.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

const struct limit_config limit_defaults = {
	.window_ms = 15 * 60 * 1000,
	.pair_fails = 5,
	.address_fails = 100,
	.account_hot = 20,
	.spacing_ms = 1000,
	.max_wait_ms = 10 * 1000,
	.pair_slots = 16384,
	.prefix_slots = 4096,
	.address_slots = 16384,
	.account_slots = 4096,
};

#define ACCOUNT_MAX 80
#define BITS_EXACT 128

/* Failures of an account from an address, or from a prefix (bits < 128). */
struct pair {
	char account[ACCOUNT_MAX];
	struct limit_addr addr;
	uint8_t bits;
	uint32_t count;
	int64_t first;            /* the first failure; the entry expires a window later */
};

/* Failures from an address or prefix (bits < 128; 0 = the overflow bucket). */
struct address {
	struct limit_addr addr;
	uint8_t bits;
	uint32_t count;
	int64_t first;
};

struct account {
	char account[ACCOUNT_MAX];
	uint32_t count;
	int64_t first;
	int64_t next_ms;          /* a hot account's next free turn */
	int64_t overflow_until;   /* failures overflowed the pair tables: no address is clean until then */
};

struct limiter {
	struct limit_config cfg;
	struct pair *pairs;       /* cfg.pair_slots exact entries */
	struct pair *prefixes;    /* cfg.prefix_slots aggregated entries */
	struct address *addresses;/* cfg.address_slots exact entries */
	struct address *aggregates;/* cfg.address_slots / 4 prefix entries */
	struct address overflow;  /* the addresses no table had room for */
	struct account *accounts;
};

void limit_addr_parse(const char *text, struct limit_addr *out)
{
	memset(out, 0, sizeof *out);
	struct in_addr v4;
	if (text && inet_pton(AF_INET, text, &v4) == 1) {
		out->b[10] = 0xff;
		out->b[11] = 0xff;
		memcpy(out->b + 12, &v4, 4);
	} else if (!text || inet_pton(AF_INET6, text, out->b) != 1) {
		memset(out, 0, sizeof *out);
	}
}

/* The prefix an address is aggregated under: /24 of IPv4, /48 of IPv6. */
static uint8_t prefix_bits(const struct limit_addr *a)
{
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	return memcmp(a->b, mapped, sizeof mapped) == 0 ? 96 + 24 : 48;
}

static bool addr_in(const struct limit_addr *a, const struct limit_addr *net, uint8_t bits)
{
	return memcmp(a->b, net->b, bits / 8) == 0;
}

static bool live(uint32_t count, int64_t first, int64_t now, const struct limit_config *cfg)
{
	return count > 0 && now - first < cfg->window_ms;
}

struct limiter *limiter_new(const struct limit_config *cfg)
{
	struct limiter *l = xcalloc(1, sizeof *l);
	l->cfg = cfg ? *cfg : limit_defaults;
	l->pairs = xcalloc(l->cfg.pair_slots ? l->cfg.pair_slots : 1, sizeof *l->pairs);
	l->prefixes = xcalloc(l->cfg.prefix_slots ? l->cfg.prefix_slots : 1, sizeof *l->prefixes);
	l->addresses = xcalloc(l->cfg.address_slots ? l->cfg.address_slots : 1, sizeof *l->addresses);
	l->aggregates = xcalloc(l->cfg.address_slots / 4 + 1, sizeof *l->aggregates);
	l->accounts = xcalloc(l->cfg.account_slots ? l->cfg.account_slots : 1, sizeof *l->accounts);
	return l;
}

void limiter_free(struct limiter *l)
{
	if (!l)
		return;
	free(l->pairs);
	free(l->prefixes);
	free(l->addresses);
	free(l->aggregates);
	free(l->accounts);
	free(l);
}

/* The live entry of (account, addr/bits) in table t of n slots, or NULL. */
static struct pair *pair_find(struct pair *t, size_t n, const char *account, const struct limit_addr *addr,
			      uint8_t bits, int64_t now, const struct limit_config *cfg)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].bits == bits && live(t[i].count, t[i].first, now, cfg) && addr_in(addr, &t[i].addr, bits) &&
		    strcmp(t[i].account, account) == 0)
			return &t[i];
	return NULL;
}

/* A slot of t that is free or expired, or NULL when all are in use. */
static struct pair *pair_free(struct pair *t, size_t n, int64_t now, const struct limit_config *cfg)
{
	for (size_t i = 0; i < n; i++)
		if (!live(t[i].count, t[i].first, now, cfg))
			return &t[i];
	return NULL;
}

static struct address *address_find(struct address *t, size_t n, const struct limit_addr *addr, uint8_t bits,
				    int64_t now, const struct limit_config *cfg)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].bits == bits && live(t[i].count, t[i].first, now, cfg) && addr_in(addr, &t[i].addr, bits))
			return &t[i];
	return NULL;
}

static struct address *address_free(struct address *t, size_t n, int64_t now, const struct limit_config *cfg)
{
	for (size_t i = 0; i < n; i++)
		if (!live(t[i].count, t[i].first, now, cfg))
			return &t[i];
	return NULL;
}

static struct account *account_find(struct limiter *l, const char *account, int64_t now, bool create)
{
	struct account *spare = NULL;
	for (size_t i = 0; i < l->cfg.account_slots; i++) {
		struct account *a = &l->accounts[i];
		bool used = live(a->count, a->first, now, &l->cfg) || a->next_ms > now || a->overflow_until > now;
		if (used && strcmp(a->account, account) == 0)
			return a;
		if (!used && !spare)
			spare = a;
	}
	if (!create || !spare)
		return NULL;
	memset(spare, 0, sizeof *spare);
	snprintf(spare->account, sizeof spare->account, "%s", account);
	return spare;
}

static int64_t until_expiry(int64_t first, int64_t now, const struct limit_config *cfg)
{
	return first + cfg->window_ms - now;
}

enum limit_verdict limiter_attempt(struct limiter *l, const char *account, const struct limit_addr *addr,
				   int64_t now, int64_t *wait_ms, const char **why)
{
	const struct limit_config *cfg = &l->cfg;
	*wait_ms = 0;
	*why = "";
	struct address *a = address_find(l->addresses, cfg->address_slots, addr, BITS_EXACT, now, cfg);
	if (a && a->count >= cfg->address_fails) {
		*wait_ms = until_expiry(a->first, now, cfg);
		*why = "too many failed logins from this address";
		return LIMIT_REFUSE;
	}
	struct pair *p = pair_find(l->pairs, cfg->pair_slots, account, addr, BITS_EXACT, now, cfg);
	if (p && p->count >= cfg->pair_fails) {
		*wait_ms = until_expiry(p->first, now, cfg);
		*why = "too many failed logins for this account from this address";
		return LIMIT_REFUSE;
	}
	struct account *acc = account_find(l, account, now, false);
	if (!acc || !live(acc->count, acc->first, now, cfg) || acc->count < cfg->account_hot)
		return LIMIT_GO;
	/* A hot account: one check per spacing_ms, in turn. */
	bool dirty = p || acc->overflow_until > now ||
		     pair_find(l->prefixes, cfg->prefix_slots, account, addr, prefix_bits(addr), now, cfg);
	int64_t slot = acc->next_ms > now ? acc->next_ms : now;
	if (slot - now > cfg->max_wait_ms) {
		if (dirty) {
			*wait_ms = slot - now - cfg->max_wait_ms;
			*why = "too many failed logins for this account; its logins are slowed down";
			return LIMIT_REFUSE;
		}
		slot = now + cfg->max_wait_ms; /* a clean address is always answered */
	}
	if (slot + cfg->spacing_ms > acc->next_ms)
		acc->next_ms = slot + cfg->spacing_ms;
	*wait_ms = slot - now;
	return *wait_ms > 0 ? LIMIT_WAIT : LIMIT_GO;
}

/* Counts a failure in the first table with room: exact, then the prefix,
 * then the overflow bucket. */
static void count_address(struct limiter *l, const struct limit_addr *addr, int64_t now)
{
	const struct limit_config *cfg = &l->cfg;
	size_t n_agg = cfg->address_slots / 4 + 1;
	uint8_t bits = prefix_bits(addr);
	struct address *a = address_find(l->addresses, cfg->address_slots, addr, BITS_EXACT, now, cfg);
	if (!a && (a = address_free(l->addresses, cfg->address_slots, now, cfg)))
		*a = (struct address){*addr, BITS_EXACT, 0, now};
	if (!a && !(a = address_find(l->aggregates, n_agg, addr, bits, now, cfg)) &&
	    (a = address_free(l->aggregates, n_agg, now, cfg))) {
		*a = (struct address){*addr, bits, 0, now};
		memset(a->addr.b + bits / 8, 0, sizeof a->addr.b - bits / 8);
	}
	if (!a) {
		a = &l->overflow;
		if (!live(a->count, a->first, now, cfg))
			*a = (struct address){{{0}}, 0, 0, now};
	}
	a->count++;
}

static void count_pair(struct limiter *l, struct account *acc, const char *account, const struct limit_addr *addr,
		       int64_t now)
{
	const struct limit_config *cfg = &l->cfg;
	uint8_t bits = prefix_bits(addr);
	struct pair *p = pair_find(l->pairs, cfg->pair_slots, account, addr, BITS_EXACT, now, cfg);
	if (!p && (p = pair_free(l->pairs, cfg->pair_slots, now, cfg))) {
		*p = (struct pair){"", *addr, BITS_EXACT, 0, now};
		snprintf(p->account, sizeof p->account, "%s", account);
	}
	if (!p && !(p = pair_find(l->prefixes, cfg->prefix_slots, account, addr, bits, now, cfg)) &&
	    (p = pair_free(l->prefixes, cfg->prefix_slots, now, cfg))) {
		*p = (struct pair){"", *addr, bits, 0, now};
		memset(p->addr.b + bits / 8, 0, sizeof p->addr.b - bits / 8);
		snprintf(p->account, sizeof p->account, "%s", account);
	}
	if (p)
		p->count++;
	else if (acc)
		acc->overflow_until = now + cfg->window_ms;
}

void limiter_failure(struct limiter *l, const char *account, bool exists, const struct limit_addr *addr,
		     int64_t now)
{
	count_address(l, addr, now);
	if (!exists)
		return; /* nothing to protect, and nothing to fill the tables with */
	struct account *acc = account_find(l, account, now, true);
	if (acc) {
		if (!live(acc->count, acc->first, now, &l->cfg)) {
			acc->count = 0;
			acc->first = now;
		}
		acc->count++;
	}
	count_pair(l, acc, account, addr, now);
}

void limiter_success(struct limiter *l, const char *account, const struct limit_addr *addr, int64_t now)
{
	struct pair *p = pair_find(l->pairs, l->cfg.pair_slots, account, addr, BITS_EXACT, now, &l->cfg);
	if (p)
		p->count = 0;
}

size_t limiter_clear(struct limiter *l, const char *account)
{
	size_t n = 0;
	struct {
		struct pair *t;
		size_t n;
	} tables[] = {{l->pairs, l->cfg.pair_slots}, {l->prefixes, l->cfg.prefix_slots}};
	for (size_t k = 0; k < sizeof tables / sizeof tables[0]; k++) {
		for (size_t i = 0; i < tables[k].n; i++) {
			if (tables[k].t[i].count && strcmp(tables[k].t[i].account, account) == 0) {
				tables[k].t[i].count = 0;
				n++;
			}
		}
	}
	for (size_t i = 0; i < l->cfg.account_slots; i++) {
		struct account *a = &l->accounts[i];
		if (strcmp(a->account, account) == 0 && (a->count || a->next_ms || a->overflow_until)) {
			memset(a, 0, sizeof *a);
			n++;
		}
	}
	return n;
}

size_t limiter_entries(struct limiter *l, int64_t now)
{
	const struct limit_config *cfg = &l->cfg;
	size_t n = live(l->overflow.count, l->overflow.first, now, cfg);
	for (size_t i = 0; i < cfg->pair_slots; i++)
		n += live(l->pairs[i].count, l->pairs[i].first, now, cfg);
	for (size_t i = 0; i < cfg->prefix_slots; i++)
		n += live(l->prefixes[i].count, l->prefixes[i].first, now, cfg);
	for (size_t i = 0; i < cfg->address_slots; i++)
		n += live(l->addresses[i].count, l->addresses[i].first, now, cfg);
	for (size_t i = 0; i < cfg->address_slots / 4 + 1; i++)
		n += live(l->aggregates[i].count, l->aggregates[i].first, now, cfg);
	for (size_t i = 0; i < cfg->account_slots; i++)
		n += live(l->accounts[i].count, l->accounts[i].first, now, cfg);
	return n;
}

/* ---- the public pages' request limiter ---- */

#define RATE_PROBES 8
#define MILLI 1000 /* tokens are counted in thousandths of a request */

struct bucket {
	struct limit_addr key;    /* the address, IPv6 cut to its /64 */
	bool used;
	int64_t tokens;           /* thousandths of a request */
	int64_t at;               /* when tokens was last brought up to date */
};

struct rate_limiter {
	struct rate_config cfg;
	struct bucket *slots;
};

struct rate_limiter *rate_new(const struct rate_config *cfg)
{
	struct rate_limiter *r = xcalloc(1, sizeof *r);
	r->cfg = *cfg;
	size_t n = 16;
	while (n < cfg->slots)
		n *= 2;
	r->cfg.slots = n;
	if (r->cfg.burst == 0)
		r->cfg.burst = 1;
	r->slots = xcalloc(n, sizeof *r->slots);
	return r;
}

void rate_free(struct rate_limiter *r)
{
	if (!r)
		return;
	free(r->slots);
	free(r);
}

/* The tokens of b at now, refilled at per_second up to burst. */
static int64_t refilled(const struct rate_limiter *r, const struct bucket *b, int64_t now)
{
	int64_t full = (int64_t)r->cfg.burst * MILLI;
	int64_t elapsed = now > b->at ? now - b->at : 0;
	if (elapsed > full) /* enough to fill any bucket; keeps the product small */
		return full;
	int64_t t = b->tokens + elapsed * (int64_t)r->cfg.per_second;
	return t < full ? t : full;
}

bool rate_take(struct rate_limiter *r, const struct limit_addr *addr, int64_t now, int64_t *retry_ms)
{
	*retry_ms = 0;
	if (r->cfg.per_second == 0)
		return true;
	struct limit_addr key = *addr;
	if (prefix_bits(addr) == 48) /* IPv6: its /64 */
		memset(key.b + 8, 0, 8);
	uint64_t h = 1469598103934665603u;
	for (size_t i = 0; i < sizeof key.b; i++)
		h = (h ^ key.b[i]) * 1099511628211u;
	struct bucket *b = NULL, *spare = NULL;
	int64_t spare_tokens = -1;
	for (size_t p = 0; p < RATE_PROBES; p++) {
		struct bucket *s = &r->slots[(h + p) & (r->cfg.slots - 1)];
		if (s->used && memcmp(&s->key, &key, sizeof key) == 0) {
			b = s;
			break;
		}
		int64_t t = s->used ? refilled(r, s, now) : INT64_MAX;
		if (t > spare_tokens) {
			spare = s;
			spare_tokens = t;
		}
	}
	if (!b) {
		b = spare;
		*b = (struct bucket){key, true, (int64_t)r->cfg.burst * MILLI, now};
	}
	b->tokens = refilled(r, b, now);
	b->at = now;
	if (b->tokens >= MILLI) {
		b->tokens -= MILLI;
		return true;
	}
	*retry_ms = (MILLI - b->tokens + r->cfg.per_second - 1) / r->cfg.per_second;
	return false;
}
