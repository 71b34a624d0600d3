/* Contestant commands: `contestants EVENT` (the organizers' list with
 * workstations and anonymous codes) and `contestant set` (status, time,
 * reason; name, organization, members, id number). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "csv.h"
#include "scoring.h"
#include "table.h"
#include "xmalloc.h"

/* Columns of the list, as JSON members, CSV header and table header. */
static const char *const list_keys[] = { "reg_id", "name", "organization", "status",
					 "elapsed_s", "reason", "workstation", "code",
					 "id_number", "members" };
static const char *const list_head[] = { "REG_ID", "NAME", "ORGANIZATION", "STATUS", "TIME_S",
					 "REASON", "WS", "CODE", "ID_NUMBER", "MEMBERS" };
#define N_LIST (sizeof list_keys / sizeof list_keys[0])

static enum ct_status cmd_contestants_run(struct cli *cli, const struct cmd_args *a,
					  struct ct_err *err)
{
	static const char *const formats[] = { "table", "csv", "json", NULL };
	static const char *const arrays[] = { "contestants", NULL };
	struct reply r;
	int fmt;
	enum ct_status rc = cli_get_event(cli, a, formats, "/contestants", arrays, &fmt, &r, err);
	if (rc != CT_OK)
		goto out;
	const json_t *list = json_object_get(r.json, "contestants");
	if (fmt == 2) {
		cli_print_json(r.json);
		goto out;
	}
	struct table *t = NULL;
	struct csv_writer csv = { 0 };
	if (fmt == 1) {
		csv_write_row(&csv, list_keys, N_LIST);
	} else {
		t = table_new(N_LIST, list_head);
		table_align_right(t, 4); /* TIME_S */
		table_align_right(t, 6); /* WS */
	}
	size_t i;
	const json_t *c;
	json_array_foreach(list, i, c) {
		char b[N_LIST][32];
		const char *row[N_LIST];
		for (size_t k = 0; k < N_LIST; k++)
			row[k] = json_text(c, list_keys[k], "", b[k]);
		if (t)
			table_add(t, row);
		else
			csv_write_row(&csv, row, N_LIST);
	}
	if (t) {
		cli_print_table(t);
	} else {
		rc = cli_write_csv(a, csv.buf, csv.len, err);
		free(csv.buf);
	}
out:
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_contestants_entry = {
	.name = "contestants",
	.args = "EVENT",
	.summary = "list an event's contestants with workstation and anonymous code",
	.min_args = 1,
	.max_args = 1,
	.help = "The CSV is UTF-8 with a byte order mark (so that Excel reads the Chinese)\n"
		"when it goes to a file, --out FILE or standard output redirected to one;\n"
		"plain UTF-8 to a terminal or a pipe; --encoding chooses. Cells a spreadsheet\n"
		"would run as a formula (=, +, -, @) get a ' in front.",
	.options = {
		{ "format", "table|csv|json", "output format (default table)" },
		{ "encoding", "utf-8|utf-8-bom|gbk", "character set of the CSV (see above)" },
		{ "out", "FILE", "write the CSV to FILE (mode 0600) instead of standard output" },
	},
	.run = cmd_contestants_run,
};

static enum ct_status cmd_contestant_set_run(struct cli *cli, const struct cmd_args *a,
					     struct ct_err *err)
{
	enum ct_status rc = CT_OK;
	const char *status = cmd_opt(a, "status");
	const char *time = cmd_opt(a, "time");
	const char *reason = cmd_opt(a, "reason");
	json_t *body = json_object();
	char *path = NULL;
	struct reply r = { 0 };

