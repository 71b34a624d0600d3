/* Unit tests of the contest database (contestd/store.h) against ":memory:"
 * and, where a second connection must look at the file (schema version,
 * audit chain), against a temporary file: registration batches, the draw,
 * scoring rules, check-in, the workflow, the audit chain, idempotency
 * records and tokens. Every expectation is written out by hand. */
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

#include "audit.h"
#include "store.h"

/* Runs one store call with a cleared err and fails the test, showing the
 * store's own message, unless the call returns want. Needs a local err. */
#define EXPECT(want, call)                                                                         \
	do {                                                                                       \
		ct_err_clear(&err);                                                                \
		enum ct_status got_ = (call);                                                      \
		if (got_ != (want))                                                                \
			fail_msg("%s\n  returned %s (\"%s\"), want %s", #call, ct_status_code(got_), \
				 err.msg, ct_status_code(want));                                   \
	} while (0)

#define N_FX_CONTESTANTS 4

/* The standard little event and the store it lives in. */
struct fx {
	struct store *st;
	char path[64];                       /* temporary file; "" for :memory: */
	char codes[N_FX_CONTESTANTS][16];    /* anonymous codes of C01..C04 after the draw */
};

/* CNC: modules A (60 %, criteria A1 measurement, A2 mean) and B (40 %,
 * criterion B1 judgement); four contestants from three organizations; two
 * scoring judges and a chief, J01 from the same school as C03. WELD is a
 * second, empty event. */
static const struct event_row fx_events[] = {
	{"CNC", "数控铣", {1000, 2000, 3000}, -1, "module:B;time", 20},
	{"WELD", "焊接", {1500, 2500, 3000}, 6000, "", 15},
};

static const struct criterion_row fx_criteria[] = {
	{"CNC", "A", "铣削", 60, "A1", "尺寸精度", 1000, METHOD_MEASUREMENT},
	{"CNC", "A", "铣削", 60, "A2", "表面质量", 2000, METHOD_MEAN},
	{"CNC", "B", "工艺", 40, "B1", "工艺规范", 600, METHOD_JUDGEMENT},
};

static const struct contestant_row fx_contestants[N_FX_CONTESTANTS] = {
	{"C01", "张三", "第一中学", "CNC", "110101200001011234", NULL},
	{"C02", "李四", "第一中学", "CNC", NULL, NULL},
	{"C03", "王五", "第二中学", "CNC", NULL, NULL},
	{"C04", "赵六队", "第三中学", "CNC", NULL, "赵六;钱七"},
};

static const struct judge_row fx_judges[] = {
	{"J01", "周裁判", "第二中学", "x", "CNC", "judge"},
	{"J02", "吴裁判", "", "x", "CNC", "judge"},
	{"H01", "郑裁判长", "组委会", "x", "CNC", "chief"},
	{"J09", "孙裁判", "", "x", "WELD", "judge"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- helpers ---- */

static void tmp_db(char path[64])
{
	snprintf(path, 64, "%s", "/tmp/test_store_XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
}

static void tmp_db_remove(const char *path)
{
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < COUNT(suffixes); i++) {
		char p[80];
		snprintf(p, sizeof p, "%s%s", path, suffixes[i]);
		unlink(p);
	}
}

static void fx_register(struct fx *f)
{
	struct ct_err err;
	EXPECT(CT_OK, store_events_add(f->st, "admin", fx_events, COUNT(fx_events), &err));
	EXPECT(CT_OK, store_criteria_add(f->st, "admin", fx_criteria, COUNT(fx_criteria), &err));
	EXPECT(CT_OK, store_contestants_add(f->st, "admin", fx_contestants, COUNT(fx_contestants), &err));
	EXPECT(CT_OK, store_judges_add(f->st, "admin", fx_judges, COUNT(fx_judges), &err));
}

static struct event_data *load(struct fx *f, const char *event)
{
	struct ct_err err;
	struct event_data *d = NULL;
	EXPECT(CT_OK, store_event_load(f->st, event, true, &d, &err));
	assert_non_null(d);
	return d;
}

static const struct ev_contestant *contestant_of(const struct event_data *d, const char *reg_id)
{
	for (uint32_t i = 0; i < d->n_contestants; i++)
		if (strcmp(d->contestants[i].reg_id, reg_id) == 0)
			return &d->contestants[i];
	fail_msg("no contestant %s in event %s", reg_id, d->code);
	return NULL;
}

static void fx_draw(struct fx *f)
{
	struct ct_err err;
	uint32_t n = 0;
	EXPECT(CT_OK, store_event_draw(f->st, "admin", "CNC", &n, &err));
	assert_int_equal(n, N_FX_CONTESTANTS);
	struct event_data *d = load(f, "CNC");
	for (size_t i = 0; i < N_FX_CONTESTANTS; i++) {
		const struct ev_contestant *c = contestant_of(d, fx_contestants[i].reg_id);
		assert_non_null(c->code);
		snprintf(f->codes[i], sizeof f->codes[i], "%s", c->code);
	}
	event_data_free(d);
}

/* The anonymous code of one of the fixture's contestants ("C03"). */
static const char *code_of(const struct fx *f, const char *reg_id)
{
	for (size_t i = 0; i < N_FX_CONTESTANTS; i++)
		if (strcmp(fx_contestants[i].reg_id, reg_id) == 0)
			return f->codes[i];
	fail_msg("no fixture contestant %s", reg_id);
	return NULL;
}

static int64_t judge_id(struct fx *f, const char *code)
{
	struct ct_err err;
	struct judge_login jl;
	EXPECT(CT_OK, store_judge_login(f->st, code, &jl, &err));
	assert_string_equal(jl.code, code);
	return jl.id;
}

static int64_t version(struct fx *f, const char *event)
{
	struct ct_err err;
	int64_t v = -1;
	EXPECT(CT_OK, store_event_version(f->st, event, &v, &err));
	return v;
}

/* One score submission in its own transaction, as the group commit does:
 * committed when accepted, rolled back when refused. A judge submits with
 * its id; the admin (by_admin) names the judge by code. */
static enum ct_status put_as(struct fx *f, bool by_admin, const char *judge, const char *contestant,
			     const char *criterion, int64_t value_c, struct score_ack *ack, struct ct_err *err)
{
	struct score_put p = {
		.event = "CNC",
		.contestant = contestant,
		.criterion = criterion,
		.judge_id = by_admin ? 0 : judge_id(f, judge),
		.judge_code = by_admin ? judge : NULL,
		.value_c = value_c,
	};
	char actor[80];
	snprintf(actor, sizeof actor, "%s%s", by_admin ? "admin" : "judge:", by_admin ? "" : judge);
	struct score_ack scratch;
	ct_err_clear(err);
	enum ct_status rc = store_begin(f->st, err);
	if (rc != CT_OK)
		return rc;
	rc = store_score_put(f->st, actor, &p, ack ? ack : &scratch, err);
	if (rc == CT_OK)
		return store_commit(f->st, err);
	store_rollback(f->st);
	return rc;
}

static enum ct_status judge_put(struct fx *f, const char *judge, const char *contestant, const char *criterion,
				int64_t value_c, struct score_ack *ack, struct ct_err *err)
{
	return put_as(f, false, judge, contestant, criterion, value_c, ack, err);
}

/* The current value of (contestant, criterion, judge) in a loaded event,
 * or -1 when there is none. Fails if there is more than one. */
static int64_t value_in(const struct event_data *d, const char *reg_id, const char *criterion, const char *judge)
{
	int64_t v = -1;
	for (size_t i = 0; i < d->n_values; i++) {
		const struct sheet_value *x = &d->values[i];
		if (strcmp(d->contestants[x->contestant].reg_id, reg_id) == 0 &&
		    strcmp(d->criteria[x->criterion].code, criterion) == 0 &&
		    strcmp(d->judges[x->judge].code, judge) == 0) {
			if (v >= 0)
				fail_msg("two current values for %s/%s/%s", reg_id, criterion, judge);
			v = x->value_c;
		}
	}
	return v;
}

static void assert_at(const struct ct_err *err, long index, const char *field)
{
	if (err->index != index || strcmp(err->field, field) != 0)
		fail_msg("error at row %ld field \"%s\", want row %ld field \"%s\" (%s)", err->index, err->field,
			 index, field, err->msg);
}

static void assert_msg_has(const struct ct_err *err, const char *part)
{
	if (!strstr(err->msg, part))
		fail_msg("message \"%s\" does not mention \"%s\"", err->msg, part);
}

static size_t n_events(struct fx *f)
{
	struct ct_err err;
	struct event_summary *list = NULL;
	size_t n = 99;
	EXPECT(CT_OK, store_events_list(f->st, 0, &list, &n, &err));
	event_summaries_free(list, n);
	return n;
}

/* Reads the audit table through a second connection, recomputing the hash
 * chain from its first record. Returns the number of rows with the given
 * action (NULL: all rows); *broken is the seq of the first record whose
 * prev_hash or hash does not match, or -1 when the chain is whole. */
static int audit_scan(const char *path, const char *action, long long *broken)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT seq, at, actor, action, object, old_value, new_value, role, reason, "
					    "prev_hash, hash FROM audit ORDER BY seq",
					    -1, &s, NULL),
			 SQLITE_OK);
	unsigned char prev[AUDIT_HASH_BYTES] = {0};
	int n = 0, rc;
	*broken = -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *t[8];
		for (int i = 0; i < 8; i++)
			t[i] = (const char *)sqlite3_column_text(s, 1 + i);
		struct audit_record r = {t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7]};
		unsigned char want[AUDIT_HASH_BYTES];
		audit_hash(prev, &r, want);
		bool prev_ok = sqlite3_column_bytes(s, 9) == AUDIT_HASH_BYTES &&
			       memcmp(sqlite3_column_blob(s, 9), prev, AUDIT_HASH_BYTES) == 0;
		bool hash_ok = sqlite3_column_bytes(s, 10) == AUDIT_HASH_BYTES &&
			       memcmp(sqlite3_column_blob(s, 10), want, AUDIT_HASH_BYTES) == 0;
		if ((!prev_ok || !hash_ok) && *broken < 0)
			*broken = sqlite3_column_int64(s, 0);
		/* Chain on the stored hash, as a verifier does, so only the
		 * altered record itself is reported. */
		if (sqlite3_column_bytes(s, 10) == AUDIT_HASH_BYTES)
			memcpy(prev, sqlite3_column_blob(s, 10), AUDIT_HASH_BYTES);
		if (!action || strcmp(r.action, action) == 0)
			n++;
	}
	assert_int_equal(rc, SQLITE_DONE);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

/* Like audit_scan, and fails the test unless the chain is whole. */
static int audit_rows(const char *path, const char *action)
{
	long long broken;
	int n = audit_scan(path, action, &broken);
	if (broken >= 0)
		fail_msg("audit record %lld does not chain: its hash or prev_hash is wrong", broken);
	return n;
}

/* The last audit record's actor, action, object, old and new value, role
 * and reason joined with '|' ("-" for NULL), for comparing with a
 * hand-written expectation. */
static void audit_last(const char *path, char *buf, size_t len)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT actor, action, object, coalesce(old_value, '-'), "
					    "coalesce(new_value, '-'), coalesce(role, '-'), coalesce(reason, '-') "
					    "FROM audit ORDER BY seq DESC LIMIT 1",
					    -1, &s, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	snprintf(buf, len, "%s|%s|%s|%s|%s|%s|%s", sqlite3_column_text(s, 0), sqlite3_column_text(s, 1),
		 sqlite3_column_text(s, 2), sqlite3_column_text(s, 3), sqlite3_column_text(s, 4),
		 sqlite3_column_text(s, 5), sqlite3_column_text(s, 6));
	sqlite3_finalize(s);
	sqlite3_close(db);
}

/* ---- fixtures ---- */

static struct fx *fx_new(bool file)
{
	struct fx *f = calloc(1, sizeof *f);
	assert_non_null(f);
	struct ct_err err;
	if (file)
		tmp_db(f->path);
	EXPECT(CT_OK, store_open(file ? f->path : ":memory:", &f->st, &err));
	return f;
}

static int setup_empty(void **state)
{
	*state = fx_new(false);
	return 0;
}

static int setup_registered(void **state)
{
	struct fx *f = fx_new(false);
	fx_register(f);
	*state = f;
	return 0;
}

static int setup_drawn(void **state)
{
	struct fx *f = fx_new(false);
	fx_register(f);
	fx_draw(f);
	*state = f;
	return 0;
}

static int setup_file(void **state)
{
	*state = fx_new(true);
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	store_close(f->st);
	if (f->path[0])
		tmp_db_remove(f->path);
	free(f);
	return 0;
}

/* ---- opening ---- */

static void test_open_schema_latest(void **state)
{
	struct fx *f = *state;
	assert_true(store_schema_latest() >= 1);
	assert_int_equal(store_schema_version(f->st), store_schema_latest());
	bool exists = true;
	struct ct_err err;
	ct_err_clear(&err);
	assert_int_equal(store_contest_exists(f->st, &exists, &err), CT_OK);
	assert_false(exists);
	assert_int_equal(n_events(f), 0);
}

static void test_open_reopen_keeps_data(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	fx_register(f);
	store_close(f->st);
	f->st = NULL;
	EXPECT(CT_OK, store_open(f->path, &f->st, &err));
	assert_int_equal(store_schema_version(f->st), store_schema_latest());
	assert_int_equal(n_events(f), 2);
	struct event_data *d = load(f, "CNC");
	assert_int_equal(d->n_contestants, 4);
	event_data_free(d);
}

static void test_open_refuses_newer_schema(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	store_close(f->st);
	f->st = NULL;

	sqlite3 *db = NULL;
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", store_schema_latest() + 1);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	struct store *st = NULL;
	EXPECT(CT_CONFLICT, store_open(f->path, &st, &err));
	assert_null(st);
	assert_msg_has(&err, "newer");

	/* Refusing it left it alone: still the newer version. */
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), store_schema_latest() + 1);
	sqlite3_finalize(s);
	sqlite3_close(db);
}

static void test_open_refuses_non_database(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	store_close(f->st);
	f->st = NULL;
	FILE *fp = fopen(f->path, "wb");
	assert_non_null(fp);
	for (int i = 0; i < 64; i++)
		fputs("score,sheet,not,a,database\n", fp);
	fclose(fp);
	struct store *st = NULL;
	ct_err_clear(&err);
	enum ct_status rc = store_open(f->path, &st, &err);
	assert_int_not_equal(rc, CT_OK);
	assert_null(st);
	assert_msg_has(&err, "not a database");

	ct_err_clear(&err);
	rc = store_open("/nonexistent-dir/contest.db", &st, &err);
	assert_int_not_equal(rc, CT_OK);
	assert_null(st);
	assert_msg_has(&err, "/nonexistent-dir/contest.db");
}

/* ---- contest and credentials ---- */

static void test_contest_init_get(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	unsigned char pk[32], sk[64];
	for (int i = 0; i < 32; i++)
		pk[i] = (unsigned char)(0xA0 + i);
	memset(sk, 0x5A, sizeof sk);

	struct contest_info info;
	EXPECT(CT_NOT_FOUND, store_contest_get(f->st, &info, &err));
	bool exists = true;
	EXPECT(CT_OK, store_contest_exists(f->st, &exists, &err));
	assert_false(exists);
	EXPECT(CT_OK, store_contest_init(f->st, "2026-SZ", "2026年深圳市职业技能大赛", "https://contest.example.cn",
					 pk, sk, "$argon2id$v=19$fake", &err));
	EXPECT(CT_OK, store_contest_exists(f->st, &exists, &err));
	assert_true(exists);

	memset(&info, 0, sizeof info);
	EXPECT(CT_OK, store_contest_get(f->st, &info, &err));
	assert_string_equal(info.code, "2026-SZ");
	assert_string_equal(info.name, "2026年深圳市职业技能大赛");
	assert_string_equal(info.public_url, "https://contest.example.cn");
	assert_memory_equal(info.sign_pk, pk, 32);

	/* The secret hash is the first organizer account's, "admin". */
	struct organizer_login o;
	EXPECT(CT_OK, store_organizer_login(f->st, "admin", &o, &err));
	assert_string_equal(o.secret_hash, "$argon2id$v=19$fake");
	assert_string_equal(o.name, "admin");
	assert_false(o.disabled);
	EXPECT(CT_NOT_FOUND, store_organizer_login(f->st, "Admin", &o, &err));

	/* One database holds one contest. */
	EXPECT(CT_CONFLICT, store_contest_init(f->st, "OTHER", "另一个", "https://x.example", pk, sk, "h", &err));
	EXPECT(CT_OK, store_contest_get(f->st, &info, &err));
	assert_string_equal(info.code, "2026-SZ");
}

/* ---- registration ---- */

static void test_events_add_batch(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	EXPECT(CT_OK, store_events_add(f->st, "admin", fx_events, COUNT(fx_events), &err));

	struct event_summary *list = NULL;
	size_t n = 0;
	EXPECT(CT_OK, store_events_list(f->st, 0, &list, &n, &err));
	assert_int_equal(n, 2);
	assert_string_equal(list[0].code, "CNC");
	assert_string_equal(list[0].name, "数控铣");
	assert_string_equal(list[0].state, "setup");
	assert_null(list[0].role);
	assert_int_equal(list[0].contestants, 0);
	assert_string_equal(list[1].code, "WELD");
	event_summaries_free(list, n);

	struct event_data *d = load(f, "WELD");
	assert_string_equal(d->name, "焊接");
	assert_int_equal(d->ratio_c[0], 1500);
	assert_int_equal(d->ratio_c[1], 2500);
	assert_int_equal(d->ratio_c[2], 3000);
	assert_int_equal(d->min_award_c, 6000);
	assert_int_equal(d->discrepancy_pct, 15);
	assert_string_equal(d->tiebreak, "");
	assert_null(d->drawn_at);
	event_data_free(d);
	d = load(f, "CNC");
	assert_int_equal(d->min_award_c, -1);
	assert_string_equal(d->tiebreak, "module:B;time");
	event_data_free(d);

	struct event_data *none = NULL;
	EXPECT(CT_NOT_FOUND, store_event_load(f->st, "NOPE", true, &none, &err));
	assert_null(none);
}

