/* The one table of the event workflow: per action the states that allow it,
 * the roles that may take it and the words of its refusals; the
 * transitions between states; the preconditions of the transitions. */
#include "workflow.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#define ST(s) (1u << (s))
#define ALL_STATES (ST(EVENT_SETUP) | ST(EVENT_DRAWN) | ST(EVENT_LOCKED) | ST(EVENT_PUBLISHED) | ST(EVENT_FINAL))
#define BY(r) (1u << (r))
#define ORGANIZER BY(WF_ROLE_ORGANIZER)
#define CHIEF BY(WF_ROLE_CHIEF)
#define JUDGE BY(WF_ROLE_JUDGE)

enum precondition {
	PRE_NONE,
	PRE_DRAW,        /* contestants, criteria and a scoring judge */
	PRE_LOCK,        /* complete and no open discrepancy */
	PRE_REASON,      /* a reason is given */
	PRE_FINALIZE,    /* notice period over, no open appeal */
};

struct rule {
	const char *name;     /* in the audit trail */
	unsigned states;      /* ST() of the states that allow the action */
	unsigned roles;       /* BY() of the roles that may take it */
	const char *verb;     /* "lock it": for "only X may lock it" and hints */
	const char *command;  /* the judge-cli command taking it, then its options; the
			       * event goes after the second word; or NULL */
	const char *early;    /* refusal in a state before the allowed ones */
	const char *late;     /* refusal in a state after them */
	bool hint;            /* a refusal says which transition would allow it */
	enum precondition pre;
};

