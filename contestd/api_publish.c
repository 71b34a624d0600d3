/* Publication (公示): freezing an event's results as a numbered version, the
 * public list of published events and the published versions (answered
 * from memory, pubcache.c), and appeals (申诉) against them. */
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "cert.h"
#include "isotime.h"
#include "pubcache.h"
#include "results.h"
#include "store.h"

#define RESULTS_FORMAT "contest-results-1"
#define EVENTS_FORMAT "contest-published-events-1"

void api_reply_doc(struct request *req, const struct pubdoc *doc)
{
	http_set_header(req, "ETag", doc->etag);
	http_set_header(req, "Cache-Control", "no-cache");
	if (http_etag_matches(req, doc->etag))
		http_reply_raw(req, 304, NULL, NULL, 0);
	else
		http_reply_body(req, "application/json; charset=utf-8", doc->body);
}

void api_public_changed(struct app *app)
{
	pubcache_forget(app->pub, PUBCACHE_EVENTS);
}

enum ct_status api_text_ok(const char *field, const char *s, bool multiline, struct ct_err *err)
{
	if (!s)
		return CT_OK;
	char *copy = xstrdup(s);
	enum ct_status rc = CT_OK;
	for (char *line = copy, *next; rc == CT_OK && line; line = next) {
		next = multiline ? strchr(line, '\n') : NULL;
		if (next)
			*next++ = '\0';
		if (cert_text_check(field, line, 0, strlen(line), NULL) != CT_OK)
			rc = ct_fail(err, CT_INVALID, "%s: not valid UTF-8, or holds a control character%s", field,
				     multiline ? " other than a line break" : "");
	}
	free(copy);
	return rc;
}

/* Parses a time a person gave (a date, a date and a time, with or without
 * a zone; without one, the server's local time) into ISO 8601 UTC. */
static enum ct_status time_arg(const char *field, const char *text, char out[ISOTIME_TEXT], int64_t *unix_s,
			       struct ct_err *err)
{
	time_t now = time(NULL);
	struct tm local;
	localtime_r(&now, &local);
	if (!isotime_parse(text, (int32_t)local.tm_gmtoff, unix_s))
		return ct_fail(err, CT_INVALID, "%s: \"%.40s\" is not a time (use 2026-05-23T18:00, 2026-05-23 18:00+08:00 "
			       "or 2026-05-23)", field, text);
	isotime_format(*unix_s, out);
	return CT_OK;
}

/* ---- the frozen results document ---- */

/* A team's members ("张三;李四") as a JSON array; null for an individual. */
static json_t *members_json(const char *members)
{
	if (!members)
		return json_null();
	json_t *list = json_array();
	for (const char *p = members; *p;) {
		size_t n = strcspn(p, ";");
		const char *end = p + n;
		while (p < end && *p == ' ')
			p++;
		while (end > p && end[-1] == ' ')
			end--;
		if (end > p)
			json_array_append_new(list, json_stringn(p, (size_t)(end - p)));
		p += n + (p[n] == ';');
	}
	return list;
}

/* Every row of the results in display order: what the public sees, never
 * a registration id or an id number. "entry" names the entry across
 * versions. */
static json_t *rows_json(const struct computed *comp)
{
	const struct event_data *d = comp->data;
	const struct result *r = comp->res;
	json_t *rows = json_array();
	for (uint32_t i = 0; i < d->n_contestants; i++) {
		const struct result_entry *e = &r->entries[i];
		const struct ev_contestant *c = &d->contestants[e->contestant];
		bool scored = c->status == ENTRY_COMPETED;
		json_t *mods = api_module_scores_json(d, r, e);
		const char *award = api_award_code(e->award);
		json_array_append_new(rows, json_pack("{s:I,s:o,s:s,s:s,s:o,s:s,s:o,s:o,s:o,s:o}", "entry",
						      (json_int_t)c->id, "rank", e->rank ? json_integer(e->rank) : json_null(),
						      "name", c->name, "organization", c->organization, "members",
						      members_json(c->members), "status", entry_status_name(c->status),
						      "modules", mods, "total",
						      scored ? jin_mark_json(e->total_c) : json_null(), "award",
						      jin_opt_str(award), "award_name",
						      award ? json_string(cert_award_name(e->award)) : json_null()));
	}
	return rows;
}