static void test_events_add_duplicate_stores_nothing(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	const struct event_row rows[] = {
		{"E1", "一", {1000, 2000, 3000}, -1, "", 20},
		{"E2", "二", {1000, 2000, 3000}, -1, "", 20},
		{"E1", "一again", {1000, 2000, 3000}, -1, "", 20},
	};
	EXPECT(CT_CONFLICT, store_events_add(f->st, "admin", rows, COUNT(rows), &err));
	assert_at(&err, 2, "code");
	assert_msg_has(&err, "E1");
	assert_int_equal(n_events(f), 0);

	/* A code that exists from an earlier batch is refused the same way. */
	EXPECT(CT_OK, store_events_add(f->st, "admin", rows, 1, &err));
	EXPECT(CT_CONFLICT, store_events_add(f->st, "admin", rows + 1, 2, &err));
	assert_at(&err, 1, "code");
	assert_int_equal(n_events(f), 1);
}

static void test_criteria_modules_in_order(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	EXPECT(CT_OK, store_events_add(f->st, "admin", fx_events, 1, &err));
	/* Rows interleave the modules; the sheet reads module by module. */
	const struct criterion_row rows[] = {
		{"CNC", "A", "铣削", -1, "A1", "尺寸", 1000, METHOD_MEASUREMENT},
		{"CNC", "B", "工艺", -1, "B1", "规范", 300, METHOD_JUDGEMENT},
		{"CNC", "A", "", -1, "A2", "表面", 2050, METHOD_TRIMMED},
		{"CNC", "C", "安全", -1, "C1", "安全扣分", 500, METHOD_DEDUCTION},
		{"CNC", "C", "", -1, "C2", "安全操作", 700, METHOD_MEAN},
	};
	EXPECT(CT_OK, store_criteria_add(f->st, "admin", rows, COUNT(rows), &err));
	struct event_data *d = load(f, "CNC");
	assert_int_equal(d->n_modules, 3);
	assert_string_equal(d->modules[0].code, "A");
	assert_string_equal(d->modules[0].name, "铣削");
	assert_int_equal(d->modules[0].weight, -1);
	assert_string_equal(d->modules[1].code, "B");
	assert_string_equal(d->modules[2].code, "C");
	assert_int_equal(d->n_criteria, 5);
	static const char *const want_code[] = {"A1", "A2", "B1", "C1", "C2"};
	static const uint32_t want_module[] = {0, 0, 1, 2, 2};
	static const int32_t want_max[] = {1000, 2050, 300, 500, 700};
	static const enum method want_method[] = {METHOD_MEASUREMENT, METHOD_TRIMMED, METHOD_JUDGEMENT,
						  METHOD_DEDUCTION, METHOD_MEAN};
	for (uint32_t i = 0; i < 5; i++) {
		assert_string_equal(d->criteria[i].code, want_code[i]);
		assert_int_equal(d->criteria[i].module, want_module[i]);
		assert_int_equal(d->criteria[i].max_c, want_max[i]);
		assert_int_equal(d->criteria[i].method, want_method[i]);
	}
	assert_string_equal(d->criteria[1].description, "表面");
	event_data_free(d);
}

static void test_criteria_weights_kept(void **state)
{
	struct fx *f = *state;
	struct event_data *d = load(f, "CNC");
	assert_int_equal(d->n_modules, 2);
	assert_int_equal(d->modules[0].weight, 60);
	assert_int_equal(d->modules[1].weight, 40);
	event_data_free(d);
}

static void test_criteria_module_name_mismatch(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	const struct criterion_row rows[] = {
		{"CNC", "B", "工艺", 40, "B2", "另一项", 300, METHOD_MEAN},
		{"CNC", "A", "车削", 60, "A3", "名字不同", 500, METHOD_MEAN},
	};
	EXPECT(CT_INVALID, store_criteria_add(f->st, "admin", rows, COUNT(rows), &err));
	assert_at(&err, 1, "module_name");
	assert_msg_has(&err, "铣削");

	/* A new module needs a name. */
	const struct criterion_row unnamed[] = {{"CNC", "Z", "", 0, "Z1", "无名", 300, METHOD_MEAN}};
	EXPECT(CT_INVALID, store_criteria_add(f->st, "admin", unnamed, 1, &err));
	assert_at(&err, 0, "module_name");

	/* A repeated module with a different weight. */
	const struct criterion_row reweighed[] = {{"CNC", "A", "铣削", 50, "A3", "权重不同", 300, METHOD_MEAN}};
	EXPECT(CT_INVALID, store_criteria_add(f->st, "admin", reweighed, 1, &err));
	assert_at(&err, 0, "module_weight");

	struct event_data *d = load(f, "CNC");
	assert_int_equal(d->n_criteria, 3); /* B2 of the first batch was not kept */
	assert_int_equal(d->n_modules, 2);
	event_data_free(d);
}

static void test_criteria_mixed_weights(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	const struct event_row ev[] = {{"E", "混合", {1000, 2000, 3000}, -1, "", 20}};
	EXPECT(CT_OK, store_events_add(f->st, "admin", ev, 1, &err));
	const struct criterion_row rows[] = {
		{"E", "A", "甲", 50, "A1", "有权重", 1000, METHOD_MEAN},
		{"E", "B", "乙", -1, "B1", "无权重", 1000, METHOD_MEAN},
	};
	EXPECT(CT_INVALID, store_criteria_add(f->st, "admin", rows, COUNT(rows), &err));
	assert_at(&err, 1, "module_weight");

	/* The other way round as well. */
	const struct criterion_row rows2[] = {
		{"E", "A", "甲", -1, "A1", "无权重", 1000, METHOD_MEAN},
		{"E", "B", "乙", 50, "B1", "有权重", 1000, METHOD_MEAN},
	};
	EXPECT(CT_INVALID, store_criteria_add(f->st, "admin", rows2, COUNT(rows2), &err));
	assert_at(&err, 1, "module_weight");

	/* Weights over 100 are refused as they come in. */
	const struct criterion_row rows3[] = {
		{"E", "A", "甲", 70, "A1", "七十", 1000, METHOD_MEAN},
		{"E", "B", "乙", 40, "B1", "四十", 1000, METHOD_MEAN},
	};
	EXPECT(CT_INVALID, store_criteria_add(f->st, "admin", rows3, COUNT(rows3), &err));
	assert_at(&err, 1, "module_weight");

	struct event_data *d = load(f, "E");
	assert_int_equal(d->n_modules, 0);
	assert_int_equal(d->n_criteria, 0);
	event_data_free(d);
}

static void test_criteria_unknown_event(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	const struct criterion_row rows[] = {
		{"CNC", "B", "工艺", 40, "B2", "好的", 300, METHOD_MEAN},
		{"LATHE", "A", "车削", 100, "A1", "没有这个赛项", 500, METHOD_MEAN},
	};
	EXPECT(CT_INVALID, store_criteria_add(f->st, "admin", rows, COUNT(rows), &err));
	assert_at(&err, 1, "event");
	assert_msg_has(&err, "LATHE");
	struct event_data *d = load(f, "CNC");
	assert_int_equal(d->n_criteria, 3);
	event_data_free(d);
}

static void test_criteria_after_draw(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	const struct criterion_row rows[] = {{"CNC", "B", "工艺", 40, "B2", "太晚", 300, METHOD_MEAN}};
	EXPECT(CT_CONFLICT, store_criteria_add(f->st, "admin", rows, 1, &err));
	assert_at(&err, 0, "event");
	assert_msg_has(&err, "drawn");
	const struct contestant_row late[] = {{"C05", "迟到", "", "CNC", NULL, NULL}};
	EXPECT(CT_CONFLICT, store_contestants_add(f->st, "admin", late, 1, &err));
	struct event_data *d = load(f, "CNC");
	assert_int_equal(d->n_criteria, 3);
	assert_int_equal(d->n_contestants, 4);
	event_data_free(d);
}

static void test_contestants_add(void **state)
{
	struct fx *f = *state;
	struct event_data *d = load(f, "CNC");
	assert_int_equal(d->n_contestants, 4);
	const struct ev_contestant *c = contestant_of(d, "C01");
	assert_string_equal(c->name, "张三");
	assert_string_equal(c->organization, "第一中学");
	assert_int_equal(c->status, ENTRY_REGISTERED);
	assert_int_equal(c->elapsed_s, -1);
	assert_int_equal(c->workstation, 0);
	assert_null(c->code);
	assert_null(c->members);
	assert_string_equal(c->id_number, "110101200001011234");
	/* C01 and C02 share a school; C03 and C04 do not. */
	assert_int_equal(contestant_of(d, "C02")->org_id, c->org_id);
	assert_int_not_equal(contestant_of(d, "C03")->org_id, c->org_id);
	assert_int_not_equal(contestant_of(d, "C04")->org_id, contestant_of(d, "C03")->org_id);
	assert_string_equal(contestant_of(d, "C04")->members, "赵六;钱七");
	/* J01 is recused from C03: same organization. */
	assert_string_equal(d->judges[1].code, "J01");
	assert_int_equal(d->judges[1].org_id, contestant_of(d, "C03")->org_id);
	event_data_free(d);
}

static void test_contestants_duplicate_reg_id(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	const struct contestant_row rows[] = {
		{"C05", "孙八", "第四中学", "CNC", NULL, NULL},
		{"C06", "周九", "", "WELD", NULL, NULL},
		{"C01", "重名", "", "CNC", NULL, NULL},
	};
	EXPECT(CT_CONFLICT, store_contestants_add(f->st, "admin", rows, COUNT(rows), &err));
	assert_at(&err, 2, "reg_id");
	assert_msg_has(&err, "C01");
	struct event_data *d = load(f, "CNC");
	assert_int_equal(d->n_contestants, 4);
	event_data_free(d);
	d = load(f, "WELD");
	assert_int_equal(d->n_contestants, 0);
	event_data_free(d);

	/* Registration ids are unique across the whole contest. */
	const struct contestant_row other[] = {{"C02", "另一赛项", "", "WELD", NULL, NULL}};
	EXPECT(CT_CONFLICT, store_contestants_add(f->st, "admin", other, 1, &err));
	assert_at(&err, 0, "reg_id");

	const struct contestant_row unknown[] = {{"C07", "无赛项", "", "LATHE", NULL, NULL}};
	EXPECT(CT_INVALID, store_contestants_add(f->st, "admin", unknown, 1, &err));
	assert_at(&err, 0, "event");
}

static void test_judges_add(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	struct event_data *d = load(f, "CNC");
	/* By code: H01, J01, J02; the chief is marked. J09 judges WELD only. */
	assert_int_equal(d->n_judges, 3);
	assert_string_equal(d->judges[0].code, "H01");
	assert_true(d->judges[0].chief);
	assert_string_equal(d->judges[2].code, "J02");
	assert_false(d->judges[2].chief);
	assert_int_equal(d->judges[2].org_id, 0);
	event_data_free(d);

	/* The same judge in a second event, same name: one more assignment. */
	const struct judge_row more[] = {{"J02", "吴裁判", "", NULL, "WELD", "chief"}};
	EXPECT(CT_OK, store_judges_add(f->st, "admin", more, 1, &err));
	struct event_summary *list = NULL;
	size_t n = 0;
	EXPECT(CT_OK, store_events_list(f->st, judge_id(f, "J02"), &list, &n, &err));
	assert_int_equal(n, 2);
	assert_string_equal(list[0].code, "CNC");
	assert_string_equal(list[0].role, "judge");
	assert_int_equal(list[0].contestants, 4);
	assert_string_equal(list[1].code, "WELD");
	assert_string_equal(list[1].role, "chief");
	event_summaries_free(list, n);
	EXPECT(CT_OK, store_events_list(f->st, judge_id(f, "J09"), &list, &n, &err));
	assert_int_equal(n, 1);
	assert_string_equal(list[0].code, "WELD");
	event_summaries_free(list, n);
}

static void test_judges_conflicting_rows(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	const struct judge_row renamed[] = {
		{"J08", "新裁判", "", "x", "WELD", "judge"},
		{"J01", "周某某", "第二中学", "x", "WELD", "judge"},
	};
	EXPECT(CT_INVALID, store_judges_add(f->st, "admin", renamed, COUNT(renamed), &err));
	assert_at(&err, 1, "name");
	assert_msg_has(&err, "周裁判");
	/* J08 of the refused batch was not kept. */
	struct judge_login jl;
	EXPECT(CT_NOT_FOUND, store_judge_login(f->st, "J08", &jl, &err));

	const struct judge_row moved[] = {{"J01", "周裁判", "第三中学", "x", "WELD", "judge"}};
	EXPECT(CT_INVALID, store_judges_add(f->st, "admin", moved, 1, &err));
	assert_at(&err, 0, "organization");

	const struct judge_row twice[] = {{"J01", "周裁判", "第二中学", "x", "CNC", "chief"}};
	EXPECT(CT_CONFLICT, store_judges_add(f->st, "admin", twice, 1, &err));
	assert_at(&err, 0, "event");

	const struct judge_row nopin[] = {{"J07", "没有密码", "", NULL, "CNC", "judge"}};
	EXPECT(CT_INVALID, store_judges_add(f->st, "admin", nopin, 1, &err));
	assert_at(&err, 0, "pin");

	struct event_data *d = load(f, "CNC");
	assert_int_equal(d->n_judges, 3);
	assert_false(d->judges[1].chief);
	event_data_free(d);
}

/* ---- the draw ---- */

static void assert_state(struct fx *f, const char *event, const char *want)
{
	struct event_data *d = load(f, event);
	assert_string_equal(d->state, want);
	event_data_free(d);
}

static void test_draw_refused_until_ready(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	uint32_t n = 0;
	EXPECT(CT_NOT_FOUND, store_event_draw(f->st, "admin", "CNC", &n, &err));
	EXPECT(CT_OK, store_events_add(f->st, "admin", fx_events, 1, &err));

	EXPECT(CT_CONFLICT, store_event_draw(f->st, "admin", "CNC", &n, &err));
	assert_msg_has(&err, "contestants");
	EXPECT(CT_OK, store_contestants_add(f->st, "admin", fx_contestants, 2, &err));

	EXPECT(CT_CONFLICT, store_event_draw(f->st, "admin", "CNC", &n, &err));
	assert_msg_has(&err, "criteria");
	EXPECT(CT_OK, store_criteria_add(f->st, "admin", fx_criteria, COUNT(fx_criteria), &err));

	EXPECT(CT_CONFLICT, store_event_draw(f->st, "admin", "CNC", &n, &err));
	assert_msg_has(&err, "judge");
	/* A chief judge alone is not enough: chiefs do not score. */
	EXPECT(CT_OK, store_judges_add(f->st, "admin", fx_judges + 2, 1, &err));
	EXPECT(CT_CONFLICT, store_event_draw(f->st, "admin", "CNC", &n, &err));
	assert_msg_has(&err, "judge");
	assert_state(f, "CNC", "setup");
	struct event_data *d = load(f, "CNC");
	assert_null(d->contestants[0].code);
	event_data_free(d);

	EXPECT(CT_OK, store_judges_add(f->st, "admin", fx_judges + 1, 1, &err));
	EXPECT(CT_OK, store_event_draw(f->st, "admin", "CNC", &n, &err));
	assert_int_equal(n, 2);
	assert_state(f, "CNC", "drawn");
}

/* An event E with the given weights of modules A and B and tie-break. */
static void weighted_event(struct fx *f, int32_t wa, int32_t wb, const char *tiebreak)
{
	struct ct_err err;
	const struct event_row ev[] = {{"E", "权重", {1000, 2000, 3000}, -1, tiebreak, 20}};
	const struct criterion_row crit[] = {
		{"E", "A", "甲", wa, "A1", "一", 1000, METHOD_MEAN},
		{"E", "B", "乙", wb, "B1", "二", 1000, METHOD_MEAN},
	};
	const struct contestant_row c[] = {{"E01", "选手", "", "E", NULL, NULL}};
	const struct judge_row j[] = {{"JE", "裁判", "", "x", "E", "judge"}};
	EXPECT(CT_OK, store_events_add(f->st, "admin", ev, 1, &err));
	EXPECT(CT_OK, store_criteria_add(f->st, "admin", crit, 2, &err));
	EXPECT(CT_OK, store_contestants_add(f->st, "admin", c, 1, &err));
	EXPECT(CT_OK, store_judges_add(f->st, "admin", j, 1, &err));
}

static void test_draw_weights_must_sum_100(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	uint32_t n = 0;
	weighted_event(f, 50, 30, "");
	EXPECT(CT_CONFLICT, store_event_draw(f->st, "admin", "E", &n, &err));
	assert_msg_has(&err, "80");
	assert_state(f, "E", "setup");
}

static void test_draw_weights_100_drawn(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	uint32_t n = 0;
	weighted_event(f, 70, 30, "module:B;criterion:A1;time");
	EXPECT(CT_OK, store_event_draw(f->st, "admin", "E", &n, &err));
	assert_int_equal(n, 1);
}

static void test_draw_tiebreak_unknown(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	uint32_t n = 0;
	weighted_event(f, 70, 30, "time;module:Z");
	EXPECT(CT_CONFLICT, store_event_draw(f->st, "admin", "E", &n, &err));
	assert_msg_has(&err, "module:Z");
	assert_state(f, "E", "setup");
}

