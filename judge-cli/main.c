/* judge-cli: the command line client of contestd. main parses the global
 * options, finds the command in the table (as tmux's cmd_entry list does),
 * parses the command's own options and runs it. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "table.h"
#include "token.h"
#include "xmalloc.h"

#define JUDGE_CLI_VERSION "0.1.0"

static const struct cmd_entry *const commands[] = {
	&cmd_login_entry,
	&cmd_import_entry,
	&cmd_event_list_entry,
	&cmd_event_show_entry,
	&cmd_event_set_entry,
	&cmd_event_delete_entry,
	&cmd_module_set_entry,
	&cmd_module_delete_entry,
	&cmd_criterion_set_entry,
	&cmd_criterion_delete_entry,
	&cmd_contestants_entry,
	&cmd_contestant_set_entry,
	&cmd_contestant_delete_entry,
	&cmd_draw_entry,
	&cmd_lock_entry,
	&cmd_score_entry,
	&cmd_sheet_entry,
	&cmd_results_entry,
	&cmd_progress_entry,
	&cmd_scores_entry,
	&cmd_accept_entry,
	&cmd_stats_entry,
	&cmd_unlock_entry,
	&cmd_publish_entry,
	&cmd_appeal_add_entry,
	&cmd_appeal_list_entry,
	&cmd_appeal_resolve_entry,
	&cmd_finalize_entry,
	&cmd_certificates_entry,
	&cmd_verify_entry,
	&cmd_revoke_entry,
	&cmd_pubkey_entry,
	&cmd_export_entry,
	&cmd_judge_withdraw_entry,
	&cmd_judge_set_entry,
	&cmd_judge_delete_entry,
	&cmd_judge_unassign_entry,
	&cmd_judge_unlock_login_entry,
	&cmd_organizer_add_entry,
	&cmd_organizer_list_entry,
	&cmd_organizer_disable_entry,
	&cmd_whoami_entry,
	&cmd_logout_entry,
	&cmd_audit_verify_entry,
	&cmd_audit_log_entry,
	&cmd_audit_checkpoint_entry,
	&cmd_backup_entry,
	NULL,
};

enum { OPT_SERVER = 1000, OPT_TOKEN, OPT_TIMEOUT, OPT_VERSION, OPT_PROFILE, OPT_COMMAND = 2000 };

static const struct option global_options[] = {
	{ "server", required_argument, NULL, OPT_SERVER },
	{ "token", required_argument, NULL, OPT_TOKEN },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "profile", required_argument, NULL, OPT_PROFILE },
	{ NULL, 0, NULL, 0 }, /* getopt_long reads until this entry */
};
#define N_GLOBAL (sizeof global_options / sizeof global_options[0] - 1) /* without the end */

static const char global_usage[] =
	"[--server URL] [--token TOKEN] [--profile NAME] [--timeout SECONDS]";

static void print_usage(FILE *f, const struct cmd_entry *e)
{
	fprintf(f, "usage: judge-cli %s%s%s", e->name, *e->args ? " " : "", e->args);
	for (size_t i = 0; i < CMD_MAX_OPTIONS && e->options[i].name; i++) {
		if (e->options[i].arg)
			fprintf(f, " [--%s %s]", e->options[i].name, e->options[i].arg);
		else
			fprintf(f, " [--%s]", e->options[i].name);
	}
	fprintf(f, "\n");
}

static void print_command_help(const struct cmd_entry *e)
{
	print_usage(stdout, e);
	printf("\n%s.\n", e->summary);
	if (e->help)
		printf("\n%s\n", e->help);
	if (e->options[0].name) {
		printf("\noptions:\n");
		for (size_t i = 0; i < CMD_MAX_OPTIONS && e->options[i].name; i++) {
			char left[64];
			snprintf(left, sizeof left, "--%s%s%s", e->options[i].name,
				 e->options[i].arg ? " " : "", e->options[i].arg ? e->options[i].arg : "");
			printf("  %-24s %s\n", left, e->options[i].help);
		}
	}
	printf("\nglobal options: %s\n", global_usage);
}

