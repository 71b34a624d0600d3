/* Table layout by display width. The width rule is a small subset of Unicode
 * East Asian Width (wide and fullwidth ranges) so that the output does not
 * depend on the locale the CLI happens to run in. */
#include "table.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

struct table {
	size_t n_cols;
	size_t n_rows;           /* including the header row */
	size_t cap;
	char **cells;            /* n_rows * n_cols printable strings */
	bool *right;             /* n_cols */
};

/* Decodes one code point at s; sets *len to the bytes used (1 for an
 * invalid byte, which decodes as U+FFFD). */
static uint32_t next_cp(const unsigned char *s, size_t *len)
{
	unsigned char c = s[0];
	uint32_t cp;
	size_t n;
	if (c < 0x80) {
		*len = 1;
		return c;
	} else if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		cp = c & 0x07;
	} else {
		*len = 1;
		return 0xFFFD;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*len = 1;
			return 0xFFFD;
		}
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	*len = n;
	return cp;
}

static int cp_width(uint32_t cp)
{
	if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x200B && cp <= 0x200F) ||
	    (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0x20D0 && cp <= 0x20FF))
		return 0;
	if ((cp >= 0x1100 && cp <= 0x115F) ||   /* Hangul Jamo */
	    (cp >= 0x2E80 && cp <= 0x303E) ||   /* CJK radicals, punctuation */
	    (cp >= 0x3041 && cp <= 0x33FF) ||   /* kana, CJK compatibility */
	    (cp >= 0x3400 && cp <= 0x4DBF) ||   /* CJK extension A */
	    (cp >= 0x4E00 && cp <= 0x9FFF) ||   /* CJK unified ideographs */
	    (cp >= 0xA000 && cp <= 0xA4CF) ||   /* Yi */
	    (cp >= 0xAC00 && cp <= 0xD7A3) ||   /* Hangul syllables */
	    (cp >= 0xF900 && cp <= 0xFAFF) ||   /* CJK compatibility ideographs */
	    (cp >= 0xFE30 && cp <= 0xFE4F) ||   /* CJK compatibility forms */
	    (cp >= 0xFF00 && cp <= 0xFF60) ||   /* fullwidth forms */
	    (cp >= 0xFFE0 && cp <= 0xFFE6) ||
	    (cp >= 0x1F300 && cp <= 0x1F64F) || /* emoji */
	    (cp >= 0x20000 && cp <= 0x3FFFD))   /* CJK extensions B.. */
		return 2;
	return 1;
}

size_t text_width(const char *s)
{
	size_t w = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		size_t n;
		w += (size_t)cp_width(next_cp(p, &n));
		p += n;
	}
	return w;
}

char *text_printable(const char *s)
{
	size_t n = strlen(s);
	char *out = xmalloc(n + 1);
	size_t o = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		size_t len;
		uint32_t cp = next_cp(p, &len);
		if (cp == '\n' || cp == '\r' || cp == '\t')
			out[o++] = ' ';
		else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0xFFFD)
			out[o++] = '?';
		else {
			memcpy(out + o, p, len);
			o += len;
		}
		p += len;
	}
	out[o] = '\0';
	return out;
}

struct table *table_new(size_t n_cols, const char *const *headers)
{
	struct table *t = xcalloc(1, sizeof *t);
	t->n_cols = n_cols;
	t->right = xcalloc(n_cols, sizeof *t->right);
	table_add(t, headers);
	return t;
}

void table_align_right(struct table *t, size_t col)
{
	if (col < t->n_cols)
		t->right[col] = true;
}

void table_add(struct table *t, const char *const *cells)
{
	if (t->n_rows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->cells = xreallocarray(t->cells, t->cap, t->n_cols * sizeof *t->cells);
	}
	char **row = t->cells + t->n_rows * t->n_cols;
	for (size_t i = 0; i < t->n_cols; i++)
		row[i] = text_printable(cells[i] ? cells[i] : "");
	t->n_rows++;
}

char *table_render(const struct table *t)
{
	size_t *width = xcalloc(t->n_cols, sizeof *width);
	size_t total = 0;
	for (size_t r = 0; r < t->n_rows; r++) {
		for (size_t i = 0; i < t->n_cols; i++) {
			const char *cell = t->cells[r * t->n_cols + i];
			size_t w = text_width(cell);
			if (w > width[i])
				width[i] = w;
			total += strlen(cell);
		}
	}
	size_t line = 1;
	for (size_t i = 0; i < t->n_cols; i++)
		line += width[i] + 2;
	total += t->n_rows * line + 1;

	char *out = xmalloc(total);
	size_t o = 0;
	for (size_t r = 0; r < t->n_rows; r++) {
		size_t line_start = o;
		for (size_t i = 0; i < t->n_cols; i++) {
			const char *cell = t->cells[r * t->n_cols + i];
			size_t pad = width[i] - text_width(cell);
			size_t len = strlen(cell);
			if (i) {
				memcpy(out + o, "  ", 2);
				o += 2;
			}
			if (t->right[i]) {
				memset(out + o, ' ', pad);
				o += pad;
			}
			memcpy(out + o, cell, len);
			o += len;
			if (!t->right[i]) {
				memset(out + o, ' ', pad);
				o += pad;
			}
		}
		while (o > line_start && out[o - 1] == ' ')
			o--;
		out[o++] = '\n';
	}
	out[o] = '\0';
	free(width);
	return out;
}

void table_free(struct table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n_rows * t->n_cols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->right);
	free(t);
}
