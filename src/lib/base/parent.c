/* parent.c - client side of the parent protocol */

#include <base/env.h>
#include <base/log.h>
#include <base/parent.h>
#include <util/args.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int call(cairn_cap parent, cairn_msg *m) { return cairn_rpc_call(parent, m, m); }

int cairn_parent_session(cairn_cap parent, const char *service, const char *args, cairn_cap *session)
{
	cairn_msg m;
	*session = CAIRN_CAP_INVALID;
	if (strlen(service) >= CAIRN_SERVICE_NAME_MAX || strlen(args) >= CAIRN_ARGS_MAX)
		return CAIRN_ERR_UNAVAILABLE;
	cairn_msg_init(&m, CAIRN_PARENT_SESSION);
	cairn_msg_put_str(&m, service);
	cairn_msg_put_str(&m, args);
	int r = call(parent, &m);
	if (r != CAIRN_OK) return r;
	*session = cairn_msg_get_cap(&m);
	return cairn_cap_valid(*session) ? CAIRN_OK : CAIRN_ERR_DENIED;
}

int cairn_parent_upgrade(cairn_cap parent, cairn_cap session, const char *args)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_PARENT_UPGRADE);
	cairn_msg_put_cap(&m, session);
	cairn_msg_put_str(&m, args);
	return call(parent, &m);
}

int cairn_parent_close(cairn_cap parent, cairn_cap session)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_PARENT_CLOSE);
	cairn_msg_put_cap(&m, session);
	return call(parent, &m);
}

int cairn_parent_announce(cairn_cap parent, const char *service, cairn_cap root)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_PARENT_ANNOUNCE);
	cairn_msg_put_str(&m, service);
	cairn_msg_put_cap(&m, root);
	return call(parent, &m);
}

int cairn_parent_exit(cairn_cap parent, int value)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_PARENT_EXIT);
	cairn_msg_put_i64(&m, value);
	return call(parent, &m);
}

int cairn_parent_resource_request(cairn_cap parent, const char *args)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_PARENT_RESOURCE_REQUEST);
	cairn_msg_put_str(&m, args);
	return call(parent, &m);
}

static int with_cap(cairn_cap parent, int op, cairn_cap c)
{
	cairn_msg m;
	cairn_msg_init(&m, op);
	cairn_msg_put_cap(&m, c);
	return call(parent, &m);
}

int cairn_parent_resource_avail_sigh(cairn_cap parent, cairn_cap sigh)
{
	return with_cap(parent, CAIRN_PARENT_RESOURCE_AVAIL_SIGH, sigh);
}

int cairn_parent_yield_sigh(cairn_cap parent, cairn_cap sigh)
{
	return with_cap(parent, CAIRN_PARENT_YIELD_SIGH, sigh);
}

int cairn_parent_yield_request(cairn_cap parent, char *args, unsigned cap)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_PARENT_YIELD_REQUEST);
	int r = call(parent, &m);
	if (r == CAIRN_OK && !cairn_msg_get_str(&m, args, cap)) r = CAIRN_ERR_MSG;
	return r;
}

int cairn_parent_yield_response(cairn_cap parent)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_PARENT_YIELD_RESPONSE);
	return call(parent, &m);
}

/*
 * Open a session; when the donation cannot be paid, ask the parent for the
 * missing quota once and retry (the original runtime's behaviour).
 */
int cairn_session(cairn_env *env, const char *service, cairn_cap *session, const char *fmt, ...)
{
	char args[CAIRN_ARGS_MAX];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(args)) return CAIRN_ERR_UNAVAILABLE;
	int r = cairn_parent_session(env->parent, service, args, session);
	if (r == CAIRN_ERR_QUOTA) {
		char req[64];
		snprintf(req, sizeof(req), "ram_quota=%zu", args_size(args, "ram_quota", 8192));
		cairn_log("resource_request: %s", req);
		if (cairn_parent_resource_request(env->parent, req) == CAIRN_OK)
			r = cairn_parent_session(env->parent, service, args, session);
	}
	return r;
}
