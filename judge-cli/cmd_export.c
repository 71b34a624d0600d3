/* `judge-cli export-public DIR`: the public pages as static files, so that
 * the published results and certificate verification can be served by any
 * web server or CDN after the contest, without contestd: the page and its
 * scripts, every published version of every event, one verification record
 * per certificate, the signed revocation list and the contest's public key
 * (layout in docs/OPERATIONS.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_cert.h"
#include "xmalloc.h"

/* The page's own files under /static/, besides public.html. */
static const char *const page_files[] = { "style.css", "public.css", "public.js", "ui.js", NULL };

/* GETs path (public or as the logged-in organizer) and writes the raw
 * answer to DIR/file; *r keeps the answer when r is not NULL. */
static enum ct_status fetch_to(struct cli *cli, const char *path, const char *dir, const char *file,
			       struct reply *keep, struct ct_err *err)
{
	struct reply r = { 0 };
	enum ct_status rc = cli_call(cli, "GET", path, NULL, NULL, &r, err);
	if (rc == CT_OK && !r.body)
		rc = ct_fail(err, CT_INTERNAL, "GET %s: an empty answer", path);
	if (rc == CT_OK) {
		char *out = xasprintf("%s/%s", dir, file);
		rc = cli_write_file(out, r.body, strlen(r.body), err);
		free(out);
	}
	if (keep)
		*keep = r;
	else
		reply_clear(&r);
	return rc;
}

/* The path of the public base URL ("/" when it has none), ending in '/':
 * the <base> of the exported page. */
static char *base_path(const char *url)
{
	const char *host = strstr(url, "://");
	const char *path = host ? strchr(host + 3, '/') : NULL;
	if (!path || !*path)
		return xstrdup("/");
	size_t n = strlen(path);
	return n && path[n - 1] == '/' ? xstrdup(path) : xasprintf("%s/", path);
}

/* Replaces the one occurrence of from in text by to; false when there is
 * not exactly one. *out is a new string. */
