/* base_internal.h - hooks of the base library for core and the start-up code */
#pragma once

#include <base/env.h>
#include <stddef.h>

/* where log lines go: the LOG session (default) or core's own output */
typedef void (*cairn_log_backend_fn)(const char *text, size_t len);
void cairn_log_set_backend(cairn_log_backend_fn fn);
void cairn_log_session_backend(const char *text, size_t len);

/*
 * How a heap gets and returns backing store: components allocate RAM
 * dataspaces from their PD, core maps host memory directly.
 */
typedef struct cairn_heap_backing {
	void *(*grow)(size_t size, void **handle);  /* NULL: out of quota */
	void  (*shrink)(void *addr, size_t size, void *handle);
} cairn_heap_backing;

cairn_heap *cairn_heap_init_root(const cairn_heap_backing *backing);

/* size of a heap's own structure (the root helper charges it per session) */
size_t cairn_heap_struct_size(void);

/* the backing of ordinary components: RAM dataspaces of env->pd */
extern const cairn_heap_backing cairn_ds_backing;

void cairn_env_set(cairn_env *env);

/*
 * A PD_ALLOC reply may carry what attaching the new dataspace needs (the
 * platform's mapping handle), saving the attach its own call: the
 * platform keeps it for the next cairn_ds_attach of that dataspace.
 */
void cairn_ds_mapping_offered(cairn_cap ds, cairn_msg *reply);
