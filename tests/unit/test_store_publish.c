/* Unit tests of publication, appeals and certificates in the contest
 * database (contestd/store_publish.c, store_cert.c), against a temporary
 * file so that a second connection can try what the store never does: a
 * locked event is published as version 1; the store refuses a stale or
 * skipped version and the database refuses to change a published one;
 * finalize waits for the notice period and open appeals and needs a public
 * URL, then issues certificates whose signatures verify with the contest's
 * public key and whose URLs carry their fields; revocation; the audit
 * trail replays all of it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>
#include <sqlite3.h>

#include "store.h"

#define EXPECT(want, call)                                                                         \
	do {                                                                                       \
		ct_err_clear(&err);                                                                \
		enum ct_status got_ = (call);                                                      \
		if (got_ != (want))                                                                \
			fail_msg("%s\n  returned %s (\"%s\"), want %s", #call, ct_status_code(got_), \
				 err.msg, ct_status_code(want));                                   \
	} while (0)

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct fx {
	struct store *st;
	char path[64];
	unsigned char pk[32];
};

static const struct event_row events[] = {{"WELD", "焊接", {5000, 5000, 0}, -1, "", 20}};
static const struct criterion_row criteria[] = {{"WELD", "A", "实操", -1, "A1", "焊缝", 10000, METHOD_MEAN}};
static const struct contestant_row contestants[] = {
	{"W01", "张伟", "第一技师学院", "WELD", "110101199001011234", NULL},
	{"W02", "梦之队", "第二技师学院", "WELD", NULL, "李娜;王芳"},
};
static const struct judge_row judges[] = {{"J01", "王建国", "市质检院", "x", "WELD", "judge"}};

/* A published document (what api_publish.c builds; the store keeps text). */
static const char DOC1[] = "{\"version\":1,\"results\":[]}";
static const char DOC2[] = "{\"version\":2,\"results\":[]}";

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct ct_err err;
	unsigned char sk[64];
	snprintf(f->path, sizeof f->path, "/tmp/test_store_publish_XXXXXX");
	int fd = mkstemp(f->path);
	assert_true(fd >= 0);
	close(fd);
	EXPECT(CT_OK, store_open(f->path, &f->st, &err));
	crypto_sign_keypair(f->pk, sk);
	EXPECT(CT_OK, store_contest_init(f->st, "CITY2026", "2026年市职业技能大赛", "https://results.example.org/", f->pk,
					 sk, "h", &err));
	EXPECT(CT_OK, store_events_add(f->st, "organizer:admin", events, COUNT(events), &err));
	EXPECT(CT_OK, store_criteria_add(f->st, "organizer:admin", criteria, COUNT(criteria), &err));
	EXPECT(CT_OK, store_contestants_add(f->st, "organizer:admin", contestants, COUNT(contestants), &err));
	EXPECT(CT_OK, store_judges_add(f->st, "organizer:admin", judges, COUNT(judges), &err));
	uint32_t n;
	EXPECT(CT_OK, store_event_draw(f->st, "organizer:admin", "WELD", &n, &err));
	const struct score_put scores[] = {
		{"WELD", "W01", "A1", 0, "J01", 9000},
		{"WELD", "W02", "A1", 0, "J01", 8000},
	};
	EXPECT(CT_OK, store_scores_import(f->st, "organizer:admin", scores, COUNT(scores), &err));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	store_close(f->st);
	static const char *const suffixes[] = {"", "-wal", "-shm"};
	for (size_t i = 0; i < COUNT(suffixes); i++) {
		char p[80];
		snprintf(p, sizeof p, "%s%s", f->path, suffixes[i]);
		unlink(p);
	}
	free(f);
	return 0;
}

static void lock(struct fx *f)
{
	struct ct_err err;
	struct wf_facts none = {0};
	EXPECT(CT_OK, store_event_transition(f->st, "organizer:admin", NULL, "WELD", WF_LOCK, &none, NULL, NULL, &err));
}

static int64_t data_version(struct fx *f)
{
	struct ct_err err;
	int64_t v = -1;
	EXPECT(CT_OK, store_event_version(f->st, "WELD", &v, &err));
	return v;
}

