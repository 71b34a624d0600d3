/* The chief judge's and organizers' decisions during scoring: accepting a
 * discrepancy (with the value that stands for measurement and deduction)
 * and withdrawing a judge from an event. */
#include "store_int.h"

#include <stdio.h>
#include <string.h>

#include "decimal.h"

static const char SQL_ACCEPT_CONTESTANT[] =
	"SELECT id, anon_code FROM contestants WHERE event_id = :event AND (anon_code = :code OR "
	"(:by_reg AND reg_id = :code))";
static const char SQL_ACCEPT_CRITERION[] =
	"SELECT id, method, max_c FROM criteria WHERE event_id = :event AND code = :code";
static const char SQL_ACCEPT_PUT[] =
	"INSERT INTO acceptances (contestant_id, criterion_id, reason, accepted_by, created_at, value_c) "
	"VALUES (:c, :k, :reason, :by, :at, :value) ON CONFLICT (contestant_id, criterion_id) DO UPDATE SET "
	"reason = excluded.reason, accepted_by = excluded.accepted_by, created_at = excluded.created_at, "
	"value_c = excluded.value_c";

/* The value part of an acceptance: a measurement or deduction criterion
 * needs the value that stands, within its max; the others take none. */
static enum ct_status accept_value(const char *criterion, enum method m, int64_t max_c, int64_t value_c,
				   struct ct_err *err)
{
	char v[DEC_TEXT_MAX], mx[DEC_TEXT_MAX];
	bool agreed = m == METHOD_MEASUREMENT || m == METHOD_DEDUCTION;
	if (agreed && value_c < 0)
		return ct_fail_at(err, CT_INVALID, -1, "value",
				  "criterion %s is a %s: name the value that stands (judge-cli accept ... --value V)",
				  criterion, method_name(m));
	if (!agreed && value_c >= 0)
		return ct_fail_at(err, CT_INVALID, -1, "value",
				  "criterion %s is scored by %s: its mark comes from the judges' values, so an "
				  "acceptance names no value", criterion, method_name(m));
	if (agreed && value_c > max_c)
		return ct_fail_at(err, CT_INVALID, -1, "value", "value %s is over the max %s of criterion %s",
				  dec_format(value_c, v), dec_format(max_c, mx), criterion);
	return CT_OK;
}

/* The contestant an acceptance names: anonymous code (or, by_reg, reg_id). */
static enum ct_status accept_contestant(struct store *st, int64_t event_id, const char *event, const char *code,
					bool by_reg, int64_t *id, char anon[16], struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_ACCEPT_CONTESTANT, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_int(s, ":event", event_id);
	store_bind_text(s, ":code", code);
	store_bind_int(s, ":by_reg", by_reg);
	enum ct_status rc = store_row(st, s, err);
	if (rc == CT_NOT_FOUND)
		return ct_fail_at(err, CT_NOT_FOUND, -1, "contestant", "no contestant %s in event %s", code, event);
	if (rc != CT_OK)
		return rc;
	*id = sqlite3_column_int64(s, 0);
	store_col_copy(s, 1, anon, 16);
	sqlite3_reset(s);
	return CT_OK;
}

/* The criterion an acceptance names, and whether value_c suits it. */
static enum ct_status accept_criterion(struct store *st, int64_t event_id, const char *event, const char *code,
				       int64_t value_c, int64_t *id, struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_ACCEPT_CRITERION, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_int(s, ":event", event_id);
	store_bind_text(s, ":code", code);
	enum ct_status rc = store_row(st, s, err);
	if (rc == CT_NOT_FOUND)
		return ct_fail_at(err, CT_NOT_FOUND, -1, "criterion", "no criterion %s in event %s", code, event);
	if (rc != CT_OK)
		return rc;
	enum method m = METHOD_MEAN;
	*id = sqlite3_column_int64(s, 0);
	rc = method_parse((const char *)sqlite3_column_text(s, 1), &m, err);
	int64_t max_c = sqlite3_column_int64(s, 2);
	sqlite3_reset(s);
	return rc == CT_OK ? accept_value(code, m, max_c, value_c, err) : CT_INTERNAL;
}

enum ct_status store_accept(struct store *st, const char *actor, const char *role, const char *event,
			    const char *contestant, const char *criterion, int64_t value_c, const char *reason,
			    struct ct_err *err)
{
	int64_t event_id, c = 0, k = 0;
	enum event_state state;
	char anon[16] = "";
	if (!reason || !*reason)
		return ct_fail_at(err, CT_INVALID, -1, "reason", "give the reason for accepting the discrepancy");
	enum ct_status rc = store_begin(st, err);
	if (rc != CT_OK)
		return rc;
	rc = store_event_lookup(st, event, &event_id, &state, err);
	if (rc == CT_OK)
		rc = workflow_step(state, WF_ACCEPT, event, NULL, NULL, err);
	if (rc == CT_OK)
		rc = accept_contestant(st, event_id, event, contestant, role && strcmp(role, "organizer") == 0, &c,
				       anon, err);
	if (rc == CT_OK)
		rc = accept_criterion(st, event_id, event, criterion, value_c, &k, err);
	if (rc != CT_OK)
		return store_finish(st, rc, err);

