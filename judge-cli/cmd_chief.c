/* The chief judge's commands (open to organizers too): `progress`, `scores`,
 * `stats`, `accept`; and the organizers' `unlock` and `judge withdraw`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "csv.h"
#include "decimal.h"
#include "table.h"
#include "xmalloc.h"

static const char *const all_formats[] = { "table", "csv", "json", NULL };

/* "A1 2, B3 1" from an object of counts {"A1": 2, "B3": 1}. */
static char *counts_text(const json_t *by)
{
	char *out = xstrdup("");
	const char *key;
	const json_t *v;
	json_object_foreach((json_t *)by, key, v) {
		char *next = xasprintf("%s%s%s %lld", out, *out ? ", " : "", key, (long long)json_integer_value(v));
		free(out);
		out = next;
	}
	return out;
}

/* "J01 3.00, J02 9.00" from the values of a discrepancy. */
static char *values_text(const json_t *values)
{
	char *out = xstrdup("");
	size_t i;
	const json_t *v;
	json_array_foreach(values, i, v) {
		char *next = xasprintf("%s%s%s %s", out, *out ? ", " : "", json_str(v, "judge", "?"),
				       json_str(v, "value", "?"));
		free(out);
		out = next;
	}
	return out;
}

/* The contestant of a row: its code, and "reg_id name" when shown. */
static char *who_text(const json_t *o)
{
	const char *reg = json_str(o, "reg_id", NULL);
	if (!reg)
		return xstrdup(json_str(o, "code", "-"));
	return xasprintf("%s %s %s", json_str(o, "code", "-"), reg, json_str(o, "name", ""));
}

static void print_progress_judges(const json_t *judges)
{
	static const char *const head[] = { "JUDGE", "NAME", "ENTERED", "REQUIRED", "MISSING", "MISSING BY CRITERION" };
	struct table *t = table_new(6, head);
	for (size_t c = 2; c <= 4; c++)
		table_align_right(t, c);
	size_t i;
	const json_t *j;
	json_array_foreach(judges, i, j) {
		char b1[32], b2[32], b3[32];
		bool withdrawn = json_is_true(json_object_get(j, "withdrawn"));
		char *by = counts_text(json_object_get(j, "missing_by_criterion"));
		const char *row[] = { json_str(j, "code", ""), json_str(j, "name", ""),
				      withdrawn ? "withdrawn" : json_text(j, "entered", "", b1),
				      withdrawn ? "" : json_text(j, "required", "", b2),
				      withdrawn ? "" : json_text(j, "missing", "", b3), by };
		table_add(t, row);
		free(by);
	}
	cli_print_table(t);
}

static void print_progress(const json_t *doc)
{
	char b[7][32];
	const json_t *sum = json_object_get(doc, "summary");
	printf("%s  %s  (%s)\n", json_str(doc, "event", ""), json_str(doc, "name", ""), json_str(doc, "state", ""));
	const char *n_disc = json_text(sum, "discrepancies", "?", b[5]);
	printf("%s of %s competed contestants complete; %s of %s values entered, %s missing; %s discrepanc%s, "
	       "%s open\n\n",
	       json_text(sum, "complete", "?", b[0]), json_text(sum, "competed", "?", b[1]),
	       json_text(sum, "entered", "?", b[2]), json_text(sum, "required", "?", b[3]),
	       json_text(sum, "missing", "?", b[4]), n_disc, strcmp(n_disc, "1") == 0 ? "y" : "ies",
	       json_text(sum, "open_discrepancies", "?", b[6]));
	print_progress_judges(json_object_get(doc, "judges"));

	const json_t *list = json_object_get(doc, "contestants");
	size_t i;
	const json_t *o;
	if (json_array_size(list) > 0) {
		printf("\n");
		static const char *const head[] = { "INCOMPLETE", "MISSING VALUES BY CRITERION" };
		struct table *t = table_new(2, head);
		json_array_foreach(list, i, o) {
			char *who = who_text(o), *by = counts_text(json_object_get(o, "missing_by_criterion"));
			const char *row[] = { who, by };
			table_add(t, row);
			free(who);
			free(by);
		}
		cli_print_table(t);
	}
	list = json_object_get(doc, "discrepancies");
	if (json_array_size(list) > 0) {
		printf("\n");
		static const char *const head[] = { "DISCREPANCY", "CRITERION", "METHOD", "VALUES", "STATUS" };
		struct table *t = table_new(5, head);
		json_array_foreach(list, i, o) {
			char *who = who_text(o), *values = values_text(json_object_get(o, "values")), *status;
			if (json_is_true(json_object_get(o, "accepted")))
				status = xasprintf("accepted%s%s by %s: %s", json_is_string(json_object_get(o, "accepted_value"))
						   ? ", stands at " : "", json_str(o, "accepted_value", ""),
						   json_str(o, "accepted_by", "?"), json_str(o, "reason", ""));
			else
				status = xstrdup("open");
			const char *row[] = { who, json_str(o, "criterion", ""), json_str(o, "method", ""), values, status };
			table_add(t, row);
			free(who);
			free(values);
			free(status);
		}
		cli_print_table(t);
	}
}

