/* audit verify off the event loop: the check reads the whole trail (seconds
 * for a large contest), so it runs on a read-only connection in a thread of
 * its own and answers the request from the loop when done. Judges keep
 * scoring meanwhile; the check sees one snapshot of the database. One check
 * at a time. */
#ifndef CONTESTD_VERIFY_H
#define CONTESTD_VERIFY_H

#include <event2/event.h>

#include "http.h"
#include "store.h"

struct verifier;

/* A verifier for the database at db_path, answering on base. */
struct verifier *verifier_new(struct event_base *base, const char *db_path);

/* Frees the verifier; a check still running is stopped first (as
 * verifier_flush). NULL is a no-op. */
void verifier_free(struct verifier *v);

/* Called on the loop with the outcome: rc from store_audit_verify, the
 * verdict when rc is CT_OK, err otherwise; cp as given (NULL for none). */
typedef void (*verify_done_fn)(struct request *req, enum ct_status rc, const struct audit_verdict *verdict,
			       const struct audit_checkpoint *cp, const struct ct_err *err);

/* Starts the check for req (with the checkpoint cp, copied; may be NULL).
 * CT_OK: done runs later. CT_UNAVAILABLE when a check is running already or
 * the database cannot be opened to read (err says which); done does not run. */
enum ct_status verifier_start(struct verifier *v, struct request *req, const struct audit_checkpoint *cp,
			      verify_done_fn done, struct ct_err *err);

/* At shutdown: stops a running check and answers its request with 503. */
void verifier_flush(struct verifier *v);

#endif
