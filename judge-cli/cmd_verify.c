/* `judge-cli verify`, `revoke` and `pubkey`: a certificate's QR payload (or
 * its whole URL) verified offline with the contest's public key, and
 * optionally a signed revocation list; a certificate id verified online (its
 * check character first); revocation; the public key saved for offline use. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cmd_cert.h"
#include "decimal.h"
#include "revlist.h"
#include "xmalloc.h"

#define KEY_FILE_MAX 65536
#define REVLIST_FILE_MAX (64u << 20)
#define KEYS_MAX 64

char *cmd_cert_keys_dir(void)
{
	const char *env = getenv("XDG_CONFIG_HOME");
	if (env && *env)
		return xasprintf("%s/judge-cli/keys", env);
	env = getenv("HOME");
	return env && *env ? xasprintf("%s/.config/judge-cli/keys", env) : NULL;
}

/* Reads a JSON file of at most max bytes. */
static enum ct_status read_json(const char *path, size_t max, json_t **out, struct ct_err *err)
{
	char *text = NULL;
	size_t len = 0;
	enum ct_status rc = cli_read_file(path, max, &text, &len, err);
	if (rc != CT_OK)
		return rc;
	json_error_t jerr;
	*out = json_loadb(text, len, 0, &jerr);
	free(text);
	if (!*out)
		return ct_fail(err, CT_INVALID, "%s is not JSON (line %d: %s)", path, jerr.line, jerr.text);
	return CT_OK;
}

static enum ct_status key_file(const char *path, struct cert_key *k, struct ct_err *err)
{
	json_t *doc = NULL;
	struct ct_err why;
	ct_err_clear(&why);
	enum ct_status rc = read_json(path, KEY_FILE_MAX, &doc, err);
	if (rc == CT_OK && cmd_cert_key_decode(doc, k, &why) != CT_OK)
		rc = ct_fail(err, CT_INVALID, "%s: %s", path, why.msg);
	json_decref(doc);
	return rc;
}

/* The keys to verify with: --key FILE, else every key judge-cli pubkey
 * --save kept. */
