/* Unit tests of the event workflow (core/workflow.h): every action in every
 * state against a matrix written out by hand from SPEC section 5, every
 * transition and where it leads, the preconditions, who may act, and the
 * words of the refusals a user reads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "workflow.h"

#define S EVENT_SETUP
#define D EVENT_DRAWN
#define L EVENT_LOCKED
#define P EVENT_PUBLISHED
#define F EVENT_FINAL
#define NO (-1)

/* expect[action][state]: the state the action leads to, or NO when the
 * state refuses it (409). Unlock of a published event is refused for now
 * (corrections after publication need published versions). */
static const int expect[WF_ACTIONS][EVENT_STATES] = {
	/*                      setup drawn locked published final */
	[WF_EDIT_SHEET] =       {S, NO, NO, NO, NO},
	[WF_REGISTER] =         {S, NO, NO, NO, NO},
	[WF_ASSIGN_JUDGE] =     {S, D, NO, NO, NO},
	[WF_WITHDRAW_JUDGE] =   {NO, D, NO, NO, NO},
	[WF_DRAW] =             {D, NO, NO, NO, NO},
	[WF_CHECKIN] =          {NO, D, NO, NO, NO},
	[WF_SET_STATUS] =       {S, D, NO, NO, NO},
	[WF_CORRECT_IDENTITY] = {S, D, L, NO, NO},
	[WF_SCORE] =            {NO, D, NO, NO, NO},
	[WF_ACCEPT] =           {NO, D, NO, NO, NO},
	[WF_LOCK] =             {NO, L, NO, NO, NO},
	[WF_UNLOCK] =           {NO, NO, D, D, NO},
	[WF_PUBLISH] =          {NO, NO, P, NO, NO},
	[WF_APPEAL] =           {NO, NO, NO, P, NO},
	[WF_FINALIZE] =         {NO, NO, NO, F, NO},
	[WF_ISSUE] =            {NO, NO, NO, NO, F},
	[WF_VIEW_PROGRESS] =    {S, D, L, P, F},
	[WF_VIEW_SCORES] =      {S, D, L, P, F},
	[WF_VIEW_STATS] =       {S, D, L, P, F},
	[WF_VIEW_SHEET] =       {S, D, L, P, F},
	[WF_DELETE_EVENT] =     {S, NO, NO, NO, NO},
	[WF_UNREGISTER] =       {S, NO, NO, NO, NO},
	[WF_UNASSIGN_JUDGE] =   {S, NO, NO, NO, NO},
	[WF_CHANGE_RECUSAL] =   {S, D, NO, NO, NO},
};

/* Facts under which every precondition holds. */
static const struct wf_facts ready = {
	.contestants = 3, .criteria = 2, .scoring_judges = 1, .reason = "复核",
};

static void test_every_action_in_every_state(void **state)
{
	(void)state;
	for (int a = 0; a < WF_ACTIONS; a++) {
		for (int s = 0; s < EVENT_STATES; s++) {
			struct ct_err err;
			ct_err_clear(&err);
			enum event_state next = (enum event_state)99;
			enum ct_status rc = workflow_step((enum event_state)s, (enum wf_action)a, "WELD", &ready, &next, &err);
			if (expect[a][s] == NO) {
				if (rc != CT_CONFLICT)
					fail_msg("%s in %s: %s, want conflict", workflow_action_name((enum wf_action)a),
						 event_state_name((enum event_state)s), ct_status_code(rc));
				/* the refusal names the event and its state */
				assert_non_null(strstr(err.msg, "event WELD is "));
				assert_non_null(strstr(err.msg, event_state_name((enum event_state)s)));
				assert_int_equal(next, 99);
			} else {
				if (rc != CT_OK)
					fail_msg("%s in %s refused: %s", workflow_action_name((enum wf_action)a),
						 event_state_name((enum event_state)s), err.msg);
				assert_int_equal(next, expect[a][s]);
			}
		}
	}
}

