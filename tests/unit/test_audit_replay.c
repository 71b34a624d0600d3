/* Unit tests of the audit trail's replay (core/audit.h): the states of
 * events and contestants as the records tell them, with the deletions an
 * organizer's corrections record (event.delete, contestant.delete) and
 * codes registered again after them. Expectations written out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "audit.h"

static void feed(struct audit_replay *r, int64_t seq, const char *action, const char *object, const char *new_value)
{
	const struct audit_record rec = {"2026-11-23T08:00:00Z", "organizer:admin", action, object, NULL, new_value,
					 "organizer", NULL};
	audit_replay_feed(r, seq, &rec);
}

/* "STATE@SEQ", "deleted@SEQ" or "none" for an event. */
static const char *event_is(const struct audit_replay *r, const char *code, char buf[64])
{
	const char *state;
	int64_t seq;
	if (!audit_replay_event(r, code, &state, &seq))
		return "none";
	snprintf(buf, 64, "%s@%lld", state ? state : "deleted", (long long)seq);
	return buf;
}

/* "EVENT:STATUS@SEQ", "EVENT:deleted@SEQ" or "none" for a contestant. */
static const char *contestant_is(const struct audit_replay *r, const char *reg_id, char buf[64])
{
	const char *event, *status;
	int64_t seq;
	if (!audit_replay_contestant(r, reg_id, &event, &status, &seq))
		return "none";
	snprintf(buf, 64, "%s:%s@%lld", event, status ? status : "deleted", (long long)seq);
	return buf;
}

static void test_deletions(void **state)
{
	(void)state;
	char b[64];
	struct audit_replay *r = audit_replay_new();
	feed(r, 1, "event.add", "CNC", "数控铣");
	feed(r, 2, "event.add", "WELD", "焊接");
	feed(r, 3, "contestant.add", "CNC/C01", "张三");
	feed(r, 4, "contestant.add", "CNC/C02", "李四");
	feed(r, 5, "contestant.add", "WELD/W01", "王五");
	feed(r, 6, "contestant.delete", "CNC/C02", NULL);
	assert_string_equal(contestant_is(r, "C02", b), "CNC:deleted@6");
	assert_string_equal(contestant_is(r, "C01", b), "CNC:registered@3");
	/* a delete naming another event than the contestant's deletes nothing */
	feed(r, 7, "contestant.delete", "WELD/C01", NULL);
	assert_string_equal(contestant_is(r, "C01", b), "CNC:registered@3");
	/* the event goes with its contestants, not another event's */
	feed(r, 8, "event.delete", "CNC", NULL);
	assert_string_equal(event_is(r, "CNC", b), "deleted@8");
	assert_string_equal(contestant_is(r, "C01", b), "CNC:deleted@8");
	assert_string_equal(contestant_is(r, "C02", b), "CNC:deleted@6");
	assert_string_equal(contestant_is(r, "W01", b), "WELD:registered@5");
	assert_string_equal(event_is(r, "WELD", b), "setup@2");
	/* registered again: setup, registered; the draw of WELD leaves deleted ones alone */
	feed(r, 9, "event.add", "CNC", "数控铣");
	feed(r, 10, "contestant.add", "WELD/C02", "李四");
	feed(r, 11, "draw", "WELD", "2 contestants");
	assert_string_equal(event_is(r, "CNC", b), "setup@9");
	assert_string_equal(event_is(r, "WELD", b), "drawn@11");
	assert_string_equal(contestant_is(r, "C02", b), "WELD:competed@11");
	assert_string_equal(contestant_is(r, "W01", b), "WELD:competed@11");
	assert_string_equal(contestant_is(r, "C01", b), "CNC:deleted@8");
	/* corrections that change no state or status change nothing here */
	feed(r, 12, "contestant.identity", "WELD/W01", "organization 第一中学");
	feed(r, 13, "event.set", "CNC", "name 数控");
	feed(r, 14, "judge.unassign", "CNC/J01", NULL);
	assert_string_equal(contestant_is(r, "W01", b), "WELD:competed@11");
	assert_string_equal(event_is(r, "CNC", b), "setup@9");
	assert_string_equal(contestant_is(r, "X99", b), "none");
	audit_replay_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deletions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
