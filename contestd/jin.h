/* Decoding request bodies: typed field getters whose errors name the batch
 * row and the field, so a client can point at the exact CSV cell. Strings
 * returned are borrowed from the JSON value. */
#ifndef CONTESTD_JIN_H
#define CONTESTD_JIN_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "status.h"

#define JIN_MAX_ROWS 200000

/* Records an error about field in batch row `row` (0-based) as
 * "row N: field: <fmt>", with the row and field set; with row < 0 just
 * "field: <fmt>". Returns CT_INVALID. */
enum ct_status jin_bad(struct ct_err *err, long row, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The body as rows: an array of objects, or one object (one row). Checks
 * every row is an object and the count is 1..JIN_MAX_ROWS. */
enum ct_status jin_rows(json_t *body, size_t *n, struct ct_err *err);

/* Row i of a body accepted by jin_rows (borrowed). */
json_t *jin_row(json_t *body, size_t i);

/* A request body that must be one JSON object with no key outside the
 * NULL-terminated list `known`. */
enum ct_status jin_body(json_t *body, const char *const *known, struct ct_err *err);

/* Fails if obj has a key not in the NULL-terminated list `known`. */
enum ct_status jin_known(json_t *obj, const char *const *known, long row, struct ct_err *err);

/* A string field of at most max bytes. Absent, null or "" give *out = NULL
 * unless required. */
enum ct_status jin_str(json_t *obj, const char *key, bool required, size_t max, long row, const char **out,
		       struct ct_err *err);

/* A code (event, module, criterion, judge, registration id): 1 to 32
 * characters from A-Z a-z 0-9 - _ . */
enum ct_status jin_code(json_t *obj, const char *key, long row, const char **out, struct ct_err *err);

/* A mark: a string like "7.5" or a JSON integer; never a JSON real.
 * Absent/null/"" gives *out_c = -1 unless required. */
enum ct_status jin_mark(json_t *obj, const char *key, bool required, long row, int64_t *out_c,
			struct ct_err *err);

/* An integer in [min, max] (a JSON integer, or a string of digits).
 * Absent/null/"" gives *out = dflt unless required. */
enum ct_status jin_int(json_t *obj, const char *key, bool required, int64_t min, int64_t max, int64_t dflt,
		       long row, int64_t *out, struct ct_err *err);

/* A text field of a change (PATCH) of at most max bytes: absent gives *out
 * = NULL (leave it as is); null or "" give "" (clear it) when clearable,
 * else an error. */
enum ct_status jin_change(json_t *obj, const char *key, bool clearable, size_t max, const char **out,
			  struct ct_err *err);

/* A mark as a JSON string with exactly two places ("7.50"); new reference. */
json_t *jin_mark_json(int64_t c);

/* Appends s to out as a JSON string (quoted; '"', '\\' and control
 * characters escaped, other bytes as they are: s is UTF-8), for answers
 * written as text rather than built as JSON values. */
struct evbuffer;
void jin_put_string(struct evbuffer *out, const char *s);

/* A JSON string of s, or null when s is NULL; new reference. */
json_t *jin_opt_str(const char *s);

/* A JSON string of a message built in a fixed buffer (snprintf), which a
 * cut may end inside a UTF-8 character: the incomplete character is left
 * out, where json_string would return NULL and drop the whole message. Text
 * invalid elsewhere (a database altered outside contestd) gives a note
 * saying so. New reference, never NULL. */
json_t *jin_text(const char *s);

#endif
