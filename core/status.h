/* The project-wide status of an operation that can fail, and an error record
 * that carries a human message (and, for batch input, where the problem is)
 * from the place that found it to the place that reports it. */
#ifndef CONTEST_STATUS_H
#define CONTEST_STATUS_H

#include <stddef.h>

enum ct_status {
	CT_OK = 0,
	CT_INVALID,      /* bad input: HTTP 400 */
	CT_UNAUTHORIZED, /* no or bad credentials: 401 */
	CT_FORBIDDEN,    /* authenticated but not allowed: 403 */
	CT_NOT_FOUND,    /* 404 */
	CT_CONFLICT,     /* conflicts with the current state: 409 */
	CT_TOO_LARGE,    /* 413 */
	CT_RATE_LIMITED, /* 429 */
	CT_UNAVAILABLE,  /* temporary failure, retry: 503 */
	CT_INTERNAL,     /* a bug or an I/O failure: 500 */
	CT_METHOD_NOT_ALLOWED, /* the path exists, the method does not: 405 */
	CT_UNSUPPORTED_TYPE,   /* a body of a content type the request does not take: 415 */
};

/* Where in a batch (or CSV file) an error lies; -1 / "" when not known. */
struct ct_err {
	char msg[512];
	long index;      /* row index within a batch, 0-based; -1 if none */
	char field[64];  /* field (CSV column name) the error is about, or "" */
};

/* Stable machine-readable name of a status ("invalid", "not_found", ...). */
const char *ct_status_code(enum ct_status st);

/* Clears an error record to "no error, no location". err may be NULL. */
void ct_err_clear(struct ct_err *err);

/* Records a formatted message in err (if not NULL) and returns st, so a
 * failing path reads: return ct_fail(err, CT_INVALID, "bad value %s", s); */
enum ct_status ct_fail(struct ct_err *err, enum ct_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Like ct_fail, also naming the batch row and field the error is about. */
enum ct_status ct_fail_at(struct ct_err *err, enum ct_status st, long index, const char *field,
			  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
