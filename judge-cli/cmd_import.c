/* `judge-cli import KIND FILE`: read, decode, parse and check a CSV file,
 * then send all its rows in one all-or-nothing request (a score import as
 * CSV, the others as JSON), with a progress bar on a terminal; every error
 * is given as FILE:LINE:COLUMN, including the server's errors about one row. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "csv.h"
#include "import.h"
#include "table.h"
#include "xmalloc.h"

/* Sets err to a located message (a new string from import_locate*). */
static enum ct_status fail_located(struct ct_err *err, enum ct_status st, char *located)
{
	ct_fail(err, st, "%s", located);
	free(located);
	return st;
}

/* What the progress bar shows. */
struct bar {
	const char *what;         /* "scores" */
	size_t rows;
	bool drawn;
};

/* Draws the progress of the request on standard error (a terminal). */
static void draw_bar(void *arg, size_t sent, size_t total, bool waiting, double elapsed_s)
{
	struct bar *b = arg;
	if (waiting) {
		fprintf(stderr, "\r\033[Kimport %s: %.1f MB sent; the server is storing %zu rows (all or none)... %.0f s",
			b->what, (double)total / 1e6, b->rows, elapsed_s);
	} else {
		int width = 30, done = total ? (int)((double)sent / (double)total * width) : 0;
		char bar[32];
		for (int i = 0; i < width; i++)
			bar[i] = i < done ? '#' : '.';
		bar[width] = '\0';
		fprintf(stderr, "\r\033[Kimport %s: [%s] %3.0f%% %.1f/%.1f MB", b->what, bar,
			total ? 100.0 * (double)sent / (double)total : 100.0, (double)sent / 1e6, (double)total / 1e6);
	}
	fflush(stderr);
	b->drawn = true;
}

/* What `import criteria --replace` did: each event's new sheet and its
 * warnings, as `event show` prints them. */
static void print_replaced(const json_t *answer, const char *file)
{
	size_t i, k;
	const json_t *e, *w;
	json_array_foreach(json_object_get(answer, "events"), i, e) {
		char b[3][32];
		printf("replaced the score sheet of event %s from %s: %s modules, %s criteria\n",
		       json_text(e, "event", "?", b[0]), file, json_text(e, "modules", "?", b[1]),
		       json_text(e, "criteria", "?", b[2]));
		json_array_foreach(json_object_get(e, "warnings"), k, w)
			printf("warning: %s: %s\n", json_text(e, "event", "?", b[0]),
			       json_is_string(w) ? json_string_value(w) : "?");
	}
}

