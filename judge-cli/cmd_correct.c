/* Corrections of what was registered (organizers): `event set|delete`,
 * `module set|delete`, `criterion set|delete` while an event is in setup,
 * `contestant delete`, and `judge set|delete|unassign`. A change of a score
 * sheet prints the sheet's warnings as `event show` does; an organization
 * change prints whom it makes recused (cli_print_recusal). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "xmalloc.h"

/* Sets member key of body to the option's value: "" and "none" (when
 * none_clears) as null, else the text. False after cli_usage when the
 * text is not valid UTF-8. */
static bool put_text(struct cli *cli, json_t *body, const char *key, const char *opt, bool none_clears,
		     struct ct_err *err)
{
	if (!opt)
		return true;
	if (!*opt || (none_clears && strcmp(opt, "none") == 0)) {
		json_object_set_new(body, key, json_null());
		return true;
	}
	json_t *v = json_string(opt);
	if (!v) {
		cli_usage(cli, err, "--%s is not valid UTF-8", key);
		return false;
	}
	json_object_set_new(body, key, v);
	return true;
}

/* Sets the options named in opts (NULL-terminated; JSON keys with '_' for
 * the options' '-') into body; "" (and "none" for those in nones) clear.
 * CT_INVALID after cli_usage when one is not UTF-8, or when body is still
 * empty: nothing to change (what lists the options for the message). */
static enum ct_status body_of(struct cli *cli, const struct cmd_args *a, const char *const *opts,
			      const char *const *nones, const char *what, json_t *body, struct ct_err *err)
{
	for (size_t i = 0; opts[i]; i++) {
		char key[64];
		snprintf(key, sizeof key, "%s", opts[i]);
		for (char *p = key; *p; p++)
			if (*p == '-')
				*p = '_';
		bool none = false;
		for (size_t k = 0; nones && nones[k]; k++)
			none |= strcmp(nones[k], opts[i]) == 0;
		if (!put_text(cli, body, key, cmd_opt(a, opts[i]), none, err))
			return CT_INVALID;
	}
	if (json_object_size(body) > 0)
		return CT_OK;
	return cli_usage(cli, err, "nothing to change: give %s", what);
}

/* "name, tiebreak": the members of the answer's "changed" list. */
static void print_changed(const json_t *answer)
{
	size_t i;
	const json_t *k;
	json_array_foreach(json_object_get(answer, "changed"), i, k)
		printf("%s%s", i ? ", " : ": ", json_is_string(k) ? json_string_value(k) : "?");
	printf("\n");
}

/* The score sheet's warnings after a change, as `event show` prints them. */
static void print_warnings(const json_t *answer)
{
	size_t i;
	const json_t *w;
	json_array_foreach(json_object_get(answer, "warnings"), i, w)
		printf("warning: %s\n", json_is_string(w) ? json_string_value(w) : "?");
}

/* PATCH or DELETE of path with body (may be NULL); *r holds the answer. */
static enum ct_status call(struct cli *cli, const char *method, char *path, const json_t *body, struct reply *r,
			   struct ct_err *err)
{
	enum ct_status rc = cli_call(cli, method, path, body, NULL, r, err);
	free(path);
	return rc;
}

/* "/api/v1/events/EVENT/KIND/CODE" */
static char *sheet_path(const char *event, const char *kind, const char *code)
{
	char *mid = xasprintf("/%s/", kind);
	char *head = cli_path("/api/v1/events/", event, mid);
	char *path = cli_path(head, code, NULL);
	free(mid);
	free(head);
	return path;
}

/* ---- events ---- */

static enum ct_status cmd_event_set_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	static const char *const opts[] = { "name", "award-ratios", "min-award-score", "tiebreak", NULL };
	static const char *const nones[] = { "min-award-score", "tiebreak", NULL };
	struct reply r = { 0 };
	json_t *body = json_object();
	const char *pct = cmd_opt(a, "discrepancy-pct");
	long long p;
	enum ct_status rc = CT_OK;
	if (pct && !parse_count(pct, 100, &p)) {
		rc = cli_usage(cli, err, "--discrepancy-pct: \"%s\" is not a whole per cent from 0 to 100", pct);
		goto out;
	}
	if (pct)
		json_object_set_new(body, "discrepancy_pct", json_integer(p));
	rc = body_of(cli, a, opts, nones,
		     "--name, --award-ratios, --min-award-score, --tiebreak or --discrepancy-pct", body, err);
	if (rc != CT_OK)
		goto out;
	if ((rc = cli_event_call(cli, a, "PATCH", NULL, body, NULL, &r, err)) != CT_OK)
		goto out;
	printf("changed event %s", a->argv[0]);
	print_changed(r.json);
	print_warnings(r.json);
