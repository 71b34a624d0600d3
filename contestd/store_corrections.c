/* Corrections of what was registered: an event's settings, its modules and
 * criteria, a contestant's identity, judges and their assignments, and
 * deletions while an event is in setup. Each change is allowed or refused
 * by the workflow in the event's state, re-checks a score sheet it changes
 * with sheet_check, is audited old -> new in its transaction and bumps the
 * data_version of the events whose results or views it changes. */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "idnumber.h"
#include "xmalloc.h"

enum ct_status store_sheet_check(struct store *st, const char *event, struct sheet_warnings *warn,
				 struct ct_err *err)
{
	struct event_data *d = NULL;
	enum ct_status rc = store_event_load(st, event, false, &d, err);
	if (rc != CT_OK)
		return rc;
	struct sheet sheet;
	struct sheet_warnings scratch;
	struct ct_err why;
	ct_err_clear(&why);
	event_sheet(d, &sheet);
	rc = sheet_check(&sheet, warn ? warn : &scratch, &why);
	if (rc == CT_INVALID)
		rc = ct_fail(err, CT_INVALID, "event %s: %s", event, why.msg);
	else if (rc != CT_OK)
		rc = ct_fail(err, rc, "%s", why.msg);
	event_data_free(d);
	return rc;
}

/* "10", "12.5": a per cent in hundredths as the CSV writes it. */
static const char *percent_text(int64_t c, char buf[DEC_TEXT_MAX])
{
	if (c % 100 == 0)
		snprintf(buf, DEC_TEXT_MAX, "%lld", (long long)(c / 100));
	else
		dec_format(c, buf);
	return buf;
}

char *store_sheet_text(const struct event_data *d)
{
	if (d->n_modules == 0)
		return NULL;
	char *out = xstrdup("");
	for (uint32_t m = 0; m < d->n_modules; m++) {
		const struct ev_module *mod = &d->modules[m];
		char w[32] = "";
		if (mod->weight >= 0)
			snprintf(w, sizeof w, " %d%%", mod->weight);
		char *next = xasprintf("%s%s%s %s%s:", out, m ? "; " : "", mod->code, mod->name, w);
		free(out);
		out = next;
		bool first = true;
		for (uint32_t k = 0; k < d->n_criteria; k++) {
			const struct ev_criterion *c = &d->criteria[k];
			if (c->module != m)
				continue;
			char max[DEC_TEXT_MAX];
			next = xasprintf("%s%s %s %s %s", out, first ? "" : ",", c->code, method_name(c->method),
					 dec_format(c->max_c, max));
			free(out);
			out = next;
			first = false;
		}
	}
	return out;
}

/* Audits one field of object as "FIELD OLD" -> "FIELD NEW" ("none" for
 * NULL or ""), counting it in *n; an unchanged field is not audited. A
 * correction that changes nothing bumps no data_version either: every bump
 * comes with an audit record (see SQL_EVENT_ADD in store_setup.c). */
static enum ct_status audit_field(struct store *st, const char *actor, const char *action, const char *object,
				  const char *field, const char *old, const char *now, unsigned *n, struct ct_err *err)
{
	if (strcmp(old ? old : "", now ? now : "") == 0)
		return CT_OK;
	(*n)++;
	char *a = xasprintf("%s %s", field, old && *old ? old : "none");
	char *b = xasprintf("%s %s", field, now && *now ? now : "none");
	enum ct_status rc = store_audit(st, actor, action, object, a, b, err);
	free(a);
	free(b);
	return rc;
}

/* Runs sql, binding :id to id (and :event to event_id when it has one). */
static enum ct_status exec_id(struct store *st, const char *sql, int64_t id, struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, sql, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_int(s, ":id", id);
	return store_exec_stmt(st, s, err);
}

/* Looks event up and checks that action may happen to it now. */
static enum ct_status event_open(struct store *st, const char *event, enum wf_action action, int64_t *event_id,
				 struct ct_err *err)
{
	enum event_state state;
	enum ct_status rc = store_event_lookup(st, event, event_id, &state, err);
	if (rc == CT_OK)
		rc = workflow_step(state, action, event, NULL, NULL, err);
	return rc;
}

/* The end of every sheet change: the sheet checked whole, the event's
 * data_version bumped when anything changed. */
static enum ct_status sheet_changed(struct store *st, const char *event, int64_t event_id, bool changed,
				    struct sheet_warnings *warn, struct ct_err *err)
{
	enum ct_status rc = store_sheet_check(st, event, warn, err);
	return rc == CT_OK && changed ? store_bump(st, event_id, err) : rc;
}

/* ---- events ---- */

static const char SQL_EVENT_SET[] =
	"UPDATE events SET name = :name, ratio1_c = :r1, ratio2_c = :r2, ratio3_c = :r3, min_award_c = :min, "
	"tiebreak = :tb, discrepancy_pct = :pct WHERE id = :id";

/* "10/20/30" */
static void ratios_text(const int32_t r[3], char *buf, size_t len)
{
	char a[DEC_TEXT_MAX], b[DEC_TEXT_MAX], c[DEC_TEXT_MAX];
	snprintf(buf, len, "%s/%s/%s", percent_text(r[0], a), percent_text(r[1], b), percent_text(r[2], c));
}

static const char *mark_text(int64_t c, char buf[DEC_TEXT_MAX])
{
	return c >= 0 ? dec_format(c, buf) : NULL;
}

