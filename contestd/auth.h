/* Credentials: organizer accounts' secrets, judges' PINs (crypto_pwhash),
 * bearer tokens (random, stored hashed, scoped to an organizer account or a
 * judge) and the failed-login limiter (limit.h), whose waits are served by
 * a libevent timer. */
#ifndef CONTESTD_AUTH_H
#define CONTESTD_AUTH_H

#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>

#include "http.h"
#include "limit.h"
#include "status.h"

#define AUTH_TOKEN_TEXT 64        /* room for a token as text, with its NUL */
#define AUTH_HASH_TEXT crypto_pwhash_STRBYTES

struct auth;

/* A new credential checker on app->base with the limiter configured by
 * limits (NULL for limit_defaults). */
struct auth *auth_new(struct event_base *base, const struct limit_config *limits);
void auth_free(struct auth *a);   /* NULL is a no-op; answer pending logins first (auth_flush) */

/* Hashes a PIN or secret for storage into out (AUTH_HASH_TEXT bytes). */
enum ct_status auth_hash_secret(const char *secret, char out[AUTH_HASH_TEXT], struct ct_err *err);

/* Makes a new organizer secret: 20 random bytes as 32 base32 characters in
 * groups of four separated by '-', into out (at least 48 bytes). */
void auth_new_secret(char *out, size_t len);

/* Whether pin is acceptable as a judge's PIN: 6 to 32 digits. */
bool auth_pin_ok(const char *pin);

/* True when judge (code) exists and pin is the PIN stored for the judge. */
bool auth_pin_matches(struct app *app, const char *judge, const char *pin);

/* Resolves an Authorization header ("Bearer TOKEN") to who made the request:
 * CT_UNAUTHORIZED when missing, unknown, expired or of a disabled account. */
enum ct_status auth_check(struct app *app, const char *header, struct who *who, struct ct_err *err);

/* Revokes the token of the Authorization header (logout), audited. */
enum ct_status auth_logout(struct app *app, const char *header, const char *actor, struct ct_err *err);

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
typedef void (*login_done_fn)(struct request *req, enum ct_status rc, const struct login_result *res,
			      const struct ct_err *err);

/* Logs in an organizer account (organizer; NULL means "admin") with its
 * secret, or a judge (judge code) with the PIN, for req (from req->peer).
 * Failures count towards the limiter. done runs now, or after the wait of
 * a hot account from a libevent timer; the strings must live until then
 * (borrowed from req). */
void auth_login(struct app *app, struct request *req, const char *organizer, const char *judge, const char *secret,
		login_done_fn done);

/* Answers every login still waiting for its turn with 503 (at shutdown). */
void auth_flush(struct app *app);

/* Clears the failed-login lockouts and counts of an account ("judge:J01",
 * "organizer:admin"); returns how many entries were cleared. */
size_t auth_unlock_login(struct app *app, const char *account);

#endif