static void test_transitions(void **state)
{
	(void)state;
	/* Exactly these change the state. */
	const enum wf_action moves[] = {WF_DRAW, WF_LOCK, WF_UNLOCK, WF_PUBLISH, WF_FINALIZE};
	int n = 0;
	for (int a = 0; a < WF_ACTIONS; a++)
		n += workflow_is_transition((enum wf_action)a);
	assert_int_equal(n, 5);
	for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++)
		assert_true(workflow_is_transition(moves[i]));
	assert_string_equal(workflow_action_name(WF_DRAW), "draw");
	assert_string_equal(workflow_action_name(WF_LOCK), "lock");
	assert_string_equal(workflow_action_name(WF_UNLOCK), "unlock");
	assert_string_equal(workflow_action_name(WF_PUBLISH), "publish");
	assert_string_equal(workflow_action_name(WF_FINALIZE), "finalize");
	/* the corrections change no state; their audit names are the ones audit.c replays */
	assert_false(workflow_is_transition(WF_DELETE_EVENT));
	assert_false(workflow_is_transition(WF_UNREGISTER));
	assert_string_equal(workflow_action_name(WF_DELETE_EVENT), "event.delete");
	assert_string_equal(workflow_action_name(WF_UNREGISTER), "contestant.delete");
	/* A whole life with a correction after publication: setup -> drawn ->
	 * locked -> drawn -> locked -> published -> drawn -> locked ->
	 * published -> final. */
	enum event_state s = EVENT_SETUP;
	const enum wf_action life[] = {WF_DRAW, WF_LOCK, WF_UNLOCK, WF_LOCK, WF_PUBLISH, WF_UNLOCK, WF_LOCK, WF_PUBLISH,
				       WF_FINALIZE};
	const enum event_state after[] = {D, L, D, L, P, D, L, P, F};
	for (size_t i = 0; i < sizeof life / sizeof life[0]; i++) {
		struct ct_err err;
		ct_err_clear(&err);
		assert_int_equal(workflow_step(s, life[i], "CNC", &ready, &s, &err), CT_OK);
		assert_int_equal(s, after[i]);
	}
}

static void test_state_names(void **state)
{
	(void)state;
	static const char *const names[] = {"setup", "drawn", "locked", "published", "final"};
	for (int s = 0; s < EVENT_STATES; s++) {
		enum event_state got;
		assert_string_equal(event_state_name((enum event_state)s), names[s]);
		assert_int_equal(event_state_parse(names[s], &got, NULL), CT_OK);
		assert_int_equal(got, s);
	}
	struct ct_err err;
	ct_err_clear(&err);
	enum event_state got = EVENT_FINAL;
	assert_int_equal(event_state_parse("Locked", &got, &err), CT_INVALID);
	assert_non_null(strstr(err.msg, "\"Locked\""));
	assert_int_equal(event_state_parse(NULL, &got, NULL), CT_INVALID);
	assert_int_equal(got, EVENT_FINAL);
	assert_string_equal(event_state_name((enum event_state)7), "unknown");
}