static void publish(struct fx *f, unsigned version, const char *doc, const char *notice, const char *reason)
{
	struct ct_err err;
	struct publish_row p = {version, data_version(f), doc, strlen(doc), "2026-05-20T09:00:00Z", notice, reason};
	EXPECT(CT_OK, store_publish(f->st, "organizer:admin", "WELD", &p, &err));
}

/* A statement on the file through a second connection: its SQLite code. */
static int raw_exec(struct fx *f, const char *sql)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

static void audit_ok(struct fx *f)
{
	struct ct_err err;
	struct audit_verdict v;
	EXPECT(CT_OK, store_audit_verify(f->st, NULL, &v, &err));
	if (!v.ok)
		fail_msg("audit verify: %s", v.problem);
}

static void test_publish_versions(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	struct publication p;
	struct publish_row row = {1, data_version(f), DOC1, strlen(DOC1), "2026-05-20T09:00:00Z", NULL, NULL};
	EXPECT(CT_CONFLICT, store_publish(f->st, "organizer:admin", "WELD", &row, &err)); /* drawn */
	assert_non_null(strstr(err.msg, "only locked results are published"));
	EXPECT(CT_NOT_FOUND, store_publication_get(f->st, "WELD", 0, &p, &err));
	assert_string_equal(err.msg, "event WELD has no published results");
	lock(f);
	row.data_version = data_version(f) - 1; /* computed before a change */
	EXPECT(CT_CONFLICT, store_publish(f->st, "organizer:admin", "WELD", &row, &err));
	assert_non_null(strstr(err.msg, "changed while they were being published"));
	row.data_version = data_version(f);
	row.version = 2; /* skips version 1 */
	EXPECT(CT_CONFLICT, store_publish(f->st, "organizer:admin", "WELD", &row, &err));
	publish(f, 1, DOC1, "2026-05-23T10:00:00Z", NULL);
	EXPECT(CT_OK, store_publication_get(f->st, "WELD", 0, &p, &err));
	assert_int_equal(p.version, 1);
	assert_string_equal(p.results, DOC1);
	assert_int_equal(p.results_len, strlen(DOC1));
	assert_string_equal(p.notice_until, "2026-05-23T10:00:00Z");
	assert_null(p.reason);
	int64_t seq1 = p.audit_seq;
	publication_clear(&p);

	/* a correction: the unlock's reason is found after the publication */
	struct wf_facts why = {.reason = "申诉成立"};
	EXPECT(CT_OK, store_event_transition(f->st, "organizer:admin", NULL, "WELD", WF_UNLOCK, &why, why.reason, NULL,
					     &err));
	char *reason = NULL;
	EXPECT(CT_OK, store_correction_reason(f->st, "WELD", seq1, &reason, &err));
	assert_string_equal(reason, "申诉成立");
	free(reason);
	lock(f);
	publish(f, 2, DOC2, NULL, "申诉成立");
	EXPECT(CT_OK, store_correction_reason(f->st, "WELD", seq1 + 1000, &reason, &err));
	assert_null(reason);
	EXPECT(CT_OK, store_publication_get(f->st, "WELD", 1, &p, &err));
	assert_string_equal(p.results, DOC1);
	publication_clear(&p);
	EXPECT(CT_NOT_FOUND, store_publication_get(f->st, "WELD", 3, &p, &err));
	assert_string_equal(err.msg, "event WELD has no published version 3");

	struct published_event *list = NULL;
	size_t n = 0;
	EXPECT(CT_OK, store_published_events(f->st, &list, &n, &err));
	assert_int_equal(n, 1);
	assert_string_equal(list[0].code, "WELD");
	assert_int_equal(list[0].version, 2);
	assert_int_equal(list[0].state, EVENT_PUBLISHED);
	published_events_free(list, n);

	/* the database refuses to change or remove a published version */
	assert_int_not_equal(raw_exec(f, "UPDATE publications SET results = '{}'"), SQLITE_OK);
	assert_int_not_equal(raw_exec(f, "DELETE FROM publications WHERE version = 1"), SQLITE_OK);
	EXPECT(CT_OK, store_publication_get(f->st, "WELD", 1, &p, &err));
	assert_string_equal(p.results, DOC1);
	publication_clear(&p);
	audit_ok(f);
}

