/* Event commands: `event list`, `event show` (the score sheet), `draw` and
 * `lock` (which lists what blocks the lock when the server refuses). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "table.h"
#include "xmalloc.h"

static const char *const table_or_json[] = { "table", "json", NULL };

static enum ct_status cmd_event_list_run(struct cli *cli, const struct cmd_args *a,
					 struct ct_err *err)
{
	enum ct_status rc;
	struct reply r;
	int fmt = cli_format(cli, cmd_opt(a, "format"), table_or_json, err);
	if (fmt < 0)
		return CT_INVALID;
	if ((rc = cli_call(cli, "GET", "/api/v1/events", NULL, NULL, &r, err)) != CT_OK)
		goto out;
	const json_t *events = json_object_get(r.json, "events");
	if (!json_is_array(events)) {
		rc = cli_unexpected(err, "events");
		goto out;
	}
	if (fmt == 1) {
		cli_print_json(r.json);
		goto out;
	}
	bool with_role = false;
	size_t i;
	const json_t *ev;
	json_array_foreach(events, i, ev)
		if (json_is_string(json_object_get(ev, "role")))
			with_role = true;
	static const char *const head[] = { "CODE", "NAME", "STATE", "CONTESTANTS", "ROLE" };
	struct table *t = table_new(with_role ? 5 : 4, head);
	table_align_right(t, 3);
	json_array_foreach(events, i, ev) {
		char n[32];
		const char *row[] = {
			json_text(ev, "code", "", n), json_text(ev, "name", "", n),
			json_text(ev, "state", "", n), json_text(ev, "contestants", "", n),
			json_text(ev, "role", "", n),
		};
		table_add(t, row);
	}
	cli_print_table(t);
out:
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_event_list_entry = {
	.name = "event list",
	.args = "",
	.summary = "list the events (a judge: the events assigned to the judge)",
	.max_args = 0,
	.options = { { "format", "table|json", "output format (default table)" } },
	.run = cmd_event_list_run,
};

/* Prints "label  value" lines of the event's settings. */
static void print_settings(const json_t *ev)
{
	char b[32];
	const char *ratios = json_text(ev, "award_ratios", "10/20/30", b);
	printf("%-16s %s\n", "award ratios", ratios);
	printf("%-16s %s\n", "min award score", json_text(ev, "min_award_score", "none", b));
	const char *tb = json_text(ev, "tiebreak", "", b);
	printf("%-16s %s\n", "tie-break", *tb ? tb : "none");
	printf("%-16s %s%%\n", "discrepancy", json_text(ev, "discrepancy_pct", "20", b));
	printf("%-16s %s\n", "drawn at", json_text(ev, "drawn_at", "-", b));
	printf("%-16s %s\n", "locked at", json_text(ev, "locked_at", "-", b));
	const json_t *counts = json_object_get(ev, "contestants");
	if (json_is_object(counts)) {
		static const char *const st[] = { "registered", "competed", "absent", "withdrawn",
						  "disqualified" };
		printf("%-16s", "contestants");
		for (size_t i = 0; i < sizeof st / sizeof st[0]; i++)
			printf("%s %s %s", i ? "," : "", st[i], json_text(counts, st[i], "0", b));
		printf("\n");
	}
}

/* The score sheet: one row per criterion, module columns on the first
 * criterion of each module. */
static void print_sheet(const json_t *modules)
{
	static const char *const head[] = { "MODULE", "NAME", "WEIGHT", "MAX", "CRITERION",
					     "DESCRIPTION", "METHOD", "MAX" };
	struct table *t = table_new(8, head);
	table_align_right(t, 2);
	table_align_right(t, 3);
	table_align_right(t, 7);
	size_t i, j;
	const json_t *m, *c;
	json_array_foreach(modules, i, m) {
		char b1[32], b2[32];
		const char *mrow[4] = {
			json_text(m, "code", "", b1), json_text(m, "name", "", b1),
			json_text(m, "weight", "-", b1), json_text(m, "max", "", b2),
		};
		const json_t *criteria = json_object_get(m, "criteria");
		if (json_array_size(criteria) == 0) {
			const char *row[8] = { mrow[0], mrow[1], mrow[2], mrow[3], "", "", "", "" };
			table_add(t, row);
		}
		json_array_foreach(criteria, j, c) {
			char b3[32];
			const char *row[8] = {
				j ? "" : mrow[0], j ? "" : mrow[1], j ? "" : mrow[2], j ? "" : mrow[3],
				json_text(c, "code", "", b3), json_text(c, "description", "", b3),
				json_text(c, "method", "", b3), json_text(c, "max", "", b3),
			};
			table_add(t, row);
		}
	}
	cli_print_table(t);
}

