/* A judge's own score sheet, read from the store without scoring the
 * event: modules with their max, criteria, and the contestants the judge
 * scores (competed, not recused) in workstation order with the judge's own
 * values and when the judge last entered one of them. Kept per (event,
 * judge) in memory: encoded once, answered without a copy, kept valid by
 * the generations of versions.h (another judge's scores do not touch it),
 * and brought up to date by the judge's own submissions without reading
 * the database again (api_sheet_note): one row is encoded again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "bodies.h"
#include "decimal.h"
#include "jin.h"
#include "versions.h"
#include "xmalloc.h"

struct row_id {
	int64_t id;               /* contestant id */
	uint32_t row;
};

struct kept {
	char *event;
	int64_t event_id, judge_id;
	uint64_t event_gen, judge_gen; /* versions.h, when the sheet was read or last brought up to date */
	char *head;               /* {"event":...,"criteria":[...],"contestants":[ */
	size_t head_len;
	uint32_t n_rows, n_crit;
	char **codes;             /* [row]: anonymous code */
	int64_t *workstation;     /* [row] */
	char (*updated)[32];      /* [row]: "" when never */
	int32_t *values;          /* [row * n_crit + k]: hundredths, -1 when not entered */
	char **text;              /* [row]: the encoded row, NULL to encode again */
	size_t *text_len;
	int64_t *crit_id;         /* [k] */
	char **crit_code;         /* [k] */
	struct row_id *by_id;     /* n_rows, by contestant id */
	struct body *body;        /* the whole answer (NULL before the first) */
	bool stale;               /* a row changed since body was made */
	size_t bytes;             /* about what this holds, for the bound */
	uint64_t used;            /* when last asked for, in asks */
	struct kept *next;
};

struct sheets {
	struct kept *head;
	size_t n, bytes, max_bytes;
	uint64_t asks, hits, builds;
};

struct sheets *api_sheets_new(size_t max_bytes)
{
	struct sheets *s = xcalloc(1, sizeof *s);
	s->max_bytes = max_bytes;
	return s;
}

static void kept_free(struct kept *k)
{
	for (uint32_t r = 0; r < k->n_rows; r++) {
		free(k->codes[r]);
		free(k->text[r]);
	}
	for (uint32_t c = 0; c < k->n_crit; c++)
		free(k->crit_code[c]);
	free(k->event);
	free(k->head);
	free(k->codes);
	free(k->workstation);
	free(k->updated);
	free(k->values);
	free(k->text);
	free(k->text_len);
	free(k->crit_id);
	free(k->crit_code);
	free(k->by_id);
	body_unref(k->body);
	free(k);
}

void api_sheets_free(struct sheets *s)
{
	if (!s)
		return;
	while (s->head) {
		struct kept *k = s->head;
		s->head = k->next;
		kept_free(k);
	}
	free(s);
}

void api_sheets_stats(const struct sheets *s, size_t *n, size_t *bytes, uint64_t *hits, uint64_t *builds)
{
	*n = s->n;
	*bytes = s->bytes;
	*hits = s->hits;
	*builds = s->builds;
}

static void unlink_kept(struct sheets *s, struct kept *k)
{
	for (struct kept **pp = &s->head; *pp; pp = &(*pp)->next) {
		if (*pp == k) {
			*pp = k->next;
			s->n--;
			s->bytes -= k->bytes;
			return;
		}
	}
}

/* Keeps the sheets within their bound: the least recently asked go. */
static void trim(struct sheets *s, const struct kept *keep)
{
	while (s->bytes > s->max_bytes) {
		struct kept *oldest = NULL;
		for (struct kept *k = s->head; k; k = k->next)
			if (k != keep && (!oldest || k->used < oldest->used))
				oldest = k;
		if (!oldest)
			return;
		unlink_kept(s, oldest);
		kept_free(oldest);
	}
}

static int cmp_row_id(const void *a, const void *b)
{
	const struct row_id *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

/* The head of the answer: everything before the contestants. */
static char *encode_head(const struct judge_sheet *sh, size_t *len)
{
	const struct event_data *d = sh->event;
	struct sheet sheet;
	event_sheet(d, &sheet);
	int64_t *max_c = xcalloc(d->n_modules ? d->n_modules : 1, sizeof *max_c);
	sheet_module_max(&sheet, max_c);
	json_t *modules = json_array();
	for (uint32_t m = 0; m < d->n_modules; m++)
		json_array_append_new(modules, json_pack("{s:s,s:s,s:o}", "code", d->modules[m].code, "name",
							 d->modules[m].name, "max", jin_mark_json(max_c[m])));
	free(max_c);
	json_t *crits = json_array();
	for (uint32_t k = 0; k < d->n_criteria; k++) {
		const struct ev_criterion *c = &d->criteria[k];
		json_array_append_new(crits, json_pack("{s:s,s:s,s:s,s:o,s:s}", "code", c->code, "module",
						       d->modules[c->module].code, "description", c->description, "max",
						       jin_mark_json(c->max_c), "method", method_name(c->method)));
	}
	json_t *head = json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:o}", "event", d->code, "name", d->name, "state", d->state,
				 "judge", sh->judge_code, "judge_name", sh->judge_name, "modules", modules, "criteria",
				 crits);
	char *text = json_dumps(head, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(head);
	if (!text)
		return NULL;
	/* "{...}" becomes "{...,"contestants":[" */
	size_t n = strlen(text);
	static const char tail[] = ",\"contestants\":[";
	char *out = xmalloc(n - 1 + sizeof tail);
	memcpy(out, text, n - 1);
	memcpy(out + n - 1, tail, sizeof tail);
	free(text);
	*len = n - 1 + sizeof tail - 1;
	return out;
}

