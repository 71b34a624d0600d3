/* `backup FILE`: a consistent copy of the contest's whole database, made by
 * contestd while judges go on scoring (POST /api/v1/backup), written to a
 * new private file. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "xmalloc.h"

#define BACKUP_MAX (1024u * 1024 * 1024)
static const char sqlite_magic[16] = "SQLite format 3"; /* with its NUL: 16 bytes */

/* Writes len bytes to a new file beside path (mode 0600), synced, then
 * puts it at path: never over an existing file unless force. */
static enum ct_status write_copy(const char *path, const char *data, size_t len, bool force, struct ct_err *err)
{
	char *tmp = xasprintf("%s.partial-XXXXXX", path);
	enum ct_status rc = CT_OK;
	int fd = mkstemp(tmp);
	if (fd < 0) {
		rc = ct_fail(err, CT_INTERNAL, "cannot create %s: %s", tmp, strerror(errno));
		goto out;
	}
	for (size_t done = 0; done < len;) {
		ssize_t n = write(fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = ct_fail(err, CT_INTERNAL, "cannot write %s: %s", tmp, strerror(errno));
			break;
		}
		done += (size_t)n;
	}
	if (rc == CT_OK && (fchmod(fd, 0600) != 0 || fsync(fd) != 0))
		rc = ct_fail(err, CT_INTERNAL, "cannot write %s: %s", tmp, strerror(errno));
	if (close(fd) != 0 && rc == CT_OK)
		rc = ct_fail(err, CT_INTERNAL, "cannot write %s: %s", tmp, strerror(errno));
	if (rc == CT_OK) {
		/* link fails if FILE appeared meanwhile: nothing is overwritten */
		int placed = force ? rename(tmp, path) : link(tmp, path);
		if (placed != 0)
			rc = errno == EEXIST ? ct_fail(err, CT_CONFLICT, "%s exists; give --force to replace it", path)
					     : ct_fail(err, CT_INTERNAL, "cannot write %s: %s", path, strerror(errno));
	}
	if (!(rc == CT_OK && force))
		unlink(tmp);
	if (rc == CT_OK) {
		char *dir_copy = xstrdup(path);
		int dfd = open(dirname(dir_copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			fsync(dfd); /* the new name is on disk too */
			close(dfd);
		}
		free(dir_copy);
	}
out:
	free(tmp);
	return rc;
}

static enum ct_status cmd_backup_run(struct cli *cli, const struct cmd_args *a, struct ct_err *err)
{
	const char *path = a->argv[0];
	bool force = cmd_opt(a, "force") != NULL;
	struct stat sb;
	if (!force && lstat(path, &sb) == 0)
		return ct_fail(err, CT_CONFLICT, "%s exists; give --force to replace it", path);
	struct reply r = {0};
	enum ct_status rc = cli_call(cli, "POST", "/api/v1/backup", NULL, NULL, &r, err);
	if (rc != CT_OK)
		goto out;
	char sum_hex[2 * crypto_hash_sha256_BYTES + 1];
	unsigned char sum[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(sum, (const unsigned char *)r.body, r.len);
	sodium_bin2hex(sum_hex, sizeof sum_hex, sum, sizeof sum);
	if (r.len < 512 || memcmp(r.body, sqlite_magic, sizeof sqlite_magic) != 0) {
		rc = ct_fail(err, CT_INTERNAL, "the server's answer (%zu bytes) is not an SQLite database", r.len);
		goto out;
	}
	if (!r.sha256 || strcmp(r.sha256, sum_hex) != 0) {
		rc = ct_fail(err, CT_INTERNAL, "the copy arrived damaged: SHA-256 %s, the server sent %s", sum_hex,
			     r.sha256 ? r.sha256 : "none");
		goto out;
	}
	if ((rc = write_copy(path, r.body, r.len, force, err)) != CT_OK)
		goto out;
	printf("backup written to %s: %zu bytes, mode 0600, SHA-256 %s\n"
	       "(restore: stop contestd, put it in place of the database, remove the old -wal and -shm, start; "
	       "docs/OPERATIONS.md)\n",
	       path, r.len, sum_hex);
out:
	reply_clear(&r);
	return rc;
}

const struct cmd_entry cmd_backup_entry = {
	.name = "backup",
	.args = "FILE",
	.summary = "save a consistent copy of the whole contest database (organizers)",
	.help = "Asks contestd for a copy of the contest's database, made from one\n"
		"snapshot while judges go on scoring (nothing is held up), checked by the\n"
		"server (integrity_check) and on arrival (SHA-256), and writes it to FILE,\n"
		"mode 0600: it holds the signing key and national id numbers. An existing\n"
		"FILE is never replaced unless --force is given. The copy is a complete\n"
		"database: to restore it, stop contestd, put it in place of the database\n"
		"file, remove the old FILE-wal and FILE-shm, and start contestd again\n"
		"(docs/OPERATIONS.md).",
	.min_args = 1,
	.max_args = 1,
	.options = {
		{"force", NULL, "replace FILE if it exists"},
	},
	.timeout_s = 600,
	.max_reply = BACKUP_MAX,
	.run = cmd_backup_run,
};
