/* pd.h - PD session at core: a protection domain and its RAM account */
#pragma once

#include <base/cap.h>
#include <base/errors.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Core's PD service. A PD session is a protection domain (a component's
 * address space and capability space) together with its RAM account.
 * Session args: `ram_quota` (becomes the account's quota, minus core's
 * metadata), `label`.
 *
 * RAM: ALLOC returns a RAM dataspace paid from the account; it fails with
 * CAIRN_ERR_QUOTA if used + size would exceed the quota. FREE returns it
 * (only the allocating session may free). TRANSFER moves quota to another
 * PD session that is this one's reference account or has this one as its
 * reference account (CAIRN_ERR_INVALID_ARGS otherwise); the amount must be
 * available (CAIRN_ERR_QUOTA).
 *
 * START turns the PD into a running component executing the binary in a
 * ROM or RAM dataspace, with the given parent capability. EXIT_SIGH
 * registers a signal that fires when the component's process ended;
 * EXIT_STATE then tells how (exit value or fault). START may carry that
 * signal as a third capability: registered before the process runs, so a
 * starter needs one call less.
 *
 * Scheduling at START (optional, see cairn_pd_sched): the starter - the
 * component whose PD is this PD's reference account - places the child
 * within its own priority band and its own CPUs. Core composes the places
 * along the chain of reference accounts (harmonic priority-range
 * subdivision, 10.02): a starter with band [B, B+W) that gives its child
 * priority p (0..65535, 0 most urgent, in the starter's view of its band)
 * puts the child at B + p*W/65536, and the child's own band is W/levels
 * wide. CPUs likewise: the starter's CPUs are spread over its affinity
 * space (row-major cells), the child gets the CPUs of its rectangle.
 * Core's own band is [0, 65536) with every CPU it may use; a PD without
 * reference account is placed in core's band. START without the optional
 * words is START with priority 0, levels 1 and the whole space: the child
 * shares its starter's band and CPUs. The reply carries the child's
 * resulting generic priority (u32), which core maps to the kernel's
 * scheduling (Linux: nice 0..19, never above the host's default; CPU
 * affinity of the process, inherited by all its threads).
 */
enum cairn_pd_op {
	CAIRN_PD_ALLOC = 1,    /* u64 size -> cap ds */
	CAIRN_PD_FREE,         /* cap ds */
	CAIRN_PD_REF_ACCOUNT,  /* cap pd */
	CAIRN_PD_TRANSFER,     /* cap pd, u64 amount */
	CAIRN_PD_QUOTA,        /* -> u64 quota, u64 used */
	CAIRN_PD_START,        /* cap binary ds, cap parent[, cap exit sigh], str name
	                          [, u32 priority, u32 prio_levels, u32 space_w, u32 space_h,
	                             u32 xpos, u32 ypos, u32 width, u32 height] -> [u32 priority] */
	CAIRN_PD_EXIT_SIGH,    /* cap sigh */
	CAIRN_PD_EXIT_STATE,   /* -> u32 state, i64 value */
};

enum cairn_pd_state {
	CAIRN_PD_NOT_STARTED = 0,
	CAIRN_PD_RUNNING,
	CAIRN_PD_EXITED,       /* value: the process's exit status */
	CAIRN_PD_FAULTED,      /* value: the fatal signal number */
};

int cairn_pd_alloc(cairn_cap pd, size_t size, cairn_cap *ds) __attribute__((warn_unused_result));
int cairn_pd_free(cairn_cap pd, cairn_cap ds);
int cairn_pd_ref_account(cairn_cap pd, cairn_cap ref);
int cairn_pd_transfer(cairn_cap from, cairn_cap to, size_t amount) __attribute__((warn_unused_result));
int cairn_pd_quota(cairn_cap pd, size_t *quota, size_t *used);
int cairn_pd_start(cairn_cap pd, cairn_cap binary, cairn_cap parent, const char *name)
	__attribute__((warn_unused_result));

enum { CAIRN_PRIORITY_LIMIT = 65536 };  /* generic priorities are 0 .. 65535 */

/* where a starter places its child (START's optional words) */
typedef struct cairn_pd_sched {
	uint32_t priority;      /* 0 (most urgent) .. 65535, within the starter's band */
	uint32_t prio_levels;   /* sub-bands the starter distinguishes (power of two; 0, 1: none) */
	uint32_t space_w;       /* the starter's affinity space (0 counts as 1) */
	uint32_t space_h;
	uint32_t xpos, ypos;    /* the child's rectangle in that space (clipped by core) */
	uint32_t width, height; /* 0 counts as 1 */
} cairn_pd_sched;

/*
 * START with placement. On success *priority (may be NULL) is the child's
 * generic priority as core applies it. A core that predates the optional
 * words ignores them and answers without priority: *priority is then
 * CAIRN_PRIORITY_LIMIT (unknown).
 */
int cairn_pd_start_sched(cairn_cap pd, cairn_cap binary, cairn_cap parent, const char *name,
                         const cairn_pd_sched *sched, uint32_t *priority)
	__attribute__((warn_unused_result));

/* START with placement and the exit signal (EXIT_SIGH in the same call) */
int cairn_pd_start_full(cairn_cap pd, cairn_cap binary, cairn_cap parent, cairn_cap exit_sigh,
                        const char *name, const cairn_pd_sched *sched, uint32_t *priority)
	__attribute__((warn_unused_result));

int cairn_pd_exit_sigh(cairn_cap pd, cairn_cap sigh);
int cairn_pd_exit_state(cairn_cap pd, unsigned *state, long *value);
