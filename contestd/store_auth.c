/* The contest record, organizer accounts, judges' PIN hashes and tokens. */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xmalloc.h"

static const char SQL_CONTEST_EXISTS[] = "SELECT count(*) FROM contest";

enum ct_status store_contest_exists(struct store *st, bool *yes, struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_CONTEST_EXISTS, err);
	if (!s)
		return CT_INTERNAL;
	enum ct_status rc = store_row(st, s, err);
	if (rc == CT_NOT_FOUND)
		rc = ct_fail(err, CT_INTERNAL, "count(*) gave no row");
	if (rc != CT_OK)
		return rc; /* never taken for "no contest": that would make a new one */
	*yes = sqlite3_column_int(s, 0) > 0;
	sqlite3_reset(s);
	return CT_OK;
}

static const char SQL_CONTEST_INIT[] =
	"INSERT INTO contest (id, code, name, public_url, sign_pk, sign_sk, created_at) "
	"VALUES (1, :code, :name, :url, :pk, :sk, :at)";
static const char SQL_ORGANIZER_ADD[] =
	"INSERT INTO organizers (name, secret_hash, created_at, created_by) VALUES (:name, :hash, :at, :by)";

/* Inserts an organizer account inside the caller's transaction. */
static enum ct_status organizer_insert(struct store *st, const char *actor, const char *name, const char *hash,
				       struct ct_err *err)
{
	char at[32];
	store_now(at);
	sqlite3_stmt *s = store_stmt(st, SQL_ORGANIZER_ADD, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_text(s, ":name", name);
	store_bind_text(s, ":hash", hash);
	store_bind_text(s, ":at", at);
	store_bind_text(s, ":by", actor);
	int src = sqlite3_step(s);
	enum ct_status rc = CT_OK;
	if (src == SQLITE_CONSTRAINT_UNIQUE)
		rc = ct_fail(err, CT_CONFLICT, "there is an organizer account %s already", name);
	else if (src != SQLITE_DONE)
		rc = store_fail(st, src, err);
	sqlite3_reset(s);
	if (rc == CT_OK)
		rc = store_audit(st, actor, "organizer.add", name, NULL, NULL, err);
	return rc;
}

enum ct_status store_contest_init(struct store *st, const char *code, const char *name,
				  const char *public_url, const unsigned char pk[32],
				  const unsigned char sk[64], const char *admin_hash, struct ct_err *err)
{
	enum ct_status rc = store_begin(st, err);
	if (rc != CT_OK)
		return rc;
	char at[32];
	store_now(at);
	sqlite3_stmt *s = store_stmt(st, SQL_CONTEST_INIT, err);
	if (!s) {
		rc = CT_INTERNAL;
		goto out;
	}
	store_bind_text(s, ":code", code);
	store_bind_text(s, ":name", name);
	store_bind_text(s, ":url", public_url);
	store_bind_blob(s, ":pk", pk, 32);
	store_bind_blob(s, ":sk", sk, 64);
	store_bind_text(s, ":at", at);
	rc = store_exec_stmt(st, s, err);
	if (rc == CT_OK)
		rc = store_audit(st, "system", "init", code, NULL, name, err);
	if (rc == CT_OK)
		rc = organizer_insert(st, "system", "admin", admin_hash, err);
out:
	return store_finish(st, rc, err);
}

static const char SQL_CONTEST_GET[] = "SELECT code, name, public_url, sign_pk FROM contest WHERE id = 1";

enum ct_status store_contest_get(struct store *st, struct contest_info *out, struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_CONTEST_GET, err);
	if (!s)
		return CT_INTERNAL;
	enum ct_status rc = store_row(st, s, err);
	if (rc == CT_OK) {
		store_col_copy(s, 0, out->code, sizeof out->code);
		store_col_copy(s, 1, out->name, sizeof out->name);
		store_col_copy(s, 2, out->public_url, sizeof out->public_url);
		if (sqlite3_column_bytes(s, 3) == 32)
			memcpy(out->sign_pk, sqlite3_column_blob(s, 3), 32);
		sqlite3_reset(s);
	} else if (rc == CT_NOT_FOUND) {
		rc = ct_fail(err, CT_NOT_FOUND, "the database holds no contest");
	}
	return rc;
}

