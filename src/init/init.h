/* init.h - init's run-time state: children, their sessions, pending requests */
#pragma once

#include <base/env.h>
#include <base/parent.h>
#include <base/rpc.h>
#include <base/signal.h>
#include <session/pd/pd.h>
#include <session/report/report.h>
#include <session/rom/rom.h>
#include <session/timer/timer.h>
#include <rom/config.h>

#include <stdatomic.h>

#include "config.h"
#include "route.h"

typedef struct init_main    init_main;
typedef struct init_child   init_child;
typedef struct init_session init_session;
typedef struct init_pending init_pending;
typedef struct init_local   init_local;
typedef struct init_call    init_call;
typedef struct init_worker  init_worker;
typedef struct init_binary  init_binary;

/*
 * A call that may block - a server child's root (SESSION, UPGRADE, CLOSE)
 * or the same operations at init's parent - made by a worker entrypoint
 * (call.c). The op codes are those of the root interface.
 */
struct init_call {
	init_call         *next;       /* done queue */
	init_worker       *worker;
	bool               to_parent;  /* else: `target` is a root capability */
	int                op;         /* CAIRN_ROOT_SESSION / _UPGRADE / _CLOSE */
	cairn_cap          target;
	cairn_cap          session;    /* UPGRADE, CLOSE */
	char               service[INIT_NAME_MAX];
	char               args[CAIRN_ARGS_MAX];
	int                rc;         /* result */
	cairn_cap          result;     /* SESSION: the new session */
	bool               has_token;  /* a client waits for the outcome */
	cairn_reply_token  token;
};

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
	unsigned long        id;            /* unique per creation (state report `id`) */
	unsigned             prio_band;     /* priority sub-band (init.md 8.1) */
	cairn_pd_sched       sched;         /* its placement at start (prio.h) */
	uint32_t             priority;      /* generic priority core applied (pd.h) */

	size_t               assigned;      /* RAM quota init gave it: quantum, upgrades,
	                                       grants, minus what it took back */
	size_t               requested;     /* refused resource request, until a grant */
	size_t               yield_need;    /* RAM still to take back (yield request) */

	cairn_cap            pd;            /* PD session at init's parent */
	init_binary         *bin;           /* binary ROM session, shared (child.c) */
	cairn_cap            binary;        /* its dataspace (a reference of this child's) */
	cairn_rpc_obj        parent_obj;    /* the parent interface we serve it */
	cairn_signal_handler exit_sigh;     /* its process ended */

	cairn_cap            resource_avail_sigh;
	cairn_cap            yield_sigh;
	cairn_cap           *roots;         /* per <provides> entry: announced root */

	init_session        *sessions;      /* sessions it opened through us */

	bool                 exit_called;   /* Parent::exit seen */
	int                  exit_value;
	bool                 gone;          /* its process ended */
	long                 crash_signal;  /* ended by this signal (0: not crashed) */
	bool                 keep;          /* reconfiguration: survives the update */
	unsigned             new_idx;       /* reconfiguration: its node in the new config */
	unsigned             diff;          /* reconfiguration: init_start_compare result */
};

typedef enum {
	INIT_SESSION_PARENT,  /* forwarded to init's parent */
	INIT_SESSION_CHILD,   /* served by a sibling */
	INIT_SESSION_LOCAL,   /* served by init itself (config, binary ROM) */
} init_session_kind;

typedef enum {
	INIT_SESSION_CREATING,   /* SESSION call in flight */
	INIT_SESSION_ACTIVE,
	INIT_SESSION_UPGRADING,  /* UPGRADE call in flight */
	INIT_SESSION_CLOSING,    /* CLOSE call in flight */
} init_session_state;

/*
 * A session a child opened through init. The donation lies at the server
 * (the server child's PD, or init's parent) while the session exists. When
 * the client goes away its sessions are detached (client NULL, kept in
 * main->detached until closed) and quota returns to init; when the server
 * goes away they are orphaned and quota returns to the client at once.
 */
struct init_session {
	init_session      *next;       /* in client->sessions or main->detached */
	init_child        *client;     /* NULL once detached */
	init_session_kind  kind;
	init_session_state state;
	init_child        *server;     /* INIT_SESSION_CHILD, not used once orphaned */
	unsigned           service_idx;/* index into server->start->provides */
	init_local        *local;      /* INIT_SESSION_LOCAL */
	char               service[INIT_NAME_MAX];
	char               args[CAIRN_ARGS_MAX];  /* as the client asked (for re-routing) */
	char               fwd[CAIRN_ARGS_MAX];   /* as the server got them (state report) */
	cairn_cap          cap;        /* session capability (init's reference) */
	size_t             donated;    /* at the server, an upgrade in flight included */
	size_t             upgrade;    /* amount of the upgrade in flight */
	bool               orphaned;   /* server gone, donation already returned */
	bool               close_requested;
	init_call          call;
};

/* a session request that waits for its server to announce the service */
struct init_pending {
	init_pending      *next;
	init_child        *client;
	char               service[INIT_NAME_MAX];
	char               args[CAIRN_ARGS_MAX];
	cairn_reply_token  token;
};

