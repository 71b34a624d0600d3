/* What every judge-cli command shares: the command table entry, parsed
 * arguments, the connection settings (server, token, timeout) and the one
 * request function that turns a server error into a message. */
#ifndef JUDGECLI_CLI_H
#define JUDGECLI_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "client.h"
#include "status.h"

#define CLI_DEFAULT_SERVER "http://127.0.0.1:8080"
#define CLI_DEFAULT_TIMEOUT_S 60
#define CMD_MAX_OPTIONS 8

/* Global settings, filled by main from options and the environment. */
struct cli {
	const char *server_opt;  /* --server, or NULL */
	const char *token_opt;   /* --token, or NULL */
	int timeout_s;           /* --timeout, or 0 for the command's default */
	bool usage_error;        /* set by cli_usage: main prints the usage */
	const struct cmd_entry *entry; /* the running command */
	struct client *client;   /* made by the first cli_call */
	char *server;            /* resolved server URL */
	char *token_note;        /* why no token was sent, for a 401 hint; or NULL */
	const char *server_source; /* where cli->server came from, for messages */
	bool unreachable;        /* the last cli_call got no answer: exit status 3 */
	client_progress_fn progress; /* told how a request goes (client_set_progress), or NULL */
	void *progress_arg;
};

/* One option of a command: --name [ARG]. */
struct cmd_option {
	const char *name;
	const char *arg;         /* placeholder of the argument, or NULL for a flag */
	const char *help;
};

/* The positional arguments and option values a command runs with. */
struct cmd_args {
	const struct cmd_entry *entry;
	int argc;
	char **argv;
	const char *opt[CMD_MAX_OPTIONS]; /* by the index in entry->options; NULL when
					   * not given, "" for a given flag */
};

struct cmd_entry {
	const char *name;        /* "import", "event list" */
	const char *args;        /* positional part of the usage line */
	const char *summary;     /* one line for the command list */
	const char *help;        /* paragraph for --help, or NULL */
	int min_args, max_args;
	struct cmd_option options[CMD_MAX_OPTIONS]; /* ends at the first NULL name */
	int timeout_s;           /* default request timeout, 0 = CLI_DEFAULT_TIMEOUT_S */
	bool no_token;           /* the command does not authenticate (login) */
	size_t max_reply;        /* largest answer accepted, 0 = CLIENT_MAX_REPLY */
	enum ct_status (*run)(struct cli *cli, const struct cmd_args *a, struct ct_err *err);
};

/* Value of option name of the running command, or NULL when not given. */
const char *cmd_opt(const struct cmd_args *a, const char *name);

/* Records a usage error: main prints the message and the command's usage and
 * exits with status 2. Returns CT_INVALID. */
