/* env.h - the environment of a component and its start-up */
#pragma once

#include <base/entrypoint.h>
#include <base/heap.h>

/*
 * What a component is given: its parent, its PD session at core (memory
 * budget, RAM dataspaces), its CPU and LOG sessions, the initial
 * entrypoint, and a heap paid from its RAM quota.
 */
typedef struct cairn_env {
	cairn_cap   parent;
	cairn_cap   pd;
	cairn_cap   cpu;
	cairn_cap   log;
	cairn_ep   *ep;
	cairn_heap *heap;
} cairn_env;

/*
 * Each component defines this. It runs inside the initial entrypoint; when
 * it returns, the entrypoint serves requests and signals forever. A
 * component that is done calls cairn_env_exit().
 */
void cairn_component_construct(cairn_env *env);

/* tell the parent the component is done (exit value), then stop */
_Noreturn void cairn_env_exit(cairn_env *env, int value);

/* the environment of the running component */
cairn_env *cairn_env_get(void);