static const struct rule rules[WF_ACTIONS] = {
	[WF_EDIT_SHEET] = {"sheet", ST(EVENT_SETUP), ORGANIZER, "change its score sheet", NULL, NULL,
			   "its score sheet is fixed by the draw", false, PRE_NONE},
	[WF_REGISTER] = {"register", ST(EVENT_SETUP), ORGANIZER, "register contestants", NULL, NULL,
			 "contestants are registered before the draw", false, PRE_NONE},
	[WF_ASSIGN_JUDGE] = {"assign", ST(EVENT_SETUP) | ST(EVENT_DRAWN), ORGANIZER, "assign judges", NULL, NULL,
			     "judges can no longer be assigned", true, PRE_NONE},
	[WF_WITHDRAW_JUDGE] = {"withdraw", ST(EVENT_DRAWN), ORGANIZER, "withdraw a judge", NULL,
			       "a judge is withdrawn only after the draw; before it, change the judge's assignment",
			       "judges can no longer be withdrawn", true, PRE_NONE},
	[WF_DRAW] = {"draw", ST(EVENT_SETUP), ORGANIZER, "draw it", "judge-cli draw", NULL,
		     "the draw is made once", false, PRE_DRAW},
	[WF_CHECKIN] = {"checkin", ST(EVENT_DRAWN), ORGANIZER, "record check-in results", NULL,
			"check-in results are recorded after the draw", "contestant statuses can no longer change",
			true, PRE_NONE},
	[WF_SET_STATUS] = {"status", ST(EVENT_SETUP) | ST(EVENT_DRAWN), ORGANIZER, "change a contestant's status",
			   NULL, NULL, "contestant statuses can no longer change", true, PRE_NONE},
	[WF_CORRECT_IDENTITY] = {"identity", ST(EVENT_SETUP) | ST(EVENT_DRAWN) | ST(EVENT_LOCKED), ORGANIZER,
				 "correct a contestant's identity", NULL, NULL,
				 "published results keep the identities they were published with", true, PRE_NONE},
	[WF_SCORE] = {"score", ST(EVENT_DRAWN), ORGANIZER | JUDGE, "score", NULL, "scoring opens with the draw",
		      "scores can no longer change", true, PRE_NONE},
	[WF_ACCEPT] = {"accept", ST(EVENT_DRAWN), ORGANIZER | CHIEF, "accept a discrepancy", NULL,
		       "there is nothing to accept before the draw", "scores can no longer change", true, PRE_NONE},
	[WF_LOCK] = {"lock", ST(EVENT_DRAWN), ORGANIZER | CHIEF, "lock it", "judge-cli lock",
		     "only a drawn event can be locked", "it is locked already", false, PRE_LOCK},
	[WF_UNLOCK] = {"unlock", ST(EVENT_LOCKED) | ST(EVENT_PUBLISHED), ORGANIZER, "unlock it",
		       "judge-cli unlock --reason R", "only a locked event can be unlocked",
		       "final results are not reopened", false, PRE_REASON},
	[WF_PUBLISH] = {"publish", ST(EVENT_LOCKED), ORGANIZER, "publish it", "judge-cli publish",
			"only locked results are published",
			"it is published already (a correction is unlocked, locked and published again)", false,
			PRE_NONE},
	[WF_APPEAL] = {"appeal", ST(EVENT_PUBLISHED), ORGANIZER, "record an appeal", NULL,
		       "appeals are recorded against published results", "the results are final", true, PRE_NONE},
	[WF_FINALIZE] = {"finalize", ST(EVENT_PUBLISHED), ORGANIZER, "finalize it", "judge-cli finalize",
			 "only published results are finalized", "it is final already", false, PRE_FINALIZE},
	[WF_ISSUE] = {"certificates", ST(EVENT_FINAL), ORGANIZER, "issue certificates", NULL,
		      "certificates are issued once the results are final", NULL, true, PRE_NONE},
	[WF_VIEW_PROGRESS] = {"view.progress", ALL_STATES, ORGANIZER | CHIEF, "see its progress", NULL, NULL, NULL,
			      false, PRE_NONE},
	[WF_VIEW_SCORES] = {"view.scores", ALL_STATES, ORGANIZER | CHIEF, "see all its scores", NULL, NULL, NULL, false,
			    PRE_NONE},
	[WF_VIEW_STATS] = {"view.stats", ALL_STATES, ORGANIZER | CHIEF, "see its judge statistics", NULL, NULL, NULL,
			   false, PRE_NONE},
	[WF_VIEW_SHEET] = {"view.sheet", ALL_STATES, JUDGE, "have a score sheet", NULL, NULL, NULL, false, PRE_NONE},
	[WF_DELETE_EVENT] = {"event.delete", ST(EVENT_SETUP), ORGANIZER, "delete it", NULL, NULL,
			     "an event is deleted only before its draw", false, PRE_NONE},
	[WF_UNREGISTER] = {"contestant.delete", ST(EVENT_SETUP), ORGANIZER, "delete a contestant", NULL, NULL,
			   "a contestant is deleted only before the draw; after it, change the status "
			   "(judge-cli contestant set REG_ID --status withdrawn --reason R)", false, PRE_NONE},
	[WF_UNASSIGN_JUDGE] = {"judge.unassign", ST(EVENT_SETUP), ORGANIZER, "remove a judge's assignment", NULL,
			       NULL, "a judge's assignment is removed only before the draw; after it, withdraw the "
			       "judge (judge-cli judge withdraw CODE EVENT --reason R)", false, PRE_NONE},
	[WF_CHANGE_RECUSAL] = {"recusal", ST(EVENT_SETUP) | ST(EVENT_DRAWN), ORGANIZER,
			       "change which judges are recused from whom", NULL, NULL,
			       "an organization change that alters whose values count needs the scores open", true,
			       PRE_NONE},
};

/* The transitions. Unlocking a published event starts a correction: it is
 * re-scored, locked and published again as version n+1, while version n
 * stays public. */
struct transition {
	enum event_state from;
	enum wf_action action;
	enum event_state to;
};

