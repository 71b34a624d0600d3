/* Allocation that cannot fail: out of memory aborts the process (as tmux and
 * redis do), so error paths are kept for real failures. */
#ifndef CONTEST_XMALLOC_H
#define CONTEST_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);                 /* never returns NULL */
void *xcalloc(size_t count, size_t size); /* zeroed; overflow-checked */
void *xreallocarray(void *p, size_t count, size_t size); /* overflow-checked */
/* p, an array of *cap elements of size bytes holding n, with room for one
 * more: when full (n == *cap) reallocated to twice *cap (first when 0). */
void *xgrow(void *p, size_t n, size_t *cap, size_t first, size_t size);
char *xstrdup(const char *s);            /* returns a new string; caller frees */
char *xstrndup(const char *s, size_t n); /* at most n bytes, NUL-terminated */
/* Returns a new formatted string; caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Returns p, an object a library constructor made (libevent's evbuffer_new,
 * event_new...: NULL only when memory runs out); NULL aborts with a message
 * naming what, as xmalloc does. */
void *xmade(void *p, const char *what);
/* Overwrites the string s (a secret: a token, a PIN) with zeros in a way the
 * compiler cannot drop, then frees it; NULL is a no-op. */
void xfree_secret(char *s);
/* Makes jansson allocate through xmalloc, so that running out of memory in
 * the JSON code aborts as it does everywhere else instead of returning NULL
 * from constructors few callers check. Call once at start-up, before any
 * JSON value exists. */
void xmalloc_json(void);

#endif
