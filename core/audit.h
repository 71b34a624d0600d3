/* The audit chain: each audit record's hash covers the previous record's hash
 * and the record's own fields, so altering or removing any record breaks
 * every hash after it. */
#ifndef CONTEST_AUDIT_H
#define CONTEST_AUDIT_H

#include <stddef.h>

#define AUDIT_HASH_BYTES 32

struct audit_record {
	const char *at;        /* ISO 8601 UTC time */
	const char *actor;     /* "admin", "judge:J01" */
	const char *action;    /* "score", "lock", "import", ... */
	const char *object;    /* what it acted on, e.g. "CNC/K7Q2MX/A1/J01" */
	const char *old_value; /* NULL when none */
	const char *new_value; /* NULL when none */
};

/* Computes hash = BLAKE2b-256(prev || each field, length-prefixed, NULL
 * distinct from ""). prev is the previous record's hash, all zero for the
 * first record. */
void audit_hash(const unsigned char prev[AUDIT_HASH_BYTES], const struct audit_record *r,
		unsigned char out[AUDIT_HASH_BYTES]);

#endif