static const struct transition transitions[] = {
	{EVENT_SETUP, WF_DRAW, EVENT_DRAWN},
	{EVENT_DRAWN, WF_LOCK, EVENT_LOCKED},
	{EVENT_LOCKED, WF_UNLOCK, EVENT_DRAWN},
	{EVENT_LOCKED, WF_PUBLISH, EVENT_PUBLISHED},
	{EVENT_PUBLISHED, WF_UNLOCK, EVENT_DRAWN},
	{EVENT_PUBLISHED, WF_FINALIZE, EVENT_FINAL},
};

#define N_TRANSITIONS (sizeof transitions / sizeof transitions[0])

static const char *const state_names[EVENT_STATES] = {
	[EVENT_SETUP] = "setup",
	[EVENT_DRAWN] = "drawn",
	[EVENT_LOCKED] = "locked",
	[EVENT_PUBLISHED] = "published",
	[EVENT_FINAL] = "final",
};

const char *event_state_name(enum event_state s)
{
	return (unsigned)s < EVENT_STATES ? state_names[s] : "unknown";
}

enum ct_status event_state_parse(const char *s, enum event_state *out, struct ct_err *err)
{
	for (int i = 0; s && i < EVENT_STATES; i++) {
		if (strcmp(s, state_names[i]) == 0) {
			*out = (enum event_state)i;
			return CT_OK;
		}
	}
	return ct_fail(err, CT_INVALID, "unknown event state \"%.32s\" (expected setup, drawn, locked, published "
		       "or final)", s ? s : "");
}

/* "is in setup", "is locked". */
static const char *state_phrase(enum event_state s)
{
	return s == EVENT_SETUP ? "in setup" : event_state_name(s);
}

static const struct transition *transition_of(enum event_state from, enum wf_action action)
{
	for (size_t i = 0; i < N_TRANSITIONS; i++)
		if (transitions[i].from == from && transitions[i].action == action)
			return &transitions[i];
	return NULL;
}

/* The transition out of state going forward (forward) or back. */
static const struct transition *way_from(enum event_state state, bool forward)
{
	for (size_t i = 0; i < N_TRANSITIONS; i++)
		if (transitions[i].from == state && (transitions[i].to > state) == forward)
			return &transitions[i];
	return NULL;
}

/* "an organizer", "the event's chief judge or an organizer". */
static const char *roles_phrase(unsigned roles)
{
	if (roles == ORGANIZER)
		return "an organizer";
	if (roles == (ORGANIZER | CHIEF))
		return "a chief judge of the event or an organizer";
	if (roles == (ORGANIZER | JUDGE))
		return "a judge of the event or an organizer";
	if (roles == JUDGE)
		return "a judge of the event";
	return "nobody";
}

/* Appends " (an organizer can unlock it: judge-cli unlock WELD --reason R)"
 * for transition t. */
static void append_hint(char *buf, size_t len, const struct transition *t, const char *event)
{
	size_t used = strlen(buf);
	if (!t || used >= len)
		return;
	const struct rule *r = &rules[t->action];
	char command[160] = "";
	if (r->command) {
		/* "judge-cli unlock --reason R" -> "judge-cli unlock WELD --reason R" */
		const char *space = strchr(r->command, ' ');
		const char *rest = space ? strchr(space + 1, ' ') : NULL;
		int head = rest ? (int)(rest - r->command) : (int)strlen(r->command);
		snprintf(command, sizeof command, ": %.*s %s%s", head, r->command, event, rest ? rest : "");
	}
	snprintf(buf + used, len - used, " (%s can %s%s)", roles_phrase(r->roles), r->verb, command);
}

static enum ct_status refuse(enum event_state state, enum wf_action action, const char *event,
			     struct ct_err *err)
{
	const struct rule *r = &rules[action];
	bool early = false;
	for (int s = (int)state + 1; s < EVENT_STATES; s++)
		early |= (r->states & ST(s)) != 0;
	const char *phrase = early ? r->early : r->late;
	char msg[sizeof err->msg];
	snprintf(msg, sizeof msg, "event %s is %s; %s", event, state_phrase(state),
		 phrase ? phrase : "that is not possible now");
	if (r->hint)
		append_hint(msg, sizeof msg, way_from(state, early), event);
	return ct_fail(err, CT_CONFLICT, "%s", msg);
}

