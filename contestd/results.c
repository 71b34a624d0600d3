/* Cached scoring of events. */
#include "results.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

struct cached {
	char *event;
	int64_t version;
	struct computed comp;
	uint64_t used;            /* when last asked for, in asks */
	struct cached *next;
};

struct results_cache {
	struct cached *head;
	size_t max_values, values;/* the bound, and the values kept */
	uint64_t asks;
	uint64_t computed, hits;
};

struct results_cache *results_new(size_t max_values)
{
	struct results_cache *c = xcalloc(1, sizeof(struct results_cache));
	c->max_values = max_values;
	return c;
}

static void computed_clear(struct computed *c)
{
	event_data_free(c->data);
	result_free(c->res);
	free(c->panel);
	memset(c, 0, sizeof *c);
}

void results_free(struct results_cache *c)
{
	if (!c)
		return;
	for (struct cached *e = c->head, *next; e; e = next) {
		next = e->next;
		computed_clear(&e->comp);
		free(e->event);
		free(e);
	}
	free(c);
}

/* The engine's view of an event and what it was built from. */
struct engine_input {
	struct sheet sheet;
	uint32_t *panel;          /* panel[j] = index into d->judges of sheet judge j */
};

/* Builds the engine's view of the event: scoring judges only (chief judges
 * supervise and do not score; a withdrawn judge is no longer required and
 * the judge's values do not count). */
static void build_sheet(const struct event_data *d, bool with_values, struct engine_input *in)
{
	struct sheet_contestant *people = xcalloc(d->n_contestants, sizeof *people);
	struct sheet_judge *judges = xcalloc(d->n_judges, sizeof *judges);
	uint32_t *panel = xcalloc(d->n_judges, sizeof *panel);
	uint32_t *slot = xcalloc(d->n_judges, sizeof *slot);
	struct sheet_value *values = xcalloc(with_values ? d->n_values : 0, sizeof *values);

	for (uint32_t i = 0; i < d->n_contestants; i++)
		people[i] = (struct sheet_contestant){d->contestants[i].reg_id, d->contestants[i].status,
						      d->contestants[i].elapsed_s, d->contestants[i].org_id};
	uint32_t n_panel = 0;
	for (uint32_t j = 0; j < d->n_judges; j++) {
		slot[j] = UINT32_MAX;
		if (d->judges[j].chief || d->judges[j].withdrawn)
			continue;
		slot[j] = n_panel;
		panel[n_panel] = j;
		judges[n_panel++] = (struct sheet_judge){d->judges[j].org_id};
	}
	size_t n_values = 0;
	for (size_t v = 0; with_values && v < d->n_values; v++) {
		uint32_t j = slot[d->values[v].judge];
		if (j == UINT32_MAX)
			continue;
		values[n_values] = d->values[v];
		values[n_values++].judge = j;
	}
	free(slot);
	in->panel = panel;
	event_sheet(d, &in->sheet);
	in->sheet.contestants = people;
	in->sheet.n_contestants = d->n_contestants;
	in->sheet.judges = judges;
	in->sheet.n_judges = n_panel;
	in->sheet.values = values;
	in->sheet.n_values = n_values;
	in->sheet.accepts = d->accepts;
	in->sheet.n_accepts = d->n_accepts;
}

/* Frees what build_sheet made but the panel (kept by a computed result);
 * modules and criteria are the event data's own (event_sheet). */
static void free_sheet(struct engine_input *in)
{
	free((void *)in->sheet.contestants);
	free((void *)in->sheet.judges);
	free((void *)in->sheet.values);
}

static enum ct_status compute(struct event_data *d, struct computed *out, struct ct_err *err)
{
	struct engine_input in;
	build_sheet(d, true, &in);
	struct result *res = NULL;
	enum ct_status rc = score_event(&in.sheet, &res, err);
	if (rc == CT_INVALID)
		rc = CT_CONFLICT; /* the sheet is still being set up */
	uint32_t n_panel = in.sheet.n_judges;
	free_sheet(&in);
	if (rc != CT_OK) {
		free(in.panel);
		return rc;
	}
	out->data = d;
	out->res = res;
	out->panel = in.panel;
	out->n_panel = n_panel;
	return CT_OK;
}

enum ct_status results_judge_stats(const struct computed *comp, struct judge_stats **out, struct ct_err *err)
{
	struct engine_input in;
	build_sheet(comp->data, true, &in);
	enum ct_status rc = judge_stats_compute(&in.sheet, out, err);
	free_sheet(&in);
	free(in.panel);
	return rc;
}

enum ct_status results_progress(const struct computed *comp, struct progress **out, struct ct_err *err)
{
	struct engine_input in;
	build_sheet(comp->data, false, &in);
	enum ct_status rc = progress_compute(&in.sheet, comp->res, out, err);
	free_sheet(&in);
	free(in.panel);
	return rc;
}

/* Keeps the values of the computed events within the bound: the least
 * recently asked for go first, never keep. */
static void trim(struct results_cache *c, const struct cached *keep)
{
	while (c->values > c->max_values) {
		struct cached **oldest = NULL;
		for (struct cached **pp = &c->head; *pp; pp = &(*pp)->next)
			if (*pp != keep && (*pp)->comp.data && (!oldest || (*pp)->used < (*oldest)->used))
				oldest = pp;
		if (!oldest)
			return;
		struct cached *e = *oldest;
		*oldest = e->next;
		c->values -= e->comp.data->n_values;
		computed_clear(&e->comp);
		free(e->event);
		free(e);
	}
}

enum ct_status results_get(struct results_cache *c, struct store *st, const char *event,
			   const struct computed **out, struct ct_err *err)
{
	int64_t version;
	enum ct_status rc = store_event_version(st, event, &version, err);
	if (rc != CT_OK)
		return rc;
	c->asks++;
	struct cached *e = c->head;
	while (e && strcmp(e->event, event) != 0)
		e = e->next;
	if (e && e->comp.res && e->version == version) {
		c->hits++;
		e->used = c->asks;
		*out = &e->comp;
		return CT_OK;
	}
	struct event_data *d = NULL;
	rc = store_event_load(st, event, true, &d, err);
	if (rc != CT_OK)
		return rc;
	struct computed comp;
	rc = compute(d, &comp, err);
	if (rc != CT_OK) {
		event_data_free(d);
		return rc;
	}
	if (!e) {
		e = xcalloc(1, sizeof *e);
		e->event = xstrdup(event);
		e->next = c->head;
		c->head = e;
	}
	if (e->comp.data)
		c->values -= e->comp.data->n_values;
	computed_clear(&e->comp);
	e->comp = comp;
	e->version = d->version;
	e->used = c->asks;
	c->values += d->n_values;
	c->computed++;
	trim(c, e);
	*out = &e->comp;
	return CT_OK;
}

void results_stats(const struct results_cache *c, uint64_t *computed, uint64_t *hits)
{
	*computed = c->computed;
	*hits = c->hits;
}
