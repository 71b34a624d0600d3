/* Connection settings, the shared request path and small helpers used by
 * every command. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "csv.h"
#include "table.h"
#include "token.h"
#include "xmalloc.h"

const char *cmd_opt(const struct cmd_args *a, const char *name)
{
	for (size_t i = 0; i < CMD_MAX_OPTIONS && a->entry->options[i].name; i++)
		if (strcmp(a->entry->options[i].name, name) == 0)
			return a->opt[i];
	return NULL;
}

enum ct_status cli_usage(struct cli *cli, struct ct_err *err, const char *fmt, ...)
{
	cli->usage_error = true;
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
	}
	return CT_INVALID;
}

/* Compares two server URLs, ignoring trailing slashes. */
static bool same_server(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	while (la > 0 && a[la - 1] == '/')
		la--;
	while (lb > 0 && b[lb - 1] == '/')
		lb--;
	return la == lb && strncmp(a, b, la) == 0;
}

/* The server of the default profile's login, for a named profile that has
 * none yet: a new string, or NULL. */
static char *default_profile_server(void)
{
	struct token_info ti = { 0 };
	char *server = NULL;
	char *path = token_default_file_path();
	if (path && token_file_read(path, &ti, NULL) == CT_OK && ti.server && *ti.server)
		server = xstrdup(ti.server);
	token_info_clear(&ti);
	free(path);
	return server;
}

/* cli_server, with file the token file already read (or NULL to read it here
 * when it is needed), so that one command reads the file once. */
static const char *resolve_server(struct cli *cli, const struct token_info *file)
{
	if (cli->server)
		return cli->server;
	const char *env = getenv("CONTEST_SERVER");
	if (cli->server_opt && *cli->server_opt) {
		cli->server = xstrdup(cli->server_opt);
		cli->server_source = "--server";
	} else if (env && *env) {
		cli->server = xstrdup(env);
		cli->server_source = "CONTEST_SERVER";
	} else {
		struct token_info ti = { 0 };
		if (!file) {
			char *path = token_file_path();
			if (path && token_file_read(path, &ti, NULL) == CT_OK)
				file = &ti;
			free(path);
		}
		if (file && file->server && *file->server) {
			cli->server = xstrdup(file->server);
			cli->server_source = token_profile() ? "this profile's login" : "the last login";
		} else if (token_profile() && (cli->server = default_profile_server()) != NULL) {
			cli->server_source = "the default profile's login";
		} else {
			cli->server = xstrdup(CLI_DEFAULT_SERVER);
			cli->server_source = "the default";
		}
		token_info_clear(&ti);
	}
	return cli->server;
}

const char *cli_server(struct cli *cli)
{
	return resolve_server(cli, NULL);
}

/* The token to send, or NULL (with cli->token_note saying why). */
static enum ct_status resolve_token(struct cli *cli, char **out, struct ct_err *err)
{
	enum ct_status rc = CT_OK;
	const char *env = getenv("CONTEST_TOKEN");
	char *path = NULL;
	struct token_info ti = { 0 };

	*out = NULL;
	if (cli->token_opt && *cli->token_opt) {
		*out = xstrdup(cli->token_opt);
		goto out;
	}
	if (env && *env) {
		*out = xstrdup(env);
		goto out;
	}
	path = token_file_path();
	if (!path) {
		cli->token_note = xstrdup("no token: HOME is not set; use --token or CONTEST_TOKEN");
		goto out;
	}
	rc = token_file_read(path, &ti, err);
	if (rc == CT_NOT_FOUND) {
		rc = CT_OK;
		cli->token_note = xasprintf("not logged in (no token file %s)", path);
		goto out;
	}
	if (rc != CT_OK)
		goto out;
	const char *server = resolve_server(cli, &ti);
	if (ti.server && !same_server(ti.server, server)) {
		/* never send a token to a server that did not issue it */
		cli->token_note = xasprintf("the login in %s is for %s, not %s", path, ti.server,
					    server);
		goto out;
	}
	*out = ti.token;
	ti.token = NULL;
out:
	token_info_clear(&ti);
	free(path);
	return rc;
}

