/* Hashing of audit records into a tamper-evident chain, signed checkpoints
 * of its head, and the replay of the trail into event and contestant
 * states. */
#include "audit.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workflow.h"
#include "xmalloc.h"

static void absorb(crypto_generichash_state *h, const char *s)
{
	unsigned char len[9];
	uint64_t n = s ? (uint64_t)strlen(s) : 0;
	len[0] = s ? 1 : 0; /* NULL and "" hash differently */
	for (int i = 0; i < 8; i++)
		len[1 + i] = (unsigned char)(n >> (8 * i));
	crypto_generichash_update(h, len, sizeof len);
	if (s)
		crypto_generichash_update(h, (const unsigned char *)s, n);
}

void audit_hash(const unsigned char prev[AUDIT_HASH_BYTES], const struct audit_record *r,
		unsigned char out[AUDIT_HASH_BYTES])
{
	crypto_generichash_state h;
	crypto_generichash_init(&h, NULL, 0, AUDIT_HASH_BYTES);
	crypto_generichash_update(&h, prev, AUDIT_HASH_BYTES);
	absorb(&h, r->at);
	absorb(&h, r->actor);
	absorb(&h, r->action);
	absorb(&h, r->object);
	absorb(&h, r->old_value);
	absorb(&h, r->new_value);
	if (r->role || r->reason) {
		absorb(&h, r->role);
		absorb(&h, r->reason);
	}
	crypto_generichash_final(&h, out, AUDIT_HASH_BYTES);
}

/* The text a checkpoint signature covers: one field a line, versioned. */
static size_t checkpoint_text(const struct audit_checkpoint *c, char *buf, size_t len)
{
	char head[2 * AUDIT_HASH_BYTES + 1];
	sodium_bin2hex(head, sizeof head, c->head, AUDIT_HASH_BYTES);
	int n = snprintf(buf, len, "contest-audit-checkpoint 1\n%s\n%lld\n%s\n%s\n", c->contest, (long long)c->seq,
			 head, c->at);
	return n < 0 ? 0 : (size_t)n < len ? (size_t)n : len - 1;
}

void audit_checkpoint_sign(struct audit_checkpoint *c, const unsigned char sk[64])
{
	char text[256];
	size_t n = checkpoint_text(c, text, sizeof text);
	crypto_sign_detached(c->sig, NULL, (const unsigned char *)text, n, sk);
}

bool audit_checkpoint_verify(const struct audit_checkpoint *c, const unsigned char pk[32])
{
	char text[256];
	size_t n = checkpoint_text(c, text, sizeof text);
	return crypto_sign_verify_detached(c->sig, (const unsigned char *)text, n, pk) == 0;
}

/* ---- replay ---- */

struct entry {
	char *key;               /* event code, reg_id, "EVENT/VERSION", appeal number or certificate id */
	char *event;             /* a contestant's (certificate's) event code, a publication's digest; NULL for an event */
	const char *state;       /* a state, status or outcome name (static text); NULL once deleted */
	int64_t seq;
};

/* Two open-addressing tables keyed by text: events and contestants. */
struct table {
	struct entry *slots;
	size_t cap, n;
};

struct audit_replay {
	struct table events, contestants, publications, appeals, certificates;
};

static uint64_t hash_text(const char *s)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static struct entry *find(const struct table *t, const char *key)
{
	if (t->cap == 0)
		return NULL;
	for (size_t i = hash_text(key) & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
		if (!t->slots[i].key)
			return NULL;
		if (strcmp(t->slots[i].key, key) == 0)
			return &t->slots[i];
	}
}

static struct entry *insert(struct table *t, const char *key)
{
	struct entry *e = find(t, key);
	if (e)
		return e;
	if (2 * (t->n + 1) > t->cap) {
		struct table bigger = {xcalloc(t->cap ? 2 * t->cap : 64, sizeof *bigger.slots),
				       t->cap ? 2 * t->cap : 64, 0};
		for (size_t i = 0; i < t->cap; i++) {
			if (!t->slots[i].key)
				continue;
			size_t j = hash_text(t->slots[i].key) & (bigger.cap - 1);
			while (bigger.slots[j].key)
				j = (j + 1) & (bigger.cap - 1);
			bigger.slots[j] = t->slots[i];
			bigger.n++;
		}
		free(t->slots);
		*t = bigger;
	}
	size_t i = hash_text(key) & (t->cap - 1);
	while (t->slots[i].key)
		i = (i + 1) & (t->cap - 1);
	t->slots[i].key = xstrdup(key);
	t->n++;
	return &t->slots[i];
}

