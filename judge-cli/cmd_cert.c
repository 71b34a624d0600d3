/* `judge-cli certificates`, `verify`, `revoke` and `pubkey`: printable
 * certificates rendered here from the signed fields the server holds
 * (core/cert.c, core/qr.c, core/certdoc.c), verification of a QR payload
 * offline with the contest's public key (or online, by id), revocation, and
 * the public key itself. */
#include "cmd_cert.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "certdoc.h"
#include "csv.h"
#include "decimal.h"
#include "qr.h"
#include "xmalloc.h"

#define QR_PNG_PX 8      /* pixels a module of the QR code PNGs */

/* Member key of o as bytes from n_bytes * 2 hex digits. */
static bool hex_member(const json_t *o, const char *key, uint8_t *out, size_t n_bytes)
{
	const char *hex = json_str(o, key, NULL);
	size_t got = 0;
	return hex && strlen(hex) == 2 * n_bytes &&
	       sodium_hex2bin(out, n_bytes, hex, strlen(hex), NULL, &got, NULL) == 0 && got == n_bytes;
}

enum ct_status cmd_cert_decode(const json_t *o, struct cert *c, uint8_t key_id[CERT_KEY_ID_BYTES],
				  uint8_t sig[CERT_SIG_BYTES], struct ct_err *err)
{
	uint8_t id[CERT_ID_BYTES];
	int32_t day;
	int64_t total_c;
	const char *id_text = json_str(o, "id", "");
	const json_t *contest = json_object_get(o, "contest"), *event = json_object_get(o, "event");
	const char *total = json_str(o, "total", "");
	if (cert_id_parse(id_text, id) != CERT_ID_VALID || !cert_day_parse(json_str(o, "issue_date", ""), &day) ||
	    dec_parse(total, &total_c, NULL) != CT_OK || !hex_member(o, "key_id", key_id, CERT_KEY_ID_BYTES) ||
	    (sig && !hex_member(o, "signature", sig, CERT_SIG_BYTES)))
		return ct_fail(err, CT_INTERNAL, "the server's record of certificate %.40s is incomplete", id_text);
	struct ct_err why;
	if (cert_set(c, id, json_str(contest, "code", ""), json_str(event, "code", ""), json_str(o, "holder", ""),
		     json_str(o, "organization", ""), (unsigned)json_integer_value(json_object_get(o, "award")),
		     (uint32_t)json_integer_value(json_object_get(o, "rank")), total_c, day, &why) != CT_OK)
		return ct_fail(err, CT_INTERNAL, "the server's record of certificate %s: %s", id_text, why.msg);
	return CT_OK;
}

enum ct_status cmd_cert_key_decode(const json_t *o, struct cert_key *k, struct ct_err *err)
{
	uint8_t pk[CERT_PK_BYTES], id[CERT_KEY_ID_BYTES];
	if (!hex_member(o, "public_key", pk, sizeof pk) || !hex_member(o, "key_id", id, sizeof id) ||
	    strcmp(json_str(o, "algorithm", ""), "Ed25519") != 0)
		return ct_fail(err, CT_INVALID, "not a contest public key (format contest-key-1)");
	if (cert_key_set(k, pk, json_str(o, "contest", ""), err) != CT_OK)
		return CT_INVALID;
	if (memcmp(k->id, id, sizeof id) != 0)
		return ct_fail(err, CT_INVALID, "its key id does not belong to its public key");
	return CT_OK;
}

/* ---- certificates EVENT --out DIR ---- */

/* One certificate to render. */
struct job {
	struct cert cert;
	const char *id, *url, *event_name;
};

/* The URL of job j holds a payload that the contest key verifies and whose
 * fields are the certificate's: what its QR code will say is true. */
static enum ct_status job_check(const struct job *j, const struct cert_key *key, struct ct_err *err)
{
	struct cert_claim claim;
	if (cert_claim_decode(j->url, strlen(j->url), &claim, NULL) != CT_OK ||
	    cert_claim_verify(&claim, key, 1) != CERT_GENUINE || !cert_claim_matches(&claim, &j->cert))
		return ct_fail(err, CT_INTERNAL, "certificate %s does not verify with the contest's key: the "
			       "server's copy is damaged (judge-cli audit verify)", j->id);
	return CT_OK;
}

