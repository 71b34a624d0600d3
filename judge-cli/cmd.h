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
extern const struct cmd_entry cmd_event_set_entry;      /* cmd_correct.c */
extern const struct cmd_entry cmd_event_delete_entry;
extern const struct cmd_entry cmd_module_set_entry;
extern const struct cmd_entry cmd_module_delete_entry;
extern const struct cmd_entry cmd_criterion_set_entry;
extern const struct cmd_entry cmd_criterion_delete_entry;
extern const struct cmd_entry cmd_contestant_delete_entry;
extern const struct cmd_entry cmd_judge_set_entry;
extern const struct cmd_entry cmd_judge_delete_entry;
extern const struct cmd_entry cmd_judge_unassign_entry;
extern const struct cmd_entry cmd_publish_entry;        /* cmd_publish.c */
extern const struct cmd_entry cmd_appeal_add_entry;
extern const struct cmd_entry cmd_appeal_list_entry;
extern const struct cmd_entry cmd_appeal_resolve_entry;
extern const struct cmd_entry cmd_finalize_entry;
extern const struct cmd_entry cmd_certificates_entry;   /* cmd_cert.c */
extern const struct cmd_entry cmd_verify_entry;         /* cmd_verify.c */
extern const struct cmd_entry cmd_revoke_entry;
extern const struct cmd_entry cmd_pubkey_entry;
extern const struct cmd_entry cmd_export_entry;         /* cmd_export.c */
extern const struct cmd_entry cmd_backup_entry;         /* cmd_backup.c */

#endif
