/* Request handlers, one file per resource. Each decodes its input, makes one
 * store or core call, encodes the result and replies exactly once. */
#ifndef CONTESTD_API_H
#define CONTESTD_API_H

#include "http.h"

/* api_auth.c */
void api_healthz_get(struct request *req);
void api_login_post(struct request *req);

/* api_events.c */
void api_events_get(struct request *req);
void api_events_post(struct request *req);
void api_event_get(struct request *req);
void api_criteria_post(struct request *req);
void api_draw_post(struct request *req);
void api_lock_post(struct request *req);

/* api_people.c */
void api_contestants_post(struct request *req);
void api_event_contestants_get(struct request *req);
void api_contestant_patch(struct request *req);
void api_judges_post(struct request *req);
void api_checkin_post(struct request *req);

/* api_scores.c */
void api_scores_post(struct request *req);
void api_sheet_get(struct request *req);
void api_scores_import_post(struct request *req);

/* api_results.c */
void api_results_get(struct request *req);

#endif
