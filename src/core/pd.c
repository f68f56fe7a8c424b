/* pd.c - PD sessions: RAM accounts with quota, and the component's process */

#include "core.h"

#include <base/log.h>
#include <base/signal.h>
#include <session/pd/pd.h>
#include <stdio.h>
#include <string.h>

enum { PAGE = 4096 };

static int pd_dispatch(cairn_rpc_obj *obj, cairn_msg *req, cairn_msg *reply);

/*
 * Scheduling of started PDs (pd.h, START): each started PD has a priority
 * band [base, base + width) of generic priorities and a set of CPUs; its
 * children are placed inside them. Kept beside the PD objects (a short
 * list, looked up at START) so that the PD record itself stays as it is.
 */
enum { CPU_WORDS = 16 };  /* CPU ids 0..1023 */

struct pd_sched {
	struct core_pd  *pd;
	uint32_t         base, width;
	uint64_t         cpus[CPU_WORDS];
	struct pd_sched *next;
};

static struct pd_sched *scheds;

/*
 * Platform hooks (src/platform/<p>/core_*.c), declared here rather than in
 * core.h to keep this addition self-contained: the CPUs core itself may
 * use, and the scheduling of the process the next core_plat_spawn starts
 * (generic priority, CPU set), applied before the binary runs.
 */
void core_plat_cpus(uint64_t *cpus, unsigned words);
void core_plat_sched_next(uint32_t priority, const uint64_t *cpus, unsigned words);

static struct pd_sched *sched_of(struct core_pd *pd)
{
	for (struct pd_sched *s = scheds; s; s = s->next)
		if (s->pd == pd) return s;
	return 0;
}

/* core's own band and CPUs: where PDs without a started starter are placed */
static void sched_root(struct pd_sched *out)
{
	static uint64_t cpus[CPU_WORDS];
	static bool     known;
	if (!known) { core_plat_cpus(cpus, CPU_WORDS); known = true; }
	out->base  = 0;
	out->width = CAIRN_PRIORITY_LIMIT;
	memcpy(out->cpus, cpus, sizeof(cpus));
}

static unsigned cpu_count(const uint64_t *cpus)
{
	unsigned n = 0;
	for (unsigned i = 0; i < CPU_WORDS; i++) n += (unsigned)__builtin_popcountll(cpus[i]);
	return n;
}

/* the id of the i-th CPU of the set (i < cpu_count) */
static unsigned cpu_nth(const uint64_t *cpus, unsigned i)
{
	for (unsigned id = 0; id < CPU_WORDS * 64; id++)
		if ((cpus[id / 64] >> (id % 64) & 1) && i-- == 0) return id;
	return 0;
}

static uint32_t clip(uint32_t v, uint32_t lo, uint32_t hi) { return v < lo ? lo : v > hi ? hi : v; }

/*
 * The child's place from the starter's (`st`) and the START words:
 * priority composition and the CPUs of the child's rectangle.
 */
static void sched_place(const struct pd_sched *st, const cairn_pd_sched *a, struct pd_sched *out)
{
	uint32_t p      = a->priority < CAIRN_PRIORITY_LIMIT ? a->priority : CAIRN_PRIORITY_LIMIT - 1;
	uint32_t levels = a->prio_levels > 1 ? a->prio_levels : 1;

	out->base  = st->base + (uint32_t)(((uint64_t)p * st->width) >> 16);
	out->width = st->width / levels ? st->width / levels : 1;
	if (out->width > st->base + st->width - out->base) out->width = st->base + st->width - out->base;

	uint32_t sw = a->space_w ? a->space_w : 1, sh = a->space_h ? a->space_h : 1;
	uint32_t x  = clip(a->xpos, 0, sw - 1), y = clip(a->ypos, 0, sh - 1);
	uint32_t w  = clip(a->width, 1, sw - x), h = clip(a->height, 1, sh - y);
	uint64_t k  = cpu_count(st->cpus), n = (uint64_t)sw * sh;

	memset(out->cpus, 0, sizeof(out->cpus));
	if (!k) return;
	for (uint32_t row = y; row < y + h; row++) {
		for (uint32_t col = x; col < x + w; col++) {
			uint64_t c = (uint64_t)row * sw + col;
			uint64_t lo = c * k / n, hi = (c + 1) * k / n;
			if (hi <= lo) hi = lo + 1;
			for (uint64_t i = lo; i < hi; i++) {
				unsigned id = cpu_nth(st->cpus, (unsigned)i);
				out->cpus[id / 64] |= 1ull << (id % 64);
			}
		}
	}
}

