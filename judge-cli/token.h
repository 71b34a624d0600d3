/* The token file written by `judge-cli login`: which server the token is for,
 * the token, and whom it authenticates. Kept private (mode 0600). */
#ifndef JUDGECLI_TOKEN_H
#define JUDGECLI_TOKEN_H

#include "status.h"

/* The largest token file read. */
#define TOKEN_FILE_MAX 65536

struct token_info {
	char *server;            /* base URL the token was issued by */
	char *token;
	char *role;              /* "admin" or "judge" */
	char *judge;             /* judge code, or NULL for the admin */
};

/* Where the token file lives: $JUDGE_CLI_TOKEN_FILE if set and non-empty,
 * else $XDG_CONFIG_HOME/judge-cli/token, else $HOME/.config/judge-cli/token.
 * Returns a new string (caller frees), or NULL when none of these variables
 * is set. */
char *token_file_path(void);

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