/* What the rendering threads share. */
struct render {
	struct job *jobs;
	size_t n, next;          /* next: the next job to take (under lock) */
	const char *dir, *contest_name, *hint;
	const struct cert_key *key;
	pthread_mutex_t lock;
	struct ct_err err;       /* the first failure */
	enum ct_status rc;
};

static void render_fail(struct render *r, const struct ct_err *err, enum ct_status rc)
{
	pthread_mutex_lock(&r->lock);
	if (r->rc == CT_OK) {
		r->rc = rc;
		r->err = *err;
	}
	r->next = r->n; /* the others stop */
	pthread_mutex_unlock(&r->lock);
}

/* The QR code PNG and the A4 SVG of one certificate, into the directory. */
static enum ct_status render_one(const struct render *r, const struct job *j, struct buf *png, struct buf *svg,
				 struct ct_err *err)
{
	struct qr q = { 0 };
	enum ct_status rc = job_check(j, r->key, err);
	if (rc == CT_OK)
		rc = qr_encode(j->url, strlen(j->url), CERT_QR_VERSION, &q, err);
	buf_reset(png);
	buf_reset(svg);
	if (rc == CT_OK)
		rc = qr_png(&q, QR_PNG_PX, png, err);
	if (rc == CT_OK) {
		struct certdoc d = { &j->cert, r->contest_name, j->event_name, r->hint, &q };
		certdoc_svg(&d, svg);
		char *path = xasprintf("%s/%s.qr.png", r->dir, j->id);
		rc = cli_write_file(path, png->data, png->len, err);
		free(path);
	}
	if (rc == CT_OK) {
		char *path = xasprintf("%s/%s.svg", r->dir, j->id);
		rc = cli_write_file(path, svg->data, svg->len, err);
		free(path);
	}
	qr_free(&q);
	return rc;
}

static void *render_worker(void *arg)
{
	struct render *r = arg;
	struct buf png = { 0 }, svg = { 0 };
	for (;;) {
		pthread_mutex_lock(&r->lock);
		size_t i = r->next < r->n ? r->next++ : r->n;
		pthread_mutex_unlock(&r->lock);
		if (i >= r->n)
			break;
		struct ct_err err;
		ct_err_clear(&err);
		enum ct_status rc = render_one(r, &r->jobs[i], &png, &svg, &err);
		if (rc != CT_OK)
			render_fail(r, &err, rc);
	}
	buf_free(&png);
	buf_free(&svg);
	return NULL;
}

/* Renders every job with one thread per processor (at most 8). */
static enum ct_status render_all(struct render *r, struct ct_err *err)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t n_threads = cpus < 1 ? 1 : cpus > 8 ? 8 : (size_t)cpus;
	pthread_t threads[8];
	size_t started = 0;
	pthread_mutex_init(&r->lock, NULL);
	for (; started < n_threads && started < r->n; started++)
		if (pthread_create(&threads[started], NULL, render_worker, r) != 0)
			break;
	if (started == 0)
		render_worker(r);
	for (size_t t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
	pthread_mutex_destroy(&r->lock);
	if (r->rc != CT_OK)
		*err = r->err;
	return r->rc;
}

/* awards.csv: the ceremony's list, in the server's order (award, rank). */
static enum ct_status write_awards(const char *dir, const json_t *certs, struct ct_err *err)
{
	static const char *const header[] = { "award", "rank", "name", "organization", "team", "total",
					      "certificate_id", "svg", "qr_png" };
	struct csv_writer w = { 0 };
	csv_write_row(&w, header, 9);
	const json_t *c;
	size_t i;
	json_array_foreach(certs, i, c) {
		if (json_is_string(json_object_get(c, "revoked_at")))
			continue;
		char rank[32], *svg = xasprintf("%s.svg", json_str(c, "id", "")),
			       *png = xasprintf("%s.qr.png", json_str(c, "id", ""));
		const char *row[9] = { json_str(c, "award_name", ""), json_text(c, "rank", "", rank),
				       json_str(c, "holder", ""), json_str(c, "organization", ""),
				       json_str(c, "team", ""), json_str(c, "total", ""), json_str(c, "id", ""), svg, png };
		csv_write_row(&w, row, 9);
		free(svg);
		free(png);
	}
	char *text = NULL, *path = xasprintf("%s/awards.csv", dir);
	size_t len = 0;
	enum ct_status rc = csv_encode(w.buf, w.len, CSV_OUT_UTF8_BOM, &text, &len, err);
	if (rc == CT_OK)
		rc = cli_write_file(path, text, len, err);
	free(text);
	free(path);
	free(w.buf);
	return rc;
}

