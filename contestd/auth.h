/* Credentials: the admin secret, judges' PINs (crypto_pwhash), bearer
 * tokens (random, stored hashed, scoped to a role) and the slow-down of
 * repeated failed logins. */
#ifndef CONTESTD_AUTH_H
#define CONTESTD_AUTH_H

#include <sodium.h>
#include <stdint.h>

#include "http.h"
#include "status.h"

#define AUTH_TOKEN_TEXT 64        /* room for a token as text, with its NUL */
#define AUTH_HASH_TEXT crypto_pwhash_STRBYTES

struct auth;

struct auth *auth_new(void);
void auth_free(struct auth *a);   /* NULL is a no-op */

/* Hashes a PIN or secret for storage into out (AUTH_HASH_TEXT bytes). */
enum ct_status auth_hash_secret(const char *secret, char out[AUTH_HASH_TEXT], struct ct_err *err);

/* Makes a new admin secret: 20 random bytes as 32 base32 characters in
 * groups of four separated by '-', into out (at least 48 bytes). */
void auth_new_secret(char *out, size_t len);

/* Resolves an Authorization header ("Bearer TOKEN") to who made the request:
 * CT_UNAUTHORIZED when missing, unknown or expired. */
enum ct_status auth_check(struct app *app, const char *header, struct who *who, struct ct_err *err);

/* Logs in the admin (judge_code NULL, secret) or a judge (judge_code, PIN)
 * from peer; on success writes a new token into token and its expiry (unix
 * seconds) into *expires. Failures count towards the rate limit; over it,
 * CT_RATE_LIMITED with *retry_after seconds. */
enum ct_status auth_login(struct app *app, const char *peer, const char *judge_code, const char *secret,
			  char token[AUTH_TOKEN_TEXT], int64_t *expires, int *retry_after,
			  struct ct_err *err);

#endif
