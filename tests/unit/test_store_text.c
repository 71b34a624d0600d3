/* Issue 12 item 12: text cut to a fixed buffer stays UTF-8. A column read
 * into a buffer is cut between characters (store_col_copy), and a message
 * cut inside a character (a ct_err filled up) still reaches the answer
 * without the incomplete character, where json_string would return NULL
 * and drop it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include <sqlite3.h>

#include "http.h"
#include "jin.h"
#include "store_int.h"

static void check_text(const char *in, const char *want)
{
	json_t *j = jin_text(in);
	assert_non_null(j);
	assert_string_equal(json_string_value(j), want);
	json_decref(j);
}

static void test_cut_character(void **state)
{
	(void)state;
	/* 没 = E6 B2 A1, 有 = E6 9C 89 */
	check_text("\xE6\xB2\xA1\xE6\x9C\x89", "\xE6\xB2\xA1\xE6\x9C\x89");
	check_text("\xE6\xB2\xA1\xE6\x9C", "\xE6\xB2\xA1");
	check_text("\xE6\xB2\xA1\xE6", "\xE6\xB2\xA1");
	check_text("\xF0\x9F\x98", "");   /* 3 bytes of a 4-byte character */
	check_text("", "");
	check_text("a\xFF" "b", "(text not valid UTF-8)"); /* not a cut: said so */
	check_text("ab\xB2\xA1", "(text not valid UTF-8)"); /* no lead byte */
}

/* An error message that filled ct_err's buffer (a long list of Chinese
 * names) ends inside a character: the answer still carries it. */
static void test_error_body_cut(void **state)
{
	(void)state;
	struct ct_err err;
	ct_err_clear(&err);
	size_t n = 0;
	while (n + 5 < sizeof err.msg) { /* room for 3 bytes, 2 more and the NUL */
		memcpy(err.msg + n, "\xE6\xB2\xA1", 3); /* 没 */
		n += 3;
	}
	memcpy(err.msg + n, "\xE6\x9C", 2); /* the first 2 bytes of 有 */
	err.msg[n + 2] = '\0';
	json_t *body = http_error_body(CT_INVALID, &err);
	const char *msg = json_string_value(json_object_get(json_object_get(body, "error"), "message"));
	assert_non_null(msg);
	assert_int_equal(strlen(msg), n);
	assert_memory_equal(msg, err.msg, n);
	json_decref(body);
}

/* Text read from the database into a fixed buffer is cut between
 * characters, never inside one. */
static void test_col_copy_cut(void **state)
{
	(void)state;
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	/* 没有 = E6 B2 A1 E6 9C 89, then NULL */
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT 'ab\xE6\xB2\xA1\xE6\x9C\x89', NULL", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	char buf[16];
	static const struct {
		size_t n;
		const char *want;
	} cuts[] = {{16, "ab\xE6\xB2\xA1\xE6\x9C\x89"}, {9, "ab\xE6\xB2\xA1\xE6\x9C\x89"},
		    {8, "ab\xE6\xB2\xA1"}, {6, "ab\xE6\xB2\xA1"}, {5, "ab"}, {3, "ab"}, {2, "a"}, {1, ""}};
	for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
		memset(buf, 'x', sizeof buf);
		store_col_copy(s, 0, buf, cuts[i].n);
		assert_string_equal(buf, cuts[i].want);
	}
	store_col_copy(s, 1, buf, sizeof buf);
	assert_string_equal(buf, "");
	sqlite3_finalize(s);
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cut_character),
		cmocka_unit_test(test_error_body_cut),
		cmocka_unit_test(test_col_copy_cut),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
