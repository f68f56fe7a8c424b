/* plat.h - internal interface of the Linux platform (base library and core only) */
#pragma once

#include <base/cap.h>
#include <base/entrypoint.h>
#include <base/msg.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * Descriptor layout a component process starts with (set up by core):
 * the parent capability and the component's PD capability, each as a pair
 * (object descriptor, entrypoint descriptor), and the page of its first
 * channel to core.
 */
enum {
	PLAT_FD_PARENT_OBJ = 3,
	PLAT_FD_PARENT_EP  = 4,
	PLAT_FD_PD_OBJ     = 5,
	PLAT_FD_PD_EP      = 6,
	PLAT_FD_BOOT_PAGE  = 7,   /* a page of the PD's RAM for the service channel */
	PLAT_FD_BINARY     = 8,   /* the binary, close-on-exec: gone once running */
	PLAT_FD_FIRST_FREE = 9,
};

/* set up the channel to core through which channel pages are allocated */
void plat_service_init(cairn_cap pd, int page_fd);

/* capability table */
void      plat_cap_init(void);
cairn_cap plat_cap_install(int obj_fd, int ep_fd);      /* takes ownership of both */
bool      plat_cap_fds(cairn_cap c, int *obj_fd, int *ep_fd);
int       plat_cap_ep_index(cairn_cap c);

/* entrypoints */
void      plat_ep_large_tables(void);                    /* core: before the first entrypoint */
cairn_ep *plat_ep_create_here(const char *name);         /* for the calling thread */
typedef void (*plat_fd_fn)(void *data, uint32_t events);
int       plat_ep_watch_fd(cairn_ep *ep, int fd, plat_fd_fn fn, void *data);
void      plat_ep_unwatch_fd(cairn_ep *ep, int fd);

/* attach a raw descriptor to a reply (used by core's dataspaces); takes ownership */
void plat_msg_attach_fd(cairn_msg *m, int fd);
/* take the raw descriptor a reply carried, -1 if none */
int  plat_msg_take_fd(cairn_msg *m);

/* translate -errno to a short text, the one place errno is interpreted */
const char *plat_errstr(int err);