/* The client for the running command: connects to cli_server with the token
 * from --token, $CONTEST_TOKEN or the token file (the last only when it was
 * issued by the same server), unless the command is no_token. Made once;
 * owned by cli. */
static enum ct_status cli_client(struct cli *cli, struct client **out, struct ct_err *err)
{
	enum ct_status rc = CT_OK;
	const struct cmd_entry *entry = cli->entry;
	char *token = NULL;
	if (cli->client) {
		*out = cli->client;
		return CT_OK;
	}
	if (!entry->no_token && (rc = resolve_token(cli, &token, err)) != CT_OK)
		goto out;
	int timeout = cli->timeout_s > 0 ? cli->timeout_s
		    : entry->timeout_s > 0 ? entry->timeout_s : CLI_DEFAULT_TIMEOUT_S;
	if ((rc = client_new(cli_server(cli), token, timeout, &cli->client, err)) != CT_OK)
		goto out;
	if (entry->max_reply)
		client_set_max_reply(cli->client, entry->max_reply);
	*out = cli->client;
out:
	xfree_secret(token);
	return rc;
}

static enum ct_status status_of_http(int http)
{
	switch (http) {
	case 400: return CT_INVALID;
	case 401: return CT_UNAUTHORIZED;
	case 403: return CT_FORBIDDEN;
	case 404: return CT_NOT_FOUND;
	case 405: return CT_METHOD_NOT_ALLOWED;
	case 409: return CT_CONFLICT;
	case 413: return CT_TOO_LARGE;
	case 415: return CT_UNSUPPORTED_TYPE;
	case 429: return CT_RATE_LIMITED;
	case 503: return CT_UNAVAILABLE;
	}
	return http >= 500 ? CT_INTERNAL : CT_INVALID;
}

/* Formats the error of reply r (status >= 400) into err and returns the
 * matching status. */
static enum ct_status cli_reply_error(struct cli *cli, const struct reply *r, struct ct_err *err)
{
	enum ct_status st = status_of_http(r->status);
	const json_t *e = json_object_get(r->json, "error");
	const char *msg = json_str(e, "message", NULL);
	const char *code = json_str(e, "code", NULL);
	char hint[300] = "";

	bool login = cli->entry && cli->entry->no_token;
	if (r->status == 401 && cli->token_note && !login)
		snprintf(hint, sizeof hint, "; %s: run judge-cli login", cli->token_note);
	else if (r->status == 401 && !login)
		snprintf(hint, sizeof hint, "; the login may have expired: run judge-cli login");
	else if (r->status == 404 && msg && strncmp(msg, "no event ", 9) == 0)
		snprintf(hint, sizeof hint, "; judge-cli event list shows the events");
	else if (r->status == 429 && r->retry_after && !(msg && strstr(msg, "try again")))
		snprintf(hint, sizeof hint, "; try again in %s s", r->retry_after);
	if (!msg) {
		/* not contestd's error format: a proxy, or a server of another kind */
		msg = "the server refused the request";
		code = NULL;
	}
	if (code)
		return ct_fail(err, st, "%s (%d %s)%s", msg, r->status, code, hint);
	return ct_fail(err, st, "%s (HTTP %d)%s", msg, r->status, hint);
}

/* Replaces every string value in v that holds control characters by its
 * text_printable form. */
static void printable_json(json_t *v)
{
	const char *key;
	json_t *m;
	size_t i;
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
			if (*p < 0x20 || *p == 0x7F || (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)) {
				char *clean = text_printable(s);
				json_string_set(v, clean);
				free(clean);
				break;
			}
		}
	} else if (json_is_object(v)) {
		json_object_foreach(v, key, m)
			printable_json(m);
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, m)
			printable_json(m);
	}
}

