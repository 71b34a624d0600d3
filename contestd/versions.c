/* Generations of committed changes, in a small open-addressing table keyed
 * by (event, judge), judge 0 standing for the event itself. */
#include "versions.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "xmalloc.h"

struct slot {
	int64_t event_id, judge_id; /* event_id 0: empty */
	uint64_t gen;
};

struct versions {
	pthread_mutex_t lock;
	struct slot *slots;
	size_t cap, used;         /* cap a power of two */
	_Atomic uint64_t tokens;
};

struct versions *versions_new(void)
{
	struct versions *v = xcalloc(1, sizeof *v);
	pthread_mutex_init(&v->lock, NULL);
	v->cap = 256;
	v->slots = xcalloc(v->cap, sizeof *v->slots);
	return v;
}

void versions_free(struct versions *v)
{
	if (!v)
		return;
	pthread_mutex_destroy(&v->lock);
	free(v->slots);
	free(v);
}

static size_t hash(int64_t event_id, int64_t judge_id)
{
	uint64_t x = (uint64_t)event_id * 0x9E3779B97F4A7C15u ^ (uint64_t)judge_id * 0xC2B2AE3D27D4EB4Fu;
	return (size_t)(x ^ (x >> 29));
}

/* The slot of (event_id, judge_id): found, or the empty one where it goes. */
static struct slot *find(struct slot *slots, size_t cap, int64_t event_id, int64_t judge_id)
{
	for (size_t i = hash(event_id, judge_id) & (cap - 1);; i = (i + 1) & (cap - 1)) {
		struct slot *s = &slots[i];
		if (s->event_id == 0 || (s->event_id == event_id && s->judge_id == judge_id))
			return s;
	}
}

static void grow(struct versions *v)
{
	size_t cap = v->cap * 2;
	struct slot *slots = xcalloc(cap, sizeof *slots);
	for (size_t i = 0; i < v->cap; i++)
		if (v->slots[i].event_id)
			*find(slots, cap, v->slots[i].event_id, v->slots[i].judge_id) = v->slots[i];
	free(v->slots);
	v->slots = slots;
	v->cap = cap;
}

static void bump(struct versions *v, int64_t event_id, int64_t judge_id)
{
	if (2 * (v->used + 1) > v->cap)
		grow(v);
	struct slot *s = find(v->slots, v->cap, event_id, judge_id);
	if (!s->event_id) {
		*s = (struct slot){event_id, judge_id, 0};
		v->used++;
	}
	s->gen++;
}

void versions_note(void *arg, const struct store_change *changes, size_t n)
{
	struct versions *v = arg;
	pthread_mutex_lock(&v->lock);
	for (size_t i = 0; i < n; i++) {
		const struct store_change *c = &changes[i];
		switch (c->kind) {
		case STORE_CHANGE_EVENT:
			bump(v, c->event_id, 0);
			break;
		case STORE_CHANGE_VALUES:
			bump(v, c->event_id, c->judge_id);
			break;
		case STORE_CHANGE_TOKENS:
			atomic_fetch_add(&v->tokens, 1);
			break;
		}
	}
	pthread_mutex_unlock(&v->lock);
}

void versions_get(struct versions *v, int64_t event_id, int64_t judge_id, uint64_t *event_gen,
		  uint64_t *judge_gen)
{
	pthread_mutex_lock(&v->lock);
	const struct slot *e = find(v->slots, v->cap, event_id, 0);
	*event_gen = e->event_id ? e->gen : 0;
	if (judge_gen) {
		const struct slot *j = find(v->slots, v->cap, event_id, judge_id);
		*judge_gen = j->event_id ? j->gen : 0;
	}
	pthread_mutex_unlock(&v->lock);
}

uint64_t versions_tokens(struct versions *v)
{
	return atomic_load(&v->tokens);
}
