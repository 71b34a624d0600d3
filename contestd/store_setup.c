/* Registration batches: events, modules and criteria, contestants, judges
 * and assignments, check-in results and single contestant changes. Each
 * batch is one transaction: on the first bad row nothing is stored and the
 * error names the row and field. */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "xmalloc.h"

/* Rows of one event usually come together, so a batch looks an event up and
 * checks its state at the first row of a run of rows naming it (neither can
 * change inside the batch) and bumps its data_version once, at the last row
 * of the run. other is the neighbouring row's event, NULL past either end. */
static bool same_event(const char *other, const char *event)
{
	return other && strcmp(other, event) == 0;
}

/* Turns "not found" for a code inside a batch into a 400 naming the row. */
static enum ct_status row_ref(struct store *st, const char *code, long i, const char *field, int64_t *id,
			      enum event_state *state, struct ct_err *err)
{
	enum ct_status rc = store_event_lookup(st, code, id, state, err);
	if (rc == CT_NOT_FOUND)
		return ct_fail_at(err, CT_INVALID, i, field, "row %ld: unknown event \"%s\"", i + 1, code);
	return rc;
}

/* Whether the event's state allows action, the refusal naming row i (-1:
 * not a batch) and the field "event". */
static enum ct_status need_action(const char *event, enum event_state state, enum wf_action action, long i,
				  struct ct_err *err)
{
	enum ct_status rc = workflow_step(state, action, event, NULL, NULL, err);
	if (rc != CT_OK && err) {
		err->index = i;
		snprintf(err->field, sizeof err->field, "event");
	}
	return rc;
}

static enum ct_status row_conflict(struct store *st, int src, long i, const char *field, const char *what,
				   struct ct_err *err)
{
	if (src == SQLITE_CONSTRAINT_UNIQUE || src == SQLITE_CONSTRAINT_PRIMARYKEY)
		return ct_fail_at(err, CT_CONFLICT, i, field, "row %ld: %s already exists", i + 1, what);
	if ((src & 0xff) == SQLITE_CONSTRAINT)
		return ct_fail_at(err, CT_INVALID, i, field, "row %ld: %s is out of range (%s)", i + 1, what,
				  sqlite3_errmsg(st->db));
	return store_fail(st, src, err);
}

/* A new event's data_version starts past the audit trail's last record:
 * every change that bumps a data_version appends a record in the same
 * transaction, so no event ever had a version that high, and an event
 * deleted and registered again under its code never meets the results
 * cached (or the ETags given) for the deleted one. */
static const char SQL_EVENT_ADD[] =
	"INSERT INTO events (code, name, ratio1_c, ratio2_c, ratio3_c, min_award_c, tiebreak, discrepancy_pct, "
	"data_version) VALUES (:code, :name, :r1, :r2, :r3, :min, :tb, :pct, "
	"(SELECT coalesce(max(seq), 0) + 1 FROM audit))";

enum ct_status store_events_add(struct store *st, const char *actor, const struct event_row *rows,
				size_t n, struct ct_err *err)
{
	enum ct_status rc = store_begin(st, err);
	if (rc != CT_OK)
		return rc;
	for (size_t i = 0; i < n && rc == CT_OK; i++) {
		const struct event_row *r = &rows[i];
		sqlite3_stmt *s = store_stmt(st, SQL_EVENT_ADD, err);
		if (!s)
			return store_finish(st, CT_INTERNAL, err);
		store_bind_text(s, ":code", r->code);
		store_bind_text(s, ":name", r->name);
		store_bind_int(s, ":r1", r->ratio_c[0]);
		store_bind_int(s, ":r2", r->ratio_c[1]);
		store_bind_int(s, ":r3", r->ratio_c[2]);
		if (r->min_award_c >= 0)
			store_bind_int(s, ":min", r->min_award_c);
		store_bind_text(s, ":tb", r->tiebreak ? r->tiebreak : "");
		store_bind_int(s, ":pct", r->discrepancy_pct);
		int src = sqlite3_step(s);
		sqlite3_reset(s);
		if (src != SQLITE_DONE) {
			char what[160];
			snprintf(what, sizeof what, "event %s", r->code);
			rc = row_conflict(st, src, (long)i, "code", what, err);
			break;
		}
		rc = store_audit(st, actor, "event.add", r->code, NULL, r->name, err);
	}
	return store_finish(st, rc, err);
}

