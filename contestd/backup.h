/* POST /api/v1/backup (organizers): a consistent copy of the whole database
 * made while judges submit, streamed to the caller (judge-cli backup FILE).
 * The copy is made off the event loop, on a read-only connection in a
 * thread of its own, into a new private file beside the database (VACUUM
 * INTO: one snapshot, compacted, no -wal), checked with integrity_check,
 * hashed (SHA-256, sent as X-Content-SHA256 for the client to check), then
 * unlinked and sent from its open descriptor. One copy at a time. */
#ifndef CONTESTD_BACKUP_H
#define CONTESTD_BACKUP_H

struct request;

void api_backup_post(struct request *req);

/* At shutdown: stops a copy being made and answers its request with 503. */
void backup_flush(void);

/* Releases what the copies used (after the loop has stopped). */
void backup_free(void);

#endif
