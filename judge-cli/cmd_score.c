/* Judge commands: `score` submits one mark with a fresh idempotency key and
 * retries with the same key while the server is unreachable or busy, so a
 * retry can never store the mark twice; `sheet` shows the judge's own sheet. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "cmd.h"
#include "decimal.h"
#include "draw.h"
#include "input.h"
#include "table.h"
#include "xmalloc.h"

#define SCORE_ATTEMPTS 5          /* first try and four retries */
#define SCORE_FIRST_DELAY_MS 500  /* doubled after each retry: 0.5, 1, 2, 4 s */
#define SCORE_KEY_BYTES 16        /* random bytes of an idempotency key */

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0)
		;
}

static enum ct_status cmd_score_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	enum ct_status rc = CT_OK;
	/* as typed on a Chinese input method or read off paper */
	char *contestant = input_code(a->argv[1]), *criterion = input_fold(a->argv[2], false);
	char *value = input_fold(a->argv[3], true);
	json_t *body = NULL;
	struct reply r = { 0 };
	int64_t value_c;
	struct ct_err perr;

	if (dec_parse(value, &value_c, &perr) != CT_OK) {
		rc = cli_usage(cli, err, "VALUE: %s", perr.msg);
		goto out;
	}
	if (sodium_init() < 0) {
		rc = ct_fail(err, CT_INTERNAL, "libsodium cannot be initialised");
		goto out;
	}
	char key[2 * SCORE_KEY_BYTES + 1];
	draw_hex(key, SCORE_KEY_BYTES);

	body = json_object();
	json_object_set_new(body, "contestant", json_string(contestant));
	json_object_set_new(body, "criterion", json_string(criterion));
	json_object_set_new(body, "value", json_string(value));
	if (!json_is_string(json_object_get(body, "contestant")) ||
	    !json_is_string(json_object_get(body, "criterion"))) {
		rc = cli_usage(cli, err, "CONTESTANT and CRITERION must be valid UTF-8");
		goto out;
	}
	long delay = SCORE_FIRST_DELAY_MS;
	for (int attempt = 1;; attempt++) {
		reply_clear(&r);
		rc = cli_event_call(cli, a, "POST", "/scores", body, key, &r, err);
		/* CT_UNAVAILABLE: no answer at all, or 503 (nothing was stored) */
		if (rc != CT_UNAVAILABLE || attempt == SCORE_ATTEMPTS)
			break;
		fprintf(stderr, "judge-cli: %s; retrying in %.1f s\n", err->msg, (double)delay / 1000);
		sleep_ms(delay);
		delay *= 2;
	}
	if (rc != CT_OK) {
		/* an unknown code or criterion (an unknown event has its own hint) */
		const char *msg = json_str(json_object_get(r.json, "error"), "message", "");
		size_t n = strlen(err->msg);
		if (r.status == 404 && (strncmp(msg, "no contestant ", 14) == 0 ||
					strncmp(msg, "no criterion ", 13) == 0))
			snprintf(err->msg + n, sizeof err->msg - n,
				 "; judge-cli sheet %s lists your contestants' codes and the criteria",
				 a->argv[0]);
		goto out;
	}
	char b1[32], b2[32], b3[32], b4[32];
	char fallback[DEC_TEXT_MAX];
	printf("%s %s = %s (revision %s)\n", json_text(r.json, "contestant", contestant, b1),
	       json_text(r.json, "criterion", criterion, b2),
	       json_text(r.json, "value", dec_format(value_c, fallback), b3),
	       json_text(r.json, "revision", "?", b4));
out:
	if (body)
		json_decref(body);
	reply_clear(&r);
	free(contestant);
	free(criterion);
	free(value);
	return rc;
}

const struct cmd_entry cmd_score_entry = {
	.name = "score",
	.args = "EVENT CONTESTANT CRITERION VALUE",
	.summary = "submit a mark as a judge (CONTESTANT is the anonymous code)",
	.help = "VALUE is a mark with at most 2 decimal places (0 to 3 for a judgement\n"
		"criterion). A new mark for the same contestant and criterion is a revision.\n"
		"The code may be typed in either case; full-width digits, letters and points\n"
		"from a Chinese input method (８.５) are read as ASCII.\n"
		"When the server cannot be reached or answers 503, the same submission is\n"
		"retried a few times; the server stores it once.",
	.min_args = 4,
	.max_args = 4,
	.run = cmd_score_run,
};

static enum ct_status cmd_sheet_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	static const char *const formats[] = { "table", "json", NULL };
	static const char *const arrays[] = { "criteria", "contestants", NULL };
	struct reply r;
	const char **head = NULL;
	int fmt;
	enum ct_status rc = cli_get_event(cli, a, formats, "/sheet", arrays, &fmt, &r, err);
	if (rc != CT_OK)
		goto out;
	const json_t *criteria = json_object_get(r.json, "criteria");
	const json_t *list = json_object_get(r.json, "contestants");
	if (fmt == 1) {
		cli_print_json(r.json);
		goto out;
	}
	size_t n_crit = json_array_size(criteria);
	size_t i, j, n_given = 0;
	const json_t *c, *k;
	char b[32];

	printf("%s  %s  (%s)\n\n", json_str(r.json, "event", a->argv[0]), json_str(r.json, "name", ""),
	       json_str(r.json, "state", ""));
	static const char *const legend_head[] = { "CRITERION", "MODULE", "METHOD", "MAX",
						   "DESCRIPTION" };
	struct table *t = table_new(5, legend_head);
	table_align_right(t, 3);
	json_array_foreach(criteria, i, c) {
		const char *row[] = { json_text(c, "code", "", b), json_text(c, "module", "", b),
				      json_text(c, "method", "", b), json_text(c, "max", "", b),
				      json_text(c, "description", "", b) };
		table_add(t, row);
	}
	cli_print_table(t);
	printf("\n");

	/* contestants down in workstation order, criteria across; "-" where the
	 * judge has no value yet */
	head = xcalloc(n_crit + 2, sizeof *head);
	head[0] = "WS";
	head[1] = "CODE";
	json_array_foreach(criteria, i, c)
		head[i + 2] = json_str(c, "code", "?");
	t = table_new(n_crit + 2, head);
	for (i = 0; i <= n_crit + 1; i++)
		if (i != 1)
			table_align_right(t, i);
	const char **row = xcalloc(n_crit + 2, sizeof *row);
	json_array_foreach(list, j, k) {
		const json_t *values = json_object_get(k, "values");
		row[0] = json_text(k, "workstation", "-", b);
		row[1] = json_str(k, "code", "?");
		json_array_foreach(criteria, i, c) {
			const char *code = json_str(c, "code", NULL);
			const char *v = code ? json_str(values, code, NULL) : NULL;
			row[i + 2] = v ? v : "-";
			n_given += v != NULL;
		}
		table_add(t, row);
	}
	free(row);
	cli_print_table(t);
	printf("\n%zu of %zu values entered\n", n_given, n_crit * json_array_size(list));
out:
	free(head);
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_sheet_entry = {
	.name = "sheet",
	.args = "EVENT",
	.summary = "show your own score sheet as a judge",
	.min_args = 1,
	.max_args = 1,
	.options = { { "format", "table|json", "output format (default table)" } },
	.run = cmd_sheet_run,
};
