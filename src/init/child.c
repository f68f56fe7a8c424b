/* child.c - creating, starting, watching and destroying children */
#include "init.h"
#include "prio.h"

#include <base/log.h>
#include <session/pd/pd.h>

#include <stdio.h>
#include <string.h>

#include <util/args.h>

size_t init_avail_ram(init_main *m)
{
	size_t quota = 0, used = 0;
	size_t reserve = m->config ? m->config->ram_preserve : INIT_RAM_RESERVE;

	if (cairn_pd_quota(m->env->pd, &quota, &used) != CAIRN_OK || used >= quota)
		return 0;
	quota -= used;
	return quota > reserve ? quota - reserve : 0;
}

init_child *init_child_by_idx(init_main *m, unsigned idx)
{
	for (init_child *c = m->children; c; c = c->next)
		if (c->idx == idx)
			return c;
	return NULL;
}

/* the quantum of RAM to hand out, clamped to what init has (init.md 7.1); 0: none */
static size_t ram_quantum(init_main *m, const init_start *s)
{
	size_t q = s->ram_quantum, avail = init_avail_ram(m);

	if (q == 0) {
		cairn_warning("no valid RAM resource for child \"%s\"", s->name);
		return 0;
	}
	if (q > avail) {
		q = avail;
		if (m->config->verbose) {
			cairn_log("Warning: Specified quota exceeds available quota.");
			cairn_log("         Proceeding with a quota of %zu.", q);
		}
	}
	if (q == 0)
		cairn_error("RAM exhausted while starting childen");  /* sic, as 17.05 */
	return q;
}

static void compute_priority(init_main *m, init_child *c)
{
	unsigned levels = m->config->prio_levels;
	bool     invalid;

	c->prio_band = init_prio_band(levels, c->start->priority, &invalid);
	if (invalid)
		cairn_warning("%s: invalid priority, upgrading from %ld to %ld", c->name,
		              c->start->priority, -(long)c->prio_band);
}

static void print_verbose(init_main *m, init_child *c)
{
	size_t quota = 0, used = 0;
	const init_affinity *a = &c->start->affinity;

	if (!m->config->verbose)
		return;
	(void)cairn_pd_quota(c->pd, &quota, &used);
	cairn_log("child \"%s\"", c->name);
	cairn_log("  RAM quota:  %zu", quota - used);
	cairn_log("  ELF binary: %s", c->start->binary);
	cairn_log("  priority:   %u", c->prio_band);
	for (unsigned i = 0; i < c->start->num_provides; i++)
		cairn_log("  provides service %s", c->start->provides[i]);
	if (c->priority < CAIRN_PRIORITY_LIMIT)
		cairn_log("  generic priority: %u (kernel priority %lu of 128)", c->priority,
		          init_kernel_priority(c->priority));
	if (m->config->space_width * m->config->space_height > 1)
		cairn_log("  affinity:   %ux%u at %u,%u in %ux%u", a->width, a->height, a->xpos,
		          a->ypos, m->config->space_width, m->config->space_height);
}

static void on_exit_signal(cairn_signal_handler *h, unsigned count)
{
	init_child *c = h->data;
	unsigned    state;
	long        value;

	if (c->gone || cairn_pd_exit_state(c->pd, &state, &value) != CAIRN_OK)
		return;
	if (state != CAIRN_PD_EXITED && state != CAIRN_PD_FAULTED)
		return;

	if (!c->exit_called) {
		c->crash_signal = state == CAIRN_PD_FAULTED ? value : 0;
		if (state == CAIRN_PD_FAULTED)
			cairn_error("child \"%s\" crashed (signal %ld)", c->name, value);
		else
			cairn_error("child \"%s\" exited without exit call (status %ld)", c->name, value);
	}
	init_child_gone(c->main, c);
}

static void close_parent_session(init_main *m, cairn_cap *cap)
{
	if (!cairn_cap_valid(*cap))
		return;
	cairn_parent_close(m->env->parent, *cap);
	cairn_cap_release(*cap);
	*cap = CAIRN_CAP_INVALID;
}

static void release_cap(cairn_cap *cap)
{
	if (cairn_cap_valid(*cap))
		cairn_cap_release(*cap);
	*cap = CAIRN_CAP_INVALID;
}