/* Encodes row r: {"code","workstation","values":{criterion: mark},"updated"}. */
static void encode_row(struct kept *k, uint32_t r)
{
	size_t cap = 96 + strlen(k->codes[r]) * 6;
	for (uint32_t c = 0; c < k->n_crit; c++)
		cap += strlen(k->crit_code[c]) * 6 + 8 + DEC_TEXT_MAX;
	char *t = xmalloc(cap);
	json_t *code = json_string(k->codes[r]);
	char *code_text = json_dumps(code, JSON_ENCODE_ANY);
	json_decref(code);
	size_t o = (size_t)snprintf(t, cap, "{\"code\":%s,\"workstation\":%lld,\"values\":{", code_text ? code_text : "\"\"",
				    (long long)k->workstation[r]);
	free(code_text);
	bool first = true;
	for (uint32_t c = 0; c < k->n_crit; c++) {
		int32_t v = k->values[(size_t)r * k->n_crit + c];
		if (v < 0)
			continue;
		char mark[DEC_TEXT_MAX];
		/* criterion codes are [A-Za-z0-9._-] (jin_code): no escaping */
		o += (size_t)snprintf(t + o, cap - o, "%s\"%s\":\"%s\"", first ? "" : ",", k->crit_code[c],
				      dec_format(v, mark));
		first = false;
	}
	if (k->updated[r][0])
		o += (size_t)snprintf(t + o, cap - o, "},\"updated\":\"%s\"}", k->updated[r]);
	else
		o += (size_t)snprintf(t + o, cap - o, "},\"updated\":null}");
	free(k->text[r]);
	k->text[r] = t;
	k->text_len[r] = o;
}

/* The whole answer, from the head and the rows (encoding rows that
 * changed), into k's previous body when nobody is sending it any more. */
static struct body *assemble(struct app *app, struct kept *k)
{
	size_t len = k->head_len + 3;
	for (uint32_t r = 0; r < k->n_rows; r++) {
		if (!k->text[r])
			encode_row(k, r);
		len += k->text_len[r] + 1;
	}
	struct body *b = body_renew(k->body, len);
	k->body = NULL;
	char *o = b->data;
	memcpy(o, k->head, k->head_len);
	o += k->head_len;
	for (uint32_t r = 0; r < k->n_rows; r++) {
		if (r)
			*o++ = ',';
		memcpy(o, k->text[r], k->text_len[r]);
		o += k->text_len[r];
	}
	memcpy(o, "]}\n", 3);
	o += 3;
	b->len = (size_t)(o - b->data);
	snprintf(b->etag, sizeof b->etag, "\"s%s.%llu.%llu\"", app->epoch, (unsigned long long)k->event_gen,
		 (unsigned long long)k->judge_gen);
	return b;
}

/* Reads judge's sheet of event from the store into a new kept sheet, at
 * the generations read before it. */
