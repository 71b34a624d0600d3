/* Publication of results as immutable numbered versions, the public list of
 * published events, and appeals against the published versions. */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

void publication_clear(struct publication *p)
{
	free(p->published_at);
	free(p->published_by);
	free(p->notice_until);
	free(p->reason);
	free(p->results);
	memset(p, 0, sizeof *p);
}

#define PUBLICATION_COLUMNS                                                                                        \
	"SELECT p.id, p.version, p.published_at, p.published_by, p.notice_until, p.reason, p.results, p.audit_seq " \
	"FROM publications p JOIN events e ON e.id = p.event_id WHERE e.code = :code "
static const char SQL_PUBLICATION[] = PUBLICATION_COLUMNS "AND p.version = :version";
static const char SQL_PUBLICATION_LATEST[] = PUBLICATION_COLUMNS "ORDER BY p.version DESC LIMIT 1";

/* Why event has no publication version (0: none at all): which of the
 * event, any version, that version is missing. */
static enum ct_status no_publication(struct store *st, const char *event, unsigned version, struct ct_err *err)
{
	int64_t id;
	enum ct_status rc = store_event_ref(st, event, &id, NULL, err);
	if (rc != CT_OK)
		return rc;
	if (version == 0)
		return ct_fail(err, CT_NOT_FOUND, "event %s has no published results", event);
	return ct_fail(err, CT_NOT_FOUND, "event %s has no published version %u", event, version);
}

enum ct_status store_publication_get(struct store *st, const char *event, unsigned version, struct publication *out,
				     struct ct_err *err)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *s = store_stmt(st, version ? SQL_PUBLICATION : SQL_PUBLICATION_LATEST, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_text(s, ":code", event);
	if (version)
		store_bind_int(s, ":version", version);
	enum ct_status rc = store_row(st, s, err);
	if (rc == CT_NOT_FOUND)
		return no_publication(st, event, version, err);
	if (rc != CT_OK)
		return rc;
	out->id = sqlite3_column_int64(s, 0);
	out->version = (unsigned)sqlite3_column_int64(s, 1);
	out->published_at = store_col_dup(s, 2);
	out->published_by = store_col_dup(s, 3);
	out->notice_until = store_col_dup(s, 4);
	out->reason = store_col_dup(s, 5);
	out->results = store_col_dup(s, 6);
	out->results_len = (size_t)sqlite3_column_bytes(s, 6);
	out->audit_seq = sqlite3_column_int64(s, 7);
	sqlite3_reset(s);
	if (!out->results)
		out->results = xstrdup("");
	return CT_OK;
}

/* The audit records after the publication's own: a correction is few of
 * them, so the range scan on the primary key stays short. */
static const char SQL_CORRECTION_REASON[] =
	"SELECT reason FROM audit WHERE seq > :after AND action = 'unlock' AND object = :code "
	"ORDER BY seq DESC LIMIT 1";