static void test_draw_tiebreak_unknown_criterion(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	uint32_t n = 0;
	/* "A" is a module, not a criterion. */
	weighted_event(f, 70, 30, "criterion:A");
	EXPECT(CT_CONFLICT, store_event_draw(f->st, "admin", "E", &n, &err));
	assert_msg_has(&err, "criterion:A");
}

static void test_draw_assigns_places_and_codes(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	const struct contestant_patch withdraw = {"withdrawn", -2, "生病"};
	EXPECT(CT_OK, store_contestant_patch(f->st, "admin", "C04", &withdraw, &err));
	int64_t v0 = version(f, "CNC");
	fx_draw(f);
	assert_true(version(f, "CNC") > v0);

	struct event_data *d = load(f, "CNC");
	assert_string_equal(d->state, "drawn");
	assert_non_null(d->drawn_at);
	assert_null(d->locked_at);
	bool seen[N_FX_CONTESTANTS + 1] = {false};
	for (uint32_t i = 0; i < d->n_contestants; i++) {
		const struct ev_contestant *c = &d->contestants[i];
		assert_in_range(c->workstation, 1, N_FX_CONTESTANTS);
		assert_false(seen[c->workstation]);
		seen[c->workstation] = true;
		assert_int_equal(strlen(c->code), 6);
		/* No look-alikes: 0/O, 1/I/L. */
		assert_int_equal(strspn(c->code, "23456789ABCDEFGHJKMNPQRSTUVWXYZ"), 6);
		for (uint32_t k = 0; k < i; k++)
			assert_string_not_equal(c->code, d->contestants[k].code);
	}
	assert_int_equal(contestant_of(d, "C01")->status, ENTRY_COMPETED);
	assert_int_equal(contestant_of(d, "C02")->status, ENTRY_COMPETED);
	assert_int_equal(contestant_of(d, "C03")->status, ENTRY_COMPETED);
	assert_int_equal(contestant_of(d, "C04")->status, ENTRY_WITHDRAWN);
	assert_string_equal(contestant_of(d, "C04")->reason, "生病");
	event_data_free(d);
	/* The other event is untouched. */
	assert_state(f, "WELD", "setup");

	uint32_t n = 99;
	EXPECT(CT_CONFLICT, store_event_draw(f->st, "admin", "CNC", &n, &err));
	assert_msg_has(&err, "drawn");
	/* A second draw did not shuffle anything. */
	d = load(f, "CNC");
	for (size_t i = 0; i < N_FX_CONTESTANTS; i++)
		assert_string_equal(contestant_of(d, fx_contestants[i].reg_id)->code, f->codes[i]);
	event_data_free(d);
}

/* A module of deductions only (SPEC section 4) is refused when the sheet is
 * registered, weighted or not: its deductions would vanish from the totals.
 * The sheet is checked whole, so a deduction may come before the criterion
 * that gives its module marks, even in a later run of rows. */
static void test_criteria_deduction_only_refused(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	weighted_event(f, 70, 30, "");
	const struct criterion_row crit[] = {{"E", "C", "安全", 0, "C1", "扣分", 500, METHOD_DEDUCTION}};
	EXPECT(CT_INVALID, store_criteria_add(f->st, "admin", crit, 1, &err));
	assert_at(&err, 0, "module");
	assert_msg_has(&err, "module C has no criterion that gives marks");

	const struct event_row ev[] = {{"F", "扣分", {1000, 2000, 3000}, -1, "", 20},
				       {"G", "不加权", {1000, 2000, 3000}, -1, "", 20}};
	EXPECT(CT_OK, store_events_add(f->st, "admin", ev, 2, &err));
	const struct criterion_row weighted[] = {
		{"F", "A", "甲", 70, "A1", "一", 1000, METHOD_MEAN},
		{"F", "C", "安全", 30, "C1", "扣分", 500, METHOD_DEDUCTION},
		{"F", "A", "", -1, "A2", "二", 1000, METHOD_MEAN},
	};
	EXPECT(CT_INVALID, store_criteria_add(f->st, "admin", weighted, COUNT(weighted), &err));
	assert_at(&err, 1, "module");
	assert_msg_has(&err, "row 2: event F: module C");
	const struct criterion_row unweighted[] = {
		{"G", "A", "甲", -1, "A1", "一", 1000, METHOD_MEAN},
		{"G", "B", "安全", -1, "B1", "扣分", 500, METHOD_DEDUCTION},
	};
	EXPECT(CT_INVALID, store_criteria_add(f->st, "admin", unweighted, COUNT(unweighted), &err));
	assert_at(&err, 1, "module");
	struct event_data *d = load(f, "E");
	assert_int_equal(d->n_criteria, 2); /* nothing of the refused batches */
	event_data_free(d);
	d = load(f, "F");
	assert_int_equal(d->n_criteria, 0);
	event_data_free(d);

	/* The same module with a criterion giving marks, after its deduction
	 * and after rows of another event. */
	const struct criterion_row later[] = {
		{"F", "A", "甲", 70, "A1", "一", 1000, METHOD_MEAN},
		{"F", "C", "安全", 30, "C1", "扣分", 500, METHOD_DEDUCTION},
		{"G", "A", "甲", -1, "A1", "一", 1000, METHOD_MEAN},
		{"F", "C", "", 30, "C2", "操作", 800, METHOD_MEASUREMENT},
	};
	EXPECT(CT_OK, store_criteria_add(f->st, "admin", later, COUNT(later), &err));
	d = load(f, "F");
	assert_int_equal(d->n_criteria, 3);
	event_data_free(d);
}

/* Tie-break keys and weights the draw refuses are not errors while the
 * sheet is registered (the warnings of GET /events/{e}), but the draw
 * refuses them with the same words. */
static void test_criteria_partial_sheet_accepted(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	uint32_t n = 0;
	const struct event_row ev[] = {{"H", "半成", {1000, 2000, 3000}, -1, "module:Z;time", 20}};
	const struct criterion_row crit[] = {{"H", "A", "甲", 60, "A1", "一", 1000, METHOD_MEAN}};
	const struct contestant_row c[] = {{"H01", "选手", "", "H", NULL, NULL}};
	const struct judge_row j[] = {{"JH", "裁判", "", "x", "H", "judge"}};
	EXPECT(CT_OK, store_events_add(f->st, "admin", ev, 1, &err));
	EXPECT(CT_OK, store_criteria_add(f->st, "admin", crit, 1, &err));
	EXPECT(CT_OK, store_contestants_add(f->st, "admin", c, 1, &err));
	EXPECT(CT_OK, store_judges_add(f->st, "admin", j, 1, &err));
	EXPECT(CT_CONFLICT, store_event_draw(f->st, "admin", "H", &n, &err));
	assert_string_equal(err.msg, "event H cannot be drawn: module weights add up to 60, not 100");
	assert_int_equal(err.index, -1);
	const struct criterion_row more[] = {{"H", "Y", "乙", 40, "Y1", "二", 1000, METHOD_MEAN}};
	EXPECT(CT_OK, store_criteria_add(f->st, "admin", more, 1, &err));
	EXPECT(CT_CONFLICT, store_event_draw(f->st, "admin", "H", &n, &err));
	assert_string_equal(err.msg, "event H cannot be drawn: tie-break key module:Z names an unknown module \"Z\"");
	const struct criterion_row z[] = {{"H", "Z", "丙", 0, "Z1", "三", 1000, METHOD_MEAN}};
	EXPECT(CT_OK, store_criteria_add(f->st, "admin", z, 1, &err));
	EXPECT(CT_OK, store_event_draw(f->st, "admin", "H", &n, &err));
	assert_state(f, "H", "drawn");
}

/* Checks that every contestant of an event has a distinct workstation in
 * 1..n and a distinct code. */
static void assert_drawn_places(struct fx *f, const char *event, uint32_t n)
{
	struct event_data *d = load(f, event);
	assert_int_equal(d->n_contestants, n);
	bool *seen = calloc(n + 1, sizeof *seen);
	assert_non_null(seen);
	for (uint32_t i = 0; i < n; i++) {
		int64_t ws = d->contestants[i].workstation;
		assert_in_range(ws, 1, n);
		assert_false(seen[ws]);
		seen[ws] = true;
		assert_int_equal(d->contestants[i].status, ENTRY_COMPETED);
	}
	free(seen);
	event_data_free(d);
}

static void test_draw_two_large_events(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	enum { N_BIG = 300 };
	struct contestant_row *rows = calloc(N_BIG, sizeof *rows);
	char (*reg)[16] = calloc(N_BIG, sizeof *reg);
	assert_non_null(rows);
	assert_non_null(reg);
	for (int i = 0; i < N_BIG; i++) {
		snprintf(reg[i], sizeof reg[i], "W%03d", i);
		rows[i] = (struct contestant_row){reg[i], "焊工", i % 2 ? "第一中学" : "", "WELD", NULL, NULL};
	}
	EXPECT(CT_OK, store_contestants_add(f->st, "admin", rows, N_BIG, &err));
	const struct criterion_row crit[] = {{"WELD", "A", "焊接", -1, "A1", "焊缝", 1000, METHOD_MEDIAN}};
	EXPECT(CT_OK, store_criteria_add(f->st, "admin", crit, 1, &err));
	uint32_t n = 0;
	EXPECT(CT_OK, store_event_draw(f->st, "admin", "WELD", &n, &err));
	assert_int_equal(n, N_BIG);
	fx_draw(f);
	assert_drawn_places(f, "WELD", N_BIG);
	assert_drawn_places(f, "CNC", N_FX_CONTESTANTS);

	/* Places are drawn, not handed out in registration order (which a
	 * random draw of 300 gives with probability 1/300!). */
	struct event_data *w = load(f, "WELD");
	uint32_t in_order = 0;
	for (uint32_t i = 0; i < w->n_contestants; i++)
		in_order += w->contestants[i].workstation == (int64_t)i + 1;
	assert_true(in_order < N_BIG);

	/* Codes are unique across the contest; a code of one event names
	 * nobody in the other. */
	for (uint32_t i = 0; i < w->n_contestants; i++)
		for (size_t k = 0; k < N_FX_CONTESTANTS; k++)
			assert_string_not_equal(w->contestants[i].code, f->codes[k]);
	struct score_put p = {"CNC", w->contestants[0].code, "A1", judge_id(f, "J02"), NULL, 500};
	struct score_ack ack;
	EXPECT(CT_OK, store_begin(f->st, &err));
	EXPECT(CT_NOT_FOUND, store_score_put(f->st, "judge:J02", &p, &ack, &err));
	store_rollback(f->st);
	event_data_free(w);
	free(rows);
	free(reg);
}

/* ---- scores ---- */

static void test_score_before_draw(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	int64_t v = version(f, "CNC");
	assert_int_equal(put_as(f, true, "J02", "C01", "A1", 500, NULL, &err), CT_CONFLICT);
	assert_at(&err, -1, "event");
	assert_msg_has(&err, "setup");
	assert_int_equal(version(f, "CNC"), v);
}

static void test_score_refusals(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	const char *c01 = code_of(f, "C01"), *c03 = code_of(f, "C03");
	int64_t v = version(f, "CNC");

	/* J09 judges WELD, not CNC. */
	assert_int_equal(judge_put(f, "J09", c01, "A1", 500, NULL, &err), CT_FORBIDDEN);
	assert_msg_has(&err, "not assigned");
	/* Chief judges do not score. */
	assert_int_equal(judge_put(f, "H01", c01, "A1", 500, NULL, &err), CT_FORBIDDEN);
	assert_msg_has(&err, "chief");
	/* J01 comes from C03's school: told no more than for an unknown code. */
	assert_int_equal(judge_put(f, "J01", c03, "A1", 500, NULL, &err), CT_NOT_FOUND);
	assert_at(&err, -1, "contestant");
	/* ... also when the admin enters a paper sheet for J01. */
	assert_int_equal(put_as(f, true, "J01", "C03", "A1", 500, NULL, &err), CT_FORBIDDEN);
	/* Codes that name nobody; a judge cannot use a registration id. */
	assert_int_equal(judge_put(f, "J02", "ZZZZZ", "A1", 500, NULL, &err), CT_NOT_FOUND);
	assert_at(&err, -1, "contestant");
	assert_int_equal(judge_put(f, "J02", "C01", "A1", 500, NULL, &err), CT_NOT_FOUND);
	assert_int_equal(judge_put(f, "J02", c01, "Z9", 500, NULL, &err), CT_NOT_FOUND);
	assert_at(&err, -1, "criterion");
	/* Range: A1 max 10.00; B1 is judged 0..3. */
	assert_int_equal(judge_put(f, "J02", c01, "A1", 1001, NULL, &err), CT_INVALID);
	assert_at(&err, -1, "value");
	assert_msg_has(&err, "10.00");
	assert_int_equal(judge_put(f, "J02", c01, "B1", 150, NULL, &err), CT_INVALID);
	assert_at(&err, -1, "value");
	assert_msg_has(&err, "1.50");
	assert_int_equal(judge_put(f, "J02", c01, "B1", 400, NULL, &err), CT_INVALID);

	assert_int_equal(version(f, "CNC"), v);
	struct event_data *d = load(f, "CNC");
	assert_int_equal(d->n_values, 0);
	event_data_free(d);

	/* The edges are accepted: the max, zero, and judgement 3 and 0. */
	assert_int_equal(judge_put(f, "J02", c01, "A1", 1000, NULL, &err), CT_OK);
	assert_int_equal(judge_put(f, "J01", c01, "A2", 0, NULL, &err), CT_OK);
	assert_int_equal(judge_put(f, "J02", c01, "B1", 300, NULL, &err), CT_OK);
	assert_int_equal(judge_put(f, "J01", c01, "B1", 0, NULL, &err), CT_OK);
	d = load(f, "CNC");
	assert_int_equal(d->n_values, 4);
	assert_int_equal(value_in(d, "C01", "A1", "J02"), 1000);
	assert_int_equal(value_in(d, "C01", "A2", "J01"), 0);
	assert_int_equal(value_in(d, "C01", "B1", "J02"), 300);
	assert_int_equal(value_in(d, "C01", "B1", "J01"), 0);
	event_data_free(d);
}

static void test_score_revisions(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	const char *c02 = code_of(f, "C02");
	struct score_ack ack;
	int64_t v = version(f, "CNC");
	static const int64_t values[] = {750, 800, 675};
	for (int i = 0; i < 3; i++) {
		memset(&ack, 0, sizeof ack);
		assert_int_equal(judge_put(f, "J02", c02, "A2", values[i], &ack, &err), CT_OK);
		assert_int_equal(ack.revision, i + 1);
		assert_int_equal(ack.value_c, values[i]);
		assert_string_equal(ack.contestant, c02);
		int64_t now = version(f, "CNC");
		assert_true(now > v);
		v = now;
	}
	/* Another judge's value on the same criterion has its own revisions. */
	assert_int_equal(judge_put(f, "J01", c02, "A2", 900, &ack, &err), CT_OK);
	assert_int_equal(ack.revision, 1);

	/* A refused value changes nothing, not even the version. */
	v = version(f, "CNC");
	assert_int_equal(judge_put(f, "J02", c02, "A2", 2001, &ack, &err), CT_INVALID);
	assert_int_equal(version(f, "CNC"), v);

	struct event_data *d = load(f, "CNC");
	assert_int_equal(d->n_values, 2);
	assert_int_equal(value_in(d, "C02", "A2", "J02"), 675);
	assert_int_equal(value_in(d, "C02", "A2", "J01"), 900);
	event_data_free(d);

	/* Values only come with with_values. */
	EXPECT(CT_OK, store_event_load(f->st, "CNC", false, &d, &err));
	assert_int_equal(d->n_values, 0);
	assert_null(d->values);
	event_data_free(d);

	/* The next revision goes on from 3. */
	assert_int_equal(judge_put(f, "J02", c02, "A2", 675, &ack, &err), CT_OK);
	assert_int_equal(ack.revision, 4);
}

static void test_score_rolled_back_not_stored(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	struct score_put p = {"CNC", code_of(f, "C01"), "A1", judge_id(f, "J02"), NULL, 500};
	struct score_ack ack;
	int64_t v = version(f, "CNC");
	EXPECT(CT_OK, store_begin(f->st, &err));
	EXPECT(CT_OK, store_score_put(f->st, "judge:J02", &p, &ack, &err));
	store_rollback(f->st);
	assert_int_equal(version(f, "CNC"), v);
	struct event_data *d = load(f, "CNC");
	assert_int_equal(d->n_values, 0);
	event_data_free(d);
	/* The first stored value is still revision 1. */
	assert_int_equal(judge_put(f, "J02", code_of(f, "C01"), "A1", 500, &ack, &err), CT_OK);
	assert_int_equal(ack.revision, 1);
}

static void test_score_admin_by_reg_id(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	struct score_ack ack;
	assert_int_equal(put_as(f, true, "J02", "C01", "A1", 450, &ack, &err), CT_OK);
	assert_int_equal(ack.revision, 1);
	assert_string_equal(ack.contestant, "C01");
	/* The admin may also use the anonymous code; the same value is revised. */
	assert_int_equal(put_as(f, true, "J02", code_of(f, "C01"), "A1", 460, &ack, &err), CT_OK);
	assert_int_equal(ack.revision, 2);
	/* And the judge revises the admin's entry. */
	assert_int_equal(judge_put(f, "J02", code_of(f, "C01"), "A1", 470, &ack, &err), CT_OK);
	assert_int_equal(ack.revision, 3);
	assert_int_equal(put_as(f, true, "J77", "C01", "A1", 450, &ack, &err), CT_NOT_FOUND);
	assert_at(&err, -1, "judge");

	struct event_data *d = load(f, "CNC");
	assert_int_equal(d->n_values, 1);
	assert_int_equal(value_in(d, "C01", "A1", "J02"), 470);
	event_data_free(d);
}

