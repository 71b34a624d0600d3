/* Reading the audit trail: the log, the verification of the hash chain and
 * of the database against the audited history, and signed checkpoints. */
#include "store_int.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "xmalloc.h"

/* The role of records made before roles were recorded, from the actor. */
#define ROLE_OF_RECORD                                                                                     \
	"coalesce(role, CASE WHEN actor LIKE 'judge:%' THEN 'judge' WHEN actor = 'system' THEN 'system' "   \
	"ELSE 'organizer' END)"

static const char SQL_LOG[] =
	"SELECT seq, at, actor, " ROLE_OF_RECORD ", action, object, old_value, new_value, reason FROM audit "
	"WHERE seq > :after "
	"AND (:event IS NULL OR object = :event OR (object >= :event || '/' AND object < :event || '0')) "
	"AND (:actor IS NULL OR actor = :actor) AND (:since IS NULL OR at >= :since) "
	"ORDER BY seq LIMIT :limit";

enum ct_status store_audit_log(struct store *st, const struct audit_filter *f, struct audit_row **out, size_t *n,
			       struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_LOG, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_int(s, ":after", f->after);
	store_bind_text(s, ":event", f->event);
	store_bind_text(s, ":actor", f->actor);
	store_bind_text(s, ":since", f->since);
	store_bind_int(s, ":limit", (int64_t)f->limit);
	struct audit_row *rows = NULL;
	size_t count = 0, cap = 0;
	enum ct_status rc;
	while (store_next(st, s, &rc, err)) {
		rows = xgrow(rows, count, &cap, 64, sizeof *rows);
		rows[count++] = (struct audit_row){
			sqlite3_column_int64(s, 0), store_col_dup(s, 1), store_col_dup(s, 2), store_col_dup(s, 3),
			store_col_dup(s, 4),        store_col_dup(s, 5), store_col_dup(s, 6), store_col_dup(s, 7),
			store_col_dup(s, 8),
		};
	}
	if (rc != CT_OK) {
		audit_rows_free(rows, count);
		return rc;
	}
	*out = rows;
	*n = count;
	return CT_OK;
}

void audit_rows_free(struct audit_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rows[i].at);
		free(rows[i].actor);
		free(rows[i].role);
		free(rows[i].action);
		free(rows[i].object);
		free(rows[i].old_value);
		free(rows[i].new_value);
		free(rows[i].reason);
	}
	free(rows);
}

/* ---- verification ---- */

static const char SQL_CHAIN[] =
	"SELECT seq, at, actor, action, object, old_value, new_value, role, reason, prev_hash, hash FROM audit "
	"ORDER BY seq";

static void problem(struct audit_verdict *v, int64_t seq, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void problem(struct audit_verdict *v, int64_t seq, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v->problem, sizeof v->problem, fmt, ap);
	va_end(ap);
	v->ok = false;
	v->seq = seq;
}

static const char *text(sqlite3_stmt *s, int col)
{
	return (const char *)sqlite3_column_text(s, col);
}

/* Walks the chain in order, recomputing every hash, feeding the replay and
 * checking the checkpoint's record. Stops at the first broken record. */