out:
	json_decref(body);
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_event_set_entry = {
	.name = "event set",
	.args = "EVENT",
	.summary = "correct an event's name or settings (before its draw)",
	.help = "Only while the event is in setup (before its draw). The score sheet is\n"
		"checked again: a change the draw could never accept (a tie-break that is\n"
		"not valid) is refused; what the draw would still refuse is printed as a\n"
		"warning, as `event show` prints it. --min-award-score none and --tiebreak\n"
		"none (or \"\") clear them. Audited, old value and new.",
	.min_args = 1,
	.max_args = 1,
	.options = {
		{ "name", "NAME", "the event's name" },
		{ "award-ratios", "R1/R2/R3", "per cents of first, second and third prize, e.g. 10/20/30" },
		{ "min-award-score", "MARK|none", "the lowest total that gets an award" },
		{ "tiebreak", "KEYS|none", "tie-break keys, e.g. module:B;criterion:A2;time" },
		{ "discrepancy-pct", "PCT", "discrepancy limit, per cent of a criterion's max" },
	},
	.run = cmd_event_set_run,
};

static enum ct_status cmd_event_delete_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	struct reply r;
	enum ct_status rc = cli_event_call(cli, a, "DELETE", NULL, NULL, NULL, &r, err);
	if (rc == CT_OK) {
		char b[4][32];
		printf("deleted event %s: %s modules, %s criteria, %s contestants, %s judge assignments\n", a->argv[0],
		       json_text(r.json, "modules", "?", b[0]), json_text(r.json, "criteria", "?", b[1]),
		       json_text(r.json, "contestants", "?", b[2]), json_text(r.json, "assignments", "?", b[3]));
	}
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_event_delete_entry = {
	.name = "event delete",
	.args = "EVENT",
	.summary = "delete an event and all it holds (before its draw)",
	.help = "Only while the event is in setup (before its draw). Its score sheet, its\n"
		"contestants and its judges' assignments go with it; the judges stay\n"
		"registered. Audited. To register it again: judge-cli import events, then\n"
		"criteria, contestants and judges.",
	.min_args = 1,
	.max_args = 1,
	.run = cmd_event_delete_run,
};

/* ---- modules and criteria ---- */

static enum ct_status cmd_module_set_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	static const char *const opts[] = { "name", NULL };
	struct reply r = { 0 };
	json_t *body = json_object();
	const char *weight = cmd_opt(a, "weight");
	long long w;
	enum ct_status rc = CT_OK;
	if (weight && (!*weight || strcmp(weight, "none") == 0)) {
		json_object_set_new(body, "weight", json_null());
	} else if (weight && parse_count(weight, 100, &w)) {
		json_object_set_new(body, "weight", json_integer(w));
	} else if (weight) {
		rc = cli_usage(cli, err, "--weight: \"%s\" is not a whole per cent from 0 to 100 or none", weight);
		goto out;
	}
	if ((rc = body_of(cli, a, opts, NULL, "--name or --weight", body, err)) != CT_OK)
		goto out;
	if ((rc = call(cli, "PATCH", sheet_path(a->argv[0], "modules", a->argv[1]), body, &r, err)) != CT_OK)
		goto out;
	printf("changed module %s of event %s", a->argv[1], a->argv[0]);
	print_changed(r.json);
	print_warnings(r.json);
out:
	json_decref(body);
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_module_set_entry = {
	.name = "module set",
	.args = "EVENT MODULE",
	.summary = "correct a module's name or weight (before the draw)",
	.help = "The score sheet is checked again as a whole: a change the draw could\n"
		"never accept (a weight among modules without, weights over 100) is\n"
		"refused; weights that do not add up to 100 yet are printed as a warning.\n"
		"To change every weight at once, or to drop the weights, replace the sheet:\n"
		"judge-cli import criteria --replace FILE. Audited.",
	.min_args = 2,
	.max_args = 2,
	.options = {
		{ "name", "NAME", "the module's name" },
		{ "weight", "PCT|none", "per cent of the total; none for an unweighted sheet" },
	},
	.run = cmd_module_set_run,
};

