/* `audit verify|log|checkpoint`: the organizers' view of the audit trail. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "csv.h"
#include "table.h"
#include "xmalloc.h"

#define CHECKPOINT_FILE_MAX 65536
#define LOG_PAGE 5000

static enum ct_status cmd_audit_verify_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	const char *file = cmd_opt(a, "checkpoint");
	struct reply r = { 0 };
	char *text = NULL;
	size_t len = 0;
	json_t *body = json_object();
	enum ct_status rc = CT_OK;
	if (file) {
		json_error_t jerr;
		if ((rc = cli_read_file(file, CHECKPOINT_FILE_MAX, &text, &len, err)) != CT_OK)
			goto out;
		json_t *cp = json_loadb(text, len, 0, &jerr);
		if (!cp) {
			rc = ct_fail(err, CT_INVALID, "%s: not a checkpoint (line %d: %s)", file, jerr.line, jerr.text);
			goto out;
		}
		json_object_set_new(body, "checkpoint", cp);
	}
	if ((rc = cli_call(cli, "POST", "/api/v1/audit/verify", body, NULL, &r, err)) != CT_OK)
		goto out;
	char b[2][32];
	if (json_is_true(json_object_get(r.json, "ok"))) {
		printf("audit trail verified: %s records, chain whole; scores, event states, contestant statuses, "
		       "published versions, appeals and certificates agree with it\nhead %s\n", json_text(r.json, "records", "?", b[0]), json_str(r.json, "head", "?"));
		const json_t *cp = json_object_get(r.json, "checkpoint");
		if (cp)
			printf("checkpoint of %s (record %s) verified: nothing before it was rewritten\n",
			       json_str(cp, "at", "?"), json_text(cp, "seq", "?", b[1]));
	} else {
		rc = ct_fail(err, CT_CONFLICT, "audit verify FAILED: %s", json_str(r.json, "problem", "(no detail)"));
	}
out:
	free(text);
	json_decref(body);
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_audit_verify_entry = {
	.name = "audit verify",
	.args = "",
	.summary = "check the audit trail's hash chain and that the data agrees with it",
	.help = "Recomputes the hash chain of every audit record and checks that every\n"
		"score's current value and revision, every event's state and every\n"
		"contestant's status is what the trail says. Names the first record or row\n"
		"that does not agree and exits 1. With --checkpoint FILE (from judge-cli audit\n"
		"checkpoint) also proves that nothing before the checkpoint was rewritten.",
	.max_args = 0,
	.timeout_s = 600,
	.options = { { "checkpoint", "FILE", "a checkpoint written by judge-cli audit checkpoint" } },
	.run = cmd_audit_verify_run,
};

static enum ct_status cmd_audit_checkpoint_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	(void)a;
	struct reply r;
	enum ct_status rc = cli_call(cli, "POST", "/api/v1/audit/checkpoint", NULL, NULL, &r, err);
	if (rc == CT_OK && !json_is_string(json_object_get(r.json, "signature")))
		rc = cli_unexpected(err, "signature");
	if (rc == CT_OK)
		cli_print_json(r.json);
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_audit_checkpoint_entry = {
	.name = "audit checkpoint",
	.args = "",
	.summary = "print the audit chain's head signed with the contest key (keep it: > FILE)",
	.help = "The checkpoint names the last record and its hash, signed with the contest's\n"
		"Ed25519 key. Keep the file away from the server; judge-cli audit verify\n"
		"--checkpoint FILE later proves the trail up to it was not rewritten.",
	.max_args = 0,
	.run = cmd_audit_checkpoint_run,
};

static const char *const log_keys[] = { "seq", "at", "actor", "role", "action", "object", "old", "new", "reason" };
#define N_LOG 9

static void add_record(struct table *t, struct csv_writer *csv, const json_t *rec)
{
	char b[N_LOG][32];
	const char *row[N_LOG];
	for (size_t k = 0; k < N_LOG; k++)
		row[k] = json_text(rec, log_keys[k], "", b[k]);
	if (csv) {
		csv_write_row(csv, row, N_LOG);
		return;
	}
	/* the table shows old -> new in one column */
	char *change = *row[6] || *row[7] ? xasprintf("%s -> %s", *row[6] ? row[6] : "-", *row[7] ? row[7] : "-")
					  : xstrdup("");
	const char *cells[] = { row[0], row[1], row[2], row[3], row[4], row[5], change, row[8] };
	table_add(t, cells);
	free(change);
}