static void table_free(struct table *t)
{
	for (size_t i = 0; i < t->cap; i++) {
		free(t->slots[i].key);
		free(t->slots[i].event);
	}
	free(t->slots);
}

struct audit_replay *audit_replay_new(void)
{
	return xcalloc(1, sizeof(struct audit_replay));
}

void audit_replay_free(struct audit_replay *r)
{
	if (!r)
		return;
	table_free(&r->events);
	table_free(&r->contestants);
	table_free(&r->publications);
	table_free(&r->appeals);
	table_free(&r->certificates);
	free(r);
}

static const char *const statuses[] = {"registered", "competed", "absent", "withdrawn", "disqualified"};

/* The word of words[0..n_words) that text starts with (up to a space or a
 * comma, as in "competed, time 3600 s"), as static text; NULL when none. */
static const char *word_of(const char *text, const char *const *words, size_t n_words)
{
	size_t n = text ? strcspn(text, " ,") : 0;
	for (size_t i = 0; i < n_words; i++)
		if (strlen(words[i]) == n && strncmp(text, words[i], n) == 0)
			return words[i];
	return NULL;
}

static const char *const outcomes[] = {"open", "upheld", "rejected"};
static const char *const cert_states[] = {"issued", "revoked"};

void audit_results_digest(const char *doc, size_t len, char out[2 * AUDIT_RESULTS_DIGEST_BYTES + 1])
{
	unsigned char sum[AUDIT_RESULTS_DIGEST_BYTES];
	crypto_generichash(sum, sizeof sum, (const unsigned char *)doc, len, NULL, 0);
	sodium_bin2hex(out, 2 * AUDIT_RESULTS_DIGEST_BYTES + 1, sum, sizeof sum);
}

void audit_publish_value(unsigned version, const char *digest, char out[64])
{
	snprintf(out, 64, "version %u, results %.32s", version, digest);
}

/* A publish record: version N of object with its results digest. */
static void feed_publication(struct audit_replay *r, int64_t seq, const char *event, const char *value)
{
	unsigned version = 0;
	char digest[2 * AUDIT_RESULTS_DIGEST_BYTES + 1];
	if (!value || sscanf(value, "version %u, results %32[0-9a-f]", &version, digest) != 2)
		return;
	char key[96];
	snprintf(key, sizeof key, "%.63s/%u", event, version);
	struct entry *e = insert(&r->publications, key);
	free(e->event);
	e->event = xstrdup(digest);
	e->state = "published";
	e->seq = seq;
}