static json_t *standing(const json_t *row)
{
	static const char *const keys[] = {"status", "rank", "total", "award", "award_name"};
	json_t *s = json_object();
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		json_t *v = json_object_get(row, keys[i]);
		json_object_set(s, keys[i], v ? v : json_null());
	}
	return s;
}

/* What changed from the previous version: every entry whose status, rank,
 * total, award or module scores differ, with its standing before and after. */
static json_t *changes_json(const json_t *before, const json_t *after)
{
	json_t *changes = json_array();
	const json_t *old_rows = json_object_get(before, "results");
	size_t i, j;
	const json_t *row, *old;
	json_array_foreach(after, i, row) {
		json_int_t entry = json_integer_value(json_object_get(row, "entry"));
		const json_t *match = NULL;
		json_array_foreach(old_rows, j, old)
			if (json_integer_value(json_object_get(old, "entry")) == entry)
				match = old;
		static const char *const keys[] = {"status", "rank", "total", "award", "modules"};
		bool same = match != NULL;
		for (size_t k = 0; same && k < sizeof keys / sizeof keys[0]; k++)
			same = json_equal(json_object_get(row, keys[k]), json_object_get(match, keys[k]));
		if (same)
			continue;
		json_array_append_new(changes, json_pack("{s:I,s:O,s:O,s:o,s:o}", "entry", entry, "name",
							 json_object_get(row, "name"), "organization",
							 json_object_get(row, "organization"), "before",
							 match ? standing(match) : json_null(), "after", standing(row)));
	}
	return changes;
}

/* The results document of version p->version, as the public will read it
 * (a new string). */
static char *results_doc(const struct computed *comp, const struct pubcontest *contest, const struct publish_row *p,
			 const struct publication *prev)
{
	const struct event_data *d = comp->data;
	const struct result *r = comp->res;
	json_t *modules = api_modules_json(d, r);
	json_t *rows = rows_json(comp);
	json_t *correction = json_null();
	if (prev->version) {
		json_t *before = json_loads(prev->results, 0, NULL);
		correction = json_pack("{s:I,s:o,s:o}", "previous", (json_int_t)prev->version, "reason",
				       jin_opt_str(p->reason), "changes", changes_json(before, rows));
		json_decref(before);
	}
	json_t *doc = json_pack("{s:s,s:{s:s,s:s},s:{s:s,s:s},s:I,s:s,s:o,s:o,s:I,s:[I,I,I],s:o,s:o}", "format",
				RESULTS_FORMAT, "contest", "code", contest->code, "name", contest->name, "event", "code",
				d->code, "name", d->name, "version", (json_int_t)p->version, "published_at",
				p->published_at, "notice_until", jin_opt_str(p->notice_until), "correction", correction,
				"n_ranked", (json_int_t)r->n_ranked, "cutoffs", (json_int_t)r->cutoff[0],
				(json_int_t)r->cutoff[1], (json_int_t)r->cutoff[2], "modules", modules, "results", rows);
	char *text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(doc);
	return text;
}

/* The publish request: {"notice_until"?, "reason"?}. */
static enum ct_status publish_args(struct request *req, struct publish_row *p, char until[ISOTIME_TEXT],
				   struct ct_err *err)
{
	static const char *const known[] = {"notice_until", "reason", NULL};
	const char *notice = NULL;
	enum ct_status rc = jin_body(req->body, known, err);
	if (rc == CT_OK)
		rc = jin_str(req->body, "notice_until", false, ISOTIME_INPUT_MAX, -1, &notice, err);
	if (rc == CT_OK)
		rc = jin_str(req->body, "reason", false, 500, -1, &p->reason, err);
	if (rc == CT_OK)
		rc = api_text_ok("reason", p->reason, false, err);
	int64_t at;
	if (rc == CT_OK && notice && (rc = time_arg("notice_until", notice, until, &at, err)) == CT_OK) {
		if (at <= (int64_t)time(NULL))
			return ct_fail(err, CT_INVALID, "notice_until: %s is not in the future", until);
		p->notice_until = until;
	}
	return rc;
}