static void print_help(FILE *f)
{
	fprintf(f, "usage: judge-cli %s COMMAND [ARGS]\n\ncommands:\n", global_usage);
	for (size_t i = 0; commands[i]; i++)
		fprintf(f, "  %-19s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(f,
		"\nRun 'judge-cli COMMAND --help' for the options of a command.\n"
		"\nThe server is --server, else $CONTEST_SERVER, else the server of the\n"
		"last login, else %s.\n"
		"The token is --token, else $CONTEST_TOKEN, else the token file written by\n"
		"login ($JUDGE_CLI_TOKEN_FILE, else $XDG_CONFIG_HOME/judge-cli/token or\n"
		"~/.config/judge-cli/token).\n"
		"\nProfiles: --profile NAME (or $JUDGE_CLI_PROFILE) keeps a separate login,\n"
		"with its own server and token, in ~/.config/judge-cli/profiles/NAME, so\n"
		"that an organizer and a judge can be logged in on one computer at once.\n"
		"A new profile uses the server of the default profile's login until it\n"
		"logs in itself.\n"
		"\nExit status: 0 done; 1 refused by the server or failed; 2 usage error\n"
		"(bad command, option or argument); 3 the server cannot be reached.\n",
		CLI_DEFAULT_SERVER);
}

/* Finds the command named by argv[0] (and argv[1] for two-word names); sets
 * *words to how many arguments the name took. NULL when none matches. */
static const struct cmd_entry *find_command(int argc, char **argv, int *words)
{
	for (size_t i = 0; commands[i]; i++) {
		const char *name = commands[i]->name;
		const char *space = strchr(name, ' ');
		size_t first = space ? (size_t)(space - name) : strlen(name);
		if (strlen(argv[0]) != first || strncmp(argv[0], name, first) != 0)
			continue;
		if (!space) {
			*words = 1;
			return commands[i];
		}
		if (argc > 1 && strcmp(argv[1], space + 1) == 0) {
			*words = 2;
			return commands[i];
		}
	}
	return NULL;
}

/* For "event foo": the two-word commands starting with group, or false. */
static bool print_group(FILE *f, const char *group)
{
	bool any = false;
	size_t len = strlen(group);
	for (size_t i = 0; commands[i]; i++) {
		const char *name = commands[i]->name;
		if (strncmp(name, group, len) == 0 && name[len] == ' ') {
			fprintf(f, "  %-19s %s\n", name, commands[i]->summary);
			any = true;
		}
	}
	return any;
}

/* Applies a global option; returns false (with a message) when it is bad. */
static bool global_option(struct cli *cli, int c, const char *arg)
{
	long long t;
	switch (c) {
	case OPT_SERVER:
		cli->server_opt = arg;
		return true;
	case OPT_TOKEN:
		cli->token_opt = arg;
		return true;
	case OPT_PROFILE:
		if (!token_profile_valid(arg)) {
			fprintf(stderr, "judge-cli: --profile: \"%s\" is not a profile name (1 to %d letters, "
				"digits, '-' and '_')\n", arg, TOKEN_PROFILE_MAX);
			return false;
		}
		token_profile_set(arg);
		return true;
	case OPT_TIMEOUT:
		if (!parse_count(arg, 86400, &t) || t == 0) {
			fprintf(stderr, "judge-cli: --timeout: \"%s\" is not a number of seconds from 1 to 86400\n",
				arg);
			return false;
		}
		cli->timeout_s = (int)t;
		return true;
	}
	return false;
}

/* The text of the option getopt_long just refused. */
static const char *bad_option(char **argv)
{
	return argv[optind - 1];
}

/* Parses the options and arguments of entry (argv[0] is its last name
 * word) and runs it. Returns the exit status. */