static void test_scores_import_all_or_nothing(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	const struct score_put rows[] = {
		{"CNC", "C01", "A1", 0, "J02", 800},
		{"CNC", "C02", "A2", 0, "J01", 1500},
		{"CNC", "C04", "A1", 0, "J02", 1200}, /* over A1's max of 10.00 */
		{"CNC", "C03", "A1", 0, "J02", 900},
	};
	int64_t v = version(f, "CNC");
	EXPECT(CT_INVALID, store_scores_import(f->st, "admin", rows, COUNT(rows), &err));
	assert_at(&err, 2, "value");
	assert_msg_has(&err, "row 3");
	assert_int_equal(version(f, "CNC"), v);
	struct event_data *d = load(f, "CNC");
	assert_int_equal(d->n_values, 0);
	event_data_free(d);

	/* An unknown contestant in a batch is bad input of that row. */
	const struct score_put unknown[] = {
		{"CNC", "C01", "A1", 0, "J02", 800},
		{"CNC", "C99", "A1", 0, "J02", 800},
	};
	EXPECT(CT_INVALID, store_scores_import(f->st, "admin", unknown, COUNT(unknown), &err));
	assert_at(&err, 1, "contestant");

	EXPECT(CT_OK, store_scores_import(f->st, "admin", rows, 2, &err));
	d = load(f, "CNC");
	assert_int_equal(d->n_values, 2);
	assert_int_equal(value_in(d, "C01", "A1", "J02"), 800);
	assert_int_equal(value_in(d, "C02", "A2", "J01"), 1500);
	event_data_free(d);
	assert_true(version(f, "CNC") > v);
}

/* Issue 8 item 6: a judge who scores a code that is not on the judge's
 * sheet gets one answer, whether nobody has the code or a colleague from
 * the judge's own organization does; otherwise the answer would say who
 * that colleague is. (The admin entering a paper sheet is told why.) */
static void test_score_recused_same_as_unknown(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	const char *c03 = code_of(f, "C03");
	/* an unused code of the same shape: C03's with its first character changed */
	char unknown[16];
	snprintf(unknown, sizeof unknown, "%s", c03);
	do
		unknown[0] = unknown[0] == 'Z' ? '2' : (char)(unknown[0] + 1);
	while (strcmp(unknown, code_of(f, "C01")) == 0 || strcmp(unknown, code_of(f, "C02")) == 0 ||
	       strcmp(unknown, code_of(f, "C04")) == 0);

	enum ct_status recused = judge_put(f, "J01", c03, "A1", 500, NULL, &err);
	char recused_msg[sizeof err.msg];
	snprintf(recused_msg, sizeof recused_msg, "%s", err.msg);
	long recused_index = err.index;
	char recused_field[sizeof err.field];
	snprintf(recused_field, sizeof recused_field, "%s", err.field);
	enum ct_status none = judge_put(f, "J01", unknown, "A1", 500, NULL, &err);
	assert_int_equal(recused, CT_NOT_FOUND);
	assert_int_equal(none, CT_NOT_FOUND);
	assert_int_equal(recused_index, err.index);
	assert_string_equal(recused_field, err.field);
	/* the same words, each naming the code the judge typed */
	char want[sizeof err.msg];
	snprintf(want, sizeof want, "no contestant %s on the sheet of judge J01 in event CNC", c03);
	assert_string_equal(recused_msg, want);
	snprintf(want, sizeof want, "no contestant %s on the sheet of judge J01 in event CNC", unknown);
	assert_string_equal(err.msg, want);
	assert_null(strstr(recused_msg, "recused"));
	assert_null(strstr(recused_msg, "organization"));

	/* the admin is told the reason */
	assert_int_equal(put_as(f, true, "J01", "C03", "A1", 500, NULL, &err), CT_FORBIDDEN);
	assert_msg_has(&err, "recused");
}

/* Issue 8 item 9: anonymous codes in either case; the answer gives the
 * code as drawn. */
static void test_score_code_any_case(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	struct score_ack ack;
	char lower[16];
	const char *c01 = code_of(f, "C01");
	size_t i = 0;
	for (; c01[i]; i++)
		lower[i] = (char)(c01[i] >= 'A' && c01[i] <= 'Z' ? c01[i] - 'A' + 'a' : c01[i]);
	lower[i] = '\0';
	assert_int_equal(judge_put(f, "J02", lower, "A1", 500, &ack, &err), CT_OK);
	assert_string_equal(ack.contestant, c01);
	struct event_data *d = load(f, "CNC");
	assert_int_equal(value_in(d, "C01", "A1", "J02"), 500);
	event_data_free(d);
}

/* Issue 8 item 5: two rows of one import for the same contestant,
 * criterion and judge are refused naming both, also when one names the
 * contestant by registration id and the other by anonymous code; nothing is
 * stored. */
static void test_scores_import_duplicate(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	const struct score_put rows[] = {
		{"CNC", "C01", "A1", 0, "J02", 800},
		{"CNC", "C02", "A2", 0, "J01", 1500},
		{"CNC", code_of(f, "C02"), "A1", 0, "J02", 700},
		{"CNC", "C01", "A2", 0, "J02", 900},
		{"CNC", "C02", "A1", 0, "J02", 750}, /* row 5 repeats row 3 */
		{"CNC", "C01", "A1", 0, "J02", 850}, /* row 6 repeats row 1 */
	};
	int64_t v = version(f, "CNC");
	EXPECT(CT_INVALID, store_scores_import(f->st, "admin", rows, COUNT(rows), &err));
	/* the first repeat in file order: row 5, of row 3 */
	assert_at(&err, 4, "contestant");
	assert_msg_has(&err, "row 5: the same contestant, criterion and judge as row 3");
	assert_int_equal(version(f, "CNC"), v);
	struct event_data *d = load(f, "CNC");
	assert_int_equal(d->n_values, 0);
	event_data_free(d);
	/* without the repeats the file is fine */
	EXPECT(CT_OK, store_scores_import(f->st, "admin", rows, 4, &err));
}

/* Group commit: one transaction, a savepoint per submission; a submission
 * rolled back to its savepoint leaves the others in the transaction. */
static void test_score_savepoints(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	const int64_t j01 = judge_id(f, "J01"), j02 = judge_id(f, "J02");
	const struct score_put puts[] = {
		{"CNC", code_of(f, "C01"), "A2", j01, NULL, 1200},
		{"CNC", code_of(f, "C03"), "A2", j01, NULL, 1300}, /* recused */
		{"CNC", code_of(f, "C02"), "A2", j02, NULL, 1400},
	};
	static const enum ct_status want[] = {CT_OK, CT_NOT_FOUND, CT_OK};
	unsigned char sum[32] = {0};
	struct score_ack ack;
	int64_t v = version(f, "CNC");
	EXPECT(CT_OK, store_begin(f->st, &err));
	for (size_t i = 0; i < COUNT(puts); i++) {
		char key[16];
		snprintf(key, sizeof key, "key-%zu", i);
		EXPECT(CT_OK, store_savepoint(f->st, &err));
		EXPECT(want[i], store_score_put(f->st, "judge", &puts[i], &ack, &err));
		if (want[i] == CT_OK) {
			EXPECT(CT_OK, store_idem_put(f->st, "judge", key, sum, 201, "{}", &err));
			store_savepoint_release(f->st);
		} else {
			store_savepoint_rollback(f->st);
		}
	}
	/* Nothing is visible as committed until the commit; then both are. */
	EXPECT(CT_OK, store_commit(f->st, &err));
	assert_true(version(f, "CNC") > v);
	struct event_data *d = load(f, "CNC");
	assert_int_equal(d->n_values, 2);
	assert_int_equal(value_in(d, "C01", "A2", "J01"), 1200);
	assert_int_equal(value_in(d, "C02", "A2", "J02"), 1400);
	assert_int_equal(value_in(d, "C03", "A2", "J01"), -1);
	event_data_free(d);
	int status;
	char *response = NULL;
	EXPECT(CT_OK, store_idem_get(f->st, "judge", "key-2", sum, &status, &response, &err));
	free(response);
	response = NULL;
	EXPECT(CT_NOT_FOUND, store_idem_get(f->st, "judge", "key-1", sum, &status, &response, &err));
}

/* A discrepancy the chief judge accepted stays accepted while the values
 * stay; a changed value drops the acceptance. (The acceptance is written
 * directly: accepting is not a store call yet.) */
