/* What has committed, as in-memory generations: one per event (anything
 * but values), one per (event, judge) for the judge's own values, and one
 * for revoked tokens. The store's commit hook bumps them on whichever
 * thread commits; caches on the event loop compare them to decide whether
 * what they hold is still current (a judge's sheet is not invalidated by
 * another judge's scores). Thread-safe. */
#ifndef CONTESTD_VERSIONS_H
#define CONTESTD_VERSIONS_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct versions;

struct versions *versions_new(void);
void versions_free(struct versions *v); /* NULL is a no-op */

/* The store's commit hook (store_on_commit with arg v). */
void versions_note(void *v, const struct store_change *changes, size_t n);

/* The generation of event_id (bumped by every STORE_CHANGE_EVENT) and of
 * judge_id's values in it (bumped by STORE_CHANGE_VALUES); 0 until the
 * first change. */
void versions_get(struct versions *v, int64_t event_id, int64_t judge_id, uint64_t *event_gen,
		  uint64_t *judge_gen);

/* The generation of revocations (bumped by STORE_CHANGE_TOKENS). */
uint64_t versions_tokens(struct versions *v);

#endif