static const char SQL_CONTEST_SET[] =
	"UPDATE contest SET name = coalesce(:name, name), public_url = coalesce(:url, public_url) WHERE id = 1";

enum ct_status store_contest_set(struct store *st, const char *actor, const char *name,
				 const char *public_url, struct ct_err *err)
{
	struct contest_info old;
	enum ct_status rc = store_begin(st, err);
	if (rc != CT_OK)
		return rc;
	rc = store_contest_get(st, &old, err);
	sqlite3_stmt *s = rc == CT_OK ? store_stmt(st, SQL_CONTEST_SET, err) : NULL;
	if (rc == CT_OK && !s)
		rc = CT_INTERNAL;
	if (rc == CT_OK) {
		store_bind_text(s, ":name", name);
		store_bind_text(s, ":url", public_url);
		rc = store_exec_stmt(st, s, err);
	}
	if (rc == CT_OK && name && strcmp(name, old.name) != 0)
		rc = store_audit(st, actor, "contest.name", old.code, old.name, name, err);
	if (rc == CT_OK && public_url && strcmp(public_url, old.public_url) != 0)
		rc = store_audit(st, actor, "contest.public_url", old.code, old.public_url, public_url, err);
	return store_finish(st, rc, err);
}

static const char SQL_ORGANIZER_LOGIN[] =
	"SELECT id, name, secret_hash, disabled_at IS NOT NULL FROM organizers WHERE name = :name";

enum ct_status store_organizer_login(struct store *st, const char *name, struct organizer_login *out,
				     struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_ORGANIZER_LOGIN, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_text(s, ":name", name);
	enum ct_status rc = store_row(st, s, err);
	if (rc == CT_OK) {
		out->id = sqlite3_column_int64(s, 0);
		store_col_copy(s, 1, out->name, sizeof out->name);
		store_col_copy(s, 2, out->secret_hash, sizeof out->secret_hash);
		out->disabled = sqlite3_column_int(s, 3) != 0;
		sqlite3_reset(s);
	} else if (rc == CT_NOT_FOUND) {
		rc = ct_fail(err, CT_NOT_FOUND, "no organizer account %s", name);
	}
	return rc;
}

enum ct_status store_organizer_add(struct store *st, const char *actor, const char *name, const char *secret_hash,
				   struct ct_err *err)
{
	enum ct_status rc = store_begin(st, err);
	if (rc != CT_OK)
		return rc;
	rc = organizer_insert(st, actor, name, secret_hash, err);
	return store_finish(st, rc, err);
}

static const char SQL_ORGANIZERS[] =
	"SELECT name, created_at, created_by, disabled_at, disabled_by FROM organizers ORDER BY name";

enum ct_status store_organizers_list(struct store *st, struct organizer_info **out, size_t *n, struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_ORGANIZERS, err);
	if (!s)
		return CT_INTERNAL;
	struct organizer_info *list = NULL;
	size_t count = 0, cap = 0;
	enum ct_status rc;
	while (store_next(st, s, &rc, err)) {
		list = xgrow(list, count, &cap, 8, sizeof *list);
		list[count++] = (struct organizer_info){store_col_dup(s, 0), store_col_dup(s, 1), store_col_dup(s, 2),
							store_col_dup(s, 3), store_col_dup(s, 4)};
	}
	if (rc != CT_OK) {
		organizers_free(list, count);
		return rc;
	}
	*out = list;
	*n = count;
	return CT_OK;
}

void organizers_free(struct organizer_info *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(list[i].name);
		free(list[i].created_at);
		free(list[i].created_by);
		free(list[i].disabled_at);
		free(list[i].disabled_by);
	}
	free(list);
}

static const char SQL_ORGANIZER_ACTIVE[] = "SELECT count(*) FROM organizers WHERE disabled_at IS NULL";
static const char SQL_ORGANIZER_DISABLE[] =
	"UPDATE organizers SET disabled_at = :at, disabled_by = :by WHERE id = :id AND disabled_at IS NULL";