/*
 * One ROM session per binary, shared by the children that run it (they
 * only read it): a second child of a binary costs no session request and
 * no dataspace request at init's parent.
 */
struct init_binary {
	init_binary *next;
	unsigned     users;
	cairn_cap    rom;
	cairn_cap    ds;
	char         name[];
};

static void binary_unref(init_main *m, init_binary *b)
{
	if (!b || --b->users)
		return;
	for (init_binary **p = &m->binaries; *p; p = &(*p)->next)
		if (*p == b) {
			*p = b->next;
			break;
		}
	release_cap(&b->ds);
	close_parent_session(m, &b->rom);
	cairn_heap_free(m->env->heap, b);
}

/* release what a partly set-up child holds */
static void free_child(init_main *m, init_child *c)
{
	release_cap(&c->binary);
	binary_unref(m, c->bin);
	c->bin = NULL;
	close_parent_session(m, &c->pd);
	if (c->roots)
		cairn_heap_free(m->env->heap, c->roots);
	cairn_heap_free(m->env->heap, c);
}

/* an env session at init's parent, without the base library's quota retry */
static int env_session(init_main *m, const char *service, const char *label, size_t quota,
                       cairn_cap *cap)
{
	char args[CAIRN_ARGS_MAX];

	snprintf(args, sizeof args, "ram_quota=%zu", quota);
	if (args_set_string(args, sizeof args, "label", label) != ARGS_OK)
		return CAIRN_ERR_UNAVAILABLE;
	return cairn_parent_session(m->env->parent, service, args, cap);
}

static bool open_binary(init_main *m, init_child *c)
{
	const char  *binary = c->start->binary;
	init_binary *b;

	for (b = m->binaries; b; b = b->next)
		if (strcmp(b->name, binary) == 0)
			break;
	if (!b) {
		size_t len = strlen(binary) + 1;
		b = cairn_heap_calloc(m->env->heap, 1, sizeof *b + len);
		if (!b) {
			cairn_error("out of memory while creating child \"%s\"", c->name);
			return false;
		}
		memcpy(b->name, binary, len);
		b->rom = b->ds = CAIRN_CAP_INVALID;
		if (env_session(m, "ROM", binary, CAIRN_ROM_RAM, &b->rom) != CAIRN_OK
		    || cairn_rom_dataspace(b->rom, &b->ds) != CAIRN_OK) {
			cairn_error("Could not open ROM session for \"%s\"", binary);
			b->users = 1;
			binary_unref(m, b);
			return false;
		}
		b->next = m->binaries;
		m->binaries = b;
	}
	b->users++;
	c->bin    = b;
	c->binary = cairn_cap_ref(b->ds);
	return true;
}

static bool create_pd(init_main *m, init_child *c)
{
	size_t q = ram_quantum(m, c->start);

	if (q == 0)
		return false;

	int rc = env_session(m, "PD", c->name, q, &c->pd);
	if (rc != CAIRN_OK) {
		cairn_error("%s: could not create its PD session with a quota of %zu (%s)",
		            c->name, q, cairn_err_str(rc));
		return false;
	}
	c->assigned = q;
	rc = cairn_pd_ref_account(c->pd, m->env->pd);
	if (rc != CAIRN_OK) {
		cairn_error("%s: could not set the reference account of its PD (%s)", c->name,
		            cairn_err_str(rc));
		return false;
	}
	return true;
}

