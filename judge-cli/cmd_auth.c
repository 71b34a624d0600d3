/* Accounts and sessions: `logout`, `whoami`, `organizer add|list|disable`
 * and `judge unlock-login`. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "cmd.h"
#include "table.h"
#include "token.h"
#include "xmalloc.h"

static enum ct_status cmd_logout_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	(void)a;
	struct reply r;
	enum ct_status rc = cli_call(cli, "POST", "/api/v1/logout", NULL, NULL, &r, err);
	/* The token from the file is gone either way once the server has
	 * revoked it or does not know it: forget it here too. */
	bool from_file = !(cli->token_opt && *cli->token_opt) && !(getenv("CONTEST_TOKEN") && *getenv("CONTEST_TOKEN"));
	if ((rc == CT_OK || rc == CT_UNAUTHORIZED) && from_file && !cli->token_note) {
		char *path = token_file_path();
		if (path && unlink(path) != 0 && errno != ENOENT && rc == CT_OK)
			rc = ct_fail(err, CT_INTERNAL, "logged out, but cannot remove %s: %s", path, strerror(errno));
		free(path);
	}
	if (rc == CT_OK) {
		char b[32];
		printf("logged out %s\n", json_text(r.json, "logged_out", "", b));
	}
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_logout_entry = {
	.name = "logout",
	.args = "",
	.summary = "end the session: the server revokes the token, the token file is removed",
	.max_args = 0,
	.run = cmd_logout_run,
};

static enum ct_status cmd_whoami_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	struct reply r;
	int fmt = cli_format(cli, cmd_opt(a, "format"), (const char *const[]){"table", "json", NULL}, err);
	if (fmt < 0)
		return CT_INVALID;
	enum ct_status rc = cli_call(cli, "GET", "/api/v1/whoami", NULL, NULL, &r, err);
	if (rc != CT_OK)
		goto out;
	if (fmt == 1) {
		cli_print_json(r.json);
		goto out;
	}
	char b[32];
	const char *role = json_str(r.json, "role", "?");
	printf("%s %s at %s (token valid until %s)\n", role, json_str(r.json, role, "?"), cli_server(cli),
	       json_text(r.json, "expires_at", "?", b));
	const json_t *events = json_object_get(r.json, "events");
	size_t i;
	const json_t *e;
	json_array_foreach(events, i, e)
		printf("  %s  %s  %s (%s)\n", json_str(e, "code", ""), json_str(e, "name", ""), json_str(e, "role", ""),
		       json_str(e, "state", ""));
out:
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_whoami_entry = {
	.name = "whoami",
	.args = "",
	.summary = "show who the token logs in as, and a judge's events",
	.max_args = 0,
	.options = { { "format", "table|json", "output format (default table)" } },
	.run = cmd_whoami_run,
};

/* Writes secret and a line break to a new file of mode 0600. */
static enum ct_status write_secret_file(const char *path, const char *secret, struct ct_err *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return ct_fail(err, CT_INTERNAL, "cannot create %s: %s (it must not exist yet)", path, strerror(errno));
	size_t n = strlen(secret);
	bool ok = write(fd, secret, n) == (ssize_t)n && write(fd, "\n", 1) == 1;
	if (close(fd) != 0 || !ok)
		return ct_fail(err, CT_INTERNAL, "cannot write %s: %s", path, strerror(errno));
	return CT_OK;
}