enum ct_status store_correction_reason(struct store *st, const char *event, int64_t after_seq, char **reason,
				       struct ct_err *err)
{
	*reason = NULL;
	sqlite3_stmt *s = store_stmt(st, SQL_CORRECTION_REASON, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_int(s, ":after", after_seq);
	store_bind_text(s, ":code", event);
	enum ct_status rc = store_row(st, s, err);
	if (rc == CT_NOT_FOUND)
		return CT_OK;
	if (rc == CT_OK) {
		*reason = store_col_dup(s, 0);
		sqlite3_reset(s);
	}
	return rc;
}

static const char SQL_PUBLISH_CHECK[] =
	"SELECT e.data_version, (SELECT coalesce(max(version), 0) FROM publications WHERE event_id = e.id) "
	"FROM events e WHERE e.id = :event";
static const char SQL_PUBLISH_ADD[] =
	"INSERT INTO publications (event_id, version, published_at, published_by, notice_until, reason, audit_seq, "
	"results) VALUES (:event, :version, :at, :by, :until, :reason, :seq, :results)";

/* The event has not changed since the document was computed and the new
 * version follows the latest. */
static enum ct_status publish_check(struct store *st, int64_t event_id, const char *event,
				    const struct publish_row *p, struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_PUBLISH_CHECK, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_int(s, ":event", event_id);
	enum ct_status rc = store_row(st, s, err);
	if (rc != CT_OK)
		return rc == CT_NOT_FOUND ? ct_fail(err, CT_INTERNAL, "event %s vanished", event) : rc;
	int64_t data_version = sqlite3_column_int64(s, 0);
	unsigned latest = (unsigned)sqlite3_column_int64(s, 1);
	sqlite3_reset(s);
	if (data_version != p->data_version)
		return ct_fail(err, CT_CONFLICT, "the results of event %s changed while they were being published; "
			       "publish again", event);
	if (latest + 1 != p->version)
		return ct_fail(err, CT_CONFLICT, "event %s has published version %u already; publish again", event,
			       latest);
	return CT_OK;
}

enum ct_status store_publish(struct store *st, const char *actor, const char *event, const struct publish_row *p,
			     struct ct_err *err)
{
	int64_t event_id;
	enum event_state from, to = EVENT_PUBLISHED;
	enum ct_status rc = store_begin(st, err);
	if (rc != CT_OK)
		return rc;
	rc = store_event_lookup(st, event, &event_id, &from, err);
	if (rc == CT_OK)
		rc = workflow_step(from, WF_PUBLISH, event, NULL, &to, err);
	if (rc == CT_OK)
		rc = publish_check(st, event_id, event, p, err);
	if (rc == CT_OK)
		rc = store_state_set(st, event_id, event, from, to, err);
	if (rc == CT_OK) {
		char digest[2 * AUDIT_RESULTS_DIGEST_BYTES + 1], value[64];
		audit_results_digest(p->results, p->results_len, digest);
		audit_publish_value(p->version, digest, value);
		rc = store_audit_why(st, actor, NULL, workflow_action_name(WF_PUBLISH), event, event_state_name(from),
				     value, p->reason, err);
	}
	sqlite3_stmt *s = rc == CT_OK ? store_stmt(st, SQL_PUBLISH_ADD, err) : NULL;
	if (rc == CT_OK && !s)
		rc = CT_INTERNAL;
	if (rc == CT_OK) {
		store_bind_int(s, ":event", event_id);
		store_bind_int(s, ":version", p->version);
		store_bind_text(s, ":at", p->published_at);
		store_bind_text(s, ":by", actor);
		store_bind_text(s, ":until", p->notice_until);
		store_bind_text(s, ":reason", p->reason);
		store_bind_int(s, ":seq", sqlite3_last_insert_rowid(st->db)); /* the publish record */
		store_bind_text(s, ":results", p->results);
		rc = store_exec_stmt(st, s, err);
	}
	return store_finish(st, rc, err);
}

static const char SQL_PUBLISHED_EVENTS[] =
	"SELECT e.code, e.name, e.state, p.version, p.published_at, p.notice_until, e.finalized_at "
	"FROM events e JOIN publications p ON p.event_id = e.id "
	"WHERE p.version = (SELECT max(q.version) FROM publications q WHERE q.event_id = e.id) ORDER BY e.code";

enum ct_status store_published_events(struct store *st, struct published_event **out, size_t *n,
				      struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_PUBLISHED_EVENTS, err);
	if (!s)
		return CT_INTERNAL;
	struct published_event *list = NULL;
	size_t count = 0, cap = 0;
	enum ct_status rc = CT_OK, read;
	while (store_next(st, s, &read, err)) {
		list = xgrow(list, count, &cap, 16, sizeof *list);
		struct published_event *e = &list[count++];
		e->code = store_col_dup(s, 0);
		e->name = store_col_dup(s, 1);
		if (event_state_parse((const char *)sqlite3_column_text(s, 2), &e->state, err) != CT_OK)
			rc = CT_INTERNAL;
		e->version = (unsigned)sqlite3_column_int64(s, 3);
		e->published_at = store_col_dup(s, 4);
		e->notice_until = store_col_dup(s, 5);
		e->finalized_at = store_col_dup(s, 6);
	}
	if (read != CT_OK)
		rc = read;
	if (rc != CT_OK) {
		published_events_free(list, count);
		return rc;
	}
	*out = list;
	*n = count;
	return CT_OK;
}

void published_events_free(struct published_event *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(list[i].code);
		free(list[i].name);
		free(list[i].published_at);
		free(list[i].notice_until);
		free(list[i].finalized_at);
	}
	free(list);
}