/* Audits every changed setting of event d against its new values. */
static enum ct_status audit_settings(struct store *st, const char *actor, const struct event_data *d,
				     const char *name, const int32_t ratio_c[3], int64_t min_c, const char *tiebreak,
				     int32_t pct, unsigned *n, struct ct_err *err)
{
	char r0[3 * DEC_TEXT_MAX + 3], r1[3 * DEC_TEXT_MAX + 3], m0[DEC_TEXT_MAX], m1[DEC_TEXT_MAX], p0[16], p1[16];
	ratios_text(d->ratio_c, r0, sizeof r0);
	ratios_text(ratio_c, r1, sizeof r1);
	snprintf(p0, sizeof p0, "%d", d->discrepancy_pct);
	snprintf(p1, sizeof p1, "%d", pct);
	const char *fields[][3] = {
		{"name", d->name, name},
		{"award_ratios", r0, r1},
		{"min_award_score", mark_text(d->min_award_c, m0), mark_text(min_c, m1)},
		{"tiebreak", d->tiebreak, tiebreak},
		{"discrepancy_pct", p0, p1},
	};
	enum ct_status rc = CT_OK;
	for (size_t i = 0; i < sizeof fields / sizeof fields[0] && rc == CT_OK; i++)
		rc = audit_field(st, actor, "event.set", d->code, fields[i][0], fields[i][1], fields[i][2], n, err);
	return rc;
}

enum ct_status store_event_set(struct store *st, const char *actor, const char *event,
			       const struct event_patch *p, struct sheet_warnings *warn, struct ct_err *err)
{
	struct event_data *d = NULL;
	enum ct_status rc = store_begin(st, err);
	if (rc != CT_OK)
		return rc;
	rc = store_event_load(st, event, false, &d, err);
	if (rc == CT_OK)
		rc = workflow_step(d->wf_state, WF_EDIT_SHEET, event, NULL, NULL, err);
	if (rc != CT_OK)
		goto out;
	const char *name = p->name ? p->name : d->name;
	const int32_t *ratio_c = p->ratios ? p->ratio_c : d->ratio_c;
	int64_t min_c = p->min_award_c != -2 ? p->min_award_c : d->min_award_c;
	const char *tiebreak = p->tiebreak ? p->tiebreak : d->tiebreak;
	int32_t pct = p->discrepancy_pct != -2 ? p->discrepancy_pct : d->discrepancy_pct;
	sqlite3_stmt *s = store_stmt(st, SQL_EVENT_SET, err);
	if (!s) {
		rc = CT_INTERNAL;
		goto out;
	}
	store_bind_text(s, ":name", name);
	store_bind_int(s, ":r1", ratio_c[0]);
	store_bind_int(s, ":r2", ratio_c[1]);
	store_bind_int(s, ":r3", ratio_c[2]);
	if (min_c >= 0)
		store_bind_int(s, ":min", min_c);
	store_bind_text(s, ":tb", tiebreak);
	store_bind_int(s, ":pct", pct);
	store_bind_int(s, ":id", d->id);
	rc = store_exec_stmt(st, s, err);
	unsigned changed = 0;
	if (rc == CT_OK)
		rc = audit_settings(st, actor, d, name, ratio_c, min_c, tiebreak, pct, &changed, err);
	if (rc == CT_OK)
		rc = sheet_changed(st, event, d->id, changed > 0, warn, err);
out:
	event_data_free(d);
	return store_finish(st, rc, err);
}

/* In this order, for the foreign keys. */
static const char SQL_EVENT_DEL_CRITERIA[] = "DELETE FROM criteria WHERE event_id = :id";
static const char SQL_EVENT_DEL_MODULES[] = "DELETE FROM modules WHERE event_id = :id";
static const char SQL_EVENT_DEL_ASSIGNMENTS[] = "DELETE FROM assignments WHERE event_id = :id";
static const char SQL_EVENT_DEL_CONTESTANTS[] = "DELETE FROM contestants WHERE event_id = :id";
static const char SQL_EVENT_DEL[] = "DELETE FROM events WHERE id = :id";

enum ct_status store_event_delete(struct store *st, const char *actor, const char *event,
				  struct event_counts *out, struct ct_err *err)
{
	static const char *const sqls[] = {SQL_EVENT_DEL_CRITERIA, SQL_EVENT_DEL_MODULES, SQL_EVENT_DEL_ASSIGNMENTS,
					   SQL_EVENT_DEL_CONTESTANTS, SQL_EVENT_DEL};
	struct event_data *d = NULL;
	enum ct_status rc = store_begin(st, err);
	if (rc != CT_OK)
		return rc;
	rc = store_event_load(st, event, false, &d, err);
	if (rc == CT_OK)
		rc = workflow_step(d->wf_state, WF_DELETE_EVENT, event, NULL, NULL, err);
	for (size_t i = 0; i < sizeof sqls / sizeof sqls[0] && rc == CT_OK; i++)
		rc = exec_id(st, sqls[i], d->id, err);
	if (rc == CT_OK) {
		*out = (struct event_counts){d->n_modules, d->n_criteria, d->n_contestants, d->n_judges};
		char *old = xasprintf("%s: %u modules, %u criteria, %u contestants, %u judge assignments", d->name,
				      d->n_modules, d->n_criteria, d->n_contestants, d->n_judges);
		rc = store_audit(st, actor, workflow_action_name(WF_DELETE_EVENT), d->code, old, NULL, err);
		free(old);
	}
	event_data_free(d);
	return store_finish(st, rc, err);
}

/* ---- modules and criteria ---- */

