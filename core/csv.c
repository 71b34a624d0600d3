/* CSV reading and writing for imports and result exports. The parser is a
 * single pass over the buffer that unquotes fields into one arena no larger
 * than the input, so cells never move once written. */
#include "csv.h"

#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xmalloc.h"

static void set_loc(struct csv_loc *loc, uint32_t line, uint32_t column)
{
	if (loc) {
		loc->line = line;
		loc->column = column;
	}
}

/* Line (1-based) and byte offset within that line of offset off in buf. */
static void line_of(const char *buf, size_t off, uint32_t *line, size_t *col)
{
	uint32_t l = 1;
	size_t start = 0;
	for (size_t i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			l++;
			start = i + 1;
		}
	}
	*line = l;
	*col = off - start + 1;
}

bool csv_encoding_is_utf8(const char *encoding)
{
	return !encoding || strcasecmp(encoding, "UTF-8") == 0 || strcasecmp(encoding, "UTF8") == 0;
}

static bool is_gb_name(const char *encoding)
{
	static const char *const names[] = { "GBK", "GB18030", "GB2312", "CP936" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp(encoding, names[i]) == 0)
			return true;
	return false;
}

int csv_encoding_known(const char *encoding)
{
	return csv_encoding_is_utf8(encoding) || is_gb_name(encoding);
}

enum ct_status csv_decode(const char *buf, size_t len, const char *encoding, char **out,
			  size_t *out_len, struct csv_loc *loc, struct ct_err *err)
{
	enum ct_status rc = CT_OK;
	iconv_t cd = (iconv_t)-1;
	char *dst = NULL;

	set_loc(loc, 0, 0);
	if (len > CSV_MAX_BYTES) {
		rc = ct_fail(err, CT_TOO_LARGE, "file is larger than %u bytes", CSV_MAX_BYTES);
		goto out;
	}
	if (csv_encoding_is_utf8(encoding)) {
		dst = xmalloc(len + 1);
		memcpy(dst, buf, len);
		dst[len] = '\0';
		*out = dst;
		*out_len = len;
		dst = NULL;
		goto out;
	}
	if (!is_gb_name(encoding)) {
		rc = ct_fail(err, CT_INVALID, "unknown encoding \"%s\" (use UTF-8 or GBK)", encoding);
		goto out;
	}
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		set_loc(loc, 1, 0);
		rc = ct_fail(err, CT_INVALID,
			     "the file starts with a UTF-8 byte order mark: it is UTF-8, not %s", encoding);
		goto out;
	}
	cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1) {
		rc = ct_fail(err, CT_INTERNAL, "iconv cannot convert GB18030: %s", strerror(errno));
		goto out;
	}
	/* Most GB18030 characters of n bytes become at most 3n/2 bytes of
	 * UTF-8, but some two-byte ones (FE51, FE76...) are in plane 2 and
	 * take four: the buffer grows on E2BIG below. */
	size_t cap = len + len / 2 + 16;
	dst = xmalloc(cap);
	char *in = (char *)buf; /* iconv's prototype is not const-correct */
	size_t in_left = len;
	char *o = dst;
	size_t o_left = cap - 1;
	while (in_left > 0) {
		if (iconv(cd, &in, &in_left, &o, &o_left) != (size_t)-1)
			break;
		if (errno == E2BIG) {
			size_t used = (size_t)(o - dst);
			cap *= 2;
			dst = xreallocarray(dst, cap, 1);
			o = dst + used;
			o_left = cap - used - 1;
			continue;
		}
		size_t off = (size_t)(in - buf);
		uint32_t line;
		size_t col;
		line_of(buf, off, &line, &col);
		set_loc(loc, line, 0);
		unsigned char b0 = (unsigned char)buf[off];
		if (errno == EINVAL || in_left < 2)
			rc = ct_fail(err, CT_INVALID, "incomplete %s character 0x%02X at byte %zu of the line",
				     encoding, b0, col);
		else
			rc = ct_fail(err, CT_INVALID,
				     "invalid %s byte sequence 0x%02X 0x%02X at byte %zu of the line",
				     encoding, b0, (unsigned char)buf[off + 1], col);
		goto out;
	}
	*o = '\0';
	if ((size_t)(o - dst) > CSV_MAX_BYTES) {
		rc = ct_fail(err, CT_TOO_LARGE, "file is larger than %u bytes once converted to UTF-8",
			     CSV_MAX_BYTES);
		goto out;
	}
	*out_len = (size_t)(o - dst);
	*out = dst;
	dst = NULL;