static enum ct_status cmd_module_delete_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	struct reply r;
	enum ct_status rc = call(cli, "DELETE", sheet_path(a->argv[0], "modules", a->argv[1]), NULL, &r, err);
	if (rc == CT_OK) {
		char b[32];
		printf("deleted module %s of event %s with its %s criteria\n", a->argv[1], a->argv[0],
		       json_text(r.json, "criteria", "?", b));
		print_warnings(r.json);
	}
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_module_delete_entry = {
	.name = "module delete",
	.args = "EVENT MODULE",
	.summary = "delete a module and its criteria (before the draw)",
	.help = "The score sheet is checked again: what the draw would still refuse (a\n"
		"tie-break naming the module, weights short of 100) is printed as a\n"
		"warning. Audited.",
	.min_args = 2,
	.max_args = 2,
	.run = cmd_module_delete_run,
};

static enum ct_status cmd_criterion_set_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	static const char *const opts[] = { "description", "max", "method", NULL };
	struct reply r = { 0 };
	json_t *body = json_object();
	enum ct_status rc = body_of(cli, a, opts, NULL, "--description, --max or --method", body, err);
	if (rc != CT_OK)
		goto out;
	if ((rc = call(cli, "PATCH", sheet_path(a->argv[0], "criteria", a->argv[1]), body, &r, err)) != CT_OK)
		goto out;
	printf("changed criterion %s of event %s", a->argv[1], a->argv[0]);
	print_changed(r.json);
	print_warnings(r.json);
out:
	json_decref(body);
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_criterion_set_entry = {
	.name = "criterion set",
	.args = "EVENT CRITERION",
	.summary = "correct a criterion's description, max or method (before the draw)",
	.help = "The score sheet is checked again as a whole: a change that leaves a\n"
		"module without a criterion that gives marks (a deduction) is refused.\n"
		"A module's name and weight: judge-cli module set. A code cannot change:\n"
		"delete the criterion and import it again. Audited, old value and new.",
	.min_args = 2,
	.max_args = 2,
	.options = {
		{ "description", "TEXT", "what the criterion assesses" },
		{ "max", "MARK", "max mark, above 0, up to 2 places" },
		{ "method", "METHOD", "measurement, deduction, mean, trimmed, median or judgement" },
	},
	.run = cmd_criterion_set_run,
};

static enum ct_status cmd_criterion_delete_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	struct reply r;
	enum ct_status rc = call(cli, "DELETE", sheet_path(a->argv[0], "criteria", a->argv[1]), NULL, &r, err);
	if (rc == CT_OK) {
		printf("deleted criterion %s of event %s%s\n", a->argv[1], a->argv[0],
		       json_is_true(json_object_get(r.json, "module_deleted"))
		       ? ", and its module, which had no other criterion" : "");
		print_warnings(r.json);
	}
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_criterion_delete_entry = {
	.name = "criterion delete",
	.args = "EVENT CRITERION",
	.summary = "delete a criterion (before the draw)",
	.help = "The last criterion of a module takes the module with it. Refused when it\n"
		"would leave a module of deductions only. Audited.",
	.min_args = 2,
	.max_args = 2,
	.run = cmd_criterion_delete_run,
};

/* ---- contestants and judges ---- */

static enum ct_status cmd_contestant_delete_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	struct reply r;
	enum ct_status rc = call(cli, "DELETE", cli_path("/api/v1/contestants/", a->argv[0], NULL), NULL, &r, err);
	if (rc == CT_OK) {
		char b[32];
		printf("deleted contestant %s of event %s\n", a->argv[0], json_text(r.json, "event", "?", b));
	}
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_contestant_delete_entry = {
	.name = "contestant delete",
	.args = "REG_ID",
	.summary = "delete a contestant (before the draw)",
	.help = "Only before the draw; after it a contestant who does not compete gets a\n"
		"status: judge-cli contestant set REG_ID --status withdrawn --reason R.\n"
		"Audited.",
	.min_args = 1,
	.max_args = 1,
	.run = cmd_contestant_delete_run,
};