	static const char *const identity[][2] = { { "name", "name" }, { "organization", "organization" },
						    { "members", "members" }, { "id-number", "id_number" } };
	bool any = status || time || reason;
	for (size_t i = 0; i < sizeof identity / sizeof identity[0]; i++) {
		const char *v = cmd_opt(a, identity[i][0]);
		if (!v)
			continue;
		json_t *s = *v ? json_string(v) : json_null(); /* "" clears it */
		if (!s) {
			rc = cli_usage(cli, err, "--%s is not valid UTF-8", identity[i][0]);
			goto out;
		}
		json_object_set_new(body, identity[i][1], s);
		any = true;
	}
	if (!any) {
		rc = cli_usage(cli, err, "give at least one of --status, --time, --reason, --name, --organization, "
			       "--members, --id-number");
		goto out;
	}
	if (status) {
		enum entry_status st;
		struct ct_err perr;
		if (entry_status_parse(status, &st, &perr) != CT_OK) {
			rc = cli_usage(cli, err, "--status: %s", perr.msg);
			goto out;
		}
		json_object_set_new(body, "status", json_string(status));
	}
	if (time) {
		long long s;
		if (strcmp(time, "") == 0 || strcmp(time, "none") == 0) {
			json_object_set_new(body, "elapsed_s", json_null());
		} else if (parse_count(time, INT32_MAX, &s)) {
			json_object_set_new(body, "elapsed_s", json_integer(s));
		} else {
			rc = cli_usage(cli, err, "--time: \"%s\" is not a whole number of seconds", time);
			goto out;
		}
	}
	if (reason) {
		json_t *v = json_string(reason); /* "" clears the reason */
		if (!v) {
			rc = cli_usage(cli, err, "--reason is not valid UTF-8");
			goto out;
		}
		json_object_set_new(body, "reason", v);
	}
	path = cli_path("/api/v1/contestants/", a->argv[0], NULL);
	if ((rc = cli_call(cli, "PATCH", path, body, NULL, &r, err)) != CT_OK)
		goto out;
	/* the fields the answer carries (the changed ones at least) */
	char b[32];
	printf("%s:", json_text(r.json, "reg_id", a->argv[0], b));
	const char *sep = " ";
	if (json_object_get(r.json, "status")) {
		printf("%sstatus %s", sep, json_text(r.json, "status", "?", b));
		sep = ", ";
	}
	const json_t *e = json_object_get(r.json, "elapsed_s");
	if (e) {
		printf("%stime %s%s", sep, json_text(r.json, "elapsed_s", "unknown", b),
		       json_is_integer(e) ? " s" : "");
		sep = ", ";
	}
	static const char *const shown[] = { "reason", "name", "organization", "members", "id_number" };
	for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++) {
		if (json_object_get(r.json, shown[i])) {
			printf("%s%s %s", sep, shown[i], json_text(r.json, shown[i], "none", b));
			sep = ", ";
		}
	}
	printf("%s\n", *sep == ' ' ? " updated" : "");
	cli_print_recusal(json_object_get(r.json, "recusal"));
out:
	json_decref(body);
	free(path);
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_contestant_set_entry = {
	.name = "contestant set",
	.args = "REG_ID",
	.summary = "change a contestant's status, time or reason, or correct the identity",
	.help = "--time none (or \"\") and --reason \"\" clear the value; so do\n"
		"--organization \"\", --members \"\" and --id-number \"\".\n"
		"Status, time and reason change until the event is locked. The identity\n"
		"(name, organization, members, id number) can be corrected also after the\n"
		"draw and the lock, until the results are published; judges and chief\n"
		"judges never see it before the lock. An organization change of a\n"
		"contestant who competed changes recusal (a judge never scores contestants\n"
		"of the judge's own organization): the judges of the new organization are\n"
		"now recused from the contestant and their values on it no longer count\n"
		"(results leave them out; they stay in the history), those of the old one\n"
		"now owe values. Each such judge is listed. Once the event is locked such\n"
		"a change needs it unlocked first. Every change is audited.",
	.min_args = 1,
	.max_args = 1,
	.options = {
		{ "status", "S", "registered, competed, absent, withdrawn or disqualified" },
		{ "time", "SECONDS", "elapsed time, for the time tie-break" },
		{ "reason", "R", "reason for the status" },
		{ "name", "NAME", "the contestant's (or team's) name" },
		{ "organization", "ORG", "the contestant's organization" },
		{ "members", "A;B", "a team's members, ';'-separated" },
		{ "id-number", "ID", "the national id number (shown masked)" },
	},
	.run = cmd_contestant_set_run,
};
