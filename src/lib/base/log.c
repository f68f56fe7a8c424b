/* log.c - formatted output through the LOG session */

#include <base/env.h>
#include <base/log.h>
#include <session/log/log.h>
#include <base_internal.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static cairn_log_backend_fn backend = cairn_log_session_backend;

void cairn_log_set_backend(cairn_log_backend_fn fn) { backend = fn; }

int cairn_log_write(cairn_cap log, const char *s)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_LOG_WRITE);
	cairn_msg_put_str(&m, s);
	int r = cairn_rpc_call(log, &m, &m);
	return r == CAIRN_OK ? (int)cairn_msg_get_u32(&m) : r;
}

void cairn_log_session_backend(const char *text, size_t len)
{
	cairn_env *env = cairn_env_get();
	if (env && cairn_cap_valid(env->log)) {
		(void)cairn_log_write(env->log, text);
		return;
	}
	/* no LOG session (yet): the component's stderr, if it has one */
	(void)!write(2, text, len);
	(void)!write(2, "\n", 1);
}

static void out(const char *pre, const char *post, const char *fmt, va_list ap)
{
	char buf[CAIRN_LOG_MAX];
	size_t n = (size_t)snprintf(buf, sizeof(buf), "%s", pre);
	int r = vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	if (r > 0) n += (size_t)r < sizeof(buf) - n ? (size_t)r : sizeof(buf) - n - 1;
	if (post[0] && n + strlen(post) < sizeof(buf)) {
		memcpy(buf + n, post, strlen(post) + 1);
		n += strlen(post);
	}
	backend(buf, n);
}

void cairn_log(const char *fmt, ...)
{
	va_list ap; va_start(ap, fmt); out("", "", fmt, ap); va_end(ap);
}

void cairn_warning(const char *fmt, ...)
{
	va_list ap; va_start(ap, fmt); out("\033[34mWarning: ", "\033[0m", fmt, ap); va_end(ap);
}

void cairn_error(const char *fmt, ...)
{
	va_list ap; va_start(ap, fmt); out("\033[31mError: ", "\033[0m", fmt, ap); va_end(ap);
}

_Noreturn void cairn_fatal(const char *fmt, ...)
{
	va_list ap; va_start(ap, fmt); out("\033[31mError: ", "\033[0m", fmt, ap); va_end(ap);
	cairn_env *env = cairn_env_get();
	if (env) cairn_env_exit(env, 1);
	_exit(1);
}