static enum ct_status check_chain(struct store *st, const struct audit_checkpoint *cp, struct audit_replay *replay,
				  struct audit_verdict *v, struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_CHAIN, err);
	if (!s)
		return CT_INTERNAL;
	unsigned char prev[AUDIT_HASH_BYTES] = {0};
	int64_t last_seq = 0;
	bool cp_seen = false;
	enum ct_status rc = CT_OK;
	while (v->ok && store_next(st, s, &rc, err)) {
		int64_t seq = sqlite3_column_int64(s, 0);
		struct audit_record r = {text(s, 1), text(s, 2), text(s, 3), text(s, 4),
					 text(s, 5), text(s, 6), text(s, 7), text(s, 8)};
		unsigned char hash[AUDIT_HASH_BYTES];
		audit_hash(prev, &r, hash);
		bool linked = sqlite3_column_bytes(s, 9) == AUDIT_HASH_BYTES &&
			      sodium_memcmp(sqlite3_column_blob(s, 9), prev, AUDIT_HASH_BYTES) == 0;
		bool intact = sqlite3_column_bytes(s, 10) == AUDIT_HASH_BYTES &&
			      sodium_memcmp(sqlite3_column_blob(s, 10), hash, AUDIT_HASH_BYTES) == 0;
		if (!linked)
			problem(v, seq, "audit record %lld (%s %s %s) does not follow record %lld: a record before it was "
				"removed, inserted or altered", (long long)seq, r.actor ? r.actor : "", r.action ? r.action : "",
				r.object ? r.object : "", (long long)last_seq);
		else if (!intact)
			problem(v, seq, "audit record %lld (%s %s %s) was altered: its hash does not match its fields",
				(long long)seq, r.actor ? r.actor : "", r.action ? r.action : "", r.object ? r.object : "");
		else if (cp && seq == cp->seq && sodium_memcmp(hash, cp->head, AUDIT_HASH_BYTES) != 0)
			problem(v, seq, "audit record %lld is not the record the checkpoint of %s signed: the trail up to it "
				"was rewritten", (long long)seq, cp->at);
		if (!v->ok)
			break;
		cp_seen |= cp && seq == cp->seq;
		audit_replay_feed(replay, seq, &r);
		memcpy(prev, hash, sizeof prev);
		last_seq = seq;
		v->records++;
	}
	sqlite3_reset(s); /* after a broken record the rows were not all read */
	memcpy(v->head, prev, sizeof prev);
	if (rc == CT_OK && v->ok && cp && !cp_seen)
		problem(v, 0, "the audit trail has no record %lld, which the checkpoint of %s signed (it ends at record "
			"%lld): records were removed", (long long)cp->seq, cp->at, (long long)last_seq);
	return rc;
}

static const char SQL_EVENT_STATES[] = "SELECT code, state FROM events ORDER BY id";
static const char SQL_CONTESTANT_STATUSES[] =
	"SELECT c.reg_id, e.code, c.status FROM contestants c JOIN events e ON e.id = c.event_id ORDER BY c.id";

/* Every event's state and every contestant's status against the replay. */
static enum ct_status check_states(struct store *st, const struct audit_replay *replay, struct audit_verdict *v,
				   struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_EVENT_STATES, err);
	if (!s)
		return CT_INTERNAL;
	enum ct_status rc = CT_OK;
	while (v->ok && store_next(st, s, &rc, err)) {
		const char *code = text(s, 0), *state = text(s, 1), *want;
		int64_t seq;
		if (!audit_replay_event(replay, code, &want, &seq))
			problem(v, 0, "event %s (%s) has no audit record of its registration", code, state);
		else if (!want)
			problem(v, seq, "event %s (%s) is in the database, but the audit trail says it was deleted (record "
				"%lld)", code, state, (long long)seq);
		else if (strcmp(state, want) != 0)
			problem(v, seq, "event %s is %s in the database, but the audit trail says %s (record %lld)", code,
				state, want, (long long)seq);
	}
	sqlite3_reset(s);
	if (rc != CT_OK || !v->ok)
		return rc;

	s = store_stmt(st, SQL_CONTESTANT_STATUSES, err);
	if (!s)
		return CT_INTERNAL;
	while (v->ok && store_next(st, s, &rc, err)) {
		const char *reg = text(s, 0), *event = text(s, 1), *status = text(s, 2), *want_event, *want;
		int64_t seq;
		if (!audit_replay_contestant(replay, reg, &want_event, &want, &seq))
			problem(v, 0, "contestant %s of event %s has no audit record of its registration", reg, event);
		else if (!want)
			problem(v, seq, "contestant %s of event %s is in the database, but the audit trail says it was "
				"deleted (record %lld)", reg, event, (long long)seq);
		else if (strcmp(event, want_event) != 0)
			problem(v, seq, "contestant %s is in event %s in the database, but in %s in the audit trail (record "
				"%lld)", reg, event, want_event, (long long)seq);
		else if (strcmp(status, want) != 0)
			problem(v, seq, "contestant %s of event %s is %s in the database, but the audit trail says %s "
				"(record %lld)", reg, event, status, want, (long long)seq);
	}
	sqlite3_reset(s);
	return rc;
}