static enum ct_status load_keys(const char *file, struct cert_key *keys, size_t *n, struct ct_err *err)
{
	*n = 0;
	if (file) {
		enum ct_status rc = key_file(file, &keys[0], err);
		*n = rc == CT_OK;
		return rc;
	}
	char *dir = cmd_cert_keys_dir();
	DIR *d = dir ? opendir(dir) : NULL;
	struct dirent *e;
	while (d && *n < KEYS_MAX && (e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
			continue;
		char *path = xasprintf("%s/%s", dir, e->d_name);
		if (key_file(path, &keys[*n], NULL) == CT_OK)
			(*n)++;
		free(path);
	}
	if (d)
		closedir(d);
	enum ct_status rc = *n ? CT_OK
			       : ct_fail(err, CT_NOT_FOUND, "no contest public key to verify with: save it once with "
					 "judge-cli pubkey --save (while the server can be reached), or give --key FILE "
					 "(the key.json of an export, or judge-cli pubkey --out FILE)");
	free(dir);
	return rc;
}

/* Whether the signed revocation list in path revokes id. The list must be
 * signed by one of keys. */
static enum ct_status revoked_in(const char *path, const struct cert_key *keys, size_t n_keys, const char *id,
				 const json_t **entry, json_t **doc, struct ct_err *err)
{
	*entry = NULL;
	enum ct_status rc = read_json(path, REVLIST_FILE_MAX, doc, err);
	if (rc != CT_OK)
		return rc;
	const json_t *list = json_object_get(*doc, "revoked"), *v;
	size_t i, n = json_array_size(list);
	struct revlist_entry *entries = xcalloc(n ? n : 1, sizeof *entries);
	json_array_foreach(list, i, v) {
		entries[i] = (struct revlist_entry){ json_str(v, "id", ""), json_str(v, "revoked_at", ""),
						     json_str(v, "reason", "") };
		if (strcmp(entries[i].id, id) == 0)
			*entry = v;
	}
	struct buf text = { 0 };
	uint8_t sig[CERT_SIG_BYTES];
	const char *contest = json_str(*doc, "contest", ""), *key_id = json_str(*doc, "key_id", "");
	bool ok = strcmp(json_str(*doc, "format", ""), REVLIST_FORMAT) == 0 && json_is_array(list) &&
		  revlist_text(contest, key_id, json_str(*doc, "generated_at", ""), entries, n, &text, NULL) == CT_OK &&
		  sodium_hex2bin(sig, sizeof sig, json_str(*doc, "signature", ""), 2 * sizeof sig, NULL, NULL, NULL) == 0;
	bool signed_ok = false;
	for (size_t k = 0; ok && k < n_keys && !signed_ok; k++) {
		char kid[CERT_KEY_ID_TEXT];
		cert_key_id_format(keys[k].id, kid);
		signed_ok = strcmp(kid, key_id) == 0 && strcmp(keys[k].contest, contest) == 0 &&
			    revlist_verify(text.data, text.len, sig, keys[k].pk);
	}
	buf_free(&text);
	free(entries);
	if (!signed_ok)
		return ct_fail(err, CT_INVALID, "%s is not a revocation list signed by a key judge-cli knows (%s)", path,
			       ok ? "the signature does not verify" : "not a contest-revocations-1 document");
	return CT_OK;
}

static void print_name(const char *label, const char *text, enum cert_text_form form)
{
	printf("  %-13s %s\n", label, form == CERT_FORM_UTF8 || form == CERT_FORM_GB18030
					       ? text : "(too long for the QR code: verify online to see it)");
}

static void print_claim(const struct cert_claim *c)
{
	char day[11], total[32];
	cert_day_format(c->cert.issue_day, day);
	print_name("holder", c->cert.holder, c->holder_form);
	print_name("organization", c->cert.organization, c->organization_form);
	printf("  %-13s %s\n  %-13s %s\n  %-13s %s\n  %-13s %u\n  %-13s %s\n  %-13s %s\n", "contest", c->cert.contest,
	       "event", c->cert.event, "award", cert_award_name(c->cert.award), "rank", c->cert.rank, "total",
	       dec_format(c->cert.total_c, total), "issued", day);
}

/* The server's verdict on text (a payload or an id), printed. */
static enum ct_status verify_online(struct cli *cli, const char *text, bool print_fields, struct ct_err *err)
{
	struct reply r = { 0 };
	char *path = cli_path("/api/v1/verify/", text, NULL);
	enum ct_status rc = cli_call(cli, "GET", path, NULL, NULL, &r, err);
	free(path);
	if (rc == CT_OK) {
		const char *verdict = json_str(r.json, "verdict", "?");
		const json_t *c = json_object_get(r.json, "certificate"), *rev = json_object_get(r.json, "revoked");
		printf("%s (online, %s): %s\n", verdict, cli_server(cli), json_str(r.json, "message", ""));
		if (json_is_object(rev))
			printf("  %-13s %s\n  %-13s %s\n", "revoked at", json_str(rev, "at", ""), "reason",
			       json_str(rev, "reason", ""));
		if (print_fields && json_is_object(c)) {
			char b[32];
			const json_t *ev = json_object_get(c, "event");
			printf("  %-13s %s\n  %-13s %s\n", "holder", json_str(c, "holder", ""), "organization",
			       json_str(c, "organization", ""));
			if (json_is_string(json_object_get(c, "team")))
				printf("  %-13s %s\n", "team", json_str(c, "team", ""));
			printf("  %-13s %s %s\n", "contest", json_str(json_object_get(c, "contest"), "code", ""),
			       json_str(json_object_get(c, "contest"), "name", ""));
			printf("  %-13s %s %s\n", "event", json_str(ev, "code", ""), json_str(ev, "name", ""));
			printf("  %-13s %s\n", "award", json_str(c, "award_name", ""));
			printf("  %-13s %s\n", "rank", json_text(c, "rank", "", b));
			printf("  %-13s %s\n  %-13s %s\n", "total", json_str(c, "total", ""), "issued",
			       json_str(c, "issue_date", ""));
		}
		if (strcmp(verdict, "genuine") != 0)
			rc = ct_fail(err, CT_INVALID, "%s", ""); /* said above; exit status 1 */
	}
	reply_clear(&r);
	return rc;
}

/* Whether text is a certificate id (17 symbols, hyphens and spaces aside)
 * rather than a QR payload or URL (well over a hundred). */
static bool looks_like_id(const char *text)
{
	size_t symbols = 0;
	for (const char *p = text; *p; p++)
		symbols += *p != '-' && *p != ' ';
	return symbols <= 24;
}

static enum ct_status verify_id(struct cli *cli, const char *text, struct ct_err *err)
{
	uint8_t id[CERT_ID_BYTES];
	char canonical[CERT_ID_TEXT_MAX];
	switch (cert_id_parse(text, id)) {
	case CERT_ID_MALFORMED:
		return ct_fail(err, CT_INVALID, "\"%s\" is not a certificate id: it holds a character no certificate "
			       "id has (0-9 and A-Z without I, L, O, U)", text);
	case CERT_ID_MISTYPED:
		return ct_fail(err, CT_INVALID, "mistyped: \"%s\" is not a certificate id (its check character does "
			       "not match, or a character is missing or extra); check each character", text);
	case CERT_ID_VALID:
		break;
	}
	cert_id_format(id, canonical);
	return verify_online(cli, canonical, true, err);
}

static enum ct_status cmd_verify_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	const char *text = a->argv[0];
	if (looks_like_id(text))
		return verify_id(cli, text, err);
	struct cert_key keys[KEYS_MAX];
	size_t n_keys = 0;
	struct cert_claim claim;
	struct ct_err why;
	ct_err_clear(&why);
	enum ct_status rc = load_keys(cmd_opt(a, "key"), keys, &n_keys, err);
	if (rc != CT_OK)
		return rc;
	if (cert_claim_decode(text, strlen(text), &claim, &why) != CT_OK) {
		printf("forged: the code is damaged or is not a certificate (%s)\n", why.msg);
		return ct_fail(err, CT_INVALID, "%s", "");
	}
	char id[CERT_ID_TEXT_MAX], kid[CERT_KEY_ID_TEXT];
	cert_id_format(claim.cert.id, id);
	cert_key_id_format(claim.key_id, kid);
	switch (cert_claim_verify(&claim, keys, n_keys)) {
	case CERT_UNKNOWN_KEY:
		printf("unknown: certificate %s is signed by key %s, which judge-cli does not know "
		       "(judge-cli pubkey --save saves a contest's key)\n", id, kid);
		return ct_fail(err, CT_INVALID, "%s", "");
	case CERT_FORGED:
		printf("forged: the signature of certificate %s does not match its fields: they were altered, or it "
		       "was never issued\n", id);
		return ct_fail(err, CT_INVALID, "%s", "");
	case CERT_GENUINE:
		break;
	}
	const char *revocations = cmd_opt(a, "revocations");
	const json_t *revoked = NULL;
	json_t *list = NULL;
	if (revocations && (rc = revoked_in(revocations, keys, n_keys, id, &revoked, &list, err)) != CT_OK)
		return rc;
	if (revoked)
		printf("revoked: certificate %s was revoked on %s: %s (signed list %s)\n", id,
		       json_str(revoked, "revoked_at", ""), json_str(revoked, "reason", ""), revocations);
	else
		printf("genuine: certificate %s, signed with key %s of contest %s (checked offline%s)\n", id, kid,
		       claim.cert.contest, revocations ? "; not in the revocation list" : "");
	print_claim(&claim);
	json_decref(list);
	if (cmd_opt(a, "online"))
		return verify_online(cli, text, false, err);
	return revoked ? ct_fail(err, CT_INVALID, "%s", "") : CT_OK;
}