static void test_score_change_drops_acceptance(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	fx_register(f);
	fx_draw(f);
	const char *c01 = code_of(f, "C01");
	assert_int_equal(judge_put(f, "J01", c01, "A2", 500, NULL, &err), CT_OK);
	assert_int_equal(judge_put(f, "J02", c01, "A2", 1500, NULL, &err), CT_OK);

	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	assert_int_equal(sqlite3_exec(db,
				      "INSERT INTO acceptances (contestant_id, criterion_id, reason, accepted_by, "
				      "created_at) SELECT c.id, k.id, '复核无误', 'judge:H01', '2026-11-23T10:00:00Z' "
				      "FROM contestants c, criteria k WHERE c.reg_id = 'C01' AND k.code = 'A2'",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);

	struct event_data *d = load(f, "CNC");
	assert_int_equal(d->n_accepts, 1);
	assert_string_equal(d->contestants[d->accepts[0].contestant].reg_id, "C01");
	assert_string_equal(d->criteria[d->accepts[0].criterion].code, "A2");
	event_data_free(d);

	/* Re-sending the same value keeps it; another value drops it. */
	assert_int_equal(judge_put(f, "J02", c01, "A2", 1500, NULL, &err), CT_OK);
	d = load(f, "CNC");
	assert_int_equal(d->n_accepts, 1);
	event_data_free(d);
	assert_int_equal(judge_put(f, "J02", c01, "A2", 1400, NULL, &err), CT_OK);
	d = load(f, "CNC");
	assert_int_equal(d->n_accepts, 0);
	event_data_free(d);
}

/* ---- check-in, contestant changes, workflow ---- */

/* A judge's own sheet: competed contestants the judge is not recused from,
 * in workstation order, with the judge's own values only. */
static void test_judge_sheet(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	const struct contestant_patch absent = {"absent", -2, "未到场"};
	EXPECT(CT_OK, store_contestant_patch(f->st, "admin", "C02", &absent, &err));
	EXPECT(CT_OK, judge_put(f, "J01", code_of(f, "C01"), "A1", 750, NULL, &err));
	EXPECT(CT_OK, judge_put(f, "J01", code_of(f, "C04"), "B1", 200, NULL, &err));
	EXPECT(CT_OK, judge_put(f, "J02", code_of(f, "C01"), "A1", 800, NULL, &err));

	/* J01 (第二中学) is recused from C03; C02 is absent: C01 and C04, by workstation */
	struct event_data *d = load(f, "CNC");
	const struct ev_contestant *c01 = contestant_of(d, "C01"), *c04 = contestant_of(d, "C04");
	const struct ev_contestant *first = c01->workstation < c04->workstation ? c01 : c04;
	const struct ev_contestant *second = first == c01 ? c04 : c01;
	struct judge_sheet *sh = NULL;
	EXPECT(CT_OK, store_judge_sheet(f->st, "CNC", judge_id(f, "J01"), &sh, &err));
	assert_string_equal(sh->event->code, "CNC");
	assert_string_equal(sh->event->name, "数控铣");
	assert_string_equal(sh->event->state, "drawn");
	assert_string_equal(sh->judge_code, "J01");
	assert_string_equal(sh->judge_name, "周裁判");
	assert_int_equal(sh->event->n_modules, 2);
	assert_int_equal(sh->event->n_criteria, 3);
	assert_int_equal(sh->event->n_contestants, 0); /* no names, organizations or reg_ids */
	assert_int_equal(sh->n_entries, 2);
	assert_string_equal(sh->entries[0].code, first->code);
	assert_int_equal(sh->entries[0].workstation, first->workstation);
	assert_string_equal(sh->entries[1].code, second->code);
	assert_int_equal(sh->entries[1].workstation, second->workstation);
	assert_int_equal(sh->n_marks, 2);
	for (size_t i = 0; i < sh->n_marks; i++) {
		const struct sheet_mark *m = &sh->marks[i];
		const char *code = sh->entries[m->entry].code, *crit = sh->event->criteria[m->criterion].code;
		if (strcmp(code, c01->code) == 0) {
			assert_string_equal(crit, "A1");
			assert_int_equal(m->value_c, 750); /* J01's, not J02's 800 */
		} else {
			assert_string_equal(code, c04->code);
			assert_string_equal(crit, "B1");
			assert_int_equal(m->value_c, 200);
		}
	}
	assert_int_equal(strlen(sh->entries[0].updated), 20); /* "2026-11-23T09:00:00Z" */
	assert_int_equal(strlen(sh->entries[1].updated), 20);
	judge_sheet_free(sh);

	/* J02 has no organization: C01, C03, C04; one value */
	EXPECT(CT_OK, store_judge_sheet(f->st, "CNC", judge_id(f, "J02"), &sh, &err));
	assert_int_equal(sh->n_entries, 3);
	for (uint32_t i = 1; i < sh->n_entries; i++)
		assert_true(sh->entries[i - 1].workstation < sh->entries[i].workstation);
	assert_int_equal(sh->n_marks, 1);
	assert_int_equal(sh->marks[0].value_c, 800);
	assert_string_equal(sh->entries[sh->marks[0].entry].code, c01->code);
	judge_sheet_free(sh);
	event_data_free(d);

	sh = NULL;
	EXPECT(CT_FORBIDDEN, store_judge_sheet(f->st, "CNC", judge_id(f, "H01"), &sh, &err));
	assert_non_null(strstr(err.msg, "chief judges do not score"));
	EXPECT(CT_FORBIDDEN, store_judge_sheet(f->st, "CNC", judge_id(f, "J09"), &sh, &err));
	assert_non_null(strstr(err.msg, "not assigned"));
	EXPECT(CT_NOT_FOUND, store_judge_sheet(f->st, "NOPE", judge_id(f, "J01"), &sh, &err));
	assert_null(sh);

	/* A judge withdrawn from the event no longer gets its sheet. */
	EXPECT(CT_OK, store_judge_withdraw(f->st, "organizer:admin", "CNC", "J02", "身体不适", &err));
	EXPECT(CT_FORBIDDEN, store_judge_sheet(f->st, "CNC", judge_id(f, "J02"), &sh, &err));
	assert_non_null(strstr(err.msg, "withdrawn"));
	assert_null(sh);
	judge_sheet_free(NULL);
}

static void test_checkin_before_draw(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	const struct checkin_row rows[] = {{"C01", ENTRY_ABSENT, -1, NULL}};
	EXPECT(CT_CONFLICT, store_checkin(f->st, "admin", rows, 1, &err));
	assert_at(&err, 0, "event");
	struct event_data *d = load(f, "CNC");
	assert_int_equal(contestant_of(d, "C01")->status, ENTRY_REGISTERED);
	event_data_free(d);
}

static void test_checkin(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	const struct checkin_row bad[] = {
		{"C02", ENTRY_ABSENT, -1, "缺考"},
		{"C42", ENTRY_COMPETED, 100, NULL},
	};
	int64_t v = version(f, "CNC");
	EXPECT(CT_INVALID, store_checkin(f->st, "admin", bad, COUNT(bad), &err));
	assert_at(&err, 1, "reg_id");
	assert_msg_has(&err, "C42");
	assert_int_equal(version(f, "CNC"), v);
	struct event_data *d = load(f, "CNC");
	assert_int_equal(contestant_of(d, "C02")->status, ENTRY_COMPETED);
	event_data_free(d);

	const struct checkin_row rows[] = {
		{"C01", ENTRY_COMPETED, 3600, NULL},
		{"C02", ENTRY_ABSENT, -1, "缺考"},
		{"C03", ENTRY_DISQUALIFIED, 1200, "违规"},
	};
	EXPECT(CT_OK, store_checkin(f->st, "admin", rows, COUNT(rows), &err));
	assert_true(version(f, "CNC") > v);
	d = load(f, "CNC");
	const struct ev_contestant *c = contestant_of(d, "C01");
	assert_int_equal(c->status, ENTRY_COMPETED);
	assert_int_equal(c->elapsed_s, 3600);
	assert_null(c->reason);
	c = contestant_of(d, "C02");
	assert_int_equal(c->status, ENTRY_ABSENT);
	assert_int_equal(c->elapsed_s, -1);
	assert_string_equal(c->reason, "缺考");
	c = contestant_of(d, "C03");
	assert_int_equal(c->status, ENTRY_DISQUALIFIED);
	assert_int_equal(c->elapsed_s, 1200);
	assert_string_equal(c->reason, "违规");
	assert_int_equal(contestant_of(d, "C04")->status, ENTRY_COMPETED);
	event_data_free(d);

	/* No time given: the time is kept. */
	const struct checkin_row again[] = {{"C01", ENTRY_COMPETED, -1, NULL}};
	EXPECT(CT_OK, store_checkin(f->st, "admin", again, 1, &err));
	d = load(f, "CNC");
	assert_int_equal(contestant_of(d, "C01")->elapsed_s, 3600);
	event_data_free(d);
}

static void test_contestant_patch(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	const struct contestant_patch dq = {"disqualified", -2, "作弊"};
	int64_t v = version(f, "CNC");
	EXPECT(CT_OK, store_contestant_patch(f->st, "admin", "C03", &dq, &err));
	assert_true(version(f, "CNC") > v);
	struct event_data *d = load(f, "CNC");
	assert_int_equal(contestant_of(d, "C03")->status, ENTRY_DISQUALIFIED);
	assert_string_equal(contestant_of(d, "C03")->reason, "作弊");
	assert_int_equal(contestant_of(d, "C03")->elapsed_s, -1);
	event_data_free(d);

	/* Only the time: status and reason stay. */
	const struct contestant_patch timed = {NULL, 2700, NULL};
	EXPECT(CT_OK, store_contestant_patch(f->st, "admin", "C03", &timed, &err));
	d = load(f, "CNC");
	assert_int_equal(contestant_of(d, "C03")->status, ENTRY_DISQUALIFIED);
	assert_string_equal(contestant_of(d, "C03")->reason, "作弊");
	assert_int_equal(contestant_of(d, "C03")->elapsed_s, 2700);
	event_data_free(d);

	/* Back to competed with the reason cleared; the time cleared. */
	const struct contestant_patch back = {"competed", -1, ""};
	EXPECT(CT_OK, store_contestant_patch(f->st, "admin", "C03", &back, &err));
	d = load(f, "CNC");
	assert_int_equal(contestant_of(d, "C03")->status, ENTRY_COMPETED);
	assert_null(contestant_of(d, "C03")->reason);
	assert_int_equal(contestant_of(d, "C03")->elapsed_s, -1);
	event_data_free(d);

	EXPECT(CT_NOT_FOUND, store_contestant_patch(f->st, "admin", "C99", &timed, &err));
}

static void test_lock_closes_scoring(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	const char *c01 = code_of(f, "C01");
	assert_int_equal(judge_put(f, "J02", c01, "A1", 500, NULL, &err), CT_OK);
	int64_t v = version(f, "CNC");
	static const struct wf_facts ready = {0};
	enum event_state to = EVENT_SETUP;
	EXPECT(CT_OK, store_event_transition(f->st, "judge:H01", "chief", "CNC", WF_LOCK, &ready, NULL, &to, &err));
	assert_int_equal(to, EVENT_LOCKED);
	assert_true(version(f, "CNC") > v);
	struct event_data *d = load(f, "CNC");
	assert_string_equal(d->state, "locked");
	assert_non_null(d->locked_at);
	event_data_free(d);

	v = version(f, "CNC");
	assert_int_equal(judge_put(f, "J02", c01, "A1", 600, NULL, &err), CT_CONFLICT);
	assert_msg_has(&err, "locked");
	const struct contestant_patch p = {"absent", -2, NULL};
	EXPECT(CT_CONFLICT, store_contestant_patch(f->st, "admin", "C01", &p, &err));
	assert_msg_has(&err, "locked");
	const struct checkin_row rows[] = {{"C01", ENTRY_ABSENT, -1, NULL}};
	EXPECT(CT_CONFLICT, store_checkin(f->st, "admin", rows, 1, &err));
	/* Locking twice, or an unknown event, is refused. */
	EXPECT(CT_CONFLICT, store_event_transition(f->st, "admin", NULL, "CNC", WF_LOCK, &ready, NULL, NULL, &err));
	assert_string_equal(err.msg, "event CNC is locked; it is locked already");
	EXPECT(CT_NOT_FOUND, store_event_transition(f->st, "admin", NULL, "LATHE", WF_LOCK, &ready, NULL, NULL, &err));
	assert_int_equal(version(f, "CNC"), v);
	d = load(f, "CNC");
	assert_int_equal(value_in(d, "C01", "A1", "J02"), 500);
	event_data_free(d);

	/* Unlocking needs a reason, and reopens scoring. */
	const struct wf_facts no_reason = {.reason = ""}, reason = {.reason = "复核"};
	EXPECT(CT_INVALID, store_event_transition(f->st, "admin", NULL, "CNC", WF_UNLOCK, &no_reason, NULL, NULL, &err));
	EXPECT(CT_OK, store_event_transition(f->st, "admin", NULL, "CNC", WF_UNLOCK, &reason, "复核", &to, &err));
	assert_int_equal(to, EVENT_DRAWN);
	d = load(f, "CNC");
	assert_string_equal(d->state, "drawn");
	assert_null(d->locked_at);
	event_data_free(d);
	assert_int_equal(judge_put(f, "J02", c01, "A1", 600, NULL, &err), CT_OK);
}

/* ---- audit ---- */

static void test_audit_chain(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	char last[512];
	assert_int_equal(audit_rows(f->path, NULL), 0);

	unsigned char pk[32] = {1}, sk[64] = {2};
	EXPECT(CT_OK, store_contest_init(f->st, "C", "大赛", "https://x.example", pk, sk, "h", &err));
	assert_int_equal(audit_rows(f->path, "init"), 1);

	fx_register(f);
	assert_int_equal(audit_rows(f->path, "event.add"), 2);
	assert_int_equal(audit_rows(f->path, "criterion.add"), 3);
	assert_int_equal(audit_rows(f->path, "contestant.add"), 4);
	assert_int_equal(audit_rows(f->path, "judge.assign"), 4);
	audit_last(f->path, last, sizeof last);
	assert_string_equal(last, "admin|judge.assign|WELD/J09|-|judge|organizer|-");
	int n = audit_rows(f->path, NULL);
	assert_int_equal(n, 15); /* init, the organizer account admin, 13 registrations */

	/* Refused batches append nothing. */
	const struct contestant_row dup[] = {
		{"C05", "新人", "", "CNC", NULL, NULL},
		{"C01", "重复", "", "CNC", NULL, NULL},
	};
	EXPECT(CT_CONFLICT, store_contestants_add(f->st, "admin", dup, COUNT(dup), &err));
	const struct criterion_row badcrit[] = {{"CNC", "A", "别名", 60, "A9", "坏", 100, METHOD_MEAN}};
	EXPECT(CT_INVALID, store_criteria_add(f->st, "admin", badcrit, 1, &err));
	uint32_t drawn = 0;
	EXPECT(CT_CONFLICT, store_event_draw(f->st, "admin", "WELD", &drawn, &err));
	assert_int_equal(audit_rows(f->path, NULL), n);

	fx_draw(f);
	audit_last(f->path, last, sizeof last);
	assert_string_equal(last, "admin|draw|CNC|setup|4 contestants|organizer|-");

	/* A score and its revision name the anonymous code, never the reg_id. */
	const char *c01 = code_of(f, "C01");
	char want[512];
	assert_int_equal(judge_put(f, "J02", c01, "A1", 500, NULL, &err), CT_OK);
	audit_last(f->path, last, sizeof last);
	snprintf(want, sizeof want, "judge:J02|score|CNC/%s/A1/J02|-|5.00|judge|-", c01);
	assert_string_equal(last, want);
	assert_int_equal(put_as(f, true, "J02", "C01", "A1", 650, NULL, &err), CT_OK);
	audit_last(f->path, last, sizeof last);
	snprintf(want, sizeof want, "admin|score|CNC/%s/A1/J02|5.00|6.50|organizer|-", c01);
	assert_string_equal(last, want);
	n = audit_rows(f->path, NULL);

	/* Refused scores append nothing. */
	assert_int_equal(judge_put(f, "J01", code_of(f, "C03"), "A1", 500, NULL, &err), CT_NOT_FOUND);
	const struct score_put bad[] = {
		{"CNC", "C02", "A1", 0, "J02", 300},
		{"CNC", "C02", "B1", 0, "J02", 250},
	};
	EXPECT(CT_INVALID, store_scores_import(f->st, "admin", bad, COUNT(bad), &err));
	const struct checkin_row badcheck[] = {{"C02", ENTRY_ABSENT, -1, NULL}, {"C77", ENTRY_ABSENT, -1, NULL}};
	EXPECT(CT_INVALID, store_checkin(f->st, "admin", badcheck, COUNT(badcheck), &err));
	assert_int_equal(audit_rows(f->path, NULL), n);

	EXPECT(CT_OK, store_scores_import(f->st, "admin", bad, 1, &err));
	const struct checkin_row check[] = {{"C02", ENTRY_ABSENT, -1, NULL}, {"C03", ENTRY_COMPETED, 99, NULL}};
	EXPECT(CT_OK, store_checkin(f->st, "admin", check, COUNT(check), &err));
	assert_int_equal(audit_rows(f->path, "contestant.status"), 2);
	const struct contestant_patch p = {NULL, 120, NULL};
	EXPECT(CT_OK, store_contestant_patch(f->st, "admin", "C03", &p, &err));
	assert_int_equal(audit_rows(f->path, "contestant.status"), 3);
	const struct wf_facts ready = {0}, reason = {.reason = "复核"};
	EXPECT(CT_OK, store_event_transition(f->st, "admin", NULL, "CNC", WF_LOCK, &ready, NULL, NULL, &err));
	audit_last(f->path, last, sizeof last);
	assert_string_equal(last, "admin|lock|CNC|drawn|locked|organizer|-");
	EXPECT(CT_OK, store_event_transition(f->st, "organizer:admin", NULL, "CNC", WF_UNLOCK, &reason, "复核", NULL,
					     &err));
	audit_last(f->path, last, sizeof last);
	assert_string_equal(last, "organizer:admin|unlock|CNC|locked|drawn|organizer|复核");

	unsigned char th[32] = {9};
	const struct token_info t = {.judge_id = judge_id(f, "J02"), .judge_code = "J02", .expires = 4102444800};
	EXPECT(CT_OK, store_token_put(f->st, th, &t, &err));
	audit_last(f->path, last, sizeof last);
	assert_string_equal(last, "judge:J02|login|judge:J02|-|-|judge|-");
	/* Import 1 + check-in 2 + patch 1 + lock 1 + unlock 1 + login 1. */
	assert_int_equal(audit_rows(f->path, NULL), n + 7);
	assert_int_equal(audit_rows(f->path, "score"), 3);
}

/* The chain check notices an altered record (so test_audit_chain can fail). */
static void test_audit_chain_detects_change(void **state)
{
	struct fx *f = *state;
	long long broken;
	fx_register(f);
	assert_int_equal(audit_scan(f->path, NULL, &broken), 13);
	assert_int_equal(broken, -1);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE audit SET new_value = '铣床' WHERE seq = 5", NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(audit_scan(f->path, NULL, &broken), 13);
	assert_int_equal(broken, 5);
}

/* ---- idempotency and tokens ---- */

static void test_idempotency(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	unsigned char sum[32], got_sum[32];
	for (int i = 0; i < 32; i++)
		sum[i] = (unsigned char)(i * 7);
	int status = 0;
	char *response = NULL;
	EXPECT(CT_NOT_FOUND, store_idem_get(f->st, "judge:J02", "k-1", got_sum, &status, &response, &err));
	assert_null(response);

	EXPECT(CT_OK, store_idem_put(f->st, "judge:J02", "k-1", sum, 201, "{\"revision\":1}", &err));
	EXPECT(CT_OK, store_idem_get(f->st, "judge:J02", "k-1", got_sum, &status, &response, &err));
	assert_int_equal(status, 201);
	assert_string_equal(response, "{\"revision\":1}");
	assert_memory_equal(got_sum, sum, 32);
	free(response);
	response = NULL;

	/* Keys belong to their submitter. */
	EXPECT(CT_NOT_FOUND, store_idem_get(f->st, "judge:J01", "k-1", got_sum, &status, &response, &err));
	EXPECT(CT_NOT_FOUND, store_idem_get(f->st, "judge:J02", "k-2", got_sum, &status, &response, &err));
	assert_null(response);
	/* A key is recorded once. */
	EXPECT(CT_CONFLICT, store_idem_put(f->st, "judge:J02", "k-1", sum, 400, "{}", &err));
	EXPECT(CT_OK, store_idem_get(f->st, "judge:J02", "k-1", got_sum, &status, &response, &err));
	assert_int_equal(status, 201);
	free(response);
}

static void test_tokens(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	unsigned char judge_hash[32], admin_hash[32], unknown[32];
	memset(judge_hash, 0x11, sizeof judge_hash);
	memset(admin_hash, 0x22, sizeof admin_hash);
	memset(unknown, 0x33, sizeof unknown);
	const int64_t expires = 4102444800; /* 2100-01-01 */
	const int64_t j02 = judge_id(f, "J02");
	struct organizer_login admin;
	unsigned char pk[32] = {1}, sk[64] = {2};
	EXPECT(CT_OK, store_contest_init(f->st, "C", "大赛", "https://x.example", pk, sk, "h", &err));
	EXPECT(CT_OK, store_organizer_login(f->st, "admin", &admin, &err));
	const struct token_info tj = {.judge_id = j02, .judge_code = "J02", .expires = expires};
	const struct token_info ta = {.admin = true, .expires = expires, .organizer_id = admin.id};
	EXPECT(CT_OK, store_token_put(f->st, judge_hash, &tj, &err));
	EXPECT(CT_OK, store_token_put(f->st, admin_hash, &ta, &err));

	struct token_info got;
	EXPECT(CT_OK, store_token_get(f->st, judge_hash, expires - 1, &got, &err));
	assert_false(got.admin);
	assert_int_equal(got.judge_id, j02);
	assert_string_equal(got.judge_code, "J02");
	assert_int_equal(got.expires, expires);
	EXPECT(CT_OK, store_token_get(f->st, admin_hash, expires - 3600, &got, &err));
	assert_true(got.admin);
	assert_int_equal(got.judge_id, 0);
	assert_string_equal(got.judge_code, "");
	assert_int_equal(got.organizer_id, admin.id);
	assert_string_equal(got.organizer, "admin");

	EXPECT(CT_UNAUTHORIZED, store_token_get(f->st, judge_hash, expires, &got, &err));
	assert_msg_has(&err, "expired");
	EXPECT(CT_UNAUTHORIZED, store_token_get(f->st, admin_hash, expires + 1, &got, &err));
	EXPECT(CT_UNAUTHORIZED, store_token_get(f->st, unknown, 0, &got, &err));
	assert_msg_has(&err, "unknown");
}

static void test_judge_login(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	struct judge_login jl;
	EXPECT(CT_OK, store_judge_login(f->st, "J01", &jl, &err));
	assert_string_equal(jl.pin_hash, "x");
	assert_true(jl.id > 0);
	assert_int_not_equal(jl.id, judge_id(f, "J02"));
	/* A later row with a PIN sets the new PIN; one without keeps it. */
	const struct judge_row repin[] = {{"J01", "周裁判", "第二中学", "y", "WELD", "judge"}};
	EXPECT(CT_OK, store_judges_add(f->st, "admin", repin, 1, &err));
	EXPECT(CT_OK, store_judge_login(f->st, "J01", &jl, &err));
	assert_string_equal(jl.pin_hash, "y");
	EXPECT(CT_NOT_FOUND, store_judge_login(f->st, "J99", &jl, &err));
}

/* ---- the chief judge's workflow ---- */

/* A file-backed contest with keys, the fixture registered and drawn. */
static int setup_file_drawn(void **state)
{
	struct fx *f = fx_new(true);
	struct ct_err err;
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	crypto_sign_keypair(pk, sk);
	EXPECT(CT_OK, store_contest_init(f->st, "SZ2026", "大赛", "https://x.example", pk, sk, "h", &err));
	fx_register(f);
	fx_draw(f);
	*state = f;
	return 0;
}

/* Runs SQL on the database file through a second connection (a hand edit). */
static void sql_on_file(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(db);
}

static void test_accept(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	const char *c01 = code_of(f, "C01"), *c02 = code_of(f, "C02");
	assert_int_equal(judge_put(f, "J01", c01, "A1", 500, NULL, &err), CT_OK);
	assert_int_equal(judge_put(f, "J02", c01, "A1", 600, NULL, &err), CT_OK);
	int64_t v = version(f, "CNC");
	/* A1 is a measurement: the value that stands is required, within the max. */
	EXPECT(CT_INVALID, store_accept(f->st, "judge:H01", "chief", "CNC", c01, "A1", -1, "复核", &err));
	assert_msg_has(&err, "--value");
	EXPECT(CT_INVALID, store_accept(f->st, "judge:H01", "chief", "CNC", c01, "A1", 1001, "复核", &err));
	assert_msg_has(&err, "over the max 10.00");
	/* A2 is a mean: no value. No reason: refused. */
	EXPECT(CT_INVALID, store_accept(f->st, "judge:H01", "chief", "CNC", c01, "A2", 500, "复核", &err));
	EXPECT(CT_INVALID, store_accept(f->st, "judge:H01", "chief", "CNC", c01, "A1", 550, "", &err));
	/* A chief names contestants by code only; an organizer may use the reg_id. */
	EXPECT(CT_NOT_FOUND, store_accept(f->st, "judge:H01", "chief", "CNC", "C01", "A1", 550, "复核", &err));
	EXPECT(CT_NOT_FOUND, store_accept(f->st, "judge:H01", "chief", "CNC", c01, "Z9", 550, "复核", &err));
	assert_int_equal(version(f, "CNC"), v);

	EXPECT(CT_OK, store_accept(f->st, "judge:H01", "chief", "CNC", c01, "A1", 550, "复核无误", &err));
	assert_true(version(f, "CNC") > v);
	char last[512], want[512];
	audit_last(f->path, last, sizeof last);
	snprintf(want, sizeof want, "judge:H01|accept|CNC/%s/A1|-|5.50|chief|复核无误", c01);
	assert_string_equal(last, want);
	struct event_data *d = load(f, "CNC");
	assert_int_equal(d->n_accepts, 1);
	assert_true(d->accepts[0].has_value);
	assert_int_equal(d->accepts[0].value_c, 550);
	assert_string_equal(d->accept_info[0].reason, "复核无误");
	assert_string_equal(d->accept_info[0].by, "judge:H01");
	event_data_free(d);

	/* Accepting again replaces it; an organizer by reg_id; a mean without value. */
	EXPECT(CT_OK, store_accept(f->st, "organizer:admin", "organizer", "CNC", "C01", "A1", 500, "以J01为准", &err));
	EXPECT(CT_OK, store_accept(f->st, "organizer:admin", "organizer", "CNC", c02, "A2", -1, "差异合理", &err));
	d = load(f, "CNC");
	assert_int_equal(d->n_accepts, 2);
	event_data_free(d);
	/* A changed value reopens it. */
	assert_int_equal(judge_put(f, "J02", c01, "A1", 500, NULL, &err), CT_OK);
	d = load(f, "CNC");
	assert_int_equal(d->n_accepts, 1);
	assert_string_equal(d->criteria[d->accepts[0].criterion].code, "A2");
	assert_false(d->accepts[0].has_value);
	event_data_free(d);

	/* Nothing is accepted after the lock. */
	const struct wf_facts ready = {0};
	EXPECT(CT_OK, store_event_transition(f->st, "organizer:admin", NULL, "CNC", WF_LOCK, &ready, NULL, NULL, &err));
	EXPECT(CT_CONFLICT, store_accept(f->st, "judge:H01", "chief", "CNC", c01, "A1", 550, "复核", &err));
	assert_string_equal(err.msg, "event CNC is locked; scores can no longer change (an organizer can unlock it: "
				     "judge-cli unlock CNC --reason R)");
}

static void put_token(struct fx *f, unsigned char fill, const char *judge, unsigned char hash[32])
{
	struct ct_err err;
	memset(hash, fill, 32);
	struct token_info t = {.judge_id = judge_id(f, judge), .expires = 4102444800};
	snprintf(t.judge_code, sizeof t.judge_code, "%s", judge);
	EXPECT(CT_OK, store_token_put(f->st, hash, &t, &err));
}

static bool token_valid(struct fx *f, const unsigned char hash[32])
{
	struct token_info got;
	return store_token_get(f->st, hash, 1, &got, NULL) == CT_OK;
}

static void test_withdraw(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	/* J02 also judges WELD (still in setup). */
	const struct judge_row more[] = {{"J02", "吴裁判", "", NULL, "WELD", "judge"}};
	EXPECT(CT_OK, store_judges_add(f->st, "organizer:admin", more, 1, &err));
	unsigned char t01[32], t02[32];
	put_token(f, 0x41, "J01", t01);
	put_token(f, 0x42, "J02", t02);
	const char *c01 = code_of(f, "C01");
	assert_int_equal(judge_put(f, "J01", c01, "A2", 700, NULL, &err), CT_OK);

	EXPECT(CT_INVALID, store_judge_withdraw(f->st, "organizer:admin", "CNC", "J01", "", &err));
	EXPECT(CT_NOT_FOUND, store_judge_withdraw(f->st, "organizer:admin", "CNC", "J09", "病假", &err));
	assert_string_equal(err.msg, "judge J09 is not assigned to event CNC");
	EXPECT(CT_CONFLICT, store_judge_withdraw(f->st, "organizer:admin", "WELD", "J02", "病假", &err));
	assert_msg_has(&err, "event WELD is in setup; a judge is withdrawn only after the draw");
	int64_t v = version(f, "CNC");
	EXPECT(CT_OK, store_judge_withdraw(f->st, "organizer:admin", "CNC", "J01", "病假", &err));
	assert_true(version(f, "CNC") > v);
	char last[512];
	audit_last(f->path, last, sizeof last);
	assert_string_equal(last, "organizer:admin|judge.withdraw|CNC/J01|judge|withdrawn|organizer|病假");
	EXPECT(CT_CONFLICT, store_judge_withdraw(f->st, "organizer:admin", "CNC", "J01", "病假", &err));
	assert_msg_has(&err, "withdrawn from event CNC already");
	/* J01 has no assignment left: logged out. */
	assert_false(token_valid(f, t01));
	/* J01 scores no more; the old value stays in the history. */
	assert_int_equal(judge_put(f, "J01", c01, "A2", 800, NULL, &err), CT_FORBIDDEN);
	assert_msg_has(&err, "was withdrawn from event CNC");
	assert_int_equal(put_as(f, true, "J01", "C01", "A2", 800, NULL, &err), CT_FORBIDDEN);
	struct event_data *d = load(f, "CNC");
	assert_int_equal(value_in(d, "C01", "A2", "J01"), 700);
	for (uint32_t j = 0; j < d->n_judges; j++)
		assert_int_equal(d->judges[j].withdrawn, strcmp(d->judges[j].code, "J01") == 0);
	event_data_free(d);
	/* J01's event list no longer has CNC. */
	struct event_summary *list = NULL;
	size_t n = 9;
	EXPECT(CT_OK, store_events_list(f->st, judge_id(f, "J01"), &list, &n, &err));
	assert_int_equal(n, 0);
	event_summaries_free(list, n);

	/* J02 is withdrawn from CNC but still judges WELD: keeps its token. */
	EXPECT(CT_OK, store_judge_withdraw(f->st, "organizer:admin", "CNC", "J02", "回避", &err));
	assert_true(token_valid(f, t02));
	/* A judge can be added to the drawn event. */
	const struct judge_row late[] = {{"J05", "新裁判", "", "x", "CNC", "judge"}};
	EXPECT(CT_OK, store_judges_add(f->st, "organizer:admin", late, 1, &err));
	assert_int_equal(judge_put(f, "J05", c01, "A2", 650, NULL, &err), CT_OK);
}

static void test_organizers(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	EXPECT(CT_OK, store_organizer_add(f->st, "organizer:admin", "alice", "h-alice", &err));
	EXPECT(CT_CONFLICT, store_organizer_add(f->st, "organizer:admin", "alice", "h2", &err));
	assert_string_equal(err.msg, "there is an organizer account alice already");
	char last[512];
	audit_last(f->path, last, sizeof last);
	assert_string_equal(last, "organizer:admin|organizer.add|alice|-|-|organizer|-");
	struct organizer_login o;
	EXPECT(CT_OK, store_organizer_login(f->st, "alice", &o, &err));
	assert_string_equal(o.secret_hash, "h-alice");
	assert_false(o.disabled);
	unsigned char th[32];
	memset(th, 0x77, sizeof th);
	struct token_info t = {.admin = true, .expires = 4102444800, .organizer_id = o.id, .organizer = "alice"};
	EXPECT(CT_OK, store_token_put(f->st, th, &t, &err));
	audit_last(f->path, last, sizeof last);
	assert_string_equal(last, "organizer:alice|login|organizer:alice|-|-|organizer|-");
	assert_true(token_valid(f, th));

	EXPECT(CT_OK, store_organizer_disable(f->st, "organizer:admin", "alice", &err));
	assert_false(token_valid(f, th));
	EXPECT(CT_OK, store_organizer_login(f->st, "alice", &o, &err));
	assert_true(o.disabled);
	EXPECT(CT_CONFLICT, store_organizer_disable(f->st, "organizer:admin", "alice", &err));
	/* The last active account stays. */
	EXPECT(CT_CONFLICT, store_organizer_disable(f->st, "organizer:admin", "admin", &err));
	assert_msg_has(&err, "last active organizer account");
	EXPECT(CT_NOT_FOUND, store_organizer_disable(f->st, "organizer:admin", "bob", &err));

	struct organizer_info *list = NULL;
	size_t n = 0;
	EXPECT(CT_OK, store_organizers_list(f->st, &list, &n, &err));
	assert_int_equal(n, 2);
	assert_string_equal(list[0].name, "admin");
	assert_null(list[0].disabled_at);
	assert_string_equal(list[0].created_by, "system");
	assert_string_equal(list[1].name, "alice");
	assert_non_null(list[1].disabled_at);
	assert_string_equal(list[1].disabled_by, "organizer:admin");
	organizers_free(list, n);
}

/* A new PIN, and a logout, end the sessions they should. */
static void test_token_revocation(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	unsigned char t01[32], t02[32];
	put_token(f, 0x11, "J01", t01);
	put_token(f, 0x12, "J02", t02);
	/* An assignment without a PIN keeps the PIN and the sessions. */
	const struct judge_row keep[] = {{"J01", "周裁判", "第二中学", NULL, "WELD", "judge"}};
	EXPECT(CT_OK, store_judges_add(f->st, "organizer:admin", keep, 1, &err));
	assert_true(token_valid(f, t01));
	/* A new PIN logs the judge out everywhere, audited. */
	const struct judge_row repin[] = {{"J02", "吴裁判", "", "new-hash", "WELD", "judge"}};
	EXPECT(CT_OK, store_judges_add(f->st, "organizer:admin", repin, 1, &err));
	assert_false(token_valid(f, t02));
	assert_true(token_valid(f, t01));
	assert_int_equal(audit_rows(f->path, "judge.pin"), 1);
	/* Logout. */
	EXPECT(CT_OK, store_token_revoke(f->st, "judge:J01", t01, &err));
	assert_false(token_valid(f, t01));
	EXPECT(CT_UNAUTHORIZED, store_token_revoke(f->st, "judge:J01", t01, &err));
	char last[512];
	audit_last(f->path, last, sizeof last);
	assert_string_equal(last, "judge:J01|logout|judge:J01|-|-|judge|-");
}

/* verify on the fixture, with a few scores, a lock and an unlock. */
static void verify(struct fx *f, const struct audit_checkpoint *cp, struct audit_verdict *v)
{
	struct ct_err err;
	EXPECT(CT_OK, store_audit_verify(f->st, cp, v, &err));
}

static void test_audit_verify(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	struct audit_verdict v;
	const char *c01 = code_of(f, "C01");
	assert_int_equal(judge_put(f, "J02", c01, "A1", 500, NULL, &err), CT_OK);
	assert_int_equal(judge_put(f, "J02", c01, "A1", 650, NULL, &err), CT_OK);
	const struct checkin_row absent[] = {{"C02", ENTRY_ABSENT, -1, "缺考"}};
	EXPECT(CT_OK, store_checkin(f->st, "organizer:admin", absent, 1, &err));
	verify(f, NULL, &v);
	if (!v.ok)
		fail_msg("an untouched database fails: %s", v.problem);
	int64_t records = v.records;
	assert_int_equal(records, audit_rows(f->path, NULL));

	/* A score edited by hand. */
	sql_on_file(f->path, "UPDATE scores SET value_c = 900");
	verify(f, NULL, &v);
	assert_false(v.ok);
	char want[512];
	snprintf(want, sizeof want, "score CNC/%s/A1/J02 is 9.00, revision 2, in the database, but the audit trail says "
		 "6.50, revision 2 (record %lld)", c01, (long long)v.seq);
	assert_string_equal(v.problem, want);
	sql_on_file(f->path, "UPDATE scores SET value_c = 650");
	verify(f, NULL, &v);
	assert_true(v.ok);
	/* A revision count, a deleted score. */
	sql_on_file(f->path, "UPDATE scores SET revision = 1");
	verify(f, NULL, &v);
	assert_false(v.ok);
	sql_on_file(f->path, "DELETE FROM scores");
	verify(f, NULL, &v);
	assert_false(v.ok);
	assert_non_null(strstr(v.problem, "is in the audit trail"));
	assert_non_null(strstr(v.problem, "but not in the database"));
	EXPECT(CT_OK, store_begin(f->st, &err));
	store_rollback(f->st);
}

static void test_audit_verify_states(void **state)
{
	struct fx *f = *state;
	struct audit_verdict v;
	sql_on_file(f->path, "UPDATE events SET state = 'locked' WHERE code = 'CNC'");
	verify(f, NULL, &v);
	assert_false(v.ok);
	/* records: init, admin, 2 events, 3 criteria, 4 contestants, 4 assignments, the draw (16) */
	assert_string_equal(v.problem, "event CNC is locked in the database, but the audit trail says drawn "
				       "(record 16)");
	sql_on_file(f->path, "UPDATE events SET state = 'drawn' WHERE code = 'CNC';"
			     "UPDATE contestants SET status = 'disqualified' WHERE reg_id = 'C03'");
	verify(f, NULL, &v);
	assert_false(v.ok);
	assert_string_equal(v.problem, "contestant C03 of event CNC is disqualified in the database, but the audit "
				       "trail says competed (record 16)");
	sql_on_file(f->path, "UPDATE contestants SET status = 'competed' WHERE reg_id = 'C03'");
	verify(f, NULL, &v);
	assert_true(v.ok);
}

static void test_audit_record_edited(void **state)
{
	struct fx *f = *state;
	struct audit_verdict v;
	/* record 3 registered event CNC, 数控铣 */
	sql_on_file(f->path, "UPDATE audit SET new_value = '铣床' WHERE seq = 3");
	verify(f, NULL, &v);
	assert_false(v.ok);
	assert_int_equal(v.seq, 3);
	assert_string_equal(v.problem, "audit record 3 (admin event.add CNC) was altered: its hash does not match its "
				       "fields");
	sql_on_file(f->path, "UPDATE audit SET new_value = '数控铣' WHERE seq = 3; DELETE FROM audit WHERE seq = 9");
	verify(f, NULL, &v);
	assert_false(v.ok);
	assert_int_equal(v.seq, 10);
	assert_non_null(strstr(v.problem, "does not follow record 8"));
}

/* Rewrites the whole chain after changing record seq's new value, as an
 * attacker with the file and the algorithm would. */
static void rewrite_chain(const char *path, int64_t seq, const char *new_value)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL, *u = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
	char sql[160];
	snprintf(sql, sizeof sql, "UPDATE audit SET new_value = '%s' WHERE seq = %lld", new_value, (long long)seq);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT seq, at, actor, action, object, old_value, new_value, role, "
						"reason FROM audit ORDER BY seq", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "UPDATE audit SET prev_hash = ?1, hash = ?2 WHERE seq = ?3", -1, &u, NULL),
			 SQLITE_OK);
	unsigned char prev[AUDIT_HASH_BYTES] = {0}, hash[AUDIT_HASH_BYTES];
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *t[8];
		for (int i = 0; i < 8; i++)
			t[i] = (const char *)sqlite3_column_text(s, 1 + i);
		struct audit_record r = {t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7]};
		audit_hash(prev, &r, hash);
		sqlite3_bind_blob(u, 1, prev, AUDIT_HASH_BYTES, SQLITE_TRANSIENT);
		sqlite3_bind_blob(u, 2, hash, AUDIT_HASH_BYTES, SQLITE_TRANSIENT);
		sqlite3_bind_int64(u, 3, sqlite3_column_int64(s, 0));
		assert_int_equal(sqlite3_step(u), SQLITE_DONE);
		sqlite3_reset(u);
		memcpy(prev, hash, sizeof prev);
	}
	sqlite3_finalize(s);
	sqlite3_finalize(u);
	assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void test_audit_checkpoint(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	struct audit_verdict v;
	struct audit_checkpoint cp;
	EXPECT(CT_OK, store_audit_checkpoint(f->st, "organizer:admin", &cp, &err));
	assert_string_equal(cp.contest, "SZ2026");
	char last[512];
	audit_last(f->path, last, sizeof last);
	assert_string_equal(last, "organizer:admin|audit.checkpoint|SZ2026|-|-|organizer|-");
	assert_int_equal(cp.seq, audit_rows(f->path, NULL));
	verify(f, &cp, &v);
	if (!v.ok)
		fail_msg("a fresh checkpoint fails: %s", v.problem);
	/* Later records do not matter to it. */
	assert_int_equal(judge_put(f, "J02", code_of(f, "C01"), "A1", 500, NULL, &err), CT_OK);
	verify(f, &cp, &v);
	assert_true(v.ok);

	/* An altered checkpoint does not verify. */
	struct audit_checkpoint bad = cp;
	bad.seq--;
	verify(f, &bad, &v);
	assert_false(v.ok);
	assert_non_null(strstr(v.problem, "signature does not verify"));
	bad = cp;
	snprintf(bad.contest, sizeof bad.contest, "OTHER");
	verify(f, &bad, &v);
	assert_false(v.ok);

	/* A rewritten chain is whole again, but not the one the checkpoint signed. */
	rewrite_chain(f->path, 3, "铣床");
	verify(f, NULL, &v);
	assert_true(v.ok);
	verify(f, &cp, &v);
	assert_false(v.ok);
	assert_int_equal(v.seq, cp.seq);
	assert_non_null(strstr(v.problem, "the trail up to it was rewritten"));

	/* A trail cut before the checkpoint's record. */
	rewrite_chain(f->path, 3, "数控铣");
	verify(f, &cp, &v);
	assert_true(v.ok);
	char sql[96];
	snprintf(sql, sizeof sql, "DELETE FROM audit WHERE seq >= %lld; DELETE FROM scores", (long long)cp.seq);
	sql_on_file(f->path, sql);
	verify(f, &cp, &v);
	assert_false(v.ok);
	assert_non_null(strstr(v.problem, "records were removed"));
}