enum ct_status cli_call(struct cli *cli, const char *method, const char *path,
			const json_t *body, const char *idem_key, struct reply *r,
			struct ct_err *err)
{
	if (!body)
		return cli_call_body(cli, method, path, NULL, NULL, 0, idem_key, r, err);
	char *text = json_dumps(body, JSON_COMPACT);
	if (!text) {
		memset(r, 0, sizeof *r);
		return ct_fail(err, CT_INTERNAL, "cannot encode the request as JSON");
	}
	enum ct_status rc = cli_call_body(cli, method, path, "application/json", text, strlen(text), idem_key, r,
					  err);
	free(text);
	return rc;
}

enum ct_status cli_call_body(struct cli *cli, const char *method, const char *path, const char *content_type,
			     const void *body, size_t len, const char *idem_key, struct reply *r,
			     struct ct_err *err)
{
	enum ct_status rc;
	struct client *c;
	memset(r, 0, sizeof *r);
	if ((rc = cli_client(cli, &c, err)) != CT_OK)
		return rc;
	cli->unreachable = false;
	client_set_progress(c, cli->progress, cli->progress_arg);
	rc = client_request_body(c, method, path, content_type, body, len, idem_key, r, err);
	client_set_progress(c, NULL, NULL);
	if (rc != CT_OK) {
		if (rc == CT_UNAVAILABLE) {
			cli->unreachable = true;
			size_t n = strlen(err->msg);
			snprintf(err->msg + n, sizeof err->msg - n,
				 " (server from %s); check that contestd runs there, or name the server"
				 " with --server URL or CONTEST_SERVER",
				 cli->server_source ? cli->server_source : "the default");
		}
		return rc;
	}
	printable_json(r->json);
	if (r->status >= 200 && r->status < 300)
		return CT_OK;
	return cli_reply_error(cli, r, err);
}

enum ct_status cli_event_call(struct cli *cli, const struct cmd_args *a, const char *method,
			      const char *suffix, const json_t *body, const char *idem_key,
			      struct reply *r, struct ct_err *err)
{
	char *path = cli_path("/api/v1/events/", a->argv[0], suffix);
	enum ct_status rc = cli_call(cli, method, path, body, idem_key, r, err);
	free(path);
	return rc;
}

enum ct_status cli_get_event(struct cli *cli, const struct cmd_args *a,
			     const char *const *formats, const char *suffix,
			     const char *const *arrays, int *fmt, struct reply *r,
			     struct ct_err *err)
{
	enum ct_status rc;
	memset(r, 0, sizeof *r);
	if ((*fmt = cli_format(cli, cmd_opt(a, "format"), formats, err)) < 0)
		return CT_INVALID;
	const char *enc = cmd_opt(a, "encoding"), *out = cmd_opt(a, "out");
	enum csv_out_encoding e;
	if ((enc || out) && strcmp(formats[*fmt], "csv") != 0)
		return cli_usage(cli, err, "%s goes with --format csv", enc ? "--encoding" : "--out");
	if (enc && !csv_out_encoding_parse(enc, &e))
		return cli_usage(cli, err, "unknown encoding \"%s\" (use utf-8, utf-8-bom or gbk)", enc);
	if (out && !*out)
		return cli_usage(cli, err, "--out needs a file name");
	if ((rc = cli_event_call(cli, a, "GET", suffix, NULL, NULL, r, err)) != CT_OK)
		return rc;
	for (size_t i = 0; arrays && arrays[i]; i++)
		if (!json_is_array(json_object_get(r->json, arrays[i])))
			return cli_unexpected(err, arrays[i]);
	return CT_OK;
}

