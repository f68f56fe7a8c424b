/* init.h - init's run-time state: children, their sessions, pending requests */
#pragma once

#include <base/env.h>
#include <base/parent.h>
#include <base/rpc.h>
#include <base/signal.h>
#include <session/rom/rom.h>

#include "config.h"
#include "route.h"

typedef struct init_main    init_main;
typedef struct init_child   init_child;
typedef struct init_session init_session;
typedef struct init_pending init_pending;
typedef struct init_local   init_local;

/*
 * A child is created for each <start> node whose environment could be set
 * up (binary ROM, PD). It points to its <start> node in the current config;
 * a child kept across a config update has a byte-identical node in the new
 * config and is re-pointed to it.
 */
struct init_child {
	init_child          *next;          /* in config order */
	init_main           *main;
	const init_start    *start;         /* node in main->config */
	unsigned             idx;           /* index of that node */
	char                 name[INIT_NAME_MAX];
	unsigned             prio_band;     /* priority sub-band (init.md 8.1) */

	cairn_cap            pd;            /* PD session at init's parent */
	cairn_cap            rom;           /* binary ROM session */
	cairn_cap            binary;        /* its dataspace */
	cairn_rpc_obj        parent_obj;    /* the parent interface we serve it */
	cairn_signal_handler exit_sigh;     /* its process ended */

	cairn_cap            resource_avail_sigh;
	cairn_cap            yield_sigh;
	cairn_cap           *roots;         /* per <provides> entry: announced root */

	init_session        *sessions;      /* sessions it opened through us */

	bool                 exit_called;   /* Parent::exit seen */
	int                  exit_value;
	bool                 gone;          /* its process ended */
	bool                 keep;          /* reconfiguration: survives the update */
	unsigned             new_idx;       /* reconfiguration: its node in the new config */
};

typedef enum {
	INIT_SESSION_PARENT,  /* forwarded to init's parent */
	INIT_SESSION_CHILD,   /* served by a sibling */
	INIT_SESSION_LOCAL,   /* served by init itself (config, binary ROM) */
} init_session_kind;

struct init_session {
	init_session      *next;       /* in client->sessions */
	init_child        *client;
	init_session_kind  kind;
	init_child        *server;     /* INIT_SESSION_CHILD */
	unsigned           service_idx;/* index into server->start->provides */
	init_local        *local;      /* INIT_SESSION_LOCAL */
	char               service[INIT_NAME_MAX];
	char               args[CAIRN_ARGS_MAX];  /* as the client asked (for re-routing) */
	cairn_cap          cap;        /* session capability (init's reference) */
	size_t             donated;    /* ram_quota moved to the server, initial + upgrades */
	bool               orphaned;   /* server gone, donation already returned */
};

/* a session request that waits for its server to announce the service */
struct init_pending {
	init_pending      *next;
	init_child        *client;
	char               service[INIT_NAME_MAX];
	char               args[CAIRN_ARGS_MAX];
	cairn_reply_token  token;
};

struct init_main {
	cairn_env           *env;
	init_alloc           alloc;
	init_config         *config;         /* current config, NULL if none */
	bool                *present;        /* per start node: child exists */
	init_child          *children;
	init_pending        *pending;

	cairn_attached_rom   config_rom;
	cairn_signal_handler config_sigh;
	cairn_signal_handler kick_sigh;      /* retry pending requests */
	cairn_msg           *msg;            /* scratch message for outgoing calls */
};

/* ---- child.c ---- */

/* create and start the child of start node `idx`; NULL if it could not be set up */
init_child *init_child_create(init_main *m, unsigned idx);

/* close its sessions, revoke its services, kill it, free it (not unlinked) */
void init_child_destroy(init_main *m, init_child *c);

/* the child of start node `idx`, or NULL */
init_child *init_child_by_idx(init_main *m, unsigned idx);

/* its process ended: report, close its sessions, deny requests to its services */
void init_child_gone(init_main *m, init_child *c);

/* RAM init may still hand out (its available quota minus the reserve) */
size_t init_avail_ram(init_main *m);

/* ---- parent.c: the parent interface served to each child ---- */

int init_parent_dispatch(cairn_rpc_obj *obj, cairn_msg *req, cairn_msg *reply);

/* ---- session.c ---- */

/*
 * Handle a session request of `client`. Returns CAIRN_OK with the session
 * capability in *cap, an error, or INIT_SESSION_BLOCK if the service is
 * declared but not announced yet (the caller defers the reply).
 */
enum { INIT_SESSION_BLOCK = 1 };
int init_session_request(init_main *m, init_child *client, const char *service,
                         const char *args, cairn_cap *cap);

int  init_session_upgrade(init_main *m, init_child *client, cairn_cap cap, const char *args);
int  init_session_close(init_main *m, init_child *client, cairn_cap cap);

/* close one session record and free it (quota back to the client) */
void init_session_destroy(init_main *m, init_session *s);

/* the server of sessions of other children died or is destroyed */
void init_sessions_orphan(init_main *m, init_child *server);

/* queue a blocked request, try pending ones again, drop those of a client */
void init_pending_add(init_main *m, init_child *client, const char *service,
                      const char *args, cairn_reply_token token);
void init_pending_kick(init_main *m);
void init_pending_retry(init_main *m);
void init_pending_drop(init_main *m, init_child *client);

/* ---- local.c: ROM sessions init serves itself ---- */

int  init_local_rom_create(init_main *m, init_child *c, bool binary, init_local **out);
void init_local_destroy(init_main *m, init_local *l);
cairn_cap init_local_cap(init_local *l);

/* ---- reconfig.c ---- */

/*
 * Make `config` the current config (init takes ownership): children whose
 * <start> node is byte-identical and whose sessions would take the same
 * routes keep running, all others are destroyed, missing ones created.
 */
void init_reconfigure(init_main *m, init_config *config);

/* ---- main.c ---- */

/* print a diagnostic of config.c or route.c */
void init_log_diag(void *ctx, init_diag_level level, const char *msg);
