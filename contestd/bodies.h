/* Encoded answers kept to be served many times: refcounted bodies (an
 * answer being written holds a reference, so a body replaced in the cache
 * lives until it has been sent), and a cache of them by key and version,
 * bounded in bytes, the least recently used dropped first. Event loop
 * thread only. */
#ifndef CONTESTD_BODIES_H
#define CONTESTD_BODIES_H

#include <stddef.h>
#include <stdint.h>

struct body {
	unsigned refs;
	size_t len;
	size_t cap;               /* bytes data has room for */
	char etag[64];            /* quoted entity tag, or "" */
	char data[];              /* len bytes */
};

/* A body of len bytes to fill in, with one reference (the caller's). */
struct body *body_new(size_t len);

/* b itself if nobody else holds it (refs 1: the caller's) and it has room
 * for len bytes, to be filled again; otherwise a new body of len bytes with
 * some room to spare, and b's reference dropped. */
struct body *body_renew(struct body *b, size_t len);

/* Takes a reference; returns b. */
struct body *body_ref(struct body *b);

/* Drops a reference; the last frees b. NULL is a no-op. */
void body_unref(struct body *b);

struct bodies;

struct bodies *bodies_new(size_t max_bytes);
void bodies_free(struct bodies *c); /* NULL is a no-op */

/* The body kept under key for version v (two numbers the caller chooses,
 * e.g. an event's data_version), borrowed (take a reference to keep it),
 * or NULL: none, or made for another version. Counts a hit or a miss. */
struct body *bodies_get(struct bodies *c, const char *key, const uint64_t v[2]);

/* Keeps b under key for version v, replacing what was there (takes a
 * reference of its own). */
void bodies_put(struct bodies *c, const char *key, const uint64_t v[2], struct body *b);

/* Drops what is kept under every key that starts with prefix. */
void bodies_forget(struct bodies *c, const char *prefix);

struct bodies_stats {
	uint64_t hits, misses;
	size_t bytes, entries;
};
void bodies_stats(const struct bodies *c, struct bodies_stats *out);

#endif