static void test_audit_log(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	const char *c01 = code_of(f, "C01");
	assert_int_equal(judge_put(f, "J02", c01, "A1", 500, NULL, &err), CT_OK);
	const struct wf_facts reason = {.reason = "复核"}, ready = {0};
	EXPECT(CT_OK, store_event_transition(f->st, "organizer:admin", NULL, "CNC", WF_LOCK, &ready, NULL, NULL, &err));
	EXPECT(CT_OK, store_event_transition(f->st, "organizer:admin", NULL, "CNC", WF_UNLOCK, &reason, "复核", NULL, &err));
	struct audit_row *rows = NULL;
	size_t n = 0;
	struct audit_filter by_judge = {.actor = "judge:J02", .limit = 100};
	EXPECT(CT_OK, store_audit_log(f->st, &by_judge, &rows, &n, &err));
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].action, "score");
	assert_string_equal(rows[0].role, "judge");
	assert_string_equal(rows[0].new_value, "5.00");
	assert_null(rows[0].old_value);
	audit_rows_free(rows, n);
	/* About one event: CNC and CNC/..., not CNCX or WELD. */
	struct audit_filter cnc = {.event = "CNC", .limit = 1000};
	EXPECT(CT_OK, store_audit_log(f->st, &cnc, &rows, &n, &err));
	/* event.add, 3 criteria, 4 contestants, 3 assignments, draw, score, lock, unlock */
	assert_int_equal(n, 15);
	assert_string_equal(rows[n - 1].action, "unlock");
	assert_string_equal(rows[n - 1].reason, "复核");
	assert_string_equal(rows[n - 1].old_value, "locked");
	int64_t unlock_seq = rows[n - 1].seq;
	/* records before schema 2 have no role: the log derives it from the actor */
	assert_string_equal(rows[0].role, "organizer");
	audit_rows_free(rows, n);
	/* Paging: after and limit. */
	struct audit_filter page = {.event = "CNC", .after = unlock_seq - 2, .limit = 1};
	EXPECT(CT_OK, store_audit_log(f->st, &page, &rows, &n, &err));
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].action, "lock");
	audit_rows_free(rows, n);
	struct audit_filter later = {.since = "2999-01-01", .limit = 10};
	EXPECT(CT_OK, store_audit_log(f->st, &later, &rows, &n, &err));
	assert_int_equal(n, 0);
	audit_rows_free(rows, n);
}