static enum ct_status active_organizers(struct store *st, int64_t *n, struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_ORGANIZER_ACTIVE, err);
	if (!s)
		return CT_INTERNAL;
	enum ct_status rc = store_row(st, s, err);
	if (rc == CT_OK) {
		*n = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
	}
	return rc;
}

enum ct_status store_organizer_disable(struct store *st, const char *actor, const char *name, struct ct_err *err)
{
	struct organizer_login o;
	int64_t active = 0;
	char at[32];
	store_now(at);
	enum ct_status rc = store_begin(st, err);
	if (rc != CT_OK)
		return rc;
	rc = store_organizer_login(st, name, &o, err);
	if (rc == CT_OK && o.disabled)
		rc = ct_fail(err, CT_CONFLICT, "organizer account %s is disabled already", name);
	if (rc == CT_OK)
		rc = active_organizers(st, &active, err);
	if (rc == CT_OK && active <= 1)
		rc = ct_fail(err, CT_CONFLICT, "%s is the last active organizer account; add another "
			     "(judge-cli organizer add NAME) before disabling it", name);
	if (rc != CT_OK)
		return store_finish(st, rc, err);
	sqlite3_stmt *s = store_stmt(st, SQL_ORGANIZER_DISABLE, err);
	if (!s)
		return store_finish(st, CT_INTERNAL, err);
	store_bind_text(s, ":at", at);
	store_bind_text(s, ":by", actor);
	store_bind_int(s, ":id", o.id);
	rc = store_exec_stmt(st, s, err);
	if (rc == CT_OK)
		rc = store_tokens_revoke_organizer(st, o.id, err);
	if (rc == CT_OK)
		rc = store_audit(st, actor, "organizer.disable", name, NULL, NULL, err);
	return store_finish(st, rc, err);
}

static const char SQL_JUDGE_LOGIN[] = "SELECT id, code, pin_hash FROM judges WHERE code = :code";

enum ct_status store_judge_login(struct store *st, const char *code, struct judge_login *out,
				 struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_JUDGE_LOGIN, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_text(s, ":code", code);
	enum ct_status rc = store_row(st, s, err);
	if (rc == CT_OK) {
		out->id = sqlite3_column_int64(s, 0);
		store_col_copy(s, 1, out->code, sizeof out->code);
		store_col_copy(s, 2, out->pin_hash, sizeof out->pin_hash);
		sqlite3_reset(s);
	} else if (rc == CT_NOT_FOUND) {
		rc = ct_fail(err, CT_NOT_FOUND, "no judge %s", code);
	}
	return rc;
}

static const char SQL_TOKEN_PUT[] =
	"INSERT INTO tokens (hash, role, organizer_id, judge_id, created_at, expires_at) "
	"VALUES (:hash, :role, :org, :judge, :at, :expires)";
static const char SQL_TOKEN_PURGE[] = "DELETE FROM tokens WHERE expires_at < :now";

/* "organizer:NAME" or "judge:CODE": the actor a token acts as. */
static void token_actor(const struct token_info *t, char *buf, size_t len)
{
	snprintf(buf, len, "%s:%s", t->admin ? "organizer" : "judge", t->admin ? t->organizer : t->judge_code);
}

enum ct_status store_token_put(struct store *st, const unsigned char hash[32], const struct token_info *t,
			       struct ct_err *err)
{
	enum ct_status rc = store_begin(st, err);
	if (rc != CT_OK)
		return rc;
	char at[32];
	store_now(at);
	sqlite3_stmt *s = store_stmt(st, SQL_TOKEN_PURGE, err);
	if (!s) {
		rc = CT_INTERNAL;
		goto out;
	}
	store_bind_int(s, ":now", (int64_t)time(NULL));
	rc = store_exec_stmt(st, s, err);
	if (rc != CT_OK)
		goto out;
	s = store_stmt(st, SQL_TOKEN_PUT, err);
	if (!s) {
		rc = CT_INTERNAL;
		goto out;
	}
	store_bind_blob(s, ":hash", hash, 32);
	store_bind_text(s, ":role", t->admin ? "organizer" : "judge");
	if (t->admin)
		store_bind_int(s, ":org", t->organizer_id);
	else
		store_bind_int(s, ":judge", t->judge_id);
	store_bind_text(s, ":at", at);
	store_bind_int(s, ":expires", t->expires);
	rc = store_exec_stmt(st, s, err);
	if (rc == CT_OK) {
		char actor[80];
		token_actor(t, actor, sizeof actor);
		rc = store_audit(st, actor, "login", actor, NULL, NULL, err);
	}
out:
	return store_finish(st, rc, err);
}