out:
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	free(dst);
	return rc;
}

/* Offset of the first byte of s[0..n) that is not part of well-formed UTF-8
 * (no overlongs, surrogates or code points above U+10FFFF), or n. */
static size_t utf8_bad(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		size_t k;
		unsigned char lo = 0x80, hi = 0xBF;
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			k = 1;
		} else if (c >= 0xE0 && c <= 0xEF) {
			k = 2;
			if (c == 0xE0)
				lo = 0xA0;
			else if (c == 0xED)
				hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			k = 3;
			if (c == 0xF0)
				lo = 0x90;
			else if (c == 0xF4)
				hi = 0x8F;
		} else {
			return i;
		}
		if (i + k >= n) /* truncated sequence */
			return i;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return i;
		for (size_t j = 2; j <= k; j++)
			if (s[i + j] < 0x80 || s[i + j] > 0xBF)
				return i;
		i += k + 1;
	}
	return n;
}

/* The parser's working state. */
struct parser {
	const char *p, *end;
	uint32_t line;           /* current physical line */
	char *arena;             /* unquoted text, NUL-separated */
	size_t used;
	struct csv_cell rec[CSV_MAX_COLS];
	uint32_t n_rec;
};

static bool at_eol(const struct parser *ps)
{
	return ps->p < ps->end &&
	       (*ps->p == '\n' || (*ps->p == '\r' && ps->p + 1 < ps->end && ps->p[1] == '\n'));
}

/* Appends byte c to the field being read, which started at field. */
static enum ct_status put(struct parser *ps, const char *field, char c, uint32_t column,
			  struct csv_loc *loc, struct ct_err *err)
{
	if (c == '\0') {
		set_loc(loc, ps->line, column);
		return ct_fail(err, CT_INVALID, "NUL byte in field (is this a UTF-16 file? save it as UTF-8)");
	}
	if ((size_t)(ps->arena + ps->used - field) >= CSV_MAX_FIELD) {
		set_loc(loc, ps->line, column);
		return ct_fail(err, CT_TOO_LARGE, "field is longer than %u bytes", CSV_MAX_FIELD);
	}
	ps->arena[ps->used++] = c;
	return CT_OK;
}

/* Reads one field at ps->p into the arena and ps->rec. */
static enum ct_status read_field(struct parser *ps, struct csv_loc *loc, struct ct_err *err)
{
	enum ct_status rc = CT_OK;
	uint32_t column = ps->n_rec + 1;
	uint32_t start_line = ps->line;
	char *field = ps->arena + ps->used;

	if (ps->n_rec >= CSV_MAX_COLS) {
		set_loc(loc, ps->line, column);
		return ct_fail(err, CT_TOO_LARGE, "record has more than %u fields", CSV_MAX_COLS);
	}
	if (ps->p < ps->end && *ps->p == '"') {
		ps->p++;
		for (;;) {
			if (ps->p == ps->end) {
				set_loc(loc, start_line, column);
				return ct_fail(err, CT_INVALID,
					       "quoted field is not closed (a \" is missing)");
			}
			char c = *ps->p;
			if (c == '"') {
				if (ps->p + 1 < ps->end && ps->p[1] == '"') {
					ps->p += 2;
				} else {
					ps->p++;
					break;
				}
			} else {
				ps->p++;
			}
			if ((rc = put(ps, field, c, column, loc, err)) != CT_OK)
				return rc;
			if (c == '\n')
				ps->line++;
		}
		if (ps->p < ps->end && *ps->p != ',' && !at_eol(ps)) {
			set_loc(loc, ps->line, column);
			return ct_fail(err, CT_INVALID,
				       "unexpected character after the closing quote of a field "
				       "(a \" inside a quoted field must be doubled)");
		}
	} else {
		while (ps->p < ps->end && *ps->p != ',' && !at_eol(ps)) {
			char c = *ps->p;
			if (c == '"') {
				set_loc(loc, ps->line, column);
				return ct_fail(err, CT_INVALID,
					       "quote inside an unquoted field (quote the whole field "
					       "and double the \")");
			}
			if (c == '\r') {
				set_loc(loc, ps->line, column);
				return ct_fail(err, CT_INVALID, "carriage return without line feed");
			}
			if ((rc = put(ps, field, c, column, loc, err)) != CT_OK)
				return rc;
			ps->p++;
		}
	}