/* ---- corrections (issue 8) ---- */

/* The audit record "ACTION|OBJECT|OLD|NEW" ("-" for NULL) exists. */
static void assert_audited(const char *path, const char *want)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT count(*) FROM audit WHERE action || '|' || object || '|' || "
					    "coalesce(old_value, '-') || '|' || coalesce(new_value, '-') = ?",
					    -1, &s, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(s, 1, want, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	if (n != 1)
		fail_msg("%d audit records \"%s\", want 1", n, want);
}

/* The fixture registered in a file database with a contest (for the
 * audit trail), not drawn. */
static int setup_file_registered(void **state)
{
	struct fx *f = fx_new(true);
	struct ct_err err;
	unsigned char pk[32] = {1}, sk[64] = {2};
	EXPECT(CT_OK, store_contest_init(f->st, "SZ2026", "大赛", "https://x.example", pk, sk, "h", &err));
	fx_register(f);
	*state = f;
	return 0;
}

static void test_event_set(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	struct sheet_warnings warn;
	int64_t v = version(f, "CNC");
	struct event_patch p = {.name = "数控铣削", .ratios = true, .ratio_c = {1500, 2500, 3000}, .min_award_c = 6000,
				.tiebreak = "module:Z;time", .discrepancy_pct = -2};
	EXPECT(CT_OK, store_event_set(f->st, "organizer:admin", "CNC", &p, &warn, &err));
	assert_true(version(f, "CNC") > v);
	/* the sheet checked again: module Z is not on it, a warning */
	assert_int_equal(warn.n, 1);
	assert_string_equal(warn.msg[0], "tie-break key module:Z names an unknown module \"Z\"");
	struct event_data *d = load(f, "CNC");
	assert_string_equal(d->name, "数控铣削");
	assert_int_equal(d->ratio_c[0], 1500);
	assert_int_equal(d->ratio_c[1], 2500);
	assert_int_equal(d->min_award_c, 6000);
	assert_string_equal(d->tiebreak, "module:Z;time");
	assert_int_equal(d->discrepancy_pct, 20);
	event_data_free(d);
	assert_audited(f->path, "event.set|CNC|name 数控铣|name 数控铣削");
	assert_audited(f->path, "event.set|CNC|award_ratios 10/20/30|award_ratios 15/25/30");
	assert_audited(f->path, "event.set|CNC|min_award_score none|min_award_score 60.00");
	assert_audited(f->path, "event.set|CNC|tiebreak module:B;time|tiebreak module:Z;time");
	/* unchanged fields are not audited */
	assert_int_equal(audit_rows(f->path, "event.set"), 4);
	/* a correction that changes nothing changes no data_version either */
	v = version(f, "CNC");
	const struct event_patch same = {.name = "数控铣削", .min_award_c = -2, .discrepancy_pct = 20};
	EXPECT(CT_OK, store_event_set(f->st, "organizer:admin", "CNC", &same, &warn, &err));
	assert_int_equal(version(f, "CNC"), v);
	assert_int_equal(audit_rows(f->path, "event.set"), 4);

	/* an error of the sheet refuses the change whole */
	struct event_patch bad = {.name = "不该改", .min_award_c = -2, .tiebreak = "time;time", .discrepancy_pct = -2};
	EXPECT(CT_INVALID, store_event_set(f->st, "organizer:admin", "CNC", &bad, &warn, &err));
	assert_msg_has(&err, "event CNC: ");
	d = load(f, "CNC");
	assert_string_equal(d->name, "数控铣削");
	event_data_free(d);
	struct event_patch clear = {.min_award_c = -1, .tiebreak = "", .discrepancy_pct = 25};
	EXPECT(CT_OK, store_event_set(f->st, "organizer:admin", "CNC", &clear, &warn, &err));
	assert_int_equal(warn.n, 0);
	assert_audited(f->path, "event.set|CNC|min_award_score 60.00|min_award_score none");
	assert_audited(f->path, "event.set|CNC|tiebreak module:Z;time|tiebreak none");
	assert_audited(f->path, "event.set|CNC|discrepancy_pct 20|discrepancy_pct 25");
	EXPECT(CT_NOT_FOUND, store_event_set(f->st, "organizer:admin", "NOPE", &clear, &warn, &err));
	fx_draw(f);
	EXPECT(CT_CONFLICT, store_event_set(f->st, "organizer:admin", "CNC", &clear, &warn, &err));
	assert_string_equal(err.msg, "event CNC is drawn; its score sheet is fixed by the draw");
}

static void test_modules_criteria_corrected(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	struct sheet_warnings warn;
	const struct module_patch a50 = {"铣削加工", 50};
	EXPECT(CT_OK, store_module_set(f->st, "organizer:admin", "CNC", "A", &a50, &warn, &err));
	assert_int_equal(warn.n, 1);
	assert_string_equal(warn.msg[0], "module weights add up to 90, not 100");
	assert_audited(f->path, "module.set|CNC/A|weight 60|weight 50");
	assert_audited(f->path, "module.set|CNC/A|name 铣削|name 铣削加工");
	/* a weight taken from one module of a weighted sheet is an error */
	const struct module_patch none = {NULL, -1};
	EXPECT(CT_INVALID, store_module_set(f->st, "organizer:admin", "CNC", "B", &none, &warn, &err));
	assert_msg_has(&err, "module B has no weight but others have one");
	const struct module_patch b50 = {NULL, 50};
	EXPECT(CT_OK, store_module_set(f->st, "organizer:admin", "CNC", "B", &b50, &warn, &err));
	assert_int_equal(warn.n, 0);
	EXPECT(CT_NOT_FOUND, store_module_set(f->st, "organizer:admin", "CNC", "Q", &b50, &warn, &err));
	assert_string_equal(err.msg, "no module Q in event CNC");

	/* A2 mean 20 -> trimmed 15: module A's max is 10 + 15 */
	const struct criterion_patch a2 = {"表面", 1500, true, METHOD_TRIMMED};
	EXPECT(CT_OK, store_criterion_set(f->st, "organizer:admin", "CNC", "A2", &a2, &warn, &err));
	assert_audited(f->path, "criterion.set|CNC/A/A2|max 20.00|max 15.00");
	assert_audited(f->path, "criterion.set|CNC/A/A2|method mean|method trimmed");
	assert_audited(f->path, "criterion.set|CNC/A/A2|description 表面质量|description 表面");
	struct event_data *d = load(f, "CNC");
	struct sheet sheet;
	event_sheet(d, &sheet);
	int64_t max_c[2];
	sheet_module_max(&sheet, max_c);
	assert_int_equal(max_c[0], 2500);
	assert_int_equal(d->criteria[1].method, METHOD_TRIMMED);
	event_data_free(d);
	/* B1 is module B's only criterion: as a deduction B would give no marks */
	const struct criterion_patch ded = {NULL, -1, true, METHOD_DEDUCTION};
	EXPECT(CT_INVALID, store_criterion_set(f->st, "organizer:admin", "CNC", "B1", &ded, &warn, &err));
	assert_msg_has(&err, "module B has no criterion that gives marks");
	d = load(f, "CNC");
	assert_int_equal(d->criteria[2].method, METHOD_JUDGEMENT);
	event_data_free(d);

	/* A1 goes, A stays with A2; B1 goes and takes module B with it */
	bool module_gone = true;
	EXPECT(CT_OK, store_criterion_delete(f->st, "organizer:admin", "CNC", "A1", &module_gone, &warn, &err));
	assert_false(module_gone);
	assert_audited(f->path, "criterion.delete|CNC/A/A1|measurement max 10.00|-");
	EXPECT(CT_OK, store_criterion_delete(f->st, "organizer:admin", "CNC", "B1", &module_gone, &warn, &err));
	assert_true(module_gone);
	assert_audited(f->path, "module.delete|CNC/B|工艺, weight 50, 0 criteria|-");
	/* the tie-break module:B now names nothing, the weights add up to 50 */
	assert_int_equal(warn.n, 2);
	EXPECT(CT_NOT_FOUND, store_criterion_delete(f->st, "organizer:admin", "CNC", "B1", &module_gone, &warn, &err));
	assert_string_equal(err.msg, "no criterion B1 in event CNC");

	/* a module added after deletions goes last */
	const struct criterion_row c[] = {{"CNC", "C", "新", 50, "C1", "新项", 500, METHOD_MEAN}};
	EXPECT(CT_OK, store_criteria_add(f->st, "organizer:admin", c, 1, &err));
	uint32_t gone = 0;
	d = load(f, "CNC");
	assert_int_equal(d->n_modules, 2);
	assert_string_equal(d->modules[1].code, "C");
	event_data_free(d);
	EXPECT(CT_OK, store_module_delete(f->st, "organizer:admin", "CNC", "A", &gone, &warn, &err));
	assert_int_equal(gone, 1);
	assert_audited(f->path, "module.delete|CNC/A|铣削加工, weight 50, 1 criterion|-");
	const struct module_patch c100 = {NULL, 100};
	EXPECT(CT_OK, store_module_set(f->st, "organizer:admin", "CNC", "C", &c100, &warn, &err));
	struct event_patch tb = {.min_award_c = -2, .tiebreak = "criterion:C1", .discrepancy_pct = -2};
	EXPECT(CT_OK, store_event_set(f->st, "organizer:admin", "CNC", &tb, &warn, &err));
	assert_int_equal(warn.n, 0);
	fx_draw(f);
	EXPECT(CT_CONFLICT, store_module_delete(f->st, "organizer:admin", "CNC", "C", &gone, &warn, &err));
	EXPECT(CT_CONFLICT, store_criterion_set(f->st, "organizer:admin", "CNC", "C1", &a2, &warn, &err));
	assert_string_equal(err.msg, "event CNC is drawn; its score sheet is fixed by the draw");
}

static void test_criteria_replace(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	struct sheet_replaced *out = NULL;
	size_t n = 0;
	/* CNC's sheet and WELD's, in one file; WELD named before and after CNC */
	const struct criterion_row rows[] = {
		{"WELD", "W", "焊接", -1, "W1", "焊缝", 1000, METHOD_MEAN},
		{"CNC", "B", "工艺", 100, "B1", "工艺规范", 800, METHOD_MEAN},
		{"WELD", "W", "", -1, "W2", "外观", 500, METHOD_JUDGEMENT},
	};
	int64_t v = version(f, "CNC");
	EXPECT(CT_OK, store_criteria_replace(f->st, "organizer:admin", rows, COUNT(rows), &out, &n, &err));
	assert_true(version(f, "CNC") > v);
	assert_int_equal(n, 2);
	assert_string_equal(out[0].event, "WELD");
	assert_int_equal(out[0].modules, 1);
	assert_int_equal(out[0].criteria, 2);
	assert_int_equal(out[0].warn.n, 0);
	assert_string_equal(out[1].event, "CNC");
	assert_int_equal(out[1].criteria, 1);
	assert_int_equal(out[1].warn.n, 0);
	free(out);
	struct event_data *d = load(f, "CNC");
	assert_int_equal(d->n_modules, 1);
	assert_int_equal(d->n_criteria, 1);
	assert_string_equal(d->criteria[0].code, "B1");
	assert_int_equal(d->criteria[0].max_c, 800);
	event_data_free(d);
	assert_audited(f->path, "sheet.replace|CNC|A 铣削 60%: A1 measurement 10.00, A2 mean 20.00; B 工艺 40%: "
				"B1 judgement 6.00|B 工艺 100%: B1 mean 8.00");
	assert_audited(f->path, "sheet.replace|WELD|-|W 焊接: W1 mean 10.00, W2 judgement 5.00");

	/* All or nothing across the file: a row of an unknown event keeps CNC as it is. */
	const struct criterion_row bad[] = {
		{"CNC", "A", "新", -1, "A1", "新", 100, METHOD_MEAN},
		{"NOPE", "A", "新", -1, "A1", "新", 100, METHOD_MEAN},
	};
	EXPECT(CT_INVALID, store_criteria_replace(f->st, "organizer:admin", bad, COUNT(bad), &out, &n, &err));
	assert_at(&err, 1, "event");
	assert_null(out);
	/* a deductions-only module in the new sheet: refused, located */
	const struct criterion_row ded[] = {{"CNC", "D", "扣分", -1, "D1", "扣", 100, METHOD_DEDUCTION}};
	EXPECT(CT_INVALID, store_criteria_replace(f->st, "organizer:admin", ded, 1, &out, &n, &err));
	assert_at(&err, 0, "module");
	d = load(f, "CNC");
	assert_int_equal(d->n_criteria, 1);
	assert_string_equal(d->criteria[0].code, "B1");
	event_data_free(d);
	fx_draw(f);
	EXPECT(CT_CONFLICT, store_criteria_replace(f->st, "organizer:admin", rows, COUNT(rows), &out, &n, &err));
	assert_at(&err, 1, "event");
	assert_msg_has(&err, "event CNC is drawn; its score sheet is fixed by the draw");
}

static void test_event_delete(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	struct event_counts n = {0};
	int64_t old = version(f, "CNC");
	EXPECT(CT_OK, store_event_delete(f->st, "organizer:admin", "CNC", &n, &err));
	assert_int_equal(n.modules, 2);
	assert_int_equal(n.criteria, 3);
	assert_int_equal(n.contestants, 4);
	assert_int_equal(n.assignments, 3);
	assert_int_equal(n_events(f), 1);
	assert_audited(f->path, "event.delete|CNC|数控铣: 2 modules, 3 criteria, 4 contestants, 3 judge assignments|-");
	/* the judges stay registered */
	judge_id(f, "J01");
	EXPECT(CT_NOT_FOUND, store_event_delete(f->st, "organizer:admin", "CNC", &n, &err));
	/* registered again under its code: a data_version past the old one's */
	EXPECT(CT_OK, store_events_add(f->st, "organizer:admin", fx_events, 1, &err));
	assert_true(version(f, "CNC") > old);
	EXPECT(CT_OK, store_contestants_add(f->st, "organizer:admin", fx_contestants, 1, &err));
	struct audit_verdict v;
	EXPECT(CT_OK, store_audit_verify(f->st, NULL, &v, &err));
	if (!v.ok)
		fail_msg("audit verify after an event was deleted and added again: %s", v.problem);
}

static void test_contestant_corrected(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	struct recusal_change *ch = NULL;
	size_t n = 99;
	const char *c01 = code_of(f, "C01"), *c03 = code_of(f, "C03");
	/* C01 (第一中学) scored by J01 (第二中学) and J02 on A2 */
	assert_int_equal(judge_put(f, "J01", c01, "A2", 1500, NULL, &err), CT_OK);
	assert_int_equal(judge_put(f, "J01", c01, "B1", 200, NULL, &err), CT_OK);
	assert_int_equal(judge_put(f, "J02", c01, "A2", 1700, NULL, &err), CT_OK);
	int64_t v = version(f, "CNC");
	const struct identity_patch to_j01 = {"张叁", "第二中学", "张叁;李四", "110101200001015678"};
	EXPECT(CT_OK, store_contestant_correct(f->st, "organizer:admin", "C01", NULL, &to_j01, &ch, &n, &err));
	assert_true(version(f, "CNC") > v);
	/* J01 is now of C01's organization: recused, two values no longer count */
	assert_int_equal(n, 1);
	assert_string_equal(ch[0].event, "CNC");
	assert_string_equal(ch[0].reg_id, "C01");
	assert_string_equal(ch[0].code, c01);
	assert_string_equal(ch[0].judge, "J01");
	assert_string_equal(ch[0].judge_name, "周裁判");
	assert_true(ch[0].recused);
	assert_int_equal(ch[0].values, 2);
	free(ch);
	struct event_data *d = load(f, "CNC");
	const struct ev_contestant *c = contestant_of(d, "C01");
	assert_string_equal(c->name, "张叁");
	assert_string_equal(c->organization, "第二中学");
	assert_string_equal(c->members, "张叁;李四");
	assert_string_equal(c->id_number, "110101200001015678");
	/* the values stay stored (and audited); the engine leaves them out */
	assert_int_equal(value_in(d, "C01", "A2", "J01"), 1500);
	event_data_free(d);
	/* J01's own sheet no longer lists C01 */
	struct judge_sheet *sh = NULL;
	EXPECT(CT_OK, store_judge_sheet(f->st, "CNC", judge_id(f, "J01"), &sh, &err));
	for (uint32_t i = 0; i < sh->n_entries; i++)
		assert_string_not_equal(sh->entries[i].code, c01);
	judge_sheet_free(sh);
	/* a correction hidden by the mask is still audited, never in full */
	const struct identity_patch idn = {NULL, NULL, NULL, "110101200001019999"};
	EXPECT(CT_OK, store_contestant_correct(f->st, "organizer:admin", "C01", NULL, &idn, NULL, NULL, &err));
	/* C03 (第二中学, J01's) moves to 第一中学: J01 no longer recused, no value yet */
	const struct identity_patch away = {NULL, "第一中学", NULL, NULL};
	EXPECT(CT_OK, store_contestant_correct(f->st, "organizer:admin", "C03", NULL, &away, &ch, &n, &err));
	assert_int_equal(n, 1);
	assert_string_equal(ch[0].code, c03);
	assert_false(ch[0].recused);
	assert_int_equal(ch[0].values, 0);
	free(ch);
	/* status and identity together; an absent contestant's organization changes nobody's recusal */
	const struct contestant_patch absent = {"absent", -2, "未到场"};
	const struct identity_patch c02 = {NULL, "第二中学", NULL, ""};
	EXPECT(CT_OK, store_contestant_correct(f->st, "organizer:admin", "C02", &absent, &c02, &ch, &n, &err));
	assert_int_equal(n, 0);
	free(ch);
	EXPECT(CT_NOT_FOUND, store_contestant_correct(f->st, "organizer:admin", "C99", NULL, &away, &ch, &n, &err));
	assert_string_equal(err.msg, "no contestant C99");
}