static const char SQL_MODULE_REF[] =
	"SELECT id, name, coalesce(weight, -1), (SELECT count(*) FROM criteria WHERE module_id = modules.id) "
	"FROM modules WHERE event_id = :event AND code = :code";
static const char SQL_MODULE_SET[] = "UPDATE modules SET name = :name, weight = :weight WHERE id = :id";
static const char SQL_MODULE_DEL_CRITERIA[] = "DELETE FROM criteria WHERE module_id = :id";
static const char SQL_MODULE_DEL[] = "DELETE FROM modules WHERE id = :id";

struct module_ref {
	int64_t id;
	char name[256];
	int32_t weight;           /* -1 none */
	uint32_t criteria;
};

/* The row of sql naming the kind ("module") code (bound as :code) of
 * event (its id bound as :event; NULL for a contestant or a judge, who
 * are named in the whole contest): CT_OK with *out ready to read (the
 * caller resets it), CT_NOT_FOUND saying there is no such thing. */
static enum ct_status code_row(struct store *st, const char *sql, int64_t event_id, const char *event,
			       const char *kind, const char *code, sqlite3_stmt **out, struct ct_err *err)
{
	sqlite3_stmt *s = *out = store_stmt(st, sql, err);
	if (!s)
		return CT_INTERNAL;
	if (event)
		store_bind_int(s, ":event", event_id);
	store_bind_text(s, ":code", code);
	enum ct_status rc = store_row(st, s, err);
	if (rc == CT_NOT_FOUND)
		return ct_fail(err, CT_NOT_FOUND, "no %s %s%s%s", kind, code, event ? " in event " : "",
			       event ? event : "");
	return rc;
}

static enum ct_status module_ref(struct store *st, int64_t event_id, const char *event, const char *module,
				 struct module_ref *m, struct ct_err *err)
{
	sqlite3_stmt *s;
	enum ct_status rc = code_row(st, SQL_MODULE_REF, event_id, event, "module", module, &s, err);
	if (rc != CT_OK)
		return rc;
	m->id = sqlite3_column_int64(s, 0);
	store_col_copy(s, 1, m->name, sizeof m->name);
	m->weight = (int32_t)sqlite3_column_int64(s, 2);
	m->criteria = (uint32_t)sqlite3_column_int64(s, 3);
	sqlite3_reset(s);
	return CT_OK;
}

static const char *weight_text(int32_t w, char buf[16])
{
	if (w < 0)
		return NULL;
	snprintf(buf, 16, "%d", w);
	return buf;
}


enum ct_status store_module_set(struct store *st, const char *actor, const char *event, const char *module,
				const struct module_patch *p, struct sheet_warnings *warn, struct ct_err *err)
{
	int64_t event_id;
	struct module_ref m;
	enum ct_status rc = store_begin(st, err);
	if (rc != CT_OK)
		return rc;
	rc = event_open(st, event, WF_EDIT_SHEET, &event_id, err);
	if (rc == CT_OK)
		rc = module_ref(st, event_id, event, module, &m, err);
	if (rc != CT_OK)
		return store_finish(st, rc, err);
	const char *name = p->name ? p->name : m.name;
	int32_t weight = p->weight != -2 ? p->weight : m.weight;
	sqlite3_stmt *s = store_stmt(st, SQL_MODULE_SET, err);
	if (!s)
		return store_finish(st, CT_INTERNAL, err);
	store_bind_text(s, ":name", name);
	if (weight >= 0)
		store_bind_int(s, ":weight", weight);
	store_bind_int(s, ":id", m.id);
	rc = store_exec_stmt(st, s, err);
	char object[80], w0[16], w1[16];
	snprintf(object, sizeof object, "%s/%s", event, module);
	unsigned changed = 0;
	if (rc == CT_OK)
		rc = audit_field(st, actor, "module.set", object, "name", m.name, name, &changed, err);
	if (rc == CT_OK)
		rc = audit_field(st, actor, "module.set", object, "weight", weight_text(m.weight, w0),
				 weight_text(weight, w1), &changed, err);
	if (rc == CT_OK)
		rc = sheet_changed(st, event, event_id, changed > 0, warn, err);
	return store_finish(st, rc, err);
}

/* Deletes module m of event with its criteria, audited. */
static enum ct_status module_drop(struct store *st, const char *actor, const char *event, const char *module,
				  const struct module_ref *m, struct ct_err *err)
{
	enum ct_status rc = exec_id(st, SQL_MODULE_DEL_CRITERIA, m->id, err);
	if (rc == CT_OK)
		rc = exec_id(st, SQL_MODULE_DEL, m->id, err);
	if (rc != CT_OK)
		return rc;
	char object[80], w[16];
	snprintf(object, sizeof object, "%s/%s", event, module);
	const char *weight = weight_text(m->weight, w);
	char *old = xasprintf("%s, weight %s, %u criteri%s", m->name, weight ? weight : "none", m->criteria,
			      m->criteria == 1 ? "on" : "a");
	rc = store_audit(st, actor, "module.delete", object, old, NULL, err);
	free(old);
	return rc;
}

enum ct_status store_module_delete(struct store *st, const char *actor, const char *event, const char *module,
				   uint32_t *n_criteria, struct sheet_warnings *warn, struct ct_err *err)
{
	int64_t event_id;
	struct module_ref m;
	enum ct_status rc = store_begin(st, err);
	if (rc != CT_OK)
		return rc;
	rc = event_open(st, event, WF_EDIT_SHEET, &event_id, err);
	if (rc == CT_OK)
		rc = module_ref(st, event_id, event, module, &m, err);
	if (rc == CT_OK)
		rc = module_drop(st, actor, event, module, &m, err);
	if (rc == CT_OK)
		rc = sheet_changed(st, event, event_id, true, warn, err);
	if (rc == CT_OK)
		*n_criteria = m.criteria;
	return store_finish(st, rc, err);
}