static enum ct_status cmd_audit_log_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	static const char *const head[] = { "SEQ", "AT", "ACTOR", "ROLE", "ACTION", "OBJECT", "OLD -> NEW", "REASON" };
	static const char *const filters[] = { "event", "actor", "since" };
	int fmt = cli_format(cli, cmd_opt(a, "format"), (const char *const[]){"table", "csv", "json", NULL}, err);
	if (fmt < 0)
		return CT_INVALID;
	char *query = xstrdup("");
	for (size_t i = 0; i < 3; i++) {
		const char *v = cmd_opt(a, filters[i]);
		if (!v)
			continue;
		char *enc = client_escape(v);
		char *next = xasprintf("%s&%s=%s", query, filters[i], enc);
		free(enc);
		free(query);
		query = next;
	}
	struct table *t = fmt == 0 ? table_new(8, head) : NULL;
	struct csv_writer csv = { 0 };
	json_t *all = json_array();
	if (fmt == 1)
		csv_write_row(&csv, log_keys, N_LOG);
	enum ct_status rc = CT_OK;
	long long after = 0;
	for (;;) {
		struct reply r;
		char *path = xasprintf("/api/v1/audit?limit=%d&after=%lld%s", LOG_PAGE, after, query);
		rc = cli_call(cli, "GET", path, NULL, NULL, &r, err);
		free(path);
		const json_t *records = json_object_get(r.json, "records");
		if (rc == CT_OK && !json_is_array(records))
			rc = cli_unexpected(err, "records");
		size_t i;
		const json_t *rec;
		json_array_foreach(rc == CT_OK ? records : NULL, i, rec) {
			if (fmt == 2)
				json_array_append(all, (json_t *)rec);
			else
				add_record(t, fmt == 1 ? &csv : NULL, rec);
		}
		const json_t *next = json_object_get(r.json, "next_after");
		bool more = rc == CT_OK && json_is_integer(next);
		after = more ? (long long)json_integer_value(next) : after;
		reply_clear(&r);
		if (!more)
			break;
	}
	if (rc == CT_OK && fmt == 0)
		cli_print_table(t);
	else
		table_free(t);
	if (rc == CT_OK && fmt == 1)
		fputs(csv.buf, stdout);
	if (rc == CT_OK && fmt == 2) {
		json_t *doc = json_pack("{s:o}", "records", all);
		cli_print_json(doc);
		json_decref(doc);
	} else {
		json_decref(all);
	}
	free(csv.buf);
	free(query);
	return rc;
}

const struct cmd_entry cmd_audit_log_entry = {
	.name = "audit log",
	.args = "",
	.summary = "show the audit trail: who, role, when, action, subject, old -> new, reason",
	.help = "--event keeps the records about one event (its scores, draw, lock...),\n"
		"--actor those of one account (organizer:NAME, judge:CODE, system),\n"
		"--since those at or after a time (2026-11-23 or 2026-11-23T09:00:00Z, UTC).\n"
		"csv and json give seq,at,actor,role,action,object,old,new,reason.",
	.max_args = 0,
	.timeout_s = 600,
	.options = {
		{ "event", "E", "only records about event E" },
		{ "actor", "A", "only records by A (organizer:NAME, judge:CODE)" },
		{ "since", "T", "only records at or after T (UTC, ISO 8601)" },
		{ "format", "table|csv|json", "output format (default table)" },
	},
	.run = cmd_audit_log_run,
};