void api_publish_post(struct request *req)
{
	struct ct_err err;
	ct_err_clear(&err);
	const char *event = req->param[0];
	struct publish_row p = {0};
	struct publication prev = {0};
	const struct computed *comp = NULL;
	const struct pubcontest *contest = NULL;
	char until[ISOTIME_TEXT], now[ISOTIME_TEXT], *doc = NULL, *unlock_reason = NULL;
	struct event_access acc;
	if (!api_event_role(req, WF_PUBLISH, &acc))
		return;
	enum ct_status rc = publish_args(req, &p, until, &err);
	if (rc == CT_OK)
		rc = workflow_step(acc.state, WF_PUBLISH, event, NULL, NULL, &err);
	if (rc == CT_OK)
		rc = pubcache_contest(req->app->pub, req->app->store, &contest, &err);
	if (rc == CT_OK)
		rc = results_get(req->app->results, req->app->store, event, &comp, &err);
	if (rc == CT_OK && (rc = store_publication_get(req->app->store, event, 0, &prev, &err)) == CT_NOT_FOUND)
		rc = CT_OK; /* the first version */
	if (rc == CT_OK && prev.version && !p.reason &&
	    (rc = store_correction_reason(req->app->store, event, prev.audit_seq, &unlock_reason, &err)) == CT_OK)
		p.reason = unlock_reason;
	if (rc == CT_OK) {
		isotime_format((int64_t)time(NULL), now);
		p.version = prev.version + 1;
		p.data_version = comp->data->version;
		p.published_at = now;
		doc = results_doc(comp, contest, &p, &prev);
		p.results = doc;
		p.results_len = strlen(doc);
		rc = store_publish(req->app->store, req->who.actor, event, &p, &err);
	}
	if (rc == CT_OK) {
		char key[96];
		pubcache_put(req->app->pub, pubcache_results_key(key, sizeof key, event, p.version), doc, p.results_len);
		char number[16];
		snprintf(number, sizeof number, "%u", p.version);
		pubcache_put(req->app->pub, pubcache_latest_key(key, sizeof key, event), number, strlen(number));
		api_public_changed(req->app);
	}
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
	} else {
		size_t n = strlen(contest->public_url);
		while (n > 0 && contest->public_url[n - 1] == '/')
			n--;
		char *page = n ? xasprintf("%.*s/results/%s", (int)n, contest->public_url, event) : NULL;
		http_reply_json(req, 200, json_pack("{s:s,s:s,s:I,s:s,s:o,s:o,s:o}", "event", event, "state",
						    event_state_name(EVENT_PUBLISHED), "version", (json_int_t)p.version,
						    "published_at", now, "notice_until", jin_opt_str(p.notice_until),
						    "reason", jin_opt_str(p.reason), "page", jin_opt_str(page)));
		free(page);
	}
	free(doc);
	free(unlock_reason);
	publication_clear(&prev);
}

/* ---- what the public reads ---- */

/* The public name of a published event's state: still published, final,
 * or being corrected (unlocked after publication: the latest version stays
 * public until the next one). */
static const char *public_state(enum event_state s)
{
	return s == EVENT_PUBLISHED ? "published" : s == EVENT_FINAL ? "final" : "correcting";
}

static enum ct_status events_doc(struct app *app, const struct pubdoc **out, struct ct_err *err)
{
	if ((*out = pubcache_get(app->pub, PUBCACHE_EVENTS)))
		return CT_OK;
	const struct pubcontest *contest;
	struct published_event *list = NULL;
	size_t n = 0;
	enum ct_status rc = pubcache_contest(app->pub, app->store, &contest, err);
	if (rc == CT_OK)
		rc = store_published_events(app->store, &list, &n, err);
	if (rc != CT_OK)
		return rc;
	json_t *events = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct published_event *e = &list[i];
		json_array_append_new(events, json_pack("{s:s,s:s,s:s,s:I,s:s,s:o,s:o}", "code", e->code, "name", e->name,
							"state", public_state(e->state), "version", (json_int_t)e->version,
							"published_at", e->published_at, "notice_until",
							jin_opt_str(e->notice_until), "finalized_at",
							jin_opt_str(e->finalized_at)));
	}
	published_events_free(list, n);
	json_t *doc = json_pack("{s:s,s:{s:s,s:s,s:s},s:o}", "format", EVENTS_FORMAT, "contest", "code", contest->code,
				"name", contest->name, "public_url", contest->public_url, "events", events);
	char *text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(doc);
	*out = pubcache_put(app->pub, PUBCACHE_EVENTS, text, strlen(text));
	free(text);
	return CT_OK;
}

