/* Typed, bounded decoding of JSON request bodies. */
#include "jin.h"

#include <event2/buffer.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "decimal.h"
#include "scoring.h"

enum ct_status jin_bad(struct ct_err *err, long row, const char *field, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (row >= 0)
		return ct_fail_at(err, CT_INVALID, row, field, "row %ld: %s: %s", row + 1, field, msg);
	return ct_fail(err, CT_INVALID, "%s: %s", field, msg);
}

enum ct_status jin_rows(json_t *body, size_t *n, struct ct_err *err)
{
	if (json_is_object(body)) {
		*n = 1;
		return CT_OK;
	}
	if (!json_is_array(body))
		return ct_fail(err, CT_INVALID, "the body must be a JSON object or an array of objects");
	*n = json_array_size(body);
	if (*n == 0)
		return ct_fail(err, CT_INVALID, "the array is empty");
	if (*n > JIN_MAX_ROWS)
		return ct_fail(err, CT_TOO_LARGE, "more than %d rows in one request", JIN_MAX_ROWS);
	for (size_t i = 0; i < *n; i++)
		if (!json_is_object(json_array_get(body, i)))
			return ct_fail_at(err, CT_INVALID, (long)i, "", "row %zu is not a JSON object", i + 1);
	return CT_OK;
}

json_t *jin_row(json_t *body, size_t i)
{
	return json_is_object(body) ? body : json_array_get(body, i);
}

enum ct_status jin_known(json_t *obj, const char *const *known, long row, struct ct_err *err)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		bool ok = false;
		for (const char *const *k = known; *k && !ok; k++)
			ok = strcmp(*k, key) == 0;
		if (!ok)
			return jin_bad(err, row, key, "unknown field \"%s\"", key);
	}
	return CT_OK;
}

static bool is_empty(json_t *v)
{
	return !v || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0);
}

enum ct_status jin_str(json_t *obj, const char *key, bool required, size_t max, long row, const char **out,
		       struct ct_err *err)
{
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (is_empty(v))
		return required ? jin_bad(err, row, key, "%s", "is required") : CT_OK;
	if (!json_is_string(v))
		return jin_bad(err, row, key, "%s", "must be a string");
	if (json_string_length(v) > max || strlen(json_string_value(v)) != json_string_length(v)) {
		char detail[64];
		snprintf(detail, sizeof detail, "%zu", max);
		return jin_bad(err, row, key, "must be text of at most %s bytes", detail);
	}
	*out = json_string_value(v);
	return CT_OK;
}

enum ct_status jin_code(json_t *obj, const char *key, long row, const char **out, struct ct_err *err)
{
	enum ct_status rc = jin_str(obj, key, true, CODE_MAX, row, out, err);
	if (rc != CT_OK)
		return rc;
	if (!code_valid(*out, strlen(*out)))
		return jin_bad(err, row, key, "\"%s\" may only contain letters, digits, '-', '_' and '.'", *out);
	return CT_OK;
}

enum ct_status jin_mark(json_t *obj, const char *key, bool required, long row, int64_t *out_c,
			struct ct_err *err)
{
	json_t *v = json_object_get(obj, key);
	*out_c = -1;
	if (is_empty(v))
		return required ? jin_bad(err, row, key, "%s", "is required") : CT_OK;
	if (json_is_integer(v)) {
		json_int_t i = json_integer_value(v);
		if (i < 0 || i > DEC_MAX_C / 100)
			return jin_bad(err, row, key, "%s", "is out of range");
		*out_c = (int64_t)i * 100;
		return CT_OK;
	}
	if (json_is_real(v))
		return jin_bad(err, row, key, "%s",
			   "send marks as strings (\"7.5\") or integers so they stay exact, not as JSON reals");
	if (!json_is_string(v))
		return jin_bad(err, row, key, "%s", "must be a mark like \"7.5\"");
	struct ct_err perr;
	ct_err_clear(&perr);
	if (dec_parse(json_string_value(v), out_c, &perr) != CT_OK)
		return jin_bad(err, row, key, "%s", perr.msg);
	return CT_OK;
}

enum ct_status jin_int(json_t *obj, const char *key, bool required, int64_t min, int64_t max, int64_t dflt,
		       long row, int64_t *out, struct ct_err *err)
{
	json_t *v = json_object_get(obj, key);
	*out = dflt;
	if (is_empty(v))
		return required ? jin_bad(err, row, key, "%s", "is required") : CT_OK;
	int64_t x = 0;
	if (json_is_integer(v)) {
		x = (int64_t)json_integer_value(v);
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v);
		if (strlen(s) > 18)
			return jin_bad(err, row, key, "\"%s\" is not a whole number in range", s);
		for (const char *p = s; *p; p++) {
			if (*p < '0' || *p > '9')
				return jin_bad(err, row, key, "\"%s\" is not a whole number", s);
			x = x * 10 + (*p - '0');
		}
	} else {
		return jin_bad(err, row, key, "%s", "must be a whole number");
	}
	if (x < min || x > max) {
		char detail[96];
		snprintf(detail, sizeof detail, "%lld to %lld", (long long)min, (long long)max);
		return jin_bad(err, row, key, "must be from %s", detail);
	}
	*out = x;
	return CT_OK;
}

json_t *jin_mark_json(int64_t c)
{
	char buf[DEC_TEXT_MAX];
	return json_string(dec_format(c, buf));
}

void jin_put_string(struct evbuffer *out, const char *s)
{
	evbuffer_add(out, "\"", 1);
	const char *run = s;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		evbuffer_add(out, run, (size_t)(p - run));
		char esc[8];
		if (c == '"' || c == '\\')
			evbuffer_add(out, (char[]){'\\', (char)c}, 2);
		else
			evbuffer_add(out, esc, (size_t)snprintf(esc, sizeof esc, "\\u%04x", c));
		run = p + 1;
	}
	evbuffer_add(out, run, strlen(run));
	evbuffer_add(out, "\"", 1);
}

json_t *jin_opt_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *jin_text(const char *s)
{
	size_t n = strlen(s), k = n;
	json_t *j = json_stringn(s, n);
	if (j)
		return j;
	/* a cut leaves a lead byte and at most 2 of its continuation bytes */
	while (k > 0 && n - k < 2 && ((unsigned char)s[k - 1] & 0xC0) == 0x80)
		k--;
	if (k > 0 && ((unsigned char)s[k - 1] & 0xC0) == 0xC0 && (j = json_stringn(s, k - 1)))
		return j;
	return json_string("(text not valid UTF-8)");
}

enum ct_status jin_body(json_t *body, const char *const *known, struct ct_err *err)
{
	if (!json_is_object(body))
		return ct_fail(err, CT_INVALID, "the body must be a JSON object");
	return jin_known(body, known, -1, err);
}

enum ct_status jin_change(json_t *obj, const char *key, bool clearable, size_t max, const char **out,
			  struct ct_err *err)
{
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (!v)
		return CT_OK;
	if (is_empty(v)) {
		if (!clearable)
			return jin_bad(err, -1, key, "%s", "cannot be empty");
		*out = "";
		return CT_OK;
	}
	return jin_str(obj, key, true, max, -1, out, err);
}
