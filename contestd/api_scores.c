/* Scores: a judge's own submission (group committed on the writer thread,
 * idempotent) and paper sheets imported by an organizer. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "commit.h"
#include "decimal.h"
#include "jin.h"
#include "metrics.h"
#include "store.h"
#include "xmalloc.h"

/* Writes s as a JSON string (with its quotes) at out; returns the bytes
 * written (at most 6 * strlen(s) + 2). Codes and marks need no escaping,
 * but nothing here relies on it. */
static size_t json_string_at(char *out, const char *s)
{
	static const char hexd[] = "0123456789abcdef";
	size_t o = 0;
	out[o++] = '"';
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			out[o++] = '\\';
			out[o++] = (char)*p;
		} else if (*p < 0x20) {
			memcpy(out + o, "\\u00", 4);
			out[o + 4] = hexd[*p >> 4];
			out[o + 5] = hexd[*p & 15];
			o += 6;
		} else {
			out[o++] = (char)*p;
		}
	}
	out[o++] = '"';
	return o;
}

/* The answer of a stored submission (writer thread; no JSON tree for an
 * answer of 80 bytes): {"event","contestant","criterion","value","revision"}. */
static char *encode_ack(const struct commit_job *job, const struct score_ack *ack)
{
	char value[DEC_TEXT_MAX];
	dec_format(ack->value_c, value);
	const char *parts[] = {job->put.event, ack->contestant, job->put.criterion, value};
	static const char *const keys[] = {"{\"event\":", ",\"contestant\":", ",\"criterion\":", ",\"value\":"};
	size_t cap = 64;
	for (size_t i = 0; i < 4; i++)
		cap += strlen(keys[i]) + 6 * strlen(parts[i]) + 2;
	char *text = xmalloc(cap), *o = text;
	for (size_t i = 0; i < 4; i++) {
		size_t n = strlen(keys[i]);
		memcpy(o, keys[i], n);
		o += n;
		o += json_string_at(o, parts[i]);
	}
	snprintf(o, (size_t)(text + cap - o), ",\"revision\":%lld}", (long long)ack->revision);
	return text;
}

static bool key_ok(const char *key)
{
	size_t n = key ? strlen(key) : 0;
	if (n == 0 || n > 128)
		return false;
	for (const char *p = key; *p; p++)
		if (*p < 0x21 || *p > 0x7e)
			return false;
	return true;
}

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Loop thread: the submission's outcome, after its group's commit. */
static void submitted(struct commit_job *job)
{
	struct request *req = job->arg;
	struct app *app = req->app;
	metrics_observe(app->metrics, METRIC_SUBMIT_SECONDS, (double)(now_us() - req->start_us) / 1e6);
	if (job->rc == CT_OK && !job->replay)
		api_sheet_note(app, &job->ack, job->values_gen);
	if (job->rc != CT_OK)
		http_reply_error(req, job->rc, &job->err);
	else
		http_reply_text(req, job->replay ? job->status : job->ok_status, job->text, job->replay);
	commit_job_free(app->commit, job);
}

void api_scores_post(struct request *req)
{
	static const char *const known[] = {"contestant", "criterion", "value", NULL};
	struct ct_err err;
	ct_err_clear(&err);
	const char *key = evhttp_find_header(evhttp_request_get_input_headers(req->ev), "Idempotency-Key");
	const char *contestant = NULL, *criterion = NULL;
	int64_t value_c = -1;
	enum ct_status rc = CT_OK;
	if (!key_ok(key))
		rc = ct_fail(&err, CT_INVALID, "send an Idempotency-Key header: 1 to 128 printable characters, new for "
			     "each submission and the same for its retries");
	if (rc == CT_OK && !json_is_object(req->body))
		rc = ct_fail(&err, CT_INVALID, "the body must be a JSON object");
	if (rc == CT_OK)
		rc = jin_known(req->body, known, -1, &err);
	if (rc == CT_OK)
		rc = jin_code(req->body, "contestant", -1, &contestant, &err);
	if (rc == CT_OK)
		rc = jin_code(req->body, "criterion", -1, &criterion, &err);
	if (rc == CT_OK)
		rc = jin_mark(req->body, "value", true, -1, &value_c, &err);
	if (rc != CT_OK) {
		http_reply_error(req, rc, &err);
		return;
	}
	/* Every string is borrowed from req (its path, parsed body, headers and
	 * caller), which lives, unchanged, until the job is answered. */
	struct commit_job *job = commit_job_new(req->app->commit);
	job->actor = req->who.actor;
	job->idem_key = key;
	crypto_generichash(job->body_sum, sizeof job->body_sum, req->raw, req->raw_len,
			   (const unsigned char *)req->param[0], strlen(req->param[0]));
	job->put = (struct score_put){
		.event = req->param[0],
		.contestant = contestant,
		.criterion = criterion,
		.judge_id = req->who.judge_id,
		.value_c = value_c,
	};
	job->ok_status = 201;
	job->encode = encode_ack;
	job->done = submitted;
	job->arg = req;
	commit_submit(req->app->commit, job);
}

void api_scores_import_post(struct request *req)
{
	api_batch_submit(req, NULL, 201, "stored");
}
