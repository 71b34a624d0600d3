/* The token file written by `judge-cli login`: which server the token is for,
 * the token, and whom it authenticates. Kept private (mode 0600). */
#ifndef JUDGECLI_TOKEN_H
#define JUDGECLI_TOKEN_H

#include <stdbool.h>

#include "status.h"

/* The largest token file read. */
#define TOKEN_FILE_MAX 65536

struct token_info {
	char *server;            /* base URL the token was issued by */
	char *token;
	char *role;              /* "admin" or "judge" */
	char *judge;             /* judge code, or NULL for the admin */
};

/* Login profiles: each keeps its own token file (and so its own server and
 * login), so that an organizer and a judge can be logged in on one computer
 * at once. The profile is the one set with token_profile_set (--profile),
 * else $JUDGE_CLI_PROFILE, else the default profile. */
#define TOKEN_PROFILE_MAX 32

/* Selects profile name (borrowed; it must outlive every later call), or
 * NULL to fall back to $JUDGE_CLI_PROFILE. "default" names the default. */
void token_profile_set(const char *name);

/* The profile in use, or NULL for the default one. Borrowed. */
const char *token_profile(void);

/* Whether name can name a profile: 1 to TOKEN_PROFILE_MAX letters, digits,
 * '-' and '_', not starting with '-'. */
bool token_profile_valid(const char *name);

/* Where the token file of the profile in use lives. The default profile:
 * $JUDGE_CLI_TOKEN_FILE if set and non-empty, else
 * $XDG_CONFIG_HOME/judge-cli/token, else $HOME/.config/judge-cli/token.
 * Profile NAME: $XDG_CONFIG_HOME/judge-cli/profiles/NAME, else
 * $HOME/.config/judge-cli/profiles/NAME. Returns a new string (caller
 * frees), or NULL when none of these variables is set or the profile name
 * is not valid. */
char *token_file_path(void);

/* The token file of the default profile, whatever profile is in use (see
 * token_file_path). */
char *token_default_file_path(void);

/* Reads the token file at path into *out (fields are new strings; free with
 * token_info_clear). CT_NOT_FOUND when there is no file; CT_INVALID with a
 * message when it is not a token file. */
enum ct_status token_file_read(const char *path, struct token_info *out, struct ct_err *err);

/* Writes ti as the token file at path, replacing it atomically; the file is
 * created with mode 0600 and missing parent directories with mode 0700.
 * CT_INTERNAL with a message on an I/O failure. */
enum ct_status token_file_write(const char *path, const struct token_info *ti, struct ct_err *err);

/* Frees the strings of ti and zeroes it; safe on a zeroed record. */
void token_info_clear(struct token_info *ti);

#endif
