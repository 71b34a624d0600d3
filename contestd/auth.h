/* Credentials: organizer accounts' secrets, judges' PINs (crypto_pwhash),
 * bearer tokens (random, stored hashed, scoped to an organizer account or a
 * judge; looked up in memory, where a revocation anywhere empties the
 * cache at once) and the failed-login limiter (limit.h), whose waits are
 * served by a libevent timer. Knows the store, not HTTP. */
#ifndef CONTESTD_AUTH_H
#define CONTESTD_AUTH_H

#include <event2/event.h>
#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "limit.h"
#include "status.h"

#define AUTH_TOKEN_TEXT 64        /* room for a token as text, with its NUL */
#define AUTH_HASH_TEXT crypto_pwhash_STRBYTES

struct auth;
struct store;
struct versions;

/* Who made a request, after authentication. */
struct who {
	bool admin;               /* an organizer account (SPEC's admin role) */
	int64_t judge_id;         /* 0 for an organizer or the public */
	char judge_code[64];
	char actor[80];           /* "organizer:NAME", "judge:J01" or "public" */
	int64_t organizer_id;     /* the organizer account; 0 for a judge or the public */
	char organizer[64];       /* its name */
	int64_t expires;          /* the token's expiry, unix seconds */
};

/* A new credential checker on base, reading and storing tokens in st,
 * told of revocations by v (any connection's commits), issuing tokens
 * valid token_hours, with the limiter configured by limits (NULL for
 * limit_defaults). */
struct auth *auth_new(struct event_base *base, struct store *st, struct versions *v, int token_hours,
		      const struct limit_config *limits);
void auth_free(struct auth *a);   /* NULL is a no-op; answer pending logins first (auth_flush) */

/* Hashes a PIN or secret for storage into out (AUTH_HASH_TEXT bytes). */
enum ct_status auth_hash_secret(const char *secret, char out[AUTH_HASH_TEXT], struct ct_err *err);

/* Makes a new organizer secret: 20 random bytes as 32 base32 characters in
 * groups of four separated by '-', into out (at least 48 bytes). */
void auth_new_secret(char *out, size_t len);

/* Whether pin is acceptable as a judge's PIN: 6 to 32 digits. */
bool auth_pin_ok(const char *pin);

/* True when judge (code) exists in st and pin is the PIN stored for the judge. */
bool auth_pin_matches(struct store *st, const char *judge, const char *pin);

/* Resolves an Authorization header value (len bytes, "Bearer TOKEN") to
 * who made the request: CT_UNAUTHORIZED when missing (NULL), unknown,
 * expired, revoked or of a disabled account. */
enum ct_status auth_check(struct auth *a, const char *header, size_t len, struct who *who, struct ct_err *err);

/* Revokes the token of the Authorization header (logout), audited. */
enum ct_status auth_logout(struct auth *a, const char *header, const char *actor, struct ct_err *err);

/* What a successful login gives. */
struct login_result {
	char token[AUTH_TOKEN_TEXT];
	int64_t expires;          /* unix seconds */
	bool organizer;           /* an organizer account; else a judge */
	char name[64];            /* the account's name or the judge's code */
	int retry_after;          /* with CT_RATE_LIMITED: seconds */
};

/* Called once with the outcome of a login: CT_OK and res, or a failure
 * (CT_RATE_LIMITED with res->retry_after). */
typedef void (*login_done_fn)(void *arg, enum ct_status rc, const struct login_result *res, const struct ct_err *err);

/* Logs in an organizer account (organizer; NULL means "admin") with its
 * secret, or a judge (judge code) with the PIN, from address peer. Failures
 * count towards the limiter. done(arg, ...) runs now, or after the wait of
 * a hot account from a libevent timer; the strings must live until then. */
void auth_login(struct auth *a, const char *peer, const char *organizer, const char *judge, const char *secret,
		login_done_fn done, void *arg);

/* Answers every login still waiting for its turn with 503 (at shutdown). */
void auth_flush(struct auth *a);

/* Whether no login is waiting for its turn. */
bool auth_idle(const struct auth *a);

/* Clears the failed-login lockouts and counts of an account ("judge:J01",
 * "organizer:admin"); returns how many entries were cleared. */
size_t auth_unlock_login(struct auth *a, const char *account);

/* Tokens found in memory and looked up in the database, for /metrics. */
void auth_stats(const struct auth *a, uint64_t *hits, uint64_t *lookups);

#endif
