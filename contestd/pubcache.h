/* What the public pages are answered from: documents encoded once (a
 * published version of an event's results, the list of published events,
 * the signed revocation list) kept in memory by key with their ETags, and
 * the contest's name and verification key. Published versions never change,
 * so they are kept until contestd stops; the handlers that change what the
 * other documents say (publish, unlock, finalize, revoke) forget them. */
#ifndef CONTESTD_PUBCACHE_H
#define CONTESTD_PUBCACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "cert.h"
#include "status.h"

struct store;

#define PUBCACHE_ETAG 36 /* "\"" 32 hex digits "\"" and the NUL */

/* One cached document. */
struct body;
struct pubdoc {
	const char *text;         /* body's bytes, NUL-terminated */
	size_t len;
	struct body *body;        /* holds text (bodies.h): an answer sends it without a copy */
	char etag[PUBCACHE_ETAG]; /* a quoted hash of text */
};

/* The contest as the public pages show it and verify against. */
struct pubcontest {
	char code[64];
	char name[256];
	char public_url[512];
	struct cert_key key;      /* the contest's verification key */
	char key_id[CERT_KEY_ID_TEXT];
};

struct pubcache;

struct pubcache *pubcache_new(void);
void pubcache_free(struct pubcache *c); /* NULL is a no-op */

/* The document cached under key, or NULL. */
const struct pubdoc *pubcache_get(struct pubcache *c, const char *key);

/* Caches a copy of text[0..len) under key (replacing any) and returns it. */
const struct pubdoc *pubcache_put(struct pubcache *c, const char *key, const char *text, size_t len);

/* Forgets the document under key (nothing when there is none). */
void pubcache_forget(struct pubcache *c, const char *key);

/* The contest, read from the store on first use and kept (the contest's
 * name, URL and key change only at a start). Borrowed from the cache. */
enum ct_status pubcache_contest(struct pubcache *c, struct store *st, const struct pubcontest **out,
				struct ct_err *err);

/* Cache keys. */
#define PUBCACHE_EVENTS "events"           /* the list of published events */
#define PUBCACHE_REVOCATIONS "revocations" /* the signed revocation list */

/* The key of version (1, 2, ...) of event's published results, written
 * into buf of len bytes (96 hold any). */
const char *pubcache_results_key(char *buf, size_t len, const char *event, unsigned version);

/* The key of the number of event's latest version (its text, "2"). */
const char *pubcache_latest_key(char *buf, size_t len, const char *event);

#endif