struct core_pd *core_pd_create(const char *label, size_t quota)
{
	struct core_pd *pd = cairn_heap_calloc(core.heap, 1, sizeof(*pd));
	if (!pd) return 0;
	snprintf(pd->label, sizeof(pd->label), "%s", label);
	pd->quota = quota;
	pd->pidfd = -1;
	pd->obj   = (cairn_rpc_obj){ .dispatch = pd_dispatch, .data = pd };
	if (!cairn_cap_valid(cairn_ep_manage(core.ep, &pd->obj))) {
		cairn_heap_free(core.heap, pd);
		return 0;
	}
	pd->next = core.pds;
	core.pds = pd;
	return pd;
}

void core_pd_destroy(struct core_pd *pd)
{
	core_plat_kill(pd);
	for (struct pd_sched **p = &scheds; *p; p = &(*p)->next) {
		if ((*p)->pd != pd) continue;
		struct pd_sched *s = *p;
		*p = s->next;
		cairn_heap_free(core.heap, s);
		break;
	}
	while (pd->ds) {
		struct core_ds *ds = pd->ds;
		pd->ds = ds->next;
		core_ds_destroy(ds);
	}
	for (struct core_pd **p = &core.pds; *p; p = &(*p)->next)
		if (*p == pd) { *p = pd->next; break; }
	for (struct core_pd *o = core.pds; o; o = o->next)
		if (o->ref == pd) o->ref = 0;
	cairn_cap_release(pd->exit_sigh);
	cairn_ep_dissolve(core.ep, &pd->obj);
	cairn_heap_free(core.heap, pd);
}

struct core_pd *core_pd_lookup(cairn_cap cap)
{
	cairn_rpc_obj *o = cairn_ep_lookup(core.ep, cap);
	return o && o->dispatch == pd_dispatch ? o->data : 0;
}

/* quota moves only between an account and its reference account */
int core_pd_transfer(struct core_pd *from, struct core_pd *to, size_t amount)
{
	if (!from || !to || from == to) return CAIRN_ERR_INVALID_ARGS;
	if (to->ref != from && from->ref != to) return CAIRN_ERR_INVALID_ARGS;
	if (from->quota - from->used < amount) return CAIRN_ERR_QUOTA;
	from->quota -= amount;
	to->quota   += amount;
	return CAIRN_OK;
}

int core_pd_alloc(struct core_pd *pd, size_t size, struct core_ds **out)
{
	if (!size || size > ((size_t)1 << 40)) return CAIRN_ERR_INVALID_ARGS;
	size = (size + PAGE - 1) & ~(size_t)(PAGE - 1);
	if (pd->used + size > pd->quota) return CAIRN_ERR_QUOTA;
	struct core_ds *ds = core_ds_ram(pd, size);
	if (!ds) return CAIRN_ERR_NO_MEMORY;
	pd->used += size;
	ds->next = pd->ds;
	pd->ds   = ds;
	*out = ds;
	return CAIRN_OK;
}

static int pd_alloc(struct core_pd *pd, size_t size, cairn_msg *reply)
{
	struct core_ds *ds;
	int r = core_pd_alloc(pd, size, &ds);
	if (r != CAIRN_OK) return r;
	cairn_msg_put_cap(reply, ds->obj.cap);
	/* what DS_MAP would answer: most allocations are attached right away */
	core_ds_map_reply(ds, reply);
	return r;
}

static int pd_free(struct core_pd *pd, cairn_cap cap)
{
	struct core_ds *ds = core_ds_lookup(cap);
	cairn_cap_release(cap);
	if (!ds || ds->owner != pd) return CAIRN_ERR_INVALID_ARGS;
	for (struct core_ds **p = &pd->ds; *p; p = &(*p)->next)
		if (*p == ds) { *p = ds->next; break; }
	pd->used -= ds->size;
	core_ds_destroy(ds);
	return CAIRN_OK;
}

/* the optional words of START; without them the child shares its starter's place */
static bool get_sched(cairn_msg *req, cairn_pd_sched *a)
{
	*a = (cairn_pd_sched){ .prio_levels = 1 };
	if (req->pos >= req->len) return true;
	a->priority    = cairn_msg_get_u32(req);
	a->prio_levels = cairn_msg_get_u32(req);
	a->space_w     = cairn_msg_get_u32(req);
	a->space_h     = cairn_msg_get_u32(req);
	a->xpos        = cairn_msg_get_u32(req);
	a->ypos        = cairn_msg_get_u32(req);
	a->width       = cairn_msg_get_u32(req);
	a->height      = cairn_msg_get_u32(req);
	return !req->err;
}

