/* `judge-cli results EVENT`: an event's results in the server's display
 * order, as an aligned table, CSV (one column per module) or JSON (module
 * scores keyed by module code). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "csv.h"
#include "table.h"
#include "xmalloc.h"

/* The fixed columns before the module scores, and after them: award is the
 * code for programs (first, second, third), award_name what people read
 * (一等奖...), result_status "provisional" until the event is locked, then
 * the event's state. */
static const char *const csv_lead[] = { "reg_id", "name", "organization", "members", "status" };
static const char *const csv_tail[] = { "total", "rank", "award", "award_name", "result_status" };
#define N_LEAD 5
#define N_TAIL 5

static const char *award_label(const char *award)
{
	if (!award)
		return "";
	if (strcmp(award, "first") == 0)
		return "一等奖";
	if (strcmp(award, "second") == 0)
		return "二等奖";
	if (strcmp(award, "third") == 0)
		return "三等奖";
	return award;
}

/* Whether the results of an event in state are provisional: scores can
 * still change until the lock. */
static bool provisional(const char *state)
{
	return strcmp(state, "setup") == 0 || strcmp(state, "drawn") == 0;
}

/* The text cells of one result row in CSV order; *buf holds the rank. */
static void row_cells(const json_t *res, size_t n_mod, const char *result_status, const char **cells,
		      char *buf)
{
	const json_t *scores = json_object_get(res, "modules");
	for (size_t i = 0; i < N_LEAD; i++)
		cells[i] = json_str(res, csv_lead[i], "");
	for (size_t m = 0; m < n_mod; m++) {
		const char *s = json_string_value(json_array_get(scores, m));
		cells[N_LEAD + m] = s ? s : "";
	}
	const char **tail = cells + N_LEAD + n_mod;
	tail[0] = json_str(res, "total", "");
	tail[1] = json_text(res, "rank", "", buf);
	tail[2] = json_str(res, "award", "");
	tail[3] = award_label(json_str(res, "award", NULL));
	tail[4] = result_status;
}

static enum ct_status print_csv(const struct cmd_args *a, const json_t *doc, const json_t *modules,
				const json_t *results, struct ct_err *err)
{
	size_t n_mod = json_array_size(modules), n = N_LEAD + n_mod + N_TAIL;
	const char **cells = xcalloc(n, sizeof *cells);
	struct csv_writer out = { 0 };
	size_t i;
	const json_t *v;
	const char *state = json_str(doc, "state", "");
	const char *result_status = provisional(state) ? "provisional" : state;

	memcpy(cells, csv_lead, sizeof csv_lead);
	json_array_foreach(modules, i, v)
		cells[N_LEAD + i] = json_str(v, "code", "");
	memcpy(cells + N_LEAD + n_mod, csv_tail, sizeof csv_tail);
	csv_write_row(&out, cells, n);
	json_array_foreach(results, i, v) {
		char rank[32];
		row_cells(v, n_mod, result_status, cells, rank);
		csv_write_row(&out, cells, n);
	}
	enum ct_status rc = cli_write_csv(a, out.buf, out.len, err);
	free(out.buf);
	free(cells);
	return rc;
}

/* Copies member key of from to to, null when absent. */
static void copy_member(json_t *to, const json_t *from, const char *key)
{
	json_t *v = json_object_get(from, key);
	json_object_set(to, key, v ? v : json_null());
}

static void print_json(const json_t *doc, const json_t *modules, const json_t *results)
{
	static const char *const keys[] = { "reg_id", "name", "organization", "members", "status" };
	json_t *out = json_object();
	json_t *rows = json_array();
	size_t i, m;
	const json_t *res, *mod;

	json_object_set_new(out, "event", json_string(json_str(doc, "event", "")));
	json_object_set_new(out, "name", json_string(json_str(doc, "name", "")));
	json_object_set_new(out, "state", json_string(json_str(doc, "state", "")));
	json_object_set_new(out, "provisional", json_boolean(provisional(json_str(doc, "state", ""))));
	copy_member(out, doc, "n_ranked");
	copy_member(out, doc, "cutoffs");
	json_object_set(out, "modules", (json_t *)modules);
	json_array_foreach(results, i, res) {
		json_t *row = json_object();
		for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
			copy_member(row, res, keys[k]);
		json_t *scores = json_object();
		const json_t *list = json_object_get(res, "modules");
		json_array_foreach(modules, m, mod) {
			const char *code = json_str(mod, "code", NULL);
			json_t *s = json_array_get(list, m);
			if (code)
				json_object_set(scores, code, s ? s : json_null());
		}
		json_object_set_new(row, "modules", scores);
		static const char *const tail[] = { "total", "rank", "award", "complete" };
		for (size_t k = 0; k < sizeof tail / sizeof tail[0]; k++)
			copy_member(row, res, tail[k]);
		json_array_append_new(rows, row);
	}
	json_object_set_new(out, "results", rows);
	cli_print_json(out);
	json_decref(out);
}

