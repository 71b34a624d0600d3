/* The audit chain: each audit record's hash covers the previous record's hash
 * and the record's own fields, so altering or removing any record breaks
 * every hash after it. Checkpoints sign the head of the chain with the
 * contest's Ed25519 key; a replay of the records gives the states the trail
 * says events and contestants are in, to compare with the database. */
#ifndef CONTEST_AUDIT_H
#define CONTEST_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AUDIT_HASH_BYTES 32
#define AUDIT_SIG_BYTES 64

struct audit_record {
	const char *at;        /* ISO 8601 UTC time */
	const char *actor;     /* "organizer:admin", "judge:J01", "system" */
	const char *action;    /* "score", "lock", "import", ... */
	const char *object;    /* what it acted on, e.g. "CNC/K7Q2MX/A1/J01" */
	const char *old_value; /* NULL when none */
	const char *new_value; /* NULL when none */
	const char *role;      /* "organizer", "judge", "chief", "system"; NULL in records
				* written before schema version 2 */
	const char *reason;    /* the reason given, or NULL */
};

/* Computes hash = BLAKE2b-256(prev || each field, length-prefixed, NULL
 * distinct from ""). role and reason are covered only when one of them is
 * not NULL, so records made before they existed keep their hashes. prev is
 * the previous record's hash, all zero for the first record. */
void audit_hash(const unsigned char prev[AUDIT_HASH_BYTES], const struct audit_record *r,
		unsigned char out[AUDIT_HASH_BYTES]);

/* A signed statement that the chain had `seq` records ending in hash `head`. */
struct audit_checkpoint {
	char contest[64];                     /* the contest's code */
	int64_t seq;                          /* sequence number of the head record */
	unsigned char head[AUDIT_HASH_BYTES]; /* its hash */
	char at[32];                          /* when the checkpoint was made */
	unsigned char sig[AUDIT_SIG_BYTES];   /* Ed25519 over the canonical text of the above */
};

/* Signs c (all fields but sig set) with the contest's secret key. */
void audit_checkpoint_sign(struct audit_checkpoint *c, const unsigned char sk[64]);

/* True when c's signature verifies with the contest's public key. */
bool audit_checkpoint_verify(const struct audit_checkpoint *c, const unsigned char pk[32]);

/* The state of events and contestants as the audit trail tells it. */
struct audit_replay;

/* A new, empty replay; audit_replay_free frees it. */
struct audit_replay *audit_replay_new(void);
void audit_replay_free(struct audit_replay *r); /* NULL is a no-op */

/* Applies one record (in sequence order): event.add (object EVENT) puts an
 * event in setup; a workflow transition (draw, lock, unlock, publish,
 * finalize; object EVENT) moves it to where the transition leads, and the
 * draw makes its registered contestants competed; event.delete (object
 * EVENT) deletes the event and its contestants; contestant.add (object
 * EVENT/REG_ID) registers a contestant; contestant.status sets the status
 * to the first word of the new value; contestant.delete (object
 * EVENT/REG_ID) deletes it. A later event.add or contestant.add of the same
 * code registers it anew. A publish record's new value
 * "version N, results DIGEST" records published version N of the event and
 * the digest of its results document (AUDIT_RESULTS_DIGEST_BYTES of
 * BLAKE2b, in hex); appeal.add (object EVENT/appeal/N) opens appeal N,
 * appeal.resolve sets its outcome to the first word of the new value;
 * certificate.issue (object EVENT/CERT_ID) issues a certificate,
 * certificate.revoke revokes it. Other records change nothing here. */
void audit_replay_feed(struct audit_replay *r, int64_t seq, const struct audit_record *rec);

#define AUDIT_RESULTS_DIGEST_BYTES 16

/* The digest (lower-case hex) of a published results document, as a
 * publish record names it: BLAKE2b-128 of its bytes. */
void audit_results_digest(const char *doc, size_t len, char out[2 * AUDIT_RESULTS_DIGEST_BYTES + 1]);

/* The new value of the publish record of version of a document with the
 * digest: "version 2, results 0f3a..." (at most 64 bytes with the NUL). */
void audit_publish_value(unsigned version, const char *digest, char out[64]);

/* The state of event as replayed and the sequence number of the record
 * that set it; false when no record mentions the event. *state is
 * borrowed from r; NULL when the last record deleted the event. */
bool audit_replay_event(const struct audit_replay *r, const char *event, const char **state, int64_t *seq);

/* The status of contestant reg_id as replayed and the record that set it;
 * false when no record registered it. *status and *event are borrowed;
 * *status is NULL when the last record deleted the contestant. */
bool audit_replay_contestant(const struct audit_replay *r, const char *reg_id, const char **event,
			     const char **status, int64_t *seq);

/* Published version of event as replayed: the digest of its results
 * document and the publish record; false when the trail has no such
 * version. *digest is borrowed. */
bool audit_replay_publication(const struct audit_replay *r, const char *event, unsigned version, const char **digest,
			      int64_t *seq);

/* Appeal number as replayed: its outcome ("open", "upheld" or "rejected")
 * and the record that set it; false when no record opened it. */
bool audit_replay_appeal(const struct audit_replay *r, int64_t number, const char **outcome, int64_t *seq);

/* Certificate id (its text form) as replayed: "issued" or "revoked", its
 * event and the record that set it; false when no record issued it. */
bool audit_replay_certificate(const struct audit_replay *r, const char *id, const char **event, const char **state,
			      int64_t *seq);

/* How many publications, appeals and certificates the trail holds (to
 * find any the database lost). */
void audit_replay_counts(const struct audit_replay *r, size_t *publications, size_t *appeals, size_t *certificates);

#endif
