/* The commands of judge-cli, one table entry each (see struct cmd_entry),
 * defined in the cmd_*.c files and listed by main.c. */
#ifndef JUDGECLI_CMD_H
#define JUDGECLI_CMD_H

#include "cli.h"

extern const struct cmd_entry cmd_login_entry;          /* cmd_login.c */
extern const struct cmd_entry cmd_import_entry;         /* cmd_import.c */
extern const struct cmd_entry cmd_event_list_entry;     /* cmd_event.c */
extern const struct cmd_entry cmd_event_show_entry;
extern const struct cmd_entry cmd_draw_entry;
extern const struct cmd_entry cmd_lock_entry;
extern const struct cmd_entry cmd_contestants_entry;    /* cmd_contestant.c */
extern const struct cmd_entry cmd_contestant_set_entry;
extern const struct cmd_entry cmd_score_entry;          /* cmd_score.c */
extern const struct cmd_entry cmd_sheet_entry;
extern const struct cmd_entry cmd_results_entry;        /* cmd_results.c */
extern const struct cmd_entry cmd_progress_entry;       /* cmd_chief.c */
extern const struct cmd_entry cmd_scores_entry;
extern const struct cmd_entry cmd_accept_entry;
extern const struct cmd_entry cmd_stats_entry;
extern const struct cmd_entry cmd_unlock_entry;
extern const struct cmd_entry cmd_judge_withdraw_entry;
extern const struct cmd_entry cmd_judge_unlock_login_entry; /* cmd_auth.c */
extern const struct cmd_entry cmd_organizer_add_entry;
extern const struct cmd_entry cmd_organizer_list_entry;
extern const struct cmd_entry cmd_organizer_disable_entry;
extern const struct cmd_entry cmd_whoami_entry;
extern const struct cmd_entry cmd_logout_entry;
extern const struct cmd_entry cmd_audit_verify_entry;   /* cmd_audit.c */
extern const struct cmd_entry cmd_audit_log_entry;
extern const struct cmd_entry cmd_audit_checkpoint_entry;
extern const struct cmd_entry cmd_backup_entry;         /* cmd_backup.c */

#endif