void api_public_events_get(struct request *req)
{
	struct ct_err err;
	ct_err_clear(&err);
	const struct pubdoc *doc = NULL;
	enum ct_status rc = events_doc(req->app, &doc, &err);
	if (rc != CT_OK)
		http_reply_error(req, rc, &err);
	else
		api_reply_doc(req, doc);
}

/* Version (0: the latest) of event's published results: from memory, or
 * with one point query the first time. The public is told only that
 * there is no such published version, whatever the reason. */
static enum ct_status results_of(struct app *app, const char *event, unsigned version, const struct pubdoc **out,
				 struct ct_err *err)
{
	char key[96], latest[96];
	pubcache_latest_key(latest, sizeof latest, event);
	const struct pubdoc *number = version ? NULL : pubcache_get(app->pub, latest);
	if (number)
		version = (unsigned)strtoul(number->text, NULL, 10);
	if (version && (*out = pubcache_get(app->pub, pubcache_results_key(key, sizeof key, event, version))))
		return CT_OK;
	struct publication p;
	struct ct_err why;
	ct_err_clear(&why);
	enum ct_status rc = store_publication_get(app->store, event, version, &p, &why);
	if (rc == CT_NOT_FOUND)
		return version ? ct_fail(err, rc, "event %s has no published version %u", event, version)
			       : ct_fail(err, rc, "no published results for event %s", event);
	if (rc != CT_OK) {
		*err = why;
		return rc;
	}
	*out = pubcache_put(app->pub, pubcache_results_key(key, sizeof key, event, p.version), p.results,
			    p.results_len);
	if (!version) {
		char text[16];
		snprintf(text, sizeof text, "%u", p.version);
		pubcache_put(app->pub, latest, text, strlen(text));
	}
	publication_clear(&p);
	return CT_OK;
}

/* ?version=N (1..), or none. */
static enum ct_status version_arg(struct request *req, unsigned *version, struct ct_err *err)
{
	*version = 0;
	const char *query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req->ev));
	if (!query || !*query)
		return CT_OK;
	struct evkeyvalq q = {0};
	enum ct_status rc = CT_OK;
	if (evhttp_parse_query_str(query, &q) != 0)
		return ct_fail(err, CT_INVALID, "malformed query string");
	for (struct evkeyval *kv = q.tqh_first; rc == CT_OK && kv; kv = kv->next.tqe_next) {
		char *end = NULL;
		unsigned long v = strcmp(kv->key, "version") == 0 && kv->value[0] >= '1' && kv->value[0] <= '9'
					  ? strtoul(kv->value, &end, 10) : 0;
		if (strcmp(kv->key, "version") != 0)
			rc = ct_fail(err, CT_INVALID, "unknown query parameter \"%.64s\" (use version)", kv->key);
		else if (!end || *end || v > 1000000)
			rc = ct_fail(err, CT_INVALID, "version: expected a version number (1, 2, ...)");
		else
			*version = (unsigned)v;
	}
	evhttp_clear_headers(&q);
	return rc;
}

void api_public_results_get(struct request *req)
{
	struct ct_err err;
	ct_err_clear(&err);
	unsigned version;
	const struct pubdoc *doc = NULL;
	enum ct_status rc = version_arg(req, &version, &err);
	if (rc == CT_OK)
		rc = results_of(req->app, req->param[0], version, &doc, &err);
	if (rc != CT_OK)
		http_reply_error(req, rc, &err);
	else
		api_reply_doc(req, doc);
}

/* ---- appeals ---- */

static json_t *appeal_json(const struct appeal_info *a)
{
	return json_pack("{s:I,s:I,s:s,s:o,s:s,s:s,s:s,s:s,s:o,s:o,s:o}", "number", (json_int_t)a->number, "version",
			 (json_int_t)a->version, "appellant", a->appellant, "contestant", jin_opt_str(a->contestant),
			 "text", a->text, "received_at", a->received_at, "recorded_by", a->recorded_by, "status",
			 a->outcome ? a->outcome : "open", "resolution", jin_opt_str(a->resolution), "resolved_at",
			 jin_opt_str(a->resolved_at), "resolved_by", jin_opt_str(a->resolved_by));
}