	size_t len = (size_t)(ps->arena + ps->used - field);
	size_t bad = utf8_bad((const unsigned char *)field, len);
	if (bad < len) {
		uint32_t line = start_line;
		for (size_t i = 0; i < bad; i++)
			if (field[i] == '\n')
				line++;
		set_loc(loc, line, column);
		return ct_fail(err, CT_INVALID,
			       "invalid UTF-8 byte 0x%02X (byte %zu of the field)",
			       (unsigned char)field[bad], bad + 1);
	}
	ps->arena[ps->used++] = '\0';
	ps->rec[ps->n_rec].text = field;
	ps->rec[ps->n_rec].len = (uint32_t)len;
	ps->rec[ps->n_rec].line = start_line;
	ps->n_rec++;
	return CT_OK;
}

/* Reads one record at ps->p (not at a blank line) into ps->rec. */
static enum ct_status read_record(struct parser *ps, struct csv_loc *loc, struct ct_err *err)
{
	enum ct_status rc;
	ps->n_rec = 0;
	for (;;) {
		if ((rc = read_field(ps, loc, err)) != CT_OK)
			return rc;
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end) { /* at a line end */
			if (*ps->p == '\r')
				ps->p++;
			ps->p++;
			ps->line++;
		}
		return CT_OK;
	}
}

static bool record_empty(const struct parser *ps)
{
	for (uint32_t i = 0; i < ps->n_rec; i++)
		if (ps->rec[i].len)
			return false;
	return true;
}

/* Checks the header record and stores it in t. */
static enum ct_status take_header(struct parser *ps, struct csv_table *t, uint32_t line,
				  const struct csv_column *cols, size_t n_cols,
				  struct csv_loc *loc, struct ct_err *err)
{
	for (uint32_t i = 0; i < ps->n_rec; i++) {
		const struct csv_cell *h = &ps->rec[i];
		if (h->len == 0) {
			set_loc(loc, h->line, i + 1);
			return ct_fail(err, CT_INVALID, "empty column name in the header");
		}
		/* A second BOM (a file saved as UTF-8 twice) would otherwise
		 * make "unknown column "code"" of a header that reads "code". */
		if (strstr(h->text, "\xEF\xBB\xBF")) {
			set_loc(loc, h->line, i + 1);
			return ct_fail(err, CT_INVALID,
				       "column name contains an invisible byte order mark (U+FEFF); "
				       "remove it (was the file saved as UTF-8 twice?)");
		}
		for (uint32_t j = 0; j < i; j++) {
			if (strcmp(ps->rec[j].text, h->text) == 0) {
				set_loc(loc, h->line, i + 1);
				return ct_fail(err, CT_INVALID, "duplicate column \"%s\" (also column %u)",
					       h->text, j + 1);
			}
		}
		if (!cols)
			continue;
		size_t k = 0;
		while (k < n_cols && strcmp(cols[k].name, h->text) != 0)
			k++;
		if (k == n_cols) {
			char known[512];
			size_t off = 0;
			known[0] = '\0';
			for (k = 0; k < n_cols && off < sizeof known; k++) {
				int n = snprintf(known + off, sizeof known - off, "%s%s", k ? ", " : "",
						 cols[k].name);
				if (n < 0)
					break;
				off += (size_t)n;
			}
			set_loc(loc, h->line, i + 1);
			return ct_fail(err, CT_INVALID, "unknown column \"%s\" (expected: %s)", h->text,
				       known);
		}
	}
	for (size_t k = 0; cols && k < n_cols; k++) {
		if (!cols[k].required)
			continue;
		uint32_t i = 0;
		while (i < ps->n_rec && strcmp(ps->rec[i].text, cols[k].name) != 0)
			i++;
		if (i == ps->n_rec) {
			set_loc(loc, line, 0);
			return ct_fail(err, CT_INVALID, "missing column \"%s\" in the header", cols[k].name);
		}
	}
	t->n_cols = ps->n_rec;
	t->header = xcalloc(ps->n_rec, sizeof *t->header);
	memcpy(t->header, ps->rec, ps->n_rec * sizeof *t->header);
	return CT_OK;
}