const struct cmd_entry cmd_verify_entry = {
	.name = "verify",
	.args = "PAYLOAD|URL|ID",
	.summary = "verify a certificate: its QR code's URL offline, or its id online",
	.help = "A URL or payload (what a QR reader shows) is verified offline with the\n"
		"contest's public key: genuine (the fields are printed), forged (a field or\n"
		"the signature was changed, or the code is damaged) or unknown (signed by a\n"
		"key judge-cli does not know). Keys: --key FILE, else those saved by\n"
		"judge-cli pubkey --save. Revocation needs the contest's word: --revocations\n"
		"FILE checks a signed revocation list (export-public writes one), --online\n"
		"asks the server too. A certificate id (XXXX-XXXX-XXXX-XXXX-C) is checked\n"
		"for typing mistakes, then looked up on the server.\n"
		"Exit status 0 only for a genuine certificate that is not revoked.",
	.min_args = 1,
	.max_args = 1,
	.no_token = true,
	.options = {
		{ "key", "FILE", "the contest's public key (contest-key-1 JSON)" },
		{ "revocations", "FILE", "a signed revocation list (contest-revocations-1 JSON)" },
		{ "online", NULL, "also ask the server (revocation included)" },
	},
	.run = cmd_verify_run,
};

static enum ct_status cmd_revoke_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	uint8_t id[CERT_ID_BYTES];
	char canonical[CERT_ID_TEXT_MAX];
	enum cert_id_check check = cert_id_parse(a->argv[0], id);
	if (check != CERT_ID_VALID)
		return cli_usage(cli, err, "\"%s\" is %s", a->argv[0],
				 check == CERT_ID_MISTYPED ? "a mistyped certificate id (its check character does not match)"
							   : "not a certificate id");
	const char *reason = cmd_opt(a, "reason");
	if (!reason || !*reason)
		return cli_usage(cli, err, "give --reason R: it goes into the signed revocation list");
	if (!revlist_reason_ok(reason))
		return cli_usage(cli, err, "--reason must be text of at most %d bytes, without line breaks or other "
				 "control characters", REVLIST_REASON_MAX);
	cert_id_format(id, canonical);
	struct reply r = { 0 };
	json_t *body = json_pack("{s:s}", "reason", reason);
	char *path = cli_path("/api/v1/certificates/", canonical, "/revoke");
	enum ct_status rc = cli_call(cli, "POST", path, body, NULL, &r, err);
	if (rc == CT_OK)
		printf("revoked certificate %s (%s, event %s) at %s\n", canonical, json_str(r.json, "holder", ""),
		       json_str(r.json, "event", ""), json_str(r.json, "revoked_at", ""));
	free(path);
	json_decref(body);
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_revoke_entry = {
	.name = "revoke",
	.args = "CERT_ID",
	.summary = "revoke a certificate, with a reason (organizer; audited)",
	.help = "Verification then says revoked, with the date and the reason, and the\n"
		"signed revocation list (/api/v1/public/revocations, export-public) lists it.",
	.min_args = 1,
	.max_args = 1,
	.options = { { "reason", "R", "why (required; public: it is in the revocation list)" } },
	.run = cmd_revoke_run,
};

