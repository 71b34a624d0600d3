/* Fuzz target for request body decoding (outside input: every POST and
 * PATCH body contestd accepts). The input is parsed as contestd's parse_body
 * does (json_loadb with JSON_REJECT_DUPLICATES) and split into rows with
 * jin_rows; every row then goes through the typed getters of jin.h the way
 * the handlers' decoders use them, for the fields the API knows and for
 * every key the row has. Invariants: what a getter accepts obeys its
 * contract (length, character set, range, exact marks that jin_mark_json
 * writes back to the same value; nothing for an absent field unless
 * required), and every refusal names the row and the field. The real
 * decoders are static in api_*.c; this target calls the same getters with
 * the same limits. Seeds: tests/fuzz/corpus/json_body/. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "decimal.h"
#include "jin.h"
#include "oracle.h"
#include "xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Rows decoded per input: enough to reach every path, few enough to stay fast. */
#define MAX_ROWS_CHECKED 64

enum getter { GET_STR, GET_CODE, GET_MARK, GET_INT };

/* Every field of every body the API reads, with the getter and limits its
 * handler uses (api_*.c). */
struct field {
	const char *key;
	enum getter get;
	bool required;
	int64_t min, max;        /* GET_STR: max bytes; GET_INT: the range */
	int64_t dflt;            /* GET_INT: the value of an absent field */
};

static const struct field api_fields[] = {
	{ "code", GET_CODE, true, 0, 0, 0 },
	{ "name", GET_STR, true, 0, 200, 0 },
	{ "award_ratios", GET_STR, false, 0, 64, 0 },
	{ "min_award_score", GET_MARK, false, 0, 0, 0 },
	{ "tiebreak", GET_STR, false, 0, 512, 0 },
	{ "discrepancy_pct", GET_INT, false, 0, 100, 20 },
	{ "event", GET_CODE, true, 0, 0, 0 },
	{ "module", GET_CODE, true, 0, 0, 0 },
	{ "module_name", GET_STR, false, 0, 200, 0 },
	{ "module_weight", GET_INT, false, 0, 100, -1 },
	{ "description", GET_STR, false, 0, 1000, 0 },
	{ "max", GET_MARK, true, 0, 0, 0 },
	{ "method", GET_STR, true, 0, 32, 0 },
	{ "reg_id", GET_CODE, true, 0, 0, 0 },
	{ "organization", GET_STR, false, 0, 200, 0 },
	{ "id_number", GET_STR, false, 0, 32, 0 },
	{ "members", GET_STR, false, 0, 1000, 0 },
	{ "status", GET_STR, true, 0, 32, 0 },
	{ "elapsed_s", GET_INT, false, 0, 10 * 365 * 86400LL, -1 },
	{ "reason", GET_STR, false, 0, 500, 0 },
	{ "pin", GET_STR, false, 0, 32, 0 },
	{ "role", GET_STR, true, 0, 16, 0 },
	{ "contestant", GET_CODE, true, 0, 0, 0 },
	{ "criterion", GET_CODE, true, 0, 0, 0 },
	{ "judge", GET_CODE, true, 0, 0, 0 },
	{ "judge", GET_STR, false, 0, 32, 0 }, /* login */
	{ "value", GET_MARK, true, 0, 0, 0 },
	{ "secret", GET_STR, true, 0, 128, 0 },
	{ "weight", GET_INT, false, 0, 100, -1 }, /* a module's PATCH */
};
#define N_FIELDS (sizeof api_fields / sizeof api_fields[0])

/* The keys of api_fields for jin_known, NULL-terminated. */
static const char *known_keys[N_FIELDS + 1];

static bool empty_value(json_t *v)
{
	return !v || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0);
}

/* A refusal about field key of row `row`. */
static void check_refusal(enum ct_status rc, const struct ct_err *err, long row, const char *key)
{
	fuzz_check(rc == CT_INVALID);
	fuzz_check(err->msg[0] != '\0');
	if (row >= 0) {
		fuzz_check(err->index == row);
		fuzz_check(strncmp(err->field, key, sizeof err->field - 1) == 0);
	}
}