/* the state report (report.c): a Report session "state", paced by a timer */
typedef struct init_report {
	bool                 open;           /* sessions are there */
	size_t               buffer;         /* buffer_size of the session */
	cairn_reporter       reporter;
	cairn_timer          timer;
	cairn_signal_handler timeout;
	bool                 scheduled;      /* a timeout is programmed */
	bool                 overflowed;     /* last one did not fit (logged once) */
	char                *last;           /* the last report submitted */
	size_t               last_len;
	char                *scratch;
} init_report;

struct init_main {
	cairn_env           *env;
	init_alloc           alloc;
	init_config         *config;         /* current config, NULL if none */
	bool                *present;        /* per start node: child exists */
	bool                *incomplete;     /* per start node: could not be created */
	bool                *deferred;       /* per start node: to be created (counts as present) */
	cairn_signal_handler create_sigh;    /* create the next deferred child */
	unsigned long        next_id;
	init_report          report;
	cairn_signal_handler yield_sigh;     /* init's parent wants RAM back */
	init_child          *children;
	init_binary         *binaries;       /* child.c: ROM sessions of binaries in use */
	init_pending        *pending;
	init_session        *detached;       /* sessions of vanished clients, closing */

	cairn_watched_rom    config_rom;     /* follows updates (rom/config.h) */
	cairn_signal_handler kick_sigh;      /* retry pending requests */
	cairn_msg           *msg;            /* scratch message for deferred replies */

	bool                 parent_is_core; /* call.c: parent calls need no worker */
	init_worker         *idle;           /* call.c: idle workers */
	unsigned             num_workers;
	init_call           *waiting;        /* call.c: calls waiting for a worker */
	init_call           *waiting_tail;
	_Atomic(init_call *) done;           /* completed calls, pushed by workers */
	cairn_signal_handler done_sigh;
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

/*
 * Apply a changed RAM quantum of a kept child (init.md 14.5): raise it
 * from init's spare RAM, or take back what it does not use and ask it to
 * yield the rest.
 */
void init_child_requantize(init_main *m, init_child *c, size_t old_quantum);

/* take back up to c->yield_need of the child's unused RAM */
void init_child_withdraw(init_main *m, init_child *c);

/* ---- parent.c: the parent interface served to each child ---- */

int init_parent_dispatch(cairn_rpc_obj *obj, cairn_msg *req, cairn_msg *reply);

/* ---- call.c ---- */

/* run the call on a worker; init_session_call_done gets it back */
void init_call_start(init_main *m, init_call *c);

/* on init's entrypoint: hand completed calls to their sessions */
void init_calls_done(init_main *m);

/* ---- session.c ---- */

enum {
	INIT_SESSION_BLOCK = 1,  /* service declared, not announced: caller queues it */
	INIT_SESSION_ASYNC = 2,  /* a call is in flight; its completion replies */
};

/*
 * Handle a session request of `client`. Returns CAIRN_OK with the session
 * capability in *cap, an error, INIT_SESSION_BLOCK, or INIT_SESSION_ASYNC.
 * `token` is the deferred reply of a request that waited; NULL inside the
 * client's RPC (the function then defers the reply itself when needed).
 */
int init_session_request(init_main *m, init_child *client, const char *service,
                         const char *args, const cairn_reply_token *token, cairn_cap *cap);

/* upgrade and close: CAIRN_OK, an error, or INIT_SESSION_ASYNC (reply deferred) */
int init_session_upgrade(init_main *m, init_child *client, cairn_cap cap, const char *args);
int init_session_close(init_main *m, init_child *client, cairn_cap cap);

/* a call of session s completed */
void init_session_call_done(init_main *m, init_call *c);

/* the client went away: close its sessions, quota returns to init */
void init_sessions_detach(init_main *m, init_child *client);

/* the server went away: sessions at it are dead, donations return to the clients */
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

/* the child's inline <config> changed: new content for its config ROMs */
void init_local_config_changed(init_main *m, init_child *c);

/* ---- state.c, report.c: the state report (init.md 14.2) ---- */

/*
 * Write the state report into buf (size bytes). Returns its length, or 0
 * if it does not fit.
 */
size_t init_state_generate(init_main *m, char *buf, size_t size);

/* something in the state changed: report it (paced by <report delay_ms>) */
void init_state_changed(init_main *m);

/* the config changed: open, resize or keep the report's sessions */
void init_report_configure(init_main *m);

/* ---- keep.c ---- */

/*
 * Decide for each child whether it survives the update to config `nc`
 * (sets keep, new_idx and diff): its <start> node differs at most in what
 * can change at run time (init_start_compare: <config>, RAM, <route>,
 * <exit>), it did not crash, and every session it holds would take the
 * same route (same parent service, or the same server that is kept
 * itself) - restarting a server restarts its clients. `present` as for
 * init_route.
 */
void init_select_kept(init_child *children, const init_config *nc, const bool *present);

/* ---- reconfig.c ---- */

/*
 * Make `config` the current config (init takes ownership): children whose
 * <start> node is byte-identical and whose sessions would take the same
 * routes keep running, all others are destroyed, missing ones created.
 */
void init_reconfigure(init_main *m, init_config *config);
/* create the next child the last reconfiguration deferred (one per call) */
void init_create_next(init_main *m);

/* ---- main.c ---- */

/* print a diagnostic of config.c or route.c */
void init_log_diag(void *ctx, init_diag_level level, const char *msg);