enum ct_status csv_parse(const char *buf, size_t len, const struct csv_column *cols,
			 size_t n_cols, struct csv_table **out, struct csv_loc *loc,
			 struct ct_err *err)
{
	enum ct_status rc = CT_OK;
	struct csv_table *t = xcalloc(1, sizeof *t);
	struct parser *ps = xcalloc(1, sizeof *ps);
	size_t cap_rows = 0;

	set_loc(loc, 0, 0);
	if (len > CSV_MAX_BYTES) {
		rc = ct_fail(err, CT_TOO_LARGE, "file is larger than %u bytes", CSV_MAX_BYTES);
		goto out;
	}
	ps->p = buf;
	ps->end = buf + len;
	ps->line = 1;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		ps->p += 3;
	/* Unquoted text plus one NUL per field never outgrows the input + 1. */
	t->text = xmalloc(len + 1);
	ps->arena = t->text;

	bool have_header = false;
	while (ps->p < ps->end) {
		if (at_eol(ps)) { /* blank line */
			ps->p += *ps->p == '\r' ? 2 : 1;
			ps->line++;
			continue;
		}
		uint32_t line = ps->line;
		if ((rc = read_record(ps, loc, err)) != CT_OK)
			goto out;
		if (!have_header) {
			if ((rc = take_header(ps, t, line, cols, n_cols, loc, err)) != CT_OK)
				goto out;
			have_header = true;
			continue;
		}
		if (record_empty(ps))
			continue;
		if (ps->n_rec != t->n_cols) {
			set_loc(loc, line, 0);
			rc = ct_fail(err, CT_INVALID, "record has %u field%s, the header has %u",
				     ps->n_rec, ps->n_rec == 1 ? "" : "s", t->n_cols);
			goto out;
		}
		if (t->n_rows >= CSV_MAX_ROWS) {
			set_loc(loc, line, 0);
			rc = ct_fail(err, CT_TOO_LARGE, "more than %u records", CSV_MAX_ROWS);
			goto out;
		}
		if (t->n_rows == cap_rows) {
			cap_rows = cap_rows ? cap_rows * 2 : 64;
			t->cells = xreallocarray(t->cells, cap_rows, t->n_cols * sizeof *t->cells);
			t->row_line = xreallocarray(t->row_line, cap_rows, sizeof *t->row_line);
		}
		memcpy(t->cells + (size_t)t->n_rows * t->n_cols, ps->rec,
		       t->n_cols * sizeof *t->cells);
		t->row_line[t->n_rows++] = line;
	}
	if (!have_header) {
		set_loc(loc, 1, 0);
		rc = ct_fail(err, CT_INVALID, "the file is empty: a header row is required");
		goto out;
	}
	*out = t;
	t = NULL;
out:
	free(ps);
	csv_free(t);
	return rc;
}

void csv_free(struct csv_table *t)
{
	if (!t)
		return;
	free(t->header);
	free(t->cells);
	free(t->row_line);
	free(t->text);
	free(t);
}

int csv_col(const struct csv_table *t, const char *name)
{
	for (uint32_t i = 0; i < t->n_cols; i++)
		if (strcmp(t->header[i].text, name) == 0)
			return (int)i;
	return -1;
}

const struct csv_cell *csv_cell(const struct csv_table *t, uint32_t row, int col)
{
	if (col < 0 || (uint32_t)col >= t->n_cols || row >= t->n_rows)
		return NULL;
	return &t->cells[(size_t)row * t->n_cols + (size_t)col];
}

/* Whether a spreadsheet would take field s for a formula. */
static bool formula_like(const char *s)
{
	return s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
}

static bool needs_quotes(const char *s)
{
	size_t n = strlen(s);
	if (n && (s[0] == ' ' || s[n - 1] == ' '))
		return true;
	return formula_like(s) || strpbrk(s, ",\"\r\n") != NULL;
}