enum ct_status cli_usage(struct cli *cli, struct ct_err *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Exit statuses of judge-cli (README, judge-cli --help). */
enum {
	CLI_EXIT_OK = 0,
	CLI_EXIT_FAILED = 1,      /* refused by the server, or failed */
	CLI_EXIT_USAGE = 2,       /* bad command line */
	CLI_EXIT_UNREACHABLE = 3, /* no answer from the server */
};

/* The resolved server URL: --server, else $CONTEST_SERVER, else the server
 * of the profile's token file, else (for a named profile without one) the
 * server of the default profile's login, else CLI_DEFAULT_SERVER. Borrowed
 * from cli. */
const char *cli_server(struct cli *cli);

/* Sends one request of the running command cli->entry (see client_request)
 * over the client made on first use: to cli_server, with the token from
 * --token, $CONTEST_TOKEN or the token file (the last only when it was issued
 * by the same server) unless the command is no_token. Classifies the answer:
 * CT_OK for 2xx; otherwise the status matching the HTTP status, with err->msg
 * as "MESSAGE (409 conflict)" taken from the server's error body. Without an
 * answer: CT_UNAVAILABLE, cli->unreachable set and err->msg saying where the
 * server came from and how to name another. Every string of the answer's
 * JSON is made printable first (text_printable), so no control character
 * from the server reaches the terminal. *r holds the answer either way
 * (reply_clear it). */
enum ct_status cli_call(struct cli *cli, const char *method, const char *path,
			const json_t *body, const char *idem_key, struct reply *r,
			struct ct_err *err);

/* cli_call with a body already encoded: len bytes of content_type (NULL:
 * no body). */
enum ct_status cli_call_body(struct cli *cli, const char *method, const char *path, const char *content_type,
			     const void *body, size_t len, const char *idem_key, struct reply *r,
			     struct ct_err *err);

/* cli_call to "/api/v1/events/" + the event a->argv[0] (percent-encoded) +
 * suffix (may be NULL). */
enum ct_status cli_event_call(struct cli *cli, const struct cmd_args *a, const char *method,
			      const char *suffix, const json_t *body, const char *idem_key,
			      struct reply *r, struct ct_err *err);

/* The start of a command that shows an event: checks --format against
 * formats (see cli_format; *fmt is the index) and that --encoding and --out,
 * when the command has them, come with --format csv and --encoding names a
 * known encoding, then GETs the event's suffix
 * with cli_event_call and checks that each member named in arrays
 * (NULL-terminated, or NULL for none) is a JSON array, failing with
 * cli_unexpected on the first that is not. CT_INVALID after cli_usage for a
 * bad --format. *r is zeroed first and holds the answer either way
 * (reply_clear it). */
enum ct_status cli_get_event(struct cli *cli, const struct cmd_args *a,
			     const char *const *formats, const char *suffix,
			     const char *const *arrays, int *fmt, struct reply *r,
			     struct ct_err *err);

/* Writes the UTF-8 CSV text csv (len bytes) to the running command's --out
 * FILE (created or replaced, mode 0600), else to standard output, in its
 * --encoding: utf-8, utf-8-bom or gbk; by default utf-8-bom when the output
 * is a file (--out, or standard output redirected to a regular file), so
 * that Excel reads the Chinese right, and plain utf-8 to a terminal or a
 * pipe. CT_INVALID when a character has no GBK form. */
enum ct_status cli_write_csv(const struct cmd_args *a, const char *csv, size_t len, struct ct_err *err);

/* "/prefix" + percent-encoded segment + suffix. Returns a new string. */
char *cli_path(const char *prefix, const char *segment, const char *suffix);

/* Reads the whole file path (at most max bytes; "-" is standard input) into
 * a new NUL-terminated buffer *out of *len bytes; caller frees. CT_NOT_FOUND,
 * CT_TOO_LARGE or CT_INTERNAL with a message naming the file. */
enum ct_status cli_read_file(const char *path, size_t max, char **out, size_t *len,
			     struct ct_err *err);

/* Creates directory dir and any missing parents (mode, e.g. 0755; EEXIST
 * is fine). CT_INTERNAL with a message naming the directory otherwise. */
enum ct_status cli_make_dirs(const char *dir, unsigned mode, struct ct_err *err);

/* Writes len bytes of data to path, replacing it (through a temporary file
 * renamed into place, mode 0644 less the umask). CT_INTERNAL naming the file
 * on failure. */
enum ct_status cli_write_file(const char *path, const void *data, size_t len, struct ct_err *err);

/* Reads one line (without its line break, at most 1023 bytes) from stdin:
 * what is being read ("admin secret"), for the prompt shown with echo off
 * when stdin is a terminal and for messages. Returns a new string in *out;
 * caller frees. */
enum ct_status cli_read_secret(const char *what, char **out, struct ct_err *err);

/* Member key of obj as text for display: strings as they are, integers in
 * decimal, null or absent as dflt. Borrowed or in buf (at least 32 bytes). */
const char *json_text(const json_t *obj, const char *key, const char *dflt, char *buf);

/* Member key of obj when it is a string, else dflt. Borrowed. */
const char *json_str(const json_t *obj, const char *key, const char *dflt);

/* Overwrites the string member key of obj with zeros in place (jansson
 * owns the copy, so this is the only way to wipe a secret before
 * json_decref). */
void json_wipe_member(json_t *obj, const char *key);

/* Prints what an organization correction changed in recusal (the
 * "recusal" list of a contestant or judge PATCH answer), one line each:
 * a warning for a judge whose values on a contestant no longer count. */
void cli_print_recusal(const json_t *changes);

/* Prints a JSON value to stdout, indented, UTF-8 unescaped. */
void cli_print_json(const json_t *v);

/* Renders table t to stdout and frees it. */
struct table;
void cli_print_table(struct table *t);

/* Fails with CT_INTERNAL: the server's answer lacks what (a member name). */
enum ct_status cli_unexpected(struct ct_err *err, const char *what);

/* Checks a --format value against the allowed names (NULL-terminated);
 * dflt when value is NULL. Returns the index, or -1 after cli_usage. */
int cli_format(struct cli *cli, const char *value, const char *const *names, struct ct_err *err);

/* Parses a whole non-negative decimal integer no greater than max (no sign,
 * no spaces). Returns false when s is not one. */
bool parse_count(const char *s, long long max, long long *out);

#endif