static enum ct_status cmd_pubkey_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	struct reply r = { 0 };
	struct cert_key key;
	char *dir = NULL, *saved = NULL;
	const char *out = cmd_opt(a, "out");
	if (out && !*out)
		return cli_usage(cli, err, "--out needs a file name");
	enum ct_status rc = cli_call(cli, "GET", "/api/v1/public/key", NULL, NULL, &r, err);
	if (rc == CT_OK)
		rc = cmd_cert_key_decode(r.json, &key, err);
	if (rc == CT_OK && out)
		rc = cli_write_file(out, r.body, strlen(r.body), err);
	if (rc == CT_OK && cmd_opt(a, "save")) {
		if (!(dir = cmd_cert_keys_dir()))
			rc = ct_fail(err, CT_INTERNAL, "HOME is not set: no place to save the key (use --out FILE)");
		if (rc == CT_OK)
			rc = cli_make_dirs(dir, 0700, err);
		if (rc == CT_OK) {
			saved = xasprintf("%s/%s-%s.json", dir, key.contest, json_str(r.json, "key_id", ""));
			rc = cli_write_file(saved, r.body, strlen(r.body), err);
		}
	}
	if (rc == CT_OK) {
		printf("contest      %s %s\nalgorithm    Ed25519\nkey id       %s\npublic key   %s\n", key.contest,
		       json_str(r.json, "contest_name", ""), json_str(r.json, "key_id", ""),
		       json_str(r.json, "public_key", ""));
		if (out)
			printf("wrote %s\n", out);
		if (saved)
			printf("saved %s: judge-cli verify now checks this contest's certificates offline\n", saved);
	}
	free(dir);
	free(saved);
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_pubkey_entry = {
	.name = "pubkey",
	.args = "",
	.summary = "show the contest's public key; save it for offline verification",
	.min_args = 0,
	.max_args = 0,
	.no_token = true,
	.options = {
		{ "out", "FILE", "write the key (contest-key-1 JSON) to FILE" },
		{ "save", NULL, "keep it in ~/.config/judge-cli/keys for judge-cli verify" },
	},
	.run = cmd_pubkey_run,
};