static const char SQL_CRITERION_REF[] =
	"SELECT k.id, k.description, k.max_c, k.method, m.code FROM criteria k JOIN modules m ON m.id = k.module_id "
	"WHERE k.event_id = :event AND k.code = :code";
static const char SQL_CRITERION_SET[] =
	"UPDATE criteria SET description = :descr, max_c = :max, method = :method WHERE id = :id";
static const char SQL_CRITERION_DEL[] = "DELETE FROM criteria WHERE id = :id";

struct criterion_ref {
	int64_t id;
	char description[1024];
	int32_t max_c;
	enum method method;
	char module[CODE_MAX + 1];
	char object[3 * (CODE_MAX + 1)]; /* EVENT/MODULE/CODE, as criterion.add audits it */
};

static enum ct_status criterion_ref(struct store *st, int64_t event_id, const char *event, const char *criterion,
				    struct criterion_ref *k, struct ct_err *err)
{
	sqlite3_stmt *s;
	enum ct_status rc = code_row(st, SQL_CRITERION_REF, event_id, event, "criterion", criterion, &s, err);
	if (rc != CT_OK)
		return rc;
	k->id = sqlite3_column_int64(s, 0);
	store_col_copy(s, 1, k->description, sizeof k->description);
	k->max_c = (int32_t)sqlite3_column_int64(s, 2);
	rc = method_parse((const char *)sqlite3_column_text(s, 3), &k->method, err);
	store_col_copy(s, 4, k->module, sizeof k->module);
	sqlite3_reset(s);
	snprintf(k->object, sizeof k->object, "%s/%s/%s", event, k->module, criterion);
	return rc == CT_OK ? CT_OK : CT_INTERNAL;
}

/* Looks the criterion up in an event whose sheet may change. */
static enum ct_status criterion_open(struct store *st, const char *event, const char *criterion, int64_t *event_id,
				     struct criterion_ref *k, struct ct_err *err)
{
	enum ct_status rc = event_open(st, event, WF_EDIT_SHEET, event_id, err);
	return rc == CT_OK ? criterion_ref(st, *event_id, event, criterion, k, err) : rc;
}

enum ct_status store_criterion_set(struct store *st, const char *actor, const char *event, const char *criterion,
				   const struct criterion_patch *p, struct sheet_warnings *warn,
				   struct ct_err *err)
{
	int64_t event_id;
	struct criterion_ref k;
	enum ct_status rc = store_begin(st, err);
	if (rc != CT_OK)
		return rc;
	rc = criterion_open(st, event, criterion, &event_id, &k, err);
	if (rc != CT_OK)
		return store_finish(st, rc, err);
	const char *descr = p->description ? p->description : k.description;
	int32_t max_c = p->max_c >= 0 ? p->max_c : k.max_c;
	enum method method = p->has_method ? p->method : k.method;
	sqlite3_stmt *s = store_stmt(st, SQL_CRITERION_SET, err);
	if (!s)
		return store_finish(st, CT_INTERNAL, err);
	store_bind_text(s, ":descr", descr);
	store_bind_int(s, ":max", max_c);
	store_bind_text(s, ":method", method_name(method));
	store_bind_int(s, ":id", k.id);
	rc = store_exec_stmt(st, s, err);
	char m0[DEC_TEXT_MAX], m1[DEC_TEXT_MAX];
	const char *fields[][3] = {
		{"description", k.description, descr},
		{"max", dec_format(k.max_c, m0), dec_format(max_c, m1)},
		{"method", method_name(k.method), method_name(method)},
	};
	unsigned changed = 0;
	for (size_t i = 0; i < sizeof fields / sizeof fields[0] && rc == CT_OK; i++)
		rc = audit_field(st, actor, "criterion.set", k.object, fields[i][0], fields[i][1], fields[i][2], &changed,
				 err);
	if (rc == CT_OK)
		rc = sheet_changed(st, event, event_id, changed > 0, warn, err);
	return store_finish(st, rc, err);
}

enum ct_status store_criterion_delete(struct store *st, const char *actor, const char *event,
				      const char *criterion, bool *module_deleted, struct sheet_warnings *warn,
				      struct ct_err *err)
{
	int64_t event_id;
	struct criterion_ref k;
	struct module_ref m;
	*module_deleted = false;
	enum ct_status rc = store_begin(st, err);
	if (rc != CT_OK)
		return rc;
	rc = criterion_open(st, event, criterion, &event_id, &k, err);
	if (rc == CT_OK)
		rc = exec_id(st, SQL_CRITERION_DEL, k.id, err);
	if (rc == CT_OK) {
		char max[DEC_TEXT_MAX];
		char *old = xasprintf("%s max %s", method_name(k.method), dec_format(k.max_c, max));
		rc = store_audit(st, actor, "criterion.delete", k.object, old, NULL, err);
		free(old);
	}
	/* A module left without criteria goes too: it could never be scored. */
	if (rc == CT_OK)
		rc = module_ref(st, event_id, event, k.module, &m, err);
	if (rc == CT_OK && m.criteria == 0) {
		rc = module_drop(st, actor, event, k.module, &m, err);
		*module_deleted = rc == CT_OK;
	}
	if (rc == CT_OK)
		rc = sheet_changed(st, event, event_id, true, warn, err);
	if (rc != CT_OK)
		*module_deleted = false;
	return store_finish(st, rc, err);
}