static void print_table(const json_t *doc, const json_t *modules, const json_t *results)
{
	size_t n_mod = json_array_size(modules), i;
	const json_t *v;
	char b[32];
	bool any_incomplete = false, teams = false;

	json_array_foreach(results, i, v)
		teams |= json_is_string(json_object_get(v, "members"));
	const char *state = json_str(doc, "state", "");
	if (provisional(state)) {
		json_int_t n_inc = json_integer_value(json_object_get(doc, "n_incomplete"));
		json_int_t n_open = json_integer_value(json_object_get(doc, "n_open_discrepancies"));
		printf("PROVISIONAL RESULTS: the event is not locked and scores can still change "
		       "(%lld incomplete, %lld open discrepanc%s)\n",
		       (long long)n_inc, (long long)n_open, n_open == 1 ? "y" : "ies");
	}
	printf("%s  %s  (%s)\n", json_str(doc, "event", ""), json_str(doc, "name", ""), state);
	const json_t *cut = json_object_get(doc, "cutoffs");
	printf("%s ranked", json_text(doc, "n_ranked", "?", b));
	if (json_array_size(cut) == 3)
		printf("; prize cut-offs (last rank of each prize) %lld/%lld/%lld",
		       (long long)json_integer_value(json_array_get(cut, 0)),
		       (long long)json_integer_value(json_array_get(cut, 1)),
		       (long long)json_integer_value(json_array_get(cut, 2)));
	printf("\n\n");

	/* RANK REG_ID NAME ORGANIZATION [MEMBERS] STATUS modules... TOTAL AWARD */
	size_t lead = teams ? 6 : 5, n = lead + n_mod + 2;
	const char **cells = xcalloc(n, sizeof *cells);
	cells[0] = "RANK";
	cells[1] = "REG_ID";
	cells[2] = "NAME";
	cells[3] = "ORGANIZATION";
	if (teams)
		cells[4] = "MEMBERS";
	cells[lead - 1] = "STATUS";
	json_array_foreach(modules, i, v)
		cells[lead + i] = json_str(v, "code", "?");
	cells[lead + n_mod] = "TOTAL";
	cells[lead + n_mod + 1] = "AWARD";
	struct table *t = table_new(n, cells);
	table_align_right(t, 0);
	for (i = 0; i <= n_mod; i++)
		table_align_right(t, lead + i);
	json_array_foreach(results, i, v) {
		const json_t *scores = json_object_get(v, "modules");
		bool incomplete = json_is_false(json_object_get(v, "complete")) &&
				  strcmp(json_str(v, "status", ""), "competed") == 0;
		char total[64];
		snprintf(total, sizeof total, "%s%s", json_str(v, "total", "-"), incomplete ? "*" : "");
		any_incomplete |= incomplete;
		cells[0] = json_text(v, "rank", "-", b);
		cells[1] = json_str(v, "reg_id", "");
		cells[2] = json_str(v, "name", "");
		cells[3] = json_str(v, "organization", "");
		if (teams)
			cells[4] = json_str(v, "members", "");
		cells[lead - 1] = json_str(v, "status", "");
		for (size_t m = 0; m < n_mod; m++) {
			const char *s = json_string_value(json_array_get(scores, m));
			cells[lead + m] = s ? s : "-";
		}
		cells[lead + n_mod] = total;
		cells[lead + n_mod + 1] = award_label(json_str(v, "award", NULL));
		table_add(t, cells);
	}
	cli_print_table(t);
	if (any_incomplete)
		printf("\n* incomplete: scored on the values present so far\n");
	free(cells);
}

static enum ct_status cmd_results_run(struct cli *cli, const struct cmd_args *a,
				      struct ct_err *err)
{
	static const char *const formats[] = { "table", "csv", "json", NULL };
	static const char *const arrays[] = { "modules", "results", NULL };
	struct reply r;
	int fmt;
	enum ct_status rc = cli_get_event(cli, a, formats, "/results", arrays, &fmt, &r, err);
	if (rc != CT_OK)
		goto out;
	const json_t *modules = json_object_get(r.json, "modules");
	const json_t *results = json_object_get(r.json, "results");
	if (fmt == 1)
		rc = print_csv(a, r.json, modules, results, err);
	else if (fmt == 2)
		print_json(r.json, modules, results);
	else
		print_table(r.json, modules, results);
out:
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_results_entry = {
	.name = "results",
	.args = "EVENT",
	.summary = "show an event's results: module scores, total, rank, award",
	.help = "table: marked PROVISIONAL until the event is locked; awards as 一等奖/二等奖/三等奖;\n"
		"a MEMBERS column for team events.\n"
		"csv: reg_id,name,organization,members,status, one column per module code,\n"
		"total,rank,award,award_name,result_status: award is first, second or third\n"
		"(for programs), award_name 一等奖, 二等奖 or 三等奖; rank and award empty when\n"
		"there is none; result_status is provisional until the lock, then the state.\n"
		"Cells a spreadsheet would run as a formula (=, +, -, @) get a ' in front.\n"
		"The CSV is UTF-8 with a byte order mark (so that Excel reads the Chinese)\n"
		"when it goes to a file, --out FILE or standard output redirected to one;\n"
		"plain UTF-8 to a terminal or a pipe; --encoding chooses.\n"
		"json: {\"event\",\"name\",\"state\",\"provisional\",\"n_ranked\",\"cutoffs\",\"modules\",\n"
		"\"results\":[{\"reg_id\",\"name\",\"organization\",\"members\",\"status\",\n"
		"\"modules\":{CODE:score},\"total\",\"rank\",\"award\",\"complete\"}]}.",
	.min_args = 1,
	.max_args = 1,
	.options = {
		{ "format", "table|csv|json", "output format (default table)" },
		{ "encoding", "utf-8|utf-8-bom|gbk", "character set of the CSV (see above)" },
		{ "out", "FILE", "write the CSV to FILE (mode 0600) instead of standard output" },
	},
	.run = cmd_results_run,
};
