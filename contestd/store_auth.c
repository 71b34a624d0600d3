/* The contest record, the admin credential, judges' PIN hashes and tokens. */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char SQL_CONTEST_EXISTS[] = "SELECT count(*) FROM contest";

bool store_contest_exists(struct store *st)
{
	sqlite3_stmt *s = store_stmt(st, SQL_CONTEST_EXISTS, NULL);
	if (!s)
		return false;
	bool yes = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) > 0;
	sqlite3_reset(s);
	return yes;
}

static const char SQL_CONTEST_INIT[] =
	"INSERT INTO contest (id, code, name, public_url, sign_pk, sign_sk, admin_hash, created_at) "
	"VALUES (1, :code, :name, :url, :pk, :sk, :hash, :at)";

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
	store_bind_text(s, ":hash", admin_hash);
	store_bind_text(s, ":at", at);
	rc = store_exec_stmt(st, s, err);
	if (rc == CT_OK)
		rc = store_audit(st, "system", "init", code, NULL, name, err);
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

static const char SQL_ADMIN_HASH[] = "SELECT admin_hash FROM contest WHERE id = 1";

enum ct_status store_admin_hash(struct store *st, char *buf, size_t len, struct ct_err *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_ADMIN_HASH, err);
	if (!s)
		return CT_INTERNAL;
	enum ct_status rc = store_row(st, s, err);
	if (rc == CT_OK) {
		store_col_copy(s, 0, buf, len);
		sqlite3_reset(s);
	} else if (rc == CT_NOT_FOUND) {
		rc = ct_fail(err, CT_NOT_FOUND, "the database holds no contest");
	}
	return rc;
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
	"INSERT INTO tokens (hash, role, judge_id, created_at, expires_at) "
	"VALUES (:hash, :role, :judge, :at, :expires)";
static const char SQL_TOKEN_PURGE[] = "DELETE FROM tokens WHERE expires_at < :now";

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
	store_bind_text(s, ":role", t->admin ? "admin" : "judge");
	if (t->admin)
		store_bind_null(s, ":judge");
	else
		store_bind_int(s, ":judge", t->judge_id);
	store_bind_text(s, ":at", at);
	store_bind_int(s, ":expires", t->expires);
	rc = store_exec_stmt(st, s, err);
	if (rc == CT_OK) {
		char actor[80];
		snprintf(actor, sizeof actor, "%s%s", t->admin ? "admin" : "judge:", t->admin ? "" : t->judge_code);
		rc = store_audit(st, actor, "login", actor, NULL, NULL, err);
	}
out:
	return store_finish(st, rc, err);
}

static const char SQL_TOKEN_GET[] =
	"SELECT t.role, t.judge_id, j.code, t.expires_at FROM tokens t "
	"LEFT JOIN judges j ON j.id = t.judge_id WHERE t.hash = :hash";

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
		out->admin = strcmp((const char *)sqlite3_column_text(s, 0), "admin") == 0;
		out->judge_id = sqlite3_column_int64(s, 1);
		store_col_copy(s, 2, out->judge_code, sizeof out->judge_code);
		out->expires = sqlite3_column_int64(s, 3);
		sqlite3_reset(s);
		if (out->expires <= now)
			rc = ct_fail(err, CT_UNAUTHORIZED, "token expired; log in again");
	} else if (rc == CT_NOT_FOUND) {
		rc = ct_fail(err, CT_UNAUTHORIZED, "unknown token; log in again");
	}
	return rc;
}
