/* Fuzz target for request heads (outside input: the first bytes of every
 * request, read by contestd before evhttp sees them, contestd/reqhead.c)
 * and for matching their paths against the route patterns (http.c).
 * Invariants: a head is found only where a blank line ends it, within the
 * limit, and only a head that is too long is "too large"; every span lies
 * in the input; the method is a token, the path a part of the target and
 * Content-Length what the one header says; a head that needs more is
 * complete once a blank line follows; the canonical head given to evhttp
 * reads back as the same request with the Content-Length asked for and no
 * Transfer-Encoding; a matched path captures only non-empty segments
 * without '/', decoded, and matches the same pattern again when the
 * captures are put back. Seeds: tests/fuzz/corpus/reqhead/. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "oracle.h"
#include "reqhead.h"
#include "xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_HEAD 2048

static bool within(const char *p, size_t n, const char *buf, size_t len)
{
	return p >= buf && p + n <= buf + len;
}

static bool token_char(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

static const char *const patterns[] = {
	"/healthz", "/static/{}", "/api/v1/events/{}", "/api/v1/events/{}/scores",
	"/api/v1/events/{}/judges/{}/withdraw", "/api/v1/contestants/{}",
};

static void check_match(const char *path, size_t len)
{
	for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
		char param[2][HTTP_PARAM_MAX];
		memset(param, 0, sizeof param);
		if (!http_path_match(patterns[i], path, len, param))
			continue;
		/* put the captures back, encoded, and match again */
		char rebuilt[2048];
		size_t o = 0;
		int n = 0;
		for (const char *p = patterns[i]; *p && o + 8 < sizeof rebuilt; p++) {
			if (p[0] == '{' && p[1] == '}') {
				fuzz_check(param[n][0] != '\0');
				for (const unsigned char *c = (const unsigned char *)param[n]; *c && o + 4 < sizeof rebuilt; c++) {
					static const char hex[] = "0123456789ABCDEF";
					rebuilt[o++] = '%';
					rebuilt[o++] = hex[*c >> 4];
					rebuilt[o++] = hex[*c & 15];
				}
				n++;
				p++;
				continue;
			}
			rebuilt[o++] = *p;
		}
		char again[2][HTTP_PARAM_MAX];
		if (o + 8 < sizeof rebuilt) {
			fuzz_check(http_path_match(patterns[i], rebuilt, o, again));
			for (int k = 0; k < n; k++)
				fuzz_check(strcmp(again[k], param[k]) == 0);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct reqhead h;
	enum reqhead_status st = reqhead_parse(buf, size, MAX_HEAD, &h);
	if (st == REQHEAD_BAD) {
		fuzz_check(h.why != NULL);
		return 0;
	}
	if (st == REQHEAD_TOO_LARGE) {
		fuzz_check(size > MAX_HEAD / 2);
		return 0;
	}
	if (st == REQHEAD_MORE) {
		/* a blank line after it ends it one way or another (unless there
		 * is nothing yet but the empty lines before a request) */
		bool blank = true;
		for (size_t i = 0; i < size && blank; i++)
			blank = data[i] == '\r' || data[i] == '\n';
		if (!blank && size + 4 <= 4096) {
			char *more = xmalloc(size + 4);
			memcpy(more, data, size);
			memcpy(more + size, "\r\n\r\n", 4);
			struct reqhead h2;
			enum reqhead_status st2 = reqhead_parse(more, size + 4, MAX_HEAD, &h2);
			fuzz_check(st2 != REQHEAD_MORE || size + 4 > MAX_HEAD);
			free(more);
		}
		return 0;
	}
	fuzz_check(st == REQHEAD_DONE);
	fuzz_check(h.skip + h.len <= size && h.len <= MAX_HEAD);
	const char *head = buf + h.skip;
	fuzz_check(h.len >= 2 && head[h.len - 1] == '\n');
	fuzz_check(head[h.len - 2] == '\n' || (h.len >= 3 && head[h.len - 2] == '\r' && head[h.len - 3] == '\n'));
	fuzz_check(within(h.method, h.method_len, head, h.len) && h.method_len > 0);
	for (size_t i = 0; i < h.method_len; i++)
		fuzz_check(token_char((unsigned char)h.method[i]));
	fuzz_check(within(h.target, h.target_len, head, h.len));
	fuzz_check((h.path_len == 1 && h.path[0] == '/') || within(h.path, h.path_len, h.target, h.target_len));
	fuzz_check(memchr(h.path, '?', h.path_len) == NULL && memchr(h.path, ' ', h.path_len) == NULL);
	fuzz_check(h.minor == 0 || h.minor == 1);
	fuzz_check(h.content_length >= -1);
	if (h.authorization)
		fuzz_check(within(h.authorization, h.authorization_len, head, h.len));
	if (h.content_type)
		fuzz_check(within(h.content_type, h.content_type_len, head, h.len));

	/* the canonical head reads back as the same request */
	int64_t body = h.content_length > 0 ? h.content_length : 7;
	char out[MAX_HEAD + 64];
	size_t n = reqhead_canonical(&h, buf, body, true, out, sizeof out);
	fuzz_check(n > 0);
	/* The canonical head adds a Content-Length line: a head of the most
	 * lines contestd takes gives one more, which evhttp (no line limit)
	 * takes but reqhead_parse does not. */
	size_t lines = 0;
	for (size_t i = 0; i < n; i++)
		lines += out[i] == '\n';
	struct reqhead c;
	if (lines - 2 > REQHEAD_MAX_LINES) {
		fuzz_check(reqhead_parse(out, n, MAX_HEAD + 64, &c) == REQHEAD_TOO_LARGE);
		check_match(h.path, h.path_len);
		return 0;
	}
	fuzz_check(reqhead_parse(out, n, MAX_HEAD + 64, &c) == REQHEAD_DONE);
	fuzz_check(c.skip == 0 && c.len == n);
	fuzz_check(c.content_length == body && !c.transfer_encoding && !c.expect);
	fuzz_check(c.method_len == h.method_len && memcmp(c.method, h.method, h.method_len) == 0);
	fuzz_check(c.target_len == h.target_len && memcmp(c.target, h.target, h.target_len) == 0);
	fuzz_check(c.minor == h.minor && c.close == h.close);
	fuzz_check((c.authorization == NULL) == (h.authorization == NULL));
	if (h.authorization)
		fuzz_check(c.authorization_len == h.authorization_len &&
			   memcmp(c.authorization, h.authorization, h.authorization_len) == 0);
	check_match(h.path, h.path_len);
	return 0;
}