/* ---- appeals ---- */

static const char SQL_LATEST_PUBLICATION_ID[] =
	"SELECT id FROM publications WHERE event_id = :event ORDER BY version DESC LIMIT 1";
static const char SQL_CONTESTANT_OF_EVENT[] = "SELECT id FROM contestants WHERE reg_id = :reg AND event_id = :event";
static const char SQL_APPEAL_ADD[] =
	"INSERT INTO appeals (publication_id, appellant, contestant_id, text, received_at, recorded_by) "
	"VALUES (:pub, :who, :contestant, :text, :received, :by)";

/* One integer from a query bound to :event (and :reg when reg is not
 * NULL); CT_NOT_FOUND when it gives no row. */
static enum ct_status one_id(struct store *st, const char *sql, int64_t event_id, const char *reg, int64_t *out,
			     struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, sql, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_int(s, ":event", event_id);
	if (reg)
		store_bind_text(s, ":reg", reg);
	enum ct_status rc = store_row(st, s, err);
	if (rc == CT_OK) {
		*out = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
	}
	return rc;
}

enum ct_status store_appeal_add(struct store *st, const char *actor, const char *event, const struct appeal_new *a,
				int64_t *number, struct ct_err *err)
{
	int64_t event_id, pub_id = 0, contestant_id = 0;
	enum event_state state;
	char now[32];
	store_now(now);
	enum ct_status rc = store_begin(st, err);
	if (rc != CT_OK)
		return rc;
	rc = store_event_lookup(st, event, &event_id, &state, err);
	if (rc == CT_OK)
		rc = workflow_step(state, WF_APPEAL, event, NULL, NULL, err);
	if (rc == CT_OK && (rc = one_id(st, SQL_LATEST_PUBLICATION_ID, event_id, NULL, &pub_id, err)) == CT_NOT_FOUND)
		rc = ct_fail(err, CT_INTERNAL, "event %s is published but has no published version", event);
	if (rc == CT_OK && a->contestant &&
	    (rc = one_id(st, SQL_CONTESTANT_OF_EVENT, event_id, a->contestant, &contestant_id, err)) == CT_NOT_FOUND)
		rc = ct_fail(err, CT_INVALID, "contestant: event %s has no contestant %s", event, a->contestant);
	sqlite3_stmt *s = rc == CT_OK ? store_stmt(st, SQL_APPEAL_ADD, err) : NULL;
	if (rc == CT_OK && !s)
		rc = CT_INTERNAL;
	if (rc == CT_OK) {
		store_bind_int(s, ":pub", pub_id);
		store_bind_text(s, ":who", a->appellant);
		if (contestant_id)
			store_bind_int(s, ":contestant", contestant_id);
		store_bind_text(s, ":text", a->text);
		store_bind_text(s, ":received", a->received_at ? a->received_at : now);
		store_bind_text(s, ":by", actor);
		rc = store_exec_stmt(st, s, err);
	}
	if (rc == CT_OK) {
		*number = sqlite3_last_insert_rowid(st->db);
		char object[96], *what = xasprintf("%s: %s", a->appellant, a->text);
		snprintf(object, sizeof object, "%s/appeal/%lld", event, (long long)*number);
		rc = store_audit_why(st, actor, NULL, "appeal.add", object, NULL, "open", what, err);
		free(what);
	}
	return store_finish(st, rc, err);
}

static const char SQL_APPEALS[] =
	"SELECT a.id, p.version, a.appellant, c.reg_id, a.text, a.received_at, a.recorded_by, a.outcome, "
	"a.resolution, a.resolved_at, a.resolved_by FROM appeals a JOIN publications p ON p.id = a.publication_id "
	"LEFT JOIN contestants c ON c.id = a.contestant_id WHERE p.event_id = :event ORDER BY a.id";

