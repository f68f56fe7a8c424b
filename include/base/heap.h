/* heap.h - a heap whose memory comes from the component's RAM quota */
#pragma once

#include <stddef.h>

/*
 * The heap grows by allocating RAM dataspaces from the component's PD
 * session at core and attaching them. When the quota is exhausted, the
 * heap asks the parent for more (resource request, logged as
 * `resource_request: ram_quota=N`) and waits until it is granted or
 * refused; a refused request makes the allocation return NULL.
 */
typedef struct cairn_heap cairn_heap;

void *cairn_heap_alloc(cairn_heap *h, size_t size) __attribute__((malloc, warn_unused_result));
void *cairn_heap_calloc(cairn_heap *h, size_t n, size_t size) __attribute__((malloc, warn_unused_result));
void  cairn_heap_free(cairn_heap *h, void *p);

/* bytes of quota the heap holds in dataspaces, and bytes handed out */
size_t cairn_heap_quota_used(cairn_heap *h);
size_t cairn_heap_consumed(cairn_heap *h);

/*
 * A heap for a server session, paid from the quota its client donated:
 * allocations beyond `limit` bytes fail (NULL) instead of growing.
 * Backing dataspaces come from the component's PD, so the server must have
 * received the donation (the parent transferred it) before.
 */
cairn_heap *cairn_heap_create(cairn_heap *backing, size_t limit);
void        cairn_heap_destroy(cairn_heap *h);

/* bytes a block of `size` really takes from its heap (size class, header) */
size_t cairn_heap_block_cost(size_t size);

/* raise (or lower) a session heap's limit, e.g. after a quota upgrade */
void        cairn_heap_set_limit(cairn_heap *h, size_t limit);
