/* The public pages' documents in a chained hash table keyed by text; a few
 * hundred entries at most (events times versions). */
#include "pubcache.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bodies.h"
#include "store.h"
#include "xmalloc.h"

#define BUCKETS 256

struct entry {
	char *key;
	struct pubdoc doc;
	struct entry *next;
};

struct pubcache {
	struct entry *buckets[BUCKETS];
	struct pubcontest contest;
	bool have_contest;
};

struct pubcache *pubcache_new(void)
{
	return xcalloc(1, sizeof(struct pubcache));
}

static void entry_free(struct entry *e)
{
	free(e->key);
	body_unref(e->doc.body); /* answers being sent hold their own references */
	free(e);
}

void pubcache_free(struct pubcache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < BUCKETS; i++) {
		for (struct entry *e = c->buckets[i], *next; e; e = next) {
			next = e->next;
			entry_free(e);
		}
	}
	free(c);
}

/* The bucket of key. */
static struct entry **bucket(struct pubcache *c, const char *key)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a */
	for (const char *p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211u;
	return &c->buckets[h % BUCKETS];
}

/* Where key's entry is linked (*result NULL when there is none). */
static struct entry **slot(struct pubcache *c, const char *key)
{
	struct entry **e = bucket(c, key);
	while (*e && strcmp((*e)->key, key) != 0)
		e = &(*e)->next;
	return e;
}

const struct pubdoc *pubcache_get(struct pubcache *c, const char *key)
{
	struct entry *e = *slot(c, key);
	return e ? &e->doc : NULL;
}

void pubcache_forget(struct pubcache *c, const char *key)
{
	struct entry **at = slot(c, key);
	if (*at) {
		struct entry *old = *at;
		*at = old->next;
		entry_free(old);
	}
}

const struct pubdoc *pubcache_put(struct pubcache *c, const char *key, const char *text, size_t len)
{
	pubcache_forget(c, key);
	struct entry *e = xcalloc(1, sizeof *e);
	e->key = xstrdup(key);
	e->doc.body = body_new(len);
	memcpy(e->doc.body->data, text, len);
	e->doc.text = e->doc.body->data;
	e->doc.len = len;
	unsigned char sum[16];
	char hex[33];
	crypto_generichash(sum, sizeof sum, (const unsigned char *)text, len, NULL, 0);
	sodium_bin2hex(hex, sizeof hex, sum, sizeof sum);
	snprintf(e->doc.etag, sizeof e->doc.etag, "\"%s\"", hex);
	struct entry **head = bucket(c, key);
	e->next = *head;
	*head = e;
	return &e->doc;
}

enum ct_status pubcache_contest(struct pubcache *c, struct store *st, const struct pubcontest **out,
				struct ct_err *err)
{
	if (!c->have_contest) {
		struct contest_info ci;
		enum ct_status rc = store_contest_get(st, &ci, err);
		if (rc == CT_OK)
			rc = cert_key_set(&c->contest.key, ci.sign_pk, ci.code, err);
		if (rc != CT_OK)
			return rc;
		snprintf(c->contest.code, sizeof c->contest.code, "%s", ci.code);
		snprintf(c->contest.name, sizeof c->contest.name, "%s", ci.name);
		snprintf(c->contest.public_url, sizeof c->contest.public_url, "%s", ci.public_url);
		cert_key_id_format(c->contest.key.id, c->contest.key_id);
		c->have_contest = true;
	}
	*out = &c->contest;
	return CT_OK;
}

const char *pubcache_results_key(char *buf, size_t len, const char *event, unsigned version)
{
	snprintf(buf, len, "results/%s/%u", event, version);
	return buf;
}

const char *pubcache_latest_key(char *buf, size_t len, const char *event)
{
	snprintf(buf, len, "latest/%s", event);
	return buf;
}