/* The rendering jobs of the server's list (revoked certificates left out;
 * each is checked against the contest key as it is rendered). */
static enum ct_status certificate_jobs(const json_t *certs, struct job *jobs, size_t *n, struct ct_err *err)
{
	const json_t *c;
	size_t i;
	*n = 0;
	json_array_foreach(certs, i, c) {
		struct job *j = &jobs[*n];
		uint8_t key_id[CERT_KEY_ID_BYTES];
		enum ct_status rc = cmd_cert_decode(c, &j->cert, key_id, NULL, err);
		if (rc != CT_OK)
			return rc;
		j->id = json_str(c, "id", "");
		j->url = json_str(c, "url", "");
		j->event_name = json_str(json_object_get(c, "event"), "name", "");
		if (!json_is_string(json_object_get(c, "revoked_at")))
			(*n)++;
	}
	return CT_OK;
}

static enum ct_status cmd_certificates_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	static const char *const arrays[] = { "certificates", NULL };
	const char *dir = cmd_opt(a, "out");
	if (!dir || !*dir)
		return cli_usage(cli, err, "give --out DIR: the directory the certificates go to");
	struct reply r = { 0 };
	struct cert_key key;
	struct job *jobs = NULL;
	size_t n = 0;
	char *hint = NULL;
	enum ct_status rc = cli_event_call(cli, a, "GET", "/certificates", NULL, NULL, &r, err);
	const json_t *certs = json_object_get(r.json, "certificates"), *k = json_object_get(r.json, "key");
	if (rc == CT_OK && !json_is_array(certs))
		rc = cli_unexpected(err, arrays[0]);
	if (rc == CT_OK)
		rc = cmd_cert_key_decode(k, &key, err);
	if (rc == CT_OK && json_array_size(certs) == 0)
		rc = ct_fail(err, CT_CONFLICT, "event %s has no certificates: they are issued by judge-cli finalize %s",
			     a->argv[0], a->argv[0]);
	if (rc == CT_OK) {
		jobs = xcalloc(json_array_size(certs), sizeof *jobs);
		rc = certificate_jobs(certs, jobs, &n, err);
	}
	if (rc == CT_OK)
		rc = cli_make_dirs(dir, 0755, err);
	if (rc == CT_OK) {
		const char *url = json_str(k, "public_url", "");
		size_t len = strlen(url);
		while (len > 0 && url[len - 1] == '/')
			len--;
		hint = xasprintf("证书查询：%.*s/v （扫码或输入证书编号）", (int)len, url);
		struct render job = { .jobs = jobs, .n = n, .dir = dir, .contest_name = json_str(k, "contest_name", ""),
				      .hint = hint, .key = &key };
		rc = render_all(&job, err);
	}
	if (rc == CT_OK)
		rc = write_awards(dir, certs, err);
	if (rc == CT_OK) {
		size_t revoked = json_array_size(certs) - n;
		printf("wrote %zu certificate%s of %s to %s: ID.svg (A4) and ID.qr.png each, and awards.csv\n", n,
		       n == 1 ? "" : "s", a->argv[0], dir);
		if (revoked)
			printf("left out %zu revoked certificate%s\n", revoked, revoked == 1 ? "" : "s");
	}
	free(hint);
	free(jobs);
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_certificates_entry = {
	.name = "certificates",
	.args = "EVENT",
	.summary = "write an event's certificates: A4 SVG, QR code PNG, awards.csv (organizer)",
	.help = "For every certificate finalize issued (revoked ones left out): DIR/ID.svg,\n"
		"the printable A4 certificate with its QR code, and DIR/ID.qr.png, the QR code\n"
		"alone; DIR/awards.csv lists award, rank, name, organization, team, total,\n"
		"certificate id and the files (UTF-8 with a byte order mark, for Excel).\n"
		"Each certificate is checked against the contest's public key first.",
	.min_args = 1,
	.max_args = 1,
	.timeout_s = 600,
	.options = { { "out", "DIR", "the directory to write to (created if missing)" } },
	.run = cmd_certificates_run,
};
