/* Strict CSV (RFC 4180) over an in-memory buffer: character set conversion to
 * UTF-8, parsing into a table with a checked header row, lookups by column
 * name, and quoting for output. No I/O: the caller reads and writes files. */
#ifndef CONTEST_CSV_H
#define CONTEST_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

/* Limits on outside input. A city contest has 30,000 contestants; a paper
 * score import of a large event stays well under a million rows. */
#define CSV_MAX_BYTES  (64u * 1024 * 1024) /* whole input, before and after decoding */
#define CSV_MAX_FIELD  4096u               /* bytes of one field, after unquoting */
#define CSV_MAX_COLS   64u                 /* fields of one record */
#define CSV_MAX_ROWS   1000000u            /* data records, header excluded */

/* Where a CSV error lies. line is the 1-based physical line (0 = not known);
 * column the 1-based field index within the record (0 = the whole line). */
struct csv_loc {
	uint32_t line;
	uint32_t column;
};

/* One field. text is NUL-terminated UTF-8 without NUL bytes, owned by the table. */
struct csv_cell {
	const char *text;
	uint32_t len;            /* bytes, without the NUL */
	uint32_t line;           /* physical line where the field starts */
};

/* A column the caller expects in the header. */
struct csv_column {
	const char *name;
	int required;            /* non-zero: the header must have it */
};

struct csv_table {
	uint32_t n_cols;
	struct csv_cell *header;     /* n_cols names, all distinct */
	uint32_t n_rows;             /* data records (blank and all-empty records are skipped) */
	struct csv_cell *cells;      /* n_rows * n_cols, row-major */
	uint32_t *row_line;          /* n_rows: physical line where each record starts */
	char *text;                  /* storage of every cell's text */
};

/* Whether csv_decode knows encoding (see there); NULL counts as UTF-8. */
int csv_encoding_known(const char *encoding);

/* Whether encoding names UTF-8 ("UTF-8" or "UTF8", case-insensitive); NULL
 * counts as UTF-8. */
bool csv_encoding_is_utf8(const char *encoding);

/* Converts buf (len bytes in encoding "UTF-8", "GBK", "GB18030", "GB2312" or
 * "CP936", case-insensitive; NULL means UTF-8) to UTF-8. UTF-8 input is copied
 * unchanged (csv_parse validates it); the GB encodings are converted with
 * iconv as GB18030, their superset. On success *out is a new NUL-terminated
 * buffer of *out_len bytes; caller frees. Fails with CT_INVALID for an
 * unknown encoding or bytes that are not valid in it (loc->line names the
 * line, the message the byte offset in it), CT_TOO_LARGE over CSV_MAX_BYTES.
 * loc may be NULL. */
enum ct_status csv_decode(const char *buf, size_t len, const char *encoding, char **out,
			  size_t *out_len, struct csv_loc *loc, struct ct_err *err);

/* Parses UTF-8 CSV text: fields separated by ',', records by CRLF or LF;
 * quoted fields may hold ',', '"' (doubled) and line breaks. A leading UTF-8
 * BOM is skipped. The first record is the header; when cols is not NULL,
 * every header name must be one of cols[0..n_cols) and every required one
 * must be present. Header names must be non-empty, distinct and without
 * U+FEFF (an invisible byte order mark would make "code" unknown). Every record
 * must have as many fields as the header, except that empty lines and
 * records whose fields are all empty are skipped. On success *out is a new
 * table; caller frees with csv_free. On failure *loc says where (the line of
 * a bad byte, the line where a ragged record starts) and err says what:
 * CT_INVALID for bad syntax, invalid UTF-8, NUL bytes, header problems;
 * CT_TOO_LARGE when a limit above is exceeded. loc may be NULL. */
enum ct_status csv_parse(const char *buf, size_t len, const struct csv_column *cols,
			 size_t n_cols, struct csv_table **out, struct csv_loc *loc,
			 struct ct_err *err);

/* Frees a table; NULL is a no-op. */
void csv_free(struct csv_table *t);

/* The 0-based index of the header column named name, or -1 when absent. */
int csv_col(const struct csv_table *t, const char *name);

/* The cell of data record row (0-based) in column col (from csv_col), or
 * NULL when col is negative. Borrowed from the table. */
const struct csv_cell *csv_cell(const struct csv_table *t, uint32_t row, int col);

/* A growing CSV text, for output. Zero-initialise; the caller frees buf. */
struct csv_writer {
	char *buf;               /* NUL-terminated once a row is written; NULL before */
	size_t len;              /* bytes, without the NUL */
	size_t cap;              /* bytes allocated */
};

/* Appends one record to w: fields quoted when they contain ',', '"', CR or
 * LF or start or end with a space ('"' doubled inside quotes), separated by
 * ',' and terminated by "\n". NULL fields are written empty. A field that
 * starts with '=', '+', '-', '@', TAB or CR, which a spreadsheet would run
 * as a formula, is written quoted with a "'" in front (as OWASP advises
 * against CSV injection): "=1+1" becomes "'=1+1". */
void csv_write_row(struct csv_writer *w, const char *const *fields, size_t n);

/* Output encodings of csv_encode. */
enum csv_out_encoding {
	CSV_OUT_UTF8,            /* "utf-8": as it is */
	CSV_OUT_UTF8_BOM,        /* "utf-8-bom": a byte order mark first (Excel needs it) */
	CSV_OUT_GBK,             /* "gbk": for Chinese Excel of old */
};

/* Parses an output encoding name ("utf-8", "utf-8-bom" or "gbk", case
 * insensitive; "utf8", "utf8-bom" and "gb18030"... are not accepted).
 * Returns false when it is none of them. */
bool csv_out_encoding_parse(const char *name, enum csv_out_encoding *out);

/* Converts UTF-8 CSV text of len bytes to encoding enc. On success *out is
 * a new buffer of *out_len bytes (NUL-terminated); caller frees. CT_INVALID
 * when a character has no GBK form, naming it and its line. */
enum ct_status csv_encode(const char *text, size_t len, enum csv_out_encoding enc, char **out,
			  size_t *out_len, struct ct_err *err);

#endif
