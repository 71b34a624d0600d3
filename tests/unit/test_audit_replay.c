/* Unit tests of the audit trail's replay (core/audit.h), expectations
 * written out by hand: a whole life of publication and certificates (draw,
 * lock, publish, correction, publish again, appeal, finalize, certificates,
 * revocation) fed record by record, and what the replay then says about the
 * event, its published versions, the appeal and the certificates; records
 * that do not parse change nothing; and the states of events and
 * contestants with the deletions an organizer's corrections record
 * (event.delete, contestant.delete) and codes registered again after them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "audit.h"

static int64_t seq;

static void feed(struct audit_replay *r, const char *action, const char *object, const char *old_value,
		 const char *new_value)
{
	struct audit_record rec = {"2026-05-20T09:00:00Z", "organizer:admin", action, object, old_value, new_value,
				   "organizer", NULL};
	audit_replay_feed(r, ++seq, &rec);
}

static void test_publication_life(void **state)
{
	(void)state;
	struct audit_replay *r = audit_replay_new();
	char d1[33], d2[33], v1[64], v2[64];
	audit_results_digest("{\"version\":1}", 13, d1);
	audit_results_digest("{\"version\":2}", 13, d2);
	assert_string_not_equal(d1, d2);
	audit_publish_value(1, d1, v1);
	audit_publish_value(2, d2, v2);
	assert_int_equal(strncmp(v1, "version 1, results ", 19), 0);
	assert_int_equal(strlen(v1), 19 + 32);

	const char *state_of, *digest, *outcome, *event;
	int64_t at;
	feed(r, "event.add", "WELD", NULL, "焊接");
	feed(r, "draw", "WELD", "setup", "3 contestants");
	feed(r, "lock", "WELD", "drawn", "locked");
	feed(r, "publish", "WELD", "locked", v1);
	int64_t published1 = seq;
	assert_true(audit_replay_event(r, "WELD", &state_of, &at));
	assert_string_equal(state_of, "published");
	feed(r, "appeal.add", "WELD/appeal/7", NULL, "open");
	assert_true(audit_replay_appeal(r, 7, &outcome, &at));
	assert_string_equal(outcome, "open");
	feed(r, "unlock", "WELD", "published", "drawn");
	assert_true(audit_replay_event(r, "WELD", &state_of, &at));
	assert_string_equal(state_of, "drawn");
	feed(r, "lock", "WELD", "drawn", "locked");
	feed(r, "publish", "WELD", "locked", v2);
	feed(r, "appeal.resolve", "WELD/appeal/7", "open", "upheld");
	feed(r, "certificate.issue", "WELD/0000-0000-0000-0000-0", NULL, "张伟, 一等奖, rank 1");
	feed(r, "certificate.issue", "WELD/000G-40R4-0M30-E209-Z", NULL, "李娜, 二等奖, rank 2");
	feed(r, "finalize", "WELD", "published", "final, 2 certificates");
	feed(r, "certificate.revoke", "WELD/000G-40R4-0M30-E209-Z", "issued", "revoked");

	assert_true(audit_replay_event(r, "WELD", &state_of, &at));
	assert_string_equal(state_of, "final");
	assert_true(audit_replay_publication(r, "WELD", 1, &digest, &at));
	assert_string_equal(digest, d1);
	assert_int_equal(at, published1);
	assert_true(audit_replay_publication(r, "WELD", 2, &digest, &at));
	assert_string_equal(digest, d2);
	assert_false(audit_replay_publication(r, "WELD", 3, &digest, &at));
	assert_false(audit_replay_publication(r, "CNC", 1, &digest, &at));
	assert_true(audit_replay_appeal(r, 7, &outcome, &at));
	assert_string_equal(outcome, "upheld");
	assert_false(audit_replay_appeal(r, 8, &outcome, &at));
	assert_true(audit_replay_certificate(r, "0000-0000-0000-0000-0", &event, &state_of, &at));
	assert_string_equal(event, "WELD");
	assert_string_equal(state_of, "issued");
	assert_true(audit_replay_certificate(r, "000G-40R4-0M30-E209-Z", &event, &state_of, &at));
	assert_string_equal(state_of, "revoked");
	assert_int_equal(at, seq);
	size_t pubs, appeals, certs;
	audit_replay_counts(r, &pubs, &appeals, &certs);
	assert_int_equal(pubs, 2);
	assert_int_equal(appeals, 1);
	assert_int_equal(certs, 2);
	audit_replay_free(r);
}

static void test_unparsed_records(void **state)
{
	(void)state;
	struct audit_replay *r = audit_replay_new();
	feed(r, "event.add", "WELD", NULL, "焊接");
	feed(r, "publish", "WELD", "locked", "published"); /* no version: an old-style value */
	feed(r, "publish", "WELD", "locked", "version x, results 00");
	feed(r, "appeal.add", "WELD", NULL, "open");                 /* no appeal number */
	feed(r, "appeal.resolve", "WELD/appeal/3", "open", "maybe"); /* no outcome */
	feed(r, "certificate.issue", "0000-0000-0000-0000-0", NULL, "x"); /* no event */
	size_t pubs, appeals, certs;
	audit_replay_counts(r, &pubs, &appeals, &certs);
	assert_int_equal(pubs, 0);
	assert_int_equal(appeals, 0);
	assert_int_equal(certs, 0);
	const char *state_of;
	int64_t at;
	assert_true(audit_replay_event(r, "WELD", &state_of, &at));
	assert_string_equal(state_of, "published"); /* the transition still counts */
	audit_replay_free(r);
}

