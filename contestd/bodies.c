/* Kept answers: a list in order of use (most recent first); a contest has
 * a few hundred of them at most, so a linear search is enough. */
#include "bodies.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

static struct body *body_alloc(size_t len, size_t cap)
{
	struct body *b = xmalloc(sizeof *b + cap + 1);
	b->refs = 1;
	b->len = len;
	b->cap = cap;
	b->etag[0] = '\0';
	b->data[len] = '\0';
	return b;
}

struct body *body_new(size_t len)
{
	return body_alloc(len, len);
}

struct body *body_renew(struct body *b, size_t len)
{
	if (b && b->refs == 1 && b->cap >= len) {
		/* nobody is sending it: fill it again rather than touch new pages */
		b->len = len;
		b->etag[0] = '\0';
		b->data[len] = '\0';
		return b;
	}
	body_unref(b);
	return body_alloc(len, len + len / 8);
}

struct body *body_ref(struct body *b)
{
	b->refs++;
	return b;
}

void body_unref(struct body *b)
{
	if (b && --b->refs == 0)
		free(b);
}

struct entry {
	char *key;
	uint64_t v[2];
	struct body *body;
	struct entry *next;
};

struct bodies {
	struct entry *head;
	size_t bytes, entries, max_bytes;
	uint64_t hits, misses;
};

struct bodies *bodies_new(size_t max_bytes)
{
	struct bodies *c = xcalloc(1, sizeof *c);
	c->max_bytes = max_bytes;
	return c;
}

static void entry_free(struct bodies *c, struct entry *e)
{
	c->bytes -= e->body->len;
	c->entries--;
	body_unref(e->body);
	free(e->key);
	free(e);
}

void bodies_free(struct bodies *c)
{
	if (!c)
		return;
	while (c->head) {
		struct entry *e = c->head;
		c->head = e->next;
		entry_free(c, e);
	}
	free(c);
}

/* Finds key, moving it to the front. */
static struct entry *find(struct bodies *c, const char *key)
{
	for (struct entry **pp = &c->head; *pp; pp = &(*pp)->next) {
		struct entry *e = *pp;
		if (strcmp(e->key, key) == 0) {
			*pp = e->next;
			e->next = c->head;
			c->head = e;
			return e;
		}
	}
	return NULL;
}

struct body *bodies_get(struct bodies *c, const char *key, const uint64_t v[2])
{
	struct entry *e = find(c, key);
	if (e && e->v[0] == v[0] && e->v[1] == v[1]) {
		c->hits++;
		return e->body;
	}
	c->misses++;
	return NULL;
}

void bodies_put(struct bodies *c, const char *key, const uint64_t v[2], struct body *b)
{
	struct entry *e = find(c, key);
	if (e) {
		c->bytes -= e->body->len;
		body_unref(e->body);
	} else {
		e = xcalloc(1, sizeof *e);
		e->key = xstrdup(key);
		e->next = c->head;
		c->head = e;
		c->entries++;
	}
	e->v[0] = v[0];
	e->v[1] = v[1];
	e->body = body_ref(b);
	c->bytes += b->len;
	/* over the bound: drop the least recently used, never the one just kept */
	while (c->bytes > c->max_bytes && c->head->next) {
		struct entry **pp = &c->head;
		while ((*pp)->next)
			pp = &(*pp)->next;
		struct entry *last = *pp;
		*pp = NULL;
		entry_free(c, last);
	}
}

void bodies_forget(struct bodies *c, const char *prefix)
{
	size_t n = strlen(prefix);
	for (struct entry **pp = &c->head; *pp;) {
		struct entry *e = *pp;
		if (strncmp(e->key, prefix, n) == 0) {
			*pp = e->next;
			entry_free(c, e);
		} else {
			pp = &e->next;
		}
	}
}

void bodies_stats(const struct bodies *c, struct bodies_stats *out)
{
	*out = (struct bodies_stats){c->hits, c->misses, c->bytes, c->entries};
}