static const char SQL_PUBLICATIONS[] =
	"SELECT e.code, p.version, p.results FROM publications p JOIN events e ON e.id = p.event_id ORDER BY p.id";
static const char SQL_APPEAL_OUTCOMES[] = "SELECT id, coalesce(outcome, 'open') FROM appeals ORDER BY id";
static const char SQL_CERT_STATES[] =
	"SELECT c.id, e.code, CASE WHEN c.revoked_at IS NULL THEN 'issued' ELSE 'revoked' END "
	"FROM certificates c JOIN events e ON e.id = c.event_id ORDER BY c.id";

/* Every published version's document is the one its publish record names,
 * every appeal's outcome and every certificate's revocation what the trail
 * says, and the trail has no publication, appeal or certificate the
 * database lost. */
static enum ct_status check_records(struct store *st, const struct audit_replay *replay, struct audit_verdict *v,
				    struct ct_err *err)
{
	size_t want[3], have[3] = {0, 0, 0};
	audit_replay_counts(replay, &want[0], &want[1], &want[2]);
	static const char *const kinds[3] = {"published versions", "appeals", "certificates"};
	const char *const sql[3] = {SQL_PUBLICATIONS, SQL_APPEAL_OUTCOMES, SQL_CERT_STATES};
	for (int k = 0; k < 3 && v->ok; k++) {
		sqlite3_stmt *s = store_stmt(st, sql[k], err);
		if (!s)
			return CT_INTERNAL;
		enum ct_status rc = CT_OK;
		while (v->ok && store_next(st, s, &rc, err)) {
			const char *a = text(s, 0), *b = text(s, 1), *got, *event;
			int64_t seq;
			have[k]++;
			if (k == 0) {
				unsigned version = (unsigned)sqlite3_column_int64(s, 1);
				char digest[2 * AUDIT_RESULTS_DIGEST_BYTES + 1];
				audit_results_digest(text(s, 2), (size_t)sqlite3_column_bytes(s, 2), digest);
				if (!audit_replay_publication(replay, a, version, &got, &seq))
					problem(v, 0, "published version %u of event %s has no audit record", version, a);
				else if (strcmp(got, digest) != 0)
					problem(v, seq, "published version %u of event %s is not the document its audit record "
						"%lld names: it was altered after publication", version, a, (long long)seq);
			} else if (k == 1) {
				int64_t number = sqlite3_column_int64(s, 0);
				if (!audit_replay_appeal(replay, number, &got, &seq))
					problem(v, 0, "appeal %lld has no audit record", (long long)number);
				else if (strcmp(got, b) != 0)
					problem(v, seq, "appeal %lld is %s in the database, but the audit trail says %s (record "
						"%lld)", (long long)number, b, got, (long long)seq);
			} else {
				const char *state = text(s, 2);
				if (!audit_replay_certificate(replay, a, &event, &got, &seq))
					problem(v, 0, "certificate %s of event %s has no audit record of its issue", a, b);
				else if (strcmp(event, b) != 0 || strcmp(got, state) != 0)
					problem(v, seq, "certificate %s is %s (event %s) in the database, but the audit trail "
						"says %s (event %s, record %lld)", a, state, b, got, event, (long long)seq);
			}
		}
		sqlite3_reset(s);
		if (rc != CT_OK)
			return rc;
		if (v->ok && have[k] != want[k])
			problem(v, 0, "the audit trail records %zu %s, the database holds %zu: some were removed", want[k],
				kinds[k], have[k]);
	}
	return CT_OK;
}

/* The first score whose current value or revision is not its last audited
 * one, or that has no audit record. A cell's audit object is
 * EVENT/CODE/CRITERION/JUDGE (codes hold no '/'); each revision is one
 * "score" record, its new value the mark with two places. Both sides are
 * materialized so the join uses an index (one pass over each). */