static void test_contestant_corrected_audit(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	const struct identity_patch p = {"张叁", "", "", "110101200001015678"};
	EXPECT(CT_OK, store_contestant_correct(f->st, "organizer:admin", "C01", NULL, &p, NULL, NULL, &err));
	assert_audited(f->path, "contestant.identity|CNC/C01|name 张三|name 张叁");
	assert_audited(f->path, "contestant.identity|CNC/C01|organization 第一中学|organization none");
	assert_audited(f->path, "contestant.identity|CNC/C01|id_number 1101**********1234|id_number 1101**********5678");
	/* members were none and stay none: not audited */
	assert_int_equal(audit_rows(f->path, "contestant.identity"), 3);
	/* a digit the mask hides: still a record, and still masked */
	const struct identity_patch q = {NULL, NULL, NULL, "110101200001025678"};
	EXPECT(CT_OK, store_contestant_correct(f->st, "organizer:admin", "C01", NULL, &q, NULL, NULL, &err));
	assert_int_equal(audit_rows(f->path, "contestant.identity"), 4);
	char last[512];
	audit_last(f->path, last, sizeof last);
	assert_string_equal(last, "organizer:admin|contestant.identity|CNC/C01|id_number 1101**********5678|"
				  "id_number 1101**********5678|organizer|-");
}

static void test_contestant_corrected_when_locked(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	struct recusal_change *ch = NULL;
	size_t n = 0;
	/* lock with nothing missing: every competed contestant absent but C04 */
	const struct checkin_row absent[] = {{"C01", ENTRY_ABSENT, -1, NULL}, {"C02", ENTRY_ABSENT, -1, NULL},
					     {"C03", ENTRY_ABSENT, -1, NULL}};
	EXPECT(CT_OK, store_checkin(f->st, "organizer:admin", absent, COUNT(absent), &err));
	const char *c04 = code_of(f, "C04");
	for (int j = 0; j < 2; j++) {
		const char *judge = j ? "J02" : "J01";
		assert_int_equal(judge_put(f, judge, c04, "A1", 800, NULL, &err), CT_OK);
		assert_int_equal(judge_put(f, judge, c04, "A2", 1500, NULL, &err), CT_OK);
		assert_int_equal(judge_put(f, judge, c04, "B1", 200, NULL, &err), CT_OK);
	}
	const struct wf_facts ready = {0};
	EXPECT(CT_OK, store_event_transition(f->st, "organizer:admin", NULL, "CNC", WF_LOCK, &ready, NULL, NULL, &err));
	/* a name, after the lock */
	const struct identity_patch name = {"赵六组", NULL, NULL, NULL};
	EXPECT(CT_OK, store_contestant_correct(f->st, "organizer:admin", "C04", NULL, &name, NULL, NULL, &err));
	/* to J01's organization: J01's values would stop counting in locked results */
	const struct identity_patch j01 = {NULL, "第二中学", NULL, NULL};
	EXPECT(CT_CONFLICT, store_contestant_correct(f->st, "organizer:admin", "C04", NULL, &j01, &ch, &n, &err));
	assert_string_equal(err.msg, "event CNC is locked; an organization change that alters whose values count "
				     "needs the scores open (an organizer can unlock it: judge-cli unlock CNC --reason R)");
	assert_null(ch);
	/* to an organization no judge of the event belongs to */
	const struct identity_patch other = {NULL, "第五中学", NULL, NULL};
	EXPECT(CT_OK, store_contestant_correct(f->st, "organizer:admin", "C04", NULL, &other, &ch, &n, &err));
	assert_int_equal(n, 0);
	free(ch);
	const struct contestant_patch st = {"disqualified", -2, NULL};
	EXPECT(CT_CONFLICT, store_contestant_correct(f->st, "organizer:admin", "C04", &st, &name, NULL, NULL, &err));
	/* the judge side of the same rule */
	const struct judge_patch jo = {NULL, "第五中学", NULL};
	EXPECT(CT_CONFLICT, store_judge_set(f->st, "organizer:admin", "J02", &jo, &ch, &n, &err));
	assert_msg_has(&err, "event CNC is locked; an organization change that alters whose values count");
	/* published: identities are those published */
	EXPECT(CT_OK, store_event_transition(f->st, "organizer:admin", NULL, "CNC", WF_PUBLISH, &ready, NULL, NULL,
					     &err));
	EXPECT(CT_CONFLICT, store_contestant_correct(f->st, "organizer:admin", "C04", NULL, &name, NULL, NULL, &err));
	assert_msg_has(&err, "event CNC is published; published results keep the identities they were published with");
	struct event_data *d = load(f, "CNC");
	assert_string_equal(contestant_of(d, "C04")->name, "赵六组");
	assert_string_equal(contestant_of(d, "C04")->organization, "第五中学");
	event_data_free(d);
	struct audit_verdict v;
	EXPECT(CT_OK, store_audit_verify(f->st, NULL, &v, &err));
	if (!v.ok)
		fail_msg("audit verify: %s", v.problem);
}

static void test_contestant_delete(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	char event[CODE_MAX + 1] = "";
	int64_t v = version(f, "CNC");
	EXPECT(CT_OK, store_contestant_delete(f->st, "organizer:admin", "C02", event, &err));
	assert_string_equal(event, "CNC");
	assert_true(version(f, "CNC") > v);
	assert_audited(f->path, "contestant.delete|CNC/C02|李四|-");
	struct event_data *d = load(f, "CNC");
	assert_int_equal(d->n_contestants, 3);
	event_data_free(d);
	EXPECT(CT_NOT_FOUND, store_contestant_delete(f->st, "organizer:admin", "C02", event, &err));
	struct audit_verdict v2;
	EXPECT(CT_OK, store_audit_verify(f->st, NULL, &v2, &err));
	assert_true(v2.ok);
	/* A row the trail says was deleted, put back by hand: the replay knows it is gone. */
	sql_on_file(f->path, "INSERT INTO contestants (event_id, reg_id, name) SELECT id, 'C02', '李四' FROM events "
			     "WHERE code = 'CNC'");
	EXPECT(CT_OK, store_audit_verify(f->st, NULL, &v2, &err));
	assert_false(v2.ok);
	char want[256];
	snprintf(want, sizeof want, "contestant C02 of event CNC is in the database, but the audit trail says it was "
		 "deleted (record %lld)", (long long)v2.seq);
	assert_string_equal(v2.problem, want);
	sql_on_file(f->path, "DELETE FROM contestants WHERE reg_id = 'C02'");
	/* so is an event */
	struct event_counts n;
	EXPECT(CT_OK, store_event_delete(f->st, "organizer:admin", "WELD", &n, &err));
	sql_on_file(f->path, "INSERT INTO events (code, name, state) VALUES ('WELD', '焊接', 'setup')");
	EXPECT(CT_OK, store_audit_verify(f->st, NULL, &v2, &err));
	assert_false(v2.ok);
	assert_non_null(strstr(v2.problem, "event WELD (setup) is in the database, but the audit trail says it was deleted"));
	sql_on_file(f->path, "DELETE FROM events WHERE code = 'WELD'");
	EXPECT(CT_OK, store_audit_verify(f->st, NULL, &v2, &err));
	assert_true(v2.ok);
	uint32_t drawn = 0;
	EXPECT(CT_OK, store_event_draw(f->st, "organizer:admin", "CNC", &drawn, &err));
	assert_int_equal(drawn, 3);
	EXPECT(CT_CONFLICT, store_contestant_delete(f->st, "organizer:admin", "C01", event, &err));
	assert_string_equal(err.msg, "event CNC is drawn; a contestant is deleted only before the draw; after it, "
				     "change the status (judge-cli contestant set REG_ID --status withdrawn --reason R)");
}

static void test_judges_corrected(void **state)
{
	struct fx *f = *state;
	struct ct_err err;
	struct recusal_change *ch = NULL;
	size_t n = 0;
	unsigned char th[32];
	memset(th, 0x44, sizeof th);
	const struct token_info t = {.judge_id = judge_id(f, "J02"), .judge_code = "J02", .expires = 4102444800};
	EXPECT(CT_OK, store_token_put(f->st, th, &t, &err));
	/* J02 moves to 第一中学 (C01's and C02's): recused from both, no values yet; a new PIN */
	const struct judge_patch p = {"吴判", "第一中学", "newhash"};
	EXPECT(CT_OK, store_judge_set(f->st, "organizer:admin", "J02", &p, &ch, &n, &err));
	assert_int_equal(n, 2);
	assert_string_equal(ch[0].reg_id, "C01");
	assert_string_equal(ch[1].reg_id, "C02");
	assert_true(ch[0].recused && ch[1].recused);
	assert_string_equal(ch[0].judge_name, "吴判");
	free(ch);
	struct token_info got;
	EXPECT(CT_UNAUTHORIZED, store_token_get(f->st, th, 0, &got, &err));
	struct judge_login jl;
	EXPECT(CT_OK, store_judge_login(f->st, "J02", &jl, &err));
	assert_string_equal(jl.pin_hash, "newhash");
	assert_audited(f->path, "judge.set|J02|name 吴裁判|name 吴判");
	assert_audited(f->path, "judge.set|J02|organization none|organization 第一中学");
	assert_audited(f->path, "judge.pin|J02|-|-");
	struct judge_sheet *sh = NULL;
	EXPECT(CT_OK, store_judge_sheet(f->st, "CNC", judge_id(f, "J02"), &sh, &err));
	assert_int_equal(sh->n_entries, 2); /* C03 and C04 */
	judge_sheet_free(sh);

	/* J01 is assigned to the drawn CNC: no deleting, no unassigning */
	uint32_t gone = 0;
	EXPECT(CT_CONFLICT, store_judge_delete(f->st, "organizer:admin", "J01", &gone, &err));
	assert_string_equal(err.msg, "judge J01 cannot be deleted: event CNC is drawn; a judge's assignment is removed "
				     "only before the draw; after it, withdraw the judge (judge-cli judge withdraw CODE "
				     "EVENT --reason R)");
	char role[16] = "";
	EXPECT(CT_CONFLICT, store_judge_unassign(f->st, "organizer:admin", "CNC", "J01", role, &err));
	/* J09 of WELD (in setup) */
	EXPECT(CT_NOT_FOUND, store_judge_unassign(f->st, "organizer:admin", "WELD", "J01", role, &err));
	assert_string_equal(err.msg, "judge J01 is not assigned to event WELD");
	EXPECT(CT_OK, store_judge_unassign(f->st, "organizer:admin", "WELD", "J09", role, &err));
	assert_string_equal(role, "judge");
	assert_audited(f->path, "judge.unassign|WELD/J09|judge|-");
	EXPECT(CT_OK, store_judge_delete(f->st, "organizer:admin", "J09", &gone, &err));
	assert_int_equal(gone, 0);
	assert_audited(f->path, "judge.delete|J09|孙裁判 (no organization); assigned: none|-");
	EXPECT(CT_NOT_FOUND, store_judge_login(f->st, "J09", &jl, &err));
	EXPECT(CT_NOT_FOUND, store_judge_delete(f->st, "organizer:admin", "J09", &gone, &err));
	assert_string_equal(err.msg, "no judge J09");
	struct audit_verdict v;
	EXPECT(CT_OK, store_audit_verify(f->st, NULL, &v, &err));
	if (!v.ok)
		fail_msg("audit verify: %s", v.problem);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_schema_latest, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_open_reopen_keeps_data, setup_file, teardown),
		cmocka_unit_test_setup_teardown(test_open_refuses_newer_schema, setup_file, teardown),
		cmocka_unit_test_setup_teardown(test_open_refuses_non_database, setup_file, teardown),
		cmocka_unit_test_setup_teardown(test_contest_init_get, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_events_add_batch, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_events_add_duplicate_stores_nothing, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_criteria_modules_in_order, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_criteria_weights_kept, setup_registered, teardown),
		cmocka_unit_test_setup_teardown(test_criteria_module_name_mismatch, setup_registered, teardown),
		cmocka_unit_test_setup_teardown(test_criteria_mixed_weights, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_criteria_unknown_event, setup_registered, teardown),
		cmocka_unit_test_setup_teardown(test_criteria_after_draw, setup_drawn, teardown),
		cmocka_unit_test_setup_teardown(test_contestants_add, setup_registered, teardown),
		cmocka_unit_test_setup_teardown(test_contestants_duplicate_reg_id, setup_registered, teardown),
		cmocka_unit_test_setup_teardown(test_judges_add, setup_registered, teardown),
		cmocka_unit_test_setup_teardown(test_judges_conflicting_rows, setup_registered, teardown),
		cmocka_unit_test_setup_teardown(test_judge_login, setup_registered, teardown),
		cmocka_unit_test_setup_teardown(test_draw_refused_until_ready, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_draw_weights_must_sum_100, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_draw_weights_100_drawn, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_draw_tiebreak_unknown, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_draw_tiebreak_unknown_criterion, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_criteria_deduction_only_refused, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_criteria_partial_sheet_accepted, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_draw_assigns_places_and_codes, setup_registered, teardown),
		cmocka_unit_test_setup_teardown(test_draw_two_large_events, setup_registered, teardown),
		cmocka_unit_test_setup_teardown(test_score_before_draw, setup_registered, teardown),
		cmocka_unit_test_setup_teardown(test_score_refusals, setup_drawn, teardown),
		cmocka_unit_test_setup_teardown(test_score_revisions, setup_drawn, teardown),
		cmocka_unit_test_setup_teardown(test_score_rolled_back_not_stored, setup_drawn, teardown),
		cmocka_unit_test_setup_teardown(test_score_admin_by_reg_id, setup_drawn, teardown),
		cmocka_unit_test_setup_teardown(test_scores_import_all_or_nothing, setup_drawn, teardown),
		cmocka_unit_test_setup_teardown(test_score_recused_same_as_unknown, setup_drawn, teardown),
		cmocka_unit_test_setup_teardown(test_score_code_any_case, setup_drawn, teardown),
		cmocka_unit_test_setup_teardown(test_scores_import_duplicate, setup_drawn, teardown),
		cmocka_unit_test_setup_teardown(test_score_savepoints, setup_drawn, teardown),
		cmocka_unit_test_setup_teardown(test_score_change_drops_acceptance, setup_file, teardown),
		cmocka_unit_test_setup_teardown(test_judge_sheet, setup_drawn, teardown),
		cmocka_unit_test_setup_teardown(test_checkin_before_draw, setup_registered, teardown),
		cmocka_unit_test_setup_teardown(test_checkin, setup_drawn, teardown),
		cmocka_unit_test_setup_teardown(test_contestant_patch, setup_drawn, teardown),
		cmocka_unit_test_setup_teardown(test_lock_closes_scoring, setup_drawn, teardown),
		cmocka_unit_test_setup_teardown(test_audit_chain, setup_file, teardown),
		cmocka_unit_test_setup_teardown(test_audit_chain_detects_change, setup_file, teardown),
		cmocka_unit_test_setup_teardown(test_idempotency, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_tokens, setup_registered, teardown),
		cmocka_unit_test_setup_teardown(test_accept, setup_file_drawn, teardown),
		cmocka_unit_test_setup_teardown(test_withdraw, setup_file_drawn, teardown),
		cmocka_unit_test_setup_teardown(test_organizers, setup_file_drawn, teardown),
		cmocka_unit_test_setup_teardown(test_token_revocation, setup_file_drawn, teardown),
		cmocka_unit_test_setup_teardown(test_audit_verify, setup_file_drawn, teardown),
		cmocka_unit_test_setup_teardown(test_audit_verify_states, setup_file_drawn, teardown),
		cmocka_unit_test_setup_teardown(test_audit_record_edited, setup_file_drawn, teardown),
		cmocka_unit_test_setup_teardown(test_audit_checkpoint, setup_file_drawn, teardown),
		cmocka_unit_test_setup_teardown(test_audit_log, setup_file_drawn, teardown),
		cmocka_unit_test_setup_teardown(test_event_set, setup_file_registered, teardown),
		cmocka_unit_test_setup_teardown(test_modules_criteria_corrected, setup_file_registered, teardown),
		cmocka_unit_test_setup_teardown(test_criteria_replace, setup_file_registered, teardown),
		cmocka_unit_test_setup_teardown(test_event_delete, setup_file_registered, teardown),
		cmocka_unit_test_setup_teardown(test_contestant_corrected, setup_file_drawn, teardown),
		cmocka_unit_test_setup_teardown(test_contestant_corrected_audit, setup_file_registered, teardown),
		cmocka_unit_test_setup_teardown(test_contestant_corrected_when_locked, setup_file_drawn, teardown),
		cmocka_unit_test_setup_teardown(test_contestant_delete, setup_file_registered, teardown),
		cmocka_unit_test_setup_teardown(test_judges_corrected, setup_file_drawn, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