/* ---- recusal ---- */

/* A growing array of recusal changes. */
struct recusals {
	struct recusal_change *list;
	size_t n, cap;
};

static struct recusal_change *recusal_add(struct recusals *r)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 8;
		r->list = xreallocarray(r->list, r->cap, sizeof *r->list);
	}
	struct recusal_change *c = &r->list[r->n++];
	memset(c, 0, sizeof *c);
	return c;
}

/* The changes are allowed in state of event (WF_CHANGE_RECUSAL), or none
 * was found; then hands them to the caller (or frees them). */
static enum ct_status recusals_done(struct recusals *r, enum ct_status rc, struct recusal_change **out, size_t *n)
{
	if (rc == CT_OK && out) {
		*out = r->list;
		*n = r->n;
	} else {
		free(r->list);
	}
	return rc;
}

/* Scoring judges of the event recused from a contestant of organization
 * :old or :new (ids; 0 matches nobody), with their values on it. */
static const char SQL_RECUSAL_JUDGES[] =
	"SELECT j.code, j.name, j.organization_id = :new, "
	"(SELECT count(*) FROM scores s WHERE s.contestant_id = :c AND s.judge_id = j.id) "
	"FROM assignments a JOIN judges j ON j.id = a.judge_id WHERE a.event_id = :event AND a.role = 'judge' "
	"AND a.withdrawn_at IS NULL AND j.organization_id IN (:old, :new) ORDER BY j.code";

/* The contestant whose identity is corrected. */
struct person {
	int64_t id, event_id, org;
	char *name, *organization, *members, *id_number, *code;
	char event[CODE_MAX + 1];
	enum event_state state;
	enum entry_status status;
};

/* Which scoring judges of its event a competed contestant p is recused
 * from once its organization is new_org instead of p->org. */