static enum ct_status cmd_organizer_add_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	struct reply r;
	const char *file = cmd_opt(a, "secret-file");
	json_t *body = json_pack("{s:s}", "name", a->argv[0]);
	if (!body)
		return cli_usage(cli, err, "NAME must be valid UTF-8");
	enum ct_status rc = cli_call(cli, "POST", "/api/v1/organizers", body, NULL, &r, err);
	json_decref(body);
	const char *secret = json_str(r.json, "secret", NULL);
	if (rc == CT_OK && !secret)
		rc = cli_unexpected(err, "secret");
	if (rc == CT_OK && file)
		rc = write_secret_file(file, secret, err);
	if (rc == CT_OK && file)
		printf("organizer account %s created; its secret is in %s (mode 0600)\n", a->argv[0], file);
	else if (rc == CT_OK)
		printf("organizer account %s created; its secret, shown this once:\n%s\n", a->argv[0], secret);
	if (secret)
		sodium_memzero((char *)secret, strlen(secret));
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_organizer_add_entry = {
	.name = "organizer add",
	.args = "NAME",
	.summary = "create an organizer account; its secret is shown once",
	.help = "NAME: letters, digits, '-', '_' and '.'. The new organizer logs in with\n"
		"judge-cli login --organizer NAME; every audit record names the account.",
	.min_args = 1,
	.max_args = 1,
	.options = { { "secret-file", "FILE", "write the secret to the new file FILE (mode 0600) instead" } },
	.run = cmd_organizer_add_run,
};

static enum ct_status cmd_organizer_list_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	struct reply r;
	int fmt = cli_format(cli, cmd_opt(a, "format"), (const char *const[]){"table", "json", NULL}, err);
	if (fmt < 0)
		return CT_INVALID;
	enum ct_status rc = cli_call(cli, "GET", "/api/v1/organizers", NULL, NULL, &r, err);
	const json_t *list = json_object_get(r.json, "organizers");
	if (rc == CT_OK && !json_is_array(list))
		rc = cli_unexpected(err, "organizers");
	if (rc == CT_OK && fmt == 1)
		cli_print_json(r.json);
	if (rc == CT_OK && fmt == 0) {
		static const char *const head[] = {"NAME", "STATUS", "CREATED", "BY", "DISABLED", "BY"};
		struct table *t = table_new(6, head);
		size_t i;
		const json_t *o;
		json_array_foreach(list, i, o) {
			const char *row[] = {json_str(o, "name", ""),
					     json_is_true(json_object_get(o, "active")) ? "active" : "disabled",
					     json_str(o, "created_at", ""), json_str(o, "created_by", ""),
					     json_str(o, "disabled_at", ""), json_str(o, "disabled_by", "")};
			table_add(t, row);
		}
		cli_print_table(t);
	}
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_organizer_list_entry = {
	.name = "organizer list",
	.args = "",
	.summary = "list the organizer accounts",
	.max_args = 0,
	.options = { { "format", "table|json", "output format (default table)" } },
	.run = cmd_organizer_list_run,
};

/* POSTs to prefix + NAME + suffix, and prints before NAME after. */
static enum ct_status post_named(struct cli *cli, const char *prefix, const char *name, const char *suffix,
				 const char *before, const char *after, struct ct_err *err)
{
	struct reply r;
	char *path = cli_path(prefix, name, suffix);
	enum ct_status rc = cli_call(cli, "POST", path, NULL, NULL, &r, err);
	if (rc == CT_OK)
		printf("%s%s%s\n", before, name, after);
	free(path);
	reply_clear(&r);
	return rc;
}

static enum ct_status cmd_organizer_disable_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	return post_named(cli, "/api/v1/organizers/", a->argv[0], "/disable", "organizer account ",
			  " disabled; its tokens are revoked", err);
}

const struct cmd_entry cmd_organizer_disable_entry = {
	.name = "organizer disable",
	.args = "NAME",
	.summary = "disable an organizer account and revoke its tokens",
	.min_args = 1,
	.max_args = 1,
	.run = cmd_organizer_disable_run,
};

static enum ct_status cmd_unlock_login_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	return post_named(cli, "/api/v1/judges/", a->argv[0], "/unlock-login", "judge ",
			  " may log in again from every address", err);
}

const struct cmd_entry cmd_judge_unlock_login_entry = {
	.name = "judge unlock-login",
	.args = "CODE",
	.summary = "clear a judge's failed-login lockout (organizer)",
	.min_args = 1,
	.max_args = 1,
	.run = cmd_unlock_login_run,
};
