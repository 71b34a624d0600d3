/* The event workflow of SPEC section 5 in one place: the event states, the
 * actions people take on an event, which states allow each action, who may
 * take it, the transitions between states and their preconditions. Every
 * refusal names the state and what would allow the action. Pure functions
 * over one table; the store and the handlers ask here instead of comparing
 * state names. */
#ifndef CONTEST_WORKFLOW_H
#define CONTEST_WORKFLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

/* setup -> drawn -> locked -> published -> final; unlock goes back to drawn. */
enum event_state {
	EVENT_SETUP,
	EVENT_DRAWN,
	EVENT_LOCKED,
	EVENT_PUBLISHED,
	EVENT_FINAL,
};

#define EVENT_STATES 5

/* The name used in the database and the API ("setup", "drawn", ...). */
const char *event_state_name(enum event_state s);

/* Parses a state name; CT_INVALID with a message for anything else. */
enum ct_status event_state_parse(const char *s, enum event_state *out, struct ct_err *err);

enum wf_action {
	WF_EDIT_SHEET,        /* register or change the score sheet and event settings */
	WF_REGISTER,          /* register contestants */
	WF_ASSIGN_JUDGE,      /* assign a judge (also to a drawn event) */
	WF_WITHDRAW_JUDGE,    /* withdraw a judge after the draw */
	WF_DRAW,              /* setup -> drawn: workstations, anonymous codes */
	WF_CHECKIN,           /* check-in results */
	WF_SET_STATUS,        /* a contestant's status, elapsed time, status reason */
	WF_CORRECT_IDENTITY,  /* a contestant's name, organization, members, id number */
	WF_SCORE,             /* a value entered or revised */
	WF_ACCEPT,            /* a discrepancy accepted by the chief judge */
	WF_LOCK,              /* drawn -> locked */
	WF_UNLOCK,            /* locked (or published) -> drawn, with a reason */
	WF_PUBLISH,           /* locked -> published */
	WF_APPEAL,            /* an appeal against the published results */
	WF_FINALIZE,          /* published -> final */
	WF_ISSUE,             /* certificates of final results */
	WF_VIEW_PROGRESS,     /* the progress matrix */
	WF_VIEW_SCORES,       /* every value of the event */
	WF_VIEW_STATS,        /* judge statistics */
	WF_VIEW_SHEET,        /* a judge's own sheet */
	WF_DELETE_EVENT,      /* delete an event with its sheet, contestants and assignments */
	WF_UNREGISTER,        /* delete a contestant */
	WF_UNASSIGN_JUDGE,    /* remove a judge's assignment (deleting a judge removes them all) */
	WF_CHANGE_RECUSAL,    /* an organization change that alters which judges are recused
			       * from which contestants, so whose values count */
};

#define WF_ACTIONS 24

/* Who acts, as far as the workflow cares: the role in the event of the
 * person asking. */
enum wf_role {
	WF_ROLE_NONE,         /* not assigned to the event (or withdrawn from it) */
	WF_ROLE_JUDGE,        /* a scoring judge of the event */
	WF_ROLE_CHIEF,        /* a chief judge of the event */
	WF_ROLE_ORGANIZER,    /* any active organizer account */
};

/* The facts the preconditions of a transition look at. The caller of an
 * action with preconditions fills the fields its action needs (see the
 * comments); others are ignored. */
struct wf_facts {
	uint32_t contestants;      /* draw: contestants registered */
	uint32_t criteria;         /* draw: criteria in the score sheet */
	uint32_t scoring_judges;   /* draw: judges with role judge */
	size_t missing;            /* lock: values still missing */
	uint32_t incomplete;       /* lock: competed contestants not complete */
	size_t open_discrepancies; /* lock: discrepancies not accepted */
	const char *reason;        /* unlock: the reason given (NULL or "" = none) */
	const char *notice_until;  /* finalize: end of a notice period still running, or NULL */
	uint32_t open_appeals;     /* finalize: appeals not resolved */
};

/* Whether action may happen to event (its code, for messages) in state,
 * and where it leads. CT_OK with *next the state after the action (the same
 * state for an action that is not a transition). CT_CONFLICT when the state
 * does not allow it, with a message naming the state and what would allow
 * it ("event WELD is locked; scores can no longer change (an organizer can
 * unlock it: judge-cli unlock WELD --reason R)"), or when a precondition in
 * facts is not met. CT_INVALID when a required reason is missing. facts may
 * be NULL only for actions without preconditions. */
enum ct_status workflow_step(enum event_state state, enum wf_action action, const char *event,
			     const struct wf_facts *facts, enum event_state *next, struct ct_err *err);

/* Whether someone with role in event may take action: CT_OK, or
 * CT_FORBIDDEN with a message saying who may ("only an organizer or a chief
 * judge of event WELD may lock it"). */
enum ct_status workflow_may(enum wf_action action, enum wf_role role, const char *event, struct ct_err *err);

/* The action's name in the audit trail ("draw", "lock", "unlock", ...). */
const char *workflow_action_name(enum wf_action action);

/* True when action changes the event's state (a row of the transition
 * table leaves from some state for another). */
bool workflow_is_transition(enum wf_action action);

/* Where the transition named action (an audit action name: "draw",
 * "unlock", ...) leads; false when no transition has that name. Every
 * transition of one action leads to the same state. */
bool workflow_target(const char *action, enum event_state *to);

/* Whether contestants' identities (registration id, name, organization) may
 * be shown to judges and chief judges of an event in state: from the lock. */
bool workflow_identities_visible(enum event_state state);

#endif