void audit_replay_feed(struct audit_replay *r, int64_t seq, const struct audit_record *rec)
{
	enum event_state to;
	const char *action = rec->action ? rec->action : "";
	const char *object = rec->object ? rec->object : "";
	if (strcmp(action, "event.add") == 0) {
		struct entry *e = insert(&r->events, object);
		e->state = event_state_name(EVENT_SETUP);
		e->seq = seq;
	} else if (workflow_target(action, &to)) {
		struct entry *e = insert(&r->events, object);
		e->state = event_state_name(to);
		e->seq = seq;
		if (strcmp(action, workflow_action_name(WF_PUBLISH)) == 0)
			feed_publication(r, seq, object, rec->new_value);
		if (to != EVENT_DRAWN || strcmp(action, workflow_action_name(WF_DRAW)) != 0)
			return;
		/* The draw makes every registered contestant of the event competed. */
		for (size_t i = 0; i < r->contestants.cap; i++) {
			struct entry *c = &r->contestants.slots[i];
			if (c->key && c->state && strcmp(c->event, object) == 0 && strcmp(c->state, statuses[0]) == 0) {
				c->state = statuses[1];
				c->seq = seq;
			}
		}
	} else if (strcmp(action, workflow_action_name(WF_DELETE_EVENT)) == 0) {
		/* The event goes with its contestants (before its draw). */
		struct entry *e = insert(&r->events, object);
		e->state = NULL;
		e->seq = seq;
		for (size_t i = 0; i < r->contestants.cap; i++) {
			struct entry *c = &r->contestants.slots[i];
			if (c->key && c->state && strcmp(c->event, object) == 0) {
				c->state = NULL;
				c->seq = seq;
			}
		}
	} else if (strcmp(action, workflow_action_name(WF_UNREGISTER)) == 0) {
		const char *slash = strchr(object, '/');
		struct entry *c = slash ? find(&r->contestants, slash + 1) : NULL;
		size_t len = slash ? (size_t)(slash - object) : 0;
		if (c && strlen(c->event) == len && strncmp(c->event, object, len) == 0) {
			c->state = NULL;
			c->seq = seq;
		}
	} else if (strcmp(action, "contestant.add") == 0 || strcmp(action, "contestant.status") == 0) {
		const char *slash = strchr(object, '/');
		if (!slash)
			return;
		bool added = strcmp(action, "contestant.add") == 0;
		const char *status = added ? statuses[0] : word_of(rec->new_value, statuses, sizeof statuses / sizeof statuses[0]);
		if (!status)
			return;
		struct entry *c = insert(&r->contestants, slash + 1);
		free(c->event);
		c->event = xstrndup(object, (size_t)(slash - object));
		c->state = status;
		c->seq = seq;
	} else if (strcmp(action, "appeal.add") == 0 || strcmp(action, "appeal.resolve") == 0) {
		const char *number = strstr(object, "/appeal/");
		bool added = strcmp(action, "appeal.add") == 0;
		const char *outcome = added ? outcomes[0] : word_of(rec->new_value, outcomes + 1, 2);
		if (!number || !outcome)
			return;
		struct entry *a = insert(&r->appeals, number + strlen("/appeal/"));
		a->state = outcome;
		a->seq = seq;
	} else if (strcmp(action, "certificate.issue") == 0 || strcmp(action, "certificate.revoke") == 0) {
		const char *slash = strchr(object, '/');
		if (!slash)
			return;
		struct entry *c = insert(&r->certificates, slash + 1);
		free(c->event);
		c->event = xstrndup(object, (size_t)(slash - object));
		c->state = cert_states[strcmp(action, "certificate.revoke") == 0];
		c->seq = seq;
	}
}

bool audit_replay_event(const struct audit_replay *r, const char *event, const char **state, int64_t *seq)
{
	const struct entry *e = find(&r->events, event);
	if (!e)
		return false;
	*state = e->state;
	*seq = e->seq;
	return true;
}

bool audit_replay_contestant(const struct audit_replay *r, const char *reg_id, const char **event,
			     const char **status, int64_t *seq)
{
	const struct entry *e = find(&r->contestants, reg_id);
	if (!e)
		return false;
	*event = e->event;
	*status = e->state;
	*seq = e->seq;
	return true;
}

bool audit_replay_publication(const struct audit_replay *r, const char *event, unsigned version, const char **digest,
			      int64_t *seq)
{
	char key[96];
	snprintf(key, sizeof key, "%.63s/%u", event, version);
	const struct entry *e = find(&r->publications, key);
	if (!e)
		return false;
	*digest = e->event;
	*seq = e->seq;
	return true;
}

bool audit_replay_appeal(const struct audit_replay *r, int64_t number, const char **outcome, int64_t *seq)
{
	char key[32];
	snprintf(key, sizeof key, "%lld", (long long)number);
	const struct entry *e = find(&r->appeals, key);
	if (!e)
		return false;
	*outcome = e->state;
	*seq = e->seq;
	return true;
}

bool audit_replay_certificate(const struct audit_replay *r, const char *id, const char **event, const char **state,
			      int64_t *seq)
{
	const struct entry *e = find(&r->certificates, id);
	if (!e)
		return false;
	*event = e->event;
	*state = e->state;
	*seq = e->seq;
	return true;
}

void audit_replay_counts(const struct audit_replay *r, size_t *publications, size_t *appeals, size_t *certificates)
{
	*publications = r->publications.n;
	*appeals = r->appeals.n;
	*certificates = r->certificates.n;
}
