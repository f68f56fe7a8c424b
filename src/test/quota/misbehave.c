/* misbehave.c - session requests with donations that cannot work */

#include "quota.h"

#include <base/log.h>
#include <base/parent.h>
#include <base/root.h>

#include <stdio.h>
#include <stdlib.h>

/*
 * The requests go through cairn_parent_session, not cairn_session: the
 * latter would answer Quota_exceeded with a resource request to the
 * parent and retry, which hides the refusal this test wants to show.
 * Each refused request must leave the own quota as it was (the parent's
 * transfers are transactional).
 */

static void refused(cairn_env *env, const char *what, const char *args)
{
	size_t before = own_quota(env);
	cairn_cap cap;
	int r = cairn_parent_session(env->parent, "Hello", args, &cap);
	if (r == CAIRN_ERR_QUOTA) cairn_log("%s: %s", what, cairn_err_str(r));
	else fail("%s: %s, expected Quota_exceeded", what, cairn_err_str(r));
	if (r == CAIRN_OK) {
		(void)cairn_parent_close(env->parent, cap);
		cairn_cap_release(cap);
	}
	expect_quota(env, before, "after the refusal");
}

/* ---- the barrier: a service with sessions that do nothing ---- */

static int barrier_create(cairn_root *root, const char *args, const char *label,
                          cairn_heap *heap, cairn_rpc_obj **obj)
{
	int err;
	cairn_rpc_obj *o = cairn_root_session_alloc(root, heap, sizeof(*o), 0, &err);
	if (!o) return err;
	*obj = o;
	return CAIRN_OK;
}

static const cairn_root_ops barrier_ops = {
	.session_size = sizeof(cairn_rpc_obj),
	.create       = barrier_create,
};

static cairn_root barrier_root;

void misbehave(cairn_env *env)
{
	char args[CAIRN_ARGS_MAX];

	refused(env, "donation of 1024 bytes (below the server's need)", "ram_quota=1024, label=\"small\"");
	refused(env, "no donation", "label=\"none\"");

	snprintf(args, sizeof(args), "ram_quota=%zu, label=\"greedy\"", own_quota(env) + 1024 * 1024);
	refused(env, "donation larger than the own quota", args);

	int r = cairn_root_announce(&barrier_root, env, "Quota_barrier", &barrier_ops, 0);
	if (r != CAIRN_OK) fail("could not announce the barrier: %s", cairn_err_str(r));
	cairn_log("misbehaving requests done");
}
