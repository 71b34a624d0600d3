/* Aligned text tables for the terminal. Widths count display columns, not
 * bytes: Chinese characters take two columns, combining marks none. */
#ifndef JUDGECLI_TABLE_H
#define JUDGECLI_TABLE_H

#include <stdbool.h>
#include <stddef.h>

struct table;

/* Display width of a UTF-8 string: 2 for East Asian wide and fullwidth
 * characters (U+1100.., CJK, Hangul, fullwidth forms...), 0 for combining
 * marks and zero-width characters, 1 otherwise. Invalid bytes count 1. */
size_t text_width(const char *s);

/* Returns a new copy of s that is safe to print on a terminal: line breaks
 * and tabs become spaces, other control characters (C0, DEL, C1) become '?'.
 * Caller frees. */
char *text_printable(const char *s);

/* A new table with n_cols columns titled by headers (copied). Caller frees
 * with table_free. */
struct table *table_new(size_t n_cols, const char *const *headers);

/* Right-aligns column col (numbers). */
void table_align_right(struct table *t, size_t col);

/* Appends a row of n_cols cells (copied; NULL prints as empty). */
void table_add(struct table *t, const char *const *cells);

/* Renders the table: columns separated by two spaces, headers first, no
 * trailing spaces. Returns a new string; caller frees. */
char *table_render(const struct table *t);

/* Frees a table; NULL is a no-op. */
void table_free(struct table *t);

#endif