static enum ct_status contestant_recusals(struct store *st, const struct person *p, const char *reg_id,
					  int64_t new_org, struct recusals *r, struct ct_err *err)
{
	if (p->status != ENTRY_COMPETED || new_org == p->org)
		return CT_OK;
	sqlite3_stmt *s = store_stmt(st, SQL_RECUSAL_JUDGES, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_int(s, ":event", p->event_id);
	store_bind_int(s, ":c", p->id);
	store_bind_int(s, ":old", p->org);
	store_bind_int(s, ":new", new_org);
	enum ct_status rc;
	while (store_next(st, s, &rc, err)) {
		struct recusal_change *c = recusal_add(r);
		snprintf(c->event, sizeof c->event, "%s", p->event);
		snprintf(c->reg_id, sizeof c->reg_id, "%s", reg_id);
		snprintf(c->code, sizeof c->code, "%s", p->code);
		store_col_copy(s, 0, c->judge, sizeof c->judge);
		store_col_copy(s, 1, c->judge_name, sizeof c->judge_name);
		c->recused = sqlite3_column_int(s, 2) != 0;
		c->values = sqlite3_column_int64(s, 3);
	}
	if (rc != CT_OK)
		return rc;
	return r->n ? workflow_step(p->state, WF_CHANGE_RECUSAL, p->event, NULL, NULL, err) : CT_OK;
}

/* ---- contestants ---- */

static const char SQL_PERSON[] =
	"SELECT c.id, c.name, coalesce(o.name, ''), coalesce(c.organization_id, 0), c.members, c.id_number, "
	"c.status, coalesce(c.anon_code, ''), e.id, e.code, e.state FROM contestants c "
	"JOIN events e ON e.id = c.event_id LEFT JOIN organizations o ON o.id = c.organization_id "
	"WHERE c.reg_id = :code";
static const char SQL_PERSON_SET[] =
	"UPDATE contestants SET name = :name, organization_id = nullif(:org, 0), members = :members, "
	"id_number = :idn WHERE id = :id";

static void person_free(struct person *p)
{
	free(p->name);
	free(p->organization);
	free(p->members);
	free(p->id_number);
	free(p->code);
}

static enum ct_status person_ref(struct store *st, const char *reg_id, struct person *p, struct ct_err *err)
{
	sqlite3_stmt *s;
	enum ct_status rc = code_row(st, SQL_PERSON, 0, NULL, "contestant", reg_id, &s, err);
	if (rc != CT_OK)
		return rc;
	p->id = sqlite3_column_int64(s, 0);
	p->name = store_col_dup(s, 1);
	p->organization = store_col_dup(s, 2);
	p->org = sqlite3_column_int64(s, 3);
	p->members = store_col_dup(s, 4);
	p->id_number = store_col_dup(s, 5);
	bool ok = entry_status_parse((const char *)sqlite3_column_text(s, 6), &p->status, NULL) == CT_OK;
	p->code = store_col_dup(s, 7);
	p->event_id = sqlite3_column_int64(s, 8);
	store_col_copy(s, 9, p->event, sizeof p->event);
	ok &= event_state_parse((const char *)sqlite3_column_text(s, 10), &p->state, NULL) == CT_OK;
	sqlite3_reset(s);
	return ok ? CT_OK : ct_fail(err, CT_INTERNAL, "contestant %s has a status or event state unknown here", reg_id);
}

/* Audits a changed id number, masked (never in full): also one corrected
 * in the digits the mask hides, so both sides may read the same. */
static enum ct_status audit_id_number(struct store *st, const char *actor, const char *object, const char *old,
				      const char *now, unsigned *n, struct ct_err *err)
{
	if (strcmp(old ? old : "", now ? now : "") == 0)
		return CT_OK;
	(*n)++;
	char m0[ID_NUMBER_MAX * 2], m1[ID_NUMBER_MAX * 2];
	char *a = xasprintf("id_number %s", old && *old ? id_number_mask(old, m0, sizeof m0) : "none");
	char *b = xasprintf("id_number %s", now && *now ? id_number_mask(now, m1, sizeof m1) : "none");
	enum ct_status rc = store_audit(st, actor, "contestant.identity", object, a, b, err);
	free(a);
	free(b);
	return rc;
}

enum ct_status store_contestant_identity(struct store *st, const char *actor, const char *reg_id,
					 const struct identity_patch *p, struct recusal_change **changes,
					 size_t *n_changes, int64_t *event_id, struct ct_err *err)
{
	struct person c = {0};
	struct recusals r = {0};
	enum ct_status rc = person_ref(st, reg_id, &c, err);
	if (rc == CT_OK)
		rc = workflow_step(c.state, WF_CORRECT_IDENTITY, c.event, NULL, NULL, err);
	int64_t org = c.org;
	if (rc == CT_OK && p->organization)
		rc = store_org_ensure(st, p->organization, &org, err);
	if (rc == CT_OK)
		rc = contestant_recusals(st, &c, reg_id, org, &r, err);
	if (rc != CT_OK)
		goto out;
	const char *name = p->name ? p->name : c.name;
	const char *organization = p->organization ? p->organization : c.organization;
	const char *members = p->members ? p->members : c.members;
	const char *id_number = p->id_number ? p->id_number : c.id_number;
	sqlite3_stmt *s = store_stmt(st, SQL_PERSON_SET, err);
	if (!s) {
		rc = CT_INTERNAL;
		goto out;
	}
	store_bind_text(s, ":name", name);
	store_bind_int(s, ":org", org);
	store_bind_text(s, ":members", members && *members ? members : NULL);
	store_bind_text(s, ":idn", id_number && *id_number ? id_number : NULL);
	store_bind_int(s, ":id", c.id);
	rc = store_exec_stmt(st, s, err);
	char object[80];
	snprintf(object, sizeof object, "%s/%s", c.event, reg_id);
	const char *fields[][3] = {
		{"name", c.name, name},
		{"organization", c.organization, organization},
		{"members", c.members, members},
	};
	unsigned changed = 0;
	for (size_t i = 0; i < sizeof fields / sizeof fields[0] && rc == CT_OK; i++)
		rc = audit_field(st, actor, "contestant.identity", object, fields[i][0], fields[i][1], fields[i][2],
				 &changed, err);
	if (rc == CT_OK)
		rc = audit_id_number(st, actor, object, c.id_number, id_number, &changed, err);
	if (rc == CT_OK && changed)
		rc = store_bump(st, c.event_id, err);
	*event_id = c.event_id;
out:
	person_free(&c);
	return recusals_done(&r, rc, changes, n_changes);
}

static const char SQL_CONTESTANT_DEL[] = "DELETE FROM contestants WHERE id = :id";

enum ct_status store_contestant_delete(struct store *st, const char *actor, const char *reg_id,
				       char event[CODE_MAX + 1], struct ct_err *err)
{
	struct person c = {0};
	enum ct_status rc = store_begin(st, err);
	if (rc != CT_OK)
		return rc;
	rc = person_ref(st, reg_id, &c, err);
	if (rc == CT_OK)
		rc = workflow_step(c.state, WF_UNREGISTER, c.event, NULL, NULL, err);
	if (rc == CT_OK)
		rc = exec_id(st, SQL_CONTESTANT_DEL, c.id, err);
	if (rc == CT_OK)
		rc = store_bump(st, c.event_id, err);
	if (rc == CT_OK) {
		char object[80];
		snprintf(object, sizeof object, "%s/%s", c.event, reg_id);
		rc = store_audit(st, actor, workflow_action_name(WF_UNREGISTER), object, c.name, NULL, err);
	}
	if (rc == CT_OK && event)
		snprintf(event, CODE_MAX + 1, "%s", c.event);
	person_free(&c);
	return store_finish(st, rc, err);
}

/* ---- judges ---- */

static const char SQL_JUDGE_REF[] =
	"SELECT j.id, j.name, coalesce(o.name, ''), coalesce(j.organization_id, 0) FROM judges j "
	"LEFT JOIN organizations o ON o.id = j.organization_id WHERE j.code = :code";
static const char SQL_JUDGE_SET[] = "UPDATE judges SET name = :name, organization_id = nullif(:org, 0) WHERE id = :id";
static const char SQL_JUDGE_EVENT_IDS[] = "SELECT event_id FROM assignments WHERE judge_id = :id";
/* Bumps the data_version of every event judge id is assigned to, through
 * store_bump: what is kept of those events (lookups, judges' sheets) is
 * forgotten at the commit. */
static enum ct_status judge_bump(struct store *st, int64_t id, struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_JUDGE_EVENT_IDS, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_int(s, ":id", id);
	int64_t *events = NULL;
	size_t n = 0, cap = 0;
	enum ct_status rc;
	while (store_next(st, s, &rc, err)) {
		events = xgrow(events, n, &cap, 8, sizeof *events);
		events[n++] = sqlite3_column_int64(s, 0);
	}
	for (size_t i = 0; rc == CT_OK && i < n; i++)
		rc = store_bump(st, events[i], err);
	free(events);
	return rc;
}

/* Competed contestants of organization :old or :new (ids; 0 matches
 * nobody) in the events the judge scores, with the judge's values on each. */
static const char SQL_RECUSAL_CONTESTANTS[] =
	"SELECT e.code, e.state, c.reg_id, coalesce(c.anon_code, ''), c.organization_id = :new, "
	"(SELECT count(*) FROM scores s WHERE s.contestant_id = c.id AND s.judge_id = :judge) "
	"FROM assignments a JOIN events e ON e.id = a.event_id JOIN contestants c ON c.event_id = e.id "
	"WHERE a.judge_id = :judge AND a.role = 'judge' AND a.withdrawn_at IS NULL AND c.status = 'competed' "
	"AND c.organization_id IN (:old, :new) ORDER BY e.code, c.reg_id";

struct judge_ref {
	int64_t id, org;
	char name[256], organization[256];
};

static enum ct_status judge_ref(struct store *st, const char *code, struct judge_ref *j, struct ct_err *err)
{
	sqlite3_stmt *s;
	enum ct_status rc = code_row(st, SQL_JUDGE_REF, 0, NULL, "judge", code, &s, err);
	if (rc != CT_OK)
		return rc;
	j->id = sqlite3_column_int64(s, 0);
	store_col_copy(s, 1, j->name, sizeof j->name);
	store_col_copy(s, 2, j->organization, sizeof j->organization);
	j->org = sqlite3_column_int64(s, 3);
	sqlite3_reset(s);
	return CT_OK;
}

/* Which contestants judge j (code, called name) is recused from once the
 * judge's organization is new_org, in each event the judge scores, each
 * event allowing it. */
static enum ct_status judge_recusals(struct store *st, const char *code, const char *name, const struct judge_ref *j,
				     int64_t new_org, struct recusals *r, struct ct_err *err)
{
	if (new_org == j->org)
		return CT_OK;
	sqlite3_stmt *s = store_stmt(st, SQL_RECUSAL_CONTESTANTS, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_int(s, ":judge", j->id);
	store_bind_int(s, ":old", j->org);
	store_bind_int(s, ":new", new_org);
	enum ct_status rc = CT_OK;
	while (rc == CT_OK && store_next(st, s, &rc, err)) {
		struct recusal_change *c = recusal_add(r);
		store_col_copy(s, 0, c->event, sizeof c->event);
		enum event_state state;
		if (event_state_parse((const char *)sqlite3_column_text(s, 1), &state, NULL) != CT_OK)
			rc = ct_fail(err, CT_INTERNAL, "event %s has a state unknown here", c->event);
		else
			rc = workflow_step(state, WF_CHANGE_RECUSAL, c->event, NULL, NULL, err);
		store_col_copy(s, 2, c->reg_id, sizeof c->reg_id);
		store_col_copy(s, 3, c->code, sizeof c->code);
		snprintf(c->judge, sizeof c->judge, "%s", code);
		snprintf(c->judge_name, sizeof c->judge_name, "%s", name);
		c->recused = sqlite3_column_int(s, 4) != 0;
		c->values = sqlite3_column_int64(s, 5);
	}
	sqlite3_reset(s); /* after a refusal the rows were not all read */
	return rc;
}

enum ct_status store_judge_set(struct store *st, const char *actor, const char *code, const struct judge_patch *p,
			       struct recusal_change **changes, size_t *n_changes, struct ct_err *err)
{
	struct judge_ref j = {0};
	struct recusals r = {0};
	enum ct_status rc = store_begin(st, err);
	if (rc != CT_OK)
		return rc;
	rc = judge_ref(st, code, &j, err);
	int64_t org = j.org;
	if (rc == CT_OK && p->organization)
		rc = store_org_ensure(st, p->organization, &org, err);
	const char *name = p->name ? p->name : j.name;
	if (rc == CT_OK)
		rc = judge_recusals(st, code, name, &j, org, &r, err);
	const char *organization = p->organization ? p->organization : j.organization;
	sqlite3_stmt *s = rc == CT_OK ? store_stmt(st, SQL_JUDGE_SET, err) : NULL;
	if (rc == CT_OK && !s)
		rc = CT_INTERNAL;
	if (rc == CT_OK) {
		store_bind_text(s, ":name", name);
		store_bind_int(s, ":org", org);
		store_bind_int(s, ":id", j.id);
		rc = store_exec_stmt(st, s, err);
	}
	unsigned changed = 0;
	if (rc == CT_OK)
		rc = audit_field(st, actor, "judge.set", code, "name", j.name, name, &changed, err);
	if (rc == CT_OK)
		rc = audit_field(st, actor, "judge.set", code, "organization", j.organization, organization, &changed,
				 err);
	/* the name shows in the chief's views, the organization decides recusal */
	if (rc == CT_OK && changed)
		rc = judge_bump(st, j.id, err);
	if (rc == CT_OK && p->pin_hash)
		rc = store_judge_pin_set(st, actor, j.id, code, p->pin_hash, err);
	return store_finish(st, recusals_done(&r, rc, changes, n_changes), err);
}

static const char SQL_JUDGE_EVENTS[] =
	"SELECT e.code, e.state, a.role FROM assignments a JOIN events e ON e.id = a.event_id "
	"WHERE a.judge_id = :id ORDER BY e.code";
static const char SQL_JUDGE_VALUES[] = "SELECT count(*) FROM score_revisions WHERE judge_id = :id";
static const char SQL_JUDGE_DEL_ASSIGNMENTS[] = "DELETE FROM assignments WHERE judge_id = :id";
static const char SQL_JUDGE_DEL_IDEMPOTENCY[] = "DELETE FROM idempotency WHERE actor = :actor";
static const char SQL_JUDGE_DEL[] = "DELETE FROM judges WHERE id = :id";

/* Whether every assignment of judge j may be removed; *text lists them
 * ("CNC judge, WELD chief"; a new string, or NULL when none). */
static enum ct_status judge_assignments(struct store *st, const char *code, const struct judge_ref *j,
					uint32_t *n, char **text, struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_JUDGE_EVENTS, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_int(s, ":id", j->id);
	enum ct_status rc = CT_OK;
	while (rc == CT_OK && store_next(st, s, &rc, err)) {
		const char *event = (const char *)sqlite3_column_text(s, 0);
		enum event_state state;
		struct ct_err why;
		ct_err_clear(&why);
		if (event_state_parse((const char *)sqlite3_column_text(s, 1), &state, NULL) != CT_OK)
			rc = ct_fail(err, CT_INTERNAL, "event %s has a state unknown here", event);
		else if ((rc = workflow_step(state, WF_UNASSIGN_JUDGE, event, NULL, NULL, &why)) != CT_OK)
			rc = ct_fail(err, rc, "judge %s cannot be deleted: %s", code, why.msg);
		char *next = xasprintf("%s%s%s %s", *text ? *text : "", *text ? ", " : "", event,
				       (const char *)sqlite3_column_text(s, 2));
		free(*text);
		*text = next;
		(*n)++;
	}
	sqlite3_reset(s); /* after a refusal the rows were not all read */
	if (rc != CT_OK)
		return rc;
	s = store_stmt(st, SQL_JUDGE_VALUES, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_int(s, ":id", j->id);
	if ((rc = store_row(st, s, err)) != CT_OK)
		return rc == CT_NOT_FOUND ? CT_INTERNAL : rc;
	int64_t values = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (values > 0)
		return ct_fail(err, CT_CONFLICT, "judge %s cannot be deleted: the judge has entered %lld value%s, which "
			       "stay in the history", code, (long long)values, values == 1 ? "" : "s");
	return CT_OK;
}

enum ct_status store_judge_delete(struct store *st, const char *actor, const char *code, uint32_t *n_assignments,
				  struct ct_err *err)
{
	struct judge_ref j = {0};
	char *assigned = NULL;
	*n_assignments = 0;
	enum ct_status rc = store_begin(st, err);
	if (rc != CT_OK)
		return rc;
	rc = judge_ref(st, code, &j, err);
	if (rc == CT_OK)
		rc = judge_assignments(st, code, &j, n_assignments, &assigned, err);
	if (rc == CT_OK)
		rc = judge_bump(st, j.id, err);
	if (rc == CT_OK)
		rc = store_tokens_revoke_judge(st, j.id, err);
	if (rc == CT_OK)
		rc = exec_id(st, SQL_JUDGE_DEL_ASSIGNMENTS, j.id, err);
	sqlite3_stmt *s = rc == CT_OK ? store_stmt(st, SQL_JUDGE_DEL_IDEMPOTENCY, err) : NULL;
	if (rc == CT_OK && !s)
		rc = CT_INTERNAL;
	if (rc == CT_OK) {
		char who[80];
		snprintf(who, sizeof who, "judge:%s", code);
		store_bind_text(s, ":actor", who);
		rc = store_exec_stmt(st, s, err);
	}
	if (rc == CT_OK)
		rc = exec_id(st, SQL_JUDGE_DEL, j.id, err);
	if (rc == CT_OK) {
		char *old = xasprintf("%s (%s); assigned: %s", j.name, *j.organization ? j.organization : "no organization",
				      assigned ? assigned : "none");
		rc = store_audit(st, actor, "judge.delete", code, old, NULL, err);
		free(old);
	}
	free(assigned);
	return store_finish(st, rc, err);
}

static const char SQL_UNASSIGN[] = "DELETE FROM assignments WHERE judge_id = :judge AND event_id = :event";

enum ct_status store_judge_unassign(struct store *st, const char *actor, const char *event, const char *code,
				    char role[16], struct ct_err *err)
{
	int64_t event_id, judge_id = 0;
	char was[16] = "", withdrawn[32] = "";
	enum ct_status rc = store_begin(st, err);
	if (rc != CT_OK)
		return rc;
	rc = store_assignment_open(st, event, code, WF_UNASSIGN_JUDGE, &event_id, &judge_id, was, withdrawn, err);
	sqlite3_stmt *s = rc == CT_OK ? store_stmt(st, SQL_UNASSIGN, err) : NULL;
	if (rc == CT_OK && !s)
		rc = CT_INTERNAL;
	if (rc == CT_OK) {
		store_bind_int(s, ":judge", judge_id);
		store_bind_int(s, ":event", event_id);
		rc = store_exec_stmt(st, s, err);
	}
	if (rc == CT_OK)
		rc = store_bump(st, event_id, err);
	if (rc == CT_OK)
		rc = store_revoke_if_idle(st, judge_id, err);
	if (rc == CT_OK) {
		char object[80];
		snprintf(object, sizeof object, "%s/%s", event, code);
		rc = store_audit(st, actor, workflow_action_name(WF_UNASSIGN_JUDGE), object, was, NULL, err);
	}
	if (rc == CT_OK && role)
		snprintf(role, 16, "%s", was);
	return store_finish(st, rc, err);
}