static int run_command(struct cli *cli, const struct cmd_entry *e, int argc, char **argv)
{
	struct option longopts[N_GLOBAL + CMD_MAX_OPTIONS + 1];
	struct cmd_args a = { .entry = e };
	struct ct_err err;
	size_t n = 0;

	for (size_t i = 0; i < N_GLOBAL; i++)
		longopts[n++] = global_options[i];
	for (size_t i = 0; i < CMD_MAX_OPTIONS && e->options[i].name; i++)
		longopts[n++] = (struct option){ e->options[i].name,
						 e->options[i].arg ? required_argument : no_argument,
						 NULL, OPT_COMMAND + (int)i };
	longopts[n] = (struct option){ NULL, 0, NULL, 0 };

	optind = 0; /* glibc: start over, permuting options after arguments */
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (c == 'h') {
			print_command_help(e);
			return 0;
		} else if (c == OPT_VERSION) {
			printf("judge-cli %s\n", JUDGE_CLI_VERSION);
			return 0;
		} else if (c >= OPT_COMMAND) {
			a.opt[c - OPT_COMMAND] = optarg ? optarg : "";
		} else if (c == ':') {
			fprintf(stderr, "judge-cli: %s: %s needs an argument\n", e->name, bad_option(argv));
			print_usage(stderr, e);
			return 2;
		} else if (c == '?') {
			fprintf(stderr, "judge-cli: %s: unknown option %s\n", e->name, bad_option(argv));
			print_usage(stderr, e);
			return 2;
		} else if (!global_option(cli, c, optarg)) {
			return 2;
		}
	}
	a.argc = argc - optind;
	a.argv = argv + optind;
	if (a.argc < e->min_args || a.argc > e->max_args) {
		if (a.argc < e->min_args)
			fprintf(stderr, "judge-cli: %s: missing arguments\n", e->name);
		else
			fprintf(stderr, "judge-cli: %s: unexpected argument \"%s\"\n", e->name,
				a.argv[e->max_args]);
		print_usage(stderr, e);
		return 2;
	}

	ct_err_clear(&err);
	cli->entry = e;
	enum ct_status rc = e->run(cli, &a, &err);
	fflush(stdout);
	if (rc == CT_OK)
		return 0;
	/* the message may quote the server or a file: never raw control bytes */
	char *msg = text_printable(err.msg);
	int status = CLI_EXIT_FAILED;
	if (cli->usage_error) {
		fprintf(stderr, "judge-cli: %s: %s\n", e->name, msg);
		print_usage(stderr, e);
		status = CLI_EXIT_USAGE;
	} else {
		if (msg[0])
			fprintf(stderr, "judge-cli: %s\n", msg);
		if (cli->unreachable)
			status = CLI_EXIT_UNREACHABLE;
	}
	free(msg);
	return status;
}

int main(int argc, char **argv)
{
	struct cli cli = { 0 };
	int c;

	xmalloc_json();
	/* A server that closes the connection while a large request is being
	 * sent must not kill judge-cli silently: the write fails with EPIPE and
	 * the server's answer, if it gave one, is read and reported. */
	signal(SIGPIPE, SIG_IGN);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", global_options, NULL)) != -1) {
		if (c == 'h') {
			print_help(stdout);
			return 0;
		} else if (c == OPT_VERSION) {
			printf("judge-cli %s\n", JUDGE_CLI_VERSION);
			return 0;
		} else if (c == ':') {
			fprintf(stderr, "judge-cli: %s needs an argument\n", bad_option(argv));
			return 2;
		} else if (c == '?') {
			fprintf(stderr, "judge-cli: unknown option %s (see judge-cli --help)\n",
				bad_option(argv));
			return 2;
		} else if (!global_option(&cli, c, optarg)) {
			return 2;
		}
	}
	const char *env_profile = getenv("JUDGE_CLI_PROFILE");
	if (env_profile && *env_profile && !token_profile_valid(env_profile)) {
		fprintf(stderr, "judge-cli: JUDGE_CLI_PROFILE: \"%s\" is not a profile name (1 to %d "
			"letters, digits, '-' and '_')\n", env_profile, TOKEN_PROFILE_MAX);
		return CLI_EXIT_USAGE;
	}
	int rest = argc - optind;
	char **args = argv + optind;
	if (rest == 0) {
		print_help(stderr);
		return 2;
	}
	if (strcmp(args[0], "help") == 0) {
		int words;
		const struct cmd_entry *e = rest > 1 ? find_command(rest - 1, args + 1, &words) : NULL;
		if (e) {
			print_command_help(e);
			return 0;
		}
		if (rest > 1 && print_group(stdout, args[1]))
			return 0;
		print_help(rest > 1 ? stderr : stdout);
		return rest > 1 ? 2 : 0;
	}

	int words = 0;
	const struct cmd_entry *e = find_command(rest, args, &words);
	if (!e) {
		bool help = rest > 1 && (strcmp(args[1], "--help") == 0 || strcmp(args[1], "-h") == 0);
		FILE *f = help ? stdout : stderr;
		if (!help)
			fprintf(stderr, "judge-cli: unknown command \"%s%s%s\"\n", args[0],
				rest > 1 ? " " : "", rest > 1 ? args[1] : "");
		if (print_group(f, args[0]))
			return help ? 0 : 2;
		fprintf(stderr, "run judge-cli --help for the list of commands\n");
		return 2;
	}
	int status = run_command(&cli, e, rest - words + 1, args + words - 1);
	client_free(cli.client);
	free(cli.server);
	free(cli.token_note);
	return status;
}