static enum ct_status build(struct app *app, const char *event, int64_t event_id, int64_t judge_id, uint64_t event_gen,
			    uint64_t judge_gen, struct kept **out, struct ct_err *err)
{
	struct judge_sheet *sh = NULL;
	enum ct_status rc = store_judge_sheet(app->store, event, judge_id, &sh, err);
	if (rc != CT_OK)
		return rc;
	const struct event_data *d = sh->event;
	struct kept *k = xcalloc(1, sizeof *k);
	k->event = xstrdup(event);
	k->event_id = event_id;
	k->judge_id = judge_id;
	k->event_gen = event_gen;
	k->judge_gen = judge_gen;
	k->head = encode_head(sh, &k->head_len);
	if (!k->head) {
		judge_sheet_free(sh);
		kept_free(k);
		return ct_fail(err, CT_INTERNAL, "could not encode the sheet");
	}
	k->n_rows = sh->n_entries;
	k->n_crit = d->n_criteria;
	size_t rows = k->n_rows ? k->n_rows : 1, crit = k->n_crit ? k->n_crit : 1;
	k->codes = xcalloc(rows, sizeof *k->codes);
	k->workstation = xcalloc(rows, sizeof *k->workstation);
	k->updated = xcalloc(rows, sizeof *k->updated);
	k->values = xcalloc(rows * crit, sizeof *k->values);
	k->text = xcalloc(rows, sizeof *k->text);
	k->text_len = xcalloc(rows, sizeof *k->text_len);
	k->by_id = xcalloc(rows, sizeof *k->by_id);
	k->crit_id = xcalloc(crit, sizeof *k->crit_id);
	k->crit_code = xcalloc(crit, sizeof *k->crit_code);
	for (uint32_t c = 0; c < k->n_crit; c++) {
		k->crit_id[c] = d->criteria[c].id;
		k->crit_code[c] = xstrdup(d->criteria[c].code);
	}
	for (size_t i = 0; i < rows * crit; i++)
		k->values[i] = -1;
	for (uint32_t r = 0; r < k->n_rows; r++) {
		const struct sheet_entry *e = &sh->entries[r];
		k->codes[r] = xstrdup(e->code);
		k->workstation[r] = e->workstation;
		memcpy(k->updated[r], e->updated, sizeof k->updated[r]);
		k->by_id[r] = (struct row_id){e->id, r};
	}
	qsort(k->by_id, k->n_rows, sizeof *k->by_id, cmp_row_id);
	for (size_t m = 0; m < sh->n_marks; m++)
		k->values[(size_t)sh->marks[m].entry * k->n_crit + sh->marks[m].criterion] = (int32_t)sh->marks[m].value_c;
	judge_sheet_free(sh);
	k->bytes = sizeof *k + k->head_len + rows * (crit * sizeof(int32_t) + 64 + 32 + 24 * crit);
	*out = k;
	return CT_OK;
}

static struct kept *find(struct sheets *s, const char *event, int64_t judge_id)
{
	for (struct kept *k = s->head; k; k = k->next)
		if (k->judge_id == judge_id && strcmp(k->event, event) == 0)
			return k;
	return NULL;
}

void api_sheet_get(struct request *req)
{
	struct app *app = req->app;
	struct sheets *s = app->sheets;
	struct ct_err err;
	ct_err_clear(&err);
	const char *event = req->param[0];
	int64_t judge_id = req->who.judge_id;
	s->asks++;
	struct kept *k = find(s, event, judge_id);
	int64_t event_id = 0;
	uint64_t event_gen = 0, judge_gen = 0;
	enum ct_status rc = CT_OK;
	if (k)
		event_id = k->event_id;
	else
		rc = store_event_id(app->store, event, &event_id, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	/* the generations before the read: a change committed during it shows
	 * as a newer generation next time */
	versions_get(app->versions, event_id, judge_id, &event_gen, &judge_gen);
	if (k && (k->event_gen != event_gen || k->judge_gen != judge_gen)) {
		unlink_kept(s, k);
		kept_free(k);
		k = NULL;
	}
	if (!k) {
		rc = build(app, event, event_id, judge_id, event_gen, judge_gen, &k, &err);
		if (rc != CT_OK) {
			http_reply_error(req, rc, &err);
			return;
		}
		s->builds++;
		k->next = s->head;
		s->head = k;
		s->n++;
		s->bytes += k->bytes;
	} else {
		s->hits++;
	}
	k->used = s->asks;
	if (!k->body || k->stale) {
		k->body = assemble(app, k);
		k->stale = false;
	}
	trim(s, k);
	if (http_etag_matches(req, k->body->etag)) {
		http_reply_not_modified(req, k->body->etag);
		return;
	}
	http_reply_body(req, NULL, k->body);
}

void api_sheet_note(struct app *app, const struct score_ack *ack, uint64_t gen)
{
	struct sheets *s = app->sheets;
	for (struct kept *k = s->head; k; k = k->next) {
		if (k->event_id != ack->event_id || k->judge_id != ack->judge_id)
			continue;
		uint64_t event_gen, judge_gen;
		versions_get(app->versions, k->event_id, k->judge_id, &event_gen, &judge_gen);
		/* only a sheet read just before this commit (or at it) can take it
		 * in; any other is out of date and read again when asked for */
		if (k->event_gen != event_gen || (k->judge_gen != gen - 1 && k->judge_gen != gen))
			return;
		struct row_id key = {ack->contestant_id, 0};
		const struct row_id *hit = bsearch(&key, k->by_id, k->n_rows, sizeof *k->by_id, cmp_row_id);
		uint32_t c = 0;
		while (c < k->n_crit && k->crit_id[c] != ack->criterion_id)
			c++;
		if (!hit || c == k->n_crit) {
			k->judge_gen = 0; /* not on the sheet: read it again */
			return;
		}
		k->values[(size_t)hit->row * k->n_crit + c] = (int32_t)ack->value_c;
		if (strcmp(ack->at, k->updated[hit->row]) > 0)
			memcpy(k->updated[hit->row], ack->at, sizeof k->updated[hit->row]);
		free(k->text[hit->row]);
		k->text[hit->row] = NULL;
		k->stale = true;
		k->judge_gen = gen;
		return;
	}
}