static const char SQL_SCORES_AGREE[] =
	"WITH audited AS MATERIALIZED (SELECT object, count(*) AS n, new_value AS v, max(seq) AS last FROM audit "
	"  WHERE action = 'score' GROUP BY object), "
	"stored AS MATERIALIZED (SELECT e.code || '/' || c.anon_code || '/' || k.code || '/' || j.code AS object, "
	"  s.value_c, s.revision FROM scores s JOIN contestants c ON c.id = s.contestant_id "
	"  JOIN criteria k ON k.id = s.criterion_id JOIN judges j ON j.id = s.judge_id "
	"  JOIN events e ON e.id = s.event_id) "
	"SELECT b.object, b.value_c, b.revision, a.n, a.v, a.last FROM stored b LEFT JOIN audited a "
	"  ON a.object = b.object WHERE a.object IS NULL OR a.n <> b.revision "
	"  OR a.v IS NOT printf('%d.%02d', b.value_c / 100, b.value_c % 100) "
	"ORDER BY 1 LIMIT 1";

/* The first audited score cell that has no row in scores: the object is
 * split into its codes and looked up through the unique indexes. */
static const char SQL_SCORES_LOST[] =
	"WITH grouped AS (SELECT object, count(*) AS n, new_value AS v, max(seq) AS last FROM audit "
	"  WHERE action = 'score' GROUP BY object), "
	"p1 AS (SELECT object, n, v, last, substr(object, 1, instr(object, '/') - 1) AS ev, "
	"  substr(object, instr(object, '/') + 1) AS r1 FROM grouped), "
	"p2 AS (SELECT object, n, v, last, ev, substr(r1, 1, instr(r1, '/') - 1) AS code, "
	"  substr(r1, instr(r1, '/') + 1) AS r2 FROM p1), "
	"p3 AS (SELECT object, n, v, last, ev, code, substr(r2, 1, instr(r2, '/') - 1) AS crit, "
	"  substr(r2, instr(r2, '/') + 1) AS judge FROM p2) "
	"SELECT object, NULL, NULL, n, v, last FROM p3 WHERE NOT EXISTS (SELECT 1 FROM contestants c "
	"  JOIN events e ON e.id = c.event_id JOIN criteria k ON k.event_id = e.id AND k.code = p3.crit "
	"  JOIN judges j ON j.code = p3.judge JOIN scores s ON s.contestant_id = c.id AND s.criterion_id = k.id "
	"  AND s.judge_id = j.id WHERE c.anon_code = p3.code AND e.code = p3.ev) "
	"ORDER BY 1 LIMIT 1";

static enum ct_status check_scores(struct store *st, const char *sql, struct audit_verdict *v, struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, sql, err);
	if (!s)
		return CT_INTERNAL;
	enum ct_status rc = store_row(st, s, err);
	if (rc == CT_NOT_FOUND)
		return CT_OK;
	if (rc != CT_OK)
		return rc;
	const char *object = text(s, 0);
	int64_t last = sqlite3_column_int64(s, 5);
	char value[DEC_TEXT_MAX];
	if (sqlite3_column_type(s, 1) == SQLITE_NULL)
		problem(v, last, "score %s is in the audit trail (last record %lld) but not in the database", object,
			(long long)last);
	else if (sqlite3_column_type(s, 3) == SQLITE_NULL)
		problem(v, 0, "score %s (%s, revision %lld) has no audit record", object,
			dec_format(sqlite3_column_int64(s, 1), value), (long long)sqlite3_column_int64(s, 2));
	else
		problem(v, last, "score %s is %s, revision %lld, in the database, but the audit trail says %s, revision "
			"%lld (record %lld)", object, dec_format(sqlite3_column_int64(s, 1), value),
			(long long)sqlite3_column_int64(s, 2), text(s, 4), (long long)sqlite3_column_int64(s, 3),
			(long long)last);
	sqlite3_reset(s);
	return CT_OK;
}

static const char SQL_CONTEST_KEYS[] = "SELECT code, sign_pk, sign_sk FROM contest WHERE id = 1";

