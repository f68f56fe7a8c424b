/* parent.h - the parent protocol, client side and wire opcodes */
#pragma once

#include <base/cap.h>
#include <base/errors.h>
#include <base/msg.h>

/*
 * Every component talks to its parent through the parent capability. The
 * parent mediates all sessions (it rewrites the label, moves the
 * `ram_quota` donation from the child to the server, routes the request),
 * receives service announcements, the exit value, and resource requests.
 */
enum cairn_parent_op {
	CAIRN_PARENT_EXIT = 1,            /* i64 value */
	CAIRN_PARENT_ANNOUNCE,            /* str service, cap root */
	CAIRN_PARENT_SESSION,             /* str service, str args -> cap */
	CAIRN_PARENT_UPGRADE,             /* cap session, str args */
	CAIRN_PARENT_CLOSE,               /* cap session */
	CAIRN_PARENT_RESOURCE_AVAIL_SIGH, /* cap sigh */
	CAIRN_PARENT_RESOURCE_REQUEST,    /* str args */
	CAIRN_PARENT_YIELD_SIGH,          /* cap sigh */
	CAIRN_PARENT_YIELD_REQUEST,       /* -> str args */
	CAIRN_PARENT_YIELD_RESPONSE,
};

enum { CAIRN_SERVICE_NAME_MAX = 64, CAIRN_ARGS_MAX = 160 };

/*
 * Open a session. Errors: CAIRN_ERR_DENIED (no route, server refused),
 * CAIRN_ERR_QUOTA (the donation cannot be paid or is too small),
 * CAIRN_ERR_UNAVAILABLE (malformed name or args). Blocks while the service
 * is declared by a sibling but not announced yet.
 */
int cairn_parent_session(cairn_cap parent, const char *service,
                         const char *args, cairn_cap *session)
	__attribute__((warn_unused_result));

int cairn_parent_upgrade(cairn_cap parent, cairn_cap session, const char *args)
	__attribute__((warn_unused_result));

int cairn_parent_close(cairn_cap parent, cairn_cap session);

int cairn_parent_announce(cairn_cap parent, const char *service, cairn_cap root)
	__attribute__((warn_unused_result));

int cairn_parent_exit(cairn_cap parent, int value);

/*
 * Ask for more resources (`ram_quota=N`). The parent answers right away:
 * CAIRN_OK when it transferred the quota to the child's PD, CAIRN_ERR_QUOTA
 * when it cannot; a parent may also grant later and signal the
 * resource-available handler.
 */
int cairn_parent_resource_request(cairn_cap parent, const char *args);
int cairn_parent_resource_avail_sigh(cairn_cap parent, cairn_cap sigh);
int cairn_parent_yield_sigh(cairn_cap parent, cairn_cap sigh);
int cairn_parent_yield_request(cairn_cap parent, char *args, unsigned cap);
int cairn_parent_yield_response(cairn_cap parent);

/* open a session through the env's parent with a formatted args string */
struct cairn_env;
int cairn_session(struct cairn_env *env, const char *service, cairn_cap *session,
                  const char *args_fmt, ...)
	__attribute__((format(printf, 4, 5), warn_unused_result));