enum ct_status cli_write_csv(const struct cmd_args *a, const char *csv, size_t len, struct ct_err *err)
{
	const char *path = cmd_opt(a, "out"), *name = cmd_opt(a, "encoding");
	char *text = NULL;
	size_t text_len = 0;
	struct stat sb;
	enum csv_out_encoding enc = CSV_OUT_UTF8;
	if (name)
		csv_out_encoding_parse(name, &enc); /* checked by cli_get_event */
	else if (path || (fstat(STDOUT_FILENO, &sb) == 0 && S_ISREG(sb.st_mode)))
		enc = CSV_OUT_UTF8_BOM;
	enum ct_status rc = csv_encode(csv, len, enc, &text, &text_len, err);
	if (rc != CT_OK)
		return rc;
	int fd = STDOUT_FILENO;
	if (path && (fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0) {
		rc = ct_fail(err, CT_INTERNAL, "cannot create %s: %s", path, strerror(errno));
		goto out;
	}
	fflush(stdout);
	for (size_t done = 0; done < text_len;) {
		ssize_t n = write(fd, text + done, text_len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = ct_fail(err, CT_INTERNAL, "cannot write %s: %s", path ? path : "the output",
				     strerror(errno));
			goto out;
		}
		done += (size_t)n;
	}
	if (path && close(fd) != 0) {
		fd = -1;
		rc = ct_fail(err, CT_INTERNAL, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	if (path) {
		static const char *const names[] = { "UTF-8", "UTF-8 with BOM", "GBK" };
		fd = -1;
		printf("wrote %s (%zu bytes, %s)\n", path, text_len, names[enc]);
	}
out:
	if (path && fd >= 0)
		close(fd);
	free(text);
	return rc;
}

char *cli_path(const char *prefix, const char *segment, const char *suffix)
{
	char *enc = client_escape(segment);
	char *p = xasprintf("%s%s%s", prefix, enc, suffix ? suffix : "");
	free(enc);
	return p;
}

enum ct_status cli_read_file(const char *path, size_t max, char **out, size_t *len,
			     struct ct_err *err)
{
	enum ct_status rc = CT_OK;
	char *buf = NULL;
	size_t cap = 0, n = 0;
	bool in = strcmp(path, "-") == 0;
	int fd = in ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (in)
		path = "standard input";
	if (fd < 0) {
		rc = ct_fail(err, errno == ENOENT ? CT_NOT_FOUND : CT_INTERNAL, "cannot open %s: %s",
			     path, strerror(errno));
		goto out;
	}
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = xreallocarray(buf, cap + 1, 1);
		}
		ssize_t got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = ct_fail(err, CT_INTERNAL, "cannot read %s: %s", path, strerror(errno));
			goto out;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n > max) {
			rc = ct_fail(err, CT_TOO_LARGE, "%s is larger than %zu bytes", path, max);
			goto out;
		}
	}
	if (!buf)
		buf = xmalloc(1);
	buf[n] = '\0';
	*out = buf;
	*len = n;
	buf = NULL;
out:
	if (fd >= 0 && !in)
		close(fd);
	free(buf);
	return rc;
}

enum ct_status cli_make_dirs(const char *dir, unsigned mode, struct ct_err *err)
{
	enum ct_status rc = CT_OK;
	char *path = xstrdup(dir);
	for (char *p = path + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		if (mkdir(path, (mode_t)mode) != 0 && errno != EEXIST) {
			rc = ct_fail(err, CT_INTERNAL, "cannot create directory %s: %s", path, strerror(errno));
			break;
		}
		*p = saved;
		if (saved == '\0')
			break;
	}
	free(path);
	return rc;
}