enum ct_status store_contest_keys(struct store *st, char code[64], unsigned char pk[32], unsigned char sk[64],
				  struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_CONTEST_KEYS, err);
	if (!s)
		return CT_INTERNAL;
	enum ct_status rc = store_row(st, s, err);
	if (rc == CT_NOT_FOUND)
		return ct_fail(err, CT_NOT_FOUND, "the database holds no contest");
	if (rc != CT_OK)
		return rc;
	store_col_copy(s, 0, code, 64);
	if (sqlite3_column_bytes(s, 1) != 32 || sqlite3_column_bytes(s, 2) != 64) {
		sqlite3_reset(s);
		return ct_fail(err, CT_INTERNAL, "the contest's signing key is damaged");
	}
	memcpy(pk, sqlite3_column_blob(s, 1), 32);
	if (sk)
		memcpy(sk, sqlite3_column_blob(s, 2), 64);
	sqlite3_reset(s);
	return CT_OK;
}

enum ct_status store_audit_verify(struct store *st, const struct audit_checkpoint *cp, struct audit_verdict *out,
				  struct ct_err *err)
{
	memset(out, 0, sizeof *out);
	out->ok = true;
	if (cp) {
		char code[64];
		unsigned char pk[32];
		enum ct_status rc = store_contest_keys(st, code, pk, NULL, err);
		if (rc != CT_OK)
			return rc;
		if (strcmp(cp->contest, code) != 0)
			problem(out, 0, "the checkpoint is of contest %s, this database holds contest %s", cp->contest, code);
		else if (!audit_checkpoint_verify(cp, pk))
			problem(out, 0, "the checkpoint's signature does not verify with contest %s's key: the checkpoint "
				"was altered, or the key in the database was replaced", code);
		if (!out->ok)
			return CT_OK;
	}
	/* One read transaction: the checks see one snapshot of the database
	 * even while scores are committed on another connection. */
	enum ct_status rc = store_read_begin(st, err);
	if (rc != CT_OK)
		return rc;
	struct audit_replay *replay = audit_replay_new();
	rc = check_chain(st, cp, replay, out, err);
	if (rc == CT_OK && out->ok)
		rc = check_states(st, replay, out, err);
	if (rc == CT_OK && out->ok)
		rc = check_records(st, replay, out, err);
	if (rc == CT_OK && out->ok)
		rc = check_scores(st, SQL_SCORES_AGREE, out, err);
	if (rc == CT_OK && out->ok)
		rc = check_scores(st, SQL_SCORES_LOST, out, err);
	audit_replay_free(replay);
	store_rollback(st); /* nothing was written */
	return rc;
}

static const char SQL_HEAD[] = "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1";

enum ct_status store_audit_checkpoint(struct store *st, const char *actor, struct audit_checkpoint *out,
				      struct ct_err *err)
{
	unsigned char pk[32], sk[64];
	memset(out, 0, sizeof *out);
	enum ct_status rc = store_begin(st, err);
	if (rc != CT_OK)
		return rc;
	rc = store_contest_keys(st, out->contest, pk, sk, err);
	/* The trail records that a checkpoint was taken; the checkpoint signs
	 * that record as the head. */
	if (rc == CT_OK)
		rc = store_audit(st, actor, "audit.checkpoint", out->contest, NULL, NULL, err);
	sqlite3_stmt *s = rc == CT_OK ? store_stmt(st, SQL_HEAD, err) : NULL;
	if (rc == CT_OK && !s)
		rc = CT_INTERNAL;
	if (rc == CT_OK && (rc = store_row(st, s, err)) == CT_OK) {
		out->seq = sqlite3_column_int64(s, 0);
		if (sqlite3_column_bytes(s, 1) == AUDIT_HASH_BYTES)
			memcpy(out->head, sqlite3_column_blob(s, 1), AUDIT_HASH_BYTES);
		sqlite3_reset(s);
		store_now(out->at);
		audit_checkpoint_sign(out, sk);
	}
	sodium_memzero(sk, sizeof sk);
	return store_finish(st, rc, err);
}
