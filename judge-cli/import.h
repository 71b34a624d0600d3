/* CSV imports: for each kind (events, criteria, ...) its columns, their
 * types and the endpoint that takes the rows; turning a parsed table into
 * one JSON batch after checking every cell; and mapping an error about a
 * batch row back to FILE:LINE:COLUMN. No I/O. */
#ifndef JUDGECLI_IMPORT_H
#define JUDGECLI_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "csv.h"
#include "status.h"

/* At most this many cell errors are reported for one file. */
#define IMPORT_MAX_ERRORS 20

enum import_type {
	IMP_TEXT,        /* any text */
	IMP_MARK,        /* a mark: up to 2 places (sent as a string) */
	IMP_MAX_MARK,    /* a mark greater than 0 */
	IMP_SECONDS,     /* whole seconds >= 0 (sent as an integer) */
	IMP_PERCENT,     /* whole per cent 0..100 (sent as an integer) */
	IMP_WEIGHT,      /* whole per cent 0..100 (sent as a string, as the CSV has it) */
	IMP_METHOD,      /* a scoring method name */
	IMP_STATUS,      /* a contestant status name */
	IMP_RATIOS,      /* award ratios "10/20/30" */
	IMP_TIEBREAK,    /* tie-break keys "module:B;time" */
	IMP_ROLE,        /* "judge" or "chief" */
	IMP_PIN,         /* 6 to 32 digits */
	IMP_CODE,        /* a code: full-width forms folded to ASCII (input_fold) */
};

enum import_need {
	IMP_REQUIRED,    /* in the header, and no cell empty */
	IMP_COLUMN,      /* in the header; cells may be empty */
	IMP_OPTIONAL,    /* may be missing from the header; cells may be empty */
};

struct import_col {
	const char *name;
	enum import_need need;
	enum import_type type;
};

struct import_kind {
	const char *name;        /* "contestants": the word after `import` */
	const char *path;        /* endpoint, "/api/v1/contestants" */
	const char *count_key;   /* member of the reply that counts what was stored */
	const char *one, *many;  /* what a row is, for "imported 150 contestants" */
	const struct import_col *cols;
	size_t n_cols;
};

/* The kinds' names joined by '|', for usage lines: the names of the kinds
 * table in import.c, in its order (keep the two together). */
#define IMPORT_KIND_NAMES "events|criteria|contestants|judges|checkin|scores"

/* The kind named name, or NULL. */
const struct import_kind *import_kind_find(const char *name);

/* The csv_parse column spec of kind k (static, k->n_cols entries). */
const struct csv_column *import_csv_columns(const struct import_kind *k);

/* Lines of error text, each "FILE:LINE:COLUMN: column: message". */
struct import_report {
	char *lines[IMPORT_MAX_ERRORS];
	size_t n_lines;
	size_t n_errors;         /* all errors found, including unlisted ones */
};

/* Checks every cell of table t (parsed with import_csv_columns(k)) and
 * builds the batch: an array with one object per row, empty cells left out,
 * marks and text as strings, seconds and per cents as integers; numbers and
 * codes folded from full-width forms (input_fold). Two rows of scores with
 * the same event, contestant, criterion and judge are an error naming both
 * lines.
 * file names the file in messages. On success *out is a new JSON array (caller
 * json_decref's it); on CT_INVALID report lists the errors (free with
 * import_report_clear). */
enum ct_status import_build(const struct import_kind *k, const char *file,
			    const struct csv_table *t, json_t **out, struct import_report *report);

/* Whether rows of kind k are sent as CSV (text/csv: a score import, the
 * largest, whose JSON would need ten times the memory) rather than JSON. */
bool import_sends_csv(const struct import_kind *k);

/* import_build for a kind sent as CSV: the same checks (and repeated rows
 * refused the same way), the rows written as CSV text with the columns of
 * k in order, cells folded, row i of the text being row i of t. On success
 * *out is new text of *out_len bytes (caller frees). */
enum ct_status import_build_csv(const struct import_kind *k, const char *file, const struct csv_table *t,
				char **out, size_t *out_len, struct import_report *report);

/* Frees the lines of a report and zeroes it. */
void import_report_clear(struct import_report *report);

/* Formats a server error about batch row index (0-based, -1 = none) and
 * field (may be NULL) as "FILE:LINE:COLUMN: field: message" for the record
 * and cell it came from ("FILE:LINE: message" when the field is not a column,
 * "FILE: message" when the row is unknown). A leading "row N: " that repeats
 * the row is dropped from msg, and any other "row N" of the batch in msg
 * becomes "line L" of the file. Returns a new string; caller frees. */
char *import_locate(const char *file, const struct csv_table *t, long index, const char *field,
		    const char *msg);

/* Formats a CSV decode or parse error at loc as "FILE:LINE:COLUMN: message"
 * ("FILE:LINE: message" without a column, "FILE: message" without a line).
 * Returns a new string; caller frees. */
char *import_locate_csv(const char *file, const struct csv_loc *loc, const char *msg);

#endif
