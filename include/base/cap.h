/* cap.h - capabilities: unforgeable references to RPC objects */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/*
 * A capability is a process-local name for an RPC object served by some
 * entrypoint, possibly in another component. It can only be obtained by
 * managing an object oneself (cairn_ep_manage) or by receiving it in an RPC
 * message (argument or result). Inventing a value reaches nothing: the name
 * indexes a table that only the platform fills, with kernel-enforced entries
 * behind it.
 *
 * Capabilities are reference counted per process. Receiving the same object
 * twice yields the same name with a higher count; cairn_cap_release drops one
 * reference. Sending a capability does not consume it.
 */
typedef struct cairn_cap { uint32_t id; } cairn_cap;

#define CAIRN_CAP_INVALID ((cairn_cap){ 0 })

static inline bool cairn_cap_valid(cairn_cap c) { return c.id != 0; }

/* true if both name the same object (kernel-checked identity) */
bool cairn_cap_same(cairn_cap a, cairn_cap b);

/*
 * true if both reach objects of the same entrypoint (one server thread of
 * one component): e.g. whether a parent capability leads to core
 */
bool cairn_cap_same_server(cairn_cap a, cairn_cap b);

/* take another reference; returns the same name */
cairn_cap cairn_cap_ref(cairn_cap c);

/* drop a reference; the last one frees the process-local name */
void cairn_cap_release(cairn_cap c);
