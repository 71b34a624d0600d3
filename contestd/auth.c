/* Login, logout, tokens and their cache, and the limiter's waits on a
 * libevent timer. */
#include "auth.h"

#include <event2/event.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "store.h"
#include "versions.h"
#include "xmalloc.h"

/* PINs are short, so their hash cannot stop an offline search anyway; the
 * limiter does. These costs keep a login around 10 ms so a hall of judges
 * logging in at once does not stall the event loop. */
#define PWHASH_OPS 2
#define PWHASH_MEM (8u << 20)

#define PIN_MIN 6
#define PIN_MAX 32

/* Tokens kept in memory: a table of this many slots (a power of two), far
 * more than the judges and organizers of a contest; a full table starts
 * over. */
#define TOKEN_SLOTS 8192

/* A login waiting for its turn (a hot account). */
struct pending {
	struct auth *auth;
	char peer[64];
	const char *organizer, *judge, *secret; /* borrowed from the caller */
	login_done_fn done;
	void *arg;
	struct event *timer;
	struct pending *next;
};

/* A token as the database had it when it was cached. */
struct cached_token {
	unsigned char hash[32];
	bool used;
	struct token_info info;
};

struct auth {
	struct event_base *base;
	struct store *store;
	struct versions *versions;
	int token_hours;
	struct limiter *limiter;
	struct pending *waiting;
	struct cached_token *tokens; /* TOKEN_SLOTS, open addressing by hash */
	size_t n_tokens;
	uint64_t epoch;           /* versions_tokens() the cache was filled under */
	uint64_t hits, lookups;
};

struct auth *auth_new(struct event_base *base, struct store *st, struct versions *v, int token_hours,
		      const struct limit_config *limits)
{
	struct auth *a = xcalloc(1, sizeof *a);
	a->base = base;
	a->store = st;
	a->versions = v;
	a->token_hours = token_hours;
	a->limiter = limiter_new(limits);
	a->tokens = xcalloc(TOKEN_SLOTS, sizeof *a->tokens);
	return a;
}

void auth_free(struct auth *a)
{
	if (!a)
		return;
	for (struct pending *p = a->waiting, *next; p; p = next) {
		next = p->next;
		event_free(p->timer);
		free(p);
	}
	limiter_free(a->limiter);
	sodium_memzero(a->tokens, TOKEN_SLOTS * sizeof *a->tokens);
	free(a->tokens);
	free(a);
}

enum ct_status auth_hash_secret(const char *secret, char out[AUTH_HASH_TEXT], struct ct_err *err)
{
	if (crypto_pwhash_str(out, secret, strlen(secret), PWHASH_OPS, PWHASH_MEM) != 0)
		return ct_fail(err, CT_INTERNAL, "out of memory hashing a secret");
	return CT_OK;
}