void api_appeals_get(struct request *req)
{
	struct ct_err err;
	ct_err_clear(&err);
	struct appeal_info *list = NULL;
	size_t n = 0;
	enum ct_status rc = store_appeals_list(req->app->store, req->param[0], &list, &n, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	json_t *appeals = json_array();
	size_t open = 0;
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(appeals, appeal_json(&list[i]));
		open += list[i].outcome == NULL;
	}
	appeals_free(list, n);
	http_reply_json(req, 200, json_pack("{s:s,s:I,s:o}", "event", req->param[0], "open", (json_int_t)open,
					    "appeals", appeals));
}

void api_appeals_post(struct request *req)
{
	static const char *const known[] = {"appellant", "contestant", "text", "received_at", NULL};
	struct ct_err err;
	ct_err_clear(&err);
	struct appeal_new a = {0};
	const char *received = NULL;
	char received_utc[ISOTIME_TEXT];
	int64_t at, number = 0;
	enum ct_status rc = jin_body(req->body, known, &err);
	if (rc == CT_OK)
		rc = jin_str(req->body, "appellant", true, 200, -1, &a.appellant, &err);
	if (rc == CT_OK)
		rc = jin_str(req->body, "contestant", false, 64, -1, &a.contestant, &err);
	if (rc == CT_OK)
		rc = jin_str(req->body, "text", true, 4000, -1, &a.text, &err);
	if (rc == CT_OK)
		rc = jin_str(req->body, "received_at", false, ISOTIME_INPUT_MAX, -1, &received, &err);
	if (rc == CT_OK)
		rc = api_text_ok("appellant", a.appellant, false, &err);
	if (rc == CT_OK)
		rc = api_text_ok("text", a.text, true, &err);
	if (rc == CT_OK && received && (rc = time_arg("received_at", received, received_utc, &at, &err)) == CT_OK) {
		if (at > (int64_t)time(NULL) + 60)
			rc = ct_fail(&err, CT_INVALID, "received_at: %s is in the future", received_utc);
		a.received_at = received_utc;
	}
	if (rc == CT_OK)
		rc = store_appeal_add(req->app->store, req->who.actor, req->param[0], &a, &number, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	http_reply_json(req, 201, json_pack("{s:I,s:s,s:s}", "number", (json_int_t)number, "event", req->param[0],
					    "status", "open"));
}

void api_appeal_resolve_post(struct request *req)
{
	static const char *const known[] = {"outcome", "resolution", NULL};
	struct ct_err err;
	ct_err_clear(&err);
	const char *outcome = NULL, *resolution = NULL;
	char event[64] = "", *end = NULL;
	long long number = req->param[0][0] >= '1' && req->param[0][0] <= '9' ? strtoll(req->param[0], &end, 10) : 0;
	enum ct_status rc = !end || *end ? ct_fail(&err, CT_NOT_FOUND, "no appeal %.32s", req->param[0]) : CT_OK;
	if (rc == CT_OK)
		rc = jin_body(req->body, known, &err);
	if (rc == CT_OK)
		rc = jin_str(req->body, "outcome", true, 16, -1, &outcome, &err);
	if (rc == CT_OK && strcmp(outcome, "upheld") != 0 && strcmp(outcome, "rejected") != 0)
		rc = jin_bad(&err, -1, "outcome", "expected upheld or rejected, not \"%.16s\"", outcome);
	if (rc == CT_OK)
		rc = jin_str(req->body, "resolution", true, 2000, -1, &resolution, &err);
	if (rc == CT_OK)
		rc = api_text_ok("resolution", resolution, true, &err);
	if (rc == CT_OK)
		rc = store_appeal_resolve(req->app->store, req->who.actor, number, outcome, resolution, event, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	http_reply_json(req, 200, json_pack("{s:I,s:s,s:s,s:s}", "number", (json_int_t)number, "event", event, "status",
					    outcome, "resolution", resolution));
}
