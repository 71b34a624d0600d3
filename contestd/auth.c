/* Login, tokens and the failed-login limiter. */
#include "auth.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "store.h"
#include "xmalloc.h"

/* Failed logins are counted per client address and per judge code; after
 * LIMIT_FAILS within LIMIT_WINDOW_S seconds further attempts are refused
 * until the window has passed. The table is bounded: the oldest entry goes. */
#define LIMIT_FAILS 5
#define LIMIT_WINDOW_S 900
#define LIMIT_SLOTS 1024

/* PINs are short, so their hash cannot stop an offline search anyway; the
 * limiter does. These costs keep a login around 10 ms so a hall of judges
 * logging in at once does not stall the event loop. */
#define PWHASH_OPS 2
#define PWHASH_MEM (8u << 20)

struct failure {
	char key[80];
	int count;
	time_t first;
};

struct auth {
	struct failure slots[LIMIT_SLOTS];
};

struct auth *auth_new(void)
{
	return xcalloc(1, sizeof(struct auth));
}

void auth_free(struct auth *a)
{
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

static void token_hash(const char *token, unsigned char hash[32])
{
	crypto_generichash(hash, 32, (const unsigned char *)token, strlen(token), NULL, 0);
}

enum ct_status auth_check(struct app *app, const char *header, struct who *who, struct ct_err *err)
{
	if (!header || strncasecmp(header, "Bearer ", 7) != 0 || !header[7])
		return ct_fail(err, CT_UNAUTHORIZED, "send a token: Authorization: Bearer TOKEN (from POST /api/v1/login)");
	const char *token = header + 7;
	if (strlen(token) >= AUTH_TOKEN_TEXT)
		return ct_fail(err, CT_UNAUTHORIZED, "unknown token; log in again");
	unsigned char hash[32];
	token_hash(token, hash);
	struct token_info t;
	enum ct_status rc = store_token_get(app->store, hash, (int64_t)time(NULL), &t, err);
	if (rc != CT_OK)
		return rc;
	memset(who, 0, sizeof *who);
	who->admin = t.admin;
	who->judge_id = t.judge_id;
	snprintf(who->judge_code, sizeof who->judge_code, "%s", t.judge_code);
	snprintf(who->actor, sizeof who->actor, "%s%s", t.admin ? "admin" : "judge:", t.admin ? "" : t.judge_code);
	return CT_OK;
}

static struct failure *slot(struct auth *a, const char *key, bool create, time_t now)
{
	struct failure *oldest = &a->slots[0];
	for (size_t i = 0; i < LIMIT_SLOTS; i++) {
		struct failure *f = &a->slots[i];
		if (f->key[0] && now - f->first >= LIMIT_WINDOW_S)
			f->key[0] = '\0'; /* expired */
		if (f->key[0] && strcmp(f->key, key) == 0)
			return f;
		if (!f->key[0] || f->first < oldest->first)
			oldest = f;
	}
	if (!create)
		return NULL;
	snprintf(oldest->key, sizeof oldest->key, "%s", key);
	oldest->count = 0;
	oldest->first = now;
	return oldest;
}

static int blocked_for(struct auth *a, const char *key, time_t now)
{
	struct failure *f = slot(a, key, false, now);
	if (f && f->count >= LIMIT_FAILS)
		return (int)(LIMIT_WINDOW_S - (now - f->first));
	return 0;
}

static void count_failure(struct auth *a, const char *key, time_t now)
{
	slot(a, key, true, now)->count++;
}

static enum ct_status check_secret(struct app *app, const char *judge_code, const char *secret,
				   struct token_info *t, struct ct_err *err)
{
	memset(t, 0, sizeof *t);
	char stored[AUTH_HASH_TEXT];
	enum ct_status rc;
	if (judge_code) {
		struct judge_login j;
		rc = store_judge_login(app->store, judge_code, &j, err);
		if (rc == CT_NOT_FOUND) {
			/* Same answer and similar cost as a wrong PIN. */
			char dummy[AUTH_HASH_TEXT];
			auth_hash_secret("-", dummy, NULL);
			return ct_fail(err, CT_UNAUTHORIZED, "wrong judge code or PIN");
		}
		if (rc != CT_OK)
			return rc;
		snprintf(stored, sizeof stored, "%s", j.pin_hash);
		t->judge_id = j.id;
		snprintf(t->judge_code, sizeof t->judge_code, "%s", j.code);
	} else {
		rc = store_admin_hash(app->store, stored, sizeof stored, err);
		if (rc != CT_OK)
			return rc;
		t->admin = true;
	}
	if (crypto_pwhash_str_verify(stored, secret, strlen(secret)) != 0)
		return ct_fail(err, CT_UNAUTHORIZED, judge_code ? "wrong judge code or PIN" : "wrong admin secret");
	return CT_OK;
}

enum ct_status auth_login(struct app *app, const char *peer, const char *judge_code, const char *secret,
			  char token[AUTH_TOKEN_TEXT], int64_t *expires, int *retry_after,
			  struct ct_err *err)
{
	time_t now = time(NULL);
	char peer_key[80], who_key[80];
	snprintf(peer_key, sizeof peer_key, "addr:%s", peer);
	snprintf(who_key, sizeof who_key, "who:%s", judge_code ? judge_code : "(admin)");
	int wait = blocked_for(app->auth, peer_key, now);
	int wait2 = blocked_for(app->auth, who_key, now);
	*retry_after = wait > wait2 ? wait : wait2;
	if (*retry_after > 0)
		return ct_fail(err, CT_RATE_LIMITED, "too many failed logins; try again in %d seconds", *retry_after);

	struct token_info t;
	enum ct_status rc = check_secret(app, judge_code, secret, &t, err);
	if (rc == CT_UNAUTHORIZED) {
		count_failure(app->auth, peer_key, now);
		count_failure(app->auth, who_key, now);
	}
	if (rc != CT_OK)
		return rc;

	unsigned char raw[32], hash[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(token, AUTH_TOKEN_TEXT, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
	token_hash(token, hash);
	t.expires = (int64_t)now + (int64_t)app->cfg.token_hours * 3600;
	*expires = t.expires;
	return store_token_put(app->store, hash, &t, err);
}