static bool replace_once(const char *text, const char *from, const char *to, char **out)
{
	const char *at = strstr(text, from);
	if (!at || strstr(at + 1, from))
		return false;
	*out = xasprintf("%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
	return true;
}

/* public.html from the server, made to read the static files under base. */
static enum ct_status write_page(struct cli *cli, const char *dir, const char *base, struct ct_err *err)
{
	struct reply r = { 0 };
	char *step = NULL, *page = NULL, *tag = xasprintf("<base href=\"%s\">", base);
	enum ct_status rc = cli_call(cli, "GET", "/static/public.html", NULL, NULL, &r, err);
	if (rc == CT_OK && (!r.body || !replace_once(r.body, "data-source=\"api\"", "data-source=\"static\"", &step) ||
			    !replace_once(step, "<base href=\"/\">", tag, &page)))
		rc = ct_fail(err, CT_INTERNAL, "the server's public.html is not the page this judge-cli knows; use the "
			     "judge-cli of the same version as contestd");
	if (rc == CT_OK) {
		char *path = xasprintf("%s/public.html", dir);
		rc = cli_write_file(path, page, strlen(page), err);
		free(path);
	}
	free(tag);
	free(step);
	free(page);
	reply_clear(&r);
	return rc;
}

/* Every published version of one event, and its latest as latest.json. */
static enum ct_status export_versions(struct cli *cli, const char *dir, const char *event, long long versions,
				      struct ct_err *err)
{
	char *sub = xasprintf("%s/data/events/%s", dir, event);
	enum ct_status rc = cli_make_dirs(sub, 0755, err);
	for (long long v = 1; rc == CT_OK && v <= versions; v++) {
		char suffix[64], file[32];
		snprintf(suffix, sizeof suffix, "/results?version=%lld", v);
		snprintf(file, sizeof file, "v%lld.json", v);
		char *path = cli_path("/api/v1/public/events/", event, suffix);
		rc = fetch_to(cli, path, sub, file, NULL, err);
		if (rc == CT_OK && v == versions)
			rc = fetch_to(cli, path, sub, "latest.json", NULL, err);
		free(path);
	}
	free(sub);
	return rc;
}

/* One verification record per certificate of a final event: the public
 * fields, the signature and the QR payload; revocation is in the signed
 * list only. */
static enum ct_status export_certificates(struct cli *cli, const char *dir, const char *event, size_t *count,
					  struct ct_err *err)
{
	struct reply r = { 0 };
	char *path = cli_path("/api/v1/events/", event, "/certificates");
	enum ct_status rc = cli_call(cli, "GET", path, NULL, NULL, &r, err);
	const json_t *certs = json_object_get(r.json, "certificates"), *c;
	size_t i;
	if (rc == CT_OK && !json_is_array(certs))
		rc = cli_unexpected(err, "certificates");
	json_array_foreach(certs, i, c) {
		if (rc != CT_OK)
			break;
		struct cert cert;
		uint8_t key_id[CERT_KEY_ID_BYTES];
		if ((rc = cmd_cert_decode(c, &cert, key_id, NULL, err)) != CT_OK)
			break;
		json_t *record = json_deep_copy(c);
		json_object_del(record, "revoked_at");
		json_object_del(record, "revoke_reason");
		json_object_del(record, "issued_at");
		char *text = json_dumps(record, JSON_COMPACT | JSON_PRESERVE_ORDER);
		char *file = xasprintf("%s/data/certificates/%s.json", dir, json_str(c, "id", ""));
		rc = cli_write_file(file, text, strlen(text), err);
		free(file);
		free(text);
		json_decref(record);
		(*count)++;
	}
	free(path);
	reply_clear(&r);
	return rc;
}

static enum ct_status cmd_export_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	const char *dir = a->argv[0];
	struct reply events = { 0 };
	char *data = xasprintf("%s/data", dir), *certs = xasprintf("%s/data/certificates", dir),
	     *stat = xasprintf("%s/static", dir), *base = NULL;
	size_t n_versions = 0, n_certs = 0;
	enum ct_status rc = cli_make_dirs(certs, 0755, err);
	if (rc == CT_OK)
		rc = cli_make_dirs(stat, 0755, err);
	if (rc == CT_OK)
		rc = fetch_to(cli, "/api/v1/public/events", data, "events.json", &events, err);
	const json_t *list = json_object_get(events.json, "events"), *e;
	if (rc == CT_OK && !json_is_array(list))
		rc = cli_unexpected(err, "events");
	size_t i;
	json_array_foreach(list, i, e) {
		const char *code = json_str(e, "code", "");
		long long versions = (long long)json_integer_value(json_object_get(e, "version"));
		if (rc == CT_OK)
			rc = export_versions(cli, dir, code, versions, err);
		n_versions += (size_t)versions;
		if (rc == CT_OK && strcmp(json_str(e, "state", ""), "final") == 0)
			rc = export_certificates(cli, dir, code, &n_certs, err);
	}
	if (rc == CT_OK)
		rc = fetch_to(cli, "/api/v1/public/revocations", data, "revocations.json", NULL, err);
	if (rc == CT_OK)
		rc = fetch_to(cli, "/api/v1/public/key", data, "key.json", NULL, err);
	for (size_t f = 0; rc == CT_OK && page_files[f]; f++) {
		char *path = xasprintf("/static/%s", page_files[f]);
		rc = fetch_to(cli, path, stat, page_files[f], NULL, err);
		free(path);
	}
	if (rc == CT_OK) {
		const char *given = cmd_opt(a, "base");
		if (given && given[0] != '/')
			rc = cli_usage(cli, err, "--base must be a path starting with '/', as /contest2026/");
		else if (given)
			base = given[strlen(given) - 1] == '/' ? xstrdup(given) : xasprintf("%s/", given);
		else
			base = base_path(json_str(json_object_get(events.json, "contest"), "public_url", ""));
		/* it goes into the page's <base href="...">: plain path characters only */
		if (base && strspn(base, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/._~-") != strlen(base))
			rc = cli_usage(cli, err, "the path %s has characters a page's base cannot take; give --base PATH", base);
	}
	if (rc == CT_OK)
		rc = write_page(cli, dir, base, err);
	if (rc == CT_OK)
		printf("wrote %s: %zu event%s (%zu published version%s), %zu certificate record%s, the signed "
		       "revocation list, the public key and the page (base %s); serve it as docs/OPERATIONS.md shows\n",
		       dir, json_array_size(list), json_array_size(list) == 1 ? "" : "s", n_versions,
		       n_versions == 1 ? "" : "s", n_certs, n_certs == 1 ? "" : "s", base);
	free(data);
	free(certs);
	free(stat);
	free(base);
	reply_clear(&events);
	return rc;
}

const struct cmd_entry cmd_export_entry = {
	.name = "export-public",
	.args = "DIR",
	.summary = "write the public pages as static files for any web server (organizer)",
	.help = "DIR/public.html and DIR/static/: the page (results list, an event's results,\n"
		"certificate verification); DIR/data/: events.json, events/EVENT/vN.json and\n"
		"latest.json (every published version), certificates/ID.json (one\n"
		"verification record per certificate of a final event), revocations.json\n"
		"(signed) and key.json (the contest's public key). The web server sends\n"
		"/results, /results/EVENT, /v/... and /V/... to public.html (docs/OPERATIONS.md\n"
		"has an nginx configuration). Run it again after any change: it is a copy.\n"
		"The page's <base> is the path of the contest's public URL unless --base.",
	.min_args = 1,
	.max_args = 1,
	.timeout_s = 600,
	.options = { { "base", "PATH", "the path the export is served under (default: the public URL's)" } },
	.run = cmd_export_run,
};
