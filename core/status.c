/* Status names and error records shared by every module. */
#include "status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *ct_status_code(enum ct_status st)
{
	switch (st) {
	case CT_OK: return "ok";
	case CT_INVALID: return "invalid";
	case CT_UNAUTHORIZED: return "unauthorized";
	case CT_FORBIDDEN: return "forbidden";
	case CT_NOT_FOUND: return "not_found";
	case CT_CONFLICT: return "conflict";
	case CT_TOO_LARGE: return "too_large";
	case CT_RATE_LIMITED: return "rate_limited";
	case CT_UNAVAILABLE: return "unavailable";
	case CT_INTERNAL: return "internal";
	case CT_METHOD_NOT_ALLOWED: return "method_not_allowed";
	case CT_UNSUPPORTED_TYPE: return "unsupported_media_type";
	}
	return "internal";
}

void ct_err_clear(struct ct_err *err)
{
	if (!err)
		return;
	err->msg[0] = '\0';
	err->index = -1;
	err->field[0] = '\0';
}

static void set_msg(struct ct_err *err, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void set_msg(struct ct_err *err, const char *fmt, va_list ap)
{
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
}

enum ct_status ct_fail(struct ct_err *err, enum ct_status st, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		set_msg(err, fmt, ap);
		va_end(ap);
	}
	return st;
}

enum ct_status ct_fail_at(struct ct_err *err, enum ct_status st, long index, const char *field,
			  const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		set_msg(err, fmt, ap);
		va_end(ap);
		err->index = index;
		snprintf(err->field, sizeof err->field, "%s", field ? field : "");
	}
	return st;
}