/* CSV: one row per judge. */
static void print_progress_csv(const json_t *doc)
{
	static const char *const head[] = { "judge", "name", "withdrawn", "required", "entered", "missing" };
	struct csv_writer out = { 0 };
	csv_write_row(&out, head, 6);
	size_t i;
	const json_t *j;
	json_array_foreach(json_object_get(doc, "judges"), i, j) {
		char b[4][32];
		const char *row[] = { json_str(j, "code", ""), json_str(j, "name", ""),
				      json_text(j, "withdrawn", "", b[0]), json_text(j, "required", "", b[1]),
				      json_text(j, "entered", "", b[2]), json_text(j, "missing", "", b[3]) };
		csv_write_row(&out, row, 6);
	}
	fputs(out.buf, stdout);
	free(out.buf);
}

static enum ct_status cmd_progress_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	static const char *const arrays[] = { "judges", "contestants", "discrepancies", NULL };
	struct reply r;
	int fmt;
	enum ct_status rc = cli_get_event(cli, a, all_formats, "/progress", arrays, &fmt, &r, err);
	if (rc == CT_OK && fmt == 0)
		print_progress(r.json);
	else if (rc == CT_OK && fmt == 1)
		print_progress_csv(r.json);
	else if (rc == CT_OK)
		cli_print_json(r.json);
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_progress_entry = {
	.name = "progress",
	.args = "EVENT",
	.summary = "scoring progress: values entered per judge, incomplete contestants, discrepancies",
	.help = "For the event's chief judge or an organizer. Before the lock a chief judge\n"
		"sees anonymous codes only, and per judge only counts (which judge owes which\n"
		"code would show whom a judge is recused from). csv: one row per judge\n"
		"(judge,name,withdrawn,required,entered,missing); json: the server's answer.",
	.min_args = 1,
	.max_args = 1,
	.options = { { "format", "table|csv|json", "output format (default table)" } },
	.run = cmd_progress_run,
};

/* ---- scores ---- */

static void print_scores_csv(const json_t *scores)
{
	static const char *const head[] = { "code", "reg_id", "criterion", "judge", "value", "revision", "counts" };
	struct csv_writer out = { 0 };
	csv_write_row(&out, head, 7);
	size_t i;
	const json_t *s;
	json_array_foreach(scores, i, s) {
		char b[2][32];
		const char *row[] = { json_str(s, "code", ""), json_str(s, "reg_id", ""), json_str(s, "criterion", ""),
				      json_str(s, "judge", ""), json_str(s, "value", ""),
				      json_text(s, "revision", "", b[0]), json_text(s, "counts", "", b[1]) };
		csv_write_row(&out, row, 7);
	}
	fputs(out.buf, stdout);
	free(out.buf);
}

/* Table: one row per contestant and criterion, one column per judge;
 * "8.00 (r2)" for a value in its second revision, "*" after a value that
 * does not count (withdrawn judge). */
static void print_scores(const json_t *doc)
{
	const json_t *judges = json_object_get(doc, "judges"), *scores = json_object_get(doc, "scores");
	size_t nj = json_array_size(judges), i;
	const json_t *j, *s;
	const char **cells = xcalloc(nj + 2, sizeof *cells);
	char **texts = xcalloc(nj + 2, sizeof *texts);
	cells[0] = "CONTESTANT";
	cells[1] = "CRITERION";
	json_array_foreach(judges, i, j)
		cells[2 + i] = json_str(j, "code", "?");
	struct table *t = table_new(nj + 2, cells);
	for (i = 0; i < nj; i++)
		table_align_right(t, 2 + i);
	printf("%s  %s  (%s)\n\n", json_str(doc, "event", ""), json_str(doc, "name", ""), json_str(doc, "state", ""));
	char *who = NULL;
	const char *crit = NULL;
	json_array_foreach(scores, i, s) {
		char *this_who = who_text(s);
		const char *this_crit = json_str(s, "criterion", "");
		if (who && (strcmp(who, this_who) != 0 || strcmp(crit, this_crit) != 0)) {
			table_add(t, cells);
			for (size_t k = 0; k < nj + 2; k++) {
				free(texts[k]);
				texts[k] = NULL;
			}
		}
		free(who);
		who = this_who;
		crit = this_crit;
		texts[0] = texts[0] ? texts[0] : xstrdup(who);
		texts[1] = texts[1] ? texts[1] : xstrdup(crit);
		size_t k;
		json_array_foreach(judges, k, j) {
			if (strcmp(json_str(j, "code", ""), json_str(s, "judge", "")) != 0)
				continue;
			json_int_t rev = json_integer_value(json_object_get(s, "revision"));
			free(texts[2 + k]);
			texts[2 + k] = rev > 1 ? xasprintf("%s (r%lld)%s", json_str(s, "value", "?"), (long long)rev,
							   json_is_false(json_object_get(s, "counts")) ? "*" : "")
					       : xasprintf("%s%s", json_str(s, "value", "?"),
							   json_is_false(json_object_get(s, "counts")) ? "*" : "");
		}
		for (k = 0; k < nj + 2; k++)
			cells[k] = texts[k];
	}
	if (who)
		table_add(t, cells);
	free(who);
	for (size_t k = 0; k < nj + 2; k++)
		free(texts[k]);
	cli_print_table(t);
	printf("\n%zu values; (rN): revision N; *: from a withdrawn judge, does not count\n", json_array_size(scores));
	free(texts);
	free(cells);
}