init_child *init_child_create(init_main *m, unsigned idx)
{
	const init_start *s = &m->config->starts[idx];
	cairn_env        *env = m->env;
	init_child       *c = cairn_heap_calloc(env->heap, 1, sizeof *c);

	if (!c) {
		cairn_error("out of memory while creating child \"%s\"", s->name);
		return NULL;
	}
	c->main     = m;
	c->start    = s;
	c->idx      = idx;
	c->id       = ++m->next_id;
	c->priority = CAIRN_PRIORITY_LIMIT;
	memcpy(c->name, s->name, strlen(s->name) + 1);

	if (s->num_provides) {
		c->roots = cairn_heap_calloc(env->heap, s->num_provides, sizeof *c->roots);
		if (!c->roots) {
			cairn_error("out of memory while creating child \"%s\"", s->name);
			free_child(m, c);
			return NULL;
		}
	}

	compute_priority(m, c);
	if (!open_binary(m, c) || !create_pd(m, c)) {
		free_child(m, c);
		return NULL;
	}

	c->parent_obj.dispatch = init_parent_dispatch;
	c->parent_obj.data     = c;
	cairn_ep_manage(env->ep, &c->parent_obj);

	cairn_cap sigh = cairn_signal_handler_init(&c->exit_sigh, env->ep, on_exit_signal, c);
	c->sched = init_placement(m->config, c->start);
	int rc = cairn_pd_start_full(c->pd, c->binary, c->parent_obj.cap, sigh, c->name, &c->sched,
	                             &c->priority);
	if (rc == CAIRN_OK)
		print_verbose(m, c);
	if (rc != CAIRN_OK) {
		cairn_error("%s: could not start (%s)", c->name, cairn_err_str(rc));
		cairn_signal_handler_fini(&c->exit_sigh, env->ep);
		cairn_ep_dissolve(env->ep, &c->parent_obj);
		free_child(m, c);
		return NULL;
	}
	return c;
}

/* forget its announced services: later requests wait or are denied */
static void revoke_services(init_child *c)
{
	for (unsigned i = 0; i < c->start->num_provides; i++)
		release_cap(&c->roots[i]);
}

void init_child_gone(init_main *m, init_child *c)
{
	c->gone       = true;
	c->yield_need = 0;
	init_pending_drop(m, c);
	init_sessions_detach(m, c);
	init_sessions_orphan(m, c);
	revoke_services(c);
	release_cap(&c->resource_avail_sigh);
	release_cap(&c->yield_sigh);

	/* requests waiting for its services are denied now */
	init_pending_kick(m);
	init_state_changed(m);
}

/* ---- quota changes of a running child (init.md 14.5) ---- */

enum { YIELD_KEEP = 16 * 1024 };  /* what a withdrawal leaves the child */

void init_child_withdraw(init_main *m, init_child *c)
{
	size_t quota = 0, used = 0;

	if (c->gone || !c->yield_need || cairn_pd_quota(c->pd, &quota, &used) != CAIRN_OK)
		return;
	size_t avail  = quota > used ? quota - used : 0;
	size_t amount = avail > YIELD_KEEP ? avail - YIELD_KEEP : 0;
	if (amount > c->yield_need)
		amount = c->yield_need;
	if (!amount || cairn_pd_transfer(c->pd, m->env->pd, amount) != CAIRN_OK)
		return;
	c->yield_need -= amount;
	c->assigned   -= amount < c->assigned ? amount : c->assigned;
	init_state_changed(m);
}

void init_child_requantize(init_main *m, init_child *c, size_t old_quantum)
{
	size_t q = c->start->ram_quantum;

	if (c->gone || q == old_quantum)
		return;
	c->requested = 0;  /* the new quantum is the answer to what it asked for */
	if (q > old_quantum) {
		size_t up = q - old_quantum, avail = init_avail_ram(m);
		size_t forgiven = up < c->yield_need ? up : c->yield_need;  /* not yielded yet */
		c->yield_need -= forgiven;
		up            -= forgiven;
		if (up > avail) {
			cairn_warning("%s: assigned RAM exceeds available RAM", c->name);
			up = avail;
		}
		if (up && cairn_pd_transfer(m->env->pd, c->pd, up) == CAIRN_OK) {
			c->assigned += up;
			if (cairn_cap_valid(c->resource_avail_sigh))
				cairn_signal_submit(c->resource_avail_sigh, 1);
		}
		init_state_changed(m);
		return;
	}

	/* take back what it does not use, ask it to yield the rest */
	c->yield_need += old_quantum - q;
	init_child_withdraw(m, c);
	if (c->yield_need && cairn_cap_valid(c->yield_sigh)) {
		cairn_log("%s: yield request for %zu bytes", c->name, c->yield_need);
		cairn_signal_submit(c->yield_sigh, 1);
	}
	init_state_changed(m);
}

void init_child_destroy(init_main *m, init_child *c)
{
	cairn_env *env = m->env;

	cairn_ep_dissolve(env->ep, &c->parent_obj);
	cairn_signal_handler_fini(&c->exit_sigh, env->ep);
	if (!c->gone)
		init_child_gone(m, c);
	free_child(m, c);
}