static const char SQL_MODULE_GET[] =
	"SELECT id, name, weight FROM modules WHERE event_id = :event AND code = :code";
/* A new module or criterion goes after the last one, also once others
 * were deleted (corrections). */
static const char SQL_MODULE_ADD[] =
	"INSERT INTO modules (event_id, code, name, weight, position) VALUES (:event, :code, :name, :weight, "
	"(SELECT coalesce(max(position) + 1, 0) FROM modules WHERE event_id = :event))";
static const char SQL_CRITERION_ADD[] =
	"INSERT INTO criteria (event_id, module_id, code, description, max_c, method, position) "
	"VALUES (:event, :module, :code, :descr, :max, :method, "
	"(SELECT coalesce(max(position) + 1, 0) FROM criteria WHERE event_id = :event))";

static enum ct_status module_ensure(struct store *st, int64_t event_id, const struct criterion_row *r, long i,
				    int64_t *module_id, struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_MODULE_GET, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_int(s, ":event", event_id);
	store_bind_text(s, ":code", r->module);
	enum ct_status found = store_row(st, s, err);
	if (found == CT_OK) {
		*module_id = sqlite3_column_int64(s, 0);
		const char *name = (const char *)sqlite3_column_text(s, 1);
		bool has_weight = sqlite3_column_type(s, 2) != SQLITE_NULL;
		int64_t weight = sqlite3_column_int64(s, 2);
		enum ct_status rc = CT_OK;
		if (r->module_name && *r->module_name && strcmp(name, r->module_name) != 0)
			rc = ct_fail_at(err, CT_INVALID, i, "module_name",
					"row %ld: module %s is named \"%s\" in an earlier row", i + 1, r->module, name);
		else if (r->module_weight >= 0 && (!has_weight || weight != r->module_weight))
			rc = ct_fail_at(err, CT_INVALID, i, "module_weight",
					"row %ld: module %s has a different weight in an earlier row", i + 1, r->module);
		sqlite3_reset(s);
		return rc;
	}
	if (found != CT_NOT_FOUND)
		return found;
	if (!r->module_name || !*r->module_name)
		return ct_fail_at(err, CT_INVALID, i, "module_name", "row %ld: new module %s needs a module_name",
				  i + 1, r->module);
	s = store_stmt(st, SQL_MODULE_ADD, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_int(s, ":event", event_id);
	store_bind_text(s, ":code", r->module);
	store_bind_text(s, ":name", r->module_name);
	if (r->module_weight >= 0)
		store_bind_int(s, ":weight", r->module_weight);
	enum ct_status rc = store_exec_stmt(st, s, err);
	*module_id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

/* The score sheet of event once the batch's rows are in: sheet_check's
 * errors, not its warnings (the sheet may still be incomplete), located at
 * the last row of the batch naming the module or criterion at fault. */
static enum ct_status sheet_rows_check(struct store *st, const char *event, const struct criterion_row *rows,
				       size_t n, struct ct_err *err)
{
	struct event_data *d = NULL;
	enum ct_status rc = store_event_load(st, event, false, &d, err);
	if (rc != CT_OK)
		return rc;
	struct sheet sheet;
	struct sheet_warnings warn;
	struct ct_err why;
	ct_err_clear(&why);
	event_sheet(d, &sheet);
	rc = sheet_check(&sheet, &warn, &why);
	if (rc == CT_INVALID) {
		bool module = strcmp(why.field, "module_weight") == 0 || strcmp(why.field, "module") == 0;
		const char *code = why.index < 0 ? NULL
				 : module ? d->modules[why.index].code : d->criteria[why.index].code;
		long row = -1;
		for (size_t i = n; code && row < 0 && i-- > 0;)
			if (strcmp(rows[i].event, event) == 0 && strcmp(module ? rows[i].module : rows[i].code, code) == 0)
				row = (long)i;
		if (row >= 0)
			rc = ct_fail_at(err, CT_INVALID, row, why.field, "row %ld: event %s: %s", row + 1, event, why.msg);
		else
			rc = ct_fail(err, CT_INVALID, "event %s: %s", event, why.msg);
	}
	event_data_free(d);
	return rc;
}

/* Whether rows[i] is the first row of the batch naming its event. */
static bool first_of_event(const struct criterion_row *rows, size_t i)
{
	if (i > 0 && same_event(rows[i - 1].event, rows[i].event))
		return false;
	for (size_t j = 0; j + 1 < i; j++)
		if (same_event(rows[j].event, rows[i].event))
			return false;
	return true;
}

static const char SQL_SHEET_CLEAR_CRITERIA[] = "DELETE FROM criteria WHERE event_id = :event";
static const char SQL_SHEET_CLEAR_MODULES[] = "DELETE FROM modules WHERE event_id = :event";

/* The first part of a replacement: for each event the rows name, in the
 * order they first name it, checks that its sheet may change, records its
 * old sheet as text (in olds, new strings) and deletes its modules and
 * criteria. */
static enum ct_status sheets_clear(struct store *st, const struct criterion_row *rows, size_t n,
				   struct sheet_replaced *out, char **olds, size_t *n_out, struct ct_err *err)
{
	enum ct_status rc = CT_OK;
	for (size_t i = 0; i < n && rc == CT_OK; i++) {
		if (!first_of_event(rows, i))
			continue;
		int64_t event_id;
		enum event_state state;
		struct event_data *d = NULL;
		rc = row_ref(st, rows[i].event, (long)i, "event", &event_id, &state, err);
		if (rc == CT_OK)
			rc = need_action(rows[i].event, state, WF_EDIT_SHEET, (long)i, err);
		if (rc == CT_OK)
			rc = store_event_load(st, rows[i].event, false, &d, err);
		if (rc != CT_OK)
			break;
		olds[*n_out] = store_sheet_text(d);
		snprintf(out[(*n_out)++].event, sizeof out->event, "%s", d->code);
		event_data_free(d);
		const char *const sqls[] = {SQL_SHEET_CLEAR_CRITERIA, SQL_SHEET_CLEAR_MODULES};
		for (size_t q = 0; q < 2 && rc == CT_OK; q++) {
			sqlite3_stmt *s = store_stmt(st, sqls[q], err);
			if (!s)
				return CT_INTERNAL;
			store_bind_int(s, ":event", event_id);
			rc = store_exec_stmt(st, s, err);
		}
	}
	return rc;
}

/* The last part of a replacement: each new sheet's size and warnings, and
 * its audit record, old sheet -> new sheet. */
static enum ct_status sheets_replaced(struct store *st, const char *actor, struct sheet_replaced *out,
				      char **olds, size_t n_out, struct ct_err *err)
{
	enum ct_status rc = CT_OK;
	for (size_t e = 0; e < n_out && rc == CT_OK; e++) {
		struct event_data *d = NULL;
		rc = store_event_load(st, out[e].event, false, &d, err);
		if (rc != CT_OK)
			break;
		out[e].modules = d->n_modules;
		out[e].criteria = d->n_criteria;
		char *now = store_sheet_text(d);
		event_data_free(d);
		rc = store_sheet_check(st, out[e].event, &out[e].warn, err);
		if (rc == CT_OK)
			rc = store_audit(st, actor, "sheet.replace", out[e].event, olds[e], now, err);
		free(now);
	}
	return rc;
}

/* Stores criteria rows (store_criteria_add), replacing the events' sheets
 * first when out is not NULL (store_criteria_replace). */
static enum ct_status criteria_store(struct store *st, const char *actor, const struct criterion_row *rows,
				     size_t n, struct sheet_replaced *out, size_t *n_out, struct ct_err *err)
{
	enum ct_status rc = store_begin(st, err);
	if (rc != CT_OK)
		return rc;
	char **olds = out ? xcalloc(n, sizeof *olds) : NULL;
	if (out)
		rc = sheets_clear(st, rows, n, out, olds, n_out, err);
	int64_t event_id = 0;
	enum event_state state;
	for (size_t i = 0; i < n && rc == CT_OK; i++) {
		const struct criterion_row *r = &rows[i];
		int64_t module_id = 0;
		if (!same_event(i > 0 ? rows[i - 1].event : NULL, r->event)) {
			rc = row_ref(st, r->event, (long)i, "event", &event_id, &state, err);
			if (rc == CT_OK)
				rc = need_action(r->event, state, WF_EDIT_SHEET, (long)i, err);
		}
		if (rc == CT_OK)
			rc = module_ensure(st, event_id, r, (long)i, &module_id, err);
		if (rc != CT_OK)
			break;
		sqlite3_stmt *s = store_stmt(st, SQL_CRITERION_ADD, err);
		if (!s) {
			rc = CT_INTERNAL;
			break;
		}
		store_bind_int(s, ":event", event_id);
		store_bind_int(s, ":module", module_id);
		store_bind_text(s, ":code", r->code);
		store_bind_text(s, ":descr", r->description ? r->description : "");
		store_bind_int(s, ":max", r->max_c);
		store_bind_text(s, ":method", method_name(r->method));
		int src = sqlite3_step(s);
		sqlite3_reset(s);
		if (src != SQLITE_DONE) {
			char what[160];
			snprintf(what, sizeof what, "criterion %s of event %s", r->code, r->event);
			rc = row_conflict(st, src, (long)i, "code", what, err);
			break;
		}
		if (!same_event(i + 1 < n ? rows[i + 1].event : NULL, r->event))
			rc = store_bump(st, event_id, err);
		if (rc == CT_OK) {
			char object[160], value[160], max[DEC_TEXT_MAX];
			snprintf(object, sizeof object, "%s/%s/%s", r->event, r->module, r->code);
			snprintf(value, sizeof value, "%s max %s", method_name(r->method), dec_format(r->max_c, max));
			rc = store_audit(st, actor, "criterion.add", object, NULL, value, err);
		}
	}
	/* Each sheet is checked whole, once every row is in: a module's
	 * deduction may come before the criterion that gives it marks. */
	for (size_t i = 0; i < n && rc == CT_OK; i++)
		if (first_of_event(rows, i))
			rc = sheet_rows_check(st, rows[i].event, rows, n, err);
	if (rc == CT_OK && out)
		rc = sheets_replaced(st, actor, out, olds, *n_out, err);
	for (size_t e = 0; out && e < *n_out; e++)
		free(olds[e]);
	free(olds);
	return store_finish(st, rc, err);
}

enum ct_status store_criteria_add(struct store *st, const char *actor, const struct criterion_row *rows,
				  size_t n, struct ct_err *err)
{
	return criteria_store(st, actor, rows, n, NULL, NULL, err);
}

enum ct_status store_criteria_replace(struct store *st, const char *actor, const struct criterion_row *rows,
				      size_t n, struct sheet_replaced **out, size_t *n_out, struct ct_err *err)
{
	*out = xcalloc(n ? n : 1, sizeof **out);
	*n_out = 0;
	enum ct_status rc = criteria_store(st, actor, rows, n, *out, n_out, err);
	if (rc != CT_OK) {
		free(*out);
		*out = NULL;
		*n_out = 0;
	}
	return rc;
}

static const char SQL_CONTESTANT_ADD[] =
	"INSERT INTO contestants (event_id, reg_id, name, organization_id, id_number, members) "
	"VALUES (:event, :reg, :name, nullif(:org, 0), :idn, :members)";

enum ct_status store_contestants_add(struct store *st, const char *actor,
				     const struct contestant_row *rows, size_t n, struct ct_err *err)
{
	enum ct_status rc = store_begin(st, err);
	if (rc != CT_OK)
		return rc;
	int64_t event_id = 0;
	enum event_state state;
	for (size_t i = 0; i < n && rc == CT_OK; i++) {
		const struct contestant_row *r = &rows[i];
		int64_t org_id = 0;
		if (!same_event(i > 0 ? rows[i - 1].event : NULL, r->event)) {
			rc = row_ref(st, r->event, (long)i, "event", &event_id, &state, err);
			if (rc == CT_OK)
				rc = need_action(r->event, state, WF_REGISTER, (long)i, err);
		}
		if (rc == CT_OK)
			rc = store_org_ensure(st, r->organization, &org_id, err);
		if (rc != CT_OK)
			break;
		sqlite3_stmt *s = store_stmt(st, SQL_CONTESTANT_ADD, err);
		if (!s)
			return store_finish(st, CT_INTERNAL, err);
		store_bind_int(s, ":event", event_id);
		store_bind_text(s, ":reg", r->reg_id);
		store_bind_text(s, ":name", r->name);
		store_bind_int(s, ":org", org_id);
		store_bind_text(s, ":idn", r->id_number);
		store_bind_text(s, ":members", r->members);
		int src = sqlite3_step(s);
		sqlite3_reset(s);
		if (src != SQLITE_DONE) {
			char what[160];
			snprintf(what, sizeof what, "registration id %s", r->reg_id);
			rc = row_conflict(st, src, (long)i, "reg_id", what, err);
			break;
		}
		if (!same_event(i + 1 < n ? rows[i + 1].event : NULL, r->event))
			rc = store_bump(st, event_id, err);
		if (rc == CT_OK) {
			char object[160];
			snprintf(object, sizeof object, "%s/%s", r->event, r->reg_id);
			rc = store_audit(st, actor, "contestant.add", object, NULL, r->name, err);
		}
	}
	return store_finish(st, rc, err);
}

static const char SQL_JUDGE_GET[] =
	"SELECT j.id, j.name, coalesce(o.name, '') FROM judges j "
	"LEFT JOIN organizations o ON o.id = j.organization_id WHERE j.code = :code";
static const char SQL_JUDGE_ADD[] =
	"INSERT INTO judges (code, name, organization_id, pin_hash) VALUES (:code, :name, nullif(:org, 0), :pin)";
static const char SQL_JUDGE_PIN[] = "UPDATE judges SET pin_hash = :pin WHERE id = :id";
static const char SQL_ASSIGN_ADD[] =
	"INSERT INTO assignments (judge_id, event_id, role) VALUES (:judge, :event, :role)";

/* A new PIN: the judge logs in again everywhere. */
enum ct_status store_judge_pin_set(struct store *st, const char *actor, int64_t judge_id, const char *code,
				   const char *pin_hash, struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_JUDGE_PIN, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_text(s, ":pin", pin_hash);
	store_bind_int(s, ":id", judge_id);
	enum ct_status rc = store_exec_stmt(st, s, err);
	if (rc == CT_OK)
		rc = store_tokens_revoke_judge(st, judge_id, err);
	if (rc == CT_OK)
		rc = store_audit(st, actor, "judge.pin", code, NULL, NULL, err);
	return rc;
}

static enum ct_status judge_ensure(struct store *st, const char *actor, const struct judge_row *r, long i,
				   int64_t *judge_id, struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_JUDGE_GET, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_text(s, ":code", r->code);
	enum ct_status found = store_row(st, s, err);
	if (found == CT_OK) {
		*judge_id = sqlite3_column_int64(s, 0);
		enum ct_status rc = CT_OK;
		if (strcmp((const char *)sqlite3_column_text(s, 1), r->name) != 0)
			rc = ct_fail_at(err, CT_INVALID, i, "name", "row %ld: judge %s is registered as \"%s\"",
					i + 1, r->code, (const char *)sqlite3_column_text(s, 1));
		else if (strcmp((const char *)sqlite3_column_text(s, 2), r->organization ? r->organization : "") != 0)
			rc = ct_fail_at(err, CT_INVALID, i, "organization",
					"row %ld: judge %s is registered with organization \"%s\"", i + 1, r->code,
					(const char *)sqlite3_column_text(s, 2));
		sqlite3_reset(s);
		if (rc != CT_OK || !r->pin_hash)
			return rc;
		return store_judge_pin_set(st, actor, *judge_id, r->code, r->pin_hash, err);
	}
	if (found != CT_NOT_FOUND)
		return found;
	if (!r->pin_hash)
		return ct_fail_at(err, CT_INVALID, i, "pin", "row %ld: new judge %s needs a PIN", i + 1, r->code);
	int64_t org_id;
	enum ct_status rc = store_org_ensure(st, r->organization, &org_id, err);
	if (rc != CT_OK)
		return rc;
	s = store_stmt(st, SQL_JUDGE_ADD, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_text(s, ":code", r->code);
	store_bind_text(s, ":name", r->name);
	store_bind_int(s, ":org", org_id);
	store_bind_text(s, ":pin", r->pin_hash);
	rc = store_exec_stmt(st, s, err);
	*judge_id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

enum ct_status store_judges_add(struct store *st, const char *actor, const struct judge_row *rows,
				size_t n, struct ct_err *err)
{
	enum ct_status rc = store_begin(st, err);
	if (rc != CT_OK)
		return rc;
	int64_t event_id = 0;
	enum event_state state;
	for (size_t i = 0; i < n && rc == CT_OK; i++) {
		const struct judge_row *r = &rows[i];
		int64_t judge_id = 0;
		if (!same_event(i > 0 ? rows[i - 1].event : NULL, r->event)) {
			rc = row_ref(st, r->event, (long)i, "event", &event_id, &state, err);
			if (rc == CT_OK)
				rc = need_action(r->event, state, WF_ASSIGN_JUDGE, (long)i, err);
		}
		if (rc == CT_OK)
			rc = judge_ensure(st, actor, r, (long)i, &judge_id, err);
		if (rc != CT_OK)
			break;
		sqlite3_stmt *s = store_stmt(st, SQL_ASSIGN_ADD, err);
		if (!s)
			return store_finish(st, CT_INTERNAL, err);
		store_bind_int(s, ":judge", judge_id);
		store_bind_int(s, ":event", event_id);
		store_bind_text(s, ":role", r->role);
		int src = sqlite3_step(s);
		sqlite3_reset(s);
		if (src != SQLITE_DONE) {
			char what[160];
			snprintf(what, sizeof what, "an assignment of judge %s to event %s", r->code, r->event);
			rc = row_conflict(st, src, (long)i, "event", what, err);
			break;
		}
		if (!same_event(i + 1 < n ? rows[i + 1].event : NULL, r->event))
			rc = store_bump(st, event_id, err);
		if (rc == CT_OK) {
			char object[160];
			snprintf(object, sizeof object, "%s/%s", r->event, r->code);
			rc = store_audit(st, actor, "judge.assign", object, NULL, r->role, err);
		}
	}
	return store_finish(st, rc, err);
}

static const char SQL_CONTESTANT_REF[] =
	"SELECT c.id, c.status, c.elapsed_s, c.status_reason, e.id, e.code, e.state "
	"FROM contestants c JOIN events e ON e.id = c.event_id WHERE c.reg_id = :reg";
static const char SQL_CONTESTANT_SET[] =
	"UPDATE contestants SET status = :status, elapsed_s = :elapsed, status_reason = :reason WHERE id = :id";

/* "competed, time 3600 s, reason ..." for the audit: no time and no reason
 * are left out, never written as -1. */
static void describe_entry(char *buf, size_t size, const char *status, int64_t elapsed_s, const char *reason)
{
	int n = snprintf(buf, size, "%s", status);
	if (elapsed_s >= 0 && n >= 0 && (size_t)n < size)
		n += snprintf(buf + n, size - (size_t)n, ", time %lld s", (long long)elapsed_s);
	if (reason && *reason && n >= 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, ", reason %s", reason);
}

/* Applies a status/time/reason change to one contestant, checking that
 * the event's state allows action. *event_id is the contestant's event,
 * whose data_version the caller bumps. */
static enum ct_status contestant_update(struct store *st, const char *actor, const char *reg_id,
					const struct contestant_patch *p, enum wf_action action, long i,
					int64_t *event_id, struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_CONTESTANT_REF, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_text(s, ":reg", reg_id);
	enum ct_status found = store_row(st, s, err);
	if (found != CT_OK) {
		if (found != CT_NOT_FOUND)
			return found;
		if (i < 0)
			return ct_fail(err, CT_NOT_FOUND, "no contestant %s", reg_id);
		return ct_fail_at(err, CT_INVALID, i, "reg_id", "row %ld: unknown registration id \"%s\"", i + 1,
				  reg_id);
	}
	int64_t id = sqlite3_column_int64(s, 0);
	char *old_status = store_col_dup(s, 1);
	bool had_elapsed = sqlite3_column_type(s, 2) != SQLITE_NULL;
	int64_t old_elapsed = sqlite3_column_int64(s, 2);
	char *old_reason = store_col_dup(s, 3);
	*event_id = sqlite3_column_int64(s, 4);
	char *event = store_col_dup(s, 5), *state = store_col_dup(s, 6);
	sqlite3_reset(s);

	enum event_state wf_state;
	enum ct_status rc = event_state_parse(state, &wf_state, err);
	if (rc != CT_OK) {
		rc = ct_fail(err, CT_INTERNAL, "event %s has the unknown state \"%s\" in the database", event, state);
		goto out;
	}
	rc = need_action(event, wf_state, action, i, err);
	if (rc != CT_OK)
		goto out;
	const char *status = p->status ? p->status : old_status;
	int64_t elapsed = p->elapsed_s == -2 ? (had_elapsed ? old_elapsed : -1) : p->elapsed_s;
	const char *reason = p->reason ? p->reason : old_reason;
	s = store_stmt(st, SQL_CONTESTANT_SET, err);
	if (!s) {
		rc = CT_INTERNAL;
		goto out;
	}
	store_bind_text(s, ":status", status);
	if (elapsed >= 0)
		store_bind_int(s, ":elapsed", elapsed);
	store_bind_text(s, ":reason", reason && *reason ? reason : NULL);
	store_bind_int(s, ":id", id);
	rc = store_exec_stmt(st, s, err);
	if (rc == CT_OK) {
		char object[160], before[640], after[640];
		snprintf(object, sizeof object, "%s/%s", event, reg_id);
		describe_entry(before, sizeof before, old_status, had_elapsed ? old_elapsed : -1, old_reason);
		describe_entry(after, sizeof after, status, elapsed, reason);
		rc = store_audit(st, actor, "contestant.status", object, before, after, err);
	}
out:
	free(old_status);
	free(old_reason);
	free(event);
	free(state);
	return rc;
}

enum ct_status store_checkin(struct store *st, const char *actor, const struct checkin_row *rows,
			     size_t n, struct ct_err *err)
{
	enum ct_status rc = store_begin(st, err);
	if (rc != CT_OK)
		return rc;
	int64_t run_event = 0; /* the event of the current run of rows, bumped when the run ends */
	for (size_t i = 0; i < n && rc == CT_OK; i++) {
		struct contestant_patch p = {
			.status = entry_status_name(rows[i].status),
			.elapsed_s = rows[i].elapsed_s >= 0 ? rows[i].elapsed_s : -2,
			.reason = rows[i].reason,
		};
		int64_t event_id = 0;
		rc = contestant_update(st, actor, rows[i].reg_id, &p, WF_CHECKIN, (long)i, &event_id, err);
		if (rc == CT_OK && run_event != 0 && event_id != run_event)
			rc = store_bump(st, run_event, err);
		run_event = event_id;
	}
	if (rc == CT_OK && run_event != 0)
		rc = store_bump(st, run_event, err);
	return store_finish(st, rc, err);
}

enum ct_status store_contestant_patch(struct store *st, const char *actor, const char *reg_id,
				      const struct contestant_patch *p, struct ct_err *err)
{
	return store_contestant_correct(st, actor, reg_id, p, NULL, NULL, NULL, err);
}

enum ct_status store_contestant_correct(struct store *st, const char *actor, const char *reg_id,
					const struct contestant_patch *p, const struct identity_patch *id,
					struct recusal_change **changes, size_t *n_changes, struct ct_err *err)
{
	if (changes) {
		*changes = NULL;
		*n_changes = 0;
	}
	enum ct_status rc = store_begin(st, err);
	if (rc != CT_OK)
		return rc;
	int64_t event_id = 0;
	if (p)
		rc = contestant_update(st, actor, reg_id, p, WF_SET_STATUS, -1, &event_id, err);
	if (rc == CT_OK && p)
		rc = store_bump(st, event_id, err);
	if (rc == CT_OK && id) /* bumps when it changes anything */
		rc = store_contestant_identity(st, actor, reg_id, id, changes, n_changes, &event_id, err);
	if (rc == CT_CONFLICT && err)
		err->index = -1;
	return store_finish(st, rc, err);
}