static enum ct_status check_pre(enum wf_action action, const char *event, const struct wf_facts *f,
				struct ct_err *err)
{
	switch (rules[action].pre) {
	case PRE_NONE:
		return CT_OK;
	case PRE_DRAW:
		if (f->contestants == 0)
			return ct_fail(err, CT_CONFLICT, "event %s cannot be drawn: it has no contestants", event);
		if (f->criteria == 0)
			return ct_fail(err, CT_CONFLICT, "event %s cannot be drawn: it has no criteria", event);
		if (f->scoring_judges == 0)
			return ct_fail(err, CT_CONFLICT, "event %s cannot be drawn: it has no judge with role judge",
				       event);
		return CT_OK;
	case PRE_LOCK:
		if (f->missing == 0 && f->open_discrepancies == 0)
			return CT_OK;
		return ct_fail(err, CT_CONFLICT,
			       "event %s cannot be locked: %zu missing value%s for %u contestant%s, %zu open "
			       "discrepanc%s", event, f->missing, f->missing == 1 ? "" : "s", f->incomplete,
			       f->incomplete == 1 ? "" : "s", f->open_discrepancies,
			       f->open_discrepancies == 1 ? "y" : "ies");
	case PRE_REASON:
		if (f->reason && *f->reason)
			return CT_OK;
		return ct_fail(err, CT_INVALID, "give a reason to %s event %s (it goes into the audit trail)",
			       rules[action].name, event);
	case PRE_FINALIZE:
		if (f->notice_until)
			return ct_fail(err, CT_CONFLICT, "event %s cannot be finalized: its notice period runs until %s",
				       event, f->notice_until);
		if (f->open_appeals > 0)
			return ct_fail(err, CT_CONFLICT, "event %s cannot be finalized: %u appeal%s still open", event,
				       f->open_appeals, f->open_appeals == 1 ? " is" : "s are");
		return CT_OK;
	}
	return CT_OK;
}

enum ct_status workflow_step(enum event_state state, enum wf_action action, const char *event,
			     const struct wf_facts *facts, enum event_state *next, struct ct_err *err)
{
	assert((unsigned)state < EVENT_STATES && (unsigned)action < WF_ACTIONS);
	const struct rule *r = &rules[action];
	assert(facts || r->pre == PRE_NONE);
	if (!(r->states & ST(state)))
		return refuse(state, action, event, err);
	const struct transition *t = transition_of(state, action);
	enum ct_status rc = facts ? check_pre(action, event, facts, err) : CT_OK;
	if (rc == CT_OK && next)
		*next = t ? t->to : state;
	return rc;
}

enum ct_status workflow_may(enum wf_action action, enum wf_role role, const char *event, struct ct_err *err)
{
	assert((unsigned)action < WF_ACTIONS);
	const struct rule *r = &rules[action];
	if (r->roles & BY(role))
		return CT_OK;
	return ct_fail(err, CT_FORBIDDEN, "only %s may %s (event %s)", roles_phrase(r->roles), r->verb, event);
}

const char *workflow_action_name(enum wf_action action)
{
	return (unsigned)action < WF_ACTIONS ? rules[action].name : "unknown";
}

bool workflow_is_transition(enum wf_action action)
{
	for (size_t i = 0; i < N_TRANSITIONS; i++)
		if (transitions[i].action == action)
			return true;
	return false;
}

bool workflow_target(const char *action, enum event_state *to)
{
	for (size_t i = 0; action && i < N_TRANSITIONS; i++) {
		if (strcmp(rules[transitions[i].action].name, action) == 0) {
			*to = transitions[i].to;
			return true;
		}
	}
	return false;
}

bool workflow_identities_visible(enum event_state state)
{
	return state >= EVENT_LOCKED;
}
