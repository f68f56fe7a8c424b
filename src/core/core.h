/* core.h - core's objects: PD sessions with RAM accounts, dataspaces, ROM, LOG */
#pragma once

#include <base/entrypoint.h>
#include <base/env.h>
#include <base/heap.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct core_pd;

/* a memory object: RAM (owned by a PD), boot module, or a read-only view */
struct core_ds {
	cairn_rpc_obj   obj;
	int             fd;        /* memfd or file, opened read-only when !writable */
	size_t          size;
	bool            writable;
	char            module[64]; /* boot module: its name */
	struct core_pd *owner;     /* RAM: the PD that pays for it */
	struct core_ds *next;      /* in the owner's list */
	struct core_ds *views;     /* read-only views of this dataspace */
	struct core_ds *origin;    /* a view: the dataspace it shows */
};

struct core_pd {
	cairn_rpc_obj    obj;
	char             label[160];
	size_t           quota;
	size_t           used;
	struct core_pd  *ref;        /* reference account */
	struct core_ds  *ds;         /* RAM dataspaces it owns */
	pid_t            pid;
	int              uid;        /* the process's user id, 0 if none */
	int              pidfd;
	bool             spawning;   /* its process is being created (platform) */
	struct core_pd  *spawn_next; /* queue of those (platform) */
	unsigned         state;      /* enum cairn_pd_state */
	long             exit_value;
	cairn_cap        exit_sigh;
	struct core_pd  *next;
};

struct core {
	cairn_env        env;
	cairn_ep        *ep;
	cairn_heap      *heap;
	struct core_pd  *pds;
	struct core_pd  *init_pd;
};

extern struct core core;

/* dataspaces (ds.c) */
struct core_ds *core_ds_ram(struct core_pd *owner, size_t size);
struct core_ds *core_ds_rom(const char *name);
void            core_ds_destroy(struct core_ds *ds);
struct core_ds *core_ds_lookup(cairn_cap cap);
bool            core_ds_map_reply(struct core_ds *ds, cairn_msg *reply);

/* PD sessions (pd.c) */
struct core_pd *core_pd_create(const char *label, size_t quota);
void            core_pd_destroy(struct core_pd *pd);
struct core_pd *core_pd_lookup(cairn_cap cap);
int             core_pd_alloc(struct core_pd *pd, size_t size, struct core_ds **ds);
int             core_pd_transfer(struct core_pd *from, struct core_pd *to, size_t amount);

/* sessions by service name, created on behalf of `client` (services.c) */
int  core_session(struct core_pd *client, const char *service, const char *args, cairn_cap *out);
int  core_session_upgrade(struct core_pd *client, cairn_cap session, size_t amount);
int  core_session_close(struct core_pd *client, cairn_cap session);

/* the parent interface core offers init (parent.c) */
cairn_cap core_parent_for(struct core_pd *child);

/* platform part (src/platform/<p>/core_*.c) */
int  core_plat_memfd(size_t size);                /* zeroed RAM, -errno on failure */
int  core_plat_readonly(int fd);                  /* a read-only descriptor for it */
int  core_plat_open_rom(const char *name, size_t *size);
int  core_plat_spawn(struct core_pd *pd, int binary_fd, const char *module, cairn_cap parent,
                     const char *name);
void core_plat_kill(struct core_pd *pd);
void core_plat_init(void);
void core_plat_log(const char *text, size_t len);

/* backing store of core's own heap (platform) */
#include <base_internal.h>
extern const cairn_heap_backing core_backing;
