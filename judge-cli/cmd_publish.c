/* `judge-cli publish`, `appeal add|list|resolve` and `finalize`: the
 * results' publication (公示) as numbered versions, appeals (申诉) against
 * them, and the final results with their certificates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "table.h"
#include "xmalloc.h"

/* Sets body[key] to the option's value when given; a usage error when it
 * is not UTF-8 (or empty while required). */
static enum ct_status opt_member(struct cli *cli, const struct cmd_args *a, const char *option, const char *key,
				 bool required, json_t *body, struct ct_err *err)
{
	const char *v = cmd_opt(a, option);
	if (!v || !*v)
		return required ? cli_usage(cli, err, "give --%s", option) : CT_OK;
	json_t *s = json_string(v);
	if (!s)
		return cli_usage(cli, err, "--%s is not valid UTF-8", option);
	json_object_set_new(body, key, s);
	return CT_OK;
}

static enum ct_status cmd_publish_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	struct reply r = { 0 };
	json_t *body = json_object();
	enum ct_status rc = opt_member(cli, a, "notice-until", "notice_until", false, body, err);
	if (rc == CT_OK)
		rc = opt_member(cli, a, "reason", "reason", false, body, err);
	if (rc == CT_OK)
		rc = cli_event_call(cli, a, "POST", "/publish", body, NULL, &r, err);
	if (rc == CT_OK) {
		char b[32];
		const char *until = json_str(r.json, "notice_until", NULL), *reason = json_str(r.json, "reason", NULL);
		printf("published %s version %s at %s\n", a->argv[0], json_text(r.json, "version", "?", b),
		       json_str(r.json, "published_at", "?"));
		if (reason)
			printf("correction: %s\n", reason);
		printf(until ? "notice period (公示期) until %s: finalize after it\n"
			     : "no notice period: the results can be finalized when no appeal is open\n", until);
		const char *page = json_str(r.json, "page", NULL);
		if (page)
			printf("public page: %s\n", page);
	}
	json_decref(body);
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_publish_entry = {
	.name = "publish",
	.args = "EVENT",
	.summary = "publish a locked event's results as a new numbered version (organizer)",
	.help = "Freezes the results (ranks, totals, module scores, awards, names and\n"
		"organizations; never an id number) as version 1, or after a correction as\n"
		"version n+1, whose page shows who moved and why; earlier versions stay\n"
		"public as they were. The public pages are /results and /results/EVENT.\n"
		"A correction: judge-cli unlock EVENT --reason R, correct the scores, lock,\n"
		"publish (the unlock's reason is shown unless --reason gives another).\n"
		"TIME: 2026-05-23T18:00, 2026-05-23 18:00+08:00 or 2026-05-23 (the server's\n"
		"local time unless a zone is given).",
	.min_args = 1,
	.max_args = 1,
	.options = {
		{ "notice-until", "TIME", "end of the notice period (公示期): no finalize before it" },
		{ "reason", "R", "what this version corrects (default: the unlock's reason)" },
	},
	.run = cmd_publish_run,
};

static enum ct_status cmd_appeal_add_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	struct reply r = { 0 };
	json_t *body = json_object();
	enum ct_status rc = opt_member(cli, a, "by", "appellant", true, body, err);
	if (rc == CT_OK)
		rc = opt_member(cli, a, "text", "text", true, body, err);
	if (rc == CT_OK)
		rc = opt_member(cli, a, "contestant", "contestant", false, body, err);
	if (rc == CT_OK)
		rc = opt_member(cli, a, "received", "received_at", false, body, err);
	if (rc == CT_OK)
		rc = cli_event_call(cli, a, "POST", "/appeals", body, NULL, &r, err);
	if (rc == CT_OK) {
		char b[32];
		printf("recorded appeal %s against %s; it blocks finalize until resolved "
		       "(judge-cli appeal resolve %s --outcome upheld|rejected --reason R)\n",
		       json_text(r.json, "number", "?", b), a->argv[0], b);
	}
	json_decref(body);
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_appeal_add_entry = {
	.name = "appeal add",
	.args = "EVENT",
	.summary = "record an appeal (申诉) against an event's published results (organizer)",
	.help = "The appeal is recorded against the latest published version and audited;\n"
		"an open appeal blocks finalize. TIME as for publish.",
	.min_args = 1,
	.max_args = 1,
	.options = {
		{ "by", "WHO", "who appealed: a contestant, a team leader, an organization (required)" },
		{ "text", "WHAT", "what is appealed (required)" },
		{ "contestant", "REG_ID", "the entry the appeal is about" },
		{ "received", "TIME", "when it was received (default now)" },
	},
	.run = cmd_appeal_add_run,
};

