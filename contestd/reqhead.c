/* Reading request heads; see reqhead.h. Lines end with LF, optionally
 * after CR, as evhttp's EVBUFFER_EOL_CRLF reads them. */
#include "reqhead.h"

#include <string.h>
#include <strings.h>

/* RFC 9110 token characters (method, header name). */
static bool tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* The end of the line starting at p (the LF), or NULL within end. */
static const char *line_end(const char *p, const char *end)
{
	return memchr(p, '\n', (size_t)(end - p));
}

/* Length of the line [p, lf) without a CR before the LF. */
static size_t content_len(const char *p, const char *lf)
{
	size_t n = (size_t)(lf - p);
	return n && p[n - 1] == '\r' ? n - 1 : n;
}

static bool name_is(const char *name, size_t n, const char *want)
{
	return strlen(want) == n && strncasecmp(name, want, n) == 0;
}

static enum reqhead_status bad(struct reqhead *h, const char *why)
{
	h->why = why;
	return REQHEAD_BAD;
}

/* Parses the request line [p, p+n). */
static enum reqhead_status request_line(const char *p, size_t n, struct reqhead *h)
{
	const char *end = p + n, *sp1 = memchr(p, ' ', n);
	if (!sp1 || sp1 == p)
		return bad(h, "the request line is not METHOD TARGET HTTP/1.x");
	const char *sp2 = memchr(sp1 + 1, ' ', (size_t)(end - sp1 - 1));
	if (!sp2 || sp2 == sp1 + 1)
		return bad(h, "the request line is not METHOD TARGET HTTP/1.x");
	h->method = p;
	h->method_len = (size_t)(sp1 - p);
	if (h->method_len > 16)
		return bad(h, "unknown method");
	for (size_t i = 0; i < h->method_len; i++)
		if (!tchar((unsigned char)p[i]))
			return bad(h, "the method is not a token");
	h->target = sp1 + 1;
	h->target_len = (size_t)(sp2 - h->target);
	for (size_t i = 0; i < h->target_len; i++) {
		unsigned char c = (unsigned char)h->target[i];
		if (c <= 0x20 || c >= 0x7F)
			return bad(h, "the request target has a byte that must be percent-encoded");
	}
	size_t vlen = (size_t)(end - sp2 - 1);
	if (vlen != 8 || strncmp(sp2 + 1, "HTTP/1.", 7) != 0 || (sp2[8] != '0' && sp2[8] != '1'))
		return bad(h, "only HTTP/1.0 and HTTP/1.1 are spoken here");
	h->minor = sp2[8] - '0';
	/* origin form "/path?query", absolute form "http://host/path", or "*" */
	const char *t = h->target, *tend = t + h->target_len;
	if (*t != '/') {
		if (h->target_len == 1 && *t == '*') {
			h->path = t;
			h->path_len = 1;
			return REQHEAD_DONE;
		}
		size_t scheme = h->target_len >= 7 && strncasecmp(t, "http://", 7) == 0 ? 7 : 0;
		if (!scheme)
			return bad(h, "the request target is not a path");
		t = memchr(t + scheme, '/', (size_t)(tend - t - scheme));
		if (!t)
			t = tend; /* "http://host": the path "/" */
	}
	const char *q = t;
	while (q < tend && *q != '?' && *q != '#')
		q++;
	h->path = t < tend ? t : "/";
	h->path_len = t < tend ? (size_t)(q - t) : 1;
	return REQHEAD_DONE;
}

/* Parses one header line [p, p+n) into h. */
static enum reqhead_status header_line(const char *p, size_t n, bool *keep_alive, struct reqhead *h)
{
	if (*p == ' ' || *p == '\t')
		return bad(h, "folded header lines are not accepted");
	const char *colon = memchr(p, ':', n);
	if (!colon || colon == p)
		return bad(h, "a header line is not NAME: VALUE");
	size_t name_len = (size_t)(colon - p);
	for (size_t i = 0; i < name_len; i++)
		if (!tchar((unsigned char)p[i]))
			return bad(h, "a header name is not a token");
	/* the value as evhttp keeps it: leading spaces and trailing white space
	 * removed */
	const char *v = colon + 1, *vend = p + n;
	while (v < vend && *v == ' ')
		v++;
	while (vend > v && (vend[-1] == ' ' || vend[-1] == '\t'))
		vend--;
	for (const char *c = v; c < vend; c++)
		if (((unsigned char)*c < 0x20 && *c != '\t') || *c == 0x7F)
			return bad(h, "a header value holds a control character");
	size_t vlen = (size_t)(vend - v);
	if (name_is(p, name_len, "Content-Length")) {
		if (vlen == 0 || vlen > 18)
			return bad(h, "Content-Length is not a number of bytes");
		int64_t x = 0;
		for (size_t i = 0; i < vlen; i++) {
			if (v[i] < '0' || v[i] > '9')
				return bad(h, "Content-Length is not a number of bytes");
			x = x * 10 + (v[i] - '0');
		}
		if (h->content_length >= 0 && h->content_length != x)
			return bad(h, "two different Content-Length headers");
		h->content_length = x;
	} else if (name_is(p, name_len, "Transfer-Encoding")) {
		h->transfer_encoding = true;
	} else if (name_is(p, name_len, "Expect")) {
		h->expect = true;
	} else if (name_is(p, name_len, "Authorization")) {
		if (!h->authorization) {
			h->authorization = v;
			h->authorization_len = vlen;
		}
	} else if (name_is(p, name_len, "Content-Type")) {
		if (!h->content_type) {
			h->content_type = v;
			h->content_type_len = vlen;
		}
	} else if (name_is(p, name_len, "Connection")) {
		/* a list: "keep-alive", "close", "Upgrade, close" */
		for (const char *c = v; c < vend;) {
			while (c < vend && (*c == ' ' || *c == ',' || *c == '\t'))
				c++;
			const char *w = c;
			while (c < vend && *c != ',' && *c != ' ' && *c != '\t')
				c++;
			if (name_is(w, (size_t)(c - w), "close"))
				h->close = true;
			else if (name_is(w, (size_t)(c - w), "keep-alive"))
				*keep_alive = true;
		}
	}
	return REQHEAD_DONE;
}

