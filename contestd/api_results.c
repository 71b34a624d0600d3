/* Event results for the admin, from the cached scoring of the event,
 * encoded once per change of the event and kept (bodies.h). */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "bodies.h"
#include "decimal.h"
#include "jin.h"
#include "results.h"

const char *api_award_code(unsigned award)
{
	static const char *const names[] = {NULL, "first", "second", "third"};
	return award <= 3 ? names[award] : NULL;
}

json_t *api_modules_json(const struct event_data *d, const struct result *r)
{
	json_t *modules = json_array();
	for (uint32_t m = 0; m < d->n_modules; m++) {
		const struct ev_module *mod = &d->modules[m];
		json_array_append_new(modules, json_pack("{s:s,s:s,s:o,s:o}", "code", mod->code, "name", mod->name,
							 "weight", mod->weight >= 0 ? json_integer(mod->weight) : json_null(),
							 "max", jin_mark_json(r->module_max_c[m])));
	}
	return modules;
}

bool api_reply_kept(struct request *req, const char *key, const uint64_t v[2])
{
	struct body *b = bodies_get(req->app->bodies, key, v);
	if (!b)
		return false;
	if (b->etag[0] && http_etag_matches(req, b->etag))
		http_reply_not_modified(req, b->etag);
	else
		http_reply_body(req, NULL, b);
	return true;
}

void api_reply_keep(struct request *req, const char *key, const uint64_t v[2], const char *etag, json_t *body)
{
	char *text = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(body);
	if (!text) {
		struct ct_err err;
		ct_err_clear(&err);
		http_reply_error(req, ct_fail(&err, CT_INTERNAL, "could not encode the response"), &err);
		return;
	}
	api_reply_keep_text(req, key, v, etag, text, strlen(text));
	free(text);
}

void api_reply_keep_text(struct request *req, const char *key, const uint64_t v[2], const char *etag, const char *text,
			 size_t n)
{
	struct body *b = body_new(n + 1);
	memcpy(b->data, text, n);
	b->data[n] = '\n';
	if (etag)
		snprintf(b->etag, sizeof b->etag, "%s", etag);
	bodies_put(req->app->bodies, key, v, b);
	http_reply_body(req, NULL, b);
	body_unref(b);
}

json_t *api_module_scores_json(const struct event_data *d, const struct result *r, const struct result_entry *e)
{
	/* Only a competed contestant has scores: an absent one did not score
	 * 0, and a disqualified one's marks do not stand. */
	bool scored = d->contestants[e->contestant].status == ENTRY_COMPETED;
	json_t *mods = json_array();
	for (uint32_t m = 0; m < d->n_modules; m++)
		json_array_append_new(mods, scored ? jin_mark_json(r->module_c[(size_t)e->contestant * d->n_modules + m])
						   : json_null());
	return mods;
}

void api_results_get(struct request *req)
{
	struct ct_err err;
	ct_err_clear(&err);
	int64_t version = 0;
	char key[HTTP_PARAM_MAX + 32], etag[48];
	enum ct_status rc = store_event_version(req->app->store, req->param[0], &version, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	snprintf(key, sizeof key, "results/%s", req->param[0]);
	snprintf(etag, sizeof etag, "\"%lld.r\"", (long long)version);
	if (http_etag_matches(req, etag)) {
		http_reply_not_modified(req, etag);
		return;
	}
	uint64_t v[2] = {(uint64_t)version, 0};
	if (api_reply_kept(req, key, v))
		return;
	const struct computed *comp = NULL;
	rc = results_get(req->app->results, req->app->store, req->param[0], &comp, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	const struct event_data *d = comp->data;
	const struct result *r = comp->res;
	json_t *rows = json_array();
	for (uint32_t i = 0; i < d->n_contestants; i++) {
		const struct result_entry *e = &r->entries[i];
		const struct ev_contestant *c = &d->contestants[e->contestant];
		bool scored = c->status == ENTRY_COMPETED;
		json_t *mods = api_module_scores_json(d, r, e);
		const char *award = api_award_code(e->award);
		json_t *row = json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:b,s:o}", "reg_id", c->reg_id, "name", c->name,
					"organization", c->organization, "status", entry_status_name(c->status),
					"modules", mods, "total", scored ? jin_mark_json(e->total_c) : json_null(), "rank",
					e->rank ? json_integer(e->rank) : json_null(), "award",
					award ? json_string(award) : json_null(), "complete", e->complete, "members",
					c->members ? json_string(c->members) : json_null());
		json_array_append_new(rows, row);
	}
	json_t *body = json_pack("{s:s,s:s,s:s,s:I,s:[I,I,I],s:I,s:I,s:o,s:o}", "event", d->code, "name", d->name,
				 "state", d->state, "n_ranked", (json_int_t)r->n_ranked, "cutoffs",
				 (json_int_t)r->cutoff[0], (json_int_t)r->cutoff[1], (json_int_t)r->cutoff[2],
				 "n_incomplete", (json_int_t)r->n_incomplete, "n_open_discrepancies",
				 (json_int_t)r->n_open, "modules", api_modules_json(d, r), "results", rows);
	/* kept under the version it was computed at, which may be newer */
	v[0] = (uint64_t)d->version;
	snprintf(etag, sizeof etag, "\"%lld.r\"", (long long)d->version);
	api_reply_keep(req, key, v, etag, body);
}