static void check_str(json_t *obj, const char *key, bool required, size_t max, long row)
{
	json_t *v = json_object_get(obj, key);
	const char *out = "x";
	struct ct_err err;
	ct_err_clear(&err);
	enum ct_status rc = jin_str(obj, key, required, max, row, &out, &err);
	if (rc != CT_OK) {
		check_refusal(rc, &err, row, key);
		fuzz_check(out == NULL);
		fuzz_check(required || !empty_value(v));
		return;
	}
	if (empty_value(v)) {
		fuzz_check(!required && out == NULL);
		return;
	}
	fuzz_check(json_is_string(v) && out == json_string_value(v));
	fuzz_check(strlen(out) == json_string_length(v) && strlen(out) <= max);
	fuzz_check(oracle_utf8(out, strlen(out)));
}

static void check_code(json_t *obj, const char *key, long row)
{
	const char *out = NULL;
	struct ct_err err;
	ct_err_clear(&err);
	enum ct_status rc = jin_code(obj, key, row, &out, &err);
	if (rc != CT_OK) {
		check_refusal(rc, &err, row, key);
		return;
	}
	size_t len = strlen(out);
	fuzz_check(len >= 1 && len <= 32);
	fuzz_check(strspn(out, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") == len);
}

static void check_mark(json_t *obj, const char *key, bool required, long row)
{
	json_t *v = json_object_get(obj, key);
	int64_t c = 12345;
	struct ct_err err;
	ct_err_clear(&err);
	enum ct_status rc = jin_mark(obj, key, required, row, &c, &err);
	if (rc != CT_OK) {
		check_refusal(rc, &err, row, key);
		fuzz_check(required || !empty_value(v));
		return;
	}
	if (empty_value(v)) {
		fuzz_check(!required && c == -1);
		return;
	}
	fuzz_check(c >= 0 && c <= DEC_MAX_C);
	if (json_is_integer(v)) {
		fuzz_check(c % 100 == 0 && c / 100 == json_integer_value(v));
	} else {
		int64_t want;
		fuzz_check(json_is_string(v));
		fuzz_check(oracle_mark(json_string_value(v), json_string_length(v), &want) && want == c);
	}
	/* What the server writes back reads as the same mark. */
	json_t *back = json_object();
	json_object_set_new(back, "v", jin_mark_json(c));
	int64_t again = -1;
	fuzz_check(jin_mark(back, "v", true, 0, &again, NULL) == CT_OK && again == c);
	json_decref(back);
}

static void check_int(json_t *obj, const char *key, bool required, int64_t min, int64_t max, int64_t dflt,
		      long row)
{
	json_t *v = json_object_get(obj, key);
	int64_t x = -99;
	struct ct_err err;
	ct_err_clear(&err);
	enum ct_status rc = jin_int(obj, key, required, min, max, dflt, row, &x, &err);
	if (rc != CT_OK) {
		check_refusal(rc, &err, row, key);
		fuzz_check(required || !empty_value(v));
		return;
	}
	if (empty_value(v)) {
		fuzz_check(!required && x == dflt);
		return;
	}
	fuzz_check(x >= min && x <= max);
	if (json_is_integer(v)) {
		fuzz_check(x == json_integer_value(v));
	} else {
		int64_t want;
		fuzz_check(json_is_string(v));
		fuzz_check(oracle_whole(json_string_value(v), json_string_length(v), max, &want) && want == x);
	}
}

/* jin_change (the text fields of a PATCH body, one object): absent
 * leaves the field as it is (NULL), null or "" clears it ("") when it may
 * be cleared and is refused naming the field when not, text is as jin_str
 * gives it. */
static void check_change(json_t *obj, const char *key, bool clearable, size_t max)
{
	json_t *v = json_object_get(obj, key);
	const char *out = "x";
	struct ct_err err;
	ct_err_clear(&err);
	enum ct_status rc = jin_change(obj, key, clearable, max, &out, &err);
	if (rc != CT_OK) {
		check_refusal(rc, &err, -1, key);
		/* "name: cannot be empty" (a key longer than the message is cut) */
		size_t k = strlen(key) < sizeof err.msg / 2 ? strlen(key) : sizeof err.msg / 2;
		fuzz_check(strncmp(err.msg, key, k) == 0);
		fuzz_check(v && (!empty_value(v) || !clearable));
		return;
	}
	if (!v) {
		fuzz_check(out == NULL);
	} else if (empty_value(v)) {
		fuzz_check(clearable && out && *out == '\0');
	} else {
		fuzz_check(json_is_string(v) && out == json_string_value(v));
		fuzz_check(strlen(out) == json_string_length(v) && strlen(out) <= max);
		fuzz_check(oracle_utf8(out, strlen(out)));
	}
}

/* Every getter on field key of obj, with typical limits. */
static void check_any(json_t *obj, const char *key, long row)
{
	if (row < 0) {
		check_change(obj, key, true, 200);
		check_change(obj, key, false, 32);
	}
	check_str(obj, key, false, 200, row);
	check_str(obj, key, true, 32, row);
	check_code(obj, key, row);
	check_mark(obj, key, false, row);
	check_mark(obj, key, true, row);
	check_int(obj, key, false, 0, 100, 20, row);
	check_int(obj, key, true, 0, INT32_MAX, 0, row);
}

static void check_row(json_t *obj, long row)
{
	struct ct_err err;
	ct_err_clear(&err);
	enum ct_status rc = jin_known(obj, known_keys, row, &err);
	const char *key;
	json_t *v;
	bool all_known = true;
	json_object_foreach(obj, key, v) {
		bool k = false;
		for (size_t f = 0; f < N_FIELDS && !k; f++)
			k = strcmp(api_fields[f].key, key) == 0;
		all_known = all_known && k;
	}
	fuzz_check((rc == CT_OK) == all_known);
	if (rc != CT_OK) {
		fuzz_check(err.msg[0] != '\0');
		fuzz_check(row < 0 || err.index == row);
		fuzz_check(row < 0 || json_object_get(obj, err.field) ||
			   strlen(err.field) == sizeof err.field - 1);
	}
	for (size_t f = 0; f < N_FIELDS; f++) {
		const struct field *fd = &api_fields[f];
		switch (fd->get) {
		case GET_STR: check_str(obj, fd->key, fd->required, (size_t)fd->max, row); break;
		case GET_CODE: check_code(obj, fd->key, row); break;
		case GET_MARK: check_mark(obj, fd->key, fd->required, row); break;
		case GET_INT: check_int(obj, fd->key, fd->required, fd->min, fd->max, fd->dflt, row); break;
		}
	}
	size_t n = 0;
	json_object_foreach(obj, key, v) {
		if (n++ == 8)
			break;
		check_any(obj, key, row);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!known_keys[0]) {
		xmalloc_json(); /* as contestd's main does */
		for (size_t f = 0; f < N_FIELDS; f++)
			known_keys[f] = api_fields[f].key;
	}
	json_error_t jerr;
	json_t *body = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
	if (!body) {
		fuzz_check(jerr.text[0] != '\0');
		return 0;
	}
	size_t n = 0;
	struct ct_err err;
	ct_err_clear(&err);
	enum ct_status rc = jin_rows(body, &n, &err);
	if (rc != CT_OK) {
		fuzz_check(rc == CT_INVALID || rc == CT_TOO_LARGE);
		fuzz_check(err.msg[0] != '\0');
		fuzz_check(!json_is_object(body));
		if (err.index >= 0)
			fuzz_check((size_t)err.index < json_array_size(body) &&
				   !json_is_object(json_array_get(body, (size_t)err.index)));
		json_decref(body);
		return 0;
	}
	fuzz_check(n >= 1 && n <= JIN_MAX_ROWS);
	fuzz_check(json_is_object(body) ? n == 1 : n == json_array_size(body));
	for (size_t i = 0; i < n && i < MAX_ROWS_CHECKED; i++) {
		json_t *row = jin_row(body, i);
		fuzz_check(json_is_object(row));
		check_row(row, json_is_object(body) ? -1 : (long)i);
	}
	json_decref(body);
	return 0;
}