static enum ct_status cmd_scores_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	static const char *const arrays[] = { "judges", "scores", NULL };
	struct reply r;
	int fmt;
	enum ct_status rc = cli_get_event(cli, a, all_formats, "/scores", arrays, &fmt, &r, err);
	if (rc == CT_OK && fmt == 0)
		print_scores(r.json);
	else if (rc == CT_OK && fmt == 1)
		print_scores_csv(json_object_get(r.json, "scores"));
	else if (rc == CT_OK)
		cli_print_json(r.json);
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_scores_entry = {
	.name = "scores",
	.args = "EVENT",
	.summary = "every current value of an event, by contestant, criterion and judge",
	.help = "For the event's chief judge or an organizer; anonymous codes only for a\n"
		"chief judge before the lock. csv: code,reg_id,criterion,judge,value,\n"
		"revision,counts (reg_id empty while hidden).",
	.min_args = 1,
	.max_args = 1,
	.options = { { "format", "table|csv|json", "output format (default table)" } },
	.run = cmd_scores_run,
};

/* ---- judge statistics ---- */

static enum ct_status cmd_stats_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	static const char *const arrays[] = { "judges", NULL };
	static const char *const csv_head[] = { "judge", "criterion", "n_values", "compared", "mean_deviation",
						"highest", "lowest", "discrepancies" };
	static const char *const keys[] = { "n_values", "compared", "mean_deviation", "highest", "lowest",
					    "discrepancies" };
	struct reply r;
	int fmt;
	enum ct_status rc = cli_get_event(cli, a, all_formats, "/judges/stats", arrays, &fmt, &r, err);
	if (rc != CT_OK || fmt == 2) {
		if (rc == CT_OK)
			cli_print_json(r.json);
		reply_clear(&r);
		return rc;
	}
	static const char *const head[] = { "JUDGE", "CRITERION", "VALUES", "COMPARED", "MEAN DEV", "HIGHEST",
					    "LOWEST", "DISCREPANCIES" };
	struct table *t = fmt == 0 ? table_new(8, head) : NULL;
	struct csv_writer out = { 0 };
	if (t)
		for (size_t c = 2; c < 8; c++)
			table_align_right(t, c);
	else
		csv_write_row(&out, csv_head, 8);
	size_t i, k;
	const json_t *j, *c;
	json_array_foreach(json_object_get(r.json, "judges"), i, j) {
		json_array_foreach(json_object_get(j, "criteria"), k, c) {
			char b[6][32];
			const char *row[8] = { json_str(j, "code", ""), json_str(c, "criterion", "") };
			for (size_t n = 0; n < 6; n++)
				row[2 + n] = json_text(c, keys[n], "-", b[n]);
			if (t)
				table_add(t, row);
			else
				csv_write_row(&out, row, 8);
		}
	}
	if (t) {
		printf("%s  %s  (%s)\n\n", json_str(r.json, "event", ""), json_str(r.json, "name", ""),
		       json_str(r.json, "state", ""));
		cli_print_table(t);
		printf("\nMEAN DEV: the judge's value minus the mean of the others', averaged over the\n"
		       "contestants the judge scored with others (COMPARED); HIGHEST/LOWEST: above/below\n"
		       "every other value; DISCREPANCIES: discrepancies gone without the judge's value\n");
	} else {
		fputs(out.buf ? out.buf : "", stdout);
		free(out.buf);
	}
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_stats_entry = {
	.name = "stats",
	.args = "EVENT",
	.summary = "judge statistics: deviation from the panel, highest/lowest, discrepancies",
	.help = "For the event's chief judge or an organizer. Per judge and criterion: the\n"
		"values given, the mean deviation from the rest of the panel (points, exact,\n"
		"rounded half up), how often the judge is the highest or lowest, and how\n"
		"often the judge's value made a discrepancy. Competed contestants only.",
	.min_args = 1,
	.max_args = 1,
	.options = { { "format", "table|csv|json", "output format (default table)" } },
	.run = cmd_stats_run,
};

