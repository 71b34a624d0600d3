/* Issue 8 item 8: a wildcard listen address (0.0.0.0, ::) names no machine
 * and is never taken, or accepted, as the contest's public base URL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "http.h"

static void check_default(const char *listen, int port, const char *want)
{
	char *got = http_default_public_url(listen, port);
	assert_string_equal(got, want);
	free(got);
}

static void test_default_url(void **state)
{
	(void)state;
	check_default("127.0.0.1:8080", 8080, "http://127.0.0.1:8080");
	check_default("192.168.1.10:0", 41234, "http://192.168.1.10:41234");
	check_default("results.local:80", 80, "http://results.local:80");
	check_default("0.0.0.0:8080", 8080, "");
	check_default("0.0.0.0:0", 39001, "");
	check_default(":8080", 8080, "");
	check_default("[::]:8080", 8080, "");
	check_default(":::8080", 8080, "");
}

static void test_url_ok(void **state)
{
	(void)state;
	assert_true(http_public_url_ok("https://results.example.org"));
	assert_true(http_public_url_ok("http://192.168.1.10:8080/"));
	assert_true(http_public_url_ok("HTTPS://results.example.org/city2026"));
	assert_false(http_public_url_ok("http://0.0.0.0:8080"));
	assert_false(http_public_url_ok("http://[::]:8080/"));
	assert_false(http_public_url_ok("ftp://results.example.org"));
	assert_false(http_public_url_ok("results.example.org"));
	assert_false(http_public_url_ok("http://"));
	assert_false(http_public_url_ok(""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_url),
		cmocka_unit_test(test_url_ok),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