enum reqhead_status reqhead_parse(const char *buf, size_t len, size_t max, struct reqhead *h)
{
	memset(h, 0, sizeof *h);
	h->content_length = -1;
	const char *p = buf, *end = buf + len;
	/* empty lines before a request (after a body some clients send CRLF) */
	while (p < end && (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n')))
		p += *p == '\n' ? 1 : 2;
	if (p < end && *p == '\r' && p + 1 == end)
		return REQHEAD_MORE;
	h->skip = (size_t)(p - buf);
	if (h->skip > 64)
		return bad(h, "too many empty lines before the request");
	const char *lf = line_end(p, end);
	if (!lf)
		return (size_t)(end - p) >= max ? REQHEAD_TOO_LARGE : REQHEAD_MORE;
	if ((size_t)(lf + 1 - p) > max)
		return REQHEAD_TOO_LARGE;
	enum reqhead_status st = request_line(p, content_len(p, lf), h);
	if (st != REQHEAD_DONE)
		return st;
	bool keep_alive = false;
	const char *line = lf + 1;
	for (int lines = 0;; lines++) {
		lf = line_end(line, end);
		if (!lf)
			return (size_t)(end - p) >= max ? REQHEAD_TOO_LARGE : REQHEAD_MORE;
		if ((size_t)(lf + 1 - p) > max)
			return REQHEAD_TOO_LARGE;
		size_t n = content_len(line, lf);
		if (n == 0)
			break;
		if (lines >= REQHEAD_MAX_LINES)
			return REQHEAD_TOO_LARGE;
		st = header_line(line, n, &keep_alive, h);
		if (st != REQHEAD_DONE)
			return st;
		line = lf + 1;
	}
	h->len = (size_t)(lf + 1 - p);
	if (h->minor == 0 && !keep_alive)
		h->close = true;
	return REQHEAD_DONE;
}

/* Appends n bytes to out at *o if they fit. */
static bool put(char *out, size_t cap, size_t *o, const char *s, size_t n)
{
	if (*o + n > cap)
		return false;
	memcpy(out + *o, s, n);
	*o += n;
	return true;
}

size_t reqhead_canonical(const struct reqhead *h, const char *buf, int64_t body_len, bool drop_expect, char *out,
			 size_t cap)
{
	const char *p = buf + h->skip, *end = p + h->len;
	size_t o = 0;
	const char *lf = memchr(p, '\n', (size_t)(end - p));
	if (!put(out, cap, &o, p, (size_t)(lf + 1 - p)))
		return 0;
	for (const char *line = lf + 1; line < end; line = lf + 1) {
		lf = memchr(line, '\n', (size_t)(end - line));
		size_t n = content_len(line, lf);
		if (n == 0)
			break;
		const char *colon = memchr(line, ':', n);
		size_t name_len = (size_t)(colon - line);
		if (name_is(line, name_len, "Content-Length") || name_is(line, name_len, "Transfer-Encoding") ||
		    (drop_expect && name_is(line, name_len, "Expect")))
			continue;
		if (!put(out, cap, &o, line, (size_t)(lf + 1 - line)))
			return 0;
	}
	char cl[48];
	int n = 0;
	int64_t v = body_len < 0 ? 0 : body_len;
	/* "Content-Length: N\r\n\r\n" without printf (this runs per request) */
	char digits[24];
	int d = 0;
	do
		digits[d++] = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	memcpy(cl, "Content-Length: ", 16);
	n = 16;
	while (d > 0)
		cl[n++] = digits[--d];
	memcpy(cl + n, "\r\n\r\n", 4);
	n += 4;
	if (!put(out, cap, &o, cl, (size_t)n))
		return 0;
	return o;
}