static enum ct_status cmd_judge_set_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	static const char *const opts[] = { "name", "organization", NULL };
	struct reply r = { 0 };
	json_t *body = json_object();
	char *pin = NULL;
	const char *pin_opt = cmd_opt(a, "pin");
	enum ct_status rc = CT_OK;
	if (pin_opt && strcmp(pin_opt, "-") == 0)
		rc = cli_read_secret("new PIN", &pin, err);
	else if (pin_opt)
		pin = xstrdup(pin_opt);
	if (rc != CT_OK)
		goto out;
	if (pin)
		json_object_set_new(body, "pin", json_string(pin));
	if ((rc = body_of(cli, a, opts, NULL, "--name, --organization or --pin", body, err)) != CT_OK)
		goto out;
	if ((rc = call(cli, "PATCH", cli_path("/api/v1/judges/", a->argv[0], NULL), body, &r, err)) != CT_OK)
		goto out;
	printf("changed judge %s", a->argv[0]);
	const char *sep = ": ";
	static const char *const fields[] = { "name", "organization", NULL };
	for (size_t i = 0; fields[i]; i++) {
		if (json_object_get(r.json, fields[i])) {
			printf("%s%s", sep, fields[i]);
			sep = ", ";
		}
	}
	const json_t *revoked = json_object_get(r.json, "logins_revoked");
	if (revoked)
		printf("%sPIN%s", sep, json_is_true(revoked) ? " (the judge's logins were ended)" : " (unchanged)");
	printf("\n");
	cli_print_recusal(json_object_get(r.json, "recusal"));
out:
	json_wipe_member(body, "pin"); /* before freeing */
	json_decref(body);
	xfree_secret(pin);
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_judge_set_entry = {
	.name = "judge set",
	.args = "CODE",
	.summary = "correct a judge's name, organization or PIN (organizer)",
	.help = "A new PIN ends the judge's logins everywhere (--pin - reads it from\n"
		"standard input). An organization change makes the judge recused from the\n"
		"contestants of the new organization and no longer from those of the old\n"
		"one: in an event that is drawn the judge's values on a contestant of the\n"
		"new organization no longer count (results leave out a recused judge's\n"
		"values; they stay in the history) and are listed; once an event is\n"
		"locked such a change needs it unlocked first. --organization \"\" clears\n"
		"it. Audited.",
	.min_args = 1,
	.max_args = 1,
	.options = {
		{ "name", "NAME", "the judge's name" },
		{ "organization", "ORG", "the judge's organization (for recusal)" },
		{ "pin", "PIN", "a new PIN, 6 to 32 digits (- reads it from standard input)" },
	},
	.run = cmd_judge_set_run,
};

static enum ct_status cmd_judge_delete_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	struct reply r;
	enum ct_status rc = call(cli, "DELETE", cli_path("/api/v1/judges/", a->argv[0], NULL), NULL, &r, err);
	if (rc == CT_OK) {
		char b[32];
		printf("deleted judge %s and the judge's %s assignments\n", a->argv[0],
		       json_text(r.json, "assignments", "?", b));
	}
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_judge_delete_entry = {
	.name = "judge delete",
	.args = "CODE",
	.summary = "delete a judge (whose events are all before their draw)",
	.help = "Refused when an event the judge is assigned to is drawn or later (withdraw\n"
		"the judge from it instead: judge-cli judge withdraw) or the judge has\n"
		"entered a value. Ends the judge's logins. Audited.",
	.min_args = 1,
	.max_args = 1,
	.run = cmd_judge_delete_run,
};

static enum ct_status cmd_judge_unassign_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	struct reply r;
	char *head = cli_path("/api/v1/events/", a->argv[1], "/judges/");
	enum ct_status rc = call(cli, "DELETE", cli_path(head, a->argv[0], NULL), NULL, &r, err);
	free(head);
	if (rc == CT_OK) {
		char b[32];
		printf("removed judge %s (%s) from event %s\n", a->argv[0], json_text(r.json, "role", "?", b),
		       a->argv[1]);
	}
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_judge_unassign_entry = {
	.name = "judge unassign",
	.args = "CODE EVENT",
	.summary = "remove a judge's assignment to an event (before its draw)",
	.help = "Only before the event's draw; after it: judge-cli judge withdraw. To\n"
		"change a judge's role, remove the assignment and import the judge's row\n"
		"with the new role. The judge stays registered; a judge left without an\n"
		"assignment is logged out. Audited.",
	.min_args = 2,
	.max_args = 2,
	.run = cmd_judge_unassign_run,
};