enum ct_status cli_write_file(const char *path, const void *data, size_t len, struct ct_err *err)
{
	char *tmp = xasprintf("%s.tmp%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	enum ct_status rc = fd < 0 ? ct_fail(err, CT_INTERNAL, "cannot create %s: %s", tmp, strerror(errno)) : CT_OK;
	for (size_t done = 0; rc == CT_OK && done < len;) {
		ssize_t n = write(fd, (const char *)data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			rc = ct_fail(err, CT_INTERNAL, "cannot write %s: %s", path, strerror(errno));
		else
			done += (size_t)n;
	}
	if (fd >= 0 && close(fd) != 0 && rc == CT_OK)
		rc = ct_fail(err, CT_INTERNAL, "cannot write %s: %s", path, strerror(errno));
	if (rc == CT_OK && rename(tmp, path) != 0)
		rc = ct_fail(err, CT_INTERNAL, "cannot write %s: %s", path, strerror(errno));
	if (rc != CT_OK && fd >= 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

enum ct_status cli_read_secret(const char *what, char **out, struct ct_err *err)
{
	enum ct_status rc = CT_OK;
	char line[1024];
	struct termios saved;
	bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;

	if (tty) {
		struct termios quiet = saved;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		fprintf(stderr, "%s: ", what);
		fflush(stderr);
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	char *got = fgets(line, sizeof line, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
		fprintf(stderr, "\n");
	}
	if (!got) {
		rc = ct_fail(err, CT_INVALID, "no %s on standard input", what);
		goto out;
	}
	size_t n = strlen(line);
	if (n == sizeof line - 1 && line[n - 1] != '\n') {
		rc = ct_fail(err, CT_INVALID, "the line read from standard input is too long");
		goto out;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	*out = xstrdup(line);
out:
	sodium_memzero(line, sizeof line);
	return rc;
}

const char *json_text(const json_t *obj, const char *key, const char *dflt, char *buf)
{
	const json_t *v = json_object_get(obj, key);
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, 32, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	if (json_is_true(v))
		return "yes";
	if (json_is_false(v))
		return "no";
	return dflt;
}

const char *json_str(const json_t *obj, const char *key, const char *dflt)
{
	const char *s = json_string_value(json_object_get(obj, key));
	return s ? s : dflt;
}

void json_wipe_member(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (json_is_string(v))
		sodium_memzero((char *)json_string_value(v), json_string_length(v));
}

void cli_print_recusal(const json_t *changes)
{
	size_t i;
	const json_t *c;
	json_array_foreach(changes, i, c) {
		char b[32];
		const char *code = json_str(c, "code", NULL);
		char who[128];
		snprintf(who, sizeof who, "%s%s%s%s", json_str(c, "contestant", "?"), code ? " (" : "", code ? code : "",
			 code ? ")" : "");
		const char *event = json_str(c, "event", "?"), *judge = json_str(c, "judge", "?");
		const char *name = json_str(c, "judge_name", "");
		json_int_t values = json_integer_value(json_object_get(c, "values"));
		if (!json_is_true(json_object_get(c, "recused")))
			printf("note: %s: judge %s %s is no longer recused from contestant %s and now owes its values\n",
			       event, judge, name, who);
		else if (values == 0)
			printf("note: %s: judge %s %s is now recused from contestant %s (same organization); the judge "
			       "has no value on it\n", event, judge, name, who);
		else
			printf("warning: %s: judge %s %s is now of the same organization as contestant %s: the judge's "
			       "%s value%s on it no longer count (results leave out the values of a recused judge; "
			       "they stay in the history and the audit trail)\n", event, judge, name, who,
			       json_text(c, "values", "?", b), values == 1 ? "" : "s");
	}
}

void cli_print_json(const json_t *v)
{
	char *s = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (s) {
		fputs(s, stdout);
		fputc('\n', stdout);
		free(s);
	}
}

void cli_print_table(struct table *t)
{
	char *s = table_render(t);
	fputs(s, stdout);
	free(s);
	table_free(t);
}

enum ct_status cli_unexpected(struct ct_err *err, const char *what)
{
	return ct_fail(err, CT_INTERNAL, "unexpected answer from the server: no \"%s\"", what);
}

int cli_format(struct cli *cli, const char *value, const char *const *names, struct ct_err *err)
{
	if (!value)
		return 0;
	for (int i = 0; names[i]; i++)
		if (strcmp(value, names[i]) == 0)
			return i;
	char list[128] = "";
	size_t o = 0;
	for (int i = 0; names[i] && o < sizeof list; i++) {
		int n = snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "", names[i]);
		if (n < 0)
			break;
		o += (size_t)n;
	}
	cli_usage(cli, err, "unknown format \"%s\" (use %s)", value, list);
	return -1;
}

bool parse_count(const char *s, long long max, long long *out)
{
	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (errno == ERANGE || *end != '\0' || v < 0 || v > max)
		return false;
	*out = v;
	return true;
}