void auth_new_secret(char *out, size_t len)
{
	static const char b32[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	unsigned char raw[20];
	randombytes_buf(raw, sizeof raw);
	size_t o = 0;
	for (int i = 0; i < 32 && o + 2 < len; i++) {
		int bit = i * 5;
		int v = ((raw[bit / 8] << 8 | (bit / 8 + 1 < 20 ? raw[bit / 8 + 1] : 0)) >> (11 - bit % 8)) & 31;
		if (i > 0 && i % 4 == 0)
			out[o++] = '-';
		out[o++] = b32[v];
	}
	out[o] = '\0';
	sodium_memzero(raw, sizeof raw);
}

bool auth_pin_ok(const char *pin)
{
	size_t n = pin ? strlen(pin) : 0;
	if (n < PIN_MIN || n > PIN_MAX)
		return false;
	for (const char *p = pin; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

bool auth_pin_matches(struct store *st, const char *judge, const char *pin)
{
	struct judge_login j;
	if (store_judge_login(st, judge, &j, NULL) != CT_OK)
		return false;
	return crypto_pwhash_str_verify(j.pin_hash, pin, strlen(pin)) == 0;
}

static void token_hash(const char *token, unsigned char hash[32])
{
	crypto_generichash(hash, 32, (const unsigned char *)token, strlen(token), NULL, 0);
}

/* The token of an Authorization header value of len bytes, copied into
 * out, or NULL after setting err. */
static const char *bearer(const char *header, size_t len, char out[AUTH_TOKEN_TEXT], struct ct_err *err)
{
	if (!header || len <= 7 || strncasecmp(header, "Bearer ", 7) != 0) {
		ct_fail(err, CT_UNAUTHORIZED, "send a token: Authorization: Bearer TOKEN (from POST /api/v1/login)");
		return NULL;
	}
	if (len - 7 >= AUTH_TOKEN_TEXT) {
		ct_fail(err, CT_UNAUTHORIZED, "unknown token; log in again");
		return NULL;
	}
	memcpy(out, header + 7, len - 7);
	out[len - 7] = '\0';
	return out;
}

static struct cached_token *slot_of(struct auth *a, const unsigned char hash[32])
{
	size_t i;
	memcpy(&i, hash, sizeof i);
	for (i &= TOKEN_SLOTS - 1;; i = (i + 1) & (TOKEN_SLOTS - 1)) {
		struct cached_token *t = &a->tokens[i];
		if (!t->used || memcmp(t->hash, hash, 32) == 0)
			return t;
	}
}

static void forget_tokens(struct auth *a)
{
	sodium_memzero(a->tokens, TOKEN_SLOTS * sizeof *a->tokens);
	a->n_tokens = 0;
}

/* Keeps a token found in (or just put into) the database. */
static void remember(struct auth *a, const unsigned char hash[32], const struct token_info *t)
{
	if (2 * (a->n_tokens + 1) > TOKEN_SLOTS)
		forget_tokens(a);
	struct cached_token *c = slot_of(a, hash);
	if (!c->used)
		a->n_tokens++;
	memcpy(c->hash, hash, 32);
	c->used = true;
	c->info = *t;
}

enum ct_status auth_check(struct auth *a, const char *header, size_t len, struct who *who, struct ct_err *err)
{
	char text[AUTH_TOKEN_TEXT];
	const char *token = bearer(header, len, text, err);
	if (!token)
		return CT_UNAUTHORIZED;
	unsigned char hash[32];
	token_hash(token, hash);
	sodium_memzero(text, sizeof text);
	/* a revocation committed on any connection empties the cache */
	uint64_t epoch = versions_tokens(a->versions);
	if (epoch != a->epoch) {
		forget_tokens(a);
		a->epoch = epoch;
	}
	struct cached_token *c = slot_of(a, hash);
	struct token_info t;
	int64_t now = (int64_t)time(NULL);
	if (c->used) {
		a->hits++;
		t = c->info;
		if (t.expires <= now)
			return ct_fail(err, CT_UNAUTHORIZED, "token expired; log in again");
	} else {
		a->lookups++;
		enum ct_status rc = store_token_get(a->store, hash, now, &t, err);
		if (rc != CT_OK)
			return rc;
		/* read after the epoch: a revocation committed since shows next time */
		if (versions_tokens(a->versions) == epoch)
			remember(a, hash, &t);
	}
	memset(who, 0, sizeof *who);
	who->admin = t.admin;
	who->judge_id = t.judge_id;
	snprintf(who->judge_code, sizeof who->judge_code, "%s", t.judge_code);
	who->organizer_id = t.organizer_id;
	snprintf(who->organizer, sizeof who->organizer, "%s", t.organizer);
	who->expires = t.expires;
	snprintf(who->actor, sizeof who->actor, "%s:%s", t.admin ? "organizer" : "judge",
		 t.admin ? t.organizer : t.judge_code);
	return CT_OK;
}

enum ct_status auth_logout(struct auth *a, const char *header, const char *actor, struct ct_err *err)
{
	char text[AUTH_TOKEN_TEXT];
	const char *token = bearer(header, header ? strlen(header) : 0, text, err);
	if (!token)
		return CT_UNAUTHORIZED;
	unsigned char hash[32];
	token_hash(token, hash);
	sodium_memzero(text, sizeof text);
	return store_token_revoke(a->store, actor, hash, err);
}

void auth_stats(const struct auth *a, uint64_t *hits, uint64_t *lookups)
{
	*hits = a->hits;
	*lookups = a->lookups;
}

static int64_t monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Checks the credential. *exists: whether the account exists (for the
 * limiter). Unknown accounts cost a hash too and get the same answer as a
 * wrong secret; a disabled account is named only to the right secret. */
static enum ct_status check_secret(struct auth *a, const char *organizer, const char *judge, const char *secret,
				   struct token_info *t, bool *exists, struct ct_err *err)
{
	memset(t, 0, sizeof *t);
	char stored[AUTH_HASH_TEXT] = "";
	bool disabled = false;
	enum ct_status rc;
	if (judge) {
		struct judge_login j;
		rc = store_judge_login(a->store, judge, &j, err);
		if (rc == CT_OK) {
			snprintf(stored, sizeof stored, "%s", j.pin_hash);
			t->judge_id = j.id;
			snprintf(t->judge_code, sizeof t->judge_code, "%s", j.code);
		}
	} else {
		struct organizer_login o;
		rc = store_organizer_login(a->store, organizer, &o, err);
		if (rc == CT_OK) {
			snprintf(stored, sizeof stored, "%s", o.secret_hash);
			t->admin = true;
			t->organizer_id = o.id;
			snprintf(t->organizer, sizeof t->organizer, "%s", o.name);
			disabled = o.disabled;
		}
	}
	*exists = rc == CT_OK;
	if (rc != CT_OK && rc != CT_NOT_FOUND)
		return rc;
	const char *wrong = judge ? "wrong judge code or PIN" : "wrong organizer name or secret";
	if (rc == CT_NOT_FOUND) {
		char dummy[AUTH_HASH_TEXT];
		auth_hash_secret("-", dummy, NULL);
		return ct_fail(err, CT_UNAUTHORIZED, "%s", wrong);
	}
	if (crypto_pwhash_str_verify(stored, secret, strlen(secret)) != 0)
		return ct_fail(err, CT_UNAUTHORIZED, "%s", wrong);
	if (disabled)
		return ct_fail(err, CT_UNAUTHORIZED, "organizer account %s is disabled", organizer);
	return CT_OK;
}

static void account_key(const char *organizer, const char *judge, char *buf, size_t len)
{
	snprintf(buf, len, "%s:%s", judge ? "judge" : "organizer", judge ? judge : organizer);
}

/* Checks the credential now and answers through done. */
static void finish(struct auth *a, const char *peer, const char *organizer, const char *judge, const char *secret,
		   login_done_fn done, void *arg)
{
	struct ct_err err;
	ct_err_clear(&err);
	struct login_result res;
	memset(&res, 0, sizeof res);
	char account[96];
	account_key(organizer, judge, account, sizeof account);
	struct limit_addr addr;
	limit_addr_parse(peer, &addr);
	struct token_info t;
	bool exists = false;
	enum ct_status rc = check_secret(a, organizer, judge, secret, &t, &exists, &err);
	if (rc == CT_UNAUTHORIZED)
		limiter_failure(a->limiter, account, exists, &addr, monotonic_ms());
	if (rc == CT_OK) {
		limiter_success(a->limiter, account, &addr, monotonic_ms());
		unsigned char raw[32], hash[32];
		randombytes_buf(raw, sizeof raw);
		sodium_bin2base64(res.token, AUTH_TOKEN_TEXT, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
		sodium_memzero(raw, sizeof raw);
		token_hash(res.token, hash);
		t.expires = (int64_t)time(NULL) + (int64_t)a->token_hours * 3600;
		res.expires = t.expires;
		res.organizer = t.admin;
		snprintf(res.name, sizeof res.name, "%s", t.admin ? t.organizer : t.judge_code);
		uint64_t epoch = versions_tokens(a->versions);
		rc = store_token_put(a->store, hash, &t, &err);
		if (rc == CT_OK && epoch == a->epoch && versions_tokens(a->versions) == epoch)
			remember(a, hash, &t);
	}
	done(arg, rc, &res, &err);
	sodium_memzero(res.token, sizeof res.token);
}

static void unlink_pending(struct auth *a, struct pending *p)
{
	for (struct pending **pp = &a->waiting; *pp; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	}
	event_free(p->timer);
	free(p);
}

static void on_turn(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct pending *p = arg;
	struct auth *a = p->auth;
	char peer[64];
	memcpy(peer, p->peer, sizeof peer);
	const char *organizer = p->organizer, *judge = p->judge, *secret = p->secret;
	login_done_fn done = p->done;
	void *done_arg = p->arg;
	unlink_pending(a, p);
	finish(a, peer, organizer, judge, secret, done, done_arg);
}

void auth_login(struct auth *a, const char *peer, const char *organizer, const char *judge, const char *secret,
		login_done_fn done, void *arg)
{
	struct ct_err err;
	ct_err_clear(&err);
	if (!judge && !organizer)
		organizer = "admin";
	char account[96];
	account_key(organizer, judge, account, sizeof account);
	struct limit_addr addr;
	limit_addr_parse(peer, &addr);
	int64_t wait_ms = 0;
	const char *why = "";
	enum limit_verdict v = limiter_attempt(a->limiter, account, &addr, monotonic_ms(), &wait_ms, &why);
	if (v == LIMIT_REFUSE) {
		struct login_result res;
		memset(&res, 0, sizeof res);
		res.retry_after = (int)((wait_ms + 999) / 1000);
		ct_fail(&err, CT_RATE_LIMITED, "%s; try again in %d seconds%s", why, res.retry_after,
			judge ? " (an organizer can clear it: judge-cli judge unlock-login CODE)" : "");
		done(arg, CT_RATE_LIMITED, &res, &err);
		return;
	}
	if (v == LIMIT_GO) {
		finish(a, peer, organizer, judge, secret, done, arg);
		return;
	}
	struct pending *p = xcalloc(1, sizeof *p);
	*p = (struct pending){a, "", organizer, judge, secret, done, arg, NULL, a->waiting};
	snprintf(p->peer, sizeof p->peer, "%s", peer);
	p->timer = evtimer_new(a->base, on_turn, p);
	struct timeval tv = {(time_t)(wait_ms / 1000), (suseconds_t)(wait_ms % 1000) * 1000};
	if (!p->timer || evtimer_add(p->timer, &tv) != 0) {
		/* no timer: answer now rather than never */
		if (p->timer)
			event_free(p->timer);
		free(p);
		finish(a, peer, organizer, judge, secret, done, arg);
		return;
	}
	a->waiting = p;
}

void auth_flush(struct auth *a)
{
	while (a && a->waiting) {
		struct pending *p = a->waiting;
		login_done_fn done = p->done;
		void *arg = p->arg;
		unlink_pending(a, p);
		struct ct_err err;
		ct_err_clear(&err);
		struct login_result res;
		memset(&res, 0, sizeof res);
		ct_fail(&err, CT_UNAVAILABLE, "contestd is shutting down; log in again shortly");
		done(arg, CT_UNAVAILABLE, &res, &err);
	}
}

bool auth_idle(const struct auth *a)
{
	return !a->waiting;
}

size_t auth_unlock_login(struct auth *a, const char *account)
{
	return limiter_clear(a->limiter, account);
}