/* The refusals a user reads, word for word. */
static void test_refusal_messages(void **state)
{
	(void)state;
	struct {
		enum event_state s;
		enum wf_action a;
		const char *msg;
	} cases[] = {
		{L, WF_SCORE, "event WELD is locked; scores can no longer change (an organizer can unlock it: "
			      "judge-cli unlock WELD --reason R)"},
		{S, WF_SCORE, "event WELD is in setup; scoring opens with the draw (an organizer can draw it: "
			      "judge-cli draw WELD)"},
		{P, WF_SCORE, "event WELD is published; scores can no longer change (an organizer can unlock it: "
			      "judge-cli unlock WELD --reason R)"},
		{F, WF_SCORE, "event WELD is final; scores can no longer change"},
		{L, WF_ACCEPT, "event WELD is locked; scores can no longer change (an organizer can unlock it: "
			       "judge-cli unlock WELD --reason R)"},
		{D, WF_EDIT_SHEET, "event WELD is drawn; its score sheet is fixed by the draw"},
		{D, WF_DRAW, "event WELD is drawn; the draw is made once"},
		{L, WF_LOCK, "event WELD is locked; it is locked already"},
		{S, WF_LOCK, "event WELD is in setup; only a drawn event can be locked"},
		{D, WF_UNLOCK, "event WELD is drawn; only a locked event can be unlocked"},
		{F, WF_UNLOCK, "event WELD is final; final results are not reopened"},
		{D, WF_PUBLISH, "event WELD is drawn; only locked results are published"},
		{S, WF_WITHDRAW_JUDGE, "event WELD is in setup; a judge is withdrawn only after the draw; before it, "
				       "change the judge's assignment (an organizer can draw it: judge-cli draw WELD)"},
		{L, WF_ASSIGN_JUDGE, "event WELD is locked; judges can no longer be assigned (an organizer can unlock "
				     "it: judge-cli unlock WELD --reason R)"},
		{D, WF_FINALIZE, "event WELD is drawn; only published results are finalized"},
		{D, WF_APPEAL, "event WELD is drawn; appeals are recorded against published results (a chief judge "
			       "of the event or an organizer can lock it: judge-cli lock WELD)"},
		/* corrections: what to do instead once the event is past setup */
		{D, WF_DELETE_EVENT, "event WELD is drawn; an event is deleted only before its draw"},
		{D, WF_UNREGISTER, "event WELD is drawn; a contestant is deleted only before the draw; after it, change "
				   "the status (judge-cli contestant set REG_ID --status withdrawn --reason R)"},
		{L, WF_UNASSIGN_JUDGE, "event WELD is locked; a judge's assignment is removed only before the draw; "
				       "after it, withdraw the judge (judge-cli judge withdraw CODE EVENT --reason R)"},
		{L, WF_CHANGE_RECUSAL, "event WELD is locked; an organization change that alters whose values count "
				       "needs the scores open (an organizer can unlock it: judge-cli unlock WELD --reason R)"},
		{F, WF_CHANGE_RECUSAL, "event WELD is final; an organization change that alters whose values count "
				       "needs the scores open"},
		/* a name is corrected up to the lock; once published, the results keep theirs */
		{P, WF_CORRECT_IDENTITY, "event WELD is published; published results keep the identities they were "
					 "published with (an organizer can unlock it: judge-cli unlock WELD --reason R)"},
		{F, WF_CORRECT_IDENTITY, "event WELD is final; published results keep the identities they were "
					 "published with"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct ct_err err;
		ct_err_clear(&err);
		assert_int_equal(workflow_step(cases[i].s, cases[i].a, "WELD", &ready, NULL, &err), CT_CONFLICT);
		assert_string_equal(err.msg, cases[i].msg);
	}
}

static void test_preconditions(void **state)
{
	(void)state;
	struct ct_err err;
	enum event_state next = S;
	struct wf_facts f = {0};
	ct_err_clear(&err);
	assert_int_equal(workflow_step(S, WF_DRAW, "CNC", &f, &next, &err), CT_CONFLICT);
	assert_string_equal(err.msg, "event CNC cannot be drawn: it has no contestants");
	f.contestants = 1;
	assert_int_equal(workflow_step(S, WF_DRAW, "CNC", &f, &next, &err), CT_CONFLICT);
	assert_string_equal(err.msg, "event CNC cannot be drawn: it has no criteria");
	f.criteria = 1;
	assert_int_equal(workflow_step(S, WF_DRAW, "CNC", &f, &next, &err), CT_CONFLICT);
	assert_string_equal(err.msg, "event CNC cannot be drawn: it has no judge with role judge");
	assert_int_equal(next, S);
	f.scoring_judges = 1;
	assert_int_equal(workflow_step(S, WF_DRAW, "CNC", &f, &next, &err), CT_OK);
	assert_int_equal(next, D);

	struct wf_facts lock = {.missing = 28, .incomplete = 2, .open_discrepancies = 1};
	assert_int_equal(workflow_step(D, WF_LOCK, "WELD", &lock, &next, &err), CT_CONFLICT);
	assert_string_equal(err.msg, "event WELD cannot be locked: 28 missing values for 2 contestants, 1 open "
				     "discrepancy");
	lock = (struct wf_facts){.missing = 1, .incomplete = 1, .open_discrepancies = 0};
	assert_int_equal(workflow_step(D, WF_LOCK, "WELD", &lock, &next, &err), CT_CONFLICT);
	assert_string_equal(err.msg, "event WELD cannot be locked: 1 missing value for 1 contestant, 0 open "
				     "discrepancies");
	lock = (struct wf_facts){.open_discrepancies = 2};
	assert_int_equal(workflow_step(D, WF_LOCK, "WELD", &lock, &next, &err), CT_CONFLICT);
	lock = (struct wf_facts){0};
	assert_int_equal(workflow_step(D, WF_LOCK, "WELD", &lock, &next, &err), CT_OK);
	assert_int_equal(next, L);

	/* Unlock needs a reason: bad input, not a conflict. */
	struct wf_facts unlock = {.reason = ""};
	assert_int_equal(workflow_step(L, WF_UNLOCK, "WELD", &unlock, &next, &err), CT_INVALID);
	assert_string_equal(err.msg, "give a reason to unlock event WELD (it goes into the audit trail)");
	unlock.reason = NULL;
	assert_int_equal(workflow_step(L, WF_UNLOCK, "WELD", &unlock, &next, &err), CT_INVALID);
	unlock.reason = "成绩录入错误";
	assert_int_equal(workflow_step(L, WF_UNLOCK, "WELD", &unlock, &next, &err), CT_OK);
	assert_int_equal(next, D);
	/* A correction after publication needs a reason too. */
	unlock.reason = NULL;
	assert_int_equal(workflow_step(P, WF_UNLOCK, "WELD", &unlock, &next, &err), CT_INVALID);
	unlock.reason = "申诉成立，B1 复测";
	next = F;
	assert_int_equal(workflow_step(P, WF_UNLOCK, "WELD", &unlock, &next, &err), CT_OK);
	assert_int_equal(next, D);
	/* The state is checked before the reason. */
	unlock.reason = NULL;
	assert_int_equal(workflow_step(D, WF_UNLOCK, "WELD", &unlock, &next, &err), CT_CONFLICT);

	struct wf_facts fin = {.notice_until = "2026-12-01T09:00:00Z"};
	assert_int_equal(workflow_step(P, WF_FINALIZE, "WELD", &fin, &next, &err), CT_CONFLICT);
	assert_string_equal(err.msg, "event WELD cannot be finalized: its notice period runs until 2026-12-01T09:00:00Z");
	fin = (struct wf_facts){.open_appeals = 1};
	assert_int_equal(workflow_step(P, WF_FINALIZE, "WELD", &fin, &next, &err), CT_CONFLICT);
	assert_string_equal(err.msg, "event WELD cannot be finalized: 1 appeal is still open");
	fin = (struct wf_facts){0};
	assert_int_equal(workflow_step(P, WF_FINALIZE, "WELD", &fin, &next, &err), CT_OK);
	assert_int_equal(next, F);

	/* Actions without preconditions take no facts. */
	assert_int_equal(workflow_step(D, WF_SCORE, "WELD", NULL, &next, &err), CT_OK);
	assert_int_equal(next, D);
}

/* may[action][role]: none, judge, chief, organizer. */
static const bool may[WF_ACTIONS][4] = {
	[WF_EDIT_SHEET] = {0, 0, 0, 1},       [WF_REGISTER] = {0, 0, 0, 1},
	[WF_ASSIGN_JUDGE] = {0, 0, 0, 1},     [WF_WITHDRAW_JUDGE] = {0, 0, 0, 1},
	[WF_DRAW] = {0, 0, 0, 1},             [WF_CHECKIN] = {0, 0, 0, 1},
	[WF_SET_STATUS] = {0, 0, 0, 1},       [WF_CORRECT_IDENTITY] = {0, 0, 0, 1},
	[WF_SCORE] = {0, 1, 0, 1},            [WF_ACCEPT] = {0, 0, 1, 1},
	[WF_LOCK] = {0, 0, 1, 1},             [WF_UNLOCK] = {0, 0, 0, 1},
	[WF_PUBLISH] = {0, 0, 0, 1},          [WF_APPEAL] = {0, 0, 0, 1},
	[WF_FINALIZE] = {0, 0, 0, 1},         [WF_ISSUE] = {0, 0, 0, 1},
	[WF_VIEW_PROGRESS] = {0, 0, 1, 1},    [WF_VIEW_SCORES] = {0, 0, 1, 1},
	[WF_VIEW_STATS] = {0, 0, 1, 1},       [WF_VIEW_SHEET] = {0, 1, 0, 0},
	[WF_DELETE_EVENT] = {0, 0, 0, 1},     [WF_UNREGISTER] = {0, 0, 0, 1},
	[WF_UNASSIGN_JUDGE] = {0, 0, 0, 1},   [WF_CHANGE_RECUSAL] = {0, 0, 0, 1},
};

static void test_permissions(void **state)
{
	(void)state;
	for (int a = 0; a < WF_ACTIONS; a++) {
		for (int r = 0; r < 4; r++) {
			struct ct_err err;
			ct_err_clear(&err);
			enum ct_status rc = workflow_may((enum wf_action)a, (enum wf_role)r, "WELD", &err);
			if (may[a][r] != (rc == CT_OK))
				fail_msg("%s by role %d: %s", workflow_action_name((enum wf_action)a), r, ct_status_code(rc));
			if (rc != CT_OK) {
				assert_int_equal(rc, CT_FORBIDDEN);
				assert_non_null(strstr(err.msg, "only "));
				assert_non_null(strstr(err.msg, "(event WELD)"));
			}
		}
	}
	struct ct_err err;
	ct_err_clear(&err);
	workflow_may(WF_LOCK, WF_ROLE_JUDGE, "WELD", &err);
	assert_string_equal(err.msg, "only a chief judge of the event or an organizer may lock it (event WELD)");
	workflow_may(WF_UNLOCK, WF_ROLE_CHIEF, "WELD", &err);
	assert_string_equal(err.msg, "only an organizer may unlock it (event WELD)");
	workflow_may(WF_VIEW_PROGRESS, WF_ROLE_JUDGE, "WELD", &err);
	assert_string_equal(err.msg, "only a chief judge of the event or an organizer may see its progress (event WELD)");
}

static void test_identities(void **state)
{
	(void)state;
	assert_false(workflow_identities_visible(EVENT_SETUP));
	assert_false(workflow_identities_visible(EVENT_DRAWN));
	assert_true(workflow_identities_visible(EVENT_LOCKED));
	assert_true(workflow_identities_visible(EVENT_PUBLISHED));
	assert_true(workflow_identities_visible(EVENT_FINAL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_action_in_every_state),
		cmocka_unit_test(test_transitions),
		cmocka_unit_test(test_state_names),
		cmocka_unit_test(test_refusal_messages),
		cmocka_unit_test(test_preconditions),
		cmocka_unit_test(test_permissions),
		cmocka_unit_test(test_identities),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
