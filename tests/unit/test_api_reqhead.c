/* Issue 12 items 3 and 4: contestd reads every request head itself before
 * evhttp sees it (contestd/reqhead.c), to decide before any body is read.
 * These cases pin down what it accepts, what it refuses, and the canonical
 * head it gives evhttp; expected values are written out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "reqhead.h"

static enum reqhead_status parse(const char *text, struct reqhead *h)
{
	return reqhead_parse(text, strlen(text), 16384, h);
}

static void assert_span(const char *p, size_t n, const char *want)
{
	assert_int_equal(n, strlen(want));
	assert_memory_equal(p, want, n);
}

static void test_simple_get(void **state)
{
	(void)state;
	struct reqhead h;
	const char *req = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /next";
	assert_int_equal(parse(req, &h), REQHEAD_DONE);
	assert_int_equal(h.skip, 0);
	assert_int_equal(h.len, strlen("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
	assert_span(h.method, h.method_len, "GET");
	assert_span(h.path, h.path_len, "/healthz");
	assert_int_equal(h.minor, 1);
	assert_int_equal(h.content_length, -1);
	assert_false(h.close);
	assert_null(h.authorization);
}

static void test_post_with_query_and_lf_lines(void **state)
{
	(void)state;
	struct reqhead h;
	const char *req = "\r\nPOST /api/v1/audit?event=CNC HTTP/1.0\nContent-Length: 12\nAuthorization:  Bearer\tabc \n"
			  "Content-Type: application/json; charset=utf-8\nConnection: keep-alive\n\n{}";
	assert_int_equal(parse(req, &h), REQHEAD_DONE);
	assert_int_equal(h.skip, 2);
	assert_span(h.path, h.path_len, "/api/v1/audit");
	assert_span(h.target, h.target_len, "/api/v1/audit?event=CNC");
	assert_int_equal(h.content_length, 12);
	/* as evhttp keeps it: leading spaces and trailing white space go */
	assert_span(h.authorization, h.authorization_len, "Bearer\tabc");
	assert_span(h.content_type, h.content_type_len, "application/json; charset=utf-8");
	assert_int_equal(h.minor, 0);
	assert_false(h.close); /* HTTP/1.0 asking to keep the connection */
}

static void test_incomplete_and_too_large(void **state)
{
	(void)state;
	struct reqhead h;
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: x\r\n", &h), REQHEAD_MORE);
	assert_int_equal(parse("GET / HT", &h), REQHEAD_MORE);
	assert_int_equal(parse("", &h), REQHEAD_MORE);
	char big[200];
	memset(big, 'a', sizeof big);
	memcpy(big, "GET /", 5);
	big[sizeof big - 1] = '\0';
	assert_int_equal(reqhead_parse(big, strlen(big), 100, &h), REQHEAD_TOO_LARGE);
	assert_int_equal(reqhead_parse(big, 99, 100, &h), REQHEAD_MORE);
}

static void test_refused(void **state)
{
	(void)state;
	struct reqhead h;
	assert_int_equal(parse("GET / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", &h), REQHEAD_BAD);
	assert_non_null(h.why);
	assert_int_equal(parse("GET / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n", &h), REQHEAD_DONE);
	assert_int_equal(h.content_length, 3);
	assert_int_equal(parse("GET / HTTP/1.1\r\nContent-Length: -3\r\n\r\n", &h), REQHEAD_BAD);
	assert_int_equal(parse("GET / HTTP/1.1\r\nContent-Length: 3 \r\n\r\n", &h), REQHEAD_DONE);
	assert_int_equal(parse("GET / HTTP/1.1\r\nContent-Length : 3\r\n\r\n", &h), REQHEAD_BAD);
	assert_int_equal(parse("GET / HTTP/1.1\r\nX-A: 1\r\n folded\r\n\r\n", &h), REQHEAD_BAD);
	assert_int_equal(parse("GET /a\x1b[2J HTTP/1.1\r\n\r\n", &h), REQHEAD_BAD);
	assert_int_equal(parse("GET / HTTP/2.0\r\n\r\n", &h), REQHEAD_BAD);
	assert_int_equal(parse("GET  / HTTP/1.1\r\n\r\n", &h), REQHEAD_BAD);
	assert_int_equal(parse("G(T / HTTP/1.1\r\n\r\n", &h), REQHEAD_BAD);
	assert_int_equal(parse("GET / HTTP/1.1\r\nX-A: a\x01\r\n\r\n", &h), REQHEAD_BAD);
	assert_int_equal(parse("GET relative HTTP/1.1\r\n\r\n", &h), REQHEAD_BAD);
}

static void test_forms_of_target(void **state)
{
	(void)state;
	struct reqhead h;
	assert_int_equal(parse("GET http://127.0.0.1:8080/api/v1/events?x HTTP/1.1\r\n\r\n", &h), REQHEAD_DONE);
	assert_span(h.path, h.path_len, "/api/v1/events");
	assert_int_equal(parse("GET http://127.0.0.1:8080 HTTP/1.1\r\n\r\n", &h), REQHEAD_DONE);
	assert_span(h.path, h.path_len, "/");
	assert_int_equal(parse("OPTIONS * HTTP/1.1\r\n\r\n", &h), REQHEAD_DONE);
	assert_span(h.path, h.path_len, "*");
	assert_int_equal(parse("GET /a HTTP/1.0\r\n\r\n", &h), REQHEAD_DONE);
	assert_true(h.close); /* HTTP/1.0 without keep-alive */
	assert_int_equal(parse("GET /a HTTP/1.1\r\nConnection: Upgrade, close\r\n\r\n", &h), REQHEAD_DONE);
	assert_true(h.close);
}

static void test_transfer_encoding_and_expect(void **state)
{
	(void)state;
	struct reqhead h;
	const char *req = "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n";
	assert_int_equal(parse(req, &h), REQHEAD_DONE);
	assert_true(h.transfer_encoding);
	assert_true(h.expect);
	assert_int_equal(h.content_length, -1);
}

static void test_canonical(void **state)
{
	(void)state;
	struct reqhead h;
	const char *req = "\nPOST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\ntransfer-encoding: x\r\nExpect: 100-continue\r\n"
			  "Authorization: Bearer t\r\n\r\nhello";
	assert_int_equal(parse(req, &h), REQHEAD_DONE);
	char out[256];
	size_t n = reqhead_canonical(&h, req, 5, false, out, sizeof out);
	const char *want = "POST /x HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nAuthorization: Bearer t\r\n"
			   "Content-Length: 5\r\n\r\n";
	assert_int_equal(n, strlen(want));
	assert_memory_equal(out, want, n);
	n = reqhead_canonical(&h, req, 0, true, out, sizeof out);
	want = "POST /x HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer t\r\nContent-Length: 0\r\n\r\n";
	assert_int_equal(n, strlen(want));
	assert_memory_equal(out, want, n);
	/* what evhttp is given reads back the same */
	struct reqhead again;
	assert_int_equal(reqhead_parse(out, n, 16384, &again), REQHEAD_DONE);
	assert_int_equal(again.content_length, 0);
	assert_false(again.transfer_encoding);
	assert_int_equal(reqhead_canonical(&h, req, 5, false, out, 20), 0); /* too small */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple_get),
		cmocka_unit_test(test_post_with_query_and_lf_lines),
		cmocka_unit_test(test_incomplete_and_too_large),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_forms_of_target),
		cmocka_unit_test(test_transfer_encoding_and_expect),
		cmocka_unit_test(test_canonical),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
