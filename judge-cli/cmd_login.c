/* `judge-cli login`: trades an organizer account's secret or a judge's code
 * and PIN for a token and keeps it, with the server it came from, in the
 * token file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cmd.h"
#include "token.h"
#include "xmalloc.h"

#define SECRET_FILE_MAX 4096

/* First line of file path, without its line break. */
static enum ct_status read_first_line(const char *path, char **out, struct ct_err *err)
{
	char *buf = NULL;
	size_t len;
	enum ct_status rc = cli_read_file(path, SECRET_FILE_MAX, &buf, &len, err);
	if (rc != CT_OK)
		return rc;
	buf[strcspn(buf, "\r\n")] = '\0';
	*out = xstrdup(buf);
	sodium_memzero(buf, len);
	free(buf);
	return CT_OK;
}

static enum ct_status cmd_login_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	enum ct_status rc = CT_OK;
	const char *judge = cmd_opt(a, "judge");
	const char *organizer = cmd_opt(a, "organizer");
	const char *secret_opt = cmd_opt(a, "secret");
	const char *secret_file = cmd_opt(a, "secret-file");
	const char *pin_opt = cmd_opt(a, "pin");
	bool admin = cmd_opt(a, "admin") != NULL || organizer != NULL;
	char *secret = NULL;
	char *path = NULL;
	json_t *body = json_object();
	struct reply r = { 0 };
	struct token_info ti = { 0 };

	if (admin == (judge != NULL) || (organizer && cmd_opt(a, "admin"))) {
		rc = cli_usage(cli, err, "give one of --organizer NAME, --admin (the account admin) or --judge CODE");
		goto out;
	}
	if ((admin && pin_opt) || (judge && (secret_opt || secret_file)) ||
	    (secret_opt && secret_file)) {
		rc = cli_usage(cli, err, "use --secret or --secret-file with --organizer or --admin, --pin with --judge");
		goto out;
	}
	if (!organizer)
		organizer = "admin";
	path = token_file_path();
	if (!path) {
		rc = ct_fail(err, CT_INVALID, "nowhere to keep the token: set HOME or JUDGE_CLI_TOKEN_FILE");
		goto out;
	}
	if (admin) {
		if (secret_opt)
			secret = xstrdup(secret_opt);
		else if (secret_file)
			rc = read_first_line(secret_file, &secret, err);
		else
			rc = cli_read_secret("organizer secret", &secret, err);
	} else {
		const char *env = getenv("CONTEST_PIN");
		if (pin_opt)
			secret = xstrdup(pin_opt);
		else if (env && *env)
			secret = xstrdup(env);
		else
			rc = cli_read_secret("PIN", &secret, err);
	}
	if (rc != CT_OK)
		goto out;
	if (!*secret) {
		rc = ct_fail(err, CT_INVALID, "empty %s", admin ? "secret" : "PIN");
		goto out;
	}
	if (admin) {
		json_object_set_new(body, "organizer", json_string(organizer));
		json_object_set_new(body, "secret", json_string(secret));
	} else {
		json_object_set_new(body, "judge", json_string(judge));
		json_object_set_new(body, "pin", json_string(secret));
	}
	if ((rc = cli_call(cli, "POST", "/api/v1/login", body, NULL, &r, err)) != CT_OK)
		goto out;
	const char *token = json_str(r.json, "token", NULL);
	const char *role = json_str(r.json, "role", NULL);
	const char *who = json_str(r.json, "judge", NULL);
	const char *account = json_str(r.json, "organizer", organizer);
	if (!token || !*token || !role) {
		rc = ct_fail(err, CT_INTERNAL, "the server's login answer has no token");
		goto out;
	}
	ti.server = xstrdup(cli_server(cli));
	ti.token = xstrdup(token);
	ti.role = xstrdup(role);
	ti.judge = who ? xstrdup(who) : judge ? xstrdup(judge) : NULL;
	if ((rc = token_file_write(path, &ti, err)) != CT_OK)
		goto out;
	if (strcmp(role, "organizer") == 0)
		printf("logged in as organizer %s", account);
	else
		printf("logged in as %s %s", role, ti.judge ? ti.judge : "");
	printf(" at %s", ti.server);
	if (token_profile())
		printf(" (profile %s)", token_profile());
	printf("\n");
out:
	/* the request body holds the secret: wipe it before freeing */
	json_wipe_member(body, "secret");
	json_wipe_member(body, "pin");
	json_decref(body);
	xfree_secret(secret);
	reply_clear(&r);
	token_info_clear(&ti);
	free(path);
	return rc;
}

const struct cmd_entry cmd_login_entry = {
	.name = "login",
	.args = "",
	.summary = "log in as an organizer or as a judge and keep the token",
	.help = "Logs in to the server and writes the token to the token file\n"
		"($JUDGE_CLI_TOKEN_FILE, else $XDG_CONFIG_HOME/judge-cli/token or\n"
		"~/.config/judge-cli/token, mode 0600), with the server it is for; with\n"
		"--profile NAME to ~/.config/judge-cli/profiles/NAME instead, so that other\n"
		"logins stay as they are.\n"
		"An organizer account's secret comes from --secret, --secret-file or a line\n"
		"on standard input (--admin is the first account, admin, whose secret the\n"
		"server's first start wrote to DB.admin-secret); a judge's PIN from --pin,\n"
		"$CONTEST_PIN or a line on standard input. After 5 wrong attempts from one\n"
		"computer within 15 minutes that account is refused from there until then\n"
		"(an organizer can clear a judge's: judge-cli judge unlock-login CODE).",
	.min_args = 0,
	.max_args = 0,
	.options = {
		{ "organizer", "NAME", "log in as the organizer account NAME" },
		{ "admin", NULL, "log in as the organizer account admin" },
		{ "secret", "S", "the account's secret" },
		{ "secret-file", "FILE", "read the secret from FILE (first line)" },
		{ "judge", "CODE", "log in as the judge CODE" },
		{ "pin", "PIN", "the judge's PIN" },
	},
	.no_token = true,
	.run = cmd_login_run,
};