static enum ct_status cmd_event_show_run(struct cli *cli, const struct cmd_args *a,
					 struct ct_err *err)
{
	struct reply r;
	int fmt;
	enum ct_status rc = cli_get_event(cli, a, table_or_json, NULL, NULL, &fmt, &r, err);
	if (rc != CT_OK)
		goto out;
	if (!json_is_object(r.json) || !json_is_string(json_object_get(r.json, "code"))) {
		rc = cli_unexpected(err, "code");
		goto out;
	}
	if (fmt == 1) {
		cli_print_json(r.json);
		goto out;
	}
	char b[32];
	printf("%s  %s  (%s)\n", json_text(r.json, "code", "", b), json_text(r.json, "name", "", b),
	       json_text(r.json, "state", "", b));
	print_settings(r.json);
	const json_t *modules = json_object_get(r.json, "modules");
	printf("\n");
	if (json_array_size(modules) == 0)
		printf("no score sheet yet (judge-cli import criteria FILE)\n");
	else
		print_sheet(modules);
	const json_t *warnings = json_object_get(r.json, "warnings");
	size_t k;
	const json_t *w;
	json_array_foreach(warnings, k, w)
		printf("%swarning: %s\n", k ? "" : "\n", json_is_string(w) ? json_string_value(w) : "?");
	const json_t *judges = json_object_get(r.json, "judges");
	if (json_is_array(judges)) {
		printf("\n");
		if (json_array_size(judges) == 0) {
			printf("no judges yet (judge-cli import judges FILE)\n");
		} else {
			static const char *const head[] = { "JUDGE", "NAME", "ROLE" };
			struct table *t = table_new(3, head);
			size_t i;
			const json_t *j;
			json_array_foreach(judges, i, j) {
				const char *row[] = { json_text(j, "code", "", b), json_text(j, "name", "", b),
						      json_text(j, "role", "", b) };
				table_add(t, row);
			}
			cli_print_table(t);
		}
	}
out:
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_event_show_entry = {
	.name = "event show",
	.args = "EVENT",
	.summary = "show an event: settings, score sheet, judges, contestant counts",
	.min_args = 1,
	.max_args = 1,
	.options = { { "format", "table|json", "output format (default table)" } },
	.run = cmd_event_show_run,
};

static enum ct_status cmd_draw_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	struct reply r;
	enum ct_status rc = cli_event_call(cli, a, "POST", "/draw", NULL, NULL, &r, err);
	if (rc == CT_OK) {
		char b[32];
		const json_t *n = json_object_get(r.json, "contestants");
		bool one = json_is_integer(n) && json_integer_value(n) == 1;
		printf("drew %s: %s contestant%s ha%s a workstation and an anonymous code; state %s\n",
		       json_text(r.json, "event", a->argv[0], b), json_text(r.json, "contestants", "?", b),
		       one ? "" : "s", one ? "s" : "ve", json_text(r.json, "state", "drawn", b));
	}
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_draw_entry = {
	.name = "draw",
	.args = "EVENT",
	.summary = "draw workstations and anonymous codes; opens scoring",
	.min_args = 1,
	.max_args = 1,
	.run = cmd_draw_run,
};

/* "2026003 (K7Q2MX) A1", or for a chief judge before the lock "K7Q2MX A1" */
static void print_who(const json_t *b)
{
	char t[32];
	if (!json_is_string(json_object_get(b, "contestant")))
		fprintf(stderr, "  %s %s: ", json_text(b, "code", "?", t), json_text(b, "criterion", "?", t));
	else
		fprintf(stderr, "  %s (%s) %s: ", json_text(b, "contestant", "?", t), json_text(b, "code", "?", t),
			json_text(b, "criterion", "?", t));
}

/* Lists what the 409 body of a refused lock says blocks it. */
static void print_blockers(const json_t *blockers)
{
	size_t i;
	const json_t *b;
	char t[32];
	const json_t *missing = json_object_get(blockers, "missing");
	const json_t *disc = json_object_get(blockers, "discrepancies");
	json_array_foreach(missing, i, b) {
		print_who(b);
		const char *judge = json_str(b, "judge", NULL);
		json_int_t values = json_integer_value(json_object_get(b, "values"));
		if (judge)
			fprintf(stderr, "no value from %s\n", judge);
		else if (values > 0)
			fprintf(stderr, "%lld value%s missing\n", (long long)values, values == 1 ? "" : "s");
		else
			fprintf(stderr, "no value yet\n");
	}
	json_int_t n = json_integer_value(json_object_get(blockers, "n_missing"));
	if (n > (json_int_t)json_array_size(missing))
		fprintf(stderr, "  ... and %lld more missing value%s\n",
			(long long)(n - (json_int_t)json_array_size(missing)),
			n - (json_int_t)json_array_size(missing) == 1 ? "" : "s");
	json_array_foreach(disc, i, b) {
		print_who(b);
		fprintf(stderr, "open discrepancy, values from %s", json_text(b, "low", "?", t));
		fprintf(stderr, " to %s\n", json_text(b, "high", "?", t));
	}
	n = json_integer_value(json_object_get(blockers, "n_open_discrepancies"));
	if (n > (json_int_t)json_array_size(disc))
		fprintf(stderr, "  ... and %lld more open discrepanc%s\n",
			(long long)(n - (json_int_t)json_array_size(disc)),
			n - (json_int_t)json_array_size(disc) == 1 ? "y" : "ies");
}

static enum ct_status cmd_lock_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	struct reply r;
	enum ct_status rc = cli_event_call(cli, a, "POST", "/lock", NULL, NULL, &r, err);
	if (rc == CT_OK) {
		char b[32];
		printf("locked %s\n", json_text(r.json, "event", a->argv[0], b));
	} else if (r.status == 409) {
		const json_t *blockers = json_object_get(json_object_get(r.json, "error"), "blockers");
		if (json_is_object(blockers)) {
			fprintf(stderr, "judge-cli: %s\n", err->msg);
			print_blockers(blockers);
			err->msg[0] = '\0'; /* printed already */
		}
	}
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_lock_entry = {
	.name = "lock",
	.args = "EVENT",
	.summary = "lock an event's scores (lists missing values and open discrepancies)",
	.min_args = 1,
	.max_args = 1,
	.run = cmd_lock_run,
};
