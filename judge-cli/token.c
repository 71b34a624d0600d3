/* Reading and atomically replacing the login token file. */
#include "token.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "cli.h"
#include "xmalloc.h"

static const char *profile_opt;

void token_profile_set(const char *name)
{
	profile_opt = name;
}

const char *token_profile(void)
{
	const char *name = profile_opt;
	if (!name || !*name)
		name = getenv("JUDGE_CLI_PROFILE");
	if (!name || !*name || strcmp(name, "default") == 0)
		return NULL;
	return name;
}

bool token_profile_valid(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > TOKEN_PROFILE_MAX || name[0] == '-')
		return false;
	for (const char *p = name; *p; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return false;
	}
	return true;
}

char *token_file_path(void)
{
	const char *profile = token_profile();
	if (!profile)
		return token_default_file_path();
	if (!token_profile_valid(profile))
		return NULL;
	const char *env = getenv("XDG_CONFIG_HOME");
	if (env && *env)
		return xasprintf("%s/judge-cli/profiles/%s", env, profile);
	env = getenv("HOME");
	if (env && *env)
		return xasprintf("%s/.config/judge-cli/profiles/%s", env, profile);
	return NULL;
}

char *token_default_file_path(void)
{
	const char *env = getenv("JUDGE_CLI_TOKEN_FILE");
	if (env && *env)
		return xstrdup(env);
	env = getenv("XDG_CONFIG_HOME");
	if (env && *env)
		return xasprintf("%s/judge-cli/token", env);
	env = getenv("HOME");
	if (env && *env)
		return xasprintf("%s/.config/judge-cli/token", env);
	return NULL;
}

void token_info_clear(struct token_info *ti)
{
	if (!ti)
		return;
	free(ti->server);
	xfree_secret(ti->token);
	free(ti->role);
	free(ti->judge);
	memset(ti, 0, sizeof *ti);
}

static char *dup_member(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	return s ? xstrdup(s) : NULL;
}

enum ct_status token_file_read(const char *path, struct token_info *out, struct ct_err *err)
{
	enum ct_status rc = CT_OK;
	json_t *root = NULL;
	char *buf = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	memset(out, 0, sizeof *out);
	if (fd < 0) {
		if (errno == ENOENT)
			rc = ct_fail(err, CT_NOT_FOUND, "no token file %s", path);
		else
			rc = ct_fail(err, CT_INTERNAL, "cannot read %s: %s", path, strerror(errno));
		goto out;
	}
	buf = xmalloc(TOKEN_FILE_MAX + 1);
	size_t len = 0;
	for (;;) {
		ssize_t n = read(fd, buf + len, TOKEN_FILE_MAX + 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = ct_fail(err, CT_INTERNAL, "cannot read %s: %s", path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > TOKEN_FILE_MAX) {
			rc = ct_fail(err, CT_INVALID, "%s is not a token file (too large)", path);
			goto out;
		}
	}
	json_error_t jerr;
	root = json_loadb(buf, len, 0, &jerr);
	const char *token = json_string_value(json_object_get(root, "token"));
	if (!json_is_object(root) || !token || !*token) {
		rc = ct_fail(err, CT_INVALID, "%s is not a judge-cli token file; run judge-cli login", path);
		goto out;
	}
	out->server = dup_member(root, "server");
	out->token = xstrdup(token);
	out->role = dup_member(root, "role");
	out->judge = dup_member(root, "judge");
out:
	if (fd >= 0)
		close(fd);
	if (root)
		json_decref(root);
	if (buf)
		sodium_memzero(buf, TOKEN_FILE_MAX + 1);
	free(buf);
	return rc;
}

/* mkdir -p of the directory part of path, new directories mode 0700. */
static enum ct_status make_parents(const char *path, struct ct_err *err)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	enum ct_status rc = CT_OK;
	if (slash && slash != dir) {
		*slash = '\0';
		rc = cli_make_dirs(dir, 0700, err);
	}
	free(dir);
	return rc;
}

static void set_opt(json_t *obj, const char *key, const char *value)
{
	json_object_set_new(obj, key, value ? json_string(value) : json_null());
}

enum ct_status token_file_write(const char *path, const struct token_info *ti, struct ct_err *err)
{
	enum ct_status rc = CT_OK;
	json_t *root = json_object();
	char *text = NULL;
	char *tmp = NULL;
	int fd = -1;

	if ((rc = make_parents(path, err)) != CT_OK)
		goto out;
	set_opt(root, "server", ti->server);
	set_opt(root, "token", ti->token);
	set_opt(root, "role", ti->role);
	set_opt(root, "judge", ti->judge);
	char *dumped = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!dumped) {
		rc = ct_fail(err, CT_INTERNAL, "cannot encode the token file");
		goto out;
	}
	text = xasprintf("%s\n", dumped);
	xfree_secret(dumped);
	tmp = xasprintf("%s.XXXXXX", path);
	fd = mkstemp(tmp); /* mode 0600 */
	if (fd < 0) {
		rc = ct_fail(err, CT_INTERNAL, "cannot create %s: %s", tmp, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	size_t len = strlen(text);
	size_t done = 0;
	while (done < len) {
		ssize_t n = write(fd, text + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = ct_fail(err, CT_INTERNAL, "cannot write %s: %s", tmp, strerror(errno));
			goto out;
		}
		done += (size_t)n;
	}
	if (fchmod(fd, 0600) != 0 || fsync(fd) != 0) {
		rc = ct_fail(err, CT_INTERNAL, "cannot write %s: %s", tmp, strerror(errno));
		goto out;
	}
	if (close(fd) != 0) {
		fd = -1;
		rc = ct_fail(err, CT_INTERNAL, "cannot write %s: %s", tmp, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) != 0) {
		rc = ct_fail(err, CT_INTERNAL, "cannot replace %s: %s", path, strerror(errno));
		goto out;
	}
	free(tmp);
	tmp = NULL;
out:
	if (fd >= 0)
		close(fd);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	xfree_secret(text);
	json_decref(root);
	return rc;
}