void csv_write_row(struct csv_writer *w, const char *const *fields, size_t n)
{
	size_t need = 2;
	for (size_t i = 0; i < n; i++) {
		const char *f = fields[i] ? fields[i] : "";
		need += 4 + strlen(f);
		for (const char *q = f; (q = strchr(q, '"')) != NULL; q++)
			need++;
	}
	if (w->len + need > w->cap) {
		size_t cap = w->cap ? w->cap : 4096;
		while (cap < w->len + need)
			cap *= 2;
		w->buf = xreallocarray(w->buf, cap, 1);
		w->cap = cap;
	}
	char *o = w->buf + w->len;
	for (size_t i = 0; i < n; i++) {
		const char *f = fields[i] ? fields[i] : "";
		if (i)
			*o++ = ',';
		if (!needs_quotes(f)) {
			size_t fl = strlen(f);
			memcpy(o, f, fl);
			o += fl;
			continue;
		}
		*o++ = '"';
		if (formula_like(f))
			*o++ = '\'';
		for (; *f; f++) {
			if (*f == '"')
				*o++ = '"';
			*o++ = *f;
		}
		*o++ = '"';
	}
	*o++ = '\n';
	*o = '\0';
	w->len = (size_t)(o - w->buf);
}

bool csv_out_encoding_parse(const char *name, enum csv_out_encoding *out)
{
	if (!name)
		return false;
	if (strcasecmp(name, "utf-8") == 0)
		*out = CSV_OUT_UTF8;
	else if (strcasecmp(name, "utf-8-bom") == 0)
		*out = CSV_OUT_UTF8_BOM;
	else if (strcasecmp(name, "gbk") == 0)
		*out = CSV_OUT_GBK;
	else
		return false;
	return true;
}

/* The code point of the UTF-8 sequence at s (valid UTF-8), its length in *n. */
static uint32_t utf8_at(const unsigned char *s, size_t *n)
{
	if (s[0] < 0x80) {
		*n = 1;
		return s[0];
	}
	size_t len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : 2;
	uint32_t cp = s[0] & (0x7F >> len);
	for (size_t i = 1; i < len && s[i]; i++)
		cp = (cp << 6) | (s[i] & 0x3F);
	*n = len;
	return cp;
}

enum ct_status csv_encode(const char *text, size_t len, enum csv_out_encoding enc, char **out,
			  size_t *out_len, struct ct_err *err)
{
	enum ct_status rc = CT_OK;
	iconv_t cd = (iconv_t)-1;
	char *dst = NULL;

	if (enc != CSV_OUT_GBK) {
		size_t bom = enc == CSV_OUT_UTF8_BOM ? 3 : 0;
		dst = xmalloc(len + bom + 1);
		memcpy(dst, "\xEF\xBB\xBF", bom);
		memcpy(dst + bom, text, len);
		dst[len + bom] = '\0';
		*out = dst;
		*out_len = len + bom;
		return CT_OK;
	}
	cd = iconv_open("GBK", "UTF-8");
	if (cd == (iconv_t)-1) {
		rc = ct_fail(err, CT_INTERNAL, "iconv cannot convert to GBK: %s", strerror(errno));
		goto out;
	}
	/* GBK takes at most as many bytes as UTF-8 for every character */
	dst = xmalloc(len + 1);
	char *in = (char *)text; /* iconv's prototype is not const-correct */
	size_t in_left = len;
	char *o = dst;
	size_t o_left = len;
	if (iconv(cd, &in, &in_left, &o, &o_left) == (size_t)-1 && errno != EILSEQ) {
		rc = ct_fail(err, CT_INTERNAL, "cannot convert to GBK: %s", strerror(errno));
		goto out;
	}
	if (in_left > 0) {
		size_t off = (size_t)(in - text), n;
		uint32_t line, cp = utf8_at((const unsigned char *)in, &n);
		size_t col;
		line_of(text, off, &line, &col);
		rc = ct_fail(err, CT_INVALID,
			     "line %u: the character \"%.*s\" (U+%04X) cannot be written in GBK; use "
			     "--encoding utf-8-bom, which Excel opens as well",
			     line, (int)n, in, (unsigned)cp);
		goto out;
	}
	*o = '\0';
	*out_len = (size_t)(o - dst);
	*out = dst;
	dst = NULL;
out:
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	free(dst);
	return rc;
}