static const char SQL_TOKEN_GET[] =
	"SELECT t.role, coalesce(t.judge_id, 0), j.code, t.expires_at, coalesce(t.organizer_id, 0), o.name, "
	"o.disabled_at IS NOT NULL FROM tokens t LEFT JOIN judges j ON j.id = t.judge_id "
	"LEFT JOIN organizers o ON o.id = t.organizer_id WHERE t.hash = :hash";

enum ct_status store_token_get(struct store *st, const unsigned char hash[32], int64_t now,
			       struct token_info *out, struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_TOKEN_GET, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_blob(s, ":hash", hash, 32);
	enum ct_status rc = store_row(st, s, err);
	if (rc == CT_OK) {
		memset(out, 0, sizeof *out);
		out->admin = strcmp((const char *)sqlite3_column_text(s, 0), "organizer") == 0;
		out->judge_id = sqlite3_column_int64(s, 1);
		store_col_copy(s, 2, out->judge_code, sizeof out->judge_code);
		out->expires = sqlite3_column_int64(s, 3);
		out->organizer_id = sqlite3_column_int64(s, 4);
		store_col_copy(s, 5, out->organizer, sizeof out->organizer);
		bool disabled = sqlite3_column_int(s, 6) != 0;
		sqlite3_reset(s);
		if (out->expires <= now)
			rc = ct_fail(err, CT_UNAUTHORIZED, "token expired; log in again");
		else if (disabled)
			rc = ct_fail(err, CT_UNAUTHORIZED, "organizer account %s is disabled", out->organizer);
	} else if (rc == CT_NOT_FOUND) {
		rc = ct_fail(err, CT_UNAUTHORIZED, "unknown token; log in again");
	}
	return rc;
}

static const char SQL_TOKEN_DELETE[] = "DELETE FROM tokens WHERE hash = :hash";

enum ct_status store_token_revoke(struct store *st, const char *actor, const unsigned char hash[32],
				  struct ct_err *err)
{
	enum ct_status rc = store_begin(st, err);
	if (rc != CT_OK)
		return rc;
	sqlite3_stmt *s = store_stmt(st, SQL_TOKEN_DELETE, err);
	if (!s)
		return store_finish(st, CT_INTERNAL, err);
	store_bind_blob(s, ":hash", hash, 32);
	rc = store_exec_stmt(st, s, err);
	if (rc == CT_OK && sqlite3_changes(st->db) != 1)
		rc = ct_fail(err, CT_UNAUTHORIZED, "unknown token; log in again");
	if (rc == CT_OK)
		store_note(st, STORE_CHANGE_TOKENS, 0, 0);
	if (rc == CT_OK)
		rc = store_audit(st, actor, "logout", actor, NULL, NULL, err);
	return store_finish(st, rc, err);
}

static const char SQL_TOKENS_JUDGE[] = "DELETE FROM tokens WHERE judge_id = :id";
static const char SQL_TOKENS_ORGANIZER[] = "DELETE FROM tokens WHERE organizer_id = :id";

static enum ct_status revoke_all(struct store *st, const char *sql, int64_t id, struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, sql, err);
	if (!s)
		return CT_INTERNAL;
	store_bind_int(s, ":id", id);
	store_note(st, STORE_CHANGE_TOKENS, 0, 0);
	return store_exec_stmt(st, s, err);
}

enum ct_status store_tokens_revoke_judge(struct store *st, int64_t judge_id, struct ct_err *err)
{
	return revoke_all(st, SQL_TOKENS_JUDGE, judge_id, err);
}

enum ct_status store_tokens_revoke_organizer(struct store *st, int64_t organizer_id, struct ct_err *err)
{
	return revoke_all(st, SQL_TOKENS_ORGANIZER, organizer_id, err);
}