/* ---- decisions ---- */

/* The --reason option as JSON text, or a usage error. */
static enum ct_status reason_member(struct cli *cli, const struct cmd_args *a, json_t *body, struct ct_err *err)
{
	const char *reason = cmd_opt(a, "reason");
	if (!reason || !*reason)
		return cli_usage(cli, err, "give --reason R: it goes into the audit trail");
	json_t *v = json_string(reason);
	if (!v)
		return cli_usage(cli, err, "--reason is not valid UTF-8");
	json_object_set_new(body, "reason", v);
	return CT_OK;
}

static enum ct_status cmd_accept_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	struct reply r = { 0 };
	const char *value = cmd_opt(a, "value");
	json_t *body = json_pack("{s:s,s:s}", "contestant", a->argv[1], "criterion", a->argv[2]);
	enum ct_status rc = body ? reason_member(cli, a, body, err)
				 : cli_usage(cli, err, "CODE and CRITERION must be valid UTF-8");
	int64_t value_c;
	struct ct_err perr;
	if (rc == CT_OK && value && dec_parse(value, &value_c, &perr) != CT_OK)
		rc = cli_usage(cli, err, "--value: %s", perr.msg);
	if (rc == CT_OK && value)
		json_object_set_new(body, "value", json_string(value));
	if (rc == CT_OK)
		rc = cli_event_call(cli, a, "POST", "/accept", body, NULL, &r, err);
	if (rc == CT_OK) {
		const char *stands = json_str(r.json, "value", NULL);
		printf("accepted the discrepancy of %s on %s in %s%s%s\n", a->argv[1], a->argv[2], a->argv[0],
		       stands ? "; the value that stands: " : "", stands ? stands : "");
	}
	json_decref(body);
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_accept_entry = {
	.name = "accept",
	.args = "EVENT CODE CRITERION",
	.summary = "accept a discrepancy (chief judge or organizer), with a reason",
	.help = "CODE is the contestant's anonymous code. For a measurement or deduction\n"
		"criterion the values disagree, so --value names the value that stands; the\n"
		"other methods compute the mark from the judges' values. A later change of\n"
		"any value of that criterion reopens the discrepancy.",
	.min_args = 3,
	.max_args = 3,
	.options = {
		{ "reason", "R", "why the discrepancy stands (required)" },
		{ "value", "V", "the value that stands (measurement and deduction only)" },
	},
	.run = cmd_accept_run,
};

static enum ct_status cmd_unlock_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	struct reply r = { 0 };
	json_t *body = json_object();
	enum ct_status rc = reason_member(cli, a, body, err);
	if (rc == CT_OK)
		rc = cli_event_call(cli, a, "POST", "/unlock", body, NULL, &r, err);
	if (rc == CT_OK) {
		char b[32];
		printf("unlocked %s: it is %s again and scores can be corrected; lock it again when done\n",
		       a->argv[0], json_text(r.json, "state", "drawn", b));
	}
	json_decref(body);
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_unlock_entry = {
	.name = "unlock",
	.args = "EVENT",
	.summary = "take a locked event back to drawn for a correction (organizer), with a reason",
	.min_args = 1,
	.max_args = 1,
	.options = { { "reason", "R", "why the event is reopened (required; audited)" } },
	.run = cmd_unlock_run,
};

static enum ct_status cmd_withdraw_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	struct reply r = { 0 };
	json_t *body = json_object();
	enum ct_status rc = reason_member(cli, a, body, err);
	char *tail = NULL;
	if (rc == CT_OK) {
		char *judge = cli_path("", a->argv[0], "/withdraw");
		tail = xasprintf("/judges/%s", judge);
		free(judge);
		char *path = cli_path("/api/v1/events/", a->argv[1], tail);
		rc = cli_call(cli, "POST", path, body, NULL, &r, err);
		free(path);
	}
	if (rc == CT_OK)
		printf("judge %s withdrawn from %s: no longer required, values no longer count\n", a->argv[0],
		       a->argv[1]);
	free(tail);
	json_decref(body);
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_judge_withdraw_entry = {
	.name = "judge withdraw",
	.args = "CODE EVENT",
	.summary = "withdraw a judge from a drawn event (organizer), with a reason",
	.help = "The judge is no longer required for completeness and the judge's values\n"
		"stop counting; they stay in the history. The judge's logins end unless the\n"
		"judge is still assigned to another event.",
	.min_args = 2,
	.max_args = 2,
	.options = { { "reason", "R", "why (required; audited)" } },
	.run = cmd_withdraw_run,
};