/* EXIT_SIGH, alone or with START: the signal replaces the last one (taken over) */
static void set_exit_sigh(struct core_pd *pd, cairn_cap sigh)
{
	cairn_cap_release(pd->exit_sigh);
	pd->exit_sigh = sigh;
	if (pd->state >= CAIRN_PD_EXITED) cairn_signal_submit(pd->exit_sigh, 1);
}

static int pd_start(struct core_pd *pd, cairn_msg *req, cairn_msg *reply)
{
	cairn_cap bin = cairn_msg_get_cap(req), parent = cairn_msg_get_cap(req);
	cairn_cap sigh = req->ncaps > 2 ? cairn_msg_get_cap(req) : CAIRN_CAP_INVALID;
	char name[64];
	cairn_pd_sched a;
	int r = CAIRN_ERR_INVALID_ARGS;
	struct pd_sched *s = 0;
	if (cairn_msg_get_str(req, name, sizeof(name)) && get_sched(req, &a)
	    && pd->state == CAIRN_PD_NOT_STARTED) {
		struct core_ds *ds = core_ds_lookup(bin);
		s = sched_of(pd);
		if (!s && (s = cairn_heap_calloc(core.heap, 1, sizeof(*s)))) {
			s->pd = pd;
			s->next = scheds;
			scheds = s;
		}
		if (!s) {
			r = CAIRN_ERR_NO_MEMORY;
		} else if (ds && cairn_cap_valid(parent)) {
			struct pd_sched root, *st = pd->ref ? sched_of(pd->ref) : 0;
			if (!st) { sched_root(&root); st = &root; }
			sched_place(st, &a, s);
			core_plat_sched_next(s->base, s->cpus, CPU_WORDS);
			if (cairn_cap_valid(sigh)) {
				set_exit_sigh(pd, sigh);
				sigh = CAIRN_CAP_INVALID;
			}
			r = core_plat_spawn(pd, ds->fd, ds->origin ? ds->origin->module : ds->module, parent, name);
		}
	}
	if (r == CAIRN_OK) cairn_msg_put_u32(reply, s->base);
	cairn_cap_release(bin);
	cairn_cap_release(parent);
	cairn_cap_release(sigh);
	return r;
}

static int pd_dispatch(cairn_rpc_obj *obj, cairn_msg *req, cairn_msg *reply)
{
	struct core_pd *pd = obj->data;
	int r = CAIRN_OK;
	switch (req->code) {
	case CAIRN_PD_ALLOC: {
		uint64_t size = cairn_msg_get_u64(req);
		r = req->err ? CAIRN_ERR_MSG : pd_alloc(pd, size, reply);
		break;
	}
	case CAIRN_PD_FREE:
		r = pd_free(pd, cairn_msg_get_cap(req));
		break;
	case CAIRN_PD_REF_ACCOUNT: {
		cairn_cap c = cairn_msg_get_cap(req);
		struct core_pd *ref = core_pd_lookup(c);
		cairn_cap_release(c);
		if (!ref || ref == pd) r = CAIRN_ERR_INVALID_ARGS;
		else if (pd->ref) r = CAIRN_ERR_INVALID_ARGS;
		else pd->ref = ref;
		break;
	}
	case CAIRN_PD_TRANSFER: {
		cairn_cap c = cairn_msg_get_cap(req);
		uint64_t amount = cairn_msg_get_u64(req);
		struct core_pd *to = core_pd_lookup(c);
		cairn_cap_release(c);
		r = req->err ? CAIRN_ERR_MSG : core_pd_transfer(pd, to, amount);
		break;
	}
	case CAIRN_PD_QUOTA:
		cairn_msg_put_u64(reply, pd->quota);
		cairn_msg_put_u64(reply, pd->used);
		break;
	case CAIRN_PD_START:
		r = pd_start(pd, req, reply);
		break;
	case CAIRN_PD_EXIT_SIGH:
		set_exit_sigh(pd, cairn_msg_get_cap(req));
		break;
	case CAIRN_PD_EXIT_STATE:
		cairn_msg_put_u32(reply, pd->state);
		cairn_msg_put_i64(reply, pd->exit_value);
		break;
	default:
		r = CAIRN_ERR_OPCODE;
	}
	reply->code = r;
	return CAIRN_RPC_REPLY;
}