enum ct_status store_appeals_list(struct store *st, const char *event, struct appeal_info **out, size_t *n,
				  struct ct_err *err)
{
	int64_t event_id;
	enum ct_status rc = store_event_ref(st, event, &event_id, NULL, err);
	if (rc != CT_OK)
		return rc;
	sqlite3_stmt *s = store_stmt(st, SQL_APPEALS, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_int(s, ":event", event_id);
	struct appeal_info *list = NULL;
	size_t count = 0, cap = 0;
	while (store_next(st, s, &rc, err)) {
		list = xgrow(list, count, &cap, 8, sizeof *list);
		struct appeal_info *a = &list[count++];
		a->number = sqlite3_column_int64(s, 0);
		a->version = (unsigned)sqlite3_column_int64(s, 1);
		a->appellant = store_col_dup(s, 2);
		a->contestant = store_col_dup(s, 3);
		a->text = store_col_dup(s, 4);
		a->received_at = store_col_dup(s, 5);
		a->recorded_by = store_col_dup(s, 6);
		a->outcome = store_col_dup(s, 7);
		a->resolution = store_col_dup(s, 8);
		a->resolved_at = store_col_dup(s, 9);
		a->resolved_by = store_col_dup(s, 10);
	}
	if (rc != CT_OK) {
		appeals_free(list, count);
		return rc;
	}
	*out = list;
	*n = count;
	return CT_OK;
}

void appeals_free(struct appeal_info *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct appeal_info *a = &list[i];
		free(a->appellant);
		free(a->contestant);
		free(a->text);
		free(a->received_at);
		free(a->recorded_by);
		free(a->outcome);
		free(a->resolution);
		free(a->resolved_at);
		free(a->resolved_by);
	}
	free(list);
}

static const char SQL_APPEAL_GET[] =
	"SELECT e.code, e.state, a.outcome, a.resolved_at FROM appeals a JOIN publications p ON p.id = a.publication_id "
	"JOIN events e ON e.id = p.event_id WHERE a.id = :id";
static const char SQL_APPEAL_RESOLVE[] =
	"UPDATE appeals SET outcome = :outcome, resolution = :resolution, resolved_at = :at, resolved_by = :by "
	"WHERE id = :id AND outcome IS NULL";

/* The event (code and state) of appeal number, refusing one resolved
 * already. */
static enum ct_status appeal_open(struct store *st, int64_t number, char event[64], enum event_state *state,
				  struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_APPEAL_GET, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_int(s, ":id", number);
	enum ct_status rc = store_row(st, s, err);
	if (rc == CT_NOT_FOUND)
		return ct_fail(err, CT_NOT_FOUND, "no appeal %lld", (long long)number);
	if (rc != CT_OK)
		return rc;
	store_col_copy(s, 0, event, 64);
	rc = event_state_parse((const char *)sqlite3_column_text(s, 1), state, err);
	if (rc == CT_OK && sqlite3_column_type(s, 2) != SQLITE_NULL)
		rc = ct_fail(err, CT_CONFLICT, "appeal %lld was resolved already (%s, %s)", (long long)number,
			     (const char *)sqlite3_column_text(s, 2), (const char *)sqlite3_column_text(s, 3));
	sqlite3_reset(s);
	return rc;
}

enum ct_status store_appeal_resolve(struct store *st, const char *actor, int64_t number, const char *outcome,
				    const char *resolution, char event_out[64], struct ct_err *err)
{
	char event[64] = "", now[32];
	enum event_state state;
	store_now(now);
	enum ct_status rc = store_begin(st, err);
	if (rc != CT_OK)
		return rc;
	rc = appeal_open(st, number, event, &state, err);
	if (rc == CT_OK)
		rc = workflow_step(state, WF_APPEAL, event, NULL, NULL, err);
	sqlite3_stmt *s = rc == CT_OK ? store_stmt(st, SQL_APPEAL_RESOLVE, err) : NULL;
	if (rc == CT_OK && !s)
		rc = CT_INTERNAL;
	if (rc == CT_OK) {
		store_bind_text(s, ":outcome", outcome);
		store_bind_text(s, ":resolution", resolution);
		store_bind_text(s, ":at", now);
		store_bind_text(s, ":by", actor);
		store_bind_int(s, ":id", number);
		rc = store_exec_stmt(st, s, err);
	}
	if (rc == CT_OK) {
		char object[96];
		snprintf(object, sizeof object, "%s/appeal/%lld", event, (long long)number);
		rc = store_audit_why(st, actor, NULL, "appeal.resolve", object, "open", outcome, resolution, err);
	}
	if (rc == CT_OK && event_out)
		snprintf(event_out, 64, "%s", event);
	return store_finish(st, rc, err);
}