static enum ct_status cmd_appeal_list_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	static const char *const formats[] = { "table", "json", NULL };
	static const char *const arrays[] = { "appeals", NULL };
	static const char *const headers[] = { "NO", "VERSION", "RECEIVED", "BY", "CONTESTANT", "APPEAL", "STATUS",
					       "RESOLVED", "RESOLUTION" };
	struct reply r;
	int fmt;
	enum ct_status rc = cli_get_event(cli, a, formats, "/appeals", arrays, &fmt, &r, err);
	if (rc != CT_OK)
		goto out;
	if (fmt == 1) {
		cli_print_json(r.json);
		goto out;
	}
	const json_t *list = json_object_get(r.json, "appeals"), *v;
	size_t i;
	struct table *t = table_new(9, headers);
	table_align_right(t, 0);
	json_array_foreach(list, i, v) {
		char no[32], version[32];
		const char *cells[9] = {
			json_text(v, "number", "", no), json_text(v, "version", "", version),
			json_str(v, "received_at", ""), json_str(v, "appellant", ""), json_str(v, "contestant", ""),
			json_str(v, "text", ""), json_str(v, "status", ""), json_str(v, "resolved_at", ""),
			json_str(v, "resolution", ""),
		};
		table_add(t, cells);
	}
	char b[32];
	printf("%s: %zu appeal%s, %s open\n\n", a->argv[0], json_array_size(list), json_array_size(list) == 1 ? "" : "s",
	       json_text(r.json, "open", "0", b));
	cli_print_table(t);
out:
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_appeal_list_entry = {
	.name = "appeal list",
	.args = "EVENT",
	.summary = "list an event's appeals and their outcomes (organizer)",
	.min_args = 1,
	.max_args = 1,
	.options = { { "format", "table|json", "output format (default table)" } },
	.run = cmd_appeal_list_run,
};

static enum ct_status cmd_appeal_resolve_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	struct reply r = { 0 };
	long long number;
	if (!parse_count(a->argv[0], 1000000000, &number) || number == 0)
		return cli_usage(cli, err, "\"%s\" is not an appeal number (judge-cli appeal list EVENT shows them)",
				 a->argv[0]);
	const char *outcome = cmd_opt(a, "outcome");
	if (!outcome || (strcmp(outcome, "upheld") != 0 && strcmp(outcome, "rejected") != 0))
		return cli_usage(cli, err, "give --outcome upheld or --outcome rejected");
	json_t *body = json_pack("{s:s}", "outcome", outcome);
	enum ct_status rc = opt_member(cli, a, "reason", "resolution", true, body, err);
	char *path = xasprintf("/api/v1/appeals/%lld/resolve", number);
	if (rc == CT_OK)
		rc = cli_call(cli, "POST", path, body, NULL, &r, err);
	if (rc == CT_OK)
		printf("appeal %lld of %s: %s\n", number, json_str(r.json, "event", "?"), outcome);
	free(path);
	json_decref(body);
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_appeal_resolve_entry = {
	.name = "appeal resolve",
	.args = "NUMBER",
	.summary = "resolve an appeal: upheld or rejected, with the decision (organizer)",
	.help = "An upheld appeal usually means a correction: unlock, correct, lock and\n"
		"publish the next version, then resolve the appeal.",
	.min_args = 1,
	.max_args = 1,
	.options = {
		{ "outcome", "upheld|rejected", "the outcome (required)" },
		{ "reason", "R", "the decision and why (required; audited)" },
	},
	.run = cmd_appeal_resolve_run,
};

static enum ct_status cmd_finalize_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	struct reply r = { 0 };
	enum ct_status rc = cli_event_call(cli, a, "POST", "/finalize", NULL, NULL, &r, err);
	if (rc == CT_OK) {
		char n[32], v[32];
		printf("finalized %s (version %s is final): %s certificate%s issued, dated %s\n"
		       "write them with: judge-cli certificates %s --out DIR\n",
		       a->argv[0], json_text(r.json, "version", "?", v), json_text(r.json, "certificates", "0", n),
		       strcmp(n, "1") == 0 ? "" : "s", json_str(r.json, "issue_date", "?"), a->argv[0]);
	}
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_finalize_entry = {
	.name = "finalize",
	.args = "EVENT",
	.summary = "make an event's published results final and issue its certificates (organizer)",
	.help = "Refused during the notice period and while an appeal is open. Issues one\n"
		"certificate to every award winner (each member of a winning team gets their\n"
		"own), signed with the contest key; the QR code of each holds a URL on the\n"
		"contest's public base URL (contestd --public-url), which finalize needs.",
	.min_args = 1,
	.max_args = 1,
	.timeout_s = 600,
	.run = cmd_finalize_run,
};
