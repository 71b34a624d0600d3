/* The web terminal's static files, embedded into the binary by
 * cmake/embed.cmake from contestd/web/. Each file's ETag is a hash of its
 * contents, computed on its first request; "no-cache" makes browsers
 * revalidate every time, so a new contestd binary reaches the terminals at
 * once while an unchanged file costs a 304. */
#include "web.h"

#include <event2/keyvalq_struct.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "embed.h"
#include "xmalloc.h"

extern const struct embed_file web_files[];

/* The app loads only its own scripts, styles and images, talks only to this
 * server, may be framed by nobody, and runs no inline script or style. */
static const char CSP[] =
	"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
	"connect-src 'self'; worker-src 'self'; manifest-src 'self'; font-src 'self'; object-src 'none'; "
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

#define ETAG_BYTES 16
#define ETAG_TEXT (2 * ETAG_BYTES + 3) /* "\"hex\"" and the NUL */

static char (*etags)[ETAG_TEXT]; /* one per file, "" until first asked for */

static const struct {
	const char *ext;
	const char *type;
} types[] = {
	{".html", "text/html; charset=utf-8"},
	{".js", "text/javascript; charset=utf-8"},
	{".css", "text/css; charset=utf-8"},
	{".json", "application/json; charset=utf-8"},
	{".webmanifest", "application/manifest+json; charset=utf-8"},
	{".svg", "image/svg+xml"},
	{".png", "image/png"},
	{".ico", "image/x-icon"},
};

static const char *type_of(const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		size_t e = strlen(types[i].ext);
		if (n > e && strcmp(name + n - e, types[i].ext) == 0)
			return types[i].type;
	}
	return "application/octet-stream";
}

static const char *etag_of(size_t i)
{
	if (!etags) {
		size_t n = 0;
		while (web_files[n].name)
			n++;
		etags = xcalloc(n, sizeof *etags);
	}
	if (!etags[i][0]) {
		unsigned char sum[ETAG_BYTES];
		char hex[2 * ETAG_BYTES + 1];
		crypto_generichash(sum, sizeof sum, web_files[i].data, web_files[i].len, NULL, 0);
		sodium_bin2hex(hex, sizeof hex, sum, sizeof sum);
		snprintf(etags[i], ETAG_TEXT, "\"%s\"", hex);
	}
	return etags[i];
}

/* If-None-Match names etag (in a list, possibly weak) or is "*". */
static bool not_modified(struct request *req, const char *etag)
{
	const char *inm = evhttp_find_header(evhttp_request_get_input_headers(req->ev), "If-None-Match");
	if (!inm)
		return false;
	return strcmp(inm, "*") == 0 || strstr(inm, etag) != NULL;
}

/* The public pages are the same kind of page; they set a <base> (so that
 * the same files work from a static copy under a path, judge-cli
 * export-public) and need no worker or manifest. */
static const char PUBLIC_CSP[] =
	"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
	"font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'none'; frame-ancestors 'none'";

/* Answers the embedded file name with the page policy csp. */
static void serve(struct request *req, const char *name, const char *csp)
{
	size_t i = 0;
	while (web_files[i].name && strcmp(web_files[i].name, name) != 0)
		i++;
	if (!web_files[i].name) {
		struct ct_err err;
		ct_err_clear(&err);
		http_reply_error(req, ct_fail(&err, CT_NOT_FOUND, "no file %s", name), &err);
		return;
	}
	const char *etag = etag_of(i);
	struct evkeyvalq *h = evhttp_request_get_output_headers(req->ev);
	evhttp_add_header(h, "ETag", etag);
	evhttp_add_header(h, "Cache-Control", "no-cache");
	evhttp_add_header(h, "Content-Security-Policy", csp);
	/* The service worker lives beside the other files but serves the
	 * whole app, whose page is "/". */
	if (strcmp(name, "sw.js") == 0)
		evhttp_add_header(h, "Service-Worker-Allowed", "/");
	if (not_modified(req, etag))
		http_reply_raw(req, 304, NULL, NULL, 0);
	else
		http_reply_static(req, 200, type_of(name), web_files[i].data, web_files[i].len);
}

void web_get(struct request *req)
{
	serve(req, req->param[0][0] ? req->param[0] : "index.html", CSP);
}

void web_public_get(struct request *req)
{
	serve(req, "public.html", PUBLIC_CSP);
}
