/* A growing byte buffer for output built in memory (PNG, SVG, URLs): appends
 * never fail (allocation aborts, see xmalloc.h) and the text stays
 * NUL-terminated so it can be used as a C string. */
#ifndef CONTEST_BUF_H
#define CONTEST_BUF_H

#include <stddef.h>

/* Zero-initialise (struct buf b = {0}); release with buf_free. */
struct buf {
	char *data;  /* NUL-terminated after the first append; NULL before */
	size_t len;  /* bytes, without the NUL */
	size_t cap;  /* bytes allocated */
};

/* Appends n bytes of p (which may hold NULs). */
void buf_append(struct buf *b, const void *p, size_t n);

/* Appends the NUL-terminated string s. */
void buf_puts(struct buf *b, const char *s);

/* Appends formatted text. */
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends s with the five XML special characters (& < > " ') escaped, so it
 * is safe both as element text and inside an attribute value. */
void buf_xml(struct buf *b, const char *s);

/* Empties b and keeps its allocation. */
void buf_reset(struct buf *b);

/* Frees b's storage and zeroes it; a zeroed buffer is a no-op. */
void buf_free(struct buf *b);

#endif