static enum ct_status cmd_import_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	enum ct_status rc = CT_OK;
	const char *kind = a->argv[0];
	const char *path = a->argv[1];
	/* "-" is standard input, named "stdin" in FILE:LINE:COLUMN messages */
	const char *file = strcmp(path, "-") == 0 ? "stdin" : path;
	const char *encoding = cmd_opt(a, "encoding");
	char *raw = NULL, *text = NULL;
	size_t raw_len = 0, text_len = 0;
	struct csv_table *t = NULL;
	struct csv_loc loc = { 0, 0 };
	struct import_report report = { 0 };
	json_t *rows = NULL;
	char *csv = NULL;
	size_t csv_len = 0;
	struct reply r = { 0 };
	struct ct_err perr;
	struct bar bar = { kind, 0, false };

	const struct import_kind *k = import_kind_find(kind);
	bool replace = cmd_opt(a, "replace") != NULL;
	if (!k) {
		rc = cli_usage(cli, err, "unknown import \"%s\" (use %s)", kind, IMPORT_KIND_NAMES);
		goto out;
	}
	if (replace && strcmp(k->name, "criteria") != 0) {
		rc = cli_usage(cli, err, "--replace goes with import criteria (it replaces events' score sheets)");
		goto out;
	}
	if (!csv_encoding_known(encoding)) {
		rc = cli_usage(cli, err, "unknown encoding \"%s\" (use UTF-8 or GBK)", encoding);
		goto out;
	}
	if ((rc = cli_read_file(path, CSV_MAX_BYTES, &raw, &raw_len, err)) != CT_OK)
		goto out;
	ct_err_clear(&perr);
	if ((rc = csv_decode(raw, raw_len, encoding, &text, &text_len, &loc, &perr)) != CT_OK) {
		rc = fail_located(err, rc, import_locate_csv(file, &loc, perr.msg));
		goto out;
	}
	rc = csv_parse(text, text_len, import_csv_columns(k), k->n_cols, &t, &loc, &perr);
	if (rc != CT_OK) {
		if (csv_encoding_is_utf8(encoding) && strstr(perr.msg, "invalid UTF-8")) {
			size_t n = strlen(perr.msg);
			snprintf(perr.msg + n, sizeof perr.msg - n,
				 "; if the file was saved by Chinese Excel, use --encoding GBK");
		}
		rc = fail_located(err, rc, import_locate_csv(file, &loc, perr.msg));
		goto out;
	}
	if (t->n_rows == 0) {
		rc = ct_fail(err, CT_INVALID, "%s: no rows to import", file);
		goto out;
	}
	if (import_sends_csv(k))
		rc = import_build_csv(k, file, t, &csv, &csv_len, &report);
	else
		rc = import_build(k, file, t, &rows, &report);
	if (rc != CT_OK) {
		for (size_t i = 0; i < report.n_lines; i++) {
			char *line = text_printable(report.lines[i]); /* cells may hold control bytes */
			fprintf(stderr, "judge-cli: %s\n", line);
			free(line);
		}
		if (report.n_errors > report.n_lines)
			fprintf(stderr, "judge-cli: ... and %zu more error%s\n",
				report.n_errors - report.n_lines,
				report.n_errors - report.n_lines == 1 ? "" : "s");
		rc = ct_fail(err, CT_INVALID, "%s: %zu error%s; nothing was imported", file,
			     report.n_errors, report.n_errors == 1 ? "" : "s");
		goto out;
	}
	bar.rows = t->n_rows;
	if (isatty(STDERR_FILENO)) {
		cli->progress = draw_bar;
		cli->progress_arg = &bar;
	}
	if (csv)
		rc = cli_call_body(cli, "POST", k->path, "text/csv; charset=utf-8", csv, csv_len, NULL, &r, err);
	else
		rc = cli_call(cli, replace ? "PUT" : "POST", k->path, rows, NULL, &r, err);
	cli->progress = NULL;
	if (bar.drawn)
		fprintf(stderr, "\r\033[K");
	if (rc != CT_OK) {
		const json_t *e = json_object_get(r.json, "error");
		const json_t *index = json_object_get(e, "index");
		if (json_is_integer(index)) {
			const char *field = json_str(e, "field", NULL);
			char msg[sizeof err->msg];
			memcpy(msg, err->msg, sizeof msg);
			fail_located(err, rc,
				     import_locate(file, t, (long)json_integer_value(index), field, msg));
		}
		goto out;
	}
	if (replace) {
		print_replaced(r.json, file);
		goto out;
	}
	const json_t *count = json_object_get(r.json, k->count_key);
	long long n = json_is_integer(count) ? (long long)json_integer_value(count)
					     : (long long)t->n_rows;
	printf("imported %lld %s from %s\n", n, n == 1 ? k->one : k->many, file);
out:
	free(raw);
	free(text);
	csv_free(t);
	import_report_clear(&report);
	if (rows)
		json_decref(rows);
	free(csv);
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_import_entry = {
	.name = "import",
	.args = IMPORT_KIND_NAMES " FILE",
	.summary = "import a CSV file (all rows or none)",
	.help = "Checks every row of the CSV file, then sends all of them in one request;\n"
		"the server stores all of them or none (a scores file of any size: it is\n"
		"sent as CSV and stored in steps while the server keeps answering). On a\n"
		"terminal a progress bar shows the upload, then the server's work.\n"
		"Columns (in any order; [optional]):\n"
		"  events       code,name[,award_ratios,min_award_score,tiebreak,discrepancy_pct]\n"
		"  criteria     event,module,module_name,module_weight,code,description,max,method\n"
		"  contestants  reg_id,name,organization,event[,id_number,members]\n"
		"  judges       code,name,organization,pin,event,role\n"
		"  checkin      reg_id,status[,elapsed_s,reason]\n"
		"  scores       event,contestant,criterion,judge,value\n"
		"A scores file gives each value (event, contestant, criterion, judge) once;\n"
		"a revision goes in a later import.\n"
		"Errors are reported as FILE:LINE:COLUMN. FILE - reads standard input.\n"
		"Numbers and codes typed in full-width forms (８.５) are read as ASCII.\n"
		"criteria --replace: the file replaces the whole score sheet (modules and\n"
		"criteria) of every event it names, all of them or none; each must be in\n"
		"setup. Without it, rows are added to the sheets.",
	.min_args = 2,
	.max_args = 2,
	.options = {
		{ "encoding", "GBK|UTF-8", "character set of FILE (default UTF-8, with or without BOM)" },
		{ "replace", NULL, "criteria only: replace the named events' score sheets" },
	},
	.timeout_s = 600,
	.run = cmd_import_run,
};
