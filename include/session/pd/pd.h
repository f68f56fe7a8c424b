/* pd.h - PD session at core: a protection domain and its RAM account */
#pragma once

#include <base/cap.h>
#include <base/errors.h>
#include <stddef.h>

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
 * EXIT_STATE then tells how (exit value or fault).
 */
enum cairn_pd_op {
	CAIRN_PD_ALLOC = 1,    /* u64 size -> cap ds */
	CAIRN_PD_FREE,         /* cap ds */
	CAIRN_PD_REF_ACCOUNT,  /* cap pd */
	CAIRN_PD_TRANSFER,     /* cap pd, u64 amount */
	CAIRN_PD_QUOTA,        /* -> u64 quota, u64 used */
	CAIRN_PD_START,        /* cap binary ds, cap parent, str name */
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
int cairn_pd_exit_sigh(cairn_cap pd, cairn_cap sigh);
int cairn_pd_exit_state(cairn_cap pd, unsigned *state, long *value);