	char at[32];
	store_now(at);
	sqlite3_stmt *s = store_stmt(st, SQL_ACCEPT_PUT, err);
	if (!s)
		return store_finish(st, CT_INTERNAL, err);
	store_bind_int(s, ":c", c);
	store_bind_int(s, ":k", k);
	store_bind_text(s, ":reason", reason);
	store_bind_text(s, ":by", actor);
	store_bind_text(s, ":at", at);
	if (value_c >= 0)
		store_bind_int(s, ":value", value_c);
	else
		store_bind_null(s, ":value");
	rc = store_exec_stmt(st, s, err);
	if (rc == CT_OK)
		rc = store_bump(st, event_id, err);
	if (rc == CT_OK) {
		char object[160], value[DEC_TEXT_MAX];
		snprintf(object, sizeof object, "%s/%s/%s", event, anon, criterion);
		rc = store_audit_why(st, actor, role, "accept", object, NULL,
				     value_c >= 0 ? dec_format(value_c, value) : "accepted", reason, err);
	}
	return store_finish(st, rc, err);
}

static const char SQL_WITHDRAW_REF[] =
	"SELECT j.id, a.role, a.withdrawn_at FROM assignments a JOIN judges j ON j.id = a.judge_id "
	"WHERE a.event_id = :event AND j.code = :code";
static const char SQL_WITHDRAW_SET[] =
	"UPDATE assignments SET withdrawn_at = :at, withdrawn_by = :by, withdraw_reason = :reason "
	"WHERE judge_id = :judge AND event_id = :event";
static const char SQL_ACTIVE_ASSIGNMENTS[] =
	"SELECT count(*) FROM assignments WHERE judge_id = :judge AND withdrawn_at IS NULL";

/* Revokes the judge's tokens when no active assignment is left: a judge
 * still assigned elsewhere keeps working there. */
enum ct_status store_revoke_if_idle(struct store *st, int64_t judge_id, struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_ACTIVE_ASSIGNMENTS, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_int(s, ":judge", judge_id);
	enum ct_status rc = store_row(st, s, err);
	if (rc != CT_OK)
		return rc == CT_NOT_FOUND ? CT_INTERNAL : rc;
	int64_t active = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return active == 0 ? store_tokens_revoke_judge(st, judge_id, err) : CT_OK;
}

enum ct_status store_assignment_open(struct store *st, const char *event, const char *judge, enum wf_action action,
				     int64_t *event_id, int64_t *judge_id, char role[16], char withdrawn[32],
				     struct ct_err *err)
{
	enum event_state state;
	enum ct_status rc = store_event_lookup(st, event, event_id, &state, err);
	if (rc == CT_OK)
		rc = workflow_step(state, action, event, NULL, NULL, err);
	if (rc != CT_OK)
		return rc;
	sqlite3_stmt *s = store_stmt(st, SQL_WITHDRAW_REF, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_int(s, ":event", *event_id);
	store_bind_text(s, ":code", judge);
	rc = store_row(st, s, err);
	if (rc == CT_NOT_FOUND)
		return ct_fail(err, CT_NOT_FOUND, "judge %s is not assigned to event %s", judge, event);
	if (rc != CT_OK)
		return rc;
	*judge_id = sqlite3_column_int64(s, 0);
	store_col_copy(s, 1, role, 16);
	store_col_copy(s, 2, withdrawn, 32);
	sqlite3_reset(s);
	return CT_OK;
}

enum ct_status store_judge_withdraw(struct store *st, const char *actor, const char *event, const char *judge,
				    const char *reason, struct ct_err *err)
{
	int64_t event_id, judge_id = 0;
	char role[16] = "", withdrawn[32] = "";
	if (!reason || !*reason)
		return ct_fail_at(err, CT_INVALID, -1, "reason", "give the reason for withdrawing judge %s", judge);
	enum ct_status rc = store_begin(st, err);
	if (rc != CT_OK)
		return rc;
	rc = store_assignment_open(st, event, judge, WF_WITHDRAW_JUDGE, &event_id, &judge_id, role, withdrawn, err);
	if (rc == CT_OK && *withdrawn)
		rc = ct_fail(err, CT_CONFLICT, "judge %s was withdrawn from event %s already, at %s", judge, event,
			     withdrawn);
	if (rc != CT_OK)
		return store_finish(st, rc, err);

	char at[32];
	store_now(at);
	sqlite3_stmt *s = store_stmt(st, SQL_WITHDRAW_SET, err);
	if (!s)
		return store_finish(st, CT_INTERNAL, err);
	store_bind_text(s, ":at", at);
	store_bind_text(s, ":by", actor);
	store_bind_text(s, ":reason", reason);
	store_bind_int(s, ":judge", judge_id);
	store_bind_int(s, ":event", event_id);
	rc = store_exec_stmt(st, s, err);
	if (rc == CT_OK)
		rc = store_bump(st, event_id, err);
	if (rc == CT_OK)
		rc = store_revoke_if_idle(st, judge_id, err);
	if (rc == CT_OK) {
		char object[160];
		snprintf(object, sizeof object, "%s/%s", event, judge);
		rc = store_audit_why(st, actor, NULL, "judge.withdraw", object, role, "withdrawn", reason, err);
	}
	return store_finish(st, rc, err);
}
