/* root.h - the root interface a server announces, and a helper to build one */
#pragma once

#include <base/entrypoint.h>
#include <base/heap.h>

/*
 * A server announces a service by handing its parent a root capability.
 * The parent calls SESSION with the (rewritten) args, whose `ram_quota`
 * has already been transferred to the server's PD, UPGRADE with further
 * donations, and CLOSE when the client closes or is destroyed.
 */
enum cairn_root_op {
	CAIRN_ROOT_SESSION = 1, /* str args -> cap session */
	CAIRN_ROOT_UPGRADE,     /* cap session, str args */
	CAIRN_ROOT_CLOSE,       /* cap session */
};

typedef struct cairn_root cairn_root;

/*
 * Callbacks of a server's root. `create` gets the args, the label from
 * them, and a heap limited to the donated quota minus the helper's own
 * bookkeeping (every block charged at what it really costs). A donation
 * that cannot cover the bookkeeping plus a block of `session_size` is
 * refused with CAIRN_ERR_QUOTA and the log line
 * `Error: Insufficient ram quota, provided=P, required=R`. `create`
 * returns CAIRN_OK with the session's RPC object in *obj (already managed),
 * or an error (CAIRN_ERR_DENIED, CAIRN_ERR_QUOTA, ...).
 */
typedef struct cairn_root_ops {
	size_t session_size; /* bytes a session needs at least (its object) */
	int  (*create)(cairn_root *root, const char *args, const char *label,
	               cairn_heap *session_heap, cairn_rpc_obj **obj);
	void (*upgrade)(cairn_root *root, cairn_rpc_obj *obj, size_t ram_quota);
	void (*destroy)(cairn_root *root, cairn_rpc_obj *obj);  /* NULL: cairn_root_session_free */
} cairn_root_ops;

struct cairn_root {
	cairn_rpc_obj         obj;
	const cairn_root_ops *ops;
	struct cairn_env     *env;
	void                 *data;
};

/* manage the root at env->ep and announce `service` to the parent */
int cairn_root_announce(cairn_root *root, struct cairn_env *env,
                        const char *service, const cairn_root_ops *ops, void *data)
	__attribute__((warn_unused_result));

/*
 * The common session: a zeroed object of `size` bytes from the session
 * heap whose first member is its cairn_rpc_obj (dispatch set, `data`
 * pointing at the object), managed at the root's entrypoint. Returns the
 * object, or NULL with *err set (CAIRN_ERR_QUOTA, CAIRN_ERR_NO_MEMORY).
 */
void *cairn_root_session_alloc(cairn_root *root, cairn_heap *heap, size_t size,
                               cairn_rpc_dispatch_fn dispatch, int *err)
	__attribute__((warn_unused_result));

/*
 * Dissolve and free such a session. It is also what closing a session
 * does when the ops have no `destroy`.
 */
void cairn_root_session_free(cairn_root *root, cairn_rpc_obj *obj);

/* the heap of a session created through the helper */
cairn_heap *cairn_root_session_heap(cairn_rpc_obj *obj);

/*
 * Charge `bytes` of the session's budget for something that is not a heap
 * block (e.g. a dataspace the server allocates for it), or refund it with
 * a negative value. CAIRN_ERR_QUOTA if the budget cannot cover it. Upgrades
 * raise the budget; charges stay.
 */
int cairn_root_session_charge(cairn_rpc_obj *obj, long bytes) __attribute__((warn_unused_result));