/* The certificates of the published results: W01 alone, W02's two members. */
static const struct cert_issue winners[] = {
	{1, "张伟", "第一技师学院", NULL, 1, 1, 9000},
	{2, "李娜", "第二技师学院", "梦之队", 2, 2, 8000},
	{2, "王芳", "第二技师学院", "梦之队", 2, 2, 8000},
};

static int64_t latest_id(struct fx *f)
{
	struct ct_err err;
	struct publication p;
	EXPECT(CT_OK, store_publication_get(f->st, "WELD", 0, &p, &err));
	int64_t id = p.id;
	publication_clear(&p);
	return id;
}

static void test_finalize(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	int32_t day = cert_day_from_civil(2026, 5, 24);
	lock(f);
	publish(f, 1, DOC1, "2026-05-23T10:00:00Z", NULL);
	int64_t pub = latest_id(f);
	EXPECT(CT_CONFLICT, store_finalize(f->st, "organizer:admin", "WELD", pub, winners, COUNT(winners), day,
					   "2026-05-23T09:59:59Z", &err));
	assert_string_equal(err.msg, "event WELD cannot be finalized: its notice period runs until 2026-05-23T10:00:00Z");
	int64_t appeal = 0;
	const struct appeal_new a = {"张伟", "W01", "成绩有误", NULL};
	EXPECT(CT_OK, store_appeal_add(f->st, "organizer:admin", "WELD", &a, &appeal, &err));
	EXPECT(CT_CONFLICT, store_finalize(f->st, "organizer:admin", "WELD", pub, winners, COUNT(winners), day,
					   "2026-05-24T00:00:00Z", &err));
	assert_string_equal(err.msg, "event WELD cannot be finalized: 1 appeal is still open");
	char event[64];
	EXPECT(CT_OK, store_appeal_resolve(f->st, "organizer:admin", appeal, "rejected", "复核无误", event, &err));
	assert_string_equal(event, "WELD");
	EXPECT(CT_CONFLICT, store_appeal_resolve(f->st, "organizer:admin", appeal, "upheld", "再议", event, &err));
	EXPECT(CT_NOT_FOUND, store_appeal_resolve(f->st, "organizer:admin", appeal + 1, "upheld", "x", event, &err));
	/* a stale publication id: published again meanwhile */
	EXPECT(CT_CONFLICT, store_finalize(f->st, "organizer:admin", "WELD", pub - 1, winners, COUNT(winners), day,
					   "2026-05-24T00:00:00Z", &err));
	/* no public URL: nothing issued, still published */
	assert_int_equal(raw_exec(f, "UPDATE contest SET public_url = ''"), SQLITE_OK);
	EXPECT(CT_CONFLICT, store_finalize(f->st, "organizer:admin", "WELD", pub, winners, COUNT(winners), day,
					   "2026-05-24T00:00:00Z", &err));
	assert_non_null(strstr(err.msg, "has no public base URL"));
	struct cert_record *certs = NULL;
	size_t n = 9;
	EXPECT(CT_OK, store_certificates_list(f->st, "WELD", &certs, &n, &err));
	assert_int_equal(n, 0);
	free(certs);
	assert_int_equal(raw_exec(f, "UPDATE contest SET public_url = 'https://results.example.org/'"), SQLITE_OK);
	EXPECT(CT_OK, store_finalize(f->st, "organizer:admin", "WELD", pub, winners, COUNT(winners), day,
				     "2026-05-24T00:00:00Z", &err));
	EXPECT(CT_OK, store_certificates_list(f->st, "WELD", &certs, &n, &err));
	assert_int_equal(n, 3);
	struct cert_key key;
	EXPECT(CT_OK, cert_key_set(&key, f->pk, "CITY2026", &err));
	static const char *const holders[] = {"张伟", "李娜", "王芳"}; /* by award, rank, holder */
	for (size_t i = 0; i < n; i++) {
		const struct cert_record *r = &certs[i];
		assert_string_equal(r->cert.holder, holders[i]);
		assert_string_equal(r->cert.contest, "CITY2026");
		assert_string_equal(r->cert.event, "WELD");
		assert_int_equal(r->cert.issue_day, day);
		assert_int_equal(cert_verify(&r->cert, r->key_id, r->sig, &key, 1), CERT_GENUINE);
		assert_memory_equal(r->key_id, key.id, CERT_KEY_ID_BYTES);
		assert_int_equal(strncmp(r->url, "HTTPS://RESULTS.EXAMPLE.ORG/V/", 30), 0);
		struct cert_claim claim;
		EXPECT(CT_OK, cert_claim_decode(r->url, strlen(r->url), &claim, &err));
		assert_int_equal(cert_claim_verify(&claim, &key, 1), CERT_GENUINE);
		assert_true(cert_claim_matches(&claim, &r->cert));
		assert_string_equal(r->team, i == 0 ? "" : "梦之队");
	}
	struct cert_record one;
	EXPECT(CT_OK, store_certificate_get(f->st, certs[1].id, &one, &err));
	assert_string_equal(one.cert.holder, "李娜");
	EXPECT(CT_NOT_FOUND, store_certificate_get(f->st, "0000-0000-0000-0000-0", &one, &err));

	/* revocation */
	EXPECT(CT_OK, store_certificate_revoke(f->st, "organizer:admin", certs[2].id, "重复颁发", &one, &err));
	assert_string_equal(one.revoke_reason, "重复颁发");
	EXPECT(CT_CONFLICT, store_certificate_revoke(f->st, "organizer:admin", certs[2].id, "again", &one, &err));
	EXPECT(CT_NOT_FOUND, store_certificate_revoke(f->st, "organizer:admin", "0000-0000-0000-0000-0", "x", &one, &err));
	struct revocation *rev = NULL;
	EXPECT(CT_OK, store_revocations(f->st, &rev, &n, &err));
	assert_int_equal(n, 1);
	assert_string_equal(rev[0].id, certs[2].id);
	assert_string_equal(rev[0].reason, "重复颁发");
	revocations_free(rev, n);
	uint8_t sig[CERT_SIG_BYTES], kid[CERT_KEY_ID_BYTES];
	EXPECT(CT_OK, store_contest_sign(f->st, "text", 4, sig, kid, &err));
	assert_int_equal(crypto_sign_verify_detached(sig, (const unsigned char *)"text", 4, f->pk), 0);
	assert_memory_equal(kid, key.id, sizeof kid);
	free(certs);

	struct appeal_info *list = NULL;
	EXPECT(CT_OK, store_appeals_list(f->st, "WELD", &list, &n, &err));
	assert_int_equal(n, 1);
	assert_string_equal(list[0].appellant, "张伟");
	assert_string_equal(list[0].contestant, "W01");
	assert_string_equal(list[0].outcome, "rejected");
	appeals_free(list, n);
	audit_ok(f);
	/* a revocation undone behind the trail's back is found */
	assert_int_equal(raw_exec(f, "UPDATE certificates SET revoked_at = NULL, revoke_reason = NULL"), SQLITE_OK);
	struct audit_verdict v;
	EXPECT(CT_OK, store_audit_verify(f->st, NULL, &v, &err));
	assert_false(v.ok);
	assert_non_null(strstr(v.problem, "but the audit trail says revoked"));
}

static void test_appeals_need_publication(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	int64_t number = 0;
	const struct appeal_new a = {"张伟", NULL, "成绩有误", "2026-05-20T09:00:00Z"};
	EXPECT(CT_CONFLICT, store_appeal_add(f->st, "organizer:admin", "WELD", &a, &number, &err));
	assert_non_null(strstr(err.msg, "appeals are recorded against published results"));
	lock(f);
	publish(f, 1, DOC1, NULL, NULL);
	const struct appeal_new other = {"张伟", "X99", "成绩有误", NULL};
	EXPECT(CT_INVALID, store_appeal_add(f->st, "organizer:admin", "WELD", &other, &number, &err));
	assert_string_equal(err.msg, "contestant: event WELD has no contestant X99");
	EXPECT(CT_OK, store_appeal_add(f->st, "organizer:admin", "WELD", &a, &number, &err));
	assert_int_equal(number, 1);
	EXPECT(CT_NOT_FOUND, store_appeals_list(f->st, "NOPE", &(struct appeal_info *){NULL}, &(size_t){0}, &err));
	audit_ok(f);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_publish_versions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_finalize, setup, teardown),
		cmocka_unit_test_setup_teardown(test_appeals_need_publication, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