/* One record at a given sequence number. */
static void feed_at(struct audit_replay *r, int64_t at, const char *action, const char *object, const char *new_value)
{
	const struct audit_record rec = {"2026-11-23T08:00:00Z", "organizer:admin", action, object, NULL, new_value,
					 "organizer", NULL};
	audit_replay_feed(r, at, &rec);
}

/* "STATE@SEQ", "deleted@SEQ" or "none" for an event. */
static const char *event_is(const struct audit_replay *r, const char *code, char buf[64])
{
	const char *state;
	int64_t when;
	if (!audit_replay_event(r, code, &state, &when))
		return "none";
	snprintf(buf, 64, "%s@%lld", state ? state : "deleted", (long long)when);
	return buf;
}

/* "EVENT:STATUS@SEQ", "EVENT:deleted@SEQ" or "none" for a contestant. */
static const char *contestant_is(const struct audit_replay *r, const char *reg_id, char buf[64])
{
	const char *event, *status;
	int64_t when;
	if (!audit_replay_contestant(r, reg_id, &event, &status, &when))
		return "none";
	snprintf(buf, 64, "%s:%s@%lld", event, status ? status : "deleted", (long long)when);
	return buf;
}

static void test_deletions(void **state)
{
	(void)state;
	char b[64];
	struct audit_replay *r = audit_replay_new();
	feed_at(r, 1, "event.add", "CNC", "数控铣");
	feed_at(r, 2, "event.add", "WELD", "焊接");
	feed_at(r, 3, "contestant.add", "CNC/C01", "张三");
	feed_at(r, 4, "contestant.add", "CNC/C02", "李四");
	feed_at(r, 5, "contestant.add", "WELD/W01", "王五");
	feed_at(r, 6, "contestant.delete", "CNC/C02", NULL);
	assert_string_equal(contestant_is(r, "C02", b), "CNC:deleted@6");
	assert_string_equal(contestant_is(r, "C01", b), "CNC:registered@3");
	/* a delete naming another event than the contestant's deletes nothing */
	feed_at(r, 7, "contestant.delete", "WELD/C01", NULL);
	assert_string_equal(contestant_is(r, "C01", b), "CNC:registered@3");
	/* the event goes with its contestants, not another event's */
	feed_at(r, 8, "event.delete", "CNC", NULL);
	assert_string_equal(event_is(r, "CNC", b), "deleted@8");
	assert_string_equal(contestant_is(r, "C01", b), "CNC:deleted@8");
	assert_string_equal(contestant_is(r, "C02", b), "CNC:deleted@6");
	assert_string_equal(contestant_is(r, "W01", b), "WELD:registered@5");
	assert_string_equal(event_is(r, "WELD", b), "setup@2");
	/* registered again: setup, registered; the draw of WELD leaves deleted ones alone */
	feed_at(r, 9, "event.add", "CNC", "数控铣");
	feed_at(r, 10, "contestant.add", "WELD/C02", "李四");
	feed_at(r, 11, "draw", "WELD", "2 contestants");
	assert_string_equal(event_is(r, "CNC", b), "setup@9");
	assert_string_equal(event_is(r, "WELD", b), "drawn@11");
	assert_string_equal(contestant_is(r, "C02", b), "WELD:competed@11");
	assert_string_equal(contestant_is(r, "W01", b), "WELD:competed@11");
	assert_string_equal(contestant_is(r, "C01", b), "CNC:deleted@8");
	/* corrections that change no state or status change nothing here */
	feed_at(r, 12, "contestant.identity", "WELD/W01", "organization 第一中学");
	feed_at(r, 13, "event.set", "CNC", "name 数控");
	feed_at(r, 14, "judge.unassign", "CNC/J01", NULL);
	assert_string_equal(contestant_is(r, "W01", b), "WELD:competed@11");
	assert_string_equal(event_is(r, "CNC", b), "setup@9");
	assert_string_equal(contestant_is(r, "X99", b), "none");
	audit_replay_free(r);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_publication_life),
		cmocka_unit_test(test_unparsed_records),
		cmocka_unit_test(test_deletions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
